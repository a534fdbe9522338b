/*
 * html_agent.h - one agent's view in an HTML report (html.h): explain's
 * whole page, and one of check's.
 */
#ifndef PA_CLI_HTML_AGENT_H
#define PA_CLI_HTML_AGENT_H

#include "pipeline.h"
#include "util.h"

/* A section of at least this many bytes that a page already shows (the
 * same text, trimmed the same way, counted by the same tokenizer) is shown
 * once: the other agents' views link to it.  51 agents sharing a 1 MB
 * CLAUDE.md made a page of 148 MB; a smaller section costs less in place
 * than a link costs a reader. */
#define HTML_SHARED_MIN_BYTES 2048

/* Appends <section class="agent" id="ID">: r taken with HTML_RUN, its
 * whole-context estimate ctx (r's own, or one check took from it), its
 * title a heading of that level (1 or 2).  Element ids start with id.
 * shared (NULL: none) holds the keys of the sections the page shows
 * already (above). */
pa_status html_agent(pa_buf *out, const cli_run *r,
                     const pa_context_estimate *ctx, const char *id, int level,
                     Pa_strset *shared, pa_error *err);

#endif
