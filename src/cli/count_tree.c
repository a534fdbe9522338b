/* count_tree.c - `promptasm count DIR`: the tokens of a directory as a
 * tree, each directory with the sum of what is under it (as repomix and
 * code2prompt show a repository's). */
#define _GNU_SOURCE
#include "count_tree.h"
#include "count_stream.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	pa_jw *json;           /* the report's "files", or NULL: the tree */
} walk;

/* Directories no one means to count: version control's and packages'. */
static int walked(const char *name)
{
	return strcmp(name, ".git") && strcmp(name, ".hg") && strcmp(name, ".svn") &&
	       strcmp(name, "node_modules");
}

/* dir/name, the caller frees it. */
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

static void count_file(walk *w, const char *path, node *n)
{
	pa_buf raw = PA_BUF_INIT, text = PA_BUF_INIT;
	pa_error err;
	pa_status st;
	size_t bad, count = 0;

	st = pa_file_read_limited(path, PA_INPUT_MAX_BYTES, 0, &raw, &err);
	if (st == PA_ERR_TOO_LARGE) {
		/* A large file is counted in blocks, as `count FILE` does. */
		int rc = cli_count_stream(w->tok, path, w->lossy,
		                          cli_count_jobs_default(path), &count);
		if (rc != EXIT_OK && w->code == EXIT_OK)
			w->code = rc;
	} else if (st != PA_OK) {
		cli_print_error(&err);
		if (w->code == EXIT_OK)
			w->code = cli_exit_code(st);
	} else if (memchr(raw.ptr, '\0', raw.len) ||
	           (!w->lossy && !pa_utf8_valid(raw.ptr, raw.len, &bad))) {
		/* An image, an archive, a Latin-1 file: no prompt holds it
		 * as it is.  Counted apart, named by --lossy's absence. */
		w->skipped++;
		n->tokens = 0;
		n->dir = -1;
	} else {
		pa_utf8_lossy(raw.ptr, raw.len, &text);
		if (pa_tokenizer_count(w->tok, text.ptr, text.len, &count, &err) != PA_OK) {
			cli_print_error(&err);
			if (w->code == EXIT_OK)
				w->code = cli_exit_code(err.status);
		}
	}
	if (n->dir == 0) {
		n->tokens = count;
		if (w->json) {
			Pa_jw_object(w->json, NULL, PA_JW_INLINE);
			Pa_jw_str(w->json, "path", path);
			Pa_jw_uint(w->json, "tokens", count);
			Pa_jw_end(w->json);
		}
	}
	pa_buf_release(&raw);
	pa_buf_release(&text);
}

/* Reads the directory path into n, depth levels below the top. */
static void walk_dir(walk *w, const char *path, node *n, int depth)
{
	DIR *d;
	struct dirent *e;
	size_t i, cap = 0;

	if (depth > PA_WALK_MAX_DEPTH) {
		cli_errorf("%s: more than %d levels of directories "
		           "(PA_WALK_MAX_DEPTH): count a directory below it",
		           path, PA_WALK_MAX_DEPTH);
		w->code = EXIT_USAGE;
		return;
	}
	d = opendir(path);
	if (!d) {
		cli_errorf("%s: cannot read the directory", path);
		w->code = EXIT_USAGE;
		return;
	}
	while (w->code == EXIT_OK && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++w->entries > PA_WALK_MAX_ENTRIES) {
			cli_errorf("%s: more than %d files and directories "
			           "(PA_WALK_MAX_ENTRIES): count a directory below it",
			           path, PA_WALK_MAX_ENTRIES);
			w->code = EXIT_USAGE;
			break;
		}
		if (n->nkids == cap) {
			cap = cap ? 2 * cap : 8;
			n->kids = Pa_xrealloc(n->kids, cap * sizeof(*n->kids));
		}
		memset(&n->kids[n->nkids], 0, sizeof(node));
		n->kids[n->nkids].name = Pa_xstrdup(e->d_name);
		n->nkids++;
	}
	closedir(d);
	qsort(n->kids, n->nkids, sizeof(*n->kids), by_name);
	for (i = 0; i < n->nkids && w->code == EXIT_OK; i++) {
		node *k = &n->kids[i];
		char *full = join(path, k->name);
		struct stat st;

		/* Links are not followed: a link out of the directory would
		 * count what is not in it, a loop would never end. */
		if (lstat(full, &st) != 0 || S_ISLNK(st.st_mode) ||
		    (S_ISDIR(st.st_mode) && !walked(k->name)) ||
		    (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))) {
			k->dir = -2; /* left out of the tree */
		} else if (S_ISDIR(st.st_mode)) {
			k->dir = 1;
			walk_dir(w, full, k, depth + 1);
		} else {
			count_file(w, full, k);
		}
		if (k->dir >= 0)
			n->tokens += k->tokens;
		free(full);
	}
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
                   pa_jw *json, pa_buf *out, size_t *total)
{
	walk w;
	node top;
	pa_buf prefix = PA_BUF_INIT, text = PA_BUF_INIT;
	char digits[32];
	int width;

	memset(&w, 0, sizeof(w));
	memset(&top, 0, sizeof(top));
	w.tok = tok;
	w.lossy = lossy;
	w.json = json;
	top.dir = 1;
	walk_dir(&w, dir, &top, 0);
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
