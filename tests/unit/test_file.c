/* test_file.c - reading within a limit (pa_file_read_limited), writing
 * atomically, and the sets that keep seen lists linear. */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "base.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/pa_test_file_XXXXXX";

static char *in_dir(const char *name)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void write_file(const char *name, const char *text, size_t len)
{
	FILE *f = fopen(in_dir(name), "wb");
	fwrite(text, 1, len, f);
	fclose(f);
}

static pa_status read_as(const char *name, size_t limit, unsigned flags,
                         pa_buf *out, pa_error *err)
{
	return pa_file_read_limited(in_dir(name), limit, flags, out, err);
}

static void test_limit(void)
{
	pa_buf b = PA_BUF_INIT;
	pa_error err;

	write_file("ten", "0123456789", 10);
	CHECK_EQ_INT(read_as("ten", 10, 0, &b, &err), PA_OK);
	CHECK_EQ_INT(b.len, 10);
	pa_buf_reset(&b);
	CHECK_EQ_INT(read_as("ten", 9, 0, &b, &err), PA_ERR_TOO_LARGE);
	CHECK_EQ_STR(err.message, "10 bytes is over the limit of 9 bytes");
	CHECK_EQ_INT(b.len, 0); /* nothing appended on failure */
	pa_buf_puts(&b, "kept:");
	CHECK_EQ_INT(read_as("ten", 100, 0, &b, &err), PA_OK);
	CHECK_EQ_STR(b.ptr, "kept:0123456789");
	pa_buf_release(&b);
	CHECK_EQ_INT(read_as("missing", 10, 0, &b, &err), PA_ERR_NOT_FOUND);
}

static void test_not_regular(void)
{
	pa_buf b = PA_BUF_INIT;
	pa_error err;

	mkfifo(in_dir("fifo"), 0600);
	CHECK_EQ_INT(read_as("fifo", 100, 0, &b, &err), PA_ERR_IO);
	CHECK_EQ_STR(err.message, "not a regular file (a FIFO)");
	symlink("/dev/zero", in_dir("zero"));
	CHECK_EQ_INT(read_as("zero", 100, 0, &b, &err), PA_ERR_IO);
	CHECK_EQ_STR(err.message, "not a regular file (a character device)");
	CHECK_EQ_INT(pa_file_read_limited(dir, 100, 0, &b, &err), PA_ERR_IO);
	CHECK_EQ_STR(err.message, "is a directory");
	/* A link to a regular file is read, unless links are refused. */
	write_file("target", "text", 4);
	symlink("target", in_dir("link"));
	CHECK_EQ_INT(read_as("link", 100, 0, &b, &err), PA_OK);
	CHECK_EQ_STR(b.ptr, "text");
	CHECK_EQ_INT(read_as("link", 100, PA_FILE_NOFOLLOW, &b, &err), PA_ERR_IO);
	/* "-" is a file name unless standard input is asked for. */
	CHECK_EQ_INT(pa_file_read_limited("-", 100, 0, &b, &err), PA_ERR_NOT_FOUND);
	pa_buf_release(&b);
}

static void test_write(void)
{
	pa_error err;
	struct stat st;

	write_file("out", "old", 3);
	chmod(in_dir("out"), 0640);
	CHECK_EQ_INT(pa_file_write_atomic(in_dir("out"), "new", 3, &err), PA_OK);
	CHECK(stat(in_dir("out"), &st) == 0 && (st.st_mode & 0777) == 0640);
	CHECK_EQ_INT(pa_file_write_atomic(in_dir("fifo"), "x", 1, &err), PA_ERR_IO);
	CHECK(stat(in_dir("fifo"), &st) == 0 && S_ISFIFO(st.st_mode));
	CHECK_EQ_INT(pa_file_write_atomic(in_dir("link"), "x", 1, &err), PA_ERR_IO);
	CHECK(lstat(in_dir("link"), &st) == 0 && S_ISLNK(st.st_mode));
}

static void test_strset(void)
{
	Pa_strset s = PA_STRSET_INIT;
	char key[32];
	int i, ok = 1;

	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		ok &= Pa_strset_add(&s, key, strlen(key)) == 1;
	}
	CHECK(ok);
	CHECK_EQ_INT(s.n, 100000);
	CHECK(!Pa_strset_add(&s, "k99999", 6));
	CHECK(Pa_strset_has(&s, "k0", 2));
	CHECK(!Pa_strset_has(&s, "k100000", 7));
	CHECK(Pa_strset_remove(&s, "k0", 2));
	CHECK(!Pa_strset_has(&s, "k0", 2));
	CHECK(!Pa_strset_remove(&s, "k0", 2));
	CHECK(Pa_strset_add(&s, "a\0b", 3));  /* bytes, not C strings */
	CHECK(Pa_strset_add(&s, "a\0c", 3));
	Pa_strset_release(&s);
	CHECK(!Pa_strset_has(&s, "k1", 2));
}

/* Keys chosen so that plain FNV-1a agrees in its low 20 bits for all of
 * them (each pair of three-letter blocks takes the hash's low bits to the
 * same state; 2^16 keys of 16 choices): with plain FNV-1a, a frontmatter
 * of these keys put them all in one bucket (64,000: 10 s instead of 0.3).
 * With the seeded, mixed hash the fullest bucket holds a handful. */
static void test_strset_chosen_keys(void)
{
	static const char *const first = "niCnyCcyCfyCfyCfyCfyCfyCfyCfyCfyCfyCfyCfyCfyCfyC";
	Pa_strset s = PA_STRSET_INIT;
	char key[1 + 3 * 16 + 1];
	unsigned k, i;

	for (k = 0; k < 65536; k++) {
		key[0] = 'k';
		for (i = 0; i < 16; i++)
			memcpy(key + 1 + 3 * i, k >> i & 1 ? "paa" : first + 3 * i, 3);
		key[sizeof(key) - 1] = '\0';
		Pa_strset_add(&s, key, sizeof(key) - 1);
	}
	CHECK_EQ_INT(s.n, 65536);
	CHECK(Pa_strset_longest_chain(&s) <= 16);
	Pa_strset_release(&s);
}

static void test_grow(void)
{
	int *v = NULL;
	size_t i;
	int ok = 1;

	for (i = 0; i < 1000; i++) {
		v = Pa_xgrow(v, i, sizeof(*v));
		v[i] = (int)i;
	}
	for (i = 0; i < 1000; i++)
		ok &= v[i] == (int)i;
	CHECK(ok);
	free(v);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_limit);
	RUN(test_not_regular);
	RUN(test_write);
	RUN(test_strset);
	RUN(test_strset_chosen_keys);
	RUN(test_grow);
	unlink(in_dir("ten"));
	unlink(in_dir("fifo"));
	unlink(in_dir("zero"));
	unlink(in_dir("target"));
	unlink(in_dir("link"));
	unlink(in_dir("out"));
	rmdir(dir);
	return pa_test_summary();
}
