/* cmd_build.c - `promptasm build`: the system prompt an agent receives. */
#define _POSIX_C_SOURCE 200809L
#include "format.h"
#include "body.h"
#include "clis_out.h"
#include "count_api.h"
#include "html.h"
#include "render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "promptasm build [options] [AGENT]\n"
	"       promptasm build --harness CLI[,CLI...] [options]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "AGENT is a file (a path with '/' or ending in .md) or an agent name.\n"
	       "Without AGENT: what Claude Code's main session loads of the project\n"
	       "(its own prompt and tools are context's).  With --harness naming\n"
	       "another agent CLI, prints the files it sends, in its order, each under\n"
	       "a heading, cut where it cuts them (docs/harnesses.md); every format,\n"
	       "a request body too, is offered for every CLI.\n"
	       "When a budget applies (-b, or the config file's), the prompt is\n"
	       "trimmed to it by the rules of promptasm(1), TRIMMING RULES.\n\n"
	       "  -f, --format FORMAT     text (default), json, anthropic, anthropic-count\n"
	       "                          (a body for count_tokens), openai, or html\n"
	       "                          (a page: the agent's prompt, or another agent\n"
	       "                          CLI's files as it sends them)\n"
	       "  -o, --output FILE       write FILE (atomically) instead of stdout\n"
	       "      --message TEXT      the task: the user message of a request\n"
	       "                          (required by anthropic, anthropic-count and\n"
	       "                          openai; - reads it from standard input)\n"
	       "      --api-model NAME    the model the request names, as written\n"
	       "                          (default: the agent's model where the\n"
	       "                          format's API serves it)\n"
	       "      --max-tokens N      max_tokens of the request (anthropic: 4096)\n"
	       "      --cache             anthropic: mark the system prompt for caching\n"
	       "                          (none: the instructions before the task)\n"
	       "      --count-api         count the prompt exactly with Anthropic's\n"
	       "                          count_tokens (key from ANTHROPIC_API_KEY;\n"
	       "                          answers cached): in json's tokens, else on\n"
	       "                          standard error\n"
	       CLI_COMMON_HELP CLI_HARNESS_HELP CLI_COMPOSE_HELP CLI_BUDGET_HELP,
	       usage, cli_clis_help());
}

/* The formats build offers, in the order its help names them. */
static const cli_format formats[] = {
	CLI_FMT_TEXT, CLI_FMT_JSON, CLI_FMT_ANTHROPIC, CLI_FMT_ANTHROPIC_COUNT,
	CLI_FMT_OPENAI, CLI_FMT_HTML
};
enum { OPT_MESSAGE = CLI_OPT_FIRST_OWN, OPT_MAX_TOKENS, OPT_CACHE, OPT_API_MODEL,
       OPT_COUNT_API };

typedef struct build {
	cli_pipeline p;
	cli_format fmt;
	const char *output, *message, *api_model;
	pa_buf task;                /* --message -: standard input */
	size_t max_tokens;
	int has_max_tokens;
	int cache;
	int count_api;              /* --count-api */
	int api;                    /* it answered: api_tokens is exact */
	size_t api_tokens;
	cli_body_opts body;         /* a request body's: set once started */
} build;

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

static void json_sections(Pa_jw *w, const cli_run *r)
{
	const pa_prompt *pr = r->prompt;
	size_t i, n = pa_prompt_section_count(pr);

	Pa_jw_array(w, "sections", PA_JW_LINES);
	for (i = 0; i < n; i++) {
		size_t tl;
		const char *t = pa_prompt_section_text(pr, i, &tl);

		Pa_jw_object(w, NULL, PA_JW_INLINE);
		Pa_jw_str(w, "kind", pa_section_kind_name(pa_prompt_section_kind(pr, i)));
		Pa_jw_str(w, "path", pa_prompt_section_path(pr, i));
		Pa_jw_int(w, "depth", pa_prompt_section_depth(pr, i));
		Pa_jw_str(w, "imported_by", pa_prompt_section_parent(pr, i));
		Pa_jw_uint(w, "bytes", tl);
		Pa_jw_uint(w, "lines", count_lines(t, tl));
		Pa_jw_uint(w, "tokens", r->report->sections[i].tokens_after);
		Pa_jw_bool(w, "load_cut", pa_prompt_section_cut(pr, i));
		Pa_jw_end(w);
	}
	Pa_jw_end(w);
}

