/* body.c - a request body of what promptasm composes (body.h). */
#define _POSIX_C_SOURCE 200809L
#include "body.h"

#include <string.h>

int cli_format_is_body(cli_format f)
{
	return f == CLI_FMT_ANTHROPIC || f == CLI_FMT_ANTHROPIC_COUNT ||
	       f == CLI_FMT_OPENAI;
}

/* The model ids each API serves, by prefix: what a request body may name
 * without --api-model.  Gateway and provider ids are judged by the model
 * they name (pa_model_canonical(), tokenizers/models.tsv). */
/* sonnet-4-5 and the like: Claude Code sends an agent's model: as written
 * when it is no alias, and the claude tokenizer serves them as Claude's. */
static const char *const anthropic_models[] = {
	"claude-", "opus-", "sonnet-", "haiku-", NULL
};
static const char *const openai_models[] = {
	"gpt-", "chatgpt-", "o1", "o3", "o4", "ft:gpt-", "ft:o", NULL
};

static int api_serves(cli_format fmt, const char *model)
{
	const char *const *p = fmt == CLI_FMT_OPENAI ? openai_models : anthropic_models;

	for (; *p; p++)
		if (!strncmp(model, *p, strlen(*p)))
			return 1;
	return 0;
}

const char *cli_body_model(cli_format fmt, const cli_body_opts *o,
                           const char *model, int from_flag, const char *whose)
{
	const char *api = fmt == CLI_FMT_OPENAI ? "Chat Completions API"
	                                        : "Messages API";
	pa_buf canon = PA_BUF_INIT;
	pa_error err;
	int ok, other;

	if (o->api_model)
		return o->api_model;
	memset(&err, 0, sizeof(err));
	if (!model) {
		cli_errorf("--format %s needs a model to send: name it with "
		           "--api-model NAME", cli_format_name(fmt));
		return NULL;
	}
	if (pa_model_canonical(model, NULL, &canon, &err) != PA_OK) {
		cli_print_error(&err);
		pa_buf_release(&canon);
		return NULL;
	}
	ok = api_serves(fmt, canon.ptr);
	other = api_serves(fmt == CLI_FMT_OPENAI ? CLI_FMT_ANTHROPIC : CLI_FMT_OPENAI,
	                   canon.ptr);
	pa_buf_release(&canon);
	if (ok)
		return model;
	pa_buf_reset(&canon);
	Pa_quote_str(&canon, model);
	pa_buf_puts(&canon, from_flag ? ", the model -m names" : ", the model ");
	if (!from_flag)
		Pa_quote_str(&canon, whose);
	/* the other format only where its API serves the model */
	cli_errorf("--format %s cannot send model %s%s: the %s serves %s "
	           "models; name the model to send with --api-model NAME%s%s",
	           cli_format_name(fmt), canon.ptr, from_flag ? "" : " runs on", api,
	           fmt == CLI_FMT_OPENAI ? "gpt-* and o*" : "claude-*",
	           other ? ", or use --format " : "",
	           !other ? "" : fmt == CLI_FMT_OPENAI ? "anthropic" : "openai");
	pa_buf_release(&canon);
	return NULL;
}

/* One text block of a message's content; cached: marked for prompt
 * caching, the end of the prefix the API may reuse. */
static void text_block(Pa_jw *w, const pa_buf *text, int cached)
{
	Pa_jw_object(w, NULL, PA_JW_INLINE);
	Pa_jw_str(w, "type", "text");
	Pa_jw_strn(w, "text", text->ptr, text->len);
	if (cached) {
		Pa_jw_object(w, "cache_control", PA_JW_INLINE);
		Pa_jw_str(w, "type", "ephemeral");
		Pa_jw_end(w);
	}
	Pa_jw_end(w);
}

/* A Messages API body: the system prompt's parts as system, the first
 * user message's before the task as a text block, then the task, then
 * what comes after it.  --cache marks the end of what repeats from one
 * request to the next: the system prompt; without one, the project's
 * instructions that open the user message (cli_body_write() refuses a
 * body with neither). */
static void anthropic(Pa_jw *w, const cli_body *b, const cli_body_opts *o)
{
	const pa_buf *sys = b->system;

	if (b->fmt == CLI_FMT_ANTHROPIC)
		Pa_jw_uint(w, "max_tokens", o->has_max_tokens ? o->max_tokens : 4096);
	/* The API refuses an empty text block: no system prompt, no system. */
	if (sys->len && o->cache) {
		Pa_jw_array(w, "system", PA_JW_INLINE);
		text_block(w, sys, 1);
		Pa_jw_end(w);
	} else if (sys->len) {
		Pa_jw_strn(w, "system", sys->ptr, sys->len);
	}
	Pa_jw_array(w, "messages", PA_JW_LINES);
	Pa_jw_object(w, NULL, PA_JW_INLINE);
	Pa_jw_str(w, "role", "user");
	Pa_jw_array(w, "content", PA_JW_LINES);
	if (b->user->len)
		text_block(w, b->user, o->cache && !sys->len);
	text_block(w, o->task, 0);
	if (b->after && b->after->len)
		text_block(w, b->after, 0);
}

/* A Chat Completions body: all that is composed as the system message
 * (none when it is empty: the API refuses an empty one), the task as the
 * user message. */
static void openai(Pa_jw *w, const cli_body *b, const cli_body_opts *o)
{
	if (o->has_max_tokens)
		Pa_jw_uint(w, "max_completion_tokens", o->max_tokens);
	Pa_jw_array(w, "messages", PA_JW_LINES);
	if (b->whole->len) {
		Pa_jw_object(w, NULL, PA_JW_INLINE);
		Pa_jw_str(w, "role", "system");
		Pa_jw_strn(w, "content", b->whole->ptr, b->whole->len);
		Pa_jw_end(w);
	}
	Pa_jw_object(w, NULL, PA_JW_INLINE);
	Pa_jw_str(w, "role", "user");
	Pa_jw_strn(w, "content", o->task->ptr, o->task->len);
}

int cli_body_write(pa_buf *out, const cli_body *b, const cli_body_opts *o)
{
	Pa_jw w;

	/* Marking the task alone would cache nothing that repeats: refused,
	 * never dropped. */
	if (o->cache && b->fmt != CLI_FMT_OPENAI && !b->system->len &&
	    !b->user->len) {
		cli_errorf("--cache has nothing to mark: this body has no system "
		           "prompt and no project instructions before the task, "
		           "and the task changes with each request; leave out "
		           "--cache");
		return EXIT_USAGE;
	}
	Pa_jw_init(&w, out, 0);
	Pa_jw_object(&w, NULL, PA_JW_LINES);
	Pa_jw_str(&w, "model", b->model);
	if (b->fmt == CLI_FMT_OPENAI)
		openai(&w, b, o);
	else
		anthropic(&w, b, o);
	Pa_jw_finish(&w);
	return EXIT_OK;
}
