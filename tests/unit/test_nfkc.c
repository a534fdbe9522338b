/* test_nfkc.c - the claude tokenizer's NFKC against the reference's
 * (Node's normalize('NFKC'), Unicode 17) on every pair of combining
 * marks, read from tests/tokenizer/nfkc-marks.txt.gz (made by
 * tests/tokenizer/gen-nfkc.mjs; its format is described there), and
 * on a few cases by hand. */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "promptasm.h"
#include "nfkc.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define REFERENCE "tests/tokenizer/nfkc-marks.txt.gz"

/* The lines of the reference, one at a time; `again` makes the next
 * next_line() give the current line again. */
struct reader {
	FILE *f;
	char *line;
	size_t cap;
	long number;
	int again;
};

static const char *next_line(struct reader *r)
{
	ssize_t n;

	if (r->again) {
		r->again = 0;
		return r->line;
	}
	n = getline(&r->line, &r->cap, r->f);
	if (n < 0)
		return NULL;
	r->number++;
	if (n > 0 && r->line[n - 1] == '\n')
		r->line[n - 1] = '\0';
	return r->line;
}

/* A line of hex code points, one space apart, as UTF-8 appended to out. */
static int put_code_points(const char *line, pa_buf *out)
{
	const char *p = line;

	while (*p) {
		char *end;
		unsigned long cp = strtoul(p, &end, 16);
		utf8proc_uint8_t u[4];

		if (end == p || cp > 0x10FFFF)
			return 0;
		pa_buf_put(out, u, (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, u));
		p = end;
		while (*p == ' ')
			p++;
	}
	return 1;
}

/* Reads `<word> <n>` then n lines of code points into strings[0..n). */
static size_t read_strings(struct reader *r, const char *word, pa_buf **strings)
{
	const char *line = next_line(r);
	size_t n, i, wl = strlen(word);

	if (!line || strncmp(line, word, wl) != 0 || line[wl] != ' ')
		return 0;
	n = (size_t)strtoul(line + wl + 1, NULL, 10);
	*strings = calloc(n, sizeof(**strings));
	for (i = 0; i < n; i++) {
		pa_buf init = PA_BUF_INIT;
		(*strings)[i] = init;
		line = next_line(r);
		if (!line || !put_code_points(line, &(*strings)[i]))
			return 0;
	}
	return n;
}

static void free_strings(pa_buf *s, size_t n)
{
	size_t i;

	for (i = 0; s && i < n; i++)
		pa_buf_release(&s[i]);
	free(s);
}

/* The cell's expected NFKC from its grid character (and, for `*`, the
 * `other` line) into want. */
static int expected(char code, const pa_buf *row, const pa_buf *col,
                    const char *other, pa_buf *want)
{
	pa_buf_reset(want);
	if (code == '.') {
		pa_buf_put(want, row->ptr, row->len);
		pa_buf_put(want, col->ptr, col->len);
	} else if (code == 's') {
		pa_buf_put(want, col->ptr, col->len);
		pa_buf_put(want, row->ptr, row->len);
	} else if (code == '*' && other) {
		return put_code_points(other, want);
	} else {
		return 0;
	}
	return 1;
}

/* Checks one section; returns 0 at the end of the file, -1 on a format
 * error. */
