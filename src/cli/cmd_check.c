/* cmd_check.c - `promptasm check`: is every agent's prompt within its
 * budget?  For CI: exit 0 when all fit, 1 when a check fails (a prompt
 * over budget, a file over its cap, a warning with --strict), 2 on usage
 * or input errors (an agent file that does not load among them). */
#define _GNU_SOURCE
#include "format.h"
#include "affected.h"
#include "check.h"
#include "count_api.h"
#include "html.h"
#include "render.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
	printf("usage: promptasm check [options] [AGENT...]\n"
	       "       promptasm check [options] --affected [FILE...]\n\n"
	       "Builds the prompt of each AGENT (default: every agent of the project),\n"
	       "counts it and compares it with its budget: --budget, else the agent's\n"
	       "entry under 'budgets:' in .promptasm.yaml, else 'budget:'.  An agent\n"
	       "without any budget is reported and never fails.  Files named under\n"
	       "'instructions:' are checked against their caps too.  An agent file\n"
	       "that does not load is an error.  With --affected, the arguments are\n"
	       "changed files (a pre-commit hook's): only the agents whose prompt\n"
	       "they are part of are checked.\n\n"
	       "  -b, --budget N          the budget of every agent\n"
	       "      --margin P          share kept free when counts are estimates\n"
	       "      --reserve N         tokens kept for the response\n"
	       "      --budget-context    budget the whole context Claude Code gives each\n"
	       "                          agent (an estimate), not the prompt alone\n"
	       "      --budget-prompt     budget the prompt (the default; overrides the\n"
	       "                          config's budget_scope: context)\n"
	       "      --strict            every warning fails the check (config: strict)\n"
	       "      --skip-invalid      an agent file that does not load is a warning,\n"
	       "                          not an error\n"
	       "      --warn-only         report, and exit 0 whatever the report says\n"
	       "                          (not from the config: the user's choice)\n"
	       "      --affected          the arguments are files: check the agents they\n"
	       "                          define or are part of (none given: nothing)\n"
	       "      --allow-no-agents   pass when the project has no agents (else an\n"
	       "                          error: a wrong directory, say)\n"
	       "      --count-api         count current Claude models exactly with\n"
	       "                          Anthropic's count_tokens (key from\n"
	       "                          ANTHROPIC_API_KEY; answers cached)\n"
	       "      --baseline FILE     compare with a previous 'check --format json'\n"
	       "      --max-growth G      with --baseline: fail when an agent grew by more\n"
	       "                          than G, a share (10%%) or tokens (500)\n"
	       "      --baseline-dir DIR  with --baseline: the project as the baseline\n"
	       "                          counted it (a checkout of the base commit), to\n"
	       "                          annotate the first line that changed\n"
	       "  -f, --format FORMAT     text (default), json, github, markdown, junit, html\n"
	       "                          (html: one page, a sortable table, each agent's\n"
	       "                          report)\n"
	       CLI_OUTPUT_HELP CLI_COMMON_HELP CLI_HARNESS_HELP CLI_COMPOSE_HELP "\n"
	       "Exit status: 0 all fit, 1 the check failed (a prompt or file over\n"
	       "budget, an agent grown past --max-growth, a warning with --strict),\n"
	       "2 usage or input error (an agent file that does not load, or no agent\n"
	       "at all, among them).\n", cli_clis_help());
}

/* The formats check offers, in the order its help names them. */
static const cli_format formats[] = {
	CLI_FMT_TEXT, CLI_FMT_JSON, CLI_FMT_GITHUB, CLI_FMT_MARKDOWN, CLI_FMT_JUNIT,
	CLI_FMT_HTML
};
enum {
	OPT_BUDGET_CONTEXT = CLI_OPT_FIRST_OWN,
	OPT_BUDGET_PROMPT,
	OPT_STRICT,
	OPT_SKIP_INVALID,
	OPT_BASELINE,
	OPT_MAX_GROWTH,
	OPT_AFFECTED,
	OPT_ALLOW_NO_AGENTS,
	OPT_WARN_ONLY,
	OPT_BASELINE_DIR,
	OPT_COUNT_API
};

typedef struct checker {
	cli_pipeline p;
	check_report r;
	Pa_strset files_seen;   /* instruction files checked */
	Pa_strset files_judged; /* kind and path of those whose cap is known */
	Pa_strset skipped_seen; /* agent files that do not load, reported */
	int want_sections;     /* JSON lists each agent's sections, and a
	                        * baseline is compared section by section */
	int scope_flag;        /* -1: none, else a pa_budget_scope */
	int strict_flag;
	int warn_only;   /* --warn-only: the report's verdict never fails */
	cli_format fmt;
	Pa_growth_limit growth_flag;
	int all_agents;        /* every agent was checked: others are gone */
	int affected_flag;     /* --affected: the arguments are files */
	int allow_no_agents;   /* a project without agents passes */
	int count_api;         /* --count-api */
	double main_margin;    /* of the main session's budgets */
	size_t main_window;    /* its model's context window, 0: not known */
	double main_band_low, main_band_high;
	cli_api api;
	int no_agents;         /* none found, and that fails: exit 2 after
	                        * a JSON or JUnit report (a following jq
	                        * or CI step reads one that is valid) */
	cli_affected affected;
	html_check *html;      /* --format html: the page's agents */
	unsigned char *cap_hit; /* each `instructions:` glob: matched a file */
} checker;

static void check_files(checker *c, const pa_prompt *p, const pa_tokenizer *tok)
{
	size_t i, k, n = pa_prompt_section_count(p);
	pa_buf key = PA_BUF_INIT;

	for (i = 0; i < n; i++) {
		const char *path = pa_prompt_section_path(p, i);
		pa_section_kind kind = pa_prompt_section_kind(p, i);
		size_t len, tokens = 0;
		const char *text;
		check_file *f;
		long cap;

		/* Each file once, whether it has a cap or not: the caps' globs
		 * tried for every section of every agent made the time a
		 * product of agents, files and globs (600 of each: 22 s). */
		pa_buf_reset(&key);
		pa_buf_printf(&key, "%d:%s", (int)kind, path);
		if (!Pa_strset_add(&c->files_judged, key.ptr, key.len))
			continue;
		for (k = 0; c->cap_hit && k < pa_config_instruction_count(c->p.cfg); k++)
			if (!c->cap_hit[k] &&
			    pa_config_instruction_matches(c->p.cfg, k, kind, path))
				c->cap_hit[k] = 1;
		cap = pa_config_instruction_cap(c->p.cfg, kind, path);
		if (cap == PA_UNSET || !Pa_strset_add(&c->files_seen, path, strlen(path)))
			continue;
		text = pa_prompt_section_text(p, i, &len);
		if (pa_tokenizer_count(tok, text, len, &tokens, NULL) != PA_OK)
			continue;
		c->r.files = Pa_xgrow(c->r.files, c->r.nfiles, sizeof(*c->r.files));
		f = &c->r.files[c->r.nfiles++];
		f->path = Pa_xstrdup(path);
		f->tokens = tokens;
		f->cap = (size_t)cap;
	}
	pa_buf_release(&key);
}

