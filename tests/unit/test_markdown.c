/*
 * test_markdown.c - the Markdown module: its line scanner, and that the
 * readers built on it (the importer, the block splitter, the comment
 * stripper) agree on what is code.
 */
#include "unit.h"
#include "markdown.h"

#include <stdlib.h>

/* One letter a line kind, so a text's reading fits in a string. */
static char kind_letter(Pa_md_line_kind k)
{
	static const char letters[] = "BTHSRLQCOFEI";
	return letters[k];
}

static void reading(const char *text, pa_buf *out)
{
	Pa_md_scanner sc;
	Pa_md_line ln;

	pa_buf_reset(out);
	Pa_md_scan_init(&sc, text, strlen(text));
	while (Pa_md_scan_next(&sc, &ln))
		pa_buf_putc(out, kind_letter(ln.kind));
}

#define CHECK_READING(text, want) \
	do { \
		reading(text, &got); \
		CHECK_EQ_STR(got.ptr, want); \
	} while (0)

static void test_line_at(void)
{
	Pa_md_line ln;

	CHECK(Pa_md_line_at("ab\r\ncd\n", 7, 0, &ln));
	CHECK_EQ_INT(ln.end, 2);
	CHECK_EQ_INT(ln.next, 4);
	CHECK(Pa_md_line_at("ab\r\ncd\n", 7, 4, &ln));
	CHECK_EQ_INT(ln.end, 6);
	CHECK_EQ_INT(ln.next, 7);
	CHECK(!Pa_md_line_at("ab\r\ncd\n", 7, 7, &ln));
	/* A last line without newline; a CR at the very end. */
	CHECK(Pa_md_line_at("x\ny", 3, 2, &ln));
	CHECK_EQ_INT(ln.end, 3);
	CHECK_EQ_INT(ln.next, 3);
	CHECK(Pa_md_line_at("y\r", 2, 0, &ln));
	CHECK_EQ_INT(ln.end, 1);
	/* A CR inside a line is text. */
	CHECK(Pa_md_line_at("a\rb\n", 4, 0, &ln));
	CHECK_EQ_INT(ln.end, 3);
}

