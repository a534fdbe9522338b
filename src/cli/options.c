/* options.c - getopt_long's arrays from a command's option table. */
#include "options.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_getopt_init(cli_getopt *g, const cli_opt *opts)
{
	size_t i, s = 0;

	memset(g, 0, sizeof(*g));
	for (i = 0; opts[i].name; i++) {
		if (i == CLI_OPTS_MAX) {
			/* A mistake of ours, found by the first test of the
			 * command; exit status 3, as for any failure of ours. */
			cli_errorf("internal error: more than %d options", CLI_OPTS_MAX);
			exit(EXIT_FAILURE_IO);
		}
		g->longopts[i].name = opts[i].name;
		g->longopts[i].has_arg = opts[i].has_arg;
		g->longopts[i].flag = NULL;
		g->longopts[i].val = opts[i].val;
		if (!opts[i].letter)
			continue;
		g->shortopts[s++] = opts[i].letter;
		if (opts[i].has_arg == required_argument)
			g->shortopts[s++] = ':';
	}
}
