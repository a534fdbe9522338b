/* test_clis.c - the other agent CLIs: the TOML reader Codex's
 * config.toml is read with (src/discover/toml.c), strict as TOML is and
 * safe on hostile input, Codex's shared byte budget (harness.c), the
 * table of backends (backend.h), the environment passed in (Pa_env_get(), util.h) and
 * what each backend reads from it, Copilot's applyTo and Gemini's
 * @imports. */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "promptasm.h"
#include "discover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct seen {
	char model[64];
	size_t model_len; /* its bytes, a NUL too */
	long long max;
	size_t nfall;
	char fall0[64];
	size_t fall0_len; /* its bytes, a NUL too */
	int calls;
	int nested;       /* keys below the top table, and [tables] */
	int provider_model; /* model of [model_providers.x], by its path */
	long line;
} seen;

static void cb(void *ctx, const char *key, const hx_toml_value *v)
{
	seen *s = ctx;

	if (v->nested) {
		const char *p = key, *seg;
		size_t n;

		s->nested++;
		if (Pa_hx_toml_segment(&p, &seg, &n) && n == 15 &&
		    !memcmp(seg, "model_providers", 15) &&
		    Pa_hx_toml_segment(&p, &seg, &n) && n == 1 && *seg == 'x' &&
		    Pa_hx_toml_segment(&p, &seg, &n) && n == 5 &&
		    !memcmp(seg, "model", 5) && !*p && v->type == HX_TOML_STRING)
			s->provider_model = !strcmp(v->str, "not top-level");
		return;
	}
	s->calls++;
	if (!strcmp(key, "model") && v->type == HX_TOML_STRING) {
		snprintf(s->model, sizeof(s->model), "%s", v->str);
		s->model_len = v->len;
	}
	if (!strcmp(key, "project_doc_max_bytes") && v->type == HX_TOML_INT) {
		s->max = v->num;
		s->line = v->line;
	}
	if (!strcmp(key, "project_doc_fallback_filenames") && v->type == HX_TOML_ARRAY) {
		s->nfall = v->strs ? v->n : 0;
		if (v->strs && v->n) {
			snprintf(s->fall0, sizeof(s->fall0), "%s", v->strs[0]);
			s->fall0_len = v->lens[0];
		}
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
		"[[profiles]]\nname = 'a'\n[[profiles]]\nname = 'b'\n"
		/* defined once each, as TOML allows */
		"[profiles.sub]\nk = 1\n[t.u]\n[t]\nv = 1\nw.x = 1\nw.y = 2\n[t.w.z]\n"
		"[arr]\nl = [{ a = 1 }, { a = 2 }]\n\"a\\u0000b\" = 1\na.b = 1\n";
	seen s;
	pa_error err;

	CHECK_EQ_INT(parse(doc, &s, &err), PA_OK);
	CHECK_EQ_STR(s.model, "gpt-5.5");
	CHECK_EQ_INT(s.max, 65536);
	CHECK_EQ_INT(s.line, 3);
	CHECK_EQ_INT(s.nfall, 2);
	CHECK_EQ_STR(s.fall0, "CLAUDE.md");
	CHECK_EQ_INT(s.calls, 7); /* the top table's keys, as written */
	/* the others by their whole path: 12 keys and 7 [tables] (never
	 * [[arrays]]), a dotted key of the top table too */
	CHECK_EQ_INT(s.nested, 16);
	CHECK(s.provider_model);
}

/* A string holding a NUL ("\u0000") is given whole, with its length,
 * as Codex's TOML reader keeps it (its C string was all there was:
 * developer_instructions were counted up to the NUL); a key of the top
 * table holding one is given as its path, never as the C string that
 * names another key ("model\u0000x" was taken for model). */
static void test_toml_nul(void)
{
	seen s;
	pa_error err;

	CHECK_EQ_INT(parse("model = \"gpt\\u0000 and more\"\n", &s, &err), PA_OK);
	CHECK_EQ_STR(s.model, "gpt");
	CHECK_EQ_INT(s.model_len, 13);
	CHECK_EQ_INT(parse("\"model\\u0000x\" = \"gpt-4.1\"\n", &s, &err), PA_OK);
	CHECK_EQ_INT(s.model_len, 0);
	CHECK_EQ_INT(s.calls, 0);
	CHECK_EQ_INT(s.nested, 1);
}

/* TOML's hexadecimal, octal and binary integers are integers: Codex
 * takes project_doc_max_bytes = 0x10000 as 65,536 (they were read as
 * something else, a value of the wrong type, and its default applied);
 * written otherwise they are not. */
static void test_toml_prefixed_ints(void)
{
	static const struct { const char *doc; long long want; } cases[] = {
		{ "project_doc_max_bytes = 0x10000\n", 65536 },
		{ "project_doc_max_bytes = 0xdead_BEEF\n", 0xdeadbeefLL },
		{ "project_doc_max_bytes = 0o200_000\n", 65536 },
		{ "project_doc_max_bytes = 0b1_0000_0000\n", 256 },
		{ "project_doc_max_bytes = 0x7fffffffffffffff\n", 0x7fffffffffffffffLL },
		{ "project_doc_max_bytes = 0x_10\n", -1 },
		{ "project_doc_max_bytes = 0x1__0\n", -1 },
		{ "project_doc_max_bytes = 0o8\n", -1 },
		{ "project_doc_max_bytes = 0b12\n", -1 },
		{ "project_doc_max_bytes = 0X10\n", -1 },
	};
	seen s;
	pa_error err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(cases[i].doc, &s, &err) != PA_OK) {
			CHECK_EQ_INT(cases[i].want, -1);
			continue;
		}
		CHECK_EQ_INT(s.max, cases[i].want == -1 ? 0 : cases[i].want);
	}
	CHECK_EQ_INT(parse("project_doc_max_bytes = 0x8000000000000000\n", &s, &err),
	             PA_ERR_PARSE);
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
		/* TOML 1.0: a key, a table, defined once */
		{ "model = \"a\"\n[model]\n", 2, 1 },       /* a value, then a table */
		{ "[model]\nx = 1\n[model]\n", 3, 1 },      /* a table twice */
		{ "a.b = 1\n[a]\n", 2, 1 },                   /* dotted, then a header */
		{ "a = 1\na.b = 2\n", 2, 1 },                 /* a value used as a table */
		{ "[a]\nb = 1\n[a.b]\n", 3, 1 },             /* a value made a table */
		{ "[a.b.c]\n[a]\nb.c.d = 1\n", 3, 1 },      /* a header's table, dotted */
		{ "[[a]]\n[a]\n", 2, 1 },                     /* an array, then a table */
		{ "[a]\n[[a]]\n", 2, 1 },
		{ "a = [1]\n[[a]]\n", 2, 1 },                 /* a static array */
		{ "x = { a = 1, a.b = 2 }\n", 1, 14 },       /* in an inline table */
		{ "\"model\" = 1\nmodel = 2\n", 2, 1 },      /* quoted and bare */
		{ "[[p]]\nx = 1\nx = 2\n", 3, 1 },           /* in an element */
		{ "x = 1\ny = \"\"\"\nno end\n", 2, 5 },    /* where the string began */
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
	/* named at its line and column, not by its byte offset alone */
	memset(&err, 0, sizeof(err));
	CHECK_EQ_INT(Pa_hx_toml_parse("x = 1\ny = \"\xff\"", 13, "c.toml", cb, &s, &err),
	             PA_ERR_UTF8);
	CHECK(err.line == 2 && err.column == 6);
	/* a string holding a NUL is told from the C string before it */
	CHECK_EQ_INT(parse("project_doc_fallback_filenames = [\"A.md\\u0000x\"]\n", &s,
	                   &err), PA_OK);
	CHECK_EQ_INT(s.nfall, 1);
	CHECK_EQ_STR(s.fall0, "A.md");
	CHECK_EQ_INT(s.fall0_len, 6);
	free(doc);
}

/* Every key's path is made whole (copied, hashed, recorded): a [header]
 * of 100 KB then 5,000 keys made 500 MB of paths, one key of 20,000
 * dotted parts 400 MB.  Both are refused past HX_TOML_PATH_FACTOR times
 * the file, at the key that passes it; 50,000 dotted keys of a usual
 * length are read. */
