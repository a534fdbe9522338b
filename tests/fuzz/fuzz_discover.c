/* fuzz_discover.c - libFuzzer target: the discover stage
 * (src/discover/) reading Claude Code's settings, a plugin manifest, a
 * marketplace catalog and .mcp.json.
 *
 * A tree is made once: a home whose settings enable plugin kit@team of a
 * directory marketplace, the plugin, and a project.  The first byte
 * picks which file the rest of the input replaces (the others keep their
 * seed text): 0 the user's settings, 1 the project's settings, 2 the
 * plugin's plugin.json, 3 the project's .mcp.json, 4 the marketplace's
 * catalog.  Then the project is discovered twice.
 *
 * Oracles:
 *  - both discoveries give the same model (nothing depends on memory
 *    left from the first);
 *  - a settings file the strict JSON reader refuses, or that is not an
 *    object, is not applied, and a warning names it;
 *  - enabledPlugins is sorted by id with no id twice, and every id is
 *    found by Pa_cc_plugin_enabled with its value;
 *  - every file or directory a manifest lists lies in its plugin, and
 *    every plugin lies in the marketplace's directory;
 *  - no MCP server name twice. */
#include "fuzz.h"

#include "discover.h"
#include "util.h"

#include <sys/stat.h>

static char tree[512];

static const char *const files[] = {
	"home/.claude/settings.json",
	"proj/.claude/settings.json",
	"market/kit/.claude-plugin/plugin.json",
	"proj/.mcp.json",
	"market/.claude-plugin/marketplace.json",
	"home/.claude/plugins/installed_plugins.json",
	"home/.claude/plugins/known_marketplaces.json",
};
static const char *const dirs[] = {
	"home", "home/.claude", "home/.claude/plugins", "market",
	"market/.claude-plugin", "market/kit", "market/kit/.claude-plugin",
	"market/kit/agents", "proj", "proj/.git", "proj/.claude",
};
#define N_FILES (sizeof(files) / sizeof(files[0]))
#define N_DIRS (sizeof(dirs) / sizeof(dirs[0]))

static void path_of(char *out, size_t n, const char *rel)
{
	snprintf(out, n, "%s/%s", tree, rel);
}

static void write_rel(const char *rel, const void *data, size_t len)
{
	char p[1024];

	path_of(p, sizeof(p), rel);
	fuzz_write_file(p, data, len);
}

static void remove_tree(void)
{
	char p[1024];
	size_t i;

	for (i = 0; i < N_FILES; i++) {
		path_of(p, sizeof(p), files[i]);
		unlink(p);
	}
	for (i = N_DIRS; i-- > 0;) {
		path_of(p, sizeof(p), dirs[i]);
		rmdir(p);
	}
	rmdir(tree);
}

/* The seed text of file i ($W: the tree). */
static void seed(size_t i)
{
	char text[2048];

	switch (i) {
	case 0:
		snprintf(text, sizeof(text), "{ \"enabledPlugins\": { \"kit@team\": true } }\n");
		break;
	case 1:
		snprintf(text, sizeof(text), "{ \"claudeMdExcludes\": [\"**/x.md\"] }\n");
		break;
	case 2:
		snprintf(text, sizeof(text), "{ \"name\": \"kit\", \"agents\": [\"./agents/a.md\"] }\n");
		break;
	case 3:
		snprintf(text, sizeof(text), "{ \"mcpServers\": { \"s\": { \"command\": \"x\" } } }\n");
		break;
	case 4:
		snprintf(text, sizeof(text), "{ \"name\": \"team\", \"plugins\": "
		         "[ { \"name\": \"kit\", \"source\": \"./kit\" } ] }\n");
		break;
	case 5:
		snprintf(text, sizeof(text), "{ \"version\": 2, \"plugins\": { \"kit@team\": "
		         "[ { \"installPath\": \"%s/market/kit\" } ] } }\n", tree);
		break;
	default:
		snprintf(text, sizeof(text), "{ \"team\": { \"source\": { \"source\": "
		         "\"directory\" }, \"installLocation\": \"%s/market\" } }\n", tree);
		break;
	}
	write_rel(files[i], text, strlen(text));
}

static void make_tree(void)
{
	char p[1024];
	size_t i;

	snprintf(tree, sizeof(tree), "%s", fuzz_tmp_path("discover"));
	mkdir(tree, 0700);
	for (i = 0; i < N_DIRS; i++) {
		path_of(p, sizeof(p), dirs[i]);
		mkdir(p, 0700);
	}
	atexit(remove_tree);
}

