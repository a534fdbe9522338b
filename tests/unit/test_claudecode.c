/* test_claudecode.c - Claude Code's model aliases and the estimate of
 * the whole context: what each part counts, checked against counts of
 * the same texts and paths, so that the figures may be measured again
 * without changing the test. */
#define _XOPEN_SOURCE 700
#include "unit.h"
#include "prompt.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static pa_tokenizer *tok;
/* A repository (a directory holding .git) to estimate in: Claude Code
 * sends a git status only there. */
static char repo[] = "/tmp/pa-claudecode-XXXXXX";
static char repo_git[sizeof(repo) + 5];

static size_t count(const char *s)
{
	size_t n = 0;
	pa_tokenizer_count(tok, s, strlen(s), &n, NULL);
	return n;
}

static pa_agent *agent(const char *fields)
{
	pa_buf b = PA_BUF_INIT;
	pa_agent *a = NULL;

	pa_buf_printf(&b, "---\nname: k\ndescription: Keeps notes.\n%s---\nYou keep notes.\n",
	              fields);
	CHECK(pa_agent_parse(b.ptr, b.len, "k.md", &a, NULL, NULL) == PA_OK);
	pa_buf_release(&b);
	return a;
}

static void add(pa_prompt *p, pa_section_kind kind, const char *file,
                const char *text, const long *lines, size_t nlines)
{
	Pa_origin o;

	o.file = file;
	o.lines = lines;
	o.nlines = nlines;
	Pa_prompt_add(p, kind, file, &o, text, strlen(text), 0, 0, NULL, "## x");
}

static size_t part(const pa_context_estimate *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n_parts; i++)
		if (!strcmp(e->parts[i].name, name))
			return e->parts[i].tokens;
	CHECK(!"no such part");
	return 0;
}

static pa_context_estimate *estimate(const pa_prompt *p, const pa_agent *a,
                                     const char *model)
{
	pa_compose_options opt;
	pa_context_estimate *e = NULL;

	memset(&opt, 0, sizeof(opt));
	opt.cwd = repo;
	CHECK(pa_claude_code_estimate(p, a, &opt, tok, model, &e, NULL) == PA_OK);
	return e;
}

static void test_model(void)
{
	CHECK_EQ_STR(pa_claude_code_model("sonnet", NULL), "claude-sonnet-5-5");
	CHECK_EQ_STR(pa_claude_code_model("opus", NULL), "claude-opus-5-5");
	CHECK_EQ_STR(pa_claude_code_model("haiku", "x"), "claude-haiku-5-5");
	CHECK_EQ_STR(pa_claude_code_model(NULL, NULL), "claude-opus-5-5");
	CHECK_EQ_STR(pa_claude_code_model("inherit", NULL), "claude-opus-5-5");
	CHECK_EQ_STR(pa_claude_code_model("", "sonnet"), "claude-sonnet-5-5");
	CHECK_EQ_STR(pa_claude_code_model("inherit", "gpt-4o"), "gpt-4o");
	CHECK_EQ_STR(pa_claude_code_model("sonnet-4-5", NULL), "sonnet-4-5");
	CHECK_EQ_STR(pa_claude_code_version(), "2.1.332");
	/* One version of Claude Code everywhere: the generated figures of the
	 * whole context and of the main session, and its row of the table of
	 * agent CLIs, agree. */
	CHECK_EQ_STR(pa_main_session_version(), pa_claude_code_version());
	CHECK_EQ_STR(pa_harness_version(PA_HARNESS_CLAUDE_CODE), pa_claude_code_version());
	/* One table: the windows `/context` showed, by id or alias; a
	 * Claude model not measured has the published 200,000. */
	CHECK_EQ_INT(pa_model_context_window("claude-opus-5-5"), 1000000);
	CHECK_EQ_INT(pa_model_context_window("sonnet"), 1000000);
	CHECK_EQ_INT(pa_model_context_window("claude-sonnet-4-5"), 200000);
	CHECK_EQ_INT(pa_model_context_window("claude-3-opus-20240229"), 200000);
	CHECK_EQ_INT(pa_model_context_window("gpt-4o"), 0);
	CHECK_EQ_INT(pa_model_context_window(NULL), 0);
}

/* The prompt part is our sections counted alone, the memory section only
 * for what came from MEMORY.md; every part sums to the whole. */
