/*
 * config.c - `.promptasm.yaml`, the project's budgets and trimming rules.
 *
 * The schema is closed: an unknown key or a value of the wrong type is an
 * error naming the file, line and column, because a misspelt key that is
 * silently ignored would turn a CI budget check into a no-op.
 *
 * Approval is the user's: the user's own config (pa_config_load_user())
 * may approve reads from outside the project; a repository's may not (a
 * pull request would approve its own reads), and what it tries is kept as
 * a warning for every report, not applied.
 */
#define _POSIX_C_SOURCE 200809L
#include "config.h"
#include "base/yamltree.h"
#include "util/util.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct agent_budget {
	char *pattern;
	size_t budget;
	long line, column;  /* of its key, for what names it (pa_config_entry_at()) */
} agent_budget;

struct pa_config {
	char *file;
	char *tokenizer;
	char *model;
	char *api_model;             /* build: the model a request body names */
	int has_budget;
	size_t budget;
	agent_budget *budgets;
	size_t n_budgets;
	int has_reserve;
	size_t reserve;
	int has_margin;
	double margin;
	int has_trim_body;
	int trim_body;
	agent_budget *instructions;  /* glob -> cap */
	agent_budget *main_budgets;  /* `main:`: part -> budget */
	size_t n_main;
	size_t n_instructions;
	pa_section_rule *rules;      /* instruction caps first, then sections */
	size_t n_rules;
	char **strings;              /* what the rules' match fields point to */
	size_t n_strings;
	int load_managed, load_user, load_ancestors; /* -1 unset, 0, 1 */
	int approve_imports; /* -1 unset, 0, 1 */
	size_t max_entries;  /* walks' limit; has_max_entries when set */
	int has_max_entries;
	int trust;           /* load: {trust: true}, the user's config only */
	int auto_memory;     /* -1 unset, 0, 1 */
	pa_budget_scope scope;       /* PA_SCOPE_PROMPT unless set */
	char *strict;                /* check: "true" or "false" */
	char *max_growth;            /* check --baseline, as written */
	int user;                    /* the user's config: only `load:` */
	pa_warnings refused;         /* a repository's approvals, not applied */
	pa_harness_id harness[PA_HARNESS_COUNT]; /* `harness:`, in order */
	size_t n_harness;
	char *harness_version[PA_HARNESS_COUNT]; /* by id: NAME@VERSION, or */
	char *harness_profile[PA_HARNESS_COUNT]; /* {NAME: {version, profile}} */
};

static void free_budgets(agent_budget *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(b[i].pattern);
	free(b);
}

void pa_config_free(pa_config *c)
{
	size_t i;

	if (!c)
		return;
	free(c->file);
	free(c->tokenizer);
	free(c->model);
	free(c->api_model);
	free(c->max_growth);
	free(c->strict);
	free_budgets(c->budgets, c->n_budgets);
	free_budgets(c->main_budgets, c->n_main);
	for (i = 0; i < PA_HARNESS_COUNT; i++) {
		free(c->harness_version[i]);
		free(c->harness_profile[i]);
	}
	for (i = 0; i < c->n_instructions; i++)
		free(c->instructions[i].pattern);
	free(c->instructions);
	free(c->rules);
	for (i = 0; i < c->n_strings; i++)
		free(c->strings[i]);
	free(c->strings);
	pa_warnings_release(&c->refused);
	free(c);
}

static pa_status bad(pa_error *err, const char *file, const Pa_ynode *n,
                     const char *fmt, ...) PA_PRINTF(4, 5);

static pa_status bad(pa_error *err, const char *file, const Pa_ynode *n,
                     const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return Pa_error_set(err, PA_ERR_PARSE, file, n->line, n->column, "%s", msg);
}

static pa_status get_string(const Pa_ynode *n, const char *file,
                            const char *key, char **out, pa_error *err)
{
	if (n->type != PA_YNODE_SCALAR || Pa_ynode_is_null(n) || !n->scalar_len)
		return bad(err, file, n, "'%s' must be a non-empty string", key);
	free(*out);
	*out = Pa_xstrdup(n->scalar);
	return PA_OK;
}

static pa_status get_count(const Pa_ynode *n, const char *file,
                           const char *key, size_t *out, pa_error *err)
{
	const char *s = n->scalar;
	unsigned long long v = 0;
	size_t i;

	if (n->type != PA_YNODE_SCALAR || !n->plain || !n->scalar_len)
		return bad(err, file, n, "'%s' must be a number of tokens", key);
	for (i = 0; s[i]; i++) {
		if (s[i] == '_' && i > 0)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return bad(err, file, n, "'%s' must be a number of tokens", key);
		if (v > PA_COUNT_MAX / 10)
			return bad(err, file, n, "'%s' must be at most %llu tokens",
			           key, PA_COUNT_MAX);
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = (size_t)v;
	return PA_OK;
}

static pa_status get_bool(const Pa_ynode *n, const char *file, const char *key,
                          int *out, pa_error *err)
{
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };
	size_t i;

	if (n->type == PA_YNODE_SCALAR && n->plain) {
		for (i = 0; i < 3; i++) {
			if (!strcmp(n->scalar, yes[i])) {
				*out = 1;
				return PA_OK;
			}
			if (!strcmp(n->scalar, no[i])) {
				*out = 0;
				return PA_OK;
			}
		}
	}
	return bad(err, file, n, "'%s' must be true or false", key);
}