static void test_toml_paths_linear(void)
{
	pa_buf doc = PA_BUF_INIT;
	seen s;
	pa_error err;
	size_t i;

	pa_buf_putc(&doc, '[');
	for (i = 0; i < 100000; i++)
		pa_buf_putc(&doc, 'h');
	pa_buf_puts(&doc, "]\n");
	for (i = 0; i < 5000; i++)
		pa_buf_printf(&doc, "k%zu = 1\n", i);
	CHECK_EQ_INT(parse(doc.ptr, &s, &err), PA_ERR_PARSE);
	CHECK(strstr(err.message, "HX_TOML_PATH_FACTOR") != NULL);
	CHECK(err.line > 1 && err.line < 5000);

	pa_buf_reset(&doc);
	for (i = 0; i < 20000; i++)
		pa_buf_puts(&doc, i ? ".a" : "a");
	pa_buf_puts(&doc, " = 1\n");
	CHECK_EQ_INT(parse(doc.ptr, &s, &err), PA_ERR_PARSE);
	CHECK(strstr(err.message, "HX_TOML_PATH_FACTOR") != NULL);
	CHECK_EQ_INT(err.line, 1);

	pa_buf_reset(&doc);
	for (i = 0; i < 50000; i++)
		pa_buf_printf(&doc, "model_providers.p%zu.name = \"x\"\n", i);
	CHECK_EQ_INT(parse(doc.ptr, &s, &err), PA_OK);
	CHECK_EQ_INT(s.nested, 50000);
	pa_buf_release(&doc);
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


/* Makes d/rel's directories and writes text there. */
static void put(const char *d, const char *rel, const char *text)
{
	char p[600], *s;

	snprintf(p, sizeof(p), "%s/%s", d, rel);
	for (s = p + strlen(d) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	write_file(p, text);
}

static void rm_tree(const char *d)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
	CHECK_EQ_INT(system(cmd), 0);
}

/* One table, in id order, every name and fact from it. */
static void test_backend_table(void)
{
	int i;
	pa_harness_id id;
	pa_harness *h = NULL;
	pa_warnings w = { 0 };
	pa_error err;

	for (i = 0; i < PA_HARNESS_COUNT; i++) {
		const Pa_cli_backend *b = Pa_cli_backends[i];

		CHECK(b != NULL && (int)b->id == i);
		CHECK(b == Pa_cli_backend_of((pa_harness_id)i));
		CHECK(b->name && b->display && b->files && b->files[0]);
		CHECK_EQ_INT(pa_harness_parse(b->name, &id), 1);
		CHECK_EQ_INT(id, i);
		CHECK_EQ_STR(pa_harness_name((pa_harness_id)i), b->name);
		CHECK_EQ_STR(pa_harness_display_name((pa_harness_id)i), b->display);
		CHECK(strcmp(pa_harness_version((pa_harness_id)i), "?") != 0);
		/* its measured versions, the first the default, none twice */
		CHECK(pa_harness_version_count((pa_harness_id)i) >= 1);
		CHECK_EQ_STR(pa_harness_version_at((pa_harness_id)i, 0),
		             pa_harness_version((pa_harness_id)i));
		CHECK(pa_harness_version_at((pa_harness_id)i,
		                            pa_harness_version_count((pa_harness_id)i)) == NULL);
		if (pa_harness_version_count((pa_harness_id)i) > 1)
			CHECK(strcmp(pa_harness_version_at((pa_harness_id)i, 0),
			             pa_harness_version_at((pa_harness_id)i, 1)) != 0);
		/* every row has both, Claude Code's too */
		CHECK(b->discover && b->compose);
	}
	/* What the commands ask of a row: one default; a row is composed by
	 * the library's table (a request) or by the agent pipeline (a main
	 * session), and says so; the byte cap is the row's byte_cap */
	{
		size_t defaults = 0;

		for (i = 0; i < PA_HARNESS_COUNT; i++) {
			const Pa_cli_backend *b = Pa_cli_backends[i];
			pa_harness_id x = (pa_harness_id)i;

			defaults += pa_harness_supports(x, PA_HARNESS_SUPPORTS_DEFAULT);
			/* every row discovers and composes, Claude Code's too */
			CHECK(b->discover != NULL && b->compose != NULL);
			CHECK(pa_harness_supports(x, PA_HARNESS_SUPPORTS_REQUEST) !=
			      pa_harness_supports(x, PA_HARNESS_SUPPORTS_MAIN_SESSION));
			CHECK_EQ_INT(pa_harness_supports(x, PA_HARNESS_SUPPORTS_BYTE_CAP),
			             b->byte_cap != NULL);
			CHECK_EQ_INT(pa_harness_supports(x, PA_HARNESS_SUPPORTS_USER_LEVEL), 1);
			/* a body is a format of build's, not of a CLI: every row
			 * has both */
			CHECK_EQ_INT(pa_harness_supports(x, PA_HARNESS_SUPPORTS_BODY_ANTHROPIC |
			                                 PA_HARNESS_SUPPORTS_BODY_OPENAI), 1);
			/* every bit asked at once: all of them, or 0 */
			CHECK_EQ_INT(pa_harness_supports(x, PA_HARNESS_SUPPORTS_REQUEST |
			                                 PA_HARNESS_SUPPORTS_MAIN_SESSION), 0);
			CHECK_EQ_INT(pa_harness_supports(x, 0), 0);
		}
		CHECK_EQ_INT(defaults, 1);
		CHECK_EQ_INT(pa_harness_supports((pa_harness_id)PA_HARNESS_COUNT,
		                                 PA_HARNESS_SUPPORTS_REQUEST), 0);
		CHECK_EQ_INT(pa_harness_supports(PA_HARNESS_CLAUDE_CODE,
		                                 PA_HARNESS_SUPPORTS_AGENTS |
		                                 PA_HARNESS_SUPPORTS_DEFAULT), 1);
		CHECK_EQ_INT(pa_harness_supports(PA_HARNESS_CODEX,
		                                 PA_HARNESS_SUPPORTS_TRIM), 0);
	}
	CHECK(Pa_cli_backend_of((pa_harness_id)PA_HARNESS_COUNT) == NULL);
	CHECK_EQ_STR(pa_harness_name((pa_harness_id)PA_HARNESS_COUNT), "?");
	CHECK_EQ_INT(pa_harness_parse("nope", &id), 0);
	CHECK_EQ_INT(pa_harness_parse(NULL, &id), 0);
	CHECK_EQ_STR(pa_harness_version(PA_HARNESS_CLAUDE_CODE), "2.1.332");
	/* Codex: 0.171.0 the newest measured, 0.169.0 kept */
	CHECK_EQ_STR(pa_harness_version(PA_HARNESS_CODEX), "0.171.0");
	CHECK_EQ_INT(pa_harness_version_count(PA_HARNESS_CODEX), 2);
	CHECK_EQ_STR(pa_harness_version_at(PA_HARNESS_CODEX, 1), "0.169.0");
	CHECK(pa_harness_version_at((pa_harness_id)PA_HARNESS_COUNT, 0) == NULL);
	CHECK_EQ_STR(pa_harness_cap_name(PA_HARNESS_CODEX), "project_doc_max_bytes");
	CHECK(pa_harness_cap_name(PA_HARNESS_GEMINI) == NULL);
	CHECK(strstr(pa_harness_unread_hint(PA_HARNESS_CODEX),
	             "project_doc_fallback_filenames") != NULL);
	CHECK(strstr(pa_harness_unread_hint(PA_HARNESS_GEMINI), "context.fileName") != NULL);
	CHECK(pa_harness_unread_hint(PA_HARNESS_OPENCODE) == NULL);
	CHECK_EQ_INT(pa_harness_estimate(PA_HARNESS_GEMINI), 1);
	CHECK_EQ_INT(pa_harness_estimate(PA_HARNESS_CODEX), 0);
	/* an id past the table is refused (Claude Code's row loads:
	 * test_claude_code_row) */
	memset(&err, 0, sizeof(err));
	CHECK_EQ_INT(pa_harness_load((pa_harness_id)PA_HARNESS_COUNT, NULL, &h, &w,
	                             &err), PA_ERR_INVALID);
	CHECK(h == NULL);
	pa_warnings_release(&w);
}

static void test_env_lookup(void)
{
	const char *const env[] = { "HOMEX=no", "HOME=/h", "EMPTY=", "T1=On",
	                            "T2=0", "HOME=/second", "=x", NULL };

	CHECK_EQ_STR(Pa_env_get(env, "HOME"), "/h");
	CHECK_EQ_STR(Pa_env_get(env, "EMPTY"), "");
	CHECK(Pa_env_get(env, "HOM") == NULL);
	CHECK(Pa_env_get(env, "") == NULL);
	CHECK(Pa_env_get(NULL, "HOME") == NULL);
	CHECK_EQ_INT(Pa_env_true(env, "T1"), 1);
	CHECK_EQ_INT(Pa_env_true(env, "T2"), 0);
	CHECK_EQ_INT(Pa_env_true(env, "NONE"), 0);
	CHECK_EQ_INT(Pa_env_value_true("TRUE") && Pa_env_value_true("yes") &&
	             Pa_env_value_true("1"), 1);
	CHECK_EQ_INT(Pa_env_value_true("2") || Pa_env_value_true(NULL), 0);
}

/* Every variable a backend honours comes from opt->env, HOME included;
 * a NULL env is an empty one. */
static void test_env_option(void)
{
	char tmpl[] = "/tmp/harness-env.XXXXXX";
	char *d = mkdtemp(tmpl), home[300], cwd[300], ch[330], xdg[330];
	char e_home[340], e_codex[350], e_xdg[350];
	const char *env[6];
	pa_harness_options o;
	pa_harness *h = NULL;
	pa_warnings w = { 0 };
	pa_error err;
	const char *from;

	put(d, "home/.codex/AGENTS.md", "home codex\n");
	put(d, "home/chome/AGENTS.md", "codex home from the variable\n");
	put(d, "home/xdg/opencode/AGENTS.md", "opencode from XDG\n");
	put(d, "proj/.git/HEAD", "");
	put(d, "proj/AGENTS.md", "project\n");
	snprintf(home, sizeof(home), "%s/home", d);
	snprintf(cwd, sizeof(cwd), "%s/proj", d);
	snprintf(ch, sizeof(ch), "%s/home/chome", d);
	snprintf(xdg, sizeof(xdg), "%s/home/xdg", d);
	snprintf(e_home, sizeof(e_home), "HOME=%s", home);
	snprintf(e_codex, sizeof(e_codex), "CODEX_HOME=%s", ch);
	snprintf(e_xdg, sizeof(e_xdg), "XDG_CONFIG_HOME=%s", xdg);
	memset(&err, 0, sizeof(err));
	pa_harness_options_init(&o);
	o.cwd = cwd;

	/* HOME from env */
	env[0] = e_home;
	env[1] = NULL;
	o.env = env;
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
	CHECK_EQ_INT(pa_harness_file_count(h), 2);
	CHECK(pa_harness_file_at(h, 0)->global &&
	      !strcmp(pa_harness_file_at(h, 0)->path, "~/.codex/AGENTS.md"));
	pa_harness_free(h);
	/* CODEX_HOME over ~/.codex */
	env[1] = e_codex;
	env[2] = NULL;
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
	CHECK(pa_harness_file_count(h) == 2 &&
	      pa_harness_file_at(h, 0)->bytes == strlen("codex home from the variable\n"));
	pa_harness_free(h);
	/* no environment: no home, no global file */
	o.env = NULL;
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
	CHECK_EQ_INT(pa_harness_file_count(h), 1);
	pa_harness_free(h);
	/* the home option over env's HOME */
	o.env = env;
	o.home = "/nonexistent-home-for-test";
	env[1] = NULL;
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
	CHECK_EQ_INT(pa_harness_file_count(h), 1);
	pa_harness_free(h);
	o.home = NULL;
	/* the models the environment names */
	env[1] = "GEMINI_MODEL=gemini-test";
	env[2] = "COPILOT_MODEL=copilot-test";
	env[3] = e_xdg;
	env[4] = NULL;
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_GEMINI, &o, &h, &w, &err), PA_OK);
	CHECK_EQ_STR(pa_harness_model(h, &from), "gemini-test");
	CHECK_EQ_STR(from, "GEMINI_MODEL");
	pa_harness_free(h);
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_COPILOT, &o, &h, &w, &err), PA_OK);
	CHECK_EQ_STR(pa_harness_model(h, &from), "copilot-test");
	pa_harness_free(h);
	/* XDG_CONFIG_HOME: opencode's global file there */
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_OPENCODE, &o, &h, &w, &err), PA_OK);
	CHECK(pa_harness_file_count(h) >= 1 && pa_harness_file_at(h, 0)->global &&
	      pa_harness_file_at(h, 0)->bytes == strlen("opencode from XDG\n"));
	pa_harness_free(h);
	pa_warnings_release(&w);
	rm_tree(d);
}

