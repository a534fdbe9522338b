/*
 * on_demand.c - the instruction files Claude Code loads on demand: the
 * CLAUDE.md, .claude/CLAUDE.md and CLAUDE.local.md of the directories
 * below the working directory.  None is in the first request; Claude Code
 * loads those of the directories between the working directory and a file
 * when it reads that file (measured: oracle fixture nested-claudemd-read;
 * build --for-file composes it).  context, explain and check list them
 * apart from the first request's total, each with the directory that
 * triggers it and its tokens, imports included.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover/discover.h"

#include <stdlib.h>
#include <string.h>

/* The shown directory of a shown file: "packages/api/" for
 * packages/api/CLAUDE.md and packages/api/.claude/CLAUDE.md. */
static char *trigger_of(const char *shown)
{
	const char *slash = strrchr(shown, '/');
	size_t len = slash ? (size_t)(slash - shown) : 0;
	char *dir;

	if (len >= 7 && !strncmp(shown + len - 7, ".claude", 7) &&
	    (len == 7 || shown[len - 8] == '/'))
		len = len > 7 ? len - 7 : 0;
	else if (len)
		len++;
	dir = Pa_xmalloc(len + 1);
	memcpy(dir, shown, len);
	dir[len] = '\0';
	return dir;
}

pa_status pa_on_demand_files(const pa_compose_options *opt,
                             const pa_tokenizer *tok, pa_on_demand_file **out,
                             size_t *n, pa_warnings *warn, pa_error *err)
{
	static const struct { const char *name; pa_section_kind kind; } files[] = {
		{ "CLAUDE.md", PA_SECTION_PROJECT },
		{ ".claude/CLAUDE.md", PA_SECTION_PROJECT },
		{ "CLAUDE.local.md", PA_SECTION_LOCAL },
	};
	pa_compose_options defaults;
	Pa_places pl;
	char **dirs = NULL;
	size_t ndirs = 0, i, k, j;
	int incomplete = 0;
	pa_status st;

	*out = NULL;
	*n = 0;
	if (!opt) {
		memset(&defaults, 0, sizeof(defaults));
		opt = &defaults;
	}
	st = Pa_places_init(&pl, opt, err);
	if (st != PA_OK)
		return st;
	/* CLAUDE_CODE_DISABLE_CLAUDE_MDS: no CLAUDE.md at all */
	if (Pa_cc_env_true(pl.cc, "CLAUDE_CODE_DISABLE_CLAUDE_MDS")) {
		Pa_places_release(&pl);
		return PA_OK;
	}
	Pa_cc_find_on_demand_dirs(&pl, opt->cache ? opt->cache->texts : NULL,
	                          &dirs, &ndirs, &incomplete);
	/* the limit the walk met, named, and how to get past it: "its limit"
	 * alone left the user to guess which, and one of them cannot be
	 * raised */
	if (incomplete == PA_WALK_TOO_DEEP)
		Pa_warn_incomplete(warn, ".", "the walk for the CLAUDE.md files "
		                   "loaded on demand below it met a directory past "
		                   "PA_WALK_MAX_DEPTH, 256 levels: start below it");
	else if (incomplete)
		Pa_warn_incomplete(warn, ".", "the walk for the CLAUDE.md files "
		                   "loaded on demand below it stopped at its limit "
		                   "of PA_WALK_MAX_ENTRIES entries (" PA_WALK_RAISE ")");
	for (i = 0; i < ndirs; i++)
		for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
			Pa_cc_instructions x;
			char *path = Pa_path_join(dirs[i], files[k].name);
			pa_on_demand_file *f;
			size_t tokens = 0, t;

			memset(&x, 0, sizeof(x));
			/* the walk found the directory by one of its names: the
			 * others need not be there */
			if (Pa_cc_path_exists(path))
				Pa_cc_read_instruction_file(&x, opt, &pl, path,
				                            files[k].kind, NULL);
			free(path);
			Pa_warnings_add_copies(warn, &x.warn);
			if (!x.n) {
				Pa_cc_instructions_release(&x);
				continue;
			}
			for (j = 0; j < x.n; j++)
				if (pa_tokenizer_count(tok, x.files[j].text, x.files[j].len, &t,
				                       NULL) == PA_OK)
					tokens += t;
			*out = Pa_xgrow(*out, *n, sizeof(**out));
			f = &(*out)[(*n)++];
			f->path = Pa_xstrdup(x.files[0].shown);
			f->trigger = trigger_of(x.files[0].shown);
			f->kind = files[k].kind;
			f->files = x.n;
			f->tokens = tokens;
			Pa_cc_instructions_release(&x);
		}
	for (i = 0; i < ndirs; i++)
		pa_free(dirs[i]);
	pa_free(dirs);
	Pa_places_release(&pl);
	return PA_OK;
}

void pa_on_demand_files_free(pa_on_demand_file *f, size_t n)
{
	size_t i;

	for (i = 0; f && i < n; i++) {
		free(f[i].path);
		free(f[i].trigger);
	}
	free(f);
}