/* Each section of the prompt counted alone, with where its text starts. */
static void count_sections(check_agent *r, const pa_prompt *p, const pa_tokenizer *tok)
{
	size_t i, n = pa_prompt_section_count(p);

	r->sections = n ? Pa_xcalloc(n, sizeof(*r->sections)) : NULL;
	for (i = 0; i < n; i++) {
		check_section *s = &r->sections[r->nsections++];
		size_t len, tokens = 0;
		const char *text = pa_prompt_section_text(p, i, &len);

		pa_tokenizer_count(tok, text, len, &tokens, NULL);
		s->kind = pa_section_kind_name(pa_prompt_section_kind(p, i));
		s->path = Pa_xstrdup(pa_prompt_section_path(p, i));
		s->file = pa_prompt_section_file(p, i) ? Pa_xstrdup(pa_prompt_section_file(p, i))
		                                        : NULL;
		s->line = pa_prompt_section_source_line(p, i, 1);
		s->tokens = tokens;
	}
}

/* Where Claude Code's load rules cut a file of the agent's prompt (its
 * MEMORY.md past 200 lines or 25,000 characters): the file, the line and
 * byte where what is not sent starts, and its first lines, for the
 * reports to show under the table as they show a cut (not a failure:
 * Claude Code cuts it so itself). */
static void load_cut(check_agent *r, const pa_prompt *prompt)
{
	size_t i, n = pa_prompt_section_count(prompt);

	for (i = 0; i < n && !r->load_cut; i++) {
		size_t len, at, tlen, k, start = 0;
		const char *cut = pa_prompt_section_cut_text(prompt, i, &len, &at);
		const char *text = pa_prompt_section_text(prompt, i, &tlen);
		const char *file = pa_prompt_section_file(prompt, i);
		long line = 1, from;

		if (!cut || !len || !file || !text || at > tlen)
			continue;
		for (k = 0; k < at; k++)
			if (text[k] == '\n') {
				line++;
				start = k + 1;
			}
		/* mid-line: that line of the file; at a line's start, or at
		 * the line end the cut starts with: the line after */
		from = at > start ? pa_prompt_section_source_line(prompt, i, line)
		       : line > 1 ? pa_prompt_section_source_line(prompt, i, line - 1)
		       : 0;
		if (!from)
			continue;
		r->load_cut = Pa_xstrdup(pa_prompt_section_path(prompt, i));
		r->cut_path = Pa_xstrdup(file);
		if (at > start && cut[0] != '\n') {
			r->cut_line = from;
			r->cut_column = (long)(at - start) + 1;
		} else {
			r->cut_line = from + 1;
			r->cut_column = 1;
			if (cut[0] == '\n') {
				cut++;
				len--;
			}
		}
		r->cut_text = check_cut_lines(cut, len);
	}
}

/* An agent file that does not load, reported once: an error on standard
 * error (never hidden by -q), or with --skip-invalid a warning.  The
 * pipeline's hook (cli_pipeline.skipped). */
static void add_skipped(void *ctx, const pa_warning *w)
{
	checker *c = ctx;
	check_skipped *s;
	pa_buf loc = PA_BUF_INIT;
	int seen;

	/* by file and line: a GEMINI.md's refused @imports are each at
	 * their line of it */
	pa_buf_printf(&loc, "%ld:%s", w->line, w->path ? w->path : "");
	seen = !Pa_strset_add(&c->skipped_seen, loc.ptr, loc.len);
	pa_buf_reset(&loc);
	if (seen) {
		pa_buf_release(&loc);
		return;
	}
	c->r.skipped = Pa_xgrow(c->r.skipped, c->r.nskipped, sizeof(*c->r.skipped));
	s = &c->r.skipped[c->r.nskipped++];
	memset(s, 0, sizeof(*s));
	s->path = Pa_xstrdup(w->path ? w->path : "");
	s->line = w->line;
	s->column = w->column;
	s->reason = Pa_xstrdup(w->reason ? w->reason : w->message);
	s->incomplete = w->kind == PA_WARNING_INCOMPLETE;
	check_put_location(&loc, s);
	if (c->p.warn_never)
		; /* the report's annotations say it */
	else if (c->r.skip_invalid && c->fmt == CLI_FMT_TEXT &&
	         w->kind == PA_WARNING_AGENT_SKIPPED)
		; /* the report's SKIPPED list says it, once */
	else if (!c->r.skip_invalid && w->kind == PA_WARNING_INCOMPLETE)
		cli_errorf("cannot check %s: %s", loc.ptr, s->reason);
	else if (!c->r.skip_invalid)
		cli_errorf("invalid agent file %s: %s", loc.ptr, s->reason);
	else if (c->r.strict)
		cli_errorf("warning: %s", w->message);
	else
		cli_warnf("%s", w->message);
	pa_buf_release(&loc);
}

static int run_agent(checker *c, const char *arg, pa_agent_entry *entry)
{
	cli_run run;
	check_agent *r;
	size_t exact;
	int code = cli_pipeline_run(&c->p, arg, entry, CLI_RUN_CONTEXT, 0, &run);

	/* An agent the changed files do not touch is not checked, and its
	 * warnings are not this commit's. */
	if (code == EXIT_OK && c->affected_flag &&
	    !cli_affected_agent(&c->affected, run.agent, run.prompt)) {
		cli_run_release(&run);
		return EXIT_OK;
	}
	cli_pipeline_warn(&c->p, run.warn);
	if (code != EXIT_OK) {
		cli_run_release(&run);
		return code;
	}
	c->r.agents = Pa_xgrow(c->r.agents, c->r.nagents, sizeof(*c->r.agents));
	r = &c->r.agents[c->r.nagents++];
	memset(r, 0, sizeof(*r));
	r->name = Pa_xstrdup(pa_agent_name(run.agent));
	r->path = Pa_xstrdup(pa_agent_path(run.agent));
	r->tokenizer = pa_tokenizer_name(run.tok);
	r->model = run.model ? Pa_xstrdup(run.model) : NULL;
	/* The whole context is an estimate whatever the tokenizer. */
	r->exact = !run.estimate && c->r.scope == PA_SCOPE_PROMPT;
	r->prompt_tokens = run.tokens;
	/* Exact, from Anthropic, when asked and reachable; else the
	 * estimate stands (a warning said why). */
	if (c->count_api && run.estimate && c->r.scope == PA_SCOPE_PROMPT &&
	    run.cc_model &&
	    cli_api_count_prompt(&c->api, run.prompt, run.tok, run.cc_model,
	                         run.tokens, &exact)) {
		r->prompt_tokens = exact;
		r->exact = 1;
	}
	r->context = pa_assembly_take_context(run.a);
	r->window = pa_model_context_window(r->context->model);
	/* What does not fit the window is cut off or refused, whatever the
	 * budget says. */
	r->over_window = r->window && r->context->tokens > r->window;
	r->tokens = c->r.scope == PA_SCOPE_CONTEXT ? r->context->tokens : r->prompt_tokens;
	c->r.estimates |= !r->exact;
	r->band_low = run.band_low;
	r->band_high = run.band_high;
	r->has_budget = run.has_budget;
	if (r->has_budget) {
		r->budget = run.spec->budget;
		r->reserve = run.spec->reserve;
		r->margin = r->exact ? 0 : run.spec->margin;
		r->effective = pa_trim_effective_budget_of(run.spec, !r->exact);
		r->over = r->tokens > r->effective;
	}
	if (c->want_sections)
		count_sections(r, run.prompt, run.tok);
	check_files(c, run.prompt, run.tok);
	load_cut(r, run.prompt);
	code = c->html ? html_check_add(c->html, &run, r->context, c->r.scope, r->tokens,
	                                r->has_budget ? r->effective : PA_NO_BUDGET,
	                                !r->exact)
	               : EXIT_OK;
	if (c->html && r->load_cut) {
		pa_buf note = PA_BUF_INIT;

		pa_buf_puts(&note, "Claude Code's load rule cuts ");
		Pa_quote_str(&note, r->load_cut);
		html_check_load_cut(c->html, note.ptr, r->cut_text, r->cut_line,
		                    r->cut_column);
		pa_buf_release(&note);
	}
	cli_run_release(&run);
	return code;
}

