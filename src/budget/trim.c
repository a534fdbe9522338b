/*
 * trim.c - cutting a prompt, or a text as one section, to a token budget.
 *
 * The rules are a user-facing contract; promptasm.h and promptasm(1)
 * state them.  How it works:
 *
 *  1. Each section is split into Markdown blocks (markdown.c) and every
 *     block is counted once, alone.  Block counts are what the plan uses.
 *  2. Caps first: a section over its cap is cut to it.
 *  3. The whole rendered prompt is counted exactly.  While it is over the
 *     effective budget, the overflow is taken from the sections in trim
 *     order (lowest priority first): each loses whole blocks until its
 *     planned share of the overflow is gone, then the next section.
 *  4. Counts do not add up across joins, so the prompt is rendered and
 *     counted again, and step 3 repeats with the new overflow.  Every
 *     round removes at least one more block, so it ends; usually after
 *     one or two exact counts instead of one per block.
 *  5. When nothing more may go, the markers go: first those of emptied
 *     sections, then the others.  Still over is PA_ERR_OVER_BUDGET.
 *
 * Everything depends on the text alone, so the result is deterministic.
 */
#define _POSIX_C_SOURCE 200809L
#include "base/base.h"
#include "base/markdown.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- rules ---- */

static int is_instruction_kind(pa_section_kind kind)
{
	return kind != PA_SECTION_BODY && kind != PA_SECTION_MEMORY &&
	       kind != PA_SECTION_AUTO_MEMORY && kind != PA_SECTION_HOOK;
}

/* fnmatch() with `*` matching `/`, and, as in gitignore, a leading or
 * inner double star and slash that also matches no directory at all: the
 * pattern of every CLAUDE.md below the root matches the root CLAUDE.md
 * too.  The first 8 such double stars are each tried both ways (a pattern
 * with more matches the later ones only as written): every subset of them
 * left out once, at most 256 calls of fnmatch().  Leaving them out one at
 * a time, each removal followed by every other, tried the same subsets in
 * every order: a pattern of 15 took seconds, and a repository's config
 * could hold one that took hours. */
#define PATH_MATCH_MAX_DOUBLE_STARS 8

static int path_match(const char *m, const char *path)
{
	size_t at[PATH_MATCH_MAX_DOUBLE_STARS], n = 0, len = strlen(m), i;
	const char *p;
	char *shorter;
	unsigned set;
	int hit = 0;

	for (p = strstr(m, "**/"); p && n < PATH_MATCH_MAX_DOUBLE_STARS;
	     p = strstr(p + 1, "**/"))
		if (p == m || p[-1] == '/')
			at[n++] = (size_t)(p - m);
	if (!n)
		return fnmatch(m, path, 0) == 0;
	shorter = Pa_xmalloc(len + 1);
	for (set = 0; !hit && set < 1u << n; set++) {
		size_t from = 0, out = 0;

		/* the double stars of set's bits left out */
		for (i = 0; i < n; i++) {
			if (!(set & (1u << i)) || at[i] < from)
				continue;
			memcpy(shorter + out, m + from, at[i] - from);
			out += at[i] - from;
			from = at[i] + 3;
		}
		memcpy(shorter + out, m + from, len - from + 1);
		hit = fnmatch(shorter, path, 0) == 0;
	}
	free(shorter);
	return hit;
}

int pa_section_rule_matches(const pa_section_rule *r, pa_section_kind kind,
                            const char *path)
{
	const char *m = r->match, *base;
	int k;

	if (r->instructions_only && !is_instruction_kind(kind))
		return 0;
	if (!m || !strcmp(m, "*"))
		return 1;
	for (k = PA_SECTION_BODY; k <= PA_SECTION_HOOK; k++)
		if (!strcmp(m, pa_section_kind_name((pa_section_kind)k)))
			return kind == (pa_section_kind)k;
	if (!strcmp(m, "instructions"))
		return is_instruction_kind(kind);
	if (!path)
		return 0;
	if (strchr(m, '/'))
		return path_match(m, path);
	base = strrchr(path, '/');
	return fnmatch(m, base ? base + 1 : path, 0) == 0;
}

void pa_trim_spec_init(pa_trim_spec *spec, size_t budget)
{
	memset(spec, 0, sizeof(*spec));
	spec->budget = budget;
	spec->margin = PA_DEFAULT_MARGIN;
}

void pa_trim_report_free(pa_trim_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n_sections; i++)
		free(r->sections[i].path);
	free(r->sections);
	free(r);
}

/* ---- the state of one section ---- */

