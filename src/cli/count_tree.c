/* count_tree.c - `promptasm count DIR`: the tokens of a directory as a
 * tree, each directory with the sum of what is under it (as repomix and
 * code2prompt show a repository's), or its largest files (--top).
 *
 * The walk reads each directory once, leaves out what .gitignore files
 * and .git/info/exclude leave out (as git does; --no-ignore keeps them)
 * and what --exclude names, and hands each file, opened, to a pool of
 * threads that count it (-j): the walk of a kernel tree and the counting
 * of its files overlap, and the files are counted on every core.  Files
 * are opened relative to their directory's descriptor as the walk meets
 * them, and at most a queue's worth are open at a time.  What goes wrong
 * is kept on its entry and the first error in the tree's order is
 * printed, so the output never depends on which thread finished first.
 *
 * Inside a git work tree whose index we can read (util/gitindex.h) the
 * files are those `git ls-files --cached --others --exclude-standard`
 * lists: a tracked file is counted even where a .gitignore pattern
 * matches it, an ignored directory that holds tracked files is walked for
 * them only, a submodule (a gitlink) or a nested repository is left out
 * (its files are another repository's: count it on its own), and, as git
 * does, only .git itself is left out by name.  The type of each entry is
 * readdir's (no lstat of each file where the file system gives it): a
 * tracked file is still read as it is on disk, and a link is never
 * followed. */
#define _GNU_SOURCE
#include "count_tree.h"
#include "count_stream.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One entry of the tree: a file, or a directory and what it holds.  The
 * tree is held whole until the walk ends (a directory's sum is printed
 * before what it holds), so an entry is kept small: a directory's entries
 * are one block, their names after them in it (one allocation per
 * directory, not two per entry), and nothing of a file is kept but its
 * name and count. */
typedef struct node {
	char *name;       /* in the block of its parent's kids */
	struct node *kids;
	char *error;      /* what went wrong with it, to print ("" printed) */
	size_t tokens;
	size_t nkids;
	signed char dir;  /* 1 a directory, 0 a file, -1 not text, -2 left out */
	signed char code; /* its exit code, EXIT_OK */
	unsigned char dt; /* readdir's type (DT_UNKNOWN: lstat it) */
} node;

static void node_release(node *n);

/* A file opened by the walk, for a counting thread. */
typedef struct job {
	int fd;
	long long size;
	node *n;
	char *path;     /* to the user */
} job;

/* The files opened and not yet counted: the walk waits when it is full. */
#define QUEUE 64

typedef struct walk {
	const pa_tokenizer *tok;
	const cli_count_tree_options *o;
	size_t entries;        /* read so far, against o->max_entries */
	atomic_size_t skipped; /* files that are not text */
	atomic_int failed;     /* an error anywhere: the walk stops */
	Pa_ignore *ignore;     /* .gitignore files and info/exclude, or NULL */
	Pa_ignore *excludes;   /* --exclude, or NULL */
	pa_buf rel;            /* the directory being read, from the top of
	                          the ignore files ("" there) */
	pa_buf names, types;   /* the entries of the directory being read:
	                          their names, each ending in a NUL, and
	                          readdir's types */
	Pa_strset *tracked;    /* the index's paths (from the top), value
	                          the mode + 1; NULL: no index read */
	Pa_strset *tracked_dirs; /* the directories holding them */
	int top_ignored;       /* the directory counted, or one above it up
	                          to the repository's top, is ignored: as
	                          git, only its tracked files are counted */
	/* the counting threads */
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	job queue[QUEUE];
	size_t head, len;
	int done;
	pthread_t threads[CLI_COUNT_MAX_JOBS];
	int n_threads;
} walk;

/* Directories no one means to count: version control's and packages'. */
static int walked(const char *name)
{
	return strcmp(name, ".git") && strcmp(name, ".hg") && strcmp(name, ".svn") &&
	       strcmp(name, "node_modules");
}

/* dir/name, the caller frees it: what the tree, the report and errors
 * call an entry.  It may pass PATH_MAX; nothing opens it (entries are
 * opened relative to their directory's descriptor). */
static char *join(const char *dir, const char *name)
{
	pa_buf b = PA_BUF_INIT;
	size_t n = strlen(dir);

	pa_buf_puts(&b, dir);
	if (n && dir[n - 1] != '/')
		pa_buf_putc(&b, '/');
	pa_buf_puts(&b, name);
	return pa_buf_detach(&b, NULL);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const node *)a)->name, ((const node *)b)->name);
}

/* The error of entry n: kept, printed in the tree's order at the end
 * (NULL fmt: printed already); the walk stops. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void fail(walk *w, node *n, int code, const char *fmt, ...)
{
	pa_buf msg = PA_BUF_INIT;
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		pa_buf_vprintf(&msg, fmt, ap);
		va_end(ap);
	}
	if (n->code == EXIT_OK) {
		free(n->error);
		n->error = pa_buf_detach(&msg, NULL);
		n->code = (signed char)code;
	}
	pa_buf_release(&msg);
	atomic_store(&w->failed, 1);
}

/* Reads fd into out until max bytes are there or the file ends.  0, or -1
 * with errno. */
