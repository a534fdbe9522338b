/*
 * claude_band.c - how far a current Claude model's count may be from the
 * claude tokenizer's (Claude 2's, the one Anthropic published): a band,
 * low to high times our count, by the table claude-bands.tsv of the
 * tokenizer directory (data, not code; its sources in docs/tokenizers.md)
 * and the kinds of text the prompt holds.
 *
 * Each row of the table is a PCRE2 pattern that must match the whole model
 * id, a tab, a kind (prose, code or other), a tab, the low and the high
 * end, a tab, the source.  The first row of each kind whose pattern
 * matches gives that kind's band; the band of a text is the mean of the
 * kinds' bands weighted by how many characters of each kind it holds:
 * letters of the Latin script outside fenced code blocks are prose, every
 * other letter outside them is other, and what is not white space inside
 * them is code.  A text of none of them (digits, punctuation) is prose.
 */
#include "base/base.h"
#include "base/regex.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BANDS_FILE "claude-bands.tsv"

enum { KIND_PROSE, KIND_CODE, KIND_OTHER, KINDS };
static const char *const kind_name[KINDS] = { "prose", "code", "other" };

/* Whether the whole of id matches pattern[0..len); -1 when the pattern
 * does not compile. */
static int matches(const char *id, const char *pattern, size_t len,
                   size_t *erroff, char *msg, size_t msgsize)
{
	return Pa_regex_whole_match(id, pattern, len, NULL, 0, NULL, erroff, msg,
	                            msgsize);
}

/* A number of the table: digits, a point, digits; 0 < v < 100. */
static int number(const char *s, size_t len, double *v)
{
	char buf[32], *end;

	if (!len || len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
		return 0;
	*v = strtod(buf, &end);
	return !*end && *v > 0 && *v < 100;
}

/* The bands of each kind for model, from the table text (path names it
 * in errors).  A kind no row gives is 1..1 (exact). */
static pa_status read_bands(const pa_buf *text, const char *path,
                            const char *model, double low[KINDS],
                            double high[KINDS], pa_error *err)
{
	const char *p = text->ptr, *end = text->ptr + text->len;
	int found[KINDS] = { 0 }, k;
	long line = 0;

	for (k = 0; k < KINDS; k++)
		low[k] = high[k] = 1;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *f[5];
		size_t n[5], erroff = 0;
		char msg[128];
		int i, rc;

		if (!eol)
			eol = end;
		line++;
		if (p == eol || *p == '#') {
			p = eol + 1;
			continue;
		}
		/* Five fields, tab-separated. */
		f[0] = p;
		for (i = 0; i < 5; i++) {
			const char *tab = i < 4 ? memchr(f[i], '\t', (size_t)(eol - f[i])) : NULL;

			n[i] = (size_t)((tab ? tab : eol) - f[i]);
			if (i < 4) {
				if (!tab)
					return Pa_error_set(err, PA_ERR_PARSE, path, line, 0,
					                    "a row is a pattern, a kind, the low "
					                    "and the high end and a source, "
					                    "separated by tabs");
				f[i + 1] = tab + 1;
			}
		}
		for (k = 0; k < KINDS; k++)
			if (strlen(kind_name[k]) == n[1] && !memcmp(f[1], kind_name[k], n[1]))
				break;
		if (k == KINDS)
			return Pa_error_set(err, PA_ERR_PARSE, path, line,
			                    (long)(f[1] - p) + 1,
			                    "unknown kind of text (prose, code or other)");
		{
			double lo, hi;

			if (!number(f[2], n[2], &lo) || !number(f[3], n[3], &hi) || lo > hi)
				return Pa_error_set(err, PA_ERR_PARSE, path, line,
				                    (long)(f[2] - p) + 1,
				                    "the ends of a band are numbers, low "
				                    "before high");
			if (!found[k]) {
				rc = matches(model, f[0], n[0], &erroff, msg, sizeof(msg));
				if (rc < 0)
					return Pa_error_set(err, PA_ERR_PARSE, path, line,
					                    (long)erroff + 1, "bad pattern: %s", msg);
				if (rc) {
					low[k] = lo;
					high[k] = hi;
					found[k] = 1;
				}
			}
		}
		p = eol + 1;
	}
	return PA_OK;
}

/* Letters of the Latin script: ASCII, Latin-1, Latin Extended-A/B,
 * IPA, Latin Extended Additional, and the like. */
static int latin(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
	       (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) ||
	       (c >= 0xA720 && c <= 0xA7FF) || (c >= 0xFF21 && c <= 0xFF5A);
}

