/* html_tokens.c - a section's text in an HTML report, every token a box
 * (see html_tokens.h). */
#include "html_tokens.h"
#include "util.h"
#include "html_page.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* A chunk ends after the line feed that completes CHUNK_LINES lines on
 * the screen, a line of text taking one for every WRAP_CHARS characters
 * (a page about 1,280 pixels wide), and after CHUNK_MAX_TOKENS tokens in
 * any case (a text with no line feeds).  So chunks are about as high as
 * report.css estimates them before they are laid out (contain-intrinsic-
 * size), and the scroll bar hardly moves as they are. */
#define CHUNK_LINES 50
#define WRAP_CHARS 150
#define CHUNK_MAX_TOKENS 4000

/* Where the tokens' bytes differ from the text's (a normalizing
 * tokenizer), the next place they agree again for SYNC_RUN bytes is
 * looked for within SYNC_WINDOW bytes on either side. */
#define SYNC_WINDOW 256
#define SYNC_RUN 8

static int is_cont(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* ---- from the text's bytes to the tokens' bytes ---- */

/* Bytes [o, o + len) of the text are bytes [s, s + len) of the tokens. */
typedef struct run {
	size_t o, s, len;
} run;

typedef struct align {
	run *v;
	size_t n;
	size_t olen, slen;
	int lost;           /* no agreement found again after lost_o */
	size_t lost_o, lost_s;
} align;

static void add_run(align *a, size_t o, size_t s, size_t len)
{
	if (!len)
		return;
	a->v = Pa_xgrow(a->v, a->n, sizeof(*a->v));
	a->v[a->n].o = o;
	a->v[a->n].s = s;
	a->v[a->n].len = len;
	a->n++;
}

/* The text at i and the tokens at j agree from there: both at the start
 * of a character, and SYNC_RUN equal bytes follow, or both ends. */
static int agree_at(const char *o, size_t olen, size_t i, const char *s,
                    size_t slen, size_t j)
{
	size_t k;

	if ((i < olen && is_cont(o[i])) || (j < slen && is_cont(s[j])))
		return 0;
	for (k = 0; k < SYNC_RUN && i + k < olen && j + k < slen; k++)
		if (o[i + k] != s[j + k])
			return 0;
	return k == SYNC_RUN || (i + k == olen && j + k == slen);
}

/* Pairs the runs where the text and the tokens agree.  Normalization
 * changes a character here and there, so after each difference the
 * nearest place they agree again is found (nearest by the bytes skipped
 * on both sides together). */
static void align_build(align *a, const char *o, size_t olen, const char *s,
                        size_t slen)
{
	size_t i = 0, j = 0;

	memset(a, 0, sizeof(*a));
	a->olen = olen;
	a->slen = slen;
	for (;;) {
		size_t i0 = i, j0 = j, t, di;
		int found = 0;

		while (i < olen && j < slen && o[i] == s[j]) {
			i++;
			j++;
		}
		/* A difference inside a character starts at the character. */
		while (i > i0 && i < olen && is_cont(o[i])) {
			i--;
			j--;
		}
		add_run(a, i0, j0, i - i0);
		if (i == olen && j == slen)
			return;
		for (t = 1; t <= 2 * SYNC_WINDOW && !found; t++) {
			for (di = t > SYNC_WINDOW ? t - SYNC_WINDOW : 0;
			     di <= t && di <= SYNC_WINDOW; di++) {
				if (i + di > olen || j + (t - di) > slen)
					continue;
				if (agree_at(o, olen, i + di, s, slen, j + (t - di))) {
					i += di;
					j += t - di;
					found = 1;
					break;
				}
			}
		}
		if (!found) {
			a->lost = 1;
			a->lost_o = i;
			a->lost_s = j;
			return;
		}
	}
}

/* The byte of the tokens where byte o of the text is: in a run, the same
 * byte; between runs, where the tokens' differing bytes start; past the
 * last agreement, in proportion. */
static size_t align_map(const align *a, size_t o)
{
	size_t lo = 0, hi = a->n;
	const run *r;

	if (o >= a->olen)
		return a->slen;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->v[mid].o <= o)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	r = &a->v[lo - 1];
	if (o < r->o + r->len)
		return r->s + (o - r->o);
	if (a->lost && o >= a->lost_o && a->olen > a->lost_o)
		return a->lost_s + (size_t)((double)(o - a->lost_o) *
		                            (double)(a->slen - a->lost_s) /
		                            (double)(a->olen - a->lost_o));
	return r->s + r->len;
}

