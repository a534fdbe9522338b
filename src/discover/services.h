/*
 * services.h - what the discover stage's modules share, whichever CLI
 * they read for: text and path helpers, the roots (paths.c), the places
 * of a working directory and the walks, the warnings, and every CLI's
 * configuration files through one loader (cfgfile.c); the other CLIs'
 * model (harness.h) and the frontmatter reader come with it.  The
 * backends (codex.c, gemini.c ...) include this header and no other of
 * Claude Code's (tests/suites/run-layers.sh); Claude Code's own model
 * is claude_code.h, and the layer's face for the layers above is
 * discover.h, which brings in both.  Not installed.
 *
 * Ownership: as discover.h says.
 */
#ifndef PA_SERVICES_H
#define PA_SERVICES_H

#include "base/base.h"
#include "frontmatter.h" /* the one reader of YAML frontmatter */
#include "harness.h" /* the other agent CLIs: their own models */

#include <sys/stat.h>

/* Turns CRLF into LF in place. */
void Pa_text_normalize_newlines(pa_buf *b);
/* Start and length of text without surrounding white space.  Returns how
 * many lines the start lost (the newlines removed before the text). */
size_t Pa_text_trim(const char **s, size_t *len);

/* Paths as strings (Pa_path_join() ...): base/pathname.h. */
/* How a path is shown: relative to root when under it, else ~/... when
 * under home, else as is.  Caller frees. */
char *Pa_path_display(const char *path, const char *root, const char *home);

/* The line map of text that starts at line `first` of its file and runs
 * on without a gap.  Caller frees with pa_free(); *n is its length. */
long *Pa_lines_from(long first, const char *text, size_t len, size_t *n);

/* repo's `.git` (a directory, or a worktree's file): what is found at a
 * repository root found by the one root rule (paths.c alone looks for
 * `.git`: tests/suites/run-setup.sh).  Caller frees. */
char *Pa_repository_dotgit(const char *repo);

/* ---- the roots (paths.c): every rule of where a project begins ----
 * Each marker is looked at once per cache c (NULL: each call looks). */

/* The repository root of dir (pa_repository_root()'s rule: the nearest
 * directory, dir included, holding .git), dir resolved first; *out NULL
 * when there is none.  Caller frees *out. */
pa_status Pa_root_repository(pa_harness_cache *c, const char *dir, char **out,
                             pa_error *err);
/* Codex's project_root_markers: the nearest directory from real up
 * holding one of markers (file names; another entry is passed over), or
 * NULL.  Caller frees. */
char *Pa_root_markers(pa_harness_cache *c, const char *real,
                      char *const *markers, size_t n);
/* 1 when repo's .git is a directory of its own (not a worktree's file,
 * not a link): where .git/info/exclude and the index are. */
int Pa_repository_gitdir(pa_harness_cache *c, const char *repo);


/* The places of one composition (below). */
typedef struct Pa_places Pa_places;

/* Every regular file ending in `.md` under dir, at any depth, as sorted
 * paths under dir.  A symbolic link (dir itself included) is followed
 * when what it leads to lies under `confine` (a directory already walked
 * is not walked again), and skipped with a warning when it leads out.
 * The walk reads at most pa_walk_limit() directory entries and
 * PA_WALK_MAX_DEPTH levels below dir, with a warning when it stops.
 * Warnings show paths as pl does.  A missing dir gives none. */
void Pa_find_md_files(const char *dir, const char *confine,
                      const Pa_places *pl, pa_warnings *warn, char ***files,
                      size_t *n);
/* The same, each directory listed through cache (the run's listings,
 * harness_cache.c; NULL: read here), and with PA_MD_SKIP_HIDDEN in flags
 * a file or directory whose name begins with `.` below dir left out (as
 * Copilot CLI's walks do: copilot-instructions-hidden.txt). */
#define PA_MD_SKIP_HIDDEN 1
void Pa_find_md_files_opt(const char *dir, const char *confine,
                          const Pa_places *pl, pa_harness_cache *cache,
                          int flags, pa_warnings *warn, char ***files,
                          size_t *n);
/* That walk made once per cache c (harness_cache.c) for the same dir,
 * confine, flags and pl's root and home: each load gets a copy of its
 * files (the caller frees them with Pa_strings_free()) and of its
 * warnings (`check` loads a CLI once per start directory).  NULL c: the
 * walk itself. */
void Pa_hx_md_files(pa_harness_cache *c, const char *dir, const char *confine,
                    const Pa_places *pl, int flags, pa_warnings *warn,
                    char ***files, size_t *n);
/* What the symbolic links of a directory walk at `dir` may lead to: the
 * project root when dir is in it, else the repository root when dir is in
 * it (home, when home lies inside the repository and dir in home), else
 * home when dir is in it, else dir. */
const char *Pa_places_confine(const Pa_places *pl, const char *dir);

