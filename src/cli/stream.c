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

/* The last safe cut in buf, which had no safe cut in its first searched
 * bytes: only the text after them is searched again, or a long text
 * without a place to cut would be searched over and over as it grows
 * block by block (1 + 2 + ... + 16 MiB).  Whether a cut is safe depends on
 * the two bytes before it and at most five from it (pa_cut_is_safe_wide: a
 * line feed, then a letter of up to four bytes), so a cut more than CUT_CONTEXT
 * bytes before the old end was decided for good; a search from there sees
 * every undecided cut with the bytes before it. */
#define CUT_CONTEXT 8

static size_t safe_split_after(const pa_tokenizer *tok, const pa_buf *buf,
                               size_t searched)
{
	size_t from = searched > CUT_CONTEXT ? searched - CUT_CONTEXT : 0;
	size_t cut = pa_tokenizer_safe_split(tok, buf->ptr + from, buf->len - from);

	return cut ? from + cut : 0;
}

int cli_stream_parts(const pa_tokenizer *tok, const char *path, int lossy,
                     size_t block, cli_part_fn fn, void *ctx)
{
	Pa_input *in;
	pa_error err;

	if (Pa_input_open(path, PA_FILE_STDIN, &in, &err) != PA_OK) {
		cli_print_error(&err);
		return EXIT_USAGE;
	}
	return cli_stream_input(tok, in, lossy, block, fn, ctx);
}

int cli_stream_input(const pa_tokenizer *tok, Pa_input *in, int lossy,
                     size_t block, cli_part_fn fn, void *ctx)
{
	return cli_stream_input_seen(tok, in, lossy, block, fn, NULL, ctx);
}

int cli_stream_input_seen(const pa_tokenizer *tok, Pa_input *in, int lossy,
                          size_t block, cli_part_fn fn, cli_read_fn seen,
                          void *ctx)
{
	pa_error err;
	pa_buf buf = PA_BUF_INIT, clean = PA_BUF_INIT;
	long long offset = 0, size;
	size_t got, searched = 0;
	int code = EXIT_OK, eof = 0;

	size = Pa_input_size(in);
	while (!eof || buf.len > 0) {
		size_t cut, want = block;
		pa_status st;

		if (!eof) {
			/* What is left of a file shorter than a block, and a byte
			 * to find its end (or that it grew): a block's buffer is
			 * in huge pages, 2 MB zeroed at its first touch (a tenth
			 * of counting 1 KB). */
			long long left = size - offset - (long long)buf.len;
			if (size >= 0 && left >= 0 && (unsigned long long)left < want)
				want = (size_t)left + 1;
			if (Pa_input_read(in, &buf, want, &got, &err) != PA_OK) {
				cli_print_error(&err);
				code = EXIT_USAGE;
				break;
			}
			eof = got == 0;
			if (seen && got && seen(ctx, buf.ptr + buf.len - got, got))
				break;
		}
		cut = eof ? buf.len : safe_split_after(tok, &buf, searched);
		if (cut == 0) {
			/* No place to cut yet: read on.  What is held grows
			 * with the longest stretch without a cut (one piece of
			 * the pre-tokenizer at worst), not with the input. */
			searched = buf.len;
			if (buf.len > (size_t)PA_INPUT_MAX_UNCUT_BYTES) {
				if (pa_tokenizer_can_cut(tok))
					cli_errorf("%s: no place to cut the text within %ld MiB "
					           "(PA_INPUT_MAX_UNCUT_BYTES): one piece too "
					           "long to count",
					           Pa_input_name(in), PA_INPUT_MAX_UNCUT_BYTES >> 20);
				else
					cli_errorf("%s: over %ld MiB (PA_INPUT_MAX_UNCUT_BYTES), "
					           "and this tokenizer counts a text whole: "
					           "it has no place to cut one",
					           Pa_input_name(in), PA_INPUT_MAX_UNCUT_BYTES >> 20);
				code = EXIT_USAGE;
				break;
			}
			continue;
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
			           "replace it)", Pa_input_name(in), offset + err.offset);
			code = EXIT_USAGE;
			break;
		}
		if (st != PA_OK) {
			/* The error is about this input unless it names a file
			 * (its message says where: "FILE: MESSAGE"); one without a
			 * message has been reported. */
			if (!err.file[0]) {
				snprintf(err.file, sizeof(err.file), "%s", Pa_input_name(in));
				err.line = 0;
				err.offset = -1;
			}
			if (err.message[0])
				cli_print_error(&err);
			code = cli_exit_code(err.status);
			break;
		}
		searched = 0;
		offset += (long long)cut;
		memmove(buf.ptr, buf.ptr + cut, buf.len - cut);
		pa_buf_truncate(&buf, buf.len - cut);
	}
	pa_buf_release(&buf);
	pa_buf_release(&clean);
	Pa_input_close(in);
	return code;
}