static void test_scanner(void)
{
	pa_buf got = PA_BUF_INIT;
	Pa_md_scanner sc;
	Pa_md_line ln;

	/* Blocks at the left margin. */
	CHECK_READING("# h\ntext\nmore\n---\n\n***\n> q\nlazy\n\n<!-- c -->\n",
	              "HTTSBRQTBC");
	CHECK_READING("text\n===\n\n===\n", "TSBT");
	/* Fences: indentation up to 3, any closing run at least as long. */
	CHECK_READING("   ```sh\n\n    x\n  ````\nafter\n", "OFFET");
	CHECK_READING("~~~\n```\n~~ \n~~~~ x\n~~~\t \n", "OFFFE");
	CHECK_READING("``` a`b\n```\n", "TO");
	CHECK_READING("~~~ a`b\n~~~\n", "OE");
	/* CRLF: the CR is the line ending's, not the line's. */
	CHECK_READING("```\r\ncode\r\n```\r\ntext\r\n", "OFET");
	/* Tabs reach the next multiple of 4: " \t" and "\t" are 4 columns. */
	CHECK_READING("\t```\n \t```\n  \tx\n", "III");
	CHECK_READING("text\n\t```\n", "TT");
	/* Indented code: not inside a paragraph, but after a heading. */
	CHECK_READING("# h\n    code\n\n    more\n---\n", "HIBIR");
	CHECK_READING("    ```\n@x\n    ```\n", "ITT");
	/* Lists: indentation counts from the item's content. */
	CHECK_READING("- item\n\n    ```\n    code\n    ```\ntext\n", "LBOFET");
	CHECK_READING("- item\n\n      code\n", "LBI");
	CHECK_READING("1. item\n   ```\n   x\n   ```\n", "LOFE");
	CHECK_READING("- ```sh\n  code\n  ```\nafter\n", "OFET");
	/* The item ends, and the fence in it: a fence at the margin is a
	 * new one. */
	CHECK_READING("- a\n  ```\n  x\n\nout\n    code\n", "LOFFTT");
	CHECK_READING("- a\n  ```\n  x\n```\ny\n", "LOFOF");
	/* Nested items, lazy continuation, a setext heading in an item. */
	CHECK_READING("- a\n  - b\n\n    ```\n    x\n    ```\n", "LLBOFE");
	CHECK_READING("- a\nlazy\n      still text\n  ---\n", "LTTS");
	CHECK_READING("- a\n---\n", "LR");
	/* An item may start with one blank line, not two. */
	CHECK_READING("-\n  x\n\n  ```\n", "LTBO");
	CHECK_READING("-\n\n    x\n", "LBI");
	/* Only "1." or a bullet with text interrupts a paragraph. */
	CHECK_READING("text\n2. no\n1. yes\n-\n", "TTLL");
	CHECK_READING("text\n-\n", "TS");
	/* Tab after a marker: "-\t" puts the content at column 4. */
	CHECK_READING("-\tx\n\n    ```\n    y\n", "LBOF");
	/* Block quotes are not entered. */
	CHECK_READING("> ```\n> x\n", "QQ");

	/* A line's fields. */
	Pa_md_scan_init(&sc, "- a\n\n   ```` x\n", 15);
	Pa_md_scan_next(&sc, &ln);
	CHECK_EQ_INT(ln.base, 0);
	Pa_md_scan_next(&sc, &ln);
	Pa_md_scan_next(&sc, &ln);
	CHECK_EQ_INT(ln.kind, PA_MD_LINE_FENCE_OPEN);
	CHECK_EQ_INT(ln.number, 3);
	CHECK_EQ_INT(ln.indent, 3);
	CHECK_EQ_INT(ln.lead, 3);
	CHECK_EQ_INT(ln.base, 2);
	CHECK_EQ_INT(ln.fence_char, '`');
	CHECK_EQ_INT(ln.fence_len, 4);
	CHECK_EQ_INT(ln.fence_indent, 3);
	CHECK(Pa_md_line_is_code(&ln));

	/* Skipping bytes: lines are counted, the rest is read on. */
	Pa_md_scan_init(&sc, "a\n<!--\nx\n--> tail\nb\n", 20);
	Pa_md_scan_next(&sc, &ln);
	Pa_md_scan_skip(&sc, 13, 2);
	Pa_md_scan_next(&sc, &ln);
	CHECK_EQ_INT(ln.number, 4);
	CHECK_EQ_INT(ln.start, 13);
	CHECK_EQ_INT(ln.indent, 2);
	CHECK_EQ_INT(ln.lead, 0);
	Pa_md_scan_next(&sc, &ln);
	CHECK_EQ_INT(ln.number, 5);
	CHECK_EQ_INT(ln.indent, 0);
	pa_buf_release(&got);
}

static void test_frontmatter_fence(void)
{
	CHECK(Pa_md_is_frontmatter_fence("---", 3));
	CHECK(Pa_md_is_frontmatter_fence("--- \t", 5));
	CHECK(!Pa_md_is_frontmatter_fence(" ---", 4));
	CHECK(!Pa_md_is_frontmatter_fence("----", 4));
	CHECK(!Pa_md_is_frontmatter_fence("- - -", 5));
	CHECK(!Pa_md_is_frontmatter_fence("--- x", 5));
	CHECK(!Pa_md_is_frontmatter_fence("--", 2));
}

/*
 * Agreement.  A case is a text with probe lines ("%") and, for each probe
 * in order, what CommonMark makes of its line: F fenced code, I indented
 * code, T text, P text indented 4 columns (a paragraph's continuation,
 * where no HTML block starts).  Each reader gets the text with its own
 * probe: the importer "@pN.md" (imported when T or P), the stripper
 * "<!-- pN -->" (removed only when T), the block splitter "@pN.md" (in a
 * fence block only when F).  Before one scanner, the readers disagreed on most of
 * these (noted "was").
 */
