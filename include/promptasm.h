/*
 * promptasm.h - the one public interface of libpromptasm.
 *
 * libpromptasm builds the system prompt an agent really receives (its
 * definition, its memory and the project's CLAUDE.md files), counts it with
 * a tokenizer that gives the same ids as the reference implementations, and
 * trims it to a token budget.
 *
 * Invariants that hold for every function below:
 *
 *  - Ownership.  A function that returns a pointer says who owns it.  Every
 *    `_new`/`_load` has a `_free`, and `_free(NULL)` does nothing.  Strings
 *    and arrays handed to the caller are freed with pa_free().
 *  - Errors.  Fallible functions return a pa_status; PA_OK is 0.  When a
 *    pa_error pointer is passed (it may be NULL), it is filled with a
 *    message and, where known, the file, line, column or byte offset.
 *  - Text.  Text is UTF-8 with an explicit length; it need not be
 *    NUL-terminated and may contain NUL bytes.  Functions that need valid
 *    UTF-8 check it and return PA_ERR_UTF8 with the offset of the first bad
 *    byte.
 *  - Threads.  Objects that are distinct may be used from distinct
 *    threads at once; one object serves one thread at a time (sessions,
 *    assemblies, agents, prompts, configs, buffers), except a loaded
 *    pa_tokenizer, which any number of threads may count, encode and
 *    decode with at once (each keeps its own working memory; set
 *    pa_tokenizer_keep_counts() before sharing it).  The only state the
 *    library shares between threads is the out-of-memory handler and the
 *    tokenizer directory of pa_tokenizer_set_dir(): set them before the
 *    first call, or never.
 *  - The environment.  The library reads none (no getenv, no environ):
 *    the places a run reads (home, the user's Claude directory, the
 *    environment Claude Code runs with, the tokenizer directory, the
 *    user's config) come in through the options, and an option left NULL
 *    is the default its field names.  The program's setup reads the
 *    environment once and passes it in (the CLI's is cli_setup()).
 *  - The library never prints and never exits, but for one case: when
 *    memory runs out it calls the handler set with pa_set_nomem_handler(),
 *    and without one ends the process (exit status 3, a one-line message
 *    on standard error).  PA_ERR_NOMEM is only for memory that a
 *    dependency (libyaml, PCRE2, utf8proc) could not get.
 */
#ifndef PROMPTASM_H
#define PROMPTASM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PA_VERSION "0.1.0"

/* The version of the schema of every JSON output (docs/json.md): written
 * by each `--format json` and read back by `check --baseline`.  Keys are
 * only ever added; a change of meaning raises it.  2: `context` and
 * `check` have one shape for every agent CLI (`--harness`); a `check`
 * report of version 1, the same for Claude Code's agents, is read back
 * too (PA_JSON_VERSION_BASELINE). */
#define PA_JSON_VERSION 2
#define PA_JSON_VERSION_BASELINE 1

/* ---------------------------------------------------------------------
 * Status codes and errors
 *
 * Values are only ever appended, so they can be stored and compared.
 * ------------------------------------------------------------------- */

typedef enum pa_status {
	PA_OK = 0,           /* success */
	PA_ERR_NOMEM = 1,    /* out of memory */
	PA_ERR_IO = 2,       /* a file could not be read or written */
	PA_ERR_UTF8 = 3,     /* the text is not valid UTF-8 */
	PA_ERR_PARSE = 4,    /* malformed input: YAML, frontmatter, manifest */
	PA_ERR_NOT_FOUND = 5,/* no such tokenizer, model, agent or file */
	PA_ERR_INVALID = 6,  /* an argument or a setting is out of range */
	PA_ERR_CHECKSUM = 7, /* a data file does not match its checksum */
	PA_ERR_OVER_BUDGET = 8,/* what may not be trimmed exceeds the budget */
	PA_ERR_TOO_LARGE = 9,/* a file or input is over its documented size limit */
	PA_ERR_DATA = 10     /* the installation's own data (a tokenizer) is missing */
} pa_status;

/* A short description of a status ("out of memory").  Static storage. */
const char *pa_strerror(pa_status status);

/*
 * What went wrong, for the message a program prints.  `line`, `column`
 * (1-based) and `offset` (0-based byte offset) are 0 / -1 when unknown.
 * The struct owns no memory: it can live on the stack and be reused.
 */
typedef struct pa_error {
	pa_status status;
	char message[512]; /* what went wrong, lowercase, no final full stop */
	char file[1024];   /* the file it concerns, or "" */
	long line;         /* 1-based line, or 0 */
	long column;       /* 1-based column, or 0 */
	long long offset;  /* 0-based byte offset, or -1 */
} pa_error;

/* Frees memory the library handed to the caller.  NULL does nothing. */
void pa_free(void *ptr);

/* ---------------------------------------------------------------------
 * The simple interface: an agent's prompt, assembled and counted
 *
 * One call does what `promptasm build AGENT` does: it finds the agent in
 * the project, composes what Claude Code gives it (its body, its memory,
 * the CLAUDE.md files, rules, imports and skills), picks the tokenizer
 * (-t or -m as opt gives them, else the config's, else the one of the
 * model the agent runs on), counts, and trims to the budget when one
 * applies (opt->budget, else the config's).
 *
 *     pa_options opt;
 *     pa_assembly *a;
 *     pa_error err;
 *     size_t len;
 *
 *     pa_options_init(&opt);
 *     opt.project = "path/to/repository";
 *     if (pa_assemble("reviewer", &opt, &a, &err) != PA_OK) {
 *         fprintf(stderr, "%s: %s\n", err.file, err.message);
 *         pa_assembly_free(a);
 *         return 1;
 *     }
 *     fwrite(pa_assembly_text(a, &len), 1, len, stdout);
 *     printf("%zu tokens%s\n", pa_assembly_tokens(a),
 *            pa_assembly_exact(a) ? "" : " (an estimate)");
 *     pa_assembly_free(a);
 *
 * A program that assembles many agents of one project keeps a session
 * (pa_session_new() below), which reads the config, loads each tokenizer
 * and (PA_SESSION_MANY) reads the project's instructions once.  The CLI's
 * agent commands are such a program.  The rest of this header is the
 * pieces these calls are made of, for programs that need them.
 * ------------------------------------------------------------------- */

/* One agent's prompt, composed, counted, and trimmed when asked. */
typedef struct pa_assembly pa_assembly;
/* What several assemblies of one project share. */
typedef struct pa_session pa_session;

#define PA_NO_BUDGET ((size_t)-1)

typedef struct pa_options {
	const char *project;   /* start in this directory; NULL: the current one */
	const char *tokenizer; /* count with this tokenizer, or */
	const char *model;     /* with the one serving this model; NULL: see above */
	size_t budget;         /* tokens; PA_NO_BUDGET: the config's, if any */
	int no_config;         /* ignore the project's .promptasm.yaml */
	const char *user_config; /* the user's config (pa_config_user_file());
	                          * NULL: none */
	unsigned flags;        /* PA_SESSION_MANY */
	const char *tokenizer_dir; /* NULL: pa_tokenizer_dir(NULL) */
	/* For programs that need more (the CLI does); NULL: all-zero
	 * options (no home, so no user files; an empty environment: the
	 * library reads no environment, its caller passes HOME,
	 * CLAUDE_CONFIG_DIR and `environ` here).  Borrowed for the
	 * session's life. */
	const struct pa_compose_options *compose; /* what loads; project wins */
	const struct pa_trim_overrides *trim;     /* margin, reserve, rules */
} pa_options;

/* Sets opt to the defaults: the current directory, no budget of its own. */
void pa_options_init(pa_options *opt);

/* Assembles the prompt of agent (a name, or the path of an agent file),
 * trimmed to the budget that applies.  *out is set whenever memory was
 * had, on failure too (its warnings may say why); the caller frees it
 * with pa_assembly_free().  PA_ERR_OVER_BUDGET: what may not be trimmed
 * exceeds the budget (the text is trimmed as far as it goes). */
pa_status pa_assemble(const char *agent, const pa_options *opt,
                      pa_assembly **out, pa_error *err);

/* The prompt: the text to send, trimmed when a budget applied.
 * Borrowed from a. */
const char *pa_assembly_text(const pa_assembly *a, size_t *len);
/* Its tokens (after trimming, when trimmed). */
size_t pa_assembly_tokens(const pa_assembly *a);
/* 1 when the count is exact for the model the agent runs on; 0 when it
 * is an estimate (a Claude model counted with a published tokenizer). */
int pa_assembly_exact(const pa_assembly *a);
/* For an estimate (!pa_assembly_exact), the band of the untrimmed prompt
 * (pa_claude_band()); 0 and both 1 for an exact count. */
int pa_assembly_band(const pa_assembly *a, double *low, double *high);
/* What was skipped or is worth knowing, as a program would warn.
 * Borrowed from a. */
const struct pa_warnings *pa_assembly_warnings(const pa_assembly *a);
void pa_assembly_free(pa_assembly *a); /* NULL does nothing */

/* ---------------------------------------------------------------------
 * Growable buffer
 *
 * As git's strbuf: `ptr` is never NULL and always NUL-terminated (so it is
 * a C string when the text has no NUL), `len` excludes the terminator.
 * Start with PA_BUF_INIT; end with pa_buf_release() or take the memory with
 * pa_buf_detach().  Allocation failure ends the process (below): a
 * prompt tool has no useful way to go on without memory, and it keeps
 * every caller simple.
 * ------------------------------------------------------------------- */

/* What the library calls when an allocation fails, with the size asked
 * for; it should not return (it may clean up, print and exit).  Without
 * one, and when it returns, the library writes `promptasm: out of memory
 * (allocating N bytes)` to standard error and ends the process with exit
 * status 3, as promptasm's CLI does.  Not thread-safe: set it before the
 * first call. */
typedef void (*pa_nomem_handler)(size_t size);
void pa_set_nomem_handler(pa_nomem_handler handler);

typedef struct pa_buf {
	char *ptr;
	size_t len;
	size_t cap;
} pa_buf;

extern char pa_buf_empty[];
#define PA_BUF_INIT { pa_buf_empty, 0, 0 }

void pa_buf_grow(pa_buf *b, size_t extra);           /* room for extra more bytes */
void pa_buf_put(pa_buf *b, const void *data, size_t len);
void pa_buf_puts(pa_buf *b, const char *s);
void pa_buf_putc(pa_buf *b, char c);
void pa_buf_printf(pa_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void pa_buf_vprintf(pa_buf *b, const char *fmt, va_list ap)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 0)))
#endif
	;
void pa_buf_truncate(pa_buf *b, size_t len);         /* len <= b->len */
void pa_buf_reset(pa_buf *b);                        /* len = 0, keeps memory */
/* Returns the text (caller frees with pa_free()) and resets b to empty. */
char *pa_buf_detach(pa_buf *b, size_t *len);
void pa_buf_release(pa_buf *b);                      /* frees, back to PA_BUF_INIT */
/* Appends v in digits with thousands separators: "12,345". */
void pa_buf_put_count(pa_buf *b, size_t v);

/* ---------------------------------------------------------------------
 * Files and UTF-8
 * ------------------------------------------------------------------- */

/*
 * Every file promptasm reads may come from a repository someone else
 * wrote, so every read goes through pa_file_read_limited(): it reads only
 * regular files (a FIFO, a device or a socket is refused without reading
 * it, and opening never blocks), and never more than the limit its caller
 * states, so memory stays bounded whatever the file is.  The limits are
 * these constants (promptasm(1), SECURITY); PA_INSTRUCTIONS_MAX_BYTES below
 * is the limit of CLAUDE.md files, rules, imports and MEMORY.md.
 */
#define PA_AGENT_MAX_BYTES (4L * 1024 * 1024)    /* an agent file */
#define PA_CONFIG_MAX_BYTES (1L * 1024 * 1024)   /* .promptasm.yaml */
/* Entries of each of the config's `budgets:`, `instructions:` and
 * `sections:`: every section of a prompt is matched against every rule,
 * so their product bounds the time of trim and explain (8,000 rules and
 * 8,000 rule files took 7 s). */
#define PA_CONFIG_MAX_ENTRIES 1000
/* The claudeMdExcludes patterns of all settings files together: every
 * instruction file is matched against each (25,000 patterns and 3,000
 * rules ran past a minute).  Past it, check fails. */
#define PA_SETTINGS_MAX_EXCLUDES 1000
/* A model's name that a file the project holds gives the main session or
 * another CLI (.promptasm.yaml's `model:`, Claude Code's settings, the
 * other CLIs' configurations): every row a report writes names it (JSON
 * keeps names whole), so a 4 MiB name over 10,000 agents was 80 GB of
 * JSON.  No model has a name that long (a Bedrock ARN is some 100
 * bytes); past it, the name is refused at its file and line. */
#define PA_MODEL_NAME_MAX 1024
#define PA_MANIFEST_MAX_BYTES (1L * 1024 * 1024) /* a tokenizer manifest */
#define PA_RANKS_MAX_BYTES (64L * 1024 * 1024)   /* a tokenizer's rank file */
/* What trim and tokenize --format json read; what count and tokenize read
 * between two places they may cut (pa_tokenizer_safe_split), reading any
 * size in blocks. */
