/* test_jsonread.c - the JSON reader (src/util/jsonread.c): values,
 * surrogate pairs, limits, and where an error is. */
#include "unit.h"
#include "promptasm.h"
#include "util.h"

#include <string.h>

static void test_values(void)
{
	static const char doc[] =
		"\xEF\xBB\xBF{\"a\": [1, -0.5e+3, true, false, null],\n"
		" \"s\": \"caf\\u00e9 \\ud83d\\ude00\\/\\n\", \"\": {}, \"z\\u0000\": 0}";
	Pa_jnode *v = NULL;
	const Pa_jnode *a, *s;
	pa_error err;

	CHECK_EQ_INT(Pa_json_parse(doc, sizeof(doc) - 1, "d.json", &v, &err), PA_OK);
	CHECK(v && v->type == PA_JSON_OBJECT && v->n == 4);
	a = Pa_jnode_get(v, "a");
	CHECK(a && a->type == PA_JSON_ARRAY && a->n == 5);
	if (a && a->n == 5) {
		CHECK_EQ_STR(a->items[1]->text, "-0.5e+3");
		CHECK(a->items[2]->type == PA_JSON_TRUE && a->items[4]->type == PA_JSON_NULL);
	}
	s = Pa_jnode_get(v, "s");
	CHECK_EQ_STR(s ? s->text : NULL, "caf\xc3\xa9 \xf0\x9f\x98\x80/\n");
	CHECK(s && s->line == 2 && s->column == 7);
	CHECK(v && v->n == 4 && v->key_lens[3] == 2 && !memcmp(v->keys[3], "z", 2));
	CHECK(Pa_jnode_get(v, "b") == NULL && Pa_jnode_get(a, "a") == NULL);
	Pa_jnode_free(v);
	Pa_jnode_free(NULL);
}

/* A name given twice is one member, as JSON.parse makes it: the last
 * value at the first one's place; "z\0" is not "z". */
static void test_twice_named(void)
{
	static const char doc[] =
		"{\"a\": 1, \"b\": 2, \"a\": [3], \"z\": 4, \"z\\u0000\": 5, \"a\": 6,"
		" \"o\": {\"x\": 1, \"x\": 2}}";
	Pa_jnode *v = NULL;
	const Pa_jnode *o;
	pa_error err;

	CHECK_EQ_INT(Pa_json_parse(doc, sizeof(doc) - 1, "d.json", &v, &err), PA_OK);
	CHECK(v && v->n == 5);
	if (v && v->n == 5) {
		CHECK(v->key_lens[0] == 1 && v->keys[0][0] == 'a');
		CHECK_EQ_STR(v->items[0]->text, "6");
		CHECK(v->key_lens[1] == 1 && v->keys[1][0] == 'b');
		CHECK(v->key_lens[2] == 1 && v->keys[2][0] == 'z');
		CHECK_EQ_STR(v->items[2]->text, "4");
		CHECK(v->key_lens[3] == 2 && !memcmp(v->keys[3], "z", 2));
	}
	o = Pa_jnode_get(v, "o");
	CHECK(o && o->n == 1);
	CHECK_EQ_STR(o && o->n ? o->items[0]->text : NULL, "2");
	Pa_jnode_free(v);
}

