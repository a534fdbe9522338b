/*
 * tokenizer_int.h - what the tokenizer's loading (tokenizer_load.c) and its
 * encoding (tokenizer.c) share: the tokenizer itself.  Internal to
 * src/tokenizer/.
 */
#ifndef PA_TOKENIZER_INT_H
#define PA_TOKENIZER_INT_H

#include "bpetables.h"
#include "countmemo.h"
#include "manifest.h"
#include "pretok.h"
#include "ranktable.h"

#include <pthread.h>
#include <stdatomic.h>

/* What a tokenizer verifies when first needed rather than at load.
 * Behind a pointer because encoding takes the tokenizer const; atomic so
 * that two threads sharing one may both verify, and agree. */
struct first_use {
	atomic_int section; /* one of the SECTION_ values */
	atomic_size_t scanned; /* bytes merged without the tables (tables_for) */
};

enum { SECTION_UNCHECKED, SECTION_INTACT, SECTION_DAMAGED };

/* The counts pa_tokenizer_keep_counts() asks to remember; behind a
 * pointer for the same reason, locked for threads that count at once. */
struct kept_counts {
	pthread_mutex_t lock;
	Pa_count_memo *memo;
	int rule;              /* where texts are cut (pretok.h) */
};

struct pa_tokenizer {
	Pa_manifest m;
	Pa_ranktable table;
	char *table_path;           /* the mapped .patab, or NULL (parsed ranks) */
	Pa_backtrack_tables tables; /* in table's section */
	Pa_cut_tables cuts;         /* in table's section too */
	struct first_use *first_use;
	struct kept_counts *kept;   /* NULL: counts are not remembered */
	uint64_t serial;            /* tells it apart in a workspace */
	Pa_pretok *pretok;
	/* The bytes its special tokens start with (find_special()), and
	 * that byte when they all start alike, else -1. */
	unsigned char special_starts[256];
	int special_first;
};

/* The error for a tokenizer directory that is not there: dir (NULL: the
 * one the program's setup named, or none) (datadir.c). */
pa_status Pa_tokenizer_no_dir(const char *dir, pa_error *err);

#endif
