/* cmd_tokenize.c - `promptasm tokenize`: the tokens of a text, as ids or
 * as visible pieces for seeing where a prompt's tokens go.  The input is
 * read in parts (stream.h), so text output takes constant memory. */
#define _GNU_SOURCE
#include "cli.h"
#include "stream.h"

#include <errno.h>
#include "options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"promptasm tokenize [-t TOKENIZER | -m MODEL] [--ids | --pieces] [--lossy] [--format text|json]\n"
	"                          [FILE | --text TEXT]\n"
	"       promptasm tokenize --decode [-t TOKENIZER | -m MODEL] [FILE]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Shows the tokens of FILE (standard input when none or '-'), or of TEXT.\n\n"
	       "  -t, --tokenizer NAME  tokenizer (default: " PA_DEFAULT_TOKENIZER ")\n"
	       "  -m, --model MODEL     the tokenizer that serves MODEL\n"
	       "      --ids             the ids, separated by spaces (default)\n"
	       "      --pieces          one token a line: id, a tab, its text with\n"
	       "                        space as \xe2\x90\xa3, \\n \\r \\t \\\\ escaped and bytes that\n"
	       "                        are not whole UTF-8 characters as \\xNN,\n"
	       "                        what is not seen or moves the text (zero-width,\n"
	       "                        bidi, line separators) as \\uNNNN\n"
	       "      --lossy           replace invalid UTF-8 with U+FFFD instead of failing\n"
	       "      --text TEXT       the tokens of TEXT, not of a file (as ttok's\n"
	       "                        arguments; with --decode, TEXT holds ids)\n"
	       "  -d, --decode          the other way: FILE holds ids (separated by\n"
	       "                        spaces, commas or lines; [ ] allowed) or\n"
	       "                        the whole -f json output, whose tokenizer\n"
	       "                        is used: prints their text\n"
	       "  -f, --format FORMAT   text (default) or json: the ids, and with\n"
	       "                        --pieces the pieces as shown above\n"
	       "  -q, --quiet           no notes on standard error\n"
	       "  -h, --help            this help\n",
	       usage);
}

/* Appends the token's bytes so that every byte is visible and the line
 * stays one line. */
static void put_visible(pa_buf *out, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = 1;
		size_t bad;

		if (c == ' ')
			pa_buf_puts(out, "\xe2\x90\xa3");
		else if (c == '\n')
			pa_buf_puts(out, "\\n");
		else if (c == '\r')
			pa_buf_puts(out, "\\r");
		else if (c == '\t')
			pa_buf_puts(out, "\\t");
		else if (c == '\\')
			pa_buf_puts(out, "\\\\");
		else if (c < 0x20 || c == 0x7F)
			pa_buf_printf(out, "\\x%02X", c);
		else if (c < 0x80)
			pa_buf_putc(out, (char)c);
		else {
			/* A whole character when its lead byte's length is
			 * there and valid; else this byte alone is escaped. */
			n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			if (i + n <= len && pa_utf8_valid(s + i, n, &bad)) {
				uint32_t cp = n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu)
				              : (c & 0x07u);

				for (bad = 1; bad < n; bad++)
					cp = cp << 6 | ((unsigned char)s[i + bad] & 0x3Fu);
				/* our own space mark; and what would not be seen
				 * (a zero-width space, a byte order mark), reorder
				 * the line (U+202E) or end it (U+2028, U+0085), as
				 * the quoting rule and the HTML token view show them */
				if (cp == 0x2423 || Pa_quote_hidden((int32_t)cp))
					pa_buf_printf(out, cp > 0xFFFF ? "\\U%08X" : "\\u%04X",
					              (unsigned)cp);
				else
					pa_buf_put(out, s + i, n);
			} else {
				n = 1;
				pa_buf_printf(out, "\\x%02X", c);
			}
		}
		i += n;
	}
}

/* Appends tokens as text: ids separated by spaces (first: none before the
 * first), or one piece a line. */
static void put_text(pa_buf *out, const pa_tokenizer *tok, const uint32_t *ids,
                     size_t n, int pieces, int *first)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		if (pieces) {
			const char *bytes = pa_tokenizer_token(tok, ids[i], &len);
			pa_buf_printf(out, "%u\t", ids[i]);
			put_visible(out, bytes, len);
			pa_buf_putc(out, '\n');
		} else {
			pa_buf_printf(out, *first ? "%u" : " %u", ids[i]);
			*first = 0;
		}
	}
}

/* {"version", "tokenizer", "exact", "tokens", "ids": [...]}, and with
 * --pieces "pieces": each token as tokenize --pieces shows it. */
