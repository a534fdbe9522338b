/*
 * harness.c - pa_harness_*: the agent CLIs through their table
 * (src/discover/backend.h, Pa_cli_backends[]): a CLI's row names it, its
 * discovery reads what it reads, its composition says what of each file
 * it sends; here, what every CLI shares around them (files of white space
 * only, a text sent twice, where a cut falls) and the figures measured on
 * the versions of harness_figures.inc (tests/oracle-harness/, replayed by
 * tests/suites/run-harness.sh).  Nothing here switches on the CLI.
 */
#define _POSIX_C_SOURCE 200809L
#include "discover/discover.h"
#include "prompt.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The figures measured per CLI (tests/oracle-harness/gen-figures.mjs). */
typedef struct hx_measured {
	int id;
	const char *version;
	pa_harness_figures fig;
} hx_measured;

/* The token figures of a row of hx_measured_figures (its id, version
 * and model) measured with another tokenizer as well: the tokenizer of
 * the CLI's models where promptasm has it and it is not o200k_base
 * (Qwen Code's qwen3).  Only the counts, each in the order of
 * pa_harness_figures: the row's model, window and reserve are the
 * row's, whatever the tokens are counted with. */
typedef struct hx_counted {
	int id;
	const char *version;
	const char *model;
	const char *tokenizer;
	size_t own_tokens, own_tokens_outside_repo, tools_tokens, wrap_tokens,
	       per_file_tokens, own_tokens_replaced, skills_frame_tokens,
	       own_part_tokens;
} hx_counted;

/* The own text of a row of hx_measured_figures (its id, version and
 * model) when a variable chooses a variant of it (hx_found.variant:
 * Qwen's QWEN_CODE_TOOL_CALL_STYLE), counted with tokenizer: the
 * tokens it sends more (or fewer, below zero) than the row's own text,
 * in a repository or not alike.  A variant with no row here sends the
 * row's own text (its model's own). */
typedef struct hx_variant {
	int id;
	const char *version;
	const char *model;
	const char *tokenizer;
	const char *variant;
	long own_delta;
} hx_variant;

#include "harness_figures.inc"

struct pa_harness {
	hx_found f;
	pa_harness_file *files;
	pa_harness_piece *pieces; /* the text in the model's order */
	size_t npieces;
	int id;
	const pa_harness_figures *row; /* the figures' row (static), or NULL */
	pa_harness_figures fig;
	pa_harness_figures fig_in; /* pa_harness_figures_in()'s */
	const char *version; /* the figures' (static) */
};

#define N_MEASURED (sizeof(hx_measured_figures) / sizeof(hx_measured_figures[0]))
#define N_COUNTED (sizeof(hx_counted_figures) / sizeof(hx_counted_figures[0]))
#define N_VARIANT (sizeof(hx_variant_figures) / sizeof(hx_variant_figures[0]))

const char *pa_harness_name(pa_harness_id id)
{
	const Pa_cli_backend *b = Pa_cli_backend_of(id);

	return b ? b->name : "?";
}

int pa_harness_parse(const char *name, pa_harness_id *out)
{
	size_t i;

	for (i = 0; name && i < PA_HARNESS_COUNT; i++)
		if (!strcmp(name, Pa_cli_backends[i]->name)) {
			*out = Pa_cli_backends[i]->id;
			return 1;
		}
	return 0;
}

const char *pa_harness_version(pa_harness_id id)
{
	const Pa_cli_backend *b = Pa_cli_backend_of(id);
	size_t i;

	if (!b)
		return "?";
	if (b->version)
		return b->version;
	for (i = 0; i < N_MEASURED; i++)
		if (hx_measured_figures[i].id == (int)id)
			return hx_measured_figures[i].version;
	/* a CLI whose session the rest of the library composes: the
	 * figures of whole_context.inc */
	if (b->supports & PA_HARNESS_SUPPORTS_MAIN_SESSION)
		return pa_claude_code_version();
	return "?";
}

/* The i-th version of id measured: harness_figures.inc lists a CLI's
 * rows newest version first, each version's rows together. */
