/*
 * pipeline.h - the one path every agent command takes:
 *
 *     flags + .promptasm.yaml -> tokenizer choice -> compose -> count
 *         -> trim -> render
 *
 * build, explain, check, trim and agents parse their shared options with
 * cli_pipeline_option(), start the pipeline once, and run each agent
 * through cli_pipeline_run(); none of them repeats a step, so they agree
 * on the tokenizer, the files loaded and the count.  Flags override the
 * config file.
 */
#ifndef PA_CLI_PIPELINE_H
#define PA_CLI_PIPELINE_H

#include "cli.h"
#include "util.h"

#include "options.h"
#include "clis.h"

enum {
	CLI_OPT_MARGIN = 0x1000,
	CLI_OPT_RESERVE,
	CLI_OPT_TRIM_BODY,
	CLI_OPT_FLOOR,
	CLI_OPT_CAP,
	CLI_OPT_KEEP,
	CLI_OPT_PRIORITY,
	CLI_OPT_NO_CONFIG,
	CLI_OPT_NO_MANAGED,
	CLI_OPT_MANAGED_FILE,
	CLI_OPT_NO_USER,
	CLI_OPT_NO_ANCESTORS,
	CLI_OPT_APPROVE_IMPORTS,
	CLI_OPT_FOR_FILE,
	CLI_OPT_MEMORY_TEMPLATE,
	CLI_OPT_NO_AUTO_MEMORY,
	CLI_OPT_TRUST,
	CLI_OPT_MAX_ENTRIES,
	CLI_OPT_PLUGIN_DIR,
	CLI_OPT_FIRST_OWN = 0x2000 /* a command's own options start here */
};

/* Option table entries (options.h): the tokenizer (-t, -m), quiet and
 * help. */
#define CLI_COMMON_OPTS \
	{ "tokenizer", required_argument, 't', 't', CLI_VALUE_TOKENIZER, NULL }, \
	{ "model", required_argument, 'm', 'm', CLI_VALUE_MODEL, NULL }, \
	{ "quiet", no_argument, 'q', 'q', CLI_VALUE_NONE, NULL }, \
	{ "help", no_argument, 'h', 'h', CLI_VALUE_NONE, NULL }, \
	{ "no-config", no_argument, CLI_OPT_NO_CONFIG, 0, CLI_VALUE_NONE, NULL }

/* What to compose: the project and the loading rules. */
#define CLI_COMPOSE_OPTS \
	{ "project", required_argument, 'C', 'C', CLI_VALUE_DIR, NULL }, \
	{ "no-managed", no_argument, CLI_OPT_NO_MANAGED, 0, CLI_VALUE_NONE, NULL }, \
	{ "managed-file", required_argument, CLI_OPT_MANAGED_FILE, 0, CLI_VALUE_FILE, NULL }, \
	{ "no-user", no_argument, CLI_OPT_NO_USER, 0, CLI_VALUE_NONE, NULL }, \
	{ "no-ancestors", no_argument, CLI_OPT_NO_ANCESTORS, 0, CLI_VALUE_NONE, NULL }, \
	{ "approve-imports", no_argument, CLI_OPT_APPROVE_IMPORTS, 0, CLI_VALUE_NONE, NULL }, \
	{ "no-auto-memory", no_argument, CLI_OPT_NO_AUTO_MEMORY, 0, CLI_VALUE_NONE, NULL }, \
	{ "for-file", required_argument, CLI_OPT_FOR_FILE, 0, CLI_VALUE_FILE, NULL }, \
	{ "memory-template", required_argument, CLI_OPT_MEMORY_TEMPLATE, 0, CLI_VALUE_FILE, NULL }, \
	{ "trust", no_argument, CLI_OPT_TRUST, 0, CLI_VALUE_NONE, NULL }, \
	{ "max-entries", required_argument, CLI_OPT_MAX_ENTRIES, 0, CLI_VALUE_NONE, NULL }, \
	{ "plugin-dir", required_argument, CLI_OPT_PLUGIN_DIR, 0, CLI_VALUE_DIR, NULL }