static void test_parts(void)
{
	static const long mem_lines[] = { 0, 0, 1, 2 };
	pa_agent *a = agent("memory: project\ntools: Read, mcp__x__y, Bash(git *)\n");
	pa_prompt *p = Pa_xcalloc(1, sizeof(*p));
	pa_context_estimate *e;
	size_t i, sum = 0;

	add(p, PA_SECTION_BODY, "/p/.claude/agents/k.md", "You keep notes.", NULL, 0);
	add(p, PA_SECTION_MEMORY, "/p/.claude/agent-memory/k/MEMORY.md",
	    "Our wording about /p/.claude/agent-memory/k.\n\n- fact one\n- fact two",
	    mem_lines, 4);
	add(p, PA_SECTION_PROJECT, "/p/CLAUDE.md", "Rule.", NULL, 0);
	add(p, PA_SECTION_SKILL, "/p/.claude/skills/s/SKILL.md", "Skill body.", NULL, 0);
	add(p, PA_SECTION_RULE, "/p/.claude/rules/empty.md", "", NULL, 0);
	e = estimate(p, a, NULL);
	CHECK_EQ_STR(e->model, "claude-opus-5-5");
	CHECK_EQ_STR(e->figures, "o200k_base");
	CHECK_EQ_INT(e->borrowed, 0);
	CHECK_EQ_INT(e->n_parts, 8);
	CHECK_EQ_INT(part(e, "prompt"), count("You keep notes.") +
	             count("- fact one\n- fact two") + count("Rule.") +
	             count("Skill body."));
	for (i = 0; i < e->n_parts; i++)
		sum += e->parts[i].tokens;
	CHECK_EQ_INT(e->tokens, sum);
	CHECK_EQ_INT(e->prompt_tokens + e->own_tokens, e->tokens);
	CHECK(part(e, "system") > 0);
	CHECK(part(e, "memory instructions") > count("/p/.claude/agent-memory/k/"));
	CHECK(part(e, "instruction headers") > count("/p/CLAUDE.md"));
	CHECK(part(e, "skill headers") > count("/p/.claude/skills/s"));
	CHECK(part(e, "context") > 0);
	CHECK(part(e, "environment") > count("/"));
	/* Bash(git *) is Bash; memory adds Write and Edit; mcp__x__y is not
	 * sent (no server runs it), the placeholder tool is, and a note
	 * says so. */
	CHECK_EQ_INT(e->n_tools, 5);
	CHECK_EQ_STR(e->tools[0].name, "Read");
	CHECK_EQ_STR(e->tools[1].name, "Bash");
	CHECK_EQ_STR(e->tools[2].name, "Write");
	CHECK_EQ_STR(e->tools[4].name, "Edit");
	CHECK_EQ_STR(e->tools[3].name, "DeferredToolPlaceholder");
	CHECK_EQ_INT(e->tools[3].known, 1);
	CHECK_EQ_INT(e->n_notes, 1);
	CHECK(e->n_notes == 1 && strstr(e->notes[0], "MCP"));
	sum = 0;
	for (i = 0; i < e->n_tools; i++)
		sum += e->tools[i].tokens;
	CHECK_EQ_INT(part(e, "tools"), sum);
	pa_context_estimate_free(e);
	pa_prompt_free(p);
	pa_agent_free(a);
}

/* Paths are counted for the real files: a longer path costs exactly
 * its own extra tokens, and a skill's name, sent twice, its own twice
 * (fixture skills-preload-cap); a managed file's header is a project
 * file's. */
static void test_paths(void)
{
	pa_agent *a = agent("tools: Read\n");
	pa_prompt *p1 = Pa_xcalloc(1, sizeof(*p1)), *p2 = Pa_xcalloc(1, sizeof(*p2));
	pa_prompt *p3 = Pa_xcalloc(1, sizeof(*p3));
	const char *s1 = "/p/.claude/skills/s/SKILL.md";
	const char *s2 = "/p/.claude/skills/a-much-longer-skill-name/SKILL.md";
	pa_context_estimate *e1, *e2, *e3;

	add(p1, PA_SECTION_SKILL, s1, "Skill.", NULL, 0);
	add(p1, PA_SECTION_PROJECT, "/etc/claude-code/CLAUDE.md", "Policy.", NULL, 0);
	add(p2, PA_SECTION_SKILL, s2, "Skill.", NULL, 0);
	add(p2, PA_SECTION_MANAGED, "/etc/claude-code/CLAUDE.md", "Policy.", NULL, 0);
	e1 = estimate(p1, a, NULL);
	e2 = estimate(p2, a, NULL);
	CHECK_EQ_INT(part(e2, "skill headers") - part(e1, "skill headers"),
	             count("/p/.claude/skills/a-much-longer-skill-name") -
	             count("/p/.claude/skills/s") +
	             2 * (count("a-much-longer-skill-name") - count("s")));
	CHECK_EQ_INT(part(e1, "instruction headers"), part(e2, "instruction headers"));
	/* No instruction file: no wrapper, no headers. */
	add(p3, PA_SECTION_BODY, "/p/k.md", "Body.", NULL, 0);
	e3 = estimate(p3, a, NULL);
	CHECK_EQ_INT(part(e3, "instruction headers"), 0);
	CHECK_EQ_INT(part(e3, "skill headers"), 0);
	CHECK_EQ_INT(part(e3, "memory instructions"), 0);
	CHECK_EQ_INT(e3->n_notes, 0);
	pa_context_estimate_free(e1);
	pa_context_estimate_free(e2);
	pa_context_estimate_free(e3);
	pa_prompt_free(p1);
	pa_prompt_free(p2);
	pa_prompt_free(p3);
	pa_agent_free(a);
}

/* All tools (no `tools:`) bring a larger environment and context than a
 * list; a measured model has its own figures, another gets a note. */
