/*
 * jsonread.c - reading JSON (RFC 8259) into a tree: what we read back of
 * our own reports (check --baseline) and any JSON input.
 *
 * Strict: one value and white space; strings of valid UTF-8 without raw
 * control characters, every escape decoded and a surrogate pair joined
 * into its one character (a lone surrogate is an error); numbers in the
 * RFC's grammar, kept as written; literals true, false, null.  Nesting
 * is limited to PA_JSON_MAX_DEPTH and a document to PA_JSON_MAX_VALUES
 * values, so neither the stack nor memory grows with what a hostile file
 * asks for (the file's size is the caller's limit).  An error names the
 * line and column (in characters, from 1) where the text stops being
 * JSON.  libyaml still reads YAML; JSON is not read as YAML any more (a
 * YAML reader refuses JSON that Python's json.dump writes).
 */
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

typedef struct jreader {
	const unsigned char *s;
	size_t n, i;
	size_t line_start;  /* offset of the current line's first byte */
	long line;
	size_t col_pos;     /* column_at()'s last offset on the current line, */
	long col;           /* and its column there */
	size_t values;
	const char *file;
	unsigned flags;     /* PA_JSON_UNIQUE_KEYS, PA_JSON_MANY_VALUES */
	pa_error *err;
	pa_status st;
} jreader;

/* The column of offset at, in characters (UTF-8 lead bytes) from 1.  The
 * reader only moves forward, so counting on from the last offset asked
 * keeps a document on one line (json.dump writes one) linear: counted from
 * the line's start each time, 8 MB of numbers took minutes. */
static long column_at(jreader *r, size_t at)
{
	if (r->col_pos < r->line_start || at < r->col_pos) {
		r->col_pos = r->line_start;
		r->col = 1;
	}
	for (; r->col_pos < at && r->col_pos < r->n; r->col_pos++)
		r->col += (r->s[r->col_pos] & 0xC0) != 0x80;
	return r->col;
}

static Pa_jnode *fail_as(jreader *r, pa_status st, size_t at,
                         const char *prefix, const char *what)
{
	if (r->st == PA_OK)
		r->st = Pa_error_set(r->err, st, r->file, r->line,
		                     column_at(r, at), "%s%s", prefix, what);
	return NULL;
}

static Pa_jnode *fail(jreader *r, size_t at, const char *what)
{
	return fail_as(r, PA_ERR_PARSE, at, "invalid JSON: ", what);
}

/* Past a limit of ours the text may well be JSON, which its program
 * reads: PA_ERR_TOO_LARGE, so that a caller does not take it for a file
 * that program rejects. */
static Pa_jnode *fail_limit(jreader *r, size_t at, const char *what)
{
	return fail_as(r, PA_ERR_TOO_LARGE, at, "JSON ", what);
}

static void skip_ws(jreader *r)
{
	while (r->i < r->n) {
		unsigned char c = r->s[r->i];

		if (c == '\n') {
			r->line++;
			r->line_start = r->i + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			break;
		}
		r->i++;
	}
}

/* A value of that type starting at offset at (at most r->i). */
static Pa_jnode *new_node(jreader *r, Pa_json_type type, size_t at)
{
	Pa_jnode *v;

	if (++r->values > PA_JSON_MAX_VALUES) {
		if (!(r->flags & PA_JSON_MANY_VALUES))
			return fail_limit(r, r->i, "of more values than the limit ("
			            STR(PA_JSON_MAX_VALUES) ")");
		if (r->values > PA_JSON_MAX_STORE_VALUES)
			return fail_limit(r, r->i, "of more values than the limit ("
			            STR(PA_JSON_MAX_STORE_VALUES) ")");
	}
	v = Pa_xcalloc(1, sizeof(*v));
	v->type = type;
	v->line = r->line;
	v->column = column_at(r, at);
	return v;
}

static int hex4(jreader *r, unsigned *v)
{
	size_t k;

	*v = 0;
	if (r->n - r->i < 4)
		return 0;
	for (k = 0; k < 4; k++) {
		unsigned char c = r->s[r->i + k];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
		           : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
		           : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
		if (d == 16)
			return 0;
		*v = *v * 16 + d;
	}
	r->i += 4;
	return 1;
}

