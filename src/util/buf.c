/* buf.c - the growable buffer (pa_buf). */
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What an empty buffer points at, so ptr is never NULL.  Never written:
 * pa_buf_grow() allocates before the first byte is stored. */
char pa_buf_empty[1];

/* From this capacity on a buffer is allocated in huge pages
 * (Pa_xalloc_huge): count and tokenize read their input in blocks of 1 MiB
 * per thread. */
#define BUF_HUGE ((size_t)1 << 20)

void pa_buf_grow(pa_buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		Pa_out_of_memory(SIZE_MAX);
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
		char *p = Pa_xalloc_huge(&cap);

		memcpy(p, b->ptr, b->len + 1);
		if (b->cap)
			free(b->ptr);
		b->ptr = p;
	} else if (b->cap == 0) {
		b->ptr = Pa_xmalloc(cap);
		b->ptr[0] = '\0';
	} else {
		b->ptr = Pa_xrealloc(b->ptr, cap);
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
	char *p = b->cap ? b->ptr : Pa_xstrdup("");

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
