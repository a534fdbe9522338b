/* cmd_agents.c - `promptasm agents`: every agent definition found, where
 * from, and which one `build <name>` uses. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] = "promptasm agents [-f text|json] [-C DIR] [-q]";

static const char help[] =
	"promptasm agents [-f text|json] [-C DIR] [-q]\n"
	"\n"
	"  -f, --format FORMAT  text (default) or json\n"
	"  -C, --project DIR    look as if started in DIR\n"
	"  -q, --quiet          no warnings";

static void put_json_or_null(pa_buf *out, const char *s)
{
	if (s)
		pa_json_put_string(out, s, strlen(s));
	else
		pa_buf_puts(out, "null");
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

int cmd_agents(int argc, char **argv)
{
	pa_compose_options opt;
	pa_warnings warn = { NULL, 0 };
	pa_agent_entry *list = NULL;
	size_t n = 0, i;
	pa_buf out = PA_BUF_INIT;
	pa_error err;
	const char *format = "text";
	int code = EXIT_OK, json;

	memset(&opt, 0, sizeof(opt));
	for (i = 1; i < (size_t)argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf("usage: %s\n", help);
			return EXIT_OK;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			cli_quiet = 1;
		} else if (!strcmp(a, "-f") || !strcmp(a, "--format") ||
		           !strcmp(a, "-C") || !strcmp(a, "--project")) {
			if (i + 1 >= (size_t)argc)
				return cli_usage_error(usage, "option %s needs a value", a);
			if (a[1] == 'f' || a[2] == 'f')
				format = argv[++i];
			else
				opt.cwd = argv[++i];
		} else if (!strncmp(a, "--format=", 9)) {
			format = a + 9;
		} else if (!strncmp(a, "--project=", 10)) {
			opt.cwd = a + 10;
		} else {
			return cli_usage_error(usage, "unknown argument '%s'", a);
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage_error(usage, "unknown format '%s' (text or json)", format);
	json = !strcmp(format, "json");
	opt.home = getenv("HOME");
	if (pa_agent_list(&opt, &list, &n, &warn, &err) != PA_OK) {
		cli_print_error(&err);
		pa_warnings_release(&warn);
		return cli_exit_code(err.status);
	}
	for (i = 0; i < warn.n; i++)
		cli_warnf("%s", warn.items[i]);
	if (json) {
		pa_buf_puts(&out, "[");
		for (i = 0; i < n; i++) {
			pa_buf_puts(&out, i ? ",\n  {" : "\n  {");
			pa_buf_puts(&out, "\"name\": ");
			put_json_or_null(&out, list[i].name);
			pa_buf_puts(&out, ", \"source\": ");
			put_json_or_null(&out, list[i].source);
			pa_buf_puts(&out, ", \"path\": ");
			put_json_or_null(&out, list[i].path);
			pa_buf_puts(&out, ", \"wins\": ");
			pa_buf_puts(&out, list[i].wins ? "true" : "false");
			pa_buf_puts(&out, ", \"model\": ");
			put_json_or_null(&out, list[i].model);
			pa_buf_puts(&out, ", \"memory\": ");
			put_json_or_null(&out, list[i].memory);
			pa_buf_puts(&out, ", \"description\": ");
			put_json_or_null(&out, list[i].description);
			pa_buf_puts(&out, "}");
		}
		pa_buf_puts(&out, n ? "\n]\n" : "]\n");
	} else {
		size_t wname = 4, wpath = 4;
		for (i = 0; i < n; i++) {
			if (strlen(list[i].name) > wname)
				wname = strlen(list[i].name);
			if (strlen(list[i].path) > wpath)
				wpath = strlen(list[i].path);
		}
		if (n)
			pa_buf_printf(&out, "%-*s  %-7s  %-*s  %s\n", (int)wname, "NAME",
			              "SOURCE", (int)wpath, "FILE", "DESCRIPTION");
		for (i = 0; i < n; i++) {
			pa_buf_printf(&out, "%-*s  %-7s  %-*s  ", (int)wname, list[i].name,
			              list[i].source, (int)wpath, list[i].path);
			if (list[i].wins) {
				put_summary(&out, list[i].description, 60);
			} else {
				size_t j;
				for (j = 0; j < i; j++)
					if (list[j].wins && !strcmp(list[j].name, list[i].name))
						break;
				pa_buf_printf(&out, "(not used: %s wins)", list[j].path);
			}
			pa_buf_putc(&out, '\n');
		}
	}
	code = cli_write_stdout(out.ptr, out.len);
	pa_buf_release(&out);
	pa_agent_entry_free(list, n);
	pa_warnings_release(&warn);
	return code;
}
