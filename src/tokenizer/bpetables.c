/* bpetables.c - deriving the backtracking merge's tables from the ranks,
 * and finding them in a rank table's section (see bpetables.h). */
#include "bpetables.h"
#include "bpe.h" /* the scan, which tells each token's last merge */
#include "cuts.h"

#include <stdlib.h>
#include <string.h>

/* The section's own format, in its fourth header word.  Change it with
 * the layout below; a table with another one is rebuilt, not misread. */
#define SECTION_FORMAT 3

/* The tables as the derivation makes them, each array malloc'ed. */
struct derived {
	uint32_t *split, *two_byte;
	uint64_t *state;
	uint64_t *pairs, *pair_filter;
	uint32_t n_states, filter_words, pair_slots;
};

static void derived_release(struct derived *d)
{
	free(d->split);
	free(d->state);
	free(d->two_byte);
	free(d->pairs);
	free(d->pair_filter);
	memset(d, 0, sizeof(*d));
}

static uint32_t token_len(const Pa_ranktable *t, uint32_t id)
{
	return t->offsets[id + 1] - t->offsets[id];
}

/* Finds each token's split by merging its bytes alone and noting where
 * the last merge joined.  Returns how many tokens are merges, or -1 when
 * some token is not the encoding of its own bytes or is made from a token
 * ranked after it: the left-to-right search relies on both. */
static long find_splits(const Pa_ranktable *t, uint32_t *split)
{
	Pa_bpe_scratch s;
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
			ids = Pa_xrealloc(ids, ids_cap * sizeof(uint32_t));
		}
		if (Pa_bpe_merge_scan(t, bytes, len, &s, ids, &join) != 1 || ids[0] != id)
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
	Pa_bpe_scratch_release(&s);
	return merged;

unsuitable:
	free(ids);
	Pa_bpe_scratch_release(&s);
	return -1;
}

static const Pa_ranktable *sort_table; /* qsort has no context argument */

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

/* The trie as it is built, breadth first: node v's children are
 * first[v] .. first[v + 1], in label order. */
struct bfs_trie {
	uint32_t *first, *token;
	unsigned char *label;
	uint32_t n_nodes;
};

/* Builds the trie breadth first from the tokens sorted by their bytes, so
 * that each node's children get consecutive numbers in label order. */
static void build_bfs_trie(const Pa_ranktable *t, struct bfs_trie *b)
{
	uint32_t *order = Pa_xmalloc((size_t)t->n_ids * sizeof(uint32_t));
	uint32_t n_tokens = 0, id, v, n_nodes = 1;
	/* A node is a distinct token prefix: at most one per token byte,
	 * plus the root. */
	size_t max_nodes = (size_t)t->n_bytes + 1;
	struct pending *queue = Pa_xmalloc(max_nodes * sizeof(*queue));

	for (id = 0; id < t->n_ids; id++)
		if (token_len(t, id) > 0)
			order[n_tokens++] = id;
	sort_table = t;
	qsort(order, n_tokens, sizeof(uint32_t), by_bytes);
	sort_table = NULL;

	b->first = Pa_xmalloc((max_nodes + 1) * sizeof(uint32_t));
	b->token = Pa_xmalloc(max_nodes * sizeof(uint32_t));
	b->label = Pa_xcalloc(max_nodes, 1);
	queue[0].lo = 0;
	queue[0].hi = n_tokens;
	queue[0].depth = 0;
	for (v = 0; v < n_nodes; v++) {
		uint32_t lo = queue[v].lo, hi = queue[v].hi, depth = queue[v].depth;
		uint32_t token = PA_RANK_NONE;

		/* The token equal to the prefix, if any, sorts first. */
		if (lo < hi && token_len(t, order[lo]) == depth)
			token = order[lo++];
		b->first[v] = n_nodes;
		b->token[v] = token;
		while (lo < hi) {
			unsigned char c = t->bytes[t->offsets[order[lo]] + depth];
			uint32_t end = lo + 1;

			while (end < hi && t->bytes[t->offsets[order[end]] + depth] == c)
				end++;
			queue[n_nodes].lo = lo;
			queue[n_nodes].hi = end;
			queue[n_nodes].depth = depth + 1;
			b->label[n_nodes] = c;
			n_nodes++;
			lo = end;
		}
	}
	b->first[n_nodes] = n_nodes;
	b->n_nodes = n_nodes;
	free(queue);
	free(order);
}

/* The double array as it is filled: taken marks the states placed (and
 * the block of the base 0, kept empty for the leaves), used the bases
 * given.  Slots from `top` on are all free; `low` is the lowest free. */
