/* test_tokdata.c - tokenizer data that is damaged or hostile: manifests
 * with repeated keys or ids out of range, rank files with huge ranks. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "promptasm.h"
#include "manifest.h"
#include "ranktable.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/promptasm-tokdata-XXXXXX";

static void write_file(const char *name, const char *text, size_t len)
{
	pa_buf path = PA_BUF_INIT;
	pa_error err;

	pa_buf_printf(&path, "%s/%s", tmpdir, name);
	CHECK_EQ_INT(pa_file_write_atomic(path.ptr, text, len, &err), PA_OK);
	pa_buf_release(&path);
}

static void remove_file(const char *name)
{
	pa_buf path = PA_BUF_INIT;

	pa_buf_printf(&path, "%s/%s", tmpdir, name);
	unlink(path.ptr);
	pa_buf_release(&path);
}

/* The rank file of the 256 bytes alone, then the lines of extra; its
 * SHA-256 goes to sha. */
static void write_ranks(const char *name, const char *extra, char sha[65])
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	pa_buf ranks = PA_BUF_INIT;
	int b;

	for (b = 0; b < 256; b++)
		pa_buf_printf(&ranks, "%c%c== %d\n", b64[b >> 2], b64[(b & 3) << 4], b);
	pa_buf_puts(&ranks, extra);
	pa_sha256_hex(ranks.ptr, ranks.len, sha);
	write_file(name, ranks.ptr, ranks.len);
	pa_buf_release(&ranks);
}

/* Writes tokenizer `name` of tmpdir: byte ranks plus extra_ranks, and a
 * manifest of the usual keys followed by tail. */
static void write_tokenizer(const char *name, const char *extra_ranks,
                            const char *tail)
{
	pa_buf file = PA_BUF_INIT, yaml = PA_BUF_INIT;
	char sha[65];

	pa_buf_printf(&file, "%s.tiktoken", name);
	write_ranks(file.ptr, extra_ranks, sha);
	pa_buf_printf(&yaml, "name: %s\nranks: %s.tiktoken\nsha256: %s\n"
	              "pattern: '\\S+|\\s+'\n%s", name, name, sha, tail);
	pa_buf_reset(&file);
	pa_buf_printf(&file, "%s.yaml", name);
	write_file(file.ptr, yaml.ptr, yaml.len);
	pa_buf_release(&file);
	pa_buf_release(&yaml);
}

static void remove_tokenizer(const char *name)
{
	pa_buf file = PA_BUF_INIT;

	pa_buf_printf(&file, "%s.yaml", name);
	remove_file(file.ptr);
	pa_buf_reset(&file);
	pa_buf_printf(&file, "%s.tiktoken", name);
	remove_file(file.ptr);
	pa_buf_reset(&file);
	pa_buf_printf(&file, "%s.patab", name);
	remove_file(file.ptr);
	pa_buf_release(&file);
}

/* Loading tokenizer `name` fails with status st, the message want, at
 * line:column of file `where` (a file name in tmpdir). */
static void check_load_fails(const char *name, pa_status st, const char *where,
                             long line, long column, const char *want)
{
	pa_tokenizer *tok = NULL;
	pa_buf path = PA_BUF_INIT;
	pa_error err;

	memset(&err, 0, sizeof(err));
	pa_buf_printf(&path, "%s/%s", tmpdir, where);
	CHECK_EQ_INT(pa_tokenizer_load(name, tmpdir, &tok, &err), st);
	CHECK(tok == NULL);
	CHECK_EQ_STR(err.message, want);
	CHECK_EQ_STR(err.file, path.ptr);
	CHECK_EQ_INT(err.line, line);
	CHECK_EQ_INT(err.column, column);
	pa_tokenizer_free(tok);
	pa_buf_release(&path);
}

static void check_loads(const char *name)
{
	pa_tokenizer *tok = NULL;
	pa_error err;
	size_t n = 0;

	CHECK_EQ_INT(pa_tokenizer_load(name, tmpdir, &tok, &err), PA_OK);
	if (tok) {
		CHECK_EQ_INT(pa_tokenizer_count(tok, "ab cd", 5, &n, &err), PA_OK);
		CHECK_EQ_INT(n, 5);
	}
	pa_tokenizer_free(tok);
}

/* A key given twice is an error at the second one, for every kind of
 * value: before, a second `special_tokens` or list wrote past the end of
 * the array the first one sized. */
