/* test_trim.c - Markdown blocks and the trimming rules, one by one. */
#include "unit.h"
#include "prompt.h"
#include "markdown.h"

#include <stdlib.h>

static pa_tokenizer *tok;

static size_t count(const char *s, size_t n)
{
	size_t c = 0;
	pa_tokenizer_count(tok, s, n, &c, NULL);
	return c;
}

static void test_blocks(void)
{
	static const char t[] =
		"\n# Title\n"
		"para one\n"
		"still para\n"
		"\n"
		"- a\n"
		"  more a\n"
		"\n"
		"  after blank\n"
		"  - nested\n"
		"```sh\n"
		"# not a heading\n"
		"\n"
		"```\n"
		"Setext\n"
		"---\n"
		"> quote\n"
		"lazy\n"
		"\n"
		"***\n"
		"~~~~\n"
		"open to the end\n";
	static const struct { Pa_md_kind kind; long line; } want[] = {
		{ PA_MD_HEADING, 2 }, { PA_MD_PARAGRAPH, 3 }, { PA_MD_LIST_ITEM, 6 },
		{ PA_MD_LIST_ITEM, 10 }, { PA_MD_FENCE, 11 }, { PA_MD_HEADING, 15 },
		{ PA_MD_QUOTE, 17 }, { PA_MD_BREAK, 20 }, { PA_MD_FENCE, 21 },
	};
	Pa_md_block *b;
	size_t n, i;

	Pa_md_blocks(t, sizeof(t) - 1, &b, &n);
	CHECK_EQ_INT(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n && i < sizeof(want) / sizeof(want[0]); i++) {
		CHECK_EQ_INT(b[i].kind, want[i].kind);
		CHECK_EQ_INT(b[i].line, want[i].line);
		/* The blocks tile the text. */
		CHECK_EQ_INT(b[i].start, i ? b[i - 1].end : 0);
	}
	CHECK_EQ_INT(b[n - 1].end, sizeof(t) - 1);
	CHECK(b[4].fence_closed && b[4].fence_char == '`' && b[4].fence_len == 3);
	CHECK(!b[8].fence_closed && b[8].fence_char == '~' && b[8].fence_len == 4);
	CHECK(Pa_md_has_open_fence(t, sizeof(t) - 1));
	free(b);
	Pa_md_blocks("", 0, &b, &n);
	CHECK_EQ_INT(n, 0);
	free(b);
	Pa_md_blocks("\n\n", 2, &b, &n);
	CHECK_EQ_INT(n, 1);
	free(b);
}

static char *trim(const char *text, size_t budget, pa_section_rule *rule,
                  pa_status *st)
{
	pa_trim_spec spec;
	pa_buf out = PA_BUF_INIT;

	pa_trim_spec_init(&spec, budget);
	if (rule) {
		spec.rules = rule;
		spec.n_rules = 1;
	}
	*st = pa_trim_text(text, strlen(text), "notes.md", tok, &spec, &out, NULL, NULL);
	return pa_buf_detach(&out, NULL);
}

