/* count_tree.h - `promptasm count DIR`: a directory's tokens as a tree. */
#ifndef CLI_COUNT_TREE_H
#define CLI_COUNT_TREE_H

#include "cli.h"

/* Counts every text file under dir (links not followed; .git, .hg, .svn
 * and node_modules not walked; at most PA_WALK_MAX_ENTRIES entries and
 * PA_WALK_MAX_DEPTH levels, else an error) and appends to out the tree,
 * each line the count then the name, a directory's count the sum of what
 * it holds; or, when json is not NULL, the files there as
 * `count -f json` lists them.  Files that are not UTF-8 text are
 * shown but not counted, unless lossy (a file over PA_INPUT_MAX_BYTES
 * judged from its first PA_TEXT_SNIFF_BYTES bytes, then counted in
 * blocks).  Entries are opened relative to their directory, so a path of
 * any length is counted; one that cannot be read is an error naming it.
 * *total is the sum.  Prints errors; returns an exit code. */
int cli_count_tree(const pa_tokenizer *tok, const char *dir, int lossy,
                   Pa_jw *json, pa_buf *out, size_t *total);

#endif
