/*
 * settings.h - Claude Code's settings files as discovered: the model is
 * the discover layer's (pa_cc_config in src/discover/discover.h, which
 * says which files are read and how they merge).  Not installed.
 */
#ifndef PA_SETTINGS_H
#define PA_SETTINGS_H

#include "paths.h"
#include "prompt.h"

#endif
