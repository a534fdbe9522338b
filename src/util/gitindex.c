/*
 * gitindex.c - git's index read as bytes (gitindex.h; the format is
 * git's Documentation/gitformat-index.txt).
 *
 * The file: "DIRC", a version, a count of entries; the entries, sorted by
 * path (then stage); extensions (four letters and a size each); a
 * checksum.  An entry: forty bytes of stat data (the mode at byte 24),
 * the object name, sixteen bits of flags (assume-valid, extended, two of
 * stage, twelve of the name's length, 0xFFF when longer), in version 3 and
 * later sixteen more when extended (skip-worktree, intent-to-add), then
 * the path: in versions 2 and 3 NUL-ended and padded with NULs to a
 * multiple of eight bytes from the entry's start; in version 4 a number
 * of bytes to drop from the end of the previous path (git's offset
 * varint) and what follows them, NUL-ended, unpadded.
 *
 * Every offset is checked against the end before it is read; a count of
 * entries is checked against the file's size before anything is
 * allocated for it, and the paths kept (which version 4 expands) against
 * PA_GITINDEX_PATH_FACTOR times it, so memory is bounded by the file.
 */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* A broken index: err's offset is the byte where it stops making
 * sense. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static pa_status bad(pa_error *err, const char *name, size_t at, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	Pa_error_set(err, PA_ERR_PARSE, name, 0, 0, "%s", what);
	if (err)
		err->offset = (long long)at;
	return PA_ERR_PARSE;
}

/* Not broken, not usable: the walk lists the files instead. */
static pa_status unusable(pa_error *err, const char *name, const char *why)
{
	return Pa_error_set(err, PA_ERR_NOT_FOUND, name, 0, 0, "%s", why);
}

/* A path as git's verify_path() admits it: not empty, no empty, `.` or
 * `..` component, no `.git` component (in any case), no leading or
 * trailing `/`.  NULL when it is fine, else what is wrong. */
static const char *path_problem(const char *p, size_t len)
{
	size_t i = 0;

	if (!len)
		return "an empty path";
	if (len > PA_GITINDEX_MAX_PATH)
		return "a path longer than PA_GITINDEX_MAX_PATH bytes";
	while (i <= len) {
		size_t j = i;

		while (j < len && p[j] != '/')
			j++;
		if (j == i)
			return p[0] == '/' ? "an absolute path" : "an empty path component";
		if ((j - i == 1 && p[i] == '.') || (j - i == 2 && p[i] == '.' && p[i + 1] == '.'))
			return "a `.` or `..` path component";
		if (j - i == 4 && p[i] == '.' && (p[i + 1] | 32) == 'g' &&
		    (p[i + 2] | 32) == 'i' && (p[i + 3] | 32) == 't')
			return "a `.git` path component";
		i = j + 1;
	}
	return NULL;
}

/* git's offset varint (varint.c): 7 bits a byte, the high bit "more",
 * each continuation adding one.  0 at the end of the data or past 2^32. */
static int varint(const unsigned char **p, const unsigned char *end, size_t *out)
{
	const unsigned char *q = *p;
	uint64_t v;
	unsigned c;

	if (q >= end)
		return 0;
	c = *q++;
	v = c & 127;
	while (c & 128) {
		if (q >= end || v >= (1u << 24))
			return 0;
		c = *q++;
		v = ((v + 1) << 7) | (c & 127);
	}
	*p = q;
	*out = (size_t)v;
	return 1;
}

void Pa_gitindex_free(Pa_gitindex *ix)
{
	if (!ix)
		return;
	free(ix->paths);
	free(ix->modes);
	free(ix->arena);
	free(ix);
}

