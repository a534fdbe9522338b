/*
 * opencode.c - the opencode backend (backend.h): its row, and what
 * opencode 1.18.33 reads for a working directory (measured:
 * tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its configurations merged, each over those before: the global
 *     ~/.config/opencode/opencode.json (XDG_CONFIG_HOME/opencode), the
 *     file OPENCODE_CONFIG names, every opencode.json from the root to the
 *     working directory, every opencode.jsonc, then the same in their
 *     .opencode/ (opencode-jsonc.txt, opencode-json-and-jsonc.txt), then
 *     OPENCODE_CONFIG_DIR's (opencode-config-dir.txt), then the JSON
 *     of OPENCODE_CONFIG_CONTENT (opencode-config-content.txt): the last
 *     `model`, every `instructions` entry once (opencode-merge.txt,
 *     opencode-config-env.txt);
 *   - the global file: ~/.config/opencode/AGENTS.md, else
 *     ~/.claude/CLAUDE.md;
 *   - the project's files nearest first, from the working directory up
 *     to the root: every AGENTS.md, or when there is none on the way,
 *     every CLAUDE.md, else every CONTEXT.md (opencode-context-md.txt);
 *     OPENCODE_DISABLE_CLAUDE_CODE or OPENCODE_DISABLE_CLAUDE_CODE_PROMPT:
 *     no CLAUDE.md, the user's nor the project's
 *     (opencode-disable-claude*.txt); OPENCODE_DISABLE_PROJECT_CONFIG:
 *     no file of the project, configuration nor instruction file
 *     (opencode-disable-project-config.txt).  Outside a repository opencode
 *     looks up to / (fixtures/no-git.txt); promptasm's project is then the
 *     working directory, and nothing above it is read: an AGENTS.md,
 *     CLAUDE.md, CONTEXT.md or opencode.json there is an entry refused
 *     (the request is incomplete, so check fails closed);
 *   - the files `instructions` names, each file once: a relative path or
 *     glob looked up in every directory from the working directory up to
 *     the root, nearest first; `~/` and absolute paths (a glob in the last
 *     part) of the user's configurations (opencode-global-config.txt); of
 *     the project's, a path with a `..` part, absolute or `~` names a file
 *     outside the project and is refused, never read.
 *
 * Every configuration file may hold comments and trailing commas
 * (cfgfile.c reads them so).
 *
 * All of it in the system message, each file whole.
 */
#define _POSIX_C_SOURCE 200809L
#include "services.h"
#include "util/util.h"
#include "base/glob.h"

#include <stdlib.h>
#include <string.h>


/* It stops at a configuration that does not parse; one it cannot read
 * is taken as absent.  Comments and trailing commas are allowed. */
static const Pa_cfg_rule config_rule = {
	"opencode.json", "opencode", 1 * PA_CFG_MiB, 0, PA_CFG_QUIET, PA_CFG_QUIET,
	PA_CFG_REFUSE, PA_CFG_JSONC
};

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);

/* AGENTS.md, or where there is none on the way, CLAUDE.md, else
 * CONTEXT.md (opencode-context-md.txt). */
static const char *const names[] = { "AGENTS.md", "CLAUDE.md", "CONTEXT.md", NULL };

/* What one configuration sets that opencode's request shows: its
 * `model` (from names it: a file shown, or a variable), over those
 * before; its `instructions` into *instr. */
static void apply_config(hx_found *f, const Pa_jnode *root, const char *from,
                         const char *shown, char ***instr, size_t *ninstr)
{
	const Pa_jnode *m = Pa_jnode_get(root, "model");
	const Pa_jnode *in = Pa_jnode_get(root, "instructions");

	if (m && m->type == PA_JSON_STRING) {
		pa_free(f->model);
		f->model = Pa_xstrdup(m->text);
		f->model_from = from;
		pa_free(f->config);
		f->config = shown ? Pa_xstrdup(shown) : NULL;
	}
	if (instr && in && in->type == PA_JSON_ARRAY) {
		size_t i;

		for (i = 0; i < in->n && i < 1000; i++)
			if (in->items[i]->type == PA_JSON_STRING && *in->items[i]->text) {
				*instr = Pa_xgrow(*instr, *ninstr, sizeof(char *));
				(*instr)[(*ninstr)++] = Pa_xstrdup(in->items[i]->text);
			}
	}
}

