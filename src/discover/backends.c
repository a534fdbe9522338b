/*
 * backends.c - the table of agent CLIs (backend.h), and Claude Code's
 * row: the rest of the library is its discovery and composition.
 */
#include "services.h"

static const char *const claude_files[] = { "CLAUDE.md", "CLAUDE.local.md",
                                            NULL };

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
	/* none: the rest of the library is its discovery and composition */
	.discover = NULL,
	.compose = NULL,
};

/* In pa_harness_id order; a new CLI's id is appended to pa_harness_id
 * (include/promptasm.h) and its row here. */
const Pa_cli_backend *const Pa_cli_backends[] = {
	&Pa_cli_claude_code,
	&Pa_cli_codex,
	&Pa_cli_copilot,
	&Pa_cli_gemini,
	&Pa_cli_opencode,
	&Pa_cli_qwen,
	&Pa_cli_pi,
	&Pa_cli_cline,
	&Pa_cli_kilo,
};

_Static_assert(sizeof(Pa_cli_backends) / sizeof(Pa_cli_backends[0]) ==
               PA_HARNESS_COUNT, "one row per pa_harness_id");

const Pa_cli_backend *Pa_cli_backend_of(pa_harness_id id)
{
	return (unsigned)id < PA_HARNESS_COUNT ? Pa_cli_backends[id] : NULL;
}

int Pa_cli_supports(pa_harness_id id, unsigned cap)
{
	const Pa_cli_backend *b = Pa_cli_backend_of(id);

	return b && cap && (b->supports & cap) == cap;
}
