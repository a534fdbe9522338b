/*
 * codex.c - the Codex CLI backend (backend.h): its row, and what Codex
 * CLI reads for a working directory and sends of it, measured on 0.169.0
 * and 0.171.0, which read alike (tests/oracle-harness/, fixtures
 * codex-*.txt; docs/harnesses.md):
 *
 *   - its home: CODEX_HOME, else ~/.codex (CODEX_HOME outside HOME is the
 *     user's choice: read, its files held to it by the link rule);
 *   - its configuration, config.toml there: `model`,
 *     `project_doc_max_bytes` (default 32 KiB),
 *     `project_doc_fallback_filenames` (names read where a directory has
 *     no AGENTS.md), `project_root_markers` (what marks the root in place
 *     of .git; an empty list: the working directory alone),
 *     `developer_instructions` (sent on every request), and
 *     `[projects."PATH"] trust_level`;
 *   - with --profile NAME (promptasm: pa_harness_options.profile),
 *     NAME.config.toml there over it (a missing one is no error);
 *   - Codex refuses to start on `profile = ...` in any of them, on a
 *     [profiles.NAME] table of config.toml when started with --profile
 *     NAME, and on a file that is not TOML: so does promptasm, naming
 *     file, line and column;
 *   - a trusted project (trust_level "trusted" for its root, or
 *     f->trust: the user's --trust): the
 *     .codex/config.toml of each directory from the root to the working
 *     directory, over the user's, the nearest last; an untrusted one
 *     (trust_level "untrusted"): none of the project's files; without
 *     an entry, the project's files but not its configuration;
 *   - the global file: AGENTS.override.md, else (missing or blank)
 *     AGENTS.md, in its home (under no_user neither, nor the user's
 *     developer_instructions);
 *   - from the project root down to the working directory, in each
 *     directory the first of AGENTS.override.md, AGENTS.md and the
 *     fallback names that exists (a blank one too: nothing is then sent
 *     of that directory).
 */
#define _XOPEN_SOURCE 700
#include "services.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Codex's default of project_doc_max_bytes. */
#define CODEX_DOC_MAX_BYTES 32768

/* Codex refuses a config.toml it cannot read or parse. */
static const Pa_cfg_rule config_rule = {
	"config.toml", "Codex CLI", 1 * PA_CFG_MiB, 0, PA_CFG_QUIET, PA_CFG_REFUSE,
	PA_CFG_REFUSE, PA_CFG_TOML
};

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);
static void compose(hx_found *f);

static const char *const files[] = { "AGENTS.override.md", "AGENTS.md", NULL };
static const char *const others[] = { "CLAUDE.md", NULL };

/* Where Codex refuses a file: the first place, with what. */
typedef struct refusal {
	char *file;   /* shown */
	long line, column;
	const char *what;
} refusal;

typedef struct cfg {
	hx_found *f;
	char **fallback;
	size_t n_fallback;
	char **markers;     /* project_root_markers */
	size_t n_markers;
	int has_markers;
	char *dev;          /* developer_instructions */
	size_t dev_len;     /* its bytes (it may hold a NUL, sent too) */
	struct trust {      /* [projects."PATH"] trust_level, as read */
		char *path, *level;
	} *trust;
	size_t n_trust;
	const char *profile;/* --profile NAME, or NULL */
	int user;           /* 1: a file of Codex's home (trust, markers) */
	pa_warnings *warn;
	const char *shown;
	refusal refused;
} cfg;

static void refuse(cfg *c, long line, long column, const char *what)
{
	if (c->refused.what)
		return;
	c->refused.file = Pa_xstrdup(c->shown);
	c->refused.line = line;
	c->refused.column = column;
	c->refused.what = what;
}

/* Whether string i of v holds a NUL, where its C string would end:
 * "CLAUDE.md\u0000x" read as one is CLAUDE.md, a file it never names. */
static int holds_nul(const hx_toml_value *v, size_t i)
{
	return strlen(v->strs[i]) != v->lens[i];
}

/* Whether segment s (of length n) is the C string z. */
static int seg_is(const char *s, size_t n, const char *z)
{
	return z && strlen(z) == n && !memcmp(s, z, n);
}

/* A key below the top table: [projects."PATH"] trust_level, a
 * [profiles.NAME] table. */