/* "15%" or "0.15" (Pa_share_parse()). */
static pa_status get_margin(const Pa_ynode *n, const char *file, double *out,
                            pa_error *err)
{
	double v;

	if (n->type != PA_YNODE_SCALAR || !n->scalar_len ||
	    strlen(n->scalar) != n->scalar_len || !Pa_share_parse(n->scalar, &v))
		return bad(err, file, n, "'%s' must be a share written as 15%% or "
		           "0.15 (decimal digits, no sign or exponent)", "margin");
	if (!(v < 1))
		return bad(err, file, n, "'%s' must be a share below 100%%, such as "
		           "15%% or 0.15", "margin");
	*out = v;
	return PA_OK;
}

static pa_status expect(const Pa_ynode *n, Pa_ynode_type type, const char *file,
                        const char *key, pa_error *err)
{
	if (n->type == type)
		return PA_OK;
	return bad(err, file, n,
	           type == PA_YNODE_MAPPING ? "'%s' must be a mapping"
	                                    : "'%s' must be a list",
	           key);
}

static char *keep_string(pa_config *c, const char *s)
{
	c->strings = Pa_xgrow(c->strings, c->n_strings, sizeof(*c->strings));
	return c->strings[c->n_strings++] = Pa_xstrdup(s);
}

static pa_section_rule *new_rule(pa_config *c)
{
	pa_section_rule *r;

	c->rules = Pa_xgrow(c->rules, c->n_rules, sizeof(*c->rules));
	r = &c->rules[c->n_rules++];
	r->match = NULL;
	r->priority = r->floor = r->cap = PA_UNSET;
	r->keep = PA_KEEP_UNSET;
	r->instructions_only = 0;
	return r;
}

/* A mapping of name or glob -> number, in file order. */
static pa_status read_table(const Pa_ynode *n, const char *file, const char *key,
                            agent_budget **out, size_t *nout, pa_error *err)
{
	size_t i;
	Pa_strset seen = PA_STRSET_INIT;
	pa_status st = expect(n, PA_YNODE_MAPPING, file, key, err);

	if (st != PA_OK)
		return st;
	if (n->n > PA_CONFIG_MAX_ENTRIES)
		return bad(err, file, n, "'%s' has more than %d entries", key,
		           PA_CONFIG_MAX_ENTRIES);
	*out = Pa_xcalloc(n->n ? n->n : 1, sizeof(**out));
	for (i = 0; st == PA_OK && i < n->n; i++) {
		const Pa_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];

		if (k->type != PA_YNODE_SCALAR || !k->scalar_len) {
			st = bad(err, file, k, "keys of '%s' must be names or globs", key);
			break;
		}
		/* A name given twice is an error, as at the top: the first
		 * match wins, so `reviewer: 100` below `reviewer: 8000` was
		 * dropped without a word and check passed at 8,000. */
		if (!Pa_strset_add(&seen, k->scalar, k->scalar_len)) {
			st = bad(err, file, k, "duplicate key '%s' in '%s'", k->scalar, key);
			break;
		}
		st = get_count(v, file, k->scalar, &(*out)[i].budget, err);
		if (st != PA_OK)
			break;
		(*out)[i].pattern = Pa_xstrdup(k->scalar);
		(*out)[i].line = (long)k->line;
		(*out)[i].column = (long)k->column;
		*nout = i + 1;
	}
	Pa_strset_release(&seen);
	return st;
}

/* A harness's settings in `harness: {NAME: {version: V, profile: P}}`. */
static pa_status read_harness_settings(pa_config *c, pa_harness_id id,
                                       const Pa_ynode *v, const char *file,
                                       pa_error *err)
{
	size_t i;

	if (v->type == PA_YNODE_SCALAR && v->plain &&
	    (!v->scalar_len || !strcmp(v->scalar, "null") || !strcmp(v->scalar, "~")))
		return PA_OK;
	if (v->type != PA_YNODE_MAPPING)
		return bad(err, file, v, "'harness': the settings of %s must be a "
		           "mapping (version, profile)", pa_harness_name(id));
	for (i = 0; i < v->n; i++) {
		const Pa_ynode *k = v->items[2 * i], *x = v->items[2 * i + 1];
		char **slot;

		if (k->type != PA_YNODE_SCALAR ||
		    (strcmp(k->scalar, "version") && strcmp(k->scalar, "profile")))
			return bad(err, file, k, "'harness': %s takes version and "
			           "profile", pa_harness_name(id));
		slot = !strcmp(k->scalar, "version") ? &c->harness_version[id]
		                                      : &c->harness_profile[id];
		if (x->type != PA_YNODE_SCALAR || !x->scalar_len)
			return bad(err, file, x, "'harness': %s's %s must be a string",
			           pa_harness_name(id), k->scalar);
		if (*slot)
			return bad(err, file, k, "'harness': %s's %s given twice",
			           pa_harness_name(id), k->scalar);
		*slot = Pa_xstrdup(x->scalar);
	}
	return PA_OK;
}

