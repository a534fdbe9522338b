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
 * (Pa_places_instructions), or with managed_only its managed files alone,
 * with what reading it warned. */
pa_status Pa_claudemd_add(pa_prompt *p, const pa_compose_options *opt,
                          const Pa_places *pl, int managed_only,
                          pa_warnings *warn, pa_error *err);

/* Appends one file (and, unless it is a skill, its imports) to p as a
 * section of the given kind under `parent` (a skill: its name), as
 * Pa_cc_read_instruction_file() reads it: for skills.c. */
void Pa_instructions_add_file(pa_prompt *p, const pa_compose_options *opt,
                              const Pa_places *pl, pa_warnings *warn,
                              const char *path, pa_section_kind kind,
                              const char *parent);

/* agent.c: 1 when the agent's frontmatter says `omitClaudeMd: true`
 * (Claude Code sends it no user, project or local instruction file, rule,
 * import or auto memory; the managed ones, its own memory and its skills
 * stay: fixture agent-omit-claudemd), or `isolation: worktree` (it runs
 * in a new git worktree: fixture agent-isolation-worktree). */
int Pa_agent_omits_claude_md(const pa_agent *agent);
int Pa_agent_in_worktree(const pa_agent *agent);

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
 * The text after "- NAME: " is cut to 1,535 characters and "…" when
 * longer than 1,536.  Returns 0, appending nothing, for one Claude Code
 * does not list: `disable-model-invocation: true`, or `paths:` set.
 * Measured: the main session's fixtures skills-disabled, skills-nodesc,
 * skills-when-to-use, skills-listing-rules. */
int Pa_skill_listing_entry(const Pa_ynode *root, const char *body,
                           size_t body_len, const char *name, pa_buf *line);
/* The listing entry of a skill or command file (the discover stage's
 * Pa_cc_find_listed_skills() item): *name is PREFIX:NAME (a skill's
 * `name:`, else fallback; a command's path), the caller frees it; 0 when
 * the file cannot be read or is not listed, and when its `name:` holds a
 * NUL character, which a C string cannot carry, with a
 * PA_WARNING_INCOMPLETE warning in warn (may be NULL) at its line.
 * pl->cc's skillOverrides (may be NULL) list a skill by its bare name or
 * leave it out. */
int Pa_skill_file_entry(const Pa_places *pl, const char *file,
                        const char *fallback, const char *prefix,
                        pa_buf *line, char **name, pa_warnings *warn);
/* The UTF-16 units of s[0..len) (UTF-8), as JavaScript counts a string. */
size_t Pa_utf16_units(const char *s, size_t len);

/* A built-in entry of the skills listing: 1 with its characters with
 * its description (*full) and as a bare name (*bare; 0 when it keeps its
 * description past the budget), 0 for a name that is not one. */
int Pa_skill_builtin_chars(const char *name, size_t *full, size_t *bare);

/* A skills listing past its budget (context fixtures skills-budget-*):
 * entries lose their descriptions, the least used first, which with no
 * use recorded is the last listed first, until the listing fits.  full[i]
 * and bare[i] are entry i's characters with its description and as a
 * bare name, fixed those of the entries that keep theirs (the bundled
 * skills), each entry followed by a newline.  Returns how many entries,
 * from the first, keep their descriptions (n when all fit; budget 0:
 * none known, all fit). */
size_t Pa_skill_listing_cut(const size_t *full, const size_t *bare, size_t n,
                            size_t fixed, size_t budget);

/* What the listing of the skills and commands found for pl costs (each
 * name once, the first found), as an agent with the Skill tool is sent
 * it (fixture skills-subagent-listing), cut to the budget of a model of
 * `window` tokens (Pa_skill_listing_cut; 0: the budget only that
 * SLASH_COMMAND_TOOL_CHAR_BUDGET sets): *bare says how many entries lost
 * their descriptions. */
pa_status Pa_skill_listing_tokens(const Pa_places *pl, const pa_tokenizer *tok,
                                  size_t window, pa_warnings *warn, size_t *tokens,
                                  size_t *bare, pa_error *err);

#endif
