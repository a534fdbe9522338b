/* cmd_common.c - what the subcommands share: errors, exit codes, the
 * tokenizer options, writing stdout. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_quiet;
const char *cli_command = "promptasm";
cli_env_places cli_env;

extern char **environ;

void cli_setup(void)
{
	cli_env.home = getenv("HOME");
	cli_env.config_dir = getenv("CLAUDE_CONFIG_DIR");
	cli_env.xdg_config_home = getenv("XDG_CONFIG_HOME");
	cli_env.tokenizers = getenv("PROMPTASM_TOKENIZERS");
	cli_env.workspace = getenv("GITHUB_WORKSPACE");
	cli_env.environ = (const char *const *)environ;
	pa_tokenizer_set_dir(cli_env.tokenizers);
}

/* One line on stderr: prefix, then the message, then suffix.  The
 * message holds names, paths and values from the project (and messages the
 * library built with them): it goes through the one quoting rule
 * (util.h), so it stays one line, with no escape sequence and no workflow
 * command in it. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
static void put_line(const char *prefix, const char *fmt, va_list ap,
                     const char *suffix)
{
	pa_buf msg = PA_BUF_INIT, line = PA_BUF_INIT;

	pa_buf_vprintf(&msg, fmt, ap);
	pa_buf_puts(&line, prefix);
	Pa_quote_text(&line, msg.ptr, msg.len);
	pa_buf_puts(&line, suffix);
	pa_buf_putc(&line, '\n');
	fwrite(line.ptr, 1, line.len, stderr);
	pa_buf_release(&msg);
	pa_buf_release(&line);
}

/* `promptasm: <kind><message>`. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 0)))
#endif
static void report(const char *kind, const char *fmt, va_list ap)
{
	pa_buf prefix = PA_BUF_INIT;

	pa_buf_printf(&prefix, "promptasm: %s", kind);
	put_line(prefix.ptr, fmt, ap, "");
	pa_buf_release(&prefix);
}

void cli_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("", fmt, ap);
	va_end(ap);
}

void cli_warnf(const char *fmt, ...)
{
	va_list ap;

	if (cli_quiet)
		return;
	va_start(ap, fmt);
	report("warning: ", fmt, ap);
	va_end(ap);
}

void cli_print_error(const pa_error *err)
{
	if (err->file[0] && err->line > 0 && err->column > 0)
		cli_errorf("%s at %s:%ld:%ld", err->message, err->file, err->line,
		           err->column);
	else if (err->file[0] && err->line > 0)
		cli_errorf("%s at %s:%ld", err->message, err->file, err->line);
	else if (err->file[0] && err->offset >= 0)
		cli_errorf("%s in %s at byte %lld", err->message, err->file,
		           err->offset);
	else if (err->file[0])
		cli_errorf("%s: %s", err->file, err->message);
	else
		cli_errorf("%s", err->message[0] ? err->message
		                                  : pa_strerror(err->status));
}

int cli_exit_code(pa_status status)
{
	switch (status) {
	case PA_OK:
		return EXIT_OK;
	case PA_ERR_OVER_BUDGET:
		return EXIT_OVER_BUDGET;
	case PA_ERR_NOMEM:
	case PA_ERR_CHECKSUM:
	case PA_ERR_DATA:
		return EXIT_FAILURE_IO;
	default:
		return EXIT_USAGE;
	}
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	/* One line, as every error: what is wrong, then where to read
	 * more.  The usage text itself is --help's. */
	pa_buf prefix = PA_BUF_INIT, suffix = PA_BUF_INIT;

	pa_buf_printf(&prefix, "%s: ", cli_command);
	pa_buf_printf(&suffix, "; see '%s --help'", cli_command);
	va_start(ap, fmt);
	put_line(prefix.ptr, fmt, ap, suffix.ptr);
	va_end(ap);
	pa_buf_release(&prefix);
	pa_buf_release(&suffix);
	return EXIT_USAGE;
}

/* The long option arg ("--name" or "--name=value") names, or NULL;
 * *ambiguous is set when it abbreviates more than one. */
static const struct option *long_option(const char *arg,
                                        const struct option *opts,
                                        int *ambiguous)
{
	size_t n = strcspn(arg, "="), i;
	const struct option *found = NULL;

	*ambiguous = 0;
	for (i = 0; opts[i].name; i++) {
		if (strncmp(opts[i].name, arg, n))
			continue;
		if (strlen(opts[i].name) == n)
			return &opts[i]; /* exact */
		if (found)
			*ambiguous = 1;
		found = &opts[i];
	}
	return *ambiguous ? NULL : found;
}