/* `harness:` a name or a list of names (`check` checks each), a name
 * NAME@VERSION naming the version run, or a mapping of names to their
 * settings. */
static pa_status read_harness(pa_config *c, const Pa_ynode *v, const char *file,
                              pa_error *err)
{
	size_t j, n = v->type == PA_YNODE_SEQUENCE || v->type == PA_YNODE_MAPPING
	              ? v->n : 1;

	if (v->type != PA_YNODE_SEQUENCE && v->type != PA_YNODE_SCALAR &&
	    v->type != PA_YNODE_MAPPING)
		return bad(err, file, v, "'harness' must be a name, a list of names "
		           "or a mapping of names to settings");
	if (n == 0 || n > PA_HARNESS_COUNT)
		return bad(err, file, v, "'harness' must name 1 to %d harnesses",
		           PA_HARNESS_COUNT);
	for (j = 0; j < n; j++) {
		const Pa_ynode *x = v->type == PA_YNODE_SEQUENCE ? v->items[j]
		                  : v->type == PA_YNODE_MAPPING ? v->items[2 * j] : v;
		pa_harness_id id;
		size_t k;
		const char *ver = x->type == PA_YNODE_SCALAR ? strchr(x->scalar, '@') : NULL;
		int known = 0;

		if (x->type == PA_YNODE_SCALAR) {
			char *name = Pa_xstrdup(x->scalar);

			if (ver)
				name[ver - x->scalar] = '\0';
			known = pa_harness_parse(name, &id);
			pa_free(name);
		}
		if (!known) {
			/* the names from the table of CLIs, never a second list */
			char names[256];
			size_t at = 0;
			int i;

			names[0] = '\0';
			for (i = 0; i < PA_HARNESS_COUNT && at < sizeof(names); i++) {
				int w = snprintf(names + at, sizeof(names) - at, "%s%s",
				                 i ? ", " : "", pa_harness_name((pa_harness_id)i));

				if (w < 0)
					break;
				at += (size_t)w;
			}
			return bad(err, file, x, "'harness': not a harness (%s)", names);
		}
		for (k = 0; k < c->n_harness; k++)
			if (c->harness[k] == id)
				return bad(err, file, x, "'harness': %s named twice", x->scalar);
		c->harness[c->n_harness++] = id;
		if (ver && !ver[1])
			return bad(err, file, x, "'harness': %s: no version after @",
			           x->scalar);
		if (ver)
			c->harness_version[id] = Pa_xstrdup(ver + 1);
		if (v->type == PA_YNODE_MAPPING) {
			pa_status st;

			if (ver)
				return bad(err, file, x, "'harness': a mapping's key is a "
				           "name; its version goes in its settings");
			st = read_harness_settings(c, id, v->items[2 * j + 1], file, err);
			if (st != PA_OK)
				return st;
		}
	}
	return PA_OK;
}

/* ---- The keys: one table ---- */

/* What a key's value is, and how it is read. */
typedef enum key_type {
	KEY_STRING,   /* a non-empty string */
	KEY_COUNT,    /* a number of tokens (size_t) */
	KEY_LIMIT,    /* a number of tokens in a rule (long) */
	KEY_ENTRIES,  /* a number of directory entries from 1 (size_t) */
	KEY_MARGIN,   /* a share below 100% */
	KEY_BOOL,     /* true or false (int) */
	/* Kept as text for the program (pa_config_setting()): */
	KEY_TEXT,     /* a non-empty string */
	KEY_SETTING,  /* true or false, as "true" or "false" */
	KEY_SCOPE,    /* prompt or context */
	KEY_GROWTH,   /* 10% or 500, as written */
	KEY_TABLE,    /* a mapping of name or glob to tokens */
	KEY_MAIN,     /* a mapping of a main session part to tokens */
	KEY_RULES,    /* a list of rules (pa_config_rule_keys) */
	KEY_LOAD,     /* a mapping of pa_config_load_keys */
	KEY_HARNESS,  /* a harness's name, or a list of them */
	KEY_APPROVE,  /* true or false, the user's to give (SECURITY.md) */
	KEY_MATCH,    /* a rule's match: a string the config keeps */
	KEY_KEEP      /* head or tail */
} key_type;

/* One key: its name, its type, where its value goes (an offset in
 * pa_config, or for a rule's keys in pa_section_rule), its `has_` flag or
 * a table's count (0: none), whether the user's own config may hold it,
 * and a line of doc.  promptasm(1)'s CONFIGURATION and the example of
 * promptasm.h name every key (tests/unit/test_config.c checks both). */
typedef struct config_key {
	const char *name;
	key_type type;
	size_t field;
	size_t aux;
	int user;
	const char *doc;
} config_key;

#define F(x) offsetof(pa_config, x)
#define R(x) offsetof(pa_section_rule, x)

