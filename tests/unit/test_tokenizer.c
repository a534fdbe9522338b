/* test_tokenizer.c - the tokenizer through the public API: published
 * vectors, round trips, empty and invalid input, long pieces, the
 * agreement of the quadratic and heap merges, and a manifest whose pattern
 * hits PCRE2's match limit. */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "promptasm.h"
#include "util.h"
#include "bpe.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

static pa_tokenizer *load(const char *name)
{
	pa_tokenizer *tok = NULL;
	pa_error err;

	if (pa_tokenizer_load(name, NULL, &tok, &err) != PA_OK) {
		fprintf(stderr, "cannot load %s: %s\n", name, err.message);
		return NULL;
	}
	return tok;
}

/* The ids of text as "1 2 3". */
static char *ids_of(pa_tokenizer *tok, const char *text)
{
	uint32_t *ids = NULL;
	size_t n = 0, i;
	pa_buf out = PA_BUF_INIT;
	pa_error err;

	if (pa_tokenizer_encode(tok, text, strlen(text), &ids, &n, &err) != PA_OK)
		return pa_buf_detach(&out, NULL);
	for (i = 0; i < n; i++)
		pa_buf_printf(&out, i ? " %u" : "%u", ids[i]);
	pa_free(ids);
	return pa_buf_detach(&out, NULL);
}

static void check_ids(const char *name, const char *text, const char *want)
{
	pa_tokenizer *tok = load(name);
	char *got;

	CHECK(tok != NULL);
	if (!tok)
		return;
	got = ids_of(tok, text);
	CHECK_EQ_STR(got, want);
	pa_free(got);
	pa_tokenizer_free(tok);
}

static void test_published_vectors(void)
{
	/* tiktoken's own README and test suite. */
	check_ids("cl100k_base", "hello world", "15339 1917");
	check_ids("o200k_base", "hello world", "24912 2375");
	check_ids("cl100k_base", "", "");
	/* Special-token text is ordinary text for the OpenAI encodings. */
	check_ids("cl100k_base", "<|endoftext|>", "27 91 8862 728 428 91 29");
}

static void roundtrip(pa_tokenizer *tok, const char *text, size_t len)
{
	uint32_t *ids = NULL;
	size_t n = 0, count = 0;
	pa_buf back = PA_BUF_INIT;
	pa_error err;

	CHECK_EQ_INT(pa_tokenizer_encode(tok, text, len, &ids, &n, &err), PA_OK);
	CHECK_EQ_INT(pa_tokenizer_count(tok, text, len, &count, &err), PA_OK);
	CHECK_EQ_INT(count, n);
	CHECK_EQ_INT(pa_tokenizer_decode(tok, ids, n, &back, &err), PA_OK);
	CHECK(back.len == len && memcmp(back.ptr, text, len) == 0);
	pa_free(ids);
	pa_buf_release(&back);
}

static int nfkc_stable(const char *text)
{
	utf8proc_uint8_t *norm = utf8proc_NFKC((const utf8proc_uint8_t *)text);
	int same = norm && strcmp((const char *)norm, text) == 0;
	free(norm);
	return same;
}

static void test_roundtrip(void)
{
	static const char *texts[] = {
		"",
		"hello world",
		"  leading and trailing  \n\n",
		"Ünïcödé, 日本語のテキスト, עברית, русский, ελληνικά, हिन्दी",
		"emoji 👩‍👩‍👧‍👦 🇫🇷 👍🏽 and combining e\xcc\x81\xcc\x82",
		"code:\n\tint main(void) { return 0; }\r\n// it's done\n",
		"12345678901234567890 ١٢٣٤ ½ Ⅻ",
		"they're we'll I'd you've SHE'S 'll",
		"\xc2\xa0\xe2\x80\x83\xe3\x80\x80 spaces\xe2\x80\xa8line",
	};
	static const char *names[] = { "cl100k_base", "o200k_base", "claude" };
	size_t i, j;

	for (j = 0; j < 3; j++) {
		pa_tokenizer *tok = load(names[j]);
		CHECK(tok != NULL);
		if (!tok)
			continue;
		for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
			/* claude encodes the NFKC form, so only NFKC-stable
			 * text comes back as it was. */
			if (j == 2 && !nfkc_stable(texts[i]))
				continue;
			roundtrip(tok, texts[i], strlen(texts[i]));
		}
		/* NUL bytes are text too. */
		roundtrip(tok, "a\0b\0\0c", 6);
		pa_tokenizer_free(tok);
	}
}

