/* cmd_harness.c - `build`, `context` and `check` with `--harness H` for
 * another agent CLI than Claude Code (Codex CLI, Copilot CLI, Gemini CLI,
 * opencode): what it sends, its first request against the model's
 * window, and whether it cuts or drops a file.  The library's
 * pa_harness_* (promptasm.h) reads and composes; this prints. */
#define _XOPEN_SOURCE 700
#include "harness_cli.h"
#include "html_page.h"
#include "render.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

enum { H_BUILD, H_CONTEXT, H_CHECK };
enum { HF_TEXT, HF_JSON, HF_GITHUB, HF_HTML };
enum { OPT_HARNESS = 0x3000, OPT_MAX_BYTES, OPT_NO_CONFIG_H };

typedef struct hrun {
	int what;
	pa_harness_id id;
	int fmt;
	const char *project, *output, *tok_name, *model;
	long long max_bytes;
	int has_budget;
	size_t budget;
	pa_tokenizer *tok;
	const char *tok_used;
} hrun;

static const cli_opt harness_opts[] = {
	{ "harness", required_argument, OPT_HARNESS, 0, CLI_VALUE_WORDS, CLI_HARNESS_WORDS },
	{ "project", required_argument, 'C', 'C', CLI_VALUE_DIR, NULL },
	CLI_OPT_FORMAT("text json github html"),
	{ "output", required_argument, 'o', 'o', CLI_VALUE_FILE, NULL },
	{ "tokenizer", required_argument, 't', 't', CLI_VALUE_TOKENIZER, NULL },
	{ "model", required_argument, 'm', 'm', CLI_VALUE_MODEL, NULL },
	{ "budget", required_argument, 'b', 'b', CLI_VALUE_NONE, NULL },
	{ "project-doc-max-bytes", required_argument, OPT_MAX_BYTES, 0, CLI_VALUE_NONE, NULL },
	{ "no-config", no_argument, OPT_NO_CONFIG_H, 0, CLI_VALUE_NONE, NULL },
	{ "quiet", no_argument, 'q', 'q', CLI_VALUE_NONE, NULL },
	{ "help", no_argument, 'h', 'h', CLI_VALUE_NONE, NULL },
	CLI_OPT_END
};

static void help(const hrun *r)
{
	static const char *const what[] = { "build", "context", "check" };

	printf("usage: promptasm %s --harness NAME [options]\n\n"
	       "What another agent CLI than Claude Code is sent for the project\n"
	       "it starts in (docs/harnesses.md): NAME is codex, copilot, gemini or\n"
	       "opencode.\n\n"
	       "  -C, --project DIR       as if the CLI were started in DIR\n"
	       "  -f, --format FORMAT     text (default), json%s\n"
	       "  -o, --output FILE       write FILE (atomically) instead of stdout\n"
	       "  -t, --tokenizer NAME    count with NAME (default o200k_base)\n"
	       "  -m, --model MODEL       the model the CLI runs on (default: its\n"
	       "                          configuration's, else its default)\n"
	       "  -b, --budget N          at most N tokens for the first request\n"
	       "      --project-doc-max-bytes N  Codex's byte budget of the project's\n"
	       "                          files (default: its config.toml's, else 32768)\n"
	       "  -q, --quiet             no warnings or notes\n"
	       "  -h, --help              this help\n",
	       what[r->what], r->what == H_CHECK ? ", github" : r->what == H_BUILD
	       ? ", html (a page: each file as sent, where it is cut)" : "");
}

int cli_harness_requested(int argc, char **argv, pa_harness_id *id)
{
	int i;
	const char *name = NULL;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--harness") && i + 1 < argc)
			name = argv[++i];
		else if (!strncmp(argv[i], "--harness=", 10))
			name = argv[i] + 10;
	}
	if (!name)
		return 0;
	if (!pa_harness_parse(name, id))
		return -1;
	return *id != PA_HARNESS_CLAUDE_CODE ? 1 : 2;
}

static int parse_size(const char *s, long long *out)
{
	char *end;
	long long v;

	if (!s || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 0)
		return 0;
	*out = v;
	return 1;
}

static size_t count(const hrun *r, const char *s, size_t len)
{
	size_t n = 0;
	pa_error err;

	memset(&err, 0, sizeof(err));
	if (len && pa_tokenizer_count(r->tok, s, len, &n, &err) != PA_OK)
		return 0;
	return n;
}

/* Each warning once in a run (check loads the project once per
 * directory). */
static char **warned;
static size_t n_warned;

static void warn_once(const char *msg)
{
	size_t i;

	for (i = 0; i < n_warned; i++)
		if (!strcmp(warned[i], msg))
			return;
	warned = cli_grow(warned, n_warned, sizeof(char *));
	warned[n_warned] = strdup(msg);
	if (!warned[n_warned])
		cli_out_of_memory(strlen(msg) + 1);
	n_warned++;
	cli_warnf("%s", msg);
}