/* The budget and the trimming rules (CLI_BUDGET_LIMIT_OPTS: the budget
 * alone). */
#define CLI_BUDGET_OPTS \
	CLI_BUDGET_LIMIT_OPTS, \
	CLI_TRIM_OPTS(CLI_VALUE_NONE, CLI_VALUE_WORDS)
#define CLI_BUDGET_LIMIT_OPTS \
	{ "budget", required_argument, 'b', 'b', CLI_VALUE_NONE, NULL }, \
	{ "margin", required_argument, CLI_OPT_MARGIN, 0, CLI_VALUE_NONE, NULL }, \
	{ "reserve", required_argument, CLI_OPT_RESERVE, 0, CLI_VALUE_NONE, NULL }

/* The trimming rules; check passes CLI_VALUE_REFUSED twice: it takes them
 * only to say why they do not apply. */
#define CLI_TRIM_OPTS(value, words) \
	{ "trim-body", no_argument, CLI_OPT_TRIM_BODY, 0, value, NULL }, \
	{ "floor", required_argument, CLI_OPT_FLOOR, 0, value, NULL }, \
	{ "cap", required_argument, CLI_OPT_CAP, 0, value, NULL }, \
	{ "keep", required_argument, CLI_OPT_KEEP, 0, words, "head tail" }, \
	{ "priority", required_argument, CLI_OPT_PRIORITY, 0, value, NULL }

/* -o FILE, for a command that writes a report (explain, context, check):
 * the report goes to FILE through cli_pipeline_write(), which refuses an
 * input of the run as build and trim do. */
#define CLI_OUTPUT_OPT \
	{ "output", required_argument, 'o', 'o', CLI_VALUE_FILE, NULL }
#define CLI_OUTPUT_HELP \
	"  -o, --output FILE       write FILE (atomically) instead of stdout\n"

/* The help lines of those options. */
#define CLI_COMMON_HELP \
	"  -t, --tokenizer NAME    count with tokenizer NAME (default: the config's,\n" \
	"                          else the one of the model the agent runs on:\n" \
	"                          its model:, else Claude Code's default)\n" \
	"  -m, --model MODEL       count with the tokenizer that serves MODEL\n" \
	"      --no-config         ignore .promptasm.yaml\n" \
	"  -q, --quiet             no warnings or notes\n" \
	"  -h, --help              this help\n"

#define CLI_COMPOSE_HELP \
	"  -C, --project DIR       compose as if started in DIR\n" \
	"      --for-file PATH     load the rules whose paths: match PATH (repeat)\n" \
	"      --no-managed        leave out the managed policy file\n" \
	"      --managed-file FILE read the managed policy from FILE\n" \
	"      --no-user           leave out the user's own instruction files (every CLI's)\n" \
	"      --no-ancestors      read CLAUDE.md files from the repository root down\n" \
	"      --approve-imports   load @imports from outside the working directory\n" \
	"      --no-auto-memory    leave out the main session's auto memory\n" \
	"      --memory-template FILE  the wording of the memory section\n" \
	"      --trust             run what Claude Code runs in a trusted folder:\n" \
	"                          hooks, MCP servers, git status, skill commands\n" \
	"      --max-entries N     read at most N directory entries in a walk of the\n" \
	"                          project (default 2000000), else fail\n" \
	"      --plugin-dir DIR    load the plugin (or folder of plugins) DIR as\n" \
	"                          Claude Code's --plugin-dir does (repeat)\n"

#define CLI_BUDGET_HELP \
	"  -b, --budget N          at most N tokens (overrides the config file)\n" \
	"      --margin P          share kept free when counts are estimates\n" \
	"                          (15%% or 0.15; default: the band's upper end)\n" \
	"      --reserve N         tokens kept for the response\n" \
	"      --trim-body         the agent's body may be trimmed too\n" \
	"      --floor [MATCH=]N   always keep N tokens of the matching sections\n" \
	"      --cap [MATCH=]N     at most N tokens for the matching sections\n" \
	"      --keep [MATCH=]head|tail  which end of a section to keep\n" \
	"      --priority MATCH=N  trim order (lower first; memory 10, imports 20,\n" \
	"                          CLAUDE.md files 30, body 40)\n"