#define PA_INPUT_MAX_BYTES (16L * 1024 * 1024)
/* What count and tokenize hold of an input with no place to cut it
 * (pa_tokenizer_safe_split): they read on until they find one, so that a
 * text of any shape counts, up to this stretch (a pre-token of 64 MiB
 * of letters or NUL bytes, /dev/zero, or a tokenizer whose pattern is
 * never cut: memory stays bounded). */
#define PA_INPUT_MAX_UNCUT_BYTES (64L * 1024 * 1024)
/* What check keeps of the counts of the parts prompts share
 * (pa_tokenizer_keep_counts), per tokenizer. */
#define PA_CHECK_KEPT_COUNT_BYTES (64L * 1024 * 1024)
/* What --trust runs (pa_compose_options.trust), all the commands of a run
 * (a process) together: the seconds they may take, each within its own
 * deadline, and the bytes of standard output they may print.  Past either,
 * the rest is not run, or cut, with a warning (SECURITY.md). */
#define PA_TRUST_TOTAL_SECONDS 20
#define PA_TRUST_TOTAL_OUTPUT_BYTES (16L * 1024 * 1024)
/* The walks of a project (.claude/rules/ and .claude/agents/, skills, the
 * start directories of the other CLIs, count DIR): entries read (files
 * and directories), and levels below the walked directory.  Claude Code
 * walks any depth; a walk that stops at a limit leaves files unread,
 * which is a PA_WARNING_INCOMPLETE (an error for check).  The entries are
 * sized for the largest real trees (the Linux kernel: 78,000 files; a
 * monorepo of a million) and bounded by the memory a walk keeps (about
 * 100 bytes an entry: 200 MB): a run may raise it (pa_walk_limit_set(),
 * --max-entries, the config's max_entries). */
#define PA_WALK_MAX_ENTRIES 2000000
#define PA_WALK_MAX_DEPTH 256
/* The instruction files of one load of another agent CLI (imports made
 * many times over included): past it the load is full, and check fails. */
#define PA_LOAD_MAX_FILES 10000
/* check --count-api: the largest input_tokens an answer of Anthropic's
 * count_tokens may give (a JSON integer from 0 to it, else the answer is
 * refused and the estimate stands: no request holds a billion tokens, and
 * sums of such counts stay far from overflow), and the most of an answer
 * read (a larger one is refused as oversized). */
#define PA_COUNT_API_MAX_TOKENS 1000000000L
#define PA_COUNT_API_MAX_ANSWER_BYTES (64L * 1024)

/* Flags of pa_file_read_limited(). */
#define PA_FILE_STDIN 1u    /* path "-" is standard input (of any kind) */
#define PA_FILE_NOFOLLOW 2u /* a symbolic link (the last component) is refused */

/*
 * Reads the file at path into out, appending, when it is a regular file
 * of at most `limit` bytes.  Errors: PA_ERR_NOT_FOUND (no such file),
 * PA_ERR_IO (cannot open or read it, a directory, not a regular file, a
 * symbolic link with PA_FILE_NOFOLLOW), PA_ERR_TOO_LARGE (over the limit:
 * a regular file is not read at all, standard input no further than the
 * limit).  The message names the reason, err->file the file ("<stdin>"
 * for standard input).
 */
pa_status pa_file_read_limited(const char *path, size_t limit, unsigned flags,
                               pa_buf *out, pa_error *err);

/* Writes data to path atomically: a temporary file in the same directory,
 * then rename(2), keeping the permissions of the file it replaces.  A
 * path that exists but is not a regular file (a device such as /dev/null,
 * a FIFO, a directory, a symbolic link) is refused (PA_ERR_IO), so that
 * the rename never replaces it.  The old file stays untouched on failure. */
pa_status pa_file_write_atomic(const char *path, const char *data, size_t len,
                               pa_error *err);

/* Returns 1 when text is valid UTF-8, else 0 and the byte offset of the
 * first bad byte in *bad_offset (may be NULL). */
int pa_utf8_valid(const char *text, size_t len, size_t *bad_offset);

/* Appends text to out with each invalid byte sequence replaced by U+FFFD
 * (one per maximal invalid subpart, as the Unicode standard recommends). */
void pa_utf8_lossy(const char *text, size_t len, pa_buf *out);

/* ---------------------------------------------------------------------
 * Tokenizers
 *
 * A tokenizer is a directory entry of data files: `<name>.yaml` (the
 * manifest: rank file, checksum, pre-tokenization pattern, special
 * tokens, normalization, the models it serves), `<name>.tiktoken` (ranks)
 * and, built by `make`, `<name>.patab` (the same ranks as a hash table
 * that is mapped into memory instead of parsed).  A new tokenizer is new
 * files, not new code.
 *
 * The directory is, in order: the `dir` argument when not NULL, the one
 * pa_tokenizer_set_dir() named (the CLI names $PROMPTASM_TOKENIZERS
 * there, at its setup: the library reads no environment), `tokenizers/`
 * next to the running program (a source checkout), then the installed
 * data directory.
 * ------------------------------------------------------------------- */

typedef struct pa_tokenizer pa_tokenizer;

#define PA_DEFAULT_TOKENIZER "o200k_base"

/* Loads tokenizer `name`.  On success *out owns it; free with
 * pa_tokenizer_free(). */
pa_status pa_tokenizer_load(const char *name, const char *dir,
                            pa_tokenizer **out, pa_error *err);

/* The model a gateway or provider id names (`anthropic/claude-sonnet-4.5`,
 * a Bedrock or Vertex AI id) by the table models.tsv of the tokenizer
 * directory (docs/tokenizers.md), into out, replacing its contents; an id
 * no row matches, or a directory without the table, gives the id itself.
 * Errors: a malformed table (PA_ERR_PARSE, file and line), out holding
 * the id. */
pa_status pa_model_canonical(const char *model, const char *dir, pa_buf *out,
                             pa_error *err);

/* Loads the tokenizer that serves `model`, after pa_model_canonical() (an
 * exact model name first, then the longest model prefix across all
 * manifests). */
pa_status pa_tokenizer_load_for_model(const char *model, const char *dir,
                                      pa_tokenizer **out, pa_error *err);

/* The name of the tokenizer pa_tokenizer_load_for_model() would load for
 * `model`, into out (replacing its contents), without loading it: the
 * same errors (PA_ERR_NOT_FOUND when no tokenizer serves the model). */
pa_status pa_tokenizer_name_for_model(const char *model, const char *dir,
                                      pa_buf *out, pa_error *err);

void pa_tokenizer_free(pa_tokenizer *tok);

/* Borrowed; valid until pa_tokenizer_free(tok). */
const char *pa_tokenizer_name(const pa_tokenizer *tok);

/* 1 when counts of this tokenizer only approximate the models it serves
 * (Claude models newer than Claude 2), else 0.  `model` may be NULL; when
 * it names a model the tokenizer serves exactly, the answer is 0. */
int pa_tokenizer_is_estimate(const pa_tokenizer *tok, const char *model);

/* The known error band of an estimate, one sentence, or "" when exact.
 * Borrowed; valid until pa_tokenizer_free(tok). */
const char *pa_tokenizer_error_band(const pa_tokenizer *tok);

/* The directory entries one walk of the project reads at most, for the
 * whole process (PA_WALK_MAX_ENTRIES until set; 0 sets that default).
 * pa_session_new() sets it from its options or config; set it before any
 * walk, not while one runs. */
void pa_walk_limit_set(size_t max_entries);
size_t pa_walk_limit(void);

/* Where text (len bytes of valid UTF-8) may be cut so that the tokens of
 * the two parts, counted or encoded apart, are those of the whole: the end
 * of the longest prefix that ends where the known patterns' pre-tokens are
 * fixed by the bytes about the cut, whatever comes before and after.
 * Those places: a line feed before a letter (an ASCII one, or one of
 * another script that NFKC leaves as it is whatever surrounds it) or
 * before printable ASCII other than `/`, a space before printable ASCII
 * (the cut before the space), and, in a stretch without either, ASCII
 * punctuation after an ASCII letter or digit ("0x3f,0xa2").  cl100k_base and o200k_base take a
 * run of white space that ends in a line feed as one piece: the cut is
 * after it.  GPT-2's pattern (claude) leaves the run's last character to
 * a piece of its own: the cut is before that line feed when the run is
 * longer (its character before is ASCII white space), else after a lone
 * line feed that follows a printable ASCII character; never next to the
 * start of a special token the text may hold.  No piece then spans the
 * cut, and the claude tokenizer's NFKC does not compose across it
 * (tests/unit/test_split.c proves it on the reference corpus and random
 * text).  0 when there is no such place, or when tok's pattern is not a
 * known one (then a cut is never safe). */
size_t pa_tokenizer_safe_split(const pa_tokenizer *tok, const char *text,
                               size_t len);

/* Whether pa_tokenizer_safe_split can ever cut a text of tok: 0 for a
 * tokenizer with no pre-tokenizer, one whose pattern is not a known one
 * (deepseek_v3), or one with a special token that holds a line feed and
 * may stand in text; count and tokenize then hold a text whole, up to
 * PA_INPUT_MAX_UNCUT_BYTES. */
int pa_tokenizer_can_cut(const pa_tokenizer *tok);

/* From now on, counting with tok remembers the counts of the parts of
 * each text, cut at every place pa_tokenizer_safe_split may cut (parts of
 * 64 bytes or more), and counts a part it has met before by looking it up:
 * for a program that counts many texts sharing long parts (check: every
 * agent's prompt holds the project's instructions).  What is kept, the
 * parts and their slots, stays within max_bytes.  Counts stay exact, since
 * the parts' tokens add up to the whole's.  Encoding is not affected.
 * Each call forgets what was kept; 0 stops.  Call it before tok is shared
 * between threads; counting from several threads is then safe.  Nothing
 * happens for a tokenizer that is never cut (pa_tokenizer_safe_split). */
void pa_tokenizer_keep_counts(pa_tokenizer *tok, size_t max_bytes);

/* Counts the tokens of text without building an id array.
 *
 * Memory kept between calls: each thread that counts or encodes keeps the
 * pieces it merged, the tokens and pairs of tokens it met lately (the memo
 * of pieces is 1 MB, 4 MB once it has merged tens of thousands of pieces;
 * the rest 0.3 MB) and the merge's working memory for pieces of up to 64 KB
 * (6 MB in all at most), so that its next call with the same tokenizer
 * starts warm (count reads a file in blocks, check counts thousands of
 * prompts).  A call with another tokenizer starts afresh.  It is freed when the thread ends, and
 * on the calling thread by pa_tokenizer_free(). */
pa_status pa_tokenizer_count(const pa_tokenizer *tok, const char *text,
                             size_t len, size_t *count, pa_error *err);

/* Encodes text.  On success *ids (caller frees with pa_free()) holds *n
 * ids; an empty text gives *n == 0 and *ids may be NULL. */
pa_status pa_tokenizer_encode(const pa_tokenizer *tok, const char *text,
                              size_t len, uint32_t **ids, size_t *n,
                              pa_error *err);

/* Appends the bytes of the ids to out.  An id the tokenizer does not have
 * is PA_ERR_INVALID.  The bytes need not be valid UTF-8 on their own. */
pa_status pa_tokenizer_decode(const pa_tokenizer *tok, const uint32_t *ids,
                              size_t n, pa_buf *out, pa_error *err);

/* The bytes of one token, or NULL when id is unknown.  Borrowed; valid
 * until pa_tokenizer_free(tok). */
const char *pa_tokenizer_token(const pa_tokenizer *tok, uint32_t id,
                               size_t *len);

/* What `promptasm tokenizers` lists. */
typedef struct pa_tokenizer_info {
	char *name;        /* "o200k_base" */
	char *reference;   /* what the ids are checked against */
	char *models;      /* models and prefixes served, comma-separated */
	char *error_band;  /* "" when exact */
	int estimate;      /* 1 when counts approximate the models served */
} pa_tokenizer_info;

/* Lists the tokenizers of the directory (see above), sorted by name.  The
 * caller frees the list with pa_tokenizer_info_free(). */
pa_status pa_tokenizer_list(const char *dir, pa_tokenizer_info **list,
                            size_t *n, pa_error *err);
void pa_tokenizer_info_free(pa_tokenizer_info *list, size_t n);

/* Builds the mapped rank table of the tokenizer whose manifest is at
 * manifest_path and writes it atomically to out_path, after checking the
 * rank file's SHA-256 against the manifest. */
pa_status pa_tokenizer_compile(const char *manifest_path, const char *out_path,
                               pa_error *err);

/* The directory tokenizers are loaded from (see above), or NULL when none
 * exists.  Caller frees with pa_free(). */
char *pa_tokenizer_dir(const char *dir);

/* Names the directory a NULL dir means for the rest of the process (NULL
 * or "": the search above).  dir is borrowed and must outlive its use.
 * Part of a program's setup: call it once, before any thread uses the
 * library (the CLI passes getenv("PROMPTASM_TOKENIZERS")). */
void pa_tokenizer_set_dir(const char *dir);

/* ---------------------------------------------------------------------
 * Agents and composition
 * ------------------------------------------------------------------- */