static void warned_release(void)
{
	size_t i;

	for (i = 0; i < n_warned; i++)
		free(warned[i]);
	free(warned);
	warned = NULL;
	n_warned = 0;
}

static void warn_list(const pa_warnings *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		pa_buf b = PA_BUF_INIT;

		pa_quote_text(&b, w->items[i].message, strlen(w->items[i].message));
		warn_once(b.ptr);
		pa_buf_release(&b);
	}
}

/* Puts `NAME never reads ` before what b holds. */
static void prefix_never_reads(pa_buf *b, const char *name)
{
	pa_buf t = PA_BUF_INIT;

	pa_buf_printf(&t, "%s never reads ", name);
	pa_buf_put(&t, b->ptr, b->len);
	pa_buf_reset(b);
	pa_buf_put(b, t.ptr, t.len);
	pa_buf_release(&t);
}

/* Warnings about what the CLI sends: a file it never reads, the same
 * text twice. */
static void warn_harness(const pa_harness *h, pa_harness_id id)
{
	size_t i, n = pa_harness_file_count(h);

	for (i = 0; i < pa_harness_unread_count(h); i++) {
		pa_buf b = PA_BUF_INIT;

		pa_quote_str(&b, pa_harness_unread_at(h, i));
		pa_buf_printf(&b, "%s", id == PA_HARNESS_CODEX ? " (it is not in "
		              "project_doc_fallback_filenames)" : id == PA_HARNESS_GEMINI
		              ? " (it is not in context.fileName)" : "");
		prefix_never_reads(&b, pa_harness_name(id));
		warn_once(b.ptr);
		pa_buf_release(&b);
	}
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		if (f->duplicate) {
			pa_buf b = PA_BUF_INIT;

			pa_buf_printf(&b, "%s sends the same text twice: ", pa_harness_name(id));
			pa_quote_str(&b, f->path);
			pa_buf_puts(&b, " repeats ");
			pa_quote_str(&b, f->duplicate_of);
			warn_once(b.ptr);
			pa_buf_release(&b);
		}
	}
}

static const char *file_state(const pa_harness_file *f)
{
	if (f->unread)
		return "unread";
	if (f->empty)
		return "empty";
	if (f->listed)
		return "named";
	if (f->dropped)
		return "dropped";
	if (f->cut_line)
		return "cut";
	return "sent";
}

static void head_line(pa_buf *out, const hrun *r, const pa_harness *h)
{
	const char *from;
	const char *model = pa_harness_model(h, &from);

	pa_buf_printf(out, "# %s %s, model ", pa_harness_name(r->id),
	              pa_harness_version(r->id));
	pa_quote_str(out, model ? model : "?");
	if (r->id == PA_HARNESS_CODEX) {
		const char *mf;
		size_t mb = pa_harness_max_bytes(h, &mf);

		pa_buf_puts(out, ", project_doc_max_bytes ");
		pa_buf_put_count(out, mb);
		pa_buf_printf(out, " (%s)", mf ? mf : "?");
	}
	pa_buf_putc(out, '\n');
}

/* build -f html: the files as the CLI sends them, in a page of the HTML
 * reports' kind: a table, then each file's text with what was cut. */
static void build_html(const hrun *r, const pa_harness *h, pa_buf *out)
{
	size_t i, n = pa_harness_file_count(h), total = 0;
	pa_buf title = PA_BUF_INIT;
	const char *model = pa_harness_model(h, NULL);

	pa_buf_printf(&title, "%s %s: what it sends", pa_harness_name(r->id),
	              pa_harness_version(r->id));
	html_page_begin(out, title.ptr);
	pa_buf_puts(out, "<h1>");
	html_str(out, title.ptr);
	pa_buf_puts(out, "</h1>\n<p class=\"sub\">model ");
	html_str(out, model ? model : "?");
	pa_buf_puts(out, ", counted with ");
	html_str(out, r->tok_used);
	pa_buf_puts(out, "</p>\n<table class=\"agents\"><thead><tr><th>File</th>"
	            "<th>State</th><th class=\"n\">Read</th><th class=\"n\">Sent</th>"
	            "<th class=\"n\">Tokens</th></tr></thead><tbody>\n");
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);
		size_t t = count(r, f->text, f->sent);

		total += t;
		pa_buf_puts(out, "<tr><td class=\"mono\">");
		html_str(out, f->path);
		pa_buf_printf(out, "</td><td>%s</td><td class=\"n\">", file_state(f));
		html_count(out, f->bytes);
		pa_buf_puts(out, "</td><td class=\"n\">");
		html_count(out, f->sent);
		pa_buf_puts(out, "</td><td class=\"n\">");
		html_count(out, t);
		pa_buf_puts(out, "</td></tr>\n");
	}
	pa_buf_puts(out, "</tbody></table>\n<p>");
	html_count(out, total);
	pa_buf_puts(out, " tokens of the project's files</p>\n");
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		if (f->unread || f->listed || f->empty)
			continue;
		pa_buf_puts(out, "<h2 class=\"mono\">");
		html_str(out, f->path);
		pa_buf_puts(out, "</h2>\n<pre>");
		html_text_lines(out, f->text, f->sent);
		pa_buf_puts(out, "</pre>\n");
		if (f->cut_line || f->dropped) {
			pa_buf_puts(out, "<p class=\"note\">");
			if (f->dropped)
				pa_buf_puts(out, "dropped: not sent");
			else
				pa_buf_printf(out, "cut at line %ld, byte %ld: what follows is "
				              "not sent", f->cut_line, f->cut_column);
			pa_buf_puts(out, "</p>\n<pre class=\"cut\">");
			/* only Codex cuts or drops, and it keeps a byte order mark:
			 * text is the file from its first byte */
			html_text_lines(out, f->text + f->sent, f->bytes - f->sent);
			pa_buf_puts(out, "</pre>\n");
		}
	}
	html_page_end(out);
	pa_buf_release(&title);
}

