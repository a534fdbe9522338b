/* check_ci.c - check's report in the formats of CI systems: GitHub
 * Actions workflow commands (see check.h). */
#include "check.h"
#include "util.h"

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
 * file outside it or when path is NULL, as line and col without a file;
 * also for a path the quoting rule would change (util.h): such a name
 * cannot be handed on as it is, and the message names it, quoted.  The
 * message is quoted as running text before the runner's own escapes. */
static void annotate(pa_buf *out, const check_report *c, const char *level,
                     const char *path, long line, long col, const char *msg)
{
	char *rel = path ? cli_repo_paths_relative(&c->paths, path) : NULL;
	pa_buf quoted = PA_BUF_INIT;

	if (rel && Pa_quote_needed(rel, strlen(rel))) {
		Pa_quote_str(&quoted, path);
		pa_buf_puts(&quoted, ": ");
		free(rel);
		rel = NULL;
	}

	pa_buf_printf(out, "::%s ", level);
	if (rel) {
		pa_buf_puts(out, "file=");
		gh_escape(out, rel, 1);
		pa_buf_printf(out, ",line=%ld,", line > 0 ? line : 1);
		if (line > 0 && col > 0)
			pa_buf_printf(out, "col=%ld,", col);
	}
	pa_buf_puts(out, "title=promptasm check::");
	Pa_quote_text(&quoted, msg, strlen(msg));
	gh_escape(out, quoted.ptr, 0);
	pa_buf_putc(out, '\n');
	pa_buf_release(&quoted);
	free(rel);
}

static void over_message(pa_buf *msg, const check_report *c, const check_agent *r)
{
	/* A CLI's first request is no agent's context: worded as the
	 * window's line words it (check_put_window()). */
	if (c->scope == PA_SCOPE_CONTEXT)
		pa_buf_printf(msg, "%s is over budget: %s is about ", r->name,
		              r->request ? "its first request" : "its whole context");
	else
		pa_buf_printf(msg, "%s is over budget: ", r->name);
	pa_buf_put_count(msg, r->tokens);
	pa_buf_puts(msg, " tokens against a budget of ");
	check_put_budget(msg, r);
	if (r->note)
		pa_buf_printf(msg, "; %s", r->note);
}

/* Where an agent's failure is annotated: the file that grew most since
 * the baseline, at its first line that differs from the baseline's copy
 * (--baseline-dir), else at the line where its text starts, and the
 * message says so; else the agent's file. */
