/* input.c - reading a large input in pieces (count, tokenize), with the
 * checks every read makes (file.c): only a regular file, or standard
 * input, never blocking at open. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct Pa_input {
	int fd;
	int is_stdin;
	long long size;
	char *name;
};

pa_status Pa_input_open(const char *path, unsigned flags, Pa_input **out,
                        pa_error *err)
{
	int is_stdin = (flags & PA_FILE_STDIN) && strcmp(path, "-") == 0;
	int fd = STDIN_FILENO;
	struct stat st;
	pa_status status;

	*out = NULL;
	if (!is_stdin) {
		status = Pa_file_open_regular(path, flags, &fd, &st, err);
		if (status != PA_OK)
			return status;
	}
	*out = Pa_xcalloc(1, sizeof(**out));
	(*out)->fd = fd;
	(*out)->is_stdin = is_stdin;
	(*out)->size = is_stdin ? -1 : (long long)st.st_size;
	(*out)->name = Pa_xstrdup(is_stdin ? "<stdin>" : path);
	return PA_OK;
}

pa_status Pa_input_read(Pa_input *in, pa_buf *out, size_t max, size_t *got,
                        pa_error *err)
{
	*got = 0;
	pa_buf_grow(out, max);
	while (*got < max) {
		ssize_t n = read(in->fd, out->ptr + out->len, max - *got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return Pa_error_set(err, PA_ERR_IO, in->name, 0, 0,
			                    "cannot read: %s", strerror(errno));
		if (n == 0)
			break;
		out->len += (size_t)n;
		*got += (size_t)n;
	}
	out->ptr[out->len] = '\0';
	return PA_OK;
}

Pa_input *Pa_input_fd(int fd, long long size, const char *name)
{
	Pa_input *in = Pa_xcalloc(1, sizeof(*in));

	in->fd = fd;
	in->size = size;
	in->name = Pa_xstrdup(name);
	return in;
}

const char *Pa_input_name(const Pa_input *in)
{
	return in->name;
}

long long Pa_input_size(const Pa_input *in)
{
	return in->size;
}

void Pa_input_close(Pa_input *in)
{
	if (!in)
		return;
	if (!in->is_stdin)
		close(in->fd);
	free(in->name);
	free(in);
}
