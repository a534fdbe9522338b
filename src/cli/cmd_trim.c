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
	       "  -b, --budget N          at most N tokens (overrides the config file)\n"
	       "      --no-marker         a plain cut, as ttok -t: the first N tokens\n"
	       "                          of the text, whole characters, no marker\n"
	       "                          (a tokenizer that normalizes: a start that\n"
	       "                          counts at most N, one character more not)\n"
	       "      --name NAME         the file name the marker gives (default: FILE)\n"
	       "  -o, --output FILE       write FILE (atomically) instead of stdout\n"
	       "      --lossy             replace invalid UTF-8 with U+FFFD instead of failing\n"
	       "  -t, --tokenizer NAME    count with tokenizer NAME (default: the config's,\n"
	       "                          else " PA_DEFAULT_TOKENIZER ")\n"
	       "  -m, --model MODEL       count with the tokenizer that serves MODEL\n"
	       "      --no-config         ignore .promptasm.yaml\n"
	       "  -q, --quiet             no warnings or notes\n"
	       "  -h, --help              this help\n"
	       "      --margin P          share kept free when counts are estimates\n"
	       "                          (15%% or 0.15; default: the band's upper end)\n"
	       "      --reserve N         tokens kept for the response\n"
	       "      --floor N           always keep N tokens of the text\n"
	       "      --cap N             at most N tokens of the text\n"
	       "      --keep head|tail    which end of the text to keep (default: head)\n",
	       usage);
}

enum { OPT_NAME = CLI_OPT_FIRST_OWN, OPT_LOSSY, OPT_NO_MARKER };

/* The budget options less those only an agent has (--trim-body: the
 * text is one section, no body; --priority: one section has no order). */
const cli_opt cli_trim_opts[] = {
	{ "output", required_argument, 'o', 'o', CLI_VALUE_FILE, NULL },
	{ "name", required_argument, OPT_NAME, 0, CLI_VALUE_NONE, NULL },
	{ "lossy", no_argument, OPT_LOSSY, 0, CLI_VALUE_NONE, NULL },
	{ "no-marker", no_argument, OPT_NO_MARKER, 0, CLI_VALUE_NONE, NULL },
	CLI_COMMON_OPTS, CLI_BUDGET_LIMIT_OPTS,
	{ "floor", required_argument, CLI_OPT_FLOOR, 0, CLI_VALUE_NONE, NULL },
	{ "cap", required_argument, CLI_OPT_CAP, 0, CLI_VALUE_NONE, NULL },
	{ "keep", required_argument, CLI_OPT_KEEP, 0, CLI_VALUE_WORDS, "head tail" },
	CLI_OPT_END
};

/* A start of text (a whole number of characters) that counts at most
 * budget tokens while one character more does not, by a binary search over
 * its length: lo always fits, hi never does (counts of starts need not
 * grow with their length, so not always the longest that fits).  For a tokenizer whose tokens do not spell the text's
 * bytes (claude's NFKC, qwen3's NFC), where the first tokens decoded are
 * the normalized text, not a start of the text the user gave. */
static int longest_start(const pa_tokenizer *tok, const pa_buf *text, size_t budget,
                         pa_buf *out)
{
	size_t lo = 0, hi = text->len, count;
	pa_error err;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		while (mid > lo && ((unsigned char)text->ptr[mid] & 0xC0) == 0x80)
			mid--;
		if (mid == lo) { /* the character after lo */
			mid = lo + 1;
			while (mid < hi && ((unsigned char)text->ptr[mid] & 0xC0) == 0x80)
				mid++;
			if (mid == hi)
				break;
		}
		if (pa_tokenizer_count(tok, text->ptr, mid, &count, &err) != PA_OK) {
			cli_print_error(&err);
			return cli_exit_code(err.status);
		}
		if (count <= budget)
			lo = mid;
		else
			hi = mid;
	}
	pa_buf_reset(out);
	pa_buf_put(out, text->ptr, lo);
	return EXIT_OK;
}

/* --no-marker: the first tokens of the text, as many as fit, ending at a
 * whole character (a prefix is counted again: the tokens of a cut text
 * need not be the first ones of the whole). */
