/*
 * harness.h - the agent CLIs of the table (backend.h): the model their
 * backends discover, read once
 * for a working directory, that composition only reads.  Not installed;
 * included by services.h; the library's face is promptasm.h's
 * pa_harness_*.
 *
 * Discovery (one file per CLI, each with its row of the table;
 * harness_read.c, what they share) fills
 * an hx_found: the configuration values the CLI honours and the candidate
 * files, each read once, in the order the CLI reads them.  The row's
 * compose function then sets what of each is sent, and
 * src/compose/harness.c turns the model into pa_harness_file records with
 * the measured figures (harness_figures.inc, made by
 * tests/oracle-harness/gen-figures.mjs).  No backend reads another's
 * rules, and none is Claude Code's path.  The environment is the one the
 * options carry (Pa_env_get(), util.h), never getenv().
 *
 * Ownership: an hx_found owns every string and text it holds; free with
 * Pa_hx_found_release().
 */
#ifndef PA_HARNESS_H
#define PA_HARNESS_H

#include "base/base.h"
#include "backend.h" /* the table of agent CLIs */
#include "base/yamltree.h"

/* Where a file's text goes in the request. */
enum { HX_IN_SYSTEM = 0, HX_IN_USER = 1 };

typedef struct hx_file {
	char *path;        /* absolute, as found (a link's own path) */
	char *real;        /* its real path (read files), or NULL */
	char *shown;       /* relative to the project root, or ~/..., or as is */
	char *dir;         /* the directory it is the file of (absolute) */
	pa_buf text;       /* the bytes read */
	int read;          /* 1: read; 0: refused (reason says why) */
	const char *reason;/* static text: why it was not read */
	int global;        /* from HOME: the user's file */
	int listed;        /* Copilot: named by path only, not sent */
	char *apply_to;    /* Copilot: the applyTo value, or NULL */
	int depth;         /* import depth (Gemini): 0 for a file found */
	char *parent;      /* the importing file (shown), or NULL */
	unsigned char in;  /* HX_IN_* */
	char *frame;       /* the CLI's frame of it when it names it, or NULL */
	int trim;          /* sent without the white space around it (Qwen
	                    * Code trims each file it frames) */
	int skill;         /* a skill the CLI lists (pi): as_sent holds its
	                    * entry, built from its fields, not its text */
	/* Set by composition. */
	size_t skip;       /* bytes left out at the start (a byte order mark) */
	size_t replaced;   /* bytes of its @import lines, replaced by the files */
	size_t sent;       /* bytes of text sent, after skip */
	int dropped;       /* over a budget: nothing sent */
	int empty;         /* only white space: skipped */
	int duplicate;     /* 1 + the index of an earlier file of the same text */
	int cut;           /* 1: sent cut short (a byte cap) */
	/* The @imports replaced (harness_import.c), in order: offsets in
	 * text; as_sent, the text as sent without them (Pa_hx_sent_text()).
	 * file: 1 + the index of the file the CLI sends in its place (the
	 * model reads it there: Gemini CLI's and Qwen Code's imports; a span
	 * of no bytes after a Copilot mention), or 0 (nothing, or a comment
	 * of the CLI's); sent_at, where it falls in as_sent */
	struct hx_span { size_t at, len, file, sent_at; } *spans;
	size_t nspans;
	pa_buf as_sent;
} hx_file;

