/*
 * ignore.c - what .gitignore files, .git/info/exclude and --exclude leave
 * out of a walk, matched as git matches them (gitignore(5)): the last
 * pattern that matches decides, a `!` pattern takes a path back in, a
 * pattern with a `/` before its end is anchored to its file's directory,
 * one without matches a name at any depth below it, a trailing `/`
 * matches directories only, `*` `?` `[...]` (POSIX classes such as
 * `[:alpha:]` in it) stay within a segment, `**` as a whole segment spans
 * any number of them, `\` quotes the next character.  A directory left
 * out is not walked: nothing below it can be taken back in (git does the
 * same).
 */
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* How a pattern is matched: most of a .gitignore, and all but a few of
 * --skip-generated's 350, are a name or `*.ext`, which need no wildmatch
 * (as git's PATTERN_FLAG_NODIR / ENDSWITH): each path is tried against
 * every pattern, and wild() on `*.3dm` walks the name a character at a
 * time, most of count --skip-generated's time on 40,000 small files. */
enum {
	IG_GLOB = 0,    /* anything else: wild() */
	IG_LITERAL = 1, /* no `*?[\`: the same string */
	IG_SUFFIX = 2   /* `*` then no `*?[\/`: a segment ending so */
};

/* A long `[...]` of a pattern, its characters as a set: scanned at each
 * character it was tried on, one class of 1 MB against 50 names took 9 s
 * (and a tree of thousands, hours). */
typedef struct ig_class {
	size_t at, end;            /* its `[` and just past its `]`, in glob */
	unsigned char set[256 / 8];
} ig_class;

/* A class longer than this is kept as a set (short ones cost no more to
 * scan, and a set per short class would be 32 bytes per 3 of text). */
#define IG_CLASS_SCANNED 64

typedef struct ig_pattern {
	char *glob;     /* without the `!`, a leading `/` or a trailing `/` */
	size_t len;     /* of glob */
	ig_class *classes; /* its long classes, in order */
	size_t nclasses;
	int negate;
	int dir_only;
	int anchored;   /* matched against the path from base, not the name */
	int kind;       /* IG_GLOB, IG_LITERAL, IG_SUFFIX */
} ig_pattern;

typedef struct ig_file {
	char *base;     /* the directory it applies to, relative, "" at the top */
	size_t base_len;
	ig_pattern *pats;
	size_t n;
} ig_file;

struct Pa_ignore {
	ig_file *files; /* a stack: the deepest last */
	size_t n;
};

Pa_ignore *Pa_ignore_new(void)
{
	return Pa_xcalloc(1, sizeof(Pa_ignore));
}

static void file_release(ig_file *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->pats[i].glob);
		free(f->pats[i].classes);
	}
	free(f->pats);
	free(f->base);
}

void Pa_ignore_free(Pa_ignore *ig)
{
	size_t i;

	if (!ig)
		return;
	for (i = 0; i < ig->n; i++)
		file_release(&ig->files[i]);
	free(ig->files);
	free(ig);
}

static int class_has(const char **pp, unsigned char c);
static void class_set(const char *p, unsigned char set[256 / 8]);

#define IG_NO_CLOSE SIZE_MAX

/* Where a class body read from each index of g (len bytes) closes, as
 * class_scan() reads it from a character that is not the body's first:
 * the index of its `]`, or IG_NO_CLOSE.  One pass from the line's end,
 * each index from those after it, so that each `[` of a line costs a
 * lookup: a scan of each read the rest of the line when none closes (a
 * line of `[` then a long `[:...:]` took minutes). */
static size_t *class_closes(const char *g, size_t len)
{
	size_t *at = Pa_xmalloc((len + 1) * sizeof(*at));
	size_t i = len, next_close = len; /* the first `]` from i on */

	at[len] = IG_NO_CLOSE;
	while (i-- > 0) {
		size_t j = i;

		if (g[i] == ']') {
			next_close = i;
			at[i] = i;
			continue;
		}
		/* a POSIX class: the first `]` after `[:` closes its name */
		if (g[i] == '[' && g[i + 1] == ':' && next_close < len &&
		    next_close >= i + 3 && g[next_close - 1] == ':') {
			at[i] = at[next_close + 1];
			continue;
		}
		if (g[j] == '\\' && g[j + 1])
			j++;
		if (g[j + 1] == '-' && g[j + 2] && g[j + 2] != ']') {
			j += 2;
			if (g[j] == '\\' && g[j + 1])
				j++;
		}
		at[i] = at[j + 1];
	}
	return at;
}

