/* cmd_trim.c - `promptasm trim`: a text or Markdown file cut to a budget
 * by the trimming rules, as one section. */
#define _GNU_SOURCE
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"promptasm trim -b N [-t TOKENIZER | -m MODEL] [options] [FILE]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Cuts FILE (standard input when none or '-') to at most N tokens by the\n"
	       "trimming rules (promptasm(1), TRIMMING RULES), as one section, and\n"
	       "prints the result.  A text that fits is printed unchanged.\n\n"
	       "      --name NAME         the file name the marker gives (default: FILE)\n"
	       "  -o, --output FILE       write FILE (atomically) instead of stdout\n"
	       "      --lossy             replace invalid UTF-8 with U+FFFD instead of failing\n"
	       CLI_COMMON_HELP CLI_BUDGET_HELP,
	       usage);
}

enum { OPT_NAME = CLI_OPT_FIRST_OWN, OPT_LOSSY };

const cli_opt cli_trim_opts[] = {
	{ "output", required_argument, 'o', 'o', CLI_VALUE_FILE, NULL },
	{ "name", required_argument, OPT_NAME, 0, CLI_VALUE_NONE, NULL },
	{ "lossy", no_argument, OPT_LOSSY, 0, CLI_VALUE_NONE, NULL },
	CLI_COMMON_OPTS, CLI_BUDGET_OPTS,
	CLI_OPT_END
};

/* Parses argv; returns -1 to go on, else an exit code. */
static int parse(cli_pipeline *p, int argc, char **argv, const char **output,
                 const char **name, int *lossy)
{
	cli_getopt g;
	int c, r;

	cli_getopt_init(&g, cli_trim_opts);
	while ((c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		switch (c) {
		case 'h': help(); return EXIT_OK;
		case 'o': *output = optarg; continue;
		case OPT_NAME: *name = optarg; continue;
		case OPT_LOSSY: *lossy = 1; continue;
		}
		r = c == '?' ? 0 : cli_pipeline_option(p, c, optarg);
		if (r == 0)
			return cli_option_error(argv, g.shortopts, g.longopts);
		if (r < 0)
			return EXIT_USAGE;
	}
	if (argc - optind > 1)
		return cli_usage_error("more than one FILE given");
	return -1;
}

int cmd_trim(int argc, char **argv)
{
	const char *output = NULL, *name = NULL, *file = "-";
	cli_pipeline p;
	pa_trim_spec spec;
	pa_trim_report *rep = NULL;
	const pa_tokenizer *tok;
	const char *inputs[2];
	pa_buf text = PA_BUF_INIT, out = PA_BUF_INIT;
	pa_error err;
	pa_status st;
	int lossy = 0, code, estimate;

	cli_pipeline_init(&p);
	code = parse(&p, argc, argv, &output, &name, &lossy);
	if (code >= 0)
		goto done;
	if (optind < argc)
		file = argv[optind];
	if (!name)
		name = strcmp(file, "-") ? file : "<stdin>";
	code = cli_pipeline_start(&p);
	if (code != EXIT_OK)
		goto done;
	tok = cli_pipeline_tokenizer(&p, NULL, &estimate, &code);
	if (!tok)
		goto done;
	if (!pa_session_spec(p.session, NULL, estimate, &spec)) {
		code = cli_usage_error("no budget: give -b N (or 'budget:' in %s)",
		                       PA_CONFIG_FILE);
		goto done;
	}
	code = cli_read_text(file, lossy, &text);
	if (code != EXIT_OK)
		goto done;
	if (estimate) {
		/* The band's upper end holds the budget, as for an agent,
		 * unless a margin was asked for. */
		pa_trim_spec asked;
		double low, high;

		pa_trim_spec_init(&asked, PA_NO_BUDGET);
		asked.margin = -1;
		pa_config_trim_spec(p.cfg, &asked);
		if (pa_claude_band(pa_claude_code_model(p.model ? p.model
		                   : pa_config_model(p.cfg), NULL), text.ptr, text.len,
		                   NULL, &low, &high, &err) != PA_OK) {
			cli_print_error(&err);
			code = cli_exit_code(err.status);
			goto done;
		}
		if (!p.trim.has_margin && asked.margin < 0)
			spec.margin = 1 - 1 / high;
	}
	inputs[0] = strcmp(file, "-") ? file : NULL;
	inputs[1] = pa_config_file(p.cfg);
	st = pa_trim_text(text.ptr, text.len, name, tok, &spec, &out, &rep, &err);
	cli_pipeline_note(tok, rep);
	if (st == PA_ERR_OVER_BUDGET) {
		cli_errorf("%s is over budget even at its floor: %zu tokens, %zu more "
		           "than the budget of %zu allows",
		           name, rep->tokens_after, rep->missing, rep->effective);
		code = EXIT_OVER_BUDGET;
	} else if (st != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(st);
	} else if (rep->tokens_before > 0 && out.len == 0) {
		/* Empty output with exit 0 would read as "the text was empty".
		 * An -o that is an input is the first thing wrong, as always. */
		code = cli_output_refused(output, inputs, 2);
		if (code != EXIT_OK)
			goto done;
		cli_errorf("%s: a budget of %zu token%s cannot hold even the "
		           "marker that says what was cut; give a larger budget",
		           name, rep->effective, rep->effective == 1 ? "" : "s");
		code = EXIT_OVER_BUDGET;
	} else {
		code = cli_write_output(output, out.ptr, out.len, inputs, 2);
	}
done:
	pa_trim_report_free(rep);
	pa_buf_release(&text);
	pa_buf_release(&out);
	cli_pipeline_release(&p);
	return code;
}