static const struct { const char *text; const char *want; } cases[] = {
	/* Indented 4 columns, a fence line is code (was: the splitter's
	 * fence). */
	{ "    ```\n%\n    ```\n", "T" },
	{ "\t```\n%\n\t```\n", "T" },
	{ " \t```\n%\n", "T" },
	{ "\n    ```\n    %\n    ```\n%\n", "IT" },
	{ "\t- item\n\n    ```\n%\n", "T" },
	/* A closing line indented 4 columns closes nothing (was: closed
	 * for the splitter). */
	{ "```\n%\n    ```\n%\n```\n%\n", "FFT" },
	{ "```\n%\n\t```\n%\n```\n%\n", "FFT" },
	{ "```\n%\n   ```\n%\n", "FT" },
	{ "   ~~~ x\n%\n   ~~~\n%\n", "FT" },
	/* CRLF closes a fence (was: not for the importer and stripper). */
	{ "```\r\n%\r\n```\r\n%\r\n", "FT" },
	{ "~~~\r\n%\r\n~~~ \r\n%\r\n", "FT" },
	/* Fences in list items (was: the importer read them as text). */
	{ "- item\n\n    ```\n    %\n    ```\n%\n", "FT" },
	{ "- item\n\n \t```\n \t%\n \t```\n%\n", "FT" },
	{ "1. item\n   ```\n   %\n   ```\n%\n", "FT" },
	{ "- ```\n  %\n  ```\n%\n", "FT" },
	{ "- a\n\n  ```\n  %\n%\n", "FT" },
	{ "- a\n\n  ```\n  %\n```\n%\n", "FF" },
	/* Info strings and closing runs. */
	{ "``` a`b\n%\n```\n%\n", "TF" },
	{ "~~~ a`b\n%\n~~~\n%\n", "FT" },
	{ "````\n%\n```\n%\n`````\n%\n", "FFT" },
	{ "```\n%\n``` x\n%\n```\n%\n", "FFT" },
	{ "~~~\n%\n```\n%\n~~~\n%\n", "FFT" },
	/* Indented code. */
	{ "-\n\n    %\n", "I" },
	{ "- a\n\n      %\n", "I" },
	{ "# h\n    %\n", "I" },
	{ "- a\n\n    %\n", "T" },
	{ "text\n    %\n", "P" },
};

/* The text with its probes: pre, the probe's number, post. */
static void expand(const char *t, const char *pre, const char *post,
                   pa_buf *out)
{
	size_t k = 0;

	for (; *t; t++) {
		if (*t == '%')
			pa_buf_printf(out, "%s%zu%s", pre, ++k, post);
		else
			pa_buf_putc(out, *t);
	}
}

static void collect(void *ctx, const char *path, size_t at)
{
	(void)at;
	pa_buf_puts(ctx, path);
	pa_buf_putc(ctx, '|');
}

/* The offsets Pa_md_imports() gives: each the '@' of its import. */
static void collect_at(void *ctx, const char *path, size_t at)
{
	(void)path;
	pa_buf_printf(ctx, "%zu|", at);
}

static void test_import_offsets(void)
{
	static const char text[] = "see @a.md\n```\n@no.md\n```\nx @b.md and @c.md\n";
	pa_buf b = PA_BUF_INIT;

	Pa_md_imports(text, sizeof(text) - 1, collect_at, &b);
	CHECK_EQ_STR(b.ptr, "4|27|37|");
	CHECK(text[4] == '@' && text[27] == '@' && text[37] == '@');
	pa_buf_release(&b);
}

/* 1 when offset off of text lies in a fence block. */
static int in_fence_block(const char *text, size_t len, size_t off)
{
	Pa_md_block *b;
	size_t n, i;
	int in = 0;

	Pa_md_blocks(text, len, &b, &n);
	for (i = 0; i < n; i++)
		if (b[i].kind == PA_MD_FENCE && off >= b[i].start && off < b[i].text_end)
			in = 1;
	pa_free(b);
	return in;
}

