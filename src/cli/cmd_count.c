/* cmd_count.c - `promptasm count`: token counts of files, like wc. */
#define _GNU_SOURCE
#include "cli.h"
#include "util.h"
#include "count_stream.h"
#include "count_tree.h"
#include "count_api.h"

#include "options.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PA_STR1(x) #x
#define PA_XSTR(x) PA_STR1(x)

static const char usage[] =
	"promptasm count [-t TOKENIZER | -m MODEL] [-j N] [--lossy] [--count-api] [-f text|json]\n"
	"                       [--no-ignore] [--exclude GLOB]... [--skip-generated] [--top N]\n"
	"                       [--sort tokens|path] [--share] [--max-entries N]\n"
	"                       [FILE|DIR... | --text TEXT]";

static void help(void)
{
	printf("usage: %s\n\n"
	       "Counts the tokens of each FILE (standard input when none or '-'):\n"
	       "the count first on each line, then the name, and a total line when\n"
	       "there are several files.  An input of any size is read in blocks,\n"
	       "in bounded memory, and counted on several cores.  A DIR is shown as\n"
	       "a tree of its files, each directory with the sum of what it holds,\n"
	       "leaving out what .gitignore files and .git/info/exclude leave out.\n"
	       "Standard input counted with the default tokenizer gets a note that\n"
	       "names it: -m MODEL counts as build and explain do for MODEL.\n\n"
	       "  -t, --tokenizer NAME  tokenizer (default: " PA_DEFAULT_TOKENIZER ")\n"
	       "  -m, --model MODEL     the tokenizer that serves MODEL\n"
	       "  -j, --jobs N          count on N threads (default: the CPUs for a file\n"
	       "                        of 4 MB or more, else 1)\n"
	       "      --lossy           replace invalid UTF-8 with U+FFFD instead of failing\n"
	       "      --text TEXT       count TEXT, not a file (as ttok's arguments)\n"
	       "      --no-ignore       DIR: count what .gitignore leaves out too\n"
	       "      --exclude GLOB    DIR: leave out what GLOB matches (gitignore's\n"
	       "                        syntax, from DIR; repeatable)\n"
	       "      --skip-generated  DIR: leave out lock files, build output, caches,\n"
	       "                        logs, snapshots, source maps and binaries by name\n"
	       "                        (repomix's default patterns and more)\n"
	       "      --top N           DIR: the total and the N largest files, largest\n"
	       "                        first, not the tree\n"
	       "      --sort KEY        DIR: tokens (largest first) or path (the default,\n"
	       "                        but with --top)\n"
	       "      --share           DIR: each file's and directory's share of the\n"
	       "                        total, in percent\n"
	       "      --max-entries N   DIR: read at most N files and directories (default\n"
	       "                        " PA_XSTR(PA_WALK_MAX_ENTRIES) "), else fail\n"
	       "      --count-api       count each FILE exactly for a current Claude model\n"
	       "                        (-m, else Claude Code's default) with Anthropic's\n"
	       "                        count_tokens, as check does (key from\n"
	       "                        ANTHROPIC_API_KEY; answers cached)\n"
	       "  -f, --format FORMAT   text (default) or json\n"
	       "  -q, --quiet           no notes or warnings on standard error\n"
	       "  -h, --help            this help\n",
	       usage);
}

const cli_opt cli_count_opts[] = {
	{ "tokenizer", required_argument, 't', 't', CLI_VALUE_TOKENIZER, NULL },
	{ "model", required_argument, 'm', 'm', CLI_VALUE_MODEL, NULL },
	{ "lossy", no_argument, 'L', 0, CLI_VALUE_NONE, NULL },
	{ "jobs", required_argument, 'j', 'j', CLI_VALUE_NONE, NULL },
	{ "no-ignore", no_argument, 'I', 0, CLI_VALUE_NONE, NULL },
	{ "exclude", required_argument, 'x', 0, CLI_VALUE_NONE, NULL },
	{ "top", required_argument, 'T', 0, CLI_VALUE_NONE, NULL },
	{ "sort", required_argument, 'S', 0, CLI_VALUE_WORDS, "tokens path" },
	{ "skip-generated", no_argument, 'G', 0, CLI_VALUE_NONE, NULL },
	{ "share", no_argument, 'P', 0, CLI_VALUE_NONE, NULL },
	{ "max-entries", required_argument, 'E', 0, CLI_VALUE_NONE, NULL },
	{ "count-api", no_argument, 'A', 0, CLI_VALUE_NONE, NULL },
	{ "text", required_argument, 'X', 0, CLI_VALUE_NONE, NULL },
	CLI_OPT_FORMAT("text json"),
	{ "quiet", no_argument, 'q', 'q', CLI_VALUE_NONE, NULL },
	{ "help", no_argument, 'h', 'h', CLI_VALUE_NONE, NULL },
	CLI_OPT_END
};

