/* check_ci.c - check's report in the formats of CI systems: GitHub
 * Actions workflow commands (see check.h). */
#include "check.h"

#include <stdlib.h>
#include <string.h>

/* GitHub workflow commands escape %, CR and LF (and in properties : and ,). */
static void gh_escape(pa_buf *out, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			pa_buf_puts(out, "%25");
		else if (*s == '\r')
			pa_buf_puts(out, "%0D");
		else if (*s == '\n')
			pa_buf_puts(out, "%0A");
		else if (property && *s == ':')
			pa_buf_puts(out, "%3A");
		else if (property && *s == ',')
			pa_buf_puts(out, "%2C");
		else
			pa_buf_putc(out, *s);
	}
}

/* One annotation: `::error file=F,line=L,col=C,title=promptasm check::M`.
 * file= is relative to the repository (repopaths.h), and left out for a
 * file outside it or when path is NULL, as line and col without a file. */
static void annotate(pa_buf *out, const check_report *c, const char *level,
                     const char *path, long line, long col, const char *msg)
{
	char *rel = path ? cli_repo_paths_relative(&c->paths, path) : NULL;

	pa_buf_printf(out, "::%s ", level);
	if (rel) {
		pa_buf_puts(out, "file=");
		gh_escape(out, rel, 1);
		pa_buf_printf(out, ",line=%ld,", line > 0 ? line : 1);
		if (line > 0 && col > 0)
			pa_buf_printf(out, "col=%ld,", col);
	}
	pa_buf_puts(out, "title=promptasm check::");
	gh_escape(out, msg, 0);
	pa_buf_putc(out, '\n');
	free(rel);
}

static void over_message(pa_buf *msg, const check_report *c, const check_agent *r)
{
	if (c->scope == PA_SCOPE_CONTEXT)
		pa_buf_printf(msg, "%s is over budget: its whole context is about ",
		              r->name);
	else
		pa_buf_printf(msg, "%s is over budget: ", r->name);
	pa_buf_put_count(msg, r->tokens);
	pa_buf_puts(msg, " tokens > ");
	pa_buf_put_count(msg, r->effective);
	if (r->effective != r->budget) {
		pa_buf_puts(msg, " (budget ");
		pa_buf_put_count(msg, r->budget);
		pa_buf_puts(msg, r->margin > 0 ? " less reserve and margin)" : " less reserve)");
	}
}

void check_out_github(const check_report *c, const check_tally *t, pa_buf *out)
{
	/* Errors fail the check; --strict makes warnings errors. */
	const char *warning = c->strict ? "error" : "warning";
	pa_buf msg = PA_BUF_INIT;
	size_t i;

	for (i = 0; i < c->nskipped; i++) {
		const check_skipped *s = &c->skipped[i];

		pa_buf_reset(&msg);
		pa_buf_printf(&msg, "%s agent file: %s", c->skip_invalid ? "skipped"
		              : "invalid", s->reason);
		annotate(out, c, c->skip_invalid ? warning : "error", s->path, s->line,
		         s->column, msg.ptr);
	}
	for (i = 0; i < c->warnings->n; i++) {
		const pa_warning *w = &c->warnings->items[i];

		annotate(out, c, warning, w->path, w->line, w->column, w->message);
	}
	for (i = 0; i < c->nagents; i++) {
		const check_agent *r = &c->agents[i];

		if (!r->over)
			continue;
		pa_buf_reset(&msg);
		over_message(&msg, c, r);
		annotate(out, c, "error", r->path, 1, 0, msg.ptr);
	}
	for (i = 0; i < c->nagents; i++) {
		const check_agent *r = &c->agents[i];

		if (r->base == CHECK_BASE_NEW) {
			pa_buf_reset(&msg);
			pa_buf_printf(&msg, "%s is new: ", r->name);
			pa_buf_put_count(&msg, r->tokens);
			pa_buf_puts(&msg, " tokens, none in the baseline");
			annotate(out, c, "notice", r->path, 1, 0, msg.ptr);
		}
		if (r->over || !r->grew)
			continue;
		pa_buf_reset(&msg);
		pa_buf_printf(&msg, "%s grew by more than ", r->name);
		pa_growth_limit_format(&c->max_growth, &msg);
		pa_buf_puts(&msg, " since the baseline: ");
		pa_buf_put_count(&msg, r->base_tokens);
		pa_buf_puts(&msg, " -> ");
		pa_buf_put_count(&msg, r->tokens);
		pa_buf_puts(&msg, " tokens, ");
		check_put_change(&msg, r);
		annotate(out, c, "error", r->path, 1, 0, msg.ptr);
	}
	for (i = 0; i < c->ngone; i++) {
		pa_buf_reset(&msg);
		pa_buf_printf(&msg, "%s is gone: it counted ", c->gone[i].name);
		pa_buf_put_count(&msg, c->gone[i].tokens);
		pa_buf_puts(&msg, " tokens in the baseline");
		annotate(out, c, "notice", NULL, 0, 0, msg.ptr);
	}
	for (i = 0; i < c->nfiles; i++) {
		const check_file *f = &c->files[i];

		if (f->tokens <= f->cap)
			continue;
		pa_buf_reset(&msg);
		pa_buf_printf(&msg, "%s is over its cap: ", f->path);
		pa_buf_put_count(&msg, f->tokens);
		pa_buf_puts(&msg, " tokens > ");
		pa_buf_put_count(&msg, f->cap);
		annotate(out, c, "error", f->path, 1, 0, msg.ptr);
	}
	pa_buf_printf(out, "::notice title=promptasm check::%zu agent%s checked, %zu over budget",
	              c->nagents, c->nagents == 1 ? "" : "s", t->over);
	if (c->baseline && c->max_growth.set)
		pa_buf_printf(out, ", %zu grew past the maximum", t->grew);
	if (c->baseline)
		pa_buf_printf(out, ", %zu new, %zu gone", t->new_agents, c->ngone);
	if (c->nfiles)
		pa_buf_printf(out, ", %zu file%s over %s cap", t->files_over,
		              t->files_over == 1 ? "" : "s",
		              t->files_over == 1 ? "its" : "their");
	if (t->skipped)
		pa_buf_printf(out, ", %zu agent file%s %s", t->skipped,
		              t->skipped == 1 ? "" : "s",
		              c->skip_invalid ? "skipped" : "invalid");
	if (t->warnings)
		pa_buf_printf(out, ", %zu warning%s%s", t->warnings,
		              t->warnings == 1 ? "" : "s", c->strict ? " (--strict)" : "");
	pa_buf_putc(out, '\n');
	pa_buf_release(&msg);
}
