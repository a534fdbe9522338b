/* html_agent.c - one agent's view in an HTML report: the facts, the bars,
 * the tables and the prompt text (html_agent.h). */
#include "html_agent.h"
#include "util.h"
#include "html_page.h"
#include "html_tokens.h"
#include "render.h"

#include <stdlib.h>
#include <string.h>

/* The bars' SVG coordinates: the width is stretched to the page. */
#define BAR_W 1000.0
#define BAR_H 34

static double share(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

/* What the trimmer did to a section, one line ("" when it kept it). */
static void trim_line(pa_buf *b, const pa_trim_section *s)
{
	if (s->action == PA_TRIM_KEPT)
		return;
	cli_trim_line(b, s, " \xe2\x86\x92 ", html_count);
}

static void load_line(pa_buf *b, const pa_trim_section *s, size_t cut_tokens)
{
	if (!s->load_cut)
		return;
	pa_buf_printf(b, "load rule: cut to what Claude Code loads (memory: %d lines, ",
	              PA_MEMORY_MAX_LINES);
	html_count(b, PA_MEMORY_MAX_CHARS);
	pa_buf_puts(b, " characters)");
	if (cut_tokens) {
		pa_buf_puts(b, "; ");
		html_count(b, cut_tokens);
		pa_buf_puts(b, " tokens left out, not counted");
	}
}

/* One part of a bar: a rect with its tooltip, a link when href is set. */
static void bar_part(pa_buf *out, const char *cls, double x, double w,
                     const char *href, const char *sec_id, size_t tokens,
                     const char *tip)
{
	if (href)
		pa_buf_printf(out, "<a href=\"#%s\">", href);
	pa_buf_printf(out, "<rect class=\"%s\" x=\"%.2f\" y=\"0\" width=\"%.2f\" "
	              "height=\"%d\" data-tokens=\"%zu\"", cls, x, w, BAR_H, tokens);
	if (sec_id)
		pa_buf_printf(out, " data-sec=\"%s\"", sec_id);
	pa_buf_puts(out, "><title>");
	html_text_lines(out, tip, strlen(tip));
	pa_buf_puts(out, "</title></rect>");
	if (href)
		pa_buf_puts(out, "</a>");
}

static void svg_open(pa_buf *out, const char *cls, const char *label)
{
	pa_buf_printf(out, "<svg class=\"bar %s\" viewBox=\"0 0 %.0f %d\" "
	              "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"",
	              cls, BAR_W, BAR_H);
	html_str(out, label);
	pa_buf_puts(out, "\">");
}

static size_t section_sum(const pa_trim_report *rep)
{
	size_t i, sum = 0;

	for (i = 0; i < rep->n_sections; i++)
		sum += rep->sections[i].tokens_before;
	return sum;
}

/* ---- the top ---- */

static void fact(pa_buf *out, const char *name, const char *cls)
{
	pa_buf_printf(out, "<div><dt>%s</dt><dd%s%s%s>", name, cls ? " class=\"" : "",
	              cls ? cls : "", cls ? "\"" : "");
}

static void facts(pa_buf *out, const cli_run *r, const pa_context_estimate *ctx)
{
	const pa_trim_report *rep = r->report;
	const char *band = pa_tokenizer_error_band(r->tok);
	size_t window = ctx ? pa_model_context_window(ctx->model) : 0;

	pa_buf_puts(out, "<dl class=\"facts\">");
	fact(out, "Prompt", NULL);
	html_count(out, rep->tokens_before);
	pa_buf_puts(out, "<small>tokens, ");
	html_str(out, pa_tokenizer_name(r->tok));
	if (rep->estimate) {
		pa_buf b = PA_BUF_INIT;

		cli_put_band(&b, r, rep->tokens_before);
		pa_buf_puts(out, ": an estimate; ");
		html_str(out, b.ptr);
		pa_buf_release(&b);
	} else {
		pa_buf_puts(out, ": exact");
	}
	pa_buf_puts(out, "</small></dd></div>");

	fact(out, "Budget", NULL);
	if (!r->has_budget) {
		pa_buf_puts(out, "none<small>give -b N or set one in " PA_CONFIG_FILE
		            "</small>");
	} else {
		html_count(out, rep->budget);
		pa_buf_puts(out, "<small>effective ");
		html_count(out, rep->effective);
		if (rep->reserve) {
			pa_buf_puts(out, ", reserve ");
			html_count(out, rep->reserve);
		}
		if (rep->margin > 0)
			pa_buf_printf(out, ", margin %.3g%%", rep->margin * 100);
		pa_buf_puts(out, "</small>");
	}
	pa_buf_puts(out, "</dd></div>");

	if (!r->has_budget) {
		fact(out, "Outcome", NULL);
		pa_buf_puts(out, "not held to a budget");
	} else if (r->trim_status != PA_OK) {
		fact(out, "Outcome", "over");
		pa_buf_puts(out, "does not fit<small>");
		html_count(out, rep->missing);
		pa_buf_puts(out, " tokens too many even trimmed as far as the rules allow</small>");
	} else if (rep->tokens_after == rep->tokens_before) {
		fact(out, "Outcome", "ok");
		pa_buf_puts(out, "fits<small>nothing trimmed</small>");
	} else {
		fact(out, "Outcome", "warn");
		pa_buf_puts(out, "trimmed<small>to ");
		html_count(out, rep->tokens_after);
		pa_buf_puts(out, " tokens</small>");
	}
	pa_buf_puts(out, "</dd></div>");

	if (ctx) {
		fact(out, "Whole context", NULL);
		pa_buf_puts(out, "about ");
		html_count(out, ctx->tokens);
		pa_buf_puts(out, "<small>");
		html_count(out, ctx->own_tokens);
		pa_buf_puts(out, " of them Claude Code's own text (an estimate, Claude Code ");
		html_str(out, ctx->version);
		pa_buf_puts(out, ")</small></dd></div>");
		fact(out, "Context window", window && ctx->tokens > window ? "over" : NULL);
		if (window) {
			pa_buf_printf(out, "%.1f%%<small>of ", share(ctx->tokens, window));
			html_count(out, window);
			pa_buf_puts(out, " tokens of ");
		} else {
			pa_buf_puts(out, "unknown<small>no window known for ");
		}
		html_str(out, ctx->model);
		pa_buf_puts(out, "</small></dd></div>");
	}
	pa_buf_puts(out, "</dl>\n");
	if (rep->estimate && band[0]) {
		pa_buf_puts(out, "<p class=\"caption\">");
		html_str(out, pa_tokenizer_name(r->tok));
		pa_buf_puts(out, ": ");
		html_str(out, band);
		pa_buf_puts(out, "</p>\n");
	}
}

/* ---- the bars ---- */

static void sections_bar(pa_buf *out, const cli_run *r, const char *id,
                         const size_t *cut_tokens)
{
	const pa_trim_report *rep = r->report;
	size_t i, sum = section_sum(rep), joins, scale;
	double x = 0, unit;
	pa_buf tip = PA_BUF_INIT;
	char sid[64];

	joins = rep->tokens_before > sum ? rep->tokens_before - sum : 0;
	scale = sum + joins;
	if (r->has_budget && rep->effective > scale)
		scale = rep->effective;
	unit = scale ? BAR_W / (double)scale : 0;
	pa_buf_puts(out, "<p class=\"caption\">The prompt, section by section, each "
	            "counted alone and sized by its tokens");
	if (r->has_budget)
		pa_buf_puts(out, "; the dark line is the effective budget");
	pa_buf_puts(out, ". Hover for details, click to read the section.</p>\n");
	svg_open(out, "sections", "the prompt's sections by tokens");
	for (i = 0; i < rep->n_sections; i++) {
		const pa_trim_section *s = &rep->sections[i];
		double w = unit * (double)s->tokens_before;

		pa_buf_reset(&tip);
		pa_buf_printf(&tip, "%s: ", pa_section_kind_name(s->kind));
		Pa_quote_text(&tip, s->path, strlen(s->path));
		pa_buf_putc(&tip, '\n');
		html_count(&tip, s->tokens_before);
		pa_buf_printf(&tip, " tokens, %.1f%% of the sections", share(s->tokens_before, sum));
		if (s->load_cut) {
			pa_buf_putc(&tip, '\n');
			load_line(&tip, s, cut_tokens[i]);
		}
		if (s->action != PA_TRIM_KEPT) {
			pa_buf_putc(&tip, '\n');
			trim_line(&tip, s);
		}
		snprintf(sid, sizeof(sid), "%s-s%zu", id, i);
		bar_part(out, html_kind_class(s->kind), x, w, sid, sid, s->tokens_before,
		         tip.ptr);
		x += w;
	}
	if (joins) {
		pa_buf_reset(&tip);
		pa_buf_puts(&tip, "headings and joins: ");
		html_count(&tip, joins);
		pa_buf_puts(&tip, " tokens (the prompt counted whole, less its sections)");
		bar_part(out, "k-joins", x, unit * (double)joins, NULL, NULL, joins, tip.ptr);
		x += unit * (double)joins;
	}
	if (r->has_budget && x < BAR_W - 0.01) {
		pa_buf_reset(&tip);
		pa_buf_puts(&tip, "room left in the effective budget: ");
		html_count(&tip, rep->effective - (sum + joins));
		pa_buf_puts(&tip, " tokens");
		bar_part(out, "k-room", x, BAR_W - x, NULL, NULL,
		         rep->effective - (sum + joins), tip.ptr);
	}
	if (r->has_budget) {
		double bx = unit * (double)rep->effective;
		pa_buf_printf(out, "<line class=\"limit\" x1=\"%.2f\" x2=\"%.2f\" y1=\"0\" "
		              "y2=\"%d\"><title>effective budget ", bx, bx, BAR_H);
		html_count(out, rep->effective);
		pa_buf_puts(out, "</title></line>");
	}
	pa_buf_puts(out, "</svg>\n<ul class=\"legend\">");
	for (i = PA_SECTION_BODY; i <= PA_SECTION_HOOK; i++) {
		size_t k;
		for (k = 0; k < rep->n_sections; k++)
			if (rep->sections[k].kind == (pa_section_kind)i)
				break;
		if (k < rep->n_sections)
			pa_buf_printf(out, "<li><span class=\"sw %s\"></span>%s</li>",
			              html_kind_class((pa_section_kind)i),
			              pa_section_kind_name((pa_section_kind)i));
	}
	if (joins)
		pa_buf_puts(out, "<li><span class=\"sw k-joins\"></span>headings and joins</li>");
	pa_buf_puts(out, "</ul>\n");
	pa_buf_release(&tip);
}

static void context_bar(pa_buf *out, const pa_context_estimate *ctx)
{
	size_t i, drawn = 0, window = pa_model_context_window(ctx->model);
	double x = 0, unit = ctx->tokens ? BAR_W / (double)ctx->tokens : 0;
	pa_buf tip = PA_BUF_INIT;
	const char *cls;

	pa_buf_puts(out, "<p class=\"caption\">The whole context Claude Code gives the "
	            "agent, an estimate: the prompt as Claude Code receives it, then "
	            "Claude Code's own text, part by part.</p>\n");
	svg_open(out, "context", "the whole context by tokens");
	for (i = 0; i < ctx->n_parts; i++) {
		const pa_context_part *p = &ctx->parts[i];

		if (!p->tokens)
			continue;
		pa_buf_reset(&tip);
		pa_buf_printf(&tip, "%s%s: ", strcmp(p->name, "prompt") ? "Claude Code: " : "",
		              p->name);
		html_count(&tip, p->tokens);
		pa_buf_printf(&tip, " tokens, %.1f%% of the context\n%s",
		              share(p->tokens, ctx->tokens), p->note);
		cls = !strcmp(p->name, "prompt") ? "k-prompt" : drawn++ % 2 ? "k-cc" : "k-cc1";
		bar_part(out, cls, x, unit * (double)p->tokens, NULL, NULL, p->tokens, tip.ptr);
		x += unit * (double)p->tokens;
	}
	pa_buf_puts(out, "</svg>\n<ul class=\"legend\"><li><span class=\"sw k-prompt\">"
	            "</span>the prompt</li><li><span class=\"sw k-cc1\"></span>"
	            "<span class=\"sw k-cc\"></span>Claude Code's own text</li></ul>\n");
	if (window) {
		double w = BAR_W * (double)(ctx->tokens < window ? ctx->tokens : window) /
		           (double)window;

		pa_buf_printf(out, "<p class=\"caption\">Its share of %s's context window: "
		              "%.1f%% of ", "the model", share(ctx->tokens, window));
		html_count(out, window);
		pa_buf_puts(out, " tokens.</p>\n");
		svg_open(out, "thin window", "share of the context window");
		pa_buf_reset(&tip);
		pa_buf_puts(&tip, "the whole context: about ");
		html_count(&tip, ctx->tokens);
		pa_buf_puts(&tip, " tokens");
		bar_part(out, "k-cc1", 0, w, NULL, NULL, ctx->tokens, tip.ptr);
		pa_buf_reset(&tip);
		pa_buf_puts(&tip, "free: ");
		html_count(&tip, window > ctx->tokens ? window - ctx->tokens : 0);
		pa_buf_puts(&tip, " tokens");
		bar_part(out, "k-room", w, BAR_W - w, NULL, NULL,
		         window > ctx->tokens ? window - ctx->tokens : 0, tip.ptr);
		pa_buf_puts(out, "</svg>\n");
	}
	pa_buf_release(&tip);
}

/* ---- the tables ---- */

static void sections_table(pa_buf *out, const cli_run *r, const char *id,
                           const size_t *cut_tokens)
{
	const pa_trim_report *rep = r->report;
	size_t i, sum = section_sum(rep);
	pa_buf line = PA_BUF_INIT;

	pa_buf_puts(out, "<table class=\"secs\"><thead><tr><th>Kind</th><th>Section</th>"
	            "<th class=\"n\">Tokens</th><th class=\"n\">Share</th>"
	            "<th>Load rules and trimmer</th></tr></thead><tbody>\n");
	for (i = 0; i < rep->n_sections; i++) {
		const pa_trim_section *s = &rep->sections[i];
		const char *parent = pa_prompt_section_parent(r->prompt, i);

		pa_buf_printf(out, "<tr><td><span class=\"sw %s\"></span>%s</td>"
		              "<td class=\"path\"><a href=\"#%s-s%zu\">",
		              html_kind_class(s->kind), pa_section_kind_name(s->kind), id, i);
		html_str(out, s->path);
		pa_buf_puts(out, "</a>");
		if (parent) {
			pa_buf_printf(out, "<span class=\"note\">imported by ");
			html_str(out, parent);
			pa_buf_printf(out, ", depth %d</span>", s->depth);
		}
		pa_buf_puts(out, "</td><td class=\"n\">");
		html_count(out, s->tokens_before);
		pa_buf_printf(out, "</td><td class=\"n\">%.1f%%</td><td>",
		              share(s->tokens_before, sum));
		pa_buf_reset(&line);
		load_line(&line, s, cut_tokens[i]);
		if (line.len) {
			pa_buf_puts(out, "<span class=\"note warn\">");
			html_text(out, line.ptr, line.len);
			pa_buf_puts(out, "</span>");
		}
		pa_buf_reset(&line);
		trim_line(&line, s);
		if (line.len) {
			pa_buf_puts(out, "<span class=\"note over\">");
			html_text(out, line.ptr, line.len);
			pa_buf_puts(out, "</span>");
		}
		pa_buf_puts(out, "</td></tr>\n");
	}
	pa_buf_puts(out, "</tbody></table>\n");
	pa_buf_release(&line);
}

static void heavy_table(pa_buf *out, const cli_run *r, const char *id, int h)
{
	size_t i;

	pa_buf_printf(out, "<h%d class=\"part\" id=\"%s-heavy\">Heaviest blocks</h%d>\n",
	              h, id, h);
	pa_buf_puts(out, "<p class=\"caption\">Markdown blocks counted alone, a heading "
	            "with its text; each is marked in the prompt below.</p>\n"
	            "<table><thead><tr><th class=\"n\">#</th><th class=\"n\">Tokens</th>"
	            "<th>Where</th><th>Block</th></tr></thead><tbody>\n");
	for (i = 0; i < r->nheavy; i++) {
		const pa_heavy_block *hb = &r->heavy[i];

		pa_buf_printf(out, "<tr><td class=\"n\"><a href=\"#%s-h%zu\">%zu</a></td>"
		              "<td class=\"n\">", id, i + 1, i + 1);
		html_count(out, hb->tokens);
		pa_buf_puts(out, "</td><td class=\"path mono\">");
		html_str(out, hb->path);
		if (hb->line)
			pa_buf_printf(out, ":%ld", hb->line);
		pa_buf_puts(out, "</td><td>");
		html_str(out, hb->kind);
		pa_buf_puts(out, " <code>");
		html_str(out, hb->label);
		pa_buf_puts(out, "</code></td></tr>\n");
	}
	pa_buf_puts(out, "</tbody></table>\n");
}

static void claude_code_table(pa_buf *out, const pa_context_estimate *ctx, int h)
{
	size_t i, j;

	pa_buf_printf(out, "<h%d class=\"part\">Claude Code's own text</h%d>\n"
	              "<p class=\"caption\">Estimated from figures of Claude Code ", h, h);
	html_str(out, ctx->version);
	pa_buf_puts(out, " for model ");
	html_str(out, ctx->model);
	pa_buf_puts(out, ".</p>\n<table><thead><tr><th class=\"n\">Tokens</th>"
	            "<th>Part</th><th>What it holds</th></tr></thead><tbody>\n");
	for (i = 0; i < ctx->n_parts; i++) {
		const pa_context_part *p = &ctx->parts[i];

		pa_buf_puts(out, "<tr><td class=\"n\">");
		html_count(out, p->tokens);
		pa_buf_puts(out, "</td><td>");
		html_str(out, p->name);
		pa_buf_puts(out, "</td><td>");
		html_str(out, p->note);
		if (!strcmp(p->name, "tools") && ctx->n_tools) {
			pa_buf_puts(out, "<span class=\"note\">");
			for (j = 0; j < ctx->n_tools; j++) {
				pa_buf_puts(out, j ? ", " : "");
				html_str(out, ctx->tools[j].name);
				pa_buf_putc(out, ' ');
				html_count(out, ctx->tools[j].tokens);
			}
			pa_buf_puts(out, "</span>");
		}
		pa_buf_puts(out, "</td></tr>\n");
	}
	pa_buf_puts(out, "</tbody></table>\n");
	if (ctx->n_notes) {
		pa_buf_puts(out, "<ul class=\"note-list\">");
		for (i = 0; i < ctx->n_notes; i++) {
			pa_buf_puts(out, "<li>");
			html_str(out, ctx->notes[i]);
			pa_buf_puts(out, "</li>");
		}
		pa_buf_puts(out, "</ul>\n");
	}
}

static void warnings_list(pa_buf *out, const pa_warnings *w, int h)
{
	size_t i;

	if (!w->n)
		return;
	pa_buf_printf(out, "<h%d class=\"part\">Load rules</h%d>\n<ul class=\"note-list\">",
	              h, h);
	for (i = 0; i < w->n; i++) {
		pa_buf_puts(out, "<li class=\"warn\">");
		html_str(out, w->items[i].message);
		pa_buf_puts(out, "</li>");
	}
	pa_buf_puts(out, "</ul>\n");
}

/* ---- the text ---- */

/* The key of a section's view: what decides every token box of it (the
 * tokenizer, the text before and after trimming, what the load rules cut
 * and where), hashed: "t-" and 64 hex digits. */
static void shared_key(const cli_run *r, const html_section *hs, char key[67])
{
	pa_buf b = PA_BUF_INIT;
	const char *name = pa_tokenizer_name(r->tok);

	pa_buf_printf(&b, "%s%c%zu %zu %zu %zu%c", name, 0, hs->len,
	              hs->final_len, hs->cut_len, hs->cut_at, 0);
	pa_buf_put(&b, hs->text, hs->len);
	pa_buf_put(&b, hs->final, hs->final_len);
	if (hs->cut)
		pa_buf_put(&b, hs->cut, hs->cut_len);
	memcpy(key, "t-", 2);
	Pa_sha256_hex(b.ptr, b.len, key + 2);
	pa_buf_release(&b);
}

static pa_status prompt_text(pa_buf *out, const cli_run *r, const char *id,
                             int h, Pa_strset *shared, pa_error *err)
{
	const pa_trim_report *rep = r->report;
	size_t i, n = pa_prompt_section_count(r->prompt);
	pa_buf line = PA_BUF_INIT;
	char sid[64];
	pa_status st = PA_OK;

	pa_buf_printf(out, "<h%d class=\"part\">The prompt</h%d>\n", h, h);
	pa_buf_puts(out, "<p class=\"caption\">Every token a box, in turn "
	            "<span class=\"key key-a\">blue</span> and <span class=\"key key-b\">"
	            "yellow</span>; spaces show as \xe2\x90\xa3, line feeds as \\n, as "
	            "<code>promptasm tokenize --pieces</code> shows them.  <span "
	            "class=\"key key-d\">Struck out</span>: removed by the trimmer; <span "
	            "class=\"key key-ins\">green</span>: the marker it writes; <span "
	            "class=\"key key-lc\">tinted</span>: what the load rules left out, "
	            "not counted; <span class=\"key key-hb\">#1</span>: the heaviest "
	            "blocks, underlined.</p>\n");
	for (i = 0; i < n && i < rep->n_sections && st == PA_OK; i++) {
		const pa_trim_section *s = &rep->sections[i];
		const char *heading = pa_prompt_section_heading(r->prompt, i);
		html_section hs;
		size_t boxes = 0;

		memset(&hs, 0, sizeof(hs));
		if ((hs.text = pa_assembly_untrimmed(r->a, i, &hs.len))) {
			hs.final = pa_prompt_section_text(r->prompt, i, &hs.final_len);
			hs.trim = s;
		} else {
			hs.text = pa_prompt_section_text(r->prompt, i, &hs.len);
			hs.final = hs.text;
			hs.final_len = hs.len;
		}
		hs.cut = pa_prompt_section_cut_text(r->prompt, i, &hs.cut_len, &hs.cut_at);
		hs.heavy = r->heavy;
		hs.nheavy = r->nheavy;
		hs.index = i;
		hs.id = id;
		snprintf(sid, sizeof(sid), "%s-s%zu", id, i);
		pa_buf_printf(out, "<section class=\"sec\" id=\"%s\" data-kind=\"%s\" "
		              "data-tokens=\"%zu\" data-path=\"", sid,
		              pa_section_kind_name(s->kind), s->tokens_before);
		html_str(out, s->path);
		pa_buf_printf(out, "\"><header><span class=\"sw %s\"></span><h%d>",
		              html_kind_class(s->kind), h + 1);
		html_str(out, heading[0] ? heading : s->path);
		pa_buf_printf(out, "</h%d><span>", h + 1);
		html_count(out, s->tokens_before);
		pa_buf_puts(out, " tokens</span>");
		pa_buf_reset(&line);
		trim_line(&line, s);
		if (line.len) {
			pa_buf_puts(out, "<span class=\"over\">");
			html_text(out, line.ptr, line.len);
			pa_buf_puts(out, "</span>");
		}
		pa_buf_puts(out, "</header>");
		if (shared && hs.len >= HTML_SHARED_MIN_BYTES) {
			char key[67];

			shared_key(r, &hs, key);
			if (!Pa_strset_add(shared, key, strlen(key))) {
				/* Shown above: a link, and the key for the
				 * self-test, which counts the boxes there. */
				pa_buf_printf(out, "<p class=\"caption\" data-same=\"%s\">The "
				              "same text, trimmed the same way, is <a href="
				              "\"#%s\">shown above</a> with its tokens (a "
				              "section is shown once in a page).</p></section>\n",
				              key, key);
				continue;
			}
			pa_buf_printf(out, "<span id=\"%s\"></span>", key);
		}
		st = html_tokens(out, r->tok, &hs, &boxes, err);
		pa_buf_puts(out, "</section>\n");
	}
	pa_buf_release(&line);
	return st;
}

pa_status html_agent(pa_buf *out, const cli_run *r,
                     const pa_context_estimate *ctx, const char *id, int level,
                     Pa_strset *shared, pa_error *err)
{
	const pa_trim_report *rep = r->report;
	size_t i, *cut_tokens = Pa_xcalloc(rep->n_sections + 1, sizeof(*cut_tokens));
	pa_status st = PA_OK;

	/* What the load rules left out, counted for the notes only. */
	for (i = 0; i < rep->n_sections && st == PA_OK; i++) {
		size_t len, at;
		const char *cut = pa_prompt_section_cut_text(r->prompt, i, &len, &at);

		if (cut)
			st = pa_tokenizer_count(r->tok, cut, len, &cut_tokens[i], err);
	}
	if (st != PA_OK) {
		free(cut_tokens);
		return st;
	}
	pa_buf_printf(out, "<section class=\"agent\" id=\"%s\" data-tokens=\"%zu\" "
	              "data-name=\"", id, rep->tokens_before);
	html_str(out, pa_agent_name(r->agent));
	pa_buf_printf(out, "\">\n<h%d class=\"title\">", level);
	html_str(out, pa_agent_name(r->agent));
	pa_buf_printf(out, "</h%d>\n<p class=\"sub mono\">", level);
	html_str(out, pa_agent_path(r->agent));
	pa_buf_puts(out, "</p>\n");
	facts(out, r, ctx);
	pa_buf_printf(out, "<h%d class=\"part\">Where the tokens go</h%d>\n", level + 1,
	              level + 1);
	sections_bar(out, r, id, cut_tokens);
	if (ctx)
		context_bar(out, ctx);
	pa_buf_printf(out, "<h%d class=\"part\">Sections</h%d>\n", level + 1, level + 1);
	sections_table(out, r, id, cut_tokens);
	heavy_table(out, r, id, level + 1);
	warnings_list(out, r->warn, level + 1);
	if (ctx)
		claude_code_table(out, ctx, level + 1);
	st = prompt_text(out, r, id, level + 1, shared, err);
	pa_buf_puts(out, "</section>\n");
	free(cut_tokens);
	return st;
}
