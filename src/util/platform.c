/* platform.c - the facts of platform.h that are code. */
#define _POSIX_C_SOURCE 200809L
#include "platform.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

/* scriptDirectory: where Node found the module's .js file, with a final
 * '/' (emscripten's loader sets it from __dirname); on Windows in the
 * form of the program's paths (src/npm/winpath.js). */
EM_JS(char *, script_dir, (void), {
	return typeof scriptDirectory === 'string' && scriptDirectory ?
		allocateUTF8(paPathToProgram(scriptDirectory, process.platform)) : 0;
});

void Pa_stdio_init(void)
{
	if (!isatty(1))
		setvbuf(stdout, NULL, _IOFBF, BUFSIZ);
}

char *Pa_program_dir(void)
{
	char *d = script_dir();
	size_t n;

	if (!d)
		return NULL;
	n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	return d;
}
#else
void Pa_stdio_init(void)
{
}

char *Pa_program_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	return Pa_xstrndup(exe, (size_t)(slash - exe));
}
#endif