/*
 * An agent is a Markdown file with YAML frontmatter (`name` and
 * `description` required).  A prompt is what an agent really receives: its
 * body, then its memory section (when the agent has `memory:`), then the
 * project instructions (CLAUDE.md files, rules and their @imports) in the
 * order Claude Code loads them.  A prompt is an ordered array of sections
 * whose texts can be replaced (the trimmer does) and rendered again.
 *
 * Example: build the prompt of agent "reviewer" from the current directory.
 *
 *     pa_compose_options opt = {0};
 *     pa_warnings warn = {0};
 *     pa_agent *agent = NULL;
 *     pa_prompt *prompt = NULL;
 *     pa_buf text = PA_BUF_INIT;
 *     pa_error err;
 *
 *     opt.home = getenv("HOME");
 *     if (pa_agent_find("reviewer", &opt, &agent, &warn, &err) == PA_OK &&
 *         pa_prompt_compose(agent, &opt, &prompt, &warn, &err) == PA_OK) {
 *         pa_prompt_render(prompt, &text);
 *         fwrite(text.ptr, 1, text.len, stdout);
 *     }
 *     pa_buf_release(&text);
 *     pa_prompt_free(prompt);
 *     pa_agent_free(agent);
 *     pa_warnings_release(&warn);
 *
 * Warnings (an import that is missing, frontmatter that is not strict YAML,
 * a memory file that was cut) are returned as data in a pa_warnings list:
 * the library never prints them.
 */

/* What a warning is about, for a program that treats some apart (values
 * only ever appended). */
typedef enum pa_warning_kind {
	PA_WARNING_OTHER = 0,        /* anything that leaves out or changes
	                              * part of a prompt */
	PA_WARNING_AGENT_SKIPPED = 1, /* an agent file left out of a lookup: it
	                              * does not parse, or Claude Code does not
	                              * load an agent of that name */
	PA_WARNING_INCOMPLETE = 2,   /* files the loading order names were not
	                              * read for a limit or a name promptasm
	                              * cannot use (a walk stopped at
	                              * PA_WALK_MAX_*, a path too long, a name
	                              * that is not valid UTF-8): what Claude
	                              * Code loads may be missing */
	PA_WARNING_AGENT_DUPLICATE = 3, /* two files of one directory define
	                              * one agent name (its `reason` is that
	                              * name) */
	PA_WARNING_NOT_AGENT = 4     /* a Markdown file of an agents directory
	                              * without frontmatter (a collection's
	                              * README.md): no agent file, and Claude
	                              * Code passes over it */
} pa_warning_kind;

/* One warning: the line a program prints, and the file, line and column
 * it is about, so that a report can point at them without parsing the
 * text. */
typedef struct pa_warning {
	char *message; /* one line, lowercase, no full stop */
	char *path;    /* the file, shown as section paths are; NULL: none */
	long line;     /* 1-based line in that file, or 0 */
	long column;   /* 1-based column in that line, or 0 */
	pa_warning_kind kind;
	char *reason;  /* PA_WARNING_AGENT_SKIPPED, PA_WARNING_INCOMPLETE: what
	                * is wrong with the file, without where, for a
	                * program that words its own message;
	                * PA_WARNING_AGENT_DUPLICATE: the agent's name; else
	                * NULL */
} pa_warning;

/* Warnings a call adds to.  Start with `pa_warnings w = {0};` and end
 * with pa_warnings_release(). */
typedef struct pa_warnings {
	pa_warning *items;
	size_t n;
} pa_warnings;

void pa_warnings_release(pa_warnings *w); /* frees, back to {0} */

/* Where Claude Code 2.1.332 reads the managed policy (its rules are in
 * .claude/rules/ of the same directory). */
#if defined(__APPLE__)
#define PA_MANAGED_FILE "/Library/Application Support/ClaudeCode/CLAUDE.md"
#elif defined(_WIN32)
#define PA_MANAGED_FILE "C:\\Program Files\\ClaudeCode\\CLAUDE.md"
#else
#define PA_MANAGED_FILE "/etc/claude-code/CLAUDE.md"
#endif

/* The limits of the loading rules, as promptasm(1) documents them.  Every
 * use, messages and our memory wording included, refers to these. */
#define PA_MEMORY_MAX_LINES 200      /* lines of MEMORY.md loaded */
/* Characters (UTF-16 code units, as Claude Code's JavaScript counts them)
 * of MEMORY.md loaded, in whole lines. */
#define PA_MEMORY_MAX_CHARS 25000
#define PA_IMPORT_MAX_DEPTH 4        /* hops of @imports loaded */
#define PA_INSTRUCTIONS_MAX_BYTES (4L * 1024 * 1024) /* larger files are skipped */
#define PA_INSTRUCTIONS_TOTAL_MAX_BYTES (16L * 1024 * 1024) /* all of them together */
#define PA_INSTRUCTIONS_LARGE_CHARS 150000 /* larger files are warned about */
/* A rule's `paths:` glob is matched while the patterns its {a,b} groups
 * expand to hold at most this many bytes in all; past it, it matches
 * nothing (each group multiplies the patterns to try). */
#define PA_GLOB_MAX_BYTES 65536

/* What the loading rules read.  All-zero (`= {0}`) means: the process's
 * working directory, no home directory (so no user files), the managed
 * file at PA_MANAGED_FILE, every ancestor, the built-in memory wording. */
typedef struct pa_compose_cache pa_compose_cache;
/* What the other agent CLIs' loads of one run share (below, with
 * pa_harness_options). */
typedef struct pa_harness_cache pa_harness_cache;

typedef struct pa_compose_options {
	const char *cwd;          /* working directory; NULL: the process's */
	const char *home;         /* what `~` is; NULL or "": no user files */
	/* The user's Claude directory (CLAUDE_CONFIG_DIR); NULL or "":
	 * ~/.claude.  User CLAUDE.md, rules, agents, skills and memory. */
	const char *config_dir;
	const char *managed_file; /* NULL: PA_MANAGED_FILE */
	int no_managed;           /* leave out the managed policy file */
	int no_user;              /* leave out ~/.claude/CLAUDE.md and ~/.claude/rules */
	int no_ancestors;         /* CLAUDE.md files only from the repository root down */
	/* Files the agent will work on (relative to cwd, or absolute): a rule
	 * with `paths:` globs is loaded only when one of them matches. */
	const char *const *for_files;
	size_t n_for_files;
	/* Replaces the wording of the memory section: {{agent}}, {{scope}},
	 * {{dir}} (the memory directory), {{file}} (its MEMORY.md) and
	 * {{memory}} (what was loaded, or a note that it is empty) are
	 * replaced.  NULL: the built-in wording. */
	const char *memory_template;
	size_t memory_template_len;
	/* Load @imports whose real path lies outside the working directory.
	 * Claude Code asks before loading them, and in `-p` mode does not:
	 * by default they are skipped with a warning.  /proc, /sys and /dev
	 * are refused even so. */
	int approve_imports;
	/* Leave out auto memory, as a user whose settings turn it off
	 * (autoMemoryEnabled false, CLAUDE_CODE_DISABLE_AUTO_MEMORY). */
	int no_auto_memory;
	/* Where composes with these options keep the project instructions
	 * (CLAUDE.md files, rules and their imports): read once, then copied
	 * into each prompt and their warnings given again each time, for a
	 * program that composes many agents (check).  Every agent then sees
	 * the files as they were when first read.  A cache serves one set of
	 * options, and one thread at a time (it is filled by the first
	 * compose).  NULL: each compose reads the files. */
	pa_compose_cache *cache;
	/* The environment Claude Code would run with, as `environ`: NAME=VALUE
	 * strings, NULL-terminated; the `env` blocks of its settings are laid
	 * over it (CLAUDE_CODE_DISABLE_AUTO_MEMORY, CLAUDE_CODE_DISABLE_CLAUDE_MDS,
	 * ENABLE_TOOL_SEARCH ...).  NULL: an empty one. */
	const char *const *env;
	/* Run what Claude Code runs in a trusted folder: the SessionStart
	 * and UserPromptSubmit hooks of the settings, stdio MCP servers, `git
	 * status`, a preloaded skill's !`command` lines, each with a deadline
	 * and bounded output (SECURITY.md).  Only the user may set it (a
	 * flag, the user's own config), never a repository.  0: nothing of
	 * the project is run, and each is named in a warning. */
	int trust;
	/* The directory entries one walk of the project reads at most; 0:
	 * the config's max_entries, else PA_WALK_MAX_ENTRIES.  A session sets
	 * the process's limit from it (pa_walk_limit_set()). */
	size_t max_entries;
	/* Plugin directories the user named (Claude Code's --plugin-dir),
	 * absolute: each is one plugin, or a folder of plugins, whose agents,
	 * skills, commands, hooks and MCP servers load as Claude Code loads
	 * them (docs/claude-code.md, "Plugins").  Read outside the project:
	 * only the user may name them (a flag), never a repository. */
	const char *const *plugin_dirs;
	size_t n_plugin_dirs;
} pa_compose_options;

/* An empty cache for pa_compose_options.cache; the caller frees it with
 * pa_compose_cache_free() once no compose uses it. */
pa_compose_cache *pa_compose_cache_new(void);
void pa_compose_cache_free(pa_compose_cache *c);
/* The cache of the other agent CLIs' loads (pa_harness_options.cache)
 * that c keeps, so that Claude Code's instruction files and theirs (an
 * AGENTS.md both read) are opened once: borrowed, valid until
 * pa_compose_cache_free(c); NULL when c is NULL. */
pa_harness_cache *pa_compose_cache_harness(pa_compose_cache *c);
/* Every configuration file the compositions that used c read for Claude
 * Code (its settings at each level, the managed settings, plugins'
 * manifests and hooks, .mcp.json files, an output style's file), each
 * once, as a path: with the prompt's section files (pa_prompt_section_file())
 * what a command that writes a file must never replace, as
 * pa_harness_input_at() lists a CLI's.  None before a composition.
 * Borrowed from c. */
size_t pa_compose_cache_input_count(const pa_compose_cache *c);
const char *pa_compose_cache_input_at(const pa_compose_cache *c, size_t i);

/* The project root for a working directory, by the one rule every part
 * of promptasm uses (the config file, the paths shown, project memory,
 * check's paths; docs/composing.md, "The project root"): within a
 * repository (the nearest directory, cwd included, holding `.git`), the
 * outermost directory between cwd and the repository root that holds a
 * `.claude` directory, else the repository root; outside one, the
 * nearest directory holding `.claude`, else cwd.  Home's `.claude` never
 * counts (it is the user's).  So with R/.git, R/.claude and
 * R/pkg/.claude, the root is R from R and from R/pkg alike.  Paths are
 * shown relative to the project root, project memory lives under it and
 * `.promptasm.yaml` is read there.  NULL cwd: the process's.  Caller
 * frees with pa_free(). */
char *pa_project_root(const char *cwd, const char *home, pa_error *err);

/* The repository root for a working directory: the nearest directory,
 * cwd included, holding `.git` (a directory, or the file of a worktree),
 * as a real path; *out is NULL when there is none.  In a monorepo it lies
 * above the project root.  NULL cwd: the process's.  The caller frees
 * *out with pa_free(). */
pa_status pa_repository_root(const char *cwd, char **out, pa_error *err);

/* Both roots of opt's working directory, by the rules above: *project as
 * pa_project_root() gives it, *repo as pa_repository_root() (NULL
 * outside a repository).  With opt->cache they are resolved once into it
 * and every later call answers from there, so that a program asking
 * often (check) looks at each .git once.  The caller frees both with
 * pa_free(). */
pa_status pa_compose_roots(const pa_compose_options *opt, char **project,
                           char **repo, pa_error *err);

typedef struct pa_agent pa_agent;

/* Parses an agent file's text.  `path` names the file in messages and is
 * what pa_agent_path() returns.  Frontmatter that is not strict YAML is
 * read line by line (`key: value`, indented lines continue a value, `- x`
 * lines under a key make a list) with a warning.  Errors: no frontmatter,
 * unterminated frontmatter, no `name` or `description` (PA_ERR_PARSE, with
 * file and line).  The caller frees *out with pa_agent_free(). */
pa_status pa_agent_parse(const char *text, size_t len, const char *path,
                         pa_agent **out, pa_warnings *warn, pa_error *err);

/* Reads and parses an agent file. */
pa_status pa_agent_load(const char *path, pa_agent **out, pa_warnings *warn,
                        pa_error *err);

/* Finds an agent by file path (an argument holding a `/`, ending in
 * `.md`, or "-" for stdin) or by `name`: first in `.claude/agents/` (any
 * depth) of the working directory and each ancestor up to the repository
 * root (the nearest `.git`; without one every ancestor but the home
 * directory), nearest first, then in `~/.claude/agents/`.  Files that do not parse are skipped
 * with a warning.  PA_ERR_NOT_FOUND when no agent has that name. */
pa_status pa_agent_find(const char *name_or_path,
                        const pa_compose_options *opt, pa_agent **out,
                        pa_warnings *warn, pa_error *err);

void pa_agent_free(pa_agent *agent);

/* Borrowed; valid until pa_agent_free(agent).  Optional fields are NULL
 * when absent.  The description has its `\n` escapes turned to newlines. */
