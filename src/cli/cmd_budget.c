/* cmd_budget.c - the budget options shared by build, trim, check and
 * explain, and the config file they read. */
#define _POSIX_C_SOURCE 200809L
#include "cmd_budget.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void cli_put_thousands(pa_buf *out, size_t v)
{
	char d[32];
	int n = snprintf(d, sizeof(d), "%zu", v), i;

	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			pa_buf_putc(out, ',');
		pa_buf_putc(out, d[i]);
	}
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

static pa_section_rule *add_rule(cli_budget *b, const char *arg,
                                 const char **value, int need_match)
{
	const char *eq = strrchr(arg, '=');
	pa_section_rule *r;
	char *match = NULL;

	if (eq) {
		match = strndup(arg, (size_t)(eq - arg));
		if (!match)
			abort();
		*value = eq + 1;
	} else {
		if (need_match)
			return NULL;
		*value = arg;
	}
	b->rules = realloc(b->rules, (b->n_rules + 1) * sizeof(*b->rules));
	if (!b->rules)
		abort();
	r = &b->rules[b->n_rules++];
	memset(r, 0, sizeof(*r));
	r->match = match;
	r->priority = r->floor = r->cap = PA_UNSET;
	r->keep = PA_KEEP_UNSET;
	if (match) {
		b->strings = realloc(b->strings, (b->n_strings + 1) * sizeof(*b->strings));
		if (!b->strings)
			abort();
		b->strings[b->n_strings++] = match;
	}
	return r;
}

