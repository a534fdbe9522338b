/* format.c - the commands' output formats (format.h). */
#include "format.h"
#include "cli.h"
#include "util.h"

#include <string.h>

static const char *const names[CLI_FMT_COUNT] = {
	"text", "json", "markdown", "html", "github", "junit", "anthropic",
	"anthropic-count", "openai"
};

const char *cli_format_name(cli_format f)
{
	return (unsigned)f < CLI_FMT_COUNT ? names[f] : "?";
}

int cli_format_parse(const char *arg, const cli_format *offered, size_t n,
                     cli_format *out)
{
	pa_buf list = PA_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(arg, names[offered[i]])) {
			*out = offered[i];
			return 1;
		}
	for (i = 0; i < n; i++)
		pa_buf_printf(&list, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ",
		              names[offered[i]]);
	cli_usage_error("unknown format '%s' (%s)", arg, list.ptr);
	pa_buf_release(&list);
	return 0;
}