/* Readies p->glob for wild(), as wild() reads it item by item: a run of
 * three stars or more becomes one (wild() takes only `**` for a segment,
 * and crossed a run again at each `**` it went back to: a million stars
 * at each directory of a path), a long class becomes a set, and a `[`
 * that does not close becomes `\[`, the character it stands for (wild()
 * scanned the rest of the line at each try of one: names of `[` against
 * a line of `[` then a long class took minutes). */
static void compile(ig_pattern *p)
{
	const char *g = p->glob;
	size_t r = 0, w = 0, len = strlen(g);
	size_t *closes = memchr(g, '[', len) ? class_closes(g, len) : NULL;
	char *out = Pa_xmalloc(2 * len + 1);

	while (g[r]) {
		size_t n = 1;

		if (g[r] == '\\' && g[r + 1]) {
			n = 2;
		} else if (g[r] == '*') {
			while (g[r + n] == '*')
				n++;
			if (n >= 3) {
				out[w++] = '*';
				r += n;
				continue;
			}
		} else if (g[r] == '[') {
			/* the body's first character, as class_scan() reads it */
			size_t b = r + 1, close;

			if (g[b] == '!' || g[b] == '^')
				b++;
			if (g[b] == ']')
				b++;
			close = closes[b];
			if (close == IG_NO_CLOSE) {
				out[w++] = '\\';
			} else {
				n = close + 1 - r;
				if (n > IG_CLASS_SCANNED) {
					ig_class *c;

					p->classes = Pa_xgrow(p->classes, p->nclasses,
					                      sizeof(*p->classes));
					c = &p->classes[p->nclasses++];
					c->at = w;
					c->end = w + n;
					class_set(g + r + 1, c->set);
				}
			}
		}
		memcpy(out + w, g + r, n);
		w += n;
		r += n;
	}
	out[w] = '\0';
	free(closes);
	free(p->glob);
	p->glob = out;
	p->len = w;
}

/* One line of a gitignore file, into f (nothing for a blank line or a
 * comment). */
static void add_line(ig_file *f, const char *s, size_t len)
{
	ig_pattern p;
	size_t i;

	memset(&p, 0, sizeof(p));
	if (len && s[len - 1] == '\r')
		len--;
	/* Trailing spaces go, unless quoted with a backslash. */
	while (len && s[len - 1] == ' ' && !(len > 1 && s[len - 2] == '\\'))
		len--;
	if (!len || s[0] == '#')
		return;
	if (s[0] == '!') {
		p.negate = 1;
		s++;
		len--;
	}
	if (len && s[len - 1] == '/') {
		p.dir_only = 1;
		len--;
	}
	for (i = 0; i < len; i++)
		if (s[i] == '/')
			p.anchored = 1;
	if (len && s[0] == '/') {
		s++;
		len--;
	}
	if (!len)
		return;
	p.glob = Pa_xmalloc(len + 1);
	memcpy(p.glob, s, len);
	p.glob[len] = '\0';
	compile(&p);
	if (!strpbrk(p.glob, "*?[\\"))
		p.kind = IG_LITERAL;
	else if (p.glob[0] == '*' && !strpbrk(p.glob + 1, "*?[\\/"))
		p.kind = IG_SUFFIX;
	f->pats = Pa_xgrow(f->pats, f->n, sizeof(*f->pats));
	f->pats[f->n++] = p;
}

void Pa_ignore_push(Pa_ignore *ig, const char *base, const char *text,
                    size_t len)
{
	ig_file f;
	size_t at = 0;

	memset(&f, 0, sizeof(f));
	f.base = Pa_xstrdup(base);
	f.base_len = strlen(base);
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t end = nl ? (size_t)(nl - text) : len;

		add_line(&f, text + at, end - at);
		at = end + 1;
	}
	ig->files = Pa_xgrow(ig->files, ig->n, sizeof(*ig->files));
	ig->files[ig->n++] = f;
}

void Pa_ignore_pop(Pa_ignore *ig)
{
	if (ig->n)
		file_release(&ig->files[--ig->n]);
}

size_t Pa_ignore_depth(const Pa_ignore *ig)
{
	return ig->n;
}

