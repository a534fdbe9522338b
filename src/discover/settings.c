/*
 * settings.c - Claude Code's settings files, read strictly and merged
 * (discover.h says which files, in what order, and how they merge).
 *
 * Strictness as 2.1.332 measured (fixtures settings-*): the file must be
 * strict JSON (util's reader: one JSON reader in the program) and an
 * object; a key of the table below whose value is of another type drops
 * the file whole, as the schema Claude Code validates settings with
 * does.  Keys outside the table are not looked at.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"
#include "files.h"
#include "base/glob.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How Claude Code takes its settings files: a byte order mark skipped, a
 * file it cannot read or parse warned about and left out; a managed one
 * that does not parse stops it before any request (fixtures
 * managed-invalid*). */
static const Pa_cfg_rule settings_rule = {
	"settings.json", "Claude Code", 4 * PA_CFG_MiB, 1, PA_CFG_QUIET, PA_CFG_WARN,
	PA_CFG_WARN, PA_CFG_JSON
};
static const Pa_cfg_rule managed_rule = {
	"managed-settings.json", "Claude Code", 4 * PA_CFG_MiB, 1, PA_CFG_QUIET,
	PA_CFG_WARN, PA_CFG_REFUSE, PA_CFG_JSON
};

typedef enum key_type {
	T_STRING,
	T_BOOL,
	T_NUMBER,
	T_OBJECT,
	T_STRINGS,     /* an array of strings */
	T_BOOL_MAP,    /* enabledPlugins: an object of booleans or arrays */
	T_OVERRIDES    /* skillOverrides: an object of override_values */
} key_type;

/* The values of skillOverrides, in the order of Pa_cc_override_value. */
static const char *const override_values[] = { "on", "name-only",
                                               "user-invocable-only", "off" };
#define N_OVERRIDE_VALUES (sizeof(override_values) / sizeof(override_values[0]))

/* The Pa_cc_override_value the string v names, or -1: compared whole, so
 * that "off" and a NUL is not "off" (fixture
 * settings-nul-skill-override-value). */
static int override_value(const Pa_jnode *v)
{
	size_t k;

	for (k = 0; v->type == PA_JSON_STRING && k < N_OVERRIDE_VALUES; k++)
		if (strlen(override_values[k]) == v->len &&
		    !memcmp(v->text, override_values[k], v->len))
			return (int)k;
	return -1;
}

typedef struct known_key {
	const char *path; /* "a.b": key b of object a */
	key_type type;
} known_key;

/* The keys whose type is checked, each measured to drop its file when of
 * another type (fixtures settings-strict-*): a string for allow, an
 * object for deny, a number for model or outputStyle, a string for
 * includeCoAuthoredBy or autoMemoryEnabled or claudeMdExcludes, a number
 * in enabledPlugins, a value of skillOverrides none of its four (its
 * string compared whole, a NUL included), an array for the whole file.
 * Measured not to drop it: a number in env (taken as its text), hooks as an array, a key
 * Claude Code does not know.  The rest of permissions, autoMemoryDirectory
 * and claudeMd are held to the type of their siblings. */
static const known_key known[] = {
	{ "permissions", T_OBJECT },
	{ "permissions.allow", T_STRINGS },
	{ "permissions.deny", T_STRINGS },
	{ "permissions.ask", T_STRINGS },
	{ "permissions.additionalDirectories", T_STRINGS },
	{ "env", T_OBJECT },
	{ "model", T_STRING },
	{ "outputStyle", T_STRING },
	{ "includeCoAuthoredBy", T_BOOL },
	{ "claudeMdExcludes", T_STRINGS },
	{ "autoMemoryEnabled", T_BOOL },
	{ "autoMemoryDirectory", T_STRING },
	{ "enabledPlugins", T_BOOL_MAP },
	{ "claudeMd", T_STRING },
	{ "skillOverrides", T_OVERRIDES },
};

static int is_strings(const Pa_jnode *v)
{
	size_t i;

	if (v->type != PA_JSON_ARRAY)
		return 0;
	for (i = 0; i < v->n; i++)
		if (v->items[i]->type != PA_JSON_STRING)
			return 0;
	return 1;
}

