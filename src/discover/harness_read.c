/*
 * harness_read.c - what the other agent CLIs' backends share: where the
 * project root is, reading one instruction file, once, by the link rule
 * of Claude Code's files (a symbolic link is followed when it stays in
 * the project, a global file's in home, and a link that leads out is not
 * read, with a warning, since nothing outside the repository is read
 * unless the user asks), the files of other CLIs it never reads, where a
 * user may start it, and the composition most of them have.
 */
#define _XOPEN_SOURCE 700
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *real_or_copy(const char *path)
{
	char *r = realpath(path, NULL);

	return r ? r : Pa_xstrdup(path);
}

pa_status Pa_hx_found_init(hx_found *f, const pa_cli_backend *b,
                           const pa_harness_options *opt, pa_error *err)
{
	const char *cwd = opt->cwd ? opt->cwd : ".";
	const char *home = opt->home ? opt->home : Pa_env_get(opt->env, "HOME");
	char *d;
	struct stat st;
	pa_status st_root;

	memset(f, 0, sizeof(*f));
	f->backend = b;
	f->max_bytes = -1;
	f->cwd = realpath(cwd, NULL);
	if (!f->cwd || stat(f->cwd, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(f->cwd);
		f->cwd = NULL;
		return Pa_error_set(err, PA_ERR_NOT_FOUND, cwd, 0, 0,
		                    "not a directory");
	}
	if (home && *home)
		f->home = real_or_copy(home);
	/* The root: the nearest directory holding .git, by the one root
	 * finder, else the working directory (measured:
	 * tests/oracle-harness/fixtures/no-git.txt). */
	st_root = pa_repository_root(f->cwd, &d, err);
	if (st_root != PA_OK) {
		Pa_hx_found_release(f);
		return st_root;
	}
	f->in_repo = d != NULL;
	f->root = d ? d : Pa_xstrdup(f->cwd);
	return PA_OK;
}

static void file_release(hx_file *x)
{
	pa_free(x->path);
	free(x->real);
	pa_free(x->shown);
	pa_free(x->dir);
	pa_buf_release(&x->text);
	pa_free(x->apply_to);
	pa_free(x->parent);
	pa_free(x->frame);
}

void Pa_hx_drop_last(hx_found *f)
{
	if (f->n)
		file_release(&f->files[--f->n]);
}

void Pa_hx_found_release(hx_found *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		file_release(&f->files[i]);
	pa_free(f->files);
	Pa_strings_free(f->names, f->n_names);
	Pa_strings_free(f->unread, f->n_unread);
	free(f->cwd);
	pa_free(f->root);
	free(f->home);
	pa_free(f->model);
	pa_free(f->config);
	memset(f, 0, sizeof(*f));
}

void Pa_hx_set_names(hx_found *f, const char *const *names, size_t n)
{
	size_t i;

	Pa_strings_free(f->names, f->n_names);
	f->names = Pa_xcalloc(n ? n : 1, sizeof(char *));
	for (i = 0; i < n; i++)
		f->names[i] = Pa_xstrdup(names[i]);
	f->n_names = n;
}

void Pa_hx_model_option(hx_found *f, const pa_harness_options *opt)
{
	if (!opt->model)
		return;
	pa_free(f->model);
	f->model = Pa_xstrdup(opt->model);
	f->model_from = "the command line";
}

int Pa_hx_exists(const char *dir, const char *name)
{
	char *p = Pa_path_join(dir, name);
	struct stat st;
	int r = lstat(p, &st) == 0;

	pa_free(p);
	return r;
}

char **Pa_hx_chain(const hx_found *f, size_t *n)
{
	const char *rest = Pa_path_under(f->cwd, f->root);
	char **out;
	size_t k = 0, cap = 1;
	const char *s;
	pa_buf b = PA_BUF_INIT;

	if (!rest)
		rest = "";
	for (s = rest; *s; s++)
		if (*s == '/')
			cap++;
	out = Pa_xcalloc(cap + 1, sizeof(char *));
	out[k++] = Pa_xstrdup(f->root);
	pa_buf_puts(&b, f->root);
	s = rest;
	while (*s) {
		const char *e;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		e = strchr(s, '/');
		if (!e)
			e = s + strlen(s);
		if (b.len && b.ptr[b.len - 1] != '/')
			pa_buf_putc(&b, '/');
		pa_buf_put(&b, s, (size_t)(e - s));
		out[k++] = Pa_xstrdup(b.ptr);
		s = e;
	}
	pa_buf_release(&b);
	*n = k;
	return out;
}

static hx_file *push(hx_found *f)
{
	hx_file *x;

	f->files = Pa_xgrow(f->files, f->n, sizeof(hx_file));
	x = &f->files[f->n++];
	memset(x, 0, sizeof(*x));
	x->text = (pa_buf)PA_BUF_INIT;
	return x;
}

/* The file of f already read whose real path is real, or NULL. */
static const hx_file *read_before(const hx_found *f, const char *real)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->files[i].read && f->files[i].real &&
		    !strcmp(f->files[i].real, real))
			return &f->files[i];
	return NULL;
}

