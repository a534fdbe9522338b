/*
 * piececache.h - a memo of the pieces one encoding merged, so that a
 * word that comes back (a name, an identifier, an inflected word of a
 * language the vocabulary knows less well) costs one lookup instead of a
 * merge.  (An encoding keeps its pieces of up to PA_SHORT_PIECE bytes in
 * a memo of their own, below.)
 *
 * Two-way set-associative on the rank key's hash (ranktable.h), one
 * cache line an entry: the piece, how many tokens it is and, when the
 * encoding keeps ids, its ids.  A piece of up to PA_PIECE_CACHE_BYTES
 * bytes keeps up to PA_PIECE_CACHE_IDS ids; a count, which needs no ids,
 * keeps pieces of up to PA_PIECE_CACHE_LONG bytes in the whole line, as
 * long as they are found again (the words of Devanagari or Tamil text are
 * 25 to 60 bytes of UTF-8, and come back: o200k merged 19,700 such pieces
 * of 4,200 kinds in 2 MB of the Indic corpus).  A piece of more tokens
 * than PA_PIECE_CACHE_IDS is not kept either way, nor one that does not
 * fit; a new one goes first in its set and pushes out the older of the
 * two (direct-mapped, two words of a text that shared a line pushed each
 * other out all through it).  The memo is exact: a piece always merges to
 * the same tokens.
 *
 * One thread's, never shared (workspace.h keeps it between encodings of
 * one tokenizer): start zeroed, Pa_piece_cache_release() at the end.  It
 * allocates its lines only once asked to keep enough pieces for them to
 * pay, 1 MB; once it has taken as many pieces as it has lines, in one
 * text or over the many a thread counts with one tokenizer (check, trim),
 * the texts have more distinct words than it holds (a language the
 * vocabulary knows less well: 30,000 pieces merged in 2 MB of
 * Latin-script text), and it grows to 4 MB, keeping what it has.
 *
 * Until the thread's texts come to 64 KB, when the large memos are not
 * made yet (memoarena.h), it keeps PA_PIECE_CACHE_SMALL_SETS sets, 32 KB
 * of the heap made at its first piece, and moves to its megabyte when
 * they are due.  The words of Greek, Hebrew or Arabic come back within a
 * page of text, and merged again they cost 40 KB of each 1.13x to 1.16x
 * the time (Thai with cl100k_base 1.12x); 64 KB took 1.03x to 1.09x the
 * time of 32, 16 KB 1.01x to 1.07x, and 8 KB 1.03x to 1.08x.
 */
#ifndef PA_PIECECACHE_H
#define PA_PIECECACHE_H

#include "base/base.h"
#include "memoarena.h"
#include "ranktable.h"

#include <string.h>

#define PA_PIECE_CACHE_BYTES 24
#define PA_PIECE_CACHE_IDS 9
#define PA_PIECE_CACHE_LONG 60

typedef struct Pa_piece_entry {
	uint8_t len;     /* 0: empty */
	uint8_t count;   /* tokens */
	uint8_t has_ids; /* ids[0..count) are kept */
	uint8_t pad;
	union {
		unsigned char bytes[PA_PIECE_CACHE_LONG]; /* without ids */
		struct {
			unsigned char bytes[PA_PIECE_CACHE_BYTES];
			uint32_t ids[PA_PIECE_CACHE_IDS];
		} with_ids;
	} u;
} Pa_piece_entry;

