/* backtrack.c - the linear-time merge (see backtrack.h). */
#include "backtrack.h"

#include <stdlib.h>
#include <string.h>

/* Walks the trie on from state *at, i bytes down p (i >= 2), to at most n
 * bytes: adds the tokens that end on the way to tok[] and len[] from
 * index k, returns the new k, and leaves in *at the state reached, or
 * PA_RANK_NONE when the walk left the trie.  A step is the same few
 * instructions at every node (backtrack.h); the trie of labelled nodes it
 * replaced took about 30 a step on Thai, most of them for finding which
 * of three ways a node kept its children. */
static inline ALWAYS_INLINE size_t walk_on(const Pa_backtrack_tables *bt, uint32_t n_ids,
                                           const unsigned char *p, size_t i, size_t n,
                                           uint32_t *at, uint32_t *tok, uint32_t *len,
                                           size_t k)
{
	const uint64_t *state = bt->state;
	const uint32_t mask = bt->n_states - 1;
	uint32_t v = *at;
	uint64_t e;

	/* i bounds the walk, and sound tables every step (backtrack.h). */
	if (v > mask)
		return k;
	e = state[v];
	for (; i < n; i++) {
		uint32_t child = pa_trie_child(e, p[i]), id;

		e = state[child];
		if (!pa_trie_holds(e, p[i])) {
			v = PA_RANK_NONE;
			break;
		}
		v = child;
		id = (uint32_t)(e >> PA_TRIE_TOKEN_SHIFT);
		/* Written always, kept when a token ends here: no branch. */
		tok[k] = id;
		len[k] = (uint32_t)i + 1;
		k += id < n_ids;
	}
	*at = v;
	return k;
}

/* The tokens that p[0..n) starts with, shortest first: their ids in
 * tok[] and lengths in len[] (room for n each).  Returns how many, and
 * leaves in *at the state n bytes down (as walk_on()).  The first two
 * bytes take one lookup in the two-byte table; most tokens of a long
 * piece are that short. */
static inline ALWAYS_INLINE size_t walk_from_top(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                                                 const unsigned char *p, size_t n,
                                                 uint32_t *at, uint32_t *tok, uint32_t *len)
{
	const uint32_t *two;
	size_t k = 1;

	tok[0] = t->byte_rank[p[0]];
	len[0] = 1;
	if (n < 2) {
		*at = PA_RANK_NONE;
		return 1;
	}
	two = bt->two_byte + 2 * ((size_t)p[0] << 8 | p[1]);
	if (two[1] < t->n_ids) {
		tok[k] = two[1];
		len[k++] = 2;
	}
	*at = two[0];
	return walk_on(bt, t->n_ids, p, 2, n, at, tok, len, k);
}

/* The memo of prefixes: the tokens the next PREFIX_BYTES bytes of a piece
 * start with, and the state of the trie that far down, keyed by those
 * bytes, direct-mapped.  In a language whose words the vocabulary keeps
 * as long tokens, a walk goes 7 bytes down on average (o200k, Thai), and
 * the same words come back: 97% of walks were found here, and o200k
 * counted Thai with 22% fewer instructions.  Where tokens are short
 * (cl100k: 3 bytes of a walk on CJK or Thai) a walk costs about what a
 * lookup here does, and in random text the bytes never come back; so
 * the memo is judged over windows of PREFIX_WINDOW walks by the bytes
 * that its hits saved walking, at least PREFIX_PAYS a walk, and rests
 * for PREFIX_REST windows when it falls short.  Only pieces of at least
 * 2 * PREFIX_BYTES bytes use it (a shorter one has a walk or two), and
 * of at most PREFIX_LONGEST_PIECE: a longer one (a megabyte of random
 * letters, or of Chinese without punctuation) would keep the loop that
 * asks it to its end even once it rests (random letters: 5% more
 * instructions), and the words that come back are in sentences. */
