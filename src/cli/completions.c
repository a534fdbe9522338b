/*
 * completions.c - `promptasm completions bash|zsh|fish`, a command left
 * out of --help: the shell completions, printed from the option tables
 * that getopt reads (options.h), so they offer every option a command
 * takes and nothing else.  `make completions` writes them to build/shell/,
 * where make install and the Debian package take them from: they cannot
 * drift from the program they complete.
 *
 * The completions ask `promptasm completions --values KIND` for the
 * names that change with the installation or the project: tokenizers,
 * the models their manifests name (not their patterns) and agents.  A
 * name is printed only when it is made of the characters below, so that
 * nothing a repository names reaches a shell's expansion or a terminal.
 */
#include "cli.h"
#include "options.h"
#include "pipeline.h"
#include "clis.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_VALUES = CLI_OPT_FIRST_OWN };

const cli_opt cli_completions_opts[] = {
	{ "values", required_argument, OPT_VALUES, 0, CLI_VALUE_WORDS,
	  "tokenizers models agents" },
	{ "project", required_argument, 'C', 'C', CLI_VALUE_DIR, NULL },
	{ "no-config", no_argument, CLI_OPT_NO_CONFIG, 0, CLI_VALUE_NONE, NULL },
	{ "help", no_argument, 'h', 'h', CLI_VALUE_NONE, NULL },
	CLI_OPT_END
};

static const char usage[] =
	"promptasm completions bash|zsh|fish\n"
	"       promptasm completions --values tokenizers|models|agents [-C DIR]";

/* Whether a name may be offered: letters, digits and ._:@+,=/- only. */
static int plain(const char *s, size_t len)
{
	size_t i;

	if (!len || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("._:@+,=/-", s[i])))
			return 0;
	return 1;
}

static void put_word(pa_buf *out, const char *s, size_t len)
{
	if (!plain(s, len))
		return;
	pa_buf_put(out, s, len);
	pa_buf_putc(out, '\n');
}

static int values_tokenizers(pa_buf *out, int models)
{
	pa_tokenizer_info *list;
	size_t n, i;
	pa_error err;

	if (pa_tokenizer_list(NULL, &list, &n, &err) != PA_OK) {
		cli_print_error(&err);
		return EXIT_FAILURE_IO;
	}
	for (i = 0; i < n; i++) {
		const char *m = list[i].models;

		if (!models) {
			put_word(out, list[i].name, strlen(list[i].name));
			continue;
		}
		while (m && *m) {
			size_t len = strcspn(m, ", ");

			if (!memchr(m, '*', len))
				put_word(out, m, len);
			m += len;
			m += strspn(m, ", ");
		}
	}
	pa_tokenizer_info_free(list, n);
	return EXIT_OK;
}

static int values_agents(cli_pipeline *p, pa_buf *out)
{
	pa_agent_entry *list = NULL;
	pa_warnings warn = { NULL, 0 };
	size_t n = 0, i;
	pa_error err;
	int code;

	p->claude_only = 1; /* Claude Code's agents' names */
	code = cli_pipeline_start(p);
	if (code != EXIT_OK)
		return code;
	if (pa_agent_list(&p->opt, &list, &n, &warn, &err) != PA_OK) {
		cli_print_error(&err);
		code = cli_exit_code(err.status);
	}
	for (i = 0; i < n; i++)
		put_word(out, list[i].name, strlen(list[i].name));
	pa_agent_entry_free(list, n);
	pa_warnings_release(&warn);
	return code;
}

/* Appends s in single quotes for a shell. */
static void put_quoted(pa_buf *out, const char *s)
{
	pa_buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			pa_buf_puts(out, "'\\''");
		else
			pa_buf_putc(out, *s);
	}
	pa_buf_putc(out, '\'');
}

/* The options of opts that take a value of this kind (and words), as a
 * case pattern: "-f|--format". */
static void put_pattern(pa_buf *out, const cli_opt *o)
{
	if (o->letter)
		pa_buf_printf(out, "-%c|", o->letter);
	pa_buf_printf(out, "--%s", o->name);
}

