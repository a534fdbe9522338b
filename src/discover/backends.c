/*
 * backends.c - the table of agent CLIs (backend.h), and Claude Code's
 * row: the rest of the library is its discovery and composition.
 */
#include "services.h"

static const char *const claude_files[] = { "CLAUDE.md", "CLAUDE.local.md",
                                            NULL };

const Pa_cli_backend Pa_cli_claude_code = {
	/* its version is its figures' (pa_claude_code_version()) */
	PA_HARNESS_CLAUDE_CODE, "claude-code", "Claude Code", NULL,
	"claude", claude_files, NULL, NULL, NULL, NULL, NULL,
	.settings_name = NULL, /* none that names files */
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
};

_Static_assert(sizeof(Pa_cli_backends) / sizeof(Pa_cli_backends[0]) ==
               PA_HARNESS_COUNT, "one row per pa_harness_id");

const Pa_cli_backend *Pa_cli_backend_of(pa_harness_id id)
{
	return (unsigned)id < PA_HARNESS_COUNT ? Pa_cli_backends[id] : NULL;
}
