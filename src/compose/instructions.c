/*
 * instructions.c - the project instructions as sections of a prompt: the
 * CLAUDE.md files, rules and @imports that the discover stage read
 * (src/discover/instructions.c says which, in Claude Code's order), each
 * under its heading.
 */
#include "instructions.h"

#include <stdlib.h>
#include <string.h>

/* Appends the files of m (the managed ones alone with managed_only),
 * and what reading them warned. */
static void add_files(pa_prompt *p, const Pa_cc_instructions *m,
                      int managed_only, pa_warnings *warn)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		const Pa_cc_instruction *f = &m->files[i];
		pa_buf heading = PA_BUF_INIT;
		Pa_origin origin;
		int import = f->kind == PA_SECTION_IMPORT;

		if (managed_only && !f->managed)
			continue;

		if (f->policy)
			pa_buf_printf(&heading, "## managed: %s (claudeMd)", f->shown);
		else if (import)
			pa_buf_printf(&heading, "## import: %s (imported by %s)",
			              f->shown, f->parent);
		else if (f->kind == PA_SECTION_SKILL)
			pa_buf_printf(&heading, "## skill: %s (%s)", f->parent, f->shown);
		else
			pa_buf_printf(&heading, "## %s: %s",
			              pa_section_kind_name(f->kind), f->shown);
		origin.file = f->real;
		origin.lines = f->lines;
		origin.nlines = f->nlines;
		Pa_prompt_add(p, f->kind, f->shown, &origin, f->text, f->len, 0,
		              import ? f->depth : 0, import ? f->parent : NULL,
		              heading.ptr);
		pa_buf_release(&heading);
	}
	Pa_warnings_add_copies(warn, &m->warn);
}

pa_status Pa_claudemd_add(pa_prompt *p, const pa_compose_options *opt,
                          const Pa_places *pl, int managed_only,
                          pa_warnings *warn, pa_error *err)
{
	Pa_cc_instructions own;
	const Pa_cc_instructions *m = Pa_places_instructions(pl, opt, &own);
	pa_status st = m->status;

	if (st != PA_OK) {
		if (err)
			*err = m->err;
	} else {
		add_files(p, m, managed_only, warn);
	}
	Pa_cc_instructions_release(&own);
	return st;
}

void Pa_instructions_add_file(pa_prompt *p, const pa_compose_options *opt,
                              const Pa_places *pl, pa_warnings *warn,
                              const char *path, pa_section_kind kind,
                              const char *parent)
{
	Pa_cc_instructions m;

	Pa_cc_read_instruction_file(&m, opt, pl, path, kind, parent);
	add_files(p, &m, 0, warn);
	Pa_cc_instructions_release(&m);
}
