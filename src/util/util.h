/*
 * util.h - the helper library: what both the library's layers and the CLI
 * (src/cli/) use, as curl's lib/curlx/: allocation with the one
 * out-of-memory policy, growth, errors, files read within a limit, UTF-8,
 * string sets, the JSON writer and reader, SHA-256, and the one quoting
 * rule.  The lowest layer: it depends on nothing but libc and
 * include/promptasm.h, whose pa_buf and file functions it implements.
 * Never installed: the public header stays for library users.
 */
#ifndef PA_UTIL_H
#define PA_UTIL_H

#include "promptasm.h"
/* What the build's platform can do (the native build, the WebAssembly
 * one): the CLI sees it through this header. */
#include "platform.h"

#include <stdbool.h>
#include <string.h>

#if defined(__GNUC__)
#define PA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PA_PRINTF(f, a)
#endif

/* The digits of a number macro as a string literal, for a message kept
 * as static text: PA_TEXT(PA_MODEL_NAME_MAX) is "1024". */
#define PA_TEXT_(x) #x
#define PA_TEXT(x) PA_TEXT_(x)

/* For the hot loops of the tokenizer, where GCC's own choice was
 * measured worse: a function inlined whatever its size, or kept a call. */
#if defined(__GNUC__)
#define ALWAYS_INLINE __attribute__((always_inline))
#define NOINLINE __attribute__((noinline))
#else
#define ALWAYS_INLINE
#define NOINLINE
#endif

/* Kept a call in WebAssembly (the npm package) only: V8 optimizes a
 * function of a count while the count runs on in its baseline code, a
 * large function last (docs/speed.md, "The npm package"); natively the
 * compiler's choice stands, as measured. */
#if defined(__wasm__)
#define WASM_NOINLINE NOINLINE
#else
#define WASM_NOINLINE
#endif

/* Asks for the cache line at p, which is about to be read, so that the
 * reads of a batch wait for their misses together.  A hint: nothing in
 * WebAssembly, which has no prefetch (there the batches of pieces read
 * their lines instead: FETCH_AHEAD, tokenizer.c). */
static inline void pa_prefetch(const void *p)
{
#if defined(__GNUC__)
	__builtin_prefetch(p);
#else
	(void)p;
#endif
}

/* Fills err (when not NULL) and returns status, so a failure path is one
 * line: `return Pa_error_set(err, PA_ERR_IO, path, 0, 0, "cannot open: %s", ...)`. */
pa_status Pa_error_set(pa_error *err, pa_status status, const char *file,
                       long line, long column, const char *fmt, ...)
	PA_PRINTF(6, 7);

/* Clears err to "no error" (status PA_OK, offset -1). */
void Pa_error_clear(pa_error *err);

/* ---- Allocation: the one out-of-memory policy ----
 *
 * Every allocation of the library and the CLI goes through these, and
 * none returns NULL: on failure they call the handler set with
 * pa_set_nomem_handler() (promptasm.h), which does not return; without
 * one (or when it returns) the process ends with exit status 3 and
 * "out of memory" on standard error (alloc.c).  Nothing else in src/
 * calls malloc, calloc, realloc or strdup, or abort(). */
_Noreturn void Pa_out_of_memory(size_t size); /* the policy: size asked for */
void *Pa_xmalloc(size_t size);
void *Pa_xcalloc(size_t n, size_t size);
void *Pa_xrealloc(void *ptr, size_t size);
char *Pa_xstrdup(const char *s);
char *Pa_xstrndup(const char *s, size_t n);

/* Large arrays written soon after they are made: a page fault for every
 * 4 KB of them was a third to a half of counting 1 MB of text without
 * spaces on the development machine (a VM, where a fault costs 11 us;
 * faulting in a huge page of 2 MB costs about as much).  Pa_xalloc_huge
 * returns *size bytes or more (rounded up to whole huge pages, the size
 * it sets), aligned to a huge page, uninitialized, to be freed with
 * free(); Pa_hint_huge asks for huge pages under the whole huge pages of
 * memory already allocated.  Both only hint: where the kernel does not
 * take the hint, the memory is as malloc's. */
#define PA_HUGE_PAGE ((size_t)2 << 20)
void *Pa_xalloc_huge(size_t *size);
void Pa_hint_huge(void *p, size_t size);

/* Makes room in an array for element n (of `size` bytes): call it before
 * storing element n of an array that only ever grew by one from NULL.  It
 * doubles the array when n is 0 or a power of two, so n additions cost
 * O(n) copying; growing by one each time costs O(n^2) wherever realloc
 * cannot extend in place (under AddressSanitizer, always). */
