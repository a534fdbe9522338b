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

/* The option id build, context and check give --harness in their own
 * tables (where claude-code, the default, is taken and ignored). */
#define CLI_OPT_HARNESS 0x2f00
#define CLI_HARNESS_OPT \
	{ "harness", required_argument, CLI_OPT_HARNESS, 0, CLI_VALUE_WORDS, CLI_HARNESS_WORDS }

/* 1 (and *id) when argv names a harness other than claude-code with
 * --harness; 0 when none or claude-code; -1 when the name is unknown. */
int cli_harness_requested(int argc, char **argv, pa_harness_id *id);

/* Runs `command` (build, context, check) for the harness argv names.
 * Returns the exit code. */
int cli_harness_run(const char *command, int argc, char **argv);

/* What build, context and check call first: -1 to go on (no --harness,
 * or claude-code), else the exit code of the harness's command (or of
 * an unknown name). */
int cli_harness_dispatch(const char *command, int argc, char **argv);

#endif