static int check_section(struct reader *r, size_t *cells, size_t *differ)
{
	const char *line = next_line(r);
	pa_buf *rows = NULL, *cols = NULL, text = PA_BUF_INIT, got = PA_BUF_INIT,
	       want = PA_BUF_INIT;
	char **grid = NULL, name[200];
	size_t n_rows, n_cols, i, j, n_other;
	int ok = -1;

	if (!line)
		return 0;
	if (strncmp(line, "section ", 8) != 0)
		return -1;
	snprintf(name, sizeof(name), "%s", line + 8);
	n_rows = read_strings(r, "rows", &rows);
	n_cols = read_strings(r, "cols", &cols);
	line = next_line(r);
	if (!n_rows || !n_cols || !line || strcmp(line, "grid") != 0)
		goto done;
	grid = calloc(n_rows, sizeof(*grid));
	for (i = 0; i < n_rows; i++) {
		line = next_line(r);
		if (!line || strlen(line) != n_cols)
			goto done;
		grid[i] = strdup(line);
	}
	line = next_line(r);
	if (!line || strncmp(line, "other ", 6) != 0)
		goto done;
	n_other = (size_t)strtoul(line + 6, NULL, 10);
	/* The `*` cells come in row-major order, each on its `other` line. */
	line = n_other ? next_line(r) : NULL;
	for (i = 0; i < n_rows; i++) {
		for (j = 0; j < n_cols; j++) {
			const char *other = NULL;
			pa_error err;

			if (grid[i][j] == '*') {
				char *end;
				if (!line || strtoul(line, &end, 10) != i ||
				    strtoul(end, &end, 10) != j)
					goto done;
				other = end + strspn(end, " ");
			}
			if (!expected(grid[i][j], &rows[i], &cols[j], other, &want))
				goto done;
			pa_buf_reset(&text);
			pa_buf_put(&text, rows[i].ptr, rows[i].len);
			pa_buf_put(&text, cols[j].ptr, cols[j].len);
			pa_buf_reset(&got);
			(*cells)++;
			if (Pa_nfkc(text.ptr, text.len, &got, &err) != PA_OK ||
			    got.len != want.len || memcmp(got.ptr, want.ptr, got.len) != 0) {
				if ((*differ)++ < 10) {
					size_t k;
					fprintf(stderr, "%s: row %zu col %zu: NFKC of", name, i, j);
					for (k = 0; k < text.len; k++)
						fprintf(stderr, " %02x", (unsigned char)text.ptr[k]);
					fprintf(stderr, " differs from the reference\n");
				}
			}
			if (other && --n_other)
				line = next_line(r);
		}
	}
	line = next_line(r);
	ok = line && strcmp(line, "end") == 0 && n_other == 0 ? 1 : -1;
done:
	if (ok < 0)
		fprintf(stderr, "%s: bad line %ld\n", REFERENCE, r->number);
	for (i = 0; grid && i < n_rows; i++)
		free(grid[i]);
	free(grid);
	free_strings(rows, n_rows);
	free_strings(cols, n_cols);
	pa_buf_release(&text);
	pa_buf_release(&got);
	pa_buf_release(&want);
	return ok;
}

/* Every cell of the reference: 0.9 million pairs of marks and more. */
static void test_reference(void)
{
	struct reader r = { NULL, NULL, 0, 0, 0 };
	size_t cells = 0, differ = 0;
	int sections = 0, st;

	r.f = popen("gzip -dc " REFERENCE, "r");
	CHECK(r.f != NULL);
	if (!r.f)
		return;
	while (next_line(&r) && r.line[0] == '#')
		;
	r.again = 1; /* the first section's line */
	while ((st = check_section(&r, &cells, &differ)) > 0)
		sections++;
	CHECK_EQ_INT(st, 0);
	CHECK_EQ_INT(sections, 3);
	CHECK(cells > 900000);
	CHECK_EQ_INT(differ, 0);
	printf("%zu cells of %d sections: %zu differ from the reference\n", cells,
	       sections, differ);
	free(r.line);
	CHECK_EQ_INT(pclose(r.f), 0);
}

static void check_nfkc(const char *text, const char *want)
{
	pa_buf got = PA_BUF_INIT;
	pa_error err;

	CHECK_EQ_INT(Pa_nfkc(text, strlen(text), &got, &err), PA_OK);
	CHECK_EQ_STR(got.ptr, want);
	pa_buf_release(&got);
}