static const config_key top_keys[] = {
	{ "tokenizer", KEY_STRING, F(tokenizer), 0, 0, "the tokenizer (not with model)" },
	{ "model", KEY_STRING, F(model), 0, 0, "the model whose tokenizer counts (not with tokenizer)" },
	{ "api_model", KEY_TEXT, F(api_model), 0, 0, "build: the model a request body names" },
	{ "budget", KEY_COUNT, F(budget), F(has_budget), 0, "the budget of every agent without its own" },
	{ "budgets", KEY_TABLE, F(budgets), F(n_budgets), 0, "agent name or glob -> budget" },
	{ "reserve", KEY_COUNT, F(reserve), F(has_reserve), 0, "tokens kept for the response" },
	{ "margin", KEY_MARGIN, F(margin), F(has_margin), 0, "the share kept free when counts are estimates" },
	{ "trim_body", KEY_BOOL, F(trim_body), F(has_trim_body), 0, "whether the agent's body may be trimmed" },
	{ "budget_scope", KEY_SCOPE, F(scope), 0, 0, "what check budgets: prompt or context" },
	{ "max_growth", KEY_GROWTH, F(max_growth), 0, 0, "check --baseline: the growth an agent may have" },
	{ "strict", KEY_SETTING, F(strict), 0, 0, "check: every warning fails" },
	{ "instructions", KEY_TABLE, F(instructions), F(n_instructions), 0, "glob -> cap of instruction files" },
	{ "main", KEY_MAIN, F(main_budgets), F(n_main), 0, "budgets of the main session's parts" },
	{ "sections", KEY_RULES, 0, 0, 0, "rules for sections: match, priority, floor, cap, keep" },
	{ "load", KEY_LOAD, 0, 0, 1, "which CLAUDE.md levels and memory load" },
	{ "harness", KEY_HARNESS, 0, 0, 0, "the agent CLIs to compose for (docs/harnesses.md)" },
	{ "max_entries", KEY_ENTRIES, F(max_entries), F(has_max_entries), 0, "the files and directories one walk of the project reads at most" },
	{ NULL, KEY_STRING, 0, 0, 0, NULL }
};

static const config_key load_keys[] = {
	{ "managed", KEY_BOOL, F(load_managed), 0, 1, "false: no managed policy file" },
	{ "user", KEY_BOOL, F(load_user), 0, 1, "false: no user-level instruction files, any CLI (--no-user)" },
	{ "ancestors", KEY_BOOL, F(load_ancestors), 0, 1, "false: no CLAUDE.md above the repository root" },
	{ "approve_imports", KEY_APPROVE, F(approve_imports), 0, 1, "the user's config only: load @imports from outside the project" },
	{ "auto_memory", KEY_BOOL, F(auto_memory), 0, 1, "false: no auto memory" },
	{ "trust", KEY_APPROVE, F(trust), 0, 1, "the user's config only: run the project's hooks, MCP servers, git status and skill commands (--trust)" },
	{ NULL, KEY_STRING, 0, 0, 0, NULL }
};

static const config_key rule_keys[] = {
	{ "match", KEY_MATCH, R(match), 0, 0, "a section kind, path or glob (required)" },
	{ "priority", KEY_LIMIT, R(priority), 0, 0, "lower is trimmed first" },
	{ "floor", KEY_LIMIT, R(floor), 0, 0, "tokens kept whatever the budget" },
	{ "cap", KEY_LIMIT, R(cap), 0, 0, "tokens at most, even when the prompt fits" },
	{ "keep", KEY_KEEP, R(keep), 0, 0, "head or tail: the end a cut keeps" },
	{ NULL, KEY_STRING, 0, 0, 0, NULL }
};

#undef F
#undef R

/* The parts a `main:` budget may name. */
static const char *const main_parts[] = { "total", "agents", "agent", "skills", "memory", NULL };

const char *Pa_config_key(Pa_config_table table, size_t i, const char **doc)
{
	static const config_key *const tables[] = { top_keys, load_keys, rule_keys };
	const config_key *keys = tables[table];
	size_t n = 0;

	while (keys[n].name)
		n++;
	if (i >= n)
		return NULL;
	if (doc)
		*doc = keys[i].doc;
	return keys[i].name;
}

static const config_key *find_key(const config_key *keys, const char *name)
{
	for (; keys->name; keys++)
		if (!strcmp(keys->name, name))
			return keys;
	return NULL;
}

/* A setting only the user may give, found in a repository's config: kept
 * as a warning at its key, not applied. */
static void refuse(pa_config *c, const Pa_ynode *k, const char *key)
{
	pa_warning *w;
	char msg[400];
	int trust = !strcmp(key, "trust");

	snprintf(msg, sizeof(msg), "%s:%ld:%ld: '%s' is not applied: a "
	         "repository cannot %s (%s, or the user's %s, can)", PA_CONFIG_FILE,
	         (long)k->line, (long)k->column, key,
	         trust ? "have its own commands run" : "approve its own reads",
	         trust ? "--trust" : "--approve-imports", PA_CONFIG_USER_FILE);
	c->refused.items = Pa_xgrow(c->refused.items, c->refused.n,
	                            sizeof(*c->refused.items));
	w = &c->refused.items[c->refused.n++];
	memset(w, 0, sizeof(*w));
	w->message = Pa_xstrdup(msg);
	w->path = Pa_xstrdup(PA_CONFIG_FILE);
	w->line = (long)k->line;
	w->column = (long)k->column;
}

