/* clis_out.c - build, context and explain of each CLI's first request
 * that the table composes (PA_HARNESS_SUPPORTS_REQUEST): one reporter
 * per format (reporters[], below) over the request model of request.h,
 * the same for every CLI.  An agent's prompt and a main session's are
 * the commands' own. */
#define _POSIX_C_SOURCE 200809L
#include "clis_out.h"
#include "body.h"
#include "html_page.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

/* The head line of build and explain: the CLI, its version, its model,
 * its byte cap when it has one. */
static void head_line(pa_buf *out, const cli_request *q)
{
	const char *from;
	const char *model = pa_harness_model(q->h, &from);
	size_t cap = pa_harness_max_bytes(q->h, &from);

	pa_buf_printf(out, "# %s %s, model ", pa_harness_name(q->id),
	              pa_harness_cli_version(q->h));
	Pa_quote_str(out, model ? model : "?");
	if (pa_harness_cap_name(q->id)) {
		pa_buf_printf(out, ", %s ", pa_harness_cap_name(q->id));
		pa_buf_put_count(out, cap);
		pa_buf_printf(out, " (%s)", from ? from : "?");
	}
	pa_buf_putc(out, '\n');
}

static void json_cut(Pa_jw *w, const pa_harness_file *f)
{
	if (!f->cut_line) {
		Pa_jw_null(w, "cut");
		return;
	}
	Pa_jw_object(w, "cut", PA_JW_INLINE);
	Pa_jw_int(w, "line", f->cut_line);
	Pa_jw_int(w, "byte", f->cut_column);
	Pa_jw_end(w);
}

