/* nfkc.c - Unicode NFKC normalization (the claude tokenizer's first step)
 * through utf8proc, fast on the characters it leaves alone, and agreeing
 * with the reference's newer Unicode version. */
#include "nfkc.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/*
 * The claude reference normalizes with Node's ICU (Unicode 17); Debian's
 * utf8proc 2.8 knows Unicode 15.  Where they differ is generated, by
 * comparing the two over every code point, into three tables:
 * compatibility mappings and canonical compositions added since, and the
 * combining classes of marks added since (utf8proc takes those marks for
 * starters, so it neither reorders them nor lets a mark behind them
 * compose: "\u0310\u1ADD" stays as it is, where the reference puts
 * U+1ADD, class 220, before U+0310, class 230).  An entry applies only to
 * a code point the installed utf8proc does not know, so a newer utf8proc
 * is used as it is.
 */
struct newer_decomposition {
	int32_t cp;
	const char *to; /* its NFKD, UTF-8 */
};

struct newer_composition {
	int32_t first, second, composite;
};

struct newer_class {
	int32_t cp;
	unsigned char ccc;
};

#include "nfkc_corrections.inc"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int unknown(int32_t cp)
{
	return utf8proc_category(cp) == UTF8PROC_CATEGORY_CN;
}

/* 1 when cp is in a table and utf8proc does not know it. */
static int newer(int32_t cp)
{
	size_t lo = 0, hi = COUNT(newer_points);

	if (cp < newer_points[0])
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (newer_points[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < COUNT(newer_points) && newer_points[lo] == cp && unknown(cp);
}

/* Node's NFKD of cp when it is a newer compatibility character, else
 * NULL.  Only for cp with newer(cp). */
static const char *newer_decomposition(int32_t cp)
{
	size_t i;

	for (i = 0; i < COUNT(newer_decompositions); i++)
		if (newer_decompositions[i].cp == cp)
			return newer_decompositions[i].to;
	return NULL;
}

/* The combining class of cp, corrected. */
static int combining_class(int32_t cp)
{
	size_t i;

	if (newer(cp))
		for (i = 0; i < COUNT(newer_classes); i++)
			if (newer_classes[i].cp == cp)
				return newer_classes[i].ccc;
	return utf8proc_get_property(cp)->combining_class;
}

/* What a stretch of text needs beyond utf8proc's NFKC: bit MAPPED, a
 * newer compatibility character to replace first; bit SLOW, a character
 * whose class or composition utf8proc does not know. */
enum { MAPPED = 1, SLOW = 2 };

static int corrections_needed(const char *text, size_t len)
{
	size_t i = 0;
	int need = 0;

	while (i < len) {
		int32_t cp;
		int n = Pa_utf8_decode((const unsigned char *)text + i, len - i, &cp);

		if (n > 0 && newer(cp))
			need |= newer_decomposition(cp) ? MAPPED : SLOW;
		i += (size_t)(n > 0 ? n : 1);
	}
	return need;
}

/* Copies text[0..len) to out with the newer compatibility characters
 * replaced by their NFKD. */
static void map_newer(const char *text, size_t len, pa_buf *out)
{
	size_t i = 0, copied = 0;

	while (i < len) {
		int32_t cp;
		int n = Pa_utf8_decode((const unsigned char *)text + i, len - i, &cp);
		const char *to = n > 0 && newer(cp) ? newer_decomposition(cp) : NULL;

		if (to) {
			pa_buf_put(out, text + copied, i - copied);
			pa_buf_puts(out, to);
			copied = i + (size_t)n;
		}
		i += (size_t)(n > 0 ? n : 1);
	}
	pa_buf_put(out, text + copied, len - copied);
}

/* The composite of first and second, or 0: the newer compositions, then
 * utf8proc's own (composing the two alone). */
static int32_t compose_pair(int32_t first, int32_t second)
{
	utf8proc_int32_t pair[2];
	size_t i;

	for (i = 0; i < COUNT(newer_compositions); i++)
		if (newer_compositions[i].first == first &&
		    newer_compositions[i].second == second &&
		    unknown(newer_compositions[i].composite))
			return newer_compositions[i].composite;
	pair[0] = first;
	pair[1] = second;
	if (utf8proc_normalize_utf32(pair, 2, UTF8PROC_STABLE | UTF8PROC_COMPOSE) == 1)
		return pair[0];
	return 0;
}

/* The parts of cp when it is a newer composite utf8proc cannot decompose:
 * returns 1 with *first and *second set. */
static int newer_parts(int32_t cp, int32_t *first, int32_t *second)
{
	size_t i;

	for (i = 0; i < COUNT(newer_compositions); i++) {
		if (newer_compositions[i].composite == cp && unknown(cp)) {
			*first = newer_compositions[i].first;
			*second = newer_compositions[i].second;
			return 1;
		}
	}
	return 0;
}

/* Code points with their corrected classes, as the slow path works on
 * them. */
struct cps {
	int32_t *cp;
	unsigned char *ccc;
	size_t n, cap;
};

static void cps_push(struct cps *c, int32_t cp)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->cp = Pa_xrealloc(c->cp, c->cap * sizeof(*c->cp));
		c->ccc = Pa_xrealloc(c->ccc, c->cap);
	}
	c->cp[c->n] = cp;
	c->ccc[c->n] = (unsigned char)combining_class(cp);
	c->n++;
}

