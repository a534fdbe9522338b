/*
 * test_memoarena.c - the memos' huge page (src/tokenizer/memoarena.h)
 * hands out every part zeroed: fresh, and again after a memo forgot it
 * with its contents written (a merge's scratch let go of after a long
 * piece); tells its memory from any other; and maps afresh after a
 * release.  A part handed out dirty would give a memo answers it never
 * stored: wrong counts.
 */
#include "unit.h"
#include "tokenizer/memoarena.h"

#include <stdlib.h>
#include <string.h>

static const size_t bytes[PA_ARENA_PARTS] = {
	PA_ARENA_PIECES_BYTES, PA_ARENA_PREFIXES_BYTES, PA_ARENA_PAIRS_BYTES,
	PA_ARENA_SHORT_BYTES
};

/* 1 when p[0..n) is all zero. */
static int all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void test_parts(void)
{
	Pa_memo_arena a = {0};
	unsigned char *part[PA_ARENA_PARTS];
	void *other = malloc(64);
	int i, j;

	CHECK(Pa_memo_arena_part(NULL, PA_ARENA_PAIRS) == NULL);
	CHECK(Pa_memo_arena_part(&a, PA_ARENA_PARTS) == NULL);
	CHECK(!Pa_memo_arena_holds(&a, other));
	for (i = 0; i < PA_ARENA_PARTS; i++) {
		part[i] = Pa_memo_arena_part(&a, i);
		CHECK(part[i] != NULL);
		if (!part[i])
			return;
		CHECK(((size_t)part[i] & 63) == 0);
		CHECK(all_zero(part[i], bytes[i]));
		CHECK(Pa_memo_arena_holds(&a, part[i]));
		CHECK(Pa_memo_arena_holds(&a, part[i] + bytes[i] - 1));
		memset(part[i], 0xA5, bytes[i]);
	}
	/* No two parts overlap: each still holds its own pattern. */
	for (i = 0; i < PA_ARENA_PARTS; i++)
		for (j = 0; j < PA_ARENA_PARTS; j++)
			if (i != j)
				CHECK(part[i] + bytes[i] <= part[j] || part[j] + bytes[j] <= part[i]);
	CHECK(!Pa_memo_arena_holds(&a, other));
	/* Asked again, after being written: zero again. */
	for (i = 0; i < PA_ARENA_PARTS; i++) {
		unsigned char *again = Pa_memo_arena_part(&a, i);

		CHECK(again == part[i]);
		CHECK(again && all_zero(again, bytes[i]));
	}
	memset(part[PA_ARENA_PAIRS], 0x5A, bytes[PA_ARENA_PAIRS]);
	Pa_memo_arena_release(&a);
	CHECK(a.base == NULL);
	CHECK(!Pa_memo_arena_holds(&a, part[0]));
	/* Mapped afresh: zero. */
	part[PA_ARENA_PAIRS] = Pa_memo_arena_part(&a, PA_ARENA_PAIRS);
	CHECK(part[PA_ARENA_PAIRS] && all_zero(part[PA_ARENA_PAIRS], bytes[PA_ARENA_PAIRS]));
	Pa_memo_arena_release(&a);
	free(other);
}

int main(void)
{
	RUN(test_parts);
	return pa_test_summary();
}