static int do_build(const hrun *r, const pa_harness *h, pa_buf *out)
{
	size_t i, n = pa_harness_file_count(h), total = 0;

	if (r->fmt == HF_HTML) {
		build_html(r, h, out);
		return EXIT_OK;
	}

	if (r->fmt == HF_JSON) {
		const char *from;
		const char *model = pa_harness_model(h, &from);

		pa_buf_puts(out, "{\n  \"version\": 1,\n  \"harness\": ");
		cli_json_str(out, pa_harness_name(r->id));
		pa_buf_puts(out, ",\n  \"harness_version\": ");
		cli_json_str(out, pa_harness_version(r->id));
		pa_buf_puts(out, ",\n  \"model\": ");
		cli_json_str(out, model);
		pa_buf_puts(out, ",\n  \"tokenizer\": ");
		cli_json_str(out, r->tok_used);
		pa_buf_puts(out, ",\n  \"root\": ");
		cli_json_str(out, pa_harness_root(h));
		if (r->id == PA_HARNESS_CODEX)
			pa_buf_printf(out, ",\n  \"project_doc_max_bytes\": %zu",
			              pa_harness_max_bytes(h, NULL));
		pa_buf_puts(out, ",\n  \"files\": [");
		for (i = 0; i < n; i++) {
			const pa_harness_file *f = pa_harness_file_at(h, i);
			size_t t = count(r, f->text, f->sent);

			total += t;
			pa_buf_puts(out, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
			cli_json_str(out, f->path);
			pa_buf_printf(out, ", \"state\": \"%s\", \"bytes_read\": %zu, "
			              "\"bytes_sent\": %zu, \"tokens\": %zu, \"in\": \"%s\", "
			              "\"global\": %s", file_state(f), f->bytes, f->sent, t,
			              f->system ? "system" : "user", f->global ? "true" : "false");
			if (f->cut_line)
				pa_buf_printf(out, ", \"cut\": {\"line\": %ld, \"byte\": %ld}",
				              f->cut_line, f->cut_column);
			if (f->apply_to) {
				pa_buf_puts(out, ", \"apply_to\": ");
				cli_json_str(out, f->apply_to);
			}
			if (f->parent) {
				pa_buf_puts(out, ", \"imported_by\": ");
				cli_json_str(out, f->parent);
			}
			if (f->duplicate)
				pa_buf_puts(out, ", \"duplicate\": true");
			pa_buf_putc(out, '}');
		}
		pa_buf_printf(out, "%s],\n  \"tokens\": %zu\n}\n", n ? "\n  " : "", total);
		return EXIT_OK;
	}
	head_line(out, r, h);
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		pa_buf_puts(out, "\n==> ");
		pa_quote_str(out, f->path);
		if (f->unread) {
			pa_buf_printf(out, " (not read: %s) <==\n", f->reason);
			continue;
		}
		if (f->listed) {
			pa_buf_puts(out, " (named only, applyTo ");
			pa_quote_str(out, f->apply_to);
			pa_buf_puts(out, ") <==\n");
			continue;
		}
		if (f->empty) {
			pa_buf_puts(out, " (white space only: skipped) <==\n");
			continue;
		}
		if (f->dropped) {
			pa_buf_puts(out, " (");
			pa_buf_put_count(out, f->bytes);
			pa_buf_puts(out, " bytes: dropped, over the budget) <==\n");
			continue;
		}
		pa_buf_puts(out, " (");
		if (f->cut_line) {
			pa_buf_put_count(out, f->sent);
			pa_buf_puts(out, " of ");
			pa_buf_put_count(out, f->bytes);
			pa_buf_printf(out, " bytes: cut at line %ld, byte %ld", f->cut_line,
			              f->cut_column);
		} else {
			pa_buf_put_count(out, f->bytes);
			pa_buf_puts(out, " bytes");
		}
		if (f->parent) {
			pa_buf_puts(out, ", imported by ");
			pa_quote_str(out, f->parent);
		}
		pa_buf_puts(out, ") <==\n");
		pa_buf_put(out, f->text, f->sent);
		if (f->sent && f->text[f->sent - 1] != '\n')
			pa_buf_putc(out, '\n');
	}
	return EXIT_OK;
}

