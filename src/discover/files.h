/*
 * files.h - how the discover stage opens the files of a project (files.c):
 * within a limit, never blocking, never a device.  Internal to
 * src/discover/: the layers above read the model (discover.h), never a
 * file, and cannot include this header (tests/suites/run-layers.sh).
 */
#ifndef PA_DISCOVER_FILES_H
#define PA_DISCOVER_FILES_H

#include "discover.h"

#include <sys/stat.h>

/* Each does what its POSIX namesake does (errno too). */

/* pa_file_read_limited(). */
pa_status Pa_project_read(const char *path, size_t limit, unsigned flags,
                          pa_buf *out, pa_error *err);
/* realpath(path, NULL): the caller frees. */
char *Pa_project_realpath(const char *path);
/* stat(). */
int Pa_project_stat(const char *path, struct stat *st);
/* The names in dir that do not start with `.`, sorted, at most max; NULL
 * (*n 0) when it cannot be opened.  Free with Pa_strings_free(). */
char **Pa_project_list(const char *dir, size_t max, size_t *n);

#endif