const char *pa_agent_name(const pa_agent *agent);
const char *pa_agent_description(const pa_agent *agent);
const char *pa_agent_model(const pa_agent *agent);
const char *pa_agent_memory(const pa_agent *agent); /* user, project, local */
const char *pa_agent_path(const pa_agent *agent);
/* The file the agent was read from, absolute; NULL for stdin or text. */
const char *pa_agent_file(const pa_agent *agent);
const char *pa_agent_body(const pa_agent *agent, size_t *len);
/* The 1-based line of its file on which the body's text starts. */
long pa_agent_body_line(const pa_agent *agent);
/* 1 when the frontmatter was not strict YAML and was read line by line. */
int pa_agent_is_lenient(const pa_agent *agent);
/* `tools` as a list, as Claude Code reads it: a string, or each string
 * item of a YAML list, split at commas and spaces outside parentheses
 * (`Read Grep, Bash(git log:*)` is three names); *n is 0 when the field
 * is absent, or names nothing (`tools: 42`, `tools: ""`). */
const char *const *pa_agent_tools(const pa_agent *agent, size_t *n);
/* 1 when `tools` is written (an empty list, or a value naming nothing,
 * included: that agent has no tools), 0 when absent or null: an agent
 * without it gets Claude Code's default tools. */
int pa_agent_tools_set(const pa_agent *agent);
/* 1 when the agent gets every tool (less `disallowedTools`): `tools`
 * absent or null, or `*` among its names (`tools: "*"`, `tools: Read, *`),
 * as Claude Code reads it. */
int pa_agent_tools_all(const pa_agent *agent);
/* `disallowedTools` as a list, likewise: tools taken out of the agent's
 * set (`Bash(rm:*)` takes out Bash). */
const char *const *pa_agent_disallowed_tools(const pa_agent *agent, size_t *n);
/* `skills` as a list, likewise: the skills Claude Code preloads into the
 * agent's context (their SKILL.md without frontmatter). */
const char *const *pa_agent_skills(const pa_agent *agent, size_t *n);
/* Any list field of the frontmatter (`disallowedTools`, ...) as strings,
 * as `tools` is read; NULL and *n 0 when absent.  The caller frees the
 * array and each string with pa_free(). */
char **pa_agent_string_list(const pa_agent *agent, const char *key, size_t *n);

/* Appends every frontmatter field as one JSON object, in file order:
 * tools, disallowedTools and skills as arrays, maxTurns as a number,
 * other plain scalars as YAML's core schema reads them. */
void pa_agent_json(const pa_agent *agent, pa_buf *out);

/* One definition found by pa_agent_list(). */
typedef struct pa_agent_entry {
	char *name;
	char *description;
	char *model;       /* NULL when absent */
	char *memory;      /* NULL when absent */
	char *path;        /* relative to the project root, or ~/..., or absolute */
	char *file;        /* the file, absolute */
	char *source;      /* "project", "user" or "plugin" */
	int wins;          /* 1 for the definition `build <name>` uses */
	/* Private to the library: the file as the listing parsed it, which
	 * pa_agent_load_entry() takes, so that a file is parsed once. */
	struct pa_agent_entry_parsed *parsed;
	/* 1 when a permissions.deny rule of the settings (Agent(NAME), or
	 * Agent whole) keeps Claude Code from listing and running it. */
	int denied;
} pa_agent_entry;

/* Every agent definition pa_agent_find() looks at, in lookup order
 * (project nearest first, then user; files sorted by path within a
 * directory).  The caller frees with pa_agent_entry_free(). */
pa_status pa_agent_list(const pa_compose_options *opt, pa_agent_entry **list,
                        size_t *n, pa_warnings *warn, pa_error *err);

/* The auto memory file Claude Code sends every agent of the project (the
 * main session's MEMORY.md; promptasm(1), AUTO MEMORY), shown as section
 * paths are; *out is NULL when auto memory is off or the file is missing
 * or blank.  The caller frees *out with pa_free(). */
pa_status pa_auto_memory_path(const pa_compose_options *opt, char **out,
                              pa_warnings *warn, pa_error *err);
void pa_agent_entry_free(pa_agent_entry *list, size_t n);

/* The agent of a pa_agent_list() entry, as the listing parsed it (taken
 * from the entry, with its warnings), else read and parsed again; its
 * path is the entry's. */
pa_status pa_agent_load_entry(pa_agent_entry *entry, pa_agent **out,
                              pa_warnings *warn, pa_error *err);

/* The kinds of sections, in the words the prompt uses. */
typedef enum pa_section_kind {
	PA_SECTION_BODY = 0,    /* the agent's own text */
	PA_SECTION_MEMORY = 1,  /* its MEMORY.md, with our wording around it */
	PA_SECTION_MANAGED = 2, /* the managed policy file */
	PA_SECTION_USER = 3,    /* ~/.claude/CLAUDE.md */
	PA_SECTION_PROJECT = 4, /* CLAUDE.md or .claude/CLAUDE.md */
	PA_SECTION_LOCAL = 5,   /* CLAUDE.local.md */
	PA_SECTION_RULE = 6,    /* .claude/rules/ (any depth), ~/.claude/rules/ */
	PA_SECTION_IMPORT = 7,  /* a file pulled in by an @path import */
	PA_SECTION_SKILL = 8,   /* a skill the agent preloads (`skills:`) */
	PA_SECTION_AUTO_MEMORY = 9, /* the main session's auto memory (MEMORY.md
	                             * of ~/.claude/projects/NAME/memory/) */
	PA_SECTION_HOOK = 10    /* what a SubagentStart hook of the settings
	                         * sends the agent (its additionalContext; run
	                         * with trust only), after the task */
} pa_section_kind;

/* Where Claude Code places a kind: the body and the memory section go in
 * the system prompt, the rest in the first user message before the task.
 * Returns 1 for the system prompt. */
int pa_section_kind_in_system(pa_section_kind kind);

/* "body", "memory", "managed" ...  Static storage. */
const char *pa_section_kind_name(pa_section_kind kind);

typedef struct pa_prompt pa_prompt;

/* Builds the prompt of agent: the body, the memory section when the agent
 * has `memory:`, then the CLAUDE.md chain (less what the settings'
 * claudeMdExcludes leave out), then the main session's auto memory.  Loading rules (documented in
 * promptasm(1)): managed, ~/.claude/CLAUDE.md, ~/.claude/rules/, then for
 * each directory from the outermost ancestor (or the repository root) down
 * to cwd: CLAUDE.md, .claude/CLAUDE.md, .claude/rules/, CLAUDE.local.md;
 * each file followed by its imports, depth first.  Files that cannot be
 * used are skipped with a warning.  The caller frees *out with
 * pa_prompt_free(). */
pa_status pa_prompt_compose(const pa_agent *agent,
                            const pa_compose_options *opt, pa_prompt **out,
                            pa_warnings *warn, pa_error *err);
void pa_prompt_free(pa_prompt *prompt);

/* Sections, in prompt order.  Strings are borrowed; valid until the
 * section's text is replaced or pa_prompt_free(prompt). */
size_t pa_prompt_section_count(const pa_prompt *prompt);
pa_section_kind pa_prompt_section_kind(const pa_prompt *prompt, size_t i);
/* Relative to the project root, else ~/..., else absolute. */
const char *pa_prompt_section_path(const pa_prompt *prompt, size_t i);
/* The file the text comes from, absolute; NULL when none (stdin). */
const char *pa_prompt_section_file(const pa_prompt *prompt, size_t i);
/* The 1-based line of that file from which 1-based line `line` of the
 * section's text comes; 0 when it comes from no file (the memory
 * section's wording) or the text was replaced. */
long pa_prompt_section_source_line(const pa_prompt *prompt, size_t i,
                                   long line);
const char *pa_prompt_section_text(const pa_prompt *prompt, size_t i,
                                   size_t *len);
/* The line that introduces the section in the prompt ("" for the body). */
const char *pa_prompt_section_heading(const pa_prompt *prompt, size_t i);
/* 1 when a load rule cut the text (PA_MEMORY_MAX_LINES, PA_MEMORY_MAX_CHARS). */
int pa_prompt_section_cut(const pa_prompt *prompt, size_t i);
/* What the load rule left out (the rest of MEMORY.md), with in *at the
 * byte of the composed, untrimmed text where it would stand; NULL, *len
 * and *at 0, when nothing was cut or the memory wording does not show the
 * file.  Borrowed; valid until pa_prompt_free(prompt). */
const char *pa_prompt_section_cut_text(const pa_prompt *prompt, size_t i,
                                       size_t *len, size_t *at);
/* For imports: 1 for a file imported by a loaded file, 2 for one that file
 * imports, ... (at most PA_IMPORT_MAX_DEPTH); 0 for every other section. */
int pa_prompt_section_depth(const pa_prompt *prompt, size_t i);
/* For imports: the path of the file that imported it; else NULL. */
const char *pa_prompt_section_parent(const pa_prompt *prompt, size_t i);

/* Replaces the text of section i (a copy is taken).  An empty text leaves
 * the section, heading and all, out of the rendered prompt. */
void pa_prompt_section_set_text(pa_prompt *prompt, size_t i,
                                const char *text, size_t len);

/* Appends the prompt: the sections in order, each but the body introduced
 * by its heading line, separated by blank lines, ending in a newline. */
void pa_prompt_render(const pa_prompt *prompt, pa_buf *out);

/* Appends the sections Claude Code places in the system prompt (system
 * 1: see pa_section_kind_in_system()), in the first user message before
 * the task (system 0), or after the task (system 2: PA_SECTION_HOOK),
 * joined as pa_prompt_render() joins them; nothing when there are none. */
void pa_prompt_render_placed(const pa_prompt *prompt, int system, pa_buf *out);

/* ---------------------------------------------------------------------
 * Budgets and trimming
 * ------------------------------------------------------------------- */

/*
 * A budget is a number of tokens of the chosen tokenizer.  The trimmer
 * cuts a prompt (or any text, as one section) until its exact count is at
 * most the budget, by rules that are a documented contract (promptasm(1),
 * TRIMMING RULES):
 *
 *  - Every section has a priority; the lowest goes first.  Defaults:
 *    memory 10, imports 20 (deepest first), CLAUDE.md files and rules 30
 *    (farthest first: managed, user, outermost ancestor ... nearest),
 *    the agent body 40, trimmed only with `trim_body`.  Ties: the deeper
 *    import first, then the one earlier in the prompt.
 *  - Within a section whole Markdown blocks go from its end (from its
 *    start when it keeps its tail).  A heading is never kept without its
 *    text.  A fenced code block is one block.  Only when not even the
 *    first kept block fits is that one block cut inside it: at a line,
 *    else at a grapheme-cluster boundary; a cut fence is closed again.
 *  - A one-line marker, `[promptasm: trimmed 1,234 tokens (12 blocks)
 *    from CLAUDE.md]`, stands where text went; markers count.  When even
 *    the markers do not fit, the markers of emptied sections go first
 *    (the section leaves the prompt, heading and all), then the others.
 *  - A floor is kept whatever the budget (rounded up to whole blocks); a
 *    cap trims a section even when the prompt fits.
 *  - The effective budget is floor((budget - reserve) * (1 - margin)),
 *    the margin applying only when the counts are estimates.
 *  - The guarantee is on the final text's exact count, for every input:
 *    when it fits (and no cap applies) nothing changes; when what may not
 *    be trimmed exceeds the budget, the result is PA_ERR_OVER_BUDGET.
 *
 * Example: trim a composed prompt (prompt, text and err as above, and tok
 * a loaded tokenizer) to 8,000 tokens.
 *
 *     pa_trim_spec spec;
 *     pa_trim_report *rep = NULL;
 *     pa_status st;
 *
 *     pa_trim_spec_init(&spec, 8000);
 *     st = pa_trim_prompt(prompt, tok, &spec, &rep, &err);
 *     if (st == PA_OK)          // rep->tokens_after <= 8000
 *         pa_prompt_render(prompt, &text);
 *     else if (st == PA_ERR_OVER_BUDGET)
 *         printf("%zu tokens too many\n", rep->missing);
 *     pa_trim_report_free(rep);
 */

/* The share of the budget kept free when counts are estimates. */
#define PA_DEFAULT_MARGIN 0.15
/* A budget that never trims: the trimmer only reports. */
/* A field of pa_section_rule that the rule leaves as it is. */
#define PA_UNSET (-1L)

/* Default priorities (lower is trimmed first). */
#define PA_PRIORITY_MEMORY 10
#define PA_PRIORITY_IMPORT 20
#define PA_PRIORITY_INSTRUCTIONS 30
#define PA_PRIORITY_BODY 40

typedef enum pa_keep {
	PA_KEEP_UNSET = 0, /* the rule leaves it */
	PA_KEEP_HEAD = 1,  /* keep the start, remove from the end (default) */
	PA_KEEP_TAIL = 2   /* keep the end, remove from the start */
} pa_keep;

/*
 * Settings for the sections a rule matches.  `match` is a section kind
 * ("body", "memory", "managed", "user", "project", "local", "rule",
 * "import"), "instructions" (every kind but body and memory), "*" or NULL
 * (every section), or a glob (fnmatch(3), `*` also matches `/`): with a
 * `/` it is matched against the section's path, else against its file
 * name.  Every matching rule applies in order, a later one overriding
 * the fields it sets.  Strings are borrowed from the caller.
 */
