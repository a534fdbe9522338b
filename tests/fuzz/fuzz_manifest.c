/* fuzz_manifest.c - libFuzzer target: the tokenizer manifest
 * (Pa_manifest_load).  Manifests are read only from files, so each input
 * is written to one file of this process (fuzz_tmp_dir()), reused.
 *
 * Oracles:
 *  - an error is PA_ERR_PARSE naming the manifest, with a message;
 *  - OK: name, ranks, pattern and sha256 are set, sha256 is 64 hex
 *    digits (as its error says), reference and error_band are strings;
 *    the rank file is named beside the manifest unless absolute; special
 *    tokens are non-empty, below PA_RANK_LIMIT, and neither their texts
 *    nor their ids repeat; every model the manifest lists is served
 *    exactly (SIZE_MAX), and a model that starts with a prefix it lists
 *    is served at least that well. */
#include "fuzz.h"

#include "manifest.h"
#include "ranktable.h" /* PA_RANK_LIMIT */

static int hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return s[64] == '\0';
}

static void check_manifest(const Pa_manifest *m, const char *path)
{
	size_t i, j;

	FUZZ_CHECK(m->name && m->ranks && m->pattern && m->sha256);
	FUZZ_CHECK(hex64(m->sha256));
	FUZZ_CHECK(m->reference && m->error_band);
	FUZZ_CHECK(!strcmp(m->path, path));
	/* Beside the manifest (an absolute path), or absolute as written. */
	FUZZ_CHECK(m->ranks[0] == '/');
	for (i = 0; i < m->n_specials; i++) {
		const Pa_special *a = &m->specials[i];
		FUZZ_CHECK(a->len > 0 && a->id < PA_RANK_LIMIT);
		for (j = i + 1; j < m->n_specials; j++) {
			const Pa_special *b = &m->specials[j];
			FUZZ_CHECK(a->id != b->id);
			FUZZ_CHECK(a->len != b->len || memcmp(a->text, b->text, a->len) != 0);
		}
	}
	for (i = 0; i < m->n_models; i++)
		FUZZ_CHECK(Pa_manifest_serves(m, m->models[i]) == SIZE_MAX);
	for (i = 0; i < m->n_prefixes; i++) {
		pa_buf model = PA_BUF_INIT;
		pa_buf_printf(&model, "%s-fuzz", m->prefixes[i]);
		FUZZ_CHECK(Pa_manifest_serves(m, model.ptr) >= strlen(m->prefixes[i]));
		pa_buf_release(&model);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *path;
	Pa_manifest m;
	pa_error err;
	pa_status st;

	if (!path)
		path = fuzz_tmp_path("manifest.yaml");
	fuzz_write_file(path, data, size);
	st = Pa_manifest_load(path, &m, &err);
	if (st != PA_OK) {
		FUZZ_CHECK(st == PA_ERR_PARSE);
		FUZZ_CHECK(err.message[0] != '\0' && !strcmp(err.file, path));
		FUZZ_CHECK(err.line >= 0 && err.column >= 0);
		return 0;
	}
	check_manifest(&m, path);
	Pa_manifest_release(&m);
	return 0;
}
