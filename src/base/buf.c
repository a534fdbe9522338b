/* buf.c - the growable buffer (pa_buf) and allocation that does not
 * return on failure. */
#define _DEFAULT_SOURCE /* madvise */
#include "base.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* What an empty buffer points at, so ptr is never NULL.  Never written:
 * pa_buf_grow() allocates before the first byte is stored. */
char pa_buf_empty[1];

static pa_nomem_handler nomem_handler;

void pa_set_nomem_handler(pa_nomem_handler handler)
{
	nomem_handler = handler;
}

/* The library never prints: a program that wants a message and an exit
 * status installs a handler. */
static void out_of_memory(size_t size)
{
	if (nomem_handler)
		nomem_handler(size);
	abort();
}

void *pa_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *pa_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *pa_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void pa_hint_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
	uintptr_t start = ((uintptr_t)p + PA_HUGE_PAGE - 1) & ~(uintptr_t)(PA_HUGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + size) & ~(uintptr_t)(PA_HUGE_PAGE - 1);

	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)size;
#endif
}

void *pa_xalloc_huge(size_t *size)
{
#ifdef MADV_HUGEPAGE
	size_t n = *size;
	void *p;

	if (n > SIZE_MAX - PA_HUGE_PAGE)
		out_of_memory(n);
	n = (n + PA_HUGE_PAGE - 1) & ~(PA_HUGE_PAGE - 1);
	if (n == 0)
		n = PA_HUGE_PAGE;
	p = aligned_alloc(PA_HUGE_PAGE, n);
	if (!p)
		out_of_memory(n);
	pa_hint_huge(p, n);
	*size = n;
	return p;
#else
	/* No huge pages to ask for: rounding up would only waste memory. */
	return pa_xmalloc(*size);
#endif
}

char *pa_xstrndup(const char *s, size_t n)
{
	char *p = pa_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *pa_xgrow(void *ptr, size_t n, size_t size)
{
	if (n != 0 && (n & (n - 1)) != 0)
		return ptr;
	if (n > SIZE_MAX / 2 / size)
		out_of_memory(SIZE_MAX);
	return pa_xrealloc(ptr, (n ? 2 * n : 1) * size);
}

char *pa_xstrdup(const char *s)
{
	return pa_xstrndup(s, strlen(s));
}

/* From this capacity on a buffer is allocated in huge pages
 * (pa_xalloc_huge): count and tokenize read their input in blocks of 1 MiB
 * per thread. */
#define BUF_HUGE ((size_t)1 << 20)

void pa_buf_grow(pa_buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		out_of_memory(SIZE_MAX);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap >= BUF_HUGE) {
		/* An input read in blocks, a large file: in huge pages.  Copied,
		 * not realloc'd: realloc remaps the block to an address that is
		 * not huge-page aligned, which splits its huge pages (1 MB of
		 * random letters took 82 ms instead of 64). */
		char *p = pa_xalloc_huge(&cap);

		memcpy(p, b->ptr, b->len + 1);
		if (b->cap)
			free(b->ptr);
		b->ptr = p;
	} else if (b->cap == 0) {
		b->ptr = pa_xmalloc(cap);
		b->ptr[0] = '\0';
	} else {
		b->ptr = pa_xrealloc(b->ptr, cap);
	}
	b->cap = cap;
}

void pa_buf_put(pa_buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	pa_buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void pa_buf_puts(pa_buf *b, const char *s)
{
	pa_buf_put(b, s, strlen(s));
}

void pa_buf_putc(pa_buf *b, char c)
{
	pa_buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

void pa_buf_vprintf(pa_buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	pa_buf_grow(b, 64);
	va_copy(again, ap);
	n = vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, ap);
	if (n < 0) {
		va_end(again);
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		pa_buf_grow(b, (size_t)n);
		vsnprintf(b->ptr + b->len, b->cap - b->len, fmt, again);
	}
	va_end(again);
	b->len += (size_t)n;
}

void pa_buf_printf(pa_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pa_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void pa_buf_truncate(pa_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->ptr[len] = '\0';
}

void pa_buf_reset(pa_buf *b)
{
	pa_buf_truncate(b, 0);
}

char *pa_buf_detach(pa_buf *b, size_t *len)
{
	char *p = b->cap ? b->ptr : pa_xstrdup("");

	if (len)
		*len = b->len;
	b->ptr = pa_buf_empty;
	b->len = b->cap = 0;
	return p;
}

void pa_buf_release(pa_buf *b)
{
	if (b->cap)
		free(b->ptr);
	b->ptr = pa_buf_empty;
	b->len = b->cap = 0;
}

void pa_buf_put_count(pa_buf *b, size_t v)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%zu", v), i;

	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			pa_buf_putc(b, ',');
		pa_buf_putc(b, digits[i]);
	}
}