static void put_utf8(pa_buf *out, unsigned cp)
{
	if (cp < 0x80) {
		pa_buf_putc(out, (char)cp);
	} else if (cp < 0x800) {
		pa_buf_putc(out, (char)(0xC0 | cp >> 6));
		pa_buf_putc(out, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		pa_buf_putc(out, (char)(0xE0 | cp >> 12));
		pa_buf_putc(out, (char)(0x80 | (cp >> 6 & 0x3F)));
		pa_buf_putc(out, (char)(0x80 | (cp & 0x3F)));
	} else {
		pa_buf_putc(out, (char)(0xF0 | cp >> 18));
		pa_buf_putc(out, (char)(0x80 | (cp >> 12 & 0x3F)));
		pa_buf_putc(out, (char)(0x80 | (cp >> 6 & 0x3F)));
		pa_buf_putc(out, (char)(0x80 | (cp & 0x3F)));
	}
}

/* A string at r->i (its quote), decoded into out. */
static int read_string(jreader *r, pa_buf *out)
{
	r->i++; /* " */
	while (r->i < r->n) {
		unsigned char c = r->s[r->i];
		size_t at = r->i, bad;
		unsigned cp, lo;

		if (c == '"') {
			r->i++;
			return 1;
		}
		if (c < 0x20) {
			fail(r, at, c == '\n' ? "a string runs past the end of its line"
			                      : "a control character in a string (escape it)");
			return 0;
		}
		if (c != '\\') {
			while (r->i < r->n && r->s[r->i] >= 0x20 && r->s[r->i] != '"' &&
			       r->s[r->i] != '\\')
				r->i++;
			if (!pa_utf8_valid((const char *)r->s + at, r->i - at, &bad)) {
				fail(r, at + bad, "a string is not valid UTF-8");
				return 0;
			}
			pa_buf_put(out, r->s + at, r->i - at);
			continue;
		}
		if (++r->i >= r->n)
			break;
		c = r->s[r->i++];
		switch (c) {
		case '"': pa_buf_putc(out, '"'); break;
		case '\\': pa_buf_putc(out, '\\'); break;
		case '/': pa_buf_putc(out, '/'); break;
		case 'b': pa_buf_putc(out, '\b'); break;
		case 'f': pa_buf_putc(out, '\f'); break;
		case 'n': pa_buf_putc(out, '\n'); break;
		case 'r': pa_buf_putc(out, '\r'); break;
		case 't': pa_buf_putc(out, '\t'); break;
		case 'u':
			if (!hex4(r, &cp)) {
				fail(r, at, "\\u is not followed by 4 hex digits");
				return 0;
			}
			if (cp >= 0xDC00 && cp <= 0xDFFF) {
				fail(r, at, "a low surrogate escape without a high one before it");
				return 0;
			}
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (r->n - r->i < 6 || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u' ||
				    (r->i += 2, !hex4(r, &lo)) || lo < 0xDC00 || lo > 0xDFFF) {
					fail(r, at, "a high surrogate escape without a low one after it");
					return 0;
				}
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			put_utf8(out, cp);
			break;
		default:
			fail(r, at, "an unknown escape in a string");
			return 0;
		}
	}
	fail(r, r->n, "a string is not closed");
	return 0;
}

static size_t digits(jreader *r)
{
	size_t start = r->i;

	while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
		r->i++;
	return r->i - start;
}

static Pa_jnode *read_number(jreader *r)
{
	size_t start = r->i;
	Pa_jnode *v;

	if (r->s[r->i] == '-')
		r->i++;
	if (r->i < r->n && r->s[r->i] == '0')
		r->i++;
	else if (!(r->i < r->n && r->s[r->i] >= '1' && r->s[r->i] <= '9'))
		return fail(r, start, "not a value");
	else
		digits(r);
	if (r->i < r->n && r->s[r->i] == '.') {
		r->i++;
		if (!digits(r))
			return fail(r, r->i, "a number's fraction has no digits");
	}
	if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
		r->i++;
		if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
			r->i++;
		if (!digits(r))
			return fail(r, r->i, "a number's exponent has no digits");
	}
	v = new_node(r, PA_JSON_NUMBER, start);
	if (v) {
		v->len = r->i - start;
		v->text = Pa_xmalloc(v->len + 1);
		memcpy(v->text, r->s + start, v->len);
		v->text[v->len] = '\0';
	}
	return v;
}

static Pa_jnode *read_value(jreader *r, int depth);