typedef struct tsec {
	size_t index;            /* in the prompt */
	pa_section_kind kind;
	const char *path;
	int depth;
	int load_cut;
	char *orig;              /* the untrimmed text (a copy) */
	size_t len;
	size_t heading_tokens;   /* its heading line, for dropping estimates */
	Pa_md_block *b;
	size_t nb;
	size_t *pre;             /* pre[k]: tokens of the first k blocks */
	size_t *suf;             /* suf[k]: tokens of the last k blocks */
	long priority, floor, cap;
	pa_keep keep;
	int trimmable;
	size_t tokens_before;
	size_t marker_est;       /* a marker's tokens and its join */

	/* What is left. */
	pa_trim_action action;
	pa_buf kept;             /* the kept text, without marker */
	size_t kept_from, kept_to; /* the bytes of orig it keeps (report) */
	size_t kept_in;          /* where they start in kept */
	size_t kept_at;          /* where they start in text */
	pa_buf text;             /* kept text with the marker */
	size_t kept_est;         /* planned tokens of kept */
	size_t kept_tokens;      /* exact tokens of kept */
	size_t cost;             /* exact tokens of text */
	size_t blocks_removed;
	int cut_inside;
	int marker;
	int minimal;             /* nothing more may go */
	int dirty;               /* text changed since the last render */
	const char *reason;
} tsec;

typedef struct trimmer {
	const pa_tokenizer *tok;
	tsec *s;
	size_t n;
	size_t *order;           /* trimmable sections, first trimmed first */
	size_t norder;
	pa_prompt *prompt;       /* NULL: text mode (one section) */
	int newline;             /* text mode: the text ended in a newline */
	pa_buf rendered;
	pa_status st;
	pa_error *err;
} trimmer;

static size_t tcount(trimmer *t, const char *s, size_t n)
{
	size_t c = 0;

	if (t->st != PA_OK)
		return 0;
	t->st = pa_tokenizer_count(t->tok, s, n, &c, t->err);
	return c;
}

static void put_marker(pa_buf *out, size_t tokens, size_t blocks,
                       const char *path)
{
	pa_buf_puts(out, "[promptasm: trimmed ");
	pa_buf_put_count(out, tokens);
	pa_buf_printf(out, " token%s (%zu block%s) from ", tokens == 1 ? "" : "s",
	              blocks, blocks == 1 ? "" : "s");
	/* A file's name need not be UTF-8 (trim's FILE, --name): the marker
	 * is text of the prompt, which must stay UTF-8 to be counted. */
	pa_utf8_lossy(path, strlen(path), out);
	pa_buf_putc(out, ']');
}

/* ---- cutting inside one block ---- */

typedef struct span {
	size_t start, end;
} span;

/* The lines of [from, to) as spans without their line endings. */
static span *split_lines(const char *text, size_t from, size_t to, size_t *n)
{
	span *v = NULL;
	size_t cap = 0, pos = from;
	Pa_md_line ln;

	*n = 0;
	while (Pa_md_line_at(text, to, pos, &ln)) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = Pa_xrealloc(v, cap * sizeof(*v));
		}
		v[*n].start = ln.start;
		v[*n].end = ln.end;
		(*n)++;
		pos = ln.next;
	}
	return v;
}

/* Grapheme cluster boundaries of s (0 and n included). */
static size_t *grapheme_bounds(const char *s, size_t n, size_t *nb)
{
	size_t *v = Pa_xmalloc((n + 2) * sizeof(*v));
	utf8proc_int32_t prev = -1, cp;
	utf8proc_int32_t state = 0;
	size_t i = 0;

	*nb = 0;
	while (i < n) {
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0) { /* not reached: texts are checked first */
			k = 1;
			cp = 0xFFFD;
		}
		if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state))
			v[(*nb)++] = i;
		prev = cp;
		i += (size_t)k;
	}
	v[(*nb)++] = n;
	return v;
}

/* Where a line may be cut: the token boundaries of the line encoded alone
 * that are also grapheme cluster boundaries (0 and n included).  When the
 * tokenizer normalizes, so that its tokens do not map back onto the bytes,
 * every grapheme cluster boundary. */
static size_t *cut_bounds(trimmer *t, const char *s, size_t n, size_t *nb)
{
	size_t ng, *g = grapheme_bounds(s, n, &ng), *v, nids = 0, i, j, pos = 0;
	uint32_t *ids = NULL;

	if (pa_tokenizer_encode(t->tok, s, n, &ids, &nids, NULL) != PA_OK) {
		*nb = ng;
		return g;
	}
	v = Pa_xmalloc((nids + 2) * sizeof(*v));
	*nb = 0;
	v[(*nb)++] = 0;
	for (i = 0, j = 0; i < nids; i++) {
		size_t tl;
		const char *tb = pa_tokenizer_token(t->tok, ids[i], &tl);

		if (!tb || pos + tl > n || memcmp(s + pos, tb, tl) != 0) {
			/* The tokens do not spell the bytes: fall back. */
			free(v);
			pa_free(ids);
			*nb = ng;
			return g;
		}
		pos += tl;
		while (j < ng && g[j] < pos)
			j++;
		if (j < ng && g[j] == pos && pos < n)
			v[(*nb)++] = pos;
	}
	v[(*nb)++] = n;
	pa_free(ids);
	free(g);
	return v;
}