/* The first request, part by part: its own prompt and tools (measured),
 * the wrapping of the files, each file. */
static size_t context_total(const hrun *r, const pa_harness *h, size_t *files_out)
{
	const pa_harness_figures *fg = pa_harness_figures_get(h);
	size_t i, n = pa_harness_file_count(h), files = 0, sent = 0;

	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		if (f->unread || f->dropped || f->empty)
			continue;
		files += count(r, f->listed ? f->path : f->text,
		               f->listed ? strlen(f->path) : f->sent);
		sent++;
	}
	if (files_out)
		*files_out = files;
	return fg->own_tokens + fg->tools_tokens + files +
	       (sent ? fg->wrap_tokens + fg->per_file_tokens * sent : 0);
}

/* A count right-aligned in 10 columns with thousands separators. */
static void put_count(pa_buf *out, size_t n)
{
	pa_buf t = PA_BUF_INIT;

	pa_buf_put_count(&t, n);
	pa_buf_printf(out, "%10s  ", t.ptr);
	pa_buf_release(&t);
}

static void put_pct(pa_buf *out, size_t part, size_t whole)
{
	if (whole)
		pa_buf_printf(out, "%5.1f%%", 100.0 * (double)part / (double)whole);
	while (out->len && out->ptr[out->len - 1] == ' ')
		out->len--;
}

static int do_context(const hrun *r, const pa_harness *h, pa_buf *out)
{
	const pa_harness_figures *fg = pa_harness_figures_get(h);
	size_t i, n = pa_harness_file_count(h), sent = 0;
	size_t total = context_total(r, h, NULL);
	size_t wrap;
	const char *model = pa_harness_model(h, NULL);

	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		sent += !f->unread && !f->dropped && !f->empty;
	}
	wrap = sent ? fg->wrap_tokens + fg->per_file_tokens * sent : 0;
	if (r->fmt == HF_JSON) {
		pa_buf_puts(out, "{\n  \"version\": 1,\n  \"harness\": ");
		cli_json_str(out, pa_harness_name(r->id));
		pa_buf_puts(out, ",\n  \"harness_version\": ");
		cli_json_str(out, pa_harness_version(r->id));
		pa_buf_puts(out, ",\n  \"model\": ");
		cli_json_str(out, model);
		pa_buf_puts(out, ",\n  \"tokenizer\": ");
		cli_json_str(out, r->tok_used);
		pa_buf_printf(out, ",\n  \"window\": %zu,\n  \"parts\": [\n"
		              "    {\"part\": \"own prompt\", \"tokens\": %zu, \"measured\": true},\n"
		              "    {\"part\": \"tools\", \"tokens\": %zu, \"measured\": true},\n"
		              "    {\"part\": \"wrapping of the files\", \"tokens\": %zu, \"measured\": true}",
		              fg->window, fg->own_tokens, fg->tools_tokens, wrap);
		for (i = 0; i < n; i++) {
			const pa_harness_file *f = pa_harness_file_at(h, i);

			if (f->unread || f->dropped || f->empty)
				continue;
			pa_buf_puts(out, ",\n    {\"part\": \"file\", \"path\": ");
			cli_json_str(out, f->path);
			pa_buf_printf(out, ", \"tokens\": %zu}",
			              count(r, f->listed ? f->path : f->text,
			                    f->listed ? strlen(f->path) : f->sent));
		}
		pa_buf_printf(out, "\n  ],\n  \"total\": %zu\n}\n", total);
		return r->has_budget && total > r->budget ? EXIT_OVER_BUDGET : EXIT_OK;
	}
	pa_buf_printf(out, "%s %s, model ", pa_harness_name(r->id),
	              pa_harness_version(r->id));
	pa_quote_str(out, model ? model : "?");
	pa_buf_printf(out, ", counted with %s", r->tok_used);
	if (fg->window) {
		pa_buf_puts(out, ", window ");
		pa_buf_put_count(out, fg->window);
	}
	pa_buf_puts(out, "\n");
	{
		struct { const char *name; size_t t; } parts[] = {
			{ "own prompt (measured)", fg->own_tokens },
			{ "tools (measured)", fg->tools_tokens },
			{ "wrapping of the files", wrap },
		};
		size_t k;

		for (k = 0; k < 3; k++) {
			pa_buf_printf(out, "  %-40s ", parts[k].name);
			put_count(out, parts[k].t);
			put_pct(out, parts[k].t, fg->window);
			pa_buf_putc(out, '\n');
		}
	}
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);
		size_t t, w;

		if (f->unread || f->dropped || f->empty)
			continue;
		t = count(r, f->listed ? f->path : f->text,
		          f->listed ? strlen(f->path) : f->sent);
		pa_buf_puts(out, "  ");
		w = pa_quote_cell(out, f->path, 40);
		for (; w < 40; w++)
			pa_buf_putc(out, ' ');
		pa_buf_putc(out, ' ');
		put_count(out, t);
		put_pct(out, t, fg->window);
		pa_buf_putc(out, '\n');
	}
	pa_buf_printf(out, "  %-40s ", "total");
	put_count(out, total);
	put_pct(out, total, fg->window);
	pa_buf_putc(out, '\n');
	return r->has_budget && total > r->budget ? EXIT_OVER_BUDGET : EXIT_OK;
}

