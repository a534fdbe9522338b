/*
 * discover.h - the discover stage: everything an agent CLI reads about a
 * working directory, read from disk by this layer alone into a model that
 * the layers above only read.  Not installed; the face of src/discover/.
 *
 * What is here, lowest first:
 *   - paths and directory walks (paths.c), and the places of a working
 *     directory: the project root, the repository root, home, the user's
 *     Claude directory (Pa_places);
 *   - the warnings a discovery and a composition give (warnings.c);
 *   - the one reader of YAML frontmatter (frontmatter.h);
 *   - Claude Code's configuration (Pa_cc_config): its settings files at
 *     every level merged as Claude Code merges them (settings.c), the
 *     environment their `env` blocks set, the enabled plugins and their
 *     manifests (plugins.c), the MCP servers configured (mcp.c), hooks;
 *   - Claude Code's files (the model of what it reads): the instruction
 *     files, CLAUDE.md to rules to @imports, each as sent
 *     (Pa_cc_instructions, instructions.c); MEMORY.md of an agent and of
 *     auto memory (memory.c); the agent directories and their files
 *     (Pa_cc_agents, agents.c); where a preloaded skill is (skills.c);
 *     what the main session lists and names besides: skill and command
 *     files, git state, an output style (session.c).
 *
 * When it reads: Pa_places_init() resolves the places and reads the
 * configuration of every agent CLI modelled (discover.c), once per set
 * of compose options when they carry a cache.  The instruction files are
 * read on the first composition that sends them and kept in the same
 * cache (Pa_places_instructions); CLAUDE_CODE_DISABLE_CLAUDE_MDS reads
 * none.  What depends on one agent (its memory directory, from its name;
 * a skill it preloads) and what there can be tens of thousands of (agent
 * files, listed skills) is found by a discover function when asked and
 * returned as a model record, each file read once and only when needed,
 * so that memory stays bounded in a huge repository.
 *
 * The rule: no file above this layer opens, lists, walks or resolves a
 * file.  compose/ (the agent prompt, the whole-context estimate, the main
 * session) is a function of the model; the door that reads a project's
 * files (Pa_project_read and its kin) is declared in the internal
 * files.h, which no other layer can include, and tests/suites/run-layers.sh
 * checks that compose/ calls no opener at all.
 *
 * The other agent CLIs are one table of backends (backend.h: a file
 * each, Claude Code row 0), whose discovery fills their own model
 * (harness.h); docs/HACKING.md, "Adding an agent CLI".
 *
 * Ownership: everything a Pa_places points to lives until
 * Pa_places_release(); a model kept in a compose cache lives until the
 * cache is freed; a record a function fills is the caller's, released
 * with the function's _release.  The model is immutable once discovered.
 */
#ifndef PA_DISCOVER_H
#define PA_DISCOVER_H

#include "services.h"    /* what every CLI's discovery shares */
#include "claude_code.h" /* Claude Code's own model */

#endif