typedef struct piece_ctx {
	const char *text;
	int tail;
	const char *prefix;      /* head mode: kept text before the block */
	size_t prefix_len;
	span *lines;             /* content lines */
	size_t nlines;
	span open, close;        /* fence lines (open.end == 0 when none) */
	int fence;
} piece_ctx;

/* Builds a candidate: j whole content lines, or (j == 0) part of the
 * first (head) or last (tail) content line up to / from byte g. */
static void build_piece(const piece_ctx *pc, size_t j, size_t g, pa_buf *out)
{
	const char *t = pc->text;

	pa_buf_reset(out);
	pa_buf_put(out, pc->prefix, pc->prefix_len);
	if (pc->fence) {
		pa_buf_put(out, t + pc->open.start, pc->open.end - pc->open.start);
		pa_buf_putc(out, '\n');
	}
	if (j) {
		size_t a = pc->tail ? pc->nlines - j : 0, z = pc->tail ? pc->nlines : j;
		pa_buf_put(out, t + pc->lines[a].start, pc->lines[z - 1].end - pc->lines[a].start);
	} else {
		const span *l = &pc->lines[pc->tail ? pc->nlines - 1 : 0];
		if (pc->tail)
			pa_buf_put(out, t + l->start + g, l->end - l->start - g);
		else
			pa_buf_put(out, t + l->start, g);
	}
	Pa_md_close_fence(out);
}

/* The bytes of the text that build_piece's candidate (j, g) keeps as
 * they are, as build_piece takes them; with the fence line before them
 * when that line, as written, joins them unchanged, and with the prefix
 * (head mode: the text from its start) before that.  *at: where they
 * start in the candidate. */
static void piece_range(const piece_ctx *pc, size_t j, size_t g, size_t *from,
                        size_t *to, size_t *at)
{
	size_t open_len = pc->fence ? pc->open.end - pc->open.start + 1 : 0;

	if (j) {
		size_t a = pc->tail ? pc->nlines - j : 0, z = pc->tail ? pc->nlines : j;
		*from = pc->lines[a].start;
		*to = pc->lines[z - 1].end;
	} else {
		const span *l = &pc->lines[pc->tail ? pc->nlines - 1 : 0];
		*from = pc->tail ? l->start + g : l->start;
		*to = pc->tail ? l->end : l->start + g;
	}
	*at = pc->prefix_len + open_len;
	if (pc->fence && *from == pc->lines[0].start &&
	    pc->open.end + 1 == *from && pc->text[pc->open.end] == '\n') {
		*from = pc->open.start;
		*at -= open_len;
	}
	if (pc->prefix_len && *from == pc->prefix_len) {
		*from = 0;
		*at = 0;
	}
}

/* Keeps as much of block b as fits in allowance (with the prefix), into
 * out.  Returns 1 when something was kept. */
