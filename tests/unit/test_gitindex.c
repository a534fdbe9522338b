/* test_gitindex.c - git's index read by ourselves (util/gitindex.c): the
 * indexes git writes (versions 2, 3 and 4, SHA-256, a conflict), compared
 * with `git ls-files`; the ones that must send the walk back (a sparse
 * checkout, a split index, a sparse index, a worktree's .git file); and
 * broken ones made by hand or cut short, each an error with its byte,
 * never a crash.  The tests that need git are skipped, named, without
 * it. */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"
#include "util.h"

#include <stdint.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int skipped;
static char tmp[] = "/tmp/pa-gitindex.XXXXXX";

/* Runs the shell command fmt, each %s in it arg, %% a %. */
static int sh(const char *fmt, const char *arg)
{
	pa_buf cmd = PA_BUF_INIT;
	int rc;

	for (; *fmt; fmt++) {
		if (fmt[0] == '%' && fmt[1] == 's') {
			pa_buf_puts(&cmd, arg);
			fmt++;
		} else if (fmt[0] == '%' && fmt[1] == '%') {
			pa_buf_putc(&cmd, '%');
			fmt++;
		} else {
			pa_buf_putc(&cmd, *fmt);
		}
	}
	rc = system(cmd.ptr);
	pa_buf_release(&cmd);
	return rc;
}

/* `git ls-files` of repo, each path once, NUL-separated, into out. */
static void ls_files(const char *repo, pa_buf *out)
{
	char cmd[1024];
	FILE *f;
	int c;

	snprintf(cmd, sizeof(cmd), "cd '%s' && git ls-files -z --deduplicate", repo);
	f = popen(cmd, "r");
	if (!f)
		return;
	while ((c = fgetc(f)) != EOF)
		pa_buf_putc(out, (char)c);
	pclose(f);
}

/* The index of the repository whose top is repo. */
static pa_status load(const char *repo, Pa_gitindex **ix, pa_error *err)
{
	char dotgit[512];

	snprintf(dotgit, sizeof(dotgit), "%s/.git", repo);
	return Pa_gitindex_load(dotgit, 1000, ix, err);
}

/* Whether the index of repo reads as git lists it. */
static void same_as_git(const char *repo, const char *what)
{
	Pa_gitindex *ix = NULL;
	pa_error err;
	pa_buf ours = PA_BUF_INIT, theirs = PA_BUF_INIT;
	size_t i;
	pa_status st = load(repo, &ix, &err);

	if (st != PA_OK)
		fprintf(stderr, "%s: %s: %s\n", what, err.file, err.message);
	CHECK_EQ_INT(st, PA_OK);
	for (i = 0; ix && i < ix->n; i++) {
		pa_buf_puts(&ours, ix->paths[i]);
		pa_buf_putc(&ours, '\0');
	}
	ls_files(repo, &theirs);
	if (ours.len != theirs.len || memcmp(ours.ptr, theirs.ptr, ours.len))
		fprintf(stderr, "FAIL %s: our paths differ from git ls-files\n", what);
	CHECK(theirs.len > 0);
	CHECK(ours.len == theirs.len && !memcmp(ours.ptr, theirs.ptr, ours.len));
	Pa_gitindex_free(ix);
	pa_buf_release(&ours);
	pa_buf_release(&theirs);
}

/* That repo's index is not used, and why says so. */
static void falls_back(const char *repo, const char *why)
{
	Pa_gitindex *ix = NULL;
	pa_error err;
	pa_status st = load(repo, &ix, &err);

	CHECK_EQ_INT(st, PA_ERR_NOT_FOUND);
	CHECK(ix == NULL);
	if (!strstr(err.message, why))
		fprintf(stderr, "FAIL %s: message \"%s\"\n", why, err.message);
	CHECK(strstr(err.message, why) != NULL);
}

#define GIT "git -c user.name=t -c user.email=t@t -c init.defaultBranch=main " \
            "-c core.hooksPath=/dev/null -c advice.detachedHead=false "

