/* test_discover.c - the discover stage's merge of Claude Code's settings
 * (src/discover/settings.c): which file is the project's, precedence,
 * lists that add up, maps merged key by key, strictness, the env block
 * over the environment, enabledPlugins as a sorted set; and the model of
 * the files Claude Code reads: instruction files in order with their
 * imports, read once per cache, auto memory, an agent's MEMORY.md, the
 * agent directories and a preloaded skill. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "unit.h"
#include "discover.h"

#include <signal.h>
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
static void discover(Pa_places *pl, const char *cwd, const char *const *env)
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

static int warned(const Pa_cc_config *c, const char *text)
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
	Pa_places pl;
	const Pa_cc_config *c;

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
	Pa_places pl;

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
	Pa_places pl;
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

/* The file of m at position i: its kind, how it is shown, its text. */
static void check_file(const Pa_cc_instructions *m, size_t i,
                       pa_section_kind kind, const char *shown,
                       const char *text)
{
	if (i >= m->n) {
		CHECK(!"too few instruction files");
		return;
	}
	CHECK_EQ_INT(m->files[i].kind, kind);
	CHECK(strstr(m->files[i].shown, shown) != NULL);
	CHECK_EQ_STR(m->files[i].text, text);
}

static int model_warned(const pa_warnings *w, const char *text)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strstr(w->items[i].message, text))
			return 1;
	return 0;
}