#define PREFIX_BYTES 8
#define PREFIX_MEMO_BITS 12 /* 4,096 entries, 256 KB */
#define PREFIX_WINDOW 4096
/* Where a walk is shallower than PREFIX_PAYS bytes on average, the memo
 * cannot pay whatever it finds: Chinese with cl100k_base, whose tokens
 * are a character or less.  That is known from the first PREFIX_FIRST
 * walks, before the memo is warm enough for its hits to tell; a text of
 * 40 KB has ended before a window of PREFIX_WINDOW walks judged it, and
 * the memo had cost its lookups all through (unspaced Chinese, cl100k:
 * 8% of the time). */
#define PREFIX_FIRST 512
#define PREFIX_REST 32
#define PREFIX_PAYS 5
#define PREFIX_LONGEST_PIECE 4096

typedef struct Pa_prefix_entry {
	uint64_t key;               /* the bytes */
	uint32_t ids[PREFIX_BYTES];
	uint32_t node;              /* PREFIX_BYTES down, or PA_RANK_NONE */
	uint8_t len[PREFIX_BYTES];
	uint8_t n;                  /* tokens; 0: empty */
	uint8_t pad[64 - 8 - 4 * PREFIX_BYTES - 4 - PREFIX_BYTES - 1];
} Pa_prefix_entry;

_Static_assert(sizeof(Pa_prefix_entry) == 64, "an entry a cache line");
_Static_assert((sizeof(Pa_prefix_entry) << PREFIX_MEMO_BITS) == PA_ARENA_PREFIXES_BYTES,
               "the memo of prefixes fills its part of the arena");
_Static_assert(PA_PAIR_MEMO * sizeof(uint32_t) == PA_ARENA_PAIRS_BYTES,
               "the memo of pairs fills its part of the arena");

/* The tokens that p[0..n) starts with (walk_from_top()). */
static size_t prefix_tokens(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                            const unsigned char *p, size_t n, uint32_t *tok,
                            uint32_t *len)
{
	uint32_t v;

	return walk_from_top(t, bt, p, n, &v, tok, len);
}

/* prefix_tokens() through the memo of prefixes; p has PREFIX_BYTES bytes
 * to read, and the memo exists.  When the memo stops paying, *memo_end
 * becomes 0, so that the merge stops asking it. */
static size_t prefix_tokens_memo(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                                 Pa_bpe_scratch *s, size_t *memo_end,
                                 const unsigned char *p, size_t n, uint32_t *tok,
                                 uint32_t *len)
{
	Pa_prefix_entry *e;
	uint64_t key;
	uint32_t v;
	size_t k, j;

	if (++s->prefix_checks == PREFIX_WINDOW ||
	    (!s->prefix_judged && s->prefix_checks == PREFIX_FIRST)) {
		if (s->prefix_judged ? s->prefix_saved < PREFIX_WINDOW * PREFIX_PAYS
		                     : s->prefix_could < PREFIX_FIRST * PREFIX_PAYS) {
			s->prefix_off = PREFIX_REST;
			*memo_end = 0;
			s->prefix_checks = s->prefix_saved = 0;
		}
		if (s->prefix_judged)
			s->prefix_checks = s->prefix_saved = 0;
		s->prefix_judged = 1;
	}
	memcpy(&key, p, 8);
	e = s->prefix_memo + ((key * 0x9E3779B97F4A7C15ull) >> (64 - PREFIX_MEMO_BITS));
	if (e->n && e->key == key) {
		/* The walk went as deep as the longest token, or on. */
		uint32_t saved = e->node < bt->n_states ? PREFIX_BYTES : e->len[e->n - 1];

		s->prefix_saved += saved;
		s->prefix_could += saved;
		for (k = 0; k < e->n && e->len[k] <= n; k++) {
			tok[k] = e->ids[k];
			len[k] = e->len[k];
		}
		v = e->node;
	} else {
		/* The whole PREFIX_BYTES, also when n is less (a step
		 * back): the entry is for any walk from these bytes. */
		k = walk_from_top(t, bt, p, PREFIX_BYTES, &v, tok, len);
		s->prefix_could += v < bt->n_states ? PREFIX_BYTES : len[k - 1];
		e->key = key;
		e->n = (uint8_t)k;
		e->node = v;
		for (j = 0; j < k; j++) {
			e->ids[j] = tok[j];
			e->len[j] = (uint8_t)len[j];
		}
		while (k > 0 && len[k - 1] > n)
			k--;
	}
	if (n > PREFIX_BYTES && v < bt->n_states)
		k = walk_on(bt, t->n_ids, p, PREFIX_BYTES, n, &v, tok, len, k);
	return k;
}

