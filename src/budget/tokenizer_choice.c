/*
 * tokenizer_choice.c - which tokenizer counts an agent's prompt: one rule
 * for every command, so that build, explain and check always agree.
 */
#include "base/base.h"

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
	pick->is_default = 1;
	/* Text that is no agent's (count, tokenize, trim) is counted with
	 * the default tokenizer. */
	if (!agent) {
		pick->name = PA_DEFAULT_TOKENIZER;
		return;
	}
	/* Claude Code runs an agent on its own model; a model no tokenizer
	 * serves is counted with the default tokenizer rather than refused,
	 * as any model we do not know. */
	if (agent_model && agent_model[0] && strcmp(agent_model, "inherit")) {
		pick->model = agent_model;
		pick->fallback = 1;
		pick->is_default = 0;
		return;
	}
	/* Without `model:`, or with `inherit`, it runs on the main session's
	 * model, which no config set (its `model:` won above): Claude Code's
	 * default, a Claude model.  Counting it with o200k_base, labelled
	 * exact, would claim a precision no tokenizer has for it. */
	pick->model = pa_claude_code_model(NULL, NULL);
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

void pa_harness_tokenizer_choose(pa_harness_id id, const char *tokenizer,
                                 const char *model, const pa_config *cfg,
                                 const char *cli_model, pa_tokenizer_pick *pick)
{
	const char *own = pa_harness_tokenizer(id);
	pa_buf serving = PA_BUF_INIT;
	pa_error err;
	pa_status st;

	memset(pick, 0, sizeof(*pick));
	if (!tokenizer && !model && cfg)
		tokenizer = pa_config_tokenizer(cfg);
	pick->name = tokenizer;
	pick->model = model;
	/* -m names the model the CLI runs (its figures); a model no
	 * tokenizer here serves (Gemini's) is counted with the default */
	pick->fallback = model != NULL;
	if (tokenizer || model)
		return;
	pick->is_default = 1;
	pick->name = own ? own : PA_DEFAULT_TOKENIZER;
	if (!own || !strcmp(own, PA_DEFAULT_TOKENIZER) || !cli_model)
		return;
	/* A CLI whose models have a tokenizer of their own (Qwen Code's
	 * qwen3) may run another model (OPENAI_MODEL=gpt-4o): its tokenizer
	 * only when the model it runs is one of them, else the default, as
	 * for a CLI without one.  A malformed models.tsv is the load's error
	 * to report: the model is looked up again there. */
	memset(&err, 0, sizeof(err));
	st = pa_tokenizer_name_for_model(cli_model, NULL, &serving, &err);
	if (st == PA_ERR_NOT_FOUND || (st == PA_OK && strcmp(serving.ptr, own))) {
		pick->name = PA_DEFAULT_TOKENIZER;
	} else if (st != PA_OK) {
		pick->name = NULL;
		pick->model = cli_model;
	}
	pa_buf_release(&serving);
}