static void on_nested(cfg *c, const char *key, const hx_toml_value *v)
{
	const char *p = key, *s1, *s2, *s3;
	size_t n1, n2, n3;

	if (!Pa_hx_toml_segment(&p, &s1, &n1))
		return;
	if (seg_is(s1, n1, "profiles") && v->type == HX_TOML_TABLE && c->user &&
	    Pa_hx_toml_segment(&p, &s2, &n2) && !*p && seg_is(s2, n2, c->profile)) {
		refuse(c, v->line, v->column, "a [profiles.NAME] table for the "
		       "profile it is started with (Codex refuses to start: "
		       "NAME.config.toml holds a profile's settings)");
		return;
	}
	if (seg_is(s1, n1, "projects") && c->user &&
	    Pa_hx_toml_segment(&p, &s2, &n2) && Pa_hx_toml_segment(&p, &s3, &n3) &&
	    !*p && seg_is(s3, n3, "trust_level") && v->type == HX_TOML_STRING) {
		char *path = Pa_xmalloc(n2 + 1);

		memcpy(path, s2, n2);
		path[n2] = '\0';
		c->trust = Pa_xgrow(c->trust, c->n_trust, sizeof(*c->trust));
		c->trust[c->n_trust].path = path;
		/* a level holding a NUL is none Codex knows ("trusted\u0000x"
		 * is not "trusted", which its C string would be) */
		c->trust[c->n_trust++].level = Pa_xstrdup(strlen(v->str) == v->len
		                                          ? v->str : "");
	}
}

/* Codex reads its keys into typed fields and refuses to start on a
 * value that does not fit (a string, a count, a list of strings): the
 * refusal for key, or NULL when v fits or key is none of these.  Only the
 * type is judged: project_root_markers of a project's file is passed
 * over by on_key(), never refused. */
static const char *wrong_type(const char *key, const hx_toml_value *v)
{
	int strings = v->type == HX_TOML_ARRAY && (v->strs || !v->n);

	if (!strcmp(key, "model") && v->type != HX_TOML_STRING)
		return "`model` not a string (Codex refuses to start)";
	if (!strcmp(key, "developer_instructions") && v->type != HX_TOML_STRING)
		return "`developer_instructions` not a string (Codex refuses to start)";
	if (!strcmp(key, "project_doc_max_bytes") &&
	    (v->type != HX_TOML_INT || v->num < 0))
		return "`project_doc_max_bytes` not a count of bytes (Codex refuses "
		       "to start)";
	if (!strcmp(key, "project_doc_fallback_filenames") && !strings)
		return "`project_doc_fallback_filenames` not a list of strings "
		       "(Codex refuses to start)";
	if (!strcmp(key, "project_root_markers") && !strings)
		return "`project_root_markers` not a list of strings (Codex refuses "
		       "to start)";
	return NULL;
}

