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

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const Pa_cfg_rule Pa_cfg_cc_plugin = {
	"plugin.json", "Claude Code", 4 * PA_CFG_MiB, 1, PA_CFG_QUIET, PA_CFG_WARN,
	PA_CFG_WARN, PA_CFG_JSON
};

/* The plugins' registry and the known marketplaces: with a byte order
 * mark Claude Code loads no plugin (fixtures plugin-bytes-registry*,
 * plugin-bytes-known*); a plugin.json or a catalog may have one
 * (plugin-bytes-json). */
static const Pa_cfg_rule cc_registry = {
	"installed_plugins.json", "Claude Code", 4 * PA_CFG_MiB, 2, PA_CFG_QUIET,
	PA_CFG_WARN, PA_CFG_WARN, PA_CFG_JSON
};

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
                             const char *path, const Pa_cfg_rule *rule)
{
	char *shown = Pa_path_display(path, pl->root, pl->home);
	Pa_jnode *root = Pa_cc_read_json(c, path, rule, shown);

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
	catalog = read_object(c, pl, file, &Pa_cfg_cc_plugin);
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

/* Whether Claude Code takes name as a plugin's: not empty, no `@`, `:`,
 * white space, slash, backslash or control character. */
static int valid_name(const char *name)
{
	const unsigned char *s = (const unsigned char *)name;

	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s == 0x7f || *s == '@' || *s == ':' ||
		    *s == '/' || *s == '\\')
			return 0;
	return 1;
}

static void plugin_free(Pa_cc_plugin *p)
{
	free(p->id);
	free(p->name);
	free(p->dir);
	Pa_strings_free(p->agents, p->n_agents);
	Pa_strings_free(p->skills, p->n_skills);
	Pa_strings_free(p->commands, p->n_commands);
}

/* Adds the plugin at dir (owned by c from here) as id, named by its
 * manifest, else by the id's name; a --plugin-dir's has no id (NULL)
 * and `fallback` its directory's name, and becomes NAME@inline (Claude
 * Code reserves the marketplace name `inline`).  0 when a name Claude
 * Code refuses leaves it out, with a warning. */
static int add_plugin(Pa_cc_config *c, const Pa_places *pl, const char *id,
                      char *dir, const char *fallback)
{
	char *json = Pa_path_join(dir, ".claude-plugin/plugin.json");
	Pa_jnode *manifest = read_object(c, pl, json, &Pa_cfg_cc_plugin);
	const char *name = str(manifest, "name");
	char *own;
	Pa_cc_plugin *p;
	size_t i;

	free(json);
	if (name && name[0])
		own = Pa_xstrdup(name);
	else if (fallback)
		own = Pa_xstrdup(fallback);
	else
		own = Pa_xstrndup(id, (size_t)(strrchr(id, '@') - id));
	if (fallback && !valid_name(own)) {
		pa_buf b = PA_BUF_INIT;
		char *shown = Pa_path_display(dir, pl->root, pl->home);

		Pa_quote_str(&b, own);
		Pa_warn_at(&c->warn, shown, 0, "the plugin %s is not loaded: Claude "
		           "Code refuses a name with `@`, `:`, a space, a slash or a "
		           "control character, or none: %s", shown, b.ptr);
		pa_buf_release(&b);
		free(shown);
		free(own);
		free(dir);
		Pa_jnode_free(manifest);
		return 0;
	}
	/* A later --plugin-dir of the same name replaces an earlier one
	 * (fixture plugin-dir-twice). */
	for (i = 0; fallback && i < c->n_plugins; i++)
		if (!strcmp(c->plugins[i].name, own) &&
		    !strcmp(strrchr(c->plugins[i].id, '@'), "@inline")) {
			p = &c->plugins[i];
			plugin_free(p);
			memmove(p, p + 1, (c->n_plugins - i - 1) * sizeof(*p));
			c->n_plugins--;
			break;
		}
	c->plugins = Pa_xgrow(c->plugins, c->n_plugins, sizeof(*c->plugins));
	p = &c->plugins[c->n_plugins++];
	memset(p, 0, sizeof(*p));
	if (fallback) {
		pa_buf b = PA_BUF_INIT;

		pa_buf_printf(&b, "%s@inline", own);
		p->id = pa_buf_detach(&b, NULL);
	} else {
		p->id = Pa_xstrdup(id);
	}
	p->name = own;
	p->dir = dir;
	p->agents = manifest_list(c, pl, manifest, "agents", dir, &p->n_agents,
	                          &p->agents_listed);
	p->skills = manifest_list(c, pl, manifest, "skills", dir, &p->n_skills,
	                          &p->skills_listed);
	p->commands = manifest_list(c, pl, manifest, "commands", dir,
	                            &p->n_commands, &p->commands_listed);
	Pa_jnode_free(manifest);
	return 1;
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
		registry = read_object(c, pl, path, &cc_registry);
		free(path);
		path = Pa_path_join(pl->user, "plugins/known_marketplaces.json");
		markets = read_object(c, pl, path, &cc_registry);
		free(path);
	}
	for (i = 0; registry && markets && i < n_on; i++) {
		const char *id = on[i]->id;
		char *dir;

		if ((dir = plugin_dir(c, pl, id, registry, markets)) != NULL)
			add_plugin(c, pl, id, dir, NULL);
	}
	Pa_jnode_free(registry);
	Pa_jnode_free(markets);
	free(on);
}