static void gh_escape(pa_buf *out, const char *s, int property)
{
	for (; *s; s++) {
		if (*s == '%')
			pa_buf_puts(out, "%25");
		else if (*s == '\r')
			pa_buf_puts(out, "%0D");
		else if (*s == '\n')
			pa_buf_puts(out, "%0A");
		else if (property && *s == ':')
			pa_buf_puts(out, "%3A");
		else if (property && *s == ',')
			pa_buf_puts(out, "%2C");
		else
			pa_buf_putc(out, *s);
	}
}

/* One start directory: 1 when the CLI cuts or drops a file there. */
static int check_dir(const hrun *r, const char *dir, const char *shown_dir,
                     pa_buf *out, pa_buf *json, int *first_json)
{
	pa_harness_options o;
	pa_harness *h;
	pa_warnings w = { 0 };
	pa_error err;
	size_t i, n, total;
	int failed = 0;
	pa_buf dropped = PA_BUF_INIT;

	pa_harness_options_init(&o);
	o.cwd = dir;
	o.model = r->model;
	o.max_bytes = r->max_bytes;
	memset(&err, 0, sizeof(err));
	if (pa_harness_load(r->id, &o, &h, &w, &err) != PA_OK) {
		cli_print_error(&err);
		pa_warnings_release(&w);
		return -1;
	}
	warn_list(&w);
	pa_warnings_release(&w);
	n = pa_harness_file_count(h);
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		if (f->dropped) {
			if (dropped.len)
				pa_buf_puts(&dropped, ", ");
			pa_quote_str(&dropped, f->path);
		}
		if (f->unread) {
			pa_buf msg = PA_BUF_INIT;

			pa_quote_str(&msg, f->path);
			pa_buf_printf(&msg, " is not read: %s", f->reason);
			pa_buf_printf(out, "FAIL %s: %s\n", shown_dir, msg.ptr);
			pa_buf_release(&msg);
			failed = 1;
		}
	}
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);
		pa_buf msg = PA_BUF_INIT;
		const char *mf;
		size_t mb;

		if (f->unread || f->listed || f->dropped || !f->cut_line)
			continue;
		mb = pa_harness_max_bytes(h, &mf);
		pa_buf_printf(&msg, "%s cuts ", pa_harness_name(r->id));
		pa_quote_str(&msg, f->path);
		pa_buf_printf(&msg, " at line %ld, byte %ld (", f->cut_line, f->cut_column);
		pa_buf_put_count(&msg, f->sent);
		pa_buf_puts(&msg, " of ");
		pa_buf_put_count(&msg, f->bytes);
		pa_buf_puts(&msg, " bytes sent; project_doc_max_bytes ");
		pa_buf_put_count(&msg, mb);
		pa_buf_printf(&msg, ", %s) when started in ", mf ? mf : "?");
		pa_quote_str(&msg, shown_dir);
		if (dropped.len)
			pa_buf_printf(&msg, "; drops %s", dropped.ptr);
		failed = 1;
		if (r->fmt == HF_GITHUB) {
			pa_buf q = PA_BUF_INIT;

			pa_buf_puts(out, "::error ");
			if (!f->global && !pa_quote_needed(f->path, strlen(f->path))) {
				pa_buf_puts(out, "file=");
				gh_escape(out, f->path, 1);
				pa_buf_printf(out, ",line=%ld,col=%ld,", f->cut_line, f->cut_column);
			}
			pa_buf_puts(out, "title=promptasm check::");
			pa_quote_text(&q, msg.ptr, msg.len);
			gh_escape(out, q.ptr, 0);
			pa_buf_putc(out, '\n');
			pa_buf_release(&q);
		} else if (r->fmt == HF_TEXT) {
			pa_buf_printf(out, "FAIL %s\n", msg.ptr);
		}
		pa_buf_release(&msg);
		break;
	}
	if (!failed && dropped.len) {
		failed = 1;
		if (r->fmt == HF_TEXT)
			pa_buf_printf(out, "FAIL %s drops %s when started in %s\n",
			              pa_harness_name(r->id), dropped.ptr, shown_dir);
	}
	total = context_total(r, h, NULL);
	if (r->has_budget && total > r->budget) {
		failed = 1;
		if (r->fmt == HF_TEXT) {
			pa_buf_printf(out, "FAIL %s's first request started in ",
			              pa_harness_name(r->id));
			pa_quote_str(out, shown_dir);
			pa_buf_puts(out, " is about ");
			pa_buf_put_count(out, total);
			pa_buf_puts(out, " tokens > ");
			pa_buf_put_count(out, r->budget);
			pa_buf_putc(out, '\n');
		}
	}
	if (!failed && r->fmt == HF_TEXT) {
		pa_buf_puts(out, "ok   ");
		pa_quote_str(out, shown_dir);
		pa_buf_printf(out, ": %zu file%s, about ", n, n == 1 ? "" : "s");
		pa_buf_put_count(out, total);
		pa_buf_puts(out, " tokens\n");
	}
	if (r->fmt == HF_JSON) {
		pa_buf_puts(json, *first_json ? "\n    {\"dir\": " : ",\n    {\"dir\": ");
		*first_json = 0;
		cli_json_str(json, shown_dir);
		pa_buf_printf(json, ", \"ok\": %s, \"tokens\": %zu, \"files\": [",
		              failed ? "false" : "true", total);
		for (i = 0; i < n; i++) {
			const pa_harness_file *f = pa_harness_file_at(h, i);

			pa_buf_puts(json, i ? ", {\"path\": " : "{\"path\": ");
			cli_json_str(json, f->path);
			pa_buf_printf(json, ", \"state\": \"%s\", \"bytes_read\": %zu, "
			              "\"bytes_sent\": %zu", file_state(f), f->bytes, f->sent);
			if (f->cut_line)
				pa_buf_printf(json, ", \"cut\": {\"line\": %ld, \"byte\": %ld}",
				              f->cut_line, f->cut_column);
			pa_buf_putc(json, '}');
		}
		pa_buf_puts(json, "]}");
	}
	warn_harness(h, r->id);
	pa_buf_release(&dropped);
	pa_harness_free(h);
	return failed;
}