/* One CLI's view of a working directory. */
typedef struct hx_found {
	const Pa_cli_backend *backend; /* the CLI's row */
	pa_harness_cache *cache; /* the options', or NULL (borrowed) */
	char *cwd;         /* real path of the working directory */
	char *root;        /* the project root: the nearest .git, else cwd */
	int in_repo;       /* 1 when a .git was found */
	char *home;        /* real path of HOME, or NULL */
	char *model;       /* from the CLI's configuration, or NULL */
	const char *model_from; /* static: where the model came from */
	long long max_bytes;    /* the backend's byte_cap (-1: none) */
	const char *max_bytes_from;
	char *config;      /* the configuration file read (shown), or NULL */
	char *config_text; /* text sent from the configuration (Codex's
	                    * developer_instructions) or drawn of the
	                    * project (Gemini's directory tree), or NULL */
	size_t config_text_len; /* its bytes: a NUL in it is sent too */
	char *config_text_from; /* its setting's name, with config_text */
	char **names;      /* the instruction file names it looks for */
	size_t n_names;
	hx_file *files;    /* in the order the CLI reads them */
	size_t n;
	char **unread;     /* instruction files present that it never reads (shown) */
	size_t n_unread;
	size_t loaded;     /* bytes of all its files read (copies included),
	                    * at most PA_INSTRUCTIONS_TOTAL_MAX_BYTES */
	int full;          /* 1: PA_LOAD_MAX_FILES files: no more added */
	int no_user;       /* pa_harness_options.no_user: nothing the
	                    * user's level adds (its files, what its
	                    * configuration names) is read */
	int no_ancestors;  /* pa_harness_options.no_ancestors: no directory
	                    * above root is read */
	int trust;         /* pa_harness_options.trust: the user trusts
	                    * the project (a CLI's own trust setting aside) */
	int approve_links; /* pa_harness_options.approve_links: a file
	                    * whose link leads out of its place is read */
	int own_replaced;  /* 1: a file of the project replaces the CLI's own
	                    * prompt (pi's SYSTEM.md): its measured own text
	                    * is not sent */
	size_t identity;   /* index + 1 of the file in place of the first
	                    * sentences of its own prompt (Qwen's
	                    * QWEN_SYSTEM_IDENTITY_MD), read; 0: none */
	int own_part;      /* 1: a part of its own text (own_part_tokens of
	                    * its figures) is replaced: by the identity
	                    * file, or by config_text (pi's PI_PACKAGE_DIR) */
	const char *variant; /* (static) the variant of its own text a
	                      * variable chooses (Qwen's
	                      * QWEN_CODE_TOOL_CALL_STYLE: which examples of
	                      * tool calls it holds), or NULL: the one its
	                      * figures were measured with */
	pa_warnings *warn; /* the load's (borrowed): for the readers that
	                    * refuse a configuration file */
	Pa_strset paths;   /* every path of files[] (x->path) */
	Pa_strset reals;   /* real path -> index + 1 of the first file read */
	char **inputs;     /* every file read, instruction or configuration,
	                    * absolute, each once (pa_harness_input_at()) */
	size_t n_inputs;
	Pa_strset input_set;
	Pa_strset texts;   /* Copilot: a key of each text sent -> index + 1
	                    * (a file of the same bytes is not sent again) */
} hx_found;

/* ---- discovery, shared (harness_read.c) ---- */

/* Starts f for backend b: the working directory, the root, home (opt's,
 * else HOME of opt->env). */
pa_status Pa_hx_found_init(hx_found *f, const Pa_cli_backend *b,
                           const pa_harness_options *opt, pa_error *err);
void Pa_hx_found_release(hx_found *f);
/* Appends the file at dir/name when it exists (a regular file, or a link
 * to one that stays inside the project root, or inside home for a global
 * file); a link that leads out, or a file too large, is added unread with
 * the reason.  Returns the entry or NULL when there is nothing there. */
hx_file *Pa_hx_add_file(hx_found *f, const char *dir, const char *name,
                     int global, pa_warnings *warn);
/* As Pa_hx_add_file() for a file of the project's (not global), held to
 * `confine` instead of the root: a file above the repository to its own
 * directory, an import to the root its CLI allows.  Every file goes
 * through here: a file already read in this run is not opened again (its
 * text is copied: a CLI that sends one file twice sends it twice), the
 * files together hold at most PA_INSTRUCTIONS_TOTAL_MAX_BYTES and there
 * are at most PA_LOAD_MAX_FILES of them (past either, a file is added
 * unread, with a warning). */
hx_file *Pa_hx_add_file_held(hx_found *f, const char *dir, const char *name,
                             const char *confine, pa_warnings *warn);
/* The file a variable names to replace the CLI's own system prompt
 * (GEMINI_SYSTEM_MD, QWEN_SYSTEM_MD; both CLIs read it alike): the value
 * trimmed; empty, "0" or "false": none; "1" or "true": dotdir/system.md
 * of the working directory; "~" or "~/..." under home; else a path
 * against the working directory.  The file is added first, sent whole
 * in the system message with no frame, and sets own_replaced.  One
 * outside the repository is the user's environment, held to its own
 * directory (and not read with no_user).  A variable naming no file
 * stops the CLI: a warning says so.  Returns the entry or NULL. */
hx_file *Pa_hx_system_md(hx_found *f, const pa_harness_options *opt,
                         const char *var, const char *dotdir,
                         pa_warnings *warn);