static int read_some(int fd, pa_buf *out, size_t max, size_t hint)
{
	/* Room for what the file's size says, grown as it reads more (a
	 * file that grew): never max for each of 10,000 small files. */
	size_t room = hint < max ? hint : max;

	pa_buf_grow(out, room > out->len ? room - out->len : 0);
	while (out->len < max) {
		size_t want = max - out->len;
		ssize_t n;

		if (out->len == room) {
			room = room < max / 2 ? room * 2 + 4096 : max;
			if (room > max)
				room = max;
			pa_buf_grow(out, room - out->len);
		}
		if (want > room - out->len)
			want = room - out->len;
		n = read(fd, out->ptr + out->len, want);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	out->ptr[out->len] = '\0';
	return 0;
}

/* Whether a file read whole is not text: a NUL byte, or, without lossy,
 * invalid UTF-8. */
static int not_text(int lossy, const char *text, size_t len)
{
	if (memchr(text, '\0', len))
		return 1;
	return !lossy && !pa_utf8_valid(text, len, NULL);
}

/* Counts the file j->fd (closed here) into its node: whole when it holds
 * at most PA_INPUT_MAX_BYTES, else in blocks, as `count FILE` does, on
 * `jobs` threads.  Whether it is text is decided from all of it: a NUL
 * byte or (without lossy) invalid UTF-8 anywhere, in a file of any size,
 * shows it as not text, never an error. */
static void count_file(walk *w, job *j, int jobs)
{
	pa_buf raw = PA_BUF_INIT, text = PA_BUF_INIT;
	pa_error err;
	size_t count = 0;
	node *n = j->n;
	int whole = j->size <= PA_INPUT_MAX_BYTES;

	if (whole && read_some(j->fd, &raw, (size_t)PA_INPUT_MAX_BYTES + 1,
	                       (size_t)j->size + 1) != 0) {
		fail(w, n, EXIT_USAGE, "%s: cannot read: %s", j->path, strerror(errno));
		close(j->fd);
		pa_buf_release(&raw);
		return;
	}
	if (whole && raw.len > (size_t)PA_INPUT_MAX_BYTES) {
		/* It grew as it was read: in blocks, from its start. */
		whole = 0;
		if (lseek(j->fd, 0, SEEK_SET) != 0) {
			fail(w, n, EXIT_USAGE, "%s: cannot read: %s", j->path,
			     strerror(errno));
			close(j->fd);
			pa_buf_release(&raw);
			return;
		}
	}
	if (!whole) {
		int nt = 0;
		int rc = cli_count_input_text(w->tok, Pa_input_fd(j->fd, j->size, j->path),
		                              w->o->lossy, jobs, &count, &nt);

		if (nt) {
			atomic_fetch_add(&w->skipped, 1);
			n->dir = -1;
		} else if (rc != EXIT_OK) {
			fail(w, n, rc, NULL); /* printed */
		}
	} else {
		close(j->fd);
		if (not_text(w->o->lossy, raw.ptr, raw.len)) {
			/* An image, an archive, a Latin-1 file: no prompt holds
			 * it as it is.  Counted apart, named by --lossy's
			 * absence. */
			atomic_fetch_add(&w->skipped, 1);
			n->dir = -1;
		} else {
			pa_utf8_lossy(raw.ptr, raw.len, &text);
			if (pa_tokenizer_count(w->tok, text.ptr, text.len, &count, &err) != PA_OK)
				fail(w, n, cli_exit_code(err.status), "%s: %s", j->path,
				     err.message);
		}
	}
	if (n->dir == 0)
		n->tokens = count;
	pa_buf_release(&raw);
	pa_buf_release(&text);
}

static void *counter(void *arg)
{
	walk *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		job j;

		while (w->len == 0 && !w->done)
			pthread_cond_wait(&w->more, &w->lock);
		if (w->len == 0)
			break;
		j = w->queue[w->head];
		w->head = (w->head + 1) % QUEUE;
		w->len--;
		pthread_cond_signal(&w->room);
		pthread_mutex_unlock(&w->lock);
		count_file(w, &j, 1);
		free(j.path);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Hands the open file to the counting threads; counts it here without
 * them, or when it is counted in blocks (then on every core itself). */
static void hand_on(walk *w, int fd, long long size, node *n, const char *path)
{
	job j;

	j.fd = fd;
	j.size = size;
	j.n = n;
	j.path = Pa_xstrdup(path);
	if (!w->n_threads || size > PA_INPUT_MAX_BYTES) {
		count_file(w, &j, w->o->jobs > 1 ? w->o->jobs
		                                 : cli_count_jobs_for_size(size));
		free(j.path);
		return;
	}
	pthread_mutex_lock(&w->lock);
	while (w->len == QUEUE)
		pthread_cond_wait(&w->room, &w->lock);
	w->queue[(w->head + w->len) % QUEUE] = j;
	w->len++;
	pthread_cond_signal(&w->more);
	pthread_mutex_unlock(&w->lock);
}

/* Opens the regular file name of the directory dfd (path to the user)
 * and hands it on to be counted into n. */
static void open_file(walk *w, int dfd, const char *name, const char *path,
                      node *n)
{
	struct stat st;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ELOOP)) {
		n->dir = -2; /* gone, or a link now, since it was listed */
		return;
	}
	if (fd < 0) {
		fail(w, n, EXIT_USAGE, "%s: cannot open: %s", path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		/* Replaced since it was listed. */
		fail(w, n, EXIT_USAGE, "%s: not a regular file any more", path);
		close(fd);
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	hand_on(w, fd, (long long)st.st_size, n, path);
}

/* Reads the ignore file name of the directory dfd (a regular file, not a
 * link) onto w->ignore for the paths under base; 1 when it was there. */
static int push_ignore_file(walk *w, int dfd, const char *name, const char *base)
{
	pa_buf text = PA_BUF_INIT;
	struct stat st;
	int fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	/* git reads an ignore file whole: one cut at the limit would drop
	 * its last rules, and count what git leaves out */
	if ((unsigned long long)st.st_size > PA_INPUT_MAX_BYTES ||
	    read_some(fd, &text, (size_t)PA_INPUT_MAX_BYTES + 1, (size_t)st.st_size + 1) != 0 ||
	    text.len > PA_INPUT_MAX_BYTES) {
		int over = (unsigned long long)st.st_size > PA_INPUT_MAX_BYTES ||
		           text.len > PA_INPUT_MAX_BYTES;

		close(fd);
		pa_buf_release(&text);
		return over ? -1 : 0;
	}
	close(fd);
	Pa_ignore_push(w->ignore, base, text.ptr, text.len);
	pa_buf_release(&text);
	return 1;
}

/* The message of an ignore file over the limit: dir/name quoted. */
static char *ignore_too_large(const char *dir, const char *name)
{
	pa_buf q = PA_BUF_INIT, path = PA_BUF_INIT, msg = PA_BUF_INIT;

	pa_buf_puts(&path, dir);
	pa_buf_putc(&path, '/');
	pa_buf_puts(&path, name);
	Pa_quote_str(&q, path.ptr);
	pa_buf_printf(&msg, "%s: an ignore file over the limit of 16 MiB "
	              "(PA_INPUT_MAX_BYTES): git reads it whole, so the files it "
	              "leaves out are not known", q.ptr);
	pa_buf_release(&q);
	pa_buf_release(&path);
	return pa_buf_detach(&msg, NULL);
}

/* Whether the ignore files leave out the entry name of the directory
 * being read (a directory when is_dir).  --exclude is asked once, before
 * (walk_dir): asked again here it was each entry's second pass over the
 * 350 patterns of --skip-generated. */
static int left_out(walk *w, const char *name, int is_dir)
{
	size_t keep = w->rel.len;
	int out;

	if (!w->ignore)
		return 0;
	if (keep)
		pa_buf_putc(&w->rel, '/');
	pa_buf_puts(&w->rel, name);
	out = Pa_ignore_has(w->ignore, w->rel.ptr, is_dir);
	pa_buf_truncate(&w->rel, keep);
	return out;
}

/* How walk_dir reads a directory, in a git work tree whose index is read. */
enum {
	AS_WALK = 0,      /* every entry, .gitignore's rules (no index, or a
	                     directory of tracked files) */
	AS_TRACKED = 1,   /* an ignored directory: its tracked entries only */
	AS_UNTRACKED = 2  /* a directory git does not track: left out whole
	                     when it is a repository of its own */
};

/* The value w->tracked keeps for the path w->rel/name: the index's mode +
 * 1, 0 when it is not tracked. */
static size_t tracked_mode(walk *w, const char *name, int dir)
{
	size_t keep = w->rel.len, v;

	if (keep)
		pa_buf_putc(&w->rel, '/');
	pa_buf_puts(&w->rel, name);
	v = dir ? (size_t)Pa_strset_has(w->tracked_dirs, w->rel.ptr, w->rel.len)
	        : Pa_strset_get(w->tracked, w->rel.ptr, w->rel.len);
	pa_buf_truncate(&w->rel, keep);
	return v;
}

/* The type of entry k of the directory dfd: readdir's, else lstat's; -1
 * when it is gone since it was listed (errno ENOENT) or cannot be read. */
static int type_of(int dfd, const node *k)
{
	struct stat st;

	switch (k->dt) {
	case DT_REG: return DT_REG;
	case DT_DIR: return DT_DIR;
	case DT_LNK: return DT_LNK;
	case DT_UNKNOWN: break;
	default: return DT_UNKNOWN; /* a FIFO, a device, a socket */
	}
	/* Links are not followed: a link out of the directory would count
	 * what is not in it, a loop would never end. */
	if (fstatat(dfd, k->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return -1;
	return S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR
	     : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
}

/* Reads the directory dfd (path to the user, top its path from the top of
 * the walk, "" there; walk_dir closes dfd) into n, depth levels below the
 * top, as `as` says.  Every entry is opened relative to its directory's
 * descriptor, never by its path: a path past PATH_MAX is counted as any
 * other, and a directory swapped for a link as it is walked leads nowhere
 * (O_NOFOLLOW). */
static void walk_dir(walk *w, int dfd, const char *path, const char *top,
                     node *n, int depth, int as)
{
	DIR *d;
	struct dirent *e;
	size_t i;
	int copy, pushed = 0, git = w->tracked != NULL;

	if (depth > PA_WALK_MAX_DEPTH) {
		fail(w, n, EXIT_USAGE, "%s: more than %d levels of directories "
		     "(PA_WALK_MAX_DEPTH): count a directory below it",
		     path, PA_WALK_MAX_DEPTH);
		close(dfd);
		return;
	}
	/* closedir() closes the descriptor it reads: a copy, dfd stays
	 * open to reach the entries. */
	copy = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
	d = copy >= 0 ? fdopendir(copy) : NULL;
	if (!d) {
		fail(w, n, EXIT_USAGE, "%s: cannot read the directory: %s", path,
		     strerror(errno));
		if (copy >= 0)
			close(copy);
		close(dfd);
		return;
	}
	/* The names and types into the walk's scratch buffers (read whole
	 * before any directory below is walked), then the entries and their
	 * names into one block of the size they take. */
	pa_buf_reset(&w->names);
	pa_buf_reset(&w->types);
	errno = 0;
	while (!atomic_load(&w->failed) && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++w->entries > w->o->max_entries) {
			fail(w, n, EXIT_USAGE, "%s: the walk stopped at its limit of "
			     "%zu files and directories (PA_WALK_MAX_ENTRIES): "
			     "raise it with --max-entries N, or count a directory "
			     "below it", path, w->o->max_entries);
			break;
		}
		pa_buf_put(&w->names, e->d_name, strlen(e->d_name) + 1);
		pa_buf_putc(&w->types, (char)e->d_type);
		errno = 0;
	}
	if (!atomic_load(&w->failed) && errno)
		fail(w, n, EXIT_USAGE, "%s: cannot read the directory: %s", path,
		     strerror(errno));
	closedir(d);
	if (w->types.len) {
		char *name;

		n->nkids = w->types.len;
		n->kids = Pa_xcalloc(1, n->nkids * sizeof(node) + w->names.len);
		name = (char *)(n->kids + n->nkids);
		memcpy(name, w->names.ptr, w->names.len);
		for (i = 0; i < n->nkids; i++) {
			n->kids[i].name = name;
			n->kids[i].dt = (unsigned char)w->types.ptr[i];
			name += strlen(name) + 1;
		}
	}
	if (n->nkids) /* none: kids is NULL, which qsort may not take */
		qsort(n->kids, n->nkids, sizeof(*n->kids), by_name);
	if (as == AS_UNTRACKED) {
		/* Another repository inside this one (git lists it as one
		 * entry, `dir/`): its files are its own. */
		for (i = 0; i < n->nkids; i++)
			if (!strcmp(n->kids[i].name, ".git"))
				break;
		if (i < n->nkids) {
			for (i = 0; i < n->nkids; i++)
				node_release(&n->kids[i]);
			free(n->kids);
			n->kids = NULL;
			n->nkids = 0;
			n->dir = -2;
			close(dfd);
			return;
		}
	}
	if (w->ignore && as != AS_TRACKED) {
		pushed = push_ignore_file(w, dfd, ".gitignore", w->rel.ptr);
		if (pushed < 0) {
			char *msg = ignore_too_large(path, ".gitignore");

			fail(w, n, EXIT_USAGE, "%s", msg);
			free(msg);
			pushed = 0;
		}
	}
	for (i = 0; i < n->nkids && !atomic_load(&w->failed); i++) {
		node *k = &n->kids[i];
		char *full = join(path, k->name);
		char *below = top[0] ? join(top, k->name) : Pa_xstrdup(k->name);
		int type = type_of(dfd, k), sub_as = AS_WALK, keep_it;
		size_t mode = 0;

		if (type < 0) {
			if (errno == ENOENT)
				k->dir = -2; /* gone since it was listed */
			else
				fail(w, k, EXIT_USAGE, "%s: cannot read: %s", full,
				     strerror(errno));
			free(below);
			free(full);
			continue;
		}
		if (w->excludes && Pa_ignore_has(w->excludes, below, type == DT_DIR)) {
			keep_it = 0;
		} else if (!git) {
			/* a .git that is a file (a linked worktree's, a
			 * submodule's: "gitdir: /path") is git's, as the
			 * directory is: git never lists it */
			keep_it = ((type == DT_REG && strcmp(k->name, ".git")) ||
			           (type == DT_DIR && walked(k->name))) &&
			          !left_out(w, k->name, type == DT_DIR);
		} else if (!strcmp(k->name, ".git")) {
			keep_it = 0;
		} else if (type == DT_DIR) {
			/* a submodule: its commit in the index, its files not */
			if (tracked_mode(w, k->name, 0) == PA_GITINDEX_GITLINK + 1)
				keep_it = 0;
			else if (tracked_mode(w, k->name, 1))
				keep_it = 1, sub_as = as == AS_TRACKED ||
				          left_out(w, k->name, 1) ? AS_TRACKED : AS_WALK;
			else
				keep_it = as != AS_TRACKED && !left_out(w, k->name, 1),
				sub_as = AS_UNTRACKED;
		} else if (type == DT_REG) {
			mode = tracked_mode(w, k->name, 0);
			/* tracked: counted as it is on disk, a file (git lists it
			 * whatever .gitignore says) */
			keep_it = mode ? 1 : as != AS_TRACKED && !left_out(w, k->name, 0);
		} else {
			keep_it = 0; /* a link, a FIFO, a device */
		}
		if (!keep_it) {
			k->dir = -2; /* left out of the tree */
		} else if (type == DT_DIR) {
			int sub;

			k->dir = 1;
			sub = openat(dfd, k->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0 && (errno == ENOENT || errno == ELOOP || errno == ENOTDIR)) {
				k->dir = -2; /* gone, or not a directory any more */
			} else if (sub < 0) {
				fail(w, k, EXIT_USAGE, "%s: cannot read the directory: %s",
				     full, strerror(errno));
			} else {
				size_t keep = w->rel.len;

				if (keep)
					pa_buf_putc(&w->rel, '/');
				pa_buf_puts(&w->rel, k->name);
				walk_dir(w, sub, full, below, k, depth + 1, git ? sub_as : AS_WALK);
				pa_buf_truncate(&w->rel, keep);
			}
		} else {
			open_file(w, dfd, k->name, full, k);
		}
		free(below);
		free(full);
	}
	if (pushed)
		Pa_ignore_pop(w->ignore);
	close(dfd);
}

/* Adds up each directory's count from the counts of its files. */
static size_t sum_up(node *n)
{
	size_t i;

	if (n->dir != 1)
		return n->dir == 0 ? n->tokens : 0;
	n->tokens = 0;
	for (i = 0; i < n->nkids; i++)
		n->tokens += sum_up(&n->kids[i]);
	return n->tokens;
}

/* The first error in the tree's order, printed; its exit code. */
static int first_error(const node *n)
{
	size_t i;
	int code;

	if (n->code != EXIT_OK) {
		if (n->error && n->error[0])
			cli_errorf("%s", n->error);
		return n->code;
	}
	for (i = 0; i < n->nkids; i++)
		if ((code = first_error(&n->kids[i])) != EXIT_OK)
			return code;
	return EXIT_OK;
}

static void node_release(node *n)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		node_release(&n->kids[i]);
	free(n->kids); /* and their names */
	free(n->error);
}

static int by_tokens(const void *a, const void *b)
{
	const node *x = a, *y = b;

	if (x->tokens != y->tokens)
		return x->tokens < y->tokens ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Each directory's entries by their counts, largest first. */
static void sort_by_tokens(node *n)
{
	size_t i;

	if (n->nkids)
		qsort(n->kids, n->nkids, sizeof(*n->kids), by_tokens);
	for (i = 0; i < n->nkids; i++)
		if (n->kids[i].dir == 1)
			sort_by_tokens(&n->kids[i]);
}

/* A file of the tree, for --top and the JSON report: its path is its
 * directory's (shared by the files of that directory, ending in '/')
 * and its name, put together only for the files printed. */
typedef struct counted {
	const char *dir;
	const node *k;
} counted;

typedef struct counted_list {
	counted *v;
	size_t n;
	size_t keep;    /* > 0: only the keep first by counted_by_tokens, v a
	                   heap whose top is the last of them */
	char **dirs;    /* the directories' paths, to free */
	size_t ndirs;
} counted_list;

static int counted_by_tokens(const void *a, const void *b);

/* Moves v[i] down the heap of n (the last by counted_by_tokens on top). */
static void heap_down(counted *v, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		counted t;

		if (l < n && counted_by_tokens(&v[l], &v[m]) > 0)
			m = l;
		if (r < n && counted_by_tokens(&v[r], &v[m]) > 0)
			m = r;
		if (m == i)
			return;
		t = v[i];
		v[i] = v[m];
		v[m] = t;
		i = m;
	}
}

/* Adds the file k of the directory dir to l: with keep, only while it is
 * among the keep first (--top N keeps N, not every file). */
static void add_counted(counted_list *l, const char *dir, const node *k)
{
	counted c;

	c.dir = dir;
	c.k = k;
	if (l->keep && l->n == l->keep) {
		if (counted_by_tokens(&c, &l->v[0]) < 0) {
			l->v[0] = c;
			heap_down(l->v, l->n, 0);
		}
		return;
	}
	l->v = Pa_xgrow(l->v, l->n, sizeof(*l->v));
	l->v[l->n++] = c;
	if (l->keep) {
		size_t i = l->n - 1;

		while (i > 0 && counted_by_tokens(&l->v[(i - 1) / 2], &l->v[i]) < 0) {
			counted t = l->v[i];

			l->v[i] = l->v[(i - 1) / 2];
			l->v[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
	}
}

/* dir as join() puts a name after it: with a '/' unless empty or ending
 * in one; the caller frees it. */
static char *dir_prefix(const char *dir)
{
	return join(dir, "");
}

/* The files under n (path: n's, as dir_prefix gives it), in the tree's
 * order. */
static void list_files(const node *n, const char *path, counted_list *l)
{
	size_t i;

	for (i = 0; i < n->nkids; i++) {
		const node *k = &n->kids[i];

		if (k->dir == 1) {
			char *sub = join(path, k->name), *pre = dir_prefix(sub);

			free(sub);
			l->dirs = Pa_xgrow(l->dirs, l->ndirs, sizeof(*l->dirs));
			l->dirs[l->ndirs++] = pre;
			list_files(k, pre, l);
		} else if (k->dir == 0) {
			add_counted(l, path, k);
		}
	}
}

/* strcmp() of the strings a1 a2 and b1 b2, each pair as one. */
static int cmp_joined(const char *a1, const char *a2, const char *b1, const char *b2)
{
	const unsigned char *p = (const unsigned char *)a1, *q = (const unsigned char *)b1;
	int pa = 0, qb = 0;

	for (;;) {
		if (!*p && !pa)
			p = (const unsigned char *)a2, pa = 1;
		if (!*q && !qb)
			q = (const unsigned char *)b2, qb = 1;
		if (*p != *q || !*p)
			return (int)*p - (int)*q;
		p++;
		q++;
	}
}

static int counted_by_path(const void *a, const void *b)
{
	const counted *x = a, *y = b;

	return cmp_joined(x->dir, x->k->name, y->dir, y->k->name);
}

static int counted_by_tokens(const void *a, const void *b)
{
	const counted *x = a, *y = b;

	if (x->k->tokens != y->k->tokens)
		return x->k->tokens < y->k->tokens ? 1 : -1;
	return counted_by_path(a, b);
}

/* The count of an entry, right-aligned in width, and with share its
 * part of total (tokens (size_t)-1: not text, "-"). */
static void put_count(pa_buf *out, size_t tokens, int width, int share,
                      size_t total)
{
	if (tokens == (size_t)-1)
		pa_buf_printf(out, "%*s  %s", width, "-", share ? "        " : "");
	else if (!share)
		pa_buf_printf(out, "%*zu  ", width, tokens);
	else
		pa_buf_printf(out, "%*zu  %5.1f%%  ", width, tokens,
		              total ? 100.0 * (double)tokens / (double)total : 0.0);
}

/* What is rendered goes to standard output as it grows when nothing after
 * it can fail (cli_count_tree_options.write_out): the tree's text is some
 * ten times its names, and was held whole before.  *io: EXIT_OK, or
 * EXIT_FAILURE_IO once a write failed (printed; nothing written after). */
#define WRITE_OUT_AT (64 * 1024)

static void write_some(pa_buf *out, const cli_count_tree_options *o, int *io)
{
	if (!o->write_out || out->len < WRITE_OUT_AT)
		return;
	if (*io == EXIT_OK)
		*io = cli_write_stdout(out->ptr, out->len);
	pa_buf_reset(out);
}

/* The lines of n's entries, under prefix ("│   " per level). */
static void put_tree(pa_buf *out, const node *n, pa_buf *prefix, int width,
                     const cli_count_tree_options *o, size_t total, int *io)
{
	int share = o->share;

	size_t i, last = 0, keep;

	for (i = 0; i < n->nkids; i++)
		if (n->kids[i].dir != -2)
			last = i;
	for (i = 0; i < n->nkids; i++) {
		const node *k = &n->kids[i];

		if (k->dir == -2)
			continue;
		put_count(out, k->dir == -1 ? (size_t)-1 : k->tokens, width, share, total);
		pa_buf_put(out, prefix->ptr, prefix->len);
		pa_buf_puts(out, i == last ? "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 "
		                           : "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80 ");
		Pa_quote_str(out, k->name);
		pa_buf_puts(out, k->dir == 1 ? "/" : k->dir == -1 ? "  (not text)" : "");
		pa_buf_putc(out, '\n');
		if (k->dir == 1) {
			keep = prefix->len;
			pa_buf_puts(prefix, i == last ? "    " : "\xe2\x94\x82   ");
			put_tree(out, k, prefix, width, o, total, io);
			prefix->len = keep;
			prefix->ptr[keep] = '\0';
		}
		write_some(out, o, io);
	}
}

/* The repository dir is in: the nearest directory at or above it with a
 * .git (its real path, the caller frees it), or NULL. */
static char *repository_of(const char *dir)
{
	char *real = realpath(dir, NULL);
	size_t len;

	if (!real)
		return NULL;
	for (;;) {
		char *git = join(real, ".git");
		struct stat st;
		int found = lstat(git, &st) == 0;

		free(git);
		if (found)
			return real;
		len = strlen(real);
		while (len > 1 && real[len - 1] != '/')
			len--;
		if (len <= 1) {
			free(real);
			return NULL;
		}
		real[len - 1] = '\0';
	}
}

/* The ignore files that apply to dir before its own .gitignore: the
 * repository's .git/info/exclude and the .gitignore of each directory
 * from the repository's top down to dir's parent, as git reads them (a
 * tree outside a repository: none but its own).  The user's global
 * excludes file is outside the repository: not read.  w->rel becomes
 * dir's path from the repository's top.  Returns the repository's top (the
 * caller frees it), or NULL; *error (the caller frees it) the message of
 * an ignore file over the limit, else NULL. */
static char *ignore_above(walk *w, const char *dir, char **error)
{
	char *repo = repository_of(dir), *real = realpath(dir, NULL);
	size_t rl, i;
	int fd;

	if (!repo || !real) {
		free(repo);
		free(real);
		return NULL;
	}
	rl = strlen(repo);
	if (strncmp(real, repo, rl) || (real[rl] && real[rl] != '/' && rl > 1)) {
		free(repo);
		free(real);
		return NULL;
	}
	{
		char *info = join(repo, ".git/info");

		fd = open(info, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			if (push_ignore_file(w, fd, "exclude", "") < 0 && !*error)
				*error = ignore_too_large(info, "exclude");
			close(fd);
		}
		free(info);
	}
	/* Each directory from the top down to dir, dir left out. */
	{
		const char *below = real + rl + (real[rl] == '/');
		pa_buf at = PA_BUF_INIT;

		pa_buf_puts(&at, repo);
		i = 0;
		while (below[i]) {
			size_t j = i;

			fd = open(at.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd >= 0) {
				if (push_ignore_file(w, fd, ".gitignore", w->rel.ptr) < 0 && !*error)
					*error = ignore_too_large(at.ptr, ".gitignore");
				close(fd);
			}
			while (below[j] && below[j] != '/')
				j++;
			if (w->rel.len)
				pa_buf_putc(&w->rel, '/');
			pa_buf_put(&w->rel, below + i, j - i);
			/* A directory git leaves out leaves out what is
			 * below it, whatever is counted from inside it
			 * (`count .claude` as `count .` shows it). */
			if (Pa_ignore_has(w->ignore, w->rel.ptr, 1))
				w->top_ignored = 1;
			pa_buf_putc(&at, '/');
			pa_buf_put(&at, below + i, j - i);
			i = below[j] ? j + 1 : j;
		}
		pa_buf_release(&at);
	}
	free(real);
	return repo;
}

/* The index of the repository at repo, read into w->tracked and
 * w->tracked_dirs; without one, the walk with .gitignore's rules (a note
 * says why when there is an index we do not read).  EXIT_OK, or the exit
 * code of an index that is broken (printed). */
static int read_index(walk *w, const char *repo, const char *dir)
{
	Pa_gitindex *ix = NULL;
	pa_error err;
	char *dotgit = join(repo, ".git");
	pa_status st = Pa_gitindex_load(dotgit, w->o->max_entries, &ix, &err);
	size_t i;

	free(dotgit);

	if (st == PA_ERR_NOT_FOUND) {
		if (err.message[0]) {
			pa_buf q = PA_BUF_INIT;

			Pa_quote_str(&q, dir);
			cli_notef("%s: the git index is not read (%s: %s): the files "
			          "are those of a walk that honours .gitignore", q.ptr,
			          err.file, err.message);
			pa_buf_release(&q);
		}
		return EXIT_OK;
	}
	if (st == PA_ERR_TOO_LARGE && strstr(err.message, "PA_WALK_MAX_ENTRIES")) {
		cli_errorf("%s: %s: raise it with --max-entries N, or count a "
		           "directory below it", err.file, err.message);
		return EXIT_USAGE;
	}
	if (st != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	w->tracked = Pa_xcalloc(1, sizeof(Pa_strset));
	w->tracked_dirs = Pa_xcalloc(1, sizeof(Pa_strset));
	for (i = 0; i < ix->n; i++)
		*Pa_strset_value(w->tracked, ix->paths[i], strlen(ix->paths[i])) = ix->modes[i] + 1;
	Pa_gitindex_add_dirs(ix, w->tracked_dirs);
	Pa_gitindex_free(ix);
	return EXIT_OK;
}

/* The patterns of --exclude, as one ignore file at the top of the walk. */
static Pa_ignore *excludes_of(const cli_count_tree_options *o)
{
	pa_buf text = PA_BUF_INIT;
	Pa_ignore *ig;
	size_t i;

	if (!o->n_excludes && !o->skip_generated)
		return NULL;
	if (o->skip_generated)
		pa_buf_puts(&text, cli_count_skip_patterns);
	for (i = 0; i < o->n_excludes; i++) {
		pa_buf_puts(&text, o->excludes[i]);
		pa_buf_putc(&text, '\n');
	}
	ig = Pa_ignore_new();
	Pa_ignore_push(ig, "", text.ptr, text.len);
	pa_buf_release(&text);
	return ig;
}

static void start_counters(walk *w, int jobs)
{
	int i;

	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->more, NULL);
	pthread_cond_init(&w->room, NULL);
	for (i = 0; jobs > 1 && i < jobs && i < CLI_COUNT_MAX_JOBS; i++) {
		if (pthread_create(&w->threads[w->n_threads], NULL, counter, w) != 0)
			break;
		w->n_threads++;
	}
}

static void stop_counters(walk *w)
{
	int i;

	pthread_mutex_lock(&w->lock);
	w->done = 1;
	pthread_cond_broadcast(&w->more);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->n_threads; i++)
		pthread_join(w->threads[i], NULL);
	pthread_cond_destroy(&w->room);
	pthread_cond_destroy(&w->more);
	pthread_mutex_destroy(&w->lock);
}

/* The JSON report's files under n (path: n's, as dir_prefix gives it),
 * in the tree's order, written as they are listed. */
static void put_json_files(Pa_jw *json, pa_buf *out, const node *n, pa_buf *path,
                           const cli_count_tree_options *o, int *io)
{
	size_t i, keep = path->len;

	for (i = 0; i < n->nkids; i++) {
		const node *k = &n->kids[i];

		if (k->dir != 1 && k->dir != 0)
			continue;
		pa_buf_puts(path, k->name);
		if (k->dir == 1) {
			pa_buf_putc(path, '/');
			put_json_files(json, out, k, path, o, io);
		} else {
			Pa_jw_object(json, NULL, PA_JW_INLINE);
			Pa_jw_str(json, "path", path->ptr);
			Pa_jw_uint(json, "tokens", k->tokens);
			Pa_jw_end(json);
			write_some(out, o, io);
		}
		pa_buf_truncate(path, keep);
	}
}

/* --top: the total, then the N largest files, largest first (by path
 * with --sort path); with json, the files there (all of them without
 * --top, in the tree's order). */
static void put_top(pa_buf *out, const node *top, const char *dir,
                    const cli_count_tree_options *o, Pa_jw *json, int *io)
{
	counted_list l = { NULL, 0, 0, NULL, 0 };
	size_t i, n;
	char digits[32], *pre = dir_prefix(dir);
	int width = snprintf(digits, sizeof(digits), "%zu", top->tokens);
	pa_buf path = PA_BUF_INIT;

	if (json && !o->top) {
		pa_buf_puts(&path, pre);
		put_json_files(json, out, top, &path, o, io);
		pa_buf_release(&path);
		free(pre);
		return;
	}
	l.keep = o->top;
	list_files(top, pre, &l);
	if (o->top && l.n) {
		qsort(l.v, l.n, sizeof(*l.v), counted_by_tokens);
		n = l.n < o->top ? l.n : o->top;
		if (!o->sort_tokens)
			qsort(l.v, n, sizeof(*l.v), counted_by_path);
	} else {
		n = l.n;
	}
	if (!json) {
		put_count(out, top->tokens, width, o->share, top->tokens);
		Pa_quote_str(out, dir);
		pa_buf_puts(out, dir[0] && dir[strlen(dir) - 1] == '/' ? "\n" : "/\n");
	}
	for (i = 0; i < n; i++) {
		pa_buf_reset(&path);
		pa_buf_puts(&path, l.v[i].dir);
		pa_buf_puts(&path, l.v[i].k->name);
		if (json) {
			Pa_jw_object(json, NULL, PA_JW_INLINE);
			Pa_jw_str(json, "path", path.ptr);
			Pa_jw_uint(json, "tokens", l.v[i].k->tokens);
			Pa_jw_end(json);
		} else {
			put_count(out, l.v[i].k->tokens, width, o->share, top->tokens);
			Pa_quote_str(out, path.ptr);
			pa_buf_putc(out, '\n');
		}
		write_some(out, o, io);
	}
	for (i = 0; i < l.ndirs; i++)
		free(l.dirs[i]);
	free(l.dirs);
	free(l.v);
	pa_buf_release(&path);
	free(pre);
}

int cli_count_tree(const pa_tokenizer *tok, const char *dir,
                   const cli_count_tree_options *o, Pa_jw *json, pa_buf *out,
                   size_t *total)
{
	walk *w = Pa_xcalloc(1, sizeof(*w));
	node top;
	pa_buf prefix = PA_BUF_INIT;
	int fd, code = EXIT_OK, jobs = o->jobs, io = EXIT_OK;

	memset(&top, 0, sizeof(top));
	w->tok = tok;
	w->o = o;
	atomic_init(&w->skipped, 0);
	atomic_init(&w->failed, 0);
	{
		pa_buf empty = PA_BUF_INIT;

		w->rel = empty;
		w->names = empty;
		w->types = empty;
	}
	if (!o->no_ignore) {
		char *repo, *error = NULL;

		w->ignore = Pa_ignore_new();
		repo = ignore_above(w, dir, &error);
		if (error) {
			cli_errorf("%s", error);
			code = EXIT_USAGE;
		} else if (repo) {
			code = read_index(w, repo, dir);
		}
		free(error);
		free(repo);
	}
	if (code != EXIT_OK) {
		pa_buf_release(&w->rel);
		Pa_ignore_free(w->ignore);
		free(w);
		return code;
	}
	w->excludes = excludes_of(o);
	top.dir = 1;
	if (jobs <= 0)
		jobs = cli_count_jobs_for_size(LLONG_MAX);
	start_counters(w, jobs);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fail(w, &top, EXIT_USAGE, "%s: cannot read the directory: %s", dir,
		     strerror(errno));
	else if (w->top_ignored && !w->tracked)
		close(fd); /* git lists nothing of it */
	else
		walk_dir(w, fd, dir, "", &top, 0, w->top_ignored ? AS_TRACKED : AS_WALK);
	stop_counters(w);
	code = first_error(&top);
	sum_up(&top);
	if (code == EXIT_OK) {
		if (o->sort_tokens)
			sort_by_tokens(&top);
		if (json || o->top) {
			put_top(out, &top, dir, o, json, &io);
		} else {
			char digits[32];
			int width = snprintf(digits, sizeof(digits), "%zu", top.tokens);

			put_count(out, top.tokens, width, o->share, top.tokens);
			Pa_quote_str(out, dir);
			pa_buf_puts(out, dir[0] && dir[strlen(dir) - 1] == '/' ? "\n" : "/\n");
			put_tree(out, &top, &prefix, width, o, top.tokens, &io);
		}
		code = io;
	}
	if (code == EXIT_OK && w->top_ignored) {
		pa_buf q = PA_BUF_INIT;

		Pa_quote_str(&q, dir);
		cli_notef("%s: ignored by .gitignore: only what git tracks of it is "
		          "counted (--no-ignore counts it all)", q.ptr);
		pa_buf_release(&q);
	}
	if (code == EXIT_OK && atomic_load(&w->skipped))
		cli_notef("%s: %zu file%s not counted: not text (binary, or not "
		          "UTF-8 without --lossy)", dir, (size_t)atomic_load(&w->skipped),
		          atomic_load(&w->skipped) == 1 ? "" : "s");
	*total = code == EXIT_OK ? top.tokens : 0;
	pa_buf_release(&prefix);
	pa_buf_release(&w->rel);
	pa_buf_release(&w->names);
	pa_buf_release(&w->types);
	Pa_ignore_free(w->ignore);
	Pa_ignore_free(w->excludes);
	if (w->tracked) {
		Pa_strset_release(w->tracked);
		Pa_strset_release(w->tracked_dirs);
		free(w->tracked);
		free(w->tracked_dirs);
	}
	node_release(&top);
	free(w);
	return code;
}
