/* test_quote.c - the quoting rule for a project's text (util.h): what is
 * escaped, when a value is quoted, running text, table cells, and JSON's
 * share of the rule. */
#include "unit.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <utf8proc.h>

static char *quoted(const char *s, size_t len)
{
	pa_buf b = PA_BUF_INIT;

	Pa_quote(&b, s, len);
	return pa_buf_detach(&b, NULL);
}

static char *text(const char *s, size_t len)
{
	pa_buf b = PA_BUF_INIT;

	Pa_quote_text(&b, s, len);
	return pa_buf_detach(&b, NULL);
}

#define CHECK_QUOTE(in, want) \
	do { \
		char *q_ = quoted(in, sizeof(in) - 1); \
		CHECK_EQ_STR(q_, want); \
		free(q_); \
	} while (0)

#define CHECK_TEXT(in, want) \
	do { \
		char *q_ = text(in, sizeof(in) - 1); \
		CHECK_EQ_STR(q_, want); \
		free(q_); \
	} while (0)

static void test_plain(void)
{
	CHECK_QUOTE("reviewer", "reviewer");
	CHECK_QUOTE(".claude/agents/a b.md", ".claude/agents/a b.md");
	CHECK_QUOTE("caf\xc3\xa9 \xe6\x97\xa5", "caf\xc3\xa9 \xe6\x97\xa5");
	CHECK_QUOTE("a::b", "a::b");   /* only at the start */
	CHECK_QUOTE("#[x] ## [", "#[x] ## [");
	CHECK_QUOTE("", "");
	CHECK_EQ_INT(Pa_quote_needed("reviewer", 8), 0);
}

/* White space a table hides: `a`, `a `, ` a`, `a<U+00A0>` and `a<U+3000>`
 * are five names, and each reads as `a` in a padded cell.  A space at an
 * end is shown between quotes, any space but U+0020 as its escape; a
 * space inside a name, or in running text, is left as it is. */
static void test_spaces(void)
{
	CHECK_QUOTE("a ", "\"a \"");
	CHECK_QUOTE(" a", "\" a\"");
	CHECK_QUOTE(" ", "\" \"");
	CHECK_QUOTE("a\xc2\xa0", "\"a\\u00a0\"");
	CHECK_QUOTE("a\xe3\x80\x80" "b", "\"a\\u3000b\"");
	CHECK_QUOTE("a\xe2\x80\x83" "b", "\"a\\u2003b\"");
	CHECK_QUOTE("a b", "a b");
	CHECK_QUOTE("caf\xc3\xa9 ", "\"caf\xc3\xa9 \"");
	CHECK_TEXT("a\xc2\xa0" "b ", "a\xc2\xa0" "b ");
	{
		pa_buf b = PA_BUF_INIT;

		Pa_quote_cell(&b, "a ", 100);
		CHECK_EQ_STR(b.ptr, "\"a \"");
		pa_buf_release(&b);
	}
}

static void test_controls(void)
{
	CHECK_QUOTE("b\n::stop-commands::x\n.md", "\"b\\n::stop-commands::x\\n.md\"");
	CHECK_QUOTE("c\r::error::x", "\"c\\r::error::x\"");
	CHECK_QUOTE("x\x1b]0;pwned\a\x1b[2J", "\"x\\x1b]0;pwned\\a\\x1b[2J\"");
	CHECK_QUOTE("t\tv\vf\fb\b\x7f", "\"t\\tv\\vf\\fb\\b\\x7f\"");
	CHECK_QUOTE("nul\0x", "\"nul\\x00x\"");
	/* C1 controls as characters, then the hidden ones. */
	CHECK_QUOTE("c1\xc2\x9b" "2J\xc2\x85", "\"c1\\u009b2J\\u0085\"");
	CHECK_QUOTE("x\xe2\x80\xaegnp", "\"x\\u202egnp\"");
	CHECK_QUOTE("a\xe2\x80\xa8" "b\xef\xbb\xbf", "\"a\\u2028b\\ufeff\"");
	/* Bytes that are not UTF-8, a truncated character, an overlong. */
	CHECK_QUOTE("bad\xff\xfe.md", "\"bad\\xff\\xfe.md\"");
	CHECK_QUOTE("cut\xe6\x97", "\"cut\\xe6\\x97\"");
	CHECK_QUOTE("\xc0\xaf", "\"\\xc0\\xaf\"");
}

