/* piececache.c - the memo of merged pieces (see piececache.h). */
#include "piececache.h"

#include <stdlib.h>
#include <string.h>

/* Pieces offered before the lines are allocated: a short text (trim
 * counts many) does not pay for 1 MB it would barely use. */
#define PAYS_AFTER 64

void pa_piece_cache_put(pa_piece_cache *c, uint64_t h, const unsigned char *p,
                        size_t n, size_t count, const uint32_t *ids)
{
	pa_piece_entry *e;

	if (n > PA_PIECE_CACHE_BYTES || count > PA_PIECE_CACHE_IDS)
		return;
	if (!c->lines) {
		if (++c->kept < PAYS_AFTER)
			return;
		size_t bytes = 2 * PA_PIECE_CACHE_SETS * sizeof(*c->lines);
		size_t got = bytes;

		/* Its lines are written all over at once: one huge page. */
		c->lines = pa_xalloc_huge(&got);
		memset(c->lines, 0, bytes);
	}
	e = c->lines + 2 * (h & (PA_PIECE_CACHE_SETS - 1));
	e[1] = e[0];
	memcpy(e->bytes, p, n);
	e->len = (uint8_t)n;
	e->count = (uint8_t)count;
	e->has_ids = ids != NULL;
	if (ids)
		memcpy(e->ids, ids, count * sizeof(uint32_t));
}

void pa_piece_cache_release(pa_piece_cache *c)
{
	free(c->lines);
	memset(c, 0, sizeof(*c));
}

void pa_hot_tokens_put(pa_hot_tokens *h, const pa_rank_key *k, size_t n,
                       uint32_t id)
{
	pa_rank_slot *s;

	if (n > PA_RANK_INLINE)
		return;
	if (!h->slots)
		h->slots = pa_xcalloc(PA_HOT_TOKENS, sizeof(*h->slots));
	s = h->slots + pa_hot_slot_of(k->hash);
	s->head = k->head;
	s->tail = k->tail;
	s->id_len = k->len8 | (id & 0xFFFFFFu);
}

void pa_hot_tokens_release(pa_hot_tokens *h)
{
	free(h->slots);
	h->slots = NULL;
}
