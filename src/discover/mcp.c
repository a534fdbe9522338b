/*
 * mcp.c - the MCP servers configured for a working directory: the
 * project's .mcp.json (at the repository root, else the project root),
 * then ~/.claude.json's servers of the working directory (`projects`,
 * scope local) and its own (scope user); or, when the managed policy
 * has a managed-mcp.json, its servers alone.  A name configured twice is
 * the first one's.  What a server sends is only known when it runs.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"
#include "files.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* .mcp.json. */
static const Pa_cfg_rule mcp_rule = {
	".mcp.json", "Claude Code", 16 * PA_CFG_MiB, 1, PA_CFG_QUIET, PA_CFG_WARN,
	PA_CFG_WARN, PA_CFG_JSON
};

/* ~/.claude.json, the user's own, where Claude Code keeps much else: the
 * history of every project, which users have seen grow to 65 MB and
 * 100 MB.  A limit a long user meets would fail every check of theirs
 * (a file not read fails it), so this one is far above them. */
static const Pa_cfg_rule claude_json_rule = {
	".claude.json", "Claude Code", 256 * PA_CFG_MiB, 1, PA_CFG_QUIET, PA_CFG_WARN,
	PA_CFG_WARN, PA_CFG_JSON_STORE
};

/* The strings of an array (or, pairs, of an object as "K=V"). */
static char **strings_of(const Pa_jnode *v, int pairs, size_t *n)
{
	char **out = NULL;
	size_t i;

	*n = 0;
	if (!v || v->type != (pairs ? PA_JSON_OBJECT : PA_JSON_ARRAY))
		return NULL;
	for (i = 0; i < v->n; i++) {
		pa_buf b = PA_BUF_INIT;
		if (v->items[i]->type != PA_JSON_STRING)
			continue;
		if (pairs)
			pa_buf_put(&b, v->keys[i], v->key_lens[i]);
		if (pairs)
			pa_buf_putc(&b, '=');
		pa_buf_put(&b, v->items[i]->text, v->items[i]->len);
		out = Pa_xgrow(out, *n, sizeof(*out));
		out[(*n)++] = pa_buf_detach(&b, NULL);
	}
	return out;
}

/* The servers of one file; a plugin's (plugin its name, root its
 * directory) are named plugin:PLUGIN:NAME, ${CLAUDE_PLUGIN_ROOT} in
 * their command, args and env made its directory (context fixture
 * ctx-plugin-hooks-mcp). */
static void add_plugin_servers(Pa_cc_config *c, const Pa_jnode *servers,
                               const char *scope, const char *from,
                               const char *plugin, const char *root)
{
	size_t i, j, k;

	for (i = 0; servers && servers->type == PA_JSON_OBJECT && i < servers->n; i++) {
		const Pa_jnode *cfg = servers->items[i];
		char *name;
		Pa_cc_server *s;

		/* A name holding a NUL ("\u0000"): as a C string it was cut
		 * there, shown and started as another server's name. */
		if (memchr(servers->keys[i], '\0', servers->key_lens[i])) {
			Pa_warn_incomplete_at(&c->warn, from, cfg->line, "an MCP "
			                      "server's name holds a NUL character, "
			                      "which promptasm cannot carry: the "
			                      "server is not counted");
			continue;
		}
		name = Pa_xstrndup(servers->keys[i], servers->key_lens[i]);
		if (plugin) {
			pa_buf b = PA_BUF_INIT;
			pa_buf_printf(&b, "plugin:%s:%s", plugin, name);
			free(name);
			name = pa_buf_detach(&b, NULL);
		}

		for (j = 0; j < c->n_servers && strcmp(c->servers[j].name, name); j++)
			;
		/* The managed deniedMcpServers keep a server of the project's,
		 * the user's or the managed ones from starting (context fixture
		 * ctx-managed-denied-mcp); a plugin's was not measured. */
		for (k = 0; !plugin && k < c->n_mcp_denied; k++)
			if (!strcmp(c->mcp_denied[k], name))
				break;
		if (j < c->n_servers || cfg->type != PA_JSON_OBJECT ||
		    (!plugin && k < c->n_mcp_denied)) {
			free(name);
			continue;
		}
		c->servers = Pa_xgrow(c->servers, c->n_servers, sizeof(*c->servers));
		s = &c->servers[c->n_servers++];
		s->name = name;
		s->scope = scope;
		s->stdio = Pa_jnode_get(cfg, "command") != NULL;
		{
			const Pa_jnode *cmd = Pa_jnode_get(cfg, "command");
			const Pa_jnode *type = Pa_jnode_get(cfg, "type");
			/* Only a stdio server is started: one without a type, or
			 * of type stdio, with a command. */
			if (!cmd || cmd->type != PA_JSON_STRING ||
			    (type && (type->type != PA_JSON_STRING || strcmp(type->text, "stdio"))))
				s->stdio = 0;
			s->command = s->stdio ? Pa_cc_plugin_root_subst(cmd->text, root) : NULL;
			s->args = strings_of(Pa_jnode_get(cfg, "args"), 0, &s->n_args);
			s->env = strings_of(Pa_jnode_get(cfg, "env"), 1, &s->n_env);
			s->from = Pa_xstrdup(from);
			for (k = 0; root && k < s->n_args; k++) {
				char *t = Pa_cc_plugin_root_subst(s->args[k], root);
				free(s->args[k]);
				s->args[k] = t;
			}
			for (k = 0; root && k < s->n_env; k++) {
				char *t = Pa_cc_plugin_root_subst(s->env[k], root);
				free(s->env[k]);
				s->env[k] = t;
			}
		}
	}
}