/* Cases the issue and the tables name, by hand. */
static void test_cases(void)
{
	/* U+1ADD (class 220 since Unicode 17) goes before U+0310 (230). */
	check_nfkc("\xcc\x90\xe1\xab\x9d", "\xe1\xab\x9d\xcc\x90");
	/* ... and does not keep U+0301 from composing with `a`. */
	check_nfkc("a\xe1\xab\x9d\xcc\x81", "\xc3\xa1\xe1\xab\x9d");
	/* U+1AEB (234) stays after U+0301 (230); U+0897 (230) keeps its
	 * place among marks of its class. */
	check_nfkc("a\xcc\x81\xe1\xab\xab", "\xc3\xa1\xe1\xab\xab");
	check_nfkc("x\xe0\xa2\x97\xcc\x81\xcc\x96", "x\xcc\x96\xe0\xa2\x97\xcc\x81");
	/* Unicode 16 compositions: U+105D2 U+0307 is U+105C9; U+1611E twice
	 * then U+1611F is U+16126 (through U+16121). */
	check_nfkc("\xf0\x90\x97\x92\xcc\x87", "\xf0\x90\x97\x89");
	check_nfkc("\xf0\x96\x84\x9e\xf0\x96\x84\x9e\xf0\x96\x84\x9f", "\xf0\x96\x84\xa6");
	/* Unicode 17 compatibility letters: U+1CCD6 is A. */
	check_nfkc("x\xf0\x9c\xb3\x96y", "xAy");
	/* A long run of marks in descending classes, some newer. */
	{
		pa_buf in = PA_BUF_INIT, got = PA_BUF_INIT;
		pa_error err;
		size_t i, ok = 1;

		pa_buf_putc(&in, 'a');
		for (i = 0; i < 2000; i++)
			pa_buf_puts(&in, i % 2 ? "\xcc\x81" : "\xe1\xab\x9d");
		CHECK_EQ_INT(Pa_nfkc(in.ptr, in.len, &got, &err), PA_OK);
		/* á, then 1000 U+1ADD, then 999 U+0301. */
		ok = got.len == 2 + 1000 * 3 + 999 * 2 && !memcmp(got.ptr, "\xc3\xa1", 2);
		for (i = 0; ok && i < 1000; i++)
			ok = !memcmp(got.ptr + 2 + 3 * i, "\xe1\xab\x9d", 3);
		for (i = 0; ok && i < 999; i++)
			ok = !memcmp(got.ptr + 3002 + 2 * i, "\xcc\x81", 2);
		CHECK(ok);
		pa_buf_release(&in);
		pa_buf_release(&got);
	}
}

/* The ids of text with claude, as "1 2 3". */
static void check_claude_ids(pa_tokenizer *tok, const char *text, const char *want)
{
	uint32_t *ids = NULL;
	size_t n = 0, i;
	pa_buf got = PA_BUF_INIT;
	pa_error err;

	CHECK_EQ_INT(pa_tokenizer_encode(tok, text, strlen(text), &ids, &n, &err), PA_OK);
	for (i = 0; i < n; i++)
		pa_buf_printf(&got, i ? " %u" : "%u", ids[i]);
	CHECK_EQ_STR(got.ptr, want);
	pa_free(ids);
	pa_buf_release(&got);
}

/* Through the tokenizer: the ids @anthropic-ai/tokenizer 0.0.4 gives for
 * text.normalize('NFKC') in Node 20.20 (Unicode 17). */
static void test_claude_ids(void)
{
	pa_tokenizer *tok = NULL;
	pa_error err;

	CHECK_EQ_INT(pa_tokenizer_load("claude", "tokenizers", &tok, &err), PA_OK);
	if (!tok)
		return;
	check_claude_ids(tok, "\xcc\x90\xe1\xab\x9d", "162 109 256 141 243");
	check_claude_ids(tok, "a\xe1\xab\x9d\xcc\x81", "2273 162 109 256");
	check_claude_ids(tok, "\xf0\x90\x97\x92\xcc\x87x", "11050 250 236 92");
	pa_tokenizer_free(tok);
}

