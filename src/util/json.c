/* json.c - writing JSON: strings that are valid whatever the input bytes,
 * and the one writer of every JSON output (util.h). */
#include "util.h"

#include <math.h>

void Pa_json_string(pa_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	pa_buf_grow(out, len + 2);
	pa_buf_putc(out, '"');
	while (i < len) {
		unsigned char c = p[i];
		int32_t cp;
		int n;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '[') {
			size_t j = i + 1;
			/* Copy runs of plain ASCII at once. */
			while (j < len && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' &&
			       p[j] != '\\' && p[j] != '[')
				j++;
			pa_buf_put(out, s + i, j - i);
			i = j;
			continue;
		}
		switch (c) {
		case '"': pa_buf_puts(out, "\\\""); i++; continue;
		case '\\': pa_buf_puts(out, "\\\\"); i++; continue;
		case '\n': pa_buf_puts(out, "\\n"); i++; continue;
		case '\r': pa_buf_puts(out, "\\r"); i++; continue;
		case '\t': pa_buf_puts(out, "\\t"); i++; continue;
		case '\b': pa_buf_puts(out, "\\b"); i++; continue;
		case '\f': pa_buf_puts(out, "\\f"); i++; continue;
		case '[':
			/* `##[` anywhere in a line is a workflow command to
			 * GitHub's runner (util.h): the same string to a reader. */
			if (i >= 2 && p[i - 1] == '#' && p[i - 2] == '#')
				pa_buf_puts(out, "\\u005b");
			else
				pa_buf_putc(out, '[');
			i++;
			continue;
		default: break;
		}
		if (c < 0x80) { /* other control characters and DEL */
			pa_buf_puts(out, "\\u00");
			pa_buf_putc(out, hex[c >> 4]);
			pa_buf_putc(out, hex[c & 15]);
			i++;
			continue;
		}
		n = Pa_utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			/* The run of bytes that start no valid character; the
			 * lossy writer gives one U+FFFD per maximal invalid
			 * subpart of it. */
			size_t j = i + 1;
			while (j < len && p[j] >= 0x80 &&
			       Pa_utf8_decode(p + j, len - j, &cp) == 0)
				j++;
			pa_utf8_lossy(s + i, j - i, out);
			i = j;
			continue;
		}
		if (Pa_quote_hidden(cp)) {
			/* C1 controls reach a terminal as escapes; the others
			 * hide or reorder text (U+2028 and U+2029 are also not
			 * valid JavaScript before ES2019): util.h. */
			if (cp > 0xFFFF) /* as a surrogate pair, as JSON writes it */
				pa_buf_printf(out, "\\u%04x\\u%04x",
				              0xD800u + (((unsigned)cp - 0x10000u) >> 10),
				              0xDC00u + (((unsigned)cp - 0x10000u) & 0x3FFu));
			else
				pa_buf_printf(out, "\\u%04x", (unsigned)cp);
		} else {
			pa_buf_put(out, s + i, (size_t)n);
		}
		i += (size_t)n;
	}
	pa_buf_putc(out, '"');
}


/* ---- The writer ---- */

static Pa_jw_level *top(Pa_jw *w)
{
	return &w->at[w->depth - 1];
}

/* 2 spaces for each container laid out in lines, open at this point. */
static void newline(Pa_jw *w, int extra)
{
	int i, n = extra + w->indent;

	for (i = 0; i < w->depth; i++)
		n += w->at[i].lines;
	pa_buf_putc(w->out, '\n');
	for (i = 0; i < n; i++)
		pa_buf_puts(w->out, "  ");
}

/* The containers on one line that hold the innermost one, up to the
 * nearest laid out in lines: a break goes two spaces further in for each. */
static int inline_above(const Pa_jw *w)
{
	int i, n = 0;

	for (i = w->depth - 2; i >= 0 && !w->at[i].lines; i--)
		n++;
	return n;
}

/* What comes before a value: the comma, the line break of its layout or
 * of Pa_jw_break(), and its key in an object. */
static void before(Pa_jw *w, const char *key, size_t key_len)
{
	Pa_jw_level *l;

	if (w->keyed) {        /* Pa_jw_key() wrote it */
		w->keyed = 0;
		return;
	}
	if (w->overflow) {     /* past PA_JW_MAX_DEPTH: on one line */
		size_t d = w->overflow - 1;

		if (d < sizeof(w->deep) && w->deep_n[d]++)
			pa_buf_puts(w->out, ", ");
		goto key;
	}
	if (w->depth == 0)
		return;
	l = top(w);
	if (l->n)
		pa_buf_putc(w->out, ',');
	if (l->lines)
		newline(w, 0);
	else if (l->brk)
		newline(w, 1 + inline_above(w));
	else if (l->n)
		pa_buf_putc(w->out, ' ');
	l->brk = 0;
	l->n++;
key:
	if (key) {
		Pa_json_string(w->out, key, key_len);
		pa_buf_puts(w->out, ": ");
	}
}