static int has_type(const Pa_jnode *v, key_type t)
{
	size_t i;

	switch (t) {
	case T_STRING: return v->type == PA_JSON_STRING;
	case T_BOOL: return v->type == PA_JSON_TRUE || v->type == PA_JSON_FALSE;
	case T_NUMBER: return v->type == PA_JSON_NUMBER;
	case T_OBJECT: return v->type == PA_JSON_OBJECT;
	case T_STRINGS: return is_strings(v);
	case T_BOOL_MAP:
		if (v->type != PA_JSON_OBJECT)
			return 0;
		for (i = 0; i < v->n; i++)
			if (v->items[i]->type != PA_JSON_TRUE &&
			    v->items[i]->type != PA_JSON_FALSE &&
			    !is_strings(v->items[i]))
				return 0;
		return 1;
	case T_OVERRIDES:
		/* Not an object: not measured, and not read, as before. */
		if (v->type != PA_JSON_OBJECT)
			return 1;
		for (i = 0; i < v->n; i++)
			if (override_value(v->items[i]) < 0)
				return 0;
		return 1;
	}
	return 0;
}

/* The value at path "a" or "a.b" of root, or NULL. */
static const Pa_jnode *at(const Pa_jnode *root, const char *path)
{
	const char *dot = strchr(path, '.');
	char head[64];
	const Pa_jnode *v;

	if (!dot)
		return Pa_jnode_get(root, path);
	if ((size_t)(dot - path) >= sizeof(head))
		return NULL;
	memcpy(head, path, (size_t)(dot - path));
	head[dot - path] = '\0';
	v = Pa_jnode_get(root, head);
	return v && v->type == PA_JSON_OBJECT ? Pa_jnode_get(v, dot + 1) : NULL;
}

/* The first known key of the wrong type, or NULL. */
static const known_key *wrong_key(const Pa_jnode *root)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const Pa_jnode *v = at(root, known[i].path);
		if (v && !has_type(v, known[i].type))
			return &known[i];
	}
	return NULL;
}

/* ---- a NUL in a string ----
 *
 * A string may hold a NUL, written as the JSON escape \u0000.  Claude
 * Code keeps it as a character of the value (fixtures settings-nul-*,
 * settings-model-nul*, one for each kind of value read here; a server's
 * name of deniedMcpServers was not measured and is taken alike): the
 * value then names no tool, file, directory, style, skill, plugin or
 * variable, a text is sent whole, and a model's name is sent with it.  promptasm's strings end at a NUL,
 * so such a value is never taken as the text before it: each reader
 * below does what Claude Code's lookups do with it, and says so. */

/* 1 when the string v holds a NUL. */
static int holds_nul(const Pa_jnode *v)
{
	return v->type == PA_JSON_STRING && memchr(v->text, '\0', v->len) != NULL;
}

/* Warns that what holds a NUL, at v, and what follows ("it denies no
 * tool"); what is a kind of value, then the value, quoted (s, len). */
static void warn_nul(Pa_cc_config *c, const char *shown, const Pa_jnode *v,
                     const char *what, const char *s, size_t len,
                     const char *follows)
{
	pa_buf q = PA_BUF_INIT;

	Pa_quote(&q, s, len);
	Pa_warn_at(&c->warn, shown, v->line, "%s:%ld:%ld: %s %s holds a NUL "
	           "character (\\u0000), which Claude Code keeps in it: %s, and "
	           "so do we", shown, v->line, v->column, what, q.ptr, follows);
	pa_buf_release(&q);
}

/* ---- merging ---- */

static void add_string(char ***list, size_t *n, const char *s)
{
	*list = Pa_xgrow(*list, *n, sizeof(**list));
	(*list)[(*n)++] = Pa_xstrdup(s);
}

static void set_string(char **to, char **from_to, const char *value,
                       const char *from)
{
	free(*to);
	*to = Pa_xstrdup(value);
	if (from_to) {
		free(*from_to);
		*from_to = Pa_xstrdup(from);
	}
}

/* Sets *to to the string v, with its length, NULs and all. */
static void set_text(char **to, size_t *len, const Pa_jnode *v)
{
	free(*to);
	*to = Pa_xmalloc(v->len + 1);
	memcpy(*to, v->text, v->len);
	(*to)[v->len] = '\0';
	*len = v->len;
}

/* Sets env NAME to value, over an earlier value. */
static void set_env(Pa_cc_config *c, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i + 1 < c->n_env; i += 2)
		if (!strcmp(c->env[i], name)) {
			free(c->env[i + 1]);
			c->env[i + 1] = Pa_xstrdup(value);
			return;
		}
	add_string(&c->env, &c->n_env, name);
	add_string(&c->env, &c->n_env, value);
}

