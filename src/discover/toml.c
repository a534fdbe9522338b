/*
 * toml.c - a small TOML reader for Codex's config.toml.  The
 * whole document is checked as TOML 1.0 is (Codex refuses a file that
 * does not parse, so we do too): comments, bare, quoted and dotted keys,
 * [tables] and [[arrays of tables]], basic and literal strings (one line
 * or multi-line), integers, booleans, floats and dates (as written),
 * arrays and inline tables.  Only the keys of the top-level table reach
 * the caller.  Hostile input: nesting is limited (HX_TOML_MAX_DEPTH), a
 * key is defined once, as TOML 1.0 requires (a key or a table defined
 * twice, a value later used as a table or a table as a value, a table of
 * dotted keys reopened by a [header], an array of tables made a table:
 * refused), every error names the line and column.  Every key's path is
 * copied, hashed and recorded whole (a [header] of 100 KB then 5,000 keys
 * took 1 GB, one key of 40,000 dotted parts 2.3 GB): the bytes of the
 * paths made in all are held to HX_TOML_PATH_FACTOR times the document
 * plus HX_TOML_PATH_SLACK, and a document past that is refused, so the
 * work is linear in its size.
 */
#include "services.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

#define HX_TOML_MAX_DEPTH 64
#define HX_TOML_PATH_FACTOR 16
#define HX_TOML_PATH_SLACK ((size_t)1 << 20)

typedef struct tp {
	const char *text; /* the document */
	const char *s, *end;
	const char *line_start;
	long line;
	const char *file;
	pa_error *err;
	int failed;
	/* the bytes of key paths made so far, and their limit */
	size_t work, max_work;
	/* every key path defined, as TOML 1.0 defines each once: a path
	 * (segments "LEN:bytes", an element of an array of tables "[N]") to
	 * its kind (K_*) + 8 * the number of elements of an array of tables */
	Pa_strset defs;
} tp;

/* What a key path is.  A table made by a [header] is explicit; one made
 * on the way to a header's table implicit (a later header may define
 * it, once); one made by a dotted key dotted (only dotted keys of the
 * same table may add to it; a header may define a table under it, never
 * it); a value (an inline table and an array too) is closed. */
enum { K_NONE, K_VALUE, K_IMPLICIT, K_EXPLICIT, K_DOTTED, K_ARRAY };

/* A key as read: its segments encoded into path, the end of each in
 * ends; last, the last segment decoded (a key of the top table reaches
 * the caller so). */
typedef struct keypath {
	pa_buf path;
	size_t *ends;
	size_t n;
	pa_buf last;
} keypath;

static void keypath_release(keypath *k)
{
	pa_buf_release(&k->path);
	pa_buf_release(&k->last);
	pa_free(k->ends);
	memset(k, 0, sizeof(*k));
}

static long col(const tp *p, const char *at)
{
	return (long)(at - p->line_start) + 1;
}

