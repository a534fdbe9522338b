/* test_jsonwrite.c - the one JSON writer (src/util/json.c): its layouts,
 * the version stamped once, any key or value bytes, and nesting deeper
 * than it lays out, each read back by the strict reader. */
#include "unit.h"
#include "promptasm.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* out reads back as JSON. */
static int reads(const pa_buf *out)
{
	Pa_jnode *v = NULL;
	pa_status st = Pa_json_parse(out->ptr, out->len, "w.json", &v, NULL);

	Pa_jnode_free(v);
	return st == PA_OK;
}

static void test_layout(void)
{
	pa_buf out = PA_BUF_INIT;
	char want[200];
	Pa_jw w;

	Pa_jw_report(&w, &out);
	Pa_jw_str(&w, "tokenizer", "o200k_base");
	Pa_jw_array(&w, "files", PA_JW_LINES);
	Pa_jw_object(&w, NULL, PA_JW_INLINE);
	Pa_jw_str(&w, "path", "a.md");
	Pa_jw_uint(&w, "tokens", 3);
	Pa_jw_break(&w);
	Pa_jw_array(&w, "ids", PA_JW_INLINE);
	Pa_jw_uint(&w, NULL, 1);
	Pa_jw_uint(&w, NULL, 2);
	Pa_jw_end(&w);
	Pa_jw_end(&w);
	Pa_jw_end(&w);
	Pa_jw_array(&w, "none", PA_JW_LINES);
	Pa_jw_end(&w);
	Pa_jw_null(&w, "budget");
	Pa_jw_real(&w, "share", 4, 1, 0.25);
	Pa_jw_real(&w, "bad", 4, 0, 1.0 / 0.0);
	Pa_jw_finish(&w);
	snprintf(want, sizeof(want),
	         "{\n  \"version\": %d,\n  \"tokenizer\": \"o200k_base\",\n"
	         "  \"files\": [\n    {\"path\": \"a.md\", \"tokens\": 3,\n"
	         "      \"ids\": [1, 2]}\n  ],\n  \"none\": [],\n  \"budget\": null,\n"
	         "  \"share\": 0.2500,\n  \"bad\": null\n}\n", PA_JSON_VERSION);
	CHECK_EQ_STR(out.ptr, want);
	CHECK(reads(&out));
	pa_buf_release(&out);
}

static void test_bytes(void)
{
	static const char key[] = "a\"b\n\xff";
	static const char val[] = "x\0y\x1b]0;\xe2\x80\xae##[";
	pa_buf out = PA_BUF_INIT;
	Pa_jnode *v = NULL;
	Pa_jw w;

	Pa_jw_init(&w, &out, 0);
	Pa_jw_object(&w, NULL, PA_JW_INLINE);
	Pa_jw_key(&w, key, sizeof(key) - 1);
	Pa_jw_strn(&w, NULL, val, sizeof(val) - 1);
	Pa_jw_finish(&w);
	CHECK(strstr(out.ptr, "\\u202e") && strstr(out.ptr, "##\\u005b") &&
	      strstr(out.ptr, "\\u0000") && strstr(out.ptr, "\\u001b"));
	CHECK_EQ_INT(Pa_json_parse(out.ptr, out.len, "w.json", &v, NULL), PA_OK);
	CHECK(v && v->type == PA_JSON_OBJECT && v->n == 1 &&
	      v->key_lens[0] == 7 && !memcmp(v->keys[0], "a\"b\n\xef\xbf\xbd", 7));
	CHECK(v && v->n == 1 && v->items[0]->len == sizeof(val) - 1 &&
	      !memcmp(v->items[0]->text, val, sizeof(val) - 1));
	Pa_jnode_free(v);
	pa_buf_release(&out);
}

/* Deeper than PA_JW_MAX_DEPTH: still JSON, every bracket closed. */
static void test_deep(void)
{
	pa_buf out = PA_BUF_INIT;
	Pa_jw w;
	int i;

	Pa_jw_init(&w, &out, 0);
	for (i = 0; i < PA_JW_MAX_DEPTH + 20; i++)
		Pa_jw_array(&w, NULL, i % 2 ? PA_JW_LINES : PA_JW_INLINE);
	Pa_jw_uint(&w, NULL, 7);
	Pa_jw_finish(&w);
	CHECK(reads(&out));
	pa_buf_release(&out);
}

int main(void)
{
	RUN(test_layout);
	RUN(test_bytes);
	RUN(test_deep);
	return pa_test_summary();
}
