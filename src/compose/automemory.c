/*
 * automemory.c - the main session's auto memory that a subagent receives
 * (automemory.h says where it is and how much of it is loaded).
 */
#define _XOPEN_SOURCE 700
#include "automemory.h"
#include "memory.h"

#include <stdlib.h>
#include <string.h>

pa_status pa_auto_memory_path(const pa_compose_options *opt, char **out,
                              pa_warnings *warn, pa_error *err)
{
	static const pa_compose_options defaults;
	Pa_places pl;
	pa_prompt *p;
	pa_status st;

	*out = NULL;
	if (!opt)
		opt = &defaults;
	st = Pa_places_init(&pl, opt, err);
	if (st != PA_OK)
		return st;
	p = Pa_xcalloc(1, sizeof(*p));
	Pa_warnings_add_copies(warn, &pl.cc->warn);
	Pa_automemory_add(p, opt, &pl, warn);
	if (p->n)
		*out = Pa_xstrdup(p->sections[0].path);
	pa_prompt_free(p);
	Pa_places_release(&pl);
	return PA_OK;
}

void Pa_automemory_add(pa_prompt *p, const pa_compose_options *opt,
                       const Pa_places *pl, pa_warnings *warn)
{
	Pa_cc_auto_memory own;
	const Pa_cc_auto_memory *a = Pa_places_auto_memory(pl, opt, &own);
	const Pa_cc_auto_memory m = *a;

	Pa_warnings_add_copies(warn, &m.warn);
	if (m.text) {
		pa_buf body = PA_BUF_INIT, heading = PA_BUF_INIT;
		Pa_origin origin;
		long *lines;
		size_t nlines;

		pa_buf_put(&body, m.text, m.len);
		if (m.cut)
			pa_buf_printf(&body, "\n\nWARNING: MEMORY.md was cut: only %s "
			              "were loaded, because at most %d lines and %d "
			              "characters are. Move details into other files of "
			              "the memory directory and keep MEMORY.md a short "
			              "index.", m.note, PA_MEMORY_MAX_LINES,
			              PA_MEMORY_MAX_CHARS);
		lines = Pa_lines_from(0, body.ptr, body.len, &nlines);
		origin.file = m.file;
		origin.lines = lines;
		origin.nlines = nlines;
		pa_buf_printf(&heading, "## auto memory: %s", m.shown);
		Pa_prompt_add(p, PA_SECTION_AUTO_MEMORY, m.shown, &origin, body.ptr,
		              body.len, m.cut, 0, NULL, heading.ptr);
		free(lines);
		pa_buf_release(&body);
		pa_buf_release(&heading);
	}
	Pa_cc_auto_memory_release(&own);
}
