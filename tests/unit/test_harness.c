/* test_harness.c - the other agent CLIs: the TOML reader Codex's
 * config.toml is read with (src/discover/toml.c), strict as TOML is and
 * safe on hostile input, and Codex's shared byte budget (harness.c). */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "promptasm.h"
#include "discover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct seen {
	char model[64];
	long long max;
	size_t nfall;
	char fall0[64];
	int calls;
	long line;
} seen;

static void cb(void *ctx, const char *key, const hx_toml_value *v)
{
	seen *s = ctx;

	s->calls++;
	if (!strcmp(key, "model") && v->type == HX_TOML_STRING)
		snprintf(s->model, sizeof(s->model), "%s", v->str);
	if (!strcmp(key, "project_doc_max_bytes") && v->type == HX_TOML_INT) {
		s->max = v->num;
		s->line = v->line;
	}
	if (!strcmp(key, "project_doc_fallback_filenames") && v->type == HX_TOML_ARRAY) {
		s->nfall = v->strs ? v->n : 0;
		if (v->strs && v->n)
			snprintf(s->fall0, sizeof(s->fall0), "%s", v->strs[0]);
	}
}

static pa_status parse(const char *doc, seen *s, pa_error *err)
{
	memset(s, 0, sizeof(*s));
	memset(err, 0, sizeof(*err));
	return Pa_hx_toml_parse(doc, strlen(doc), "config.toml", cb, s, err);
}

static void test_toml_values(void)
{
	static const char doc[] =
		"\xEF\xBB\xBF# the user's settings\r\n"
		"model = \"gpt-5.5\" # a comment\n"
		"project_doc_max_bytes = 65_536\n"
		"project_doc_fallback_filenames = [\n  'CLAUDE.md', # first\n  \"TEAM.md\",\n]\n"
		"approval_policy = \"\"\"\nnever\"\"\"\n"
		"ratio = 1.5e3\nwhen = 1979-05-27T07:32:00Z\n"
		"inline = { a = 1, b = [1, 2] }\n"
		"[model_providers.x]\nmodel = \"not top-level\"\n"
		"[[profiles]]\nname = 'a'\n[[profiles]]\nname = 'b'\n";
	seen s;
	pa_error err;

	CHECK_EQ_INT(parse(doc, &s, &err), PA_OK);
	CHECK_EQ_STR(s.model, "gpt-5.5");
	CHECK_EQ_INT(s.max, 65536);
	CHECK_EQ_INT(s.line, 3);
	CHECK_EQ_INT(s.nfall, 2);
	CHECK_EQ_STR(s.fall0, "CLAUDE.md");
	CHECK_EQ_INT(s.calls, 7); /* the tables' keys never reach the caller */
}

static void test_toml_errors(void)
{
	static const struct { const char *doc; long line, column; } bad[] = {
		{ "model = \"a\"\nmodel = \"b\"\n", 2, 1 },        /* defined twice */
		{ "model = \"unterminated\n", 1, 22 },   /* a newline in it */
		{ "x = 0123\n", 1, 5 },                           /* leading zero */
		{ "x = 99999999999999999999\n", 1, 5 },           /* out of range */
		{ "x = [1, 2\n", 2, 1 },
		{ "x = \"\\q\"\n", 1, 6 },                        /* unknown escape */
		{ "x = 1 y = 2\n", 1, 7 },
		{ "[a]\n[a]\n", 2, 1 },
		{ "= 1\n", 1, 1 },
		{ "x = \"a\x01b\"\n", 1, 7 },                     /* control character */
		{ "x = nope\n", 1, 5 },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		seen s;
		pa_error err;

		CHECK_EQ_INT(parse(bad[i].doc, &s, &err), PA_ERR_PARSE);
		CHECK_EQ_STR(err.file, "config.toml");
		CHECK_EQ_INT(err.line, bad[i].line);
		CHECK_EQ_INT(err.column, bad[i].column);
	}
}