/* Appends code point cp as UTF-8. */
static void put_cp(pa_buf *b, uint32_t cp)
{
	utf8proc_uint8_t u[4];

	pa_buf_put(b, u, (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, u));
}

/* Counts the texts where Pa_nfkc and Pa_nfkc_by_stretches disagree. */
static long compare_nfkc(const pa_buf *text)
{
	pa_buf a = PA_BUF_INIT, b = PA_BUF_INIT;
	pa_error err;
	long differ;

	Pa_nfkc(text->ptr, text->len, &a, &err);
	Pa_nfkc_by_stretches(text->ptr, text->len, &b, &err);
	differ = a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0;
	pa_buf_release(&a);
	pa_buf_release(&b);
	return differ;
}

/* Copying the stable characters changes nothing: Pa_nfkc agrees with the
 * normalization of every stretch that is not ASCII through utf8proc, on
 * every code point between letters, after `e` and Hangul's first
 * consonant (which compose with what follows) and before two marks (which
 * compose with it or reorder), on every canonical composition utf8proc
 * knows as its two characters, and on random texts of the characters
 * that are not stable and their neighbours. */
static void test_stable(void)
{
	static const uint32_t pool[] = {
		'a', 'e', ' ', 0xE9, 0x301, 0x323, 0x308, 0x1100, 0x1161, 0x11A8, 0xAC00,
		0xE33, 0xE01, 0xE48, 0x4E2D, 0xFF0C, 0x3000, 0x2460, 0xFB01, 0x212B,
		0xB47, 0xB3E, 0x1B05, 0x1B35, 0x3099, 0x304B, 0x1ADD, 0x310, 0x6F3, 0x627,
	};
	pa_buf text = PA_BUF_INIT;
	uint32_t cp, seed = 1;
	long differ = 0, stable = 0, t;

	for (cp = 0; cp < 0x110000; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		stable += Pa_nfkc_stable(cp);
		/* A text per 64 code points, each in its contexts. */
		put_cp(&text, 'x');
		put_cp(&text, cp);
		put_cp(&text, 'e');
		put_cp(&text, cp);
		put_cp(&text, 0x1100);
		put_cp(&text, cp);
		put_cp(&text, 0x323);
		put_cp(&text, 0x301);
		if (cp % 64 == 63) {
			differ += compare_nfkc(&text);
			pa_buf_reset(&text);
		}
	}
	differ += compare_nfkc(&text);
	CHECK_EQ_INT(differ, 0);
	/* Nearly every code point is stable; ASCII is. */
	CHECK(stable > 1000000);
	CHECK(Pa_nfkc_stable('a') && Pa_nfkc_stable(0x4E2D) && !Pa_nfkc_stable(0x301) &&
	      !Pa_nfkc_stable(0x1161) && !Pa_nfkc_stable(0xFF0C) && !Pa_nfkc_stable(0xE33));

	differ = 0;
	for (cp = 0; cp < 0x110000; cp++) {
		utf8proc_int32_t parts[4];
		int options;
		utf8proc_ssize_t n = utf8proc_decompose_char((utf8proc_int32_t)cp, parts, 4,
		                                              UTF8PROC_DECOMPOSE, &options);
		if (n != 2)
			continue;
		pa_buf_reset(&text);
		put_cp(&text, (uint32_t)parts[0]);
		put_cp(&text, (uint32_t)parts[1]);
		differ += compare_nfkc(&text);
	}
	CHECK_EQ_INT(differ, 0);

	differ = 0;
	for (t = 0; t < 20000; t++) {
		int k, len;

		pa_buf_reset(&text);
		seed = seed * 1103515245u + 12345u;
		len = 1 + (int)(seed >> 16) % 12;
		for (k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			put_cp(&text, pool[(seed >> 16) % (sizeof(pool) / sizeof(pool[0]))]);
		}
		differ += compare_nfkc(&text);
	}
	CHECK_EQ_INT(differ, 0);
	pa_buf_release(&text);
}

