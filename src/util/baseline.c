/*
 * baseline.c - what a previous `check --format json` counted, and how
 * much an agent may grow over it.
 *
 * The report is read as JSON (jsonread.c: a YAML reader refused what
 * Python's json.dump writes, surrogate-pair escapes among it); only the
 * keys a comparison needs are read, and the rest of the report may hold
 * anything but a key given twice in an object, or an agent's name given
 * twice: the report never holds one, and which of the two counts would be
 * a guess.  A report may be long (or made to be): a name given twice is
 * found with a hash set, and names are looked up in a sorted index, never
 * by a scan per agent.
 */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Pa_baseline {
	Pa_baseline_agent *agents; /* report order */
	size_t n;
	Pa_baseline_agent **by_name; /* the agents, sorted by name */
};

static pa_status bad(pa_error *err, const char *file, const Pa_jnode *n,
                     const char *what)
{
	return Pa_error_set(err, PA_ERR_PARSE, file, n ? n->line : 0,
	                    n ? n->column : 0,
	                    "not a report of 'promptasm check --format json': %s",
	                    what);
}

/* A whole number of tokens written as JSON writes it. */
static int get_count(const Pa_jnode *n, size_t *out)
{
	unsigned long long v = 0;
	size_t i;

	if (!n || n->type != PA_JSON_NUMBER || !n->len)
		return 0;
	for (i = 0; i < n->len; i++) {
		if (n->text[i] < '0' || n->text[i] > '9' || v > PA_COUNT_MAX / 10)
			return 0;
		v = v * 10 + (unsigned)(n->text[i] - '0');
	}
	*out = (size_t)v;
	return 1;
}

/* A string without U+0000 (names are C strings), else NULL. */
static const char *get_string(const Pa_jnode *n)
{
	if (!n || n->type != PA_JSON_STRING || strlen(n->text) != n->len)
		return NULL;
	return n->text;
}

static pa_status read_agent(Pa_baseline *b, Pa_strset *names, const Pa_jnode *a,
                            const char *file, pa_error *err)
{
	const Pa_jnode *scope, *sections, *listing;
	const char *name, *tok, *sc;
	Pa_baseline_agent *e;
	size_t tokens, i, e_listing = 0, *first;

	if (a->type != PA_JSON_OBJECT)
		return bad(err, file, a, "an agent is not an object");
	name = get_string(Pa_jnode_get(a, "name"));
	tok = get_string(Pa_jnode_get(a, "tokenizer"));
	if (!name || !tok)
		return bad(err, file, a, "an agent has no name or tokenizer");
	if (!get_count(Pa_jnode_get(a, "tokens"), &tokens))
		return bad(err, file, Pa_jnode_get(a, "tokens") ? Pa_jnode_get(a, "tokens") : a,
		           "an agent's tokens are not a count");
	scope = Pa_jnode_get(a, "scope");
	sc = get_string(scope);
	if (scope && (!sc || (strcmp(sc, "prompt") && strcmp(sc, "context"))))
		return bad(err, file, scope, "an agent's scope is not prompt or context");
	sections = Pa_jnode_get(a, "sections");
	if (sections && sections->type != PA_JSON_ARRAY && sections->type != PA_JSON_NULL)
		return bad(err, file, sections, "an agent's sections are not an array");
	if (sections && sections->type != PA_JSON_ARRAY)
		sections = NULL;
	for (i = 0; sections && i < sections->n; i++) {
		const Pa_jnode *s = sections->items[i];
		size_t t;

		if (s->type != PA_JSON_OBJECT || !get_string(Pa_jnode_get(s, "kind")) ||
		    !get_string(Pa_jnode_get(s, "path")) ||
		    !get_count(Pa_jnode_get(s, "tokens"), &t))
			return bad(err, file, s, "a section is not {\"kind\", \"path\", "
			           "\"tokens\"}");
	}
	/* A name appears once in a report: a second was dropped without a
	 * word (the first compared), as a key given twice was. */
	first = Pa_strset_value(names, name, strlen(name));
	if (*first) {
		char what[128];

		snprintf(what, sizeof(what), "an agent's name is given twice (the "
		         "first at line %zu)", *first);
		return bad(err, file, a, what);
	}
	*first = (size_t)a->line;
	/* Absent when the main session was not estimated; any other value
	 * left the listing's growth unchecked. */
	listing = Pa_jnode_get(a, "listing");
	if (listing && !get_count(listing, &e_listing))
		return bad(err, file, listing, "an agent's listing is not a count");
	b->agents = Pa_xgrow(b->agents, b->n, sizeof(*b->agents));
	e = &b->agents[b->n++];
	memset(e, 0, sizeof(*e));
	e->name = Pa_xstrdup(name);
	e->tokenizer = Pa_xstrdup(tok);
	e->scope = sc && !strcmp(sc, "context") ? PA_SCOPE_CONTEXT : PA_SCOPE_PROMPT;
	e->tokens = tokens;
	e->has_sections = sections != NULL;
	if (sections && sections->n) {
		e->sections = Pa_xcalloc(sections->n, sizeof(*e->sections));
		for (i = 0; i < sections->n; i++) {
			const Pa_jnode *s = sections->items[i];
			Pa_baseline_section *x = &e->sections[e->nsections++];

			x->kind = Pa_xstrdup(get_string(Pa_jnode_get(s, "kind")));
			x->path = Pa_xstrdup(get_string(Pa_jnode_get(s, "path")));
			get_count(Pa_jnode_get(s, "tokens"), &x->tokens);
		}
	}
	e->has_listing = listing != NULL;
	e->listing = e_listing;
	return PA_OK;
}