static int fail(tp *p, const char *at, const char *what)
{
	if (!p->failed) {
		/* the line of `at`, which may lie before the current one (a
		 * multi-line string that does not end) */
		long line = p->line;
		const char *ls = p->line_start;

		if (at < p->line_start) {
			const char *q;

			line = 1;
			ls = p->text;
			for (q = p->text; q < at; q++)
				if (*q == '\n') {
					line++;
					ls = q + 1;
				}
		}
		Pa_error_set(p->err, PA_ERR_PARSE, p->file, line,
		             (long)(at - ls) + 1, "%s", what);
	}
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

/* A key (bare, quoted, dotted) into k, its segments encoded. */
static int key(tp *p, keypath *k)
{
	memset(k, 0, sizeof(*k));
	k->path = (pa_buf)PA_BUF_INIT;
	k->last = (pa_buf)PA_BUF_INIT;
	for (;;) {
		skip_ws(p);
		pa_buf_reset(&k->last);
		if (p->s < p->end && (*p->s == '"' || *p->s == '\'')) {
			if (p->end - p->s >= 3 && p->s[1] == *p->s && p->s[2] == *p->s)
				return fail(p, p->s, "a multi-line string as a key");
			if (!string(p, &k->last))
				return 0;
		} else {
			const char *b = p->s;

			while (p->s < p->end && is_bare(*p->s))
				p->s++;
			if (p->s == b)
				return fail(p, p->s, "expected a key");
			pa_buf_put(&k->last, b, (size_t)(p->s - b));
		}
		pa_buf_printf(&k->path, "%zu:", k->last.len);
		pa_buf_put(&k->path, k->last.ptr, k->last.len);
		k->ends = Pa_xgrow(k->ends, k->n, sizeof(size_t));
		k->ends[k->n++] = k->path.len;
		skip_ws(p);
		if (p->s < p->end && *p->s == '.') {
			p->s++;
			continue;
		}
		return 1;
	}
}

/* Counts n bytes of key paths made at `at`; 0 (failed) past the limit. */
static int charge(tp *p, size_t n, const char *at)
{
	if (n > p->max_work - p->work) {
		p->work = p->max_work;
		return fail(p, at, "keys whose paths together come to more than "
		            "16 times the file's size and 1 MiB (HX_TOML_PATH_FACTOR, a limit of "
		            "promptasm's)");
	}
	p->work += n;
	return 1;
}

/* The kind kept for path (K_NONE: not defined), as a pointer to change
 * it; valid until the next call. */
static size_t *def_of(tp *p, const pa_buf *path)
{
	return Pa_strset_value(&p->defs, path->ptr, path->len);
}

/* Defines the key k of a key/value pair under the table at base (a path):
 * each of its dotted parts a dotted table, the last a value.  The full
 * path is left in out. */
static int define_key(tp *p, const pa_buf *base, const keypath *k,
                      const char *at, pa_buf *out)
{
	size_t i, from = 0;

	pa_buf_reset(out);
	pa_buf_put(out, base->ptr, base->len);
	for (i = 0; i < k->n; i++) {
		size_t *v;

		pa_buf_put(out, k->path.ptr + from, k->ends[i] - from);
		from = k->ends[i];
		if (!charge(p, out->len, at))
			return 0;
		v = def_of(p, out);
		if (i + 1 < k->n) {
			if ((*v & 7) == K_NONE)
				*v = K_DOTTED;
			else if ((*v & 7) == K_VALUE)
				return fail(p, at, "a key that holds a value, used as a table");
			else if ((*v & 7) != K_DOTTED)
				return fail(p, at, "a table defined elsewhere, added to by a dotted key");
		} else if ((*v & 7) == K_NONE) {
			*v = K_VALUE;
		} else {
			return fail(p, at, (*v & 7) == K_VALUE ? "a key defined twice"
			            : "a key defined as a table, defined again as a value");
		}
	}
	return 1;
}

static void value_free(hx_toml_value *v)
{
	pa_free(v->str);
	if (v->strs) {
		size_t i;

		for (i = 0; i < v->n; i++)
			pa_free(v->strs[i]);
		pa_free(v->strs);
		pa_free(v->lens);
	}
	memset(v, 0, sizeof(*v));
}

static int value(tp *p, hx_toml_value *v, int depth, const pa_buf *path);

/* An array at p->s; path is its key's (each item is its own element, so
 * that the keys of inline tables in it are told apart). */
static int array(tp *p, hx_toml_value *v, int depth, const pa_buf *path)
{
	int all_strings = 1;
	size_t count = 0;
	pa_buf item_path = PA_BUF_INIT;

	v->type = HX_TOML_ARRAY;
	p->s++;
	for (;;) {
		hx_toml_value item;

		if (!skip_array_space(p)) {
			pa_buf_release(&item_path);
			return 0;
		}
		if (p->s < p->end && *p->s == ']') {
			p->s++;
			break;
		}
		memset(&item, 0, sizeof(item));
		pa_buf_reset(&item_path);
		pa_buf_put(&item_path, path->ptr, path->len);
		pa_buf_printf(&item_path, "[%zu]", count++);
		if (!charge(p, item_path.len, p->s) ||
		    !value(p, &item, depth + 1, &item_path)) {
			value_free(&item);
			pa_buf_release(&item_path);
			return 0;
		}
		if (item.type == HX_TOML_STRING && all_strings) {
			v->strs = Pa_xgrow(v->strs, v->n, sizeof(char *));
			v->lens = Pa_xgrow(v->lens, v->n, sizeof(size_t));
			v->lens[v->n] = item.len;
			v->strs[v->n++] = item.str;
			item.str = NULL;
		} else {
			all_strings = 0;
		}
		value_free(&item);
		if (!skip_array_space(p)) {
			pa_buf_release(&item_path);
			return 0;
		}
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == ']') {
			p->s++;
			break;
		}
		pa_buf_release(&item_path);
		return fail(p, p->s, "expected , or ] in an array");
	}
	pa_buf_release(&item_path);
	if (!all_strings) {
		size_t i;

		for (i = 0; i < v->n; i++)
			pa_free(v->strs[i]);
		pa_free(v->strs);
		pa_free(v->lens);
		v->strs = NULL;
		v->lens = NULL;
		v->n = 0;
	}
	return 1;
}

