/*
 * test_band.c - the band of a Claude estimate (src/budget/claude_band.c)
 * weighs a text's characters by kind as docs/tokenizers.md says: letters
 * of the Latin script outside fenced code are prose, other letters outside
 * it are other, and what is not a space, tab or carriage return inside it
 * is code.  Random texts of every ASCII byte, a few characters of other
 * kinds and fence lines, with a table whose bands tell the kinds apart,
 * must get the band that a count character by character gives.  The
 * weighing takes ASCII eight bytes at a time, so a byte it classed wrong
 * (a capital, '@', '[', '`', '{', DEL) would move the band of a short
 * text.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "unit.h"
#include "promptasm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { PROSE, CODE, OTHER };

/* The bands of the table below, low and high, by kind. */
static const double band_low[3] = { 1.00, 2.00, 3.00 };
static const double band_high[3] = { 3.00, 2.50, 3.50 };

/* Characters beyond ASCII, and their kind outside code (-1: none). */
static const struct {
	const char *utf8;
	int kind;
} beyond[] = {
	{ "\xC3\xA9", PROSE },         /* é */
	{ "\xCE\xB1", OTHER },         /* α */
	{ "\xE2\x80\x94", -1 },        /* em dash */
	{ "\xE4\xB8\xAD", OTHER },     /* a Chinese character */
	{ "\xF0\x9F\x98\x80", -1 },    /* an emoji */
};

static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* A fence line as claude_band.c takes one: up to 3 spaces, then 3 or
 * more of ` or ~, the same. */
static int is_fence(const char *s, size_t len)
{
	size_t i = 0, run = 0;

	while (i < len && i < 3 && s[i] == ' ')
		i++;
	while (i + run < len && (s[i + run] == '`' || s[i + run] == '~') && s[i + run] == s[i])
		run++;
	return run >= 3;
}

/* The band of text the slow way: a character at a time. */
static void slow_band(const char *text, size_t len, double *low, double *high)
{
	double w[3] = { 0, 0, 0 }, sum;
	size_t at = 0;
	int in_code = 0, k;

	while (at < len) {
		const char *eol = memchr(text + at, '\n', len - at);
		size_t end = eol ? (size_t)(eol - text) : len, i;

		if (is_fence(text + at, end - at)) {
			in_code = !in_code;
			at = end + 1;
			continue;
		}
		for (i = at; i < end;) {
			unsigned char b = (unsigned char)text[i];
			size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
			int kind = -1;

			if (in_code) {
				kind = b == ' ' || b == '\t' || b == '\r' ? -1 : CODE;
			} else if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')) {
				kind = PROSE;
			} else if (b >= 0x80) {
				size_t j;

				for (j = 0; j < sizeof(beyond) / sizeof(beyond[0]); j++)
					if (strncmp(text + i, beyond[j].utf8, n) == 0)
						kind = beyond[j].kind;
			}
			if (kind >= 0)
				w[kind] += 1;
			i += n;
		}
		at = end + 1;
	}
	sum = w[PROSE] + w[CODE] + w[OTHER];
	if (sum == 0) {
		w[PROSE] = 1;
		sum = 1;
	}
	*low = *high = 0;
	for (k = 0; k < 3; k++) {
		*low += band_low[k] * w[k] / sum;
		*high += band_high[k] * w[k] / sum;
	}
	*low = (double)(long)(*low * 100 + 0.5) / 100;
	*high = (double)(long)(*high * 100 + 0.5) / 100;
}