static int cut_block(trimmer *t, tsec *s, size_t bi, const char *prefix,
                     size_t prefix_len, size_t allowance, pa_buf *out,
                     size_t *tokens, size_t *from, size_t *to, size_t *at)
{
	piece_ctx pc;
	const Pa_md_block *b = &s->b[bi];
	span *all;
	size_t nall, lo, hi, best = 0, best_tokens = 0, c;
	pa_buf cand = PA_BUF_INIT;
	int found = 0;

	memset(&pc, 0, sizeof(pc));
	pc.text = s->orig;
	pc.tail = s->keep == PA_KEEP_TAIL;
	pc.prefix = prefix;
	pc.prefix_len = prefix_len;
	all = split_lines(s->orig, b->text_start, b->text_end, &nall);
	pc.lines = all;
	pc.nlines = nall;
	if (b->kind == PA_MD_FENCE && nall) {
		pc.fence = 1;
		pc.open = all[0];
		pc.lines = all + 1;
		pc.nlines = nall - 1 - (b->fence_closed && nall > 1 ? 1 : 0);
	}
	if (pc.nlines == 0)
		goto done;

	/* Whole lines: the most that fit (counts grow with lines). */
	lo = 1;
	hi = pc.fence ? pc.nlines : pc.nlines - 1;
	while (lo <= hi && t->st == PA_OK) {
		size_t mid = lo + (hi - lo) / 2;
		build_piece(&pc, mid, 0, &cand);
		c = tcount(t, cand.ptr, cand.len);
		if (c <= allowance) {
			best = mid;
			best_tokens = c;
			found = 1;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	if (found) {
		build_piece(&pc, best, 0, out);
		piece_range(&pc, best, 0, from, to, at);
		*tokens = best_tokens;
		goto done;
	}

	/* Part of one line, at a grapheme cluster boundary. */
	{
		const span *l = &pc.lines[pc.tail ? pc.nlines - 1 : 0];
		size_t nb, *gb = cut_bounds(t, s->orig + l->start, l->end - l->start, &nb);
		size_t glo = 1, ghi = nb - 1, bestg = 0;

		/* Head: keep bytes [0, gb[i]), i in 1..nb-1.  Tail: keep
		 * [gb[nb-1-i], end), i in 1..nb-1. */
		while (glo <= ghi && t->st == PA_OK) {
			size_t mid = glo + (ghi - glo) / 2;
			size_t g = pc.tail ? gb[nb - 1 - mid] : gb[mid];
			build_piece(&pc, 0, g, &cand);
			c = tcount(t, cand.ptr, cand.len);
			if (c <= allowance) {
				bestg = mid;
				best_tokens = c;
				found = 1;
				glo = mid + 1;
			} else {
				ghi = mid - 1;
			}
		}
		if (found) {
			size_t g = pc.tail ? gb[nb - 1 - bestg] : gb[bestg];
			build_piece(&pc, 0, g, out);
			piece_range(&pc, 0, g, from, to, at);
			*tokens = best_tokens;
		}
		free(gb);
	}
done:
	free(all);
	pa_buf_release(&cand);
	return found;
}

/* ---- materializing a section at an allowance ---- */

/* The tokens a section lost: its text before less the text it keeps,
 * each counted alone, the marker left out.  The one figure the marker
 * states and the report gives (pa_trim_section.tokens_removed). */
static size_t removed_tokens(const tsec *s)
{
	if (s->action == PA_TRIM_KEPT)
		return 0;
	if (s->action == PA_TRIM_DROPPED)
		return s->tokens_before;
	return s->tokens_before > s->kept_tokens ? s->tokens_before - s->kept_tokens : 0;
}

static void set_text(trimmer *t, tsec *s)
{
	size_t removed;

	pa_buf_reset(&s->text);
	if (s->action == PA_TRIM_KEPT) {
		pa_buf_put(&s->text, s->orig, s->len);
		s->cost = s->tokens_before;
		s->dirty = 1;
		return;
	}
	if (s->action == PA_TRIM_DROPPED) {
		s->cost = 0;
		s->dirty = 1;
		return;
	}
	removed = removed_tokens(s);
	if (s->marker && s->keep == PA_KEEP_TAIL) {
		put_marker(&s->text, removed, s->blocks_removed, s->path);
		if (s->kept.len)
			pa_buf_puts(&s->text, "\n\n");
	}
	s->kept_at = s->text.len + s->kept_in;
	pa_buf_put(&s->text, s->kept.ptr, s->kept.len);
	if (s->marker && s->keep != PA_KEEP_TAIL) {
		if (s->kept.len)
			pa_buf_puts(&s->text, "\n\n");
		put_marker(&s->text, removed, s->blocks_removed, s->path);
	}
	s->cost = tcount(t, s->text.ptr, s->text.len);
	s->dirty = 1;
}

/* Cuts s so its kept text plans at most `allowance` tokens (but never
 * under its floor).  Returns 1 when that removed more than before. */
static int materialize(trimmer *t, tsec *s, size_t allowance,
                       const char *reason)
{
	size_t nb = s->nb, k = 0, old = s->action == PA_TRIM_KEPT ? s->pre[nb] : s->kept_est;
	long floor = s->floor > 0 ? s->floor : 0;
	int tail = s->keep == PA_KEEP_TAIL, cut = 0;
	const size_t *sum = tail ? s->suf : s->pre;
	pa_buf kept = PA_BUF_INIT;
	size_t kept_tokens = 0, est, kept_whole = 0;
	size_t from = tail ? s->len : 0, to = from, at = 0;

	if (s->action == PA_TRIM_DROPPED || nb == 0)
		return 0;
	while (k < nb && sum[k + 1] <= allowance)
		k++;
	if (!tail) {
		while (k > 0 && k < nb && s->b[k - 1].kind == PA_MD_HEADING)
			k--;
	} else if (k < nb) {
		/* The end of a section that is only headings keeps none of
		 * their text: they go too (rule 3). */
		size_t j = nb - k;

		while (j < nb && s->b[j].kind == PA_MD_HEADING)
			j++;
		if (j == nb)
			k = 0;
	}
	if (floor && sum[k] < (size_t)floor) {
		while (k < nb && (sum[k] < (size_t)floor ||
		                  (!tail && s->b[k - 1].kind == PA_MD_HEADING)))
			k++;
	}
	if (k == nb) {
		/* Everything fits: nothing to remove (a no-op unless the
		 * section was untouched, which the callers rule out). */
		return 0;
	}
	if (k > 0) {
		if (tail) {
			from = s->b[nb - k].text_start;
			to = s->b[nb - 1].text_end;
		} else {
			to = s->b[k - 1].text_end;
		}
		pa_buf_put(&kept, s->orig + from, to - from);
		/* Never leave a fence open before the marker (nor after it:
		 * a suffix is read without what came before it). */
		Pa_md_close_fence(&kept);
		est = sum[k];
	} else {
		/* Not one whole block fits: cut inside the first one kept (in
		 * head mode, the one after leading headings, kept whole). */
		size_t h = 0, pre_len = 0;

		if (!tail) {
			while (h < nb && s->b[h].kind == PA_MD_HEADING)
				h++;
			if (h > 0 && h < nb)
				pre_len = s->b[h].text_start;
		} else if (s->b[nb - 1].kind == PA_MD_HEADING) {
			/* A heading that ends the section has no text to be
			 * kept with, and cut inside it would leave a piece of
			 * its line ("# Setup" as " Setup"): nothing is kept,
			 * as in head mode when every block is a heading. */
			h = nb;
		}
		est = 0;
		if (h < nb && sum[h] <= allowance &&
		    cut_block(t, s, tail ? nb - 1 : h, s->orig, pre_len, allowance,
		              &kept, &kept_tokens, &from, &to, &at)) {
			cut = 1;
			est = kept_tokens;
			kept_whole = h;
		}
	}
	if (t->st != PA_OK || (s->action != PA_TRIM_KEPT && est >= old)) {
		pa_buf_release(&kept);
		return 0;
	}
	pa_buf_release(&s->kept);
	s->kept = kept;
	s->kept_from = from;
	s->kept_to = to;
	s->kept_in = at;
	s->kept_est = est;
	s->kept_tokens = cut ? kept_tokens : tcount(t, kept.ptr, kept.len);
	s->cut_inside = cut;
	s->blocks_removed = nb - k - kept_whole;
	s->action = kept.len ? PA_TRIM_CUT : PA_TRIM_EMPTIED;
	s->marker = 1;
	if (!s->reason[0] || strcmp(reason, "cap") != 0)
		s->reason = reason;
	set_text(t, s);
	/* The cap holds for the marker too, whether the cap or the budget
	 * cut the section: when it does not fit, the marker goes (and an
	 * emptied section with it).  Checked in the cap pass only, a
	 * section of 3 tokens under a cap of 16 that the budget emptied
	 * kept a marker of 17. */
	if (s->cap != PA_UNSET && s->cost > (size_t)s->cap && s->marker) {
		s->marker = 0;
		if (s->action == PA_TRIM_EMPTIED)
			s->action = PA_TRIM_DROPPED;
		set_text(t, s);
	}
	return 1;
}

/* ---- rendering ---- */

static size_t render_count(trimmer *t)
{
	size_t i;

	pa_buf_reset(&t->rendered);
	if (t->prompt) {
		for (i = 0; i < t->n; i++) {
			if (t->s[i].dirty)
				pa_prompt_section_set_text(t->prompt, t->s[i].index,
				                           t->s[i].text.ptr, t->s[i].text.len);
			t->s[i].dirty = 0;
		}
		pa_prompt_render(t->prompt, &t->rendered);
	} else {
		const tsec *s = &t->s[0];
		/* A marker that ends the text ends its line too, or the next
		 * output (a shell prompt, a cat) would be glued to it; the
		 * newline is counted as part of the text it ends. */
		int marker_last = s->marker && (s->action == PA_TRIM_CUT ||
		                                s->action == PA_TRIM_EMPTIED) &&
		                  (s->keep != PA_KEEP_TAIL || !s->kept.len);

		pa_buf_put(&t->rendered, s->text.ptr, s->text.len);
		if ((t->newline || marker_last) && t->rendered.len)
			pa_buf_putc(&t->rendered, '\n');
	}
	return tcount(t, t->rendered.ptr, t->rendered.len);
}

/* Takes about `overflow` tokens from the sections in trim order.  Returns
 * 1 when anything changed. */
static int reduce(trimmer *t, long long overflow, const char *reason)
{
	size_t o;
	int changed = 0;

	for (o = 0; o < t->norder && overflow > 0 && t->st == PA_OK; o++) {
		tsec *s = &t->s[t->order[o]];
		size_t before = s->cost, cur;
		long long target, take;

		if (s->minimal || s->action == PA_TRIM_DROPPED)
			continue;
		cur = s->action == PA_TRIM_KEPT ? s->pre[s->nb] : s->kept_est;
		take = overflow;
		if (s->action == PA_TRIM_KEPT)
			take += (long long)s->marker_est;
		/* The overflow is of the rendered count, the plan's sums of
		 * blocks counted alone: the two differ by the joins (30
		 * paragraphs with claude: 448 tokens whole, 420 summed), so
		 * the tokens to take are scaled to the plan's, or a section
		 * lost two blocks more than the budget asked. */
		if (s->tokens_before > 0)
			take = take * (long long)s->pre[s->nb] / (long long)s->tokens_before;
		target = (long long)cur - take;
		if (target >= (long long)cur)
			target = (long long)cur - 1;
		if (target < 0)
			target = 0;
		if (!materialize(t, s, (size_t)target, reason)) {
			s->minimal = 1;
			continue;
		}
		changed = 1;
		overflow -= (long long)before - (long long)s->cost;
	}
	return changed;
}

/* Leaves out markers, emptied sections first.  Returns 1 when any went. */
static int drop_markers(trimmer *t, long long overflow)
{
	size_t o;
	int pass, changed = 0;

	for (pass = 0; pass < 2 && overflow > 0; pass++) {
		for (o = 0; o < t->norder && overflow > 0; o++) {
			tsec *s = &t->s[t->order[o]];
			size_t before = s->cost;

			if (pass == 0 && s->action == PA_TRIM_EMPTIED) {
				s->action = PA_TRIM_DROPPED;
				s->marker = 0;
				set_text(t, s);
				overflow -= (long long)(before + s->heading_tokens + 2);
				changed = 1;
			} else if (pass == 1 && s->action == PA_TRIM_CUT && s->marker) {
				s->marker = 0;
				set_text(t, s);
				overflow -= (long long)before - (long long)s->cost;
				changed = 1;
			}
		}
		if (changed)
			break;
	}
	return changed;
}

/* 1 when section a is trimmed before b: lower priority, then the deeper
 * import, then the one earlier in the prompt. */
static int trimmed_before(const tsec *a, const tsec *b)
{
	if (a->priority != b->priority)
		return a->priority < b->priority;
	if (a->depth != b->depth)
		return a->depth > b->depth;
	return a->index < b->index;
}

static long default_priority(pa_section_kind kind)
{
	switch (kind) {
	case PA_SECTION_BODY: return PA_PRIORITY_BODY;
	case PA_SECTION_MEMORY: return PA_PRIORITY_MEMORY;
	case PA_SECTION_AUTO_MEMORY: return PA_PRIORITY_MEMORY;
	case PA_SECTION_IMPORT: return PA_PRIORITY_IMPORT;
	default: return PA_PRIORITY_INSTRUCTIONS;
	}
}

/* Fills a section from its text and the rules. */
static void init_section(trimmer *t, tsec *s, const pa_trim_spec *spec,
                         const char *heading)
{
	size_t i;
	pa_buf m = PA_BUF_INIT;

	s->priority = default_priority(s->kind);
	s->floor = PA_UNSET;
	s->cap = PA_UNSET;
	s->keep = PA_KEEP_HEAD;
	for (i = 0; i < spec->n_rules; i++) {
		const pa_section_rule *r = &spec->rules[i];
		if (!pa_section_rule_matches(r, s->kind, s->path))
			continue;
		if (r->priority != PA_UNSET)
			s->priority = r->priority;
		if (r->floor != PA_UNSET)
			s->floor = r->floor;
		if (r->cap != PA_UNSET)
			s->cap = r->cap;
		if (r->keep != PA_KEEP_UNSET)
			s->keep = r->keep;
	}
	s->reason = "";
	Pa_md_blocks(s->orig, s->len, &s->b, &s->nb);
	s->pre = Pa_xcalloc(s->nb + 1, sizeof(size_t));
	s->suf = Pa_xcalloc(s->nb + 1, sizeof(size_t));
	for (i = 0; i < s->nb; i++) {
		/* A block with the blank lines after it, so the joins are in
		 * the plan and the sums come close to the section's count. */
		size_t a = s->b[i].text_start;
		size_t c = s->b[i].end > a ? tcount(t, s->orig + a, s->b[i].end - a) : 0;
		s->pre[i + 1] = s->pre[i] + c;
	}
	for (i = 0; i < s->nb; i++)
		s->suf[i + 1] = s->suf[i] + (s->pre[s->nb - i] - s->pre[s->nb - i - 1]);
	s->tokens_before = tcount(t, s->orig, s->len);
	s->heading_tokens = heading && heading[0] ? tcount(t, heading, strlen(heading)) : 0;
	put_marker(&m, s->tokens_before, s->nb, s->path);
	s->marker_est = tcount(t, m.ptr, m.len) + 1;
	pa_buf_release(&m);
	s->action = PA_TRIM_KEPT;
	pa_buf_put(&s->text, s->orig, s->len);
	s->cost = s->tokens_before;
}

static void trimmer_release(trimmer *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->s[i].orig);
		free(t->s[i].b);
		free(t->s[i].pre);
		free(t->s[i].suf);
		pa_buf_release(&t->s[i].kept);
		pa_buf_release(&t->s[i].text);
	}
	free(t->s);
	free(t->order);
	pa_buf_release(&t->rendered);
}

