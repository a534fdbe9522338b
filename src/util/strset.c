/* strset.c - a set of strings: separate chaining, doubled when it holds
 * as many strings as buckets, so adding and finding stay O(1) on average. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct Pa_strset_node {
	Pa_strset_node *next;
	uint64_t hash;
	size_t value; /* Pa_strset_value()'s; 0 when added */
	size_t len;
	char s[]; /* len bytes and a NUL */
};

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* FNV-1a from a start that depends on the set's seed, mixed: a bucket
 * depends on all 64 bits of the state.  Plain FNV-1a let a file choose
 * keys whose hashes agree in the low bits that pick a bucket (64,000
 * frontmatter keys: 10 s instead of 0.3); with a seed no file can know,
 * it would have to make whole states collide. */
static uint64_t hash_of(uint64_t seed, const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL ^ seed;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return mix(h);
}

/* A seed that differs from run to run: the addresses of a new allocation
 * and of a static variable (both moved by address space layout
 * randomization) and the clock.  Only the order of the buckets depends on
 * it, and no output does. */
static uint64_t new_seed(const void *fresh)
{
	static const char here;
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return mix((uint64_t)(uintptr_t)fresh ^ mix((uint64_t)(uintptr_t)&here) ^
	           mix((uint64_t)t.tv_sec * 1000000007ULL + (uint64_t)t.tv_nsec));
}

static Pa_strset_node **slot_of(const Pa_strset *set, const char *s,
                                size_t len, uint64_t h)
{
	Pa_strset_node **p = &set->buckets[h & (set->nbuckets - 1)];

	while (*p && !((*p)->hash == h && (*p)->len == len &&
	               !memcmp((*p)->s, s, len)))
		p = &(*p)->next;
	return p;
}

static void grow(Pa_strset *set)
{
	size_t nb = set->nbuckets ? set->nbuckets * 2 : 64, i;
	Pa_strset_node **b = Pa_xcalloc(nb, sizeof(*b));

	for (i = 0; i < set->nbuckets; i++) {
		Pa_strset_node *node = set->buckets[i], *next;
		for (; node; node = next) {
			next = node->next;
			node->next = b[node->hash & (nb - 1)];
			b[node->hash & (nb - 1)] = node;
		}
	}
	if (!set->nbuckets)
		set->seed = new_seed(b);
	free(set->buckets);
	set->buckets = b;
	set->nbuckets = nb;
}

/* The node of s, added when it was not there (*added then 1). */
static Pa_strset_node *node_of(Pa_strset *set, const char *s, size_t len,
                               int *added)
{
	Pa_strset_node **p, *node;
	uint64_t h;

	if (set->n >= set->nbuckets)
		grow(set);
	h = hash_of(set->seed, s, len);
	p = slot_of(set, s, len, h);
	*added = !*p;
	if (*p)
		return *p;
	node = Pa_xmalloc(sizeof(*node) + len + 1);
	node->next = NULL;
	node->hash = h;
	node->value = 0;
	node->len = len;
	memcpy(node->s, s, len);
	node->s[len] = '\0';
	*p = node;
	set->n++;
	return node;
}

int Pa_strset_add(Pa_strset *set, const char *s, size_t len)
{
	int added;

	node_of(set, s, len, &added);
	return added;
}

size_t *Pa_strset_value(Pa_strset *set, const char *s, size_t len)
{
	int added;

	return &node_of(set, s, len, &added)->value;
}

size_t Pa_strset_get(const Pa_strset *set, const char *s, size_t len)
{
	const Pa_strset_node *node;

	if (!set->nbuckets)
		return 0;
	node = *slot_of(set, s, len, hash_of(set->seed, s, len));
	return node ? node->value : 0;
}

int Pa_strset_has(const Pa_strset *set, const char *s, size_t len)
{
	if (!set->nbuckets)
		return 0;
	return *slot_of(set, s, len, hash_of(set->seed, s, len)) != NULL;
}

int Pa_strset_remove(Pa_strset *set, const char *s, size_t len)
{
	Pa_strset_node **p, *node;

	if (!set->nbuckets)
		return 0;
	p = slot_of(set, s, len, hash_of(set->seed, s, len));
	if (!*p)
		return 0;
	node = *p;
	*p = node->next;
	free(node);
	set->n--;
	return 1;
}

size_t Pa_strset_longest_chain(const Pa_strset *set)
{
	size_t i, most = 0;

	for (i = 0; i < set->nbuckets; i++) {
		const Pa_strset_node *node;
		size_t n = 0;

		for (node = set->buckets[i]; node; node = node->next)
			n++;
		if (n > most)
			most = n;
	}
	return most;
}

void Pa_strset_release(Pa_strset *set)
{
	size_t i;

	for (i = 0; i < set->nbuckets; i++) {
		Pa_strset_node *node = set->buckets[i], *next;
		for (; node; node = next) {
			next = node->next;
			free(node);
		}
	}
	free(set->buckets);
	set->buckets = NULL;
	set->nbuckets = 0;
	set->n = 0;
	set->seed = 0;
}
