/*
 * test_pretok.c - the pre-tokenizer.  Hand-picked splits whose expected
 * pieces are tiktoken's own (tiktoken 1.0.22's WASM build, made to return
 * each piece as one token); the hand scanners against the PCRE2 path on
 * random text; every code point's class against PCRE2's tables; the
 * translation of patterns for PCRE2; a match limit as an error.
 */
#include "pretok.h"

#include "unit.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>
#include <stdlib.h>
#include <string.h>

#define CL100K "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|" \
	"\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
#define O200K "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*" \
	"[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|" \
	"[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+" \
	"[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|" \
	"\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
#define GPT2 "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|" \
	"\\s+(?!\\S)|\\s+"
#define GPT2_ALT "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|" \
	"\\s+(?!\\S)|\\s+"

static const char *const patterns[] = { CL100K, O200K, GPT2 };
static const char *const pattern_names[] = { "cl100k", "o200k", "gpt2" };

/* The pieces of text joined by '|' (the cases below have no '|'). */
static void render(const Pa_pretok *p, const char *text, size_t len, pa_buf *out)
{
	size_t start = 0, end;

	pa_buf_reset(out);
	while (Pa_pretok_next(p, text, len, &start, &end, NULL) > 0) {
		if (out->len)
			pa_buf_putc(out, '|');
		pa_buf_put(out, text + start, end - start);
		start = end;
	}
}

/* Decodes UTF-8 known to be valid. */
static size_t decode(const char *s, size_t len, uint32_t *cp)
{
	int32_t c = 0;
	int n = Pa_utf8_decode((const unsigned char *)s, len, &c);

	*cp = (uint32_t)c;
	return n ? (size_t)n : 1;
}

static int has_corrected(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		i += decode(s + i, len - i, &cp);
		if (Pa_pretok_class_corrected(cp))
			return 1;
	}
	return 0;
}

static size_t encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* ---------------------------------------------------------------------
 * Hand-picked cases: text, then the pieces of cl100k_base, o200k_base
 * and claude/GPT-2, as tiktoken splits them.
 * ------------------------------------------------------------------- */

