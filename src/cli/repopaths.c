/* repopaths.c - paths relative to the repository a CI job checked out
 * (see repopaths.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "repopaths.h"
#include "cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static char *copy(const char *s)
{
	return Pa_xstrdup(s);
}

static char *join(const char *dir, const char *rest)
{
	size_t n = strlen(dir), m = strlen(rest);
	char *p = Pa_xmalloc(n + m + 2);

	memcpy(p, dir, n);
	p[n] = '/';
	memcpy(p + n + 1, rest, m + 1);
	if (n == 1 && dir[0] == '/')
		memmove(p + 1, p + 2, m + 1); /* "/" + "x" is "/x" */
	return p;
}

void cli_repo_paths_init(cli_repo_paths *rp, const pa_compose_options *opt)
{
	const char *ws = cli_env.workspace;
	const char *home = opt->home;
	pa_error err;

	memset(rp, 0, sizeof(*rp));
	/* the roots of the run, as the session decided them */
	if (pa_compose_roots(opt, &rp->project, &rp->repo, &err) != PA_OK)
		rp->project = rp->repo = NULL;
	rp->home = home && home[0] ? realpath(home, NULL) : NULL;
	/* Real paths throughout, so that a workspace reached through a
	 * symbolic link still contains the files under it. */
	rp->workspace = ws && ws[0] ? realpath(ws, NULL) : NULL;
}

void cli_repo_paths_release(cli_repo_paths *rp)
{
	pa_free(rp->project);
	pa_free(rp->repo);
	free(rp->home);
	free(rp->workspace);
	memset(rp, 0, sizeof(*rp));
}

char *cli_repo_paths_absolute(const cli_repo_paths *rp, const char *shown)
{
	if (shown[0] == '/')
		return copy(shown);
	if (shown[0] == '~' && shown[1] == '/' && rp->home)
		return join(rp->home, shown + 2);
	if (rp->project)
		return join(rp->project, shown);
	return copy(shown);
}

/* The rest of path under dir, or NULL. */
static const char *under(const char *path, const char *dir)
{
	size_t n;

	if (!dir)
		return NULL;
	n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return path[0] == '/' ? path + 1 : NULL;
	if (strncmp(path, dir, n) || (path[n] != '/' && path[n]))
		return NULL;
	return path[n] == '/' ? path + n + 1 : path + n;
}

char *cli_repo_paths_relative(const cli_repo_paths *rp, const char *shown)
{
	char *abs = cli_repo_paths_absolute(rp, shown), *rel = NULL;
	const char *rest;

	if (abs[0] != '/') {
		free(abs);
		return NULL;
	}
	if ((rest = under(abs, rp->workspace)) || (rest = under(abs, rp->repo)) ||
	    (rest = under(abs, rp->project)))
		rel = copy(rest[0] ? rest : ".");
	free(abs);
	return rel;
}