int cli_option_error(char **argv, const char *shortopts,
                     const struct option *longopts)
{
	/* getopt_long has moved optind past a long option it refused (and
	 * past a short one ending its group): argv[optind - 1] names it. */
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	const struct option *o = NULL;
	int ambiguous = 0;
	size_t n;

	if (!strncmp(arg, "--", 2) && arg[2]) {
		n = strcspn(arg, "=");
		o = long_option(arg + 2, longopts, &ambiguous);
		if (ambiguous)
			return cli_usage_error("option '%.*s' is ambiguous", (int)n, arg);
		if (!o) {
			const char **names;
			const char *best;
			size_t k, nl = 0;
			char word[128];
			int code;

			while (longopts[nl].name)
				nl++;
			names = Pa_xcalloc(nl ? nl : 1, sizeof(*names));
			for (k = 0; k < nl; k++)
				names[k] = longopts[k].name;
			snprintf(word, sizeof(word), "%.*s", (int)(n - 2), arg + 2);
			best = Pa_nearest(word, names, nl);
			code = best ? cli_usage_error("unknown option '%.*s' (did you "
			                              "mean '--%s'?)", (int)n, arg, best)
			            : cli_usage_error("unknown option '%.*s'", (int)n, arg);
			free(names);
			return code;
		}
		if (arg[n] == '=' && o->has_arg == no_argument)
			return cli_usage_error("option '--%s' takes no argument", o->name);
		if (!arg[n] && o->has_arg == required_argument && optopt == o->val)
			return cli_usage_error("option '--%s' needs an argument", o->name);
	}
	if (optopt > ' ' && optopt < 127 && optopt != ':' &&
	    strchr(shortopts, optopt))
		return cli_usage_error("option '-%c' needs an argument", optopt);
	if (optopt > ' ' && optopt < 127)
		return cli_usage_error("unknown option '-%c'", optopt);
	return cli_usage_error("unknown option '%s'", arg);
}

pa_tokenizer *cli_load_tokenizer(const char *name, const char *model,
                                 int *exit_code)
{
	pa_tokenizer_pick pick;
	pa_tokenizer *tok = NULL;
	pa_error err;
	pa_status st;

	pa_tokenizer_choose(name, model, NULL, NULL, &pick);
	st = pa_tokenizer_load_pick(&pick, NULL, &tok, &err);
	if (st != PA_OK) {
		cli_suggest_tokenizer(&err, name);
		cli_print_error(&err);
		*exit_code = st == PA_ERR_NOT_FOUND && (name || model) ? EXIT_USAGE
		                                                       : EXIT_FAILURE_IO;
		return NULL;
	}
	return tok;
}

/* The input that path is, or NULL. */
static const char *same_file(const char *path, const char *const *inputs,
                             size_t n)
{
	struct stat out, in;
	size_t i;

	if (stat(path, &out) != 0)
		return NULL; /* a new file is no input */
	for (i = 0; i < n; i++)
		if (inputs[i] && stat(inputs[i], &in) == 0 &&
		    in.st_dev == out.st_dev && in.st_ino == out.st_ino)
			return inputs[i];
	return NULL;
}

int cli_output_refused(const char *path, const char *const *inputs, size_t n)
{
	const char *input = path ? same_file(path, inputs, n) : NULL;

	if (!input)
		return EXIT_OK;
	cli_errorf("%s: cannot write: it is an input of this command (%s); "
	           "write the output elsewhere", path, input);
	return EXIT_FAILURE_IO;
}

int cli_write_output(const char *path, const char *data, size_t len,
                     const char *const *inputs, size_t n)
{
	pa_error err;
	int code;

	if (!path)
		return cli_write_stdout(data, len);
	code = cli_output_refused(path, inputs, n);
	if (code != EXIT_OK)
		return code;
	if (pa_file_write_atomic(path, data, len, &err) != PA_OK) {
		cli_print_error(&err);
		return EXIT_FAILURE_IO;
	}
	return EXIT_OK;
}

int cli_text_arg(const char *text, int lossy, pa_buf *out)
{
	size_t len = strlen(text), bad = 0;

	if (pa_utf8_valid(text, len, &bad)) {
		pa_buf_put(out, text, len);
		return EXIT_OK;
	}
	if (!lossy) {
		cli_errorf("--text: invalid UTF-8 at byte %zu (--lossy replaces it "
		           "with U+FFFD)", bad);
		return EXIT_USAGE;
	}
	pa_utf8_lossy(text, len, out);
	return EXIT_OK;
}

int cli_write_stdout(const char *data, size_t len)
{
	if (len && fwrite(data, 1, len, stdout) != len) {
		cli_errorf("cannot write to standard output: %s", strerror(errno));
		return EXIT_FAILURE_IO;
	}
	return EXIT_OK;
}

