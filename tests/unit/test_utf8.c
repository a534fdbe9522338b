/* test_utf8.c - pa_utf8_valid, which checks sequences inline, and 16
 * bytes at a time in texts of 64 bytes or more, agrees with Pa_utf8_decode
 * (Table 3-7 of the Unicode standard) on every string of up to three
 * bytes, on random four-byte ones and on long texts with bytes changed,
 * offset of the first bad byte included. */
#include "unit.h"
#include "base.h"

#include <stdlib.h>
#include <string.h>

/* What pa_utf8_valid must say, by decoding each character. */
static int valid_by_decode(const unsigned char *s, size_t len, size_t *bad)
{
	size_t i = 0;

	while (i < len) {
		int32_t cp;
		int n = Pa_utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			*bad = i;
			return 0;
		}
		i += (size_t)n;
	}
	return 1;
}

/* Counts the strings where the two disagree, on validity or offset. */
static long compare(const unsigned char *s, size_t len)
{
	size_t bad_a = (size_t)-1, bad_b = (size_t)-1;
	int a = pa_utf8_valid((const char *)s, len, &bad_a);
	int b = valid_by_decode(s, len, &bad_b);

	return a != b || (!a && bad_a != bad_b);
}

static void test_short_strings(void)
{
	unsigned char s[3];
	long differ = 0;
	uint32_t x;

	for (x = 0; x < 256; x++) {
		s[0] = (unsigned char)x;
		differ += compare(s, 1);
	}
	for (x = 0; x < 65536; x++) {
		s[0] = (unsigned char)(x >> 8);
		s[1] = (unsigned char)x;
		differ += compare(s, 2);
	}
	for (x = 0; x < (1u << 24); x++) {
		s[0] = (unsigned char)(x >> 16);
		s[1] = (unsigned char)(x >> 8);
		s[2] = (unsigned char)x;
		differ += compare(s, 3);
	}
	CHECK_EQ_INT(differ, 0);
}

static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

static void test_four_bytes(void)
{
	unsigned char s[4];
	uint32_t seed = 3, i;
	long differ = 0;

	/* Every lead byte from F0 on with every second byte, the rest at
	 * random, and random strings. */
	for (i = 0; i < 4000000; i++) {
		uint32_t r = next_random(&seed);
		s[0] = i < 65536 ? (unsigned char)(0xF0 + (i >> 8) % 16) : (unsigned char)r;
		s[1] = i < 65536 ? (unsigned char)i : (unsigned char)(r >> 8);
		s[2] = (unsigned char)(next_random(&seed) % 3 == 0 ? r >> 16 : 0x80 | (r >> 16 & 0x3F));
		s[3] = (unsigned char)(next_random(&seed) % 3 == 0 ? r >> 4 : 0x80 | (r >> 4 & 0x3F));
		differ += compare(s, 4);
	}
	CHECK_EQ_INT(differ, 0);
}

/* Mixed text (ASCII runs past 8 bytes, 2-, 3- and 4-byte characters)
 * with one byte changed, at every position in turn. */
static void test_long_texts(void)
{
	static const char text[] =
		"plain ASCII words, then caf\xc3\xa9 na\xc3\xafve \xe4\xb8\xad\xe6\x96\x87 "
		"\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1 \xf0\x9f\x98\x80\xf0\x9f\x98\x80 and "
		"a longer run of ASCII to end with.";
	unsigned char s[sizeof(text)];
	size_t n = sizeof(text) - 1, at;
	long differ = 0;
	uint32_t seed = 11;

	CHECK(pa_utf8_valid(text, n, NULL));
	for (at = 0; at < n; at++) {
		int k;
		for (k = 0; k < 8; k++) {
			memcpy(s, text, n);
			s[at] = (unsigned char)next_random(&seed);
			differ += compare(s, n);
			differ += compare(s, at + 1);
		}
	}
	CHECK_EQ_INT(differ, 0);
}

/* Appends code point cp as UTF-8. */
static size_t put_utf8(unsigned char *s, uint32_t cp)
{
	if (cp < 0x80) {
		s[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		s[0] = (unsigned char)(0xC0 | cp >> 6);
		s[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		s[0] = (unsigned char)(0xE0 | cp >> 12);
		s[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		s[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	s[0] = (unsigned char)(0xF0 | cp >> 18);
	s[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
	s[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
	s[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Texts long enough for the 16-byte blocks (64 bytes and more), of
 * characters of every length and the code points at the edges of Table
 * 3-7, with bytes changed or cut at random: the blocks must find every
 * error the scalar checks find, and the offset must be the same, wherever
 * a block's edge falls. */
static void test_blocks(void)
{
	static const uint32_t edges[] = {
		0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFF,
		0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF
	};
	unsigned char s[400];
	uint32_t seed = 29;
	long differ = 0, invalid = 0;
	int round;

	for (round = 0; round < 300000; round++) {
		size_t n = 0, want = 60 + next_random(&seed) % 300, k;
		int changes = (int)(next_random(&seed) % 4);

		while (n + 4 <= want) {
			uint32_t r = next_random(&seed), cp;
			/* Every other text mostly ASCII, so that blocks
			 * of ASCII follow characters cut at their edge. */
			switch (round % 2 && r % 16 < 12 ? 0 : r % 6) {
			case 0: case 1: cp = 0x20 + r / 8 % 95; break;
			case 2: cp = 0x80 + r / 8 % 0x780; break;
			case 3: cp = 0x800 + r / 8 % 0xF800; break;
			case 4: cp = 0x10000 + r / 8 % 0x100000; break;
			default: cp = edges[r / 8 % (sizeof(edges) / sizeof(edges[0]))]; break;
			}
			if (cp >= 0xD800 && cp < 0xE000)
				cp = 0xE000;
			n += put_utf8(s + n, cp);
		}
		for (k = 0; k < (size_t)changes; k++)
			s[next_random(&seed) % n] = (unsigned char)next_random(&seed);
		if (next_random(&seed) % 8 == 0)
			n -= next_random(&seed) % 4;
		differ += compare(s, n);
		invalid += !pa_utf8_valid((const char *)s, n, NULL);
	}
	CHECK_EQ_INT(differ, 0);
	/* Both kinds were tried. */
	CHECK(invalid > 100000 && invalid < 250000);
}

/* A valid text of 200 bytes with each byte set to each of the 256 values
 * in turn. */
static void test_every_byte_in_blocks(void)
{
	unsigned char text[220], s[220];
	uint32_t seed = 5;
	size_t n = 0, at;
	long differ = 0;
	unsigned v;

	while (n < 200)
		n += put_utf8(text + n, next_random(&seed) % 3 == 0
		                            ? 0x41 + next_random(&seed) % 26
		                            : 0x400 + next_random(&seed) % 0x9000);
	CHECK(pa_utf8_valid((const char *)text, n, NULL));
	for (at = 0; at < n; at++)
		for (v = 0; v < 256; v++) {
			memcpy(s, text, n);
			s[at] = (unsigned char)v;
			differ += compare(s, n);
		}
	CHECK_EQ_INT(differ, 0);
}

int main(void)
{
	RUN(test_short_strings);
	RUN(test_four_bytes);
	RUN(test_long_texts);
	RUN(test_blocks);
	RUN(test_every_byte_in_blocks);
	return pa_test_summary();
}
