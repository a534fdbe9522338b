/*
 * files.c - the one door through which the discover stage reads the files
 * of a project (files.h), so that how a file is opened (within a limit,
 * never blocking, never a device) is decided here.  The layers above read
 * the model and cannot reach this door (tests/suites/run-layers.sh).
 */
#define _XOPEN_SOURCE 700
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

pa_status Pa_project_read(const char *path, size_t limit, unsigned flags,
                          pa_buf *out, pa_error *err)
{
	return pa_file_read_limited(path, limit, flags, out, err);
}

char *Pa_project_realpath(const char *path)
{
	return realpath(path, NULL);
}

int Pa_project_stat(const char *path, struct stat *st)
{
	return stat(path, st);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **Pa_project_list(const char *dir, size_t max, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **out = NULL;

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d)) && *n < max) {
		if (de->d_name[0] == '.')
			continue;
		out = Pa_xgrow(out, *n, sizeof(*out));
		out[(*n)++] = Pa_xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(out, *n, sizeof(*out), by_name);
	return out;
}
