/*
 * test_trim_props.c - property tests of the trimmer over generated
 * Markdown documents and budgets (seeded, so every run is the same):
 *
 *   - the exact count of the result is at most the budget (or the status
 *     is PA_ERR_OVER_BUDGET when what may not be trimmed is larger);
 *   - the result is valid UTF-8 and splits no ZWJ sequence;
 *   - the trimmer opens no code fence;
 *   - the same input gives the same output;
 *   - a text that fits is returned unchanged;
 *   - the kept bytes the report names are in the result as they were.
 */
#include "unit.h"
#include "prompt.h"
#include "markdown.h"

#include <stdlib.h>

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ULL) >> 32);
}

static size_t pick(size_t n) { return n ? rnd() % n : 0; }

static const char *const words[] = {
	"the", "prompt", "budget", "token", "agent", "café", "naïve", "日本語",
	"テスト", "Ünïcödé", "e\xcc\x81t\xc3\xa9", /* e + combining acute */
	"👨‍👩‍👧‍👦", "🇫🇷", "👍🏽", "x", "a-b_c", "`code`", "**bold**", "[link](http://x.y)",
	"Привет", "مرحبا", "123456", "...", "—", "ﬁ", "ｆｕｌｌ",
};

static void put_words(pa_buf *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			pa_buf_putc(b, ' ');
		pa_buf_puts(b, words[pick(sizeof(words) / sizeof(words[0]))]);
	}
}

/* A list item with a fence in it: indented under the item (spaces or a
 * tab), on the item's own line, or ended by the end of the item. */
static void gen_list_fence(pa_buf *b)
{
	/* Each reaches the content of "1. " (column 3), the first that of
	 * "- " only. */
	static const char *const indents[] = { "  ", "    ", "\t", " \t", "   " };
	const char *in = indents[pick(5)], *fence = pick(2) ? "```" : "~~~~";
	size_t style = pick(3), j;

	if (style == 1) {
		pa_buf_printf(b, "- %ssh\n", fence);
		in = "  ";
	} else {
		pa_buf_puts(b, in[0] == ' ' && in[2] == '\0' ? "- " : pick(2) ? "- " : "1. ");
		put_words(b, 1 + pick(5));
		pa_buf_puts(b, pick(2) ? "\n\n" : "\n");
		pa_buf_printf(b, "%s%s\n", in, fence);
	}
	for (j = 1 + pick(4); j; j--) {
		pa_buf_puts(b, in);
		put_words(b, pick(8));
		pa_buf_putc(b, '\n');
	}
	if (style == 2) {
		/* No closing line: a paragraph at the margin ends the item. */
		pa_buf_puts(b, pick(2) ? "\n" : "");
		put_words(b, 1 + pick(5));
		pa_buf_putc(b, '\n');
	} else {
		pa_buf_printf(b, "%s%s\n", in, fence);
	}
}

