/* pipeline.c - the one path of every agent command: flags and config,
 * the tokenizer, compose, count, trim, render (see pipeline.h). */
#define _XOPEN_SOURCE 700
#include "pipeline.h"
#include "clis.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* 1: a count, in *out; 0: not one; -1: one past PA_COUNT_MAX. */
static int parse_count(const char *s, size_t *out)
{
	unsigned long long v = 0;
	size_t i;
	int over = 0;

	if (!s[0])
		return 0;
	for (i = 0; s[i]; i++) {
		if ((s[i] == ',' || s[i] == '_') && i > 0 && s[i + 1])
			continue;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (v > PA_COUNT_MAX / 10)
			over = 1;  /* read on: "1e99999999999999" is no count */
		else
			v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (over)
		return -1;
	*out = (size_t)v;
	return 1;
}

int cli_parse_count(const char *s, size_t *out)
{
	return parse_count(s, out) == 1;
}

int cli_count_error(const char *option, const char *needs, const char *arg)
{
	size_t ignored;

	if (parse_count(arg, &ignored) < 0)
		return cli_usage_error("--%s takes at most %llu, not '%s'", option,
		                       PA_COUNT_MAX, arg);
	return cli_usage_error("--%s needs %s, not '%s'", option, needs, arg);
}

/* 1: a share below 100%, in *out; 0: not a share; -1: 100% or more. */
static int parse_margin(const char *s, double *out)
{
	double v;

	if (!Pa_share_parse(s, &v))
		return 0;
	if (!(v < 1))
		return -1;
	*out = v;
	return 1;
}

void cli_pipeline_init(cli_pipeline *p)
{
	memset(p, 0, sizeof(*p));
	p->template = (pa_buf)PA_BUF_INIT;
	/* Claude Code runs with our environment (what --trust runs gets
	 * only part of it: compose/trust.h). */
	p->opt.env = cli_env.environ;
	cli_clis_init(&p->clis);
}

/* A rule from `--floor`, `--cap`, `--keep` or `--priority`: `MATCH=V` or
 * `V`.  Its match string is owned by p (freed with the rules). */
static pa_section_rule *add_rule(cli_pipeline *p, const char *arg,
                                 const char **value, int need_match)
{
	const char *eq = strrchr(arg, '=');
	pa_section_rule *r;

	if (!eq && need_match)
		return NULL;
	*value = eq ? eq + 1 : arg;
	p->rules = Pa_xgrow(p->rules, p->n_rules, sizeof(*p->rules));
	r = &p->rules[p->n_rules++];
	memset(r, 0, sizeof(*r));
	r->match = eq ? Pa_xstrndup(arg, (size_t)(eq - arg)) : NULL;
	r->priority = r->floor = r->cap = PA_UNSET;
	r->keep = PA_KEEP_UNSET;
	return r;
}

static int rule_option(cli_pipeline *p, int c, const char *arg)
{
	static const char *const names[] = { "floor", "cap", "priority" };
	pa_section_rule *r;
	const char *v;
	size_t n;

	if (c == CLI_OPT_KEEP) {
		r = add_rule(p, arg, &v, 0);
		if (!strcmp(v, "head") || !strcmp(v, "tail")) {
			r->keep = !strcmp(v, "head") ? PA_KEEP_HEAD : PA_KEEP_TAIL;
			return 1;
		}
		cli_usage_error("--keep needs [MATCH=]head or [MATCH=]tail, "
		                "not '%s'", arg);
		return -1;
	}
	r = add_rule(p, arg, &v, c == CLI_OPT_PRIORITY);
	if (r && parse_count(v, &n) < 0) {
		cli_count_error(names[c == CLI_OPT_FLOOR ? 0 : c == CLI_OPT_CAP ? 1 : 2],
		                "", v);
		return -1;
	}
	if (!r || !cli_parse_count(v, &n)) {
		int k = c == CLI_OPT_FLOOR ? 0 : c == CLI_OPT_CAP ? 1 : 2;
		cli_usage_error("--%s needs %sN, not '%s'", names[k],
		                c == CLI_OPT_PRIORITY ? "MATCH=" : "[MATCH=]", arg);
		return -1;
	}
	if (c == CLI_OPT_FLOOR)
		r->floor = (long)n;
	else if (c == CLI_OPT_CAP)
		r->cap = (long)n;
	else
		r->priority = (long)n;
	return 1;
}

/* A --plugin-dir: a directory, taken as its real path (the user names
 * it, so it may lie outside the project; what it holds is read as
 * hostile input all the same).  A missing path, a file, a FIFO or a loop
 * of links is refused here, never opened. */
static int plugin_dir_option(cli_pipeline *p, const char *arg)
{
	char *real = realpath(arg, NULL);
	struct stat st;
	const char *why = NULL;
	pa_buf q = PA_BUF_INIT;
	size_t len = strlen(arg);

	/* in words of our own: the C library's differ between builds */
	if (!real || stat(real, &st) != 0)
		why = errno == ENOENT ? "no such file or directory"
		      : errno == ELOOP ? "a loop of symbolic links"
		      : errno == EACCES ? "permission denied"
		      : errno == ENOTDIR ? "a path through a file"
		      : "it cannot be read";
	else if (!S_ISDIR(st.st_mode))
		why = len > 4 && !strcasecmp(arg + len - 4, ".zip")
		      ? "a .zip plugin is not read by promptasm: unpack it and name "
		        "its directory"
		      : "not a directory";
	if (why) {
		Pa_quote_str(&q, arg);
		cli_usage_error("--plugin-dir %s: %s", q.ptr, why);
		pa_buf_release(&q);
		free(real);
		return -1;
	}
	p->plugin_dirs = Pa_xgrow(p->plugin_dirs, p->n_plugin_dirs,
	                          sizeof(*p->plugin_dirs));
	p->plugin_dirs[p->n_plugin_dirs++] = real;
	return 1;
}

static int compose_option(cli_pipeline *p, int c, const char *arg)
{
	switch (c) {
	case 'C': p->opt.cwd = arg; return 1;
	case CLI_OPT_NO_MANAGED: p->opt.no_managed = 1; return 1;
	case CLI_OPT_MANAGED_FILE: p->opt.managed_file = arg; return 1;
	case CLI_OPT_NO_USER: p->opt.no_user = 1; return 1;
	case CLI_OPT_NO_ANCESTORS: p->opt.no_ancestors = 1; return 1;
	case CLI_OPT_APPROVE_IMPORTS: p->opt.approve_imports = 1; return 1;
	case CLI_OPT_NO_AUTO_MEMORY: p->opt.no_auto_memory = 1; return 1;
	case CLI_OPT_TRUST: p->opt.trust = 1; return 1;
	case CLI_OPT_MEMORY_TEMPLATE: p->template_file = arg; return 1;
	case CLI_OPT_MAX_ENTRIES:
		if (!cli_parse_count(arg, &p->opt.max_entries) || !p->opt.max_entries) {
			cli_usage_error("--max-entries needs a number of directory "
			                "entries from 1, not '%s'", arg);
			return -1;
		}
		return 1;
	case CLI_OPT_PLUGIN_DIR:
		return plugin_dir_option(p, arg);
	case CLI_OPT_FOR_FILE:
		p->for_files = Pa_xgrow(p->for_files, p->n_for_files,
		                        sizeof(*p->for_files));
		p->for_files[p->n_for_files++] = arg;
		return 1;
	}
	return 0;
}

int cli_pipeline_option(cli_pipeline *p, int c, const char *arg)
{
	switch (c) {
	case 't': p->tok_name = arg; return 1;
	case 'm': p->model = arg; return 1;
	case 'q': cli_quiet = 1; return 1;
	case 'o': p->output = arg; return 1;
	case CLI_OPT_NO_CONFIG: p->no_config = 1; return 1;
	case CLI_OPT_HARNESS:
		return cli_clis_parse(&p->clis, arg) ? 1 : -1;
	case CLI_OPT_HARNESS_MAX_BYTES: {
		/* any value Codex takes, up to the largest of its 64-bit
		 * integers (which sends everything) */
		unsigned long long v = 0;
		size_t i;
		int ok = arg[0] != '\0';

		for (i = 0; ok && arg[i]; i++) {
			if ((arg[i] == ',' || arg[i] == '_') && i > 0 && arg[i + 1])
				continue;
			ok = arg[i] >= '0' && arg[i] <= '9' &&
			     v <= (0x7fffffffffffffffULL - (unsigned)(arg[i] - '0')) / 10;
			if (ok)
				v = v * 10 + (unsigned)(arg[i] - '0');
		}
		if (!ok) {
			cli_usage_error("--project-doc-max-bytes needs a number of bytes, "
			                "not '%s'", arg);
			return -1;
		}
		p->clis.max_bytes = (long long)v;
		return 1;
	}
	case CLI_OPT_TRIM_BODY: p->trim.trim_body = 1; return 1;
	case 'b':
	case CLI_OPT_RESERVE:
		if (!cli_parse_count(arg, c == 'b' ? &p->budget : &p->trim.reserve)) {
			cli_count_error(c == 'b' ? "budget" : "reserve",
			                "a number of tokens", arg);
			return -1;
		}
		*(c == 'b' ? &p->has_budget : &p->trim.has_reserve) = 1;
		return 1;
	case CLI_OPT_MARGIN:
		switch (parse_margin(arg, &p->trim.margin)) {
		case 0:
			cli_usage_error("--margin needs a share written as 15%% or "
			                "0.15 (decimal digits, no sign or exponent), "
			                "not '%s'", arg);
			return -1;
		case -1:
			cli_usage_error("--margin needs a share below 100%% "
			                "(15%% or 0.15), not '%s'", arg);
			return -1;
		}
		p->trim.has_margin = 1;
		return 1;
	case CLI_OPT_FLOOR:
	case CLI_OPT_CAP:
	case CLI_OPT_KEEP:
	case CLI_OPT_PRIORITY:
		return rule_option(p, c, arg);
	}
	return compose_option(p, c, arg);
}

int cli_pipeline_start(cli_pipeline *p)
{
	pa_options o;
	pa_error err;

	if (p->tok_name && p->model)
		return cli_usage_error("-t and -m exclude each other");
	if (p->opt.no_managed && p->opt.managed_file)
		return cli_usage_error("--no-managed and --managed-file "
		                       "contradict each other");
	/* The places and the environment, as the setup read them (cli.h):
	 * Claude Code's environment is this one, its settings' env over it. */
	p->opt.home = cli_env.home;
	p->opt.config_dir = cli_env.config_dir;
	p->opt.env = cli_env.environ;
	/* CLAUDE_CODE_DISABLE_AUTO_MEMORY is read from that environment with
	 * the settings' env over it (fixture settings-env-automem-process),
	 * not taken from the process alone. */
	p->opt.for_files = p->for_files;
	p->opt.n_for_files = p->n_for_files;
	p->opt.plugin_dirs = (const char *const *)p->plugin_dirs;
	p->opt.n_plugin_dirs = p->n_plugin_dirs;
	if (p->template_file) {
		if (pa_file_read_limited(p->template_file, CLI_TEMPLATE_MAX_BYTES,
		                         PA_FILE_STDIN, &p->template, &err) != PA_OK) {
			cli_print_error(&err);
			return cli_exit_code(err.status);
		}
		p->opt.memory_template = p->template.ptr;
		p->opt.memory_template_len = p->template.len;
	}
	p->trim.rules = p->rules;
	p->trim.n_rules = p->n_rules;
	pa_options_init(&o);
	o.tokenizer = p->tok_name;
	o.model = p->model;
	o.budget = p->has_budget ? p->budget : PA_NO_BUDGET;
	o.no_config = p->no_config;
	o.tokenizer_dir = cli_env.tokenizers;
	/* Approval comes from the user: the flags, or the user's config. */
	if (!p->no_config)
		o.user_config = p->user_config =
			pa_config_user_file(cli_env.xdg_config_home, cli_env.home);
	o.compose = &p->opt;
	o.trim = &p->trim;
	o.flags = p->many ? PA_SESSION_MANY : 0;
	if (pa_session_new(&o, &p->session, &err) != PA_OK) {
		cli_suggest_tokenizer(&err, p->tok_name);
		cli_print_error(&err);
		return cli_exit_code(err.status);
	}
	p->cfg = pa_session_config(p->session);
	cli_pipeline_input(p, pa_config_file(p->cfg));
	cli_pipeline_input(p, p->user_config);
	if (p->template_file && strcmp(p->template_file, "-"))
		cli_pipeline_input(p, p->template_file);

	/* The commands that compose beside their agents' assemblies (the
	 * main session, the agent list) compose with the session's options:
	 * the configs' `load:` applied (the user's own config's trust and
	 * approval too, never the repository's), and the session's cache,
	 * so that a run discovers the project once (settings files, places,
	 * instruction files). */
	p->opt = *pa_session_compose_options(p->session);
	if (p->opt.trust && !PA_CAN_RUN_COMMANDS) {
		cli_errorf("--trust (or trust: true in the user's config) is not "
		           "available in " PA_PLATFORM_NAME ": it cannot run the "
		           "project's commands as the native build does "
		           "(docs/packaging.md)");
		return EXIT_USAGE;
	}
	/* ... and the other CLIs' loads share its reads: each file of
	 * theirs, and each Claude Code reads too, opened once a run */
	p->harness_cache = pa_compose_cache_harness(p->opt.cache);
	/* What the repository's config tried to approve: said in every
	 * report, as a warning. */
	cli_pipeline_warn(p, pa_config_warnings(p->cfg));
	if (!cli_clis_settle(&p->clis, p->no_config ? NULL : p->cfg))
		return EXIT_USAGE;
	/* What the user gives a run to read or to put in takes a row with
	 * the place for it: a row without it refuses the option, never
	 * drops it.  What leaves a level out (--no-managed, --no-user,
	 * --no-ancestors, --no-auto-memory) means the same for every row:
	 * one without that level has nothing to leave out; what grants
	 * leave (--trust, --approve-imports) reaches every row's load
	 * (cli_request_options()). */
	{
		const struct {
			int given;
			unsigned cap;
			const char *option, *what;
		} needs[] = {
			{ p->n_plugin_dirs != 0, PA_HARNESS_SUPPORTS_PLUGIN_DIR, "--plugin-dir",
			  "plugin directories (Claude Code's --plugin-dir)" },
			{ p->opt.managed_file != NULL, PA_HARNESS_SUPPORTS_MANAGED_LEVEL,
			  "--managed-file", "a managed policy file" },
			{ p->n_for_files != 0, PA_HARNESS_SUPPORTS_ON_DEMAND, "--for-file",
			  "rules loaded for the files an agent works on" },
			{ p->template_file != NULL, PA_HARNESS_SUPPORTS_AGENTS,
			  "--memory-template", "an agent's memory section" },
		};
		size_t k;
		int code;

		for (k = 0; !p->claude_only && k < sizeof(needs) / sizeof(needs[0]); k++)
			if (needs[k].given &&
			    (code = cli_clis_refuse_without(&p->clis, needs[k].cap,
			                                    needs[k].option, needs[k].what)))
				return code;
	}
	return EXIT_OK;
}

void cli_pipeline_input(cli_pipeline *p, const char *path)
{
	if (!path || !Pa_strset_add(&p->inputs_set, path, strlen(path)))
		return;
	p->inputs = Pa_xgrow(p->inputs, p->n_inputs, sizeof(*p->inputs));
	p->inputs[p->n_inputs++] = Pa_xstrdup(path);
}

void cli_pipeline_main_inputs(cli_pipeline *p, const pa_main_session *s)
{
	pa_error err;
	char *root = pa_project_root(p->opt.cwd, p->opt.home, &err);
	pa_buf path = PA_BUF_INIT;
	size_t i, j;

	for (i = 0; i < PA_MAIN_PARTS; i++)
		for (j = 0; j < s->parts[i].n_items; j++) {
			const char *at = s->parts[i].items[j].path;

			if (!at)
				continue;
			pa_buf_reset(&path);
			if (at[0] == '~' && at[1] == '/' && p->opt.home)
				pa_buf_printf(&path, "%s/%s", p->opt.home, at + 2);
			else if (at[0] != '/' && root)
				pa_buf_printf(&path, "%s/%s", root, at);
			else
				pa_buf_puts(&path, at);
			cli_pipeline_input(p, path.ptr);
		}
	pa_buf_release(&path);
	pa_free(root);
}

/* The CLI a `budgets:` entry is for: its id when it starts with a CLI's
 * name and a colon, PA_HARNESS_COUNT for another word and a colon (*cli
 * the word's length), -1 without a colon (Claude Code's agents). */
static int entry_cli(const char *pat, size_t *word)
{
	const char *colon = strchr(pat, ':');
	int id;

	if (!colon)
		return -1;
	*word = (size_t)(colon - pat);
	for (id = 0; id < PA_HARNESS_COUNT; id++) {
		const char *name = pa_harness_name((pa_harness_id)id);

		if (strlen(name) == *word && !strncmp(name, pat, *word))
			return id;
	}
	return PA_HARNESS_COUNT;
}

void cli_pipeline_budgets_unmatched(cli_pipeline *p, const char *const *names,
                                    size_t n)
{
	size_t i, k, word = 0, nb = pa_config_budget_count(p->cfg);
	pa_buf msg = PA_BUF_INIT, q = PA_BUF_INIT;

	for (i = 0; i < nb; i++) {
		const char *pat = pa_config_budget_pattern(p->cfg, i), *near = NULL;
		const char **cands = Pa_xcalloc(n + PA_HARNESS_COUNT + 1, sizeof(*cands));
		int cli = entry_cli(pat, &word), matched = 0;
		size_t nc = 0;
		pa_warning w;
		pa_warnings list = { &w, 1 };

		for (k = 0; k < n && !matched; k++)
			matched = !strcmp(pat, names[k]) || fnmatch(pat, names[k], 0) == 0;
		if (matched ||
		    (cli < 0 && !cli_clis_count(&p->clis, PA_HARNESS_SUPPORTS_AGENTS)) ||
		    (cli >= 0 && cli < PA_HARNESS_COUNT &&
		     !cli_clis_has(&p->clis, (pa_harness_id)cli))) {
			free(cands);
			continue;
		}
		memset(&w, 0, sizeof(w));
		/* at its key, as every message about the config says where */
		pa_config_entry_at(p->cfg, "budgets", pat, &w.line, &w.column);
		pa_buf_reset(&msg);
		pa_buf_printf(&msg, "%s:%ld:%ld: budgets: ", PA_CONFIG_FILE, w.line,
		              w.column);
		pa_buf_reset(&q);
		Pa_quote_str(&q, pat);
		if (cli == PA_HARNESS_COUNT) {
			/* "codx:*": the word before the colon, against the CLIs;
			 * "plugn:reviewer": against the agents of plugins */
			char *w0 = Pa_xstrdup(pat);
			const char *agent;

			w0[word] = '\0';
			for (k = 0; k < n; k++)
				if (strchr(names[k], ':'))
					cands[nc++] = names[k];
			agent = Pa_nearest(pat, cands, nc);
			nc = 0;
			for (k = 0; k < PA_HARNESS_COUNT; k++)
				cands[nc++] = pa_harness_name((pa_harness_id)k);
			near = agent ? NULL : Pa_nearest(w0, cands, nc);
			pa_buf_printf(&msg, "'%s' names no agent or agent CLI", q.ptr);
			if (agent) {
				pa_buf_reset(&q);
				Pa_quote_str(&q, agent);
				pa_buf_printf(&msg, " (did you mean '%s'?)", q.ptr);
			} else if (near) {
				pa_buf_reset(&q);
				Pa_quote_str(&q, pat + word);
				pa_buf_printf(&msg, " (did you mean '%s%s'?)", near, q.ptr);
			}
			free(w0);
		} else {
			for (k = 0; k < n; k++)
				if ((cli < 0) == (strchr(names[k], ':') == NULL))
					cands[nc++] = names[k];
			near = Pa_nearest(pat, cands, nc);
			pa_buf_printf(&msg, "'%s' names no %s", q.ptr,
			              cli < 0 ? "agent" : "directory the CLI starts in");
			if (near) {
				pa_buf_reset(&q);
				Pa_quote_str(&q, near);
				pa_buf_printf(&msg, " (did you mean '%s'?)", q.ptr);
			}
		}
		pa_buf_puts(&msg, ": its budget applies to nothing");
		w.message = msg.ptr;
		w.path = (char *)PA_CONFIG_FILE;
		cli_pipeline_warn(p, &list);
		free(cands);
	}
	pa_buf_release(&msg);
	pa_buf_release(&q);
}

int cli_pipeline_write(cli_pipeline *p, const char *data, size_t len)
{
	return cli_pipeline_write_to(p, p->output, data, len);
}

int cli_pipeline_write_to(cli_pipeline *p, const char *path, const char *data,
                          size_t len)
{
	size_t i;

	/* the settings Claude Code's discovery read shape the output too
	 * (claudeMdExcludes, the model): -o .claude/settings.json replaced
	 * the file it was made with */
	for (i = 0; i < pa_compose_cache_input_count(p->opt.cache); i++)
		cli_pipeline_input(p, pa_compose_cache_input_at(p->opt.cache, i));
	return cli_write_output(path, data, len,
	                        (const char *const *)p->inputs, p->n_inputs);
}

void cli_pipeline_release(cli_pipeline *p)
{
	size_t i;

	for (i = 0; i < p->n_inputs; i++)
		free(p->inputs[i]);
	free(p->inputs);
	Pa_strset_release(&p->inputs_set);
	cli_clis_release(&p->clis);
	for (i = 0; i < p->n_rules; i++)
		free((char *)p->rules[i].match);
	free(p->rules);
	free(p->for_files);
	for (i = 0; i < p->n_plugin_dirs; i++)
		free(p->plugin_dirs[i]);
	free(p->plugin_dirs);
	pa_session_free(p->session);
	for (i = 0; i < p->n_request_toks; i++)
		pa_tokenizer_free(p->request_toks[i]);
	free(p->request_toks);
	pa_warnings_release(&p->warned);
	Pa_strset_release(&p->warned_set);
	pa_buf_release(&p->template);
	pa_free(p->user_config);
	memset(p, 0, sizeof(*p));
}

static char *copy_or_null(const char *s)
{
	return s ? Pa_xstrdup(s) : NULL;
}

const pa_tokenizer *cli_pipeline_tokenizer(cli_pipeline *p,
                                           const pa_agent *agent,
                                           int *estimate, int *code)
{
	const pa_tokenizer *tok;
	const char *model;
	pa_error err;
	pa_status st;

	st = pa_session_tokenizer(p->session, agent, &tok, &model, estimate, &err);
	if (st != PA_OK) {
		cli_suggest_tokenizer(&err, p->tok_name);
		cli_print_error(&err);
		*code = cli_exit_code(st);
		return NULL;
	}
	return tok;
}

void cli_pipeline_warn(cli_pipeline *p, const pa_warnings *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		const pa_warning *x = &w->items[i];
		pa_warning *kept;

		if (p->skipped && (x->kind == PA_WARNING_AGENT_SKIPPED ||
		                   x->kind == PA_WARNING_INCOMPLETE)) {
			p->skipped(p->skipped_ctx, x);
			continue;
		}
		if (!Pa_strset_add(&p->warned_set, x->message, strlen(x->message)))
			continue;
		p->warned.items = Pa_xgrow(p->warned.items, p->warned.n, sizeof(*x));
		kept = &p->warned.items[p->warned.n++];
		kept->message = copy_or_null(x->message);
		kept->path = copy_or_null(x->path);
		kept->line = x->line;
		kept->column = x->column;
		kept->kind = x->kind;
		kept->reason = copy_or_null(x->reason);
		if (p->warn_never)
			;
		else if (p->warn_always)
			cli_errorf("warning: %s", x->message);
		else
			cli_warnf("%s", x->message);
	}
}

