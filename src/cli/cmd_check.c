/* cmd_check.c - `promptasm check`: is every agent's prompt within its
 * budget?  For CI: exit 0 when all fit, 1 when any is over, 2 on usage or
 * input errors. */
#define _GNU_SOURCE
#include "html.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"promptasm check [-b N] [-t TOKENIZER | -m MODEL] [--format text|json|github|html] [AGENT...]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Builds the prompt of each AGENT (default: every agent of the project),\n"
	       "counts it and compares it with its budget: --budget, else the agent's\n"
	       "entry under 'budgets:' in .promptasm.yaml, else 'budget:'.  An agent\n"
	       "without any budget is reported and never fails.  Files named under\n"
	       "'instructions:' are checked against their caps too.\n\n"
	       "  -b, --budget N          the budget of every agent\n"
	       "      --margin P          share kept free when counts are estimates\n"
	       "      --reserve N         tokens kept for the response\n"
	       "      --budget-context    budget the whole context Claude Code gives each\n"
	       "                          agent (an estimate), not the prompt alone\n"
	       "      --budget-prompt     budget the prompt (the default; overrides the\n"
	       "                          config's budget_scope: context)\n"
	       "  -f, --format FORMAT     text (default), json, github or html\n"
	       "                          (html: one page, a sortable table, each agent's report)\n"
	       CLI_COMMON_HELP CLI_COMPOSE_HELP "\n"
	       "Exit status: 0 all fit, 1 some prompt or file is over budget, 2 usage\n"
	       "or input error.\n",
	       usage);
}

enum { FMT_TEXT, FMT_JSON, FMT_GITHUB, FMT_HTML };
enum { OPT_BUDGET_CONTEXT = CLI_OPT_FIRST_OWN, OPT_BUDGET_PROMPT };

typedef struct result {
	char *name;
	char *path;
	const char *tokenizer;
	int exact;
	size_t tokens;           /* what the budget holds: the prompt or the context */
	size_t prompt_tokens;    /* the prompt, counted whole */
	pa_context_estimate *context;
	size_t window;           /* the model's context window, 0 when unknown */
	int has_budget;
	size_t budget, effective, reserve;
	double margin;
	int over;
	pa_buf sections;  /* its JSON array */
} result;

typedef struct file_result {
	char *path;
	size_t tokens, cap;
} file_result;

typedef struct checker {
	cli_pipeline p;
	result *res;
	size_t nres;
	file_result *files;
	size_t nfiles;
	cli_seen files_seen; /* their paths */
	int estimates;
	int want_sections;   /* the JSON output lists each agent's sections */
	int scope_flag;      /* -1: none, else a pa_budget_scope */
	pa_budget_scope scope;
	html_check *html;    /* --format html: the page's agents */
} checker;

static void check_files(checker *c, const pa_prompt *p, const pa_tokenizer *tok)
{
	size_t i, n = pa_prompt_section_count(p);

	for (i = 0; i < n; i++) {
		const char *path = pa_prompt_section_path(p, i);
		long cap = pa_config_instruction_cap(c->p.cfg, pa_prompt_section_kind(p, i), path);
		size_t len, tokens = 0;
		const char *text;

		if (cap == PA_UNSET)
			continue;
		if (!cli_seen_add(&c->files_seen, path))
			continue;
		text = pa_prompt_section_text(p, i, &len);
		if (pa_tokenizer_count(tok, text, len, &tokens, NULL) != PA_OK)
			continue;
		c->files = cli_grow(c->files, c->nfiles, sizeof(*c->files));
		c->files[c->nfiles].path = strdup(path);
		c->files[c->nfiles].tokens = tokens;
		c->files[c->nfiles].cap = (size_t)cap;
		c->nfiles++;
	}
}

