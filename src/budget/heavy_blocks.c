/*
 * heavy_blocks.c - where the tokens of a prompt go: its heaviest Markdown
 * blocks, with the file and line each comes from (for explain), as the
 * sections' origins give them.
 */
#define _POSIX_C_SOURCE 200809L
#include "base/base.h"
#include "base/markdown.h"

#include <stdlib.h>
#include <string.h>

static const char *kind_word(Pa_md_kind k)
{
	switch (k) {
	case PA_MD_HEADING: return "heading";
	case PA_MD_LIST_ITEM: return "list item";
	case PA_MD_FENCE: return "code";
	case PA_MD_CODE: return "code";
	case PA_MD_QUOTE: return "quote";
	case PA_MD_BREAK: return "break";
	case PA_MD_PARAGRAPH: break;
	}
	return "paragraph";
}

typedef struct heavy {
	pa_heavy_block b;
	size_t seq;
} heavy;

static int cmp_heavy(const void *pa, const void *pb)
{
	const heavy *a = pa, *b = pb;

	if (a->b.tokens != b->b.tokens)
		return a->b.tokens > b->b.tokens ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The first line of block b of text, without leading blanks. */
static void first_line(const char *text, const Pa_md_block *b,
                       const char **s, size_t *n)
{
	size_t i = b->start, e;

	while (i < b->text_end && (text[i] == '\n' || text[i] == '\r' ||
	                           text[i] == ' ' || text[i] == '\t'))
		i++;
	for (e = i; e < b->text_end && text[e] != '\n'; e++)
		;
	*s = text + i;
	*n = e - i;
}

typedef struct heavy_list {
	heavy *v;
	size_t n, cap;
} heavy_list;

static void heavy_list_free(heavy_list *l, size_t from)
{
	size_t i;

	for (i = from; i < l->n; i++) {
		free(l->v[i].b.path);
		free(l->v[i].b.label);
	}
}

/* Adds the blocks of section i, each counted alone; a heading weighs with
 * its text, up to the next heading of any level, and that text is not
 * listed again: every token is in one entry, so none is counted twice
 * (a heading that held its subsections listed them twice, and the blocks
 * under it a third time). */
static pa_status section_blocks(const pa_prompt *prompt, size_t i,
                                const pa_tokenizer *tok, heavy_list *l,
                                pa_error *err)
{
	size_t len, nb, j, k;
	const char *text = pa_prompt_section_text(prompt, i, &len);
	Pa_md_block *b;
	size_t *tokens;
	pa_status st = PA_OK;

	Pa_md_blocks(text, len, &b, &nb);
	tokens = Pa_xcalloc(nb + 1, sizeof(*tokens));
	for (j = 0; j < nb && st == PA_OK; j++) {
		const char *ls;
		size_t ln;

		first_line(text, &b[j], &ls, &ln);
		st = pa_tokenizer_count(tok, ls, (size_t)(text + b[j].text_end - ls),
		                        &tokens[j], err);
	}
	for (j = 0; j < nb && st == PA_OK; j++) {
		heavy *h;
		pa_buf label = PA_BUF_INIT;
		const char *ls;
		size_t ln;

		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 64;
			l->v = Pa_xrealloc(l->v, l->cap * sizeof(*l->v));
		}
		h = &l->v[l->n];
		memset(h, 0, sizeof(*h));
		h->seq = l->n++;
		h->b.path = Pa_xstrdup(pa_prompt_section_path(prompt, i));
		h->b.kind = kind_word(b[j].kind);
		h->b.tokens = tokens[j];
		h->b.section = i;
		first_line(text, &b[j], &ls, &ln);
		h->b.start = (size_t)(ls - text);
		h->b.end = b[j].text_end;
		k = j + 1;
		if (b[j].kind == PA_MD_HEADING) {
			for (; k < nb && b[k].kind != PA_MD_HEADING; k++) {
				h->b.tokens += tokens[k];
				h->b.end = b[k].text_end;
			}
		}
		Pa_md_label(text, &b[j], 60, &label);
		h->b.label = pa_buf_detach(&label, NULL);
		h->b.line = pa_prompt_section_source_line(prompt, i, b[j].line);
		j = k - 1;
	}
	free(tokens);
	free(b);
	return st;
}

pa_status pa_prompt_heavy_blocks(const pa_prompt *prompt,
                                 const pa_tokenizer *tok, size_t max,
                                 pa_heavy_block **out, size_t *nout,
                                 pa_error *err)
{
	heavy_list l = { NULL, 0, 0 };
	size_t i;
	pa_status st = PA_OK;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < pa_prompt_section_count(prompt) && st == PA_OK; i++)
		st = section_blocks(prompt, i, tok, &l, err);
	if (st != PA_OK) {
		heavy_list_free(&l, 0);
		free(l.v);
		return st;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_heavy);
	heavy_list_free(&l, l.n > max ? max : l.n);
	if (l.n > max)
		l.n = max;
	*out = Pa_xcalloc(l.n ? l.n : 1, sizeof(**out));
	for (i = 0; i < l.n; i++)
		(*out)[i] = l.v[i].b;
	*nout = l.n;
	free(l.v);
	return PA_OK;
}

void pa_heavy_blocks_free(pa_heavy_block *blocks, size_t n)
{
	size_t i;

	if (!blocks)
		return;
	for (i = 0; i < n; i++) {
		free(blocks[i].path);
		free(blocks[i].label);
	}
	free(blocks);
}
