/* bpe.c - byte-pair merging of one piece (see bpe.h). */
#include "bpe.h"

#include <stdlib.h>
#include <string.h>

/* Up to this length the quadratic scan beats the heap: its inner loop is
 * a short linear pass over a few cache lines.  Measured with make bench. */
#define SMALL_PIECE 128

void pa_bpe_scratch_release(pa_bpe_scratch *s)
{
	free(s->pos);
	free(s->rank);
	free(s->tok);
	free(s->next);
	free(s->prev);
	free(s->heap);
	memset(s, 0, sizeof(*s));
}

static void reserve(pa_bpe_scratch *s, size_t n)
{
	if (n + 1 <= s->cap)
		return;
	s->cap = n + 1 > 2 * s->cap ? n + 1 : 2 * s->cap;
	s->pos = pa_xrealloc(s->pos, s->cap * sizeof(uint32_t));
	s->rank = pa_xrealloc(s->rank, s->cap * sizeof(uint32_t));
	s->tok = pa_xrealloc(s->tok, s->cap * sizeof(uint32_t));
	s->next = pa_xrealloc(s->next, s->cap * sizeof(uint32_t));
	s->prev = pa_xrealloc(s->prev, s->cap * sizeof(uint32_t));
}

/* tiktoken's scan: parts are kept in arrays and the lowest pair rank is
 * found by a linear pass each step. */
static size_t merge_small(const pa_ranktable *t, const unsigned char *p,
                          size_t n, pa_bpe_scratch *s, uint32_t *ids)
{
	uint32_t *pos = s->pos, *rank = s->rank, *tok = s->tok;
	size_t m = n, i;

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
static void heap_push(pa_bpe_scratch *s, size_t *len, uint64_t key)
{
	size_t i = (*len)++;

	if (*len > s->heap_cap) {
		s->heap_cap = s->heap_cap ? 2 * s->heap_cap : 256;
		s->heap = pa_xrealloc(s->heap, s->heap_cap * sizeof(uint64_t));
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

/* The same merges on a linked list of parts with a heap of candidate
 * pairs.  A heap entry is stale when its part has been merged away or has
 * a new pair rank since; a part's pair only ever grows longer, so a stale
 * entry never matches the part's current rank by accident. */
size_t pa_bpe_merge_heap(const pa_ranktable *t, const unsigned char *p,
                         size_t n, pa_bpe_scratch *s, uint32_t *ids)
{
	uint32_t *rank, *tok, *next, *prev;
	size_t heap_len = 0, count = n, i;
	const uint32_t end = (uint32_t)n;

	reserve(s, n);
	rank = s->rank, tok = s->tok, next = s->next, prev = s->prev;

	for (i = 0; i < n; i++) {
		tok[i] = t->byte_rank[p[i]];
		next[i] = (uint32_t)i + 1;
		prev[i] = (uint32_t)i - 1; /* wraps for part 0; never read there */
	}
	for (i = 0; i + 1 < n; i++) {
		rank[i] = pa_ranktable_find(t, p + i, 2);
		if (rank[i] != PA_RANK_NONE)
			heap_push(s, &heap_len, (uint64_t)rank[i] << 32 | i);
	}
	rank[n - 1] = PA_RANK_NONE;

	while (heap_len > 0) {
		uint64_t e = heap_pop(s->heap, &heap_len);
		uint32_t r = (uint32_t)(e >> 32), at = (uint32_t)e, gone, after;

		if (rank[at] != r)
			continue;
		gone = next[at];
		tok[at] = r;
		after = next[gone];
		next[at] = after;
		if (after != end)
			prev[after] = at;
		rank[gone] = PA_RANK_NONE;
		count--;
		if (after != end) {
			uint32_t stop = next[after];
			rank[at] = pa_ranktable_find(t, p + at, stop - at);
			if (rank[at] != PA_RANK_NONE)
				heap_push(s, &heap_len, (uint64_t)rank[at] << 32 | at);
		} else {
			rank[at] = PA_RANK_NONE;
		}
		if (at > 0) {
			uint32_t before = prev[at];
			rank[before] = pa_ranktable_find(t, p + before, after - before);
			if (rank[before] != PA_RANK_NONE)
				heap_push(s, &heap_len, (uint64_t)rank[before] << 32 | before);
		}
	}
	if (ids) {
		size_t k = 0;
		for (i = 0; i < n; i = next[i])
			ids[k++] = tok[i];
	}
	return count;
}

size_t pa_bpe_merge(const pa_ranktable *t, const unsigned char *p, size_t n,
                    pa_bpe_scratch *s, uint32_t *ids)
{
	if (n == 1) {
		if (ids)
			ids[0] = t->byte_rank[p[0]];
		return 1;
	}
	reserve(s, n);
	if (n <= SMALL_PIECE)
		return merge_small(t, p, n, s, ids);
	return pa_bpe_merge_heap(t, p, n, s, ids);
}
