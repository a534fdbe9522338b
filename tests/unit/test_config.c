/* test_config.c - .promptasm.yaml: every key, and errors with line:column. */
#include "unit.h"
#include "config.h"
#include "promptasm.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char good[] =
	"tokenizer: o200k_base\n"
	"budget: 20_000\n"
	"budgets:\n"
	"  \"test-*\": 12000\n"
	"  reviewer: 8000\n"
	"  \"*\": 100\n"
	"reserve: 4000\n"
	"margin: 10%\n"
	"trim_body: true\n"
	"instructions:\n"
	"  CLAUDE.md: 8000\n"
	"sections:\n"
	"  - match: memory\n"
	"    priority: 5\n"
	"    floor: 200\n"
	"    cap: 2000\n"
	"    keep: tail\n"
	"load:\n"
	"  managed: false\n"
	"  user: true\n"
	"  ancestors: false\n"
	"budget_scope: context\n"
	"strict: true\n";

static void test_good(void)
{
	pa_config *c = NULL;
	pa_error err;
	pa_trim_spec spec;
	pa_compose_options opt;
	size_t b = 0;

	CHECK_EQ_INT(pa_config_parse(good, strlen(good), "x.yaml", &c, &err), PA_OK);
	if (!c)
		return;
	CHECK_EQ_STR(pa_config_tokenizer(c), "o200k_base");
	CHECK(pa_config_model(c) == NULL);
	/* An exact name wins over an earlier glob; then the first glob. */
	CHECK(pa_config_budget(c, "reviewer", &b) && b == 8000);
	CHECK(pa_config_budget(c, "test-writer", &b) && b == 12000);
	CHECK(pa_config_budget(c, "other", &b) && b == 100);
	pa_trim_spec_init(&spec, 1000);
	pa_config_trim_spec(c, &spec);
	CHECK(spec.margin > 0.099 && spec.margin < 0.101);
	CHECK_EQ_INT(spec.reserve, 4000);
	CHECK_EQ_INT(spec.trim_body, 1);
	CHECK_EQ_INT(spec.n_rules, 2);
	CHECK_EQ_INT(spec.rules[0].cap, 8000);
	CHECK_EQ_INT(spec.rules[0].instructions_only, 1);
	CHECK_EQ_STR(spec.rules[1].match, "memory");
	CHECK_EQ_INT(spec.rules[1].priority, 5);
	CHECK_EQ_INT(spec.rules[1].floor, 200);
	CHECK_EQ_INT(spec.rules[1].keep, PA_KEEP_TAIL);
	CHECK_EQ_INT(pa_config_instruction_cap(c, PA_SECTION_PROJECT, "sub/CLAUDE.md"), 8000);
	CHECK_EQ_INT(pa_config_instruction_cap(c, PA_SECTION_BODY, "CLAUDE.md"), PA_UNSET);
	CHECK_EQ_INT(pa_config_instruction_cap(c, PA_SECTION_RULE, "x/api.md"), PA_UNSET);
	memset(&opt, 0, sizeof(opt));
	pa_config_compose_options(c, &opt);
	CHECK(opt.no_managed && !opt.no_user && opt.no_ancestors);
	CHECK_EQ_INT(pa_config_budget_scope(c), PA_SCOPE_CONTEXT);
	CHECK_EQ_STR(pa_config_setting(c, "strict"), "true");
	pa_config_free(c);
}

/* Where an entry of a table is set: the line and column of its key, for
 * what names it (check's annotations of `main:` rows, the warnings of a
 * `budgets:` entry or `instructions:` cap that applies to nothing). */