/* Every option of a command, space-separated: "--format -f --output". */
static void put_option_words(pa_buf *out, const cli_opt *opts)
{
	size_t i;

	for (i = 0; opts && opts[i].name; i++) {
		if (opts[i].value == CLI_VALUE_REFUSED)
			continue;
		pa_buf_printf(out, "%s--%s", i ? " " : "", opts[i].name);
		if (opts[i].letter)
			pa_buf_printf(out, " -%c", opts[i].letter);
	}
}

static const char *const bash_head =
	"# bash completion for promptasm, generated from the option tables the\n"
	"# parser reads by `promptasm completions bash` (make completions): do not\n"
	"# edit.  Installed by `make install` and the Debian package.\n"
	"\n"
	"# Adds the arguments that begin with $cur to COMPREPLY (no expansion).\n"
	"_promptasm_add()\n"
	"{\n"
	"\tlocal w\n"
	"\tfor w in \"$@\"; do\n"
	"\t\t[[ $w == \"$cur\"* ]] && COMPREPLY+=(\"$w\")\n"
	"\tdone\n"
	"}\n"
	"\n"
	"# Adds the names promptasm lists: tokenizers, models or agents.\n"
	"_promptasm_values()\n"
	"{\n"
	"\tlocal IFS=$'\\n'\n"
	"\t_promptasm_add $(command promptasm completions --values \"$1\" \\\n"
	"\t\t${project:+-C} ${project:+\"$project\"} 2>/dev/null)\n"
	"}\n"
	"\n"
	"_promptasm()\n"
	"{\n"
	"\tlocal cur prev cmd= project= i\n"
	"\tCOMPREPLY=()\n"
	"\tcur=${COMP_WORDS[COMP_CWORD]}\n"
	"\tprev=${COMP_WORDS[COMP_CWORD-1]}\n"
	"\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	"\t\tcase ${COMP_WORDS[i]} in\n"
	"\t\t-C|--project) project=${COMP_WORDS[i+1]} ;;\n"
	"\t\t-*) ;;\n"
	"\t\t*) [[ -z $cmd ]] && cmd=${COMP_WORDS[i]} ;;\n"
	"\t\tesac\n"
	"\tdone\n"
	"\tcase $cmd in\n";

/* What offers the argument of each kind of value (CLI_VALUE_*), one line
 * or two per shell; the words of CLI_VALUE_WORDS follow its first line.
 * Kinds that offer nothing have no line. */
typedef struct value_lines {
	const char *first, *second;
} value_lines;

static const value_lines bash_lines[] = {
	[CLI_VALUE_WORDS] = { "_promptasm_add ", NULL },
	[CLI_VALUE_FILE] = { "COMPREPLY+=($(compgen -f -- \"$cur\"))", NULL },
	[CLI_VALUE_DIR] = { "COMPREPLY+=($(compgen -d -- \"$cur\"))", NULL },
	[CLI_VALUE_TOKENIZER] = { "_promptasm_values tokenizers", NULL },
	[CLI_VALUE_MODEL] = { "_promptasm_values models", NULL },
	[CLI_VALUE_AGENT] = { "_promptasm_values agents",
	                      "COMPREPLY+=($(compgen -f -- \"$cur\"))" },
};

static const value_lines zsh_lines[] = {
	[CLI_VALUE_WORDS] = { "compadd -- ", NULL },
	[CLI_VALUE_FILE] = { "_files", NULL },
	[CLI_VALUE_DIR] = { "_directories", NULL },
	[CLI_VALUE_TOKENIZER] = { "_promptasm_values tokenizers", NULL },
	[CLI_VALUE_MODEL] = { "_promptasm_values models", NULL },
	[CLI_VALUE_AGENT] = { "_promptasm_values agents", "_files" },
};

/* An agent CLI's name is offered as words: the table's names. */
static unsigned value_kind(unsigned kind, const char **words)
{
	if (kind != CLI_VALUE_CLI)
		return kind;
	*words = cli_clis_words();
	return CLI_VALUE_WORDS;
}