static void test_git_quotes(void)
{
	CHECK_QUOTE("say \"hi\"", "\"say \\\"hi\\\"\"");
	CHECK_QUOTE("a\\b", "\"a\\\\b\"");
}

static void test_commands(void)
{
	CHECK_QUOTE("::error::x", "\"::error::x\"");
	CHECK_QUOTE("  ::error::x", "\"  ::error::x\"");
	/* U+3000 and U+00A0 are white space to the runner's TrimStart. */
	CHECK_QUOTE("\xe3\x80\x80::x", "\"\\u3000::x\"");
	CHECK_QUOTE("\xc2\xa0::x", "\"\\u00a0::x\"");
	CHECK_QUOTE(":x", ":x");
	CHECK_QUOTE("n##[stop-commands]t", "\"n##\\x5bstop-commands]t\"");
	CHECK_TEXT("::error::x", "\\x3a:error::x");
	CHECK_TEXT(" \xe3\x80\x80::x", " \xe3\x80\x80\\x3a:x");
	CHECK_TEXT("a ##[add-mask]k", "a ##\\x5badd-mask]k");
}

static void test_text(void)
{
	CHECK_TEXT("skipped b\n::x.md: it \"is\" a\\b",
	           "skipped b\\n::x.md: it \"is\" a\\b");
	CHECK_TEXT("no change", "no change");
	/* Running text of quoted values changes nothing more. */
	{
		static const char in[] = "::e\n##[x \x1b\xff \"q\"";
		char *once = text(in, sizeof(in) - 1), *twice = text(once, strlen(once));
		char *q = quoted(in, sizeof(in) - 1), *tq = text(q, strlen(q));

		CHECK_EQ_STR(twice, once);
		CHECK_EQ_STR(tq, q);
		free(once);
		free(twice);
		free(q);
		free(tq);
	}
}