static void on_key(void *ctx, const char *key, const hx_toml_value *v)
{
	cfg *c = ctx;
	const char *what;

	if (v->nested) {
		on_nested(c, key, v);
	} else if (!strcmp(key, "profile")) {
		refuse(c, v->line, v->column, "`profile =` (Codex refuses to start: "
		       "it takes a profile from --profile NAME alone)");
	} else if (!strcmp(key, "model") && v->type == HX_TOML_STRING &&
	           v->len > PA_MODEL_NAME_MAX) {
		/* every row of a report names it (PA_MODEL_NAME_MAX) */
		refuse(c, v->line, v->column, "`model` is longer than "
		       PA_TEXT(PA_MODEL_NAME_MAX) " bytes: no model has such a name");
	} else if (!strcmp(key, "model") && v->type == HX_TOML_STRING &&
	           strlen(v->str) != v->len) {
		/* Codex sends the name whole, NUL and all, and no model has
		 * it; as a C string "gpt-5.5\u0000x" would be counted as
		 * gpt-5.5, with its window */
		refuse(c, v->line, v->column, "`model` holds a NUL character: it "
		       "names no model promptasm can count for");
	} else if (!strcmp(key, "model") && v->type == HX_TOML_STRING) {
		pa_free(c->f->model);
		c->f->model = Pa_xstrdup(v->str);
		c->f->model_from = c->user ? "config.toml" : "the project's .codex/config.toml";
	} else if (!strcmp(key, "project_doc_max_bytes") && v->type == HX_TOML_INT &&
	           v->num >= 0) {
		c->f->max_bytes = v->num;
		c->f->max_bytes_from = c->user ? "config.toml" : "the project's .codex/config.toml";
	} else if (!strcmp(key, "project_doc_fallback_filenames") &&
	           v->type == HX_TOML_ARRAY && (v->strs || !v->n)) {
		size_t i;

		Pa_strings_free(c->fallback, c->n_fallback);
		c->fallback = Pa_xcalloc(v->n ? v->n : 1, sizeof(char *));
		c->n_fallback = 0;
		for (i = 0; i < v->n; i++) {
			/* a name, never a path: Codex joins it to each directory;
			 * nor one holding a NUL, which no file's name holds
			 * (read as a C string, "CLAUDE.md\u0000x" was CLAUDE.md) */
			if (!*v->strs[i] || strchr(v->strs[i], '/') || holds_nul(v, i)) {
				Pa_warn_at(c->warn, c->shown, v->line,
				           "%s:%ld:%ld: project_doc_fallback_filenames: an "
				           "entry that is not a file name is ignored",
				           c->shown, v->line, v->column);
				continue;
			}
			c->fallback[c->n_fallback++] = Pa_xstrdup(v->strs[i]);
		}
	} else if (!strcmp(key, "project_root_markers") && c->user &&
	           v->type == HX_TOML_ARRAY && (v->strs || !v->n)) {
		size_t i;

		Pa_strings_free(c->markers, c->n_markers);
		c->markers = Pa_xcalloc(v->n ? v->n : 1, sizeof(char *));
		c->n_markers = 0;
		for (i = 0; i < v->n; i++) {
			/* Codex looks for a path with the NUL, which no file
			 * has: the entry never matches */
			if (holds_nul(v, i)) {
				Pa_warn_at(c->warn, c->shown, v->line,
				           "%s:%ld:%ld: project_root_markers: an entry "
				           "holding a NUL character names no file: it "
				           "never marks a root", c->shown, v->line, v->column);
				continue;
			}
			c->markers[c->n_markers++] = Pa_xstrdup(v->strs[i]);
		}
		c->has_markers = 1;
	} else if (!strcmp(key, "developer_instructions") && v->type == HX_TOML_STRING) {
		/* the user's own text: not under no_user */
		if (c->user && c->f->no_user)
			return;
		pa_free(c->dev);
		c->dev = Pa_xstrndup(v->str, v->len);
		c->dev_len = v->len;
	} else if ((what = wrong_type(key, v)) != NULL) {
		refuse(c, v->line, v->column, what);
	}
}

/* Reads path (shown relative to f) into c; an error when it does not
 * parse or when Codex refuses what it holds. */
static pa_status read_config(hx_found *f, cfg *c, const char *path, int user,
                             int *found, pa_error *err)
{
	char *shown = Pa_path_display(path, f->root, f->home);
	pa_status st;

	c->shown = shown;
	c->user = user;
	st = Pa_hx_cfg_toml(f, &config_rule, path, shown, on_key, c, found, err);
	if (st == PA_OK && c->refused.what)
		st = Pa_error_set(err, PA_ERR_PARSE, c->refused.file, c->refused.line,
		                  c->refused.column, "%s", c->refused.what);
	if (st == PA_OK && *found && !f->config) {
		f->config = shown;
		shown = NULL;
	}
	c->shown = NULL;
	pa_free(shown);
	return st;
}

/* The root by project_root_markers: the nearest directory from the
 * working directory up holding one of them (paths.c's rule); none (or an
 * empty list): the working directory. */
static void root_by_markers(hx_found *f, const cfg *c)
{
	char *d = Pa_root_markers(f->cache, f->cwd, c->markers, c->n_markers);

	pa_free(f->root);
	f->root = d ? d : Pa_xstrdup(f->cwd);
}

/* A profile's name as Codex joins it to its home: a file name. */
static int profile_name_ok(const char *p)
{
	return *p && !strchr(p, '/') && strcmp(p, ".") && strcmp(p, "..");
}

static void cfg_release(cfg *c)
{
	Pa_strings_free(c->fallback, c->n_fallback);
	Pa_strings_free(c->markers, c->n_markers);
	pa_free(c->dev);
	size_t i;

	for (i = 0; i < c->n_trust; i++) {
		pa_free(c->trust[i].path);
		pa_free(c->trust[i].level);
	}
	pa_free(c->trust);
	pa_free(c->refused.file);
}

/* The trust_level of root: its entry (by path as written, or as it
 * resolves), the last one read; NULL: none. */
