/* cmd_context.c - `promptasm context`: the main session's first request,
 * part by part, as `/context` shows it (pa_main_session_estimate()). */
#define _POSIX_C_SOURCE 200809L
#include "format.h"
#include "html_page.h"
#include "clis_out.h"
#include "count_api.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"promptasm context [-f text|json|markdown|html] [-o FILE] [-b N] "
	"[-t TOKENIZER | -m MODEL] [--mcp-tools SERVER=FILE] [--top N] "
	"[--count-api] [-C DIR]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Estimates the first request Claude Code %s sends for this project's\n"
	       "main session, part by part as /context shows it: system prompt, tools,\n"
	       "MCP tools, the agents listing (each agent's line), the skills listing,\n"
	       "the instruction files (CLAUDE.md, rules, imports, auto memory) and the\n"
	       "environment; the model's window, the share used and the autocompact\n"
	       "reserve.  Nothing of the project is run unless --trust is given:\n"
	       "hooks, MCP servers and git status are named in warnings, and the\n"
	       "count is a lower bound; --mcp-tools gives a server's tools/list.\n\n"
	       "  -f, --format FORMAT     text (default), json, markdown or html\n"
	       "      --mcp-tools SERVER=FILE  the tools/list output of MCP server\n"
	       "                          SERVER (JSON; repeat for each server)\n"
	       "      --top N             agents and files in the heaviest lists (default 10)\n"
	       "      --count-api         count the project's text exactly with\n"
	       "                          Anthropic's count_tokens (key from\n"
	       "                          ANTHROPIC_API_KEY; answers cached); Claude\n"
	       "                          Code's own text keeps its measured figures\n"
	       "  -b, --budget N          exit status 1 when the first request passes N\n"
	       "                          tokens (default: the config's budget), less\n"
	       "                          the margin of estimates, as check holds its\n"
	       "                          claude-code:. row: its project's part, or\n"
	       "                          the whole with budget_scope: context\n"
	       CLI_OUTPUT_HELP CLI_COMMON_HELP CLI_HARNESS_HELP CLI_COMPOSE_HELP "\n"
	       "Exit status: 0, 1 over the budget, 2 on usage or input errors, 3 on I/O\n"
	       "errors.\n",
	       usage, pa_main_session_version(), cli_clis_help());
}

enum { OPT_MCP_TOOLS = CLI_OPT_FIRST_OWN, OPT_TOP, OPT_COUNT_API };
/* The formats context offers, in the order its help names them. */
static const cli_format formats[] = {
	CLI_FMT_TEXT, CLI_FMT_JSON, CLI_FMT_MARKDOWN, CLI_FMT_HTML
};

/* How the total was counted: estimate, exact, or (--count-api) the
 * project's text exact and Claude Code's own text from its figures. */
enum { COUNT_ESTIMATE, COUNT_EXACT, COUNT_PROJECT_EXACT };

static const char *count_words(int exact)
{
	return exact == COUNT_EXACT ? ""
	       : exact == COUNT_PROJECT_EXACT
	       ? " (the project's text counted by Anthropic's count_tokens, Claude "
	         "Code's own text from its figures: an estimate)"
	       : " (an estimate for current Claude models)";
}

/* --count-api: the main session's counter (pa_main_options.count). */
typedef struct context_api {
	cli_api api;
	int missed;  /* a text was not answered: tok counted it */
} context_api;

static int api_count(void *ctx, const char *model, const char *text, size_t len,
                     size_t *tokens)
{
	context_api *c = ctx;

	if (cli_api_count(&c->api, model, text, len, tokens))
		return 1;
	c->missed = 1;
	return 0;
}

#define GRID_COLS 20
#define GRID_ROWS 5

/* A name or path of the project in a table: quoted by the one rule
 * (util.h), shortened as a cell; in Markdown, by the one Markdown
 * escaper (render.h), so that a row stays one row and nothing becomes a
 * link or a mention. */
static void put_shown(pa_buf *out, const char *s, int markdown)
{
	if (markdown) {
		cli_md_value(out, s);
		return;
	}
	Pa_quote_cell(out, s, CLI_CELL_MAX);
}