static void test_written_by_git(void)
{
	char repo[256];

	snprintf(repo, sizeof(repo), "%s/r", tmp);
	CHECK_EQ_INT(sh("mkdir -p '%s/dir/sub' && cd '%s' && " GIT "init -q . && "
	                "echo a >a.txt && echo b >dir/b.txt && echo c >dir/sub/c.md && "
	                "echo d >'sp ace.txt' && echo e >\"$(printf 'caf\\303\\251')\" && "
	                "ln -s a.txt link && " GIT "add -A && " GIT "commit -qm one", repo), 0);
	same_as_git(repo, "version 2");
	/* an intent-to-add entry: extended flags, version 3 */
	CHECK_EQ_INT(sh("cd '%s' && echo n >new.txt && " GIT "add -N new.txt", repo), 0);
	same_as_git(repo, "version 3");
	CHECK_EQ_INT(sh("cd '%s' && " GIT "update-index --index-version 4", repo), 0);
	same_as_git(repo, "version 4");
	/* a long path, shared prefixes */
	CHECK_EQ_INT(sh("cd '%s' && d=$(printf 'x%%.0s' $(seq 1 100)) && mkdir -p dir/$d/$d/$d && "
	                "echo z >dir/$d/$d/$d/z && echo y >dir/$d/$d/$d/y && " GIT "add -A", repo), 0);
	same_as_git(repo, "version 4, a long path");
	CHECK_EQ_INT(sh("cd '%s' && " GIT "update-index --index-version 2", repo), 0);
	same_as_git(repo, "version 2, a long path");
	/* a conflict: three stages of one path, listed once */
	CHECK_EQ_INT(sh("cd '%s' && " GIT "add -A && " GIT "commit -qm two && " GIT "checkout -qb other && "
	                "echo other >a.txt && " GIT "commit -qam other && " GIT "checkout -q main && "
	                "echo mine >a.txt && " GIT "commit -qam mine && "
	                "! " GIT "merge -q other >/dev/null 2>&1", repo), 0);
	same_as_git(repo, "a conflict");
	/* the linked worktree's .git is a file */
	CHECK_EQ_INT(sh("cd '%s' && " GIT "merge --abort && " GIT "worktree add -q ../wt 2>/dev/null",
	                repo), 0);
	snprintf(repo, sizeof(repo), "%s/wt", tmp);
	falls_back(repo, ".git is a file");
	snprintf(repo, sizeof(repo), "%s/r", tmp);
	/* a split index */
	CHECK_EQ_INT(sh("cd '%s' && " GIT "update-index --split-index", repo), 0);
	falls_back(repo, "split index");
	CHECK_EQ_INT(sh("cd '%s' && " GIT "update-index --no-split-index && "
	                GIT "sparse-checkout set dir/sub 2>/dev/null", repo), 0);
	falls_back(repo, "sparse checkout");
	CHECK_EQ_INT(sh("cd '%s' && " GIT "sparse-checkout init --cone --sparse-index 2>/dev/null",
	                repo), 0);
	falls_back(repo, "sparse");
	/* a repository of SHA-256 names */
	snprintf(repo, sizeof(repo), "%s/s", tmp);
	CHECK_EQ_INT(sh("mkdir -p '%s/d' && cd '%s' && " GIT "init -q --object-format=sha256 . && "
	                "echo a >a && echo b >d/b && " GIT "add -A", repo), 0);
	same_as_git(repo, "sha256");
	/* no index yet: nothing to say, the walk lists everything */
	snprintf(repo, sizeof(repo), "%s/e", tmp);
	CHECK_EQ_INT(sh("mkdir -p '%s' && cd '%s' && " GIT "init -q .", repo), 0);
	{
		Pa_gitindex *ix;
		pa_error err;

		CHECK_EQ_INT(load(repo, &ix, &err), PA_ERR_NOT_FOUND);
		CHECK_EQ_STR(err.message, "");
	}
}

/* ---- indexes made by hand ---- */

static void put32(pa_buf *b, uint32_t v)
{
	pa_buf_putc(b, (char)(v >> 24));
	pa_buf_putc(b, (char)(v >> 16));
	pa_buf_putc(b, (char)(v >> 8));
	pa_buf_putc(b, (char)v);
}

