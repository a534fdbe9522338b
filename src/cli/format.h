/*
 * format.h - the output formats of the commands: one enum and one parser,
 * as cmark's main.c has one writer_format.  A format is the command's,
 * never an agent CLI's: each command declares the list it offers (in the
 * order its help and messages name them) and parses -f against it.
 */
#ifndef PA_CLI_FORMAT_H
#define PA_CLI_FORMAT_H

#include <stddef.h>

typedef enum cli_format {
	CLI_FMT_TEXT,
	CLI_FMT_JSON,
	CLI_FMT_MARKDOWN,
	CLI_FMT_HTML,
	CLI_FMT_GITHUB,          /* GitHub's workflow commands */
	CLI_FMT_JUNIT,
	CLI_FMT_ANTHROPIC,       /* a Messages API request body */
	CLI_FMT_ANTHROPIC_COUNT, /* a count_tokens request body */
	CLI_FMT_OPENAI,          /* a Chat Completions request body */
	CLI_FMT_COUNT
} cli_format;

/* Its name as -f takes it ("anthropic-count"); static. */
const char *cli_format_name(cli_format f);

/* Sets *out to the format arg names among the n offered; else prints the
 * usage error "unknown format 'x' (text, json or html)", naming the
 * offered in their order, and returns 0. */
int cli_format_parse(const char *arg, const cli_format *offered, size_t n,
                     cli_format *out);

#endif
