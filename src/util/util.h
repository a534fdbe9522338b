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

/*
 * Printing text from a project: the one rule
 *
 * Every name, path and value that comes from a project (file names, `name:`,
 * `memory:`, `skills:`, config keys, descriptions, and the messages that hold
 * them) is hostile: `check` runs on pull requests from anyone.  Before a
 * printer applies its own format (JSON, HTML, Markdown, XML, workflow
 * commands), it passes such text through one of these functions, which
 * decide alone what reaches a terminal or a CI log:
 *
 *  - control characters (C0, DEL, C1 U+0080-U+009F, so ESC, CR and LF too),
 *    the characters that reorder or hide text (bidirectional controls,
 *    U+2028/U+2029, zero-width characters, the byte order mark) and bytes
 *    that are not valid UTF-8 are written as escapes: \n \r \t \a \b
 *    \v \f, \xNN for other bytes, \uNNNN for other characters;
 *  - `::` at the start (after white space), which GitHub's runner reads as
 *    a workflow command at the start of a line, and `##[` anywhere, its
 *    older command syntax, never get through as they are;
 *  - text that needs none of this is printed unchanged.
 *
 * Example: `promptasm: warning: skipped .claude/agents/b\n::stop.md: ...`
 * (pa_quote_text) and, in a table, `"x\x1b]0;pwned\a"` (pa_quote).
 */

/* Whether s (len bytes) must be quoted to be printed as a value: it holds
 * a character or byte above, a `##[`, begins with `::` after white space,
 * or holds `"` or `\` (git's core.quotePath rule). */
int pa_quote_needed(const char *s, size_t len);

/* Appends s as a value: unchanged when pa_quote_needed() is 0, else in
 * double quotes with the escapes above and \" and \\, as git quotes a
 * path. */
void pa_quote(pa_buf *out, const char *s, size_t len);
void pa_quote_str(pa_buf *out, const char *s); /* NUL-terminated; NULL: nothing */

/* Appends s as running text (a message that holds names): the escapes
 * above without the quotes, " and \ unchanged, a leading `::` as
 * `\x3a:`.  Applying it twice changes nothing more, so a printer may pass
 * a message through it whether or not its values were quoted. */
void pa_quote_text(pa_buf *out, const char *s, size_t len);

/* Appends the value s (NULL: "") for a table cell: pa_quote(), shortened
 * to max characters (at least 4) ending in "..." when longer.  Returns the
 * characters appended, for padding. */
size_t pa_quote_cell(pa_buf *out, const char *s, size_t max);

/* Whether code point cp is one a printer shows as an escape (the list
 * above): JSON writes these as \uNNNN too. */
int pa_quote_hidden(int32_t cp);

#endif
