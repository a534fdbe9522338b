/*
 * markdown.h - the Markdown module: the one reader of Markdown lines.  Not
 * installed.
 *
 * Every consumer reads lines through the scanner below: the block splitter
 * (the units the trimmer removes and explain weighs), the HTML comment
 * stripper and the @import scanner (the CLAUDE.md loader's), and the
 * frontmatter reader's `---` lines.  So the trimmer's "never cut a fence
 * open" and the importer's "skip code" agree by construction: a line is in
 * a fence for one exactly when it is for the other (and for the comment
 * stripper, which keeps comments there).
 *
 * ## Lines
 *
 * A line ends at "\n"; a "\r" just before it (CRLF), or at the very end of
 * the text, belongs to the line ending, not to the line.  Columns count a
 * tab as reaching the next multiple of PA_MD_TAB_STOP.
 *
 * ## The scanner: a line-based reading of CommonMark
 *
 * It follows CommonMark for what decides code, and is not a Markdown parser:
 *
 * - A fence is a run of at least 3 backticks or tildes indented at most 3
 *   columns (PA_MD_CODE_INDENT - 1); a backtick fence's info string holds no
 *   backtick.  It is closed by a line of the same character, at least as
 *   long, indented at most 3 columns, with only blanks after it; else it
 *   runs to the end of the text.
 * - A line indented PA_MD_CODE_INDENT columns or more is indented code,
 *   unless it continues a paragraph (indented code cannot interrupt one).
 * - List items are followed: within an item, indentation counts from the
 *   column where its content starts ("- a" at 2, "1. a" at 3), so a fence
 *   indented 4 spaces under "- item" is a fence, and one at 6 is code.  A
 *   line indented less than the item's content ends the item (unless it
 *   lazily continues its paragraph), and with it a fence opened inside it.
 *   A fence may open on the item's own line ("- ```").
 * - Block quotes are not entered: `> ```` opens no fence.  HTML blocks
 *   other than comments are recognized by the importer only (their text
 *   is not read, Pa_md_imports()).
 *
 * ## Deliberate variants
 *
 * - The importer skips fenced and indented code (Claude Code does); the
 *   trimmer may cut an indented code block between its lines like prose,
 *   because unlike a fence it has no closing line to lose.
 * - The frontmatter's `---` is not a Markdown line at all: see
 *   Pa_md_is_frontmatter_fence().
 *
 * ## Blocks
 *
 * The blocks of a text tile it: block i runs from its first byte to the
 * first byte of block i + 1, blank lines after a block belong to it, and
 * blank lines before the first block belong to the first block.  So a
 * prefix or suffix of whole blocks is a prefix or suffix of the text.
 *
 * Blocks: an ATX heading line; a paragraph (with a setext underline it is
 * a heading); a list item with its continuation lines (a nested item is a
 * block of its own); a fenced code block, from its opening line to its
 * closing line, the end of its list item or the end of the text; an
 * indented code block (outside list items), blank lines inside it
 * included, as CommonMark reads it; a run of `>` lines; a thematic break.
 *
 * Memory: the caller frees what a function hands back with pa_free(); a
 * scanner holds no memory (copy it to look ahead, drop it when done).
 */
#ifndef PA_MARKDOWN_H
#define PA_MARKDOWN_H

#include "base.h"

/* ---- the scanner's parameters (cmark's names) ---- */

#define PA_MD_TAB_STOP 4     /* a tab reaches the next multiple of 4 */
#define PA_MD_CODE_INDENT 4  /* columns that make indented code; fences,
                                headings, breaks, items take at most 3 */
#define PA_MD_FENCE_MIN 3    /* the shortest fence run */
#define PA_MD_MAX_LISTS 32   /* list nesting followed; a deeper item is
                                read as text of its parent */

/* ---- lines ---- */

typedef enum Pa_md_line_kind {
	PA_MD_LINE_BLANK = 0,       /* nothing but spaces and tabs */
	PA_MD_LINE_TEXT = 1,        /* paragraph text, or its continuation */
	PA_MD_LINE_HEADING = 2,     /* an ATX heading */
	PA_MD_LINE_SETEXT = 3,      /* a setext underline under paragraph text */
	PA_MD_LINE_BREAK = 4,       /* a thematic break */
	PA_MD_LINE_LIST_ITEM = 5,   /* starts a list item */
	PA_MD_LINE_QUOTE = 6,       /* starts with `>` */
	PA_MD_LINE_COMMENT = 7,     /* starts with `<!--` (an HTML comment block) */
	PA_MD_LINE_FENCE_OPEN = 8,  /* opens a fence (maybe after a list marker) */
	PA_MD_LINE_FENCE_CODE = 9,  /* inside a fence, blank lines included */
	PA_MD_LINE_FENCE_CLOSE = 10,/* closes a fence */
	PA_MD_LINE_CODE = 11        /* indented code */
} Pa_md_line_kind;