static void gen_doc(pa_buf *b)
{
	size_t blocks = 1 + pick(14), i, j;

	for (i = 0; i < blocks; i++) {
		switch (pick(12)) {
		case 0:
			pa_buf_puts(b, "#");
			for (j = pick(3); j; j--)
				pa_buf_putc(b, '#');
			pa_buf_putc(b, ' ');
			put_words(b, 1 + pick(5));
			pa_buf_putc(b, '\n');
			break;
		case 1:
			put_words(b, 1 + pick(4));
			pa_buf_puts(b, pick(2) ? "\n====\n" : "\n---\n");
			break;
		case 2:
		case 3:
			for (j = 1 + pick(3); j; j--) {
				put_words(b, 1 + pick(20));
				pa_buf_putc(b, '\n');
			}
			break;
		case 4:
			for (j = 1 + pick(4); j; j--) {
				pa_buf_puts(b, pick(3) ? "- " : pick(2) ? "  - " : "1. ");
				put_words(b, 1 + pick(10));
				pa_buf_putc(b, '\n');
				if (!pick(4)) {
					pa_buf_puts(b, "  ");
					put_words(b, 3);
					pa_buf_putc(b, '\n');
				}
			}
			break;
		case 5: {
			char ch = pick(2) ? '`' : '~';
			size_t run = 3 + pick(3), k;
			for (k = 0; k < run; k++)
				pa_buf_putc(b, ch);
			pa_buf_puts(b, pick(2) ? "sh\n" : "\n");
			for (j = 1 + pick(6); j; j--) {
				if (!pick(5))
					pa_buf_puts(b, ch == '~' ? "```\n" : "~~~\n");
				put_words(b, pick(8));
				pa_buf_putc(b, '\n');
			}
			for (k = 0; k < run; k++)
				pa_buf_putc(b, ch);
			pa_buf_putc(b, '\n');
			break;
		}
		case 6:
			put_words(b, 150 + pick(200)); /* one long line */
			pa_buf_putc(b, '\n');
			break;
		case 9:
			gen_list_fence(b);
			break;
		case 10: {
			/* CRLF lines, a fence among them. */
			const char *fence = pick(2) ? "```" : "~~~";
			pa_buf_printf(b, "%s sh\r\n", fence);
			for (j = 1 + pick(3); j; j--) {
				put_words(b, pick(6));
				pa_buf_puts(b, "\r\n");
			}
			pa_buf_printf(b, "%s\r\n", fence);
			put_words(b, 1 + pick(6));
			pa_buf_puts(b, "\r\n");
			break;
		}
		case 11:
			/* Indented code whose lines look like a fence (or, after
			 * a paragraph's line, text). */
			pa_buf_puts(b, pick(2) ? "    ```\n" : "\t~~~\n");
			put_words(b, 1 + pick(6));
			pa_buf_putc(b, '\n');
			break;
		case 7:
			pa_buf_puts(b, "> ");
			put_words(b, 1 + pick(10));
			pa_buf_puts(b, "\n> ");
			put_words(b, 1 + pick(10));
			pa_buf_putc(b, '\n');
			break;
		default:
			/* A long line of one grapheme repeated: cuts must fall
			 * between clusters. */
			for (j = 20 + pick(60); j; j--)
				pa_buf_puts(b, pick(2) ? "👩‍💻" : "a\xcc\x81");
			pa_buf_putc(b, '\n');
			break;
		}
		if (pick(4))
			pa_buf_putc(b, '\n');
	}
}

static size_t count(const pa_tokenizer *tok, const char *s, size_t n)
{
	size_t c = 0;
	pa_tokenizer_count(tok, s, n, &c, NULL);
	return c;
}

/* A ZWJ at the end or start of a line means a sequence was cut. */
static int splits_zwj(const char *s, size_t n)
{
	static const char zwj[] = "\xe2\x80\x8d";
	size_t i;

	for (i = 0; i + 3 <= n; i++) {
		if (memcmp(s + i, zwj, 3) != 0)
			continue;
		if (i + 3 == n || s[i + 3] == '\n' || i == 0 || s[i - 1] == '\n')
			return 1;
	}
	return 0;
}

static int ok_budget, ok_utf8, ok_fence, ok_same, ok_fit, over_ok, ok_kept;

/* q's kept range of the untrimmed text orig is in the trimmed text out at
 * kept_at, unchanged: all of it when kept, nothing when emptied or
 * dropped. */
static void check_kept(const pa_trim_section *q, const char *orig, size_t len,
                       const char *out, size_t out_len)
{
	size_t n = q->kept_end - q->kept_start;

	if (q->kept_start > q->kept_end || q->kept_end > len) {
		CHECK(!"kept range out of the text");
		return;
	}
	if (q->action == PA_TRIM_KEPT)
		CHECK(q->kept_start == 0 && q->kept_end == len);
	else if (q->action != PA_TRIM_CUT)
		CHECK(n == 0);
	if (q->kept_at + n <= out_len && !memcmp(out + q->kept_at, orig + q->kept_start, n))
		ok_kept++;
	else
		CHECK(!"the kept range is not in the result");
}