/* Pa_nfkc_stable_prefix() stops at the first character that is not
 * stable, 8 ASCII bytes at a time before it, and a text it runs through
 * is its own NFKC form (the tokenizer then counts it as it is). */
static void test_stable_prefix(void)
{
	static const uint32_t pool[] = {
		'a', ' ', '\n', 0xE9, 0x301, 0x4E2D, 0xE01, 0xE33, 0xFF0C, 0x37A, 0x1EC7,
		0x915, 0x94D, 0xAC00, 0x1161, 0x1F600, 0xFB01, 0x3042, 0x9FA5,
	};
	pa_buf text = PA_BUF_INIT, out = PA_BUF_INIT;
	uint32_t seed = 11;
	long wrong = 0, whole = 0, t;
	pa_error err;

	for (t = 0; t < 20000; t++) {
		size_t len, k, i, n, stop;
		int32_t cp;

		pa_buf_reset(&text);
		seed = seed * 1103515245u + 12345u;
		len = 1 + (seed >> 16) % 40;
		for (k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly ASCII letters, so that 8-byte runs occur; in
			 * every other text mostly the others, so that runs of
			 * three-byte characters do */
			put_cp(&text, ((seed >> 16) % 3 != 0) == (t % 2 == 0)
			                  ? 'a' + (seed >> 20) % 26
			                  : pool[(seed >> 20) % (sizeof(pool) / sizeof(pool[0]))]);
		}
		stop = Pa_nfkc_stable_prefix(text.ptr, text.len);
		for (i = 0; i < stop; i += n) {
			n = (size_t)Pa_utf8_decode((const unsigned char *)text.ptr + i, text.len - i, &cp);
			wrong += !Pa_nfkc_stable((uint32_t)cp);
		}
		wrong += i != stop;
		if (stop < text.len) {
			Pa_utf8_decode((const unsigned char *)text.ptr + stop, text.len - stop, &cp);
			wrong += Pa_nfkc_stable((uint32_t)cp);
		} else {
			whole++;
			pa_buf_reset(&out);
			wrong += Pa_nfkc(text.ptr, text.len, &out, &err) != PA_OK ||
			         out.len != text.len || memcmp(out.ptr, text.ptr, text.len) != 0;
		}
	}
	CHECK_EQ_INT(wrong, 0);
	CHECK(whole > 1000 && whole < 19000);
	pa_buf_release(&text);
	pa_buf_release(&out);
}

/* Pa_nfkc() keeps the forms of the short stretches it met (a consonant
 * and its vowel sign, again and again in the scripts of India): thousands
 * of kinds of stretches, each many times, in one text, so that they share
 * the memo's slots, of every length around what a slot holds (a long
 * run of marks; U+FDFA, one character of 33 bytes in NFKC; the squared
 * katakana), must come out as they do without it. */