/* The token that merging left and right makes, or PA_RANK_NONE. */
static inline uint32_t pair_merge(const Pa_backtrack_tables *bt, uint32_t left,
                                  uint32_t right)
{
	uint64_t key = pa_pair_key(left, right), h = pa_pair_hash(key);
	uint64_t bits = pa_pair_filter_bits(h);
	uint32_t slot, n;

	if ((bt->pair_filter[h & bt->filter_mask] & bits) != bits)
		return PA_RANK_NONE;
	slot = pa_pair_first_slot(h, bt->pair_mask);
	/* At most every slot once: a damaged table may have no free one. */
	for (n = 0; n <= bt->pair_mask; n++) {
		uint64_t e = bt->pairs[slot];
		if ((e & ((1ull << (2 * PA_PAIR_ID_BITS)) - 1)) == key)
			return (uint32_t)(e >> (2 * PA_PAIR_ID_BITS)) & PA_PAIR_ID_MASK;
		if (e == PA_PAIR_NONE)
			return PA_RANK_NONE;
		slot = (slot + 1) & bt->pair_mask;
	}
	return PA_RANK_NONE;
}

/* Could BPE leave token a next to token b, which starts at p + at?
 * Undoes the merges facing the boundary, the most recent first.  limit is
 * the rank of the merge last undone: a merge across the boundary ranked
 * below it would have happened first, so a pair that makes one rules a and
 * b out.  On a tie in rank BPE merges the leftmost pair, which is what the
 * + 1 on the right side accounts for.  Ranks only fall as merges are
 * undone (the derivation checked that parts rank below the whole), so the
 * loop ends.
 *
 * Two shortcuts spare most lookups.  While a is whole, a merge across the
 * boundary would be a token that starts where a does and ends more than
 * len(a) bytes on; `room` says how far past the boundary the longest token
 * there reaches, and len_b how long b is.  And the two bytes at the
 * boundary make their token, if any, by a lookup in the two-byte table. */

/* Inlined into the merge: a call costs as much as a check that the
 * memo answers. */
static inline ALWAYS_INLINE int can_neighbour(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                                const unsigned char *p, size_t at, uint32_t a,
                                uint32_t room, uint32_t b, uint32_t len_b)
{
	uint32_t limit = UINT32_MAX, whole_a = a, whole_b = b;

	for (;;) {
		uint32_t merged, right, left, undo_a;

		if (a == whole_a && (room == 0 || (b == whole_b && len_b > room)))
			merged = PA_RANK_NONE;
		else if (a == t->byte_rank[p[at - 1]] && b == t->byte_rank[p[at]])
			merged = bt->two_byte[2 * ((size_t)p[at - 1] << 8 | p[at]) + 1];
		else
			merged = pair_merge(bt, a, b);
		if (merged < limit)
			return 0;
		/* Both splits are read before the choice of which merge to
		 * undo, which follows the ids at random and is often
		 * mispredicted: reading only the one chosen made the second
		 * read wait for that branch (random letters: 6% slower).  A
		 * choice without branches, by masks, was slower still (13%):
		 * the next step then waits for both reads. */
		right = bt->split[2 * a + 1];
		left = bt->split[2 * b];
		if (right > a || left > b)
			return 0; /* damaged table; the caller copes */
		if (right == a && left == b)
			return 1; /* two single bytes: nothing left to undo */
		/* The later merge, a's when a > b, unless that side is a
		 * single byte: then the other side's.  a's merge is undone
		 * when a is later and not one byte, or b is one byte. */
		undo_a = a > b ? right != a : left == b;
		limit = undo_a ? a : b + 1;
		a = undo_a ? right : a;
		b = undo_a ? b : left;
	}
}

