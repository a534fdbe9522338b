/*
 * markdown.c - the Markdown module (see markdown.h): one scanner of lines,
 * and what is built on it: the blocks the trimmer and explain use, the HTML
 * comment stripper and the @import scanner of the CLAUDE.md loader.
 */
#include "markdown.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h> /* strncasecmp */

/* ---- lines ---- */

/* The line at pos, whose line feed is at eol (or eol == len: none). */
static void line_ending_at(const char *text, size_t len, size_t pos, size_t eol,
                           Pa_md_line *ln)
{
	memset(ln, 0, sizeof(*ln));
	ln->start = pos;
	ln->next = eol < len ? eol + 1 : len;
	ln->end = eol;
	if (ln->end > pos && text[ln->end - 1] == '\r')
		ln->end--;
}

int Pa_md_line_at(const char *text, size_t len, size_t pos, Pa_md_line *ln)
{
	const char *nl;

	if (pos >= len)
		return 0;
	nl = memchr(text + pos, '\n', len - pos);
	line_ending_at(text, len, pos, nl ? (size_t)(nl - text) : len, ln);
	return 1;
}

/* Pa_md_line_at() for the scanner's text, the line's end remembered. */
static int scan_line_at(Pa_md_scanner *sc, size_t pos, Pa_md_line *ln)
{
	if (pos >= sc->len)
		return 0;
	if (!sc->eol_known || pos < sc->eol_from || pos > sc->eol) {
		const char *nl = memchr(sc->text + pos, '\n', sc->len - pos);

		sc->eol_known = 1;
		sc->eol_from = pos;
		sc->eol = nl ? (size_t)(nl - sc->text) : sc->len;
	}
	line_ending_at(sc->text, sc->len, pos, sc->eol, ln);
	return 1;
}

/* Columns of the spaces and tabs at the start of s, from column col;
 * *bytes gets how many bytes they take. */
static size_t columns(const char *s, size_t n, size_t col, size_t *bytes)
{
	size_t i, c = col;

	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		c = s[i] == '\t' ? c + PA_MD_TAB_STOP - c % PA_MD_TAB_STOP : c + 1;
	*bytes = i;
	return c - col;
}

static int only_blanks(const char *s, size_t n)
{
	size_t b;

	columns(s, n, 0, &b);
	return b == n;
}

/* The syntax of a line's text after its indentation (s, n bytes). */

static int opens_fence(const char *s, size_t n, char *ch, size_t *run)
{
	size_t j;

	if (!n || (s[0] != '`' && s[0] != '~'))
		return 0;
	for (j = 0; j < n && s[j] == s[0]; j++)
		;
	if (j < PA_MD_FENCE_MIN)
		return 0;
	/* A backtick fence's info string has no backtick (else the line is
	 * code span text, as in CommonMark). */
	if (s[0] == '`' && memchr(s + j, '`', n - j))
		return 0;
	*ch = s[0];
	*run = j;
	return 1;
}

static int closes_fence(const char *s, size_t n, char ch, size_t run)
{
	size_t j;

	for (j = 0; j < n && s[j] == ch; j++)
		;
	return j >= run && only_blanks(s + j, n - j);
}

static int is_atx(const char *s, size_t n)
{
	size_t j;

	for (j = 0; j < n && s[j] == '#'; j++)
		;
	return j >= 1 && j <= 6 && (j == n || s[j] == ' ' || s[j] == '\t');
}

static int is_break(const char *s, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if ((s[i] != '-' && s[i] != '*' && s[i] != '_') || s[i] != s[0])
			return 0;
		count++;
	}
	return count >= 3;
}

static int is_setext(const char *s, size_t n)
{
	size_t j;

	if (!n || (s[0] != '=' && s[0] != '-'))
		return 0;
	for (j = 0; j < n && s[j] == s[0]; j++)
		;
	return only_blanks(s + j, n - j);
}

static int is_comment(const char *s, size_t n)
{
	return n >= 4 && !memcmp(s, "<!--", 4);
}

/* A list marker at the start of s (n bytes), at column col: `-`, `+`, `*`
 * or 1-9 digits and `.` or `)`, then blanks or the end of the line. */
typedef struct marker {
	size_t content;     /* column where the item's content starts */
	size_t skip;        /* bytes up to that content */
	int empty;          /* nothing after the marker */
	int code;           /* its content is indented code */
	int first;          /* a bullet, or the number 1: may interrupt a paragraph */
} marker;

static int list_marker(const char *s, size_t n, size_t col, marker *m)
{
	size_t w = 0, ws, b;
	unsigned long num = 0;

	if (n && (s[0] == '-' || s[0] == '+' || s[0] == '*')) {
		w = 1;
		m->first = 1;
	} else {
		while (w < n && w < 9 && s[w] >= '0' && s[w] <= '9')
			num = num * 10 + (unsigned long)(s[w++] - '0');
		if (!w || w >= n || (s[w] != '.' && s[w] != ')'))
			return 0;
		w++;
		m->first = num == 1;
	}
	ws = columns(s + w, n - w, col + w, &b);
	if (w + b < n && !b)
		return 0;
	m->empty = w + b == n;
	/* Content indented 5 or more past the marker is indented code that
	 * starts 1 past the marker (CommonMark). */
	m->code = !m->empty && ws > PA_MD_CODE_INDENT;
	m->content = col + w + (m->empty || m->code ? 1 : ws);
	m->skip = m->empty || m->code ? n : w + b;
	return 1;
}

