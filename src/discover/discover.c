/*
 * discover.c - the discover stage: the places of a working directory and
 * the configuration every agent CLI modelled reads there, once (see
 * discover.h).  A compose cache keeps what was discovered for the next
 * composition with the same options.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"
#include "files.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields of an output style file: its `name:` (the file's stem when
 * it has none) and whether `force-for-plugin` is true.  NULL when the
 * file cannot be read. */
static char *style_name(const char *path, const char *stem, int *forced)
{
	pa_buf text = PA_BUF_INIT;
	Pa_frontmatter fm;
	char *name = NULL;

	*forced = 0;
	if (Pa_project_read(path, PA_AGENT_MAX_BYTES, 0, &text, NULL) != PA_OK) {
		pa_buf_release(&text);
		return NULL;
	}
	if (Pa_frontmatter_parse(text.ptr, text.len, path, &fm, NULL) == PA_OK) {
		const Pa_ynode *v = Pa_ynode_get(fm.root, "name");
		if (v && v->type == PA_YNODE_SCALAR && !Pa_ynode_is_null(v) &&
		    v->scalar_len)
			name = Pa_xstrndup(v->scalar, v->scalar_len);
		v = Pa_ynode_get(fm.root, "force-for-plugin");
		*forced = v && v->type == PA_YNODE_SCALAR && v->scalar_len == 4 &&
		          !memcmp(v->scalar, "true", 4);
		Pa_frontmatter_release(&fm);
	}
	pa_buf_release(&text);
	return name ? name : Pa_xstrdup(stem);
}

/* In dir (an output-styles directory), the file of the style named
 * `want` (with `prefix:` before its name for a plugin's), or with want
 * NULL the first whose force-for-plugin is true; NULL when none.  A file
 * that a link leads out of its place is not taken. */
static char *style_in(Pa_cc_config *c, const Pa_places *pl, const char *dir,
                      const char *prefix, const char *want)
{
	size_t n = 0, i;
	char **names = Pa_project_list(dir, PA_WALK_MAX_ENTRIES + 1, &n);
	char *found = NULL;

	if (n > PA_WALK_MAX_ENTRIES) {
		char why[128], *shown = Pa_path_display(dir, pl->root, pl->home);

		snprintf(why, sizeof(why), "more than %d entries; the rest are not "
		         "read", PA_WALK_MAX_ENTRIES);
		Pa_warn_incomplete(&c->warn, shown, why);
		free(shown);
		free(names[--n]);
	}

	for (i = 0; i < n && !found; i++) {
		size_t len = strlen(names[i]);
		char *path, *real, *name;
		struct stat st;
		int forced, match;

		if (len <= 3 || strcmp(names[i] + len - 3, ".md"))
			continue;
		path = Pa_path_join(dir, names[i]);
		real = Pa_project_realpath(path);
		names[i][len - 3] = '\0';
		name = real && stat(real, &st) == 0 && S_ISREG(st.st_mode) &&
		       !Pa_places_refusal(pl, path, real, 0)
		       ? style_name(path, names[i], &forced) : NULL;
		match = 0;
		if (name && !want) {
			match = forced;
		} else if (name) {
			size_t pn = prefix ? strlen(prefix) : 0;
			match = prefix ? !strncmp(want, prefix, pn) && want[pn] == ':' &&
			                 !strcmp(want + pn + 1, name)
			               : !strcmp(want, name);
		}
		if (match)
			found = path;
		else
			free(path);
		free(name);
		free(real);
	}
	Pa_strings_free(names, n);
	return found;
}

/* outputStyle names a built-in style, or an output style by its `name:`
 * (the file's stem when it has none): of the working directory's
 * .claude/output-styles/, else of the user's output-styles/ (in
 * CLAUDE_CONFIG_DIR when set), else PLUGIN:NAME of an enabled plugin's
 * output-styles/.  With no outputStyle, an enabled plugin's style with
 * `force-for-plugin: true` applies.  (Context fixtures
 * ctx-settings-output-style-name, -config-dir, ctx-plugin-output-style,
 * -force.) */