typedef struct Pa_piece_cache {
	Pa_piece_entry *lines; /* NULL until the memo pays */
	size_t set_mask;       /* sets - 1 */
	size_t kept;           /* pieces offered before it paid, then since
	                          it last grew */
	/* Whether pieces longer than PA_PIECE_CACHE_BYTES pay: in the
	 * current window of PA_PIECE_CACHE_WINDOW that could be kept, how
	 * many were found here and how many were not (offered to be kept),
	 * for how many windows they are not kept, and whether the window
	 * is the first after such a rest (not judged: the memo holds few
	 * then).  The long words of Indic text come back; those of Chinese
	 * or Thai text, a phrase each, nearly never do, and kept they pushed
	 * out shorter pieces that would have been found (cl100k and claude
	 * counted 2% to 3% more slowly). */
	uint32_t long_found, long_missed, long_off, long_fresh;
	/* Where its first lines are made (memoarena.h), or NULL: then
	 * they are allocated.  The workspace's; kept by a release. */
	Pa_memo_arena *arena;
} Pa_piece_cache;

#define PA_PIECE_CACHE_WINDOW 1024
#define PA_PIECE_CACHE_SMALL_SETS 256

/* The entry of piece p[0..n) with hash h, or NULL. */
static inline const Pa_piece_entry *pa_piece_cache_find(Pa_piece_cache *c,
                                                        uint64_t h,
                                                        const unsigned char *p,
                                                        size_t n);

/* Ends a window of lookups of long pieces (pa_piece_cache_find() calls
 * it): keeps them, or not, for the windows to come. */
void Pa_piece_cache_judge_long(Pa_piece_cache *c);

/* Keeps the count tokens of piece p[0..n) with hash h, and ids when not
 * NULL. */
void Pa_piece_cache_put(Pa_piece_cache *c, uint64_t h, const unsigned char *p,
                        size_t n, size_t count, const uint32_t *ids);

void Pa_piece_cache_release(Pa_piece_cache *c);

/*
 * The tokens a text used lately, in 64 KB to 256 KB (below): a piece that
 * is a token is looked up in the rank table, several megabytes read at
 * random, and waits for memory nearly every time; the few thousand words
 * that make most of a text (the, of, return, a language's particles) are
 * found here instead, in the processor's nearer caches.  Direct-mapped, a
 * slot as the rank table's (a token of up to PA_RANK_INLINE bytes whole in
 * it, so a match needs no other read), filled from rank-table hits.  Exact:
 * a slot holds a token's bytes and id as the table has them.
 *
 * A count keeps beside them, in slots of their own (4,096, 64 KB, made
 * once the memo of pieces is: before, pieces do not come back enough to
 * pay for the pages), the pieces of several tokens it merged or found in
 * the memo of pieces lately, with their count in place of an id: a
 * language the vocabulary knows less well writes most of its common words
 * in two or three tokens (2 MB of the Indic corpus: 300,000 pieces found
 * in the memo of pieces, 54,000 here), and the memo of pieces is
 * megabytes, a cache miss and a comparison of bytes away.  In the slots of
 * tokens they pushed frequent words out (English: 3% more instructions);
 * in a pair with each token's slot they spread the tokens over twice the
 * pages, and a count of 1 KB took 30 more page faults (a tenth longer).
 *
 * The slots of tokens start at 64 KB and grow to 256 KB once they have
 * taken four times as many puts as they hold: the words of a longer text
 * push each other out of 4,096 slots (English counted 4% to 7% faster, the
 * mixed corpus 1% to 2%, the real agent files 2% to 4%), while a short
 * text, or one whose pieces are mostly merged phrases (Chinese), does not
 * pay for the pages of the larger (a count of 1 KB took 5% longer in them
 * from the start; Chinese 3%).  Past 256 KB they no longer paid
 * (1.00x).  The slots of counts stay at 64 KB: grown alike, they took more
 * of the cache from the merge than they saved (Indic and Latin 1% to 2%
 * slower).
 */
#define PA_HOT_TOKENS_BITS 12 /* to start with */
#define PA_HOT_TOKENS (1u << PA_HOT_TOKENS_BITS)
#define PA_HOT_TOKENS_GROWN_BITS 14

/* Slots, direct-mapped: NULL until the first put, then 1 << bits of
 * them; puts counts what they took until they grow (the tokens' do). */
