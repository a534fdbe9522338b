/* cmd_explain.c - `promptasm explain`: where the tokens of an agent's
 * prompt go, what the load rules and the trimmer removed and why. */
#define _GNU_SOURCE
#include "format.h"
#include "html.h"
#include "util.h"
#include "clis_out.h"
#include "render.h"
#include "count_api.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"promptasm explain [-b N] [-t TOKENIZER | -m MODEL] [--format text|json|html] [--top N] [AGENT]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Shows every section of AGENT's prompt with its tokens and share, what\n"
	       "the load rules cut and skipped, what the trimmer removes to fit the\n"
	       "budget (--budget, else the config file's) and why, the whole context\n"
	       "Claude Code gives the agent (an estimate, from figures of Claude Code\n"
	       "%s), and the heaviest Markdown blocks with file:line.  Without\n"
	       "AGENT: what Claude Code's main session loads of the project.\n\n"
	       "  -f, --format FORMAT     text (default), json or html\n"
	       "                          (html: one page for a browser, every token visible)\n"
	       "      --top N             how many heavy blocks to show (default 10)\n"
	       "      --count-api         the prompt's exact count for current Claude\n"
	       "                          models from Anthropic's count_tokens, as check\n"
	       "                          asks it (key from ANTHROPIC_API_KEY; cached)\n"
	       CLI_OUTPUT_HELP CLI_COMMON_HELP CLI_HARNESS_HELP CLI_COMPOSE_HELP CLI_BUDGET_HELP "\n"
	       "Exit status: 0, or 1 when even the smallest form the trimming rules allow\n"
	       "is over the budget, 2 on usage or input errors.\n",
	       usage, pa_claude_code_version(), cli_clis_help());
}

enum { OPT_TOP = CLI_OPT_FIRST_OWN, OPT_COUNT_API };
/* The formats explain offers, in the order its help names them. */
static const cli_format formats[] = { CLI_FMT_TEXT, CLI_FMT_JSON, CLI_FMT_HTML };

#define BAR_WIDTH 20

static void put_num(pa_buf *out, size_t v)
{
	pa_buf_put_count(out, v);
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

/* The first lines: the agent, its count, the budget and the outcome. */
static void text_head(pa_buf *out, const cli_run *r)
{
	const pa_trim_report *rep = r->report;

	cli_put_cell(out, pa_agent_name(r->agent), 0);
	pa_buf_puts(out, " (");
	cli_put_cell(out, pa_agent_path(r->agent), 0);
	pa_buf_puts(out, "): ");
	put_num(out, rep->tokens_before);
	pa_buf_printf(out, " tokens, %s", pa_tokenizer_name(r->tok));
	if (rep->estimate) {
		pa_buf_puts(out, " (an estimate: ");
		cli_put_band(out, r, rep->tokens_before);
		pa_buf_putc(out, ')');
	}
	pa_buf_putc(out, '\n');
	if (!r->has_budget) {
		pa_buf_puts(out, "no budget (give -b N or set one in " PA_CONFIG_FILE ")\n");
		return;
	}
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
			pa_buf_printf(out, "%smargin %.3g%%", rep->reserve ? ", " : "",
			              rep->margin * 100);
		pa_buf_puts(out, ")");
	}
	if (rep->tokens_before <= rep->effective && r->trim_status == PA_OK &&
	    rep->tokens_after == rep->tokens_before) {
		pa_buf_puts(out, ": fits, nothing trimmed\n");
	} else if (r->trim_status == PA_OK) {
		pa_buf_puts(out, ": trimmed to ");
		put_num(out, rep->tokens_after);
		pa_buf_puts(out, " tokens\n");
	} else {
		pa_buf_puts(out, ": does not fit, ");
		put_num(out, rep->missing);
		pa_buf_puts(out, " tokens too many even trimmed as far as the rules allow\n");
	}
}

