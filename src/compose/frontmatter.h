/*
 * frontmatter.h - the YAML block at the top of agent files, rules and
 * skills: its one reader is the discover layer's (src/discover/
 * frontmatter.h, through discover.h).  Not installed.
 */
#ifndef PA_COMPOSE_FRONTMATTER_H
#define PA_COMPOSE_FRONTMATTER_H

#include "paths.h"

#endif
