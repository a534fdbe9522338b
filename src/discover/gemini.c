/*
 * gemini.c - the Gemini CLI backend (backend.h): its row, and what Gemini
 * CLI 0.61.0 reads for a working directory (measured:
 * tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its settings, ~/.gemini/settings.json, then the working directory's
 *     .gemini/settings.json (measured: fixtures/project-config.txt):
 *     `context.fileName` (a name or a list of names), GEMINI.md after
 *     them, `context.importFormat` ("flat": gemini-import-flat.txt),
 *     `context.memoryBoundaryMarkers` (the project's wins;
 *     gemini-boundary.txt), `context.includeDirectories` (the user's,
 *     then the project's; gemini-include-dirs.txt) and `model.name`; then
 *     GEMINI_MODEL;
 *   - the global files: each name in ~/.gemini, in the order of the
 *     names, at the end of the system instruction;
 *   - the workspace directories (the working directory, then each
 *     included directory): from each up to the nearest directory holding
 *     a boundary marker (.git unless the settings name others; an empty
 *     list: the directory alone), each name in each directory; all of
 *     them once by file (a link to a file already there is not read
 *     again: gemini-links.txt), sorted by path as strings
 *     (gemini-sorted.txt), in the first user message;
 *   - `@path` at the start or after white space (harness_import.c) is
 *     replaced in place by the file (gemini-import-inline.txt), five
 *     levels deep; a file already in the chain of imports is not
 *     imported again, the top file not counted in it
 *     (gemini-import-cycle.txt); imports are confined to the directory of
 *     the boundary marker above the file, the global file's to ~/.gemini
 *     (gemini-global-import.txt).
 *
 * Each file is sent whole, its @paths replaced.  promptasm looks for a
 * boundary marker other than .git only inside the repository (for a
 * directory in it): where Gemini CLI would find one above it, promptasm
 * reads the directory's own files alone.
 */
#define _XOPEN_SOURCE 700
#include "discover.h"
#include "util/util.h"
#include "base/markdown.h"

#include <stdlib.h>
#include <string.h>

#define GEMINI_IMPORT_MAX_DEPTH 5
/* The flat format has no depth: each file once.  A limit of promptasm's,
 * against a stack as deep as the files. */
#define GEMINI_FLAT_MAX_DEPTH 1000

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);

/* Its name when context.fileName gives none, and after those it gives. */
static const char *const files[] = { "GEMINI.md", NULL };
static const char *const others[] = { "AGENTS.md", NULL };

const Pa_cli_backend Pa_cli_gemini = {
	PA_HARNESS_GEMINI, "gemini", "Gemini CLI", NULL, NULL,
	files, others, "it is not in context.fileName", NULL,
	discover, Pa_hx_compose_whole
};

typedef struct gemini_conf {
	int flat;          /* context.importFormat "flat" */
	int markers_set;   /* context.memoryBoundaryMarkers given */
	char **markers;
	size_t nmarkers;
	char **incl;       /* context.includeDirectories, absolute */
	int *incl_user;    /* from the user's settings */
	size_t nincl;
} gemini_conf;

static void conf_release(gemini_conf *c)
{
	Pa_strings_free(c->markers, c->nmarkers);
	Pa_strings_free(c->incl, c->nincl);
	pa_free(c->incl_user);
}

/* One settings.json (the user's in ~/.gemini, then the workspace's in
 * the working directory's .gemini, which wins; includeDirectories of both
 * are taken, the user's first). */