const char *pa_harness_version_at(pa_harness_id id, size_t i)
{
	const Pa_cli_backend *b = Pa_cli_backend_of(id);
	const char *last = NULL;
	size_t k, n = 0;

	if (!b)
		return NULL;
	if (b->version || (b->supports & PA_HARNESS_SUPPORTS_MAIN_SESSION))
		return i == 0 ? pa_harness_version(id) : NULL;
	for (k = 0; k < N_MEASURED; k++) {
		if (hx_measured_figures[k].id != (int)id)
			continue;
		if (last && !strcmp(last, hx_measured_figures[k].version))
			continue;
		last = hx_measured_figures[k].version;
		if (n++ == i)
			return last;
	}
	return NULL;
}

size_t pa_harness_version_count(pa_harness_id id)
{
	size_t n = 0;

	while (pa_harness_version_at(id, n))
		n++;
	return n;
}

const char *pa_harness_display_name(pa_harness_id id)
{
	const Pa_cli_backend *b = Pa_cli_backend_of(id);

	return b ? b->display : "?";
}

const char *pa_harness_unread_hint(pa_harness_id id)
{
	const Pa_cli_backend *b = Pa_cli_backend_of(id);

	return b ? b->unread_hint : NULL;
}

const char *pa_harness_cap_name(pa_harness_id id)
{
	const Pa_cli_backend *b = Pa_cli_backend_of(id);

	return b ? b->byte_cap : NULL;
}

const char *pa_harness_tokenizer(pa_harness_id id)
{
	const Pa_cli_backend *b = Pa_cli_backend_of(id);

	return b ? b->tokenizer : NULL;
}

int pa_harness_estimate(pa_harness_id id)
{
	return pa_harness_tokenizer(id) == NULL;
}

int pa_harness_supports(pa_harness_id id, unsigned cap)
{
	return Pa_cli_supports(id, cap);
}

void pa_harness_options_init(pa_harness_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->max_bytes = -1;
}

/* ---- around each CLI's composition ---- */

/* A file of white space only (a byte order mark counts as such) is
 * skipped by every CLI; the recordings cannot see it, having no marker,
 * and it sends nothing that counts. */
static void mark_empty(hx_found *f)
{
	size_t i, k;

	for (i = 0; i < f->n; i++) {
		hx_file *x = &f->files[i];
		const char *s = x->text.ptr;
		size_t n = x->text.len;

		if (!x->read)
			continue;
		if (n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
			s += 3, n -= 3;
		for (k = 0; k < n; k++)
			if (s[k] != ' ' && s[k] != '\t' && s[k] != '\n' && s[k] != '\r')
				break;
		x->empty = k == n;
	}
}

/* Equal text, a CR LF equal to an LF. */
static int same_text(const char *a, size_t al, const char *b, size_t bl)
{
	size_t i = 0, j = 0;

	while (i < al && j < bl) {
		if (a[i] == '\r' && i + 1 < al && a[i + 1] == '\n')
			i++;
		if (b[j] == '\r' && j + 1 < bl && b[j + 1] == '\n')
			j++;
		if (a[i] != b[j])
			return 0;
		i++;
		j++;
	}
	return i == al && j == bl;
}

/* A file's text as every CLI compares it (CR LF as LF), hashed: FNV-1a,
 * with the length it has so read. */
static void text_key(const char *s, size_t len, char key[40])
{
	uint64_t h = 1469598103934665603ull;
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
		n++;
	}
	snprintf(key, 40, "%zx:%016llx", n, (unsigned long long)h);
}

/* The text x sends: the bytes from skip on, or those without its
 * @imports (Pa_hx_sent_text()). */
static const char *sent_text(const hx_file *x)
{
	/* a skill listed: its entry, built by its CLI's discovery */
	if (x->skill)
		return x->as_sent.ptr;
	return x->nspans && x->as_sent.len ? x->as_sent.ptr : x->text.ptr + x->skip;
}

