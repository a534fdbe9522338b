/* cmd_trim.c - `promptasm trim`: a text or Markdown file cut to a budget
 * by the trimming rules, as one section. */
#define _GNU_SOURCE
#include "cmd_budget.h"

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
	       "  -t, --tokenizer NAME    tokenizer (default: the config's, else " PA_DEFAULT_TOKENIZER ")\n"
	       "  -m, --model MODEL       the tokenizer that serves MODEL\n"
	       CLI_BUDGET_HELP
	       "      --name NAME         the file name the marker gives (default: FILE)\n"
	       "  -o, --output FILE       write FILE (atomically) instead of stdout\n"
	       "      --lossy             replace invalid UTF-8 with U+FFFD instead of failing\n"
	       "  -q, --quiet             no notes on standard error\n"
	       "  -h, --help              this help\n",
	       usage);
}

enum { OPT_NAME = 0x2000, OPT_LOSSY };

int cmd_trim(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tokenizer", required_argument, NULL, 't' },
		{ "model", required_argument, NULL, 'm' },
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "lossy", no_argument, NULL, OPT_LOSSY },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_BUDGET_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *tok_name = NULL, *model = NULL, *output = NULL, *name = NULL;
	const char *file = "-", *model_used;
	cli_budget b;
	pa_trim_spec spec;
	pa_trim_report *rep = NULL;
	pa_tokenizer *tok = NULL;
	pa_buf text = PA_BUF_INIT, out = PA_BUF_INIT;
	pa_error err;
	pa_status st;
	int c, lossy = 0, code = EXIT_OK, r;

	memset(&b, 0, sizeof(b));
	while ((c = getopt_long(argc, argv, "t:m:o:b:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't': tok_name = optarg; break;
		case 'm': model = optarg; break;
		case 'o': output = optarg; break;
		case OPT_NAME: name = optarg; break;
		case OPT_LOSSY: lossy = 1; break;
		case 'q': cli_quiet = 1; break;
		case 'h': help(); cli_budget_release(&b); return EXIT_OK;
		default:
			r = cli_budget_option(&b, c, optarg, usage);
			if (r == 1)
				break;
			if (r == 0)
				cli_usage_error(usage, "see 'promptasm trim --help'");
			cli_budget_release(&b);
			return EXIT_USAGE;
		}
	}
	if (tok_name && model) {
		cli_budget_release(&b);
		return cli_usage_error(usage, "-t and -m exclude each other");
	}
	if (argc - optind > 1) {
		cli_budget_release(&b);
		return cli_usage_error(usage, "trim takes one FILE");
	}
	if (optind < argc)
		file = argv[optind];
	if (!name)
		name = strcmp(file, "-") ? file : "<stdin>";
	code = cli_budget_load_config(&b, NULL, getenv("HOME"));
	if (code != EXIT_OK)
		goto done;
	if (!cli_budget_spec(&b, NULL, NULL, &spec)) {
		code = cli_usage_error(usage, "no budget: give -b N (or 'budget:' in %s)",
		                       PA_CONFIG_FILE);
		goto done;
	}
	tok = cli_budget_tokenizer(&b, tok_name, model, NULL, &model_used, &code);
	if (!tok)
		goto done;
	spec.model = model_used;
	code = cli_read_text(file, lossy, &text);
	if (code != EXIT_OK)
		goto done;
	st = pa_trim_text(text.ptr, text.len, name, tok, &spec, &out, &rep, &err);
	cli_budget_note(tok, rep);
	if (st == PA_ERR_OVER_BUDGET) {
		cli_errorf("%s is over budget even at its floor: %zu tokens, %zu more "
		           "than the budget of %zu allows",
		           name, rep->tokens_after, rep->missing, rep->effective);
		code = EXIT_OVER_BUDGET;
		goto done;
	}
	if (st != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(st);
		goto done;
	}
	code = cli_write_output(output, out.ptr, out.len);
done:
	pa_trim_report_free(rep);
	pa_buf_release(&text);
	pa_buf_release(&out);
	pa_tokenizer_free(tok);
	cli_budget_release(&b);
	return code;
}
