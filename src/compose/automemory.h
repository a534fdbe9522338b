/*
 * automemory.h - the main session's auto memory, which Claude Code sends
 * every subagent too: MEMORY.md of a per-project directory under the
 * user's Claude directory.  Not installed.
 *
 * Where it is and what of it is loaded: the discover stage's
 * (Pa_cc_auto_memory in src/discover/discover.h).
 */
#ifndef PA_AUTOMEMORY_H
#define PA_AUTOMEMORY_H

#include "discover/discover.h"
#include "prompt.h"

/* Appends the auto memory section to p when MEMORY.md has text, and
 * what reading it warned. */
void Pa_automemory_add(pa_prompt *p, const pa_compose_options *opt,
                       const Pa_places *pl, pa_warnings *warn);

#endif
