/*
 * skills.c - where Claude Code finds a skill an agent preloads
 * (`skills:` in its frontmatter).
 *
 * As Claude Code 2.1.332 finds them (fixture skills-resolve, in
 * tests/oracle/pending/): a name is a skill directory's name, else the
 * `name:` of a skill, else a command (`.claude/commands/NAME.md`, `DIR:NAME`
 * for one in a subdirectory).  A skill is a directory directly under
 * skills/ holding SKILL.md; names are case-sensitive; a skill with
 * `disable-model-invocation: true` is not preloaded.
 */
#define _XOPEN_SOURCE 700
#include "discover.h"
#include "files.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A SKILL.md is read for its fields within the limit of the file itself
 * (Claude Code reads it whole): one of 2 MB whose frontmatter says
 * disable-model-invocation was read as no fields, and preloaded. */
#define SKILL_FIELDS_MAX ((size_t)PA_INSTRUCTIONS_MAX_BYTES)

static int is_file(const char *path)
{
	struct stat st;

	return Pa_project_stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directories holding skills (or commands: sub is "commands"), in the
 * order they are searched: the managed policy directory's .claude/SUB
 * (fixture managed-agents), then the user's (a user skill wins over a
 * project one of the same name, as Claude Code measured), then
 * .claude/SUB of the working directory and each directory up to the
 * project root.  The caller frees them with Pa_strings_free(). */
static char **roots(const Pa_places *pl, const char *sub, size_t *n)
{
	char **out = NULL;
	char *dir, *rel;

	*n = 0;
	rel = Pa_path_join(".claude", sub);
	if (pl->cc && pl->cc->managed_dir) {
		out = Pa_xgrow(out, *n, sizeof(*out));
		out[(*n)++] = Pa_path_join(pl->cc->managed_dir, rel);
	}
	if (pl->user) {
		out = Pa_xgrow(out, *n, sizeof(*out));
		out[(*n)++] = Pa_path_join(pl->user, sub);
	}
	dir = Pa_xstrdup(pl->cwd);
	for (;;) {
		char *up;
		out = Pa_xgrow(out, *n, sizeof(*out));
		out[(*n)++] = Pa_path_join(dir, rel);
		if (!strcmp(dir, pl->root) || Pa_path_is_top(dir) ||
		    !Pa_path_under(dir, pl->root))
			break;
		up = Pa_path_dirname(dir);
		free(dir);
		dir = up;
	}
	free(dir);
	free(rel);
	return out;
}

/* The `name:` of a SKILL.md (NULL when none) and whether its
 * `disable-model-invocation` is true. */
static char *skill_fields(const char *path, int *disabled)
{
	pa_buf text = PA_BUF_INIT;
	Pa_frontmatter fm;
	char *name = NULL;

	*disabled = 0;
	if (Pa_project_read(path, SKILL_FIELDS_MAX, 0, &text, NULL) != PA_OK) {
		pa_buf_release(&text);
		return NULL;
	}
	if (Pa_frontmatter_parse(text.ptr, text.len, path, &fm, NULL) == PA_OK) {
		const Pa_ynode *v = Pa_ynode_get(fm.root, "name");
		/* a name holding a NUL ("a\0b") is no C string: cut there
		 * it was `a`, and `skills: [a]` preloaded it */
		if (v && v->type == PA_YNODE_SCALAR && !Pa_ynode_is_null(v) &&
		    !memchr(v->scalar, '\0', v->scalar_len))
			name = Pa_xstrndup(v->scalar, v->scalar_len);
		v = Pa_ynode_get(fm.root, "disable-model-invocation");
		*disabled = v && v->type == PA_YNODE_SCALAR &&
		            v->scalar_len == 4 && !memcmp(v->scalar, "true", 4);
		/* A skill with paths: is not preloaded (fixture
		 * skills-subagent-listing). */
		v = Pa_ynode_get(fm.root, "paths");
		if (!*disabled && v && !Pa_ynode_is_null(v))
			*disabled = 2;
		Pa_frontmatter_release(&fm);
	}
	pa_buf_release(&text);
	return name;
}

/* The SKILL.md under root whose `name:` is name, or NULL. */
static char *named_skill(const char *root, const char *name)
{
	char **dirs, *found = NULL;
	size_t n = 0, i;
	int disabled;

	dirs = Pa_project_list(root, (size_t)-1, &n);
	if (!dirs)
		return NULL;
	for (i = 0; i < n && !found; i++) {
		char *dir = Pa_path_join(root, dirs[i]);
		char *path = Pa_path_join(dir, "SKILL.md");
		char *its = is_file(path) ? skill_fields(path, &disabled) : NULL;
		if (its && !strcmp(its, name))
			found = path;
		else
			free(path);
		free(its);
		free(dir);
	}
	Pa_strings_free(dirs, n);
	return found;
}

/* A plugin's skill: `PLUGIN:NAME`, or a bare NAME that the first plugin
 * enabled has (fixtures plugin-skills, plugin-skills-order). */
