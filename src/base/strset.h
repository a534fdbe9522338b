/*
 * strset.h - a set of strings, for "seen" lists that a hostile input can
 * make long (files included, directories walked, frontmatter keys): a
 * linear search there makes the whole run quadratic.  Not installed.
 *
 * The set owns copies of its strings.  Start with PA_STRSET_INIT, end with
 * pa_strset_release().  Strings are compared as bytes with their length,
 * so they may hold NUL bytes.
 */
#ifndef PA_STRSET_H
#define PA_STRSET_H

#include "base.h"

typedef struct pa_strset_node pa_strset_node;

typedef struct pa_strset {
	pa_strset_node **buckets;
	size_t nbuckets;
	size_t n;
	uint64_t seed; /* of the hash, drawn when the buckets are first made */
} pa_strset;

#define PA_STRSET_INIT { NULL, 0, 0, 0 }

/* Adds s; returns 1 when it was not there, 0 when it was. */
int pa_strset_add(pa_strset *set, const char *s, size_t len);
/* 1 when s is in the set. */
int pa_strset_has(const pa_strset *set, const char *s, size_t len);
/* How many strings the fullest bucket holds: for tests, which check that
 * no set of keys a file can choose lands in one. */
size_t pa_strset_longest_chain(const pa_strset *set);
/* Removes s; returns 1 when it was there. */
int pa_strset_remove(pa_strset *set, const char *s, size_t len);
/* Frees everything, back to PA_STRSET_INIT. */
void pa_strset_release(pa_strset *set);

#endif