static pa_status read_keys(pa_config *c, void *base, const config_key *keys,
                           const Pa_ynode *map, const char *where, pa_error *err);

/* `main:`: a table whose keys are the parts of the main session. */
static pa_status read_main(pa_config *c, const config_key *key, const Pa_ynode *v,
                           pa_error *err)
{
	size_t j, q;
	pa_status st = read_table(v, c->file, key->name, &c->main_budgets, &c->n_main, err);

	for (j = 0; st == PA_OK && j < c->n_main; j++) {
		for (q = 0; main_parts[q]; q++)
			if (!strcmp(c->main_budgets[j].pattern, main_parts[q]))
				break;
		if (!main_parts[q])
			st = bad(err, c->file, v->items[2 * j], "'main' budgets are "
			         "total, agents, agent, skills and memory, not '%s'",
			         c->main_budgets[j].pattern);
	}
	return st;
}

static pa_status read_rule(pa_config *c, const Pa_ynode *n, pa_error *err)
{
	pa_status st = expect(n, PA_YNODE_MAPPING, c->file, "sections item", err);

	if (st != PA_OK)
		return st;
	if (!Pa_ynode_get(n, "match"))
		return bad(err, c->file, n, "a '%s' item needs 'match'", "sections");
	return read_keys(c, new_rule(c), rule_keys, n, "in a sections item", err);
}

static pa_status read_rules(pa_config *c, const config_key *key, const Pa_ynode *v,
                            pa_error *err)
{
	size_t j;
	pa_status st = expect(v, PA_YNODE_SEQUENCE, c->file, key->name, err);

	if (st == PA_OK && v->n > PA_CONFIG_MAX_ENTRIES)
		st = bad(err, c->file, v, "'%s' has more than %d entries", key->name,
		         PA_CONFIG_MAX_ENTRIES);
	for (j = 0; st == PA_OK && j < v->n; j++)
		st = read_rule(c, v->items[j], err);
	return st;
}

/* A value that is one word of a list: its index, or -1. */
static int one_of(const Pa_ynode *v, const char *const *words)
{
	int i;

	for (i = 0; v->type == PA_YNODE_SCALAR && v->plain && words[i]; i++)
		if (!strcmp(v->scalar, words[i]))
			return i;
	return -1;
}

/* Reads the value v of key k into base (the config, or a rule). */
static pa_status read_value(pa_config *c, void *base, const config_key *key,
                            const Pa_ynode *k, const Pa_ynode *v, pa_error *err)
{
	static const char *const scopes[] = { "prompt", "context", NULL };
	char *at = (char *)base + key->field;
	const char *file = c->file, *name = key->name;
	Pa_growth_limit limit;
	size_t count;
	int yes = 0, w;
	pa_status st = PA_OK;

	switch (key->type) {
	case KEY_STRING:
		/* every row of a report names the model (PA_MODEL_NAME_MAX) */
		if (!strcmp(name, "model") && v->type == PA_YNODE_SCALAR &&
		    v->scalar_len > PA_MODEL_NAME_MAX)
			return bad(err, file, v, "'%s' is longer than %d bytes: no "
			           "model has such a name", name, PA_MODEL_NAME_MAX);
		return get_string(v, file, name, (char **)at, err);
	case KEY_TEXT: return get_string(v, file, name, (char **)at, err);
	case KEY_COUNT: st = get_count(v, file, name, (size_t *)at, err); break;
	case KEY_ENTRIES:
		/* as --max-entries reads it: 0 was taken and then not applied */
		if (v->type != PA_YNODE_SCALAR ||
		    get_count(v, file, name, &count, NULL) != PA_OK || !count)
			return bad(err, file, v, "'%s' must be a number of directory "
			           "entries from 1", name);
		*(size_t *)at = count;
		break;
	case KEY_MARGIN: st = get_margin(v, file, (double *)at, err); break;
	case KEY_BOOL: st = get_bool(v, file, name, (int *)at, err); break;
	case KEY_LIMIT:
		st = get_count(v, file, name, &count, err);
		if (st == PA_OK)
			*(long *)at = (long)count;
		return st;
	case KEY_SETTING:
		st = get_bool(v, file, name, &yes, err);
		if (st == PA_OK) {
			free(*(char **)at);
			*(char **)at = Pa_xstrdup(yes ? "true" : "false");
		}
		return st;
	case KEY_SCOPE:
		if ((w = one_of(v, scopes)) < 0)
			return bad(err, file, v, "'%s' must be prompt or context", name);
		*(pa_budget_scope *)at = w ? PA_SCOPE_CONTEXT : PA_SCOPE_PROMPT;
		return PA_OK;
	case KEY_KEEP:
		if (v->type == PA_YNODE_SCALAR && !strcmp(v->scalar, "head"))
			*(pa_keep *)at = PA_KEEP_HEAD;
		else if (v->type == PA_YNODE_SCALAR && !strcmp(v->scalar, "tail"))
			*(pa_keep *)at = PA_KEEP_TAIL;
		else
			return bad(err, file, v, "'%s' must be head or tail", name);
		return PA_OK;
	case KEY_GROWTH:
		if (v->type != PA_YNODE_SCALAR || !v->plain ||
		    !Pa_growth_limit_parse(v->scalar, &limit))
			return bad(err, file, v, "'%s' must be a share such as 10%% or "
			           "a number of tokens such as 500", name);
		free(*(char **)at);
		*(char **)at = Pa_xstrdup(v->scalar);
		return PA_OK;
	case KEY_MATCH: {
		char *m = NULL;

		st = get_string(v, file, name, &m, err);
		if (st == PA_OK)
			*(const char **)at = keep_string(c, m);
		free(m);
		return st;
	}
	case KEY_TABLE:
		return read_table(v, file, name, (agent_budget **)at,
		                  (size_t *)((char *)base + key->aux), err);
	case KEY_MAIN: return read_main(c, key, v, err);
	case KEY_HARNESS: return read_harness(c, v, file, err);
	case KEY_RULES: return read_rules(c, key, v, err);
	case KEY_LOAD:
		st = expect(v, PA_YNODE_MAPPING, file, name, err);
		return st == PA_OK ? read_keys(c, c, load_keys, v, "in 'load'", err) : st;
	case KEY_APPROVE:
		st = get_bool(v, file, name, &yes, err);
		if (st == PA_OK && yes && !c->user)
			refuse(c, k, name);
		else if (st == PA_OK)
			*(int *)at = yes;
		return st;
	}
	if (key->aux)
		*(int *)((char *)base + key->aux) = 1;
	return st;
}

