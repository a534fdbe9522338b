/* bpe.c - byte-pair merging of one piece (see bpe.h). */
#include "bpe.h"

#include <stdlib.h>
#include <string.h>

/* Without tables, up to PA_BPE_SMALL_PIECE the quadratic scan beats the
 * heap: its inner loop is a short linear pass over a few cache lines.
 * From LONG_PIECE on the bucket queue beats the heap: clearing and
 * scanning its buckets costs about as much as the vocabulary is large.
 * Measured with make bench. */
#define LONG_PIECE 4096

/* tiktoken's scan: parts are kept in arrays and the lowest pair rank is
 * found by a linear pass each step. */
static size_t merge_scan(const Pa_ranktable *t, const unsigned char *p,
                         size_t n, Pa_bpe_scratch *s, uint32_t *ids,
                         size_t *last_join)
{
	uint32_t *pos = s->pos, *rank = s->rank, *tok = s->tok;
	size_t m = n, i;

	*last_join = 0;
	for (i = 0; i < n; i++) {
		pos[i] = (uint32_t)i;
		tok[i] = t->byte_rank[p[i]];
	}
	pos[n] = (uint32_t)n;
	for (i = 0; i + 1 < n; i++)
		rank[i] = pa_ranktable_find(t, p + i, 2);
	rank[n - 1] = PA_RANK_NONE;

	while (m > 1) {
		uint32_t best = PA_RANK_NONE;
		size_t at = 0;

		for (i = 0; i + 1 < m; i++) {
			if (rank[i] < best) {
				best = rank[i];
				at = i;
			}
		}
		if (best == PA_RANK_NONE)
			break;
		tok[at] = best;
		*last_join = pos[at + 1];
		/* Part at+1 joins part at. */
		memmove(pos + at + 1, pos + at + 2, (m - at - 1) * sizeof(*pos));
		memmove(tok + at + 1, tok + at + 2, (m - at - 2) * sizeof(*tok));
		memmove(rank + at + 1, rank + at + 2, (m - at - 2) * sizeof(*rank));
		m--;
		rank[at] = at + 1 < m ? pa_ranktable_find(t, p + pos[at], pos[at + 2] - pos[at])
		                      : PA_RANK_NONE;
		if (at > 0)
			rank[at - 1] = pa_ranktable_find(t, p + pos[at - 1],
			                                 pos[at + 1] - pos[at - 1]);
	}
	if (ids)
		memcpy(ids, tok, m * sizeof(*ids));
	return m;
}

/* A binary min-heap of (rank << 32 | position): the lowest rank first,
 * the leftmost on a tie, just as the linear scan chooses. */
static void heap_push(Pa_bpe_scratch *s, size_t *len, uint64_t key)
{
	size_t i = (*len)++;

	if (*len > s->heap_cap) {
		s->heap_cap = s->heap_cap ? 2 * s->heap_cap : 256;
		s->heap = Pa_xrealloc(s->heap, s->heap_cap * sizeof(uint64_t));
	}
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (s->heap[parent] <= key)
			break;
		s->heap[i] = s->heap[parent];
		i = parent;
	}
	s->heap[i] = key;
}

static uint64_t heap_pop(uint64_t *heap, size_t *len)
{
	uint64_t top = heap[0], last = heap[--*len];
	size_t i = 0, n = *len;

	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= n)
			break;
		if (child + 1 < n && heap[child + 1] < heap[child])
			child++;
		if (last <= heap[child])
			break;
		heap[i] = heap[child];
		i = child;
	}
	if (n)
		heap[i] = last;
	return top;
}

/* Joins part at with the next one into token r, then re-ranks the two
 * pairs that changed: at's own and the one before it.  Stores those that
 * still have a rank in changed[] and returns how many, for the caller to
 * queue. */
static int join_parts(const Pa_ranktable *t, const unsigned char *p,
                      uint32_t end, Pa_bpe_scratch *s, uint32_t at, uint32_t r,
                      uint32_t changed[2])
{
	uint32_t *rank = s->rank, *next = s->next, *prev = s->prev;
	uint32_t gone = next[at], after = next[gone];
	int k = 0;

	s->tok[at] = r;
	next[at] = after;
	if (after != end)
		prev[after] = at;
	rank[gone] = PA_RANK_NONE;
	rank[at] = after != end ? pa_ranktable_find(t, p + at, next[after] - at)
	                        : PA_RANK_NONE;
	if (rank[at] != PA_RANK_NONE)
		changed[k++] = at;
	if (at > 0) {
		uint32_t before = prev[at];
		rank[before] = pa_ranktable_find(t, p + before, after - before);
		if (rank[before] != PA_RANK_NONE)
			changed[k++] = before;
	}
	return k;
}

