/* pipeline.c - the one path of every agent command: flags and config,
 * the tokenizer, compose, count, trim, render (see pipeline.h). */
#define _POSIX_C_SOURCE 200809L
#include "pipeline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cli_parse_count(const char *s, size_t *out)
{
	unsigned long long v = 0;
	size_t i;

	if (!s[0])
		return 0;
	for (i = 0; s[i]; i++) {
		if ((s[i] == ',' || s[i] == '_') && i > 0 && s[i + 1])
			continue;
		if (s[i] < '0' || s[i] > '9' || v > 999999999999ULL)
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = (size_t)v;
	return 1;
}

static int parse_margin(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s)
		return 0;
	if (*end == '%') {
		v /= 100;
		end++;
	}
	if (*end || !(v >= 0 && v < 1))
		return 0;
	*out = v;
	return 1;
}

void cli_pipeline_init(cli_pipeline *p)
{
	memset(p, 0, sizeof(*p));
	p->template = (pa_buf)PA_BUF_INIT;
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
	p->rules = realloc(p->rules, (p->n_rules + 1) * sizeof(*p->rules));
	if (!p->rules)
		abort();
	r = &p->rules[p->n_rules++];
	memset(r, 0, sizeof(*r));
	r->match = eq ? strndup(arg, (size_t)(eq - arg)) : NULL;
	if (eq && !r->match)
		abort();
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

/* As Claude Code reads a flag in the environment: 1, true, yes, on. */
static int cli_env_true(const char *v)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	size_t i;

	for (i = 0; v && i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!strcasecmp(v, yes[i]))
			return 1;
	return 0;
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
	case CLI_OPT_MEMORY_TEMPLATE: p->template_file = arg; return 1;
	case CLI_OPT_FOR_FILE:
		p->for_files = realloc(p->for_files,
		                       (p->n_for_files + 1) * sizeof(*p->for_files));
		if (!p->for_files)
			abort();
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
	case CLI_OPT_NO_CONFIG: p->no_config = 1; return 1;
	case CLI_OPT_TRIM_BODY: p->trim_body = 1; return 1;
	case 'b':
	case CLI_OPT_RESERVE:
		if (!cli_parse_count(arg, c == 'b' ? &p->budget : &p->reserve)) {
			cli_usage_error("--%s needs a number of tokens, not '%s'",
			                c == 'b' ? "budget" : "reserve", arg);
			return -1;
		}
		*(c == 'b' ? &p->has_budget : &p->has_reserve) = 1;
		return 1;
	case CLI_OPT_MARGIN:
		if (!parse_margin(arg, &p->margin)) {
			cli_usage_error("--margin needs a share below 100%% "
			                "(15%% or 0.15), not '%s'", arg);
			return -1;
		}
		p->has_margin = 1;
		return 1;
	case CLI_OPT_FLOOR:
	case CLI_OPT_CAP:
	case CLI_OPT_KEEP:
	case CLI_OPT_PRIORITY:
		return rule_option(p, c, arg);
	}
	return compose_option(p, c, arg);
}