/* The key of keys nearest name ("did you mean"), or NULL. */
static const char *near_key(const config_key *keys, const char *name)
{
	const char *names[32];
	size_t n = 0;

	while (keys[n].name && n < sizeof(names) / sizeof(names[0])) {
		names[n] = keys[n].name;
		n++;
	}
	return Pa_nearest(name, names, n);
}

/* The keys of map, each found in keys and read into base.  where says
 * which mapping an unknown key was in ("in 'load'"; NULL: the top). */
static pa_status read_keys(pa_config *c, void *base, const config_key *keys,
                           const Pa_ynode *map, const char *where, pa_error *err)
{
	pa_status st = PA_OK;
	size_t i, j;
	const char *near;
	char mean[96];

	for (i = 0; st == PA_OK && i < map->n; i++) {
		const Pa_ynode *k = map->items[2 * i], *v = map->items[2 * i + 1];
		const char *name = k->type == PA_YNODE_SCALAR ? k->scalar : "";
		const config_key *key = find_key(keys, name);

		/* In 'load' and a sections item too: a second `user:` or
		 * `cap:` silently replaced the first. */
		for (j = 0; j < i; j++) {
			const Pa_ynode *prev = map->items[2 * j];
			if (prev->type == PA_YNODE_SCALAR && !strcmp(prev->scalar, name))
				return bad(err, c->file, k, "duplicate key '%s'%s%s", name,
				           where ? " " : "", where ? where : "");
		}
		if (c->user && !where && !(key && key->user))
			return bad(err, c->file, k, "unknown key '%s' (the user's config "
			           "holds only 'load')", name);
		if (key) {
			st = read_value(c, base, key, k, v, err);
			continue;
		}
		near = near_key(keys, name);
		if (near)
			snprintf(mean, sizeof(mean), " (did you mean '%s'?)", near);
		else
			mean[0] = '\0';
		if (!where && near)
			st = bad(err, c->file, k, "unknown key '%s' (did you mean '%s'? "
			         "see CONFIGURATION in promptasm(1))", name, near);
		else if (!where)
			st = bad(err, c->file, k, "unknown key '%s' (see CONFIGURATION in "
			         "promptasm(1))", name);
		else if (keys == load_keys)
			st = bad(err, c->file, k, "unknown key '%s' %s%s (managed, user, "
			         "ancestors, approve_imports, auto_memory, trust)", name,
			         where, mean);
		else
			st = bad(err, c->file, k, "unknown key '%s' %s%s", name, where, mean);
	}
	return st;
}

/* The first key or value that holds a NUL (YAML's "\0"), or NULL.  Every
 * setting is read as a C string, which ends there: `budgets: {"a\0x": 5}`
 * budgeted the agent a, and the report named 'a'.  Refused, as the
 * frontmatter reader refuses it (agent.c). */
static const Pa_ynode *holding_nul(const Pa_ynode *n)
{
	size_t i, items = n->type == PA_YNODE_MAPPING ? 2 * n->n : n->n;

	if (n->type == PA_YNODE_SCALAR)
		return strlen(n->scalar) != n->scalar_len ? n : NULL;
	for (i = 0; i < items; i++) {
		const Pa_ynode *x = holding_nul(n->items[i]);

		if (x)
			return x;
	}
	return NULL;
}

