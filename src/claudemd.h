/*
 * claudemd.h - the project instructions: CLAUDE.md files, rules and their
 * @imports, in Claude Code's order.  Not installed.
 */
#ifndef PA_CLAUDEMD_H
#define PA_CLAUDEMD_H

#include "paths.h"
#include "prompt.h"

/* Removes HTML block comments outside fenced code (in place). */
void pa_claudemd_strip_comments(pa_buf *text);

/* Calls fn for each @import of text outside code spans and fenced code
 * blocks, with the path as written (escapes resolved). */
void pa_claudemd_imports(const char *text, size_t len,
                         void (*fn)(void *ctx, const char *path), void *ctx);

/* Appends the whole CLAUDE.md chain to p. */
pa_status pa_claudemd_add(pa_prompt *p, const pa_compose_options *opt,
                          const pa_places *pl, pa_warnings *warn,
                          pa_error *err);

#endif
