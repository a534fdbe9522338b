/*
 * test_split.c - pa_tokenizer_safe_split(): a text cut at every place it
 * names gives, part by part, the ids of the whole text.  Over the reference
 * corpus (tests/tokenizer/corpus, 62 texts of many scripts) and random text
 * built to provoke the pre-tokenizers at the line feed (spaces, CR,
 * punctuation, digits, apostrophes, marks, Unicode spaces before it;
 * letters, marks and digits after it), for the three tokenizers and qwen3
 * (deepseek_v3 is never cut: test_tokenizer.c).  This is
 * the proof that `count` and `tokenize` may read and count an input in
 * pieces.
 */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "promptasm.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Every safe cut of text, cutting the remaining prefix again and again
 * from its end, in increasing order.  Caller frees. */
static size_t *all_cuts(const pa_tokenizer *tok, const char *text, size_t len,
                        size_t *n)
{
	size_t *cuts = NULL, end = len, cap = 0, i;

	*n = 0;
	while ((end = pa_tokenizer_safe_split(tok, text, end)) > 0) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			cuts = realloc(cuts, cap * sizeof(*cuts));
		}
		cuts[(*n)++] = end;
		/* The next cut lies before this one: look in the prefix
		 * that ends at it (a cut is never at the end of the text it
		 * is looked for in). */
	}
	for (i = 0; i < *n / 2; i++) {
		size_t t = cuts[i];
		cuts[i] = cuts[*n - 1 - i];
		cuts[*n - 1 - i] = t;
	}
	return cuts;
}

/* 1 when the ids of the parts, concatenated, are the ids of the whole. */
static int parts_agree(const pa_tokenizer *tok, const char *text, size_t len,
                       size_t *ncuts)
{
	uint32_t *whole = NULL, *part = NULL;
	size_t nwhole = 0, npart, at = 0, k, start = 0;
	size_t *cuts = all_cuts(tok, text, len, ncuts);
	pa_error err;
	int ok = 1;

	if (pa_tokenizer_encode(tok, text, len, &whole, &nwhole, &err) != PA_OK) {
		free(cuts);
		return 0;
	}
	for (k = 0; k <= *ncuts && ok; k++) {
		size_t end = k < *ncuts ? cuts[k] : len;

		if (pa_tokenizer_encode(tok, text + start, end - start, &part, &npart,
		                        &err) != PA_OK ||
		    at + npart > nwhole ||
		    (npart && memcmp(whole + at, part, npart * sizeof(*part))))
			ok = 0;
		at += npart;
		pa_free(part);
		part = NULL;
		start = end;
	}
	ok = ok && at == nwhole;
	pa_free(whole);
	free(cuts);
	return ok;
}

/* A corpus file; the sweeps over every code point are gzipped. */
static char *read_file(const char *path, size_t *len)
{
	pa_buf b = PA_BUF_INIT;
	pa_error err;
	size_t n = strlen(path);

	if (n > 3 && !strcmp(path + n - 3, ".gz")) {
		char cmd[600], chunk[65536];
		FILE *f;
		size_t got;

		snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", path);
		f = popen(cmd, "r");
		if (!f)
			return NULL;
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			pa_buf_put(&b, chunk, got);
		pclose(f);
		return pa_buf_detach(&b, len);
	}
	if (pa_file_read_limited(path, PA_INPUT_MAX_BYTES, 0, &b, &err) != PA_OK)
		return NULL;
	return pa_buf_detach(&b, len);
}

static void test_corpus(const pa_tokenizer *tok)
{
	const char *dir = "tests/tokenizer/corpus";
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t total_cuts = 0, files = 0;

	CHECK(d != NULL);
	while (d && (e = readdir(d))) {
		char path[512];
		size_t len, n;
		char *text;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = read_file(path, &len);
		if (!text || !pa_utf8_valid(text, len, NULL)) {
			free(text);
			continue;
		}
		if (!parts_agree(tok, text, len, &n))
			fprintf(stderr, "FAIL %s: %s cut at %zu places\n",
			        pa_tokenizer_name(tok), e->d_name, n);
		CHECK(parts_agree(tok, text, len, &n));
		total_cuts += n;
		files++;
		free(text);
	}
	if (d)
		closedir(d);
	CHECK(files >= 60);
	CHECK(total_cuts > 100); /* the rule does cut real text */
}

