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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What is read at a time, per thread. */
#define BLOCK (1u << 20)

typedef struct part {
	const pa_tokenizer *tok;
	const char *text;
	size_t start;   /* of text in the block, for an error's offset */
	size_t len;
	size_t count;
	pa_status status;
	pa_error err;
} part;

static void *count_part(void *arg)
{
	part *p = arg;
	p->status = pa_tokenizer_count(p->tok, p->text, p->len, &p->count, &p->err);
	return NULL;
}

/* Counts text (valid UTF-8) in up to jobs parts cut at safe places. */
static pa_status count_parallel(const pa_tokenizer *tok, const char *text,
                                size_t len, int jobs, size_t *count,
                                pa_error *err)
{
	part parts[CLI_COUNT_MAX_JOBS];
	pthread_t threads[CLI_COUNT_MAX_JOBS];
	int started[CLI_COUNT_MAX_JOBS] = { 0 };
	size_t start = 0;
	int n = 0, i;
	pa_status st = PA_OK;

	/* Cut at the last safe place before each j/jobs of the text. */
	for (i = 1; i <= jobs && start < len; i++) {
		size_t end = i == jobs ? len : len / (size_t)jobs * (size_t)i;
		if (end < len) {
			size_t cut = pa_tokenizer_safe_split(tok, text + start, end - start);
			end = cut ? start + cut : start;
		}
		if (end == start)
			continue;
		parts[n].tok = tok;
		parts[n].text = text + start;
		parts[n].start = start;
		parts[n].len = end - start;
		n++;
		start = end;
	}
	if (start < len) { /* the tail no cut reached */
		parts[n].tok = tok;
		parts[n].text = text + start;
		parts[n].start = start;
		parts[n].len = len - start;
		n++;
	}
	for (i = 1; i < n; i++)
		started[i] = pthread_create(&threads[i], NULL, count_part, &parts[i]) == 0;
	for (i = 0; i < n; i++)
		if (i == 0 || !started[i])
			count_part(&parts[i]); /* this thread, or one that did not start */
	*count = 0;
	for (i = 0; i < n; i++) {
		if (started[i])
			pthread_join(threads[i], NULL);
	}
	/* The first part in error has the text's first bad byte. */
	for (i = 0; i < n; i++) {
		if (parts[i].status != PA_OK && st == PA_OK) {
			st = parts[i].status;
			if (err) {
				*err = parts[i].err;
				err->offset += (long long)parts[i].start;
			}
		}
		*count += parts[i].count;
	}
	return st;
}

typedef struct counting {
	const pa_tokenizer *tok;
	int jobs;
	size_t count;
} counting;

/* A part of the stream: into the count when it is valid. */
static pa_status count_part_of_stream(void *ctx, const char *text, size_t len,
                                      long long offset, pa_error *err)
{
	counting *c = ctx;
	size_t n = 0;
	pa_status st = count_parallel(c->tok, text, len, c->jobs, &n, err);

	(void)offset;
	if (st == PA_OK)
		c->count += n;
	return st;
}

int cli_count_stream(const pa_tokenizer *tok, const char *path, int lossy,
                     int jobs, size_t *count)
{
	counting c;
	int code;

	c.tok = tok;
	c.jobs = jobs < 1 ? 1 : jobs > CLI_COUNT_MAX_JOBS ? CLI_COUNT_MAX_JOBS : jobs;
	c.count = 0;
	code = cli_stream_parts(tok, path, lossy, BLOCK * (size_t)c.jobs,
	                        count_part_of_stream, &c);
	*count = code == EXIT_OK ? c.count : 0;
	return code;
}

int cli_count_jobs_default(const char *path)
{
	pa_input *in;
	pa_error err;
	long long size = -1;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (strcmp(path, "-") && pa_input_open(path, 0, &in, &err) == PA_OK) {
		size = pa_input_size(in);
		pa_input_close(in);
	}
	/* Threads pay off only on a few megabytes. */
	if (size < 4LL << 20 || cpus < 2)
		return 1;
	return cpus > CLI_COUNT_MAX_JOBS ? CLI_COUNT_MAX_JOBS : (int)cpus;
}
