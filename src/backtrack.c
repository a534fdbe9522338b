/* backtrack.c - the linear-time merge (see backtrack.h). */
#include "backtrack.h"

#include <stdlib.h>
#include <string.h>

/* The bits set in x. */
static inline unsigned popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* The child along byte c of node v, whose children are not listed in it
 * (prefix_tokens() reads those itself), or PA_RANK_NONE: the many
 * children of a node in a UTF-8 character or a word take a bitmap and a
 * count of its bits, not a search.  The bounds checks keep a damaged
 * table file from sending reads astray. */
static inline uint32_t trie_child(const pa_backtrack_tables *bt, uint32_t v,
                                  unsigned char c)
{
	const pa_trie_node *node = bt->node + v;
	uint32_t first = node->first_n & 0xFFFFFFu, n = node->first_n >> 24;
	uint32_t how = node->token >> 24, i;

	if (first > bt->n_nodes || n > bt->n_nodes - first)
		return PA_RANK_NONE;
	if (how >= PA_TRIE_BITMAP) {
		uint64_t bits;
		unsigned d = (unsigned)c - 64 * (how - PA_TRIE_BITMAP);

		memcpy(&bits, node->labels, 8);
		if (d >= 64 || !(bits >> d & 1))
			return PA_RANK_NONE;
		i = popcount64(bits & ((1ull << d) - 1));
		return i < n ? first + i : PA_RANK_NONE;
	}
	{
		/* Halves the children with a conditional move instead of a
		 * branch: which half holds c is random. */
		const unsigned char *labels = bt->label + first, *base = labels;

		if (n == 0)
			return PA_RANK_NONE;
		while (n > 1) {
			uint32_t half = n / 2;
			base = base[half] <= c ? base + half : base;
			n -= half;
		}
		return *base == c ? first + (uint32_t)(base - labels) : PA_RANK_NONE;
	}
}

/* The child of a node whose children's labels are in the node (n <= 8
 * of them, sorted, in labels), along byte c: its index among them, or -1.
 * On a little-endian machine all eight labels are compared at once: a
 * byte of labels ^ c is zero where a label is c, and the lowest zero byte
 * is found exactly (a borrow only runs upward, from a zero byte). */
static inline int label_index(const unsigned char labels[8], uint32_t n,
                              unsigned char c)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* The bytes of the n labels; the bytes after them are padding. */
	static const uint64_t first_bytes[9] = {
		0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFFull, 0xFFFFFFFFFFull,
		0xFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFull, ~0ull
	};
	const uint64_t ones = 0x0101010101010101ull;
	uint64_t w, x, zero;

	memcpy(&w, labels, 8);
	x = w ^ ones * c;
	zero = (x - ones) & ~x & ones << 7 & first_bytes[n < 8 ? n : 8];
	return zero ? (int)(__builtin_ctzll(zero) / 8) : -1;
#else
	uint32_t i;

	for (i = 0; i < n && i < 8 && labels[i] < c; i++)
		;
	return i < n && i < 8 && labels[i] == c ? (int)i : -1;
#endif
}

/* The tokens that p[0..n) starts with, shortest first: their ids in
 * tok[] and lengths in len[] (room for n each).  Returns how many.  The
 * first two bytes take one lookup in the two-byte table; most tokens of a
 * long piece are that short.  Below them, most nodes keep their
 * children's labels (a chain of single children, a word's, or the few
 * bytes that may follow a UTF-8 lead byte), and a step is a load and a
 * compare of eight labels at once; cachegrind counted 54 instructions a
 * step on Thai before, most of them tests of which kind of node it was. */