int cli_budget_option(cli_budget *b, int c, const char *arg, const char *usage)
{
	pa_section_rule *r;
	const char *v;
	size_t n;

	switch (c) {
	case 'b':
		if (!cli_parse_count(arg, &b->budget)) {
			cli_usage_error(usage, "--budget needs a number of tokens, not '%s'", arg);
			return -1;
		}
		b->has_budget = 1;
		return 1;
	case CLI_OPT_MARGIN:
		if (!parse_margin(arg, &b->margin)) {
			cli_usage_error(usage, "--margin needs a share below 100%% (15%% or 0.15), not '%s'", arg);
			return -1;
		}
		b->has_margin = 1;
		return 1;
	case CLI_OPT_RESERVE:
		if (!cli_parse_count(arg, &b->reserve)) {
			cli_usage_error(usage, "--reserve needs a number of tokens, not '%s'", arg);
			return -1;
		}
		b->has_reserve = 1;
		return 1;
	case CLI_OPT_TRIM_BODY:
		b->trim_body = 1;
		return 1;
	case CLI_OPT_NO_CONFIG:
		b->no_config = 1;
		return 1;
	case CLI_OPT_FLOOR:
	case CLI_OPT_CAP:
	case CLI_OPT_PRIORITY:
		r = add_rule(b, arg, &v, c == CLI_OPT_PRIORITY);
		if (!r || !cli_parse_count(v, &n)) {
			cli_usage_error(usage, "--%s needs %sN, not '%s'",
			                c == CLI_OPT_FLOOR ? "floor" : c == CLI_OPT_CAP ? "cap" : "priority",
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
	case CLI_OPT_KEEP:
		r = add_rule(b, arg, &v, 0);
		if (!strcmp(v, "head"))
			r->keep = PA_KEEP_HEAD;
		else if (!strcmp(v, "tail"))
			r->keep = PA_KEEP_TAIL;
		else {
			cli_usage_error(usage, "--keep needs [MATCH=]head or [MATCH=]tail, not '%s'", arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

int cli_budget_load_config(cli_budget *b, const char *cwd, const char *home)
{
	pa_error err;
	char *root;

	if (b->no_config) {
		if (pa_config_parse("", 0, PA_CONFIG_FILE, &b->cfg, &err) != PA_OK) {
			cli_print_error(&err);
			return EXIT_USAGE;
		}
		return EXIT_OK;
	}
	root = pa_project_root(cwd, home, &err);
	if (!root) {
		cli_print_error(&err);
		return EXIT_USAGE;
	}
	if (pa_config_load(root, &b->cfg, &err) != PA_OK) {
		pa_free(root);
		cli_print_error(&err);
		return cli_exit_code(err.status);
	}
	pa_free(root);
	return EXIT_OK;
}

int cli_budget_spec(cli_budget *b, const char *agent, const char *model,
                    pa_trim_spec *spec)
{
	size_t budget = PA_NO_BUDGET;
	int has = 0;

	if (b->has_budget) {
		budget = b->budget;
		has = 1;
	} else if (b->cfg && pa_config_budget(b->cfg, agent, &budget)) {
		has = 1;
	}
	pa_trim_spec_init(spec, has ? budget : PA_NO_BUDGET);
	spec->model = model;
	if (b->cfg)
		pa_config_trim_spec(b->cfg, spec);
	if (b->has_margin)
		spec->margin = b->margin;
	if (b->has_reserve)
		spec->reserve = b->reserve;
	if (b->trim_body)
		spec->trim_body = 1;
	if (b->n_rules) {
		free(b->all);
		b->all = malloc((spec->n_rules + b->n_rules) * sizeof(*b->all));
		if (!b->all)
			abort();
		if (spec->n_rules)
			memcpy(b->all, spec->rules, spec->n_rules * sizeof(*b->all));
		memcpy(b->all + spec->n_rules, b->rules, b->n_rules * sizeof(*b->all));
		spec->rules = b->all;
		spec->n_rules += b->n_rules;
	}
	return has;
}

void cli_budget_release(cli_budget *b)
{
	size_t i;

	for (i = 0; i < b->n_strings; i++)
		free(b->strings[i]);
	free(b->strings);
	free(b->rules);
	free(b->all);
	pa_config_free(b->cfg);
	memset(b, 0, sizeof(*b));
}

pa_tokenizer *cli_budget_tokenizer(const cli_budget *b, const char *name,
                                   const char *model, const char *agent_model,
                                   const char **model_used, int *exit_code)
{
	pa_tokenizer *tok = NULL;
	pa_error err;

	if (!name && !model && b->cfg) {
		name = pa_config_tokenizer(b->cfg);
		model = pa_config_model(b->cfg);
	}
	*model_used = model;
	if (!name && !model && agent_model && strcmp(agent_model, "inherit")) {
		/* The agent's model picks the tokenizer when one serves it,
		 * as build does; else the default. */
		if (pa_tokenizer_load_for_model(agent_model, NULL, &tok, &err) == PA_OK) {
			*model_used = agent_model;
			return tok;
		}
	}
	return cli_load_tokenizer(name, model, NULL, exit_code);
}

void cli_budget_note(const pa_tokenizer *tok, const pa_trim_report *rep)
{
	if (!rep || !rep->estimate || rep->budget == PA_NO_BUDGET)
		return;
	cli_notef("%s counts are estimates for current Claude models: a %g%% margin "
	          "applies (budget %zu, effective %zu)",
	          pa_tokenizer_name(tok), rep->margin * 100, rep->budget, rep->effective);
}

int cli_budget_argv(cli_budget *b, int argc, char **argv, int *i,
                    const char *usage)
{
	static const struct { const char *s, *l; int code, has_value; } map[] = {
		{ "-b", "--budget", 'b', 1 },
		{ NULL, "--margin", CLI_OPT_MARGIN, 1 },
		{ NULL, "--reserve", CLI_OPT_RESERVE, 1 },
		{ NULL, "--trim-body", CLI_OPT_TRIM_BODY, 0 },
		{ NULL, "--floor", CLI_OPT_FLOOR, 1 },
		{ NULL, "--cap", CLI_OPT_CAP, 1 },
		{ NULL, "--keep", CLI_OPT_KEEP, 1 },
		{ NULL, "--priority", CLI_OPT_PRIORITY, 1 },
		{ NULL, "--no-config", CLI_OPT_NO_CONFIG, 0 },
	};
	const char *a = argv[*i], *v = NULL;
	size_t k, ln;

	for (k = 0; k < sizeof(map) / sizeof(map[0]); k++) {
		ln = strlen(map[k].l);
		if (!map[k].has_value) {
			if (!strcmp(a, map[k].l))
				return cli_budget_option(b, map[k].code, NULL, usage) == 1 ? 1 : -1;
			continue;
		}
		if ((map[k].s && !strcmp(a, map[k].s)) || !strcmp(a, map[k].l)) {
			if (*i + 1 >= argc) {
				cli_usage_error(usage, "option %s needs a value", a);
				return -1;
			}
			v = argv[++*i];
		} else if (!strncmp(a, map[k].l, ln) && a[ln] == '=') {
			v = a + ln + 1;
		} else if (map[k].s && a[0] == '-' && a[1] == map[k].s[1] && a[2]) {
			v = a + 2;
		} else {
			continue;
		}
		return cli_budget_option(b, map[k].code, v, usage) == 1 ? 1 : -1;
	}
	return 0;
}

int cli_budget_build(cli_budget *b, pa_prompt *prompt, const pa_agent *agent,
                     const char *cwd, const char *home, const char *tok_name,
                     const char *model)
{
	pa_trim_spec spec;
	pa_trim_report *rep = NULL;
	pa_tokenizer *tok;
	pa_error err;
	pa_status st;
	const char *model_used;
	int code = cli_budget_load_config(b, cwd, home);

	if (code != EXIT_OK)
		return code;
	tok = cli_budget_tokenizer(b, tok_name, model, pa_agent_model(agent),
	                           &model_used, &code);
	if (!tok)
		return code;
	cli_budget_spec(b, pa_agent_name(agent), model_used, &spec);
	st = pa_trim_prompt(prompt, tok, &spec, &rep, &err);
	cli_budget_note(tok, rep);
	if (st == PA_ERR_OVER_BUDGET) {
		cli_errorf("the prompt of %s is over budget: what may not be trimmed "
		           "(the body%s) needs %zu tokens, %zu more than the budget of %zu "
		           "allows (--trim-body lets the body go too)",
		           pa_agent_name(agent), spec.n_rules ? ", floors" : "",
		           rep->tokens_after, rep->missing, rep->effective);
		code = EXIT_OVER_BUDGET;
	} else if (st != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(st);
	}
	pa_trim_report_free(rep);
	pa_tokenizer_free(tok);
	return code;
}