/* The agent's name, path and frontmatter: build's and explain's "agent". */
static void json_agent(Pa_jw *w, const cli_run *r)
{
	pa_buf fm = PA_BUF_INIT;

	Pa_jw_object(w, "agent", PA_JW_INLINE);
	Pa_jw_str(w, "name", pa_agent_name(r->agent));
	Pa_jw_str(w, "path", pa_agent_path(r->agent));
	pa_agent_json(r->agent, &fm);
	Pa_jw_raw(w, "frontmatter", fm.ptr, fm.len);
	Pa_jw_end(w);
	pa_buf_release(&fm);
}

static void out_json(pa_buf *out, const build *b, const cli_run *r)
{
	Pa_jw w;

	Pa_jw_report(&w, out);
	json_agent(&w, r);
	Pa_jw_str(&w, "tokenizer", pa_tokenizer_name(r->tok));
	Pa_jw_bool(&w, "exact", b->api || !r->estimate);
	Pa_jw_uint(&w, "tokens", b->api ? b->api_tokens : r->report->tokens_after);
	if (b->api)
		Pa_jw_null(&w, "band");  /* exact: Anthropic's count */
	else
		cli_json_band(&w, r);
	cli_json_budget(&w, r);
	json_sections(&w, r);
	cli_json_warnings(&w, r->warn);
	Pa_jw_strn(&w, "prompt", r->text.ptr, r->text.len);
	Pa_jw_finish(&w);
}

/* Our words before the project's instructions in the user message. */
#define INSTRUCTIONS_INTRO "The instructions of this project (CLAUDE.md " \
	"files, rules, the files they import, skills) follow. Follow them; " \
	"your task comes after them.\n\n"

/* A request body as Claude Code places the prompt: the body and the
 * memory section are the system prompt; the project's instructions and
 * skills open the first user message, as text blocks before the task;
 * what SubagentStart hooks send is a text block after the task; Chat
 * Completions gets the whole prompt as its system message. */
static int out_request(pa_buf *out, const build *b, const cli_run *r)
{
	pa_buf sys = PA_BUF_INIT, user = PA_BUF_INIT, after = PA_BUF_INIT;
	cli_body body;
	int code;

	body.fmt = b->fmt;
	body.model = cli_body_model(b->fmt, &b->body, r->cc_model, b->p.model != NULL,
	                            pa_agent_name(r->agent));
	if (!body.model)
		return EXIT_USAGE;
	pa_prompt_render_placed(r->prompt, 1, &sys);
	pa_prompt_render_placed(r->prompt, 0, &user);
	pa_prompt_render_placed(r->prompt, 2, &after);
	if (user.len) {
		pa_buf with = PA_BUF_INIT;

		pa_buf_puts(&with, INSTRUCTIONS_INTRO);
		pa_buf_put(&with, user.ptr, user.len);
		pa_buf_release(&user);
		user = with;
	}
	body.system = &sys;
	body.user = &user;
	body.whole = &r->text;
	body.after = &after;
	code = cli_body_write(out, &body, &b->body);
	pa_buf_release(&sys);
	pa_buf_release(&user);
	pa_buf_release(&after);
	return code;
}


static int own_option(build *b, int c, const char *arg)
{

	switch (c) {
	case 'o': b->output = arg; return 1;
	case OPT_MESSAGE: b->message = arg; return 1;
	case OPT_CACHE: b->cache = 1; return 1;
	case OPT_COUNT_API: b->count_api = 1; return 1;
	case OPT_API_MODEL:
		if (!arg[0]) {
			cli_usage_error("--api-model needs a model name");
			return -1;
		}
		b->api_model = arg;
		return 1;
	case OPT_MAX_TOKENS:
		if (!cli_parse_count(arg, &b->max_tokens) || b->max_tokens == 0) {
			cli_count_error("max-tokens", "a positive number", arg);
			return -1;
		}
		b->has_max_tokens = 1;
		return 1;
	case 'f':
		if (cli_format_parse(arg, formats, sizeof(formats) / sizeof(formats[0]),
		                     &b->fmt))
			return 1;
		return -1;
	}
	return cli_pipeline_option(&b->p, c, arg);
}

const cli_opt cli_build_opts[] = {
	CLI_HARNESS_OPT,
	CLI_OPT_FORMAT("text json anthropic anthropic-count openai html"),
	{ "output", required_argument, 'o', 'o', CLI_VALUE_FILE, NULL },
	{ "message", required_argument, OPT_MESSAGE, 0, CLI_VALUE_NONE, NULL },
	{ "max-tokens", required_argument, OPT_MAX_TOKENS, 0, CLI_VALUE_NONE, NULL },
	{ "cache", no_argument, OPT_CACHE, 0, CLI_VALUE_NONE, NULL },
	{ "api-model", required_argument, OPT_API_MODEL, 0, CLI_VALUE_MODEL, NULL },
	{ "count-api", no_argument, OPT_COUNT_API, 0, CLI_VALUE_NONE, NULL },
	CLI_COMMON_OPTS, CLI_COMPOSE_OPTS, CLI_BUDGET_OPTS,
	CLI_OPT_END
};

