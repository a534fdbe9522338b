/*
 * markdown.c - Markdown split into blocks for the trimmer and explain (see
 * markdown.h for what a block is).  One pass over the lines.
 */
#include "markdown.h"

#include <string.h>

static int is_blank_line(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Leading spaces (a tab counts 4) and the byte length they take. */
static size_t indent_of(const char *s, size_t n, size_t *bytes)
{
	size_t i = 0, w = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t')) {
		w += s[i] == '\t' ? 4 : 1;
		i++;
	}
	*bytes = i;
	return w;
}

int pa_md_fence_open(const char *s, size_t n, char *ch, size_t *run)
{
	size_t i, j, k;

	indent_of(s, n, &i);
	if (i >= n || (s[i] != '`' && s[i] != '~'))
		return 0;
	for (j = i; j < n && s[j] == s[i]; j++)
		;
	if (j - i < 3)
		return 0;
	/* A backtick fence's info string has no backtick (else it is code
	 * span text, as in CommonMark). */
	if (s[i] == '`')
		for (k = j; k < n; k++)
			if (s[k] == '`')
				return 0;
	*ch = s[i];
	*run = j - i;
	return 1;
}

int pa_md_fence_close(const char *s, size_t n, char ch, size_t run)
{
	size_t i, j;

	indent_of(s, n, &i);
	for (j = i; j < n && s[j] == ch; j++)
		;
	if (j - i < run)
		return 0;
	return is_blank_line(s + j, n - j);
}

static int is_atx(const char *s, size_t n)
{
	size_t i, j;

	if (indent_of(s, n, &i) > 3)
		return 0;
	for (j = i; j < n && s[j] == '#'; j++)
		;
	return j > i && j - i <= 6 && (j == n || s[j] == ' ' || s[j] == '\t' ||
	                               s[j] == '\r');
}

static int is_break(const char *s, size_t n)
{
	size_t i, count = 0;
	char c = 0;

	if (indent_of(s, n, &i) > 3)
		return 0;
	for (; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')
			continue;
		if (s[i] != '-' && s[i] != '*' && s[i] != '_')
			return 0;
		if (c && s[i] != c)
			return 0;
		c = s[i];
		count++;
	}
	return count >= 3;
}

static int is_setext(const char *s, size_t n)
{
	size_t i, j;

	if (indent_of(s, n, &i) > 3 || i >= n || (s[i] != '=' && s[i] != '-'))
		return 0;
	for (j = i; j < n && s[j] == s[i]; j++)
		;
	return is_blank_line(s + j, n - j);
}

static int is_list_item(const char *s, size_t n)
{
	size_t i, j;

	indent_of(s, n, &i);
	if (i >= n)
		return 0;
	if (s[i] == '-' || s[i] == '*' || s[i] == '+')
		return i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t';
	for (j = i; j < n && j - i < 9 && s[j] >= '0' && s[j] <= '9'; j++)
		;
	if (j == i || j >= n || (s[j] != '.' && s[j] != ')'))
		return 0;
	return j + 1 == n || s[j + 1] == ' ' || s[j + 1] == '\t';
}

static int is_quote(const char *s, size_t n)
{
	size_t i;

	return indent_of(s, n, &i) <= 3 && i < n && s[i] == '>';
}

typedef struct splitter {
	pa_md_block *v;
	size_t n, cap;
} splitter;

static pa_md_block *start_block(splitter *sp, size_t start, long line,
                                pa_md_kind kind)
{
	pa_md_block *b;

	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 16;
		sp->v = pa_xrealloc(sp->v, sp->cap * sizeof(*sp->v));
	}
	if (sp->n)
		sp->v[sp->n - 1].end = start;
	b = &sp->v[sp->n++];
	memset(b, 0, sizeof(*b));
	b->start = sp->n == 1 ? 0 : start;
	b->line = line;
	b->kind = kind;
	return b;
}