/* The file a variable names to take the place of the first sentences of
 * the CLI's own prompt (QWEN_SYSTEM_IDENTITY_MD), read as
 * Pa_hx_system_md() reads its file but for "1" and "true", which name
 * none; sets f->identity and f->own_part when it is read and holds more
 * than white space (else a warning: the CLI stops).  Returns the entry
 * or NULL. */
hx_file *Pa_hx_identity_md(hx_found *f, const pa_harness_options *opt,
                           const char *var, pa_warnings *warn);
/* Appends a file another discovery has read by its CLI's own rules
 * (Claude Code's instruction files, read once with their imports): path
 * absolute, its text as the CLI sends it.  Noted as an input. */
hx_file *Pa_hx_add_read(hx_found *f, const char *path, const char *shown,
                        const char *text, size_t len);
/* An entry of f for a file that is not read, with the reason (static
 * text) and a warning: a file outside the project a configuration
 * names, a limit that stopped a walk or a load.  Every such entry makes
 * the request incomplete (pa_harness_file.unread), so `check` fails
 * closed.  shown: how it is named (copied). */
hx_file *Pa_hx_add_refused(hx_found *f, const char *path, const char *shown,
                           const char *reason, pa_warnings *warn);
/* Whether m, the model a configuration (shown as conf) names, is a
 * string promptasm can count for; else the request is incomplete
 * (Pa_hx_add_refused): a name holding a NUL character (the CLI sends it
 * whole; as a C string it was counted for what came before the NUL), or
 * one longer than PA_MODEL_NAME_MAX (every row of a report names it).
 * 0 too when m is no string, without a word. */
int Pa_hx_model_usable(hx_found *f, const Pa_jnode *m, const char *conf);
/* Records path (absolute, or made so against f->cwd) as a file the load
 * read, once. */
void Pa_hx_note_input(hx_found *f, const char *path);
/* The files of the walk Pa_find_md_files_opt() makes, each directory
 * listed through f->cache (flags: PA_MD_SKIP_HIDDEN), for a CLI: when the
 * walk stopped at a limit, an entry naming dir is refused
 * (Pa_hx_add_refused) so that the request is incomplete.  What the walk
 * skips the CLI reads: a .md link that leads out of the project is among
 * *files (the caller's filter says whether the CLI reads it,
 * Pa_hx_add_file() refuses it), a directory link out, a FIFO or a device
 * is refused here. */
void Pa_hx_find_md_files(hx_found *f, const char *dir, int flags,
                         pa_warnings *warn, char ***files, size_t *n);
/* The same, links held to confine (home for the user's files, a
 * directory the user named for its own) instead of the root. */
void Pa_hx_find_md_files_in(hx_found *f, const char *dir, const char *confine,
                            int flags, pa_warnings *warn, char ***files,
                            size_t *n);
/* The index + 1 of the file of f found (not imported: depth 0) whose
 * real path is that of dir/name, or 0 (dir/name is resolved, not
 * opened). */
size_t Pa_hx_find_real(const hx_found *f, const char *dir, const char *name);
/* 1 when dir/name exists (as any kind of file, or a link). */
int Pa_hx_exists(const char *dir, const char *name);
/* The directories from the root down to the working directory, root
 * first.  Caller frees with Pa_strings_free(). */
char **Pa_hx_chain(const hx_found *f, size_t *n);
/* Records the files of f->backend->others that it never reads (not in
 * f->names), at the root and each directory down to the working
 * directory. */
void Pa_hx_note_unread(hx_found *f);
/* Removes the last file of f (one read to learn that it is not sent). */
void Pa_hx_drop_last(hx_found *f);
/* The instruction file names it looks for, each once (a configuration
 * that names one file 3,000 times reads it once). */
void Pa_hx_set_names(hx_found *f, const char *const *names, size_t n);
/* The same from a configuration's `context.fileName` (Gemini CLI and its
 * fork Qwen Code): a name or a list of names, each a plain file name (no
 * `/`, not `.` or `..`; others are left out).  Nothing when v is neither
 * a string nor a list. */
void Pa_hx_set_names_json(hx_found *f, const Pa_jnode *v);
/* The directories of a configuration's `context.includeDirectories`
 * (Gemini CLI, Qwen Code): each string, `~` and `~/` for home, made
 * absolute against the working directory, appended to *dirs with user
 * (1: from the user's settings) in *users, each once; past 256 of them
 * an entry refused (a limit of promptasm's).  The user's none under
 * f->no_user. */