void *Pa_xgrow(void *ptr, size_t n, size_t size);

/* How many of the 8 bytes at s are ASCII before the first that is not
 * (8: all of them): a run of ASCII, the common case of text, is skipped a
 * word at a time. */
static inline size_t pa_ascii_run8(const unsigned char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	w &= 0x8080808080808080ull;
	if (!w)
		return 8;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(w) / 8;
#else
	{
		size_t k = 0;

		while (s[k] < 0x80)
			k++;
		return k;
	}
#endif
}

struct stat;

/* Opens the regular file at path for reading (PA_FILE_NOFOLLOW: not
 * through a final symbolic link) without ever blocking, or refuses it as
 * pa_file_read_limited() does; fills *st. */
pa_status Pa_file_open_regular(const char *path, unsigned flags, int *fd_out,
                               struct stat *st, pa_error *err);

/* A file as stat(2) tells it from another, and from itself rewritten:
 * device, inode, size and time of change.  For what is kept of a file
 * for the process (a table mapped, a memory read), to be read again once
 * the file is no longer what it was. */
typedef struct Pa_file_id {
	unsigned long long dev, ino;
	long long size, mtime_sec;
	long mtime_nsec;
} Pa_file_id;

void Pa_file_id_of(const struct stat *st, Pa_file_id *id);
int Pa_file_id_is(const Pa_file_id *id, const struct stat *st);

/* Decodes one UTF-8 character at s (len bytes available, at least 1).
 * Returns its length (1-4) and stores the code point; for an invalid
 * sequence returns 0.  */
int Pa_utf8_decode(const unsigned char *s, size_t len, int32_t *cp);


/* ---- String sets ----
 *
 * A set of strings, for "seen" lists that a hostile input can make long
 * (files included, directories walked, frontmatter keys, warnings printed):
 * a linear search there makes the whole run quadratic.
 *
 * The set owns copies of its strings.  Start with PA_STRSET_INIT, end with
 * Pa_strset_release().  Strings are compared as bytes with their length,
 * so they may hold NUL bytes.
 */
typedef struct Pa_strset_node Pa_strset_node;

typedef struct Pa_strset {
	Pa_strset_node **buckets;
	size_t nbuckets;
	size_t n;
	uint64_t seed; /* of the hash, drawn when the buckets are first made */
} Pa_strset;

#define PA_STRSET_INIT { NULL, 0, 0, 0 }

/* Adds s; returns 1 when it was not there, 0 when it was. */
int Pa_strset_add(Pa_strset *set, const char *s, size_t len);
/* 1 when s is in the set. */
int Pa_strset_has(const Pa_strset *set, const char *s, size_t len);
/* The set as a map to numbers (an index + 1 into the caller's array, say):
 * the number kept with s, which is added (its number 0) when it was not
 * there; the pointer is valid until the set next changes. */
size_t *Pa_strset_value(Pa_strset *set, const char *s, size_t len);
/* The number kept with s, or 0 when s is not in the set. */
size_t Pa_strset_get(const Pa_strset *set, const char *s, size_t len);
/* How many strings the fullest bucket holds: for tests, which check that
 * no set of keys a file can choose lands in one. */
size_t Pa_strset_longest_chain(const Pa_strset *set);
/* Removes s; returns 1 when it was there. */
int Pa_strset_remove(Pa_strset *set, const char *s, size_t len);

/* "Did you mean": the candidate nearest to word (a few edits: a third of
 * the word, 1 to 3, swaps of neighbours counting one; or word, 3
 * characters or more, begins it), or NULL when none is near.  NULL
 * candidates are skipped.  Borrowed from cands. */
const char *Pa_nearest(const char *word, const char *const *cands, size_t n);
/* Frees everything, back to PA_STRSET_INIT. */
void Pa_strset_release(Pa_strset *set);

/* The SHA-256 of data as 64 lowercase hex digits and a NUL. */
void Pa_sha256_hex(const void *data, size_t len, char hex[65]);

/* Appends text as a JSON string, quotes included.  Every control
 * character is escaped and each invalid UTF-8 sequence becomes U+FFFD, so
 * the output is valid JSON for any input bytes; the characters the quoting
 * rule hides (below) are \uNNNN escapes too, and `##[` is `##\u005b`. */