/* An inline table at p->s, whose key's path is path: its keys are
 * defined under it (a dotted key in it too), each once. */
static int inline_table(tp *p, int depth, const pa_buf *path)
{
	pa_buf full = PA_BUF_INIT;
	int ok = 0;

	p->s++;
	skip_ws(p);
	if (p->s < p->end && *p->s == '}') {
		p->s++;
		return 1;
	}
	for (;;) {
		keypath k;
		hx_toml_value item;
		const char *at;

		skip_ws(p);
		at = p->s;
		memset(&item, 0, sizeof(item));
		if (!key(p, &k) || !define_key(p, path, &k, at, &full)) {
			keypath_release(&k);
			break;
		}
		keypath_release(&k);
		if (p->s >= p->end || *p->s != '=') {
			fail(p, p->s, "expected = after a key");
			break;
		}
		p->s++;
		skip_ws(p);
		if (!value(p, &item, depth + 1, &full)) {
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
	pa_buf_release(&full);
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
	/* a hexadecimal, octal or binary integer: 0x, 0o or 0b, no sign,
	 * single underscores between digits (project_doc_max_bytes =
	 * 0x10000 is 65,536 to Codex, never a value of the wrong type) */
	if (n > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'o' || b[1] == 'b')) {
		int base = b[1] == 'x' ? 16 : b[1] == 'o' ? 8 : 2, d;
		long long x = 0;

		for (i = 2; i < n; i++) {
			char c = b[i];

			if (c == '_' && i > 2 && i + 1 < n && b[i - 1] != '_' &&
			    b[i + 1] != '_')
				continue;
			d = c >= '0' && c <= '9' ? c - '0'
			  : c >= 'a' && c <= 'f' ? c - 'a' + 10
			  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : base;
			if (d >= base)
				break;
			if (x > (0x7fffffffffffffffLL - d) / base)
				return fail(p, b, "an integer out of range");
			x = x * base + d;
		}
		if (i == n) {
			v->type = HX_TOML_INT;
			v->num = x;
			return 1;
		}
	}
	/* floats, inf, nan, dates and times: taken as written when made of
	 * their characters only */
	for (i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEFxoinTZ+-_.: ", b[i]))
			return fail(p, b, "not a TOML value");
	v->type = HX_TOML_OTHER;
	return 1;
}

static int value(tp *p, hx_toml_value *v, int depth, const pa_buf *path)
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
		v->str = pa_buf_detach(&b, &v->len);
		return 1;
	}
	if (*p->s == '[')
		return array(p, v, depth, path);
	if (*p->s == '{') {
		v->type = HX_TOML_OTHER;
		return inline_table(p, depth, path);
	}
	return scalar(p, v);
}

/* A [header] or [[header]] k at `at`: the table it opens, as a path,
 * into table.  Each table on the way is made (implicit) when new, and an
 * array of tables on the way stands for its last element. */
static int open_table(tp *p, const keypath *k, int arr, const char *at,
                      pa_buf *table)
{
	size_t i, from = 0;

	pa_buf_reset(table);
	for (i = 0; i < k->n; i++) {
		size_t *v, kind;

		pa_buf_put(table, k->path.ptr + from, k->ends[i] - from);
		from = k->ends[i];
		if (!charge(p, table->len, at))
			return 0;
		v = def_of(p, table);
		kind = *v & 7;
		if (i + 1 < k->n) {
			if (kind == K_NONE)
				*v = K_IMPLICIT;
			else if (kind == K_VALUE)
				return fail(p, at, "a key that holds a value, used as a table");
			else if (kind == K_ARRAY)
				pa_buf_printf(table, "[%zu]", *v >> 3);
			continue;
		}
		if (arr) {
			if (kind != K_NONE && kind != K_ARRAY)
				return fail(p, at, "a key defined before, defined again as "
				            "an array of tables");
			*v = K_ARRAY + ((*v >> 3) + 1) * 8;
			pa_buf_printf(table, "[%zu]", *v >> 3);
		} else if (kind == K_NONE || kind == K_IMPLICIT) {
			*v = K_EXPLICIT;
		} else {
			return fail(p, at, kind == K_EXPLICIT ? "a table defined twice"
			            : kind == K_DOTTED ? "a table defined by dotted keys, "
			                                 "defined again"
			            : kind == K_ARRAY ? "an array of tables defined again "
			                                "as a table"
			            : "a key that holds a value, defined again as a table");
		}
	}
	return 1;
}