/* Whether the strict reader takes text (a byte order mark skipped) as
 * a JSON object. */
static int json_object(const unsigned char *data, size_t size)
{
	Pa_jnode *root = NULL;
	pa_error err;
	int ok;

	if (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		data += 3;
		size -= 3;
	}
	ok = Pa_json_parse((const char *)data, size, "x", &root, &err) == PA_OK &&
	     root->type == PA_JSON_OBJECT;
	Pa_jnode_free(root);
	return ok;
}

static void check_model(const Pa_cc_config *c, const Pa_places *pl)
{
	size_t i, j;
	char market[1024];

	for (i = 0; i < c->n_enabled; i++) {
		FUZZ_CHECK(i == 0 || strcmp(c->enabled[i - 1].id, c->enabled[i].id) < 0);
		FUZZ_CHECK(Pa_cc_plugin_enabled(c, c->enabled[i].id) == c->enabled[i].on);
	}
	path_of(market, sizeof(market), "market");
	for (i = 0; i < c->n_plugins; i++) {
		const Pa_cc_plugin *p = &c->plugins[i];
		FUZZ_CHECK(Pa_path_under(p->dir, market) != NULL);
		for (j = 0; j < p->n_agents; j++)
			FUZZ_CHECK(Pa_path_under(p->agents[j], p->dir) != NULL);
		for (j = 0; j < p->n_skills; j++)
			FUZZ_CHECK(Pa_path_under(p->skills[j], p->dir) != NULL);
		FUZZ_CHECK(p->name && p->name[0]);
	}
	for (i = 0; i < c->n_servers; i++)
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(c->servers[i].name, c->servers[j].name) != 0);
	(void)pl;
}

static int same_model(const Pa_cc_config *a, const Pa_cc_config *b)
{
	size_t i;

	if (a->n_enabled != b->n_enabled || a->n_plugins != b->n_plugins ||
	    a->n_servers != b->n_servers || a->n_excludes != b->n_excludes ||
	    a->n_env != b->n_env || a->n_deny != b->n_deny ||
	    a->warn.n != b->warn.n || a->auto_memory != b->auto_memory)
		return 0;
	for (i = 0; i < PA_CC_LEVELS; i++)
		if (!a->files[i] != !b->files[i])
			return 0;
	for (i = 0; i < a->n_plugins; i++)
		if (strcmp(a->plugins[i].dir, b->plugins[i].dir) ||
		    a->plugins[i].n_agents != b->plugins[i].n_agents)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	pa_compose_options opt;
	Pa_places a, b;
	pa_error err;
	pa_status st;
	char cwd[1024], home[1024];
	size_t i, which;

	if (size < 1)
		return 0;
	if (!tree[0])
		make_tree();
	which = data[0] % 5;
	for (i = 0; i < N_FILES; i++)
		seed(i);
	write_rel(files[which], data + 1, size - 1);
	path_of(cwd, sizeof(cwd), "proj");
	path_of(home, sizeof(home), "home");
	memset(&opt, 0, sizeof(opt));
	opt.cwd = cwd;
	opt.home = home;
	opt.no_managed = 1;
	st = Pa_places_init(&a, &opt, &err);
	if (st != PA_OK) {
		/* Only a settings file's model holding a NUL is refused
		 * (settings.c), naming where, and the same again. */
		FUZZ_CHECK(which <= 1 && st == PA_ERR_INVALID && err.file[0] &&
		           err.line > 0 && err.column > 0);
		FUZZ_CHECK(Pa_places_init(&b, &opt, &err) == st);
		return 0;
	}
	FUZZ_CHECK(Pa_places_init(&b, &opt, &err) == PA_OK);
	check_model(a.cc, &a);
	FUZZ_CHECK(same_model(a.cc, b.cc));
	if (which <= 1 && !json_object(data + 1, size - 1)) {
		const char *shown = which == 0 ? "~/.claude/settings.json"
		                               : ".claude/settings.json";
		int named = 0;
		FUZZ_CHECK(a.cc->files[which == 0 ? PA_CC_USER : PA_CC_PROJECT] == NULL);
		for (i = 0; i < a.cc->warn.n; i++)
			if (a.cc->warn.items[i].path &&
			    !strcmp(a.cc->warn.items[i].path, shown))
				named = 1;
		FUZZ_CHECK(named);
	}
	Pa_places_release(&a);
	Pa_places_release(&b);
	return 0;
}
