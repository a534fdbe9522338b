/*
 * cli.h - what the subcommands (src/cmd_*.c) share: exit codes, error
 * printing and the tokenizer options.  The CLI uses only promptasm.h.
 */
#ifndef PA_CLI_H
#define PA_CLI_H

#include "promptasm.h"
#include "util.h"

#include <stdio.h>

/* Exit codes, documented in the man page (EXIT STATUS). */
enum {
	EXIT_OK = 0,          /* success; for check: every prompt fits */
	EXIT_OVER_BUDGET = 1, /* a prompt does not fit its budget */
	EXIT_USAGE = 2,       /* bad arguments or bad input (files, UTF-8, YAML) */
	EXIT_FAILURE_IO = 3   /* cannot write output, or tokenizer data missing or damaged */
};

/* Prints `promptasm: <message> at file:line:column` (or `in file at byte
 * N`, or `file: message`, as much as err knows) in git's style. */
void cli_print_error(const pa_error *err);
/* Prints `promptasm: <formatted message>` to stderr. */
void cli_errorf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
/* Prints a warning unless quiet was asked for. */
void cli_warnf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
/* Prints a note (such as "counts are estimates") unless quiet. */
void cli_notef(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
extern int cli_quiet;

/* Reads a whole file ("-" is stdin) into text.  Invalid UTF-8 is an error
 * naming the file and byte offset, or with lossy is replaced by U+FFFD.
 * Prints the error and returns the exit code on failure. */
int cli_read_text(const char *path, int lossy, pa_buf *text);

/* The exit code for a failed status. */
int cli_exit_code(pa_status status);

/* The command being run, "promptasm build": set by main(). */
extern const char *cli_command;

/* The setup: what the program reads of its environment, read once by
 * cli_setup() (main(), before any command) and passed down from here in
 * the options (pa_compose_options' home, config_dir and env, the user's
 * config, the tokenizer directory).  The library below reads no
 * environment (tests/suites/run-setup.sh holds that line). */
typedef struct cli_env_places {
	const char *home;            /* HOME */
	const char *config_dir;      /* CLAUDE_CONFIG_DIR */
	const char *xdg_config_home; /* XDG_CONFIG_HOME */
	const char *tokenizers;      /* PROMPTASM_TOKENIZERS */
	const char *workspace;       /* GITHUB_WORKSPACE (check's paths) */
	const char *const *environ;  /* all of it, as Claude Code runs with it */
} cli_env_places;
extern cli_env_places cli_env;
void cli_setup(void);

/* Prints a usage error, one line (`promptasm build: <message>; see
 * 'promptasm build --help'`), and returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* The usage error for getopt_long's '?' (main() turns getopt's own
 * messages off): an unknown or ambiguous option, one without its
 * argument or with one it does not take.  Returns EXIT_USAGE. */
struct option;
int cli_option_error(char **argv, const char *shortopts,
                     const struct option *longopts);

/* For count and tokenize, which read no config: loads the tokenizer
 * named by -t, else the one serving -m, else the default.  Prints the
 * error and returns NULL on failure, with *exit_code set. */
pa_tokenizer *cli_load_tokenizer(const char *name, const char *model,
                                 int *exit_code);

/* Writes the whole buffer to stdout; on failure prints an error and
 * returns EXIT_FAILURE_IO. */
int cli_write_stdout(const char *data, size_t len);


/* Writes data atomically to path (-o FILE), or to stdout when path is
 * NULL; on failure prints an error and returns EXIT_FAILURE_IO.  A path
 * that is one of the n inputs (NULL entries are skipped) is refused: the
 * same file by device and inode, so a link to an input counts too.  A
 * path that exists and is not a regular file is refused as well. */
int cli_write_output(const char *path, const char *data, size_t len,
                     const char *const *inputs, size_t n);
/* The check cli_write_output() makes first, for a command that would fail
 * otherwise before writing: EXIT_OK, or the error printed and
 * EXIT_FAILURE_IO. */
int cli_output_refused(const char *path, const char *const *inputs, size_t n);

/* Text tables (agents, check, explain) show a name or path from the
 * project through the one quoting rule (util.h), shortened to at most
 * CLI_CELL_MAX characters ending in "..." (JSON keeps it whole), so that
 * one long name cannot pad every row of a table. */
#define CLI_CELL_MAX 100

/* Limits of the CLI's own (SECURITY.md): a --memory-template file, and
 * the output tokenize holds before it writes (an input whose output is
 * smaller prints nothing when an error is found in it). */
#define CLI_TEMPLATE_MAX_BYTES (16L * 1024)
#define CLI_TOKENIZE_HOLD_BYTES (16L * 1024 * 1024)

/* The characters s takes in a table cell (NULL: ""). */
size_t cli_cell_width(const char *s);
/* Appends s as a table cell, padded with spaces to width characters. */
void cli_put_cell(pa_buf *out, const char *s, size_t width);

/* Appends " (did you mean 'x'?)" to err's message when a candidate is
 * near word (Pa_nearest()). */
void cli_suggest(pa_error *err, const char *word, const char *const *cands,
                 size_t n);
/* Puts text in err's message before its closing "; see 'promptasm x'"
 * (at its end when there is none), when it fits. */
void cli_suggest_tail(pa_error *err, const char *text);
/* The same, for an unknown tokenizer or agent name (err->status
 * PA_ERR_NOT_FOUND), from the tokenizers installed or the agents found;
 * for a tokenizer, with the list of those installed. */
void cli_suggest_tokenizer(pa_error *err, const char *name);
void cli_suggest_agent(pa_error *err, const char *name,
                       const pa_compose_options *opt);

/* The text of --text (count, tokenize: ttok's habit of a text on the
 * command line): valid UTF-8 into out as it is, else, with lossy, repaired;
 * EXIT_OK, or EXIT_USAGE having said where it is not UTF-8. */
int cli_text_arg(const char *text, int lossy, pa_buf *out);

/* The subcommands.  Each gets argv with argv[0] = its own name. */
int cmd_count(int argc, char **argv);
int cmd_tokenize(int argc, char **argv);
int cmd_tokenizers(int argc, char **argv);
int cmd_compile_tokenizer(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_agents(int argc, char **argv);
int cmd_trim(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_context(int argc, char **argv);
int cmd_completions(int argc, char **argv);

#endif