/* The memo is judged over windows of this many checks: one in which
 * fewer than a quarter hit leaves it unused for MEMO_REST windows, then it
 * is tried again (a text may go on in another language).  The early memo
 * (bpescratch.h) is not judged: a text of 40 KB has a few thousand checks
 * (o200k_base: Thai 5,694, Hebrew 2,895), too few for windows long enough
 * to tell (a judge of 512 checks turned it off for Thai and Hebrew, which
 * then took 0.96x and 1.04x the time of the merge without it, against
 * 0.94x and 1.00x), and the only text measured that loses by it is
 * random letters, whose pairs never come back (1.04x to 1.06x), and that
 * only in a thread's first 64 KB. */
#define MEMO_WINDOW 4096
#define MEMO_REST 8

_Static_assert(PA_PAIR_MEMO == 1u << PA_PAIR_MEMO_BITS, "a slot per low bit pattern");
_Static_assert(PA_PAIR_MIX_BITS - PA_PAIR_MEMO_BITS + 2 <= 32,
               "tag, mark and answer fit an entry");
_Static_assert(PA_EARLY_PAIRS == 1u << PA_EARLY_PAIRS_BITS, "a slot per low bit pattern");
_Static_assert(PA_PAIR_MIX_BITS - PA_EARLY_PAIRS_BITS + 2 <= 32,
               "tag, mark and answer fit an entry of the early memo");

/* can_neighbour(), remembered in memo, of 1 << bits entries, its hits
 * counted in *hits unless hits is NULL: the answer depends on a and b
 * alone (the shortcuts only skip lookups whose answer they know), and a
 * text has fewer pairs than positions, so most come from the memo,
 * without the cache misses of the pair table and the splits.  An entry is
 * the tag (pa_pair_memo_mix()), then a bit that marks it used, then the
 * answer: four bytes, half the memory of a plain key for as many pairs,
 * which keeps the memo a lookup nearer the core. */
static inline ALWAYS_INLINE int remembered(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                                           const unsigned char *p, size_t at,
                                           uint32_t a, uint32_t room, uint32_t b,
                                           uint32_t len_b, uint32_t *memo, unsigned bits,
                                           uint32_t *hits)
{
	uint64_t x = pa_pair_memo_mix(a, b);
	uint32_t *e = memo + pa_pair_memo_slot(x, bits);
	uint32_t want = pa_pair_memo_tag(x, bits) << 2 | 2u;
	int ok;

	if ((*e & ~1u) == want) {
		if (hits)
			++*hits;
		return (int)(*e & 1);
	}
	ok = can_neighbour(t, bt, p, at, a, room, b, len_b);
	*e = want | (uint32_t)ok;
	return ok;
}

/* The memo of pairs, judged over windows of MEMO_WINDOW checks. */
static inline ALWAYS_INLINE int neighbours(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                             Pa_bpe_scratch *s, const unsigned char *p, size_t at,
                             uint32_t a, uint32_t room, uint32_t b, uint32_t len_b)
{
	if (++s->memo_checks == MEMO_WINDOW) {
		if (s->memo_off > 0)
			s->memo_off--;
		else if (s->memo_hits < MEMO_WINDOW / 4)
			s->memo_off = MEMO_REST;
		s->memo_checks = s->memo_hits = 0;
	}
	if (s->memo_off)
		return can_neighbour(t, bt, p, at, a, room, b, len_b);
	return remembered(t, bt, p, at, a, room, b, len_b, s->pair_memo, PA_PAIR_MEMO_BITS,
	                  &s->memo_hits);
}

/* After a merge of k tokens: while the memo of prefixes rests, its
 * windows are counted in tokens, about as many as walks. */
static void rest_prefix_memo(Pa_bpe_scratch *s, size_t k)
{
	if (s->prefix_off && (s->prefix_checks += (uint32_t)k) >= PREFIX_WINDOW) {
		s->prefix_off--;
		s->prefix_checks = s->prefix_saved = 0;
	}
}

static void reserve_reach(Pa_bpe_scratch *s, size_t words)
{
	if (words <= s->reach_cap)
		return;
	s->reach_cap = words > 2 * s->reach_cap ? words : 2 * s->reach_cap;
	s->reach = Pa_xrealloc(s->reach, s->reach_cap * sizeof(uint64_t));
}