static int do_check(const hrun *r, pa_buf *out)
{
	pa_harness_options o;
	char **dirs = NULL, *cwd;
	size_t n = 0, i;
	int incomplete = 0, failed = 0, first = 1;
	pa_error err;
	pa_buf json = PA_BUF_INIT;
	const char *root;
	pa_harness *h;
	pa_warnings w = { 0 };

	pa_harness_options_init(&o);
	o.cwd = r->project;
	o.model = r->model;
	o.max_bytes = r->max_bytes;
	memset(&err, 0, sizeof(err));
	if (pa_harness_load(r->id, &o, &h, &w, &err) != PA_OK) {
		cli_print_error(&err);
		pa_warnings_release(&w);
		return cli_exit_code(err.status);
	}
	pa_warnings_release(&w);
	if (pa_harness_start_dirs(r->id, &o, &dirs, &n, &incomplete, &err) != PA_OK) {
		pa_harness_free(h);
		cli_print_error(&err);
		return cli_exit_code(err.status);
	}
	root = pa_harness_root(h);
	/* the working directory too, when it holds no file */
	cwd = realpath(r->project ? r->project : ".", NULL);
	if (cwd) {
		int have = 0;

		for (i = 0; i < n; i++)
			if (!strcmp(dirs[i], cwd))
				have = 1;
		if (!have) {
			dirs = cli_grow(dirs, n, sizeof(char *));
			dirs[n++] = cwd;
		} else {
			free(cwd);
		}
	}
	if (incomplete) {
		cli_errorf("check: the walk of the project stopped after %d entries: "
		           "directories below were not checked", PA_WALK_MAX_ENTRIES);
		failed = 1;
	}
	for (i = 0; i < n; i++) {
		const char *rest = dirs[i];
		size_t rl = strlen(root);
		const char *shown;
		int rc;

		if (!strncmp(dirs[i], root, rl) && (dirs[i][rl] == '/' || !dirs[i][rl]))
			rest = dirs[i][rl] ? dirs[i] + rl + (strcmp(root, "/") ? 1 : 0)
			                   : "the root";
		shown = rest;
		rc = check_dir(r, dirs[i], shown, out, &json, &first);
		if (rc < 0) {
			failed = -1;
			break;
		}
		failed |= rc;
	}
	if (r->fmt == HF_JSON && failed >= 0) {
		pa_buf_puts(out, "{\n  \"version\": 1,\n  \"harness\": ");
		cli_json_str(out, pa_harness_name(r->id));
		pa_buf_puts(out, ",\n  \"harness_version\": ");
		cli_json_str(out, pa_harness_version(r->id));
		pa_buf_printf(out, ",\n  \"ok\": %s,\n  \"dirs\": [%s%s]\n}\n",
		              failed ? "false" : "true", json.ptr, n ? "\n  " : "");
	}
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	pa_buf_release(&json);
	pa_harness_free(h);
	return failed < 0 ? EXIT_USAGE : failed ? EXIT_OVER_BUDGET : EXIT_OK;
}

int cli_harness_run(const char *command, int argc, char **argv)
{
	return cli_harness_run_as(command, argc, argv, PA_HARNESS_CLAUDE_CODE);
}

