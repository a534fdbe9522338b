/* json.c - writing JSON strings that are valid whatever the input bytes. */
#include "util.h"
#include "base/base.h"

void pa_json_string(pa_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	pa_buf_grow(out, len + 2);
	pa_buf_putc(out, '"');
	while (i < len) {
		unsigned char c = p[i];
		int32_t cp;
		int n;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '[') {
			size_t j = i + 1;
			/* Copy runs of plain ASCII at once. */
			while (j < len && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' &&
			       p[j] != '\\' && p[j] != '[')
				j++;
			pa_buf_put(out, s + i, j - i);
			i = j;
			continue;
		}
		switch (c) {
		case '"': pa_buf_puts(out, "\\\""); i++; continue;
		case '\\': pa_buf_puts(out, "\\\\"); i++; continue;
		case '\n': pa_buf_puts(out, "\\n"); i++; continue;
		case '\r': pa_buf_puts(out, "\\r"); i++; continue;
		case '\t': pa_buf_puts(out, "\\t"); i++; continue;
		case '\b': pa_buf_puts(out, "\\b"); i++; continue;
		case '\f': pa_buf_puts(out, "\\f"); i++; continue;
		case '[':
			/* `##[` anywhere in a line is a workflow command to
			 * GitHub's runner (util.h): the same string to a reader. */
			if (i >= 2 && p[i - 1] == '#' && p[i - 2] == '#')
				pa_buf_puts(out, "\\u005b");
			else
				pa_buf_putc(out, '[');
			i++;
			continue;
		default: break;
		}
		if (c < 0x80) { /* other control characters and DEL */
			pa_buf_puts(out, "\\u00");
			pa_buf_putc(out, hex[c >> 4]);
			pa_buf_putc(out, hex[c & 15]);
			i++;
			continue;
		}
		n = pa_utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			/* The run of bytes that start no valid character; the
			 * lossy writer gives one U+FFFD per maximal invalid
			 * subpart of it. */
			size_t j = i + 1;
			while (j < len && p[j] >= 0x80 &&
			       pa_utf8_decode(p + j, len - j, &cp) == 0)
				j++;
			pa_utf8_lossy(s + i, j - i, out);
			i = j;
			continue;
		}
		if (pa_quote_hidden(cp)) {
			/* C1 controls reach a terminal as escapes; the others
			 * hide or reorder text (U+2028 and U+2029 are also not
			 * valid JavaScript before ES2019): util.h. */
			if (cp > 0xFFFF) /* as a surrogate pair, as JSON writes it */
				pa_buf_printf(out, "\\u%04x\\u%04x",
				              0xD800u + (((unsigned)cp - 0x10000u) >> 10),
				              0xDC00u + (((unsigned)cp - 0x10000u) & 0x3FFu));
			else
				pa_buf_printf(out, "\\u%04x", (unsigned)cp);
		} else {
			pa_buf_put(out, s + i, (size_t)n);
		}
		i += (size_t)n;
	}
	pa_buf_putc(out, '"');
}

void pa_json_put_string(pa_buf *out, const char *text, size_t len)
{
	pa_json_string(out, text, len);
}
