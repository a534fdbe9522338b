/*
 * nfkc.h - NFKC normalization as the claude tokenizer applies it to its
 * input: utf8proc's, corrected where it differs from the reference
 * (nfkc_corrections.inc), with stable characters copied as they are.
 */
#ifndef PA_NFKC_H
#define PA_NFKC_H

#include "base/base.h"

/* Appends the NFKC form of valid UTF-8 text to out (claude normalizes its
 * input so).  Fails only when utf8proc does (out of memory). */
pa_status Pa_nfkc(const char *text, size_t len, pa_buf *out, pa_error *err);

/* 1 when NFKC leaves code point cp as it is whatever surrounds it, so
 * Pa_nfkc() copies it (nfkc_stable.inc).  Exposed for tests. */
int Pa_nfkc_stable(uint32_t cp);

/* The length of the longest prefix of valid UTF-8 text whose characters
 * are all stable: when it is len, the text is its own NFKC form. */
size_t Pa_nfkc_stable_prefix(const char *text, size_t len);

/* Pa_nfkc() as it was before it knew the stable characters (only ASCII
 * copied, every other stretch through utf8proc), for tests to compare
 * with. */
pa_status Pa_nfkc_by_stretches(const char *text, size_t len, pa_buf *out,
                               pa_error *err);

/* Appends the NFC form of valid UTF-8 text to out (qwen3 normalizes its
 * input so): utf8proc's, stretch by stretch.  Fails only when utf8proc
 * does (out of memory). */
pa_status Pa_nfc(const char *text, size_t len, pa_buf *out, pa_error *err);

/* The length of the prefix of valid UTF-8 text that is below U+0300:
 * when it is len, the text is its own NFC form. */
size_t Pa_nfc_quick(const char *text, size_t len);

#endif