static void annotate_agent(pa_buf *out, const check_report *c, const check_agent *r,
                           pa_buf *msg)
{
	const check_section *s = check_grown_most(r);

	if (!s) {
		annotate(out, c, "error", r->path, r->line, r->column, msg->ptr);
		return;
	}
	pa_buf_printf(msg, "; it grew most in %s (%s, +", s->path, s->kind);
	pa_buf_put_count(msg, (size_t)s->change);
	pa_buf_puts(msg, " tokens)");
	annotate(out, c, "error", s->path, s->changed ? s->changed : s->line, 0,
	         msg->ptr);
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
		if (s->incomplete)
			pa_buf_printf(&msg, "%s: %s", c->skip_invalid ? "not read"
			              : "cannot check", s->reason);
		else
			pa_buf_printf(&msg, "%s agent file: %s", c->skip_invalid
			              ? "skipped" : "invalid", s->reason);
		annotate(out, c, c->skip_invalid ? warning : "error", s->path, s->line,
		         s->column, msg.ptr);
	}
	for (i = 0; i < c->warnings->n; i++) {
		const pa_warning *w = &c->warnings->items[i];

		annotate(out, c, warning, w->path, w->line, w->column, w->message);
	}
	for (i = 0; i < c->nagents; i++) {
		const check_agent *r = &c->agents[i];

		if (r->over) {
			pa_buf_reset(&msg);
			over_message(&msg, c, r);
			/* another CLI's row is a directory: its cut file, if any */
			if (r->request)
				annotate(out, c, "error", r->cut_path, r->cut_line,
				         r->cut_column, msg.ptr);
			else
				annotate_agent(out, c, r, &msg);
		}
		if (r->over_window) {
			pa_buf_reset(&msg);
			check_put_window(&msg, r);
			annotate(out, c, "error", r->request
			         ? r->cut_path : r->path, 1, 0, msg.ptr);
		}
		if (r->cut) {
			pa_buf_reset(&msg);
			pa_buf_printf(&msg, "%s: %s", r->name, r->cut);
			annotate(out, c, "error", r->cut_path, r->cut_line, r->cut_column,
			         msg.ptr);
		}
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
		if (r->over || r->over_window || !r->grew)
			continue;
		pa_buf_reset(&msg);
		pa_buf_printf(&msg, "%s grew by more than ", r->name);
		Pa_growth_limit_format(&c->max_growth, &msg);
		pa_buf_puts(&msg, " since the baseline: ");
		pa_buf_put_count(&msg, r->base_tokens);
		pa_buf_puts(&msg, " -> ");
		pa_buf_put_count(&msg, r->tokens);
		pa_buf_puts(&msg, " tokens, ");
		check_put_change(&msg, r);
		annotate_agent(out, c, r, &msg);
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
	pa_buf_puts(out, "::notice title=promptasm check::");
	pa_buf_reset(&msg);
	check_put_summary(&msg, c, t);
	gh_escape(out, msg.ptr, 0);
	if (t->over_window)
		pa_buf_printf(out, ", %zu over the model's context window", t->over_window);
	if (c->baseline)
		pa_buf_printf(out, ", %zu new, %zu gone", t->new_agents, c->ngone);
	if (c->nfiles)
		pa_buf_printf(out, ", %zu file%s over %s cap", t->files_over,
		              t->files_over == 1 ? "" : "s",
		              t->files_over == 1 ? "its" : "their");
	if (t->skipped) {
		size_t unread = 0, k;

		/* Files left unread may be rules or imports, not agent files. */
		for (k = 0; k < c->nskipped; k++)
			unread += c->skipped[k].incomplete != 0;
		if (t->skipped > unread)
			pa_buf_printf(out, ", %zu agent file%s %s", t->skipped - unread,
			              t->skipped - unread == 1 ? "" : "s",
			              c->skip_invalid ? "skipped" : "invalid");
		if (unread)
			pa_buf_printf(out, ", %zu file%s not read", unread,
			              unread == 1 ? "" : "s");
	}
	if (t->warnings)
		pa_buf_printf(out, ", %zu warning%s%s", t->warnings,
		              t->warnings == 1 ? "" : "s", c->strict ? " (--strict)" : "");
	if (c->n_on_demand) {
		pa_buf_printf(out, ", %zu file%s loaded on demand (", c->n_on_demand,
		              c->n_on_demand == 1 ? "" : "s");
		pa_buf_put_count(out, check_on_demand_tokens(c));
		pa_buf_puts(out, " tokens, in no agent's count)");
	}
	/* how a budget became the effective one, as every format says it */
	pa_buf_reset(&msg);
	check_put_conversion(&msg, c);
	if (msg.len) {
		pa_buf_puts(out, "; ");
		gh_escape(out, msg.ptr, 0);
	}
	pa_buf_putc(out, '\n');
	pa_buf_release(&msg);
}

/* ---- JUnit XML ---- */

/* Text as XML character data or an attribute value (attr): valid UTF-8
 * (bad bytes become U+FFFD), the characters XML 1.0 does not allow
 * replaced by U+FFFD too, markup escaped, and in an attribute the white
 * space a parser would fold kept as character references. */
