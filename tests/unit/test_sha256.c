/* test_sha256.c - Pa_sha256 and Pa_sha256_hex against the FIPS 180-4
 * examples, across the one- and two-block padding cases. */
#include "unit.h"
#include "base.h"
#include "util.h"

static void test_vectors(void)
{
	static const struct { const char *in, *hex; } v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		/* 56 bytes: the length no longer fits the first padded block. */
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	size_t i;
	char hex[65];
	unsigned char d[32];

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		Pa_sha256_hex(v[i].in, strlen(v[i].in), hex);
		CHECK_EQ_STR(hex, v[i].hex);
	}
	Pa_sha256("abc", 3, d);
	CHECK_EQ_INT(d[0], 0xba);
	CHECK_EQ_INT(d[31], 0xad);
}

int main(void)
{
	RUN(test_vectors);
	return pa_test_summary();
}
