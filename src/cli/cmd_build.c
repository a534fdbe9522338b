/* cmd_build.c - `promptasm build`: the system prompt an agent receives. */
#define _POSIX_C_SOURCE 200809L
#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "promptasm build [options] AGENT";

static void help(void)
{
	printf("usage: %s\n\n"
	       "AGENT is a file (a path with '/' or ending in .md) or an agent name.\n"
	       "When a budget applies (-b, or the config file's), the prompt is\n"
	       "trimmed to it by the rules of promptasm(1), TRIMMING RULES.\n\n"
	       "  -f, --format FORMAT     text (default), json, anthropic or openai\n"
	       "  -o, --output FILE       write FILE (atomically) instead of stdout\n"
	       "      --message TEXT      the user message of an anthropic/openai request\n"
	       "      --max-tokens N      max_tokens of the request (anthropic: 4096)\n"
	       CLI_COMMON_HELP CLI_COMPOSE_HELP CLI_BUDGET_HELP,
	       usage);
}

enum format { FMT_TEXT, FMT_JSON, FMT_ANTHROPIC, FMT_OPENAI };
enum { OPT_MESSAGE = CLI_OPT_FIRST_OWN, OPT_MAX_TOKENS };

typedef struct build {
	cli_pipeline p;
	enum format fmt;
	const char *output, *message;
	size_t max_tokens;
	int has_max_tokens;
} build;

/* Claude Code's model aliases, as the Messages API names them. */
static const char *request_model(const char *model, enum format fmt)
{
	static const struct { const char *alias, *id; } aliases[] = {
		{ "sonnet", "claude-sonnet-4-5" },
		{ "opus", "claude-opus-4-1" },
		{ "haiku", "claude-haiku-4-5" },
	};
	size_t i;

	if (!model || !strcmp(model, "inherit") || !model[0])
		return fmt == FMT_OPENAI ? "gpt-4o" : "claude-sonnet-4-5";
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(model, aliases[i].alias))
			return aliases[i].id;
	return model;
}

static size_t count_lines(const char *s, size_t len)
{
	size_t i, n = 0;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] == '\n')
			n++;
	return s[len - 1] == '\n' ? n : n + 1;
}

static void json_sections(pa_buf *out, const cli_run *r)
{
	const pa_prompt *pr = r->prompt;
	size_t i, n = pa_prompt_section_count(pr);

	pa_buf_puts(out, "  \"sections\": [");
	for (i = 0; i < n; i++) {
		size_t tl;
		const char *t = pa_prompt_section_text(pr, i, &tl);
		const char *kind = pa_section_kind_name(pa_prompt_section_kind(pr, i));

		pa_buf_puts(out, i ? ",\n    {\"kind\": " : "\n    {\"kind\": ");
		cli_json_str(out, kind);
		pa_buf_puts(out, ", \"path\": ");
		cli_json_str(out, pa_prompt_section_path(pr, i));
		pa_buf_printf(out, ", \"depth\": %d, \"imported_by\": ",
		              pa_prompt_section_depth(pr, i));
		cli_json_str(out, pa_prompt_section_parent(pr, i));
		pa_buf_printf(out, ", \"bytes\": %zu, \"lines\": %zu, \"tokens\": %zu, "
		              "\"load_cut\": %s}", tl, count_lines(t, tl),
		              r->report->sections[i].tokens_after,
		              pa_prompt_section_cut(pr, i) ? "true" : "false");
	}
	pa_buf_puts(out, n ? "\n  ],\n" : "],\n");
}

static void out_json(pa_buf *out, const cli_run *r)
{
	pa_buf_printf(out, "{\n  \"version\": %d,\n  \"agent\": {\"name\": ",
	              CLI_JSON_VERSION);
	cli_json_str(out, pa_agent_name(r->agent));
	pa_buf_puts(out, ", \"path\": ");
	cli_json_str(out, pa_agent_path(r->agent));
	pa_buf_puts(out, ", \"frontmatter\": ");
	pa_agent_json(r->agent, out);
	pa_buf_puts(out, "},\n  \"tokenizer\": ");
	cli_json_str(out, pa_tokenizer_name(r->tok));
	pa_buf_printf(out, ",\n  \"exact\": %s,\n  \"tokens\": %zu,\n  ",
	              r->estimate ? "false" : "true", r->report->tokens_after);
	cli_json_budget(out, r);
	pa_buf_puts(out, ",\n");
	json_sections(out, r);
	pa_buf_puts(out, "  ");
	cli_json_warnings(out, &r->warn, "  ");
	pa_buf_puts(out, ",\n  \"prompt\": ");
	pa_json_put_string(out, r->text.ptr, r->text.len);
	pa_buf_puts(out, "\n}\n");
}

