/*
 * harness_import.c - the @imports of Gemini CLI and of its fork Qwen Code,
 * one engine for both (their memoryImportProcessor is one code): an `@`
 * at the start of a file or after white space, its path up to white
 * space starting with `.`, `/` or an ASCII letter, outside code, names a
 * file that is read in its place (the tree format) or after the file
 * that imports it (the flat format).  What differs between the two CLIs
 * is a parameter (hx_import_opts), measured for each:
 *
 *   - chain_self: the importing file counts in the chain of imports that
 *     stops a cycle (Qwen Code), or not (Gemini CLI: a file importing
 *     itself is sent once more, fixtures/gemini-import-cycle.txt);
 *   - fail_replaced: an import of a missing file is replaced by the CLI's
 *     comment (Gemini CLI), or stays as written (Qwen Code);
 *   - flat_once: in the flat format a file met again is never taken
 *     again (Gemini CLI), or is taken again where it is met less deep
 *     (Qwen Code).
 *
 * Every import replaced is one span of the importing file (hx_file.spans),
 * naming the file sent in its place: Pa_hx_sent_text() makes the text as
 * sent from them, and the request's pieces (compose/harness.c) put each
 * imported file where the model reads it.
 */
#define _XOPEN_SOURCE 700
#include "services.h"
#include "util/util.h"
#include "base/markdown.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

typedef void (*import_fn)(void *ctx, const char *path, size_t len, size_t at);

/* Each import of text as the CLIs find them (their findImports and code
 * regions): not in fenced or indented code (the Markdown scanner's
 * lines) nor in a code span. */
static void find_imports(const char *text, size_t len, import_fn fn, void *ctx)
{
	Pa_md_scanner sc;
	Pa_md_line ln;
	Pa_md_runs runs = { NULL, NULL, NULL, 0, 0 };

	Pa_md_scan_init(&sc, text, len);
	while (Pa_md_scan_next(&sc, &ln)) {
		size_t i = ln.start, e = ln.end, r = 0;

		if (Pa_md_line_is_code(&ln))
			continue;
		if (memchr(text + ln.start, '`', e - ln.start))
			Pa_md_runs_of(text + ln.start, e - ln.start, &runs);
		while (i < e) {
			if (text[i] == '`') {
				/* a code span: the run closed by the next run as
				 * long; every run met here is a whole run */
				size_t at = i - ln.start;

				while (runs.at[r] < at)
					r++;
				if (runs.next[r] == SIZE_MAX) {
					i += runs.len[r];
				} else {
					r = runs.next[r];
					i = ln.start + runs.at[r] + runs.len[r];
				}
				continue;
			}
			if (text[i] == '@' && (i == 0 || is_space(text[i - 1]))) {
				size_t j = i + 1;
				char c;

				while (j < e && !is_space(text[j]))
					j++;
				c = j > i + 1 ? text[i + 1] : 0;
				if (c == '.' || c == '/' || (c >= 'a' && c <= 'z') ||
				    (c >= 'A' && c <= 'Z'))
					fn(ctx, text + i + 1, j - i - 1, i);
				i = j;
				continue;
			}
			i++;
		}
	}
	Pa_md_runs_release(&runs);
}

typedef struct flat_seen {
	char **paths;
	int *depth;
	size_t *at;
	size_t n;
} flat_seen;

typedef struct importer {
	hx_found *f;
	const hx_import_opts *o;
	size_t xi;           /* the importing file */
	char **chain;        /* the files of the chain (cycles stop) */
	size_t nchain;
	char *dir;           /* the importing file's directory */
	char *shown;
	int depth;
	unsigned char in;
	flat_seen *seen;     /* flat: every file met, at its depth */
	pa_warnings *warn;
	/* the imports found, in order */
	char **paths;
	size_t *lens;
	size_t *ats;
	size_t n;
} importer;