static double share(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

/* The grid's symbol of each part, and of free space and the reserve. */
static const char part_symbol[PA_MAIN_PARTS] = { 'S', 'T', 'M', 'A', 'K', 'F', 'E' };

/* The window as GRID_ROWS x GRID_COLS cells, each a share of it.  Each
 * part has its share of the cells, rounded, and, as Claude Code's
 * /context draws it, every part with any tokens at least one: a part of
 * 5,351 tokens is never left out while one of 5,341 has a cell.  When
 * the cells so rounded up would not fit, the largest parts give theirs
 * back.  The reserve takes its cells at the end; the rest is free ('.'). */
static void grid_cells(const pa_main_session *s, char *cells)
{
	size_t n = GRID_ROWS * GRID_COLS, at = 0, i, k, reserve = 0, used = 0;
	size_t count[PA_MAIN_PARTS], nonempty = 0;
	double per = s->window ? (double)s->window / (double)n : 0;

	memset(cells, '.', n);
	if (!per)
		return;
	if (s->reserve)
		reserve = (size_t)((double)s->reserve / per + 0.5);
	if (!reserve && s->reserve)
		reserve = 1;
	for (i = 0; i < PA_MAIN_PARTS; i++) {
		count[i] = (size_t)((double)s->parts[i].tokens / per + 0.5);
		if (s->parts[i].tokens && !count[i])
			count[i] = 1;
		used += count[i];
		nonempty += s->parts[i].tokens != 0;
	}
	if (reserve > n - nonempty)
		reserve = n - nonempty;
	while (used > n - reserve) {
		size_t big = 0;

		for (i = 1; i < PA_MAIN_PARTS; i++)
			if (count[i] > count[big])
				big = i;
		if (count[big] <= 1)
			break;
		count[big]--;
		used--;
	}
	for (i = 0; i < PA_MAIN_PARTS; i++)
		for (k = 0; k < count[i] && at < n; k++)
			cells[at++] = part_symbol[i];
	for (k = 0; k < reserve && n - k - 1 >= at; k++)
		cells[n - k - 1] = 'R';
}

/* The items of kind, heaviest first, at most top: borrowed pointers. */
static size_t heaviest(const pa_main_session *s, pa_main_part_kind kind,
                       size_t top, const pa_main_item **out)
{
	const pa_main_part *p = &s->parts[kind];
	size_t n = 0, i, j;

	for (i = 0; i < p->n_items; i++) {
		const pa_main_item *it = &p->items[i];
		if (it->builtin)
			continue;
		for (j = n; j > 0 && out[j - 1]->tokens < it->tokens; j--)
			if (j < top)
				out[j] = out[j - 1];
		if (j < top) {
			out[j] = it;
			if (n < top)
				n++;
		}
	}
	return n;
}

static void text_out(pa_buf *out, const pa_main_session *s, const char *tokname,
                     int exact, size_t top)
{
	char cells[GRID_ROWS * GRID_COLS];
	const pa_main_item **h = Pa_xcalloc(top ? top : 1, sizeof(*h));
	size_t i, r, n;
	static const pa_main_part_kind lists[] = { PA_MAIN_AGENTS, PA_MAIN_MEMORY,
	                                             PA_MAIN_SKILLS, PA_MAIN_MCP };

	pa_buf_puts(out, "main session: ");
	pa_buf_put_count(out, s->tokens);
	pa_buf_printf(out, " tokens, %s%s, ", tokname, count_words(exact));
	put_shown(out, s->model, 0);
	pa_buf_printf(out, ", Claude Code %s\n", s->version);
	if (s->window) {
		pa_buf_puts(out, "window ");
		pa_buf_put_count(out, s->window);
		pa_buf_printf(out, ": %.1f%% used", share(s->tokens, s->window));
		if (s->reserve) {
			pa_buf_puts(out, ", autocompact reserve ");
			pa_buf_put_count(out, s->reserve);
		}
		pa_buf_puts(out, ", free ");
		pa_buf_put_count(out, s->window > s->tokens + s->reserve
		                      ? s->window - s->tokens - s->reserve : 0);
		pa_buf_putc(out, '\n');
	}
	pa_buf_puts(out, "\nPART            TOKENS   SHARE  ITEMS\n");
	for (i = 0; i < PA_MAIN_PARTS; i++) {
		size_t from;
		pa_buf_printf(out, "%c %-11s", part_symbol[i], s->parts[i].kind);
		from = out->len;
		pa_buf_put_count(out, s->parts[i].tokens);
		n = out->len - from;
		if (n < 9) {
			char tmp[32];
			memcpy(tmp, out->ptr + from, n);
			out->len = from;
			pa_buf_printf(out, "%*s", (int)(9 - n), "");
			pa_buf_put(out, tmp, n);
		}
		pa_buf_printf(out, "  %5.1f%%  %zu\n", share(s->parts[i].tokens, s->tokens),
		              s->parts[i].n_items);
	}
	if (s->window) {
		grid_cells(s, cells);
		pa_buf_puts(out, "\n");
		for (r = 0; r < GRID_ROWS; r++) {
			pa_buf_puts(out, "  ");
			for (i = 0; i < GRID_COLS; i++) {
				pa_buf_putc(out, cells[r * GRID_COLS + i]);
				pa_buf_putc(out, i + 1 < GRID_COLS ? ' ' : '\n');
			}
		}
		pa_buf_puts(out, "  (each cell ");
		pa_buf_put_count(out, s->window / (GRID_ROWS * GRID_COLS));
		pa_buf_puts(out, " tokens; . free, R reserve)\n");
	}
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		size_t k;
		n = heaviest(s, lists[i], top, h);
		if (!n)
			continue;
		size_t w = 0;
		pa_buf_printf(out, "\nheaviest %s:\n", s->parts[lists[i]].kind);
		/* the names in one column, the paths in the next */
		for (k = 0; k < n; k++)
			if (cli_cell_width(h[k]->name) > w)
				w = cli_cell_width(h[k]->name);
		for (k = 0; k < n; k++) {
			pa_buf num = PA_BUF_INIT;
			pa_buf_put_count(&num, h[k]->tokens);
			pa_buf_printf(out, "%8s  ", num.ptr);
			pa_buf_release(&num);
			if (h[k]->path && strcmp(h[k]->path, h[k]->name)) {
				cli_put_cell(out, h[k]->name, w);
				pa_buf_puts(out, "  ");
				put_shown(out, h[k]->path, 0);
			} else {
				put_shown(out, h[k]->name, 0);
			}
			pa_buf_putc(out, '\n');
		}
	}
	free(h);
}