typedef struct Pa_hot_slots {
	Pa_rank_slot *slot;
	unsigned bits;
	size_t puts;
} Pa_hot_slots;

/*
 * An encoding's memo of short pieces of several tokens, the counterpart
 * of the slots of counts for an encoding, which needs the ids: a piece of
 * at most PA_SHORT_PIECE bytes is at most that many tokens, so each fits
 * a slot, and an encoding keeps such pieces here only, not in the memo of
 * pieces.  A character of a script cut into parts is mostly a token or a
 * short piece of two or three (unspaced Chinese with cl100k_base: 10,364
 * parts in 40 KB, 1,861 of them pieces found in the memo of pieces, a
 * megabyte read at random), and each that was neither was first looked
 * for there in vain before the rank table was asked (1,706).  Here it is
 * 128 KB away, and a piece that misses goes straight to the rank table.
 * Direct-mapped by the index of the slots of tokens, 4,096 slots of 32
 * bytes in the workspace's huge page (memoarena.h).  The slots are made
 * when the huge page is there already, or once PA_SHORT_PAYS_AFTER short
 * pieces were offered: made at the first, they cost a short text the
 * huge page's fault (a fresh encode of a space, U+9F00 and " hello" took
 * 60 us instead of 2).  Exact: a slot holds the piece's bytes as a slot of
 * tokens does, and all its ids.
 */
#define PA_SHORT_PIECE 4
#define PA_SHORT_BITS 12
#define PA_SHORT_PAYS_AFTER 64

typedef struct Pa_short_slot {
	Pa_rank_slot key;                  /* the piece, and its first token */
	uint32_t more[PA_SHORT_PIECE - 1]; /* the tokens after the first */
	uint32_t count;                    /* tokens, 2 to PA_SHORT_PIECE */
} Pa_short_slot;

typedef struct Pa_hot_tokens {
	Pa_hot_slots tokens; /* ids */
	Pa_hot_slots counts; /* counts, in place of ids */
	Pa_short_slot *shorts; /* NULL until they pay (above) */
	size_t shorts_offered; /* short pieces offered before that */
	/* Where the short pieces' slots are made (memoarena.h), or NULL:
	 * then they are allocated.  The workspace's; kept by a release. */
	Pa_memo_arena *arena;
} Pa_hot_tokens;

/* The id of the key k, or PA_RANK_NONE. */
static inline uint32_t pa_hot_tokens_find(const Pa_hot_tokens *h,
                                          const Pa_rank_key *k);

/* Keeps token id, which key k found in the rank table. */
void Pa_hot_tokens_put(Pa_hot_tokens *h, const Pa_rank_key *k, size_t n,
                       uint32_t id);

/* How many tokens the piece of key k is, or 0. */
static inline uint32_t pa_hot_counts_find(const Pa_hot_tokens *h,
                                          const Pa_rank_key *k);

/* Keeps that the piece of key k (n bytes) is count tokens; a count of 0
 * or over 255 is not kept.  The caller says when the slots of counts are
 * worth making (Pa_piece_cache's lines are). */
void Pa_hot_counts_put(Pa_hot_tokens *h, const Pa_rank_key *k, size_t n,
                       uint32_t count);

/* The slot of the short piece of key k (n <= PA_SHORT_PIECE bytes), or
 * NULL. */
static inline const Pa_short_slot *pa_short_find(const Pa_hot_tokens *h,
                                                 const Pa_rank_key *k);

/* Keeps that the piece of key k (n bytes) is the count tokens ids; a
 * piece longer than PA_SHORT_PIECE, or of one token, is not kept. */
void Pa_short_put(Pa_hot_tokens *h, const Pa_rank_key *k, size_t n,
                  const uint32_t *ids, size_t count);

void Pa_hot_tokens_release(Pa_hot_tokens *h);

/* ---- inline ---- */