/* ---- the scanner ---- */

enum { PARA_NONE, PARA_OPEN, PARA_QUOTE };

void Pa_md_scan_init(Pa_md_scanner *sc, const char *text, size_t len)
{
	memset(sc, 0, sizeof(*sc));
	sc->text = text;
	sc->len = len;
}

void Pa_md_scan_skip(Pa_md_scanner *sc, size_t pos, size_t indent)
{
	const char *p = sc->text + sc->pos, *end = sc->text + pos;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		sc->line++;
		p++;
	}
	sc->pos = pos;
	sc->carry = indent;
}

int Pa_md_line_is_code(const Pa_md_line *ln)
{
	return ln->kind == PA_MD_LINE_FENCE_OPEN || ln->kind == PA_MD_LINE_FENCE_CODE ||
	       ln->kind == PA_MD_LINE_FENCE_CLOSE || ln->kind == PA_MD_LINE_CODE;
}

int Pa_md_is_frontmatter_fence(const char *s, size_t n)
{
	return n >= 3 && !memcmp(s, "---", 3) && only_blanks(s + 3, n - 3);
}

static void open_fence(Pa_md_scanner *sc, Pa_md_line *ln, char ch, size_t run,
                       size_t indent, size_t base)
{
	sc->fence = 1;
	sc->fence_char = ch;
	sc->fence_len = run;
	sc->fence_indent = indent;
	sc->fence_base = base;
	ln->kind = PA_MD_LINE_FENCE_OPEN;
}

/* A line inside a fence.  Returns 0 when the line is not the fence's: it
 * ends the list item the fence is in, and the fence with it. */
static int fence_line(Pa_md_scanner *sc, Pa_md_line *ln, int blank)
{
	const char *s = sc->text + ln->start + ln->lead;

	if (!blank && ln->indent < sc->fence_base) {
		sc->fence = 0;
		return 0;
	}
	ln->kind = PA_MD_LINE_FENCE_CODE;
	ln->base = sc->fence_base;
	ln->fence_char = sc->fence_char;
	ln->fence_len = sc->fence_len;
	ln->fence_indent = sc->fence_indent;
	if (!blank && ln->indent - sc->fence_base < PA_MD_CODE_INDENT &&
	    closes_fence(s, ln->end - ln->start - ln->lead, sc->fence_char,
	                 sc->fence_len)) {
		ln->kind = PA_MD_LINE_FENCE_CLOSE;
		sc->fence = 0;
	}
	return 1;
}

/* What a line starting a list item holds on that line. */
static void list_item(Pa_md_scanner *sc, Pa_md_line *ln, const char *s,
                      size_t n, const marker *m)
{
	char ch;
	size_t run;

	ln->kind = PA_MD_LINE_LIST_ITEM;
	sc->para = PARA_NONE;
	if (sc->nlists < PA_MD_MAX_LISTS) {
		sc->lists[sc->nlists].content = m->content;
		sc->lists[sc->nlists].empty = m->empty;
		sc->nlists++;
	}
	s += m->skip;
	n -= m->skip;
	if (m->empty || m->code)
		return;
	if (opens_fence(s, n, &ch, &run))
		open_fence(sc, ln, ch, run, m->content, m->content);
	else if (!is_atx(s, n) && s[0] != '>')
		sc->para = PARA_OPEN;
}

/* Classifies a non-blank line outside a fence whose list items up to
 * depth k hold it (rel: its indentation from theirs; same: k is the
 * depth the scanner is at). */
static void block_start(Pa_md_scanner *sc, Pa_md_line *ln, size_t rel,
                        int same)
{
	const char *s = sc->text + ln->start + ln->lead;
	size_t n = ln->end - ln->start - ln->lead, run;
	char ch;
	marker m;
	int para = sc->para;

	memset(&m, 0, sizeof(m));
	sc->para = PARA_NONE;
	if (rel >= PA_MD_CODE_INDENT) {
		/* Indented code cannot interrupt a paragraph. */
		ln->kind = para ? PA_MD_LINE_TEXT : PA_MD_LINE_CODE;
		sc->para = para;
	} else if (opens_fence(s, n, &ch, &run)) {
		open_fence(sc, ln, ch, run, ln->indent, ln->base);
	} else if (is_atx(s, n)) {
		ln->kind = PA_MD_LINE_HEADING;
	} else if (para == PARA_OPEN && same && is_setext(s, n)) {
		ln->kind = PA_MD_LINE_SETEXT;
	} else if (is_break(s, n)) {
		ln->kind = PA_MD_LINE_BREAK;
	} else if (list_marker(s, n, ln->indent, &m) &&
	           /* Only a bullet or "1." with text may interrupt a
	            * paragraph of the same item. */
	           !(para == PARA_OPEN && same && (m.empty || !m.first))) {
		list_item(sc, ln, s, n, &m);
	} else if (s[0] == '>') {
		ln->kind = PA_MD_LINE_QUOTE;
		sc->para = only_blanks(s + 1, n - 1) ? PARA_NONE : PARA_QUOTE;
	} else if (is_comment(s, n)) {
		ln->kind = PA_MD_LINE_COMMENT;
	} else {
		ln->kind = PA_MD_LINE_TEXT;
		sc->para = para == PARA_QUOTE ? PARA_QUOTE : PARA_OPEN;
	}
	if (ln->kind == PA_MD_LINE_FENCE_OPEN) {
		ln->fence_char = sc->fence_char;
		ln->fence_len = sc->fence_len;
		ln->fence_indent = sc->fence_indent;
	}
}