/* One row of the sections table, and what load rules and trimmer did. */
static void text_section(pa_buf *out, const pa_trim_section *s, size_t sum)
{
	double share = sum ? 100.0 * (double)s->tokens_before / (double)sum : 0;
	size_t bar = sum ? (size_t)((double)BAR_WIDTH * (double)s->tokens_before /
	                            (double)sum + 0.5) : 0, k, from = out->len;

	put_num(out, s->tokens_before);
	pad_left(out, from, 10);
	pa_buf_printf(out, " %5.1f%%  ", share);
	for (k = 0; k < BAR_WIDTH; k++)
		pa_buf_putc(out, k < bar ? '#' : ' ');
	pa_buf_printf(out, "  %-8s ", pa_section_kind_name(s->kind));
	cli_put_cell(out, s->path, 0);
	if (s->depth)
		pa_buf_printf(out, " (import depth %d)", s->depth);
	pa_buf_putc(out, '\n');
	if (s->load_cut) {
		pa_buf_printf(out, "                    load rule: cut to what "
		              "Claude Code loads (memory: %d lines, ",
		              PA_MEMORY_MAX_LINES);
		put_num(out, PA_MEMORY_MAX_CHARS);
		pa_buf_puts(out, " characters)\n");
	}
	if (s->action == PA_TRIM_KEPT)
		return;
	pa_buf_puts(out, "                    ");
	cli_trim_line(out, s, " -> ", put_num);
	pa_buf_putc(out, '\n');
}

/* Claude Code's own text: a line for the whole, one for each part; none
 * for the main session, whose whole request `context` estimates. */
static void text_claude_code(pa_buf *out, const pa_context_estimate *e)
{
	size_t i, j, from;

	if (!e)
		return;

	/* The model is the agent's frontmatter's or the settings', and the
	 * notes name it and other values of the project: quoted as every
	 * format quotes them, so that no line starts a workflow command. */
	pa_buf_printf(out, "\nthe whole context, estimated for Claude Code %s "
	              "(model ", e->version);
	Pa_quote_str(out, e->model);
	pa_buf_puts(out, "): about ");
	put_num(out, e->tokens);
	pa_buf_puts(out, " tokens, ");
	put_num(out, e->own_tokens);
	pa_buf_puts(out, " of them Claude Code's own text\n");
	for (i = 0; i < e->n_parts; i++) {
		const pa_context_part *part = &e->parts[i];

		if (!part->tokens)
			continue;
		from = out->len;
		put_num(out, part->tokens);
		pad_left(out, from, 10);
		pa_buf_printf(out, "  %-20s ", part->name);
		if (strcmp(part->name, "tools") || !e->n_tools) {
			pa_buf_printf(out, "%s\n", part->note);
			continue;
		}
		for (j = 0; j < e->n_tools; j++) {
			pa_buf_puts(out, j ? ", " : "");
			Pa_quote_str(out, e->tools[j].name);
			pa_buf_putc(out, ' ');
			put_num(out, e->tools[j].tokens);
		}
		pa_buf_putc(out, '\n');
	}
	for (i = 0; i < e->n_notes; i++) {
		pa_buf_printf(out, "%10s  note: ", "");
		Pa_quote_text(out, e->notes[i], strlen(e->notes[i]));
		pa_buf_putc(out, '\n');
	}
}

static size_t section_sum(const pa_trim_report *rep)
{
	size_t i, sum = 0;

	for (i = 0; i < rep->n_sections; i++)
		sum += rep->sections[i].tokens_before;
	return sum;
}

/* The CLAUDE.md files below the working directory that Claude Code loads
 * on demand and this prompt does not hold (--for-file adds those of a
 * file's directories): listed apart, never in the count. */
typedef struct explain_od {
	pa_on_demand_file *f;
	size_t n;
	int api;            /* --count-api answered: api_tokens is exact */
	size_t api_tokens;
} explain_od;

static int in_prompt(const cli_run *r, const char *path)
{
	size_t i, n = pa_prompt_section_count(r->prompt);

	for (i = 0; i < n; i++)
		if (pa_prompt_section_path(r->prompt, i) &&
		    !strcmp(pa_prompt_section_path(r->prompt, i), path))
			return 1;
	return 0;
}

static void on_demand_find(cli_pipeline *p, const cli_run *r, explain_od *od)
{
	pa_warnings warn = { NULL, 0 };
	pa_error err;
	size_t i, k = 0;

	od->f = NULL;
	od->n = 0;
	if (pa_on_demand_files(&p->opt, r->tok, &od->f, &od->n, &warn, &err) != PA_OK) {
		pa_warnings_release(&warn);
		return;
	}
	cli_pipeline_warn(p, &warn);
	pa_warnings_release(&warn);
	for (i = 0; i < od->n; i++) {
		if (in_prompt(r, od->f[i].path)) {
			free(od->f[i].path);
			free(od->f[i].trigger);
			continue;
		}
		od->f[k++] = od->f[i];
	}
	od->n = k;
}

