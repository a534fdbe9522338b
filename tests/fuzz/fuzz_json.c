/* fuzz_json.c - libFuzzer target: the JSON the library writes, read back
 * by a strict JSON reader written here (RFC 8259: objects, arrays,
 * strings with every escape, numbers, literals; UTF-8 only, no lone
 * surrogate, nothing after the value).
 *
 * The first byte picks what is written from the rest:
 *  - 1: the bytes as one JSON string (Pa_json_string); it must read
 *    back as the same text, invalid UTF-8 as the lossy repair
 *    pa_utf8_lossy() makes of it;
 *  - 3: the bytes as a JSON document for the library's reader
 *    (Pa_json_parse): it must accept exactly what the strict reader here
 *    accepts (a leading byte order mark aside, which it skips), and what
 *    it reads must write back (strings through Pa_json_string) to a
 *    text it reads as the same tree (a name given twice is one member);
 *  - 2: an agent file's frontmatter after `name` and `description`
 *    lines; any other byte starts an agent file (pa_agent_parse), so real
 *    agent files are seeds as they are.  What parses is written by
 *    pa_agent_json(), which must read as one object whose keys do not
 *    repeat and whose "description", when it has one, is the agent's
 *    description. */
#include "fuzz.h"

#include "promptasm.h"
#include "util.h"

/* ---- a strict JSON reader ---- */

typedef struct reader {
	const unsigned char *s;
	size_t n, i;
	int depth;
} reader;

static void skip_ws(reader *r)
{
	while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' ||
	                       r->s[r->i] == '\n' || r->s[r->i] == '\r'))
		r->i++;
}

static int lit(reader *r, const char *word)
{
	size_t k = strlen(word);

	if (r->n - r->i < k || memcmp(r->s + r->i, word, k))
		return 0;
	r->i += k;
	return 1;
}

static int hex4(reader *r, unsigned *v)
{
	size_t k;

	*v = 0;
	if (r->n - r->i < 4)
		return 0;
	for (k = 0; k < 4; k++) {
		unsigned char c = r->s[r->i + k];
		unsigned d = c >= '0' && c <= '9' ? c - '0'
		           : c >= 'a' && c <= 'f' ? c - 'a' + 10
		           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
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

/* A string at r->i (its quote); its text decoded into out. */
static int read_string(reader *r, pa_buf *out)
{
	size_t start;

	if (r->i >= r->n || r->s[r->i] != '"')
		return 0;
	r->i++;
	while (r->i < r->n) {
		unsigned char c = r->s[r->i];
		unsigned cp, lo;

		if (c == '"') {
			r->i++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c != '\\') {
			/* Raw text: valid UTF-8, one character at a time. */
			start = r->i;
			while (r->i < r->n && r->s[r->i] >= 0x20 && r->s[r->i] != '"' &&
			       r->s[r->i] != '\\')
				r->i++;
			if (!pa_utf8_valid((const char *)r->s + start, r->i - start, NULL))
				return 0;
			pa_buf_put(out, r->s + start, r->i - start);
			continue;
		}
		if (++r->i >= r->n)
			return 0;
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
			if (!hex4(r, &cp) || (cp >= 0xDC00 && cp <= 0xDFFF))
				return 0;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (!lit(r, "\\u") || !hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF)
					return 0;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			put_utf8(out, cp);
			break;
		default:
			return 0;
		}
	}
	return 0;
}

static int digits(reader *r)
{
	size_t start = r->i;

	while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9')
		r->i++;
	return r->i > start;
}

static int read_number(reader *r)
{
	if (r->i < r->n && r->s[r->i] == '-')
		r->i++;
	if (r->i < r->n && r->s[r->i] == '0')
		r->i++;
	else if (!(r->i < r->n && r->s[r->i] >= '1' && r->s[r->i] <= '9') || !digits(r))
		return 0;
	if (r->i < r->n && r->s[r->i] == '.') {
		r->i++;
		if (!digits(r))
			return 0;
	}
	if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
		r->i++;
		if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
			r->i++;
		if (!digits(r))
			return 0;
	}
	return 1;
}

static int read_value(reader *r);

/* An object; when keys is not NULL (the top level), its keys decoded,
 * each after its length (a size_t), and *desc the value of "description" when it
 * is a string. */