static void check_case(size_t c)
{
	pa_buf imp = PA_BUF_INIT, com = PA_BUF_INIT, got = PA_BUF_INIT;
	size_t i;

	expand(cases[c].text, "@p", ".md", &imp);
	expand(cases[c].text, "<!-- p", " -->", &com);
	pa_buf_putc(&got, '|');
	Pa_md_imports(imp.ptr, imp.len, collect, &got);
	Pa_md_strip_comments(&com, NULL, NULL);
	for (i = 0; cases[c].want[i]; i++) {
		char probe[32], w = cases[c].want[i];
		int imported, kept, fenced;

		snprintf(probe, sizeof(probe), "|p%zu.md|", i + 1);
		imported = strstr(got.ptr, probe) != NULL;
		snprintf(probe, sizeof(probe), "<!-- p%zu -->", i + 1);
		kept = strstr(com.ptr, probe) != NULL;
		snprintf(probe, sizeof(probe), "@p%zu.md", i + 1);
		fenced = in_fence_block(imp.ptr, imp.len,
		                        (size_t)(strstr(imp.ptr, probe) - imp.ptr));
		if (imported != (w == 'T' || w == 'P') || kept != (w != 'T') ||
		    fenced != (w == 'F'))
			fprintf(stderr, "case %zu, probe %zu (want %c): importer %s, "
			        "stripper %s, splitter %s\n", c, i + 1, w,
			        imported ? "imports" : "skips", kept ? "keeps" : "strips",
			        fenced ? "fence" : "no fence");
		CHECK_EQ_INT(imported, w == 'T' || w == 'P');
		CHECK_EQ_INT(kept, w != 'T');
		CHECK_EQ_INT(fenced, w == 'F');
	}
	pa_buf_release(&imp);
	pa_buf_release(&com);
	pa_buf_release(&got);
}

static void test_agreement(void)
{
	size_t c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
		check_case(c);
}

static void test_blocks(void)
{
	static const char t[] =
		"- a\n"
		"  ```sh\n"
		"  x\n"
		"\n"
		"after the list\n"
		"- ```\n"
		"  y\n";
	Pa_md_block *b;
	size_t n;

	Pa_md_blocks(t, sizeof(t) - 1, &b, &n);
	CHECK_EQ_INT(n, 4);
	if (n == 4) {
		CHECK_EQ_INT(b[0].kind, PA_MD_LIST_ITEM);
		/* The fence ends with its list item, unclosed. */
		CHECK_EQ_INT(b[1].kind, PA_MD_FENCE);
		CHECK_EQ_INT(b[1].line, 2);
		CHECK(!b[1].fence_closed);
		CHECK_EQ_INT(b[1].fence_indent, 2);
		CHECK_EQ_INT(b[2].kind, PA_MD_PARAGRAPH);
		CHECK_EQ_INT(b[2].line, 5);
		/* A fence on an item's line: closed at its content column. */
		CHECK_EQ_INT(b[3].kind, PA_MD_FENCE);
		CHECK_EQ_INT(b[3].fence_indent, 2);
		CHECK_EQ_INT(b[3].text_end, sizeof(t) - 2);
	}
	pa_free(b);
	/* Only a fence still open at the end is open. */
	CHECK(Pa_md_has_open_fence(t, sizeof(t) - 1));
	CHECK(!Pa_md_has_open_fence(t, 24));
	CHECK(!Pa_md_has_open_fence("- ```\n  y\n  ```\n", 16));
	CHECK(Pa_md_has_open_fence("- ```\n  y\n```\n", 14));

	/* CRLF: a block's text ends before the CR. */
	Pa_md_blocks("# h\r\n\r\ntext\r\n", 13, &b, &n);
	CHECK_EQ_INT(n, 2);
	if (n == 2) {
		CHECK_EQ_INT(b[0].text_end, 3);
		CHECK_EQ_INT(b[1].start, 7);
		CHECK_EQ_INT(b[1].text_end, 11);
	}
	pa_free(b);
	/* Where a block's text starts: after the leading blank lines. */
	Pa_md_blocks("\n  \n# h\ntext\n", 14, &b, &n);
	CHECK_EQ_INT(n, 2);
	if (n == 2) {
		CHECK_EQ_INT(b[0].start, 0);
		CHECK_EQ_INT(b[0].text_start, 4);
		CHECK_EQ_INT(b[1].start, 8);
		CHECK_EQ_INT(b[1].text_start, 8);
	}
	pa_free(b);
	Pa_md_blocks(" \n", 2, &b, &n);
	CHECK(n == 1 && b[0].text_start == 0 && b[0].text_end == 0);
	pa_free(b);
	/* Indented code is a block of its own, its list and fence lines
	 * included. */
	Pa_md_blocks("# h\n    - x\n    ```\n", 20, &b, &n);
	CHECK_EQ_INT(n, 2);
	if (n == 2)
		CHECK_EQ_INT(b[1].kind, PA_MD_CODE);
	pa_free(b);
}