/* Starts a linked list of one-byte parts. */
static void link_bytes(const Pa_ranktable *t, const unsigned char *p, size_t n,
                       Pa_bpe_scratch *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		s->tok[i] = t->byte_rank[p[i]];
		s->next[i] = (uint32_t)i + 1;
		s->prev[i] = (uint32_t)i - 1; /* wraps for part 0; never read there */
	}
}

/* Writes the ids of the linked parts that are left. */
static void list_ids(const Pa_bpe_scratch *s, size_t n, uint32_t *ids)
{
	size_t i, k = 0;

	for (i = 0; i < n; i = s->next[i])
		ids[k++] = s->tok[i];
}

size_t Pa_bpe_merge_scan(const Pa_ranktable *t, const unsigned char *p,
                         size_t n, Pa_bpe_scratch *s, uint32_t *ids,
                         size_t *last_join)
{
	Pa_bpe_scratch_reserve(s, n);
	return merge_scan(t, p, n, s, ids, last_join);
}

/* The same merges on a linked list of parts with a heap of candidate
 * pairs.  A heap entry is stale when its part has been merged away or has
 * a new pair rank since; a part's pair only ever grows longer, so a stale
 * entry never matches the part's current rank by accident. */
size_t Pa_bpe_merge_heap(const Pa_ranktable *t, const unsigned char *p,
                         size_t n, Pa_bpe_scratch *s, uint32_t *ids)
{
	uint32_t *rank;
	size_t heap_len = 0, count = n, i;
	const uint32_t end = (uint32_t)n;

	Pa_bpe_scratch_reserve(s, n);
	rank = s->rank;

	link_bytes(t, p, n, s);
	for (i = 0; i + 1 < n; i++) {
		rank[i] = pa_ranktable_find(t, p + i, 2);
		if (rank[i] != PA_RANK_NONE)
			heap_push(s, &heap_len, (uint64_t)rank[i] << 32 | i);
	}
	rank[n - 1] = PA_RANK_NONE;

	while (heap_len > 0) {
		uint64_t e = heap_pop(s->heap, &heap_len);
		uint32_t r = (uint32_t)(e >> 32), at = (uint32_t)e, changed[2];
		int k;

		if (rank[at] != r)
			continue;
		count--;
		k = join_parts(t, p, end, s, at, r, changed);
		while (k-- > 0)
			heap_push(s, &heap_len, (uint64_t)rank[changed[k]] << 32 | changed[k]);
	}
	if (ids)
		list_ids(s, n, ids);
	return count;
}

#define NO_ENTRY UINT32_MAX

/* Files position pos under rank r (pushed at the front of the list). */
static void bucket_add(Pa_bpe_scratch *s, size_t *entries, uint32_t r, uint32_t pos)
{
	size_t e = (*entries)++;

	if (e == s->entry_cap) {
		s->entry_cap = s->entry_cap ? 2 * s->entry_cap : 4096;
		s->entry_pos = Pa_xrealloc(s->entry_pos, s->entry_cap * sizeof(uint32_t));
		s->entry_next = Pa_xrealloc(s->entry_next, s->entry_cap * sizeof(uint32_t));
	}
	s->entry_pos[e] = pos;
	s->entry_next[e] = s->bucket[r];
	s->bucket[r] = (uint32_t)e;
}

static int by_position(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Takes bucket r's positions into s->batch in increasing order (the
 * leftmost first, as the scan breaks ties) and empties the bucket. */