/* The JSON array of the sections an agent's prompt holds. */
static void section_json(pa_buf *out, const pa_prompt *p, const pa_tokenizer *tok)
{
	size_t i, n = pa_prompt_section_count(p);

	pa_buf_putc(out, '[');
	for (i = 0; i < n; i++) {
		size_t len, tokens = 0;
		const char *text = pa_prompt_section_text(p, i, &len);

		pa_tokenizer_count(tok, text, len, &tokens, NULL);
		pa_buf_puts(out, i ? ",\n      {\"kind\": " : "\n      {\"kind\": ");
		cli_json_str(out, pa_section_kind_name(pa_prompt_section_kind(p, i)));
		pa_buf_puts(out, ", \"path\": ");
		cli_json_str(out, pa_prompt_section_path(p, i));
		pa_buf_printf(out, ", \"tokens\": %zu}", tokens);
	}
	pa_buf_puts(out, n ? "\n    ]" : "]");
}

static int check_agent(checker *c, const char *arg, const pa_agent_entry *entry)
{
	cli_run run;
	result *r;
	int code = cli_pipeline_run(&c->p, arg, entry, CLI_RUN_CONTEXT, 0, &run);

	cli_pipeline_warn(&c->p, &run.warn);
	if (code != EXIT_OK) {
		cli_run_release(&run);
		return code;
	}
	c->res = cli_grow(c->res, c->nres, sizeof(*c->res));
	r = &c->res[c->nres++];
	memset(r, 0, sizeof(*r));
	r->name = strdup(pa_agent_name(run.agent));
	r->path = strdup(pa_agent_path(run.agent));
	r->tokenizer = pa_tokenizer_name(run.tok);
	/* The whole context is an estimate whatever the tokenizer. */
	r->exact = !run.estimate && c->scope == PA_SCOPE_PROMPT;
	r->prompt_tokens = run.tokens;
	r->context = run.context;
	run.context = NULL;
	r->window = pa_model_context_window(r->context->model);
	r->tokens = c->scope == PA_SCOPE_CONTEXT ? r->context->tokens : run.tokens;
	c->estimates |= !r->exact;
	r->has_budget = run.has_budget;
	if (r->has_budget) {
		r->budget = run.spec.budget;
		r->reserve = run.spec.reserve;
		r->margin = r->exact ? 0 : run.spec.margin;
		r->effective = pa_trim_effective_budget_of(&run.spec, !r->exact);
		r->over = r->tokens > r->effective;
	}
	r->sections = (pa_buf)PA_BUF_INIT;
	if (c->want_sections)
		section_json(&r->sections, run.prompt, run.tok);
	check_files(c, run.prompt, run.tok);
	code = c->html ? html_check_add(c->html, &run, r->context, c->scope, r->tokens,
	                                r->has_budget ? r->effective : PA_NO_BUDGET)
	               : EXIT_OK;
	cli_run_release(&run);
	return code;
}

static void put_count(pa_buf *out, size_t v)
{
	pa_buf_put_count(out, v);
}

/* The whole context's share of the model's context window. */
static double share(const result *r)
{
	return r->window ? (double)r->context->tokens / (double)r->window : 0;
}

static double percent(const result *r)
{
	if (r->effective == 0)
		return r->tokens ? 999.9 : 0;
	return 100.0 * (double)r->tokens / (double)r->effective;
}

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

