/*
 * models.c - the model a gateway or provider id names, by the table
 * models.tsv of the tokenizer directory: which tokenizer serves
 * `anthropic/claude-sonnet-4.5` or a Bedrock id is data, not code.
 *
 * Each line of the table is a PCRE2 pattern that must match the whole id,
 * a tab, and the model it names, where $1 to $9 are the pattern's groups;
 * a further tab starts a note.  Blank lines and lines starting with '#'
 * are comments.  The first matching row rewrites the id, and the table is
 * applied again to the result (a gateway's prefix before a provider's id),
 * at most MODELS_MAX_PASSES times; an id no row matches names itself.
 * The table is read on each call: the callers are once per run.
 */
#include "base/base.h"
#include "base/regex.h"

#include <stdlib.h>
#include <string.h>

#define MODELS_FILE "models.tsv"
#define MODELS_MAX_PASSES 8

/* Tries the row pattern[0..plen) -> repl on id; 1 when it matched, -1
 * when the pattern does not compile. */
static int try_row(const char *id, const char *pattern, size_t plen,
                   const char *repl, size_t rlen, pa_buf *out,
                   size_t *erroff, char *msg, size_t msgsize)
{
	return Pa_regex_whole_match(id, pattern, plen, repl, rlen, out, erroff, msg,
	                            msgsize);
}

/* Applies the first row of the table text that matches id, into out;
 * *matched says whether one did. */
static pa_status rewrite_once(const pa_buf *text, const char *path,
                              const char *id, pa_buf *out, int *matched,
                              pa_error *err)
{
	const char *p = text->ptr, *end = p + text->len;
	size_t line = 0;

	*matched = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *tab, *repl, *rend;
		char msg[160];
		size_t off;
		int rc;

		line++;
		if (p == eol || *p == '#') {
			p = eol + 1;
			continue;
		}
		tab = memchr(p, '\t', (size_t)(eol - p));
		for (repl = tab; repl && repl < eol && *repl == '\t'; repl++)
			;
		rend = repl ? memchr(repl, '\t', (size_t)(eol - repl)) : NULL;
		if (!rend)
			rend = eol;
		if (!tab || repl == rend)
			return Pa_error_set(err, PA_ERR_PARSE, path, line, 0,
			                    "a row is a pattern, a tab and a model");
		rc = try_row(id, p, (size_t)(tab - p), repl, (size_t)(rend - repl),
		             out, &off, msg, sizeof(msg));
		if (rc < 0)
			return Pa_error_set(err, PA_ERR_PARSE, path, line, off + 1,
			                    "bad pattern: %s", msg);
		if (rc) {
			*matched = 1;
			return PA_OK;
		}
		p = eol + 1;
	}
	return PA_OK;
}

pa_status pa_model_canonical(const char *model, const char *dir, pa_buf *out,
                             pa_error *err)
{
	char *where = pa_tokenizer_dir(dir), *path, *id;
	pa_buf text = PA_BUF_INIT;
	pa_status st;
	int pass, matched = 1;

	pa_buf_reset(out);
	pa_buf_puts(out, model);
	if (!where)
		return PA_OK;
	path = Pa_xmalloc(strlen(where) + sizeof("/" MODELS_FILE));
	strcpy(path, where);
	strcat(path, "/" MODELS_FILE);
	free(where);
	st = pa_file_read_limited(path, PA_MANIFEST_MAX_BYTES, 0, &text, err);
	if (st == PA_ERR_NOT_FOUND) {
		/* A directory of one's own tokenizers needs no table. */
		st = PA_OK;
		Pa_error_clear(err);
	}
	for (pass = 0; st == PA_OK && matched && pass < MODELS_MAX_PASSES; pass++) {
		id = Pa_xstrdup(out->ptr);
		st = rewrite_once(&text, path, id, out, &matched, err);
		if (matched && !strcmp(id, out->ptr))
			matched = 0;
		free(id);
	}
	pa_buf_release(&text);
	free(path);
	return st;
}
