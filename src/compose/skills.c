/*
 * skills.c - the skills an agent preloads (`skills:` in its frontmatter):
 * where each is found, loaded as an instruction file is (without its
 * frontmatter; its @words are not imports).
 *
 * As Claude Code 2.1.332 finds them (fixture skills-resolve, in
 * tests/oracle/pending/): a name is a skill directory's name, else the
 * `name:` of a skill, else a command (`.claude/commands/NAME.md`, `DIR:NAME`
 * for one in a subdirectory).  A skill is a directory directly under
 * skills/ holding SKILL.md; names are case-sensitive; a skill with
 * `disable-model-invocation: true` is not preloaded.
 */
#define _XOPEN_SOURCE 700
#include "frontmatter.h"
#include "instructions.h"
#include "plugins.h"
#include "trust.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A SKILL.md is read for its fields up to this size (a skill is text). */
#define SKILL_FIELDS_MAX (1u << 20)

static int is_file(const char *path)
{
	struct stat st;

	return Pa_project_stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directories holding skills (or commands: sub is "commands"), in the
 * order they are searched: the user's first (a user skill wins over a
 * project one of the same name, as Claude Code measured), then
 * .claude/SUB of the working directory and each directory up to the
 * project root.  The caller frees them with Pa_strings_free(). */
static char **roots(const pa_places *pl, const char *sub, size_t *n)
{
	char **out = NULL;
	char *dir, *rel;

	*n = 0;
	if (pl->user) {
		out = Pa_xgrow(out, *n, sizeof(*out));
		out[(*n)++] = Pa_path_join(pl->user, sub);
	}
	rel = Pa_path_join(".claude", sub);
	dir = Pa_xstrdup(pl->cwd);
	for (;;) {
		char *up;
		out = Pa_xgrow(out, *n, sizeof(*out));
		out[(*n)++] = Pa_path_join(dir, rel);
		if (!strcmp(dir, pl->root) || !strcmp(dir, "/") ||
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
	pa_frontmatter fm;
	char *name = NULL;

	*disabled = 0;
	if (Pa_project_read(path, SKILL_FIELDS_MAX, 0, &text, NULL) != PA_OK) {
		pa_buf_release(&text);
		return NULL;
	}
	if (Pa_frontmatter_parse(text.ptr, text.len, path, &fm, NULL) == PA_OK) {
		const pa_ynode *v = Pa_ynode_get(fm.root, "name");
		if (v && v->type == PA_YNODE_SCALAR && !Pa_ynode_is_null(v))
			name = Pa_xstrndup(v->scalar, v->scalar_len);
		v = Pa_ynode_get(fm.root, "disable-model-invocation");
		*disabled = v && v->type == PA_YNODE_SCALAR &&
		            v->scalar_len == 4 && !memcmp(v->scalar, "true", 4);
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
static char *plugin_skill(const pa_places *pl, const char *name)
{
	pa_plugin *plugins;
	size_t np, k;
	const char *colon = strchr(name, ':');
	char *path = NULL;

	Pa_plugins_find(pl, &plugins, &np);
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
		 * settings-plugin-manifest-skills). */
		for (size_t d = 0; !is_file(path) && d < plugins[k].n_skills; d++) {
			free(path);
			path = Pa_path_join(plugins[k].skills[d], rel.ptr + strlen("skills/"));
		}
		pa_buf_release(&rel);
		if (!is_file(path)) {
			free(path);
			path = NULL;
		}
	}
	Pa_plugins_free(plugins, np);
	return path;
}

/* The file of skill `name`, or NULL; *command is set for a command. */
static char *find_skill(const pa_places *pl, const char *name, int *command)
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
		*command = path != NULL;
	}
	pa_buf_release(&rel);
	return path;
}

