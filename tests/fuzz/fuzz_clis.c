/* fuzz_clis.c - libFuzzer target: the other agent CLIs' discovery
 * (src/discover/: codex.c, copilot.c, gemini.c, opencode.c, qwen.c,
 * pi.c, harness_read.c, cfgfile.c, toml.c) through pa_harness_load().
 *
 * Each input is a small tree, written into a fresh directory: records
 * separated by a line `=== `, each a header line and the file's text:
 *
 *   === PATH           a file of the project (proj/PATH), or of home
 *                      when PATH starts with `~/`
 *   === PATH -> TARGET a symbolic link to TARGET, as written (out of the
 *                      tree too: `../out/secret.md`, `/etc/passwd`)
 *
 * PATH is made of at most 6 names of [A-Za-z0-9._-] (no `.` or `..`);
 * a directory is made as a file's parents are.  The first byte of the
 * input picks the working directory (proj, proj/sub, proj/sub/deep) and
 * whether the loads share a cache.  Beside the project lies out/, which
 * holds a file every link out of the project may point to.  Then every
 * CLI's load runs, twice.
 *
 * Oracles:
 *  - no crash, no leak (ASan), no undefined behaviour (UBSan);
 *  - every file sends at most the bytes it holds; a file not read sends
 *    nothing; all the files of a load hold at most
 *    PA_INSTRUCTIONS_TOTAL_MAX_BYTES;
 *  - nothing is read outside the project or home: every input the load
 *    lists has its real path there, and no text read holds out/'s secret
 *    (unless the input wrote it);
 *  - the second load gives the same files, states and bytes.
 *
 * The trees are made in memory: before the first input the target mounts
 * a file system of RAM (tmpfs) on its scratch directory, in a mount
 * namespace of its own (and a user namespace, unless it runs as root),
 * where the kernel allows that; elsewhere they are on the disk of
 * fuzz_tmp_dir().  No process is started per input.  On the disk (ext4)
 * making and removing each tree (the inodes written, then evicted) took
 * as long as the loads themselves. */
#define _GNU_SOURCE
#include "fuzz.h"

#include "promptasm.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

static char top[512];      /* the tree of one input */
static char proj[600], home[600], out[600];
static char home_env[700];

static const char secret[] = "FUZZ-SECRET-OUTSIDE-THE-PROJECT";

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *w)
{
	(void)st;
	(void)flag;
	(void)w;
	remove(p);
	return 0;
}

static void rm_tree(void)
{
	nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdir -p of the parents of path (absolute). */
static int make_parents(char *path)
{
	char *s;

	for (s = path + strlen(top) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*s = '/';
			return 0;
		}
		*s = '/';
	}
	return 1;
}

/* PATH of a header into full (under proj or home), or 0 when it is not
 * one the format allows. */
