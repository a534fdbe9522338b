/*
 * count_stream.c - counting an input of any size in bounded memory, on
 * several cores: the input comes in parts (stream.c), and with jobs > 1
 * each part is cut again at places where the tokenizer never joins pieces
 * across (pa_tokenizer_safe_split) into one part per thread.
 */
#define _GNU_SOURCE
#include "count_stream.h"
#include "stream.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What is read at a time, per thread. */
#define BLOCK (1u << 20)

/* The parts a block is cut into, per thread: the threads take the next
 * part left as they finish one, so that a thread that drew text slow to
 * count (Thai, where another drew English) does not keep the others
 * waiting at the end of each block. */
#define PARTS_PER_JOB 4
#define MAX_PARTS (CLI_COUNT_MAX_JOBS * PARTS_PER_JOB)

typedef struct part {
	const pa_tokenizer *tok;
	const char *text;
	size_t start;   /* of text in the block, for an error's offset */
	size_t len;
	size_t count;
	pa_status status;
	pa_error err;
} part;

static void count_part(part *p)
{
	p->status = pa_tokenizer_count(p->tok, p->text, p->len, &p->count, &p->err);
}

/* The threads that count the parts of each block with the calling one,
 * started once for the whole stream: a thread keeps what it learnt
 * counting one block (the library's memo of pieces is per thread) for the
 * next.  The calling thread hands out a round of parts, counts parts with
 * the workers and waits for them to finish. */
typedef struct pool {
	pthread_mutex_t lock;
	pthread_cond_t work, done;
	part parts[MAX_PARTS];
	int n_parts;
	atomic_int next;  /* the part to take next */
	unsigned round;   /* bumped when a round of parts is handed out */
	int busy;         /* workers not done with this round */
	int quit;
	pthread_t threads[CLI_COUNT_MAX_JOBS];
	int n_threads;
} pool;

/* Counts parts until none is left. */
static void take_parts(pool *p)
{
	int i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->n_parts)
		count_part(&p->parts[i]);
}

static void *work(void *arg)
{
	pool *p = arg;
	unsigned seen = 0;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->round == seen && !p->quit)
			pthread_cond_wait(&p->work, &p->lock);
		if (p->quit)
			break;
		seen = p->round;
		pthread_mutex_unlock(&p->lock);
		take_parts(p);
		pthread_mutex_lock(&p->lock);
		if (--p->busy == 0)
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Starts up to jobs - 1 workers; fewer when the system gives fewer. */
static void pool_start(pool *p, int jobs)
{
	int i;

	memset(p, 0, sizeof(*p));
	atomic_init(&p->next, 0);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	for (i = 1; i < jobs; i++) {
		if (pthread_create(&p->threads[p->n_threads], NULL, work, p) != 0)
			break;
		p->n_threads++;
	}
}

static void pool_stop(pool *p)
{
	int i;

	pthread_mutex_lock(&p->lock);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->n_threads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
}

/* Cuts text into up to `parts` parts at safe places (the last one before
 * each j/parts of the text) in p->parts. */
static void cut_parts(pool *p, const pa_tokenizer *tok, const char *text,
                      size_t len, int parts)
{
	/* No place to cut lies in text[start .. clear - SEARCHED_SLACK): a
	 * search for the next part's cut stops there, instead of going back
	 * over what the last one found uncuttable (a block without a cut was
	 * searched once per part: 16 MB of "\n1" with -j 64, 5 s).  The
	 * slack covers the bytes a cut's test reads past it, which the
	 * shorter search could not see. */
	enum { SEARCHED_SLACK = 32 };
	size_t start = 0, clear = 0;
	int n = 0, i;

	for (i = 1; i <= parts && start < len; i++) {
		size_t end = i == parts ? len : len / (size_t)parts * (size_t)i;
		if (end < len) {
			size_t from = clear > start + SEARCHED_SLACK ? clear - SEARCHED_SLACK : start;
			size_t cut = pa_tokenizer_safe_split(tok, text + from, end - from);

			if (cut) {
				end = from + cut;
			} else {
				clear = end;
				end = start;
			}
		}
		if (end == start)
			continue;
		p->parts[n].text = text + start;
		p->parts[n].start = start;
		p->parts[n].len = end - start;
		n++;
		start = end;
	}
	if (start < len) { /* the tail no cut reached */
		p->parts[n].text = text + start;
		p->parts[n].start = start;
		p->parts[n].len = len - start;
		n++;
	}
	for (i = 0; i < n; i++)
		p->parts[i].tok = tok;
	p->n_parts = n;
}