static void find_output_style(Pa_cc_config *c, const Pa_places *pl)
{
	char *dir;
	size_t i;

	if (!c->output_style) {
		for (i = 0; i < c->n_plugins && !c->output_style_file; i++) {
			dir = Pa_path_join(c->plugins[i].dir, "output-styles");
			c->output_style_file = style_in(c, pl, dir, c->plugins[i].name, NULL);
			free(dir);
			if (c->output_style_file) {
				pa_buf b = PA_BUF_INIT;
				int forced;
				char *name = style_name(c->output_style_file, "", &forced);
				pa_buf_printf(&b, "%s:%s", c->plugins[i].name, name);
				free(name);
				c->output_style = pa_buf_detach(&b, NULL);
			}
		}
		return;
	}
	dir = Pa_path_join(pl->cwd, ".claude/output-styles");
	c->output_style_file = style_in(c, pl, dir, NULL, c->output_style);
	free(dir);
	if (!c->output_style_file && pl->user) {
		dir = Pa_path_join(pl->user, "output-styles");
		c->output_style_file = style_in(c, pl, dir, NULL, c->output_style);
		free(dir);
	}
	for (i = 0; i < c->n_plugins && !c->output_style_file; i++) {
		dir = Pa_path_join(c->plugins[i].dir, "output-styles");
		c->output_style_file = style_in(c, pl, dir, c->plugins[i].name,
		                                c->output_style);
		free(dir);
	}
}

void Pa_cc_discover(Pa_cc_config *c, const pa_compose_options *opt,
                    const Pa_places *pl)
{
	memset(c, 0, sizeof(*c));
	c->auto_memory = -1;
	c->co_authored_by = -1;
	c->git_instructions = -1;
	c->bundled_skills = -1;
	Pa_cc_read_settings(c, opt, pl);
	Pa_cc_find_plugins(c, pl);
	Pa_cc_find_plugin_dirs(c, opt, pl);
	Pa_cc_read_plugin_hooks(c, pl);
	find_output_style(c, pl);
	if (c->output_style_file)
		Pa_cc_note_input(c, c->output_style_file);
	Pa_cc_find_servers(c, opt, pl);
}

void Pa_cc_release(Pa_cc_config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < PA_CC_LEVELS; i++)
		free(c->files[i]);
	Pa_strings_free(c->inputs, c->n_inputs);
	Pa_strings_free(c->excludes, c->n_excludes);
	Pa_strings_free(c->exclude_from, c->n_excludes);
	free(c->auto_memory_dir);
	free(c->auto_memory_dir_from);
	free(c->policy_text);
	free(c->policy_from);
	free(c->model);
	free(c->model_from);
	free(c->output_style);
	free(c->output_style_file);
	free(c->managed_dir);
	free(c->attribution_commit);
	free(c->attribution_pr);
	Pa_strings_free(c->deny, c->n_deny);
	Pa_strings_free(c->mcp_denied, c->n_mcp_denied);
	for (i = 0; i < c->n_overrides; i++)
		free(c->overrides[i].name);
	free(c->overrides);
	Pa_strings_free(c->env, c->n_env);
	for (i = 0; i < c->n_enabled; i++)
		free(c->enabled[i].id);
	free(c->enabled);
	for (i = 0; i < c->n_plugins; i++) {
		Pa_cc_plugin *p = &c->plugins[i];
		free(p->id);
		free(p->name);
		free(p->dir);
		Pa_strings_free(p->agents, p->n_agents);
		Pa_strings_free(p->skills, p->n_skills);
		Pa_strings_free(p->commands, p->n_commands);
	}
	free(c->plugins);
	Pa_cc_hooks_release(c);
	pa_warnings_release(&c->warn);
	memset(c, 0, sizeof(*c));
	c->auto_memory = -1;
	c->co_authored_by = -1;
	c->git_instructions = -1;
	c->bundled_skills = -1;
}

static char *copy_or_null(const char *s)
{
	return s ? Pa_xstrdup(s) : NULL;
}

/* A copy of the places of from, without its model. */
static void places_copy(Pa_places *to, const Pa_places *from)
{
	memset(to, 0, sizeof(*to));
	to->cwd = copy_or_null(from->cwd);
	to->root = copy_or_null(from->root);
	to->repo = copy_or_null(from->repo);
	to->in_repo = from->in_repo;
	to->main_repo = copy_or_null(from->main_repo);
	to->home = copy_or_null(from->home);
	to->user = copy_or_null(from->user);
	to->cc = from->cc;
}

