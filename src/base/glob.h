/* glob.h - the path globs of rules' `paths:`.  Not installed. */
#ifndef PA_GLOB_H
#define PA_GLOB_H

/* 1 when path (relative, `/`-separated) matches pattern: `*`, `?` and
 * `[...]` within one segment, `**` as a whole segment for any number of
 * segments, `{a,b}` alternatives. */
int Pa_glob_match(const char *pattern, const char *path);

#endif
