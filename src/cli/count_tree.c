/* count_tree.c - `promptasm count DIR`: the tokens of a directory as a
 * tree, each directory with the sum of what is under it (as repomix and
 * code2prompt show a repository's). */
#define _GNU_SOURCE
#include "count_tree.h"
#include "count_stream.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One entry of the tree: a file, or a directory and what it holds. */
typedef struct node {
	char *name;
	int dir;
	size_t tokens;
	struct node *kids;
	size_t nkids;
} node;

typedef struct walk {
	const pa_tokenizer *tok;
	int lossy;
	size_t entries;        /* read so far, against PA_WALK_MAX_ENTRIES */
	size_t skipped;        /* files that are not text */
	int code;              /* the first error's exit code */
	Pa_jw *json;           /* the report's "files", or NULL: the tree */
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

/* The first error sets the run's exit code; the walk stops there. */
static void fail(walk *w, int code)
{
	if (w->code == EXIT_OK)
		w->code = code;
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

/* Whether s[0..len) is the start of a character the end of a head cut:
 * a lead byte and fewer continuation bytes than it wants. */
static int cut_character(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	size_t want = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 :
	              c >= 0xF0 && c <= 0xF4 ? 4 : 0, i;

	if (!want || len >= want)
		return 0;
	for (i = 1; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return 0;
	return 1;
}

/* Whether text (the first bytes of a file, or all of it when whole) is
 * not text: a NUL byte, or, without lossy, invalid UTF-8 (at the end of
 * a head, a character the head cuts in two is not invalid). */
static int not_text(const walk *w, const char *text, size_t len, int whole)
{
	size_t bad;

	if (memchr(text, '\0', len))
		return 1;
	if (w->lossy || pa_utf8_valid(text, len, &bad))
		return 0;
	return whole || !cut_character(text + bad, len - bad);
}

/* Counts the regular file name of the directory dfd (path to the user)
 * into n: whole when it holds at most PA_INPUT_MAX_BYTES, else in blocks,
 * as `count FILE` does.  Whether it is text is decided from its first
 * PA_TEXT_SNIFF_BYTES bytes (and from all of it when it is read whole):
 * the file is never read through to decide. */
static void count_file(walk *w, int dfd, const char *name, const char *path,
                       node *n)
{
	pa_buf raw = PA_BUF_INIT, text = PA_BUF_INIT;
	pa_error err;
	struct stat st;
	size_t count = 0;
	int fd, whole;

	fd = openat(dfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		cli_errorf("%s: cannot open: %s", path, strerror(errno));
		fail(w, EXIT_USAGE);
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		/* Replaced since it was listed. */
		cli_errorf("%s: not a regular file any more", path);
		fail(w, EXIT_USAGE);
		close(fd);
		return;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	whole = st.st_size <= PA_INPUT_MAX_BYTES;
	if (read_some(fd, &raw, whole ? (size_t)PA_INPUT_MAX_BYTES + 1
	                              : (size_t)PA_TEXT_SNIFF_BYTES,
	              (size_t)st.st_size + 1) != 0) {
		cli_errorf("%s: cannot read: %s", path, strerror(errno));
		fail(w, EXIT_USAGE);
		close(fd);
		pa_buf_release(&raw);
		return;
	}
	if (whole && raw.len > (size_t)PA_INPUT_MAX_BYTES) {
		/* It grew as it was read: judged by its head, then in blocks. */
		whole = 0;
		pa_buf_truncate(&raw, PA_TEXT_SNIFF_BYTES);
	}
	if (not_text(w, raw.ptr, raw.len, whole)) {
		/* An image, an archive, a Latin-1 file: no prompt holds it
		 * as it is.  Counted apart, named by --lossy's absence. */
		w->skipped++;
		n->dir = -1;
		close(fd);
	} else if (!whole) {
		/* A large file is counted in blocks, as `count FILE` does. */
		if (lseek(fd, 0, SEEK_SET) != 0) {
			cli_errorf("%s: cannot read: %s", path, strerror(errno));
			fail(w, EXIT_USAGE);
			close(fd);
		} else {
			int rc = cli_count_input(w->tok,
			                         Pa_input_fd(fd, (long long)st.st_size, path),
			                         w->lossy,
			                         cli_count_jobs_for_size((long long)st.st_size),
			                         &count);
			fail(w, rc);
		}
	} else {
		close(fd);
		pa_utf8_lossy(raw.ptr, raw.len, &text);
		if (pa_tokenizer_count(w->tok, text.ptr, text.len, &count, &err) != PA_OK) {
			cli_print_error(&err);
			fail(w, cli_exit_code(err.status));
		}
	}
	if (n->dir == 0) {
		n->tokens = count;
		if (w->json && w->code == EXIT_OK) {
			Pa_jw_object(w->json, NULL, PA_JW_INLINE);
			Pa_jw_str(w->json, "path", path);
			Pa_jw_uint(w->json, "tokens", count);
			Pa_jw_end(w->json);
		}
	}
	pa_buf_release(&raw);
	pa_buf_release(&text);
}

/* Reads the directory dfd (path to the user; walk_dir closes dfd) into n,
 * depth levels below the top.  Every entry is opened relative to its
 * directory's descriptor, never by its path: a path past PATH_MAX is
 * counted as any other, and a directory swapped for a link as it is
 * walked leads nowhere (O_NOFOLLOW). */
static void walk_dir(walk *w, int dfd, const char *path, node *n, int depth)
{
	DIR *d;
	struct dirent *e;
	size_t i, cap = 0;
	int copy;

	if (depth > PA_WALK_MAX_DEPTH) {
		cli_errorf("%s: more than %d levels of directories "
		           "(PA_WALK_MAX_DEPTH): count a directory below it",
		           path, PA_WALK_MAX_DEPTH);
		fail(w, EXIT_USAGE);
		close(dfd);
		return;
	}
	/* closedir() closes the descriptor it reads: a copy, dfd stays
	 * open to reach the entries. */
	copy = fcntl(dfd, F_DUPFD_CLOEXEC, 0);
	d = copy >= 0 ? fdopendir(copy) : NULL;
	if (!d) {
		cli_errorf("%s: cannot read the directory: %s", path, strerror(errno));
		fail(w, EXIT_USAGE);
		if (copy >= 0)
			close(copy);
		close(dfd);
		return;
	}
	errno = 0;
	while (w->code == EXIT_OK && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++w->entries > PA_WALK_MAX_ENTRIES) {
			cli_errorf("%s: more than %d files and directories "
			           "(PA_WALK_MAX_ENTRIES): count a directory below it",
			           path, PA_WALK_MAX_ENTRIES);
			fail(w, EXIT_USAGE);
			break;
		}
		if (n->nkids == cap) {
			cap = cap ? 2 * cap : 8;
			n->kids = Pa_xrealloc(n->kids, cap * sizeof(*n->kids));
		}
		memset(&n->kids[n->nkids], 0, sizeof(node));
		n->kids[n->nkids].name = Pa_xstrdup(e->d_name);
		n->nkids++;
		errno = 0;
	}
	if (w->code == EXIT_OK && errno) {
		cli_errorf("%s: cannot read the directory: %s", path, strerror(errno));
		fail(w, EXIT_USAGE);
	}
	closedir(d);
	qsort(n->kids, n->nkids, sizeof(*n->kids), by_name);
	for (i = 0; i < n->nkids && w->code == EXIT_OK; i++) {
		node *k = &n->kids[i];
		char *full = join(path, k->name);
		struct stat st;
		int sub;

		/* Links are not followed: a link out of the directory would
		 * count what is not in it, a loop would never end. */
		if (fstatat(dfd, k->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno == ENOENT) {
				k->dir = -2; /* gone since it was listed */
			} else {
				cli_errorf("%s: cannot read: %s", full, strerror(errno));
				fail(w, EXIT_USAGE);
			}
		} else if (S_ISLNK(st.st_mode) ||
		           (S_ISDIR(st.st_mode) && !walked(k->name)) ||
		           (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))) {
			k->dir = -2; /* left out of the tree */
		} else if (S_ISDIR(st.st_mode)) {
			k->dir = 1;
			sub = openat(dfd, k->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0) {
				cli_errorf("%s: cannot read the directory: %s", full,
				           strerror(errno));
				fail(w, EXIT_USAGE);
			} else {
				walk_dir(w, sub, full, k, depth + 1);
			}
		} else {
			count_file(w, dfd, k->name, full, k);
		}
		if (k->dir >= 0)
			n->tokens += k->tokens;
		free(full);
	}
	close(dfd);
}

static void node_release(node *n)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		node_release(&n->kids[i]);
	free(n->kids);
	free(n->name);
}

/* The lines of n's entries, under prefix ("│   " per level). */
static void put_tree(pa_buf *out, const node *n, pa_buf *prefix, int width)
{
	size_t i, last = 0, keep;

	for (i = 0; i < n->nkids; i++)
		if (n->kids[i].dir != -2)
			last = i;
	for (i = 0; i < n->nkids; i++) {
		const node *k = &n->kids[i];

		if (k->dir == -2)
			continue;
		if (k->dir == -1)
			pa_buf_printf(out, "%*s  ", width, "-");
		else
			pa_buf_printf(out, "%*zu  ", width, k->tokens);
		pa_buf_put(out, prefix->ptr, prefix->len);
		pa_buf_puts(out, i == last ? "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 "
		                           : "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80 ");
		Pa_quote_str(out, k->name);
		pa_buf_puts(out, k->dir == 1 ? "/" : k->dir == -1 ? "  (not text)" : "");
		pa_buf_putc(out, '\n');
		if (k->dir == 1) {
			keep = prefix->len;
			pa_buf_puts(prefix, i == last ? "    " : "\xe2\x94\x82   ");
			put_tree(out, k, prefix, width);
			prefix->len = keep;
			prefix->ptr[keep] = '\0';
		}
	}
}

int cli_count_tree(const pa_tokenizer *tok, const char *dir, int lossy,
                   Pa_jw *json, pa_buf *out, size_t *total)
{
	walk w;
	node top;
	pa_buf prefix = PA_BUF_INIT, text = PA_BUF_INIT;
	char digits[32];
	int width, fd;

	memset(&w, 0, sizeof(w));
	memset(&top, 0, sizeof(top));
	w.tok = tok;
	w.lossy = lossy;
	w.json = json;
	top.dir = 1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		cli_errorf("%s: cannot read the directory: %s", dir, strerror(errno));
		w.code = EXIT_USAGE;
	} else {
		walk_dir(&w, fd, dir, &top, 0);
	}
	if (w.code == EXIT_OK && !json) {
		width = snprintf(digits, sizeof(digits), "%zu", top.tokens);
		pa_buf_printf(&text, "%*zu  ", width, top.tokens);
		Pa_quote_str(&text, dir);
		pa_buf_puts(&text, dir[0] && dir[strlen(dir) - 1] == '/' ? "\n" : "/\n");
		put_tree(&text, &top, &prefix, width);
		pa_buf_put(out, text.ptr, text.len);
	}
	if (w.code == EXIT_OK && w.skipped)
		cli_notef("%s: %zu file%s not counted: not text (binary, or not "
		          "UTF-8 without --lossy)", dir, w.skipped, w.skipped == 1 ? "" : "s");
	*total = top.tokens;
	pa_buf_release(&prefix);
	pa_buf_release(&text);
	node_release(&top);
	return w.code;
}
