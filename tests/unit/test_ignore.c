/* test_ignore.c - what .gitignore leaves out (util/ignore.c): git's
 * wildmatch cases, the rules of gitignore(5) (anchoring, `!`, directories
 * only, the deepest file first), and patterns that would take exponential
 * time to a backtracking matcher. */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "util.h"

#include <string.h>

static void test_globs(void)
{
	static const struct { const char *glob, *path; int match; } cases[] = {
		{ "*.o", "a.o", 1 }, { "*.o", "a.c", 0 }, { "*", "a/b", 0 },
		{ "a/*", "a/b", 1 }, { "a/*", "a/b/c", 0 }, { "a/**", "a/b/c", 1 },
		{ "**/b", "b", 1 }, { "**/b", "a/x/b", 1 }, { "a/**/b", "a/b", 1 },
		{ "a/**/b", "a/x/y/b", 1 }, { "a/**/b", "a/x/y/c", 0 },
		{ "a?c", "abc", 1 }, { "a?c", "a/c", 0 }, { "[a-c]x", "bx", 1 },
		{ "[!a-c]x", "bx", 0 }, { "[!a-c]x", "dx", 1 }, { "\\*x", "*x", 1 },
		{ "\\*x", "ax", 0 }, { "[x", "[x", 1 }, { "a*b*c", "aXbYc", 1 },
		{ "a*b*c", "aXbY", 0 }, { "*a*a*a*b", "aaaa", 0 }, { "d**x", "dyyx", 1 },
		{ "**/*.md", "docs/deep/x.md", 1 }, { "foo*", "foo", 1 }, { "", "", 1 },
		/* POSIX classes, as git's wildmatch has them (t3070), not the
		 * characters of their names */
		{ "[[:alpha:]]*", "abc", 1 }, { "[[:alpha:]]*", "1bc", 0 },
		{ "[[:digit:]]", "7", 1 }, { "[[:digit:]]", "d", 0 },
		{ "*[[:space:]]*", "a b", 1 }, { "*[[:space:]]*", "a]", 0 },
		{ "[[:upper:][:digit:]]x", "Qx", 1 }, { "[[:upper:][:digit:]]x", "qx", 0 },
		{ "[![:lower:]]", "A", 1 }, { "[![:lower:]]", "a", 0 },
		{ "[[:xdigit:]]", "F", 1 }, { "[[:punct:]]", "]", 1 },
		{ "[[:nope:]]", "n", 0 }, { "[![:nope:]]", "n", 0 },
		{ "[[:alpha:]", "[", 0 }, { "[a[:]x", ":x", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = Pa_ignore_match_glob(cases[i].glob, cases[i].path);

		if (got != cases[i].match)
			fprintf(stderr, "FAIL %s against %s: %d\n", cases[i].glob,
			        cases[i].path, got);
		CHECK_EQ_INT(got, cases[i].match);
	}
}

static void test_rules(void)
{
	Pa_ignore *ig = Pa_ignore_new();
	const char *top = "# a comment\n\ndist/\n*.log\n!keep.log\n/only-top\n"
	                  "docs/gen\ntrailing  \nescaped\\ \n";

	Pa_ignore_push(ig, "", top, strlen(top));
	CHECK(Pa_ignore_has(ig, "dist", 1));
	CHECK(!Pa_ignore_has(ig, "dist", 0)); /* a file named dist */
	CHECK(Pa_ignore_has(ig, "sub/dist", 1));
	CHECK(Pa_ignore_has(ig, "x.log", 0));
	CHECK(Pa_ignore_has(ig, "a/b/x.log", 0));
	CHECK(!Pa_ignore_has(ig, "keep.log", 0));
	CHECK(Pa_ignore_has(ig, "only-top", 0));
	CHECK(!Pa_ignore_has(ig, "sub/only-top", 0));
	CHECK(Pa_ignore_has(ig, "docs/gen", 1));
	CHECK(!Pa_ignore_has(ig, "x/docs/gen", 1));
	CHECK(Pa_ignore_has(ig, "trailing", 0));
	CHECK(Pa_ignore_has(ig, "escaped ", 0));
	CHECK(!Pa_ignore_has(ig, "# a comment", 0));
	/* A deeper file wins, and applies below its directory only. */
	Pa_ignore_push(ig, "sub", "!*.log\n*.c\n", 11);
	CHECK(!Pa_ignore_has(ig, "sub/x.log", 0));
	CHECK(Pa_ignore_has(ig, "x.log", 0));
	CHECK(Pa_ignore_has(ig, "sub/a/b.c", 0));
	CHECK(!Pa_ignore_has(ig, "subway/b.c", 0));
	CHECK_EQ_INT((int)Pa_ignore_depth(ig), 2);
	Pa_ignore_pop(ig);
	CHECK(Pa_ignore_has(ig, "sub/x.log", 0));
	Pa_ignore_free(ig);
	Pa_ignore_free(NULL);
}

/* Stars that a backtracking matcher tries in every way: a name of 4,000
 * `a` against 30 stars then `b`, 10,000 times: quadratic at worst. */
static void test_hostile(void)
{
	char name[4001], glob[100];
	size_t i;
	int hits = 0;

	memset(name, 'a', 4000);
	name[4000] = '\0';
	for (i = 0; i < 30; i++) {
		glob[2 * i] = '*';
		glob[2 * i + 1] = 'a';
	}
	strcpy(glob + 60, "*b");
	for (i = 0; i < 100; i++)
		hits += Pa_ignore_match_glob(glob, name);
	CHECK_EQ_INT(hits, 0);
	strcpy(glob, "**/**/**/**/**/**/**/**/b");
	CHECK_EQ_INT(Pa_ignore_match_glob(glob, "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/c"), 0);
	CHECK_EQ_INT(Pa_ignore_match_glob(glob, "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/b"), 1);
}

/* A name or `*.ext` is matched without wildmatch (a string compare):
 * each such pattern, anchored or not, against paths where a wrong short
 * cut would differ (a suffix across a `/`, a name a suffix of another,
 * the empty name before the extension), as wildmatch decides. */
static void test_short_cuts(void)
{
	static const char *const globs[] = {
		"a.log", "*.log", "*log", "*", "*.d.ts.map", "x/a.log", "*.c", "a",
	};
	static const char *const paths[] = {
		"a.log", ".log", "b.log", "log", "x/a.log", "x/b.log", "xa.log",
		"a.log/x", "a.d.ts.map", "d.ts.map", "x/y.c", "a", "ba", "x/a", "c",
	};
	size_t i, j, anchored;

	for (i = 0; i < sizeof(globs) / sizeof(globs[0]); i++) {
		for (anchored = 0; anchored < 2; anchored++) {
			Pa_ignore *ig = Pa_ignore_new();
			char line[64];

			snprintf(line, sizeof(line), "%s%s\n", anchored ? "/" : "", globs[i]);
			Pa_ignore_push(ig, "", line, strlen(line));
			for (j = 0; j < sizeof(paths) / sizeof(paths[0]); j++) {
				const char *name = strrchr(paths[j], '/');
				int slash = strchr(globs[i], '/') != NULL;
				int want = anchored || slash
				         ? Pa_ignore_match_glob(globs[i], paths[j])
				         : Pa_ignore_match_glob(globs[i], name ? name + 1 : paths[j]);
				int got = Pa_ignore_has(ig, paths[j], 0);

				if (got != want)
					fprintf(stderr, "FAIL %s against %s: %d\n", line,
					        paths[j], got);
				CHECK_EQ_INT(got, want);
			}
			Pa_ignore_free(ig);
		}
	}
}

/* A class over IG_CLASS_SCANNED is read once into a set, and a run of
 * three stars or more becomes one: each such pattern, as a .gitignore
 * line, decides as wildmatch reading it afresh does, for every byte in
 * the class's place and for paths where a run next to `/` might turn into
 * a `**` segment. */
static void test_compiled(void)
{
	static const char *const classes[] = {
		"[a-c]", "[!a-c]", "[]x]", "[^]x]", "[[:alpha:][:digit:]]",
		"[![:space:]]", "[[:nope:]]", "[!-/]", "[\\]-\\a]", "[a-]", "[z-a]",
		"[\x01-\xff]",
	};
	static const char *const stars[] = {
		"***", "/***/x", "a/***/b", "a/***", "***/b", "\\***", "a***b",
		"[***]", "[a-***]",
	};
	static const char *const star_paths[] = {
		"a", "x", "a/x", "a/b", "a/c/b", "a/c/d/b", "*", "a*b", "ab", "b",
		"**", "c/x",
	};
	size_t i, j;
	int c;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		/* the class, then 70 of its last member again: long */
		char glob[256], line[260], path[4];
		size_t n = strlen(classes[i]) - 1;
		Pa_ignore *ig = Pa_ignore_new();

		memcpy(glob, "x", 1);
		memcpy(glob + 1, classes[i], n);
		for (j = 0; j < 70; j++)
			glob[1 + n + j] = classes[i][n - 1] == ']' ? 'q' : classes[i][n - 1];
		strcpy(glob + 1 + n + 70, "]y");
		snprintf(line, sizeof(line), "%s\n", glob);
		Pa_ignore_push(ig, "", line, strlen(line));
		for (c = 1; c < 256; c++) {
			int want, got;

			path[0] = 'x';
			path[1] = (char)c;
			path[2] = 'y';
			path[3] = '\0';
			want = c != '/' && Pa_ignore_match_glob(glob, path);
			got = Pa_ignore_has(ig, path, 0);
			if (got != want)
				fprintf(stderr, "FAIL %s against x\\x%02x y: %d\n", glob, c, got);
			CHECK_EQ_INT(got, want);
		}
		Pa_ignore_free(ig);
	}
	for (i = 0; i < sizeof(stars) / sizeof(stars[0]); i++) {
		Pa_ignore *ig = Pa_ignore_new();
		char line[64];
		const char *glob = stars[i][0] == '/' ? stars[i] + 1 : stars[i];

		snprintf(line, sizeof(line), "%s\n", stars[i]);
		Pa_ignore_push(ig, "", line, strlen(line));
		for (j = 0; j < sizeof(star_paths) / sizeof(star_paths[0]); j++) {
			const char *name = strrchr(star_paths[j], '/');
			int want = Pa_ignore_match_glob(glob, strchr(stars[i], '/') || !name
			                                ? star_paths[j] : name + 1);
			int got = Pa_ignore_has(ig, star_paths[j], 0);

			if (got != want)
				fprintf(stderr, "FAIL %s against %s: %d\n", stars[i],
				        star_paths[j], got);
			CHECK_EQ_INT(got, want);
		}
		Pa_ignore_free(ig);
	}
}

int main(void)
{
	test_globs();
	test_rules();
	test_short_cuts();
	test_compiled();
	test_hostile();
	return pa_test_summary();
}