pa_status Pa_places_resolve(Pa_places *pl, const pa_compose_options *opt,
                            pa_error *err)
{
	pa_compose_cache *cache = opt->cache;
	pa_status st;

	if (cache && cache->places) {
		places_copy(pl, cache->places);
		return PA_OK;
	}
	st = Pa_places_find(pl, opt, err);
	if (st != PA_OK || !cache)
		return st;
	cache->places = Pa_xmalloc(sizeof(*cache->places));
	places_copy(cache->places, pl);
	return PA_OK;
}

pa_status pa_compose_roots(const pa_compose_options *opt, char **project,
                           char **repo, pa_error *err)
{
	Pa_places pl;
	pa_status st = Pa_places_resolve(&pl, opt, err);

	*project = *repo = NULL;
	if (st != PA_OK)
		return st;
	*project = Pa_xstrdup(pl.root);
	*repo = pl.in_repo ? Pa_xstrdup(pl.repo) : NULL;
	Pa_places_release(&pl);
	return PA_OK;
}

pa_status Pa_places_init(Pa_places *pl, const pa_compose_options *opt,
                         pa_error *err)
{
	pa_compose_cache *cache = opt->cache;
	pa_status st = Pa_places_resolve(pl, opt, err);

	if (st != PA_OK)
		return st;
	if (!cache || !cache->cc) {
		pl->cc_owned = Pa_xcalloc(1, sizeof(*pl->cc_owned));
		Pa_cc_discover(pl->cc_owned, opt, pl);
		if (cache) {
			cache->cc = pl->cc_owned;
			pl->cc_owned = NULL;
		}
	}
	pl->cc = cache ? cache->cc : pl->cc_owned;
	/* What stops Claude Code before any request stops us too. */
	if (pl->cc->status != PA_OK) {
		if (err)
			*err = pl->cc->err;
		st = pl->cc->status;
		Pa_places_release(pl);
		return st;
	}
	return PA_OK;
}

void Pa_places_release(Pa_places *pl)
{
	free(pl->cwd);
	free(pl->root);
	free(pl->home);
	free(pl->repo);
	free(pl->main_repo);
	free(pl->user);
	if (pl->cc_owned) {
		Pa_cc_release(pl->cc_owned);
		free(pl->cc_owned);
	}
	memset(pl, 0, sizeof(*pl));
}

const Pa_cc_instructions *Pa_places_instructions(const Pa_places *pl,
                                                 const pa_compose_options *opt,
                                                 Pa_cc_instructions *own)
{
	pa_compose_cache *cache = opt->cache;

	memset(own, 0, sizeof(*own));
	if (cache && cache->files)
		return cache->files;
	own->status = Pa_cc_read_instructions(own, opt, pl, &own->err);
	if (!cache || own->status != PA_OK)
		return own;
	cache->files = Pa_xmalloc(sizeof(*cache->files));
	*cache->files = *own;
	memset(own, 0, sizeof(*own));
	return cache->files;
}

const Pa_cc_auto_memory *Pa_places_auto_memory(const Pa_places *pl,
                                               const pa_compose_options *opt,
                                               Pa_cc_auto_memory *own)
{
	pa_compose_cache *cache = opt->cache;

	memset(own, 0, sizeof(*own));
	if (cache && cache->auto_memory)
		return cache->auto_memory;
	Pa_cc_read_auto_memory(own, opt, pl);
	if (!cache)
		return own;
	cache->auto_memory = Pa_xmalloc(sizeof(*cache->auto_memory));
	*cache->auto_memory = *own;
	memset(own, 0, sizeof(*own));
	return cache->auto_memory;
}

void Pa_compose_cache_discovery_free(pa_compose_cache *c)
{
	if (!c)
		return;
	if (c->places) {
		Pa_places_release(c->places);
		free(c->places);
		c->places = NULL;
	}
	if (c->cc) {
		Pa_cc_release(c->cc);
		free(c->cc);
		c->cc = NULL;
	}
	if (c->files) {
		Pa_cc_instructions_release(c->files);
		free(c->files);
		c->files = NULL;
	}
	if (c->auto_memory) {
		Pa_cc_auto_memory_release(c->auto_memory);
		free(c->auto_memory);
		c->auto_memory = NULL;
	}
	Pa_memory_files_free(c->memory);
	c->memory = NULL;
}
