/*
 * backend.h - the agent CLIs, one backend each, in one table, as curl's
 * TLS backends are (struct Curl_ssl, available_backends[]).  Not
 * installed; included by harness.h.
 *
 * A backend is one file of src/discover/ holding everything promptasm
 * knows of that CLI: its row (below), its configuration files' rules
 * (Pa_cfg_rule, services.h), its discovery (what it reads from disk for a working directory
 * into an hx_found) and, where it sends files otherwise than whole, its
 * composition.  Pa_cli_backends[] lists the rows in pa_harness_id order;
 * pa_harness_name(), _parse(), _version(), _load() and _start_dirs()
 * (src/compose/harness.c) go through it and never switch on the id.
 * Claude Code's row (claude_code.c) is a row like the others: its
 * discover and compose functions give, through the table, what its main
 * session loads of the project; its agents and the rest of its session
 * are the library's other modules, which the commands reach by its
 * capabilities (PA_HARNESS_SUPPORTS_AGENTS, _MAIN_SESSION).
 *
 * The two rules that make the table work (as curl's): every backend file
 * ends with its full row, written with designated initializers (a field
 * left out is NULL or 0, said with a comment where it is a choice), and
 * no caller outside a backend's file names its id: the commands ask
 * pa_harness_supports(id, PA_HARNESS_SUPPORTS_X) or call through the row
 * (tests/suites/run-layers.sh fails on a PA_HARNESS_<CLI> named anywhere
 * else than promptasm.h's enum and that CLI's own file).
 *
 * Each CLI's measured figures (its own prompt and tools, in tokens) are
 * the rows of src/compose/harness_figures.inc with its id, written by
 * tests/oracle-harness/gen-figures.mjs from the recordings; a row whose
 * version is NULL takes the version of those recordings.
 *
 * Adding a CLI: docs/HACKING.md, "Adding an agent CLI".
 */
#ifndef PA_BACKEND_H
#define PA_BACKEND_H

#include "base/base.h"

struct hx_found;

/* Reads what the CLI reads for opt->cwd into f, which
 * Pa_hx_found_init() started (f->backend is the row). */
typedef pa_status (*Pa_cli_discover_fn)(struct hx_found *f,
                                        const pa_harness_options *opt,
                                        pa_warnings *warn, pa_error *err);
/* Sets what of each file found is sent (skip, sent, dropped, cut),
 * after every file of white space only was marked empty. */
typedef void (*Pa_cli_compose_fn)(struct hx_found *f);

typedef struct Pa_cli_backend {
	pa_harness_id id;          /* its row in Pa_cli_backends[] */
	const char *name;          /* "codex": --harness, `harness:` */
	const char *display;       /* "Codex CLI" */
	const char *version;       /* measured on; NULL: the figures' */
	const char *tokenizer;     /* its models' tokenizer, or NULL (none here) */
	const char *const *files;  /* the instruction file names it reads
	                            * (unless configured otherwise), NULL-ended */
	const char *const *others; /* other CLIs' file names it never reads,
	                            * noted where present; NULL-ended */
	const char *unread_hint;   /* why it never reads them, or NULL */
	const char *byte_cap;      /* its setting capping the project's
	                            * bytes, or NULL */
	/* A directory's own settings file of the CLI, which may name other
	 * files (".gemini/settings.json"): a start directory holds it or
	 * one of files; NULL when it has none. */
	const char *settings_name;
	/* What it supports: PA_HARNESS_SUPPORTS_* (promptasm.h), which the
	 * commands ask through pa_harness_supports() instead of asking
	 * which CLI runs. */
	unsigned supports;
	Pa_cli_discover_fn discover;
	Pa_cli_compose_fn compose;
} Pa_cli_backend;

/* The rows, in id order (backends.c): index i is id i. */
extern const Pa_cli_backend *const Pa_cli_backends[PA_HARNESS_COUNT];
/* The row of id, or NULL when id is none. */
const Pa_cli_backend *Pa_cli_backend_of(pa_harness_id id);
/* 1 when the row of id supports every bit of cap
 * (PA_HARNESS_SUPPORTS_*), else 0 (an id that is none: 0). */
int Pa_cli_supports(pa_harness_id id, unsigned cap);

/* The rows, one in each backend's file. */
extern const Pa_cli_backend Pa_cli_claude_code; /* claude_code.c */
extern const Pa_cli_backend Pa_cli_codex;
extern const Pa_cli_backend Pa_cli_copilot;
extern const Pa_cli_backend Pa_cli_gemini;
extern const Pa_cli_backend Pa_cli_opencode;
extern const Pa_cli_backend Pa_cli_qwen;
extern const Pa_cli_backend Pa_cli_pi;
extern const Pa_cli_backend Pa_cli_cline;
extern const Pa_cli_backend Pa_cli_kilo;

#endif