pa_status Pa_skills_add(pa_prompt *p, const pa_agent *agent,
                        const pa_compose_options *opt, const pa_places *pl,
                        pa_warnings *warn)
{
	size_t n, i;
	const char *const *skills = pa_agent_skills(agent, &n);
	pa_strset names = PA_STRSET_INIT;

	for (i = 0; i < n; i++) {
		int command, disabled = 0;
		char *path, *its;
		size_t before;

		/* A name listed twice is preloaded once. */
		if (!Pa_strset_add(&names, skills[i], strlen(skills[i])))
			continue;
		path = find_skill(pl, skills[i], &command);
		if (!path) {
			Pa_warn_at(warn, pa_agent_path(agent), 0, "%s: skill '%s' not "
			           "found in the user's skills/ or the project's "
			           ".claude/skills/: not preloaded", pa_agent_path(agent),
			           skills[i]);
			continue;
		}
		if (!command) {
			its = skill_fields(path, &disabled);
			free(its);
		}
		if (disabled) {
			Pa_warn_at(warn, pa_agent_path(agent), 0, "%s: skill '%s' has "
			           "disable-model-invocation: true: not preloaded "
			           "(Claude Code leaves it out)", pa_agent_path(agent),
			           skills[i]);
			free(path);
			continue;
		}
		before = p->n;
		Pa_instructions_add_file(p, opt, pl, warn, path, PA_SECTION_SKILL,
		                         skills[i]);
		/* Its !`command` lines, run with --trust (trust.c). */
		if (p->n > before)
			Pa_trust_skill_commands(&p->sections[p->n - 1], pl, opt, warn);
		free(path);
	}
	Pa_strset_release(&names);
	return PA_OK;
}

/* A scalar field's trimmed text, or NULL. */
static const char *field_text(const pa_ynode *root, const char *key, size_t *n)
{
	const pa_ynode *v = root ? Pa_ynode_get(root, key) : NULL;
	const char *t;

	if (!v || v->type != PA_YNODE_SCALAR || Pa_ynode_is_null(v))
		return NULL;
	t = v->scalar;
	*n = v->scalar_len;
	Pa_text_trim(&t, n);
	return *n ? t : NULL;
}

/* Appends n bytes of t with each line break made a space. */
static void put_joined(pa_buf *line, const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		pa_buf_putc(line, t[i] == '\n' || t[i] == '\r' ? ' ' : t[i]);
}

int Pa_skill_listing_entry(const pa_ynode *root, const char *body,
                           size_t body_len, const char *name, pa_buf *line)
{
	const pa_ynode *v = root ? Pa_ynode_get(root, "disable-model-invocation") : NULL;
	const char *t;
	size_t n;

	if (v && v->type == PA_YNODE_SCALAR && v->plain && !strcmp(v->scalar, "true"))
		return 0;
	pa_buf_printf(line, "- %s: ", name);
	if ((t = field_text(root, "description", &n))) {
		put_joined(line, t, n);
	} else {
		/* The first line with text, a heading's #s dropped. */
		size_t i = 0, end, units = 0, cut = 0;
		while (i < body_len) {
			for (end = i; end < body_len && body[end] != '\n'; end++)
				;
			t = body + i;
			n = end - i;
			Pa_text_trim(&t, &n);
			while (n && *t == '#') {
				t++;
				n--;
			}
			Pa_text_trim(&t, &n);
			if (n)
				break;
			i = end + 1;
		}
		if (!n) {
			pa_buf_puts(line, "Skill");
		} else {
			/* Longer than 100 characters (UTF-16 units, as
			 * JavaScript counts): the first 97 and "...". */
			for (i = 0; i < n; i++) {
				unsigned char c = (unsigned char)t[i];
				if ((c & 0xC0) == 0x80)
					continue;
				units += c >= 0xF0 ? 2 : 1;
				if (units <= 97)
					cut = i;
			}
			if (units > 100) {
				for (cut++; cut < n && ((unsigned char)t[cut] & 0xC0) == 0x80; cut++)
					;
				pa_buf_put(line, t, cut);
				pa_buf_puts(line, "...");
			} else {
				pa_buf_put(line, t, n);
			}
		}
	}
	if ((t = field_text(root, "when_to_use", &n))) {
		pa_buf_puts(line, " - ");
		put_joined(line, t, n);
	}
	return 1;
}