/* One warning of check's own, kept and printed as the pipeline's are. */
static void warn_at(checker *c, const char *path, long line, long column,
                    const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
static void warn_at(checker *c, const char *path, long line, long column,
                    const char *fmt, ...)
{
	pa_buf msg = PA_BUF_INIT;
	pa_warning w;
	pa_warnings list = { &w, 1 };
	va_list ap;

	va_start(ap, fmt);
	pa_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	memset(&w, 0, sizeof(w));
	w.message = msg.ptr;
	w.path = (char *)path;
	w.line = line;
	w.column = column;
	cli_pipeline_warn(&c->p, &list);
	pa_buf_release(&msg);
}

/* The CLAUDE.md files Claude Code loads on demand (below the working
 * directory, when a file there is read): no agent's first request holds
 * them, every format lists them apart (as context and explain do), and
 * their caps hold them, counted as the main session counts. */
static int check_on_demand(checker *c)
{
	pa_on_demand_file *f = NULL;
	pa_warnings warn = { NULL, 0 };
	const pa_tokenizer *tok;
	pa_error err;
	size_t n = 0, i, k;
	int est = 0, code = EXIT_OK;

	tok = cli_main_session_tokenizer(&c->p, &est, &code);
	if (!tok)
		return code;
	if (pa_on_demand_files(&c->p.opt, tok, &f, &n, &warn, &err) != PA_OK) {
		cli_print_error(&err);
		pa_warnings_release(&warn);
		return cli_exit_code(err.status);
	}
	cli_pipeline_warn(&c->p, &warn);
	pa_warnings_release(&warn);
	for (i = 0; i < n; i++) {
		long cap;
		check_file *cf;

		for (k = 0; c->cap_hit && k < pa_config_instruction_count(c->p.cfg); k++)
			if (pa_config_instruction_matches(c->p.cfg, k, f[i].kind, f[i].path))
				c->cap_hit[k] = 1;
		cap = pa_config_instruction_cap(c->p.cfg, f[i].kind, f[i].path);
		if (cap == PA_UNSET ||
		    !Pa_strset_add(&c->files_seen, f[i].path, strlen(f[i].path)))
			continue;
		c->r.files = Pa_xgrow(c->r.files, c->r.nfiles, sizeof(*c->r.files));
		cf = &c->r.files[c->r.nfiles++];
		cf->path = Pa_xstrdup(f[i].path);
		cf->tokens = f[i].tokens;
		cf->cap = (size_t)cap;
	}
	c->r.on_demand = f;
	c->r.n_on_demand = n;
	return EXIT_OK;
}

/* A cap of `instructions:` whose glob matched no instruction file of
 * any agent checked checks nothing: a typo, or a file gone.  A warning
 * (--strict fails it), said once per glob; only when every agent was
 * checked, as a subset of them need not load every file. */
static void caps_unmatched(checker *c)
{
	size_t k, n = pa_config_instruction_count(c->p.cfg);
	/* the config at the project root, named as the other paths are,
	 * relative to it */
	const char *file = PA_CONFIG_FILE;
	pa_buf q = PA_BUF_INIT;

	for (k = 0; c->cap_hit && k < n; k++) {
		const char *glob = pa_config_instruction_glob(c->p.cfg, k);
		long line = 0, column = 0;

		if (c->cap_hit[k])
			continue;
		/* at its key, as every message about the config says where */
		pa_config_entry_at(c->p.cfg, "instructions", glob, &line, &column);
		pa_buf_reset(&q);
		Pa_quote_str(&q, glob);
		warn_at(c, file, line, column, "%s:%ld:%ld: the cap of instructions: %s "
		        "matches no instruction file an agent or the main session "
		        "loads, at once or on demand: it checks nothing",
		        file, line, column, q.ptr);
	}
	pa_buf_release(&q);
}

/* Which of an agent's files grew: each section against the baseline's
 * of the same kind and path (a file twice in a prompt is matched in
 * order).  A baseline written without sections attributes nothing. */
static void attribute(check_agent *a, const Pa_baseline_agent *b)
{
	unsigned char *used;
	size_t i, j;

	/* A report without sections cannot say which file grew; one whose
	 * sections are [] (another CLI's row with no file yet) can: every
	 * file is new.  Returning on no sections left a first AGENTS.md
	 * out of "Where it grew" and annotated the row's directory. */
	if (!b->has_sections)
		return;
	used = Pa_xcalloc(b->nsections ? b->nsections : 1, 1);
	for (i = 0; i < a->nsections; i++) {
		check_section *s = &a->sections[i];

		s->change = (long long)s->tokens;
		for (j = 0; j < b->nsections; j++) {
			const Pa_baseline_section *x = &b->sections[j];

			if (used[j] || strcmp(x->kind, s->kind) || strcmp(x->path, s->path))
				continue;
			used[j] = 1;
			s->change -= (long long)x->tokens;
			break;
		}
	}
	free(used);
	a->attributed = 1;
}

/* The first line of now that is not the same line of then (1-based), the
 * line after then's last when now only adds to it; 0 when now holds
 * nothing new. */
static long first_changed_line(const pa_buf *then, const pa_buf *now)
{
	const char *a = then->ptr, *ae = a + then->len;
	const char *b = now->ptr, *be = b + now->len;
	long line = 1;

	for (;; line++) {
		const char *an = memchr(a, '\n', (size_t)(ae - a));
		const char *bn = memchr(b, '\n', (size_t)(be - b));
		size_t al = an ? (size_t)(an - a) : (size_t)(ae - a);
		size_t bl = bn ? (size_t)(bn - b) : (size_t)(be - b);

		if (b == be)
			return 0;
		if (a == ae || al != bl || memcmp(a, b, al) || !an != !bn)
			return line;
		a = an + 1;
		b = bn + 1;
	}
}

/* With --baseline-dir: where in the file that grew most each agent's
 * growth starts.  A file many agents share is read once. */
static void locate_growth(checker *c)
{
	check_report *r = &c->r;
	const check_section **done = NULL;
	size_t ndone = 0, i, k;

	for (i = 0; i < r->nagents; i++) {
		check_section *s = (check_section *)check_grown_most(&r->agents[i]);
		pa_buf then = PA_BUF_INIT, now = PA_BUF_INIT, path = PA_BUF_INIT;
		pa_error err;

		/* A file outside the project has no copy in the base's. */
		if (!s || !s->file || s->path[0] == '/' || s->path[0] == '~')
			continue;
		for (k = 0; k < ndone && strcmp(done[k]->file, s->file); k++)
			;
		if (k < ndone) {
			s->changed = done[k]->changed;
			continue;
		}
		pa_buf_printf(&path, "%s/%s", r->baseline_dir, s->path);
		if (pa_file_read_limited(path.ptr, PA_INSTRUCTIONS_MAX_BYTES, 0, &then,
		                         &err) != PA_OK)
			pa_buf_reset(&then); /* a new file: from its first line */
		if (pa_file_read_limited(s->file, PA_INSTRUCTIONS_MAX_BYTES, 0, &now,
		                         &err) == PA_OK)
			s->changed = first_changed_line(&then, &now);
		pa_buf_release(&then);
		pa_buf_release(&now);
		pa_buf_release(&path);
		done = Pa_xgrow(done, ndone, sizeof(*done));
		done[ndone++] = s;
	}
	free(done);
}

/* Each agent against the baseline; with every agent checked, the agents
 * of the baseline that are no more. */
static void compare(checker *c)
{
	check_report *r = &c->r;
	Pa_strset checked = PA_STRSET_INIT; /* names checked (and gone) */
	size_t i, j;

	for (i = 0; i < r->nagents; i++) {
		check_agent *a = &r->agents[i];
		const Pa_baseline_agent *b = Pa_baseline_find(r->baseline, a->name);

		if (!b) {
			a->base = CHECK_BASE_NEW;
			continue;
		}
		/* Counts of two tokenizers, or of the prompt and the whole
		 * context, differ for the same text: a change between them
		 * would be noise. */
		if (strcmp(b->tokenizer, a->tokenizer) || b->scope != r->scope) {
			a->base = CHECK_BASE_OTHER;
			if (strcmp(b->tokenizer, a->tokenizer))
				warn_at(c, a->path, 0, 0, "%s: the baseline counted it with %s, this "
				     "run with %s: its change is not compared", a->name,
				     b->tokenizer, a->tokenizer);
			else
				warn_at(c, a->path, 0, 0, "%s: the baseline counted its %s, this run "
				     "its %s: its change is not compared", a->name,
				     b->scope == PA_SCOPE_CONTEXT ? "whole context" : "prompt",
				     r->scope == PA_SCOPE_CONTEXT ? "whole context" : "prompt");
			continue;
		}
		a->base = CHECK_BASE_COMPARED;
		a->base_tokens = b->tokens;
		a->grew = Pa_growth_exceeds(&r->max_growth, b->tokens, a->tokens);
		attribute(a, b);
	}
	if (!c->all_agents)
		return;
	for (i = 0; i < r->nagents; i++)
		Pa_strset_add(&checked, r->agents[i].name, strlen(r->agents[i].name));
	for (j = 0; j < Pa_baseline_count(r->baseline); j++) {
		const Pa_baseline_agent *b = Pa_baseline_agent_at(r->baseline, j);

		if (!Pa_strset_add(&checked, b->name, strlen(b->name)))
			continue;
		r->gone = Pa_xgrow(r->gone, r->ngone, sizeof(*r->gone));
		r->gone[r->ngone].name = b->name;
		r->gone[r->ngone++].tokens = b->tokens;
	}
	Pa_strset_release(&checked);
}

void check_tally_of(const check_report *r, check_tally *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < r->nagents; i++) {
		const check_agent *a = &r->agents[i];

		/* An agent over both its budget and the window counts in
		 * both, and one over and grown too in grew (a report of an
		 * agent that grew 70% said "0 grew" when it was also over);
		 * ok counts the others. */
		t->over += a->over;
		t->over_window += a->over_window;
		if (a->request) {
			t->cli_over += a->over;
			t->cli_ok += !a->over && !a->over_window && !a->cut && !a->grew;
		} else if (a->main_part) {
			t->main_rows++;
			t->main_over += a->over;
			t->main_ok += !a->over && !a->over_window && !a->cut && !a->grew;
		} else {
			t->agents++;
		}
		if (a->grew) {
			/* each kind of row says its own growth: agents that
			 * grew are not the main session's */
			t->grew++;
			if (a->request)
				t->cli_grew++;
			else if (a->main_part)
				t->main_grew++;
			else
				t->agents_grew++;
		} else if (!a->over && !a->over_window && !a->cut) {
			t->ok++;
		}
		t->cut += a->cut != NULL;
		t->clis += a->request;
		if (a->cli != r->agents[0].cli)
			t->mixed = 1;
		t->new_agents += a->base == CHECK_BASE_NEW;
		t->not_compared += a->base == CHECK_BASE_OTHER;
	}
	for (i = 0; i < r->nfiles; i++)
		t->files_over += r->files[i].tokens > r->files[i].cap;
	t->skipped = r->nskipped;
	t->warnings = r->warnings->n;
	/* Another CLI's start directories left unwalked by a limit fail the
	 * check whatever --skip-invalid says: a row that is not there may be
	 * the one over (--skip-invalid skips files, not rows). */
	t->invalid = t->skipped && !r->skip_invalid;
	for (i = 0; i < r->nskipped; i++)
		t->invalid |= r->skipped[i].always;
	/* With --skip-invalid a file that does not load is one more warning,
	 * which --strict fails on like any other. */
	t->warnings_fail = r->strict && (t->warnings || t->skipped);
	if (t->invalid) {
		t->status = "error";
		t->exit_code = EXIT_USAGE;
	} else if (t->over || t->over_window || t->files_over || t->cut) {
		t->status = "over";
		t->exit_code = EXIT_OVER_BUDGET;
	} else if (t->grew || t->warnings_fail) {
		t->status = "failed";
		t->exit_code = EXIT_OVER_BUDGET;
	} else {
		t->status = "ok";
		t->exit_code = EXIT_OK;
	}
}