/* What a merge uses: the early memo of pairs (a thread's first 64 KB of
 * text, memoarena.h), the memo of pairs, or both it and the memo of
 * prefixes. */
enum { MERGE_EARLY, MERGE_PAIRS, MERGE_PREFIXES };

/* The merge, inlined three times with mode a constant: the loop without
 * the memo of prefixes keeps the code it had before there was one (with
 * a test of the memo at every walk, random letters took 3% more
 * instructions), and the early loop has no test of which memo of pairs
 * is there at every check (with one, 2 MB of CJK took 1.02x to 1.03x the
 * time). */
static inline ALWAYS_INLINE size_t merge(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                                         const unsigned char *p, size_t n,
                                         Pa_bpe_scratch *s, uint32_t *ids, int mode)
{
	const int memo = mode == MERGE_PREFIXES;

	/* stack[] holds the tokens so far, start[] where each begins and
	 * room[] how much further the longest token there reaches; cand[]
	 * and cand_len[] the tokens that match at pos, tried from the
	 * longest (index c) down. */
	uint32_t *stack, *start, *room, *cand, *cand_len;
	uint32_t longest; /* how far the longest token at pos reaches */
	uint64_t *reach;
	size_t words = (n + 1) / 64 + 1, k = 0, pos = 0, n_cand, c, memo_end;

	if (!bt || bt->n_states == 0)
		return PA_BACKTRACK_FAILED;
	Pa_bpe_scratch_reserve(s, n);
	reserve_reach(s, words);
	stack = s->tok;
	start = s->pos;
	room = s->prev;
	cand = s->rank;
	cand_len = s->next;
	reach = s->reach;
	/* Most pieces take one word (up to 62 bytes): a store, not a call
	 * of memset. */
	reach[0] = UINT64_MAX;
	if (words > 1)
		memset(reach + 1, 0xFF, (words - 1) * sizeof(uint64_t));
	if (mode == MERGE_EARLY && !s->early_pairs)
		s->early_pairs = Pa_xcalloc(PA_EARLY_PAIRS, sizeof(uint32_t));
	if (mode != MERGE_EARLY && !s->pair_memo) {
		s->pair_memo = Pa_memo_arena_part(s->arena, PA_ARENA_PAIRS);
		if (!s->pair_memo)
			s->pair_memo = Pa_xcalloc(PA_PAIR_MEMO, sizeof(uint32_t));
	}

	/* The memo is used up to memo_end, where PREFIX_BYTES are left,
	 * or not at all from when it stops paying. */
	memo_end = memo ? n - PREFIX_BYTES + 1 : 0;
	n_cand = memo ? prefix_tokens_memo(t, bt, s, &memo_end, p, n, cand, cand_len)
	                                   : prefix_tokens(t, bt, p, n, cand, cand_len);
	if (n_cand == 0)
		return PA_BACKTRACK_FAILED;
	c = n_cand - 1;
	longest = cand_len[c];
	while (pos < n) {
		size_t end = pos + cand_len[c];

		if ((reach[end / 64] >> (end % 64) & 1) &&
		    (k == 0 || (mode == MERGE_EARLY
		                ? remembered(t, bt, p, pos, stack[k - 1], room[k - 1],
		                             cand[c], cand_len[c], s->early_pairs,
		                             PA_EARLY_PAIRS_BITS, NULL)
		                : neighbours(t, bt, s, p, pos, stack[k - 1], room[k - 1],
		                             cand[c], cand_len[c])))) {
			start[k] = (uint32_t)pos;
			room[k] = longest - cand_len[c];
			stack[k++] = cand[c];
			pos = end;
			if (pos < n) {
				n_cand = memo && pos < memo_end
				         ? prefix_tokens_memo(t, bt, s, &memo_end, p + pos, n - pos, cand, cand_len)
				         : prefix_tokens(t, bt, p + pos, n - pos, cand, cand_len);
				if (n_cand == 0)
					return PA_BACKTRACK_FAILED;
				c = n_cand - 1;
				longest = cand_len[c];
			}
		} else if (c > 0) {
			c--;
		} else {
			/* No token fits after stack[k - 1]: then no encoding
			 * has a boundary at pos, since the tokens before it are
			 * the only ones that can be.  Step back and go on with
			 * the token just dropped, whose end now fails. */
			size_t dropped;

			if (k == 0)
				return PA_BACKTRACK_FAILED; /* damaged tables */
			reach[pos / 64] &= ~(1ull << (pos % 64));
			dropped = pos - start[--k];
			pos = start[k];
			/* Only the tokens up to the one dropped are left to
			 * try (the longer ones failed next to the same token
			 * before, and ends only ever fail from then on): the
			 * walk stops there.  The longest is what room says. */
			longest = room[k] + (uint32_t)dropped;
			n_cand = memo && pos < memo_end
			         ? prefix_tokens_memo(t, bt, s, &memo_end, p + pos, dropped, cand, cand_len)
			         : prefix_tokens(t, bt, p + pos, dropped, cand, cand_len);
			c = n_cand - 1;
			if (n_cand == 0 || cand_len[c] != dropped)
				return PA_BACKTRACK_FAILED;
		}
	}
	rest_prefix_memo(s, k);
	if (ids)
		memcpy(ids, stack, k * sizeof(uint32_t));
	return k;
}