static int read_task(build *b);

/* Parses argv; returns -1 to go on, else an exit code. */
static int parse(build *b, int argc, char **argv)
{
	cli_getopt g;
	int c, r;

	cli_getopt_init(&g, cli_build_opts);
	while ((c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		if (c == 'h') {
			help();
			return EXIT_OK;
		}
		r = c == '?' ? 0 : own_option(b, c, optarg);
		if (r == 0)
			return cli_option_error(argv, g.shortopts, g.longopts);
		if (r < 0)
			return EXIT_USAGE;
	}
	if (b->cache && b->fmt != CLI_FMT_ANTHROPIC && b->fmt != CLI_FMT_ANTHROPIC_COUNT)
		return cli_usage_error("--cache needs --format anthropic or "
		                       "anthropic-count");
	if (b->has_max_tokens && b->fmt == CLI_FMT_ANTHROPIC_COUNT)
		return cli_usage_error("--max-tokens does not apply to "
		                       "anthropic-count (count_tokens takes none)");
	if (b->fmt == CLI_FMT_TEXT || b->fmt == CLI_FMT_JSON || b->fmt == CLI_FMT_HTML) {
		/* what only a request body has: refused, not dropped */
		const char *only_body = b->api_model ? "--api-model"
		                        : b->message ? "--message"
		                        : b->has_max_tokens ? "--max-tokens" : NULL;

		/* anthropic-count takes no max_tokens (refused above) */
		if (only_body)
			return cli_usage_error("%s needs --format %s", only_body,
			                       strcmp(only_body, "--max-tokens")
			                       ? "anthropic, anthropic-count or openai"
			                       : "anthropic or openai");
		return -1;
	}
	return read_task(b);
}

/* The task of a request body: --message TEXT, or standard input with
 * --message -.  The APIs refuse an empty text block, and a sentence of
 * ours sent as the user's task would be answered as one. */
static int read_task(build *b)
{
	size_t i;
	int code;

	if (!b->message)
		return cli_usage_error("a request body needs a task: give it with "
		                       "--message TEXT, or --message - to read it "
		                       "from standard input");
	if (strcmp(b->message, "-")) {
		pa_buf_puts(&b->task, b->message);
	} else {
		/* Read lossily, as the text of --message TEXT and of the
		 * files is written: invalid bytes as U+FFFD.  build has no
		 * --lossy to refuse it with, and the same bytes given as
		 * an argument make a body. */
		code = cli_read_text("-", 1, &b->task);
		if (code != EXIT_OK)
			return code;
		/* As the shell's $(...): the final line ends the input, not the task. */
		while (b->task.len && (b->task.ptr[b->task.len - 1] == '\n' ||
		                       b->task.ptr[b->task.len - 1] == '\r'))
			pa_buf_truncate(&b->task, b->task.len - 1);
	}
	for (i = 0; i < b->task.len; i++)
		if (!strchr(" \t\r\n", b->task.ptr[i]))
			return -1;
	return cli_usage_error(strcmp(b->message, "-")
	                       ? "--message is empty: a request body needs a task"
	                       : "standard input is empty: a request body needs a task");
}

/* --count-api: the prompt's exact count, asked as check and explain ask
 * it (each section, the same cache and key rules); a trimmed prompt, the
 * text printed, asked whole.  When no answer comes the estimate stands,
 * after a warning; an answer is said on standard error, but in json. */
static int count_exact(build *b, const cli_run *r)
{
	cli_api api;
	int code;

	if (!r->estimate || !r->cc_model)
		return EXIT_OK;  /* exact already, or no Claude model */
	code = cli_api_init(&api);
	if (code == EXIT_OK) {
		if (r->report->tokens_after == r->tokens &&
		    r->report->tokens_after == r->report->tokens_before)
			b->api = cli_api_count_prompt(&api, r->prompt, r->tok, r->cc_model,
			                              r->tokens, &b->api_tokens);
		else
			b->api = cli_api_count(&api, r->cc_model, r->text.ptr, r->text.len,
			                       &b->api_tokens);
	}
	cli_api_release(&api);
	if (b->api && b->fmt != CLI_FMT_JSON) {
		pa_buf model = PA_BUF_INIT, num = PA_BUF_INIT;

		Pa_quote_str(&model, r->cc_model);
		pa_buf_put_count(&num, b->api_tokens);
		cli_notef("exact count from Anthropic's count_tokens (%s): %s tokens",
		          model.ptr, num.ptr);
		pa_buf_release(&model);
		pa_buf_release(&num);
	}
	return code;
}

int cmd_build(int argc, char **argv)
{
	build b;
	cli_run r;
	pa_buf out = PA_BUF_INIT, main_name = PA_BUF_INIT;
	pa_harness_id main_cli;
	int code;

	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	b.task = (pa_buf)PA_BUF_INIT;
	cli_pipeline_init(&b.p);
	code = parse(&b, argc, argv);
	if (code >= 0)
		goto done;
	code = cli_pipeline_start(&b.p);
	if (code != EXIT_OK)
		goto done;
	b.body.api_model = b.api_model ? b.api_model
	                   : pa_config_setting(b.p.cfg, "api_model");
	b.body.task = &b.task;
	b.body.max_tokens = b.max_tokens;
	b.body.has_max_tokens = b.has_max_tokens;
	b.body.cache = b.cache;
	code = cli_clis_refused(&b.p.clis, optind < argc ? argv[optind] : NULL,
	                        b.count_api, b.fmt);
	if (code != EXIT_OK)
		goto done;
	if (argc - optind > 1) {
		code = cli_usage_error("more than one agent given");
		goto done;
	}
	/* An agent given: its prompt; none: the main session's part, where a
	 * CLI of the run has one; then the requests the table composes. */
	if (optind < argc) {
		/* budget_scope: context holds the whole context: estimated */
		code = cli_pipeline_run(&b.p, argv[optind], NULL, b.fmt == CLI_FMT_HTML
		                        ? HTML_RUN : pa_config_budget_scope(b.p.cfg) ==
		                        PA_SCOPE_CONTEXT ? CLI_RUN_TRIM | CLI_RUN_CONTEXT
		                        : CLI_RUN_TRIM, 10, &r);
	} else if (cli_clis_first(&b.p.clis, PA_HARNESS_SUPPORTS_MAIN_SESSION, &main_cli)) {
		pa_buf_printf(&main_name, "%s:.", pa_harness_name(main_cli));
		cli_clis_note_no_agent(&b.p);
		code = cli_pipeline_run_main(&b.p, main_name.ptr, b.fmt == CLI_FMT_HTML
		                             ? HTML_RUN : CLI_RUN_TRIM, 10, &r);
	} else {
		code = cli_clis_report(CLI_CLIS_BUILD, b.fmt, &b.body, &b.p, b.output,
		                       &out);
		goto done;
	}
	if (code != EXIT_OK)
		goto done;
	cli_pipeline_warn(&b.p, r.warn);
	if (r.trim_status != PA_ERR_OVER_BUDGET && b.count_api &&
	    (code = count_exact(&b, &r)) != EXIT_OK)
		goto done;
	if (!b.api)
		cli_run_note(&r);
	if (r.trim_status == PA_ERR_OVER_BUDGET) {
		pa_buf why = PA_BUF_INIT;

		cli_put_effective(&why, r.report);
		cli_errorf("the prompt of %s is over budget: what may not be trimmed "
		           "(the body%s) needs %zu tokens, %zu more than the budget of "
		           "%zu%s allows (--trim-body lets the body go too)",
		           main_name.len ? main_name.ptr : pa_agent_name(r.agent),
		           r.spec->n_rules ? ", floors" : "",
		           r.report->tokens_after, r.report->missing,
		           r.report->budget, why.len ? why.ptr : "");
		pa_buf_release(&why);
		code = EXIT_OVER_BUDGET;
		goto done;
	}
	/* as a prompt that does not fit: nothing is written */
	if (cli_run_context_over(&b.p, &r)) {
		code = EXIT_OVER_BUDGET;
		goto done;
	}
	if (b.fmt == CLI_FMT_TEXT)
		pa_buf_put(&out, r.text.ptr, r.text.len);
	else if (b.fmt == CLI_FMT_JSON)
		out_json(&out, &b, &r);
	else if (b.fmt == CLI_FMT_HTML)  /* the agent's page, as explain's */
		code = html_explain(&out, &r, NULL, 0, b.api ? &b.api_tokens : NULL);
	else
		code = out_request(&out, &b, &r);
	if (code == EXIT_OK && cli_clis_others(&b.p))
		code = cli_clis_report(CLI_CLIS_BUILD, b.fmt, &b.body, &b.p, b.output,
		                       &out);
	else if (code == EXIT_OK)
		/* -o never replaces a file the prompt was made of: the run
		 * noted the agent's, its sections' and the configs' */
		code = cli_pipeline_write_to(&b.p, b.output, out.ptr, out.len);
done:
	cli_run_release(&r);
	cli_pipeline_release(&b.p);
	pa_buf_release(&b.task);
	pa_buf_release(&out);
	pa_buf_release(&main_name);
	return code;
}