static void on_demand_text(pa_buf *out, const explain_od *od)
{
	size_t i, w = 0, sum = 0, from;

	if (!od->n)
		return;
	for (i = 0; i < od->n; i++) {
		sum += od->f[i].tokens;
		if (cli_cell_width(od->f[i].trigger) > w)
			w = cli_cell_width(od->f[i].trigger);
	}
	pa_buf_printf(out, "\nloaded on demand: %zu file%s, ", od->n, od->n == 1 ? "" : "s");
	put_num(out, sum);
	pa_buf_puts(out, " tokens, not in this count (Claude Code loads each when "
	            "the agent reads a file in its directory or below; "
	            "--for-file FILE adds them):\n");
	for (i = 0; i < od->n; i++) {
		from = out->len;
		put_num(out, od->f[i].tokens);
		pad_left(out, from, 10);
		pa_buf_puts(out, "  ");
		cli_put_cell(out, od->f[i].trigger, w);
		pa_buf_puts(out, "  ");
		cli_put_cell(out, od->f[i].path, 0);
		pa_buf_putc(out, '\n');
	}
}

static void on_demand_json(Pa_jw *w, const explain_od *od)
{
	size_t i;

	Pa_jw_array(w, "on_demand", PA_JW_LINES);
	for (i = 0; i < od->n; i++) {
		Pa_jw_object(w, NULL, PA_JW_INLINE);
		Pa_jw_str(w, "path", od->f[i].path);
		Pa_jw_str(w, "trigger", od->f[i].trigger);
		Pa_jw_str(w, "kind", pa_section_kind_name(od->f[i].kind));
		Pa_jw_uint(w, "tokens", od->f[i].tokens);
		Pa_jw_end(w);
	}
	Pa_jw_end(w);
}

static void text_out(pa_buf *out, const cli_run *r, const explain_od *od)
{
	const pa_trim_report *rep = r->report;
	size_t i, sum = section_sum(rep), from;

	text_head(out, r);
	if (od->api) {
		pa_buf_puts(out, "exact count from Anthropic's count_tokens (");
		Pa_quote_str(out, r->cc_model);
		pa_buf_puts(out, "): ");
		put_num(out, od->api_tokens);
		pa_buf_puts(out, " tokens\n");
	}
	pa_buf_printf(out, "\n%10s %6s  %-*s  %-8s %s\n", "TOKENS", "SHARE", BAR_WIDTH,
	              "", "KIND", "SECTION");
	for (i = 0; i < rep->n_sections; i++)
		text_section(out, &rep->sections[i], sum);
	from = out->len;
	if (rep->tokens_before >= sum) {
		put_num(out, rep->tokens_before - sum);
	} else {
		pa_buf_putc(out, '-');
		put_num(out, sum - rep->tokens_before);
	}
	pad_left(out, from, 10);
	pa_buf_printf(out, " %6s  %-*s  headings and joins (the prompt counted whole)\n",
	              "", BAR_WIDTH, "");
	text_claude_code(out, r->context);
	on_demand_text(out, od);
	if (r->warn->n) {
		pa_buf_puts(out, "\nload rules:\n");
		for (i = 0; i < r->warn->n; i++) {
			const char *m = r->warn->items[i].message;

			pa_buf_puts(out, "  ");
			Pa_quote_text(out, m, strlen(m));
			pa_buf_putc(out, '\n');
		}
	}
	if (!r->nheavy)
		return;
	pa_buf_puts(out, "\nheaviest blocks (a heading with its text):\n");
	for (i = 0; i < r->nheavy; i++) {
		const pa_heavy_block *hb = &r->heavy[i];

		from = out->len;
		put_num(out, hb->tokens);
		pad_left(out, from, 10);
		pa_buf_puts(out, "  ");
		cli_put_cell(out, hb->path, 0);
		if (hb->line)
			pa_buf_printf(out, ":%ld", hb->line);
		pa_buf_printf(out, "  %s \"", hb->kind);
		Pa_quote_text(out, hb->label, strlen(hb->label));
		pa_buf_puts(out, "\"\n");
	}
}

