/*
 * mcp.c - the MCP servers configured for a working directory: the
 * project's .mcp.json (at the repository root, else the project root),
 * then ~/.claude.json's servers of the working directory (`projects`,
 * scope local) and its own (scope user).  A name configured twice is
 * the first one's.  What a server sends is only known when it runs.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

/* ~/.claude.json keeps much else (history): read up to this size. */
#define MCP_JSON_MAX (16u << 20)

static void add_servers(pa_cc_config *c, const pa_jnode *servers,
                        const char *scope)
{
	size_t i, j;

	for (i = 0; servers && servers->type == PA_JSON_OBJECT && i < servers->n; i++) {
		const pa_jnode *cfg = servers->items[i];
		char *name = pa_xstrndup(servers->keys[i], servers->key_lens[i]);
		pa_cc_server *s;

		for (j = 0; j < c->n_servers && strcmp(c->servers[j].name, name); j++)
			;
		if (j < c->n_servers || cfg->type != PA_JSON_OBJECT) {
			free(name);
			continue;
		}
		c->servers = pa_xgrow(c->servers, c->n_servers, sizeof(*c->servers));
		s = &c->servers[c->n_servers++];
		s->name = name;
		s->scope = scope;
		s->stdio = pa_jnode_get(cfg, "command") != NULL;
	}
}

static pa_jnode *read_object(pa_cc_config *c, const pa_places *pl,
                             const char *path)
{
	char *shown = pa_path_display(path, pl->root, pl->home);
	pa_jnode *root = pa_cc_read_json(path, MCP_JSON_MAX, shown, &c->warn);

	free(shown);
	if (root && root->type != PA_JSON_OBJECT) {
		pa_jnode_free(root);
		root = NULL;
	}
	return root;
}

void pa_cc_find_servers(pa_cc_config *c, const pa_places *pl)
{
	char *file = pa_path_join(pl->repo ? pl->repo : pl->root, ".mcp.json");
	pa_jnode *root = read_object(c, pl, file);

	add_servers(c, root ? pa_jnode_get(root, "mcpServers") : NULL, "project");
	pa_jnode_free(root);
	free(file);
	if (!pl->home)
		return;
	file = pa_path_join(pl->home, ".claude.json");
	root = read_object(c, pl, file);
	if (root) {
		const pa_jnode *projects = pa_jnode_get(root, "projects");
		const pa_jnode *mine = projects && projects->type == PA_JSON_OBJECT
		                       ? pa_jnode_get(projects, pl->cwd) : NULL;
		if (mine && mine->type == PA_JSON_OBJECT)
			add_servers(c, pa_jnode_get(mine, "mcpServers"), "local");
		add_servers(c, pa_jnode_get(root, "mcpServers"), "user");
	}
	pa_jnode_free(root);
	free(file);
}
