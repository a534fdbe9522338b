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

enum { H_BUILD, H_CONTEXT, H_CHECK, H_EXPLAIN };
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
	static const char *const what[] = { "build", "context", "check", "explain" };
	static const char *const does[] = {
		"Prints the files it sends, in its order, each under a heading,\n"
		"cut where it cuts them.\n",
		"Prints its first request part by part against the model's window.\n",
		"Exit status 1 when it would cut or drop a file, started at the root\n"
		"or in any directory holding an instruction file it reads.\n",
		"Lists the files heaviest first, with what it does to each.\n",
	};

	printf("usage: promptasm %s --harness NAME [options]\n\n"
	       "What another agent CLI than Claude Code is sent for the project\n"
	       "it starts in (docs/harnesses.md): NAME is codex, copilot, gemini or\n"
	       "opencode.\n%s\n"
	       "      --harness NAME      the CLI: codex, copilot, gemini, opencode\n"
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
	       what[r->what], does[r->what], r->what == H_CHECK ? ", github" : r->what == H_BUILD
	       ? ",\n                          html (each file as sent, and its cut)" : "");
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
	warned = Pa_xgrow(warned, n_warned, sizeof(char *));
	warned[n_warned++] = Pa_xstrdup(msg);
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

		Pa_quote_text(&b, w->items[i].message, strlen(w->items[i].message));
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

		Pa_quote_str(&b, pa_harness_unread_at(h, i));
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
			Pa_quote_str(&b, f->path);
			pa_buf_puts(&b, " repeats ");
			Pa_quote_str(&b, f->duplicate_of);
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

/* A report's first keys: the version, the harness and its version. */
static void json_head(pa_jw *w, pa_buf *out, const hrun *r)
{
	Pa_jw_report(w, out);
	Pa_jw_str(w, "harness", pa_harness_name(r->id));
	Pa_jw_str(w, "harness_version", pa_harness_version(r->id));
}

/* A file's "path", "state", "bytes_read" and "bytes_sent". */
static void json_file(pa_jw *w, const pa_harness_file *f)
{
	Pa_jw_str(w, "path", f->path);
	Pa_jw_str(w, "state", file_state(f));
	Pa_jw_uint(w, "bytes_read", f->bytes);
	Pa_jw_uint(w, "bytes_sent", f->sent);
}

/* "cut": where the CLI cuts the file, when it does. */
static void json_cut(pa_jw *w, const pa_harness_file *f)
{
	if (!f->cut_line)
		return;
	Pa_jw_object(w, "cut", PA_JW_INLINE);
	Pa_jw_int(w, "line", f->cut_line);
	Pa_jw_int(w, "byte", f->cut_column);
	Pa_jw_end(w);
}

/* One of context's "parts": path NULL for the CLI's own. */
static void json_part(pa_jw *w, const char *part, const char *path, size_t tokens,
                      int measured)
{
	Pa_jw_object(w, NULL, PA_JW_INLINE);
	Pa_jw_str(w, "part", part);
	if (path)
		Pa_jw_str(w, "path", path);
	Pa_jw_uint(w, "tokens", tokens);
	if (measured)
		Pa_jw_bool(w, "measured", 1);
	Pa_jw_end(w);
}

static void head_line(pa_buf *out, const hrun *r, const pa_harness *h)
{
	const char *from;
	const char *model = pa_harness_model(h, &from);

	pa_buf_printf(out, "# %s %s, model ", pa_harness_name(r->id),
	              pa_harness_version(r->id));
	Pa_quote_str(out, model ? model : "?");
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

		pa_jw w;

		json_head(&w, out, r);
		Pa_jw_str(&w, "model", model);
		Pa_jw_str(&w, "tokenizer", r->tok_used);
		Pa_jw_str(&w, "root", pa_harness_root(h));
		if (r->id == PA_HARNESS_CODEX)
			Pa_jw_uint(&w, "project_doc_max_bytes", pa_harness_max_bytes(h, NULL));
		Pa_jw_array(&w, "files", PA_JW_LINES);
		for (i = 0; i < n; i++) {
			const pa_harness_file *f = pa_harness_file_at(h, i);
			size_t t = count(r, f->text, f->sent);

			total += t;
			Pa_jw_object(&w, NULL, PA_JW_INLINE);
			json_file(&w, f);
			Pa_jw_uint(&w, "tokens", t);
			Pa_jw_str(&w, "in", f->system ? "system" : "user");
			Pa_jw_bool(&w, "global", f->global);
			json_cut(&w, f);
			if (f->apply_to)
				Pa_jw_str(&w, "apply_to", f->apply_to);
			if (f->parent)
				Pa_jw_str(&w, "imported_by", f->parent);
			if (f->duplicate)
				Pa_jw_bool(&w, "duplicate", 1);
			Pa_jw_end(&w);
		}
		Pa_jw_end(&w);
		Pa_jw_uint(&w, "tokens", total);
		Pa_jw_finish(&w);
		return EXIT_OK;
	}
	head_line(out, r, h);
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		pa_buf_puts(out, "\n==> ");
		Pa_quote_str(out, f->path);
		if (f->unread) {
			pa_buf_printf(out, " (not read: %s) <==\n", f->reason);
			continue;
		}
		if (f->listed) {
			pa_buf_puts(out, " (named only, applyTo ");
			Pa_quote_str(out, f->apply_to);
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
			Pa_quote_str(out, f->parent);
		}
		pa_buf_puts(out, ") <==\n");
		pa_buf_put(out, f->text, f->sent);
		if (f->sent && f->text[f->sent - 1] != '\n')
			pa_buf_putc(out, '\n');
	}
	return EXIT_OK;
}