/* The lines of table[kind], each after indent. */
static void put_value(pa_buf *out, const value_lines *table, size_t n,
                      unsigned kind, const char *words, const char *indent)
{
	kind = value_kind(kind, &words);
	if (kind >= n || !table[kind].first)
		return;
	pa_buf_puts(out, indent);
	pa_buf_puts(out, table[kind].first);
	if (kind == CLI_VALUE_WORDS && words)
		pa_buf_puts(out, words);
	pa_buf_putc(out, '\n');
	if (table[kind].second)
		pa_buf_printf(out, "%s%s\n", indent, table[kind].second);
}

/* How bash and zsh write the arm of each command in their `case $cmd`:
 * the same structure (the option whose argument is completed, then the
 * options themselves, then the operand), in each shell's words. */
typedef struct shell_syntax {
	const char *indent;      /* of the command's arm */
	const char *options_if;  /* starts the branch that offers options */
	const value_lines *values;
	size_t nvalues;
} shell_syntax;

static const shell_syntax bash_syntax = {
	"\t", "if [[ $cur == -* ]]; then\n", bash_lines,
	sizeof(bash_lines) / sizeof(bash_lines[0])
};

static const shell_syntax zsh_syntax = {
	"", "if [[ $PREFIX == -* ]]; then\n", zsh_lines,
	sizeof(zsh_lines) / sizeof(zsh_lines[0])
};

static void command_cases(pa_buf *out, const shell_syntax *sh)
{
	const char *in = sh->indent;
	size_t c, i;

	for (c = 0; c < cli_n_commands; c++) {
		const cli_command_def *cmd = &cli_commands[c];
		pa_buf in2 = PA_BUF_INIT, in3 = PA_BUF_INIT;

		if (!cmd->summary)
			continue;
		pa_buf_printf(&in2, "%s\t", in);
		pa_buf_printf(&in3, "%s\t\t", in);
		pa_buf_printf(out, "%s%s)\n", in, cmd->name);
		if (cmd->opts) {
			pa_buf_printf(out, "%scase $prev in\n", in2.ptr);
			for (i = 0; cmd->opts[i].name; i++) {
				if (cmd->opts[i].has_arg != required_argument ||
				    cmd->opts[i].value == CLI_VALUE_REFUSED)
					continue;
				pa_buf_puts(out, in2.ptr);
				put_pattern(out, &cmd->opts[i]);
				pa_buf_puts(out, ")\n");
				put_value(out, sh->values, sh->nvalues, cmd->opts[i].value,
				          cmd->opts[i].words, in3.ptr);
				pa_buf_printf(out, "%sreturn ;;\n", in3.ptr);
			}
			pa_buf_printf(out, "%sesac\n", in2.ptr);
		}
		pa_buf_printf(out, "%s%s%s", in2.ptr, sh->options_if, in3.ptr);
		pa_buf_puts(out, sh->values[CLI_VALUE_WORDS].first);
		if (cmd->opts)
			put_option_words(out, cmd->opts);
		else
			pa_buf_puts(out, "--help -h");
		pa_buf_printf(out, "\n%sreturn\n%sfi\n", in3.ptr, in2.ptr);
		put_value(out, sh->values, sh->nvalues, cmd->operand, NULL, in2.ptr);
		pa_buf_printf(out, "%s;;\n", in2.ptr);
		pa_buf_release(&in2);
		pa_buf_release(&in3);
	}
}

static void gen_bash(pa_buf *out)
{
	size_t c;

	pa_buf_puts(out, bash_head);
	pa_buf_puts(out, "\t'')\n\t\t_promptasm_add");
	for (c = 0; c < cli_n_commands; c++)
		if (cli_commands[c].summary)
			pa_buf_printf(out, " %s", cli_commands[c].name);
	pa_buf_puts(out, " --help --version\n\t\treturn ;;\n");
	command_cases(out, &bash_syntax);
	pa_buf_puts(out, "\tesac\n}\ncomplete -F _promptasm promptasm\n");
}