static void check_text(const pa_tokenizer *tok, const char *doc, size_t len,
                       size_t budget, pa_keep keep, long floor)
{
	pa_trim_spec spec;
	pa_section_rule rule = { NULL, PA_UNSET, PA_UNSET, PA_UNSET, PA_KEEP_UNSET, 0 };
	pa_buf a = PA_BUF_INIT, b = PA_BUF_INIT;
	pa_trim_report *rep = NULL;
	pa_status st, st2;
	size_t n;

	pa_trim_spec_init(&spec, budget);
	spec.estimate = pa_tokenizer_is_estimate(tok, NULL);
	rule.keep = keep;
	rule.floor = floor;
	spec.rules = &rule;
	spec.n_rules = 1;
	st = pa_trim_text(doc, len, "doc.md", tok, &spec, &a, &rep, NULL);
	st2 = pa_trim_text(doc, len, "doc.md", tok, &spec, &b, NULL, NULL);
	if (st == PA_ERR_OVER_BUDGET) {
		/* Only a floor may make it impossible. */
		if (floor > 0 && rep->missing > 0)
			over_ok++;
		else
			CHECK(!"over budget without a floor");
		CHECK(st2 == st);
		pa_trim_report_free(rep);
		pa_buf_release(&a);
		pa_buf_release(&b);
		return;
	}
	CHECK_EQ_INT(st, PA_OK);
	n = count(tok, a.ptr, a.len);
	CHECK(rep->effective <= budget);
	budget = rep->effective; /* the margin, for estimated counts */
	if (n <= budget)
		ok_budget++;
	else
		fprintf(stderr, "FAIL budget %zu, got %zu tokens (keep %d, floor %ld)\n",
		        budget, n, (int)keep, floor);
	CHECK(n <= budget);
	CHECK_EQ_INT(n, rep->tokens_after);
	check_kept(&rep->sections[0], doc, len && doc[len - 1] == '\n' ? len - 1 : len,
	           a.ptr, a.len);
	if (pa_utf8_valid(a.ptr, a.len, NULL) && !splits_zwj(a.ptr, a.len))
		ok_utf8++;
	else
		CHECK(!"invalid UTF-8 or a split ZWJ sequence");
	if (!Pa_md_has_open_fence(a.ptr, a.len))
		ok_fence++;
	else
		CHECK(!"an open fence");
	if (a.len == b.len && !memcmp(a.ptr, b.ptr, a.len) && st2 == st)
		ok_same++;
	else
		CHECK(!"not deterministic");
	if (count(tok, doc, len) <= budget) {
		if (a.len == len && !memcmp(a.ptr, doc, len))
			ok_fit++;
		else
			CHECK(!"changed although it fits");
	}
	pa_trim_report_free(rep);
	pa_buf_release(&a);
	pa_buf_release(&b);
}

static void props_text(const pa_tokenizer *tok, unsigned docs)
{
	unsigned d;

	for (d = 0; d < docs; d++) {
		pa_buf doc = PA_BUF_INIT;
		size_t size, budgets[12], i;

		gen_doc(&doc);
		/* The properties hold for texts whose fences are closed. */
		CHECK(!Pa_md_has_open_fence(doc.ptr, doc.len));
		size = count(tok, doc.ptr, doc.len);
		budgets[0] = 0;
		budgets[1] = 1;
		budgets[2] = 2 + pick(20);
		budgets[3] = 20 + pick(30);
		budgets[4] = pick(size + 1);
		budgets[5] = pick(size + 1);
		budgets[6] = size / 2;
		budgets[7] = size > 0 ? size - 1 : 0;
		budgets[8] = size;
		budgets[9] = size + 1 + pick(50);
		budgets[10] = pick(size + 1);
		budgets[11] = pick(size / 4 + 1);
		for (i = 0; i < 12; i++) {
			pa_keep keep = pick(3) ? PA_KEEP_HEAD : PA_KEEP_TAIL;
			long floor = pick(5) ? PA_UNSET : (long)pick(size + 1);
			check_text(tok, doc.ptr, doc.len, budgets[i], keep, floor);
		}
		pa_buf_release(&doc);
	}
}

