/* cmd_explain.c - `promptasm explain`: where the tokens of an agent's
 * prompt go, what the load rules and the trimmer removed and why. */
#define _GNU_SOURCE
#include "cmd_budget.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"promptasm explain [-b N] [-t TOKENIZER | -m MODEL] [--format text|json] [--top N] AGENT";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Shows every section of AGENT's prompt with its tokens and share, what\n"
	       "the load rules cut and skipped, what the trimmer removes to fit the\n"
	       "budget (--budget, else the config file's) and why, and the heaviest\n"
	       "Markdown blocks with file:line.\n\n"
	       "  -t, --tokenizer NAME    tokenizer (default: the config's, else the\n"
	       "                          agent model's, else " PA_DEFAULT_TOKENIZER ")\n"
	       "  -m, --model MODEL       the tokenizer that serves MODEL\n"
	       CLI_BUDGET_HELP
	       "      --top N             how many heavy blocks to show (default 10)\n"
	       "  -f, --format FORMAT     text (default) or json\n"
	       "  -C, --project DIR       as if started in DIR\n"
	       "      --no-managed        leave out the managed policy file\n"
	       "      --no-user           leave out ~/.claude/CLAUDE.md and ~/.claude/rules\n"
	       "      --no-ancestors      read CLAUDE.md files from the repository root down\n"
	       "  -q, --quiet             no notes\n"
	       "  -h, --help              this help\n\n"
	       "Exit status: 0, or 1 when even the smallest form the trimming rules allow\n"
	       "is over the budget, 2 on usage or input errors.\n",
	       usage);
}

enum { OPT_NO_MANAGED = 0x2000, OPT_NO_USER, OPT_NO_ANCESTORS, OPT_TOP };

#define BAR_WIDTH 20

static const char *action_word(pa_trim_action a)
{
	switch (a) {
	case PA_TRIM_CUT: return "cut";
	case PA_TRIM_EMPTIED: return "emptied";
	case PA_TRIM_DROPPED: return "dropped";
	case PA_TRIM_KEPT: break;
	}
	return "kept";
}

static void put_num(pa_buf *out, size_t v)
{
	cli_put_thousands(out, v);
}

/* Right-aligns what was appended to out since `from` to width. */
static void pad_left(pa_buf *out, size_t from, size_t width)
{
	size_t n = out->len - from;

	if (n >= width)
		return;
	pa_buf_grow(out, width - n);
	memmove(out->ptr + from + (width - n), out->ptr + from, n);
	memset(out->ptr + from, ' ', width - n);
	out->len += width - n;
	out->ptr[out->len] = '\0';
}