void Pa_hx_dirs_json(hx_found *f, const Pa_jnode *v, int user, char ***dirs,
                     int **users, size_t *n);
/* 1 when the included directory dir is to be read: an existing
 * directory, and one of the project's when the project's settings named
 * it; a project's outside the project is an entry refused (0). */
int Pa_hx_dir_allowed(hx_found *f, const char *dir, int user, pa_warnings *warn);
/* The model option, when given, over what the configuration named. */
void Pa_hx_model_option(hx_found *f, const pa_harness_options *opt);
/* The composition most CLIs have (a backend's compose): every file read
 * and not empty sent whole, without a byte order mark (measured:
 * fixtures/crlf-bom.txt) and without the @import lines the files it
 * imports replace; a file only named (listed) sends nothing. */
void Pa_hx_compose_whole(hx_found *f);

/* ---- skills a CLI lists by their fields (harness_skills.c) ---- */

/* The structure of an entry: name, description and the absolute path,
 * each tag on a line of its own, indented (Gemini CLI, opencode, as pi);
 * or the place, "project" or "user", in place of the path (Copilot). */
enum { HX_SKILLS_XML_PATH = 0, HX_SKILLS_XML_SCOPE = 1,
       /* Qwen Code: each tag and value on a line of its own, the place
        * after the description too */
       HX_SKILLS_QWEN = 2,
       /* Codex: `- NAME: DESCRIPTION (file: rN/FOLDER/SKILL.md)`, and a
        * line of its table of roots for each skills folder */
       HX_SKILLS_CODEX = 3 };
/* A skill's fields as its CLI reads them from its SKILL.md x: each CLI
 * has its own YAML reader, and its own rule for a key given twice, a
 * name that YAML reads as a number, front matter that is not a mapping
 * (measured: fixtures/skills-yaml-edges.txt), so each row holds its
 * own, in its file.  1 with *name (NULL: the folder's name) and *desc of
 * *desc_len bytes, both the caller's to free; 0: the CLI lists no skill
 * of x. */
typedef int (*Pa_hx_skill_read)(const hx_file *x, char **name, char **desc,
                                size_t *desc_len);
/* Appends a skill of f for each folder of dirs[i] (a global one: the
 * user's, left out under no_user) holding a SKILL.md that read makes a
 * skill of, in name order, the first of a name kept; sorted: all of
 * them by name, whatever folder each is of. */
void Pa_hx_skills(hx_found *f, char *const *dirs, const int *global, size_t n,
                  int style, int sorted, Pa_hx_skill_read read,
                  pa_warnings *warn);
/* What the YAML libraries the CLIs read a skill with (js-yaml, yaml,
 * serde_yaml) make of x's front matter, as the one frontmatter reader
 * reads it: none (no block), a mapping (*tree, the caller's to free;
 * *body_at where the body starts in x->text), a list or a scalar
 * (not a mapping; *body_at too), or refused: not YAML, or a key given
 * twice in any mapping, which each of those libraries refuses. */
enum { HX_YAML_NONE, HX_YAML_MAPPING, HX_YAML_NOT_MAPPING, HX_YAML_REFUSED };
int Pa_hx_skill_yaml(const hx_file *x, Pa_ynode **tree, size_t *body_at);
/* The text of the value of key in tree, a copy the caller frees (its
 * length in *n), or NULL: none, or null.  how: HX_TEXT_STRINGS, only
 * what YAML 1.2's core schema reads as a string (not `2024`, `true`);
 * HX_TEXT_TRIM, without the white space around it, and NULL when that
 * leaves nothing. */
enum { HX_TEXT_STRINGS = 1, HX_TEXT_TRIM = 2 };
char *Pa_hx_yaml_text(const Pa_ynode *tree, const char *key, int how,
                      size_t *n);
/* Appends s[0..n) to b with &, <, >, " and ' as XML's entities: how every
 * CLI that lists skills in XML (these, and pi's own listing) writes a
 * field of a SKILL.md. */
void Pa_hx_put_xml(pa_buf *b, const char *s, size_t n);

/* ---- @imports of Gemini CLI and Qwen Code (harness_import.c) ---- */

/* What differs between the two CLIs' imports (measured; the file's
 * opening says how). */
