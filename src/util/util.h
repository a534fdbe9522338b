/*
 * util.h - plumbing shared by the library and the CLI (src/cli/), never
 * installed: the public header stays for library users.  Depends on
 * nothing but libc and include/promptasm.h.
 */
#ifndef PA_UTIL_H
#define PA_UTIL_H

#include "promptasm.h"

/* The SHA-256 of data as 64 lowercase hex digits and a NUL. */
void pa_sha256_hex(const void *data, size_t len, char hex[65]);

/* Appends text as a JSON string, quotes included.  Every control
 * character is escaped and each invalid UTF-8 sequence becomes U+FFFD, so
 * the output is valid JSON for any input bytes. */
void pa_json_string(pa_buf *out, const char *s, size_t len);

#endif
