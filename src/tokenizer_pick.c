/*
 * tokenizer_pick.c - which tokenizer counts an agent's prompt: one rule
 * for every command, so that build, explain and check always agree.
 */
#include "internal.h"

#include <string.h>

void pa_tokenizer_choose(const char *tokenizer, const char *model,
                         const pa_config *cfg, const pa_agent *agent,
                         pa_tokenizer_pick *pick)
{
	const char *agent_model = agent ? pa_agent_model(agent) : NULL;

	memset(pick, 0, sizeof(*pick));
	/* The caller's choice (flags) overrides the config's as a pair:
	 * `-m gpt-4o` wins over a config's `tokenizer:`. */
	if (!tokenizer && !model && cfg) {
		tokenizer = pa_config_tokenizer(cfg);
		model = pa_config_model(cfg);
	}
	pick->name = tokenizer;
	pick->model = model;
	if (tokenizer || model)
		return;
	/* Claude Code runs an agent on its own model unless it inherits the
	 * session's; a model no tokenizer serves is counted with the
	 * default rather than refused, as any model we do not know. */
	if (agent_model && agent_model[0] && strcmp(agent_model, "inherit")) {
		pick->model = agent_model;
		pick->fallback = 1;
		return;
	}
	pick->name = PA_DEFAULT_TOKENIZER;
}

pa_status pa_tokenizer_load_pick(const pa_tokenizer_pick *pick,
                                 const char *dir, pa_tokenizer **out,
                                 pa_error *err)
{
	pa_status st;

	if (pick->name)
		return pa_tokenizer_load(pick->name, dir, out, err);
	st = pa_tokenizer_load_for_model(pick->model, dir, out, err);
	if (st == PA_ERR_NOT_FOUND && pick->fallback)
		st = pa_tokenizer_load(PA_DEFAULT_TOKENIZER, dir, out, err);
	return st;
}