typedef struct pa_section_rule {
	const char *match;
	long priority;   /* PA_UNSET or a priority */
	long floor;      /* PA_UNSET or tokens always kept */
	long cap;        /* PA_UNSET or the most tokens the section may have */
	pa_keep keep;
	int instructions_only; /* 1: never the body or the memory section */
} pa_section_rule;

/* 1 when rule applies to a section of that kind and path. */
int pa_section_rule_matches(const pa_section_rule *rule, pa_section_kind kind,
                            const char *path);

typedef struct pa_trim_spec {
	size_t budget;        /* tokens; PA_NO_BUDGET: report only */
	int estimate;         /* 1: counts are estimates (pa_session_tokenizer()
	                       * decides it where it picks the tokenizer) */
	double margin;        /* share kept free when counts are estimates, 0..1 */
	size_t reserve;       /* tokens kept for the response */
	int trim_body;        /* the agent body may be trimmed too */
	const pa_section_rule *rules; /* borrowed */
	size_t n_rules;
} pa_trim_spec;

/* Sets spec to the defaults: that budget, margin PA_DEFAULT_MARGIN, no
 * reserve, no rules, the body kept. */
void pa_trim_spec_init(pa_trim_spec *spec, size_t budget);

/* The budget the trimmer aims at: floor((budget - reserve) * (1 - margin)),
 * the margin only for counts that are estimates (estimate 1: the whole
 * context Claude Code gives an agent always is one; else spec->estimate);
 * PA_NO_BUDGET stays PA_NO_BUDGET. */
size_t pa_trim_effective_budget_of(const pa_trim_spec *spec, int estimate);

/* What the trimmer did to one section. */
typedef enum pa_trim_action {
	PA_TRIM_KEPT = 0,    /* untouched */
	PA_TRIM_CUT = 1,     /* blocks removed, a marker where they were */
	PA_TRIM_EMPTIED = 2, /* all of its text removed; the marker stays */
	PA_TRIM_DROPPED = 3  /* left out, heading and all: no marker fit */
} pa_trim_action;

typedef struct pa_trim_section {
	char *path;
	pa_section_kind kind;
	int depth;               /* imports: 1..PA_IMPORT_MAX_DEPTH; else 0 */
	long priority;
	long floor, cap;         /* PA_UNSET when none */
	pa_keep keep;            /* PA_KEEP_HEAD or PA_KEEP_TAIL */
	int trimmable;           /* 0 for the body without trim_body */
	int load_cut;            /* a load rule had cut it (memory limits) */
	/* The figures every output reads, each counted alone (a section's
	 * count in the prompt differs by the joins and headings around it):
	 * tokens_after is tokens_kept plus marker_tokens, tokens_removed is
	 * tokens_before less tokens_kept and is what the marker states. */
	size_t tokens_before;    /* its text, untrimmed */
	size_t tokens_after;     /* what stands in the prompt: kept text and marker */
	size_t blocks;           /* Markdown blocks before trimming */
	size_t blocks_removed;   /* blocks that lost text (a block cut inside counts) */
	int cut_inside;          /* one block was cut inside */
	int marker;              /* 1 when a marker stands in its text */
	pa_trim_action action;
	const char *reason;      /* "budget", "cap" or ""; static storage */
	/* What is left, as bytes of the untrimmed text: [kept_start,
	 * kept_end) is in the trimmed text as it was, from its byte kept_at,
	 * the marker after it (PA_KEEP_HEAD) or before it (PA_KEEP_TAIL);
	 * around it only the fence lines a code block cut inside needs.
	 * Kept: the whole text, at 0; emptied: empty, at the start (head) or
	 * the end (tail) of the untrimmed text, kept_at where the marker
	 * ends or starts; dropped: empty, kept_at 0. */
	size_t kept_start, kept_end, kept_at;
	size_t tokens_kept;      /* its own text left, without the marker */
	size_t tokens_removed;   /* tokens_before - tokens_kept */
	size_t marker_tokens;    /* the marker and its join: after - kept */
} pa_trim_section;

typedef struct pa_trim_report {
	size_t budget;           /* as asked (PA_NO_BUDGET when none) */
	size_t effective;        /* after reserve and margin */
	size_t reserve;
	double margin;           /* the margin applied: 0 when counts are exact */
	int estimate;            /* 1 when counts are estimates */
	size_t tokens_before;    /* the whole text, untrimmed, exact */
	size_t tokens_after;     /* the final text, exact */
	size_t missing;          /* over budget: tokens too many in the smallest form */
	pa_trim_section *sections;
	size_t n_sections;
} pa_trim_report;

void pa_trim_report_free(pa_trim_report *report);

/* Trims prompt in place to spec.  On PA_OK its rendering counts at most
 * the effective budget.  PA_ERR_OVER_BUDGET: even the smallest form the
 * rules allow is too large (report->missing says by how much; the prompt
 * is left in that smallest form).  *report, when report is not NULL, is
 * set in both cases; the caller frees it with pa_trim_report_free(). */
pa_status pa_trim_prompt(pa_prompt *prompt, const pa_tokenizer *tok,
                         const pa_trim_spec *spec, pa_trim_report **report,
                         pa_error *err);

/* Trims text as one section named `name` (a file name for the marker) and
 * appends the result to out (nothing on PA_ERR_OVER_BUDGET).  A text that
 * ends in a newline still does after trimming, and so does one that ends
 * with its marker (the newline counted within the budget).  A budget too
 * small for even the marker gives an empty text: the caller tells that
 * apart by report->tokens_after == 0 with tokens_before > 0. */
pa_status pa_trim_text(const char *text, size_t len, const char *name,
                       const pa_tokenizer *tok, const pa_trim_spec *spec,
                       pa_buf *out, pa_trim_report **report, pa_error *err);

/* ---- Where the tokens go (explain) ---- */

/* One Markdown block of a prompt: a heading with nothing else, a
 * paragraph, a list item, a code block, a quote. */
typedef struct pa_heavy_block {
	char *path;         /* the section's path */
	long line;          /* 1-based line in that file; 0 when the block is
	                     * not found there (the memory section's wording) */
	char *label;        /* heading text or first words */
	const char *kind;   /* "heading", "paragraph", "list item", "code", "quote", "break" */
	size_t tokens;      /* the block counted alone */
	size_t section;     /* its section's index in the prompt */
	/* The bytes of the section's text counted: [start, end); a heading's
	 * run on to the end of the last block counted with it. */
	size_t start, end;
} pa_heavy_block;

/* The max heaviest blocks of the prompt, heaviest first (ties: prompt
 * order), with the lines the sections' origins give.  A heading is one
 * entry with its text up to the next heading (of any level), which is
 * not listed again: no token is in two entries.  Caller frees with
 * pa_heavy_blocks_free(). */
pa_status pa_prompt_heavy_blocks(const pa_prompt *prompt,
                                 const pa_tokenizer *tok, size_t max,
                                 pa_heavy_block **blocks, size_t *n,
                                 pa_error *err);
void pa_heavy_blocks_free(pa_heavy_block *blocks, size_t n);

/* ---------------------------------------------------------------------
 * Claude Code: the model an agent runs on and the whole context
 *
 * A subagent receives more than its prompt: Claude Code's own system
 * prompt around the body, its memory instructions (in place of our
 * wording), a header line for each instruction file and preloaded skill,
 * the git status, an environment message and the JSON schema of each of
 * its tools.  The figures come from the real Claude Code, whose version
 * pa_claude_code_version() names, run against a recorder (tests/oracle;
 * `make oracle` measures again): data in src/compose/whole_context.inc, per
 * tokenizer, generated by tests/oracle/gen-estimates.mjs.  The absolute
 * paths Claude Code names (files, the memory directory, the working
 * directory) are counted for the real paths.  Everything here is an
 * estimate of what Claude Code sends, never a measurement of this run.
 *
 * Example: the whole context of a composed agent (agent, prompt, opt,
 * tok and err as above).
 *
 *     const char *model = pa_claude_code_model(pa_agent_model(agent), NULL);
 *     pa_context_estimate *est = NULL;
 *
 *     if (pa_claude_code_estimate(prompt, agent, &opt, tok, model, &est,
 *                                 &err) == PA_OK)
 *         printf("about %zu tokens\n", est->tokens);
 *     pa_context_estimate_free(est);
 * ------------------------------------------------------------------- */

/* "2.1.332": the Claude Code the figures and aliases were measured on.
 * Static storage. */
const char *pa_claude_code_version(void);

/* The model id Claude Code sends for an agent whose `model:` is
 * agent_model: an alias (`sonnet`, `opus`, `haiku`) becomes the id it
 * stands for; NULL, "" and "inherit" give the main session's model,
 * session_model (itself resolved as an alias), else Claude Code's
 * default; any other value is sent as it is.  Static storage or borrowed
 * from the arguments. */
const char *pa_claude_code_model(const char *agent_model,
                                 const char *session_model);

/* The band of a claude-tokenizer count for a current Claude model: the
 * model may count from *low to *high times what the claude tokenizer
 * (Claude 2's) counts for text, by the table claude-bands.tsv of the
 * tokenizer directory dir (NULL: the default one) and the kinds of text
 * in text (Latin-script prose, fenced code, other scripts); both rounded
 * to two decimals.  text NULL: the band whatever the text, from the
 * lowest low to the highest high of every kind; budgets of estimates are
 * checked against that *high, so that a budget is the same number of
 * claude tokens for every text of a model (docs/budgets.md,
 * docs/tokenizers.md "Claude estimates").  PA_ERR_DATA when the table
 * is missing, PA_ERR_PARSE (file, line) when it is malformed. */
pa_status pa_claude_band(const char *model, const char *text, size_t len,
                         const char *dir, double *low, double *high,
                         pa_error *err);

/* The context window of model, in tokens; 0 when it is not known. */
size_t pa_model_context_window(const char *model);

/* One part of the whole context.  The parts, in this order, always all
 * of them: "prompt" (our sections as Claude Code receives them: the body,
 * the MEMORY.md text, the instruction files and skills, each counted
 * alone), "system", "memory instructions", "instruction headers", "skill
 * headers", "context", "environment", "tools". */
typedef struct pa_context_part {
	const char *name;  /* static storage */
	const char *note;  /* what it holds, one phrase; static storage */
	size_t tokens;
} pa_context_part;

typedef struct pa_context_tool {
	char *name;
	size_t tokens;     /* its schema; 0 when not measured */
	int known;         /* 1 when its schema was measured */
} pa_context_tool;

typedef struct pa_context_estimate {
	const char *version;     /* Claude Code's; static storage */
	char *model;             /* the model id it was estimated for */
	const char *figures;     /* the tokenizer whose figures were used */
	int borrowed;            /* 1: the tokenizer has no figures of its own,
	                          * and PA_DEFAULT_TOKENIZER's were used */
	size_t tokens;           /* the whole context: the sum of the parts */
	size_t prompt_tokens;    /* the part "prompt" */
	size_t own_tokens;       /* every other part: Claude Code's own text */
	pa_context_part *parts;
	size_t n_parts;
	pa_context_tool *tools;  /* the agent's tools, in the order sent */
	size_t n_tools;
	char **notes;            /* one line each: unmeasured tools or model,
	                          * borrowed figures */
	size_t n_notes;
	/* 1: Claude Code's own text was measured for this model; 0: the
	 * default model's figures stand in (a note says so), as
	 * pa_main_session's model_measured. */
	int model_measured;
} pa_context_estimate;

/* Estimates the whole context Claude Code gives agent, whose composed
 * (untrimmed) prompt is prompt, counted with tok, running on model (as
 * pa_claude_code_model() gives it; NULL: resolved from the agent with the
 * default session model).  opt gives the working directory (may be NULL:
 * the process's).  The caller frees *out with pa_context_estimate_free(). */
pa_status pa_claude_code_estimate(const pa_prompt *prompt,
                                  const pa_agent *agent,
                                  const pa_compose_options *opt,
                                  const pa_tokenizer *tok, const char *model,
                                  pa_context_estimate **out, pa_error *err);
void pa_context_estimate_free(pa_context_estimate *est);

/* ---------------------------------------------------------------------
 * The main session
 * ---------------------------------------------------------------------
 * The first request Claude Code sends for a project's main session (no
 * agent), estimated part by part as `/context` shows it.  Claude Code's
 * own text (system prompt, tool schemas, built-in agents and skills, the
 * frame of each listing, the environment) comes from figures measured on
 * the Claude Code pa_main_session_version() names (tests/oracle/context.mjs);
 * what depends on the project (instruction files, auto memory, the agent
 * and skill listing lines, git values, the working directory) is built
 * from the project in Claude Code's format and counted.  Nothing is run:
 * MCP servers are named, their tools counted only from a tools/list
 * output the caller gives; git values are read from .git/HEAD and
 * .git/logs/HEAD.
 *
 * Example (opt, tok, warn and err as above):
 *
 *     pa_main_session *s = NULL;
 *
 *     if (pa_main_session_estimate(&opt, tok, NULL, NULL, &s, &warn, &err) == PA_OK)
 *         printf("%zu of %zu tokens\n", s->tokens, s->window);
 *     pa_main_session_free(s);
 */
