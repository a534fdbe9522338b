/*
 * test_workspace.c - what a thread keeps between encodings (workspace.h)
 * never leaks from one tokenizer into another's counts.  A text of words
 * that are not tokens, so that its pieces are merged and remembered, is
 * counted and encoded by every tokenizer in turn on one thread, after
 * each other, after a tokenizer was freed and another loaded (perhaps at
 * its address), and on two threads at once; each result must be what a
 * new thread, which starts with an empty workspace, gets.  A workspace
 * that served a tokenizer with another's memo fails here: the same piece
 * is a different number of tokens in each vocabulary.  The texts are
 * longer than PA_MEMOS_DUE, so that the memos are made (memoarena.h), and
 * the memos are seen to wait for that much text.
 */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "promptasm.h"
#include "tokenizer/piececache.h"
#include "tokenizer/tokenizer_int.h"
#include "tokenizer/workspace.h"

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

	for (w = 0; w < 8000; w++) {
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

/* Short pieces of several tokens (a space and a rare CJK character;
 * the characters of unspaced Chinese cut apart are such pieces too):
 * an encoding keeps them in a memo of their own (piececache.h), so in a
 * text where each comes back many times all but its first are ids from
 * that memo.  Each must be what the piece alone is, encoded on a new
 * thread, whose workspace is empty: a memo that kept ids in the wrong
 * order, too few of them, or another piece's, fails here.  The pieces
 * come in pairs that share a slot of the memo, so that each pushes the
 * other out and a lookup finds the other's ids in its slot (a memo that
 * compared only the length passed this test before they did). */
#define SHORT_KINDS 40
#define SHORT_TEXT 20000 /* 80 KB: the memos are made */

typedef struct encode_job {
	const char *name;
	const char *text;
	size_t len;
	uint32_t *ids;
	size_t n;
	int ok;
} encode_job;

/* Encodes j->text with a tokenizer loaded here (on a new thread: an
 * empty workspace). */
static void *encode_alone(void *arg)
{
	encode_job *j = arg;
	pa_tokenizer *tok = NULL;
	pa_error err;

	j->ok = pa_tokenizer_load(j->name, NULL, &tok, &err) == PA_OK &&
	        pa_tokenizer_encode(tok, j->text, j->len, &j->ids, &j->n, &err) == PA_OK;
	pa_tokenizer_free(tok);
	return NULL;
}

static void run_alone(encode_job *j)
{
	pthread_t th;

	j->ok = 0;
	if (pthread_create(&th, NULL, encode_alone, j) == 0)
		pthread_join(th, NULL);
	CHECK(j->ok);
}

static void test_short_pieces(void)
{
	char bytes[SHORT_KINDS][4];
	encode_job kind[SHORT_KINDS], all;
	pa_buf want = PA_BUF_INIT, shorts = PA_BUF_INIT;
	int t, k, i, several = 0;
	uint32_t seed = 777;

	/* A space and a character of U+3400 to U+4DBF (CJK Extension A,
	 * rare enough to be several tokens in each vocabulary), in pairs
	 * whose keys share a slot. */
	{
		static uint16_t first_in_slot[1u << PA_SHORT_BITS];
		unsigned c;

		memset(first_in_slot, 0, sizeof(first_in_slot));
		for (c = 0x3400, k = 0; c <= 0x4DBF && k < SHORT_KINDS; c++) {
			char b[4];
			Pa_rank_key key;
			size_t slot;

			b[0] = ' ';
			b[1] = (char)(0xE0 | c >> 12);
			b[2] = (char)(0x80 | (c >> 6 & 0x3F));
			b[3] = (char)(0x80 | (c & 0x3F));
			key = pa_rank_key_of((const unsigned char *)b, 4);
			slot = pa_hot_slot_of(&key, PA_SHORT_BITS);
			if (first_in_slot[slot] == 0xFFFF)
				continue; /* paired already: not three to a slot */
			if (!first_in_slot[slot]) {
				first_in_slot[slot] = (uint16_t)c;
				continue;
			}
			/* The one met first in this slot, then this one. */
			bytes[k][0] = ' ';
			bytes[k][1] = (char)(0xE0 | first_in_slot[slot] >> 12);
			bytes[k][2] = (char)(0x80 | (first_in_slot[slot] >> 6 & 0x3F));
			bytes[k][3] = (char)(0x80 | (first_in_slot[slot] & 0x3F));
			memcpy(bytes[k + 1], b, 4);
			first_in_slot[slot] = 0xFFFF;
			k += 2;
		}
		CHECK_EQ_INT(k, SHORT_KINDS);
	}
	for (t = 0; t < N_TOK; t++) {
		pa_buf_reset(&want);
		pa_buf_reset(&shorts);
		for (k = 0; k < SHORT_KINDS; k++) {
			memset(&kind[k], 0, sizeof(kind[k]));
			kind[k].name = names[t];
			kind[k].text = bytes[k];
			kind[k].len = 4;
			run_alone(&kind[k]);
			several += kind[k].n > 1;
		}
		for (i = 0; i < SHORT_TEXT; i++) {
			seed = seed * 1103515245u + 12345u;
			k = (int)(seed >> 16) % SHORT_KINDS;
			pa_buf_put(&shorts, bytes[k], 4);
			if (kind[k].ids)
				pa_buf_put(&want, (const char *)kind[k].ids, kind[k].n * sizeof(uint32_t));
		}
		memset(&all, 0, sizeof(all));
		all.name = names[t];
		all.text = shorts.ptr;
		all.len = shorts.len;
		run_alone(&all);
		CHECK_EQ_INT(all.n * sizeof(uint32_t), want.len);
		CHECK(all.ids && want.len && memcmp(all.ids, want.ptr, want.len) == 0);
		free(all.ids);
		for (k = 0; k < SHORT_KINDS; k++)
			free(kind[k].ids);
	}
	/* Pieces of one token would never reach the memo. */
	CHECK(several > SHORT_KINDS);
	pa_buf_release(&want);
	pa_buf_release(&shorts);
}

/* The memos wait until the thread's texts come to PA_MEMOS_DUE bytes:
 * half of it maps no memory for them (the memo of pieces keeps a few
 * lines of the heap), the other half does, and the memo of pieces moves
 * its lines to its part of the huge page.  The words of the first half
 * come back in the second, found in the lines moved: its ids must be
 * those of a new thread's. */
static void test_memos_due(void)
{
	pa_tokenizer *tok = NULL;
	Pa_workspace *w;
	pa_error err;
	size_t half = PA_MEMOS_DUE / 2, n;
	uint32_t *ids = NULL;
	encode_job second;

	CHECK(text.len >= PA_MEMOS_DUE);
	CHECK(pa_tokenizer_load("o200k_base", NULL, &tok, &err) == PA_OK);
	if (!tok)
		return;
	while ((text.ptr[half] & 0xC0) == 0x80) /* on a character's start */
		half--;
	Pa_workspace_release();
	CHECK(pa_tokenizer_encode(tok, text.ptr, half, &ids, &n, &err) == PA_OK);
	free(ids);
	w = Pa_workspace_get(tok->serial);
	CHECK(w && w->arena.base == NULL);
	/* Only the small memo of pieces, of the heap. */
	CHECK(w && w->cache.lines && w->cache.set_mask + 1 == PA_PIECE_CACHE_SMALL_SETS);
	CHECK(pa_tokenizer_encode(tok, text.ptr + half, PA_MEMOS_DUE - half, &ids, &n,
	                          &err) == PA_OK);
	w = Pa_workspace_get(tok->serial);
	CHECK(w && w->arena.base != NULL && w->cache.lines != NULL &&
	      w->cache.set_mask + 1 > PA_PIECE_CACHE_SMALL_SETS);
	CHECK(w && Pa_memo_arena_holds(&w->arena, w->cache.lines));
	memset(&second, 0, sizeof(second));
	second.name = "o200k_base";
	second.text = text.ptr + half;
	second.len = PA_MEMOS_DUE - half;
	run_alone(&second);
	CHECK(ids && second.ids && second.n == n &&
	      memcmp(ids, second.ids, n * sizeof(uint32_t)) == 0);
	free(ids);
	free(second.ids);
	pa_tokenizer_free(tok);
}

int main(void)
{
	int i;

	make_text();
	RUN(get_fresh);
	RUN(test_in_turn);
	RUN(test_reloaded);
	RUN(test_threads);
	RUN(test_short_pieces);
	RUN(test_memos_due);
	for (i = 0; i < N_TOK; i++)
		free(fresh[i].ids);
	pa_buf_release(&text);
	return pa_test_summary();
}