/* The ranges of the POSIX class name[0..len) (`alpha` of `[:alpha:]`),
 * pairs of bounds in ASCII as git's wildmatch has them; NULL for a name
 * it does not know. */
static const char *posix_class(const char *name, size_t len)
{
	static const struct { const char *name; const char *set; } classes[] = {
		{ "alnum", "09AZaz" }, { "alpha", "AZaz" }, { "blank", "\t\t  " },
		{ "cntrl", "\001\037\177\177" }, { "digit", "09" },
		{ "graph", "!~" }, { "lower", "az" }, { "print", " ~" },
		{ "punct", "!/:@[`{~" }, { "space", "\t\r  " }, { "upper", "AZ" },
		{ "xdigit", "09AFaf" },
	};
	size_t i;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i].name) == len && !memcmp(classes[i].name, name, len))
			return classes[i].set;
	return NULL;
}

/* c in lo..hi: 1 when it is; with set, the range is added to it. */
static int in_range(unsigned char c, unsigned lo, unsigned hi,
                    unsigned char *set)
{
	unsigned x;

	for (x = lo; set && x <= hi; x++)
		set[x / 8] |= (unsigned char)(1u << (x % 8));
	return c >= lo && c <= hi;
}

/* Whether the class at *pp (after its `[`) holds c; moves *pp past it.
 * -1 for a class that does not close (then `[` is itself).  With set
 * (zeroed), all it holds go into it as well: the one reading of a class,
 * for wild() at each character and for compile() once. */
static int class_scan(const char **pp, unsigned char c, unsigned char *set)
{
	const char *p = *pp, *close = NULL;
	int neg = 0, hit = 0, bad = 0;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	if (*p == ']') { /* a first `]` is itself */
		hit |= in_range(c, ']', ']', set);
		p++;
	}
	while (*p && *p != ']') {
		unsigned char lo = (unsigned char)*p, hi;

		/* `[:alpha:]` and the other POSIX classes, which git's
		 * wildmatch knows: taken as the characters `[`, `:`, `s`...
		 * and a first `]`, `*[[:space:]]*` left out `a]` and kept
		 * `a b` */
		if (lo == '[' && p[1] == ':') {
			/* the first `]` after it, found again only once p has
			 * passed it: a line of `[:` without one scanned the
			 * rest of the line at each, for hours on 4 MiB */
			if (!close || close < p + 2)
				close = p + 2 + strcspn(p + 2, "]");
			if (*close == ']' && close >= p + 3 && close[-1] == ':') {
				const char *end = close - 1;
				const char *r = posix_class(p + 2, (size_t)(end - p - 2));

				if (!r) /* an unknown class: the pattern matches
				         * nothing, as in git */
					bad = 1;
				for (; r && *r; r += 2) { /* NUL ends the name: in none */
					int in = in_range(c, (unsigned char)r[0],
					                  (unsigned char)r[1], set);

					hit |= c && in;
				}
				p = end + 2;
				continue;
			}
		}
		if (lo == '\\' && p[1])
			lo = (unsigned char)*++p;
		hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			p += 2;
			hi = (unsigned char)*p;
			if (hi == '\\' && p[1])
				hi = (unsigned char)*++p;
		}
		hit |= in_range(c, lo, hi, set);
		p++;
	}
	if (*p != ']')
		return -1;
	*pp = p + 1;
	if (set) {
		size_t i;

		for (i = 0; i < 256 / 8; i++)
			set[i] = bad ? 0 : neg ? (unsigned char)~set[i] : set[i];
	}
	return bad ? 0 : hit ^ neg;
}

static int class_has(const char **pp, unsigned char c)
{
	return class_scan(pp, c, NULL);
}

/* The set of the class at p (after its `[`, one that closes). */
static void class_set(const char *p, unsigned char set[256 / 8])
{
	memset(set, 0, 256 / 8);
	class_scan(&p, 0, set);
}

