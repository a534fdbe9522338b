/*
 * cmd_budget.h - the budget options that build, trim, check and explain
 * share, and how they meet the config file.  Flags override the config.
 */
#ifndef PA_CMD_BUDGET_H
#define PA_CMD_BUDGET_H

#include "cli.h"

#include <getopt.h>

enum {
	CLI_OPT_MARGIN = 0x1000,
	CLI_OPT_RESERVE,
	CLI_OPT_TRIM_BODY,
	CLI_OPT_FLOOR,
	CLI_OPT_CAP,
	CLI_OPT_KEEP,
	CLI_OPT_PRIORITY,
	CLI_OPT_NO_CONFIG
};

/* Entries for a getopt_long table (the short option is -b). */
#define CLI_BUDGET_LONGOPTS \
	{ "budget", required_argument, NULL, 'b' }, \
	{ "margin", required_argument, NULL, CLI_OPT_MARGIN }, \
	{ "reserve", required_argument, NULL, CLI_OPT_RESERVE }, \
	{ "trim-body", no_argument, NULL, CLI_OPT_TRIM_BODY }, \
	{ "floor", required_argument, NULL, CLI_OPT_FLOOR }, \
	{ "cap", required_argument, NULL, CLI_OPT_CAP }, \
	{ "keep", required_argument, NULL, CLI_OPT_KEEP }, \
	{ "priority", required_argument, NULL, CLI_OPT_PRIORITY }, \
	{ "no-config", no_argument, NULL, CLI_OPT_NO_CONFIG }

/* The help lines of those options (a printf format: %% is %). */
#define CLI_BUDGET_HELP \
	"  -b, --budget N          at most N tokens (overrides the config file)\n" \
	"      --margin P          share kept free when counts are estimates\n" \
	"                          (15%% or 0.15; default 15%%)\n" \
	"      --reserve N         tokens kept for the response\n" \
	"      --floor [MATCH=]N   always keep N tokens of the matching sections\n" \
	"      --cap [MATCH=]N     at most N tokens for the matching sections\n" \
	"      --keep [MATCH=]head|tail  which end of a section to keep\n" \
	"      --priority MATCH=N  trim order (lower first; memory 10, imports 20,\n" \
	"                          CLAUDE.md files 30, body 40)\n" \
	"      --no-config         ignore .promptasm.yaml\n"

typedef struct cli_budget {
	int has_budget;
	size_t budget;
	int has_margin;
	double margin;
	int has_reserve;
	size_t reserve;
	int trim_body;
	int no_config;
	pa_section_rule *rules;   /* from flags */
	size_t n_rules;
	char **strings;           /* the rules' match strings */
	size_t n_strings;
	pa_section_rule *all;     /* config rules, then flag rules */
	pa_config *cfg;           /* never NULL after cli_budget_load_config */
} cli_budget;

/* Handles getopt's c when it is a budget option: returns 1 when it was,
 * 0 when it is not one, -1 (after printing why) on a bad value. */
int cli_budget_option(cli_budget *b, int c, const char *arg, const char *usage);

/* Reads .promptasm.yaml of the project at cwd (NULL: the process's), or
 * an empty config with --no-config.  Prints the error; returns an exit
 * code. */
int cli_budget_load_config(cli_budget *b, const char *cwd, const char *home);

/* The spec for agent (NULL for trim): the config's settings, then the
 * flags'.  Returns 1 when there is a budget (flag, agent, default). */
int cli_budget_spec(cli_budget *b, const char *agent, const char *model,
                    pa_trim_spec *spec);

void cli_budget_release(cli_budget *b);

/* Parses a token count: digits, with optional `,` or `_` separators. */
int cli_parse_count(const char *s, size_t *out);

/* Appends v with thousands separators ("12,345"). */
void cli_put_thousands(pa_buf *out, size_t v);

/* Loads the tokenizer: -t, else -m, else the config's, else the model
 * (an agent's) when a tokenizer serves it, else the default.  *model_used
 * is the model that decides whether counts are estimates. */
pa_tokenizer *cli_budget_tokenizer(const cli_budget *b, const char *name,
                                   const char *model, const char *agent_model,
                                   const char **model_used, int *exit_code);

/* The note that counts are estimates and the margin applies. */
void cli_budget_note(const pa_tokenizer *tok, const pa_trim_report *rep);

/* For build's own option loop: when argv[*i] is a budget option (taking
 * its value from the next argument or after `=`), handles it and returns
 * 1; 0 when it is not one; -1 after printing a usage error. */
int cli_budget_argv(cli_budget *b, int argc, char **argv, int *i,
                    const char *usage);

/* build --budget: loads the config, picks the tokenizer (as check does)
 * and trims prompt in place.  Prints notes and errors; returns an exit
 * code (EXIT_OVER_BUDGET when it cannot fit). */
int cli_budget_build(cli_budget *b, pa_prompt *prompt, const pa_agent *agent,
                     const char *cwd, const char *home, const char *tok_name,
                     const char *model);

#endif
