/* main.c - the promptasm command: dispatch to a subcommand. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* The commands, with the option tables that getopt and the shell
 * completions both read (options.h). */
const cli_command_def cli_commands[] = {
	{ "build", cmd_build, "print the system prompt an agent really receives",
	  cli_build_opts, CLI_VALUE_AGENT },
	{ "agents", cmd_agents, "list the agents found and which definition wins",
	  cli_agents_opts, CLI_VALUE_NONE },
	{ "context", cmd_context, "show what the main session's first request holds",
	  cli_context_opts, CLI_VALUE_NONE },
	{ "check", cmd_check, "fail when a prompt is over its budget (for CI)",
	  cli_check_opts, CLI_VALUE_AGENT },
	{ "explain", cmd_explain, "show where the tokens of a prompt go",
	  cli_explain_opts, CLI_VALUE_AGENT },
	{ "trim", cmd_trim, "cut a text or Markdown file to a token budget",
	  cli_trim_opts, CLI_VALUE_FILE },
	{ "count", cmd_count, "count the tokens of files, like wc",
	  cli_count_opts, CLI_VALUE_FILE },
	{ "tokenize", cmd_tokenize, "show the tokens of a text",
	  cli_tokenize_opts, CLI_VALUE_FILE },
	{ "tokenizers", cmd_tokenizers, "list the tokenizers and the models they serve",
	  cli_tokenizers_opts, CLI_VALUE_NONE },
	{ "compile-tokenizer", cmd_compile_tokenizer,
	  "build the mapped rank table of a tokenizer (run by make)",
	  NULL, CLI_VALUE_FILE },
	{ "completions", cmd_completions, NULL, cli_completions_opts,
	  CLI_VALUE_NONE },
};
const size_t cli_n_commands = sizeof(cli_commands) / sizeof(cli_commands[0]);

static void print_help(FILE *out)
{
	size_t i;

	fprintf(out, "usage: promptasm <command> [options] [args]\n"
	             "       promptasm --version | --help\n\ncommands:\n");
	for (i = 0; i < cli_n_commands; i++)
		if (cli_commands[i].summary)
			fprintf(out, "  %-18s %s\n", cli_commands[i].name,
			        cli_commands[i].summary);
	fprintf(out, "\n'promptasm <command> --help' shows a command's options; "
	             "man promptasm(1) has all of it.\n");
}

/* The exit code once stdout is flushed: a write that failed (a full disk,
 * a closed pipe) is exit 3 for every output, --help and --version too, as
 * a failed -o is.  It is so after an exit status 1 or 2 as well: check's
 * report of an agent over budget, lost without a word, would have failed
 * the job for a reason nobody can read.  A write that failed before (exit
 * status 3) has said so already. */
static int finish(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (code != EXIT_FAILURE_IO)
			cli_errorf("cannot write to standard output: %s", strerror(errno));
		return EXIT_FAILURE_IO;
	}
	return code;
}

int main(int argc, char **argv)
{
	size_t i;
	char name[64];

	/* A file-size limit (ulimit -f) makes write(2) fail with EFBIG,
	 * which is reported (and -o's temporary file removed), instead of
	 * a signal that ends the process mid-write. */
	signal(SIGXFSZ, SIG_IGN);
	Pa_stdio_init();
	cli_setup(); /* the environment, read once */
	if (argc < 2) {
		cli_errorf("no command given; see 'promptasm --help'");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		print_help(stdout);
		return finish(EXIT_OK);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("promptasm %s\n", PA_VERSION);
		return finish(EXIT_OK);
	}
	for (i = 0; i < cli_n_commands; i++) {
		if (strcmp(argv[1], cli_commands[i].name) != 0)
			continue;
		/* getopt names argv[0] in its messages: make it the command
		 * line a user typed ("promptasm build"). */
		snprintf(name, sizeof(name), "promptasm %s", cli_commands[i].name);
		argv[1] = name;
		cli_command = name;
		/* Usage errors are ours, one line each (cli_option_error). */
		opterr = 0;
		return finish(cli_commands[i].run(argc - 1, argv + 1));
	}
	{
		const char *names[sizeof(cli_commands) / sizeof(cli_commands[0])];
		const char *best;

		for (i = 0; i < cli_n_commands; i++)
			names[i] = cli_commands[i].summary ? cli_commands[i].name : NULL;
		best = Pa_nearest(argv[1], names, cli_n_commands);
		if (best)
			cli_errorf("'%s' is not a promptasm command (did you mean "
			           "'%s'?); see 'promptasm --help'", argv[1], best);
		else
			cli_errorf("'%s' is not a promptasm command; see "
			           "'promptasm --help'", argv[1]);
	}
	return EXIT_USAGE;
}