typedef struct cli_pipeline {
	/* From the flags. */
	const char *tok_name, *model;
	pa_compose_options opt;
	const char *template_file;
	const char **for_files;
	size_t n_for_files;
	char **plugin_dirs;       /* --plugin-dir, real paths */
	size_t n_plugin_dirs;
	int no_config;
	const char *output;       /* -o FILE, or NULL: standard output */
	int has_budget;
	size_t budget;
	pa_trim_overrides trim;   /* --margin, --reserve, --trim-body, rules */
	pa_section_rule *rules;   /* from flags (trim.rules points here) */
	size_t n_rules;
	cli_clis clis;            /* --harness; settled by cli_pipeline_start():
	                           * the config's harness: else Claude Code */
	/* Set by cli_pipeline_start(). */
	pa_session *session;      /* the library's one path (promptasm.h) */
	const pa_config *cfg;     /* the session's; never NULL once started */
	pa_buf template;
	char *user_config;        /* where the user's config lies, or NULL */
	pa_harness_cache *harness_cache; /* what the other CLIs' loads share
	                           * with the session's composes: each file
	                           * opened once a run (the session's) */
	pa_tokenizer **request_toks; /* the CLIs' requests', each loaded once
	                           * a run (cli_request_tokenizer()): a CLI's
	                           * depends on the model each start runs */
	size_t n_request_toks;
	char **inputs;            /* every file the run read that -o must not
	                           * replace (cli_pipeline_input()) */
	size_t n_inputs;
	Pa_strset inputs_set;     /* the same, each once */
	pa_warnings warned;       /* every warning so far, once each */
	Pa_strset warned_set;      /* their messages */
	/* Set by the command.  check reports agent files that do not load
	 * itself (an error unless --skip-invalid): when skipped is set,
	 * warnings of kind PA_WARNING_AGENT_SKIPPED go to it instead. */
	void (*skipped)(void *ctx, const pa_warning *w);
	void *skipped_ctx;
	int warn_always;          /* print warnings even with -q (--strict) */
	int warn_never;           /* keep them, print none: the report shows
	                           * each (check --format github) */
	/* Set by a command that composes many agents, before
	 * cli_pipeline_start(): PA_SESSION_MANY. */
	int many;
	/* Set by a command that reads Claude Code's agents alone (agents,
	 * completions' agent names), before cli_pipeline_start(): the CLIs
	 * of the config's harness: are no rows of it, so an option only
	 * Claude Code's row takes is not refused for them. */
	int claude_only;
} cli_pipeline;

/* Starts p for a command. */
void cli_pipeline_init(cli_pipeline *p);

/* Handles getopt's c when it is a shared option: returns 1 when it was,
 * 0 when it is not one, -1 (after printing why) on a bad value. */
int cli_pipeline_option(cli_pipeline *p, int c, const char *arg);

/* After the flags: reads the memory template and starts the session
 * (which reads .promptasm.yaml and applies its `load:`).  Prints errors;
 * returns an exit code. */
int cli_pipeline_start(cli_pipeline *p);

void cli_pipeline_release(cli_pipeline *p);

/* Notes path (NULL: nothing) as an input of the run: cli_pipeline_write()
 * never replaces it.  The pipeline notes its own (the configs, the memory
 * template, each agent's file and its sections' files, each other CLI's
 * files); a command adds what it reads besides (check's baseline). */
void cli_pipeline_input(cli_pipeline *p, const char *path);

/* Notes the files of the main session's parts (their paths relative to
 * the project root, or ~/) as inputs of the run. */
void cli_pipeline_main_inputs(cli_pipeline *p, const pa_main_session *s);

/* Warns about each `budgets:` entry that applies to none of names (the
 * rows of a check of every agent: the agents' names, the other CLIs'
 * `codex:DIR`), with the name nearest it: a typo gives no budget, in
 * silence.  An entry for a CLI the run is not for (`codex:*` without
 * codex), or for Claude Code's agents in a run without them, is not
 * judged. */