static void fill_report(trimmer *t, const pa_trim_spec *spec, size_t eff,
                        size_t before, size_t after, size_t missing,
                        pa_trim_report **report)
{
	pa_trim_report *r;
	size_t i;

	if (!report)
		return;
	r = Pa_xcalloc(1, sizeof(*r));
	r->budget = spec->budget;
	r->effective = eff;
	r->reserve = spec->reserve;
	r->estimate = spec->estimate;
	r->margin = r->estimate && spec->budget != PA_NO_BUDGET ? spec->margin : 0;
	r->tokens_before = before;
	r->tokens_after = after;
	r->missing = missing;
	r->n_sections = t->n;
	r->sections = Pa_xcalloc(t->n ? t->n : 1, sizeof(*r->sections));
	for (i = 0; i < t->n; i++) {
		tsec *s = &t->s[i];
		pa_trim_section *q = &r->sections[i];

		q->path = Pa_xstrdup(s->path);
		q->kind = s->kind;
		q->depth = s->depth;
		q->priority = s->priority;
		q->floor = s->floor;
		q->cap = s->cap;
		q->keep = s->keep;
		q->trimmable = s->trimmable;
		q->load_cut = s->load_cut;
		q->tokens_before = s->tokens_before;
		q->tokens_after = s->action == PA_TRIM_KEPT ? s->tokens_before : s->cost;
		q->tokens_removed = removed_tokens(s);
		q->tokens_kept = s->action == PA_TRIM_KEPT ? s->tokens_before
		                 : s->action == PA_TRIM_DROPPED ? 0 : s->kept_tokens;
		q->marker_tokens = q->tokens_after > q->tokens_kept
		                   ? q->tokens_after - q->tokens_kept : 0;
		q->blocks = s->nb;
		q->blocks_removed = s->action == PA_TRIM_KEPT ? 0 : s->blocks_removed;
		q->cut_inside = s->action != PA_TRIM_KEPT && s->cut_inside;
		q->marker = s->marker;
		q->kept_start = s->action == PA_TRIM_KEPT ? 0 : s->kept_from;
		q->kept_end = s->action == PA_TRIM_KEPT ? s->len : s->kept_to;
		q->kept_at = s->action == PA_TRIM_KEPT || s->action == PA_TRIM_DROPPED
		             ? 0 : s->kept_at;
		q->action = s->action;
		q->reason = s->reason;
	}
	*report = r;
}