/* Copilot's applyTo, read by the one frontmatter reader. */
static void test_copilot_apply_to(void)
{
	char tmpl[] = "/tmp/harness-apply.XXXXXX";
	char *d = mkdtemp(tmpl), cwd[300];
	const char *env[] = { NULL };
	pa_harness_options o;
	pa_harness *h = NULL;
	pa_warnings w = { 0 };
	pa_error err;
	size_t i, n, listed = 0, whole = 0;

	put(d, "proj/.git/HEAD", "");
	put(d, "proj/.github/instructions/a.instructions.md",
	    "---\napplyTo: \"src/**/*.ts\"\n---\nTS\n");
	put(d, "proj/.github/instructions/b.instructions.md",
	    "\xef\xbb\xbf---\napplyTo: '**'\n---\nall\n");
	put(d, "proj/.github/instructions/c.instructions.md",
	    "---\napplyTo:\n  - \"*.go\"\n  - go.mod\n---\ngo\n");
	put(d, "proj/.github/instructions/d.instructions.md",
	    "---\napplyTo: \"x\"\nno closing line\n");
	put(d, "proj/.github/instructions/e.instructions.md", "no front matter\n");
	snprintf(cwd, sizeof(cwd), "%s/proj", d);
	pa_harness_options_init(&o);
	o.cwd = cwd;
	o.env = env;
	memset(&err, 0, sizeof(err));
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_COPILOT, &o, &h, &w, &err), PA_OK);
	n = pa_harness_file_count(h);
	CHECK_EQ_INT(n, 5);
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		if (strstr(f->path, "/a.instructions.md"))
			CHECK(f->listed && !strcmp(f->apply_to, "src/**/*.ts"));
		else if (strstr(f->path, "/b.instructions.md"))
			CHECK(!f->listed && !strcmp(f->apply_to, "**"));
		else if (strstr(f->path, "/c.instructions.md"))
			CHECK(f->listed && !strcmp(f->apply_to, "*.go,go.mod"));
		else
			CHECK(!f->listed && !f->apply_to);
		listed += f->listed;
		whole += !f->listed;
		/* the files only named come after the ones sent */
		if (i > 0 && pa_harness_file_at(h, i - 1)->listed)
			CHECK(f->listed);
	}
	CHECK_EQ_INT(listed, 2);
	CHECK_EQ_INT(whole, 3);
	pa_harness_free(h);
	pa_warnings_release(&w);
	rm_tree(d);
}

/* Gemini's @imports: `@path` after white space, outside code as the
 * Markdown scanner finds it, is replaced by the file in place; the file
 * is shown as sent, without its @paths. */
static void test_gemini_imports(void)
{
	char tmpl[] = "/tmp/harness-gemini.XXXXXX";
	char *d = mkdtemp(tmpl), cwd[300];
	const char *env[] = { NULL };
	const char *text = "top\n@a.md\n```\n@b.md\n```\n    @c.md\n  @d.md  \n";
	pa_harness_options o;
	pa_harness *h = NULL;
	pa_warnings w = { 0 };
	pa_error err;
	const pa_harness_file *f;

	put(d, "proj/.git/HEAD", "");
	put(d, "proj/GEMINI.md", text);
	put(d, "proj/a.md", "A\n");
	put(d, "proj/b.md", "B\n");
	put(d, "proj/c.md", "C\n");
	put(d, "proj/d.md", "D\n");
	snprintf(cwd, sizeof(cwd), "%s/proj", d);
	pa_harness_options_init(&o);
	o.cwd = cwd;
	o.env = env;
	memset(&err, 0, sizeof(err));
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_GEMINI, &o, &h, &w, &err), PA_OK);
	CHECK_EQ_INT(pa_harness_file_count(h), 3);
	f = pa_harness_file_at(h, 0);
	CHECK(f && !strcmp(f->path, "GEMINI.md") &&
	      f->sent == strlen(text) - strlen("@a.md") - strlen("@d.md"));
	CHECK(f && !memcmp(f->text, "top\n\n```\n@b.md\n```\n    @c.md\n    \n",
	                   f->sent));
	f = pa_harness_file_at(h, 1);
	CHECK(f && !strcmp(f->path, "a.md") && f->depth == 1 &&
	      !strcmp(f->parent, "GEMINI.md"));
	f = pa_harness_file_at(h, 2);
	CHECK(f && !strcmp(f->path, "d.md"));
	/* the text in the model's order: GEMINI.md up to @a.md, a.md, the
	 * rest up to @d.md, d.md, the rest; the pieces' bytes are the files' */
	CHECK_EQ_INT(pa_harness_piece_count(h), 5);
	{
		static const struct { size_t file; const char *text; int first;
		                      long line; } want[] = {
			{ 0, "top\n", 1, 1 }, { 1, "A\n", 1, 1 },
			{ 0, "\n```\n@b.md\n```\n    @c.md\n  ", 0, 2 },
			{ 2, "D\n", 1, 1 }, { 0, "  \n", 0, 7 },
		};
		size_t k, bytes = 0;

		for (k = 0; k < 5 && k < pa_harness_piece_count(h); k++) {
			const pa_harness_piece *pc = pa_harness_piece_at(h, k);

			CHECK(pc->file == want[k].file && pc->first == want[k].first &&
			      pc->line == want[k].line && pc->len == strlen(want[k].text) &&
			      !memcmp(pc->text, want[k].text, pc->len));
			if (pc->file == 0)
				bytes += pc->len;
		}
		CHECK_EQ_INT(bytes, pa_harness_file_at(h, 0)->sent);
		CHECK(pa_harness_piece_at(h, 5) == NULL);
	}
	pa_harness_free(h);
	pa_warnings_release(&w);
	rm_tree(d);
}