typedef struct hx_import_opts {
	const char *confine; /* the root imports must lie in */
	int flat;            /* context.importFormat "flat" */
	int max_depth;       /* the depth past which nothing is imported */
	int chain_self;      /* the importing file stops its own import */
	int fail_replaced;   /* a missing file's @path is replaced */
	int flat_once;       /* flat: a file met again is never taken again */
	int trim;            /* flat: each imported file trimmed */
	int limit_ours;      /* max_depth is promptasm's limit, not the
	                      * CLI's: a file there that imports more is an
	                      * entry refused */
} hx_import_opts;
/* The imports of f->files[xi], added after it with depth + 1 and its
 * `in`, the @paths replaced recorded as its spans. */
void Pa_hx_imports(hx_found *f, size_t xi, const hx_import_opts *o,
                   pa_warnings *warn);
/* After composition: each file with spans gets its text as sent
 * (as_sent: sent bytes from skip, the spans left out), and each span the
 * offset in it where it falls (sent_at). */
void Pa_hx_sent_text(hx_found *f);

/* The root and every directory under it holding one of names (a NULL
 * ended list), sorted, at most pa_walk_limit() entries read and
 * PA_WALK_MAX_DEPTH levels (*incomplete set when the walk stopped); links
 * to directories are not followed; each directory listed once per cache
 * (NULL: none).  With ignore, a directory git ignores is not walked (no
 * one starts an agent in build/ or dist/): the .gitignore files of the
 * walk and the root's .git/info/exclude, as git reads them, except that a
 * directory holding files the root's index tracks is walked (git lists
 * them).  Caller frees each and the array with pa_free(). */
void Pa_hx_start_dirs(pa_harness_cache *cache, const char *root,
                      const char *const *names, int ignore, char ***dirs,
                      size_t *n, int *incomplete);

/* ---- the cache of a run (harness_cache.c; pa_harness_cache_new()) ----
 *
 * Every function takes a NULL cache, and then reads for itself. */

/* A walk of Markdown files (Pa_hx_md_files(), paths.c): what it found and
 * what it warned, given again to each load that asks. */
typedef struct hx_md_walk {
	char **files;
	size_t n;
	pa_warnings warn;
} hx_md_walk;
/* The entry of the walk named key (a 'W' and what makes the walk what it
 * is) in c: *fresh set when it is new, for the caller to fill.  NULL
 * without a cache, or when it is full. */
hx_md_walk *Pa_hx_cache_walk(pa_harness_cache *c, const pa_buf *key,
                             int *fresh);
/* What the cache did, for the tests: files and directories opened
 * through it, and requests it answered without opening. */
typedef struct hx_cache_stats {
	size_t opens;
	size_t hits;
	size_t looks;   /* paths looked at (Pa_hx_kind()) */
} hx_cache_stats;
const hx_cache_stats *Pa_hx_cache_stats(const pa_harness_cache *c);
/* What lies at path, lstat() and, for a link, stat() asked once per
 * cache: HX_KIND_* bits, 0 when nothing is there.  The root rules
 * (paths.c: .git, .claude, Codex's markers) and the walks ask here, so a
 * run looks at each marker once whatever the number of CLIs and start
 * directories. */
enum {
	HX_KIND_EXISTS = 1, /* stat() finds it (a link: where it leads) */
	HX_KIND_DIR = 2,    /* a directory (through a link too) */
	HX_KIND_REG = 4,    /* a regular file (through a link too) */
	HX_KIND_LINK = 8    /* the path itself is a symbolic link */
};
unsigned Pa_hx_kind(pa_harness_cache *c, const char *path);
/* An ignore file (.gitignore, .git/info/exclude, .geminiignore) at path:
 * a regular file, not a link, within PA_INSTRUCTIONS_MAX_BYTES, its bytes
 * appended to out; read once per cache (a missing one is not looked for
 * again). */
pa_status Pa_hx_read_ignore(pa_harness_cache *c, const char *path,
                            pa_buf *out);
/* The bytes of the instruction file at path, whose real path is real
 * (the link rule admitted it: harness_read.c), within
 * PA_INSTRUCTIONS_MAX_BYTES, appended to out: read once per cache.  A
 * read that failed fails again with its status, without opening. */
pa_status Pa_hx_read_text(pa_harness_cache *c, const char *path,
                          const char *real, pa_buf *out, pa_error *err);