/* Marks each file whose text an earlier one has: by a hash of each text,
 * so that 10,000 files take 10,000 steps, not 50 million comparisons;
 * equal hashes are compared byte by byte before a file is marked. */
static void mark_duplicates(hx_found *f)
{
	Pa_strset seen = PA_STRSET_INIT;
	size_t i, j;

	for (i = 0; i < f->n; i++) {
		const char *a = sent_text(&f->files[i]);
		size_t al = f->files[i].sent, *first;
		char key[40];

		Pa_text_trim(&a, &al);
		if (!al)
			continue;
		text_key(a, al, key);
		first = Pa_strset_value(&seen, key, strlen(key));
		if (!*first) {
			*first = i + 1;
			continue;
		}
		j = *first - 1;
		{
			const char *b = sent_text(&f->files[j]);
			size_t bl = f->files[j].sent;

			Pa_text_trim(&b, &bl);
			if (same_text(a, al, b, bl))
				f->files[i].duplicate = (int)j + 1;
		}
	}
	Pa_strset_release(&seen);
}

/* A model named as opencode and pi name it, provider/model
 * (openai/gpt-5.5), is the model after the provider: that is the id
 * the request carries and the one the figures were measured under. */
static const char *bare_model(const char *model)
{
	const char *slash = strrchr(model, '/');

	return slash && slash[1] ? slash + 1 : model;
}

/* The figures of id's version measured with model, else those of the
 * model that version runs on by default (its first row); *exact tells
 * which. */
static const pa_harness_figures *figures_of(int id, const char *version,
                                            const char *model, int *exact)
{
	size_t i;
	const pa_harness_figures *first = NULL;

	*exact = 0;
	for (i = 0; i < N_MEASURED; i++) {
		if (hx_measured_figures[i].id != id ||
		    strcmp(hx_measured_figures[i].version, version))
			continue;
		if (!first)
			first = &hx_measured_figures[i].fig;
		if (model && (!strcmp(model, hx_measured_figures[i].fig.model) ||
		              !strcmp(bare_model(model), hx_measured_figures[i].fig.model))) {
			*exact = 1;
			return &hx_measured_figures[i].fig;
		}
	}
	return first;
}

/* Where the cut of x falls: the 1-based line and byte in that line of
 * the first byte not sent. */
static void cut_at(const hx_file *x, long *line, long *column)
{
	size_t k;

	*line = 1;
	*column = 1;
	for (k = 0; k < x->skip + x->sent; k++) {
		if (x->text.ptr[k] == '\n') {
			(*line)++;
			*column = 1;
		} else {
			(*column)++;
		}
	}
}

/* ---- the text in the order the model reads it ---- */

/* y sends bytes of its text (as the CLI layer's cli_file_sent(), and not
 * only named). */
static int cli_sends(const pa_harness_file *y)
{
	return !y->unread && !y->dropped && !y->empty && !y->listed;
}

/* Where a file's pieces are being cut: its text as sent, how far into it,
 * and the line of the file there. */
typedef struct piece_walk {
	pa_harness *h;
	unsigned char *placed; /* 1: sent in place of a span of another */
} piece_walk;

static void add_piece(pa_harness *h, size_t file, const char *text, size_t len,
                      int first, long line)
{
	pa_harness_piece *p;

	h->pieces = Pa_xgrow(h->pieces, h->npieces, sizeof(*h->pieces));
	p = &h->pieces[h->npieces++];
	p->file = file;
	p->text = text;
	p->len = len;
	p->first = first;
	p->line = line;
}

/* The lines of x's text from byte `from` to byte `to`. */
static long lines_between(const hx_file *x, size_t from, size_t to)
{
	long n = 0;

	for (; from < to && from < x->text.len; from++)
		n += x->text.ptr[from] == '\n';
	return n;
}

/* File i's pieces, each file sent in place of one of its spans between
 * them.  A span names only a file added after its own (the import
 * engines add a file's imports after it, at most a few levels deep), so
 * that this ends. */