/* enabledPlugins of every level, before they are merged: each key in the
 * order read.  Only true turns a plugin on: a value that is an array
 * ([] or a list of versions) leaves it off (fixture
 * plugin-install-records). */
typedef struct enabled_raw {
	Pa_cc_enabled *e;
	size_t n;
} enabled_raw;

static void read_enabled(Pa_cc_config *c, const char *shown, enabled_raw *raw,
                         const Pa_jnode *map)
{
	size_t i;

	for (i = 0; i < map->n; i++) {
		Pa_cc_enabled *e;

		/* Fixture settings-nul-plugins. */
		if (memchr(map->keys[i], '\0', map->key_lens[i])) {
			warn_nul(c, shown, map->items[i], "the enabledPlugins id",
			         map->keys[i], map->key_lens[i], "it names no plugin");
			continue;
		}
		raw->e = Pa_xgrow(raw->e, raw->n, sizeof(*raw->e));
		e = &raw->e[raw->n];
		e->id = Pa_xstrndup(map->keys[i], map->key_lens[i]);
		e->on = map->items[i]->type == PA_JSON_TRUE;
		e->order = raw->n++;
	}
}

static int by_id_then_order(const void *a, const void *b)
{
	const Pa_cc_enabled *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* One entry per id, its value the last one read, its order the first;
 * sorted by id for lookups: n log n for any number of keys. */
static void merge_enabled(Pa_cc_config *c, enabled_raw *raw)
{
	size_t i, j = 0;

	if (!raw->n)
		return;
	qsort(raw->e, raw->n, sizeof(*raw->e), by_id_then_order);
	for (i = 0; i < raw->n; i++) {
		if (j && !strcmp(raw->e[j - 1].id, raw->e[i].id)) {
			raw->e[j - 1].on = raw->e[i].on;
			free(raw->e[i].id);
			continue;
		}
		raw->e[j++] = raw->e[i];
	}
	c->enabled = raw->e;
	c->n_enabled = j;
	raw->e = NULL;
	raw->n = 0;
}

static int cmp_enabled_id(const void *key, const void *elem)
{
	return strcmp(key, ((const Pa_cc_enabled *)elem)->id);
}

int Pa_cc_plugin_enabled(const Pa_cc_config *c, const char *id)
{
	const Pa_cc_enabled *e;

	if (!c || !c->n_enabled)
		return -1;
	e = bsearch(id, c->enabled, c->n_enabled, sizeof(*c->enabled),
	            cmp_enabled_id);
	return e ? e->on : -1;
}

/* `~/` is the home directory; a path that is neither absolute nor under
 * `~/` is ignored, as Claude Code ignores it (the default is used). */
static char *expand_dir(const char *dir, const Pa_places *pl)
{
	if (dir[0] == '~' && (dir[1] == '/' || dir[1] == '\0')) {
		if (!pl->home)
			return NULL;
		return Pa_path_normalize(pl->home, dir[1] ? dir + 2 : ".");
	}
	if (dir[0] == '/')
		return Pa_path_normalize("/", dir);
	return NULL;
}

/* A deny rule of the Agent tool (or Task, its old name) keeps agents
 * from running, which promptasm still composes: whole, Claude Code's main
 * session gets no Agent tool; as Agent(NAME), agent NAME is not listed
 * (measured: fixtures settings-deny-task, settings-deny-agent-rule). */
static void warn_denied_agent(Pa_cc_config *c, const char *shown,
                              const Pa_jnode *rule)
{
	const char *r = rule->text, *arg = NULL;
	size_t n = !strncmp(r, "Agent", 5) ? 5 : !strncmp(r, "Task", 4) ? 4 : 0;
	pa_buf q = PA_BUF_INIT, name = PA_BUF_INIT;

	if (!n || (r[n] && r[n] != '('))
		return;
	Pa_quote_str(&q, r);
	if (r[n] == '(') {
		arg = r + n + 1;
		Pa_quote(&name, arg, strcspn(arg, ")"));
		Pa_warn_at(&c->warn, shown, rule->line, "%s:%ld:%ld: permissions.deny "
		           "holds %s: Claude Code neither lists nor runs agent %s",
		           shown, rule->line, rule->column, q.ptr, name.ptr);
	} else {
		Pa_warn_at(&c->warn, shown, rule->line, "%s:%ld:%ld: permissions.deny "
		           "holds %s: Claude Code runs no agent (its main session "
		           "gets no Agent tool)", shown, rule->line, rule->column, q.ptr);
	}
	pa_buf_release(&q);
	pa_buf_release(&name);
}

/* Removes the member at path "a" or "a.b" of root (a managed file's key
 * of the wrong type, which Claude Code ignores alone). */
static void drop_key(Pa_jnode *root, const char *path)
{
	const char *dot = strchr(path, '.');
	Pa_jnode *obj = root;
	const char *key = path;
	size_t i, n;

	if (dot) {
		for (i = 0, obj = NULL; i < root->n; i++)
			if (root->key_lens[i] == (size_t)(dot - path) &&
			    !memcmp(root->keys[i], path, root->key_lens[i]))
				obj = root->items[i];
		if (!obj || obj->type != PA_JSON_OBJECT)
			return;
		key = dot + 1;
	}
	n = strlen(key);
	for (i = 0; i < obj->n; i++)
		if (obj->key_lens[i] == n && !memcmp(obj->keys[i], key, n))
			break;
	if (i == obj->n)
		return;
	Pa_jnode_free(obj->items[i]);
	free(obj->keys[i]);
	memmove(&obj->items[i], &obj->items[i + 1], (obj->n - i - 1) * sizeof(*obj->items));
	memmove(&obj->keys[i], &obj->keys[i + 1], (obj->n - i - 1) * sizeof(*obj->keys));
	memmove(&obj->key_lens[i], &obj->key_lens[i + 1],
	        (obj->n - i - 1) * sizeof(*obj->key_lens));
	obj->n--;
}

/* A managed settings file: read as Claude Code reads it, which exits
 * when it does not parse (c->status then says why). */
static Pa_jnode *read_managed(Pa_cc_config *c, const char *path)
{
	Pa_cfg_json j;
	pa_error e;

	Pa_cc_note_input(c, path);
	if (Pa_cfg_json_read(&managed_rule, path, path, NULL, &j, &c->warn,
	                     &e) != PA_OK) {
		c->status = e.status;
		c->err = e;
		/* past a limit of promptasm's reader the file may be JSON that
		 * Claude Code reads: not to be called invalid */
		if (e.status == PA_ERR_TOO_LARGE)
			snprintf(c->err.message, sizeof(c->err.message), "cannot read "
			         "the managed settings file (Claude Code reads it): "
			         "%.400s", e.message);
		else
			snprintf(c->err.message, sizeof(c->err.message), "managed "
			         "settings file is not valid JSON (Claude Code exits "
			         "before any request): %.400s", e.message);
		return NULL;
	}
	return j.own;
}

/* skillOverrides, of the type the table above holds it to: each value
 * one of the four.  A skill's name holding a NUL names no skill (fixture
 * settings-nul-skill-override-name). */
static void read_overrides(Pa_cc_config *c, const Pa_jnode *map,
                           Pa_cc_level level, const char *shown)
{
	size_t i;

	for (i = 0; i < map->n; i++) {
		Pa_cc_override *o;

		if (memchr(map->keys[i], '\0', map->key_lens[i])) {
			warn_nul(c, shown, map->items[i], "the skillOverrides name",
			         map->keys[i], map->key_lens[i], "it names no skill");
			continue;
		}
		c->overrides = Pa_xgrow(c->overrides, c->n_overrides,
		                        sizeof(*c->overrides));
		o = &c->overrides[c->n_overrides++];
		o->name = Pa_xstrndup(map->keys[i], map->key_lens[i]);
		o->value = (Pa_cc_override_value)override_value(map->items[i]);
		o->level = level;
	}
}

Pa_cc_override_value Pa_cc_skill_override(const Pa_cc_config *c,
                                          const char *name)
{
	static const Pa_cc_level order[] = { PA_CC_MANAGED, PA_CC_LOCAL,
	                                     PA_CC_PROJECT, PA_CC_USER };
	size_t i, k;

	for (k = 0; c && k < 4; k++) {
		/* The managed files merge key by key, the later winning. */
		for (i = c->n_overrides; i-- > 0;)
			if (c->overrides[i].level == order[k] &&
			    !strcmp(c->overrides[i].name, name))
				return c->overrides[i].value;
	}
	return PA_CC_SKILL_ON;
}

static void read_level(Pa_cc_config *c, const char *path, Pa_cc_level level,
                       const Pa_places *pl, int approved, enabled_raw *raw)
{
	int managed = level == PA_CC_MANAGED;
	char *shown = managed ? Pa_xstrdup(path)
	                      : Pa_path_display(path, pl->root, pl->home);
	Pa_jnode *root = NULL;
	const known_key *bad;
	const Pa_jnode *v;
	char *real = managed ? NULL : Pa_project_realpath(path);
	const char *why = real ? Pa_places_refusal(pl, path, real, approved) : NULL;
	size_t i;

	/* A settings file is held to the place it lies in, as an instruction
	 * file is: the project's may not be a link to the user's. */
	free(real);
	if (why) {
		Pa_warn_at(&c->warn, shown, 0, "%s: skipped: %s", shown, why);
		goto done;
	}
	root = managed ? read_managed(c, path)
	               : Pa_cc_read_json(c, path, &settings_rule, shown);
	if (!root)
		goto done;
	if (root->type != PA_JSON_OBJECT) {
		Pa_warn_at(&c->warn, shown, 0, "%s is not a JSON object: Claude Code "
		           "ignores it, and so do we", shown);
		goto done;
	}
	/* A managed file keeps the rest of its keys (fixture
	 * managed-invalid-type); any other is dropped whole. */
	while ((bad = wrong_key(root)) != NULL) {
		v = at(root, bad->path);
		Pa_warn_at(&c->warn, shown, v->line, "%s:%ld:%ld: `%s` is not of the "
		           "type Claude Code's settings give it: Claude Code ignores "
		           "%s, and so do we", shown, v->line, v->column, bad->path,
		           managed ? "that key" : "the whole file");
		if (!managed)
			goto done;
		drop_key(root, bad->path);
	}
	free(c->files[level]);
	c->files[level] = Pa_xstrdup(path);
	v = Pa_jnode_get(root, "claudeMdExcludes");
	for (i = 0; v && i < v->n; i++) {
		if (!v->items[i]->len)
			continue;
		/* Fixture settings-nul-excludes. */
		if (holds_nul(v->items[i])) {
			warn_nul(c, shown, v->items[i], "the claudeMdExcludes pattern",
			         v->items[i]->text, v->items[i]->len, "it matches no file");
			continue;
		}
		/* Every instruction file is matched against every pattern:
		 * past the limit, what Claude Code leaves out may be counted. */
		if (c->n_excludes >= PA_SETTINGS_MAX_EXCLUDES) {
			char limit[160];

			snprintf(limit, sizeof(limit), "claudeMdExcludes holds more than %d "
			         "patterns; the rest are not read", PA_SETTINGS_MAX_EXCLUDES);
			Pa_warn_incomplete(&c->warn, shown, limit);
			break;
		}
		c->excludes = Pa_xgrow(c->excludes, c->n_excludes,
		                       sizeof(*c->excludes));
		c->exclude_from = Pa_xgrow(c->exclude_from, c->n_excludes,
		                           sizeof(*c->exclude_from));
		c->excludes[c->n_excludes] = Pa_xstrdup(v->items[i]->text);
		c->exclude_from[c->n_excludes++] = Pa_xstrdup(shown);
	}
	v = at(root, "permissions.deny");
	for (i = 0; v && i < v->n; i++) {
		/* Fixture settings-nul-deny. */
		if (holds_nul(v->items[i])) {
			warn_nul(c, shown, v->items[i], "the permissions.deny rule",
			         v->items[i]->text, v->items[i]->len, "it denies no tool");
			continue;
		}
		add_string(&c->deny, &c->n_deny, v->items[i]->text);
		warn_denied_agent(c, shown, v->items[i]);
	}
	if ((v = Pa_jnode_get(root, "autoMemoryEnabled")) != NULL)
		c->auto_memory = v->type == PA_JSON_TRUE;
	v = Pa_jnode_get(root, "autoMemoryDirectory");
	if (v && holds_nul(v)) {
		/* Over the directory a file before it named (fixtures
		 * settings-nul-automem-dir, settings-nul-automem-dir-levels). */
		warn_nul(c, shown, v, "autoMemoryDirectory", v->text, v->len,
		         "no directory has that name, and the default one is used");
		free(c->auto_memory_dir);
		free(c->auto_memory_dir_from);
		c->auto_memory_dir = NULL;
		c->auto_memory_dir_from = NULL;
	} else if (v && v->text[0]) {
		char *dir = expand_dir(v->text, pl);
		if (dir) {
			free(c->auto_memory_dir);
			free(c->auto_memory_dir_from);
			c->auto_memory_dir = dir;
			c->auto_memory_dir_from = Pa_xstrdup(shown);
			c->auto_memory_dir_level = level;
		} else {
			Pa_warn_at(&c->warn, shown, v->line, "%s: autoMemoryDirectory %s "
			           "is relative: Claude Code ignores it (the default "
			           "directory is used), and so do we", shown, v->text);
		}
	}
	if ((v = Pa_jnode_get(root, "model")) != NULL && holds_nul(v)) {
		/* Claude Code sends the name as written, NUL and all, which
		 * no model has (fixtures settings-model-nul,
		 * settings-model-nul-alias): nothing to compose for. */
		pa_buf q = PA_BUF_INIT;

		Pa_quote(&q, v->text, v->len);
		c->status = PA_ERR_INVALID;
		Pa_error_set(&c->err, PA_ERR_INVALID, shown, v->line, v->column,
		             "model %s holds a NUL character (\\u0000), which Claude "
		             "Code sends as part of the model's name: no model has it",
		             q.ptr);
		pa_buf_release(&q);
		goto done;
	}
	if (v && v->len > PA_MODEL_NAME_MAX) {
		/* every row of a report names it: refused, as a NUL is */
		Pa_warn_incomplete_at(&c->warn, shown, v->line, "model is longer than "
		                      PA_TEXT(PA_MODEL_NAME_MAX) " bytes: no model "
		                      "has such a name");
	} else if (v && v->text[0])
		set_string(&c->model, &c->model_from, v->text, shown);
	if ((v = Pa_jnode_get(root, "outputStyle")) != NULL && holds_nul(v)) {
		/* Over the style a file before it named (context fixture
		 * ctx-settings-output-style-nul). */
		warn_nul(c, shown, v, "outputStyle", v->text, v->len,
		         "no style has that name, and the default one is used");
		free(c->output_style);
		c->output_style = NULL;
	} else if (v && v->text[0]) {
		set_string(&c->output_style, NULL, v->text, shown);
	}
	if ((v = Pa_jnode_get(root, "includeCoAuthoredBy")) != NULL)
		c->co_authored_by = v->type == PA_JSON_TRUE;
	/* Read where of their type; not measured to drop a file. */
	v = Pa_jnode_get(root, "includeGitInstructions");
	if (v && (v->type == PA_JSON_TRUE || v->type == PA_JSON_FALSE))
		c->git_instructions = v->type == PA_JSON_TRUE;
	v = Pa_jnode_get(root, "skillListingBudgetFraction");
	if (v && v->type == PA_JSON_NUMBER) {
		double f = strtod(v->text, NULL);
		if (f > 0 && f <= 1)
			c->skill_listing_fraction = f;
	}
	v = Pa_jnode_get(root, "skillListingMaxDescChars");
	if (v && v->type == PA_JSON_NUMBER) {
		double m = strtod(v->text, NULL);
		if (m >= 1 && m <= 1e6)
			c->skill_listing_max_desc = (long)m;
	}
	v = Pa_jnode_get(root, "disableBundledSkills");
	if (v && (v->type == PA_JSON_TRUE || v->type == PA_JSON_FALSE))
		c->bundled_skills = v->type == PA_JSON_FALSE;
	if ((v = Pa_jnode_get(root, "attribution")) != NULL &&
	    v->type == PA_JSON_OBJECT) {
		const Pa_jnode *t;
		/* Sent whole, a NUL too (fixture settings-nul-attribution). */
		if ((t = Pa_jnode_get(v, "commit")) != NULL && t->type == PA_JSON_STRING)
			set_text(&c->attribution_commit, &c->attribution_commit_len, t);
		if ((t = Pa_jnode_get(v, "pr")) != NULL && t->type == PA_JSON_STRING)
			set_text(&c->attribution_pr, &c->attribution_pr_len, t);
	}
	/* A value that is a number or a boolean is its text, as the
	 * environment would hold it; an object, an array or null is not
	 * set. */
	if ((v = Pa_jnode_get(root, "env")) != NULL)
		for (i = 0; i < v->n; i++) {
			const Pa_jnode *x = v->items[i];
			const char *text = x->type == PA_JSON_STRING || x->type == PA_JSON_NUMBER
			                   ? x->text : x->type == PA_JSON_TRUE ? "true"
			                   : x->type == PA_JSON_FALSE ? "false" : NULL;
			char *name;
			if (!text)
				continue;
			/* Not set: the variable keeps the value it had
			 * (fixtures settings-nul-env-*). */
			if (memchr(v->keys[i], '\0', v->key_lens[i])) {
				warn_nul(c, shown, x, "the env variable", v->keys[i],
				         v->key_lens[i], "it is not set");
				continue;
			}
			if (holds_nul(x)) {
				warn_nul(c, shown, x, "the env value", x->text, x->len,
				         "its variable is not set");
				continue;
			}
			name = Pa_xstrndup(v->keys[i], v->key_lens[i]);
			set_env(c, name, text);
			free(name);
		}
	if ((v = Pa_jnode_get(root, "skillOverrides")) != NULL &&
	    v->type == PA_JSON_OBJECT)
		read_overrides(c, v, level, shown);
	/* Managed last: its enabledPlugins win (fixture managed-plugins). */
	if ((v = Pa_jnode_get(root, "enabledPlugins")) != NULL)
		read_enabled(c, shown, raw, v);
	/* The managed deniedMcpServers: a server named there is not
	 * started (context fixture ctx-managed-denied-mcp). */
	v = managed ? Pa_jnode_get(root, "deniedMcpServers") : NULL;
	for (i = 0; v && v->type == PA_JSON_ARRAY && i < v->n; i++) {
		const Pa_jnode *n = v->items[i]->type == PA_JSON_OBJECT
		                    ? Pa_jnode_get(v->items[i], "serverName") : NULL;
		if (n && holds_nul(n))
			warn_nul(c, shown, n, "the deniedMcpServers name", n->text,
			         n->len, "it names no server");
		else if (n && n->type == PA_JSON_STRING)
			add_string(&c->mcp_denied, &c->n_mcp_denied, n->text);
	}
	/* Sent whole, a NUL too (fixture settings-nul-managed-claudemd). */
	if (managed && (v = Pa_jnode_get(root, "claudeMd")) != NULL) {
		set_text(&c->policy_text, &c->policy_text_len, v);
		set_string(&c->policy_from, NULL, path, NULL);
	}
	Pa_cc_read_hooks(c, root, shown, managed);
done:
	Pa_jnode_free(root);
	free(shown);
}

/* managed-settings.d/ beside managed-settings.json: each `*.json` not
 * starting with `.`, in name order (byte order), over it (fixture
 * managed-dropins).  Stops at the first that does not parse. */
static void read_dropins(Pa_cc_config *c, const char *dir, const Pa_places *pl,
                         int approved, enabled_raw *raw)
{
	char *d = Pa_path_join(dir, "managed-settings.d");
	size_t all = 0, n, i;
	char **names = Pa_project_list(d, PA_WALK_MAX_ENTRIES + 1, &all);

	n = all;
	if (n > PA_WALK_MAX_ENTRIES) {
		char why[128];

		snprintf(why, sizeof(why), "more than %d entries; the rest are not "
		         "read", PA_WALK_MAX_ENTRIES);
		Pa_warn_incomplete(&c->warn, d, why);
		n = PA_WALK_MAX_ENTRIES;
	}
	for (i = 0; i < n && c->status == PA_OK; i++) {
		size_t len = strlen(names[i]);
		char *path;

		if (len <= 5 || strcmp(names[i] + len - 5, ".json"))
			continue;
		path = Pa_path_join(d, names[i]);
		read_level(c, path, PA_CC_MANAGED, pl, approved, raw);
		free(path);
	}
	Pa_strings_free(names, all);
	free(d);
}

void Pa_cc_read_settings(Pa_cc_config *c, const pa_compose_options *opt,
                         const Pa_places *pl)
{
	enabled_raw raw = { NULL, 0 };
	char *path;
	size_t i;

	/* The options' environment first; the settings' env over it. */
	for (i = 0; opt->env && opt->env[i]; i++) {
		const char *eq = strchr(opt->env[i], '=');
		char *name;
		if (!eq || eq == opt->env[i])
			continue;
		name = Pa_xstrndup(opt->env[i], (size_t)(eq - opt->env[i]));
		set_env(c, name, eq + 1);
		free(name);
	}
	if (!opt->no_user && pl->user) {
		path = Pa_path_join(pl->user, "settings.json");
		read_level(c, path, PA_CC_USER, pl, opt->approve_imports, &raw);
		free(path);
	}
	path = Pa_path_join(pl->cwd, ".claude/settings.json");
	read_level(c, path, PA_CC_PROJECT, pl, opt->approve_imports, &raw);
	free(path);
	path = Pa_path_join(pl->cwd, ".claude/settings.local.json");
	read_level(c, path, PA_CC_LOCAL, pl, opt->approve_imports, &raw);
	free(path);
	if (!opt->no_managed) {
		char *file = Pa_path_normalize(pl->cwd, opt->managed_file
		                               ? opt->managed_file : PA_MANAGED_FILE);
		char *dir = Pa_path_dirname(file);
		path = Pa_path_join(dir, "managed-settings.json");
		read_level(c, path, PA_CC_MANAGED, pl, opt->approve_imports, &raw);
		free(path);
		read_dropins(c, dir, pl, opt->approve_imports, &raw);
		c->managed_dir = dir;
		free(file);
	}
	merge_enabled(c, &raw);
	Pa_cc_hooks_done(c);
}

const char *Pa_cc_getenv(const Pa_cc_config *c, const char *name)
{
	size_t i;

	for (i = 0; c && i + 1 < c->n_env; i += 2)
		if (!strcmp(c->env[i], name))
			return c->env[i + 1];
	return NULL;
}

int Pa_cc_env_true(const Pa_cc_config *c, const char *name)
{
	return Pa_env_value_true(Pa_cc_getenv(c, name));
}

int Pa_cc_bundled_skills_off(const Pa_cc_config *c)
{
	return c && (c->bundled_skills == 0 ||
	             Pa_cc_env_true(c, "CLAUDE_CODE_DISABLE_BUNDLED_SKILLS"));
}

size_t Pa_cc_skill_listing_budget(const Pa_cc_config *c, size_t window)
{
	const char *v = c ? Pa_cc_getenv(c, "SLASH_COMMAND_TOOL_CHAR_BUDGET") : NULL;
	double f = c && c->skill_listing_fraction > 0 ? c->skill_listing_fraction : 0.01;

	if (v && *v && strspn(v, "0123456789") == strlen(v) && strlen(v) <= 9 && atol(v) > 0)
		return (size_t)atol(v);
	if (!window)
		return 0;
	/* Four characters a token of the window, which counts as 750,000
	 * tokens for a model of 1,000,000 (measured: 30,000 characters on
	 * claude-opus-5-5, 8,000 on claude-sonnet-4-5). */
	if (window > 750000)
		window = 750000;
	return (size_t)((double)window * f * 4);
}

int Pa_cc_git_instructions_off(const Pa_cc_config *c)
{
	return c && (c->git_instructions == 0 ||
	             Pa_cc_env_true(c, "CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS"));
}

int Pa_cc_attribution(const Pa_cc_config *c)
{
	if (!c || (!c->attribution_commit && !c->attribution_pr))
		return c && c->co_authored_by == 0 ? 0 : 1;
	if (c->attribution_commit_len || c->attribution_pr_len)
		return 2;
	return 0;
}

int Pa_cc_denies_tool(const Pa_cc_config *c, const char *tool)
{
	size_t i;

	for (i = 0; c && i < c->n_deny; i++)
		if (!strcmp(c->deny[i], tool) ||
		    (!strcmp(tool, "Agent") && !strcmp(c->deny[i], "Task")))
			return 1;
	return 0;
}

const char *Pa_cc_denied_agent(const Pa_cc_config *c, const char *name)
{
	static const char *const tools[] = { "Agent", "Task" };
	size_t i, k, n, len = name ? strlen(name) : 0;

	for (i = 0; c && i < c->n_deny; i++) {
		const char *r = c->deny[i];
		for (k = 0; k < sizeof(tools) / sizeof(tools[0]); k++) {
			n = strlen(tools[k]);
			if (strncmp(r, tools[k], n))
				continue;
			if (!r[n])
				return r;
			if (name && r[n] == '(' && !strncmp(r + n + 1, name, len) &&
			    !strcmp(r + n + 1 + len, ")"))
				return r;
		}
	}
	return NULL;
}

/* As picomatch matches a pattern against an absolute path: a pattern
 * that starts with `/` from the root, one that starts with `**` at any
 * depth; any other never (it would have to match the path whole, and
 * the path starts with `/`). */
static int exclude_matches(const char *pattern, const char *path)
{
	if (pattern[0] == '/')
		return Pa_glob_match(pattern + 1, path + 1);
	if (pattern[0] == '*' && pattern[1] == '*' &&
	    (pattern[2] == '/' || pattern[2] == '\0'))
		return Pa_glob_match(pattern, path + 1);
	return 0;
}

const char *Pa_cc_settings_excludes(const Pa_cc_settings *s, const char *path,
                                    const char **from)
{
	size_t i;

	if (!s || path[0] != '/')
		return NULL;
	for (i = 0; i < s->n_excludes; i++)
		if (exclude_matches(s->excludes[i], path)) {
			if (from)
				*from = s->exclude_from[i];
			return s->excludes[i];
		}
	return NULL;
}
