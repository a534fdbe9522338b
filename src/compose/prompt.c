/*
 * prompt.c - the prompt: an ordered array of sections (the agent's body,
 * its memory, the project instructions), each with its origin, the one
 * function that renders them, and the warnings a composition gives.
 */
#define _POSIX_C_SOURCE 200809L
#include "prompt.h"

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
	case PA_SECTION_SKILL: return "skill";
	case PA_SECTION_AUTO_MEMORY: return "auto-memory";
	case PA_SECTION_HOOK: return "hook";
	}
	return "unknown";
}

int pa_section_kind_in_system(pa_section_kind kind)
{
	return kind == PA_SECTION_BODY || kind == PA_SECTION_MEMORY;
}

void Pa_prompt_add(pa_prompt *p, pa_section_kind kind, const char *path,
                   const Pa_origin *origin, const char *text, size_t len,
                   int cut, int depth, const char *parent, const char *heading)
{
	Pa_section *s;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->sections = Pa_xrealloc(p->sections, p->cap * sizeof(*p->sections));
	}
	s = &p->sections[p->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->path = Pa_xstrdup(path);
	if (origin && origin->file)
		s->file = Pa_xstrdup(origin->file);
	if (origin && origin->lines && origin->nlines) {
		s->lines = Pa_xmalloc(origin->nlines * sizeof(*s->lines));
		memcpy(s->lines, origin->lines, origin->nlines * sizeof(*s->lines));
		s->nlines = origin->nlines;
	}
	s->text = Pa_xstrndup(text, len);
	s->len = len;
	if (heading && !pa_utf8_valid(heading, strlen(heading), NULL)) {
		/* The loaders refuse files whose path is not valid UTF-8;
		 * should one reach a heading, its bad bytes become U+FFFD, as
		 * Claude Code's JavaScript reads them, not an error that names
		 * no file. */
		pa_buf fixed = PA_BUF_INIT;

		pa_utf8_lossy(heading, strlen(heading), &fixed);
		s->heading = pa_buf_detach(&fixed, NULL);
	} else {
		s->heading = Pa_xstrdup(heading ? heading : "");
	}
	s->cut = cut;
	s->depth = depth;
	s->parent = parent ? Pa_xstrdup(parent) : NULL;
}

void pa_prompt_free(pa_prompt *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->sections[i].path);
		free(p->sections[i].file);
		free(p->sections[i].lines);
		free(p->sections[i].text);
		free(p->sections[i].heading);
		free(p->sections[i].parent);
		free(p->sections[i].cut_text);
	}
	free(p->sections);
	free(p);
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

const char *pa_prompt_section_file(const pa_prompt *p, size_t i)
{
	return p->sections[i].file;
}

long pa_prompt_section_source_line(const pa_prompt *p, size_t i, long line)
{
	const Pa_section *s = &p->sections[i];

	if (line < 1 || (size_t)line > s->nlines || !s->lines)
		return 0;
	return s->lines[line - 1];
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

void Pa_prompt_add_copies(pa_prompt *p, const pa_prompt *from)
{
	size_t i;

	for (i = 0; i < from->n; i++) {
		const Pa_section *s = &from->sections[i];
		Pa_origin origin;

		origin.file = s->file;
		origin.lines = s->lines;
		origin.nlines = s->nlines;
		Pa_prompt_add(p, s->kind, s->path, &origin, s->text, s->len, s->cut,
		              s->depth, s->parent, s->heading);
		if (s->cut_text)
			Pa_prompt_set_cut_text(p, p->n - 1, s->cut_text, s->cut_len,
			                       s->cut_at);
	}
}

void Pa_prompt_set_cut_text(pa_prompt *p, size_t i, const char *text,
                            size_t len, size_t at)
{
	Pa_section *s = &p->sections[i];

	free(s->cut_text);
	s->cut_text = Pa_xstrndup(text, len);
	s->cut_len = len;
	s->cut_at = at;
}

const char *pa_prompt_section_cut_text(const pa_prompt *p, size_t i,
                                       size_t *len, size_t *at)
{
	const Pa_section *s = &p->sections[i];

	if (len)
		*len = s->cut_text ? s->cut_len : 0;
	if (at)
		*at = s->cut_text ? s->cut_at : 0;
	return s->cut_text;
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
	Pa_section *s = &p->sections[i];
	char *copy = Pa_xstrndup(text, len);

	free(s->text);
	s->text = copy;
	s->len = len;
	/* The new text's lines are no longer the file's. */
	free(s->lines);
	s->lines = NULL;
	s->nlines = 0;
}

/* Where Claude Code puts a section: 1 the system prompt, 0 the first user
 * message before the task, 2 after the task (a SubagentStart hook's
 * context, in the message of the environment: fixture
 * hooks-subagent-levels). */
static int place_of(pa_section_kind kind)
{
	return pa_section_kind_in_system(kind) ? 1 : kind == PA_SECTION_HOOK ? 2 : 0;
}

/* The one place that decides how sections are joined.  place: -1 every
 * section, else those of place_of(). */
static void render(const pa_prompt *p, int place, pa_buf *out)
{
	size_t i;
	int first = 1;

	for (i = 0; i < p->n; i++) {
		const Pa_section *s = &p->sections[i];

		if (s->len == 0)
			continue;
		if (place >= 0 && place_of(s->kind) != place)
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

void pa_prompt_render(const pa_prompt *p, pa_buf *out)
{
	render(p, -1, out);
}

void pa_prompt_render_placed(const pa_prompt *p, int system, pa_buf *out)
{
	render(p, system == 1 || system == 2 ? system : 0, out);
}
