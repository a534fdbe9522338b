/* request.c - one agent CLI's first request, counted part by part (see
 * request.h). */
#define _POSIX_C_SOURCE 200809L
#include "request.h"

#include <stdlib.h>
#include <string.h>

const char *cli_file_state(const pa_harness_file *f)
{
	if (f->unread)
		return "unread";
	if (f->skill)
		return "skill";
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

int cli_file_sent(const pa_harness_file *f)
{
	return !f->unread && !f->dropped && !f->empty;
}

const pa_tokenizer *cli_request_tokenizer(cli_pipeline *p, pa_harness_id id,
                                          const char *cli_model, int *code)
{
	pa_tokenizer_pick pick;
	pa_tokenizer *tok = NULL;
	pa_error err;
	pa_status st;
	size_t i;

	pa_harness_tokenizer_choose(id, p->tok_name, p->model, p->cfg, cli_model,
	                            &pick);
	for (i = 0; pick.name && i < p->n_request_toks; i++)
		if (!strcmp(pa_tokenizer_name(p->request_toks[i]), pick.name))
			return p->request_toks[i];
	memset(&err, 0, sizeof(err));
	st = pa_tokenizer_load_pick(&pick, NULL, &tok, &err);
	if (st != PA_OK) {
		cli_suggest_tokenizer(&err, pick.name);
		cli_print_error(&err);
		*code = st == PA_ERR_NOT_FOUND && !pick.is_default ? EXIT_USAGE
		                                                   : EXIT_FAILURE_IO;
		return NULL;
	}
	/* one of a name: a model's pick may name one loaded already */
	for (i = 0; i < p->n_request_toks; i++)
		if (!strcmp(pa_tokenizer_name(p->request_toks[i]), pa_tokenizer_name(tok))) {
			pa_tokenizer_free(tok);
			return p->request_toks[i];
		}
	p->request_toks = Pa_xgrow(p->request_toks, p->n_request_toks,
	                           sizeof(*p->request_toks));
	p->request_toks[p->n_request_toks++] = tok;
	return tok;
}

int cli_request_spec(const cli_pipeline *p, const cli_request *r,
                     const char *name, pa_trim_spec *spec, size_t *effective)
{
	if (!pa_session_spec(p->session, name, r->estimate, spec))
		return 0;
	*effective = pa_trim_effective_budget_of(spec, r->estimate);
	return 1;
}

/* The tokens of a file's text as sent.  Text that is not UTF-8 is
 * counted as the CLI sends it, each bad byte sequence a U+FFFD: never as
 * nothing, which would let a budget pass it. */
static size_t count_text(const pa_tokenizer *tok, const char *s, size_t len)
{
	size_t n = 0;
	pa_error err;

	if (!len)
		return 0;
	memset(&err, 0, sizeof(err));
	if (pa_utf8_valid(s, len, NULL)) {
		if (pa_tokenizer_count(tok, s, len, &n, &err) == PA_OK)
			return n;
		return len; /* cannot happen for valid text; never less */
	}
	{
		pa_buf b = PA_BUF_INIT;

		pa_utf8_lossy(s, len, &b);
		if (pa_tokenizer_count(tok, b.ptr, b.len, &n, &err) != PA_OK)
			n = len;
		pa_buf_release(&b);
	}
	return n;
}

static void push(cli_request *r, const char *kind, const pa_harness_file *f,
                 size_t tokens, int measured)
{
	cli_part *x;

	r->parts = Pa_xgrow(r->parts, r->n, sizeof(*r->parts));
	x = &r->parts[r->n++];
	x->kind = kind;
	x->file = f;
	x->tokens = tokens;
	x->measured = measured;
}

int cli_request_load(cli_request *r, pa_harness_id id, const char *cwd,
                     cli_pipeline *p)
{
	pa_error err;
	int code = cli_request_try(r, id, cwd, p, &err);

	if (code != EXIT_OK && err.message[0])
		cli_print_error(&err);
	return code;
}

void cli_request_options(const cli_pipeline *p, pa_harness_id id,
                         pa_harness_options *o)
{
	pa_harness_options_init(o);
	o->cwd = p->opt.cwd;
	o->home = p->opt.home;
	o->env = p->opt.env;
	o->cache = p->harness_cache;
	o->version = p->clis.version[id];
	o->profile = p->clis.profile[id];
	o->no_user = p->opt.no_user;           /* --no-user, load: {user: false} */
	o->no_ancestors = p->opt.no_ancestors; /* --no-ancestors, load: {ancestors: false} */
	o->trust = p->opt.trust;               /* --trust, the user's trust: true */
	o->approve_links = p->opt.approve_imports; /* --approve-imports, the user's */
}

int cli_request_try(cli_request *r, pa_harness_id id, const char *cwd,
                    cli_pipeline *p, pa_error *errp)
{
	pa_harness_options o;
	pa_warnings w = { NULL, 0 };
	pa_error err;
	const pa_tokenizer *tok;
	size_t i, n, frames = 0, *piece_tokens;
	int code = EXIT_OK;

	memset(r, 0, sizeof(*r));
	memset(errp, 0, sizeof(*errp));
	r->id = id;
	cli_request_options(p, id, &o);
	if (cwd)
		o.cwd = cwd;
	o.model = p->model;
	o.max_bytes = pa_harness_cap_name(id) ? p->clis.max_bytes : -1;
	memset(&err, 0, sizeof(err));
	if (pa_harness_load(id, &o, &r->h, &w, &err) != PA_OK) {
		cli_pipeline_warn(p, &w);
		pa_warnings_release(&w);
		*errp = err;
		return cli_exit_code(err.status);
	}
	cli_pipeline_warn(p, &w);
	pa_warnings_release(&w);
	/* -o never replaces a file the request was made of: every file the
	 * load read, as the library lists them */
	for (i = 0; i < pa_harness_input_count(r->h); i++)
		cli_pipeline_input(p, pa_harness_input_at(r->h, i));
	/* counted with the tokenizer of the model it runs (its own text
	 * measured in it where it was: pa_harness_figures_in()) */
	tok = cli_request_tokenizer(p, id, pa_harness_model(r->h, NULL), &code);
	if (!tok) {
		cli_request_release(r);
		return code;
	}
	r->tokenizer = pa_tokenizer_name(tok);
	/* exact only with the tokenizer of the CLI's models */
	r->estimate = !pa_harness_tokenizer(id) ||
	              strcmp(r->tokenizer, pa_harness_tokenizer(id)) != 0;
	r->fig = pa_harness_figures_in(r->h, r->tokenizer);
	/* text its configuration adds (Codex's developer_instructions) is
	 * counted with its own text */
	{
		size_t len;
		const char *t = pa_harness_config_text(r->h, NULL, &len);

		r->config_tokens = t ? count_text(tok, t, len) : 0;
	}
	push(r, "system prompt", NULL, r->fig->own_tokens + r->config_tokens, 1);
	push(r, "tools", NULL, r->fig->tools_tokens, 1);
	push(r, "wrapping", NULL, 0, 1);
	n = pa_harness_file_count(r->h);
	/* each file's text counted as the model reads it: in its pieces,
	 * an importing file apart from the files in its place */
	piece_tokens = Pa_xcalloc(n ? n : 1, sizeof(size_t));
	for (i = 0; i < pa_harness_piece_count(r->h); i++) {
		const pa_harness_piece *pc = pa_harness_piece_at(r->h, i);

		piece_tokens[pc->file] += count_text(tok, pc->text, pc->len);
	}
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(r->h, i);
		size_t t = 0;

		if (cli_file_sent(f) && f->skill) {
			/* a skill listed: its entry, in the listing's part */
			t = count_text(tok, f->text, f->sent);
			r->skills_tokens += t;
			r->nskills++;
		} else if (cli_file_sent(f)) {
			t = f->listed ? count_text(tok, f->path, strlen(f->path))
			              : piece_tokens[i];
			r->files_tokens += t;
			r->nsent++;
			/* a frame that names the file is counted; else the
			 * measured wrapping of a file */
			frames += f->frame ? count_text(tok, f->frame, strlen(f->frame))
			                   : r->fig->per_file_tokens;
		}
		if (f->unread || f->dropped || f->cut_line)
			r->cut = 1;
		push(r, "file", f, t, 0);
	}
	free(piece_tokens);
	/* The text the CLI wraps the files in: once, and per file. */
	r->parts[2].tokens = r->nsent ? r->fig->wrap_tokens + frames : 0;
	/* The words around the skills it lists: once, when it lists any. */
	r->skills_frame = r->nskills ? r->fig->skills_frame_tokens : 0;
	r->project = r->parts[2].tokens + r->files_tokens + r->skills_frame +
	             r->skills_tokens;
	r->total = r->parts[0].tokens + r->parts[1].tokens + r->project;
	return EXIT_OK;
}

