/*
 * check.h - `promptasm check`: what cmd_check.c finds, and the formats it
 * is reported in.
 *
 *     cmd_check.c     options, the agents checked, the comparison with a
 *                     baseline, the outcome and its exit status
 *     check_report.c  text, Markdown and JSON (the schema: promptasm(1),
 *                     JSON OUTPUT)
 *     check_ci.c      GitHub annotations and JUnit XML
 *
 * The outcome is decided once (check_tally()), so every format says the
 * same thing and the exit status agrees with all of them.
 */
#ifndef PA_CLI_CHECK_H
#define PA_CLI_CHECK_H

#include "pipeline.h"
#include "repopaths.h"

/* How an agent compares with the baseline (--baseline). */
typedef enum check_base {
	CHECK_BASE_NONE = 0,  /* no baseline given */
	CHECK_BASE_COMPARED,  /* base_tokens is its count there */
	CHECK_BASE_NEW,       /* not in the baseline */
	CHECK_BASE_OTHER      /* counted there with another tokenizer or scope:
	                       * not comparable (a warning says so) */
} check_base;

/* One section of an agent's prompt counted alone: the JSON output's
 * "sections", and with a baseline which file's tokens grew. */
typedef struct check_section {
	const char *kind;        /* pa_section_kind_name(): static */
	char *path;              /* as the prompt names it: relative to the project */
	char *file;              /* absolute; NULL when from no file */
	long line;               /* the line of that file where its text starts,
	                          * 0 when unknown */
	long changed;            /* with --baseline-dir, for the section that grew
	                          * most: the first line of the file that differs
	                          * from the baseline's copy; 0 when not known */
	size_t tokens;
	long long change;        /* with a baseline that has the agent's sections:
	                          * tokens less the baseline's for this kind and
	                          * path (all of them for a file new there) */
} check_section;

/* One agent checked. */
typedef struct check_agent {
	char *name;
	char *path;
	const char *tokenizer;   /* borrowed from the pipeline */
	char *model;             /* the model counted for; NULL with -t */
	int exact;
	double band_low, band_high;   /* estimates: pa_assembly_band() */
	size_t tokens;           /* what the budget holds: the prompt or the context */
	size_t prompt_tokens;    /* the prompt, counted whole */
	size_t whole;            /* a request row's whole first request (what
	                          * the window holds); 0 for an agent */
	pa_context_estimate *context;
	size_t window;           /* the model's context window, 0 when unknown */
	int has_budget;
	size_t budget, effective, reserve;
	double margin;
	int over;                /* over its budget */
	int over_window;         /* its whole context is over the model's window,
	                          * whatever the budget: a failure too */
	check_base base;
	size_t base_tokens;
	int grew;                /* grew past the maximum growth */
	check_section *sections; /* counted for JSON and with a baseline */
	size_t nsections;
	int attributed;          /* the sections' changes are known */
	size_t listing;          /* its line in the main session's agents listing */
	int has_listing;         /* 1 when the main session was estimated */
	int main_part;           /* 1: a row of the main session (`main:`), not an agent */
	long line, column;       /* in path, where the row's failure points (a
	                          * `main:` row's key in the config); 0: its start */
	char *note;              /* what a main-session row names (the agent
	                          * whose listing line grew most); NULL */
	pa_harness_id cli;       /* the agent CLI the row is of */
	int request;             /* 1: a CLI's first request started in a
	                          * directory (check_clis.c); 0: an agent or
	                          * a part of the main session */
	char *cut;               /* another CLI than Claude Code cuts, drops
	                          * or cannot read a file of its first request:
	                          * what it does, one line; NULL: none */
	char *cut_path;          /* that file, absolute; NULL: none */
	long cut_line, cut_column;
	char *cut_text;          /* the first lines not sent, from the cut:
	                          * at most CHECK_CUT_LINES lines of at most
	                          * CHECK_CUT_WIDTH bytes ("..." when longer),
	                          * each ending in '\n', as read (print them
	                          * quoted); NULL: none */
	char *load_cut;          /* Claude Code's own load rule leaves the end
	                          * of a file of the agent's out (its MEMORY.md
	                          * past 200 lines or 25,000 characters): the
	                          * file as shown, with cut_path, cut_line,
	                          * cut_column and cut_text as for a cut; not a
	                          * failure.  NULL: none */
} check_agent;

#define CHECK_CUT_LINES 3
#define CHECK_CUT_WIDTH 80

/* The first CHECK_CUT_LINES lines of s (len bytes), as cut_text holds
 * them (check_clis.c). */
char *check_cut_lines(const char *s, size_t len);

/* An agent of the baseline this run did not find. */
typedef struct check_gone {
	const char *name;        /* borrowed from the baseline */
	size_t tokens;
} check_gone;

/* An instruction file with a cap (`instructions:`). */
typedef struct check_file {
	char *path;
	size_t tokens, cap;
} check_file;

/* An agent file that does not load: an error, or with --skip-invalid a
 * warning. */
typedef struct check_skipped {
	char *path;          /* as shown */
	long line, column;   /* 0 when unknown */
	char *reason;
	int incomplete;      /* a file left unread (a limit, a name), which may
	                      * be a rule or an import: not "an agent file" */
	int always;          /* fails the check even with --skip-invalid: the
	                      * walk of another CLI's start directories stopped */
} check_skipped;

