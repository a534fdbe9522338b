/* fuzz_markdown.c - libFuzzer target: the Markdown module (markdown.h),
 * every reader of it on the same bytes.
 *
 * Oracles:
 *  - the scanner: lines tile the text (each starts where the one before
 *    ended, the last ends at its length), numbered 1, 2, ...;
 *  - @imports (Pa_md_imports): each path is cut from the text: found, in
 *    the order reported, right after an `@` that starts the text,
 *    follows white space or starts a run of text after an inline
 *    construct (Claude Code's reader: after a code span's backtick, a
 *    tag's `>`, a link's `[` or `)`, an emphasis mark, an escaped
 *    character: ASCII punctuation), byte for byte except that its
 *    spaces are the text's "\ "; it holds no other white space, no
 *    backslash, no `#`,
 *    and starts as the importer requires (./ ~/ /x or a letter, digit,
 *    `.`, `_`, `-`);
 *  - the comment stripper (Pa_md_strip_comments): the result is no
 *    longer than the text, unchanged when the text holds no `<!--`; its
 *    line map has one entry per line of the result, strictly increasing,
 *    each a line of the text; and each line of the result, without its
 *    leading blanks, is the line of the text the map names with some
 *    of its bytes left out (what follows a comment stays, after the
 *    comment line's indent; on a line that starts with a comment, or
 *    inside one, every comment of the line goes, as Claude Code strips
 *    them: so not only a head of the line);
 *  - the block splitter (Pa_md_blocks): blocks tile the text, each block
 *    starting on a line of its own, its `line` that of its first
 *    non-blank byte; a fence block has a fence's character and run;
 *    labels are at most max bytes and "...", cut at a character;
 *  - fences: Pa_md_close_fence() closes exactly the texts that
 *    Pa_md_has_open_fence() finds open, and what it appends leaves none
 *    open. */
#include "fuzz.h"

#include "markdown.h"