/* Appends cp fully decomposed by the newer compositions (utf8proc has
 * decomposed everything it knows). */
static void push_decomposed(struct cps *c, int32_t cp, int depth)
{
	int32_t first, second;

	/* The parts of a newer composite are at most two levels deep; the
	 * bound only guards against a table that says otherwise. */
	if (depth < 8 && newer_parts(cp, &first, &second)) {
		push_decomposed(c, first, depth + 1);
		push_decomposed(c, second, depth + 1);
		return;
	}
	cps_push(c, cp);
}

/* Sorts c[from..to) by class, keeping the order of equal classes.  Runs
 * of marks are short, but a hostile text can make one as long as itself:
 * past a few marks, a counting sort through tmp_cp and tmp_ccc (room for
 * c->n). */
static void sort_marks(struct cps *c, size_t from, size_t to, int32_t *tmp_cp,
                       unsigned char *tmp_ccc)
{
	size_t i, j, n = to - from, count[257];

	if (n <= 32) {
		for (i = from + 1; i < to; i++) {
			int32_t cp = c->cp[i];
			unsigned char k = c->ccc[i];
			for (j = i; j > from && c->ccc[j - 1] > k; j--) {
				c->cp[j] = c->cp[j - 1];
				c->ccc[j] = c->ccc[j - 1];
			}
			c->cp[j] = cp;
			c->ccc[j] = k;
		}
		return;
	}
	memset(count, 0, sizeof(count));
	for (i = from; i < to; i++)
		count[c->ccc[i] + 1]++;
	for (i = 1; i < 257; i++)
		count[i] += count[i - 1];
	for (i = from; i < to; i++) {
		size_t at = count[c->ccc[i]]++;
		tmp_cp[at] = c->cp[i];
		tmp_ccc[at] = c->ccc[i];
	}
	memcpy(c->cp + from, tmp_cp, n * sizeof(*c->cp));
	memcpy(c->ccc + from, tmp_ccc, n);
}

/* Canonical ordering by the corrected classes: each run of marks sorted,
 * equal classes kept in their order (slow_normalize() decomposes character by
 * character, so the runs come here as the text has them). */
static void reorder(struct cps *c)
{
	int32_t *tmp_cp = NULL;
	unsigned char *tmp_ccc = NULL;
	size_t i = 0;

	while (i < c->n) {
		size_t end;

		if (c->ccc[i] == 0) {
			i++;
			continue;
		}
		for (end = i + 1; end < c->n && c->ccc[end] != 0; end++)
			;
		if (end - i > 32 && !tmp_cp) {
			tmp_cp = Pa_xmalloc(c->n * sizeof(*tmp_cp));
			tmp_ccc = Pa_xmalloc(c->n);
		}
		if (end - i > 1)
			sort_marks(c, i, end, tmp_cp, tmp_ccc);
		i = end;
	}
	free(tmp_cp);
	free(tmp_ccc);
}

/* Canonical composition by the corrected classes, in place: a character
 * composes with the last starter unless a character between them has
 * class 0 or one not lower than its own. */
static void compose(struct cps *c)
{
	size_t i, out = 0, starter = SIZE_MAX;
	int last = -1; /* class of the last character kept since the starter */

	for (i = 0; i < c->n; i++) {
		int32_t cp = c->cp[i], composite;
		int k = c->ccc[i];

		if (starter != SIZE_MAX && (last == -1 || last < k) &&
		    (composite = compose_pair(c->cp[starter], cp)) != 0) {
			c->cp[starter] = composite;
			continue; /* cp is gone; last stays */
		}
		if (k == 0) {
			starter = out;
			last = -1;
		} else {
			last = k;
		}
		c->cp[out] = cp;
		c->ccc[out] = (unsigned char)k;
		out++;
	}
	c->n = out;
}

