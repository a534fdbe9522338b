/* render.c - JSON pieces shared by build, explain and check. */
#include "render.h"

#include <string.h>

void cli_json_str(pa_buf *out, const char *s)
{
	if (s)
		pa_json_put_string(out, s, strlen(s));
	else
		pa_buf_puts(out, "null");
}

void cli_json_budget(pa_buf *out, const cli_run *r)
{
	const pa_trim_report *rep = r->report;

	pa_buf_puts(out, "\"budget\": ");
	if (!r->has_budget || !rep) {
		pa_buf_puts(out, "null");
		return;
	}
	pa_buf_printf(out, "{\"budget\": %zu, \"effective\": %zu, \"reserve\": %zu, "
	              "\"margin\": %.4g, \"tokens_before\": %zu, \"tokens_after\": %zu, "
	              "\"fits\": %s, \"missing\": %zu}",
	              rep->budget, rep->effective, rep->reserve, rep->margin,
	              rep->tokens_before, rep->tokens_after,
	              r->trim_status == PA_OK ? "true" : "false", rep->missing);
}

void cli_json_band(pa_buf *out, const cli_run *r)
{
	pa_buf_puts(out, "\"band\": ");
	if (!r->estimate) {
		pa_buf_puts(out, "null");
		return;
	}
	pa_buf_puts(out, "{\"model\": ");
	cli_json_str(out, r->cc_model);
	pa_buf_printf(out, ", \"low\": %.2f, \"high\": %.2f}", r->band_low,
	              r->band_high);
}

void cli_json_warnings(pa_buf *out, const pa_warnings *w, const char *indent)
{
	size_t i;

	pa_buf_puts(out, "\"warnings\": [");
	for (i = 0; i < w->n; i++) {
		pa_buf_printf(out, "%s\n%s  {\"path\": ", i ? "," : "", indent);
		cli_json_str(out, w->items[i].path);
		if (w->items[i].line > 0)
			pa_buf_printf(out, ", \"line\": %ld", w->items[i].line);
		else
			pa_buf_puts(out, ", \"line\": null");
		pa_buf_puts(out, ", \"message\": ");
		cli_json_str(out, w->items[i].message);
		pa_buf_putc(out, '}');
	}
	if (w->n)
		pa_buf_printf(out, "\n%s", indent);
	pa_buf_putc(out, ']');
}

void cli_json_claude_code(pa_buf *out, const pa_context_estimate *e,
                          const char *indent)
{
	size_t i;

	pa_buf_puts(out, "\"claude_code\": ");
	if (!e) {
		pa_buf_puts(out, "null");
		return;
	}
	pa_buf_puts(out, "{\"version\": ");
	cli_json_str(out, e->version);
	pa_buf_puts(out, ", \"model\": ");
	cli_json_str(out, e->model);
	pa_buf_puts(out, ", \"estimate\": true, \"figures\": ");
	cli_json_str(out, e->figures);
	pa_buf_printf(out, ", \"tokens\": %zu, \"own_tokens\": %zu,\n%s  "
	              "\"components\": [", e->tokens, e->own_tokens, indent);
	for (i = 0; i < e->n_parts; i++) {
		pa_buf_puts(out, i ? ", {\"name\": " : "{\"name\": ");
		cli_json_str(out, e->parts[i].name);
		pa_buf_printf(out, ", \"tokens\": %zu}", e->parts[i].tokens);
	}
	pa_buf_printf(out, "],\n%s  \"tools\": [", indent);
	for (i = 0; i < e->n_tools; i++) {
		pa_buf_puts(out, i ? ", {\"name\": " : "{\"name\": ");
		cli_json_str(out, e->tools[i].name);
		pa_buf_printf(out, ", \"tokens\": %zu, \"known\": %s}", e->tools[i].tokens,
		              e->tools[i].known ? "true" : "false");
	}
	pa_buf_printf(out, "],\n%s  \"notes\": [", indent);
	for (i = 0; i < e->n_notes; i++) {
		pa_buf_puts(out, i ? ", " : "");
		cli_json_str(out, e->notes[i]);
	}
	pa_buf_puts(out, "]}");
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
