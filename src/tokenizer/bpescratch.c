/* bpescratch.c - the merges' working memory (see bpescratch.h). */
#include "bpescratch.h"

#include <stdlib.h>
#include <string.h>

/* The arrays of a long piece are megabytes written once: in huge pages
 * (Pa_hint_huge); 1 MB of emoji took 40 ms, 23 with them. */
static uint32_t *grow(uint32_t *p, size_t n)
{
	p = Pa_xrealloc(p, n * sizeof(uint32_t));
	Pa_hint_huge(p, n * sizeof(uint32_t));
	return p;
}

void Pa_bpe_scratch_reserve(Pa_bpe_scratch *s, size_t n)
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

void Pa_bpe_scratch_release(Pa_bpe_scratch *s)
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
	free(s->early_pairs);
	Pa_memo_arena *arena = s->arena;

	if (!Pa_memo_arena_holds(arena, s->pair_memo))
		free(s->pair_memo);
	if (!Pa_memo_arena_holds(arena, s->prefix_block))
		free(s->prefix_block);
	memset(s, 0, sizeof(*s));
	s->arena = arena;
}
