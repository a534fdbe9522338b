/* pair.c - two builds of the library side by side in one process, for
 * judging a change to the tokenizer on a shared, loaded machine
 * (tests/bench/pair.sh builds it).  The second build's archive has every
 * symbol it defines renamed B_... (objcopy --redefine-syms), so both link
 * into one program; each loads the tokenizer from the same table file, so
 * the page cache and the processor's caches hold the tables for both.
 * Each round encodes every text REPS times with each build, the two in
 * turns (which goes first alternates), each encode with its build's
 * thread memos emptied first (outside the time), as a count of that one
 * file starts; CPU time of the thread.  Per text it prints the median of
 * the rounds' ratios of B's time to A's, the first and third quartiles,
 * and in how many rounds B was faster.
 *
 * Timed as separate processes in turns, two builds' medians moved 10% to
 * 20% between runs at a load of 4 to 6 on the 2 cores of the development
 * machine.  In one process the second build is slower all the same: a
 * build against a copy of itself gave 1.02 to 1.15 on 2026-11-26 (15
 * rounds of 3, o200k_base, Thai and Hebrew), whichever archive was linked
 * first and whichever tokenizer was loaded first, so pair.sh runs the
 * two builds both ways and takes the geometric mean.
 *
 * Usage: pair TOKENIZER ROUNDS REPS FILE... (PROMPTASM_TOKENIZERS names
 * the tables' directory; PAIR_SECOND_TOKENIZERS, when set, the second
 * build's) */
#define _POSIX_C_SOURCE 200809L
#include "promptasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The libraries' own (src/tokenizer/workspace.h): frees the thread's
 * memos. */
void Pa_workspace_release(void);
void B_Pa_workspace_release(void);
/* The second build's public functions, renamed. */
pa_status B_pa_tokenizer_load(const char *name, const char *dir, pa_tokenizer **out,
                              pa_error *err);
pa_status B_pa_tokenizer_encode(const pa_tokenizer *tok, const char *text, size_t len,
                                uint32_t **ids, size_t *n, pa_error *err);
void B_pa_tokenizer_free(pa_tokenizer *tok);
void B_pa_free(void *p);

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

/* One encode of text[0..len) by build b (0: A, 1: B) with emptied memos:
 * its CPU time in microseconds, and its count of tokens in *n. */
static double encode_once(int b, const pa_tokenizer *tok, const char *text, size_t len,
                          size_t *n)
{
	pa_error err;
	uint32_t *ids;
	double t0, t1;
	pa_status st;

	if (b) {
		B_Pa_workspace_release();
		t0 = cpu_us();
		st = B_pa_tokenizer_encode(tok, text, len, &ids, n, &err);
		t1 = cpu_us();
	} else {
		Pa_workspace_release();
		t0 = cpu_us();
		st = pa_tokenizer_encode(tok, text, len, &ids, n, &err);
		t1 = cpu_us();
	}
	if (st != PA_OK) {
		fprintf(stderr, "pair: %s\n", err.message);
		exit(1);
	}
	if (b)
		B_pa_free(ids);
	else
		pa_free(ids);
	return t1 - t0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long size;
	char *text;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "pair: cannot read %s\n", path);
		exit(1);
	}
	text = malloc((size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "pair: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	*len = (size_t)size;
	return text;
}

int main(int argc, char **argv)
{
	pa_tokenizer *tok[2];
	pa_error err;
	int rounds, reps, f;

	if (argc < 5) {
		fprintf(stderr, "usage: pair TOKENIZER ROUNDS REPS FILE...\n");
		return 2;
	}
	rounds = atoi(argv[2]);
	reps = atoi(argv[3]);
	if (rounds < 1)
		rounds = 1;
	if (reps < 1)
		reps = 1;
	if (pa_tokenizer_load(argv[1], getenv("PROMPTASM_TOKENIZERS"), &tok[0], &err) != PA_OK ||
	    B_pa_tokenizer_load(argv[1], getenv("PAIR_SECOND_TOKENIZERS")
	                                 ? getenv("PAIR_SECOND_TOKENIZERS")
	                                 : getenv("PROMPTASM_TOKENIZERS"),
	                        &tok[1], &err) != PA_OK) {
		fprintf(stderr, "pair: %s\n", err.message);
		return 1;
	}
	for (f = 4; f < argc; f++) {
		size_t len, n[2];
		char *text = read_file(argv[f], &len);
		double *ratio = malloc((size_t)rounds * sizeof(double));
		double *us[2];
		int r, k, won = 0;

		us[0] = malloc((size_t)rounds * sizeof(double));
		us[1] = malloc((size_t)rounds * sizeof(double));
		/* Two rounds unrecorded first: the tables' first reads, and
		 * the checksum of the merge tables, which each build makes
		 * when a text first needs them. */
		for (r = -2; r < rounds; r++) {
			double sum[2] = { 0, 0 };

			for (k = 0; k < reps; k++) {
				int first = (r + k) & 1;

				sum[first] += encode_once(first, tok[first], text, len, &n[first]);
				sum[!first] += encode_once(!first, tok[!first], text, len, &n[!first]);
				if (n[0] != n[1]) {
					fprintf(stderr, "pair: %s: A counts %zu tokens, B %zu\n",
					        argv[f], n[0], n[1]);
					return 1;
				}
			}
			if (r < 0)
				continue;
			ratio[r] = sum[1] / sum[0];
			us[0][r] = sum[0] / reps;
			us[1][r] = sum[1] / reps;
			won += sum[1] < sum[0];
		}
		qsort(ratio, (size_t)rounds, sizeof(double), cmp_double);
		qsort(us[0], (size_t)rounds, sizeof(double), cmp_double);
		qsort(us[1], (size_t)rounds, sizeof(double), cmp_double);
		printf("%s, %s: B/A %.3f (quartiles %.3f to %.3f), B faster in %d of %d rounds; "
		       "A %.0f us, B %.0f us (medians)\n",
		       argv[f], argv[1], ratio[rounds / 2], ratio[rounds / 4],
		       ratio[(3 * rounds) / 4], won, rounds, us[0][rounds / 2], us[1][rounds / 2]);
		free(ratio);
		free(us[0]);
		free(us[1]);
		free(text);
	}
	pa_tokenizer_free(tok[0]);
	B_pa_tokenizer_free(tok[1]);
	return 0;
}
