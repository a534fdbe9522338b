/* test_discover.c - the discover stage's merge of Claude Code's settings
 * (src/discover/settings.c): which file is the project's, precedence,
 * lists that add up, maps merged key by key, strictness, the env block
 * over the environment, enabledPlugins as a sorted set. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "harness.h"
#include "discover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[512], dir[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		CHECK(!"cannot write a file of the tree");
}

static void clean(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		CHECK(!"rm");
}

/* Discovers the tree from cwd (relative to the tree) with env. */
static void discover(pa_places *pl, const char *cwd, const char *const *env)
{
	pa_compose_options opt;
	pa_error err;
	char c[512], h[512], m[512];

	snprintf(c, sizeof(c), "%s/%s", root, cwd);
	snprintf(h, sizeof(h), "%s/home", root);
	snprintf(m, sizeof(m), "%s/managed/CLAUDE.md", root);
	memset(&opt, 0, sizeof(opt));
	opt.cwd = c;
	opt.home = h;
	opt.managed_file = m;
	opt.env = env;
	CHECK_EQ_INT(Pa_places_init(pl, &opt, &err), PA_OK);
}

static int warned(const pa_cc_config *c, const char *text)
{
	size_t i;

	for (i = 0; i < c->warn.n; i++)
		if (strstr(c->warn.items[i].message, text))
			return 1;
	return 0;
}

static void tree(void)
{
	snprintf(root, sizeof(root), "/tmp/promptasm-test-discover.XXXXXX");
	if (!mkdtemp(root))
		CHECK(!"mkdtemp");
	put("proj/.git/HEAD", "ref: refs/heads/main\n");
	put("home/.claude/settings.json",
	    "{ \"claudeMdExcludes\": [\"/u/*.md\"], \"autoMemoryEnabled\": false,\n"
	    "  \"model\": \"haiku\", \"env\": { \"A\": \"user\", \"B\": \"user\" },\n"
	    "  \"permissions\": { \"deny\": [\"WebSearch\"] },\n"
	    "  \"enabledPlugins\": { \"z@m\": true, \"a@m\": true, \"off@m\": true },\n"
	    "  \"autoMemoryDirectory\": \"~/notes\" }\n");
	put("proj/pkg/.claude/settings.json",
	    "\xEF\xBB\xBF{ \"claudeMdExcludes\": [\"**/p.md\"], \"autoMemoryEnabled\": true,\n"
	    "  \"env\": { \"B\": 2, \"C\": true },\n"
	    "  \"permissions\": { \"deny\": [\"Bash(rm:*)\", \"WebFetch\"] },\n"
	    "  \"enabledPlugins\": { \"off@m\": false, \"b@m\": true, \"b@m\": false } }\n");
	put("proj/pkg/.claude/settings.local.json",
	    "{ \"model\": \"sonnet\", \"enabledPlugins\": { \"b@m\": true },\n"
	    "  \"autoMemoryDirectory\": \"relative/mem\" }\n");
	/* The root's project settings are not the working directory's. */
	put("proj/.claude/settings.json", "{ \"model\": \"opus\", \"claudeMdExcludes\": [\"/root\"] }\n");
	put("managed/managed-settings.json", "{ \"model\": \"managed-model\", \"claudeMd\": \"policy\" }\n");
}

static void test_merge(void)
{
	static const char *const env[] = { "A=process", "D=process", "NOEQ", NULL };
	pa_places pl;
	const pa_cc_config *c;

	tree();
	discover(&pl, "proj/pkg", env);
	c = pl.cc;
	/* Lists add up, lowest precedence first; the root's file is not read. */
	CHECK_EQ_INT(c->n_excludes, 2);
	if (c->n_excludes == 2) {
		CHECK_EQ_STR(c->excludes[0], "/u/*.md");
		CHECK_EQ_STR(c->excludes[1], "**/p.md");
		CHECK_EQ_STR(c->exclude_from[1], "pkg/.claude/settings.json");
	}
	CHECK_EQ_INT(c->n_deny, 3);
	CHECK(Pa_cc_denies_tool(c, "WebFetch") && Pa_cc_denies_tool(c, "WebSearch"));
	CHECK(!Pa_cc_denies_tool(c, "Bash"));
	/* The highest precedence that sets a value wins: managed over local. */
	CHECK_EQ_STR(c->model, "managed-model");
	CHECK_EQ_STR(c->policy_text, "policy");
	CHECK_EQ_INT(c->auto_memory, 1);
	/* A relative autoMemoryDirectory is ignored (with a word); ~/ is home. */
	CHECK(c->auto_memory_dir && strstr(c->auto_memory_dir, "/home/notes"));
	CHECK_EQ_INT(c->auto_memory_dir_level, PA_CC_USER);
	CHECK(warned(c, "is relative"));
	/* env: key by key, the settings over the environment, numbers and
	 * booleans as their text. */
	CHECK_EQ_STR(Pa_cc_getenv(c, "A"), "user");
	CHECK_EQ_STR(Pa_cc_getenv(c, "B"), "2");
	CHECK_EQ_STR(Pa_cc_getenv(c, "C"), "true");
	CHECK_EQ_STR(Pa_cc_getenv(c, "D"), "process");
	CHECK(Pa_cc_getenv(c, "NOEQ") == NULL);
	CHECK(Pa_cc_env_true(c, "C") && !Pa_cc_env_true(c, "B"));
	/* enabledPlugins: a later false wins, a later true too; sorted. */
	CHECK_EQ_INT(c->n_enabled, 4);
	CHECK_EQ_INT(Pa_cc_plugin_enabled(c, "off@m"), 0);
	CHECK_EQ_INT(Pa_cc_plugin_enabled(c, "b@m"), 1);
	CHECK_EQ_INT(Pa_cc_plugin_enabled(c, "z@m"), 1);
	CHECK_EQ_INT(Pa_cc_plugin_enabled(c, "nope@m"), -1);
	CHECK(c->n_enabled == 4 && !strcmp(c->enabled[0].id, "a@m") &&
	      c->enabled[3].order == 0 /* z@m came first */);
	CHECK(c->files[PA_CC_PROJECT] && strstr(c->files[PA_CC_PROJECT], "/pkg/.claude/"));
	Pa_places_release(&pl);
	/* From the root, the root's project settings. */
	discover(&pl, "proj", NULL);
	CHECK_EQ_STR(pl.cc->model, "managed-model");
	CHECK_EQ_INT(pl.cc->n_excludes, 2);
	CHECK(pl.cc->n_excludes == 2 && !strcmp(pl.cc->excludes[1], "/root"));
	Pa_places_release(&pl);
	clean();
}