/* The files loaded on demand: in every format, apart from the total. */
typedef struct on_demand {
	pa_on_demand_file *f;
	size_t n;
	size_t tokens;  /* of them all */
} on_demand;

static void on_demand_text(pa_buf *out, const on_demand *od, int markdown)
{
	size_t i, w = 9;

	if (!od->n)
		return;
	if (markdown) {
		pa_buf_puts(out, "\n### Loaded on demand\n\nNot in the total: Claude "
		            "Code loads each file when it reads a file in its "
		            "directory or below.\n\n| Directory | File | Tokens |\n"
		            "|------|------|-------:|\n");
		for (i = 0; i < od->n; i++) {
			pa_buf_puts(out, "| ");
			put_shown(out, *od->f[i].trigger ? od->f[i].trigger : "./", 1);
			pa_buf_puts(out, " | ");
			put_shown(out, od->f[i].path, 1);
			pa_buf_puts(out, " | ");
			pa_buf_put_count(out, od->f[i].tokens);
			pa_buf_puts(out, " |\n");
		}
		return;
	}
	pa_buf_printf(out, "\nloaded on demand: %zu file%s, ", od->n, od->n == 1 ? "" : "s");
	pa_buf_put_count(out, od->tokens);
	pa_buf_puts(out, " tokens, not in the total (Claude Code loads each when "
	            "it reads a file in its directory or below):\n");
	for (i = 0; i < od->n; i++)
		if (cli_cell_width(od->f[i].trigger) > w)
			w = cli_cell_width(od->f[i].trigger);
	for (i = 0; i < od->n; i++) {
		pa_buf num = PA_BUF_INIT;
		pa_buf_put_count(&num, od->f[i].tokens);
		pa_buf_printf(out, "%8s  ", num.ptr);
		pa_buf_release(&num);
		cli_put_cell(out, od->f[i].trigger, w);
		pa_buf_puts(out, "  ");
		put_shown(out, od->f[i].path, 0);
		pa_buf_putc(out, '\n');
	}
}

static void json_out(pa_buf *out, pa_harness_id cli, const pa_main_session *s,
                     const char *tokname,
                     int exact, const pa_warnings *warn, const on_demand *od)
{
	size_t i, j;
	Pa_jw w;

	Pa_jw_report(&w, out);
	Pa_jw_str(&w, "cli", pa_harness_name(cli));
	Pa_jw_str(&w, "cli_version", s->version);
	Pa_jw_str(&w, "claude_code", s->version);
	Pa_jw_str(&w, "model", s->model);
	Pa_jw_bool(&w, "model_measured", s->model_measured);
	Pa_jw_str(&w, "tokenizer", tokname);
	Pa_jw_bool(&w, "exact", exact == COUNT_EXACT);
	Pa_jw_bool(&w, "project_exact", exact != COUNT_ESTIMATE);
	Pa_jw_uint(&w, "tokens", s->tokens);
	Pa_jw_uint(&w, "window", s->window);
	Pa_jw_uint(&w, "reserve", s->reserve);
	Pa_jw_array(&w, "parts", PA_JW_LINES);
	for (i = 0; i < PA_MAIN_PARTS; i++) {
		const pa_main_part *p = &s->parts[i];

		Pa_jw_object(&w, NULL, PA_JW_INLINE);
		Pa_jw_str(&w, "kind", p->kind);
		Pa_jw_uint(&w, "tokens", p->tokens);
		Pa_jw_array(&w, "items", PA_JW_LINES);
		for (j = 0; j < p->n_items; j++) {
			Pa_jw_object(&w, NULL, PA_JW_INLINE);
			Pa_jw_str(&w, "name", p->items[j].name);
			Pa_jw_str(&w, "path", p->items[j].path);
			Pa_jw_uint(&w, "tokens", p->items[j].tokens);
			Pa_jw_bool(&w, "builtin", p->items[j].builtin);
			Pa_jw_end(&w);
		}
		Pa_jw_end(&w);
		Pa_jw_end(&w);
	}
	Pa_jw_end(&w);
	/* not in tokens: loaded when a file below them is read */
	Pa_jw_array(&w, "on_demand", PA_JW_LINES);
	for (i = 0; i < od->n; i++) {
		Pa_jw_object(&w, NULL, PA_JW_INLINE);
		Pa_jw_str(&w, "path", od->f[i].path);
		Pa_jw_str(&w, "trigger", od->f[i].trigger);
		Pa_jw_str(&w, "kind", pa_section_kind_name(od->f[i].kind));
		Pa_jw_uint(&w, "tokens", od->f[i].tokens);
		Pa_jw_end(&w);
	}
	Pa_jw_end(&w);
	Pa_jw_uint(&w, "on_demand_tokens", od->tokens);
	Pa_jw_array(&w, "notes", PA_JW_INLINE);
	for (i = 0; i < s->n_notes; i++)
		Pa_jw_str(&w, NULL, s->notes[i]);
	Pa_jw_end(&w);
	Pa_jw_bool(&w, "lower_bound", s->lower_bound);
	cli_json_warnings(&w, warn);
	Pa_jw_finish(&w);
}