static void put_json(pa_buf *out, const pa_tokenizer *tok, const char *model,
                     const uint32_t *ids, size_t n, int pieces)
{
	size_t i, len;
	pa_buf piece = PA_BUF_INIT;
	Pa_jw w;

	Pa_jw_report(&w, out);
	Pa_jw_str(&w, "tokenizer", pa_tokenizer_name(tok));
	Pa_jw_bool(&w, "exact", !pa_tokenizer_is_estimate(tok, model));
	Pa_jw_uint(&w, "tokens", n);
	Pa_jw_array(&w, "ids", PA_JW_INLINE);
	for (i = 0; i < n; i++)
		Pa_jw_uint(&w, NULL, ids[i]);
	Pa_jw_end(&w);
	if (pieces) {
		Pa_jw_array(&w, "pieces", PA_JW_INLINE);
		for (i = 0; i < n; i++) {
			const char *bytes = pa_tokenizer_token(tok, ids[i], &len);
			pa_buf_reset(&piece);
			put_visible(&piece, bytes, len);
			Pa_jw_strn(&w, NULL, piece.ptr, piece.len);
		}
		Pa_jw_end(&w);
	}
	Pa_jw_finish(&w);
	pa_buf_release(&piece);
}

typedef struct tokenizing {
	const pa_tokenizer *tok;
	int pieces, json;
	pa_buf out;           /* text output not yet written */
	int first;            /* no id written yet */
	int write_failed;     /* exit status 3, as for any output error */
	uint32_t *ids;        /* json: every id, for "tokens" before "ids" */
	size_t n, cap;
} tokenizing;

/* Sets err to status with a message, for the stream to print. */
static pa_status part_error(pa_error *err, pa_status status, const char *message)
{
	memset(err, 0, sizeof(*err));
	err->status = status;
	err->offset = -1;
	snprintf(err->message, sizeof(err->message), "%s", message);
	return status;
}

/* A part of the input (stream.h): its tokens into the output.  Text
 * output is written once CLI_TOKENIZE_HOLD_BYTES of it wait: an input whose
 * tokens fit prints nothing when it turns out to be invalid, a larger one
 * streams in constant memory.  JSON holds the whole document, so its
 * input is limited as trim's is. */
static pa_status tokenize_part(void *ctx, const char *text, size_t len,
                               long long offset, pa_error *err)
{
	tokenizing *t = ctx;
	uint32_t *ids = NULL;
	size_t n = 0;
	pa_status st;

	if (t->json && (unsigned long long)offset + len > PA_INPUT_MAX_BYTES)
		return part_error(err, PA_ERR_TOO_LARGE, "input over 16 MiB "
		                  "(PA_INPUT_MAX_BYTES): too large for --format "
		                  "json (the text format streams any size)");
	st = pa_tokenizer_encode(t->tok, text, len, &ids, &n, err);
	if (st != PA_OK)
		return st;
	if (t->json) {
		if (t->n + n > t->cap) {
			t->cap = t->n + n > 2 * t->cap ? t->n + n : 2 * t->cap;
			t->ids = Pa_xrealloc(t->ids, t->cap * sizeof(*t->ids));
		}
		memcpy(t->ids + t->n, ids, n * sizeof(*ids));
		t->n += n;
	} else {
		put_text(&t->out, t->tok, ids, n, t->pieces, &t->first);
	}
	pa_free(ids);
	if (t->out.len >= CLI_TOKENIZE_HOLD_BYTES) {
		size_t want = t->out.len, wrote = fwrite(t->out.ptr, 1, want, stdout);

		pa_buf_reset(&t->out);
		if (wrote != want || fflush(stdout) != 0) {
			cli_errorf("cannot write to standard output: %s", strerror(errno));
			t->write_failed = 1;
			return part_error(err, PA_ERR_IO, "");
		}
	}
	return PA_OK;
}

/* The ids of `tokenize -f json` output (its "ids" array) into *ids, and
 * the tokenizer it names into *named (NULL when it names none); the caller
 * frees both.  Returns EXIT_OK or EXIT_USAGE, having said why. */
