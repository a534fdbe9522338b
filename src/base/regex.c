/* regex.c - a pattern matched against a whole id (see regex.h). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

/* Appends repl to out with $N replaced by group N of the match. */
static void expand(const char *subject, pcre2_match_data *md, const char *repl,
                   size_t len, pa_buf *out)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	uint32_t pairs = pcre2_get_ovector_count(md);
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned g;

		if (repl[i] != '$' || i + 1 == len || repl[i + 1] < '1' ||
		    repl[i + 1] > '9') {
			pa_buf_putc(out, repl[i]);
			continue;
		}
		g = (unsigned)(repl[++i] - '0');
		if (g < pairs && ov[2 * g] != PCRE2_UNSET)
			pa_buf_put(out, subject + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
	}
}

int Pa_regex_whole_match(const char *subject, const char *pattern, size_t len,
                         const char *repl, size_t rlen, pa_buf *out,
                         size_t *erroff, char *msg, size_t msgsize)
{
	int errcode, rc;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, len,
	                               PCRE2_ANCHORED | PCRE2_ENDANCHORED,
	                               &errcode, &off, NULL);
	pcre2_match_data *md;

	if (!re) {
		pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg, msgsize);
		*erroff = off;
		return -1;
	}
	md = pcre2_match_data_create_from_pattern(re, NULL);
	if (!md) {
		pcre2_code_free(re);
		snprintf(msg, msgsize, "out of memory");
		*erroff = 0;
		return -1;
	}
	rc = pcre2_match(re, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md, NULL);
	if (rc >= 0 && repl) {
		pa_buf_reset(out);
		expand(subject, md, repl, rlen, out);
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return rc >= 0;
}

/* Steps of one search: far above what a hook's matcher takes, far below
 * a catastrophic backtrack's. */
#define SEARCH_MATCH_LIMIT 1000000
#define SEARCH_DEPTH_LIMIT 10000

int Pa_regex_search(const char *subject, const char *pattern)
{
	int errcode, rc;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                               PCRE2_UTF, &errcode, &off, NULL);
	pcre2_match_context *mc;
	pcre2_match_data *md;

	if (!re)
		return -1;
	mc = pcre2_match_context_create(NULL);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	if (!mc || !md) {
		pcre2_match_context_free(mc);
		pcre2_match_data_free(md);
		pcre2_code_free(re);
		return 0;
	}
	pcre2_set_match_limit(mc, SEARCH_MATCH_LIMIT);
	pcre2_set_depth_limit(mc, SEARCH_DEPTH_LIMIT);
	rc = pcre2_match(re, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md, mc);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	pcre2_code_free(re);
	return rc >= 0;
}