static void test_tools_and_models(void)
{
	pa_agent *all = agent(""), *list = agent("tools: Read\n");
	pa_prompt *p = Pa_xcalloc(1, sizeof(*p));
	pa_context_estimate *ea, *el, *old, *unknown;

	add(p, PA_SECTION_BODY, "/p/k.md", "Body.", NULL, 0);
	ea = estimate(p, all, NULL);
	el = estimate(p, list, NULL);
	CHECK(ea->n_tools > 1);
	CHECK(part(ea, "environment") > part(el, "environment"));
	CHECK(part(ea, "context") > part(el, "context"));
	{
		/* Outside a repository: no git status. */
		pa_compose_options opt;
		pa_context_estimate *e = NULL;

		memset(&opt, 0, sizeof(opt));
		opt.cwd = "/";
		CHECK(pa_claude_code_estimate(p, list, &opt, tok, NULL, &e, NULL) == PA_OK);
		CHECK_EQ_INT(e ? part(e, "context") : 1, 0);
		pa_context_estimate_free(e);
	}
	CHECK(part(ea, "tools") > part(el, "tools"));
	old = estimate(p, list, "claude-sonnet-4-5");
	CHECK(part(old, "tools") != part(el, "tools"));
	CHECK_EQ_INT(old->n_notes, 0);
	unknown = estimate(p, list, "some-model");
	CHECK_EQ_INT(unknown->n_notes, 1);
	CHECK_EQ_INT(unknown->tokens, el->tokens);
	pa_context_estimate_free(ea);
	pa_context_estimate_free(el);
	pa_context_estimate_free(old);
	pa_context_estimate_free(unknown);
	pa_prompt_free(p);
	pa_agent_free(all);
	pa_agent_free(list);
}

static int sent(const pa_context_estimate *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n_tools; i++)
		if (!strcmp(e->tools[i].name, name))
			return 1;
	return 0;
}

/* The tool set follows tools, disallowedTools and ToolSearch (fixtures
 * tools-*): the default set less Agent and Bash keeps ToolSearch and
 * defers; without ToolSearch every tool is sent whole; ToolSearch alone
 * in a list is not sent; Bash takes the place of Glob and Grep. */
static void test_tool_set(void)
{
	pa_agent *dis = agent("disallowedTools: Agent, Bash\n");
	pa_agent *nots = agent("disallowedTools: [ToolSearch]\n");
	pa_agent *alone = agent("tools: Read, ToolSearch\n");
	pa_agent *defer = agent("tools: Read, WebFetch, ToolSearch\n");
	pa_agent *search = agent("tools: Read, Bash(git *), Glob, Grep\n");
	pa_agent *none = agent("tools: []\n");
	pa_prompt *p = Pa_xcalloc(1, sizeof(*p));
	pa_context_estimate *e;

	add(p, PA_SECTION_BODY, "/p/k.md", "Body.", NULL, 0);
	e = estimate(p, dis, NULL);
	CHECK(!sent(e, "Agent") && !sent(e, "Bash") && sent(e, "ToolSearch"));
	CHECK(sent(e, "Read") && !sent(e, "WebFetch"));
	pa_context_estimate_free(e);
	e = estimate(p, nots, NULL);
	CHECK(!sent(e, "ToolSearch") && sent(e, "WebFetch") && sent(e, "Agent"));
	pa_context_estimate_free(e);
	e = estimate(p, alone, NULL);
	CHECK_EQ_INT(e->n_tools, 1);
	pa_context_estimate_free(e);
	e = estimate(p, defer, NULL);
	CHECK(sent(e, "ToolSearch") && !sent(e, "WebFetch") &&
	      sent(e, "DeferredToolPlaceholder"));
	pa_context_estimate_free(e);
	e = estimate(p, search, NULL);
	CHECK(sent(e, "Bash") && !sent(e, "Glob") && !sent(e, "Grep"));
	pa_context_estimate_free(e);
	e = estimate(p, none, NULL);
	CHECK_EQ_INT(e->n_tools, 0);
	CHECK_EQ_INT(part(e, "tools"), 0);
	pa_context_estimate_free(e);
	pa_prompt_free(p);
	pa_agent_free(dis);
	pa_agent_free(nots);
	pa_agent_free(alone);
	pa_agent_free(defer);
	pa_agent_free(search);
	pa_agent_free(none);
}

int main(void)
{
	if (pa_tokenizer_load("o200k_base", NULL, &tok, NULL) != PA_OK) {
		printf("FAIL cannot load o200k_base\n0 passed, 1 failed\n");
		return 1;
	}
	if (!mkdtemp(repo)) {
		printf("FAIL cannot make a directory in /tmp\n0 passed, 1 failed\n");
		return 1;
	}
	snprintf(repo_git, sizeof(repo_git), "%s/.git", repo);
	mkdir(repo_git, 0700);
	RUN(test_model);
	RUN(test_parts);
	RUN(test_paths);
	RUN(test_tools_and_models);
	RUN(test_tool_set);
	pa_tokenizer_free(tok);
	rmdir(repo_git);
	rmdir(repo);
	return pa_test_summary();
}