static void xml_escape(pa_buf *out, const char *s, int attr)
{
	pa_buf clean = PA_BUF_INIT;
	const unsigned char *p;

	pa_utf8_lossy(s, strlen(s), &clean);
	for (p = (const unsigned char *)clean.ptr; *p; p++) {
		if (*p == '&')
			pa_buf_puts(out, "&amp;");
		else if (*p == '<')
			pa_buf_puts(out, "&lt;");
		else if (*p == '>')
			pa_buf_puts(out, "&gt;");
		else if (attr && *p == '"')
			pa_buf_puts(out, "&quot;");
		else if (attr && (*p == '\n' || *p == '\r' || *p == '\t'))
			pa_buf_printf(out, "&#%d;", *p);
		else if (*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t')
			pa_buf_puts(out, "\xEF\xBF\xBD");
		else if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
			pa_buf_puts(out, "\xEF\xBF\xBD"); /* U+FFFE, U+FFFF */
			p += 2;
		} else
			pa_buf_putc(out, (char)*p);
	}
	pa_buf_release(&clean);
}

/* A name or path (Pa_quote), or running text (Pa_quote_text), as XML. */
static void xml_value(pa_buf *out, const char *s, int attr)
{
	pa_buf q = PA_BUF_INIT;

	Pa_quote_str(&q, s);
	xml_escape(out, q.ptr, attr);
	pa_buf_release(&q);
}

static void xml_text(pa_buf *out, const char *s, int attr)
{
	pa_buf q = PA_BUF_INIT;

	Pa_quote_text(&q, s, strlen(s));
	xml_escape(out, q.ptr, attr);
	pa_buf_release(&q);
}

static void xml_property(pa_buf *out, const char *agent, const char *key,
                         const char *value)
{
	pa_buf_puts(out, "      <property name=\"");
	xml_value(out, agent, 1);
	pa_buf_printf(out, ".%s\" value=\"", key);
	xml_escape(out, value, 1);
	pa_buf_puts(out, "\"/>\n");
}

static void properties(pa_buf *out, const check_report *c)
{
	pa_buf v = PA_BUF_INIT;
	size_t i;

	if (!c->nagents)
		return;
	/* Properties belong to the suite in the JUnit schema Jenkins
	 * validates with: one per agent and figure, named AGENT.KEY. */
	pa_buf_puts(out, "    <properties>\n");
	for (i = 0; i < c->nagents; i++) {
		const check_agent *a = &c->agents[i];

		pa_buf_reset(&v);
		pa_buf_printf(&v, "%zu", a->tokens);
		xml_property(out, a->name, "tokens", v.ptr);
		xml_property(out, a->name, "tokenizer", a->tokenizer);
		xml_property(out, a->name, "exact", a->exact ? "true" : "false");
		if (a->has_budget) {
			pa_buf_reset(&v);
			pa_buf_printf(&v, "%zu", a->budget);
			xml_property(out, a->name, "budget", v.ptr);
			pa_buf_reset(&v);
			pa_buf_printf(&v, "%zu", a->effective);
			xml_property(out, a->name, "effective_budget", v.ptr);
		}
		if (a->base == CHECK_BASE_COMPARED) {
			pa_buf_reset(&v);
			pa_buf_printf(&v, "%zu", a->base_tokens);
			xml_property(out, a->name, "baseline_tokens", v.ptr);
		}
	}
	/* what the budgets hold, where requests of CLIs are rows: named
	 * without a dot, apart from the agents' AGENT.KEY */
	for (i = 0; i < c->nagents && !c->agents[i].request; i++)
		;
	if (i < c->nagents) {
		pa_buf_puts(out, "      <property name=\"budget_scope\" value=\"");
		pa_buf_puts(out, c->scope == PA_SCOPE_CONTEXT ? "context" : "prompt");
		pa_buf_puts(out, "\"/>\n");
	}
	/* how a budget became the effective one, as every format says it:
	 * named without a dot, apart from the agents' AGENT.KEY */
	pa_buf_reset(&v);
	check_put_conversion(&v, c);
	if (v.len) {
		pa_buf_puts(out, "      <property name=\"budgets\" value=\"");
		xml_escape(out, v.ptr, 1);
		pa_buf_puts(out, "\"/>\n");
	}
	pa_buf_puts(out, "    </properties>\n");
	pa_buf_release(&v);
}