void Pa_json_string(pa_buf *out, const char *s, size_t len);
/* Appends a parsed JSON value written back compactly (a tool's schema). */
struct Pa_jnode;
void Pa_jnode_write(pa_buf *out, const struct Pa_jnode *v);

/* The SHA-256 digest (FIPS 180-4) of len bytes of data: 32 bytes. */
void Pa_sha256(const void *data, size_t len, unsigned char digest[32]);

/* How a walk's limit (pa_walk_limit()) is raised, for its messages. */
#define PA_WALK_RAISE \
	"raise it with --max-entries N or max_entries: N in .promptasm.yaml"

/* ---- What a walk leaves out: .gitignore (ignore.c) ----
 *
 * A stack of gitignore files, as a walk goes down: push a directory's
 * .gitignore (and, at the top, .git/info/exclude or --exclude patterns)
 * as it enters it, pop as it leaves.  Paths are relative to the top of
 * the walk, `/`-separated, without a leading `./`.  Pa_ignore_free(NULL)
 * does nothing. */
typedef struct Pa_ignore Pa_ignore;
Pa_ignore *Pa_ignore_new(void);
void Pa_ignore_free(Pa_ignore *ig);
/* The patterns of a gitignore file's text (copied), for the paths under
 * base ("" for the top). */
void Pa_ignore_push(Pa_ignore *ig, const char *base, const char *text,
                    size_t len);
void Pa_ignore_pop(Pa_ignore *ig);
size_t Pa_ignore_depth(const Pa_ignore *ig);
/* 1 when path (a directory when is_dir) is left out: the last pattern
 * that matches it, the deepest file's first, is not a `!` one. */
int Pa_ignore_has(const Pa_ignore *ig, const char *path, int is_dir);
/* 1 when path matches one gitignore glob, as git's wildmatch with `/`
 * special (`**` as a whole segment spans segments). */
int Pa_ignore_match_glob(const char *glob, const char *path);

/* ---- git's index, read by ourselves (gitindex.h) ---- */
#include "gitindex.h"

/* ---- Writing JSON ----
 *
 * The one writer of every JSON output: objects, arrays, keys, strings
 * (through Pa_json_string, so valid for any bytes), numbers.  A report
 * (every `--format json`, docs/json.md) opens with Pa_jw_report(), which
 * stamps "version": PA_JSON_VERSION, the one place it is written.
 *
 * Layout: a container opened PA_JW_LINES puts each item on a line of its
 * own, indented two spaces for every such container open; one opened
 * PA_JW_INLINE keeps its items on one line, `{"a": 1, "b": 2}`, except
 * an item after Pa_jw_break(), which starts a line two spaces further in
 * (and two more for each such container around it, up to one in lines).
 * An empty container is `[]` or `{}`; Pa_jw_finish() closes what is
 * open and ends the line.  key is NULL inside an array; a key from the input (any bytes)
 * is written with Pa_jw_key() and its value then given with key NULL.
 *
 *     Pa_jw w;
 *
 *     Pa_jw_report(&w, &out);
 *     Pa_jw_str(&w, "tokenizer", name);
 *     Pa_jw_array(&w, "files", PA_JW_LINES);
 *     Pa_jw_object(&w, NULL, PA_JW_INLINE);
 *     Pa_jw_str(&w, "path", path);
 *     Pa_jw_uint(&w, "tokens", n);
 *     Pa_jw_end(&w);
 *     Pa_jw_finish(&w);
 *
 * appends (the version being PA_JSON_VERSION's)
 *
 *     {
 *       "version": N,
 *       "tokenizer": "o200k_base",
 *       "files": [
 *         {"path": "a.md", "tokens": 3}
 *       ]
 *     }
 */
#define PA_JW_MAX_DEPTH 80

typedef enum Pa_jw_layout { PA_JW_INLINE = 0, PA_JW_LINES = 1 } Pa_jw_layout;

typedef struct Pa_jw_level {
	unsigned char lines; /* PA_JW_LINES */
	unsigned char brk;   /* Pa_jw_break() before the next item */
	char close;          /* '}' or ']' */
	size_t n;            /* items written */
} Pa_jw_level;

typedef struct Pa_jw {
	pa_buf *out;
	int depth;
	int keyed;           /* Pa_jw_key() wrote the next value's key */
	size_t overflow;     /* containers past PA_JW_MAX_DEPTH (flat) */
	char deep[64];       /* their closing brackets */
	unsigned char deep_n[64]; /* and whether they hold an item yet */
	int indent;          /* levels of lines the output is already inside */
	Pa_jw_level at[PA_JW_MAX_DEPTH];
} Pa_jw;

