/*
 * plugins.c - the installed, enabled plugins whose agents and skills
 * Claude Code loads, as 2.1.332 finds them (fixtures plugin-*,
 * docs/claude-code.md):
 *
 * - enabled: `enabledPlugins` merged over the settings levels (settings.c;
 *   a later level's false turns a plugin off), in the order ids first
 *   appear;
 * - installed: the id in the user's plugins/installed_plugins.json, the
 *   absolute installPath of the record that applies (below);
 * - listed: the id's marketplace in plugins/known_marketplaces.json, and
 *   the plugin in that marketplace's catalog (.claude-plugin/
 *   marketplace.json under its installLocation); a marketplace added from
 *   a directory serves the plugin from that directory, not the copy;
 * - named: the `name` of the plugin's .claude-plugin/plugin.json, else
 *   the id's name;
 * - installed for these places: the install record of user scope, or of
 *   project scope for this project, not the first record;
 * - its manifest's `agents` (files), `skills` (directories of skills, or
 *   a skill's own directory) and `commands` (files and directories),
 *   relative to the plugin: when `agents` or `commands` is set, agents/
 *   or commands/ is not scanned.
 *
 * Every path a catalog or a manifest names is held to the plugin's or
 * the marketplace's directory: one that leads out (`../secret`, an
 * absolute path, a symbolic link out) is refused with a warning.
 */
