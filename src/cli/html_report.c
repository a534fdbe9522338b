/* html_report.c - the two pages of HTML reports: explain's, one agent, and
 * check's, a table of agents before their views (html.h). */
#include "html.h"
#include "html_agent.h"
#include "html_page.h"

#include <stdlib.h>
#include <string.h>

int html_explain(pa_buf *out, const cli_run *r, const pa_on_demand_file *od,
                 size_t n, const size_t *exact)
{
	pa_buf title = PA_BUF_INIT;
	pa_error err;
	pa_status st;

	pa_buf_printf(&title, "%s: where the tokens go (promptasm explain)",
	              pa_agent_name(r->agent));
	html_page_begin(out, title.ptr);
	/* as the text says it, before the estimate's figures */
	if (exact) {
		pa_buf_puts(out, "<p class=\"note\" id=\"exact\">Exact count from "
		            "Anthropic's count_tokens (");
		html_str(out, r->cc_model);
		pa_buf_puts(out, "): <b>");
		html_count(out, *exact);
		pa_buf_puts(out, "</b> tokens; the figures below are the estimate's.</p>\n");
	}
	st = html_agent(out, r, r->context, "a1", 1, NULL, &err);
	html_on_demand(out, od, n, "Not in this count: Claude Code loads each file "
	               "when the agent reads a file in its directory or below "
	               "(--for-file FILE adds them)");
	html_page_end(out);
	pa_buf_release(&title);
	if (st != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	return EXIT_OK;
}

/* ---- check ---- */

typedef struct row {
	char *name, *path;
	char *note;           /* a main-session row's note (what grew), or NULL */
	int main_part;        /* a row of the main session: no view of its own */
	size_t tokens;        /* what the budget holds */
	size_t effective;     /* PA_NO_BUDGET: none */
	size_t budget;
	double window_share;  /* -1: unknown */
	int over_window;      /* the whole context is over the model's window */
	int estimate;         /* its tokens are an estimate: shown with ~ */
	int cut;              /* another CLI cuts or drops a file (note says) */
	char *cut_text;       /* the first lines not sent, or NULL */
	long cut_line, cut_column;
	const char *status;   /* check's word for it (static), once decided */
	int has_view;
	pa_buf view;
} row;

struct html_check {
	row *rows;
	size_t n;
	char *verdict;        /* check's verdict, every format's words */
	char *conversion;     /* how budgets became effective ones, or NULL */
	size_t views, fail_views; /* built: of the first agents, of failing ones */
	pa_budget_scope scope;
	size_t requests;      /* rows of a CLI's first request */
	Pa_strset shared; /* the sections shown already (html_agent.h) */
	struct { char *path; size_t tokens, cap; } *files; /* instructions: caps */
	size_t nfiles;
	const pa_on_demand_file *on_demand; /* borrowed */
	size_t n_on_demand;
};

void html_check_file(html_check *h, const char *path, size_t tokens, size_t cap)
{
	h->files = Pa_xgrow(h->files, h->nfiles, sizeof(*h->files));
	h->files[h->nfiles].path = Pa_xstrdup(path);
	h->files[h->nfiles].tokens = tokens;
	h->files[h->nfiles].cap = cap;
	h->nfiles++;
}

void html_check_on_demand(html_check *h, const pa_on_demand_file *f, size_t n)
{
	h->on_demand = f;
	h->n_on_demand = n;
}

html_check *html_check_new(void)
{
	return Pa_xcalloc(1, sizeof(html_check));
}

void html_check_free(html_check *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->n; i++) {
		free(h->rows[i].name);
		free(h->rows[i].path);
		free(h->rows[i].note);
		free(h->rows[i].cut_text);
		pa_buf_release(&h->rows[i].view);
	}
	free(h->rows);
	for (i = 0; i < h->nfiles; i++)
		free(h->files[i].path);
	free(h->files);
	free(h->verdict);
	free(h->conversion);
	Pa_strset_release(&h->shared);
	free(h);
}

static char *copy(const char *s)
{
	return Pa_xstrdup(s ? s : "");
}