static pa_status read_config(pa_config *c, const Pa_ynode *root, pa_error *err)
{
	const Pa_ynode *nul;
	pa_status st;

	if (!root)
		return PA_OK;
	if ((nul = holding_nul(root)))
		return bad(err, c->file, nul, "a key or value holds a NUL character");
	if (root->type != PA_YNODE_MAPPING)
		return bad(err, c->file, root, "%s must be a mapping of settings", "the config file");
	st = read_keys(c, c, top_keys, root, NULL, err);
	if (c->tokenizer && c->model && st == PA_OK)
		st = bad(err, c->file, Pa_ynode_get(root, "model"),
		         "%s: set 'tokenizer' or 'model', not both", "config");
	return st;
}

static pa_status parse(const char *text, size_t len, const char *file,
                       int user, pa_config **out, pa_error *err)
{
	pa_config *c = Pa_xcalloc(1, sizeof(*c));
	Pa_ynode *root = NULL;
	pa_status st;
	size_t i, nrules;

	*out = NULL;
	c->file = Pa_xstrdup(file ? file : PA_CONFIG_FILE);
	c->user = user;
	c->load_managed = c->load_user = c->load_ancestors = -1;
	c->approve_imports = -1;
	c->auto_memory = -1;
	st = Pa_yaml_parse(text, len, c->file, &root, err);
	if (st == PA_OK)
		st = read_config(c, root, err);
	Pa_ynode_free(root);
	if (st != PA_OK) {
		pa_config_free(c);
		return st;
	}
	/* Instruction caps become rules placed before the sections' rules, so
	 * an explicit `sections:` cap overrides them. */
	nrules = c->n_rules;
	c->rules = Pa_xrealloc(c->rules, (nrules + c->n_instructions + 1) * sizeof(*c->rules));
	memmove(c->rules + c->n_instructions, c->rules, nrules * sizeof(*c->rules));
	for (i = 0; i < c->n_instructions; i++) {
		pa_section_rule *r = &c->rules[i];
		r->match = c->instructions[i].pattern;
		r->priority = r->floor = PA_UNSET;
		r->cap = (long)c->instructions[i].budget;
		r->keep = PA_KEEP_UNSET;
		r->instructions_only = 1;
	}
	c->n_rules = nrules + c->n_instructions;
	*out = c;
	return PA_OK;
}

pa_status pa_config_parse(const char *text, size_t len, const char *file,
                          pa_config **out, pa_error *err)
{
	return parse(text, len, file, 0, out, err);
}

/* Reads the config at path (the user's when user); a missing file gives
 * an empty config. */
static pa_status load(char *path, int user, pa_config **out, pa_error *err)
{
	pa_buf text = PA_BUF_INIT;
	pa_status st;

	st = pa_file_read_limited(path, PA_CONFIG_MAX_BYTES, 0, &text, err);
	if (st == PA_ERR_NOT_FOUND) {
		Pa_error_clear(err);
		pa_buf_release(&text);
		free(path);
		*out = Pa_xcalloc(1, sizeof(**out));
		(*out)->load_managed = (*out)->load_user = (*out)->load_ancestors = -1;
		(*out)->approve_imports = -1;
		(*out)->auto_memory = -1;
		(*out)->user = user;
		return PA_OK;
	}
	if (st == PA_OK)
		st = parse(text.ptr, text.len, path, user, out, err);
	pa_buf_release(&text);
	free(path);
	return st;
}

pa_status pa_config_load(const char *root, pa_config **out, pa_error *err)
{
	char *path = Pa_xmalloc(strlen(root) + sizeof(PA_CONFIG_FILE) + 2);

	*out = NULL;
	sprintf(path, "%s/%s", root, PA_CONFIG_FILE);
	return load(path, 0, out, err);
}

pa_status pa_config_load_user(const char *path, pa_config **out, pa_error *err)
{
	*out = NULL;
	return load(Pa_xstrdup(path), 1, out, err);
}

char *pa_config_user_file(const char *xdg, const char *home)
{
	char *path;

	/* The XDG Base Directory rule: a relative XDG_CONFIG_HOME is ignored. */
	if (xdg && xdg[0] == '/') {
		path = Pa_xmalloc(strlen(xdg) + sizeof("/promptasm/config.yaml"));
		sprintf(path, "%s/promptasm/config.yaml", xdg);
		return path;
	}
	if (!home || !home[0])
		return NULL;
	path = Pa_xmalloc(strlen(home) + sizeof("/.config/promptasm/config.yaml"));
	sprintf(path, "%s/.config/promptasm/config.yaml", home);
	return path;
}

const pa_warnings *pa_config_warnings(const pa_config *c)
{
	return &c->refused;
}

const char *pa_config_file(const pa_config *c) { return c->file; }
const char *pa_config_tokenizer(const pa_config *c) { return c->tokenizer; }
const char *pa_config_model(const pa_config *c) { return c->model; }
size_t pa_config_harness(const pa_config *c, const pa_harness_id **ids)
{
	if (ids)
		*ids = c ? c->harness : NULL;
	return c ? c->n_harness : 0;
}

