/*
 * ascii.h - the ASCII character classes the pre-tokenizers and the cut
 * rules share.  Library-internal; a header of its own, below pretok.h,
 * so that a scanner (pretok_hf.c) takes them without depending on the
 * pre-tokenizer that dispatches to it.
 */
#ifndef PA_TOKENIZER_ASCII_H
#define PA_TOKENIZER_ASCII_H

static inline int pa_is_ascii_letter(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Whether c is printable ASCII other than the space: never white space,
 * never a letter of a script NFKC changes, a starter that composes with
 * nothing before it. */
static inline int pa_is_ascii_graph(unsigned char c)
{
	return c > 0x20 && c < 0x7F;
}

static inline int pa_is_ascii_alnum(unsigned char c)
{
	return pa_is_ascii_letter(c) || (c >= '0' && c <= '9');
}

/* Printable ASCII that is neither a letter, a digit nor the apostrophe
 * (o200k's letters take a contraction after them: "it's" is one piece). */
static inline int pa_is_ascii_punct(unsigned char c)
{
	return pa_is_ascii_graph(c) && !pa_is_ascii_alnum(c) && c != '\'';
}

#endif