static unsigned long next(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return *seed >> 33;
}

/* Random text around line feeds: what precedes and follows one is drawn
 * from the characters most likely to join pieces across it. */
static void test_random(const pa_tokenizer *tok)
{
	static const char *const before[] = {
		"a", "Z", ".", ",", ")", "'", "s", "9", " ", "\t", "\r", "\xc2\xa0",
		"\xe3\x80\x80", "\xcc\x81", "\xe4\xb8\xad", "/", "-", "\xd0\x96",
	};
	/* Letters of many scripts (Thai, Hangul, Cyrillic with a mark, one
	 * of four bytes), and letters NFKC changes (fullwidth a, U+037A whose
	 * NFKC starts with a space, the ligature fi). */
	static const char *const after[] = {
		"a", "s", "t", "re", "ll", "A", "\xcc\x81", "7", " ", "\n", "'s",
		"\xe4\xb8\xad", "\xd9\x85", ".", "x\xcc\x81", "\xef\xbd\x81",
		"\xe0\xb8\x81", "\xea\xb0\x80\xe1\x86\xa8", "\xd0\xb8\xcc\x86",
		"\xf0\xa0\x80\x80", "\xcd\xba", "\xef\xac\x81", "\xe0\xa4\x95\xe0\xa4\xbc",
		"\xe1\x84\x80\xe1\x85\xa1", "/",
	};
	/* After a space: printable ASCII of every kind (the special tokens of
	 * claude too), and what is not. */
	static const char *const after_space[] = {
		"a", "Z", "#", "}", "(", "-", "'s", "'", "\"", "1", "123", "/", "//",
		"<EOT>", "<", " ", "\n", "\t", "\xc2\xa0", "\xcc\x81", "\xe4\xb8\xad",
		".", "_x", "0x1F", "\xef\xbd\x81",
	};
	/* Punctuation and letters packed without a break, after what precedes
	 * (a letter, a digit, a mark, a contraction's apostrophe ...). */
	static const char *const punct_run[] = {
		",", "+", "/", "//", "'", "'s", ",0x1f", "+Ab/", "==", "-_", ".",
		"\xcc\x81,", ":x", ";\n", "(a)", "<EOT>", "<", "#", "\"q\"", "~",
	};
	static const char *const filler[] = {
		"hello", " world", "'s", " 123", "\n", "\r\n", "  ", "\xf0\x9f\x98\x80",
		"\xe0\xb8\x81\xe0\xb8\xb2", "--", " \n", "x", "\xe2\x80\xa8",
	};
	unsigned long seed = 12345;
	size_t round, cuts = 0, n;
	int bad = 0;

#define PICK(a) ((a)[next(&seed) % (sizeof(a) / sizeof((a)[0]))])
	for (round = 0; round < 3000; round++) {
		pa_buf t = PA_BUF_INIT;
		int k;

		for (k = 0; k < 24; k++) {
			pa_buf_puts(&t, PICK(filler));
			pa_buf_puts(&t, PICK(before));
			if (next(&seed) % 4 == 0) /* no break: punctuation */
				pa_buf_puts(&t, PICK(punct_run));
			else
				pa_buf_putc(&t, next(&seed) % 3 ? '\n' : ' ');
			pa_buf_puts(&t, next(&seed) % 2 ? PICK(after) : PICK(after_space));
		}
		if (!parts_agree(tok, t.ptr, t.len, &n) && bad++ < 3)
			fprintf(stderr, "FAIL %s: random text %zu disagrees\n",
			        pa_tokenizer_name(tok), round);
		cuts += n;
		pa_buf_release(&t);
	}
#undef PICK
	CHECK_EQ_INT(bad, 0);
	CHECK(cuts > 10000);
}