int Pa_md_scan_next(Pa_md_scanner *sc, Pa_md_line *ln)
{
	size_t k, n, nlists;
	int blank, para;

	if (!scan_line_at(sc, sc->pos, ln))
		return 0;
	sc->pos = ln->next;
	ln->number = ++sc->line;
	n = ln->end - ln->start;
	ln->indent = sc->carry + columns(sc->text + ln->start, n, sc->carry, &ln->lead);
	sc->carry = 0;
	blank = ln->lead == n;
	if (sc->fence && fence_line(sc, ln, blank))
		return 1;
	if (blank) {
		ln->kind = PA_MD_LINE_BLANK;
		sc->para = PARA_NONE;
		/* An item may start with one blank line, not two. */
		if (sc->nlists && sc->lists[sc->nlists - 1].empty)
			sc->nlists--;
		ln->base = sc->nlists ? sc->lists[sc->nlists - 1].content : 0;
		return 1;
	}
	if (sc->nlists)
		sc->lists[sc->nlists - 1].empty = 0;
	/* The items whose content the line's indentation reaches hold it. */
	for (k = sc->nlists; k > 0 && ln->indent < sc->lists[k - 1].content; k--)
		;
	ln->base = k ? sc->lists[k - 1].content : 0;
	nlists = sc->nlists;
	para = sc->para;
	sc->nlists = k;
	block_start(sc, ln, ln->indent - ln->base, k == nlists);
	if (ln->kind == PA_MD_LINE_TEXT && k < nlists && para)
		sc->nlists = nlists; /* a lazy continuation: the items go on */
	return 1;
}

/* ---- blocks ---- */

typedef struct splitter {
	Pa_md_block *v;
	size_t n, cap;
	Pa_md_block *cur;
	int closed;       /* cur takes no more lines */
	int saw_blank;    /* a blank line since cur's last line */
} splitter;

static Pa_md_block *start_block(splitter *sp, const Pa_md_line *ln,
                                Pa_md_kind kind)
{
	Pa_md_block *b;

	if (sp->n == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 16;
		sp->v = Pa_xrealloc(sp->v, sp->cap * sizeof(*sp->v));
	}
	if (sp->n)
		sp->v[sp->n - 1].end = ln->start;
	b = &sp->v[sp->n++];
	memset(b, 0, sizeof(*b));
	b->start = sp->n == 1 ? 0 : ln->start;
	b->text_start = ln->start;
	b->line = ln->number;
	b->kind = kind;
	sp->cur = b;
	return b;
}

/* A line that is text to the splitter: it goes on in the block before it,
 * or starts a paragraph. */
static void text_line(splitter *sp, const Pa_md_line *ln)
{
	const Pa_md_block *cur = sp->cur;

	if (cur && !sp->closed && !sp->saw_blank &&
	    (cur->kind == PA_MD_PARAGRAPH || cur->kind == PA_MD_LIST_ITEM ||
	     cur->kind == PA_MD_QUOTE))
		return; /* a continuation line */
	if (cur && !sp->closed && cur->kind == PA_MD_LIST_ITEM && ln->base > 0)
		return; /* more content of the item after a blank line */
	start_block(sp, ln, PA_MD_PARAGRAPH);
	sp->closed = 0;
}

static void split_line(splitter *sp, const Pa_md_line *ln)
{
	Pa_md_block *b;

	switch (ln->kind) {
	case PA_MD_LINE_BLANK:
		sp->saw_blank = 1;
		return;
	case PA_MD_LINE_FENCE_CLOSE:
		sp->cur->fence_closed = 1;
		/* fall through */
	case PA_MD_LINE_FENCE_CODE:
		break;
	case PA_MD_LINE_FENCE_OPEN:
		b = start_block(sp, ln, PA_MD_FENCE);
		b->fence_char = ln->fence_char;
		b->fence_len = ln->fence_len;
		b->fence_indent = ln->fence_indent;
		sp->closed = 1;
		break;
	case PA_MD_LINE_HEADING:
	case PA_MD_LINE_BREAK:
		start_block(sp, ln, ln->kind == PA_MD_LINE_HEADING ? PA_MD_HEADING
		                                                 : PA_MD_BREAK);
		sp->closed = 1;
		break;
	case PA_MD_LINE_SETEXT:
		/* Under a paragraph's text (an item's stays an item). */
		if (sp->cur->kind == PA_MD_PARAGRAPH)
			sp->cur->kind = PA_MD_HEADING;
		sp->closed = 1;
		break;
	case PA_MD_LINE_LIST_ITEM:
		start_block(sp, ln, PA_MD_LIST_ITEM);
		sp->closed = 0;
		break;
	case PA_MD_LINE_QUOTE:
		if (!sp->cur || sp->closed || sp->saw_blank ||
		    sp->cur->kind != PA_MD_QUOTE)
			start_block(sp, ln, PA_MD_QUOTE);
		sp->closed = 0;
		break;
	case PA_MD_LINE_CODE:
		/* Indented code outside a list item is one block, blank lines
		 * and all, as in CommonMark (its chunks separated by blank
		 * lines); inside an item it is the item's content. */
		if (ln->base == 0) {
			if (!sp->cur || sp->closed || sp->cur->kind != PA_MD_CODE)
				start_block(sp, ln, PA_MD_CODE);
			sp->closed = 0;
			break;
		}
		text_line(sp, ln);
		break;
	case PA_MD_LINE_TEXT:
	case PA_MD_LINE_COMMENT:
		text_line(sp, ln);
		break;
	}
	sp->cur->text_end = ln->end;
	sp->saw_blank = 0;
}