void cli_pipeline_note(const pa_tokenizer *tok, const pa_trim_report *rep)
{
	if (!rep || !rep->estimate || rep->budget == PA_NO_BUDGET)
		return;
	cli_notef("%s counts are estimates for current Claude models: a %.3g%% margin "
	          "applies (budget %zu, effective %zu)",
	          pa_tokenizer_name(tok), rep->margin * 100, rep->budget, rep->effective);
}

void cli_put_effective(pa_buf *out, const pa_trim_report *rep)
{
	if (rep->effective == rep->budget)
		return;
	pa_buf_printf(out, " (effective %zu: ", rep->effective);
	if (rep->reserve)
		pa_buf_printf(out, "reserve %zu", rep->reserve);
	if (rep->margin > 0)
		pa_buf_printf(out, "%smargin %.3g%%", rep->reserve ? ", " : "",
		              rep->margin * 100);
	pa_buf_putc(out, ')');
}

void cli_put_band(pa_buf *out, const cli_run *r, size_t tokens)
{
	if (!r->estimate)
		return;
	Pa_quote_str(out, r->cc_model ? r->cc_model : "a current Claude model");
	pa_buf_printf(out, " may count %.2f to %.2f times this: ", r->band_low,
	              r->band_high);
	pa_buf_put_count(out, (size_t)((double)tokens * r->band_low + 0.5));
	pa_buf_puts(out, " to ");
	pa_buf_put_count(out, (size_t)((double)tokens * r->band_high + 0.5));
}