/* Deep nesting and long input end in an error or a value, never a crash
 * or a stack overflow. */
static void test_toml_hostile(void)
{
	size_t n = 100000, i;
	char *doc = malloc(n * 2 + 16);
	seen s;
	pa_error err;

	strcpy(doc, "x = ");
	for (i = 0; i < n; i++)
		doc[4 + i] = '[';
	doc[4 + n] = '\0';
	CHECK_EQ_INT(parse(doc, &s, &err), PA_ERR_PARSE);
	CHECK(strstr(err.message, "nested") != NULL);
	CHECK_EQ_INT(Pa_hx_toml_parse("x = \"\xff\"", 8, "c.toml", cb, &s, &err), PA_ERR_UTF8);
	free(doc);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

/* Codex: the project's files share project_doc_max_bytes root first; the
 * global file is exempt; the option overrides the configuration. */
static void test_codex_budget(void)
{
	char tmpl[] = "/tmp/harness-unit.XXXXXX";
	char *d = mkdtemp(tmpl), p[512], big[301];
	pa_harness_options o;
	pa_harness *h = NULL;
	pa_warnings w = { 0 };
	pa_error err;
	const pa_harness_file *f;

	memset(big, 'a', 300);
	big[300] = '\0';
	snprintf(p, sizeof(p), "%s/home", d); mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/home/.codex", d); mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/proj", d); mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/proj/.git", d); mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/proj/sub", d); mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/home/.codex/config.toml", d);
	write_file(p, "project_doc_max_bytes = 250\n");
	snprintf(p, sizeof(p), "%s/home/.codex/AGENTS.md", d); write_file(p, big);
	snprintf(p, sizeof(p), "%s/proj/AGENTS.md", d); write_file(p, "line one\nline two\n");
	snprintf(p, sizeof(p), "%s/proj/sub/AGENTS.md", d); write_file(p, big);
	snprintf(p, sizeof(p), "%s/proj/sub/CLAUDE.md", d); write_file(p, "x");
	snprintf(p, sizeof(p), "%s/home", d);
	pa_harness_options_init(&o);
	o.home = p;
	{
		char cwd[512];

		snprintf(cwd, sizeof(cwd), "%s/proj/sub", d);
		o.cwd = cwd;
		CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
		CHECK_EQ_INT(pa_harness_file_count(h), 3);
		CHECK_EQ_INT(pa_harness_max_bytes(h, NULL), 250);
		f = pa_harness_file_at(h, 0);
		CHECK(f && f->global && f->sent == 300 && !f->cut_line);
		f = pa_harness_file_at(h, 1);
		CHECK(f && !strcmp(f->path, "AGENTS.md") && f->sent == 18);
		f = pa_harness_file_at(h, 2);
		CHECK(f && f->sent == 232 && f->cut_line == 1 && f->cut_column == 233);
		CHECK_EQ_INT(pa_harness_unread_count(h), 1);
		pa_harness_free(h);
		o.max_bytes = 18;
		CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
		f = pa_harness_file_at(h, 2);
		CHECK(f && f->dropped && f->sent == 0);
		pa_harness_free(h);
		o.max_bytes = 0;
		CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
		f = pa_harness_file_at(h, 1);
		CHECK(f && f->dropped);
		pa_harness_free(h);
		/* a configuration that does not parse is an error naming it */
		snprintf(p, sizeof(p), "%s/home/.codex/config.toml", d);
		write_file(p, "project_doc_max_bytes = = 1\n");
		snprintf(p, sizeof(p), "%s/home", d);
		CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_ERR_PARSE);
		CHECK(h == NULL && err.line == 1 && strstr(err.file, "config.toml"));
	}
	pa_warnings_release(&w);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
		CHECK_EQ_INT(system(cmd), 0);
	}
}

int main(void)
{
	RUN(test_toml_values);
	RUN(test_toml_errors);
	RUN(test_toml_hostile);
	RUN(test_codex_budget);
	return pa_test_summary();
}