static size_t count_newlines(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* Lines of a text as the scanner counts them. */
static size_t count_lines(const char *s, size_t n)
{
	return count_newlines(s, n) + (n && s[n - 1] != '\n');
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int is_punct(char c)
{
	return c > ' ' && c < 127 && !((c >= '0' && c <= '9') ||
	                               (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
}

static void check_lines(const char *text, size_t len)
{
	Pa_md_scanner sc;
	Pa_md_line ln;
	size_t pos = 0;
	long number = 0;

	Pa_md_scan_init(&sc, text, len);
	while (Pa_md_scan_next(&sc, &ln)) {
		FUZZ_CHECK(ln.start == pos && ln.start <= ln.end && ln.end <= ln.next);
		FUZZ_CHECK(ln.next > ln.start && ln.next <= len);
		FUZZ_CHECK(ln.number == ++number);
		FUZZ_CHECK(ln.kind <= PA_MD_LINE_CODE);
		pos = ln.next;
	}
	FUZZ_CHECK(pos == len);
}

/* ---- imports ---- */

typedef struct found {
	const char *text;
	size_t len;
	size_t cursor; /* where the next import's `@` may be */
	size_t count;
	size_t *first; /* per byte: the length of the path found there + 1 */
} found;

/* 1 when path, with each space written "\ ", is text[at...]. */
static int written_at(const char *text, size_t len, size_t at, const char *path)
{
	for (; *path; path++) {
		if (*path == ' ') {
			if (at + 2 > len || text[at] != '\\' || text[at + 1] != ' ')
				return 0;
			at += 2;
		} else {
			if (at >= len || text[at] != *path)
				return 0;
			at++;
		}
	}
	return 1;
}

static void on_import(void *ctx, const char *path, size_t at)
{
	found *f = ctx;
	const char *p;
	size_t i;
	char c = path[0];

	f->count++;
	for (p = path; *p; p++)
		FUZZ_CHECK((!is_space(*p) || *p == ' ') && *p != '\\' && *p != '#');
	FUZZ_CHECK(!strncmp(path, "./", 2) || !strncmp(path, "~/", 2) ||
	           (c == '/' && path[1]) || (c >= 'a' && c <= 'z') ||
	           (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	           c == '_' || c == '-');
	/* The offset given is an '@' after the last import's, at the start of
	 * the text, after a space or after the punctuation that ends an
	 * inline construct, and the path is written after it.  (Not
	 * necessarily the first such '@': one in a code block is skipped.)
	 * A list item's line is read twice, as written and then as Claude
	 * Code's reader splits it: the second reading starts again at the
	 * line's first '@', and an import found in both is given again only
	 * when its run of text ends it sooner (a shorter path). */
	i = at;
	FUZZ_CHECK(i < f->len && f->text[i] == '@');
	if (i < f->cursor) {
		/* the second reading of a list item's line */
		FUZZ_CHECK(!f->first[i] || strlen(path) + 1 < f->first[i]);
	}
	FUZZ_CHECK(i == 0 || is_space(f->text[i - 1]) || is_punct(f->text[i - 1]));
	FUZZ_CHECK(written_at(f->text, f->len, i + 1, path));
	FUZZ_CHECK(f->first[i] != SIZE_MAX);
	f->first[i] = f->first[i] ? SIZE_MAX : strlen(path) + 1;
	f->cursor = i + 1;
}

static void check_imports(const char *text, size_t len)
{
	found f = { text, len, 0, 0, NULL };
	size_t ats = 0, i;

	f.first = calloc(len ? len : 1, sizeof(*f.first));
	if (!f.first)
		abort();
	Pa_md_imports(text, len, on_import, &f);
	for (i = 0; i < len; i++)
		ats += text[i] == '@';
	FUZZ_CHECK(f.count <= 2 * ats);
	free(f.first);
}

/* ---- comments ---- */

static int has_comment_open(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++)
		if (!memcmp(s + i, "<!--", 4))
			return 1;
	return 0;
}

/* The bounds of 1-based line `line` of text. */
static void line_bounds(const char *text, size_t len, size_t line,
                        size_t *start, size_t *next)
{
	size_t i = 0, k = 1;
	const char *nl;

	while (k < line) {
		nl = memchr(text + i, '\n', len - i);
		FUZZ_CHECK(nl != NULL);
		i = (size_t)(nl - text) + 1;
		k++;
	}
	nl = memchr(text + i, '\n', len - i);
	*start = i;
	*next = nl ? (size_t)(nl - text) + 1 : len;
}

/* 1 when a (n bytes) is b (m bytes) with some of its bytes left out,
 * and ends as b ends when b is a line with its newline (the newline
 * stays; the last line of a text without one may end in a comment that
 * goes, "<!---->A<!---->" leaving "A"). */
static int left_out_of(const char *a, size_t n, const char *b, size_t m)
{
	size_t i = 0, j;

	if (n && m && b[m - 1] == '\n' && a[n - 1] != '\n')
		return 0;
	for (j = 0; i < n && j < m; j++)
		if (a[i] == b[j])
			i++;
	return i == n;
}

static void check_comments(const char *text, size_t len)
{
	pa_buf b = PA_BUF_INIT;
	size_t *map = NULL, nlines = 0, k, pos = 0, lines = count_lines(text, len);

	pa_buf_put(&b, text, len);
	Pa_md_strip_comments(&b, &map, &nlines);
	FUZZ_CHECK(b.len <= len);
	if (!has_comment_open(text, len))
		FUZZ_CHECK(b.len == len && !memcmp(b.ptr, text, len));
	FUZZ_CHECK(nlines == count_lines(b.ptr, b.len));
	FUZZ_CHECK((nlines == 0) == (map == NULL));
	for (k = 0; k < nlines; k++) {
		const char *nl = memchr(b.ptr + pos, '\n', b.len - pos);
		size_t next = nl ? (size_t)(nl - b.ptr) + 1 : b.len, s = pos;
		size_t ls, lnext;

		FUZZ_CHECK(map[k] >= 1 && map[k] <= lines);
		if (k)
			FUZZ_CHECK(map[k] > map[k - 1]);
		while (s < next && (b.ptr[s] == ' ' || b.ptr[s] == '\t'))
			s++;
		line_bounds(text, len, map[k], &ls, &lnext);
		FUZZ_CHECK(next - s <= lnext - ls);
		FUZZ_CHECK(left_out_of(b.ptr + s, next - s, text + ls, lnext - ls));
		pos = next;
	}
	FUZZ_CHECK(pos == b.len);
	pa_free(map);
	pa_buf_release(&b);
}

/* ---- blocks and fences ---- */

static void check_blocks(const char *text, size_t len)
{
	Pa_md_block *v = NULL;
	size_t n = 0, i;
	int valid = pa_utf8_valid(text, len, NULL);

	Pa_md_blocks(text, len, &v, &n);
	FUZZ_CHECK((n == 0) == (len == 0));
	for (i = 0; i < n; i++) {
		const Pa_md_block *b = &v[i];
		pa_buf label = PA_BUF_INIT;

		FUZZ_CHECK(b->start == (i ? v[i - 1].end : 0));
		FUZZ_CHECK(b->start < b->end || (len == 0));
		FUZZ_CHECK(b->start <= b->text_start && b->text_start <= b->text_end &&
		           b->text_end <= b->end);
		FUZZ_CHECK(b->start == 0 || text[b->start - 1] == '\n');
		FUZZ_CHECK(b->text_start == 0 || text[b->text_start - 1] == '\n');
		FUZZ_CHECK(b->line == 1 + (long)count_newlines(text, b->text_start));
		FUZZ_CHECK(b->kind <= PA_MD_CODE);
		if (b->kind == PA_MD_FENCE)
			FUZZ_CHECK((b->fence_char == '`' || b->fence_char == '~') &&
			           b->fence_len >= PA_MD_FENCE_MIN);
		Pa_md_label(text, b, 24, &label);
		FUZZ_CHECK(label.len <= 24 + 3);
		if (valid)
			FUZZ_CHECK(pa_utf8_valid(label.ptr, label.len, NULL));
		pa_buf_release(&label);
	}
	if (n)
		FUZZ_CHECK(v[n - 1].end == len);
	pa_free(v);
}

static void check_fences(const char *text, size_t len)
{
	pa_buf b = PA_BUF_INIT;
	int open = Pa_md_has_open_fence(text, len);

	pa_buf_put(&b, text, len);
	FUZZ_CHECK(Pa_md_close_fence(&b) == open);
	if (!open)
		FUZZ_CHECK(b.len == len);
	FUZZ_CHECK(b.len >= len && !memcmp(b.ptr, text, len));
	FUZZ_CHECK(!Pa_md_has_open_fence(b.ptr, b.len));
	pa_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *text = (const char *)data;

	check_lines(text, size);
	check_imports(text, size);
	check_comments(text, size);
	check_blocks(text, size);
	check_fences(text, size);
	return 0;
}