typedef enum pa_main_part_kind {
	PA_MAIN_SYSTEM = 0,      /* the system prompt */
	PA_MAIN_TOOLS = 1,       /* each built-in tool's JSON */
	PA_MAIN_MCP = 2,         /* the MCP servers' tools */
	PA_MAIN_AGENTS = 3,      /* the agents listing */
	PA_MAIN_SKILLS = 4,      /* the skills listing */
	PA_MAIN_MEMORY = 5,      /* instruction files and auto memory */
	PA_MAIN_ENVIRONMENT = 6, /* environment, git status, deferred tools, date */
	PA_MAIN_PARTS = 7
} pa_main_part_kind;

typedef struct pa_main_item {
	char *name;        /* an agent's, a skill's, a tool's, a file's kind */
	char *path;        /* as shown (relative to the project root, ~/...);
	                    * NULL for Claude Code's own */
	size_t tokens;     /* its own cost (an agent's or skill's line) */
	int builtin;       /* 1: Claude Code's own (a built-in agent, ...) */
} pa_main_item;

typedef struct pa_main_part {
	const char *kind;  /* "system", "tools", "mcp", "agents", "skills",
	                    * "memory" or "environment"; static storage */
	size_t tokens;     /* the part, frame included: at least its items */
	pa_main_item *items;
	size_t n_items;
} pa_main_part;

typedef struct pa_main_session {
	const char *version;   /* Claude Code's; static storage */
	char *model;           /* the model id estimated for */
	const char *figures;   /* the tokenizer whose figures were used */
	int borrowed;          /* 1: PA_DEFAULT_TOKENIZER's figures were used */
	size_t tokens;         /* the whole request: the sum of the parts */
	size_t window;         /* the model's context window; 0: not known */
	size_t reserve;        /* what /context keeps free (autocompact) */
	pa_main_part parts[PA_MAIN_PARTS];
	char **notes;          /* one line each: what is not known */
	size_t n_notes;
	/* 1: something Claude Code runs was not run (a hook, an MCP server,
	 * git status: see pa_compose_options.trust), so the request may be
	 * longer than tokens; the warnings name each. */
	int lower_bound;
	/* 1: Claude Code's own text was measured for this model; 0: the
	 * default model's figures stand in (a note says so). */
	int model_measured;
} pa_main_session;

/* An MCP server's tools/list output (a JSON file). */
typedef struct pa_main_mcp_tools {
	const char *server, *file;
} pa_main_mcp_tools;

typedef struct pa_main_options {
	const pa_main_mcp_tools *mcp_tools;
	size_t n_mcp_tools;
	/* NULL, or what counts the project's text (the agents' and skills'
	 * lines, the instruction files, the paths and git's lines) in place
	 * of tok, for the session's model id: 1 with *tokens, or 0 for tok's
	 * count.  Claude Code's own text keeps its measured figures. */
	int (*count)(void *ctx, const char *model, const char *text, size_t len,
	             size_t *tokens);
	void *count_ctx;
} pa_main_options;

/* "2.1.332": the Claude Code the main session's figures are of. */
const char *pa_main_session_version(void);
/* The window and reserve of model (an id or alias) as measured; returns 0
 * when the model was not measured (window: pa_model_context_window()). */
int pa_main_session_window(const char *model, size_t *window, size_t *reserve);

/* Estimates the main session of the project opt describes, counted with
 * tok, on model (an alias or id; NULL: Claude Code's default).  so may be
 * NULL.  The caller frees *out with pa_main_session_free(). */
pa_status pa_main_session_estimate(const pa_compose_options *opt,
                              const pa_tokenizer *tok, const char *model,
                              const pa_main_options *so,
                              pa_main_session **out, pa_warnings *warn,
                              pa_error *err);
void pa_main_session_free(pa_main_session *s);

/* The agent the main session's instructions are composed for: no body,
 * no model, named "main" (its file "<main session>"), so that
 * pa_prompt_compose() gives what the main session loads of the project
 * (instruction files, rules, imports, auto memory) as it gives an
 * agent's.  The caller frees *out with pa_agent_free(). */
pa_status pa_main_session_agent(pa_agent **out, pa_error *err);

/* An instruction file Claude Code loads on demand: the CLAUDE.md,
 * .claude/CLAUDE.md or CLAUDE.local.md of a directory below the working
 * directory (node_modules and .git not walked).  It is not in the first
 * request: Claude Code loads it, with its imports, when it reads a file
 * in trigger or below (build --for-file FILE composes that). */
typedef struct pa_on_demand_file {
	char *path;            /* as shown (relative to the project root) */
	char *trigger;         /* the directory, as shown, ending in '/' */
	pa_section_kind kind;  /* PA_SECTION_PROJECT or PA_SECTION_LOCAL */
	size_t files;          /* the file and its imports */
	size_t tokens;         /* of them all, counted with tok */
} pa_on_demand_file;

/* The files loaded on demand of the project opt describes, sorted by
 * directory, counted with tok.  A walk that stopped at its limit is a
 * PA_WARNING_INCOMPLETE warning.  The caller frees *out with
 * pa_on_demand_files_free(*out, *n). */
pa_status pa_on_demand_files(const pa_compose_options *opt,
                             const pa_tokenizer *tok, pa_on_demand_file **out,
                             size_t *n, pa_warnings *warn, pa_error *err);
void pa_on_demand_files_free(pa_on_demand_file *f, size_t n);

/* ---- The config file ---- */

/*
 * `.promptasm.yaml` at the project root.  Every key is optional:
 *
 *     tokenizer: o200k_base        # or model: claude-sonnet-4-5
 *     budget: 20000                # for every agent without its own
 *     budgets:                     # per agent: an exact name wins, then
 *       reviewer: 8000             # the first glob in file order
 *       "test-*": 12000
 *     reserve: 4000                # tokens kept for the response
 *     margin: 15%                  # or 0.15; for estimated counts
 *     trim_body: false
 *     instructions:                # caps for instruction files
 *       CLAUDE.md: 8000
 *     sections:                    # rules, as pa_section_rule
 *       - match: memory
 *         priority: 10
 *         floor: 200
 *         cap: 2000
 *         keep: tail
 *     load:                        # which CLAUDE.md levels
 *       managed: true
 *       user: true
 *       ancestors: true
 *       auto_memory: true
 *       approve_imports: false     # the user's config only (below)
 *       trust: false               # the user's config only: --trust
 *     budget_scope: prompt         # or context: what check budgets
 *     main:                        # the main session's parts: total,
 *       total: 30000               # agents, agent, skills, memory
 *       agents: 2000
 *     api_model: claude-sonnet-4-5 # build: the model a request names
 *     harness: [claude-code, codex] # check: the agent CLIs it checks
 *     strict: false                # check: every warning fails
 *     max_entries: 2000000         # entries one walk reads (--max-entries)
 *     max_growth: 10%              # check --baseline: or 500 (tokens)
 *
 * Unknown keys and wrong types are PA_ERR_PARSE with file, line and
 * column.
 */
typedef struct pa_config pa_config;

/* The agent CLIs (the harnesses) a project is read for; all but Claude
 * Code are in "Other agent CLIs" below. */
typedef enum pa_harness_id {
	PA_HARNESS_CLAUDE_CODE = 0,
	PA_HARNESS_CODEX = 1,
	PA_HARNESS_COPILOT = 2,
	PA_HARNESS_GEMINI = 3,
	PA_HARNESS_OPENCODE = 4,
	PA_HARNESS_QWEN = 5,
	PA_HARNESS_PI = 6,
	PA_HARNESS_CLINE = 7,
	PA_HARNESS_KILO = 8
} pa_harness_id;
#define PA_HARNESS_COUNT 9

#define PA_CONFIG_FILE ".promptasm.yaml"

/* Parses a config file's text; `file` names it in errors. */
pa_status pa_config_parse(const char *text, size_t len, const char *file,
                          pa_config **out, pa_error *err);

/* Reads `root`/.promptasm.yaml; a missing file gives an empty config.
 * The caller frees *out with pa_config_free(). */
pa_status pa_config_load(const char *root, pa_config **out, pa_error *err);
void pa_config_free(pa_config *cfg);

/*
 * The user's own config, the one place besides the command line that may
 * approve reads from outside a project: `load: {approve_imports: true}`
 * there approves; in a repository's .promptasm.yaml it is not applied (a
 * pull request would approve its own reads) and is kept as a warning
 * (pa_config_warnings()).  It holds only `load:`.
 */
#define PA_CONFIG_USER_FILE "~/.config/promptasm/config.yaml"

/* Where the user's config lies: xdg_config_home/promptasm/config.yaml
 * (an absolute one: $XDG_CONFIG_HOME), else
 * home/.config/promptasm/config.yaml ($HOME); NULL without either.  The
 * library reads no environment: the caller passes what it read (the CLI
 * does so once, at its setup).  The caller frees it with pa_free(). */
char *pa_config_user_file(const char *xdg_config_home, const char *home);
/* Reads the user's config at path; a missing file gives an empty config.
 * The caller frees *out with pa_config_free(). */
pa_status pa_config_load_user(const char *path, pa_config **out,
                              pa_error *err);
/* What a repository's config tried that only the user may set, each a
 * warning at its key; none for the user's config.  Borrowed from cfg. */
const struct pa_warnings *pa_config_warnings(const pa_config *cfg);

/* Borrowed; valid until pa_config_free(cfg).  NULL when unset. */
const char *pa_config_file(const pa_config *cfg);
const char *pa_config_tokenizer(const pa_config *cfg);
const char *pa_config_model(const pa_config *cfg);
/* A setting the library checks when it reads the config but does not use
 * itself, for the program: "api_model" (the model `build` writes into a
 * request body), "strict" ("true" or "false": whether every warning fails
 * `check`) and "max_growth" (as written: a share such as "10%" or a number
 * of tokens); NULL when unset or for another key.  Borrowed. */
const char *pa_config_setting(const pa_config *cfg, const char *key);
/* `harness:`: the agent CLIs named (docs/harnesses.md), in order; 0 when
 * unset.  *ids is borrowed from cfg. */
size_t pa_config_harness(const pa_config *cfg, const pa_harness_id **ids);
/* A setting of one CLI in `harness:` ("version": `codex@0.169.0` or
 * `harness: {codex: {version: 0.169.0}}`; "profile": `{codex: {profile:
 * work}}`, Codex's --profile), for pa_harness_options; NULL when unset.
 * Borrowed from cfg. */
const char *pa_config_harness_setting(const pa_config *cfg, pa_harness_id id,
                                      const char *key);

/* What `check` holds to a budget: the prompt, or the whole context Claude
 * Code gives the agent (pa_claude_code_estimate()). */
typedef enum pa_budget_scope {
	PA_SCOPE_PROMPT = 0,
	PA_SCOPE_CONTEXT = 1
} pa_budget_scope;

/* `budget_scope:`; PA_SCOPE_PROMPT when unset. */
pa_budget_scope pa_config_budget_scope(const pa_config *cfg);

/* The budget of an agent: its own (exact name, else first matching glob),
 * else the default.  Returns 1 and sets *budget, or 0 when none. */
int pa_config_budget(const pa_config *cfg, const char *agent, size_t *budget);

/* The number of `budgets:` entries, and the agent name or glob of the
 * i-th (borrowed from cfg; NULL past the end): what check needs to say
 * that an entry names no agent. */
size_t pa_config_budget_count(const pa_config *cfg);
const char *pa_config_budget_pattern(const pa_config *cfg, size_t i);

/* Applies the config's margin, reserve, trim_body, instruction caps and
 * section rules to spec (the rules stay borrowed from cfg). */
void pa_config_trim_spec(const pa_config *cfg, pa_trim_spec *spec);

/* Applies the config's `load:` settings to opt. */
void pa_config_compose_options(const pa_config *cfg, pa_compose_options *opt);

/*
 * Which tokenizer counts an agent's prompt: one rule for every command.
 * The caller's `tokenizer` (a name) or `model` (flags; at most one), else
 * the config's `tokenizer:` or `model:` (the config's model is the main
 * session's), else the agent's `model:` (when a tokenizer serves it; else
 * PA_DEFAULT_TOKENIZER), else, for an agent without `model:` or with
 * `inherit`, the model Claude Code runs it on: its default main-session
 * model, pa_claude_code_model(NULL, NULL), so the claude tokenizer and
 * counts that are estimates.  Without an agent (text that is no agent's:
 * count, tokenize, trim), PA_DEFAULT_TOKENIZER.  cfg and agent may be
 * NULL.
 */
typedef struct pa_tokenizer_pick {
	const char *name;  /* the tokenizer to load by name, or NULL */
	const char *model; /* the model: picks the tokenizer when name is NULL,
	                    * and decides whether counts are estimates */
	int fallback;      /* 1: an unknown model gives the default, not an error */
	int is_default;    /* 1: neither the caller, the config nor the agent
	                    * chose: the rule's default (missing data of it is
	                    * the installation's fault, not the caller's) */
} pa_tokenizer_pick;

/* Fills pick by the rule above; its strings are borrowed from the
 * arguments, cfg and agent. */
void pa_tokenizer_choose(const char *tokenizer, const char *model,
                         const pa_config *cfg, const pa_agent *agent,
                         pa_tokenizer_pick *pick);