/* `model` of one opencode.json, when it has one; its `instructions`
 * (the project's: files and globs relative to it) into *instr. */
static pa_status read_model(hx_found *f, const char *p, char ***instr,
                            size_t *ninstr, pa_error *err)
{
	Pa_cfg_json j;
	char *shown;
	pa_status st;

	shown = Pa_path_display(p, f->root, f->home);
	st = Pa_hx_cfg_json(f, &config_rule, p, shown, &j, err);
	if (j.root)
		apply_config(f, j.root, "opencode.json", shown, instr, ninstr);
	Pa_cfg_json_release(&j);
	pa_free(shown);
	return st;
}

/* Whether an entry of `instructions` names a file outside the project
 * wherever its opencode.json is: an absolute path, one of the user's
 * (`~`), or one with a `..` part. */
static int outside(const char *e)
{
	const char *s = e;

	if (*e == '/' || *e == '~' || *e == '\\')
		return 1;
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.')
			return 1;
		s += n;
		while (*s == '/')
			s++;
	}
	return 0;
}

static void add_one(hx_found *f, const char *full, int user, pa_warnings *warn)
{
	char *d, *b;

	if (Pa_strset_has(&f->paths, full, strlen(full)))
		return; /* opencode keeps a set of the paths it sends */
	d = Pa_path_dirname(full);
	b = Pa_xstrdup(full + strlen(d) + (strcmp(d, "/") ? 1 : 0));
	if (Pa_path_under(full, f->root))
		Pa_hx_add_file(f, d, b, 0, warn);
	else if (user && f->home && Pa_path_under(full, f->home))
		Pa_hx_add_file(f, d, b, 1, warn);
	else if (user)
		Pa_hx_add_file_held(f, d, b, d, warn);
	pa_free(d);
	pa_free(b);
}

/* The bytes of paths matched against globs in one load at most: a
 * relative glob is tried in every directory from the working directory
 * up (1,000 entries, 256 levels and 10,000 files would be billions of
 * tests, each as long as its path); past it the load is incomplete.  A
 * limit of promptasm's: about a second of work. */
#define OPENCODE_GLOB_MAX_BYTES (PA_LOAD_MAX_FILES * 5000UL)

typedef struct globber {
	hx_found *f;
	pa_warnings *warn;
	char **dirs;      /* the chain, root first */
	size_t nd;
	char **abs;       /* the root's Markdown files, walked once: absolute */
	size_t *deep;     /* the index of the deepest directory of the chain
	                   * each lies under */
	size_t *order;    /* the files, deepest first (then by path) */
	size_t nmd;
	int walked;
	unsigned long tests;  /* bytes of paths matched so far */
	int stopped;
	/* a listing of one directory (the user's absolute glob) */
	const char *glob;
	char **names;
	size_t nnames;
} globber;