/* explain: where the tokens of the project's files go, heaviest first,
 * with what the CLI does to each. */
static int do_explain(const hrun *r, const pa_harness *h, pa_buf *out)
{
	size_t i, k, n = pa_harness_file_count(h), total = 0;
	size_t *order, *tok;

	if (r->fmt == HF_JSON) /* the same figures as build's */
		return do_build(r, h, out);
	order = Pa_xcalloc(n ? n : 1, sizeof(size_t));
	tok = Pa_xcalloc(n ? n : 1, sizeof(size_t));
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		tok[i] = f->unread || f->empty ? 0 : count(r, f->text, f->sent);
		total += tok[i];
		order[i] = i;
	}
	for (i = 1; i < n; i++) /* heaviest first, stable */
		for (k = i; k > 0 && tok[order[k - 1]] < tok[order[k]]; k--) {
			size_t t = order[k];

			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	head_line(out, r, h);
	pa_buf_printf(out, "%zu file%s, ", n, n == 1 ? "" : "s");
	pa_buf_put_count(out, total);
	pa_buf_printf(out, " tokens sent (%s)\n\n    TOKENS  SHARE  STATE    FILE\n",
	              r->tok_used);
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, order[i]);
		pa_buf c = PA_BUF_INIT;

		pa_buf_put_count(&c, tok[order[i]]);
		pa_buf_printf(out, "%10s %5.1f%%  %-8s ", c.ptr, total ? 100.0 *
		              (double)tok[order[i]] / (double)total : 0.0, file_state(f));
		Pa_quote_cell(out, f->path, CLI_CELL_MAX);
		if (f->cut_line)
			pa_buf_printf(out, " (cut at line %ld, byte %ld)", f->cut_line,
			              f->cut_column);
		pa_buf_putc(out, '\n');
		pa_buf_release(&c);
	}
	free(order);
	free(tok);
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
		pa_jw w;

		json_head(&w, out, r);
		Pa_jw_str(&w, "model", model);
		Pa_jw_str(&w, "tokenizer", r->tok_used);
		Pa_jw_uint(&w, "window", fg->window);
		Pa_jw_array(&w, "parts", PA_JW_LINES);
		json_part(&w, "own prompt", NULL, fg->own_tokens, 1);
		json_part(&w, "tools", NULL, fg->tools_tokens, 1);
		json_part(&w, "wrapping of the files", NULL, wrap, 1);
		for (i = 0; i < n; i++) {
			const pa_harness_file *f = pa_harness_file_at(h, i);

			if (f->unread || f->dropped || f->empty)
				continue;
			json_part(&w, "file", f->path,
			          count(r, f->listed ? f->path : f->text,
			                f->listed ? strlen(f->path) : f->sent), 0);
		}
		Pa_jw_end(&w);
		Pa_jw_uint(&w, "total", total);
		Pa_jw_finish(&w);
		return r->has_budget && total > r->budget ? EXIT_OVER_BUDGET : EXIT_OK;
	}
	pa_buf_printf(out, "%s %s, model ", pa_harness_name(r->id),
	              pa_harness_version(r->id));
	Pa_quote_str(out, model ? model : "?");
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
		w = Pa_quote_cell(out, f->path, 40);
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

/* One failure of check, as text (`FAIL msg`) or as an annotation, on
 * path's line when given. */
static void emit(const hrun *r, pa_buf *out, const char *path, long line,
                 long col, const char *msg)
{
	if (r->fmt == HF_TEXT) {
		pa_buf_printf(out, "FAIL %s\n", msg);
	} else if (r->fmt == HF_GITHUB) {
		pa_buf q = PA_BUF_INIT;

		pa_buf_puts(out, "::error ");
		if (path && !Pa_quote_needed(path, strlen(path))) {
			pa_buf_puts(out, "file=");
			gh_escape(out, path, 1);
			pa_buf_printf(out, ",line=%ld,", line > 0 ? line : 1);
			if (col > 0)
				pa_buf_printf(out, "col=%ld,", col);
		}
		pa_buf_puts(out, "title=promptasm check::");
		Pa_quote_text(&q, msg, strlen(msg));
		gh_escape(out, q.ptr, 0);
		pa_buf_putc(out, '\n');
		pa_buf_release(&q);
	}
}