static char *plugin_skill(const Pa_places *pl, const char *name)
{
	const Pa_cc_plugin *plugins = pl->cc ? pl->cc->plugins : NULL;
	size_t np = pl->cc ? pl->cc->n_plugins : 0, k;
	const char *colon = strchr(name, ':');
	char *path = NULL;

	for (k = 0; k < np && !path; k++) {
		const char *skill = name;
		pa_buf rel = PA_BUF_INIT;
		if (colon) {
			if (strlen(plugins[k].name) != (size_t)(colon - name) ||
			    strncmp(plugins[k].name, name, (size_t)(colon - name)))
				continue;
			skill = colon + 1;
		}
		pa_buf_printf(&rel, "skills/%s/SKILL.md", skill);
		path = Pa_path_join(plugins[k].dir, rel.ptr);
		/* The manifest's `skills` directories add to skills/ (fixture
		 * settings-plugin-manifest-skills); an entry that is itself a
		 * skill's directory is the skill of its name (fixture
		 * plugin-commands). */
		for (size_t d = 0; !is_file(path) && d < plugins[k].n_skills; d++) {
			const char *dir = plugins[k].skills[d];
			const char *base = strrchr(dir, '/');
			free(path);
			path = Pa_path_join(dir, "SKILL.md");
			if (is_file(path) && base && !strcmp(base + 1, skill))
				continue;
			free(path);
			path = Pa_path_join(dir, rel.ptr + strlen("skills/"));
		}
		pa_buf_release(&rel);
		if (!is_file(path)) {
			free(path);
			path = NULL;
		}
	}
	return path;
}

/* A plugin's command: `PLUGIN:NAME` (`PLUGIN:DIR:NAME` for one in a
 * subdirectory) of that plugin, or with prefixed 0 a bare NAME of the
 * first plugin enabled that has it; in its commands/, or in the files
 * and directories its manifest's `commands` lists instead (fixture
 * plugin-commands). */
static char *plugin_command(const Pa_places *pl, const char *name, int prefixed)
{
	const Pa_cc_plugin *plugins = pl->cc ? pl->cc->plugins : NULL;
	size_t np = pl->cc ? pl->cc->n_plugins : 0, k, d;
	const char *colon = strchr(name, ':');
	char *path = NULL;

	if (prefixed && !colon)
		return NULL;
	for (k = 0; k < np && !path; k++) {
		const Pa_cc_plugin *pg = &plugins[k];
		const char *cmd = name;
		pa_buf rel = PA_BUF_INIT;
		char *p;

		if (prefixed) {
			if (strlen(pg->name) != (size_t)(colon - name) ||
			    strncmp(pg->name, name, (size_t)(colon - name)))
				continue;
			cmd = colon + 1;
		}
		pa_buf_printf(&rel, "%s.md", cmd);
		for (p = rel.ptr; *p; p++)
			if (*p == ':')
				*p = '/';
		if (!pg->commands_listed) {
			char *dir = Pa_path_join(pg->dir, "commands");
			path = Pa_path_join(dir, rel.ptr);
			free(dir);
		}
		for (d = 0; pg->commands_listed && d < pg->n_commands && !path; d++) {
			const char *entry = pg->commands[d];
			const char *base = strrchr(entry, '/');
			size_t bl = base ? strlen(base + 1) : 0;
			/* A file listed is the command of its name. */
			if (is_file(entry)) {
				if (bl == rel.len && !strcmp(base + 1, rel.ptr))
					path = Pa_xstrdup(entry);
				continue;
			}
			path = Pa_path_join(entry, rel.ptr);
			if (!is_file(path)) {
				free(path);
				path = NULL;
			}
		}
		pa_buf_release(&rel);
		if (path && !is_file(path)) {
			free(path);
			path = NULL;
		}
	}
	return path;
}

char *Pa_cc_find_skill(const Pa_places *pl, const char *name, int *command,
                       int *disabled)
{
	size_t n, i;
	char **dirs, *path = NULL;
	pa_buf rel = PA_BUF_INIT;

	*command = 0;
	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..") || strstr(name, ".."))
		return NULL;
	dirs = roots(pl, "skills", &n);
	if (!strchr(name, ':')) {
		pa_buf_printf(&rel, "%s/SKILL.md", name);
		for (i = 0; i < n && !path; i++) {
			path = Pa_path_join(dirs[i], rel.ptr);
			if (!is_file(path)) {
				free(path);
				path = NULL;
			}
		}
		for (i = 0; i < n && !path; i++)
			path = named_skill(dirs[i], name);
	}
	Pa_strings_free(dirs, n);
	if (!path)
		path = plugin_skill(pl, name);
	if (!path && (path = plugin_command(pl, name, 1)) != NULL)
		*command = 1;
	if (!path) {
		/* A command: `a:b` is commands/a/b.md. */
		char *p;
		pa_buf_reset(&rel);
		pa_buf_printf(&rel, "%s.md", name);
		for (p = rel.ptr; *p; p++)
			if (*p == ':')
				*p = '/';
		dirs = roots(pl, "commands", &n);
		for (i = 0; i < n && !path; i++) {
			path = Pa_path_join(dirs[i], rel.ptr);
			if (!is_file(path)) {
				free(path);
				path = NULL;
			}
		}
		Pa_strings_free(dirs, n);
		if (!path)
			path = plugin_command(pl, name, 0);
		*command = path != NULL;
	}
	pa_buf_release(&rel);
	*disabled = 0;
	if (path && !*command)
		free(skill_fields(path, disabled));
	return path;
}