static void test_invalid_utf8(void)
{
	pa_tokenizer *tok = load("o200k_base");
	static const char bad[] = "valid \xe2\x82 then bad";
	size_t count = 99;
	uint32_t *ids = NULL;
	size_t n = 0;
	pa_error err;

	CHECK(tok != NULL);
	if (!tok)
		return;
	CHECK_EQ_INT(pa_tokenizer_count(tok, bad, sizeof(bad) - 1, &count, &err),
	             PA_ERR_UTF8);
	CHECK_EQ_INT(err.offset, 6);
	CHECK_EQ_INT(pa_tokenizer_encode(tok, bad, sizeof(bad) - 1, &ids, &n, &err),
	             PA_ERR_UTF8);
	CHECK(ids == NULL && n == 0);
	/* Surrogates and overlong forms are not UTF-8 either. */
	CHECK_EQ_INT(pa_tokenizer_count(tok, "\xed\xa0\x80", 3, &count, &err), PA_ERR_UTF8);
	CHECK_EQ_INT(pa_tokenizer_count(tok, "\xc0\xaf", 2, &count, &err), PA_ERR_UTF8);
	pa_tokenizer_free(tok);
}

static void test_lossy(void)
{
	pa_buf out = PA_BUF_INIT;

	pa_utf8_lossy("a\xe2\x82" "b\xff", 5, &out);
	CHECK_EQ_STR(out.ptr, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	CHECK(pa_utf8_valid(out.ptr, out.len, NULL));
	pa_buf_release(&out);
}

/* The decoder of the WHATWG Encoding Standard, byte by byte: U+FFFD for
 * each maximal subpart of an ill-formed sequence, as pa_utf8_lossy()
 * promises, written as that standard's state machine (a byte that does
 * not continue a sequence ends it and is looked at again). */
static void whatwg_lossy(const unsigned char *s, size_t len, pa_buf *out)
{
	size_t i = 0, start = 0;
	unsigned needed = 0, seen = 0, lower = 0x80, upper = 0xBF;
	int ok;

	while (i < len) {
		unsigned b = s[i];

		if (needed == 0) {
			start = i++;
			if (b <= 0x7F)
				pa_buf_put(out, s + start, 1);
			else if (b >= 0xC2 && b <= 0xDF)
				needed = 1;
			else if (b >= 0xE0 && b <= 0xEF) {
				needed = 2;
				lower = b == 0xE0 ? 0xA0 : 0x80;
				upper = b == 0xED ? 0x9F : 0xBF;
			} else if (b >= 0xF0 && b <= 0xF4) {
				needed = 3;
				lower = b == 0xF0 ? 0x90 : 0x80;
				upper = b == 0xF4 ? 0x8F : 0xBF;
			} else
				pa_buf_puts(out, "\xEF\xBF\xBD");
			continue;
		}
		ok = b >= lower && b <= upper;
		lower = 0x80;
		upper = 0xBF;
		if (!ok) {
			needed = seen = 0;
			pa_buf_puts(out, "\xEF\xBF\xBD");
			continue; /* b again, as a first byte */
		}
		i++;
		if (++seen == needed) {
			pa_buf_put(out, s + start, i - start);
			needed = seen = 0;
		}
	}
	if (needed)
		pa_buf_puts(out, "\xEF\xBF\xBD");
}

/* Random texts of the bytes where UTF-8's rules change, each appended to
 * a buffer that has text already (so that it grows part way), against the
 * standard's decoder. */
static void test_lossy_random(void)
{
	static const unsigned char pick[] = {
		'a', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1,
		0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF1, 0xF4, 0xF5, 0xFF
	};
	unsigned char text[48];
	uint64_t x = 0x9E3779B97F4A7C15ull;
	int round, bad = 0;

	for (round = 0; round < 20000; round++) {
		pa_buf got = PA_BUF_INIT, want = PA_BUF_INIT;
		size_t len, i;

		x = x * 6364136223846793005ull + 1442695040888963407ull;
		len = (size_t)(x >> 33) % sizeof(text);
		for (i = 0; i < len; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			text[i] = pick[(x >> 33) % sizeof(pick)];
		}
		pa_buf_puts(&got, "prefix ");
		pa_buf_puts(&want, "prefix ");
		pa_utf8_lossy((const char *)text, len, &got);
		whatwg_lossy(text, len, &want);
		if (got.len != want.len || memcmp(got.ptr, want.ptr, got.len) != 0 ||
		    got.ptr[got.len] != '\0' || !pa_utf8_valid(got.ptr, got.len, NULL)) {
			if (bad++ == 0) {
				fprintf(stderr, "lossy: first text that differs:");
				for (i = 0; i < len; i++)
					fprintf(stderr, " %02x", text[i]);
				fprintf(stderr, "\n");
			}
		}
		pa_buf_release(&got);
		pa_buf_release(&want);
	}
	CHECK_EQ_INT(bad, 0);
}

static void test_decode_unknown_id(void)
{
	pa_tokenizer *tok = load("cl100k_base");
	uint32_t ids[] = { 15339, 4000000000u };
	pa_buf out = PA_BUF_INIT;
	pa_error err;

	CHECK(tok != NULL);
	if (!tok)
		return;
	CHECK_EQ_INT(pa_tokenizer_decode(tok, ids, 2, &out, &err), PA_ERR_INVALID);
	pa_buf_release(&out);
	pa_tokenizer_free(tok);
}

/* A 1 MB piece goes through the heap merge; its ids must decode back and
 * agree with the count, and the heap must agree with the linear scan. */
static void test_long_piece(void)
{
	pa_tokenizer *tok = load("o200k_base");
	size_t len = 1 << 20, i;
	char *text = malloc(len);
	uint32_t seed = 12345;

	CHECK(tok != NULL);
	if (!tok) {
		free(text);
		return;
	}
	memset(text, 'a', len);
	roundtrip(tok, text, len);
	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		text[i] = (char)('a' + (seed >> 16) % 26);
	}
	roundtrip(tok, text, len);
	free(text);
	pa_tokenizer_free(tok);
}