void cli_run_note(const cli_run *r)
{
	const pa_trim_report *rep = r->report;
	pa_buf band = PA_BUF_INIT;

	if (!rep || !rep->estimate || rep->budget == PA_NO_BUDGET)
		return;
	cli_put_band(&band, r, rep->tokens_before);
	cli_notef("%s counts are estimates: %s; the budget holds for %.2f times "
	          "the count (a %.3g%% margin: budget %zu, effective %zu)",
	          pa_tokenizer_name(r->tok), band.ptr, 1 / (1 - rep->margin),
	          rep->margin * 100, rep->budget, rep->effective);
	pa_buf_release(&band);
}

int cli_run_context_over(const cli_pipeline *p, const cli_run *r)
{
	size_t whole, effective;
	pa_buf name = PA_BUF_INIT;

	if (pa_config_budget_scope(p->cfg) != PA_SCOPE_CONTEXT || !r->has_budget ||
	    !r->context || !r->report)
		return 0;
	/* Claude Code's own text, with the prompt as it is sent */
	whole = r->context->tokens > r->tokens
	        ? r->context->tokens - r->tokens + r->report->tokens_after
	        : r->report->tokens_after;
	effective = pa_trim_effective_budget_of(r->spec, 1);
	if (whole <= effective)
		return 0;
	Pa_quote_str(&name, pa_agent_name(r->agent));
	cli_errorf("the whole context of %s is over budget (budget_scope: "
	           "context): it needs %zu tokens, %zu more than the budget of %zu "
	           "allows (effective %zu: %sthe margin of estimates)", name.ptr,
	           whole, whole - effective, r->spec->budget, effective,
	           r->spec->reserve ? "the reserve and " : "");
	pa_buf_release(&name);
	return 1;
}