static const struct {
	const char *text, *split[3];
} cases[] = {
	/* contractions */
	{ "he's", { "he|'s", "he's", "he|'s" } },
	{ "HE'S", { "HE|'S", "HE'S", "HE|'|S" } },
	{ "it'S", { "it|'S", "it'S", "it|'|S" } },
	{ "'s", { "'s", "'s", "'s" } },
	{ "'sa", { "'s|a", "'sa", "'s|a" } },
	{ "'S", { "'S", "'S", "'|S" } },
	{ "'\u017F", { "'\u017F", "'\u017F", "'|\u017F" } },
	{ "x'\u017F", { "x|'\u017F", "x'\u017F", "x|'|\u017F" } },
	{ "X'\u017Fy", { "X|'\u017F|y", "X'\u017F|y", "X|'|\u017Fy" } },
	{ "'ll", { "'ll", "'ll", "'ll" } },
	{ "'LL", { "'LL", "'LL", "'|LL" } },
	{ "'lL", { "'lL", "'l|L", "'|lL" } },
	{ "'l", { "'l", "'l", "'|l" } },
	{ "'lx", { "'lx", "'lx", "'|lx" } },
	{ "'re", { "'re", "'re", "'re" } },
	{ "'rE", { "'rE", "'r|E", "'|rE" } },
	{ "'ve", { "'ve", "'ve", "'ve" } },
	{ "'VE", { "'VE", "'VE", "'|VE" } },
	{ "'d", { "'d", "'d", "'d" } },
	{ "'m", { "'m", "'m", "'m" } },
	{ "'t", { "'t", "'t", "'t" } },
	{ "'T", { "'T", "'T", "'|T" } },
	{ "''s", { "''|s", "''|s", "''|s" } },
	{ "\u2019s", { "\u2019s", "\u2019s", "\u2019|s" } },
	{ "don't", { "don|'t", "don't", "don|'t" } },
	{ "DON'T", { "DON|'T", "DON'T", "DON|'|T" } },
	{ "Don'tcha", { "Don|'t|cha", "Don't|cha", "Don|'t|cha" } },
	{ "I'm", { "I|'m", "I'm", "I|'m" } },
	{ "we'll've", { "we|'ll|'ve", "we'll|'ve", "we|'ll|'ve" } },
	{ "a 's", { "a| '|s", "a| '|s", "a| '|s" } },
	{ "?'s", { "?'|s", "?'|s", "?'|s" } },
	{ "'\u017Fa", { "'\u017F|a", "'\u017Fa", "'|\u017Fa" } },
	/* white space: runs before words, at the end, CRLF, Unicode spaces */
	{ "a  b", { "a| | b", "a| | b", "a| | b" } },
	{ "a   b", { "a|  | b", "a|  | b", "a|  | b" } },
	{ "a b  ", { "a| b|  ", "a| b|  ", "a| b|  " } },
	{ "  ", { "  ", "  ", "  " } },
	{ " ", { " ", " ", " " } },
	{ "a\n\nb", { "a|\n\n|b", "a|\n\n|b", "a|\n|\n|b" } },
	{ "a \n b", { "a| \n| b", "a| \n| b", "a| \n| b" } },
	{ "a\r\nb", { "a|\r\n|b", "a|\r\n|b", "a|\r|\n|b" } },
	{ "a\r\n\r\n  b", { "a|\r\n\r\n| | b", "a|\r\n\r\n| | b", "a|\r\n\r\n | b" } },
	{ "a\n \n", { "a|\n \n", "a|\n \n", "a|\n \n" } },
	{ "\t\tx", { "\t|\tx", "\t|\tx", "\t|\t|x" } },
	{ " \tx", { " |\tx", " |\tx", " |\t|x" } },
	{ "x\u00A0y", { "x|\u00A0y", "x|\u00A0y", "x|\u00A0|y" } },
	{ "x\u00A0\u00A0y", { "x|\u00A0|\u00A0y", "x|\u00A0|\u00A0y", "x|\u00A0|\u00A0|y" } },
	{ "x\u3000y", { "x|\u3000y", "x|\u3000y", "x|\u3000|y" } },
	{ "x\u2003 y", { "x|\u2003| y", "x|\u2003| y", "x|\u2003| y" } },
	{ "x\x85y", { "x|\x85y", "x|\x85y", "x|\x85|y" } },
	{ "x\u200By", { "x|\u200By", "x|\u200By", "x|\u200B|y" } },
	{ "x\uFEFFy", { "x|\uFEFFy", "x|\uFEFFy", "x|\uFEFF|y" } },
	{ "x\u180Ey", { "x|\u180Ey", "x|\u180Ey", "x|\u180E|y" } },
	{ "x\x1cy", { "x|\x1cy", "x|\x1cy", "x|\x1c|y" } },
	{ "x \u2028 y", { "x| \u2028| y", "x| \u2028| y", "x| \u2028| y" } },
	{ "  \n", { "  \n", "  \n", "  \n" } },
	{ "\n", { "\n", "\n", "\n" } },
	{ "\r", { "\r", "\r", "\r" } },
	{ "\r\r\n\n", { "\r\r\n\n", "\r\r\n\n", "\r\r\n\n" } },
	{ " \r\n x", { " \r\n| x", " \r\n| x", " \r\n| x" } },
	{ "a\t\n\tb", { "a|\t\n|\tb", "a|\t\n|\tb", "a|\t\n|\t|b" } },
	/* numbers: ASCII and other Nd, Nl, No; groups of three */
	{ "1234567", { "123|456|7", "123|456|7", "1234567" } },
	{ "12345 678", { "123|45| |678", "123|45| |678", "12345| 678" } },
	{ "a123b", { "a|123|b", "a|123|b", "a|123|b" } },
	{ "\u0663\u0664\u0665\u0666", { "\u0663\u0664\u0665|\u0666", "\u0663\u0664\u0665|\u0666", "\u0663\u0664\u0665\u0666" } },
	{ "\u00B2\u00B3", { "\u00B2\u00B3", "\u00B2\u00B3", "\u00B2\u00B3" } },
	{ "\u216B\u00BD", { "\u216B\u00BD", "\u216B\u00BD", "\u216B\u00BD" } },
	{ "1.5", { "1|.|5", "1|.|5", "1|.|5" } },
	{ " 42", { " |42", " |42", " 42" } },
	{ "x1", { "x|1", "x|1", "x|1" } },
	{ "\U0001D7D9\U0001D7DA\U0001D7DB\U0001D7DC", { "\U0001D7D9\U0001D7DA\U0001D7DB|\U0001D7DC", "\U0001D7D9\U0001D7DA\U0001D7DB|\U0001D7DC", "\U0001D7D9\U0001D7DA\U0001D7DB\U0001D7DC" } },
	/* punctuation runs, with the newlines (and o200k's '/') after them */
	{ "!!!\n\nx", { "!!!\n\n|x", "!!!\n\n|x", "!!!|\n|\n|x" } },
	{ "...\r\n", { "...\r\n", "...\r\n", "...|\r\n" } },
	{ " !!\n/x", { " !!\n|/x", " !!\n/|x", " !!|\n|/|x" } },
	{ "a/b//c\n/", { "a|/b|//|c|\n|/", "a|/b|//|c|\n|/", "a|/|b|//|c|\n|/" } },
	{ "http://x.y/z", { "http|://|x|.y|/z", "http|://|x|.y|/z", "http|://|x|.|y|/|z" } },
	{ "{\n}", { "{\n|}", "{\n|}", "{|\n|}" } },
	{ "'''", { "'''", "'''", "'''" } },
	{ "$(ls)", { "$(|ls|)", "$(|ls|)", "$(|ls|)" } },
	{ " -- x", { " --| x", " --| x", " --| x" } },
	{ "x,\n/\n/y", { "x|,\n|/\n|/y", "x|,\n/\n/|y", "x|,|\n|/|\n|/|y" } },
	{ "a!\r\n/", { "a|!\r\n|/", "a|!\r\n/", "a|!|\r|\n|/" } },
	{ " '", { " '", " '", " '" } },
	{ "a\"b", { "a|\"b", "a|\"b", "a|\"|b" } },
	/* letters: case runs (o200k), Lt, Lm, Lo */
	{ "HelloWorld", { "HelloWorld", "Hello|World", "HelloWorld" } },
	{ "HELLOWorld", { "HELLOWorld", "HELLOWorld", "HELLOWorld" } },
	{ "helloWORLD", { "helloWORLD", "hello|WORLD", "helloWORLD" } },
	{ "camelCaseXMLParser", { "camelCaseXMLParser", "camel|Case|XMLParser", "camelCaseXMLParser" } },
	{ "\u01C5emal", { "\u01C5emal", "\u01C5emal", "\u01C5emal" } },
	{ "\u02B0a", { "\u02B0a", "\u02B0a", "\u02B0a" } },
	{ "\u4E2D\u6587abc", { "\u4E2D\u6587abc", "\u4E2D\u6587abc", "\u4E2D\u6587abc" } },
	{ "\u4E2DA", { "\u4E2DA", "\u4E2D|A", "\u4E2DA" } },
	{ "A\u4E2Db", { "A\u4E2Db", "A\u4E2Db", "A\u4E2Db" } },
	{ "\u00C9t\u00C9", { "\u00C9t\u00C9", "\u00C9t|\u00C9", "\u00C9t\u00C9" } },
	{ "aB'S", { "aB|'S", "a|B'S", "aB|'|S" } },
	{ "ABC'd", { "ABC|'d", "ABC'd", "ABC|'d" } },
	{ "\u01C5'S", { "\u01C5|'S", "\u01C5'S", "\u01C5|'|S" } },
	/* ASCII small letters going on with letters beyond ASCII (o200k
	 * scans on from the ASCII run) */
	{ "caf\u00E9", { "caf\u00E9", "caf\u00E9", "caf\u00E9" } },
	{ " stra\u00DFe's", { " stra\u00DFe|'s", " stra\u00DFe's", " stra\u00DFe|'s" } },
	{ "abc\u00C9", { "abc\u00C9", "abc|\u00C9", "abc\u00C9" } },
	{ "Hello\u00E9World", { "Hello\u00E9World", "Hello\u00E9|World", "Hello\u00E9World" } },
	{ "x\u00E9\u0301\u00C4", { "x\u00E9|\u0301\u00C4", "x\u00E9\u0301|\u00C4", "x\u00E9|\u0301|\u00C4" } },
	{ "abc\u0301d", { "abc|\u0301d", "abc\u0301d", "abc|\u0301|d" } },
	/* combining marks */
	{ "e\u0301", { "e|\u0301", "e\u0301", "e|\u0301" } },
	{ " \u0301x", { " \u0301|x", " \u0301x", " \u0301|x" } },
	{ "\u0301A ", { "\u0301A| ", "\u0301|A| ", "\u0301|A| " } },
	{ "\u0301's", { "\u0301'|s", "\u0301's", "\u0301'|s" } },
	{ "a \u0301", { "a| \u0301", "a| \u0301", "a| \u0301" } },
	{ "\u0915\u094D\u0937\u093F", { "\u0915|\u094D\u0937|\u093F", "\u0915\u094D\u0937\u093F", "\u0915|\u094D|\u0937|\u093F" } },
	{ "\u20DDx", { "\u20DDx", "\u20DDx", "\u20DD|x" } },
	{ "!\u0301", { "!\u0301", "!\u0301", "!\u0301" } },
	{ "1\u0301", { "1|\u0301", "1|\u0301", "1|\u0301" } },
	{ "\u0301", { "\u0301", "\u0301", "\u0301" } },
	{ " \u0301", { " \u0301", " \u0301", " \u0301" } },
	{ "A\u0301B", { "A|\u0301B", "A\u0301|B", "A|\u0301|B" } },
	/* emoji, ZWJ sequences, CJK */
	{ "\U0001F44D\U0001F3FD ok", { "\U0001F44D\U0001F3FD| ok", "\U0001F44D\U0001F3FD| ok", "\U0001F44D\U0001F3FD| ok" } },
	{ "\U0001F468\u200D\U0001F469\u200D\U0001F467 family", { "\U0001F468\u200D\U0001F469\u200D\U0001F467| family", "\U0001F468\u200D\U0001F469\u200D\U0001F467| family", "\U0001F468\u200D\U0001F469\u200D\U0001F467| family" } },
	{ "\U0001F1FA\U0001F1F8!", { "\U0001F1FA\U0001F1F8!", "\U0001F1FA\U0001F1F8!", "\U0001F1FA\U0001F1F8!" } },
	{ " \U0001F600x", { " \U0001F600|x", " \U0001F600|x", " \U0001F600|x" } },
	{ "\u65E5\u672C\u8A9E\u306E\u30C6\u30AD\u30B9\u30C8", { "\u65E5\u672C\u8A9E\u306E\u30C6\u30AD\u30B9\u30C8", "\u65E5\u672C\u8A9E\u306E\u30C6\u30AD\u30B9\u30C8", "\u65E5\u672C\u8A9E\u306E\u30C6\u30AD\u30B9\u30C8" } },
	{ "\u4F60\u597D\uFF0C\u4E16\u754C", { "\u4F60\u597D|\uFF0C\u4E16\u754C", "\u4F60\u597D|\uFF0C\u4E16\u754C", "\u4F60\u597D|\uFF0C|\u4E16\u754C" } },
	/* code points newer than utf8proc or PCRE2 may know (Unicode 15, 16) */
	{ "\U00010D40\U00010D41\U00010D42\U00010D43", { "\U00010D40\U00010D41\U00010D42|\U00010D43", "\U00010D40\U00010D41\U00010D42|\U00010D43", "\U00010D40\U00010D41\U00010D42\U00010D43" } },
	{ "\u1C89x", { "\u1C89x", "\u1C89x", "\u1C89x" } },
	{ "x\U0001E030y", { "x\U0001E030y", "x\U0001E030y", "x\U0001E030y" } },
	{ " \U00011F04\U00011F34", { " \U00011F04|\U00011F34", " \U00011F04\U00011F34", " \U00011F04|\U00011F34" } },
	/* private use, unassigned, format, controls */
	{ "\uE000a", { "\uE000a", "\uE000a", "\uE000|a" } },
	{ "a\u0378b", { "a|\u0378b", "a|\u0378b", "a|\u0378|b" } },
	{ "a\u00ADb", { "a|\u00ADb", "a|\u00ADb", "a|\u00AD|b" } },
	{ "\x7f!", { "\x7f!", "\x7f!", "\x7f!" } },
};