/*
 * CommonMark spec examples (spec.txt 0.31.2, by number: the Nth example) for the block kinds the
 * splitter splits on, with the blocks CommonMark makes of each, written
 * as one letter a block and the line it starts on: H heading, P
 * paragraph, L list item, F fenced code, C indented code, Q block quote,
 * B thematic break.  A nested item is a block of its own (so the trimmer
 * can remove it alone); HTML blocks are read as paragraphs (markdown.h),
 * so their cases say where that differs from CommonMark.  Adding a case
 * needs no code.
 */
static const struct { int example; const char *text, *want; } spec_cases[] = {
	/* Indented code blocks. */
	{ 107, "    a simple\n      indented code block\n", "C1" },
	{ 110, "    <a/>\n    *hi*\n\n    - one\n", "C1" },
	{ 111, "    chunk1\n\n    chunk2\n  \n \n \n    chunk3\n", "C1" },
	{ 112, "    chunk1\n      \n      chunk2\n", "C1" },
	{ 113, "Foo\n    bar\n\n", "P1" },
	{ 114, "    foo\nbar\n", "C1 P2" },
	{ 115, "# Heading\n    foo\nHeading\n------\n    foo\n----\n",
	  "H1 C2 H3 C5 B6" },
	{ 116, "        foo\n    bar\n", "C1" },
	{ 117, "\n    \n    foo\n    \n\n", "C3" },
	/* Fenced code blocks. */
	{ 119, "```\n<\n >\n```\n", "F1" },
	{ 129, "```\n\n  \n```\n", "F1" },
	{ 128, "> ```\n> aaa\n\nbbb\n", "Q1 P4" },
	{ 137, "```\naaa\n    ```\n", "F1" },
	{ 140, "foo\n```\nbar\n```\nbaz\n", "P1 F2 P5" },
	{ 141, "foo\n---\n~~~\nbar\n~~~\n# baz\n", "H1 F3 H6" },
	/* ATX headings. */
	{ 62, "# foo\n## foo\n### foo\n#### foo\n##### foo\n###### foo\n",
	  "H1 H2 H3 H4 H5 H6" },
	{ 64, "#5 bolt\n\n#hashtag\n", "P1 P3" },
	{ 69, "    # foo\n", "C1" },
	{ 70, "foo\n    # bar\n", "P1" },
	{ 77, "****\n## foo\n****\n", "B1 H2 B3" },
	{ 78, "Foo bar\n# baz\nBar foo\n", "P1 H2 P3" },
	/* Setext headings. */
	{ 80, "Foo *bar*\n=========\n\nFoo *bar*\n---------\n", "H1 H4" },
	{ 85, "    Foo\n    ---\n\n    Foo\n---\n", "C1 B5" },
	{ 96, "---\nFoo\n---\nBar\n---\nBaz\n", "B1 H2 H4 P6" },
	/* Thematic breaks. */
	{ 43, "***\n---\n___\n", "B1 B2 B3" },
	{ 48, "    ***\n", "C1" },
	{ 57, "- foo\n***\n- bar\n", "L1 B2 L3" },
	{ 58, "Foo\n***\nbar\n", "P1 B2 P3" },
	{ 61, "- Foo\n- * * *\n", "L1 L2" },
	/* List items. */
	{ 257, "- one\n\n two\n", "L1 P3" },
	{ 258, "- one\n\n  two\n", "L1" },
	{ 259, " -    one\n\n     two\n", "L1 C3" },
	{ 260, " -    one\n\n      two\n", "L1" },
	{ 303, "- foo\n- bar\n+ baz\n", "L1 L2 L3" },
	{ 306, "The number of windows in my house is\n14.  The number of doors is 6.\n",
	  "P1" },
	/* Block quotes. */
	{ 230, "> # Foo\n> bar\n> baz\n", "Q1" },
	{ 236, "> foo\n---\n", "Q1 B2" },
	{ 244, "> foo\n\n> bar\n", "Q1 Q3" },
	/* HTML blocks: CommonMark ends example 148's block at its blank
	 * line (two blocks); as paragraphs they split there too. */
	{ 148, "<table><tr><td>\n<pre>\n**Hello**,\n\n_world_.\n</pre>\n</td></tr></table>\n",
	  "P1 P5" },
	/* Blank lines. */
	{ 229, "  \n\naaa\n  \n\n# aaa\n\n  \n", "P3 H6" },
};

