/*
 * bpescratch.h - the working memory of the merges (bpe.h, backtrack.h),
 * reused across pieces, so merging allocates only when a piece is longer
 * than any before.
 *
 * Start zeroed; end with Pa_bpe_scratch_release().  Each merge reserves
 * what it uses, and nothing in it outlives a call but the bucket queue's
 * buckets, which that merge leaves empty.
 */
#ifndef PA_BPESCRATCH_H
#define PA_BPESCRATCH_H

#include "base/base.h"
#include "memoarena.h"

typedef struct Pa_bpe_scratch {
	uint32_t *pos;    /* part start offsets */
	uint32_t *rank;   /* rank of each part with its right neighbour */
	uint32_t *tok;    /* token id of each part */
	uint32_t *next, *prev;
	uint64_t *heap;
	size_t cap;       /* entries each array above holds */
	size_t heap_cap;
	/* The rank buckets of Pa_bpe_merge_buckets: bucket[r] heads a list
	 * of candidate positions through entry_pos/entry_next.  Kept empty
	 * between calls, so only the buckets a piece used are cleared. */
	uint32_t *bucket;
	uint32_t n_buckets;
	uint32_t *entry_pos, *entry_next;
	size_t entry_cap;
	uint32_t *batch;
	size_t batch_cap;
	/* The backtracking merge's bit per position: can a token end there */
	uint64_t *reach;
	size_t reach_cap; /* words */
	/* Its memo of which pairs of tokens can be neighbours: a pair is a
	 * function of the two tokens alone, and the same pairs come back
	 * all through a text.  PA_PAIR_MEMO entries, direct-mapped; 0 is
	 * empty.  NULL until the merge first needs it. */
	uint32_t *pair_memo;
	/* The same memo, of PA_EARLY_PAIRS entries of the heap, before the
	 * memos are due (memoarena.h): the large one's part of the huge
	 * page costs a short text more than its hits save, but the words of
	 * a text come back within a page (40 KB of Thai with o200k_base:
	 * 5,694 checks of 2,387 pairs).  NULL until a merge first needs it. */
	uint32_t *early_pairs;
	/* How the memo of pairs pays (the early one is not judged,
	 * backtrack.c): checks and hits in the current window of checks,
	 * and how many windows it stays unused (random text has too many
	 * pairs for it, and then it costs more than it saves). */
	uint32_t memo_checks, memo_hits, memo_off;
	/* Its memo of the tokens that the next 8 bytes of a piece start
	 * with (backtrack.c), in prefix_block: NULL until a merge first
	 * uses it.  How it pays: walks in the current window, the bytes
	 * of walking its hits saved, and how many windows it rests; and
	 * over the first walks, the bytes it could save were every walk a
	 * hit, and whether those were judged. */
	struct Pa_prefix_entry *prefix_memo;
	void *prefix_block;
	uint32_t prefix_checks, prefix_saved, prefix_off;
	uint32_t prefix_could, prefix_judged;
	/* Where the two memos are made (memoarena.h), or NULL: then they
	 * are allocated.  The workspace's; kept by a release. */
	Pa_memo_arena *arena;
} Pa_bpe_scratch;

#define PA_PAIR_MEMO 32768 /* 1 << PA_PAIR_MEMO_BITS (backtrack.h) */
#define PA_EARLY_PAIRS_BITS 12
#define PA_EARLY_PAIRS (1u << PA_EARLY_PAIRS_BITS) /* 16 KB */

/* Makes room for pieces of n bytes in pos, rank, tok, next and prev. */
void Pa_bpe_scratch_reserve(Pa_bpe_scratch *s, size_t n);

/* Frees every array; s is zeroed, ready for use again. */
void Pa_bpe_scratch_release(Pa_bpe_scratch *s);

#endif
