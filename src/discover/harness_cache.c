/*
 * harness_cache.c - what the loads of the other agent CLIs share in one
 * run (pa_harness_options.cache): each instruction file's bytes, by its
 * real path; each configuration file read and parsed (cfgfile.c asks);
 * each directory the start directories' walk lists, and the directories
 * of the files git's index tracks (read once, for .gitignore's rule that
 * a tracked file's directory is walked).  So `check`, which
 * loads every CLI once per directory it may start in, opens each file
 * once.
 *
 * Only bytes are kept, never a decision: the link rule (harness_read.c)
 * is applied to every path asked, before the bytes are looked up, so a
 * file refused in one place is refused there whatever another place
 * admitted.  A read that failed (too large, unreadable) is kept as its
 * status, so that a file too large is not opened again either.
 *
 * Bounded: at most PA_HARNESS_CACHE_MAX_BYTES of text and
 * HX_CACHE_MAX_ENTRIES entries; past either a file is read by each load,
 * as without a cache.  One hash set (util.h) finds an entry by its key: a
 * tag byte ('T' text, 'C' configuration and its kind, 'D' directory) and
 * the path.
 */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 700
#include "services.h"
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HX_CACHE_MAX_ENTRIES (4 * pa_walk_limit())

typedef struct hx_text {
	pa_status st;   /* of the read: PA_OK, else why it failed */
	pa_error err;   /* and its message */
	pa_buf text;
} hx_text;

/* One directory as readdir gave it: each entry, and whether the walk goes
 * into it (a directory, not a link, not node_modules nor the .git). */
typedef struct hx_listing {
	char **names;
	unsigned char *sub;
	size_t n;
	int opened;     /* 0: opendir or a readdir failed */
} hx_listing;

typedef struct hx_entry {
	char tag;
	union {
		hx_text text;
		hx_cfg_raw cfg;
		hx_listing dir;
		hx_md_walk md;
	} u;
} hx_entry;

struct pa_harness_cache {
	Pa_strset index;    /* key -> index + 1 into entries */
	hx_entry **entries;
	size_t n;
	size_t bytes;       /* of text held */
	hx_cache_stats stats;
	char *tracked_root; /* the repository whose index tracked_dirs holds */
	Pa_strset *tracked_dirs; /* NULL: no index read there */
	Pa_strset kinds;    /* path -> HX_KIND_* bits + 1 (Pa_hx_kind()) */
	size_t nkinds;
};

pa_harness_cache *pa_harness_cache_new(void)
{
	pa_harness_cache *c = Pa_xcalloc(1, sizeof(*c));

	c->index = (Pa_strset)PA_STRSET_INIT;
	c->kinds = (Pa_strset)PA_STRSET_INIT;
	return c;
}

void Pa_hx_cfg_raw_release(hx_cfg_raw *r)
{
	size_t i;

	Pa_jnode_free(r->root);
	for (i = 0; i < r->n_recs; i++) {
		pa_free(r->recs[i].key);
		pa_free(r->recs[i].v.str);
		Pa_strings_free(r->recs[i].v.strs, r->recs[i].v.strs ? r->recs[i].v.n : 0);
		pa_free(r->recs[i].v.lens);
	}
	pa_free(r->recs);
	memset(r, 0, sizeof(*r));
}

void pa_harness_cache_free(pa_harness_cache *c)
{
	size_t i, k;

	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		hx_entry *e = c->entries[i];

		if (e->tag == 'T') {
			pa_buf_release(&e->u.text.text);
		} else if (e->tag == 'C') {
			Pa_hx_cfg_raw_release(&e->u.cfg);
		} else if (e->tag == 'W') {
			Pa_strings_free(e->u.md.files, e->u.md.n);
			pa_warnings_release(&e->u.md.warn);
		} else {
			for (k = 0; k < e->u.dir.n; k++)
				pa_free(e->u.dir.names[k]);
			pa_free(e->u.dir.names);
			pa_free(e->u.dir.sub);
		}
		pa_free(e);
	}
	pa_free(c->entries);
	Pa_strset_release(&c->index);
	Pa_strset_release(&c->kinds);
	Pa_hx_tracked_dirs_free(c->tracked_dirs);
	pa_free(c->tracked_root);
	pa_free(c);
}