/* ---- showing bytes ---- */

/* Appends the bytes of tokens as `tokenize --pieces` shows them (space as
 * U+2423, \n \r \t \\ escaped, other control bytes and bytes that are not
 * whole characters as \xNN), and hidden controls as \uXXXX, escaped for
 * HTML; a line feed also ends the line.  Which characters are hidden is
 * the quoting rule's decision (util.h).  No line of the page starts with
 * the text itself (a line feed followed by more text gets an empty <wbr>
 * first) and `##[` is written with a reference, so even a page printed to
 * a CI log holds no workflow command. */
static void put_visible(pa_buf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = 1;

		switch (c) {
		case ' ': pa_buf_puts(out, "\xe2\x90\xa3"); break;
		case '\n': pa_buf_puts(out, i + 1 < len ? "\\n\n<wbr>" : "\\n\n"); break;
		case '\r': pa_buf_puts(out, "\\r"); break;
		case '\t': pa_buf_puts(out, "\\t"); break;
		case '\\': pa_buf_puts(out, "\\\\"); break;
		case '&': pa_buf_puts(out, "&amp;"); break;
		case '<': pa_buf_puts(out, "&lt;"); break;
		case '>': pa_buf_puts(out, "&gt;"); break;
		case '"': pa_buf_puts(out, "&quot;"); break;
		case '\'': pa_buf_puts(out, "&#39;"); break;
		case '[':
			pa_buf_puts(out, i >= 2 && s[i - 1] == '#' && s[i - 2] == '#'
			            ? "&#91;" : "[");
			break;
		default:
			if (c < 0x20 || c == 0x7F) {
				pa_buf_printf(out, "\\x%02X", c);
			} else if (c < 0x80) {
				pa_buf_putc(out, (char)c);
			} else {
				unsigned cp;
				size_t bad;

				n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
				if (i + n > len || !pa_utf8_valid(s + i, n, &bad)) {
					n = 1;
					pa_buf_printf(out, "\\x%02X", c);
					break;
				}
				cp = n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
				for (bad = 1; bad < n; bad++)
					cp = cp << 6 | ((unsigned char)s[i + bad] & 0x3Fu);
				if (cp == 0x2423 || Pa_quote_hidden((int32_t)cp))
					pa_buf_printf(out, "\\u%04X", cp);
				else
					pa_buf_put(out, s + i, n);
			}
		}
		i += n;
	}
}

/* ---- the parts of the text ---- */

/* Text the trimmer wrote that was not in the section (its marker, fence
 * lines), or what a load rule left out, at a byte of the tokens. */
typedef struct insert {
	size_t pos;
	const char *text;
	size_t len;
	int load_cut;
	int done;
} insert;

/* A heavy block: bytes [start, end) of the tokens. */
typedef struct heavy_mark {
	size_t start, end;
	size_t rank;      /* 1: the heaviest */
	size_t tokens;
} heavy_mark;

typedef struct view {
	pa_buf *out;
	const char *s;          /* the tokens' bytes */
	size_t slen;
	const html_section *sec;
	int trimmed;            /* kept is [k0, k1) of the tokens' bytes */
	size_t k0, k1;
	insert ins[3];
	size_t nins;
	heavy_mark *marks;      /* by start, the enclosing first */
	size_t nmarks;
	size_t next;            /* the first mark not opened yet */
	size_t *open;           /* indexes of open marks, innermost last */
	size_t nopen;
	size_t chunk_lines, chunk_tokens;
	size_t column;          /* characters shown on the line so far */
} view;

static void put_insert(view *v, const insert *in)
{
	const char *t = in->text;
	size_t n = in->len;

	if (in->load_cut) {
		/* The cut is at a line's end: the block starts the next line. */
		if (n && t[0] == '\n') {
			t++;
			n--;
		}
		pa_buf_puts(v->out, "<del class=\"lc\" title=\"left out by the load "
		            "rules: not loaded, not counted\">");
		html_text_lines(v->out, t, n);
		pa_buf_puts(v->out, "</del>");
		return;
	}
	/* A block of its own: the line feeds around it are the joins. */
	while (n && t[0] == '\n') {
		t++;
		n--;
	}
	while (n && t[n - 1] == '\n')
		n--;
	pa_buf_puts(v->out, "<ins title=\"written by the trimmer\">");
	html_text_lines(v->out, t, n);
	pa_buf_puts(v->out, "</ins>");
}