/* A configuration file read and parsed (cfgfile.c fills it and applies
 * its program's rules to it on each request). */
typedef struct hx_toml_rec hx_toml_rec;
typedef struct hx_cfg_raw {
	pa_status read;         /* of the read: PA_OK, PA_ERR_NOT_FOUND ... */
	pa_status parse;        /* of the parse, once read */
	pa_error err;           /* of the one that failed */
	struct Pa_jnode *root;  /* JSON: the tree */
	hx_toml_rec *recs;      /* TOML: each key of the top table, in order */
	size_t n_recs;
} hx_cfg_raw;
void Pa_hx_cfg_raw_release(hx_cfg_raw *r);
/* The entry of path read one way (kind: what of a Pa_cfg_rule the read
 * depends on, its limit, byte order mark and format, so that two CLIs
 * reading one file alike share it, as opencode's and Kilo Code's
 * opencode.json) in c: *fresh set when it is new, for the caller to
 * fill.  NULL without a cache, or when it is full. */
hx_cfg_raw *Pa_hx_cache_cfg(pa_harness_cache *c, const char *kind, const char *path,
                            int *fresh);
/* The directories (`/`-separated, from root, no final `/`) holding the
 * files of root's git index (util/gitindex.h; dotgit, root's .git as
 * paths.c names it: Pa_repository_dotgit()), read once per cache for
 * the last root asked; NULL without an index we read.  Borrowed from the
 * cache; without one, *own is the set, the caller frees it with
 * Pa_hx_tracked_dirs_free(). */
const Pa_strset *Pa_hx_tracked_dirs(pa_harness_cache *c, const char *root,
                                    const char *dotgit, Pa_strset **own);
void Pa_hx_tracked_dirs_free(Pa_strset *dirs); /* NULL does nothing */
/* Each entry of dir (readdir's order, `.` and `..` too) to fn, with sub
 * set when the walk goes into it (a directory, not a link, not
 * node_modules nor the repository's .git), until fn returns 0; dir listed
 * once per cache (at most pa_walk_limit() + 3 entries).  Returns 0
 * when dir cannot be opened or a read of it failed midway (the entries
 * read are given all the same). */
typedef int (*hx_listing_fn)(void *ctx, const char *name, int sub);
size_t Pa_hx_list_dir(pa_harness_cache *c, const char *dir, hx_listing_fn fn,
                      void *ctx);

/* A small TOML reader (toml.c): the whole document is checked,
 * strictly, as TOML is; each key of the top-level table is passed to cb
 * with its value.  Errors name the file, line and column. */
typedef enum { HX_TOML_STRING, HX_TOML_INT, HX_TOML_BOOL, HX_TOML_ARRAY,
               HX_TOML_OTHER, HX_TOML_TABLE } hx_toml_type;
typedef struct hx_toml_value {
	hx_toml_type type;
	char *str;          /* STRING: decoded */
	size_t len;         /* STRING: its bytes, as a string may hold a NUL
	                     * ("\u0000"), where a C string ends */
	long long num;      /* INT, BOOL */
	char **strs;        /* ARRAY: its strings (all items must be strings
	                     * for strs to be set; else NULL) */
	size_t *lens;       /* with strs: each one's bytes, as a string may
	                     * hold a NUL ("\u0000"), where a C string ends */
	size_t n;
	long line, column;
	int nested;         /* 1: the key given with it is a whole path */
} hx_toml_value;
/* key: a key of the top table, as written; a key below it (in a
 * [table], or dotted), a key of the top table holding a NUL (as a C
 * string "model\u0000x" would be `model`) and a [table] header itself
 * (type HX_TOML_TABLE, at its line and column) with v->nested set, as
 * its whole path, each segment "LEN:bytes" ("8:projects5:/a/b11:trust_level"), which
 * Pa_hx_toml_segment() reads. */
typedef void (*hx_toml_cb)(void *ctx, const char *key, const hx_toml_value *v);
/* The first segment of an encoded path at *path: its bytes and length;
 * *path moves past it.  0 at the end or when path is not one. */
int Pa_hx_toml_segment(const char **path, const char **seg, size_t *len);
pa_status Pa_hx_toml_parse(const char *text, size_t len, const char *file,
                        hx_toml_cb cb, void *ctx, pa_error *err);
/* One key of the top-level table and its value, as cb was given it. */
struct hx_toml_rec {
	char *key;
	hx_toml_value v;
};

#endif
