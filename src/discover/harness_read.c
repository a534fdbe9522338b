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
#include "services.h"
#include "files.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static char *real_or_copy(const char *path)
{
	char *r = realpath(path, NULL);

	return r ? r : Pa_xstrdup(path);
}

pa_status Pa_hx_found_init(hx_found *f, const Pa_cli_backend *b,
                           const pa_harness_options *opt, pa_error *err)
{
	const char *cwd = opt->cwd ? opt->cwd : ".";
	const char *home = opt->home ? opt->home : Pa_env_get(opt->env, "HOME");
	char *d;
	struct stat st;
	pa_status st_root;

	memset(f, 0, sizeof(*f));
	f->backend = b;
	f->cache = opt->cache;
	f->no_user = opt->no_user;
	f->no_ancestors = opt->no_ancestors;
	f->trust = opt->trust;
	f->approve_links = opt->approve_links;
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
	st_root = Pa_root_repository(f->cache, f->cwd, &d, err);
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
	pa_free(x->spans);
	pa_buf_release(&x->as_sent);
}

void Pa_hx_drop_last(hx_found *f)
{
	hx_file *x;

	if (!f->n)
		return;
	x = &f->files[--f->n];
	Pa_strset_remove(&f->paths, x->path, strlen(x->path));
	if (x->real && Pa_strset_get(&f->reals, x->real, strlen(x->real)) == f->n + 1)
		Pa_strset_remove(&f->reals, x->real, strlen(x->real));
	file_release(x);
}

void Pa_hx_note_input(hx_found *f, const char *path)
{
	char *abs = Pa_path_normalize(f->cwd, path);

	if (Pa_strset_add(&f->input_set, abs, strlen(abs))) {
		f->inputs = Pa_xgrow(f->inputs, f->n_inputs, sizeof(char *));
		f->inputs[f->n_inputs++] = abs;
	} else {
		pa_free(abs);
	}
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
	Pa_strings_free(f->inputs, f->n_inputs);
	Pa_strset_release(&f->paths);
	Pa_strset_release(&f->reals);
	Pa_strset_release(&f->input_set);
	Pa_strset_release(&f->texts);
	free(f->cwd);
	pa_free(f->root);
	free(f->home);
	pa_free(f->model);
	pa_free(f->config);
	pa_free(f->config_text);
	pa_free(f->config_text_from);
	memset(f, 0, sizeof(*f));
}

void Pa_hx_set_names(hx_found *f, const char *const *names, size_t n)
{
	Pa_strset seen = PA_STRSET_INIT;
	size_t i, k = 0;

	Pa_strings_free(f->names, f->n_names);
	f->names = Pa_xcalloc(n ? n : 1, sizeof(char *));
	for (i = 0; i < n; i++)
		if (Pa_strset_add(&seen, names[i], strlen(names[i])))
			f->names[k++] = Pa_xstrdup(names[i]);
	f->n_names = k;
	Pa_strset_release(&seen);
}

/* A file's name: not a path, and no NUL (which no file name holds; read
 * as a C string "AGENTS.md\u0000x" named AGENTS.md). */
static int plain_name(const Pa_jnode *v)
{
	return v->type == PA_JSON_STRING && *v->text && !strchr(v->text, '/') &&
	       strcmp(v->text, ".") && strcmp(v->text, "..") &&
	       strlen(v->text) == v->len;
}

