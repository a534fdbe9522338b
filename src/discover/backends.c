/*
 * backends.c - the table of agent CLIs (backend.h): each row is at the
 * end of its backend's file, Claude Code's in claude_code.c.
 */
#include "services.h"

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
