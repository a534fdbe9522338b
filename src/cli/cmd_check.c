/* cmd_check.c - `promptasm check`: is every agent's prompt within its
 * budget?  For CI: exit 0 when all fit, 1 when any is over, 2 on usage or
 * input errors. */
#define _GNU_SOURCE
#include "cmd_budget.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"promptasm check [-b N] [-t TOKENIZER | -m MODEL] [--format text|json|github] [AGENT...]";

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
	       "      --no-config         ignore .promptasm.yaml\n"
	       "  -t, --tokenizer NAME    tokenizer (default: the config's, else the\n"
	       "                          agent model's, else " PA_DEFAULT_TOKENIZER ")\n"
	       "  -m, --model MODEL       the tokenizer that serves MODEL\n"
	       "  -f, --format FORMAT     text (default), json or github\n"
	       "  -C, --project DIR       check as if started in DIR\n"
	       "      --no-managed        leave out the managed policy file\n"
	       "      --no-user           leave out ~/.claude/CLAUDE.md and ~/.claude/rules\n"
	       "      --no-ancestors      read CLAUDE.md files from the repository root down\n"
	       "  -q, --quiet             no notes or warnings\n"
	       "  -h, --help              this help\n\n"
	       "Exit status: 0 all fit, 1 some prompt or file is over budget, 2 usage\n"
	       "or input error.\n",
	       usage);
}

enum { FMT_TEXT, FMT_JSON, FMT_GITHUB };
enum { OPT_NO_MANAGED = 0x2000, OPT_NO_USER, OPT_NO_ANCESTORS };

typedef struct result {
	char *name;
	char *path;
	const char *tokenizer;
	int exact;
	size_t tokens;
	int has_budget;
	size_t budget, effective;
	double margin;
	int over;
} result;

typedef struct file_result {
	char *path;
	size_t tokens, cap;
} file_result;

/* One tokenizer per model an agent names, loaded once. */
typedef struct tok_cache {
	char *key;
	pa_tokenizer *tok;
	const char *model; /* the key, or NULL */
} tok_cache;

typedef struct checker {
	cli_budget b;
	const char *tok_name, *model;
	pa_compose_options opt;
	char *root;
	tok_cache *toks;
	size_t ntoks;
	result *res;
	size_t nres;
	file_result *files;
	size_t nfiles;
	char **warned;
	size_t nwarned;
	int estimates;
} checker;

static pa_tokenizer *tokenizer_for(checker *c, const char *agent_model,
                                   const char **model_used, int *code)
{
	const char *key = agent_model ? agent_model : "";
	size_t i;
	pa_tokenizer *tok;

	/* With -t, -m or the config's choice the agent's model does not
	 * matter: one tokenizer for all. */
	if (c->tok_name || c->model || pa_config_tokenizer(c->b.cfg) ||
	    pa_config_model(c->b.cfg))
		key = agent_model = "";

	for (i = 0; i < c->ntoks; i++) {
		if (!strcmp(c->toks[i].key, key)) {
			*model_used = c->toks[i].model;
			return c->toks[i].tok;
		}
	}
	tok = cli_budget_tokenizer(&c->b, c->tok_name, c->model, agent_model,
	                           model_used, code);
	if (!tok)
		return NULL;
	c->toks = realloc(c->toks, (c->ntoks + 1) * sizeof(*c->toks));
	if (!c->toks)
		abort();
	c->toks[c->ntoks].key = strdup(key);
	c->toks[c->ntoks].tok = tok;
	/* model_used points into c->model, the config or agent_model: keep
	 * our own copy of the last. */
	c->toks[c->ntoks].model = *model_used == agent_model ? c->toks[c->ntoks].key
	                                                     : *model_used;
	*model_used = c->toks[c->ntoks].model;
	c->ntoks++;
	return tok;
}

/* Warnings once each: the CLAUDE.md chain is the same for every agent.
 * A warning that names `file` names `shown` instead. */
static void warn_once_as(checker *c, const pa_warnings *w, const char *file,
                         const char *shown)
{
	size_t i, j, fl = file ? strlen(file) : 0;

	for (i = 0; i < w->n; i++) {
		if (fl && !strncmp(w->items[i], file, fl)) {
			char *s = malloc(strlen(shown) + strlen(w->items[i] + fl) + 1);
			if (!s)
				abort();
			strcpy(s, shown);
			strcat(s, w->items[i] + fl);
			free(w->items[i]);
			w->items[i] = s;
		}
		for (j = 0; j < c->nwarned; j++)
			if (!strcmp(c->warned[j], w->items[i]))
				break;
		if (j < c->nwarned)
			continue;
		c->warned = realloc(c->warned, (c->nwarned + 1) * sizeof(*c->warned));
		if (!c->warned)
			abort();
		c->warned[c->nwarned++] = strdup(w->items[i]);
		cli_warnf("%s", w->items[i]);
	}
}

