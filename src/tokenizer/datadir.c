/* datadir.c - where tokenizers live: the directory a program names at
 * its setup, `tokenizers/` beside the program (a source checkout), then
 * the installed data directory.  Apart from loading (tokenizer_load.c), so
 * that the table of models (models.c) finds its file without depending on
 * the loader, which depends on it. */
#define _POSIX_C_SOURCE 200809L
#include "tokenizer_int.h"
#include "util/platform.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef PA_DATADIR
#define PA_DATADIR "/usr/local/share/promptasm"
#endif

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* `tokenizers/` beside the running program: a source checkout, or the
 * npm package (its module and its tokenizers in one directory). */
static char *beside_program(void)
{
	char *dir = Pa_program_dir();
	pa_buf b = PA_BUF_INIT;

	if (!dir)
		return NULL;
	pa_buf_puts(&b, dir);
	free(dir);
	pa_buf_puts(&b, "/tokenizers");
	if (is_dir(b.ptr))
		return pa_buf_detach(&b, NULL);
	pa_buf_release(&b);
	return NULL;
}

/* The directory a NULL dir names, set once by the program's setup
 * (pa_tokenizer_set_dir()): the library reads no environment. */
static const char *default_dir;

void pa_tokenizer_set_dir(const char *dir)
{
	default_dir = dir && *dir ? dir : NULL;
}

char *pa_tokenizer_dir(const char *dir)
{
	const char *env = default_dir;
	char *found;

	if (dir)
		return is_dir(dir) ? Pa_xstrdup(dir) : NULL;
	if (env && *env)
		return is_dir(env) ? Pa_xstrdup(env) : NULL;
	found = beside_program();
	if (found)
		return found;
	if (is_dir(PA_DATADIR "/tokenizers"))
		return Pa_xstrdup(PA_DATADIR "/tokenizers");
	return NULL;
}

pa_status Pa_tokenizer_no_dir(const char *dir, pa_error *err)
{
	const char *env = default_dir;

	if (dir || (env && *env))
		return Pa_error_set(err, PA_ERR_NOT_FOUND, dir ? dir : env, 0, 0,
		                    "no tokenizer directory here");
	return Pa_error_set(err, PA_ERR_NOT_FOUND, NULL, 0, 0,
	                    "no tokenizer directory: not beside the program, not in "
	                    PA_DATADIR "/tokenizers, and none was named (PROMPTASM_TOKENIZERS)");
}

/* A tokenizer name becomes a file name, so it may not climb directories. */