static void test_entry_at(void)
{
	static const char text[] =
		"budgets:\n"
		"  reviewer: 8000\n"
		"instructions: {CLAUDE.md: 10}\n"
		"main:\n"
		"  total: 40000\n"
		"\n"
		"    # the listing\n"
		"  agents: 5000\n";
	pa_config *c = NULL;
	pa_error err;
	long line = 0, column = 0;

	CHECK_EQ_INT(pa_config_parse(text, strlen(text), "x.yaml", &c, &err), PA_OK);
	if (!c)
		return;
	CHECK(pa_config_entry_at(c, "budgets", "reviewer", &line, &column));
	CHECK(line == 2 && column == 3);
	CHECK(pa_config_entry_at(c, "instructions", "CLAUDE.md", &line, &column));
	CHECK(line == 3 && column == 16);
	CHECK(pa_config_entry_at(c, "main", "total", &line, &column));
	CHECK(line == 5 && column == 3);
	CHECK(pa_config_entry_at(c, "main", "agents", &line, &column));
	CHECK(line == 8 && column == 3);
	CHECK(!pa_config_entry_at(c, "main", "skills", &line, &column));
	CHECK(!pa_config_entry_at(c, "budgets", "total", &line, &column));
	CHECK(!pa_config_entry_at(c, "sections", "total", &line, &column));
	CHECK(!pa_config_entry_at(NULL, "main", "total", &line, &column));
	pa_config_free(c);
}

static void test_empty(void)
{
	pa_config *c = NULL;
	size_t b = 7;

	CHECK_EQ_INT(pa_config_parse("", 0, "x.yaml", &c, NULL), PA_OK);
	CHECK(c && !pa_config_budget(c, "a", &b) && b == 7);
	CHECK(c && pa_config_budget_scope(c) == PA_SCOPE_PROMPT);
	CHECK(c && !pa_config_setting(c, "strict"));
	pa_config_free(c);
	CHECK_EQ_INT(pa_config_parse("# only a comment\n", 17, "x.yaml", &c, NULL), PA_OK);
	pa_config_free(c);
	/* A document marker and nothing else is an empty document too
	 * (found by fuzz_config: it was "not a mapping"). */
	CHECK_EQ_INT(pa_config_parse("---", 3, "x.yaml", &c, NULL), PA_OK);
	pa_config_free(c);
	CHECK_EQ_INT(pa_config_parse("---\n# later\n...\n", 16, "x.yaml", &c, NULL), PA_OK);
	pa_config_free(c);
	pa_config_free(NULL);
}

