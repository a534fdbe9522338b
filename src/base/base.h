/*
 * base.h - the base layer: helpers every module of the library uses
 * (errors, allocation, UTF-8).  Not installed; the CLI (src/cli/) sees
 * only include/promptasm.h and src/util/util.h.
 */
#ifndef PA_BASE_H
#define PA_BASE_H

#include "promptasm.h"

#include <stdbool.h>
#include <string.h>

#if defined(__GNUC__)
#define PA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PA_PRINTF(f, a)
#endif

/* For the hot loops of the tokenizer, where GCC's own choice was
 * measured worse: a function inlined whatever its size, or kept a call. */
#if defined(__GNUC__)
#define ALWAYS_INLINE __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))
#else
#define ALWAYS_INLINE
#define NOINLINE
#endif

/* Fills err (when not NULL) and returns status, so a failure path is one
 * line: `return pa_error_set(err, PA_ERR_IO, path, 0, 0, "cannot open: %s", ...)`. */
pa_status pa_error_set(pa_error *err, pa_status status, const char *file,
                       long line, long column, const char *fmt, ...)
	PA_PRINTF(6, 7);

/* Clears err to "no error" (status PA_OK, offset -1). */
void pa_error_clear(pa_error *err);

/* Allocation that aborts on failure, as pa_buf does (see promptasm.h). */
void *pa_xmalloc(size_t size);
void *pa_xcalloc(size_t n, size_t size);
void *pa_xrealloc(void *ptr, size_t size);
char *pa_xstrdup(const char *s);
char *pa_xstrndup(const char *s, size_t n);

/* Large arrays written soon after they are made: a page fault for every
 * 4 KB of them was a third to a half of counting 1 MB of text without
 * spaces on the development machine (a VM, where a fault costs 11 us;
 * faulting in a huge page of 2 MB costs about as much).  pa_xalloc_huge
 * returns *size bytes or more (rounded up to whole huge pages, the size
 * it sets), aligned to a huge page, uninitialized, to be freed with
 * free(); pa_hint_huge asks for huge pages under the whole huge pages of
 * memory already allocated.  Both only hint: where the kernel does not
 * take the hint, the memory is as malloc's. */
#define PA_HUGE_PAGE ((size_t)2 << 20)
void *pa_xalloc_huge(size_t *size);
void pa_hint_huge(void *p, size_t size);

/* Makes room in an array for element n (of `size` bytes): call it before
 * storing element n of an array that only ever grew by one from NULL.  It
 * doubles the array when n is 0 or a power of two, so n additions cost
 * O(n) copying; growing by one each time costs O(n^2) wherever realloc
 * cannot extend in place (under AddressSanitizer, always). */
void *pa_xgrow(void *ptr, size_t n, size_t size);

/* How many of the 8 bytes at s are ASCII before the first that is not
 * (8: all of them): a run of ASCII, the common case of text, is skipped a
 * word at a time. */
static inline size_t pa_ascii_run8(const unsigned char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	w &= 0x8080808080808080ull;
	if (!w)
		return 8;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(w) / 8;
#else
	{
		size_t k = 0;

		while (s[k] < 0x80)
			k++;
		return k;
	}
#endif
}

struct stat;

/* Opens the regular file at path for reading (PA_FILE_NOFOLLOW: not
 * through a final symbolic link) without ever blocking, or refuses it as
 * pa_file_read_limited() does; fills *st. */
pa_status pa_file_open_regular(const char *path, unsigned flags, int *fd_out,
                               struct stat *st, pa_error *err);

/* Decodes one UTF-8 character at s (len bytes available, at least 1).
 * Returns its length (1-4) and stores the code point; for an invalid
 * sequence returns 0.  */
int pa_utf8_decode(const unsigned char *s, size_t len, int32_t *cp);

#endif