/* The commands' views of r->a, after each step. */
static void views(cli_run *r)
{
	const pa_assembly *a = r->a;
	size_t len;

	r->agent = pa_assembly_agent(a);
	r->prompt = pa_assembly_prompt(a);
	r->warn = pa_assembly_warnings(a);
	r->tok = pa_assembly_tokenizer(a, &r->model);
	r->estimate = !pa_assembly_exact(a);
	r->tokens = pa_assembly_tokens_untrimmed(a);
	r->has_budget = pa_assembly_spec(a, &r->spec);
	r->report = pa_assembly_trim(a, &r->trim_status);
	r->heavy = pa_assembly_heavy(a, &r->nheavy);
	r->cc_model = pa_assembly_claude_model(a);
	pa_assembly_band(a, &r->band_low, &r->band_high);
	r->context = pa_assembly_context(a);
	r->text.ptr = (char *)pa_assembly_text(a, &len);
	r->text.len = len;
	r->text.cap = 0;
}

int cli_pipeline_run(cli_pipeline *p, const char *arg,
                     pa_agent_entry *entry, unsigned what,
                     size_t heavy_top, cli_run *r)
{
	pa_error err;
	pa_status st;

	memset(r, 0, sizeof(*r));
	st = pa_session_assemble(p->session, arg, entry, what, heavy_top, &r->a,
	                         &err);
	views(r);
	/* -o never replaces a file the prompt was made of. */
	if (r->agent) {
		size_t i, n = r->prompt ? pa_prompt_section_count(r->prompt) : 0;

		cli_pipeline_input(p, pa_agent_file(r->agent));
		for (i = 0; i < n; i++)
			cli_pipeline_input(p, pa_prompt_section_file(r->prompt, i));
	}
	if (st != PA_OK) {
		/* What went wrong finding or composing it may be what its
		 * warnings say; later steps leave them to the caller. */
		if (!r->prompt)
			cli_pipeline_warn(p, r->warn);
		if (arg && !r->agent)
			cli_suggest_agent(&err, arg, &p->opt);
		else if (r->agent && !r->tok)
			cli_suggest_tokenizer(&err, p->tok_name);
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	return EXIT_OK;
}

int cli_pipeline_run_main(cli_pipeline *p, const char *name, unsigned what,
                          size_t heavy_top, cli_run *r)
{
	pa_error err;
	pa_status st;
	size_t i, n;

	memset(r, 0, sizeof(*r));
	st = pa_session_assemble_main(p->session, name, what, heavy_top, &r->a, &err);
	views(r);
	n = r->prompt ? pa_prompt_section_count(r->prompt) : 0;
	for (i = 0; i < n; i++)
		cli_pipeline_input(p, pa_prompt_section_file(r->prompt, i));
	if (st != PA_OK) {
		if (!r->prompt)
			cli_pipeline_warn(p, r->warn);
		if (r->agent && !r->tok)
			cli_suggest_tokenizer(&err, p->tok_name);
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	return EXIT_OK;
}

int cli_run_more(cli_run *r, unsigned what, size_t heavy_top)
{
	pa_error err;
	pa_status st = pa_assembly_more(r->a, what, heavy_top, &err);

	views(r);
	if (st != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	return EXIT_OK;
}

void cli_run_release(cli_run *r)
{
	pa_assembly_free(r->a);
	memset(r, 0, sizeof(*r));
}