static void checker_release(checker *c)
{
	size_t i, j;

	free(c->cap_hit);
	cli_api_release(&c->api);
	for (i = 0; i < c->r.nagents; i++) {
		free(c->r.agents[i].name);
		free(c->r.agents[i].path);
		free(c->r.agents[i].model);
		pa_context_estimate_free(c->r.agents[i].context);
		for (j = 0; j < c->r.agents[i].nsections; j++) {
			free(c->r.agents[i].sections[j].path);
			free(c->r.agents[i].sections[j].file);
		}
		free(c->r.agents[i].sections);
		free(c->r.agents[i].note);
		free(c->r.agents[i].cut);
		free(c->r.agents[i].cut_path);
		free(c->r.agents[i].cut_text);
		free(c->r.agents[i].load_cut);
	}
	free(c->r.agents);
	for (i = 0; i < c->r.nfiles; i++)
		free(c->r.files[i].path);
	free(c->r.files);
	for (i = 0; i < c->r.nskipped; i++) {
		free(c->r.skipped[i].path);
		free(c->r.skipped[i].reason);
	}
	free(c->r.skipped);
	pa_on_demand_files_free(c->r.on_demand, c->r.n_on_demand);
	free(c->r.gone);
	Pa_baseline_free(c->r.baseline);
	html_check_free(c->html);
	cli_repo_paths_release(&c->r.paths);
	cli_affected_release(&c->affected);
	Pa_strset_release(&c->files_seen);
	Pa_strset_release(&c->files_judged);
	Pa_strset_release(&c->skipped_seen);
	cli_pipeline_release(&c->p);
}