/* Appends item (and key) to v's members. */
static void add_member(Pa_jnode *v, Pa_jnode *item, char *key, size_t key_len)
{
	v->items = Pa_xgrow(v->items, v->n, sizeof(*v->items));
	if (v->type == PA_JSON_OBJECT) {
		v->keys = Pa_xgrow(v->keys, v->n, sizeof(*v->keys));
		v->key_lens = Pa_xgrow(v->key_lens, v->n, sizeof(*v->key_lens));
		v->keys[v->n] = key;
		v->key_lens[v->n] = key_len;
	}
	v->items[v->n++] = item;
}

typedef struct member_ref {
	const char *key;
	size_t len, at;
} member_ref;

static int cmp_member(const void *a, const void *b)
{
	const member_ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* A name given twice in one object is one member, as JSON.parse (which
 * every modelled CLI but Codex reads its JSON with) makes it: the last
 * value, at the first one's place.  Kept first, {"claudeMdExcludes": [...],
 * "claudeMdExcludes": []} left out of the count files Claude Code sends.
 * Sorted, so that an object of many members stays O(n log n). */
static void merge_twice_named(Pa_jnode *v)
{
	member_ref *m;
	unsigned char *gone;
	size_t i, j, k;

	if (v->n < 2)
		return;
	m = Pa_xcalloc(v->n, sizeof(*m));
	gone = Pa_xcalloc(v->n, 1);
	for (i = 0; i < v->n; i++) {
		m[i].key = v->keys[i];
		m[i].len = v->key_lens[i];
		m[i].at = i;
	}
	qsort(m, v->n, sizeof(*m), cmp_member);
	for (i = 0; i < v->n; i = j) {
		for (j = i + 1; j < v->n && m[j].len == m[i].len &&
		     !memcmp(m[j].key, m[i].key, m[i].len); j++)
			;
		if (j - i < 2)
			continue;
		/* the last value to the first place; the others go */
		Pa_jnode_free(v->items[m[i].at]);
		v->items[m[i].at] = v->items[m[j - 1].at];
		v->items[m[j - 1].at] = NULL;
		for (k = i + 1; k < j; k++) {
			Pa_jnode_free(v->items[m[k].at]);
			gone[m[k].at] = 1;
		}
	}
	for (i = k = 0; i < v->n; i++) {
		if (gone[i]) {
			free(v->keys[i]);
			continue;
		}
		v->items[k] = v->items[i];
		v->keys[k] = v->keys[i];
		v->key_lens[k++] = v->key_lens[i];
	}
	v->n = k;
	free(gone);
	free(m);
}

/* With PA_JSON_UNIQUE_KEYS: 1 when the key k (its string at offset at) is
 * the first of that name in its object (seen), else 0 with the error.
 * JSON leaves a repeated key to the reader (JavaScript's JSON.parse, and
 * merge_twice_named(), keep the last); a file of our own making, such as
 * a baseline, never repeats one, so one that does was edited by hand and
 * is refused rather than read either way. */
static int unique_key(jreader *r, Pa_strset *seen, const char *k, size_t len,
                      size_t at)
{
	size_t *first = Pa_strset_value(seen, k, len);
	int cut = 0;

	if (!*first) {
		*first = (size_t)r->line;
		return 1;
	}
	/* at most 64 bytes of it, cut before a character, not in one */
	if (len > 64) {
		cut = 64;
		while (cut > 0 && ((unsigned char)k[cut] & 0xC0) == 0x80)
			cut--;
	}
	if (r->st == PA_OK)
		r->st = Pa_error_set(r->err, PA_ERR_PARSE, r->file, r->line,
		                     column_at(r, at), "duplicate key '%.*s'%s (the "
		                     "first at line %zu)", cut ? cut : (int)len, k,
		                     cut ? "..." : "", *first);
	return 0;
}

