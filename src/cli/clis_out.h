/*
 * clis_out.h - build, context and explain for the agent CLIs other than
 * Claude Code (clis_out.c): each CLI's request (clis.h) rendered by one
 * reporter per format, the same for every CLI.
 */
#ifndef PA_CLI_CLIS_OUT_H
#define PA_CLI_CLIS_OUT_H

#include "request.h"
#include "format.h"
#include "body.h"

typedef enum cli_clis_what {
	CLI_CLIS_BUILD,    /* the files as sent: text, json, html, and the
	                    * request bodies */
	CLI_CLIS_CONTEXT,  /* the first request part by part: text, json,
	                    * markdown (json in the shape of Claude Code's) */
	CLI_CLIS_EXPLAIN   /* the files heaviest first: text, json */
} cli_clis_what;

/* The number of CLIs of the run whose request the library's table
 * composes (PA_HARNESS_SUPPORTS_REQUEST). */
size_t cli_clis_others(const cli_pipeline *p);

/* Appends what each CLI of the run whose request the table composes
 * gets to out (which may hold an agent's or a main session's already, in
 * text or Markdown), then writes out to output (NULL: standard output;
 * never over a file the requests were made of).  fmt is the command's
 * -f; body the request body's settings (build's; NULL for the others).
 * Prints errors; returns an exit code (context: 1 when a request is over
 * -b). */
int cli_clis_report(cli_clis_what what, cli_format fmt,
                    const cli_body_opts *body, cli_pipeline *p,
                    const char *output, pa_buf *out);

/* For a run of several CLIs given no agent: a note for each CLI of
 * agents (PA_HARNESS_SUPPORTS_AGENTS) that its request is its main
 * session, which context reports. */
void cli_clis_note_no_agent(const cli_pipeline *p);

/* Trimming rules (--floor, --cap, --keep, --priority, --trim-body, the
 * config's sections:) for a run none of whose CLIs supports trimming
 * (PA_HARNESS_SUPPORTS_TRIM): the usage error printed, naming the CLI,
 * and its exit code; else 0. */
int cli_clis_trim_refused(const cli_pipeline *p);

/* The error of a first request over its budget, the same for every CLI:
 * "the first request of CLI is over budget: WHAT TOKENS tokens, ...",
 * with the effective budget and why it differs (the reserve, the margin
 * of estimates) and why (NULL: nothing) after it. */
void cli_over_budget_error(const char *cli, const char *what, size_t tokens,
                           const pa_trim_spec *spec, size_t effective,
                           int estimate, const char *why);

#endif
