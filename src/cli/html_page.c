/* html_page.c - the page around an HTML report: its policy, style and
 * script, and escaping (see html_page.h). */
#include "html_page.h"
#include "util.h"

#include <string.h>

/* report.css and report.js, as the Makefile turns them into C strings. */
static const char style[] =
#include "report.css.inc"
	;
static const char script[] =
#include "report.js.inc"
	;

/* 'sha256-<base64 of the digest>', the form a policy names a source by. */
static void put_hash_source(pa_buf *out, const char *text, size_t len)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char d[33];
	size_t i;

	Pa_sha256(text, len, d);
	d[32] = 0;
	pa_buf_puts(out, "'sha256-");
	/* 32 bytes: ten groups of three, then two bytes and one '='. */
	for (i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 |
		             (i + 2 < 33 ? d[i + 2] : 0);
		pa_buf_putc(out, b64[v >> 18 & 63]);
		pa_buf_putc(out, b64[v >> 12 & 63]);
		pa_buf_putc(out, i + 1 < 32 ? b64[v >> 6 & 63] : '=');
		pa_buf_putc(out, i + 2 < 32 ? b64[v & 63] : '=');
	}
	pa_buf_putc(out, '\'');
}

void html_page_begin(pa_buf *out, const char *title)
{
	pa_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	            "<meta charset=\"utf-8\">\n"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	            "<meta http-equiv=\"Content-Security-Policy\" content=\""
	            "default-src 'none'; style-src ");
	put_hash_source(out, style, sizeof(style) - 1);
	pa_buf_puts(out, "; script-src ");
	put_hash_source(out, script, sizeof(script) - 1);
	pa_buf_puts(out, "; img-src 'none'; base-uri 'none'; form-action 'none'\">\n"
	            "<meta name=\"referrer\" content=\"no-referrer\">\n"
	            "<meta name=\"generator\" content=\"promptasm " PA_VERSION "\">\n"
	            "<title>");
	html_str(out, title);
	pa_buf_puts(out, "</title>\n<style>");
	pa_buf_put(out, style, sizeof(style) - 1);
	pa_buf_puts(out, "</style>\n</head>\n<body>\n<div class=\"page\">\n");
}

void html_page_end(pa_buf *out)
{
	pa_buf_puts(out, "</div>\n<script>");
	pa_buf_put(out, script, sizeof(script) - 1);
	pa_buf_puts(out, "</script>\n</body>\n</html>\n");
}

void html_text(pa_buf *out, const char *s, size_t len)
{
	size_t i = 0, start = 0;
	pa_buf fixed = PA_BUF_INIT;

	/* The quoting rule first (util.h): no control character, no line
	 * break and no invalid UTF-8 is left, then the references. */
	Pa_quote_text(&fixed, s, len);
	s = fixed.ptr;
	len = fixed.len;
	for (i = 0; i < len; i++) {
		const char *ref;

		switch (s[i]) {
		case '&': ref = "&amp;"; break;
		case '<': ref = "&lt;"; break;
		case '>': ref = "&gt;"; break;
		case '"': ref = "&quot;"; break;
		case '\'': ref = "&#39;"; break;
		default: continue;
		}
		pa_buf_put(out, s + start, i - start);
		pa_buf_puts(out, ref);
		start = i + 1;
	}
	pa_buf_put(out, s + start, len - start);
	pa_buf_release(&fixed);
}

void html_text_lines(pa_buf *out, const char *s, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		n = i;
		while (n < len && s[n] != '\n')
			n++;
		html_text(out, s + i, n - i);
		if (n < len)
			pa_buf_putc(out, '\n');
		i = n + 1;
	}
}

void html_str(pa_buf *out, const char *s)
{
	if (s)
		html_text(out, s, strlen(s));
}

void html_count(pa_buf *out, size_t v)
{
	pa_buf_put_count(out, v);
}

void html_on_demand(pa_buf *out, const pa_on_demand_file *f, size_t n,
                    const char *caption)
{
	size_t k, sum = 0;

	if (!n)
		return;
	for (k = 0; k < n; k++)
		sum += f[k].tokens;
	pa_buf_puts(out, "<section><h2>Loaded on demand</h2><p class=\"caption\">");
	html_str(out, caption);
	pa_buf_puts(out, " (");
	html_count(out, sum);
	pa_buf_puts(out, " tokens in all).</p><table id=\"on-demand\"><thead><tr>"
	            "<th>Directory</th><th>File</th><th class=\"num\">Tokens</th>"
	            "</tr></thead><tbody>\n");
	for (k = 0; k < n; k++) {
		pa_buf_printf(out, "<tr data-tokens=\"%zu\"><td>", f[k].tokens);
		html_str(out, *f[k].trigger ? f[k].trigger : "./");
		pa_buf_puts(out, "</td><td>");
		html_str(out, f[k].path);
		pa_buf_puts(out, "</td><td class=\"num\">");
		html_count(out, f[k].tokens);
		pa_buf_puts(out, "</td></tr>\n");
	}
	pa_buf_puts(out, "</tbody></table></section>\n");
}

const char *html_kind_class(pa_section_kind kind)
{
	switch (kind) {
	case PA_SECTION_BODY: return "k-body";
	case PA_SECTION_MEMORY: return "k-memory";
	case PA_SECTION_MANAGED: return "k-managed";
	case PA_SECTION_USER: return "k-user";
	case PA_SECTION_PROJECT: return "k-project";
	case PA_SECTION_LOCAL: return "k-local";
	case PA_SECTION_RULE: return "k-rule";
	case PA_SECTION_IMPORT: return "k-import";
	case PA_SECTION_SKILL: return "k-skill";
	case PA_SECTION_AUTO_MEMORY: return "k-memory";
	case PA_SECTION_HOOK: return "k-hook";
	}
	return "k-joins";
}
