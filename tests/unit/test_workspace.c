/*
 * test_workspace.c - what a thread keeps between encodings (workspace.h)
 * never leaks from one tokenizer into another's counts.  A text of words
 * that are not tokens, so that its pieces are merged and remembered, is
 * counted and encoded by every tokenizer in turn on one thread, after
 * each other, after a tokenizer was freed and another loaded (perhaps at
 * its address), and on two threads at once; each result must be what a
 * new thread, which starts with an empty workspace, gets.  A workspace
 * that served a tokenizer with another's memo fails here: the same piece
 * is a different number of tokens in each vocabulary.
 */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "promptasm.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N_TOK 3
static const char *const names[N_TOK] = { "cl100k_base", "o200k_base", "claude" };

static pa_buf text = PA_BUF_INIT;

/* Words of random letters, some repeated, some capitalized, and the odd
 * long one, and now and then a phrase of Chinese characters without
 * spaces, which each vocabulary cuts in parts its own way (cuts.h):
 * pieces each vocabulary merges its own way. */
static void make_text(void)
{
	uint32_t s = 12345;
	int w, i;

	for (w = 0; w < 6000; w++) {
		int len = 3 + (int)((s = s * 1103515245u + 12345u) >> 16) % 9;
		uint32_t seed = w % 3 == 0 ? (uint32_t)(w % 97) : s;

		if (w % 500 == 499)
			len = 300;
		pa_buf_puts(&text, w % 11 == 0 ? "\n" : " ");
		if (w % 50 == 25) {
			for (i = 0; i < 3 * len; i++) { /* U+4E00 to U+4FFF */
				char c[3];
				seed = seed * 1664525u + 1013904223u;
				c[0] = (char)0xE4;
				c[1] = (char)(0xB8 + (seed >> 24) % 8);
				c[2] = (char)(0x80 + (seed >> 16) % 64);
				pa_buf_put(&text, c, 3);
			}
			continue;
		}
		for (i = 0; i < len; i++) {
			char c;
			seed = seed * 1664525u + 1013904223u;
			c = (char)('a' + (seed >> 24) % 26);
			if (i == 0 && w % 7 == 0)
				c = (char)(c - 'a' + 'A');
			pa_buf_put(&text, &c, 1);
		}
	}
}

typedef struct result {
	const char *name;
	size_t count;
	uint32_t *ids;
	size_t n_ids;
	int ok;
} result;

/* Counts and encodes text with a tokenizer loaded here. */
static void measure(result *r)
{
	pa_tokenizer *tok = NULL;
	pa_error err;

	r->ok = pa_tokenizer_load(r->name, NULL, &tok, &err) == PA_OK &&
	        pa_tokenizer_count(tok, text.ptr, text.len, &r->count, &err) == PA_OK &&
	        pa_tokenizer_encode(tok, text.ptr, text.len, &r->ids, &r->n_ids, &err) == PA_OK;
	pa_tokenizer_free(tok);
}

static void *measure_thread(void *arg)
{
	measure(arg);
	return NULL;
}

/* What a new thread gets: the truth to compare with. */
static result fresh[N_TOK];

static void get_fresh(void)
{
	int i;

	for (i = 0; i < N_TOK; i++) {
		pthread_t th;

		fresh[i].name = names[i];
		CHECK(pthread_create(&th, NULL, measure_thread, &fresh[i]) == 0);
		pthread_join(th, NULL);
		CHECK(fresh[i].ok);
		CHECK_EQ_INT(fresh[i].count, fresh[i].n_ids);
	}
	/* The vocabularies must disagree, or the test could not fail. */
	CHECK(fresh[0].count != fresh[1].count && fresh[1].count != fresh[2].count);
}

static int same(const result *r, const result *want)
{
	return r->ok && r->count == want->count && r->n_ids == want->n_ids &&
	       memcmp(r->ids, want->ids, r->n_ids * sizeof(uint32_t)) == 0;
}

/* All three loaded at once, used in turn on this thread. */
static void test_in_turn(void)
{
	pa_tokenizer *tok[N_TOK] = { NULL, NULL, NULL };
	pa_error err;
	int i, round;

	for (i = 0; i < N_TOK; i++)
		CHECK(pa_tokenizer_load(names[i], NULL, &tok[i], &err) == PA_OK);
	for (round = 0; round < 2; round++)
		for (i = 0; i < N_TOK; i++) {
			size_t n = 0, n_ids = 0;
			uint32_t *ids = NULL;

			if (!tok[i])
				continue;
			CHECK(pa_tokenizer_count(tok[i], text.ptr, text.len, &n, &err) == PA_OK);
			CHECK_EQ_INT(n, fresh[i].count);
			/* After a count, whose memo kept counts and no ids. */
			CHECK(pa_tokenizer_encode(tok[i], text.ptr, text.len, &ids, &n_ids,
			                          &err) == PA_OK);
			CHECK(n_ids == fresh[i].n_ids &&
			      memcmp(ids, fresh[i].ids, n_ids * sizeof(uint32_t)) == 0);
			free(ids);
		}
	for (i = 0; i < N_TOK; i++)
		pa_tokenizer_free(tok[i]);
}

/* One freed, the next loaded: malloc often gives it the same address. */
static void test_reloaded(void)
{
	int i;

	for (i = 0; i < 2 * N_TOK; i++) {
		result r;

		memset(&r, 0, sizeof(r));
		r.name = names[i % N_TOK];
		measure(&r);
		CHECK(same(&r, &fresh[i % N_TOK]));
		free(r.ids);
	}
}

/* Two threads, each through every tokenizer, at once. */
static void *all_tokenizers(void *arg)
{
	int *bad = arg, i, round;

	for (round = 0; round < 2; round++)
		for (i = 0; i < N_TOK; i++) {
			result r;

			memset(&r, 0, sizeof(r));
			r.name = names[(i + round) % N_TOK];
			measure(&r);
			*bad += !same(&r, &fresh[(i + round) % N_TOK]);
			free(r.ids);
		}
	return NULL;
}

static void test_threads(void)
{
	int bad[2] = { 0, 0 };
	pthread_t th;
	int started = pthread_create(&th, NULL, all_tokenizers, &bad[0]) == 0;

	CHECK(started);
	all_tokenizers(&bad[1]);
	if (started)
		pthread_join(th, NULL);
	CHECK_EQ_INT(bad[0] + bad[1], 0);
}

int main(void)
{
	int i;

	make_text();
	RUN(get_fresh);
	RUN(test_in_turn);
	RUN(test_reloaded);
	RUN(test_threads);
	for (i = 0; i < N_TOK; i++)
		free(fresh[i].ids);
	pa_buf_release(&text);
	return pa_test_summary();
}