/* ---- --plugin-dir (pa_compose_options.plugin_dirs) ----
 *
 * As Claude Code 2.1.332 takes the flag (fixtures plugin-dir-*): a
 * directory is one plugin when something at its top marks it as one
 * (.claude-plugin/ that is not a marketplace's alone, SKILL.md, a
 * .mcp.json that is not empty, .lsp.json, or a folder of components --
 * agents/, skills/, commands/ ... -- that is not itself a plugin);
 * else it is a folder of plugins, and each child directory holding
 * .claude-plugin/plugin.json is one, in the order of their names.  A
 * marketplace checkout's catalog is not read: its plugins load when the
 * folder that holds them is named.  Each plugin is NAME@inline, NAME
 * its manifest's `name`, else its directory's. */

/* The names Claude Code looks for at a plugin's top; the first
 * PLUGIN_PARTS are folders of its components. */
static const char *const plugin_marks[] = {
	"commands", "skills", "agents", "hooks", "themes", "output-styles",
	"monitors", "workflows", ".claude-plugin", "SKILL.md", ".mcp.json",
	".lsp.json"
};
#define PLUGIN_PARTS 8

/* Whether path exists: 0 only when it certainly does not (what Claude
 * Code calls absent), 1 otherwise; never opened. */
static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}

static int exists_in(const char *dir, const char *rel)
{
	char *path = Pa_path_join(dir, rel);
	int there = exists(path);

	free(path);
	return there;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir, at most pa_walk_limit() of them (a warning when
 * there are more); NULL with *n 0 when it cannot be read. */
static char **entries(Pa_cc_config *c, const Pa_places *pl, const char *dir,
                      size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **out = NULL;
	size_t max = pa_walk_limit();

	*n = 0;
	if (!d) {
		char *shown = Pa_path_display(dir, pl->root, pl->home);
		Pa_warn_at(&c->warn, shown, 0, "--plugin-dir %s cannot be read: %s",
		           shown, strerror(errno));
		free(shown);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == max) {
			char *shown = Pa_path_display(dir, pl->root, pl->home);
			Pa_warn_at(&c->warn, shown, 0, "--plugin-dir %s: stopped after "
			           "%zu entries (--max-entries)", shown, max);
			free(shown);
			break;
		}
		out = Pa_xgrow(out, *n, sizeof(*out));
		out[(*n)++] = Pa_xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(out, *n, sizeof(*out), by_string);
	return out;
}

/* Whether dir/name is an empty file (an empty .mcp.json marks
 * nothing). */
static int empty_file(const char *dir, const char *name)
{
	char *path = Pa_path_join(dir, name);
	struct stat st;
	int empty = lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0;

	free(path);
	return empty;
}

/* Whether the directory dir, whose entries are names, is one plugin. */
static int one_plugin(const char *dir, char **names, size_t n)
{
	int market = 0;
	size_t i, k;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], ".claude-plugin"))
			market = !exists_in(dir, ".claude-plugin/plugin.json") &&
			         exists_in(dir, ".claude-plugin/marketplace.json");
	for (i = 0; i < n; i++)
		for (k = PLUGIN_PARTS; k < sizeof(plugin_marks) / sizeof(*plugin_marks); k++)
			if (!strcmp(names[i], plugin_marks[k]) &&
			    !(market && k == PLUGIN_PARTS) &&
			    (k != PLUGIN_PARTS + 2 || !empty_file(dir, names[i])))
				return 1;
	for (i = 0; i < n; i++)
		for (k = 0; k < PLUGIN_PARTS; k++)
			if (!strcmp(names[i], plugin_marks[k])) {
				char *sub = Pa_path_join(names[i], ".claude-plugin/plugin.json");
				int own = exists_in(dir, sub);

				free(sub);
				if (!own)
					return 1;
			}
	return 0;
}