static pa_status read_settings(hx_found *f, const char *dir, int user,
                               gemini_conf *c, pa_error *err)
{
	char *p;
	Pa_cfg_json j;
	const Pa_jnode *root;
	char *shown;
	pa_status st;

	if (!dir)
		return PA_OK;
	p = Pa_path_join(dir, ".gemini/settings.json");
	shown = Pa_path_display(p, f->root, f->home);
	st = Pa_hx_cfg_json(f, PA_CFG_GEMINI, p, shown, &j, err);
	root = j.root;
	if (root) {
		const Pa_jnode *ctx = Pa_jnode_get(root, "context");
		const Pa_jnode *fn = Pa_jnode_get(ctx, "fileName");
		const Pa_jnode *fmt = Pa_jnode_get(ctx, "importFormat");
		const Pa_jnode *mk = Pa_jnode_get(ctx, "memoryBoundaryMarkers");
		const Pa_jnode *inc = Pa_jnode_get(ctx, "includeDirectories");
		const Pa_jnode *m = Pa_jnode_get(Pa_jnode_get(root, "model"), "name");
		size_t k;

		pa_free(f->config);
		f->config = Pa_xstrdup(shown);
		Pa_hx_set_names_json(f, fn);
		if (fmt && fmt->type == PA_JSON_STRING)
			c->flat = !strcmp(fmt->text, "flat");
		if (mk && mk->type == PA_JSON_ARRAY) {
			Pa_strings_free(c->markers, c->nmarkers);
			c->markers = NULL;
			c->nmarkers = 0;
			c->markers_set = 1;
			for (k = 0; k < mk->n; k++) {
				const Pa_jnode *v = mk->items[k];

				/* an absolute marker or one with .. is passed over */
				if (v->type != PA_JSON_STRING || !*v->text ||
				    v->text[0] == '/' || strstr(v->text, "..") ||
				    strlen(v->text) != v->len)
					continue;
				c->markers = Pa_xgrow(c->markers, c->nmarkers, sizeof(char *));
				c->markers[c->nmarkers++] = Pa_xstrdup(v->text);
			}
		}
		Pa_hx_dirs_json(f, inc, user, &c->incl, &c->incl_user, &c->nincl);
		if (m && m->type == PA_JSON_STRING) {
			pa_free(f->model);
			f->model = Pa_xstrdup(m->text);
			f->model_from = "settings.json";
		}
	}
	Pa_cfg_json_release(&j);
	pa_free(shown);
	pa_free(p);
	return st;
}

/* The directory the walk up from dir stops at and imports are confined
 * to: the nearest one holding a boundary marker (.git by the one root
 * rule unless the settings name others), else dir itself; none named:
 * dir.  For a directory in the repository only the repository is looked
 * at (the working directory, without one): nothing outside it is probed. */
static char *boundary(const hx_found *f, const gemini_conf *c, const char *dir)
{
	char *d, *up;
	size_t k;
	/* the project (the working directory, without a repository) */
	int inside = Pa_path_under(dir, f->root) != NULL;

	if (!c->markers_set) {
		pa_error e;

		memset(&e, 0, sizeof(e));
		if (pa_repository_root(dir, &d, &e) == PA_OK && d)
			return d;
		return Pa_xstrdup(dir);
	}
	d = Pa_xstrdup(dir);
	for (;;) {
		for (k = 0; k < c->nmarkers; k++)
			if (Pa_hx_exists(d, c->markers[k]))
				return d;
		if (!strcmp(d, "/") || (inside && !strcmp(d, f->root)))
			break;
		up = Pa_path_dirname(d);
		pa_free(d);
		d = up;
	}
	pa_free(d);
	return Pa_xstrdup(dir);
}

/* A file read: its imports after it, confined as Gemini CLI confines
 * them (the global file's to ~/.gemini). */
