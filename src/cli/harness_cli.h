/*
 * harness_cli.h - `--harness NAME` of build, context and check: another
 * agent CLI than Claude Code (cmd_harness.c).  A command hands its
 * arguments over before parsing them when --harness names one.
 */
#ifndef PA_CLI_HARNESS_H
#define PA_CLI_HARNESS_H

#include "cli.h"
#include "options.h"

/* The values of --harness, for the option tables and messages. */
#define CLI_HARNESS_WORDS "claude-code codex copilot gemini opencode"

/* The option ids build, context and check give --harness and
 * --project-doc-max-bytes in their own tables (where claude-code, the
 * default, is taken and ignored, and the other refused). */
#define CLI_OPT_HARNESS 0x2f00
#define CLI_OPT_HARNESS_MAX_BYTES 0x2f01
#define CLI_HARNESS_OPT \
	{ "harness", required_argument, CLI_OPT_HARNESS, 0, CLI_VALUE_WORDS, CLI_HARNESS_WORDS }, \
	{ "project-doc-max-bytes", required_argument, CLI_OPT_HARNESS_MAX_BYTES, 0, CLI_VALUE_NONE, NULL }

/* Their help lines. */
#define CLI_HARNESS_HELP \
	"      --harness NAME      another agent CLI: codex, copilot, gemini, opencode\n" \
	"                          (promptasm build --harness codex --help)\n" \
	"      --project-doc-max-bytes N  with --harness codex: Codex's byte budget\n"

/* 1 (and *id) when argv names a harness other than claude-code with
 * --harness; 2 for claude-code; 0 when none; -1 when the name is unknown. */
int cli_harness_requested(int argc, char **argv, pa_harness_id *id);

/* Runs `command` (build, context, check) for the harness argv names.
 * Returns the exit code. */
int cli_harness_run(const char *command, int argc, char **argv);

/* The same with the harness forced (the config's `harness:`), unless
 * argv names one. */
int cli_harness_run_as(const char *command, int argc, char **argv,
                       pa_harness_id forced);

/* What build, context and check call first: -1 to go on (no --harness,
 * or claude-code), else the exit code of the harness's command (or of
 * an unknown name).  Without --harness the config's `harness:` decides:
 * build and context run the one CLI it names; check checks each, and
 * when it names claude-code too, goes on (-1) with the others' exit code
 * in cli_harness_pending, for check to combine with its own. */
int cli_harness_dispatch(const char *command, int argc, char **argv);
extern int cli_harness_pending;

#endif
