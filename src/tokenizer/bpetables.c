/* bpetables.c - deriving the backtracking merge's tables from the ranks,
 * and finding them in a rank table's section (see bpetables.h). */
#include "bpetables.h"
#include "bpe.h" /* the scan, which tells each token's last merge */
#include "cuts.h"

#include <stdlib.h>
#include <string.h>

/* The section's own format, in its fourth header word.  Change it with
 * the layout below; a table with another one is rebuilt, not misread. */
#define SECTION_FORMAT 2

/* The tables as the derivation makes them, each array malloc'ed. */
struct derived {
	uint32_t *split, *two_byte;
	pa_trie_node *node;
	unsigned char *label;
	uint64_t *pairs, *pair_filter;
	uint32_t n_nodes, filter_words, pair_slots;
};

static void derived_release(struct derived *d)
{
	free(d->split);
	free(d->node);
	free(d->two_byte);
	free(d->label);
	free(d->pairs);
	free(d->pair_filter);
	memset(d, 0, sizeof(*d));
}

static uint32_t token_len(const pa_ranktable *t, uint32_t id)
{
	return t->offsets[id + 1] - t->offsets[id];
}

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

/* The trie as it is built, breadth first: node v's children are
 * first[v] .. first[v + 1], in label order. */
struct bfs_trie {
	uint32_t *first, *token;
	unsigned char *label;
	uint32_t n_nodes;
};

/* Builds the trie breadth first from the tokens sorted by their bytes, so
 * that each node's children get consecutive numbers in label order. */
static void build_bfs_trie(const pa_ranktable *t, struct bfs_trie *b)
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

/* How node v of the breadth-first trie finds its children (its count of
 * them is n, its children's labels labels[0..n)), into node. */
static void set_search(pa_trie_node *node, const unsigned char *labels, uint32_t n)
{
	uint32_t how = PA_TRIE_SEARCH, i;

	memset(node->labels, 0, sizeof(node->labels));
	if (n <= 8) {
		how = PA_TRIE_LABELS;
		memcpy(node->labels, labels, n);
	} else if (labels[0] / 64 == labels[n - 1] / 64) {
		uint64_t bits = 0;

		for (i = 0; i < n; i++)
			bits |= 1ull << (labels[i] % 64);
		how = PA_TRIE_BITMAP + labels[0] / 64u;
		memcpy(node->labels, &bits, 8);
	}
	node->token |= how << 24;
}

/* Lays the breadth-first trie b out for the merge: the children of a
 * node stay consecutive, and the groups of children go depth first, so a
 * chain of single children is consecutive.  The root and the nodes of one
 * byte are never walked (the two-byte table stands for them) and keep no
 * children.  Returns 0 when a node below them has all 256 bytes as
 * children, which a node cannot say. */
static int build_trie(const pa_ranktable *t, struct derived *d)
{
	struct bfs_trie b;
	uint32_t *renum, *stack, n_stack = 0, next = 1, v, i;
	unsigned char *depth;
	int ok = 1;

	build_bfs_trie(t, &b);
	renum = Pa_xmalloc((size_t)b.n_nodes * sizeof(uint32_t));
	stack = Pa_xmalloc((size_t)b.n_nodes * sizeof(uint32_t));
	depth = Pa_xcalloc(b.n_nodes, 1);
	/* Number each node's children together when the node is reached,
	 * then go into the children, the first first. */
	renum[0] = 0;
	stack[n_stack++] = 0;
	while (n_stack > 0) {
		v = stack[--n_stack];
		for (i = b.first[v]; i < b.first[v + 1]; i++) {
			renum[i] = next++;
			depth[i] = depth[v] < 2 ? (unsigned char)(depth[v] + 1) : 2;
		}
		for (i = b.first[v + 1]; i-- > b.first[v];)
			stack[n_stack++] = i;
	}

	d->n_nodes = b.n_nodes;
	d->node = Pa_xcalloc(b.n_nodes, sizeof(*d->node));
	d->label = Pa_xcalloc(b.n_nodes, 1);
	for (v = 0; v < b.n_nodes; v++) {
		pa_trie_node *node = d->node + renum[v];
		uint32_t n = b.first[v + 1] - b.first[v];

		d->label[renum[v]] = b.label[v];
		node->token = b.token[v] == PA_RANK_NONE ? PA_TRIE_NONE : b.token[v];
		if (depth[v] < 2 || n == 0) {
			node->first_n = 0;
			continue;
		}
		if (n > 255)
			ok = 0;
		node->first_n = renum[b.first[v]] | n << 24;
		set_search(node, b.label + b.first[v], n);
	}
	/* The two-byte table, from the nodes of two bytes. */
	d->two_byte = Pa_xmalloc(2 * 65536 * sizeof(uint32_t));
	memset(d->two_byte, 0xFF, 2 * 65536 * sizeof(uint32_t));
	for (v = b.first[0]; v < b.first[1]; v++) {
		for (i = b.first[v]; i < b.first[v + 1]; i++) {
			uint32_t *e = d->two_byte + 2 * ((uint32_t)b.label[v] << 8 | b.label[i]);
			e[0] = renum[i];
			e[1] = b.token[i];
		}
	}
	free(renum);
	free(stack);
	free(depth);
	free(b.first);
	free(b.token);
	free(b.label);
	return ok;
}

