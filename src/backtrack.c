/* backtrack.c - the linear-time merge and its tables (see backtrack.h). */
#include "backtrack.h"
#include "bpe.h" /* the scan, to find each token's merge */

#include <stdlib.h>
#include <string.h>

static uint32_t token_len(const pa_ranktable *t, uint32_t id)
{
	return t->offsets[id + 1] - t->offsets[id];
}

/* A pair table entry packs left, right and the token they make in 21
 * bits each, so an entry is 8 bytes and the table a quarter of what three
 * plain ids would take: it is probed at random, and fewer cache lines hit
 * more often.  The build leaves out vocabularies with more ids. */
#define ID_BITS 21
#define ID_MASK ((1u << ID_BITS) - 1)
#define NO_PAIR UINT64_MAX

static inline uint64_t pair_key(uint32_t left, uint32_t right)
{
	return (uint64_t)left | (uint64_t)right << ID_BITS;
}

/* A pair's hash picks its filter word (low bits), the two bits it sets in
 * that word (bits 32-43) and its first slot in the table (high bits).
 * Two bits in one word make the filter about twice as selective as one
 * bit for the same size, at one cache line a test. */
static inline uint64_t pair_hash(uint64_t key)
{
	uint64_t h = key * 0x9E3779B97F4A7C15ull;
	return h ^ h >> 29;
}

static inline uint64_t filter_bits(uint64_t h)
{
	return 1ull << (h >> 32 & 63) | 1ull << (h >> 38 & 63);
}

static inline uint32_t first_slot(uint64_t h, uint32_t mask)
{
	return (uint32_t)(h >> 44 | h << 20) & mask;
}

/* ---- building the tables ---- */

/* Finds each token's split by merging its bytes alone and noting where
 * the last merge joined.  Returns how many tokens are merges, or -1 when
 * some token is not the encoding of its own bytes or is made from a token
 * ranked after it: the left-to-right search relies on both. */
static long find_splits(const pa_ranktable *t, uint32_t *split)
{
	pa_bpe_scratch s;
	uint32_t id, *ids = NULL;
	size_t ids_cap = 0;
	long merged = 0;

	memset(&s, 0, sizeof(s));
	for (id = 0; id < t->n_ids; id++) {
		const unsigned char *bytes = t->bytes + t->offsets[id];
		size_t len = token_len(t, id), join;
		uint32_t left, right;

		split[2 * id] = split[2 * id + 1] = id;
		if (len <= 1)
			continue;
		if (len > ids_cap) {
			ids_cap = len;
			ids = pa_xrealloc(ids, ids_cap * sizeof(uint32_t));
		}
		if (pa_bpe_merge_scan(t, bytes, len, &s, ids, &join) != 1 || ids[0] != id)
			goto unsuitable;
		left = pa_ranktable_find(t, bytes, join);
		right = pa_ranktable_find(t, bytes + join, len - join);
		if (left >= id || right >= id)
			goto unsuitable;
		split[2 * id] = left;
		split[2 * id + 1] = right;
		merged++;
	}
	free(ids);
	pa_bpe_scratch_release(&s);
	return merged;

unsuitable:
	free(ids);
	pa_bpe_scratch_release(&s);
	return -1;
}

static const pa_ranktable *sort_table; /* qsort has no context argument */

static int by_bytes(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint32_t lx = token_len(sort_table, x), ly = token_len(sort_table, y);
	int c = memcmp(sort_table->bytes + sort_table->offsets[x],
	               sort_table->bytes + sort_table->offsets[y], lx < ly ? lx : ly);
	return c ? c : (lx > ly) - (lx < ly);
}

/* One trie node still to be filled: the sorted tokens [lo, hi) all start
 * with the node's depth bytes. */
struct pending {
	uint32_t lo, hi, depth;
};

/* Builds the trie breadth first from the tokens sorted by their bytes, so
 * that each node's children get consecutive numbers in label order. */