static const char *trust_of(const cfg *c, const char *root)
{
	const char *level = NULL;
	size_t i;

	for (i = 0; i < c->n_trust; i++) {
		char *real = realpath(c->trust[i].path, NULL);

		if (!strcmp(c->trust[i].path, root) || (real && !strcmp(real, root)))
			level = c->trust[i].level;
		free(real);
	}
	return level;
}

static int blank(const hx_file *x)
{
	size_t k;

	for (k = 0; k < x->text.len; k++)
		if (x->text.ptr[k] != ' ' && x->text.ptr[k] != '\t' &&
		    x->text.ptr[k] != '\n' && x->text.ptr[k] != '\r')
			return 0;
	return 1;
}

/* A skill as Codex reads it (serde_yaml, skills-yaml-edges.txt): front
 * matter that is YAML, a mapping, no key in it twice (serde_yaml refuses
 * the document); a description that is any scalar (`42` is "42") with
 * text; a name that is any scalar (`2024`, `true`), else the folder's. */
static int codex_skill(const hx_file *x, char **name, char **desc,
                       size_t *desc_len)
{
	Pa_ynode *tree;
	size_t body, n;

	*name = *desc = NULL;
	if (Pa_hx_skill_yaml(x, &tree, &body) != HX_YAML_MAPPING)
		return 0;
	*desc = Pa_hx_yaml_text(tree, "description", HX_TEXT_TRIM, desc_len);
	if (*desc)
		*name = Pa_hx_yaml_text(tree, "name", HX_TEXT_TRIM, &n);
	Pa_ynode_free(tree);
	return *desc != NULL;
}

/* Its skills, listed by name in its instructions before the files, each
 * with a line of its table of skill folders (skills-every-cli.txt): the
 * project's .codex/skills and .agents/skills, then skills of its home
 * and ~/.agents/skills. */
static void skills(hx_found *f, const char *home, pa_warnings *warn)
{
	char *d[4];
	int g[4] = { 0, 0, 1, 1 };
	size_t n = 0, k;

	d[n++] = Pa_path_join(f->root, ".codex/skills");
	d[n++] = Pa_path_join(f->root, ".agents/skills");
	if (home)
		d[n++] = Pa_path_join(home, "skills");
	if (f->home) {
		g[n] = 1;
		d[n++] = Pa_path_join(f->home, ".agents/skills");
	}
	Pa_hx_skills(f, d, g, n, HX_SKILLS_CODEX, 1, codex_skill, warn);
	for (k = 0; k < n; k++)
		pa_free(d[k]);
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *env = Pa_env_get(opt->env, "CODEX_HOME");
	char *home = NULL;
	cfg c;
	size_t i, n, k;
	char **dirs;
	pa_status st = PA_OK;
	int found, untrusted = 0;

	memset(&c, 0, sizeof(c));
	c.f = f;
	c.warn = warn;
	c.profile = opt->profile;
	if (opt->profile && !profile_name_ok(opt->profile))
		return Pa_error_set(err, PA_ERR_INVALID, NULL, 0, 0, "codex profile "
		                    "%s: not a profile name (a file name in Codex's "
		                    "home)", opt->profile);
	if (env && *env)
		home = Pa_xstrdup(env);
	else if (f->home)
		home = Pa_path_join(f->home, ".codex");
	if (home) {
		char *conf = Pa_path_join(home, "config.toml");

		st = read_config(f, &c, conf, 1, &found, err);
		pa_free(conf);
		if (st == PA_OK && opt->profile) {
			char *name = Pa_xmalloc(strlen(opt->profile) + sizeof(".config.toml"));

			strcpy(name, opt->profile);
			strcat(name, ".config.toml");
			conf = Pa_path_join(home, name);
			pa_free(name);
			st = read_config(f, &c, conf, 1, &found, err);
			pa_free(conf);
		}
	}
	if (st == PA_OK && c.has_markers)
		root_by_markers(f, &c);
	if (st == PA_OK) {
		/* a project the user trusts (--trust, or trust: true in the
		 * user's own config) as Codex takes one whose trust_level
		 * the user set to "trusted" */
		const char *level = f->trust ? "trusted" : trust_of(&c, f->root);

		untrusted = level && !strcmp(level, "untrusted");
		if (level && !strcmp(level, "trusted")) {
			dirs = Pa_hx_chain(f, &n);
			for (i = 0; st == PA_OK && i < n; i++) {
				char *conf = Pa_path_join(dirs[i], ".codex/config.toml");

				st = read_config(f, &c, conf, 0, &found, err);
				pa_free(conf);
			}
			Pa_strings_free(dirs, n);
		}
	}
	if (st != PA_OK) {
		pa_free(home);
		cfg_release(&c);
		return st;
	}
	Pa_hx_model_option(f, opt);
	if (opt->max_bytes >= 0) {
		f->max_bytes = opt->max_bytes;
		f->max_bytes_from = "the command line";
	}
	if (f->max_bytes < 0) {
		f->max_bytes = CODEX_DOC_MAX_BYTES;
		f->max_bytes_from = "Codex's default";
	}
	if (c.dev && c.dev_len) {
		f->config_text = c.dev;
		f->config_text_len = c.dev_len;
		f->config_text_from = Pa_xstrdup("developer_instructions");
		c.dev = NULL;
	}
	skills(f, home, warn);
	if (home && !f->no_user) {
		hx_file *o = Pa_hx_add_file(f, home, "AGENTS.override.md", 1, warn);

		/* a blank override gives way to AGENTS.md (measured:
		 * codex-override-blank.txt) */
		if (!o || (o->read && blank(o)))
			Pa_hx_add_file(f, home, "AGENTS.md", 1, warn);
	}
	pa_free(home);

	{
		/* its own names, then the fallback names */
		const char **names = Pa_xcalloc(c.n_fallback + 3, sizeof(char *));
		size_t nn = 0;

		while (files[nn]) {
			names[nn] = files[nn];
			nn++;
		}
		for (k = 0; k < c.n_fallback; k++)
			names[nn++] = c.fallback[k];
		Pa_hx_set_names(f, names, nn);
		pa_free(names);
	}
	dirs = Pa_hx_chain(f, &n);
	for (i = 0; !untrusted && i < n; i++)
		for (k = 0; k < f->n_names; k++)
			if (Pa_hx_add_file(f, dirs[i], f->names[k], 0, warn))
				break;
	Pa_strings_free(dirs, n);
	for (i = 0; i < f->n; i++)
		if (!f->files[i].skill) /* its skills: in its instructions */
			f->files[i].in = HX_IN_USER;
	Pa_hx_note_unread(f);
	cfg_release(&c);
	return PA_OK;
}