static void test_repeated_keys(void)
{
	write_tokenizer("specials", "",
	                "special_tokens:\n  \"<a>\": 300\n  \"<b>\": 301\n"
	                "special_tokens:\n  \"<c>\": 302\n");
	check_load_fails("specials", PA_ERR_PARSE, "specials.yaml", 8, 1,
	                 "`special_tokens` is given twice in the tokenizer "
	                 "manifest (first at line 5)");
	write_tokenizer("models", "", "models: [a, b]\nmodels: [c]\n");
	check_load_fails("models", PA_ERR_PARSE, "models.yaml", 6, 1,
	                 "`models` is given twice in the tokenizer manifest "
	                 "(first at line 5)");
	write_tokenizer("prefixes", "",
	                "model_prefixes: [a-]\nexact_models: [x]\n"
	                "model_prefixes: [b-, c-, d-]\n");
	check_load_fails("prefixes", PA_ERR_PARSE, "prefixes.yaml", 7, 1,
	                 "`model_prefixes` is given twice in the tokenizer "
	                 "manifest (first at line 5)");
	write_tokenizer("exact", "", "exact_models: [x]\nexact_models: [y, z]\n");
	check_load_fails("exact", PA_ERR_PARSE, "exact.yaml", 6, 1,
	                 "`exact_models` is given twice in the tokenizer "
	                 "manifest (first at line 5)");
	write_tokenizer("scalar", "", "pattern: '.'\n");
	check_load_fails("scalar", PA_ERR_PARSE, "scalar.yaml", 5, 1,
	                 "`pattern` is given twice in the tokenizer manifest "
	                 "(first at line 4)");
	/* The same keys once each are fine. */
	write_tokenizer("once", "",
	                "special_tokens:\n  \"<a>\": 300\nmodels: [a, b]\n"
	                "model_prefixes: [a-]\nexact_models: [x]\n");
	check_loads("once");
	remove_tokenizer("specials");
	remove_tokenizer("models");
	remove_tokenizer("prefixes");
	remove_tokenizer("exact");
	remove_tokenizer("scalar");
	remove_tokenizer("once");
}

/* Special token ids: in range, each given once, none an ordinary token. */
static void test_special_ids(void)
{
	pa_tokenizer *tok = NULL;
	pa_error err;
	uint32_t *ids = NULL;
	size_t n = 0;

	write_tokenizer("huge", "", "special_tokens:\n  \"<a>\": 3000000000\n"
	                "specials_in_text: true\n");
	check_load_fails("huge", PA_ERR_PARSE, "huge.yaml", 6, 10,
	                 "special token id 3000000000 is too large (ids are below "
	                 "16777216)");
	write_tokenizer("huge2", "", "special_tokens:\n  \"<a>\": 99999999999999999999999\n");
	check_load_fails("huge2", PA_ERR_PARSE, "huge2.yaml", 6, 10,
	                 "special token id 99999999999999999999999 is too large "
	                 "(ids are below 16777216)");
	write_tokenizer("twice", "", "special_tokens:\n  \"<a>\": 300\n  \"<a>\": 301\n");
	check_load_fails("twice", PA_ERR_PARSE, "twice.yaml", 7, 3,
	                 "special token `<a>` is given twice");
	write_tokenizer("sameid", "", "special_tokens:\n  \"<a>\": 300\n  \"<b>\": 300\n");
	check_load_fails("sameid", PA_ERR_PARSE, "sameid.yaml", 7, 10,
	                 "special token id 300 is also the id of `<a>`");
	write_tokenizer("ordinary", "", "special_tokens:\n  \"<a>\": 97\n");
	check_load_fails("ordinary", PA_ERR_PARSE, "ordinary.yaml", 0, 0,
	                 "special token id 97 is also an ordinary token");
	/* The largest id allowed works, beyond the ranks, and decodes. */
	write_tokenizer("top", "", "special_tokens:\n  \"<a>\": 16777215\n"
	                "specials_in_text: true\n");
	CHECK_EQ_INT(pa_tokenizer_load("top", tmpdir, &tok, &err), PA_OK);
	if (tok) {
		const char *text;
		size_t len;

		CHECK_EQ_INT(pa_tokenizer_encode(tok, "x<a>", 4, &ids, &n, &err), PA_OK);
		CHECK_EQ_INT(n, 2);
		if (n == 2)
			CHECK_EQ_INT(ids[1], 16777215);
		text = pa_tokenizer_token(tok, 16777215, &len);
		CHECK(text && len == 3 && !memcmp(text, "<a>", 3));
		CHECK(pa_tokenizer_token(tok, 16777214, &len) == NULL);
		CHECK(pa_tokenizer_token(tok, UINT32_MAX, &len) == NULL);
		pa_free(ids);
	}
	pa_tokenizer_free(tok);
	remove_tokenizer("huge");
	remove_tokenizer("huge2");
	remove_tokenizer("twice");
	remove_tokenizer("sameid");
	remove_tokenizer("ordinary");
	remove_tokenizer("top");
}

/* A rank beyond PA_RANK_LIMIT is refused, not allocated for. */
static void test_rank_limit(void)
{
	static const char last[] = "YWI= 16777215\n", over[] = "YWI= 16777216\n";
	pa_ranktable t;
	pa_error err;

	write_tokenizer("bigrank", "YWI= 4000000000\n", "");
	check_load_fails("bigrank", PA_ERR_PARSE, "bigrank.tiktoken", 257, 0,
	                 "rank too large (ranks are below 16777216)");
	remove_tokenizer("bigrank");
	CHECK_EQ_INT(pa_ranktable_parse(last, sizeof(last) - 1, "x", &t, &err), PA_OK);
	CHECK_EQ_INT(t.n_ids, 16777216);
	pa_ranktable_release(&t);
	CHECK_EQ_INT(pa_ranktable_parse(over, sizeof(over) - 1, "x", &t, &err),
	             PA_ERR_PARSE);
	CHECK_EQ_STR(err.message, "rank too large (ranks are below 16777216)");
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_repeated_keys);
	RUN(test_special_ids);
	RUN(test_rank_limit);
	CHECK_EQ_INT(rmdir(tmpdir), 0);
	return pa_test_summary();
}