typedef struct Pa_md_line {
	size_t start;    /* offset of its first byte */
	size_t end;      /* one past its last byte, the line ending excluded */
	size_t next;     /* offset of the next line (the text's length at the end) */
	long number;     /* 1-based (0 from Pa_md_line_at) */
	Pa_md_line_kind kind;
	size_t indent;   /* columns of leading white space */
	size_t lead;     /* bytes of it */
	size_t base;     /* column where the content of the list item holding
	                    the line starts (0: in no list item) */
	/* FENCE_OPEN, FENCE_CODE, FENCE_CLOSE: the fence's character, run
	 * length and the column of the run on its opening line (a closing
	 * line indented as much closes it). */
	char fence_char;
	size_t fence_len;
	size_t fence_indent;
} Pa_md_line;

/* The bounds of the line at pos (start, end, next; nothing classified).
 * Returns 0 when pos is at or past the end of the text.  For readers of
 * lines that are not Markdown (the frontmatter's YAML). */
int Pa_md_line_at(const char *text, size_t len, size_t pos, Pa_md_line *ln);

/* The scanner's state: a plain value, no memory held.  Its fields are its
 * own; copy the whole to look ahead or to undo a line. */
typedef struct Pa_md_scanner {
	const char *text;
	size_t len, pos;
	long line;               /* lines read */
	size_t carry;            /* columns the next line is indented beyond its bytes */
	int para;                /* paragraph text open: 0 none, 1 here, 2 in a quote */
	int fence;               /* in a fence: its character, run, column, and
	                            the content column of its list item */
	char fence_char;
	size_t fence_len, fence_indent, fence_base;
	size_t nlists;
	struct Pa_md_list {
		size_t content;      /* column where the item's content starts */
		int empty;           /* nothing after its marker yet */
	} lists[PA_MD_MAX_LISTS];
	/* The end of the line last looked for: no line feed in
	 * text[eol_from .. eol), and one at eol (or eol == len), so a line
	 * read again from a place in it (after each comment dropped from
	 * it) is not searched again: a line of 200,000 comments took 5 s. */
	int eol_known;
	size_t eol_from, eol;
} Pa_md_scanner;

void Pa_md_scan_init(Pa_md_scanner *sc, const char *text, size_t len);

/* Reads and classifies the next line.  Returns 0 at the end of the text.
 *
 *     Pa_md_scanner sc;
 *     Pa_md_line ln;
 *     Pa_md_scan_init(&sc, text, len);
 *     while (Pa_md_scan_next(&sc, &ln))
 *             if (!Pa_md_line_is_code(&ln)) ...
 */
int Pa_md_scan_next(Pa_md_scanner *sc, Pa_md_line *ln);

/* Moves the scanner on to pos (at or after where it is, within a line or
 * at one's start), as if the bytes in between were not there: line numbers
 * count them, nothing else sees them.  The next line read starts at pos
 * and is read as indented `indent` columns more than its bytes say.  The
 * comment stripper skips a comment so, and reads what follows it on its
 * last line as a line, after the indentation it keeps. */
void Pa_md_scan_skip(Pa_md_scanner *sc, size_t pos, size_t indent);

/* 1 for a line of code: a fence's lines and indented code. */
int Pa_md_line_is_code(const Pa_md_line *ln);

/* 1 when the line (without its ending) is a frontmatter fence: `---` at
 * the left margin and nothing else but blanks.  Deliberately not Markdown:
 * it is YAML's document marker as gray-matter finds it, so no indentation
 * (a thematic break takes 3 columns), no longer run (`----` is not one, as
 * in gray-matter), no spaces between the dashes, and the lines it encloses
 * are YAML, not scanned (a ``` there opens no code). */
int Pa_md_is_frontmatter_fence(const char *line, size_t len);

/* ---- blocks ---- */

typedef enum Pa_md_kind {
	PA_MD_PARAGRAPH = 0,
	PA_MD_HEADING = 1,
	PA_MD_LIST_ITEM = 2,
	PA_MD_FENCE = 3,
	PA_MD_QUOTE = 4,
	PA_MD_BREAK = 5,
	PA_MD_CODE = 6     /* indented code */
} Pa_md_kind;

