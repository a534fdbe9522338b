/* bpescratch.c - the merges' working memory (see bpescratch.h). */
#include "bpescratch.h"

#include <stdlib.h>
#include <string.h>

/* The arrays of a long piece are megabytes written once: in huge pages;
 * 1 MB of emoji took 40 ms, 23 with them.  Allocated anew, aligned to a
 * huge page, not grown from a smaller array: what they held is no
 * longer needed (each merge reserves before it starts), and an array
 * grown in place on the heap is in small pages (1 MB of random letters
 * after a few short pieces took 1,600 more page faults, 10% of its time). */
static uint32_t *grow(uint32_t *p, size_t n)
{
	size_t size = n * sizeof(uint32_t);

	if (size < PA_HUGE_PAGE)
		return pa_xrealloc(p, size);
	free(p);
	return pa_xalloc_huge(&size);
}

void pa_bpe_scratch_reserve(pa_bpe_scratch *s, size_t n)
{
	if (n + 1 <= s->cap)
		return;
	s->cap = n + 1 > 2 * s->cap ? n + 1 : 2 * s->cap;
	s->pos = grow(s->pos, s->cap);
	s->rank = grow(s->rank, s->cap);
	s->tok = grow(s->tok, s->cap);
	s->next = grow(s->next, s->cap);
	s->prev = grow(s->prev, s->cap);
}

void pa_bpe_scratch_release(pa_bpe_scratch *s)
{
	free(s->pos);
	free(s->rank);
	free(s->tok);
	free(s->next);
	free(s->prev);
	free(s->heap);
	free(s->bucket);
	free(s->entry_pos);
	free(s->entry_next);
	free(s->batch);
	free(s->reach);
	free(s->pair_memo);
	free(s->prefix_block);
	memset(s, 0, sizeof(*s));
}
