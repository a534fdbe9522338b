/* memoarena.c - the memos' huge page (see memoarena.h). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include "memoarena.h"
#include "util/platform.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_BYTES ((size_t)2 << 20)

static const size_t part_at[PA_ARENA_PARTS] = {
	0, PA_ARENA_PIECES_BYTES, PA_ARENA_PIECES_BYTES + PA_ARENA_PREFIXES_BYTES,
	PA_ARENA_PIECES_BYTES + PA_ARENA_PREFIXES_BYTES + PA_ARENA_PAIRS_BYTES
};
static const size_t part_bytes[PA_ARENA_PARTS] = {
	PA_ARENA_PIECES_BYTES, PA_ARENA_PREFIXES_BYTES, PA_ARENA_PAIRS_BYTES,
	PA_ARENA_SHORT_BYTES
};

_Static_assert(PA_ARENA_PIECES_BYTES + PA_ARENA_PREFIXES_BYTES + PA_ARENA_PAIRS_BYTES +
               PA_ARENA_SHORT_BYTES <= ARENA_BYTES, "the parts fit the huge page");

/* ARENA_BYTES on a huge page's bounds, mapped afresh, or NULL.  Not in
 * WebAssembly (the npm package): there a mapping is memory taken from the
 * heap and zeroed whole at once, twice the arena to align it, where the
 * memos' own calloc() zeroes only what they take. */
static unsigned char *map_arena(void)
{
#if defined(MAP_ANONYMOUS) && !defined(__EMSCRIPTEN__)
	size_t span = 2 * ARENA_BYTES, head;
	unsigned char *m = mmap(NULL, span, PROT_READ | PROT_WRITE,
	                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uintptr_t at;

	if (m == MAP_FAILED)
		return NULL;
	at = ((uintptr_t)m + ARENA_BYTES - 1) & ~(uintptr_t)(ARENA_BYTES - 1);
	head = (size_t)(at - (uintptr_t)m);
	if (head)
		(void)munmap(m, head);
	(void)munmap((unsigned char *)at + ARENA_BYTES, span - head - ARENA_BYTES);
#if defined(MADV_HUGEPAGE) && PA_HAVE_MADVISE
	(void)madvise((void *)at, ARENA_BYTES, MADV_HUGEPAGE);
#endif
	return (unsigned char *)at;
#else
	return NULL;
#endif
}

void *Pa_memo_arena_part(Pa_memo_arena *a, int part)
{
	unsigned char *p;

	if (!a || a->failed || part < 0 || part >= PA_ARENA_PARTS)
		return NULL;
	if (!a->base) {
		a->base = map_arena();
		a->given = 0;
		if (!a->base) {
			a->failed = 1;
			return NULL;
		}
	}
	p = a->base + part_at[part];
	/* Handed out before and forgotten (the scratch let go of it):
	 * zeroed again, as calloc would be. */
	if (a->given & 1u << part)
		memset(p, 0, part_bytes[part]);
	a->given |= 1u << part;
	return p;
}

int Pa_memo_arena_holds(const Pa_memo_arena *a, const void *p)
{
	uintptr_t at = (uintptr_t)p;

	return a && a->base && at >= (uintptr_t)a->base &&
	       at - (uintptr_t)a->base < ARENA_BYTES;
}

void Pa_memo_arena_release(Pa_memo_arena *a)
{
#if defined(MAP_ANONYMOUS) && !defined(__EMSCRIPTEN__)
	if (a->base)
		(void)munmap(a->base, ARENA_BYTES);
#endif
	memset(a, 0, sizeof(*a));
}
