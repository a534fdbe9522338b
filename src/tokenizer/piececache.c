/* piececache.c - the memo of merged pieces (see piececache.h). */
#include "piececache.h"

#include <stdlib.h>
#include <string.h>

/* Pieces offered before the first megabyte of lines is made: a short
 * text (trim counts many) does not pay for 1 MB it would barely use.  A
 * text before the memos are due makes its PA_PIECE_CACHE_SMALL_SETS at
 * the first piece: made after 64, they missed the words of its first
 * lines, which come back (16 KB of Greek, o200k_base: 505 pieces merged,
 * 70 of them merged before; 39 with the sets made at once, 1.0% to 1.6%
 * fewer instructions for Greek, Hebrew, Korean, Russian and Thai). */
#define PAYS_AFTER 64

/* Sets of two lines: 1 MB first, 4 MB once that is too few.  Past 4 MB
 * the memo leaves the processor's last cache and a re-merge of a short
 * piece costs little more than a miss (2 MB of Latin-script text, cl100k:
 * 8 MB is no faster than 4).  Before the memos are due (memoarena.h),
 * PA_PIECE_CACHE_SMALL_SETS (piececache.h). */
#define SETS_FIRST 8192
#define SETS_MOST 32768

_Static_assert(sizeof(Pa_piece_entry) == 64, "an entry is one cache line");

_Static_assert(2 * SETS_FIRST * sizeof(Pa_piece_entry) == PA_ARENA_PIECES_BYTES,
               "the first lines fill their part of the arena");

/* Zeroed lines for `sets` sets: the first in the workspace's huge page
 * (memoarena.h), which is zero already; a short text's few from the
 * heap. */
static Pa_piece_entry *new_lines(Pa_piece_cache *c, size_t sets)
{
	size_t bytes = 2 * sets * sizeof(Pa_piece_entry);
	size_t got = bytes;
	Pa_piece_entry *lines;

	if (sets == PA_PIECE_CACHE_SMALL_SETS)
		return Pa_xcalloc(2 * sets, sizeof(Pa_piece_entry));
	lines = sets == SETS_FIRST ? Pa_memo_arena_part(c->arena, PA_ARENA_PIECES) : NULL;
	if (lines)
		return lines;
	/* Its lines are written all over at once: huge pages. */
	lines = Pa_xalloc_huge(&got);
	memset(lines, 0, bytes);
	return lines;
}

static void free_lines(const Pa_piece_cache *c, Pa_piece_entry *lines)
{
	if (!Pa_memo_arena_holds(c->arena, lines))
		free(lines);
}

static void put_line(Pa_piece_cache *c, uint64_t h, const unsigned char *p,
                     size_t n, size_t count, const uint32_t *ids)
{
	Pa_piece_entry *e = c->lines + 2 * (h & c->set_mask);

	e[1] = e[0];
	memcpy(e->u.bytes, p, n);
	e->len = (uint8_t)n;
	e->count = (uint8_t)count;
	e->has_ids = ids != NULL;
	if (ids)
		memcpy(e->u.with_ids.ids, ids, count * sizeof(uint32_t));
}

/* Moves every entry to lines for `sets` sets, more than before, the
 * older of each set first so that it stays the older. */
static void grow(Pa_piece_cache *c, size_t sets)
{
	Pa_piece_cache old = *c;
	size_t i;

	c->lines = new_lines(c, sets);
	c->set_mask = sets - 1;
	for (i = 0; i < 2 * (old.set_mask + 1); i++) {
		const Pa_piece_entry *e = old.lines + (i ^ 1);

		if (e->len)
			put_line(c, pa_rank_key_of(e->u.bytes, e->len).hash, e->u.bytes,
			         e->len, e->count, e->has_ids ? e->u.with_ids.ids : NULL);
	}
	free_lines(&old, old.lines);
}

/* Long pieces are kept while at least one in eight of those that could be
 * is found; after a window in which fewer are, they are not kept for
 * LONG_REST windows, then tried again (a text may go on in another
 * language), the first window after the rest unjudged. */
#define LONG_REST 16

void Pa_piece_cache_judge_long(Pa_piece_cache *c)
{
	if (c->long_off > 0) {
		c->long_fresh = --c->long_off == 0;
	} else if (c->long_fresh) {
		c->long_fresh = 0;
	} else if (8 * c->long_found < c->long_found + c->long_missed) {
		c->long_off = LONG_REST;
	}
	c->long_found = c->long_missed = 0;
}

void Pa_piece_cache_put(Pa_piece_cache *c, uint64_t h, const unsigned char *p,
                        size_t n, size_t count, const uint32_t *ids)
{
	/* Short pieces of many tokens (Chinese, split into bytes) are not
	 * kept even without ids: kept, they came back too seldom to pay for
	 * the growth of the memo they brought on. */
	if (n > PA_PIECE_CACHE_LONG || count > PA_PIECE_CACHE_IDS ||
	    (ids && n > PA_PIECE_CACHE_BYTES))
		return;
	if (n > PA_PIECE_CACHE_BYTES) {
		if (c->long_found + ++c->long_missed >= PA_PIECE_CACHE_WINDOW)
			Pa_piece_cache_judge_long(c);
		if (c->long_off)
			return;
	}
	if (!c->lines) {
		size_t sets = pa_memos_due(c->arena) ? SETS_FIRST : PA_PIECE_CACHE_SMALL_SETS;

		if (sets == SETS_FIRST && ++c->kept < PAYS_AFTER)
			return;
		c->lines = new_lines(c, sets);
		c->set_mask = sets - 1;
		c->kept = 0;
	} else if (c->set_mask + 1 == PA_PIECE_CACHE_SMALL_SETS) {
		/* Full or not, a short text's memo stays as it is until the
		 * memos are due. */
		if (pa_memos_due(c->arena)) {
			grow(c, SETS_FIRST);
			c->kept = 0;
		}
	} else if (c->set_mask + 1 < SETS_MOST &&
	           ++c->kept >= 2 * (c->set_mask + 1)) {
		grow(c, 4 * (c->set_mask + 1));
		c->kept = 0;
	}
	put_line(c, h, p, n, count, ids);
}