static void test_known_patterns(void)
{
	const char *alias_text = "don't stop'll 'Re";
	pa_buf a = PA_BUF_INIT, b = PA_BUF_INIT;
	Pa_pretok *p, *q;
	size_t k;

	for (k = 0; k < 3; k++) {
		CHECK_EQ_INT(Pa_pretok_new(patterns[k], &p, NULL), PA_OK);
		CHECK_EQ_INT(Pa_pretok_is_regex(p), 0);
		Pa_pretok_free(p);
		CHECK_EQ_INT(Pa_pretok_new_regex(patterns[k], &p, NULL), PA_OK);
		CHECK_EQ_INT(Pa_pretok_is_regex(p), 1);
		Pa_pretok_free(p);
	}
	/* Python tiktoken's spelling of the GPT-2 pattern. */
	CHECK_EQ_INT(Pa_pretok_new(GPT2_ALT, &p, NULL), PA_OK);
	CHECK_EQ_INT(Pa_pretok_is_regex(p), 0);
	CHECK_EQ_INT(Pa_pretok_new_regex(GPT2_ALT, &q, NULL), PA_OK);
	render(p, alias_text, strlen(alias_text), &a);
	render(q, alias_text, strlen(alias_text), &b);
	CHECK_EQ_STR(a.ptr, "don|'t| stop|'ll| '|Re");
	CHECK_EQ_STR(b.ptr, a.ptr);
	Pa_pretok_free(p);
	Pa_pretok_free(q);
	/* Anything else, even a near miss, goes to PCRE2. */
	CHECK_EQ_INT(Pa_pretok_new(CL100K "|x", &p, NULL), PA_OK);
	CHECK_EQ_INT(Pa_pretok_is_regex(p), 1);
	Pa_pretok_free(p);
	Pa_pretok_free(NULL);
	pa_buf_release(&a);
	pa_buf_release(&b);
}

static void test_cases(void)
{
	pa_buf got = PA_BUF_INIT;
	Pa_pretok *hand[3], *rx[3];
	size_t c, k;

	for (k = 0; k < 3; k++) {
		CHECK_EQ_INT(Pa_pretok_new(patterns[k], &hand[k], NULL), PA_OK);
		CHECK_EQ_INT(Pa_pretok_new_regex(patterns[k], &rx[k], NULL), PA_OK);
	}
	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const char *text = cases[c].text;
		size_t len = strlen(text);

		for (k = 0; k < 3; k++) {
			render(hand[k], text, len, &got);
			if (strcmp(got.ptr, cases[c].split[k]) != 0)
				fprintf(stderr, "%s, case %zu:\n", pattern_names[k], c);
			CHECK_EQ_STR(got.ptr, cases[c].split[k]);
			/* PCRE2 10.42 has Unicode 14: not the newer letters. */
			if (has_corrected(text, len))
				continue;
			render(rx[k], text, len, &got);
			if (strcmp(got.ptr, cases[c].split[k]) != 0)
				fprintf(stderr, "%s (PCRE2), case %zu:\n", pattern_names[k], c);
			CHECK_EQ_STR(got.ptr, cases[c].split[k]);
		}
	}
	for (k = 0; k < 3; k++) {
		Pa_pretok_free(hand[k]);
		Pa_pretok_free(rx[k]);
	}
	pa_buf_release(&got);
}

/* A NUL is an ordinary character, and nothing past len is read. */
static void test_lengths(void)
{
	static const char text[] = "a\0b  'sx";
	pa_buf got = PA_BUF_INIT;
	Pa_pretok *p;
	size_t start = 0, end = 0;

	CHECK_EQ_INT(Pa_pretok_new(CL100K, &p, NULL), PA_OK);
#define CHECK_BYTES(buf, lit) \
	CHECK((buf).len == sizeof(lit) - 1 && memcmp((buf).ptr, lit, sizeof(lit) - 1) == 0)
	render(p, text, 3, &got);
	CHECK_BYTES(got, "a|\0b");
	render(p, text, 5, &got);
	CHECK_BYTES(got, "a|\0b|  ");
	render(p, text, 6, &got);            /* the contraction is cut */
	CHECK_BYTES(got, "a|\0b| | '");
	render(p, text, 7, &got);
	CHECK_BYTES(got, "a|\0b| | '|s");
	CHECK_EQ_INT(Pa_pretok_next(p, text, 0, &start, &end, NULL), 0);
	start = 7;
	CHECK_EQ_INT(Pa_pretok_next(p, text, 7, &start, &end, NULL), 0);
	start = 8;
	CHECK_EQ_INT(Pa_pretok_next(p, text, 7, &start, &end, NULL), 0);
	Pa_pretok_free(p);
	pa_buf_release(&got);
}

/* Long runs: the whitespace alternatives backtrack over the whole run. */
static void test_long_runs(void)
{
	size_t n = 200000, k, start, end, pieces;
	char *text = Pa_xmalloc(n + 1);
	Pa_pretok *p;
	int regex;

	memset(text, ' ', n);
	text[n] = 'x';
	for (k = 0; k < 3; k++) {
		for (regex = 0; regex < 2; regex++) {
			CHECK_EQ_INT((regex ? Pa_pretok_new_regex : Pa_pretok_new)(
				patterns[k], &p, NULL), PA_OK);
			start = 0;
			pieces = 0;
			CHECK_EQ_INT(Pa_pretok_next(p, text, n + 1, &start, &end,
			                            NULL), 1);
			CHECK_EQ_INT(start, 0);
			CHECK_EQ_INT(end, n - 1);
			start = end;
			CHECK_EQ_INT(Pa_pretok_next(p, text, n + 1, &start, &end,
			                            NULL), 1);
			CHECK_EQ_INT(end - start, 2);          /* " x" */
			/* ...and a long word, and one at the end of text. */
			memset(text, 'a', n);
			start = 0;
			while (Pa_pretok_next(p, text, n + 1, &start, &end, NULL) > 0) {
				pieces++;
				start = end;
			}
			CHECK_EQ_INT(pieces, 1);
			memset(text, ' ', n);
			start = 0;
			CHECK_EQ_INT(Pa_pretok_next(p, text, n, &start, &end, NULL), 1);
			CHECK_EQ_INT(end, n);
			Pa_pretok_free(p);
		}
	}
	free(text);
}

/* ---------------------------------------------------------------------
 * Classes: every code point against PCRE2's tables
 * ------------------------------------------------------------------- */

#define WS_CLASS "[\\t-\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}" \
	"\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+"

