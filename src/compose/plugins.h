/*
 * plugins.h - the plugins Claude Code loads agents and skills from (see
 * plugins.c for the rule).  Not installed.
 */
#ifndef PA_PLUGINS_H
#define PA_PLUGINS_H

#include "paths.h"

typedef struct pa_plugin {
	char *name; /* the namespace of its agents and skills */
	char *dir;  /* absolute: agents/ and skills/ are under it */
} pa_plugin;

/* The installed, enabled plugins, in the order the settings enable them.
 * Missing or unreadable files give none.  The caller frees the list with
 * pa_plugins_free(). */
void pa_plugins_find(const pa_places *pl, pa_plugin **out, size_t *n);
void pa_plugins_free(pa_plugin *list, size_t n);

#endif
