/*
 * repopaths.h - the files a report names, as a CI system wants them.
 *
 * The library shows a path relative to the project root, else as ~/...,
 * else absolute.  A CI annotation needs it relative to the repository's
 * checkout instead: in a monorepo checked with `-C examples/webshop`, the
 * project root lies below the repository root, and GitHub attaches
 * `file=.claude/agents/x.md` to no file.  The base is GITHUB_WORKSPACE
 * when the file lies under it, else the repository root (the nearest
 * directory holding .git), else the project root.
 */
#ifndef PA_CLI_REPOPATHS_H
#define PA_CLI_REPOPATHS_H

#include "promptasm.h"

typedef struct cli_repo_paths {
	char *project;   /* the project root, real path */
	char *home;      /* HOME, real path, or NULL */
	char *repo;      /* the repository root, or NULL */
	char *workspace; /* GITHUB_WORKSPACE, real path, or NULL */
} cli_repo_paths;

/* For a composition with opt (its cwd, NULL: the process's, and HOME,
 * may be NULL; the roots from its cache, decided once for the run).  A
 * place that cannot be resolved is left NULL: paths under it are then
 * shown from the next base. */
void cli_repo_paths_init(cli_repo_paths *rp, const pa_compose_options *opt);
void cli_repo_paths_release(cli_repo_paths *rp);

/* The absolute path of a path as the library shows it.  The caller frees
 * it with free(). */
char *cli_repo_paths_absolute(const cli_repo_paths *rp, const char *shown);

/* The path of `shown` relative to the base above, or NULL when it lies
 * under none of them (a user file in ~/.claude: no CI annotation can
 * point at it).  The caller frees it with free(). */
char *cli_repo_paths_relative(const cli_repo_paths *rp, const char *shown);

#endif
