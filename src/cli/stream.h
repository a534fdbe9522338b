/* stream.h - an input of any size, handed on in parts that a tokenizer
 * may count or encode apart (count, tokenize). */
#ifndef CLI_STREAM_H
#define CLI_STREAM_H

#include "cli.h"

/* Gets each part of the input in turn: text[0..len), valid UTF-8 (with
 * lossy, repaired), starting at byte `offset` of the input.  A status
 * other than PA_OK stops the stream; err says why (about the input, unless
 * it names a file), or has no message when fn has reported it. */
typedef pa_status (*cli_part_fn)(void *ctx, const char *text, size_t len,
                                 long long offset, pa_error *err);

/* Reads the file at path ("-": standard input) in blocks of about
 * `block` bytes and hands fn each block up to the last place where tok
 * never joins pieces across (pa_tokenizer_safe_split); the rest waits for
 * the next block (pa_tokenizer_safe_split finds a cut at most line feeds and
 * spaces).  fn checks the UTF-8 as it works: on PA_ERR_UTF8 the
 * part is repaired and handed again with lossy, else the error names
 * the input and the byte.  Memory stays about two blocks whatever the
 * input's size, unless no cut is found: then it reads on, and holds the
 * longest stretch without one (up to PA_INPUT_MAX_UNCUT_BYTES, an error
 * beyond: 64 MiB of one pre-token, or of a tokenizer whose pattern is
 * never cut).  Prints any error; returns an exit code. */
int cli_stream_parts(const pa_tokenizer *tok, const char *path, int lossy,
                     size_t block, cli_part_fn fn, void *ctx);

/* The same over an input already open (Pa_input_fd()); closes it. */
int cli_stream_input(const pa_tokenizer *tok, Pa_input *in, int lossy,
                     size_t block, cli_part_fn fn, void *ctx);

/* Sees each block as it is read, before it waits for a place to cut:
 * nonzero stops the stream with EXIT_OK and nothing printed (count DIR
 * stops at a NUL byte: a binary is not read on to the limit). */
typedef int (*cli_read_fn)(void *ctx, const char *text, size_t len);

/* cli_stream_input() with a look at each block as it is read. */
int cli_stream_input_seen(const pa_tokenizer *tok, Pa_input *in, int lossy,
                          size_t block, cli_part_fn fn, cli_read_fn seen,
                          void *ctx);

#endif