static void warn_once(checker *c, const pa_warnings *w)
{
	warn_once_as(c, w, NULL, NULL);
}

static void check_files(checker *c, const pa_prompt *p, const pa_tokenizer *tok)
{
	size_t i, j, n = pa_prompt_section_count(p);

	for (i = 0; i < n; i++) {
		const char *path = pa_prompt_section_path(p, i);
		long cap = pa_config_instruction_cap(c->b.cfg, pa_prompt_section_kind(p, i), path);
		size_t len, tokens = 0;
		const char *text;

		if (cap == PA_UNSET)
			continue;
		for (j = 0; j < c->nfiles; j++)
			if (!strcmp(c->files[j].path, path))
				break;
		if (j < c->nfiles)
			continue;
		text = pa_prompt_section_text(p, i, &len);
		if (pa_tokenizer_count(tok, text, len, &tokens, NULL) != PA_OK)
			continue;
		c->files = realloc(c->files, (c->nfiles + 1) * sizeof(*c->files));
		if (!c->files)
			abort();
		c->files[c->nfiles].path = strdup(path);
		c->files[c->nfiles].tokens = tokens;
		c->files[c->nfiles].cap = (size_t)cap;
		c->nfiles++;
	}
}

static int check_agent(checker *c, pa_agent *agent, const char *shown)
{
	pa_warnings warn = { NULL, 0 };
	pa_prompt *prompt = NULL;
	pa_buf text = PA_BUF_INIT;
	pa_trim_spec spec;
	pa_tokenizer *tok;
	pa_error err;
	const char *model_used;
	result *r;
	int code = EXIT_OK;

	tok = tokenizer_for(c, pa_agent_model(agent), &model_used, &code);
	if (!tok)
		return code;
	if (pa_prompt_compose(agent, &c->opt, &prompt, &warn, &err) != PA_OK) {
		warn_once(c, &warn);
		pa_warnings_release(&warn);
		cli_print_error(&err);
		return cli_exit_code(err.status);
	}
	warn_once(c, &warn);
	pa_warnings_release(&warn);
	pa_prompt_render(prompt, &text);
	c->res = realloc(c->res, (c->nres + 1) * sizeof(*c->res));
	if (!c->res)
		abort();
	r = &c->res[c->nres];
	memset(r, 0, sizeof(*r));
	if (pa_tokenizer_count(tok, text.ptr, text.len, &r->tokens, &err) != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(err.status);
		goto done;
	}
	c->nres++;
	r->name = strdup(pa_agent_name(agent));
	r->path = strdup(shown);
	r->tokenizer = pa_tokenizer_name(tok);
	r->exact = !pa_tokenizer_is_estimate(tok, model_used);
	if (!r->exact)
		c->estimates = 1;
	r->has_budget = cli_budget_spec(&c->b, r->name, model_used, &spec);
	if (r->has_budget) {
		r->budget = spec.budget;
		r->effective = pa_trim_effective_budget(&spec, tok);
		r->margin = r->exact ? 0 : spec.margin;
		r->over = r->tokens > r->effective;
	}
	check_files(c, prompt, tok);
done:
	pa_buf_release(&text);
	pa_prompt_free(prompt);
	return code;
}