const cli_opt cli_check_opts[] = {
	CLI_HARNESS_OPT,
	CLI_OPT_FORMAT("text json github markdown junit html"),
	{ "budget-context", no_argument, OPT_BUDGET_CONTEXT, 0, CLI_VALUE_NONE, NULL },
	{ "budget-prompt", no_argument, OPT_BUDGET_PROMPT, 0, CLI_VALUE_NONE, NULL },
	{ "strict", no_argument, OPT_STRICT, 0, CLI_VALUE_NONE, NULL },
	{ "skip-invalid", no_argument, OPT_SKIP_INVALID, 0, CLI_VALUE_NONE, NULL },
	{ "baseline", required_argument, OPT_BASELINE, 0, CLI_VALUE_FILE, NULL },
	{ "baseline-dir", required_argument, OPT_BASELINE_DIR, 0, CLI_VALUE_DIR, NULL },
	{ "max-growth", required_argument, OPT_MAX_GROWTH, 0, CLI_VALUE_NONE, NULL },
	{ "affected", no_argument, OPT_AFFECTED, 0, CLI_VALUE_NONE, NULL },
	{ "allow-no-agents", no_argument, OPT_ALLOW_NO_AGENTS, 0, CLI_VALUE_NONE, NULL },
	{ "warn-only", no_argument, OPT_WARN_ONLY, 0, CLI_VALUE_NONE, NULL },
	{ "count-api", no_argument, OPT_COUNT_API, 0, CLI_VALUE_NONE, NULL },
	CLI_OUTPUT_OPT,
	CLI_COMMON_OPTS, CLI_COMPOSE_OPTS, CLI_BUDGET_LIMIT_OPTS,
	CLI_TRIM_OPTS(CLI_VALUE_REFUSED, CLI_VALUE_REFUSED),
	CLI_OPT_END
};

/* Parses argv; returns -1 to go on, else an exit code. */
static int parse(checker *c, int argc, char **argv)
{
	cli_getopt g;
	int ch, r;

	cli_getopt_init(&g, cli_check_opts);
	while ((ch = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			help();
			return EXIT_OK;
		case 'f':
			if (!cli_format_parse(optarg, formats, sizeof(formats) /
			                      sizeof(formats[0]), &c->fmt))
				return EXIT_USAGE;
			continue;
		case OPT_BUDGET_CONTEXT:
		case OPT_BUDGET_PROMPT:
			c->scope_flag = ch == OPT_BUDGET_CONTEXT ? PA_SCOPE_CONTEXT
			                                         : PA_SCOPE_PROMPT;
			continue;
		case OPT_STRICT:
			c->strict_flag = 1;
			continue;
		case OPT_SKIP_INVALID:
			c->r.skip_invalid = 1;
			continue;
		case OPT_BASELINE:
			c->r.baseline_file = optarg;
			cli_pipeline_input(&c->p, optarg);
			continue;
		case OPT_BASELINE_DIR:
			c->r.baseline_dir = optarg;
			continue;
		case OPT_AFFECTED:
			c->affected_flag = 1;
			continue;
		case OPT_ALLOW_NO_AGENTS:
			c->allow_no_agents = 1;
			continue;
		case OPT_WARN_ONLY:
			c->warn_only = 1;
			continue;
		case OPT_COUNT_API:
			c->count_api = 1;
			continue;
		case OPT_MAX_GROWTH:
			if (!Pa_growth_limit_parse(optarg, &c->growth_flag))
				return cli_usage_error("--max-growth needs a share such as "
				                       "10%% or tokens such as 500, not '%s'",
				                       optarg);
			continue;
		case CLI_OPT_FLOOR:
		case CLI_OPT_CAP:
		case CLI_OPT_KEEP:
		case CLI_OPT_PRIORITY:
		case CLI_OPT_TRIM_BODY:
			return cli_usage_error("trimming options do not apply (check "
			                       "counts untrimmed prompts)");
		}
		r = ch == '?' ? 0 : cli_pipeline_option(&c->p, ch, optarg);
		if (r == 0)
			return cli_option_error(argv, g.shortopts, g.longopts);
		if (r < 0)
			return EXIT_USAGE;
	}
	if (c->growth_flag.set && !c->r.baseline_file)
		return cli_usage_error("--max-growth needs --baseline FILE");
	if (c->r.baseline_dir && !c->r.baseline_file)
		return cli_usage_error("--baseline-dir needs --baseline FILE");
	return -1;
}

/* The warnings of the lookup of every agent; with --affected only those
 * about the files given (an agent file that does not load, two files
 * defining one name). */
static void list_warnings(checker *c, const pa_warnings *w)
{
	pa_warnings keep = { NULL, 0 };
	size_t i;

	if (!c->affected_flag || c->affected.every) {
		cli_pipeline_warn(&c->p, w);
		return;
	}
	for (i = 0; i < w->n; i++) {
		char *abs;
		int hit;

		if (!w->items[i].path)
			continue;
		abs = cli_repo_paths_absolute(&c->r.paths, w->items[i].path);
		/* A walk that left files unread may have left out the very
		 * agent the files given affect: that is never filtered. */
		hit = w->items[i].kind == PA_WARNING_INCOMPLETE ||
		      cli_affected_file(&c->affected, abs);
		free(abs);
		if (!hit)
			continue;
		/* Borrowed: the list is freed, not its warnings. */
		keep.items = Pa_xgrow(keep.items, keep.n, sizeof(*keep.items));
		keep.items[keep.n++] = w->items[i];
	}
	cli_pipeline_warn(&c->p, &keep);
	free(keep.items);
}

/* ---- the main session (`main:` in the config) ---- */

/* A row of the main session: name, what it names (path), its tokens and
 * budget.  It is reported, compared with a baseline and counted as the
 * agents' rows are. */