static void test_files(void)
{
	Pa_places pl;
	pa_compose_options opt;
	pa_compose_cache *cache = pa_compose_cache_new();
	Pa_cc_instructions own, one;
	const Pa_cc_instructions *m, *again;
	Pa_cc_auto_memory am;
	Pa_cc_agents ag;
	Pa_cc_memory *mem;
	pa_error err;
	char c[512], h[512], *dir, *file, *skill;
	int command, disabled, owned;
	size_t i, nproj = 0;

	snprintf(root, sizeof(root), "/tmp/promptasm-test-discover.XXXXXX");
	if (!mkdtemp(root))
		CHECK(!"mkdtemp");
	put("proj/.git/HEAD", "ref: refs/heads/main\n");
	put("proj/CLAUDE.md", "---\ntitle: x\n---\n\n# Root\n<!-- gone -->\n"
	    "See @pkg/a.md and @missing.md\n");
	/* (An import must lie under the working directory.) */
	put("proj/pkg/a.md", "Imported text\n");
	put("proj/.claude/rules/r.md", "A rule\n");
	put("proj/pkg/CLAUDE.local.md", "\n\nLocal\n");
	put("home/.claude/CLAUDE.md", "User text\n");
	put("proj/.claude/agents/x.md", "---\nname: x\ndescription: X\n---\nBody\n");
	put("proj/pkg/.claude/agents/y.md", "---\nname: y\ndescription: Y\n---\n");
	put("home/.claude/agents/u.md", "---\nname: u\ndescription: U\n---\n");
	put("proj/.claude/skills/s/SKILL.md", "---\nname: s\n---\nSkill\n");
	put("proj/.claude/skills/off/SKILL.md",
	    "---\ndisable-model-invocation: true\n---\nOff\n");
	put("proj/pkg/.claude/agent-memory/x/MEMORY.md", "- one\r\n- two\r\n");

	snprintf(c, sizeof(c), "%s/proj/pkg", root);
	snprintf(h, sizeof(h), "%s/home", root);
	memset(&opt, 0, sizeof(opt));
	opt.cwd = c;
	opt.home = h;
	opt.no_managed = 1;
	opt.cache = cache;
	CHECK_EQ_INT(Pa_places_init(&pl, &opt, &err), PA_OK);

	/* The instruction files, in Claude Code's order, as sent. */
	m = Pa_places_instructions(&pl, &opt, &own);
	CHECK_EQ_INT(m->status, PA_OK);
	CHECK_EQ_INT(m->n, 5);
	check_file(m, 0, PA_SECTION_USER, "~/.claude/CLAUDE.md", "User text");
	check_file(m, 1, PA_SECTION_PROJECT, "CLAUDE.md",
	           "# Root\nSee @pkg/a.md and @missing.md");
	check_file(m, 2, PA_SECTION_IMPORT, "pkg/a.md", "Imported text");
	check_file(m, 3, PA_SECTION_RULE, ".claude/rules/r.md", "A rule");
	check_file(m, 4, PA_SECTION_LOCAL, "pkg/CLAUDE.local.md", "Local");
	if (m->n == 5) {
		CHECK_EQ_INT(m->files[2].depth, 1);
		CHECK_EQ_STR(m->files[2].parent, "CLAUDE.md");
		/* "# Root" is line 5 of CLAUDE.md, after the frontmatter. */
		CHECK(m->files[1].nlines >= 1 && m->files[1].lines[0] == 5);
		CHECK_EQ_INT(m->files[4].lines[0], 3);
	}
	CHECK(model_warned(&m->warn, "missing.md"));
	/* Read once: the cache keeps the model, and a file changed on disk
	 * after it was read is not read again. */
	put("proj/pkg/a.md", "Changed\n");
	again = Pa_places_instructions(&pl, &opt, &own);
	CHECK(again == m);
	check_file(again, 2, PA_SECTION_IMPORT, "pkg/a.md", "Imported text");
	Pa_cc_instructions_release(&own);
	/* Without a cache, a discovery of its own that reads the disk. */
	opt.cache = NULL;
	m = Pa_places_instructions(&pl, &opt, &own);
	CHECK(m == &own);
	check_file(m, 2, PA_SECTION_IMPORT, "pkg/a.md", "Changed");
	Pa_cc_instructions_release(&own);
	opt.cache = cache;

	/* One file, as a preloaded skill: its @words are not imports. */
	skill = Pa_cc_find_skill(&pl, "s", &command, &disabled);
	CHECK(skill && strstr(skill, "proj/.claude/skills/s/SKILL.md"));
	CHECK_EQ_INT(command, 0);
	CHECK_EQ_INT(disabled, 0);
	Pa_cc_read_instruction_file(&one, &opt, &pl, skill, PA_SECTION_SKILL, "s");
	CHECK_EQ_INT(one.n, 1);
	check_file(&one, 0, PA_SECTION_SKILL, "SKILL.md", "Skill");
	Pa_cc_instructions_release(&one);
	free(skill);
	skill = Pa_cc_find_skill(&pl, "off", &command, &disabled);
	CHECK(skill != NULL);
	CHECK_EQ_INT(disabled, 1);
	free(skill);
	CHECK(Pa_cc_find_skill(&pl, "../s", &command, &disabled) == NULL);

	/* Auto memory: the directory is the user's, named for the
	 * repository; MEMORY.md cut, its CRs and frontmatter gone. */
	dir = Pa_automemory_dir(&opt, &pl, pl.cc, NULL);
	CHECK(dir && strstr(dir, "/home/.claude/projects/"));
	if (dir) {
		char rel[512];
		snprintf(rel, sizeof(rel), "%s/MEMORY.md", dir + strlen(root) + 1);
		put(rel, "---\na: b\n---\nRemember\r\nthis\r\n");
	}
	Pa_cc_read_auto_memory(&am, &opt, &pl);
	CHECK_EQ_STR(am.text, "Remember\nthis");
	CHECK_EQ_INT(am.cut, 0);
	CHECK(am.shown && !strncmp(am.shown, "~/", 2));
	Pa_cc_auto_memory_release(&am);
	/* Kept by the cache like the instruction files: read once. */
	{
		const Pa_cc_auto_memory *a1 = Pa_places_auto_memory(&pl, &opt, &am), *a2;
		if (dir) {
			char rel[512];
			snprintf(rel, sizeof(rel), "%s/MEMORY.md", dir + strlen(root) + 1);
			put(rel, "Other\n");
		}
		a2 = Pa_places_auto_memory(&pl, &opt, &am);
		CHECK(a1 == a2 && a1 == cache->auto_memory);
		CHECK_EQ_STR(a2->text, "Remember\nthis");
		Pa_cc_auto_memory_release(&am);
	}
	free(dir);

	/* An agent's memory: its directory from scope and name. */
	dir = Pa_memory_dir("project", "x", &pl, &err);
	CHECK(dir && strstr(dir, "/proj/pkg/.claude/agent-memory/x"));
	file = Pa_path_join(dir ? dir : "/", "MEMORY.md");
	mem = Pa_cc_read_memory(file, "MEMORY.md", &pl, 0, &cache->memory,
	                        &owned, NULL);
	CHECK(mem != NULL);
	if (mem) {
		CHECK_EQ_INT(owned, 0); /* the cache keeps it */
		CHECK_EQ_INT(mem->kept.len, 11);
		CHECK(!memcmp(mem->kept.ptr, "- one\n- two", 11));
	}
	free(file);
	free(dir);
	free(Pa_memory_dir("team", "x", &pl, &err));
	CHECK_EQ_INT(err.status, PA_ERR_INVALID);

	/* The agent directories: the working directory's, up to the
	 * repository's root, then the user's. */
	Pa_cc_find_agents(&ag, &pl);
	CHECK_EQ_INT(ag.n, 3);
	for (i = 0; i < ag.n; i++)
		nproj += !strcmp(ag.dirs[i].source, "project");
	CHECK_EQ_INT(nproj, 2);
	if (ag.n == 3) {
		CHECK(strstr(ag.dirs[0].dir, "/proj/pkg/.claude/agents") != NULL);
		CHECK_EQ_INT(ag.dirs[0].n, 1);
		CHECK(strstr(ag.dirs[1].dir, "/proj/.claude/agents") != NULL);
		CHECK_EQ_INT(ag.dirs[1].n, 1);
		CHECK_EQ_STR(ag.dirs[2].source, "user");
		CHECK(ag.dirs[2].n == 1 && strstr(ag.dirs[2].files[0], "u.md"));
	}
	Pa_cc_agents_release(&ag);

	Pa_places_release(&pl);
	pa_compose_cache_free(cache);
	clean();
}