/* A hash of x (murmur3's finalizer). */
static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

/* A long text of words that come back, many of several tokens, so that
 * the memo of merged pieces fills, hits and has lines replaced, and the
 * merge tables take over from the scan: its ids are those of each word
 * encoded alone (a short text: the scan, no memo), and its count their
 * number. */
static void test_repeated_words(void)
{
	static const char *const names[] = { "cl100k_base", "o200k_base", "claude" };
	static const char *const letters[] = {
		"a", "b", "e", "q", "z", "\xc3\xa9", "\xd0\xb6", "\xd1\x8b",
	};
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		pa_tokenizer *tok = load(names[k]);
		pa_buf text = PA_BUF_INIT, word = PA_BUF_INIT;
		uint32_t *want = NULL, *got = NULL, seed = 77u * (uint32_t)(k + 1);
		size_t n_want = 0, cap = 0, n_got = 0, count = 0, i;
		long mismatches = 0;
		pa_error err;

		CHECK(tok != NULL);
		if (!tok)
			continue;
		for (i = 0; i < 20000; i++) {
			uint32_t *ids;
			size_t n, j, len;

			/* Word w of 3,000, so that each comes back about 7
			 * times, its letters a hash of w. */
			uint32_t w = mix32(seed + (uint32_t)i) % 3000;

			len = 1 + w % 12;
			pa_buf_reset(&word);
			pa_buf_putc(&word, ' ');
			for (j = 0; j < len; j++)
				pa_buf_puts(&word, letters[mix32(w << 4 | (uint32_t)j) % 8]);
			pa_buf_put(&text, word.ptr, word.len);
			if (pa_tokenizer_encode(tok, word.ptr, word.len, &ids, &n, &err) != PA_OK) {
				mismatches++;
				continue;
			}
			if (n_want + n > cap) {
				cap = 2 * (n_want + n);
				want = realloc(want, cap * sizeof(uint32_t));
			}
			memcpy(want + n_want, ids, n * sizeof(uint32_t));
			n_want += n;
			pa_free(ids);
		}
		CHECK_EQ_INT(pa_tokenizer_encode(tok, text.ptr, text.len, &got, &n_got, &err), PA_OK);
		CHECK_EQ_INT(n_got, n_want);
		CHECK(n_got == n_want && memcmp(got, want, n_got * sizeof(uint32_t)) == 0);
		CHECK_EQ_INT(pa_tokenizer_count(tok, text.ptr, text.len, &count, &err), PA_OK);
		CHECK_EQ_INT(count, n_want);
		/* Again: a count now finds most words' counts near the core
		 * (the slots of counts beside the memo of tokens), and an
		 * encoding with ids after it must not take them for ids. */
		CHECK_EQ_INT(pa_tokenizer_count(tok, text.ptr, text.len, &count, &err), PA_OK);
		CHECK_EQ_INT(count, n_want);
		pa_free(got);
		got = NULL;
		CHECK_EQ_INT(pa_tokenizer_encode(tok, text.ptr, text.len, &got, &n_got, &err), PA_OK);
		CHECK(n_got == n_want && memcmp(got, want, n_got * sizeof(uint32_t)) == 0);
		CHECK_EQ_INT(mismatches, 0);
		pa_free(got);
		free(want);
		pa_buf_release(&text);
		pa_buf_release(&word);
		pa_tokenizer_free(tok);
	}
}