static void pieces_of(piece_walk *w, size_t i)
{
	pa_harness *h = w->h;
	const hx_file *x = &h->f.files[i];
	const pa_harness_file *y = &h->files[i];
	size_t sent = cli_sends(y) ? y->sent : 0, done = 0, orig = x->skip, k;
	long line = 1 + lines_between(x, 0, x->skip);
	int first = 1;

	for (k = 0; k < x->nspans; k++) {
		const struct hx_span *s = &x->spans[k];
		size_t upto = s->sent_at < sent ? s->sent_at : sent;

		if (!s->file || s->file - 1 <= i || s->file - 1 >= h->f.n)
			continue;
		if (upto > done || first)
			add_piece(h, i, y->text + done, upto > done ? upto - done : 0, first,
			          line);
		first = 0;
		line += lines_between(x, orig, s->at + s->len);
		orig = s->at + s->len;
		done = upto > done ? upto : done;
		pieces_of(w, s->file - 1);
	}
	if (sent > done || first)
		add_piece(h, i, y->text + done, sent - done, first, line);
}

static void make_pieces(pa_harness *h)
{
	piece_walk w;
	size_t i, k;

	w.h = h;
	w.placed = Pa_xcalloc(h->f.n ? h->f.n : 1, 1);
	for (i = 0; i < h->f.n; i++)
		for (k = 0; k < h->f.files[i].nspans; k++) {
			size_t j = h->f.files[i].spans[k].file;

			if (j && j - 1 > i && j - 1 < h->f.n)
				w.placed[j - 1] = 1;
		}
	for (i = 0; i < h->f.n; i++)
		if (!w.placed[i])
			pieces_of(&w, i);
	pa_free(w.placed);
}

/* n + d, at least 0. */
static size_t plus(size_t n, long d)
{
	if (d < 0 && (size_t)-d > n)
		return 0;
	return d < 0 ? n - (size_t)-d : n + (size_t)d;
}

/* The own text of fig (counted with tokenizer) that this start sends:
 * the variant a variable chooses, started outside a repository, or
 * with the project's own prompt in its place (pi's SYSTEM.md, counted
 * as the file it is). */
static void own_text(const pa_harness *h, pa_harness_figures *fig,
                     const char *tokenizer)
{
	size_t i;

	/* a variant of it a variable chooses (Qwen's tool call style) */
	for (i = 0; h->f.variant && h->row && i < N_VARIANT; i++) {
		const hx_variant *v = &hx_variant_figures[i];

		if (v->id != h->id || strcmp(v->version, h->version) ||
		    strcmp(v->model, h->row->model) ||
		    strcmp(v->tokenizer, tokenizer) || strcmp(v->variant, h->f.variant))
			continue;
		fig->own_tokens = plus(fig->own_tokens, v->own_delta);
		fig->own_tokens_outside_repo = plus(fig->own_tokens_outside_repo,
		                                    v->own_delta);
		break;
	}
	if (!h->f.in_repo)
		fig->own_tokens = fig->own_tokens_outside_repo;
	/* the project's own prompt in its place (pi's SYSTEM.md),
	 * counted as the file it is */
	if (h->f.own_replaced)
		fig->own_tokens = fig->own_tokens_replaced;
	/* a part of it replaced: by a file in place of its first
	 * sentences (Qwen's QWEN_SYSTEM_IDENTITY_MD), counted as the
	 * file it is, or by text counted as its configuration's
	 * (pi's paths under PI_PACKAGE_DIR) */
	else if (h->f.own_part &&
	         !(h->f.identity && h->f.files[h->f.identity - 1].empty))
		fig->own_tokens -= fig->own_tokens > fig->own_part_tokens
		                   ? fig->own_part_tokens : fig->own_tokens;
}

