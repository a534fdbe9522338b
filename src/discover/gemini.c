/*
 * gemini.c - the Gemini CLI backend (backend.h): its row, and what Gemini
 * CLI 0.61.0 reads for a working directory (measured:
 * tests/oracle-harness/, docs/harnesses.md):
 *
 *   - its settings, ~/.gemini/settings.json ($GEMINI_CLI_HOME/.gemini in
 *     place of ~/.gemini throughout), then the working directory's
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
 *   - nothing below the working directory at the start (a GEMINI.md
 *     there is read when a tool first touches its folder:
 *     gemini-below.txt); context.discoveryMaxDirs is read by Gemini and
 *     used by nothing (gemini-max-dirs.txt), so no file is missed by a
 *     limit of Gemini's;
 *   - the directory tree of each workspace directory, at most 200 items
 *     (directory_tree() below), counted beside its own text.
 *
 * Each file is sent whole, its @paths replaced.  promptasm looks for a
 * boundary marker other than .git only inside the repository (for a
 * directory in it): where Gemini CLI would find one above it, promptasm
 * reads the directory's own files alone.
 */
#define _XOPEN_SOURCE 700
#include "services.h"
#include "util/util.h"
#include "base/markdown.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GEMINI_IMPORT_MAX_DEPTH 5
/* The flat format has no depth: each file once.  A limit of promptasm's,
 * against a stack as deep as the files. */
#define GEMINI_FLAT_MAX_DEPTH 1000

/* Its comments are taken out (strip-json-comments), the rest must be
 * strict JSON (settings-comments.txt, gemini-settings-user.txt): it
 * stops at a settings file that does not parse, a trailing comma or a
 * byte order mark included (settings-comma.txt, settings-bom.txt); one
 * it cannot read is taken as absent. */
static const Pa_cfg_rule config_rule = {
	"settings.json", "Gemini CLI", 1 * PA_CFG_MiB, 2, PA_CFG_QUIET, PA_CFG_QUIET,
	PA_CFG_REFUSE, PA_CFG_JSON_COMMENTS
};

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err);

/* Its name when context.fileName gives none, and after those it gives. */
static const char *const files[] = { "GEMINI.md", NULL };
static const char *const others[] = { "AGENTS.md", NULL };

typedef struct gemini_conf {
	int flat;          /* context.importFormat "flat" */
	int markers_set;   /* context.memoryBoundaryMarkers given */
	char **markers;
	size_t nmarkers;
	char **incl;       /* context.includeDirectories, absolute */
	int *incl_user;    /* from the user's settings */
	size_t nincl;
	int no_tree;       /* context.includeDirectoryTree false */
	char *home;        /* its home: $GEMINI_CLI_HOME, else HOME, or NULL */
} gemini_conf;

