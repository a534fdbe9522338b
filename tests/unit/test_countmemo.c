/*
 * test_countmemo.c - counts with pa_tokenizer_keep_counts() on are the
 * counts without it: over the reference corpus, texts made of parts of
 * it (as prompts share the instructions), random text built to provoke
 * the pre-tokenizers at line feeds, each counted twice (the second time
 * from the memo), with a memo large and one too small to keep anything.
 * And the memo itself: a part is found as kept, a different one is not,
 * it cuts where pa_tokenizer_safe_split does, and two threads counting
 * with one memo get the counts of a tokenizer without one.
 */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "promptasm.h"
#include "countmemo.h"
#include "pretok.h"

#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t count_of(const pa_tokenizer *tok, const char *text, size_t len)
{
	size_t n = 0;
	pa_error err;

	if (pa_tokenizer_count(tok, text, len, &n, &err) != PA_OK)
		return (size_t)-1;
	return n;
}

/* 1 when tok and each memo tokenizer count text alike, twice. */
static int agree(const pa_tokenizer *plain, pa_tokenizer *const *kept,
                 size_t nkept, const char *text, size_t len)
{
	size_t want = count_of(plain, text, len), i, round;

	for (i = 0; i < nkept; i++)
		for (round = 0; round < 2; round++)
			if (count_of(kept[i], text, len) != want) {
				fprintf(stderr, "FAIL %s: memo %zu, round %zu: %zu tokens, "
				        "%zu without\n", pa_tokenizer_name(plain), i,
				        round, count_of(kept[i], text, len), want);
				return 0;
			}
	return want != (size_t)-1;
}

static char *corpus[128];
static size_t corpus_len[128], n_corpus;

