/* utf8.c - validating UTF-8 and replacing what is not. */
#include "internal.h"

#include <string.h>

int pa_utf8_decode(const unsigned char *s, size_t len, int32_t *cp)
{
	unsigned char c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		if (len < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		/* The second byte's range rules out overlong forms (E0) and
		 * surrogates (ED), as Table 3-7 of the Unicode standard says. */
		unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
		unsigned char hi = c == 0xED ? 0x9F : 0xBF;
		if (len < 2 || s[1] < lo || s[1] > hi)
			return 0;
		if (len < 3 || (s[2] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
		if (len < 2 || s[1] < lo || s[1] > hi)
			return 0;
		if (len < 3 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (len < 4 || (s[3] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) |
		      ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		return 4;
	}
	return 0;
}

/* The length of the valid sequence that starts with the non-ASCII byte
 * s[0] (len bytes available), or 0.  The checks of pa_utf8_decode without
 * the code point, inline: validating runs of non-Latin text is most of
 * what this file costs a count. */
static inline size_t valid_sequence(const unsigned char *s, size_t len)
{
	unsigned char c = s[0], c1;

	if (c < 0xC2)
		return 0;
	if (c < 0xE0)
		return len >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (len < 3 || (s[2] & 0xC0) != 0x80)
		return 0;
	c1 = s[1];
	if (c < 0xF0) {
		/* E0 rules out overlong forms, ED surrogates (Table 3-7 of
		 * the Unicode standard). */
		if (c == 0xE0 ? c1 < 0xA0 || c1 > 0xBF :
		    c == 0xED ? c1 < 0x80 || c1 > 0x9F : (c1 & 0xC0) != 0x80)
			return 0;
		return 3;
	}
	if (c > 0xF4 || len < 4 || (s[3] & 0xC0) != 0x80)
		return 0;
	if (c == 0xF0 ? c1 < 0x90 || c1 > 0xBF :
	    c == 0xF4 ? c1 < 0x80 || c1 > 0x8F : (c1 & 0xC0) != 0x80)
		return 0;
	return 4;
}

int pa_utf8_valid(const char *text, size_t len, size_t *bad_offset)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;

	while (i < len) {
		if (s[i] < 0x80) {
			/* An ASCII run, the common case: 8 bytes at a time to
			 * the first byte that is not ASCII.  (A run of other
			 * characters does not pay for the test.) */
			i++;
			while (i + 8 <= len) {
				size_t run = pa_ascii_run8(s + i);

				i += run;
				if (run < 8)
					break;
			}
			while (i < len && s[i] < 0x80)
				i++;
			continue;
		}
		n = valid_sequence(s + i, len - i);
		if (n == 0) {
			if (bad_offset)
				*bad_offset = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

/* Length of the maximal subpart of an ill-formed sequence at s: the
 * longest prefix that could start a valid sequence, at least 1 byte. */
static size_t invalid_subpart(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;

	if (c >= 0xC2 && c <= 0xDF)
		need = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 4;
	else
		return 1;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	for (i = 1; i < need && i < len; i++) {
		unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xBF;
		if (s[i] < min || s[i] > max)
			break;
	}
	return i;
}

void pa_utf8_lossy(const char *text, size_t len, pa_buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, run = 0;

	pa_buf_grow(out, len);
	while (i < len) {
		int32_t cp;
		int n = s[i] < 0x80 ? 1 : pa_utf8_decode(s + i, len - i, &cp);

		if (n > 0) {
			i += (size_t)n;
			continue;
		}
		pa_buf_put(out, text + run, i - run);
		pa_buf_put(out, "\xEF\xBF\xBD", 3);
		i += invalid_subpart(s + i, len - i);
		run = i;
	}
	pa_buf_put(out, text + run, len - run);
}