static void test_rule(const pa_tokenizer *tok)
{
	int gpt2 = !strcmp(pa_tokenizer_name(tok), "claude");

	/* the cut is after the line feed, before the letter */
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab.\nCd", 6), 4);
	/* white space before it: before the letter (cl100k, o200k), before
	 * the line feed (claude, GPT-2's pattern) */
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab \nCd", 6), gpt2 ? 3 : 4);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab\r\nCd", 6), gpt2 ? 3 : 4);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab.\n\nCd", 7), gpt2 ? 4 : 5);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "a\n\n\n\nb", 6), gpt2 ? 4 : 5);
	/* a non-ASCII character before a lone line feed: claude does not cut */
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "\xc3\xa9\nx", 4), gpt2 ? 0 : 3);
	/* a digit or other printable ASCII after it: the same cut, but for a
	 * slash (o200k's "}\n//" is one piece) */
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab\n1", 4), 3);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab\n#d", 5), 3);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab \n#d", 6), gpt2 ? 3 : 4);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab\n/x", 5), 0);
	/* a space before printable ASCII: before the space */
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab\n x", 5), 3);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab  x", 5), 3);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab 1", 4), 2);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab (", 4), 2);
	/* without a line feed or a space: before punctuation after a letter
	 * or a digit, never before an apostrophe (o200k's "it's") */
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "0x3f,0xa2", 9), 4);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab+cd", 5), 2);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "it's", 4), 0);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "xa/+b", 5), 2);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "\xe4\xb8\xad,a", 5), 0);
	/* a mark, a space or a space ending the text after it: no cut */
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab\n\xcc\x81x", 6), 0);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab \xcc\x81x", 6), 0);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab  ", 4), 0);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "abc ", 4), 0);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "a\nb\nc", 5), 4);
	/* a letter of another script after it, as an ASCII one: Thai after
	 * a paragraph's blank line, Cyrillic after a lone line feed */
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab.\n\n\xe0\xb8\x81x", 8), gpt2 ? 4 : 5);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "ab.\n\xd0\x96x", 7), 4);
	/* not one NFKC changes (U+037A, fullwidth a), nor one cut short or
	 * not valid UTF-8 */
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "..\n\xcd\xbax", 6), 0);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "..\n\xef\xbd\x81x", 7), 0);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "..\n\xe0\xb8", 5), 0);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "..\n\xe0\xb8x", 6), 0);
	/* claude: never inside a special token, nor inside the start of one
	 * that the text's end cuts short (a block of count may end there;
	 * found by fuzz_split); the same place is a cut for the others. */
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "<META_START", 11), gpt2 ? 0 : 5);
	CHECK_EQ_INT(pa_tokenizer_safe_split(tok, "<META_START> x", 14), gpt2 ? 12 : 12);
}

/* The search for the last line feed or space goes eight bytes at a time:
 * one at any place relative to those words, with up to 40 bytes of no
 * line feed after it (and a second line feed as a decoy before), is found;
 * a text without one has no cut. */
static void test_line_feed_anywhere(const pa_tokenizer *tok)
{
	char text[128];
	size_t lead, tail, wrong = 0;

	for (lead = 2; lead < 40; lead++)
		for (tail = 0; tail <= 40; tail++) {
			size_t len = lead + 2 + tail;

			memset(text, 'x', len);
			if (lead > 6)
				text[lead - 5] = '\n'; /* before a letter too */
			text[lead] = '\n';
			text[lead + 1] = 'A';
			wrong += pa_tokenizer_safe_split(tok, text, len) != lead + 1;
			text[lead] = ' '; /* a space before a letter */
			wrong += pa_tokenizer_safe_split(tok, text, len) != lead;
			text[lead] = 'x';
			wrong += pa_tokenizer_safe_split(tok, text, len) !=
			         (lead > 6 ? lead - 4 : 0);
		}
	CHECK_EQ_INT(wrong, 0);
}

int main(void)
{
	static const char *const names[] = { "cl100k_base", "o200k_base", "claude", "qwen3" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		pa_tokenizer *tok = NULL;
		pa_error err;

		pa_test_current = names[i];
		if (pa_tokenizer_load(names[i], NULL, &tok, &err) != PA_OK) {
			fprintf(stderr, "cannot load %s: %s\n", names[i], err.message);
			CHECK(0);
			continue;
		}
		test_rule(tok);
		test_line_feed_anywhere(tok);
		test_corpus(tok);
		test_random(tok);
		pa_tokenizer_free(tok);
	}
	return pa_test_summary();
}
