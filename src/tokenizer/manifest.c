/* manifest.c - reading tokenizer manifests (see manifest.h). */
#include "manifest.h"
#include "ranktable.h" /* PA_RANK_LIMIT */
#include "base/yamltree.h"

#include <stdlib.h>
#include <string.h>

void Pa_manifest_release(Pa_manifest *m)
{
	size_t i;

	if (!m)
		return;
	free(m->path);
	free(m->name);
	free(m->ranks);
	free(m->sha256);
	for (i = 0; i < m->n_patterns; i++)
		free(m->patterns[i]);
	free(m->patterns);
	for (i = 0; i < m->n_specials; i++)
		free(m->specials[i].text);
	free(m->specials);
	free(m->reference);
	free(m->error_band);
	for (i = 0; i < m->n_models; i++)
		free(m->models[i]);
	for (i = 0; i < m->n_prefixes; i++)
		free(m->prefixes[i]);
	for (i = 0; i < m->n_exact_models; i++)
		free(m->exact_models[i]);
	free(m->models);
	free(m->prefixes);
	free(m->exact_models);
	memset(m, 0, sizeof(*m));
}

static pa_status want_scalar(const Pa_ynode *v, const char *key,
                             const char *path, char **out, pa_error *err)
{
	if (v->type != PA_YNODE_SCALAR)
		return Pa_error_set(err, PA_ERR_PARSE, path, v->line, v->column,
		                    "`%s` must be a string", key);
	free(*out);
	*out = Pa_xstrndup(v->scalar, v->scalar_len);
	return PA_OK;
}

static pa_status want_bool(const Pa_ynode *v, const char *key,
                           const char *path, int *out, pa_error *err)
{
	if (v->type == PA_YNODE_SCALAR && v->plain && !strcmp(v->scalar, "true")) {
		*out = 1;
		return PA_OK;
	}
	if (v->type == PA_YNODE_SCALAR && v->plain && !strcmp(v->scalar, "false")) {
		*out = 0;
		return PA_OK;
	}
	return Pa_error_set(err, PA_ERR_PARSE, path, v->line, v->column,
	                    "`%s` must be true or false", key);
}

static pa_status want_list(const Pa_ynode *v, const char *key,
                           const char *path, char ***out, size_t *n,
                           pa_error *err)
{
	size_t i;

	if (v->type != PA_YNODE_SEQUENCE)
		return Pa_error_set(err, PA_ERR_PARSE, path, v->line, v->column,
		                    "`%s` must be a list of strings", key);
	/* Each key is read once (read_manifest refuses a repeated one), so
	 * the list starts empty and v->n items fit. */
	*out = Pa_xcalloc(v->n ? v->n : 1, sizeof(char *));
	*n = 0;
	for (i = 0; i < v->n; i++) {
		const Pa_ynode *item = v->items[i];
		if (item->type != PA_YNODE_SCALAR)
			return Pa_error_set(err, PA_ERR_PARSE, path, item->line,
			                    item->column, "`%s` must be a list of strings",
			                    key);
		(*out)[(*n)++] = Pa_xstrndup(item->scalar, item->scalar_len);
	}
	return PA_OK;
}

/* The special token of m already read with text k, or with id, or NULL. */
static const Pa_special *same_special(const Pa_manifest *m, const Pa_ynode *k,
                                      uint32_t id, int *same_text)
{
	size_t i;

	for (i = 0; i < m->n_specials; i++) {
		const Pa_special *sp = &m->specials[i];
		*same_text = sp->len == k->scalar_len &&
		             memcmp(sp->text, k->scalar, sp->len) == 0;
		if (*same_text || sp->id == id)
			return sp;
	}
	return NULL;
}

