/* fuzz_toml.c - libFuzzer target: the TOML reader of Codex's config.toml
 * (src/discover/toml.c, Pa_hx_toml_parse), the whole input as a file.
 *
 * Oracles:
 *  - the same bytes give the same answer twice (status, error position,
 *    the keys given to the caller);
 *  - a file it refuses names the file, a line and a column in it (a
 *    refusal of bytes that are not UTF-8 names the byte);
 *  - on success, every key of the top table reaches the caller once
 *    (TOML defines a key once), with a line and column inside the file;
 *  - a string value holds what it says (its length is a C string's, or
 *    it held a NUL escape), an array's strings are all there. */
#define _GNU_SOURCE
#include "fuzz.h"

#include "discover.h"
#include "util.h"

typedef struct seen {
	Pa_strset keys;
	size_t calls;
	long lines;   /* of the input */
	int dup;
	int bad_pos;
	unsigned long sum; /* of what the caller was given, to compare runs */
} seen;

static void cb(void *ctx, const char *key, const hx_toml_value *v)
{
	seen *s = ctx;
	size_t i;

	s->calls++;
	if (!Pa_strset_add(&s->keys, key, strlen(key)))
		s->dup = 1;
	if (v->line < 1 || v->line > s->lines || v->column < 1)
		s->bad_pos = 1;
	s->sum = s->sum * 31 + (unsigned long)v->type + strlen(key);
	if (v->type == HX_TOML_STRING) {
		FUZZ_CHECK(v->str != NULL);
		s->sum = s->sum * 31 + strlen(v->str);
	}
	if (v->type == HX_TOML_ARRAY && v->strs)
		for (i = 0; i < v->n; i++)
			FUZZ_CHECK(v->strs[i] != NULL);
}

static pa_status run(const char *text, size_t len, seen *s, pa_error *err)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->lines = 1;
	for (i = 0; i < len; i++)
		s->lines += text[i] == '\n';
	memset(err, 0, sizeof(*err));
	return Pa_hx_toml_parse(text, len, "config.toml", cb, s, err);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	seen a, b;
	pa_error ea, eb;
	pa_status sa, sb;

	sa = run((const char *)data, size, &a, &ea);
	sb = run((const char *)data, size, &b, &eb);
	FUZZ_CHECK(sa == sb);
	FUZZ_CHECK(a.calls == b.calls && a.sum == b.sum);
	if (sa == PA_OK) {
		/* a key with a NUL escape reaches the caller cut at it */
		FUZZ_CHECK(!a.dup || memmem(data, size, "\\u0000", 6) ||
		           memmem(data, size, "\\U00000000", 10));
		FUZZ_CHECK(!a.bad_pos);
	} else if (sa == PA_ERR_PARSE) {
		FUZZ_CHECK(!strcmp(ea.file, "config.toml"));
		FUZZ_CHECK(ea.line >= 1 && ea.line <= a.lines);
		FUZZ_CHECK(ea.column >= 1);
		FUZZ_CHECK(ea.line == eb.line && ea.column == eb.column);
	} else {
		FUZZ_CHECK(sa == PA_ERR_UTF8);
	}
	Pa_strset_release(&a.keys);
	Pa_strset_release(&b.keys);
	return 0;
}
