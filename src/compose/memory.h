/*
 * memory.h - an agent's persistent memory: its directory, how much of
 * MEMORY.md Claude Code loads, and the section that tells the agent about
 * both.  Not installed.
 */
#ifndef PA_MEMORY_H
#define PA_MEMORY_H

#include "discover/discover.h"
#include "prompt.h"

/* Appends the memory section of the agent to p, its MEMORY.md as the
 * discover stage reads it (Pa_cc_read_memory).  read (NULL: none) keeps
 * the MEMORY.md files read so far, for the next agents (the compose
 * cache owns it). */
pa_status Pa_memory_add(pa_prompt *p, const pa_agent *agent,
                        const pa_compose_options *opt, const Pa_places *pl,
                        Pa_memory_files **read, pa_warnings *warn,
                        pa_error *err);

#endif
