/* test_glob.c - the `paths:` glob matcher against a slow reference: the
 * recursive matcher it replaced, which tries every way of placing each
 * `**` (exponential, but the same answers), on random patterns and paths;
 * and the hostile cases that made the old one take minutes. */
#define _POSIX_C_SOURCE 200809L
#include "glob.h"
#include "unit.h"
#include "base.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* ---- the reference: promptasm's matcher before it was made linear ---- */

static int ref_segments(const char *pat, const char *path)
{
	const char *pend, *send;
	size_t plen;

	if (*pat == '\0')
		return *path == '\0';
	pend = strchr(pat, '/');
	plen = pend ? (size_t)(pend - pat) : strlen(pat);
	if (plen == 2 && pat[0] == '*' && pat[1] == '*') {
		const char *rest = pend ? pend + 1 : "";
		const char *p = path;
		for (;;) {
			if (ref_segments(rest, p))
				return 1;
			if (*rest == '\0' && *p != '\0')
				return 1;
			p = strchr(p, '/');
			if (!p)
				return 0;
			p++;
		}
	}
	if (*path == '\0')
		return 0;
	send = strchr(path, '/');
	{
		char *ps = Pa_xstrndup(pat, plen);
		char *ss = Pa_xstrndup(path, send ? (size_t)(send - path) : strlen(path));
		int ok = fnmatch(ps, ss, FNM_PATHNAME) == 0;
		free(ps);
		free(ss);
		if (!ok)
			return 0;
	}
	if (!pend)
		return send == NULL;
	if (!send)
		return ref_segments(pend + 1, "");
	return ref_segments(pend + 1, send + 1);
}

static int ref_braces(const char *pattern, const char *path, int depth)
{
	const char *open = NULL, *close = NULL, *p;
	int level = 0;

	if (depth > 16)
		return 0;
	for (p = pattern; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '{') {
			if (level++ == 0)
				open = p;
		} else if (*p == '}' && level > 0) {
			if (--level == 0) {
				close = p;
				break;
			}
		}
	}
	if (!open || !close)
		return ref_segments(pattern, path);
	{
		const char *start = open + 1;
		int found = 0;

		level = 0;
		for (p = open + 1; p <= close && !found; p++) {
			if (*p == '\\' && p + 1 < close) {
				p++;
				continue;
			}
			if (*p == '{') {
				level++;
				continue;
			}
			if (*p == '}' && level > 0 && p != close) {
				level--;
				continue;
			}
			if ((*p == ',' && level == 0) || p == close) {
				pa_buf b = PA_BUF_INIT;
				pa_buf_put(&b, pattern, (size_t)(open - pattern));
				pa_buf_put(&b, start, (size_t)(p - start));
				pa_buf_puts(&b, close + 1);
				found = ref_braces(b.ptr, path, depth + 1);
				pa_buf_release(&b);
				start = p + 1;
			}
		}
		return found;
	}
}

static int ref_match(const char *pattern, const char *path)
{
	while (pattern[0] == '.' && pattern[1] == '/')
		pattern += 2;
	while (*pattern == '/')
		pattern++;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return ref_braces(pattern, path, 0);
}

/* ---- random patterns and paths over a small alphabet ---- */

static unsigned long rng = 12345;

static unsigned next_rand(unsigned n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((rng >> 33) % n);
}

static void random_pattern(pa_buf *b)
{
	static const char *const atoms[] = {
		"a", "b", "c", ".", "*", "?", "**", "/", "/", "/", "**/", "/**",
		"[ab]", "[!a]", "[a-c]", "\\*", "{a,b}", "{a/b,c}", "{,a}", "{**,a}",
		"x{a,{b,c}}", "[", "]", "{", "}", ",", "./", "\\", "*a*",
	};
	unsigned n = 1 + next_rand(8), i;

	for (i = 0; i < n; i++)
		pa_buf_puts(b, atoms[next_rand(sizeof(atoms) / sizeof(atoms[0]))]);
}

