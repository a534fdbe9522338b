/*
 * harness_toml.c - a small TOML reader for Codex's config.toml.  The
 * whole document is checked as TOML 1.0 is (Codex refuses a file that
 * does not parse, so we do too): comments, bare, quoted and dotted keys,
 * [tables] and [[arrays of tables]], basic and literal strings (one line
 * or multi-line), integers, booleans, floats and dates (as written),
 * arrays and inline tables.  Only the keys of the top-level table reach
 * the caller.  Hostile input: nesting is limited (HX_TOML_MAX_DEPTH), a
 * key is defined once, every error names the line and column.
 */
#include "discover.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define HX_TOML_MAX_DEPTH 64

typedef struct tp {
	const char *s, *end;
	const char *line_start;
	long line;
	const char *file;
	pa_error *err;
	int failed;
} tp;

static long col(const tp *p, const char *at)
{
	return (long)(at - p->line_start) + 1;
}

static int fail(tp *p, const char *at, const char *what)
{
	if (!p->failed)
		Pa_error_set(p->err, PA_ERR_PARSE, p->file, p->line, col(p, at),
		             "%s", what);
	p->failed = 1;
	return 0;
}

static void skip_ws(tp *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t'))
		p->s++;
}

static int skip_comment(tp *p)
{
	if (p->s < p->end && *p->s == '#') {
		while (p->s < p->end && *p->s != '\n') {
			unsigned char c = (unsigned char)*p->s;

			if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
				return fail(p, p->s, "a control character in a comment");
			p->s++;
		}
	}
	return 1;
}

/* At a line end (or the end): consumes it. */
static int end_line(tp *p)
{
	skip_ws(p);
	if (!skip_comment(p))
		return 0;
	if (p->s < p->end && *p->s == '\r')
		p->s++;
	if (p->s >= p->end)
		return 1;
	if (*p->s != '\n')
		return fail(p, p->s, "expected the end of the line");
	p->s++;
	p->line++;
	p->line_start = p->s;
	return 1;
}

/* Blank lines, comments and newlines inside an array. */
static int skip_array_space(tp *p)
{
	for (;;) {
		skip_ws(p);
		if (!skip_comment(p))
			return 0;
		if (p->s < p->end && *p->s == '\r' && p->s + 1 < p->end && p->s[1] == '\n')
			p->s++;
		if (p->s < p->end && *p->s == '\n') {
			p->s++;
			p->line++;
			p->line_start = p->s;
			continue;
		}
		return 1;
	}
}

