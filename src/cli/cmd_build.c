/* cmd_build.c - `promptasm build`: the system prompt an agent receives. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "cmd_budget.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "promptasm build [options] AGENT";

static const char help[] =
	"promptasm build [options] AGENT\n"
	"\n"
	"AGENT is a file (a path with '/' or ending in .md) or an agent name.\n"
	"\n"
	"  -f, --format FORMAT     text (default), json, anthropic or openai\n"
	"  -o, --output FILE       write FILE (atomically) instead of stdout\n"
	"      --message TEXT      the user message of an anthropic/openai request\n"
	"      --max-tokens N      max_tokens of the request (anthropic: 4096)\n"
	"  -t, --tokenizer NAME    count with tokenizer NAME (json)\n"
	"  -m, --model MODEL       the model: picks the tokenizer and the request's\n"
	"                          model; default: the agent's model\n"
	"  -C, --project DIR       compose as if started in DIR\n"
	"      --for-file PATH     load the rules whose paths: match PATH (repeat)\n"
	"      --no-managed        leave out the managed policy file\n"
	"      --managed-file FILE read the managed policy from FILE\n"
	"      --no-user           leave out ~/.claude/CLAUDE.md and ~/.claude/rules\n"
	"      --no-ancestors      read CLAUDE.md files from the repository root down\n"
	"      --memory-template FILE  the wording of the memory section\n"
	"  -b, --budget N          trim to at most N tokens (promptasm(1), TRIMMING\n"
	"                          RULES; also --margin, --reserve, --trim-body,\n"
	"                          --floor, --cap, --keep, --priority, --no-config)\n"
	"  -q, --quiet             no warnings";

enum format { FMT_TEXT, FMT_JSON, FMT_ANTHROPIC, FMT_OPENAI };

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

/* Takes the value of an option: `--opt VALUE`, `--opt=VALUE`, `-o VALUE`,
 * `-oVALUE`.  Returns NULL when arg is not this option. */
static const char *opt_value(int argc, char **argv, int *i, const char *s,
                             const char *l, int *missing)
{
	const char *a = argv[*i];
	size_t ln = l ? strlen(l) : 0;

	*missing = 0;
	if ((s && !strcmp(a, s)) || (l && !strcmp(a, l))) {
		if (*i + 1 >= argc) {
			*missing = 1;
			return NULL;
		}
		return argv[++*i];
	}
	if (l && !strncmp(a, l, ln) && a[ln] == '=')
		return a + ln + 1;
	if (s && a[0] == '-' && a[1] == s[1] && a[1] != '-' && a[2])
		return a + 2;
	return NULL;
}

