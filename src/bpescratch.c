/* bpescratch.c - the merges' working memory (see bpescratch.h). */
#include "bpescratch.h"

#include <stdlib.h>
#include <string.h>

void pa_bpe_scratch_reserve(pa_bpe_scratch *s, size_t n)
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
	memset(s, 0, sizeof(*s));
}
