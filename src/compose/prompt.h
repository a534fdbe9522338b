/*
 * prompt.h - the prompt container the composer fills and the trimmer
 * edits: sections with their origin, and the warnings of a composition.
 * Not installed.
 */
#ifndef PA_PROMPT_H
#define PA_PROMPT_H

#include "discover/discover.h"

/*
 * Where a section's text comes from, so that reports name file and line
 * without reading the file again.  lines[i] is the 1-based line of `file`
 * that line i + 1 of the text comes from, 0 for a line that is not from
 * the file (our own wording).  The text may have fewer lines than the
 * file: frontmatter and comments are removed before a section is made.
 */
typedef struct Pa_origin {
	const char *file;   /* absolute path, or NULL (stdin, no file) */
	const long *lines;  /* NULL: no line is known */
	size_t nlines;
} Pa_origin;

typedef struct Pa_section {
	pa_section_kind kind;
	char *path;        /* as shown: relative to the root, ~/..., absolute */
	char *file;        /* absolute, or NULL */
	long *lines;       /* the origin's line map; NULL once text is replaced */
	size_t nlines;
	char *text;
	size_t len;
	char *heading;
	int cut;
	char *cut_text;    /* what the load rule left out, or NULL */
	size_t cut_len, cut_at;
	int depth;
	char *parent;
} Pa_section;

struct pa_prompt {
	Pa_section *sections;
	size_t n, cap;
};

/* Appends a section; copies every string and the line map.  origin and
 * parent may be NULL. */
void Pa_prompt_add(pa_prompt *p, pa_section_kind kind, const char *path,
                   const Pa_origin *origin, const char *text, size_t len,
                   int cut, int depth, const char *parent, const char *heading);

/* Appends a copy of every section of `from`. */
void Pa_prompt_add_copies(pa_prompt *p, const pa_prompt *from);

/* Records what a load rule left out of section i: len bytes of text
 * (copied) that would stand at byte `at` of its text. */
void Pa_prompt_set_cut_text(pa_prompt *p, size_t i, const char *text,
                            size_t len, size_t at);

#endif