/* PCRE2's class of every code point, as Pa_pretok_class() gives it. */
static unsigned char *pcre2_classes(void)
{
	static const char *const class_patterns[8] = {
		"\\p{Lu}+", "\\p{Ll}+", "\\p{Lt}+", "\\p{Lm}+", "\\p{Lo}+",
		"\\p{M}+", "\\p{N}+", WS_CLASS
	};
	unsigned char *cls = Pa_xcalloc(0x110000, 1);
	char *all = Pa_xmalloc(0x110000 * 4);
	size_t len = 0, k;
	uint32_t cp;

	for (cp = 0; cp < 0x110000; cp++)
		if (cp < 0xD800 || cp > 0xDFFF)
			len += encode(cp, all + len);
	for (k = 0; k < 8; k++) {
		int errcode;
		PCRE2_SIZE erroff, pos = 0;
		pcre2_code *re = pcre2_compile((PCRE2_SPTR)class_patterns[k],
		                               PCRE2_ZERO_TERMINATED,
		                               PCRE2_UTF | PCRE2_UCP, &errcode,
		                               &erroff, NULL);
		pcre2_match_data *md = pcre2_match_data_create(1, NULL);

		CHECK(re != NULL);
		if (!re)
			continue;
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
		while (pcre2_match(re, (PCRE2_SPTR)all, len, pos, PCRE2_NO_UTF_CHECK,
		                   md, NULL) > 0) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			size_t i = ov[0];

			while (i < ov[1]) {
				i += decode(all + i, ov[1] - i, &cp);
				cls[cp] |= (unsigned char)(1u << k);
			}
			pos = ov[1];
		}
		pcre2_match_data_free(md);
		pcre2_code_free(re);
	}
	free(all);
	return cls;
}

/* Set by test_classes: PCRE2's class of each code point. */
static unsigned char *pcre2_class;

/*
 * Outside the correction table, our classes (utf8proc) and PCRE2's agree
 * on every code point.  (Inside it, PCRE2 10.42 has Unicode 14 and
 * tiktoken Unicode 16.)  A PCRE2 for a Unicode newer than 16.0 knows
 * letters tiktoken does not: then disagreements are expected and only
 * reported.
 */
static void test_classes(void)
{
	char version[64] = "";
	long differ = 0, expected = 0;
	uint32_t cp;
	int newer;

	pcre2_config(PCRE2_CONFIG_UNICODE_VERSION, version);
	newer = atoi(version) > 16;
	pcre2_class = pcre2_classes();
	for (cp = 0; cp < 0x110000; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (Pa_pretok_class(cp) == pcre2_class[cp])
			continue;
		if (Pa_pretok_class_corrected(cp)) {
			expected++;
			continue;
		}
		if (differ++ < 10)
			fprintf(stderr, "U+%04lX: class %u, PCRE2 (Unicode %s) %u\n",
			        (unsigned long)cp, Pa_pretok_class(cp), version,
			        pcre2_class[cp]);
	}
	if (newer)
		fprintf(stderr, "note: PCRE2 has Unicode %s; %ld code points "
		        "outside the corrections differ\n", version, differ);
	else
		CHECK_EQ_INT(differ, 0);
	/* Spot checks of the table (tiktoken's classes). */
	CHECK_EQ_INT(Pa_pretok_class('a'), PA_PRETOK_LL);
	CHECK_EQ_INT(Pa_pretok_class(0x17F), PA_PRETOK_LL);
	CHECK_EQ_INT(Pa_pretok_class(0x1C5), PA_PRETOK_LT);
	CHECK_EQ_INT(Pa_pretok_class(0x85), PA_PRETOK_WS);
	CHECK_EQ_INT(Pa_pretok_class(0x1C), 0);
	CHECK_EQ_INT(Pa_pretok_class(0x180E), 0);
	CHECK_EQ_INT(Pa_pretok_class(0x200B), 0);
	CHECK_EQ_INT(Pa_pretok_class(0xFEFF), 0);
	CHECK_EQ_INT(Pa_pretok_class(0x10D40), PA_PRETOK_N);   /* Unicode 16 */
	CHECK_EQ_INT(Pa_pretok_class(0x1C89), PA_PRETOK_LU);   /* Unicode 16 */
	CHECK_EQ_INT(Pa_pretok_class(0x2EBF0), PA_PRETOK_LO);  /* Unicode 15.1 */
	CHECK_EQ_INT(Pa_pretok_class(0x1E030), PA_PRETOK_LM);  /* Unicode 15 */
	CHECK_EQ_INT(Pa_pretok_class(0x0870), PA_PRETOK_LO);   /* Unicode 14 */
	CHECK_EQ_INT(Pa_pretok_class(0x10940), 0);             /* Unicode 17 */
	CHECK_EQ_INT(Pa_pretok_class(0xD800), 0);
	CHECK_EQ_INT(Pa_pretok_class(0x110000), 0);
	CHECK(Pa_pretok_class_corrected(0x10D40));
	CHECK(!Pa_pretok_class_corrected('a'));
}

/* ---------------------------------------------------------------------
 * Differential: the hand scanners against PCRE2 on random text
 * ------------------------------------------------------------------- */

static const uint32_t pool[] = {
	/* White_Space, and near misses that are not */
	0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x20, 0x20, 0x20, 0x20, 0x85, 0xA0,
	0x1680, 0x2000, 0x2005, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
	0x180E, 0x200B, 0xFEFF, 0x1C, 0x1F, 0x00, 0x7F,
	/* apostrophes and the letters of contractions, folded or not */
	'\'', '\'', '\'', '\'', '\'', 0x2019, 0x02BC, 0xFF07,
	's', 's', 't', 'S', 'T', 0x17F, 0x17F, 'l', 'l', 'L', 'd', 'D', 'm', 'M',
	'r', 'R', 'e', 'E', 'v', 'V', 'a', 'A', 'k', 0x212A, 0xDF, 0x130, 0x131,
	/* numbers: Nd (ASCII, Arabic-Indic, Devanagari, mathematical), Nl, No */
	'0', '1', '5', '9', 0x663, 0x967, 0x1D7D9, 0x216B, 0x3007, 0xB2, 0xBD,
	0x2460,
	/* letters: Lu Ll Lt Lm Lo, BMP and astral */
	0xC9, 0xE9, 0x1C5, 0x1F88, 0x2B0, 0x30FC, 0x4E2D, 0x6587, 0x3042, 0x3131,
	0x5D0, 0x1D400, 0x10400, 0x10428, 0x20000, 0x1D00,
	/* marks: Mn Mc Me, variation selectors */
	0x301, 0x301, 0x903, 0x20DD, 0xFE0F, 0xE31, 0x1AB0, 0xE0100, 0x93F,
	/* punctuation and symbols */
	'.', ',', '!', '?', '(', ')', '-', '_', '"', '#', '/', '/', '/', '\\',
	'@', '$', '%', '&', '*', '+', '=', '<', '>', '~', '^', '`', '|', '{',
	'}', '[', ']', ';', ':', 0xAB, 0x2014, 0x2026, 0x20AC, 0xA9, 0xB1, 0xD7,
	0x1F3FB,
	/* emoji, ZWJ, regional indicators */
	0x1F600, 0x1F44D, 0x200D, 0x1F468, 0x1F1FA, 0x1F1F8,
	/* unassigned, private use, controls, format */
	0x378, 0x10FFFF, 0xE0080, 0x2FFFE, 0xE000, 0xF8FF, 0xF0000, 0x10FFFD,
	0x01, 0x9F, 0xAD, 0x200E, 0x2060,
};

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)((rng_state >> 11) % n);
}

/*
 * Code points left out of the comparison: those whose class PCRE2 sees
 * otherwise than tiktoken (the correction table: PCRE2 10.42 has Unicode
 * 14, tiktoken 16), as test_classes() found them.  Everything else,
 * assigned or not, is fair game.
 */
static int comparable(uint32_t cp)
{
	return pcre2_class && pcre2_class[cp] == Pa_pretok_class(cp);
}

static uint32_t random_code_point(void)
{
	for (;;) {
		uint32_t cp;

		if (rng(100) < 90)
			cp = pool[rng(sizeof(pool) / sizeof(pool[0]))];
		else
			cp = rng(0x110000);
		if ((cp < 0xD800 || cp > 0xDFFF) && comparable(cp))
			return cp;
	}
}

