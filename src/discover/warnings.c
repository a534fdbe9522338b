/*
 * warnings.c - the warnings of a discovery and a composition: data the
 * library returns, never prints.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void Pa_warn_at(pa_warnings *w, const char *path, long line,
                const char *fmt, ...)
{
	pa_buf b = PA_BUF_INIT;
	pa_warning *item;
	va_list ap;

	if (!w)
		return;
	va_start(ap, fmt);
	pa_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	w->items = Pa_xgrow(w->items, w->n, sizeof(*w->items));
	item = &w->items[w->n++];
	memset(item, 0, sizeof(*item));
	item->message = pa_buf_detach(&b, NULL);
	item->path = path ? Pa_xstrdup(path) : NULL;
	item->line = line;
}

void Pa_warn_agent_skipped(pa_warnings *w, const char *path, long line,
                           long column, const char *reason)
{
	pa_warning *item;

	if (!w)
		return;
	if (line > 0 && column > 0)
		Pa_warn_at(w, path, line, "skipped %s:%ld:%ld: %s", path, line, column,
		           reason);
	else if (line > 0)
		Pa_warn_at(w, path, line, "skipped %s:%ld: %s", path, line, reason);
	else
		Pa_warn_at(w, path, 0, "skipped %s: %s", path, reason);
	item = &w->items[w->n - 1];
	item->column = line > 0 ? column : 0;
	item->kind = PA_WARNING_AGENT_SKIPPED;
	item->reason = Pa_xstrdup(reason);
}

void Pa_warn_incomplete(pa_warnings *w, const char *path, const char *reason)
{
	Pa_warn_incomplete_at(w, path, 0, reason);
}

void Pa_warn_incomplete_at(pa_warnings *w, const char *path, long line,
                           const char *reason)
{
	pa_warning *item;

	if (!w)
		return;
	if (line > 0)
		Pa_warn_at(w, path, line, "%s:%ld: not read: %s", path, line, reason);
	else
		Pa_warn_at(w, path, 0, "%s: not read: %s", path, reason);
	item = &w->items[w->n - 1];
	item->kind = PA_WARNING_INCOMPLETE;
	item->reason = Pa_xstrdup(reason);
}

void Pa_warnings_add_copies(pa_warnings *w, const pa_warnings *from)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < from->n; i++) {
		const pa_warning *x = &from->items[i];
		pa_warning *item;

		w->items = Pa_xgrow(w->items, w->n, sizeof(*w->items));
		item = &w->items[w->n++];
		*item = *x;
		item->message = x->message ? Pa_xstrdup(x->message) : NULL;
		item->path = x->path ? Pa_xstrdup(x->path) : NULL;
		item->reason = x->reason ? Pa_xstrdup(x->reason) : NULL;
	}
}

void pa_warnings_release(pa_warnings *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++) {
		free(w->items[i].message);
		free(w->items[i].path);
		free(w->items[i].reason);
	}
	free(w->items);
	w->items = NULL;
	w->n = 0;
}
