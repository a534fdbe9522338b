/*
 * base.h - the base layer's face: what the library's modules read with
 * (the Markdown scanner, markdown.h; the YAML tree, yamltree.h; the
 * `paths:` globs, glob.h; a pattern matched against a whole id,
 * regex.h; paths as strings, pathname.h, which this header brings in)
 * over the helper library (src/util/util.h:
 * allocation, the growable buffer, errors, files, UTF-8, string sets),
 * which this header brings in.  Not installed; the CLI (src/cli/) sees
 * only include/promptasm.h and src/util/util.h.
 */
#ifndef PA_BASE_H
#define PA_BASE_H

#include "util/util.h"
#include "pathname.h"

#endif
