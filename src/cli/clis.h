/*
 * clis.h - the agent CLIs a command runs for: build, context, explain and
 * check take `--harness NAME[,NAME...]` (or `all`); without it the
 * config's `harness:` decides, else the CLI the table marks the default.
 * A CLI with agents or a main session (PA_HARNESS_SUPPORTS_AGENTS,
 * _MAIN_SESSION) is composed by the agent pipeline (pipeline.h); one with
 * a request (PA_HARNESS_SUPPORTS_REQUEST) by the library's table of CLIs
 * (pa_harness_* in promptasm.h), whose result request.h counts.  No
 * command asks which CLI runs: it asks what the CLIs support.
 */
#ifndef PA_CLI_CLIS_H
#define PA_CLI_CLIS_H

#include "cli.h"
#include "util.h"
#include "options.h"
#include "format.h"


/* The option ids of --harness and --project-doc-max-bytes, which
 * cli_pipeline_option() takes for build, context, explain and check; the
 * values of --harness are the names of the library's table of CLIs
 * (CLI_VALUE_CLI: completions.c offers them), so a CLI added there needs
 * nothing here. */
#define CLI_OPT_HARNESS 0x2f00
#define CLI_OPT_HARNESS_MAX_BYTES 0x2f01
#define CLI_HARNESS_OPT \
	{ "harness", required_argument, CLI_OPT_HARNESS, 0, CLI_VALUE_CLI, NULL }, \
	{ "project-doc-max-bytes", required_argument, CLI_OPT_HARNESS_MAX_BYTES, 0, CLI_VALUE_NONE, NULL }

/* Their help lines: a "%s" of the command's help format, which
 * cli_clis_help() fills. */
#define CLI_HARNESS_HELP "%s"
const char *cli_clis_help(void);

/* The names --harness takes, space-separated: every CLI of the table,
 * then `all`.  Static. */
const char *cli_clis_words(void);

/* The CLIs of a run, in the order given. */
typedef struct cli_clis {
	pa_harness_id ids[PA_HARNESS_COUNT];
	size_t n;
	int given;            /* from --harness */
	long long max_bytes;  /* --project-doc-max-bytes, else -1 */
	/* by id: the version run (--harness NAME@VERSION, else the config's)
	 * and Codex's profile (the config's), or NULL; borrowed from the
	 * option's value or the config */
	const char *version[PA_HARNESS_COUNT];
	const char *profile[PA_HARNESS_COUNT];
	char *owned[PA_HARNESS_COUNT]; /* the versions parsed here */
} cli_clis;

void cli_clis_init(cli_clis *c);
void cli_clis_release(cli_clis *c);
/* Takes --harness's value: names separated by commas (each NAME or
 * NAME@VERSION: the version run), or `all`.  Prints
 * the usage error and returns 0 on a bad one. */
int cli_clis_parse(cli_clis *c, const char *list);
/* After the pipeline started: without --harness, the config's
 * `harness:`, else the default CLI (PA_HARNESS_SUPPORTS_DEFAULT).  Refuses (a usage error printed,
 * 0 returned) --project-doc-max-bytes without Codex. */
int cli_clis_settle(cli_clis *c, const pa_config *cfg);
/* 1 when the run is for CLI id (an id read from the user's words, never
 * one named here: ask what the CLIs support instead). */
int cli_clis_has(const cli_clis *c, pa_harness_id id);
/* How many CLIs of the run support cap (PA_HARNESS_SUPPORTS_*): what a
 * command asks instead of which CLIs run. */
size_t cli_clis_count(const cli_clis *c, unsigned cap);
/* 1 and *id: the first CLI of the run that supports cap; else 0. */
int cli_clis_first(const cli_clis *c, unsigned cap, pa_harness_id *id);

/* An option given to the run (option, e.g. "--plugin-dir") that puts in
 * what only a row with cap has a place for (what): refused, naming the
 * first row of the run without it, never dropped for that row.  The
 * usage error printed and its exit code; else 0. */
int cli_clis_refuse_without(const cli_clis *c, unsigned cap, const char *option,
                            const char *what);

/* What a command asks of the CLIs of the run, refused by the capability
 * it needs: an agent given (agent, or NULL) where none supports agents,
 * --count-api where none supports Anthropic's count_tokens, a request
 * body (fmt) of an API a CLI of the run has no body for.  The usage
 * error printed and its exit code; else 0. */
int cli_clis_refused(const cli_clis *c, const char *agent, int count_api,
                     cli_format fmt);

#endif
