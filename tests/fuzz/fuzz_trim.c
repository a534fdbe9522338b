/* fuzz_trim.c - libFuzzer target: the trimmer (pa_trim_text and
 * pa_trim_prompt) and, under it, the Markdown block splitter.
 *
 * The first 6 bytes are the settings, the rest the text:
 *   0  bit 0: a prompt of several sections (pa_trim_prompt), else one
 *      text (pa_trim_text); bit 1: trim_body; bit 2: the claude
 *      tokenizer (its counts are estimates, so the margin applies), else
 *      o200k_base; bits 3-4: how many rules (0-3)
 *   1  budget, low byte;  2  budget, high bits (budget = 0..2047)
 *   3  reserve (0..31) and, bit 5-7, the margin in tenths (0..0.7)
 *   4  5  the rules: match, priority, floor, cap, keep, from these bytes
 * In a prompt the sections are the text split at 0x1E bytes (at most 6):
 * the first is the body, each other's first byte picks its kind.
 *
 * Oracles, the trimmer's contract (promptasm.h, TRIMMING RULES):
 *  - invalid UTF-8 is PA_ERR_UTF8 (then the text is repaired and trimmed);
 *  - PA_OK: the result, counted again with the tokenizer, is at most the
 *    effective budget, and is what the report's tokens_after says; a
 *    text that fits and has no cap comes back unchanged; a text that
 *    ended in a newline still does; a section with a cap and no floor
 *    has at most its cap;
 *  - PA_ERR_OVER_BUDGET: the report says by how much (missing > 0), the
 *    prompt is left in a form that counts effective + missing, and
 *    pa_trim_text appends nothing. */
#include "fuzz.h"

#include "prompt.h"

static pa_tokenizer *o200k, *claude;

static size_t count(const pa_tokenizer *tok, const char *s, size_t n)
{
	size_t c = 0;
	pa_error err;

	FUZZ_CHECK(pa_tokenizer_count(tok, s, n, &c, &err) == PA_OK);
	return c;
}

static const char *const matches[8] = {
	"*", "body", "memory", "import", "instructions", "s2.md", "dir/*", "*.md"
};

/* Up to three rules from two bytes (a and b), and whether one has a cap. */
static size_t make_rules(pa_section_rule *r, size_t n, unsigned a, unsigned b)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned x = (a >> (2 * i)) ^ (b << i);
		r[i].match = matches[(a + 3 * i) & 7];
		r[i].priority = x & 1 ? (long)(b & 63) : PA_UNSET;
		r[i].floor = x & 2 ? (long)((b >> 2) & 31) * 4 : PA_UNSET;
		r[i].cap = x & 4 ? (long)((a >> 3) & 31) * 8 : PA_UNSET;
		r[i].keep = (pa_keep)((x >> 3) % 3);
		r[i].instructions_only = (x >> 5) & 1;
	}
	return n;
}

static int any_cap(const pa_section_rule *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].cap != PA_UNSET)
			return 1;
	return 0;
}

/* Sections whose cap the report shows must be within it: trimmed to it
 * (the floor, when set, may keep more; an untrimmable body keeps all). */
static void check_caps(const pa_trim_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n_sections; i++) {
		const pa_trim_section *s = &rep->sections[i];
		if (s->trimmable && s->cap != PA_UNSET && s->floor == PA_UNSET &&
		    s->tokens_after > (size_t)s->cap)
			fprintf(stderr, "section %zu (%s): cap %ld, tokens %zu -> %zu, "
			        "action %d, blocks %zu, removed %zu, marker %d\n", i,
			        s->path, s->cap, s->tokens_before, s->tokens_after,
			        (int)s->action, s->blocks, s->blocks_removed, s->marker);
		if (s->trimmable && s->cap != PA_UNSET && s->floor == PA_UNSET)
			FUZZ_CHECK(s->tokens_after <= (size_t)s->cap);
	}
}

static void trim_text(const pa_tokenizer *tok, const pa_trim_spec *spec,
                      const char *text, size_t len)
{
	pa_buf out = PA_BUF_INIT;
	pa_trim_report *rep = NULL;
	pa_error err;
	size_t eff = pa_trim_effective_budget_of(spec, spec->estimate), after;
	pa_status st = pa_trim_text(text, len, "notes.md", tok, spec, &out, &rep, &err);

	if (st != PA_OK && st != PA_ERR_OVER_BUDGET)
		fprintf(stderr, "status %d: %s\n", (int)st, err.message);
	FUZZ_CHECK(st == PA_OK || st == PA_ERR_OVER_BUDGET);
	FUZZ_CHECK(rep != NULL && rep->effective == eff);
	if (st == PA_OK) {
		after = count(tok, out.ptr, out.len);
		FUZZ_CHECK(after <= eff);
		FUZZ_CHECK(after == rep->tokens_after);
		FUZZ_CHECK(rep->missing == 0);
		if (rep->tokens_before <= eff && !any_cap(spec->rules, spec->n_rules))
			FUZZ_CHECK(out.len == len && !memcmp(out.ptr, text, len));
		if (len && text[len - 1] == '\n' && out.len)
			FUZZ_CHECK(out.ptr[out.len - 1] == '\n');
		check_caps(rep);
	} else {
		FUZZ_CHECK(out.len == 0);
		FUZZ_CHECK(rep->missing > 0 && rep->tokens_after == eff + rep->missing);
	}
	pa_trim_report_free(rep);
	pa_buf_release(&out);
}