void pa_md_blocks(const char *text, size_t len, pa_md_block **blocks,
                  size_t *n)
{
	splitter sp = { NULL, 0, 0 };
	pa_md_block *cur = NULL;
	size_t pos = 0;
	long line = 0;
	int saw_blank = 0, closed = 0, in_fence = 0;

	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t ln = nl ? (size_t)(nl - s) : len - pos;
		size_t next = nl ? pos + ln + 1 : len;
		size_t ib;
		char ch;
		size_t run;

		line++;
		if (in_fence) {
			cur->text_end = pos + ln;
			if (pa_md_fence_close(s, ln, cur->fence_char, cur->fence_len)) {
				cur->fence_closed = 1;
				in_fence = 0;
				closed = 1;
				saw_blank = 0;
			}
			pos = next;
			continue;
		}
		if (is_blank_line(s, ln)) {
			saw_blank = 1;
			pos = next;
			continue;
		}
		if (pa_md_fence_open(s, ln, &ch, &run)) {
			cur = start_block(&sp, pos, line, PA_MD_FENCE);
			cur->fence_char = ch;
			cur->fence_len = run;
			in_fence = 1;
			closed = 0;
		} else if (is_atx(s, ln)) {
			cur = start_block(&sp, pos, line, PA_MD_HEADING);
			closed = 1;
		} else if (cur && !closed && !saw_blank &&
		           cur->kind == PA_MD_PARAGRAPH && is_setext(s, ln)) {
			cur->kind = PA_MD_HEADING;
			closed = 1;
		} else if (is_break(s, ln)) {
			cur = start_block(&sp, pos, line, PA_MD_BREAK);
			closed = 1;
		} else if (is_list_item(s, ln)) {
			cur = start_block(&sp, pos, line, PA_MD_LIST_ITEM);
			closed = 0;
		} else if (is_quote(s, ln)) {
			if (!cur || closed || saw_blank || cur->kind != PA_MD_QUOTE)
				cur = start_block(&sp, pos, line, PA_MD_QUOTE);
			closed = 0;
		} else if (cur && !closed && !saw_blank &&
		           (cur->kind == PA_MD_PARAGRAPH ||
		            cur->kind == PA_MD_LIST_ITEM || cur->kind == PA_MD_QUOTE)) {
			; /* a continuation line */
		} else if (cur && !closed && cur->kind == PA_MD_LIST_ITEM &&
		           indent_of(s, ln, &ib) >= 2) {
			; /* more content of the item after a blank line */
		} else {
			cur = start_block(&sp, pos, line, PA_MD_PARAGRAPH);
			closed = 0;
		}
		if (!in_fence || cur->text_end == 0)
			cur->text_end = pos + ln;
		saw_blank = 0;
		pos = next;
	}
	if (!sp.n && len) {
		/* All blank: one paragraph holding it all. */
		cur = start_block(&sp, 0, 1, PA_MD_PARAGRAPH);
		cur->text_end = 0;
	}
	if (sp.n)
		sp.v[sp.n - 1].end = len;
	*blocks = sp.v;
	*n = sp.n;
}

