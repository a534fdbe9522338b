/* ranktable.c - building, writing and mapping BPE rank tables. */
#define _POSIX_C_SOURCE 200809L
/* madvise(2), MADV_POPULATE_READ and MADV_HUGEPAGE (Linux), where the C
 * library has them. */
#define _DEFAULT_SOURCE
#include "ranktable.h"
#include "util/platform.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef Pa_ranktable_header image_header;

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static size_t align64(size_t n)
{
	return (n + 63) & ~(size_t)63;
}

Pa_ranktable_layout Pa_ranktable_layout_of(const image_header *h)
{
	Pa_ranktable_layout l;

	l.offsets = align8(sizeof(image_header));
	/* A bucket is a cache line: mapped (page-aligned), it starts one. */
	l.buckets = align64(l.offsets + ((size_t)h->n_ids + 1) * sizeof(uint32_t));
	l.bytes = l.buckets + (size_t)h->n_buckets * PA_RANK_SLOTS * sizeof(Pa_rank_slot);
	l.section = align64(l.bytes + h->n_bytes);
	return l;
}

#define CHECK_MUL 0x9E3779B97F4A7C15ull
#define CHECK_LANES 8

static uint64_t check_mix(uint64_t h)
{
	h ^= h >> 31;
	h *= 0xBF58476D1CE4E5B9ull;
	h ^= h >> 29;
	h *= CHECK_MUL;
	return h;
}

static uint64_t load64(const unsigned char *s)
{
	uint64_t w;
	memcpy(&w, s, 8);
	return w;
}

/* Adds the 8-byte words of the 64-byte blocks s[0..64 * blocks) to the
 * lanes, and with bounded, ORs them into *low as well (the words of a
 * Pa_section_bound, in the same pass: a pass of their own after the
 * checksum took 50 to 80 us a process).  The lanes are locals written
 * out, so that they stay in registers (as arrays the compiler keeps them
 * in memory). */
static inline ALWAYS_INLINE void add_blocks(uint64_t a[CHECK_LANES], uint64_t b[CHECK_LANES],
                                            const unsigned char *s, size_t blocks,
                                            int bounded, uint64_t *low)
{
	uint64_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
	uint64_t a4 = a[4], a5 = a[5], a6 = a[6], a7 = a[7];
	uint64_t b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
	uint64_t b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7];
	uint64_t o = 0;
	size_t i;

	for (i = 0; i < blocks; i++, s += 64) {
		uint64_t w0 = load64(s), w1 = load64(s + 8), w2 = load64(s + 16);
		uint64_t w3 = load64(s + 24), w4 = load64(s + 32), w5 = load64(s + 40);
		uint64_t w6 = load64(s + 48), w7 = load64(s + 56);

		a0 += w0;
		a1 += w1;
		a2 += w2;
		a3 += w3;
		a4 += w4;
		a5 += w5;
		a6 += w6;
		a7 += w7;
		b0 += a0;
		b1 += a1;
		b2 += a2;
		b3 += a3;
		b4 += a4;
		b5 += a5;
		b6 += a6;
		b7 += a7;
		if (bounded)
			o |= w0 | w1 | w2 | w3 | w4 | w5 | w6 | w7;
	}
	a[0] = a0, a[1] = a1, a[2] = a2, a[3] = a3;
	a[4] = a4, a[5] = a5, a[6] = a6, a[7] = a7;
	b[0] = b0, b[1] = b1, b[2] = b2, b[3] = b3;
	b[4] = b4, b[5] = b5, b[6] = b6, b[7] = b7;
	if (bounded)
		*low |= o;
}

static NOINLINE void check_blocks(uint64_t a[CHECK_LANES], uint64_t b[CHECK_LANES],
                                  const unsigned char *s, size_t blocks)
{
	add_blocks(a, b, s, blocks, 0, NULL);
}

