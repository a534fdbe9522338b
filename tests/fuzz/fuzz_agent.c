/* fuzz_agent.c - libFuzzer target: any bytes as an agent file parse to an
 * agent or to an error with a message, never a crash. */
#include "promptasm.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	pa_agent *agent = NULL;
	pa_warnings warn = { 0 };
	pa_error err;
	pa_status st = pa_agent_parse((const char *)data, size, "fuzz.md", &agent,
	                              &warn, &err);

	if (st == PA_OK) {
		pa_buf json = PA_BUF_INIT;
		if (!agent || !pa_agent_name(agent))
			abort();
		pa_agent_json(agent, &json);
		pa_buf_release(&json);
	} else if (agent || !err.message[0]) {
		abort();
	}
	pa_agent_free(agent);
	pa_warnings_release(&warn);
	return 0;
}
