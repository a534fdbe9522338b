/*
 * cfgfile.c - every modelled CLI's configuration files, read by one
 * loader: how each program takes its file (how much of it is read, a
 * byte order mark, a file that does not parse, one that cannot be read,
 * one that is missing) is a rule (Pa_cfg_rule) that the file of each
 * program holds beside its reader, measured on the version its row
 * names; the reading and parsing are the same for all,
 * and with a run's cache (harness_cache.c) done once per file.
 */
#define _POSIX_C_SOURCE 200809L
#include "services.h"
#include "files.h"
#include "claude_code.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void record(void *ctx, const char *key, const hx_toml_value *v)
{
	hx_cfg_raw *r = ctx;
	hx_toml_rec *x;
	size_t i;

	r->recs = Pa_xgrow(r->recs, r->n_recs, sizeof(*r->recs));
	x = &r->recs[r->n_recs++];
	x->key = Pa_xstrdup(key);
	x->v = *v;
	x->v.str = v->str ? Pa_xstrndup(v->str, v->len) : NULL;
	if (v->strs) {
		x->v.strs = Pa_xcalloc(v->n ? v->n : 1, sizeof(char *));
		x->v.lens = Pa_xcalloc(v->n ? v->n : 1, sizeof(size_t));
		for (i = 0; i < v->n; i++) {
			x->v.strs[i] = Pa_xstrndup(v->strs[i], v->lens[i]);
			x->v.lens[i] = v->lens[i];
		}
	}
}

/* The end of the string that starts at t[i] (a quote): the index after
 * its closing quote. */
static size_t string_end(const char *t, size_t n, size_t i)
{
	for (i++; i < n && t[i] != '"'; i++)
		if (t[i] == '\\' && i + 1 < n)
			i++;
	return i < n ? i + 1 : n;
}

/* Each line comment and block comment outside a string made blanks in
 * place, as strip-json-comments does for Gemini CLI and Qwen Code
 * (measured: fixtures/settings-comments.txt), so that the strict
 * reader parses the rest and its lines and columns are those of the
 * file. */
void Pa_cfg_blank_comments(char *t, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		if (t[i] == '"') {
			i = string_end(t, n, i);
		} else if (t[i] == '/' && i + 1 < n && t[i + 1] == '/') {
			for (; i < n && t[i] != '\n'; i++)
				t[i] = ' ';
		} else if (t[i] == '/' && i + 1 < n && t[i + 1] == '*') {
			t[i++] = ' ';
			t[i++] = ' ';
			for (; i < n && !(t[i] == '*' && i + 1 < n && t[i + 1] == '/'); i++)
				if (t[i] != '\n')
					t[i] = ' ';
			for (j = 0; j < 2 && i < n; j++)
				t[i++] = ' ';
		} else {
			i++;
		}
	}
}

/* JSON with comments, as opencode reads its configuration files
 * (measured: fixtures/opencode-jsonc.txt): the comments, then each comma
 * before a closing brace or bracket, made blanks in place. */
void Pa_cfg_blank_jsonc(char *t, size_t n)
{
	size_t i, j;

	Pa_cfg_blank_comments(t, n);
	for (i = 0; i < n;) {
		if (t[i] == '"') {
			i = string_end(t, n, i);
			continue;
		}
		if (t[i] == ',') {
			for (j = i + 1; j < n && (t[j] == ' ' || t[j] == '\t' ||
			                          t[j] == '\n' || t[j] == '\r'); j++)
				;
			if (j < n && (t[j] == '}' || t[j] == ']'))
				t[i] = ' ';
		}
		i++;
	}
}