static void main_row(checker *c, const char *name, const char *path,
                     long line, long column, const char *note,
                     const char *tokenizer, size_t tokens, size_t budget,
                     size_t reserve)
{
	check_agent *r;
	size_t effective = cli_main_budget_effective(budget, reserve, c->main_margin);

	c->r.agents = Pa_xgrow(c->r.agents, c->r.nagents, sizeof(*c->r.agents));
	r = &c->r.agents[c->r.nagents++];
	memset(r, 0, sizeof(*r));
	r->name = Pa_xstrdup(name);
	r->path = Pa_xstrdup(path);
	r->line = line;
	r->column = column;
	r->tokenizer = tokenizer;
	r->tokens = r->prompt_tokens = tokens;
	r->has_budget = 1;
	/* The main session is an estimate: its budgets keep the margin the
	 * agents' do (the band's upper end, or --margin). */
	r->budget = budget;
	r->reserve = reserve;
	r->effective = effective;
	r->margin = c->main_margin;
	r->band_low = c->main_band_low;
	r->band_high = c->main_band_high;
	r->over = tokens > effective;
	r->main_part = 1;
	/* the whole first request's share of the model's window, as for an
	 * agent; a part of it (a listing) has none of its own */
	if (!strcmp(name, "main session")) {
		r->window = c->main_window;
		r->over_window = r->window && tokens > r->window;
	}
	r->note = note ? Pa_xstrdup(note) : NULL;
	c->r.estimates = 1;
	if (c->html)
		html_check_add_main(c->html, name, path, note, tokens, budget,
		                    effective);
}

/* The margin of the main session's budgets: --margin, else the config's
 * margin:, else the band's upper end for its model (its text is Claude
 * Code's and the project's English: the band of prose). */
static int main_margin(checker *c, const pa_main_session *s)
{
	return cli_main_session_margin(&c->p, s->model, &c->main_band_low,
	                               &c->main_band_high, &c->main_margin);
}

/* What check_main()'s rows are made with. */
typedef struct main_rows {
	checker *c;
	const pa_main_session *s;
	const char *tokenizer;
} main_rows;

/* The agent whose listing line grew most over the baseline, else the
 * one whose line is longest: "NAME grew most (+N tokens)" or "longest
 * line: NAME (N tokens)". */
static void main_agents_label(const checker *c, const pa_main_part *part,
                              pa_buf *out)
{
	const pa_main_item *big = NULL;
	const char *grew = NULL;
	long long most = 0;
	size_t i;

	for (i = 0; c->r.baseline && i < c->r.nagents; i++) {
		const check_agent *a = &c->r.agents[i];
		const Pa_baseline_agent *b = a->has_listing && !a->main_part
		                             ? Pa_baseline_find(c->r.baseline, a->name) : NULL;
		long long d;
		if (!b || !b->has_listing)
			continue;
		d = (long long)a->listing - (long long)b->listing;
		if (d > most) {
			most = d;
			grew = a->name;
		}
	}
	if (grew) {
		pa_buf_printf(out, "%s grew most (+%lld tokens)", grew, most);
		return;
	}
	for (i = 0; i < part->n_items; i++)
		if (!part->items[i].builtin && (!big || part->items[i].tokens > big->tokens))
			big = &part->items[i];
	if (big) {
		pa_buf_printf(out, "the longest line is %s's (", big->name);
		pa_buf_put_count(out, big->tokens);
		pa_buf_puts(out, " tokens)");
	} else {
		pa_buf_puts(out, "built-in agents only");
	}
}

/* A row of a `main:` budget (cli_main_budgets()); the agents listing's
 * names the agent whose line grew most, or the longest. */
static void main_budget_row(void *ctx, const char *name, const char *key,
                            int part, const pa_main_item *item, size_t tokens,
                            size_t budget, size_t reserve)
{
	main_rows *m = ctx;
	pa_buf label = PA_BUF_INIT;
	long line = 0, column = 0;

	if (part == PA_MAIN_AGENTS && !item)
		main_agents_label(m->c, &m->s->parts[PA_MAIN_AGENTS], &label);
	/* an agent's listing line points at its file; a budget of the
	 * whole or of a part, at its key in the config, as every other
	 * message about the config names its line and column */
	if (!(item && item->path))
		pa_config_entry_at(m->c->p.cfg, "main", key, &line, &column);
	main_row(m->c, name, item && item->path ? item->path : PA_CONFIG_FILE,
	         line, column, label.len ? label.ptr : NULL, m->tokenizer, tokens,
	         budget, reserve);
	pa_buf_release(&label);
}

/* With `main:` budgets: estimates the main session (pa_main_session_estimate)
 * and adds a row for each part budgeted; each agent's row gets its
 * listing line's cost. */
static int check_main(checker *c)
{
	size_t i, j;
	const pa_tokenizer *tok;
	int est = 0;
	pa_warnings warn = { NULL, 0 };
	pa_main_session *s = NULL;
	main_rows m;
	pa_error err;
	int code = EXIT_OK;

	if (!cli_main_budgets(&c->p, NULL, 0, NULL, NULL))
		return EXIT_OK;
	tok = cli_main_session_tokenizer(&c->p, &est, &code);
	if (!tok)
		return code;
	if (pa_main_session_estimate(&c->p.opt, tok, c->p.model ? c->p.model
	                        : pa_config_model(c->p.cfg), NULL, &s, &warn, &err) != PA_OK) {
		cli_print_error(&err);
		pa_warnings_release(&warn);
		return cli_exit_code(err.status);
	}
	c->main_window = s->window;
	code = main_margin(c, s);
	if (code != EXIT_OK) {
		pa_main_session_free(s);
		pa_warnings_release(&warn);
		return code;
	}
	list_warnings(c, &warn);
	pa_warnings_release(&warn);
	for (i = 0; i < c->r.nagents; i++) {
		const pa_main_part *part = &s->parts[PA_MAIN_AGENTS];
		for (j = 0; j < part->n_items; j++)
			if (!part->items[j].builtin && !strcmp(part->items[j].name, c->r.agents[i].name)) {
				c->r.agents[i].listing = part->items[j].tokens;
				c->r.agents[i].has_listing = 1;
			}
	}
	m.c = c;
	m.s = s;
	m.tokenizer = pa_tokenizer_name(tok);
	cli_main_budgets(&c->p, s, c->main_margin, main_budget_row, &m);
	pa_main_session_free(s);
	return EXIT_OK;
}

/* The first request of a CLI with a main session (PA_HARNESS_SUPPORTS_
 * MAIN_SESSION) as one row beside the other CLIs' first requests, named
 * as theirs (cli:.), held by the same rule: -b, else budgets: for its
 * name, else budget:, less the reserve and the margin of the main
 * session's estimate (the band's upper end, or the margin set). */