static pa_status read_specials(const Pa_ynode *v, const char *path,
                               Pa_manifest *m, pa_error *err)
{
	size_t i;

	if (v->type != PA_YNODE_MAPPING)
		return Pa_error_set(err, PA_ERR_PARSE, path, v->line, v->column,
		                    "`special_tokens` must map token text to ids");
	m->specials = Pa_xcalloc(v->n ? v->n : 1, sizeof(*m->specials));
	m->n_specials = 0;
	for (i = 0; i < v->n; i++) {
		const Pa_ynode *k = v->items[2 * i], *id = v->items[2 * i + 1];
		const Pa_special *other;
		char *end;
		unsigned long value;
		int same_text;

		if (k->type != PA_YNODE_SCALAR || k->scalar_len == 0)
			return Pa_error_set(err, PA_ERR_PARSE, path, k->line, k->column,
			                    "a special token must be a non-empty string");
		if (id->type != PA_YNODE_SCALAR || !id->plain || id->scalar[0] < '0' ||
		    id->scalar[0] > '9')
			return Pa_error_set(err, PA_ERR_PARSE, path, id->line, id->column,
			                    "a special token's id must be a number");
		value = strtoul(id->scalar, &end, 10);
		if (*end)
			return Pa_error_set(err, PA_ERR_PARSE, path, id->line, id->column,
			                    "a special token's id must be a number");
		/* Ids index arrays (of the vocabulary, of whoever reads the
		 * ids), so they have the rank table's bound. */
		if (value >= PA_RANK_LIMIT)
			return Pa_error_set(err, PA_ERR_PARSE, path, id->line, id->column,
			                    "special token id %s is too large (ids are below %lu)",
			                    id->scalar, (unsigned long)PA_RANK_LIMIT);
		other = same_special(m, k, (uint32_t)value, &same_text);
		if (other && same_text)
			return Pa_error_set(err, PA_ERR_PARSE, path, k->line, k->column,
			                    "special token `%s` is given twice", other->text);
		if (other)
			return Pa_error_set(err, PA_ERR_PARSE, path, id->line, id->column,
			                    "special token id %lu is also the id of `%s`",
			                    value, other->text);
		m->specials[m->n_specials].text = Pa_xstrndup(k->scalar, k->scalar_len);
		m->specials[m->n_specials].len = k->scalar_len;
		m->specials[m->n_specials].id = (uint32_t)value;
		m->n_specials++;
	}
	return PA_OK;
}

/* The rank file is named relative to the manifest. */
static char *beside(const char *manifest_path, const char *name)
{
	const char *slash = strrchr(manifest_path, '/');
	pa_buf b = PA_BUF_INIT;

	if (name[0] == '/' || !slash)
		return Pa_xstrdup(name);
	pa_buf_put(&b, manifest_path, (size_t)(slash - manifest_path) + 1);
	pa_buf_puts(&b, name);
	return pa_buf_detach(&b, NULL);
}

/* The key before items[2 * i] of mapping map that is the same scalar as
 * it, or NULL. */
static const Pa_ynode *earlier_key(const Pa_ynode *map, size_t i)
{
	const Pa_ynode *k = map->items[2 * i];
	size_t j;

	if (k->type != PA_YNODE_SCALAR)
		return NULL;
	for (j = 0; j < i; j++) {
		const Pa_ynode *e = map->items[2 * j];
		if (e->type == PA_YNODE_SCALAR && e->scalar_len == k->scalar_len &&
		    memcmp(e->scalar, k->scalar, k->scalar_len) == 0)
			return e;
	}
	return NULL;
}

/* 1 when s is 64 hex digits; they are made lowercase, as the digest they
 * are compared with is.  (Only the length was checked: 64 letters passed,
 * found by fuzz_manifest.) */