static void test_strict(void)
{
	pa_places pl;

	tree();
	/* A known key of the wrong type drops the file whole. */
	put("proj/pkg/.claude/settings.json",
	    "{ \"permissions\": { \"allow\": \"Read\" }, \"claudeMdExcludes\": [\"x\"] }");
	/* Not strict JSON: dropped, the line and column named. */
	put("proj/pkg/.claude/settings.local.json", "{\n  \"model\": \"x\",\n}\n");
	/* Unknown keys and env numbers do not drop a file. */
	put("managed/managed-settings.json", "{ \"whatever\": [1], \"env\": { \"N\": 5 } }");
	discover(&pl, "proj/pkg", NULL);
	CHECK(pl.cc->files[PA_CC_PROJECT] == NULL);
	CHECK(pl.cc->files[PA_CC_LOCAL] == NULL);
	CHECK(pl.cc->files[PA_CC_MANAGED] != NULL);
	CHECK(pl.cc->files[PA_CC_USER] != NULL);
	CHECK_EQ_INT(pl.cc->n_excludes, 1);
	CHECK(warned(pl.cc, "pkg/.claude/settings.json:1:") &&
	      warned(pl.cc, "`permissions.allow`"));
	CHECK(warned(pl.cc, "pkg/.claude/settings.local.json:3:"));
	CHECK_EQ_STR(Pa_cc_getenv(pl.cc, "N"), "5");
	CHECK_EQ_STR(pl.cc->model, "haiku");
	Pa_places_release(&pl);
	/* An array, not an object: dropped. */
	put("home/.claude/settings.json", "[{ \"model\": \"x\" }]");
	discover(&pl, "proj/pkg", NULL);
	CHECK(pl.cc->files[PA_CC_USER] == NULL && warned(pl.cc, "not a JSON object"));
	Pa_places_release(&pl);
	clean();
}

/* 40,000 keys over two levels: one entry each, the last word kept. */
static void test_many_plugins(void)
{
	pa_places pl;
	char *text = malloc(40000 * 32 + 64), *p;
	size_t i, n = 40000;

	tree();
	p = text + sprintf(text, "{ \"enabledPlugins\": {");
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s\"p%05zu@m\": true", i ? ", " : "", i);
	strcpy(p, " } }");
	put("home/.claude/settings.json", text);
	p = text + sprintf(text, "{ \"enabledPlugins\": {");
	for (i = 0; i < n; i += 2)
		p += sprintf(p, "%s\"p%05zu@m\": false", i ? ", " : "", i);
	strcpy(p, " } }");
	put("proj/pkg/.claude/settings.json", text);
	put("proj/pkg/.claude/settings.local.json", "{}");
	discover(&pl, "proj/pkg", NULL);
	CHECK_EQ_INT(pl.cc->n_enabled, n);
	CHECK_EQ_INT(Pa_cc_plugin_enabled(pl.cc, "p00000@m"), 0);
	CHECK_EQ_INT(Pa_cc_plugin_enabled(pl.cc, "p39999@m"), 1);
	CHECK_EQ_INT(Pa_cc_plugin_enabled(pl.cc, "p40000@m"), -1);
	Pa_places_release(&pl);
	free(text);
	clean();
}

int main(void)
{
	RUN(test_merge);
	RUN(test_strict);
	RUN(test_many_plugins);
	return pa_test_summary();
}