/* One start directory: 1 when the CLI cuts or drops a file there. */
static int check_dir(const hrun *r, const char *dir, const char *shown_dir,
                     pa_buf *out, pa_jw *json)
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
			Pa_quote_str(&dropped, f->path);
		}
		if (f->unread) {
			pa_buf msg = PA_BUF_INIT;

			Pa_quote_str(&msg, f->path);
			pa_buf_printf(&msg, " is not read: %s", f->reason);
			emit(r, out, NULL, 0, 0, msg.ptr);
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
		Pa_quote_str(&msg, f->path);
		pa_buf_printf(&msg, " at line %ld, byte %ld (", f->cut_line, f->cut_column);
		pa_buf_put_count(&msg, f->sent);
		pa_buf_puts(&msg, " of ");
		pa_buf_put_count(&msg, f->bytes);
		pa_buf_puts(&msg, " bytes sent; project_doc_max_bytes ");
		pa_buf_put_count(&msg, mb);
		pa_buf_printf(&msg, ", %s) when started in ", mf ? mf : "?");
		Pa_quote_str(&msg, shown_dir);
		if (dropped.len)
			pa_buf_printf(&msg, "; drops %s", dropped.ptr);
		failed = 1;
		emit(r, out, f->global ? NULL : f->path, f->cut_line, f->cut_column, msg.ptr);
		pa_buf_release(&msg);
		break;
	}
	if (!failed && dropped.len) {
		pa_buf msg = PA_BUF_INIT;

		failed = 1;
		pa_buf_printf(&msg, "%s drops %s when started in ", pa_harness_name(r->id),
		              dropped.ptr);
		Pa_quote_str(&msg, shown_dir);
		emit(r, out, NULL, 0, 0, msg.ptr);
		pa_buf_release(&msg);
	}
	total = context_total(r, h, NULL);
	{
		const pa_harness_figures *fg = pa_harness_figures_get(h);

		int over_window = fg->window && total > fg->window;
		int over_budget = r->has_budget && total > r->budget;

		if (over_window || over_budget) {
			pa_buf msg = PA_BUF_INIT;

			failed = 1;
			pa_buf_printf(&msg, "%s's first request started in ",
			              pa_harness_name(r->id));
			Pa_quote_str(&msg, shown_dir);
			pa_buf_puts(&msg, " is about ");
			pa_buf_put_count(&msg, total);
			pa_buf_puts(&msg, over_window ? " tokens, over the model's window of "
			                              : " tokens > the budget ");
			pa_buf_put_count(&msg, over_window ? fg->window : r->budget);
			emit(r, out, NULL, 0, 0, msg.ptr);
			pa_buf_release(&msg);
		}
	}
	if (!failed && r->fmt == HF_TEXT) {
		pa_buf_puts(out, "ok   ");
		Pa_quote_str(out, shown_dir);
		pa_buf_printf(out, ": %zu file%s, about ", n, n == 1 ? "" : "s");
		pa_buf_put_count(out, total);
		pa_buf_puts(out, " tokens\n");
	}
	if (r->fmt == HF_JSON) {
		Pa_jw_object(json, NULL, PA_JW_INLINE);
		Pa_jw_str(json, "dir", shown_dir);
		Pa_jw_bool(json, "ok", !failed);
		Pa_jw_uint(json, "tokens", total);
		Pa_jw_array(json, "files", PA_JW_INLINE);
		for (i = 0; i < n; i++) {
			Pa_jw_object(json, NULL, PA_JW_INLINE);
			json_file(json, pa_harness_file_at(h, i));
			json_cut(json, pa_harness_file_at(h, i));
			Pa_jw_end(json);
		}
		Pa_jw_end(json);
		Pa_jw_end(json);
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
	int incomplete = 0, failed = 0;
	pa_error err;
	pa_buf json = PA_BUF_INIT;
	pa_jw jw;
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
			dirs = Pa_xrealloc(dirs, (n + 1) * sizeof(char *));
			dirs[n++] = cwd;
		} else {
			free(cwd);
		}
	}
	/* The directories' objects, one a line, in "dirs" of the report. */
	Pa_jw_init(&jw, &json, 1);
	Pa_jw_array(&jw, NULL, PA_JW_LINES);
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
		rc = check_dir(r, dirs[i], shown, out, &jw);
		if (rc < 0) {
			failed = -1;
			break;
		}
		failed |= rc;
	}
	if (r->fmt == HF_JSON && failed >= 0) {
		/* "ok" comes before "dirs", known once every directory is. */
		Pa_jw_end(&jw);
		json_head(&jw, out, r);
		Pa_jw_bool(&jw, "ok", !failed);
		Pa_jw_raw(&jw, "dirs", json.ptr, json.len);
		Pa_jw_finish(&jw);
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
	         : !strcmp(command, "check") ? H_CHECK
	         : !strcmp(command, "explain") ? H_EXPLAIN : H_BUILD;
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
		code = r.what == H_BUILD ? do_build(&r, h, &out)
		       : r.what == H_EXPLAIN ? do_explain(&r, h, &out)
		       : do_context(&r, h, &out);
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
		char *g = Pa_xmalloc(l + 16), *slash;
		int found;

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
