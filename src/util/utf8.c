/* utf8.c - validating UTF-8 and replacing what is not. */
#include "util.h"

#include <string.h>

int Pa_utf8_decode(const unsigned char *s, size_t len, int32_t *cp)
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
 * s[0] (len bytes available), or 0.  The checks of Pa_utf8_decode without
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

/* ---- 16 bytes at a time, on x86 with SSSE3 (and WebAssembly with SIMD) ----
 *
 * The checks of valid_sequence() branch on each character, so a text of
 * Chinese or Hindi was validated at about 1 GB/s, 5% of the time of
 * counting it.  Keiser and Lemire ("Validating UTF-8 in less than one
 * instruction per byte", 2021) check every byte at once instead: each
 * error of Table 3-7 shows in the high nibble of a byte, its low nibble
 * and the high nibble of the byte after it, so three table lookups (one
 * pshufb each) give each pair of bytes a set of error bits, and a pair's
 * errors are those all three lookups agree on.  A lead byte's third and
 * fourth bytes are checked apart: they must be continuation bytes, and
 * the lookups flag any continuation byte after another (TWO_CONTS) that
 * is not one of them.
 *
 * The vector code only answers whether a block holds an error.  Where it
 * does, and for the last bytes, the scalar loop below starts again from
 * the character that begins at or before the block, so that the offset of
 * the first bad byte is exactly the scalar loop's. */
#if defined(__x86_64__) && defined(__GNUC__)
#define UTF8_BLOCKS 1
#define SSSE3 __attribute__((target("ssse3")))
#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>
#elif defined(__wasm_simd128__) && defined(__SSSE3__)
/* WebAssembly with its SIMD (the npm package): emscripten's tmmintrin.h
 * gives the same intrinsics as WebAssembly's instructions (pshufb as
 * i8x16.swizzle), and an engine that runs the module has them all. */
#define UTF8_BLOCKS 1
#define SSSE3
#include <tmmintrin.h>
#endif

#ifdef UTF8_BLOCKS

#define TOO_SHORT (1 << 0)  /* 11______ 0_______ or 11______ 11______ */
#define TOO_LONG (1 << 1)   /* 0_______ 10______ */
#define OVERLONG_3 (1 << 2) /* 11100000 100_____ */
#define TOO_LARGE (1 << 3)  /* 11110100 1001____, 11110100 101_____, above */
#define SURROGATE (1 << 4)  /* 11101101 101_____ */
#define OVERLONG_2 (1 << 5) /* 1100000_ 10______ */
#define TOO_LARGE_1000 (1 << 6) /* 11110101 1000____ and above */
#define OVERLONG_4 (1 << 6) /* 11110000 1000____ */
#define TWO_CONTS (1 << 7)  /* 10______ 10______ */
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS) /* any low nibble */
#define B(bits) ((char)(bits)) /* a table entry: 0x80 and up as a char */

/* The error bits of the 16 bytes of `in`, with `prev` the 16 before
 * them: zero where all is well. */
SSSE3
static inline __m128i block_errors(__m128i in, __m128i prev)
{
	/* By the high nibble of the first byte of a pair. */
	const __m128i byte_1_high = _mm_setr_epi8(
		/* 0___: ASCII */
		B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG),
		B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG),
		/* 10__: a continuation byte */
		B(TWO_CONTS), B(TWO_CONTS), B(TWO_CONTS), B(TWO_CONTS),
		/* 1100, 1101: the lead of two bytes */
		B(TOO_SHORT | OVERLONG_2), B(TOO_SHORT),
		/* 1110: of three */
		B(TOO_SHORT | OVERLONG_3 | SURROGATE),
		/* 1111: of four, or not a lead */
		B(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4));
	/* By the low nibble of the first byte. */
	const __m128i byte_1_low = _mm_setr_epi8(
		/* ____0000, ____0001 */
		B(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), B(CARRY | OVERLONG_2),
		/* ____001_ */
		B(CARRY), B(CARRY),
		/* ____0100, ____0101, ____011_ */
		B(CARRY | TOO_LARGE), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
		B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
		/* ____1___, ____1101 with SURROGATE */
		B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
		B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
		B(CARRY | TOO_LARGE | TOO_LARGE_1000),
		B(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE),
		B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000));
	/* By the high nibble of the second byte. */
	const __m128i byte_2_high = _mm_setr_epi8(
		/* 0___: ASCII */
		B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT),
		B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT),
		/* 1000, 1001, 101_: continuation bytes */
		B(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
		B(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
		B(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
		B(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
		/* 11__: a lead */
		B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT));
	const __m128i nibble = _mm_set1_epi8(0x0F), high_bit = _mm_set1_epi8(B(0x80));
	/* Bytes that are >= 0x80 after the saturating subtraction: the leads
	 * of three-byte (E_, F_) and of four-byte (F_) characters. */
	const __m128i third = _mm_set1_epi8(B(0xE0 - 0x80));
	const __m128i fourth = _mm_set1_epi8(B(0xF0 - 0x80));
	__m128i prev1 = _mm_alignr_epi8(in, prev, 15);
	__m128i prev2 = _mm_alignr_epi8(in, prev, 14);
	__m128i prev3 = _mm_alignr_epi8(in, prev, 13);
	__m128i hi1 = _mm_and_si128(_mm_srli_epi16(prev1, 4), nibble);
	__m128i lo1 = _mm_and_si128(prev1, nibble);
	__m128i hi2 = _mm_and_si128(_mm_srli_epi16(in, 4), nibble);
	__m128i errors = _mm_and_si128(_mm_and_si128(_mm_shuffle_epi8(byte_1_high, hi1),
	                                             _mm_shuffle_epi8(byte_1_low, lo1)),
	                               _mm_shuffle_epi8(byte_2_high, hi2));
	__m128i must23 = _mm_or_si128(_mm_subs_epu8(prev2, third),
	                              _mm_subs_epu8(prev3, fourth));

	return _mm_xor_si128(_mm_and_si128(must23, high_bit), errors);
}

SSSE3
static size_t valid_blocks_ssse3(const unsigned char *s, size_t len)
{
	/* The largest byte that may end a block before one of ASCII: none of
	 * its last three may start a character longer than what is left. */
	const __m128i last_max = _mm_setr_epi8(
		-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
		B(0xF0 - 1), B(0xE0 - 1), B(0xC0 - 1));
	const __m128i zero = _mm_setzero_si128();
	__m128i prev = zero, in, errors;
	size_t i;

	for (i = 0; i + 16 <= len; i += 16) {
		in = _mm_loadu_si128((const __m128i *)(s + i));
		/* A block of ASCII (most of most texts) holds no error of its
		 * own; only a character cut short just before it can. */
		if (_mm_movemask_epi8(in) == 0)
			errors = _mm_subs_epu8(prev, last_max);
		else
			errors = block_errors(in, prev);
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(errors, zero)) != 0xFFFF)
			break;
		prev = in;
	}
	return i;
}