struct placing {
	uint64_t *state, *taken, *used;
	uint32_t cap, top, low;
};

/* How far below top a group of children may still go: the lower, the
 * denser the array; the higher, the further apart the states of a walk.
 * 4,096 states are 32 KB. */
#define PLACE_WINDOW 4096u

static int is_set(const uint64_t *bits, uint32_t i)
{
	return (int)(bits[i / 64] >> (i % 64) & 1);
}

/* Room for the states [0, end) (rounded up to a block); 0 when end
 * passes what a base can name. */
static int place_room(struct placing *pl, uint64_t end)
{
	uint32_t cap = pl->cap;

	if (end > PA_TRIE_MOST_STATES)
		return 0;
	if (end <= cap)
		return 1;
	while (cap < end)
		cap = cap ? 2 * cap : 65536;
	pl->state = Pa_xrealloc(pl->state, (size_t)cap * sizeof(uint64_t));
	pl->taken = Pa_xrealloc(pl->taken, (size_t)cap / 8);
	pl->used = Pa_xrealloc(pl->used, (size_t)cap / 8);
	memset(pl->state + pl->cap, 0, (size_t)(cap - pl->cap) * sizeof(uint64_t));
	memset(pl->taken + pl->cap / 64, 0, (size_t)(cap - pl->cap) / 8);
	memset(pl->used + pl->cap / 64, 0, (size_t)(cap - pl->cap) / 8);
	pl->cap = cap;
	return 1;
}

/* The first free slot from i on (there is one at top). */
static uint32_t next_free(const struct placing *pl, uint32_t i)
{
	while (i < pl->top) {
		uint64_t w = ~pl->taken[i / 64] >> (i % 64);

		if (w) {
			i += (uint32_t)__builtin_ctzll(w);
			return i < pl->top ? i : pl->top;
		}
		i = (i / 64 + 1) * 64;
	}
	return i;
}

/* A base of its own for children with labels[0..n) (n >= 1, sorted),
 * every base ^ label free, as low as fits from PLACE_WINDOW below top;
 * or UINT32_MAX when the array would pass PA_TRIE_MOST_STATES.  Above
 * top every slot is free, and a block with none taken has no base used
 * (a base's children are in its block), so the search ends. */
static uint32_t find_base(struct placing *pl, const unsigned char *labels, uint32_t n)
{
	uint32_t from = pl->top > PLACE_WINDOW ? pl->top - PLACE_WINDOW : 0, i, j;

	if (from < pl->low)
		from = pl->low;
	for (i = next_free(pl, from);; i = next_free(pl, i + 1)) {
		uint32_t base = i ^ labels[0];

		if (!place_room(pl, (uint64_t)(base | 255) + 1))
			return UINT32_MAX;
		if (is_set(pl->used, base))
			continue;
		for (j = 1; j < n && !is_set(pl->taken, base ^ labels[j]); j++)
			;
		if (j == n)
			return base;
	}
}

static void take(struct placing *pl, uint32_t i)
{
	pl->taken[i / 64] |= 1ull << (i % 64);
	if (i >= pl->top)
		pl->top = i + 1;
}

/* Places the breadth-first trie b in a double array (backtrack.h), depth
 * first, and leaves in slot[v] where node v went; 0 when it does not fit
 * in PA_TRIE_MOST_STATES states. */
static int place_trie(const struct bfs_trie *b, struct placing *pl, uint32_t *slot)
{
	uint32_t *stack = Pa_xmalloc((size_t)b->n_nodes * sizeof(uint32_t));
	uint32_t n_stack = 0, v, i;
	int ok = 1;

	memset(pl, 0, sizeof(*pl));
	place_room(pl, 65536);
	/* The block of the base 0: no state, so no leaf has a child. */
	for (i = 0; i < 256; i++)
		take(pl, i);
	pl->used[0] |= 1;
	pl->low = 256;
	slot[0] = 256;
	take(pl, 256);
	stack[n_stack++] = 0;
	while (n_stack > 0 && ok) {
		uint32_t lo, hi, base;

		v = stack[--n_stack];
		lo = b->first[v];
		hi = b->first[v + 1];
		pl->state[slot[v]] = (uint64_t)(b->token[v] == PA_RANK_NONE ? PA_TRIE_NONE : b->token[v])
		                     << PA_TRIE_TOKEN_SHIFT |
		                     (uint64_t)(b->label[v] + 1u) << PA_TRIE_CHECK_SHIFT;
		if (lo == hi)
			continue;
		base = find_base(pl, b->label + lo, hi - lo);
		if (base == UINT32_MAX) {
			ok = 0;
			break;
		}
		pl->used[base / 64] |= 1ull << (base % 64);
		pl->state[slot[v]] |= base;
		for (i = lo; i < hi; i++) {
			slot[i] = base ^ b->label[i];
			take(pl, slot[i]);
		}
		pl->low = next_free(pl, pl->low);
		for (i = hi; i-- > lo;)
			stack[n_stack++] = i;
	}
	free(stack);
	return ok;
}