/* Counts text (valid UTF-8) in parts, on the threads of the pool. */
static pa_status count_parallel(pool *p, const pa_tokenizer *tok,
                                const char *text, size_t len, size_t *count,
                                pa_error *err)
{
	pa_status st = PA_OK;
	int i;

	cut_parts(p, tok, text, len, p->n_threads ? (p->n_threads + 1) * PARTS_PER_JOB : 1);
	atomic_store(&p->next, 0);
	if (p->n_parts > 1) {
		pthread_mutex_lock(&p->lock);
		p->busy = p->n_threads;
		p->round++;
		pthread_cond_broadcast(&p->work);
		pthread_mutex_unlock(&p->lock);
	}
	take_parts(p);
	if (p->n_parts > 1) {
		pthread_mutex_lock(&p->lock);
		while (p->busy > 0)
			pthread_cond_wait(&p->done, &p->lock);
		pthread_mutex_unlock(&p->lock);
	}
	/* The first part in error has the text's first bad byte. */
	*count = 0;
	for (i = 0; i < p->n_parts; i++) {
		if (p->parts[i].status != PA_OK && st == PA_OK) {
			st = p->parts[i].status;
			if (err) {
				*err = p->parts[i].err;
				err->offset += (long long)p->parts[i].start;
			}
		}
		*count += p->parts[i].count;
	}
	return st;
}

typedef struct counting {
	const pa_tokenizer *tok;
	pool *pool;
	size_t count;
	int lossy;
	int *not_text;    /* NULL, or set for a part that is not text */
} counting;

/* A part of the stream: into the count when it is valid. */
static pa_status count_part_of_stream(void *ctx, const char *text, size_t len,
                                      long long offset, pa_error *err)
{
	counting *c = ctx;
	size_t n = 0;
	pa_status st;

	(void)offset;
	if (c->not_text && memchr(text, '\0', len)) {
		st = PA_ERR_UTF8; /* a NUL byte: binary, as count DIR judges */
	} else {
		st = count_parallel(c->pool, c->tok, text, len, &n, err);
		if (st == PA_OK)
			c->count += n;
	}
	if (st == PA_ERR_UTF8 && c->not_text && (!c->lossy || memchr(text, '\0', len))) {
		/* Not an error: the caller shows the file as not text.  No
		 * message: the stream prints none. */
		*c->not_text = 1;
		if (err) {
			memset(err, 0, sizeof(*err));
			err->status = PA_ERR_INVALID;
			snprintf(err->file, sizeof(err->file), "-");
		}
		return PA_ERR_INVALID;
	}
	return st;
}

/* A block as it is read: a NUL byte stops the stream (not text). */
static int seen_block(void *ctx, const char *text, size_t len)
{
	counting *c = ctx;

	if (!memchr(text, '\0', len))
		return 0;
	*c->not_text = 1;
	return 1;
}

/* Counts the input at path, or in (closed) when path is NULL. */
static int count_stream(const pa_tokenizer *tok, const char *path, Pa_input *in,
                        int lossy, int jobs, size_t *count, int *not_text)
{
	/* 256 parts of 1.6 KB: on the heap, not the stack. */
	pool *p = Pa_xmalloc(sizeof(*p));
	counting c;
	int code;

	jobs = jobs < 1 ? 1 : jobs > CLI_COUNT_MAX_JOBS ? CLI_COUNT_MAX_JOBS : jobs;
	pool_start(p, jobs);
	c.tok = tok;
	c.pool = p;
	c.count = 0;
	c.lossy = lossy;
	c.not_text = not_text;
	code = path ? cli_stream_parts(tok, path, lossy, BLOCK * (size_t)jobs,
	                               count_part_of_stream, &c)
	            : cli_stream_input_seen(tok, in, lossy, BLOCK * (size_t)jobs,
	                                    count_part_of_stream,
	                                    not_text ? seen_block : NULL, &c);
	pool_stop(p);
	free(p);
	*count = code == EXIT_OK ? c.count : 0;
	if (not_text && *not_text) {
		code = EXIT_OK;
		*count = 0;
	}
	return code;
}

int cli_count_stream(const pa_tokenizer *tok, const char *path, int lossy,
                     int jobs, size_t *count)
{
	return count_stream(tok, path, NULL, lossy, jobs, count, NULL);
}

int cli_count_input(const pa_tokenizer *tok, Pa_input *in, int lossy,
                    int jobs, size_t *count)
{
	return count_stream(tok, NULL, in, lossy, jobs, count, NULL);
}

int cli_count_input_text(const pa_tokenizer *tok, Pa_input *in, int lossy,
                         int jobs, size_t *count, int *not_text)
{
	*not_text = 0;
	return count_stream(tok, NULL, in, lossy, jobs, count, not_text);
}

int cli_count_jobs_for_size(long long size)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	/* Threads pay off only on a few megabytes. */
	if (size < 4LL << 20 || cpus < 2)
		return 1;
	return cpus > CLI_COUNT_MAX_JOBS ? CLI_COUNT_MAX_JOBS : (int)cpus;
}

int cli_count_jobs_default(const char *path)
{
	Pa_input *in;
	pa_error err;
	long long size = -1;

	if (strcmp(path, "-") && Pa_input_open(path, 0, &in, &err) == PA_OK) {
		size = Pa_input_size(in);
		Pa_input_close(in);
	}
	return cli_count_jobs_for_size(size);
}
