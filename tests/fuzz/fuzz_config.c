/* fuzz_config.c - libFuzzer target: the config file (pa_config_parse).
 *
 * Oracles:
 *  - an error is PA_ERR_PARSE naming the file, with a message and a
 *    line and column that are in the text (1-based, libyaml's lines; the
 *    end of a text is on the line after its last, when that line has no
 *    line break);
 *  - OK: the config names its file, has not both `tokenizer` and
 *    `model`, its margin is a share below 1, every rule it hands the
 *    trimmer has a match and numbers that are unset or not negative, and
 *    a second parse of the same text gives the same settings (nothing
 *    depends on memory left from the first). */
#include "fuzz.h"

#include "promptasm.h"

/* Line breaks as libyaml counts them (see fuzz_frontmatter.c). */
static size_t count_yaml_breaks(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n')))
			k++;
		else if (i + 1 < n && s[i] == '\xC2' && s[i + 1] == '\x85')
			k++;
		else if (i + 2 < n && s[i] == '\xE2' && s[i + 1] == '\x80' &&
		         (s[i + 2] == '\xA8' || s[i + 2] == '\xA9'))
			k++;
	}
	return k;
}

static void check_rule(const pa_section_rule *r)
{
	FUZZ_CHECK(r->match != NULL);
	FUZZ_CHECK(r->priority == PA_UNSET || r->priority >= 0);
	FUZZ_CHECK(r->floor == PA_UNSET || r->floor >= 0);
	FUZZ_CHECK(r->cap == PA_UNSET || r->cap >= 0);
	FUZZ_CHECK(r->keep == PA_KEEP_UNSET || r->keep == PA_KEEP_HEAD ||
	           r->keep == PA_KEEP_TAIL);
}

static int same_rules(const pa_trim_spec *a, const pa_trim_spec *b)
{
	size_t i;

	if (a->n_rules != b->n_rules)
		return 0;
	for (i = 0; i < a->n_rules; i++) {
		const pa_section_rule *x = &a->rules[i], *y = &b->rules[i];
		if (strcmp(x->match, y->match) || x->priority != y->priority ||
		    x->floor != y->floor || x->cap != y->cap || x->keep != y->keep ||
		    x->instructions_only != y->instructions_only)
			return 0;
	}
	return 1;
}

static int same_string(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *text = (const char *)data;
	pa_config *cfg = NULL, *again = NULL;
	pa_error err;
	pa_trim_spec spec, spec2;
	pa_compose_options opt;
	size_t budget = 0, budget2 = 0, i;
	static const char *const agents[] = { "reviewer", "test-writer", "x", "" };
	pa_status st = pa_config_parse(text, size, "cfg.yaml", &cfg, &err);

	if (st != PA_OK) {
		FUZZ_CHECK(st == PA_ERR_PARSE && cfg == NULL);
		FUZZ_CHECK(err.message[0] != '\0' && !strcmp(err.file, "cfg.yaml"));
		FUZZ_CHECK(err.line >= 1 && err.column >= 1);
		/* libyaml puts the end of a text whose last line has no line
		 * break on the line after it. */
		FUZZ_CHECK(err.line <= (long)count_yaml_breaks(text, size) + 1 +
		                       (size && text[size - 1] != '\n'));
		return 0;
	}
	FUZZ_CHECK(cfg != NULL && !strcmp(pa_config_file(cfg), "cfg.yaml"));
	FUZZ_CHECK(!(pa_config_tokenizer(cfg) && pa_config_model(cfg)));
	FUZZ_CHECK(pa_config_budget_scope(cfg) == PA_SCOPE_PROMPT ||
	           pa_config_budget_scope(cfg) == PA_SCOPE_CONTEXT);
	pa_trim_spec_init(&spec, 1000);
	pa_config_trim_spec(cfg, &spec);
	FUZZ_CHECK(spec.margin >= 0 && spec.margin < 1);
	for (i = 0; i < spec.n_rules; i++)
		check_rule(&spec.rules[i]);
	memset(&opt, 0, sizeof(opt));
	pa_config_compose_options(cfg, &opt);
	for (i = 0; i < sizeof(agents) / sizeof(agents[0]); i++) {
		long cap = pa_config_instruction_cap(cfg, PA_SECTION_PROJECT, agents[i]);
		FUZZ_CHECK(cap == PA_UNSET || cap >= 0);
	}

	FUZZ_CHECK(pa_config_parse(text, size, "cfg.yaml", &again, &err) == PA_OK);
	pa_trim_spec_init(&spec2, 1000);
	pa_config_trim_spec(again, &spec2);
	FUZZ_CHECK(spec.margin == spec2.margin && spec.reserve == spec2.reserve &&
	           spec.trim_body == spec2.trim_body && same_rules(&spec, &spec2));
	FUZZ_CHECK(same_string(pa_config_tokenizer(cfg), pa_config_tokenizer(again)));
	FUZZ_CHECK(same_string(pa_config_model(cfg), pa_config_model(again)));
	for (i = 0; i < sizeof(agents) / sizeof(agents[0]); i++) {
		int has = pa_config_budget(cfg, agents[i], &budget);
		FUZZ_CHECK(has == pa_config_budget(again, agents[i], &budget2));
		FUZZ_CHECK(!has || budget == budget2);
	}
	pa_config_free(cfg);
	pa_config_free(again);
	return 0;
}