/* SubagentStart hooks: their matchers against an agent type, and the
 * managed settings' allowManagedHooksOnly (fixtures hooks-subagent-*). */
static void test_subagent_hooks(void)
{
	static const struct { const char *matcher, *type; int want; } m[] = {
		{ NULL, "alpha", 1 }, { "", "alpha", 1 }, { "*", "x:y", 1 },
		{ "alpha", "alpha", 1 }, { "Alpha", "alpha", 0 },
		{ "alpha|beta", "beta", 1 }, { "alpha|beta", "alphabeta", 0 },
		{ "checker", "review-kit:checker", 0 },
		{ "review-kit:checker", "review-kit:checker", 1 },
		{ "^review-kit:", "review-kit:checker", 1 },
		{ "^al.*a$", "alpha", 1 }, { "^al.*a$", "alphas", 0 },
		{ "code-reviewer", "my-code-reviewer-2", 1 },  /* searched */
		{ "(", "(", 0 },                               /* does not compile */
		{ "(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", 0 }, /* bounded */
	};
	Pa_places pl;
	Pa_cc_hook h;
	size_t i, n;

	memset(&h, 0, sizeof(h));
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		h.matcher = (char *)m[i].matcher;
		if (Pa_cc_hook_matches(&h, m[i].type) != m[i].want)
			fprintf(stderr, "matcher %s, type %s\n", m[i].matcher ? m[i].matcher : "(none)",
			        m[i].type);
		CHECK_EQ_INT(Pa_cc_hook_matches(&h, m[i].type), m[i].want);
	}

	tree();
	put("proj/.claude/settings.json",
	    "{\"hooks\": {\"SubagentStart\": [{\"matcher\": \"a|b\", \"hooks\": [{\"type\": \"command\", "
	    "\"command\": \"project\"}]}], \"Stop\": [{\"hooks\": [{\"type\": \"command\", "
	    "\"command\": \"stop\"}]}]}}\n");
	put("managed/managed-settings.json",
	    "{\"hooks\": {\"SubagentStart\": [{\"hooks\": [{\"type\": \"command\", "
	    "\"command\": \"managed\"}]}]}}\n");
	discover(&pl, "proj", NULL);
	for (i = n = 0; i < pl.cc->n_hooks; i++)
		if (!strcmp(pl.cc->hooks[i].event, "SubagentStart"))
			n++;
	CHECK_EQ_INT((int)n, 2);
	CHECK_EQ_INT((int)pl.cc->n_hooks, 2);  /* Stop is not read */
	CHECK_EQ_STR(pl.cc->hooks[0].matcher, "a|b");
	CHECK_EQ_INT(pl.cc->hooks[1].managed, 1);
	Pa_places_release(&pl);
	put("managed/managed-settings.json",
	    "{\"allowManagedHooksOnly\": true, \"hooks\": {\"SubagentStart\": [{\"hooks\": "
	    "[{\"type\": \"command\", \"command\": \"managed\"}]}]}}\n");
	discover(&pl, "proj", NULL);
	CHECK_EQ_INT((int)pl.cc->n_hooks, 1);
	CHECK_EQ_STR(pl.cc->hooks[0].command, "managed");
	Pa_places_release(&pl);
	/* The key in a project file is not the policy's to give. */
	put("managed/managed-settings.json", "{}\n");
	put("proj/.claude/settings.local.json", "{\"allowManagedHooksOnly\": true}\n");
	discover(&pl, "proj", NULL);
	CHECK_EQ_INT((int)pl.cc->n_hooks, 1);
	CHECK_EQ_STR(pl.cc->hooks[0].command, "project");
	Pa_places_release(&pl);
	clean();
}