static NOINLINE void check_blocks_bounded(uint64_t a[CHECK_LANES], uint64_t b[CHECK_LANES],
                                          const unsigned char *s, size_t blocks,
                                          uint64_t *low)
{
	add_blocks(a, b, s, blocks, 1, low);
}

/* The checksum of p[0..n), and in *low the OR of the 8-byte words of
 * p[from..to), both multiples of 64 (0 and 0: none). */
static uint64_t checksum_with_low(const void *p, size_t n, uint64_t seed,
                                  size_t from, size_t to, uint64_t *low)
{
	const unsigned char *s = p;
	unsigned char last[8 * CHECK_LANES];
	uint64_t a[CHECK_LANES], b[CHECK_LANES];
	uint64_t h = check_mix(n * CHECK_MUL ^ seed);
	size_t blocks = n / sizeof(last);
	int k;

	for (k = 0; k < CHECK_LANES; k++) {
		a[k] = seed + (uint64_t)(k + 1) * 0xBF58476D1CE4E5B9ull;
		b[k] = 0;
	}
	*low = 0;
	/* The same sums in three runs of blocks as in one. */
	check_blocks(a, b, s, from / sizeof(last));
	check_blocks_bounded(a, b, s + from, (to - from) / sizeof(last), low);
	check_blocks(a, b, s + to, blocks - to / sizeof(last));
	/* The last bytes, zero-padded (the length is in h), always: an
	 * empty block still counts its position. */
	memset(last, 0, sizeof(last));
	memcpy(last, s + blocks * sizeof(last), n % sizeof(last));
	check_blocks(a, b, last, 1);
	/* Each step is a bijection of the lane sum it takes in, so a change
	 * to one sum always changes h. */
	for (k = 0; k < CHECK_LANES; k++) {
		h = check_mix(h ^ a[k]);
		h = check_mix(h ^ b[k]);
	}
	return h;
}

uint64_t Pa_ranktable_checksum(const void *p, size_t n, uint64_t seed)
{
	uint64_t low;

	return checksum_with_low(p, n, seed, 0, 0, &low);
}

/* Asks the kernel to map in the pages of p[0..n), which are about to be
 * read whole: one call instead of a page fault for every few pages (the
 * faults were a tenth of counting 4 MB with o200k_base).  Only a hint:
 * an older kernel refuses it, and the reads fault the pages in. */
static void populate(const void *p, size_t n)
{
#if defined(MADV_POPULATE_READ) && PA_HAVE_MADVISE
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t start, end;

	if (page <= 0 || n == 0)
		return;
	start = (uintptr_t)p & ~((uintptr_t)page - 1);
	end = (uintptr_t)p + n;
	(void)madvise((void *)start, end - start, MADV_POPULATE_READ);
#else
	(void)p;
	(void)n;
#endif
}

/* Asks for the file's pages in 2 MB pages: read from the disk into the
 * page cache in pages that large (a kernel with large folios for the file
 * system, and transparent huge pages on "madvise" or "always"), the table
 * is mapped by a few page-table entries instead of 5,000 (o200k_base,
 * 21 MB).  Mapping in its ranks (7.5 MB), which every count does, and its
 * merge tables (14 MB), which a long text does, then costs next to
 * nothing, and the random reads of both miss the TLB less: a count of
 * 1 KB took 0.70x the time with o200k_base, 4 MB of English 0.89x, 8 MB of
 * the mixed corpus 0.96x.  Pages the cache holds already keep their size
 * (a table copied, or read by another program first, is in small ones),
 * which is why Pa_ranktable_write() lets go of the ones it wrote.  Only a
 * hint.  The whole range, not Pa_hint_huge()'s 2 MB-aligned part of it:
 * the kernel aligns a mapping this large itself, and the tail of the file
 * is read in a large page too. */