typedef struct Pa_md_block {
	size_t start;      /* byte offset of the block's first byte */
	size_t text_start; /* of its first non-blank line (start for an all-blank text) */
	size_t end;        /* one past its last byte, blank lines included */
	size_t text_end;   /* one past its last non-blank line (its line ending excluded) */
	long line;         /* 1-based line of its first non-blank line */
	Pa_md_kind kind;
	/* For a fence: its character, run length, the column of the run on
	 * the opening line (a closing line indented so closes it) and
	 * whether a closing line was found. */
	char fence_char;
	size_t fence_len;
	size_t fence_indent;
	int fence_closed;
} Pa_md_block;

/* Splits text into blocks.  *blocks (caller frees with pa_free()) holds
 * *n blocks; an empty or all-blank text gives one block (or none when
 * len is 0). */
void Pa_md_blocks(const char *text, size_t len, Pa_md_block **blocks,
                  size_t *n);

/* A short label for a block: a heading's text, else the first words of
 * its first line (at most max bytes, cut at a character boundary, with
 * "..." when cut).  Appends to out. */
void Pa_md_label(const char *text, const Pa_md_block *b, size_t max,
                 pa_buf *out);

/* 1 when text ends inside a fence (one opened and never closed). */
int Pa_md_has_open_fence(const char *text, size_t len);

/* When text ends inside a fence, appends the line that closes it (after a
 * newline): its run, at the column of its opening run.  Returns 1 when it
 * did.  The trimmer closes every text it keeps so, whatever the text
 * before it was: a suffix of a text is read without it. */
int Pa_md_close_fence(pa_buf *text);

/* ---- CLAUDE.md: HTML comments and @imports ---- */

/* Removes HTML block comments outside code (in place): a line whose text
 * starts, after at most 3 columns, with `<!--`, up to the next `-->`.  What
 * follows `-->` on its line stays, blanks included, after the comment
 * line's indentation, with every other comment closed on that line removed
 * too (`<!-- a --> text <!-- b -->` leaves ` text `, as Claude Code 2.1.332
 * sends it: fixture comments-line); it is not read as Markdown.  When
 * nothing but blanks is left, the comment's lines go, and a blank line
 * after it too when the line before it is blank (or it starts the text).
 * An unclosed comment stays.
 *
 * The line map, so that a line of the result can be traced to its file
 * without reading it again: when line_of is not NULL, *line_of (the
 * caller frees it with pa_free(); NULL when the result is empty) gets one
 * entry per line of the result, (*line_of)[i] being the 1-based line of
 * the input on which line i + 1 of the result begins; for a line that
 * starts with what followed a comment, the line of its `-->`.  *nlines
 * (when not NULL) gets the number of lines of the result: a last line
 * without newline counts, an empty result has 0. */
void Pa_md_strip_comments(pa_buf *text, size_t **line_of, size_t *nlines);

/* The backtick runs of a line s[0..n), in order: where each starts, how
 * long it is, and the index of the next run of the same length (its
 * closer, when it opens a code span), or SIZE_MAX.  Found in one pass, so
 * that a reader of code spans finds each closer in constant time (a
 * search to the end of the line for each opener made a line of runs of
 * growing length cost n^1.5).  Start zeroed; r is reused line after line
 * and released once. */
typedef struct Pa_md_runs {
	size_t *at, *len, *next;
	size_t n, cap;
} Pa_md_runs;

void Pa_md_runs_of(const char *s, size_t n, Pa_md_runs *r);
void Pa_md_runs_release(Pa_md_runs *r);

/* Calls fn for each @import of text, with the path as written (escapes
 * resolved, an #anchor dropped) and the offset of its `@` in text, as
 * Claude Code 2.1.332 finds them (fixtures import-inline, import-blocks):
 * an `@` that starts a run of inline text (after emphasis, a code span, a
 * tag, a link, an escape) or follows white space in one, the path ending
 * at white space or with its run (a closing emphasis mark, a link's `]`).
 * Not read: fenced and indented code, code spans, HTML blocks up to their
 * blank line, tags and inline comments, link targets, images, autolinks,
 * link reference definitions.  A list item's line is also read as written,
 * code spans included (Claude Code does).  See import_at() in markdown.c
 * for the path's rule. */
void Pa_md_imports(const char *text, size_t len,
                   void (*fn)(void *ctx, const char *path, size_t at),
                   void *ctx);

#endif
