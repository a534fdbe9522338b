/*
 * trust.h - what Claude Code runs in a trusted folder, run only when the
 * user says so (opt->trust: `--trust`, or the user's own config; never the
 * repository's): the SessionStart, UserPromptSubmit and SubagentStart
 * hooks of the settings, stdio MCP servers, `git status`, a preloaded
 * skill's !`command` lines.  Without trust, each is named in a warning and not
 * run.  Every run goes through util/run.h: a fixed environment (below),
 * the working directory, a deadline and bounded output.
 *
 * The environment a command gets: PATH, the locale (LANG, LC_*), USER,
 * LOGNAME, SHELL, TMPDIR and TZ as promptasm has them, HOME as the
 * composition's home, CLAUDE_PROJECT_DIR (the working directory) and
 * CLAUDECODE=1, and for an MCP server the `env` of its entry.  Nothing
 * else of ours (a CI job's tokens stay out of a repository's hooks).
 * Not installed.
 */
#ifndef PA_TRUST_H
#define PA_TRUST_H

#include "discover/discover.h"
#include "prompt.h"
#include "util/run.h"

/* One text a command gave that Claude Code sends. */
typedef enum Pa_trust_kind {
	PA_TRUST_HOOK_OUTPUT = 0,  /* a hook's standard output, as it printed it */
	PA_TRUST_HOOK_CONTEXT = 1  /* a hook's JSON hookSpecificOutput.additionalContext */
} Pa_trust_kind;

typedef struct Pa_trust_text {
	char *command;   /* the hook's command, as configured */
	char *file;      /* the settings file it is configured in */
	char *text;      /* what is sent (trimmed) */
	Pa_trust_kind kind;
} Pa_trust_text;

/* The command hooks of event ("SessionStart", as on a new session:
 * source "startup"; or "UserPromptSubmit", with an empty prompt) of the
 * settings at every level, as discovery found them (discover/hooks.c).  With
 * opt->trust each is run and what it sends is appended to *out;
 * without, each is named in a warning.  Returns how many were not run
 * (without trust: all of them). */
size_t Pa_trust_hooks(const Pa_places *pl, const pa_compose_options *opt,
                      const char *event, Pa_trust_text **out, size_t *n,
                      pa_warnings *warn);
void Pa_trust_texts_free(Pa_trust_text *t, size_t n);

/* The SubagentStart hooks whose matcher takes agent_type (the agent's
 * name as Claude Code types it), run (opt->trust only) as Claude Code
 * runs them when it starts that agent: what each sends (its JSON
 * additionalContext, kind PA_TRUST_HOOK_CONTEXT; plain output is not
 * sent) appended to *out in the settings' order.  Without trust each is
 * named in a warning.  Returns how many were not run. */
size_t Pa_trust_subagent_hooks(const Pa_places *pl, const pa_compose_options *opt,
                               const char *agent_type, Pa_trust_text **out,
                               size_t *n, pa_warnings *warn);

/* Starts a stdio server of the configuration (opt->trust only: its
 * command, args and env "K=V") and lists its tools: PA_OK with *info,
 * else a warning naming it and the file that configures it, and why
 * (info empty).  The deadline is MCP_TIMEOUT (milliseconds, as Claude
 * Code reads it) when set, else PA_RUN_TIMEOUT_MS, and at most 60 s. */
pa_status Pa_trust_mcp(const Pa_places *pl, const Pa_cc_server *server,
                       Pa_mcp_info *info, pa_warnings *warn);

/* Appends Claude Code's name of a server's tool, "mcp__SERVER__TOOL",
 * every character of either outside A-Za-z0-9_- made '_'. */
void Pa_trust_mcp_tool_name(pa_buf *out, const char *server, const char *tool);

/* `git status --short` of the working directory (opt->trust only), its
 * output trimmed, as Claude Code reads it: 1 with *out set, else 0 (a
 * warning says why when it ran and failed). */
int Pa_trust_git_status(const Pa_places *pl, pa_buf *out, pa_warnings *warn);

/* A preloaded skill's section: each !`command` in its text (a command
 * on one line) replaced by the command's output, trimmed, as Claude Code
 * does (with opt->trust), else named in a warning and left as written. */
void Pa_trust_skill_commands(Pa_section *s, const Pa_places *pl,
                             const pa_compose_options *opt, pa_warnings *warn);

/* Runs one !`command` line of a skill (opt->trust only) in the working
 * directory: 1 with its output in *out (trimmed), else 0 with a warning
 * naming the skill file and why. */
int Pa_trust_skill_command(const Pa_places *pl, const char *skill_file,
                           const char *command, pa_buf *out, pa_warnings *warn);

/* The tokens of Claude Code's own text around what the commands gave,
 * for tokenizer (o200k_base's for one not measured): "hook-output",
 * "prompt-output", "hook-context", "subagent-context", "separator", "mcp-header",
 * "git-clean", "git-cut". */
long Pa_trust_figure(const char *tokenizer, const char *name);

/* Claude Code cuts git status at this many characters, and adds a note. */
#define PA_TRUST_GIT_STATUS_MAX 2000

#endif