/* Reads path into text, checking UTF-8 unless lossy.  Prints the error. */
int cli_read_text(const char *path, int lossy, pa_buf *text)
{
	pa_buf raw = PA_BUF_INIT;
	pa_error err;
	size_t bad;

	if (pa_file_read_limited(path, PA_INPUT_MAX_BYTES, PA_FILE_STDIN, &raw,
	                         &err) != PA_OK) {
		cli_print_error(&err);
		pa_buf_release(&raw);
		return EXIT_USAGE;
	}
	if (pa_utf8_valid(raw.ptr, raw.len, &bad)) {
		*text = raw;
		return EXIT_OK;
	}
	if (!lossy) {
		cli_errorf("invalid UTF-8 in %s at byte %zu (use --lossy to replace it)",
		           strcmp(path, "-") ? path : "<stdin>", bad);
		pa_buf_release(&raw);
		return EXIT_USAGE;
	}
	pa_utf8_lossy(raw.ptr, raw.len, text);
	pa_buf_release(&raw);
	return EXIT_OK;
}

void cli_notef(const char *fmt, ...)
{
	va_list ap;

	if (cli_quiet)
		return;
	va_start(ap, fmt);
	report("note: ", fmt, ap);
	va_end(ap);
}

size_t cli_cell_width(const char *s)
{
	pa_buf cell = PA_BUF_INIT;
	size_t n = Pa_quote_cell(&cell, s, CLI_CELL_MAX);

	pa_buf_release(&cell);
	return n;
}

void cli_put_cell(pa_buf *out, const char *s, size_t width)
{
	size_t n = Pa_quote_cell(out, s, CLI_CELL_MAX);

	for (; n < width; n++)
		pa_buf_putc(out, ' ');
}

void cli_suggest_tail(pa_error *err, const char *text)
{
	char tail[sizeof(err->message)];
	char *see;
	size_t len = strlen(err->message);

	if (len + strlen(text) + 1 >= sizeof(err->message))
		return;
	see = strstr(err->message, "; see '");
	if (!see)
		see = err->message + len;
	snprintf(tail, sizeof(tail), "%s", see);
	snprintf(see, sizeof(err->message) - (size_t)(see - err->message),
	         "%s%s", text, tail);
}

void cli_suggest(pa_error *err, const char *word, const char *const *cands,
                 size_t n)
{
	const char *best = word ? Pa_nearest(word, cands, n) : NULL;
	char text[sizeof(err->message)];

	if (!best || strlen(best) + 20 >= sizeof(text))
		return;
	snprintf(text, sizeof(text), " (did you mean '%s'?)", best);
	cli_suggest_tail(err, text);
}

void cli_suggest_tokenizer(pa_error *err, const char *name)
{
	pa_tokenizer_info *list;
	const char **names;
	pa_error lerr;
	size_t n, i;

	if (!name || err->status != PA_ERR_NOT_FOUND ||
	    pa_tokenizer_list(NULL, &list, &n, &lerr) != PA_OK)
		return;
	names = Pa_xcalloc(n ? n : 1, sizeof(*names));
	for (i = 0; i < n; i++)
		names[i] = list[i].name;
	/* tiktoken's older encodings are not near o200k_base: they are not
	 * here, whatever their spelling. */
	if (strcmp(name, "p50k_base") && strcmp(name, "p50k_edit") &&
	    strcmp(name, "r50k_base") && strcmp(name, "gpt2"))
		cli_suggest(err, name, names, n);
	else
		cli_suggest_tail(err, " (tiktoken's, not shipped with promptasm)");
	/* What there is, before the closing "; see 'promptasm tokenizers'",
	 * for one who tried a name from another tool. */
	if (n) {
		pa_buf list_text = PA_BUF_INIT;

		pa_buf_puts(&list_text, "; the tokenizers are ");
		for (i = 0; i < n; i++) {
			if (i)
				pa_buf_puts(&list_text, i + 1 == n ? " and " : ", ");
			Pa_quote_str(&list_text, names[i]);
		}
		cli_suggest_tail(err, list_text.ptr);
		pa_buf_release(&list_text);
	}
	free(names);
	pa_tokenizer_info_free(list, n);
}

void cli_suggest_agent(pa_error *err, const char *name,
                       const pa_compose_options *opt)
{
	pa_agent_entry *list = NULL;
	pa_warnings warn = { NULL, 0 };
	const char **names;
	pa_error lerr;
	size_t n = 0, i;

	if (!name || err->status != PA_ERR_NOT_FOUND ||
	    pa_agent_list(opt, &list, &n, &warn, &lerr) != PA_OK) {
		pa_warnings_release(&warn);
		return;
	}
	names = Pa_xcalloc(n ? n : 1, sizeof(*names));
	for (i = 0; i < n; i++)
		names[i] = list[i].wins ? list[i].name : NULL;
	cli_suggest(err, name, names, n);
	free(names);
	pa_agent_entry_free(list, n);
	pa_warnings_release(&warn);
}