static void test_spec_blocks(void)
{
	pa_buf got = PA_BUF_INIT;
	size_t c, i, n;
	Pa_md_block *b;

	for (c = 0; c < sizeof(spec_cases) / sizeof(spec_cases[0]); c++) {
		const char *t = spec_cases[c].text;

		pa_buf_reset(&got);
		Pa_md_blocks(t, strlen(t), &b, &n);
		for (i = 0; i < n; i++)
			pa_buf_printf(&got, "%s%c%ld", i ? " " : "",
			              "PHLFQBC"[b[i].kind], b[i].line);
		pa_free(b);
		CHECK_EQ_STR(got.ptr, spec_cases[c].want);
		if (strcmp(got.ptr, spec_cases[c].want))
			fprintf(stderr, "  CommonMark example %d\n", spec_cases[c].example);
	}
	pa_buf_release(&got);
}

static void test_strip(void)
{
	static const struct { const char *in, *out; } cases_[] = {
		{ "a\n\n<!-- x\ny -->\n\nb <!-- inline --> c\n```\n<!-- kept -->\n```\n",
		  "a\n\nb <!-- inline --> c\n```\n<!-- kept -->\n```\n" },
		{ "<!-- first -->\n\nb\n", "b\n" },
		{ "a\n<!-- c -->\nb", "a\nb" },
		/* What follows a comment on its line stays, its blanks kept
		 * (fixture comments-line), and so does the indentation. */
		{ "a\n  <!-- c\n -->  tail\nb\n", "a\n    tail\nb\n" },
		/* Every comment of that line goes. */
		{ "<!-- a --> t <!-- b --> u <!-- c\nd\n", " t  u <!-- c\nd\n" },
		{ "   <!-- a --> <!-- b -->\nnext\n", "next\n" },
		{ "text\n<!-- unclosed\nmore\n", "text\n<!-- unclosed\nmore\n" },
		/* A comment runs to the first --> after it, lines away. */
		{ "<!-- a\n<!-- b -->\nc\n", "c\n" },
		{ "a\r\n\r\n<!-- c -->\r\n\r\nb\r\n", "a\r\n\r\nb\r\n" },
		{ "a\n \t\n<!-- c -->\n\nb\n", "a\n \t\nb\n" },
		/* Code is kept, comments in it too. */
		{ "    <!-- code -->\n", "    <!-- code -->\n" },
		{ "- item\n\n    ```\n    <!-- c -->\n    ```\n",
		  "- item\n\n    ```\n    <!-- c -->\n    ```\n" },
		{ "```\r\n<!-- in -->\r\n```\r\n<!-- out -->\r\n", "```\r\n<!-- in -->\r\n```\r\n" },
		/* In a list item, 3 columns count from its content. */
		{ "- a\n\n    <!-- c -->\n  b\n", "- a\n\n  b\n" },
		/* What follows a comment is text of its HTML block, not read
		 * as Markdown: here no fence, so the comment below it goes. */
		{ "- a\n\n  <!-- c --> ```\n  <!-- in -->\n  ```\n",
		  "- a\n\n   ```\n  ```\n" },
		{ "", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases_) / sizeof(cases_[0]); i++) {
		pa_buf b = PA_BUF_INIT;
		pa_buf_puts(&b, cases_[i].in);
		Pa_md_strip_comments(&b, NULL, NULL);
		CHECK_EQ_STR(b.ptr, cases_[i].out);
		pa_buf_release(&b);
	}
}

/* Lines of a text: a last line without newline counts. */
static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (*s == '\n' || !s[1])
			n++;
	return n;
}

/* Strips in, checks the result and its line map (want: the input line of
 * each output line, as "1 4 5"). */