static size_t effective_budget(const pa_trim_spec *spec, int estimate)
{
	size_t e;
	double m = spec->margin;

	if (spec->budget == PA_NO_BUDGET)
		return PA_NO_BUDGET;
	e = spec->budget > spec->reserve ? spec->budget - spec->reserve : 0;
	if (estimate) {
		if (m < 0)
			m = 0;
		if (m > 1)
			m = 1;
		e = (size_t)((long double)e * (1.0L - (long double)m));
	}
	return e;
}

size_t pa_trim_effective_budget_of(const pa_trim_spec *spec, int estimate)
{
	return effective_budget(spec, estimate);
}

/* The whole algorithm, on a trimmer whose sections are set up. */
static pa_status run(trimmer *t, const pa_trim_spec *spec,
                     pa_trim_report **report)
{
	int estimate = spec->estimate;
	size_t eff = effective_budget(spec, estimate), before, total, i;
	size_t text_cap = PA_NO_BUDGET;
	int changed;

	/* Insertion sort: a prompt has tens of sections, and it is stable. */
	for (i = 0; i < t->n; i++) {
		size_t j;
		if (!t->s[i].trimmable)
			continue;
		for (j = t->norder; j > 0 && trimmed_before(&t->s[i], &t->s[t->order[j - 1]]); j--)
			t->order[j] = t->order[j - 1];
		t->order[j] = i;
		t->norder++;
	}

	before = total = render_count(t);
	if (t->st != PA_OK || eff == PA_NO_BUDGET)
		goto out;
	/* Text mode: the text is the section, so its cap holds for all that
	 * is printed, the final newline (kept apart) included: "hello
	 * world\n" under a cap of 2 came out whole, 3 tokens. */
	if (!t->prompt && t->s[0].trimmable && t->s[0].cap != PA_UNSET)
		text_cap = (size_t)t->s[0].cap;
	/* Caps apply whether or not the prompt fits. */
	changed = 0;
	for (i = 0; i < t->n && t->st == PA_OK; i++) {
		tsec *s = &t->s[i];
		if (s->trimmable && s->cap != PA_UNSET &&
		    (s->tokens_before > (size_t)s->cap || before > text_cap)) {
			size_t a = (size_t)s->cap > s->marker_est ? (size_t)s->cap - s->marker_est : 0;
			changed |= materialize(t, s, a, "cap");
		}
	}
	if (changed)
		total = render_count(t);
	while (t->st == PA_OK && (total > eff || total > text_cap)) {
		size_t limit = eff < text_cap ? eff : text_cap;
		long long overflow = (long long)(total - limit);

		if (!reduce(t, overflow, total > eff ? "budget" : "cap") &&
		    !drop_markers(t, overflow))
			break;
		total = render_count(t);
	}
out:
	if (t->st != PA_OK)
		return t->st;
	fill_report(t, spec, eff, before, total, total > eff ? total - eff : 0, report);
	if (total > eff)
		return Pa_error_set(t->err, PA_ERR_OVER_BUDGET, NULL, 0, 0,
		                    "%zu tokens over the budget: what may not be "
		                    "trimmed needs %zu, the budget allows %zu",
		                    total - eff, total, eff);
	return PA_OK;
}

