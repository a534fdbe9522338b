/* tokenizer_load.c - loading tokenizers (a manifest and its mapped rank
 * table), listing and compiling them; where they live is datadir.c's.
 * Encoding is tokenizer.c's. */
#define _POSIX_C_SOURCE 200809L
#include "tokenizer_int.h"
#include "workspace.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Notes the first bytes of tok's special tokens. */
static void note_special_starts(pa_tokenizer *tok)
{
	int first = -1, alike = 1;
	size_t k;

	for (k = 0; k < tok->m.n_specials; k++) {
		unsigned char c;

		if (tok->m.specials[k].len == 0)
			continue;
		c = (unsigned char)tok->m.specials[k].text[0];
		if (first == -1)
			first = c;
		else if (c != first)
			alike = 0;
		tok->special_starts[c] = 1;
	}
	tok->special_first = alike ? first : -1;
}

static int valid_name(const char *name)
{
	const char *p;

	if (!*name || name[0] == '.')
		return 0;
	for (p = name; *p; p++)
		if (!(( *p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return 0;
	return 1;
}

static char *join(const char *dir, const char *name, const char *ext)
{
	pa_buf b = PA_BUF_INIT;
	pa_buf_printf(&b, "%s/%s%s", dir, name, ext);
	return pa_buf_detach(&b, NULL);
}

/* ---- loading ---- */

/* Maps the tokenizer's .patab at table_path, which must match the
 * manifest. */
static pa_status map_table(pa_tokenizer *tok, const char *table_path,
                           pa_error *err)
{
	pa_status st = Pa_ranktable_map(table_path, &tok->table, err);

	if (st != PA_OK)
		return st;
	if (strcmp(tok->table.sha256, tok->m.sha256) != 0)
		return Pa_error_set(err, PA_ERR_CHECKSUM, table_path, 0, 0,
		                    "rank table was built from other ranks than %s; "
		                    "rebuild it with make", tok->m.ranks);
	if (Pa_bpetables_view(&tok->table, &tok->tables) != PA_OK)
		return Pa_error_set(err, PA_ERR_CHECKSUM, table_path, 0, 0,
		                    "rank table's merge tables are damaged; "
		                    "rebuild it with make");
	Pa_bpetables_cuts(&tok->table, &tok->cuts);
	return PA_OK;
}

static pa_status load_ranks(pa_tokenizer *tok, const char *dir, pa_error *err)
{
	char *table_path = join(dir, tok->m.name, ".patab");
	pa_buf text = PA_BUF_INIT;
	pa_status st;

	/* The mapped table is the fast path.  Without one, parse the rank
	 * text and derive the tables: slower, same results.  A table that is
	 * there but damaged, of another format or built from other ranks is
	 * an error, not a reason to fall back in silence: the checkout or
	 * the installation is broken, and make rebuilds it. */
	st = map_table(tok, table_path, err);
	if (st == PA_OK) {
		tok->table_path = table_path;
		return PA_OK;
	}
	free(table_path);
	if (st != PA_ERR_NOT_FOUND)
		return st;
	Pa_ranktable_release(&tok->table);

	st = pa_file_read_limited(tok->m.ranks, PA_RANKS_MAX_BYTES, 0, &text, err);
	if (st == PA_OK)
		st = Pa_ranktable_parse(text.ptr, text.len, tok->m.ranks, &tok->table, err);
	pa_buf_release(&text);
	if (st == PA_OK && strcmp(tok->table.sha256, tok->m.sha256) != 0)
		st = Pa_error_set(err, PA_ERR_CHECKSUM, tok->m.ranks, 0, 0,
		                  "SHA-256 is %s, the manifest says %s",
		                  tok->table.sha256, tok->m.sha256);
	if (st == PA_OK) {
		Pa_bpetables_derive(&tok->table);
		Pa_bpetables_view(&tok->table, &tok->tables);
		Pa_bpetables_cuts(&tok->table, &tok->cuts);
	}
	return st;
}

static pa_status check_vocabulary(pa_tokenizer *tok, pa_error *err)
{
	size_t i;
	int b;

	/* Byte-level BPE needs every single byte to be a token. */
	for (b = 0; b < 256; b++)
		if (tok->table.byte_rank[b] == PA_RANK_NONE)
			return Pa_error_set(err, PA_ERR_PARSE, tok->m.ranks, 0, 0,
			                    "byte 0x%02x is not a token", b);
	for (i = 0; i < tok->m.n_specials; i++) {
		uint32_t id = tok->m.specials[i].id;
		if (id < tok->table.n_ids &&
		    tok->table.offsets[id + 1] != tok->table.offsets[id])
			return Pa_error_set(err, PA_ERR_PARSE, tok->m.path, 0, 0,
			                    "special token id %u is also an ordinary token", id);
	}
	return PA_OK;
}

static pa_status load_manifest_file(const char *path, pa_tokenizer **out,
                                    const char *dir, pa_error *err)
{
	pa_tokenizer *tok = Pa_xcalloc(1, sizeof(*tok));
	pa_status st;

	tok->serial = Pa_workspace_new_serial();
	tok->first_use = Pa_xmalloc(sizeof(*tok->first_use));
	atomic_init(&tok->first_use->section, SECTION_UNCHECKED);
	atomic_init(&tok->first_use->scanned, 0);
	st = Pa_manifest_load(path, &tok->m, err);
	if (st == PA_OK)
		st = load_ranks(tok, dir, err);
	if (st == PA_OK)
		st = check_vocabulary(tok, err);
	if (st == PA_OK)
		note_special_starts(tok);
	if (st == PA_OK) {
		st = tok->m.js_regex
		     ? Pa_pretok_new_hf((const char *const *)tok->m.patterns,
		                        tok->m.n_patterns, &tok->pretok, err)
		     : Pa_pretok_new(tok->m.pattern, &tok->pretok, err);
		if (st != PA_OK && err && !err->file[0]) {
			/* The message is formatted into err itself: copy it. */
			char why[sizeof(err->message)];

			memcpy(why, err->message, sizeof(why));
			Pa_error_set(err, st, tok->m.path, 0, 0, "bad pattern: %s", why);
		}
	}
	if (st != PA_OK) {
		pa_tokenizer_free(tok);
		return st;
	}
	*out = tok;
	return PA_OK;
}

pa_status pa_tokenizer_load(const char *name, const char *dir,
                            pa_tokenizer **out, pa_error *err)
{
	char *where, *path;
	pa_status st;

	*out = NULL;
	if (!valid_name(name))
		return Pa_error_set(err, PA_ERR_NOT_FOUND, NULL, 0, 0,
		                    "unknown tokenizer '%s'; see 'promptasm tokenizers'",
		                    name);
	where = pa_tokenizer_dir(dir);
	if (!where)
		return Pa_tokenizer_no_dir(dir, err);
	path = join(where, name, ".yaml");
	if (access(path, F_OK) != 0) {
		st = Pa_error_set(err, PA_ERR_NOT_FOUND, NULL, 0, 0,
		                  "unknown tokenizer '%s'; see 'promptasm tokenizers'",
		                  name);
	} else {
		st = load_manifest_file(path, out, where, err);
	}
	free(path);
	free(where);
	return st;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The manifests of dir, sorted, as paths; the caller frees each and the
 * array. */
static pa_status list_manifests(const char *dir, char ***paths, size_t *n,
                                pa_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;

	*paths = NULL;
	*n = 0;
	if (!d)
		return Pa_error_set(err, PA_ERR_IO, dir, 0, 0, "cannot open: %s",
		                    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len <= 5 || e->d_name[0] == '.' || strcmp(e->d_name + len - 5, ".yaml"))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 8;
			*paths = Pa_xrealloc(*paths, cap * sizeof(char *));
		}
		(*paths)[(*n)++] = join(dir, e->d_name, "");
	}
	closedir(d);
	if (*n)
		qsort(*paths, *n, sizeof(char *), by_string);
	return PA_OK;
}

static void free_paths(char **paths, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* The manifest of where that serves model best (an exact model name
 * first, then the longest model prefix): its path into *path and, when
 * name is not NULL, its tokenizer's name into name (the caller frees
 * *path); PA_ERR_NOT_FOUND naming the model when none does. */
static pa_status manifest_for_model(const char *model, const char *where,
                                    char **path, pa_buf *name, pa_error *err)
{
	char **paths = NULL, *best_path = NULL;
	size_t n = 0, i, best = 0;
	pa_buf canon = PA_BUF_INIT;
	pa_status st;

	*path = NULL;
	st = pa_model_canonical(model, where, &canon, err);
	if (st == PA_OK)
		st = list_manifests(where, &paths, &n, err);
	for (i = 0; i < n && st == PA_OK; i++) {
		Pa_manifest m;
		size_t score;

		st = Pa_manifest_load(paths[i], &m, err);
		if (st != PA_OK)
			break;
		score = Pa_manifest_serves(&m, canon.ptr);
		if (score > best) {
			best = score;
			best_path = paths[i];
			if (name) {
				pa_buf_reset(name);
				pa_buf_puts(name, m.name);
			}
		}
		Pa_manifest_release(&m);
	}
	if (st == PA_OK && !best_path)
		st = Pa_error_set(err, PA_ERR_NOT_FOUND, NULL, 0, 0,
		                  "no tokenizer serves model '%s'%s%s%s; see 'promptasm "
		                  "tokenizers', or count with -t NAME", model,
		                  strcmp(canon.ptr, model) ? " (model '" : "",
		                  strcmp(canon.ptr, model) ? canon.ptr : "",
		                  strcmp(canon.ptr, model) ? "')" : "");
	if (st == PA_OK)
		*path = Pa_xstrdup(best_path);
	pa_buf_release(&canon);
	free_paths(paths, n);
	return st;
}

pa_status pa_tokenizer_load_for_model(const char *model, const char *dir,
                                      pa_tokenizer **out, pa_error *err)
{
	char *where = pa_tokenizer_dir(dir), *path = NULL;
	pa_status st;

	*out = NULL;
	if (!where)
		return Pa_tokenizer_no_dir(dir, err);
	st = manifest_for_model(model, where, &path, NULL, err);
	if (st == PA_OK)
		st = load_manifest_file(path, out, where, err);
	free(path);
	free(where);
	return st;
}

pa_status pa_tokenizer_name_for_model(const char *model, const char *dir,
                                      pa_buf *out, pa_error *err)
{
	char *where = pa_tokenizer_dir(dir), *path = NULL;
	pa_status st;

	pa_buf_reset(out);
	if (!where)
		return Pa_tokenizer_no_dir(dir, err);
	st = manifest_for_model(model, where, &path, out, err);
	free(path);
	free(where);
	return st;
}

void pa_tokenizer_free(pa_tokenizer *tok)
{
	if (!tok)
		return;
	Pa_pretok_free(tok->pretok);
	Pa_ranktable_release(&tok->table);
	free(tok->table_path);
	free(tok->first_use);
	pa_tokenizer_keep_counts(tok, 0);
	Pa_manifest_release(&tok->m);
	free(tok);
	Pa_workspace_release();
}

/* ---- listing and compiling ---- */

static char *joined_models(const Pa_manifest *m)
{
	pa_buf b = PA_BUF_INIT;
	size_t i;

	for (i = 0; i < m->n_models; i++)
		pa_buf_printf(&b, "%s%s", b.len ? ", " : "", m->models[i]);
	for (i = 0; i < m->n_prefixes; i++)
		pa_buf_printf(&b, "%s%s*", b.len ? ", " : "", m->prefixes[i]);
	return pa_buf_detach(&b, NULL);
}

pa_status pa_tokenizer_list(const char *dir, pa_tokenizer_info **list,
                            size_t *n, pa_error *err)
{
	char *where = pa_tokenizer_dir(dir), **paths = NULL;
	size_t count = 0, i;
	pa_status st;

	*list = NULL;
	*n = 0;
	if (!where)
		return Pa_tokenizer_no_dir(dir, err);
	st = list_manifests(where, &paths, &count, err);
	if (st == PA_OK && count)
		*list = Pa_xcalloc(count, sizeof(**list));
	for (i = 0; i < count && st == PA_OK; i++) {
		Pa_manifest m;
		pa_tokenizer_info *info = &(*list)[i];

		st = Pa_manifest_load(paths[i], &m, err);
		if (st != PA_OK)
			break;
		info->name = Pa_xstrdup(m.name);
		info->reference = Pa_xstrdup(m.reference);
		info->models = joined_models(&m);
		info->error_band = Pa_xstrdup(m.estimate ? m.error_band : "");
		info->estimate = m.estimate;
		*n = i + 1;
		Pa_manifest_release(&m);
	}
	if (st != PA_OK) {
		pa_tokenizer_info_free(*list, *n);
		*list = NULL;
		*n = 0;
	}
	free_paths(paths, count);
	free(where);
	return st;
}

void pa_tokenizer_info_free(pa_tokenizer_info *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].name);
		free(list[i].reference);
		free(list[i].models);
		free(list[i].error_band);
	}
	free(list);
}

pa_status pa_tokenizer_compile(const char *manifest_path, const char *out_path,
                               pa_error *err)
{
	Pa_manifest m;
	Pa_ranktable t;
	pa_buf text = PA_BUF_INIT;
	pa_status st;

	st = Pa_manifest_load(manifest_path, &m, err);
	if (st != PA_OK)
		return st;
	st = pa_file_read_limited(m.ranks, PA_RANKS_MAX_BYTES, 0, &text, err);
	if (st == PA_OK)
		st = Pa_ranktable_parse(text.ptr, text.len, m.ranks, &t, err);
	pa_buf_release(&text);
	if (st == PA_OK) {
		if (strcmp(t.sha256, m.sha256) != 0) {
			st = Pa_error_set(err, PA_ERR_CHECKSUM, m.ranks, 0, 0,
			                  "SHA-256 is %s, the manifest says %s", t.sha256,
			                  m.sha256);
		} else {
			Pa_bpetables_derive(&t);
			st = Pa_ranktable_write(&t, out_path, err);
		}
		Pa_ranktable_release(&t);
	}
	Pa_manifest_release(&m);
	return st;
}
