/*
 * piececache.h - a memo of the pieces one encoding merged, so that a
 * word that comes back (a name, an identifier, an inflected word of a
 * language the vocabulary knows less well) costs one lookup instead of a
 * merge.
 *
 * Two-way set-associative on the rank key's hash (ranktable.h), one
 * cache line an entry: the piece (up to PA_PIECE_CACHE_BYTES bytes), how
 * many tokens it is and, when the encoding keeps ids, the first
 * PA_PIECE_CACHE_IDS of them.  A piece that does not fit is not kept; a
 * new one goes first in its set and pushes out the older of the two
 * (direct-mapped, two words of a text that shared a line pushed each
 * other out all through it).  The memo is exact: a piece always merges to
 * the same tokens.
 *
 * One thread's, never shared (workspace.h keeps it between encodings of
 * one tokenizer): start zeroed, pa_piece_cache_release() at the end.  It
 * allocates its lines only once asked to keep enough pieces for them to
 * pay.
 */
#ifndef PA_PIECECACHE_H
#define PA_PIECECACHE_H

#include "internal.h"

#include <string.h>

#define PA_PIECE_CACHE_BYTES 24
#define PA_PIECE_CACHE_IDS 9

typedef struct pa_piece_entry {
	unsigned char bytes[PA_PIECE_CACHE_BYTES];
	uint8_t len;     /* 0: empty */
	uint8_t count;   /* tokens */
	uint8_t has_ids; /* ids[0..count) are kept */
	uint8_t pad;
	uint32_t ids[PA_PIECE_CACHE_IDS];
} pa_piece_entry;

typedef struct pa_piece_cache {
	pa_piece_entry *lines; /* NULL until the memo pays */
	size_t kept;           /* pieces offered before it did */
} pa_piece_cache;

/* The entry of piece p[0..n) with hash h, or NULL. */
static inline const pa_piece_entry *pa_piece_cache_find(const pa_piece_cache *c,
                                                        uint64_t h,
                                                        const unsigned char *p,
                                                        size_t n);

/* Keeps the count tokens of piece p[0..n) with hash h, and ids when not
 * NULL. */
void pa_piece_cache_put(pa_piece_cache *c, uint64_t h, const unsigned char *p,
                        size_t n, size_t count, const uint32_t *ids);

void pa_piece_cache_release(pa_piece_cache *c);

/* ---- inline ---- */

#define PA_PIECE_CACHE_SETS 8192 /* of two lines: 1 MB */

static inline const pa_piece_entry *pa_piece_cache_find(const pa_piece_cache *c,
                                                        uint64_t h,
                                                        const unsigned char *p,
                                                        size_t n)
{
	const pa_piece_entry *e;

	if (!c->lines)
		return NULL;
	/* The low bits: the rank table's home bucket takes the high ones. */
	e = c->lines + 2 * (h & (PA_PIECE_CACHE_SETS - 1));
	if (e->len == n && memcmp(e->bytes, p, n) == 0)
		return e;
	e++;
	if (e->len == n && memcmp(e->bytes, p, n) == 0)
		return e;
	return NULL;
}

#endif