pa_status pa_harness_load(pa_harness_id id, const pa_harness_options *opt,
                          pa_harness **out, pa_warnings *warn, pa_error *err)
{
	const Pa_cli_backend *b = Pa_cli_backend_of(id);
	pa_harness_options defaults;
	pa_harness *h;
	pa_status st;
	const pa_harness_figures *fig;
	size_t i;
	int exact;

	*out = NULL;
	if (!b || !b->discover || !b->compose)
		return Pa_error_set(err, PA_ERR_INVALID, NULL, 0, 0,
		                    "no such harness here: %s", pa_harness_name(id));
	if (!opt) {
		pa_harness_options_init(&defaults);
		opt = &defaults;
	}
	h = Pa_xcalloc(1, sizeof(*h));
	st = Pa_hx_found_init(&h->f, b, opt, err);
	h->f.warn = warn;
	if (st == PA_OK)
		st = b->discover(&h->f, opt, warn, err);
	if (st != PA_OK) {
		pa_harness_free(h);
		return st;
	}
	mark_empty(&h->f);
	b->compose(&h->f);
	Pa_hx_sent_text(&h->f);
	mark_duplicates(&h->f);
	/* the version the user runs, when measured; else the newest */
	h->version = pa_harness_version(id);
	for (i = 0; opt->version && pa_harness_version_at(id, i); i++)
		if (!strcmp(opt->version, pa_harness_version_at(id, i)))
			h->version = pa_harness_version_at(id, i);
	if (opt->version && strcmp(opt->version, h->version)) {
		pa_buf m = PA_BUF_INIT;

		for (i = 0; pa_harness_version_at(id, i); i++)
			pa_buf_printf(&m, "%s%s", i ? ", " : "", pa_harness_version_at(id, i));
		Pa_warn_at(warn, NULL, 0, "%s %s was not measured (measured: %s): its "
		           "figures are those of %s", b->name, opt->version, m.ptr,
		           h->version);
		pa_buf_release(&m);
	}
	fig = figures_of(id, h->version, h->f.model, &exact);
	h->id = (int)id;
	h->row = fig;
	if (fig) {
		h->fig = *fig;
		own_text(h, &h->fig, "o200k_base");
	}
	if (!h->f.model && fig) {
		h->f.model = Pa_xstrdup(fig->model);
		h->f.model_from = "the CLI's default";
	} else if (fig && !exact) {
		Pa_warn_at(warn, NULL, 0, "%s %s was not measured with model %s: its "
		           "own prompt and tools are those measured with %s",
		           b->name, h->version, h->f.model, fig->model);
	}
	h->files = Pa_xcalloc(h->f.n ? h->f.n : 1, sizeof(pa_harness_file));
	for (i = 0; i < h->f.n; i++) {
		hx_file *x = &h->f.files[i];
		pa_harness_file *y = &h->files[i];

		y->path = x->shown;
		y->text = sent_text(x);
		y->bytes = x->text.len;
		y->skipped = x->skip;
		y->sent = x->sent;
		y->dropped = x->dropped;
		y->empty = x->empty;
		y->listed = x->listed;
		y->unread = !x->read;
		y->reason = x->reason;
		y->global = x->global;
		y->duplicate = x->duplicate != 0;
		y->duplicate_of = x->duplicate ? h->f.files[x->duplicate - 1].shown : NULL;
		y->apply_to = x->apply_to;
		y->depth = x->depth;
		y->parent = x->parent;
		y->system = x->in == HX_IN_SYSTEM;
		y->frame = x->frame;
		y->skill = x->skill;
		if (x->cut && x->read && !x->empty && !x->dropped)
			cut_at(x, &y->cut_line, &y->cut_column);
	}
	make_pieces(h);
	*out = h;
	return PA_OK;
}

void pa_harness_free(pa_harness *h)
{
	if (!h)
		return;
	Pa_hx_found_release(&h->f);
	pa_free(h->files);
	pa_free(h->pieces);
	pa_free(h);
}

size_t pa_harness_file_count(const pa_harness *h)
{
	return h ? h->f.n : 0;
}

const pa_harness_file *pa_harness_file_at(const pa_harness *h, size_t i)
{
	return h && i < h->f.n ? &h->files[i] : NULL;
}

size_t pa_harness_piece_count(const pa_harness *h)
{
	return h ? h->npieces : 0;
}