/* Loads the tokenizer of a pick; dir as for pa_tokenizer_load(). */
pa_status pa_tokenizer_load_pick(const pa_tokenizer_pick *pick,
                                 const char *dir, pa_tokenizer **out,
                                 pa_error *err);

/* The same rule for the first request of agent CLI id that
 * pa_harness_load() composes: the caller's `tokenizer` or `model` (a
 * model no tokenizer serves falls back, as it only names the CLI's
 * model), else the config's `tokenizer:` (its `model:` is Claude Code's
 * main session's and does not apply), else the tokenizer of the CLI's
 * models (pa_harness_tokenizer()) when cli_model, the model the CLI
 * runs (pa_harness_model(), NULL: not known), is one of them (the
 * tokenizer pa_tokenizer_name_for_model() names for it), else
 * PA_DEFAULT_TOKENIZER.  cfg may be NULL. */
void pa_harness_tokenizer_choose(pa_harness_id id, const char *tokenizer,
                                 const char *model, const pa_config *cfg,
                                 const char *cli_model, pa_tokenizer_pick *pick);

/* The cap `instructions:` sets for a section, or PA_UNSET. */
long pa_config_instruction_cap(const pa_config *cfg, pa_section_kind kind,
                               const char *path);
/* The number of `instructions:` caps; the glob of the i-th (borrowed
 * from cfg), and whether it applies to a section: what check needs to
 * say that a cap's glob matches no file. */
size_t pa_config_instruction_count(const pa_config *cfg);
const char *pa_config_instruction_glob(const pa_config *cfg, size_t i);
int pa_config_instruction_matches(const pa_config *cfg, size_t i,
                                  pa_section_kind kind, const char *path);

/* A budget of the main session (`main:`): part is "total" (the whole
 * first request), "agents" (the agents listing), "agent" (any one agent's
 * line in it), "skills" (the skills listing) or "memory" (the instruction
 * files).  Returns 1 and sets *budget when the config sets it. */
int pa_config_main_budget(const pa_config *cfg, const char *part, size_t *budget);

/* Where the config sets the entry name of table ("budgets",
 * "instructions" or "main"): the line and column (from 1) of its key in
 * pa_config_file(), for a message or an annotation that points at it.
 * Returns 1 and sets *line and *column, or 0 when cfg has no such entry. */
int pa_config_entry_at(const pa_config *cfg, const char *table, const char *name,
                       long *line, long *column);

/* ---------------------------------------------------------------------
 * Sessions: the simple interface in steps
 *
 * pa_assemble() is pa_session_new(), pa_session_assemble() with
 * PA_ASSEMBLE_TRIM, and pa_session_free() when its assembly is freed.
 * An assembly borrows from its session: free it first.  A session serves
 * one thread at a time.
 * ------------------------------------------------------------------- */

/* Settings of trimming that a caller gives over the config's. */
typedef struct pa_trim_overrides {
	int has_margin;
	double margin;
	int has_reserve;
	size_t reserve;
	int trim_body;
	const pa_section_rule *rules; /* after the config's; borrowed */
	size_t n_rules;
} pa_trim_overrides;

/* pa_options.flags: many agents will be assembled (check): the
 * tokenizers keep the counts of the parts the prompts share.  (Every
 * session reads the project's settings and instruction files once.) */
#define PA_SESSION_MANY 1u

/* Reads the project's config (unless opt->no_config) and keeps opt (its
 * strings and structs borrowed).  PA_ERR_INVALID when opt->tokenizer and
 * opt->model are both set.  The caller frees *out with pa_session_free(). */
pa_status pa_session_new(const pa_options *opt, pa_session **out,
                         pa_error *err);
void pa_session_free(pa_session *s);
/* The config the session read (empty when none).  Borrowed. */
const pa_config *pa_session_config(const pa_session *s);
/* The compose options the session composes with: the caller's (or the
 * defaults), the configs' `load:` applied, and the session's compose
 * cache, which every session is given, so that what is discovered about
 * the project (its places, settings files, instruction files) is read
 * once however many composes use these options.  A program that
 * composes beside its assemblies (the main session, the agent list) uses
 * these.  Borrowed; valid until pa_session_free(s). */
const pa_compose_options *pa_session_compose_options(const pa_session *s);

/* The tokenizer for agent (NULL: text that is no agent's), by the one
 * rule of pa_tokenizer_choose(), loaded once per session; *model is the
 * model that decides whether counts are estimates, *estimate the
 * decision.  Borrowed from s.  A tokenizer or model the caller named that
 * is not installed is PA_ERR_NOT_FOUND; the default's data missing is
 * PA_ERR_DATA (the installation's fault). */
pa_status pa_session_tokenizer(pa_session *s, const pa_agent *agent,
                               const pa_tokenizer **tok, const char **model,
                               int *estimate, pa_error *err);

/* The trimming spec for agent (NULL: none): the config's settings, then
 * the options'.  Returns 1 when a budget applies (the options', the
 * agent's entry under `budgets:`, `budget:`).  Borrows from s. */
int pa_session_spec(const pa_session *s, const char *agent, int estimate,
                    pa_trim_spec *spec);

/* The model Claude Code runs agent on: the options' model, else the
 * agent's `model:` with the config's `model:` as the session's. */
const char *pa_session_claude_model(const pa_session *s,
                                    const pa_agent *agent);

/* What an assembly does beyond compose and count. */
#define PA_ASSEMBLE_TRIM 1u      /* trim to the spec (a report even without budget) */
#define PA_ASSEMBLE_HEAVY 2u     /* the heaviest blocks, before trimming */
#define PA_ASSEMBLE_CONTEXT 4u   /* Claude Code's whole context, before trimming */
#define PA_ASSEMBLE_UNTRIMMED 8u /* with TRIM: keep each section's text untrimmed */

/* Assembles agent (a name or an agent file's path), or, when agent is
 * NULL, the agent of a pa_agent_list() entry: find, compose, pick the
 * tokenizer, count, then the steps of `what` (heavy_top: how many blocks
 * PA_ASSEMBLE_HEAVY lists).  *out is set whenever memory was had, on
 * failure too; the caller frees it with pa_assembly_free(). */
pa_status pa_session_assemble(pa_session *s, const char *agent,
                              pa_agent_entry *entry, unsigned what,
                              size_t heavy_top, pa_assembly **out,
                              pa_error *err);
/* Assembles Claude Code's main session as pa_session_assemble() does an
 * agent: what it loads of the project (pa_main_session_agent()),
 * composed, counted, trimmed; its budget is the one budgets: gives name
 * (the main session's row, "claude-code:."), else -b or budget:.  Claude
 * Code's own text is not in it (pa_main_session_estimate() counts that);
 * PA_ASSEMBLE_CONTEXT is an agent's and is not taken.  *out as above. */
pa_status pa_session_assemble_main(pa_session *s, const char *name,
                                   unsigned what, size_t heavy_top,
                                   pa_assembly **out, pa_error *err);
/* The steps of `what` an assembly has not taken yet (check takes its own
 * figures from the untrimmed prompt before trimming). */
pa_status pa_assembly_more(pa_assembly *a, unsigned what, size_t heavy_top,
                           pa_error *err);

/* The rest of an assembly, each borrowed from it.  Before a step was
 * taken its result is NULL (or 0). */
const pa_agent *pa_assembly_agent(const pa_assembly *a);
pa_prompt *pa_assembly_prompt(const pa_assembly *a);
const pa_tokenizer *pa_assembly_tokenizer(const pa_assembly *a,
                                          const char **model);
size_t pa_assembly_tokens_untrimmed(const pa_assembly *a);
const char *pa_assembly_claude_model(const pa_assembly *a);
/* 1 when a budget applies; *spec the spec trimming uses. */
int pa_assembly_spec(const pa_assembly *a, const pa_trim_spec **spec);
/* PA_ASSEMBLE_TRIM's report; *status PA_OK or PA_ERR_OVER_BUDGET. */
const pa_trim_report *pa_assembly_trim(const pa_assembly *a,
                                       pa_status *status);
const pa_heavy_block *pa_assembly_heavy(const pa_assembly *a, size_t *n);
const pa_context_estimate *pa_assembly_context(const pa_assembly *a);
/* The same, taken from a: the caller frees it with
 * pa_context_estimate_free(); a keeps none. */
pa_context_estimate *pa_assembly_take_context(pa_assembly *a);
/* PA_ASSEMBLE_UNTRIMMED: section i's text before trimming, or NULL. */
const char *pa_assembly_untrimmed(const pa_assembly *a, size_t i,
                                  size_t *len);

/* ---------------------------------------------------------------------
 * Other agent CLIs (harnesses)
 *
 * Codex CLI, Copilot CLI, Gemini CLI, opencode, Qwen Code, pi and Cline each
 * read their own instruction files (AGENTS.md, GEMINI.md, QWEN.md,
 * .github/copilot-instructions.md ...), in their own order, with their own limits.  pa_harness_load()
 * reads what one of them reads for a working directory, once (its
 * configuration in HOME, the environment variables it honours, its
 * files), and composes what it sends: each file's bytes sent, cut or
 * dropped.  The rules and the figures were measured on the versions
 * pa_harness_version() names (docs/harnesses.md).  Claude Code's row
 * (PA_HARNESS_CLAUDE_CODE) loads too: the instruction files its main
 * session loads (managed, user, CLAUDE.md files, rules, imports), each
 * whole in the user message, with no figures of its own text (those are
 * pa_main_session_estimate()'s).  Example (warn and err as above):
 *
 *     pa_harness_options opt;
 *     pa_harness *h = NULL;
 *     size_t i;
 *
 *     pa_harness_options_init(&opt);
 *     opt.cwd = "path/to/repository/sub";
 *     if (pa_harness_load(PA_HARNESS_CODEX, &opt, &h, &warn, &err) == PA_OK)
 *         for (i = 0; i < pa_harness_file_count(h); i++)
 *             printf("%s: %zu bytes sent\n", pa_harness_file_at(h, i)->path,
 *                    pa_harness_file_at(h, i)->sent);
 *     pa_harness_free(h);
 * ------------------------------------------------------------------- */

/* pa_harness_id: above, with the configuration. */

/* "claude-code", "codex", "copilot", "gemini", "opencode", "qwen", "pi",
 * "cline";
 * "?" for an id that is none of them. */
const char *pa_harness_name(pa_harness_id id);
/* 1 and *out when name is one of those, else 0. */
int pa_harness_parse(const char *name, pa_harness_id *out);
/* The version of the CLI the rules and figures were measured on. */
const char *pa_harness_version(pa_harness_id id);
/* Its own name for people: "Claude Code", "Codex CLI" ... */
const char *pa_harness_display_name(pa_harness_id id);
/* Why it never reads the other CLIs' files pa_harness_unread_at() names,
 * as a clause ("it is not in project_doc_fallback_filenames"), or NULL
 * when it says nothing more than that. */
const char *pa_harness_unread_hint(pa_harness_id id);
/* The name of its setting that caps the bytes of the project's files it
 * sends ("project_doc_max_bytes", which max_bytes below overrides), or
 * NULL when it has no such cap. */
const char *pa_harness_cap_name(pa_harness_id id);
/* The tokenizer (as pa_tokenizer_load() names it) of the models its
 * figures were measured with, or NULL when promptasm has none of theirs
 * (Gemini's). */
const char *pa_harness_tokenizer(pa_harness_id id);
/* 1 when its counts can only be estimates: pa_harness_tokenizer() is
 * NULL. */
int pa_harness_estimate(pa_harness_id id);

/* What a CLI supports, one bit each (values only ever appended): what a
 * program asks of a CLI instead of which CLI it is, as curl's
 * Curl_ssl_supports() does of a TLS backend. */
/* agent files of its own (.claude/agents/), each assembled by
 * pa_session_assemble() */
#define PA_HARNESS_SUPPORTS_AGENTS (1u << 0)
/* its main session, composed by pa_main_session_estimate() */
#define PA_HARNESS_SUPPORTS_MAIN_SESSION (1u << 1)
/* its first request, composed by pa_harness_load() */
#define PA_HARNESS_SUPPORTS_REQUEST (1u << 2)
/* what it sends trimmed to a budget by the trimming rules (caps,
 * section rules) */
#define PA_HARNESS_SUPPORTS_TRIM (1u << 3)
/* a request body for Anthropic's Messages API of what is composed for
 * it (its own prompt and tools, which only their measured size is known
 * of, never in it), whatever API the CLI itself speaks: a body is a
 * generic shape, its model the one the CLI runs on where that API serves
 * it; every row has it */
#define PA_HARNESS_SUPPORTS_BODY_ANTHROPIC (1u << 4)
/* the same for OpenAI's Chat Completions API; every row has it */
#define PA_HARNESS_SUPPORTS_BODY_OPENAI (1u << 5)
/* counted exactly by Anthropic's count_tokens (its models are Claude's) */
#define PA_HARNESS_SUPPORTS_COUNT_API (1u << 6)
/* files of the user's, from home */
#define PA_HARNESS_SUPPORTS_USER_LEVEL (1u << 7)
/* files of a managed policy (/etc/...) */
#define PA_HARNESS_SUPPORTS_MANAGED_LEVEL (1u << 8)
/* a setting capping the project's bytes (pa_harness_cap_name()) */
#define PA_HARNESS_SUPPORTS_BYTE_CAP (1u << 9)
/* files it reads later, on demand (pa_on_demand_files()) */
#define PA_HARNESS_SUPPORTS_ON_DEMAND (1u << 10)
/* the CLI a run is for when none is named (one CLI has it) */
#define PA_HARNESS_SUPPORTS_DEFAULT (1u << 11)
/* plugin directories named by the user (pa_compose_options.plugin_dirs,
 * Claude Code's --plugin-dir) */