void Pa_md_blocks(const char *text, size_t len, Pa_md_block **blocks,
                  size_t *n)
{
	splitter sp;
	Pa_md_scanner sc;
	Pa_md_line ln;

	memset(&sp, 0, sizeof(sp));
	Pa_md_scan_init(&sc, text, len);
	while (Pa_md_scan_next(&sc, &ln))
		split_line(&sp, &ln);
	if (!sp.n && len) {
		/* All blank: one paragraph holding it all. */
		Pa_md_line_at(text, len, 0, &ln);
		ln.number = 1;
		start_block(&sp, &ln, PA_MD_PARAGRAPH);
	}
	if (sp.n)
		sp.v[sp.n - 1].end = len;
	*blocks = sp.v;
	*n = sp.n;
}

/* The scanner's state at the end of text. */
static void scan_to_end(Pa_md_scanner *sc, const char *text, size_t len)
{
	Pa_md_line ln;

	Pa_md_scan_init(sc, text, len);
	while (Pa_md_scan_next(sc, &ln))
		;
}

int Pa_md_has_open_fence(const char *text, size_t len)
{
	Pa_md_scanner sc;

	scan_to_end(&sc, text, len);
	return sc.fence;
}

int Pa_md_close_fence(pa_buf *text)
{
	Pa_md_scanner sc;
	size_t i;

	scan_to_end(&sc, text->ptr, text->len);
	if (!sc.fence)
		return 0;
	if (text->len && text->ptr[text->len - 1] != '\n')
		pa_buf_putc(text, '\n');
	for (i = 0; i < sc.fence_indent; i++)
		pa_buf_putc(text, ' ');
	for (i = 0; i < sc.fence_len; i++)
		pa_buf_putc(text, sc.fence_char);
	return 1;
}

