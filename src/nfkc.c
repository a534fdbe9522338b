/* nfkc.c - Unicode NFKC normalization (the claude tokenizer's first step)
 * through utf8proc, fast on ASCII, and agreeing with the reference's
 * newer Unicode version. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Unicode 16 and 17 gave these characters compatibility mappings to ASCII
 * (U+A7F1 MODIFIER LETTER CAPITAL S; U+1CCD6..1CCEF outlined A-Z and
 * U+1CCF0..1CCF9 outlined 0-9).  The claude reference normalizes with
 * Unicode 17 (Node's ICU); Debian's utf8proc 2.8 knows Unicode 15, where
 * they are unassigned and stay as they are.  Found by comparing the two
 * over every code point; these are all the differences.  When the
 * installed utf8proc knows them, this changes nothing. */
static int newer_compat_ascii(int32_t cp)
{
	if (cp == 0xA7F1)
		return 'S';
	if (cp >= 0x1CCD6 && cp <= 0x1CCEF)
		return 'A' + (cp - 0x1CCD6);
	if (cp >= 0x1CCF0 && cp <= 0x1CCF9)
		return '0' + (cp - 0x1CCF0);
	return 0;
}

/* Copies text[0..len) to out with the characters above mapped.  Returns
 * 0 (and copies nothing) when there are none. */
static int map_newer_compat(const char *text, size_t len, pa_buf *out)
{
	size_t i = 0, copied = 0;
	int changed = 0;

	while (i < len) {
		int32_t cp;
		int n = pa_utf8_decode((const unsigned char *)text + i, len - i, &cp);
		int ascii = newer_compat_ascii(cp);

		if (ascii && utf8proc_category(cp) == UTF8PROC_CATEGORY_CN) {
			pa_buf_put(out, text + copied, i - copied);
			pa_buf_putc(out, (char)ascii);
			copied = i + (size_t)n;
			changed = 1;
		}
		i += (size_t)(n > 0 ? n : 1);
	}
	if (changed)
		pa_buf_put(out, text + copied, len - copied);
	return changed;
}

/* Unicode 16 added these canonical compositions (Garay, Tulu-Tigalari,
 * Gurung Khema, Kirat Rai; the first element may itself be one of them).
 * The reference composes them; utf8proc 2.8 does not know them. */
static const struct {
	int32_t first, second, composite;
} newer_pairs[] = {
	{ 0x105D2, 0x307, 0x105C9 },   { 0x105DA, 0x307, 0x105E4 },
	{ 0x11382, 0x113C9, 0x11383 }, { 0x11384, 0x113BB, 0x11385 },
	{ 0x1138B, 0x113C2, 0x1138E }, { 0x11390, 0x113C9, 0x11391 },
	{ 0x113C2, 0x113C2, 0x113C5 }, { 0x113C2, 0x113B8, 0x113C7 },
	{ 0x113C2, 0x113C9, 0x113C8 }, { 0x1611E, 0x1611E, 0x16121 },
	{ 0x1611E, 0x16129, 0x16122 }, { 0x1611E, 0x1611F, 0x16123 },
	{ 0x16129, 0x1611F, 0x16124 }, { 0x1611E, 0x16120, 0x16125 },
	{ 0x16121, 0x1611F, 0x16126 }, { 0x16122, 0x1611F, 0x16127 },
	{ 0x16121, 0x16120, 0x16128 }, { 0x16D67, 0x16D67, 0x16D68 },
	{ 0x16D63, 0x16D67, 0x16D69 }, { 0x16D69, 0x16D67, 0x16D6A },
};

static int32_t newer_composite(int32_t first, int32_t second)
{
	size_t i;

	for (i = 0; i < sizeof(newer_pairs) / sizeof(newer_pairs[0]); i++)
		if (newer_pairs[i].first == first && newer_pairs[i].second == second)
			return newer_pairs[i].composite;
	return 0;
}

