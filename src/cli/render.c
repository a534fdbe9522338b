/* render.c - JSON pieces shared by build, explain and check (the writer
 * is util.h's). */
#include "render.h"

#include <string.h>

void cli_json_budget(pa_jw *w, const cli_run *r)
{
	const pa_trim_report *rep = r->report;

	if (!r->has_budget || !rep) {
		pa_jw_null(w, "budget");
		return;
	}
	pa_jw_object(w, "budget", PA_JW_INLINE);
	pa_jw_uint(w, "budget", rep->budget);
	pa_jw_uint(w, "effective", rep->effective);
	pa_jw_uint(w, "reserve", rep->reserve);
	pa_jw_real(w, "margin", 4, 0, rep->margin);
	pa_jw_uint(w, "tokens_before", rep->tokens_before);
	pa_jw_uint(w, "tokens_after", rep->tokens_after);
	pa_jw_bool(w, "fits", r->trim_status == PA_OK);
	pa_jw_uint(w, "missing", rep->missing);
	pa_jw_end(w);
}

void cli_json_band(pa_jw *w, const cli_run *r)
{
	if (!r->estimate) {
		pa_jw_null(w, "band");
		return;
	}
	pa_jw_object(w, "band", PA_JW_INLINE);
	pa_jw_str(w, "model", r->cc_model);
	pa_jw_real(w, "low", 2, 1, r->band_low);
	pa_jw_real(w, "high", 2, 1, r->band_high);
	pa_jw_end(w);
}

void cli_json_warnings(pa_jw *w, const pa_warnings *warn)
{
	size_t i;

	pa_jw_array(w, "warnings", PA_JW_LINES);
	for (i = 0; i < warn->n; i++) {
		pa_jw_object(w, NULL, PA_JW_INLINE);
		pa_jw_str(w, "path", warn->items[i].path);
		if (warn->items[i].line > 0)
			pa_jw_int(w, "line", warn->items[i].line);
		else
			pa_jw_null(w, "line");
		pa_jw_str(w, "message", warn->items[i].message);
		pa_jw_end(w);
	}
	pa_jw_end(w);
}

void cli_json_claude_code(pa_jw *w, const pa_context_estimate *e)
{
	size_t i;

	if (!e) {
		pa_jw_null(w, "claude_code");
		return;
	}
	pa_jw_object(w, "claude_code", PA_JW_INLINE);
	pa_jw_str(w, "version", e->version);
	pa_jw_str(w, "model", e->model);
	pa_jw_bool(w, "estimate", 1);
	pa_jw_str(w, "figures", e->figures);
	pa_jw_uint(w, "tokens", e->tokens);
	pa_jw_uint(w, "own_tokens", e->own_tokens);
	pa_jw_break(w);
	pa_jw_array(w, "components", PA_JW_INLINE);
	for (i = 0; i < e->n_parts; i++) {
		pa_jw_object(w, NULL, PA_JW_INLINE);
		pa_jw_str(w, "name", e->parts[i].name);
		pa_jw_uint(w, "tokens", e->parts[i].tokens);
		pa_jw_end(w);
	}
	pa_jw_end(w);
	pa_jw_break(w);
	pa_jw_array(w, "tools", PA_JW_INLINE);
	for (i = 0; i < e->n_tools; i++) {
		pa_jw_object(w, NULL, PA_JW_INLINE);
		pa_jw_str(w, "name", e->tools[i].name);
		pa_jw_uint(w, "tokens", e->tools[i].tokens);
		pa_jw_bool(w, "known", e->tools[i].known);
		pa_jw_end(w);
	}
	pa_jw_end(w);
	pa_jw_break(w);
	pa_jw_array(w, "notes", PA_JW_INLINE);
	for (i = 0; i < e->n_notes; i++)
		pa_jw_str(w, NULL, e->notes[i]);
	pa_jw_end(w);
	pa_jw_end(w);
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