size_t Pa_hx_find_real(const hx_found *f, const char *dir, const char *name)
{
	char *path = Pa_path_join(dir, name);
	char *real = realpath(path, NULL);
	size_t i, at = 0;

	for (i = 0; real && i < f->n && !at; i++)
		if (f->files[i].real && !f->files[i].depth &&
		    !strcmp(f->files[i].real, real))
			at = i + 1;
	free(real);
	pa_free(path);
	return at;
}

/* The one reader of every backend: dir/name, held to confine by the link
 * rule, read once per run, within the limits of one file and of all. */
static hx_file *add_file(hx_found *f, const char *dir, const char *name,
                         int global, const char *confine, pa_warnings *warn)
{
	char *path = Pa_path_join(dir, name);
	struct stat st;
	char *real;
	const hx_file *before;
	hx_file *x;
	pa_error e;

	/* bounded work: past the limit of files, nothing more is looked
	 * at (imports made many times over stop here) */
	if (f->n >= PA_WALK_MAX_ENTRIES) {
		if (!f->full)
			Pa_warn_incomplete(warn, name, "past the limit of the number "
			                   "of instruction files");
		f->full = 1;
		pa_free(path);
		return NULL;
	}
	if (lstat(path, &st) != 0) {
		pa_free(path);
		return NULL;
	}
	real = realpath(path, NULL);
	if (!real || stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
		/* a dangling link or a directory: the CLIs find no file */
		free(real);
		pa_free(path);
		return NULL;
	}
	x = push(f);
	x->path = path;
	x->dir = Pa_xstrdup(dir);
	x->global = global;
	x->shown = Pa_path_display(path, f->root, f->home);
	if (Pa_path_is_system(real)) {
		x->reason = "a system file";
	} else if (!confine || !Pa_path_under(real, confine)) {
		x->reason = global ? "a symbolic link that leads out of the home "
		                     "directory"
		          : Pa_path_under(dir, f->root)
		                   ? "a symbolic link that leads out of the project"
		                   : "a symbolic link that leads out of its directory";
	}
	if (x->reason) {
		free(real);
		Pa_warn_incomplete(warn, x->shown, x->reason);
		return x;
	}
	x->real = real;
	/* a file read once per run: a second path to it (a link, an import
	 * made twice) takes the text already read */
	before = read_before(f, real);
	memset(&e, 0, sizeof(e));
	if (before) {
		if (before->text.len > PA_INSTRUCTIONS_TOTAL_MAX_BYTES - f->loaded) {
			x->reason = "past the limit of all instruction files together";
			Pa_warn_incomplete(warn, x->shown, x->reason);
			return x;
		}
		pa_buf_put(&x->text, before->text.ptr, before->text.len);
	} else if (pa_file_read_limited(path, PA_INSTRUCTIONS_MAX_BYTES, 0, &x->text,
	                                &e) != PA_OK) {
		x->reason = e.status == PA_ERR_TOO_LARGE ? "larger than the limit "
		            "of an instruction file" : "it cannot be read";
		pa_buf_reset(&x->text);
		Pa_warn_incomplete(warn, x->shown, x->reason);
		return x;
	} else if (x->text.len > PA_INSTRUCTIONS_TOTAL_MAX_BYTES - f->loaded) {
		x->reason = "past the limit of all instruction files together";
		pa_buf_reset(&x->text);
		Pa_warn_incomplete(warn, x->shown, x->reason);
		return x;
	}
	f->loaded += x->text.len;
	x->read = 1;
	return x;
}

