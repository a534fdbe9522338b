/* count_tree.h - `promptasm count DIR`: a directory's tokens as a tree. */
#ifndef CLI_COUNT_TREE_H
#define CLI_COUNT_TREE_H

#include "cli.h"

/* What count DIR does besides counting. */
typedef struct cli_count_tree_options {
	int lossy;                  /* count invalid UTF-8 as U+FFFD */
	int no_ignore;              /* count what .gitignore leaves out */
	const char *const *excludes; /* --exclude globs (gitignore's syntax),
	                              * from dir */
	size_t n_excludes;
	int skip_generated;         /* leave out cli_count_skip_patterns too */
	int share;                  /* each entry's share of the total, in % */
	size_t top;                 /* > 0: the total and the N largest files,
	                             * not the tree */
	int sort_tokens;            /* entries by count, largest first, not by
	                             * name */
	int jobs;                   /* threads counting files; 0: the CPUs */
	size_t max_entries;         /* files and directories read, at most */
	int write_out;              /* the output may be written to standard
	                             * output (and out emptied) as it is
	                             * rendered: nothing after this tree can
	                             * make the command fail */
} cli_count_tree_options;

/* Counts every text file under dir (links not followed; .git, .hg, .svn
 * and node_modules not walked; what the .gitignore files of the walk and
 * of the directories above dir up to its repository's top, and the
 * repository's .git/info/exclude, leave out is left out, unless
 * no_ignore; in a git work tree whose index is read, the files git lists
 * with `ls-files --cached --others --exclude-standard`, tracked ones
 * counted whatever .gitignore says, only .git left out by name, a
 * submodule or nested repository left out; what the excludes match is
 * left out; at most max_entries
 * entries and PA_WALK_MAX_DEPTH levels, else an error that says how to
 * raise the limit) and appends to out the tree, each line the count then
 * the name, a directory's count the sum of what it holds; or, with top,
 * the total and the largest files; or, when json is not NULL, the files
 * there as `count -f json` lists them.  Files that are not text (a NUL
 * byte, or invalid UTF-8 without lossy, anywhere in a file of any size)
 * are shown as such but not counted.  Entries are opened relative to
 * their directory, so a path of any length is counted; one that cannot
 * be read is an error naming it.  *total is the sum.  Prints errors;
 * returns an exit code. */
/* What --skip-generated leaves out: lock files, build output, caches,
 * logs, snapshots, source maps and binaries by name, as one gitignore
 * file at the top of the walk (count_skip.c). */
extern const char cli_count_skip_patterns[];

int cli_count_tree(const pa_tokenizer *tok, const char *dir,
                   const cli_count_tree_options *o, Pa_jw *json, pa_buf *out,
                   size_t *total);

#endif
