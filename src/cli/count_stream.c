/*
 * count_stream.c - counting an input of any size in bounded memory, on
 * several cores: it is read in blocks, and each block is counted up to
 * the last place where the tokenizer never joins pieces across
 * (pa_tokenizer_safe_split); the rest waits for the next block.  With
 * jobs > 1 a block is cut again at such places into one part per thread.
 */
#define _GNU_SOURCE
#include "count_stream.h"

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

int cli_count_stream(const pa_tokenizer *tok, const char *path, int lossy,
                     int jobs, size_t *count)
{
	pa_input *in;
	pa_error err;
	pa_buf buf = PA_BUF_INIT, clean = PA_BUF_INIT;
	size_t offset = 0, got;
	int code = EXIT_OK, eof = 0;

	*count = 0;
	if (pa_input_open(path, PA_FILE_STDIN, &in, &err) != PA_OK) {
		cli_print_error(&err);
		return EXIT_USAGE;
	}
	if (jobs < 1)
		jobs = 1;
	if (jobs > CLI_COUNT_MAX_JOBS)
		jobs = CLI_COUNT_MAX_JOBS;
	while (!eof || buf.len > 0) {
		size_t cut, n = 0;
		pa_status st;

		if (!eof) {
			if (pa_input_read(in, &buf, BLOCK * (size_t)jobs, &got, &err) != PA_OK) {
				cli_print_error(&err);
				code = EXIT_USAGE;
				break;
			}
			eof = got == 0;
		}
		cut = eof ? buf.len : pa_tokenizer_safe_split(tok, buf.ptr, buf.len);
		if (cut == 0) {
			if (buf.len > (size_t)PA_INPUT_MAX_BYTES) {
				cli_errorf("%s: no place to cut the text within %ld MiB (a "
				           "line break after a character and before a "
				           "letter): too long to count in parts",
				           pa_input_name(in), PA_INPUT_MAX_BYTES >> 20);
				code = EXIT_USAGE;
				break;
			}
			continue; /* read more */
		}
		/* The tokenizer checks the UTF-8 as it counts: the text is
		 * repaired and counted again only when it is not valid. */
		st = count_parallel(tok, buf.ptr, cut, jobs, &n, &err);
		if (st == PA_ERR_UTF8 && lossy) {
			pa_buf_reset(&clean);
			pa_utf8_lossy(buf.ptr, cut, &clean);
			st = count_parallel(tok, clean.ptr, clean.len, jobs, &n, &err);
		}
		if (st == PA_ERR_UTF8) {
			cli_errorf("invalid UTF-8 in %s at byte %lld (use --lossy to "
			           "replace it)", pa_input_name(in),
			           (long long)offset + err.offset);
			code = EXIT_USAGE;
			break;
		}
		if (st != PA_OK) {
			cli_print_error(&err);
			code = cli_exit_code(err.status);
			break;
		}
		*count += n;
		offset += cut;
		memmove(buf.ptr, buf.ptr + cut, buf.len - cut);
		pa_buf_truncate(&buf, buf.len - cut);
	}
	pa_buf_release(&buf);
	pa_buf_release(&clean);
	pa_input_close(in);
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