int html_check_add(html_check *h, cli_run *r, const pa_context_estimate *context,
                   pa_budget_scope scope, size_t tokens, size_t effective,
                   int estimate)
{
	row *w;
	char id[32];
	size_t window;
	pa_error err;
	pa_status st;
	int code, fails;

	h->rows = Pa_xgrow(h->rows, h->n, sizeof(*h->rows));
	w = &h->rows[h->n++];
	memset(w, 0, sizeof(*w));
	h->scope = scope;
	w->name = copy(pa_agent_name(r->agent));
	w->path = copy(pa_agent_path(r->agent));
	w->tokens = tokens;
	w->effective = effective;
	w->budget = r->spec->budget;
	window = context ? pa_model_context_window(context->model) : 0;
	w->window_share = window ? (double)context->tokens / (double)window : -1;
	w->over_window = window && context->tokens > window;
	w->estimate = estimate;
	w->view = (pa_buf)PA_BUF_INIT;
	fails = (effective != PA_NO_BUDGET && tokens > effective) || w->over_window;
	if (h->views < HTML_CHECK_VIEWS)
		h->views++;
	else if (fails && h->fail_views < HTML_CHECK_FAIL_VIEWS)
		h->fail_views++;
	else
		return EXIT_OK;
	w->has_view = 1;
	code = cli_run_more(r, HTML_RUN, HTML_CHECK_TOP);
	if (code != EXIT_OK)
		return code;
	snprintf(id, sizeof(id), "a%zu", h->n);
	st = html_agent(&w->view, r, context, id, 2, &h->shared, &err);
	if (st != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	return EXIT_OK;
}

void html_check_load_cut(html_check *h, const char *note, const char *cut_text,
                         long cut_line, long cut_column)
{
	row *w = h->n ? &h->rows[h->n - 1] : NULL;

	if (!w || !cut_text)
		return;
	free(w->note);
	w->note = copy(note);
	free(w->cut_text);
	w->cut_text = copy(cut_text);
	w->cut_line = cut_line;
	w->cut_column = cut_column;
}

void html_check_add_main(html_check *h, const char *name, const char *path,
                         const char *note, size_t tokens, size_t budget,
                         size_t effective)
{
	row *w;

	h->rows = Pa_xgrow(h->rows, h->n, sizeof(*h->rows));
	w = &h->rows[h->n++];
	memset(w, 0, sizeof(*w));
	w->name = copy(name);
	w->path = copy(path);
	w->note = note ? copy(note) : NULL;
	w->main_part = 1;
	w->estimate = 1;
	w->tokens = tokens;
	w->budget = budget;
	w->effective = effective;
	w->window_share = -1;
	w->view = (pa_buf)PA_BUF_INIT;
}

void html_check_add_cli(html_check *h, const char *name, const char *path,
                        const char *cut, const char *cut_text, long cut_line,
                        long cut_column, pa_budget_scope scope, size_t tokens,
                        size_t whole, size_t budget, size_t effective,
                        size_t window)
{
	row *w;

	h->rows = Pa_xgrow(h->rows, h->n, sizeof(*h->rows));
	w = &h->rows[h->n++];
	memset(w, 0, sizeof(*w));
	w->name = copy(name);
	w->path = copy(path);
	w->note = cut ? copy(cut) : NULL;
	w->main_part = 1;
	w->cut = cut != NULL;
	w->cut_text = cut_text ? copy(cut_text) : NULL;
	w->cut_line = cut_line;
	w->cut_column = cut_column;
	w->tokens = tokens;
	w->budget = budget;
	w->effective = effective;
	h->scope = scope;
	h->requests++;
	/* the window holds the whole request, whatever the budget holds */
	w->window_share = window ? (double)whole / (double)window : -1;
	w->over_window = window && whole > window;
	w->view = (pa_buf)PA_BUF_INIT;
}

/* The first lines a cut leaves out, under its note: one quoted line each
 * (the page's escaping), numbered. */
static void not_sent(pa_buf *out, const row *w)
{
	const char *s = w->cut_text;
	long line = w->cut_line;

	if (!s || !*s)
		return;
	pa_buf_printf(out, "<span class=\"note\">not sent, from line %ld, byte %ld:"
	              "</span><span class=\"note mono notsent\">", line,
	              w->cut_column);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		pa_buf_printf(out, "%s%ld: ", line == w->cut_line ? "" : "<br>", line);
		html_text(out, s, n);
		line++;
		s += nl ? n + 1 : n;
	}
	pa_buf_puts(out, "</span>");
}