void cli_pipeline_budgets_unmatched(cli_pipeline *p, const char *const *names,
                                    size_t n);

/* Writes the report to p->output (atomically), or to standard output
 * when there is none; a p->output that is an input of the run
 * (cli_write_output()) is refused: those noted, and every configuration
 * file the run's compositions read for Claude Code
 * (pa_compose_cache_input_at(): its settings files).  Prints errors;
 * returns an exit code. */
int cli_pipeline_write(cli_pipeline *p, const char *data, size_t len);
/* The same to path (NULL: standard output), for a command that keeps its
 * -o apart. */
int cli_pipeline_write_to(cli_pipeline *p, const char *path, const char *data,
                          size_t len);

/* The tokenizer of the main session (`context`, check's `main:`): as for
 * an agent without `model:`, so the session's model decides.  Borrowed
 * from p.  Prints errors; NULL with *code set on failure. */
const pa_tokenizer *cli_main_session_tokenizer(cli_pipeline *p, int *estimate,
                                               int *code);

/* The margin of the main session's budgets (check's main: and its
 * claude-code:. row, context -b): its counts are estimates whatever the
 * tokenizer, Claude Code's own text being figures measured in claude
 * tokens, so the margin is --margin's, else the config's, else the one
 * the upper end of the band of model (the session's) makes; *low and
 * *high are that band.  Prints errors; returns an exit code. */
int cli_main_session_margin(const cli_pipeline *p, const char *model,
                            double *low, double *high, double *margin);

/* The main session's budgets (`main:` in the config), one home for what
 * each holds, so that check's rows and context's exit status agree: fn is
 * called for each budget set, with check's name of its row, its key in
 * `main:` (where pa_config_entry_at() finds it), the part of s
 * it holds (-1: the whole request, `total`), the item (`agent`: each
 * agent's listing line over it, else NULL), the tokens held, the budget
 * and the reserve taken off it (--reserve, else the config's, for
 * `total`, the whole first request, as for the claude-code:. row; none
 * for a part).  `agent` has a row for each line over its budget less
 * margin (the estimate's, cli_main_session_margin()), as every row is
 * held.  s NULL: only counts them.  Returns how many are set. */
typedef void (*cli_main_budget_fn)(void *ctx, const char *name,
                                   const char *key, int part,
                                   const pa_main_item *item, size_t tokens,
                                   size_t budget, size_t reserve);
size_t cli_main_budgets(const cli_pipeline *p, const pa_main_session *s,
                        double margin, cli_main_budget_fn fn, void *ctx);

/* What a budget of the main session's first request holds of s, by
 * budget_scope, one home for check's claude-code:. row and context's
 * -b: the whole request, or the project's part (the lines of its agents
 * and skills in the listings, the instruction files with their wrapper,
 * MCP servers' tools: not Claude Code's system prompt, tools,
 * environment, built-in agents and skills), as of every CLI's first
 * request. */
size_t cli_main_session_held(const pa_main_session *s, pa_budget_scope scope);

/* What a `main:` budget holds the session to: the budget less the
 * reserve and the margin of its estimate (cli_main_session_margin()). */
size_t cli_main_budget_effective(size_t budget, size_t reserve, double margin);

/* The tokenizer for agent (NULL: none, as for `trim`), by the one rule
 * (pa_session_tokenizer()); *estimate tells whether its counts are
 * estimates.  Borrowed from p.  Prints errors; NULL with *code set on
 * failure. */
const pa_tokenizer *cli_pipeline_tokenizer(cli_pipeline *p,
                                           const pa_agent *agent,
                                           int *estimate, int *code);

/* Prints warnings on stderr, each once per run of the program, and keeps
 * them in p->warned (for a JSON report of all agents); those of agent
 * files that do not load go to p->skipped when it is set. */
void cli_pipeline_warn(cli_pipeline *p, const pa_warnings *w);

/* What cli_pipeline_run() does beyond compose and count. */
enum {
	CLI_RUN_TRIM = PA_ASSEMBLE_TRIM,
	CLI_RUN_HEAVY = PA_ASSEMBLE_HEAVY,
	CLI_RUN_CONTEXT = PA_ASSEMBLE_CONTEXT,
	CLI_RUN_UNTRIMMED = PA_ASSEMBLE_UNTRIMMED
};

