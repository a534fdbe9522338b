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
 * memo (the memo of pieces and that of short pieces wait for 64 pieces,
 * the merge's for 8 KB merged) never map it.
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

typedef struct pa_memo_arena {
	unsigned char *base; /* NULL until a part is asked for */
	unsigned given;      /* a bit per part handed out since mapped */
	int failed;          /* the mapping failed: the memos allocate */
} pa_memo_arena;

/* Zeroed memory for `part`, aligned to 64 bytes, or NULL when a is NULL
 * or there is no arena (the caller allocates its own). */
void *Pa_memo_arena_part(pa_memo_arena *a, int part);

/* 1 when p is memory of a's (not to be freed), else 0. */
int Pa_memo_arena_holds(const pa_memo_arena *a, const void *p);

/* Unmaps a's memory; a is ready for use again. */
void Pa_memo_arena_release(pa_memo_arena *a);

#endif
