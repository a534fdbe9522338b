/*
 * compose.c - the prompt: an ordered array of sections (the agent's body,
 * its memory, the project instructions) and the one function that renders
 * them.
 */
#define _POSIX_C_SOURCE 200809L
#include "compose.h"

#include <stdlib.h>
#include <string.h>

const char *pa_section_kind_name(pa_section_kind kind)
{
	switch (kind) {
	case PA_SECTION_BODY: return "body";
	case PA_SECTION_MEMORY: return "memory";
	case PA_SECTION_MANAGED: return "managed";
	case PA_SECTION_USER: return "user";
	case PA_SECTION_PROJECT: return "project";
	case PA_SECTION_LOCAL: return "local";
	case PA_SECTION_RULE: return "rule";
	case PA_SECTION_IMPORT: return "import";
	}
	return "unknown";
}

void pa_prompt_add(pa_prompt *p, pa_section_kind kind, const char *path,
                   const char *text, size_t len, int cut, int depth,
                   const char *parent, const char *heading)
{
	pa_section *s;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->sections = pa_xrealloc(p->sections, p->cap * sizeof(*p->sections));
	}
	s = &p->sections[p->n++];
	s->kind = kind;
	s->path = pa_xstrdup(path);
	s->text = pa_xstrndup(text, len);
	s->len = len;
	s->heading = pa_xstrdup(heading ? heading : "");
	s->cut = cut;
	s->depth = depth;
	s->parent = parent ? pa_xstrdup(parent) : NULL;
}

void pa_prompt_free(pa_prompt *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->sections[i].path);
		free(p->sections[i].text);
		free(p->sections[i].heading);
		free(p->sections[i].parent);
	}
	free(p->sections);
	free(p);
}

pa_status pa_prompt_compose(const pa_agent *agent,
                            const pa_compose_options *opt, pa_prompt **out,
                            pa_warnings *warn, pa_error *err)
{
	static const pa_compose_options defaults;
	pa_places pl;
	pa_prompt *p;
	pa_status st;
	const char *body;
	size_t body_len;

	*out = NULL;
	if (!opt)
		opt = &defaults;
	st = pa_places_init(&pl, opt, err);
	if (st != PA_OK)
		return st;
	p = pa_xcalloc(1, sizeof(*p));
	body = pa_agent_body(agent, &body_len);
	pa_prompt_add(p, PA_SECTION_BODY, pa_agent_path(agent), body, body_len, 0,
	              0, NULL, "");
	if (pa_agent_memory(agent)) {
		st = pa_memory_add(p, agent, opt, &pl, warn, err);
		if (st != PA_OK)
			goto fail;
	}
	st = pa_claudemd_add(p, opt, &pl, warn, err);
	if (st != PA_OK)
		goto fail;
	pa_places_release(&pl);
	*out = p;
	return PA_OK;
fail:
	pa_places_release(&pl);
	pa_prompt_free(p);
	return st;
}

size_t pa_prompt_section_count(const pa_prompt *p) { return p->n; }

pa_section_kind pa_prompt_section_kind(const pa_prompt *p, size_t i)
{
	return p->sections[i].kind;
}

const char *pa_prompt_section_path(const pa_prompt *p, size_t i)
{
	return p->sections[i].path;
}

const char *pa_prompt_section_text(const pa_prompt *p, size_t i, size_t *len)
{
	if (len)
		*len = p->sections[i].len;
	return p->sections[i].text;
}

const char *pa_prompt_section_heading(const pa_prompt *p, size_t i)
{
	return p->sections[i].heading;
}

int pa_prompt_section_cut(const pa_prompt *p, size_t i)
{
	return p->sections[i].cut;
}

int pa_prompt_section_depth(const pa_prompt *p, size_t i)
{
	return p->sections[i].depth;
}

const char *pa_prompt_section_parent(const pa_prompt *p, size_t i)
{
	return p->sections[i].parent;
}

void pa_prompt_section_set_text(pa_prompt *p, size_t i, const char *text,
                                size_t len)
{
	char *copy = pa_xstrndup(text, len);

	free(p->sections[i].text);
	p->sections[i].text = copy;
	p->sections[i].len = len;
}

/* The one place that decides how sections are joined. */
void pa_prompt_render(const pa_prompt *p, pa_buf *out)
{
	size_t i;
	int first = 1;

	for (i = 0; i < p->n; i++) {
		const pa_section *s = &p->sections[i];

		if (s->len == 0)
			continue;
		if (!first)
			pa_buf_puts(out, "\n\n");
		first = 0;
		if (s->heading[0]) {
			pa_buf_puts(out, s->heading);
			pa_buf_puts(out, "\n\n");
		}
		pa_buf_put(out, s->text, s->len);
	}
	if (!first)
		pa_buf_putc(out, '\n');
}