/* A version 2 index of the paths (mode each), with a zero checksum. */
static void make_v2(pa_buf *b, const char *const *paths, size_t n, unsigned mode)
{
	size_t i, k;

	pa_buf_reset(b);
	pa_buf_put(b, "DIRC", 4);
	put32(b, 2);
	put32(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		size_t start = b->len, len = strlen(paths[i]);

		for (k = 0; k < 6; k++)
			put32(b, 0);
		put32(b, mode);
		for (k = 0; k < 3; k++)
			put32(b, 0);
		for (k = 0; k < 20; k++)
			pa_buf_putc(b, 1);
		pa_buf_putc(b, (char)((len > 0xFFF ? 0xFFF : len) >> 8));
		pa_buf_putc(b, (char)(len > 0xFFF ? 0xFF : len));
		pa_buf_puts(b, paths[i]);
		do
			pa_buf_putc(b, '\0');
		while ((b->len - start) % 8);
	}
	for (k = 0; k < 20; k++)
		pa_buf_putc(b, 0);
}

static pa_status parse(const pa_buf *b, Pa_gitindex **ix, pa_error *err)
{
	return Pa_gitindex_parse((const unsigned char *)b->ptr, b->len, 20, 1000,
	                         ".git/index", ix, err);
}

static void refused(const char *const *paths, size_t n, const char *why)
{
	pa_buf b = PA_BUF_INIT;
	Pa_gitindex *ix;
	pa_error err;

	make_v2(&b, paths, n, 0100644);
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_ERR_PARSE);
	CHECK(ix == NULL);
	CHECK_EQ_STR(err.file, ".git/index");
	CHECK(err.offset >= 0);
	if (!strstr(err.message, why))
		fprintf(stderr, "FAIL %s: message \"%s\"\n", why, err.message);
	CHECK(strstr(err.message, why) != NULL);
	pa_buf_release(&b);
}

