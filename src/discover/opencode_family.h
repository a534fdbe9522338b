/*
 * opencode_family.h - what opencode (opencode.c) and its fork Kilo Code
 * (kilo.c) read alike, written once: the `model` and `instructions` of
 * their configurations, merged each over those before, and the files
 * `instructions` names, globs and all.  What differs between the two is
 * the parameters (hx_oc_family): the words of their messages and how a
 * file is added (Kilo Code refuses a file of the project that names a
 * variable).  Not installed; included by those two backends alone.
 *
 * Ownership: the merged list (instr, from_user) is the caller's; free
 * the entries with Pa_strings_free() and from_user with pa_free().
 */
#ifndef PA_OPENCODE_FAMILY_H
#define PA_OPENCODE_FAMILY_H

#include "services.h"

/* Adds dir/name, of the instruction file at full (dir/name, as the
 * entry or glob gave it), as the CLI adds one: global, of the user's
 * (else of the project's); confine, the directory a user's file outside
 * home is held to (else NULL). */
typedef void (*hx_oc_add_fn)(hx_found *f, const char *full, const char *dir,
                             const char *name, int global, const char *confine,
                             pa_warnings *warn);

/* One CLI of the family. */
typedef struct hx_oc_family {
	const Pa_cfg_rule *rule;   /* how its configuration files are read */
	const char *model_from;    /* static: a file's model is from it
	                            * ("opencode.json") */
	const char *outside;       /* static: the reason of a project's entry
	                            * naming a file outside the project */
	const char *glob_limit;    /* static: the reason when the glob tests
	                            * pass HX_OC_GLOB_MAX_BYTES */
	hx_oc_add_fn add;
} hx_oc_family;

/* The bytes of paths matched against globs in one load at most: a
 * relative glob is tried in every directory from the working directory
 * up (1,000 entries, 256 levels and 10,000 files would be billions of
 * tests, each as long as its path); past it the load is incomplete.  A
 * limit of promptasm's: about a second of work. */
#define HX_OC_GLOB_MAX_BYTES (PA_LOAD_MAX_FILES * 5000UL)
/* The entries of one configuration's `instructions` read at most; past
 * them the load is incomplete. */
#define HX_OC_MAX_INSTRUCTIONS 1000
#define HX_OC_MAX_INSTRUCTIONS_TEXT "1,000"


/* What one configuration sets that the request shows: its `model` (from
 * names it: a file shown, or a variable), over those before; its
 * `instructions` (strings not empty, the first 1,000) appended to
 * *instr. */
void Pa_hx_oc_apply(hx_found *f, const Pa_jnode *root, const char *from,
                    const char *shown, char ***instr, size_t *ninstr);
/* `model` of the configuration file p, when it has one; its
 * `instructions` (the project's: files and globs relative to it) into
 * *instr.  Its status: a file that does not parse stops the CLI. */
pa_status Pa_hx_oc_read_model(hx_found *f, const hx_oc_family *fam,
                              const char *p, char ***instr, size_t *ninstr,
                              pa_error *err);
/* The entries of one configuration (mine) appended to the merged list,
 * each entry once (seen), with user (1: the user's own file, whose
 * entries may name any file) in *from_user; none under f->no_user from
 * the user's file (it gives its model, no file). */
void Pa_hx_oc_merge(hx_found *f, char **mine, size_t nm, int user,
                    char ***instr, int **from_user, size_t *n, Pa_strset *seen);
/* One configuration file read: its model over those before, its
 * instructions merged (Pa_hx_oc_merge).  user: the user's own file (the
 * global one, or one a variable names, when it lies outside the project:
 * a file of the repository stays the repository's words, whoever names
 * it). */
pa_status Pa_hx_oc_read_config(hx_found *f, const hx_oc_family *fam,
                               const char *path, int user, char ***instr,
                               int **from_user, size_t *n, Pa_strset *seen,
                               pa_error *err);
/* The files the merged `instructions` name, after the project's files: a
 * relative path or glob looked up in every directory from the working
 * directory up to the root, nearest first; `~/` and an absolute path, of
 * the user's configuration alone, a glob in its last part.  A URL is
 * fetched by the CLI, not counted here.  What a project's file names
 * outside the project is an entry refused, not read.  no_project (the
 * project's configuration off): a relative entry is looked up in conf,
 * the user's configuration folder, alone. */
void Pa_hx_oc_instructions(hx_found *f, const hx_oc_family *fam, char **instr,
                           const int *user, size_t n, const char *conf,
                           int no_project, pa_warnings *warn);

#endif
