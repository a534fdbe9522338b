/*
 * collate.c - JavaScript's localeCompare() order (collate.h): each name
 * made into the collation elements of ICU's root collation, decomposed
 * (NFD), then compared level by level: the base characters, then the
 * accents, then the case; a tie is 0, as localeCompare's.
 */
#include "collate.h"
#include "base.h"

#include <string.h>
#include <utf8proc.h>

/* ICU's root order of ASCII's punctuation and symbols. */
static const char ascii_punct[] = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

enum { CL_SPACE = 1, CL_PUNCT, CL_DIGIT, CL_LATIN, CL_OTHER };

typedef struct elem {
	unsigned long primary;  /* 0: none (an accent) */
	unsigned long secondary;/* 1: none; an accent's code point + 2 */
	unsigned char tertiary; /* 0: lower or caseless; 1: an expansion
	                         * (ß); 2: upper; 3: an upper expansion */
} elem;

/* Latin letters that sort as two (DUCET's expansions). */
static const char *expansion(utf8proc_int32_t c)
{
	switch (c) {
	case 0xDF: return "ss";
	case 0xE6: case 0xC6: return "ae";
	case 0x153: case 0x152: return "oe";
	default: return NULL;
	}
}

/* Latin letters with a stroke: their base letter, the stroke an
 * accent. */
static utf8proc_int32_t stroke_base(utf8proc_int32_t c)
{
	switch (c) {
	case 0xF8: return 'o';
	case 0xD8: return 'O';
	case 0x111: return 'd';
	case 0x110: return 'D';
	case 0x142: return 'l';
	case 0x141: return 'L';
	default: return 0;
	}
}

static unsigned long primary_of(utf8proc_int32_t c)
{
	const utf8proc_property_t *p = utf8proc_get_property(c);
	const char *at;
	utf8proc_int32_t lower = utf8proc_tolower(c);

	if (c < 0x80 && c > 0 && (at = strchr(ascii_punct, (int)c)) != NULL)
		return ((unsigned long)CL_PUNCT << 24) | (unsigned long)(at - ascii_punct);
	if (c >= '0' && c <= '9')
		return ((unsigned long)CL_DIGIT << 24) | (unsigned long)(c - '0');
	switch (p->category) {
	case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_CC:
		return ((unsigned long)CL_SPACE << 24) | (unsigned long)c;
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return ((unsigned long)CL_DIGIT << 24) | (0x100 + (unsigned long)c);
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		if (lower < 0x250)
			return ((unsigned long)CL_LATIN << 24) | (unsigned long)lower;
		return ((unsigned long)CL_OTHER << 24) | (unsigned long)lower;
	default:
		return ((unsigned long)CL_PUNCT << 24) | (0x100 + (unsigned long)c);
	}
}

static void push(elem **e, size_t *n, size_t *cap, unsigned long pr,
                 unsigned long se, unsigned char te)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*e = Pa_xrealloc(*e, *cap * sizeof(**e));
	}
	(*e)[*n].primary = pr;
	(*e)[*n].secondary = se;
	(*e)[(*n)++].tertiary = te;
}

static void base_elem(elem **e, size_t *n, size_t *cap, utf8proc_int32_t c)
{
	const char *x = expansion(c);
	unsigned char upper = utf8proc_tolower(c) != c ? 2 : 0;
	utf8proc_int32_t b;

	if (x) { /* between lower and upper case, as DUCET's */
		for (; *x; x++)
			push(e, n, cap, primary_of(*x), 1, upper ? 3 : 1);
		return;
	}
	if ((b = stroke_base(c)) != 0) {
		push(e, n, cap, primary_of(b), 1, upper);
		push(e, n, cap, 0, 2 + 0x338, 0);
		return;
	}
	push(e, n, cap, primary_of(c), 1, upper);
}

/* The collation elements of s: each character decomposed (NFD), its
 * accents elements of the second level alone. */
static elem *elems(const char *s, size_t len, size_t *n)
{
	elem *e = NULL;
	size_t cap = 0, i = 0;

	*n = 0;
	while (i < len) {
		utf8proc_int32_t c, d[8];
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(len - i), &c);
		utf8proc_ssize_t m, j;
		int last;

		if (k <= 0) { /* a byte not UTF-8: after everything, by value */
			push(&e, n, &cap, ((unsigned long)CL_OTHER << 24) |
			     (0x110000ul + (unsigned char)s[i]), 1, 0);
			i++;
			continue;
		}
		i += (size_t)k;
		m = utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE, &last);
		if (m <= 0 || m > 8) {
			d[0] = c;
			m = 1;
		}
		for (j = 0; j < m; j++) {
			const utf8proc_property_t *p = utf8proc_get_property(d[j]);

			if (p->category == UTF8PROC_CATEGORY_MN ||
			    p->category == UTF8PROC_CATEGORY_MC ||
			    p->category == UTF8PROC_CATEGORY_ME)
				push(&e, n, &cap, 0, 2 + (unsigned long)d[j], 0);
			else
				base_elem(&e, n, &cap, d[j]);
		}
	}
	return e;
}

static int cmp_ul(unsigned long a, unsigned long b)
{
	return a < b ? -1 : a > b;
}

/* One level: the elements' weights of that level that are not none. */
static int level(const elem *a, size_t an, const elem *b, size_t bn, int lv)
{
	size_t i = 0, j = 0;

	for (;;) {
		unsigned long x = 0, y = 0;

		while (i < an && !(x = lv == 1 ? a[i].primary : lv == 2 ? a[i].secondary
		                                  : (unsigned long)a[i].tertiary + 1))
			i++;
		while (j < bn && !(y = lv == 1 ? b[j].primary : lv == 2 ? b[j].secondary
		                                  : (unsigned long)b[j].tertiary + 1))
			j++;
		if (i >= an || j >= bn)
			return (i < an) - (j < bn);
		if (x != y)
			return cmp_ul(x, y);
		i++;
		j++;
	}
}

int Pa_collate(const char *a, size_t an, const char *b, size_t bn)
{
	size_t na, nb;
	elem *ea = elems(a, an, &na), *eb = elems(b, bn, &nb);
	int c = level(ea, na, eb, nb, 1), lv;

	for (lv = 2; !c && lv <= 3; lv++)
		c = level(ea, na, eb, nb, lv);
	pa_free(ea);
	pa_free(eb);
	return c;
}