static pa_status check_utf8(const char *text, size_t len, const char *path,
                            pa_error *err)
{
	size_t bad;

	if (pa_utf8_valid(text, len, &bad))
		return PA_OK;
	Pa_error_set(err, PA_ERR_UTF8, path, 0, 0, "invalid UTF-8");
	if (err)
		err->offset = (long long)bad;
	return PA_ERR_UTF8;
}

pa_status pa_trim_prompt(pa_prompt *prompt, const pa_tokenizer *tok,
                         const pa_trim_spec *spec, pa_trim_report **report,
                         pa_error *err)
{
	trimmer t;
	size_t i;
	pa_status st;

	if (report)
		*report = NULL;
	memset(&t, 0, sizeof(t));
	t.rendered = (pa_buf)PA_BUF_INIT;
	t.tok = tok;
	t.prompt = prompt;
	t.err = err;
	t.n = pa_prompt_section_count(prompt);
	t.s = Pa_xcalloc(t.n ? t.n : 1, sizeof(*t.s));
	t.order = Pa_xcalloc(t.n ? t.n : 1, sizeof(*t.order));
	for (i = 0; i < t.n; i++) {
		tsec *s = &t.s[i];
		size_t len;
		const char *text = pa_prompt_section_text(prompt, i, &len);

		s->kept = (pa_buf)PA_BUF_INIT;
		s->text = (pa_buf)PA_BUF_INIT;
		s->index = i;
		s->kind = pa_prompt_section_kind(prompt, i);
		s->path = pa_prompt_section_path(prompt, i);
		s->depth = pa_prompt_section_depth(prompt, i);
		s->load_cut = pa_prompt_section_cut(prompt, i);
		s->orig = Pa_xstrndup(text, len);
		s->len = len;
		/* A hook's context is not a file to shorten. */
		s->trimmable = s->kind != PA_SECTION_HOOK &&
		               (s->kind != PA_SECTION_BODY || spec->trim_body);
		st = check_utf8(text, len, s->path, err);
		if (st != PA_OK) {
			t.n = i + 1;
			trimmer_release(&t);
			return st;
		}
		init_section(&t, s, spec, pa_prompt_section_heading(prompt, i));
	}
	st = run(&t, spec, report);
	trimmer_release(&t);
	return st;
}