static void test_random_texts(void)
{
	char dir[] = "/tmp/promptasm-band-XXXXXX", path[64];
	static char text[400];
	uint32_t seed = 2026;
	int trial, wrong = 0;
	FILE *f;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/claude-bands.tsv", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "m\tprose\t1.00\t3.00\tt\nm\tcode\t2.00\t2.50\tt\nm\tother\t3.00\t3.50\tt\n");
	fclose(f);
	for (trial = 0; trial < 20000; trial++) {
		size_t len = 0, want = 1 + next_random(&seed) % 120;
		double low, high, slow_low, slow_high;
		pa_error err;

		while (len < want && len + 8 < sizeof(text)) {
			uint32_t r = next_random(&seed) % 100;

			if (r < 3 && (len == 0 || text[len - 1] == '\n')) {
				memcpy(text + len, r ? "```\n" : "  ~~~~\n", r ? 4 : 7);
				len += r ? 4 : 7;
			} else if (r < 10) {
				const char *u = beyond[next_random(&seed) % 5].utf8;

				memcpy(text + len, u, strlen(u));
				len += strlen(u);
			} else if (r < 50) { /* runs of letters, long enough for a word */
				text[len++] = (char)("aZmQz@[`{~AB"[next_random(&seed) % 12]);
			} else {
				text[len++] = (char)(1 + next_random(&seed) % 127);
			}
		}
		if (pa_claude_band("m", text, len, dir, &low, &high, &err) != PA_OK) {
			fprintf(stderr, "  %s\n", err.message);
			CHECK(!"pa_claude_band failed");
			break;
		}
		slow_band(text, len, &slow_low, &slow_high);
		if (low != slow_low || high != slow_high) {
			if (wrong++ < 3)
				fprintf(stderr, "  band %.2f..%.2f, a character at a time %.2f..%.2f\n",
				        low, high, slow_low, slow_high);
		}
	}
	CHECK_EQ_INT(wrong, 0);
	unlink(path);
	rmdir(dir);
}

/* Writes a table at path of one band for every kind of each model of
 * `models` (a string of one-letter ids), its source src. */
static int write_bands(const char *path, const char *models, const char *low,
                       const char *high, const char *src)
{
	static const char *const kinds[] = { "prose", "code", "other" };
	FILE *f = fopen(path, "w");
	size_t m, k;

	if (!f)
		return 0;
	for (m = 0; models[m]; m++)
		for (k = 0; k < 3; k++)
			fprintf(f, "%c\t%s\t%s\t%s\t%s\n", models[m], kinds[k], low, high, src);
	return fclose(f) == 0;
}

/* A table rewritten between two calls gives its new band at the second
 * (the bands are kept for the process, by the table's identity), even
 * when rewritten in place within the same second; another model of the
 * same table has a band of its own. */
static void test_table_rewritten(void)
{
	char dir[] = "/tmp/promptasm-band-XXXXXX", path[64], tmp[64];
	double low, high;
	pa_error err;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/claude-bands.tsv", dir);
	snprintf(tmp, sizeof(tmp), "%s/new.tsv", dir);
	CHECK(write_bands(tmp, "n", "1.30", "1.40", "t"));
	CHECK_EQ_INT(pa_claude_band("n", NULL, 0, dir, &low, &high, &err), PA_ERR_DATA);
	CHECK(write_bands(path, "m", "1.10", "1.20", "t"));
	CHECK_EQ_INT(pa_claude_band("m", NULL, 0, dir, &low, &high, &err), PA_OK);
	CHECK(low == 1.10 && high == 1.20);
	CHECK_EQ_INT(pa_claude_band("m", NULL, 0, dir, &low, &high, &err), PA_OK);
	CHECK(low == 1.10 && high == 1.20);
	/* Replaced: another file under the name, with another model too. */
	CHECK(write_bands(tmp, "mn", "2.10", "2.20", "t"));
	CHECK_EQ_INT(rename(tmp, path), 0);
	CHECK_EQ_INT(pa_claude_band("m", NULL, 0, dir, &low, &high, &err), PA_OK);
	CHECK(low == 2.10 && high == 2.20);
	CHECK_EQ_INT(pa_claude_band("n", NULL, 0, dir, &low, &high, &err), PA_OK);
	CHECK(low == 2.10 && high == 2.20);
	/* Rewritten in place, longer. */
	CHECK(write_bands(path, "m", "3.10", "3.20", "the same file"));
	CHECK_EQ_INT(pa_claude_band("m", NULL, 0, dir, &low, &high, &err), PA_OK);
	CHECK(low == 3.10 && high == 3.20);
	unlink(path);
	unlink(tmp);
	rmdir(dir);
}

int main(void)
{
	RUN(test_random_texts);
	RUN(test_table_rewritten);
	return pa_test_summary();
}