/* NFKC of text[0..len) done here, with the corrected classes and the
 * newer compositions: utf8proc decomposes each character, this file
 * reorders and composes.  For the rare text with characters utf8proc does
 * not know, and for a long stretch: utf8proc reorders the marks of a
 * whole string by exchanging neighbours, which a run of marks of two
 * classes in turn makes quadratic (claude counted 80 KB of them in 3.7 s,
 * 320 KB in a minute); reorder() sorts a long run by counting. */
static pa_status slow_normalize(const char *text, size_t len, int compat,
                                pa_buf *out, pa_error *err)
{
	const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_DECOMPOSE |
	                               (compat ? UTF8PROC_COMPAT : 0);
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
	utf8proc_int32_t parts[64];
	struct cps c = { NULL, NULL, 0, 0 };
	size_t i = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t step = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp), n, k;
		int bound = 0;

		n = step > 0 ? utf8proc_decompose_char(cp, parts, 64, opts, &bound)
		             : step;
		if (n < 0 || n > 64) {
			free(c.cp);
			free(c.ccc);
			return Pa_error_set(err, n == UTF8PROC_ERROR_NOMEM ? PA_ERR_NOMEM : PA_ERR_UTF8,
			                    NULL, 0, 0, "cannot normalize: %s",
			                    utf8proc_errmsg(n < 0 ? n : UTF8PROC_ERROR_OVERFLOW));
		}
		for (k = 0; k < n; k++)
			push_decomposed(&c, parts[k], 0);
		i += (size_t)step;
	}
	reorder(&c);
	compose(&c);
	for (i = 0; i < c.n; i++) {
		utf8proc_uint8_t u[4];
		pa_buf_put(out, u, (size_t)utf8proc_encode_char(c.cp[i], u));
	}
	free(c.cp);
	free(c.ccc);
	return PA_OK;
}

/* Stretches longer than this are normalized by slow_normalize(), in linear
 * time; utf8proc's exchanges cost at most a few thousand below it. */
#define UTF8PROC_MOST 256

/* text mapped by utf8proc with options onto out. */
static pa_status map_onto(const char *text, size_t len, utf8proc_option_t options,
                          pa_buf *out, pa_error *err)
{
	utf8proc_uint8_t *norm = NULL;
	utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)text,
	                                  (utf8proc_ssize_t)len, &norm, options);

	if (n < 0)
		return Pa_error_set(err, n == UTF8PROC_ERROR_NOMEM ? PA_ERR_NOMEM : PA_ERR_UTF8,
		                    NULL, 0, 0, "cannot normalize: %s", utf8proc_errmsg(n));
	pa_buf_put(out, norm, (size_t)n);
	free(norm);
	return PA_OK;
}

/* Appends the NFKC form of text[0..len) (valid UTF-8) to out. */
static pa_status nfkc_stretch(const char *text, size_t len, pa_buf *out,
                              pa_buf *mapped, pa_error *err)
{
	int need = corrections_needed(text, len);

	if (need & MAPPED) {
		pa_buf_reset(mapped);
		map_newer(text, len, mapped);
		text = mapped->ptr;
		len = mapped->len;
		need = corrections_needed(text, len);
	}
	if ((need & SLOW) || len > UTF8PROC_MOST)
		return slow_normalize(text, len, 1, out, err);
	return map_onto(text, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT,
	                out, err);
}

/* The characters NFKC leaves as they are whatever surrounds them
 * (generated by tests/tokenizer/gen-nfkc.mjs, which says when that is):
 * bit cp & 7 of stable_block[stable_stage1[cp >> 8]][(cp & 0xFF) >> 3]. */
#include "nfkc_stable.inc"

int Pa_nfkc_stable(uint32_t cp)
{
	return cp < 0x110000 &&
	       (stable_block[stable_stage1[cp >> 8]][(cp & 0xFF) >> 3] >> (cp & 7) & 1);
}

/* The length of the character at s (valid UTF-8, not ASCII) and, in *cp,
 * the code point. */
static inline size_t decode_valid(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0xE0) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0) {
		*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return 3;
	}
	*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
	      (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
	return 4;
}

/* Whether the character at s (valid UTF-8) is stable, and its length. */
static inline int stable_at(const unsigned char *s, size_t *n)
{
	uint32_t cp;

	if (s[0] < 0x80) { /* ASCII: all stable */
		*n = 1;
		return 1;
	}
	*n = decode_valid(s, &cp);
	return Pa_nfkc_stable(cp);
}