int cli_harness_run_as(const char *command, int argc, char **argv,
                       pa_harness_id forced)
{
	hrun r;
	cli_getopt g;
	int c, code;
	pa_buf out = PA_BUF_INIT;
	pa_error err;

	memset(&r, 0, sizeof(r));
	r.what = !strcmp(command, "context") ? H_CONTEXT
	         : !strcmp(command, "check") ? H_CHECK : H_BUILD;
	r.max_bytes = -1;
	r.id = forced;
	cli_getopt_init(&g, harness_opts);
	optind = 1;
	while ((c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
		switch (c) {
		case OPT_HARNESS:
			if (!pa_harness_parse(optarg, &r.id))
				return cli_usage_error("--harness: no such harness: %s "
				                       "(%s)", optarg, CLI_HARNESS_WORDS);
			break;
		case 'C': r.project = optarg; break;
		case 'o': r.output = optarg; break;
		case 't': r.tok_name = optarg; break;
		case 'm': r.model = optarg; break;
		case 'q': cli_quiet = 1; break;
		case OPT_NO_CONFIG_H: break;
		case 'f':
			if (!strcmp(optarg, "text"))
				r.fmt = HF_TEXT;
			else if (!strcmp(optarg, "json"))
				r.fmt = HF_JSON;
			else if (!strcmp(optarg, "github") && r.what == H_CHECK)
				r.fmt = HF_GITHUB;
			else if (!strcmp(optarg, "html") && r.what == H_BUILD)
				r.fmt = HF_HTML;
			else
				return cli_usage_error("--format: not a format here: %s", optarg);
			break;
		case 'b': {
			long long v;

			if (!parse_size(optarg, &v))
				return cli_usage_error("--budget: not a number of tokens: %s", optarg);
			r.budget = (size_t)v;
			r.has_budget = 1;
			break;
		}
		case OPT_MAX_BYTES:
			if (!parse_size(optarg, &r.max_bytes))
				return cli_usage_error("--project-doc-max-bytes: not a number "
				                       "of bytes: %s", optarg);
			break;
		case 'h':
			help(&r);
			return EXIT_OK;
		default:
			return cli_option_error(argv, g.shortopts, g.longopts);
		}
	}
	if (optind < argc)
		return cli_usage_error("--harness %s takes no agent: it composes what "
		                       "the CLI itself sends (%s)", pa_harness_name(r.id),
		                       argv[optind]);
	if (r.max_bytes >= 0 && r.id != PA_HARNESS_CODEX)
		return cli_usage_error("--project-doc-max-bytes is Codex's setting");
	r.tok_used = r.tok_name ? r.tok_name : PA_DEFAULT_TOKENIZER;
	r.tok = cli_load_tokenizer(r.tok_used, NULL, &code);
	if (!r.tok)
		return code;
	memset(&err, 0, sizeof(err));
	if (r.what == H_CHECK) {
		code = do_check(&r, &out);
	} else {
		pa_harness_options o;
		pa_harness *h;
		pa_warnings w = { 0 };

		pa_harness_options_init(&o);
		o.cwd = r.project;
		o.model = r.model;
		o.max_bytes = r.max_bytes;
		if (pa_harness_load(r.id, &o, &h, &w, &err) != PA_OK) {
			cli_print_error(&err);
			pa_warnings_release(&w);
			pa_tokenizer_free(r.tok);
			return cli_exit_code(err.status);
		}
		warn_list(&w);
		pa_warnings_release(&w);
		warn_harness(h, r.id);
		code = r.what == H_BUILD ? do_build(&r, h, &out) : do_context(&r, h, &out);
		if (r.what == H_CONTEXT && r.id == PA_HARNESS_GEMINI)
			cli_notef("counts are estimates: %s is not Gemini's tokenizer",
			          r.tok_used);
		pa_harness_free(h);
	}
	if (out.len) {
		int wc = cli_write_output(r.output, out.ptr, out.len, NULL, 0);

		if (wc != EXIT_OK)
			code = wc;
	}
	pa_buf_release(&out);
	pa_tokenizer_free(r.tok);
	warned_release();
	return code;
}

/* The value of option `name` (long) or `letter` (short) in argv, as a
 * command that takes it would read it; NULL when absent. */
static const char *arg_of(int argc, char **argv, const char *name, char letter)
{
	const char *v = NULL;
	size_t nl = strlen(name);
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		if (!strncmp(a, "--", 2) && !strncmp(a + 2, name, nl)) {
			if (a[2 + nl] == '=')
				v = a + 3 + nl;
			else if (!a[2 + nl] && i + 1 < argc)
				v = argv[++i];
		} else if (a[0] == '-' && a[1] == letter) {
			if (a[2])
				v = a + 2;
			else if (i + 1 < argc)
				v = argv[++i];
		}
	}
	return v;
}

static int has_flag(int argc, char **argv, const char *flag)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], flag))
			return 1;
	return 0;
}

