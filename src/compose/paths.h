/*
 * paths.h - paths, directory walks and the places a composition reads:
 * the discover layer's (src/discover/discover.h).  Not installed.
 */
#ifndef PA_PATHS_H
#define PA_PATHS_H

#include "discover/discover.h"

#endif