/* Reads and parses path into r, as rule says. */
static void load(hx_cfg_raw *r, const Pa_cfg_rule *rule, const char *path,
                 const char *shown)
{
	pa_buf text = PA_BUF_INIT;
	const char *t;
	size_t tl;

	memset(r, 0, sizeof(*r));
	r->read = Pa_project_read(path, rule->limit, 0, &text, &r->err);
	if (r->read != PA_OK) {
		pa_buf_release(&text);
		return;
	}
	t = text.ptr;
	tl = text.len;
	if (rule->bom == 2 && tl >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3)) {
		/* not JSON to its program */
		Pa_error_set(&r->err, PA_ERR_PARSE, shown, 1, 1,
		             "a byte order mark before the JSON");
		r->parse = PA_ERR_PARSE;
		pa_buf_release(&text);
		return;
	}
	if (rule->bom == 1 && tl >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3)) {
		t += 3;
		tl -= 3;
	}
	if (rule->format == PA_CFG_JSONC)
		Pa_cfg_blank_jsonc(text.ptr + (t - text.ptr), tl);
	if (rule->format == PA_CFG_JSON_COMMENTS)
		Pa_cfg_blank_comments(text.ptr + (t - text.ptr), tl);
	if (rule->format == PA_CFG_TOML)
		r->parse = Pa_hx_toml_parse(t, tl, shown, record, r, &r->err);
	else
		r->parse = Pa_json_parse_flags(t, tl, shown,
		                               rule->format == PA_CFG_JSON_STORE
		                               ? PA_JSON_MANY_VALUES : 0,
		                               &r->root, &r->err);
	if (r->parse != PA_OK) {
		pa_error e = r->err;
		pa_status p = r->parse == PA_ERR_TOO_LARGE ? PA_ERR_TOO_LARGE
		                                           : PA_ERR_PARSE;

		/* nothing of a file that does not parse is kept; one past a
		 * limit of the reader's keeps that (judge()) */
		Pa_hx_cfg_raw_release(r);
		r->err = e;
		r->read = PA_OK;
		r->parse = p;
	}
	pa_buf_release(&text);
}

/* The rule of kind applied to what r holds: PA_OK (r's tree or records
 * to be used, unless absent), or the error. */
static pa_status judge(const hx_cfg_raw *r, const Pa_cfg_rule *rule,
                       const char *shown,
                       int *absent, pa_warnings *warn, pa_error *err)
{
	int what;

	*absent = 1;
	if (r->read == PA_ERR_NOT_FOUND)
		what = rule->missing;
	else if (r->read != PA_OK)
		what = rule->unreadable;
	else if (r->parse != PA_OK)
		what = rule->invalid;
	else {
		*absent = 0;
		return PA_OK;
	}
	if (what == PA_CFG_REFUSE) {
		if (err) {
			*err = r->err;
			/* the file of a parse error as this load shows it */
			if (r->read == PA_OK)
				snprintf(err->file, sizeof(err->file), "%s", shown);
		}
		return r->read != PA_OK ? r->read : r->parse;
	}
	if (what == PA_CFG_WARN && warn) {
		char why[sizeof(r->err.message) + 160];

		/* A file promptasm could not read (a limit of its own, not a
		 * regular file) or parse past a limit of its reader is read by
		 * its program: what it holds is not known, so the check fails
		 * closed, as for the other CLIs' files (Pa_hx_cfg_json()),
		 * rather than passing with the file taken as absent. */
		if (r->read != PA_OK || r->parse == PA_ERR_TOO_LARGE) {
			if (r->read == PA_OK && r->err.line > 0)
				snprintf(why, sizeof(why), "%s at line %ld, column %ld "
				         "(%s reads it; promptasm does not)", r->err.message,
				         r->err.line, r->err.column, rule->program);
			else
				snprintf(why, sizeof(why), "%s (%s reads it; promptasm "
				         "does not)", r->err.message, rule->program);
			Pa_warn_incomplete(warn, shown, why);
		} else if (r->err.line > 0)
			Pa_warn_at(warn, shown, r->err.line, "%s:%ld:%ld is not valid "
			           "JSON: %s ignores the file, and so do we", shown,
			           r->err.line, r->err.column, rule->program);
		else
			Pa_warn_at(warn, shown, 0, "%s is not valid JSON: %s ignores "
			           "it, and so do we", shown, rule->program);
	}
	return PA_OK;
}

/* Why a file there was not read, as static text naming the limit. */
static const char *why_unread(const hx_cfg_raw *r, const Pa_cfg_rule *rule)
{
	if (r->read != PA_ERR_TOO_LARGE)
		return "a configuration file that cannot be read (not a regular "
		       "file, or no permission): its program reads it, promptasm "
		       "does not";
	if (rule->limit == 1 * PA_CFG_MiB)
		return "a configuration file larger than 1 MiB, the limit "
		       "promptasm reads of it: its program reads it, promptasm "
		       "does not";
	return "a configuration file larger than the limit promptasm reads of "
	       "it: its program reads it, promptasm does not";
}