static void build_trie(const pa_ranktable *t, pa_backtrack_tables *bt)
{
	uint32_t *order = pa_xmalloc((size_t)t->n_ids * sizeof(uint32_t));
	uint32_t n_tokens = 0, id, v, n_nodes = 1;
	/* A node is a distinct token prefix: at most one per token byte,
	 * plus the root. */
	size_t max_nodes = (size_t)t->n_bytes + 1;
	struct pending *queue = pa_xmalloc(max_nodes * sizeof(*queue));

	for (id = 0; id < t->n_ids; id++)
		if (token_len(t, id) > 0)
			order[n_tokens++] = id;
	sort_table = t;
	qsort(order, n_tokens, sizeof(uint32_t), by_bytes);
	sort_table = NULL;

	bt->node = pa_xmalloc(2 * (max_nodes + 1) * sizeof(uint32_t));
	bt->label = pa_xcalloc(max_nodes, 1);
	queue[0].lo = 0;
	queue[0].hi = n_tokens;
	queue[0].depth = 0;
	for (v = 0; v < n_nodes; v++) {
		uint32_t lo = queue[v].lo, hi = queue[v].hi, depth = queue[v].depth;
		uint32_t token = PA_RANK_NONE;

		/* The token equal to the prefix, if any, sorts first. */
		if (lo < hi && token_len(t, order[lo]) == depth)
			token = order[lo++];
		bt->node[2 * v] = n_nodes;
		bt->node[2 * v + 1] = token;
		while (lo < hi) {
			unsigned char c = t->bytes[t->offsets[order[lo]] + depth];
			uint32_t end = lo + 1;

			while (end < hi && t->bytes[t->offsets[order[end]] + depth] == c)
				end++;
			queue[n_nodes].lo = lo;
			queue[n_nodes].hi = end;
			queue[n_nodes].depth = depth + 1;
			bt->label[n_nodes] = c;
			n_nodes++;
			lo = end;
		}
	}
	bt->node[2 * n_nodes] = n_nodes;
	bt->node[2 * n_nodes + 1] = PA_RANK_NONE;
	bt->n_nodes = n_nodes;
	free(queue);
	free(order);
}

/* The child of node v along byte c, or PA_RANK_NONE.  The search halves
 * the children with a conditional move instead of a branch: which half
 * holds c is random, and a mispredicted branch would cost more than the
 * search.  The bounds checks keep a damaged table file from sending reads
 * astray. */
static inline uint32_t trie_child(const pa_ranktable *t, uint32_t v, unsigned char c)
{
	uint32_t lo = t->node[2 * v], hi = t->node[2 * v + 2], n;
	const unsigned char *base;

	if (hi > t->n_nodes || lo >= hi)
		return PA_RANK_NONE;
	n = hi - lo;
	if (n == 256) /* every byte: the root, at least */
		return lo + c;
	base = t->label + lo;
	while (n > 1) {
		uint32_t half = n / 2;
		base = base[half] <= c ? base + half : base;
		n -= half;
	}
	return *base == c ? lo + (uint32_t)(base - (t->label + lo)) : PA_RANK_NONE;
}

/* The tokens that p[0..n) starts with, shortest first: their ids in
 * tok[] and lengths in len[] (room for n each).  Returns how many.  The
 * first two bytes take one lookup in the two-byte table; most tokens of a
 * long piece are that short. */
static size_t prefix_tokens(const pa_ranktable *t, const unsigned char *p,
                            size_t n, uint32_t *tok, uint32_t *len)
{
	const uint32_t *two;
	uint32_t v;
	size_t i, k = 1;

	tok[0] = t->byte_rank[p[0]];
	len[0] = 1;
	if (n < 2)
		return 1;
	two = t->two_byte + 2 * ((size_t)p[0] << 8 | p[1]);
	if (two[1] < t->n_ids) {
		tok[k] = two[1];
		len[k++] = 2;
	}
	v = two[0];
	for (i = 2; i < n && v < t->n_nodes; i++) {
		uint32_t id;

		v = trie_child(t, v, p[i]);
		if (v == PA_RANK_NONE)
			break;
		id = t->node[2 * v + 1];
		/* Written always, kept when a token ends here: no branch. */
		tok[k] = id;
		len[k] = (uint32_t)i + 1;
		k += id < t->n_ids;
	}
	return k;
}

/* Walks the two levels of the trie below the root for every two-byte
 * string once, so the merge never has to. */
