/* cmd_tokenizers.c - `promptasm tokenizers` (what can count, and how
 * exactly) and `promptasm compile-tokenizer` (the build's table step). */
#define _GNU_SOURCE
#include "cli.h"

#include "options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "promptasm tokenizers [-f text|json] [-q]";

/* A comma-separated list as a JSON array of strings. */
static void json_models(Pa_jw *w, const char *models)
{
	const char *p = models;

	Pa_jw_array(w, "models", PA_JW_INLINE);
	while (*p) {
		size_t n = strcspn(p, ",");
		const char *s = p;

		while (n && *s == ' ') {
			s++;
			n--;
		}
		if (n)
			Pa_jw_strn(w, NULL, s, n);
		p = s + n;
		if (*p == ',')
			p++;
	}
	Pa_jw_end(w);
}

static void json_list(pa_buf *out, const char *dir, const pa_tokenizer_info *list,
                      size_t n)
{
	size_t i;
	Pa_jw w;

	Pa_jw_report(&w, out);
	Pa_jw_str(&w, "directory", dir ? dir : "");
	Pa_jw_str(&w, "default", PA_DEFAULT_TOKENIZER);
	Pa_jw_array(&w, "tokenizers", PA_JW_LINES);
	for (i = 0; i < n; i++) {
		Pa_jw_object(&w, NULL, PA_JW_INLINE);
		Pa_jw_str(&w, "name", list[i].name);
		Pa_jw_bool(&w, "exact", !list[i].estimate);
		Pa_jw_str(&w, "reference", list[i].reference);
		json_models(&w, list[i].models);
		Pa_jw_str(&w, "error_band", list[i].error_band);
		Pa_jw_end(&w);
	}
	Pa_jw_finish(&w);
}

const cli_opt cli_tokenizers_opts[] = {
	CLI_OPT_FORMAT("text json"),
	/* as every command takes it, though this one has no warnings */
	{ "quiet", no_argument, 'q', 'q', CLI_VALUE_NONE, NULL },
	{ "help", no_argument, 'h', 'h', CLI_VALUE_NONE, NULL },
	CLI_OPT_END
};

int cmd_tokenizers(int argc, char **argv)
{
	cli_getopt g;
	pa_tokenizer_info *list;
	size_t n, i;
	pa_error err;
	int c, json = 0;
	char *dir;

	cli_getopt_init(&g, cli_tokenizers_opts);
	while ((c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "json"))
				json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cli_usage_error("unknown format '%s' (text or json)", optarg);
			break;
		case 'q':
			cli_quiet = 1;
			break;
		case 'h':
			printf("usage: %s\n\nLists the tokenizers, whether their counts are "
			       "exact for the models they\nserve, and those models.\n\n"
			       "  -f, --format FORMAT     text (default) or json\n"
			       "  -q, --quiet             no warnings\n"
			       "  -h, --help              this help\n", usage);
			return EXIT_OK;
		default:
			return cli_option_error(argv, g.shortopts, g.longopts);
		}
	}
	if (optind < argc)
		return cli_usage_error("unexpected argument '%s'", argv[optind]);
	if (pa_tokenizer_list(NULL, &list, &n, &err) != PA_OK) {
		cli_print_error(&err);
		return EXIT_FAILURE_IO;
	}
	dir = pa_tokenizer_dir(NULL);
	if (!n) {
		/* a directory with no tokenizer counts nothing: an empty
		 * list would pass a script's check for one */
		pa_buf q = PA_BUF_INIT;

		Pa_quote_str(&q, dir ? dir : "?");
		cli_errorf("no tokenizer in %s (PROMPTASM_TOKENIZERS names the "
		           "directory; make builds the tables)", q.ptr);
		pa_buf_release(&q);
		free(dir);
		pa_tokenizer_info_free(list, n);
		return EXIT_FAILURE_IO;
	}
	if (json) {
		pa_buf out = PA_BUF_INIT;

		json_list(&out, dir, list, n);
		fwrite(out.ptr, 1, out.len, stdout);
		pa_buf_release(&out);
	} else {
		/* A directory of one's own tokenizers may be a repository's:
		 * its names and manifests' texts pass the quoting rule, so no
		 * line starts a workflow command or holds an escape. */
		pa_buf out = PA_BUF_INIT;

		for (i = 0; i < n; i++) {
			Pa_quote_str(&out, list[i].name);
			pa_buf_printf(&out, "%s\n  counts:    %s\n  ids equal: ",
			              !strcmp(list[i].name, PA_DEFAULT_TOKENIZER)
			              ? " (default)" : "", list[i].estimate
			              ? "estimate for the models below" : "exact");
			Pa_quote_text(&out, list[i].reference, strlen(list[i].reference));
			pa_buf_puts(&out, "\n  models:    ");
			Pa_quote_text(&out, list[i].models, strlen(list[i].models));
			pa_buf_putc(&out, '\n');
			if (list[i].estimate) {
				pa_buf_puts(&out, "  error:     ");
				Pa_quote_text(&out, list[i].error_band,
				              strlen(list[i].error_band));
				pa_buf_putc(&out, '\n');
			}
		}
		pa_buf_puts(&out, "from ");
		Pa_quote_str(&out, dir ? dir : "?");
		pa_buf_putc(&out, '\n');
		fwrite(out.ptr, 1, out.len, stdout);
		pa_buf_release(&out);
	}
	free(dir);
	pa_tokenizer_info_free(list, n);
	return EXIT_OK;
}

int cmd_compile_tokenizer(int argc, char **argv)
{
	static const char cusage[] = "promptasm compile-tokenizer MANIFEST OUTPUT";
	pa_error err;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: %s\n\nChecks the rank file of MANIFEST against its SHA-256 "
		       "and writes the\nmapped rank table to OUTPUT (make does this).\n",
		       cusage);
		return EXIT_OK;
	}
	if (argc != 3)
		return cli_usage_error("needs two arguments, MANIFEST and OUTPUT");
	if (pa_tokenizer_compile(argv[1], argv[2], &err) != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(err.status);
	}
	return EXIT_OK;
}