const hx_cache_stats *Pa_hx_cache_stats(const pa_harness_cache *c)
{
	return &c->stats;
}

static void key_of(pa_buf *k, char tag, int kind, const char *path)
{
	pa_buf_reset(k);
	pa_buf_putc(k, tag);
	if (tag == 'C')
		pa_buf_putc(k, (char)('A' + kind));
	pa_buf_puts(k, path);
}

static hx_entry *find(const pa_harness_cache *c, const pa_buf *k)
{
	size_t at = Pa_strset_get(&c->index, k->ptr, k->len);

	return at ? c->entries[at - 1] : NULL;
}

/* A new entry under k, or NULL when the cache is full. */
static hx_entry *add(pa_harness_cache *c, const pa_buf *k, char tag)
{
	hx_entry *e;

	if (c->n >= HX_CACHE_MAX_ENTRIES)
		return NULL;
	e = Pa_xcalloc(1, sizeof(*e));
	e->tag = tag;
	c->entries = Pa_xgrow(c->entries, c->n, sizeof(*c->entries));
	c->entries[c->n++] = e;
	*Pa_strset_value(&c->index, k->ptr, k->len) = c->n;
	return e;
}

/* ---- what lies at a path ---- */

static unsigned kind_of(const char *path)
{
	struct stat st;
	unsigned k = 0;

	if (lstat(path, &st) != 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		k |= HX_KIND_LINK;
		if (stat(path, &st) != 0)
			return k; /* a dangling link: there, leading nowhere */
	}
	k |= HX_KIND_EXISTS;
	if (S_ISDIR(st.st_mode))
		k |= HX_KIND_DIR;
	else if (S_ISREG(st.st_mode))
		k |= HX_KIND_REG;
	return k;
}

unsigned Pa_hx_kind(pa_harness_cache *c, const char *path)
{
	size_t len = strlen(path), *v;
	unsigned k;

	if (!c)
		return kind_of(path);
	v = Pa_strset_value(&c->kinds, path, len);
	if (*v)
		return (unsigned)(*v - 1);
	k = kind_of(path);
	if (c->nkinds >= HX_CACHE_MAX_ENTRIES) {
		Pa_strset_remove(&c->kinds, path, len); /* full: not kept */
		return k;
	}
	c->nkinds++;
	c->stats.looks++;
	*v = (size_t)k + 1;
	return k;
}

/* Keeps what a read under key k gave (its status, its error when err is
 * not NULL, its text when it read), unless the cache is full.  Takes k. */
static void keep_text(pa_harness_cache *c, pa_buf *k, pa_status st,
                      const pa_buf *out, const pa_error *err)
{
	hx_entry *e;

	if (st == PA_OK && out->len > PA_HARNESS_CACHE_MAX_BYTES - c->bytes) {
		pa_buf_release(k); /* full: this one is not kept */
		return;
	}
	e = add(c, k, 'T');
	pa_buf_release(k);
	if (!e)
		return;
	e->u.text.st = st;
	if (st != PA_OK && err)
		e->u.text.err = *err;
	e->u.text.text = (pa_buf)PA_BUF_INIT;
	if (st == PA_OK) {
		pa_buf_put(&e->u.text.text, out->ptr, out->len);
		c->bytes += out->len;
	}
}

