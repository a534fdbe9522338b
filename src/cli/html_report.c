/* html_report.c - the two pages of HTML reports: explain's, one agent, and
 * check's, a table of agents before their views (html.h). */
#include "html.h"
#include "html_agent.h"
#include "html_page.h"

#include <stdlib.h>
#include <string.h>

int html_explain(pa_buf *out, const cli_run *r)
{
	pa_buf title = PA_BUF_INIT;
	pa_error err;
	pa_status st;

	pa_buf_printf(&title, "%s: where the tokens go (promptasm explain)",
	              pa_agent_name(r->agent));
	html_page_begin(out, title.ptr);
	st = html_agent(out, r, r->context, "a1", 1, NULL, &err);
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
	pa_buf view;
} row;

struct html_check {
	row *rows;
	size_t n;
	pa_budget_scope scope;
	pa_strset shared; /* the sections shown already (html_agent.h) */
};

html_check *html_check_new(void)
{
	return pa_xcalloc(1, sizeof(html_check));
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
		pa_buf_release(&h->rows[i].view);
	}
	free(h->rows);
	pa_strset_release(&h->shared);
	free(h);
}

static char *copy(const char *s)
{
	return pa_xstrdup(s ? s : "");
}

int html_check_add(html_check *h, cli_run *r, const pa_context_estimate *context,
                   pa_budget_scope scope, size_t tokens, size_t effective)
{
	row *w;
	char id[32];
	size_t window;
	pa_error err;
	pa_status st;
	int code = cli_run_more(r, HTML_RUN, HTML_CHECK_TOP);

	if (code != EXIT_OK)
		return code;
	h->rows = pa_xgrow(h->rows, h->n, sizeof(*h->rows));
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
	w->view = (pa_buf)PA_BUF_INIT;
	snprintf(id, sizeof(id), "a%zu", h->n);
	st = html_agent(&w->view, r, context, id, 2, &h->shared, &err);
	if (st != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(st);
	}
	return EXIT_OK;
}

void html_check_add_main(html_check *h, const char *name, const char *path,
                         const char *note, size_t tokens, size_t budget)
{
	row *w;

	h->rows = pa_xgrow(h->rows, h->n, sizeof(*h->rows));
	w = &h->rows[h->n++];
	memset(w, 0, sizeof(*w));
	w->name = copy(name);
	w->path = copy(path);
	w->note = note ? copy(note) : NULL;
	w->main_part = 1;
	w->tokens = tokens;
	w->effective = w->budget = budget;
	w->window_share = -1;
	w->view = (pa_buf)PA_BUF_INIT;
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

void html_check_page(const html_check *h, const pa_warnings *warned,
                     pa_buf *out)
{
	size_t i, over = 0, largest = 0;

	for (i = 0; i < h->n; i++) {
		const row *w = &h->rows[i];
		over += (w->effective != PA_NO_BUDGET && w->tokens > w->effective) ||
		        w->over_window;
		if (w->tokens > largest)
			largest = w->tokens;
	}
	html_page_begin(out, "promptasm check: agents and their budgets");
	pa_buf_printf(out, "<h1>Agents and their budgets</h1>\n<p class=\"sub\">%zu "
	              "agent%s: %zu ok, %zu over budget or the model's context window; "
	              "budgets hold %s. Click a "
	              "column to sort, an agent to see where its tokens go.</p>\n",
	              h->n, h->n == 1 ? "" : "s", h->n - over, over,
	              h->scope == PA_SCOPE_CONTEXT
	              ? "the whole context Claude Code gives each agent (an estimate)"
	              : "each agent's prompt");
	pa_buf_puts(out, "<table class=\"agents\"><thead><tr>"
	            "<th><button type=\"button\">Agent</button></th>"
	            "<th class=\"n\" data-num><button type=\"button\">Tokens</button></th>"
	            "<th class=\"n\" data-num><button type=\"button\">Budget</button></th>"
	            "<th class=\"n\" data-num><button type=\"button\">Used</button></th>"
	            "<th>Against its budget</th>"
	            "<th class=\"n\" data-num><button type=\"button\">Window</button></th>"
	            "<th><button type=\"button\">Status</button></th>"
	            "</tr></thead><tbody>\n");
	for (i = 0; i < h->n; i++) {
		const row *w = &h->rows[i];
		int has = w->effective != PA_NO_BUDGET;
		int is_over = (has && w->tokens > w->effective) || w->over_window;
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
			pa_buf_puts(out, "</span><span class=\"note mono\">");
		} else {
			pa_buf_printf(out, "\"><a href=\"#a%zu\">", i + 1);
			html_str(out, w->name);
			pa_buf_puts(out, "</a><span class=\"note mono\">");
		}
		html_str(out, w->path);
		pa_buf_printf(out, "</span></td><td class=\"n\" data-v=\"%zu\">", w->tokens);
		html_count(out, w->tokens);
		pa_buf_printf(out, "</td><td class=\"n\" data-v=\"%.0f\">",
		              has ? (double)w->effective : -1.0);
		if (has) {
			html_count(out, w->effective);
			if (w->effective != w->budget) {
				pa_buf_puts(out, "<span class=\"note\">of ");
				html_count(out, w->budget);
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
		              is_over ? "over" : "ok", is_over ? "over" : "ok");
	}
	pa_buf_puts(out, "</tbody></table>\n");
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
}