static void add_servers(Pa_cc_config *c, const Pa_jnode *servers,
                        const char *scope, const char *from)
{
	add_plugin_servers(c, servers, scope, from, NULL, NULL);
}

/* held: the file is held to its place as a settings file is (the
 * project's .mcp.json to the project, ~/.claude.json to home): one whose
 * link leads out is skipped with a warning unless approved, where
 * .mcp.json -> ~/elsewhere.json was read and its servers' names shown. */
static Pa_jnode *read_object(Pa_cc_config *c, const Pa_places *pl,
                             const Pa_cfg_rule *rule, const char *path, int held,
                             int approved)
{
	char *shown = Pa_path_display(path, pl->root, pl->home);
	char *real = held ? Pa_project_realpath(path) : NULL;
	const char *why = real ? Pa_places_refusal(pl, path, real, approved) : NULL;
	Pa_jnode *root = NULL;

	free(real);
	if (why)
		Pa_warn_at(&c->warn, shown, 0, "%s: skipped: %s", shown, why);
	else
		root = Pa_cc_read_json(c, path, rule, shown);
	free(shown);
	if (root && root->type != PA_JSON_OBJECT) {
		Pa_jnode_free(root);
		root = NULL;
	}
	return root;
}

/* managed-mcp.json beside managed-settings.json: when it is there, its
 * servers are the only ones Claude Code starts; the project's .mcp.json
 * and the user's ~/.claude.json start none (context fixture
 * ctx-managed-mcp).  Returns 1 when it is there. */
static int managed_servers(Pa_cc_config *c)
{
	char *file;
	Pa_jnode *root;
	struct stat st;

	if (!c->managed_dir)
		return 0;
	file = Pa_path_join(c->managed_dir, "managed-mcp.json");
	if (stat(file, &st) != 0) {
		free(file);
		return 0;
	}
	/* Managed paths are shown whole, as the managed files are. */
	root = Pa_cc_read_json(c, file, &mcp_rule, file);
	if (root && root->type == PA_JSON_OBJECT)
		add_servers(c, Pa_jnode_get(root, "mcpServers"), "managed", file);
	Pa_jnode_free(root);
	free(file);
	return 1;
}

void Pa_cc_find_servers(Pa_cc_config *c, const pa_compose_options *opt,
                        const Pa_places *pl)
{
	char *file, *shown;
	Pa_jnode *root;

	if (managed_servers(c))
		return;
	file = Pa_path_join(pl->repo ? pl->repo : pl->root, ".mcp.json");
	root = read_object(c, pl, &mcp_rule, file, 1, opt->approve_imports);
	shown = Pa_path_display(file, pl->root, pl->home);

	add_servers(c, root ? Pa_jnode_get(root, "mcpServers") : NULL, "project", shown);
	Pa_jnode_free(root);
	free(file);
	free(shown);
	/* .claude.json lies in CLAUDE_CONFIG_DIR when it is set, else in
	 * home (context fixture mcp-config-dir). */
	if (opt->config_dir && opt->config_dir[0] && pl->user)
		file = Pa_path_join(pl->user, ".claude.json");
	else if (pl->home)
		file = Pa_path_join(pl->home, ".claude.json");
	else
		return;
	shown = Pa_path_display(file, pl->root, pl->home);
	root = read_object(c, pl, &claude_json_rule, file, 1, opt->approve_imports);
	if (root) {
		const Pa_jnode *projects = Pa_jnode_get(root, "projects");
		const Pa_jnode *mine = projects && projects->type == PA_JSON_OBJECT
		                       ? Pa_jnode_get(projects, pl->cwd) : NULL;
		if (mine && mine->type == PA_JSON_OBJECT)
			add_servers(c, Pa_jnode_get(mine, "mcpServers"), "local", shown);
		add_servers(c, Pa_jnode_get(root, "mcpServers"), "user", shown);
	}
	Pa_jnode_free(root);
	free(file);
	free(shown);
	/* Each enabled plugin's .mcp.json, after the others. */
	for (size_t i = 0; i < c->n_plugins; i++) {
		file = Pa_path_join(c->plugins[i].dir, ".mcp.json");
		shown = Pa_path_display(file, pl->root, pl->home);
		root = read_object(c, pl, &mcp_rule, file, 0, 0);
		if (root)
			add_plugin_servers(c, Pa_jnode_get(root, "mcpServers"), "plugin",
			                   shown, c->plugins[i].name, c->plugins[i].dir);
		Pa_jnode_free(root);
		free(file);
		free(shown);
	}
}