static void before_key(Pa_jw *w, const char *key)
{
	before(w, key, key ? strlen(key) : 0);
}

void Pa_jw_init(Pa_jw *w, pa_buf *out, int indent)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->indent = indent;
}

void Pa_jw_report(Pa_jw *w, pa_buf *out)
{
	Pa_jw_init(w, out, 0);
	Pa_jw_object(w, NULL, PA_JW_LINES);
	Pa_jw_uint(w, "version", PA_JSON_VERSION);
}

static void open_container(Pa_jw *w, const char *key, int lines, char c)
{
	Pa_jw_level *l;

	before_key(w, key);
	pa_buf_putc(w->out, c);
	if (w->depth == PA_JW_MAX_DEPTH) {
		/* Deeper than any output nests (a frontmatter's YAML stops at
		 * 64 levels): items of these go on one line. */
		if (w->overflow < sizeof(w->deep)) {
			w->deep[w->overflow] = c == '{' ? '}' : ']';
			w->deep_n[w->overflow] = 0;
		}
		w->overflow++;
		return;
	}
	l = &w->at[w->depth++];
	l->lines = lines == PA_JW_LINES;
	l->brk = 0;
	l->n = 0;
	l->close = c == '{' ? '}' : ']';
}

void Pa_jw_object(Pa_jw *w, const char *key, Pa_jw_layout layout)
{
	open_container(w, key, layout, '{');
}

void Pa_jw_array(Pa_jw *w, const char *key, Pa_jw_layout layout)
{
	open_container(w, key, layout, '[');
}

void Pa_jw_end(Pa_jw *w)
{
	Pa_jw_level *l;

	if (w->overflow) {
		w->overflow--;
		pa_buf_putc(w->out, w->overflow < sizeof(w->deep) ? w->deep[w->overflow] : '}');
		return;
	}
	if (w->depth == 0)
		return;
	l = top(w);
	w->depth--;
	if (l->lines && l->n)
		newline(w, 0);
	pa_buf_putc(w->out, l->close);
}

void Pa_jw_finish(Pa_jw *w)
{
	while (w->depth || w->overflow)
		Pa_jw_end(w);
	pa_buf_putc(w->out, '\n');
}

void Pa_jw_break(Pa_jw *w)
{
	if (w->depth)
		top(w)->brk = 1;
}

void Pa_jw_key(Pa_jw *w, const char *key, size_t len)
{
	before(w, key, len);
	w->keyed = 1;
}

void Pa_jw_strn(Pa_jw *w, const char *key, const char *s, size_t len)
{
	before_key(w, key);
	Pa_json_string(w->out, s, len);
}

void Pa_jw_str(Pa_jw *w, const char *key, const char *s)
{
	before_key(w, key);
	if (s)
		Pa_json_string(w->out, s, strlen(s));
	else
		pa_buf_puts(w->out, "null");
}

void Pa_jw_uint(Pa_jw *w, const char *key, size_t v)
{
	before_key(w, key);
	pa_buf_printf(w->out, "%zu", v);
}

void Pa_jw_int(Pa_jw *w, const char *key, long long v)
{
	before_key(w, key);
	pa_buf_printf(w->out, "%lld", v);
}

void Pa_jw_real(Pa_jw *w, const char *key, int digits, int fixed, double v)
{
	before_key(w, key);
	if (isfinite(v))
		pa_buf_printf(w->out, fixed ? "%.*f" : "%.*g", digits, v);
	else
		pa_buf_puts(w->out, "null"); /* JSON has no NaN or infinity */
}

void Pa_jw_bool(Pa_jw *w, const char *key, int v)
{
	before_key(w, key);
	pa_buf_puts(w->out, v ? "true" : "false");
}

void Pa_jw_null(Pa_jw *w, const char *key)
{
	before_key(w, key);
	pa_buf_puts(w->out, "null");
}

void Pa_jw_raw(Pa_jw *w, const char *key, const char *json, size_t len)
{
	before_key(w, key);
	pa_buf_put(w->out, json, len);
}
