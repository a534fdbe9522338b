/*
 * frontmatter.h - the YAML block between `---` lines at the top of agent
 * files and rules.  Not installed.
 */
#ifndef PA_FRONTMATTER_H
#define PA_FRONTMATTER_H

#include "base/base.h"
#include "base/yamltree.h"

typedef struct Pa_frontmatter {
	int present;         /* 0: the text does not start with a `---` line */
	Pa_ynode *root;      /* a mapping, or NULL when the block is empty */
	const char *body;    /* what follows the closing line, untrimmed */
	size_t body_len;
	long body_line;      /* 1-based line of the body's first line */
	long open_line;      /* 1-based line of the opening `---` */
	long close_line;     /* and of the closing one */
	int close_inline;    /* 1: the closing `---` is not a line of its own
	                      * (PA_FM_ANYWHERE: inside a value, `-----`) */
	int lenient;         /* 1: not strict YAML, read line by line */
	int not_mapping;     /* 1: strict YAML read it as a list or a scalar
	                      * (what then reads it is the caller's rule) */
	pa_error yaml_err;   /* why strict YAML failed, when lenient */
	/* Keys that a mapping (at any depth) already had: the last value
	 * is kept, in the first one's place, as Claude Code keeps it, and
	 * the later pairs are removed, so every reader and the JSON output
	 * agree. */
	size_t duplicates;      /* how many were removed */
	char duplicate[128];    /* the first repeat's key (cut when longer) */
	long duplicate_line;    /* its line */
	long duplicate_first;   /* the line of the key it repeats */
	int keep_first;         /* 1: a repeated key keeps its first value
	                         * (PA_FM_REPEAT_FIRST) */
} Pa_frontmatter;

/* Splits text into frontmatter and body and parses the frontmatter:
 * strict YAML first, then the line reader; a repeated key keeps its last
 * value (see `duplicates`).  No frontmatter is PA_OK with
 * present == 0 (the body is the whole text, from line 1).  An
 * unterminated block, or one neither reader accepts, is PA_ERR_PARSE
 * naming file and line.  Lines in errors and nodes count from the top of
 * the file.  Release with Pa_frontmatter_release(). */
pa_status Pa_frontmatter_parse(const char *text, size_t len, const char *file,
                               Pa_frontmatter *fm, pa_error *err);

/* Where the block ends.  PA_FM_LINES: between `---` lines, blank lines
 * allowed before the first (gray-matter's rule; CLAUDE.md, rules,
 * skills).  PA_FM_ANYWHERE: Claude Code's rule for agent files, the
 * opening `---` first in the file and the block closed by the next `---`
 * wherever it stands, mid-line included (docs/claude-code.md). */
typedef enum Pa_fm_rule {
	PA_FM_LINES,
	PA_FM_ANYWHERE,
	/* PA_FM_ANYWHERE for a file whose CR LF line ends were made LF:
	 * Claude Code's second try at the block quotes no value of a line
	 * that ends in CR (fixture agent-bom-crlf-colon) */
	PA_FM_ANYWHERE_CRLF
} Pa_fm_rule;
pa_status Pa_frontmatter_parse_as(const char *text, size_t len, const char *file,
                                  Pa_fm_rule rule, Pa_frontmatter *fm,
                                  pa_error *err);
/* Which value a key given twice keeps: the last, as Claude Code's
 * JavaScript object keeps it (Pa_frontmatter_parse_as()), or the first,
 * as Copilot CLI's reader of an instructions file's applyTo keeps it
 * (fixture copilot-applyto-twice). */
typedef enum Pa_fm_repeat {
	PA_FM_REPEAT_LAST,
	PA_FM_REPEAT_FIRST
} Pa_fm_repeat;
pa_status Pa_frontmatter_parse_repeat(const char *text, size_t len,
                                      const char *file, Pa_fm_rule rule,
                                      Pa_fm_repeat repeat, Pa_frontmatter *fm,
                                      pa_error *err);
void Pa_frontmatter_release(Pa_frontmatter *fm);
/* The line reader builds the same nodes as the YAML reader: its trees are
 * freed with Pa_ynode_free() too. */

/* The line reader alone (exposed for tests).  `first_line` is the file
 * line of text's first line. */
pa_status Pa_frontmatter_lenient(const char *text, size_t len,
                                 const char *file, long first_line,
                                 Pa_ynode **root, pa_error *err);

/* A node's strings: a sequence gives its scalar items; a scalar is split
 * on commas outside braces and trimmed.  Empty items are dropped.  The
 * caller frees the array and each string with pa_free(). */
char **Pa_ynode_string_list(const Pa_ynode *node, size_t *n);

/* Claude Code's list of names (an agent's `tools:`, `disallowedTools:`,
 * `skills:`): a string, and each string item of a sequence, is split at
 * commas and spaces outside parentheses (`Bash(git log:*)` stays whole)
 * and trimmed; empty names and items that are not strings (`- 42`) are
 * left out, and a value that is neither (`tools: 42`) names nothing.
 * NULL with *n == 0 for none.  Freed as Pa_ynode_string_list()'s. */
char **Pa_ynode_name_list(const Pa_ynode *node, size_t *n);

#endif
