/*
 * compose.c - what an agent receives: its body, then its memory section,
 * then the project instructions (as the settings files let them load) and
 * the main session's auto memory, then the skills it preloads, each stage
 * in its own module, each a function of what the discover stage read.
 * The instructions are the same for every agent composed with the same
 * options: a cache keeps the model they are made from.
 */
#define _POSIX_C_SOURCE 200809L
#include "automemory.h"
#include "instructions.h"
#include "memory.h"
#include "discover/discover.h"
#include "prompt.h"
#include "trust.h"

#include <stdlib.h>
#include <string.h>

/* struct pa_compose_cache is discover.h's: discovery fills its model. */

pa_compose_cache *pa_compose_cache_new(void)
{
	pa_compose_cache *c = Pa_xcalloc(1, sizeof(pa_compose_cache));

	c->texts = pa_harness_cache_new();
	return c;
}

void pa_compose_cache_free(pa_compose_cache *c)
{
	if (!c)
		return;
	Pa_compose_cache_discovery_free(c);
	pa_harness_cache_free(c->texts);
	free(c);
}

pa_harness_cache *pa_compose_cache_harness(pa_compose_cache *c)
{
	return c ? c->texts : NULL;
}

size_t pa_compose_cache_input_count(const pa_compose_cache *c)
{
	return c && c->cc ? c->cc->n_inputs : 0;
}

const char *pa_compose_cache_input_at(const pa_compose_cache *c, size_t i)
{
	return i < pa_compose_cache_input_count(c) ? c->cc->inputs[i] : NULL;
}

/* The project instructions and the auto memory into p, as discovered (or
 * kept in the cache), with what discovering them warned. */
static pa_status add_instructions(pa_prompt *p, const pa_agent *agent,
                                  const pa_compose_options *opt,
                                  const Pa_places *pl, pa_warnings *warn,
                                  pa_error *err)
{
	int omit = Pa_agent_omits_claude_md(agent);

	pa_status st;

	/* What discovering the settings warned comes first. */
	Pa_warnings_add_copies(warn, &pl->cc->warn);
	/* CLAUDE_CODE_DISABLE_CLAUDE_MDS (the environment, or a settings
	 * file's env): no CLAUDE.md, rule, import, local or user file and no
	 * auto memory; an agent's memory stays (fixture
	 * settings-disable-claude-mds). */
	if (Pa_cc_env_true(pl->cc, "CLAUDE_CODE_DISABLE_CLAUDE_MDS"))
		return PA_OK;
	/* omitClaudeMd: the managed files alone, no auto memory (fixture
	 * agent-omit-claudemd). */
	st = Pa_claudemd_add(p, opt, pl, omit, warn, err);
	if (st == PA_OK && !omit)
		Pa_automemory_add(p, opt, pl, warn);
	return st;
}

/* What the SubagentStart hooks send the agent when Claude Code starts it
 * (with trust; fixtures hooks-subagent-*): one section per hook, after
 * the task, whatever CLAUDE_CODE_DISABLE_CLAUDE_MDS says. */
static void add_hooks(pa_prompt *p, const pa_agent *agent,
                      const pa_compose_options *opt, const Pa_places *pl,
                      pa_warnings *warn)
{
	Pa_trust_text *t = NULL;
	size_t n = 0, i;

	Pa_trust_subagent_hooks(pl, opt, pa_agent_name(agent), &t, &n, warn);
	for (i = 0; i < n; i++) {
		pa_buf heading = PA_BUF_INIT, text = PA_BUF_INIT;
		size_t len = strlen(t[i].text);

		/* A command's bytes that are not UTF-8 become U+FFFD, as a
		 * JSON string's would for Claude Code. */
		if (!pa_utf8_valid(t[i].text, len, NULL))
			pa_utf8_lossy(t[i].text, len, &text);
		else
			pa_buf_put(&text, t[i].text, len);
		pa_buf_printf(&heading, "## SubagentStart hook: %s", t[i].file);
		Pa_prompt_add(p, PA_SECTION_HOOK, t[i].file, NULL, text.ptr, text.len,
		              0, 0, NULL, heading.ptr);
		pa_buf_release(&heading);
		pa_buf_release(&text);
	}
	Pa_trust_texts_free(t, n);
}

pa_status pa_prompt_compose(const pa_agent *agent,
                            const pa_compose_options *opt, pa_prompt **out,
                            pa_warnings *warn, pa_error *err)
{
	static const pa_compose_options defaults;
	Pa_places pl;
	pa_prompt *p;
	pa_status st;
	Pa_origin origin;
	long *lines;
	size_t nlines;
	const char *body;
	size_t body_len;

	*out = NULL;
	if (!opt)
		opt = &defaults;
	st = Pa_places_init(&pl, opt, err);
	if (st != PA_OK)
		return st;
	p = Pa_xcalloc(1, sizeof(*p));
	body = pa_agent_body(agent, &body_len);
	lines = Pa_lines_from(pa_agent_body_line(agent), body, body_len, &nlines);
	origin.file = pa_agent_file(agent);
	origin.lines = lines;
	origin.nlines = nlines;
	Pa_prompt_add(p, PA_SECTION_BODY, pa_agent_path(agent), &origin, body,
	              body_len, 0, 0, NULL, "");
	free(lines);
	if (pa_agent_memory(agent)) {
		st = Pa_memory_add(p, agent, opt, &pl,
		                   opt->cache ? &opt->cache->memory : NULL, warn, err);
		if (st != PA_OK)
			goto fail;
	}
	st = add_instructions(p, agent, opt, &pl, warn, err);
	if (st != PA_OK)
		goto fail;
	st = Pa_skills_add(p, agent, opt, &pl, warn);
	if (st != PA_OK)
		goto fail;
	add_hooks(p, agent, opt, &pl, warn);
	Pa_places_release(&pl);
	*out = p;
	return PA_OK;
fail:
	Pa_places_release(&pl);
	pa_prompt_free(p);
	return st;
}