static void read_corpus(void)
{
	const char *dir = "tests/tokenizer/corpus";
	DIR *d = opendir(dir);
	struct dirent *e;

	CHECK(d != NULL);
	while (d && (e = readdir(d)) && n_corpus < 128) {
		char path[512];
		pa_buf b = PA_BUF_INIT;
		pa_error err;
		size_t len;

		if (e->d_name[0] == '.' || strstr(e->d_name, ".gz"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (pa_file_read_limited(path, PA_INPUT_MAX_BYTES, 0, &b, &err) != PA_OK)
			continue;
		if (!pa_utf8_valid(b.ptr, b.len, NULL)) {
			pa_buf_release(&b);
			continue;
		}
		corpus[n_corpus] = pa_buf_detach(&b, &len);
		corpus_len[n_corpus++] = len;
	}
	if (d)
		closedir(d);
	CHECK(n_corpus >= 40); /* the texts; the code point sweeps (.gz) are left out */
}

static unsigned long next(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return *seed >> 33;
}

/* The rule pa_tokenizer_safe_split applies (pretok.h). */
static int rule_of(const pa_tokenizer *tok)
{
	return strcmp(pa_tokenizer_name(tok), "claude") ? PA_CUT_AFTER_RUN
	                                                 : PA_CUT_IN_RUN;
}

/* 1 when the cuts found forward (the memo's) are those found backward:
 * each is the last cut of the text up to the end of the letter that makes
 * it (a cut looks at a line feed and the letter after it, and no other
 * cut lies before that letter's end), and the last is the whole text's. */
static int same_cuts(const pa_tokenizer *tok, const char *text, size_t len)
{
	size_t cut = 0, last = 0;
	int rule = rule_of(tok);

	/* Every cut of the memo is one the stream may make too (it cuts at
	 * more places: pa_cut_is_safe_wide), and none lies after the last
	 * place pa_tokenizer_safe_split names. */
	while ((cut = Pa_count_memo_next_cut(text, len, cut, rule)) < len) {
		if (!pa_cut_is_safe_wide(text, len, cut, rule))
			return 0;
		last = cut;
	}
	return pa_tokenizer_safe_split(tok, text, len) >= last;
}

static void test_corpus(const pa_tokenizer *plain, pa_tokenizer *const *kept,
                        size_t nkept)
{
	unsigned long seed = 7;
	size_t i, bad = 0;

	for (i = 0; i < n_corpus; i++)
		bad += !agree(plain, kept, nkept, corpus[i], corpus_len[i]);
	/* Prompts: an own part, then parts every other prompt has too. */
	for (i = 0; i < 200; i++) {
		pa_buf t = PA_BUF_INIT;
		size_t k, parts = 1 + next(&seed) % 4;

		for (k = 0; k < parts; k++) {
			size_t j = next(&seed) % n_corpus;
			size_t from = next(&seed) % (corpus_len[j] / 2 + 1);

			/* Whole code points: from the first byte that starts one. */
			while (from < corpus_len[j] && (corpus[j][from] & 0xC0) == 0x80)
				from++;
			pa_buf_put(&t, corpus[j] + from, corpus_len[j] - from);
			pa_buf_puts(&t, k % 2 ? "\n\n" : "\nSee also:\n");
		}
		bad += !agree(plain, kept, nkept, t.ptr, t.len);
		pa_buf_release(&t);
	}
	CHECK_EQ_INT((int)bad, 0);
}

static void test_random(const pa_tokenizer *plain, pa_tokenizer *const *kept,
                        size_t nkept)
{
	static const char *const parts[] = {
		"hello", " world", "'s", " 123", "\n", "\r\n", "  ", "\xf0\x9f\x98\x80",
		"\xe0\xb8\x81\xe0\xb8\xb2", "--", " \n", "x", "\xe2\x80\xa8", "a\n",
		".\nThe", ")\nand", "\xcc\x81", "\n\n", "\xef\xbd\x81", "'re\nok",
		"<|endoftext|>", "\xe4\xb8\xad\n", "7\nx", "\n\xe0\xb8\x81",
		".\n\xd0\x96", "\n\xcd\xba", "\n\xf0\xa0\x80\x80",
	};
	unsigned long seed = 99;
	size_t round, bad = 0;

	for (round = 0; round < 2000; round++) {
		pa_buf t = PA_BUF_INIT;
		int k;

		for (k = 0; k < 30; k++)
			pa_buf_puts(&t, parts[next(&seed) % (sizeof(parts) / sizeof(parts[0]))]);
		bad += !agree(plain, kept, nkept, t.ptr, t.len);
		bad += !same_cuts(plain, t.ptr, t.len);
		pa_buf_release(&t);
	}
	CHECK_EQ_INT((int)bad, 0);
}

static void test_memo(const pa_tokenizer *tok)
{
	/* Room for two parts of 23 bytes with their two slots (48 bytes) each. */
	const size_t slots = 2 * 48, room = 2 * (23 + slots) + 10;
	Pa_count_memo *m = Pa_count_memo_new(room);
	const char *a = "First line.\nSecond line", *b = "First line.\nSecond lime";
	size_t c = 0, len = strlen(a), at;
	int rule;
	uint64_t ha = Pa_count_memo_hash(a, len), hb = Pa_count_memo_hash(b, len);

	CHECK(!Pa_count_memo_find(m, ha, a, len, &c));
	Pa_count_memo_put(m, ha, a, len, 5);
	CHECK(Pa_count_memo_find(m, ha, a, len, &c) && c == 5);
	CHECK(!Pa_count_memo_find(m, hb, b, len, &c));
	CHECK(!Pa_count_memo_find(m, ha, a, len - 1, &c));
	/* Kept once: a second put of a part changes nothing. */
	Pa_count_memo_put(m, ha, a, len, 7);
	CHECK(Pa_count_memo_find(m, ha, a, len, &c) && c == 5);
	Pa_count_memo_put(m, hb, b, len, 6);
	CHECK(Pa_count_memo_find(m, hb, b, len, &c) && c == 6);
	/* Then full, the slots counted: looked up, no longer kept. */
	Pa_count_memo_put(m, 1, "x", 1, 1);
	CHECK(!Pa_count_memo_find(m, 1, "x", 1, &c));
	CHECK(Pa_count_memo_find(m, ha, a, len, &c) && c == 5);
	Pa_count_memo_free(m);

	/* The part noted as next: none at first, then the one linked, found
	 * by hash and length. */
	{
		uint64_t nh = 1;
		size_t nn = 1;

		m = Pa_count_memo_new(1u << 20);
		Pa_count_memo_put(m, ha, a, len, 5);
		Pa_count_memo_put(m, hb, b, len, 6);
		CHECK(Pa_count_memo_find_next(m, ha, a, len, &c, &nh, &nn) && c == 5 && nn == 0);
		Pa_count_memo_link(m, ha, len, hb, len);
		CHECK(Pa_count_memo_find_next(m, ha, a, len, &c, &nh, &nn) && nh == hb && nn == len);
		CHECK(Pa_count_memo_find_next(m, hb, b, len, &c, &nh, &nn) && c == 6 && nn == 0);
		Pa_count_memo_link(m, ha, len, hb, 3);
		CHECK(Pa_count_memo_find_next(m, ha, a, len, &c, &nh, &nn) && nn == 3);
		Pa_count_memo_free(m);
	}

	/* Cuts: places pa_tokenizer_safe_split may cut, in order. */
	rule = rule_of(tok);
	CHECK_EQ_INT((int)Pa_count_memo_next_cut(a, len, 0, rule), 12);
	CHECK_EQ_INT((int)Pa_count_memo_next_cut(a, len, 12, rule), (int)len);
	CHECK_EQ_INT((int)Pa_count_memo_next_cut("a \nb", 4, 0, PA_CUT_AFTER_RUN), 3);
	CHECK_EQ_INT((int)Pa_count_memo_next_cut("a \nb", 4, 0, PA_CUT_IN_RUN), 2);
	CHECK_EQ_INT((int)Pa_count_memo_next_cut("a \nb", 4, 0, PA_CUT_NEVER), 4);
	for (at = 1; at < n_corpus; at += 7) {
		const char *t = corpus[at];
		size_t n = corpus_len[at], cut = 0, last = 0;

		while ((cut = Pa_count_memo_next_cut(t, n, cut, rule)) < n)
			last = cut;
		CHECK((int)pa_tokenizer_safe_split(tok, t, n) >= (int)last);
		CHECK(same_cuts(tok, t, n));
	}
}

/* The anchors are cuts, about one in four, and the same bytes make the
 * same anchors whatever comes before them: a CLAUDE.md is cut into the
 * same parts in every prompt. */
static void test_anchors(const pa_tokenizer *tok)
{
	int rule = rule_of(tok);
	size_t cuts = 0, anchors = 0, not_cut = 0, moved = 0, i;

	for (i = 0; i < n_corpus; i++) {
		const char *t = corpus[i];
		size_t n = corpus_len[i], a = 0, c = 0;
		pa_buf shifted = PA_BUF_INIT;
		size_t pre, b;

		while ((c = Pa_count_memo_next_cut(t, n, c, rule)) < n)
			cuts++;
		while ((a = Pa_count_memo_next_anchor(t, n, a, rule)) < n) {
			anchors++;
			c = a > 0 ? Pa_count_memo_next_cut(t, n, a - 1, rule) : n;
			not_cut += c != a;
		}
		/* The text after another: its anchors past the first eight
		 * bytes are where they were. */
		pa_buf_puts(&shifted, i % 2 ? "Some other text.\nAnd more:\n" : "x\n\n");
		pre = shifted.len;
		pa_buf_put(&shifted, t, n);
		a = 0;
		b = 0;
		for (;;) {
			do
				a = Pa_count_memo_next_anchor(t, n, a, rule);
			while (a < n && a < 8);
			do
				b = Pa_count_memo_next_anchor(shifted.ptr, shifted.len, b, rule);
			while (b < shifted.len && b < pre + 8);
			if (a >= n || b >= shifted.len) {
				moved += (a >= n) != (b >= shifted.len);
				break;
			}
			moved += b - pre != a;
		}
		pa_buf_release(&shifted);
	}
	CHECK_EQ_INT((int)not_cut, 0);
	CHECK_EQ_INT((int)moved, 0);
	CHECK(cuts > 1000);
	CHECK(anchors * 6 > cuts && anchors * 3 < cuts);
}

/* The guess of the part that comes next (Pa_count_memo_link): a text
 * counted after another that shares its parts, then the same parts with
 * one line changed, cut short, or followed by bytes before which no cut
 * is safe (where a guessed part ends, a space or a mark instead of a
 * letter), each counted as without the memo. */
static void test_guesses(const pa_tokenizer *plain, pa_tokenizer *const *kept,
                         size_t nkept)
{
	static const char *const after[] = {
		"", "\n", " tail", "\xcc\x81tail", "tail", "\n\nEnd.", "  \nx", "1",
	};
	unsigned long seed = 3;
	size_t i, bad = 0;

	for (i = 0; i < n_corpus; i += 3) {
		const char *t = corpus[i];
		size_t n = corpus_len[i], v;

		for (v = 0; v < 24; v++) {
			pa_buf b = PA_BUF_INIT;
			size_t cut = next(&seed) % (n + 1), mid;

			/* Whole code points: cut at the first byte that starts one. */
			while (cut < n && (t[cut] & 0xC0) == 0x80)
				cut++;
			switch (v % 4) {
			case 0: /* the whole text again */
				pa_buf_put(&b, t, n);
				break;
			case 1: /* cut short, then other bytes */
				pa_buf_put(&b, t, cut);
				pa_buf_puts(&b, after[next(&seed) % (sizeof(after) / sizeof(after[0]))]);
				break;
			case 2: /* one byte in the middle changed */
				pa_buf_put(&b, t, n);
				mid = cut < b.len ? cut : 0;
				if (b.len > 0 && (unsigned char)b.ptr[mid] < 0x80)
					b.ptr[mid] = b.ptr[mid] == 'e' ? 'a' : 'e';
				break;
			default: /* the text from a line on, and more of it after */
				pa_buf_put(&b, t + cut, n - cut);
				pa_buf_puts(&b, after[next(&seed) % (sizeof(after) / sizeof(after[0]))]);
				pa_buf_put(&b, t, n);
				break;
			}
			bad += !agree(plain, kept, nkept, b.ptr, b.len);
			pa_buf_release(&b);
		}
	}
	CHECK_EQ_INT((int)bad, 0);
}

typedef struct counter {
	const pa_tokenizer *plain, *kept;
	size_t bad;
} counter;

/* Counts texts that share parts, as check would from threads sharing
 * one tokenizer with kept counts. */
static void *count_all(void *arg)
{
	counter *c = arg;
	size_t round, i;

	for (round = 0; round < 3; round++)
		for (i = 0; i + 1 < n_corpus; i++) {
			pa_buf t = PA_BUF_INIT;

			pa_buf_put(&t, corpus[i], corpus_len[i]);
			pa_buf_puts(&t, "\nSee also:\n");
			pa_buf_put(&t, corpus[i + 1], corpus_len[i + 1]);
			c->bad += count_of(c->kept, t.ptr, t.len) !=
			          count_of(c->plain, t.ptr, t.len);
			pa_buf_release(&t);
		}
	return NULL;
}

static void test_threads(const pa_tokenizer *plain, const pa_tokenizer *kept)
{
	counter c[2] = { { plain, kept, 0 }, { plain, kept, 0 } };
	pthread_t th;
	int started = pthread_create(&th, NULL, count_all, &c[0]) == 0;

	CHECK(started);
	count_all(&c[1]);
	if (started)
		pthread_join(th, NULL);
	CHECK_EQ_INT((int)(c[0].bad + c[1].bad), 0);
}

int main(void)
{
	static const char *const names[] = { "cl100k_base", "o200k_base", "claude" };
	size_t i;

	read_corpus();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		pa_tokenizer *plain = NULL, *kept[2] = { NULL, NULL };
		pa_error err;

		pa_test_current = names[i];
		if (pa_tokenizer_load(names[i], NULL, &plain, &err) != PA_OK ||
		    pa_tokenizer_load(names[i], NULL, &kept[0], &err) != PA_OK ||
		    pa_tokenizer_load(names[i], NULL, &kept[1], &err) != PA_OK) {
			fprintf(stderr, "cannot load %s: %s\n", names[i], err.message);
			CHECK(0);
			continue;
		}
		pa_tokenizer_keep_counts(kept[0], 64u << 20);
		pa_tokenizer_keep_counts(kept[1], 16); /* keeps next to nothing */
		test_corpus(plain, kept, 2);
		test_random(plain, kept, 2);
		test_guesses(plain, kept, 2);
		test_memo(plain);
		test_anchors(plain);
		pa_tokenizer_keep_counts(kept[0], 64u << 20); /* a fresh memo */
		test_threads(plain, kept[0]);
		pa_tokenizer_free(plain);
		pa_tokenizer_free(kept[0]);
		pa_tokenizer_free(kept[1]);
	}
	for (i = 0; i < n_corpus; i++)
		free(corpus[i]);
	return pa_test_summary();
}
