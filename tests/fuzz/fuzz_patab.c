/* fuzz_patab.c - libFuzzer target: loading a damaged .patab rank table.
 *
 * A real table (claude.patab, the smallest: 5 MB) is copied once into a
 * directory of this process (fuzz_tmp_dir()) with its manifest; each input is a
 * list of edits to that copy, undone after the run so the next input
 * starts from the real table again.
 *
 *   byte 0  bit 0: forge the ranks' checksum after the edits; bit 1:
 *           forge the section's; bit 2: also cut the file short (by up
 *           to 64 KiB, the cut given by bytes 1-2)
 *   then 6 bytes an edit: where (bits 0-2: the header, the offsets, the
 *   hash buckets, the token bytes, the section, anywhere), a 32-bit offset in
 *   that region, and the value; bit 3 writes the 32-bit word v (or, with
 *   bit 4, 0xFFFFFFxx) instead of the byte v.
 *
 * Oracles:
 *  - loading fails with a checksum or parse error and a message, or
 *    loads; then encoding a fixed text (with a special token, text NFKC
 *    changes, and a piece long enough to need the section's merge
 *    tables) either fails with PA_ERR_CHECKSUM or, when no checksum was
 *    forged, gives exactly the ids of the undamaged table: a table whose
 *    checksums hold is the table that was written;
 *  - with forged checksums nothing is promised about the ids, nor that
 *    counting gives as many as encoding (which merge a piece gets depends
 *    on what the text needed before: tokenizer.c merges short pieces with
 *    the ranks alone until the merge tables are first verified, and the
 *    two disagree on a damaged table), but the library's own promise
 *    (ranktable.h, backtrack.h) is that lookups and merges stay within
 *    the table and end: ASan, UBSan and libFuzzer's -timeout check that. */
#include "fuzz.h"

#include "ranktable.h"

#include <fcntl.h>
#include <sys/stat.h>

#define MAX_EDITS 64

static const char text[] =
	"Hello, world! <EOT> The \xEF\xAC\x81le \xEF\xBC\xA1\xEF\xBC\xA2 caf\xC3\xA9 "
	"123456789\n"
	"sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
	"aGVsbG8gd29ybGQgdGhpcyBpcyBhIGxvbmcgYmFzZTY0IHBpZWNlIG9mIHRleHQ_\n"
	/* One piece of 150 letters: longer than PA_BPE_SMALL_PIECE, so
	 * merged with the section's tables (backtrack.h) at once, where
	 * short pieces use the ranks alone until 8 KB have been merged. */
	"Supercalifragilisticexpialidociouslyantidisestablishmentarianism"
	"Pneumonoultramicroscopicsilicovolcanoconiosisfloccinaucinihilipi"
	"lificationHonorific\n";

static char dir[512], yaml_path[544], table_path[544];
static unsigned char *pristine, *work;
static size_t size;
static uint32_t *want;
static size_t n_want;
static int fd = -1;

/* The regions of an image, as the library lays them out. */
static Pa_ranktable_layout layout_of(const Pa_ranktable_header *h)
{
	return Pa_ranktable_layout_of(h);
}