static void markdown_out(pa_buf *out, const pa_main_session *s, const char *tokname,
                         int exact, const pa_warnings *warn, size_t top)
{
	const pa_main_item **h = Pa_xcalloc(top ? top : 1, sizeof(*h));
	size_t i, k, n;

	pa_buf_printf(out, "## Main session: ");
	pa_buf_put_count(out, s->tokens);
	pa_buf_puts(out, " tokens\n\n**Model:** ");
	put_shown(out, s->model, 1);
	pa_buf_printf(out, " · **Tokenizer:** %s%s · **Claude Code:** %s", tokname,
	              count_words(exact), s->version);
	if (s->window) {
		pa_buf_puts(out, " · **Window:** ");
		pa_buf_put_count(out, s->window);
		pa_buf_printf(out, " (%.1f%% used", share(s->tokens, s->window));
		if (s->reserve) {
			pa_buf_puts(out, ", autocompact reserve ");
			pa_buf_put_count(out, s->reserve);
		}
		pa_buf_puts(out, ")");
	}
	pa_buf_puts(out, "\n\n| Part | Tokens | Share |\n|------|-------:|------:|\n");
	for (i = 0; i < PA_MAIN_PARTS; i++) {
		pa_buf_printf(out, "| %s | ", s->parts[i].kind);
		pa_buf_put_count(out, s->parts[i].tokens);
		pa_buf_printf(out, " | %.1f%% |\n", share(s->parts[i].tokens, s->tokens));
	}
	for (i = PA_MAIN_AGENTS; i <= PA_MAIN_MEMORY; i++) {
		n = heaviest(s, (pa_main_part_kind)i, top, h);
		if (!n)
			continue;
		pa_buf_printf(out, "\n### Heaviest %s\n\n| Name | Path | Tokens |\n"
		              "|------|------|-------:|\n", s->parts[i].kind);
		for (k = 0; k < n; k++) {
			pa_buf_puts(out, "| ");
			put_shown(out, h[k]->name, 1);
			pa_buf_puts(out, " | ");
			put_shown(out, h[k]->path, 1);
			pa_buf_puts(out, " | ");
			pa_buf_put_count(out, h[k]->tokens);
			pa_buf_puts(out, " |\n");
		}
	}
	/* a note names the project's values (the settings' model): as
	 * the warnings below, through the quoting rule */
	for (i = 0; i < s->n_notes; i++) {
		pa_buf_puts(out, i ? "> " : "\n> ");
		cli_md_text(out, s->notes[i]);
		pa_buf_putc(out, '\n');
	}
	for (i = 0; warn && i < warn->n; i++) {
		pa_buf_puts(out, i ? "- " : "\n### Warnings\n\n- ");
		cli_md_text(out, warn->items[i].message);
		pa_buf_putc(out, '\n');
	}
	free(h);
}

static const char *const part_class[PA_MAIN_PARTS] = {
	"k-cc", "k-cc1", "k-import", "k-body", "k-skill", "k-memory", "k-rule",
};

/* The grid's legend for the parts smaller than a cell, which grid_cells()
 * draws as one cell each, as /context does: which, and how many tokens
 * their cells stand for, so that a reader does not take a cell for
 * 10,000 tokens of each. */
static void html_rounded(pa_buf *out, const pa_main_session *s)
{
	size_t per = s->window / (GRID_ROWS * GRID_COLS), i, n = 0, sum = 0;

	for (i = 0; i < PA_MAIN_PARTS; i++)
		if (s->parts[i].tokens && s->parts[i].tokens < per)
			n++;
	if (!n)
		return;
	pa_buf_puts(out, " <span id=\"rounded\" data-kinds=\"");
	for (i = 0, n = 0; i < PA_MAIN_PARTS; i++)
		if (s->parts[i].tokens && s->parts[i].tokens < per)
			pa_buf_printf(out, "%s%s", n++ ? " " : "", s->parts[i].kind);
	pa_buf_puts(out, "\">A part of fewer tokens than a cell still takes one, as "
	            "/context draws it: ");
	for (i = 0, n = 0; i < PA_MAIN_PARTS; i++)
		if (s->parts[i].tokens && s->parts[i].tokens < per) {
			pa_buf_puts(out, n++ ? ", " : "");
			html_str(out, s->parts[i].kind);
			pa_buf_puts(out, " (");
			html_count(out, s->parts[i].tokens);
			pa_buf_puts(out, ")");
			sum += s->parts[i].tokens;
		}
	pa_buf_printf(out, ", so %zu cell%s stand%s for ", n, n == 1 ? "" : "s",
	              n == 1 ? "s" : "");
	html_count(out, sum);
	pa_buf_puts(out, " tokens.</span>");
}