static void random_path(pa_buf *b)
{
	static const char *const atoms[] = {
		"a", "b", "c", ".", "/", "/", "/", "ab", "*", "{", ",", "x", "./",
	};
	unsigned n = next_rand(9), i;

	for (i = 0; i < n; i++)
		pa_buf_puts(b, atoms[next_rand(sizeof(atoms) / sizeof(atoms[0]))]);
}

static void test_against_reference(void)
{
	int i, differ = 0, matched = 0;

	for (i = 0; i < 200000; i++) {
		pa_buf pat = PA_BUF_INIT, path = PA_BUF_INIT;
		int want, got;

		random_pattern(&pat);
		random_path(&path);
		want = ref_match(pat.ptr, path.ptr);
		matched += want;
		got = Pa_glob_match(pat.ptr, path.ptr);
		if (want != got && differ++ < 10)
			fprintf(stderr, "FAIL pattern '%s' path '%s': %d, the reference "
			        "says %d\n", pat.ptr, path.ptr, got, want);
		pa_buf_release(&pat);
		pa_buf_release(&path);
	}
	CHECK_EQ_INT(differ, 0);
	/* The cases are worth comparing only if many of them match. */
	CHECK(matched > 5000);
}

static void test_known(void)
{
	CHECK(Pa_glob_match("src/**/*.py", "src/api/v1/x.py"));
	CHECK(Pa_glob_match("src/**/*.py", "src/x.py"));
	CHECK(!Pa_glob_match("src/**/*.py", "lib/src/x.py"));
	CHECK(Pa_glob_match("**", "a/b/c"));
	CHECK(Pa_glob_match("a/**", "a"));
	CHECK(Pa_glob_match("a/", "a/"));
	CHECK(!Pa_glob_match("a", "a/"));
	CHECK(Pa_glob_match("{src,lib}/**/*.{c,h}", "lib/x/y.h"));
	CHECK(!Pa_glob_match("{src,lib}/**/*.{c,h}", "lib/x/y.py"));
	/* A backslash escapes within a group as it does in finding it
	 * (found by fuzz_glob: the group was split at `\,`). */
	CHECK(Pa_glob_match("{a\\,b,c}", "a,b"));
	CHECK(Pa_glob_match("{a\\,b,c}", "c"));
	CHECK(!Pa_glob_match("{a\\,b,c}", "b"));
	CHECK(!Pa_glob_match("{-\\,{}}", ""));
}

/* What took the old matcher minutes: ten `**` against 30 segments that
 * never match, and brace groups that multiply. */
static void test_hostile(void)
{
	pa_buf path = PA_BUF_INIT, pat = PA_BUF_INIT;
	int i;

	for (i = 0; i < 30; i++)
		pa_buf_puts(&path, i ? "/d" : "d");
	CHECK(!Pa_glob_match("**/**/**/**/**/**/**/**/**/**/x", path.ptr));
	pa_buf_puts(&path, "/x");
	CHECK(Pa_glob_match("**/**/**/**/**/**/**/**/**/**/x", path.ptr));
	for (i = 0; i < 16; i++)
		pa_buf_puts(&pat, "{a,b,c,d,e,f,g,h,i,j}");
	/* 10^16 alternatives: stops at PA_GLOB_MAX_BYTES, matching nothing. */
	CHECK(!Pa_glob_match(pat.ptr, "z"));
	pa_buf_reset(&pat);
	for (i = 0; i < 200000; i++)
		pa_buf_puts(&pat, "**/");
	pa_buf_puts(&pat, "x");
	CHECK(!Pa_glob_match(pat.ptr, path.ptr)); /* over the limit */
	pa_buf_release(&pat);
	pa_buf_release(&path);
}

int main(void)
{
	RUN(test_known);
	RUN(test_against_reference);
	RUN(test_hostile);
	return pa_test_summary();
}