pa_status Pa_gitindex_parse(const unsigned char *data, size_t len,
                            size_t hash_len, size_t max_entries,
                            const char *name, Pa_gitindex **out,
                            pa_error *err)
{
	const size_t fixed = 40 + hash_len + 2; /* an entry before its path */
	const size_t max_paths = len > ((size_t)-1 - PA_GITINDEX_MAX_PATH) / PA_GITINDEX_PATH_FACTOR
	                         ? (size_t)-1
	                         : len * PA_GITINDEX_PATH_FACTOR + PA_GITINDEX_MAX_PATH;
	pa_buf arena = PA_BUF_INIT, prev = PA_BUF_INIT;
	size_t *offs = NULL;
	unsigned *modes = NULL;
	unsigned version, prev_stage = 0;
	size_t count, i, pos, end, n = 0, nameless = 0, nameless_at = 0;
	pa_status st = PA_OK;
	Pa_gitindex *ix;

	*out = NULL;
	Pa_error_clear(err);
	if (len < 12 + hash_len)
		return bad(err, name, len, "truncated: shorter than a header and a checksum");
	if (memcmp(data, "DIRC", 4))
		return bad(err, name, 0, "not a git index: no DIRC signature");
	version = be32(data + 4);
	if (version < 2 || version > 4) {
		char why[96];

		snprintf(why, sizeof(why), "index version %u is not read (2, 3 and 4 are)",
		         version);
		return unusable(err, name, why);
	}
	count = be32(data + 8);
	if (count > max_entries)
		return Pa_error_set(err, PA_ERR_TOO_LARGE, name, 0, 0,
		                    "%zu entries, more than the walk's limit of %zu "
		                    "files and directories (PA_WALK_MAX_ENTRIES)",
		                    count, max_entries);
	end = len - hash_len;
	/* the smallest entry: fixed, a one-byte path, its NUL (version 4) */
	if (count > (end - 12) / (fixed + 2))
		return bad(err, name, 8, "%zu entries cannot fit in %zu bytes", count, len);
	offs = Pa_xcalloc(count ? count : 1, sizeof(*offs));
	modes = Pa_xcalloc(count ? count : 1, sizeof(*modes));
	pos = 12;
	for (i = 0; i < count && st == PA_OK; i++) {
		const unsigned char *q, *nul;
		unsigned mode, flags, ext = 0, stage;
		size_t namelen, plen;
		const char *problem;
		int cmp;

		if (fixed > end - pos) {
			st = bad(err, name, pos, "truncated: entry %zu of %zu", i + 1, count);
			break;
		}
		mode = be32(data + pos + 24);
		flags = be16(data + pos + 40 + hash_len);
		q = data + pos + fixed;
		if (flags & 0x4000) {
			if (version < 3) {
				st = bad(err, name, pos, "entry %zu: extended flags in a version 2 index",
				         i + 1);
				break;
			}
			if ((size_t)(data + end - q) < 2) {
				st = bad(err, name, pos, "truncated: entry %zu of %zu", i + 1, count);
				break;
			}
			ext = be16(q);
			q += 2;
		}
		stage = (flags >> 12) & 3;
		namelen = flags & 0xFFF;
		if (version == 4) {
			size_t strip;

			if (!varint(&q, data + end, &strip) || strip > prev.len) {
				st = bad(err, name, (size_t)(q - data),
				         "entry %zu: a path prefix longer than the previous path", i + 1);
				break;
			}
			pa_buf_truncate(&prev, prev.len - strip);
		} else {
			pa_buf_reset(&prev);
		}
		nul = memchr(q, '\0', (size_t)(data + end - q));
		if (!nul) {
			st = bad(err, name, (size_t)(q - data),
			         "truncated: the path of entry %zu has no end", i + 1);
			break;
		}
		if ((size_t)(nul - q) > PA_GITINDEX_MAX_PATH) {
			st = bad(err, name, (size_t)(q - data),
			         "entry %zu: a path longer than PA_GITINDEX_MAX_PATH (%d) bytes",
			         i + 1, PA_GITINDEX_MAX_PATH);
			break;
		}
		pa_buf_put(&prev, (const char *)q, (size_t)(nul - q));
		plen = prev.len;
		if (namelen < 0xFFF && namelen != plen) {
			/* a NUL inside the path, or a length that lies */
			st = bad(err, name, (size_t)(q - data),
			         "entry %zu: the path's length is %zu, its header says %zu",
			         i + 1, plen, namelen);
			break;
		}
		if (version == 4) {
			pos = (size_t)(nul - data) + 1;
		} else {
			size_t size = ((size_t)(q - (data + pos)) + (size_t)(nul - q) + 8) & ~(size_t)7;

			if (size > end - pos) {
				st = bad(err, name, pos, "truncated: entry %zu of %zu", i + 1, count);
				break;
			}
			pos += size;
		}
		if (ext & 0x4000 || (mode & 0170000) == 0040000) {
			st = unusable(err, name, "a sparse checkout (entries marked "
			              "skip-worktree): the index does not say what is on disk");
			break;
		}
		if ((mode & 0170000) != PA_GITINDEX_FILE && (mode & 0170000) != PA_GITINDEX_LINK &&
		    (mode & 0170000) != PA_GITINDEX_GITLINK) {
			st = bad(err, name, pos, "entry %zu: unknown mode %o", i + 1, mode);
			break;
		}
		if (!plen) {
			/* In a split index, an entry that replaces one of the
			 * shared index's has no name: an error unless the
			 * `link` extension (below) says it is one. */
			if (!nameless++)
				nameless_at = (size_t)(q - data);
			continue;
		}
		if ((problem = path_problem(prev.ptr, plen)) != NULL) {
			pa_buf q2 = PA_BUF_INIT;

			Pa_quote(&q2, prev.ptr, plen > 200 ? 200 : plen);
			st = bad(err, name, (size_t)(nul - data) - plen, "entry %zu: %s: %s", i + 1,
			         problem, q2.ptr);
			pa_buf_release(&q2);
			break;
		}
		cmp = n ? strcmp(prev.ptr, arena.ptr + offs[n - 1]) : 1;
		if (cmp < 0 || (cmp == 0 && stage <= prev_stage)) {
			st = bad(err, name, (size_t)(nul - data) - plen,
			         "entry %zu: out of git's order", i + 1);
			break;
		}
		prev_stage = stage;
		if (cmp == 0)
			continue; /* another stage of a conflict: one path */
		if (plen + 1 > max_paths - arena.len) {
			st = Pa_error_set(err, PA_ERR_TOO_LARGE, name, 0, 0,
			                  "entry %zu: its paths expand past %d times the "
			                  "file's size (PA_GITINDEX_PATH_FACTOR), %zu bytes",
			                  i + 1, PA_GITINDEX_PATH_FACTOR, max_paths);
			break;
		}
		offs[n] = arena.len;
		modes[n] = mode & 0170000;
		pa_buf_put(&arena, prev.ptr, plen + 1); /* its NUL too */
		n++;
	}
	/* The extensions, up to the checksum. */
	while (st == PA_OK && pos < end) {
		const unsigned char *s = data + pos;
		size_t size;

		if (end - pos < 8) {
			st = bad(err, name, pos, "truncated: an extension's header");
			break;
		}
		size = be32(s + 4);
		if (size > end - pos - 8) {
			st = bad(err, name, pos, "truncated: an extension of %zu bytes", size);
			break;
		}
		if (!memcmp(s, "link", 4)) {
			st = unusable(err, name, "a split index (its entries are in "
			              "another file, sharedindex.*)");
		} else if (!memcmp(s, "sdir", 4)) {
			st = unusable(err, name, "a sparse index (a directory's entries "
			              "folded into one)");
		} else if (!(s[0] >= 'A' && s[0] <= 'Z')) {
			/* git's rule: an extension not named with a capital
			 * is one a reader must understand */
			char why[128];

			snprintf(why, sizeof(why), "an extension git requires and this "
			         "reader does not know (%02x%02x%02x%02x)", s[0], s[1], s[2], s[3]);
			st = unusable(err, name, why);
		}
		pos += 8 + size;
	}
	pa_buf_release(&prev);
	if (st == PA_OK && nameless)
		st = bad(err, name, nameless_at, "%zu entries with an empty path", nameless);
	if (st != PA_OK) {
		free(offs);
		free(modes);
		pa_buf_release(&arena);
		return st;
	}
	ix = Pa_xcalloc(1, sizeof(*ix));
	ix->n = n;
	ix->modes = modes;
	ix->arena = pa_buf_detach(&arena, NULL);
	ix->paths = Pa_xcalloc(n ? n : 1, sizeof(char *));
	for (i = 0; i < n; i++)
		ix->paths[i] = ix->arena + offs[i];
	free(offs);
	*out = ix;
	return PA_OK;
}