static void text_out(pa_buf *out, const pa_agent *agent, const pa_tokenizer *tok,
                     const pa_trim_report *rep, int trimmed, pa_status st,
                     const pa_warnings *warn, const pa_heavy_block *hb, size_t nhb)
{
	size_t i, sum = 0, from;

	pa_buf_printf(out, "%s (%s): ", pa_agent_name(agent), pa_agent_path(agent));
	put_num(out, rep->tokens_before);
	pa_buf_printf(out, " tokens, %s%s\n", pa_tokenizer_name(tok),
	              rep->estimate ? " (an estimate for current Claude models)" : "");
	if (trimmed) {
		pa_buf_puts(out, "budget ");
		put_num(out, rep->budget);
		if (rep->effective != rep->budget) {
			pa_buf_puts(out, ", effective ");
			put_num(out, rep->effective);
			pa_buf_puts(out, " (");
			if (rep->reserve) {
				pa_buf_puts(out, "reserve ");
				put_num(out, rep->reserve);
			}
			if (rep->margin > 0)
				pa_buf_printf(out, "%smargin %g%%", rep->reserve ? ", " : "",
				              rep->margin * 100);
			pa_buf_puts(out, ")");
		}
		if (rep->tokens_before <= rep->effective && st == PA_OK &&
		    rep->tokens_after == rep->tokens_before)
			pa_buf_puts(out, ": fits, nothing trimmed\n");
		else if (st == PA_OK) {
			pa_buf_puts(out, ": trimmed to ");
			put_num(out, rep->tokens_after);
			pa_buf_puts(out, " tokens\n");
		} else {
			pa_buf_puts(out, ": does not fit, ");
			put_num(out, rep->missing);
			pa_buf_puts(out, " tokens too many even trimmed as far as the rules allow\n");
		}
	} else {
		pa_buf_puts(out, "no budget (give -b N or set one in " PA_CONFIG_FILE ")\n");
	}

	for (i = 0; i < rep->n_sections; i++)
		sum += rep->sections[i].tokens_before;
	pa_buf_printf(out, "\n%10s %6s  %-*s  %-8s %s\n", "TOKENS", "SHARE", BAR_WIDTH,
	              "", "KIND", "SECTION");
	for (i = 0; i < rep->n_sections; i++) {
		const pa_trim_section *s = &rep->sections[i];
		double share = sum ? 100.0 * (double)s->tokens_before / (double)sum : 0;
		size_t bar = sum ? (size_t)((double)BAR_WIDTH * (double)s->tokens_before / (double)sum + 0.5) : 0, k;

		from = out->len;
		put_num(out, s->tokens_before);
		pad_left(out, from, 10);
		pa_buf_printf(out, " %5.1f%%  ", share);
		for (k = 0; k < BAR_WIDTH; k++)
			pa_buf_putc(out, k < bar ? '#' : ' ');
		pa_buf_printf(out, "  %-8s %s", pa_section_kind_name(s->kind), s->path);
		if (s->depth)
			pa_buf_printf(out, " (import depth %d)", s->depth);
		pa_buf_putc(out, '\n');
		if (s->load_cut)
			pa_buf_puts(out, "                    load rule: cut to what Claude Code "
			                 "loads (memory: 200 lines, 25,000 bytes)\n");
		if (s->action != PA_TRIM_KEPT) {
			pa_buf_printf(out, "                    trimmer: %s, ", action_word(s->action));
			put_num(out, s->tokens_before);
			pa_buf_puts(out, " -> ");
			put_num(out, s->tokens_after);
			pa_buf_printf(out, " tokens, %zu of %zu block%s removed%s (%s, priority %ld)\n",
			              s->blocks_removed, s->blocks, s->blocks == 1 ? "" : "s",
			              s->cut_inside ? ", one cut inside" : "",
			              !strcmp(s->reason, "cap") ? "over its cap" : "over budget",
			              s->priority);
		}
	}
	from = out->len;
	if (rep->tokens_before >= sum) {
		put_num(out, rep->tokens_before - sum);
	} else {
		pa_buf_putc(out, '-');
		put_num(out, sum - rep->tokens_before);
	}
	pa_buf_puts(out, "");
	pad_left(out, from, 10);
	pa_buf_printf(out, " %6s  %-*s  headings and joins (the prompt counted whole)\n",
	              "", BAR_WIDTH, "");
	if (warn->n) {
		pa_buf_puts(out, "\nload rules:\n");
		for (i = 0; i < warn->n; i++)
			pa_buf_printf(out, "  %s\n", warn->items[i]);
	}
	if (nhb) {
		pa_buf_puts(out, "\nheaviest blocks (a heading with its text):\n");
		for (i = 0; i < nhb; i++) {
			from = out->len;
			put_num(out, hb[i].tokens);
			pad_left(out, from, 10);
			if (hb[i].line)
				pa_buf_printf(out, "  %s:%ld", hb[i].path, hb[i].line);
			else
				pa_buf_printf(out, "  %s", hb[i].path);
			pa_buf_printf(out, "  %s \"%s\"\n", hb[i].kind, hb[i].label);
		}
	}
}

static void json_str(pa_buf *out, const char *s)
{
	pa_json_put_string(out, s, strlen(s));
}

