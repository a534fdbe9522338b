/* collate.h - the order of JavaScript's String.prototype.localeCompare()
 * in Node's default locale (ICU's root collation, CLDR), for the names a
 * CLI sorts so (Cline's rules).  Not installed. */
#ifndef PA_COLLATE_H
#define PA_COLLATE_H

#include <stddef.h>

/* <0, 0 or >0 as a.localeCompare(b) (a and b UTF-8, a bytes and b
 * bytes long).  The root collation for what names hold: white space,
 * then punctuation and symbols in ICU's order for ASCII (`_` `-` `,`
 * `;` `:` `!` `?` `.` `'` `"` `(` `)` `[` `]` `{` `}` `@` `*` `/` `\`
 * `&` `#` `%` `` ` `` `^` `+` `<` `=` `>` `|` `~` `$`), then digits
 * (one by one: "10" before "9"), then Latin letters with their accents
 * and case as differences of the second and third level ("é-accent"
 * before "e-plain", "b" before "B"), then the other scripts by code
 * point ("z" before "子").  An approximation of the full table: within
 * the other scripts and among the non-ASCII symbols the order is the
 * code points'. */
int Pa_collate(const char *a, size_t an, const char *b, size_t bn);

#endif