static void put_utf8(pa_buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		pa_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		pa_buf_putc(b, (char)(0xc0 | (cp >> 6)));
		pa_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		pa_buf_putc(b, (char)(0xe0 | (cp >> 12)));
		pa_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		pa_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		pa_buf_putc(b, (char)(0xf0 | (cp >> 18)));
		pa_buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		pa_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		pa_buf_putc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* A string at p->s (its quote), decoded into out. */
static int string(tp *p, pa_buf *out)
{
	char q = *p->s;
	int multi = p->end - p->s >= 3 && p->s[1] == q && p->s[2] == q;
	const char *start = p->s;

	p->s += multi ? 3 : 1;
	if (multi) { /* a newline right after the opening quotes is dropped */
		if (p->s < p->end && *p->s == '\r' && p->s + 1 < p->end && p->s[1] == '\n')
			p->s++;
		if (p->s < p->end && *p->s == '\n') {
			p->s++;
			p->line++;
			p->line_start = p->s;
		}
	}
	for (;;) {
		unsigned char c;

		if (p->s >= p->end)
			return fail(p, start, "a string that does not end");
		c = (unsigned char)*p->s;
		if (c == (unsigned char)q) {
			if (!multi) {
				p->s++;
				return 1;
			}
			if (p->end - p->s >= 3 && p->s[1] == q && p->s[2] == q) {
				/* up to two quotes may end the content */
				size_t extra = 0;

				while (extra < 2 && p->end - p->s >= 4 + (long)extra &&
				       p->s[3 + extra] == q)
					extra++;
				pa_buf_put(out, p->s, extra);
				p->s += 3 + extra;
				return 1;
			}
			pa_buf_putc(out, (char)c);
			p->s++;
			continue;
		}
		if (c == '\n') {
			if (!multi)
				return fail(p, p->s, "a newline in a one-line string");
			pa_buf_putc(out, '\n');
			p->s++;
			p->line++;
			p->line_start = p->s;
			continue;
		}
		if ((c < 0x20 && c != '\t' && !(c == '\r' && multi)) || c == 0x7f)
			return fail(p, p->s, "a control character in a string");
		if (c == '\\' && q == '"') {
			char e;
			unsigned long cp = 0;
			int digits = 0, k;

			if (++p->s >= p->end)
				return fail(p, start, "a string that does not end");
			e = *p->s;
			switch (e) {
			case 'b': pa_buf_putc(out, '\b'); break;
			case 't': pa_buf_putc(out, '\t'); break;
			case 'n': pa_buf_putc(out, '\n'); break;
			case 'f': pa_buf_putc(out, '\f'); break;
			case 'r': pa_buf_putc(out, '\r'); break;
			case '"': pa_buf_putc(out, '"'); break;
			case '\\': pa_buf_putc(out, '\\'); break;
			case 'u': digits = 4; break;
			case 'U': digits = 8; break;
			default:
				if (multi && (e == ' ' || e == '\t' || e == '\n' || e == '\r')) {
					/* a line-ending backslash: white space dropped */
					const char *t = p->s;

					while (t < p->end && (*t == ' ' || *t == '\t'))
						t++;
					if (t < p->end && *t == '\r')
						t++;
					if (t >= p->end || *t != '\n')
						return fail(p, p->s - 1, "an unknown escape");
					while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' ||
					       *p->s == '\r' || *p->s == '\n')) {
						if (*p->s == '\n') {
							p->line++;
							p->line_start = p->s + 1;
						}
						p->s++;
					}
					continue;
				}
				return fail(p, p->s - 1, "an unknown escape");
			}
			p->s++;
			for (k = 0; k < digits; k++, p->s++) {
				char h = p->s < p->end ? *p->s : 0;
				int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f'
				        ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;

				if (v < 0)
					return fail(p, p->s, "a bad \\u escape");
				cp = cp * 16 + (unsigned long)v;
			}
			if (digits && (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)))
				return fail(p, p->s - digits, "an escape that is no Unicode scalar value");
			if (digits)
				put_utf8(out, cp);
			continue;
		}
		pa_buf_putc(out, (char)c);
		p->s++;
	}
}

static int is_bare(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* A key (bare, quoted, dotted) into out, its parts joined by '\0'. */
static int key(tp *p, pa_buf *out, size_t *parts)
{
	*parts = 0;
	for (;;) {
		skip_ws(p);
		if (*parts)
			pa_buf_putc(out, '\0');
		if (p->s < p->end && (*p->s == '"' || *p->s == '\'')) {
			if (p->end - p->s >= 3 && p->s[1] == *p->s && p->s[2] == *p->s)
				return fail(p, p->s, "a multi-line string as a key");
			if (!string(p, out))
				return 0;
		} else {
			const char *b = p->s;

			while (p->s < p->end && is_bare(*p->s))
				p->s++;
			if (p->s == b)
				return fail(p, p->s, "expected a key");
			pa_buf_put(out, b, (size_t)(p->s - b));
		}
		(*parts)++;
		skip_ws(p);
		if (p->s < p->end && *p->s == '.') {
			p->s++;
			continue;
		}
		return 1;
	}
}

static void value_free(hx_toml_value *v)
{
	pa_free(v->str);
	if (v->strs) {
		size_t i;

		for (i = 0; i < v->n; i++)
			pa_free(v->strs[i]);
		pa_free(v->strs);
	}
	memset(v, 0, sizeof(*v));
}

static int value(tp *p, hx_toml_value *v, int depth);

static int array(tp *p, hx_toml_value *v, int depth)
{
	int all_strings = 1;

	v->type = HX_TOML_ARRAY;
	p->s++;
	for (;;) {
		hx_toml_value item;

		if (!skip_array_space(p))
			return 0;
		if (p->s < p->end && *p->s == ']') {
			p->s++;
			break;
		}
		memset(&item, 0, sizeof(item));
		if (!value(p, &item, depth + 1)) {
			value_free(&item);
			return 0;
		}
		if (item.type == HX_TOML_STRING && all_strings) {
			v->strs = Pa_xgrow(v->strs, v->n, sizeof(char *));
			v->strs[v->n++] = item.str;
			item.str = NULL;
		} else {
			all_strings = 0;
		}
		value_free(&item);
		if (!skip_array_space(p))
			return 0;
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == ']') {
			p->s++;
			break;
		}
		return fail(p, p->s, "expected , or ] in an array");
	}
	if (!all_strings) {
		size_t i;

		for (i = 0; i < v->n; i++)
			pa_free(v->strs[i]);
		pa_free(v->strs);
		v->strs = NULL;
		v->n = 0;
	}
	return 1;
}

