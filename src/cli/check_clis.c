/* check_clis.c - check's rows of the other agent CLIs (see check.h): for
 * each directory a user may start one in, its first request (clis.h)
 * against the budget and the model's window, and what it cuts. */
#define _XOPEN_SOURCE 700
#include "check.h"
#include "html.h"
#include "request.h"

#include <stdlib.h>
#include <string.h>

const char *check_cli_name(const check_agent *a)
{
	return pa_harness_name(a->cli);
}

/* The directory as a row names it: "." for the root, else relative to
 * it, else as it is. */
static const char *shown_dir(const char *root, const char *dir)
{
	size_t rl = strlen(root);

	if (strncmp(dir, root, rl) || (dir[rl] && dir[rl] != '/'))
		return dir;
	if (!dir[rl])
		return ".";
	return dir + rl + (strcmp(root, "/") ? 1 : 0);
}

/* A file's absolute path: the library shows it relative to the root, or
 * as ~/..., or absolute. */
static char *absolute(const char *root, const char *home, const char *shown)
{
	pa_buf b = PA_BUF_INIT;

	if (shown[0] == '/')
		pa_buf_puts(&b, shown);
	else if (shown[0] == '~' && shown[1] == '/' && home)
		pa_buf_printf(&b, "%s/%s", home, shown + 2);
	else
		pa_buf_printf(&b, "%s/%s", root, shown);
	return pa_buf_detach(&b, NULL);
}

/* What the CLI does to the files it cannot send whole, one line: the
 * first cut, what it drops, what it cannot read. */
/* The first lines of f that are not sent (check_agent.cut_text). */
static char *not_sent(const pa_harness_file *f)
{
	size_t len = f->bytes - f->skipped;

	if (!f->text || f->sent < f->skipped || f->sent - f->skipped >= len)
		return NULL;
	return check_cut_lines(f->text + (f->sent - f->skipped),
	                       len - (f->sent - f->skipped));
}

char *check_cut_lines(const char *s, size_t len)
{
	pa_buf out = PA_BUF_INIT;
	size_t i, n;
	int lines;

	for (lines = 0; lines < CHECK_CUT_LINES && len; lines++) {
		const char *nl = memchr(s, '\n', len);
		size_t line = nl ? (size_t)(nl - s) : len;

		n = line;
		if (n > CHECK_CUT_WIDTH) {
			/* whole characters: back off continuation bytes */
			n = CHECK_CUT_WIDTH;
			while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
				n--;
		}
		pa_buf_put(&out, s, n);
		if (n < line)
			pa_buf_puts(&out, "...");
		pa_buf_putc(&out, '\n');
		i = nl ? line + 1 : line;
		s += i;
		len -= i;
	}
	return pa_buf_detach(&out, NULL);
}

static void cut_message(check_agent *a, const cli_request *q, const char *dir,
                        const char *home)
{
	const char *name = pa_harness_name(q->id), *root = pa_harness_root(q->h);
	size_t i, n = pa_harness_file_count(q->h), ndropped = 0;
	pa_buf msg = PA_BUF_INIT, dropped = PA_BUF_INIT;
	const pa_harness_file *cut = NULL, *unread = NULL;

	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(q->h, i);

		if (f->dropped) {
			if (ndropped++)
				pa_buf_puts(&dropped, ", ");
			Pa_quote_str(&dropped, f->path);
		} else if (f->unread && !unread) {
			unread = f;
		} else if (f->cut_line && !f->listed && !cut) {
			cut = f;
		}
	}
	if (cut) {
		const char *from;
		size_t mb = pa_harness_max_bytes(q->h, &from);

		pa_buf_printf(&msg, "%s cuts ", name);
		Pa_quote_str(&msg, cut->path);
		pa_buf_printf(&msg, " at line %ld, byte %ld (", cut->cut_line,
		              cut->cut_column);
		pa_buf_put_count(&msg, cut->sent);
		pa_buf_puts(&msg, " of ");
		pa_buf_put_count(&msg, cut->bytes);
		pa_buf_puts(&msg, " bytes sent");
		if (mb) {
			pa_buf_printf(&msg, "; %s ", pa_harness_cap_name(q->id));
			pa_buf_put_count(&msg, mb);
			pa_buf_printf(&msg, ", %s", from ? from : "?");
		}
		pa_buf_puts(&msg, ")");
		a->cut_path = absolute(root, home, cut->path);
		a->cut_line = cut->cut_line;
		a->cut_column = cut->cut_column;
		a->cut_text = not_sent(cut);
	}
	if (ndropped) {
		pa_buf_printf(&msg, "%s%s drops %s", msg.len ? "; " : "",
		              msg.len ? "it" : name, dropped.ptr);
		if (!a->cut_path)
			a->cut_path = absolute(root, home, pa_harness_file_at(q->h, 0)->path);
	}
	if (unread) {
		pa_buf_printf(&msg, "%s%s cannot read ", msg.len ? "; " : "",
		              msg.len ? "it" : name);
		Pa_quote_str(&msg, unread->path);
		pa_buf_printf(&msg, ": %s", unread->reason ? unread->reason : "?");
	}
	pa_buf_puts(&msg, " when started in ");
	if (strcmp(dir, "."))
		Pa_quote_str(&msg, dir);
	else
		pa_buf_puts(&msg, "the root");
	a->cut = pa_buf_detach(&msg, NULL);
	pa_buf_release(&dropped);
}