static void print_warnings(const pa_warnings *w)
{
	size_t i;
	for (i = 0; i < w->n; i++)
		cli_warnf("%s", w->items[i]);
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

/* The only place that counts: the json format's token numbers. */
static int add_counts(pa_buf *out, const pa_prompt *prompt, const char *text,
                      size_t len, const char *tok_name, const char *model,
                      const pa_agent *agent)
{
	pa_tokenizer *tok = NULL;
	pa_error err;
	size_t total = 0, i, n = pa_prompt_section_count(prompt);
	int code = EXIT_OK;
	const char *agent_model = pa_agent_model(agent);
	const char *for_model = model;

	if (!tok_name && !model && agent_model && strcmp(agent_model, "inherit")) {
		/* The agent's model picks the tokenizer when one serves it;
		 * else the default, as for any model we do not know. */
		if (pa_tokenizer_load_for_model(agent_model, NULL, &tok, &err) != PA_OK)
			tok = NULL;
		else
			for_model = agent_model;
	}
	if (!tok) {
		tok = cli_load_tokenizer(tok_name, model, NULL, &code);
		if (!tok)
			return code;
	}
	if (pa_tokenizer_count(tok, text, len, &total, &err) != PA_OK) {
		cli_print_error(&err);
		pa_tokenizer_free(tok);
		return cli_exit_code(err.status);
	}
	pa_buf_puts(out, "  \"tokenizer\": ");
	pa_json_put_string(out, pa_tokenizer_name(tok), strlen(pa_tokenizer_name(tok)));
	pa_buf_printf(out, ",\n  \"exact\": %s,\n  \"tokens\": %zu,\n",
	              pa_tokenizer_is_estimate(tok, for_model) ? "false" : "true",
	              total);
	pa_buf_puts(out, "  \"sections\": [");
	for (i = 0; i < n; i++) {
		size_t tl, count = 0;
		const char *t = pa_prompt_section_text(prompt, i, &tl);
		const char *path = pa_prompt_section_path(prompt, i);
		const char *kind = pa_section_kind_name(pa_prompt_section_kind(prompt, i));
		const char *parent = pa_prompt_section_parent(prompt, i);

		if (pa_tokenizer_count(tok, t, tl, &count, &err) != PA_OK) {
			cli_print_error(&err);
			pa_tokenizer_free(tok);
			return cli_exit_code(err.status);
		}
		pa_buf_puts(out, i ? ",\n    {" : "\n    {");
		pa_buf_puts(out, "\"kind\": ");
		pa_json_put_string(out, kind, strlen(kind));
		pa_buf_puts(out, ", \"path\": ");
		pa_json_put_string(out, path, strlen(path));
		pa_buf_printf(out, ", \"bytes\": %zu, \"lines\": %zu, \"tokens\": %zu, "
		              "\"cut\": %s", tl, count_lines(t, tl), count,
		              pa_prompt_section_cut(prompt, i) ? "true" : "false");
		if (parent) {
			pa_buf_printf(out, ", \"depth\": %d, \"imported_by\": ",
			              pa_prompt_section_depth(prompt, i));
			pa_json_put_string(out, parent, strlen(parent));
		}
		pa_buf_puts(out, "}");
	}
	pa_buf_puts(out, n ? "\n  ]\n" : "]\n");
	pa_tokenizer_free(tok);
	return EXIT_OK;
}

int cmd_build(int argc, char **argv)
{
	pa_compose_options opt;
	const char *tok_name = NULL, *model = NULL, *format = "text";
	const char *message = NULL, *output = NULL, *tpl_file = NULL;
	const char *project = NULL, *managed = NULL, *agent_arg = NULL;
	const char *max_tokens = NULL;
	const char **fors = NULL;
	size_t nfors = 0;
	enum format fmt;
	pa_warnings warn = { NULL, 0 };
	pa_agent *agent = NULL;
	pa_prompt *prompt = NULL;
	pa_buf tpl = PA_BUF_INIT, text = PA_BUF_INIT, out = PA_BUF_INIT;
	pa_error err;
	int code = EXIT_OK, i, only_args = 0, r;
	cli_budget budget;

	memset(&opt, 0, sizeof(opt));
	memset(&budget, 0, sizeof(budget));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		int missing;

		if (only_args || a[0] != '-' || !strcmp(a, "-")) {
			if (agent_arg) {
				code = cli_usage_error(usage, "more than one agent given");
				goto done;
			}
			agent_arg = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_args = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf("usage: %s\n", help);
			goto done;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			cli_quiet = 1;
			continue;
		}
		if (!strcmp(a, "--no-managed")) {
			opt.no_managed = 1;
			continue;
		}
		if (!strcmp(a, "--no-user")) {
			opt.no_user = 1;
			continue;
		}
		if (!strcmp(a, "--no-ancestors")) {
			opt.no_ancestors = 1;
			continue;
		}
#define VALUE(s, l, var) \
		if ((v = opt_value(argc, argv, &i, s, l, &missing)) || missing) { \
			if (missing) { \
				code = cli_usage_error(usage, "option %s needs a value", a); \
				goto done; \
			} \
			var = v; \
			continue; \
		}
		VALUE("-t", "--tokenizer", tok_name)
		VALUE("-m", "--model", model)
		VALUE("-f", "--format", format)
		VALUE("-o", "--output", output)
		VALUE(NULL, "--message", message)
		VALUE(NULL, "--max-tokens", max_tokens)
		VALUE("-C", "--project", project)
		VALUE(NULL, "--managed-file", managed)
		VALUE(NULL, "--memory-template", tpl_file)
		if ((v = opt_value(argc, argv, &i, NULL, "--for-file", &missing)) || missing) {
			if (missing) {
				code = cli_usage_error(usage, "option %s needs a value", a);
				goto done;
			}
			fors = realloc(fors, (nfors + 1) * sizeof(*fors));
			if (!fors) {
				cli_errorf("out of memory");
				code = EXIT_FAILURE_IO;
				goto done;
			}
			fors[nfors++] = v;
			continue;
		}
#undef VALUE
		r = cli_budget_argv(&budget, argc, argv, &i, usage);
		if (r < 0) {
			code = EXIT_USAGE;
			goto done;
		}
		if (r > 0)
			continue;
		code = cli_usage_error(usage, "unknown option '%s'", a);
		goto done;
	}
	if (!agent_arg) {
		code = cli_usage_error(usage, "no agent given");
		goto done;
	}
	if (!strcmp(format, "text"))
		fmt = FMT_TEXT;
	else if (!strcmp(format, "json"))
		fmt = FMT_JSON;
	else if (!strcmp(format, "anthropic"))
		fmt = FMT_ANTHROPIC;
	else if (!strcmp(format, "openai"))
		fmt = FMT_OPENAI;
	else {
		code = cli_usage_error(usage, "unknown format '%s' (text, json, "
		                       "anthropic or openai)", format);
		goto done;
	}
	if (max_tokens) {
		char *end;
		long n;
		errno = 0;
		n = strtol(max_tokens, &end, 10);
		if (errno || *end || n <= 0 || end == max_tokens) {
			code = cli_usage_error(usage, "--max-tokens needs a positive "
			                       "number, not '%s'", max_tokens);
			goto done;
		}
	}
	if (opt.no_managed && managed) {
		code = cli_usage_error(usage, "--no-managed and --managed-file "
		                       "contradict each other");
		goto done;
	}
	opt.cwd = project;
	opt.home = getenv("HOME");
	opt.managed_file = managed;
	opt.for_files = fors;
	opt.n_for_files = nfors;
	if (tpl_file) {
		if (pa_file_read(tpl_file, &tpl, &err) != PA_OK) {
			cli_print_error(&err);
			code = cli_exit_code(err.status);
			goto done;
		}
		opt.memory_template = tpl.ptr;
		opt.memory_template_len = tpl.len;
	}

	if (pa_agent_find(agent_arg, &opt, &agent, &warn, &err) != PA_OK ||
	    pa_prompt_compose(agent, &opt, &prompt, &warn, &err) != PA_OK) {
		print_warnings(&warn);
		cli_print_error(&err);
		code = cli_exit_code(err.status);
		goto done;
	}
	print_warnings(&warn);
	if (budget.has_budget) {
		code = cli_budget_build(&budget, prompt, agent, opt.cwd, opt.home,
		                        tok_name, model);
		if (code != EXIT_OK)
			goto done;
	}
	pa_prompt_render(prompt, &text);

	switch (fmt) {
	case FMT_TEXT:
		pa_buf_put(&out, text.ptr, text.len);
		break;
	case FMT_JSON:
		pa_buf_puts(&out, "{\n  \"prompt\": ");
		pa_json_put_string(&out, text.ptr, text.len);
		pa_buf_puts(&out, ",\n  \"agent\": ");
		pa_agent_json(agent, &out);
		pa_buf_puts(&out, ",\n");
		code = add_counts(&out, prompt, text.ptr, text.len, tok_name, model,
		                  agent);
		if (code != EXIT_OK)
			goto done;
		pa_buf_puts(&out, "}\n");
		break;
	case FMT_ANTHROPIC:
	case FMT_OPENAI: {
		const char *m = request_model(model ? model : pa_agent_model(agent), fmt);
		pa_buf_puts(&out, "{\n  \"model\": ");
		pa_json_put_string(&out, m, strlen(m));
		if (fmt == FMT_ANTHROPIC)
			pa_buf_printf(&out, ",\n  \"max_tokens\": %s,\n  \"system\": ",
			              max_tokens ? max_tokens : "4096");
		else if (max_tokens)
			pa_buf_printf(&out, ",\n  \"max_completion_tokens\": %s", max_tokens);
		if (fmt == FMT_ANTHROPIC) {
			pa_json_put_string(&out, text.ptr, text.len);
			pa_buf_puts(&out, ",\n  \"messages\": [");
		} else {
			pa_buf_puts(&out, ",\n  \"messages\": [\n    {\"role\": \"system\", "
			                  "\"content\": ");
			pa_json_put_string(&out, text.ptr, text.len);
			pa_buf_puts(&out, "}");
		}
		if (message) {
			pa_buf_puts(&out, fmt == FMT_OPENAI ? ",\n" : "\n");
			pa_buf_puts(&out, "    {\"role\": \"user\", \"content\": ");
			pa_json_put_string(&out, message, strlen(message));
			pa_buf_puts(&out, "}");
		}
		pa_buf_puts(&out, message || fmt == FMT_OPENAI ? "\n  ]\n}\n" : "]\n}\n");
		break;
	}
	}

	code = cli_write_output(output, out.ptr, out.len);
done:
	cli_budget_release(&budget);
	pa_warnings_release(&warn);
	pa_prompt_free(prompt);
	pa_agent_free(agent);
	pa_buf_release(&tpl);
	pa_buf_release(&text);
	pa_buf_release(&out);
	free(fors);
	return code;
}
