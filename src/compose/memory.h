/*
 * memory.h - an agent's persistent memory: its directory, how much of
 * MEMORY.md Claude Code loads, and the section that tells the agent about
 * both.  Not installed.
 */
#ifndef PA_MEMORY_H
#define PA_MEMORY_H

#include "paths.h"
#include "prompt.h"

/* Cuts MEMORY.md's text as Claude Code loads it: trimmed, the first
 * PA_MEMORY_MAX_LINES lines, then at most PA_MEMORY_MAX_CHARS characters cut
 * at a newline.  Appends the kept text to out; returns 1 and fills note
 * ("200 of 230 lines (1234 of 2345 bytes)") when something was cut.
 * *skipped_lines (may be NULL) gets the number of blank lines trimmed
 * from the start. */
int Pa_memory_cut(const char *text, size_t len, pa_buf *out, pa_buf *note,
                  size_t *skipped_lines);

/* The memory directory of agent `name` in scope, or NULL with err set for
 * an unknown scope or a missing home.  Caller frees. */
char *Pa_memory_dir(const char *scope, const char *name,
                    const pa_places *pl, pa_error *err);

/* The MEMORY.md files a compose cache keeps, read and cut once for the
 * agents whose memory is the same file (memory.c). */
typedef struct pa_memory_files pa_memory_files;
void Pa_memory_files_free(pa_memory_files *f); /* NULL does nothing */

/* Appends the memory section of the agent to p.  read (NULL: none) keeps
 * the MEMORY.md files read so far, for the next agents (compose.c's
 * cache owns it). */
pa_status Pa_memory_add(pa_prompt *p, const pa_agent *agent,
                        const pa_compose_options *opt, const pa_places *pl,
                        pa_memory_files **read, pa_warnings *warn,
                        pa_error *err);

#endif