static void html_out(pa_buf *out, const pa_main_session *s, const char *tokname,
                     int exact, const pa_warnings *warn, const on_demand *od,
                     size_t top)
{
	char cells[GRID_ROWS * GRID_COLS];
	const pa_main_item **h = Pa_xcalloc(top ? top : 1, sizeof(*h));
	size_t i, k, n;

	html_page_begin(out, "promptasm context: the main session");
	pa_buf_puts(out, "<header><h1>Main session: <span id=\"total\">");
	html_count(out, s->tokens);
	pa_buf_puts(out, "</span> tokens</h1><p>");
	html_str(out, s->model);
	pa_buf_puts(out, " &middot; ");
	html_str(out, tokname);
	/* as the text says it: the total is an estimate, not a count */
	if (exact != COUNT_EXACT) {
		pa_buf_puts(out, " <span id=\"estimate\" class=\"estimate\">");
		html_str(out, count_words(exact) + 1);
		pa_buf_puts(out, "</span>");
	}
	pa_buf_puts(out, " &middot; Claude Code ");
	html_str(out, s->version);
	if (s->window) {
		pa_buf_puts(out, " &middot; window ");
		html_count(out, s->window);
		pa_buf_printf(out, ", %.1f%% used", share(s->tokens, s->window));
		if (s->reserve) {
			pa_buf_puts(out, ", autocompact reserve ");
			html_count(out, s->reserve);
		}
	}
	pa_buf_puts(out, "</p></header>\n<main>\n");
	/* What the text prints on standard error, first: a hook not run or
	 * an MCP server not started makes the total a lower bound. */
	if (warn && warn->n) {
		pa_buf_puts(out, "<section id=\"warnings\"><h2>Warnings</h2><ul>\n");
		for (i = 0; i < warn->n; i++) {
			pa_buf_puts(out, "<li class=\"warning\">");
			html_str(out, warn->items[i].message);
			pa_buf_puts(out, "</li>\n");
		}
		pa_buf_puts(out, "</ul></section>\n");
	}
	if (s->window) {
		grid_cells(s, cells);
		pa_buf_puts(out, "<section><h2>Window</h2><div class=\"grid\" id=\"grid\">");
		for (k = 0; k < GRID_ROWS * GRID_COLS; k++) {
			const char *cls = cells[k] == 'R' ? "k-reserve" : "k-room";
			for (i = 0; i < PA_MAIN_PARTS; i++)
				if (cells[k] == part_symbol[i])
					cls = part_class[i];
			pa_buf_printf(out, "<span class=\"cell %s\" title=\"%c\"></span>", cls, cells[k]);
		}
		pa_buf_puts(out, "</div><p class=\"caption\">Each cell ");
		html_count(out, s->window / (GRID_ROWS * GRID_COLS));
		pa_buf_puts(out, " tokens; <span class=\"sw k-room\"></span>free, "
		            "<span class=\"sw k-reserve\"></span>autocompact reserve.");
		html_rounded(out, s);
		pa_buf_puts(out, "</p></section>\n");
	}
	pa_buf_puts(out, "<section><h2>Parts</h2><table id=\"parts\"><thead><tr><th>Part</th>"
	            "<th class=\"num\">Tokens</th><th class=\"num\">Share</th></tr></thead><tbody>\n");
	for (i = 0; i < PA_MAIN_PARTS; i++) {
		pa_buf_printf(out, "<tr class=\"%s\" data-kind=\"%s\" data-tokens=\"%zu\"><td>",
		              part_class[i], s->parts[i].kind, s->parts[i].tokens);
		pa_buf_printf(out, "<span class=\"sw %s\"></span>", part_class[i]);
		html_str(out, s->parts[i].kind);
		pa_buf_puts(out, "</td><td class=\"num\">");
		html_count(out, s->parts[i].tokens);
		pa_buf_printf(out, "</td><td class=\"num\">%.1f%%</td></tr>\n",
		              share(s->parts[i].tokens, s->tokens));
	}
	pa_buf_puts(out, "</tbody></table></section>\n");
	for (i = PA_MAIN_AGENTS; i <= PA_MAIN_MEMORY; i++) {
		n = heaviest(s, (pa_main_part_kind)i, top, h);
		pa_buf_printf(out, "<section><h2>Heaviest %s</h2><table id=\"heavy-%s\">"
		              "<thead><tr><th>%s</th><th>Path</th><th class=\"num\">Tokens"
		              "</th></tr></thead><tbody>\n",
		              i == PA_MAIN_AGENTS ? "agents" : i == PA_MAIN_SKILLS ? "skills"
		              : "files", s->parts[i].kind,
		              i == PA_MAIN_AGENTS ? "Agent" : i == PA_MAIN_SKILLS ? "Skill"
		              : "File");
		for (k = 0; k < n; k++) {
			pa_buf_puts(out, "<tr><td>");
			html_str(out, h[k]->name);
			pa_buf_puts(out, "</td><td>");
			html_str(out, h[k]->path);
			pa_buf_puts(out, "</td><td class=\"num\">");
			html_count(out, h[k]->tokens);
			pa_buf_puts(out, "</td></tr>\n");
		}
		pa_buf_puts(out, "</tbody></table></section>\n");
	}
	html_on_demand(out, od->f, od->n, "Not in the total: Claude Code loads "
	               "each file when it reads a file in its directory or below");
	for (i = 0; i < s->n_notes; i++) {
		pa_buf_puts(out, "<p class=\"note\">");
		html_str(out, s->notes[i]);
		pa_buf_puts(out, "</p>\n");
	}
	pa_buf_puts(out, "</main>\n");
	html_page_end(out);
	free(h);
}

