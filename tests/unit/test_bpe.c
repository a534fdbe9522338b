/* test_bpe.c - the heap and bucket merges (long pieces) make exactly the
 * choices of tiktoken's linear scan (short pieces), on random pieces of
 * every length up to past the switch-over. */
#include "harness.h"
#include "bpe.h"

#include <stdlib.h>
#include <string.h>

static void test_heap_equals_scan(void)
{
	pa_ranktable t;
	pa_error err;
	pa_bpe_scratch s;
	unsigned char piece[300];
	uint32_t a[300], b[300];
	uint32_t seed = 7;
	/* Few distinct bytes make long merge chains and many rank ties. */
	static const char alphabet[] = "aabbe ts\xc3\xa9";
	int trial, mismatches = 0;

	memset(&s, 0, sizeof(s));
	if (pa_ranktable_map("tokenizers/o200k_base.patab", &t, &err) != PA_OK) {
		fprintf(stderr, "cannot map table: %s\n", err.message);
		CHECK(0);
		return;
	}
	for (trial = 0; trial < 4000; trial++) {
		size_t n = 1 + (size_t)trial % 260, i, na, nb;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			piece[i] = (unsigned char)alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		na = pa_bpe_merge(&t, piece, n, &s, a);
		nb = pa_bpe_merge_heap(&t, piece, n, &s, b);
		if (na != nb || memcmp(a, b, na * sizeof(uint32_t)) != 0)
			mismatches++;
		nb = pa_bpe_merge_buckets(&t, piece, n, &s, b);
		if (na != nb || memcmp(a, b, na * sizeof(uint32_t)) != 0)
			mismatches++;
		/* Counting alone gives the same number. */
		if (pa_bpe_merge(&t, piece, n, &s, NULL) != na)
			mismatches++;
	}
	CHECK_EQ_INT(mismatches, 0);

	/* Long pieces, where the bucket queue takes over in pa_bpe_merge. */
	{
		size_t n = 50000, i, na, nb;
		unsigned char *big = malloc(n);
		uint32_t *x = malloc(n * sizeof(uint32_t)), *y = malloc(n * sizeof(uint32_t));
		for (trial = 0; trial < 3; trial++) {
			for (i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				big[i] = trial == 0 ? 'a' : trial == 1
				         ? (unsigned char)('a' + (seed >> 16) % 26)
				         : (unsigned char)alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			}
			na = pa_bpe_merge_heap(&t, big, n, &s, x);
			nb = pa_bpe_merge_buckets(&t, big, n, &s, y);
			CHECK(na == nb && memcmp(x, y, na * sizeof(uint32_t)) == 0);
		}
		free(big);
		free(x);
		free(y);
	}
	pa_bpe_scratch_release(&s);
	pa_ranktable_release(&t);
}

static void test_table_roundtrip(void)
{
	/* A rank file parsed in memory finds what its lines say. */
	static const char ranks[] = "YQ== 0\nYg== 1\nYWI= 2\n";
	pa_ranktable t;
	pa_error err;

	CHECK_EQ_INT(pa_ranktable_parse(ranks, sizeof(ranks) - 1, "x", &t, &err), PA_OK);
	CHECK_EQ_INT(pa_ranktable_find(&t, (const unsigned char *)"ab", 2), 2);
	CHECK_EQ_INT(pa_ranktable_find(&t, (const unsigned char *)"ba", 2), PA_RANK_NONE);
	CHECK_EQ_INT(t.byte_rank['b'], 1);
	pa_ranktable_release(&t);
	CHECK_EQ_INT(pa_ranktable_parse("YQ== 0\nYQ== 1\n", 14, "x", &t, &err), PA_ERR_PARSE);
	CHECK_EQ_INT(pa_ranktable_parse("YQ==0\n", 6, "x", &t, &err), PA_ERR_PARSE);
	CHECK_EQ_INT(err.line, 1);
}

int main(void)
{
	RUN(test_heap_equals_scan);
	RUN(test_table_roundtrip);
	return pa_test_summary();
}
