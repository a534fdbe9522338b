/*
 * pretok.h - the pre-tokenizer: the regex split a tiktoken-style BPE
 * tokenizer makes before it merges bytes.  Library-internal.
 *
 * Invariants:
 *
 *  - Semantics.  The pieces are exactly those of tiktoken's
 *    `regex.find_iter(text)` (Rust fancy-regex / regex crate): leftmost-
 *    first alternation, greedy quantifiers with backtracking, `\s` is the
 *    Unicode White_Space property, `(?i)` is simple case folding.
 *  - Unicode version.  The three known patterns below are scanned by hand
 *    with the general categories of Unicode 16.0, the version tiktoken's
 *    regex crate uses (tiktoken 1.0.22): utf8proc's categories, corrected
 *    by a table in pretok.c for the code points whose class differs in
 *    Unicode 12.1 to 15.1, so any utf8proc from 2.4 to 2.10 gives the same
 *    classes.  A pattern compiled with PCRE2 gets PCRE2's own Unicode
 *    version (10.42: Unicode 14), so on code points assigned since then
 *    it may split differently from tiktoken.
 *  - Text.  `text` must be valid UTF-8 (pa_utf8_valid()); it need not be
 *    NUL-terminated.  On invalid UTF-8 the hand scanners stay in bounds
 *    but the pieces are unspecified; the PCRE2 path is undefined.
 *  - Ownership.  pa_pretok_new*() give an object the caller frees with
 *    pa_pretok_free(); the pattern string is copied, not kept.
 *  - Threads.  A pa_pretok of a known pattern is read-only once made and
 *    may be shared between threads.  One compiled with PCRE2 keeps its
 *    match data inside (one allocation per call costs more than the
 *    match), so it must be used by one thread at a time: make one per
 *    thread.  pa_pretok_is_regex() tells which is which.
 *
 * The known patterns (byte-for-byte; any other string goes to PCRE2):
 *
 *   cl100k_base (also Llama 3):
 *     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
 *     ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 *   o200k_base:
 *     [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+
 *     (?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+
 *     [\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}|
 *     ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
 *   claude, and GPT-2 / r50k / p50k spelt `'(?:[sdmt]|ll|ve|re)|...`:
 *     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 *
 * Example: every piece of a text.
 *
 *     pa_pretok *pt;
 *     size_t start = 0, end;
 *     if (pa_pretok_new(pattern, &pt, &err) != PA_OK)
 *             return err.status;
 *     while (pa_pretok_next(pt, text, len, &start, &end)) {
 *             bpe(text + start, end - start);
 *             start = end;
 *     }
 *     pa_pretok_free(pt);
 */
#ifndef PA_PRETOK_H
#define PA_PRETOK_H

#include "internal.h"

typedef struct pa_pretok pa_pretok;

/* ---------------------------------------------------------------------
 * Making and freeing
 * ------------------------------------------------------------------- */

/*
 * Compiles `pattern` (NUL-terminated, Rust regex syntax).  One of the
 * known patterns gets a hand-written scanner; any other is compiled with
 * PCRE2 (UTF, UCP, JIT when available) after translating what PCRE2 reads
 * differently from Rust's regex crate: `\s` `\S` `\w` `\W` (also inside
 * classes), `$` (end of text only) and `.` (anything but `\n`).  Not
 * translated, so avoid them: `\b` `\B` (PCRE2's own \w), POSIX classes
 * `[[:alpha:]]` (Unicode under PCRE2, ASCII in Rust), nested classes and
 * class set operations (`&&`, `--`, `~~`), `(?x)` whitespace inside
 * classes.  A pattern PCRE2 rejects is PA_ERR_PARSE with the offset in
 * err->offset.  On success *out owns the pre-tokenizer.
 */
pa_status pa_pretok_new(const char *pattern, pa_pretok **out, pa_error *err);

/* As pa_pretok_new(), but always compiles with PCRE2, even a known
 * pattern (tests compare the two). */
pa_status pa_pretok_new_regex(const char *pattern, pa_pretok **out,
                              pa_error *err);

/* Frees p.  NULL does nothing. */
void pa_pretok_free(pa_pretok *p);

/* 1 when p matches with PCRE2 (so is not shareable between threads). */
int pa_pretok_is_regex(const pa_pretok *p);

/* ---------------------------------------------------------------------
 * Splitting
 * ------------------------------------------------------------------- */

/*
 * Finds the next piece at or after *start in text[0..len).  Returns 1 and
 * sets *start and *end to the piece's byte range (never empty), or 0 when
 * there is none.  As tiktoken's find_iter: text between matches (only
 * with unusual patterns) is skipped, and so are empty matches (they
 * encode to no tokens).  For the known patterns pieces are contiguous and
 * cover the text.  The hand scanners allocate nothing; PCRE2 does only
 * when it has no JIT.
 */
int pa_pretok_next(const pa_pretok *p, const char *text, size_t len,
                   size_t *start, size_t *end);

/* ---------------------------------------------------------------------
 * Character classes, exposed for tests
 * ------------------------------------------------------------------- */

/* The class of a code point as the hand scanners see it: one bit, or 0
 * for everything else (punctuation, symbols, controls that are not
 * White_Space, format, private use, unassigned). */
enum {
	PA_PRETOK_LU = 1,   /* \p{Lu} */
	PA_PRETOK_LL = 2,   /* \p{Ll} */
	PA_PRETOK_LT = 4,   /* \p{Lt} */
	PA_PRETOK_LM = 8,   /* \p{Lm} */
	PA_PRETOK_LO = 16,  /* \p{Lo} */
	PA_PRETOK_M = 32,   /* \p{M}: Mn, Mc, Me */
	PA_PRETOK_N = 64,   /* \p{N}: Nd, Nl, No */
	PA_PRETOK_WS = 128  /* \s: the White_Space property */
};

/* The class of code point cp (0 for a surrogate or above U+10FFFF). */
unsigned pa_pretok_class(uint32_t cp);

/* 1 when cp is one of the code points whose class the correction table in
 * pretok.c sets: its class under Unicode 16.0 differs from that under one
 * of Unicode 12.1 to 15.1 (so an older table, PCRE2 10.42's for one, may
 * disagree). */
int pa_pretok_class_corrected(uint32_t cp);

#endif