/* The plugin or plugins of one --plugin-dir (an absolute path). */
static void plugin_dir_add(Pa_cc_config *c, const Pa_places *pl,
                           const char *given)
{
	char *dir = realpath(given, NULL), **names;
	size_t n, i;

	if (!dir || !is_dir(dir)) {
		char *shown = Pa_path_display(given, pl->root, pl->home);
		Pa_warn_at(&c->warn, shown, 0, "--plugin-dir %s is not a directory",
		           shown);
		free(shown);
		free(dir);
		return;
	}
	names = entries(c, pl, dir, &n);
	if (one_plugin(dir, names, n)) {
		const char *base = strrchr(dir, '/');
		char *own = Pa_xstrdup(base && base[1] ? base + 1 : dir);

		/* a SKILL.md at its top is its skill, of the directory's name
		 * (fixture plugin-dir-skill) */
		if (add_plugin(c, pl, NULL, dir, own) && exists_in(dir, "SKILL.md")) {
			Pa_cc_plugin *p = &c->plugins[c->n_plugins - 1];

			p->skills = Pa_xgrow(p->skills, p->n_skills, sizeof(*p->skills));
			p->skills[p->n_skills++] = Pa_xstrdup(p->dir);
		}
		free(own);
		Pa_strings_free(names, n);
		return;
	}
	for (i = 0; i < n; i++) {
		char *child, *real;
		const char *why = NULL;

		if (names[i][0] == '.')
			continue;
		child = Pa_path_join(dir, names[i]);
		if (!is_dir(child) || !exists_in(child, ".claude-plugin/plugin.json")) {
			free(child);
			continue;
		}
		/* a child linked out of the folder is not followed */
		real = realpath(child, NULL);
		if (!real || !Pa_path_under(real, dir))
			why = "a symbolic link that leads out of the folder";
		if (why) {
			pa_buf b = PA_BUF_INIT;
			char *shown = Pa_path_display(dir, pl->root, pl->home);

			Pa_quote_str(&b, names[i]);
			Pa_warn_at(&c->warn, shown, 0, "--plugin-dir %s: %s skipped: %s",
			           shown, b.ptr, why);
			pa_buf_release(&b);
			free(shown);
			free(real);
		} else {
			add_plugin(c, pl, NULL, real, names[i]);
		}
		free(child);
	}
	Pa_strings_free(names, n);
	free(dir);
}

void Pa_cc_find_plugin_dirs(Pa_cc_config *c, const pa_compose_options *opt,
                            const Pa_places *pl)
{
	size_t i;

	for (i = 0; i < opt->n_plugin_dirs; i++)
		if (opt->plugin_dirs[i])
			plugin_dir_add(c, pl, opt->plugin_dirs[i]);
}

/* ${CLAUDE_PLUGIN_ROOT} in a plugin's hooks and MCP servers (discover.h). */
char *Pa_cc_plugin_root_subst(const char *s, const char *root)
{
	static const char var[] = "${CLAUDE_PLUGIN_ROOT}";
	pa_buf b = PA_BUF_INIT;
	const char *at;

	if (!root)
		return Pa_xstrdup(s);
	while ((at = strstr(s, var)) != NULL) {
		pa_buf_put(&b, s, (size_t)(at - s));
		pa_buf_puts(&b, root);
		s = at + sizeof(var) - 1;
	}
	pa_buf_puts(&b, s);
	return pa_buf_detach(&b, NULL);
}