static int check_session_row(checker *c, pa_harness_id id)
{
	const pa_tokenizer *tok;
	pa_main_session *s = NULL;
	pa_warnings warn = { NULL, 0 };
	pa_trim_spec spec;
	pa_buf name = PA_BUF_INIT;
	check_agent *r;
	pa_error err;
	int est = 0, code = EXIT_OK;

	tok = cli_main_session_tokenizer(&c->p, &est, &code);
	if (!tok)
		return code;
	if (pa_main_session_estimate(&c->p.opt, tok, c->p.model ? c->p.model
	                        : pa_config_model(c->p.cfg), NULL, &s, &warn, &err) != PA_OK) {
		cli_print_error(&err);
		pa_warnings_release(&warn);
		return cli_exit_code(err.status);
	}
	list_warnings(c, &warn);
	pa_warnings_release(&warn);
	code = main_margin(c, s);
	if (code != EXIT_OK) {
		pa_main_session_free(s);
		return code;
	}
	c->r.agents = Pa_xgrow(c->r.agents, c->r.nagents, sizeof(*c->r.agents));
	r = &c->r.agents[c->r.nagents++];
	memset(r, 0, sizeof(*r));
	pa_buf_printf(&name, "%s:.", pa_harness_name(id));
	r->name = pa_buf_detach(&name, NULL);
	r->path = Pa_xstrdup(".");
	r->cli = id;
	r->request = 1;
	r->tokenizer = pa_tokenizer_name(tok); /* the pipeline keeps it */
	r->model = s->model ? Pa_xstrdup(s->model) : NULL;
	/* Claude Code's own text is measured figures of a model: an
	 * estimate, as the main session's rows */
	r->exact = 0;
	r->band_low = c->main_band_low;
	r->band_high = c->main_band_high;
	r->prompt_tokens = cli_main_session_held(s, PA_SCOPE_PROMPT);
	r->whole = s->tokens;
	r->tokens = cli_main_session_held(s, c->r.scope);
	r->window = s->window;
	r->over_window = r->window && s->tokens > r->window;
	r->has_budget = pa_session_spec(c->p.session, r->name, 1, &spec);
	if (r->has_budget) {
		spec.margin = c->main_margin;
		r->budget = spec.budget;
		r->reserve = spec.reserve;
		r->margin = spec.margin;
		r->effective = pa_trim_effective_budget_of(&spec, 1);
		r->over = r->tokens > r->effective;
	}
	c->r.estimates = 1;
	if (c->html)
		html_check_add_cli(c->html, r->name, r->path, NULL, NULL, 0, 0,
		                   c->r.scope, r->tokens,
		                   r->whole, r->has_budget ? r->budget : PA_NO_BUDGET,
		                   r->has_budget ? r->effective : PA_NO_BUDGET, r->window);
	pa_main_session_free(s);
	return EXIT_OK;
}

/* Every agent of the project, the definition that wins for each name. */
static int check_all(checker *c)
{
	pa_agent_entry *list = NULL;
	pa_warnings warn = { NULL, 0 };
	pa_error err;
	size_t n = 0, k;
	int code = EXIT_OK;

	if (pa_agent_list(&c->p.opt, &list, &n, &warn, &err) != PA_OK) {
		list_warnings(c, &warn);
		pa_warnings_release(&warn);
		cli_print_error(&err);
		return cli_exit_code(err.status);
	}
	list_warnings(c, &warn);
	pa_warnings_release(&warn);
	for (k = 0; k < n && code == EXIT_OK; k++)
		if (list[k].wins)
			code = run_agent(c, NULL, &list[k]);
	pa_agent_entry_free(list, n);
	/* A check of nothing is a wrong directory more often than a project
	 * without agents: it fails unless told. */
	/* A run of several CLIs has a row of each: a project without agents
	 * is one of them, not a wrong directory */
	if (code == EXIT_OK && n == 0 && c->r.nskipped == 0 && !c->affected_flag &&
	    !c->allow_no_agents && c->p.clis.n < 2) {
		static const char msg[] = "no agents in .claude/agents/ of the project or "
		                          "of ~/.claude/agents/ (--allow-no-agents passes)";

		/* In GitHub's log an annotation is the error's one line. */
		if (c->fmt == CLI_FMT_JSON || c->fmt == CLI_FMT_JUNIT) {
			cli_errorf("%s", msg);
			c->no_agents = 1;
			return EXIT_OK;
		} else if (c->fmt == CLI_FMT_GITHUB) {
			pa_buf ann = PA_BUF_INIT;

			pa_buf_printf(&ann, "::error title=promptasm check::%s\n", msg);
			code = cli_pipeline_write(&c->p, ann.ptr, ann.len);
			pa_buf_release(&ann);
		} else {
			cli_errorf("%s", msg);
		}
		if (code == EXIT_OK)
			code = EXIT_USAGE;
	} else if (code == EXIT_OK && n == 0 && c->r.nskipped == 0)
		cli_notef("no agents in .claude/agents/ of the project or of ~/.claude/agents/");
	else if (code == EXIT_OK && c->affected_flag && !c->r.nagents &&
	         !c->r.nskipped)
		cli_notef("the files given affect no agent");
	return code;
}

