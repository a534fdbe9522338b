/*
 * report.c - where the tokens of a prompt go: its heaviest Markdown
 * blocks, with the file and line each comes from (for explain).
 */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"
#include "markdown.h"

#include <stdlib.h>
#include <string.h>

static const char *kind_word(pa_md_kind k)
{
	switch (k) {
	case PA_MD_HEADING: return "heading";
	case PA_MD_LIST_ITEM: return "list item";
	case PA_MD_FENCE: return "code";
	case PA_MD_QUOTE: return "quote";
	case PA_MD_BREAK: return "break";
	case PA_MD_PARAGRAPH: break;
	}
	return "paragraph";
}

/* A heading's level: ATX by its #s, setext 1 (===) or 2 (---). */
static int heading_level(const char *text, const pa_md_block *b)
{
	size_t i = b->start, n = 0;

	while (i < b->text_end && (text[i] == ' ' || text[i] == '\t' ||
	                           text[i] == '\n' || text[i] == '\r'))
		i++;
	while (i < b->text_end && text[i] == '#') {
		i++;
		n++;
	}
	if (n)
		return (int)n;
	return b->text_end > b->start && text[b->text_end - 1] == '=' ? 1 : 2;
}

/* The file a section's path names: relative to the project root, ~/...,
 * or absolute.  Caller frees. */
static char *section_file(const char *path, const char *root, const char *home)
{
	pa_buf b = PA_BUF_INIT;

	if (path[0] == '/')
		pa_buf_puts(&b, path);
	else if (path[0] == '~' && path[1] == '/' && home)
		pa_buf_printf(&b, "%s/%s", home, path + 2);
	else if (root)
		pa_buf_printf(&b, "%s/%s", root, path);
	else
		pa_buf_puts(&b, path);
	return pa_buf_detach(&b, NULL);
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
static void first_line(const char *text, const pa_md_block *b,
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

static const char *find(const char *hay, size_t hn, const char *needle, size_t nn)
{
	size_t i;

	if (nn == 0 || nn > hn)
		return NULL;
	for (i = 0; i + nn <= hn; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, nn))
			return hay + i;
	return NULL;
}

pa_status pa_prompt_heavy_blocks(const pa_prompt *prompt,
                                 const pa_tokenizer *tok,
                                 const pa_compose_options *opt, size_t max,
                                 pa_heavy_block **out, size_t *nout,
                                 pa_error *err)
{
	heavy *v = NULL;
	size_t nv = 0, cap = 0, i, j, seq = 0;
	char *root = NULL;
	const char *home = opt ? opt->home : NULL;
	pa_status st = PA_OK;

	*out = NULL;
	*nout = 0;
	root = pa_project_root(opt ? opt->cwd : NULL, home, NULL);
	for (i = 0; i < pa_prompt_section_count(prompt) && st == PA_OK; i++) {
		size_t len, nb, filepos = 0, linepos = 0;
		long line = 1;
		const char *text = pa_prompt_section_text(prompt, i, &len);
		const char *path = pa_prompt_section_path(prompt, i);
		char *file = section_file(path, root, home);
		pa_buf fb = PA_BUF_INIT;
		pa_md_block *b;
		size_t *tokens;
		int have_file = pa_file_read(file, &fb, NULL) == PA_OK;

		free(file);
		pa_md_blocks(text, len, &b, &nb);
		tokens = pa_xcalloc(nb + 1, sizeof(*tokens));
		for (j = 0; j < nb && st == PA_OK; j++) {
			const char *ls;
			size_t ln;

			first_line(text, &b[j], &ls, &ln);
			st = pa_tokenizer_count(tok, ls, (size_t)(text + b[j].text_end - ls),
			                        &tokens[j], err);
		}
		for (j = 0; j < nb && st == PA_OK; j++) {
			heavy *h;
			const char *ls, *at;
			size_t ln, k;
			pa_buf label = PA_BUF_INIT;

			if (nv == cap) {
				cap = cap ? cap * 2 : 64;
				v = pa_xrealloc(v, cap * sizeof(*v));
			}
			h = &v[nv++];
			memset(h, 0, sizeof(*h));
			h->seq = seq++;
			h->b.path = pa_xstrdup(path);
			h->b.kind = kind_word(b[j].kind);
			h->b.tokens = tokens[j];
			if (b[j].kind == PA_MD_HEADING) {
				/* A heading weighs with its text, up to the next
				 * heading of the same or a higher level. */
				int level = heading_level(text, &b[j]);
				for (k = j + 1; k < nb; k++) {
					if (b[k].kind == PA_MD_HEADING &&
					    heading_level(text, &b[k]) <= level)
						break;
					h->b.tokens += tokens[k];
				}
			}
			pa_md_label(text, &b[j], 60, &label);
			h->b.label = pa_buf_detach(&label, NULL);
			/* The line in the file: where the block's first line is
			 * found, searching on from the previous block. */
			first_line(text, &b[j], &ls, &ln);
			at = have_file ? find(fb.ptr + filepos, fb.len - filepos, ls, ln) : NULL;
			if (at) {
				const char *p;
				for (p = fb.ptr + linepos; p < at; p++)
					line += *p == '\n';
				linepos = (size_t)(at - fb.ptr);
				h->b.line = line;
				filepos = (size_t)(at - fb.ptr) + ln;
			} else {
				h->b.line = 0;
			}
		}
		free(tokens);
		free(b);
		pa_buf_release(&fb);
	}
	pa_free(root);
	if (st != PA_OK) {
		for (i = 0; i < nv; i++) {
			free(v[i].b.path);
			free(v[i].b.label);
		}
		free(v);
		return st;
	}
	qsort(v, nv, sizeof(*v), cmp_heavy);
	for (i = max; i < nv; i++) {
		free(v[i].b.path);
		free(v[i].b.label);
	}
	if (nv > max)
		nv = max;
	*out = pa_xcalloc(nv ? nv : 1, sizeof(**out));
	for (i = 0; i < nv; i++)
		(*out)[i] = v[i].b;
	*nout = nv;
	free(v);
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