static void out_request(pa_buf *out, const build *b, const cli_run *r)
{
	const char *agent_model = pa_agent_model(r->agent);
	const char *m = b->p.model;

	if (!m && agent_model && strcmp(agent_model, "inherit"))
		m = agent_model;
	if (!m)
		m = pa_config_model(b->p.cfg);
	m = request_model(m, b->fmt);
	pa_buf_puts(out, "{\n  \"model\": ");
	cli_json_str(out, m);
	if (b->fmt == FMT_ANTHROPIC) {
		pa_buf_printf(out, ",\n  \"max_tokens\": %zu,\n  \"system\": ",
		              b->has_max_tokens ? b->max_tokens : 4096);
		pa_json_put_string(out, r->text.ptr, r->text.len);
		pa_buf_puts(out, ",\n  \"messages\": [");
	} else {
		if (b->has_max_tokens)
			pa_buf_printf(out, ",\n  \"max_completion_tokens\": %zu",
			              b->max_tokens);
		pa_buf_puts(out, ",\n  \"messages\": [\n    {\"role\": \"system\", "
		                 "\"content\": ");
		pa_json_put_string(out, r->text.ptr, r->text.len);
		pa_buf_puts(out, "}");
	}
	if (b->message) {
		pa_buf_puts(out, b->fmt == FMT_OPENAI ? ",\n" : "\n");
		pa_buf_puts(out, "    {\"role\": \"user\", \"content\": ");
		cli_json_str(out, b->message);
		pa_buf_puts(out, "}");
	}
	pa_buf_puts(out, b->message || b->fmt == FMT_OPENAI ? "\n  ]\n}\n" : "]\n}\n");
}

/* -o never replaces a file the prompt was made of. */
static int write_output(const build *b, const cli_run *r, const pa_buf *out)
{
	size_t n = pa_prompt_section_count(r->prompt), i, k = 0;
	const char **inputs = malloc((n + 3) * sizeof(*inputs));
	int code;

	if (!inputs)
		abort();
	inputs[k++] = pa_agent_file(r->agent);
	inputs[k++] = pa_config_file(b->p.cfg);
	inputs[k++] = b->p.template_file && strcmp(b->p.template_file, "-")
	              ? b->p.template_file : NULL;
	for (i = 0; i < n; i++)
		inputs[k++] = pa_prompt_section_file(r->prompt, i);
	code = cli_write_output(b->output, out->ptr, out->len, inputs, k);
	free(inputs);
	return code;
}

static int own_option(build *b, int c, const char *arg)
{
	static const char *const names[] = { "text", "json", "anthropic", "openai" };
	size_t i;

	switch (c) {
	case 'o': b->output = arg; return 1;
	case OPT_MESSAGE: b->message = arg; return 1;
	case OPT_MAX_TOKENS:
		if (!cli_parse_count(arg, &b->max_tokens) || b->max_tokens == 0) {
			cli_usage_error(usage, "--max-tokens needs a positive number, "
			                "not '%s'", arg);
			return -1;
		}
		b->has_max_tokens = 1;
		return 1;
	case 'f':
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (!strcmp(arg, names[i])) {
				b->fmt = (enum format)i;
				return 1;
			}
		}
		cli_usage_error(usage, "unknown format '%s' (text, json, anthropic "
		                "or openai)", arg);
		return -1;
	}
	return cli_pipeline_option(&b->p, c, arg);
}

/* Parses argv; returns -1 to go on, else an exit code. */
static int parse(build *b, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "message", required_argument, NULL, OPT_MESSAGE },
		{ "max-tokens", required_argument, NULL, OPT_MAX_TOKENS },
		CLI_COMMON_LONGOPTS, CLI_COMPOSE_LONGOPTS, CLI_BUDGET_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	while ((c = getopt_long(argc, argv, CLI_PIPELINE_SHORTOPTS "f:o:", opts,
	                        NULL)) != -1) {
		if (c == 'h') {
			help();
			return EXIT_OK;
		}
		r = c == '?' ? 0 : own_option(b, c, optarg);
		if (r == 0)
			return cli_usage_error(usage, "see 'promptasm build --help'");
		if (r < 0)
			return EXIT_USAGE;
	}
	if (optind >= argc)
		return cli_usage_error(usage, "no agent given");
	if (argc - optind > 1)
		return cli_usage_error(usage, "more than one agent given");
	return -1;
}

int cmd_build(int argc, char **argv)
{
	build b;
	cli_run r;
	pa_buf out = PA_BUF_INIT;
	int code;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	cli_pipeline_init(&b.p, usage);
	code = parse(&b, argc, argv);
	if (code >= 0)
		goto done;
	code = cli_pipeline_start(&b.p);
	if (code == EXIT_OK)
		code = cli_pipeline_run(&b.p, argv[optind], NULL, CLI_RUN_TRIM, 0, &r);
	if (code != EXIT_OK)
		goto done;
	cli_pipeline_warn(&b.p, &r.warn);
	cli_pipeline_note(r.tok, r.report);
	if (r.trim_status == PA_ERR_OVER_BUDGET) {
		cli_errorf("the prompt of %s is over budget: what may not be trimmed "
		           "(the body%s) needs %zu tokens, %zu more than the budget of "
		           "%zu allows (--trim-body lets the body go too)",
		           pa_agent_name(r.agent), r.spec.n_rules ? ", floors" : "",
		           r.report->tokens_after, r.report->missing,
		           r.report->effective);
		code = EXIT_OVER_BUDGET;
		goto done;
	}
	if (b.fmt == FMT_TEXT)
		pa_buf_put(&out, r.text.ptr, r.text.len);
	else if (b.fmt == FMT_JSON)
		out_json(&out, &r);
	else
		out_request(&out, &b, &r);
	code = write_output(&b, &r, &out);
done:
	cli_run_release(&r);
	cli_pipeline_release(&b.p);
	pa_buf_release(&out);
	return code;
}