/* A row's bar: its tokens against its effective budget (the red line),
 * or, without a budget, against the largest agent's tokens. */
static void row_bar(pa_buf *out, const row *w, size_t largest)
{
	size_t scale = w->effective != PA_NO_BUDGET ? w->effective : largest;
	int over = w->effective != PA_NO_BUDGET && w->tokens > w->effective;
	double unit, used;

	if (scale < w->tokens)
		scale = w->tokens;
	unit = scale ? 1000.0 / (double)scale : 0;
	used = unit * (double)w->tokens;
	pa_buf_puts(out, "<svg class=\"bar\" viewBox=\"0 0 1000 34\" "
	            "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"tokens "
	            "against the budget\">");
	pa_buf_printf(out, "<rect class=\"%s\" x=\"0\" y=\"0\" width=\"%.2f\" "
	              "height=\"34\" data-tokens=\"%zu\"><title>", over ? "k-over"
	              : w->effective != PA_NO_BUDGET ? "k-fit" : "k-cc1",
	              used, w->tokens);
	html_count(out, w->tokens);
	pa_buf_puts(out, " tokens</title></rect>");
	pa_buf_printf(out, "<rect class=\"k-room\" x=\"%.2f\" y=\"0\" width=\"%.2f\" "
	              "height=\"34\"></rect>", used, 1000.0 - used);
	if (w->effective != PA_NO_BUDGET) {
		double x = unit * (double)w->effective;
		pa_buf_printf(out, "<line class=\"limit\" x1=\"%.2f\" x2=\"%.2f\" "
		              "y1=\"0\" y2=\"34\"><title>effective budget ", x, x);
		html_count(out, w->effective);
		pa_buf_puts(out, "</title></line>");
	}
	pa_buf_puts(out, "</svg>");
}

static int row_fails(const row *w)
{
	if (w->status)
		return strcmp(w->status, "ok") != 0;
	return (w->effective != PA_NO_BUDGET && w->tokens > w->effective) ||
	       w->over_window || w->cut;
}

void html_check_status(html_check *h, size_t i, const char *name,
                       const char *status)
{
	size_t k;

	/* the rows were added in the report's order; a name finds one
	 * that was not */
	if (i < h->n && !strcmp(h->rows[i].name, name)) {
		h->rows[i].status = status;
		return;
	}
	for (k = 0; k < h->n; k++)
		if (!strcmp(h->rows[k].name, name))
			h->rows[k].status = status;
}

void html_check_verdict(html_check *h, const char *verdict)
{
	free(h->verdict);
	h->verdict = Pa_xstrdup(verdict);
}

void html_check_conversion(html_check *h, const char *text)
{
	free(h->conversion);
	h->conversion = *text ? Pa_xstrdup(text) : NULL;
}