static void link_to(const char *d, const char *rel, const char *target)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/%s", d, rel);
	CHECK_EQ_INT(symlink(target, p), 0);
}

/* One load of id for the project under d (cwd: d/rel), HOME d/home,
 * with the variables env; the caller frees. */
static pa_harness *load_at(pa_harness_id id, const char *d, const char *rel,
                           const char **env)
{
	char cwd[300], home[300];
	pa_harness_options o;
	pa_harness *h = NULL;
	pa_warnings w = { 0 };
	pa_error err;

	snprintf(cwd, sizeof(cwd), "%s/%s", d, rel);
	snprintf(home, sizeof(home), "%s/home", d);
	pa_harness_options_init(&o);
	o.cwd = cwd;
	o.home = home;
	o.env = env;
	memset(&err, 0, sizeof(err));
	CHECK_EQ_INT(pa_harness_load(id, &o, &h, &w, &err), PA_OK);
	pa_warnings_release(&w);
	return h;
}

/* The paths of h's files sent or named, joined by spaces. */
static void paths_of(const pa_harness *h, char *out, size_t cap)
{
	size_t i, n = h ? pa_harness_file_count(h) : 0;

	*out = '\0';
	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		if (f->unread || f->empty || f->dropped)
			continue;
		if (*out)
			strncat(out, " ", cap - strlen(out) - 1);
		strncat(out, f->path, cap - strlen(out) - 1);
	}
}

/* Claude Code's row, through the table as the others: what its main
 * session loads of the project (the instruction files, rules and
 * imports its discovery reads), each whole in the user message; the
 * user's level left out with no_user. */
static void test_claude_code_row(void)
{
	char tmpl[] = "/tmp/pa-clis-cc-XXXXXX";
	char *d = mkdtemp(tmpl), paths[2000];
	const char *env[] = { NULL };
	pa_harness *h;
	size_t i;
	int user = 0, import = 0;

	put(d, ".git/HEAD", "ref: refs/heads/main\n");
	put(d, "CLAUDE.md", "# Project\n\nMK_CLAUDE\n@docs/a.md\n");
	put(d, "docs/a.md", "MK_IMPORT\n");
	put(d, ".claude/rules/r.md", "MK_RULE\n");
	put(d, "home/.claude/CLAUDE.md", "MK_USER\n");
	put(d, "AGENTS.md", "MK_AGENTS\n");
	h = load_at(PA_HARNESS_CLAUDE_CODE, d, ".", env);
	paths_of(h, paths, sizeof(paths));
	CHECK(strstr(paths, "~/.claude/CLAUDE.md") != NULL);
	CHECK(strstr(paths, " CLAUDE.md") != NULL);
	CHECK(strstr(paths, "docs/a.md") != NULL);
	CHECK(strstr(paths, ".claude/rules/r.md") != NULL);
	CHECK(strstr(paths, "AGENTS.md") == NULL);
	for (i = 0; h && i < pa_harness_file_count(h); i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		CHECK_EQ_INT(f->system, 0);
		CHECK_EQ_INT((int)f->sent, (int)(f->bytes - f->skipped));
		if (!strcmp(f->path, "~/.claude/CLAUDE.md"))
			user = f->global && strstr(f->text, "MK_USER") != NULL;
		if (!strcmp(f->path, "docs/a.md"))
			import = f->depth == 1 && f->parent && !strcmp(f->parent, "CLAUDE.md");
	}
	CHECK(user);
	CHECK(import);
	CHECK_EQ_STR(pa_harness_cli_version(h), pa_claude_code_version());
	pa_harness_free(h);
	/* no_user: the user's file left out */
	{
		pa_harness_options o;
		pa_warnings w = { 0 };
		pa_error err;
		char home[300];

		snprintf(home, sizeof(home), "%s/home", d);
		pa_harness_options_init(&o);
		o.cwd = d;
		o.home = home;
		o.env = env;
		o.no_user = 1;
		h = NULL;
		memset(&err, 0, sizeof(err));
		CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CLAUDE_CODE, &o, &h, &w, &err), PA_OK);
		paths_of(h, paths, sizeof(paths));
		CHECK(strstr(paths, "~/.claude/CLAUDE.md") == NULL);
		CHECK(strstr(paths, "docs/a.md") != NULL);
		pa_harness_free(h);
		pa_warnings_release(&w);
	}
	rm_tree(d);
}

/* Gemini CLI: the project's files sorted by path as strings, the global
 * ones in the order of context.fileName; a link to a file already met in
 * the walk not read again. */
static void test_gemini_order(void)
{
	char tmpl[] = "/tmp/harness-gorder.XXXXXX";
	char *d = mkdtemp(tmpl), got[600];
	const char *env[] = { NULL };
	pa_harness *h;

	put(d, "home/.gemini/settings.json", "{\"context\": {\"fileName\": [\"ZED.md\", \"GEMINI.md\"]}}");
	put(d, "home/.gemini/GEMINI.md", "g\n");
	put(d, "home/.gemini/ZED.md", "z\n");
	put(d, "proj/.git/HEAD", "");
	put(d, "proj/GEMINI.md", "root\n");
	put(d, "proj/ZED.md", "root zed\n");
	put(d, "proj/Api/GEMINI.md", "api\n");
	link_to(d, "proj/Api/ZED.md", "GEMINI.md");
	h = load_at(PA_HARNESS_GEMINI, d, "proj/Api", env);
	paths_of(h, got, sizeof(got));
	/* Api/ZED.md, a link to Api/GEMINI.md, is the first of the walk
	 * (context.fileName's order) and the one kept */
	CHECK_EQ_STR(got, "~/.gemini/ZED.md ~/.gemini/GEMINI.md Api/ZED.md GEMINI.md ZED.md");
	pa_harness_free(h);
	rm_tree(d);
}

/* Gemini CLI's flat format: each file once, after the importing file, the
 * imports of a file taken last first, nothing of the importing file
 * replaced. */
static void test_gemini_flat(void)
{
	char tmpl[] = "/tmp/harness-gflat.XXXXXX";
	char *d = mkdtemp(tmpl), got[600];
	const char *env[] = { NULL };
	const char *top = "top @a.md and @b.md\n";
	pa_harness *h;

	put(d, "home/.gemini/settings.json", "{\"context\": {\"importFormat\": \"flat\"}}");
	put(d, "proj/.git/HEAD", "");
	put(d, "proj/GEMINI.md", top);
	put(d, "proj/a.md", "a @b.md @a.md\n");
	put(d, "proj/b.md", "b\n");
	h = load_at(PA_HARNESS_GEMINI, d, "proj", env);
	paths_of(h, got, sizeof(got));
	CHECK_EQ_STR(got, "GEMINI.md b.md a.md");
	CHECK(h && pa_harness_file_at(h, 0)->sent == strlen(top));
	pa_harness_free(h);
	rm_tree(d);
}

/* Copilot CLI: a file of the bytes of one sent before is not sent; a
 * CLAUDE.md's @path is relative to it and inserted after it. */
