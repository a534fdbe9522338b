/* count_stream.h - counting an input in blocks, on several cores. */
#ifndef CLI_COUNT_STREAM_H
#define CLI_COUNT_STREAM_H

#include "cli.h"

#define CLI_COUNT_MAX_JOBS 64

/* Counts the tokens of the file at path ("-": standard input) in blocks,
 * with up to jobs threads.  Prints any error; returns an exit code. */
int cli_count_stream(const pa_tokenizer *tok, const char *path, int lossy,
                     int jobs, size_t *count);

/* The same over an input already open (Pa_input_fd()); closes it. */
int cli_count_input(const pa_tokenizer *tok, Pa_input *in, int lossy,
                    int jobs, size_t *count);

/* As cli_count_input(), for count DIR: an input with a NUL byte, or
 * (without lossy) invalid UTF-8, anywhere in it sets *not_text and is no
 * error (nothing printed, EXIT_OK, *count 0). */
int cli_count_input_text(const pa_tokenizer *tok, Pa_input *in, int lossy,
                         int jobs, size_t *count, int *not_text);

/* The threads worth using for an input of size bytes (-1: unknown). */
int cli_count_jobs_for_size(long long size);

/* The threads worth using for path: the CPUs for a regular file of a few
 * megabytes or more, else 1. */
int cli_count_jobs_default(const char *path);

#endif
