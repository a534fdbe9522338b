/*
 * affected.h - which agents a set of changed files affects, for
 * `check --affected FILE...` in a pre-commit hook.
 *
 * A file is known by its device and inode, so that a path given
 * relative to the current directory (as git and pre-commit give them), a
 * symbolic link to it, and the absolute path the composition read are
 * the same file.  An agent is affected when a file is its definition or
 * the file of a section of its composed prompt (a CLAUDE.md, a rule, an
 * import, its MEMORY.md, a preloaded skill); the config file affects
 * every agent.  A file that does not exist (deleted) affects none.
 */
#ifndef PA_CLI_AFFECTED_H
#define PA_CLI_AFFECTED_H

#include "cli.h"

#include <sys/types.h>

typedef struct cli_file_id {
	dev_t dev;
	ino_t ino;
} cli_file_id;

typedef struct cli_affected {
	cli_file_id *ids;
	size_t n;
	int every;     /* the config file was given: every agent is affected */
} cli_affected;

/* The files given (relative to the current directory, or absolute) and
 * the config file's path (NULL when there is none). */
void cli_affected_init(cli_affected *a, char *const *files, size_t n,
                       const char *config_file);
void cli_affected_release(cli_affected *a);

/* 1 when path (absolute, or relative to the current directory) is one
 * of the files given. */
int cli_affected_file(const cli_affected *a, const char *path);

/* 1 when the files given affect agent, whose composed prompt is prompt. */
int cli_affected_agent(const cli_affected *a, const pa_agent *agent,
                       const pa_prompt *prompt);

#endif