/* The three, each a function of its own, so that the code of one does
 * not change how the compiler keeps the other's values in registers (one
 * function of two: random letters took 3% more instructions). */
static NOINLINE size_t merge_early(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                                   const unsigned char *p, size_t n,
                                   Pa_bpe_scratch *s, uint32_t *ids)
{
	return merge(t, bt, p, n, s, ids, MERGE_EARLY);
}

static NOINLINE size_t merge_plain(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                                   const unsigned char *p, size_t n,
                                   Pa_bpe_scratch *s, uint32_t *ids)
{
	return merge(t, bt, p, n, s, ids, MERGE_PAIRS);
}

static NOINLINE size_t merge_with_memo(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                                       const unsigned char *p, size_t n,
                                       Pa_bpe_scratch *s, uint32_t *ids)
{
	return merge(t, bt, p, n, s, ids, MERGE_PREFIXES);
}

/* The merge of p[0..n), with the memos once they are due, and the memo
 * of prefixes where it may pay. */
static size_t merge_any(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                        const unsigned char *p, size_t n,
                        Pa_bpe_scratch *s, uint32_t *ids)
{
	if (!s->pair_memo && !pa_memos_due(s->arena))
		return merge_early(t, bt, p, n, s, ids);
	if (s->prefix_off || n < 2 * PREFIX_BYTES || n > PREFIX_LONGEST_PIECE)
		return merge_plain(t, bt, p, n, s, ids);
	if (!s->prefix_memo) {
		/* The workspace's huge page (memoarena.h), else zeroed pages,
		 * mapped as the memo first touches them; aligned by hand, an
		 * entry to a cache line. */
		uintptr_t at;

		s->prefix_block = Pa_memo_arena_part(s->arena, PA_ARENA_PREFIXES);
		if (!s->prefix_block)
			s->prefix_block = Pa_xcalloc(1, (sizeof(Pa_prefix_entry) << PREFIX_MEMO_BITS) + 63);
		at = ((uintptr_t)s->prefix_block + 63) & ~(uintptr_t)63;
		s->prefix_memo = (Pa_prefix_entry *)at;
	}
	return merge_with_memo(t, bt, p, n, s, ids);
}

/* A piece that repeats a unit of at most PERIOD_MOST bytes (a megabyte
 * of spaces or of zero bytes, an emoji over and over), PERIODIC_LEAST
 * bytes or more, is merged in blocks: a block of the first bytes (whole
 * units), and the rest.  The tokens of a block followed by a block, and
 * of a block followed by the rest, are chains in which every pair of
 * neighbours passes can_neighbour() (a block is an encoding, and so is
 * the rest, both of bytes that start with the piece's); if the two
 * junctions pass too, the blocks repeated and then the rest are such a
 * chain over the whole piece, and there is only one (backtrack.h): its
 * encoding.  A block shorter than the longest token of the run does not
 * pass (claude has a token of 1,024 spaces), so a block that fails is
 * tried again twice as long, up to PERIOD_BLOCK_MOST bytes.  Merged token
 * by token, a megabyte of spaces walked down the trie as far as that
 * longest token for each token, and took 2.4x English's time a byte. */