static void test_differential(void)
{
	Pa_pretok *hand[3], *rx[3];
	char text[32 * 4];
	long strings = 0, mismatches = 0;
	size_t k;
	int t;

	for (k = 0; k < 3; k++) {
		CHECK_EQ_INT(Pa_pretok_new(patterns[k], &hand[k], NULL), PA_OK);
		CHECK_EQ_INT(Pa_pretok_new_regex(patterns[k], &rx[k], NULL), PA_OK);
	}
	for (t = 0; t < 6000; t++) {
		size_t len = 0, n = 1 + rng(24), i;

		for (i = 0; i < n; i++)
			len += encode(random_code_point(), text + len);
		for (k = 0; k < 3; k++) {
			size_t hs = 0, he = 0, rs = 0, re = 0;
			int hn, rn, same = 1;

			for (;;) {
				hn = Pa_pretok_next(hand[k], text, len, &hs, &he, NULL);
				rn = Pa_pretok_next(rx[k], text, len, &rs, &re, NULL);
				if (hn != rn || (hn && (hs != rs || he != re))) {
					same = 0;
					break;
				}
				if (!hn)
					break;
				hs = he;
				rs = re;
			}
			strings++;
			if (!same && mismatches++ < 5) {
				fprintf(stderr, "%s: hand and PCRE2 differ at byte %zu of",
				        pattern_names[k], hs);
				for (i = 0; i < len; i++)
					fprintf(stderr, " %02X", (unsigned char)text[i]);
				fprintf(stderr, "\n");
			}
		}
	}
	CHECK_EQ_INT(mismatches, 0);
	CHECK_EQ_INT(strings, 18000);
	for (k = 0; k < 3; k++) {
		Pa_pretok_free(hand[k]);
		Pa_pretok_free(rx[k]);
	}
}

/* On bytes that are not UTF-8 the hand scanners stay in bounds and still
 * cover the text with non-empty pieces.  (The buffer is exactly len long,
 * so AddressSanitizer sees a read past it.) */
static void test_invalid_utf8(void)
{
	Pa_pretok *p[3];
	size_t k;
	int t;

	for (k = 0; k < 3; k++)
		CHECK_EQ_INT(Pa_pretok_new(patterns[k], &p[k], NULL), PA_OK);
	for (t = 0; t < 2000; t++) {
		size_t len = 1 + rng(16), i, start, end, covered;
		unsigned char *text = Pa_xmalloc(len);
		int ok = 1;

		for (i = 0; i < len; i++)
			text[i] = rng(4) ? (unsigned char)rng(256)
			                  : (unsigned char)"' \n\xC5\xBF"[rng(5)];
		for (k = 0; k < 3; k++) {
			start = 0;
			covered = 0;
			while (Pa_pretok_next(p[k], (const char *)text, len, &start,
			                      &end, NULL)) {
				if (start != covered || end <= start || end > len)
					ok = 0;
				if (!ok)
					break;
				covered = start = end;
			}
			if (covered != len)
				ok = 0;
		}
		CHECK(ok);
		free(text);
	}
	for (k = 0; k < 3; k++)
		Pa_pretok_free(p[k]);
}

/* ---------------------------------------------------------------------
 * The PCRE2 path with other patterns
 * ------------------------------------------------------------------- */

static void check_split(const char *pattern, const char *text, const char *want)
{
	pa_buf got = PA_BUF_INIT;
	pa_error err;
	Pa_pretok *p;

	CHECK_EQ_INT(Pa_pretok_new(pattern, &p, &err), PA_OK);
	if (!p)
		return;
	render(p, text, strlen(text), &got);
	if (strcmp(got.ptr, want) != 0)
		fprintf(stderr, "pattern %s:\n", pattern);
	CHECK_EQ_STR(got.ptr, want);
	Pa_pretok_free(p);
	pa_buf_release(&got);
}

static void test_regex(void)
{
	pa_error err;
	Pa_pretok *p = NULL;

	/* \s is White_Space: NEL and NBSP are in, U+200B and U+FEFF out. */
	check_split("\\s+", "a \xC2\x85\xC2\xA0" "b\xE2\x80\x8B\xEF\xBB\xBF c",
	            " \xC2\x85\xC2\xA0| ");
	check_split("\\S+", "a\xE2\x80\x8B \xC2\xA0" "b", "a\xE2\x80\x8B|b");
	/* inside classes, and \S inside a negated class */
	check_split("[^\\S\\r\\n]+", "a \t\r\n \xE3\x80\x80" "b", " \t| \xE3\x80\x80");
	check_split("[\\s,]+", "a, b", ", ");
	check_split("[x\\S]+", "ab c", "ab|c");
	/* \w is Rust's: letters, marks, digits, connectors, ZWJ and ZWNJ */
	check_split("\\w+", "h\xC3\xA9llo_1 a\xCC\x81" "b x\xE2\x80\x8D" "y",
	            "h\xC3\xA9llo_1|a\xCC\x81" "b|x\xE2\x80\x8D" "y");
	check_split("\\W+", "a, b", ", ");
	check_split("[^\\W\\d]+", "ab12c_d", "ab|c_d");
	/* . stops at \n only; $ is the end of the text */
	check_split(".+", "ab\r\ncd", "ab\r|cd");
	check_split("b$", "ab\n", "");
	check_split("(?m)b$", "ab\nb", "b|b");
	/* Text between matches is skipped, empty matches are skipped. */
	check_split("\\d+", "a12b3", "12|3");
	check_split("x*", "axxbx", "xx|x");
	check_split("(?i:'s)", "'S'\xC5\xBF's", "'S|'\xC5\xBF|'s");

	/* Classes PCRE2 would read otherwise are refused. */
	CHECK_EQ_INT(Pa_pretok_new("a[b[c]]", &p, &err), PA_ERR_INVALID);
	CHECK(p == NULL);
	CHECK_EQ_INT(err.offset, 1);
	CHECK_EQ_INT(Pa_pretok_new("[a-z&&[^aeiou]]", &p, &err), PA_ERR_INVALID);
	CHECK_EQ_INT(Pa_pretok_new("[\\w--\\d]", &p, &err), PA_ERR_INVALID);
	/* Bad patterns: the offset is in the pattern as written. */
	CHECK_EQ_INT(Pa_pretok_new("\\s+(", &p, &err), PA_ERR_PARSE);
	CHECK(p == NULL);
	CHECK_EQ_INT(err.status, PA_ERR_PARSE);
	CHECK_EQ_INT(err.offset, 4);
	CHECK(strstr(err.message, "offset 4") != NULL);
	CHECK_EQ_INT(Pa_pretok_new("[a", &p, NULL), PA_ERR_PARSE);
	CHECK_EQ_INT(Pa_pretok_new("a)", &p, NULL), PA_ERR_PARSE);
}

/* A pattern that backtracks without bound hits PCRE2's match limit: an
 * error at the byte where the match began, never a silent end of text. */
static void test_match_limit(void)
{
	size_t n = 30000, len = n + 6, start = 0, end = 0;
	char *text = Pa_xmalloc(len);
	pa_error err;
	Pa_pretok *p = NULL;

	memset(&err, 0, sizeof(err));
	memcpy(text, "xy ", 3);
	memset(text + 3, 'a', n);
	memcpy(text + 3 + n, " zz", 3);
	CHECK_EQ_INT(Pa_pretok_new("(a+)+b|\\s+|[^a]+", &p, &err), PA_OK);
	if (!p) {
		free(text);
		return;
	}
	CHECK_EQ_INT(Pa_pretok_next(p, text, len, &start, &end, &err), 1);
	CHECK_EQ_INT(start, 0);
	CHECK_EQ_INT(end, 3);
	start = end;
	CHECK_EQ_INT(Pa_pretok_next(p, text, len, &start, &end, &err), -1);
	CHECK_EQ_INT(err.status, PA_ERR_INVALID);
	CHECK_EQ_INT(err.offset, 3);
	CHECK_EQ_STR(err.message, "match limit exceeded");
	CHECK_EQ_INT(start, 3);
	CHECK_EQ_INT(end, 3);
	/* err may be NULL; the error still shows in the result. */
	CHECK_EQ_INT(Pa_pretok_next(p, text, len, &start, &end, NULL), -1);
	/* Past the run of a, matching goes on. */
	start = 3 + n;
	CHECK_EQ_INT(Pa_pretok_next(p, text, len, &start, &end, &err), 1);
	CHECK_EQ_INT(end, 3 + n + 1);
	/* A batch stops before the failure, and the next one fails. */
	{
		size_t starts[8], ends[8], pos = 0;

		memset(&err, 0, sizeof(err));
		CHECK_EQ_INT(Pa_pretok_next_batch(p, text, len, &pos, starts, ends, 8, &err), 1);
		CHECK_EQ_INT(ends[0], 3);
		CHECK_EQ_INT(pos, 3);
		CHECK_EQ_INT(Pa_pretok_next_batch(p, text, len, &pos, starts, ends, 8, &err), -1);
		CHECK_EQ_INT(err.offset, 3);
		CHECK_EQ_STR(err.message, "match limit exceeded");
	}
	Pa_pretok_free(p);
	free(text);
}