static void remove_dir(void)
{
	unlink(table_path);
	unlink(yaml_path);
	rmdir(dir);
}

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "cannot read %s (make builds it)\n", path);
		abort();
	}
	p = malloc((size_t)n);
	if (fread(p, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void put_at(size_t at, const void *p, size_t n)
{
	if (pwrite(fd, p, n, (off_t)at) != (ssize_t)n)
		abort();
}

static void set_up(void)
{
	const char *from = getenv("PROMPTASM_TOKENIZERS");
	pa_buf path = PA_BUF_INIT;
	unsigned char *yaml;
	size_t yaml_len;
	pa_tokenizer *tok;
	pa_error err;

	if (!from) {
		fprintf(stderr, "PROMPTASM_TOKENIZERS is unset (run.sh sets it)\n");
		abort();
	}
	snprintf(dir, sizeof(dir), "%s/promptasm-fuzz-%ld-patab", fuzz_tmp_dir(),
	         (long)getpid());
	snprintf(yaml_path, sizeof(yaml_path), "%s/claude.yaml", dir);
	snprintf(table_path, sizeof(table_path), "%s/claude.patab", dir);
	if (mkdir(dir, 0700) != 0)
		abort();
	atexit(remove_dir);
	pa_buf_printf(&path, "%s/claude.yaml", from);
	yaml = read_all(path.ptr, &yaml_len);
	fuzz_write_file(yaml_path, yaml, yaml_len);
	free(yaml);
	pa_buf_reset(&path);
	pa_buf_printf(&path, "%s/claude.patab", from);
	pristine = read_all(path.ptr, &size);
	pa_buf_release(&path);
	work = malloc(size);
	memcpy(work, pristine, size);
	fuzz_write_file(table_path, pristine, size);
	fd = open(table_path, O_WRONLY);
	if (fd < 0)
		abort();

	/* The ids of the undamaged copy. */
	if (pa_tokenizer_load("claude", dir, &tok, &err) != PA_OK ||
	    pa_tokenizer_encode(tok, text, sizeof(text) - 1, &want, &n_want, &err) != PA_OK) {
		fprintf(stderr, "the undamaged table does not load: %s\n", err.message);
		abort();
	}
	pa_tokenizer_free(tok);

	/* The text must reach the section, or damage there would go
	 * unseen: with its first byte changed, encoding fails. */
	{
		Pa_ranktable_layout l = layout_of((const Pa_ranktable_header *)(const void *)pristine);
		unsigned char x = (unsigned char)(pristine[l.section] ^ 1);
		uint32_t *ids = NULL;
		size_t n;

		put_at(l.section, &x, 1);
		if (pa_tokenizer_load("claude", dir, &tok, &err) != PA_OK ||
		    pa_tokenizer_encode(tok, text, sizeof(text) - 1, &ids, &n, &err) !=
		    PA_ERR_CHECKSUM) {
			fprintf(stderr, "the text does not reach the merge tables\n");
			abort();
		}
		pa_tokenizer_free(tok);
		put_at(l.section, pristine + l.section, 1);
	}
}

/* Region r's start and length in the undamaged image. */
static void region(unsigned r, size_t *start, size_t *len)
{
	Pa_ranktable_layout l = layout_of((const Pa_ranktable_header *)(const void *)pristine);

	switch (r) {
	case 0: *start = 0; *len = 256; break;
	case 1: *start = 0; *len = sizeof(Pa_ranktable_header); break;
	case 2: *start = l.offsets; *len = l.buckets - l.offsets; break;
	case 3: *start = l.buckets; *len = l.bytes - l.buckets; break;
	case 4: *start = l.bytes; *len = l.section - l.bytes; break;
	case 5: *start = l.section; *len = size - l.section; break;
	default: *start = 0; *len = size; break;
	}
}

/* Writes the checksums the library would for the damaged image, when
 * its header's layout fits in the file (else it is refused anyway). */
static void forge(int ranks, int section)
{
	Pa_ranktable_header h;
	Pa_ranktable_layout l;

	memcpy(&h, work, sizeof(h));
	l = layout_of(&h);
	if (h.n_ids > PA_RANK_LIMIT || l.section > size)
		return;
	if (ranks) {
		h.ranks_checksum = 0;
		h.section_checksum = 0;
		h.ranks_checksum = Pa_ranktable_checksum(
			work + l.offsets, l.section - l.offsets,
			Pa_ranktable_checksum(&h, sizeof(h), 0));
		memcpy(work + offsetof(Pa_ranktable_header, ranks_checksum),
		       &h.ranks_checksum, sizeof(h.ranks_checksum));
	}
	if (section) {
		uint64_t c = Pa_ranktable_checksum(work + l.section, size - l.section, 0);
		memcpy(work + offsetof(Pa_ranktable_header, section_checksum), &c,
		       sizeof(c));
	}
	put_at(0, work, sizeof(h));
}

static void check_loaded(pa_tokenizer *tok, int forged)
{
	uint32_t *ids = NULL;
	size_t n = 0, count = 0;
	pa_buf back = PA_BUF_INIT;
	pa_error err;
	pa_status st = pa_tokenizer_encode(tok, text, sizeof(text) - 1, &ids, &n, &err);

	if (st != PA_OK) {
		FUZZ_CHECK(st == PA_ERR_CHECKSUM && err.message[0]);
		FUZZ_CHECK(pa_tokenizer_count(tok, text, sizeof(text) - 1, &count,
		                              &err) == PA_ERR_CHECKSUM);
		return;
	}
	FUZZ_CHECK(pa_tokenizer_count(tok, text, sizeof(text) - 1, &count, &err) == PA_OK);
	if (!forged)
		FUZZ_CHECK(count == n && n == n_want &&
		           !memcmp(ids, want, n * sizeof(*ids)));
	st = pa_tokenizer_decode(tok, ids, n, &back, &err);
	FUZZ_CHECK(st == PA_OK || st == PA_ERR_INVALID);
	pa_buf_release(&back);
	pa_free(ids);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	size_t at[MAX_EDITS], width[MAX_EDITS], n_edits = 0, i, cut = size;
	unsigned flags;
	pa_tokenizer *tok = NULL;
	pa_error err;
	pa_status st;

	if (!pristine)
		set_up();
	if (len < 1)
		return 0;
	flags = data[0];
	for (i = 3; i + 6 <= len && n_edits < MAX_EDITS; i += 6) {
		unsigned r = data[i];
		uint32_t o = (uint32_t)data[i + 1] | (uint32_t)data[i + 2] << 8 |
		             (uint32_t)data[i + 3] << 16 | (uint32_t)data[i + 4] << 24;
		unsigned char v[4] = { data[i + 5], 0, 0, 0 };
		size_t start, rlen, w = r & 8 ? 4 : 1, off;

		region(r & 7, &start, &rlen);
		if (r & 16) {
			v[3] = v[0];
			v[0] = v[1] = v[2] = 0xFF;
		}
		if (rlen < w)
			continue;
		off = start + o % (rlen - w + 1);
		memcpy(work + off, v, w);
		put_at(off, v, w);
		at[n_edits] = off;
		width[n_edits++] = w;
	}
	if (flags & 3)
		forge(flags & 1, flags & 2);
	if ((flags & 4) && len >= 3) {
		cut = size - 1 - ((size_t)data[1] | (size_t)data[2] << 8);
		if (ftruncate(fd, (off_t)cut) != 0)
			abort();
	}

	st = pa_tokenizer_load("claude", dir, &tok, &err);
	if (st != PA_OK) {
		FUZZ_CHECK(tok == NULL && err.message[0]);
		FUZZ_CHECK(st == PA_ERR_CHECKSUM || st == PA_ERR_PARSE);
	} else {
		check_loaded(tok, flags & 3);
	}
	pa_tokenizer_free(tok);

	/* Undo: the edits, the header (checksums), the cut. */
	for (i = 0; i < n_edits; i++) {
		memcpy(work + at[i], pristine + at[i], width[i]);
		put_at(at[i], pristine + at[i], width[i]);
	}
	if (flags & 3) {
		memcpy(work, pristine, sizeof(Pa_ranktable_header));
		put_at(0, pristine, sizeof(Pa_ranktable_header));
	}
	if (cut < size)
		put_at(cut, pristine + cut, size - cut);
	return 0;
}