static void test_copilot_same_bytes(void)
{
	char tmpl[] = "/tmp/harness-csame.XXXXXX";
	char *d = mkdtemp(tmpl), got[600];
	const char *env[] = { NULL };
	pa_harness *h;

	put(d, "proj/.git/HEAD", "");
	put(d, "proj/AGENTS.md", "same\n");
	put(d, "proj/GEMINI.md", "same\n");
	put(d, "proj/sub/CLAUDE.md", "see @x.md here\n");
	put(d, "proj/sub/x.md", "x\n");
	put(d, "proj/x.md", "not this one\n");
	h = load_at(PA_HARNESS_COPILOT, d, "proj/sub", env);
	paths_of(h, got, sizeof(got));
	CHECK_EQ_STR(got, "AGENTS.md sub/CLAUDE.md sub/x.md");
	pa_harness_free(h);
	rm_tree(d);
}

/* opencode: CONTEXT.md where neither AGENTS.md nor CLAUDE.md is on the
 * way; OPENCODE_DISABLE_CLAUDE_CODE_PROMPT leaves out every CLAUDE.md; a
 * configuration with comments and trailing commas read; a relative
 * instructions path looked up from the working directory up. */
static void test_opencode_sources(void)
{
	char tmpl[] = "/tmp/harness-oc.XXXXXX";
	char *d = mkdtemp(tmpl), got[600];
	const char *env[] = { NULL };
	const char *off[] = { "OPENCODE_DISABLE_CLAUDE_CODE_PROMPT=1", NULL };
	pa_harness *h;

	put(d, "proj/.git/HEAD", "");
	put(d, "proj/CLAUDE.md", "claude\n");
	put(d, "proj/sub/CONTEXT.md", "context\n");
	put(d, "proj/opencode.jsonc", "{\n  // rules\n  \"instructions\": [\"r.md\",],\n}\n");
	put(d, "proj/r.md", "root r\n");
	put(d, "proj/sub/r.md", "sub r\n");
	h = load_at(PA_HARNESS_OPENCODE, d, "proj/sub", env);
	paths_of(h, got, sizeof(got));
	CHECK_EQ_STR(got, "CLAUDE.md sub/r.md r.md");
	pa_harness_free(h);
	h = load_at(PA_HARNESS_OPENCODE, d, "proj/sub", off);
	paths_of(h, got, sizeof(got));
	CHECK_EQ_STR(got, "sub/CONTEXT.md sub/r.md r.md");
	pa_harness_free(h);
	/* OPENCODE_CONFIG_CONTENT: merged after every file, its model wins;
	 * text that does not parse is an error naming the variable, line and
	 * column */
	{
		const char *content[] = {
			"OPENCODE_CONFIG_CONTENT={\"model\": \"x/inline\", // c\n"
			"\"instructions\": [\"c.md\",],}", NULL };
		const char *bad[] = { "OPENCODE_CONFIG_CONTENT={\n\"instructions\": [}", NULL };
		char cwd[300];
		pa_harness_options o;
		pa_warnings w = { 0 };
		pa_error err;
		const char *from;

		put(d, "proj/c.md", "content\n");
		h = load_at(PA_HARNESS_OPENCODE, d, "proj/sub", content);
		paths_of(h, got, sizeof(got));
		CHECK_EQ_STR(got, "CLAUDE.md sub/r.md r.md c.md");
		CHECK_EQ_STR(pa_harness_model(h, &from), "x/inline");
		CHECK_EQ_STR(from, "OPENCODE_CONFIG_CONTENT");
		pa_harness_free(h);
		snprintf(cwd, sizeof(cwd), "%s/proj", d);
		pa_harness_options_init(&o);
		o.cwd = cwd;
		o.env = bad;
		memset(&err, 0, sizeof(err));
		h = NULL;
		CHECK_EQ_INT(pa_harness_load(PA_HARNESS_OPENCODE, &o, &h, &w, &err),
		             PA_ERR_PARSE);
		CHECK(h == NULL && err.line == 2 && err.column > 0 &&
		      strstr(err.file, "OPENCODE_CONFIG_CONTENT") != NULL);
		pa_warnings_release(&w);
	}
	rm_tree(d);
}

/* Kilo Code: its rule folders of the working directory (not the root's),
 * .kilo/rules before .kilocode/rules and a name of both once, the legacy
 * .kilocoderules, then the modes' rules in their order; the project's
 * files before them, CLAUDE.md only where no AGENTS.md is on the way; a
 * file of the project naming a variable ({env:...}) not sent, one whose
 * reference is escaped or on a // line sent; the user's files first. */
static void test_kilo_sources(void)
{
	char tmpl[] = "/tmp/harness-kilo.XXXXXX";
	char *d = mkdtemp(tmpl), got[800];
	const char *env[] = { NULL };
	const char *noclaude[] = { "KILO_DISABLE_CLAUDE_CODE=1", NULL };
	pa_harness *h;

	CHECK_EQ_INT(PA_HARNESS_KILO, 8);
	CHECK_EQ_STR(pa_harness_name(PA_HARNESS_KILO), "kilo");
	CHECK_EQ_STR(pa_harness_display_name(PA_HARNESS_KILO), "Kilo Code");
	CHECK_EQ_STR(pa_harness_tokenizer(PA_HARNESS_KILO), "o200k_base");
	put(d, "proj/.git/HEAD", "");
	put(d, "proj/CLAUDE.md", "claude\n");
	put(d, "proj/.kilo/rules/root.md", "root rule\n");
	put(d, "proj/sub/.kilo/rules/b.md", "b\n");
	put(d, "proj/sub/.kilo/rules/a.md", "a\n");
	put(d, "proj/sub/.kilo/rules/x.txt", "not a rule\n");
	put(d, "proj/sub/.kilocode/rules/a.md", "a again\n");
	put(d, "proj/sub/.kilocode/rules/c.md", "c\n");
	put(d, "proj/sub/.kilocoderules", "legacy\n");
	put(d, "proj/sub/.kilocoderules-ask", "ask\n");
	put(d, "proj/sub/.kilocode/rules-code/m.md", "code\n");
	put(d, "proj/sub/.kilo/rules-nomode/n.md", "no such mode\n");
	put(d, "proj/sub/env.md", "uses {env:HOME}\n");
	put(d, "proj/sub/kept.md", "keeps ${env:HOME}\n// {env:HOME}\n");
	put(d, "proj/sub/kilo.json", "{\"instructions\": [\"env.md\", \"kept.md\"]}\n");
	h = load_at(PA_HARNESS_KILO, d, "proj/sub", env);
	paths_of(h, got, sizeof(got));
	CHECK_EQ_STR(got, "CLAUDE.md sub/.kilo/rules/a.md sub/.kilo/rules/b.md "
	             "sub/.kilocode/rules/c.md sub/.kilocoderules "
	             "sub/.kilocode/rules-code/m.md sub/.kilocoderules-ask sub/kept.md");
	pa_harness_free(h);
	/* no CLAUDE.md under KILO_DISABLE_CLAUDE_CODE: CONTEXT.md then */
	put(d, "proj/sub/CONTEXT.md", "context\n");
	h = load_at(PA_HARNESS_KILO, d, "proj/sub", noclaude);
	paths_of(h, got, sizeof(got));
	CHECK(!strncmp(got, "sub/CONTEXT.md sub/.kilo/rules/a.md", 35));
	pa_harness_free(h);
	/* the user's: ~/.config/kilo/AGENTS.md first, then not
	 * ~/.claude/CLAUDE.md; its rules before the project's */
	put(d, "home/.config/kilo/AGENTS.md", "global\n");
	put(d, "home/.claude/CLAUDE.md", "claude home\n");
	put(d, "home/.kilocode/rules/u.md", "user rule\n");
	h = load_at(PA_HARNESS_KILO, d, "proj/sub", env);
	paths_of(h, got, sizeof(got));
	CHECK(!strncmp(got, "~/.config/kilo/AGENTS.md CLAUDE.md ~/.kilocode/rules/u.md "
	               "sub/.kilo/rules/a.md", 77));
	pa_harness_free(h);
	rm_tree(d);
}

