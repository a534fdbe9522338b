/* glob.c - the globs of a rule's `paths:`: fnmatch(3) within a segment,
 * `**` across segments, `{a,b}` alternatives.
 *
 * A rule file may be hostile, so matching is bounded.  `**` is matched as
 * `*` is in the classic wildcard matcher: only the last `**` is ever
 * backtracked to, so a pattern of m segments against a path of n costs at
 * most m x n segment matches, where trying each way of placing every `**`
 * cost exponential time.  Brace groups multiply: each alternative is a
 * pattern matched in turn, and all of them together may hold at most
 * PA_GLOB_MAX_BYTES bytes; past that a pattern matches nothing. */
#define _POSIX_C_SOURCE 200809L
#include "glob.h"
#include "base.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* A pattern or a path cut at its slashes, in one copy whose `/` are now
 * NULs.  A final `/` gives no empty last segment but sets `trailing`;
 * the empty string has no segments. */
typedef struct segs {
	char *copy;
	char **seg;
	size_t n;
	int trailing;
} segs;

static void split(const char *s, segs *out)
{
	size_t len = strlen(s), i, k = 1;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return;
	out->copy = Pa_xstrndup(s, len);
	for (i = 0; i < len; i++)
		k += s[i] == '/';
	out->seg = Pa_xmalloc(k * sizeof(*out->seg));
	out->seg[out->n++] = out->copy;
	for (i = 0; i < len; i++) {
		if (out->copy[i] != '/')
			continue;
		out->copy[i] = '\0';
		out->seg[out->n++] = out->copy + i + 1;
	}
	if (out->seg[out->n - 1][0] == '\0') {
		out->n--;
		out->trailing = 1;
	}
}

static void segs_release(segs *s)
{
	free(s->copy);
	free(s->seg);
}

static int is_globstar(const char *seg)
{
	return seg[0] == '*' && seg[1] == '*' && seg[2] == '\0';
}

/* Matches segment lists: `**` takes zero or more whole segments; any
 * other segment is fnmatch(3)ed against one path segment.  Only the last
 * `**` is returned to: what an earlier one took can never need to
 * change, as a later `**` can take whatever it would have given up. */
static int match_segments(const char *pattern, const char *path)
{
	segs p, s;
	size_t i = 0, j = 0, star = 0, star_j = 0;
	int have_star = 0, ok;

	split(pattern, &p);
	split(path, &s);
	while (j < s.n) {
		if (i < p.n && is_globstar(p.seg[i])) {
			have_star = 1;
			star = i++;
			star_j = j;
		} else if (i < p.n && fnmatch(p.seg[i], s.seg[j], FNM_PATHNAME) == 0) {
			i++;
			j++;
		} else if (have_star) {
			i = star + 1;
			j = ++star_j;
		} else {
			break;
		}
	}
	while (j == s.n && i < p.n && is_globstar(p.seg[i]))
		i++;
	ok = i == p.n && j == s.n;
	/* A pattern that ends in a name (`src/x`) names no directory: it
	 * does not match `src/x/`, unless it ends in `/` itself. */
	if (ok && p.n > 0 && !is_globstar(p.seg[p.n - 1]) && s.trailing &&
	    !p.trailing)
		ok = 0;
	segs_release(&p);
	segs_release(&s);
	return ok;
}

/* Expands the first {a,b,...} group of pattern and matches each choice;
 * *budget is what the patterns tried may still add up to. */
static int match_braces(const char *pattern, const char *path, int depth,
                        long *budget)
{
	const char *open = NULL, *close = NULL, *p;
	int level = 0;

	*budget -= (long)strlen(pattern);
	if (depth > 16 || *budget < 0)
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
		return match_segments(pattern, path);
	{
		const char *start = open + 1;
		int found = 0;

		level = 0;
		for (p = open + 1; p <= close && !found && *budget >= 0; p++) {
			/* An escaped character is skipped here as it was in
			 * finding the group: `{a\,b,c}` is "a\,b" or "c" (it
			 * was split at the `\,`; found by fuzz_glob). */
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
				found = match_braces(b.ptr, path, depth + 1, budget);
				pa_buf_release(&b);
				start = p + 1;
			}
		}
		return found;
	}
}

int Pa_glob_match(const char *pattern, const char *path)
{
	long budget = PA_GLOB_MAX_BYTES;

	while (pattern[0] == '.' && pattern[1] == '/')
		pattern += 2;
	while (*pattern == '/')
		pattern++;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return match_braces(pattern, path, 0, &budget);
}
