/*
 * util.h - plumbing shared by the library and the CLI (src/cli/), never
 * installed: the public header stays for library users.  Depends on
 * nothing but libc and include/promptasm.h.
 */
#ifndef PA_UTIL_H
#define PA_UTIL_H

#include "promptasm.h"

/* The SHA-256 of data as 64 lowercase hex digits and a NUL. */
void pa_sha256_hex(const void *data, size_t len, char hex[65]);

/* Appends text as a JSON string, quotes included.  Every control
 * character is escaped and each invalid UTF-8 sequence becomes U+FFFD, so
 * the output is valid JSON for any input bytes; the characters the quoting
 * rule hides (below) are \uNNNN escapes too, and `##[` is `##\u005b`. */
void pa_json_string(pa_buf *out, const char *s, size_t len);

/* ---- SHA-256 and JSON strings ---- */

/* The SHA-256 digest (FIPS 180-4) of len bytes of data: 32 bytes. */
void pa_sha256(const void *data, size_t len, unsigned char digest[32]);

/* Appends text as a JSON string, quotes included: control characters are
 * escaped, invalid UTF-8 becomes U+FFFD, so the result is always valid. */
void pa_json_put_string(pa_buf *out, const char *text, size_t len);

/* ---- Reading JSON ---- */

/*
 * A strict reader of JSON (RFC 8259) into a tree, for baselines and any
 * JSON we read (YAML is libyaml's).  Strings are decoded to UTF-8 (escapes
 * resolved, a surrogate pair joined, a lone surrogate refused); numbers
 * are kept as written.  Errors (PA_ERR_PARSE) carry the line and column
 * (characters, from 1) where the text stops being JSON:
 * `invalid JSON: expected ',' or '}'`.  The caller limits the size.
 *
 *     pa_jnode *root;
 *     if (pa_json_parse(text, len, "base.json", &root, &err) == PA_OK) {
 *         const pa_jnode *v = pa_jnode_get(root, "version");
 *         ...
 *     }
 *     pa_jnode_free(root);
 */
#define PA_JSON_MAX_DEPTH 256       /* arrays and objects nested */
#define PA_JSON_MAX_VALUES 1000000  /* values in one document */

typedef enum pa_json_type {
	PA_JSON_NULL = 0,
	PA_JSON_FALSE = 1,
	PA_JSON_TRUE = 2,
	PA_JSON_NUMBER = 3,  /* text: as written */
	PA_JSON_STRING = 4,  /* text: decoded, NUL-terminated (may hold U+0000) */
	PA_JSON_ARRAY = 5,   /* items[n] */
	PA_JSON_OBJECT = 6   /* keys[n] (key_lens[n]) and items[n], in order */
} pa_json_type;

typedef struct pa_jnode {
	pa_json_type type;
	long line, column;   /* where the value starts */
	char *text;
	size_t len;
	struct pa_jnode **items;
	char **keys;
	size_t *key_lens;
	size_t n;
} pa_jnode;

/* Reads one JSON document.  The caller frees *out with pa_jnode_free();
 * *out is NULL on error.  file names the input in err. */
pa_status pa_json_parse(const char *text, size_t len, const char *file,
                        pa_jnode **out, pa_error *err);
void pa_jnode_free(pa_jnode *v); /* NULL does nothing */
/* The value of an object's first member named key, or NULL (not an
 * object, no such member).  Borrowed from v. */
const pa_jnode *pa_jnode_get(const pa_jnode *v, const char *key);

/* ---- Input read in pieces ---- */

/*
 * Reading a large input in pieces (count, tokenize): the same checks as
 * pa_file_read_limited() at open, then pa_input_read() appends up to `max`
 * more bytes each call, so memory stays what the caller keeps.
 */
typedef struct pa_input pa_input;
pa_status pa_input_open(const char *path, unsigned flags, pa_input **out,
                        pa_error *err);
/* Appends at most max bytes to out; *got is 0 at the end of the input. */
pa_status pa_input_read(pa_input *in, pa_buf *out, size_t max, size_t *got,
                        pa_error *err);
/* "<stdin>" or the path.  Borrowed. */
const char *pa_input_name(const pa_input *in);
/* The size of a regular file, -1 for standard input. */
long long pa_input_size(const pa_input *in);
void pa_input_close(pa_input *in); /* NULL does nothing */

/* ---------------------------------------------------------------------
 * Baselines: what an earlier check counted
 *
 * `check --baseline FILE` compares each agent's count with the one a
 * previous `check --format json` wrote to FILE (the report of the main
 * branch, say), and fails when one grew past a limit.  Only the keys a
 * comparison needs are read: "version" (1) and, of each of "agents",
 * "name", "tokenizer", "tokens", "scope" and (optional) "sections", each
 * with "kind", "path" and "tokens", which say which file grew.
 *
 * Example: did reviewer grow more than 10%?
 *
 *     pa_baseline *base;
 *     pa_growth_limit limit;
 *     const pa_baseline_agent *a;
 *
 *     pa_growth_limit_parse("10%", &limit);
 *     if (pa_baseline_load("main.json", &base, &err) == PA_OK &&
 *         (a = pa_baseline_find(base, "reviewer")) &&
 *         pa_growth_exceeds(&limit, a->tokens, tokens_now))
 *         ...
 *     pa_baseline_free(base);
 * ------------------------------------------------------------------- */

#define PA_BASELINE_MAX_BYTES (8L * 1024 * 1024) /* a baseline report */

/* One section of an agent's prompt as the report counted it (the JSON
 * output's "sections"): which file's tokens grew. */
