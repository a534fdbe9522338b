/* inproc.c - promptasm's encode timed in the process, for make bench
 * (tests/bench/run.sh): CPU time of the thread per encode of each text,
 * each encode with the thread's memos emptied first (outside the time),
 * as a count of that one file starts; ROUNDS rounds, each of as many
 * encodes as make 20 ms, the texts taken in turns; the median of the
 * rounds.  Linked with the library's archive (build/libpromptasm.a).
 *
 * Usage: inproc TOKENIZER ROUNDS NAME=FILE... */
#define _POSIX_C_SOURCE 200809L
#include "promptasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The library's own (src/tokenizer/workspace.h): frees the thread's
 * memos. */
void Pa_workspace_release(void);

static double cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct text {
	const char *name;
	char *bytes;
	size_t len;
	int reps;
	double *us;
};

/* One encode of t with empty memos; its CPU time in microseconds. */
static double encode_once(const pa_tokenizer *tok, const struct text *t)
{
	pa_error err;
	uint32_t *ids;
	size_t n;
	double t0, t1;

	Pa_workspace_release();
	t0 = cpu_us();
	if (pa_tokenizer_encode(tok, t->bytes, t->len, &ids, &n, &err) != PA_OK) {
		fprintf(stderr, "inproc: %s: %s\n", t->name, err.message);
		exit(1);
	}
	t1 = cpu_us();
	pa_free(ids);
	return t1 - t0;
}

int main(int argc, char **argv)
{
	pa_tokenizer *tok;
	pa_error err;
	struct text *texts;
	int rounds, n_texts, i, r;

	if (argc < 4) {
		fprintf(stderr, "usage: inproc TOKENIZER ROUNDS NAME=FILE...\n");
		return 2;
	}
	rounds = atoi(argv[2]);
	if (rounds < 1)
		rounds = 1;
	if (pa_tokenizer_load(argv[1], getenv("PROMPTASM_TOKENIZERS"), &tok, &err) != PA_OK) {
		fprintf(stderr, "inproc: %s\n", err.message);
		return 1;
	}
	n_texts = argc - 3;
	texts = calloc((size_t)n_texts, sizeof(*texts));
	for (i = 0; i < n_texts; i++) {
		char *eq = strchr(argv[3 + i], '=');
		FILE *f;
		long size;

		if (!eq) {
			fprintf(stderr, "inproc: %s: not NAME=FILE\n", argv[3 + i]);
			return 2;
		}
		*eq = '\0';
		texts[i].name = argv[3 + i];
		f = fopen(eq + 1, "rb");
		if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
		    fseek(f, 0, SEEK_SET) != 0) {
			fprintf(stderr, "inproc: cannot read %s\n", eq + 1);
			return 1;
		}
		texts[i].len = (size_t)size;
		texts[i].bytes = malloc(texts[i].len + 1);
		if (fread(texts[i].bytes, 1, texts[i].len, f) != texts[i].len) {
			fprintf(stderr, "inproc: cannot read %s\n", eq + 1);
			return 1;
		}
		fclose(f);
		/* The first encode verifies the tables; then as many a
		 * round as make 20 ms. */
		encode_once(tok, &texts[i]);
		texts[i].reps = (int)(20000.0 / encode_once(tok, &texts[i])) + 1;
		texts[i].us = calloc((size_t)rounds, sizeof(double));
	}
	for (r = 0; r < rounds; r++)
		for (i = 0; i < n_texts; i++) {
			double sum = 0;
			int k;

			for (k = 0; k < texts[i].reps; k++)
				sum += encode_once(tok, &texts[i]);
			texts[i].us[r] = sum / texts[i].reps;
		}
	for (i = 0; i < n_texts; i++) {
		double med;

		qsort(texts[i].us, (size_t)rounds, sizeof(double), cmp_double);
		med = rounds % 2 ? texts[i].us[rounds / 2]
		                 : (texts[i].us[rounds / 2 - 1] + texts[i].us[rounds / 2]) / 2;
		printf("%s %zu %.1f %.1f\n", texts[i].name, texts[i].len, med,
		       (double)texts[i].len / med);
		free(texts[i].us);
		free(texts[i].bytes);
	}
	free(texts);
	pa_tokenizer_free(tok);
	return 0;
}