static void build_two_byte(const pa_ranktable *t, pa_backtrack_tables *bt)
{
	pa_ranktable view = *t;
	unsigned a, b;

	view.node = bt->node;
	view.label = bt->label;
	view.n_nodes = bt->n_nodes;
	bt->two_byte = pa_xmalloc(2 * 65536 * sizeof(uint32_t));
	for (a = 0; a < 256; a++) {
		uint32_t first = trie_child(&view, 0, (unsigned char)a);
		for (b = 0; b < 256; b++) {
			uint32_t *e = bt->two_byte + 2 * (a << 8 | b);
			uint32_t v = first == PA_RANK_NONE ? PA_RANK_NONE
			                                   : trie_child(&view, first, (unsigned char)b);
			e[0] = v;
			e[1] = v == PA_RANK_NONE ? PA_RANK_NONE : bt->node[2 * v + 1];
		}
	}
}

void pa_backtrack_build(const pa_ranktable *t, pa_backtrack_tables *out)
{
	uint32_t id;
	long merged;
	int b;

	memset(out, 0, sizeof(*out));
	if (t->n_ids > ID_MASK) /* too many for the packed tables */
		return;
	for (b = 0; b < 256; b++)
		if (t->byte_rank[b] == PA_RANK_NONE)
			return;
	out->split = pa_xmalloc(2 * (size_t)t->n_ids * sizeof(uint32_t));
	merged = find_splits(t, out->split);
	if (merged < 0) {
		pa_backtrack_tables_release(out);
		return;
	}
	build_trie(t, out);
	build_two_byte(t, out);

	/* About eight filter bits a pair, the table at most half full. */
	out->filter_words = 1;
	while (64 * (uint64_t)out->filter_words < 8 * (uint64_t)merged)
		out->filter_words *= 2;
	out->pair_filter = pa_xcalloc(out->filter_words, sizeof(uint64_t));
	out->pair_slots = 64;
	while (out->pair_slots < 2 * (uint64_t)merged)
		out->pair_slots *= 2;
	out->pairs = pa_xmalloc((size_t)out->pair_slots * sizeof(uint64_t));
	memset(out->pairs, 0xFF, (size_t)out->pair_slots * sizeof(uint64_t));
	for (id = 0; id < t->n_ids; id++) {
		uint32_t left = out->split[2 * id], right = out->split[2 * id + 1], slot;
		uint64_t key = pair_key(left, right), h = pair_hash(key);

		if (left == id)
			continue;
		out->pair_filter[h & (out->filter_words - 1)] |= filter_bits(h);
		slot = first_slot(h, out->pair_slots - 1);
		while (out->pairs[slot] != NO_PAIR)
			slot = (slot + 1) & (out->pair_slots - 1);
		out->pairs[slot] = key | (uint64_t)id << (2 * ID_BITS);
	}
}

void pa_backtrack_tables_release(pa_backtrack_tables *bt)
{
	free(bt->split);
	free(bt->node);
	free(bt->label);
	free(bt->pair_filter);
	free(bt->pairs);
	free(bt->two_byte);
	memset(bt, 0, sizeof(*bt));
}

/* ---- the merge ---- */

/* The token that merging left and right makes, or PA_RANK_NONE. */
static inline uint32_t pair_merge(const pa_ranktable *t, uint32_t left, uint32_t right)
{
	uint64_t key = pair_key(left, right), h = pair_hash(key), bits = filter_bits(h);
	uint32_t slot, n;

	if ((t->pair_filter[h & t->filter_mask] & bits) != bits)
		return PA_RANK_NONE;
	slot = first_slot(h, t->pair_mask);
	/* At most every slot once: a damaged table may have no free one. */
	for (n = 0; n <= t->pair_mask; n++) {
		uint64_t e = t->pairs[slot];
		if ((e & ((1ull << (2 * ID_BITS)) - 1)) == key)
			return (uint32_t)(e >> (2 * ID_BITS)) & ID_MASK;
		if (e == NO_PAIR)
			return PA_RANK_NONE;
		slot = (slot + 1) & t->pair_mask;
	}
	return PA_RANK_NONE;
}

/* Could BPE leave token a next to token b, which starts at p + at?
 * Undoes the merges facing the boundary, the most recent first.  limit is
 * the rank of the merge last undone: a merge across the boundary ranked
 * below it would have happened first, so a pair that makes one rules a and
 * b out.  On a tie in rank BPE merges the leftmost pair, which is what the
 * + 1 on the right side accounts for.  Ranks only fall as merges are
 * undone (the build checked that parts rank below the whole), so the loop
 * ends.
 *
 * Two shortcuts spare most lookups.  While a is whole, a merge across the
 * boundary would be a token that starts where a does and ends more than
 * len(a) bytes on; `room` says how far past the boundary the longest token
 * there reaches, and len_b how long b is.  And the two bytes at the
 * boundary make their token, if any, by a lookup in the two-byte table. */
