/*
 * skills.c - the skills an agent preloads (`skills:` in its frontmatter):
 * where each SKILL.md is found, loaded as an instruction file is (without
 * its frontmatter; its @words are not imports).
 */
#define _XOPEN_SOURCE 700
#include "instructions.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The SKILL.md of skill `name`: the user's skills first (a user skill
 * wins over a project one of the same name, as Claude Code measured),
 * then .claude/skills/ of the working directory and each directory up to
 * the project root.  NULL when there is none. */
static char *find_skill(const pa_places *pl, const char *name)
{
	pa_buf rel = PA_BUF_INIT;
	char *dir, *path = NULL;
	struct stat st;

	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return NULL;
	pa_buf_printf(&rel, "skills/%s/SKILL.md", name);
	if (pl->user) {
		path = pa_path_join(pl->user, rel.ptr);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			goto found;
		free(path);
	}
	pa_buf_reset(&rel);
	pa_buf_printf(&rel, ".claude/skills/%s/SKILL.md", name);
	dir = pa_xstrdup(pl->cwd);
	for (;;) {
		char *up;
		path = pa_path_join(dir, rel.ptr);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			free(dir);
			goto found;
		}
		free(path);
		path = NULL;
		if (!strcmp(dir, pl->root) || !strcmp(dir, "/") ||
		    !pa_path_under(dir, pl->root))
			break;
		up = pa_path_dirname(dir);
		free(dir);
		dir = up;
	}
	free(dir);
found:
	pa_buf_release(&rel);
	return path;
}

pa_status pa_skills_add(pa_prompt *p, const pa_agent *agent,
                        const pa_compose_options *opt, const pa_places *pl,
                        pa_warnings *warn)
{
	size_t n, i;
	const char *const *skills = pa_agent_skills(agent, &n);

	for (i = 0; i < n; i++) {
		char *path = find_skill(pl, skills[i]);
		if (!path) {
			pa_warn_at(warn, pa_agent_path(agent), 0, "%s: skill '%s' not "
			           "found in the user's skills/ or the project's "
			           ".claude/skills/: not preloaded", pa_agent_path(agent),
			           skills[i]);
			continue;
		}
		pa_instructions_add_file(p, opt, pl, warn, path, PA_SECTION_SKILL,
		                         skills[i]);
		free(path);
	}
	return PA_OK;
}
