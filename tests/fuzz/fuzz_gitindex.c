/* fuzz_gitindex.c - libFuzzer target: git's index read by ourselves
 * (util/gitindex.c) on any bytes.  Byte 0 picks the object names' size
 * (bit 0: 32, SHA-256; else 20), the rest is the index file.
 *
 * The oracle: a list is only ever one a walk may trust (each path once,
 * in git's order, no empty, `.`, `..` or `.git` component, no leading
 * `/`, within PA_GITINDEX_MAX_PATH; each mode a file, a link or a
 * gitlink; no more paths than the header counts; the paths together
 * within PA_GITINDEX_PATH_FACTOR times the input); a broken index names
 * a byte within the file; an index not used says why. */
#include "fuzz.h"
#include "promptasm.h"
#include "util.h"

static int component_ok(const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	return !(n == 4 && s[0] == '.' && (s[1] | 32) == 'g' && (s[2] | 32) == 'i' &&
	         (s[3] | 32) == 't');
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	Pa_gitindex *ix = NULL;
	pa_error err;
	pa_status st;
	size_t i, total = 0;

	if (size == 0)
		return 0;
	st = Pa_gitindex_parse(data + 1, size - 1, data[0] & 1 ? 32 : 20, 100000, "index",
	                       &ix, &err);
	if (st == PA_OK) {
		size_t count = size >= 13 ? (size_t)data[9] << 24 | (size_t)data[10] << 16 |
		                             (size_t)data[11] << 8 | data[12] : 0;

		FUZZ_CHECK(ix != NULL);
		FUZZ_CHECK(ix->n <= count);
		for (i = 0; i < ix->n; i++) {
			const char *p = ix->paths[i], *s = p;
			size_t len = strlen(p);

			FUZZ_CHECK(len > 0 && len <= PA_GITINDEX_MAX_PATH);
			total += len + 1;
			FUZZ_CHECK(ix->modes[i] == PA_GITINDEX_FILE || ix->modes[i] == PA_GITINDEX_LINK ||
			           ix->modes[i] == PA_GITINDEX_GITLINK);
			FUZZ_CHECK(i == 0 || strcmp(ix->paths[i - 1], p) < 0);
			for (;;) {
				const char *slash = strchr(s, '/');
				size_t n = slash ? (size_t)(slash - s) : strlen(s);

				FUZZ_CHECK(component_ok(s, n));
				if (!slash)
					break;
				s = slash + 1;
			}
		}
		FUZZ_CHECK(total <= (size - 1) * PA_GITINDEX_PATH_FACTOR + PA_GITINDEX_MAX_PATH);
		Pa_gitindex_free(ix);
	} else {
		FUZZ_CHECK(ix == NULL);
		if (st == PA_ERR_NOT_FOUND)
			FUZZ_CHECK(err.message[0] != '\0');
		else if (st == PA_ERR_PARSE)
			FUZZ_CHECK(err.offset >= 0 && (size_t)err.offset <= size - 1);
		else
			FUZZ_CHECK(st == PA_ERR_TOO_LARGE);
		FUZZ_CHECK(!strcmp(err.file, "index"));
	}
	return 0;
}