static inline int can_neighbour(const pa_ranktable *t, const unsigned char *p,
                                size_t at, uint32_t a, uint32_t room, uint32_t b,
                                uint32_t len_b)
{
	uint32_t limit = UINT32_MAX, whole_a = a, whole_b = b;

	for (;;) {
		uint32_t merged;

		if (a == whole_a && (room == 0 || (b == whole_b && len_b > room)))
			merged = PA_RANK_NONE;
		else if (a == t->byte_rank[p[at - 1]] && b == t->byte_rank[p[at]])
			merged = t->two_byte[2 * ((size_t)p[at - 1] << 8 | p[at]) + 1];
		else
			merged = pair_merge(t, a, b);
		if (merged < limit)
			return 0;
		if (a > b) {
			uint32_t right = t->split[2 * a + 1];
			if (right > a)
				return 0; /* damaged table; the caller copes */
			if (right == a) { /* a is one byte: undo b's merge */
				uint32_t left = t->split[2 * b];
				if (left >= b)
					return left == b;
				limit = b + 1;
				b = left;
			} else {
				limit = a;
				a = right;
			}
		} else {
			uint32_t left = t->split[2 * b];
			if (left > b)
				return 0;
			if (left == b) { /* b is one byte: undo a's merge */
				uint32_t right = t->split[2 * a + 1];
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

static void reserve_reach(pa_bpe_scratch *s, size_t words)
{
	if (words <= s->reach_cap)
		return;
	s->reach_cap = words > 2 * s->reach_cap ? words : 2 * s->reach_cap;
	s->reach = pa_xrealloc(s->reach, s->reach_cap * sizeof(uint64_t));
}

size_t pa_bpe_merge_backtrack(const pa_ranktable *t, const unsigned char *p,
                              size_t n, pa_bpe_scratch *s, uint32_t *ids)
{
	/* stack[] holds the tokens so far, start[] where each begins and
	 * room[] how much further the longest token there reaches; cand[]
	 * and cand_len[] the tokens that match at pos, tried from the
	 * longest (index c) down. */
	uint32_t *stack, *start, *room, *cand, *cand_len;
	uint64_t *reach;
	size_t words = (n + 1) / 64 + 1, k = 0, pos = 0, n_cand, c;

	if (t->n_nodes == 0)
		return PA_BACKTRACK_FAILED;
	pa_bpe_scratch_reserve(s, n);
	reserve_reach(s, words);
	stack = s->tok;
	start = s->pos;
	room = s->prev;
	cand = s->rank;
	cand_len = s->next;
	reach = s->reach;
	memset(reach, 0xFF, words * sizeof(uint64_t));

	n_cand = prefix_tokens(t, p, n, cand, cand_len);
	if (n_cand == 0)
		goto damaged;
	c = n_cand - 1;
	while (pos < n) {
		size_t end = pos + cand_len[c];

		if ((reach[end / 64] >> (end % 64) & 1) &&
		    (k == 0 || can_neighbour(t, p, pos, stack[k - 1], room[k - 1],
		                             cand[c], cand_len[c]))) {
			start[k] = (uint32_t)pos;
			room[k] = cand_len[n_cand - 1] - cand_len[c];
			stack[k++] = cand[c];
			pos = end;
			if (pos < n) {
				n_cand = prefix_tokens(t, p + pos, n - pos, cand, cand_len);
				if (n_cand == 0)
					goto damaged;
				c = n_cand - 1;
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
				goto damaged;
			reach[pos / 64] &= ~(1ull << (pos % 64));
			dropped = pos - start[--k];
			pos = start[k];
			n_cand = prefix_tokens(t, p + pos, n - pos, cand, cand_len);
			for (c = 0; c < n_cand && cand_len[c] != dropped; c++)
				;
			if (c == n_cand)
				goto damaged;
		}
	}
	if (ids)
		memcpy(ids, stack, k * sizeof(uint32_t));
	return k;

damaged:
	return PA_BACKTRACK_FAILED;
}