static size_t prefix_tokens(const pa_ranktable *t, const pa_backtrack_tables *bt,
                            const unsigned char *p, size_t n, uint32_t *tok,
                            uint32_t *len)
{
	const pa_trie_node *nodes = bt->node;
	const uint32_t n_nodes = bt->n_nodes, n_ids = t->n_ids;
	const uint32_t *two;
	uint32_t v;
	size_t i, k = 1;

	tok[0] = t->byte_rank[p[0]];
	len[0] = 1;
	if (n < 2)
		return 1;
	two = bt->two_byte + 2 * ((size_t)p[0] << 8 | p[1]);
	if (two[1] < n_ids) {
		tok[k] = two[1];
		len[k++] = 2;
	}
	v = two[0];
	/* v < n_nodes before every read of a node: a damaged table cannot
	 * send the walk astray, and i bounds it. */
	for (i = 2; i < n && v < n_nodes; i++) {
		const pa_trie_node *node = nodes + v;
		uint32_t first_n = node->first_n, id;

		if (node->token >> 24 == PA_TRIE_LABELS) {
			/* Most often one child, whose label is here. */
			int c = first_n >> 24 == 1 ? (node->labels[0] == p[i] ? 0 : -1)
			                           : label_index(node->labels, first_n >> 24, p[i]);
			if (c < 0)
				break;
			v = (first_n & 0xFFFFFFu) + (uint32_t)c;
		} else {
			v = trie_child(bt, v, p[i]);
		}
		if (v >= n_nodes)
			break;
		id = nodes[v].token & PA_TRIE_NONE;
		/* Written always, kept when a token ends here: no branch. */
		tok[k] = id;
		len[k] = (uint32_t)i + 1;
		k += id < n_ids;
	}
	return k;
}

