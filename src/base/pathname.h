/*
 * pathname.h - paths as strings, for every layer that reads a project
 * (discover/ and what it serves): joined, normalized, their directory,
 * whether one lies under another.  Nothing here looks at the file
 * system; where a project begins (a .git, a .claude) is
 * src/discover/paths.c's.  Every result is the caller's, freed with
 * pa_free() (or free(): the same).
 */
#ifndef PA_PATHNAME_H
#define PA_PATHNAME_H

#include <stddef.h>

/* Joins dir and name with one `/`.  Caller frees with pa_free(). */
char *Pa_path_join(const char *dir, const char *name);
/* Makes path absolute (against cwd) and removes `.`, `..` and repeated
 * slashes, without touching the file system.  Caller frees. */
char *Pa_path_normalize(const char *cwd, const char *path);
/* The directory part of path ("/" for "/x"). Caller frees. */
char *Pa_path_dirname(const char *path);
/* Whether path has no directory above it as text: "/", or no `/` at all
 * ("", ".", a name, a Windows path such as `C:\Users\me` that a
 * system's working directory may be).  Every walk up a path stops here:
 * stopping only at "/" walked for ever from a path without one, whose
 * dirname is "." and that of "." again ".". */
int Pa_path_is_top(const char *path);
/* If path is dir or under it, the rest ("" for dir itself), else NULL.
 * Borrowed from path. */
const char *Pa_path_under(const char *path, const char *dir);
/* Frees the first n strings of s, then s (NULL does nothing). */
void Pa_strings_free(char **s, size_t n);

#endif
