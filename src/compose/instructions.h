/*
 * instructions.h - the project instructions: CLAUDE.md files, rules and their
 * @imports, in Claude Code's order.  Not installed.
 */
#ifndef PA_INSTRUCTIONS_H
#define PA_INSTRUCTIONS_H

#include "discover/discover.h"
#include "prompt.h"
#include "base/yamltree.h"

/* Appends the whole CLAUDE.md chain to p as discovered for pl and opt
 * (Pa_places_instructions), with what reading it warned. */
pa_status Pa_claudemd_add(pa_prompt *p, const pa_compose_options *opt,
                          const Pa_places *pl, pa_warnings *warn,
                          pa_error *err);

/* Appends one file (and, unless it is a skill, its imports) to p as a
 * section of the given kind under `parent` (a skill: its name), as
 * Pa_cc_read_instruction_file() reads it: for skills.c. */
void Pa_instructions_add_file(pa_prompt *p, const pa_compose_options *opt,
                              const Pa_places *pl, pa_warnings *warn,
                              const char *path, pa_section_kind kind,
                              const char *parent);

/* skills.c: appends the skills the agent preloads (`skills:`), each SKILL.md
 * without its frontmatter; a skill that is not found is warned about. */
pa_status Pa_skills_add(pa_prompt *p, const pa_agent *agent,
                        const pa_compose_options *opt, const Pa_places *pl,
                        pa_warnings *warn);

/* skills.c: a skill's or command's entry in the main session's listing,
 * "- NAME: TEXT" appended to line, from its frontmatter (root, NULL when
 * it has none) and body.  TEXT is `description:` (its lines joined by
 * spaces), else the body's first line that is not blank, without the #
 * of a heading, cut to 97 characters and "..." when longer than 100
 * ("Skill" for an empty body); then " - " and `when_to_use:` when set.
 * Returns 0, appending nothing, for one Claude Code does not list:
 * `disable-model-invocation: true`.  Measured: the main session's
 * fixtures skills-disabled, skills-nodesc, skills-when-to-use. */
int Pa_skill_listing_entry(const Pa_ynode *root, const char *body,
                           size_t body_len, const char *name, pa_buf *line);

#endif