/* What a failure says about an agent: its figures, one line. */
static void agent_detail(pa_buf *d, const check_agent *a)
{
	Pa_quote_str(d, a->name);
	pa_buf_puts(d, " (");
	Pa_quote_str(d, a->path);
	pa_buf_printf(d, "): %s", a->exact ? "" : "about ");
	pa_buf_put_count(d, a->tokens);
	pa_buf_printf(d, " tokens, %s%s", a->tokenizer, a->exact ? "" : " (an estimate)");
	if (a->has_budget) {
		pa_buf_puts(d, "; budget ");
		check_put_budget(d, a);
	}
	if (a->over_window) {
		pa_buf_puts(d, a->context ? "; whole context about " : "; first request about ");
		pa_buf_put_count(d, a->context ? a->context->tokens : a->tokens);
		pa_buf_puts(d, ", over the model's window of ");
		pa_buf_put_count(d, a->window);
	}
	if (a->cut) {
		pa_buf_puts(d, "; ");
		Pa_quote_text(d, a->cut, strlen(a->cut));
	}
	if (a->base == CHECK_BASE_COMPARED) {
		pa_buf_puts(d, "; baseline ");
		pa_buf_put_count(d, a->base_tokens);
		pa_buf_puts(d, ", change ");
		check_put_change(d, a);
	}
}

static void testcase_open(pa_buf *out, const char *name, const char *classname)
{
	pa_buf_puts(out, "    <testcase name=\"");
	xml_value(out, name, 1);
	pa_buf_printf(out, "\" classname=\"%s\">\n", classname);
}

/* <failure>, <error> or <skipped>, with a message attribute and a text. */
/* What a passing test case reports. */
static void system_out(pa_buf *out, const char *detail)
{
	pa_buf_puts(out, "      <system-out>");
	xml_escape(out, detail, 0);
	pa_buf_puts(out, "</system-out>\n");
}

static void outcome(pa_buf *out, const char *element, const char *type,
                    const char *message, const char *text)
{
	pa_buf_printf(out, "      <%s", element);
	if (type)
		pa_buf_printf(out, " type=\"%s\"", type);
	pa_buf_puts(out, " message=\"");
	xml_text(out, message, 1);
	pa_buf_puts(out, "\">");
	xml_escape(out, text, 0);
	pa_buf_printf(out, "</%s>\n", element);
}

/* JUnit XML for GitLab, Jenkins and the like: one suite "promptasm
 * check", a test case per agent (a failure when over budget, over the
 * model's context window or grown past the maximum), per agent file that does not load (an error, or with
 * --skip-invalid skipped), per instruction file with a cap, and one for
 * the warnings (a failure with --strict).  No time or host: the same
 * project gives the same file. */