/* build -f json and explain -f json: the files, each as sent. */
static void files_json(pa_buf *out, const cli_request *q)
{
	size_t i;
	Pa_jw w;

	Pa_jw_report(&w, out);
	Pa_jw_str(&w, "cli", pa_harness_name(q->id));
	Pa_jw_str(&w, "cli_version", pa_harness_cli_version(q->h));
	/* the names of version 1's first shape, kept */
	Pa_jw_str(&w, "harness", pa_harness_name(q->id));
	Pa_jw_str(&w, "harness_version", pa_harness_cli_version(q->h));
	Pa_jw_str(&w, "model", pa_harness_model(q->h, NULL));
	Pa_jw_str(&w, "tokenizer", q->tokenizer);
	Pa_jw_str(&w, "root", pa_harness_root(q->h));
	if (pa_harness_cap_name(q->id))
		Pa_jw_uint(&w, pa_harness_cap_name(q->id), pa_harness_max_bytes(q->h, NULL));
	Pa_jw_array(&w, "files", PA_JW_LINES);
	for (i = 0; i < q->n; i++) {
		const pa_harness_file *f = q->parts[i].file;

		if (!f)
			continue;
		Pa_jw_object(&w, NULL, PA_JW_INLINE);
		Pa_jw_str(&w, "path", f->path);
		Pa_jw_str(&w, "state", cli_file_state(f));
		Pa_jw_uint(&w, "bytes_read", f->bytes);
		Pa_jw_uint(&w, "bytes_sent", f->sent);
		Pa_jw_uint(&w, "tokens", q->parts[i].tokens);
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
	Pa_jw_uint(&w, "tokens", q->files_tokens);
	Pa_jw_finish(&w);
}

/* build -f html: the files as the CLI sends them: a table, then each
 * file's text, and what it cuts apart from what it sends. */
/* The page's opening, its title "CLI VERSION: what", and the start of the
 * line under it (the model, the tokenizer) that the caller goes on with. */
static void page_head(pa_buf *out, pa_buf *title, const cli_request *q,
                      const char *what, const char *model)
{
	pa_buf_printf(title, "%s %s: %s", pa_harness_name(q->id),
	              pa_harness_cli_version(q->h), what);
	html_page_begin(out, title->ptr);
	pa_buf_puts(out, "<h1>");
	html_str(out, title->ptr);
	pa_buf_puts(out, "</h1>\n<p class=\"sub\">model ");
	html_str(out, model ? model : "?");
	pa_buf_puts(out, ", counted with ");
	html_str(out, q->tokenizer);
}

static void build_html(pa_buf *out, const cli_request *q)
{
	size_t i;
	pa_buf title = PA_BUF_INIT;
	const char *model = pa_harness_model(q->h, NULL);

	page_head(out, &title, q, "what it sends", model);
	pa_buf_puts(out, "</p>\n<table class=\"agents\"><thead><tr><th>File</th>"
	            "<th>State</th><th class=\"n\">Read</th><th class=\"n\">Sent</th>"
	            "<th class=\"n\">Tokens</th></tr></thead><tbody>\n");
	for (i = 0; i < q->n; i++) {
		const pa_harness_file *f = q->parts[i].file;

		if (!f)
			continue;
		pa_buf_puts(out, "<tr><td class=\"mono\">");
		html_str(out, f->path);
		pa_buf_printf(out, "</td><td>%s</td><td class=\"n\">", cli_file_state(f));
		html_count(out, f->bytes);
		pa_buf_puts(out, "</td><td class=\"n\">");
		html_count(out, f->sent);
		pa_buf_puts(out, "</td><td class=\"n\">");
		html_count(out, q->parts[i].tokens);
		pa_buf_puts(out, "</td></tr>\n");
	}
	pa_buf_puts(out, "</tbody></table>\n<p>");
	html_count(out, q->files_tokens);
	pa_buf_puts(out, " tokens of the project's files</p>\n");
	for (i = 0; i < q->n; i++) {
		const pa_harness_file *f = q->parts[i].file;

		if (!f || f->unread || f->listed || f->empty)
			continue;
		pa_buf_puts(out, "<h2 class=\"mono\">");
		html_str(out, f->path);
		pa_buf_puts(out, "</h2>\n<pre class=\"sent\">");
		html_text_lines(out, f->text, f->sent);
		pa_buf_puts(out, "</pre>\n");
		if (f->cut_line || f->dropped) {
			pa_buf_puts(out, "<p class=\"note\"><span class=\"unsent-label\">"
			            "Not sent</span>: ");
			if (f->dropped)
				pa_buf_puts(out, "the file is dropped");
			else
				pa_buf_printf(out, "cut at line %ld, byte %ld: what follows never "
				              "reaches the model", f->cut_line, f->cut_column);
			pa_buf_puts(out, "</p>\n<pre class=\"cut\">");
			html_text_lines(out, f->text + f->sent, f->bytes - f->skipped - f->sent);
			pa_buf_puts(out, "</pre>\n");
		}
	}
	html_page_end(out);
	pa_buf_release(&title);
}

/* build: the files' text in the order the model reads it, each piece
 * under a line naming its file (an imported file between the pieces of
 * the file that imports it: "continued" names where that goes on). */
static void build_text(pa_buf *out, const cli_request *q)
{
	size_t i, np = pa_harness_piece_count(q->h);

	head_line(out, q);
	/* a CLI that finds none sends its own text alone: say so, not a
	 * bare header */
	if (!pa_harness_file_count(q->h))
		pa_buf_puts(out, "(no instruction files)\n");
	for (i = 0; i < np; i++) {
		const pa_harness_piece *pc = pa_harness_piece_at(q->h, i);
		const pa_harness_file *f = pa_harness_file_at(q->h, pc->file);

		pa_buf_puts(out, "\n==> ");
		Pa_quote_str(out, f->path);
		if (!pc->first) {
			pa_buf_printf(out, " (continued at line %ld) <==\n", pc->line);
		} else if (f->unread) {
			pa_buf_printf(out, " (not read: %s) <==\n", f->reason);
			continue;
		} else if (f->skill) {
			/* its entry in the listing, after the line end that
			 * joins it to the one before */
			size_t lf = f->sent && f->text[0] == '\n';

			pa_buf_puts(out, " (listed as a skill: ");
			pa_buf_put_count(out, f->sent);
			pa_buf_puts(out, " bytes: its entry in the listing) <==\n");
			pa_buf_put(out, f->text + lf, f->sent - lf);
			if (f->sent > lf && f->text[f->sent - 1] != '\n')
				pa_buf_putc(out, '\n');
			continue;
		} else if (f->listed) {
			pa_buf_puts(out, " (named only, applyTo ");
			Pa_quote_str(out, f->apply_to);
			pa_buf_puts(out, ") <==\n");
			continue;
		} else if (f->empty) {
			pa_buf_puts(out, " (white space only: skipped) <==\n");
			continue;
		} else if (f->dropped) {
			pa_buf_puts(out, " (");
			pa_buf_put_count(out, f->bytes);
			pa_buf_puts(out, " bytes: dropped, over the budget) <==\n");
			continue;
		} else {
			pa_buf_puts(out, " (");
			if (f->cut_line) {
				pa_buf_put_count(out, f->sent);
				pa_buf_puts(out, " of ");
				pa_buf_put_count(out, f->bytes);
				pa_buf_printf(out, " bytes: cut at line %ld, byte %ld",
				              f->cut_line, f->cut_column);
			} else {
				pa_buf_put_count(out, f->bytes);
				pa_buf_puts(out, " bytes");
			}
			if (f->parent) {
				pa_buf_puts(out, ", imported by ");
				Pa_quote_str(out, f->parent);
			}
			pa_buf_puts(out, ") <==\n");
		}
		pa_buf_put(out, pc->text, pc->len);
		if (pc->len && pc->text[pc->len - 1] != '\n')
			pa_buf_putc(out, '\n');
	}
}

/* explain: where the tokens of the project's files go, heaviest first,
 * with what the CLI does to each. */
static void explain_text(pa_buf *out, const cli_request *q)
{
	size_t i, k, n = 0, *order = Pa_xcalloc(q->n ? q->n : 1, sizeof(size_t));
	size_t all = q->files_tokens + q->skills_tokens; /* skills listed too */

	for (i = 0; i < q->n; i++)
		if (q->parts[i].file)
			order[n++] = i;
	for (i = 1; i < n; i++) /* heaviest first, stable */
		for (k = i; k > 0 && q->parts[order[k - 1]].tokens < q->parts[order[k]].tokens; k--) {
			size_t t = order[k];

			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	head_line(out, q);
	pa_buf_printf(out, "%zu file%s, ", n, n == 1 ? "" : "s");
	pa_buf_put_count(out, all);
	pa_buf_printf(out, " tokens sent (%s)\n\n    TOKENS  SHARE  STATE    FILE\n",
	              q->tokenizer);
	for (i = 0; i < n; i++) {
		const cli_part *x = &q->parts[order[i]];
		pa_buf c = PA_BUF_INIT;

		pa_buf_put_count(&c, x->tokens);
		pa_buf_printf(out, "%10s %5.1f%%  %-8s ", c.ptr, all ? 100.0 *
		              (double)x->tokens / (double)all : 0.0,
		              cli_file_state(x->file));
		Pa_quote_cell(out, x->file->path, CLI_CELL_MAX);
		if (x->file->cut_line)
			pa_buf_printf(out, " (cut at line %ld, byte %ld)", x->file->cut_line,
			              x->file->cut_column);
		pa_buf_putc(out, '\n');
		pa_buf_release(&c);
	}
	free(order);
}

/* A count right-aligned in 10 columns, then a share of the window. */
/* The width of the name column: 40, or the longest name quoted, so that
 * a path is never cut (a cut path names no file). */
static size_t name_width(const cli_request *q)
{
	pa_buf t = PA_BUF_INIT;
	size_t i, w, width = 40;

	for (i = 3; i < q->n; i++)
		if (cli_file_sent(q->parts[i].file)) {
			t.len = 0;
			w = Pa_quote_cell(&t, q->parts[i].file->path, (size_t)-1 / 2);
			if (w > width)
				width = w;
		}
	pa_buf_release(&t);
	return width;
}

static void put_row(pa_buf *out, const char *name, size_t width, size_t tokens,
                    size_t window)
{
	pa_buf t = PA_BUF_INIT;
	size_t w;

	pa_buf_puts(out, "  ");
	w = Pa_quote_cell(out, name, width);
	for (; w < width; w++)
		pa_buf_putc(out, ' ');
	pa_buf_put_count(&t, tokens);
	pa_buf_printf(out, " %10s  ", t.ptr);
	if (window)
		pa_buf_printf(out, "%5.1f%%", 100.0 * (double)tokens / (double)window);
	while (out->len && out->ptr[out->len - 1] == ' ')
		out->len--;
	pa_buf_putc(out, '\n');
	pa_buf_release(&t);
}

/* context's parts, Claude Code's seven kinds in its order: another CLI's
 * own text is "system", its tools "tools", its files and the text it
 * wraps them in "memory" (Claude Code's instruction files); it has none
 * of the others. */
static const char *const part_kind[] = {
	"system", "tools", "mcp", "agents", "skills", "memory", "environment"
};
enum { KIND_SYSTEM = 0, KIND_TOOLS = 1, KIND_SKILLS = 4, KIND_MEMORY = 5, KINDS = 7 };

static void context_text(pa_buf *out, const cli_request *q)
{
	const char *model = pa_harness_model(q->h, NULL);
	size_t i, width = name_width(q), skills = 0;

	pa_buf_printf(out, "%s %s, model ", pa_harness_name(q->id),
	              pa_harness_cli_version(q->h));
	Pa_quote_str(out, model ? model : "?");
	pa_buf_printf(out, ", counted with %s", q->tokenizer);
	if (q->fig->window) {
		pa_buf_puts(out, ", window ");
		pa_buf_put_count(out, q->fig->window);
	}
	pa_buf_putc(out, '\n');
	put_row(out, "system prompt (measured)", width, q->parts[0].tokens - q->config_tokens,
	        q->fig->window);
	if (q->config_tokens) {
		const char *from;

		pa_harness_config_text(q->h, &from, NULL);
		put_row(out, from ? from : "configuration", width, q->config_tokens, q->fig->window);
	}
	put_row(out, "tools (measured)", width, q->parts[1].tokens, q->fig->window);
	put_row(out, "wrapping of the files (measured)", width, q->parts[2].tokens, q->fig->window);
	for (i = 3; i < q->n; i++) {
		if (!cli_file_sent(q->parts[i].file))
			continue;
		/* the skills it lists, after their listing's own words */
		if (q->parts[i].file->skill && !skills++)
			put_row(out, "skill listing (measured)", width, q->skills_frame,
			        q->fig->window);
		put_row(out, q->parts[i].file->path, width, q->parts[i].tokens, q->fig->window);
	}
	put_row(out, "total", width, q->total, q->fig->window);
}

/* context -f html: the first request part by part, against the model's
 * window, as a page. */
static void context_html(pa_buf *out, const cli_request *q)
{
	pa_buf title = PA_BUF_INIT;
	const char *model = pa_harness_model(q->h, NULL);
	size_t i;

	size_t skills = 0;

	page_head(out, &title, q, "its first request", model);
	if (q->fig->window) {
		pa_buf_puts(out, ", window ");
		html_count(out, q->fig->window);
	}
	pa_buf_puts(out, "</p>\n<table class=\"agents\"><thead><tr><th>Part</th>"
	            "<th class=\"n\">Tokens</th></tr></thead><tbody>\n");
	for (i = 0; i < q->n; i++) {
		const cli_part *x = &q->parts[i];

		if (x->file && !cli_file_sent(x->file))
			continue;
		if (x->file && x->file->skill && !skills++) {
			pa_buf_puts(out, "<tr><td>skill listing (measured)</td><td class=\"n\">");
			html_count(out, q->skills_frame);
			pa_buf_puts(out, "</td></tr>\n");
		}
		pa_buf_puts(out, x->file ? "<tr><td class=\"mono\">" : "<tr><td>");
		html_str(out, x->file ? x->file->path : x->kind);
		pa_buf_puts(out, x->measured ? " (measured)</td><td class=\"n\">"
		                             : "</td><td class=\"n\">");
		html_count(out, x->tokens);
		pa_buf_puts(out, "</td></tr>\n");
	}
	pa_buf_puts(out, "<tr><td><strong>total</strong></td><td class=\"n\">");
	html_count(out, q->total);
	pa_buf_puts(out, "</td></tr>\n</tbody></table>\n");
	html_page_end(out);
	pa_buf_release(&title);
}

/* context -f json: the shape of Claude Code's context (docs/json.md):
 * the parts by kind, each with its items. */
static void context_json(pa_buf *out, const cli_request *q, const pa_warnings *warn)
{
	size_t i;
	Pa_jw w;

	Pa_jw_report(&w, out);
	Pa_jw_str(&w, "cli", pa_harness_name(q->id));
	Pa_jw_str(&w, "cli_version", pa_harness_cli_version(q->h));
	Pa_jw_null(&w, "claude_code");
	Pa_jw_str(&w, "model", pa_harness_model(q->h, NULL));
	Pa_jw_bool(&w, "model_measured", !strcmp(q->fig->model ? q->fig->model : "",
	                                         pa_harness_model(q->h, NULL)
	                                         ? pa_harness_model(q->h, NULL) : ""));
	Pa_jw_str(&w, "tokenizer", q->tokenizer);
	Pa_jw_bool(&w, "exact", !pa_harness_estimate(q->id));
	Pa_jw_bool(&w, "project_exact", 0);  /* --count-api: Claude Code's */
	Pa_jw_uint(&w, "tokens", q->total);
	Pa_jw_uint(&w, "window", q->fig->window);
	Pa_jw_uint(&w, "reserve", q->fig->reserved);
	Pa_jw_array(&w, "parts", PA_JW_LINES);
	for (i = 0; i < KINDS; i++) {
		size_t k;

		Pa_jw_object(&w, NULL, PA_JW_INLINE);
		Pa_jw_str(&w, "kind", part_kind[i]);
		Pa_jw_uint(&w, "tokens", i == KIND_SYSTEM ? q->parts[0].tokens
		                         : i == KIND_TOOLS ? q->parts[1].tokens
		                         : i == KIND_MEMORY ? q->parts[2].tokens + q->files_tokens
		                         : i == KIND_SKILLS ? q->skills_frame + q->skills_tokens
		                         : 0);
		Pa_jw_array(&w, "items", PA_JW_LINES);
		if (i == KIND_SKILLS && q->nskills) {
			Pa_jw_object(&w, NULL, PA_JW_INLINE);
			Pa_jw_str(&w, "name", "skill listing");
			Pa_jw_str(&w, "path", NULL);
			Pa_jw_uint(&w, "tokens", q->skills_frame);
			Pa_jw_bool(&w, "builtin", 1);
			Pa_jw_end(&w);
		}
		for (k = 2; (i == KIND_MEMORY || i == KIND_SKILLS) && k < q->n; k++) {
			const pa_harness_file *f = q->parts[k].file;

			if (f && !cli_file_sent(f))
				continue;
			/* a skill listed in its kind, the files in memory */
			if ((i == KIND_SKILLS) != (f && f->skill))
				continue;
			Pa_jw_object(&w, NULL, PA_JW_INLINE);
			Pa_jw_str(&w, "name", f ? f->path : "wrapping of the files");
			Pa_jw_str(&w, "path", f ? f->path : NULL);
			Pa_jw_uint(&w, "tokens", q->parts[k].tokens);
			Pa_jw_bool(&w, "builtin", !f);
			Pa_jw_end(&w);
		}
		Pa_jw_end(&w);
		Pa_jw_end(&w);
	}
	Pa_jw_end(&w);
	/* Claude Code's shape: its files loaded on demand; another CLI's
	 * walks load every file up front */
	Pa_jw_array(&w, "on_demand", PA_JW_INLINE);
	Pa_jw_end(&w);
	Pa_jw_uint(&w, "on_demand_tokens", 0);
	Pa_jw_array(&w, "notes", PA_JW_INLINE);
	Pa_jw_end(&w);
	Pa_jw_bool(&w, "lower_bound", 0);
	cli_json_warnings(&w, warn);
	Pa_jw_finish(&w);
}

static void context_markdown(pa_buf *out, const cli_request *q)
{
	size_t i, skills = 0;

	pa_buf_printf(out, "## %s %s: ", pa_harness_name(q->id), pa_harness_cli_version(q->h));
	pa_buf_put_count(out, q->total);
	pa_buf_puts(out, " tokens\n\n| Part | Tokens |\n|:--|--:|\n");
	for (i = 0; i < q->n; i++) {
		const pa_harness_file *f = q->parts[i].file;
		pa_buf cell = PA_BUF_INIT;

		if (f && !cli_file_sent(f))
			continue;
		if (f && f->skill && !skills++) {
			pa_buf_puts(out, "| skill listing (measured) | ");
			pa_buf_put_count(out, q->skills_frame);
			pa_buf_puts(out, " |\n");
		}
		pa_buf_puts(out, "| ");
		if (f) {
			cli_md_value(out, f->path);
		} else {
			pa_buf_puts(out, q->parts[i].kind);
		}
		pa_buf_puts(out, " | ");
		pa_buf_put_count(out, q->parts[i].tokens);
		pa_buf_puts(out, " |\n");
		pa_buf_release(&cell);
	}
	pa_buf_puts(out, "| **total** | ");
	pa_buf_put_count(out, q->total);
	pa_buf_puts(out, " |\n");
}

/* build -f anthropic, anthropic-count, openai: what is composed of the
 * CLI's first request as a body (body.h): the files it places in its
 * system prompt as system, those it places in the first user message
 * before the task, after a line of ours introducing them.  Each file is
 * as sent (cut where it cuts), under the frame it gives it where that
 * names the file, else under a heading of ours naming its path; a file
 * named only is its path.  Its own prompt and tools are not in it. */
static void put_file(pa_buf *out, const pa_harness_file *f)
{
	if (out->len)
		pa_buf_putc(out, '\n');
	if (f->listed) {
		pa_buf_puts(out, f->path);
		pa_buf_putc(out, '\n');
		return;
	}
	if (f->frame)
		pa_buf_puts(out, f->frame);
	else
		pa_buf_printf(out, "## %s\n\n", f->path);
	pa_buf_put(out, f->text, f->sent);
	if (f->sent && f->text[f->sent - 1] != '\n')
		pa_buf_putc(out, '\n');
}

static int build_body(pa_buf *out, const cli_request *q, cli_format fmt,
                      const cli_body_opts *o, const cli_pipeline *p)
{
	pa_buf sys = PA_BUF_INIT, user = PA_BUF_INIT, whole = PA_BUF_INIT,
	       intro = PA_BUF_INIT;
	cli_body body;
	size_t i;
	int code;

	body.fmt = fmt;
	body.model = cli_body_model(fmt, o, pa_harness_model(q->h, NULL),
	                            p->model != NULL, pa_harness_name(q->id));
	if (!body.model)
		return EXIT_USAGE;
	for (i = 0; i < q->n; i++) {
		const pa_harness_file *f = q->parts[i].file;

		if (f && cli_file_sent(f))
			put_file(f->system ? &sys : &user, f);
	}
	pa_buf_put(&whole, sys.ptr, sys.len);
	if (sys.len && user.len)
		pa_buf_putc(&whole, '\n');
	pa_buf_put(&whole, user.ptr, user.len);
	if (user.len) {
		/* The files after the sentence, as bytes: a "%.*s" stopped at
		 * a NUL in one and dropped the rest of the message. */
		pa_buf_printf(&intro, "The instructions of this project (the files "
		              "%s reads) follow. Follow them; your task comes after "
		              "them.\n\n", pa_harness_display_name(q->id));
		pa_buf_put(&intro, user.ptr, user.len);
	}
	body.system = &sys;
	body.user = &intro;
	body.after = NULL;
	body.whole = &whole;
	code = cli_body_write(out, &body, o);
	pa_buf_release(&sys);
	pa_buf_release(&user);
	pa_buf_release(&whole);
	pa_buf_release(&intro);
	return code;
}

/* ---- one reporter per format ----
 *
 * As cmark's renderers: each format is one row of functions, one for
 * each command, that write one CLI's request (a NULL where the command
 * does not offer the format); cli_clis_report() calls through the row of
 * the command's -f and never asks which format or which CLI it is. */

/* What a reporter writes with, besides the request. */
typedef struct clis_ctx {
	pa_buf *out;
	cli_format fmt;
	const cli_body_opts *body;  /* build's request bodies */
	const cli_pipeline *p;
} clis_ctx;

typedef int (*clis_render_fn)(const clis_ctx *c, const cli_request *q);

typedef struct clis_reporter {
	cli_format fmt;
	int many;         /* one document may hold several requests (after
	                   * an agent's or a main session's report) */
	int blank;        /* a blank line before each request appended */
	clis_render_fn build, explain, context;
} clis_reporter;

static int text_build(const clis_ctx *c, const cli_request *q)
{
	build_text(c->out, q);
	return EXIT_OK;
}

static int text_explain(const clis_ctx *c, const cli_request *q)
{
	explain_text(c->out, q);
	return EXIT_OK;
}

static int text_context(const clis_ctx *c, const cli_request *q)
{
	context_text(c->out, q);
	return EXIT_OK;
}

static int json_files(const clis_ctx *c, const cli_request *q)
{
	files_json(c->out, q);
	return EXIT_OK;
}

static int json_context(const clis_ctx *c, const cli_request *q)
{
	context_json(c->out, q, &c->p->warned);
	return EXIT_OK;
}

static int markdown_context(const clis_ctx *c, const cli_request *q)
{
	context_markdown(c->out, q);
	return EXIT_OK;
}

static int html_files(const clis_ctx *c, const cli_request *q)
{
	build_html(c->out, q);
	return EXIT_OK;
}

static int html_context(const clis_ctx *c, const cli_request *q)
{
	context_html(c->out, q);
	return EXIT_OK;
}

static int body_build(const clis_ctx *c, const cli_request *q)
{
	return build_body(c->out, q, c->fmt, c->body, c->p);
}

static const clis_reporter reporters[] = {
	{ CLI_FMT_TEXT, 1, 1, text_build, text_explain, text_context },
	{ CLI_FMT_JSON, 0, 0, json_files, json_files, json_context },
	{ CLI_FMT_MARKDOWN, 1, 0, NULL, NULL, markdown_context },
	{ CLI_FMT_HTML, 0, 0, html_files, html_files, html_context },
	{ CLI_FMT_ANTHROPIC, 0, 0, body_build, NULL, NULL },
	{ CLI_FMT_ANTHROPIC_COUNT, 0, 0, body_build, NULL, NULL },
	{ CLI_FMT_OPENAI, 0, 0, body_build, NULL, NULL },
};

/* The reporter of format fmt (a command parses -f against the formats
 * it offers, each of which has one), and its function for command what:
 * text's where the format has none for it, as a default, not a route. */
static const clis_reporter *reporter_of(cli_format fmt)
{
	size_t i;

	for (i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++)
		if (reporters[i].fmt == fmt)
			return &reporters[i];
	return &reporters[0];
}

static clis_render_fn render_of(const clis_reporter *r, cli_clis_what what)
{
	clis_render_fn fn = what == CLI_CLIS_BUILD ? r->build
	                    : what == CLI_CLIS_EXPLAIN ? r->explain : r->context;

	return fn ? fn : render_of(&reporters[0], what);
}

size_t cli_clis_others(const cli_pipeline *p)
{
	return cli_clis_count(&p->clis, PA_HARNESS_SUPPORTS_REQUEST);
}

void cli_clis_note_no_agent(const cli_pipeline *p)
{
	size_t k;

	for (k = 0; k < p->clis.n; k++)
		if (pa_harness_supports(p->clis.ids[k], PA_HARNESS_SUPPORTS_AGENTS))
			cli_notef("%s: no agent given: its main session's part, what it "
			          "loads of the project (with its own prompt and tools: "
			          "promptasm context --harness %s)",
			          pa_harness_name(p->clis.ids[k]),
			          pa_harness_name(p->clis.ids[k]));
}

int cli_clis_trim_refused(const cli_pipeline *p)
{
	pa_trim_spec spec;
	const char *what;
	size_t k;

	if (cli_clis_count(&p->clis, PA_HARNESS_SUPPORTS_TRIM))
		return 0;
	pa_trim_spec_init(&spec, PA_NO_BUDGET);
	pa_config_trim_spec(p->cfg, &spec);
	what = p->n_rules ? "--floor, --cap, --keep and --priority"
	       : p->trim.trim_body ? "--trim-body"
	       : spec.n_rules ? "the config's sections:" : NULL;
	if (!what)
		return 0;
	for (k = 0; k < p->clis.n; k++)
		if (!pa_harness_supports(p->clis.ids[k], PA_HARNESS_SUPPORTS_TRIM))
			break;
	return cli_usage_error("%s: %s does not support trimming: what it sends "
	                       "is held to the budget whole", what,
	                       pa_harness_name(p->clis.ids[k < p->clis.n ? k : 0]));
}

void cli_over_budget_error(const char *cli, const char *what, size_t tokens,
                           const pa_trim_spec *spec, size_t effective,
                           int estimate, const char *why)
{
	if (effective != spec->budget)
		cli_errorf("the first request of %s is over budget: %s %zu "
		           "tokens, %zu more than the budget of %zu allows (effective "
		           "%zu: %s%s%s%s)",
		           cli, what, tokens, tokens - effective,
		           spec->budget, effective, spec->reserve ? "the reserve" : "",
		           !estimate ? "" : spec->reserve ? " and the margin of estimates"
		                                          : "the margin of estimates",
		           why ? "; " : "", why ? why : "");
	else
		cli_errorf("the first request of %s is over budget: %s %zu "
		           "tokens, %zu more than the budget of %zu allows%s%s%s", cli,
		           what, tokens, tokens - effective, effective,
		           why ? " (" : "", why ? why : "", why ? ")" : "");
}

/* A request over its budget: the one rule of every row's budget
 * (cli_request_spec()), holding what scope says: the project's part of
 * it (budget_scope: prompt) or the whole; nothing of it is trimmed.
 * Prints the error. */
static int over_budget(cli_pipeline *p, const cli_request *q,
                       pa_budget_scope scope)
{
	pa_trim_spec spec;
	pa_buf name = PA_BUF_INIT;
	size_t effective;
	int has;
	/* budget_scope: prompt holds the project's part, as an agent's
	 * prompt; context the whole request */
	size_t tokens = scope == PA_SCOPE_CONTEXT ? q->total : q->project;
	const char *what = scope == PA_SCOPE_CONTEXT ? "it needs"
	                   : "the project's part (its files, wrapped) needs";

	pa_buf_printf(&name, "%s:.", pa_harness_name(q->id));
	has = cli_request_spec(p, q, name.ptr, &spec, &effective);
	pa_buf_release(&name);
	if (!has || tokens <= effective)
		return 0;
	cli_over_budget_error(pa_harness_name(q->id), what, tokens, &spec, effective,
	                      q->estimate, "it does not support trimming");
	return 1;
}

int cli_clis_report(cli_clis_what what, cli_format fmt,
                    const cli_body_opts *body, cli_pipeline *p,
                    const char *output, pa_buf *out)
{
	size_t k, others = cli_clis_others(p);
	int code = EXIT_OK;
	int over_any = 0, unread_any = 0;
	const clis_reporter *rep = reporter_of(fmt);
	clis_render_fn render = render_of(rep, what);
	clis_ctx ctx;

	ctx.out = out;
	ctx.fmt = fmt;
	ctx.body = body;
	ctx.p = p;

	if (others + (out->len != 0) > 1 && !rep->many)
		return cli_usage_error("-f %s writes one document: name one agent CLI "
		                       "with --harness", cli_format_name(fmt));
	if (what != CLI_CLIS_CONTEXT && (code = cli_clis_trim_refused(p)) != EXIT_OK)
		return code;
	for (k = 0; code == EXIT_OK && k < p->clis.n; k++) {
		pa_harness_id id = p->clis.ids[k];
		cli_request q;
		int over;

		if (!pa_harness_supports(id, PA_HARNESS_SUPPORTS_REQUEST))
			continue;
		code = cli_request_load(&q, id, NULL, p);
		if (code != EXIT_OK)
			break;
		cli_request_warn(p, &q);
		/* the budget holds what budget_scope says, in every command:
		 * context reports the whole request, and held it whole, so
		 * that budget: 3000 failed context and passed check */
		over = over_budget(p, &q, pa_config_budget_scope(p->cfg));
		if (over && what == CLI_CLIS_BUILD) {
			/* as an agent's prompt that does not fit: nothing is
			 * written */
			cli_request_release(&q);
			code = EXIT_OVER_BUDGET;
			goto done;
		}
		over_any |= over;
		if (out->len && out->ptr[out->len - 1] == '\n' && rep->blank)
			pa_buf_putc(out, '\n');
		code = render(&ctx, &q);
		if (what == CLI_CLIS_CONTEXT) {
			if (q.estimate)
				cli_notef("counts are estimates: %s is not %s's tokenizer",
				          q.tokenizer, pa_harness_name(id));
			for (size_t i = 0; i < q.n; i++)
				unread_any |= q.parts[i].file && q.parts[i].file->unread;
		}
		cli_request_release(&q);
		if (code != EXIT_OK)
			goto done;
	}
	if (code == EXIT_OK && over_any)
		code = EXIT_OVER_BUDGET;
	if (code == EXIT_OK || code == EXIT_OVER_BUDGET) {
		/* -o never replaces a file the run read (cli_request_load()
		 * noted each of the requests') */
		int wc = cli_pipeline_write_to(p, output, out->ptr, out->len);

		if (wc != EXIT_OK)
			code = wc;
	}
	/* As Claude Code's context (cmd_context.c): a file the CLI reads and
	 * promptasm did not (a configuration file that is a FIFO or over its
	 * limit, a walk stopped) leaves the figures short, which never
	 * passes, where context said so in a warning and exited 0. */
	if ((code == EXIT_OK || code == EXIT_OVER_BUDGET) && unread_any) {
		cli_errorf("the context is incomplete: a file or directory the "
		           "loading order names was not read (warnings above)");
		code = EXIT_USAGE;
	}
done:
	return code;
}