static void test_stretch_memo(void)
{
	static const uint32_t marks[] = {
		0x301, 0x308, 0x323, 0x327, 0x94D, 0x93C, 0x9BE, 0x9CD, 0xBBE, 0xBCD,
		0xC4D, 0x1161, 0x11A8, 0x3099, 0xFDFA, 0xFB01, 0x3300, 0x3357, 0x2474,
	};
	pa_buf text = PA_BUF_INIT;
	uint32_t seed = 5;
	long differ = 0, round;
	int g, k;

	for (round = 0; round < 4; round++) {
		pa_buf_reset(&text);
		for (g = 0; g < 20000; g++) {
			int n_marks;

			seed = seed * 1103515245u + 12345u;
			/* A letter, an Indic consonant or a Hangul syllable. */
			switch ((seed >> 16) % 4) {
			case 0: put_cp(&text, 'a' + (seed >> 20) % 26); break;
			case 1: put_cp(&text, 'A' + (seed >> 20) % 26); break;
			case 2: put_cp(&text, 0x915 + (seed >> 20) % 32); break;
			default: put_cp(&text, 0xAC00 + (seed >> 20) % 64); break;
			}
			seed = seed * 1103515245u + 12345u;
			n_marks = 1 + (int)((seed >> 16) % 12 == 0 ? (seed >> 20) % 10 : 0);
			for (k = 0; k < n_marks; k++) {
				seed = seed * 1103515245u + 12345u;
				if (round % 2 == 0 && k == 0)
					put_cp(&text, marks[(seed >> 16) % (sizeof(marks) / sizeof(marks[0]))]);
				else
					put_cp(&text, 0x300 + (seed >> 16) % 0x70);
			}
			put_cp(&text, ' ');
			/* Now and then a stretch whose form is longer than a slot
			 * holds, the same each time. */
			if (g % 100 == 0) {
				put_cp(&text, 'a');
				put_cp(&text, 0xFDFA);
				for (k = 0; k < 1 + g % 3; k++)
					put_cp(&text, round < 2 ? 0x301 : 0xFDFA);
				put_cp(&text, ' ');
			}
		}
		differ += compare_nfkc(&text);
	}
	CHECK_EQ_INT(differ, 0);
	pa_buf_release(&text);
}

/* A stretch of characters NFKC may change longer than utf8proc is given
 * (it reorders marks in quadratic time) is normalized by this file's own
 * path: the same result as utf8proc's, on runs of marks of many classes in
 * any order (a run as long as the text among them), with letters, Hangul
 * jamo and compatibility characters, 300 bytes to 12 KB long. */
static void test_long_stretches(void)
{
	static const uint32_t pool[] = {
		0x301, 0x316, 0x308, 0x323, 0x327, 0x334, 0x345, 0x35C, 0x360, 0x315,
		0x1161, 0x11A8, 0x1100, 0x3099, 0x309A, 0xFB01, 0xFDFA, 0xFF21, 0x2460,
		0x212B, 0x5C, 0x65, 0x3000, 0x94D, 0x93C, 0xE48, 0x5B0, 0x651, 0x670,
	};
	const size_t n_pool = sizeof(pool) / sizeof(pool[0]);
	pa_buf text = PA_BUF_INIT, mine = PA_BUF_INIT;
	uint32_t seed = 11;
	long differ = 0, round;

	for (round = 0; round < 60; round++) {
		size_t want = 300 + (size_t)round * 200, k;
		utf8proc_uint8_t *norm = NULL;
		utf8proc_ssize_t n;
		pa_error err;

		pa_buf_reset(&text);
		pa_buf_reset(&mine);
		/* Every third text is marks of two classes in turn only. */
		for (k = 0; text.len < want; k++) {
			seed = seed * 1103515245u + 12345u;
			if (round % 3 == 0)
				put_cp(&text, k % 2 ? 0x301 : 0x316);
			else
				put_cp(&text, pool[(seed >> 16) % (round % 3 == 1 ? 10 : n_pool)]);
		}
		n = utf8proc_map((const utf8proc_uint8_t *)text.ptr, (utf8proc_ssize_t)text.len,
		                 &norm, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
		CHECK(n >= 0);
		CHECK_EQ_INT(Pa_nfkc(text.ptr, text.len, &mine, &err), PA_OK);
		differ += n < 0 || mine.len != (size_t)n || memcmp(mine.ptr, norm, mine.len) != 0;
		free(norm);
	}
	CHECK_EQ_INT(differ, 0);
	pa_buf_release(&text);
	pa_buf_release(&mine);
}

int main(void)
{
	RUN(test_cases);
	RUN(test_stable);
	RUN(test_stretch_memo);
	RUN(test_long_stretches);
	RUN(test_stable_prefix);
	RUN(test_claude_ids);
	RUN(test_reference);
	return pa_test_summary();
}