/* Applies the compositions above to utf8proc's NFKC output s[0..*n), in
 * place (composing only shortens UTF-8 here), by the standard rule: a
 * character composes with the last starter unless a character between
 * them has combining class 0 or one not lower than its own. */
static void compose_newer(utf8proc_uint8_t *s, utf8proc_ssize_t *n)
{
	int32_t *cps;
	size_t count = 0, i, j, out = 0, starter = SIZE_MAX;
	utf8proc_ssize_t at = 0;
	int last_ccc = -1, any = 0;

	/* Every first element lies in U+105xx..U+16Dxx: 4-byte characters
	 * starting F0 90..F0 96.  Most text has none. */
	for (at = 0; at + 1 < *n && !any; at++)
		any = s[at] == 0xF0 && s[at + 1] >= 0x90 && s[at + 1] <= 0x96;
	if (!any)
		return;
	cps = pa_xmalloc((size_t)*n * sizeof(*cps));
	for (at = 0; at < *n;) {
		int32_t cp;
		at += utf8proc_iterate(s + at, *n - at, &cp);
		cps[count++] = cp;
	}
	for (i = 0; i < count; i++) {
		int32_t cp = cps[i], composite;
		int ccc = utf8proc_get_property(cp)->combining_class;

		if (starter != SIZE_MAX && (last_ccc == -1 || last_ccc < ccc) &&
		    (composite = newer_composite(cps[starter], cp)) != 0) {
			cps[starter] = composite;
			continue; /* cp is gone; last_ccc stays */
		}
		if (ccc == 0) {
			starter = out;
			last_ccc = -1;
		} else {
			last_ccc = ccc;
		}
		cps[out++] = cp;
	}
	for (j = 0, at = 0; j < out; j++)
		at += utf8proc_encode_char(cps[j], s + at);
	*n = at;
	free(cps);
}

/* Appends the NFKC form of valid UTF-8 text to out.  ASCII is its own
 * NFKC form and no ASCII character combines with what precedes it, so
 * only the stretches around non-ASCII characters go through utf8proc,
 * each with the ASCII character before it (`e` + U+0301 is `é`). */
pa_status pa_nfkc(const char *text, size_t len, pa_buf *out, pa_error *err)
{
	size_t i = 0, copied = 0;
	pa_buf mapped = PA_BUF_INIT;

	pa_buf_grow(out, len);
	while (i < len) {
		size_t from, to;
		utf8proc_uint8_t *norm = NULL;
		utf8proc_ssize_t n;

		if ((unsigned char)text[i] < 0x80) {
			i++;
			continue;
		}
		from = i > 0 ? i - 1 : 0;
		if (from < copied)
			from = copied;
		to = i;
		while (to < len && (unsigned char)text[to] >= 0x80)
			to++;
		pa_buf_put(out, text + copied, from - copied);
		if (map_newer_compat(text + from, to - from, &mapped))
			n = utf8proc_map((const utf8proc_uint8_t *)mapped.ptr,
			                 (utf8proc_ssize_t)mapped.len, &norm,
			                 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
		else
			n = utf8proc_map((const utf8proc_uint8_t *)text + from,
			                 (utf8proc_ssize_t)(to - from), &norm,
			                 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
		pa_buf_reset(&mapped);
		if (n < 0) {
			pa_buf_release(&mapped);
			return pa_error_set(err, n == UTF8PROC_ERROR_NOMEM ? PA_ERR_NOMEM
			                                                    : PA_ERR_UTF8,
			                    NULL, 0, 0, "cannot normalize: %s",
			                    utf8proc_errmsg(n));
		}
		compose_newer(norm, &n);
		pa_buf_put(out, norm, (size_t)n);
		free(norm);
		copied = i = to;
	}
	pa_buf_put(out, text + copied, len - copied);
	pa_buf_release(&mapped);
	return PA_OK;
}

