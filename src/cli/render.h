/*
 * render.h - the pieces of JSON the agent commands share, so that the
 * same things have the same keys everywhere (promptasm(1), JSON OUTPUT).
 */
#ifndef PA_CLI_RENDER_H
#define PA_CLI_RENDER_H

#include "pipeline.h"

/* What the trimmer did, in a word: "cut", "emptied", "dropped", "kept". */
const char *cli_trim_action_word(pa_trim_action a);

/* What the trimmer did to a section, for every format: "trimmer: cut,
 * 94 -> 26 tokens, trimmed 68 (its marker 19), 2 of 5 blocks removed
 * (over budget, priority 30)": its text before and kept, what the marker
 * says was trimmed and the marker's own tokens, all from the report's one
 * set of figures; with its own arrow and way of writing a count. */
void cli_trim_line(pa_buf *b, const pa_trim_section *s, const char *arrow,
                   void (*put_count)(pa_buf *, size_t));

/* "budget": null, or what the trimmer aimed at and reached. */
void cli_json_budget(Pa_jw *w, const cli_run *r);

/* "warnings": [{"path", "line", "message"}, ...] */
void cli_json_warnings(Pa_jw *w, const pa_warnings *warn);

/* "band": {"model", "low", "high"} of an estimate (pa_assembly_band()),
 * or null for an exact count. */
void cli_json_band(Pa_jw *w, const cli_run *r);

/* "claude_code": {"version", "model", "estimate", "figures", "tokens",
 * "own_tokens", "components": [{"name", "tokens"}],
 * "tools": [{"name", "tokens", "known"}], "notes": [...]}, or null. */
void cli_json_claude_code(Pa_jw *w, const pa_context_estimate *e);

/* Markdown, the one escaper of every Markdown we write (check's table
 * and comment, context's): text quoted by the one rule (util.h), then
 * what Markdown or GitHub would read as syntax, a link, a mention or an
 * issue reference escaped.  cli_md_escape() takes text already quoted;
 * cli_md_value() a name or path (shortened as a table cell);
 * cli_md_text() running text (whole). */
void cli_md_escape(pa_buf *out, const char *s);
void cli_md_value(pa_buf *out, const char *s);
void cli_md_text(pa_buf *out, const char *s);

#endif
