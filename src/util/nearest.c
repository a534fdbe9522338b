/* nearest.c - "did you mean": the candidate nearest to a word a user
 * typed, for the program's commands, options, tokenizers and agents and
 * the library's config keys alike. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The edit distance of a and b (insertions, deletions, substitutions and
 * swaps of neighbours), or max + 1 when it is over max. */
static size_t distance(const char *a, const char *b, size_t max)
{
	size_t na = strlen(a), nb = strlen(b), i, j, best;
	size_t *rows, *prev2, *prev, *cur, *t, d;

	if (na > 64 || nb > 64 || (na > nb ? na - nb : nb - na) > max)
		return max + 1;
	rows = Pa_xcalloc(3 * (nb + 1), sizeof(*rows));
	prev2 = rows;
	prev = prev2 + nb + 1;
	cur = prev + nb + 1;
	for (j = 0; j <= nb; j++)
		prev[j] = j;
	for (i = 1; i <= na; i++) {
		cur[0] = i;
		for (j = 1; j <= nb; j++) {
			d = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	best = prev[nb];
	free(rows);
	return best;
}

const char *Pa_nearest(const char *word, const char *const *cands, size_t n)
{
	/* A third of the word, at least 1 and at most 3: "buidl" is build,
	 * "o200" is o200k_base by its prefix, "x" is nothing. */
	size_t max = strlen(word) / 3, i, d, best_d, len = strlen(word);
	const char *best = NULL;

	if (max < 1)
		max = 1;
	if (max > 3)
		max = 3;
	best_d = max + 1;
	for (i = 0; i < n; i++) {
		if (!cands[i] || !strcmp(cands[i], word))
			continue;
		d = distance(word, cands[i], max);
		/* A word that begins a longer name (a tokenizer's family). */
		if (d > max && len >= 3 && !strncmp(cands[i], word, len))
			d = max;
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best;
}
