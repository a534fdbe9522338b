/*
 * yamltree.h - a YAML document as a small tree, read with libyaml.
 *
 * Manifests, frontmatter and the config file are small, so a tree is the
 * simplest way to read them: every node keeps its line and column for
 * error messages.  Anchors and aliases are refused (nothing we read needs
 * them, and refusing them rules out alias bombs).
 */
#ifndef PA_YAMLTREE_H
#define PA_YAMLTREE_H

#include "base.h"

typedef enum Pa_ynode_type {
	PA_YNODE_SCALAR,
	PA_YNODE_SEQUENCE,
	PA_YNODE_MAPPING
} Pa_ynode_type;

typedef struct Pa_ynode {
	Pa_ynode_type type;
	char *scalar;        /* NUL-terminated value of a scalar, else NULL */
	size_t scalar_len;
	int plain;           /* 1 when the scalar was unquoted (so `null` is null) */
	long line, column;   /* 1-based start of the node */
	size_t n;            /* sequence: items; mapping: key/value pairs */
	struct Pa_ynode **items; /* mapping: items[2i] key, items[2i+1] value */
} Pa_ynode;

/* Parses text, which holds one document (a second is an error).  An
 * empty document gives *root == NULL.  `file` names the file in error messages.  The caller frees the
 * tree with Pa_ynode_free(). */
pa_status Pa_yaml_parse(const char *text, size_t len, const char *file,
                        Pa_ynode **root, pa_error *err);
void Pa_ynode_free(Pa_ynode *node);

/* The value of key in a mapping, or NULL.  Borrowed from the tree. */
const Pa_ynode *Pa_ynode_get(const Pa_ynode *map, const char *key);

/* 1 when node is a plain `null`, `~` or empty scalar. */
int Pa_ynode_is_null(const Pa_ynode *node);

/* What YAML 1.2's core schema reads a scalar as: a quoted one is a
 * string; a plain one is null, a boolean (`true`, `False`), an integer
 * (`12`, `+0`, `0o17`, `0x1F`), a float (`1.`, `1e3`, `.inf`, `.NaN`) or
 * else a string: `yes`, `on`, `0b101`, `1_000` and `1:20` are strings,
 * which YAML 1.1 alone reads otherwise.  A node that is not a scalar is
 * PA_YCORE_OTHER. */
typedef enum Pa_ycore {
	PA_YCORE_STRING,
	PA_YCORE_NULL,
	PA_YCORE_BOOL,
	PA_YCORE_INT,
	PA_YCORE_FLOAT,
	PA_YCORE_OTHER
} Pa_ycore;
Pa_ycore Pa_ynode_core(const Pa_ynode *node);

#endif