/* Names are unique, so the order is total. */
static int by_name(const void *a, const void *b)
{
	return strcmp((*(Pa_baseline_agent *const *)a)->name,
	              (*(Pa_baseline_agent *const *)b)->name);
}

pa_status Pa_baseline_parse(const char *text, size_t len, const char *file,
                            Pa_baseline **out, pa_error *err)
{
	Pa_jnode *root = NULL;
	const Pa_jnode *agents;
	Pa_baseline *b;
	Pa_strset names = PA_STRSET_INIT;
	size_t version = 0, i;
	pa_status st;

	*out = NULL;
	/* A key given twice was read first-wins, a hand-edited
	 * `"tokens": 900` after the report's own one dropped without a
	 * word, where the config refuses a duplicate key. */
	st = Pa_json_parse_flags(text, len, file, PA_JSON_UNIQUE_KEYS, &root, err);
	if (st != PA_OK)
		return st;
	if (!root || root->type != PA_JSON_OBJECT) {
		st = bad(err, file, root, "it is not an object");
		goto done;
	}
	if (!get_count(Pa_jnode_get(root, "version"), &version) ||
	    version < PA_JSON_VERSION_BASELINE || version > PA_JSON_VERSION) {
		const Pa_jnode *v = Pa_jnode_get(root, "version");

		char what[96];

		snprintf(what, sizeof(what), "no \"version\" from %d to %d (made by "
		         "another version of promptasm?)", PA_JSON_VERSION_BASELINE,
		         PA_JSON_VERSION);
		st = bad(err, file, v ? v : root, what);
		goto done;
	}
	agents = Pa_jnode_get(root, "agents");
	if (!agents || agents->type != PA_JSON_ARRAY) {
		st = bad(err, file, agents ? agents : root, "no \"agents\" array");
		goto done;
	}
	b = Pa_xcalloc(1, sizeof(*b));
	for (i = 0; st == PA_OK && i < agents->n; i++)
		st = read_agent(b, &names, agents->items[i], file, err);
	Pa_strset_release(&names);
	if (st != PA_OK) {
		Pa_baseline_free(b);
		goto done;
	}
	b->by_name = Pa_xmalloc((b->n ? b->n : 1) * sizeof(*b->by_name));
	for (i = 0; i < b->n; i++)
		b->by_name[i] = &b->agents[i];
	qsort(b->by_name, b->n, sizeof(*b->by_name), by_name);
	*out = b;
done:
	Pa_jnode_free(root);
	return st;
}

