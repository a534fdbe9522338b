/*
 * html_tokens.h - a section's text in an HTML report, every token a box.
 *
 * The text is the section's untrimmed text as the tokenizer sees it (the
 * bytes of its tokens: for a tokenizer that normalizes, NFKC), every
 * token an <i> or a <b> in turn, with spaces, line feeds, tabs and bytes
 * that are not whole characters shown as `tokenize --pieces` shows them.
 * So the boxes of a section count to its tokens, and a test can count
 * them.  In place: what the trimmer removed struck out (class "d" for a
 * whole token, <del> for part of one), its marker and the fence lines it
 * adds as <ins>, what the load rules left out as <del class="lc"> (never
 * counted, so no boxes), and the heaviest blocks as <mark> with a label.
 * The text is cut into chunks of lines (<div>s) that the browser lays out
 * only when they come into view, so a 200,000-token prompt opens quickly.
 */
#ifndef PA_CLI_HTML_TOKENS_H
#define PA_CLI_HTML_TOKENS_H

#include "promptasm.h"

typedef struct html_section {
	const char *text;          /* untrimmed */
	size_t len;
	const char *final;         /* as trimmed; the text when not trimmed */
	size_t final_len;
	const pa_trim_section *trim; /* NULL: no trimming report */
	const char *cut;           /* what a load rule left out, or NULL */
	size_t cut_len, cut_at;    /* cut_at: a byte of text */
	const pa_heavy_block *heavy; /* every heavy block of the prompt */
	size_t nheavy;
	size_t index;              /* the section's: heavy blocks of others are left */
	const char *id;            /* ids of its marks: "<id>-h<rank>" */
} html_section;

/* Appends the section's text as above; *tokens gets its count. */
pa_status html_tokens(pa_buf *out, const pa_tokenizer *tok,
                      const html_section *s, size_t *tokens, pa_error *err);

#endif
