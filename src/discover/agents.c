/*
 * agents.c - where Claude Code finds agent files: the directories it walks
 * for a working directory, in its lookup order, and the reading of one
 * agent file.  Parsing an agent file is compose/'s (agent.c).
 *
 * Order (measured: fixtures above-root, nogit-parent, plugin-names,
 * managed-agents): the managed policy directory's .claude/agents/ (its
 * agents win over all of the same name); .claude/agents/ of the working
 * directory and of each ancestor up to the
 * repository's root, nearest first (without a repository every ancestor
 * but the home directory, whose .claude is the user's); then the user's
 * agents/; then each enabled plugin's agents/, or the files its manifest
 * lists instead.
 */
#define _XOPEN_SOURCE 700
#include "discover.h"
#include "files.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static Pa_cc_agent_dir *add_dir(Pa_cc_agents *a, const char *source,
                                char *dir)
{
	Pa_cc_agent_dir *d;

	a->dirs = Pa_xgrow(a->dirs, a->n, sizeof(*a->dirs));
	d = &a->dirs[a->n++];
	memset(d, 0, sizeof(*d));
	d->source = source;
	d->dir = dir;
	return d;
}

/* A directory walked for agent files, links confined as the walk of its
 * place is. */
static void walk(Pa_cc_agent_dir *d, const char *confine, const Pa_places *pl)
{
	Pa_find_md_files(d->dir, confine, pl, &d->warn, &d->files, &d->n);
}

void Pa_cc_find_agents(Pa_cc_agents *out, const Pa_places *pl)
{
	char *dir = Pa_xstrdup(pl->cwd);
	size_t k, i;

	memset(out, 0, sizeof(*out));
	if (pl->cc && pl->cc->managed_dir) {
		Pa_cc_agent_dir *d = add_dir(out, "managed",
		                             Pa_path_join(pl->cc->managed_dir,
		                                          ".claude/agents"));
		walk(d, Pa_places_confine(pl, d->dir), pl);
	}
	for (;;) {
		char *up;

		if (pl->in_repo || !pl->home || strcmp(dir, pl->home)) {
			Pa_cc_agent_dir *d = add_dir(out, "project",
			                             Pa_path_join(dir, ".claude/agents"));
			walk(d, Pa_places_confine(pl, d->dir), pl);
		}
		if (Pa_path_is_top(dir) || (pl->in_repo &&
		    (!strcmp(dir, pl->repo) || !Pa_path_under(dir, pl->repo))))
			break;
		up = Pa_path_dirname(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	if (pl->user) {
		Pa_cc_agent_dir *d = add_dir(out, "user",
		                             Pa_path_join(pl->user, "agents"));
		walk(d, Pa_places_confine(pl, d->dir), pl);
	}
	for (k = 0; pl->cc && k < pl->cc->n_plugins; k++) {
		const Pa_cc_plugin *p = &pl->cc->plugins[k];
		Pa_cc_agent_dir *d = add_dir(out, "plugin",
		                             Pa_path_join(p->dir, "agents"));

		d->plugin = p;
		/* The manifest's `agents` replace the scan of agents/ (fixture
		 * settings-plugin-manifest-agents). */
		if (p->agents_listed) {
			d->listed = 1;
			d->n = p->n_agents;
			d->files = Pa_xcalloc(d->n ? d->n : 1, sizeof(*d->files));
			for (i = 0; i < d->n; i++)
				d->files[i] = Pa_xstrdup(p->agents[i]);
		} else {
			walk(d, p->dir, pl);
		}
	}
}

void Pa_cc_agents_release(Pa_cc_agents *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->dirs[i].dir);
		Pa_strings_free(a->dirs[i].files, a->dirs[i].n);
		pa_warnings_release(&a->dirs[i].warn);
	}
	free(a->dirs);
	memset(a, 0, sizeof(*a));
}

pa_status Pa_cc_read_agent(const char *file, pa_buf *text, char **real,
                           int *crlf, pa_error *err)
{
	pa_status st = Pa_project_read(file, PA_AGENT_MAX_BYTES,
	                                    PA_FILE_STDIN, text, err);

	if (real)
		*real = st == PA_OK && strcmp(file, "-") ? Pa_project_realpath(file)
		                                         : NULL;
	if (crlf) {
		const char *cr = st == PA_OK && text->len
		                 ? memchr(text->ptr, '\r', text->len) : NULL;
		/* the first CR decides: a file's lines end one way */
		*crlf = cr && (size_t)(cr - text->ptr) + 1 < text->len && cr[1] == '\n';
	}
	if (st == PA_OK)
		Pa_text_normalize_newlines(text);
	return st;
}

int Pa_cc_path_exists(const char *path)
{
	struct stat st;

	return Pa_project_stat(path, &st) == 0;
}