int cmd_check(int argc, char **argv)
{
	checker c;
	check_tally t;
	pa_buf out = PA_BUF_INIT;
	const char *strict;
	int code, i, agents, main_session, on_demand;
	size_t k;

	memset(&c, 0, sizeof(c));
	c.scope_flag = -1;
	c.fmt = CLI_FMT_TEXT;
	cli_pipeline_init(&c.p);
	c.p.many = 1;
	c.p.skipped = add_skipped;
	c.p.skipped_ctx = &c;
	c.r.warnings = &c.p.warned;
	code = parse(&c, argc, argv);
	if (code >= 0)
		goto done;
	c.want_sections = c.fmt == CLI_FMT_JSON || c.r.baseline_file;
	if (c.fmt == CLI_FMT_HTML)
		c.html = html_check_new();
	code = cli_pipeline_start(&c.p);
	if (code != EXIT_OK)
		goto done;
	if (pa_config_instruction_count(c.p.cfg))
		c.cap_hit = Pa_xcalloc(pa_config_instruction_count(c.p.cfg), 1);
	{
		pa_trim_spec spec;

		pa_trim_spec_init(&spec, PA_NO_BUDGET);
		spec.margin = -1;
		pa_config_trim_spec(c.p.cfg, &spec);
		c.r.margin_set = c.p.trim.has_margin || spec.margin >= 0;
	}
	if (c.count_api && (code = cli_api_init(&c.api)) != EXIT_OK)
		goto done;
	c.r.scope = c.scope_flag >= 0 ? (pa_budget_scope)c.scope_flag
	                              : pa_config_budget_scope(c.p.cfg);
	strict = pa_config_setting(c.p.cfg, "strict");
	c.r.strict = c.strict_flag || (strict && !strcmp(strict, "true"));
	/* Warnings fail the check: -q must not hide them. */
	c.p.warn_always = c.r.strict;
	/* Annotations are the log's lines: each warning once, not once more
	 * on standard error. */
	c.p.warn_never = c.fmt == CLI_FMT_GITHUB;
	cli_repo_paths_init(&c.r.paths, &c.p.opt);
	if (c.r.baseline_file) {
		pa_error err;

		if (Pa_baseline_load(c.r.baseline_file, &c.r.baseline, &err) != PA_OK) {
			cli_print_error(&err);
			code = cli_exit_code(err.status);
			goto done;
		}
		if (c.growth_flag.set)
			c.r.max_growth = c.growth_flag;
		else if (pa_config_setting(c.p.cfg, "max_growth"))
			Pa_growth_limit_parse(pa_config_setting(c.p.cfg, "max_growth"),
			                      &c.r.max_growth);
	}
	c.all_agents = optind >= argc && !c.affected_flag;
	agents = cli_clis_count(&c.p.clis, PA_HARNESS_SUPPORTS_AGENTS) != 0;
	main_session = cli_clis_count(&c.p.clis, PA_HARNESS_SUPPORTS_MAIN_SESSION) != 0;
	on_demand = cli_clis_count(&c.p.clis, PA_HARNESS_SUPPORTS_ON_DEMAND) != 0;
	if (!c.affected_flag && optind < argc &&
	    (code = cli_clis_refused(&c.p.clis, argv[optind], 0, CLI_FMT_TEXT)) != EXIT_OK)
		goto done;
	if (!agents) {
		;
	} else if (c.affected_flag) {
		/* Nothing changed (a hook run on no file): nothing to check. */
		cli_affected_init(&c.affected, argv + optind, (size_t)(argc - optind),
		                  pa_config_file(c.p.cfg));
		if (optind < argc)
			code = check_all(&c);
		else
			cli_notef("no files given: nothing to check");
	} else if (optind < argc) {
		for (i = optind; i < argc && code == EXIT_OK; i++)
			code = run_agent(&c, argv[i], NULL);
	} else {
		code = check_all(&c);
	}
	if (code == EXIT_OK && main_session && c.all_agents && !c.no_agents)
		code = check_main(&c);
	if (code == EXIT_OK && on_demand && c.all_agents && !c.no_agents)
		code = check_on_demand(&c);
	if (code == EXIT_OK && agents && c.all_agents && !c.no_agents)
		caps_unmatched(&c);
	/* The CLIs, in the order given: a row per directory of each that the
	 * table composes; in a run of several, or when budgets hold the whole
	 * context (a main session's is its first request, as a CLI's row
	 * is), the first request of each with a main session too */
	for (k = 0; code == EXIT_OK && k < c.p.clis.n; k++)
		if (pa_harness_supports(c.p.clis.ids[k], PA_HARNESS_SUPPORTS_REQUEST))
			code = check_cli_rows(&c.r, &c.p, c.p.clis.ids[k], c.want_sections,
			                      c.html);
		else if (pa_harness_supports(c.p.clis.ids[k], PA_HARNESS_SUPPORTS_MAIN_SESSION) &&
		         (c.p.clis.n > 1 || c.r.scope == PA_SCOPE_CONTEXT) &&
		         c.all_agents && !c.no_agents)
			code = check_session_row(&c, c.p.clis.ids[k]);
	if (code == EXIT_OK && c.all_agents && !c.no_agents) {
		const char **names = Pa_xcalloc(c.r.nagents + 1, sizeof(*names));

		for (k = 0; k < c.r.nagents; k++)
			names[k] = c.r.agents[k].name;
		cli_pipeline_budgets_unmatched(&c.p, names, c.r.nagents);
		free(names);
	}
	if (code != EXIT_OK)
		goto done;
	if (c.r.baseline)
		compare(&c);
	if (c.r.baseline && c.r.baseline_dir)
		locate_growth(&c);
	check_tally_of(&c.r, &t);
	if (c.no_agents) {
		t.status = "error";
		t.exit_code = EXIT_USAGE;
	}
	if (c.fmt == CLI_FMT_JSON)
		check_out_json(&c.r, &t, &out);
	else if (c.fmt == CLI_FMT_GITHUB)
		check_out_github(&c.r, &t, &out);
	else if (c.fmt == CLI_FMT_MARKDOWN)
		check_out_markdown(&c.r, &t, &out);
	else if (c.fmt == CLI_FMT_JUNIT)
		check_out_junit(&c.r, &t, &out);
	else if (c.fmt == CLI_FMT_HTML) {
		pa_buf v = PA_BUF_INIT;
		size_t k2;

		for (k2 = 0; k2 < c.r.nagents; k2++)
			html_check_status(c.html, k2, c.r.agents[k2].name,
			                  check_agent_status(&c.r.agents[k2]));
		pa_buf_printf(&v, "The check %s (%s, exit status %d): ",
		              t.exit_code ? "failed" : "passed", t.status, t.exit_code);
		check_put_summary(&v, &c.r, &t);
		/* Every reason the check fails, as the text's summary gives
		 * them: a page that said "failed ... 3 ok, 0 over budget" for
		 * a file over its cap or warnings under --strict said why
		 * nowhere near its verdict. */
		if (t.over_window)
			pa_buf_printf(&v, ", %zu over the model's context window",
			              t.over_window);
		if (t.files_over)
			pa_buf_printf(&v, "; %zu file%s over %s cap", t.files_over,
			              t.files_over == 1 ? "" : "s",
			              t.files_over == 1 ? "its" : "their");
		if (t.skipped)
			pa_buf_printf(&v, "; %zu file%s that do%s not load or %s not read",
			              t.skipped, t.skipped == 1 ? "" : "s",
			              t.skipped == 1 ? "es" : "", t.skipped == 1 ? "was" : "were");
		if (t.grew)
			pa_buf_printf(&v, "; %zu grew past the maximum", t.grew);
		if (t.warnings && c.r.strict)
			pa_buf_printf(&v, "; %zu warning%s (--strict: the check fails)",
			              t.warnings, t.warnings == 1 ? "" : "s");
		html_check_verdict(c.html, v.ptr);
		pa_buf_reset(&v);
		check_put_conversion(&v, &c.r);
		html_check_conversion(c.html, v.ptr);
		for (k2 = 0; k2 < c.r.nfiles; k2++)
			html_check_file(c.html, c.r.files[k2].path, c.r.files[k2].tokens,
			                c.r.files[k2].cap);
		html_check_on_demand(c.html, c.r.on_demand, c.r.n_on_demand);
		pa_buf_release(&v);
		html_check_page(c.html, &c.p.warned, &out);
	}
	else
		check_out_text(&c.r, &t, &out);
	/* The report is written even when agent files do not load (exit 2):
	 * it is how a CI job shows every problem at once. */
	code = cli_pipeline_write(&c.p, out.ptr, out.len);
	if (code == EXIT_OK)
		code = t.exit_code;
	/* --warn-only: the report says what failed; the run does not fail.
	 * Only a flag (the Action's, the hook's) sets it, never a project's
	 * config: a pull request could not make its own check pass. */
	if (c.warn_only && code != EXIT_OK && code == t.exit_code) {
		cli_errorf("warning: the check failed (%s, exit status %d); "
		           "--warn-only: exit status 0", t.status, code);
		code = EXIT_OK;
	}
	/* JSON and JUnit say which counts are estimates themselves. */
	if (c.fmt == CLI_FMT_JSON || c.fmt == CLI_FMT_JUNIT)
		;
	else if (check_holds_claude_context(&c.r))
		cli_notef("the whole context is an estimate (figures of Claude Code %s): "
		          "budgets keep a margin free", pa_claude_code_version());
	else if (c.r.estimates && c.fmt != CLI_FMT_TEXT && c.fmt != CLI_FMT_MARKDOWN)
		cli_notef("some counts are estimates for current Claude models: budgets "
		          "keep a margin free (see 'promptasm tokenizers')");
done:
	pa_buf_release(&out);
	checker_release(&c);
	return code;
}