const pa_harness_piece *pa_harness_piece_at(const pa_harness *h, size_t i)
{
	return h && i < h->npieces ? &h->pieces[i] : NULL;
}

const char *pa_harness_model(const pa_harness *h, const char **from)
{
	if (from)
		*from = h->f.model_from;
	return h->f.model;
}

size_t pa_harness_max_bytes(const pa_harness *h, const char **from)
{
	if (from)
		*from = h->f.max_bytes_from;
	return h->f.max_bytes < 0 ? 0 : (size_t)h->f.max_bytes;
}

const char *pa_harness_root(const pa_harness *h)
{
	return h->f.root;
}

const char *pa_harness_config_file(const pa_harness *h)
{
	return h->f.config;
}

size_t pa_harness_input_count(const pa_harness *h)
{
	return h ? h->f.n_inputs : 0;
}

const char *pa_harness_input_at(const pa_harness *h, size_t i)
{
	return h && i < h->f.n_inputs ? h->f.inputs[i] : NULL;
}

size_t pa_harness_unread_count(const pa_harness *h)
{
	return h->f.n_unread;
}

const char *pa_harness_unread_at(const pa_harness *h, size_t i)
{
	return i < h->f.n_unread ? h->f.unread[i] : NULL;
}

const pa_harness_figures *pa_harness_figures_get(const pa_harness *h)
{
	return &h->fig;
}

const pa_harness_figures *pa_harness_figures_in(pa_harness *h,
                                                const char *tokenizer)
{
	size_t i;

	for (i = 0; h->row && tokenizer && i < N_COUNTED; i++) {
		const hx_counted *c = &hx_counted_figures[i];

		if (c->id != h->id || strcmp(c->version, h->version) ||
		    strcmp(c->model, h->row->model) || strcmp(c->tokenizer, tokenizer))
			continue;
		h->fig_in = *h->row;
		h->fig_in.own_tokens = c->own_tokens;
		h->fig_in.own_tokens_outside_repo = c->own_tokens_outside_repo;
		h->fig_in.tools_tokens = c->tools_tokens;
		h->fig_in.wrap_tokens = c->wrap_tokens;
		h->fig_in.per_file_tokens = c->per_file_tokens;
		h->fig_in.own_tokens_replaced = c->own_tokens_replaced;
		h->fig_in.skills_frame_tokens = c->skills_frame_tokens;
		h->fig_in.own_part_tokens = c->own_part_tokens;
		own_text(h, &h->fig_in, tokenizer);
		return &h->fig_in;
	}
	return &h->fig;
}

const char *pa_harness_cli_version(const pa_harness *h)
{
	return h->version;
}

const char *pa_harness_config_text(const pa_harness *h, const char **from,
                                   size_t *len)
{
	if (from)
		*from = h->f.config_text_from;
	if (len)
		*len = h->f.config_text ? h->f.config_text_len : 0;
	return h->f.config_text;
}

pa_status pa_harness_start_dirs(pa_harness_id id, const pa_harness_options *opt,
                                char ***dirs, size_t *n, int *incomplete,
                                pa_error *err)
{
	pa_harness *h;
	pa_warnings w = { 0 };
	pa_status st;
	const char **nm;
	size_t i;

	*dirs = NULL;
	*n = 0;
	*incomplete = 0;
	st = pa_harness_load(id, opt, &h, &w, err);
	pa_warnings_release(&w);
	if (st != PA_OK)
		return st;
	/* a directory holding one of the root's names, or the CLI's own
	 * settings file of a directory (which may name other files) */
	nm = Pa_xcalloc(h->f.n_names + 2, sizeof(char *));
	for (i = 0; i < h->f.n_names; i++)
		nm[i] = h->f.names[i];
	nm[i] = h->f.backend->settings_name; /* NULL ends the list */
	Pa_hx_start_dirs(opt ? opt->cache : NULL, h->f.root, nm, 1, dirs, n, incomplete);
	pa_free(nm);
	pa_harness_free(h);
	return PA_OK;
}
