/* render.c - JSON pieces shared by build, explain and check (the writer
 * is util.h's). */
#include "render.h"

#include <ctype.h>
#include <string.h>

void cli_json_budget(Pa_jw *w, const cli_run *r)
{
	const pa_trim_report *rep = r->report;

	if (!r->has_budget || !rep) {
		Pa_jw_null(w, "budget");
		return;
	}
	Pa_jw_object(w, "budget", PA_JW_INLINE);
	Pa_jw_uint(w, "budget", rep->budget);
	Pa_jw_uint(w, "effective", rep->effective);
	Pa_jw_uint(w, "reserve", rep->reserve);
	Pa_jw_real(w, "margin", 4, 0, rep->margin);
	Pa_jw_uint(w, "tokens_before", rep->tokens_before);
	Pa_jw_uint(w, "tokens_after", rep->tokens_after);
	Pa_jw_bool(w, "fits", r->trim_status == PA_OK);
	Pa_jw_uint(w, "missing", rep->missing);
	Pa_jw_end(w);
}

void cli_json_band(Pa_jw *w, const cli_run *r)
{
	if (!r->estimate) {
		Pa_jw_null(w, "band");
		return;
	}
	Pa_jw_object(w, "band", PA_JW_INLINE);
	Pa_jw_str(w, "model", r->cc_model);
	Pa_jw_real(w, "low", 2, 1, r->band_low);
	Pa_jw_real(w, "high", 2, 1, r->band_high);
	Pa_jw_end(w);
}

void cli_json_warnings(Pa_jw *w, const pa_warnings *warn)
{
	size_t i;

	Pa_jw_array(w, "warnings", PA_JW_LINES);
	for (i = 0; i < warn->n; i++) {
		Pa_jw_object(w, NULL, PA_JW_INLINE);
		Pa_jw_str(w, "path", warn->items[i].path);
		if (warn->items[i].line > 0)
			Pa_jw_int(w, "line", warn->items[i].line);
		else
			Pa_jw_null(w, "line");
		Pa_jw_str(w, "message", warn->items[i].message);
		Pa_jw_end(w);
	}
	Pa_jw_end(w);
}

void cli_json_claude_code(Pa_jw *w, const pa_context_estimate *e)
{
	size_t i;

	if (!e) {
		Pa_jw_null(w, "claude_code");
		return;
	}
	Pa_jw_object(w, "claude_code", PA_JW_INLINE);
	Pa_jw_str(w, "version", e->version);
	Pa_jw_str(w, "model", e->model);
	Pa_jw_bool(w, "estimate", 1);
	Pa_jw_str(w, "figures", e->figures);
	Pa_jw_bool(w, "model_measured", e->model_measured);
	Pa_jw_uint(w, "tokens", e->tokens);
	Pa_jw_uint(w, "own_tokens", e->own_tokens);
	Pa_jw_break(w);
	Pa_jw_array(w, "components", PA_JW_INLINE);
	for (i = 0; i < e->n_parts; i++) {
		Pa_jw_object(w, NULL, PA_JW_INLINE);
		Pa_jw_str(w, "name", e->parts[i].name);
		Pa_jw_uint(w, "tokens", e->parts[i].tokens);
		Pa_jw_end(w);
	}
	Pa_jw_end(w);
	Pa_jw_break(w);
	Pa_jw_array(w, "tools", PA_JW_INLINE);
	for (i = 0; i < e->n_tools; i++) {
		Pa_jw_object(w, NULL, PA_JW_INLINE);
		Pa_jw_str(w, "name", e->tools[i].name);
		Pa_jw_uint(w, "tokens", e->tools[i].tokens);
		Pa_jw_bool(w, "known", e->tools[i].known);
		Pa_jw_end(w);
	}
	Pa_jw_end(w);
	Pa_jw_break(w);
	Pa_jw_array(w, "notes", PA_JW_INLINE);
	for (i = 0; i < e->n_notes; i++)
		Pa_jw_str(w, NULL, e->notes[i]);
	Pa_jw_end(w);
	Pa_jw_end(w);
}

const char *cli_trim_action_word(pa_trim_action a)
{
	switch (a) {
	case PA_TRIM_CUT: return "cut";
	case PA_TRIM_EMPTIED: return "emptied";
	case PA_TRIM_DROPPED: return "dropped";
	case PA_TRIM_KEPT: break;
	}
	return "kept";
}