hx_file *Pa_hx_add_file(hx_found *f, const char *dir, const char *name,
                     int global, pa_warnings *warn)
{
	return add_file(f, dir, name, global, global ? f->home : f->root, warn);
}

hx_file *Pa_hx_add_file_held(hx_found *f, const char *dir, const char *name,
                             const char *confine, pa_warnings *warn)
{
	return add_file(f, dir, name, 0, confine, warn);
}

void Pa_hx_note_unread(hx_found *f)
{
	const char *const *names = f->backend->others;
	size_t nd, i, j, k;
	char **dirs;

	if (!names)
		return;
	dirs = Pa_hx_chain(f, &nd);
	for (i = 0; i < nd; i++)
		for (j = 0; names[j]; j++) {
			int reads = 0;
			char *p;

			for (k = 0; k < f->n_names; k++)
				if (!strcmp(f->names[k], names[j]))
					reads = 1;
			if (reads || !Pa_hx_exists(dirs[i], names[j]))
				continue;
			p = Pa_path_join(dirs[i], names[j]);
			f->unread = Pa_xgrow(f->unread, f->n_unread, sizeof(char *));
			f->unread[f->n_unread++] = Pa_path_display(p, f->root, f->home);
			pa_free(p);
		}
	Pa_strings_free(dirs, nd);
}

/* ---- the composition most CLIs have ---- */

void Pa_hx_compose_whole(hx_found *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];

		if (!x->read || x->listed || x->empty)
			continue;
		if (x->text.len >= 3 && !memcmp(x->text.ptr, "\xef\xbb\xbf", 3))
			x->skip = 3;
		x->sent = x->text.len - x->skip - x->replaced;
	}
}

/* ---- where a user may start a CLI ---- */

typedef struct walker {
	char **dirs;
	size_t n;
	size_t entries;
	int incomplete;
	const char *const *names;
	const char *root;
} walker;

static int holds_file(const char *dir, const char *const *files)
{
	size_t i;

	for (i = 0; files[i]; i++)
		if (Pa_hx_exists(dir, files[i]))
			return 1;
	return 0;
}

static void walk(walker *w, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	char **subs = NULL, *dotgit;
	size_t nsubs = 0, i;

	if (depth > PA_WALK_MAX_DEPTH) {
		w->incomplete = 1;
		return;
	}
	if (depth > 0 && holds_file(dir, w->names)) {
		w->dirs = Pa_xgrow(w->dirs, w->n, sizeof(char *));
		w->dirs[w->n++] = Pa_xstrdup(dir);
	}
	d = opendir(dir);
	if (!d)
		return;
	dotgit = Pa_repository_dotgit(dir);
	while ((e = readdir(d)) != NULL) {
		char *p;
		struct stat st;

		if (++w->entries > PA_WALK_MAX_ENTRIES) {
			w->incomplete = 1;
			break;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, "node_modules"))
			continue;
		p = Pa_path_join(dir, e->d_name);
		/* lstat: a link to a directory is not walked into; nor is the
		 * repository's own directory */
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && strcmp(p, dotgit)) {
			subs = Pa_xgrow(subs, nsubs, sizeof(char *));
			subs[nsubs++] = p;
		} else {
			pa_free(p);
		}
	}
	closedir(d);
	pa_free(dotgit);
	/* sorted, so that the order does not depend on the file system */
	for (i = 1; i < nsubs; i++) {
		size_t j = i;

		while (j > 0 && strcmp(subs[j - 1], subs[j]) > 0) {
			char *t = subs[j];

			subs[j] = subs[j - 1];
			subs[j - 1] = t;
			j--;
		}
	}
	for (i = 0; i < nsubs; i++) {
		if (!w->incomplete)
			walk(w, subs[i], depth + 1);
		pa_free(subs[i]);
	}
	pa_free(subs);
}

void Pa_hx_start_dirs(const char *root, const char *const *names, char ***dirs,
                   size_t *n, int *incomplete)
{
	walker wk;

	memset(&wk, 0, sizeof(wk));
	wk.names = names;
	wk.root = root;
	wk.dirs = Pa_xcalloc(1, sizeof(char *));
	wk.dirs[wk.n++] = Pa_xstrdup(root);
	walk(&wk, root, 0);
	*dirs = wk.dirs;
	*n = wk.n;
	*incomplete = wk.incomplete;
}