static void trim_prompt(const pa_tokenizer *tok, const pa_trim_spec *spec,
                        const char *text, size_t len)
{
	pa_prompt *p = Pa_xcalloc(1, sizeof(*p));
	pa_buf before = PA_BUF_INIT, after = PA_BUF_INIT;
	pa_trim_report *rep = NULL;
	pa_error err;
	size_t eff = pa_trim_effective_budget_of(spec, spec->estimate), pos = 0, i = 0, n;
	pa_status st;

	while (pos <= len && i < 6) {
		const char *sep = memchr(text + pos, 0x1E, len - pos);
		size_t end = sep ? (size_t)(sep - text) : len;
		const char *s = text + pos;
		size_t sn = end - pos;
		char path[32], heading[64], parent[32];
		pa_section_kind kind = PA_SECTION_BODY;
		int depth = 0;

		if (i > 0) {
			kind = (pa_section_kind)(sn ? 1 + (unsigned char)s[0] % 8 : 2);
			/* Only an ASCII byte is taken: the text stays UTF-8. */
			if (sn && (unsigned char)s[0] < 0x80) {
				s++;
				sn--;
			}
		}
		if (kind == PA_SECTION_IMPORT)
			depth = 1 + (int)(i % 3);
		snprintf(path, sizeof(path), i % 2 ? "dir/s%zu.md" : "s%zu.md", i);
		snprintf(parent, sizeof(parent), "s%zu.md", i ? i - 1 : 0);
		snprintf(heading, sizeof(heading), "## %s: %s",
		         pa_section_kind_name(kind), path);
		Pa_prompt_add(p, kind, path, NULL, s, sn, 0, depth,
		              kind == PA_SECTION_IMPORT ? parent : NULL,
		              i ? heading : NULL);
		pos = end + 1;
		i++;
	}
	n = i;
	pa_prompt_render(p, &before);
	st = pa_trim_prompt(p, tok, spec, &rep, &err);
	if (st != PA_OK && st != PA_ERR_OVER_BUDGET)
		fprintf(stderr, "status %d: %s\n", (int)st, err.message);
	FUZZ_CHECK(st == PA_OK || st == PA_ERR_OVER_BUDGET);
	FUZZ_CHECK(rep != NULL && rep->n_sections == n && rep->effective == eff);
	pa_prompt_render(p, &after);
	FUZZ_CHECK(count(tok, after.ptr, after.len) == rep->tokens_after);
	if (st == PA_OK) {
		FUZZ_CHECK(rep->tokens_after <= eff && rep->missing == 0);
		if (rep->tokens_before <= eff && !any_cap(spec->rules, spec->n_rules))
			FUZZ_CHECK(after.len == before.len &&
			           !memcmp(after.ptr, before.ptr, before.len));
		check_caps(rep);
	} else {
		FUZZ_CHECK(rep->missing > 0 && rep->tokens_after == eff + rep->missing);
	}
	pa_trim_report_free(rep);
	pa_buf_release(&before);
	pa_buf_release(&after);
	pa_prompt_free(p);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *text = (const char *)data + 6;
	size_t len = size - 6;
	pa_buf fixed = PA_BUF_INIT;
	pa_section_rule rules[3];
	pa_trim_spec spec;
	const pa_tokenizer *tok;
	pa_error err;

	if (!o200k && (pa_tokenizer_load("o200k_base", getenv("PROMPTASM_TOKENIZERS"), &o200k, &err) != PA_OK ||
	               pa_tokenizer_load("claude", getenv("PROMPTASM_TOKENIZERS"), &claude, &err) != PA_OK)) {
		fprintf(stderr, "cannot load the tokenizers: %s\n", err.message);
		abort();
	}
	if (size < 6)
		return 0;
	tok = data[0] & 4 ? claude : o200k;
	pa_trim_spec_init(&spec, data[1] | (size_t)(data[2] & 7) << 8);
	spec.estimate = pa_tokenizer_is_estimate(tok, NULL);
	spec.reserve = data[3] & 31;
	spec.margin = (data[3] >> 5) / 10.0;
	spec.trim_body = (data[0] >> 1) & 1;
	spec.rules = rules;
	spec.n_rules = make_rules(rules, (data[0] >> 3) & 3, data[4], data[5]);

	if (!pa_utf8_valid(text, len, NULL)) {
		pa_buf out = PA_BUF_INIT;
		FUZZ_CHECK(pa_trim_text(text, len, "notes.md", tok, &spec, &out, NULL,
		                        &err) == PA_ERR_UTF8);
		FUZZ_CHECK(out.len == 0);
		pa_utf8_lossy(text, len, &fixed);
		text = fixed.ptr;
		len = fixed.len;
	}
	if (data[0] & 1)
		trim_prompt(tok, &spec, text, len);
	else
		trim_text(tok, &spec, text, len);
	pa_buf_release(&fixed);
	return 0;
}
