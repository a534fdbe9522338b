/*
 * pretok.c - the pre-tokenizer: tiktoken's regex split, by hand for the
 * known patterns and with PCRE2 for any other.  See pretok.h.
 *
 * The hand scanners follow the regex alternative by alternative, in
 * order, so that each `return` below is "this alternative matched here";
 * a comment before each names the alternative.  They look at a character
 * only through its class (one byte: see pa_pretok_class()), read from a
 * table of the Basic Multilingual Plane that each scanner object builds
 * once, so a non-ASCII character costs a decode and a load.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "pretok.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum {
	K_LU = PA_PRETOK_LU,
	K_LL = PA_PRETOK_LL,
	K_LT = PA_PRETOK_LT,
	K_LM = PA_PRETOK_LM,
	K_LO = PA_PRETOK_LO,
	K_M = PA_PRETOK_M,
	K_N = PA_PRETOK_N,
	K_WS = PA_PRETOK_WS,
	K_L = K_LU | K_LL | K_LT | K_LM | K_LO,     /* \p{L} */
	K_U = K_LU | K_LT | K_LM | K_LO | K_M,      /* o200k's [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] */
	K_W = K_LL | K_LM | K_LO | K_M,             /* o200k's [\p{Ll}\p{Lm}\p{Lo}\p{M}] */
	K_LNS = K_L | K_N | K_WS                    /* what [^\s\p{L}\p{N}] leaves out */
};

/* ---------------------------------------------------------------------
 * Character classes
 * ------------------------------------------------------------------- */

/*
 * The classes of Unicode 16.0 (tiktoken's regex crate) where the Unicode
 * of utf8proc 2.4 to 2.9 (Unicode 12.1 to 15.1) says otherwise: code
 * points assigned since 12.1 as letters, marks or numbers, and the few
 * whose category changed.  With any of those utf8proc versions (and with
 * 2.10, Unicode 16.0, which needs no correction) the hand scanners then
 * classify every code point as tiktoken does.  A utf8proc for Unicode 17
 * or later would make the letters assigned in 17.0 letters while tiktoken
 * still sees unassigned code points; the unit test notices (it compares
 * every code point with PCRE2's tables outside this list).
 *
 * The table is generated from the Unicode Character Database of each of
 * those versions by tests/tokenizer/gen-pretok-classes.mjs, whose --check
 * also compares every code point with the installed utf8proc and with
 * tiktoken's own regex.  Sorted, not overlapping.
 */
static const struct {
	uint32_t lo, hi;
	uint8_t cls;
} corrections[] = {
#include "pretok_classes.inc"
};

#define N_CORRECTIONS (sizeof(corrections) / sizeof(corrections[0]))

/* The White_Space property, which is what `\s` means in Rust's regex
 * crate (not Python's \s: U+001C-001F are not in it; nor U+180E, U+200B,
 * U+FEFF).  It has not changed since Unicode 6.3. */
