/* check_report.c - check's report as a table for people and as JSON (see
 * check.h; the JSON schema is in promptasm(1), JSON OUTPUT). */
#include "check.h"
#include "render.h"
#include "util.h"

#include <ctype.h>
#include <string.h>

/* The whole context's share of the model's context window. */
void check_put_location(pa_buf *out, const check_skipped *s)
{
	Pa_quote_str(out, s->path);
	if (s->line > 0)
		pa_buf_printf(out, ":%ld", s->line);
	if (s->line > 0 && s->column > 0)
		pa_buf_printf(out, ":%ld", s->column);
}

/* What the files that do not load are called: agent files, or files when
 * one of them was left unread (a limit, a name), which may be a rule or
 * an import. */
static const char *skipped_noun(const check_report *c)
{
	size_t i;

	for (i = 0; i < c->nskipped; i++)
		if (c->skipped[i].incomplete)
			return "file";
	return "agent file";
}

/* What the window holds: the whole context (an estimate) of an agent,
 * the first request of another CLI's row. */
static size_t window_tokens(const check_agent *r)
{
	return r->context ? r->context->tokens : r->whole ? r->whole : r->tokens;
}

static double share(const check_agent *r)
{
	return r->window ? (double)window_tokens(r) / (double)r->window : 0;
}