/* Why a file of the loading order (a CLAUDE.md, CLAUDE.local.md, MEMORY.md,
 * SKILL.md, ...) at path, whose real path is real, may not be read; NULL
 * when it may.  A file whose real path leaves the place path lies in (the
 * project root, else the repository root, else home, else path's own
 * directory, as Pa_places_confine() picks: a symbolic link, of
 * the file or of a directory above it) is read only when `approved` (the
 * approval of imports); nothing under /proc, /sys or /dev ever is. */
const char *Pa_places_refusal(const Pa_places *pl, const char *path,
                              const char *real, int approved);
/* 1 when real lies under /proc, /sys or /dev, which are never read. */
int Pa_path_is_system(const char *real);

/* The resolved places of one composition. */
struct Pa_places {
	char *cwd;   /* real path of the working directory */
	char *root;  /* the project root, by the one rule of pa_project_root() */
	char *repo;  /* the repository root: nearest .git, else root */
	int in_repo; /* 1 when a .git was found (repo is not root's stand-in) */
	char *main_repo; /* in a linked worktree the main repository's root,
	                  * else repo (Pa_repository_main(), decided once) */
	char *home;  /* real path of HOME, or NULL */
	char *user;  /* the user's Claude directory (CLAUDE_CONFIG_DIR, else
	              * ~/.claude), or NULL without either */
	/* Claude Code's configuration for these places (below): borrowed
	 * from the options' cache, else owned. */
	const struct Pa_cc_config *cc;
	struct Pa_cc_config *cc_owned;
};

/* ---- discovery ---- */

/* Resolves the places of opt and discovers the configuration there (or
 * borrows what opt->cache holds for them).  What discovery warns is kept
 * in the model (Pa_cc_config.warn), for compose to give once. */
pa_status Pa_places_init(Pa_places *pl, const pa_compose_options *opt,
                         pa_error *err);
/* Only the places, without reading any configuration: for what needs a
 * path and nothing else (pl->cc is then an empty model).  Resolved once
 * per compose cache (the walks up for .git and .claude, realpath of cwd
 * and home), then copied from it. */
pa_status Pa_places_resolve(Pa_places *pl, const pa_compose_options *opt,
                            pa_error *err);
/* The same, resolved every time (paths.c: the one root rule of
 * pa_project_root()). */
pa_status Pa_places_find(Pa_places *pl, const pa_compose_options *opt,
                         pa_error *err);
void Pa_places_release(Pa_places *pl);

/* What a compose cache (pa_compose_options.cache) keeps: the model, each
 * part discovered when first asked for. */
struct pa_compose_cache {
	struct Pa_places *places;         /* resolved once (cc NULL); NULL
	                                   * until resolved */
	struct Pa_cc_config *cc;          /* NULL until discovered */
	struct Pa_cc_instructions *files; /* the instruction files, NULL
	                                   * until discovered */
	struct Pa_cc_auto_memory *auto_memory; /* NULL until discovered */
	struct Pa_memory_files *memory;   /* agents' MEMORY.md read so far */
	pa_harness_cache *texts;          /* the instruction files' bytes, by
	                                   * real path, shared with the other
	                                   * CLIs' loads (pa_compose_cache_harness()) */
};
/* Frees what the cache keeps of discovery. */
void Pa_compose_cache_discovery_free(pa_compose_cache *c);

/* ---- warnings ---- */

/* Adds a warning about `path` (as shown; may be NULL) at `line` (0 when
 * unknown).  The message is the whole line a program prints. */
void Pa_warn_at(pa_warnings *w, const char *path, long line,
                const char *fmt, ...) PA_PRINTF(4, 5);
/* Adds a PA_WARNING_AGENT_SKIPPED warning: the agent file `path` (as
 * shown) was left out, for `reason`, found at line and column (0 when
 * unknown).  Its message is `skipped PATH:LINE:COLUMN: REASON`. */
void Pa_warn_agent_skipped(pa_warnings *w, const char *path, long line,
                           long column, const char *reason);
/* Adds a PA_WARNING_INCOMPLETE warning: what lies at `path` (as shown)
 * was not read, for `reason`.  Its message is `PATH: not read: REASON`. */
void Pa_warn_incomplete(pa_warnings *w, const char *path, const char *reason);
/* The same, found at a line of path (0: none): `PATH:LINE: not read:
 * REASON` (an @import refused: its importing file and line). */
void Pa_warn_incomplete_at(pa_warnings *w, const char *path, long line,
                           const char *reason);
/* Appends a copy of every warning of `from` to w (NULL: none). */
void Pa_warnings_add_copies(pa_warnings *w, const pa_warnings *from);

/* ---- configuration files (cfgfile.c) ----
 *
 * Every CLI's configuration files through one loader, each read as
 * its program reads it: the file of each program holds its rule. */