static void collect(void *ctx, const char *path, size_t len, size_t at)
{
	importer *I = ctx;
	char *p;

	if (pa_utf8_valid(path, len, NULL)) {
		p = Pa_xmalloc(len + 1);
		memcpy(p, path, len);
		p[len] = '\0';
	} else {
		/* The CLIs read the file as UTF-8 text, each invalid sequence
		 * a U+FFFD, and open the path so decoded: `@a<FF>.md` names
		 * the file `a\u{FFFD}.md`, never the file of those bytes. */
		pa_buf fixed = PA_BUF_INIT;

		pa_utf8_lossy(path, len, &fixed);
		p = pa_buf_detach(&fixed, NULL);
	}
	I->paths = Pa_xgrow(I->paths, I->n, sizeof(char *));
	I->lens = Pa_xrealloc(I->lens, (I->n + 1) * sizeof(size_t));
	I->ats = Pa_xrealloc(I->ats, (I->n + 1) * sizeof(size_t));
	I->lens[I->n] = len; /* of the @path as written in the file */
	I->ats[I->n] = at;
	I->paths[I->n++] = p;
}

/* The full path of an import, or NULL when the CLI refuses it (a URL, a
 * path outside the root). */
static char *import_path(const importer *I, const char *p)
{
	char *full;

	if (!strncmp(p, "http://", 7) || !strncmp(p, "https://", 8) ||
	    !strncmp(p, "file://", 7))
		return NULL;
	full = Pa_path_normalize(I->dir, p);
	if (!Pa_path_under(full, I->o->confine)) {
		pa_free(full);
		return NULL;
	}
	return full;
}

/* The import at k of the importing file, added to the files.  One not
 * read is named, as Claude Code's imports are, at the @path's line of
 * the importing file (a link out, a system file), not as a file of its
 * own at line 1, which no reader finds in the repository. */
static hx_file *add_import(importer *I, const char *full, size_t k)
{
	char *idir = Pa_path_dirname(full);
	char *ibase = Pa_xstrdup(full + strlen(idir) + (strcmp(idir, "/") ? 1 : 0));
	const pa_buf *text = &I->f->files[I->xi].text;
	const char *nl;
	long line = 1;
	size_t i, at = I->ats[k] < text->len ? I->ats[k] : text->len;
	pa_warnings w = { NULL, 0 };
	hx_file *x;

	for (i = 0; i < at && (nl = memchr(text->ptr + i, '\n', at - i)) != NULL;
	     i = (size_t)(nl - text->ptr) + 1)
		line++;
	x = Pa_hx_add_file_held(I->f, idir, ibase, I->o->confine,
	                        I->warn ? &w : NULL);
	for (i = 0; i < w.n; i++) {
		const pa_warning *it = &w.items[i];

		if (it->kind == PA_WARNING_INCOMPLETE && x && !x->read &&
		    it->path && !strcmp(it->path, x->shown)) {
			pa_buf why = PA_BUF_INIT;

			pa_buf_printf(&why, "import of %s: %s", x->shown, it->reason);
			Pa_warn_incomplete_at(I->warn, I->shown, line, why.ptr);
			pa_buf_release(&why);
		} else {
			pa_warnings one = { (pa_warning *)it, 1 };

			Pa_warnings_add_copies(I->warn, &one);
		}
	}
	pa_warnings_release(&w);
	if (x) {
		x->depth = I->depth + 1;
		x->parent = Pa_xstrdup(I->shown);
		x->in = I->in;
		x->trim = I->o->flat && I->o->trim;
	}
	pa_free(idir);
	pa_free(ibase);
	return x;
}

/* The @path at k of the importing file is not sent (the file, or the
 * CLI's comment, stands in its place). */
static void replace(importer *I, size_t k)
{
	hx_file *x = &I->f->files[I->xi];

	x->replaced += 1 + I->lens[k];
	x->spans = Pa_xrealloc(x->spans, (x->nspans + 1) * sizeof(*x->spans));
	x->spans[x->nspans].at = I->ats[k];
	x->spans[x->nspans].len = 1 + I->lens[k];
	x->spans[x->nspans++].file = 0;
}

