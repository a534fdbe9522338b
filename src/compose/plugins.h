/*
 * plugins.h - the plugins Claude Code loads agents and skills from, as
 * discovered (src/discover/plugins.c says how they are found).  Not
 * installed.
 */
#ifndef PA_PLUGINS_H
#define PA_PLUGINS_H

#include "paths.h"

typedef pa_cc_plugin pa_plugin;

/* The installed, enabled plugins, in the order the settings enable them:
 * borrowed from pl's model (Pa_plugins_free does nothing with them). */
void Pa_plugins_find(const pa_places *pl, pa_plugin **out, size_t *n);
void Pa_plugins_free(pa_plugin *list, size_t n);

#endif