static int inline_table(tp *p, int depth)
{
	pa_strset seen = PA_STRSET_INIT;
	int ok = 0;

	p->s++;
	skip_ws(p);
	if (p->s < p->end && *p->s == '}') {
		p->s++;
		return 1;
	}
	for (;;) {
		pa_buf k = PA_BUF_INIT;
		size_t parts;
		hx_toml_value item;
		const char *at = p->s;

		memset(&item, 0, sizeof(item));
		if (!key(p, &k, &parts)) {
			pa_buf_release(&k);
			break;
		}
		if (!Pa_strset_add(&seen, k.ptr, k.len)) {
			pa_buf_release(&k);
			fail(p, at, "a key defined twice");
			break;
		}
		pa_buf_release(&k);
		if (p->s >= p->end || *p->s != '=') {
			fail(p, p->s, "expected = after a key");
			break;
		}
		p->s++;
		skip_ws(p);
		if (!value(p, &item, depth + 1)) {
			value_free(&item);
			break;
		}
		value_free(&item);
		skip_ws(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == '}') {
			p->s++;
			ok = 1;
			break;
		}
		fail(p, p->s, "expected , or } in an inline table");
		break;
	}
	Pa_strset_release(&seen);
	return ok;
}

/* A bare scalar: an integer, a boolean, a float, a date (as written). */
static int scalar(tp *p, hx_toml_value *v)
{
	const char *b = p->s;
	size_t n, i;
	int digits = 0, ok = 1;

	while (p->s < p->end && (is_bare(*p->s) || *p->s == '+' || *p->s == '.' ||
	       *p->s == ':' || (*p->s == ' ' && p->s + 1 < p->end &&
	       p->s[1] >= '0' && p->s[1] <= '9' && p->s - b == 10)))
		p->s++;
	n = (size_t)(p->s - b);
	v->line = p->line;
	v->column = col(p, b);
	if ((n == 4 && !memcmp(b, "true", 4)) || (n == 5 && !memcmp(b, "false", 5))) {
		v->type = HX_TOML_BOOL;
		v->num = n == 4;
		return 1;
	}
	if (n == 0)
		return fail(p, b, "expected a value");
	/* a decimal integer: [+-]digits with single underscores between */
	for (i = (b[0] == '+' || b[0] == '-') ? 1 : 0; i < n; i++) {
		if (b[i] >= '0' && b[i] <= '9') {
			digits++;
		} else if (b[i] == '_' && i > 0 && i + 1 < n && b[i - 1] >= '0' &&
		           b[i - 1] <= '9' && b[i + 1] >= '0' && b[i + 1] <= '9') {
			continue;
		} else {
			ok = 0;
			break;
		}
	}
	if (ok && digits) {
		long long x = 0;
		int neg = b[0] == '-';

		if (digits > 1 && b[(b[0] == '+' || b[0] == '-') ? 1 : 0] == '0')
			return fail(p, b, "an integer with a leading zero");
		for (i = 0; i < n; i++) {
			if (b[i] < '0' || b[i] > '9')
				continue;
			if (x > (0x7fffffffffffffffLL - (b[i] - '0')) / 10)
				return fail(p, b, "an integer out of range");
			x = x * 10 + (b[i] - '0');
		}
		v->type = HX_TOML_INT;
		v->num = neg ? -x : x;
		return 1;
	}
	/* floats, inf, nan, hex/octal/binary integers, dates and times: taken
	 * as written when made of their characters only */
	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEFxoinTZ+-_.: ", b[i]))
			return fail(p, b, "not a TOML value");
	v->type = HX_TOML_OTHER;
	return 1;
}