static void imports_of(hx_found *f, size_t xi, const hx_import_opts *o,
                       char **chain, size_t nchain, flat_seen *seen,
                       pa_warnings *warn);

/* The tree format: each import replaced in place by the file, its own
 * imports expanded; a refused import and one closing a cycle become a
 * comment of the CLI's (the path is not sent), a missing file a comment
 * too (fail_replaced) or stays. */
static void tree_import(importer *I, size_t k)
{
	char *full = import_path(I, I->paths[k]);
	size_t c;
	hx_file *x;

	if (!full) {
		replace(I, k);
		return;
	}
	for (c = 0; c < I->nchain; c++)
		if (!strcmp(I->chain[c], full)) {
			replace(I, k);
			pa_free(full);
			return;
		}
	x = add_import(I, full, k);
	if (x) {
		size_t at = (size_t)(x - I->f->files);

		replace(I, k);
		/* the file is read there, in place of its @path */
		I->f->files[I->xi].spans[I->f->files[I->xi].nspans - 1].file = at + 1;
		I->chain[I->nchain] = full;
		imports_of(I->f, at, I->o, I->chain, I->nchain + 1, NULL, I->warn);
	} else if (I->o->fail_replaced && !I->f->full) {
		replace(I, k);
	}
	pa_free(full);
}

/* The flat format: each file once, the imports of a file taken last
 * first (the CLIs' processFlat); nothing of the importing file is
 * replaced. */
static void flat_import(importer *I, size_t k)
{
	char *full = import_path(I, I->paths[k]);
	flat_seen *s = I->seen;
	size_t c, at;
	int d = I->depth + 1;

	if (!full)
		return;
	for (c = 0; c < s->n && strcmp(s->paths[c], full); c++)
		;
	if (c < s->n && (I->o->flat_once || s->depth[c] <= d)) {
		pa_free(full);
		return;
	}
	if (c < s->n) {
		at = s->at[c];
		s->depth[c] = d;
	} else {
		hx_file *x = add_import(I, full, k);

		if (!x || !x->read) {
			pa_free(full);
			return;
		}
		at = (size_t)(x - I->f->files);
		s->paths = Pa_xgrow(s->paths, s->n, sizeof(char *));
		s->depth = Pa_xrealloc(s->depth, (s->n + 1) * sizeof(int));
		s->at = Pa_xrealloc(s->at, (s->n + 1) * sizeof(size_t));
		s->paths[s->n] = Pa_xstrdup(full);
		s->depth[s->n] = d;
		s->at[s->n++] = at;
	}
	I->f->files[at].depth = d;
	imports_of(I->f, at, I->o, NULL, 0, s, I->warn);
	pa_free(full);
}

static void count_one(void *ctx, const char *path, size_t len, size_t at)
{
	(void)path;
	(void)len;
	(void)at;
	(*(size_t *)ctx)++;
}

/* A file at the depth promptasm stops at that imports more: an entry
 * refused, so that the request says what it did not follow. */
static void past_limit(hx_found *f, size_t xi, pa_warnings *warn)
{
	size_t n = 0;
	char *path, *shown;

	find_imports(f->files[xi].text.ptr, f->files[xi].text.len, count_one, &n);
	if (!n)
		return;
	path = Pa_xstrdup(f->files[xi].path);
	shown = Pa_xstrdup(f->files[xi].shown);
	Pa_hx_add_refused(f, path, shown, "its imports lie past the depth "
	                  "promptasm follows (a limit of promptasm's)", warn);
	pa_free(path);
	pa_free(shown);
}