typedef struct check_report {
	check_agent *agents;
	size_t nagents;
	check_file *files;
	size_t nfiles;
	check_skipped *skipped;
	size_t nskipped;
	/* The CLAUDE.md files Claude Code loads on demand (below the working
	 * directory, when a file there is read): in no agent's count. */
	pa_on_demand_file *on_demand;
	size_t n_on_demand;
	const pa_warnings *warnings;  /* every other warning, once each */
	pa_budget_scope scope;
	int strict;                   /* warnings fail the check */
	int skip_invalid;             /* agent files that do not load are warnings */
	int estimates;                /* some count is an estimate */
	int margin_set;               /* --margin or margin: set the margin of
	                              * estimates, not the band */
	const char *baseline_file;    /* --baseline, or NULL */
	const char *baseline_dir;     /* --baseline-dir: the project as the
	                               * baseline counted it, or NULL */
	Pa_baseline *baseline;
	Pa_growth_limit max_growth;   /* --max-growth, else the config's */
	check_gone *gone;             /* only when every agent was checked */
	size_t ngone;
	cli_repo_paths paths;         /* for annotations */
} check_report;

/* The outcome, counted once for every format. */
typedef struct check_tally {
	size_t ok, over, files_over;  /* every row: the agents and the main
	                               * session's budgeted parts */
	size_t agents, main_rows;     /* the rows that are agents, and not */
	size_t main_ok, main_over;    /* of the main session's rows */
	size_t over_window;  /* agents over the model's window, budget or not */
	size_t cut;          /* rows whose CLI cuts or drops a file */
	size_t clis;         /* rows of other CLIs than Claude Code */
	size_t cli_ok, cli_over; /* of those rows */
	int mixed;           /* rows of more than one CLI: tables name it */
	size_t grew, new_agents, not_compared; /* with a baseline */
	size_t agents_grew, main_grew, cli_grew; /* grew, of each kind of row */
	size_t skipped, warnings;
	int invalid;         /* agent files that do not load, and that is an error */
	int warnings_fail;   /* --strict and some warning */
	const char *status;  /* "ok", "over" (a budget or cap), "failed"
	                      * (growth past the maximum, --strict), "error"
	                      * (invalid agent files) */
	int exit_code;
} check_tally;

void check_tally_of(const check_report *r, check_tally *t);

/* How a budget in Claude tokens becomes one in the counted tokenizer,
 * once for each conversion the rows use: "budgets are in a current
 * Claude model's tokens; counted with claude for M, one holds for 1.72
 * times the count (...): 3,000 is 1,744 claude tokens".  Nothing when no
 * row is an estimate with a budget. */
void check_put_conversion(pa_buf *out, const check_report *c);
/* How an agent's effective budget came from its budget: "margin 41.9%",
 * "reserve 4,000, margin 15%"; nothing when they are the same. */
void check_put_why(pa_buf *out, const check_agent *a);
/* An agent's budget as given, with the effective one beside it when it
 * differs: "3,000 (effective 1,744: margin 41.9%)". */
void check_put_budget(pa_buf *out, const check_agent *a);
/* 1 when the budgets of some row hold Claude Code's whole context, an
 * estimate of its version's figures: budget_scope: context and an agent,
 * a main-session row or the first request of a CLI whose main session is
 * estimated (PA_HARNESS_SUPPORTS_MAIN_SESSION: Claude Code's).  A run of other
 * CLIs' first requests alone holds their own measured figures, and says
 * nothing of Claude Code's. */
int check_holds_claude_context(const check_report *c);
/* The tokens of the files loaded on demand (check_report.on_demand). */
size_t check_on_demand_tokens(const check_report *c);

/* The change of an agent's count over its baseline: "+120 (+4.1%)",
 * "-3 (-0.2%)", "0", "new" or "n/a". */
void check_put_change(pa_buf *out, const check_agent *a);

/* The section of a that grew most since the baseline, or NULL when none
 * grew or that is not known. */
const check_section *check_grown_most(const check_agent *a);

/* An agent's status word: "over" (its budget or the model's context
 * window), "grew" or "ok". */
const char *check_agent_status(const check_agent *a);

/* What an agent over the model's window is told, one line: "NAME is over
 * the model's context window: its whole context is about N tokens > W". */
void check_put_window(pa_buf *out, const check_agent *a);

/* The verdict's first words, the same in every format: "N agents: x ok,
 * y over budget; main session: ...; codex: N start directories, x ok, y
 * over budget, z cut". */
void check_put_summary(pa_buf *out, const check_report *c, const check_tally *t);

/* `file:line:column` of a skipped file, as much as is known. */
void check_put_location(pa_buf *out, const check_skipped *s);

/* The rows of another CLI than Claude Code (check_clis.c): one for each
 * directory a user may start it in (the root, each directory holding a
 * file it reads, and the working directory), its first request counted
 * against the budget (-b, else `budgets:` for the row's name, such as
 * `codex:*`, else `budget:`) and the model's window, and whether it cuts
 * or drops a file.  Returns an exit code (an error printed). */
struct html_check;
int check_cli_rows(check_report *r, cli_pipeline *p, pa_harness_id id,
                   int want_sections, struct html_check *html);

/* The row's CLI, as its name: "claude-code", "codex" ... */
const char *check_cli_name(const check_agent *a);

/* The formats; each appends the whole report to out. */
void check_out_text(const check_report *r, const check_tally *t, pa_buf *out);
void check_out_json(const check_report *r, const check_tally *t, pa_buf *out);
void check_out_markdown(const check_report *r, const check_tally *t, pa_buf *out);
void check_out_github(const check_report *r, const check_tally *t, pa_buf *out);
void check_out_junit(const check_report *r, const check_tally *t, pa_buf *out);

#endif