pa_status Pa_hx_read_ignore(pa_harness_cache *c, const char *path,
                            pa_buf *out)
{
	pa_buf k = PA_BUF_INIT;
	hx_entry *e;
	pa_status st;
	pa_error err;

	memset(&err, 0, sizeof(err));
	if (!c)
		return pa_file_read_limited(path, (size_t)PA_INSTRUCTIONS_MAX_BYTES,
		                            PA_FILE_NOFOLLOW, out, &err);
	key_of(&k, 'I', 0, path);
	e = find(c, &k);
	if (e) {
		pa_buf_release(&k);
		c->stats.hits++;
		if (e->u.text.st == PA_OK)
			pa_buf_put(out, e->u.text.text.ptr, e->u.text.text.len);
		return e->u.text.st;
	}
	c->stats.opens++;
	st = pa_file_read_limited(path, (size_t)PA_INSTRUCTIONS_MAX_BYTES,
	                          PA_FILE_NOFOLLOW, out, &err);
	keep_text(c, &k, st, out, NULL);
	return st;
}

/* ---- instruction files ---- */

pa_status Pa_hx_read_text(pa_harness_cache *c, const char *path,
                          const char *real, pa_buf *out, pa_error *err)
{
	pa_buf k = PA_BUF_INIT;
	hx_entry *e;
	pa_status st;

	if (!c)
		return Pa_project_read(path, PA_INSTRUCTIONS_MAX_BYTES, 0, out, err);
	key_of(&k, 'T', 0, real);
	e = find(c, &k);
	if (e) {
		pa_buf_release(&k);
		c->stats.hits++;
		if (e->u.text.st != PA_OK) {
			if (err)
				*err = e->u.text.err;
			return e->u.text.st;
		}
		pa_buf_put(out, e->u.text.text.ptr, e->u.text.text.len);
		return PA_OK;
	}
	c->stats.opens++;
	st = Pa_project_read(path, PA_INSTRUCTIONS_MAX_BYTES, 0, out, err);
	keep_text(c, &k, st, out, err);
	return st;
}

/* ---- configuration files ---- */

hx_cfg_raw *Pa_hx_cache_cfg(pa_harness_cache *c, const char *kind,
                            const char *path, int *fresh)
{
	pa_buf k = PA_BUF_INIT;
	hx_entry *e;

	*fresh = 0;
	if (!c)
		return NULL;
	/* a file per way of reading it (kind) */
	key_of(&k, 'C', 0, path);
	pa_buf_printf(&k, "\n%s", kind);
	e = find(c, &k);
	if (e) {
		c->stats.hits++;
	} else {
		c->stats.opens++;
		e = add(c, &k, 'C');
		*fresh = e != NULL;
	}
	pa_buf_release(&k);
	return e ? &e->u.cfg : NULL;
}

/* ---- directories of the walk ---- */

/* A name git keeps for itself: compared by its letters, since only
 * paths.c names the repository's directory as a path
 * (tests/suites/run-setup.sh); a listing does not walk into it. */
static int is_dotgit(const char *name)
{
	return name[0] == '.' && !strcmp(name + 1, "git");
}

static void list(hx_listing *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	l->opened = 1;
	/* `.`, `..` and one past the walk's limit of names: a walk that
	 * counts them all stops there in any case, and one that skips `.`
	 * and `..` (paths.c) still meets its limit, not a listing cut short
	 * in silence */
	while (l->n < pa_walk_limit() + 3) {
		char *p;
		struct stat st;
		int sub = 0;

		errno = 0;
		if ((de = readdir(d)) == NULL) {
			/* a read that failed midway: the listing is not whole */
			if (errno)
				l->opened = 0;
			break;
		}
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
		    strcmp(de->d_name, "node_modules")) {
#ifdef DT_DIR
			/* The type readdir gives (a link is DT_LNK): no lstat
			 * for each of a kernel tree's 78,000 files, which took
			 * the walk from find's time to twice it. */
			if (de->d_type != DT_UNKNOWN && de->d_type != DT_DIR) {
				sub = 0;
			} else if (de->d_type == DT_DIR) {
				/* a directory, not a link: no lstat (the root
				 * rule looks at the repository's own once) */
				sub = !is_dotgit(de->d_name);
			} else
#endif
			{
				p = Pa_path_join(dir, de->d_name);
				/* lstat: a link to a directory is not walked into;
				 * nor is the repository's own directory */
				sub = lstat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
				      !is_dotgit(de->d_name);
				pa_free(p);
			}
		}
		l->names = Pa_xgrow(l->names, l->n, sizeof(char *));
		l->sub = Pa_xrealloc(l->sub, l->n + 1);
		l->names[l->n] = Pa_xstrdup(de->d_name);
		l->sub[l->n++] = (unsigned char)sub;
	}
	closedir(d);
}