/* The token that merging left and right makes, or PA_RANK_NONE. */
static inline uint32_t pair_merge(const pa_backtrack_tables *bt, uint32_t left,
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
#if defined(__GNUC__)
#define ALWAYS_INLINE __attribute__((always_inline))
#else
#define ALWAYS_INLINE
#endif

/* Inlined into the merge: a call costs as much as a check that the
 * memo answers. */
static inline ALWAYS_INLINE int can_neighbour(const pa_ranktable *t, const pa_backtrack_tables *bt,
                                const unsigned char *p, size_t at, uint32_t a,
                                uint32_t room, uint32_t b, uint32_t len_b)
{
	uint32_t limit = UINT32_MAX, whole_a = a, whole_b = b;

	for (;;) {
		uint32_t merged;

		if (a == whole_a && (room == 0 || (b == whole_b && len_b > room)))
			merged = PA_RANK_NONE;
		else if (a == t->byte_rank[p[at - 1]] && b == t->byte_rank[p[at]])
			merged = bt->two_byte[2 * ((size_t)p[at - 1] << 8 | p[at]) + 1];
		else
			merged = pair_merge(bt, a, b);
		if (merged < limit)
			return 0;
		if (a > b) {
			uint32_t right = bt->split[2 * a + 1];
			if (right > a)
				return 0; /* damaged table; the caller copes */
			if (right == a) { /* a is one byte: undo b's merge */
				uint32_t left = bt->split[2 * b];
				if (left >= b)
					return left == b;
				limit = b + 1;
				b = left;
			} else {
				limit = a;
				a = right;
			}
		} else {
			uint32_t left = bt->split[2 * b];
			if (left > b)
				return 0;
			if (left == b) { /* b is one byte: undo a's merge */
				uint32_t right = bt->split[2 * a + 1];
				if (right >= a)
					return right == a;
				limit = a;
				a = right;
			} else {
				limit = b + 1;
				b = left;
			}
		}
	}
}

/* The memo is judged over windows of this many checks: one in which
 * fewer than a quarter hit leaves it unused for MEMO_REST windows, then it
 * is tried again (a text may go on in another language). */
#define MEMO_WINDOW 4096
#define MEMO_REST 8

_Static_assert(PA_PAIR_MEMO == 1u << PA_PAIR_MEMO_BITS, "a slot per low bit pattern");
_Static_assert(2 * PA_PAIR_ID_BITS - PA_PAIR_MEMO_BITS + 2 <= 32,
               "tag, mark and answer fit an entry");

/* can_neighbour(), remembered: the answer depends on a and b alone (the
 * shortcuts only skip lookups whose answer they know), and a text has
 * fewer pairs than positions, so most come from the memo, without the
 * cache misses of the pair table and the splits.  An entry is the tag
 * (pa_pair_memo_mix()), then a bit that marks it used, then the answer:
 * four bytes, half the memory of a plain key for as many pairs, which
 * keeps the memo a lookup nearer the core. */
static inline int neighbours(const pa_ranktable *t, const pa_backtrack_tables *bt,
                             pa_bpe_scratch *s, const unsigned char *p, size_t at,
                             uint32_t a, uint32_t room, uint32_t b, uint32_t len_b)
{
	uint64_t x;
	uint32_t want, *e;
	int ok;

	if (++s->memo_checks == MEMO_WINDOW) {
		if (s->memo_off > 0)
			s->memo_off--;
		else if (s->memo_hits < MEMO_WINDOW / 4)
			s->memo_off = MEMO_REST;
		s->memo_checks = s->memo_hits = 0;
	}
	if (s->memo_off)
		return can_neighbour(t, bt, p, at, a, room, b, len_b);
	x = pa_pair_memo_mix(a, b);
	e = s->pair_memo + (x & (PA_PAIR_MEMO - 1));
	want = (uint32_t)(x >> PA_PAIR_MEMO_BITS) << 2 | 2u;
	if ((*e & ~1u) == want) {
		s->memo_hits++;
		return (int)(*e & 1);
	}
	ok = can_neighbour(t, bt, p, at, a, room, b, len_b);
	*e = want | (uint32_t)ok;
	return ok;
}

static void reserve_reach(pa_bpe_scratch *s, size_t words)
{
	if (words <= s->reach_cap)
		return;
	s->reach_cap = words > 2 * s->reach_cap ? words : 2 * s->reach_cap;
	s->reach = pa_xrealloc(s->reach, s->reach_cap * sizeof(uint64_t));
}

size_t pa_bpe_merge_backtrack(const pa_ranktable *t, const pa_backtrack_tables *bt,
                              const unsigned char *p, size_t n,
                              pa_bpe_scratch *s, uint32_t *ids)
{
	/* stack[] holds the tokens so far, start[] where each begins and
	 * room[] how much further the longest token there reaches; cand[]
	 * and cand_len[] the tokens that match at pos, tried from the
	 * longest (index c) down. */
	uint32_t *stack, *start, *room, *cand, *cand_len;
	uint32_t longest; /* how far the longest token at pos reaches */
	uint64_t *reach;
	size_t words = (n + 1) / 64 + 1, k = 0, pos = 0, n_cand, c;

	if (!bt || bt->n_nodes == 0)
		return PA_BACKTRACK_FAILED;
	pa_bpe_scratch_reserve(s, n);
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
	if (!s->pair_memo)
		s->pair_memo = pa_xcalloc(PA_PAIR_MEMO, sizeof(uint32_t));

	n_cand = prefix_tokens(t, bt, p, n, cand, cand_len);
	if (n_cand == 0)
		return PA_BACKTRACK_FAILED;
	c = n_cand - 1;
	longest = cand_len[c];
	while (pos < n) {
		size_t end = pos + cand_len[c];

		if ((reach[end / 64] >> (end % 64) & 1) &&
		    (k == 0 || neighbours(t, bt, s, p, pos, stack[k - 1],
		                          room[k - 1], cand[c], cand_len[c]))) {
			start[k] = (uint32_t)pos;
			room[k] = longest - cand_len[c];
			stack[k++] = cand[c];
			pos = end;
			if (pos < n) {
				n_cand = prefix_tokens(t, bt, p + pos, n - pos, cand, cand_len);
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
			n_cand = prefix_tokens(t, bt, p + pos, dropped, cand, cand_len);
			c = n_cand - 1;
			if (n_cand == 0 || cand_len[c] != dropped)
				return PA_BACKTRACK_FAILED;
		}
	}
	if (ids)
		memcpy(ids, stack, k * sizeof(uint32_t));
	return k;
}
