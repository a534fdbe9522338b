/* test_report.c - the heaviest blocks of a prompt: their weights, and the
 * section and bytes each names, so a report can mark them in the text. */
#include "unit.h"
#include "prompt.h"

#include <stdlib.h>

static pa_tokenizer *tok;

static size_t count(const char *s, size_t n)
{
	size_t c = 0;
	pa_tokenizer_count(tok, s, n, &c, NULL);
	return c;
}

static void test_ranges(void)
{
	static const char body[] = "You review code.";
	static const char doc[] =
		"\n# Title\n\nA first paragraph with some words.\n\n"
		"## Sub\n\n- an item of a list\n- another item\n\n"
		"# Second\n\nLast words here.\n";
	pa_prompt *p = Pa_xcalloc(1, sizeof(*p));
	pa_heavy_block *hb = NULL;
	size_t n = 0, i, found = 0;

	Pa_prompt_add(p, PA_SECTION_BODY, "a.md", NULL, body, strlen(body), 0, 0,
	              NULL, "");
	Pa_prompt_add(p, PA_SECTION_PROJECT, "CLAUDE.md", NULL, doc, strlen(doc), 0,
	              0, NULL, "Project:");
	CHECK_EQ_INT(pa_prompt_heavy_blocks(p, tok, 100, &hb, &n, NULL), PA_OK);
	/* The body's paragraph and three headings, each with its text up to
	 * the next heading: no block under a heading is listed again. */
	CHECK_EQ_INT(n, 4);
	for (i = 0; i < n; i++) {
		const pa_heavy_block *b = &hb[i];
		const char *t = b->section ? doc : body;
		size_t j;

		CHECK(b->section <= 1);
		CHECK(b->start < b->end && b->end <= strlen(t));
		/* No two entries share a byte. */
		for (j = 0; j < n; j++)
			if (j != i && hb[j].section == b->section)
				CHECK(hb[j].end <= b->start || hb[j].start >= b->end);
		if (!strcmp(b->label, "Title")) {
			/* A heading weighs with its text, up to "## Sub". */
			found++;
			CHECK_EQ_INT(b->start, 1);
			CHECK_EQ_INT(b->end, strlen("\n# Title\n\nA first paragraph with some words."));
		} else if (!strcmp(b->label, "Sub")) {
			found++;
			CHECK_EQ_INT(b->end, strlen(doc) - strlen("\n\n# Second\n\nLast words here.\n"));
		} else if (strcmp(b->kind, "heading") != 0) {
			/* Any other block is counted as its bytes are. */
			found++;
			CHECK_EQ_INT(count(t + b->start, b->end - b->start), b->tokens);
		}
	}
	CHECK_EQ_INT(found, 3);
	pa_heavy_blocks_free(hb, n);
	pa_prompt_free(p);
}

int main(void)
{
	pa_error err;

	if (pa_tokenizer_load("o200k_base", NULL, &tok, &err) != PA_OK) {
		fprintf(stderr, "cannot load o200k_base: %s\n", err.message);
		return 1;
	}
	RUN(test_ranges);
	pa_tokenizer_free(tok);
	return pa_test_summary();
}
