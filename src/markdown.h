/*
 * markdown.h - Markdown split into blocks, the units the trimmer removes
 * and explain weighs.  Not installed.
 *
 * The blocks of a text tile it: block i runs from its first byte to the
 * first byte of block i + 1, blank lines after a block belong to it, and
 * blank lines before the first block belong to the first block.  So a
 * prefix or suffix of whole blocks is a prefix or suffix of the text.
 *
 * Blocks: an ATX heading line; a paragraph (with a setext underline it is
 * a heading); a list item with its continuation lines (a nested item is a
 * block of its own); a fenced code block (``` or ~~~, any indentation),
 * from its opening line to its closing line or the end of the text; a run
 * of `>` lines; a thematic break.  This is a line-based reading of
 * CommonMark, good enough to never cut a fence open and to keep a
 * heading's identity; it is not a Markdown parser.
 */
#ifndef PA_MARKDOWN_H
#define PA_MARKDOWN_H

#include "internal.h"

typedef enum pa_md_kind {
	PA_MD_PARAGRAPH = 0,
	PA_MD_HEADING = 1,
	PA_MD_LIST_ITEM = 2,
	PA_MD_FENCE = 3,
	PA_MD_QUOTE = 4,
	PA_MD_BREAK = 5
} pa_md_kind;

typedef struct pa_md_block {
	size_t start;      /* byte offset of the block's first byte */
	size_t end;        /* one past its last byte, blank lines included */
	size_t text_end;   /* one past its last non-blank line (its newline excluded) */
	long line;         /* 1-based line of its first non-blank line */
	pa_md_kind kind;
	/* For a fence: its character and run length, and whether a closing
	 * line was found. */
	char fence_char;
	size_t fence_len;
	int fence_closed;
} pa_md_block;

/* Splits text into blocks.  *blocks (caller frees with pa_free()) holds
 * *n blocks; an empty or all-blank text gives one block (or none when
 * len is 0). */
void pa_md_blocks(const char *text, size_t len, pa_md_block **blocks,
                  size_t *n);

/* When line (without its newline) opens a fence, returns 1 and its
 * character and run length. */
int pa_md_fence_open(const char *line, size_t len, char *ch, size_t *run);

/* 1 when line closes a fence of ch repeated at least run times. */
int pa_md_fence_close(const char *line, size_t len, char ch, size_t run);

/* A short label for a block: a heading's text, else the first words of
 * its first line (at most max bytes, cut at a character boundary, with
 * "..." when cut).  Appends to out. */
void pa_md_label(const char *text, const pa_md_block *b, size_t max,
                 pa_buf *out);

/* 1 when text has a fence that is opened and never closed. */
int pa_md_has_open_fence(const char *text, size_t len);

/* Removes HTML block comments outside fenced code (in place). */
void pa_md_strip_comments(pa_buf *text);

/* Calls fn for each @import of text outside code spans and fenced code
 * blocks, with the path as written (escapes resolved). */
void pa_md_imports(const char *text, size_t len,
                   void (*fn)(void *ctx, const char *path), void *ctx);

#endif