/* Appends to out a value that sits inside indent levels of lines (0 for a
 * document of its own). */
void Pa_jw_init(Pa_jw *w, pa_buf *out, int indent);
/* Pa_jw_init, then the report's object, with "version" first. */
void Pa_jw_report(Pa_jw *w, pa_buf *out);
void Pa_jw_object(Pa_jw *w, const char *key, Pa_jw_layout layout);
void Pa_jw_array(Pa_jw *w, const char *key, Pa_jw_layout layout);
void Pa_jw_end(Pa_jw *w);                 /* closes the innermost */
void Pa_jw_finish(Pa_jw *w);              /* closes all, ends the line */
void Pa_jw_break(Pa_jw *w);               /* next item on a new line */
void Pa_jw_key(Pa_jw *w, const char *key, size_t len);
void Pa_jw_str(Pa_jw *w, const char *key, const char *s); /* NULL: null */
void Pa_jw_strn(Pa_jw *w, const char *key, const char *s, size_t len);
void Pa_jw_uint(Pa_jw *w, const char *key, size_t v);
void Pa_jw_int(Pa_jw *w, const char *key, long long v);
/* v with digits after the point (fixed) or significant digits (%g);
 * null when not finite. */
void Pa_jw_real(Pa_jw *w, const char *key, int digits, int fixed, double v);
void Pa_jw_bool(Pa_jw *w, const char *key, int v);
void Pa_jw_null(Pa_jw *w, const char *key);
/* A value already written as JSON (pa_agent_json's). */
void Pa_jw_raw(Pa_jw *w, const char *key, const char *json, size_t len);

/* ---- Reading JSON ---- */

/*
 * A strict reader of JSON (RFC 8259) into a tree, for baselines and any
 * JSON we read (YAML is libyaml's).  Strings are decoded to UTF-8 (escapes
 * resolved, a surrogate pair joined, a lone surrogate refused); numbers
 * are kept as written.  Errors (PA_ERR_PARSE) carry the line and column
 * (characters, from 1) where the text stops being JSON:
 * `invalid JSON: expected ',' or '}'`; past PA_JSON_MAX_DEPTH or
 * PA_JSON_MAX_VALUES the error is PA_ERR_TOO_LARGE (the text may be JSON
 * all the same).  The caller limits the size.
 *
 *     Pa_jnode *root;
 *     if (Pa_json_parse(text, len, "base.json", &root, &err) == PA_OK) {
 *         const Pa_jnode *v = Pa_jnode_get(root, "version");
 *         ...
 *     }
 *     Pa_jnode_free(root);
 */
#define PA_JSON_MAX_DEPTH 256       /* arrays and objects nested */
#define PA_JSON_MAX_VALUES 1000000  /* values in one document */
/* ... or, with PA_JSON_MANY_VALUES, in a store its program lets grow */
#define PA_JSON_MAX_STORE_VALUES 16000000

typedef enum Pa_json_type {
	PA_JSON_NULL = 0,
	PA_JSON_FALSE = 1,
	PA_JSON_TRUE = 2,
	PA_JSON_NUMBER = 3,  /* text: as written */
	PA_JSON_STRING = 4,  /* text: decoded, NUL-terminated (may hold U+0000) */
	PA_JSON_ARRAY = 5,   /* items[n] */
	PA_JSON_OBJECT = 6   /* keys[n] (key_lens[n]) and items[n], in order */
} Pa_json_type;

typedef struct Pa_jnode {
	Pa_json_type type;
	long line, column;   /* where the value starts */
	char *text;
	size_t len;
	struct Pa_jnode **items;
	char **keys;
	size_t *key_lens;
	size_t n;
} Pa_jnode;

/* Reads one JSON document.  The caller frees *out with Pa_jnode_free();
 * *out is NULL on error.  file names the input in err. */
pa_status Pa_json_parse(const char *text, size_t len, const char *file,
                        Pa_jnode **out, pa_error *err);
/* The same, with flags: PA_JSON_UNIQUE_KEYS refuses an object that names
 * a key twice (`duplicate key 'tokens' (the first at line 3)`, at the
 * second), for a file we wrote ourselves, where a repeat is an edit. */