static void out_text(const checker *c, pa_buf *out)
{
	size_t i, w = 5, ok = 0, over = 0;
	pa_buf cell = PA_BUF_INIT;

	for (i = 0; i < c->nres; i++)
		if (strlen(c->res[i].name) > w)
			w = strlen(c->res[i].name);
	for (i = 0; i < c->nfiles; i++)
		if (strlen(c->files[i].path) > w)
			w = strlen(c->files[i].path);
	pa_buf_printf(out, "%-*s %10s %10s %6s %7s  %s\n", (int)w, "AGENT",
	              c->scope == PA_SCOPE_CONTEXT ? "CONTEXT" : "TOKENS", "BUDGET",
	              "USED", "WINDOW", "STATUS");
	for (i = 0; i < c->nres; i++) {
		const result *r = &c->res[i];

		pa_buf_printf(out, "%-*s ", (int)w, r->name);
		pa_buf_reset(&cell);
		put_count(&cell, r->tokens);
		pa_buf_printf(out, "%10s ", cell.ptr);
		if (r->has_budget) {
			pa_buf_reset(&cell);
			put_count(&cell, r->effective);
			pa_buf_printf(out, "%10s %5.0f%% ", cell.ptr, percent(r));
		} else {
			pa_buf_printf(out, "%10s %6s ", "-", "-");
		}
		if (r->window)
			pa_buf_printf(out, "%6.1f%%  ", 100.0 * share(r));
		else
			pa_buf_printf(out, "%7s  ", "-");
		pa_buf_printf(out, "%s\n", r->over ? "over" : "ok");
		if (r->over)
			over++;
		else
			ok++;
	}
	if (c->nfiles) {
		pa_buf_printf(out, "\n%-*s %10s %10s %6s  %s\n", (int)w, "FILE", "TOKENS",
		              "CAP", "USED", "STATUS");
		for (i = 0; i < c->nfiles; i++) {
			const file_result *f = &c->files[i];
			double pct = f->cap ? 100.0 * (double)f->tokens / (double)f->cap : 0;

			pa_buf_printf(out, "%-*s ", (int)w, f->path);
			pa_buf_reset(&cell);
			put_count(&cell, f->tokens);
			pa_buf_printf(out, "%10s ", cell.ptr);
			pa_buf_reset(&cell);
			put_count(&cell, f->cap);
			pa_buf_printf(out, "%10s %5.0f%%  %s\n", cell.ptr, pct,
			              f->tokens > f->cap ? "over" : "ok");
		}
	}
	pa_buf_printf(out, "\n%zu agent%s: %zu ok, %zu over budget", c->nres,
	              c->nres == 1 ? "" : "s", ok, over);
	if (c->scope == PA_SCOPE_CONTEXT)
		pa_buf_printf(out, " (budgets hold the whole context, estimated for "
		              "Claude Code %s)", pa_claude_code_version());
	if (c->nfiles) {
		size_t fo = 0;
		for (i = 0; i < c->nfiles; i++)
			fo += c->files[i].tokens > c->files[i].cap;
		pa_buf_printf(out, "; %zu file%s over %s cap", fo, fo == 1 ? "" : "s",
		              fo == 1 ? "its" : "their");
	}
	pa_buf_puts(out, "\n");
	pa_buf_release(&cell);
}

static void json_agent(pa_buf *out, const result *r, pa_budget_scope scope)
{
	pa_buf_puts(out, "{\"name\": ");
	cli_json_str(out, r->name);
	pa_buf_puts(out, ", \"path\": ");
	cli_json_str(out, r->path);
	pa_buf_puts(out, ", \"tokenizer\": ");
	cli_json_str(out, r->tokenizer);
	pa_buf_printf(out, ", \"exact\": %s, \"tokens\": %zu, \"budget\": ",
	              r->exact ? "true" : "false", r->tokens);
	if (r->has_budget)
		pa_buf_printf(out, "{\"budget\": %zu, \"effective\": %zu, \"reserve\": "
		              "%zu, \"margin\": %.4g}, \"percent\": %.1f", r->budget,
		              r->effective, r->reserve, r->margin, percent(r));
	else
		pa_buf_puts(out, "null, \"percent\": null");
	pa_buf_printf(out, ", \"status\": \"%s\", \"scope\": \"%s\", "
	              "\"prompt_tokens\": %zu, \"context_window\": ", r->over ? "over" : "ok",
	              scope == PA_SCOPE_CONTEXT ? "context" : "prompt", r->prompt_tokens);
	if (r->window)
		pa_buf_printf(out, "%zu, \"context_share\": %.4f", r->window, share(r));
	else
		pa_buf_puts(out, "null, \"context_share\": null");
	pa_buf_puts(out, ",\n     ");
	cli_json_claude_code(out, r->context, "     ");
	pa_buf_printf(out, ",\n     \"sections\": %s}", r->sections.ptr);
}

