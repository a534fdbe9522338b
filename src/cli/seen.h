/*
 * seen.h - a set of strings for the CLI's "once each" lists (warnings
 * printed, instruction files checked).  A project can make those lists
 * long (a CLAUDE.md of 100,000 distinct missing imports), and a linear
 * search in each would make the run quadratic.  The library has its own
 * set (src/strset.c); the CLI sees only promptasm.h, so it keeps this one.
 */
#ifndef PA_CLI_SEEN_H
#define PA_CLI_SEEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct cli_seen {
	char **slots;  /* open addressing; NULL: free */
	size_t cap;    /* a power of two, or 0 */
	size_t n;
	uint64_t seed; /* of the hash, drawn when the slots are first made */
} cli_seen;

#define CLI_SEEN_INIT { NULL, 0, 0, 0 }

/* Adds a copy of s; returns 1 when it was new, 0 when it was there. */
int cli_seen_add(cli_seen *set, const char *s);
/* Frees everything, back to CLI_SEEN_INIT. */
void cli_seen_release(cli_seen *set);

#endif