static void check_map(const char *in, const char *out, const char *want)
{
	pa_buf b = PA_BUF_INIT, got = PA_BUF_INIT;
	size_t *map = NULL, n = 99, i, n2 = 99;

	pa_buf_puts(&b, in);
	Pa_md_strip_comments(&b, &map, &n);
	CHECK_EQ_STR(b.ptr, out);
	CHECK_EQ_INT(n, count_lines(out));
	for (i = 0; i < n; i++)
		pa_buf_printf(&got, "%s%zu", i ? " " : "", map[i]);
	CHECK_EQ_STR(got.ptr, want);
	if (!n)
		CHECK(map == NULL);
	pa_free(map);
	/* The count alone, without a map. */
	pa_buf_reset(&b);
	pa_buf_puts(&b, in);
	Pa_md_strip_comments(&b, NULL, &n2);
	CHECK_EQ_INT(n2, n);
	pa_buf_release(&b);
	pa_buf_release(&got);
}

static void test_line_map(void)
{
	/* No comment: each line is its own. */
	check_map("x\ny", "x\ny", "1 2");
	check_map("x\n", "x\n", "1");
	check_map("", "", "");
	/* A comment over lines. */
	check_map("a\n<!-- x\ny -->\nb\n", "a\nb\n", "1 4");
	check_map("a\n<!-- x\n\ny\n-->\nb\nc", "a\nb\nc", "1 6 7");
	/* Text after the comment on its last line: that line's number. */
	check_map("a\n<!-- x\ny --> tail\nb\n", "a\n tail\nb\n", "1 3 4");
	check_map("  <!-- a\nb\n--> c\n", "   c\n", "3");
	check_map("   <!-- a --> <!-- b --> c\nd", "     c\nd", "1 2");
	/* A comment not closed on that line stays, as text. */
	check_map("<!-- a\n--> <!-- b\n-->\nc\n", " <!-- b\n-->\nc\n", "2 3 4");
	/* Blank lines collapsing around a removed comment. */
	check_map("a\n\n<!-- c -->\n\nb\n", "a\n\nb\n", "1 2 5");
	check_map("a\n\n<!-- c\nd -->\n\n\nb\n", "a\n\n\nb\n", "1 2 6 7");
	check_map("<!-- c -->\n\nb\nc", "b\nc", "3 4");
	check_map("a\n<!-- c -->\n\nb\n", "a\n\nb\n", "1 3 4");
	/* Comments in code are kept, lines unmoved. */
	check_map("```\n<!-- c -->\n```\n<!-- d -->\ne", "```\n<!-- c -->\n```\ne",
	          "1 2 3 5");
	check_map("x\n\n    <!-- code -->\n<!-- d -->\ny\n",
	          "x\n\n    <!-- code -->\ny\n", "1 2 3 5");
	/* CRLF: lines are counted the same. */
	check_map("a\r\n<!-- x\r\ny -->\r\n\r\nb\r\n", "a\r\n\r\nb\r\n", "1 4 5");
	check_map("a\r\n\r\n<!-- x -->\r\n\r\nb", "a\r\n\r\nb", "1 2 5");
	/* Unclosed: kept.  Only a comment: nothing left. */
	check_map("<!-- open\nx\n", "<!-- open\nx\n", "1 2");
	check_map("<!-- only -->\n", "", "");
	check_map("<!-- only\n-->", "", "");
}

/* Inline Markdown as Claude Code reads it (fixture import-inline): an
 * `@` after emphasis, a code span, a tag or an escape starts a path that
 * ends with its run; HTML blocks, link targets, images, inline comments
 * and link reference definitions are not read. */
static void test_inline_imports(void)
{
	static const char text[] =
		"**bold**@a.md `c`@b.md *@c.md* [t @d.md](x) \\*@e.md\n"
		"[x](@no1.md) ![i @no2.md](p.png) <!-- @no3.md --> x<br>@f.md\n"
		"\n"
		"<div>\n"
		"@no4.md\n"
		"</div>\n"
		"\n"
		"[ref]: @no5.md\n"
		"\n"
		"<p>@no6.md</p>\n"
		"\n"
		"@g.md my_file\n";
	pa_buf b = PA_BUF_INIT;

	Pa_md_imports(text, sizeof(text) - 1, collect, &b);
	CHECK_EQ_STR(b.ptr, "a.md|b.md|c.md|d.md|e.md|f.md|g.md|");
	pa_buf_release(&b);
}

