/*
 * platform.h - what the platform the program is built for can and cannot
 * do, one home for each such fact: the native build (POSIX, Linux first)
 * and the WebAssembly build of the npm package (emscripten, run by Node
 * with its file system reached directly; docs/packaging.md).  Code that
 * differs between them asks here instead of testing __EMSCRIPTEN__.
 */
#ifndef PA_UTIL_PLATFORM_H
#define PA_UTIL_PLATFORM_H

#ifdef __EMSCRIPTEN__
/* A WebAssembly program cannot start a process: fork() and execve() are
 * not there.  Node's child processes could, but not with the promises of
 * run.h (a process group killed whole, a subreaper, no_new_privs), so
 * what runs commands (--trust, --count-api) refuses instead. */
#define PA_CAN_RUN_COMMANDS 0
/* The name of this build in the refusal's message. */
#define PA_PLATFORM_NAME "the WebAssembly build (the npm package)"
#else
#define PA_CAN_RUN_COMMANDS 1
#define PA_PLATFORM_NAME "this build"
#endif

/* madvise(): emscripten's C library has the header and its constants
 * but not the call, which prints a warning on standard error each time.
 * The advice is only ever a hint (huge pages, pages read ahead). */
#ifdef __EMSCRIPTEN__
#define PA_HAVE_MADVISE 0
#else
#define PA_HAVE_MADVISE 1
#endif

/* Whether a mapping of a file (mmap) is a read of all of it into fresh
 * memory, as emscripten's is: what is read only in part, or only by some
 * runs (the merge tables of a rank table, which short texts never need),
 * is then better read when it is first needed. */
#ifdef __EMSCRIPTEN__
#define PA_MAP_READS_WHOLE 1
#else
#define PA_MAP_READS_WHOLE 0
#endif

/* Standard output buffered as a native C library buffers it, called
 * first thing by the program: whole blocks into a file or a pipe, lines
 * to a terminal.  emscripten's buffers it by lines always, which would
 * put messages to standard error in another place among the output than
 * natively (2>&1).  Natively it does nothing. */
void Pa_stdio_init(void);

/* The directory of the running program, for data installed beside it:
 * natively the directory of /proc/self/exe (NULL elsewhere), in the
 * WebAssembly build the directory of the module's JavaScript file that
 * Node runs.  The caller frees the result with free(); NULL when it
 * cannot be told. */
char *Pa_program_dir(void);

#endif