static void imports_of(hx_found *f, size_t xi, const hx_import_opts *o,
                       char **chain, size_t nchain, flat_seen *seen,
                       pa_warnings *warn)
{
	importer I;
	pa_buf text = PA_BUF_INIT;
	size_t k;

	if (f->full || !f->files[xi].read)
		return;
	if (f->files[xi].depth >= o->max_depth) {
		if (o->limit_ours)
			past_limit(f, xi, warn);
		return;
	}
	memset(&I, 0, sizeof(I));
	I.f = f;
	I.o = o;
	I.xi = xi;
	I.depth = f->files[xi].depth;
	I.in = f->files[xi].in;
	I.seen = seen;
	I.warn = warn;
	I.dir = Pa_path_dirname(f->files[xi].path);
	I.shown = Pa_xstrdup(f->files[xi].shown);
	/* f->files moves as files are added: read a copy */
	pa_buf_put(&text, f->files[xi].text.ptr, f->files[xi].text.len);
	find_imports(text.ptr, text.len, collect, &I);
	if (o->flat) {
		for (k = I.n; k-- > 0;)
			flat_import(&I, k);
	} else {
		/* the chain, and room for one more */
		I.chain = Pa_xcalloc(nchain + 1, sizeof(char *));
		if (nchain)
			memcpy(I.chain, chain, nchain * sizeof(char *));
		I.nchain = nchain;
		for (k = 0; k < I.n; k++)
			tree_import(&I, k);
		pa_free(I.chain);
	}
	Pa_strings_free(I.paths, I.n);
	pa_free(I.lens);
	pa_free(I.ats);
	pa_free(I.dir);
	pa_free(I.shown);
	pa_buf_release(&text);
}

void Pa_hx_imports(hx_found *f, size_t xi, const hx_import_opts *o,
                   pa_warnings *warn)
{
	char *self = Pa_xstrdup(f->files[xi].path);

	if (o->flat) {
		flat_seen s;
		size_t k;

		memset(&s, 0, sizeof(s));
		s.paths = Pa_xcalloc(1, sizeof(char *));
		s.depth = Pa_xcalloc(1, sizeof(int));
		s.at = Pa_xcalloc(1, sizeof(size_t));
		s.paths[0] = Pa_xstrdup(self);
		s.at[s.n++] = xi;
		imports_of(f, xi, o, NULL, 0, &s, warn);
		for (k = 0; k < s.n; k++)
			pa_free(s.paths[k]);
		pa_free(s.paths);
		pa_free(s.depth);
		pa_free(s.at);
	} else {
		imports_of(f, xi, o, &self, o->chain_self ? 1 : 0, NULL, warn);
	}
	pa_free(self);
}

void Pa_hx_sent_text(hx_found *f)
{
	size_t i, k;

	for (i = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];
		size_t at, end;

		for (k = 0; k < x->nspans; k++)
			x->spans[k].sent_at = 0;
		if (!x->nspans || !x->read || x->empty || x->dropped || x->listed)
			continue;
		pa_buf_reset(&x->as_sent);
		at = x->skip;
		for (k = 0; k < x->nspans && x->as_sent.len < x->sent; k++) {
			if (x->spans[k].at < at) {
				x->spans[k].sent_at = x->as_sent.len;
				continue;
			}
			end = x->spans[k].at;
			if (end - at > x->sent - x->as_sent.len)
				end = at + (x->sent - x->as_sent.len);
			pa_buf_put(&x->as_sent, x->text.ptr + at, end - at);
			x->spans[k].sent_at = x->as_sent.len;
			at = x->spans[k].at + x->spans[k].len;
		}
		if (x->as_sent.len < x->sent && at < x->text.len) {
			end = x->text.len;
			if (end - at > x->sent - x->as_sent.len)
				end = at + (x->sent - x->as_sent.len);
			pa_buf_put(&x->as_sent, x->text.ptr + at, end - at);
		}
		/* the spans past the last byte sent fall at its end */
		for (; k < x->nspans; k++)
			x->spans[k].sent_at = x->as_sent.len;
	}
}