/* Qwen Code's and pi's rows: what names them, what counts them. */
static void test_qwen_pi_rows(void)
{
	CHECK_EQ_INT(PA_HARNESS_QWEN, 5);
	CHECK_EQ_INT(PA_HARNESS_PI, 6);
	CHECK_EQ_STR(pa_harness_name(PA_HARNESS_QWEN), "qwen");
	CHECK_EQ_STR(pa_harness_display_name(PA_HARNESS_QWEN), "Qwen Code");
	CHECK_EQ_STR(pa_harness_version(PA_HARNESS_QWEN), "0.24.4");
	CHECK_EQ_STR(pa_harness_name(PA_HARNESS_PI), "pi");
	CHECK_EQ_STR(pa_harness_display_name(PA_HARNESS_PI), "pi");
	CHECK_EQ_STR(pa_harness_version(PA_HARNESS_PI), "0.73.1");
	/* Qwen's models have qwen3; pi's gpt-5.5 has o200k_base */
	CHECK_EQ_STR(pa_harness_tokenizer(PA_HARNESS_QWEN), "qwen3");
	CHECK_EQ_STR(pa_harness_tokenizer(PA_HARNESS_PI), "o200k_base");
	CHECK(pa_harness_cap_name(PA_HARNESS_QWEN) == NULL);
	CHECK(pa_harness_cap_name(PA_HARNESS_PI) == NULL);
	CHECK_EQ_STR(Pa_cli_qwen.files[0], "QWEN.md");
	CHECK_EQ_STR(Pa_cli_qwen.files[1], "AGENTS.md");
	CHECK_EQ_STR(Pa_cli_pi.files[1], "AGENTS.MD");
}

/* QWEN_CODE_TOOL_CALL_STYLE (its value without case) chooses the
 * examples of tool calls Qwen Code's own text holds: a style but its
 * default model's moves the own text by its own figure, in o200k_base
 * and qwen3 alike, in a repository or not; its model's style and a
 * value it does not know leave it (qwen-tool-call-style-*.txt). */
static void style_figures(const char *d)
{
	const char *none[] = { NULL };
	const char *gen[] = { "QWEN_CODE_TOOL_CALL_STYLE=General", NULL };
	const char *vl[] = { "QWEN_CODE_TOOL_CALL_STYLE=qwen-vl", NULL };
	const char *coder[] = { "QWEN_CODE_TOOL_CALL_STYLE=qwen-coder", NULL };
	const char *odd[] = { "QWEN_CODE_TOOL_CALL_STYLE=qwen", NULL };
	const char **with[] = { gen, vl };
	size_t base, base_in, base_out, i;
	pa_harness *h;

	h = load_at(PA_HARNESS_QWEN, d, "proj", none);
	base = pa_harness_figures_get(h)->own_tokens;
	base_in = pa_harness_figures_in(h, "qwen3")->own_tokens;
	pa_harness_free(h);
	h = load_at(PA_HARNESS_QWEN, d, "bare", none);
	base_out = pa_harness_figures_get(h)->own_tokens;
	pa_harness_free(h);
	for (i = 0; i < 2; i++) {
		long a, b, c;

		h = load_at(PA_HARNESS_QWEN, d, "proj", with[i]);
		a = (long)pa_harness_figures_get(h)->own_tokens - (long)base;
		b = (long)pa_harness_figures_in(h, "qwen3")->own_tokens - (long)base_in;
		pa_harness_free(h);
		h = load_at(PA_HARNESS_QWEN, d, "bare", with[i]);
		c = (long)pa_harness_figures_get(h)->own_tokens - (long)base_out;
		pa_harness_free(h);
		CHECK(a != 0 && b != 0);
		CHECK(a > 0 ? b > 0 : b < 0); /* more or fewer in both */
		CHECK_EQ_INT(a, c);
	}
	h = load_at(PA_HARNESS_QWEN, d, "proj", coder);
	CHECK_EQ_INT(pa_harness_figures_get(h)->own_tokens, base);
	pa_harness_free(h);
	h = load_at(PA_HARNESS_QWEN, d, "proj", odd);
	CHECK_EQ_INT(pa_harness_figures_get(h)->own_tokens, base);
	pa_harness_free(h);
}

/* The tokenizer of Qwen Code's models (qwen3) counts its request when the
 * model it runs is one of them (its default, or a gateway's id of one),
 * else o200k_base, as a CLI with none; and its figures are in the
 * tokens of the one that counts. */
static void test_qwen_tokenizer_by_model(void)
{
	char tmpl[] = "/tmp/harness-qtok.XXXXXX";
	char *d = mkdtemp(tmpl);
	const char *env[] = { NULL };
	const pa_harness_figures *o200k, *qwen3;
	pa_tokenizer_pick pick;
	pa_buf name = PA_BUF_INIT;
	pa_error err;
	pa_harness *h;

	pa_harness_tokenizer_choose(PA_HARNESS_QWEN, NULL, NULL, NULL,
	                            "qwen3-coder-plus", &pick);
	CHECK_EQ_STR(pick.name, "qwen3");
	pa_harness_tokenizer_choose(PA_HARNESS_QWEN, NULL, NULL, NULL,
	                            "qwen/qwen3-coder", &pick);
	CHECK_EQ_STR(pick.name, "qwen3");
	pa_harness_tokenizer_choose(PA_HARNESS_QWEN, NULL, NULL, NULL, NULL, &pick);
	CHECK_EQ_STR(pick.name, "qwen3");
	pa_harness_tokenizer_choose(PA_HARNESS_QWEN, NULL, NULL, NULL, "gpt-4o", &pick);
	CHECK_EQ_STR(pick.name, "o200k_base");
	CHECK_EQ_INT(pick.is_default, 1);
	/* a model no tokenizer serves, or another's: the default */
	pa_harness_tokenizer_choose(PA_HARNESS_QWEN, NULL, NULL, NULL, "llama3.1:8b", &pick);
	CHECK_EQ_STR(pick.name, "o200k_base");
	pa_harness_tokenizer_choose(PA_HARNESS_QWEN, NULL, NULL, NULL, "deepseek-chat", &pick);
	CHECK_EQ_STR(pick.name, "o200k_base");
	/* -t wins */
	pa_harness_tokenizer_choose(PA_HARNESS_QWEN, "o200k_base", NULL, NULL,
	                            "qwen3-coder-plus", &pick);
	CHECK_EQ_STR(pick.name, "o200k_base");
	/* a CLI whose models' tokenizer is the default keeps it */
	pa_harness_tokenizer_choose(PA_HARNESS_CODEX, NULL, NULL, NULL,
	                            "claude-sonnet-4-5", &pick);
	CHECK_EQ_STR(pick.name, "o200k_base");
	memset(&err, 0, sizeof(err));
	CHECK_EQ_INT(pa_tokenizer_name_for_model("Qwen/Qwen3-Coder-480B-A35B-Instruct",
	                                         NULL, &name, &err), PA_OK);
	CHECK_EQ_STR(name.ptr, "qwen3");
	CHECK_EQ_INT(pa_tokenizer_name_for_model("no-such-model", NULL, &name, &err),
	             PA_ERR_NOT_FOUND);
	pa_buf_release(&name);

	put(d, "proj/.git/HEAD", "");
	put(d, "proj/QWEN.md", "Run make test.\n");
	h = load_at(PA_HARNESS_QWEN, d, "proj", env);
	o200k = pa_harness_figures_get(h);
	CHECK(pa_harness_figures_in(h, "o200k_base") == o200k);
	CHECK(pa_harness_figures_in(h, "claude") == o200k);
	qwen3 = pa_harness_figures_in(h, "qwen3");
	CHECK(qwen3 != o200k);
	/* the counts are qwen3's, the model and window the row's */
	CHECK(qwen3->own_tokens != o200k->own_tokens);
	CHECK(qwen3->tools_tokens != o200k->tools_tokens);
	CHECK(qwen3->own_tokens > 0 && qwen3->tools_tokens > 0);
	CHECK_EQ_STR(qwen3->model, o200k->model);
	CHECK_EQ_INT(qwen3->window, o200k->window);
	pa_harness_free(h);
	/* started outside a repository: its figure outside one, in qwen3 */
	put(d, "bare/QWEN.md", "Run make test.\n");
	h = load_at(PA_HARNESS_QWEN, d, "bare", env);
	qwen3 = pa_harness_figures_in(h, "qwen3");
	CHECK_EQ_INT(qwen3->own_tokens, qwen3->own_tokens_outside_repo);
	pa_harness_free(h);
	style_figures(d);
	rm_tree(d);
}

/* The file of h whose path ends with tail, or NULL. */
static const pa_harness_file *file_ending(const pa_harness *h, const char *tail,
                                          size_t *at)
{
	size_t i, n = pa_harness_file_count(h), lt = strlen(tail);

	for (i = 0; i < n; i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);
		size_t lp = strlen(f->path);

		if (lp >= lt && !strcmp(f->path + lp - lt, tail)) {
			if (at)
				*at = i;
			return f;
		}
	}
	return NULL;
}