/* The pieces Pa_pretok_next() finds in text[0..len), up to max: where
 * each starts and ends.  Returns how many. */
static size_t pieces_of(const Pa_pretok *p, const char *text, size_t len,
                        size_t *starts, size_t *ends, size_t max)
{
	size_t n = 0, start = 0, end;

	while (n < max && Pa_pretok_next(p, text, len, &start, &end, NULL) > 0) {
		starts[n] = start;
		ends[n++] = end;
		start = end;
	}
	return n;
}

/* The pieces Pa_pretok_next_batch() finds in text[0..len), max at a
 * time, when each is the next of want_s and want_e in turn: how many, or
 * -1 when one differs, there are more or a batch fails. */
static long batch_pieces(const Pa_pretok *p, const char *text, size_t len, size_t max,
                         const size_t *want_s, const size_t *want_e, size_t n_want)
{
	size_t starts[128], ends[128], pos = 0, n = 0, j;
	long got;
	int same = 1;

	while ((got = Pa_pretok_next_batch(p, text, len, &pos, starts, ends,
	                                   max < 128 ? max : 128, NULL)) > 0)
		for (j = 0; j < (size_t)got; j++, n++)
			if (n >= n_want || starts[j] != want_s[n] || ends[j] != want_e[n])
				same = 0;
	return got < 0 || !same ? -1 : (long)n;
}

/* Whether s[0..n) holds the bytes of needle. */
static int holds(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(s + i, needle, k) == 0)
			return 1;
	return 0;
}

/*
 * The 64-byte windows of ASCII (pretok_ascii.c) of cl100k, GPT-2 and
 * o200k against the scalar scanner and against PCRE2: long texts made
 * of the pieces each rule is about (words after spaces, tabs or
 * punctuation, runs of punctuation, contractions in both cases and false
 * ones, digits, white space with and without newlines, newlines after
 * punctuation, control bytes), now and then a character over 0x7F that
 * the rules must not decide on (a letter, U+017F which folds to s, white
 * space, a mark), letters of Latin-1, Cyrillic, Greek, Hebrew, Arabic,
 * Hangul, Devanagari and Thai and the marks of the last three, which they
 * take (but the signs, digits and other characters of those blocks, and
 * Thai for o200k), and long runs of one class.  Every piece, at every place in a window, with room for
 * 1 to 128 pieces, equals.
 */
