/* glob.c - the globs of a rule's `paths:`: fnmatch(3) within a segment,
 * `**` across segments, `{a,b}` alternatives. */
#define _POSIX_C_SOURCE 200809L
#include "glob.h"
#include "internal.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* Matches segment lists: pat and path are `/`-separated, no leading `/`. */
static int match_segments(const char *pat, const char *path)
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
		/* `**` takes zero or more whole segments. */
		for (;;) {
			if (match_segments(rest, p))
				return 1;
			if (*rest == '\0' && *p != '\0')
				return 1; /* a trailing `**` takes everything */
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
		char *ps = pa_xstrndup(pat, plen);
		char *ss = pa_xstrndup(path, send ? (size_t)(send - path) : strlen(path));
		int ok = fnmatch(ps, ss, FNM_PATHNAME) == 0;
		free(ps);
		free(ss);
		if (!ok)
			return 0;
	}
	if (!pend)
		return send == NULL;
	if (!send)
		return match_segments(pend + 1, "") ;
	return match_segments(pend + 1, send + 1);
}

/* Expands the first {a,b,...} group of pattern and matches each choice. */
static int match_braces(const char *pattern, const char *path, int depth)
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
		return match_segments(pattern, path);
	{
		const char *start = open + 1;
		int found = 0;

		level = 0;
		for (p = open + 1; p <= close && !found; p++) {
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
				found = match_braces(b.ptr, path, depth + 1);
				pa_buf_release(&b);
				start = p + 1;
			}
		}
		return found;
	}
}

int pa_glob_match(const char *pattern, const char *path)
{
	while (pattern[0] == '.' && pattern[1] == '/')
		pattern += 2;
	while (*pattern == '/')
		pattern++;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return match_braces(pattern, path, 0);
}
