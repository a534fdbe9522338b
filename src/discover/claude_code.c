/*
 * claude_code.c - Claude Code's row of the table of agent CLIs
 * (backend.h), with its discovery and composition as the table's other
 * rows give theirs.
 *
 * Claude Code's knowledge is the rest of this folder (its settings,
 * plugins, MCP servers, hooks, agents, skills, instruction files, memory:
 * claude_code.h) and of compose/ (its agents' prompts, its main
 * session); the commands reach them through the capabilities of its row
 * (PA_HARNESS_SUPPORTS_AGENTS, _MAIN_SESSION).  Through the table
 * (pa_harness_load()) it gives what its main session loads of the
 * project: the instruction files (the managed policy's, the user's,
 * CLAUDE.md files, rules, their @imports) as Pa_places_instructions()
 * reads them, once, by its rules (instructions.c), each whole in the
 * first user message, as the sections compose/ makes of them.  Its own
 * text, listings and environment are pa_main_session_estimate()'s.
 */
#include "services.h"
#include "claude_code.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static const char *const claude_files[] = { "CLAUDE.md", "CLAUDE.local.md",
                                            NULL };

/* Its main session's instruction files for opt->cwd, as its discovery
 * reads them: the options' environment (CLAUDE_CONFIG_DIR,
 * CLAUDE_CODE_DISABLE_CLAUDE_MDS) and home, the user's level unless
 * opt->no_user, the managed policy file where it is. */
static pa_status discover(hx_found *f, const pa_harness_options *opt,
                          pa_warnings *warn, pa_error *err)
{
	pa_compose_options co;
	Pa_places pl;
	Pa_cc_instructions own;
	const Pa_cc_instructions *m;
	pa_status st;
	size_t i;

	memset(&co, 0, sizeof(co));
	co.cwd = f->cwd;
	co.home = f->home;
	co.config_dir = Pa_env_get(opt->env, "CLAUDE_CONFIG_DIR");
	co.env = opt->env;
	co.no_user = opt->no_user;
	st = Pa_places_init(&pl, &co, err);
	if (st != PA_OK)
		return st;
	Pa_warnings_add_copies(warn, &pl.cc->warn);
	Pa_hx_set_names(f, claude_files, 2);
	if (pl.cc->model) {
		f->model = Pa_xstrdup(pl.cc->model);
		f->model_from = "its settings' model";
	}
	Pa_hx_model_option(f, opt);
	/* CLAUDE_CODE_DISABLE_CLAUDE_MDS: none (fixture
	 * settings-disable-claude-mds) */
	if (Pa_cc_env_true(pl.cc, "CLAUDE_CODE_DISABLE_CLAUDE_MDS")) {
		Pa_places_release(&pl);
		return PA_OK;
	}
	m = Pa_places_instructions(&pl, &co, &own);
	st = m->status;
	if (st != PA_OK && err)
		*err = m->err;
	for (i = 0; st == PA_OK && i < m->n; i++) {
		const Pa_cc_instruction *c = &m->files[i];
		hx_file *x = Pa_hx_add_read(f, c->real, c->shown, c->text, c->len);

		x->in = HX_IN_USER;
		x->global = c->kind == PA_SECTION_USER || c->kind == PA_SECTION_MANAGED ||
		            c->managed;
		x->depth = c->kind == PA_SECTION_IMPORT ? c->depth : 0;
		x->parent = c->kind == PA_SECTION_IMPORT && c->parent
		            ? Pa_xstrdup(c->parent) : NULL;
	}
	if (st == PA_OK)
		Pa_warnings_add_copies(warn, &m->warn);
	Pa_cc_instructions_release(&own);
	Pa_places_release(&pl);
	return st;
}

/* Each file whole: its reader already left out what Claude Code does
 * not send (frontmatter, HTML comments, the import lines' targets are
 * files of their own). */
static void compose(hx_found *f)
{
	Pa_hx_compose_whole(f);
}

const Pa_cli_backend Pa_cli_claude_code = {
	.id = PA_HARNESS_CLAUDE_CODE,
	.name = "claude-code",
	.display = "Claude Code",
	.version = NULL, /* its figures' (pa_claude_code_version()) */
	.tokenizer = "claude",
	.files = claude_files,
	.others = NULL, /* noted by the instruction files' own rules */
	.byte_cap = NULL, /* its caps are per file (PA_INSTRUCTIONS_*) */
	.supports = PA_HARNESS_SUPPORTS_AGENTS | PA_HARNESS_SUPPORTS_MAIN_SESSION |
	            PA_HARNESS_SUPPORTS_TRIM | PA_HARNESS_SUPPORTS_BODY_ANTHROPIC |
	            PA_HARNESS_SUPPORTS_BODY_OPENAI | PA_HARNESS_SUPPORTS_COUNT_API |
	            PA_HARNESS_SUPPORTS_USER_LEVEL |
	            PA_HARNESS_SUPPORTS_MANAGED_LEVEL |
	            PA_HARNESS_SUPPORTS_ON_DEMAND | PA_HARNESS_SUPPORTS_DEFAULT |
	            PA_HARNESS_SUPPORTS_PLUGIN_DIR,
	.discover = discover,
	.compose = compose,
};