const pa_tokenizer *cli_main_session_tokenizer(cli_pipeline *p, int *estimate,
                                               int *code)
{
	static const char text[] = "---\nname: main\ndescription: main\n---\n";
	pa_agent *agent = NULL;
	const pa_tokenizer *tok;
	pa_error err;

	if (pa_agent_parse(text, sizeof(text) - 1, "<main session>", &agent, NULL,
	                   &err) != PA_OK) {
		cli_print_error(&err);
		*code = EXIT_FAILURE_IO;
		return NULL;
	}
	tok = cli_pipeline_tokenizer(p, agent, estimate, code);
	pa_agent_free(agent);
	return tok;
}

int cli_main_session_margin(const cli_pipeline *p, const char *model,
                            double *low, double *high, double *margin)
{
	pa_trim_spec spec;
	pa_error err;

	pa_trim_spec_init(&spec, PA_NO_BUDGET);
	spec.margin = -1;
	pa_config_trim_spec(p->cfg, &spec);
	if (pa_claude_band(model, NULL, 0, NULL, low, high, &err) != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(err.status);
	}
	if (p->trim.has_margin)
		*margin = p->trim.margin;
	else if (spec.margin >= 0)
		*margin = spec.margin;
	else
		*margin = 1 - 1 / *high;
	return EXIT_OK;
}

size_t cli_main_session_held(const pa_main_session *s, pa_budget_scope scope)
{
	static const pa_main_part_kind listings[] = { PA_MAIN_AGENTS, PA_MAIN_SKILLS };
	size_t held, i, j;

	if (scope == PA_SCOPE_CONTEXT)
		return s->tokens;
	/* The instruction files with their wrapper, and the MCP servers'
	 * tools: there only when the project has them, as the wrapping of
	 * another CLI's files. */
	held = s->parts[PA_MAIN_MEMORY].tokens + s->parts[PA_MAIN_MCP].tokens;
	/* Of the listings, the lines of the project's agents and skills:
	 * the built-in ones and the frame are Claude Code's own, there in
	 * an empty directory (about 1,900 tokens, which held a budget of
	 * 3,000, less its margin, over in every project). */
	for (i = 0; i < sizeof(listings) / sizeof(listings[0]); i++) {
		const pa_main_part *part = &s->parts[listings[i]];

		for (j = 0; j < part->n_items; j++)
			if (!part->items[j].builtin)
				held += part->items[j].tokens;
	}
	return held;
}

size_t cli_main_budget_effective(size_t budget, size_t reserve, double margin)
{
	pa_trim_spec spec;

	pa_trim_spec_init(&spec, budget);
	spec.reserve = reserve;
	spec.margin = margin;
	return pa_trim_effective_budget_of(&spec, 1);
}

size_t cli_main_budgets(const cli_pipeline *p, const pa_main_session *s,
                        double margin, cli_main_budget_fn fn, void *ctx)
{
	static const struct {
		const char *key, *name;
		int part;
	} parts[] = {
		{ "total", "main session", -1 },
		{ "agents", "main session: agents listing", PA_MAIN_AGENTS },
		{ "agent", NULL, PA_MAIN_AGENTS },
		{ "skills", "main session: skills listing", PA_MAIN_SKILLS },
		{ "memory", "main session: instruction files", PA_MAIN_MEMORY },
	};
	pa_buf label = PA_BUF_INIT;
	pa_trim_spec spec;
	size_t i, j, n = 0, budget, reserve;

	/* the reserve of every budget of a whole request: the flag's, else
	 * the config's */
	pa_trim_spec_init(&spec, PA_NO_BUDGET);
	pa_config_trim_spec(p->cfg, &spec);
	reserve = p->trim.has_reserve ? p->trim.reserve : spec.reserve;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const pa_main_part *part;

		if (!pa_config_main_budget(p->cfg, parts[i].key, &budget))
			continue;
		n++;
		if (!s)
			continue;
		if (parts[i].part < 0) {
			fn(ctx, parts[i].name, parts[i].key, -1, NULL, s->tokens,
			   budget, reserve);
			continue;
		}
		part = &s->parts[parts[i].part];
		if (parts[i].name) {
			fn(ctx, parts[i].name, parts[i].key, parts[i].part, NULL,
			   part->tokens, budget, 0);
			continue;
		}
		/* `agent`: a row for each agent's line over it, less the
		 * margin as its row holds it: over the budget alone, a line
		 * of 33 tokens passed `agent: 33` and was 183% of `agent: 32` */
		for (j = 0; j < part->n_items; j++) {
			if (part->items[j].builtin || part->items[j].tokens <=
			    cli_main_budget_effective(budget, 0, margin))
				continue;
			pa_buf_reset(&label);
			pa_buf_printf(&label, "main session: %s's listing line",
			              part->items[j].name);
			fn(ctx, label.ptr, parts[i].key, parts[i].part, &part->items[j],
			   part->items[j].tokens, budget, 0);
		}
	}
	pa_buf_release(&label);
	return n;
}

/* context's check of one `main:` budget, as check's row of it: the
 * error when it is over. */
typedef struct main_over {
	const pa_config *cfg;
	double margin;
	int over;
} main_over;

