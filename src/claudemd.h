/*
 * claudemd.h - the project instructions: CLAUDE.md files, rules and their
 * @imports, in Claude Code's order.  Not installed.
 */
#ifndef PA_CLAUDEMD_H
#define PA_CLAUDEMD_H

#include "paths.h"
#include "prompt.h"

/* Appends the whole CLAUDE.md chain to p. */
pa_status pa_claudemd_add(pa_prompt *p, const pa_compose_options *opt,
                          const pa_places *pl, pa_warnings *warn,
                          pa_error *err);

/* Appends the skills the agent preloads (`skills:`), each SKILL.md
 * without its frontmatter; a skill that is not found is warned about. */
pa_status pa_skills_add(pa_prompt *p, const pa_agent *agent,
                        const pa_compose_options *opt, const pa_places *pl,
                        pa_warnings *warn);

#endif