int Pa_hx_toml_segment(const char **path, const char **seg, size_t *len)
{
	const char *s = *path;
	size_t n = 0;

	if (!s || *s < '0' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9' && n < SIZE_MAX / 10 - 9)
		n = n * 10 + (size_t)(*s++ - '0');
	if (*s != ':')
		return 0;
	{
		size_t k = 0;

		while (k < n && s[1 + k])
			k++;
		if (k < n) /* shorter than it says */
			return 0;
	}
	*seg = s + 1;
	*len = n;
	*path = s + 1 + n;
	return 1;
}

pa_status Pa_hx_toml_parse(const char *text, size_t len, const char *file,
                        hx_toml_cb cb, void *ctx, pa_error *err)
{
	tp p;
	pa_buf table = PA_BUF_INIT;        /* the current table's path */
	pa_buf full = PA_BUF_INIT;

	memset(&p, 0, sizeof(p));
	p.text = text;
	p.s = text;
	p.end = text + len;
	p.line_start = text;
	p.line = 1;
	p.file = file;
	p.err = err;
	p.max_work = len > (SIZE_MAX - HX_TOML_PATH_SLACK) / HX_TOML_PATH_FACTOR
	             ? SIZE_MAX : len * HX_TOML_PATH_FACTOR + HX_TOML_PATH_SLACK;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		p.s += 3, p.line_start += 3;
	{
		size_t bad, i;
		long line = 1, column = 1;

		if (!pa_utf8_valid(text, len, &bad)) {
			/* named at its line and column, as every other error */
			for (i = 0; i < bad; i++, column++)
				if (text[i] == '\n')
					line++, column = 0;
			return Pa_error_set(err, PA_ERR_UTF8, file, line, column,
			                    "not valid UTF-8");
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
			keypath k;
			const char *at = p.s;
			int ok;

			p.s += arr ? 2 : 1;
			ok = key(&p, &k);
			if (ok && (p.s >= p.end || *p.s != ']' ||
			           (arr && (p.end - p.s < 2 || p.s[1] != ']'))))
				ok = fail(&p, p.s, "expected ] after a table name");
			if (ok) {
				p.s += arr ? 2 : 1;
				ok = open_table(&p, &k, arr, at, &table);
			}
			if (ok && cb && !arr) {
				hx_toml_value t;

				memset(&t, 0, sizeof(t));
				t.type = HX_TOML_TABLE;
				t.line = p.line;
				t.column = col(&p, at);
				t.nested = 1;
				cb(ctx, table.ptr, &t);
			}
			keypath_release(&k);
			if (!ok)
				break;
			end_line(&p);
			continue;
		}
		{
			keypath k;
			hx_toml_value v;
			const char *at = p.s;

			memset(&v, 0, sizeof(v));
			if (!key(&p, &k)) {
				keypath_release(&k);
				break;
			}
			if (!define_key(&p, &table, &k, at, &full)) {
				/* failed: named */
			} else if (p.s >= p.end || *p.s != '=') {
				fail(&p, p.s, "expected = after a key");
			} else {
				p.s++;
				skip_ws(&p);
				if (value(&p, &v, 0, &full) && end_line(&p) && cb) {
					/* a key holding a NUL is no key of a CLI's: as a
					 * C string "model\u0000x" would be `model` */
					if (!table.len && k.n == 1 &&
					    strlen(k.last.ptr) == k.last.len)
						cb(ctx, k.last.ptr, &v);
					else {
						v.nested = 1;
						cb(ctx, full.ptr, &v);
					}
				}
			}
			value_free(&v);
			keypath_release(&k);
		}
	}
	Pa_strset_release(&p.defs);
	pa_buf_release(&table);
	pa_buf_release(&full);
	return p.failed ? PA_ERR_PARSE : PA_OK;
}