static void test_text_rules(void)
{
	static const char doc[] =
		"# Notes\n\nFirst paragraph here.\n\n## Later\n\nSecond paragraph, a long "
		"one, so long that it takes many more tokens than the heading before it "
		"and the marker that replaces it would take together.\n\n"
		"```\ncode line one\ncode line two\n```\n\nLast words.\n";
	pa_section_rule rule = { NULL, PA_UNSET, PA_UNSET, PA_UNSET, PA_KEEP_UNSET, 0 };
	pa_status st;
	size_t full = count(doc, strlen(doc)), budget;
	char *r;

	/* Fits: unchanged, byte for byte. */
	r = trim(doc, full, NULL, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK_EQ_STR(r, doc);
	free(r);
	/* One block less: the last paragraph goes, a marker says so, the
	 * final newline stays. */
	r = trim(doc, full - 1, NULL, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK(count(r, strlen(r)) <= full - 1);
	CHECK(strstr(r, "Last words") == NULL);
	CHECK(strstr(r, "[promptasm: trimmed ") != NULL);
	CHECK(strstr(r, " from notes.md]\n") != NULL);
	free(r);
	/* A heading is never kept without its text. */
	budget = count("# Notes\n\nFirst paragraph here.\n\n## Later\n\n", 42) + 24;
	r = trim(doc, budget, NULL, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK(strstr(r, "First paragraph") != NULL);
	CHECK(strstr(r, "## Later") == NULL);
	CHECK(count(r, strlen(r)) <= budget);
	free(r);
	/* Budget 0: nothing at all, not even a marker. */
	r = trim(doc, 0, NULL, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK_EQ_STR(r, "");
	free(r);
	/* Keeping the tail: the end survives, the marker comes first. */
	rule.keep = PA_KEEP_TAIL;
	r = trim(doc, full - 8, &rule, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK(strncmp(r, "[promptasm: trimmed ", 20) == 0);
	CHECK(strstr(r, "Last words.\n") != NULL);
	CHECK(strstr(r, "# Notes") == NULL);
	free(r);
	/* A floor larger than the budget cannot be met. */
	rule.keep = PA_KEEP_UNSET;
	rule.floor = (long)full;
	r = trim(doc, 5, &rule, &st);
	CHECK_EQ_INT(st, PA_ERR_OVER_BUDGET);
	CHECK_EQ_STR(r, "");
	free(r);
	/* A text that is one newline fits as it is, and a budget of 0 takes
	 * it (found by fuzz_trim: it came back "" and counted 0). */
	r = trim("\n", 1, NULL, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK_EQ_STR(r, "\n");
	free(r);
	r = trim("\n", 0, NULL, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK_EQ_STR(r, "");
	free(r);
	/* A cap trims even when the budget would fit. */
	rule.floor = PA_UNSET;
	rule.cap = 40;
	r = trim(doc, 1000, &rule, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK(count(r, strlen(r)) <= 40);
	CHECK(strstr(r, "[promptasm: trimmed ") != NULL);
	free(r);
}

/* One long line is cut at a token boundary that is a grapheme boundary. */
static void test_cut_inside(void)
{
	pa_buf doc = PA_BUF_INIT;
	pa_status st;
	char *r;
	int i;

	for (i = 0; i < 200; i++)
		pa_buf_puts(&doc, "👩‍💻 café ");
	r = trim(doc.ptr, 60, NULL, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK(count(r, strlen(r)) <= 60);
	CHECK(strncmp(r, "👩‍💻 café", strlen("👩‍💻 café")) == 0);
	CHECK(pa_utf8_valid(r, strlen(r), NULL));
	CHECK(strstr(r, "(1 block) from notes.md]") != NULL);
	free(r);
	pa_buf_release(&doc);
	/* A fence too big for the room is cut at a line and closed. */
	pa_buf_puts(&doc, "~~~~text\n");
	for (i = 0; i < 100; i++)
		pa_buf_printf(&doc, "line %d of the code\n", i);
	pa_buf_puts(&doc, "~~~~\n");
	r = trim(doc.ptr, 80, NULL, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK(count(r, strlen(r)) <= 80);
	CHECK(strstr(r, "line 0 of the code\n") != NULL);
	CHECK(strstr(r, "\n~~~~\n\n[promptasm: trimmed ") != NULL);
	CHECK(!Pa_md_has_open_fence(r, strlen(r)));
	free(r);
	pa_buf_release(&doc);
}

/* Fences in list items: closed at their column, in head and tail mode. */
static void test_list_fences(void)
{
	static const char tail_end[] = "  ~~~\n  code\n\nafter the list\n";
	pa_section_rule rule = { NULL, PA_UNSET, PA_UNSET, PA_UNSET, PA_KEEP_UNSET, 0 };
	pa_buf doc = PA_BUF_INIT;
	pa_status st;
	char *r;
	int i;

	/* Cut inside a fence opened on an item's line: closed in the item. */
	pa_buf_puts(&doc, "- ```sh\n");
	for (i = 0; i < 40; i++)
		pa_buf_printf(&doc, "  npm run step-%d\n", i);
	pa_buf_puts(&doc, "  ```\n");
	r = trim(doc.ptr, 40, NULL, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK(count(r, strlen(r)) <= 40);
	CHECK(strncmp(r, "- ```sh\n  npm run step-0\n", 25) == 0);
	CHECK(strstr(r, "\n  ```\n\n[promptasm: trimmed ") != NULL);
	CHECK(!Pa_md_has_open_fence(r, strlen(r)));
	free(r);
	/* Keeping the tail from a fence its item's end closed: without the
	 * item, the fence would run on to the end, so it is closed there. */
	pa_buf_reset(&doc);
	pa_buf_puts(&doc, "- an item");
	for (i = 0; i < 30; i++)
		pa_buf_puts(&doc, " with many words");
	pa_buf_printf(&doc, "\n%s", tail_end);
	rule.keep = PA_KEEP_TAIL;
	r = trim(doc.ptr, count(tail_end, strlen(tail_end)) + 24, &rule, &st);
	CHECK_EQ_INT(st, PA_OK);
	CHECK(strstr(r, "]\n\n  ~~~\n  code\n\nafter the list\n  ~~~\n") != NULL);
	CHECK(!Pa_md_has_open_fence(r, strlen(r)));
	free(r);
	pa_buf_release(&doc);
}

static pa_prompt *sample_prompt(void)
{
	pa_prompt *p = Pa_xcalloc(1, sizeof(*p));
	pa_buf big = PA_BUF_INIT;
	int i;

	for (i = 0; i < 20; i++)
		pa_buf_printf(&big, "Paragraph %d with a few words in it.\n\n", i);
	pa_buf_truncate(&big, big.len - 2);
	Pa_prompt_add(p, PA_SECTION_BODY, ".claude/agents/a.md", NULL, "You review code.", 16, 0, 0, NULL, "");
	Pa_prompt_add(p, PA_SECTION_MEMORY, "mem/MEMORY.md", NULL, big.ptr, big.len, 0, 0, NULL, "Memory:");
	Pa_prompt_add(p, PA_SECTION_USER, "~/.claude/CLAUDE.md", NULL, big.ptr, big.len, 0, 0, NULL, "User:");
	Pa_prompt_add(p, PA_SECTION_PROJECT, "CLAUDE.md", NULL, big.ptr, big.len, 0, 0, NULL, "Project:");
	Pa_prompt_add(p, PA_SECTION_IMPORT, "docs/a.md", NULL, big.ptr, big.len, 0, 1, "CLAUDE.md", "Import:");
	Pa_prompt_add(p, PA_SECTION_IMPORT, "docs/b.md", NULL, big.ptr, big.len, 0, 2, "docs/a.md", "Import:");
	pa_buf_release(&big);
	return p;
}

static void test_priorities(void)
{
	pa_prompt *p = sample_prompt();
	pa_buf text = PA_BUF_INIT;
	pa_trim_spec spec;
	pa_trim_report *rep = NULL;
	size_t full;

	pa_prompt_render(p, &text);
	full = count(text.ptr, text.len);
	/* Room for about three of the five trimmable sections. */
	pa_trim_spec_init(&spec, full * 3 / 5);
	CHECK_EQ_INT(pa_trim_prompt(p, tok, &spec, &rep, NULL), PA_OK);
	if (rep) {
		CHECK_EQ_INT(rep->n_sections, 6);
		CHECK_EQ_INT(rep->sections[0].action, PA_TRIM_KEPT);     /* body */
		CHECK(rep->sections[1].action != PA_TRIM_KEPT);          /* memory first */
		CHECK(rep->sections[5].action != PA_TRIM_KEPT);          /* deeper import */
		CHECK_EQ_INT(rep->sections[3].action, PA_TRIM_KEPT);     /* project last */
		CHECK_EQ_INT(rep->sections[1].priority, PA_PRIORITY_MEMORY);
		CHECK_EQ_STR(rep->sections[1].reason, "budget");
		CHECK(rep->tokens_after <= full * 3 / 5);
		CHECK_EQ_INT(rep->tokens_before, full);
	}
	pa_trim_report_free(rep);
	pa_prompt_free(p);

	/* The body alone is over: over budget, with how much is missing. */
	p = sample_prompt();
	pa_trim_spec_init(&spec, 2);
	CHECK_EQ_INT(pa_trim_prompt(p, tok, &spec, &rep, NULL), PA_ERR_OVER_BUDGET);
	if (rep)
		CHECK_EQ_INT(rep->missing, count("You review code.\n", 17) - 2);
	pa_trim_report_free(rep);
	pa_prompt_free(p);

	/* With trim_body, budget 0 is an empty prompt. */
	p = sample_prompt();
	pa_trim_spec_init(&spec, 0);
	spec.trim_body = 1;
	CHECK_EQ_INT(pa_trim_prompt(p, tok, &spec, NULL, NULL), PA_OK);
	pa_buf_reset(&text);
	pa_prompt_render(p, &text);
	CHECK_EQ_INT(text.len, 0);
	pa_prompt_free(p);
	pa_buf_release(&text);
}

/* A cap holds for the marker the budget puts in (found by fuzz_trim: a
 * section of 3 tokens under a cap of 16, emptied for the budget, kept a
 * marker of 17). */
static void test_cap_holds_for_budget_marker(void)
{
	pa_prompt *p = Pa_xcalloc(1, sizeof(*p));
	pa_section_rule rule = { "memory", PA_UNSET, PA_UNSET, 16, PA_KEEP_UNSET, 0 };
	pa_buf big = PA_BUF_INIT, text = PA_BUF_INIT;
	pa_trim_spec spec;
	pa_trim_report *rep = NULL;
	size_t i;

	for (i = 0; i < 40; i++)
		pa_buf_printf(&big, "Paragraph %zu of the project's notes.\n\n", i);
	Pa_prompt_add(p, PA_SECTION_BODY, "a.md", NULL, "You review code.", 16, 0, 0, NULL, "");
	Pa_prompt_add(p, PA_SECTION_MEMORY, "mem/MEMORY.md", NULL, "Be brief.", 9, 0, 0, NULL, "Memory:");
	Pa_prompt_add(p, PA_SECTION_PROJECT, "CLAUDE.md", NULL, big.ptr, big.len, 0, 0, NULL, "Project:");
	pa_prompt_render(p, &text);
	pa_trim_spec_init(&spec, count(text.ptr, text.len) / 2);
	spec.rules = &rule;
	spec.n_rules = 1;
	CHECK_EQ_INT(pa_trim_prompt(p, tok, &spec, &rep, NULL), PA_OK);
	if (rep) {
		CHECK(rep->sections[1].tokens_before <= 16);
		CHECK(rep->sections[1].tokens_after <= 16);
		CHECK_EQ_INT(rep->sections[1].action, PA_TRIM_DROPPED);
		CHECK(rep->tokens_after <= spec.budget);
	}
	pa_trim_report_free(rep);
	pa_prompt_free(p);
	pa_buf_release(&big);
	pa_buf_release(&text);
}

static void test_estimate_margin(void)
{
	pa_tokenizer *claude;
	pa_trim_spec spec;

	if (pa_tokenizer_load("claude", NULL, &claude, NULL) != PA_OK) {
		CHECK(!"claude tokenizer");
		return;
	}
	/* Whether counts are estimates is decided with the tokenizer's pick
	 * (pa_session_tokenizer) and carried in the spec. */
	pa_trim_spec_init(&spec, 1000);
	spec.estimate = pa_tokenizer_is_estimate(claude, NULL);
	CHECK_EQ_INT(pa_trim_effective_budget_of(&spec, spec.estimate), 850);
	spec.estimate = pa_tokenizer_is_estimate(tok, NULL);
	CHECK_EQ_INT(pa_trim_effective_budget_of(&spec, spec.estimate), 1000);
	spec.reserve = 200;
	spec.estimate = pa_tokenizer_is_estimate(claude, NULL);
	CHECK_EQ_INT(pa_trim_effective_budget_of(&spec, spec.estimate), 680);
	/* served exactly */
	spec.estimate = pa_tokenizer_is_estimate(claude, "claude-2.1");
	CHECK_EQ_INT(pa_trim_effective_budget_of(&spec, spec.estimate), 800);
	spec.budget = PA_NO_BUDGET;
	CHECK(pa_trim_effective_budget_of(&spec, 1) == PA_NO_BUDGET);
	pa_tokenizer_free(claude);
}

static void test_rule_match(void)
{
	pa_section_rule r = { "CLAUDE.md", PA_UNSET, PA_UNSET, PA_UNSET, PA_KEEP_UNSET, 0 };

	CHECK(pa_section_rule_matches(&r, PA_SECTION_PROJECT, "a/b/CLAUDE.md"));
	CHECK(!pa_section_rule_matches(&r, PA_SECTION_PROJECT, "a/CLAUDE.local.md"));
	r.match = "docs/*";
	CHECK(pa_section_rule_matches(&r, PA_SECTION_IMPORT, "docs/x/y.md"));
	r.match = "import";
	CHECK(pa_section_rule_matches(&r, PA_SECTION_IMPORT, "whatever"));
	CHECK(!pa_section_rule_matches(&r, PA_SECTION_RULE, "whatever"));
	r.match = "instructions";
	CHECK(pa_section_rule_matches(&r, PA_SECTION_RULE, "x"));
	CHECK(!pa_section_rule_matches(&r, PA_SECTION_MEMORY, "x"));
	r.match = "*";
	r.instructions_only = 1;
	CHECK(!pa_section_rule_matches(&r, PA_SECTION_BODY, "x"));
	r.instructions_only = 0;
	/* a double star and slash also match no directory at all */
	r.match = "**/CLAUDE.md";
	CHECK(pa_section_rule_matches(&r, PA_SECTION_PROJECT, "CLAUDE.md"));
	CHECK(pa_section_rule_matches(&r, PA_SECTION_PROJECT, "a/b/CLAUDE.md"));
	r.match = "a/**/**/b.md";
	CHECK(pa_section_rule_matches(&r, PA_SECTION_IMPORT, "a/b.md"));
	CHECK(pa_section_rule_matches(&r, PA_SECTION_IMPORT, "a/x/b.md"));
	CHECK(pa_section_rule_matches(&r, PA_SECTION_IMPORT, "a/x/y/z/b.md"));
	CHECK(!pa_section_rule_matches(&r, PA_SECTION_IMPORT, "ab.md"));
	r.match = "x**/b.md"; /* not after a slash: as written */
	CHECK(!pa_section_rule_matches(&r, PA_SECTION_IMPORT, "b.md"));
	CHECK(pa_section_rule_matches(&r, PA_SECTION_IMPORT, "x/b.md"));
}

/* A repository's config may hold any pattern: each double star was once
 * left out, then every other after it, in every order (20 of them:
 * billions of fnmatch calls, hours); now each subset of the first 8
 * once.  The first 8 are tried both ways, those after as written. */
static void test_rule_match_many_double_stars(void)
{
	pa_section_rule r = { NULL, PA_UNSET, PA_UNSET, PA_UNSET, PA_KEEP_UNSET, 0 };
	char m[256] = "";
	int i;

	for (i = 0; i < 20; i++)
		strcat(m, "/**");
	strcat(m, "/x.md");
	r.match = m;
	CHECK(!pa_section_rule_matches(&r, PA_SECTION_IMPORT, "/a/b/c/d/e/f/g/h/i/j/y.md"));
	CHECK(pa_section_rule_matches(&r, PA_SECTION_IMPORT, "/a/b/c/d/e/f/g/h/i/j/k/l/x.md"));
	r.match = "/:*/**/***/**/**/e/ /*/e/ /**/**/**/**/:*/**/**/**/:";
	CHECK(!pa_section_rule_matches(&r, PA_SECTION_IMPORT, "/a/b/CLAUDE.md"));
	/* 9 double stars: the ninth only as written, so a path needs a
	 * directory for it */
	r.match = "**/**/**/**/**/**/**/**/**/x.md";
	CHECK(!pa_section_rule_matches(&r, PA_SECTION_IMPORT, "x.md"));
	CHECK(pa_section_rule_matches(&r, PA_SECTION_IMPORT, "a/x.md"));
}

int main(void)
{
	pa_error err;

	if (pa_tokenizer_load("o200k_base", NULL, &tok, &err) != PA_OK) {
		fprintf(stderr, "cannot load o200k_base: %s\n", err.message);
		return 1;
	}
	RUN(test_blocks);
	RUN(test_text_rules);
	RUN(test_cut_inside);
	RUN(test_list_fences);
	RUN(test_priorities);
	RUN(test_cap_holds_for_budget_marker);
	RUN(test_estimate_margin);
	RUN(test_rule_match);
	RUN(test_rule_match_many_double_stars);
	pa_tokenizer_free(tok);
	return pa_test_summary();
}