static void json_section(Pa_jw *w, const pa_trim_section *s, size_t sum,
                         const char *parent)
{
	Pa_jw_object(w, NULL, PA_JW_INLINE);
	Pa_jw_str(w, "kind", pa_section_kind_name(s->kind));
	Pa_jw_str(w, "path", s->path);
	Pa_jw_int(w, "depth", s->depth);
	Pa_jw_str(w, "imported_by", parent);
	Pa_jw_uint(w, "tokens", s->tokens_before);
	Pa_jw_real(w, "share", 4, 1, sum ? (double)s->tokens_before / (double)sum : 0.0);
	Pa_jw_bool(w, "load_cut", s->load_cut);
	Pa_jw_int(w, "priority", s->priority);
	Pa_jw_bool(w, "trimmable", s->trimmable);
	Pa_jw_uint(w, "blocks", s->blocks);
	Pa_jw_str(w, "action", cli_trim_action_word(s->action));
	Pa_jw_str(w, "reason", s->reason[0] ? s->reason : NULL);
	Pa_jw_uint(w, "tokens_after", s->tokens_after);
	Pa_jw_uint(w, "tokens_kept", s->tokens_kept);
	Pa_jw_uint(w, "tokens_removed", s->tokens_removed);
	Pa_jw_uint(w, "marker_tokens", s->marker_tokens);
	Pa_jw_uint(w, "blocks_removed", s->blocks_removed);
	Pa_jw_bool(w, "cut_inside", s->cut_inside);
	Pa_jw_bool(w, "marker", s->marker);
	Pa_jw_end(w);
}

static void json_out(pa_buf *out, const cli_run *r, const explain_od *od)
{
	const pa_trim_report *rep = r->report;
	size_t i, sum = section_sum(rep);
	Pa_jw w;

	Pa_jw_report(&w, out);
	Pa_jw_object(&w, "agent", PA_JW_INLINE);
	Pa_jw_str(&w, "name", pa_agent_name(r->agent));
	Pa_jw_str(&w, "path", pa_agent_path(r->agent));
	Pa_jw_end(&w);
	Pa_jw_str(&w, "tokenizer", pa_tokenizer_name(r->tok));
	Pa_jw_bool(&w, "exact", od->api || !rep->estimate);
	Pa_jw_uint(&w, "tokens", od->api ? od->api_tokens : rep->tokens_before);
	if (od->api)
		Pa_jw_null(&w, "band");  /* exact: Anthropic's count */
	else
		cli_json_band(&w, r);
	cli_json_budget(&w, r);
	Pa_jw_array(&w, "sections", PA_JW_LINES);
	for (i = 0; i < rep->n_sections; i++)
		json_section(&w, &rep->sections[i], sum,
		             pa_prompt_section_parent(r->prompt, i));
	Pa_jw_end(&w);
	cli_json_warnings(&w, r->warn);
	cli_json_claude_code(&w, r->context);
	on_demand_json(&w, od);
	Pa_jw_array(&w, "heaviest", PA_JW_LINES);
	for (i = 0; i < r->nheavy; i++) {
		const pa_heavy_block *hb = &r->heavy[i];

		Pa_jw_object(&w, NULL, PA_JW_INLINE);
		Pa_jw_str(&w, "path", hb->path);
		if (hb->line)
			Pa_jw_int(&w, "line", hb->line);
		else
			Pa_jw_null(&w, "line");
		Pa_jw_str(&w, "kind", hb->kind);
		Pa_jw_str(&w, "label", hb->label);
		Pa_jw_uint(&w, "tokens", hb->tokens);
		Pa_jw_end(&w);
	}
	Pa_jw_finish(&w);
}

const cli_opt cli_explain_opts[] = {
	CLI_HARNESS_OPT,
	CLI_OPT_FORMAT("text json html"),
	{ "top", required_argument, OPT_TOP, 0, CLI_VALUE_NONE, NULL },
	{ "count-api", no_argument, OPT_COUNT_API, 0, CLI_VALUE_NONE, NULL },
	CLI_OUTPUT_OPT,
	CLI_COMMON_OPTS, CLI_COMPOSE_OPTS, CLI_BUDGET_OPTS,
	CLI_OPT_END
};