/* The .promptasm.yaml of the project around dir: the nearest directory
 * with .git or .claude, as the pipeline finds it.  NULL when none, or
 * when it does not parse (*code set; the command reports it). */
static pa_config *project_config(const char *dir, int *code)
{
	char *d = realpath(dir ? dir : ".", NULL);
	pa_config *cfg = NULL;
	pa_error err;

	*code = EXIT_OK;
	if (!d)
		return NULL;
	for (;;) {
		size_t l = strlen(d);
		char *g = malloc(l + 16), *slash;
		int found;

		if (!g)
			cli_out_of_memory(l + 16);
		snprintf(g, l + 16, "%s/.git", d);
		found = access(g, F_OK) == 0;
		snprintf(g, l + 16, "%s/.claude", d);
		found = found || access(g, F_OK) == 0;
		free(g);
		if (found)
			break;
		slash = strrchr(d, '/');
		if (!slash || slash == d) {
			free(d);
			d = realpath(dir ? dir : ".", NULL);
			break;
		}
		*slash = '\0';
	}
	memset(&err, 0, sizeof(err));
	if (d && pa_config_load(d, &cfg, &err) != PA_OK) {
		/* not printed: the command reads it again and reports */
		*code = cli_exit_code(err.status);
		cfg = NULL;
	}
	free(d);
	return cfg;
}

int cli_harness_pending = EXIT_OK;

/* check with the config's `harness:` list: each CLI but Claude Code,
 * with the options check shares (-C, -f, -q, -b); their lines go to
 * standard output in text or GitHub form, else (a JSON, JUnit or HTML
 * report of Claude Code's check follows) to standard error. */
static int config_check(pa_harness_id id, int argc, char **argv, int claude_too)
{
	hrun r;
	const char *f = arg_of(argc, argv, "format", 'f');
	const char *b = arg_of(argc, argv, "budget", 'b');
	pa_buf out = PA_BUF_INIT;
	int code;

	memset(&r, 0, sizeof(r));
	r.what = H_CHECK;
	r.id = id;
	r.max_bytes = -1;
	r.project = arg_of(argc, argv, "project", 'C');
	r.fmt = f && !strcmp(f, "github") ? HF_GITHUB : HF_TEXT;
	if (b) {
		long long v;

		if (!parse_size(b, &v))
			return cli_usage_error("--budget: not a number of tokens: %s", b);
		r.budget = (size_t)v;
		r.has_budget = 1;
	}
	if (has_flag(argc, argv, "-q") || has_flag(argc, argv, "--quiet"))
		cli_quiet = 1;
	r.tok_used = PA_DEFAULT_TOKENIZER;
	r.tok = cli_load_tokenizer(r.tok_used, NULL, &code);
	if (!r.tok)
		return code;
	code = do_check(&r, &out);
	if (out.len) {
		if (claude_too && f && strcmp(f, "text") && strcmp(f, "github") &&
		    strcmp(f, "markdown"))
			fwrite(out.ptr, 1, out.len, stderr);
		else if (cli_write_stdout(out.ptr, out.len) != EXIT_OK)
			code = EXIT_FAILURE_IO;
	}
	pa_buf_release(&out);
	pa_tokenizer_free(r.tok);
	warned_release();
	return code;
}

int cli_harness_dispatch(const char *command, int argc, char **argv)
{
	pa_harness_id id;
	int r = cli_harness_requested(argc, argv, &id), code = EXIT_OK, cfg_code;
	pa_config *cfg;
	const pa_harness_id *ids;
	size_t n, i;
	int claude = 0;

	if (r < 0)
		return cli_usage_error("--harness: no such harness (%s)",
		                       CLI_HARNESS_WORDS);
	if (r == 1)
		return cli_harness_run(command, argc, argv);
	if (r == 2 || has_flag(argc, argv, "--no-config") || has_flag(argc, argv, "-h") ||
	    has_flag(argc, argv, "--help"))
		return -1;
	cfg = project_config(arg_of(argc, argv, "project", 'C'), &cfg_code);
	if (!cfg)
		return -1; /* the pipeline reads it again and reports */
	n = pa_config_harness(cfg, &ids);
	for (i = 0; i < n; i++)
		claude |= ids[i] == PA_HARNESS_CLAUDE_CODE;
	if (n == 0 || (n == 1 && claude)) {
		pa_config_free(cfg);
		return -1;
	}
	if (strcmp(command, "check")) {
		/* build and context: the one CLI the config names */
		pa_config_free(cfg);
		if (n != 1)
			return cli_usage_error("the config's 'harness:' names several: "
			                       "choose one with --harness");
		return cli_harness_run_as(command, argc, argv, ids[0]);
	}
	for (i = 0; i < n; i++) {
		int c;

		if (ids[i] == PA_HARNESS_CLAUDE_CODE)
			continue;
		c = config_check(ids[i], argc, argv, claude);
		if (c > code)
			code = c;
	}
	pa_config_free(cfg);
	if (claude) {
		cli_harness_pending = code;
		return -1;
	}
	return code;
}