void cli_trim_line(pa_buf *b, const pa_trim_section *s, const char *arrow,
                   void (*put_count)(pa_buf *, size_t))
{
	pa_buf_printf(b, "trimmer: %s, ", cli_trim_action_word(s->action));
	put_count(b, s->tokens_before);
	pa_buf_puts(b, arrow);
	put_count(b, s->tokens_kept);
	pa_buf_puts(b, " tokens, trimmed ");
	put_count(b, s->tokens_removed);
	if (s->marker) {
		pa_buf_puts(b, " (its marker ");
		put_count(b, s->marker_tokens);
		pa_buf_putc(b, ')');
	}
	pa_buf_printf(b, ", %zu of %zu block%s removed%s (%s, priority %ld)",
	              s->blocks_removed, s->blocks, s->blocks == 1 ? "" : "s",
	              s->cut_inside ? ", one cut inside" : "",
	              !strcmp(s->reason, "cap") ? "over its cap" : "over budget",
	              s->priority);
}

/* Text in a Markdown table cell or list item, quoted first (util.h: no
 * line break or control character is left), then the characters Markdown
 * (and the HTML GitHub renders from it) would read as syntax escaped, so
 * a name cannot break the table or inject a link.  GitHub also links what
 * looks like a mention (`@octocat`, `@github/security`, an e-mail
 * address), an issue (`#12`, `GH-12`) or a web address (`www.x`, `https://x`):
 * a zero-width space after `@` and `#` and before the `-` of `GH-` (as a
 * character reference, so the
 * report holds no invisible character) and `.`, `:` as references keep
 * such text from pinging anyone or becoming a link.  GitHub renders text
 * between `$` signs as LaTeX with MathJax (after Markdown's own escapes, so
 * `\\color` reaches it as `\color`): a `$` is put in a span of its own,
 * as GitHub's documentation writes a dollar sign that is no delimiter, so
 * that a name cannot draw a formula, huge or coloured text, in a comment. */
void cli_md_escape(pa_buf *out, const char *s)
{
	const char *start = s;

	for (; *s; s++) {
		if (*s == '@')
			pa_buf_puts(out, "@&#8203;");
		else if (*s == '#' && s[1] >= '0' && s[1] <= '9')
			pa_buf_puts(out, "\\#&#8203;");
		else if (*s == '-' && s[1] >= '0' && s[1] <= '9' && s - start >= 2 &&
		         (s[-1] | 0x20) == 'h' && (s[-2] | 0x20) == 'g' &&
		         (s - start == 2 || !isalnum((unsigned char)s[-3])))
			pa_buf_puts(out, "&#8203;-"); /* GH-12: an issue reference */
		else if (*s == '.' && s - start >= 3 && (s[-1] | 0x20) == 'w' &&
		         (s[-2] | 0x20) == 'w' && (s[-3] | 0x20) == 'w')
			pa_buf_puts(out, "&#46;");
		else if (*s == ':' && s[1] == '/' && s[2] == '/')
			pa_buf_puts(out, "&#58;");
		else if (*s == '$')
			pa_buf_puts(out, "<span>$</span>");
		else if (*s == '<')
			pa_buf_puts(out, "&lt;");
		else if (*s == '>')
			pa_buf_puts(out, "&gt;");
		else if (*s == '&')
			pa_buf_puts(out, "&amp;");
		else if (strchr("\\`*_[]|#!~", *s))
			pa_buf_printf(out, "\\%c", *s);
		else
			pa_buf_putc(out, *s);
	}
}

/* A name or path (Pa_quote, shortened as a table cell), or running text
 * (Pa_quote_text), in Markdown. */
void cli_md_value(pa_buf *out, const char *s)
{
	pa_buf q = PA_BUF_INIT;

	Pa_quote_cell(&q, s, CLI_CELL_MAX);
	cli_md_escape(out, q.ptr);
	pa_buf_release(&q);
}

void cli_md_text(pa_buf *out, const char *s)
{
	pa_buf q = PA_BUF_INIT;

	Pa_quote_text(&q, s, strlen(s));
	cli_md_escape(out, q.ptr);
	pa_buf_release(&q);
}