static void huge_pages(void *p, size_t n)
{
#if defined(MADV_HUGEPAGE) && PA_HAVE_MADVISE
	(void)madvise(p, n, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

/* The checksum of the header (its checksums taken as 0) and the ranks:
 * everything before the section. */
static uint64_t ranks_checksum(const void *image, Pa_ranktable_layout l)
{
	image_header h;

	memcpy(&h, image, sizeof(h));
	h.ranks_checksum = 0;
	h.section_checksum = 0;
	return Pa_ranktable_checksum((const char *)image + l.offsets,
	                             l.section - l.offsets,
	                             Pa_ranktable_checksum(&h, sizeof(h), 0));
}

/* Points t's arrays into its image (t->image, t->image_len). */
static void point_into(Pa_ranktable *t)
{
	const image_header *h = t->image;
	Pa_ranktable_layout l = Pa_ranktable_layout_of(h);
	const char *base = t->image;

	t->offsets = (const uint32_t *)(const void *)(base + l.offsets);
	t->slots = (const Pa_rank_slot *)(const void *)(base + l.buckets);
	t->bytes = (const unsigned char *)base + l.bytes;
	t->section = (const unsigned char *)base + l.section;
	t->section_len = t->image_len - l.section;
	memcpy(t->section_head, h->section_head, sizeof(t->section_head));
	t->n_ids = h->n_ids;
	t->n_bytes = (uint32_t)h->n_bytes;
	t->n_buckets = h->n_buckets;
	t->probe_limit = h->probe_limit;
	memcpy(t->sha256, h->sha256, 64);
	t->sha256[64] = '\0';
}

static void find_byte_ranks(Pa_ranktable *t)
{
	int b;

	for (b = 0; b < 256; b++) {
		unsigned char c = (unsigned char)b;
		t->byte_rank[b] = pa_ranktable_find(t, &c, 1);
	}
}

void *Pa_ranktable_set_section(Pa_ranktable *t,
                               const uint32_t head[PA_SECTION_WORDS], size_t len)
{
	image_header *h = t->image;
	size_t start = Pa_ranktable_layout_of(h).section;
	char *base = Pa_xrealloc(t->image, start + len);

	memset(base + start, 0, len);
	h = (image_header *)(void *)base;
	memcpy(h->section_head, head, sizeof(h->section_head));
	t->image = base;
	t->image_len = start + len;
	point_into(t);
	return base + start;
}

static int base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 text[0..n) (with optional '=' padding) into out, which
 * has room for 3 * n / 4 bytes.  Returns the decoded length, or -1. */
static long base64_decode(const char *text, size_t n, unsigned char *out)
{
	uint32_t acc = 0;
	int bits = 0;
	long len = 0;
	size_t i;

	while (n > 0 && text[n - 1] == '=')
		n--;
	for (i = 0; i < n; i++) {
		int v = base64_value((unsigned char)text[i]);
		if (v < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[len++] = (unsigned char)(acc >> bits);
		}
	}
	return len;
}

struct entry {
	uint32_t rank;
	uint32_t start, len; /* in the decoded byte pool */
};

/* A rank file's lines, decoded: each entry's bytes are in pool. */
struct rank_lines {
	struct entry *entries;
	size_t n, cap;
	pa_buf pool;
};

static void rank_lines_release(struct rank_lines *r)
{
	free(r->entries);
	pa_buf_release(&r->pool);
}

/* What read_line() found wrong with a line. */
enum line_status { LINE_OK, LINE_MALFORMED, LINE_RANK_TOO_LARGE };

/* Decodes one line `base64 rank` (line[0..len), not empty) into r. */
static enum line_status read_line(const char *line, size_t len,
                                  struct rank_lines *r)
{
	const char *sp = memchr(line, ' ', len);
	unsigned long long rank = 0;
	size_t k;
	long dec;

	if (!sp || sp == line || (size_t)(sp - line) + 1 >= len)
		return LINE_MALFORMED;
	for (k = (size_t)(sp - line) + 1; k < len; k++) {
		if (line[k] < '0' || line[k] > '9')
			return LINE_MALFORMED;
		if (rank < PA_RANK_LIMIT)
			rank = rank * 10 + (unsigned)(line[k] - '0');
	}
	if (rank >= PA_RANK_LIMIT)
		return LINE_RANK_TOO_LARGE;
	pa_buf_grow(&r->pool, (size_t)(sp - line));
	dec = base64_decode(line, (size_t)(sp - line),
	                    (unsigned char *)r->pool.ptr + r->pool.len);
	if (dec <= 0)
		return LINE_MALFORMED;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->entries = Pa_xrealloc(r->entries, r->cap * sizeof(*r->entries));
	}
	r->entries[r->n].rank = (uint32_t)rank;
	r->entries[r->n].start = (uint32_t)r->pool.len;
	r->entries[r->n].len = (uint32_t)dec;
	r->n++;
	r->pool.len += (size_t)dec;
	return LINE_OK;
}

static int by_rank(const void *a, const void *b)
{
	uint32_t x = ((const struct entry *)a)->rank, y = ((const struct entry *)b)->rank;
	return x < y ? -1 : x > y;
}

/* Reads every line of a rank file into r, sorted by rank.  On failure r
 * is released. */
static pa_status read_lines(const char *text, size_t len, const char *file,
                            struct rank_lines *r, pa_error *err)
{
	size_t pos = 0, i;
	long line = 0;
	enum line_status why;

	while (pos < len) {
		const char *eol = memchr(text + pos, '\n', len - pos);
		size_t end = eol ? (size_t)(eol - text) : len, next = end + 1;

		line++;
		if (end > pos && text[end - 1] == '\r')
			end--;
		why = end > pos ? read_line(text + pos, end - pos, r) : LINE_OK;
		if (why != LINE_OK) {
			rank_lines_release(r);
			if (why == LINE_RANK_TOO_LARGE)
				return Pa_error_set(err, PA_ERR_PARSE, file, line, 0,
				                    "rank too large (ranks are below %lu)",
				                    (unsigned long)PA_RANK_LIMIT);
			return Pa_error_set(err, PA_ERR_PARSE, file, line, 0,
			                    "expected `base64-token rank` in rank file");
		}
		pos = next;
	}
	if (r->n == 0 || r->pool.len > UINT32_MAX) {
		int empty = r->n == 0;
		rank_lines_release(r);
		return Pa_error_set(err, PA_ERR_PARSE, file, 0, 0, empty ?
		                    "no tokens in rank file" : "rank file too large");
	}
	qsort(r->entries, r->n, sizeof(*r->entries), by_rank);
	for (i = 1; i < r->n; i++) {
		if (r->entries[i].rank == r->entries[i - 1].rank) {
			uint32_t rank = r->entries[i].rank;
			rank_lines_release(r);
			return Pa_error_set(err, PA_ERR_PARSE, file, 0, 0,
			                    "rank %u appears twice", rank);
		}
	}
	return PA_OK;
}

/* Allocates out's image for the ranks of r, with its header, and fills
 * offsets[] and the token bytes.  Token bytes go in rank order, so
 * offsets[] is monotone and an id the vocabulary skips simply has length
 * 0. */
static Pa_ranktable_layout lay_out_tokens(const struct rank_lines *r, Pa_ranktable *out)
{
	image_header sizes;
	Pa_ranktable_layout l;
	char *base;
	uint32_t *offsets, at = 0, id = 0;
	size_t i;

	memset(&sizes, 0, sizeof(sizes));
	memcpy(sizes.magic, PA_RANKTABLE_MAGIC, 8);
	sizes.version = PA_RANKTABLE_VERSION;
	sizes.byte_order = PA_RANKTABLE_ORDER;
	sizes.n_ids = r->entries[r->n - 1].rank + 1;
	/* 2.4 keys a bucket of 4: few keys leave their home bucket, and the
	 * table is no larger than format 3's at half load. */
	sizes.n_buckets = (uint32_t)((r->n * 5 + 11) / 12);
	if (sizes.n_buckets < 16)
		sizes.n_buckets = 16;
	sizes.n_bytes = r->pool.len;
	l = Pa_ranktable_layout_of(&sizes);
	base = Pa_xcalloc(1, l.section);
	memcpy(base, &sizes, sizeof(sizes));
	out->image = base;
	out->image_len = l.section;

	offsets = (uint32_t *)(void *)(base + l.offsets);
	for (i = 0; i < r->n; i++) {
		for (; id <= r->entries[i].rank; id++)
			offsets[id] = at;
		memcpy(base + l.bytes + at, r->pool.ptr + r->entries[i].start,
		       r->entries[i].len);
		at += r->entries[i].len;
	}
	offsets[sizes.n_ids] = at;
	return l;
}

/* Files every token of r in the hash table of the image laid out as l,
 * and sets *probe_limit to the most buckets a lookup of one of them
 * visits.  Returns the rank of a token whose bytes an earlier one already
 * has, or PA_RANK_NONE. */
static uint32_t hash_tokens(const struct rank_lines *r, char *base,
                            Pa_ranktable_layout l, uint32_t n_buckets,
                            uint32_t *probe_limit)
{
	const uint32_t *offsets = (const uint32_t *)(void *)(base + l.offsets);
	Pa_rank_slot *slots = (Pa_rank_slot *)(void *)(base + l.buckets);
	size_t i;

	*probe_limit = 1;
	for (i = 0; i < r->n; i++) {
		const unsigned char *key = (const unsigned char *)r->pool.ptr + r->entries[i].start;
		uint32_t len = r->entries[i].len, probes = 1, j;
		Pa_rank_key k = pa_rank_key_of(key, len);
		uint32_t b = pa_rank_home(k.hash, n_buckets);
		Pa_rank_slot *free_slot = NULL;

		/* There are more slots than keys: a free one comes. */
		for (;;) {
			Pa_rank_slot *s = slots + (size_t)b * PA_RANK_SLOTS;

			for (j = 0; j < PA_RANK_SLOTS && s[j].id_len != 0; j++) {
				uint32_t other = s[j].id_len & 0xFFFFFFu;
				if (offsets[other + 1] - offsets[other] == len &&
				    memcmp(base + l.bytes + offsets[other], key, len) == 0)
					return r->entries[i].rank;
			}
			if (j < PA_RANK_SLOTS) {
				free_slot = s + j;
				break;
			}
			b = b + 1 < n_buckets ? b + 1 : 0;
			probes++;
		}
		free_slot->head = k.head;
		free_slot->tail = k.tail;
		free_slot->id_len = k.len8 | r->entries[i].rank;
		if (probes > *probe_limit)
			*probe_limit = probes;
	}
	return PA_RANK_NONE;
}

pa_status Pa_ranktable_parse(const char *text, size_t len, const char *file,
                             Pa_ranktable *out, pa_error *err)
{
	struct rank_lines r = { NULL, 0, 0, PA_BUF_INIT };
	image_header *h;
	Pa_ranktable_layout l;
	uint32_t twice;
	pa_status st;

	memset(out, 0, sizeof(*out));
	st = read_lines(text, len, file, &r, err);
	if (st != PA_OK)
		return st;
	l = lay_out_tokens(&r, out);
	h = out->image;
	twice = hash_tokens(&r, out->image, l, h->n_buckets, &h->probe_limit);
	rank_lines_release(&r);
	if (twice != PA_RANK_NONE) {
		Pa_ranktable_release(out);
		return Pa_error_set(err, PA_ERR_PARSE, file, 0, 0,
		                    "token of rank %u appears twice", twice);
	}
	Pa_sha256_hex(text, len, out->sha256);
	memcpy(h->sha256, out->sha256, 64);
	point_into(out);
	find_byte_ranks(out);
	return PA_OK;
}

/* What is wrong with the header of a file of size bytes, or NULL.  The
 * message goes after the file name. */
static const char *bad_header(const image_header *h, size_t size)
{
	Pa_ranktable_layout l;

	if (memcmp(h->magic, PA_RANKTABLE_MAGIC, 8) != 0)
		return "not a rank table; rebuild it with make";
	if (h->version != PA_RANKTABLE_VERSION || h->byte_order != PA_RANKTABLE_ORDER)
		return "rank table of another format or machine; rebuild it with make";
	if (h->n_buckets == 0 || h->n_buckets > UINT32_MAX / PA_RANK_SLOTS ||
	    h->n_ids == 0 || h->n_ids > PA_RANK_LIMIT || h->n_bytes > UINT32_MAX ||
	    h->reserved != 0)
		return "rank table header is damaged; rebuild it with make";
	/* Lookups stop after probe_limit buckets: 0 would find nothing, and
	 * more than the buckets would go round the table. */
	if (h->probe_limit == 0 || h->probe_limit > h->n_buckets)
		return "rank table has no valid probe limit; rebuild it with make";
	l = Pa_ranktable_layout_of(h);
	if (l.section > size)
		return "rank table is shorter than its header says; rebuild it with make";
	return NULL;
}

/*
 * The tables this process has mapped, shared: `check` loads a tokenizer
 * for each model its agents name, and models of one family (sonnet,
 * haiku, opus) are counted with one table, which was mapped, and had its
 * ranks' checksum made, once for each.  In WebAssembly (the npm package)
 * a mapping is a read of the whole file into fresh memory: 6.7 MB for
 * claude, read three times for a check of three agents.  A file is known
 * by its device, inode, size and modification time, so a table rewritten
 * since (compile-tokenizer replaces it) is mapped afresh.
 */
typedef struct shared_map {
	Pa_file_id id;
	void *image;
	unsigned refs;
	int section;            /* 0: not verified yet, 1: intact, -1: damaged */
	int fd;                 /* PA_MAP_READS_WHOLE: the file, its section
	                           read from it when first needed; else -1 */
	struct shared_map *next;
} shared_map;

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static shared_map *shared_maps;

static shared_map *shared_find(const struct stat *st)
{
	shared_map *m;

	for (m = shared_maps; m; m = m->next)
		if (Pa_file_id_is(&m->id, st))
			return m;
	return NULL;
}

/* The link to the entry of image in the list (what points at it), or to
 * the list's end when it has none. */
static shared_map **shared_of(const void *image)
{
	shared_map **p;

	for (p = &shared_maps; *p; p = &(*p)->next)
		if ((*p)->image == image)
			break;
	return p;
}

/*
 * Where a mapping is a read of the whole file into fresh memory
 * (PA_MAP_READS_WHOLE: the npm package), the table is read, not mapped:
 * its header and ranks at once, which every count reads, and its section
 * (the merge tables, 10 MB of o200k_base's 18) from the file kept open
 * when Pa_ranktable_section_intact() first needs it, so that a short
 * text never reads it.  Memory taken and never written is not given
 * pages.
 */
#if PA_MAP_READS_WHOLE
/* Reads n bytes at off of fd into p: 0, or -1 (errno EIO for a file
 * shorter than that). */
static int read_range(int fd, void *p, size_t n, size_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, (char *)p + got, n - got, (off_t)(off + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}
#endif

/* The image of the table fd (size bytes), to read: mapped, or where
 * PA_MAP_READS_WHOLE its header and, when the header is sound, its ranks
 * read (the section left for later).  NULL with errno when it cannot. */
static void *map_image(int fd, size_t size)
{
#if PA_MAP_READS_WHOLE
	void *image = NULL;

	if (posix_memalign(&image, 4096, size) != 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (read_range(fd, image, sizeof(image_header), 0) != 0 ||
	    (!bad_header(image, size) &&
	     read_range(fd, (char *)image + sizeof(image_header),
	                Pa_ranktable_layout_of(image).section - sizeof(image_header),
	                sizeof(image_header)) != 0)) {
		int e = errno;

		free(image);
		errno = e;
		return NULL;
	}
	return image;
#else
	void *image = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);

	return image == MAP_FAILED ? NULL : image;
#endif
}

static void unmap_image(void *image, size_t size)
{
#if PA_MAP_READS_WHOLE
	(void)size;
	free(image);
#else
	munmap(image, size);
#endif
}

/* out, mapped from image: its arrays and byte ranks. */
static void take_image(Pa_ranktable *out, void *image, size_t len)
{
	out->image = image;
	out->image_len = len;
	out->mapped = 1;
	point_into(out);
	find_byte_ranks(out);
}

pa_status Pa_ranktable_map(const char *path, Pa_ranktable *out, pa_error *err)
{
	shared_map *m;
	int fd, e;
	struct stat st;
	void *image;
	const char *why;

	memset(out, 0, sizeof(*out));
	/* O_NONBLOCK: a FIFO in place of the table must not block open(2);
	 * only a regular file is mapped. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return Pa_error_set(err, errno == ENOENT ? PA_ERR_NOT_FOUND : PA_ERR_IO,
		                    path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return Pa_error_set(err, PA_ERR_CHECKSUM, path, 0, 0,
		                    "not a rank table (not a regular file); rebuild "
		                    "it with make");
	}
	if ((size_t)st.st_size < sizeof(image_header)) {
		close(fd);
		return Pa_error_set(err, PA_ERR_CHECKSUM, path, 0, 0,
		                    "not a rank table (too short); rebuild it with make");
	}
	pthread_mutex_lock(&shared_lock);
	m = shared_find(&st);
	if (m) {
		m->refs++;
		pthread_mutex_unlock(&shared_lock);
		close(fd);
		take_image(out, m->image, (size_t)st.st_size);
		return PA_OK;
	}
	pthread_mutex_unlock(&shared_lock);
	image = map_image(fd, (size_t)st.st_size);
	e = errno; /* close(2) may set it */
	if (!image || !PA_MAP_READS_WHOLE)
		close(fd);
	if (!image)
		return Pa_error_set(err, PA_ERR_IO, path, 0, 0, "cannot map: %s",
		                    strerror(e));
	huge_pages(image, (size_t)st.st_size);
	why = bad_header(image, (size_t)st.st_size);
	if (!why)
		populate(image, Pa_ranktable_layout_of(image).section);
	/* The ranks are read at every lookup: check them now.  (The
	 * section waits for Pa_ranktable_section_intact().) */
	if (!why && ranks_checksum(image, Pa_ranktable_layout_of(image)) !=
	            ((const image_header *)image)->ranks_checksum)
		why = "rank table is damaged (its checksum does not match); "
		      "rebuild it with make";
	if (why) {
		if (PA_MAP_READS_WHOLE)
			close(fd);
		unmap_image(image, (size_t)st.st_size);
		return Pa_error_set(err, PA_ERR_CHECKSUM, path, 0, 0, "%s", why);
	}
	/* Two threads that map the same file at once each keep their own
	 * mapping: both are released alike. */
	m = Pa_xcalloc(1, sizeof(*m));
	Pa_file_id_of(&st, &m->id);
	m->image = image;
	m->refs = 1;
	m->fd = PA_MAP_READS_WHOLE ? fd : -1;
	pthread_mutex_lock(&shared_lock);
	m->next = shared_maps;
	shared_maps = m;
	pthread_mutex_unlock(&shared_lock);
	take_image(out, image, (size_t)st.st_size);
	return PA_OK;
}

/* 1 when t's section matches its checksum and the words of bound (if
 * any) lie within it, at whole blocks of the checksum, and below its
 * limit. */
static int section_sound(const Pa_ranktable *t, const Pa_section_bound *bound)
{
	const image_header *h = t->image;
	size_t from = 0, to = 0;
	uint64_t low;

	if (bound) {
		if (bound->at % 64 != 0 || bound->words % 8 != 0 ||
		    bound->at > t->section_len || bound->words > (t->section_len - bound->at) / 8 ||
		    bound->below == 0 || (bound->below & (bound->below - 1)) != 0)
			return 0;
		from = bound->at;
		to = bound->at + 8 * bound->words;
	}
	if (checksum_with_low(t->section, t->section_len, 0, from, to, &low) != h->section_checksum)
		return 0;
	/* below is a power of two: every word's low bits are below it when
	 * their union is. */
	return !bound || (uint32_t)low < bound->below;
}

int Pa_ranktable_section_intact(const Pa_ranktable *t, const Pa_section_bound *bound)
{
	shared_map *m;
	int known, intact;

	if (!t->mapped)
		return 1;
	pthread_mutex_lock(&shared_lock);
	m = *shared_of(t->image);
	known = m ? m->section : 0;
	pthread_mutex_unlock(&shared_lock);
	if (known)
		return known > 0;
#if PA_MAP_READS_WHOLE
	/* Read once, under the lock: no thread reads the section before
	 * this returns. */
	pthread_mutex_lock(&shared_lock);
	m = *shared_of(t->image);
	if (m && m->fd >= 0) {
		intact = read_range(m->fd, (void *)(uintptr_t)t->section, t->section_len,
		                    (size_t)(t->section - (const unsigned char *)t->image)) == 0;
		close(m->fd);
		m->fd = -1;
		if (!intact)
			m->section = -1;
	}
	known = m ? m->section : 0;
	pthread_mutex_unlock(&shared_lock);
	if (known)
		return known > 0;
#endif
	populate(t->section, t->section_len);
	intact = section_sound(t, bound);
	pthread_mutex_lock(&shared_lock);
	m = *shared_of(t->image);
	if (m)
		m->section = intact ? 1 : -1;
	pthread_mutex_unlock(&shared_lock);
	return intact;
}

pa_status Pa_ranktable_write(Pa_ranktable *t, const char *path, pa_error *err)
{
	image_header *h = t->image;
	pa_status st;

	h->section_checksum = Pa_ranktable_checksum(t->section, t->section_len, 0);
	h->ranks_checksum = ranks_checksum(t->image, Pa_ranktable_layout_of(h));
	st = pa_file_write_atomic(path, t->image, t->image_len, err);
	if (st != PA_OK)
		return st;
#ifdef POSIX_FADV_DONTNEED
	{
		/* Written and synced, its pages are clean: the cache lets
		 * them go, and the first count reads the table back in 2 MB
		 * pages (huge_pages()), not in the pages the write made.  A
		 * path that names something else by now is left alone. */
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		struct stat st_now;

		if (fd >= 0) {
			if (fstat(fd, &st_now) == 0 && S_ISREG(st_now.st_mode))
				(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
			close(fd);
		}
	}
#endif
	return PA_OK;
}

void Pa_ranktable_release(Pa_ranktable *t)
{
	if (!t || !t->image)
		return;
	if (t->mapped) {
		shared_map **p, *m;
		int last = 1;

		pthread_mutex_lock(&shared_lock);
		p = shared_of(t->image);
		m = *p;
		if (m && --m->refs > 0)
			last = 0;
		else if (m)
			*p = m->next;
		pthread_mutex_unlock(&shared_lock);
		if (last) {
			if (m && m->fd >= 0)
				close(m->fd);
			free(m);
			unmap_image(t->image, t->image_len);
		}
	} else {
		free(t->image);
	}
	memset(t, 0, sizeof(*t));
}
