/*
 * countmemo.h - the token counts of parts of texts, remembered across
 * counts, so that a part that comes back (the CLAUDE.md chain every agent
 * of a project receives) is counted once per run.
 *
 * A text is cut where pa_tokenizer_safe_split may cut it, at the anchors
 * among those places (Pa_count_memo_next_anchor): the tokens of the parts
 * add up to those of the whole, so a count from the memo is exact.  Where
 * the cuts fall depends only on the bytes around them, not on where the
 * text started, so the same part of two texts is cut alike and found.
 *
 * Open addressing on a 64-bit hash of the part's bytes, the bytes kept in
 * one pool to compare on a hit.  The memo keeps parts while they and
 * their slots (two a part: the table stays half empty) come to at most
 * max_bytes; past that it only looks up (growing the table takes half as
 * much again for a moment).  Not thread-safe: tokenizer.c locks.
 */
#ifndef PA_COUNTMEMO_H
#define PA_COUNTMEMO_H

#include "base/base.h"

#include <stdint.h>

typedef struct Pa_count_memo Pa_count_memo;

Pa_count_memo *Pa_count_memo_new(size_t max_bytes);
void Pa_count_memo_free(Pa_count_memo *m);

uint64_t Pa_count_memo_hash(const char *p, size_t n);

/* Sets *count to the tokens of part p[0..n) with hash h; 0 when the part
 * is not kept. */
int Pa_count_memo_find(const Pa_count_memo *m, uint64_t h, const char *p,
                       size_t n, size_t *count);

/* Pa_count_memo_find(), and the part noted as coming after it
 * (Pa_count_memo_link): its hash and length, a length of 0 when none is. */
int Pa_count_memo_find_next(const Pa_count_memo *m, uint64_t h, const char *p,
                            size_t n, size_t *count, uint64_t *next_hash,
                            size_t *next_len);

/* Notes that the part of hash next_hash and next_len bytes came right
 * after the kept part of hash h and n bytes, in place of any noted
 * before.  Only a guess for the next text to check: the shared
 * instructions of a project's prompts are the same parts in the same
 * order, and a guess that holds spares finding the next anchor and
 * hashing the part. */
void Pa_count_memo_link(Pa_count_memo *m, uint64_t h, size_t n,
                        uint64_t next_hash, size_t next_len);

/* Keeps the count of part p[0..n) with hash h, when the memo has room for
 * it and has not kept it yet. */
void Pa_count_memo_put(Pa_count_memo *m, uint64_t h, const char *p, size_t n,
                       size_t count);

/* The first place after `from` where text[0..len) may be cut by rule
 * (pa_cut_is_safe in pretok.h), or len when there is none. */
size_t Pa_count_memo_next_cut(const char *text, size_t len, size_t from,
                              int rule);

/* The first such place after `from` that is also an anchor, or len: one
 * cut in four, chosen by a hash of the eight bytes before it, so that a
 * text is cut into parts of a few lines wherever it appears (the same
 * bytes make the same anchors, whatever comes before them).  Cut at every
 * place, a CLAUDE.md of short lines made parts too short to keep, counted
 * again in every prompt: half the time of check.  A text whose lines all
 * end alike may have no anchor, and is then one part: counted exactly, but
 * found again only whole. */
size_t Pa_count_memo_next_anchor(const char *text, size_t len, size_t from,
                                 int rule);

#endif
