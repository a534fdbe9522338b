/*
 * html.h - `explain --format html` and `check --format html`: where the
 * tokens of a prompt go, as one page that needs nothing but a browser.
 *
 * The page holds everything (style, SVG bars, one small script) and loads
 * nothing: its Content-Security-Policy allows its own style and script by
 * their SHA-256 and no other source.  Every text from the project is
 * escaped (html_page.h), and none goes into the script, which reads the
 * page's attributes only.  An agent's view: the facts at the top (tokens,
 * tokenizer, budget, outcome, the whole context and its share of the
 * window), bars of its sections and of the whole context, the sections
 * with what the load rules and the trimmer did, the heaviest blocks, and
 * the prompt text with every token visible (html_tokens.h).  check's page
 * adds a sortable table of the agents, each row linking to its view.
 */
#ifndef PA_CLI_HTML_H
#define PA_CLI_HTML_H

#include "pipeline.h"

/* What a run must take for an agent's view (cli_pipeline_run's what). */
#define HTML_RUN (CLI_RUN_TRIM | CLI_RUN_HEAVY | CLI_RUN_CONTEXT | CLI_RUN_UNTRIMMED)
/* The heaviest blocks an agent's view in check's page lists: explain's
 * default --top. */
#define HTML_CHECK_TOP 10
/* check's page of many agents: the views of the first HTML_CHECK_VIEWS
 * agents and of up to HTML_CHECK_FAIL_VIEWS more that fail (97 agents
 * over budget of 108 have one each); the others are rows of the table
 * (explain --format html shows any of them) and the page says which
 * failing agents have none.  701 views were 24.7 MB, which a browser
 * took 25 s to show. */
#define HTML_CHECK_VIEWS 20
#define HTML_CHECK_FAIL_VIEWS 80

/* explain: the page of one agent, r taken with HTML_RUN, and the n
 * CLAUDE.md files od Claude Code loads on demand that its prompt does not
 * hold (listed apart, as the text lists them).  exact (NULL: none) is the
 * prompt's count from Anthropic's count_tokens (--count-api), said first.
 * Prints the error; returns an exit code. */
int html_explain(pa_buf *out, const cli_run *r, const pa_on_demand_file *od,
                 size_t n, const size_t *exact);

/* check: agents are added one by one, then the page is written. */
typedef struct html_check html_check;

html_check *html_check_new(void);
void html_check_free(html_check *h); /* NULL does nothing */

/* Adds an agent: its row, with what check holds to its budget (tokens of
 * the prompt or, scope context, of the whole context; effective:
 * PA_NO_BUDGET when none), and its view.  r is check's run: the steps the
 * view needs are taken on it (cli_run_more), so r's prompt is trimmed
 * after; context is its estimate when check took it from r.  Prints the
 * error; returns an exit code. */
/* A row of the main session (`main:` budgets): its figures and what it
 * names, with no view of its own. */
void html_check_add_main(html_check *h, const char *name, const char *path,
                         const char *note, size_t tokens, size_t budget,
                         size_t effective);
/* Under the agent row added last, what Claude Code's load rule leaves
 * out of one of its files (check_agent.load_cut): note says which,
 * cut_text holds the first lines not sent; not a failure. */
void html_check_load_cut(html_check *h, const char *note, const char *cut_text,
                         long cut_line, long cut_column);
/* A row of another agent CLI than Claude Code: its first request
 * started in one directory (path), against its budget (as given, and
 * effective: PA_NO_BUDGET when none) and the model's window (0: unknown); cut, when
 * it cuts or drops a file, says so (the row fails), and cut_text, when
 * not NULL, holds the first lines not sent (check_agent.cut_text) from
 * cut_line, byte cut_column. */
void html_check_add_cli(html_check *h, const char *name, const char *path,
                        const char *cut, const char *cut_text, long cut_line,
                        long cut_column, pa_budget_scope scope, size_t tokens,
                        size_t whole, size_t budget, size_t effective,
                        size_t window);
int html_check_add(html_check *h, cli_run *r, const pa_context_estimate *context,
                   pa_budget_scope scope, size_t tokens, size_t effective,
                   int estimate);

/* What check decided, given before the page is written, so that the page
 * says what every other format says: row i's status word (named name, in
 * case the rows were added in another order), and the verdict line
 * ("the check failed (exit status 1): 2 agents: ..."). */
void html_check_status(html_check *h, size_t i, const char *name,
                       const char *status);
void html_check_verdict(html_check *h, const char *verdict);
/* How a budget in a Claude model's tokens became one in the counted
 * tokenizer (check_put_conversion()), said once under the verdict. */
void html_check_conversion(html_check *h, const char *text);
/* The CLAUDE.md files loaded on demand, listed apart: borrowed until the
 * page is written. */
void html_check_on_demand(html_check *h, const pa_on_demand_file *f, size_t n);
/* An instruction file with a cap (`instructions:`): a row of the page's
 * table of files, as every other format has it. */
void html_check_file(html_check *h, const char *path, size_t tokens, size_t cap);

/* Appends the page: the table (what fails first, estimates marked ~),
 * the warnings given, the agents' views. */
void html_check_page(const html_check *h, const pa_warnings *warned,
                     pa_buf *out);

#endif