/* A walk up a path ends for any text: a working directory may come
 * without a `/` (Node on Windows gives `C:\\Users\\me`), whose dirname is
 * "." and that of "." again ".", so that a walk stopping only at "/"
 * went on for ever.  The alarm makes a walk that does not end fail the
 * test instead of hanging it. */
static void on_alarm(int sig)
{
	(void)sig;
	fprintf(stderr, "FAIL test_walk_ends: a walk up a path did not end\n");
	_exit(1);
}

static void test_walk_ends(void)
{
	static const char *const tops[] = { "/", "//", "", ".", "C:\\Users\\me",
	                                    "\\\\server\\share", "name" };
	static const char *const paths[] = { "/a/b", "a/b/", "./x", "C:\\Users\\me",
	                                     "C:/Users/me", "", ".", "/a//b//" };
	char *const markers[] = { "no-such-marker-promptasm" };
	size_t i;

	for (i = 0; i < sizeof(tops) / sizeof(*tops); i++)
		CHECK(Pa_path_is_top(tops[i]));
	CHECK(!Pa_path_is_top("/a"));
	CHECK(!Pa_path_is_top("a/"));
	CHECK(!Pa_path_is_top("C:/Users"));
	/* every path reaches a top by dirname in fewer steps than it has
	 * characters */
	for (i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		char *d = Pa_xstrdup(paths[i]);
		size_t steps = 0;

		while (!Pa_path_is_top(d) && steps <= strlen(paths[i])) {
			char *up = Pa_path_dirname(d);

			free(d);
			d = up;
			steps++;
		}
		CHECK(Pa_path_is_top(d));
		free(d);
	}
	signal(SIGALRM, on_alarm);
	alarm(10);
	for (i = 0; i < sizeof(paths) / sizeof(*paths); i++)
		CHECK(Pa_root_markers(NULL, paths[i], markers, 1) == NULL);
	alarm(0);
	signal(SIGALRM, SIG_DFL);
}

int main(void)
{
	RUN(test_walk_ends);
	RUN(test_subagent_hooks);
	RUN(test_merge);
	RUN(test_strict);
	RUN(test_many_plugins);
	RUN(test_files);
	return pa_test_summary();
}