static size_t utf8_back(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

void Pa_md_label(const char *text, const Pa_md_block *b, size_t max,
                 pa_buf *out)
{
	const char *s = text + b->start;
	size_t n = b->text_end > b->start ? b->text_end - b->start : 0;
	const char *nl;
	size_t i;

	/* Skip the leading blank lines of a first block. */
	while (n) {
		nl = memchr(s, '\n', n);
		if (!nl || !only_blanks(s, (size_t)(nl - s) -
		                       (nl > s && nl[-1] == '\r')))
			break;
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	nl = memchr(s, '\n', n);
	if (nl)
		n = (size_t)(nl - s);
	columns(s, n, 0, &i);
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

/* ---- CLAUDE.md: HTML comments ---- */

typedef struct stripper {
	const char *s;
	size_t len;
	Pa_md_scanner sc;
	pa_buf out;
	int gap;                   /* nothing kept yet, or a blank line last */
	int unclosed;              /* a comment is never closed: none after it is */
	size_t *map, nmap, cap;    /* the input line of each output line */
} stripper;

/* Where the comment starting on line ln ends: one past its `-->`, or 0. */
static size_t comment_end(stripper *st, const Pa_md_line *ln)
{
	size_t k;

	for (k = ln->start + ln->lead + 4; !st->unclosed && k + 3 <= st->len; k++)
		if (st->s[k] == '-' && !memcmp(st->s + k, "-->", 3))
			return k + 3;
	st->unclosed = 1;
	return 0;
}

/* The first m-byte pat in s[0, n), or NULL. */
static const char *find(const char *s, size_t n, const char *pat, size_t m)
{
	const char *p = s, *end = s + n;

	while (end - p >= (ptrdiff_t)m && (p = memchr(p, pat[0], (size_t)(end - p - (ptrdiff_t)m + 1))))
		if (!memcmp(p, pat, m))
			return p;
		else
			p++;
	return NULL;
}

/* Records the input line of the output line just kept. */
static void map_line(stripper *st, long number)
{
	if (st->nmap == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		st->map = Pa_xrealloc(st->map, st->cap * sizeof(*st->map));
	}
	st->map[st->nmap] = (size_t)number;
}

/* Appends s[from, to) with every comment `<!-- ... -->` closed within it
 * removed; an unclosed one stays.  Returns 1 when what is left holds
 * more than blanks. */
static int put_uncommented(pa_buf *out, const char *s, size_t from, size_t to)
{
	size_t k = from, open, close, b;
	int text = 0;

	while (k < to) {
		const char *o = find(s + k, to - k, "<!--", 4);
		const char *c = o ? find(o + 4, (size_t)(s + to - o - 4), "-->", 3)
		                  : NULL;

		open = c ? (size_t)(o - s) : to;
		close = c ? (size_t)(c - s) + 3 : to;
		columns(s + k, open - k, 0, &b);
		if (k + b < open)
			text = 1;
		pa_buf_put(out, s + k, open - k);
		k = close;
	}
	return text;
}

/* The input line of offset stop, in the comment that starts line ln. */
static long rest_number(const stripper *st, const Pa_md_line *ln, size_t stop)
{
	long n = ln->number;
	const char *p = st->s + ln->start, *end = st->s + stop;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* Drops the comment of line ln up to stop; the scanner is as it was
 * before ln, as if the comment had never been there.  When text follows
 * on the comment's last line, that line stays as Claude Code 2.1.332
 * sends it (fixture comments-line): the comment line's indentation, then
 * the rest with every comment of it removed, its blanks kept. */
static void drop_comment(stripper *st, const Pa_md_line *ln, size_t stop,
                         int map)
{
	Pa_md_line rest;
	Pa_md_scanner ahead;
	size_t mark = st->out.len;

	if (!scan_line_at(&st->sc, stop, &rest))
		rest.end = rest.next = st->len;
	pa_buf_put(&st->out, st->s + ln->start, ln->lead);
	if (put_uncommented(&st->out, st->s, stop, rest.end)) {
		pa_buf_put(&st->out, st->s + rest.end, rest.next - rest.end);
		Pa_md_scan_skip(&st->sc, rest.next, 0);
		st->gap = 0;
		if (map)
			map_line(st, rest_number(st, ln, stop));
		st->nmap++;
		return;
	}
	st->out.len = mark;
	st->out.ptr[mark] = '\0';
	Pa_md_scan_skip(&st->sc, rest.next, 0);
	if (st->gap) {
		/* Between blank lines, take one of them too, so no gap of
		 * two is left. */
		ahead = st->sc;
		if (Pa_md_scan_next(&ahead, &rest) && rest.kind == PA_MD_LINE_BLANK)
			st->sc = ahead;
	}
}

/* Keeps line ln (or what is left of it after a comment). */
static void keep_line(stripper *st, const Pa_md_line *ln, int map)
{
	pa_buf_put(&st->out, st->s + ln->start, ln->next - ln->start);
	st->gap = ln->kind == PA_MD_LINE_BLANK;
	if (map)
		map_line(st, ln->number);
	st->nmap++;
}

void Pa_md_strip_comments(pa_buf *text, size_t **line_of, size_t *nlines)
{
	stripper st;
	Pa_md_scanner before;
	Pa_md_line ln;
	size_t stop;

	memset(&st, 0, sizeof(st));
	st.s = text->ptr;
	st.len = text->len;
	st.out = (pa_buf)PA_BUF_INIT;
	st.gap = 1;
	Pa_md_scan_init(&st.sc, st.s, st.len);
	for (;;) {
		before = st.sc;
		if (!Pa_md_scan_next(&st.sc, &ln))
			break;
		if (ln.kind == PA_MD_LINE_COMMENT && (stop = comment_end(&st, &ln))) {
			st.sc = before;
			drop_comment(&st, &ln, stop, line_of != NULL);
			continue;
		}
		keep_line(&st, &ln, line_of != NULL);
	}
	pa_buf_release(text);
	*text = st.out;
	if (line_of)
		*line_of = st.map;
	if (nlines)
		*nlines = st.nmap;
}

/* ---- CLAUDE.md: @imports ---- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

void Pa_md_runs_of(const char *s, size_t n, Pa_md_runs *r)
{
	size_t i = 0, k, most = 0, *last;

	r->n = 0;
	while (i < n) {
		size_t len = 0;

		if (s[i] != '`') {
			i++;
			continue;
		}
		while (i + len < n && s[i + len] == '`')
			len++;
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 16;
			r->at = Pa_xrealloc(r->at, r->cap * sizeof(*r->at));
			r->len = Pa_xrealloc(r->len, r->cap * sizeof(*r->len));
			r->next = Pa_xrealloc(r->next, r->cap * sizeof(*r->next));
		}
		r->at[r->n] = i;
		r->len[r->n++] = len;
		if (len > most)
			most = len;
		i += len;
	}
	/* From the right, the last run seen of each length. */
	last = Pa_xmalloc((most + 1) * sizeof(*last));
	for (k = 0; k <= most; k++)
		last[k] = SIZE_MAX;
	for (k = r->n; k-- > 0;) {
		r->next[k] = last[r->len[k]];
		last[r->len[k]] = k;
	}
	free(last);
}

void Pa_md_runs_release(Pa_md_runs *r)
{
	free(r->at);
	free(r->len);
	free(r->next);
}

/* What the inline reading marks on each byte of a line (fl[]). */
enum {
	IN_SKIP = 1,  /* inside a construct whose text is not read: a code
	                 span, a tag, a comment, an autolink, a link's target,
	                 an image, an escape */
	IN_START = 2, /* a run of text starts here */
	IN_STOP = 4   /* a run of text ends before this byte */
};

/* Reads the @path at s[i] ('@'); calls fn when it is one.  Returns the
 * offset past it.  As Claude Code 2.1 reads them: the path runs to white
 * space or a backslash (`\ ` is an escaped space), or to the end of its
 * run of text (fl, when not NULL: a closing emphasis mark, a link's `]`,
 * a tag); `#...` is an anchor and dropped; trailing punctuation stays
 * part of the path (so "@x.md." names "x.md.", which then fails the
 * extension rule); the path starts with ./, ~/, / or a letter, digit,
 * `.`, `_` or `-`. */
static size_t import_at(const char *s, size_t n, size_t i, size_t base,
                        const unsigned char *fl,
                        void (*fn)(void *ctx, const char *path, size_t at),
                        void *ctx)
{
	pa_buf path = PA_BUF_INIT;
	size_t j = i + 1;
	const char *hash;
	char c;

	while (j < n && !is_space(s[j])) {
		if (fl && (fl[j] & (IN_STOP | IN_SKIP)))
			break;
		if (s[j] == '\\') {
			if (j + 1 < n && s[j + 1] == ' ') {
				pa_buf_putc(&path, ' ');
				j += 2;
				continue;
			}
			break;
		}
		pa_buf_putc(&path, s[j++]);
	}
	hash = path.len ? memchr(path.ptr, '#', path.len) : NULL;
	if (hash)
		pa_buf_truncate(&path, (size_t)(hash - path.ptr));
	c = path.len ? path.ptr[0] : 0;
	/* A NUL byte cannot be in a path: fn would see only what precedes
	 * it ("@/\0x" imported "/"), and Node refuses such a path, so
	 * Claude Code loads nothing. */
	if (!(path.len && memchr(path.ptr, '\0', path.len)) &&
	    (!strncmp(path.ptr ? path.ptr : "", "./", 2) ||
	     !strncmp(path.ptr ? path.ptr : "", "~/", 2) ||
	     (c == '/' && path.len > 1) ||
	     (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	     (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
		fn(ctx, path.ptr, base + i);
	pa_buf_release(&path);
	return j;
}

static int is_punct(char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	       (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of the inline tag, comment or autolink at s[0] ('<'), or 0
 * (CommonMark's raw HTML and autolinks, attributes read loosely: a tag
 * ends at the first `>` outside quotes). */
static size_t inline_tag(const char *s, size_t n)
{
	size_t i = 1, k;
	char q = 0;

	if (n >= 4 && !memcmp(s, "<!--", 4)) {
		for (k = 4; k + 3 <= n; k++)
			if (!memcmp(s + k, "-->", 3))
				return k + 3;
		return 0;
	}
	if (i < n && s[i] == '/')
		i++;
	if (i >= n || !is_alpha(s[i]))
		return 0;
	k = i;
	while (k < n && (is_alpha(s[k]) || (s[k] >= '0' && s[k] <= '9') ||
	                 s[k] == '-' || s[k] == '+' || s[k] == '.'))
		k++;
	/* An autolink: a scheme of 2 to 32 characters, `:`, no blank. */
	if (s[1] != '/' && k < n && s[k] == ':' && k - i >= 2 && k - i <= 32) {
		for (k++; k < n && s[k] != '>' && s[k] != '<' && !is_space(s[k]); k++)
			;
		return k < n && s[k] == '>' ? k + 1 : 0;
	}
	if (k < n && s[k] == '@') { /* an email autolink */
		for (k++; k < n && s[k] != '>' && !is_space(s[k]); k++)
			;
		return k < n && s[k] == '>' ? k + 1 : 0;
	}
	if (k < n && !is_space(s[k]) && s[k] != '>' && s[k] != '/')
		return 0;
	for (; k < n; k++) {
		if (q) {
			if (s[k] == q)
				q = 0;
		} else if (s[k] == '"' || s[k] == '\'') {
			q = s[k];
		} else if (s[k] == '>') {
			return k + 1;
		} else if (s[k] == '<') {
			return 0;
		}
	}
	return 0;
}

/* The inline reading of one line that is not code (fl gets IN_* for each
 * byte): code spans, escapes, tags, comments, autolinks, links and images,
 * emphasis.  Brackets and parentheses are matched with stacks, emphasis
 * marks by counting closers to the right, so a line is read in linear
 * time. */
static void inline_marks(const char *s, size_t n, unsigned char *fl,
                         Pa_md_runs *runs, size_t *match)
{
	size_t i, k = 0, top;
	size_t *stack = match + n; /* n more entries */
	size_t closers[2] = { 0, 0 }, opens[2] = { 0, 0 };

	memset(fl, 0, n);
	/* match[i]: for `[`, its `]`; for `(`, its `)`; else SIZE_MAX. */
	for (i = 0; i < n; i++)
		match[i] = SIZE_MAX;
	top = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
		} else if (s[i] == '[' || s[i] == '(') {
			stack[top++] = i;
		} else if ((s[i] == ']' || s[i] == ')') && top) {
			size_t t = top;
			char want = s[i] == ']' ? '[' : '(';
			while (t > 0 && s[stack[t - 1]] != want)
				t--;
			if (t > 0) {
				match[stack[t - 1]] = i;
				top = t - 1;
			}
		}
	}
	/* The emphasis marks that can close, from the right. */
	for (i = 0; i < n; i++) {
		if (s[i] == '*' || s[i] == '_') {
			size_t b = i;
			char prev = i ? s[i - 1] : ' ', next;
			int left, right, ch = s[i] == '_';
			while (b < n && s[b] == s[i])
				b++;
			next = b < n ? s[b] : ' ';
			left = !is_space(next) && (!is_punct(next) || is_space(prev) || is_punct(prev));
			right = !is_space(prev) && (!is_punct(prev) || is_space(next) || is_punct(next));
			if (ch ? right && (!left || is_punct(next)) : right)
				closers[ch]++;
			i = b - 1;
		}
	}
	if (memchr(s, '`', n))
		Pa_md_runs_of(s, n, runs);
	else
		runs->n = 0;
	i = 0;
	while (i < n) {
		char c = s[i];
		size_t end = 0;

		if (fl[i] & IN_SKIP) {
			i++;
			continue;
		}
		if (c == '`') {
			while (k < runs->n && runs->at[k] + runs->len[k] <= i)
				k++;
			if (k == runs->n || runs->at[k] > i) {
				i++; /* not in a run of the line's: text */
				continue;
			}
			if (runs->at[k] < i) {
				/* a run that a construct before it ended inside
				 * (its tail): text.  The search ran past the last
				 * run and read what was not there. */
				i = runs->at[k] + runs->len[k];
				k++;
				continue;
			}
			if (runs->next[k] != SIZE_MAX) {
				size_t close = runs->next[k];
				end = runs->at[close] + runs->len[close];
				k = close + 1;
			} else {
				i += runs->len[k++];
				continue;
			}
		} else if (c == '\\' && i + 1 < n && is_punct(s[i + 1])) {
			end = i + 2;
		} else if (c == '<') {
			size_t m = inline_tag(s + i, n - i);
			end = m ? i + m : 0;
		} else if ((c == '[' || (c == '!' && i + 1 < n && s[i + 1] == '[')) &&
		           match[i + (c == '!')] != SIZE_MAX) {
			size_t close = match[i + (c == '!')];
			if (close + 1 < n && s[close + 1] == '(' &&
			    match[close + 1] != SIZE_MAX) {
				size_t after = match[close + 1] + 1;
				if (c == '!') {
					end = after;
				} else {
					/* The link's text is read; its target is not. */
					size_t j;
					fl[i] |= IN_STOP;
					if (i + 1 < n)
						fl[i + 1] |= IN_START;
					for (j = close; j < after; j++)
						fl[j] |= IN_SKIP;
					fl[close] |= IN_STOP;
					if (after < n)
						fl[after] |= IN_START;
					i++;
					continue;
				}
			}
		} else if (c == '*' || c == '_') {
			size_t b = i;
			char prev = i ? s[i - 1] : ' ', next;
			int left, right, ch = c == '_', op, cl;
			while (b < n && s[b] == c)
				b++;
			next = b < n ? s[b] : ' ';
			left = !is_space(next) && (!is_punct(next) || is_space(prev) || is_punct(prev));
			right = !is_space(prev) && (!is_punct(prev) || is_space(next) || is_punct(next));
			op = ch ? left && (!right || is_punct(prev)) : left;
			cl = ch ? right && (!left || is_punct(next)) : right;
			if (cl)
				closers[ch]--;
			if (cl && opens[ch]) {
				opens[ch]--;
				end = b;
			} else if (op && closers[ch]) {
				opens[ch]++;
				end = b;
			} else {
				i = b;
				continue;
			}
		}
		if (end) {
			size_t j;
			for (j = i; j < end; j++)
				fl[j] |= IN_SKIP;
			fl[i] |= IN_STOP;
			if (end < n)
				fl[end] |= IN_START;
			i = end;
		} else {
			i++;
		}
	}
}

/* Notes the length of an import's path, and 1, in *ctx (a size_t). */
static void path_length(void *ctx, const char *path, size_t at)
{
	(void)at;
	*(size_t *)ctx = strlen(path) + 1;
}

/* The imports of one line that is not code.  Read as Claude Code's
 * Markdown reader splits it: an `@` that starts a run of text or follows
 * white space in one, the path ending with the run.  A list item's text
 * is also read as written, code spans and tags included (Claude Code
 * reads both, fixture import-blocks). */
static void line_imports(const char *s, size_t n, size_t base, int in_item,
                         void (*fn)(void *ctx, const char *path, size_t at),
                         void *ctx, Pa_md_runs *runs, pa_buf *scratch)
{
	unsigned char *fl;
	size_t *match, i;

	if (!memchr(s, '@', n))
		return;
	if (in_item)
		for (i = 0; i < n; i++)
			if (s[i] == '@' && (i == 0 || is_space(s[i - 1])) &&
			    i + 1 < n && !is_space(s[i + 1]))
				i = import_at(s, n, i, base, NULL, fn, ctx) - 1;
	pa_buf_reset(scratch);
	pa_buf_grow(scratch, n * (1 + 2 * sizeof(size_t)) + 1);
	match = (size_t *)(void *)scratch->ptr;
	fl = (unsigned char *)(match + 2 * n);
	inline_marks(s, n, fl, runs, match);
	for (i = 0; i < n;) {
		int after_space = i == 0 || is_space(s[i - 1]);
		if (s[i] == '@' && !(fl[i] & IN_SKIP) &&
		    (after_space || (fl[i] & IN_START)) &&
		    i + 1 < n && !is_space(s[i + 1]) && !(fl[i + 1] & IN_STOP)) {
			if (in_item && after_space) {
				/* Read already, unless its run ends it sooner:
				 * a shorter path than the one read as written
				 * (both can stop at the same backslash, "- @l\<" in a list). */
				size_t written = 0, run = 0;

				import_at(s, n, i, base, NULL, path_length, &written);
				import_at(s, n, i, base, fl, path_length, &run);
				if (!run || (written && run >= written)) {
					i++;
					continue;
				}
			}
			i = import_at(s, n, i, base, fl, fn, ctx);
		} else {
			i++;
		}
	}
}

/* The HTML block a line starts (CommonMark's kinds 1 and 3 to 7; kind 2,
 * comments, is stripped before), or 0.  para: the line would continue a
 * paragraph (kind 7 cannot interrupt one). */
static int html_block_start(const char *s, size_t n, int para)
{
	static const char *const raw[] = { "script", "pre", "style", "textarea" };
	static const char *const names[] = {
		"address", "article", "aside", "base", "basefont", "blockquote",
		"body", "caption", "center", "col", "colgroup", "dd", "details",
		"dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
		"figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3",
		"h4", "h5", "h6", "head", "header", "hr", "html", "iframe",
		"legend", "li", "link", "main", "menu", "menuitem", "nav",
		"noframes", "ol", "optgroup", "option", "p", "param", "search",
		"section", "summary", "table", "tbody", "td", "tfoot", "th",
		"thead", "title", "tr", "track", "ul",
	};
	size_t i = 0, k, m, t;

	while (i < n && i < 3 && s[i] == ' ')
		i++;
	/* a '<' that ends the text starts nothing (and s[1] is not there) */
	if (i + 1 >= n || s[i] != '<')
		return 0;
	s += i;
	n -= i;
	if (n >= 9 && !memcmp(s, "<![CDATA[", 9))
		return 5;
	if (n >= 2 && s[1] == '?')
		return 3;
	if (n >= 3 && s[1] == '!' && is_alpha(s[2]))
		return 4;
	k = s[1] == '/' ? 2 : 1;
	for (m = k; m < n && (is_alpha(s[m]) || (s[m] >= '0' && s[m] <= '9')); m++)
		;
	for (t = 0; k == 1 && t < sizeof(raw) / sizeof(raw[0]); t++)
		if (m - k == strlen(raw[t]) && !strncasecmp(s + k, raw[t], m - k) &&
		    (m == n || is_space(s[m]) || s[m] == '>'))
			return 1;
	for (t = 0; t < sizeof(names) / sizeof(names[0]); t++)
		if (m > k && m - k == strlen(names[t]) &&
		    !strncasecmp(s + k, names[t], m - k) &&
		    (m == n || is_space(s[m]) || s[m] == '>' ||
		     (s[m] == '/' && m + 1 < n && s[m + 1] == '>')))
			return 6;
	if (!para && (m = inline_tag(s, n)) && s[1] != '!') {
		while (m < n && is_space(s[m]))
			m++;
		if (m == n)
			return 7;
	}
	return 0;
}

/* Whether a line holds the end of an HTML block of kind 1, 3, 4 or 5. */
static int html_block_ends(const char *s, size_t n, int kind)
{
	static const char *const ends[] = { "</script>", "</pre>", "</style>",
	                                    "</textarea>" };
	size_t i, t;

	for (i = 0; i < n; i++) {
		if (kind == 1) {
			for (t = 0; t < 4; t++)
				if (n - i >= strlen(ends[t]) &&
				    !strncasecmp(s + i, ends[t], strlen(ends[t])))
					return 1;
		} else if ((kind == 3 && s[i] == '?' && i + 1 < n && s[i + 1] == '>') ||
		           (kind == 4 && s[i] == '>') ||
		           (kind == 5 && n - i >= 3 && !memcmp(s + i, "]]>", 3))) {
			return 1;
		}
	}
	return 0;
}

/* A link reference definition's first line: `[label]: ...`. */
static int is_link_definition(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i >= n || s[i] != '[')
		return 0;
	for (i++; i < n && s[i] != ']'; i++)
		if (s[i] == '[')
			return 0;
	return i + 1 < n && s[i + 1] == ':' && i > 0 && s[i - 1] != '[';
}

void Pa_md_imports(const char *text, size_t len,
                   void (*fn)(void *ctx, const char *path, size_t at),
                   void *ctx)
{
	Pa_md_scanner sc;
	Pa_md_line ln;
	Pa_md_runs runs = { NULL, NULL, NULL, 0, 0 };
	pa_buf scratch = PA_BUF_INIT;
	int html = 0, para = 0;

	Pa_md_scan_init(&sc, text, len);
	while (Pa_md_scan_next(&sc, &ln)) {
		const char *s = text + ln.start + ln.lead;
		size_t n = ln.end - ln.start - ln.lead;
		int was_para = para;

		para = ln.kind == PA_MD_LINE_TEXT;
		if (html) {
			/* Claude Code reads no text in an HTML block. */
			if (html >= 6 ? ln.kind == PA_MD_LINE_BLANK
			              : html_block_ends(s, n, html))
				html = 0;
			para = 0;
			continue;
		}
		/* Claude Code skips code blocks, fenced and indented alike. */
		if (ln.kind == PA_MD_LINE_BLANK || Pa_md_line_is_code(&ln))
			continue;
		if (ln.kind == PA_MD_LINE_TEXT && ln.base == 0 &&
		    (html = html_block_start(s, n, was_para))) {
			if (html < 6 && html != 2 && html_block_ends(s, n, html))
				html = 0;
			para = 0;
			continue;
		}
		if (ln.kind == PA_MD_LINE_TEXT && !was_para && is_link_definition(s, n)) {
			para = 0;
			continue;
		}
		line_imports(text + ln.start, ln.end - ln.start, ln.start,
		             ln.base > 0 || ln.kind == PA_MD_LINE_LIST_ITEM, fn, ctx,
		             &runs, &scratch);
	}
	Pa_md_runs_release(&runs);
	pa_buf_release(&scratch);
}