static inline const Pa_piece_entry *pa_piece_cache_find(Pa_piece_cache *c,
                                                        uint64_t h,
                                                        const unsigned char *p,
                                                        size_t n)
{
	const Pa_piece_entry *e;

	if (!c->lines)
		return NULL;
	/* The low bits: the rank table's home bucket takes the high ones. */
	e = c->lines + 2 * (h & c->set_mask);
	if (e->len != n || memcmp(e->u.bytes, p, n) != 0) {
		e++;
		if (e->len != n || memcmp(e->u.bytes, p, n) != 0)
			return NULL;
	}
	if (n > PA_PIECE_CACHE_BYTES &&
	    ++c->long_found + c->long_missed >= PA_PIECE_CACHE_WINDOW)
		Pa_piece_cache_judge_long(c);
	return e;
}

/* The set of lines a piece with hash h would be in (two cache lines), or
 * NULL before the memo has lines: what a batch of pieces fetches ahead, so
 * that it waits for those cache misses together (megabytes beyond the
 * nearer caches, and most pieces of a text without repeats miss it). */
static inline const Pa_piece_entry *pa_piece_cache_set_of(const Pa_piece_cache *c, uint64_t h)
{
	return c->lines ? c->lines + 2 * (h & c->set_mask) : NULL;
}

/* The slot of key k, from its bytes, not its hash: a count finds most
 * pieces here, and spares those the hash (pa_rank_key_unhashed();
 * English: 4% fewer instructions).  The high bits of two products; the
 * length is not in them, since the pieces a trailing NUL tells apart are
 * few (the slot's len8 does). */
static inline size_t pa_hot_slot_of(const Pa_rank_key *k, unsigned bits)
{
	return (size_t)(((k->head * 0x9E3779B97F4A7C15ull) ^
	                 ((uint64_t)k->tail * 0xC2B2AE3D27D4EB4Full)) >>
	                (64 - bits));
}

/* 1 when slot s holds the piece of key k (a free slot's length is 0,
 * and no piece is empty). */
static inline int pa_hot_slot_holds(const Pa_rank_slot *s, const Pa_rank_key *k)
{
	return s->head == k->head &&
	       (((uint64_t)s->id_len << 32 | s->tail) & 0xFF000000FFFFFFFFull) ==
	       ((uint64_t)k->len8 << 32 | k->tail);
}

/* The id or count that key k's slot in `slots` holds, or `none`. */
static inline uint32_t pa_hot_slot_find(const Pa_hot_slots *slots, const Pa_rank_key *k,
                                        uint32_t none)
{
	const Pa_rank_slot *s;

	if (!slots->slot)
		return none;
	s = slots->slot + pa_hot_slot_of(k, slots->bits);
	/* No piece over PA_RANK_INLINE bytes is kept, so the length in
	 * len8 tells one from a kept piece it begins with: no test of its
	 * length first (English counted with 3% fewer instructions).  The
	 * key's side is built in registers, not loaded as 8 bytes of k:
	 * k's fields were just stored one by one, and a wide load across
	 * them waits for the stores to drain (a store-forwarding stall). */
	if (!pa_hot_slot_holds(s, k))
		return none;
	return s->id_len & 0xFFFFFFu;
}

static inline const Pa_short_slot *pa_short_find(const Pa_hot_tokens *h,
                                                 const Pa_rank_key *k)
{
	const Pa_short_slot *s;

	if (!h->shorts)
		return NULL;
	s = h->shorts + pa_hot_slot_of(k, PA_SHORT_BITS);
	return pa_hot_slot_holds(&s->key, k) ? s : NULL;
}

static inline uint32_t pa_hot_tokens_find(const Pa_hot_tokens *h,
                                          const Pa_rank_key *k)
{
	return pa_hot_slot_find(&h->tokens, k, PA_RANK_NONE);
}

static inline uint32_t pa_hot_counts_find(const Pa_hot_tokens *h,
                                          const Pa_rank_key *k)
{
	return pa_hot_slot_find(&h->counts, k, 0);
}

#endif