static size_t utf8_back(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

void pa_md_label(const char *text, const pa_md_block *b, size_t max,
                 pa_buf *out)
{
	const char *s = text + b->start;
	size_t n = b->text_end > b->start ? b->text_end - b->start : 0;
	const char *nl;
	size_t i;

	/* Skip the leading blank lines of a first block. */
	while (n) {
		nl = memchr(s, '\n', n);
		if (!nl || !is_blank_line(s, (size_t)(nl - s)))
			break;
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	nl = memchr(s, '\n', n);
	if (nl)
		n = (size_t)(nl - s);
	indent_of(s, n, &i);
	s += i;
	n -= i;
	if (b->kind == PA_MD_HEADING && n && s[0] == '#') {
		while (n && s[0] == '#') {
			s++;
			n--;
		}
		while (n && (s[0] == ' ' || s[0] == '\t')) {
			s++;
			n--;
		}
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n > max) {
		pa_buf_put(out, s, utf8_back(s, max));
		pa_buf_puts(out, "...");
	} else {
		pa_buf_put(out, s, n);
	}
}

int pa_md_has_open_fence(const char *text, size_t len)
{
	pa_md_block *b;
	size_t n, i;
	int open = 0;

	pa_md_blocks(text, len, &b, &n);
	for (i = 0; i < n; i++)
		if (b[i].kind == PA_MD_FENCE && !b[i].fence_closed)
			open = 1;
	pa_free(b);
	return open;
}

/* ---- HTML comments and @imports (the CLAUDE.md loader's) ---- */

/* The length of the fence opening line s (n bytes): the fence char and
 * run length, or 0 when it is no fence. */
static size_t fence_run(const char *s, size_t n, char *ch)
{
	size_t i = 0, run = 0;

	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i >= n || (s[i] != '`' && s[i] != '~'))
		return 0;
	*ch = s[i];
	while (i + run < n && s[i + run] == *ch)
		run++;
	if (run < 3)
		return 0;
	/* A backtick fence's info string may not hold backticks. */
	if (*ch == '`' && memchr(s + i + run, '`', n - i - run))
		return 0;
	return run;
}

/* 1 when the line closes a fence of char ch and run length at least run. */
static int closes_fence(const char *s, size_t n, char ch, size_t run)
{
	size_t i = 0, r = 0;

	while (i < n && i < 3 && s[i] == ' ')
		i++;
	while (i + r < n && s[i + r] == ch)
		r++;
	if (r < run)
		return 0;
	for (i += r; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

static size_t line_end(const char *s, size_t pos, size_t len)
{
	const char *nl = memchr(s + pos, '\n', len - pos);
	return nl ? (size_t)(nl - s) : len;
}

void pa_md_strip_comments(pa_buf *text)
{
	pa_buf out = PA_BUF_INIT;
	const char *s = text->ptr;
	size_t len = text->len, pos = 0;
	char fch = 0;
	size_t frun = 0;

	while (pos < len) {
		size_t end = line_end(s, pos, len);
		size_t n = end - pos, ind = 0;
		char ch;
		size_t run;

		if (frun) {
			if (closes_fence(s + pos, n, fch, frun))
				frun = 0;
		} else if ((run = fence_run(s + pos, n, &ch))) {
			fch = ch;
			frun = run;
		} else {
			while (ind < n && ind < 3 && s[pos + ind] == ' ')
				ind++;
			if (n - ind >= 4 && !memcmp(s + pos + ind, "<!--", 4)) {
				const char *close = NULL;
				size_t k;
				for (k = pos + ind + 4; k + 3 <= len; k++) {
					if (!memcmp(s + k, "-->", 3)) {
						close = s + k;
						break;
					}
				}
				if (close) {
					/* Drop the comment; keep what follows it on
					 * its last line, unless that is blank. */
					size_t after = (size_t)(close - s) + 3;
					size_t cend = line_end(s, after, len);
					size_t t = after;
					while (t < cend && (s[t] == ' ' || s[t] == '\t'))
						t++;
					if (t == cend) {
						pos = cend < len ? cend + 1 : len;
						/* Between blank lines, take one of them
						 * too, so no gap of two is left. */
						if (out.len == 0 || (out.len >= 2 &&
						    out.ptr[out.len - 1] == '\n' &&
						    out.ptr[out.len - 2] == '\n')) {
							size_t e2 = line_end(s, pos, len), b2 = pos;
							while (b2 < e2 && (s[b2] == ' ' || s[b2] == '\t'))
								b2++;
							if (b2 == e2 && pos < len)
								pos = e2 < len ? e2 + 1 : len;
						}
					} else {
						pa_buf_put(&out, s + pos, ind);
						pos = t;
					}
					continue;
				}
			}
		}
		pa_buf_put(&out, s + pos, n);
		if (end < len)
			pa_buf_putc(&out, '\n');
		pos = end < len ? end + 1 : len;
	}
	pa_buf_release(text);
	*text = out;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Scans one line outside fenced code for imports, skipping code spans. */
static void line_imports(const char *s, size_t n,
                         void (*fn)(void *ctx, const char *path), void *ctx)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == '`') {
			size_t run = 0, j, close = 0;
			while (i + run < n && s[i + run] == '`')
				run++;
			/* Find a closing run of exactly the same length. */
			for (j = i + run; j < n;) {
				size_t r = 0;
				if (s[j] != '`') {
					j++;
					continue;
				}
				while (j + r < n && s[j + r] == '`')
					r++;
				if (r == run) {
					close = j + r;
					break;
				}
				j += r;
			}
			i = close ? close : i + run; /* unclosed: literal backticks */
			continue;
		}
		if (s[i] == '@' && (i == 0 || is_blank(s[i - 1])) && i + 1 < n &&
		    !is_blank(s[i + 1])) {
			pa_buf path = PA_BUF_INIT;
			size_t j = i + 1;
			while (j < n && !is_blank(s[j])) {
				if (s[j] == '\\' && j + 1 < n && s[j + 1] == ' ') {
					pa_buf_putc(&path, ' ');
					j += 2;
					continue;
				}
				pa_buf_putc(&path, s[j++]);
			}
			/* Punctuation that ends a sentence is not part of the
			 * path: "see @docs/style.md." */
			while (path.len > 0 && strchr(".,;:!?)]}\"'", path.ptr[path.len - 1]))
				pa_buf_truncate(&path, path.len - 1);
			{
				char c = path.len ? path.ptr[0] : 0;
				int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				         (c >= '0' && c <= '9') || c == '.' || c == '_' ||
				         c == '/' || c == '~' || c == '-' ||
				         (unsigned char)c >= 0x80;
				if (ok)
					fn(ctx, path.ptr);
			}
			pa_buf_release(&path);
			i = j;
			continue;
		}
		i++;
	}
}

/* Columns of leading white space (a tab moves to the next multiple of
 * 4); *blank is set when the line has nothing else. */
static size_t import_indent_of(const char *s, size_t n, int *blank)
{
	size_t i, col = 0;

	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		col = s[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
	*blank = i == n;
	return col;
}

static int import_is_list_item(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	if (i + 1 < n && (s[i] == '-' || s[i] == '*' || s[i] == '+') &&
	    (s[i + 1] == ' ' || s[i + 1] == '\t'))
		return 1;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	return i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') &&
	       (s[i + 1] == ' ' || s[i + 1] == '\t');
}

void pa_md_imports(const char *s, size_t len,
                   void (*fn)(void *ctx, const char *path), void *ctx)
{
	size_t pos = 0;
	char fch = 0;
	size_t frun = 0;
	/* Indented code: lines indented 4 columns or more after a blank
	 * line, unless they continue a list item. */
	int prev_blank = 1, in_indented = 0, in_list = 0;

	while (pos < len) {
		size_t end = line_end(s, pos, len);
		size_t n = end - pos, ind;
		char ch;
		size_t run;
		int blank;

		ind = import_indent_of(s + pos, n, &blank);
		if (frun) {
			if (closes_fence(s + pos, n, fch, frun))
				frun = 0;
		} else if (blank) {
			prev_blank = 1;
		} else if (ind >= 4 && (in_indented || (prev_blank && !in_list))) {
			in_indented = 1;
			prev_blank = 0;
		} else if ((run = fence_run(s + pos, n, &ch))) {
			fch = ch;
			frun = run;
			in_indented = prev_blank = 0;
		} else {
			in_indented = prev_blank = 0;
			if (import_is_list_item(s + pos, n))
				in_list = 1;
			else if (ind == 0)
				in_list = 0;
			line_imports(s + pos, n, fn, ctx);
		}
		pos = end < len ? end + 1 : len;
	}
}