static void test_hand_made(void)
{
	static const char *const good[] = { "a", "b/c", "b/d" };
	static const char *const dotdot[] = { "a/../b" };
	static const char *const abs[] = { "/etc/passwd" };
	static const char *const dotgit[] = { "x/.GIT/config" };
	static const char *const empty[] = { "a//b" };
	static const char *const trailing[] = { "a/" };
	static const char *const unsorted[] = { "b", "a" };
	static const char *const twice[] = { "a", "a" };
	pa_buf b = PA_BUF_INIT;
	Pa_gitindex *ix;
	pa_error err;
	size_t cut;

	make_v2(&b, good, 3, 0100644);
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_OK);
	CHECK_EQ_INT(ix->n, 3);
	CHECK_EQ_STR(ix->paths[2], "b/d");
	CHECK_EQ_INT(ix->modes[0], PA_GITINDEX_FILE);
	Pa_gitindex_free(ix);
	refused(dotdot, 1, "`.` or `..`");
	refused(abs, 1, "an absolute path");
	refused(dotgit, 1, "`.git`");
	refused(empty, 1, "empty path component");
	refused(trailing, 1, "empty path component");
	refused(unsorted, 2, "out of git's order");
	refused(twice, 2, "out of git's order");

	/* a NUL inside a path: the length in the header says more */
	make_v2(&b, good, 3, 0100644);
	b.ptr[12 + 64 + 62 + 1] = '\0'; /* "b/c" -> "b\0c" */
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_ERR_PARSE);
	CHECK(strstr(err.message, "its header says 3") != NULL);

	/* every shorter file: an error, or (a cut in the checksum or
	 * extensions) the same paths */
	make_v2(&b, good, 3, 0100644);
	for (cut = 0; cut < b.len; cut++) {
		pa_status st = Pa_gitindex_parse((const unsigned char *)b.ptr, cut, 20, 1000,
		                                 "i", &ix, &err);

		CHECK(st != PA_OK || (ix->n == 3 && !strcmp(ix->paths[2], "b/d")));
		if (st == PA_OK)
			Pa_gitindex_free(ix);
		else
			CHECK(err.offset >= 0 && (size_t)err.offset <= cut);
	}

	/* a bad signature, a count that cannot fit, a count over the limit */
	make_v2(&b, good, 3, 0100644);
	b.ptr[0] = 'X';
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_ERR_PARSE);
	CHECK(strstr(err.message, "DIRC") != NULL);
	CHECK_EQ_INT(err.offset, 0);
	make_v2(&b, good, 3, 0100644);
	b.ptr[8] = 0x7f;
	CHECK_EQ_INT(Pa_gitindex_parse((const unsigned char *)b.ptr, b.len, 20, (size_t)-1,
	                               "i", &ix, &err), PA_ERR_PARSE);
	CHECK_EQ_INT(err.offset, 8);
	make_v2(&b, good, 3, 0100644);
	CHECK_EQ_INT(Pa_gitindex_parse((const unsigned char *)b.ptr, b.len, 20, 2, "i", &ix,
	                               &err), PA_ERR_TOO_LARGE);
	CHECK(strstr(err.message, "PA_WALK_MAX_ENTRIES") != NULL);

	/* an unknown mode; a version not read; extended flags in version 2 */
	make_v2(&b, good, 3, 0010644);
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_ERR_PARSE);
	CHECK(strstr(err.message, "unknown mode") != NULL);
	make_v2(&b, good, 3, 0100644);
	b.ptr[7] = 9;
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_ERR_NOT_FOUND);
	CHECK(strstr(err.message, "version 9") != NULL);
	make_v2(&b, good, 3, 0100644);
	b.ptr[12 + 60] |= 0x40;
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_ERR_PARSE);
	CHECK(strstr(err.message, "extended flags") != NULL);

	/* extensions: an optional one skipped, a required unknown one, one
	 * cut short */
	make_v2(&b, good, 3, 0100644);
	b.len -= 20;
	pa_buf_put(&b, "TREE", 4);
	put32(&b, 3);
	pa_buf_put(&b, "xyz", 3);
	pa_buf_put(&b, "01234567890123456789", 20);
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_OK);
	Pa_gitindex_free(ix);
	b.ptr[b.len - 20 - 11] = 't'; /* "tREE" */
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_ERR_NOT_FOUND);
	CHECK(strstr(err.message, "7452") != NULL);
	b.ptr[b.len - 20 - 11] = 'T';
	b.ptr[b.len - 20 - 4] = 9; /* its size past the end */
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_ERR_PARSE);

	/* version 4: a prefix to drop longer than the path before */
	pa_buf_reset(&b);
	pa_buf_put(&b, "DIRC", 4);
	put32(&b, 4);
	put32(&b, 1);
	for (cut = 0; cut < 40 + 20; cut++)
		pa_buf_putc(&b, cut == 26 ? (char)0x81 : cut == 27 ? (char)0xa4 : 0);
	pa_buf_putc(&b, 0);
	pa_buf_putc(&b, 1);
	pa_buf_putc(&b, 5); /* drop 5 bytes of nothing */
	pa_buf_put(&b, "a", 2);
	pa_buf_put(&b, "01234567890123456789", 20);
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_ERR_PARSE);
	CHECK(strstr(err.message, "prefix") != NULL);
	b.ptr[12 + 62] = 0; /* drop none */
	CHECK_EQ_INT(parse(&b, &ix, &err), PA_OK);
	CHECK_EQ_STR(ix->paths[0], "a");
	Pa_gitindex_free(ix);
	pa_buf_release(&b);
}

/* Version 4's paths, each keeping all but the last two bytes of the one
 * before: 1,500 entries of a 3 KB path in a file of 100 KB, refused at
 * PA_GITINDEX_PATH_FACTOR times the file's size, not expanded to 4.5 MB;
 * the same paths in a few entries are read. */