static int read_object(reader *r, pa_buf *keys, pa_buf *desc, int *has_desc)
{
	pa_buf key = PA_BUF_INIT;
	int ok = 0;

	r->i++; /* { */
	skip_ws(r);
	if (r->i < r->n && r->s[r->i] == '}') {
		r->i++;
		return 1;
	}
	for (;;) {
		pa_buf_reset(&key);
		skip_ws(r);
		if (!read_string(r, &key))
			break;
		skip_ws(r);
		if (r->i >= r->n || r->s[r->i++] != ':')
			break;
		skip_ws(r);
		if (keys && key.len == 11 && !memcmp(key.ptr, "description", 11) &&
		    r->i < r->n && r->s[r->i] == '"') {
			pa_buf_reset(desc);
			if (!read_string(r, desc))
				break;
			*has_desc = 1;
		} else if (!read_value(r)) {
			break;
		}
		if (keys) {
			pa_buf_put(keys, &key.len, sizeof(key.len));
			pa_buf_put(keys, key.ptr, key.len);
		}
		skip_ws(r);
		if (r->i < r->n && r->s[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->s[r->i] == '}') {
			r->i++;
			ok = 1;
		}
		break;
	}
	pa_buf_release(&key);
	return ok;
}

static int read_value(reader *r)
{
	int ok;

	skip_ws(r);
	if (r->i >= r->n)
		return 0;
	if (++r->depth > PA_JSON_MAX_DEPTH)
		return 0;
	switch (r->s[r->i]) {
	case '{':
		ok = read_object(r, NULL, NULL, NULL);
		break;
	case '[':
		r->i++;
		skip_ws(r);
		if (r->i < r->n && r->s[r->i] == ']') {
			r->i++;
			ok = 1;
			break;
		}
		for (;;) {
			ok = read_value(r);
			skip_ws(r);
			if (!ok)
				break;
			if (r->i >= r->n) { /* `[{"":{}}`: the array never closes */
				ok = 0;
				break;
			}
			if (r->s[r->i] == ',') {
				r->i++;
				continue;
			}
			ok = r->s[r->i] == ']';
			r->i++;
			break;
		}
		break;
	case '"': {
		pa_buf s = PA_BUF_INIT;
		ok = read_string(r, &s);
		pa_buf_release(&s);
		break;
	}
	case 't': ok = lit(r, "true"); break;
	case 'f': ok = lit(r, "false"); break;
	case 'n': ok = lit(r, "null"); break;
	default: ok = read_number(r); break;
	}
	r->depth--;
	return ok;
}

/* 1 when s[0..n) is one JSON value and white space. */
static int valid_document(const char *s, size_t n)
{
	reader r = { (const unsigned char *)s, n, 0, 0 };

	if (!read_value(&r))
		return 0;
	skip_ws(&r);
	return r.i == r.n;
}

/* The reader is the oracle: it must refuse what is not JSON. */
static void self_test(void)
{
	static const char *const good[] = {
		"{\"a\": [1, -0.5e+3, true, false, null, \"x\\u00e9\\ud83d\\ude00\\/\"]}",
		"  []  ", "0", "\"\"", "{}", "[{\"\": {}}]", "-0", "1E9",
	};
	static const char *const bad[] = {
		"{\"a\":1,}", "[01]", "\"\x01\"", "\"\\ud800\"", "{\"a\" 1}", "1.",
		"\"\xff\"", "[1 2]", "", "[", "tru", "\"\\x\"", "{1: 2}", "+1", ".5",
		"[1,]", "\"a", "{} {}", "\"\\udc00\"", "NaN", "\"\xc3\"",
		"[{\"\":{}}", "[1", "[[]", "[{}",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		FUZZ_CHECK(valid_document(good[i], strlen(good[i])));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		FUZZ_CHECK(!valid_document(bad[i], strlen(bad[i])));
}

/* ---- the writers ---- */

static void check_string(const char *text, size_t len)
{
	pa_buf json = PA_BUF_INIT, back = PA_BUF_INIT, want = PA_BUF_INIT;
	reader r;

	Pa_json_string(&json, text, len);
	r.s = (const unsigned char *)json.ptr;
	r.n = json.len;
	r.i = 0;
	r.depth = 0;
	FUZZ_CHECK(read_string(&r, &back) && r.i == r.n);
	pa_utf8_lossy(text, len, &want);
	FUZZ_CHECK(back.len == want.len && !memcmp(back.ptr, want.ptr, want.len));
	pa_buf_release(&json);
	pa_buf_release(&back);
	pa_buf_release(&want);
}

/* No key twice in keys (each after its length). */
static void check_unique(const pa_buf *keys)
{
	size_t i, j, a, b;

	for (i = 0; i < keys->len; i += sizeof(a) + a) {
		memcpy(&a, keys->ptr + i, sizeof(a));
		for (j = i + sizeof(a) + a; j < keys->len; j += sizeof(b) + b) {
			memcpy(&b, keys->ptr + j, sizeof(b));
			FUZZ_CHECK(a != b || memcmp(keys->ptr + i + sizeof(a),
			                            keys->ptr + j + sizeof(b), a) != 0);
		}
	}
}

static void check_agent(const char *text, size_t len)
{
	pa_agent *agent = NULL;
	pa_warnings warn = { 0 };
	pa_error err;
	pa_buf json = PA_BUF_INIT, keys = PA_BUF_INIT, desc = PA_BUF_INIT;
	reader r;
	int has_desc = 0;

	if (pa_agent_parse(text, len, "fuzz.md", &agent, &warn, &err) == PA_OK) {
		pa_agent_json(agent, &json);
		r.s = (const unsigned char *)json.ptr;
		r.n = json.len;
		r.i = 0;
		r.depth = 0;
		skip_ws(&r);
		FUZZ_CHECK(r.i < r.n && r.s[r.i] == '{');
		FUZZ_CHECK(read_object(&r, &keys, &desc, &has_desc));
		skip_ws(&r);
		FUZZ_CHECK(r.i == r.n);
		check_unique(&keys);
		if (has_desc)
			FUZZ_CHECK(!strcmp(desc.ptr, pa_agent_description(agent)));
	}
	pa_agent_free(agent);
	pa_warnings_release(&warn);
	pa_buf_release(&json);
	pa_buf_release(&keys);
	pa_buf_release(&desc);
}

/* ---- the library's reader ---- */

/* v written back as JSON: strings by the library's writer, numbers as
 * they were, members in order. */
static void write_tree(pa_buf *out, const Pa_jnode *v)
{
	size_t i;

	switch (v->type) {
	case PA_JSON_NULL: pa_buf_puts(out, "null"); return;
	case PA_JSON_FALSE: pa_buf_puts(out, "false"); return;
	case PA_JSON_TRUE: pa_buf_puts(out, "true"); return;
	case PA_JSON_NUMBER: pa_buf_put(out, v->text, v->len); return;
	case PA_JSON_STRING: Pa_json_string(out, v->text, v->len); return;
	case PA_JSON_ARRAY:
	case PA_JSON_OBJECT:
		break;
	}
	pa_buf_putc(out, v->type == PA_JSON_ARRAY ? '[' : '{');
	for (i = 0; i < v->n; i++) {
		if (i)
			pa_buf_putc(out, ',');
		if (v->type == PA_JSON_OBJECT) {
			Pa_json_string(out, v->keys[i], v->key_lens[i]);
			pa_buf_putc(out, ':');
		}
		write_tree(out, v->items[i]);
	}
	pa_buf_putc(out, v->type == PA_JSON_ARRAY ? ']' : '}');
}

static void check_reader(const char *text, size_t len)
{
	Pa_jnode *v = NULL, *again = NULL;
	pa_error err;
	pa_buf one = PA_BUF_INIT, two = PA_BUF_INIT;
	size_t skip = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
	pa_status st = Pa_json_parse(text, len, "fuzz.json", &v, &err);

	FUZZ_CHECK((st == PA_OK) == valid_document(text + skip, len - skip));
	FUZZ_CHECK((st == PA_OK) == (v != NULL));
	if (st != PA_OK) {
		/* PA_ERR_TOO_LARGE: past the reader's depth or values */
		FUZZ_CHECK((st == PA_ERR_PARSE || st == PA_ERR_TOO_LARGE) &&
		           err.line >= 1 && err.column >= 1);
		return;
	}
	write_tree(&one, v);
	FUZZ_CHECK(valid_document(one.ptr, one.len));
	FUZZ_CHECK(Pa_json_parse(one.ptr, one.len, "again.json", &again, &err) == PA_OK);
	write_tree(&two, again);
	FUZZ_CHECK(one.len == two.len && !memcmp(one.ptr, two.ptr, one.len));
	Pa_jnode_free(v);
	Pa_jnode_free(again);
	pa_buf_release(&one);
	pa_buf_release(&two);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *rest = (const char *)data + 1;
	size_t n = size ? size - 1 : 0;

	static int tested;

	if (!tested++)
		self_test();
	if (size == 0)
		return 0;
	if (data[0] == 1) {
		check_string(rest, n);
	} else if (data[0] == 3) {
		check_reader(rest, n);
	} else if (data[0] == 2) {
		pa_buf text = PA_BUF_INIT;
		pa_buf_puts(&text, "---\nname: fuzz\ndescription: a \"fuzzed\" agent\n");
		pa_buf_put(&text, rest, n);
		pa_buf_puts(&text, "\n---\nBody.\n");
		check_agent(text.ptr, text.len);
		pa_buf_release(&text);
	} else {
		check_agent((const char *)data, size);
	}
	return 0;
}