static void test_cell(void)
{
	pa_buf b = PA_BUF_INIT;
	char big[1001];

	CHECK_EQ_INT(Pa_quote_cell(&b, "short", 64), 5);
	CHECK_EQ_STR(b.ptr, "short");
	pa_buf_reset(&b);
	CHECK_EQ_INT(Pa_quote_cell(&b, NULL, 64), 0);
	CHECK_EQ_STR(b.ptr, "");
	memset(big, 'n', 1000);
	big[1000] = '\0';
	pa_buf_reset(&b);
	CHECK_EQ_INT(Pa_quote_cell(&b, big, 10), 10);
	CHECK_EQ_STR(b.ptr, "nnnnnnn...");
	/* Characters are counted, not bytes, and never cut. */
	pa_buf_reset(&b);
	CHECK_EQ_INT(Pa_quote_cell(&b, "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	                           "\xe6\x97\xa5\xe6\x97\xa5", 5), 5);
	CHECK_EQ_STR(b.ptr, "\xe6\x97\xa5\xe6\x97\xa5...");
	pa_buf_reset(&b);
	CHECK_EQ_INT(Pa_quote_cell(&b, "\xe6\x97\xa5\xe6\x97\xa5", 2), 2);
	CHECK_EQ_STR(b.ptr, "\xe6\x97\xa5\xe6\x97\xa5");
	/* The escapes count as what they print. */
	pa_buf_reset(&b);
	CHECK_EQ_INT(Pa_quote_cell(&b, "a\nb", 64), 6);
	CHECK_EQ_STR(b.ptr, "\"a\\nb\"");
	pa_buf_release(&b);
}

static void test_json(void)
{
	pa_buf b = PA_BUF_INIT;
	static const char in[] = "\x1b\xc2\x9b\xe2\x80\xae##[x]\xe2\x80\xa8[";

	Pa_json_string(&b, in, sizeof(in) - 1);
	CHECK_EQ_STR(b.ptr, "\"\\u001b\\u009b\\u202e##\\u005bx]\\u2028[\"");
	pa_buf_release(&b);
}

/* "a", the character cp in UTF-8, "b". */
static size_t around(int32_t cp, char *out)
{
	size_t n;

	out[0] = 'a';
	n = (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + 1);
	out[1 + n] = 'b';
	out[2 + n] = '\0';
	return 2 + n;
}

/* Every code point of Unicode: each format character (Cf) and each
 * Default_Ignorable_Code_Point the installed utf8proc knows, the controls
 * and the separators are escaped by value and by running text, never
 * printed raw; every other character the rule leaves alone, but for the
 * code points utf8proc does not know (the table is from a newer Unicode). */
static void test_invisible_all(void)
{
	long unseen = 0, over = 0, walked = 0;
	int32_t cp;

	for (cp = 1; cp <= 0x10FFFF; cp++) { /* NUL: test_controls */
		const utf8proc_property_t *p;
		char in[8], want[16];
		char *q, *t;
		size_t len;
		int invisible;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		p = utf8proc_get_property(cp);
		invisible = p->category == UTF8PROC_CATEGORY_CF || p->ignorable ||
		            p->category == UTF8PROC_CATEGORY_CC ||
		            p->category == UTF8PROC_CATEGORY_ZL ||
		            p->category == UTF8PROC_CATEGORY_ZP ||
		            cp == 0x2800; /* the Braille pattern blank */
		if (!invisible) {
			if (Pa_quote_hidden(cp) && p->category != UTF8PROC_CATEGORY_CN &&
			    over++ < 5)
				fprintf(stderr, "U+%04X (category %d) is escaped\n",
				        (unsigned)cp, (int)p->category);
			continue;
		}
		walked++;
		len = around(cp, in);
		q = quoted(in, len);
		t = text(in, len);
		if (cp < 0x80)
			want[0] = '\0'; /* \n, \x1b ...: test_controls */
		else if (cp > 0xFFFF)
			snprintf(want, sizeof(want), "\\U%08x", (unsigned)cp);
		else
			snprintf(want, sizeof(want), "\\u%04x", (unsigned)cp);
		if (!Pa_quote_needed(in, len) || !Pa_quote_hidden(cp) ||
		    strstr(q, in + 1) || strstr(t, in + 1) ||
		    (cp < 0x80 ? strchr(t, (char)cp) != NULL
		               : !strstr(q, want) || !strstr(t, want))) {
			if (unseen++ < 5)
				fprintf(stderr, "U+%04X is printed as %s\n", (unsigned)cp, q);
		}
		free(q);
		free(t);
	}
	CHECK_EQ_INT(unseen, 0);
	CHECK_EQ_INT(over, 0);
	CHECK(walked > 400); /* Cf alone has 170 characters */
}

/* The characters an attacker reaches for, whatever utf8proc's version. */
static void test_invisible_named(void)
{
	static const int32_t named[] = {
		0x200D, 0x200C, 0x00AD, 0x2061, 0x2062, 0x2063, 0x2064, 0x180E,
		0xE0000, 0xE0001, 0xE0041, 0xE007F, 0xFE0F, 0x3164, 0x115F, 0x034F,
		0x2065, 0xFFF0, 0x2800
	};
	size_t i;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		CHECK(Pa_quote_hidden(named[i]));
	CHECK(!Pa_quote_hidden('a'));
	CHECK(!Pa_quote_hidden(0x00E9));
	CHECK(!Pa_quote_hidden(0x1F600));
	CHECK(!Pa_quote_hidden(0xDFFFF)); /* just below the tag characters' block */
	/* An agent `a<ZWJ>` is not a second `a`; `##<ZWJ>[` is no command. */
	CHECK_QUOTE("a\xe2\x80\x8d", "\"a\\u200d\"");
	/* An agent `<U+2800>a` is not ` a`. */
	CHECK_QUOTE("\xe2\xa0\x80" "a", "\"\\u2800a\"");
	CHECK_TEXT("##\xe2\x80\x8d[error]x", "##\\u200d[error]x");
	/* Tag characters spell invisible text: each is shown. */
	CHECK_TEXT("d\xf3\xa0\x81\x81\xf3\xa0\x81\xbf", "d\\U000e0041\\U000e007f");
	CHECK_QUOTE("soft\xc2\xadhyphen", "\"soft\\u00adhyphen\"");
	{
		pa_buf b = PA_BUF_INIT;

		Pa_json_string(&b, "\xf3\xa0\x81\x81\xe2\x80\x8d", 7);
		CHECK_EQ_STR(b.ptr, "\"\\udb40\\udc41\\u200d\"");
		pa_buf_release(&b);
	}
}

int main(void)
{
	RUN(test_invisible_all);
	RUN(test_invisible_named);
	RUN(test_plain);
	RUN(test_spaces);
	RUN(test_controls);
	RUN(test_git_quotes);
	RUN(test_commands);
	RUN(test_text);
	RUN(test_cell);
	RUN(test_json);
	return pa_test_summary();
}
