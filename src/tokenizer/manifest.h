/*
 * manifest.h - a tokenizer's manifest (`tokenizers/<name>.yaml`): where
 * its ranks are, their checksum, how text is split and normalized, its
 * special tokens and the models it serves.
 */
#ifndef PA_MANIFEST_H
#define PA_MANIFEST_H

#include "base/base.h"

typedef struct Pa_special {
	char *text;
	size_t len;
	uint32_t id;
} Pa_special;

typedef struct Pa_manifest {
	char *path;             /* of the manifest itself */
	char *name;
	char *ranks;            /* path of the rank file, resolved */
	char *sha256;           /* 64 hex digits */
	char *pattern;          /* the first of patterns */
	char **patterns;        /* a list: splits applied in turn (regex: javascript) */
	size_t n_patterns;
	int js_regex;           /* regex: javascript (pretok.h, Pa_pretok_new_hf) */
	int nfkc;               /* normalization: NFKC */
	int nfc;                /* normalization: NFC */
	Pa_special *specials;
	size_t n_specials;
	int specials_in_text;
	int estimate;
	char *reference;
	char *error_band;       /* "" when absent */
	char **models, **prefixes, **exact_models;
	size_t n_models, n_prefixes, n_exact_models;
} Pa_manifest;

/* Reads and checks the manifest at path.  Release with
 * Pa_manifest_release(). */
pa_status Pa_manifest_load(const char *path, Pa_manifest *m, pa_error *err);
void Pa_manifest_release(Pa_manifest *m);

/* How well the manifest serves model: 0 not at all, else a score where
 * an exact name beats any prefix and a longer prefix a shorter one. */
size_t Pa_manifest_serves(const Pa_manifest *m, const char *model);

#endif