static void imports(hx_found *f, hx_file *x, const gemini_conf *c,
                    pa_warnings *warn)
{
	char *confine = x->global ? Pa_xstrdup(x->dir) : boundary(f, c, x->dir);
	hx_import_opts o;

	memset(&o, 0, sizeof(o));
	o.confine = confine;
	o.flat = c->flat;
	o.max_depth = c->flat ? GEMINI_FLAT_MAX_DEPTH : GEMINI_IMPORT_MAX_DEPTH;
	o.chain_self = 0;
	o.fail_replaced = 1;
	o.flat_once = 1;
	o.limit_ours = c->flat;
	Pa_hx_imports(f, (size_t)(x - f->files), &o, warn);
	pa_free(confine);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of one workspace directory, from the boundary down to it
 * (Gemini's findUpwardGeminiFiles), appended to *paths. */
static void upward(const hx_found *f, const gemini_conf *c, const char *ws,
                   char ***paths, size_t *n)
{
	char *stop = c->markers_set && !c->nmarkers ? Pa_xstrdup(ws) : boundary(f, c, ws);
	char *gdir = f->home ? Pa_path_join(f->home, ".gemini") : NULL;
	char **dirs = NULL, *d = Pa_xstrdup(ws);
	size_t nd = 0, i, k;

	while (nd <= PA_WALK_MAX_DEPTH) {
		char *up;

		if (gdir && !strcmp(d, gdir))
			break;
		dirs = Pa_xgrow(dirs, nd, sizeof(char *));
		dirs[nd++] = Pa_xstrdup(d);
		if (!strcmp(d, stop) || !strcmp(d, "/"))
			break;
		up = Pa_path_dirname(d);
		pa_free(d);
		d = up;
	}
	pa_free(d);
	for (i = nd; i-- > 0;)
		for (k = 0; k < f->n_names; k++)
			if (Pa_hx_exists(dirs[i], f->names[k])) {
				*paths = Pa_xgrow(*paths, *n, sizeof(char *));
				(*paths)[(*n)++] = Pa_path_join(dirs[i], f->names[k]);
			}
	Pa_strings_free(dirs, nd);
	pa_free(gdir);
	pa_free(stop);
}

/* The project's files: of every workspace directory, each file once (by
 * its real path, the first kept), sorted as strings. */
static void project_files(hx_found *f, const gemini_conf *c, pa_warnings *warn)
{
	char **paths = NULL, **keep;
	size_t n = 0, nk = 0, i;
	Pa_strset seen = PA_STRSET_INIT;
	upward(f, c, f->cwd, &paths, &n);
	for (i = 0; i < c->nincl; i++) {
		const char *d = c->incl[i];

		if (Pa_hx_dir_allowed(f, d, c->incl_user[i], warn))
			upward(f, c, d, &paths, &n);
	}
	keep = Pa_xcalloc(n ? n : 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		char *real = realpath(paths[i], NULL);
		const char *key = real ? real : paths[i];

		/* by path, then by file (Gemini's two deduplications) */
		if (Pa_strset_get(&seen, paths[i], strlen(paths[i])) == 0 &&
		    Pa_strset_add(&seen, key, strlen(key))) {
			Pa_strset_add(&seen, paths[i], strlen(paths[i]));
			keep[nk++] = paths[i];
		}
		free(real);
	}
	qsort(keep, nk, sizeof(char *), cmp_str);
	for (i = 0; i < nk && !f->full; i++) {
		char *d = Pa_path_dirname(keep[i]);
		const char *b = keep[i] + strlen(d) + (strcmp(d, "/") ? 1 : 0);
		hx_file *x = NULL;

		if (Pa_hx_find_real(f, d, b))
			; /* the global file, read already */
		else if (f->in_repo && Pa_path_under(d, f->root))
			x = Pa_hx_add_file(f, d, b, 0, warn);
		else
			x = Pa_hx_add_file_held(f, d, b, d, warn);
		if (x) {
			x->in = HX_IN_USER;
			imports(f, x, c, warn);
		}
		pa_free(d);
	}
	pa_free(keep);
	Pa_strings_free(paths, n);
	Pa_strset_release(&seen);
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *env = Pa_env_get(opt->env, "GEMINI_MODEL");
	gemini_conf c;
	size_t k;

	memset(&c, 0, sizeof(c));
	Pa_hx_set_names(f, files, 1);
	if (read_settings(f, f->home, 1, &c, err) != PA_OK ||
	    read_settings(f, f->cwd, 0, &c, err) != PA_OK) {
		conf_release(&c);
		return PA_ERR_PARSE;
	}
	/* GEMINI.md is read after the names context.fileName gives
	 * (measured: fixtures/gemini-names.txt) */
	for (k = 0; k < f->n_names && strcmp(f->names[k], files[0]); k++)
		;
	if (k == f->n_names) {
		const char **nm = Pa_xcalloc(f->n_names + 1, sizeof(char *));

		for (k = 0; k < f->n_names; k++)
			nm[k] = f->names[k];
		nm[k] = files[0];
		{
			char **old = f->names;
			size_t oldn = f->n_names;

			f->names = NULL;
			f->n_names = 0;
			Pa_hx_set_names(f, nm, oldn + 1);
			Pa_strings_free(old, oldn);
		}
		pa_free(nm);
	}
	if (env && *env && !f->model) {
		f->model = Pa_xstrdup(env);
		f->model_from = "GEMINI_MODEL";
	}
	Pa_hx_model_option(f, opt);
	if (f->home) {
		char *g = Pa_path_join(f->home, ".gemini");

		for (k = 0; k < f->n_names; k++) {
			hx_file *x;

			if (Pa_hx_find_real(f, g, f->names[k]))
				continue;
			x = Pa_hx_add_file(f, g, f->names[k], 1, warn);
			if (x) {
				x->in = HX_IN_SYSTEM;
				imports(f, x, &c, warn);
			}
		}
		pa_free(g);
	}
	project_files(f, &c, warn);
	conf_release(&c);
	Pa_hx_note_unread(f);
	return PA_OK;
}