const char *pa_config_harness_setting(const pa_config *c, pa_harness_id id,
                                      const char *key)
{
	if (!c || (unsigned)id >= PA_HARNESS_COUNT || !key)
		return NULL;
	if (!strcmp(key, "version"))
		return c->harness_version[id];
	if (!strcmp(key, "profile"))
		return c->harness_profile[id];
	return NULL;
}

pa_budget_scope pa_config_budget_scope(const pa_config *c) { return c->scope; }

const char *pa_config_setting(const pa_config *c, const char *key)
{
	const config_key *k = find_key(top_keys, key);

	/* The keys the library checks and keeps for the program. */
	if (!c || !k || (k->type != KEY_TEXT && k->type != KEY_SETTING &&
	                 k->type != KEY_GROWTH))
		return NULL;
	return *(char *const *)((const char *)c + k->field);
}

int pa_config_main_budget(const pa_config *c, const char *part, size_t *budget)
{
	size_t i;

	for (i = 0; c && i < c->n_main; i++)
		if (!strcmp(c->main_budgets[i].pattern, part)) {
			*budget = c->main_budgets[i].budget;
			return 1;
		}
	return 0;
}

int pa_config_entry_at(const pa_config *c, const char *table, const char *name,
                       long *line, long *column)
{
	const agent_budget *t = NULL;
	size_t i, n = 0;

	if (c && !strcmp(table, "budgets")) {
		t = c->budgets;
		n = c->n_budgets;
	} else if (c && !strcmp(table, "instructions")) {
		t = c->instructions;
		n = c->n_instructions;
	} else if (c && !strcmp(table, "main")) {
		t = c->main_budgets;
		n = c->n_main;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(t[i].pattern, name)) {
			*line = t[i].line;
			*column = t[i].column;
			return 1;
		}
	return 0;
}

int pa_config_budget(const pa_config *c, const char *agent, size_t *budget)
{
	size_t i;

	for (i = 0; agent && i < c->n_budgets; i++) {
		if (!strcmp(c->budgets[i].pattern, agent)) {
			*budget = c->budgets[i].budget;
			return 1;
		}
	}
	for (i = 0; agent && i < c->n_budgets; i++) {
		if (fnmatch(c->budgets[i].pattern, agent, 0) == 0) {
			*budget = c->budgets[i].budget;
			return 1;
		}
	}
	if (c->has_budget) {
		*budget = c->budget;
		return 1;
	}
	return 0;
}

void pa_config_trim_spec(const pa_config *c, pa_trim_spec *spec)
{
	if (c->has_margin)
		spec->margin = c->margin;
	if (c->has_reserve)
		spec->reserve = c->reserve;
	if (c->has_trim_body)
		spec->trim_body = c->trim_body;
	spec->rules = c->rules;
	spec->n_rules = c->n_rules;
}

void pa_config_compose_options(const pa_config *c, pa_compose_options *opt)
{
	if (c->load_managed == 0)
		opt->no_managed = 1;
	if (c->load_user == 0)
		opt->no_user = 1;
	if (c->load_ancestors == 0)
		opt->no_ancestors = 1;
	if (c->approve_imports == 1)
		opt->approve_imports = 1;
	if (c->trust == 1)
		opt->trust = 1;
	if (c->auto_memory == 0)
		opt->no_auto_memory = 1;
	if (c->has_max_entries && !opt->max_entries && c->max_entries)
		opt->max_entries = c->max_entries;
}

size_t pa_config_budget_count(const pa_config *c)
{
	return c ? c->n_budgets : 0;
}

const char *pa_config_budget_pattern(const pa_config *c, size_t i)
{
	return c && i < c->n_budgets ? c->budgets[i].pattern : NULL;
}

size_t pa_config_instruction_count(const pa_config *c)
{
	return c ? c->n_instructions : 0;
}

const char *pa_config_instruction_glob(const pa_config *c, size_t i)
{
	return c && i < c->n_instructions ? c->instructions[i].pattern : NULL;
}

int pa_config_instruction_matches(const pa_config *c, size_t i,
                                  pa_section_kind kind, const char *path)
{
	pa_section_rule r;

	if (!c || i >= c->n_instructions)
		return 0;
	memset(&r, 0, sizeof(r));
	r.match = c->instructions[i].pattern;
	r.instructions_only = 1;
	return pa_section_rule_matches(&r, kind, path);
}

long pa_config_instruction_cap(const pa_config *c, pa_section_kind kind,
                               const char *path)
{
	long cap = PA_UNSET;
	size_t i;

	for (i = 0; i < c->n_instructions; i++) {
		pa_section_rule r;
		memset(&r, 0, sizeof(r));
		r.match = c->instructions[i].pattern;
		r.instructions_only = 1;
		if (pa_section_rule_matches(&r, kind, path))
			cap = (long)c->instructions[i].budget;
	}
	return cap;
}
