/* cmd_tokenizers.c - `promptasm tokenizers` (what can count, and how
 * exactly) and `promptasm compile-tokenizer` (the build's table step). */
#define _GNU_SOURCE
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "promptasm tokenizers [--format text|json]";

int cmd_tokenizers(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	pa_tokenizer_info *list;
	size_t n, i;
	pa_error err;
	int c, json = 0;
	char *dir;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "json"))
				json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cli_usage_error(usage, "unknown format '%s'", optarg);
			break;
		case 'h':
			printf("usage: %s\n\nLists the tokenizers, whether their counts are "
			       "exact for the models they\nserve, and those models.\n", usage);
			return EXIT_OK;
		default:
			return cli_usage_error(usage, "see 'promptasm tokenizers --help'");
		}
	}
	if (optind < argc)
		return cli_usage_error(usage, "tokenizers takes no arguments");
	if (pa_tokenizer_list(NULL, &list, &n, &err) != PA_OK) {
		cli_print_error(&err);
		return EXIT_FAILURE_IO;
	}
	dir = pa_tokenizer_dir(NULL);
	if (json) {
		printf("{\"directory\":");
		cli_json_string(dir ? dir : "");
		printf(",\"default\":\"%s\",\"tokenizers\":[", PA_DEFAULT_TOKENIZER);
		for (i = 0; i < n; i++) {
			printf("%s{\"name\":", i ? "," : "");
			cli_json_string(list[i].name);
			printf(",\"exact\":%s,\"reference\":", list[i].estimate ? "false" : "true");
			cli_json_string(list[i].reference);
			printf(",\"models\":");
			cli_json_string(list[i].models);
			printf(",\"error_band\":");
			cli_json_string(list[i].error_band);
			printf("}");
		}
		printf("]}\n");
	} else {
		for (i = 0; i < n; i++) {
			printf("%s%s\n", list[i].name,
			       !strcmp(list[i].name, PA_DEFAULT_TOKENIZER) ? " (default)" : "");
			printf("  counts:    %s\n", list[i].estimate
			       ? "estimate for the models below" : "exact");
			printf("  ids equal: %s\n", list[i].reference);
			printf("  models:    %s\n", list[i].models);
			if (list[i].estimate)
				printf("  error:     %s\n", list[i].error_band);
		}
		printf("from %s\n", dir ? dir : "?");
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
		return cli_usage_error(cusage, "compile-tokenizer takes two arguments");
	if (pa_tokenizer_compile(argv[1], argv[2], &err) != PA_OK) {
		cli_print_error(&err);
		return cli_exit_code(err.status);
	}
	return EXIT_OK;
}