static const char *const zsh_head =
	"#compdef promptasm\n"
	"# zsh completion for promptasm, generated from the option tables the\n"
	"# parser reads by `promptasm completions zsh` (make completions): do not\n"
	"# edit.  Installed by `make install` and the Debian package.\n"
	"\n"
	"local cmd=${words[2]} prev=${words[CURRENT-1]} project= i\n"
	"local -a names\n"
	"for ((i = 3; i < CURRENT; i++)); do\n"
	"\tcase ${words[i]} in -C|--project) project=${words[i+1]} ;; esac\n"
	"done\n"
	"# The names promptasm lists: tokenizers, models or agents.\n"
	"_promptasm_values() {\n"
	"\tnames=(${(f)\"$(command promptasm completions --values $1 \\\n"
	"\t\t${project:+-C} ${project:+$project} 2>/dev/null)\"})\n"
	"\tcompadd -a names\n"
	"}\n"
	"\n"
	"if (( CURRENT == 2 )); then\n"
	"\tlocal -a commands\n"
	"\tcommands=(\n";

static void gen_zsh(pa_buf *out)
{
	size_t c;
	pa_buf item = PA_BUF_INIT;

	pa_buf_puts(out, zsh_head);
	for (c = 0; c < cli_n_commands; c++) {
		if (!cli_commands[c].summary)
			continue;
		item.len = 0;
		pa_buf_printf(&item, "%s:%s", cli_commands[c].name,
		              cli_commands[c].summary);
		pa_buf_puts(out, "\t\t");
		put_quoted(out, item.ptr);
		pa_buf_putc(out, '\n');
	}
	pa_buf_release(&item);
	pa_buf_puts(out, "\t)\n\t_describe 'command' commands\n"
	                 "\tcompadd -- --help --version\n\treturn\nfi\n"
	                 "case $cmd in\n");
	command_cases(out, &zsh_syntax);
	pa_buf_puts(out, "esac\n");
}

static const char *const fish_head =
	"# fish completion for promptasm, generated from the option tables the\n"
	"# parser reads by `promptasm completions fish` (make completions): do not\n"
	"# edit.  Installed by `make install` and the Debian package.\n"
	"\n"
	"# The names promptasm lists: tokenizers, models or agents.\n"
	"function __promptasm_values\n"
	"\tset -l words (commandline -opc)\n"
	"\tset -l project\n"
	"\tfor i in (seq (count $words))\n"
	"\t\tif contains -- $words[$i] -C --project; and test $i -lt (count $words)\n"
	"\t\t\tset project -C $words[(math $i + 1)]\n"
	"\t\tend\n"
	"\tend\n"
	"\tcommand promptasm completions --values $argv[1] $project 2>/dev/null\n"
	"end\n"
	"\n"
	"complete -c promptasm -f\n";

static void fish_value(pa_buf *out, unsigned kind, const char *words)
{
	switch (value_kind(kind, &words)) {
	case CLI_VALUE_WORDS:
		pa_buf_puts(out, " -x -a ");
		put_quoted(out, words);
		break;
	case CLI_VALUE_FILE:
		pa_buf_puts(out, " -r -F");
		break;
	case CLI_VALUE_DIR:
		pa_buf_puts(out, " -x -a '(__fish_complete_directories (commandline -ct))'");
		break;
	case CLI_VALUE_TOKENIZER:
		pa_buf_puts(out, " -x -a '(__promptasm_values tokenizers)'");
		break;
	case CLI_VALUE_MODEL:
		pa_buf_puts(out, " -x -a '(__promptasm_values models)'");
		break;
	default:
		pa_buf_puts(out, " -x");
		break;
	}
}

