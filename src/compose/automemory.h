/*
 * automemory.h - the main session's auto memory, which Claude Code sends
 * every subagent too: MEMORY.md of a per-project directory under the
 * user's Claude directory.  Not installed.
 *
 * The directory (measured on Claude Code 2.1.332, tests/oracle/ fixtures
 * automem-*): autoMemoryDirectory of the settings when set, else
 * CLAUDE_DIR/projects/NAME/memory/, where CLAUDE_DIR is CLAUDE_CONFIG_DIR
 * or ~/.claude and NAME the repository's root (the nearest `.git` from
 * the working directory, in a linked worktree its main repository's;
 * without one the working directory itself) with
 * every character but ASCII letters and digits made `-` (a character
 * outside the BMP makes two, as JavaScript counts it).  Only MEMORY.md is
 * loaded: the first PA_MEMORY_MAX_LINES lines and PA_MEMORY_MAX_CHARS
 * characters, CRs counted, then its CRs, frontmatter and HTML comments
 * removed; its @words are not imports.  It comes after the instruction
 * files.  Nothing is sent when the file is missing or blank.
 */
#ifndef PA_AUTOMEMORY_H
#define PA_AUTOMEMORY_H

#include "paths.h"
#include "prompt.h"
#include "settings.h"

/* Claude Code names a longer directory with a hash we do not reproduce. */
#define PA_AUTO_MEMORY_MAX_NAME 200

/* The auto memory directory, absolute, without a final `/`; NULL when
 * auto memory is off (opt->no_auto_memory, autoMemoryEnabled false, no
 * user directory) or its name would be longer than
 * PA_AUTO_MEMORY_MAX_NAME (with a warning).  Caller frees. */
char *Pa_automemory_dir(const pa_compose_options *opt, const pa_places *pl,
                        const pa_cc_settings *s, pa_warnings *warn);

/* Appends the auto memory section to p when MEMORY.md has text. */
void Pa_automemory_add(pa_prompt *p, const pa_compose_options *opt,
                       const pa_places *pl, const pa_cc_settings *s,
                       pa_warnings *warn);

#endif
