/* options.c - getopt_long's arrays from a command's option table. */
#include "options.h"

#include <stdlib.h>
#include <string.h>

void cli_getopt_init(cli_getopt *g, const cli_opt *opts)
{
	size_t i, s = 0;

	memset(g, 0, sizeof(*g));
	for (i = 0; opts[i].name; i++) {
		if (i == CLI_OPTS_MAX)
			abort();
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