/*
 * The NFKC forms of the short stretches one text sent through utf8proc,
 * by their bytes.  The scripts of India write a vowel sign or a virama
 * after most consonants, marks that are not stable: 2 MB of Hindi, Tamil,
 * Bengali and Telugu make 80,000 stretches, each a consonant and a mark,
 * of a few hundred kinds, and utf8proc (an allocation and a decomposition
 * each time) took more time than counting their tokens.  Direct-mapped,
 * made once a text has sent MEMO_AFTER stretches through utf8proc (made
 * with the first, its 32 KB made a short Hindi text count twice as slowly:
 * check and trim count many); exact, as a stretch's form depends on its
 * bytes alone.
 */
#define MEMO_AFTER 16
#define MEMO_SLOTS 512
#define MEMO_IN 22
#define MEMO_OUT 40

struct stretch_memo {
	uint8_t in_len; /* 0: empty */
	uint8_t out_len;
	unsigned char in[MEMO_IN];
	unsigned char out[MEMO_OUT];
};

static struct stretch_memo *memo_slot(struct stretch_memo *memo,
                                      const char *text, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)text[i]) * 0x100000001B3ull;
	return memo + ((h ^ h >> 29) & (MEMO_SLOTS - 1));
}

/* nfkc_stretch(), through the memo when the stretch is short and the
 * text has had *seen stretches before. */
static pa_status nfkc_stretch_memo(const char *text, size_t len, pa_buf *out,
                                   pa_buf *mapped, struct stretch_memo **memo,
                                   size_t *seen, pa_error *err)
{
	struct stretch_memo *m;
	size_t before = out->len;
	pa_status st;

	if (len > MEMO_IN)
		return nfkc_stretch(text, len, out, mapped, err);
	if (!*memo) {
		if (++*seen < MEMO_AFTER)
			return nfkc_stretch(text, len, out, mapped, err);
		*memo = Pa_xcalloc(MEMO_SLOTS, sizeof(**memo));
	}
	m = memo_slot(*memo, text, len);
	if (m->in_len == len && memcmp(m->in, text, len) == 0) {
		pa_buf_put(out, m->out, m->out_len);
		return PA_OK;
	}
	st = nfkc_stretch(text, len, out, mapped, err);
	if (st == PA_OK && out->len - before <= MEMO_OUT) {
		m->in_len = (uint8_t)len;
		memcpy(m->in, text, len);
		m->out_len = (uint8_t)(out->len - before);
		memcpy(m->out, out->ptr + before, m->out_len);
	}
	return st;
}

/* How many ASCII bytes start at s[i], which is one: the whole run, 8
 * bytes at a time. */
static inline size_t ascii_run_at(const unsigned char *s, size_t len, size_t i)
{
	size_t j = i;

	while (j + 8 <= len) {
		size_t n = pa_ascii_run8(s + j);

		j += n;
		if (n < 8)
			return j - i;
	}
	while (j < len && s[j] < 0x80)
		j++;
	return j - i;
}

size_t Pa_nfkc_stable_prefix(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;

	/* The byte decides first whether to look for a run of ASCII: a text
	 * of Chinese or Cyrillic tried a word of 8 bytes at every character,
	 * a fifth of the cost of this check. */
	while (i < len) {
		if (s[i] < 0x80) {
			i += ascii_run_at(s, len, i);
			continue;
		}
		if ((s[i] & 0xF0) == 0xE0) {
			/* A run of characters of three bytes (Chinese, Japanese,
			 * Korean, the scripts of India, Thai), decoded here
			 * without the tests of the other lengths: 31
			 * instructions a character, where stable_at() took 36
			 * (claude's count of Chinese spent 15% of its
			 * instructions in this function). */
			size_t j = i;

			while (len - j >= 3 && (s[j] & 0xF0) == 0xE0 &&
			       Pa_nfkc_stable((uint32_t)(s[j] & 0x0F) << 12 |
			                      (uint32_t)(s[j + 1] & 0x3F) << 6 | (s[j + 2] & 0x3F)))
				j += 3;
			if (j > i) {
				i = j;
				continue;
			}
		}
		if (!stable_at(s + i, &n))
			break;
		i += n;
	}
	return i;
}

/* Appends the NFKC form of valid UTF-8 text to out.  A stable character
 * (ASCII, and nearly all of Unicode) is its own NFKC form, nothing before
 * it joins it and nothing after it passes it, so only the stretches of
 * other characters go through utf8proc, each with the character before it
 * (`e` + U+0301 is `é`). */