static void out_json(const checker *c, pa_buf *out)
{
	size_t i, over = 0, fo = 0;

	pa_buf_printf(out, "{\n  \"version\": %d,\n  \"agents\": [", CLI_JSON_VERSION);
	for (i = 0; i < c->nres; i++) {
		pa_buf_puts(out, i ? ",\n    " : "\n    ");
		json_agent(out, &c->res[i], c->scope);
		over += c->res[i].over;
	}
	pa_buf_puts(out, c->nres ? "\n  ],\n  \"files\": [" : "],\n  \"files\": [");
	for (i = 0; i < c->nfiles; i++) {
		const file_result *f = &c->files[i];

		pa_buf_puts(out, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
		cli_json_str(out, f->path);
		pa_buf_printf(out, ", \"tokens\": %zu, \"cap\": %zu, \"status\": \"%s\"}",
		              f->tokens, f->cap, f->tokens > f->cap ? "over" : "ok");
		fo += f->tokens > f->cap;
	}
	pa_buf_puts(out, c->nfiles ? "\n  ],\n  " : "],\n  ");
	cli_json_warnings(out, &c->p.warned, "  ");
	pa_buf_printf(out, ",\n  \"summary\": {\"agents\": %zu, \"ok\": %zu, \"over\": %zu, "
	              "\"files_over\": %zu},\n  \"status\": \"%s\"\n}\n",
	              c->nres, c->nres - over, over, fo, over || fo ? "over" : "ok");
}

static void out_github(const checker *c, pa_buf *out)
{
	size_t i, over = 0, fo = 0;
	pa_buf msg = PA_BUF_INIT;

	for (i = 0; i < c->nres; i++) {
		const result *r = &c->res[i];

		if (!r->over)
			continue;
		over++;
		pa_buf_reset(&msg);
		if (c->scope == PA_SCOPE_CONTEXT)
			pa_buf_printf(&msg, "%s is over budget: its whole context is about ",
			              r->name);
		else
			pa_buf_printf(&msg, "%s is over budget: ", r->name);
		put_count(&msg, r->tokens);
		pa_buf_puts(&msg, " tokens > ");
		put_count(&msg, r->effective);
		if (r->effective != r->budget) {
			pa_buf_puts(&msg, " (budget ");
			put_count(&msg, r->budget);
			pa_buf_puts(&msg, r->margin > 0 ? " less reserve and margin)" : " less reserve)");
		}
		pa_buf_puts(out, "::error file=");
		gh_escape(out, r->path, 1);
		pa_buf_puts(out, ",line=1,title=promptasm check::");
		gh_escape(out, msg.ptr, 0);
		pa_buf_putc(out, '\n');
	}
	for (i = 0; i < c->nfiles; i++) {
		const file_result *f = &c->files[i];

		if (f->tokens <= f->cap)
			continue;
		fo++;
		pa_buf_reset(&msg);
		pa_buf_printf(&msg, "%s is over its cap: ", f->path);
		put_count(&msg, f->tokens);
		pa_buf_puts(&msg, " tokens > ");
		put_count(&msg, f->cap);
		pa_buf_puts(out, "::error file=");
		gh_escape(out, f->path, 1);
		pa_buf_puts(out, ",line=1,title=promptasm check::");
		gh_escape(out, msg.ptr, 0);
		pa_buf_putc(out, '\n');
	}
	pa_buf_printf(out, "::notice title=promptasm check::%zu agent%s checked, %zu over budget",
	              c->nres, c->nres == 1 ? "" : "s", over);
	if (c->nfiles)
		pa_buf_printf(out, ", %zu file%s over %s cap", fo, fo == 1 ? "" : "s",
		              fo == 1 ? "its" : "their");
	pa_buf_putc(out, '\n');
	pa_buf_release(&msg);
}

static void checker_release(checker *c)
{
	size_t i;

	for (i = 0; i < c->nres; i++) {
		free(c->res[i].name);
		free(c->res[i].path);
		pa_context_estimate_free(c->res[i].context);
		pa_buf_release(&c->res[i].sections);
	}
	free(c->res);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i].path);
	free(c->files);
	cli_seen_release(&c->files_seen);
	cli_pipeline_release(&c->p);
	html_check_free(c->html);
}