/* Files every split of d in the pair table and its filter, sized for
 * `merged` of them: about eight filter bits a pair, the table at most
 * half full. */
static void build_pairs(const pa_ranktable *t, struct derived *d, long merged)
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
static int derive(const pa_ranktable *t, struct derived *d)
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

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static size_t align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

/* Where each array starts in a section with these header words, for a
 * vocabulary of n_ids; all empty when head[0] (n_nodes) is 0. */
struct section_layout {
	size_t split, node, label, two_byte, pairs, filter, cuts, total;
};

static struct section_layout layout_of(const uint32_t head[PA_SECTION_WORDS],
                                       uint32_t n_ids)
{
	struct section_layout l;
	size_t n_nodes = head[0];
	size_t ids = n_nodes ? n_ids : 0;

	l.split = 0;
	l.node = align64(l.split + 2 * ids * sizeof(uint32_t));
	l.label = align8(l.node + n_nodes * sizeof(pa_trie_node));
	l.two_byte = align8(l.label + n_nodes);
	l.pairs = l.two_byte + (n_nodes ? 2 * 65536 * sizeof(uint32_t) : 0);
	l.filter = l.pairs + (size_t)head[2] * sizeof(uint64_t);
	l.cuts = l.filter + (size_t)head[1] * sizeof(uint64_t);
	l.total = l.cuts + (n_nodes ? PA_CUTS_BYTES : 0);
	return l;
}

void Pa_bpetables_derive(pa_ranktable *t)
{
	struct derived d;
	uint32_t head[PA_SECTION_WORDS] = { 0, 0, 0, SECTION_FORMAT };
	struct section_layout l;
	unsigned char *base;

	if (!derive(t, &d)) {
		Pa_ranktable_set_section(t, head, 0);
		return;
	}
	head[0] = d.n_nodes;
	head[1] = d.filter_words;
	head[2] = d.pair_slots;
	l = layout_of(head, t->n_ids);
	base = Pa_ranktable_set_section(t, head, l.total);
	memcpy(base + l.split, d.split, 2 * (size_t)t->n_ids * sizeof(uint32_t));
	memcpy(base + l.node, d.node, (size_t)d.n_nodes * sizeof(pa_trie_node));
	memcpy(base + l.label, d.label, d.n_nodes);
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

pa_status Pa_bpetables_view(const pa_ranktable *t, pa_backtrack_tables *out)
{
	const uint32_t *head = t->section_head;
	const unsigned char *base = t->section;
	struct section_layout l;

	memset(out, 0, sizeof(*out));
	if (head[3] != SECTION_FORMAT ||
	    (head[0] != 0) != (head[1] != 0) || (head[0] != 0) != (head[2] != 0) ||
	    !is_pow2_or_0(head[1]) || !is_pow2_or_0(head[2]) ||
	    head[1] > (1u << 25) || head[2] > (1u << 28))
		return PA_ERR_CHECKSUM;
	l = layout_of(head, t->n_ids);
	if (l.total != t->section_len)
		return PA_ERR_CHECKSUM;
	if (head[0] == 0)
		return PA_OK;
	out->split = (const uint32_t *)(const void *)(base + l.split);
	out->node = (const pa_trie_node *)(const void *)(base + l.node);
	out->label = base + l.label;
	out->two_byte = (const uint32_t *)(const void *)(base + l.two_byte);
	out->pairs = (const uint64_t *)(const void *)(base + l.pairs);
	out->pair_filter = (const uint64_t *)(const void *)(base + l.filter);
	out->n_nodes = head[0];
	out->pair_mask = head[2] - 1;
	out->filter_mask = head[1] - 1;
	return PA_OK;
}

void Pa_bpetables_cuts(const pa_ranktable *t, pa_cut_tables *out)
{
	pa_backtrack_tables bt;

	memset(out, 0, sizeof(*out));
	if (Pa_bpetables_view(t, &bt) == PA_OK && bt.n_nodes)
		Pa_cuts_view(t->section + layout_of(t->section_head, t->n_ids).cuts, out);
}