static void ascii_windows(const char *pattern, const char *name,
                          size_t (*window)(const unsigned char *, size_t, size_t, size_t *,
                                           size_t *, size_t, size_t *))
{
	static const char *const parts[] = {
		"a", "word", " word", "Word", " WORD", "x", " ", "  ", "   ", "\t",
		"\t ", " \t", "\n", "\r\n", "\n\n", " \n", "\n ", "\n  ", " \n ",
		"\v", "\f", "'", "'s", "'S", "'t", "'T", "'re", "'RE", "'Re", "'ve",
		"'VE", "'m", "'M", "'ll", "'LL", "'lL", "'d", "'D", "'r", "'v", "'l",
		"'x", "''", "(", "((", "!", "?!", ".", ",", "-", "_", "\"", "/*",
		"0", "12", "123", "1234", "1234567", "\x01", "\x7f", ").\n", ":\r\n",
		"/", "\n/", "//", "camelCase", "ABCdef", "aB", "x/y",
	};
	static const char *const wide[] = {
		"\xc5\xbf", "\xc2\xa0", "\xc2\x85", "\xcc\x81", "\xc2\xaa",
		"\xd0\xb4", "\xe4\xb8\xad", "\xf0\x9f\x98\x80",
	};
	/* Latin-1 and Cyrillic, which the windows take as letters: small,
	 * capital, the first and last of each kind (C3 80, C3 9E; C3 9F, C3
	 * BF; D0 80, D0 AF; D0 B0, D1 9F), those of U+0460 on, capitals and
	 * small ones in turn (D1 A0 to D1 BF), the two signs of Latin-1 (C3
	 * 97, C3 B7), and words of them; and the Cyrillic after U+047F, which
	 * they do not take (a letter, a mark, a sign). */
	static const char *const two_byte[] = {
		"\xc3\xa9", "\xc3\x89", "\xc3\x80", "\xc3\x9e", "\xc3\x9f",
		"\xc3\xbf", "\xc3\x97", "\xc3\xb7", "caf\xc3\xa9", " \xc3\x89" "cole",
		"stra\xc3\x9f" "e", "\xc3\xa0\xc3\x80", "'\xc3\xa9", "a\xc3\x97" "b",
		"\xd0\x80", "\xd0\xaf", "\xd0\xb0", "\xd1\x9f", "\xd1\xa0", "\xd1\xa1",
		"\xd1\xbe", "\xd1\xbf", " \xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
		"\xd0\xbc\xd1\x8b\xd0\x9c\xd0\xbe", "\xd2\x91", "\xd2\x83", "\xd2\x82",
		"\xd3\x80", "\xd0\xb4'\xd1\x81",
		/* Hangul syllables, which the windows take:
		 * the first and last (U+AC00, U+D7A3), the last of each lead
		 * byte (U+AFFF, U+BFFF, U+CFFF) and of ED's second bytes
		 * below 9E (U+D77F), a word and words after a space and an
		 * apostrophe; and the code points around them, which they
		 * do not take: U+ABFF, U+D7A4, U+D7B0 (a letter of Jamo). */
		"\xea\xb0\x80", "\xed\x9e\xa3", "\xea\xbf\xbf", "\xeb\xbf\xbf",
		"\xec\xbf\xbf", "\xed\x9d\xbf", "\xeb\x8b\xa4",
		" \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4", "'\xec\x9d\x84",
		"\xea\xaf\xbf", "\xed\x9e\xa4", "\xed\x9e\xb0",
	};
	/* Greek, Hebrew and Arabic, which the windows take in part (see
	 * script_letters()): every code point of U+0370 to U+03FF and of
	 * U+05C0 to U+06FF, letters, holes, signs, marks and digits alike,
	 * and words of them, also next to letters of case, which o200k's
	 * windows leave to the scalar scanner. */
	static const char *const script_words[] = {
		" \xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1", "\xce\x86\xce\xbb\xce\xbb\xce\xbf",
		"\xcf\x83\xce\xa3\xcf\x82", " \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
		" \xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7", "a\xd7\xa9", "\xd7\xa9" "a",
		"\xd7\xa9" "A", "\xce\x91\xd7\xa9\xce\xb1", "\xd0\xb4\xd8\xa8\xd0\x94",
		"\xc3\xa9\xd7\x90", "\xd7\x90'\xd7\x90", "\xd7\x90's", "\xd8\xa8\xd9\x8e\xd8\xa8",
		"\xd9\x80\xd9\x80", "AB\xd7\xa9\xd7\xa9", "\xd7\xa9\xd7\xa9" "ab" "CD",
		/* Arabic with its vowel marks, which the windows take:
		 * words, a mark after punctuation, a digit, a Latin letter,
		 * a space, and a contraction after a mark; Hangul beside a
		 * Latin letter and a Greek one. */
		" \xd8\xa8\xd9\x90\xd8\xb3\xd9\x92\xd9\x85\xd9\x90", "!\xd9\x8e\xd8\xa8",
		"!!\xd9\x8e\xd8\xa8", "5\xd9\x8e", "a\xd9\x8e", " \xd9\x8e\xd8\xa8",
		"\xd8\xa8\xd9\x8e's", "\xd9\x8e\xd9\x8e", "\xda\xa9\xdb\x8c",
		"a\xed\x95\x9c", "\xed\x95\x9c" "A", "\xce\xb1\xed\x95\x9c\xce\x91",
		/* Hindi, and Thai, which but o200k's windows take, with their marks:
		 * words, and a mark after a space, punctuation, a digit and a
		 * Latin letter. */
		" \xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87",
		" \xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94\xe0\xb8\xb5",
		" \xe0\xa5\x8d\xe0\xa4\x95", "!\xe0\xa4\xbf", "5\xe0\xb8\xb1", "a\xe0\xa4\x95",
		"\xe0\xb8\x81" "a", "\xe0\xa5\xa4", "\xe0\xb9\x90",
	};
	/* U+0370..U+03FF, U+05C0..U+06FF, U+0900..U+097F, U+0E00..U+0E7F */
	static const uint32_t script_ranges[][2] = {
		{ 0x370, 0x400 }, { 0x5C0, 0x700 }, { 0x900, 0x980 }, { 0xE00, 0xE80 },
	};
	static char script_chars[0x90 + 0x140 + 0x80 + 0x80][4]; /* the ranges' sizes */
	const size_t n_parts = sizeof(parts) / sizeof(parts[0]);
	const size_t n_script_words = sizeof(script_words) / sizeof(script_words[0]);
	const size_t n_script = sizeof(script_chars) / sizeof(script_chars[0]);
	/* Pieces from a window that hold a character of each script (its
	 * first two bytes, or one), and a mark (Arabic's fatha, Devanagari's
	 * virama, Thai's mai han-akat). */
	static const struct {
		const char *bytes;
		int o200k; /* o200k's windows take it */
	} scripts[] = {
		{ "\xce", 1 }, { "\xd7", 1 }, { "\xd8", 1 }, { "\xe0\xa4", 1 }, { "\xe0\xb8", 0 },
		{ "\xd9\x8e", 1 }, { "\xe0\xa5\x8d", 1 }, { "\xe0\xb8\xb1", 0 },
	};
	long windowed_in[sizeof(scripts) / sizeof(scripts[0])] = { 0 };
	Pa_pretok *hand, *rx;
	static char text[4096];
	static size_t one_s[4096], one_e[4096], rx_s[4096], rx_e[4096];
	long mismatches = 0, window_mismatches = 0, windowed = 0, windowed_latin1 = 0;
	long windowed_cyrillic = 0, windowed_hangul = 0;
	size_t z;
	int t;

	{
		size_t n = 0, r;
		uint32_t cp;

		for (r = 0; r < sizeof(script_ranges) / sizeof(script_ranges[0]); r++)
			n += script_ranges[r][1] - script_ranges[r][0];
		CHECK_EQ_INT(n, n_script);
		n = 0;
		for (r = 0; r < sizeof(script_ranges) / sizeof(script_ranges[0]); r++)
			for (cp = script_ranges[r][0]; cp < script_ranges[r][1] && n < n_script; cp++, n++)
				encode(cp, script_chars[n]);
	}
	CHECK_EQ_INT(Pa_pretok_new(pattern, &hand, NULL), PA_OK);
	CHECK_EQ_INT(Pa_pretok_new_regex(pattern, &rx, NULL), PA_OK);
	for (t = 0; t < 12000; t++) {
		size_t len = 0, n_one = 0, n_rx = 0, start = 0, end, pos = 0, got_n = 0, j;
		size_t starts[128], ends[128];
		uint32_t wide_every = t % 3 == 0 ? 0 : 8 + rng(200);
		uint32_t two_byte_every = t % 4 == 0 ? 0 : 2 + rng(20);
		uint32_t script_every = t % 3 != 1 ? 0 : 2 + rng(12);
		long got;
		int same = 1;

		while (len < 200 + rng(1500)) {
			const char *part;
			size_t plen, r;

			if (wide_every && rng(wide_every) == 0)
				part = wide[rng(sizeof(wide) / sizeof(wide[0]))];
			else if (script_every && rng(script_every) == 0)
				part = rng(4) == 0 ? script_words[rng((uint32_t)n_script_words)]
				                   : script_chars[rng((uint32_t)n_script)];
			else if (two_byte_every && rng(two_byte_every) == 0)
				part = two_byte[rng(sizeof(two_byte) / sizeof(two_byte[0]))];
			else
				part = parts[rng((uint32_t)n_parts)];
			plen = strlen(part);
			/* Now and then a run of one part past a window's length. */
			for (r = rng(40) == 0 ? 30 + rng(50) : 1; r > 0 && len + plen < 4000; r--) {
				memcpy(text + len, part, plen);
				len += plen;
			}
		}
		while (Pa_pretok_next(hand, text, len, &start, &end, NULL) > 0) {
			one_s[n_one] = start;
			one_e[n_one++] = end;
			start = end;
		}
		start = 0;
		while (Pa_pretok_next(rx, text, len, &start, &end, NULL) > 0) {
			rx_s[n_rx] = start;
			rx_e[n_rx++] = end;
			start = end;
		}
		while ((got = Pa_pretok_next_batch(hand, text, len, &pos, starts, ends,
		                                   1 + t % 128, NULL)) > 0) {
			for (j = 0; j < (size_t)got; j++, got_n++)
				if (got_n >= n_one || starts[j] != one_s[got_n] ||
				    ends[j] != one_e[got_n] || got_n >= n_rx ||
				    starts[j] != rx_s[got_n] || ends[j] != rx_e[got_n])
					same = 0;
		}
		if (got < 0 || got_n != n_one || got_n != n_rx || !same) {
			if (mismatches++ < 3) {
				fprintf(stderr, "%s windows differ in:", name);
				for (j = 0; j < len && j < 300; j++)
					fprintf(stderr, " %02X", (unsigned char)text[j]);
				fprintf(stderr, "\n");
			}
		}
		/* And a window from every piece start: its pieces are the
		 * scalar scanner's from there. */
		for (j = 0; j < n_one; j++) {
			size_t stop, w, k = window((const unsigned char *)text, len, one_s[j], starts,
			                           ends, 1 + (t + j) % 128, &stop);

			for (w = 0; w < k; w++)
				if (j + w >= n_one || starts[w] != one_s[j + w] ||
				    ends[w] != one_e[j + w])
					window_mismatches++;
			if (k > 0 && stop != ends[k - 1])
				window_mismatches++;
			windowed += k > 0;
			for (w = 0; w < k; w++) {
				size_t n = ends[w] - starts[w];

				windowed_latin1 += memchr(text + starts[w], 0xC3, n) != NULL;
				windowed_cyrillic += memchr(text + starts[w], 0xD0, n) != NULL;
				windowed_hangul += memchr(text + starts[w], 0xEB, n) != NULL;
				for (z = 0; z < sizeof(scripts) / sizeof(scripts[0]); z++)
					windowed_in[z] += holds(text + starts[w], n, scripts[z].bytes);
			}
		}
	}
	if (window_mismatches) fprintf(stderr, "%s: %ld window mismatches\n", name, window_mismatches);
	CHECK_EQ_INT(window_mismatches, 0);
	CHECK_EQ_INT(mismatches, 0);
#if defined(__SSE2__) && defined(__GNUC__)
	/* The windows had their say at many places, over letters of two
	 * bytes too. */
	CHECK(windowed > 100000);
	CHECK(windowed_latin1 > 10000);
	CHECK(windowed_cyrillic > 10000);
	/* Greek, Hebrew, Arabic, Devanagari, Thai (but for o200k), and
	 * their marks (fewer for o200k, whose windows stop at a mark that
	 * starts a run: 436 of Arabic's fatha); Hangul. */
	for (z = 0; z < sizeof(scripts) / sizeof(scripts[0]); z++)
		if (scripts[z].o200k || strcmp(name, "o200k") != 0)
			CHECK(windowed_in[z] > 300);
	CHECK(windowed_hangul > 5000);
#endif
	Pa_pretok_free(hand);
	Pa_pretok_free(rx);
}