static void put_inserts(view *v, size_t upto)
{
	size_t i;

	for (i = 0; i < v->nins; i++) {
		if (!v->ins[i].done && v->ins[i].pos <= upto) {
			put_insert(v, &v->ins[i]);
			v->ins[i].done = 1;
		}
	}
}

static void open_mark(view *v, heavy_mark *m, int first)
{
	pa_buf_puts(v->out, "<mark>");
	if (first) {
		pa_buf_printf(v->out, "<a class=\"hb\" id=\"%s-h%zu\" href=\"#%s-heavy\" "
		              "title=\"heavy block %zu: ", v->sec->id, m->rank,
		              v->sec->id, m->rank);
		html_count(v->out, m->tokens);
		pa_buf_printf(v->out, " tokens\">#%zu</a>", m->rank);
	}
}

/* Before the token at byte a (last: after the last token): marks that
 * end close, marks that start open (one that is empty once snapped to
 * tokens still gets its label).  Heavy blocks nest (a heading's holds the
 * blocks under it), so the innermost open mark ends first. */
static void marks_at(view *v, size_t a, int last)
{
	while (v->nopen && (last || v->marks[v->open[v->nopen - 1]].end <= a)) {
		v->nopen--;
		pa_buf_puts(v->out, "</mark>");
	}
	for (; v->next < v->nmarks && (last || v->marks[v->next].start <= a); v->next++) {
		heavy_mark *m = &v->marks[v->next];

		open_mark(v, m, 1);
		if (m->end <= a || last)
			pa_buf_puts(v->out, "</mark>");
		else
			v->open[v->nopen++] = v->next;
	}
}

/* Ends a chunk and starts the next, the open marks going on in it. */
static void chunk_break(view *v)
{
	size_t i;

	for (i = 0; i < v->nopen; i++)
		pa_buf_puts(v->out, "</mark>");
	pa_buf_puts(v->out, "</div><div>");
	for (i = 0; i < v->nopen; i++)
		open_mark(v, &v->marks[v->open[i]], 0);
	v->chunk_lines = 0;
	v->chunk_tokens = 0;
}

/* One token, bytes [a, b) of the tokens: the characters that start in it
 * (a character split across tokens is shown in the one it starts in),
 * struck out where the trimmer removed it. */
static void put_token(view *v, size_t k, size_t a, size_t b)
{
	const char *tag = k % 2 ? "b" : "i";
	const char *s = v->s;
	size_t x = a, y = b, p, q;

	while (x < b && is_cont(s[x]))
		x++;
	if (x == b)
		y = b;
	else
		while (y < v->slen && is_cont(s[y]))
			y++;
	if (!v->trimmed || (a >= v->k0 && b <= v->k1) || x == y) {
		pa_buf_printf(v->out, "<%s>", tag);
	} else if (b <= v->k0 || a >= v->k1) {
		pa_buf_printf(v->out, "<%s class=\"d\">", tag);
		put_visible(v->out, s + x, y - x);
		pa_buf_printf(v->out, "</%s>", tag);
		return;
	} else {
		/* Part kept, part removed: split at characters. */
		p = v->k0 > x ? v->k0 : x;
		q = v->k1 < y ? v->k1 : y;
		while (p < y && is_cont(s[p]))
			p++;
		while (q < y && is_cont(s[q]))
			q++;
		pa_buf_printf(v->out, "<%s>", tag);
		if (p > x) {
			pa_buf_puts(v->out, "<del>");
			put_visible(v->out, s + x, p - x);
			pa_buf_puts(v->out, "</del>");
		}
		put_visible(v->out, s + p, q > p ? q - p : 0);
		if (y > q && q >= p) {
			pa_buf_puts(v->out, "<del>");
			put_visible(v->out, s + q, y - q);
			pa_buf_puts(v->out, "</del>");
		}
		pa_buf_printf(v->out, "</%s>", tag);
		return;
	}
	put_visible(v->out, s + x, y - x);
	pa_buf_printf(v->out, "</%s>", tag);
}

static int cmp_marks(const void *pa, const void *pb)
{
	const heavy_mark *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	return a->rank < b->rank ? -1 : a->rank > b->rank;
}

/* Where the trimmer's text goes: the kept bytes stand in the trimmed
 * text at kept_at as they were, with what it wrote before them (keep
 * tail: the marker) and after them (keep head: the marker; a fence closed
 * again). */