static void conf_release(gemini_conf *c)
{
	Pa_strings_free(c->markers, c->nmarkers);
	Pa_strings_free(c->incl, c->nincl);
	pa_free(c->incl_user);
	pa_free(c->home);
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
	st = Pa_hx_cfg_json(f, &config_rule, p, shown, &j, err);
	if (st == PA_OK) /* it stops there too (settings-array.txt) */
		st = Pa_cfg_json_need_object(&j, shown, err);
	root = st == PA_OK ? j.root : NULL;
	if (root) {
		const Pa_jnode *ctx = Pa_jnode_get(root, "context");
		const Pa_jnode *fn = Pa_jnode_get(ctx, "fileName");
		const Pa_jnode *fmt = Pa_jnode_get(ctx, "importFormat");
		const Pa_jnode *mk = Pa_jnode_get(ctx, "memoryBoundaryMarkers");
		const Pa_jnode *inc = Pa_jnode_get(ctx, "includeDirectories");
		const Pa_jnode *m = Pa_jnode_get(Pa_jnode_get(root, "model"), "name");
		const Pa_jnode *tree = Pa_jnode_get(ctx, "includeDirectoryTree");
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
		if (tree && (tree->type == PA_JSON_TRUE || tree->type == PA_JSON_FALSE))
			c->no_tree = tree->type == PA_JSON_FALSE;
		if (Pa_hx_model_usable(f, m, shown)) {
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
		if (Pa_root_repository(f->cache, dir, &d, &e) == PA_OK && d)
			return d;
		return Pa_xstrdup(dir);
	}
	d = Pa_xstrdup(dir);
	for (;;) {
		for (k = 0; k < c->nmarkers; k++)
			if (Pa_hx_exists(d, c->markers[k]))
				return d;
		if (Pa_path_is_top(d) || (inside && !strcmp(d, f->root)))
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
	char *gdir = c->home ? Pa_path_join(c->home, ".gemini") : NULL;
	char **dirs = NULL, *d = Pa_xstrdup(ws);
	size_t nd = 0, i, k;

	while (nd <= PA_WALK_MAX_DEPTH) {
		char *up;

		if (gdir && !strcmp(d, gdir))
			break;
		dirs = Pa_xgrow(dirs, nd, sizeof(char *));
		dirs[nd++] = Pa_xstrdup(d);
		if (!strcmp(d, stop) || Pa_path_is_top(d))
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
	if (nk > 1)
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

/* ---- the directory tree of the first request ----
 *
 * Gemini CLI lists each workspace directory (the working directory, then
 * each of context.includeDirectories) in its first request, unless
 * context.includeDirectoryTree is false (getFolderStructure): breadth
 * first, at most GEMINI_TREE_MAX_ITEMS files and folders in all (its own
 * limit: an item past it is not listed, and no instruction file depends
 * on it; measured, gemini-max-dirs.txt).  In each directory, its names in
 * order (localeCompare: here, compared without case, then as bytes; a
 * name beyond ASCII may fall elsewhere), first its files (regular files;
 * a link is neither file nor folder), then its folders; a folder named
 * node_modules, .git, dist or __pycache__, or one the ignore files leave
 * out, is listed with "..." and not read.  The ignore files: in a
 * repository the working directory's .gitignore and those below it
 * (none above it) and .git/info/exclude when it is the root, then
 * .geminiignore of the working directory, whose patterns win; whatever
 * context.fileFiltering says (measured: gemini-no-gitignore.txt).  The
 * included directories are listed without them.  What is counted is the
 * tree itself (each directory's path, then a line per item, drawn as
 * Gemini draws it); the sentence before it is part of the measured own
 * text. */
#define GEMINI_TREE_MAX_ITEMS 200

typedef struct tnode {
	char *name;
	char *rel;          /* from the workspace directory ("" for it) */
	char **files;
	size_t nfiles;
	size_t *subs;       /* indexes of its folders in the tree's nodes */
	size_t nsubs;
	int ignored;        /* listed with "...", not read */
	int more_files, more_subs;
} tnode;

typedef struct tree {
	const hx_found *f;
	const char *top;    /* the workspace directory */
	int ignores;        /* 1: the ignore files apply (the working directory) */
	tnode *nodes;       /* in the order the breadth-first walk meets them */
	size_t n;
	size_t items;
	char *over;         /* the first ignore file over its limit, or NULL */
} tree;

typedef struct tentry {
	char *name;
	int sub;
} tentry;

typedef struct tlist {
	tentry *e;
	size_t n;
} tlist;

static int tlist_add(void *ctx, const char *name, int sub)
{
	tlist *l = ctx;

	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 1;
	l->e = Pa_xgrow(l->e, l->n, sizeof(*l->e));
	l->e[l->n].name = Pa_xstrdup(name);
	l->e[l->n++].sub = sub;
	return 1;
}

static int cmp_name(const void *a, const void *b)
{
	const char *x = ((const tentry *)a)->name, *y = ((const tentry *)b)->name;
	const unsigned char *p = (const unsigned char *)x, *q = (const unsigned char *)y;

	for (; *p && *q; p++, q++) {
		int c = *p >= 'A' && *p <= 'Z' ? *p + 32 : *p;
		int d = *q >= 'A' && *q <= 'Z' ? *q + 32 : *q;

		if (c != d)
			return c - d;
	}
	if (*p || *q)
		return *p ? 1 : -1;
	return strcmp(y, x); /* lower case first, as ICU's */
}

static size_t tree_node(tree *t, const char *name, const char *rel, int ignored)
{
	tnode *x;

	t->nodes = Pa_xgrow(t->nodes, t->n, sizeof(*t->nodes));
	x = &t->nodes[t->n];
	memset(x, 0, sizeof(*x));
	x->name = Pa_xstrdup(name);
	x->rel = Pa_xstrdup(rel);
	x->ignored = ignored;
	return t->n++;
}

/* dir/name's text onto ig for the paths under base, when it is a regular
 * file (not a link) within the limit of an instruction file, read once for
 * the run however many loads draw the tree.  One over it (Gemini reads it
 * whole) is kept in t->over: the tree is then not known. */
static void push_ignore(tree *t, Pa_ignore *ig, const char *dir, const char *name,
                        const char *base)
{
	char *p = Pa_path_join(dir, name);
	pa_buf b = PA_BUF_INIT;
	pa_status st = Pa_hx_read_ignore(t->f->cache, p, &b);

	if (st == PA_OK)
		Pa_ignore_push(ig, base, b.ptr, b.len);
	else if (st == PA_ERR_TOO_LARGE && !t->over)
		t->over = Pa_xstrdup(p);
	pa_buf_release(&b);
	pa_free(p);
}

/* The ignore files that decide the entries of the directory rel. */
static Pa_ignore *tree_ignores(tree *t, const char *rel)
{
	Pa_ignore *ig = Pa_ignore_new();

	if (!t->ignores)
		return ig;
	if (t->f->in_repo) {
		char *d = Pa_xstrdup(t->top);
		const char *s = rel;

		if (!strcmp(t->top, t->f->root))
			push_ignore(t, ig, t->top, ".git/info/exclude", "");
		push_ignore(t, ig, t->top, ".gitignore", "");
		while (*s) {
			const char *e = strchr(s, '/');
			size_t len = e ? (size_t)(e - s) : strlen(s);
			char *seg = Pa_xmalloc(len + 1), *nd, *base;

			memcpy(seg, s, len);
			seg[len] = '\0';
			nd = Pa_path_join(d, seg);
			pa_free(d);
			d = nd;
			base = Pa_xmalloc((size_t)(s - rel) + len + 1);
			memcpy(base, rel, (size_t)(s - rel) + len);
			base[(size_t)(s - rel) + len] = '\0';
			push_ignore(t, ig, d, ".gitignore", base);
			pa_free(base);
			pa_free(seg);
			s += len + (e ? 1 : 0);
		}
		pa_free(d);
	}
	push_ignore(t, ig, t->top, ".geminiignore", "");
	return ig;
}

/* A name git keeps for itself (a folder, or the file of a worktree):
 * compared by its letters, since only paths.c names the repository's
 * directory as a path (tests/suites/run-setup.sh). */
static int is_dotgit(const char *name)
{
	return name[0] == '.' && !strcmp(name + 1, "git");
}

/* The folders Gemini lists with "..." whatever the ignore files say. */
static int default_ignored(const char *name)
{
	return !strcmp(name, "node_modules") || is_dotgit(name) ||
	       !strcmp(name, "dist") || !strcmp(name, "__pycache__");
}

/* What the entry is: 1 a file, 2 a folder, 0 neither (a link, a device). */
static int entry_kind(const hx_found *f, const char *dir, const tentry *e)
{
	char *p;
	unsigned k;

	if (e->sub)
		return 2;
	p = Pa_path_join(dir, e->name);
	k = Pa_hx_kind(f->cache, p); /* once per run, whatever the loads */
	pa_free(p);
	return k & HX_KIND_LINK ? 0 : k & HX_KIND_REG ? 1 : k & HX_KIND_DIR ? 2 : 0;
}

/* One directory of the walk: its files, then its folders, until the
 * limit of items. */
static void tree_read(tree *t, size_t at)
{
	char *dir = *t->nodes[at].rel ? Pa_path_join(t->top, t->nodes[at].rel)
	                              : Pa_xstrdup(t->top);
	tlist l = { NULL, 0 };
	Pa_ignore *ig;
	pa_buf rel = PA_BUF_INIT;
	size_t i;

	Pa_hx_list_dir(t->f->cache, dir, tlist_add, &l);
	if (l.n > 1) /* an empty folder's list is NULL, which qsort may not take */
		qsort(l.e, l.n, sizeof(*l.e), cmp_name);
	ig = tree_ignores(t, t->nodes[at].rel);
	for (i = 0; i < l.n; i++) {
		tnode *x = &t->nodes[at];

		/* a folder is neither: only node_modules and .git are looked at */
		if (l.e[i].sub || entry_kind(t->f, dir, &l.e[i]) != 1)
			continue;
		if (t->items >= GEMINI_TREE_MAX_ITEMS) {
			x->more_files = 1;
			break;
		}
		pa_buf_reset(&rel);
		pa_buf_printf(&rel, "%s%s%s", x->rel, *x->rel ? "/" : "", l.e[i].name);
		/* in a repository Gemini's ignore rules hold .git too */
		if ((t->ignores && t->f->in_repo && is_dotgit(l.e[i].name)) ||
		    Pa_ignore_has(ig, rel.ptr, 0))
			continue;
		x->files = Pa_xgrow(x->files, x->nfiles, sizeof(char *));
		x->files[x->nfiles++] = Pa_xstrdup(l.e[i].name);
		t->items++;
	}
	for (i = 0; i < l.n; i++) {
		size_t k;
		int ign;

		if (!l.e[i].sub && !(default_ignored(l.e[i].name) &&
		                     entry_kind(t->f, dir, &l.e[i]) == 2))
			continue;
		if (t->items >= GEMINI_TREE_MAX_ITEMS) {
			t->nodes[at].more_subs = 1;
			break;
		}
		pa_buf_reset(&rel);
		pa_buf_printf(&rel, "%s%s%s", t->nodes[at].rel,
		              *t->nodes[at].rel ? "/" : "", l.e[i].name);
		ign = default_ignored(l.e[i].name) || Pa_ignore_has(ig, rel.ptr, 1);
		k = tree_node(t, l.e[i].name, rel.ptr, ign);
		t->nodes[at].subs = Pa_xgrow(t->nodes[at].subs, t->nodes[at].nsubs,
		                             sizeof(size_t));
		t->nodes[at].subs[t->nodes[at].nsubs++] = k;
		t->items++;
	}
	for (i = 0; i < l.n; i++)
		pa_free(l.e[i].name);
	pa_free(l.e);
	Pa_ignore_free(ig);
	pa_buf_release(&rel);
	pa_free(dir);
}

/* The lines of node at (formatStructure), onto out. */
static void tree_format(const tree *t, size_t at, pa_buf *indent, int last,
                        int top, pa_buf *out)
{
	const tnode *x = &t->nodes[at];
	size_t keep = indent->len, i;

	if (!top) {
		pa_buf_printf(out, "\n%s%s%s/%s", indent->ptr,
		              last ? "\u2514\u2500\u2500\u2500" : "\u251c\u2500\u2500\u2500",
		              x->name, x->ignored ? "..." : "");
		pa_buf_puts(indent, last ? "    " : "\u2502   ");
	}
	for (i = 0; i < x->nfiles; i++) {
		int end = i + 1 == x->nfiles && !x->nsubs && !x->more_subs;

		pa_buf_printf(out, "\n%s%s%s", indent->ptr,
		              end ? "\u2514\u2500\u2500\u2500" : "\u251c\u2500\u2500\u2500",
		              x->files[i]);
	}
	if (x->more_files)
		pa_buf_printf(out, "\n%s%s...", indent->ptr,
		              !x->nsubs && !x->more_subs ? "\u2514\u2500\u2500\u2500"
		                                         : "\u251c\u2500\u2500\u2500");
	for (i = 0; i < x->nsubs; i++)
		tree_format(t, x->subs[i], indent, i + 1 == x->nsubs && !x->more_subs,
		            0, out);
	if (x->more_subs)
		pa_buf_printf(out, "\n%s\u2514\u2500\u2500\u2500...", indent->ptr);
	indent->len = keep;
	indent->ptr[keep] = '\0';
}

/* The tree of the workspace directory top, onto out; an ignore file over
 * its limit is an entry refused. */
static void tree_of(hx_found *f, const char *top, int ignores, pa_buf *out)
{
	tree t;
	pa_buf indent = PA_BUF_INIT;
	size_t i;

	memset(&t, 0, sizeof(t));
	t.f = f;
	t.top = top;
	t.ignores = ignores;
	tree_node(&t, "", "", 0);
	/* the nodes array is the walk's queue */
	for (i = 0; i < t.n; i++)
		if (!t.nodes[i].ignored && t.items < GEMINI_TREE_MAX_ITEMS)
			tree_read(&t, i);
	pa_buf_printf(out, "%s%s/", out->len ? "\n" : "", top);
	tree_format(&t, 0, &indent, 1, 1, out);
	for (i = 0; i < t.n; i++) {
		Pa_strings_free(t.nodes[i].files, t.nodes[i].nfiles);
		pa_free(t.nodes[i].subs);
		pa_free(t.nodes[i].name);
		pa_free(t.nodes[i].rel);
	}
	pa_free(t.nodes);
	pa_buf_release(&indent);
	if (t.over) {
		char *shown = Pa_path_display(t.over, f->root, f->home);

		Pa_hx_add_refused(f, t.over, shown, "an ignore file over the limit of "
		                  "4 MiB (PA_INSTRUCTIONS_MAX_BYTES), which Gemini CLI reads "
		                  "whole: the directory tree it draws is not known", f->warn);
		free(shown); /* the entry keeps its own copy */
		pa_free(t.over);
	}
}

/* Gemini's directory tree of every workspace directory, as text it
 * sends beside the files (f->config_text). */
static void directory_tree(hx_found *f, const gemini_conf *c)
{
	pa_buf out = PA_BUF_INIT;
	size_t i;

	if (c->no_tree)
		return;
	tree_of(f, f->cwd, 1, &out);
	for (i = 0; i < c->nincl; i++) {
		struct stat st;

		/* the included directories read (those of the project's
		 * settings outside it are not) */
		if (!c->incl_user[i] && !Pa_path_under(c->incl[i], f->root))
			continue;
		if (stat(c->incl[i], &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		tree_of(f, c->incl[i], 0, &out);
	}
	pa_free(f->config_text);
	pa_free(f->config_text_from);
	f->config_text = pa_buf_detach(&out, &f->config_text_len);
	f->config_text_from = Pa_xstrdup("directory tree");
}

/* ---- a skill's fields, as Gemini CLI reads them ---- */

/* The front matter of a skill as Gemini CLI finds it: the text starts
 * with `---` and a line end, and the block runs to the first line end
 * followed by `---` (whatever follows that).  0 when there is none. */
static int gemini_block(const hx_file *x, const char **b, size_t *n)
{
	const char *s = x->text.ptr, *end = s + x->text.len, *p, *q;

	if (x->text.len < 4 || memcmp(s, "---", 3))
		return 0;
	p = s + 3 + (s[3] == '\r');
	if (p >= end || *p != '\n')
		return 0;
	*b = ++p;
	for (q = p; q + 4 <= end; q++)
		if (q[0] == '\n' && !memcmp(q + 1, "---", 3) && q >= p) {
			*n = (size_t)(q - p) - (q > p && q[-1] == '\r');
			return 1;
		}
	return 0;
}

static int js_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* A line `KEY:` after white space (as /^\s*KEY:\s*(.*)$/): the value,
 * trimmed, in v, vn. */
static int simple_field(const char *l, size_t ln, const char *key,
                        const char **v, size_t *vn)
{
	size_t i = 0, k = strlen(key);

	while (i < ln && js_space(l[i]))
		i++;
	if (ln - i < k + 1 || memcmp(l + i, key, k) || l[i + k] != ':')
		return 0;
	*v = l + i + k + 1;
	*vn = ln - i - k - 1;
	Pa_text_trim(v, vn);
	return 1;
}

/* Gemini CLI's second reader, for front matter js-yaml refuses or reads
 * without a string name and description (a key twice, `name: 2024`, a
 * second document, a block scalar of `key: value` lines): line by line,
 * the last `name:` line's value, the last `description:` line's value
 * and the indented lines after it, joined by spaces; both are needed. */
static int gemini_simple(const char *b, size_t n, char **name, char **desc,
                         size_t *desc_len)
{
	const char *p = b, *end = b + n, *v;
	size_t vn;
	pa_buf d = PA_BUF_INIT;
	int have_desc = 0;

	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t ln = (size_t)(le - p) - (le > p && le[-1] == '\r');

		if (simple_field(p, ln, "name", &v, &vn)) {
			pa_free(*name);
			*name = Pa_xstrndup(v, vn);
		} else if (simple_field(p, ln, "description", &v, &vn)) {
			pa_buf_reset(&d);
			pa_buf_put(&d, v, vn);
			have_desc = 1;
			/* the lines after it that start with white space and
			 * hold more than white space */
			while (nl) {
				const char *q = nl + 1, *qe = memchr(q, '\n', (size_t)(end - q));
				const char *t = q;
				size_t tn;

				qe = qe ? qe : end;
				tn = (size_t)(qe - q) - (qe > q && qe[-1] == '\r');
				if (!tn || (q[0] != ' ' && q[0] != '\t'))
					break;
				Pa_text_trim(&t, &tn);
				if (!tn)
					break;
				if (d.len)
					pa_buf_putc(&d, ' ');
				pa_buf_put(&d, t, tn);
				nl = qe < end ? qe : NULL;
				le = qe;
			}
		}
		if (!nl || le >= end)
			break;
		p = le + 1;
	}
	if (!*name || !have_desc) {
		pa_free(*name);
		*name = NULL;
		pa_buf_release(&d);
		return 0;
	}
	*desc = pa_buf_detach(&d, desc_len);
	return 1;
}

/* A skill as Gemini CLI reads it (its skillLoader.js;
 * skills-yaml-edges.txt, gemini-skills-yaml-*.txt): a name and a
 * description that js-yaml reads as strings (`description: ""` listed
 * empty), else what its second reader finds (gemini_simple); no name is
 * no skill (not the folder's).  Each of : \ / < > * ? " | in the name
 * becomes a `-`. */
static int gemini_skill(const hx_file *x, char **name, char **desc,
                        size_t *desc_len)
{
	Pa_ynode *yaml = NULL;
	const char *b;
	size_t body, n, i;

	*name = *desc = NULL;
	if (!gemini_block(x, &b, &n))
		return 0;
	if (Pa_hx_skill_yaml(x, &yaml, &body) == HX_YAML_MAPPING) {
		*name = Pa_hx_yaml_text(yaml, "name", HX_TEXT_STRINGS, &i);
		*desc = Pa_hx_yaml_text(yaml, "description", HX_TEXT_STRINGS, desc_len);
		if (!*name || !*desc) {
			pa_free(*name);
			pa_free(*desc);
			*name = *desc = NULL;
		}
	}
	Pa_ynode_free(yaml);
	if (!*name && !gemini_simple(b, n, name, desc, desc_len))
		return 0;
	for (i = 0; (*name)[i]; i++)
		if (strchr(":\\/<>*?\"|", (*name)[i]))
			(*name)[i] = '-';
	return 1;
}

/* Its skills, listed in its system instruction after its own
 * (skills-every-cli.txt): the user's ~/.gemini/skills and
 * ~/.agents/skills, then the working directory's .gemini/skills and
 * .agents/skills. */
static void skills(hx_found *f, const char *home, pa_warnings *warn)
{
	char *d[4];
	int g[4] = { 1, 1, 0, 0 };
	size_t n = 0, k;

	if (home) {
		d[n++] = Pa_path_join(home, ".gemini/skills");
		d[n++] = Pa_path_join(home, ".agents/skills");
	}
	d[n] = Pa_path_join(f->cwd, ".gemini/skills");
	g[n++] = 0;
	d[n] = Pa_path_join(f->cwd, ".agents/skills");
	g[n++] = 0;
	Pa_hx_skills(f, d, g, n, HX_SKILLS_XML_PATH, 0, gemini_skill, warn);
	for (k = 0; k < n; k++)
		pa_free(d[k]);
}

static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	const char *env = Pa_env_get(opt->env, "GEMINI_MODEL");
	const char *gch = Pa_env_get(opt->env, "GEMINI_CLI_HOME");
	gemini_conf c;
	size_t k;

	memset(&c, 0, sizeof(c));
	/* GEMINI_CLI_HOME in place of home: its .gemini holds the user's
	 * settings and files (gemini-cli-home.txt) */
	if (gch && *gch)
		c.home = Pa_path_normalize(f->cwd, gch);
	else if (f->home)
		c.home = Pa_xstrdup(f->home);
	Pa_hx_set_names(f, files, 1);
	if (read_settings(f, c.home, 1, &c, err) != PA_OK ||
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
	/* GEMINI_SYSTEM_MD: a file in place of its own prompt
	 * (gemini-system-md.txt) */
	Pa_hx_system_md(f, opt, "GEMINI_SYSTEM_MD", ".gemini", warn);
	skills(f, c.home, warn);
	if (c.home && !f->no_user) {
		char *g = Pa_path_join(c.home, ".gemini");

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
	directory_tree(f, &c);
	conf_release(&c);
	Pa_hx_note_unread(f);
	return PA_OK;
}

/* Its row of Pa_cli_backends[] (backend.h). */
const Pa_cli_backend Pa_cli_gemini = {
	.id = PA_HARNESS_GEMINI,
	.name = "gemini",
	.display = "Gemini CLI",
	.version = NULL, /* its figures' */
	.tokenizer = NULL, /* none of its models' here */
	.files = files,
	.others = others,
	.unread_hint = "it is not in context.fileName",
	.byte_cap = NULL, /* it sends every byte */
	.settings_name = ".gemini/settings.json",
	.supports = PA_HARNESS_SUPPORTS_REQUEST | PA_HARNESS_SUPPORTS_USER_LEVEL |
	            PA_HARNESS_SUPPORTS_BODY_ANTHROPIC | PA_HARNESS_SUPPORTS_BODY_OPENAI,
	.discover = discover,
	.compose = Pa_hx_compose_whole,
};
