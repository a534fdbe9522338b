/*
 * body.h - a request body of what promptasm composes (-f anthropic,
 * anthropic-count, openai), the one writer for every agent CLI: an
 * agent's prompt, Claude Code's main session, another CLI's first
 * request.  The caller says what goes where (the parts its CLI places in
 * the system prompt, those it places in the first user message before
 * the task); the writer knows the APIs' shapes and nothing of the CLI.
 * The CLI's own text (its system prompt, its tools) is never in a body:
 * promptasm has its measured size, not its words.
 */
#ifndef PA_CLI_BODY_H
#define PA_CLI_BODY_H

#include "format.h"
#include "cli.h"
#include "util.h"

/* What build's flags and config say of every body. */
typedef struct cli_body_opts {
	const char *api_model;  /* --api-model, else the config's api_model:;
	                         * NULL: the model run, where the API serves it */
	const pa_buf *task;     /* --message: the last text of the user message */
	size_t max_tokens;      /* --max-tokens when has_max_tokens */
	int has_max_tokens;
	int cache;              /* --cache */
} cli_body_opts;

/* One body: its texts are borrowed. */
typedef struct cli_body {
	cli_format fmt;         /* CLI_FMT_ANTHROPIC, _ANTHROPIC_COUNT, _OPENAI */
	const char *model;      /* the model it names (cli_body_model()) */
	const pa_buf *system;   /* placed in the system prompt (may be empty) */
	const pa_buf *user;     /* placed in the first user message before the
	                         * task, our line introducing it included
	                         * (empty: none) */
	const pa_buf *after;    /* placed after the task, as a text block of
	                         * its own (what SubagentStart hooks send);
	                         * NULL or empty: none */
	const pa_buf *whole;    /* openai: the system message, all of it */
} cli_body;

/* 1 when f is a request body's format. */
int cli_format_is_body(cli_format f);

/* The model a body of format fmt names: o->api_model as written; else
 * model (the one the CLI or the agent runs on) when the format's API
 * serves it (judged by the model a gateway id names).  Else NULL after
 * printing the mismatch with its fix; from_flag says -m named model,
 * else whose names what runs on it ("rev", "codex"). */
const char *cli_body_model(cli_format fmt, const cli_body_opts *o,
                           const char *model, int from_flag, const char *whose);

/* Appends body b, with o's task, max tokens and caching, to out:
 * EXIT_OK.  --cache marks b's system prompt, else the user message's
 * text before the task; with neither, nothing is written and it returns
 * EXIT_USAGE after saying why. */
int cli_body_write(pa_buf *out, const cli_body *b, const cli_body_opts *o);

#endif
