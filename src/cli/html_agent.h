/*
 * html_agent.h - one agent's view in an HTML report (html.h): explain's
 * whole page, and one of check's.
 */
#ifndef PA_CLI_HTML_AGENT_H
#define PA_CLI_HTML_AGENT_H

#include "pipeline.h"

/* Appends <section class="agent" id="ID">: r taken with HTML_RUN, its
 * whole-context estimate ctx (r's own, or one check took from it), its
 * title a heading of that level (1 or 2).  Element ids start with id. */
pa_status html_agent(pa_buf *out, const cli_run *r,
                     const pa_context_estimate *ctx, const char *id, int level,
                     pa_error *err);

#endif