pa_status pa_trim_text(const char *text, size_t len, const char *name,
                       const pa_tokenizer *tok, const pa_trim_spec *spec,
                       pa_buf *out, pa_trim_report **report, pa_error *err)
{
	trimmer t;
	tsec *s;
	pa_status st;
	size_t body = len;

	if (report)
		*report = NULL;
	st = check_utf8(text, len, name, err);
	if (st != PA_OK)
		return st;
	memset(&t, 0, sizeof(t));
	t.rendered = (pa_buf)PA_BUF_INIT;
	t.tok = tok;
	t.err = err;
	t.n = 1;
	t.s = Pa_xcalloc(1, sizeof(*t.s));
	t.order = Pa_xcalloc(1, sizeof(*t.order));
	/* The final newline is kept apart so a cut text ends as the input
	 * did.  Not when it is the whole text: an empty text renders as
	 * nothing, so "\n" came back "" and counted 0 although it fits. */
	if (body > 1 && text[body - 1] == '\n') {
		t.newline = 1;
		body--;
	}
	s = &t.s[0];
	s->kept = (pa_buf)PA_BUF_INIT;
	s->text = (pa_buf)PA_BUF_INIT;
	s->kind = PA_SECTION_BODY;
	s->path = name;
	s->orig = Pa_xstrndup(text, body);
	s->len = body;
	s->trimmable = 1;
	init_section(&t, s, spec, NULL);
	st = run(&t, spec, report);
	if (st == PA_OK)
		pa_buf_put(out, t.rendered.ptr, t.rendered.len);
	trimmer_release(&t);
	return st;
}
