/* fuzz_ignore.c - libFuzzer target: the .gitignore matcher (util/ignore.c)
 * on any rules and paths, which a pull request controls.
 *
 * Input: the text of a .gitignore, then a NUL, then paths, one a line (at
 * most 16, each at most 256 bytes; a final `/` asks about a directory).
 *
 * The oracle, for every path, the answers of Pa_ignore_has() with:
 *   - the rules once (the answer);
 *   - the same rules pushed twice at the same base: the deeper copy
 *     decides wherever the first would, the same way;
 *   - the rules between comment and blank lines (`# x`, ``): the same;
 *   - the rules, then an empty file pushed at a directory below: the same;
 *   - after the rules are popped: nothing is left out;
 *   - rules of one plain line (no `!`, `#`, `/` at either end, space or
 *     CR at the end): what wildmatch read afresh says of the path (of its
 *     name, for a line without `/`), whatever ignore.c made of it once
 *     (a name, `*.ext`, a long class as a set, a run of stars as one).
 * Each the same, and no crash, leak or undefined behaviour (ASan, UBSan)
 * on any pattern: brackets that never close, `**` runs, backslashes at
 * the end, bytes that are not UTF-8. */
#include "fuzz.h"
#include "promptasm.h"
#include "util.h"

#define MAX_PATHS 16
#define MAX_PATH 256
#define MAX_GLOB 4096

static int answer(const Pa_ignore *ig, const char *path)
{
	size_t n = strlen(path);
	char buf[MAX_PATH + 1];
	int dir = n > 0 && path[n - 1] == '/';

	memcpy(buf, path, n + 1);
	if (dir)
		buf[n - 1] = '\0';
	return Pa_ignore_has(ig, buf, dir);
}

/* Whether the rules are one line that is its own glob: not a comment,
 * a `!`, anchored by a leading `/`, for directories by a trailing one,
 * or cut at the end (spaces, CR). */
static int plain_line(const unsigned char *t, size_t n)
{
	return n && !memchr(t, '\n', n) && t[0] != '#' && t[0] != '!' && t[0] != '/' &&
	       t[n - 1] != '/' && t[n - 1] != ' ' && t[n - 1] != '\r' &&
	       t[n - 1] != '\\';
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const unsigned char *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - data) : size, at, n = 0, i;
	char paths[MAX_PATHS][MAX_PATH + 1];
	Pa_ignore *once, *twice, *padded, *below;
	pa_buf text = PA_BUF_INIT;

	for (at = tlen + 1; nul && at < size && n < MAX_PATHS;) {
		const unsigned char *nl = memchr(data + at, '\n', size - at);
		size_t len = nl ? (size_t)(nl - (data + at)) : size - at;

		if (len <= MAX_PATH && !memchr(data + at, '\0', len)) {
			memcpy(paths[n], data + at, len);
			paths[n++][len] = '\0';
		}
		at += len + 1;
	}
	once = Pa_ignore_new();
	Pa_ignore_push(once, "", (const char *)data, tlen);
	twice = Pa_ignore_new();
	Pa_ignore_push(twice, "", (const char *)data, tlen);
	Pa_ignore_push(twice, "", (const char *)data, tlen);
	pa_buf_puts(&text, "# a comment\n\n");
	pa_buf_put(&text, data, tlen);
	pa_buf_puts(&text, "\n\n# the end\n");
	padded = Pa_ignore_new();
	Pa_ignore_push(padded, "", text.ptr, text.len);
	below = Pa_ignore_new();
	Pa_ignore_push(below, "", (const char *)data, tlen);
	Pa_ignore_push(below, "zz/below", "", 0);
	for (i = 0; i < n; i++) {
		int a = answer(once, paths[i]);

		FUZZ_CHECK(a == 0 || a == 1);
		if (plain_line(data, tlen) && tlen < MAX_GLOB &&
		    (memchr(data, '/', tlen) ? paths[i][0] && paths[i][strlen(paths[i]) - 1] != '/'
		                             : !strchr(paths[i], '/'))) {
			char glob[MAX_GLOB];

			memcpy(glob, data, tlen);
			glob[tlen] = '\0';
			FUZZ_CHECK(a == Pa_ignore_match_glob(glob, paths[i]));
		}
		FUZZ_CHECK(answer(twice, paths[i]) == a);
		FUZZ_CHECK(answer(below, paths[i]) == a);
		/* a last line without its line end is the same line */
		if (!tlen || data[tlen - 1] != '\\')
			FUZZ_CHECK(answer(padded, paths[i]) == a);
	}
	Pa_ignore_pop(once);
	FUZZ_CHECK(Pa_ignore_depth(once) == 0);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(answer(once, paths[i]) == 0);
	Pa_ignore_free(once);
	Pa_ignore_free(twice);
	Pa_ignore_free(padded);
	Pa_ignore_free(below);
	pa_buf_release(&text);
	return 0;
}