int cmd_count(int argc, char **argv)
{
	cli_getopt g;
	const char *name = NULL, *model = NULL, *text = NULL;
	int lossy = 0, json = 0, c, code = EXIT_OK, i, nfiles, jobs = 0;
	char *stdin_only[] = { "-" };
	char **files;
	size_t total = 0;
	pa_tokenizer *tok;
	pa_buf out = PA_BUF_INIT;
	Pa_jw w;
	int count_api = 0, exact;
	size_t *api_n = NULL;
	cli_count_tree_options tree;
	const char **excludes = NULL;
	size_t n_excludes = 0;
	int sorted = 0;
	const char *dir_opt = NULL;  /* the last option only a DIR takes */

	memset(&tree, 0, sizeof(tree));
	tree.max_entries = PA_WALK_MAX_ENTRIES;

	cli_getopt_init(&g, cli_count_opts);
	while ((c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		switch (c) {
		case 'j': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || v < 1 || v > CLI_COUNT_MAX_JOBS)
				return cli_usage_error("-j takes a number of threads from 1 to %d",
				                       CLI_COUNT_MAX_JOBS);
			jobs = (int)v;
			break;
		}
		case 'T': case 'E': {
			char *end;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || v < 1 || v > (size_t)-1 / 2) {
				free(excludes);
				return cli_usage_error("--%s takes a number from 1",
				                       c == 'T' ? "top" : "max-entries");
			}
			if (c == 'T')
				tree.top = (size_t)v;
			else
				tree.max_entries = (size_t)v;
			dir_opt = c == 'T' ? "--top" : "--max-entries";
			break;
		}
		case 'S':
			sorted = 1;
			dir_opt = "--sort";
			if (!strcmp(optarg, "tokens")) {
				tree.sort_tokens = 1;
			} else if (strcmp(optarg, "path")) {
				free(excludes);
				return cli_usage_error("unknown sort '%s' (tokens or path)", optarg);
			}
			break;
		case 'I': tree.no_ignore = 1; dir_opt = "--no-ignore"; break;
		case 'G': tree.skip_generated = 1; dir_opt = "--skip-generated"; break;
		case 'P': tree.share = 1; dir_opt = "--share"; break;
		case 'x':
			dir_opt = "--exclude";
			excludes = Pa_xgrow(excludes, n_excludes, sizeof(*excludes));
			excludes[n_excludes++] = optarg;
			break;
		case 't': name = optarg; break;
		case 'm': model = optarg; break;
		case 'L': lossy = 1; break;
		case 'A': count_api = 1; break;
		case 'X': text = optarg; break;
		case 'q': cli_quiet = 1; break;
		case 'f':
			if (!strcmp(optarg, "json"))
				json = 1;
			else if (strcmp(optarg, "text") != 0)
				return cli_usage_error("unknown format '%s' (text or json)", optarg);
			break;
		case 'h': help(); return EXIT_OK;
		default: return cli_option_error(argv, g.shortopts, g.longopts);
		}
	}
	if (name && model) {
		free(excludes);
		return cli_usage_error("-t and -m exclude each other");
	}
	if (text && (argc > optind || count_api)) {
		free(excludes);
		return cli_usage_error("--text counts its TEXT: it takes no FILE "
		                       "or --count-api");
	}
	/* What only a tree has (--top, --share ...) given where there is no
	 * DIR would be dropped without a word: `count --top 3 *.md` prints
	 * every file.  Refused instead, as any option that cannot be
	 * honoured.  A path that is not there is left to fail as itself. */
	for (i = optind; dir_opt && !text && i < argc; i++) {
		struct stat st;

		if (strcmp(argv[i], "-") &&
		    (stat(argv[i], &st) != 0 || S_ISDIR(st.st_mode)))
			dir_opt = NULL;
	}
	if (dir_opt) {
		free(excludes);
		return cli_usage_error("%s is for a DIR, and no DIR is given", dir_opt);
	}
	/* --count-api counts for a current Claude model, without -t or -m
	 * Claude Code's default: its tokenizer gives the estimate that
	 * stands when count_tokens does not answer, not the default
	 * tokenizer's count of another model's tokens. */
	if (count_api && !name && !model)
		model = pa_claude_code_model(NULL, NULL);
	tok = cli_load_tokenizer(name, model, &code);
	if (!tok) {
		free(excludes);
		return code;
	}
	/* A tokenizer exact for its models (o200k_base, gpt-4o, claude-2.1)
	 * counts no current Claude model: the API's count would stand for a
	 * count the user did not ask for. */
	if (count_api && !pa_tokenizer_is_estimate(tok, model)) {
		pa_tokenizer_free(tok);
		free(excludes);
		return model ? cli_usage_error("--count-api counts a current Claude "
		                               "model's tokens, and '%s' is not one",
		                               model)
		             : cli_usage_error("--count-api counts a current Claude "
		                               "model's tokens: -t %s counts other "
		                               "models'; give -m MODEL", name);
	}
	/* --top N: the N largest, largest first (du | sort -rn | head). */
	if (tree.top && !sorted)
		tree.sort_tokens = 1;
	tree.lossy = lossy;
	tree.jobs = jobs;
	tree.excludes = excludes;
	tree.n_excludes = n_excludes;
	nfiles = argc - optind;
	files = nfiles ? argv + optind : stdin_only;
	if (!nfiles)
		nfiles = 1;

	exact = !pa_tokenizer_is_estimate(tok, model);
	if (count_api) {
		code = cli_count_api_files(files, nfiles, model, &api_n);
		exact = api_n != NULL;
		if (code != EXIT_OK) {
			pa_tokenizer_free(tok);
			free(excludes);
			return code;
		}
	}
	/* "files" comes before the total: the report is written as the files
	 * are counted and the total added at the end. */
	Pa_jw_report(&w, &out);
	Pa_jw_str(&w, "tokenizer", api_n ? "count_tokens" : pa_tokenizer_name(tok));
	Pa_jw_bool(&w, "exact", exact);
	Pa_jw_array(&w, "files", PA_JW_LINES);
	if (!json)
		pa_buf_reset(&out);
	for (i = 0; i < nfiles; i++) {
		size_t n = 0;
		struct stat st;
		int rc;

		if (strcmp(files[i], "-") && stat(files[i], &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			/* The last input, after none that failed: its tree
			 * may be written as it is rendered (a tree of 300,000
			 * files is some 25 MB of text), as nothing after it can
			 * fail but that writing. */
			tree.write_out = i + 1 == nfiles && code == EXIT_OK;
			rc = cli_count_tree(tok, files[i], &tree, json ? &w : NULL, &out, &n);
			if (rc != EXIT_OK)
				code = rc;
			else
				total += n;
			continue;
		}
		if (text) {
			pa_buf arg = PA_BUF_INIT;
			pa_error err;

			rc = cli_text_arg(text, lossy, &arg);
			if (rc == EXIT_OK &&
			    pa_tokenizer_count(tok, arg.ptr, arg.len, &n, &err) != PA_OK) {
				cli_errorf("--text: %s", err.message);
				rc = cli_exit_code(err.status);
			}
			pa_buf_release(&arg);
		} else {
			rc = cli_count_stream(tok, files[i], lossy,
			                      jobs ? jobs : cli_count_jobs_default(files[i]), &n);
		}

		if (rc != EXIT_OK) {
			code = rc;
			continue;
		}
		if (api_n)
			n = api_n[i];
		total += n;
		if (json && text) {
			/* no file: the total alone */
		} else if (json) {
			Pa_jw_object(&w, NULL, PA_JW_INLINE);
			Pa_jw_str(&w, "path", files[i]);
			Pa_jw_uint(&w, "tokens", n);
			Pa_jw_end(&w);
		} else if (argc - optind == 0) {
			pa_buf_printf(&out, "%zu\n", n);
		} else {
			pa_buf_printf(&out, "%zu ", n);
			Pa_quote_str(&out, files[i]);
			pa_buf_putc(&out, '\n');
		}
	}
	/* All of it or nothing, as every command: a reader (a JSON parser,
	 * a script adding the counts up) never gets a partial answer. */
	if (code != EXIT_OK) {
		pa_buf_reset(&out);
	} else if (json) {
		Pa_jw_end(&w);
		Pa_jw_uint(&w, "tokens", total);
		Pa_jw_finish(&w);
	} else if (nfiles > 1) {
		pa_buf_printf(&out, "%zu total\n", total);
	}
	if (out.len && cli_write_stdout(out.ptr, out.len) != EXIT_OK)
		code = EXIT_FAILURE_IO;
	pa_buf_release(&out);
	free(api_n);
	if (!exact)
		cli_notef("%s counts are estimates for current Claude models (see 'promptasm tokenizers')",
		          pa_tokenizer_name(tok));
	/* `build AGENT | count`: the prompt of a Claude agent, which build
	 * and explain count with claude, here counted with the default.  Say
	 * which, and how to count as they do. */
	if (code == EXIT_OK && !name && !model && !api_n && !text && argc == optind)
		cli_notef("counted with %s, the default (-m MODEL counts as build "
		          "and explain do: -m opus for a Claude agent)",
		          pa_tokenizer_name(tok));
	pa_tokenizer_free(tok);
	free(excludes);
	return code;
}