pa_status Pa_nfkc(const char *text, size_t len, pa_buf *out, pa_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, copied = 0, before = 0, n, stretches = 0;
	pa_buf mapped = PA_BUF_INIT;
	struct stretch_memo *memo = NULL;
	pa_status st = PA_OK;

	pa_buf_grow(out, len);
	while (i < len && st == PA_OK) {
		size_t from, to;

		/* Text is mostly ASCII: a run of stable characters at once
		 * (looked for only from an ASCII byte, as in
		 * Pa_nfkc_stable_prefix()). */
		if (s[i] < 0x80) {
			n = ascii_run_at(s, len, i);
			before = i + n - 1;
			i += n;
			continue;
		}
		if (stable_at(s + i, &n)) {
			before = i;
			i += n;
			continue;
		}
		/* From the character before, unless it is out already (the
		 * end of the stretch before, or the text's start). */
		from = i > 0 && before >= copied ? before : copied;
		to = i + n;
		while (to < len && !stable_at(s + to, &n))
			to += n;
		pa_buf_put(out, text + copied, from - copied);
		st = nfkc_stretch_memo(text + from, to - from, out, &mapped, &memo,
		                       &stretches, err);
		copied = i = to;
	}
	if (st == PA_OK)
		pa_buf_put(out, text + copied, len - copied);
	pa_buf_release(&mapped);
	free(memo);
	return st;
}

/* Appends the NFKC form of valid UTF-8 text to out as Pa_nfkc() did
 * before it knew the stable characters: only ASCII is copied, and every
 * stretch of other characters, with the ASCII character before it, goes
 * through utf8proc.  For tests to compare Pa_nfkc() with. */
pa_status Pa_nfkc_by_stretches(const char *text, size_t len, pa_buf *out,
                               pa_error *err)
{
	size_t i = 0, copied = 0;
	pa_buf mapped = PA_BUF_INIT;
	pa_status st = PA_OK;

	pa_buf_grow(out, len);
	while (i < len && st == PA_OK) {
		size_t from, to;

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
		st = nfkc_stretch(text + from, to - from, out, &mapped, err);
		copied = i = to;
	}
	if (st == PA_OK)
		pa_buf_put(out, text + copied, len - copied);
	pa_buf_release(&mapped);
	return st;
}

/* ---- NFC (qwen3) ---- */

/* The NFC of a stretch: utf8proc's, or for a long stretch (utf8proc's
 * reordering is quadratic in a run of marks) and for one with characters
 * utf8proc does not know, slow_normalize()'s, with the canonical
 * corrections (compositions and classes of Unicode 16 and 17; the newer
 * compatibility mappings are NFKC's only). */
static pa_status nfc_put(const char *text, size_t len, pa_buf *out, pa_error *err)
{
	if (len > UTF8PROC_MOST || (corrections_needed(text, len) & SLOW))
		return slow_normalize(text, len, 0, out, err);
	return map_onto(text, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, out, err);
}

size_t Pa_nfc_quick(const char *text, size_t len)
{
	size_t i;

	/* Every character below U+0300 (lead bytes below 0xCC) is its own NFC
	 * form and composes with nothing before it. */
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] >= 0xCC)
			return i;
	return len;
}

pa_status Pa_nfc(const char *text, size_t len, pa_buf *out, pa_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t from = 0, i = 0;
	pa_status st;

	while (i < len) {
		size_t n;
		uint32_t cp;
		int cut, stable = 0;

		if (s[i] < 0x80) {
			n = 1;
			cut = 1;
		} else {
			n = decode_valid(s + i, &cp);
			/* Nothing composes with a character before it
			 * that is below U+0300 or that NFKC leaves alone
			 * whatever surrounds it, nor reorders with it
			 * (nfkc_stable.inc).  A stable character may still
			 * take marks after it (é and U+0323): it is copied
			 * as it is only when ASCII, another stable
			 * character or the end follows. */
			cut = cp < 0x300 || Pa_nfkc_stable(cp);
			if (cut && Pa_nfkc_stable(cp)) {
				uint32_t next;

				stable = i + n == len || s[i + n] < 0x80 ||
				         (decode_valid(s + i + n, &next), Pa_nfkc_stable(next));
			}
		}
		if (cut && i > from) {
			st = nfc_put(text + from, i - from, out, err);
			if (st != PA_OK)
				return st;
			from = i;
		}
		if (stable) {
			pa_buf_put(out, text + i, n);
			i += n;
			from = i;
			continue;
		}
		if (s[i] < 0x80) {
			/* A run of ASCII is copied, but for its last character
			 * when a mark that may compose with it follows. */
			size_t j = i;

			while (j < len && s[j] < 0x80)
				j++;
			if (j < len && s[j] >= 0xCC)
				j--;
			pa_buf_put(out, text + i, j - i);
			from = j;
			i = j > i ? j : i + 1;
			continue;
		}
		i += n;
	}
	return i > from ? nfc_put(text + from, i - from, out, err) : PA_OK;
}