/* The trie of d as a double array, and the two-byte table that stands
 * for its first two levels.  Returns 0 when it does not fit. */
static int build_trie(const Pa_ranktable *t, struct derived *d)
{
	struct bfs_trie b;
	struct placing pl;
	uint32_t *slot, v, i, n_states = 256;
	int ok;

	build_bfs_trie(t, &b);
	slot = Pa_xmalloc((size_t)b.n_nodes * sizeof(uint32_t));
	ok = place_trie(&b, &pl, slot);
	if (ok) {
		while (n_states < pl.top)
			n_states *= 2;
		/* The states past top are free already: zeroed as room was
		 * made. */
		place_room(&pl, n_states);
		d->n_states = n_states;
		d->state = pl.state;
		pl.state = NULL;
		/* The two-byte table, from the nodes of two bytes. */
		d->two_byte = Pa_xmalloc(2 * 65536 * sizeof(uint32_t));
		memset(d->two_byte, 0xFF, 2 * 65536 * sizeof(uint32_t));
		for (v = b.first[0]; v < b.first[1]; v++) {
			for (i = b.first[v]; i < b.first[v + 1]; i++) {
				uint32_t *e = d->two_byte + 2 * ((uint32_t)b.label[v] << 8 | b.label[i]);
				e[0] = slot[i];
				e[1] = b.token[i];
			}
		}
	}
	free(pl.state);
	free(pl.taken);
	free(pl.used);
	free(slot);
	free(b.first);
	free(b.token);
	free(b.label);
	return ok;
}

/* Files every split of d in the pair table and its filter, sized for
 * `merged` of them: about eight filter bits a pair, the table at most
 * half full. */
static void build_pairs(const Pa_ranktable *t, struct derived *d, long merged)
{
	uint32_t id, mask;

	d->filter_words = 1;
	while (64 * (uint64_t)d->filter_words < 8 * (uint64_t)merged)
		d->filter_words *= 2;
	d->pair_filter = Pa_xcalloc(d->filter_words, sizeof(uint64_t));
	d->pair_slots = 64;
	while (d->pair_slots < 2 * (uint64_t)merged)
		d->pair_slots *= 2;
	mask = d->pair_slots - 1;
	d->pairs = Pa_xmalloc((size_t)d->pair_slots * sizeof(uint64_t));
	memset(d->pairs, 0xFF, (size_t)d->pair_slots * sizeof(uint64_t));
	for (id = 0; id < t->n_ids; id++) {
		uint32_t left = d->split[2 * id], right = d->split[2 * id + 1], slot;
		uint64_t key = pa_pair_key(left, right), h = pa_pair_hash(key);

		if (left == id)
			continue;
		d->pair_filter[h & (d->filter_words - 1)] |= pa_pair_filter_bits(h);
		slot = pa_pair_first_slot(h, mask);
		while (d->pairs[slot] != PA_PAIR_NONE)
			slot = (slot + 1) & mask;
		d->pairs[slot] = key | (uint64_t)id << (2 * PA_PAIR_ID_BITS);
	}
}

/* Derives the tables into d; returns 0, with d empty, for a vocabulary
 * the merge cannot serve. */
static int derive(const Pa_ranktable *t, struct derived *d)
{
	long merged;
	int b;

	memset(d, 0, sizeof(*d));
	if (t->n_ids > PA_PAIR_ID_MASK) /* too many for the packed tables */
		return 0;
	for (b = 0; b < 256; b++)
		if (t->byte_rank[b] == PA_RANK_NONE)
			return 0;
	d->split = Pa_xmalloc(2 * (size_t)t->n_ids * sizeof(uint32_t));
	merged = find_splits(t, d->split);
	if (merged < 0) {
		derived_release(d);
		return 0;
	}
	if (!build_trie(t, d)) {
		derived_release(d);
		return 0;
	}
	build_pairs(t, d, merged);
	return 1;
}

static size_t align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

/* Where each array starts in a section with these header words, for a
 * vocabulary of n_ids; all empty when head[0] (n_states) is 0. */