#define PA_JSON_UNIQUE_KEYS 1u
/* PA_JSON_MANY_VALUES: PA_JSON_MAX_STORE_VALUES values, not
 * PA_JSON_MAX_VALUES: for a user's own file that its program grows
 * without end (~/.claude.json keeps every project's history, 100 MB in
 * long use), read as a whole all the same. */
#define PA_JSON_MANY_VALUES 2u
pa_status Pa_json_parse_flags(const char *text, size_t len, const char *file,
                              unsigned flags, Pa_jnode **out, pa_error *err);
void Pa_jnode_free(Pa_jnode *v); /* NULL does nothing */
/* The value of an object's member named key, or NULL (not an object, no
 * such member).  A name the text gives twice is one member, as
 * JSON.parse makes it: the last value, at the first one's place.
 * Borrowed from v. */
const Pa_jnode *Pa_jnode_get(const Pa_jnode *v, const char *key);

/* ---- Input read in pieces ---- */

/*
 * Reading a large input in pieces (count, tokenize): the same checks as
 * pa_file_read_limited() at open, then Pa_input_read() appends up to `max`
 * more bytes each call, so memory stays what the caller keeps.
 */
typedef struct Pa_input Pa_input;
pa_status Pa_input_open(const char *path, unsigned flags, Pa_input **out,
                        pa_error *err);
/* An input over fd, a regular file the caller opened (openat() in a
 * walk, where a path may be longer than PATH_MAX), of size bytes, read
 * from where fd stands; name is what errors call it.  Takes fd: closed by
 * Pa_input_close(). */
Pa_input *Pa_input_fd(int fd, long long size, const char *name);
/* Appends at most max bytes to out; *got is 0 at the end of the input. */
pa_status Pa_input_read(Pa_input *in, pa_buf *out, size_t max, size_t *got,
                        pa_error *err);
/* "<stdin>" or the path.  Borrowed. */
const char *Pa_input_name(const Pa_input *in);
/* The size of a regular file, -1 for standard input. */
long long Pa_input_size(const Pa_input *in);
void Pa_input_close(Pa_input *in); /* NULL does nothing */

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
 *     Pa_baseline *base;
 *     Pa_growth_limit limit;
 *     const Pa_baseline_agent *a;
 *
 *     Pa_growth_limit_parse("10%", &limit);
 *     if (Pa_baseline_load("main.json", &base, &err) == PA_OK &&
 *         (a = Pa_baseline_find(base, "reviewer")) &&
 *         Pa_growth_exceeds(&limit, a->tokens, tokens_now))
 *         ...
 *     Pa_baseline_free(base);
 * ------------------------------------------------------------------- */

#define PA_BASELINE_MAX_BYTES (8L * 1024 * 1024) /* a baseline report */

/* One section of an agent's prompt as the report counted it (the JSON
 * output's "sections"): which file's tokens grew. */
typedef struct Pa_baseline_section {
	char *kind;            /* "body", "memory", "import" ... */
	char *path;            /* as the report wrote it: relative to the project */
	size_t tokens;
} Pa_baseline_section;

typedef struct Pa_baseline_agent {
	char *name;
	char *tokenizer;       /* what counted it: another is not comparable */
	pa_budget_scope scope; /* what "tokens" held: the prompt or the context */
	size_t tokens;
	Pa_baseline_section *sections; /* in prompt order; none when the report */
	size_t nsections;              /* has no "sections" */
	int has_sections;      /* 1 when the report held them, [] among them:
	                        * a row of no files then has files that are new */
	size_t listing;        /* its line in the main session's agents listing */
	int has_listing;       /* 1 when the report held it ("listing") */
} Pa_baseline_agent;

typedef struct Pa_baseline Pa_baseline;

/* Parses the text of a report; `file` names it in errors.  Anything that
 * is not such a report is PA_ERR_PARSE with line and column.  The caller
 * frees *out with Pa_baseline_free(). */
pa_status Pa_baseline_parse(const char *text, size_t len, const char *file,
                            Pa_baseline **out, pa_error *err);
/* Reads the report at path ("-": standard input), at most
 * PA_BASELINE_MAX_BYTES, and parses it. */
pa_status Pa_baseline_load(const char *path, Pa_baseline **out, pa_error *err);
/* Its agents, in report order, each name once (a repeated name keeps its
 * first entry): how many, and the i-th.  Borrowed from b. */
size_t Pa_baseline_count(const Pa_baseline *b);
const Pa_baseline_agent *Pa_baseline_agent_at(const Pa_baseline *b, size_t i);
/* The agent named name, or NULL, in O(log n).  Borrowed from b. */
const Pa_baseline_agent *Pa_baseline_find(const Pa_baseline *b, const char *name);
void Pa_baseline_free(Pa_baseline *b);