static int json_ids(const pa_buf *raw, const char *shown, uint32_t **ids,
                    size_t *n, char **named)
{
	Pa_jnode *root = NULL;
	const Pa_jnode *arr, *t;
	pa_error err;
	size_t i;

	*ids = NULL;
	*n = 0;
	*named = NULL;
	if (Pa_json_parse(raw->ptr, raw->len, shown, &root, &err) != PA_OK) {
		cli_print_error(&err);
		return EXIT_USAGE;
	}
	arr = Pa_jnode_get(root, "ids");
	if (!arr || arr->type != PA_JSON_ARRAY) {
		cli_errorf("%s: JSON without an \"ids\" array (the output of "
		           "'promptasm tokenize -f json' has one)", shown);
		Pa_jnode_free(root);
		return EXIT_USAGE;
	}
	*ids = Pa_xmalloc((arr->n ? arr->n : 1) * sizeof(**ids));
	for (i = 0; i < arr->n; i++) {
		const Pa_jnode *v = arr->items[i];
		unsigned long long x = 0;
		size_t k;

		for (k = 0; v->type == PA_JSON_NUMBER && k < v->len &&
		            v->text[k] >= '0' && v->text[k] <= '9' && x <= UINT32_MAX;
		     k++)
			x = x * 10 + (unsigned)(v->text[k] - '0');
		if (v->type != PA_JSON_NUMBER || k == 0 || k != v->len ||
		    x > UINT32_MAX) {
			cli_errorf("%s:%ld:%ld: not a token id", shown, v->line,
			           v->column);
			Pa_jnode_free(root);
			free(*ids);
			*ids = NULL;
			return EXIT_USAGE;
		}
		(*ids)[i] = (uint32_t)x;
	}
	*n = arr->n;
	/* A "tokenizer" that names none (a number, a name cut short by a
	 * \u0000) would decode with the default, or with the name's first
	 * part, as if the ids were theirs. */
	t = Pa_jnode_get(root, "tokenizer");
	if (t && (t->type != PA_JSON_STRING || memchr(t->text, '\0', t->len))) {
		cli_errorf("%s:%ld:%ld: \"tokenizer\" is not a tokenizer's name",
		           shown, t->line, t->column);
		Pa_jnode_free(root);
		free(*ids);
		*ids = NULL;
		*n = 0;
		return EXIT_USAGE;
	}
	if (t)
		*named = Pa_xstrdup(t->text);
	Pa_jnode_free(root);
	return EXIT_OK;
}

/* --decode: the ids of path (at most PA_INPUT_MAX_BYTES of them) as the
 * bytes they stand for, nothing added, so that `tokenize | tokenize -d`
 * gives back the input.  The ids are numbers separated by spaces, commas
 * or lines, or the JSON `tokenize -f json` writes, whose tokenizer decodes
 * them when no -t or -m is given (and must be theirs when one is); text,
 * when not NULL, holds them instead of path. */
static int decode(const char *name, const char *model, const char *path,
                  const char *text)
{
	pa_buf raw = PA_BUF_INIT, out = PA_BUF_INIT;
	uint32_t *ids = NULL;
	size_t n = 0, cap = 0, i = 0;
	const char *shown = strcmp(path, "-") ? path : "<stdin>";
	char *named = NULL;
	pa_tokenizer *tok = NULL;
	pa_error err;
	int code = EXIT_OK;

	if (text) {
		shown = "--text";
		pa_buf_puts(&raw, text);
	} else if (pa_file_read_limited(path, PA_INPUT_MAX_BYTES, PA_FILE_STDIN, &raw,
	                                &err) != PA_OK) {
		cli_print_error(&err);
		pa_buf_release(&raw);
		return cli_exit_code(err.status);
	}
	while (i < raw.len && strchr(" \t\r\n", raw.ptr[i]))
		i++;
	if (i < raw.len && raw.ptr[i] == '{') {
		code = json_ids(&raw, shown, &ids, &n, &named);
		i = raw.len;
	} else {
		i = 0;
	}
	if (code == EXIT_OK) {
		tok = cli_load_tokenizer(name || model ? name : named, model, &code);
		if (tok && named && strcmp(named, pa_tokenizer_name(tok))) {
			cli_errorf("%s: the ids are %s's, not %s's", shown, named,
			           pa_tokenizer_name(tok));
			code = EXIT_USAGE;
		}
	}
	while (i < raw.len && code == EXIT_OK) {
		unsigned char c = (unsigned char)raw.ptr[i];
		unsigned long long v = 0;
		size_t start = i;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' ||
		    c == '[' || c == ']') {
			i++;
			continue;
		}
		while (i < raw.len && raw.ptr[i] >= '0' && raw.ptr[i] <= '9' &&
		       v <= UINT32_MAX)
			v = v * 10 + (unsigned)(raw.ptr[i++] - '0');
		if (i == start || v > UINT32_MAX ||
		    (i < raw.len && !strchr(" \t\r\n,[]", raw.ptr[i]))) {
			size_t end = start;
			while (end < raw.len && end - start < 20 &&
			       !strchr(" \t\r\n,[]", raw.ptr[end]))
				end++;
			cli_errorf("%s: not a token id at byte %zu: '%.*s'", shown,
			           start, (int)(end > start ? end - start : 1),
			           raw.ptr + start);
			code = EXIT_USAGE;
			break;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			ids = Pa_xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = (uint32_t)v;
	}
	if (code == EXIT_OK && pa_tokenizer_decode(tok, ids, n, &out, &err) != PA_OK) {
		cli_errorf("%s: %s", shown, err.message);
		code = EXIT_USAGE;
	}
	if (code == EXIT_OK)
		code = cli_write_stdout(out.ptr, out.len);
	free(ids);
	free(named);
	pa_tokenizer_free(tok);
	pa_buf_release(&raw);
	pa_buf_release(&out);
	return code;
}