pa_status Pa_baseline_load(const char *path, Pa_baseline **out, pa_error *err)
{
	pa_buf text = PA_BUF_INIT;
	pa_status st;

	*out = NULL;
	st = pa_file_read_limited(path, PA_BASELINE_MAX_BYTES, PA_FILE_STDIN, &text,
	                          err);
	if (st == PA_OK)
		st = Pa_baseline_parse(text.ptr, text.len,
		                       strcmp(path, "-") ? path : "<stdin>", out, err);
	pa_buf_release(&text);
	return st;
}

size_t Pa_baseline_count(const Pa_baseline *b)
{
	return b ? b->n : 0;
}

const Pa_baseline_agent *Pa_baseline_agent_at(const Pa_baseline *b, size_t i)
{
	return b && i < b->n ? &b->agents[i] : NULL;
}

const Pa_baseline_agent *Pa_baseline_find(const Pa_baseline *b, const char *name)
{
	size_t lo = 0, hi = b ? b->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const Pa_baseline_agent *a = b->by_name[mid];
		int c = strcmp(name, a->name);

		if (c == 0)
			return a;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void Pa_baseline_free(Pa_baseline *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->n; i++) {
		Pa_baseline_agent *a = &b->agents[i];
		size_t j;

		for (j = 0; j < a->nsections; j++) {
			free(a->sections[j].kind);
			free(a->sections[j].path);
		}
		free(a->sections);
		free(a->name);
		free(a->tokenizer);
	}
	free(b->agents);
	free(b->by_name);
	free(b);
}

/* ---- growth ---- */

int Pa_share_parse(const char *text, double *out)
{
	const char *s = text;
	size_t digits = 0, dots = 0;
	char *end;
	double v;

	for (; (*s >= '0' && *s <= '9') || *s == '.'; s++) {
		digits += *s != '.';
		dots += *s == '.';
	}
	if (!digits || dots > 1)
		return 0;
	if (*s && (s[0] != '%' || s[1]))
		return 0;
	/* the digits alone, checked above; one that underflows (0.000...1
	 * past a double's range) is a share all the same, 0 or next to it */
	v = strtod(text, &end);
	if (!isfinite(v))
		return 0;
	*out = *s == '%' ? v / 100 : v;
	return 1;
}

int Pa_growth_limit_parse(const char *text, Pa_growth_limit *out)
{
	const char *s = text;
	unsigned long long v = 0;
	size_t n = strlen(s);

	memset(out, 0, sizeof(*out));
	if (n > 1 && s[n - 1] == '%') {
		if (!Pa_share_parse(text, &out->share))
			return 0;
		out->set = 1;
		out->relative = 1;
		return 1;
	}
	if (!n)
		return 0;
	/* Digits, with `,` or `_` between them, as every count promptasm
	 * reads. */
	for (; *s; s++) {
		if ((*s == ',' || *s == '_') && s > text && s[1])
			continue;
		if (*s < '0' || *s > '9' || v > PA_COUNT_MAX / 10)
			return 0;
		v = v * 10 + (unsigned)(*s - '0');
	}
	out->set = 1;
	out->tokens = (size_t)v;
	return 1;
}

int Pa_growth_exceeds(const Pa_growth_limit *limit, size_t before, size_t after)
{
	size_t grew;

	if (!limit->set || after <= before)
		return 0;
	grew = after - before;
	if (limit->relative)
		return (double)grew > limit->share * (double)before;
	return grew > limit->tokens;
}

void Pa_growth_limit_format(const Pa_growth_limit *limit, pa_buf *out)
{
	if (!limit->set)
		pa_buf_puts(out, "none");
	else if (limit->relative)
		pa_buf_printf(out, "%g%%", limit->share * 100);
	else {
		pa_buf_put_count(out, limit->tokens);
		pa_buf_puts(out, limit->tokens == 1 ? " token" : " tokens");
	}
}
