/* workspace.c - the encoding state a thread keeps (see workspace.h). */
#include "workspace.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Scratch for pieces up to this many bytes is kept between calls (five
 * arrays of 4 bytes an entry: 1.3 MB); a longer piece's is freed. */
#define KEEP_SCRATCH (1u << 16)

static pthread_key_t key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static int have_key;
static atomic_uint_fast64_t last_serial;

void Pa_workspace_empty(Pa_workspace *w)
{
	Pa_bpe_scratch_release(&w->scratch);
	Pa_piece_cache_release(&w->cache);
	Pa_hot_tokens_release(&w->hot);
	/* After the memos that held parts of it. */
	Pa_memo_arena_release(&w->arena);
	/* Whether cutting pays is a finding about one vocabulary's tokens. */
	memset(w->cut_judges, 0, sizeof(w->cut_judges));
}

static void free_workspace(void *p)
{
	Pa_workspace *w = p;

	if (!w)
		return;
	Pa_workspace_empty(w);
	free(w);
}

static void make_key(void)
{
	have_key = pthread_key_create(&key, free_workspace) == 0;
}

uint64_t Pa_workspace_new_serial(void)
{
	return (uint64_t)atomic_fetch_add(&last_serial, 1) + 1;
}

Pa_workspace *Pa_workspace_get(uint64_t serial)
{
	Pa_workspace *w;

	pthread_once(&key_once, make_key);
	if (!have_key)
		return NULL;
	w = pthread_getspecific(key);
	if (!w) {
		w = Pa_xcalloc(1, sizeof(*w));
		if (pthread_setspecific(key, w) != 0) {
			free(w);
			return NULL;
		}
	}
	if (w->serial != serial) {
		Pa_workspace_empty(w);
		w->serial = serial;
	}
	w->scratch.arena = w->cache.arena = w->hot.arena = &w->arena;
	return w;
}

void Pa_workspace_trim(Pa_workspace *w)
{
	Pa_bpe_scratch *s = &w->scratch;

	/* The bucket queue's buckets are as many as the vocabulary has
	 * tokens, for the rare long piece merged without tables. */
	if (s->cap > KEEP_SCRATCH || s->entry_cap > KEEP_SCRATCH ||
	    s->heap_cap > KEEP_SCRATCH || s->batch_cap > KEEP_SCRATCH ||
	    s->reach_cap > KEEP_SCRATCH / 64 || s->bucket)
		Pa_bpe_scratch_release(s);
}

void Pa_workspace_release(void)
{
	pthread_once(&key_once, make_key);
	if (!have_key)
		return;
	free_workspace(pthread_getspecific(key));
	pthread_setspecific(key, NULL);
}
