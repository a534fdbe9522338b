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
 *  - The library never prints and never exits.
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
	PA_ERR_OVER_BUDGET = 8 /* what may not be trimmed exceeds the budget */
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
 * Growable buffer
 *
 * As git's strbuf: `ptr` is never NULL and always NUL-terminated (so it is
 * a C string when the text has no NUL), `len` excludes the terminator.
 * Start with PA_BUF_INIT; end with pa_buf_release() or take the memory with
 * pa_buf_detach().  Allocation failure aborts the process: a prompt tool
 * has no useful way to go on without memory, and it keeps every caller
 * simple.
 * ------------------------------------------------------------------- */

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
void pa_buf_vprintf(pa_buf *b, const char *fmt, va_list ap);
void pa_buf_truncate(pa_buf *b, size_t len);         /* len <= b->len */
void pa_buf_reset(pa_buf *b);                        /* len = 0, keeps memory */
/* Returns the text (caller frees with pa_free()) and resets b to empty. */
char *pa_buf_detach(pa_buf *b, size_t *len);
void pa_buf_release(pa_buf *b);                      /* frees, back to PA_BUF_INIT */

/* ---------------------------------------------------------------------
 * Files and UTF-8
 * ------------------------------------------------------------------- */

/* Reads a whole file (path "-" is stdin) into out, appending. */
pa_status pa_file_read(const char *path, pa_buf *out, pa_error *err);

/* Writes data to path atomically: a temporary file in the same directory,
 * then rename(2).  The old file stays untouched on failure. */
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
 * The directory is, in order: the `dir` argument when not NULL, the
 * PROMPTASM_TOKENIZERS environment variable, `tokenizers/` next to the
 * running program (a source checkout), then the installed data directory.
 * ------------------------------------------------------------------- */

typedef struct pa_tokenizer pa_tokenizer;

#define PA_DEFAULT_TOKENIZER "o200k_base"

/* Loads tokenizer `name`.  On success *out owns it; free with
 * pa_tokenizer_free(). */
pa_status pa_tokenizer_load(const char *name, const char *dir,
                            pa_tokenizer **out, pa_error *err);

/* Loads the tokenizer that serves `model` (an exact model name first, then
 * the longest model prefix across all manifests). */
pa_status pa_tokenizer_load_for_model(const char *model, const char *dir,
                                      pa_tokenizer **out, pa_error *err);

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

/* Counts the tokens of text without building an id array. */
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

/* The directory tokenizers are loaded from (see above), or NULL when none
 * exists.  Caller frees with pa_free(). */
char *pa_tokenizer_dir(const char *dir);

/* ---------------------------------------------------------------------
 * Agents and composition (issue 3)
 * ------------------------------------------------------------------- */

/* COMPOSE-API */

/* ---------------------------------------------------------------------
 * Budgets and trimming (issue 4)
 * ------------------------------------------------------------------- */

/* TRIM-API */

#ifdef __cplusplus
}
#endif

#endif /* PROMPTASM_H */
