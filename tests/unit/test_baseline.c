/* test_baseline.c - reading a check report back, and growth limits. */
#include "unit.h"
#include "promptasm.h"
#include "util.h"

#include <string.h>

static void test_parse(void)
{
	static const char report[] =
		"{\n  \"version\": 1,\n  \"agents\": [\n"
		"    {\"name\": \"a\", \"tokenizer\": \"claude\", \"tokens\": 120, \"scope\": \"prompt\","
		" \"claude_code\": {\"anything\": [1, 2]}},\n"
		"    {\"name\": \"b\\u00e9\", \"tokenizer\": \"o200k_base\", \"tokens\": 0, \"scope\": \"context\"}\n"
		"  ],\n  \"status\": \"ok\"\n}\n";
	Pa_baseline *b = NULL;
	pa_error err;
	const Pa_baseline_agent *a;

	CHECK_EQ_INT(Pa_baseline_parse(report, strlen(report), "r.json", &b, &err), PA_OK);
	CHECK(Pa_baseline_count(b) == 2);
	CHECK_EQ_STR(Pa_baseline_agent_at(b, 1)->name, "b\xc3\xa9");
	CHECK(Pa_baseline_agent_at(b, 2) == NULL);
	a = Pa_baseline_find(b, "a");
	CHECK(a && a->tokens == 120 && a->scope == PA_SCOPE_PROMPT);
	CHECK_EQ_STR(a ? a->tokenizer : NULL, "claude");
	a = Pa_baseline_find(b, "b\xc3\xa9");
	CHECK(a && a->tokens == 0 && a->scope == PA_SCOPE_CONTEXT);
	CHECK(Pa_baseline_find(b, "c") == NULL);
	Pa_baseline_free(b);
	Pa_baseline_free(NULL);
}

/* The sections say which file grew; a report without them (or with
 * null) has none, and that is no error. */
static void test_sections(void)
{
	static const char report[] =
		"{\"version\": 1, \"agents\": [\n"
		"  {\"name\": \"a\", \"tokenizer\": \"claude\", \"tokens\": 30, \"sections\": [\n"
		"    {\"kind\": \"body\", \"path\": \".claude/agents/a.md\", \"tokens\": 10},\n"
		"    {\"kind\": \"import\", \"path\": \"docs/x|y.md\", \"tokens\": 20, \"change\": 3}]},\n"
		"  {\"name\": \"b\", \"tokenizer\": \"claude\", \"tokens\": 1, \"sections\": null},\n"
		"  {\"name\": \"c\", \"tokenizer\": \"claude\", \"tokens\": 1}]}\n";
	Pa_baseline *b = NULL;
	pa_error err;
	const Pa_baseline_agent *a;

	CHECK_EQ_INT(Pa_baseline_parse(report, strlen(report), "r.json", &b, &err), PA_OK);
	a = Pa_baseline_find(b, "a");
	CHECK(a && a->nsections == 2);
	if (a && a->nsections == 2) {
		CHECK_EQ_STR(a->sections[0].kind, "body");
		CHECK_EQ_STR(a->sections[1].path, "docs/x|y.md");
		CHECK(a->sections[1].tokens == 20);
	}
	a = Pa_baseline_find(b, "b");
	CHECK(a && a->nsections == 0 && a->sections == NULL);
	a = Pa_baseline_find(b, "c");
	CHECK(a && a->nsections == 0);
	Pa_baseline_free(b);
}