static void trim_inserts(view *v, const align *al)
{
	const html_section *sec = v->sec;
	const pa_trim_section *t = sec->trim;
	size_t n = t->kept_end - t->kept_start, p = t->kept_at;

	v->trimmed = 1;
	v->k0 = align_map(al, t->kept_start);
	v->k1 = align_map(al, t->kept_end);
	if (p > sec->final_len || n > sec->final_len - p)
		return; /* not the text the report is of */
	if (p > 0) {
		v->ins[v->nins].pos = v->k0;
		v->ins[v->nins].text = sec->final;
		v->ins[v->nins++].len = p;
	}
	if (p + n < sec->final_len) {
		v->ins[v->nins].pos = v->k1;
		v->ins[v->nins].text = sec->final + p + n;
		v->ins[v->nins++].len = sec->final_len - p - n;
	}
}

/* Counts the lines on the screen that the bytes [a, b) complete. */
static void count_lines(view *v, size_t a, size_t b)
{
	size_t i;

	for (i = a; i < b; i++) {
		if (v->s[i] == '\n') {
			/* "\n" is shown too. */
			v->chunk_lines += 1 + (v->column + 1) / WRAP_CHARS;
			v->column = 0;
		} else if (!is_cont(v->s[i])) {
			v->column++;
		}
	}
}

pa_status html_tokens(pa_buf *out, const pa_tokenizer *tok,
                      const html_section *sec, size_t *tokens, pa_error *err)
{
	uint32_t *ids = NULL;
	size_t n = 0, k, *starts, i;
	pa_buf bytes = PA_BUF_INIT;
	align al;
	view v;
	pa_status st;

	st = pa_tokenizer_encode(tok, sec->text, sec->len, &ids, &n, err);
	if (st != PA_OK)
		return st;
	starts = Pa_xcalloc(n + 1, sizeof(*starts));
	for (k = 0; k < n; k++) {
		size_t tl = 0;
		const char *tb = pa_tokenizer_token(tok, ids[k], &tl);

		starts[k] = bytes.len;
		if (tb)
			pa_buf_put(&bytes, tb, tl);
	}
	starts[n] = bytes.len;
	align_build(&al, sec->text, sec->len, bytes.ptr, bytes.len);

	memset(&v, 0, sizeof(v));
	v.out = out;
	v.s = bytes.ptr;
	v.slen = bytes.len;
	v.sec = sec;
	if (sec->trim && sec->trim->action != PA_TRIM_KEPT &&
	    sec->trim->kept_start <= sec->trim->kept_end &&
	    sec->trim->kept_end <= sec->len)
		trim_inserts(&v, &al);
	if (sec->cut) {
		v.ins[v.nins].pos = align_map(&al, sec->cut_at);
		v.ins[v.nins].text = sec->cut;
		v.ins[v.nins].len = sec->cut_len;
		v.ins[v.nins++].load_cut = 1;
	}
	v.marks = Pa_xcalloc(sec->nheavy + 1, sizeof(*v.marks));
	v.open = Pa_xcalloc(sec->nheavy + 1, sizeof(*v.open));
	for (i = 0; i < sec->nheavy; i++) {
		const pa_heavy_block *h = &sec->heavy[i];
		heavy_mark *m = &v.marks[v.nmarks];

		if (h->section != sec->index || h->start > h->end || h->end > sec->len)
			continue;
		m->start = align_map(&al, h->start);
		m->end = align_map(&al, h->end);
		m->rank = i + 1;
		m->tokens = h->tokens;
		v.nmarks++;
	}
	qsort(v.marks, v.nmarks, sizeof(*v.marks), cmp_marks);

	pa_buf_puts(out, "<div class=\"tx\"><div>");
	for (k = 0; k < n; k++) {
		size_t a = starts[k], b = starts[k + 1];

		put_inserts(&v, a);
		marks_at(&v, a, 0);
		put_token(&v, k, a, b);
		v.chunk_tokens++;
		count_lines(&v, a, b);
		if (k + 1 < n && ((b > a && v.s[b - 1] == '\n' &&
		                   v.chunk_lines >= CHUNK_LINES) ||
		                  v.chunk_tokens >= CHUNK_MAX_TOKENS))
			chunk_break(&v);
	}
	put_inserts(&v, (size_t)-1);
	marks_at(&v, bytes.len, 1);
	pa_buf_puts(out, "</div></div>");
	*tokens = n;

	free(v.marks);
	free(v.open);
	free(al.v);
	free(starts);
	pa_buf_release(&bytes);
	pa_free(ids);
	return PA_OK;
}