const cli_opt cli_tokenize_opts[] = {
	{ "tokenizer", required_argument, 't', 't', CLI_VALUE_TOKENIZER, NULL },
	{ "model", required_argument, 'm', 'm', CLI_VALUE_MODEL, NULL },
	{ "ids", no_argument, 'I', 0, CLI_VALUE_NONE, NULL },
	{ "pieces", no_argument, 'P', 0, CLI_VALUE_NONE, NULL },
	{ "lossy", no_argument, 'L', 0, CLI_VALUE_NONE, NULL },
	{ "decode", no_argument, 'd', 'd', CLI_VALUE_NONE, NULL },
	{ "text", required_argument, 'X', 0, CLI_VALUE_NONE, NULL },
	CLI_OPT_FORMAT("text json"),
	{ "quiet", no_argument, 'q', 'q', CLI_VALUE_NONE, NULL },
	{ "help", no_argument, 'h', 'h', CLI_VALUE_NONE, NULL },
	CLI_OPT_END
};

int cmd_tokenize(int argc, char **argv)
{
	cli_getopt g;
	const char *name = NULL, *model = NULL, *path = "-", *text = NULL;
	int pieces = 0, lossy = 0, json = 0, dec = 0, c, code = EXIT_OK;
	pa_tokenizer *tok;
	tokenizing t;

	cli_getopt_init(&g, cli_tokenize_opts);
	while ((c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				return cli_usage_error("unknown format '%s' (text or "
				                       "json)", optarg);
			json = !strcmp(optarg, "json");
			break;
		case 't': name = optarg; break;
		case 'm': model = optarg; break;
		case 'I': pieces = 0; break;
		case 'P': pieces = 1; break;
		case 'L': lossy = 1; break;
		case 'd': dec = 1; break;
		case 'X': text = optarg; break;
		case 'q': cli_quiet = 1; break;
		case 'h': help(); return EXIT_OK;
		default: return cli_option_error(argv, g.shortopts, g.longopts);
		}
	}
	if (name && model)
		return cli_usage_error("-t and -m exclude each other");
	if (argc - optind > 1)
		return cli_usage_error("more than one FILE given");
	if (text && argc - optind)
		return cli_usage_error("--text and a FILE exclude each other");
	if (argc - optind == 1)
		path = argv[optind];
	if (dec && (pieces || json || lossy))
		return cli_usage_error("--decode prints text: it takes no --pieces, "
		                       "--format or --lossy");
	if (dec)
		return decode(name, model, path, text);
	tok = cli_load_tokenizer(name, model, &code);
	if (!tok)
		return code;
	memset(&t, 0, sizeof(t));
	t.tok = tok;
	t.pieces = pieces;
	t.json = json;
	t.out = (pa_buf)PA_BUF_INIT;
	t.first = 1;
	if (text) {
		pa_buf arg = PA_BUF_INIT;
		pa_error err;

		code = cli_text_arg(text, lossy, &arg);
		if (code == EXIT_OK &&
		    tokenize_part(&t, arg.ptr, arg.len, 0, &err) != PA_OK) {
			if (err.message[0])
				cli_errorf("--text: %s", err.message);
			code = t.write_failed ? EXIT_FAILURE_IO : cli_exit_code(err.status);
		}
		pa_buf_release(&arg);
	} else {
		code = cli_stream_parts(tok, path, lossy, 1u << 20, tokenize_part, &t);
	}
	if (t.write_failed)
		code = EXIT_FAILURE_IO;
	if (code == EXIT_OK) {
		if (json)
			put_json(&t.out, tok, model, t.ids, t.n, pieces);
		else if (!pieces)
			pa_buf_putc(&t.out, '\n');
		code = cli_write_stdout(t.out.ptr, t.out.len);
		if (pa_tokenizer_is_estimate(tok, model))
			cli_notef("%s tokens are estimates for current Claude models (see 'promptasm tokenizers')",
			          pa_tokenizer_name(tok));
	}
	free(t.ids);
	pa_buf_release(&t.out);
	pa_tokenizer_free(tok);
	return code;
}
