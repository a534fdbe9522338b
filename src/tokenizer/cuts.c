/* cuts.c - the boundaries of a piece that no token crosses (see cuts.h). */
#include "cuts.h"

#include <string.h>

static int is_continuation(unsigned char b)
{
	return (b & 0xC0) == 0x80;
}

/* The length of the character that starts with byte b (1 for a byte that
 * starts none, which valid UTF-8 never puts there), by a load: the search
 * steps from one character to the next through it. */
#define WIDTHS16(w) w, w, w, w, w, w, w, w, w, w, w, w, w, w, w, w
static const unsigned char width_of[256] = {
	WIDTHS16(1), WIDTHS16(1), WIDTHS16(1), WIDTHS16(1),
	WIDTHS16(1), WIDTHS16(1), WIDTHS16(1), WIDTHS16(1),
	WIDTHS16(1), WIDTHS16(1), WIDTHS16(1), WIDTHS16(1),
	WIDTHS16(2), WIDTHS16(2), WIDTHS16(3), WIDTHS16(4),
};

/* The pair of characters p[0..m) (two characters, m <= 8) as a key: their
 * bytes, which also tell where the first ends (a valid character's first
 * byte tells its length).  With 8 bytes readable from p, one load and a
 * mask. */
static uint64_t pair_key(const unsigned char *p, size_t m, int readable8)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (readable8) {
		uint64_t w;

		memcpy(&w, p, 8);
		return w & (~0ull >> (64 - 8 * m));
	}
#else
	(void)readable8;
#endif
	return pa_rank_load_upto8(p, m);
}

/* Where a key's bits are: the word in the high bits of its hash, the two
 * bits in that word lower down. */
static uint64_t pair_hash(uint64_t key)
{
	return (key ^ key >> 29) * 0x9E3779B97F4A7C15ull;
}

static size_t pair_word(uint64_t h)
{
	return (size_t)(h >> 51) & (PA_CUTS_WORDS - 1);
}

static uint64_t pair_bits(uint64_t h)
{
	return 1ull << (h >> 20 & 63) | 1ull << (h >> 26 & 63);
}

void Pa_cuts_derive(const Pa_ranktable *t, unsigned char *out)
{
	uint64_t *filter = (uint64_t *)(void *)out;
	unsigned char *partial = out + PA_CUTS_WORDS * sizeof(uint64_t);
	uint32_t id;

	for (id = 0; id < t->n_ids; id++) {
		const unsigned char *b = t->bytes + t->offsets[id];
		size_t len = t->offsets[id + 1] - t->offsets[id], k;

		/* Each boundary of the token's characters: the character (or
		 * tail of one) before it and the character (or head of one)
		 * after it. */
		for (k = 1; k < len; k++) {
			size_t i = k - 1, j = k + 1, m1, m2;
			uint64_t h;

			if (is_continuation(b[k]))
				continue;
			while (i > 0 && is_continuation(b[i]))
				i--;
			while (j < len && is_continuation(b[j]))
				j++;
			m1 = k - i;
			m2 = j - k;
			if (is_continuation(b[i]) || m2 < width_of[b[k]]) {
				unsigned pair = (unsigned)b[k - 1] << 8 | b[k];

				partial[pair >> 3] |= (unsigned char)(1u << (pair & 7));
				continue;
			}
			if (m1 > 4 || m2 > 4) /* in no valid text */
				continue;
			h = pair_hash(pair_key(b + i, m1 + m2, 0));
			filter[pair_word(h)] |= pair_bits(h);
		}
	}
}

void Pa_cuts_view(const unsigned char *base, Pa_cut_tables *c)
{
	c->filter = (const uint64_t *)(const void *)base;
	c->partial = base + PA_CUTS_WORDS * sizeof(uint64_t);
}

size_t Pa_cuts_find(const Pa_cut_tables *c, const unsigned char *p, size_t n,
                    size_t from, size_t limit, size_t *cut, size_t max)
{
	size_t a = from, l1 = width_of[p[from]], last = from, k = 0;

	if (max == 0)
		return 0;
	/* Each boundary b = a + l1 between the characters p[a..b) and
	 * p[b..b + l2), while the second ends in the piece and within the
	 * limit of the last cut.  p[b] starts a character: the text is
	 * valid UTF-8, stepped through by the widths of its characters. */
	for (;;) {
		size_t b = a + l1, l2, m;
		unsigned pair;
		uint64_t h, bits;
		int is_cut;

		if (b >= n)
			break;
		l2 = width_of[p[b]];
		m = l1 + l2;
		if (m > n - a || a + m - last > limit)
			break;
		h = pair_hash(pair_key(p + a, m, n - a >= 8));
		bits = pair_bits(h);
		pair = (unsigned)p[b - 1] << 8 | p[b];
		/* Without a branch on it: a third of the boundaries of
		 * unspaced Chinese are not cuts (o200k_base), in no pattern
		 * a predictor learns, and the branch took half the search's
		 * time.  last is chosen by a mask, not by `is_cut ? b :
		 * last`, which gcc with the training profile (Makefile)
		 * compiled to that branch: 40 KB of Chinese took 1.18x the
		 * time, of Japanese 1.10x (tests/bench/NOTES.md). */
		is_cut = ((c->filter[pair_word(h)] & bits) != bits) &
		         !(c->partial[pair >> 3] >> (pair & 7) & 1);
		cut[k] = b;
		last ^= (last ^ b) & (0 - (size_t)is_cut);
		k += (size_t)is_cut;
		if (k == max)
			break;
		a = b;
		l1 = l2;
	}
	return k;
}

/* Bytes of cut pieces to a judgement, and pieces merged whole after a
 * judgement that cutting does not pay, then tried again; twice as many
 * after each such judgement in a row, up to JUDGE_REST << JUDGE_BACKOFF. */
#define JUDGE_BYTES 4096
#define JUDGE_FIRST_BYTES 1024
#define JUDGE_REST 4096
#define JUDGE_BACKOFF 4

void Pa_cuts_judge(Pa_cut_judge *j, size_t bytes, size_t merged)
{
	size_t window = j->judged ? JUDGE_BYTES : JUDGE_FIRST_BYTES;

	if (bytes > window) { /* one long piece weighs as a window */
		merged = (size_t)((uint64_t)merged * window / bytes);
		bytes = window;
	}
	j->bytes += (uint32_t)bytes;
	j->merged += (uint32_t)merged;
	if (j->bytes < window)
		return;
	/* Pays when at most a quarter was merged.  The scripts it pays for
	 * merge a few parts in ten while their characters are new (the
	 * memos start empty at a count of one file: unspaced Chinese with
	 * cl100k_base 15% and 21% in its first two windows, 12% or less
	 * after), those it does not merge most of them (Latin with
	 * cl100k_base 76% to 90%, Thai and Indic with o200k_base 82% to
	 * 95%).  At an eighth, those first two windows stopped the cutting
	 * for the rest of a 40 KB text, which then took 1.3x the time.  The
	 * first judgement, of a shorter window, only asks that no more than
	 * three quarters were merged: what it tells apart is the two kinds. */
	if (j->judged ? 4 * (uint64_t)j->merged <= j->bytes
	              : 4 * (uint64_t)j->merged <= 3 * (uint64_t)j->bytes) {
		j->failed = 0;
	} else {
		j->rest = JUDGE_REST << j->failed;
		if (j->failed < JUDGE_BACKOFF)
			j->failed++;
	}
	j->judged = 1;
	j->bytes = j->merged = 0;
}