static void gen_fish(pa_buf *out)
{
	pa_buf names = PA_BUF_INIT;
	size_t c, i;

	for (c = 0; c < cli_n_commands; c++)
		if (cli_commands[c].summary)
			pa_buf_printf(&names, " %s", cli_commands[c].name);
	pa_buf_puts(out, fish_head);
	for (c = 0; c < cli_n_commands; c++) {
		if (!cli_commands[c].summary)
			continue;
		pa_buf_printf(out, "complete -c promptasm -n 'not __fish_seen_subcommand_from%s' "
		              "-a %s -d ", names.ptr, cli_commands[c].name);
		put_quoted(out, cli_commands[c].summary);
		pa_buf_putc(out, '\n');
	}
	pa_buf_printf(out, "complete -c promptasm -n 'not __fish_seen_subcommand_from%s' "
	              "-l help\n", names.ptr);
	pa_buf_printf(out, "complete -c promptasm -n 'not __fish_seen_subcommand_from%s' "
	              "-l version\n", names.ptr);
	for (c = 0; c < cli_n_commands; c++) {
		const cli_command_def *cmd = &cli_commands[c];
		const char *when = "complete -c promptasm -n '__fish_seen_subcommand_from ";

		if (!cmd->summary)
			continue;
		pa_buf_putc(out, '\n');
		for (i = 0; cmd->opts && cmd->opts[i].name; i++) {
			if (cmd->opts[i].value == CLI_VALUE_REFUSED)
				continue;
			pa_buf_printf(out, "%s%s'", when, cmd->name);
			if (cmd->opts[i].letter)
				pa_buf_printf(out, " -s %c", cmd->opts[i].letter);
			pa_buf_printf(out, " -l %s", cmd->opts[i].name);
			if (cmd->opts[i].has_arg == required_argument)
				fish_value(out, cmd->opts[i].value, cmd->opts[i].words);
			pa_buf_putc(out, '\n');
		}
		if (!cmd->opts)
			pa_buf_printf(out, "%s%s' -s h -l help\n", when, cmd->name);
		if (cmd->operand == CLI_VALUE_AGENT)
			pa_buf_printf(out, "%s%s' -a '(__promptasm_values agents)'\n",
			              when, cmd->name);
		if (cmd->operand == CLI_VALUE_AGENT || cmd->operand == CLI_VALUE_FILE)
			pa_buf_printf(out, "%s%s' -F\n", when, cmd->name);
	}
	pa_buf_release(&names);
}

int cmd_completions(int argc, char **argv)
{
	cli_pipeline p;
	cli_getopt g;
	pa_buf out = PA_BUF_INIT;
	const char *values = NULL;
	int c, r, code = -1;

	cli_getopt_init(&g, cli_completions_opts);
	cli_pipeline_init(&p);
	while (code < 0 && (c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: %s\n\nPrints the shell completions (make completions "
			       "writes them to build/shell/),\nor the names they offer.\n", usage);
			code = EXIT_OK;
		} else if (c == OPT_VALUES) {
			values = optarg;
		} else if (c == '?' || (r = cli_pipeline_option(&p, c, optarg)) == 0) {
			code = cli_option_error(argv, g.shortopts, g.longopts);
		} else if (r < 0) {
			code = EXIT_USAGE;
		}
	}
	if (code >= 0)
		goto done;
	if (values && optind < argc) {
		code = cli_usage_error("unexpected argument '%s'", argv[optind]);
	} else if (values) {
		cli_quiet = 1;
		if (!strcmp(values, "tokenizers") || !strcmp(values, "models"))
			code = values_tokenizers(&out, !strcmp(values, "models"));
		else if (!strcmp(values, "agents"))
			code = values_agents(&p, &out);
		else
			code = cli_usage_error("unknown --values '%s' (tokenizers, models "
			                       "or agents)", values);
	} else if (argc - optind != 1) {
		code = cli_usage_error("needs one shell: bash, zsh or fish");
	} else if (!strcmp(argv[optind], "bash")) {
		gen_bash(&out);
	} else if (!strcmp(argv[optind], "zsh")) {
		gen_zsh(&out);
	} else if (!strcmp(argv[optind], "fish")) {
		gen_fish(&out);
	} else {
		code = cli_usage_error("unknown shell '%s' (bash, zsh or fish)",
		                       argv[optind]);
	}
	if (code < 0 || (code == EXIT_OK && out.len))
		code = cli_write_stdout(out.ptr, out.len);
done:
	cli_pipeline_release(&p);
	pa_buf_release(&out);
	return code;
}