static int is_white_space(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20;
	return cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static unsigned class_of_category(utf8proc_category_t cat)
{
	switch (cat) {
	case UTF8PROC_CATEGORY_LU: return K_LU;
	case UTF8PROC_CATEGORY_LL: return K_LL;
	case UTF8PROC_CATEGORY_LT: return K_LT;
	case UTF8PROC_CATEGORY_LM: return K_LM;
	case UTF8PROC_CATEGORY_LO: return K_LO;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME: return K_M;
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: return K_N;
	default: return 0;
	}
}

/* Index of the correction covering cp, or -1. */
static long find_correction(uint32_t cp)
{
	size_t lo = 0, hi = N_CORRECTIONS;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < corrections[mid].lo)
			hi = mid;
		else if (cp > corrections[mid].hi)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

unsigned pa_pretok_class(uint32_t cp)
{
	long k;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	if (is_white_space(cp))
		return K_WS;
	k = find_correction(cp);
	if (k >= 0)
		return corrections[k].cls;
	return class_of_category(utf8proc_category((utf8proc_int32_t)cp));
}

int pa_pretok_class_corrected(uint32_t cp)
{
	return find_correction(cp) >= 0;
}

/* Fills the class table of the Basic Multilingual Plane. */
static void fill_bmp(uint8_t *bmp)
{
	uint32_t cp;
	size_t k;

	for (cp = 0; cp < 0x10000; cp++) {
		if (is_white_space(cp))
			bmp[cp] = K_WS;
		else if (cp >= 0xD800 && cp <= 0xDFFF)
			bmp[cp] = 0;
		else
			bmp[cp] = (uint8_t)class_of_category(
				utf8proc_category((utf8proc_int32_t)cp));
	}
	for (k = 0; k < N_CORRECTIONS && corrections[k].lo < 0x10000; k++)
		for (cp = corrections[k].lo; cp <= corrections[k].hi; cp++)
			bmp[cp] = corrections[k].cls;
}

/* ---------------------------------------------------------------------
 * Hand scanners
 *
 * Each takes the text s[0..len) and a position i < len at the start of a
 * character, and returns the end of the piece that starts at i.
 * ------------------------------------------------------------------- */

/*
 * The class of the character at s[i] and its length in *n.  The text is
 * valid UTF-8 by contract; if it is not, this still never reads past
 * s[len - 1] and never returns n == 0 (a byte that cannot start a
 * character counts as one character of class 0).
 */
static inline unsigned cls_at(const uint8_t *bmp, const unsigned char *s,
                              size_t len, size_t i, size_t *n)
{
	unsigned b = s[i];
	uint32_t cp;

	if (b < 0x80) {
		*n = 1;
		return bmp[b];
	}
	if (b < 0xE0) {
		if (b < 0xC2 || len - i < 2)
			goto bad;
		*n = 2;
		return bmp[((b & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu)];
	}
	if (b < 0xF0) {
		if (len - i < 3)
			goto bad;
		*n = 3;
		return bmp[((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) |
		           (s[i + 2] & 0x3Fu)];
	}
	if (b < 0xF5 && len - i >= 4) {
		cp = ((b & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) |
		     ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
		*n = 4;
		return pa_pretok_class(cp);
	}
bad:
	*n = 1;
	return 0;
}

/* The end of the run of characters from j whose class has a bit of mask. */
static inline size_t run_in(const uint8_t *bmp, const unsigned char *s,
                            size_t len, size_t j, unsigned mask)
{
	size_t n;

	while (j < len && (cls_at(bmp, s, len, j, &n) & mask))
		j += n;
	return j;
}

/* The end of the run of characters from j whose class has no bit of mask. */
static inline size_t run_out(const uint8_t *bmp, const unsigned char *s,
                             size_t len, size_t j, unsigned mask)
{
	size_t n;

	while (j < len && !(cls_at(bmp, s, len, j, &n) & mask))
		j += n;
	return j;
}

/* [\r\n]* or, with slash, [\r\n/]* */
static inline size_t run_newlines(const unsigned char *s, size_t len,
                                  size_t j, int slash)
{
	while (j < len && (s[j] == '\r' || s[j] == '\n' || (slash && s[j] == '/')))
		j++;
	return j;
}

/* Up to three characters of \p{N}, the first at i (of length n). */
static inline size_t digits3(const uint8_t *bmp, const unsigned char *s,
                             size_t len, size_t i, size_t n)
{
	size_t j = i + n;
	int k;

	for (k = 0; k < 2 && j < len; k++) {
		if (!(cls_at(bmp, s, len, j, &n) & K_N))
			break;
		j += n;
	}
	return j;
}

/*
 * A contraction at s[i] == '\'': 's 't 're 've 'm 'll 'd.  With fold, as
 * (?i:...) matches them in Rust: simple case folding, under which the
 * only characters equivalent to these letters are their ASCII capitals
 * and U+017F LATIN SMALL LETTER LONG S (ſ, equivalent to s).  Returns the
 * end, or 0 when there is none.
 */
static inline size_t contraction(const unsigned char *s, size_t len,
                                 size_t i, int fold)
{
	unsigned c, want;

	if (len - i < 2)
		return 0;
	c = s[i + 1];
	if (fold) {
		if (c == 0xC5 && len - i >= 3 && s[i + 2] == 0xBF)
			return i + 3;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
	}
	switch (c) {
	case 's': case 't': case 'm': case 'd':
		return i + 2;
	case 'r': case 'v':
		want = 'e';
		break;
	case 'l':
		want = 'l';
		break;
	default:
		return 0;
	}
	if (len - i < 3)
		return 0;
	c = s[i + 2];
	if (fold && c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	return c == want ? i + 3 : 0;
}

/* o200k's optional (?i:'s|'t|'re|'ve|'m|'ll|'d)? after a word ending at e. */
static inline size_t contraction_opt(const unsigned char *s, size_t len,
                                     size_t e)
{
	size_t c;

	if (e < len && s[e] == '\'' && (c = contraction(s, len, e, 1)) != 0)
		return c;
	return e;
}

/*
 * The whitespace alternatives at a White_Space character i, in order:
 * `\s*[\r\n]+` (only when newlines, as cl100k and o200k have it),
 * `\s+(?!\S)`, `\s+`.
 *
 * \s*[\r\n]+: \s* first takes the whole run, then gives back characters
 * until [\r\n]+ can match, so the piece ends just after the run's last \r
 * or \n.  \s+(?!\S): the run, given back one character when a non-space
 * follows (then the run's last character is a space, so (?!\S) holds);
 * a run of one character followed by a non-space fails, and \s+ takes it.
 */
static size_t white_space(const uint8_t *bmp, const unsigned char *s,
                          size_t len, size_t i, int newlines)
{
	size_t j = i, last = i, nl_end = 0, n;

	while (j < len && (cls_at(bmp, s, len, j, &n) & K_WS)) {
		if (s[j] == '\r' || s[j] == '\n')
			nl_end = j + 1;
		last = j;
		j += n;
	}
	if (newlines && nl_end)
		return nl_end;
	if (j == len || last == i)
		return j;
	return last;
}

/*
 * cl100k_base:
 *   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
 *    ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 */
static size_t next_cl100k(const uint8_t *bmp, const unsigned char *s,
                          size_t len, size_t i)
{
	unsigned b = s[i], c0, c1;
	size_t n0, n1 = 0, e;

	/* (?i:'s|...) comes first: "'sa" is "'s" then "a". */
	if (b == '\'' && (e = contraction(s, len, i, 1)) != 0)
		return e;
	c0 = cls_at(bmp, s, len, i, &n0);
	/* [^\r\n\p{L}\p{N}]?\p{L}+, without the optional character. */
	if (c0 & K_L)
		return run_in(bmp, s, len, i + n0, K_L);
	if (c0 & K_N)
		return digits3(bmp, s, len, i, n0);
	/* The class of the next character; at the end of the text, one
	 * that none of the tests below accepts. */
	c1 = i + n0 < len ? cls_at(bmp, s, len, i + n0, &n1) : K_WS;
	/* [^\r\n\p{L}\p{N}]?\p{L}+ with it: a space, tab, NBSP, mark,
	 * apostrophe or other punctuation before letters. */
	if ((c1 & K_L) && b != '\r' && b != '\n')
		return run_in(bmp, s, len, i + n0 + n1, K_L);
	/*  ?[^\s\p{L}\p{N}]+[\r\n]* */
	if (!(c0 & K_WS))
		return run_newlines(s, len, run_out(bmp, s, len, i + n0, K_LNS), 0);
	if (b == ' ' && !(c1 & K_LNS))
		return run_newlines(s, len, run_out(bmp, s, len, i + 1 + n1, K_LNS), 0);
	return white_space(bmp, s, len, i, 1);
}

/*
 * The letters of an o200k word from a:
 *   alternative 1: [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+
 *   alternative 2: [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*
 * (U and W below).  Returns where alternative 1 ends, or 0 when it does
 * not match, and stores in *u_end the end of the U run from a, which is
 * where alternative 2 ends when that run is not empty.
 *
 * Alternative 1: U* takes the whole U run [a, b).  If s[b] is in W (being
 * outside U, it is then an Ll), W+ takes the W run from b.  If not, U*
 * gives back characters until one in W (an Lm, Lo or M of the run) is
 * next; W+ takes that one only, as what follows it in the run is Lu or
 * Lt.  With no W in the run, alternative 1 fails here.
 * Alternative 2: U+ takes [a, b); W* takes nothing, as s[b] is not in W.
 */
static inline size_t o200k_word(const uint8_t *bmp, const unsigned char *s,
                                size_t len, size_t a, size_t *u_end)
{
	size_t j = a, w_end = 0, n = 0;
	unsigned c = 0;

	while (j < len) {
		c = cls_at(bmp, s, len, j, &n);
		if (!(c & K_U))
			break;
		j += n;
		if (c & K_W)
			w_end = j;
	}
	*u_end = j;
	if (j < len && (c & K_LL))
		return run_in(bmp, s, len, j + n, K_W);
	return w_end;
}

/*
 * o200k_base:
 *   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|...)?|
 *   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|...)?|
 *   \p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
 *
 * The order the two word alternatives are tried in: 1 with the optional
 * first character, 1 without, 2 with, 2 without.  A mark is both a
 * possible first character and a word character; "\u0301A " is "\u0301"
 * (alternative 1 without the first character) then "A" then " ".
 */
static size_t next_o200k(const uint8_t *bmp, const unsigned char *s,
                         size_t len, size_t i)
{
	unsigned b = s[i], c0, c1;
	size_t n0, n1, e, u_end;

	c0 = cls_at(bmp, s, len, i, &n0);
	if (!(c0 & (K_L | K_N)) && b != '\r' && b != '\n') {
		/* [^\r\n\p{L}\p{N}] present (a space, punctuation, mark ...). */
		if (i + n0 < len) {
			e = o200k_word(bmp, s, len, i + n0, &u_end);
			if (e)
				return contraction_opt(s, len, e);
		} else {
			u_end = i + n0;
		}
		/* Alternative 1 without it: only a mark can start a word,
		 * and as it is in W as well, alternative 1 matches. */
		if (c0 & K_M)
			return contraction_opt(s, len, o200k_word(bmp, s, len, i, &u_end));
		/* Alternative 2 with it. */
		if (u_end > i + n0)
			return contraction_opt(s, len, u_end);
	} else if (c0 & K_L) {
		e = o200k_word(bmp, s, len, i, &u_end);
		return contraction_opt(s, len, e ? e : u_end);
	}
	/* \p{N}{1,3} */
	if (c0 & K_N)
		return digits3(bmp, s, len, i, n0);
	/*  ?[^\s\p{L}\p{N}]+[\r\n/]* */
	if (!(c0 & K_WS))
		return run_newlines(s, len, run_out(bmp, s, len, i + n0, K_LNS), 1);
	if (b == ' ' && i + 1 < len) {
		c1 = cls_at(bmp, s, len, i + 1, &n1);
		if (!(c1 & K_LNS))
			return run_newlines(s, len,
			                    run_out(bmp, s, len, i + 1 + n1, K_LNS), 1);
	}
	return white_space(bmp, s, len, i, 1);
}

/*
 * claude, GPT-2, r50k_base, p50k_base:
 *   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * The contractions are case-sensitive here: "'S" is "'" then "S".
 */
static size_t next_gpt2(const uint8_t *bmp, const unsigned char *s,
                        size_t len, size_t i)
{
	unsigned b = s[i], c0, c1;
	size_t n0, n1, e;

	if (b == '\'' && (e = contraction(s, len, i, 0)) != 0)
		return e;
	c0 = cls_at(bmp, s, len, i, &n0);
	if (c0 & K_L)
		return run_in(bmp, s, len, i + n0, K_L);
	if (b == ' ' && i + 1 < len) {
		c1 = cls_at(bmp, s, len, i + 1, &n1);
		if (c1 & K_L)
			return run_in(bmp, s, len, i + 1 + n1, K_L);
		if (c1 & K_N)
			return run_in(bmp, s, len, i + 1 + n1, K_N);
		if (!(c1 & K_LNS))
			return run_out(bmp, s, len, i + 1 + n1, K_LNS);
	}
	if (c0 & K_N)
		return run_in(bmp, s, len, i + n0, K_N);
	if (!(c0 & K_WS))
		return run_out(bmp, s, len, i + n0, K_LNS);
	return white_space(bmp, s, len, i, 0);
}

/* ---------------------------------------------------------------------
 * The PCRE2 path
 * ------------------------------------------------------------------- */

/* What \s and \w mean in Rust's regex crate, as PCRE2 class contents:
 * White_Space, and UTS #18's word characters. */
#define WS_ITEMS "\\t-\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}" \
                 "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}"
#define WORD_ITEMS "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\x{200C}\\x{200D}"

/*
 * Translates one bracketed class starting at pat[i] == '['.  Returns the
 * index after its closing ']' (or of the pattern's end, when the class is
 * not closed), or 0 for a class PCRE2 would read differently and that is
 * not translated (nested classes and set operations, which PCRE2 takes
 * literally).
 *
 * \s and \w inside become their items.  \S and \W have no item form, so a
 * class holding them becomes a group: [X\S] is (?:[X]|[^ws]) and [^X\S]
 * (white space that is not X) is (?:(?![X])[ws]).
 */
static size_t translate_class(const char *pat, size_t i, pa_buf *out)
{
	pa_buf items = PA_BUF_INIT;
	const char *neg_items[2];
	size_t j = i + 1, n_neg = 0, k;
	int negated = 0;

	if (pat[j] == '^') {
		negated = 1;
		j++;
	}
	if (pat[j] == ']') {            /* a ']' first is a literal */
		pa_buf_puts(&items, "\\]");
		j++;
	}
	for (;;) {
		char c = pat[j];

		if (c == '\0') {
			/* Unterminated: left as it is for PCRE2 to report. */
			pa_buf_puts(out, pat + i);
			pa_buf_release(&items);
			return j;
		}
		if (c == ']')
			break;
		if (c == '\\' && pat[j + 1] != '\0') {
			switch (pat[j + 1]) {
			case 's': pa_buf_puts(&items, WS_ITEMS); break;
			case 'w': pa_buf_puts(&items, WORD_ITEMS); break;
			case 'S':
			case 'W': {
				const char *what = pat[j + 1] == 'S' ? WS_ITEMS : WORD_ITEMS;
				for (k = 0; k < n_neg && neg_items[k] != what; k++)
					;
				if (k == n_neg)
					neg_items[n_neg++] = what;
				break;
			}
			default:
				pa_buf_put(&items, pat + j, 2);
				break;
			}
			j += 2;
			continue;
		}
		if (c == '[') {
			if (pat[j + 1] == ':') {        /* [:alpha:] */
				const char *close = strstr(pat + j + 2, ":]");
				if (!close) {
					pa_buf_puts(out, pat + i);
					pa_buf_release(&items);
					return j + strlen(pat + j);
				}
				pa_buf_put(&items, pat + j, (size_t)(close + 2 - (pat + j)));
				j = (size_t)(close + 2 - pat);
				continue;
			}
			goto fail;              /* a nested class in Rust */
		}
		if ((c == '&' || c == '-' || c == '~') && pat[j + 1] == c)
			goto fail;              /* &&, --, ~~: set operations */
		pa_buf_putc(&items, c);
		j++;
	}
	if (n_neg == 0) {
		pa_buf_puts(out, negated ? "[^" : "[");
		pa_buf_put(out, items.ptr, items.len);
		pa_buf_putc(out, ']');
	} else if (!negated) {
		pa_buf_puts(out, "(?:");
		if (items.len)
			pa_buf_printf(out, "[%s]|", items.ptr);
		for (k = 0; k < n_neg; k++)
			pa_buf_printf(out, "%s[^%s]", k ? "|" : "", neg_items[k]);
		pa_buf_putc(out, ')');
	} else {
		pa_buf_puts(out, "(?:");
		if (items.len)
			pa_buf_printf(out, "(?![%s])", items.ptr);
		for (k = 0; k + 1 < n_neg; k++)
			pa_buf_printf(out, "(?=[%s])", neg_items[k]);
		pa_buf_printf(out, "[%s])", neg_items[n_neg - 1]);
	}
	pa_buf_release(&items);
	return j + 1;
fail:
	pa_buf_release(&items);
	return 0;
}

/* Rewrites a Rust pattern for PCRE2.  Returns 0, or the offset of a class
 * that cannot be translated plus one. */
static size_t translate(const char *pat, pa_buf *out)
{
	size_t i = 0;

	while (pat[i]) {
		if (pat[i] == '\\' && pat[i + 1] != '\0') {
			switch (pat[i + 1]) {
			case 's': pa_buf_puts(out, "[" WS_ITEMS "]"); break;
			case 'S': pa_buf_puts(out, "[^" WS_ITEMS "]"); break;
			case 'w': pa_buf_puts(out, "[" WORD_ITEMS "]"); break;
			case 'W': pa_buf_puts(out, "[^" WORD_ITEMS "]"); break;
			default: pa_buf_put(out, pat + i, 2); break;
			}
			i += 2;
		} else if (pat[i] == '[') {
			size_t next = translate_class(pat, i, out);
			if (next == 0)
				return i + 1;
			i = next;
		} else {
			pa_buf_putc(out, pat[i++]);
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Objects
 * ------------------------------------------------------------------- */

enum pretok_kind { PRETOK_REGEX, PRETOK_CL100K, PRETOK_O200K, PRETOK_GPT2 };

struct pa_pretok {
	enum pretok_kind kind;
	uint8_t *bmp;                   /* hand scanners: BMP classes */
	pcre2_code *code;               /* the rest: PCRE2 */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	int jit;                        /* 1 when code is JIT-compiled */
};

static const struct {
	const char *pattern;
	enum pretok_kind kind;
} known[] = {
	{ "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|"
	  " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
	  PRETOK_CL100K },
	{ "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*"
	  "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
	  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
	  "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
	  "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|"
	  "\\s+(?!\\S)|\\s+",
	  PRETOK_O200K },
	{ "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|"
	  "\\s+(?!\\S)|\\s+",
	  PRETOK_GPT2 },
	{ "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|"
	  "\\s+(?!\\S)|\\s+",
	  PRETOK_GPT2 },
};

pa_status pa_pretok_new_regex(const char *pattern, pa_pretok **out,
                              pa_error *err)
{
	pa_buf tr = PA_BUF_INIT;
	pa_pretok *p;
	pcre2_compile_context *cctx;
	pcre2_code *code;
	PCRE2_SIZE erroff;
	int errcode;
	size_t bad;
	uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY |
	                   PCRE2_NEVER_BACKSLASH_C;

	*out = NULL;
	bad = translate(pattern, &tr);
	if (bad) {
		pa_buf_release(&tr);
		pa_error_set(err, PA_ERR_INVALID, NULL, 0, 0,
		             "cannot use pre-tokenizer pattern: nested character "
		             "classes and class set operations are not supported "
		             "(offset %zu)", bad - 1);
		if (err)
			err->offset = (long long)(bad - 1);
		return PA_ERR_INVALID;
	}
	cctx = pcre2_compile_context_create(NULL);
	if (!cctx) {
		pa_buf_release(&tr);
		return pa_error_set(err, PA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	/* Rust's `.` stops at \n only; so do (?m)'s ^ and $. */
	pcre2_set_newline(cctx, PCRE2_NEWLINE_LF);
	code = pcre2_compile((PCRE2_SPTR)tr.ptr, tr.len, options, &errcode,
	                     &erroff, cctx);
	if (!code) {
		PCRE2_UCHAR msg[256];
		PCRE2_SIZE orig_off;
		int orig_code;
		pcre2_code *orig;

		/* Report the offset in the pattern as written when the
		 * untranslated pattern fails too (it nearly always does). */
		orig = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
		                     options, &orig_code, &orig_off, cctx);
		if (orig) {
			pcre2_code_free(orig);
		} else {
			errcode = orig_code;
			erroff = orig_off;
		}
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		pcre2_compile_context_free(cctx);
		pa_buf_release(&tr);
		pa_error_set(err, PA_ERR_PARSE, NULL, 0, 0,
		             "cannot compile pre-tokenizer pattern at offset %zu: %s",
		             (size_t)erroff, (const char *)msg);
		if (err)
			err->offset = (long long)erroff;
		return PA_ERR_PARSE;
	}
	pcre2_compile_context_free(cctx);
	pa_buf_release(&tr);

	p = pa_xcalloc(1, sizeof(*p));
	p->kind = PRETOK_REGEX;
	p->code = code;
	p->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	p->md = pcre2_match_data_create(1, NULL);
	p->mctx = pcre2_match_context_create(NULL);
	if (!p->md || !p->mctx) {
		pa_pretok_free(p);
		return pa_error_set(err, PA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	if (p->jit) {
		/* The default 32 KiB machine stack runs out on long pieces
		 * of patterns that backtrack through groups. */
		p->jit_stack = pcre2_jit_stack_create(32 * 1024, 8 * 1024 * 1024, NULL);
		if (p->jit_stack)
			pcre2_jit_stack_assign(p->mctx, NULL, p->jit_stack);
	}
	*out = p;
	return PA_OK;
}

pa_status pa_pretok_new(const char *pattern, pa_pretok **out, pa_error *err)
{
	size_t k;
	pa_pretok *p;

	for (k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
		if (strcmp(pattern, known[k].pattern) != 0)
			continue;
		p = pa_xcalloc(1, sizeof(*p));
		p->kind = known[k].kind;
		p->bmp = pa_xmalloc(0x10000);
		fill_bmp(p->bmp);
		*out = p;
		return PA_OK;
	}
	return pa_pretok_new_regex(pattern, out, err);
}

void pa_pretok_free(pa_pretok *p)
{
	if (!p)
		return;
	free(p->bmp);
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mctx);
	pcre2_jit_stack_free(p->jit_stack);
	pcre2_code_free(p->code);
	free(p);
}

int pa_pretok_is_regex(const pa_pretok *p)
{
	return p->kind == PRETOK_REGEX;
}

/* A match that failed at byte pos with PCRE2's error rc. */
static int match_error(int rc, size_t pos, pa_error *err)
{
	PCRE2_UCHAR msg[256];

	if (pcre2_get_error_message(rc, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "PCRE2 error %d", rc);
	pa_error_set(err, rc == PCRE2_ERROR_NOMEMORY ? PA_ERR_NOMEM
	                                             : PA_ERR_INVALID,
	             NULL, 0, 0, "%s", (const char *)msg);
	if (err)
		err->offset = (long long)pos;
	return -1;
}

/* The next non-empty match at or after *start. */
static int next_regex(const pa_pretok *p, const unsigned char *s, size_t len,
                      size_t *start, size_t *end, pa_error *err)
{
	size_t pos = *start;

	while (pos < len) {
		PCRE2_SIZE *ov;
		int rc;

		if (p->jit)
			rc = pcre2_jit_match(p->code, s, len, pos, 0, p->md, p->mctx);
		else
			rc = pcre2_match(p->code, s, len, pos, PCRE2_NO_UTF_CHECK,
			                 p->md, p->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc < 0 && p->jit)   /* JIT stack exhausted: interpret */
			rc = pcre2_match(p->code, s, len, pos,
			                 PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, p->md, p->mctx);
		/* A limit or no memory: the rest of the text is not split, so
		 * any count would be short. */
		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
			return match_error(rc, pos, err);
		if (rc < 0)
			return 0;
		ov = pcre2_get_ovector_pointer(p->md);
		if (ov[1] > ov[0] && ov[0] >= pos) {
			*start = ov[0];
			*end = ov[1];
			return 1;
		}
		/* An empty match: as find_iter does, search again from the
		 * next character. */
		pos = ov[0] > pos ? ov[0] : pos;
		if (pos >= len)
			break;
		pos++;
		while (pos < len && (s[pos] & 0xC0) == 0x80)
			pos++;
	}
	return 0;
}

int pa_pretok_next(const pa_pretok *p, const char *text, size_t len,
                   size_t *start, size_t *end, pa_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = *start;

	if (i >= len)
		return 0;
	switch (p->kind) {
	case PRETOK_CL100K:
		*end = next_cl100k(p->bmp, s, len, i);
		return 1;
	case PRETOK_O200K:
		*end = next_o200k(p->bmp, s, len, i);
		return 1;
	case PRETOK_GPT2:
		*end = next_gpt2(p->bmp, s, len, i);
		return 1;
	case PRETOK_REGEX:
		break;
	}
	return next_regex(p, s, len, start, end, err);
}
