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
