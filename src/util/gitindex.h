/*
 * gitindex.h - git's index (<root>/.git/index) read by ourselves, for the
 * walks that list a repository's files (count DIR, the start directories
 * of the agent CLIs).  Running git would run what the repository
 * configures (core.fsmonitor, hooks): nothing of the repository is run,
 * so the file is read here, as bytes, from inside the repository only.
 *
 * Read: versions 2, 3 (extended flags) and 4 (prefix-compressed paths),
 * SHA-1 and SHA-256 repositories (extensions.objectFormat in
 * .git/config).  What is kept: each path once (the stages of a conflict
 * are one path), with its mode, in git's order (bytes).
 *
 * Three outcomes, so that a caller never lists a wrong set of files
 * silently:
 *   - PA_OK: *out holds the index's paths;
 *   - PA_ERR_NOT_FOUND: no index to use, the walk is the answer; with
 *     err->message empty when there is simply none (no .git directory, a
 *     repository with nothing added), else why it is not used (a sparse
 *     checkout's skip-worktree entries, a split index, a sparse index, a
 *     .git that is a file or a link: git's directory is elsewhere, and
 *     nothing outside the repository is read), for a warning;
 *   - any other status: the index is broken or over a limit, with the
 *     file and the byte offset in err.
 * The checksum at the end is not checked: git itself checks it only in
 * fsck (read-cache.c's verify_index_checksum), and writes zeros there
 * with index.skipHash; every field is bounds-checked whatever it says.
 */
#ifndef PA_UTIL_GITINDEX_H
#define PA_UTIL_GITINDEX_H

#include "promptasm.h"

#define PA_GITINDEX_MAX_BYTES ((size_t)1 << 30) /* an index file, read whole */
#define PA_GITINDEX_MAX_PATH 4096               /* bytes of one path */
/* The paths of an index together, in bytes, at most this many times the
 * file's size plus PA_GITINDEX_MAX_PATH: a version 4 entry can keep up to
 * 4 KB of the path before it, so 20,000 entries of 64 bytes would
 * otherwise expand to 80 MB.  Real indexes stay far below: an entry is at
 * least 64 bytes, so a factor of 16 needs paths of 1 KB on average.
 * Past it the index is refused (PA_ERR_TOO_LARGE) rather than cut. */
#define PA_GITINDEX_PATH_FACTOR 16

/* git's modes of an entry (the index's mode field, S_IFMT part). */
#define PA_GITINDEX_FILE 0100000u    /* a file: 0100644 or 0100755 */
#define PA_GITINDEX_LINK 0120000u    /* a symbolic link */
#define PA_GITINDEX_GITLINK 0160000u /* a submodule's commit */

typedef struct Pa_gitindex {
	char **paths;     /* `/`-separated, from the root; borrowed from arena */
	unsigned *modes;  /* the mode's S_IFMT part, one of the above */
	size_t n;
	char *arena;      /* the paths' bytes */
} Pa_gitindex;

/* The index held in data (len bytes, a file's whole content), whose
 * object names are hash_len bytes (20 SHA-1, 32 SHA-256), of at most
 * max_entries entries; name is what errors call it.  Outcomes as above;
 * on PA_OK the caller frees *out with Pa_gitindex_free(). */
pa_status Pa_gitindex_parse(const unsigned char *data, size_t len,
                            size_t hash_len, size_t max_entries,
                            const char *name, Pa_gitindex **out,
                            pa_error *err);

/* The index of the repository whose git directory is dotgit (its top's
 * .git, which must be a directory, not a link or a file), read within
 * PA_GITINDEX_MAX_BYTES.  Its 12-byte header is checked before the rest
 * is read: a file that is not an index costs no memory. */
pa_status Pa_gitindex_load(const char *dotgit, size_t max_entries,
                           Pa_gitindex **out, pa_error *err);

void Pa_gitindex_free(Pa_gitindex *ix); /* NULL does nothing */

/* Adds to dirs each directory holding a path of ix (`a/b` for `a/b/c`,
 * without a trailing `/`; the root is not one). */
void Pa_gitindex_add_dirs(const Pa_gitindex *ix, Pa_strset *dirs);

#endif
