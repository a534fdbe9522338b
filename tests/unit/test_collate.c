/* test_collate.c - Pa_collate() against the orders JavaScript's
 * localeCompare() gave (Node 22, its default locale): the order cline
 * sent its rules in (tests/oracle-harness/results/cline-rules-collate
 * .cline.json), and the ties and levels around it. */
#define _POSIX_C_SOURCE 200809L
#include "collate.h"
#include "unit.h"

#include <string.h>

static int cmp(const char *a, const char *b)
{
	int c = Pa_collate(a, strlen(a), b, strlen(b));

	return c < 0 ? -1 : c > 0;
}

/* Every pair of a list in order compares so, both ways. */
static void check_order(const char *const *l)
{
	size_t i, j;

	for (i = 0; l[i]; i++)
		for (j = 0; l[j]; j++)
			CHECK_EQ_INT(cmp(l[i], l[j]), i < j ? -1 : i > j);
}

static void test_recorded(void)
{
	/* cline 3.0.65's order of its rules' names, recorded */
	static const char *const rules[] = {
		"_under", "10", "9", "\xc3\x84-upper", "b-lower", "B-Upper",
		"\xc3\xa9-accent", "e-plain", "long", "Shout", "z",
		"\xe5\xad\x90", NULL
	};
	/* and the names of one list of every folder (cline-rules-mixed) */
	static const char *const mixed[] = {
		"a", "b", "c", "Same", "Workspace AGENTS.md", "x", "y", "zz", NULL
	};

	check_order(rules);
	check_order(mixed);
}

static void test_levels(void)
{
	/* punctuation before digits before letters; ASCII's symbols in
	 * ICU's order */
	static const char *const base[] = {
		" ", "_", "-", ",", ".", "(", "@", "&", "#", "+", "$", "0", "1",
		"a", NULL
	};

	check_order(base);
	CHECK(cmp("a", "A") < 0);         /* case: the third level */
	CHECK(cmp("A", "b") < 0);         /* below the letter */
	CHECK(cmp("e", "\xc3\xa9") < 0);  /* an accent: the second level */
	CHECK(cmp("\xc3\xa9", "f") < 0);
	CHECK(cmp("stra\xc3\x9f" "e", "strasse") > 0); /* ß as ss, and more */
	CHECK(cmp("ab", "abc") < 0);      /* a prefix first */
	CHECK(cmp("same", "same") == 0);
	/* NFC and NFD of one name are one name */
	CHECK(cmp("\xc3\xa9", "e\xcc\x81") == 0);
	/* a byte that is not UTF-8 neither crashes nor ties */
	CHECK(cmp("\xff", "z") > 0);
}

int main(void)
{
	RUN(test_recorded);
	RUN(test_levels);
	return pa_test_summary();
}