static void test_special_tokens_claude(void)
{
	pa_tokenizer *tok = load("claude");
	uint32_t *ids = NULL;
	size_t n = 0;
	pa_error err;

	CHECK(tok != NULL);
	if (!tok)
		return;
	/* claude recognizes its special tokens in text, as its package's
	 * encode(text, 'all') does. */
	CHECK_EQ_INT(pa_tokenizer_encode(tok, "<EOT>", 5, &ids, &n, &err), PA_OK);
	CHECK_EQ_INT(n, 1);
	CHECK(n == 1 && ids[0] == 0);
	pa_free(ids);
	CHECK(pa_tokenizer_is_estimate(tok, NULL));
	CHECK(pa_tokenizer_is_estimate(tok, "claude-sonnet-4-5"));
	CHECK(!pa_tokenizer_is_estimate(tok, "claude-2.1"));
	pa_tokenizer_free(tok);
}

static void test_models(void)
{
	static const struct {
		const char *model, *tokenizer;
	} cases[] = {
		{ "gpt-4o", "o200k_base" },
		{ "gpt-4o-mini-2024-07-18", "o200k_base" },
		{ "gpt-4.1", "o200k_base" },
		{ "gpt-5", "o200k_base" },
		{ "o3-mini", "o200k_base" },
		{ "gpt-4", "cl100k_base" },
		{ "gpt-4-0613", "cl100k_base" },
		{ "gpt-3.5-turbo", "cl100k_base" },
		{ "sonnet", "claude" },
		{ "claude-opus-4-1", "claude" },
		{ "qwen3-coder-plus", "qwen3" },
		{ "qwen3-max", "qwen3" },
		{ "qwen-plus", "qwen3" },
		{ "deepseek-chat", "deepseek_v3" },
		{ "deepseek-reasoner", "deepseek_v3" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pa_tokenizer *tok = NULL;
		pa_error err;
		pa_status st = pa_tokenizer_load_for_model(cases[i].model, NULL, &tok, &err);
		CHECK_EQ_INT(st, PA_OK);
		if (st == PA_OK)
			CHECK_EQ_STR(pa_tokenizer_name(tok), cases[i].tokenizer);
		pa_tokenizer_free(tok);
	}
	{
		pa_tokenizer *tok = NULL;
		pa_error err;
		CHECK_EQ_INT(pa_tokenizer_load_for_model("no-such-model", NULL, &tok, &err),
		             PA_ERR_NOT_FOUND);
		CHECK_EQ_INT(pa_tokenizer_load("../etc/passwd", NULL, &tok, &err),
		             PA_ERR_NOT_FOUND);
		CHECK(tok == NULL);
	}
}

/*
 * Writes dir/name.yaml and dir/name.tiktoken: a vocabulary of the 256
 * bytes alone and a pattern that backtracks without bound on a run of
 * `a`, then the manifest lines in tail.
 */
static void write_backtracking_tokenizer(const char *dir, const char *name,
                                         const char *tail)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	pa_buf ranks = PA_BUF_INIT, yaml = PA_BUF_INIT, path = PA_BUF_INIT;
	char sha[65];
	pa_error err;
	int b;

	for (b = 0; b < 256; b++)
		pa_buf_printf(&ranks, "%c%c== %d\n", b64[b >> 2], b64[(b & 3) << 4],
		              b);
	Pa_sha256_hex(ranks.ptr, ranks.len, sha);
	pa_buf_printf(&yaml, "name: %s\nranks: %s.tiktoken\nsha256: %s\n"
	              "pattern: '(a+)+b|\\s+|[^a]+'\n%s", name, name, sha, tail);
	pa_buf_printf(&path, "%s/%s.tiktoken", dir, name);
	CHECK_EQ_INT(pa_file_write_atomic(path.ptr, ranks.ptr, ranks.len, &err), PA_OK);
	pa_buf_reset(&path);
	pa_buf_printf(&path, "%s/%s.yaml", dir, name);
	CHECK_EQ_INT(pa_file_write_atomic(path.ptr, yaml.ptr, yaml.len, &err), PA_OK);
	pa_buf_release(&ranks);
	pa_buf_release(&yaml);
	pa_buf_release(&path);
}