#define _XOPEN_SOURCE 700
#include "discover.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *str(const Pa_jnode *map, const char *key)
{
	const Pa_jnode *v = map ? Pa_jnode_get(map, key) : NULL;

	return v && v->type == PA_JSON_STRING ? v->text : NULL;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The tree of a JSON file when it is an object, else NULL. */
static Pa_jnode *read_object(Pa_cc_config *c, const Pa_places *pl,
                             const char *path, Pa_cfg_kind kind)
{
	char *shown = Pa_path_display(path, pl->root, pl->home);
	Pa_jnode *root = Pa_cc_read_json(path, kind, shown, &c->warn);

	free(shown);
	if (root && root->type != PA_JSON_OBJECT) {
		Pa_jnode_free(root);
		root = NULL;
	}
	return root;
}

/* path joined to dir when what it names lies in dir, links resolved;
 * else NULL, with a warning naming it (shown as `what`). */
static char *confined(Pa_cc_config *c, const Pa_places *pl, const char *dir,
                      const char *rel, const char *what)
{
	char *path, *real, *realdir;
	const char *why = NULL;

	if (rel[0] == '/')
		path = Pa_path_normalize("/", rel);
	else
		path = Pa_path_normalize(dir, rel);
	if (!Pa_path_under(path, dir)) {
		why = "it leads out of its directory";
	} else {
		real = realpath(path, NULL);
		realdir = realpath(dir, NULL);
		if (real && realdir && !Pa_path_under(real, realdir))
			why = "a symbolic link that leads out of its directory";
		else if (real && Pa_path_is_system(real))
			why = "it is a system file";
		free(real);
		free(realdir);
	}
	if (why) {
		pa_buf b = PA_BUF_INIT;
		char *shown = Pa_path_display(dir, pl->root, pl->home);
		Pa_quote_str(&b, rel);
		Pa_warn_at(&c->warn, shown, 0, "%s of %s: %s skipped: %s", what, shown,
		           b.ptr, why);
		pa_buf_release(&b);
		free(shown);
		free(path);
		return NULL;
	}
	return path;
}

/* Whether catalog lists plugin `name`; *source gets its source when it
 * is a path. */
static int listed(const Pa_jnode *catalog, const char *name, const char **source)
{
	const Pa_jnode *list = catalog ? Pa_jnode_get(catalog, "plugins") : NULL;
	size_t i;

	*source = NULL;
	for (i = 0; list && list->type == PA_JSON_ARRAY && i < list->n; i++) {
		const char *n = str(list->items[i], "name");
		if (n && !strcmp(n, name)) {
			*source = str(list->items[i], "source");
			return 1;
		}
	}
	return 0;
}

/* The install record of a plugin that applies to these places: the
 * first of user scope (or none named), or of project or local scope
 * whose projectPath is the working directory or the project root; NULL
 * when none does (fixture plugin-install-records). */
static const Pa_jnode *applying_record(const Pa_jnode *installs,
                                       const Pa_places *pl)
{
	size_t i;

	for (i = 0; i < installs->n; i++) {
		const Pa_jnode *r = installs->items[i];
		const char *scope = str(r, "scope"), *project = str(r, "projectPath");

		if (r->type != PA_JSON_OBJECT)
			continue;
		if (!scope || !strcmp(scope, "user") || !strcmp(scope, "managed"))
			return r;
		if (project && ((pl->cwd && !strcmp(project, pl->cwd)) ||
		                (pl->root && !strcmp(project, pl->root))))
			return r;
	}
	return NULL;
}

/* The directory of one enabled plugin, or NULL when Claude Code does not
 * load it. */
static char *plugin_dir(Pa_cc_config *c, const Pa_places *pl, const char *id,
                        const Pa_jnode *registry, const Pa_jnode *markets)
{
	const char *at = strrchr(id, '@');
	const Pa_jnode *installs, *market, *src, *record;
	char *name, *dir = NULL, *file;
	const char *location, *source, *install;
	Pa_jnode *catalog;

	if (!at || at == id || !at[1])
		return NULL;
	market = markets ? Pa_jnode_get(markets, at + 1) : NULL;
	location = str(market, "installLocation");
	installs = registry ? Pa_jnode_get(registry, "plugins") : NULL;
	installs = installs && installs->type == PA_JSON_OBJECT
	           ? Pa_jnode_get(installs, id) : NULL;
	if (!location || location[0] != '/' || !installs ||
	    installs->type != PA_JSON_ARRAY || installs->n == 0)
		return NULL;
	record = applying_record(installs, pl);
	if (!record)
		return NULL;
	name = Pa_xstrndup(id, (size_t)(at - id));
	file = Pa_path_join(location, ".claude-plugin/marketplace.json");
	catalog = read_object(c, pl, file, PA_CFG_CC_PLUGIN);
	free(file);
	if (listed(catalog, name, &source)) {
		src = Pa_jnode_get(market, "source");
		if (source && src && str(src, "source") &&
		    !strcmp(str(src, "source"), "directory")) {
			dir = confined(c, pl, location, source, "the source of a plugin");
		} else {
			install = str(record, "installPath");
			if (install && install[0] == '/')
				dir = Pa_path_normalize("/", install);
		}
	}
	Pa_jnode_free(catalog);
	free(name);
	if (dir && !is_dir(dir)) {
		free(dir);
		dir = NULL;
	}
	return dir;
}

/* A manifest's list (`agents`, `skills`): a string or an array of them,
 * each relative to the plugin; *listed is 1 when the key is there. */
static char **manifest_list(Pa_cc_config *c, const Pa_places *pl,
                            const Pa_jnode *manifest, const char *key,
                            const char *dir, size_t *n, int *set)
{
	const Pa_jnode *v = manifest ? Pa_jnode_get(manifest, key) : NULL;
	char **out = NULL;
	size_t i, count;

	*n = 0;
	*set = 0;
	if (!v || (v->type != PA_JSON_STRING && v->type != PA_JSON_ARRAY))
		return NULL;
	*set = 1;
	count = v->type == PA_JSON_STRING ? 1 : v->n;
	for (i = 0; i < count; i++) {
		const Pa_jnode *item = v->type == PA_JSON_STRING ? v : v->items[i];
		char *path;
		if (item->type != PA_JSON_STRING || !item->text[0])
			continue;
		path = confined(c, pl, dir, item->text, key);
		if (!path)
			continue;
		out = Pa_xgrow(out, *n, sizeof(*out));
		out[(*n)++] = path;
	}
	return out;
}

static int by_order(const void *a, const void *b)
{
	const Pa_cc_enabled *x = *(const Pa_cc_enabled *const *)a;
	const Pa_cc_enabled *y = *(const Pa_cc_enabled *const *)b;

	return x->order < y->order ? -1 : x->order > y->order;
}

void Pa_cc_find_plugins(Pa_cc_config *c, const Pa_places *pl)
{
	Pa_jnode *registry = NULL, *markets = NULL;
	const Pa_cc_enabled **on;
	char *path;
	size_t i, n_on = 0;

	if (!pl->user || !c->n_enabled)
		return;
	/* The ones on, in the order they first appear. */
	on = Pa_xmalloc(c->n_enabled * sizeof(*on));
	for (i = 0; i < c->n_enabled; i++)
		if (c->enabled[i].on)
			on[n_on++] = &c->enabled[i];
	qsort(on, n_on, sizeof(*on), by_order);
	if (n_on) {
		path = Pa_path_join(pl->user, "plugins/installed_plugins.json");
		registry = read_object(c, pl, path, PA_CFG_CC_REGISTRY);
		free(path);
		path = Pa_path_join(pl->user, "plugins/known_marketplaces.json");
		markets = read_object(c, pl, path, PA_CFG_CC_REGISTRY);
		free(path);
	}
	for (i = 0; registry && markets && i < n_on; i++) {
		const char *id = on[i]->id;
		char *dir, *json;
		Pa_jnode *manifest;
		const char *name;
		Pa_cc_plugin *p;

		if (!(dir = plugin_dir(c, pl, id, registry, markets)))
			continue;
		json = Pa_path_join(dir, ".claude-plugin/plugin.json");
		manifest = read_object(c, pl, json, PA_CFG_CC_PLUGIN);
		free(json);
		name = str(manifest, "name");
		c->plugins = Pa_xgrow(c->plugins, c->n_plugins, sizeof(*c->plugins));
		p = &c->plugins[c->n_plugins++];
		memset(p, 0, sizeof(*p));
		p->id = Pa_xstrdup(id);
		p->name = name && name[0] ? Pa_xstrdup(name)
		                          : Pa_xstrndup(id, (size_t)(strrchr(id, '@') - id));
		p->dir = dir;
		p->agents = manifest_list(c, pl, manifest, "agents", dir, &p->n_agents,
		                          &p->agents_listed);
		p->skills = manifest_list(c, pl, manifest, "skills", dir, &p->n_skills,
		                          &p->skills_listed);
		p->commands = manifest_list(c, pl, manifest, "commands", dir,
		                            &p->n_commands, &p->commands_listed);
		Pa_jnode_free(manifest);
	}
	Pa_jnode_free(registry);
	Pa_jnode_free(markets);
	free(on);
}