static void test_errors(void)
{
	static const struct {
		const char *text;
		long line, column;
	} cases[] = {
		{ "{\"a\": 1,}", 1, 9 },
		{ "[1,\n 2 3]", 2, 4 },
		{ "\"\\ud83d\"", 1, 2 },
		{ "\"\\ude00\"", 1, 2 },
		{ "\"\xc3\xa9\\x\"", 1, 3 },
		{ "[01]", 1, 3 },
		{ "1.", 1, 3 },
		{ "\"a\nb\"", 1, 3 },
		{ "\"\xff\"", 1, 2 },
		{ "{} {}", 1, 4 },
		{ "", 1, 1 },
		{ "tru", 1, 1 },
		{ "NaN", 1, 1 },
		{ "version: 1", 1, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		Pa_jnode *v = NULL;
		pa_error err;

		CHECK_EQ_INT(Pa_json_parse(cases[i].text, strlen(cases[i].text), "e.json",
		                           &v, &err), PA_ERR_PARSE);
		CHECK(v == NULL);
		CHECK_EQ_INT(err.line, cases[i].line);
		CHECK_EQ_INT(err.column, cases[i].column);
	}
}

/* PA_JSON_UNIQUE_KEYS: a key twice in one object is refused at the
 * second (line and column of its quote), in any object at any depth; the
 * same key in two objects, or differing by a byte after U+0000, is not a
 * repeat.  Without the flag the first is read. */
static void test_unique_keys(void)
{
	static const struct { const char *text; long line, column; } bad[] = {
		{ "{\"a\": 1, \"a\": 2}", 1, 10 },
		{ "{\"x\": [{\"b\": 1},\n  {\"é\": 1, \"é\": 1}]}", 2, 12 },
		{ "{\"\\u0061\": 1, \"a\": 2}", 1, 15 },
	};
	const char *ok = "{\"a\": {\"a\": 1}, \"b\": [{\"a\": 1}, {\"a\": 2}], "
	                 "\"n\\u0000x\": 1, \"n\\u0000y\": 2}";
	Pa_jnode *root;
	pa_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		root = NULL;
		CHECK_EQ_INT(Pa_json_parse_flags(bad[i].text, strlen(bad[i].text), "b.json",
		                                 PA_JSON_UNIQUE_KEYS, &root, &err),
		             PA_ERR_PARSE);
		CHECK(root == NULL);
		CHECK(strstr(err.message, "duplicate key") != NULL);
		CHECK_EQ_STR(err.file, "b.json");
		CHECK_EQ_INT(err.line, bad[i].line);
		CHECK_EQ_INT(err.column, bad[i].column);
		CHECK_EQ_INT(Pa_json_parse(bad[i].text, strlen(bad[i].text), "b.json",
		                           &root, &err), PA_OK);
		Pa_jnode_free(root);
	}
	CHECK_EQ_INT(Pa_json_parse_flags(ok, strlen(ok), "b.json", PA_JSON_UNIQUE_KEYS,
	                                 &root, &err), PA_OK);
	Pa_jnode_free(root);
}

static void test_limits(void)
{
	pa_buf doc = PA_BUF_INIT;
	Pa_jnode *v = NULL;
	pa_error err;
	size_t i;

	for (i = 0; i < PA_JSON_MAX_DEPTH; i++)
		pa_buf_putc(&doc, '[');
	for (i = 0; i < PA_JSON_MAX_DEPTH; i++)
		pa_buf_putc(&doc, ']');
	CHECK_EQ_INT(Pa_json_parse(doc.ptr, doc.len, "d.json", &v, &err), PA_OK);
	Pa_jnode_free(v);
	pa_buf_reset(&doc);
	for (i = 0; i <= PA_JSON_MAX_DEPTH; i++)
		pa_buf_putc(&doc, '[');
	CHECK_EQ_INT(Pa_json_parse(doc.ptr, doc.len, "d.json", &v, &err), PA_ERR_TOO_LARGE);
	CHECK(v == NULL);
	pa_buf_reset(&doc);
	pa_buf_putc(&doc, '[');
	for (i = 0; i < PA_JSON_MAX_VALUES; i++)
		pa_buf_puts(&doc, "0,");
	pa_buf_puts(&doc, "0]");
	CHECK_EQ_INT(Pa_json_parse(doc.ptr, doc.len, "d.json", &v, &err), PA_ERR_TOO_LARGE);
	CHECK(v == NULL);
	/* a store its program lets grow (~/.claude.json) takes more */
	CHECK_EQ_INT(Pa_json_parse_flags(doc.ptr, doc.len, "d.json", PA_JSON_MANY_VALUES,
	                                 &v, &err), PA_OK);
	CHECK(v && v->n == PA_JSON_MAX_VALUES + 1);
	Pa_jnode_free(v);
	pa_buf_release(&doc);
}

int main(void)
{
	RUN(test_values);
	RUN(test_twice_named);
	RUN(test_errors);
	RUN(test_unique_keys);
	RUN(test_limits);
	return pa_test_summary();
}