void check_out_junit(const check_report *c, const check_tally *t, pa_buf *out)
{
	pa_buf body = PA_BUF_INIT, msg = PA_BUF_INIT, detail = PA_BUF_INIT;
	size_t i, tests = 0, failures = 0, errors = 0, skipped = 0;

	(void)t;
	for (i = 0; i < c->nagents; i++) {
		const check_agent *a = &c->agents[i];

		tests++;
		pa_buf_reset(&msg);
		pa_buf_printf(&msg, "promptasm.check.%s", check_cli_name(a));
		testcase_open(&body, a->name, !a->request
		              ? "promptasm.check.agent" : msg.ptr);
		pa_buf_reset(&detail);
		agent_detail(&detail, a);
		pa_buf_reset(&msg);
		if (a->over) {
			over_message(&msg, c, a);
			outcome(&body, "failure", "over budget", msg.ptr, detail.ptr);
			failures++;
		} else if (a->over_window) {
			check_put_window(&msg, a);
			outcome(&body, "failure", "over window", msg.ptr, detail.ptr);
			failures++;
		} else if (a->cut) {
			Pa_quote_text(&msg, a->cut, strlen(a->cut));
			outcome(&body, "failure", "cut", msg.ptr, detail.ptr);
			failures++;
		} else if (a->grew) {
			pa_buf_printf(&msg, "%s grew by more than ", a->name);
			Pa_growth_limit_format(&c->max_growth, &msg);
			pa_buf_puts(&msg, " since the baseline");
			outcome(&body, "failure", "over growth", msg.ptr, detail.ptr);
			failures++;
		} else {
			system_out(&body, detail.ptr);
		}
		pa_buf_puts(&body, "    </testcase>\n");
	}
	for (i = 0; i < c->nskipped; i++) {
		const check_skipped *s = &c->skipped[i];

		tests++;
		testcase_open(&body, s->path, "promptasm.check.agent_file");
		pa_buf_reset(&detail);
		check_put_location(&detail, s);
		pa_buf_puts(&detail, ": ");
		Pa_quote_text(&detail, s->reason, strlen(s->reason));
		pa_buf_reset(&msg);
		pa_buf_printf(&msg, s->incomplete ? "the file is not read: %s"
		              : "the agent file does not load: %s", s->reason);
		if (!c->skip_invalid) {
			outcome(&body, "error", s->incomplete ? "file not read"
			        : "invalid agent file", msg.ptr, detail.ptr);
			errors++;
		} else if (c->strict) {
			outcome(&body, "failure", "skipped agent file (--strict)", msg.ptr,
			        detail.ptr);
			failures++;
		} else {
			outcome(&body, "skipped", NULL, msg.ptr, detail.ptr);
			skipped++;
		}
		pa_buf_puts(&body, "    </testcase>\n");
	}
	for (i = 0; i < c->nfiles; i++) {
		const check_file *f = &c->files[i];

		tests++;
		testcase_open(&body, f->path, "promptasm.check.instructions");
		pa_buf_reset(&detail);
		Pa_quote_str(&detail, f->path);
		pa_buf_puts(&detail, ": ");
		pa_buf_put_count(&detail, f->tokens);
		pa_buf_puts(&detail, " tokens, cap ");
		pa_buf_put_count(&detail, f->cap);
		if (f->tokens > f->cap) {
			pa_buf_reset(&msg);
			pa_buf_printf(&msg, "%s is over its cap", f->path);
			outcome(&body, "failure", "over cap", msg.ptr, detail.ptr);
			failures++;
		} else {
			system_out(&body, detail.ptr);
		}
		pa_buf_puts(&body, "    </testcase>\n");
	}
	if (c->warnings->n) {
		tests++;
		testcase_open(&body, "warnings", "promptasm.check");
		pa_buf_reset(&detail);
		for (i = 0; i < c->warnings->n; i++) {
			const char *m = c->warnings->items[i].message;

			Pa_quote_text(&detail, m, strlen(m));
			pa_buf_putc(&detail, '\n');
		}
		pa_buf_reset(&msg);
		pa_buf_printf(&msg, "%zu warning%s", c->warnings->n,
		              c->warnings->n == 1 ? "" : "s");
		if (c->strict) {
			pa_buf_puts(&msg, " (--strict)");
			outcome(&body, "failure", "warnings", msg.ptr, detail.ptr);
			failures++;
		} else {
			system_out(&body, detail.ptr);
		}
		pa_buf_puts(&body, "    </testcase>\n");
	}
	pa_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	pa_buf_printf(out, "<testsuites name=\"promptasm\" tests=\"%zu\" failures=\"%zu\" "
	              "errors=\"%zu\">\n", tests, failures, errors);
	pa_buf_printf(out, "  <testsuite name=\"promptasm check\" tests=\"%zu\" "
	              "failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n", tests,
	              failures, errors, skipped);
	properties(out, c);
	pa_buf_put(out, body.ptr, body.len);
	pa_buf_puts(out, "  </testsuite>\n</testsuites>\n");
	pa_buf_release(&body);
	pa_buf_release(&msg);
	pa_buf_release(&detail);
}