/* Qwen Code: each name walked in turn from the root's parent (one level
 * above the repository, never two) down to the working directory, never
 * below; a file above the repository held to its own directory; one
 * file reached twice sent once; imports in place, never outside the
 * root; each file trimmed. */
static void test_qwen_walk(void)
{
	char tmpl[] = "/tmp/harness-qwen.XXXXXX";
	char *d = mkdtemp(tmpl), cwd[300], home[300];
	const char *env[] = { NULL };
	const char *root_text = "\n\nRoot @../outside.md and @inc.md too.\n\n";
	pa_harness_options o;
	pa_harness *h = NULL;
	pa_warnings w = { 0 };
	pa_error err;
	const pa_harness_file *f;
	size_t a, b;

	put(d, "home/.qwen/QWEN.md", "Global.\n");
	put(d, "up/QWEN.md", "Two levels above: not read.\n");
	put(d, "up/over/QWEN.md", "The root's parent.\n");
	put(d, "up/over/outside.md", "Outside the root.\n");
	put(d, "secret.md", "Out of its directory.\n");
	link_to(d, "up/over/AGENTS.md", "../../secret.md");
	put(d, "up/over/proj/.git/HEAD", "");
	put(d, "up/over/proj/QWEN.md", root_text);
	put(d, "up/over/proj/inc.md", "Included.\n");
	put(d, "up/over/proj/AGENTS.md", "Agents.\n");
	put(d, "up/over/proj/sub/QWEN.md", "Sub.\n");
	link_to(d, "up/over/proj/sub/AGENTS.md", "../AGENTS.md");
	put(d, "up/over/proj/sub/below/QWEN.md", "Below: not read.\n");
	snprintf(cwd, sizeof(cwd), "%s/up/over/proj/sub", d);
	snprintf(home, sizeof(home), "%s/home", d);
	pa_harness_options_init(&o);
	o.cwd = cwd;
	o.home = home;
	o.env = env;
	memset(&err, 0, sizeof(err));
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_QWEN, &o, &h, &w, &err), PA_OK);
	/* ~/.qwen/QWEN.md, over/QWEN.md, QWEN.md, inc.md, sub/QWEN.md,
	 * over/AGENTS.md (unread), AGENTS.md; sub/AGENTS.md is AGENTS.md */
	CHECK_EQ_INT(pa_harness_file_count(h), 7);
	f = pa_harness_file_at(h, 0);
	CHECK(f && f->global && !strcmp(f->path, "~/.qwen/QWEN.md"));
	CHECK(file_ending(h, "/up/QWEN.md", NULL) == NULL);
	CHECK(file_ending(h, "below/QWEN.md", NULL) == NULL);
	CHECK(file_ending(h, "outside.md", NULL) == NULL);
	f = file_ending(h, "/up/over/QWEN.md", &a);
	CHECK(f && a == 1 && !f->unread && f->sent == strlen("The root's parent."));
	a = 2;
	f = pa_harness_file_at(h, a);
	/* neither import is sent as written, and the blank lines go */
	CHECK(f && !strcmp(f->path, "QWEN.md") &&
	      f->sent == strlen("Root @../outside.md and @inc.md too.") -
	                 strlen("@../outside.md") - strlen("@inc.md"));
	f = pa_harness_file_at(h, a + 1);
	CHECK(f && !strcmp(f->path, "inc.md") && f->depth == 1 &&
	      f->parent && !strcmp(f->parent, "QWEN.md") && f->sent == strlen("Included.\n"));
	f = file_ending(h, "/up/over/AGENTS.md", &b);
	CHECK(f && f->unread && f->reason && strstr(f->reason, "leads out"));
	CHECK(file_ending(h, "sub/AGENTS.md", NULL) == NULL);
	f = pa_harness_file_at(h, 6);
	CHECK(f && !strcmp(f->path, "AGENTS.md") && !f->unread && b == 5);
	pa_harness_free(h);
	pa_warnings_release(&w);

	/* started in home: home's own file alone, nothing above it */
	put(d, "home/QWEN.md", "Home.\n");
	put(d, "QWEN.md", "Above home.\n");
	o.cwd = home;
	memset(&err, 0, sizeof(err));
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_QWEN, &o, &h, &w, &err), PA_OK);
	CHECK_EQ_INT(pa_harness_file_count(h), 2);
	f = pa_harness_file_at(h, 1);
	CHECK(f && !strcmp(f->path, "QWEN.md") && f->sent == 5);
	pa_harness_free(h);
	pa_warnings_release(&w);
	rm_tree(d);
}

/* pi: one file per directory from / down, a file above the repository
 * read and held to its own directory, a second path to one file sent
 * twice, every byte sent; .pi/SYSTEM.md in place of its own prompt. */
static void test_pi_walk(void)
{
	char tmpl[] = "/tmp/harness-pi.XXXXXX";
	char *d = mkdtemp(tmpl), cwd[300], home[300];
	const char *env[] = { NULL };
	pa_harness_options o;
	pa_harness *h = NULL;
	pa_warnings w = { 0 };
	pa_error err;
	const pa_harness_file *f;
	size_t i, n = 0, first = 0;

	put(d, "home/.pi/agent/CLAUDE.md", "Global.\n");
	put(d, "a/AGENTS.md", "\xef\xbb\xbf" "Above.\r\n");
	put(d, "s/x.md", "Out of its directory.\n");
	put(d, "a/b/CLAUDE.md", "Not read: AGENTS.md comes first.\n");
	link_to(d, "a/b/AGENTS.md", "../../s/x.md");
	put(d, "a/b/proj/.git/HEAD", "");
	put(d, "a/b/proj/CLAUDE.md", "Root.\n");
	put(d, "a/b/proj/sub/.pi/SYSTEM.md", "My own prompt.\n");
	link_to(d, "a/b/proj/sub/AGENTS.md", "../CLAUDE.md");
	snprintf(cwd, sizeof(cwd), "%s/a/b/proj/sub", d);
	snprintf(home, sizeof(home), "%s/home", d);
	pa_harness_options_init(&o);
	o.cwd = cwd;
	o.home = home;
	o.env = env;
	memset(&err, 0, sizeof(err));
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_PI, &o, &h, &w, &err), PA_OK);
	f = pa_harness_file_at(h, 0);
	CHECK(f && !strcmp(f->path, "sub/.pi/SYSTEM.md"));
	CHECK_EQ_INT(pa_harness_figures_get(h)->own_tokens, 0);
	f = pa_harness_file_at(h, 1);
	CHECK(f && f->global && !strcmp(f->path, "~/.pi/agent/CLAUDE.md"));
	/* the files of the walk inside d (/ and /tmp may hold their own) */
	for (i = 0; i < pa_harness_file_count(h); i++) {
		f = pa_harness_file_at(h, i);
		if (i > 1 && (f->path[0] != '/' || !strncmp(f->path, d, strlen(d)))) {
			if (!n)
				first = i;
			n++;
		}
	}
	CHECK_EQ_INT(n, 4);
	f = pa_harness_file_at(h, first);
	CHECK(f && !strcmp(f->path + strlen(d), "/a/AGENTS.md") && !f->unread &&
	      f->sent == strlen("\xef\xbb\xbf" "Above.\r\n"));
	f = pa_harness_file_at(h, first + 1);
	CHECK(f && !strcmp(f->path + strlen(d), "/a/b/AGENTS.md") && f->unread);
	f = pa_harness_file_at(h, first + 2);
	CHECK(f && !strcmp(f->path, "CLAUDE.md") && f->sent == 6);
	f = pa_harness_file_at(h, first + 3);
	CHECK(f && !strcmp(f->path, "sub/AGENTS.md") && f->sent == 6 && f->duplicate);
	CHECK(f && f->frame && strstr(f->frame, "/a/b/proj/sub/AGENTS.md"));
	pa_harness_free(h);
	pa_warnings_release(&w);
	rm_tree(d);
}

/* The cache of a run (pa_harness_options.cache): two loads from two
 * directories open each file once, and the start directories' walk lists
 * each directory once; the link rule holds for every path all the same:
 * a link out of its project is refused there, even when the file it
 * leads to was read (and kept) for the project it is in. */