static void test_imports(void)
{
	static const char text[] =
		"- ```sh\n"
		"  npm i @types/node\n"
		"  ```\n"
		"- see @a.md\n"
		"\n"
		"      @code.md\n"
		"\n"
		"    @in-item.md `@span.md` ``x ` @span2.md``\n"
		"# h\n"
		"    @after-heading.md\n"
		"text\n"
		"    @continued.md\n";
	pa_buf b = PA_BUF_INIT;

	Pa_md_imports(text, sizeof(text) - 1, collect, &b);
	/* A list item's line is also read as written (fixture import-blocks):
	 * " @span2.md``" is a path there, one that names no file. */
	CHECK_EQ_STR(b.ptr, "a.md|in-item.md|span2.md``|continued.md|");
	pa_buf_release(&b);
}

/* The imports of a line by the plain rule: from each backtick run, the
 * next run of its length closes a code span, else the run is literal. */
static void plain_imports(const char *s, size_t n, pa_buf *out)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == '`') {
			size_t run = 0, j, r, end;

			while (i + run < n && s[i + run] == '`')
				run++;
			end = i + run;
			for (j = i + run; j < n; j += r) {
				for (r = 0; j + r < n && s[j + r] == '`'; r++)
					;
				if (r == 0) {
					r = 1;
				} else if (r == run) {
					end = j + r;
					break;
				}
			}
			i = end;
		} else if (s[i] == '@' && (i == 0 || s[i - 1] == ' ') && i + 1 < n &&
		           s[i + 1] != ' ') {
			size_t j = i + 1;

			while (j < n && s[j] != ' ')
				j++;
			pa_buf_put(out, s + i + 1, j - i - 1);
			pa_buf_putc(out, '|');
			i = j;
		} else {
			i++;
		}
	}
}

/* Code spans on one line, at random: runs of one to five backticks and
 * imports among letters; Pa_md_imports() finds what the plain rule does.
 * And a line of runs of growing length, none closed, is read in linear
 * time (its imports all found). */
static void test_code_spans(void)
{
	static const char *const bits[] = {
		"`", "``", "```", "````", "`````", " @a.md ", " @b.md ", "x", " ",
	};
	pa_buf line = PA_BUF_INIT, want = PA_BUF_INIT, got = PA_BUF_INIT;
	unsigned seed = 3, t;
	int k, differ = 0;

	for (t = 0; t < 20000; t++) {
		pa_buf_reset(&line);
		pa_buf_reset(&want);
		pa_buf_reset(&got);
		pa_buf_puts(&line, "p ");
		for (k = 0; k < 12; k++) {
			seed = seed * 1103515245u + 12345u;
			pa_buf_puts(&line, bits[(seed >> 16) % 9]);
		}
		plain_imports(line.ptr, line.len, &want);
		pa_buf_putc(&line, '\n');
		Pa_md_imports(line.ptr, line.len, collect, &got);
		if (want.len != got.len || (want.len && memcmp(want.ptr, got.ptr, want.len)))
			differ++;
	}
	CHECK_EQ_INT(differ, 0);
	pa_buf_reset(&line);
	pa_buf_reset(&got);
	pa_buf_puts(&line, "p ");
	for (k = 1; k < 3000; k++) {
		int b;

		for (b = 0; b < k; b++)
			pa_buf_putc(&line, '`');
		pa_buf_puts(&line, " @c.md ");
	}
	pa_buf_putc(&line, '\n');
	Pa_md_imports(line.ptr, line.len, collect, &got);
	CHECK_EQ_INT(got.len, 2999 * 5);
	pa_buf_release(&line);
	pa_buf_release(&want);
	pa_buf_release(&got);
}

int main(void)
{
	RUN(test_import_offsets);
	RUN(test_line_at);
	RUN(test_scanner);
	RUN(test_frontmatter_fence);
	RUN(test_agreement);
	RUN(test_blocks);
	RUN(test_spec_blocks);
	RUN(test_strip);
	RUN(test_line_map);
	RUN(test_imports);
	RUN(test_inline_imports);
	RUN(test_code_spans);
	return pa_test_summary();
}
