/* regex.h - a table's pattern matched against a whole id (models.tsv,
 * claude-bands.tsv): PCRE2, anchored at both ends, written once; and a
 * repository's pattern searched in a name (a hook's matcher).  Not
 * installed. */
#ifndef PA_REGEX_H
#define PA_REGEX_H

#include "util/util.h"

/* Whether the whole of subject matches pattern[0..len): 1 or 0; -1 when
 * the pattern does not compile, with PCRE2's message in msg and the
 * offset of the fault in *erroff.  With repl (not NULL) and a match, out
 * is set to repl[0..rlen) with each $N replaced by group N. */
int Pa_regex_whole_match(const char *subject, const char *pattern, size_t len,
                         const char *repl, size_t rlen, pa_buf *out,
                         size_t *erroff, char *msg, size_t msgsize);

/* Whether pattern (a repository's: hostile) matches somewhere in subject,
 * as JavaScript's RegExp.test does: 1 or 0; -1 when it does not compile.
 * Matching is bounded (PCRE2's match and depth limits): a pattern that
 * runs past them does not match. */
int Pa_regex_search(const char *subject, const char *pattern);

#endif