/* Each bad text, the line and column it must name. */
static void test_bad(void)
{
	static const struct { const char *text; long line, col; const char *msg; } cases[] = {
		{ "budgt: 100\n", 1, 1, "unknown key 'budgt'" },
		{ "budget: 100\nbudget: 200\n", 2, 1, "duplicate key 'budget'" },
		/* in every mapping, not the top alone: the first match of
		 * 'budgets' wins, and a second entry was dropped unsaid */
		{ "budgets:\n  reviewer: 8000\n  reviewer: 100\n", 3, 3,
		  "duplicate key 'reviewer' in 'budgets'" },
		{ "instructions:\n  CLAUDE.md: 10\n  CLAUDE.md: 9\n", 3, 3,
		  "duplicate key 'CLAUDE.md' in 'instructions'" },
		{ "main:\n  total: 5\n  total: 6\n", 3, 3, "duplicate key 'total' in 'main'" },
		{ "load:\n  user: true\n  user: false\n", 3, 3, "duplicate key 'user' in 'load'" },
		{ "sections:\n  - match: memory\n    cap: 10\n    cap: 20\n", 4, 5,
		  "duplicate key 'cap' in a sections item" },
		{ "budget: lots\n", 1, 9, "'budget' must be a number of tokens" },
		{ "budget: -5\n", 1, 9, "'budget' must be a number of tokens" },
		{ "budget: \"100\"\n", 1, 9, "'budget' must be a number of tokens" },
		{ "margin: 150%\n", 1, 9, "'margin' must be a share below 100%" },
		/* the form, not the size, is what is wrong */
		{ "margin: 1e-400\n", 1, 9, "'margin' must be a share written as 15% or 0.15 "
		  "(decimal digits, no sign or exponent)" },
		/* the limit named (it said "must be a number of tokens") */
		{ "budget: 10000000000000\n", 1, 9, "'budget' must be at most 9999999999999 tokens" },
		{ "trim_body: yes\n", 1, 12, "'trim_body' must be true or false" },
		{ "budgets: [a, b]\n", 1, 10, "'budgets' must be a mapping" },
		{ "budgets:\n  a: x\n", 2, 6, "'a' must be a number of tokens" },
		{ "sections:\n  - match: memory\n    flor: 3\n", 3, 5, "unknown key 'flor' in a sections item" },
		{ "sections:\n  - cap: 3\n", 2, 5, "a 'sections' item needs 'match'" },
		{ "sections:\n  - match: x\n    keep: middle\n", 3, 11, "'keep' must be head or tail" },
		{ "load:\n  home: false\n", 2, 3, "unknown key 'home' in 'load'" },
		{ "budget_scope: all\n", 1, 15, "'budget_scope' must be prompt or context" },
		{ "budget_scope: [prompt]\n", 1, 15, "'budget_scope' must be prompt or context" },
		{ "- a\n- b\n", 1, 1, "the config file must be a mapping" },
		{ "budget: [\n", 2, 1, "invalid YAML" },
		/* as --max-entries: 0 was taken, then not applied */
		{ "max_entries: 0\n", 1, 14, "'max_entries' must be a number of directory entries from 1" },
		{ "max_entries: many\n", 1, 14, "'max_entries' must be a number of directory entries from 1" },
		/* the rest of the file was not even parsed: budget 100 held */
		{ "budget: 100\n---\nbudget: 5\n", 2, 1, "a second YAML document" },
		{ "budget: 100\n...\nbudget: [\n", 3, 1, "invalid YAML" },
		{ "strict: maybe\n", 1, 9, "'strict' must be true or false" },
		{ "tokenizer: claude\nmodel: gpt-4o\n", 2, 8, "set 'tokenizer' or 'model'" },
		/* a C string ends at the NUL: this budgeted the agent 'a' */
		{ "budgets:\n  \"a\\0x\": 5\n", 2, 3, "holds a NUL character" },
		{ "tokenizer: \"claude\\0x\"\n", 1, 12, "holds a NUL character" },
		{ "sections:\n  - match: \"memory\\0\"\n    cap: 5\n", 2, 12, "holds a NUL character" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pa_config *c = NULL;
		pa_error err;
		pa_status st = pa_config_parse(cases[i].text, strlen(cases[i].text),
		                               ".promptasm.yaml", &c, &err);
		CHECK_EQ_INT(st, PA_ERR_PARSE);
		CHECK(c == NULL);
		if (st != PA_ERR_PARSE)
			continue;
		CHECK_EQ_STR(err.file, ".promptasm.yaml");
		CHECK_EQ_INT(err.line, cases[i].line);
		CHECK_EQ_INT(err.column, cases[i].col);
		if (!strstr(err.message, cases[i].msg))
			fprintf(stderr, "case %zu: message '%s'\n", i, err.message);
		CHECK(strstr(err.message, cases[i].msg) != NULL);
	}
}

static pa_agent *agent_with(const char *model_line)
{
	char text[256];
	pa_agent *a = NULL;
	pa_error err;

	snprintf(text, sizeof(text), "---\nname: a\ndescription: d\n%s---\nBody.\n",
	         model_line);
	pa_agent_parse(text, strlen(text), "a.md", &a, NULL, &err);
	return a;
}

/* pa_tokenizer_choose: flags, then the config, then the model the agent
 * runs on (Claude Code's default without one); text that is no agent's
 * gets the default tokenizer. */
static void test_choose(void)
{
	pa_agent *none = agent_with(""), *inherit = agent_with("model: inherit\n");
	pa_agent *sonnet = agent_with("model: sonnet\n");
	pa_config *cfg = NULL, *cfg_model = NULL;
	pa_tokenizer_pick pick;
	pa_error err;

	CHECK(none && inherit && sonnet);
	CHECK_EQ_INT(pa_config_parse("", 0, "c", &cfg, &err), PA_OK);
	CHECK_EQ_INT(pa_config_parse("model: gpt-4o\n", 14, "c", &cfg_model, &err), PA_OK);

	pa_tokenizer_choose(NULL, NULL, cfg, NULL, &pick);
	CHECK_EQ_STR(pick.name, PA_DEFAULT_TOKENIZER);
	CHECK(pick.model == NULL && pick.is_default);

	pa_tokenizer_choose(NULL, NULL, cfg, none, &pick);
	CHECK(pick.name == NULL && pick.is_default && !pick.fallback);
	CHECK_EQ_STR(pick.model, pa_claude_code_model(NULL, NULL));
	pa_tokenizer_choose(NULL, NULL, NULL, inherit, &pick);
	CHECK_EQ_STR(pick.model, "claude-opus-5-5");

	pa_tokenizer_choose(NULL, NULL, cfg, sonnet, &pick);
	CHECK_EQ_STR(pick.model, "sonnet");
	CHECK(pick.fallback && !pick.is_default);

	/* The config's model is the main session's: it wins over inherit
	 * and over the agent's own model alike. */
	pa_tokenizer_choose(NULL, NULL, cfg_model, inherit, &pick);
	CHECK_EQ_STR(pick.model, "gpt-4o");
	pa_tokenizer_choose(NULL, NULL, cfg_model, sonnet, &pick);
	CHECK_EQ_STR(pick.model, "gpt-4o");
	CHECK(!pick.is_default);

	pa_tokenizer_choose("cl100k_base", NULL, cfg_model, none, &pick);
	CHECK_EQ_STR(pick.name, "cl100k_base");
	CHECK(pick.model == NULL && !pick.is_default);

	pa_config_free(cfg);
	pa_config_free(cfg_model);
	pa_agent_free(none);
	pa_agent_free(inherit);
	pa_agent_free(sonnet);
}

/* The one table of keys (config.c) against its two descriptions: every key
 * is named in promptasm(1)'s CONFIGURATION, and each key a tag of that
 * section (`.TP` line) names is in the table; every key of the file and of
 * `load:` is in the example of promptasm.h. */
static int has_word(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(s + i, w, n) &&
		    (i == 0 || !(isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_')) &&
		    (i + n == len || !(isalnum((unsigned char)s[i + n]) || s[i + n] == '_')))
			return 1;
	return 0;
}

static int is_key(const char *name, size_t len)
{
	int t;
	size_t i;
	const char *k;

	for (t = PA_CONFIG_TOP; t <= PA_CONFIG_RULE; t++)
		for (i = 0; (k = Pa_config_key((Pa_config_table)t, i, NULL)); i++)
			if (strlen(k) == len && !memcmp(k, name, len))
				return 1;
	return 0;
}

/* harness: a list with NAME@VERSION, or a mapping of names to their
 * version and Codex's profile. */
static void test_harness_settings(void)
{
	static const char map[] =
		"harness:\n  codex: {version: 0.169.0, profile: work}\n  claude-code:\n";
	static const char list[] = "harness: [pi, codex@0.169.0]\n";
	static const char *const bad[] = {
		"harness: {codex: {model: x}}\n", "harness: {codex: 1}\n",
		"harness: [codex@]\n", "harness: {codex@1: {}}\n",
		"harness: {nosuch: {}}\n",
	};
	const pa_harness_id *ids;
	pa_config *c = NULL;
	pa_error err;
	size_t i;

	memset(&err, 0, sizeof(err));
	CHECK_EQ_INT(pa_config_parse(map, strlen(map), "x.yaml", &c, &err), PA_OK);
	CHECK_EQ_INT(pa_config_harness(c, &ids), 2);
	CHECK_EQ_INT(ids[0], PA_HARNESS_CODEX);
	CHECK_EQ_INT(ids[1], PA_HARNESS_CLAUDE_CODE);
	CHECK_EQ_STR(pa_config_harness_setting(c, PA_HARNESS_CODEX, "version"), "0.169.0");
	CHECK_EQ_STR(pa_config_harness_setting(c, PA_HARNESS_CODEX, "profile"), "work");
	CHECK(pa_config_harness_setting(c, PA_HARNESS_CLAUDE_CODE, "version") == NULL);
	CHECK(pa_config_harness_setting(c, PA_HARNESS_CODEX, "model") == NULL);
	CHECK(pa_config_harness_setting(c, (pa_harness_id)PA_HARNESS_COUNT, "version") == NULL);
	pa_config_free(c);
	c = NULL;
	CHECK_EQ_INT(pa_config_parse(list, strlen(list), "x.yaml", &c, &err), PA_OK);
	CHECK_EQ_INT(pa_config_harness(c, &ids), 2);
	CHECK_EQ_INT(ids[1], PA_HARNESS_CODEX);
	CHECK_EQ_STR(pa_config_harness_setting(c, PA_HARNESS_CODEX, "version"), "0.169.0");
	CHECK(pa_config_harness_setting(c, PA_HARNESS_PI, "version") == NULL);
	pa_config_free(c);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = NULL;
		memset(&err, 0, sizeof(err));
		CHECK_EQ_INT(pa_config_parse(bad[i], strlen(bad[i]), "x.yaml", &c, &err),
		             PA_ERR_PARSE);
		CHECK(c == NULL && err.line == 1 && err.column > 0);
		pa_config_free(c);
	}
}

static void test_keys_documented(void)
{
	pa_buf man = PA_BUF_INIT, hdr = PA_BUF_INIT;
	const char *sec, *end, *ex, *exend, *k, *doc, *p;
	size_t i;
	int t;

	CHECK_EQ_INT(pa_file_read_limited("man/promptasm.1", 1 << 22, 0, &man, NULL), PA_OK);
	CHECK_EQ_INT(pa_file_read_limited("include/promptasm.h", 1 << 22, 0, &hdr, NULL), PA_OK);
	sec = strstr(man.ptr, "\n.SH CONFIGURATION\n");
	end = sec ? strstr(sec + 1, "\n.SH ") : NULL;
	ex = strstr(hdr.ptr, "`.promptasm.yaml` at the project root.");
	exend = ex ? strstr(ex, " * Unknown keys") : NULL;
	CHECK(sec && end && ex && exend);
	if (!sec || !end || !ex || !exend)
		goto done;
	for (t = PA_CONFIG_TOP; t <= PA_CONFIG_RULE; t++) {
		for (i = 0; (k = Pa_config_key((Pa_config_table)t, i, &doc)); i++) {
			char colon[64];

			CHECK(doc && doc[0]);
			if (!has_word(sec, (size_t)(end - sec), k))
				printf("  promptasm(1) CONFIGURATION does not name '%s'\n", k);
			CHECK(has_word(sec, (size_t)(end - sec), k));
			snprintf(colon, sizeof(colon), "%s:", k);
			if (t != PA_CONFIG_RULE && !has_word(ex, (size_t)(exend - ex), k))
				printf("  promptasm.h's example has no '%s'\n", colon);
			CHECK(t == PA_CONFIG_RULE || has_word(ex, (size_t)(exend - ex), k));
		}
	}
	/* The tags: `.TP` then a line naming `key:`s. */
	for (p = sec; p && p < end; p = strchr(p + 1, '\n')) {
		const char *line = p + 1, *eol, *q;

		if (strncmp(line, ".TP\n", 4))
			continue;
		line += 4;
		eol = strchr(line, '\n');
		for (q = line; eol && q < eol; q++) {
			size_t n = 0;

			if (q > line && (isalnum((unsigned char)q[-1]) || q[-1] == '_'))
				continue;
			while (q + n < eol && (islower((unsigned char)q[n]) || q[n] == '_'))
				n++;
			if (n && q[n] == ':') {
				if (!is_key(q, n))
					printf("  promptasm(1) CONFIGURATION names '%.*s:', not a key\n",
					       (int)n, q);
				CHECK(is_key(q, n));
			}
		}
	}
	/* The example is a config that reads. */
	{
		pa_buf yaml = PA_BUF_INIT;
		pa_config *c = NULL;
		pa_error err;

		for (p = ex; p && p < exend; p = strchr(p + 1, '\n'))
			if (!strncmp(p, "\n *     ", 8)) {
				const char *eol = strchr(p + 8, '\n');
				pa_buf_put(&yaml, p + 8, (size_t)(eol - p - 8));
				pa_buf_putc(&yaml, '\n');
			}
		CHECK_EQ_INT(pa_config_parse(yaml.ptr, yaml.len, "promptasm.h", &c, &err), PA_OK);
		CHECK(c && pa_config_setting(c, "api_model") &&
		      !strcmp(pa_config_setting(c, "api_model"), "claude-sonnet-4-5"));
		pa_config_free(c);
		pa_buf_release(&yaml);
	}
done:
	pa_buf_release(&man);
	pa_buf_release(&hdr);
}

int main(void)
{
	RUN(test_good);
	RUN(test_entry_at);
	RUN(test_choose);
	RUN(test_empty);
	RUN(test_bad);
	RUN(test_harness_settings);
	RUN(test_keys_documented);
	return pa_test_summary();
}