#define PA_HARNESS_SUPPORTS_PLUGIN_DIR (1u << 12)

/* 1 when CLI id supports every bit of cap (PA_HARNESS_SUPPORTS_*), else 0;
 * 0 for an id that is none. */
int pa_harness_supports(pa_harness_id id, unsigned cap);

typedef struct pa_harness_options {
	const char *cwd;       /* where the CLI starts; NULL: "." */
	const char *home;      /* NULL: HOME of env */
	const char *model;     /* NULL: the model the CLI's configuration names */
	long long max_bytes;   /* Codex's project_doc_max_bytes; -1: its
	                        * configuration's, else its default */
	/* The environment the CLI runs with, as environ is: "NAME=value"
	 * strings, NULL-terminated (CODEX_HOME, GEMINI_MODEL, COPILOT_MODEL,
	 * QWEN_HOME, OPENAI_MODEL, PI_CODING_AGENT_DIR, XDG_CONFIG_HOME,
	 * HOME ...; no variable is read from anywhere else).
	 * NULL: an empty environment.  Borrowed for the call. */
	const char *const *env;
	/* Appended.  What the loads of one run share, so that each file is
	 * opened once however many CLIs and working directories are loaded:
	 * each instruction file's bytes (by its real path; the link rule is
	 * still applied to every path that leads to it, so a file refused
	 * in one place is never served to another), each configuration
	 * file parsed, each directory the start directories' walk lists.
	 * The files are seen as they were when first read.  NULL: every load
	 * reads for itself.  Borrowed: valid across the loads that use it,
	 * until pa_harness_cache_free(); not thread-safe (one thread at a
	 * time). */
	pa_harness_cache *cache;
	/* Appended.  The version of the CLI the user runs ("0.169.0"), one
	 * of those pa_harness_version_at() lists; NULL: the newest measured.
	 * One not measured gets the newest's figures, with a warning naming
	 * the measured ones. */
	const char *version;
	/* Appended.  Codex's --profile NAME: ~/.codex/NAME.config.toml is
	 * read over config.toml; NULL: none.  The others ignore it. */
	const char *profile;
	/* Appended.  Leave out what the user's own level adds, as
	 * pa_compose_options.no_user does for Claude Code: the CLI's
	 * instruction files in home or in its own directory (~/.codex,
	 * ~/.gemini ...), and what the user's configuration adds to the
	 * request (the files and directories it names, text it sends); the
	 * user's configuration is still read for the rest (model, caps,
	 * trust).  docs/harnesses.md says, CLI by CLI, what is left out.
	 * 0: all of it. */
	int no_user;
	/* Appended.  Read no directory above the repository root (the
	 * working directory outside a repository), as
	 * pa_compose_options.no_ancestors does for Claude Code: the CLIs
	 * that walk up past it (Qwen Code to the root's parent, pi to /,
	 * opencode outside a repository) stop there.  0: as the CLI does. */
	int no_ancestors;
	/* Appended.  The user trusts the project, as
	 * pa_compose_options.trust says for Claude Code: a CLI that asks
	 * whether a folder is trusted takes it as trusted (Codex as with
	 * trust_level "trusted" for its root, Qwen Code under folder trust
	 * as a folder listed as trusted).  Nothing of the project is run
	 * for it.  0: as the CLI's own configuration says. */
	int trust;
	/* Appended.  The user approves what leads out of the project, as
	 * pa_compose_options.approve_imports does for Claude Code's files:
	 * an instruction file whose symbolic link leads out of the project
	 * (a global file's: out of its directory) is read, as the CLIs read
	 * it, where it is otherwise refused with a warning.  A system file
	 * (/proc, /sys, /dev) never is.  0: refused. */
	int approve_links;
} pa_harness_options;

/* Sets cwd, home, model, env, cache, version and profile to NULL,
 * no_user, no_ancestors, trust and approve_links to 0 and max_bytes
 * to -1.  The
 * library reads no environment of its own: a caller that wants the
 * process's passes it (env = environ).  A NULL opt to the functions below
 * means these. */
void pa_harness_options_init(pa_harness_options *opt);

/* An empty cache for pa_harness_options.cache; the caller frees it with
 * pa_harness_cache_free() once no load uses it.  It holds at most
 * PA_HARNESS_CACHE_MAX_BYTES of files' text: past that, a file is read
 * by each load, as without a cache. */
pa_harness_cache *pa_harness_cache_new(void);
void pa_harness_cache_free(pa_harness_cache *c);
#define PA_HARNESS_CACHE_MAX_BYTES (4 * PA_INSTRUCTIONS_TOTAL_MAX_BYTES)

typedef struct pa_harness pa_harness;

/* Reads and composes what harness id sends, started in opt->cwd.  Files
 * it cannot or may not read are warned about in warn.  Errors: a
 * configuration file that does not parse (PA_ERR_PARSE with file, line
 * and column), a working directory that is not one (PA_ERR_NOT_FOUND).
 * The caller frees *out with pa_harness_free(). */
pa_status pa_harness_load(pa_harness_id id, const pa_harness_options *opt,
                          pa_harness **out, pa_warnings *warn, pa_error *err);
void pa_harness_free(pa_harness *h);

/* One file the CLI reads, in the order it sends them.  Borrowed from h. */
typedef struct pa_harness_file {
	const char *path;     /* shown: relative to the root, ~/..., or absolute */
	const char *text;     /* the bytes read, after `skipped` */
	size_t bytes;         /* how many were read (skipped included) */
	size_t sent;          /* how many of them are sent (less: cut) */
	int dropped;          /* 1: over the budget, nothing sent */
	int empty;            /* 1: only white space, which the CLI skips */
	int listed;           /* 1: named by path only (Copilot's applyTo) */
	int unread;           /* 1: not read (reason says why) */
	const char *reason;   /* why unread; NULL */
	int global;           /* 1: the user's file, from HOME */
	int duplicate;        /* 1: the same text as an earlier file, */
	const char *duplicate_of; /* this one (shown), or NULL */
	const char *apply_to; /* Copilot: the applyTo value, or NULL */
	int depth;            /* 0, or the import depth (Gemini's @imports) */
	const char *parent;   /* the importing file, or NULL */
	long cut_line;        /* where a cut falls: 1-based line and */
	long cut_column;      /* byte in that line (1-based); 0 when not cut */
	int system;           /* 1: in the system prompt; 0: a user message */
	const char *frame;    /* the text the CLI frames it in, when that
	                       * names it (pi: "## /abs/path"), to count in
	                       * place of the figures' per_file_tokens; NULL */
	size_t skipped;       /* bytes at its start the CLI leaves out (a byte
	                       * order mark) and text does not hold: text
	                       * holds bytes - skipped */
	int skill;            /* 1: a skill the CLI lists by its fields, not
	                       * its text (pi): text holds its entry in the
	                       * listing, built from the file's name,
	                       * description and path, sent its bytes */
} pa_harness_file;

size_t pa_harness_file_count(const pa_harness *h);
const pa_harness_file *pa_harness_file_at(const pa_harness *h, size_t i);

/* The files' text in the order the model reads it: Gemini CLI and Qwen
 * Code send an imported file in place of its @path, Copilot CLI a
 * mentioned file after the mention, so that an importing file comes in
 * pieces with its imports between them.  Each piece is a contiguous run
 * of one file's text as sent (pa_harness_file.text), in the request's
 * order; a file's first piece (first: 1) comes where the file starts,
 * and is there (of no bytes) for a file that sends nothing too; the
 * bytes of a file's pieces add up to its `sent`.  For a CLI without
 * imports, one piece per file, in the files' order. */
typedef struct pa_harness_piece {
	size_t file;       /* its file: pa_harness_file_at(h, file) */
	const char *text;  /* in that file's text */
	size_t len;
	int first;         /* 1: the file's first piece */
	long line;         /* 1-based line of the file where it starts */
} pa_harness_piece;

size_t pa_harness_piece_count(const pa_harness *h);
const pa_harness_piece *pa_harness_piece_at(const pa_harness *h, size_t i);

/* What the CLI runs on and what limits it: its model (the configuration's,
 * the environment's or its default; where from), Codex's byte budget of
 * the project's files (0 for the others), the project root found. */
const char *pa_harness_model(const pa_harness *h, const char **from);
size_t pa_harness_max_bytes(const pa_harness *h, const char **from);
const char *pa_harness_root(const pa_harness *h);
const char *pa_harness_config_file(const pa_harness *h); /* or NULL */
/* Every file the load read, each once, as an absolute path: instruction
 * files, imports, and every configuration file read (whether or not it
 * set anything; not a file refused, which is not read): what a command
 * that writes a file must never replace.  Borrowed from h. */
size_t pa_harness_input_count(const pa_harness *h);
const char *pa_harness_input_at(const pa_harness *h, size_t i);
/* Instruction files of other CLIs present on the path that h never reads
 * (a CLAUDE.md Codex ignores without a fallback setting). */
size_t pa_harness_unread_count(const pa_harness *h);
const char *pa_harness_unread_at(const pa_harness *h, size_t i);

/* The CLI's own part of its first request, measured against the version
 * pa_harness_version() names with the model it names (o200k_base
 * tokens): its system prompt and messages without the project's files
 * (0 when a file of the project replaces that prompt, as pi's
 * .pi/SYSTEM.md does: the file is then counted as a file), and its
 * tools' definitions; per file, the text it wraps each in; the
 * model's context window, and the tokens the CLI keeps free for its
 * answer (0: none). */
typedef struct pa_harness_figures {
	const char *model;
	size_t own_tokens;
	size_t own_tokens_outside_repo; /* its own text started outside a
	                                 * repository (own_tokens then is this) */
	size_t tools_tokens;
	size_t wrap_tokens;      /* once, when any file is sent */
	size_t per_file_tokens;
	size_t window;
	size_t reserved;
	size_t own_tokens_replaced; /* its own text left when a file replaces
	                             * its system prompt (GEMINI_SYSTEM_MD) */
	size_t skills_frame_tokens; /* its words around the skills it lists,
	                             * once when it lists any (pi) */
	size_t own_part_tokens;     /* Appended.  The part of its own text
	                             * that a variable's file or value takes
	                             * the place of: Qwen Code's first
	                             * sentences (QWEN_SYSTEM_IDENTITY_MD),
	                             * the paths of pi's package as recorded
	                             * (PI_PACKAGE_DIR) */
} pa_harness_figures;

const pa_harness_figures *pa_harness_figures_get(const pa_harness *h);
/* The same figures in tokens of `tokenizer` (a name), where they were
 * measured in it too (Qwen Code's in qwen3, the tokenizer of its
 * models), so that a request counted with it adds its own text in the
 * tokens its files are counted in; else pa_harness_figures_get()'s.
 * Borrowed from h: valid until the next call or pa_harness_free(). */
const pa_harness_figures *pa_harness_figures_in(pa_harness *h,
                                                const char *tokenizer);

/* The versions of CLI id measured (docs/harnesses.md), newest first: i
 * from 0 to pa_harness_version_count(id) - 1; NULL past them.
 * pa_harness_version(id) is the first. */
size_t pa_harness_version_count(pa_harness_id id);
const char *pa_harness_version_at(pa_harness_id id, size_t i);
/* The version h's figures belong to: opt->version when measured, else
 * the newest measured.  Borrowed from h. */
const char *pa_harness_cli_version(const pa_harness *h);
/* Text the CLI sends from its configuration rather than from a file
 * (Codex's developer_instructions), or draws of the project (Gemini CLI's
 * directory tree), to count with its own text; NULL when none.  *from,
 * when from is not NULL: the setting it came from
 * ("developer_instructions"), or what it is ("directory tree"); *len,
 * when len is not NULL: its bytes, as it may hold a NUL, which is sent
 * too.  Borrowed from h. */
const char *pa_harness_config_text(const pa_harness *h, const char **from,
                                   size_t *len);

/* The directories where a user may start the CLI in the project around
 * cwd: the root and every directory under it holding an instruction file
 * the CLI reads, at most PA_WALK_MAX_ENTRIES entries read.  *incomplete
 * is set when the walk stopped at that limit (1), at a directory more than
 * PA_WALK_MAX_DEPTH levels below the root (PA_WALK_TOO_DEEP), or when an
 * ignore file it reads (a .gitignore, .git/info/exclude) is over
 * PA_INSTRUCTIONS_MAX_BYTES, so that what git leaves out is not known
 * (PA_WALK_IGNORE_TOO_LARGE).  The caller frees each and the array with
 * pa_free(). */
#define PA_WALK_IGNORE_TOO_LARGE 2
#define PA_WALK_TOO_DEEP 3
pa_status pa_harness_start_dirs(pa_harness_id id, const pa_harness_options *opt,
                                char ***dirs, size_t *n, int *incomplete,
                                pa_error *err);

#ifdef __cplusplus
}
#endif

#endif /* PROMPTASM_H */
