/*
 * compose.h - what the composer's modules share (agent.c, frontmatter.c,
 * memory.c, claudemd.c, glob.c, compose.c, paths.c).  Not installed.
 */
#ifndef PA_COMPOSE_H
#define PA_COMPOSE_H

#include "internal.h"
#include "yamltree.h"

/* ---- warnings ---- */

void pa_warn(pa_warnings *w, const char *fmt, ...) PA_PRINTF(2, 3);

/* ---- frontmatter (frontmatter.c) ---- */

typedef struct pa_frontmatter {
	int present;         /* 0: the text does not start with a `---` line */
	pa_ynode *root;      /* a mapping, or NULL when the block is empty */
	const char *body;    /* what follows the closing line, untrimmed */
	size_t body_len;
	long open_line;      /* 1-based line of the opening `---` */
	int lenient;         /* 1: not strict YAML, read line by line */
	pa_error yaml_err;   /* why strict YAML failed, when lenient */
} pa_frontmatter;

/* Splits text into frontmatter and body and parses the frontmatter:
 * strict YAML first, then the line reader.  No frontmatter is PA_OK with
 * present == 0.  An unterminated block, or one neither reader accepts, is
 * PA_ERR_PARSE naming file and line.  Lines in errors and nodes count from
 * the top of the file.  Release with pa_frontmatter_release(). */
pa_status pa_frontmatter_parse(const char *text, size_t len, const char *file,
                               pa_frontmatter *fm, pa_error *err);
void pa_frontmatter_release(pa_frontmatter *fm);
/* Frees a tree from these functions (pairs of a mapping included). */
void pa_fm_free(pa_ynode *node);

/* The line reader alone (exposed for tests).  `first_line` is the file
 * line of text's first line. */
pa_status pa_frontmatter_lenient(const char *text, size_t len,
                                 const char *file, long first_line,
                                 pa_ynode **root, pa_error *err);

/* A node's strings: a sequence gives its scalar items; a scalar is split
 * on commas outside braces and trimmed.  Empty items are dropped.  The
 * caller frees the array and each string with pa_free(). */
char **pa_ynode_string_list(const pa_ynode *node, size_t *n);

/* ---- text helpers (paths.c) ---- */

/* Turns CRLF into LF in place. */
void pa_text_normalize_newlines(pa_buf *b);
/* Start and length of text without surrounding white space. */
void pa_text_trim(const char **s, size_t *len);

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

/* Every regular file ending in `.md` under dir, at any depth, as sorted
 * absolute paths (symlinked directories are followed once).  A missing
 * dir gives none. */
void pa_find_md_files(const char *dir, char ***files, size_t *n);
void pa_strings_free(char **s, size_t n);

/* The resolved places of one composition. */
typedef struct pa_places {
	char *cwd;   /* real path of the working directory */
	char *root;  /* the project root: nearest .git or .claude/ */
	char *repo;  /* the repository root: nearest .git, else root */
	char *home;  /* real path of HOME, or NULL */
} pa_places;

pa_status pa_places_init(pa_places *pl, const pa_compose_options *opt,
                         pa_error *err);
void pa_places_release(pa_places *pl);

/* ---- glob matching (glob.c) ---- */

/* 1 when path (relative, `/`-separated) matches pattern: `*`, `?` and
 * `[...]` within one segment, `**` as a whole segment for any number of
 * segments, `{a,b}` alternatives. */
int pa_glob_match(const char *pattern, const char *path);

/* ---- the prompt (compose.c) ---- */

typedef struct pa_section {
	pa_section_kind kind;
	char *path;
	char *text;
	size_t len;
	char *heading;
	int cut;
	int depth;
	char *parent;
} pa_section;

struct pa_prompt {
	pa_section *sections;
	size_t n, cap;
};

/* Appends a section; copies every string.  parent may be NULL. */
void pa_prompt_add(pa_prompt *p, pa_section_kind kind, const char *path,
                   const char *text, size_t len, int cut, int depth,
                   const char *parent, const char *heading);

/* ---- memory (memory.c) ---- */

#define PA_MEMORY_MAX_LINES 200
#define PA_MEMORY_MAX_BYTES 25000

/* Cuts MEMORY.md's text as Claude Code loads it: trimmed, the first 200
 * lines, then at most 25,000 bytes cut at a newline.  Appends the kept
 * text to out; returns 1 and fills note ("200 of 230 lines (1234 of
 * 2345 bytes)") when something was cut. */
int pa_memory_cut(const char *text, size_t len, pa_buf *out, pa_buf *note);

/* The memory directory of agent `name` in scope, or NULL with err set for
 * an unknown scope or a missing home.  Caller frees. */
char *pa_memory_dir(const char *scope, const char *name,
                    const pa_places *pl, pa_error *err);

/* Appends the memory section of the agent to p. */
pa_status pa_memory_add(pa_prompt *p, const pa_agent *agent,
                        const pa_compose_options *opt, const pa_places *pl,
                        pa_warnings *warn, pa_error *err);

/* ---- CLAUDE.md (claudemd.c) ---- */

#define PA_CLAUDEMD_MAX_BYTES (4L * 1024 * 1024)
#define PA_CLAUDEMD_LARGE_CHARS 40000
#define PA_IMPORT_MAX_DEPTH 5

/* Appends the whole CLAUDE.md chain to p. */
pa_status pa_claudemd_add(pa_prompt *p, const pa_compose_options *opt,
                          const pa_places *pl, pa_warnings *warn,
                          pa_error *err);

#endif