#define PERIOD_MOST 8
#define PERIOD_BLOCK 256
#define PERIOD_BLOCK_MOST 4096
#define PERIODIC_LEAST (4 * PERIOD_BLOCK)

/* The shortest period of p[0..n), up to PERIOD_MOST, or 0.  Text that is
 * not periodic differs from itself shifted within a few bytes, so the
 * comparisons end at once. */
static size_t period_of(const unsigned char *p, size_t n)
{
	size_t period;

	for (period = 1; period <= PERIOD_MOST && period < n; period++)
		if (memcmp(p, p + period, n - period) == 0)
			return period;
	return 0;
}

/* The tokens of p[0..n), which repeats units of `period` bytes, in blocks
 * of `block` bytes (whole units, n >= 2 * block), or PA_BACKTRACK_FAILED
 * when a junction does not pass. */
static size_t merge_blocks(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                           const unsigned char *p, size_t n, size_t block,
                           Pa_bpe_scratch *s, uint32_t *ids)
{
	/* The rest is a block or more, shorter than two: long enough that
	 * its first token is one a long piece starts with. */
	size_t blocks = n / block - 1, rest = n - blocks * block, k_block, k_rest, i;
	uint32_t first_block, last_block, first_rest;

	k_block = merge_any(t, bt, p, block, s, ids);
	if (k_block == PA_BACKTRACK_FAILED || k_block == 0)
		return PA_BACKTRACK_FAILED;
	/* The merge leaves its tokens in s->tok, ids or not. */
	first_block = s->tok[0];
	last_block = s->tok[k_block - 1];
	/* The rest is the piece's first `rest` bytes again (it starts at a
	 * whole number of units); its ids go where they end up. */
	k_rest = merge_any(t, bt, p, rest, s, ids ? ids + blocks * k_block : NULL);
	if (k_rest == PA_BACKTRACK_FAILED || k_rest == 0)
		return PA_BACKTRACK_FAILED;
	first_rest = s->tok[0];
	/* room: unknown, which only turns off a shortcut of the check. */
	if (!can_neighbour(t, bt, p, block, last_block, UINT32_MAX, first_block, 0) ||
	    !can_neighbour(t, bt, p, blocks * block, last_block, UINT32_MAX, first_rest, 0))
		return PA_BACKTRACK_FAILED;
	if (ids)
		for (i = 1; i < blocks; i++)
			memcpy(ids + i * k_block, ids, k_block * sizeof(uint32_t));
	return blocks * k_block + k_rest;
}

int Pa_bpe_merges_in_blocks(const unsigned char *p, size_t n)
{
	return n >= PERIODIC_LEAST && period_of(p, n) != 0;
}

/* The tokens of periodic p[0..n) (n >= PERIODIC_LEAST), as the comment
 * above says, or PA_BACKTRACK_FAILED when p is not periodic or no block
 * passes (then the piece is merged as any other). */
static size_t merge_periodic(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                             const unsigned char *p, size_t n,
                             Pa_bpe_scratch *s, uint32_t *ids)
{
	size_t period = period_of(p, n), size, k;

	if (period == 0)
		return PA_BACKTRACK_FAILED;
	for (size = PERIOD_BLOCK; size <= PERIOD_BLOCK_MOST && 4 * size <= n; size *= 2) {
		k = merge_blocks(t, bt, p, n, size / period * period, s, ids);
		if (k != PA_BACKTRACK_FAILED)
			return k;
	}
	return PA_BACKTRACK_FAILED;
}

size_t Pa_bpe_merge_backtrack(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                              const unsigned char *p, size_t n,
                              Pa_bpe_scratch *s, uint32_t *ids)
{
	if (!bt || bt->n_states == 0)
		return PA_BACKTRACK_FAILED;
	if (n >= PERIODIC_LEAST) {
		size_t k = merge_periodic(t, bt, p, n, s, ids);

		if (k != PA_BACKTRACK_FAILED)
			return k;
	}
	return merge_any(t, bt, p, n, s, ids);
}
