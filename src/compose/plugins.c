/*
 * plugins.c - the enabled plugins of a composition, from the model the
 * discover stage read (src/discover/plugins.c finds them).
 */
#include "plugins.h"

void Pa_plugins_find(const pa_places *pl, pa_plugin **out, size_t *n)
{
	*out = pl->cc ? pl->cc->plugins : NULL;
	*n = pl->cc ? pl->cc->n_plugins : 0;
}

void Pa_plugins_free(pa_plugin *list, size_t n)
{
	(void)list;
	(void)n;
}