static int place(const char *h, size_t n, char *full, size_t cap)
{
	const char *base = proj;
	size_t i, names = 0, len = 0;

	if (n >= 2 && h[0] == '~' && h[1] == '/') {
		base = home;
		h += 2;
		n -= 2;
	}
	if (!n || n > 200)
		return 0;
	for (i = 0; i < n; i++) {
		char c = h[i];

		if (c == '/') {
			if (!len || (len == 1 && h[i - 1] == '.') ||
			    (len == 2 && h[i - 1] == '.' && h[i - 2] == '.'))
				return 0;
			len = 0;
			if (++names >= 6)
				return 0;
			continue;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
		len++;
	}
	if (!len || (len == 1 && h[n - 1] == '.') ||
	    (len == 2 && h[n - 1] == '.' && h[n - 2] == '.'))
		return 0;
	return snprintf(full, cap, "%s/%.*s", base, (int)n, h) < (int)cap;
}

static void make_tree(const char *data, size_t size)
{
	const char *s = data, *end = data + size;
	char p[1024];

	mkdir(top, 0700);
	mkdir(proj, 0700);
	snprintf(p, sizeof(p), "%s/.git", proj);
	mkdir(p, 0700);
	mkdir(home, 0700);
	mkdir(out, 0700);
	snprintf(p, sizeof(p), "%s/secret.md", out);
	fuzz_write_file(p, secret, strlen(secret));
	snprintf(p, sizeof(p), "%s/sub/deep", proj);
	make_parents(p);
	mkdir(p, 0700);
	while (s < end) {
		const char *hl, *he, *body, *next, *arrow;

		if (end - s < 4 || memcmp(s, "=== ", 4)) {
			const char *m = memmem(s, (size_t)(end - s), "\n=== ", 5);

			if (!m)
				break;
			s = m + 1;
			continue;
		}
		hl = s + 4;
		he = memchr(hl, '\n', (size_t)(end - hl));
		if (!he)
			he = end;
		body = he < end ? he + 1 : end;
		next = body < end ? memmem(body, (size_t)(end - body), "\n=== ", 5) : NULL;
		if (!next)
			next = end;
		arrow = memmem(hl, (size_t)(he - hl), " -> ", 4);
		if (place(hl, (size_t)((arrow ? arrow : he) - hl), p, sizeof(p)) &&
		    make_parents(p)) {
			if (arrow) {
				char t[512];
				size_t tl = (size_t)(he - arrow - 4);

				if (tl && tl < sizeof(t) && !memchr(arrow + 4, '\0', tl)) {
					memcpy(t, arrow + 4, tl);
					t[tl] = '\0';
					/* there already: the first stays */
					(void)!symlink(t, p);
				}
			} else {
				FILE *f = fopen(p, "wb");

				if (f) {
					fwrite(body, 1, (size_t)(next - body), f);
					fclose(f);
				}
			}
		}
		s = next < end ? next + 1 : end;
	}
}

static int under(const char *real, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(real, dir, n) && (real[n] == '\0' || real[n] == '/');
}

static int input_has_secret; /* the input wrote it itself */

static void check_load(const pa_harness *h)
{
	size_t i, total = 0;

	for (i = 0; i < pa_harness_file_count(h); i++) {
		const pa_harness_file *f = pa_harness_file_at(h, i);

		FUZZ_CHECK(f->path != NULL);
		FUZZ_CHECK(f->sent <= f->bytes);
		if (f->unread) {
			FUZZ_CHECK(f->sent == 0 && f->reason != NULL);
			continue;
		}
		total += f->bytes;
		FUZZ_CHECK(f->text != NULL || f->bytes == 0);
		/* text starts after what is skipped (a byte order mark): its
		 * bytes sent are the part to look in */
		FUZZ_CHECK(input_has_secret || !f->sent ||
		           !memmem(f->text, f->sent, secret, strlen(secret)));
	}
	FUZZ_CHECK(total <= (size_t)PA_INSTRUCTIONS_TOTAL_MAX_BYTES);
	for (i = 0; i < pa_harness_input_count(h); i++) {
		char *real = realpath(pa_harness_input_at(h, i), NULL);

		/* what no longer resolves was not read through it */
		if (real) {
			FUZZ_CHECK(under(real, proj) || under(real, home));
			free(real);
		}
	}
}

static void same_load(const pa_harness *a, const pa_harness *b)
{
	size_t i;

	FUZZ_CHECK(pa_harness_file_count(a) == pa_harness_file_count(b));
	for (i = 0; i < pa_harness_file_count(a); i++) {
		const pa_harness_file *x = pa_harness_file_at(a, i);
		const pa_harness_file *y = pa_harness_file_at(b, i);

		FUZZ_CHECK(!strcmp(x->path, y->path));
		FUZZ_CHECK(x->bytes == y->bytes && x->sent == y->sent);
		FUZZ_CHECK(x->unread == y->unread && x->dropped == y->dropped);
	}
	FUZZ_CHECK(pa_harness_input_count(a) == pa_harness_input_count(b));
}

static int write_proc(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Mounts a tmpfs on dir in a mount namespace of this process's own: as
 * root directly, else in a user namespace that maps this user.  Called
 * before libFuzzer starts its threads (a user namespace needs a process
 * of one thread).  Returns 0, or -1 when the kernel refused (the trees
 * are then on the disk). */
static int mount_in_memory(const char *dir)
{
	char map[64];
	unsigned uid = (unsigned)getuid(), gid = (unsigned)getgid();

	if (unshare(CLONE_NEWNS) != 0) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
			return -1;
		snprintf(map, sizeof(map), "%u %u 1\n", uid, uid);
		if (write_proc("/proc/self/setgroups", "deny") != 0 && errno != ENOENT)
			return -1;
		if (write_proc("/proc/self/uid_map", map) != 0)
			return -1;
		snprintf(map, sizeof(map), "%u %u 1\n", gid, gid);
		if (write_proc("/proc/self/gid_map", map) != 0)
			return -1;
	}
	/* nothing mounted here is seen outside */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return -1;
	return mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=256m,mode=0700");
}

static void set_up(void)
{
	snprintf(top, sizeof(top), "%s", fuzz_tmp_path("clis"));
	snprintf(proj, sizeof(proj), "%s/proj", top);
	snprintf(home, sizeof(home), "%s/home", top);
	snprintf(out, sizeof(out), "%s/out", top);
	snprintf(home_env, sizeof(home_env), "HOME=%s", home);
	atexit(rm_tree);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	set_up();
	if (mkdir(top, 0700) != 0 || mount_in_memory(top) != 0)
		fprintf(stderr, "fuzz_clis: the trees are on the disk (%s): no tmpfs "
		        "in a namespace of our own: %s\n", top, strerror(errno));
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const cwds[] = { "", "/sub", "/sub/deep" };
	const char *env[2];
	char cwd[700];
	unsigned char mode = size ? data[0] : 0;
	pa_harness_cache *cache = NULL;
	int id;

	if (!*top)
		set_up(); /* replayed without libFuzzer: on the disk */
	rm_tree();
	input_has_secret = memmem(data, size, secret, strlen(secret)) != NULL;
	if (size)
		make_tree((const char *)data + 1, size - 1);
	else
		make_tree("", 0);
	snprintf(cwd, sizeof(cwd), "%s%s", proj, cwds[mode % 3]);
	env[0] = home_env;
	env[1] = NULL;
	if (mode & 4)
		cache = pa_harness_cache_new();
	for (id = 0; id < PA_HARNESS_COUNT; id++) {
		pa_harness_options opt;
		pa_harness *a = NULL, *b = NULL;
		pa_warnings w = { NULL, 0 };
		pa_error err;
		pa_status sa, sb;

		if (id == PA_HARNESS_CLAUDE_CODE)
			continue;
		pa_harness_options_init(&opt);
		opt.cwd = cwd;
		opt.home = home;
		opt.env = env;
		opt.cache = cache;
		memset(&err, 0, sizeof(err));
		sa = pa_harness_load((pa_harness_id)id, &opt, &a, &w, &err);
		pa_warnings_release(&w);
		memset(&err, 0, sizeof(err));
		sb = pa_harness_load((pa_harness_id)id, &opt, &b, &w, &err);
		pa_warnings_release(&w);
		FUZZ_CHECK(sa == sb);
		FUZZ_CHECK((sa == PA_OK) == (a != NULL));
		if (a) {
			check_load(a);
			check_load(b);
			same_load(a, b);
		}
		pa_harness_free(a);
		pa_harness_free(b);
	}
	pa_harness_cache_free(cache);
	return 0;
}
