/* paths.c - paths, directory walks and the places a composition reads:
 * the working directory, the project root, the home directory (their
 * configuration is discover.c's). */
#define _XOPEN_SOURCE 700
#include "discover.h"
#include "files.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What places resolved without discovery point to. */
static const Pa_cc_config empty_config = { .auto_memory = -1, .co_authored_by = -1,
                                            .git_instructions = -1,
                                            .bundled_skills = -1 };

void Pa_text_normalize_newlines(pa_buf *b)
{
	size_t i, j = 0;

	for (i = 0; i < b->len; i++) {
		if (b->ptr[i] == '\r' && i + 1 < b->len && b->ptr[i + 1] == '\n')
			continue;
		b->ptr[j++] = b->ptr[i];
	}
	pa_buf_truncate(b, j);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

size_t Pa_text_trim(const char **s, size_t *len)
{
	size_t lines = 0;

	while (*len > 0 && is_space(**s)) {
		lines += **s == '\n';
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
	return lines;
}

char *Pa_path_display(const char *path, const char *root, const char *home)
{
	const char *in_root = root ? Pa_path_under(path, root) : NULL;
	const char *in_home = home ? Pa_path_under(path, home) : NULL;

	/* The nearer of the two wins: a home inside the project (as in the
	 * tests) still shows as ~. */
	if (in_root && *in_root && !(in_home && in_home < in_root) &&
	    !(in_home && strlen(home) > strlen(root)))
		return Pa_xstrdup(in_root);
	if (in_home) {
		pa_buf b = PA_BUF_INIT;
		pa_buf_puts(&b, "~");
		if (*in_home) {
			pa_buf_putc(&b, '/');
			pa_buf_puts(&b, in_home);
		}
		return pa_buf_detach(&b, NULL);
	}
	if (in_root && *in_root)
		return Pa_xstrdup(in_root);
	return Pa_xstrdup(path);
}

typedef struct walk {
	char **files;
	size_t n;
	Pa_strset seen;      /* real paths of directories walked, against loops */
	char *confine;       /* real path of what symbolic links may lead to */
	const Pa_places *pl; /* for showing paths in warnings */
	pa_warnings *warn;
	size_t entries;      /* directory entries read so far */
	int stopped_depth, stopped_entries;
	pa_harness_cache *cache; /* the run's listings (NULL: none) */
	int skip_hidden;     /* a name beginning with `.` is not walked */
} walk;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "PATH: what", PATH shown as sections' paths are. */
static void walk_warn(walk *w, const char *path, const char *what)
{
	char *shown = Pa_path_display(path, w->pl->root, w->pl->home);

	Pa_warn_at(w->warn, shown, 0, "%s: %s", shown, what);
	free(shown);
}

/* What lies at path was not read, though the loading order names it: a
 * limit or a name the walk cannot use.  Never a silent skip: check fails
 * on it (PA_WARNING_INCOMPLETE) unless told to skip what is invalid. */
static void walk_incomplete(walk *w, const char *path, const char *why)
{
	char *shown = Pa_path_display(path, w->pl->root, w->pl->home);

	Pa_warn_incomplete(w->warn, shown, why);
	free(shown);
}

/* The same, for a call that failed with errno e. */
static void walk_failed(walk *w, const char *path, int e)
{
	char why[160];

	snprintf(why, sizeof(why), "%s", strerror(e));
	walk_incomplete(w, path, why);
}

static const char out_of_tree[] =
	"skipped: a symbolic link that leads out of the project";

/* One more entry of dir for the walk: 0 at the walk's limit, which is
 * said once, the first time it stops a directory. */
static int count_entry(walk *w, const char *dir)
{
	if (w->entries >= pa_walk_limit()) {
		if (!w->stopped_entries++) {
			char what[200];
			snprintf(what, sizeof(what), "the walk stopped at its "
			         "limit of %zu directory entries; the rest is "
			         "not read (" PA_WALK_RAISE ")", pa_walk_limit());
			walk_incomplete(w, dir, what);
		}
		return 0;
	}
	w->entries++;
	return 1;
}

typedef struct cached_names {
	walk *w;
	const char *dir;
	char **names;
	size_t n;
} cached_names;

/* One name of the run's listing of a directory: as read_names() takes
 * one from readdir. */
static int take_cached(void *ctx, const char *name, int sub)
{
	cached_names *c = ctx;
	walk *w = c->w;

	(void)sub;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 1;
	if (!count_entry(w, c->dir))
		return 0;
	c->names = Pa_xgrow(c->names, c->n, sizeof(*c->names));
	c->names[c->n++] = Pa_xstrdup(name);
	return 1;
}

/* The names in dir, sorted so the order never depends on the file
 * system; no more than the entries the walk has left. */
static char **read_names(walk *w, const char *dir, size_t *n)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;

	*n = 0;
	if (w->cache) {
		/* the run's listing: each directory read once, whichever CLI
		 * and start directory asks */
		cached_names c;

		memset(&c, 0, sizeof(c));
		c.w = w;
		c.dir = dir;
		if (!Pa_hx_list_dir(w->cache, dir, take_cached, &c)) {
			/* not opened, or not read whole: opened again for
			 * why (the cache keeps no errno) */
			Pa_strings_free(c.names, c.n);
			if ((d = opendir(dir)) != NULL) {
				closedir(d);
				walk_failed(w, dir, EIO);
			} else if (errno != ENOENT) {
				walk_failed(w, dir, errno);
			}
			return NULL;
		}
		if (c.n > 1)
			qsort(c.names, c.n, sizeof(*c.names), cmp_str);
		*n = c.n;
		return c.names;
	}
	d = opendir(dir);
	if (!d) {
		if (errno != ENOENT) /* (removed while we walk: nothing lost) */
			walk_failed(w, dir, errno);
		return NULL;
	}
	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL) {
			if (errno)
				walk_failed(w, dir, errno);
			break;
		}
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' ||
		    (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		if (!count_entry(w, dir))
			break;
		names = Pa_xgrow(names, *n, sizeof(*names));
		names[(*n)++] = Pa_xstrdup(e->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(names, *n, sizeof(*names), cmp_str);
	return names;
}

/* Where a symbolic link leads, when that is inside the tree: its real
 * path and st; else NULL (a dangling link; one that leads out, with a
 * warning when it could matter: a directory or a .md name). */
static char *follow_link(walk *w, const char *path, int md, struct stat *st)
{
	char *real = realpath(path, NULL);

	if (!real || stat(real, st) != 0) {
		/* A dangling link names nothing; a loop (`a.md -> b.md -> a.md`)
		 * names a file Claude Code cannot read either, but nobody can
		 * say what was meant: not passed over in silence. */
		if (errno == ELOOP)
			walk_incomplete(w, path, "a loop of symbolic links");
		free(real);
		return NULL;
	}
	if (!Pa_path_under(real, w->confine)) {
		if (S_ISDIR(st->st_mode) || md)
			walk_warn(w, path, out_of_tree);
		free(real);
		return NULL;
	}
	return real;
}

static void walk_dir(walk *w, const char *dir, int depth)
{
	char **names, *real;
	size_t n, i;

	if (depth > PA_WALK_MAX_DEPTH) {
		if (!w->stopped_depth++) {
			char what[128];
			snprintf(what, sizeof(what), "directories nested deeper "
			         "than %d levels are not read", PA_WALK_MAX_DEPTH);
			walk_incomplete(w, dir, what);
		}
		return;
	}
	real = realpath(dir, NULL);
	if (!real) {
		if (errno != ENOENT)
			walk_failed(w, dir, errno);
		return;
	}
	if (!Pa_strset_add(&w->seen, real, strlen(real))) {
		free(real);
		return;
	}
	free(real);
	names = read_names(w, dir, &n);
	for (i = 0; i < n; i++) {
		char *path = Pa_path_join(dir, names[i]);
		size_t len = strlen(names[i]);
		int md = len > 3 && !strcmp(names[i] + len - 3, ".md");
		struct stat st;

		if (w->skip_hidden && names[i][0] == '.') {
			free(path);
			continue;
		}
		if (lstat(path, &st) != 0) {
			/* A path too long to open (PATH_MAX) is not dropped
			 * without a word. */
			if (errno != ENOENT)
				walk_failed(w, path, errno);
			free(path);
			continue;
		}
		if ((md || S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)) &&
		    !pa_utf8_valid(names[i], len, NULL)) {
			/* Its path cannot be shown in a prompt or a report as
			 * it is. */
			walk_incomplete(w, path, "its name is not valid UTF-8");
			free(path);
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			char *target = follow_link(w, path, md, &st);
			if (!target) {
				free(path);
				continue;
			}
			free(target);
		}
		if (S_ISDIR(st.st_mode)) {
			walk_dir(w, path, depth + 1);
			free(path);
		} else if (S_ISREG(st.st_mode) && md) {
			w->files = Pa_xgrow(w->files, w->n, sizeof(*w->files));
			w->files[w->n++] = path;
		} else if (md) {
			/* A FIFO or a device would block or never end. */
			walk_warn(w, path, "skipped: not a regular file");
			free(path);
		} else {
			free(path);
		}
	}
	Pa_strings_free(names, n);
}

void Pa_find_md_files(const char *dir, const char *confine,
                      const Pa_places *pl, pa_warnings *warn, char ***files,
                      size_t *n)
{
	Pa_find_md_files_opt(dir, confine, pl, NULL, 0, warn, files, n);
}

void Pa_find_md_files_opt(const char *dir, const char *confine,
                          const Pa_places *pl, pa_harness_cache *cache,
                          int flags, pa_warnings *warn, char ***files,
                          size_t *n)
{
	walk w;
	char *real = realpath(dir, NULL);

	memset(&w, 0, sizeof(w));
	w.cache = cache;
	w.skip_hidden = (flags & PA_MD_SKIP_HIDDEN) != 0;
	*files = NULL;
	*n = 0;
	if (!real)
		return; /* a missing directory gives none */
	w.confine = realpath(confine, NULL);
	w.pl = pl;
	w.warn = warn;
	/* The directory itself may be a link (`.claude/rules -> /`). */
	if (!w.confine || !Pa_path_under(real, w.confine)) {
		walk_warn(&w, dir, out_of_tree);
	} else {
		walk_dir(&w, dir, 0);
	}
	free(real);
	free(w.confine);
	Pa_strset_release(&w.seen);
	*files = w.files;
	*n = w.n;
}

/* The place path lies in: the project root; else, above the project, the
 * repository root (a CI checkout lies under HOME, and a monorepo's
 * service is checked with -C: its repository's files may not reach into
 * HOME), or home when home lies inside the repository; else home; else
 * NULL (path's own directory). */
/* ---- a walk made once per cache ---- */

void Pa_hx_md_files(pa_harness_cache *c, const char *dir, const char *confine,
                    const Pa_places *pl, int flags, pa_warnings *warn,
                    char ***files, size_t *n)
{
	pa_buf k = PA_BUF_INIT;
	hx_md_walk *e;
	int fresh;
	size_t i;

	if (!c) {
		Pa_find_md_files_opt(dir, confine, pl, NULL, flags, warn, files, n);
		return;
	}
	/* what the walk finds and how it shows paths: the flags, where links
	 * may lead, the root and home of the paths shown, the directory */
	pa_buf_putc(&k, 'W');
	pa_buf_putc(&k, (char)('0' + flags));
	pa_buf_puts(&k, confine);
	pa_buf_putc(&k, '\n');
	pa_buf_puts(&k, pl->root ? pl->root : "");
	pa_buf_putc(&k, '\n');
	pa_buf_puts(&k, pl->home ? pl->home : "");
	pa_buf_putc(&k, '\n');
	pa_buf_puts(&k, dir);
	e = Pa_hx_cache_walk(c, &k, &fresh);
	pa_buf_release(&k);
	if (e && fresh)
		Pa_find_md_files_opt(dir, confine, pl, c, flags, &e->warn, &e->files,
		                     &e->n);
	if (!e) { /* full: walked for this load alone */
		Pa_find_md_files_opt(dir, confine, pl, c, flags, warn, files, n);
		return;
	}
	/* grown as the walk grows its own, never allocated to size: a caller
	 * appends to it with Pa_xgrow() (the .md links that lead out), which
	 * only makes room at a power of two, so an array of 3 was written
	 * past its end */
	*files = NULL;
	for (i = 0; i < e->n; i++) {
		*files = Pa_xgrow(*files, i, sizeof(char *));
		(*files)[i] = Pa_xstrdup(e->files[i]);
	}
	*n = e->n;
	if (warn)
		Pa_warnings_add_copies(warn, &e->warn);
}

static const char *place_of(const Pa_places *pl, const char *path)
{
	int in_home = pl->home && Pa_path_under(path, pl->home);

	if (Pa_path_under(path, pl->root))
		return pl->root;
	if (pl->in_repo && Pa_path_under(path, pl->repo))
		return in_home && Pa_path_under(pl->home, pl->repo) ? pl->home
		                                                    : pl->repo;
	return in_home ? pl->home : NULL;
}

const char *Pa_places_confine(const Pa_places *pl, const char *dir)
{
	const char *place = place_of(pl, dir);

	return place ? place : dir;
}

int Pa_path_is_system(const char *real)
{
	static const char *const never[] = { "/proc", "/sys", "/dev" };
	size_t i;

	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		if (Pa_path_under(real, never[i]))
			return 1;
	return 0;
}

const char *Pa_places_refusal(const Pa_places *pl, const char *path,
                              const char *real, int approved)
{
	const char *place = place_of(pl, path);
	int inside;

	if (Pa_path_is_system(real))
		return "it is a system file";
	if (!place) {
		char *dir = Pa_path_dirname(path);
		inside = Pa_path_under(real, dir) != NULL;
		free(dir);
	} else {
		inside = Pa_path_under(real, place) != NULL;
	}
	if (inside || approved)
		return NULL;
	/* Claude Code reads these files by their path and so follows the
	 * link (measured for the rules of .claude/rules/). */
	if (place == pl->root)
		return "a symbolic link that leads out of the project (Claude Code "
		       "follows it; --approve-imports loads it)";
	if (place && place == pl->repo)
		return "a symbolic link that leads out of the repository (Claude "
		       "Code follows it; --approve-imports loads it)";
	if (place)
		return "a symbolic link that leads out of the home directory (Claude "
		       "Code follows it; --approve-imports loads it)";
	return "a symbolic link that leads out of its directory (Claude Code "
	       "follows it; --approve-imports loads it)";
}

/* ---- the roots: every rule of where a project begins, here alone ----
 *
 * The repository (the nearest .git), Claude Code's project root (the
 * outermost .claude below it: root_of()), Codex's project_root_markers
 * (Pa_root_markers()); the working directory is the rule of a CLI that
 * takes none (Cline).  Each marker is looked at through the run's cache
 * (Pa_hx_kind()), so a run stats each .git once, however many CLIs and
 * start directories ask. */

/* What lies at dir/name, once per cache. */
static unsigned kind_at(pa_harness_cache *c, const char *dir, const char *name)
{
	char *p = Pa_path_join(dir, name);
	unsigned k = Pa_hx_kind(c, p);

	free(p);
	return k;
}

/* The nearest directory from real up that holds marker (a `.claude`
 * directory counts only outside home, whose ~/.claude is the user's);
 * NULL when none does. */
static char *find_up(pa_harness_cache *c, const char *real, const char *home,
                     int claude_too)
{
	char *dir = Pa_xstrdup(real);

	for (;;) {
		int found = (kind_at(c, dir, ".git") & HX_KIND_EXISTS) != 0;
		char *up;

		if (!found && claude_too && !(home && !strcmp(dir, home)))
			found = (kind_at(c, dir, ".claude") & HX_KIND_DIR) != 0;
		if (found)
			return dir;
		if (Pa_path_is_top(dir))
			break;
		up = Pa_path_dirname(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	return NULL;
}

static int has_claude_dir(pa_harness_cache *c, const char *dir, const char *home)
{
	if (home && !strcmp(dir, home))
		return 0; /* ~/.claude is the user's, not a project's */
	return (kind_at(c, dir, ".claude") & HX_KIND_DIR) != 0;
}

/* The project root (see pa_project_root() in promptasm.h). */
static char *root_of(pa_harness_cache *c, const char *real, const char *home)
{
	char *repo = find_up(c, real, home, 0);
	char *dir, *best = NULL;

	if (!repo) { /* no repository: the nearest .claude, else cwd */
		char *near = find_up(c, real, home, 1);
		return near ? near : Pa_xstrdup(real);
	}
	/* The outermost .claude between cwd and the repository root. */
	dir = Pa_xstrdup(real);
	for (;;) {
		char *up;
		if (has_claude_dir(c, dir, home)) {
			free(best);
			best = Pa_xstrdup(dir);
		}
		if (!strcmp(dir, repo) || Pa_path_is_top(dir))
			break;
		up = Pa_path_dirname(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	if (best) {
		free(repo);
		return best;
	}
	return repo;
}

/* The one message for a working directory that cannot be used.  A path
 * longer than PATH_MAX says so (not "Not a directory"): with its length
 * when realpath() resolved it and a later call failed, without when
 * realpath() itself refused it (as it does when it is handed a buffer,
 * which a sanitizer's interceptor does). */
static pa_status cwd_error(pa_error *err, const char *cwd, int e, size_t len)
{
	const char *name = cwd ? cwd : ".";

	if (e == ENAMETOOLONG && len)
		return Pa_error_set(err, PA_ERR_IO, name, 0, 0,
		                    "cannot use directory: its path is %zu bytes, "
		                    "longer than the system allows (%s)", len,
		                    strerror(e));
	if (e == ENAMETOOLONG)
		return Pa_error_set(err, PA_ERR_IO, name, 0, 0,
		                    "cannot use directory: its path is longer than "
		                    "the system allows (%s)", strerror(e));
	return Pa_error_set(err, e == ENOENT ? PA_ERR_NOT_FOUND : PA_ERR_IO,
	                    name, 0, 0, "cannot use directory: %s", strerror(e));
}

char *pa_project_root(const char *cwd, const char *home, pa_error *err)
{
	char *real = realpath(cwd ? cwd : ".", NULL);
	int e = errno; /* before the next call sets it */
	char *hreal;
	char *root;

	if (!real) {
		cwd_error(err, cwd, e, 0);
		return NULL;
	}
	hreal = home && home[0] ? realpath(home, NULL) : NULL;
	root = root_of(NULL, real, hreal);
	free(real);
	free(hreal);
	return root;
}

pa_status pa_repository_root(const char *cwd, char **out, pa_error *err)
{
	char *real = realpath(cwd ? cwd : ".", NULL);
	int e = errno;

	*out = NULL;
	if (!real)
		return cwd_error(err, cwd, e, 0);
	*out = find_up(NULL, real, NULL, 0);
	free(real);
	return PA_OK;
}

pa_status Pa_root_repository(pa_harness_cache *c, const char *dir, char **out,
                             pa_error *err)
{
	char *real = realpath(dir, NULL);
	int e = errno;

	*out = NULL;
	if (!real)
		return cwd_error(err, dir, e, 0);
	*out = find_up(c, real, NULL, 0);
	free(real);
	return PA_OK;
}

char *Pa_root_markers(pa_harness_cache *c, const char *real,
                      char *const *markers, size_t n)
{
	char *d = Pa_xstrdup(real);
	size_t k;

	for (;;) {
		for (k = 0; k < n; k++) {
			/* a name, never a path */
			if (!*markers[k] || strchr(markers[k], '/'))
				continue;
			if (kind_at(c, d, markers[k]) & (HX_KIND_EXISTS | HX_KIND_LINK))
				return d;
		}
		if (Pa_path_is_top(d))
			break;
		{
			char *up = Pa_path_dirname(d);

			free(d);
			d = up;
		}
	}
	free(d);
	return NULL;
}

int Pa_repository_gitdir(pa_harness_cache *c, const char *repo)
{
	unsigned k = kind_at(c, repo, ".git");

	return (k & HX_KIND_DIR) && !(k & HX_KIND_LINK);
}

/* The first line of file, without its line end, or NULL. */
static char *first_line(const char *file)
{
	pa_buf b = PA_BUF_INIT;
	pa_error err;
	size_t n;

	if (Pa_project_read(file, 4096, 0, &b, &err) != PA_OK) {
		pa_buf_release(&b);
		return NULL;
	}
	for (n = 0; n < b.len && b.ptr[n] != '\n' && b.ptr[n] != '\r'; n++)
		;
	pa_buf_truncate(&b, n);
	return pa_buf_detach(&b, NULL);
}

char *Pa_repository_dotgit(const char *repo)
{
	return Pa_path_join(repo, ".git");
}

/* In a linked worktree (repo's .git a file naming a git directory with a
 * `commondir`), the main repository's root; else repo itself: Claude Code
 * names auto memory after the main repository (measured: fixture
 * automem-worktree).  Takes repo; the caller frees the result.  A .git
 * that is a directory is not opened (the cache says what it is). */
static char *repository_main(pa_harness_cache *c, char *repo)
{
	char *dotgit = Pa_repository_dotgit(repo), *line, *gitdir = NULL;
	char *common = NULL, *file, *real = NULL, *root = NULL;

	line = Pa_hx_kind(c, dotgit) & HX_KIND_DIR ? NULL : first_line(dotgit);
	if (line && !strncmp(line, "gitdir: ", 8)) {
		gitdir = line[8] == '/' ? Pa_xstrdup(line + 8) : Pa_path_join(repo, line + 8);
		file = Pa_path_join(gitdir, "commondir");
		common = first_line(file);
		free(file);
	}
	if (common) {
		file = common[0] == '/' ? Pa_xstrdup(common) : Pa_path_join(gitdir, common);
		real = Pa_project_realpath(file);
		free(file);
	}
	if (real) {
		root = Pa_path_dirname(real);
		free(repo);
		repo = root;
	}
	free(real);
	free(common);
	free(gitdir);
	free(line);
	free(dotgit);
	return repo;
}

pa_status Pa_places_find(Pa_places *pl, const pa_compose_options *opt,
                         pa_error *err)
{
	struct stat st;
	int e;

	memset(pl, 0, sizeof(*pl));
	pl->cwd = realpath(opt->cwd ? opt->cwd : ".", NULL);
	/* Each failure says what it is: a path longer than the system's
	 * PATH_MAX resolves, and then cannot be opened (not "Not a
	 * directory"). */
	e = !pl->cwd ? errno : stat(pl->cwd, &st) != 0 ? errno
	    : !S_ISDIR(st.st_mode) ? ENOTDIR : 0;
	if (e) {
		size_t len = pl->cwd ? strlen(pl->cwd) : 0;

		free(pl->cwd);
		pl->cwd = NULL;
		return cwd_error(err, opt->cwd, e, len);
	}
	if (opt->home && opt->home[0]) {
		pl->home = realpath(opt->home, NULL);
		if (!pl->home) /* a HOME that does not exist still names ~ */
			pl->home = Pa_path_normalize("/", opt->home);
	}
	if (opt->config_dir && opt->config_dir[0]) {
		pl->user = realpath(opt->config_dir, NULL);
		if (!pl->user)
			pl->user = Pa_path_normalize(pl->cwd, opt->config_dir);
	} else if (pl->home) {
		pl->user = Pa_path_join(pl->home, ".claude");
	}
	{
		/* each marker looked at once for the run (the session's cache
		 * is shared with the other CLIs' loads) */
		pa_harness_cache *c = opt->cache ? opt->cache->texts : NULL;

		pl->root = root_of(c, pl->cwd, pl->home);
		pl->repo = find_up(c, pl->cwd, NULL, 0);
	}
	pl->in_repo = pl->repo != NULL;
	if (!pl->repo || !Pa_path_under(pl->root, pl->repo)) {
		free(pl->repo);
		pl->repo = Pa_xstrdup(pl->root);
	}
	pl->main_repo = pl->in_repo
	                ? repository_main(opt->cache ? opt->cache->texts : NULL,
	                                  Pa_xstrdup(pl->repo))
	                : Pa_xstrdup(pl->repo);
	pl->cc = &empty_config;
	return PA_OK;
}

long *Pa_lines_from(long first, const char *text, size_t len, size_t *n)
{
	size_t i, lines = len ? 1 : 0;
	long *map;

	for (i = 0; i < len; i++)
		if (text[i] == '\n' && i + 1 < len)
			lines++;
	map = Pa_xcalloc(lines ? lines : 1, sizeof(*map));
	for (i = 0; i < lines; i++)
		map[i] = first + (long)i;
	*n = lines;
	return map;
}
