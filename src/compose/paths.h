/*
 * paths.h - paths, directory walks, the places a composition reads (the
 * working directory, the project root, the home directory), and the text
 * clean-ups every loaded file gets.  Not installed.
 */
#ifndef PA_PATHS_H
#define PA_PATHS_H

#include "base/base.h"

/* Turns CRLF into LF in place. */
void pa_text_normalize_newlines(pa_buf *b);
/* Start and length of text without surrounding white space.  Returns how
 * many lines the start lost (the newlines removed before the text). */
size_t pa_text_trim(const char **s, size_t *len);

/* Joins dir and name with one `/`.  Caller frees with pa_free(). */
char *pa_path_join(const char *dir, const char *name);
/* Makes path absolute (against cwd) and removes `.`, `..` and repeated
 * slashes, without touching the file system.  Caller frees. */
char *pa_path_normalize(const char *cwd, const char *path);
/* The directory part of path ("/" for "/x"). Caller frees. */
char *pa_path_dirname(const char *path);
/* If path is dir or under it, the rest ("" for dir itself), else NULL.
 * Borrowed from path. */
const char *pa_path_under(const char *path, const char *dir);
/* How a path is shown: relative to root when under it, else ~/... when
 * under home, else as is.  Caller frees. */
char *pa_path_display(const char *path, const char *root, const char *home);

/* The places of one composition (below). */
typedef struct pa_places pa_places;

/* Every regular file ending in `.md` under dir, at any depth, as sorted
 * paths under dir.  A symbolic link (dir itself included) is followed
 * when what it leads to lies under `confine` (a directory already walked
 * is not walked again), and skipped with a warning when it leads out.
 * The walk reads at most PA_WALK_MAX_ENTRIES directory entries and
 * PA_WALK_MAX_DEPTH levels below dir, with a warning when it stops.
 * Warnings show paths as pl does.  A missing dir gives none. */
void pa_find_md_files(const char *dir, const char *confine,
                      const pa_places *pl, pa_warnings *warn, char ***files,
                      size_t *n);
/* What the symbolic links of a directory walk at `dir` may lead to: the
 * project root when dir is in it, else the repository root when dir is in
 * it (home, when home lies inside the repository and dir in home), else
 * home when dir is in it, else dir. */
const char *pa_places_confine(const pa_places *pl, const char *dir);
void pa_strings_free(char **s, size_t n);

/* Why a file of the loading order (a CLAUDE.md, CLAUDE.local.md, MEMORY.md,
 * SKILL.md, ...) at path, whose real path is real, may not be read; NULL
 * when it may.  A file whose real path leaves the place path lies in (the
 * project root, else the repository root, else home, else path's own
 * directory, as pa_places_confine() picks: a symbolic link, of
 * the file or of a directory above it) is read only when `approved` (the
 * approval of imports); nothing under /proc, /sys or /dev ever is. */
const char *pa_places_refusal(const pa_places *pl, const char *path,
                              const char *real, int approved);
/* 1 when real lies under /proc, /sys or /dev, which are never read. */
int pa_path_is_system(const char *real);

/* The resolved places of one composition. */
struct pa_places {
	char *cwd;   /* real path of the working directory */
	char *root;  /* the project root: nearest .git or .claude/ */
	char *repo;  /* the repository root: nearest .git, else root */
	int in_repo; /* 1 when a .git was found (repo is not root's stand-in) */
	char *home;  /* real path of HOME, or NULL */
	char *user;  /* the user's Claude directory (CLAUDE_CONFIG_DIR, else
	              * ~/.claude), or NULL without either */
};

pa_status pa_places_init(pa_places *pl, const pa_compose_options *opt,
                         pa_error *err);
void pa_places_release(pa_places *pl);

#endif