/* Specials in text with different first bytes, one a prefix of another:
 * each is found at its place, the longest of those at one place, and a
 * byte that starts a special but is not one stays text. */
static void test_specials_found_in_order(void)
{
	static const uint32_t want[] = { 'z', 'z', 257, 'z', 258, 259, 256, 'x' };
	char dir[] = "/tmp/promptasm-test-XXXXXX";
	const char *text = "zzabcz#x#abx";
	pa_buf path = PA_BUF_INIT;
	pa_tokenizer *tok = NULL;
	uint32_t *ids = NULL;
	size_t n = 0, i, wrong = 0;
	pa_error err;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	write_backtracking_tokenizer(dir, "specials",
	                             "special_tokens:\n  \"ab\": 256\n  \"abc\": 257\n"
	                             "  \"#\": 258\n  \"x#\": 259\n"
	                             "specials_in_text: true\n");
	CHECK_EQ_INT(pa_tokenizer_load("specials", dir, &tok, &err), PA_OK);
	if (tok) {
		CHECK_EQ_INT(pa_tokenizer_encode(tok, text, strlen(text), &ids, &n, &err), PA_OK);
		CHECK_EQ_INT(n, sizeof(want) / sizeof(want[0]));
		for (i = 0; i < n && i < sizeof(want) / sizeof(want[0]); i++)
			wrong += ids[i] != want[i];
		CHECK_EQ_INT(wrong, 0);
		pa_free(ids);
		pa_tokenizer_free(tok);
	}
	pa_buf_printf(&path, "%s/specials.yaml", dir);
	unlink(path.ptr);
	pa_buf_reset(&path);
	pa_buf_printf(&path, "%s/specials.tiktoken", dir);
	unlink(path.ptr);
	CHECK_EQ_INT(rmdir(dir), 0);
	pa_buf_release(&path);
}

/* Counts and encodes prefix + 30,000 `a` with tokenizer name of dir, which
 * must fail at byte at with the message want. */
static void check_match_limit(const char *dir, const char *name,
                              const char *prefix, long long at, const char *want)
{
	size_t plen = strlen(prefix), len = plen + 30000, count = 99, n = 99;
	char *text = Pa_xmalloc(len);
	uint32_t *ids = NULL;
	pa_tokenizer *tok = NULL;
	pa_error err;

	memset(&err, 0, sizeof(err));
	memcpy(text, prefix, plen);
	memset(text + plen, 'a', len - plen);
	CHECK_EQ_INT(pa_tokenizer_load(name, dir, &tok, &err), PA_OK);
	if (tok) {
		CHECK_EQ_INT(pa_tokenizer_count(tok, text, len, &count, &err),
		             PA_ERR_INVALID);
		CHECK_EQ_INT(count, 0);
		CHECK_EQ_INT(err.offset, at);
		CHECK_EQ_STR(err.message, want);
		CHECK_EQ_INT(pa_tokenizer_encode(tok, text, len, &ids, &n, &err),
		             PA_ERR_INVALID);
		CHECK(ids == NULL && n == 0);
		pa_free(ids);
		CHECK_EQ_INT(err.offset, at);
		/* Text the pattern can split still counts. */
		CHECK_EQ_INT(pa_tokenizer_count(tok, "xy zz", 5, &count, &err), PA_OK);
		CHECK_EQ_INT(count, 5);
	}
	pa_tokenizer_free(tok);
	free(text);
}

