/*
 * countmemo.h - the token counts of parts of texts, remembered across
 * counts, so that a part that comes back (the CLAUDE.md chain every agent
 * of a project receives) is counted once per run.
 *
 * A text is cut where pa_tokenizer_safe_split may cut it, at every such
 * place: the tokens of the parts add up to those of the whole, so a count
 * from the memo is exact.  Where the cuts fall depends only on the bytes
 * around them, not on where the text started, so the same part of two
 * texts is cut alike and found.
 *
 * Open addressing on a 64-bit hash of the part's bytes, the bytes kept in
 * one pool to compare on a hit.  The memo keeps at most max_bytes of
 * parts; past that it only looks up.  Not thread-safe: tokenizer.c locks.
 */
#ifndef PA_COUNTMEMO_H
#define PA_COUNTMEMO_H

#include "internal.h"
#include "pretok.h"

#include <stdint.h>

typedef struct pa_count_memo pa_count_memo;

pa_count_memo *pa_count_memo_new(size_t max_bytes);
void pa_count_memo_free(pa_count_memo *m);

uint64_t pa_count_memo_hash(const char *p, size_t n);

/* Sets *count to the tokens of part p[0..n) with hash h; 0 when the part
 * is not kept. */
int pa_count_memo_find(const pa_count_memo *m, uint64_t h, const char *p,
                       size_t n, size_t *count);

/* Keeps the count of part p[0..n) with hash h (not yet kept), when the
 * memo has room for it. */
void pa_count_memo_put(pa_count_memo *m, uint64_t h, const char *p, size_t n,
                       size_t count);

static inline int pa_is_ascii_letter(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Whether text[0..len) may be cut before byte c (0 < c < len) by `rule`
 * (pretok.h): the one statement of the rule pa_tokenizer_safe_split
 * documents.  An ASCII letter never joins what comes before a line feed
 * (a mark or a digit could), and a printable ASCII character is never
 * white space nor the end of a sequence a pre-tokenizer extends. */
static inline int pa_cut_is_safe(const char *text, size_t len, size_t c,
                                 int rule)
{
	unsigned char before;

	if (c < 2 || c >= len)
		return 0;
	if (rule == PA_CUT_AFTER_RUN)
		return text[c - 1] == '\n' && pa_is_ascii_letter((unsigned char)text[c]);
	if (rule != PA_CUT_IN_RUN)
		return 0;
	before = (unsigned char)text[c - 2];
	if (text[c - 1] == '\n' && pa_is_ascii_letter((unsigned char)text[c]))
		return before > 0x20 && before < 0x7F; /* a run of one */
	before = (unsigned char)text[c - 1];
	return text[c] == '\n' && c + 1 < len &&
	       pa_is_ascii_letter((unsigned char)text[c + 1]) &&
	       (before == ' ' || (before >= '\t' && before <= '\r'));
}

/* The first place after `from` where text[0..len) may be cut by rule
 * (pa_cut_is_safe), or len when there is none. */
size_t pa_count_memo_next_cut(const char *text, size_t len, size_t from,
                              int rule);

#endif
