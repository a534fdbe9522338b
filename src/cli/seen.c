/* seen.c - a set of strings: open addressing with linear probing, at most
 * half full, so adding stays O(1) on average. */
#define _POSIX_C_SOURCE 200809L
#include "seen.h"
#include "cli.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* FNV-1a from a start that depends on the set's seed, mixed, as the
 * library's set (src/strset.c) does: plain FNV-1a let a CLAUDE.md choose
 * 65,536 missing imports whose warnings all went to one slot (check took
 * 104 s instead of 3). */
static uint64_t hash_of(uint64_t seed, const char *s)
{
	uint64_t h = 14695981039346656037ULL ^ seed;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return mix(h);
}

/* A seed that differs from run to run: addresses moved by address space
 * layout randomization, and the clock.  No output depends on it. */
static uint64_t new_seed(const void *fresh)
{
	static const char here;
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return mix((uint64_t)(uintptr_t)fresh ^ mix((uint64_t)(uintptr_t)&here) ^
	           mix((uint64_t)t.tv_sec * 1000000007ULL + (uint64_t)t.tv_nsec));
}

/* The slot of s: where it is, or the free one where it would go. */
static size_t slot_of(char **slots, size_t cap, uint64_t seed, const char *s)
{
	size_t i = (size_t)hash_of(seed, s) & (cap - 1);

	while (slots[i] && strcmp(slots[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static void grow(cli_seen *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64, i;
	char **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		cli_out_of_memory(0);
	if (!set->cap)
		set->seed = new_seed(slots);
	for (i = 0; i < set->cap; i++)
		if (set->slots[i])
			slots[slot_of(slots, cap, set->seed, set->slots[i])] = set->slots[i];
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
}

int cli_seen_add(cli_seen *set, const char *s)
{
	size_t i;

	if (2 * (set->n + 1) > set->cap)
		grow(set);
	i = slot_of(set->slots, set->cap, set->seed, s);
	if (set->slots[i])
		return 0;
	set->slots[i] = strdup(s);
	if (!set->slots[i])
		cli_out_of_memory(0);
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