static void json_out(pa_buf *out, const pa_agent *agent, const pa_tokenizer *tok,
                     const pa_trim_report *rep, int trimmed, pa_status st,
                     const pa_warnings *warn, const pa_heavy_block *hb, size_t nhb)
{
	size_t i, sum = 0;

	pa_buf_puts(out, "{\n  \"version\": 1,\n  \"agent\": {\"name\": ");
	json_str(out, pa_agent_name(agent));
	pa_buf_puts(out, ", \"path\": ");
	json_str(out, pa_agent_path(agent));
	pa_buf_puts(out, "},\n  \"tokenizer\": ");
	json_str(out, pa_tokenizer_name(tok));
	pa_buf_printf(out, ",\n  \"exact\": %s,\n  \"tokens\": %zu,\n  \"budget\": ",
	              rep->estimate ? "false" : "true", rep->tokens_before);
	if (trimmed)
		pa_buf_printf(out, "{\"budget\": %zu, \"effective\": %zu, \"reserve\": %zu, "
		              "\"margin\": %.4g, \"tokens_after\": %zu, \"fits\": %s, "
		              "\"missing\": %zu}",
		              rep->budget, rep->effective, rep->reserve, rep->margin,
		              rep->tokens_after, st == PA_OK ? "true" : "false", rep->missing);
	else
		pa_buf_puts(out, "null");
	for (i = 0; i < rep->n_sections; i++)
		sum += rep->sections[i].tokens_before;
	pa_buf_puts(out, ",\n  \"sections\": [");
	for (i = 0; i < rep->n_sections; i++) {
		const pa_trim_section *s = &rep->sections[i];

		pa_buf_puts(out, i ? ",\n    {\"kind\": " : "\n    {\"kind\": ");
		json_str(out, pa_section_kind_name(s->kind));
		pa_buf_puts(out, ", \"path\": ");
		json_str(out, s->path);
		pa_buf_printf(out, ", \"depth\": %d, \"priority\": %ld, \"trimmable\": %s, "
		              "\"tokens\": %zu, \"share\": %.4f, \"load_cut\": %s, "
		              "\"blocks\": %zu, \"action\": \"%s\", \"reason\": ",
		              s->depth, s->priority, s->trimmable ? "true" : "false",
		              s->tokens_before,
		              sum ? (double)s->tokens_before / (double)sum : 0.0,
		              s->load_cut ? "true" : "false", s->blocks,
		              action_word(s->action));
		if (s->reason[0])
			json_str(out, s->reason);
		else
			pa_buf_puts(out, "null");
		pa_buf_printf(out, ", \"tokens_after\": %zu, \"blocks_removed\": %zu, "
		              "\"cut_inside\": %s, \"marker\": %s}",
		              s->tokens_after, s->blocks_removed,
		              s->cut_inside ? "true" : "false", s->marker ? "true" : "false");
	}
	pa_buf_puts(out, rep->n_sections ? "\n  ],\n  \"load_rules\": [" : "],\n  \"load_rules\": [");
	for (i = 0; i < warn->n; i++) {
		pa_buf_puts(out, i ? ",\n    " : "\n    ");
		json_str(out, warn->items[i]);
	}
	pa_buf_puts(out, warn->n ? "\n  ],\n  \"heaviest\": [" : "],\n  \"heaviest\": [");
	for (i = 0; i < nhb; i++) {
		pa_buf_puts(out, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
		json_str(out, hb[i].path);
		if (hb[i].line)
			pa_buf_printf(out, ", \"line\": %ld", hb[i].line);
		else
			pa_buf_puts(out, ", \"line\": null");
		pa_buf_puts(out, ", \"kind\": ");
		json_str(out, hb[i].kind);
		pa_buf_puts(out, ", \"label\": ");
		json_str(out, hb[i].label);
		pa_buf_printf(out, ", \"tokens\": %zu}", hb[i].tokens);
	}
	pa_buf_puts(out, nhb ? "\n  ]\n}\n" : "]\n}\n");
}

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tokenizer", required_argument, NULL, 't' },
		{ "model", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "project", required_argument, NULL, 'C' },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "no-managed", no_argument, NULL, OPT_NO_MANAGED },
		{ "no-user", no_argument, NULL, OPT_NO_USER },
		{ "no-ancestors", no_argument, NULL, OPT_NO_ANCESTORS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		CLI_BUDGET_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *tok_name = NULL, *model = NULL, *model_used;
	pa_compose_options opt;
	cli_budget b;
	pa_trim_spec spec;
	pa_trim_report *rep = NULL;
	pa_tokenizer *tok = NULL;
	pa_agent *agent = NULL;
	pa_prompt *prompt = NULL;
	pa_warnings warn = { NULL, 0 };
	pa_heavy_block *hb = NULL;
	pa_buf out = PA_BUF_INIT;
	pa_error err;
	pa_status st = PA_OK;
	size_t nhb = 0, top = 10;
	int c, json = 0, code = EXIT_OK, r, has_budget;

	memset(&opt, 0, sizeof(opt));
	memset(&b, 0, sizeof(b));
	while ((c = getopt_long(argc, argv, "t:m:f:C:b:qh", opts, NULL)) != -1) {
		switch (c) {
		case 't': tok_name = optarg; break;
		case 'm': model = optarg; break;
		case 'C': opt.cwd = optarg; break;
		case OPT_NO_MANAGED: opt.no_managed = 1; break;
		case OPT_NO_USER: opt.no_user = 1; break;
		case OPT_NO_ANCESTORS: opt.no_ancestors = 1; break;
		case 'q': cli_quiet = 1; break;
		case OPT_TOP:
			if (!cli_parse_count(optarg, &top)) {
				cli_budget_release(&b);
				return cli_usage_error(usage, "--top needs a number, not '%s'", optarg);
			}
			break;
		case 'f':
			if (!strcmp(optarg, "json"))
				json = 1;
			else if (strcmp(optarg, "text") != 0) {
				cli_budget_release(&b);
				return cli_usage_error(usage, "unknown format '%s' (text or json)", optarg);
			}
			break;
		case 'h': help(); cli_budget_release(&b); return EXIT_OK;
		default:
			r = cli_budget_option(&b, c, optarg, usage);
			if (r == 1)
				break;
			if (r == 0)
				cli_usage_error(usage, "see 'promptasm explain --help'");
			cli_budget_release(&b);
			return EXIT_USAGE;
		}
	}
	if (tok_name && model) {
		cli_budget_release(&b);
		return cli_usage_error(usage, "-t and -m exclude each other");
	}
	if (argc - optind != 1) {
		cli_budget_release(&b);
		return cli_usage_error(usage, "explain takes one AGENT");
	}
	opt.home = getenv("HOME");
	code = cli_budget_load_config(&b, opt.cwd, opt.home);
	if (code != EXIT_OK)
		goto done;
	pa_config_compose_options(b.cfg, &opt);
	if (pa_agent_find(argv[optind], &opt, &agent, &warn, &err) != PA_OK ||
	    pa_prompt_compose(agent, &opt, &prompt, &warn, &err) != PA_OK) {
		size_t i;
		for (i = 0; i < warn.n; i++)
			cli_warnf("%s", warn.items[i]);
		cli_print_error(&err);
		code = cli_exit_code(err.status);
		goto done;
	}
	tok = cli_budget_tokenizer(&b, tok_name, model, pa_agent_model(agent),
	                           &model_used, &code);
	if (!tok)
		goto done;
	if (pa_prompt_heavy_blocks(prompt, tok, &opt, top, &hb, &nhb, &err) != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(err.status);
		goto done;
	}
	has_budget = cli_budget_spec(&b, pa_agent_name(agent), model_used, &spec);
	st = pa_trim_prompt(prompt, tok, &spec, &rep, &err);
	if (st != PA_OK && st != PA_ERR_OVER_BUDGET) {
		cli_print_error(&err);
		code = cli_exit_code(st);
		goto done;
	}
	if (json)
		json_out(&out, agent, tok, rep, has_budget, st, &warn, hb, nhb);
	else
		text_out(&out, agent, tok, rep, has_budget, st, &warn, hb, nhb);
	code = cli_write_stdout(out.ptr, out.len);
	if (code == EXIT_OK && st == PA_ERR_OVER_BUDGET)
		code = EXIT_OVER_BUDGET;
	if (!json)
		cli_budget_note(tok, rep);
done:
	pa_heavy_blocks_free(hb, nhb);
	pa_trim_report_free(rep);
	pa_warnings_release(&warn);
	pa_prompt_free(prompt);
	pa_agent_free(agent);
	pa_tokenizer_free(tok);
	pa_buf_release(&out);
	cli_budget_release(&b);
	return code;
}
