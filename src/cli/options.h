/*
 * options.h - each command's options, in one table that both getopt_long
 * and the shell completions (`promptasm completions bash|zsh|fish`) read,
 * so that the completions cannot offer an option the parser refuses or
 * miss one it takes.
 *
 * A command defines `const cli_opt cli_<name>_opts[]` (ended by
 * CLI_OPT_END), builds getopt's arrays from it with cli_getopt_init(), and
 * main.c's cli_commands[] names it for the completions.
 */
#ifndef PA_CLI_OPTIONS_H
#define PA_CLI_OPTIONS_H

#include <getopt.h>
#include <stddef.h>

/* What completes an option's value, or a command's operands. */
enum {
	CLI_VALUE_NONE,      /* nothing to offer (a flag, a number, a pattern) */
	CLI_VALUE_WORDS,     /* the words of cli_opt.words */
	CLI_VALUE_FILE,      /* a file name */
	CLI_VALUE_DIR,       /* a directory */
	CLI_VALUE_TOKENIZER, /* a tokenizer name (promptasm tokenizers) */
	CLI_VALUE_MODEL,     /* a model name the manifests list */
	CLI_VALUE_AGENT,     /* an agent name (promptasm agents), or a file */
	CLI_VALUE_CLI,       /* an agent CLI's name, as the table names them */
	CLI_VALUE_REFUSED    /* an option the command takes only to refuse it
	                      * with a reason: never offered */
};

typedef struct cli_opt {
	const char *name;    /* the long name, without "--"; NULL ends a table */
	int has_arg;         /* no_argument or required_argument */
	int val;             /* what getopt_long returns for it */
	char letter;         /* its short option (-f), 0 when it has none */
	unsigned char value; /* CLI_VALUE_*: what completes its argument */
	const char *words;   /* CLI_VALUE_WORDS: the values, space-separated */
} cli_opt;

#define CLI_OPT_END { NULL, 0, 0, 0, CLI_VALUE_NONE, NULL }

/* -f, --format with these values ("text json"). */
#define CLI_OPT_FORMAT(words) \
	{ "format", required_argument, 'f', 'f', CLI_VALUE_WORDS, words }

/* The most options a command has, and so the size of cli_getopt. */
#define CLI_OPTS_MAX 48

/* getopt_long's arrays, built from a table. */
typedef struct cli_getopt {
	struct option longopts[CLI_OPTS_MAX + 1];
	char shortopts[2 * CLI_OPTS_MAX + 1];
} cli_getopt;

/* Fills g from opts.  More than CLI_OPTS_MAX entries end the program with
 * an internal error (exit status 3): a mistake of
 * ours that every test would show. */
void cli_getopt_init(cli_getopt *g, const cli_opt *opts);

/* A command as main() dispatches it and the completions describe it. */
typedef struct cli_command_def {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;    /* NULL: left out of --help and completions */
	const cli_opt *opts;    /* NULL: it parses no options but --help */
	unsigned char operand;  /* CLI_VALUE_*: what its operands are */
} cli_command_def;

extern const cli_command_def cli_commands[];
extern const size_t cli_n_commands;

/* The option tables of the commands (cmd_*.c, completions.c). */
extern const cli_opt cli_build_opts[], cli_agents_opts[], cli_context_opts[],
	cli_check_opts[], cli_explain_opts[], cli_trim_opts[], cli_count_opts[],
	cli_tokenize_opts[], cli_tokenizers_opts[], cli_completions_opts[];

#endif