void cli_request_release(cli_request *r)
{
	pa_harness_free(r->h);
	free(r->parts);
	memset(r, 0, sizeof(*r));
}

static void add_warning(pa_warnings *w, pa_buf *msg)
{
	w->items = Pa_xgrow(w->items, w->n, sizeof(*w->items));
	memset(&w->items[w->n], 0, sizeof(w->items[w->n]));
	w->items[w->n++].message = pa_buf_detach(msg, NULL);
}

void cli_request_warn(cli_pipeline *p, const cli_request *r)
{
	pa_warnings w = { NULL, 0 };
	const char *name = pa_harness_name(r->id);
	const char *hint = pa_harness_unread_hint(r->id);
	size_t i, n = pa_harness_file_count(r->h);

	for (i = 0; i < pa_harness_unread_count(r->h); i++) {
		pa_buf b = PA_BUF_INIT;

		pa_buf_printf(&b, "%s never reads ", name);
		Pa_quote_str(&b, pa_harness_unread_at(r->h, i));
		if (hint)
			pa_buf_printf(&b, " (%s)", hint);
		add_warning(&w, &b);
	}
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(r->h, i);
		pa_buf b = PA_BUF_INIT;

		if (!f->duplicate)
			continue;
		pa_buf_printf(&b, "%s sends the same text twice: ", name);
		Pa_quote_str(&b, f->path);
		pa_buf_puts(&b, " repeats ");
		Pa_quote_str(&b, f->duplicate_of);
		add_warning(&w, &b);
	}
	cli_pipeline_warn(p, &w);
	pa_warnings_release(&w);
}