/* A prompt of several sections, the body not trimmable. */
static void props_prompt(const pa_tokenizer *tok, unsigned prompts)
{
	static const pa_section_kind kinds[] = {
		PA_SECTION_MEMORY, PA_SECTION_MANAGED, PA_SECTION_USER,
		PA_SECTION_PROJECT, PA_SECTION_RULE, PA_SECTION_IMPORT, PA_SECTION_LOCAL,
	};
	unsigned p;

	for (p = 0; p < prompts; p++) {
		pa_prompt *pr = Pa_xcalloc(1, sizeof(*pr));
		pa_buf body = PA_BUF_INIT, full = PA_BUF_INIT, out = PA_BUF_INIT;
		pa_buf *orig;
		size_t ns = 1 + pick(6), i, size, budget, bodylen;
		pa_trim_spec spec;
		pa_trim_report *rep = NULL;
		pa_status st;
		const char *bt;

		put_words(&body, 3 + pick(30));
		Pa_prompt_add(pr, PA_SECTION_BODY, ".claude/agents/a.md", NULL, body.ptr,
		              body.len, 0, 0, NULL, "");
		for (i = 0; i < ns; i++) {
			pa_buf doc = PA_BUF_INIT;
			char path[64];
			pa_section_kind k = kinds[pick(7)];

			gen_doc(&doc);
			while (doc.len && doc.ptr[doc.len - 1] == '\n')
				pa_buf_truncate(&doc, doc.len - 1);
			snprintf(path, sizeof(path), "dir%zu/CLAUDE.md", i);
			Pa_prompt_add(pr, k, path, NULL, doc.ptr, doc.len, 0,
			              k == PA_SECTION_IMPORT ? 1 + (int)pick(5) : 0,
			              NULL, "Contents of a file (instructions):");
			pa_buf_release(&doc);
		}
		pa_prompt_render(pr, &full);
		orig = Pa_xcalloc(ns + 1, sizeof(*orig));
		for (i = 0; i <= ns; i++) {
			size_t l;
			const char *t = pa_prompt_section_text(pr, i, &l);
			orig[i] = (pa_buf)PA_BUF_INIT;
			pa_buf_put(&orig[i], t, l);
		}
		size = count(tok, full.ptr, full.len);
		budget = pick(4) ? pick(size + 1) : size + pick(10);
		pa_trim_spec_init(&spec, budget);
		spec.estimate = pa_tokenizer_is_estimate(tok, NULL);
		st = pa_trim_prompt(pr, tok, &spec, &rep, NULL);
		pa_prompt_render(pr, &out);
		bt = pa_prompt_section_text(pr, 0, &bodylen);
		CHECK(bodylen == body.len && !memcmp(bt, body.ptr, bodylen));
		for (i = 0; i <= ns; i++) {
			size_t l;
			const char *t = pa_prompt_section_text(pr, i, &l);
			check_kept(&rep->sections[i], orig[i].ptr, orig[i].len, t, l);
			pa_buf_release(&orig[i]);
		}
		free(orig);
		budget = rep->effective;
		if (st == PA_OK) {
			size_t n = count(tok, out.ptr, out.len);
			CHECK(n <= budget);
			CHECK_EQ_INT(n, rep->tokens_after);
			CHECK(pa_utf8_valid(out.ptr, out.len, NULL));
			CHECK(!Pa_md_has_open_fence(out.ptr, out.len));
			if (size <= budget)
				CHECK(out.len == full.len && !memcmp(out.ptr, full.ptr, out.len));
		} else {
			/* Over budget: even the body alone (and the minimal form
			 * the rules leave) is too large. */
			CHECK_EQ_INT(st, PA_ERR_OVER_BUDGET);
			CHECK(rep->missing > 0);
			CHECK(count(tok, out.ptr, out.len) > budget);
		}
		pa_trim_report_free(rep);
		pa_prompt_free(pr);
		pa_buf_release(&body);
		pa_buf_release(&full);
		pa_buf_release(&out);
	}
}

int main(int argc, char **argv)
{
	const char *names[] = { "o200k_base", "claude" };
	unsigned docs = argc > 1 ? (unsigned)atoi(argv[1]) : 60;
	size_t t;

	for (t = 0; t < 2; t++) {
		pa_tokenizer *tok;
		pa_error err;

		rng_state = 0x9E3779B97F4A7C15ULL + t;
		if (pa_tokenizer_load(names[t], NULL, &tok, &err) != PA_OK) {
			fprintf(stderr, "cannot load %s: %s\n", names[t], err.message);
			CHECK(0);
			continue;
		}
		pa_test_current = names[t];
		props_text(tok, docs);
		props_prompt(tok, docs);
		pa_tokenizer_free(tok);
	}
	fprintf(stderr, "fits budget %d, utf8 %d, fences %d, deterministic %d, "
	        "unchanged %d, over budget with floor %d, kept ranges %d\n",
	        ok_budget, ok_utf8, ok_fence, ok_same, ok_fit, over_ok, ok_kept);
	return pa_test_summary();
}
