/* seen.c - a set of strings: open addressing with linear probing, at most
 * half full, so adding stays O(1) on average. */
#define _POSIX_C_SOURCE 200809L
#include "seen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_of(const char *s)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The slot of s: where it is, or the free one where it would go. */
static size_t slot_of(char **slots, size_t cap, const char *s)
{
	size_t i = (size_t)hash_of(s) & (cap - 1);

	while (slots[i] && strcmp(slots[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static void grow(cli_seen *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64, i;
	char **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		abort();
	for (i = 0; i < set->cap; i++)
		if (set->slots[i])
			slots[slot_of(slots, cap, set->slots[i])] = set->slots[i];
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
}

int cli_seen_add(cli_seen *set, const char *s)
{
	size_t i;

	if (2 * (set->n + 1) > set->cap)
		grow(set);
	i = slot_of(set->slots, set->cap, s);
	if (set->slots[i])
		return 0;
	set->slots[i] = strdup(s);
	if (!set->slots[i])
		abort();
	set->n++;
	return 1;
}

void cli_seen_release(cli_seen *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