/* How much an agent may grow over its baseline. */
typedef struct Pa_growth_limit {
	int set;          /* 0: no limit */
	int relative;     /* 1: a share of the baseline's count; 0: tokens */
	double share;     /* relative: 0.1 for 10% */
	size_t tokens;    /* else: tokens */
} Pa_growth_limit;

/* The largest count promptasm reads (a budget, a floor, --top, a count
 * in a baseline or a config): 13 digits, past any context window, and
 * exact in a double.  Each reader checks v > PA_COUNT_MAX / 10 before the
 * next digit, which is the same test. */
#define PA_COUNT_MAX 9999999999999ULL

/* A share as people write one: "15%" or "0.15", in decimal digits with
 * at most one '.' (no sign, exponent, hex, space, "inf" or "nan", which
 * strtod() alone takes): --margin, the config's margin: and the '%' of
 * --max-growth read it alike.  *out is the share itself (0.15 for
 * both).  Returns 1, or 0 for anything else. */
int Pa_share_parse(const char *text, double *out);

/* Parses "10%" (a share of the baseline's count; 0% allows no growth,
 * and more than 100% is allowed) or "500" (tokens, with optional `,` or
 * `_` separators).  Returns 1, or 0 (and no limit) for anything else. */
int Pa_growth_limit_parse(const char *text, Pa_growth_limit *out);

/* 1 when a count went from before to after by more than the limit allows
 * (a share of before: an agent that counted 0 grows past any share). */
int Pa_growth_exceeds(const Pa_growth_limit *limit, size_t before, size_t after);

/* Appends the limit as it is written: "10%", "500 tokens" or "none". */
void Pa_growth_limit_format(const Pa_growth_limit *limit, pa_buf *out);

/* ---- An environment passed in ----
 * The "NAME=value" strings of an environ-style array, NULL-terminated,
 * which the caller gives in the options (pa_harness_options.env,
 * pa_compose_options.env).  Nothing below the CLI calls getenv(): what a
 * run sees of the environment is decided once, at its setup, and passed
 * down (tests/suites/run-setup.sh holds the line). */

/* The value of name in env (the first "name=" entry), or NULL when env
 * is NULL or has none.  Borrowed from env. */
const char *Pa_env_get(const char *const *env, const char *name);
/* 1 when value says yes as the agent CLIs read a switch: "1", "true",
 * "yes" or "on", in any case; 0 for anything else and NULL. */
int Pa_env_value_true(const char *value);
/* Pa_env_value_true() of name's value in env. */
int Pa_env_true(const char *const *env, const char *name);

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
 * (Pa_quote_text) and, in a table, `"x\x1b]0;pwned\a"` (Pa_quote).
 */

/* Whether s (len bytes) must be quoted to be printed as a value: it holds
 * a character or byte above, a `##[`, begins with `::` after white space,
 * or holds `"` or `\` (git's core.quotePath rule); or it starts or ends
 * with white space, or holds a space other than U+0020, which a padded
 * table cell would not tell from `a` (`"a "`, `"a\u00a0"`). */
int Pa_quote_needed(const char *s, size_t len);

/* Appends s as a value: unchanged when Pa_quote_needed() is 0, else in
 * double quotes with the escapes above, \" and \\, as git quotes a
 * path, and \uNNNN for a space other than U+0020. */
void Pa_quote(pa_buf *out, const char *s, size_t len);
void Pa_quote_str(pa_buf *out, const char *s); /* NUL-terminated; NULL: nothing */

/* Appends s as running text (a message that holds names): the escapes
 * above without the quotes, " and \ unchanged, a leading `::` as
 * `\x3a:`.  Applying it twice changes nothing more, so a printer may pass
 * a message through it whether or not its values were quoted. */
void Pa_quote_text(pa_buf *out, const char *s, size_t len);

/* Appends the value s (NULL: "") for a table cell: Pa_quote(), shortened
 * to max characters (at least 4) ending in "..." when longer.  Returns the
 * characters appended, for padding. */
size_t Pa_quote_cell(pa_buf *out, const char *s, size_t max);

/* Whether code point cp is one a printer shows as an escape (the list
 * above): JSON writes these as \uNNNN too (a surrogate pair above
 * U+FFFF). */
int Pa_quote_hidden(int32_t cp);

#endif
