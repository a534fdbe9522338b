/* test_cuts.c - the cuts of cuts.h, for every bundled vocabulary: no token
 * of the vocabulary crosses a boundary they name (checked against the
 * rank table itself, every substring about the cut), a piece merged in
 * the parts they make has the tokens of the piece merged whole, and they
 * do find most boundaries of unspaced Chinese, so that the tokenizer
 * really uses them; the judge of whether cutting pays. */
#include "unit.h"
#include "promptasm.h"
#include "bpe.h"
#include "bpetables.h"
#include "cuts.h"
#include "workspace.h"

#include <stdlib.h>
#include <string.h>

static const char *const bundled[] = {
	"tokenizers/cl100k_base.patab", "tokenizers/o200k_base.patab",
	"tokenizers/claude.patab",
};
#define N_BUNDLED (sizeof(bundled) / sizeof(bundled[0]))

static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

static size_t put_utf8(unsigned char *p, uint32_t c)
{
	if (c < 0x80) {
		p[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		p[0] = (unsigned char)(0xC0 | c >> 6);
		p[1] = (unsigned char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		p[0] = (unsigned char)(0xE0 | c >> 12);
		p[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		p[2] = (unsigned char)(0x80 | (c & 0x3F));
		return 3;
	}
	p[0] = (unsigned char)(0xF0 | c >> 18);
	p[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
	p[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
	p[3] = (unsigned char)(0x80 | (c & 0x3F));
	return 4;
}

/* Whether p[0..n) is valid UTF-8 (a token glued to others need not be). */
static int valid_utf8(const unsigned char *p, size_t n)
{
	size_t bad;

	return pa_utf8_valid((const char *)p, n, &bad);
}

/* A random valid text of at least n bytes and at most n + 4 (p has room
 * for that), returned in full length: characters of
 * one of several scripts (Chinese, kana, Hangul, Thai, Devanagari,
 * Cyrillic with combining marks, Georgian, emoji, letters), or tokens of
 * the vocabulary glued together, kept where they make valid UTF-8: the
 * pairs of characters its tokens hold, and the tokens that start or end
 * inside a character, sit right at the boundaries. */
static size_t random_text(const Pa_ranktable *t, unsigned char *p, size_t n,
                          uint32_t *seed)
{
	static const uint32_t ranges[][2] = {
		{ 0x4E00, 0x9FFF }, { 0x3041, 0x30FF }, { 0xAC00, 0xD7A3 },
		{ 0x0E01, 0x0E5B }, { 0x0900, 0x097F }, { 0x0400, 0x04FF },
		{ 0x0300, 0x036F }, { 0x10D0, 0x10FF }, { 0x1F300, 0x1F64F },
		{ 0x61, 0x7A },
	};
	size_t n_ranges = sizeof(ranges) / sizeof(ranges[0]), i = 0;
	uint32_t style = next_random(seed) % (uint32_t)(n_ranges + 3);

	while (i < n) {
		if (style < n_ranges) {
			/* Mostly the script, now and then another character. */
			uint32_t r = next_random(seed) % 8 ? style
			             : next_random(seed) % (uint32_t)n_ranges;
			uint32_t lo = ranges[r][0], hi = ranges[r][1];
			i += put_utf8(p + i, lo + next_random(seed) % (hi - lo + 1));
		} else {
			uint32_t id = next_random(seed) % t->n_ids;
			uint32_t at = t->offsets[id], len = t->offsets[id + 1] - at;

			if (len == 0 || i + len > n + 4 ||
			    !valid_utf8(t->bytes + at, len))
				continue;
			memcpy(p + i, t->bytes + at, len);
			i += len;
		}
	}
	return i;
}

/* The first cut after from, or 0: one at a time, with no limit. */
static size_t next_cut(const Pa_cut_tables *c, const unsigned char *p, size_t n,
                       size_t from)
{
	size_t cut;

	return Pa_cuts_find(c, p, n, from, n, &cut, 1) ? cut : 0;
}

/* The ids of t's tokens in the order of their bytes, so that whether a
 * string starts some token is a binary search. */
static const Pa_ranktable *sort_table;

static int by_bytes(const void *a, const void *b)
{
	const Pa_ranktable *t = sort_table;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	size_t nx = t->offsets[x + 1] - t->offsets[x], ny = t->offsets[y + 1] - t->offsets[y];
	int c = memcmp(t->bytes + t->offsets[x], t->bytes + t->offsets[y], nx < ny ? nx : ny);

	return c ? c : (nx > ny) - (nx < ny);
}

static uint32_t *sorted_tokens(const Pa_ranktable *t)
{
	uint32_t *ids = malloc(t->n_ids * sizeof(uint32_t)), id;

	for (id = 0; id < t->n_ids; id++)
		ids[id] = id;
	sort_table = t;
	qsort(ids, t->n_ids, sizeof(uint32_t), by_bytes);
	return ids;
}

/* Whether some token of t starts with p[0..n). */
static int starts_a_token(const Pa_ranktable *t, const uint32_t *sorted,
                          const unsigned char *p, size_t n)
{
	size_t lo = 0, hi = t->n_ids;

	while (lo < hi) { /* the first token not below p[0..n) */
		size_t mid = lo + (hi - lo) / 2, len;
		uint32_t id = sorted[mid];
		int c;

		len = t->offsets[id + 1] - t->offsets[id];
		c = memcmp(t->bytes + t->offsets[id], p, len < n ? len : n);
		if (c < 0 || (c == 0 && len < n))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == t->n_ids)
		return 0;
	return t->offsets[sorted[lo] + 1] - t->offsets[sorted[lo]] >= n &&
	       memcmp(t->bytes + t->offsets[sorted[lo]], p, n) == 0;
}

/* Whether some token of t is p[s..e) for s < cut < e: every substring
 * about the cut that starts a token, looked up. */
static int crossed(const Pa_ranktable *t, const uint32_t *sorted,
                   const unsigned char *p, size_t n, size_t cut)
{
	size_t s, e;

	for (s = 0; s < cut; s++) {
		if (!starts_a_token(t, sorted, p + s, cut - s))
			continue;
		for (e = cut + 1; e <= n && starts_a_token(t, sorted, p + s, e - s); e++)
			if (pa_ranktable_find(t, p + s, e - s) != PA_RANK_NONE)
				return 1;
	}
	return 0;
}

static void test_no_token_crosses_a_cut(void)
{
	size_t k;

	for (k = 0; k < N_BUNDLED; k++) {
		Pa_ranktable t;
		Pa_cut_tables c;
		pa_error err;
		unsigned char text[64 + 60 * 5 + 4];
		uint32_t seed = 11 + (uint32_t)k;
		uint32_t *sorted;
		size_t cuts = 0, wrong = 0;
		int trial;

		if (Pa_ranktable_map(bundled[k], &t, &err) != PA_OK) {
			fprintf(stderr, "cannot map table: %s\n", err.message);
			CHECK(0);
			continue;
		}
		Pa_bpetables_cuts(&t, &c);
		CHECK(c.filter != NULL);
		if (!c.filter) {
			Pa_ranktable_release(&t);
			continue;
		}
		sorted = sorted_tokens(&t);
		for (trial = 0; trial < 300; trial++) {
			size_t n = random_text(&t, text, 64 + (size_t)trial % 60 * 5, &seed);
			size_t cut = 0;

			if (!valid_utf8(text, n))
				wrong++; /* the generator's fault: say so */
			while ((cut = next_cut(&c, text, n, cut)) != 0) {
				cuts++;
				if (crossed(&t, sorted, text, n, cut)) {
					wrong++;
					fprintf(stderr, "%s: a token crosses the cut at %zu of "
					        "trial %d\n", bundled[k], cut, trial);
				}
			}
		}
		CHECK_EQ_INT(wrong, 0);
		CHECK(cuts > 1000); /* the texts do have cuts to check */
		free(sorted);
		Pa_ranktable_release(&t);
	}
}

/* Merged in the parts the cuts make, a piece has the tokens it has
 * merged whole. */
static void test_parts_merge_as_the_whole(void)
{
	size_t k;

	for (k = 0; k < N_BUNDLED; k++) {
		Pa_ranktable t;
		Pa_backtrack_tables bt;
		Pa_cut_tables c;
		pa_error err;
		Pa_bpe_scratch s;
		unsigned char text[16 + 200 * 5 + 4];
		uint32_t whole[sizeof(text)], parts[sizeof(text)];
		uint32_t seed = 101 + (uint32_t)k;
		size_t mismatches = 0;
		int trial;

		if (Pa_ranktable_map(bundled[k], &t, &err) != PA_OK) {
			CHECK(0);
			continue;
		}
		Pa_bpetables_view(&t, &bt);
		Pa_bpetables_cuts(&t, &c);
		memset(&s, 0, sizeof(s));
		for (trial = 0; trial < 200 && c.filter; trial++) {
			size_t n = random_text(&t, text, 16 + (size_t)trial * 5, &seed);
			size_t nw = Pa_bpe_merge(&t, &bt, text, n, &s, whole), np = 0;
			size_t from = 0, cut;

			while (from < n) {
				cut = next_cut(&c, text, n, from);
				if (cut == 0)
					cut = n;
				np += Pa_bpe_merge(&t, &bt, text + from, cut - from, &s,
				                   parts + np);
				from = cut;
			}
			if (nw != np || memcmp(whole, parts, nw * sizeof(uint32_t)) != 0)
				mismatches++;
		}
		CHECK(c.filter != NULL);
		CHECK_EQ_INT(mismatches, 0);
		Pa_bpe_scratch_release(&s);
		Pa_ranktable_release(&t);
	}
}

/* Unspaced Chinese is what the cuts are for: most of its boundaries are
 * cuts (o200k_base has many more tokens of two characters, so fewer). */
static void test_chinese_is_cut(void)
{
	static const int percent_at_least[N_BUNDLED] = { 80, 50, 70 };
	/* A sentence of common characters, as a phrase of text is. */
	static const char sentence[] =
		"\xe6\x88\x91\xe4\xbb\xac\xe7\x9a\x84\xe5\x9b\xbd\xe5\xae\xb6\xe6\x9c\x89"
		"\xe5\xbe\x88\xe5\xa4\x9a\xe5\x9f\x8e\xe5\xb8\x82\xe5\x92\x8c\xe4\xba\xba"
		"\xe6\xb0\x91\xe5\x9c\xa8\xe5\xad\xa6\xe6\xa0\xa1\xe9\x87\x8c\xe5\xad\xa6"
		"\xe4\xb9\xa0\xe6\x96\x87\xe5\x8c\x96\xe5\x92\x8c\xe5\x8e\x86\xe5\x8f\xb2"
		"\xe4\xbb\x96\xe4\xbb\xac\xe6\xaf\x8f\xe5\xa4\xa9\xe5\x9d\x90\xe7\x81\xab"
		"\xe8\xbd\xa6\xe5\x8e\xbb\xe5\x85\xac\xe5\x8f\xb8\xe5\xb7\xa5\xe4\xbd\x9c";
	const unsigned char *p = (const unsigned char *)sentence;
	size_t n = sizeof(sentence) - 1, k;

	for (k = 0; k < N_BUNDLED; k++) {
		Pa_ranktable t;
		Pa_cut_tables c;
		pa_error err;
		size_t cut = 0, cuts = 0;

		if (Pa_ranktable_map(bundled[k], &t, &err) != PA_OK) {
			CHECK(0);
			continue;
		}
		Pa_bpetables_cuts(&t, &c);
		while (c.filter && (cut = next_cut(&c, p, n, cut)) != 0)
			cuts++;
		/* n / 3 characters, n / 3 - 1 boundaries. */
		if (100 * cuts < (size_t)percent_at_least[k] * (n / 3 - 1))
			fprintf(stderr, "%s: %zu cuts of %zu boundaries\n", bundled[k],
			        cuts, n / 3 - 1);
		CHECK(100 * cuts >= (size_t)percent_at_least[k] * (n / 3 - 1));
		Pa_ranktable_release(&t);
	}
}

/* Found in batches of any size, with a limit, the cuts are those found
 * one at a time without one, up to the first that lies further than the
 * limit from the one before it (from 0, for the first): a cut b is within
 * the limit when the character after it ends there. */
static void test_batches_and_limits(void)
{
	static const size_t limits[] = { 4, 7, 9, 13, 40 };
	static const size_t batches[] = { 1, 2, 3, 64 };
	size_t k;

	for (k = 0; k < N_BUNDLED; k++) {
		Pa_ranktable t;
		Pa_cut_tables c;
		pa_error err;
		unsigned char text[404];
		size_t all[404], want[404], got[404 + 64];
		uint32_t seed = 77 + (uint32_t)k;
		size_t wrong = 0, compared = 0;
		int trial;

		if (Pa_ranktable_map(bundled[k], &t, &err) != PA_OK) {
			CHECK(0);
			continue;
		}
		Pa_bpetables_cuts(&t, &c);
		for (trial = 0; trial < 100 && c.filter; trial++) {
			size_t n = random_text(&t, text, 400, &seed), n_all = 0, cut = 0;
			size_t li, bi;

			while ((cut = next_cut(&c, text, n, cut)) != 0)
				all[n_all++] = cut;
			for (li = 0; li < sizeof(limits) / sizeof(limits[0]); li++) {
				size_t limit = limits[li], n_want = 0, last = 0;

				while (n_want < n_all) {
					size_t b = all[n_want], w = 1;

					while (b + w < n && (text[b + w] & 0xC0) == 0x80)
						w++;
					if (b + w > last + limit)
						break;
					last = want[n_want++] = b;
				}
				for (bi = 0; bi < sizeof(batches) / sizeof(batches[0]); bi++) {
					size_t batch = batches[bi], n_got = 0, found;

					do {
						found = Pa_cuts_find(&c, text, n, n_got ? got[n_got - 1] : 0,
						                     limit, got + n_got, batch);
						n_got += found;
					} while (found == batch && n_got < n_all);
					compared++;
					if (n_got != n_want ||
					    memcmp(got, want, n_want * sizeof(size_t)) != 0)
						wrong++;
				}
			}
		}
		CHECK(c.filter != NULL);
		CHECK(compared > 0);
		CHECK_EQ_INT(wrong, 0);
		Pa_ranktable_release(&t);
	}
}

/* The judge stops cutting a script whose parts are mostly merged anyway,
 * tries again after a rest, and keeps cutting one whose parts are found. */
static void test_judge(void)
{
	Pa_cut_judge j;
	int i, cut = 0;

	memset(&j, 0, sizeof(j));
	for (i = 0; i < 1000; i++) /* parts found: always pays */
		cut += pa_cuts_pay(&j) && (Pa_cuts_judge(&j, 100, 10), 1);
	CHECK_EQ_INT(cut, 1000);
	memset(&j, 0, sizeof(j));
	cut = 0;
	for (i = 0; i < 20000; i++) /* merged all the same: rests */
		cut += pa_cuts_pay(&j) && (Pa_cuts_judge(&j, 100, 90), 1);
	CHECK(cut > 0 && cut < 2000);
}

/* The first judgement of a script comes after 1 KB, not 4, and asks only
 * that no more than three quarters were merged: a script whose parts are
 * merged all the same (Thai, Indic with o200k_base) stops being cut after
 * its first kilobyte; one that merges more than a quarter while its
 * characters are new goes on, and is judged by the quarter after. */
static void test_judge_first(void)
{
	Pa_cut_judge j;
	int i;

	memset(&j, 0, sizeof(j));
	for (i = 0; i < 11 && pa_cuts_pay(&j); i++)
		Pa_cuts_judge(&j, 100, 90);
	CHECK_EQ_INT(i, 11);
	CHECK(!pa_cuts_pay(&j)); /* 1,100 bytes, 90% merged: rests */
	memset(&j, 0, sizeof(j));
	for (i = 0; i < 11 && pa_cuts_pay(&j); i++)
		Pa_cuts_judge(&j, 100, 60);
	CHECK_EQ_INT(i, 11);
	CHECK(pa_cuts_pay(&j)); /* 60% merged in the first window: cut on */
	for (i = 0; i < 41 && pa_cuts_pay(&j); i++)
		Pa_cuts_judge(&j, 100, 60);
	CHECK_EQ_INT(i, 41);
	CHECK(!pa_cuts_pay(&j)); /* a window of 4 KB at 60%: rests */
}

/* A workspace that serves another tokenizer forgets the judgements: they
 * are findings about one vocabulary's tokens. */
static void test_workspace_forgets_judges(void)
{
	Pa_workspace w;

	memset(&w, 0, sizeof(w));
	w.cut_judges[0xE0].rest = 7;
	w.cut_judges[0xE4].failed = 2;
	Pa_workspace_empty(&w);
	CHECK_EQ_INT(w.cut_judges[0xE0].rest, 0);
	CHECK_EQ_INT(w.cut_judges[0xE4].failed, 0);
}

int main(void)
{
	RUN(test_no_token_crosses_a_cut);
	RUN(test_parts_merge_as_the_whole);
	RUN(test_chinese_is_cut);
	RUN(test_batches_and_limits);
	RUN(test_judge);
	RUN(test_judge_first);
	RUN(test_workspace_forgets_judges);
	return pa_test_summary();
}
