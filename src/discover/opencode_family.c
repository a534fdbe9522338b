/*
 * opencode_family.c - what opencode and its fork Kilo Code read alike
 * (opencode_family.h): their configurations' `model` and
 * `instructions`, and the files `instructions` names.  Measured on
 * both (opencode-merge.txt, opencode-global-config.txt,
 * kilo-config.txt); where the two differ the family's parameters say.
 */
#define _POSIX_C_SOURCE 200809L
#include "opencode_family.h"
#include "util/util.h"
#include "base/glob.h"

#include <stdlib.h>
#include <string.h>

void Pa_hx_oc_apply(hx_found *f, const Pa_jnode *root, const char *from,
                    const char *shown, char ***instr, size_t *ninstr)
{
	const Pa_jnode *m = Pa_jnode_get(root, "model");
	const Pa_jnode *in = Pa_jnode_get(root, "instructions");

	if (Pa_hx_model_usable(f, m, shown ? shown : from)) {
		pa_free(f->model);
		f->model = Pa_xstrdup(m->text);
		f->model_from = from;
		pa_free(f->config);
		f->config = shown ? Pa_xstrdup(shown) : NULL;
	}
	if (instr && in && in->type == PA_JSON_ARRAY) {
		const char *conf = shown ? shown : from;
		size_t i;

		for (i = 0; i < in->n; i++) {
			const Pa_jnode *e = in->items[i];

			if (e->type != PA_JSON_STRING || !*e->text)
				continue;
			/* Past the limit, or a name the C string would cut at
			 * its NUL ("a\u0000b.md" read as the file a): what the
			 * CLI makes of them is not known, so the request is
			 * incomplete, where they were passed over (or the
			 * wrong file sent) without a word. */
			if (i >= HX_OC_MAX_INSTRUCTIONS) {
				Pa_hx_add_refused(f, conf, conf, "instructions holds more "
				                  "than " HX_OC_MAX_INSTRUCTIONS_TEXT
				                  " entries, a limit of promptasm's: the "
				                  "rest are not read", f->warn);
				break;
			}
			if (strlen(e->text) != e->len) {
				Pa_hx_add_refused(f, conf, conf, "an entry of instructions "
				                  "holds a NUL character: not read", f->warn);
				continue;
			}
			*instr = Pa_xgrow(*instr, *ninstr, sizeof(char *));
			(*instr)[(*ninstr)++] = Pa_xstrdup(e->text);
		}
	}
}

pa_status Pa_hx_oc_read_model(hx_found *f, const hx_oc_family *fam,
                              const char *p, char ***instr, size_t *ninstr,
                              pa_error *err)
{
	Pa_cfg_json j;
	char *shown;
	pa_status st;

	shown = Pa_path_display(p, f->root, f->home);
	st = Pa_hx_cfg_json(f, fam->rule, p, shown, &j, err);
	if (j.root)
		Pa_hx_oc_apply(f, j.root, fam->model_from, shown, instr, ninstr);
	Pa_cfg_json_release(&j);
	pa_free(shown);
	return st;
}

/* Whether an entry of `instructions` names a file outside the project
 * wherever its configuration is: an absolute path, one of the user's
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

/* The instruction file at full, added as the family's CLI adds one: of
 * the project when it lies in it; of the user's (user: named by the
 * user's configuration) under home, or held to its own directory. */
static void add_one(hx_found *f, const hx_oc_family *fam, const char *full,
                    int user, pa_warnings *warn)
{
	char *d, *b;

	d = Pa_path_dirname(full);
	b = Pa_xstrdup(full + strlen(d) + (strcmp(d, "/") ? 1 : 0));
	if (Pa_path_under(full, f->root))
		fam->add(f, full, d, b, 0, NULL, warn);
	else if (user && f->home && Pa_path_under(full, f->home))
		fam->add(f, full, d, b, 1, NULL, warn);
	else if (user)
		fam->add(f, full, d, b, 1, d, warn);
	pa_free(d);
	pa_free(b);
}

typedef struct globber {
	hx_found *f;
	const hx_oc_family *fam;
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
 * absolute glob, its last part a glob. */
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

		add_one(g->f, g->fam, full, 1, g->warn);
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
		if (g->tests > HX_OC_GLOB_MAX_BYTES) {
			g->stopped = 1;
			Pa_hx_add_refused(g->f, dir, e, g->fam->glob_limit, g->warn);
			break;
		}
		if (Pa_glob_match(e, rel))
			hit[m++] = i;
	}
	if (m > 1)
		qsort(hit, m, sizeof(size_t), cmp_index);
	for (t = 0; t < m && !g->stopped; t++)
		add_one(g->f, g->fam, g->abs[hit[t]], user, g->warn);
	pa_free(hit);
}

void Pa_hx_oc_instructions(hx_found *f, const hx_oc_family *fam, char **instr,
                           const int *user, size_t n, const char *conf,
                           int no_project, pa_warnings *warn)
{
	size_t i, nd, k;
	char **dirs = Pa_hx_chain(f, &nd);
	globber g;

	memset(&g, 0, sizeof(g));
	g.f = f;
	g.fam = fam;
	g.warn = warn;
	g.dirs = dirs;
	g.nd = nd;
	for (i = 0; i < n; i++) {
		const char *e = instr[i];

		/* an address the CLI fetches and sends: unknown here, so the
		 * request is incomplete (check fails), where it was passed
		 * over and the check passed without that text */
		if (!strncmp(e, "https://", 8) || !strncmp(e, "http://", 7)) {
			Pa_hx_add_refused(f, e, e, "an address in instructions, which "
			                  "its CLI fetches and sends; promptasm reads "
			                  "nothing from the network", warn);
			continue;
		}
		if ((*e == '/' || !strncmp(e, "~/", 2)) && user[i] && f->home) {
			char *abs = *e == '/' ? Pa_path_normalize("/", e)
			                      : Pa_path_join(f->home, e + 2);
			char *d = Pa_path_dirname(abs);
			const char *base = abs + strlen(d) + (strcmp(d, "/") ? 1 : 0);

			if (strpbrk(base, "*?[{"))
				add_listed(&g, d, base);
			else if (Pa_hx_exists(d, base))
				add_one(f, fam, abs, 1, warn);
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
					add_one(f, fam, full, 1, warn);
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

			Pa_hx_add_refused(f, p, e, fam->outside, warn);
			pa_free(p);
			continue;
		}
		for (k = nd; k-- > 0;) {
			if (!strpbrk(e, "*?[{")) {
				char *full = Pa_path_normalize(dirs[k], e);
				char *d = Pa_path_dirname(full);

				if (Pa_hx_exists(d, full + strlen(d) + (strcmp(d, "/") ? 1 : 0)))
					add_one(f, fam, full, user[i], warn);
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

void Pa_hx_oc_merge(hx_found *f, char **mine, size_t nm, int user,
                    char ***instr, int **from_user, size_t *n, Pa_strset *seen)
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

pa_status Pa_hx_oc_read_config(hx_found *f, const hx_oc_family *fam,
                               const char *path, int user, char ***instr,
                               int **from_user, size_t *n, Pa_strset *seen,
                               pa_error *err)
{
	char **mine = NULL;
	size_t nm = 0;
	pa_status st = Pa_hx_oc_read_model(f, fam, path, &mine, &nm, err);

	Pa_hx_oc_merge(f, mine, nm, user, instr, from_user, n, seen);
	Pa_strings_free(mine, nm);
	return st;
}