/* Parses argv; returns -1 to go on, else an exit code. */
static int parse(cli_pipeline *p, int argc, char **argv, cli_format *fmt, size_t *top,
                 int *count_api)
{
	cli_getopt g;
	int c, r;

	cli_getopt_init(&g, cli_explain_opts);
	while ((c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			help();
			return EXIT_OK;
		case OPT_COUNT_API:
			*count_api = 1;
			continue;
		case OPT_TOP:
			if (!cli_parse_count(optarg, top))
				return cli_count_error("top", "a number", optarg);
			continue;
		case 'f':
			if (!cli_format_parse(optarg, formats, sizeof(formats) /
			                      sizeof(formats[0]), fmt))
				return EXIT_USAGE;
			continue;
		}
		r = c == '?' ? 0 : cli_pipeline_option(p, c, optarg);
		if (r == 0)
			return cli_option_error(argv, g.shortopts, g.longopts);
		if (r < 0)
			return EXIT_USAGE;
	}
	return -1;
}

int cmd_explain(int argc, char **argv)
{
	cli_pipeline p;
	cli_run r;
	pa_buf out = PA_BUF_INIT;
	size_t top = 10;
	cli_format fmt = CLI_FMT_TEXT;
	int code;
	explain_od od = { NULL, 0, 0, 0 };
	int count_api = 0;
	pa_buf main_name = PA_BUF_INIT;
	pa_harness_id main_cli;

	memset(&r, 0, sizeof(r));
	cli_pipeline_init(&p);
	code = parse(&p, argc, argv, &fmt, &top, &count_api);
	if (code >= 0)
		goto done;
	code = cli_pipeline_start(&p);
	if (code != EXIT_OK)
		goto done;
	code = cli_clis_refused(&p.clis, optind < argc ? argv[optind] : NULL, count_api, fmt);
	if (code != EXIT_OK)
		goto done;
	if (argc - optind > 1) {
		code = cli_usage_error("more than one agent given");
		goto done;
	}
	/* An agent given: its prompt; none: the main session's part, where a
	 * CLI of the run has one; then the requests the table composes. */
	if (optind < argc) {
		code = cli_pipeline_run(&p, argv[optind], NULL, fmt == CLI_FMT_HTML ? HTML_RUN :
		                        CLI_RUN_TRIM | CLI_RUN_HEAVY | CLI_RUN_CONTEXT,
		                        top, &r);
	} else if (cli_clis_first(&p.clis, PA_HARNESS_SUPPORTS_MAIN_SESSION, &main_cli)) {
		pa_buf_printf(&main_name, "%s:.", pa_harness_name(main_cli));
		cli_clis_note_no_agent(&p);
		code = cli_pipeline_run_main(&p, main_name.ptr, fmt == CLI_FMT_HTML ? HTML_RUN :
		                             CLI_RUN_TRIM | CLI_RUN_HEAVY, top, &r);
	} else {
		code = cli_clis_report(CLI_CLIS_EXPLAIN, fmt, NULL, &p, p.output, &out);
		goto done;
	}
	if (code != EXIT_OK)
		goto done;
	on_demand_find(&p, &r, &od);
	/* --count-api: the prompt's exact count, asked as check asks it
	 * (each section, the same cache and key rules); else the estimate
	 * stands, after a warning */
	if (count_api && r.estimate && r.cc_model) {
		cli_api api;

		code = cli_api_init(&api);
		if (code == EXIT_OK)
			od.api = cli_api_count_prompt(&api, r.prompt, r.tok, r.cc_model,
			                              r.tokens, &od.api_tokens);
		cli_api_release(&api);
		if (code != EXIT_OK)
			goto done;
	}
	if (fmt == CLI_FMT_HTML)
		code = html_explain(&out, &r, od.f, od.n, od.api ? &od.api_tokens : NULL);
	else if (fmt == CLI_FMT_JSON)
		json_out(&out, &r, &od);
	else
		text_out(&out, &r, &od);
	if (code == EXIT_OK && cli_clis_others(&p))
		code = cli_clis_report(CLI_CLIS_EXPLAIN, fmt, NULL, &p, p.output,
		                       &out);
	else if (code == EXIT_OK)
		code = cli_pipeline_write(&p, out.ptr, out.len);
	if (code == EXIT_OK && r.trim_status == PA_ERR_OVER_BUDGET)
		code = EXIT_OVER_BUDGET;
	/* budget_scope: context: after the report, as for another CLI */
	if (code == EXIT_OK && cli_run_context_over(&p, &r))
		code = EXIT_OVER_BUDGET;
	if (fmt != CLI_FMT_JSON)
		cli_run_note(&r);
done:
	pa_on_demand_files_free(od.f, od.n);
	cli_run_release(&r);
	pa_buf_release(&out);
	pa_buf_release(&main_name);
	cli_pipeline_release(&p);
	return code;
}