/* What a program does with a file missing, unreadable (too large
 * included) or not parsing: takes it as absent, the same with a warning,
 * or refuses to start (an error). */
enum { PA_CFG_QUIET, PA_CFG_WARN, PA_CFG_REFUSE };
/* How a file is written: JSON, JSON with comments and trailing commas
 * (opencode's), TOML (Codex's); JSON that its program keeps as a store
 * and lets grow (PA_JSON_MANY_VALUES: ~/.claude.json); or JSON with
 * comments and no trailing comma (Gemini CLI's and Qwen Code's, whose
 * strip-json-comments leaves a comma to JSON.parse). */
enum { PA_CFG_JSON, PA_CFG_JSONC, PA_CFG_TOML, PA_CFG_JSON_STORE,
       PA_CFG_JSON_COMMENTS };
/* How one program takes one of its files, measured on the version its
 * row names: data of the file that reads it (codex.c's config.toml,
 * settings.c's settings files ...), given to the loader by address (a
 * rule is its own kind: the cache keeps a file per rule). */
typedef struct Pa_cfg_rule {
	const char *what;        /* the file's name */
	const char *program;     /* who reads it, for messages */
	size_t limit;            /* bytes read at most */
	unsigned char bom;       /* 1: a byte order mark is skipped; 2: it
	                          * makes the file invalid */
	unsigned char missing;   /* PA_CFG_QUIET ... */
	unsigned char unreadable;
	unsigned char invalid;
	unsigned char format;    /* PA_CFG_JSON ... */
} Pa_cfg_rule;
#define PA_CFG_MiB (1024UL * 1024)
/* One JSON file read: root, its tree (NULL: missing, or taken as
 * absent), borrowed from the cache or owned (own, freed by
 * Pa_cfg_json_release()). */
typedef struct Pa_cfg_json {
	const struct Pa_jnode *root;
	struct Pa_jnode *own;
	/* A file there that could not be read (too large for its limit, not
	 * a regular file, no permission) and that its program's rule takes
	 * as absent: why (static text), for the caller to mark the request
	 * incomplete, as the program reads what promptasm did not; NULL for
	 * a file read or missing. */
	const char *unread;
} Pa_cfg_json;
/* Reads path as rule says (shown names it in warnings and errors): once
 * per cache when cache is not NULL (the tree then shared), the rule
 * applied on each call.  PA_OK, or the error of a file its program
 * refuses. */
pa_status Pa_cfg_json_read(const Pa_cfg_rule *rule, const char *path,
                           const char *shown, pa_harness_cache *cache,
                           Pa_cfg_json *out, pa_warnings *warn, pa_error *err);
void Pa_cfg_json_release(Pa_cfg_json *j);
/* For a program that stops at a settings file whose value is not an
 * object (Gemini CLI's and Qwen Code's "not a valid JSON object"): the
 * error at that value of j, read from shown; PA_OK for an object or no
 * file. */
pa_status Pa_cfg_json_need_object(const Pa_cfg_json *j, const char *shown,
                                  pa_error *err);
/* JSON with comments (opencode's) made strict JSON in place: each comment
 * and each comma before a closing brace or bracket made blanks, so that
 * lines and columns stay those of the text. */
void Pa_cfg_blank_jsonc(char *t, size_t n);
/* The same for the comments alone (PA_CFG_JSON_COMMENTS): a trailing
 * comma stays, for the strict reader to refuse. */
void Pa_cfg_blank_comments(char *t, size_t n);
/* The same for a TOML file: each key of its top-level table to cb, in
 * order (*found set), when it is there and parses. */
pa_status Pa_cfg_toml_read(const Pa_cfg_rule *rule, const char *path,
                           const char *shown, pa_harness_cache *cache,
                           hx_toml_cb cb, void *ctx, int *found, pa_error *err);

/* For the other agent CLIs (harness_read.c). */
/* A configuration file of the CLI at path, shown as shown, read by the
 * one loader (cfgfile.c) by its rule: a file of the project (under the root,
 * not in home) whose real path leaves the project is refused (an entry
 * by Pa_hx_add_refused(), never read: out is then empty); a file there is
 * noted as an input (pa_harness_input_at()) when read, whether or not it
 * sets anything.  A file there that its program reads and promptasm
 * cannot (Pa_cfg_json.unread: over the limit, not a regular file) is an
 * entry refused the same way: only a file that does not exist is
 * absent. */
pa_status Pa_hx_cfg_json(hx_found *f, const Pa_cfg_rule *rule, const char *path,
                         const char *shown, Pa_cfg_json *out, pa_error *err);
pa_status Pa_hx_cfg_toml(hx_found *f, const Pa_cfg_rule *rule, const char *path,
                         const char *shown, hx_toml_cb cb, void *ctx,
                         int *found, pa_error *err);


#endif
