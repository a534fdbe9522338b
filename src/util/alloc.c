/* alloc.c - allocation that does not return on failure: the one
 * out-of-memory policy of the library and the CLI (util.h), and growth. */
#define _DEFAULT_SOURCE /* madvise */
#include "util.h"
#include "platform.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static pa_nomem_handler nomem_handler;

void pa_set_nomem_handler(pa_nomem_handler handler)
{
	nomem_handler = handler;
}

/* The one policy (util.h): the program's handler, which may clean up and
 * print; else, or when it returns, a message written without
 * allocating and exit status 3, the CLI's status for out of memory.
 * Not abort(): running out of memory is no bug to dump core for, and the
 * status stays the documented one. */
_Noreturn void Pa_out_of_memory(size_t size)
{
	char msg[96];
	int n;

	if (nomem_handler)
		nomem_handler(size);
	/* snprintf and write(2) need no memory of their own; stdio's
	 * buffers might. */
	if (size && size != SIZE_MAX)
		n = snprintf(msg, sizeof(msg), "promptasm: out of memory "
		             "(allocating %zu bytes)\n", size);
	else
		n = snprintf(msg, sizeof(msg), "promptasm: out of memory\n");
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0) {
		/* nothing else to tell it with */
	}
	_Exit(3);
}

void *Pa_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		Pa_out_of_memory(size);
	return p;
}

void *Pa_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		Pa_out_of_memory(n * size);
	return p;
}

void *Pa_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		Pa_out_of_memory(size);
	return p;
}

void Pa_hint_huge(void *p, size_t size)
{
#if defined(MADV_HUGEPAGE) && PA_HAVE_MADVISE
	uintptr_t start = ((uintptr_t)p + PA_HUGE_PAGE - 1) & ~(uintptr_t)(PA_HUGE_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + size) & ~(uintptr_t)(PA_HUGE_PAGE - 1);

	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)size;
#endif
}

void *Pa_xalloc_huge(size_t *size)
{
#if defined(MADV_HUGEPAGE) && PA_HAVE_MADVISE
	size_t n = *size;
	void *p;

	if (n > SIZE_MAX - PA_HUGE_PAGE)
		Pa_out_of_memory(n);
	n = (n + PA_HUGE_PAGE - 1) & ~(PA_HUGE_PAGE - 1);
	if (n == 0)
		n = PA_HUGE_PAGE;
	p = aligned_alloc(PA_HUGE_PAGE, n);
	if (!p)
		Pa_out_of_memory(n);
	Pa_hint_huge(p, n);
	*size = n;
	return p;
#else
	/* No huge pages to ask for: rounding up would only waste memory. */
	return Pa_xmalloc(*size);
#endif
}

char *Pa_xstrndup(const char *s, size_t n)
{
	char *p = Pa_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *Pa_xgrow(void *ptr, size_t n, size_t size)
{
	if (n != 0 && (n & (n - 1)) != 0)
		return ptr;
	if (n > SIZE_MAX / 2 / size)
		Pa_out_of_memory(SIZE_MAX);
	return Pa_xrealloc(ptr, (n ? 2 * n : 1) * size);
}

char *Pa_xstrdup(const char *s)
{
	return Pa_xstrndup(s, strlen(s));
}

