/*
 * html_page.h - what the parts of an HTML report share: the page around
 * them and the one way text reaches it.
 *
 * Every byte of text from a project (prompt text, paths, names, messages)
 * goes through html_text(), which escapes it for an element's content and
 * for a quoted attribute alike.  The page's one script and one style are
 * constants (report.js, report.css); its Content-Security-Policy allows
 * them by their SHA-256 and nothing else: no other script, style, image,
 * font, frame or connection, so even markup that escaped would neither
 * run nor load anything.
 */
#ifndef PA_CLI_HTML_PAGE_H
#define PA_CLI_HTML_PAGE_H

#include "promptasm.h"
#include "util.h"

/* Appends the page's start: doctype, the policy, title (escaped), the
 * style, and the opening of the body. */
void html_page_begin(pa_buf *out, const char *title);
/* Appends the script and the end of the page. */
void html_page_end(pa_buf *out);

/* Appends text escaped for HTML content and quoted attributes: quoted as
 * running text by the one rule (util.h: control characters, line breaks
 * and invalid UTF-8 become visible escapes), then & < > " ' become
 * references. */
void html_text(pa_buf *out, const char *s, size_t len);
/* The same for text of several lines (what a load rule or the trimmer
 * left out, a tooltip): each line as html_text(), the line feeds kept. */
void html_text_lines(pa_buf *out, const char *s, size_t len);
void html_str(pa_buf *out, const char *s); /* NUL-terminated; NULL: nothing */

/* Appends v with thousands separators, as the text output shows counts. */
void html_count(pa_buf *out, size_t v);

/* The class that colours a section kind ("k-memory"). */
const char *html_kind_class(pa_section_kind kind);

/* Appends the CLAUDE.md files loaded on demand (context's and explain's
 * page, as their text lists them): a table of each file's directory, path
 * and tokens, after caption (the sum of their tokens follows it).
 * Nothing when n is 0. */
void html_on_demand(pa_buf *out, const pa_on_demand_file *f, size_t n,
                    const char *caption);

#endif