static void test_bad(void)
{
	static const struct {
		const char *text;
		long line;
	} cases[] = {
		{ "[1, 2]\n", 1 },
		{ "{\"agents\": []}\n", 1 },
		{ "{\"version\": 3, \"agents\": []}\n", 1 },
		{ "{\"version\": 0, \"agents\": []}\n", 1 },
		{ "{\"version\": 1}\n", 1 },
		{ "{\"version\": 1, \"agents\": [\n  {\"name\": \"a\", \"tokens\": 1}]}\n", 2 },
		{ "{\"version\": 1, \"agents\": [\n  {\"name\": \"a\", \"tokenizer\": \"x\", \"tokens\": -1}]}\n", 2 },
		{ "{\"version\": 1, \"agents\": [\n  {\"name\": \"a\", \"tokenizer\": \"x\", \"tokens\": 1, \"scope\": \"all\"}]}\n", 2 },
		{ "{\"version\": 1, \"agents\": [\n", 2 },
		{ "{\"version\": 1, \"agents\": [\n  {\"name\": \"a\", \"tokenizer\": \"x\", \"tokens\": 1, \"sections\": 3}]}\n", 2 },
		{ "{\"version\": 1, \"agents\": [\n  {\"name\": \"a\", \"tokenizer\": \"x\", \"tokens\": 1, \"sections\": [\n"
		  "    {\"kind\": \"body\", \"tokens\": 1}]}]}\n", 3 },
		/* a key twice: the first was read, a hand edit after it
		 * dropped without a word */
		{ "{\"version\": 1, \"agents\": [\n  {\"name\": \"a\", \"tokenizer\": \"x\",\n"
		  "   \"tokens\": 1, \"tokens\": 900}]}\n", 3 },
		{ "{\"version\": 1, \"agents\": [],\n \"agents\": [{\"name\": 1}]}\n", 2 },
		/* an agent twice: the first was compared */
		{ "{\"version\": 1, \"agents\": [\n  {\"name\": \"a\", \"tokenizer\": \"x\", \"tokens\": 1},\n"
		  "  {\"name\": \"a\", \"tokenizer\": \"x\", \"tokens\": 900}]}\n", 3 },
		/* a listing not a count: its growth was not compared */
		{ "{\"version\": 1, \"agents\": [\n  {\"name\": \"a\", \"tokenizer\": \"x\", \"tokens\": 1,\n"
		  "   \"listing\": \"9\"}]}\n", 3 },
		{ "{\"version\": 1, \"agents\": [\n  {\"name\": \"a\", \"tokenizer\": \"x\", \"tokens\": 1,\n"
		  "   \"listing\": -3}]}\n", 3 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		Pa_baseline *b = NULL;
		pa_error err;

		CHECK_EQ_INT(Pa_baseline_parse(cases[i].text, strlen(cases[i].text), "r.json",
		                               &b, &err), PA_ERR_PARSE);
		CHECK(b == NULL);
		CHECK_EQ_STR(err.file, "r.json");
		CHECK_EQ_INT(err.line, cases[i].line);
	}
}

static void test_growth(void)
{
	Pa_growth_limit g;
	pa_buf s = PA_BUF_INIT;

	CHECK(Pa_growth_limit_parse("10%", &g) && g.set && g.relative);
	CHECK(!Pa_growth_exceeds(&g, 1000, 1100)); /* exactly 10%: not past it */
	CHECK(Pa_growth_exceeds(&g, 1000, 1101));
	CHECK(!Pa_growth_exceeds(&g, 1000, 10));   /* shrinking never fails */
	CHECK(Pa_growth_exceeds(&g, 0, 1));        /* from nothing: past any share */
	Pa_growth_limit_format(&g, &s);
	CHECK_EQ_STR(s.ptr, "10%");
	CHECK(Pa_growth_limit_parse("12.5%", &g) && g.share == 0.125);
	CHECK(Pa_growth_limit_parse("0%", &g) && Pa_growth_exceeds(&g, 5, 6));
	CHECK(Pa_growth_limit_parse("250%", &g) && !Pa_growth_exceeds(&g, 10, 35));

	CHECK(Pa_growth_limit_parse("1,500", &g) && g.set && !g.relative && g.tokens == 1500);
	CHECK(!Pa_growth_exceeds(&g, 100, 1600));
	CHECK(Pa_growth_exceeds(&g, 100, 1601));
	pa_buf_reset(&s);
	Pa_growth_limit_format(&g, &s);
	CHECK_EQ_STR(s.ptr, "1,500 tokens");

	CHECK(!Pa_growth_limit_parse("", &g) && !g.set);
	CHECK(!Pa_growth_limit_parse("%", &g));
	CHECK(!Pa_growth_limit_parse("-5%", &g));
	CHECK(!Pa_growth_limit_parse("ten", &g));
	CHECK(!Pa_growth_limit_parse("0.1", &g));
	CHECK(!Pa_growth_limit_parse("5 %", &g));
	CHECK(!Pa_growth_limit_parse("nan%", &g));
	CHECK(!Pa_growth_limit_parse("0x10%", &g));
	CHECK(!Pa_growth_limit_parse("1e1%", &g));
	CHECK(!Pa_growth_limit_parse(" 5%", &g));
	memset(&g, 0, sizeof(g));
	CHECK(!Pa_growth_exceeds(&g, 0, 1000000)); /* no limit */
	pa_buf_release(&s);
}

/* One reading of a share for --margin, margin: and --max-growth: decimal
 * digits, at most one '.', an optional '%' right after them. */
static void test_share(void)
{
	double v = -1;

	CHECK(Pa_share_parse("15%", &v) && v == 0.15);
	CHECK(Pa_share_parse("0.15", &v) && v == 0.15);
	CHECK(Pa_share_parse("0%", &v) && v == 0);
	CHECK(Pa_share_parse(".5", &v) && v == 0.5);
	CHECK(Pa_share_parse("250%", &v) && v == 2.5);
	CHECK(!Pa_share_parse("", &v));
	CHECK(!Pa_share_parse("%", &v));
	CHECK(!Pa_share_parse(".", &v));
	CHECK(!Pa_share_parse("1.2.3", &v));
	CHECK(!Pa_share_parse("15 %", &v));
	CHECK(!Pa_share_parse(" 0.1", &v));
	CHECK(!Pa_share_parse("-0.1", &v));
	CHECK(!Pa_share_parse("+0.1", &v));
	CHECK(!Pa_share_parse("0x1p-2", &v));
	CHECK(!Pa_share_parse("1e-1", &v));
	CHECK(!Pa_share_parse("inf", &v));
	CHECK(!Pa_share_parse("nan", &v));
	CHECK(!Pa_share_parse("15%%", &v));
	/* a share past a double's range below is one all the same: 0, or
	 * next to it (it was refused as not "below 100%") */
	{
		char tiny[420] = "0.";

		memset(tiny + 2, '0', 400);
		strcpy(tiny + 402, "1");
		v = -1;
		CHECK(Pa_share_parse(tiny, &v) && v >= 0 && v < 1e-300);
		strcat(tiny, "%");
		v = -1;
		CHECK(Pa_share_parse(tiny, &v) && v >= 0 && v < 1e-300);
	}
}

int main(void)
{
	RUN(test_share);
	RUN(test_parse);
	RUN(test_sections);
	RUN(test_bad);
	RUN(test_growth);
	return pa_test_summary();
}