static void test_cache(void)
{
	char tmpl[] = "/tmp/harness-cache.XXXXXX";
	char *d = mkdtemp(tmpl), a[300], sub[300], b[300], target[300], link[300];
	const char *env[] = { NULL };
	pa_harness_cache *c = pa_harness_cache_new();
	pa_harness_options o;
	pa_harness *h = NULL;
	pa_warnings w = { 0 };
	pa_error err;
	const pa_harness_file *f;
	char **dirs = NULL;
	size_t n = 0, i, opens, looks;
	int incomplete = 0, pass;

	put(d, "a/.git/HEAD", "");
	put(d, "a/AGENTS.md", "secret of a\n");
	put(d, "a/sub/AGENTS.md", "sub of a\n");
	put(d, "b/.git/HEAD", "");
	snprintf(a, sizeof(a), "%s/a", d);
	snprintf(sub, sizeof(sub), "%s/a/sub", d);
	snprintf(b, sizeof(b), "%s/b", d);
	snprintf(target, sizeof(target), "%s/a/AGENTS.md", d);
	snprintf(link, sizeof(link), "%s/b/AGENTS.md", d);
	CHECK(symlink(target, link) == 0);
	pa_harness_options_init(&o);
	CHECK(o.cache == NULL);
	o.env = env;
	o.cache = c;
	memset(&err, 0, sizeof(err));
	/* the root's file read once for two loads */
	o.cwd = a;
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
	CHECK_EQ_INT(pa_harness_file_count(h), 1);
	pa_harness_free(h);
	o.cwd = sub;
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
	CHECK_EQ_INT(pa_harness_file_count(h), 2);
	f = pa_harness_file_at(h, 0);
	CHECK(f && !f->unread && f->bytes == strlen("secret of a\n") &&
	      !memcmp(f->text, "secret of a\n", f->bytes));
	pa_harness_free(h);
	CHECK_EQ_INT(Pa_hx_cache_stats(c)->opens, 2);
	CHECK_EQ_INT(Pa_hx_cache_stats(c)->hits, 1);
	/* the walk: each directory listed once, however often asked */
	o.cwd = a;
	CHECK_EQ_INT(pa_harness_start_dirs(PA_HARNESS_CODEX, &o, &dirs, &n,
	                                   &incomplete, &err), PA_OK);
	CHECK_EQ_INT(n, 2);
	for (i = 0; i < n; i++)
		pa_free(dirs[i]);
	pa_free(dirs);
	opens = Pa_hx_cache_stats(c)->opens;
	CHECK(opens > 2);
	CHECK_EQ_INT(pa_harness_start_dirs(PA_HARNESS_COPILOT, &o, &dirs, &n,
	                                   &incomplete, &err), PA_OK);
	for (i = 0; i < n; i++)
		pa_free(dirs[i]);
	pa_free(dirs);
	CHECK_EQ_INT(Pa_hx_cache_stats(c)->opens, opens);
	/* b's AGENTS.md leads out of b: refused, though a's file is in the
	 * cache; and again after, and a's still read */
	for (pass = 0; pass < 2; pass++) {
		o.cwd = b;
		CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
		f = pa_harness_file_at(h, 0);
		CHECK(f && f->unread && f->reason && !f->text[0] && !f->sent);
		pa_harness_free(h);
		o.cwd = a;
		CHECK_EQ_INT(pa_harness_load(PA_HARNESS_CODEX, &o, &h, &w, &err), PA_OK);
		f = pa_harness_file_at(h, 0);
		CHECK(f && !f->unread && f->bytes == strlen("secret of a\n"));
		pa_harness_free(h);
	}
	CHECK_EQ_INT(Pa_hx_cache_stats(c)->opens, opens);
	/* the root rule: every marker looked at once for all those loads
	 * and walks; one more load looks at nothing new */
	looks = Pa_hx_cache_stats(c)->looks;
	CHECK(looks > 0);
	o.cwd = sub;
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_GEMINI, &o, &h, &w, &err), PA_OK);
	pa_harness_free(h);
	/* (each CLI's skills folders are its own: looked at on its first
	 * load) */
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_QWEN, &o, &h, &w, &err), PA_OK);
	pa_harness_free(h);
	looks = Pa_hx_cache_stats(c)->looks;
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_GEMINI, &o, &h, &w, &err), PA_OK);
	pa_harness_free(h);
	CHECK_EQ_INT(pa_harness_load(PA_HARNESS_QWEN, &o, &h, &w, &err), PA_OK);
	pa_harness_free(h);
	CHECK_EQ_INT(Pa_hx_cache_stats(c)->looks, looks);
	pa_warnings_release(&w);
	pa_harness_cache_free(c);
	pa_harness_cache_free(NULL);
	rm_tree(d);
}

/* The walks of Copilot's .github/instructions and of opencode's globs:
 * each directory listed once per run, through the run's cache (a file
 * added between two loads with one cache is not seen by the second, and
 * is without it); Copilot leaves out what is hidden below the directory
 * (copilot-instructions-hidden.txt), opencode does not. */
static void test_cache_walks(void)
{
	char tmpl[] = "/tmp/harness-walks.XXXXXX";
	char *d = mkdtemp(tmpl);
	const char *env[] = { NULL };
	pa_harness_cache *c = pa_harness_cache_new();
	pa_harness_options o;
	pa_harness *h = NULL;
	pa_warnings w = { 0 };
	pa_error err;
	const pa_harness_file *f;
	int round;
	size_t opens = 0;

	put(d, ".git/HEAD", "");
	put(d, ".github/instructions/a.instructions.md", "MK_A\n");
	put(d, ".github/instructions/sub/b.instructions.md", "MK_B\n");
	put(d, ".github/instructions/.hidden/c.instructions.md", "MK_C\n");
	put(d, ".github/instructions/.d.instructions.md", "MK_D\n");
	put(d, "opencode.json", "{\"instructions\": [\"docs/**/*.md\"]}\n");
	put(d, "docs/.hidden/x.md", "MK_X\n");
	pa_harness_options_init(&o);
	o.env = env;
	o.cwd = d;
	memset(&err, 0, sizeof(err));
	for (round = 0; round < 3; round++) {
		/* 0: the first load; 1: again with the cache, after a file
		 * was added; 2: without the cache */
		o.cache = round < 2 ? c : NULL;
		CHECK_EQ_INT(pa_harness_load(PA_HARNESS_COPILOT, &o, &h, &w, &err), PA_OK);
		CHECK_EQ_INT(pa_harness_file_count(h), round < 2 ? 2 : 3);
		f = pa_harness_file_at(h, 0);
		CHECK(f && !strcmp(f->path, ".github/instructions/a.instructions.md"));
		f = pa_harness_file_at(h, 1);
		CHECK(f && !strcmp(f->path, ".github/instructions/sub/b.instructions.md"));
		pa_harness_free(h);
		CHECK_EQ_INT(pa_harness_load(PA_HARNESS_OPENCODE, &o, &h, &w, &err), PA_OK);
		CHECK_EQ_INT(pa_harness_file_count(h), round < 2 ? 1 : 2);
		f = pa_harness_file_at(h, 0);
		CHECK(f && !strcmp(f->path, "docs/.hidden/x.md"));
		pa_harness_free(h);
		/* the second load opened nothing: each walk was the cache's */
		if (round == 1)
			CHECK_EQ_INT(Pa_hx_cache_stats(c)->opens, opens);
		if (round == 0) {
			opens = Pa_hx_cache_stats(c)->opens;
			put(d, ".github/instructions/sub/late.instructions.md", "MK_L\n");
			put(d, "docs/.hidden/y.md", "MK_Y\n");
		}
	}
	pa_warnings_release(&w);
	pa_harness_cache_free(c);
	rm_tree(d);
}

int main(void)
{
	RUN(test_toml_values);
	RUN(test_toml_nul);
	RUN(test_toml_prefixed_ints);
	RUN(test_toml_errors);
	RUN(test_toml_hostile);
	RUN(test_toml_paths_linear);
	RUN(test_codex_budget);
	RUN(test_backend_table);
	RUN(test_env_lookup);
	RUN(test_env_option);
	RUN(test_copilot_apply_to);
	RUN(test_gemini_imports);
	RUN(test_gemini_order);
	RUN(test_claude_code_row);
	RUN(test_gemini_flat);
	RUN(test_copilot_same_bytes);
	RUN(test_opencode_sources);
	RUN(test_kilo_sources);
	RUN(test_qwen_pi_rows);
	RUN(test_qwen_tokenizer_by_model);
	RUN(test_qwen_walk);
	RUN(test_pi_walk);
	RUN(test_cache);
	RUN(test_cache_walks);
	return pa_test_summary();
}