/* A window that starts at a sign of Latin-1 (× or ÷: C3 with a second
 * byte the windows do not take) knows no byte, and leaves it all to the
 * scalar scanner: its pieces are the scanner's.  (It once counted 19
 * tokens for 17 here, when the last run of an empty window was looked
 * for.) */
static void test_window_at_sign(void)
{
	static const char *const signs[] = { "\xc3\x97", "\xc3\xb7" };
	static const char tail[] = "\n\n(the quick brown fox jumps over the lazy dog "
	                           "and runs far away, far away";
	const char *const patterns3[] = { CL100K, GPT2, O200K };
	char text[128];
	size_t k, z;

	for (z = 0; z < 2; z++) {
		size_t len;

		memcpy(text, signs[z], 2);
		memcpy(text + 2, tail, sizeof(tail));
		len = 2 + sizeof(tail) - 1;
		for (k = 0; k < 3; k++) {
			Pa_pretok *p, *rx;
			size_t one_s[128], one_e[128], rx_s[128], rx_e[128], n_one, n_rx;

			CHECK_EQ_INT(Pa_pretok_new(patterns3[k], &p, NULL), PA_OK);
			CHECK_EQ_INT(Pa_pretok_new_regex(patterns3[k], &rx, NULL), PA_OK);
			n_one = pieces_of(p, text, len, one_s, one_e, 128);
			/* The scalar scanner's pieces are PCRE2's. */
			n_rx = pieces_of(rx, text, len, rx_s, rx_e, 128);
			CHECK_EQ_INT(n_rx, n_one);
			CHECK(memcmp(rx_s, one_s, n_one * sizeof(size_t)) == 0 &&
			      memcmp(rx_e, one_e, n_one * sizeof(size_t)) == 0);
			CHECK(n_one > 15);
			CHECK_EQ_INT(batch_pieces(p, text, len, 128, one_s, one_e, n_one), (long)n_one);
			Pa_pretok_free(p);
			Pa_pretok_free(rx);
		}
	}
}

static void test_ascii_windows(void)
{
	static size_t starts[1 << 16], ends[1 << 16];
	static char text[1 << 17];
	const char *const patterns2[] = { CL100K, GPT2, O200K };
	size_t len = 0, k;

	ascii_windows(CL100K, "cl100k", Pa_pretok_cl100k_window);
	ascii_windows(GPT2, "gpt2", Pa_pretok_gpt2_window);
	ascii_windows(O200K, "o200k", Pa_pretok_o200k_window);
	/* A batch of many pieces over text where every window fails (one
	 * letter in Cyrillic in each word) ends, with every piece. */
	while (len + 16 < sizeof(text)) {
		memcpy(text + len, " w\xd0\xb4ord", 8);
		len += 8;
	}
	for (k = 0; k < 3; k++) {
		Pa_pretok *p;
		size_t pos = 0, one = 0, start = 0, end;
		long got;

		CHECK_EQ_INT(Pa_pretok_new(patterns2[k], &p, NULL), PA_OK);
		while (Pa_pretok_next(p, text, len, &start, &end, NULL) > 0) {
			one++;
			start = end;
		}
		got = Pa_pretok_next_batch(p, text, len, &pos, starts, ends,
		                           sizeof(starts) / sizeof(starts[0]), NULL);
		CHECK_EQ_INT(got, (long)one);
		CHECK_EQ_INT(pos, len);
		Pa_pretok_free(p);
	}
}

/* Pa_pretok_next_batch finds the pieces Pa_pretok_next finds, in batches
 * of any size, with the hand scanners and PCRE2 alike. */
static void test_batch(void)
{
	static const size_t sizes[] = { 1, 2, 3, 32 };
	Pa_pretok *p[6];
	char text[40 * 4];
	long mismatches = 0;
	size_t k;
	int t;

	for (k = 0; k < 3; k++) {
		CHECK_EQ_INT(Pa_pretok_new(patterns[k], &p[k], NULL), PA_OK);
		CHECK_EQ_INT(Pa_pretok_new_regex(patterns[k], &p[3 + k], NULL), PA_OK);
	}
	for (t = 0; t < 2000; t++) {
		size_t len = 0, n = 1 + rng(40), i;

		for (i = 0; i < n; i++)
			len += encode(random_code_point(), text + len);
		for (k = 0; k < 6; k++) {
			size_t one_s[160], one_e[160], n_one, z;

			n_one = pieces_of(p[k], text, len, one_s, one_e, 160);
			for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++)
				if (batch_pieces(p[k], text, len, sizes[z], one_s, one_e,
				                 n_one) != (long)n_one)
					mismatches++;
		}
	}
	CHECK_EQ_INT(mismatches, 0);
	for (k = 0; k < 6; k++)
		Pa_pretok_free(p[k]);
}

/*
 * The compiled table against the installed utf8proc, which is how the
 * scanners' classes used to be made: outside the correction list the two
 * agree on every code point.  A utf8proc for a Unicode newer than 16.0
 * knows letters tiktoken does not: then differences are only reported.
 */
static void test_classes_utf8proc(void)
{
	long differ = 0;
	uint32_t cp;
	int newer = atoi(utf8proc_unicode_version()) > 16;

	for (cp = 0; cp < 0x110000; cp++) {
		unsigned want;

		if (Pa_pretok_class_corrected(cp))
			continue;
		switch (utf8proc_category((utf8proc_int32_t)cp)) {
		case UTF8PROC_CATEGORY_LU: want = PA_PRETOK_LU; break;
		case UTF8PROC_CATEGORY_LL: want = PA_PRETOK_LL; break;
		case UTF8PROC_CATEGORY_LT: want = PA_PRETOK_LT; break;
		case UTF8PROC_CATEGORY_LM: want = PA_PRETOK_LM; break;
		case UTF8PROC_CATEGORY_LO: want = PA_PRETOK_LO; break;
		case UTF8PROC_CATEGORY_MN:
		case UTF8PROC_CATEGORY_MC:
		case UTF8PROC_CATEGORY_ME: want = PA_PRETOK_M; break;
		case UTF8PROC_CATEGORY_ND:
		case UTF8PROC_CATEGORY_NL:
		case UTF8PROC_CATEGORY_NO: want = PA_PRETOK_N; break;
		default: want = 0; break;
		}
		/* White_Space: the controls and spaces of the PCRE2 test. */
		if ((cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 ||
		    cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
		    cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
		    cp == 0x3000)
			want = PA_PRETOK_WS;
		if (Pa_pretok_class(cp) != want && differ++ < 10)
			fprintf(stderr, "U+%04lX: class %u, utf8proc %s (Unicode %s) %u\n",
			        (unsigned long)cp, Pa_pretok_class(cp), utf8proc_version(),
			        utf8proc_unicode_version(), want);
	}
	if (newer)
		fprintf(stderr, "note: utf8proc has Unicode %s; %ld code points "
		        "outside the corrections differ\n", utf8proc_unicode_version(), differ);
	else
		CHECK_EQ_INT(differ, 0);
	CHECK_EQ_INT(Pa_pretok_class(0x110000), 0);
	CHECK_EQ_INT(Pa_pretok_class(UINT32_MAX), 0);
	CHECK_EQ_INT(Pa_pretok_class(0xD800), 0);
}

int main(void)
{
	RUN(test_known_patterns);
	RUN(test_cases);
	RUN(test_lengths);
	RUN(test_long_runs);
	RUN(test_classes);
	RUN(test_classes_utf8proc);
	RUN(test_differential);
	RUN(test_invalid_utf8);
	RUN(test_regex);
	RUN(test_match_limit);
	RUN(test_batch);
	RUN(test_ascii_windows);
	RUN(test_window_at_sign);
	free(pcre2_class);
	return pa_test_summary();
}
