/*
 * request.h - one agent CLI's first request as parts, the one model every
 * command reports for a CLI other than Claude Code: the same type for
 * every CLI, so that no command or report switches on which one it is.
 */
#ifndef PA_CLI_REQUEST_H
#define PA_CLI_REQUEST_H

#include "pipeline.h"

/* One part of a CLI's first request. */
typedef struct cli_part {
	const char *kind;           /* "system prompt", "tools", "wrapping",
	                             * "file" (a skill listed too) (static) */
	const pa_harness_file *file; /* a file's: borrowed from the request */
	size_t tokens;
	int measured;               /* the CLI's own text, measured */
} cli_part;

/* One CLI's first request, started in one directory. */
typedef struct cli_request {
	pa_harness_id id;
	pa_harness *h;
	const pa_harness_figures *fig;
	const char *tokenizer;      /* the name counted with */
	int estimate;               /* 1: not the tokenizer of its models */
	cli_part *parts;            /* its own text first, then every file read */
	size_t n;
	size_t total;               /* of the parts sent */
	size_t files_tokens;        /* of the files sent */
	size_t config_tokens;       /* of the text from its configuration
	                             * (in parts[0]): pa_harness_config_text() */
	size_t nsent;               /* files sent (or named) */
	size_t nskills;             /* skills listed (pa_harness_file.skill) */
	size_t skills_tokens;       /* of their entries in the listing */
	size_t skills_frame;        /* the listing's own words, measured */
	size_t project;             /* the project's part: its files and the
	                             * text they are wrapped in (what
	                             * budget_scope: prompt holds) */
	int cut;                    /* 1: it cuts, drops or cannot read a file */
} cli_request;

/* The options every load of id in this pipeline starts from: its
 * places and environment, the run's cache, the CLI's version and profile,
 * the levels the user left out (--no-user, --no-ancestors or the
 * config's load:) and the user's trust (--trust), so that each option
 * means the same for every row and every command that loads one. */
void cli_request_options(const cli_pipeline *p, pa_harness_id id,
                         pa_harness_options *o);

/* Loads and counts what id sends when started in cwd (NULL: the
 * pipeline's -C, else "."), with the pipeline's model, places and
 * CLIs (--project-doc-max-bytes), counted with the tokenizer of
 * cli_request_tokenizer() for the model it runs.
 * Prints the error and returns an exit code. */
int cli_request_load(cli_request *r, pa_harness_id id, const char *cwd,
                     cli_pipeline *p);
/* The same, the load's error left in *err (not printed); a tokenizer
 * that does not load is printed, *err left without a message. */
int cli_request_try(cli_request *r, pa_harness_id id, const char *cwd,
                    cli_pipeline *p, pa_error *err);
void cli_request_release(cli_request *r);

/* A file's state in the request: "sent", "cut", "dropped", "empty",
 * "named", "skill" (listed by its fields), "unread". */
const char *cli_file_state(const pa_harness_file *f);
/* 1 when f's text goes into the request (whole, cut, or its path). */
int cli_file_sent(const pa_harness_file *f);

/* The tokenizer CLI id's request is counted with, by the library's rule
 * (pa_harness_tokenizer_choose()): -t, else -m, else the config's
 * `tokenizer:`, else the CLI's models' when cli_model (the model it
 * runs) is one of them, else the default.  Each loaded once a run;
 * borrowed from p.  Prints the error; NULL with *code set. */
const pa_tokenizer *cli_request_tokenizer(cli_pipeline *p, pa_harness_id id,
                                          const char *cli_model, int *code);

/* The budget of request r, named name in `budgets:` ("codex:."), by the
 * session's one rule for every agent (pa_session_spec(): -b, else the
 * config's; its margin and reserve): 1 with *spec and *effective, what
 * r->total is held to (the reserve taken off, and the margin when its
 * counts are estimates); else 0. */
int cli_request_spec(const cli_pipeline *p, const cli_request *r,
                     const char *name, pa_trim_spec *spec, size_t *effective);

/* The warnings of a request: files the CLI never reads, each once per
 * run through the pipeline's list. */
void cli_request_warn(cli_pipeline *p, const cli_request *r);

#endif