static void main_budget_over(void *ctx, const char *name, const char *key,
                             int part, const pa_main_item *item, size_t tokens,
                             size_t budget, size_t reserve)
{
	main_over *m = ctx;
	size_t effective = cli_main_budget_effective(budget, reserve, m->margin);
	pa_buf what = PA_BUF_INIT, at = PA_BUF_INIT;
	long line, column;

	(void)part;
	if (tokens <= effective)
		return;
	m->over = 1;
	/* an agent's name is the project's: quoted */
	if (item) {
		pa_buf_puts(&what, "main session: the listing line of ");
		Pa_quote_str(&what, item->name);
	} else {
		pa_buf_puts(&what, name);
	}
	/* where the budget is set, as every other message about the
	 * config names its line and column */
	pa_buf_puts(&at, PA_CONFIG_FILE);
	if (pa_config_entry_at(m->cfg, "main", key, &line, &column))
		pa_buf_printf(&at, ":%ld:%ld", line, column);
	if (effective == budget)
		cli_errorf("%s is over its budget (main: in %s): it needs %zu tokens, "
		           "%zu more than the budget of %zu allows", what.ptr,
		           at.ptr, tokens, tokens - effective, budget);
	else
		cli_errorf("%s is over its budget (main: in %s): it needs %zu tokens, "
		           "%zu more than the budget of %zu allows (effective %zu: %s)",
		           what.ptr, at.ptr, tokens, tokens - effective, budget,
		           effective, !reserve ? "the margin of estimates"
		           : m->margin > 0 ? "the reserve and the margin of estimates"
		           : "the reserve");
	pa_buf_release(&what);
	pa_buf_release(&at);
}

/* -b, else the config's budget of the main session (budgets: for
 * "claude-code:.", else budget:), held as check holds its claude-code:.
 * row: what budget_scope says of the request (cli_main_session_held()),
 * less the reserve and the margin of estimates; and each `main:` budget,
 * as check's rows of them.
 * Prints an error for each over; returns an exit code. */
static int main_over_budget(cli_pipeline *p, pa_harness_id cli,
                            const pa_main_session *s)
{
	pa_trim_spec spec;
	pa_buf name = PA_BUF_INIT;
	double low, high;
	size_t effective;
	main_over m = { NULL, 0, 0 };
	int has, code;

	pa_buf_printf(&name, "%s:.", pa_harness_name(cli));
	has = pa_session_spec(p->session, name.ptr, 1, &spec);
	pa_buf_release(&name);
	if (!has && !cli_main_budgets(p, NULL, 0, NULL, NULL))
		return EXIT_OK;
	m.cfg = p->cfg;
	code = cli_main_session_margin(p, s->model, &low, &high, &m.margin);
	if (code != EXIT_OK)
		return code;
	if (has) {
		pa_budget_scope scope = pa_config_budget_scope(p->cfg);
		size_t held = cli_main_session_held(s, scope);

		spec.margin = m.margin;
		effective = pa_trim_effective_budget_of(&spec, 1);
		if (held > effective) {
			cli_over_budget_error(pa_harness_name(cli),
			                      scope == PA_SCOPE_CONTEXT ? "it needs"
			                      : "the project's part (its agents' and "
			                        "skills' lines, instruction files and MCP "
			                        "tools) needs",
			                      held, &spec, effective, 1, NULL);
			m.over = 1;
		}
	}
	/* `main:` holds the session in context as check's rows of it do */
	cli_main_budgets(p, s, m.margin, main_budget_over, &m);
	return m.over ? EXIT_OVER_BUDGET : EXIT_OK;
}

const cli_opt cli_context_opts[] = {
	CLI_HARNESS_OPT,
	CLI_OUTPUT_OPT,
	CLI_COMMON_OPTS,
	CLI_COMPOSE_OPTS,
	CLI_OPT_FORMAT("text json markdown html"),
	{ "mcp-tools", required_argument, OPT_MCP_TOOLS, 0, CLI_VALUE_NONE, NULL },
	{ "top", required_argument, OPT_TOP, 0, CLI_VALUE_NONE, NULL },
	{ "count-api", no_argument, OPT_COUNT_API, 0, CLI_VALUE_NONE, NULL },
	{ "budget", required_argument, 'b', 'b', CLI_VALUE_NONE, NULL },
	CLI_OPT_END
};

