/* quote.c - the one rule for printing text that came from a project (see
 * util.h, "Printing text from a project", and docs/security-quoting.md). */
#include "util.h"

static const char hex[] = "0123456789abcdef";

#define PA_BRAILLE_BLANK 0x2800

/* Every format character (Cf) and Default_Ignorable_Code_Point of any
 * Unicode from 12.1 on, in ranges (tests/hostile/gen-invisible.mjs). */
static const struct { int32_t first, last; } invisible[] = {
#include "invisible.inc"
};

int Pa_quote_hidden(int32_t cp)
{
	size_t lo = 0, hi = sizeof(invisible) / sizeof(invisible[0]);

	/* Controls (C0, DEL, C1) and the line and paragraph separators; the
	 * rest are drawn as nothing (zero-width joiners, the soft hyphen,
	 * invisible operators, tag characters, variation selectors, Hangul
	 * fillers) or reorder what follows them (bidirectional controls). */
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029)
		return 1;
	/* The Braille pattern blank: a symbol (So), neither space nor
	 * ignorable, yet drawn as nothing; it is what names that look blank,
	 * or look like another's, are made of once the fillers are shown. */
	if (cp == PA_BRAILLE_BLANK)
		return 1;
	if (cp < invisible[0].first)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp < invisible[mid].first)
			hi = mid;
		else if (cp > invisible[mid].last)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* The white space .NET's String.TrimStart() removes (Char.IsWhiteSpace)
 * that Pa_quote_hidden() lets through: GitHub's runner trims it before it
 * looks for `::` at the start of a line. */
static int runner_space(int32_t cp)
{
	return cp == ' ' || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
	       cp == 0x3000;
}

/* The length of the character at s (1-4) and its code point; 0 for a byte
 * that starts no valid character. */
static int next_char(const unsigned char *s, size_t len, int32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	return Pa_utf8_decode(s, len, cp);
}

/* Whether white space cp makes a value need quotes: a table pads its cells
 * with spaces and shows every space alike, so `a`, `a `, `a<U+00A0>` and
 * `a<U+3000>` would read as one name.  A space at either end (at_end) is
 * shown between the quotes; any other than U+0020 is escaped. */
static int value_space(int32_t cp, int at_end)
{
	return runner_space(cp) && (at_end || cp != ' ');
}

/* Where a leading `::` starts (after the runner's white space), or len. */
static size_t leading_colons(const unsigned char *s, size_t len)
{
	size_t i = 0;
	int32_t cp;
	int n;

	while (i < len && (n = next_char(s + i, len - i, &cp)) > 0 && runner_space(cp))
		i += (size_t)n;
	return i + 1 < len && s[i] == ':' && s[i + 1] == ':' ? i : len;
}

/* Whether byte i of s is the `[` of a `##[`. */
static int v1_command(const unsigned char *s, size_t i)
{
	return s[i] == '[' && i >= 2 && s[i - 1] == '#' && s[i - 2] == '#';
}

int Pa_quote_needed(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;

	if (leading_colons(s, len) < len)
		return 1;
	while (i < len) {
		int32_t cp;
		int n = next_char(s + i, len - i, &cp);

		if (n == 0 || Pa_quote_hidden(cp) || cp == '"' || cp == '\\' ||
		    v1_command(s, i) || value_space(cp, i == 0 || i + (size_t)n == len))
			return 1;
		i += (size_t)n;
	}
	return 0;
}

/* The escapes both forms share; wrap adds git's quotes and escapes " and
 * \ (a value), else they stay (running text). */
static void put_escaped(pa_buf *out, const char *text, size_t len, int wrap)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, colon = leading_colons(s, len);

	if (wrap)
		pa_buf_putc(out, '"');
	while (i < len) {
		int32_t cp;
		int n = next_char(s + i, len - i, &cp);
		const char *e = NULL;

		if (n == 0) {
			pa_buf_puts(out, "\\x");
			pa_buf_putc(out, hex[s[i] >> 4]);
			pa_buf_putc(out, hex[s[i] & 15]);
			i++;
			continue;
		}
		switch (cp) {
		case '\a': e = "\\a"; break;
		case '\b': e = "\\b"; break;
		case '\t': e = "\\t"; break;
		case '\n': e = "\\n"; break;
		case '\v': e = "\\v"; break;
		case '\f': e = "\\f"; break;
		case '\r': e = "\\r"; break;
		case '"': e = wrap ? "\\\"" : NULL; break;
		case '\\': e = wrap ? "\\\\" : NULL; break;
		case ':': e = !wrap && i == colon ? "\\x3a" : NULL; break;
		case '[': e = v1_command(s, i) ? "\\x5b" : NULL; break;
		default: break;
		}
		if (e) {
			pa_buf_puts(out, e);
		} else if (cp < 0x80 && Pa_quote_hidden(cp)) {
			pa_buf_puts(out, "\\x");
			pa_buf_putc(out, hex[cp >> 4]);
			pa_buf_putc(out, hex[cp & 15]);
		} else if (wrap && cp != ' ' && runner_space(cp)) {
			pa_buf_printf(out, "\\u%04x", (unsigned)cp);
		} else if (Pa_quote_hidden(cp) && cp > 0xFFFF) {
			pa_buf_printf(out, "\\U%08x", (unsigned)cp);
		} else if (Pa_quote_hidden(cp)) {
			pa_buf_printf(out, "\\u%04x", (unsigned)cp);
		} else {
			pa_buf_put(out, s + i, (size_t)n);
		}
		i += (size_t)n;
	}
	if (wrap)
		pa_buf_putc(out, '"');
}

void Pa_quote(pa_buf *out, const char *s, size_t len)
{
	if (Pa_quote_needed(s, len))
		put_escaped(out, s, len, 1);
	else
		pa_buf_put(out, s, len);
}

void Pa_quote_str(pa_buf *out, const char *s)
{
	if (s)
		Pa_quote(out, s, strlen(s));
}

void Pa_quote_text(pa_buf *out, const char *s, size_t len)
{
	put_escaped(out, s, len, 0);
}

size_t Pa_quote_cell(pa_buf *out, const char *s, size_t max)
{
	size_t start = out->len, i, chars = 0, cut = 0, cut_chars = 0;

	if (!s)
		s = "";
	Pa_quote(out, s, strlen(s));
	/* The quoted text is valid UTF-8: count its characters, and remember
	 * where max - 3 of them end, for "..." to follow. */
	for (i = start; i < out->len; i++) {
		if (((unsigned char)out->ptr[i] & 0xC0) == 0x80)
			continue;
		if (chars == (max > 3 ? max - 3 : 0)) {
			cut = i;
			cut_chars = chars;
		}
		chars++;
	}
	if (chars <= max)
		return chars;
	pa_buf_truncate(out, cut);
	pa_buf_puts(out, "...");
	return cut_chars + 3;
}