/* Parses argv; returns -1 to go on, else an exit code. */
static int parse(checker *c, int argc, char **argv, int *fmt)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "budget-context", no_argument, NULL, OPT_BUDGET_CONTEXT },
		{ "budget-prompt", no_argument, NULL, OPT_BUDGET_PROMPT },
		CLI_COMMON_LONGOPTS, CLI_COMPOSE_LONGOPTS, CLI_BUDGET_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static const char *const formats[] = { "text", "json", "github", "html" };
	int ch, r;

	while ((ch = getopt_long(argc, argv, CLI_PIPELINE_SHORTOPTS "f:", opts,
	                         NULL)) != -1) {
		if (ch == 'h') {
			help();
			return EXIT_OK;
		}
		if (ch == 'f') {
			for (r = 0; r < 4 && strcmp(optarg, formats[r]); r++)
				;
			if (r == 4)
				return cli_usage_error(usage, "unknown format '%s' (text, "
				                       "json, github or html)", optarg);
			*fmt = r;
			continue;
		}
		if (ch == OPT_BUDGET_CONTEXT || ch == OPT_BUDGET_PROMPT) {
			c->scope_flag = ch == OPT_BUDGET_CONTEXT ? PA_SCOPE_CONTEXT
			                                         : PA_SCOPE_PROMPT;
			continue;
		}
		if (ch == CLI_OPT_FLOOR || ch == CLI_OPT_CAP || ch == CLI_OPT_KEEP ||
		    ch == CLI_OPT_PRIORITY || ch == CLI_OPT_TRIM_BODY)
			return cli_usage_error(usage, "check counts untrimmed prompts: "
			                       "trimming options do not apply");
		r = ch == '?' ? 0 : cli_pipeline_option(&c->p, ch, optarg);
		if (r == 0)
			return cli_usage_error(usage, "see 'promptasm check --help'");
		if (r < 0)
			return EXIT_USAGE;
	}
	return -1;
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
		cli_pipeline_warn(&c->p, &warn);
		pa_warnings_release(&warn);
		cli_print_error(&err);
		return cli_exit_code(err.status);
	}
	cli_pipeline_warn(&c->p, &warn);
	pa_warnings_release(&warn);
	for (k = 0; k < n && code == EXIT_OK; k++)
		if (list[k].wins)
			code = check_agent(c, NULL, &list[k]);
	pa_agent_entry_free(list, n);
	if (code == EXIT_OK && n == 0)
		cli_notef("no agents in .claude/agents/ of the project or of ~/.claude/agents/");
	return code;
}

int cmd_check(int argc, char **argv)
{
	checker c;
	pa_buf out = PA_BUF_INIT;
	int fmt = FMT_TEXT, code, i, any_over = 0;
	size_t k;

	memset(&c, 0, sizeof(c));
	c.scope_flag = -1;
	cli_pipeline_init(&c.p, usage);
	code = parse(&c, argc, argv, &fmt);
	if (code >= 0)
		goto done;
	c.want_sections = fmt == FMT_JSON;
	if (fmt == FMT_HTML)
		c.html = html_check_new();
	code = cli_pipeline_start(&c.p);
	if (code == EXIT_OK)
		c.scope = c.scope_flag >= 0 ? (pa_budget_scope)c.scope_flag
		                            : pa_config_budget_scope(c.p.cfg);
	if (code == EXIT_OK && optind < argc)
		for (i = optind; i < argc && code == EXIT_OK; i++)
			code = check_agent(&c, argv[i], NULL);
	else if (code == EXIT_OK)
		code = check_all(&c);
	if (code != EXIT_OK)
		goto done;
	for (k = 0; k < c.nres; k++)
		any_over |= c.res[k].over;
	for (k = 0; k < c.nfiles; k++)
		any_over |= c.files[k].tokens > c.files[k].cap;
	if (fmt == FMT_JSON)
		out_json(&c, &out);
	else if (fmt == FMT_GITHUB)
		out_github(&c, &out);
	else if (fmt == FMT_HTML)
		html_check_page(c.html, &c.p.warned, &out);
	else
		out_text(&c, &out);
	code = cli_write_stdout(out.ptr, out.len);
	if (code == EXIT_OK && any_over)
		code = EXIT_OVER_BUDGET;
	if (c.scope == PA_SCOPE_CONTEXT && fmt != FMT_JSON)
		cli_notef("the whole context is an estimate (figures of Claude Code %s): "
		          "budgets keep a margin free", pa_claude_code_version());
	else if (c.estimates && fmt != FMT_JSON)
		cli_notef("some counts are estimates for current Claude models: budgets "
		          "keep a margin free (see 'promptasm tokenizers')");
done:
	pa_buf_release(&out);
	checker_release(&c);
	return code;
}