static int load_config(cli_pipeline *p)
{
	pa_error err;
	char *root;
	pa_status st;

	if (p->no_config)
		st = pa_config_parse("", 0, PA_CONFIG_FILE, &p->cfg, &err);
	else if (!(root = pa_project_root(p->opt.cwd, p->opt.home, &err)))
		st = err.status;
	else {
		st = pa_config_load(root, &p->cfg, &err);
		pa_free(root);
	}
	if (st != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	return EXIT_OK;
}

/* The section rules of every spec: the config's, then the flags' (a
 * later rule overrides an earlier one). */
static void combine_rules(cli_pipeline *p)
{
	pa_trim_spec spec;

	if (!p->n_rules)
		return;
	pa_trim_spec_init(&spec, PA_NO_BUDGET);
	pa_config_trim_spec(p->cfg, &spec);
	p->n_all = spec.n_rules + p->n_rules;
	p->all = malloc(p->n_all * sizeof(*p->all));
	if (!p->all)
		abort();
	if (spec.n_rules)
		memcpy(p->all, spec.rules, spec.n_rules * sizeof(*p->all));
	memcpy(p->all + spec.n_rules, p->rules, p->n_rules * sizeof(*p->all));
}

int cli_pipeline_start(cli_pipeline *p)
{
	pa_error err;
	int code;

	if (p->tok_name && p->model)
		return cli_usage_error("-t and -m exclude each other");
	if (p->opt.no_managed && p->opt.managed_file)
		return cli_usage_error("--no-managed and --managed-file "
		                       "contradict each other");
	p->opt.home = getenv("HOME");
	p->opt.config_dir = getenv("CLAUDE_CONFIG_DIR");
	if (cli_env_true(getenv("CLAUDE_CODE_DISABLE_AUTO_MEMORY")))
		p->opt.no_auto_memory = 1;
	p->opt.for_files = p->for_files;
	if (p->many && !p->opt.cache)
		p->opt.cache = pa_compose_cache_new();
	p->opt.n_for_files = p->n_for_files;
	if (p->template_file) {
		if (pa_file_read_limited(p->template_file, PA_TEMPLATE_MAX_BYTES,
		                         PA_FILE_STDIN, &p->template, &err) != PA_OK) {
			cli_print_error(&err);
			return cli_exit_code(err.status);
		}
		p->opt.memory_template = p->template.ptr;
		p->opt.memory_template_len = p->template.len;
	}
	code = load_config(p);
	if (code != EXIT_OK)
		return code;
	pa_config_compose_options(p->cfg, &p->opt);
	combine_rules(p);
	return EXIT_OK;
}

void cli_pipeline_release(cli_pipeline *p)
{
	size_t i;

	for (i = 0; i < p->n_rules; i++)
		free((char *)p->rules[i].match);
	free(p->rules);
	free(p->all);
	free(p->for_files);
	pa_compose_cache_free(p->opt.cache);
	for (i = 0; i < p->ntoks; i++) {
		free(p->toks[i].name);
		free(p->toks[i].model);
		pa_tokenizer_free(p->toks[i].tok);
	}
	free(p->toks);
	pa_warnings_release(&p->warned);
	cli_seen_release(&p->warned_set);
	pa_config_free(p->cfg);
	pa_buf_release(&p->template);
	memset(p, 0, sizeof(*p));
}

static int same_string(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static char *copy_or_null(const char *s)
{
	char *c = s ? strdup(s) : NULL;

	if (s && !c)
		abort();
	return c;
}

const pa_tokenizer *cli_pipeline_tokenizer(cli_pipeline *p,
                                           const pa_agent *agent,
                                           const char **model, int *code)
{
	pa_tokenizer_pick pick;
	pa_tokenizer *tok;
	cli_tok *t;
	pa_error err;
	pa_status st;
	size_t i;

	pa_tokenizer_choose(p->tok_name, p->model, p->cfg, agent, &pick);
	*model = pick.model;
	for (i = 0; i < p->ntoks; i++) {
		t = &p->toks[i];
		if (same_string(t->name, pick.name) && same_string(t->model, pick.model) &&
		    t->fallback == pick.fallback && t->is_default == pick.is_default)
			return t->tok;
	}
	st = pa_tokenizer_load_pick(&pick, NULL, &tok, &err);
	if (st == PA_OK && p->many)
		pa_tokenizer_keep_counts(tok, PA_CHECK_KEPT_COUNT_BYTES);
	if (st != PA_OK) {
		cli_print_error(&err);
		/* A name or model the user gave is a usage error; missing
		 * data of the default is the installation's. */
		*code = st == PA_ERR_NOT_FOUND && !pick.fallback && !pick.is_default &&
		        (pick.model || strcmp(pick.name, PA_DEFAULT_TOKENIZER))
		        ? EXIT_USAGE : EXIT_FAILURE_IO;
		return NULL;
	}
	p->toks = realloc(p->toks, (p->ntoks + 1) * sizeof(*p->toks));
	if (!p->toks)
		abort();
	t = &p->toks[p->ntoks++];
	t->name = copy_or_null(pick.name);
	t->model = copy_or_null(pick.model);
	t->fallback = pick.fallback;
	t->is_default = pick.is_default;
	t->tok = tok;
	return tok;
}

int cli_pipeline_spec(cli_pipeline *p, const char *agent, const char *model,
                      pa_trim_spec *spec)
{
	size_t budget = PA_NO_BUDGET;
	int has = p->has_budget || pa_config_budget(p->cfg, agent, &budget);

	pa_trim_spec_init(spec, p->has_budget ? p->budget : budget);
	spec->model = model;
	pa_config_trim_spec(p->cfg, spec);
	if (p->has_margin)
		spec->margin = p->margin;
	if (p->has_reserve)
		spec->reserve = p->reserve;
	if (p->trim_body)
		spec->trim_body = 1;
	if (p->all) {
		spec->rules = p->all;
		spec->n_rules = p->n_all;
	}
	return has;
}

void cli_pipeline_warn(cli_pipeline *p, const pa_warnings *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		const pa_warning *x = &w->items[i];
		pa_warning *kept;

		if (p->skipped && x->kind == PA_WARNING_AGENT_SKIPPED) {
			p->skipped(p->skipped_ctx, x);
			continue;
		}
		if (!cli_seen_add(&p->warned_set, x->message))
			continue;
		p->warned.items = cli_grow(p->warned.items, p->warned.n, sizeof(*x));
		kept = &p->warned.items[p->warned.n++];
		kept->message = copy_or_null(x->message);
		kept->path = copy_or_null(x->path);
		kept->line = x->line;
		kept->column = x->column;
		kept->kind = x->kind;
		kept->reason = copy_or_null(x->reason);
		if (p->warn_always)
			cli_errorf("warning: %s", x->message);
		else
			cli_warnf("%s", x->message);
	}
}

const char *cli_pipeline_claude_model(const cli_pipeline *p,
                                      const pa_agent *agent)
{
	if (p->model)
		return pa_claude_code_model(p->model, NULL);
	return pa_claude_code_model(pa_agent_model(agent), pa_config_model(p->cfg));
}

void cli_pipeline_note(const pa_tokenizer *tok, const pa_trim_report *rep)
{
	if (!rep || !rep->estimate || rep->budget == PA_NO_BUDGET)
		return;
	cli_notef("%s counts are estimates for current Claude models: a %g%% margin "
	          "applies (budget %zu, effective %zu)",
	          pa_tokenizer_name(tok), rep->margin * 100, rep->budget, rep->effective);
}

/* Find and compose: the agent and its prompt. */
static int compose(cli_pipeline *p, const char *arg, const pa_agent_entry *entry,
                   cli_run *r)
{
	pa_error err;
	pa_status st;

	st = arg ? pa_agent_find(arg, &p->opt, &r->agent, &r->warn, &err)
	         : pa_agent_load_entry(entry, &r->agent, &r->warn, &err);
	if (st == PA_OK)
		st = pa_prompt_compose(r->agent, &p->opt, &r->prompt, &r->warn, &err);
	if (st != PA_OK) {
		cli_pipeline_warn(p, &r->warn);
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	return EXIT_OK;
}

int cli_pipeline_run(cli_pipeline *p, const char *arg,
                     const pa_agent_entry *entry, unsigned what,
                     size_t heavy_top, cli_run *r)
{
	pa_error err;
	pa_status st = PA_OK;
	int code;

	memset(r, 0, sizeof(*r));
	r->text = (pa_buf)PA_BUF_INIT;
	code = compose(p, arg, entry, r);
	if (code != EXIT_OK)
		return code;
	r->tok = cli_pipeline_tokenizer(p, r->agent, &r->model, &code);
	if (!r->tok)
		return code;
	r->estimate = pa_tokenizer_is_estimate(r->tok, r->model);
	pa_prompt_render(r->prompt, &r->text);
	/* The trimmer counts the untrimmed prompt itself. */
	if (!(what & CLI_RUN_TRIM))
		st = pa_tokenizer_count(r->tok, r->text.ptr, r->text.len, &r->tokens,
		                        &err);
	r->cc_model = cli_pipeline_claude_model(p, r->agent);
	if (st == PA_OK && (what & CLI_RUN_CONTEXT))
		st = pa_claude_code_estimate(r->prompt, r->agent, &p->opt, r->tok,
		                             r->cc_model, &r->context, &err);
	r->has_budget = cli_pipeline_spec(p, pa_agent_name(r->agent), r->model,
	                                  &r->spec);
	if (st != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	return cli_run_more(r, what, heavy_top);
}

int cli_run_more(cli_run *r, unsigned what, size_t heavy_top)
{
	pa_error err;
	pa_status st = PA_OK;
	size_t i, len;
	const char *t;

	if ((what & CLI_RUN_HEAVY) && !r->heavy)
		st = pa_prompt_heavy_blocks(r->prompt, r->tok, heavy_top, &r->heavy,
		                            &r->nheavy, &err);
	if (st == PA_OK && (what & CLI_RUN_TRIM) && !r->report) {
		if (what & CLI_RUN_UNTRIMMED) {
			r->nuntrimmed = pa_prompt_section_count(r->prompt);
			r->untrimmed = calloc(r->nuntrimmed + 1, sizeof(*r->untrimmed));
			if (!r->untrimmed)
				abort();
			for (i = 0; i < r->nuntrimmed; i++) {
				t = pa_prompt_section_text(r->prompt, i, &len);
				r->untrimmed[i] = (pa_buf)PA_BUF_INIT;
				pa_buf_put(&r->untrimmed[i], t, len);
			}
		}
		st = pa_trim_prompt(r->prompt, r->tok, &r->spec, &r->report, &err);
		r->trim_status = st;
		if (r->report)
			r->tokens = r->report->tokens_before;
		if (st == PA_ERR_OVER_BUDGET)
			st = PA_OK;
		pa_buf_reset(&r->text);
		pa_prompt_render(r->prompt, &r->text);
	}
	if (st != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	return EXIT_OK;
}

void cli_run_release(cli_run *r)
{
	size_t i;

	pa_agent_free(r->agent);
	pa_prompt_free(r->prompt);
	pa_warnings_release(&r->warn);
	pa_trim_report_free(r->report);
	pa_heavy_blocks_free(r->heavy, r->nheavy);
	pa_context_estimate_free(r->context);
	pa_buf_release(&r->text);
	for (i = 0; i < r->nuntrimmed; i++)
		pa_buf_release(&r->untrimmed[i]);
	free(r->untrimmed);
	memset(r, 0, sizeof(*r));
}