/* r: the cache's entry of path, filled once, or own. */
static hx_cfg_raw *raw_of(pa_harness_cache *cache, const Pa_cfg_rule *rule,
                          const char *path, const char *shown, hx_cfg_raw *own)
{
	int fresh;
	char kind[64];
	hx_cfg_raw *r;

	/* the read depends on these alone (load()): the rest of the rule
	 * is what its program does with the outcome (judge()) */
	snprintf(kind, sizeof(kind), "%zu %u %u", rule->limit,
	         (unsigned)rule->bom, (unsigned)rule->format);
	r = Pa_hx_cache_cfg(cache, kind, path, &fresh);

	if (!r)
		r = own;
	if (!r || fresh || r == own)
		load(r, rule, path, shown);
	return r;
}

pa_status Pa_cfg_json_read(const Pa_cfg_rule *rule, const char *path,
                           const char *shown, pa_harness_cache *cache,
                           Pa_cfg_json *out, pa_warnings *warn, pa_error *err)
{
	hx_cfg_raw own, *r;
	pa_status st;
	int absent;

	memset(out, 0, sizeof(*out));
	if (!rule || rule->format == PA_CFG_TOML)
		return Pa_error_set(err, PA_ERR_INVALID, path, 0, 0,
		                    "not a JSON configuration file");
	r = raw_of(cache, rule, path, shown, &own);
	st = judge(r, rule, shown, &absent, warn, err);
	if (st == PA_OK && !absent)
		out->root = r->root;
	else if (st == PA_OK && r->read != PA_OK && r->read != PA_ERR_NOT_FOUND)
		out->unread = why_unread(r, rule);
	if (r == &own) {
		/* not kept: the tree is the caller's */
		out->own = st == PA_OK && !absent ? r->root : NULL;
		r->root = out->own ? NULL : r->root;
		Pa_hx_cfg_raw_release(r);
	}
	return st;
}

pa_status Pa_cfg_json_need_object(const Pa_cfg_json *j, const char *shown,
                                  pa_error *err)
{
	if (!j->root || j->root->type == PA_JSON_OBJECT)
		return PA_OK;
	return Pa_error_set(err, PA_ERR_PARSE, shown, j->root->line,
	                    j->root->column, "settings that are not a JSON object");
}

void Pa_cfg_json_release(Pa_cfg_json *j)
{
	if (!j)
		return;
	Pa_jnode_free(j->own);
	memset(j, 0, sizeof(*j));
}

pa_status Pa_cfg_toml_read(const Pa_cfg_rule *rule, const char *path,
                           const char *shown, pa_harness_cache *cache,
                           hx_toml_cb cb, void *ctx, int *found, pa_error *err)
{
	hx_cfg_raw own, *r;
	pa_status st;
	int absent;
	size_t i;

	*found = 0;
	if (!rule || rule->format != PA_CFG_TOML)
		return Pa_error_set(err, PA_ERR_INVALID, path, 0, 0,
		                    "not a TOML configuration file");
	r = raw_of(cache, rule, path, shown, &own);
	st = judge(r, rule, shown, &absent, NULL, err);
	if (st == PA_OK && !absent) {
		*found = 1;
		for (i = 0; i < r->n_recs; i++)
			cb(ctx, r->recs[i].key, &r->recs[i].v);
	}
	if (r == &own)
		Pa_hx_cfg_raw_release(r);
	return st;
}

/* Beside the reader that notes each file, so that the other files of
 * Claude Code's discovery, which use this file, note theirs here too. */
void Pa_cc_note_input(Pa_cc_config *c, const char *path)
{
	struct stat st;
	size_t i;

	if (!path || stat(path, &st) != 0)
		return;
	for (i = 0; i < c->n_inputs; i++)
		if (!strcmp(c->inputs[i], path))
			return;
	c->inputs = Pa_xgrow(c->inputs, c->n_inputs, sizeof(char *));
	c->inputs[c->n_inputs++] = Pa_xstrdup(path);
}

/* Claude Code's JSON files (settings, plugins' manifests and hooks, MCP
 * configurations) through the same loader: claude_code.h. */
Pa_jnode *Pa_cc_read_json(Pa_cc_config *c, const char *path,
                          const Pa_cfg_rule *rule, const char *shown)
{
	Pa_cfg_json j;

	Pa_cfg_json_read(rule, path, shown, NULL, &j, &c->warn, NULL);
	Pa_cc_note_input(c, path);
	return j.own;
}
