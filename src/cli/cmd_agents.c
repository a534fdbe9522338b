/* cmd_agents.c - `promptasm agents`: every agent definition found, where
 * from, and which one `build <name>` uses. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline.h"
#include "render.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] = "promptasm agents [-f text|json] [--listing] [-C DIR]\n"
"       [--no-managed | --managed-file FILE] [--plugin-dir DIR] [-q]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Lists every agent definition the lookup of 'build NAME' sees, in its\n"
	       "order, and which definition wins for each name, then the auto memory\n"
	       "file Claude Code sends every agent.\n\n"
	       "  -f, --format FORMAT     text (default) or json\n"
	       "      --listing           a column of what each agent costs in the main\n"
	       "                          session's agents listing (JSON: always, listing)\n"
	       "  -C, --project DIR       look as if started in DIR\n"
	       "      --no-managed        leave out the managed policy (its agents and\n"
	       "                          settings)\n"
	       "      --managed-file FILE read the managed policy from FILE (its agents\n"
	       "                          in .claude/agents/ beside it)\n"
	       "      --plugin-dir DIR    the agents of the plugin (or folder of plugins)\n"
	       "                          DIR too, as Claude Code's --plugin-dir (repeat)\n"
	       "      --no-config         ignore .promptasm.yaml\n"
	       "      --no-auto-memory    leave out the auto memory file\n"
	       "  -q, --quiet             no warnings\n"
	       "  -h, --help              this help\n", usage);
}

/* The first line of a description quoted as running text (util.h), at
 * most max characters, with "..." when shortened. */