static void make_v4_deep(pa_buf *b, size_t n)
{
	size_t i, k;

	pa_buf_reset(b);
	pa_buf_put(b, "DIRC", 4);
	put32(b, 4);
	put32(b, (uint32_t)n);
	for (i = 0; i < n; i++) {
		for (k = 0; k < 40 + 20; k++)
			pa_buf_putc(b, k == 26 ? (char)0x81 : k == 27 ? (char)0xa4 : 0);
		pa_buf_putc(b, (char)(3004 >> 8)); /* flags: the name's length */
		pa_buf_putc(b, (char)(3004 & 0xff));
		if (i == 0) {
			pa_buf_putc(b, 0); /* drop nothing */
			pa_buf_puts(b, "d/");
			for (k = 0; k < 3000; k++)
				pa_buf_putc(b, 'x');
		} else {
			pa_buf_putc(b, 2); /* drop the last two */
		}
		pa_buf_putc(b, (char)('A' + i / 26 % 26));
		pa_buf_putc(b, (char)('a' + i % 26));
		pa_buf_putc(b, '\0');
	}
	for (k = 0; k < 20; k++)
		pa_buf_putc(b, 0);
}

static void test_v4_expansion(void)
{
	pa_buf b = PA_BUF_INIT;
	Pa_gitindex *ix = NULL;
	pa_error err;

	make_v4_deep(&b, 1500);
	CHECK(b.len < 110000);
	CHECK_EQ_INT(Pa_gitindex_parse((const unsigned char *)b.ptr, b.len, 20, 100000,
	                               ".git/index", &ix, &err), PA_ERR_TOO_LARGE);
	CHECK(ix == NULL);
	CHECK_EQ_STR(err.file, ".git/index");
	CHECK(strstr(err.message, "PA_GITINDEX_PATH_FACTOR") != NULL);
	make_v4_deep(&b, 20);
	CHECK_EQ_INT(Pa_gitindex_parse((const unsigned char *)b.ptr, b.len, 20, 100000,
	                               ".git/index", &ix, &err), PA_OK);
	if (ix) {
		CHECK_EQ_INT(ix->n, 20);
		CHECK_EQ_INT(strlen(ix->paths[19]), 3004);
	}
	Pa_gitindex_free(ix);
	pa_buf_release(&b);
}

/* A 400 MB file of zeros (sparse: no disk) called .git/index is refused
 * on its header, in a child whose peak memory grows by less than 100 MB
 * (the whole file read first took 400). */
static void test_header_first(void)
{
	char repo[256], path[300];
	pid_t pid;
	int fd, status = -1;

	snprintf(repo, sizeof(repo), "%s/zeros", tmp);
	CHECK_EQ_INT(sh("mkdir -p '%s/.git'", repo), 0);
	snprintf(path, sizeof(path), "%s/.git/index", repo);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && ftruncate(fd, (off_t)400 << 20) == 0);
	if (fd >= 0)
		close(fd);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		Pa_gitindex *ix = NULL;
		pa_error err;
		struct rusage before, after;
		pa_status st;

		/* what the load adds to the peak (valgrind's own is not) */
		getrusage(RUSAGE_SELF, &before);
		st = load(repo, &ix, &err);
		getrusage(RUSAGE_SELF, &after);
		if (st != PA_ERR_PARSE || !strstr(err.message, "DIRC"))
			_exit(2);
		_exit(after.ru_maxrss - before.ru_maxrss < 100 * 1024 ? 0 : 3);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ_INT(WEXITSTATUS(status), 0);
	unlink(path);
}

/* A .git that is a link is not followed, wherever it leads. */
static void test_link(void)
{
	char repo[256];

	snprintf(repo, sizeof(repo), "%s/l", tmp);
	CHECK_EQ_INT(sh("mkdir -p '%s/elsewhere' && ln -s elsewhere '%s/.git'", repo), 0);
	falls_back(repo, ".git is a link");
}

int main(void)
{
	if (!mkdtemp(tmp))
		return 1;
	RUN(test_hand_made);
	RUN(test_link);
	RUN(test_v4_expansion);
	RUN(test_header_first);
	if (system("git --version >/dev/null 2>&1") == 0) {
		RUN(test_written_by_git);
	} else {
		printf("SKIP test_gitindex: the indexes git writes (git not installed)\n");
		skipped++;
	}
	sh("rm -rf '%s'", tmp);
	if (!skipped)
		return pa_test_summary();
	printf("%d passed, %d failed, %d skipped\n", pa_test_passed, pa_test_failed, skipped);
	return pa_test_failed ? 1 : 0;
}
