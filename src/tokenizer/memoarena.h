/*
 * memoarena.h - the memory of a workspace's four large memos (the memo
 * of pieces' first lines, the merge's memos of prefixes and of pairs, an
 * encoding's memo of short pieces): one huge page of 2 MB, mapped afresh
 * when a memo is first made.
 *
 * Allocated apart, each zeroed by calloc or memset, the first three cost a text
 * of tens of kilobytes the kernel's clearing of a huge page and a memset
 * of 1 MB for the memo of pieces, and for the other two either memsets or
 * page faults, as the allocator's reuse of memory freed before had it:
 * 40 KB of Thai took from 0 to 124 faults an encode in one process by
 * that alone, 3 us each on the development machine.  A fresh mapping is
 * zero already, and a huge page faults once.  Texts too short to make a
 * memo (below) never map it.
 *
 * None of the memos is made before the workspace's texts come to
 * PA_MEMOS_DUE bytes, the one being encoded included: they start empty,
 * and on a short text the huge page and their first misses cost more
 * than their hits save.  Without any, a text of 40 KB took 0.81x to
 * 1.02x the time (unspaced Chinese with o200k_base 0.81x, Thai 0.90x);
 * at 64 KB the two were level (Thai 1.02x, CJK 0.93x, Latin 0.92x), at
 * 128 KB the memos won by up to 1.2x and on the 2 MB corpora by 1.4x to
 * 2.4x.  A text of that length or more makes them from its first piece;
 * many short ones (check) once they add up to it.
 *
 * Ownership: the workspace's (workspace.h); a memo hands its part back
 * by forgetting it, and the arena is unmapped when the workspace is
 * emptied.
 */
#ifndef PA_MEMOARENA_H
#define PA_MEMOARENA_H

#include <stddef.h>

/* The parts and their bytes; the memos check theirs against these. */
enum { PA_ARENA_PIECES, PA_ARENA_PREFIXES, PA_ARENA_PAIRS, PA_ARENA_SHORT, PA_ARENA_PARTS };
#define PA_ARENA_PIECES_BYTES ((size_t)1 << 20)   /* piececache.c */
#define PA_ARENA_PREFIXES_BYTES ((size_t)1 << 18) /* backtrack.c */
#define PA_ARENA_PAIRS_BYTES ((size_t)1 << 17)    /* backtrack.c */
#define PA_ARENA_SHORT_BYTES ((size_t)1 << 17)    /* piececache.c */

#define PA_MEMOS_DUE ((size_t)64 << 10)

typedef struct Pa_memo_arena {
	unsigned char *base; /* NULL until a part is asked for */
	unsigned given;      /* a bit per part handed out since mapped */
	int failed;          /* the mapping failed: the memos allocate */
	size_t seen;         /* bytes of the texts encoded, up to PA_MEMOS_DUE */
} Pa_memo_arena;

/* Notes a text of n bytes about to be encoded with a's memos. */
static inline void pa_memo_arena_expect(Pa_memo_arena *a, size_t n)
{
	a->seen = n >= PA_MEMOS_DUE - a->seen ? PA_MEMOS_DUE : a->seen + n;
}

/* 1 when the memos may be made: the texts came to PA_MEMOS_DUE bytes, or
 * a is NULL (a workspace made for one call, whose memos do not wait). */
static inline int pa_memos_due(const Pa_memo_arena *a)
{
	return !a || a->seen >= PA_MEMOS_DUE;
}

/* Zeroed memory for `part`, aligned to 64 bytes, or NULL when a is NULL
 * or there is no arena (the caller allocates its own). */
void *Pa_memo_arena_part(Pa_memo_arena *a, int part);

/* 1 when p is memory of a's (not to be freed), else 0. */
int Pa_memo_arena_holds(const Pa_memo_arena *a, const void *p);

/* Unmaps a's memory; a is ready for use again. */
void Pa_memo_arena_release(Pa_memo_arena *a);

#endif