size_t Pa_hx_list_dir(pa_harness_cache *c, const char *dir, hx_listing_fn fn,
                      void *ctx)
{
	pa_buf k = PA_BUF_INIT;
	hx_entry *e = NULL;
	hx_listing own, *l = &own;
	size_t i;

	memset(&own, 0, sizeof(own));
	if (c) {
		key_of(&k, 'D', 0, dir);
		e = find(c, &k);
		if (e) {
			c->stats.hits++;
			l = &e->u.dir;
		} else {
			c->stats.opens++;
			e = add(c, &k, 'D');
			if (e) {
				l = &e->u.dir;
				list(l, dir);
			}
		}
		pa_buf_release(&k);
	}
	if (l == &own)
		list(l, dir);
	for (i = 0; i < l->n; i++)
		if (!fn(ctx, l->names[i], l->sub[i]))
			break;
	if (l == &own) {
		for (i = 0; i < own.n; i++)
			pa_free(own.names[i]);
		pa_free(own.names);
		pa_free(own.sub);
	}
	return l->opened;
}

/* ---- walks of Markdown files ---- */

hx_md_walk *Pa_hx_cache_walk(pa_harness_cache *c, const pa_buf *key,
                             int *fresh)
{
	hx_entry *e;

	*fresh = 0;
	if (!c)
		return NULL;
	e = find(c, key);
	if (e) {
		c->stats.hits++;
	} else {
		e = add(c, key, 'W');
		if (!e)
			return NULL;
		e->u.md.warn = (pa_warnings){ NULL, 0 };
		*fresh = 1;
	}
	return &e->u.md;
}

/* ---- the directories git tracks files in ---- */

/* The directories holding the index's files, from the root whose .git is
 * dotgit; NULL without an index we read (gitindex.h: none, one not read,
 * a broken one: the walk then has .gitignore's rules alone). */
static Pa_strset *tracked_dirs_of(const char *dotgit)
{
	Pa_gitindex *ix;
	pa_error err;
	Pa_strset *dirs;
	pa_status st = Pa_gitindex_load(dotgit, pa_walk_limit(), &ix, &err);

	if (st != PA_OK)
		return NULL;
	dirs = Pa_xcalloc(1, sizeof(*dirs));
	Pa_gitindex_add_dirs(ix, dirs);
	Pa_gitindex_free(ix);
	return dirs;
}

void Pa_hx_tracked_dirs_free(Pa_strset *dirs)
{
	if (!dirs)
		return;
	Pa_strset_release(dirs);
	pa_free(dirs);
}

const Pa_strset *Pa_hx_tracked_dirs(pa_harness_cache *c, const char *root,
                                    const char *dotgit, Pa_strset **own)
{
	*own = NULL;
	if (!c)
		return *own = tracked_dirs_of(dotgit);
	if (!c->tracked_root || strcmp(c->tracked_root, root)) {
		Pa_hx_tracked_dirs_free(c->tracked_dirs);
		pa_free(c->tracked_root);
		c->tracked_root = Pa_xstrdup(root);
		c->tracked_dirs = tracked_dirs_of(dotgit);
		c->stats.opens++;
	} else {
		c->stats.hits++;
	}
	return c->tracked_dirs;
}
