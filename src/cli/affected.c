/* affected.c - the agents that changed files affect (see affected.h). */
#define _POSIX_C_SOURCE 200809L
#include "affected.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int id_of(const char *path, cli_file_id *id)
{
	struct stat st;

	if (!path || stat(path, &st) != 0)
		return 0;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 1;
}

void cli_affected_init(cli_affected *a, char *const *files, size_t n,
                       const char *config_file)
{
	cli_file_id config;
	int has_config = id_of(config_file, &config);
	size_t i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < n; i++) {
		cli_file_id id;

		if (!id_of(files[i], &id))
			continue; /* deleted: it is in no prompt any more */
		if (has_config && id.dev == config.dev && id.ino == config.ino)
			a->every = 1;
		a->ids = Pa_xgrow(a->ids, a->n, sizeof(*a->ids));
		a->ids[a->n++] = id;
	}
}

void cli_affected_release(cli_affected *a)
{
	free(a->ids);
	memset(a, 0, sizeof(*a));
}

int cli_affected_file(const cli_affected *a, const char *path)
{
	cli_file_id id;
	size_t i;

	if (!a->n || !id_of(path, &id))
		return 0;
	/* A pre-commit hook names a handful of files: a scan is enough. */
	for (i = 0; i < a->n; i++)
		if (a->ids[i].dev == id.dev && a->ids[i].ino == id.ino)
			return 1;
	return 0;
}

int cli_affected_agent(const cli_affected *a, const pa_agent *agent,
                       const pa_prompt *prompt)
{
	size_t i, n = pa_prompt_section_count(prompt);

	if (a->every || cli_affected_file(a, pa_agent_file(agent)))
		return 1;
	for (i = 0; i < n; i++)
		if (cli_affected_file(a, pa_prompt_section_file(prompt, i)))
			return 1;
	return 0;
}