/* The global file whole; the project's files share max_bytes, root
 * first: the file that crosses it is cut at that byte (in the middle of a
 * line, of a character even), the ones after it are dropped. */
static void compose(hx_found *f)
{
	size_t i;
	unsigned long long left = (unsigned long long)f->max_bytes;

	for (i = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];

		if (x->skill) {
			x->sent = x->as_sent.len; /* its entry, outside the budget */
			continue;
		}
		if (!x->read || x->empty)
			continue;
		if (x->global) {
			/* sent without its trailing white space (measured:
			 * fixtures/crlf-bom.txt); a byte order mark is kept */
			size_t n = x->text.len;

			while (n && (x->text.ptr[n - 1] == ' ' || x->text.ptr[n - 1] == '\t' ||
			             x->text.ptr[n - 1] == '\n' || x->text.ptr[n - 1] == '\r'))
				n--;
			x->sent = n;
			continue;
		}
		if (left == 0) {
			x->dropped = 1;
			continue;
		}
		x->sent = x->text.len <= left ? x->text.len : (size_t)left;
		x->cut = x->sent < x->text.len;
		left -= x->sent;
	}
}

/* Its row of Pa_cli_backends[] (backend.h). */
const Pa_cli_backend Pa_cli_codex = {
	.id = PA_HARNESS_CODEX,
	.name = "codex",
	.display = "Codex CLI",
	.version = NULL, /* its figures' */
	.tokenizer = "o200k_base",
	.files = files,
	.others = others,
	.unread_hint = "it is not in project_doc_fallback_filenames",
	.byte_cap = "project_doc_max_bytes",
	.supports = PA_HARNESS_SUPPORTS_REQUEST | PA_HARNESS_SUPPORTS_USER_LEVEL |
	            PA_HARNESS_SUPPORTS_BODY_ANTHROPIC | PA_HARNESS_SUPPORTS_BODY_OPENAI |
	            PA_HARNESS_SUPPORTS_BYTE_CAP,
	.discover = discover,
	.compose = compose,
};