static size_t bucket_take(Pa_bpe_scratch *s, uint32_t r)
{
	size_t k = 0, i;
	uint32_t e;
	int sorted = 1;

	for (e = s->bucket[r]; e != NO_ENTRY; e = s->entry_next[e]) {
		if (k == s->batch_cap) {
			s->batch_cap = s->batch_cap ? 2 * s->batch_cap : 1024;
			s->batch = Pa_xrealloc(s->batch, s->batch_cap * sizeof(uint32_t));
		}
		s->batch[k++] = s->entry_pos[e];
	}
	s->bucket[r] = NO_ENTRY;
	/* Lists are built front first, so one ascending run comes out
	 * descending: reverse it, and sort only when runs were mixed. */
	for (i = 0; i < k / 2; i++) {
		uint32_t tmp = s->batch[i];
		s->batch[i] = s->batch[k - 1 - i];
		s->batch[k - 1 - i] = tmp;
	}
	for (i = 1; i < k && sorted; i++)
		sorted = s->batch[i - 1] < s->batch[i];
	if (!sorted)
		qsort(s->batch, k, sizeof(uint32_t), by_position);
	return k;
}

/* Pairs are merged rank by rank, each rank's positions left to right:
 * the order the heap pops them in.  A merge's new pairs have other ranks
 * than the one being merged (ranks name distinct tokens and the new pairs
 * are longer); should one have a lower rank, the rest of this rank waits
 * in its bucket and the lower one goes first, as the heap would do. */
size_t Pa_bpe_merge_buckets(const Pa_ranktable *t, const unsigned char *p,
                            size_t n, Pa_bpe_scratch *s, uint32_t *ids)
{
	uint32_t *rank, cur = UINT32_MAX;
	size_t count = n, i, entries = 0;
	const uint32_t end = (uint32_t)n;

	Pa_bpe_scratch_reserve(s, n);
	rank = s->rank;
	if (s->n_buckets != t->n_ids) {
		free(s->bucket);
		s->n_buckets = t->n_ids;
		s->bucket = Pa_xmalloc((size_t)t->n_ids * sizeof(uint32_t));
		memset(s->bucket, 0xFF, (size_t)t->n_ids * sizeof(uint32_t));
	}
	link_bytes(t, p, n, s);
	/* Filed right to left, so each bucket lists its positions in
	 * increasing order. */
	rank[n - 1] = PA_RANK_NONE;
	for (i = n - 1; i-- > 0;) {
		rank[i] = pa_ranktable_find(t, p + i, 2);
		if (rank[i] != PA_RANK_NONE) {
			bucket_add(s, &entries, rank[i], (uint32_t)i);
			if (rank[i] < cur)
				cur = rank[i];
		}
	}
	while (cur < t->n_ids) {
		size_t k, j;
		uint32_t lower = UINT32_MAX;

		if (s->bucket[cur] == NO_ENTRY) {
			cur++;
			continue;
		}
		k = bucket_take(s, cur);
		for (j = 0; j < k; j++) {
			uint32_t at = s->batch[j], changed[2];
			int c;

			if (lower != UINT32_MAX) {
				bucket_add(s, &entries, cur, at); /* waits for lower */
				continue;
			}
			if (rank[at] != cur)
				continue; /* merged away or re-ranked since filed */
			count--;
			c = join_parts(t, p, end, s, at, cur, changed);
			while (c-- > 0) {
				uint32_t r = rank[changed[c]];
				bucket_add(s, &entries, r, changed[c]);
				if (r < cur && r < lower)
					lower = r;
			}
		}
		if (lower != UINT32_MAX)
			cur = lower;
	}
	if (ids)
		list_ids(s, n, ids);
	return count;
}

/* The one place that picks a merge for a piece and what to fall back to.
 * The backtracking merge reads tables that a damaged file can make
 * inconsistent; when it fails, the scan or a merge queue takes over,
 * which read only the ranks, bounds-checked at every lookup. */
size_t Pa_bpe_merge(const Pa_ranktable *t, const Pa_backtrack_tables *bt,
                    const unsigned char *p, size_t n, Pa_bpe_scratch *s,
                    uint32_t *ids)
{
	size_t join;

	if (n == 1) {
		if (ids)
			ids[0] = t->byte_rank[p[0]];
		return 1;
	}
	if (bt && bt->n_states) {
		size_t k = Pa_bpe_merge_backtrack(t, bt, p, n, s, ids);
		if (k != PA_BACKTRACK_FAILED)
			return k;
	}
	Pa_bpe_scratch_reserve(s, n);
	if (n <= PA_BPE_SMALL_PIECE)
		return merge_scan(t, p, n, s, ids, &join);
	if (n < LONG_PIECE)
		return Pa_bpe_merge_heap(t, p, n, s, ids);
	return Pa_bpe_merge_buckets(t, p, n, s, ids);
}
