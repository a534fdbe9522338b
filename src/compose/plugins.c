/*
 * plugins.c - the installed, enabled plugins whose agents Claude Code
 * loads, as 2.1.332 finds them (fixtures plugin-*, docs/claude-code.md):
 *
 * - enabled: `enabledPlugins` of the user's, the project's and the local
 *   settings, a later level's value winning, in the order ids first
 *   appear;
 * - installed: the id in the user's plugins/installed_plugins.json, its
 *   first install's absolute installPath;
 * - listed: the id's marketplace in plugins/known_marketplaces.json, and
 *   the plugin in that marketplace's catalog (.claude-plugin/
 *   marketplace.json under its installLocation); a marketplace added from
 *   a directory serves the plugin from that directory, not the copy;
 * - named: the `name` of the plugin's .claude-plugin/plugin.json, else
 *   the id's name.
 *
 * The files are JSON, read with the YAML reader (JSON is YAML's flow
 * style).
 */
#define _XOPEN_SOURCE 700
#include "frontmatter.h"
#include "plugins.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A settings or registry file is read up to this size. */
#define PLUGIN_JSON_MAX (4u << 20)

/* The tree of a JSON file, or NULL when it is missing or not JSON. */
static pa_ynode *read_json(const char *path)
{
	pa_buf text = PA_BUF_INIT;
	pa_ynode *root = NULL;

	if (pa_file_read_limited(path, PLUGIN_JSON_MAX, 0, &text, NULL) == PA_OK &&
	    pa_yaml_parse(text.ptr, text.len, path, &root, NULL) == PA_OK &&
	    root && root->type != PA_YNODE_MAPPING) {
		pa_fm_free(root);
		root = NULL;
	}
	pa_buf_release(&text);
	return root;
}

static const char *str(const pa_ynode *map, const char *key)
{
	const pa_ynode *v = map ? pa_ynode_get(map, key) : NULL;

	return v && v->type == PA_YNODE_SCALAR && !pa_ynode_is_null(v)
	       ? v->scalar : NULL;
}

typedef struct enabled {
	char **ids;
	int *on;
	size_t n;
} enabled;

static void read_enabled(enabled *en, const char *path)
{
	pa_ynode *root = read_json(path);
	const pa_ynode *map = root ? pa_ynode_get(root, "enabledPlugins") : NULL;
	size_t i, j;

	for (i = 0; map && map->type == PA_YNODE_MAPPING && i < map->n; i++) {
		const pa_ynode *k = map->items[2 * i], *v = map->items[2 * i + 1];
		int on;
		if (k->type != PA_YNODE_SCALAR || v->type != PA_YNODE_SCALAR)
			continue;
		on = v->scalar_len == 4 && !memcmp(v->scalar, "true", 4);
		for (j = 0; j < en->n && strcmp(en->ids[j], k->scalar); j++)
			;
		if (j == en->n) {
			en->ids = pa_xgrow(en->ids, en->n, sizeof(*en->ids));
			en->on = pa_xrealloc(en->on, (en->n + 1) * sizeof(*en->on));
			en->ids[en->n++] = pa_xstrdup(k->scalar);
		}
		en->on[j] = on;
	}
	pa_fm_free(root);
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether catalog lists plugin `name`; *source gets its source when it
 * is a path. */
static int listed(const pa_ynode *catalog, const char *name, const char **source)
{
	const pa_ynode *list = catalog ? pa_ynode_get(catalog, "plugins") : NULL;
	size_t i;

	*source = NULL;
	for (i = 0; list && list->type == PA_YNODE_SEQUENCE && i < list->n; i++) {
		const char *n = str(list->items[i], "name");
		if (n && !strcmp(n, name)) {
			*source = str(list->items[i], "source");
			return 1;
		}
	}
	return 0;
}

/* The directory of one enabled plugin, or NULL when Claude Code does not
 * load it. */
static char *plugin_dir(const char *id, const pa_ynode *registry,
                        const pa_ynode *markets)
{
	const char *at = strrchr(id, '@');
	const pa_ynode *installs, *market, *src;
	char *name, *dir = NULL, *file;
	const char *location, *source, *install;
	pa_ynode *catalog;

	if (!at || at == id || !at[1])
		return NULL;
	name = pa_xstrndup(id, (size_t)(at - id));
	market = markets ? pa_ynode_get(markets, at + 1) : NULL;
	location = str(market, "installLocation");
	installs = registry ? pa_ynode_get(registry, "plugins") : NULL;
	installs = installs ? pa_ynode_get(installs, id) : NULL;
	if (!location || !installs || installs->type != PA_YNODE_SEQUENCE ||
	    installs->n == 0) {
		free(name);
		return NULL;
	}
	file = pa_path_join(location, ".claude-plugin/marketplace.json");
	catalog = read_json(file);
	free(file);
	if (listed(catalog, name, &source)) {
		src = pa_ynode_get(market, "source");
		if (source && src && str(src, "source") &&
		    !strcmp(str(src, "source"), "directory")) {
			dir = pa_path_join(location, source);
		} else {
			install = str(installs->items[0], "installPath");
			if (install && install[0] == '/')
				dir = pa_xstrdup(install);
		}
	}
	pa_fm_free(catalog);
	free(name);
	if (dir && !is_dir(dir)) {
		free(dir);
		dir = NULL;
	}
	return dir;
}

void pa_plugins_find(const pa_places *pl, pa_plugin **out, size_t *n)
{
	enabled en = { NULL, NULL, 0 };
	pa_ynode *registry = NULL, *markets = NULL;
	char *path;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!pl->user)
		return;
	path = pa_path_join(pl->user, "settings.json");
	read_enabled(&en, path);
	free(path);
	path = pa_path_join(pl->root, ".claude/settings.json");
	read_enabled(&en, path);
	free(path);
	path = pa_path_join(pl->root, ".claude/settings.local.json");
	read_enabled(&en, path);
	free(path);
	if (en.n) {
		path = pa_path_join(pl->user, "plugins/installed_plugins.json");
		registry = read_json(path);
		free(path);
		path = pa_path_join(pl->user, "plugins/known_marketplaces.json");
		markets = read_json(path);
		free(path);
	}
	for (i = 0; i < en.n; i++) {
		char *dir, *json;
		pa_ynode *manifest;
		const char *name;
		pa_plugin *p;

		if (!en.on[i] || !(dir = plugin_dir(en.ids[i], registry, markets)))
			continue;
		json = pa_path_join(dir, ".claude-plugin/plugin.json");
		manifest = read_json(json);
		free(json);
		name = str(manifest, "name");
		*out = pa_xgrow(*out, *n, sizeof(**out));
		p = &(*out)[(*n)++];
		p->name = name ? pa_xstrdup(name)
		               : pa_xstrndup(en.ids[i], (size_t)(strrchr(en.ids[i], '@') - en.ids[i]));
		p->dir = dir;
		pa_fm_free(manifest);
	}
	pa_fm_free(registry);
	pa_fm_free(markets);
	pa_strings_free(en.ids, en.n);
	free(en.on);
}

void pa_plugins_free(pa_plugin *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].name);
		free(list[i].dir);
	}
	free(list);
}