static Pa_jnode *read_container(jreader *r, int depth)
{
	int object = r->s[r->i] == '{';
	char close = object ? '}' : ']';
	Pa_jnode *v = new_node(r, object ? PA_JSON_OBJECT : PA_JSON_ARRAY, r->i);
	Pa_strset seen = PA_STRSET_INIT; /* with PA_JSON_UNIQUE_KEYS: the keys,
	                                    each with its line */

	if (!v)
		return NULL;
	r->i++;
	skip_ws(r);
	if (r->i < r->n && r->s[r->i] == close) {
		r->i++;
		return v;
	}
	for (;;) {
		pa_buf key = PA_BUF_INIT;
		size_t key_len = 0, at;
		char *k = NULL;
		Pa_jnode *item;

		skip_ws(r);
		if (object) {
			if (r->i >= r->n || r->s[r->i] != '"') {
				fail(r, r->i, "an object's member does not start with a name");
				break;
			}
			at = r->i;
			if (!read_string(r, &key)) {
				pa_buf_release(&key);
				break;
			}
			k = pa_buf_detach(&key, &key_len);
			if ((r->flags & PA_JSON_UNIQUE_KEYS) &&
			    !unique_key(r, &seen, k, key_len, at)) {
				free(k);
				break;
			}
			skip_ws(r);
			if (r->i >= r->n || r->s[r->i] != ':') {
				free(k);
				fail(r, r->i, "no ':' after a member's name");
				break;
			}
			r->i++;
		}
		item = read_value(r, depth + 1);
		if (!item) {
			free(k);
			break;
		}
		add_member(v, item, k, key_len);
		skip_ws(r);
		if (r->i < r->n && r->s[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->s[r->i] == close) {
			r->i++;
			if (object)
				merge_twice_named(v);
			Pa_strset_release(&seen);
			return v;
		}
		fail(r, r->i, object ? "expected ',' or '}'" : "expected ',' or ']'");
		break;
	}
	Pa_strset_release(&seen);
	Pa_jnode_free(v);
	return NULL;
}

static Pa_jnode *literal(jreader *r, const char *word, Pa_json_type type)
{
	size_t k = strlen(word);
	Pa_jnode *v;

	if (r->n - r->i < k || memcmp(r->s + r->i, word, k))
		return fail(r, r->i, "not a value");
	v = new_node(r, type, r->i);
	r->i += k;
	return v;
}

static Pa_jnode *read_value(jreader *r, int depth)
{
	Pa_jnode *v;

	skip_ws(r);
	if (r->i >= r->n)
		return fail(r, r->i, "the text ends where a value should be");
	if (depth > PA_JSON_MAX_DEPTH)
		return fail_limit(r, r->i, "nested deeper than the limit ("
		            STR(PA_JSON_MAX_DEPTH) ")");
	switch (r->s[r->i]) {
	case '{':
	case '[':
		return read_container(r, depth);
	case '"': {
		pa_buf s = PA_BUF_INIT;

		v = new_node(r, PA_JSON_STRING, r->i);
		if (v && !read_string(r, &s)) {
			Pa_jnode_free(v);
			v = NULL;
		}
		if (v)
			v->text = pa_buf_detach(&s, &v->len);
		pa_buf_release(&s);
		return v;
	}
	case 't': return literal(r, "true", PA_JSON_TRUE);
	case 'f': return literal(r, "false", PA_JSON_FALSE);
	case 'n': return literal(r, "null", PA_JSON_NULL);
	case '-':
		return read_number(r);
	default:
		if (r->s[r->i] >= '0' && r->s[r->i] <= '9')
			return read_number(r);
		return fail(r, r->i, "not a value");
	}
}

pa_status Pa_json_parse(const char *text, size_t len, const char *file,
                        Pa_jnode **out, pa_error *err)
{
	return Pa_json_parse_flags(text, len, file, 0, out, err);
}

pa_status Pa_json_parse_flags(const char *text, size_t len, const char *file,
                              unsigned flags, Pa_jnode **out, pa_error *err)
{
	jreader r;
	Pa_jnode *v;

	memset(&r, 0, sizeof(r));
	r.flags = flags;
	r.s = (const unsigned char *)text;
	r.n = len;
	r.line = 1;
	r.col = 1;
	r.file = file;
	r.err = err;
	r.st = PA_OK;
	*out = NULL;
	/* A byte order mark is not JSON (RFC 8259, 8.1), but a reader may
	 * ignore one. */
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		r.i = r.line_start = r.col_pos = 3;
	v = read_value(&r, 1);
	if (v) {
		skip_ws(&r);
		if (r.i < r.n) {
			fail(&r, r.i, "more text after the value");
			Pa_jnode_free(v);
			v = NULL;
		}
	}
	*out = v;
	return v ? PA_OK : r.st;
}

void Pa_jnode_free(Pa_jnode *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		Pa_jnode_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->key_lens);
	free(v->text);
	free(v);
}

const Pa_jnode *Pa_jnode_get(const Pa_jnode *v, const char *key)
{
	size_t i, n = strlen(key);

	if (!v || v->type != PA_JSON_OBJECT)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (v->key_lens[i] == n && !memcmp(v->keys[i], key, n))
			return v->items[i];
	return NULL;
}