static double percent(const check_agent *r)
{
	if (r->effective == 0)
		return r->tokens ? 999.9 : 0;
	return 100.0 * (double)r->tokens / (double)r->effective;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void check_put_change(pa_buf *out, const check_agent *a)
{
	size_t d;

	if (a->base == CHECK_BASE_NEW) {
		pa_buf_puts(out, "new");
		return;
	}
	if (a->base != CHECK_BASE_COMPARED) {
		pa_buf_puts(out, "n/a");
		return;
	}
	if (a->tokens == a->base_tokens) {
		pa_buf_putc(out, '0');
		return;
	}
	d = a->tokens > a->base_tokens ? a->tokens - a->base_tokens
	                                : a->base_tokens - a->tokens;
	pa_buf_putc(out, a->tokens > a->base_tokens ? '+' : '-');
	pa_buf_put_count(out, d);
	if (a->base_tokens)
		pa_buf_printf(out, " (%c%.1f%%)", a->tokens > a->base_tokens ? '+' : '-',
		              100.0 * (double)d / (double)a->base_tokens);
}

void check_put_window(pa_buf *out, const check_agent *a)
{
	Pa_quote_str(out, a->name);
	pa_buf_puts(out, a->context ? " is over the model's context window: its "
	            "whole context is about " : " is over the model's context "
	            "window: its first request is about ");
	pa_buf_put_count(out, window_tokens(a));
	pa_buf_puts(out, " tokens > ");
	pa_buf_put_count(out, a->window);
}

const char *check_agent_status(const check_agent *a)
{
	return a->over || a->over_window ? "over" : a->cut ? "cut" : a->grew ? "grew"
	       : "ok";
}

/* 1 when the rows are of more than one agent CLI: tables name each's. */
static int mixed(const check_report *c)
{
	size_t i;

	for (i = 1; i < c->nagents; i++)
		if (c->agents[i].cli != c->agents[0].cli)
			return 1;
	return 0;
}

/* ", N grew by more than G" of one kind of row, with a baseline and a
 * maximum: each kind says its own, so that agents that grew are never
 * read as the main session's. */
static void put_grew(pa_buf *out, const check_report *c, size_t grew)
{
	if (!c->baseline || !c->max_growth.set)
		return;
	pa_buf_printf(out, ", %zu grew by more than ", grew);
	Pa_growth_limit_format(&c->max_growth, out);
}

void check_put_conversion(pa_buf *out, const check_report *c)
{
	double seen[8];
	size_t nseen = 0, i, k;

	for (i = 0; i < c->nagents; i++) {
		const check_agent *a = &c->agents[i];
		double times;

		if (a->exact || !a->has_budget || a->margin <= 0 || a->margin >= 1)
			continue;
		for (k = 0; k < nseen && seen[k] != a->margin; k++)
			;
		if (k < nseen || nseen == sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[nseen++] = a->margin;
		times = 1 / (1 - a->margin);
		pa_buf_puts(out, nseen > 1 ? "; " : a->request
		            ? "budgets are in the tokens of the model a CLI runs on; "
		              "counted with "
		            : "budgets are in a current Claude model's tokens; counted with ");
		pa_buf_puts(out, a->tokenizer);
		if (a->model) {
			/* the model an agent's frontmatter or a CLI's settings
			 * name, written by the project: a value like any name,
			 * so that it cannot start a line of this report (every
			 * format prints the conversion) */
			pa_buf_puts(out, " for ");
			Pa_quote_str(out, a->model);
		}
		pa_buf_printf(out, ", one holds for %.2f times the count", times);
		if (nseen == 1)
			pa_buf_printf(out, " (%s%s)",
			              c->margin_set ? "the margin set"
			              : !strcmp(a->tokenizer, "claude")
			              ? "the band's upper end whatever the text"
			              : "the margin of an estimate",
			              a->request ? "" : ", Claude Code's measured text included");
		pa_buf_puts(out, ": ");
		pa_buf_put_count(out, a->budget);
		pa_buf_puts(out, " is ");
		pa_buf_put_count(out, a->effective);
		pa_buf_printf(out, " %s tokens", a->tokenizer);
	}
}

void check_put_why(pa_buf *out, const check_agent *a)
{
	if (!a->has_budget || a->effective == a->budget)
		return;
	if (a->reserve) {
		pa_buf_puts(out, "reserve ");
		pa_buf_put_count(out, a->reserve);
	}
	if (a->margin > 0)
		pa_buf_printf(out, "%smargin %.3g%%", a->reserve ? ", " : "",
		              a->margin * 100);
	else if (!a->reserve)  /* a whole context: an estimate whatever counted */
		pa_buf_puts(out, "the margin of an estimate");
}

void check_put_budget(pa_buf *out, const check_agent *a)
{
	pa_buf_put_count(out, a->budget);
	if (a->effective == a->budget)
		return;
	pa_buf_puts(out, " (effective ");
	pa_buf_put_count(out, a->effective);
	pa_buf_puts(out, ": ");
	check_put_why(out, a);
	pa_buf_putc(out, ')');
}

void check_put_summary(pa_buf *out, const check_report *c, const check_tally *t)
{
	const char *sep = "";

	if (t->agents || !t->clis) {
		pa_buf_printf(out, "%zu agent%s: %zu ok, %zu over budget", t->agents,
		              plural(t->agents), t->ok - t->main_ok - t->cli_ok,
		              t->over - t->main_over - t->cli_over);
		put_grew(out, c, t->agents_grew);
		sep = "; ";
	}
	if (t->main_rows) {
		pa_buf_printf(out, "%smain session: %zu ok, %zu over budget", sep,
		              t->main_ok, t->main_over);
		put_grew(out, c, t->main_grew);
		sep = "; ";
	}
	if (t->clis) {
		size_t i, k = 0;
		pa_harness_id seen[PA_HARNESS_COUNT];

		pa_buf_puts(out, sep);
		for (i = 0; i < c->nagents; i++) {
			size_t j;

			if (!c->agents[i].request)
				continue;
			for (j = 0; j < k && seen[j] != c->agents[i].cli; j++)
				;
			if (j < k)
				continue;
			seen[k++] = c->agents[i].cli;
			pa_buf_printf(out, "%s%s", k > 1 ? ", " : "",
			              check_cli_name(&c->agents[i]));
		}
		pa_buf_printf(out, ": %zu start director%s, %zu ok, %zu over budget, "
		              "%zu cut", t->clis, t->clis == 1 ? "y" : "ies", t->cli_ok,
		              t->cli_over, t->cut);
		put_grew(out, c, t->cli_grew);
		/* what a budget holds of a request, as of an agent */
		pa_buf_puts(out, c->scope == PA_SCOPE_CONTEXT
		            ? " (budgets hold each whole first request: budget_scope: context)"
		            : " (budgets hold the project's part of each first request, "
		              "its files wrapped: budget_scope: prompt)");
	}
}

static void text_agents(const check_report *c, pa_buf *out)
{
	size_t i, w = 5, tw = 9, cw = 6;
	int eff = 0;
	pa_buf cell = PA_BUF_INIT;

	for (i = 0; i < c->nagents; i++) {
		if (cli_cell_width(c->agents[i].name) > w)
			w = cli_cell_width(c->agents[i].name);
		if (strlen(c->agents[i].tokenizer) > tw)
			tw = strlen(c->agents[i].tokenizer);
		pa_buf_reset(&cell);
		check_put_change(&cell, &c->agents[i]);
		if (cell.len > cw)
			cw = cell.len;
	}
	for (i = 0; i < c->nfiles; i++)
		if (cli_cell_width(c->files[i].path) > w)
			w = cli_cell_width(c->files[i].path);
	/* BUDGET is what was asked; EFFECTIVE, when some differs, what USED
	 * is against (after reserve and margin, said under the table). */
	for (i = 0; i < c->nagents; i++)
		if (c->agents[i].has_budget &&
		    c->agents[i].effective != c->agents[i].budget)
			eff = 1;
	if (mixed(c))
		pa_buf_puts(out, "CLI          ");
	pa_buf_printf(out, "%-*s  %-*s %10s ", (int)w, "AGENT", (int)tw, "TOKENIZER",
	              c->scope == PA_SCOPE_CONTEXT ? "CONTEXT" : "TOKENS");
	if (c->baseline)
		pa_buf_printf(out, "%*s ", (int)cw, "CHANGE");
	pa_buf_printf(out, "%10s ", "BUDGET");
	if (eff)
		pa_buf_printf(out, "%10s ", "EFFECTIVE");
	pa_buf_printf(out, "%6s %7s  %s\n", "USED", "WINDOW", "STATUS");
	for (i = 0; i < c->nagents; i++) {
		const check_agent *r = &c->agents[i];

		if (mixed(c))
			pa_buf_printf(out, "%-12s ", check_cli_name(r));
		cli_put_cell(out, r->name, w + 2);
		pa_buf_printf(out, "%-*s ", (int)tw, r->tokenizer);
		/* `~`: an estimate, which the margin makes room for. */
		pa_buf_reset(&cell);
		if (!r->exact)
			pa_buf_putc(&cell, '~');
		pa_buf_put_count(&cell, r->tokens);
		pa_buf_printf(out, "%10s ", cell.ptr);
		if (c->baseline) {
			pa_buf_reset(&cell);
			check_put_change(&cell, r);
			pa_buf_printf(out, "%*s ", (int)cw, cell.ptr);
		}
		if (r->has_budget) {
			pa_buf_reset(&cell);
			pa_buf_put_count(&cell, r->budget);
			pa_buf_printf(out, "%10s ", cell.ptr);
			if (eff) {
				pa_buf_reset(&cell);
				pa_buf_put_count(&cell, r->effective);
				pa_buf_printf(out, "%10s ", cell.ptr);
			}
			pa_buf_printf(out, "%5.0f%% ", percent(r));
		} else {
			pa_buf_printf(out, "%10s ", "-");
			if (eff)
				pa_buf_printf(out, "%10s ", "-");
			pa_buf_printf(out, "%6s ", "-");
		}
		if (r->window)
			pa_buf_printf(out, "%6.1f%%  ", 100.0 * share(r));
		else
			pa_buf_printf(out, "%7s  ", "-");
		pa_buf_printf(out, "%s\n", check_agent_status(r));
	}
	if (c->nfiles) {
		pa_buf_printf(out, "\n%-*s %10s %10s %6s  %s\n", (int)w, "FILE",
		              "TOKENS", "CAP", "USED", "STATUS");
		for (i = 0; i < c->nfiles; i++) {
			const check_file *f = &c->files[i];
			double pct = f->cap ? 100.0 * (double)f->tokens / (double)f->cap : 0;

			cli_put_cell(out, f->path, w + 1);
			pa_buf_reset(&cell);
			pa_buf_put_count(&cell, f->tokens);
			pa_buf_printf(out, "%10s ", cell.ptr);
			pa_buf_reset(&cell);
			pa_buf_put_count(&cell, f->cap);
			pa_buf_printf(out, "%10s %5.0f%%  %s\n", cell.ptr, pct,
			              f->tokens > f->cap ? "over" : "ok");
		}
	}
	pa_buf_release(&cell);
}

int check_holds_claude_context(const check_report *c)
{
	size_t i;

	if (c->scope != PA_SCOPE_CONTEXT)
		return 0;
	for (i = 0; i < c->nagents; i++)
		if (!c->agents[i].request ||
		    pa_harness_supports(c->agents[i].cli, PA_HARNESS_SUPPORTS_MAIN_SESSION))
			return 1;
	return 0;
}

size_t check_on_demand_tokens(const check_report *c)
{
	size_t i, sum = 0;

	for (i = 0; i < c->n_on_demand; i++)
		sum += c->on_demand[i].tokens;
	return sum;
}

/* The CLAUDE.md files loaded on demand, as context lists them: tokens,
 * the directory whose files load it, the file. */
static void text_on_demand(const check_report *c, pa_buf *out)
{
	size_t i, w = 9;
	pa_buf num = PA_BUF_INIT;

	if (!c->n_on_demand)
		return;
	pa_buf_printf(out, "\nLOADED ON DEMAND (%zu file%s, ", c->n_on_demand,
	              plural(c->n_on_demand));
	pa_buf_put_count(out, check_on_demand_tokens(c));
	pa_buf_puts(out, " tokens, in no agent's count: Claude Code loads each when "
	            "it reads a file in its directory or below)\n");
	for (i = 0; i < c->n_on_demand; i++)
		if (cli_cell_width(c->on_demand[i].trigger) > w)
			w = cli_cell_width(c->on_demand[i].trigger);
	for (i = 0; i < c->n_on_demand; i++) {
		pa_buf_reset(&num);
		pa_buf_put_count(&num, c->on_demand[i].tokens);
		pa_buf_printf(out, "%8s  ", num.ptr);
		cli_put_cell(out, *c->on_demand[i].trigger ? c->on_demand[i].trigger
		                                           : "./", w);
		pa_buf_puts(out, "  ");
		cli_put_cell(out, c->on_demand[i].path, 0);
		pa_buf_putc(out, '\n');
	}
	pa_buf_release(&num);
}

void check_out_text(const check_report *c, const check_tally *t, pa_buf *out)
{
	size_t i;

	text_agents(c, out);
	text_on_demand(c, out);
	for (i = 0; i < c->nagents; i++)
		if (c->agents[i].note) {
			Pa_quote_text(out, c->agents[i].name, strlen(c->agents[i].name));
			pa_buf_puts(out, ": ");
			Pa_quote_text(out, c->agents[i].note, strlen(c->agents[i].note));
			pa_buf_putc(out, '\n');
		}
	for (i = 0; i < c->nagents; i++)
		if (c->agents[i].cut) {
			pa_buf_puts(out, "CUT ");
			Pa_quote_text(out, c->agents[i].name, strlen(c->agents[i].name));
			pa_buf_puts(out, ": ");
			Pa_quote_text(out, c->agents[i].cut, strlen(c->agents[i].cut));
			pa_buf_putc(out, '\n');
		}
	if (c->nskipped) {
		pa_buf_printf(out, "\n%s (%ss that do not load)\n", c->skip_invalid
		              ? "SKIPPED" : "INVALID", skipped_noun(c));
		for (i = 0; i < c->nskipped; i++) {
			check_put_location(out, &c->skipped[i]);
			pa_buf_puts(out, ": ");
			Pa_quote_text(out, c->skipped[i].reason, strlen(c->skipped[i].reason));
			pa_buf_putc(out, '\n');
		}
	}
	if (c->ngone) {
		pa_buf_puts(out, "\nGONE (in the baseline, not found now)\n");
		for (i = 0; i < c->ngone; i++) {
			cli_put_cell(out, c->gone[i].name, 0);
			pa_buf_puts(out, " (");
			pa_buf_put_count(out, c->gone[i].tokens);
			pa_buf_puts(out, " tokens)\n");
		}
	}
	pa_buf_putc(out, '\n');
	check_put_summary(out, c, t);
	if (t->over_window)
		pa_buf_printf(out, ", %zu over the model's context window", t->over_window);
	if (check_holds_claude_context(c))
		pa_buf_printf(out, " (budgets hold the whole context, estimated for "
		              "Claude Code %s)", pa_claude_code_version());
	if (c->nfiles)
		pa_buf_printf(out, "; %zu file%s over %s cap", t->files_over,
		              plural(t->files_over), t->files_over == 1 ? "its" : "their");
	pa_buf_putc(out, '\n');
	{
		pa_buf conv = PA_BUF_INIT;

		check_put_conversion(&conv, c);
		if (conv.len)
			pa_buf_printf(out, "%s\n", conv.ptr);
		pa_buf_release(&conv);
	}
	if (c->baseline) {
		pa_buf_puts(out, "baseline ");
		Pa_quote_str(out, c->baseline_file);
		pa_buf_printf(out, ": %zu new, %zu gone", t->new_agents, c->ngone);
		if (t->not_compared)
			pa_buf_printf(out, ", %zu not compared (another tokenizer or scope)",
			              t->not_compared);
		pa_buf_puts(out, c->max_growth.set ? "\n" : "; no maximum growth\n");
	}
	/* What fails beyond budgets, one line each, so that -q (which hides
	 * the warnings themselves) still shows why the check failed. */
	if (t->skipped && !c->skip_invalid)
		pa_buf_printf(out, "%zu %s%s do%s not load: the check fails "
		              "(--skip-invalid skips %s)\n", t->skipped, skipped_noun(c),
		              plural(t->skipped), t->skipped == 1 ? "es" : "",
		              t->skipped == 1 ? "it" : "them");
	else if (t->skipped)
		pa_buf_printf(out, "%zu %s%s skipped: %s not load%s\n",
		              t->skipped, skipped_noun(c), plural(t->skipped),
		              t->skipped == 1 ? "it does" : "they do",
		              c->strict ? " (--strict: the check fails)" : "");
	if (t->warnings)
		pa_buf_printf(out, "%zu warning%s%s\n", t->warnings, plural(t->warnings),
		              c->strict ? " (--strict: the check fails)" : "");
}

static void json_agent(Pa_jw *w, const check_agent *r, pa_budget_scope scope)
{
	size_t i;

	Pa_jw_object(w, NULL, PA_JW_INLINE);
	Pa_jw_str(w, "cli", check_cli_name(r));
	Pa_jw_str(w, "name", r->name);
	Pa_jw_str(w, "path", r->path);
	Pa_jw_str(w, "tokenizer", r->tokenizer);
	Pa_jw_str(w, "model", r->model);
	Pa_jw_bool(w, "exact", r->exact);
	if (r->exact) {
		Pa_jw_null(w, "band");
	} else {
		Pa_jw_object(w, "band", PA_JW_INLINE);
		Pa_jw_real(w, "low", 2, 1, r->band_low);
		Pa_jw_real(w, "high", 2, 1, r->band_high);
		Pa_jw_end(w);
	}
	Pa_jw_uint(w, "tokens", r->tokens);
	if (r->has_budget) {
		Pa_jw_object(w, "budget", PA_JW_INLINE);
		Pa_jw_uint(w, "budget", r->budget);
		Pa_jw_uint(w, "effective", r->effective);
		Pa_jw_uint(w, "reserve", r->reserve);
		Pa_jw_real(w, "margin", 4, 0, r->margin);
		if (r->effective != r->budget) {
			pa_buf why = PA_BUF_INIT;

			check_put_why(&why, r);
			Pa_jw_str(w, "why", why.ptr);
			pa_buf_release(&why);
		} else {
			Pa_jw_null(w, "why");
		}
		Pa_jw_end(w);
		Pa_jw_real(w, "percent", 1, 1, percent(r));
	} else {
		Pa_jw_null(w, "budget");
		Pa_jw_null(w, "percent");
	}
	if (r->base == CHECK_BASE_COMPARED) {
		Pa_jw_uint(w, "baseline_tokens", r->base_tokens);
		Pa_jw_int(w, "change", (long long)r->tokens - (long long)r->base_tokens);
	} else {
		Pa_jw_null(w, "baseline_tokens");
		Pa_jw_null(w, "change");
	}
	Pa_jw_str(w, "status", check_agent_status(r));
	Pa_jw_str(w, "scope", scope == PA_SCOPE_CONTEXT ? "context" : "prompt");
	Pa_jw_uint(w, "prompt_tokens", r->prompt_tokens);
	if (r->window) {
		Pa_jw_uint(w, "context_window", r->window);
		Pa_jw_real(w, "context_share", 4, 1, share(r));
	} else {
		Pa_jw_null(w, "context_window");
		Pa_jw_null(w, "context_share");
	}
	Pa_jw_bool(w, "over_window", r->over_window);
	if (r->cut) {
		Pa_jw_object(w, "cut", PA_JW_INLINE);
		Pa_jw_str(w, "message", r->cut);
		Pa_jw_str(w, "file", r->cut_path);
		if (r->cut_line)
			Pa_jw_int(w, "line", r->cut_line);
		else
			Pa_jw_null(w, "line");
		if (r->cut_column)
			Pa_jw_int(w, "byte", r->cut_column);
		else
			Pa_jw_null(w, "byte");
		Pa_jw_end(w);
	} else {
		Pa_jw_null(w, "cut");
	}
	if (r->has_listing)
		Pa_jw_uint(w, "listing", r->listing);
	if (r->main_part) {
		Pa_jw_bool(w, "main_session", 1);
		Pa_jw_str(w, "note", r->note);
	}
	Pa_jw_break(w);
	cli_json_claude_code(w, r->context);
	Pa_jw_break(w);
	Pa_jw_array(w, "sections", PA_JW_LINES);
	for (i = 0; i < r->nsections; i++) {
		const check_section *s = &r->sections[i];

		Pa_jw_object(w, NULL, PA_JW_INLINE);
		Pa_jw_str(w, "kind", s->kind);
		Pa_jw_str(w, "path", s->path);
		Pa_jw_uint(w, "tokens", s->tokens);
		if (r->attributed)
			Pa_jw_int(w, "change", s->change);
		Pa_jw_end(w);
	}
	Pa_jw_end(w);
	Pa_jw_end(w);
}

/* "baseline": null, or {"path", "max_growth", "new", "gone"}. */
static void json_baseline(Pa_jw *w, const check_report *c)
{
	size_t i;

	if (!c->baseline) {
		Pa_jw_null(w, "baseline");
		return;
	}
	Pa_jw_object(w, "baseline", PA_JW_INLINE);
	Pa_jw_str(w, "path", c->baseline_file);
	if (!c->max_growth.set) {
		Pa_jw_null(w, "max_growth");
	} else {
		Pa_jw_object(w, "max_growth", PA_JW_INLINE);
		if (c->max_growth.relative)
			Pa_jw_real(w, "percent", 4, 0, c->max_growth.share * 100);
		else
			Pa_jw_uint(w, "tokens", c->max_growth.tokens);
		Pa_jw_end(w);
	}
	Pa_jw_break(w);
	Pa_jw_array(w, "new", PA_JW_INLINE);
	for (i = 0; i < c->nagents; i++)
		if (c->agents[i].base == CHECK_BASE_NEW)
			Pa_jw_str(w, NULL, c->agents[i].name);
	Pa_jw_end(w);
	Pa_jw_array(w, "gone", PA_JW_INLINE);
	for (i = 0; i < c->ngone; i++) {
		Pa_jw_object(w, NULL, PA_JW_INLINE);
		Pa_jw_str(w, "name", c->gone[i].name);
		Pa_jw_uint(w, "tokens", c->gone[i].tokens);
		Pa_jw_end(w);
	}
	Pa_jw_end(w);
	Pa_jw_end(w);
}

void check_out_json(const check_report *c, const check_tally *t, pa_buf *out)
{
	size_t i;
	Pa_jw w;

	Pa_jw_report(&w, out);
	Pa_jw_array(&w, "agents", PA_JW_LINES);
	for (i = 0; i < c->nagents; i++)
		json_agent(&w, &c->agents[i], c->scope);
	Pa_jw_end(&w);
	Pa_jw_array(&w, "files", PA_JW_LINES);
	for (i = 0; i < c->nfiles; i++) {
		const check_file *f = &c->files[i];

		Pa_jw_object(&w, NULL, PA_JW_INLINE);
		Pa_jw_str(&w, "path", f->path);
		Pa_jw_uint(&w, "tokens", f->tokens);
		Pa_jw_uint(&w, "cap", f->cap);
		Pa_jw_str(&w, "status", f->tokens > f->cap ? "over" : "ok");
		Pa_jw_end(&w);
	}
	Pa_jw_end(&w);
	Pa_jw_array(&w, "skipped", PA_JW_LINES);
	for (i = 0; i < c->nskipped; i++) {
		const check_skipped *s = &c->skipped[i];

		Pa_jw_object(&w, NULL, PA_JW_INLINE);
		Pa_jw_str(&w, "path", s->path);
		if (s->line > 0)
			Pa_jw_int(&w, "line", s->line);
		else
			Pa_jw_null(&w, "line");
		if (s->line > 0 && s->column > 0)
			Pa_jw_int(&w, "column", s->column);
		else
			Pa_jw_null(&w, "column");
		Pa_jw_str(&w, "message", s->reason);
		Pa_jw_end(&w);
	}
	Pa_jw_end(&w);
	/* in no agent's tokens: loaded when a file below them is read */
	Pa_jw_array(&w, "on_demand", PA_JW_LINES);
	for (i = 0; i < c->n_on_demand; i++) {
		Pa_jw_object(&w, NULL, PA_JW_INLINE);
		Pa_jw_str(&w, "path", c->on_demand[i].path);
		Pa_jw_str(&w, "trigger", c->on_demand[i].trigger);
		Pa_jw_str(&w, "kind", pa_section_kind_name(c->on_demand[i].kind));
		Pa_jw_uint(&w, "tokens", c->on_demand[i].tokens);
		Pa_jw_end(&w);
	}
	Pa_jw_end(&w);
	Pa_jw_uint(&w, "on_demand_tokens", check_on_demand_tokens(c));
	json_baseline(&w, c);
	cli_json_warnings(&w, c->warnings);
	Pa_jw_object(&w, "summary", PA_JW_INLINE);
	Pa_jw_uint(&w, "agents", t->agents);
	Pa_jw_uint(&w, "ok", t->ok);
	Pa_jw_uint(&w, "over", t->over);
	Pa_jw_uint(&w, "over_window", t->over_window);
	Pa_jw_uint(&w, "cut", t->cut);
	Pa_jw_uint(&w, "cli_rows", t->clis);
	Pa_jw_uint(&w, "grew", t->grew);
	Pa_jw_uint(&w, "new", t->new_agents);
	Pa_jw_uint(&w, "gone", c->ngone);
	Pa_jw_uint(&w, "files_over", t->files_over);
	Pa_jw_uint(&w, "skipped", t->skipped);
	Pa_jw_uint(&w, "warnings", t->warnings);
	Pa_jw_end(&w);
	Pa_jw_bool(&w, "strict", c->strict);
	Pa_jw_str(&w, "status", t->status);
	Pa_jw_int(&w, "exit_status", t->exit_code);
	Pa_jw_finish(&w);
}


/* Which files of the agents that grew grew, most first, at most
 * GROWN_ROWS an agent: a table, or nothing when no growth is attributed
 * (no baseline, or one written without sections). */
#define GROWN_ROWS 5
static void markdown_grown(pa_buf *out, const check_report *c)
{
	size_t i, j, k, rows = 0;

	for (i = 0; i < c->nagents; i++) {
		const check_agent *a = &c->agents[i];
		long long last = -1, rest = 0;
		size_t more = 0, shown = 0;
		const check_section *prev = NULL;

		if (!a->attributed || a->tokens <= a->base_tokens)
			continue;
		/* The largest changes first: GROWN_ROWS scans of a few sections. */
		for (k = 0; k < a->nsections; k++) {
			const check_section *best = NULL;

			for (j = 0; j < a->nsections; j++) {
				const check_section *s = &a->sections[j];

				if (s->change <= 0 || (last >= 0 && (s->change > last ||
				    (s->change == last && s <= prev))))
					continue;
				if (!best || s->change > best->change)
					best = s;
			}
			if (!best)
				break;
			last = best->change;
			prev = best;
			if (shown == GROWN_ROWS) {
				more++;
				rest += best->change;
				continue;
			}
			if (!rows++)
				pa_buf_puts(out, "\n#### Where it grew\n\n| Agent | File | Kind "
				            "| Change |\n|:--|:--|:--|--:|\n");
			pa_buf_puts(out, "| ");
			cli_md_value(out, a->name);
			pa_buf_puts(out, " | ");
			cli_md_value(out, best->path);
			pa_buf_printf(out, " | %s | +", best->kind);
			pa_buf_put_count(out, (size_t)best->change);
			pa_buf_puts(out, " |\n");
			shown++;
		}
		if (more) {
			pa_buf_puts(out, "| ");
			cli_md_value(out, a->name);
			pa_buf_printf(out, " | %zu more file%s | | +", more, plural(more));
			pa_buf_put_count(out, (size_t)rest);
			pa_buf_puts(out, " |\n");
		}
	}
}

static const char md_header[] = "| Agent | Before | After | Change | Budget "
	"| Status |\n|:--|--:|--:|--:|--:|:--|\n";

/* One agent's row of the table. */
static void markdown_row(pa_buf *out, const check_agent *a)
{
	const char *st = check_agent_status(a);

	pa_buf_puts(out, "| ");
	cli_md_value(out, a->name);
	pa_buf_puts(out, " | ");
	if (a->base == CHECK_BASE_COMPARED) {
		if (!a->exact)
			pa_buf_puts(out, "~");
		pa_buf_put_count(out, a->base_tokens);
	} else {
		pa_buf_puts(out, a->base == CHECK_BASE_NEW ? "new" : "-");
	}
	pa_buf_puts(out, " | ");
	if (!a->exact)
		pa_buf_puts(out, "~");
	pa_buf_put_count(out, a->tokens);
	pa_buf_puts(out, " | ");
	if (a->base == CHECK_BASE_COMPARED)
		check_put_change(out, a);
	else
		pa_buf_putc(out, '-');
	pa_buf_puts(out, " | ");
	if (a->has_budget)
		check_put_budget(out, a);
	else
		pa_buf_putc(out, '-');
	pa_buf_printf(out, strcmp(st, "ok") ? " | **%s** |\n" : " | %s |\n", st);
}

/* The first lines a cut leaves out, one nested item each, quoted. */
static void md_not_sent(pa_buf *out, const check_agent *a)
{
	const char *s = a->cut_text;
	long line = a->cut_line;
	pa_buf one = PA_BUF_INIT;

	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		pa_buf_reset(&one);
		pa_buf_put(&one, s, n);
		if (line == a->cut_line)
			pa_buf_printf(out, "  - not sent, line %ld from byte %ld: ", line,
			              a->cut_column);
		else
			pa_buf_printf(out, "  - line %ld: ", line);
		cli_md_text(out, one.ptr);
		pa_buf_putc(out, '\n');
		line++;
		s += nl ? n + 1 : n;
	}
	pa_buf_release(&one);
}

/* Under the warning that Claude Code's load rule cuts a file, the
 * first lines it does not send (an agent's load_cut of that file). */
static void md_load_cut(pa_buf *out, const check_report *c, const pa_warning *w)
{
	size_t i;

	for (i = 0; w->path && i < c->nagents; i++)
		if (c->agents[i].load_cut && !strcmp(c->agents[i].load_cut, w->path) &&
		    strstr(w->message, " was cut")) {
			md_not_sent(out, &c->agents[i]);
			return;
		}
}

/* The agents that are ok, then those gone since the baseline; under a
 * heading of their own when others came first. */
static void markdown_ok(pa_buf *out, const check_report *c, size_t nok,
                        int heading)
{
	size_t i;

	if (!nok && !c->ngone)
		return;
	if (heading)
		pa_buf_printf(out, "\n#### %zu agent%s ok\n", nok, plural(nok));
	pa_buf_putc(out, '\n');
	pa_buf_puts(out, md_header);
	for (i = 0; i < c->nagents; i++)
		if (!strcmp(check_agent_status(&c->agents[i]), "ok"))
			markdown_row(out, &c->agents[i]);
	for (i = 0; i < c->ngone; i++) {
		pa_buf_puts(out, "| ");
		cli_md_value(out, c->gone[i].name);
		pa_buf_puts(out, " | ");
		pa_buf_put_count(out, c->gone[i].tokens);
		pa_buf_puts(out, " | - | - | - | gone |\n");
	}
}

/* The table a pull-request comment or $GITHUB_STEP_SUMMARY takes: the
 * verdict first, then the agents whose status is not ok (agent, before
 * (the baseline), after, change, budget, status), what else failed or was
 * warned about, and last the agents that are ok: a comment cut at
 * GitHub's limit loses only those. */
void check_out_markdown(const check_report *c, const check_tally *t, pa_buf *out)
{
	size_t i, k, nok = 0;

	pa_buf_puts(out, "### promptasm check\n\n");
	{
		pa_buf sum = PA_BUF_INIT;

		check_put_summary(&sum, c, t);
		pa_buf_puts(out, "**");
		cli_md_escape(out, sum.ptr);
		pa_buf_release(&sum);
	}
	if (t->over_window)
		pa_buf_printf(out, ", %zu over the model's context window", t->over_window);
	pa_buf_puts(out, "**");
	if (c->baseline)
		pa_buf_printf(out, " (%zu new, %zu gone since the baseline)",
		              t->new_agents, c->ngone);
	if (c->nfiles)
		pa_buf_printf(out, "; %zu file%s over %s cap", t->files_over,
		              plural(t->files_over), t->files_over == 1 ? "its" : "their");
	if (check_holds_claude_context(c))
		pa_buf_puts(out, "; budgets hold the whole context, an estimate");
	if (c->estimates) {
		pa_buf conv = PA_BUF_INIT;

		pa_buf_puts(out, "; ~ marks estimates");
		check_put_conversion(&conv, c);
		if (conv.len) {
			pa_buf_puts(out, "; ");
			cli_md_escape(out, conv.ptr);
		}
		pa_buf_release(&conv);
	}
	pa_buf_puts(out, ".\n");
	for (i = 0; i < c->nagents; i++)
		nok += !strcmp(check_agent_status(&c->agents[i]), "ok");
	if (nok == c->nagents)
		markdown_ok(out, c, nok, 0);
	for (i = 0, k = 0; i < c->nagents; i++) {
		if (!strcmp(check_agent_status(&c->agents[i]), "ok"))
			continue;
		if (!k++) {
			pa_buf_putc(out, '\n');
			pa_buf_puts(out, md_header);
		}
		markdown_row(out, &c->agents[i]);
	}
	for (i = 0; i < c->nagents; i++)
		if (c->agents[i].note) {
			pa_buf_puts(out, "\n> ");
			cli_md_text(out, c->agents[i].name);
			pa_buf_puts(out, ": ");
			cli_md_text(out, c->agents[i].note);
			pa_buf_putc(out, '\n');
		}
	for (i = 0, k = 0; i < c->nagents; i++) {
		if (!c->agents[i].cut)
			continue;
		pa_buf_puts(out, k++ ? "- " : "\n- ");
		cli_md_text(out, c->agents[i].name);
		pa_buf_puts(out, ": ");
		cli_md_text(out, c->agents[i].cut);
		pa_buf_putc(out, '\n');
		md_not_sent(out, &c->agents[i]);
	}
	for (i = 0, k = 0; i < c->nagents; i++) {
		pa_buf msg = PA_BUF_INIT;

		if (!c->agents[i].over_window)
			continue;
		pa_buf_puts(out, k++ ? "- " : "\n- ");
		check_put_window(&msg, &c->agents[i]);
		cli_md_escape(out, msg.ptr);
		pa_buf_putc(out, '\n');
		pa_buf_release(&msg);
	}
	markdown_grown(out, c);
	for (i = 0, k = 0; i < c->nfiles; i++) {
		const check_file *f = &c->files[i];

		if (f->tokens <= f->cap)
			continue;
		pa_buf_puts(out, k++ ? "" : "\n");
		pa_buf_puts(out, "- instruction file `");
		cli_md_value(out, f->path);
		pa_buf_puts(out, "` is over its cap: ");
		pa_buf_put_count(out, f->tokens);
		pa_buf_puts(out, " tokens > ");
		pa_buf_put_count(out, f->cap);
		pa_buf_puts(out, "\n");
	}
	if (c->nskipped) {
		pa_buf_printf(out, "\n%zu %s%s %s (%s):\n\n", c->nskipped,
		              skipped_noun(c), plural(c->nskipped), c->nskipped == 1 ? "does not load"
		              : "do not load", c->skip_invalid ? "skipped" :
		              "**the check fails**; --skip-invalid skips them");
		for (i = 0; i < c->nskipped; i++) {
			pa_buf loc = PA_BUF_INIT;

			check_put_location(&loc, &c->skipped[i]);
			pa_buf_puts(out, "- ");
			cli_md_escape(out, loc.ptr);
			pa_buf_puts(out, ": ");
			cli_md_text(out, c->skipped[i].reason);
			pa_buf_putc(out, '\n');
			pa_buf_release(&loc);
		}
	}
	if (c->n_on_demand) {
		pa_buf_printf(out, "\n%zu file%s loaded on demand, in no agent's count (",
		              c->n_on_demand, plural(c->n_on_demand));
		pa_buf_put_count(out, check_on_demand_tokens(c));
		pa_buf_puts(out, " tokens): Claude Code loads each when it reads a file "
		            "in its directory or below.\n\n| Directory | File | Tokens |\n"
		            "|------|------|-------:|\n");
		for (i = 0; i < c->n_on_demand; i++) {
			pa_buf_puts(out, "| ");
			cli_md_value(out, *c->on_demand[i].trigger ? c->on_demand[i].trigger
			                                           : "./");
			pa_buf_puts(out, " | ");
			cli_md_value(out, c->on_demand[i].path);
			pa_buf_puts(out, " | ");
			pa_buf_put_count(out, c->on_demand[i].tokens);
			pa_buf_puts(out, " |\n");
		}
	}
	if (c->warnings->n) {
		pa_buf_printf(out, "\n%zu warning%s%s:\n\n", c->warnings->n,
		              plural(c->warnings->n),
		              c->strict ? " (**the check fails**: --strict)" : "");
		for (i = 0; i < c->warnings->n; i++) {
			pa_buf_puts(out, "- ");
			cli_md_text(out, c->warnings->items[i].message);
			pa_buf_putc(out, '\n');
			md_load_cut(out, c, &c->warnings->items[i]);
		}
	}
	if (nok < c->nagents)
		markdown_ok(out, c, nok, 1);
}

const check_section *check_grown_most(const check_agent *a)
{
	const check_section *best = NULL;
	size_t i;

	if (!a->attributed)
		return NULL;
	for (i = 0; i < a->nsections; i++)
		if (a->sections[i].change > 0 &&
		    (!best || a->sections[i].change > best->change))
			best = &a->sections[i];
	return best;
}