static void put_count(pa_buf *out, size_t v)
{
	cli_put_thousands(out, v);
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
	pa_buf_printf(out, "%-*s %10s %10s %6s  %s\n", (int)w, "AGENT", "TOKENS",
	              "BUDGET", "USED", "STATUS");
	for (i = 0; i < c->nres; i++) {
		const result *r = &c->res[i];

		pa_buf_printf(out, "%-*s ", (int)w, r->name);
		pa_buf_reset(&cell);
		put_count(&cell, r->tokens);
		pa_buf_printf(out, "%10s ", cell.ptr);
		if (r->has_budget) {
			pa_buf_reset(&cell);
			put_count(&cell, r->effective);
			pa_buf_printf(out, "%10s %5.0f%%  %s\n", cell.ptr, percent(r),
			              r->over ? "over" : "ok");
		} else {
			pa_buf_printf(out, "%10s %6s  %s\n", "-", "-", "ok");
		}
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

static void out_json(const checker *c, pa_buf *out)
{
	size_t i, over = 0, fo = 0;

	pa_buf_puts(out, "{\n  \"version\": 1,\n  \"agents\": [");
	for (i = 0; i < c->nres; i++) {
		const result *r = &c->res[i];

		pa_buf_puts(out, i ? ",\n    {" : "\n    {");
		pa_buf_puts(out, "\"name\": ");
		pa_json_put_string(out, r->name, strlen(r->name));
		pa_buf_puts(out, ", \"path\": ");
		pa_json_put_string(out, r->path, strlen(r->path));
		pa_buf_puts(out, ", \"tokenizer\": ");
		pa_json_put_string(out, r->tokenizer, strlen(r->tokenizer));
		pa_buf_printf(out, ", \"exact\": %s, \"tokens\": %zu", r->exact ? "true" : "false",
		              r->tokens);
		if (r->has_budget)
			pa_buf_printf(out, ", \"budget\": %zu, \"effective_budget\": %zu, "
			              "\"margin\": %.4g, \"percent\": %.1f", r->budget,
			              r->effective, r->margin, percent(r));
		else
			pa_buf_puts(out, ", \"budget\": null, \"effective_budget\": null, "
			                 "\"margin\": 0, \"percent\": null");
		pa_buf_printf(out, ", \"status\": \"%s\"}", r->over ? "over" : "ok");
		over += r->over;
	}
	pa_buf_puts(out, c->nres ? "\n  ],\n  \"files\": [" : "],\n  \"files\": [");
	for (i = 0; i < c->nfiles; i++) {
		const file_result *f = &c->files[i];

		pa_buf_puts(out, i ? ",\n    {" : "\n    {");
		pa_buf_puts(out, "\"path\": ");
		pa_json_put_string(out, f->path, strlen(f->path));
		pa_buf_printf(out, ", \"tokens\": %zu, \"cap\": %zu, \"status\": \"%s\"}",
		              f->tokens, f->cap, f->tokens > f->cap ? "over" : "ok");
		fo += f->tokens > f->cap;
	}
	pa_buf_puts(out, c->nfiles ? "\n  ],\n" : "],\n");
	pa_buf_printf(out, "  \"summary\": {\"agents\": %zu, \"ok\": %zu, \"over\": %zu, "
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

/* The file of a listed agent: its path is shown relative to the project
 * root, or as ~/..., or absolute. */
static char *agent_file(const checker *c, const char *shown)
{
	const char *base, *rest;
	char *p;

	if (shown[0] == '/')
		return strdup(shown);
	if (shown[0] == '~' && shown[1] == '/') {
		base = c->opt.home ? c->opt.home : "";
		rest = shown + 2;
	} else {
		base = c->root;
		rest = shown;
	}
	p = malloc(strlen(base) + strlen(rest) + 2);
	if (!p)
		abort();
	sprintf(p, "%s/%s", base, rest);
	return p;
}

static void checker_release(checker *c)
{
	size_t i;

	for (i = 0; i < c->ntoks; i++) {
		free(c->toks[i].key);
		pa_tokenizer_free(c->toks[i].tok);
	}
	free(c->toks);
	for (i = 0; i < c->nres; i++) {
		free(c->res[i].name);
		free(c->res[i].path);
	}
	free(c->res);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i].path);
	free(c->files);
	for (i = 0; i < c->nwarned; i++)
		free(c->warned[i]);
	free(c->warned);
	pa_free(c->root);
	cli_budget_release(&c->b);
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tokenizer", required_argument, NULL, 't' },
		{ "model", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "project", required_argument, NULL, 'C' },
		{ "no-managed", no_argument, NULL, OPT_NO_MANAGED },
		{ "no-user", no_argument, NULL, OPT_NO_USER },
		{ "no-ancestors", no_argument, NULL, OPT_NO_ANCESTORS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_BUDGET_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	checker c;
	pa_buf out = PA_BUF_INIT;
	pa_error err;
	int ch, fmt = FMT_TEXT, code = EXIT_OK, r, i, any_over = 0;
	size_t k;

	memset(&c, 0, sizeof(c));
	while ((ch = getopt_long(argc, argv, "t:m:f:C:b:qh", opts, NULL)) != -1) {
		switch (ch) {
		case 't': c.tok_name = optarg; break;
		case 'm': c.model = optarg; break;
		case 'C': c.opt.cwd = optarg; break;
		case OPT_NO_MANAGED: c.opt.no_managed = 1; break;
		case OPT_NO_USER: c.opt.no_user = 1; break;
		case OPT_NO_ANCESTORS: c.opt.no_ancestors = 1; break;
		case 'q': cli_quiet = 1; break;
		case 'f':
			if (!strcmp(optarg, "text"))
				fmt = FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				fmt = FMT_JSON;
			else if (!strcmp(optarg, "github"))
				fmt = FMT_GITHUB;
			else {
				checker_release(&c);
				return cli_usage_error(usage, "unknown format '%s' (text, json or github)",
				                       optarg);
			}
			break;
		case 'h': help(); checker_release(&c); return EXIT_OK;
		default:
			r = cli_budget_option(&c.b, ch, optarg, usage);
			if (r == 1 && ch != CLI_OPT_FLOOR && ch != CLI_OPT_CAP &&
			    ch != CLI_OPT_KEEP && ch != CLI_OPT_PRIORITY && ch != CLI_OPT_TRIM_BODY)
				break;
			if (r == 1)
				cli_usage_error(usage, "check counts untrimmed prompts: "
				                "trimming options do not apply");
			else if (r == 0)
				cli_usage_error(usage, "see 'promptasm check --help'");
			checker_release(&c);
			return EXIT_USAGE;
		}
	}
	if (c.tok_name && c.model) {
		checker_release(&c);
		return cli_usage_error(usage, "-t and -m exclude each other");
	}
	c.opt.home = getenv("HOME");
	code = cli_budget_load_config(&c.b, c.opt.cwd, c.opt.home);
	if (code != EXIT_OK)
		goto done;
	pa_config_compose_options(c.b.cfg, &c.opt);
	c.root = pa_project_root(c.opt.cwd, c.opt.home, &err);
	if (!c.root) {
		cli_print_error(&err);
		code = EXIT_USAGE;
		goto done;
	}
	if (optind < argc) {
		for (i = optind; i < argc && code == EXIT_OK; i++) {
			pa_warnings warn = { NULL, 0 };
			pa_agent *agent = NULL;

			if (pa_agent_find(argv[i], &c.opt, &agent, &warn, &err) != PA_OK) {
				warn_once(&c, &warn);
				cli_print_error(&err);
				code = cli_exit_code(err.status);
			} else {
				warn_once(&c, &warn);
				code = check_agent(&c, agent, pa_agent_path(agent));
			}
			pa_warnings_release(&warn);
			pa_agent_free(agent);
		}
	} else {
		pa_agent_entry *list = NULL;
		pa_warnings warn = { NULL, 0 };
		size_t n = 0;

		if (pa_agent_list(&c.opt, &list, &n, &warn, &err) != PA_OK) {
			warn_once(&c, &warn);
			pa_warnings_release(&warn);
			cli_print_error(&err);
			code = cli_exit_code(err.status);
			goto done;
		}
		warn_once(&c, &warn);
		pa_warnings_release(&warn);
		for (k = 0; k < n && code == EXIT_OK; k++) {
			pa_agent *agent = NULL;
			char *file;

			if (!list[k].wins)
				continue;
			file = agent_file(&c, list[k].path);
			if (pa_agent_load(file, &agent, &warn, &err) != PA_OK) {
				cli_print_error(&err);
				code = cli_exit_code(err.status);
			} else {
				code = check_agent(&c, agent, list[k].path);
			}
			warn_once_as(&c, &warn, file, list[k].path);
			pa_warnings_release(&warn);
			pa_agent_free(agent);
			free(file);
		}
		pa_agent_entry_free(list, n);
		if (code == EXIT_OK && n == 0)
			cli_notef("no agents in .claude/agents/ of the project or of ~/.claude/agents/");
	}
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
	else
		out_text(&c, &out);
	code = cli_write_stdout(out.ptr, out.len);
	if (code == EXIT_OK && any_over)
		code = EXIT_OVER_BUDGET;
	if (c.estimates && fmt != FMT_JSON)
		cli_notef("some counts are estimates for current Claude models: budgets "
		          "keep a margin free (see 'promptasm tokenizers')");
done:
	pa_buf_release(&out);
	checker_release(&c);
	return code;
}