static void put_summary(pa_buf *out, const char *s, size_t max)
{
	size_t n = strcspn(s, "\n"), i, chars = 0;
	int more = s[n] != '\0';
	pa_buf line = PA_BUF_INIT;

	Pa_quote_text(&line, s, n);
	for (i = 0; i < line.len; i++) {
		if (((unsigned char)line.ptr[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == max) {
			pa_buf_truncate(&line, i);
			more = 1;
			break;
		}
	}
	pa_buf_put(out, line.ptr, line.len);
	if (more)
		pa_buf_puts(out, "...");
	pa_buf_release(&line);
}

/* The cost of an agent's line in the main session's agents listing, from
 * the session's estimate; 0 for a definition that does not win. */
static size_t listing_of(const pa_main_session *s, const pa_agent_entry *e)
{
	const pa_main_part *p = s ? &s->parts[PA_MAIN_AGENTS] : NULL;
	size_t i;

	for (i = 0; e->wins && p && i < p->n_items; i++)
		if (!p->items[i].builtin && !strcmp(p->items[i].name, e->name))
			return p->items[i].tokens;
	return 0;
}

static void out_json(pa_buf *out, const pa_agent_entry *list, size_t n,
                     const pa_main_session *s, const char *auto_memory,
                     const pa_warnings *warn)
{
	size_t i;
	Pa_jw w;

	Pa_jw_report(&w, out);
	Pa_jw_array(&w, "agents", PA_JW_LINES);
	for (i = 0; i < n; i++) {
		Pa_jw_object(&w, NULL, PA_JW_INLINE);
		Pa_jw_str(&w, "name", list[i].name);
		Pa_jw_str(&w, "source", list[i].source);
		Pa_jw_str(&w, "path", list[i].path);
		Pa_jw_bool(&w, "wins", list[i].wins);
		Pa_jw_str(&w, "model", list[i].model);
		Pa_jw_str(&w, "memory", list[i].memory);
		Pa_jw_str(&w, "description", list[i].description);
		if (s && list[i].wins)
			Pa_jw_uint(&w, "listing", listing_of(s, &list[i]));
		else
			Pa_jw_null(&w, "listing");
		Pa_jw_end(&w);
	}
	Pa_jw_end(&w);
	Pa_jw_str(&w, "auto_memory", auto_memory);
	cli_json_warnings(&w, warn);
	Pa_jw_finish(&w);
}

static void out_text(pa_buf *out, const pa_agent_entry *list, size_t n,
                     const pa_main_session *s, const char *auto_memory)
{
	size_t wname = 4, wpath = 4, w, i, j;

	for (i = 0; i < n; i++) {
		if ((w = cli_cell_width(list[i].name)) > wname)
			wname = w;
		if ((w = cli_cell_width(list[i].path)) > wpath)
			wpath = w;
	}
	if (n)
		pa_buf_printf(out, "%-*s  %-7s  %-*s  %s%s\n", (int)wname, "NAME",
		              "SOURCE", (int)wpath, "FILE", s ? "LISTING  " : "", "DESCRIPTION");
	for (i = 0; i < n; i++) {
		cli_put_cell(out, list[i].name, wname + 2);
		pa_buf_printf(out, "%-7s  ", list[i].source);
		cli_put_cell(out, list[i].path, wpath + 2);
		if (s && list[i].wins)
			pa_buf_printf(out, "%7zu  ", listing_of(s, &list[i]));
		else if (s)
			pa_buf_printf(out, "%7s  ", "-");
		if (list[i].wins) {
			put_summary(out, list[i].description, 60);
		} else {
			for (j = 0; j < n; j++)
				if (list[j].wins && !strcmp(list[j].name, list[i].name))
					break;
			if (j < n) {
				pa_buf_puts(out, "(not used: ");
				cli_put_cell(out, list[j].path, 0);
				pa_buf_puts(out, " wins)");
			}
		}
		pa_buf_putc(out, '\n');
	}
	/* Claude Code sends it to every agent, after the instruction files. */
	if (auto_memory) {
		pa_buf_printf(out, "%sauto memory, sent to every agent: ",
		              n ? "\n" : "");
		Pa_quote_str(out, auto_memory);
		pa_buf_putc(out, '\n');
	}
}

const cli_opt cli_agents_opts[] = {
	CLI_OPT_FORMAT("text json"),
	{ "listing", no_argument, CLI_OPT_FIRST_OWN, 0, CLI_VALUE_NONE, NULL },
	{ "project", required_argument, 'C', 'C', CLI_VALUE_DIR, NULL },
	{ "no-managed", no_argument, CLI_OPT_NO_MANAGED, 0, CLI_VALUE_NONE, NULL },
	{ "managed-file", required_argument, CLI_OPT_MANAGED_FILE, 0, CLI_VALUE_FILE, NULL },
	{ "quiet", no_argument, 'q', 'q', CLI_VALUE_NONE, NULL },
	{ "help", no_argument, 'h', 'h', CLI_VALUE_NONE, NULL },
	{ "no-config", no_argument, CLI_OPT_NO_CONFIG, 0, CLI_VALUE_NONE, NULL },
	{ "no-auto-memory", no_argument, CLI_OPT_NO_AUTO_MEMORY, 0, CLI_VALUE_NONE, NULL },
	{ "plugin-dir", required_argument, CLI_OPT_PLUGIN_DIR, 0, CLI_VALUE_DIR, NULL },
	CLI_OPT_END
};

int cmd_agents(int argc, char **argv)
{
	cli_getopt g;
	cli_pipeline p;
	pa_warnings warn = { NULL, 0 };
	pa_agent_entry *list = NULL;
	pa_main_session *session = NULL;
	char *auto_memory = NULL;
	size_t n = 0, shown = 0;
	pa_buf out = PA_BUF_INIT;
	pa_error err;
	int c, r, json = 0, code = -1, listing = 0;

	cli_getopt_init(&g, cli_agents_opts);
	cli_pipeline_init(&p);
	while (code < 0 && (c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		if (c == 'h') {
			help();
			code = EXIT_OK;
		} else if (c == CLI_OPT_FIRST_OWN) {
			listing = 1;
		} else if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "text"))) {
			json = !strcmp(optarg, "json");
		} else if (c == 'f') {
			code = cli_usage_error("unknown format '%s' (text or json)",
			                       optarg);
		} else if (c == '?' || (r = cli_pipeline_option(&p, c, optarg)) == 0) {
			code = cli_option_error(argv, g.shortopts, g.longopts);
		} else if (r < 0) {
			code = EXIT_USAGE;
		}
	}
	if (code < 0 && optind < argc)
		code = cli_usage_error("unknown argument '%s'", argv[optind]);
	if (code >= 0)   /* --help, or a usage error */
		goto done;
	p.claude_only = 1; /* its list is Claude Code's agents */
	code = cli_pipeline_start(&p);
	if (code != EXIT_OK)
		goto done;
	if (pa_agent_list(&p.opt, &list, &n, &warn, &err) != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(err.status);
		goto done;
	}
	if (pa_auto_memory_path(&p.opt, &auto_memory, &warn, &err) != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(err.status);
		goto done;
	}
	cli_pipeline_warn(&p, &warn);
	/* An agent the settings deny is not listed, as Claude Code does not
	 * list it (a warning named it); it stays last in list, to be freed. */
	{
		pa_agent_entry *kept = Pa_xcalloc(n ? n : 1, sizeof(*kept));
		size_t k = 0, i;

		for (i = 0; i < n; i++)
			if (!list[i].denied)
				kept[k++] = list[i];
		shown = k;
		for (i = 0; i < n; i++)
			if (list[i].denied)
				kept[k++] = list[i];
		if (n)
			memcpy(list, kept, n * sizeof(*list));
		free(kept);
	}
	/* Each agent's cost in the main session's agents listing. */
	{
		const pa_tokenizer *tok;
		int tm = 0;
		pa_warnings sw = { NULL, 0 };
		int tc = EXIT_OK;

		tok = cli_main_session_tokenizer(&p, &tm, &tc);
		if (!tok) {
			code = tc;
			goto done;
		}
		if (pa_main_session_estimate(&p.opt, tok, p.model ? p.model : pa_config_model(p.cfg),
		                        NULL, &session, &sw, &err) != PA_OK) {
			cli_print_error(&err);
			code = cli_exit_code(err.status);
			pa_warnings_release(&sw);
			goto done;
		}
		pa_warnings_release(&sw);
	}
	if (json)
		out_json(&out, list, shown, session, auto_memory, &warn);
	else
		out_text(&out, list, shown, listing ? session : NULL, auto_memory);
	code = cli_write_stdout(out.ptr, out.len);
	/* As check: no agent at all is a wrong directory more often than a
	 * project without agents.  JSON is still written, for a jq after. */
	if (code == EXIT_OK && n == 0) {
		cli_errorf("no agents in .claude/agents/ of the project or of "
		           "~/.claude/agents/");
		code = EXIT_USAGE;
	}
done:
	pa_buf_release(&out);
	pa_main_session_free(session);
	pa_free(auto_memory);
	pa_agent_entry_free(list, n);
	pa_warnings_release(&warn);
	cli_pipeline_release(&p);
	return code;
}