/* A letter of another script (a rough test, enough for weights): Greek
 * onwards, but not the punctuation, symbols and spaces of U+2000-U+2BFF,
 * U+3000-U+303F and U+FE00-U+FFEF. */
static int other_letter(uint32_t c)
{
	return c >= 0x370 && !latin(c) && !(c >= 0x2000 && c <= 0x2BFF) &&
	       !(c >= 0x3000 && c <= 0x303F) && !(c >= 0xFE00 && c <= 0xFFEF) &&
	       !(c >= 0x1F000 && c <= 0x1FAFF);
}

/* The code point at s (valid UTF-8, as every text counted is). */
static uint32_t next_cp(const unsigned char *s, size_t len, size_t *n)
{
	if (s[0] < 0x80 || len < 2) {
		*n = 1;
		return s[0];
	}
	if (s[0] < 0xE0 || len < 3) {
		*n = 2;
		return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if (s[0] < 0xF0 || len < 4) {
		*n = 3;
		return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) |
		       (s[2] & 0x3F);
	}
	*n = 4;
	return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
	       ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/* A fence line: up to 3 spaces, then 3 or more ` or ~. */
static int fence(const char *s, size_t len)
{
	size_t i = 0, run = 0;

	while (i < len && i < 3 && s[i] == ' ')
		i++;
	while (i + run < len && (s[i + run] == '`' || s[i + run] == '~') &&
	       s[i + run] == s[i])
		run++;
	return run >= 3;
}

#define ONES 0x0101010101010101ull
#define HIGH (ONES << 7)

/* The bytes of w (all ASCII) that are letters, as their high bits: w | 0x20
 * folds the capitals onto the small letters, and no byte carries into the
 * next since all stay below 0x100. */
static uint64_t ascii_letters(uint64_t w)
{
	uint64_t x = w | ONES * 0x20;

	return (x + ONES * (0x80 - 'a')) & ~(x + ONES * (0x80 - 'z' - 1)) & HIGH;
}

/* The bytes of w that are not c, as their high bits (exact: no borrow). */
static uint64_t bytes_not(uint64_t w, unsigned char c)
{
	uint64_t y = w ^ ONES * c;

	return (((y & ~HIGH) + ~HIGH) | y) & HIGH;
}

static unsigned count_high(uint64_t x)
{
	return (unsigned)(((x >> 7) * ONES) >> 56);
}

/* The characters of each kind in text.  ASCII is taken eight bytes at a
 * time without decoding it: check weighs every agent's whole prompt, the
 * shared instructions included (1,000 agents that share 306 KB: the whole
 * check took 2.6 s, three quarters of it here, a call of latin() and a
 * double added at each character; 0.98 s after). */
static void weigh(const char *text, size_t len, double w[KINDS])
{
	size_t at = 0, count[KINDS] = { 0, 0, 0 };
	int in_code = 0, k;

	while (at < len) {
		const char *eol = memchr(text + at, '\n', len - at);
		size_t end = eol ? (size_t)(eol - text) : len, i, n;

		if (fence(text + at, end - at)) {
			in_code = !in_code;
			at = end + 1;
			continue;
		}
		for (i = at; i < end; i += n) {
			unsigned char b = (unsigned char)text[i];
			uint64_t word;
			uint32_t c;

			if (end - i >= 8 && (memcpy(&word, text + i, 8), !(word & HIGH))) {
				n = 8;
				if (in_code)
					count[KIND_CODE] += count_high(bytes_not(word, ' ') &
					                               bytes_not(word, '\t') &
					                               bytes_not(word, '\r'));
				else
					count[KIND_PROSE] += count_high(ascii_letters(word));
				continue;
			}
			if (b < 0x80) {
				n = 1;
				if (in_code)
					count[KIND_CODE] += b != ' ' && b != '\t' && b != '\r';
				else
					count[KIND_PROSE] += (unsigned)((b | 0x20) - 'a') < 26;
				continue;
			}
			c = next_cp((const unsigned char *)text + i, end - i, &n);
			if (in_code)
				count[KIND_CODE]++;
			else if (latin(c))
				count[KIND_PROSE]++;
			else if (other_letter(c))
				count[KIND_OTHER]++;
		}
		at = end + 1;
	}
	for (k = 0; k < KINDS; k++)
		w[k] = (double)count[k];
}

/*
 * The bands of the models asked for, kept for the process: check asks
 * for every agent's, twice, and each time the table was read and each of
 * its rows compiled as a pattern (400 agents: 20,000 patterns, 5% of the
 * native check, and in the npm package reads through Node and a matcher
 * worth optimizing).  A table is known by its path, device, inode, size
 * and modification time, so one rewritten since is read again.  Up to
 * MEMO_MODELS of them, as a repository names few; past that, each is read
 * as before.
 */
#define MEMO_MODELS 32

typedef struct band_memo {
	char *path, *model;
	Pa_file_id id;
	double lo[KINDS], hi[KINDS];
} band_memo;

static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static band_memo memo[MEMO_MODELS];
static size_t n_memo;

/* The bands of model kept for the table at path as st describes it. */
static int memo_find(const char *path, const char *model, const struct stat *st,
                     double lo[KINDS], double hi[KINDS])
{
	size_t i;
	int found = 0;

	pthread_mutex_lock(&memo_lock);
	for (i = 0; i < n_memo && !found; i++)
		if (!strcmp(memo[i].path, path) && !strcmp(memo[i].model, model) &&
		    Pa_file_id_is(&memo[i].id, st)) {
			memcpy(lo, memo[i].lo, sizeof(memo[i].lo));
			memcpy(hi, memo[i].hi, sizeof(memo[i].hi));
			found = 1;
		}
	pthread_mutex_unlock(&memo_lock);
	return found;
}

static void memo_keep(const char *path, const char *model, const struct stat *st,
                      const double lo[KINDS], const double hi[KINDS])
{
	size_t i;

	pthread_mutex_lock(&memo_lock);
	/* The entry of this path and model, if the table was rewritten. */
	for (i = 0; i < n_memo; i++)
		if (!strcmp(memo[i].path, path) && !strcmp(memo[i].model, model))
			break;
	if (i == n_memo && n_memo < MEMO_MODELS) {
		memo[i].path = Pa_xstrdup(path);
		memo[i].model = Pa_xstrdup(model);
		n_memo++;
	}
	if (i < n_memo) {
		Pa_file_id_of(st, &memo[i].id);
		memcpy(memo[i].lo, lo, sizeof(memo[i].lo));
		memcpy(memo[i].hi, hi, sizeof(memo[i].hi));
	}
	pthread_mutex_unlock(&memo_lock);
}

pa_status pa_claude_band(const char *model, const char *text, size_t len,
                         const char *dir, double *low, double *high,
                         pa_error *err)
{
	struct stat st_before;
	int known;
	char *where = pa_tokenizer_dir(dir), *path;
	pa_buf table = PA_BUF_INIT;
	double lo[KINDS], hi[KINDS], w[KINDS], sum;
	pa_status st;
	int k;

	*low = *high = 1;
	if (!where)
		return Pa_error_set(err, PA_ERR_DATA, NULL, 0, 0,
		                    "no tokenizer directory: the band of Claude "
		                    "counts (" BANDS_FILE ") is missing");
	path = Pa_xmalloc(strlen(where) + sizeof("/" BANDS_FILE));
	strcpy(path, where);
	strcat(path, "/" BANDS_FILE);
	free(where);
	/* Known by what it was before it is read: a table rewritten while
	 * it is read is read again at the next call. */
	known = stat(path, &st_before) == 0 && S_ISREG(st_before.st_mode);
	if (known && memo_find(path, model ? model : "", &st_before, lo, hi)) {
		st = PA_OK;
	} else {
		st = pa_file_read_limited(path, PA_MANIFEST_MAX_BYTES, 0, &table, err);
		if (st == PA_ERR_NOT_FOUND && err)
			err->status = st = PA_ERR_DATA;
		if (st == PA_OK)
			st = read_bands(&table, path, model ? model : "", lo, hi, err);
		if (st == PA_OK && known)
			memo_keep(path, model ? model : "", &st_before, lo, hi);
		pa_buf_release(&table);
	}
	free(path);
	if (st != PA_OK)
		return st;
	if (!text) {
		/* The band whatever the text: its widest, which budgets hold
		 * to, the same for every text of the model. */
		*low = lo[0];
		*high = hi[0];
		for (k = 1; k < KINDS; k++) {
			if (lo[k] < *low)
				*low = lo[k];
			if (hi[k] > *high)
				*high = hi[k];
		}
		return PA_OK;
	}
	weigh(text, len, w);
	sum = w[KIND_PROSE] + w[KIND_CODE] + w[KIND_OTHER];
	if (sum == 0) {
		w[KIND_PROSE] = 1;
		sum = 1;
	}
	*low = *high = 0;
	for (k = 0; k < KINDS; k++) {
		*low += lo[k] * w[k] / sum;
		*high += hi[k] * w[k] / sum;
	}
	/* Two decimals, as the table and every output shows them. */
	*low = (double)(long)(*low * 100 + 0.5) / 100;
	*high = (double)(long)(*high * 100 + 0.5) / 100;
	return PA_OK;
}
