/*
 * cuts.h - where a piece can be cut and merged in parts: the boundaries
 * that no token of the vocabulary crosses.
 *
 * A piece of Chinese, Japanese or Thai written without spaces is a whole
 * phrase, tens to thousands of bytes, and rarely comes back, so the memo of
 * pieces misses it and the merge walks all of it.  Most of its character
 * boundaries, though, lie inside no token at all: between two characters
 * that no token holds side by side (o200k_base: 69% of the boundaries of
 * unspaced Chinese, cl100k_base 94%).  At such a boundary BPE gives the
 * piece the tokens of its left part followed by those of its right part:
 * a merge that joined bytes of both sides would make a token that crosses
 * it, and merges on one side never change which pairs the other side has,
 * so each side merges as it would alone (on a tie of ranks the leftmost
 * pair goes first either way).  Cut there, a phrase becomes a few
 * characters at a time, and those come back: the memos find them.
 *
 * Whether some token crosses the boundary between characters c1 and c2
 * depends on c1 and c2 alone when the tokens hold whole characters: such a
 * token holds c1 followed by c2.  The derivation keeps every such pair of
 * every token in a filter of bits (a Bloom filter: two bits a pair in one
 * 64-bit word), and a boundary whose pair's bits are not both set is
 * crossed by no such token.  A set bit only ever keeps a piece whole, so
 * the filter can claim too much but never too little, which is all
 * exactness needs.  A few tokens start or end inside a character (a
 * byte-level vocabulary has tokens such as the last byte of one character
 * followed by the next: o200k_base 800, in 166 pairs of bytes about a
 * boundary); for those a table of bits keeps the two bytes next to the
 * boundary they cross, and a boundary with such bytes is never cut.
 * Of the boundaries of unspaced Chinese (make bench's), the two find 66%
 * to be cuts for o200k_base, where 69% are crossed by no token, and 89%
 * for cl100k_base, where 94% are.
 *
 * The filter and the table are derived once, with the backtracking
 * merge's tables (bpetables.h), into the section of the rank table.
 */
#ifndef PA_CUTS_H
#define PA_CUTS_H

#include "ranktable.h"

/* Words of the filter: 64 KB, 21 bits a pair for o200k_base (25,000
 * pairs of characters; 9% of the bits set, so a pair that no token holds
 * passes for one held in one boundary of 100), and small enough to stay in
 * the processor's second-level cache. */
#define PA_CUTS_WORDS 8192u

/* The tables, borrowed from a rank table's section. */
typedef struct Pa_cut_tables {
	const uint64_t *filter;        /* PA_CUTS_WORDS words; NULL: no cuts */
	const unsigned char *partial;  /* 65536 bits: by the bytes before and
	                                  after a boundary, whether a token
	                                  that starts or ends inside a
	                                  character crosses it */
} Pa_cut_tables;

/* Bytes of the derived tables: the filter, then the partial pairs. */
#define PA_CUTS_BYTES (PA_CUTS_WORDS * sizeof(uint64_t) + 65536 / 8)

/* Whether cutting pays, for the pieces of one script: it does when the
 * parts are found in the memos, and not when more than a quarter of their
 * bytes have to be merged all the same (o200k_base in Thai: parts of 48
 * bytes on average, and the merge of a whole piece can use its memo of
 * prefixes; in Arabic the few long words it cuts).  Judged over every 4 KB
 * of pieces cut, the first time over 1 KB (cuts.c); one thread's, zeroed
 * to start. */
typedef struct Pa_cut_judge {
	uint32_t bytes;  /* of the pieces cut since the last judgement */
	uint32_t merged; /* of their parts that were merged */
	uint32_t rest;   /* pieces left to merge whole before cutting again */
	uint32_t failed; /* judgements in a row that it did not pay */
	uint32_t judged; /* 1 once the first window is judged */
} Pa_cut_judge;

/* The judges kept: one per script, as pa_cuts_script() tells them. */
#define PA_CUTS_SCRIPTS 256

/* Which judge a piece p[0..n) goes to: the first byte of its last
 * character, which tells Thai (and Indic) from Chinese and Japanese, and
 * those from Korean. */
static inline size_t pa_cuts_script(const unsigned char *p, size_t n)
{
	size_t i = n - 1;

	while (i > 0 && (p[i] & 0xC0) == 0x80 && n - i < 4)
		i--;
	return p[i];
}

/* 1 when the next piece of judge j's script should be cut. */
static inline int pa_cuts_pay(Pa_cut_judge *j)
{
	if (j->rest == 0)
		return 1;
	j->rest--;
	return 0;
}

/* Notes a piece of `bytes` cut into parts, `merged` bytes of which were
 * merged, and judges the script when it has seen enough. */
void Pa_cuts_judge(Pa_cut_judge *j, size_t bytes, size_t merged);

/* Derives the tables from the ranks of t into out[0..PA_CUTS_BYTES),
 * which must be 8-byte aligned and zeroed. */
void Pa_cuts_derive(const Pa_ranktable *t, unsigned char *out);

/* Points c at tables derived into base. */
void Pa_cuts_view(const unsigned char *base, Pa_cut_tables *c);

/* The boundaries after from (a character boundary, from < n) in the
 * valid UTF-8 p[0..n) that no token crosses, in order, each within limit
 * bytes of the one before it (of from, for the first): at most max of
 * them, into cut[] (whose entries past those may be written too: room for
 * max).  Returns how many; fewer than max when the piece ends
 * or the next cut is further than limit.  The limit bounds the time spent
 * on a piece that has no cuts (a megabyte of one letter).  One call hands
 * over the cuts of many parts: unspaced Chinese has one at most
 * boundaries, and a call for each took 3.4 ms to search 1 MB of it where
 * batches took 2.6, and batches without a branch on whether a boundary is
 * a cut 1.4 (o200k_base, this function alone). */
size_t Pa_cuts_find(const Pa_cut_tables *c, const unsigned char *p, size_t n,
                    size_t from, size_t limit, size_t *cut, size_t max);

#endif