/* The long class of ip that starts at p, or NULL. */
static const ig_class *long_class(const ig_pattern *ip, const char *p)
{
	size_t lo = 0, hi = ip ? ip->nclasses : 0, at;

	if (!hi)
		return NULL;
	at = (size_t)(p - ip->glob);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ip->classes[mid].at == at)
			return &ip->classes[mid];
		if (ip->classes[mid].at < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Whether the pattern's item at *pp (not a `*`) matches the character at
 * s (not the end); moves *pp past the item.  ip: the pattern compiled
 * (its long classes as sets), or NULL. */
static int item_matches(const char **pp, const char *s, const ig_pattern *ip)
{
	const char *p = *pp;

	if (*p == '\\' && p[1]) {
		*pp = p + 2;
		return p[1] == *s;
	}
	if (*p == '?') {
		*pp = p + 1;
		return *s != '/';
	}
	if (*p == '[') {
		const char *q = p + 1;
		const ig_class *c = long_class(ip, p);
		int r;

		if (c) {
			unsigned char x = (unsigned char)*s;

			*pp = ip->glob + c->end;
			return (c->set[x / 8] >> (x % 8) & 1) && x != '/';
		}
		r = class_has(&q, (unsigned char)*s);

		if (r >= 0) {
			*pp = q;
			return r && *s != '/';
		}
	}
	*pp = p + 1;
	return *p == *s;
}

/* git's wildmatch with `/` special (WM_PATHNAME): 1 on a match.  Greedy,
 * with one place to go back to for the last `*` (within a segment) and
 * one for the last `**` (over segments): time at most the product of the
 * two lengths, never exponential (a .gitignore is the repository's, and
 * `*a*a*a*a*b` against a long name must not take minutes). */
static int wild(const char *pat, const char *s, const ig_pattern *ip)
{
	const char *p = pat;
	const char *star_p = NULL, *star_s = NULL, *glob_p = NULL, *glob_s = NULL;

	for (;;) {
		if (p[0] == '*' && p[1] == '*' && (p == pat || p[-1] == '/') &&
		    (p[2] == '/' || p[2] == '\0')) {
			if (p[2] == '\0')
				return 1; /* a final `**`: all below */
			glob_p = p + 3;
			glob_s = s;
			star_p = NULL;
			p = glob_p;
			continue;
		}
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (*p == '\0' && *s == '\0')
			return 1;
		if (*p && *s) {
			const char *q = p;

			if (item_matches(&q, s, ip)) {
				p = q;
				s++;
				continue;
			}
		}
		/* A mismatch: the last `*` takes one more character of its
		 * segment, else the last `**` one more segment. */
		if (star_p && *star_s && *star_s != '/') {
			s = ++star_s;
			p = star_p;
			continue;
		}
		if (glob_p) {
			const char *slash = strchr(glob_s, '/');

			if (!slash)
				return 0;
			glob_s = slash + 1;
			s = glob_s;
			p = glob_p;
			star_p = NULL;
			continue;
		}
		return 0;
	}
}

int Pa_ignore_match_glob(const char *glob, const char *path)
{
	return wild(glob, path, NULL);
}

/* Whether p matches s of n bytes (the name, or for an anchored pattern
 * the path from its file's directory), as wild(p->glob, s) would. */
static int pattern_matches(const ig_pattern *p, const char *s, size_t n)
{
	switch (p->kind) {
	case IG_LITERAL:
		return n == p->len && !memcmp(p->glob, s, n);
	case IG_SUFFIX:
		/* `*` stays within the segment: s must be one.  The last byte
		 * first: it tells most of 350 extensions apart without a call. */
		return n >= p->len - 1 && (p->len == 1 || s[n - 1] == p->glob[p->len - 1]) &&
		       !memcmp(s + n - (p->len - 1), p->glob + 1, p->len - 1) &&
		       (!p->anchored || !memchr(s, '/', n));
	default:
		return wild(p->glob, s, p);
	}
}

int Pa_ignore_has(const Pa_ignore *ig, const char *path, int is_dir)
{
	const char *name = strrchr(path, '/');
	size_t i, j, path_len = strlen(path), name_len;

	name = name ? name + 1 : path;
	name_len = path_len - (size_t)(name - path);
	for (i = ig->n; i-- > 0;) {
		const ig_file *f = &ig->files[i];
		const char *rel = path;
		size_t rel_len = path_len;

		if (f->base_len) {
			if (strncmp(path, f->base, f->base_len) || path[f->base_len] != '/')
				continue;
			rel = path + f->base_len + 1;
			rel_len -= f->base_len + 1;
		}
		for (j = f->n; j-- > 0;) {
			const ig_pattern *p = &f->pats[j];

			if (p->dir_only && !is_dir)
				continue;
			if (p->anchored ? pattern_matches(p, rel, rel_len)
			                : pattern_matches(p, name, name_len))
				return !p->negate;
		}
	}
	return 0;
}