struct section_layout {
	size_t split, state, two_byte, pairs, filter, cuts, total;
};

static struct section_layout layout_of(const uint32_t head[PA_SECTION_WORDS],
                                       uint32_t n_ids)
{
	struct section_layout l;
	size_t n_states = head[0];
	size_t ids = n_states ? n_ids : 0;

	l.split = 0;
	l.state = align64(l.split + 2 * ids * sizeof(uint32_t));
	l.two_byte = l.state + n_states * sizeof(uint64_t);
	l.pairs = l.two_byte + (n_states ? 2 * 65536 * sizeof(uint32_t) : 0);
	l.filter = l.pairs + (size_t)head[2] * sizeof(uint64_t);
	l.cuts = l.filter + (size_t)head[1] * sizeof(uint64_t);
	l.total = l.cuts + (n_states ? PA_CUTS_BYTES : 0);
	return l;
}

void Pa_bpetables_derive(Pa_ranktable *t)
{
	struct derived d;
	uint32_t head[PA_SECTION_WORDS] = { 0, 0, 0, SECTION_FORMAT };
	struct section_layout l;
	unsigned char *base;

	if (!derive(t, &d)) {
		Pa_ranktable_set_section(t, head, 0);
		return;
	}
	head[0] = d.n_states;
	head[1] = d.filter_words;
	head[2] = d.pair_slots;
	l = layout_of(head, t->n_ids);
	base = Pa_ranktable_set_section(t, head, l.total);
	memcpy(base + l.split, d.split, 2 * (size_t)t->n_ids * sizeof(uint32_t));
	memcpy(base + l.state, d.state, (size_t)d.n_states * sizeof(uint64_t));
	memcpy(base + l.two_byte, d.two_byte, 2 * 65536 * sizeof(uint32_t));
	memcpy(base + l.pairs, d.pairs, (size_t)d.pair_slots * sizeof(uint64_t));
	memcpy(base + l.filter, d.pair_filter, (size_t)d.filter_words * sizeof(uint64_t));
	Pa_cuts_derive(t, base + l.cuts);
	derived_release(&d);
}

static int is_pow2_or_0(uint32_t n)
{
	return (n & (n - 1)) == 0;
}

pa_status Pa_bpetables_view(const Pa_ranktable *t, Pa_backtrack_tables *out)
{
	const uint32_t *head = t->section_head;
	const unsigned char *base = t->section;
	struct section_layout l;

	memset(out, 0, sizeof(*out));
	if (head[3] != SECTION_FORMAT ||
	    (head[0] != 0) != (head[1] != 0) || (head[0] != 0) != (head[2] != 0) ||
	    !is_pow2_or_0(head[0]) || !is_pow2_or_0(head[1]) || !is_pow2_or_0(head[2]) ||
	    (head[0] != 0 && head[0] < 256) || head[0] > PA_TRIE_MOST_STATES || head[1] > (1u << 25) || head[2] > (1u << 28))
		return PA_ERR_CHECKSUM;
	l = layout_of(head, t->n_ids);
	if (l.total != t->section_len)
		return PA_ERR_CHECKSUM;
	if (head[0] == 0)
		return PA_OK;
	out->split = (const uint32_t *)(const void *)(base + l.split);
	out->state = (const uint64_t *)(const void *)(base + l.state);
	out->two_byte = (const uint32_t *)(const void *)(base + l.two_byte);
	out->pairs = (const uint64_t *)(const void *)(base + l.pairs);
	out->pair_filter = (const uint64_t *)(const void *)(base + l.filter);
	out->n_states = head[0];
	out->pair_mask = head[2] - 1;
	out->filter_mask = head[1] - 1;
	return PA_OK;
}

int Pa_bpetables_bound(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                       Pa_section_bound *out)
{
	if (bt->n_states == 0)
		return 0;
	/* Every base below n_states, a power of two of at least 256 states
	 * (Pa_bpetables_view()): then base ^ c is a state for every byte c. */
	out->at = (size_t)((const unsigned char *)bt->state - t->section);
	out->words = bt->n_states;
	out->below = bt->n_states;
	return 1;
}

void Pa_bpetables_cuts(const Pa_ranktable *t, Pa_cut_tables *out)
{
	Pa_backtrack_tables bt;

	memset(out, 0, sizeof(*out));
	if (Pa_bpetables_view(t, &bt) == PA_OK && bt.n_states)
		Pa_cuts_view(t->section + layout_of(t->section_head, t->n_ids).cuts, out);
}