static int take_name(void *ctx, const char *name, int sub)
{
	globber *g = ctx;

	(void)sub;
	if (strcmp(name, ".") && strcmp(name, "..") && Pa_glob_match(g->glob, name)) {
		g->names = Pa_xgrow(g->names, g->nnames, sizeof(char *));
		g->names[g->nnames++] = Pa_xstrdup(name);
	}
	return 1;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of dir (not below it) whose names match glob: the user's
 * absolute glob, its last part a glob (opencode-global-config.txt). */
static void add_listed(globber *g, const char *dir, const char *glob)
{
	size_t k;

	g->glob = glob;
	g->names = NULL;
	g->nnames = 0;
	Pa_hx_list_dir(g->f->cache, dir, take_name, g);
	if (g->nnames > 1)
		qsort(g->names, g->nnames, sizeof(char *), cmp_name);
	for (k = 0; k < g->nnames; k++) {
		char *full = Pa_path_join(dir, g->names[k]);

		add_one(g->f, full, 1, g->warn);
		pa_free(full);
	}
	Pa_strings_free(g->names, g->nnames);
}

typedef struct deep_at {
	size_t deep, at;
} deep_at;

static int cmp_deep(const void *a, const void *b)
{
	const deep_at *x = a, *y = b;

	if (x->deep != y->deep)
		return x->deep > y->deep ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

static int cmp_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* The root's Markdown files, once, each with the deepest directory of the
 * chain above it. */
static void walk_root(globber *g)
{
	char **md = NULL;
	deep_at *da;
	size_t k, j;

	g->walked = 1;
	Pa_hx_find_md_files(g->f, g->f->root, 0, g->warn, &md, &g->nmd);
	g->abs = Pa_xcalloc(g->nmd ? g->nmd : 1, sizeof(char *));
	g->deep = Pa_xcalloc(g->nmd ? g->nmd : 1, sizeof(size_t));
	g->order = Pa_xcalloc(g->nmd ? g->nmd : 1, sizeof(size_t));
	for (k = 0; k < g->nmd; k++) {
		g->abs[k] = md[k][0] == '/' ? Pa_xstrdup(md[k])
		                            : Pa_path_join(g->f->root, md[k]);
		for (j = g->nd; j-- > 0;)
			if (Pa_path_under(g->abs[k], g->dirs[j]))
				break;
		g->deep[k] = j < g->nd ? j : 0;
	}
	Pa_strings_free(md, g->nmd);
	da = Pa_xcalloc(g->nmd ? g->nmd : 1, sizeof(*da));
	for (k = 0; k < g->nmd; k++) {
		da[k].deep = g->deep[k];
		da[k].at = k;
	}
	if (g->nmd > 1)
		qsort(da, g->nmd, sizeof(*da), cmp_deep);
	for (k = 0; k < g->nmd; k++)
		g->order[k] = da[k].at;
	pa_free(da);
}

/* The Markdown files of the project under the chain's directory k
 * matching the glob e, relative to it, sorted, each added. */
static void add_glob(globber *g, size_t k, const char *e, int user)
{
	size_t t, m = 0, *hit;
	const char *dir = g->dirs[k];
	size_t dl = strlen(dir);

	if (g->stopped)
		return;
	if (!g->walked)
		walk_root(g);
	hit = Pa_xcalloc(g->nmd ? g->nmd : 1, sizeof(size_t));
	for (t = 0; t < g->nmd && g->deep[g->order[t]] >= k; t++) {
		size_t i = g->order[t];
		const char *rel = Pa_path_under(g->abs[i], dir);

		if (!rel)
			continue;
		rel = g->abs[i] + dl;
		while (*rel == '/')
			rel++;
		if (!*rel)
			continue;
		g->tests += strlen(rel) + 1;
		if (g->tests > OPENCODE_GLOB_MAX_BYTES) {
			g->stopped = 1;
			Pa_hx_add_refused(g->f, dir, e, "past the limit of glob tests "
			                  "of opencode's instructions in one load (a "
			                  "limit of promptasm's: not read, nor any "
			                  "glob after it)", g->warn);
			break;
		}
		if (Pa_glob_match(e, rel))
			hit[m++] = i;
	}
	if (m > 1)
		qsort(hit, m, sizeof(size_t), cmp_index);
	for (t = 0; t < m && !g->stopped; t++)
		add_one(g->f, g->abs[hit[t]], user, g->warn);
	pa_free(hit);
}

/* The files `instructions` names (the configurations merged, each
 * entry once), after the project's files: a relative path or glob looked
 * up in every directory from the working directory up to the root,
 * nearest first (opencode-merge.txt); `~/` and an absolute path, of the
 * user's configuration alone (the global one, OPENCODE_CONFIG), a glob
 * in its last part (opencode-global-config.txt).  A URL is fetched by
 * opencode, not counted here.  What a project's file names outside the
 * project is not read. */
static void add_instructions(hx_found *f, char **instr, const int *user,
                             size_t n, const char *conf, int no_project,
                             pa_warnings *warn)
{
	size_t i, nd, k;
	char **dirs = Pa_hx_chain(f, &nd);
	globber g;

	memset(&g, 0, sizeof(g));
	g.f = f;
	g.warn = warn;
	g.dirs = dirs;
	g.nd = nd;
	for (i = 0; i < n; i++) {
		const char *e = instr[i];

		if (!strncmp(e, "https://", 8) || !strncmp(e, "http://", 7))
			continue;
		if ((*e == '/' || !strncmp(e, "~/", 2)) && user[i] && f->home) {
			char *abs = *e == '/' ? Pa_path_normalize("/", e)
			                      : Pa_path_join(f->home, e + 2);
			char *d = Pa_path_dirname(abs);
			const char *base = abs + strlen(d) + (strcmp(d, "/") ? 1 : 0);

			if (strpbrk(base, "*?[{"))
				add_listed(&g, d, base);
			else if (Pa_hx_exists(d, base))
				add_one(f, abs, 1, warn);
			pa_free(d);
			pa_free(abs);
			continue;
		}
		if (no_project && !outside(e)) {
			/* no project: a relative entry is looked up in the
			 * user's configuration folder alone
			 * (opencode-config-content-no-project.txt) */
			if (conf && !f->no_user && !strchr(e, '/') && strpbrk(e, "*?[{")) {
				add_listed(&g, conf, e);
			} else if (conf && !f->no_user && !strpbrk(e, "*?[{")) {
				char *full = Pa_path_normalize(conf, e);
				char *d = Pa_path_dirname(full);

				if (Pa_path_under(full, conf) &&
				    Pa_hx_exists(d, full + strlen(d) + (strcmp(d, "/") ? 1 : 0)))
					add_one(f, full, 1, warn);
				pa_free(d);
				pa_free(full);
			} else if (conf && !f->no_user) {
				char *p = Pa_path_join(conf, e);

				Pa_hx_add_refused(f, p, e, "a glob with a folder in the user's "
				                  "configuration folder, which promptasm does "
				                  "not follow", warn);
				pa_free(p);
			}
			continue;
		}
		if (outside(e)) {
			char *p = *e == '/' ? Pa_xstrdup(e) : Pa_path_join(f->cwd, e);

			Pa_hx_add_refused(f, p, e, "named by opencode.json's instructions, "
			                  "outside the project", warn);
			pa_free(p);
			continue;
		}
		for (k = nd; k-- > 0;) {
			if (!strpbrk(e, "*?[{")) {
				char *full = Pa_path_normalize(dirs[k], e);
				char *d = Pa_path_dirname(full);

				if (Pa_hx_exists(d, full + strlen(d) + (strcmp(d, "/") ? 1 : 0)))
					add_one(f, full, user[i], warn);
				pa_free(d);
				pa_free(full);
			} else {
				add_glob(&g, k, e, user[i]);
			}
		}
	}
	Pa_strings_free(g.abs, g.nmd);
	pa_free(g.deep);
	pa_free(g.order);
	Pa_strings_free(dirs, nd);
}

/* One configuration file read: its model over those before, its
 * instructions added to the merged list, each entry once.  user: the
 * user's own file (the global one, or OPENCODE_CONFIG's, when it lies
 * outside the project: a file of the repository stays the repository's
 * words, whoever names it), whose entries may name any file. */
/* The entries of one configuration (mine) added to the merged list, each
 * entry once. */
static void merge_instructions(hx_found *f, char **mine, size_t nm, int user,
                               char ***instr, int **from_user, size_t *n,
                               Pa_strset *seen)
{
	size_t k;

	/* under no_user the user's file gives its model, no file */
	for (k = 0; k < nm && !(user && f->no_user); k++)
		if (Pa_strset_add(seen, mine[k], strlen(mine[k]))) {
			*instr = Pa_xgrow(*instr, *n, sizeof(char *));
			*from_user = Pa_xrealloc(*from_user, (*n + 1) * sizeof(int));
			(*from_user)[*n] = user;
			(*instr)[(*n)++] = Pa_xstrdup(mine[k]);
		}
}

static pa_status read_config(hx_found *f, const char *path, int user,
                             char ***instr, int **from_user, size_t *n,
                             Pa_strset *seen, pa_error *err)
{
	char **mine = NULL;
	size_t nm = 0;
	pa_status st = read_model(f, path, &mine, &nm, err);

	merge_instructions(f, mine, nm, user, instr, from_user, n, seen);
	Pa_strings_free(mine, nm);
	return st;
}

/* OPENCODE_CONFIG_CONTENT: a configuration in the variable itself (JSON
 * with comments), merged after every file (opencode-config-content.txt):
 * its model over theirs, its instructions the user's own words, as
 * OPENCODE_CONFIG's outside the project are.  Text that does not parse
 * stops opencode: an error naming the variable, line and column. */
static pa_status read_content(hx_found *f, const char *v, char ***instr,
                              int **from_user, size_t *n, Pa_strset *seen,
                              pa_error *err)
{
	size_t len = strlen(v), nm = 0;
	char *text = Pa_xstrndup(v, len), **mine = NULL;
	Pa_jnode *root = NULL;
	pa_status st;

	Pa_cfg_blank_jsonc(text, len);
	st = Pa_json_parse(text, len, "OPENCODE_CONFIG_CONTENT", &root, err);
	pa_free(text);
	if (st != PA_OK)
		return st;
	apply_config(f, root, "OPENCODE_CONFIG_CONTENT", NULL, &mine, &nm);
	merge_instructions(f, mine, nm, 1, instr, from_user, n, seen);
	Pa_strings_free(mine, nm);
	Pa_jnode_free(root);
	return PA_OK;
}

/* Outside a repository opencode reads up to / (measured:
 * fixtures/no-git.txt).  promptasm's project is then the working
 * directory, and nothing above it is read: the directories above it,
 * nearest first, whose instruction files are each an entry refused (see
 * discover), as an opencode.json there is (its `instructions` would name
 * files outside the project), so that the request says what it could not
 * count and check fails closed. */
static char **above_cwd(hx_found *f, size_t *n, pa_warnings *warn)
{
	char **out = NULL;
	char *d = Pa_xstrdup(f->cwd);

	*n = 0;
	while (strcmp(d, "/")) {
		char *up = Pa_path_dirname(d);

		pa_free(d);
		d = up;
		out = Pa_xgrow(out, *n, sizeof(char *));
		out[(*n)++] = Pa_xstrdup(d);
		if (Pa_hx_exists(d, "opencode.json")) {
			char *p = Pa_path_join(d, "opencode.json");

			Pa_hx_add_refused(f, p, p, "an opencode.json above the working "
			                  "directory outside a repository, which opencode "
			                  "reads and promptasm does not (run it in the "
			                  "repository)", warn);
			pa_free(p);
		}
	}
	pa_free(d);
	return out;
}

/* Its skills, after the files, listed by name whatever folder each is
 * of (skills-every-cli.txt): the project's .agents/skills,
 * .claude/skills, .opencode/skills and .opencode/skill, then the user's
 * ~/.agents/skills, ~/.claude/skills and skills and skill of its
 * configuration folder. */
static void skills(hx_found *f, const char *xdg, int no_project, pa_warnings *warn)
{
	static const char *const proj[] = { ".agents/skills", ".claude/skills",
	                                    ".opencode/skills", ".opencode/skill" };
	char *d[8], *conf = NULL;
	int g[8];
	size_t n = 0, k;

	for (k = 0; k < 4 && !no_project; k++) {
		g[n] = 0;
		d[n++] = Pa_path_join(f->cwd, proj[k]);
	}
	if (f->home) {
		g[n] = 1;
		d[n++] = Pa_path_join(f->home, ".agents/skills");
		g[n] = 1;
		d[n++] = Pa_path_join(f->home, ".claude/skills");
		conf = xdg && *xdg == '/' ? Pa_path_join(xdg, "opencode")
		                          : Pa_path_join(f->home, ".config/opencode");
		g[n] = 1;
		d[n++] = Pa_path_join(conf, "skills");
		g[n] = 1;
		d[n++] = Pa_path_join(conf, "skill");
		pa_free(conf);
	}
	Pa_hx_skills(f, d, g, n, HX_SKILLS_XML_PATH, 1, warn);
	for (k = 0; k < n; k++)
		pa_free(d[k]);
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *xdg = Pa_env_get(opt->env, "XDG_CONFIG_HOME");
	const char *envconf = Pa_env_get(opt->env, "OPENCODE_CONFIG");
	const char *envdir = Pa_env_get(opt->env, "OPENCODE_CONFIG_DIR");
	const char *content = Pa_env_get(opt->env, "OPENCODE_CONFIG_CONTENT");
	/* no CLAUDE.md, the user's or the project's, under either variable
	 * (opencode-disable-claude.txt, opencode-disable-claude-prompt.txt) */
	int no_claude = Pa_env_true(opt->env, "OPENCODE_DISABLE_CLAUDE_CODE") ||
	                Pa_env_true(opt->env, "OPENCODE_DISABLE_CLAUDE_CODE_PROMPT");
	/* no file of the project: neither its configurations nor its
	 * instruction files (opencode-disable-project-config.txt) */
	int no_project = Pa_env_true(opt->env, "OPENCODE_DISABLE_PROJECT_CONFIG");
	char *conf = NULL, **dirs, **instr = NULL;
	int *from_user = NULL;
	size_t ninstr = 0, n, i, k;
	Pa_strset seen = PA_STRSET_INIT;
	pa_status st = PA_OK;
	const char *use[4];
	size_t nuse = 0;

	if (xdg && *xdg == '/')
		conf = Pa_path_join(xdg, "opencode");
	else if (f->home)
		conf = Pa_path_join(f->home, ".config/opencode");
	/* the configurations merged, each over those before: the global
	 * one, OPENCODE_CONFIG, every opencode.json from the root to the
	 * working directory, then every opencode.jsonc, then their
	 * .opencode/ (opencode-merge.txt, opencode-config-env.txt,
	 * opencode-jsonc.txt, opencode-json-and-jsonc.txt) */
	if (conf) {
		/* the user's folder: config.json, opencode.json and
		 * opencode.jsonc merged among themselves first, where a later
		 * file's instructions replace an earlier's
		 * (opencode-global-files.txt) */
		static const char *const gl[] = { "config.json", "opencode.json",
		                                  "opencode.jsonc" };
		char **glist = NULL;
		size_t ng = 0;

		for (k = 0; k < 3 && st == PA_OK; k++) {
			char **mine = NULL, *p;
			size_t nm = 0;

			if (!Pa_hx_exists(conf, gl[k]))
				continue;
			p = Pa_path_join(conf, gl[k]);
			st = read_model(f, p, &mine, &nm, err);
			if (nm) {
				Pa_strings_free(glist, ng);
				glist = mine;
				ng = nm;
			} else {
				Pa_strings_free(mine, nm);
			}
			pa_free(p);
		}
		merge_instructions(f, glist, ng, !Pa_path_under(conf, f->root), &instr,
		                   &from_user, &ninstr, &seen);
		Pa_strings_free(glist, ng);
	}
	if (st == PA_OK && envconf && *envconf) {
		char *p = Pa_path_normalize(f->cwd, envconf);

		st = read_config(f, p, !Pa_path_under(p, f->root), &instr, &from_user,
		                 &ninstr, &seen, err);
		pa_free(p);
	}
	dirs = Pa_hx_chain(f, &n);
	for (k = 0; k < 4 && st == PA_OK && !no_project; k++)
		for (i = 0; i < n && st == PA_OK; i++) {
			static const char *const files[] = {
				"opencode.json", "opencode.jsonc",
				".opencode/opencode.json", ".opencode/opencode.jsonc"
			};
			char *p;

			if (!Pa_hx_exists(dirs[i], files[k]))
				continue;
			p = Pa_path_join(dirs[i], files[k]);
			st = read_config(f, p, 0, &instr, &from_user, &ninstr, &seen, err);
			pa_free(p);
		}
	/* ~/.opencode, a folder of the user's: its opencode.json then
	 * opencode.jsonc (opencode-global-files.txt) */
	for (k = 0; k < 2 && st == PA_OK && f->home; k++) {
		char *d = Pa_path_join(f->home, ".opencode");
		const char *name = k ? "opencode.jsonc" : "opencode.json";

		if (!Pa_path_under(d, f->root) && Pa_hx_exists(d, name)) {
			char *p = Pa_path_join(d, name);

			st = read_config(f, p, 1, &instr, &from_user, &ninstr, &seen, err);
			pa_free(p);
		}
		pa_free(d);
	}
	/* OPENCODE_CONFIG_DIR: one more folder, its opencode.json then
	 * opencode.jsonc merged last (opencode-config-dir.txt) */
	for (k = 0; k < 2 && st == PA_OK && envdir && *envdir; k++) {
		char *d = Pa_path_normalize(f->cwd, envdir);
		const char *name = k ? "opencode.jsonc" : "opencode.json";

		if (Pa_hx_exists(d, name)) {
			char *p = Pa_path_join(d, name);

			st = read_config(f, p, !Pa_path_under(p, f->root), &instr,
			                 &from_user, &ninstr, &seen, err);
			pa_free(p);
		}
		pa_free(d);
	}
	if (st == PA_OK && content && *content)
		st = read_content(f, content, &instr, &from_user, &ninstr, &seen, err);
	Pa_strings_free(dirs, n);
	Pa_strset_release(&seen);
	if (st != PA_OK) {
		pa_free(conf);
		Pa_strings_free(instr, ninstr);
		pa_free(from_user);
		return PA_ERR_PARSE;
	}
	Pa_hx_model_option(f, opt);
	for (k = 0; names[k]; k++)
		if (!no_claude || strcmp(names[k], "CLAUDE.md"))
			use[nuse++] = names[k];
	Pa_hx_set_names(f, use, nuse);
	if (f->no_user) {
		; /* neither global file */
	} else if (!conf || !Pa_hx_add_file(f, conf, "AGENTS.md", 1, warn)) {
		if (f->home && !no_claude) {
			char *c = Pa_path_join(f->home, ".claude");

			Pa_hx_add_file(f, c, "CLAUDE.md", 1, warn);
			pa_free(c);
		}
	}
	/* AGENTS.md files wherever one is on the path; else CLAUDE.md files,
	 * else CONTEXT.md (measured: fixtures/fallback.txt, claude-only.txt,
	 * opencode-context-md.txt) */
	dirs = Pa_hx_chain(f, &n);
	{
		size_t before, nup = 0;
		char **up = f->in_repo ? NULL : above_cwd(f, &nup, warn);

		before = f->n;
		for (k = 0; k < f->n_names && f->n == before && !no_project; k++) {
			for (i = n; i-- > 0;)
				Pa_hx_add_file(f, dirs[i], f->names[k], 0, warn);
			for (i = 0; i < nup; i++) {
				char *p, *shown;

				if (!Pa_hx_exists(up[i], f->names[k]))
					continue;
				p = Pa_path_join(up[i], f->names[k]);
				shown = Pa_path_display(p, f->root, f->home);
				Pa_hx_add_refused(f, p, shown, "above the working directory "
				                  "outside a repository: opencode reads it, "
				                  "promptasm reads nothing outside the project "
				                  "(run it in the repository)", warn);
				free(shown); /* the entry keeps its own copy */
				pa_free(p);
			}
		}
		Pa_strings_free(up, nup);
	}
	Pa_strings_free(dirs, n);
	add_instructions(f, instr, from_user, ninstr, conf, no_project, warn);
	pa_free(conf);
	Pa_strings_free(instr, ninstr);
	pa_free(from_user);
	skills(f, xdg, no_project, warn);
	for (i = 0; i < f->n; i++)
		f->files[i].in = HX_IN_SYSTEM;
	Pa_hx_note_unread(f);
	return PA_OK;
}

/* Its row of Pa_cli_backends[] (backend.h). */
const Pa_cli_backend Pa_cli_opencode = {
	.id = PA_HARNESS_OPENCODE,
	.name = "opencode",
	.display = "opencode",
	.version = NULL, /* its figures' */
	.tokenizer = "o200k_base",
	.files = names,
	.others = NULL, /* it reads every other CLI's file it may */
	.byte_cap = NULL, /* it sends every byte */
	.settings_name = "opencode.json",
	.supports = PA_HARNESS_SUPPORTS_REQUEST | PA_HARNESS_SUPPORTS_USER_LEVEL |
	            PA_HARNESS_SUPPORTS_BODY_ANTHROPIC | PA_HARNESS_SUPPORTS_BODY_OPENAI,
	.discover = discover,
	.compose = Pa_hx_compose_whole,
};