void Pa_hx_set_names_json(hx_found *f, const Pa_jnode *v)
{
	const char **nm;
	size_t i, k = 0;

	if (v && v->type == PA_JSON_STRING) {
		if (plain_name(v))
			Pa_hx_set_names(f, (const char *const *)&v->text, 1);
		return;
	}
	if (!v || v->type != PA_JSON_ARRAY)
		return;
	nm = Pa_xcalloc(v->n + 1, sizeof(char *));
	for (i = 0; i < v->n; i++)
		if (plain_name(v->items[i]))
			nm[k++] = v->items[i]->text;
	Pa_hx_set_names(f, nm, k);
	pa_free(nm);
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

static hx_file *push(hx_found *f, char *path)
{
	hx_file *x;

	f->files = Pa_xgrow(f->files, f->n, sizeof(hx_file));
	x = &f->files[f->n++];
	memset(x, 0, sizeof(*x));
	x->text = (pa_buf)PA_BUF_INIT;
	x->as_sent = (pa_buf)PA_BUF_INIT;
	x->path = path;
	Pa_strset_add(&f->paths, path, strlen(path));
	return x;
}

int Pa_hx_model_usable(hx_found *f, const Pa_jnode *m, const char *conf)
{
	if (!m || m->type != PA_JSON_STRING)
		return 0;
	if (strlen(m->text) != m->len)
		Pa_hx_add_refused(f, conf, conf, "the model it names holds a NUL "
		                  "character: no model promptasm can count for",
		                  f->warn);
	else if (m->len > PA_MODEL_NAME_MAX)
		Pa_hx_add_refused(f, conf, conf, "the model it names is longer than "
		                  PA_TEXT(PA_MODEL_NAME_MAX) " bytes: no model has such "
		                  "a name", f->warn);
	else
		return 1;
	return 0;
}

hx_file *Pa_hx_add_refused(hx_found *f, const char *path, const char *shown,
                           const char *reason, pa_warnings *warn)
{
	hx_file *x = push(f, Pa_xstrdup(path));

	x->dir = Pa_path_dirname(path);
	x->shown = Pa_xstrdup(shown);
	x->reason = reason;
	Pa_warn_incomplete(warn, x->shown, reason);
	return x;
}

hx_file *Pa_hx_add_read(hx_found *f, const char *path, const char *shown,
                        const char *text, size_t len)
{
	hx_file *x = push(f, Pa_xstrdup(path));

	x->real = realpath(path, NULL);
	x->dir = Pa_path_dirname(path);
	x->shown = Pa_xstrdup(shown);
	x->read = 1;
	pa_buf_put(&x->text, text, len);
	f->loaded += len;
	Pa_hx_note_input(f, path);
	return x;
}

/* The limit of the number of files of one load, reached: one entry
 * says so, and makes the request incomplete. */
static void mark_full(hx_found *f, const char *name, pa_warnings *warn)
{
	char *shown;

	if (f->full)
		return;
	f->full = 1;
	shown = Pa_path_display(name, f->root, f->home);
	Pa_hx_add_refused(f, name, shown, "past the limit of the number of "
	                  "instruction files of one load (PA_LOAD_MAX_FILES, "
	                  "10000 files, a limit of promptasm: not read, nor any "
	                  "file after it)", warn);
	free(shown); /* the entry keeps its own copy */
}

/* The file of f already read whose real path is real, or NULL: by the
 * map of real paths, so that many files (a hostile project's thousands
 * of imports) cost linear time.  Copilot moves files once discovery is
 * done; an index that no longer holds real is looked past. */
static const hx_file *read_before(const hx_found *f, const char *real)
{
	size_t at = Pa_strset_get(&f->reals, real, strlen(real));
	const hx_file *x = at && at <= f->n ? &f->files[at - 1] : NULL;

	return x && x->read && x->real && !strcmp(x->real, real) ? x : NULL;
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

static const char total_reason[] = "past the limit of all instruction files "
	"of one load together (PA_INSTRUCTIONS_TOTAL_MAX_BYTES, 16 MiB, a limit "
	"of promptasm)";

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
	if (f->n >= PA_LOAD_MAX_FILES) {
		mark_full(f, path, warn);
		pa_free(path);
		return NULL;
	}
	if (lstat(path, &st) != 0) {
		pa_free(path);
		return NULL;
	}
	real = realpath(path, NULL);
	if (!real || stat(real, &st) != 0 || S_ISDIR(st.st_mode)) {
		/* a dangling link or a directory: the CLIs find no file */
		free(real);
		pa_free(path);
		return NULL;
	}
	x = push(f, path);
	x->dir = Pa_xstrdup(dir);
	x->global = global;
	x->shown = Pa_path_display(path, f->root, f->home);
	if (Pa_path_is_system(real)) {
		x->reason = "a system file";
	} else if (!S_ISREG(st.st_mode)) {
		/* a FIFO, a socket or a device under the name (or a link to
		 * one): the CLIs open it (Codex takes any link, and reads
		 * what it gives), so it is refused with a warning as the
		 * walk refuses one, never passed over as no file: check
		 * fails closed instead of counting nothing */
		x->reason = "not a regular file";
	} else if ((!confine || !Pa_path_under(real, confine)) &&
	           !(f->approve_links && confine && Pa_path_under(path, confine))) {
		/* a link that leads out; the user's --approve-imports reads
		 * it, as it does Claude Code's files of the loading order */
		x->reason = global && f->home && Pa_path_under(dir, f->home)
		                ? "a symbolic link that leads out of the home "
		                  "directory"
		          : global ? "a symbolic link that leads out of its directory"
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
	 * made twice) takes the text already read; the link rule above was
	 * applied to this path all the same, and the run's cache gives only
	 * the bytes of a file this path may read */
	before = read_before(f, real);
	memset(&e, 0, sizeof(e));
	if (before) {
		if (before->text.len > PA_INSTRUCTIONS_TOTAL_MAX_BYTES - f->loaded) {
			x->reason = total_reason;
			Pa_warn_incomplete(warn, x->shown, x->reason);
			return x;
		}
		pa_buf_put(&x->text, before->text.ptr, before->text.len);
	} else if (Pa_hx_read_text(f->cache, path, real, &x->text, &e) != PA_OK) {
		x->reason = e.status == PA_ERR_TOO_LARGE ? "larger than the limit "
		            "of an instruction file" : "it cannot be read";
		pa_buf_reset(&x->text);
		Pa_warn_incomplete(warn, x->shown, x->reason);
		return x;
	} else if (x->text.len > PA_INSTRUCTIONS_TOTAL_MAX_BYTES - f->loaded) {
		x->reason = total_reason;
		pa_buf_reset(&x->text);
		Pa_warn_incomplete(warn, x->shown, x->reason);
		return x;
	}
	if (x->text.cap > x->text.len + 4096) {
		/* the reader grows by 64 KiB: a load of 10,000 small files
		 * keeps what they hold, not 10,000 times that */
		pa_buf t = PA_BUF_INIT;

		pa_buf_put(&t, x->text.ptr, x->text.len);
		pa_buf_release(&x->text);
		x->text = t;
	}
	f->loaded += x->text.len;
	x->read = 1;
	if (!before)
		*Pa_strset_value(&f->reals, real, strlen(real)) = f->n;
	Pa_hx_note_input(f, path);
	return x;
}

hx_file *Pa_hx_add_file(hx_found *f, const char *dir, const char *name,
                     int global, pa_warnings *warn)
{
	/* a global file in a configuration home outside HOME ($CODEX_HOME,
	 * $XDG_CONFIG_HOME elsewhere: the user's choice) is held to its
	 * own directory */
	char *own = NULL;
	hx_file *x;

	if (global && !(f->home && Pa_path_under(dir, f->home)))
		own = realpath(dir, NULL);
	x = add_file(f, dir, name, global, !global ? f->root : own ? own : f->home,
	             warn);
	free(own);
	return x;
}

hx_file *Pa_hx_add_file_held(hx_found *f, const char *dir, const char *name,
                             const char *confine, pa_warnings *warn)
{
	return add_file(f, dir, name, 0, confine, warn);
}

/* JavaScript's trim() of the ASCII white space a variable may hold. */
static int js_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Pa_hx_system_md()'s file, and Pa_hx_identity_md()'s (dotdir NULL:
 * "1" and "true" name no file). */
static hx_file *env_file(hx_found *f, const pa_harness_options *opt,
                         const char *var, const char *dotdir,
                         pa_warnings *warn)
{
	const char *v = Pa_env_get(opt->env, var);
	char *val, *path, *dir, *own = NULL, *shown;
	const char *name;
	size_t a = 0, b;
	hx_file *x;

	if (!v)
		return NULL;
	b = strlen(v);
	while (a < b && js_space(v[a]))
		a++;
	while (b > a && js_space(v[b - 1]))
		b--;
	if (a == b)
		return NULL;
	val = Pa_xstrndup(v + a, b - a);
	if (!strcasecmp(val, "0") || !strcasecmp(val, "false")) {
		pa_free(val);
		return NULL;
	}
	if ((!strcasecmp(val, "1") || !strcasecmp(val, "true")) && !dotdir) {
		pa_free(val);
		return NULL;
	} else if (!strcasecmp(val, "1") || !strcasecmp(val, "true")) {
		char *d = Pa_path_join(f->cwd, dotdir);

		path = Pa_path_join(d, "system.md");
		pa_free(d);
	} else if (val[0] == '~' && (!val[1] || val[1] == '/')) {
		path = f->home ? Pa_path_normalize(f->home, val[1] ? val + 2 : ".")
		               : NULL;
	} else {
		path = Pa_path_normalize(f->cwd, val);
	}
	pa_free(val);
	if (!path)
		return NULL;
	dir = Pa_path_dirname(path);
	name = path + strlen(dir) + (strcmp(dir, "/") ? 1 : 0);
	if (!Pa_path_under(path, f->root)) {
		if (f->no_user) {
			pa_free(dir);
			pa_free(path);
			return NULL;
		}
		own = realpath(dir, NULL);
	}
	x = !*name ? NULL
	    : Pa_hx_add_file_held(f, dir, name,
	                          Pa_path_under(path, f->root) ? f->root
	                          : own ? own : dir, warn);
	if (x) {
		x->global = !Pa_path_under(path, f->root);
		x->in = HX_IN_SYSTEM;
		/* the CLI's own prompt, not a file it frames */
		x->frame = Pa_xstrdup("");
	} else {
		shown = Pa_path_display(path, f->root, f->home);
		Pa_warn_at(warn, shown, 0, "%s names %s, which is not a file: %s "
		           "stops there", var, shown, f->backend->display);
		pa_free(shown);
	}
	free(own);
	pa_free(dir);
	pa_free(path);
	return x;
}

hx_file *Pa_hx_system_md(hx_found *f, const pa_harness_options *opt,
                         const char *var, const char *dotdir,
                         pa_warnings *warn)
{
	hx_file *x = env_file(f, opt, var, dotdir, warn);

	if (x && x->read)
		f->own_replaced = 1;
	return x;
}

hx_file *Pa_hx_identity_md(hx_found *f, const pa_harness_options *opt,
                           const char *var, pa_warnings *warn)
{
	hx_file *x = env_file(f, opt, var, NULL, warn);
	const char *t;
	size_t n;

	if (!x || !x->read)
		return x;
	t = x->text.ptr;
	n = x->text.len;
	Pa_text_trim(&t, &n);
	if (!n) {
		/* the CLI refuses a file of white space only */
		Pa_warn_at(warn, x->shown, 0, "%s names %s, which holds only white "
		           "space: %s stops there", var, x->shown, f->backend->display);
		return x;
	}
	f->identity = (size_t)(x - f->files) + 1;
	f->own_part = 1;
	return x;
}

/* ---- configuration files and walks ---- */

/* Whether the configuration file at path may be read: a file of the
 * project (under the root, not in home) is held to the project, as its
 * instruction files are; one whose real path leaves it is refused with
 * an entry.  A file there is noted as an input. */
static int config_allowed(hx_found *f, const char *path, const char *shown)
{
	struct stat st;
	char *real;
	int ours, ok = 1;

	if (lstat(path, &st) != 0)
		return 1; /* missing: the loader's rule */
	ours = Pa_path_under(path, f->root) &&
	       !(f->home && Pa_path_under(path, f->home) &&
	         !Pa_path_under(f->home, f->root));
	real = realpath(path, NULL);
	if (real && Pa_path_is_system(real)) {
		Pa_hx_add_refused(f, path, shown, "a system file (a configuration "
		                  "file: not read)", f->warn);
		ok = 0;
	} else if (ours && real && !Pa_path_under(real, f->root)) {
		Pa_hx_add_refused(f, path, shown, "a symbolic link that leads out of "
		                  "the project (a configuration file: not read)",
		                  f->warn);
		ok = 0;
	}
	if (ok)
		Pa_hx_note_input(f, path);
	free(real);
	return ok;
}

pa_status Pa_hx_cfg_json(hx_found *f, const Pa_cfg_rule *rule, const char *path,
                         const char *shown, Pa_cfg_json *out, pa_error *err)
{
	pa_status st;

	if (!config_allowed(f, path, shown)) {
		memset(out, 0, sizeof(*out));
		return PA_OK;
	}
	st = Pa_cfg_json_read(rule, path, shown, f->cache, out, f->warn, err);
	/* one its program reads and promptasm could not: the request is
	 * incomplete (only a file that does not exist is absent) */
	if (st == PA_OK && out->unread)
		Pa_hx_add_refused(f, path, shown, out->unread, f->warn);
	return st;
}

pa_status Pa_hx_cfg_toml(hx_found *f, const Pa_cfg_rule *rule, const char *path,
                         const char *shown, hx_toml_cb cb, void *ctx,
                         int *found, pa_error *err)
{
	if (!config_allowed(f, path, shown)) {
		*found = 0;
		return PA_OK;
	}
	return Pa_cfg_toml_read(rule, path, shown, f->cache, cb, ctx, found, err);
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void Pa_hx_find_md_files(hx_found *f, const char *dir, int flags,
                         pa_warnings *warn, char ***files, size_t *n)
{
	Pa_hx_find_md_files_in(f, dir, f->root, flags, warn, files, n);
}

void Pa_hx_find_md_files_in(hx_found *f, const char *dir, const char *confine,
                            int flags, pa_warnings *warn, char ***files,
                            size_t *n)
{
	Pa_places pl;
	pa_warnings w = { NULL, 0 };
	size_t i;
	int stopped = 0;

	memset(&pl, 0, sizeof(pl));
	pl.root = f->root;
	pl.cwd = f->cwd;
	pl.home = f->home;
	Pa_hx_md_files(f->cache, dir, confine, &pl, flags, &w, files, n);
	for (i = 0; i < w.n; i++)
		stopped |= w.items[i].kind == PA_WARNING_INCOMPLETE;
	if (warn)
		Pa_warnings_add_copies(warn, &w);
	/* what the walk skipped with a warning: Copilot and opencode read
	 * it.  A .md link that leads out of the project goes to the caller
	 * with the files, whose filter (a glob, a suffix) says whether the
	 * CLI would read it, and Pa_hx_add_file() refuses it; a directory
	 * that leads out, a FIFO or a device is refused here */
	for (i = 0; i < w.n; i++) {
		const pa_warning *it = &w.items[i];
		size_t l;
		char *abs;

		if (it->kind == PA_WARNING_INCOMPLETE || !it->path)
			continue;
		if (it->path[0] == '/')
			abs = Pa_xstrdup(it->path);
		else if (it->path[0] == '~' && f->home)
			abs = Pa_path_join(f->home, it->path[1] == '/' ? it->path + 2
			                                              : it->path + 1);
		else
			abs = Pa_path_join(f->root, it->path);
		l = strlen(abs);
		if (strstr(it->message, "symbolic link") && l > 3 &&
		    !strcmp(abs + l - 3, ".md")) {
			*files = Pa_xgrow(*files, *n, sizeof(char *));
			(*files)[(*n)++] = abs;
			continue;
		}
		Pa_hx_add_refused(f, abs, it->path,
		                  strstr(it->message, "symbolic link")
		                      ? "a symbolic link that leads out of the "
		                        "project, found by the walk: its CLI reads "
		                        "what it leads to, promptasm does not"
		                      : "not a regular file, found by the walk: its "
		                        "CLI reads it, promptasm does not", warn);
		pa_free(abs);
	}
	if (*n > 1)
		qsort(*files, *n, sizeof(char *), cmp_path);
	pa_warnings_release(&w);
	if (stopped) {
		char *shown = Pa_path_display(dir, f->root, f->home);

		/* the warnings above name what; the entry fails the request */
		Pa_hx_add_refused(f, dir, shown, "the walk of this directory did not "
		                  "read every file (a limit of promptasm: "
		                  "PA_WALK_MAX_ENTRIES entries (" PA_WALK_RAISE "), "
		                  "PA_WALK_MAX_DEPTH, 256 levels; or a name or "
		                  "directory it cannot read)", NULL);
		pa_free(shown);
	}
}

/* 1 when dir/name is a file the CLI reads under another name: a link to
 * it or from it (CLAUDE.md -> AGENTS.md), or a hard link: its text is
 * sent, so the name is no file left unread. */
static int same_as_read(const hx_found *f, const char *dir, const char *name)
{
	char *path;
	struct stat st, other;
	size_t i;
	int same = 0;

	if (Pa_hx_find_real(f, dir, name))
		return 1;
	path = Pa_path_join(dir, name);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		for (i = 0; i < f->n && !same; i++)
			same = f->files[i].read && f->files[i].real &&
			       stat(f->files[i].real, &other) == 0 &&
			       other.st_dev == st.st_dev && other.st_ino == st.st_ino;
	pa_free(path);
	return same;
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
			if (reads || !Pa_hx_exists(dirs[i], names[j]) ||
			    same_as_read(f, dirs[i], names[j]))
				continue;
			p = Pa_path_join(dirs[i], names[j]);
			f->unread = Pa_xgrow(f->unread, f->n_unread, sizeof(char *));
			f->unread[f->n_unread++] = Pa_path_display(p, f->root, f->home);
			pa_free(p);
		}
	Pa_strings_free(dirs, nd);
}

/* ---- context.includeDirectories (Gemini CLI, Qwen Code) ---- */

/* The included directories of one load at most (each is walked up to its
 * root): a limit of promptasm's. */
#define HX_INCLUDE_MAX_DIRS 256

void Pa_hx_dirs_json(hx_found *f, const Pa_jnode *v, int user, char ***dirs,
                     int **users, size_t *n)
{
	size_t k;

	if (user && f->no_user)
		return; /* the user's level adds nothing */
	for (k = 0; v && v->type == PA_JSON_ARRAY && k < v->n; k++) {
		const Pa_jnode *e = v->items[k];
		char *abs;
		size_t j;
		int again = 0;

		if (e->type != PA_JSON_STRING || !*e->text || strlen(e->text) != e->len)
			continue;
		if (*n >= HX_INCLUDE_MAX_DIRS) {
			/* bounded work: past the limit, the load is incomplete */
			Pa_hx_add_refused(f, e->text, e->text, "past the limit of "
			                  "context.includeDirectories of one load (a "
			                  "limit of promptasm's: not read, nor any after "
			                  "it)", f->warn);
			return;
		}
		if (e->text[0] == '~' && (!e->text[1] || e->text[1] == '/')) {
			char *h;

			if (!f->home)
				continue;
			h = Pa_xmalloc(strlen(f->home) + strlen(e->text) + 1);
			strcpy(h, f->home);
			strcat(h, e->text + 1);
			abs = Pa_path_normalize(f->cwd, h);
			pa_free(h);
		} else {
			abs = Pa_path_normalize(f->cwd, e->text);
		}
		/* each directory once, as the CLIs keep a set of them */
		for (j = 0; j < *n && !again; j++)
			again = !strcmp((*dirs)[j], abs);
		if (again) {
			pa_free(abs);
			continue;
		}
		*dirs = Pa_xgrow(*dirs, *n, sizeof(char *));
		*users = Pa_xrealloc(*users, (*n + 1) * sizeof(int));
		(*users)[*n] = user;
		(*dirs)[(*n)++] = abs;
	}
}

int Pa_hx_dir_allowed(hx_found *f, const char *dir, int user, pa_warnings *warn)
{
	struct stat st;

	/* a directory the project names outside itself is not looked at,
	 * not even whether it exists (the user's own settings may name any) */
	if (!user && !Pa_path_under(dir, f->root)) {
		Pa_hx_add_refused(f, dir, dir, "a directory of "
		                  "context.includeDirectories outside the project "
		                  "(its CLI reads its files, promptasm does not)", warn);
		return 0;
	}
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- the composition most CLIs have ---- */

void Pa_hx_compose_whole(hx_found *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];

		if (x->skill) {
			x->sent = x->as_sent.len; /* its entry in the listing */
			continue;
		}
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
	pa_harness_cache *cache;
	/* the directory being listed: its subdirectories, and whether it
	 * holds one of names, and a .gitignore */
	int holds;
	int has_gitignore;
	const char *at;
	char **subs;
	size_t nsubs;
	/* with ignore: what git leaves out, the path of the directory from
	 * the root ("" there), the directories of tracked files (NULL: no
	 * index read) */
	Pa_ignore *ig;
	pa_buf rel;
	const Pa_strset *tracked;
} walker;

static int holds_file(const char *dir, const char *const *files)
{
	size_t i;

	for (i = 0; files[i]; i++)
		if (Pa_hx_exists(dir, files[i]))
			return 1;
	return 0;
}

static int entry(void *ctx, const char *name, int sub)
{
	walker *w = ctx;
	size_t i;

	if (++w->entries > pa_walk_limit()) {
		w->incomplete = 1;
		return 0;
	}
	/* One of the names, as any kind of file (Pa_hx_exists()): from the
	 * listing, not an lstat of each name in each directory (a name with
	 * a `/` is looked up by walk()). */
	for (i = 0; !w->holds && w->names[i]; i++)
		if (!strcmp(name, w->names[i]))
			w->holds = 1;
	if (!sub && !strcmp(name, ".gitignore"))
		w->has_gitignore = 1;
	if (sub) {
		w->subs = Pa_xgrow(w->subs, w->nsubs, sizeof(char *));
		w->subs[w->nsubs++] = Pa_path_join(w->at, name);
	}
	return 1;
}

static int cmp_sub(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pushes dir's .gitignore (read once per cache) onto w->ig; 1 when it
 * was read.  A link is not followed (as git does not since 2.32): it could
 * lead out of the repository.  One over the limit of an instruction file
 * leaves what it ignores unknown: the walk is incomplete (2), as git reads
 * it whole. */
static int push_gitignore(walker *w, const char *dir)
{
	pa_buf text = PA_BUF_INIT;
	char *p = Pa_path_join(dir, ".gitignore");
	pa_status rs = Pa_hx_read_ignore(w->cache, p, &text);
	int ok = rs == PA_OK;

	if (ok)
		Pa_ignore_push(w->ig, w->rel.ptr, text.ptr, text.len);
	else if (rs == PA_ERR_TOO_LARGE)
		w->incomplete = PA_WALK_IGNORE_TOO_LARGE;
	pa_buf_release(&text);
	pa_free(p);
	return ok;
}

/* How the subdirectory name of the directory w->rel is walked, in a
 * directory git ignores when in_ignored: 0 not at all (git ignores it and
 * tracks nothing in it), 1 as any, 2 for the directories of tracked files
 * only (git ignores it but tracks files in it). */
static int walk_as(walker *w, const char *name, int in_ignored)
{
	size_t keep = w->rel.len;
	int ignored, tracked;

	if (keep)
		pa_buf_putc(&w->rel, '/');
	pa_buf_puts(&w->rel, name);
	ignored = in_ignored || Pa_ignore_has(w->ig, w->rel.ptr, 1);
	tracked = w->tracked && Pa_strset_has(w->tracked, w->rel.ptr, w->rel.len);
	pa_buf_truncate(&w->rel, keep);
	return !ignored ? 1 : tracked ? 2 : 0;
}

/* in_ignored: dir is one git ignores (its tracked files' directories
 * only are walked). */
static void walk(walker *w, const char *dir, int depth, int in_ignored)
{
	char **subs;
	size_t nsubs, i;
	int pushed = 0;

	if (depth > PA_WALK_MAX_DEPTH) {
		/* its own reason: a message naming the limit of entries would
		 * send the user to --max-entries, which cannot help */
		w->incomplete = PA_WALK_TOO_DEEP;
		return;
	}
	/* each directory listed once per run (the cache's) */
	w->at = dir;
	w->subs = NULL;
	w->nsubs = 0;
	w->holds = 0;
	w->has_gitignore = 0;
	if (!Pa_hx_list_dir(w->cache, dir, entry, w) && depth > 0)
		w->holds = holds_file(dir, w->names); /* not listable */
	/* a name below the directory (".gemini/settings.json") is not in
	 * its listing: looked up */
	for (i = 0; depth > 0 && !w->holds && w->names[i]; i++)
		if (strchr(w->names[i], '/'))
			w->holds = Pa_hx_exists(dir, w->names[i]);
	if (depth > 0 && w->holds) {
		w->dirs = Pa_xgrow(w->dirs, w->n, sizeof(char *));
		w->dirs[w->n++] = Pa_xstrdup(dir);
	}
	subs = w->subs;
	nsubs = w->nsubs;
	/* sorted, so that the order does not depend on the file system (by
	 * qsort: a directory of 30,000 directories took an insertion sort
	 * 450 million steps) */
	if (nsubs > 1)
		qsort(subs, nsubs, sizeof(*subs), cmp_sub);
	if (w->ig && w->has_gitignore && !in_ignored)
		pushed = push_gitignore(w, dir);
	for (i = 0; i < nsubs; i++) {
		const char *name = strrchr(subs[i], '/');
		int as = 1;

		name = name ? name + 1 : subs[i];
		if (w->ig)
			as = walk_as(w, name, in_ignored);
		if (!w->incomplete && as) {
			size_t keep = w->rel.len;

			if (keep)
				pa_buf_putc(&w->rel, '/');
			pa_buf_puts(&w->rel, name);
			walk(w, subs[i], depth + 1, as == 2);
			pa_buf_truncate(&w->rel, keep);
		}
		pa_free(subs[i]);
	}
	pa_free(subs);
	if (pushed)
		Pa_ignore_pop(w->ig);
}

void Pa_hx_start_dirs(pa_harness_cache *cache, const char *root,
                      const char *const *names, int ignore, char ***dirs,
                      size_t *n, int *incomplete)
{
	walker wk;
	Pa_strset *own = NULL;

	memset(&wk, 0, sizeof(wk));
	wk.cache = cache;
	wk.names = names;
	wk.root = root;
	wk.rel = (pa_buf)PA_BUF_INIT;
	if (ignore) {
		char *dotgit = Pa_repository_dotgit(root), *exclude;
		pa_buf text = PA_BUF_INIT;

		wk.ig = Pa_ignore_new();
		/* the repository's own excludes: only a .git directory's
		 * (a worktree's is in a git directory elsewhere) */
		if (Pa_repository_gitdir(cache, root)) {
			pa_status rs;

			exclude = Pa_path_join(dotgit, "info/exclude");
			rs = Pa_hx_read_ignore(cache, exclude, &text);
			if (rs == PA_OK)
				Pa_ignore_push(wk.ig, "", text.ptr, text.len);
			else if (rs == PA_ERR_TOO_LARGE)
				wk.incomplete = PA_WALK_IGNORE_TOO_LARGE;
			pa_free(exclude);
		}
		pa_buf_release(&text);
		wk.tracked = Pa_hx_tracked_dirs(cache, root, dotgit, &own);
		pa_free(dotgit);
	}
	wk.dirs = Pa_xcalloc(1, sizeof(char *));
	wk.dirs[wk.n++] = Pa_xstrdup(root);
	walk(&wk, root, 0, 0);
	*dirs = wk.dirs;
	*n = wk.n;
	*incomplete = wk.incomplete;
	Pa_ignore_free(wk.ig);
	pa_buf_release(&wk.rel);
	Pa_hx_tracked_dirs_free(own);
}