int cmd_context(int argc, char **argv)
{
	cli_getopt g;
	cli_pipeline p;
	pa_warnings warn = { NULL, 0 };
	pa_main_mcp_tools *mcp = NULL;
	pa_main_options so = { NULL, 0, NULL, NULL };
	context_api capi;
	int count_api = 0, api_init = 0;
	pa_main_session *s = NULL;
	pa_harness_id cli;          /* the CLI whose main session it is */
	on_demand od = { NULL, 0, 0 };
	pa_buf out = PA_BUF_INIT;
	pa_error err;
	const pa_tokenizer *tok;
	int tokest = 0;
	const char *model;
	size_t top = 10;
	cli_format fmt = CLI_FMT_TEXT;
	int c, code = -1, r;

	cli_getopt_init(&g, cli_context_opts);
	cli_pipeline_init(&p);
	while (code < 0 && (c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		if (c == 'h') {
			help();
			code = EXIT_OK;
		} else if (c == 'f') {
			if (!cli_format_parse(optarg, formats, sizeof(formats) /
			                      sizeof(formats[0]), &fmt))
				code = EXIT_USAGE;
		} else if (c == OPT_MCP_TOOLS) {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg || !eq[1]) {
				code = cli_usage_error("--mcp-tools takes SERVER=FILE, not '%s'", optarg);
			} else {
				mcp = Pa_xgrow(mcp, so.n_mcp_tools, sizeof(*mcp));
				*eq = '\0';
				mcp[so.n_mcp_tools].server = optarg;
				mcp[so.n_mcp_tools++].file = eq + 1;
			}
		} else if (c == OPT_COUNT_API) {
			count_api = 1;
		} else if (c == OPT_TOP) {
			if (!cli_parse_count(optarg, &top))
				code = cli_count_error("top", "a number", optarg);
		} else if (c == '?' || (r = cli_pipeline_option(&p, c, optarg)) == 0) {
			code = cli_option_error(argv, g.shortopts, g.longopts);
		} else if (r < 0) {
			code = EXIT_USAGE;
		}
	}
	so.mcp_tools = mcp;
	if (code < 0 && optind < argc)
		code = cli_usage_error("unknown argument '%s'", argv[optind]);
	if (code >= 0)   /* --help, or a usage error */
		goto done;
	code = cli_pipeline_start(&p);
	if (code != EXIT_OK)
		goto done;
	code = cli_clis_refused(&p.clis, NULL, count_api, fmt);
	if (code != EXIT_OK)
		goto done;
	/* a server's tools go into a main session promptasm composes: a
	 * row without one refuses them, as a run refuses --plugin-dir */
	if (so.n_mcp_tools &&
	    (code = cli_clis_refuse_without(&p.clis, PA_HARNESS_SUPPORTS_MAIN_SESSION,
	                                    "--mcp-tools", "MCP servers' tools "
	                                    "(Claude Code's main session)")))
		goto done;
	if (!cli_clis_first(&p.clis, PA_HARNESS_SUPPORTS_MAIN_SESSION, &cli)) {
		code = cli_clis_report(CLI_CLIS_CONTEXT, fmt, NULL, &p, p.output, &out);
		goto done;
	}
	tok = cli_main_session_tokenizer(&p, &tokest, &code);
	if (!tok)
		goto done;
	model = p.model ? p.model : pa_config_model(p.cfg);
	/* --count-api: the project's text asked as check asks it (the same
	 * cache and key rules), for a count that is an estimate; a text not
	 * answered keeps tok's count, after a warning */
	if (count_api && tokest) {
		memset(&capi, 0, sizeof(capi));
		code = cli_api_init(&capi.api);
		api_init = 1;
		if (code != EXIT_OK)
			goto done;
		so.count = api_count;
		so.count_ctx = &capi;
	}
	if (pa_main_session_estimate(&p.opt, tok, model, &so, &s, &warn, &err) != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(err.status);
		goto done;
	}
	if (pa_on_demand_files(&p.opt, tok, &od.f, &od.n, &warn, &err) != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(err.status);
		goto done;
	}
	for (size_t i = 0; i < od.n; i++)
		od.tokens += od.f[i].tokens;
	cli_pipeline_warn(&p, &warn);
	cli_pipeline_main_inputs(&p, s);
	/* -o never replaces a server's tools it read */
	for (size_t i = 0; i < so.n_mcp_tools; i++)
		cli_pipeline_input(&p, mcp[i].file);
	{
		const char *tokname = pa_tokenizer_name(tok);
		int exact = !pa_tokenizer_is_estimate(tok, s->model) ? COUNT_EXACT
		            : so.count && !capi.missed ? COUNT_PROJECT_EXACT
		            : COUNT_ESTIMATE;
		if (fmt == CLI_FMT_JSON) {
			json_out(&out, cli, s, tokname, exact, &warn, &od);
		} else if (fmt == CLI_FMT_MARKDOWN) {
			markdown_out(&out, s, tokname, exact, &warn, top);
			on_demand_text(&out, &od, 1);
		} else if (fmt == CLI_FMT_HTML) {
			html_out(&out, s, tokname, exact, &warn, &od, top);
		} else {
			text_out(&out, s, tokname, exact, top);
			on_demand_text(&out, &od, 0);
		}
	}
	if (fmt == CLI_FMT_TEXT)
		for (size_t i = 0; i < s->n_notes; i++)
			cli_notef("%s", s->notes[i]);
	code = cli_clis_others(&p) ? cli_clis_report(CLI_CLIS_CONTEXT, fmt, NULL,
	                                             &p, p.output, &out)
	                           : cli_pipeline_write(&p, out.ptr, out.len);
	/* another CLI's row over its budget does not hide this one's error */
	if (code == EXIT_OK || code == EXIT_OVER_BUDGET) {
		r = main_over_budget(&p, cli, s);
		if (code == EXIT_OK)
			code = r;
	}
	/* A limit that left part of the context unread (a walk stopped, a
	 * file over its size limit) never passes, over the budget or not:
	 * the figures are short (2, as for the other CLIs' rows). */
	for (size_t i = 0; (code == EXIT_OK || code == EXIT_OVER_BUDGET) && i < warn.n; i++)
		if (warn.items[i].kind == PA_WARNING_INCOMPLETE) {
			cli_errorf("the context is incomplete: a file or directory the "
			           "loading order names was not read (warnings above)");
			code = EXIT_USAGE;
		}
done:
	if (api_init)
		cli_api_release(&capi.api);
	pa_buf_release(&out);
	pa_on_demand_files_free(od.f, od.n);
	pa_main_session_free(s);
	free(mcp);
	pa_warnings_release(&warn);
	cli_pipeline_release(&p);
	return code;
}