static int value(tp *p, hx_toml_value *v, int depth)
{
	if (depth > HX_TOML_MAX_DEPTH)
		return fail(p, p->s, "arrays or tables nested too deep");
	v->line = p->line;
	v->column = col(p, p->s);
	if (p->s >= p->end)
		return fail(p, p->s, "expected a value");
	if (*p->s == '"' || *p->s == '\'') {
		pa_buf b = PA_BUF_INIT;

		if (!string(p, &b)) {
			pa_buf_release(&b);
			return 0;
		}
		v->type = HX_TOML_STRING;
		v->str = pa_buf_detach(&b, NULL);
		return 1;
	}
	if (*p->s == '[')
		return array(p, v, depth);
	if (*p->s == '{') {
		v->type = HX_TOML_OTHER;
		return inline_table(p, depth);
	}
	return scalar(p, v);
}

pa_status Pa_hx_toml_parse(const char *text, size_t len, const char *file,
                        hx_toml_cb cb, void *ctx, pa_error *err)
{
	tp p;
	pa_strset keys = PA_STRSET_INIT;   /* table \1 key, every table */
	pa_buf table = PA_BUF_INIT;        /* the current table's name */
	int top = 1;

	memset(&p, 0, sizeof(p));
	p.s = text;
	p.end = text + len;
	p.line_start = text;
	p.line = 1;
	p.file = file;
	p.err = err;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		p.s += 3, p.line_start += 3;
	{
		size_t bad;

		if (!pa_utf8_valid(text, len, &bad)) {
			pa_buf_release(&table);
			return Pa_error_set(err, PA_ERR_UTF8, file, 0, 0,
			                    "not valid UTF-8 at byte %zu", bad);
		}
	}
	while (p.s < p.end && !p.failed) {
		skip_ws(&p);
		if (p.s >= p.end)
			break;
		if (*p.s == '#' || *p.s == '\n' || *p.s == '\r') {
			end_line(&p);
			continue;
		}
		if (*p.s == '[') {
			int arr = p.end - p.s >= 2 && p.s[1] == '[';
			size_t parts;
			const char *at = p.s;

			p.s += arr ? 2 : 1;
			pa_buf_reset(&table);
			if (!key(&p, &table, &parts))
				break;
			if (p.s >= p.end || *p.s != ']' ||
			    (arr && (p.end - p.s < 2 || p.s[1] != ']'))) {
				fail(&p, p.s, "expected ] after a table name");
				break;
			}
			p.s += arr ? 2 : 1;
			if (!arr) {
				pa_buf t = PA_BUF_INIT;

				pa_buf_puts(&t, "\2");
				pa_buf_put(&t, table.ptr, table.len);
				if (!Pa_strset_add(&keys, t.ptr, t.len)) {
					pa_buf_release(&t);
					fail(&p, at, "a table defined twice");
					break;
				}
				pa_buf_release(&t);
			} else {
				/* each [[x]] is a new table: its keys start afresh */
				static const char tag[] = "\3";

				pa_buf_put(&table, tag, 1);
				pa_buf_printf(&table, "%ld", p.line);
			}
			top = 0;
			end_line(&p);
			continue;
		}
		{
			pa_buf k = PA_BUF_INIT, full = PA_BUF_INIT;
			size_t parts;
			hx_toml_value v;
			const char *at = p.s;

			memset(&v, 0, sizeof(v));
			if (!key(&p, &k, &parts)) {
				pa_buf_release(&k);
				break;
			}
			pa_buf_put(&full, table.ptr, table.len);
			pa_buf_putc(&full, '\1');
			pa_buf_put(&full, k.ptr, k.len);
			if (!Pa_strset_add(&keys, full.ptr, full.len)) {
				fail(&p, at, "a key defined twice");
			} else if (p.s >= p.end || *p.s != '=') {
				fail(&p, p.s, "expected = after a key");
			} else {
				p.s++;
				skip_ws(&p);
				if (value(&p, &v, 0) && end_line(&p) && top && parts == 1 && cb)
					cb(ctx, k.ptr, &v);
			}
			value_free(&v);
			pa_buf_release(&k);
			pa_buf_release(&full);
		}
	}
	Pa_strset_release(&keys);
	pa_buf_release(&table);
	return p.failed ? PA_ERR_PARSE : PA_OK;
}
