/* strset.c - a set of strings: separate chaining, doubled when it holds
 * as many strings as buckets, so adding and finding stay O(1) on average. */
#include "strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pa_strset_node {
	pa_strset_node *next;
	uint64_t hash;
	size_t len;
	char s[]; /* len bytes and a NUL */
};

/* FNV-1a: simple, and good enough for paths and keys. */
static uint64_t hash_of(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static pa_strset_node **slot_of(const pa_strset *set, const char *s,
                                size_t len, uint64_t h)
{
	pa_strset_node **p = &set->buckets[h & (set->nbuckets - 1)];

	while (*p && !((*p)->hash == h && (*p)->len == len &&
	               !memcmp((*p)->s, s, len)))
		p = &(*p)->next;
	return p;
}

static void grow(pa_strset *set)
{
	size_t nb = set->nbuckets ? set->nbuckets * 2 : 64, i;
	pa_strset_node **b = pa_xcalloc(nb, sizeof(*b));

	for (i = 0; i < set->nbuckets; i++) {
		pa_strset_node *node = set->buckets[i], *next;
		for (; node; node = next) {
			next = node->next;
			node->next = b[node->hash & (nb - 1)];
			b[node->hash & (nb - 1)] = node;
		}
	}
	free(set->buckets);
	set->buckets = b;
	set->nbuckets = nb;
}

int pa_strset_add(pa_strset *set, const char *s, size_t len)
{
	uint64_t h = hash_of(s, len);
	pa_strset_node **p, *node;

	if (set->n >= set->nbuckets)
		grow(set);
	p = slot_of(set, s, len, h);
	if (*p)
		return 0;
	node = pa_xmalloc(sizeof(*node) + len + 1);
	node->next = NULL;
	node->hash = h;
	node->len = len;
	memcpy(node->s, s, len);
	node->s[len] = '\0';
	*p = node;
	set->n++;
	return 1;
}

int pa_strset_has(const pa_strset *set, const char *s, size_t len)
{
	if (!set->nbuckets)
		return 0;
	return *slot_of(set, s, len, hash_of(s, len)) != NULL;
}

int pa_strset_remove(pa_strset *set, const char *s, size_t len)
{
	pa_strset_node **p, *node;

	if (!set->nbuckets)
		return 0;
	p = slot_of(set, s, len, hash_of(s, len));
	if (!*p)
		return 0;
	node = *p;
	*p = node->next;
	free(node);
	set->n--;
	return 1;
}

void pa_strset_release(pa_strset *set)
{
	size_t i;

	for (i = 0; i < set->nbuckets; i++) {
		pa_strset_node *node = set->buckets[i], *next;
		for (; node; node = next) {
			next = node->next;
			free(node);
		}
	}
	free(set->buckets);
	set->buckets = NULL;
	set->nbuckets = 0;
	set->n = 0;
}