/* The files sent, as the row's sections: what a baseline compares. */
static void sections(check_agent *a, const cli_request *q, const char *home)
{
	size_t i;

	for (i = 0; i < q->n; i++) {
		const cli_part *x = &q->parts[i];
		check_section *s;

		if (!x->file || !cli_file_sent(x->file))
			continue;
		a->sections = Pa_xgrow(a->sections, a->nsections, sizeof(*a->sections));
		s = &a->sections[a->nsections++];
		memset(s, 0, sizeof(*s));
		s->kind = "file";
		s->path = Pa_xstrdup(x->file->path);
		s->file = absolute(pa_harness_root(q->h), home, x->file->path);
		s->line = 1;
		s->tokens = x->tokens;
	}
}

static void add_row(check_report *r, cli_pipeline *p, const cli_request *q,
                    const char *dir, int want_sections, struct html_check *html)
{
	check_agent *a;
	pa_buf name = PA_BUF_INIT;
	const char *model = pa_harness_model(q->h, NULL);
	pa_trim_spec spec;

	r->agents = Pa_xgrow(r->agents, r->nagents, sizeof(*r->agents));
	a = &r->agents[r->nagents++];
	memset(a, 0, sizeof(*a));
	a->cli = q->id;
	a->request = 1;
	pa_buf_printf(&name, "%s:%s", pa_harness_name(q->id), dir);
	a->name = pa_buf_detach(&name, NULL);
	a->path = Pa_xstrdup(dir);
	a->tokenizer = q->tokenizer; /* the pipeline keeps its tokenizer */
	a->model = model ? Pa_xstrdup(model) : NULL;
	/* The CLI's own text is measured; the files are counted: exact with
	 * the tokenizer of its models, else an estimate. */
	a->exact = !q->estimate;
	a->band_low = a->band_high = 1;
	/* the scope means the same for every row: the project's part of
	 * the request (an agent's prompt), or the whole of it */
	a->prompt_tokens = q->project;
	a->whole = q->total;
	a->tokens = r->scope == PA_SCOPE_CONTEXT ? q->total : q->project;
	a->window = q->fig->window;
	a->over_window = a->window && q->total > a->window;
	/* the one rule of an agent's budget: the same margin for counts
	 * that are estimates, the same reserve */
	a->has_budget = cli_request_spec(p, q, a->name, &spec, &a->effective);
	if (a->has_budget) {
		a->budget = spec.budget;
		a->reserve = spec.reserve;
		a->margin = a->exact ? 0 : spec.margin;
		a->over = a->tokens > a->effective;
	}
	if (q->cut)
		cut_message(a, q, dir, p->opt.home);
	if (want_sections)
		sections(a, q, p->opt.home);
	a->attributed = 0;
	if (!a->exact)
		r->estimates = 1;
	if (html)
		html_check_add_cli(html, a->name, a->path, a->cut, a->cut_text,
		                   a->cut_line, a->cut_column, r->scope, a->tokens,
		                   a->whole, a->has_budget ? a->budget : PA_NO_BUDGET,
		                   a->has_budget ? a->effective : PA_NO_BUDGET, a->window);
}

/* A walk that stopped early checked only part of the project: that
 * fails the check, as a file that was not read. */
