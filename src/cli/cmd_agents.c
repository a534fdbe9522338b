/* cmd_agents.c - `promptasm agents`: every agent definition found, where
 * from, and which one `build <name>` uses. */
#define _POSIX_C_SOURCE 200809L
#include "render.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] = "promptasm agents [-f text|json] [-C DIR] [-q]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Lists every agent definition the lookup of 'build NAME' sees, in its\n"
	       "order, and which definition wins for each name.\n\n"
	       "  -f, --format FORMAT     text (default) or json\n"
	       "  -C, --project DIR       look as if started in DIR\n"
	       "      --no-config         ignore .promptasm.yaml\n"
	       "  -q, --quiet             no warnings\n"
	       "  -h, --help              this help\n", usage);
}

/* The first line of a description, at most max bytes (never cutting a
 * UTF-8 character), with "..." when shortened. */
static void put_summary(pa_buf *out, const char *s, size_t max)
{
	size_t n = strcspn(s, "\n");
	int more = s[n] != '\0';

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		more = 1;
	}
	pa_buf_put(out, s, n);
	if (more)
		pa_buf_puts(out, "...");
}

static void out_json(pa_buf *out, const pa_agent_entry *list, size_t n,
                     const pa_warnings *warn)
{
	size_t i;

	pa_buf_printf(out, "{\n  \"version\": %d,\n  \"agents\": [", PA_JSON_VERSION);
	for (i = 0; i < n; i++) {
		pa_buf_puts(out, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
		cli_json_str(out, list[i].name);
		pa_buf_puts(out, ", \"source\": ");
		cli_json_str(out, list[i].source);
		pa_buf_puts(out, ", \"path\": ");
		cli_json_str(out, list[i].path);
		pa_buf_printf(out, ", \"wins\": %s, \"model\": ",
		              list[i].wins ? "true" : "false");
		cli_json_str(out, list[i].model);
		pa_buf_puts(out, ", \"memory\": ");
		cli_json_str(out, list[i].memory);
		pa_buf_puts(out, ", \"description\": ");
		cli_json_str(out, list[i].description);
		pa_buf_puts(out, "}");
	}
	pa_buf_puts(out, n ? "\n  ],\n  " : "],\n  ");
	cli_json_warnings(out, warn, "  ");
	pa_buf_puts(out, "\n}\n");
}

static void out_text(pa_buf *out, const pa_agent_entry *list, size_t n)
{
	size_t wname = 4, wpath = 4, i, j;

	for (i = 0; i < n; i++) {
		if (strlen(list[i].name) > wname)
			wname = strlen(list[i].name);
		if (strlen(list[i].path) > wpath)
			wpath = strlen(list[i].path);
	}
	if (n)
		pa_buf_printf(out, "%-*s  %-7s  %-*s  %s\n", (int)wname, "NAME",
		              "SOURCE", (int)wpath, "FILE", "DESCRIPTION");
	for (i = 0; i < n; i++) {
		pa_buf_printf(out, "%-*s  %-7s  %-*s  ", (int)wname, list[i].name,
		              list[i].source, (int)wpath, list[i].path);
		if (list[i].wins) {
			put_summary(out, list[i].description, 60);
		} else {
			for (j = 0; j < n; j++)
				if (list[j].wins && !strcmp(list[j].name, list[i].name))
					break;
			if (j < n)
				pa_buf_printf(out, "(not used: %s wins)", list[j].path);
		}
		pa_buf_putc(out, '\n');
	}
}

int cmd_agents(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "project", required_argument, NULL, 'C' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "no-config", no_argument, NULL, CLI_OPT_NO_CONFIG },
		{ NULL, 0, NULL, 0 },
	};
	cli_pipeline p;
	pa_warnings warn = { NULL, 0 };
	pa_agent_entry *list = NULL;
	size_t n = 0;
	pa_buf out = PA_BUF_INIT;
	pa_error err;
	int c, json = 0, code = -1;

	cli_pipeline_init(&p);
	while (code < 0 && (c = getopt_long(argc, argv, "f:C:qh", opts, NULL)) != -1) {
		if (c == 'h') {
			help();
			code = EXIT_OK;
		} else if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "text"))) {
			json = !strcmp(optarg, "json");
		} else if (c == 'f') {
			code = cli_usage_error("unknown format '%s' (text or json)",
			                       optarg);
		} else if (c == '?' || cli_pipeline_option(&p, c, optarg) != 1) {
			code = cli_option_error(argv, "f:C:qh", opts);
		}
	}
	if (code < 0 && optind < argc)
		code = cli_usage_error("unknown argument '%s'", argv[optind]);
	if (code < 0)
		code = cli_pipeline_start(&p);
	if (code != EXIT_OK)
		goto done;
	if (pa_agent_list(&p.opt, &list, &n, &warn, &err) != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(err.status);
		goto done;
	}
	cli_pipeline_warn(&p, &warn);
	if (json)
		out_json(&out, list, n, &warn);
	else
		out_text(&out, list, n);
	code = cli_write_stdout(out.ptr, out.len);
done:
	pa_buf_release(&out);
	pa_agent_entry_free(list, n);
	pa_warnings_release(&warn);
	cli_pipeline_release(&p);
	return code;
}
