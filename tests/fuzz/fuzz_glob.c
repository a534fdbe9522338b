/* fuzz_glob.c - libFuzzer target: Pa_glob_match (the globs of rules'
 * `paths:`) against a slow reference written here from the rules in
 * promptasm(1), which must agree on every pattern and path.
 *
 * Input: byte 0 (bit 0: map each byte onto the 16 characters globs are
 * made of, so that patterns are dense in syntax; else bytes as they are,
 * NUL read as 'a'), byte 1 the pattern's length (at most 24), then the
 * pattern, then the path (at most 32 bytes).  The sizes keep every brace
 * expansion under PA_GLOB_MAX_BYTES and its depth limit, which the
 * reference does not have.
 *
 * The reference:
 *  - a leading "./" (repeated) and leading slashes leave the pattern, a
 *    leading "./" the path, before anything else;
 *  - braces are expanded first, into every pattern they stand for: the
 *    first `{` that has a matching `}` (nesting counted) opens the group
 *    (when the first `{` has none, nothing is expanded: the matcher's
 *    choice), its alternatives are split at commas outside inner braces,
 *    and a backslash escapes the character after it throughout, as it
 *    does for fnmatch(3); a group of one alternative is expanded too;
 *  - a pattern and a path are lists of segments (split at `/`; a final
 *    `/` makes no empty segment but marks a directory); `**` takes any
 *    number of whole segments, any other segment is fnmatch(3)ed against
 *    one path segment; computed by dynamic programming over (pattern
 *    segment, path segment), not by the matcher's backtracking;
 *  - a path that ends in `/` (a directory) is not matched by a pattern
 *    that ends in a name (not `**`) without a `/` of its own. */
#include "fuzz.h"

#include "glob.h"

#include <fnmatch.h>

#define MAX_PATTERN 24
#define MAX_PATH 32
#define MAX_SEGS 40

typedef struct segs {
	char buf[256];
	char *seg[MAX_SEGS];
	size_t n;
	int trailing;
} segs;

static void split(const char *s, segs *out)
{
	size_t len = strlen(s), i;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return;
	memcpy(out->buf, s, len + 1);
	out->seg[out->n++] = out->buf;
	for (i = 0; i < len; i++) {
		if (out->buf[i] == '/') {
			out->buf[i] = '\0';
			out->seg[out->n++] = out->buf + i + 1;
		}
	}
	if (out->seg[out->n - 1][0] == '\0') {
		out->n--;
		out->trailing = 1;
	}
}

static int is_globstar(const char *s)
{
	return !strcmp(s, "**");
}

/* ok[i][j]: pattern segments i.. match path segments j.. */
static int match_segments(const char *pattern, const char *path)
{
	static segs p, s;
	unsigned char ok[MAX_SEGS + 1][MAX_SEGS + 1];
	size_t i, j, k;

	split(pattern, &p);
	split(path, &s);
	for (i = p.n + 1; i-- > 0;) {
		for (j = s.n + 1; j-- > 0;) {
			if (i == p.n) {
				ok[i][j] = j == s.n;
			} else if (is_globstar(p.seg[i])) {
				ok[i][j] = 0;
				for (k = j; k <= s.n && !ok[i][j]; k++)
					ok[i][j] = ok[i + 1][k];
			} else {
				ok[i][j] = j < s.n && fnmatch(p.seg[i], s.seg[j], 0) == 0 &&
				           ok[i + 1][j + 1];
			}
		}
	}
	if (!ok[0][0])
		return 0;
	if (s.trailing && !p.trailing && p.n > 0 && !is_globstar(p.seg[p.n - 1]))
		return 0;
	return 1;
}

/* The first `{` with its matching `}`, escapes skipped; 0 when the first
 * `{` has none, or there is no `{`. */
static int find_group(const char *s, size_t *open, size_t *close)
{
	size_t i;
	int level = 0;

	for (i = 0; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1]) {
			i++;
			continue;
		}
		if (s[i] == '{') {
			if (level++ == 0)
				*open = i;
		} else if (s[i] == '}' && level > 0) {
			if (--level == 0) {
				*close = i;
				return 1;
			}
		}
	}
	return 0;
}

static int match_braces(const char *pattern, const char *path)
{
	size_t open = 0, close = 0, i, start;
	int level = 0;
	char buf[256];

	if (!find_group(pattern, &open, &close))
		return match_segments(pattern, path);
	start = open + 1;
	for (i = open + 1; i <= close; i++) {
		if (i < close && pattern[i] == '\\' && i + 1 < close) {
			i++;
			continue;
		}
		if (i < close && pattern[i] == '{')
			level++;
		else if (i < close && pattern[i] == '}' && level > 0)
			level--;
		else if (i == close || (pattern[i] == ',' && level == 0)) {
			size_t a = open, b = i - start;
			memcpy(buf, pattern, a);
			memcpy(buf + a, pattern + start, b);
			strcpy(buf + a + b, pattern + close + 1);
			if (match_braces(buf, path))
				return 1;
			start = i + 1;
		}
	}
	return 0;
}

static int reference(const char *pattern, const char *path)
{
	while (pattern[0] == '.' && pattern[1] == '/')
		pattern += 2;
	while (*pattern == '/')
		pattern++;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return match_braces(pattern, path);
}

static void take(const unsigned char *d, size_t n, int dense, char *out)
{
	static const char alphabet[16] = "ab/*?[]{},.\\!-^c";
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = dense ? alphabet[d[i] & 15] : d[i] ? (char)d[i] : 'a';
	out[n] = '\0';
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char pattern[MAX_PATTERN + 1], path[MAX_PATH + 1];
	size_t plen, slen;
	int dense, want, got;

	if (size < 2)
		return 0;
	dense = data[0] & 1;
	plen = data[1] % (MAX_PATTERN + 1);
	if (plen > size - 2)
		plen = size - 2;
	slen = size - 2 - plen;
	if (slen > MAX_PATH)
		slen = MAX_PATH;
	take(data + 2, plen, dense, pattern);
	take(data + 2 + plen, slen, dense, path);
	want = reference(pattern, path);
	got = Pa_glob_match(pattern, path);
	if (want != got)
		fprintf(stderr, "pattern '%s' path '%s': Pa_glob_match %d, the "
		        "reference %d\n", pattern, path, got, want);
	FUZZ_CHECK(want == got);
	return 0;
}