void Pa_piece_cache_release(Pa_piece_cache *c)
{
	Pa_memo_arena *arena = c->arena;

	free_lines(c, c->lines);
	memset(c, 0, sizeof(*c));
	c->arena = arena;
}

/* The slots grow once they have taken this many puts, four times as
 * many as they hold: the words of the text push each other out. */
#define HOT_GROW_AFTER (4 * (size_t)PA_HOT_TOKENS)

/* Moves slots to 1 << PA_HOT_TOKENS_GROWN_BITS, with what they hold. */
static void hot_slots_grow(Pa_hot_slots *slots)
{
	Pa_rank_slot *grown;
	size_t i;

	grown = Pa_xcalloc((size_t)1 << PA_HOT_TOKENS_GROWN_BITS, sizeof(*grown));
	for (i = 0; i < PA_HOT_TOKENS; i++) {
		const Pa_rank_slot *s = slots->slot + i;
		Pa_rank_key k = {0};

		if (!(s->id_len >> 24))
			continue;
		k.head = s->head;
		k.tail = s->tail;
		grown[pa_hot_slot_of(&k, PA_HOT_TOKENS_GROWN_BITS)] = *s;
	}
	free(slots->slot);
	slots->slot = grown;
	slots->bits = PA_HOT_TOKENS_GROWN_BITS;
}

/* Fills key k's slot in slots (made zeroed on the first put) with v;
 * slots that may grow do after HOT_GROW_AFTER puts. */
static void hot_slot_put(Pa_hot_slots *slots, int may_grow, const Pa_rank_key *k,
                         size_t n, uint32_t v)
{
	Pa_rank_slot *s;

	if (n > PA_RANK_INLINE)
		return;
	if (!slots->slot) {
		slots->bits = PA_HOT_TOKENS_BITS;
		slots->slot = Pa_xcalloc(PA_HOT_TOKENS, sizeof(*slots->slot));
	}
	if (may_grow && slots->bits == PA_HOT_TOKENS_BITS && ++slots->puts == HOT_GROW_AFTER)
		hot_slots_grow(slots);
	s = slots->slot + pa_hot_slot_of(k, slots->bits);
	s->head = k->head;
	s->tail = k->tail;
	s->id_len = k->len8 | (v & 0xFFFFFFu);
}

void Pa_hot_tokens_put(Pa_hot_tokens *h, const Pa_rank_key *k, size_t n,
                       uint32_t id)
{
	hot_slot_put(&h->tokens, 1, k, n, id);
}

void Pa_hot_counts_put(Pa_hot_tokens *h, const Pa_rank_key *k, size_t n,
                       uint32_t count)
{
	if (count > 0 && count <= 255)
		hot_slot_put(&h->counts, 0, k, n, count);
}

_Static_assert(sizeof(Pa_short_slot) == 32, "a short piece's slot is half a cache line");
_Static_assert((sizeof(Pa_short_slot) << PA_SHORT_BITS) == PA_ARENA_SHORT_BYTES,
               "the short pieces' slots fill their part of the arena");

void Pa_short_put(Pa_hot_tokens *h, const Pa_rank_key *k, size_t n,
                  const uint32_t *ids, size_t count)
{
	Pa_short_slot *s;
	size_t i;

	if (n > PA_SHORT_PIECE || count < 2 || count > PA_SHORT_PIECE)
		return;
	if (!h->shorts) {
		if (!pa_memos_due(h->arena) ||
		    (!(h->arena && h->arena->base) &&
		     ++h->shorts_offered < PA_SHORT_PAYS_AFTER))
			return;
		h->shorts = Pa_memo_arena_part(h->arena, PA_ARENA_SHORT);
		if (!h->shorts)
			h->shorts = Pa_xcalloc((size_t)1 << PA_SHORT_BITS, sizeof(*h->shorts));
	}
	s = h->shorts + pa_hot_slot_of(k, PA_SHORT_BITS);
	s->key.head = k->head;
	s->key.tail = k->tail;
	s->key.id_len = k->len8 | (ids[0] & 0xFFFFFFu);
	for (i = 1; i < count; i++)
		s->more[i - 1] = ids[i];
	s->count = (uint32_t)count;
}

void Pa_hot_tokens_release(Pa_hot_tokens *h)
{
	Pa_memo_arena *arena = h->arena;

	free(h->tokens.slot);
	free(h->counts.slot);
	if (!Pa_memo_arena_holds(arena, h->shorts))
		free(h->shorts);
	memset(h, 0, sizeof(*h));
	h->arena = arena;
}