static int hex_sha256(char *s)
{
	size_t i;

	for (i = 0; i < 64; i++) {
		if (s[i] >= 'A' && s[i] <= 'F')
			s[i] = (char)(s[i] - 'A' + 'a');
		else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return s[64] == '\0';
}

static pa_status read_manifest(const Pa_ynode *root, Pa_manifest *m,
                               pa_error *err)
{
	const char *path = m->path;
	char *ranks = NULL, *normalization = NULL, *regex = NULL;
	pa_status st = PA_OK;
	size_t i;

	if (!root || root->type != PA_YNODE_MAPPING)
		return Pa_error_set(err, PA_ERR_PARSE, path, root ? root->line : 1,
		                    root ? root->column : 1,
		                    "a tokenizer manifest must be a mapping");
	for (i = 0; i < root->n && st == PA_OK; i++) {
		const Pa_ynode *k = root->items[2 * i], *v = root->items[2 * i + 1];
		const char *key = k->type == PA_YNODE_SCALAR ? k->scalar : "";
		const Pa_ynode *first = earlier_key(root, i);

		/* A repeated key is a mistake whichever one was meant, and the
		 * readers below fill each field once. */
		if (first)
			st = Pa_error_set(err, PA_ERR_PARSE, path, k->line, k->column,
			                  "`%s` is given twice in the tokenizer manifest "
			                  "(first at line %ld)", key, first->line);
		else if (!strcmp(key, "name"))
			st = want_scalar(v, key, path, &m->name, err);
		else if (!strcmp(key, "ranks"))
			st = want_scalar(v, key, path, &ranks, err);
		else if (!strcmp(key, "sha256"))
			st = want_scalar(v, key, path, &m->sha256, err);
		else if (!strcmp(key, "pattern") && v->type == PA_YNODE_SEQUENCE)
			st = want_list(v, key, path, &m->patterns, &m->n_patterns, err);
		else if (!strcmp(key, "pattern")) {
			m->patterns = Pa_xcalloc(1, sizeof(char *));
			m->n_patterns = 1;
			st = want_scalar(v, key, path, &m->patterns[0], err);
		} else if (!strcmp(key, "regex"))
			st = want_scalar(v, key, path, &regex, err);
		else if (!strcmp(key, "normalization"))
			st = want_scalar(v, key, path, &normalization, err);
		else if (!strcmp(key, "special_tokens"))
			st = read_specials(v, path, m, err);
		else if (!strcmp(key, "specials_in_text"))
			st = want_bool(v, key, path, &m->specials_in_text, err);
		else if (!strcmp(key, "estimate"))
			st = want_bool(v, key, path, &m->estimate, err);
		else if (!strcmp(key, "reference"))
			st = want_scalar(v, key, path, &m->reference, err);
		else if (!strcmp(key, "error_band"))
			st = want_scalar(v, key, path, &m->error_band, err);
		else if (!strcmp(key, "models"))
			st = want_list(v, key, path, &m->models, &m->n_models, err);
		else if (!strcmp(key, "model_prefixes"))
			st = want_list(v, key, path, &m->prefixes, &m->n_prefixes, err);
		else if (!strcmp(key, "exact_models"))
			st = want_list(v, key, path, &m->exact_models,
			               &m->n_exact_models, err);
		else
			st = Pa_error_set(err, PA_ERR_PARSE, path, k->line, k->column,
			                  "unknown key `%s` in tokenizer manifest", key);
	}
	if (st == PA_OK) {
		const char *missing = !m->name ? "name" : !ranks ? "ranks"
		                    : !m->sha256 ? "sha256" : !m->n_patterns ? "pattern" : NULL;
		if (missing)
			st = Pa_error_set(err, PA_ERR_PARSE, path, 0, 0,
			                  "tokenizer manifest lacks `%s`", missing);
	}
	if (st == PA_OK && normalization && strcmp(normalization, "none") != 0) {
		if (!strcmp(normalization, "NFKC"))
			m->nfkc = 1;
		else if (!strcmp(normalization, "NFC"))
			m->nfc = 1;
		else
			st = Pa_error_set(err, PA_ERR_PARSE, path, 0, 0,
			                  "unknown normalization `%s` (none, NFC or NFKC)",
			                  normalization);
	}
	if (st == PA_OK) {
		m->pattern = m->patterns[0];
		if (regex && !strcmp(regex, "javascript"))
			m->js_regex = 1;
		else if (regex && strcmp(regex, "rust") != 0)
			st = Pa_error_set(err, PA_ERR_PARSE, path, 0, 0,
			                  "unknown regex `%s` (rust or javascript)", regex);
		else if (m->n_patterns != 1)
			st = Pa_error_set(err, PA_ERR_PARSE, path, 0, 0,
			                  "a list of patterns needs `regex: javascript`");
	}
	if (st == PA_OK && !hex_sha256(m->sha256))
		st = Pa_error_set(err, PA_ERR_PARSE, path, 0, 0,
		                  "`sha256` must be 64 hex digits");
	if (st == PA_OK) {
		m->ranks = beside(path, ranks);
		if (!m->reference)
			m->reference = Pa_xstrdup("");
		if (!m->error_band)
			m->error_band = Pa_xstrdup("");
	}
	free(ranks);
	free(normalization);
	free(regex);
	return st;
}

pa_status Pa_manifest_load(const char *path, Pa_manifest *m, pa_error *err)
{
	pa_buf text = PA_BUF_INIT;
	Pa_ynode *root = NULL;
	pa_status st;

	memset(m, 0, sizeof(*m));
	m->path = Pa_xstrdup(path);
	st = pa_file_read_limited(path, PA_MANIFEST_MAX_BYTES, 0, &text, err);
	if (st == PA_OK)
		st = Pa_yaml_parse(text.ptr, text.len, path, &root, err);
	if (st == PA_OK)
		st = read_manifest(root, m, err);
	Pa_ynode_free(root);
	pa_buf_release(&text);
	if (st != PA_OK)
		Pa_manifest_release(m);
	return st;
}

size_t Pa_manifest_serves(const Pa_manifest *m, const char *model)
{
	size_t i, best = 0;

	for (i = 0; i < m->n_models; i++)
		if (!strcmp(m->models[i], model))
			return SIZE_MAX;
	for (i = 0; i < m->n_prefixes; i++) {
		size_t n = strlen(m->prefixes[i]);
		if (n > best && !strncmp(m->prefixes[i], model, n))
			best = n;
	}
	return best;
}