void html_check_page(const html_check *h, const pa_warnings *warned,
                     pa_buf *out)
{
	size_t i, k, m = 0, over = 0, largest = 0, *order, nviews = 0, agents = 0;
	size_t mains = 0, main_over = 0, failing = 0, failing_viewed = 0;

	order = Pa_xcalloc(h->n ? h->n : 1, sizeof(*order));
	/* What fails first, each part in the order checked. */
	for (k = 0; k < 2; k++)
		for (i = 0; i < h->n; i++)
			if (row_fails(&h->rows[i]) == !k)
				order[m++] = i;
	for (i = 0; i < h->n; i++) {
		const row *w = &h->rows[i];
		int fails = row_fails(w);

		nviews += w->has_view;
		if (w->main_part) {
			/* the main session's rows (and another CLI's) are
			 * counted apart from the agents, as every format does */
			mains++;
			main_over += fails;
		} else {
			agents++;
			over += fails;
			failing += fails;
			failing_viewed += fails && w->has_view;
		}
		if (w->tokens > largest)
			largest = w->tokens;
	}
	html_page_begin(out, "promptasm check: agents and their budgets");
	pa_buf_printf(out, "<h1>Agents and their budgets</h1>\n<p class=\"sub\" "
	              "id=\"counts\">%zu agent%s: %zu ok, %zu failing",
	              agents, agents == 1 ? "" : "s", agents - over, over);
	if (mains)
		pa_buf_printf(out, "; other rows (the main session, other CLIs): "
		              "%zu ok, %zu failing", mains - main_over, main_over);
	pa_buf_printf(out, "; budgets hold %s%s. Click a "
	              "column to sort, an agent to see where its tokens go.</p>\n",
	              h->scope == PA_SCOPE_CONTEXT
	              ? "the whole context Claude Code gives each agent (an estimate)"
	              : "each agent's prompt",
	              !h->requests ? "" : h->scope == PA_SCOPE_CONTEXT
	              ? " and each CLI's whole first request (budget_scope: context)"
	              : " and the project's part of each CLI's first request, its "
	                "files wrapped (budget_scope: prompt)");
	if (h->verdict) {
		pa_buf_puts(out, "<p class=\"sub\"><strong>");
		html_str(out, h->verdict);
		pa_buf_puts(out, "</strong></p>\n");
	}
	if (h->conversion) {
		pa_buf_puts(out, "<p class=\"sub\" id=\"conversion\">");
		html_str(out, h->conversion);
		pa_buf_puts(out, ".</p>\n");
	}
	if (nviews < agents) {
		pa_buf_printf(out, "<p class=\"sub\" id=\"views\">Below, the views "
		              "of %zu of the %zu agents: the first %d", nviews, agents,
		              HTML_CHECK_VIEWS);
		if (failing_viewed == failing)
			pa_buf_puts(out, " and every one that fails");
		else
			pa_buf_printf(out, " and %zu of the %zu that fail (at most %d "
			              "views of failing agents)", failing_viewed, failing,
			              HTML_CHECK_VIEWS + HTML_CHECK_FAIL_VIEWS);
		pa_buf_puts(out, "; <code>promptasm explain AGENT --format html</code> "
		            "shows any other. ~ marks estimates.</p>\n");
	}
	pa_buf_puts(out, "<table class=\"agents\"><thead><tr>"
	            "<th><button type=\"button\">Agent</button></th>"
	            "<th class=\"n\" data-num><button type=\"button\">Tokens</button></th>"
	            "<th class=\"n\" data-num><button type=\"button\">Budget</button></th>"
	            "<th class=\"n\" data-num><button type=\"button\">Used</button></th>"
	            "<th>Against its budget</th>"
	            "<th class=\"n\" data-num><button type=\"button\">Window</button></th>"
	            "<th><button type=\"button\">Status</button></th>"
	            "</tr></thead><tbody>\n");
	for (k = 0; k < h->n; k++) {
		const row *w = &h->rows[order[k]];
		int has = w->effective != PA_NO_BUDGET;
		int is_over = (has && w->tokens > w->effective) || w->over_window;
		const char *status = w->status ? w->status : is_over ? "over"
		                     : w->cut ? "cut" : "ok";
		double used = has ? (w->effective ? 100.0 * (double)w->tokens /
		                                    (double)w->effective
		                                  : w->tokens ? 999.9 : 0) : -1;

		pa_buf_puts(out, "<tr><td data-v=\"");
		html_str(out, w->name);
		if (w->main_part) {
			/* The main session's rows have no view: `context
			 * --format html` is theirs. */
			pa_buf_puts(out, "\">");
			html_str(out, w->name);
			pa_buf_puts(out, "<span class=\"note\">");
			html_str(out, w->note ? w->note : "");
			pa_buf_puts(out, "</span>");
			not_sent(out, w);
			pa_buf_puts(out, "<span class=\"note mono\">");
		} else {
			if (w->has_view)
				pa_buf_printf(out, "\"><a href=\"#a%zu\">", order[k] + 1);
			else
				pa_buf_puts(out, "\">");
			html_str(out, w->name);
			if (w->has_view)
				pa_buf_puts(out, "</a>");
			/* what Claude Code's load rule leaves out */
			if (w->cut_text) {
				pa_buf_puts(out, "<span class=\"note\">");
				html_str(out, w->note ? w->note : "");
				pa_buf_puts(out, "</span>");
				not_sent(out, w);
			}
			pa_buf_puts(out, "<span class=\"note mono\">");
		}
		html_str(out, w->path);
		pa_buf_printf(out, "</span></td><td class=\"n\" data-v=\"%zu\">", w->tokens);
		if (w->estimate)
			pa_buf_puts(out, "~");
		html_count(out, w->tokens);
		pa_buf_printf(out, "</td><td class=\"n\" data-v=\"%.0f\">",
		              has ? (double)w->budget : -1.0);
		if (has) {
			html_count(out, w->budget);
			if (w->effective != w->budget) {
				pa_buf_puts(out, "<span class=\"note\">effective ");
				html_count(out, w->effective);
				pa_buf_puts(out, "</span>");
			}
		} else {
			pa_buf_puts(out, "-");
		}
		pa_buf_printf(out, "</td><td class=\"n\" data-v=\"%.1f\">", used);
		if (has)
			pa_buf_printf(out, "%.0f%%", used);
		else
			pa_buf_puts(out, "-");
		pa_buf_puts(out, "</td><td>");
		row_bar(out, w, largest);
		pa_buf_printf(out, "</td><td class=\"n%s\" data-v=\"%.4f\">",
		              w->over_window ? " over" : "", w->window_share);
		if (w->window_share >= 0)
			pa_buf_printf(out, "%.1f%%", 100.0 * w->window_share);
		else
			pa_buf_puts(out, "-");
		pa_buf_printf(out, "</td><td class=\"%s\">%s</td></tr>\n",
		              row_fails(w) ? "over" : "ok", status);
	}
	pa_buf_puts(out, "</tbody></table>\n");
	if (h->nfiles) {
		pa_buf_puts(out, "<h2>Instruction files and their caps</h2>\n<table "
		            "id=\"files\"><thead><tr><th>File</th><th class=\"n\">Tokens"
		            "</th><th class=\"n\">Cap</th><th class=\"n\">Used</th>"
		            "<th>Status</th></tr></thead><tbody>\n");
		for (i = 0; i < h->nfiles; i++) {
			int o = h->files[i].tokens > h->files[i].cap;

			pa_buf_puts(out, "<tr><td class=\"mono\">");
			html_str(out, h->files[i].path);
			pa_buf_puts(out, "</td><td class=\"n\">");
			html_count(out, h->files[i].tokens);
			pa_buf_puts(out, "</td><td class=\"n\">");
			html_count(out, h->files[i].cap);
			pa_buf_printf(out, "</td><td class=\"n\">%.0f%%</td><td class=\"%s\">"
			              "%s</td></tr>\n", h->files[i].cap ? 100.0 *
			              (double)h->files[i].tokens / (double)h->files[i].cap
			              : 0.0, o ? "over" : "ok", o ? "over" : "ok");
		}
		pa_buf_puts(out, "</tbody></table>\n");
	}
	html_on_demand(out, h->on_demand, h->n_on_demand, "In no agent's count: "
	               "Claude Code loads each file when it reads a file in its "
	               "directory or below");
	if (warned && warned->n) {
		pa_buf_puts(out, "<h2>Warnings</h2>\n<ul class=\"note-list\">");
		for (i = 0; i < warned->n; i++) {
			pa_buf_puts(out, "<li class=\"warn\">");
			html_str(out, warned->items[i].message);
			pa_buf_puts(out, "</li>");
		}
		pa_buf_puts(out, "</ul>\n");
	}
	for (i = 0; i < h->n; i++)
		pa_buf_put(out, h->rows[i].view.ptr, h->rows[i].view.len);
	html_page_end(out);
	free(order);
}