typedef struct pa_baseline_section {
	char *kind;            /* "body", "memory", "import" ... */
	char *path;            /* as the report wrote it: relative to the project */
	size_t tokens;
} pa_baseline_section;

typedef struct pa_baseline_agent {
	char *name;
	char *tokenizer;       /* what counted it: another is not comparable */
	pa_budget_scope scope; /* what "tokens" held: the prompt or the context */
	size_t tokens;
	pa_baseline_section *sections; /* in prompt order; none when the report */
	size_t nsections;              /* has no "sections" */
	size_t listing;        /* its line in the main session's agents listing */
	int has_listing;       /* 1 when the report held it ("listing") */
} pa_baseline_agent;

typedef struct pa_baseline pa_baseline;

/* Parses the text of a report; `file` names it in errors.  Anything that
 * is not such a report is PA_ERR_PARSE with line and column.  The caller
 * frees *out with pa_baseline_free(). */
pa_status pa_baseline_parse(const char *text, size_t len, const char *file,
                            pa_baseline **out, pa_error *err);
/* Reads the report at path ("-": standard input), at most
 * PA_BASELINE_MAX_BYTES, and parses it. */
pa_status pa_baseline_load(const char *path, pa_baseline **out, pa_error *err);
/* Its agents, in report order, each name once (a repeated name keeps its
 * first entry): how many, and the i-th.  Borrowed from b. */
size_t pa_baseline_count(const pa_baseline *b);
const pa_baseline_agent *pa_baseline_agent_at(const pa_baseline *b, size_t i);
/* The agent named name, or NULL, in O(log n).  Borrowed from b. */
const pa_baseline_agent *pa_baseline_find(const pa_baseline *b, const char *name);
void pa_baseline_free(pa_baseline *b);

/* How much an agent may grow over its baseline. */
typedef struct pa_growth_limit {
	int set;          /* 0: no limit */
	int relative;     /* 1: a share of the baseline's count; 0: tokens */
	double share;     /* relative: 0.1 for 10% */
	size_t tokens;    /* else: tokens */
} pa_growth_limit;

/* Parses "10%" (a share of the baseline's count; 0% allows no growth,
 * and more than 100% is allowed) or "500" (tokens, with optional `,` or
 * `_` separators).  Returns 1, or 0 (and no limit) for anything else. */
int pa_growth_limit_parse(const char *text, pa_growth_limit *out);

/* 1 when a count went from before to after by more than the limit allows
 * (a share of before: an agent that counted 0 grows past any share). */
int pa_growth_exceeds(const pa_growth_limit *limit, size_t before, size_t after);

/* Appends the limit as it is written: "10%", "500 tokens" or "none". */
void pa_growth_limit_format(const pa_growth_limit *limit, pa_buf *out);

/* ---- Printing text from a project ---- */

/*
 * Printing text from a project: the one rule
 *
 * Every name, path and value that comes from a project (file names, `name:`,
 * `memory:`, `skills:`, config keys, descriptions, and the messages that hold
 * them) is hostile: `check` runs on pull requests from anyone.  Before a
 * printer applies its own format (JSON, HTML, Markdown, XML, workflow
 * commands), it passes such text through one of these functions, which
 * decide alone what reaches a terminal or a CI log:
 *
 *  - control characters (C0, DEL, C1 U+0080-U+009F, so ESC, CR and LF too),
 *    U+2028/U+2029, every format character (general category Cf: the
 *    bidirectional controls, zero-width joiners, U+2061-U+2064, the tag
 *    characters U+E0000-U+E007F, the byte order mark) and every
 *    Default_Ignorable_Code_Point (the soft hyphen, variation selectors,
 *    Hangul fillers), of any Unicode from 12.1 on (invisible.inc), and
 *    bytes that are not valid UTF-8 are written as escapes: \n \r \t \a
 *    \b \v \f, \xNN for other bytes, \uNNNN for other characters
 *    (\UNNNNNNNN above U+FFFF);
 *  - `::` at the start (after white space), which GitHub's runner reads as
 *    a workflow command at the start of a line, and `##[` anywhere, its
 *    older command syntax, never get through as they are;
 *  - text that needs none of this is printed unchanged.
 *
 * Example: `promptasm: warning: skipped .claude/agents/b\n::stop.md: ...`
 * (pa_quote_text) and, in a table, `"x\x1b]0;pwned\a"` (pa_quote).
 */

/* Whether s (len bytes) must be quoted to be printed as a value: it holds
 * a character or byte above, a `##[`, begins with `::` after white space,
 * or holds `"` or `\` (git's core.quotePath rule). */
int pa_quote_needed(const char *s, size_t len);

/* Appends s as a value: unchanged when pa_quote_needed() is 0, else in
 * double quotes with the escapes above and \" and \\, as git quotes a
 * path. */
void pa_quote(pa_buf *out, const char *s, size_t len);
void pa_quote_str(pa_buf *out, const char *s); /* NUL-terminated; NULL: nothing */

/* Appends s as running text (a message that holds names): the escapes
 * above without the quotes, " and \ unchanged, a leading `::` as
 * `\x3a:`.  Applying it twice changes nothing more, so a printer may pass
 * a message through it whether or not its values were quoted. */
void pa_quote_text(pa_buf *out, const char *s, size_t len);

/* Appends the value s (NULL: "") for a table cell: pa_quote(), shortened
 * to max characters (at least 4) ending in "..." when longer.  Returns the
 * characters appended, for padding. */
size_t pa_quote_cell(pa_buf *out, const char *s, size_t max);

/* Whether code point cp is one a printer shows as an escape (the list
 * above): JSON writes these as \uNNNN too (a surrogate pair above
 * U+FFFF). */
int pa_quote_hidden(int32_t cp);

#endif