static int plain_cut(const pa_tokenizer *tok, const pa_buf *text, size_t budget,
                     pa_buf *out)
{
	uint32_t *ids = NULL;
	size_t n = 0, k, count;
	pa_error err;

	if (pa_tokenizer_encode(tok, text->ptr, text->len, &ids, &n, &err) != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(err.status);
	}
	if (n <= budget) {
		pa_buf_put(out, text->ptr, text->len);
		pa_free(ids);
		return EXIT_OK;
	}
	for (k = budget;; k--) {
		size_t len;

		pa_buf_reset(out);
		if (pa_tokenizer_decode(tok, ids, k, out, &err) != PA_OK) {
			cli_print_error(&err);
			pa_free(ids);
			return cli_exit_code(err.status);
		}
		/* whole characters: drop a sequence the cut left incomplete */
		len = out->len;
		while (len && ((unsigned char)out->ptr[len - 1] & 0xC0) == 0x80)
			len--;
		if (len && (unsigned char)out->ptr[len - 1] >= 0xC0) {
			unsigned char lead = (unsigned char)out->ptr[len - 1];
			size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
			if (out->len - (len - 1) < need)
				out->len = len - 1;
		}
		if (out->len && (out->len > text->len ||
		                 memcmp(out->ptr, text->ptr, out->len))) {
			/* normalized: not a start of the text */
			pa_free(ids);
			return longest_start(tok, text, budget, out);
		}
		if (k == 0 || (pa_tokenizer_count(tok, out->ptr, out->len, &count, NULL)
		               == PA_OK && count <= budget))
			break;
	}
	pa_free(ids);
	return EXIT_OK;
}

/* Parses argv; returns -1 to go on, else an exit code. */
static int parse(cli_pipeline *p, int argc, char **argv, const char **output,
                 const char **name, int *lossy, int *no_marker)
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
		case OPT_NO_MARKER: *no_marker = 1; continue;
		}
		r = c == '?' ? 0 : cli_pipeline_option(p, c, optarg);
		if (r == 0)
			return cli_option_error(argv, g.shortopts, g.longopts);
		if (r < 0)
			return EXIT_USAGE;
	}
	if (argc - optind > 1)
		return cli_usage_error("more than one FILE given");
	/* A plain cut is the first N tokens and has no marker: what these
	 * ask for (the tail, a floor, a cap, the marker's name) it cannot
	 * do, so they are refused rather than dropped. */
	if (*no_marker && (p->n_rules || *name))
		return cli_usage_error("--no-marker cuts the first N tokens plainly: "
		                       "it takes no --floor, --cap, --keep or --name");
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
	int lossy = 0, code, estimate, no_marker = 0, rules_apply = 0;

	cli_pipeline_init(&p);
	code = parse(&p, argc, argv, &output, &name, &lossy, &no_marker);
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
	/* the config's sections: rules that apply to this text (one body
	 * section of that name) are rules as the flags are: a plain cut
	 * cannot honour them either, so it refuses them by name; those for
	 * instruction files never applied to it */
	for (size_t i = 0; no_marker && i < spec.n_rules; i++)
		if (pa_section_rule_matches(&spec.rules[i], PA_SECTION_BODY, name))
			rules_apply = 1;
	if (rules_apply) {
		pa_buf q = PA_BUF_INIT;

		Pa_quote_str(&q, inputs[1] ? inputs[1] : PA_CONFIG_FILE);
		code = cli_usage_error("--no-marker cuts the first N tokens plainly: "
		                       "it cannot hold the sections: rules of %s "
		                       "(--no-config leaves them out)", q.ptr);
		pa_buf_release(&q);
		goto done;
	}
	if (no_marker) {
		/* the effective budget of TRIMMING RULES 7, as with a marker */
		code = plain_cut(tok, &text, pa_trim_effective_budget_of(&spec, estimate),
		                 &out);
		if (code == EXIT_OK)
			code = cli_write_output(output, out.ptr, out.len, inputs, 2);
		goto done;
	}
	st = pa_trim_text(text.ptr, text.len, name, tok, &spec, &out, &rep, &err);
	cli_pipeline_note(tok, rep);
	if (st == PA_ERR_OVER_BUDGET) {
		pa_buf why = PA_BUF_INIT;

		cli_put_effective(&why, rep);
		cli_errorf("%s is over budget even at its floor: %zu tokens, %zu more "
		           "than the budget of %zu%s allows",
		           name, rep->tokens_after, rep->missing, rep->budget,
		           why.len ? why.ptr : "");
		pa_buf_release(&why);
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
		const pa_trim_section *s = rep->n_sections ? rep->sections : NULL;

		/* Emptied by --cap (its marker left out, as the trimming rules
		 * say), with room in the budget: naming the budget would send
		 * the user to raise what is not short. */
		if (s && s->cap != PA_UNSET && !strcmp(s->reason, "cap"))
			cli_errorf("%s: a cap of %ld token%s cannot hold even the "
			           "marker that says what was cut; give a larger cap",
			           name, s->cap, s->cap == 1 ? "" : "s");
		else {
			/* the budget as given, the effective one beside it, as
			 * the error of a floor over budget says them */
			pa_buf why = PA_BUF_INIT;

			cli_put_effective(&why, rep);
			cli_errorf("%s: a budget of %zu token%s%s cannot hold even the "
			           "marker that says what was cut; give a larger budget, or --no-marker "
			           "for a plain cut",
			           name, rep->budget, rep->budget == 1 ? "" : "s",
			           why.len ? why.ptr : "");
			pa_buf_release(&why);
		}
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
