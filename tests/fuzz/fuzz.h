/*
 * fuzz.h - what the libFuzzer targets share: a check that names the
 * property it found broken, and a scratch file per process.
 *
 * A target's oracle is a property of the output, not "it did not crash":
 * when one fails, FUZZ_CHECK prints which and aborts, so libFuzzer keeps
 * the input as a crash-* file and the log says what was wrong with it.
 */
#ifndef PA_FUZZ_H
#define PA_FUZZ_H

#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define FUZZ_CHECK(cond)                                                   \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: oracle failed: %s\n",      \
			        __FILE__, __LINE__, #cond);                \
			abort();                                           \
		}                                                          \
	} while (0)

/* Where a target keeps its files: $FUZZ_TMPDIR (run.sh makes one and
 * removes it, so even a crash leaves nothing behind), else /tmp. */
static inline const char *fuzz_tmp_dir(void)
{
	const char *d = getenv("FUZZ_TMPDIR");

	return d && *d ? d : "/tmp";
}

/* A path in fuzz_tmp_dir() for this process (the pid keeps targets run
 * at the same time apart), made once; `what` tells apart a target's
 * files.  The file is removed at exit. */
static char fuzz_paths[4][512];
static int fuzz_npaths;

static inline void fuzz_remove_paths(void)
{
	int i;

	for (i = 0; i < fuzz_npaths; i++)
		unlink(fuzz_paths[i]);
}

static inline const char *fuzz_tmp_path(const char *what)
{
	char *p = fuzz_paths[fuzz_npaths];

	if (fuzz_npaths == 4)
		abort();
	snprintf(p, sizeof(fuzz_paths[0]), "%s/promptasm-fuzz-%ld-%s",
	         fuzz_tmp_dir(), (long)getpid(), what);
	if (fuzz_npaths++ == 0)
		atexit(fuzz_remove_paths);
	return p;
}

/* Writes data to path (replacing it); aborts when it cannot, since the
 * target would then test nothing. */
static inline void fuzz_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		abort();
	}
}

#endif