static void incomplete(check_report *r, const char *root, const char *name, int why)
{
	check_skipped *s;
	pa_buf b = PA_BUF_INIT;

	if (why == PA_WALK_IGNORE_TOO_LARGE)
		pa_buf_printf(&b, "%s: the walk of the project met an ignore file "
		              "(.gitignore, .git/info/exclude) over the limit of 4 MiB "
		              "(PA_INSTRUCTIONS_MAX_BYTES): what git leaves out is not "
		              "known, so the directories to check are not", name);
	else if (why == PA_WALK_TOO_DEEP)
		pa_buf_printf(&b, "%s: the walk of the project met a directory more "
		              "than %d levels below its root (PA_WALK_MAX_DEPTH): "
		              "directories below were not checked (check from a "
		              "directory below it)", name, PA_WALK_MAX_DEPTH);
	else
		pa_buf_printf(&b, "%s: the walk of the project stopped after %zu entries: "
		              "directories below were not checked (raise the limit with "
		              "--max-entries N or max_entries: N in .promptasm.yaml)",
		              name, pa_walk_limit());
	r->skipped = Pa_xgrow(r->skipped, r->nskipped, sizeof(*r->skipped));
	s = &r->skipped[r->nskipped++];
	memset(s, 0, sizeof(*s));
	s->path = Pa_xstrdup(root);
	s->reason = pa_buf_detach(&b, NULL);
	s->incomplete = 1;
	s->always = 1;
	cli_errorf("cannot check %s: %s", root, s->reason);
}

/* A start directory where the CLI refuses to start, as a file that does
 * not load. */
static void refused(check_report *r, const pa_error *err, const char *name,
                    const char *dir)
{
	check_skipped *s;
	pa_buf b = PA_BUF_INIT;

	pa_buf_printf(&b, "%s does not start in ", name);
	if (strcmp(dir, "."))
		Pa_quote_str(&b, dir);
	else
		pa_buf_puts(&b, "the root");
	pa_buf_printf(&b, ": %s", err->message);
	r->skipped = Pa_xgrow(r->skipped, r->nskipped, sizeof(*r->skipped));
	s = &r->skipped[r->nskipped++];
	memset(s, 0, sizeof(*s));
	s->path = Pa_xstrdup(err->file[0] ? err->file : dir);
	s->line = err->line;
	s->column = err->column;
	s->reason = pa_buf_detach(&b, NULL);
	cli_errorf("%s: %s", s->path, s->reason);
}

int check_cli_rows(check_report *r, cli_pipeline *p, pa_harness_id id,
                   int want_sections, struct html_check *html)
{
	cli_request first;
	pa_harness_options o;
	pa_error err;
	char **dirs = NULL, *cwd, *root;
	size_t n = 0, i;
	int code, walk_stopped = 0;

	code = cli_request_load(&first, id, NULL, p);
	if (code != EXIT_OK) {
		return code;
	}
	root = Pa_xstrdup(pa_harness_root(first.h));
	cli_request_release(&first);
	cli_request_options(p, id, &o); /* its root markers may be in its profile */
	memset(&err, 0, sizeof(err));
	if (pa_harness_start_dirs(id, &o, &dirs, &n, &walk_stopped, &err) != PA_OK) {
		cli_print_error(&err);
		free(root);
		return cli_exit_code(err.status);
	}
	/* the working directory too, when it holds no file */
	cwd = realpath(p->opt.cwd ? p->opt.cwd : ".", NULL);
	if (cwd) {
		int have = 0;

		for (i = 0; i < n; i++)
			have |= !strcmp(dirs[i], cwd);
		if (!have) {
			dirs = Pa_xrealloc(dirs, (n + 1) * sizeof(char *));
			dirs[n++] = cwd;
		} else {
			free(cwd);
		}
	}
	if (walk_stopped)
		incomplete(r, root, pa_harness_name(id), walk_stopped);
	for (i = 0; i < n && code == EXIT_OK; i++) {
		cli_request q;
		pa_error why;

		/* A directory whose configuration the CLI refuses (a settings
		 * file that does not parse) is one more file that does not
		 * load: the report goes on, and the check fails (exit 2). */
		memset(&why, 0, sizeof(why));
		code = cli_request_try(&q, id, dirs[i], p, &why);
		if (code != EXIT_OK && !why.message[0])
			break; /* its tokenizer: printed */
		if (code != EXIT_OK) {
			code = EXIT_OK;
			refused(r, &why, pa_harness_name(id), shown_dir(root, dirs[i]));
			continue;
		}
		cli_request_warn(p, &q);
		add_row(r, p, &q, shown_dir(root, dirs[i]), want_sections, html);
		cli_request_release(&q);
	}
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	free(root);
	return code;
}
