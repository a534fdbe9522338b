/* walklimit.c - the entries one walk of a project reads at most, for the
 * process (pa_walk_limit_set() in promptasm.h): one value every walk
 * reads, set once before the walks by the session (its options, the
 * config's max_entries) or by count DIR (--max-entries). */
#include "util.h"

#include <stdatomic.h>

static atomic_size_t limit = PA_WALK_MAX_ENTRIES;

void pa_walk_limit_set(size_t max_entries)
{
	atomic_store(&limit, max_entries ? max_entries : (size_t)PA_WALK_MAX_ENTRIES);
}

size_t pa_walk_limit(void)
{
	return atomic_load(&limit);
}
