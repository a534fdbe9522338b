/*
 * settings.h - the Claude Code settings files that change what an agent
 * receives, read as Claude Code reads them.  Not installed.
 *
 * Files, lowest precedence first: the user's (settings.json in the user's
 * Claude directory), the project's and the local ones (.claude/settings.json
 * and .claude/settings.local.json of the working directory, not of the
 * repository's root), the managed one (managed-settings.json beside the
 * managed policy file).  A file that is not strict JSON (a comment, a
 * trailing comma) is ignored whole, with a warning; a byte order mark is
 * allowed.  What is read (measured on Claude Code 2.1.332, tests/oracle/
 * fixtures settings-* and automem-*):
 *
 *   claudeMdExcludes     globs or absolute paths of instruction files not
 *                        to load; the lists of every file add up.  Matched
 *                        against a file's absolute path, `*` matching dot
 *                        files too; a relative pattern matches nothing.
 *                        Managed files are never excluded, and neither are
 *                        what only an excluded file imports loaded.
 *   autoMemoryEnabled    false turns auto memory off.
 *   autoMemoryDirectory  where auto memory lives (`~/` is the home).
 *   claudeMd             (managed file only) instructions sent after the
 *                        managed CLAUDE.md.
 * For the last three the file of highest precedence that sets one wins.
 */
#ifndef PA_SETTINGS_H
#define PA_SETTINGS_H

#include "paths.h"
#include "prompt.h"

typedef struct pa_cc_settings {
	char **excludes;      /* claudeMdExcludes of every file */
	char **exclude_from;  /* the file (shown) each pattern came from */
	size_t n_excludes;
	int auto_memory;      /* -1 unset, 0 off, 1 on */
	char *auto_memory_dir; /* absolute, or NULL */
	char *auto_memory_dir_from; /* the file (shown) that set it */
	char *policy_text;    /* the managed claudeMd, or NULL */
	char *policy_from;    /* the managed settings file, absolute */
} pa_cc_settings;

/* Reads the settings files of a composition into s (every field empty
 * when none exists).  User settings are skipped with opt->no_user, the
 * managed ones with opt->no_managed. */
void pa_cc_settings_load(pa_cc_settings *s, const pa_compose_options *opt,
                         const pa_places *pl, pa_warnings *warn);
void pa_cc_settings_release(pa_cc_settings *s);

/* The pattern that excludes the file at absolute path `path`, or NULL;
 * *from (may be NULL) gets the settings file it came from.  Borrowed. */
const char *pa_cc_settings_excludes(const pa_cc_settings *s, const char *path,
                                    const char **from);

#endif