/* Reads the regular file name of the directory dfd (not through a link)
 * whole, within max bytes.  0, -1 with errno (EFBIG over max).  With
 * head, its first 12 bytes are read first and passed to head, and the rest
 * only when head returns 0 (else -1, errno EPROTO). */
static int read_at(int dfd, const char *name, size_t max, pa_buf *out,
                   int (*head)(const unsigned char *, size_t, void *), void *arg)
{
	struct stat st;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	if (head) {
		unsigned char h[12];
		size_t got = 0;

		while (got < sizeof(h)) {
			ssize_t r = read(fd, h + got, sizeof(h) - got);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (head(h, got, arg) != 0) {
			close(fd);
			errno = EPROTO;
			return -1;
		}
		pa_buf_put(out, (const char *)h, got);
	}
	pa_buf_grow(out, (size_t)st.st_size + 1);
	while (out->len <= max) {
		ssize_t r = read(fd, out->ptr + out->len, out->len < (size_t)st.st_size
		                 ? (size_t)st.st_size - out->len : 4096);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		out->len += (size_t)r;
		pa_buf_grow(out, 4097);
	}
	close(fd);
	if (out->len > max) {
		errno = EFBIG;
		return -1;
	}
	out->ptr[out->len] = '\0';
	return 0;
}

/* 32 when the repository's config says extensions.objectFormat = sha256,
 * else 20.  A small reading of git's config: section headers and
 * `key = value` lines, case-insensitive names, comments after # or ;. */
static size_t hash_len_of(int gitfd)
{
	pa_buf text = PA_BUF_INIT;
	size_t at = 0, hl = 20;
	int in_ext = 0;

	if (read_at(gitfd, "config", (size_t)1 << 20, &text, NULL, NULL) != 0) {
		pa_buf_release(&text);
		return 20;
	}
	while (at < text.len) {
		const char *l = text.ptr + at, *nl = memchr(l, '\n', text.len - at);
		size_t n = nl ? (size_t)(nl - l) : text.len - at, k = 0;

		at += n + 1;
		while (k < n && (l[k] == ' ' || l[k] == '\t'))
			k++;
		if (k < n && l[k] == '[') {
			in_ext = n - k >= 12 && !strncasecmp(l + k, "[extensions]", 12);
			continue;
		}
		if (in_ext && n - k >= 12 && !strncasecmp(l + k, "objectformat", 12)) {
			size_t v = k + 12;

			while (v < n && (l[v] == ' ' || l[v] == '\t' || l[v] == '='))
				v++;
			if (n - v >= 6 && !strncasecmp(l + v, "sha256", 6))
				hl = 32;
		}
	}
	pa_buf_release(&text);
	return hl;
}

struct head_check {
	const char *name;
	pa_error *err;
	pa_status st;
};

/* The header alone, parsed as an index of no entries: its signature and
 * version judged before the file is read whole. */
static int check_head(const unsigned char *h, size_t n, void *arg)
{
	struct head_check *c = arg;
	unsigned char copy[12 + 32] = { 0 };
	Pa_gitindex *ix = NULL;

	if (n < 12) {
		c->st = bad(c->err, c->name, n, "truncated: shorter than a header and a checksum");
		return -1;
	}
	memcpy(copy, h, 8); /* a count of 0: only the signature and version */
	c->st = Pa_gitindex_parse(copy, 12 + 20, 20, 0, c->name, &ix, c->err);
	Pa_gitindex_free(ix);
	return c->st == PA_OK ? 0 : -1;
}

pa_status Pa_gitindex_load(const char *dotgit, size_t max_entries,
                           Pa_gitindex **out, pa_error *err)
{
	struct head_check hc;
	pa_buf text = PA_BUF_INIT, name = PA_BUF_INIT;
	struct stat st;
	pa_status status;
	int gfd;

	*out = NULL;
	Pa_error_clear(err);
	pa_buf_puts(&name, dotgit);
	pa_buf_puts(&name, "/index");
	if (lstat(dotgit, &st) != 0) {
		status = Pa_error_set(err, PA_ERR_NOT_FOUND, name.ptr, 0, 0, "%s", "");
		pa_buf_release(&name);
		return status;
	}
	if (!S_ISDIR(st.st_mode)) {
		status = unusable(err, name.ptr, S_ISLNK(st.st_mode)
		                  ? ".git is a link: what it leads to is not read"
		                  : ".git is a file (a linked worktree or a submodule): "
		                    "its index is in a git directory elsewhere, not read");
		pa_buf_release(&name);
		return status;
	}
	gfd = open(dotgit, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (gfd < 0) {
		status = Pa_error_set(err, PA_ERR_IO, name.ptr, 0, 0,
		                      "cannot open the git directory: %s", strerror(errno));
		pa_buf_release(&name);
		return status;
	}
	hc.name = name.ptr;
	hc.err = err;
	hc.st = PA_OK;
	if (read_at(gfd, "index", PA_GITINDEX_MAX_BYTES, &text, check_head, &hc) != 0) {
		if (errno == EPROTO)
			status = hc.st;
		else if (errno == ENOENT)
			status = Pa_error_set(err, PA_ERR_NOT_FOUND, name.ptr, 0, 0, "%s", "");
		else if (errno == ELOOP)
			status = unusable(err, name.ptr, "the index is a link: not read");
		else if (errno == EFBIG)
			status = Pa_error_set(err, PA_ERR_TOO_LARGE, name.ptr, 0, 0,
			                      "larger than PA_GITINDEX_MAX_BYTES (%zu)",
			                      PA_GITINDEX_MAX_BYTES);
		else if (errno == EINVAL)
			status = unusable(err, name.ptr, "the index is not a regular file: not read");
		else
			status = Pa_error_set(err, PA_ERR_IO, name.ptr, 0, 0,
			                      "cannot read: %s", strerror(errno));
	} else {
		status = Pa_gitindex_parse((const unsigned char *)text.ptr, text.len,
		                           hash_len_of(gfd), max_entries, name.ptr, out, err);
	}
	close(gfd);
	pa_buf_release(&text);
	pa_buf_release(&name);
	return status;
}

void Pa_gitindex_add_dirs(const Pa_gitindex *ix, Pa_strset *dirs)
{
	size_t i;

	for (i = 0; i < ix->n; i++) {
		const char *p = ix->paths[i];
		size_t len = strlen(p);

		/* each directory above it, up to one already there:
		 * linear in the index's bytes */
		while (len > 0) {
			while (len > 0 && p[len - 1] != '/')
				len--;
			if (len == 0 || !Pa_strset_add(dirs, p, len - 1))
				break;
			len--;
		}
	}
}