/* A pattern that hits PCRE2's match limit is an error naming the
 * tokenizer and the byte, not a count of the text before it. */
static void test_match_limit(void)
{
	static const char *const names[] = { "plain", "specials", "nfkc" };
	char dir[] = "/tmp/promptasm-test-XXXXXX";
	pa_buf path = PA_BUF_INIT;
	size_t i;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	write_backtracking_tokenizer(dir, "plain", "");
	write_backtracking_tokenizer(dir, "specials",
	                             "special_tokens:\n  \"<s>\": 256\n"
	                             "specials_in_text: true\n");
	write_backtracking_tokenizer(dir, "nfkc", "normalization: NFKC\n");
	check_match_limit(dir, "plain", "xy ", 3,
	                  "cannot pre-tokenize at byte 3 with the pattern of "
	                  "tokenizer 'plain': match limit exceeded");
	/* The byte counts from the start of the text, not of the part after
	 * the special token. */
	check_match_limit(dir, "specials", "xy<s> ", 6,
	                  "cannot pre-tokenize at byte 6 with the pattern of "
	                  "tokenizer 'specials': match limit exceeded");
	/* U+FB01 (3 bytes) is "fi" (2 bytes) after NFKC. */
	check_match_limit(dir, "nfkc", "\xef\xac\x81 ", 3,
	                  "cannot pre-tokenize at byte 3 of the NFKC form with the "
	                  "pattern of tokenizer 'nfkc': match limit exceeded");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		pa_buf_reset(&path);
		pa_buf_printf(&path, "%s/%s.yaml", dir, names[i]);
		unlink(path.ptr);
		pa_buf_reset(&path);
		pa_buf_printf(&path, "%s/%s.tiktoken", dir, names[i]);
		unlink(path.ptr);
	}
	CHECK_EQ_INT(rmdir(dir), 0);
	pa_buf_release(&path);
}

/* qwen3 and deepseek_v3 (their references' ids; tests/tokenizer/ref/ for
 * the corpus): the pre-tokenizers' rules one by one. */
static void test_hf_tokenizers(void)
{
	pa_tokenizer *tok;

	/* "Hello" is 9707 in Qwen3 (its tokenizer.json). */
	check_ids("qwen3", "Hello", "9707");
	/* Qwen splits digits one by one, DeepSeek in threes. */
	check_ids("qwen3", "12345", "16 17 18 19 20");
	check_ids("deepseek_v3", "12345", "6895 1883");
	/* NFC: e and a combining acute are é (U+00E9), as written precomposed. */
	check_ids("qwen3", "caf\x65\xcc\x81", "924 58858");
	check_ids("qwen3", "caf\xc3\xa9", "924 58858");
	/* é then U+0323 is e, U+0323, U+0301: ẹ (U+1EB9) and the acute. */
	check_ids("qwen3", "\xc3\xa9\xcc\xa3", "124635 53839");
	check_ids("qwen3", "\xc3\xa9\xcc\xa3 x", "124635 53839 856");
	/* DeepSeek: a run of spaces before a digit is one piece (its digits
	 * end the stretch pattern 3 sees), not a run less its last space. */
	check_ids("deepseek_v3", "a  1", "67 262 19");
	tok = load("deepseek_v3");
	CHECK(tok != NULL);
	if (tok) {
		/* never cut: see Pa_pretok_cut_rule() */
		CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab\nCd ef", 8), 0);
		CHECK_EQ_INT(pa_tokenizer_can_cut(tok), 0);
		pa_tokenizer_free(tok);
	}
	tok = load("qwen3");
	CHECK(tok != NULL);
	if (tok) {
		CHECK_EQ_INT(pa_tokenizer_can_cut(tok), 1);
		pa_tokenizer_free(tok);
	}
}

int main(void)
{
	RUN(test_published_vectors);
	RUN(test_roundtrip);
	RUN(test_invalid_utf8);
	RUN(test_lossy);
	RUN(test_lossy_random);
	RUN(test_decode_unknown_id);
	RUN(test_long_piece);
	RUN(test_repeated_words);
	RUN(test_special_tokens_claude);
	RUN(test_specials_found_in_order);
	RUN(test_models);
	RUN(test_hf_tokenizers);
	RUN(test_match_limit);
	return pa_test_summary();
}
