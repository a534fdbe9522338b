/*
 * stream.c - an input of any size in bounded memory: it is read in
 * blocks, and each block is handed on up to the last place where the
 * tokenizer never joins pieces across (pa_tokenizer_safe_split); the rest
 * waits for the next block.  tests/unit/test_split.c proves that the
 * tokens of the parts are those of the whole.
 */
#define _GNU_SOURCE
#include "stream.h"

#include <string.h>

int cli_stream_parts(const pa_tokenizer *tok, const char *path, int lossy,
                     size_t block, cli_part_fn fn, void *ctx)
{
	pa_input *in;
	pa_error err;
	pa_buf buf = PA_BUF_INIT, clean = PA_BUF_INIT;
	long long offset = 0;
	size_t got;
	int code = EXIT_OK, eof = 0;

	if (pa_input_open(path, PA_FILE_STDIN, &in, &err) != PA_OK) {
		cli_print_error(&err);
		return EXIT_USAGE;
	}
	while (!eof || buf.len > 0) {
		size_t cut;
		pa_status st;

		if (!eof) {
			if (pa_input_read(in, &buf, block, &got, &err) != PA_OK) {
				cli_print_error(&err);
				code = EXIT_USAGE;
				break;
			}
			eof = got == 0;
		}
		cut = eof ? buf.len : pa_tokenizer_safe_split(tok, buf.ptr, buf.len);
		if (cut == 0) {
			if (buf.len > (size_t)PA_INPUT_MAX_BYTES) {
				cli_errorf("%s: no place to cut the text within %ld MiB (a "
				           "line break before a letter): too long to "
				           "read in parts",
				           pa_input_name(in), PA_INPUT_MAX_BYTES >> 20);
				code = EXIT_USAGE;
				break;
			}
			continue; /* read more */
		}
		/* The part is checked as it is used: it is repaired and
		 * handed again only when it is not valid. */
		st = fn(ctx, buf.ptr, cut, offset, &err);
		if (st == PA_ERR_UTF8 && lossy) {
			pa_buf_reset(&clean);
			pa_utf8_lossy(buf.ptr, cut, &clean);
			st = fn(ctx, clean.ptr, clean.len, offset, &err);
		}
		if (st == PA_ERR_UTF8) {
			cli_errorf("invalid UTF-8 in %s at byte %lld (use --lossy to "
			           "replace it)", pa_input_name(in), offset + err.offset);
			code = EXIT_USAGE;
			break;
		}
		if (st != PA_OK) {
			/* The error is about this input unless it names a file
			 * (its message says where: "FILE: MESSAGE"); one without a
			 * message has been reported. */
			if (!err.file[0]) {
				snprintf(err.file, sizeof(err.file), "%s", pa_input_name(in));
				err.line = 0;
				err.offset = -1;
			}
			if (err.message[0])
				cli_print_error(&err);
			code = cli_exit_code(err.status);
			break;
		}
		offset += (long long)cut;
		memmove(buf.ptr, buf.ptr + cut, buf.len - cut);
		pa_buf_truncate(&buf, buf.len - cut);
	}
	pa_buf_release(&buf);
	pa_buf_release(&clean);
	pa_input_close(in);
	return code;
}