/* One agent through the pipeline: the library's assembly, and views of
 * it that the commands read (all borrowed from a, valid until
 * cli_run_release()). */
typedef struct cli_run {
	pa_assembly *a;
	const pa_agent *agent;
	pa_prompt *prompt;
	const pa_warnings *warn;    /* of finding and composing it */
	const pa_tokenizer *tok;
	const char *model;          /* decides whether counts are estimates */
	int estimate;               /* decided where the tokenizer was picked */
	size_t tokens;              /* the composed prompt, untrimmed */
	int has_budget;
	const pa_trim_spec *spec;
	const pa_trim_report *report; /* CLI_RUN_TRIM */
	pa_status trim_status;      /* PA_OK or PA_ERR_OVER_BUDGET */
	const pa_heavy_block *heavy; /* CLI_RUN_HEAVY */
	size_t nheavy;
	const char *cc_model;       /* the model Claude Code runs the agent on */
	double band_low, band_high; /* estimates: the band of cc_model's count
	                             * (pa_assembly_band()); else 1 and 1 */
	const pa_context_estimate *context; /* CLI_RUN_CONTEXT */
	pa_buf text;                /* the rendered prompt, trimmed (a view) */
} cli_run;

/* Runs the agent named by arg (a name or a file), or of entry when arg
 * is NULL.  Prints the error (warnings stay in r->warn for the caller);
 * returns an exit code.  Release r with cli_run_release() either way. */
int cli_pipeline_run(cli_pipeline *p, const char *arg,
                     pa_agent_entry *entry, unsigned what,
                     size_t heavy_top, cli_run *r);
void cli_run_release(cli_run *r);

/* The same for Claude Code's main session (pa_session_assemble_main()):
 * what it loads of the project, its budget the one budgets: gives name
 * ("claude-code:."). */
int cli_pipeline_run_main(cli_pipeline *p, const char *name, unsigned what,
                          size_t heavy_top, cli_run *r);

/* The steps after counting (CLI_RUN_HEAVY, CLI_RUN_TRIM and
 * CLI_RUN_UNTRIMMED) for a run that has not taken them: check takes its
 * own figures from the untrimmed prompt first.  Prints the error; returns
 * an exit code. */
int cli_run_more(cli_run *r, unsigned what, size_t heavy_top);

/* budget_scope: context (the config's) holds the whole context Claude
 * Code gives an agent, as check's row of it does: for a run r taken with
 * CLI_RUN_CONTEXT and CLI_RUN_TRIM, its whole context with the prompt as
 * trimmed, against the budget less the reserve and the margin (the whole
 * context is an estimate).  Prints the error and returns 1 when it is
 * over; 0 otherwise, and for a run without a budget or a context. */
int cli_run_context_over(const cli_pipeline *p, const cli_run *r);

/* The note that counts are estimates and the margin applies. */
void cli_pipeline_note(const pa_tokenizer *tok, const pa_trim_report *rep);
/* Appends, when the effective budget differs from the one asked,
 * " (effective 5: reserve 100, margin 41.9%)"; nothing otherwise. */
void cli_put_effective(pa_buf *out, const pa_trim_report *rep);
/* The same note for an agent's run, with the band its budget holds for. */
void cli_run_note(const cli_run *r);
/* Appends, for an estimate, "claude-opus-5-5 may count 1.23 to 1.72
 * times this: 7,348 to 10,275" of tokens (nothing for an exact count). */
void cli_put_band(pa_buf *out, const cli_run *r, size_t tokens);

/* Parses a token count: digits, with optional `,` or `_` separators, at
 * most PA_COUNT_MAX.  Returns 1, else 0. */
int cli_parse_count(const char *s, size_t *out);

/* The usage error for arg, refused by cli_parse_count() as --option's
 * value: `--option takes at most N` when it is a count past the limit,
 * else `--option needs <needs>`.  Returns EXIT_USAGE. */
int cli_count_error(const char *option, const char *needs, const char *arg);

#endif