/* Whether the processor has SSSE3, asked once with one CPUID (leaf 1,
 * which every x86-64 processor has).  Not __builtin_cpu_supports(): the
 * code behind it asks for every feature with a dozen CPUIDs in a
 * constructor of every run, and in a virtual machine each CPUID is a trip
 * to the hypervisor (a count of 1 KB took 2.5% longer).  Threads that ask
 * at once get the same answer. */
static int has_ssse3(void)
{
#if defined(__wasm_simd128__)
	return 1;
#else
	static atomic_int known; /* 0: not asked yet, 1: no, 2: yes */
	int k = atomic_load_explicit(&known, memory_order_relaxed);

	if (k == 0) {
		unsigned a, b, c, d;

		__cpuid(1, a, b, c, d);
		k = (c & bit_SSSE3) ? 2 : 1;
		atomic_store_explicit(&known, k, memory_order_relaxed);
	}
	return k == 2;
#endif
}

/* How many bytes from the start of s hold no error by the vector check:
 * a multiple of 16, which the scalar loop goes on from (backing up to the
 * start of a character cut at the edge). */
static size_t valid_blocks(const unsigned char *s, size_t len)
{
	/* A short text (a name, a line of frontmatter) is checked by the
	 * scalar loop alone: the blocks would cover little of it, and the
	 * loop checks what they leave anyway. */
	if (len < 64)
		return 0;
	if (!has_ssse3())
		return 0;
	return valid_blocks_ssse3(s, len);
}
#else
static size_t valid_blocks(const unsigned char *s, size_t len)
{
	(void)s;
	(void)len;
	return 0;
}
#endif

int pa_utf8_valid(const char *text, size_t len, size_t *bad_offset)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = valid_blocks(s, len), n;

	/* The blocks before i are valid but for a character the edge cuts:
	 * start from its first byte. */
	for (n = 0; n < 3 && i > 0 && (s[i - 1] & 0xC0) == 0x80; n++)
		i--;
	if (i > 0 && s[i - 1] >= 0xC0)
		i--;

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

/* Appends the n bytes at run and U+FFFD to out.  Random bytes are half
 * invalid, and two calls of pa_buf_put() a replacement, each of which
 * checks the room and ends the text, were a fifth of counting them. */
static void put_replaced(pa_buf *out, const char *run, size_t n)
{
	if (out->cap - out->len < n + 4)
		pa_buf_grow(out, n + 3);
	memcpy(out->ptr + out->len, run, n);
	memcpy(out->ptr + out->len + n, "\xEF\xBF\xBD", 3);
	out->len += n + 3;
	out->ptr[out->len] = '\0';
}

void pa_utf8_lossy(const char *text, size_t len, pa_buf *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, run = 0;

	pa_buf_grow(out, len);
	while (i < len) {
		size_t n = s[i] < 0x80 ? 1 : valid_sequence(s + i, len - i);

		if (n > 0) {
			i += n;
			continue;
		}
		put_replaced(out, text + run, i - run);
		i += invalid_subpart(s + i, len - i);
		run = i;
	}
	pa_buf_put(out, text + run, len - run);
}
