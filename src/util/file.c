/* file.c - reading files within a size limit, and writing them atomically.
 *
 * Every file read goes through pa_file_read_limited(): the files a prompt
 * is made of come from repositories that anyone may have written, and a
 * FIFO blocks open(2) forever, /dev/zero never ends, a sparse file claims
 * gigabytes.  So only regular files are read, and never past a limit. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
#ifndef O_NOCTTY
#define O_NOCTTY 0
#endif

/* What a file that is not a regular one is, for messages. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "not a regular file";
}

/* The reason a file of that mode is refused ("is a directory" is what the
 * messages about imports have always said). */
static pa_status refuse(pa_error *err, const char *name, mode_t mode)
{
	if (S_ISDIR(mode))
		return Pa_error_set(err, PA_ERR_IO, name, 0, 0, "is a directory");
	return Pa_error_set(err, PA_ERR_IO, name, 0, 0,
	                    "not a regular file (%s)", file_kind(mode));
}

/* A limit as people read it: "4 MiB", "16 KiB", else bytes. */
static void limit_text(size_t limit, char *out, size_t size)
{
	if (limit >= 1024 * 1024 && limit % (1024 * 1024) == 0)
		snprintf(out, size, "%zu MiB", limit / (1024 * 1024));
	else if (limit >= 1024 && limit % 1024 == 0)
		snprintf(out, size, "%zu KiB", limit / 1024);
	else
		snprintf(out, size, "%zu bytes", limit);
}

static pa_status too_large(pa_error *err, const char *name, long long size,
                           size_t limit)
{
	char lim[32];

	limit_text(limit, lim, sizeof(lim));
	if (size < 0)
		return Pa_error_set(err, PA_ERR_TOO_LARGE, name, 0, 0,
		                    "over the limit of %s", lim);
	return Pa_error_set(err, PA_ERR_TOO_LARGE, name, 0, 0,
	                    "%lld bytes is over the limit of %s", size, lim);
}

void Pa_file_id_of(const struct stat *st, Pa_file_id *id)
{
	id->dev = (unsigned long long)st->st_dev;
	id->ino = (unsigned long long)st->st_ino;
	id->size = (long long)st->st_size;
	id->mtime_sec = (long long)st->st_mtim.tv_sec;
	id->mtime_nsec = (long)st->st_mtim.tv_nsec;
}

int Pa_file_id_is(const Pa_file_id *id, const struct stat *st)
{
	Pa_file_id now;

	Pa_file_id_of(st, &now);
	return id->dev == now.dev && id->ino == now.ino && id->size == now.size &&
	       id->mtime_sec == now.mtime_sec && id->mtime_nsec == now.mtime_nsec;
}

/* Opens a regular file for reading without ever blocking, or refuses it.
 * The stat(2) before open(2) keeps us from opening devices at all (opening
 * some has effects); the fstat(2) after it is what decides, so a file
 * swapped between the two is still refused. */
pa_status Pa_file_open_regular(const char *path, unsigned flags, int *fd_out,
                              struct stat *st, pa_error *err)
{
	int nofollow = (flags & PA_FILE_NOFOLLOW) != 0;
	int fd, e;

	/* an empty name (count '') names no file an error could show */
	if (!*path)
		return Pa_error_set(err, PA_ERR_NOT_FOUND, "", 0, 0,
		                    "cannot open a file of an empty name");
	if ((nofollow ? lstat(path, st) : stat(path, st)) == 0 &&
	    !S_ISREG(st->st_mode))
		return refuse(err, path, st->st_mode);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY |
	                (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0) {
		e = errno;
		if (nofollow && e == ELOOP)
			return Pa_error_set(err, PA_ERR_IO, path, 0, 0,
			                    "a symbolic link (refused)");
		return Pa_error_set(err, e == ENOENT ? PA_ERR_NOT_FOUND : PA_ERR_IO,
		                    path, 0, 0, "cannot open: %s", strerror(e));
	}
	if (fstat(fd, st) != 0) {
		e = errno;
		close(fd);
		return Pa_error_set(err, PA_ERR_IO, path, 0, 0, "cannot read: %s",
		                    strerror(e));
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return refuse(err, path, st->st_mode);
	}
	/* A regular file never blocks; reads are plain from here on. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	*fd_out = fd;
	return PA_OK;
}

/* Appends at most limit + 1 bytes of fd to out: one more than allowed
 * tells that there was more.  Returns 0, or -1 with errno. */
static int read_upto(int fd, size_t limit, pa_buf *out, size_t *got)
{
	*got = 0;
	while (*got <= limit) {
		size_t room;
		ssize_t n;

		pa_buf_grow(out, 65536);
		room = out->cap - out->len - 1;
		if (room > limit + 1 - *got)
			room = limit + 1 - *got;
		n = read(fd, out->ptr + out->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
		*got += (size_t)n;
	}
	return 0;
}

pa_status pa_file_read_limited(const char *path, size_t limit, unsigned flags,
                               pa_buf *out, pa_error *err)
{
	int is_stdin = (flags & PA_FILE_STDIN) && strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	size_t start = out->len, got;
	struct stat st;
	int fd = STDIN_FILENO, e;
	pa_status status;

	if (!is_stdin) {
		status = Pa_file_open_regular(path, flags, &fd, &st, err);
		if (status != PA_OK)
			return status;
		if ((unsigned long long)st.st_size > limit) {
			close(fd);
			return too_large(err, name, (long long)st.st_size, limit);
		}
		pa_buf_grow(out, (size_t)st.st_size);
	}
	if (read_upto(fd, limit, out, &got) < 0) {
		e = errno;
		if (!is_stdin)
			close(fd);
		pa_buf_truncate(out, start);
		return Pa_error_set(err, PA_ERR_IO, name, 0, 0, "cannot read: %s",
		                    strerror(e));
	}
	if (!is_stdin)
		close(fd);
	if (got > limit) {
		/* Standard input, or a file that grew while we read it. */
		pa_buf_truncate(out, start);
		return too_large(err, name, -1, limit);
	}
	return PA_OK;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

pa_status pa_file_write_atomic(const char *path, const char *data, size_t len,
                               pa_error *err)
{
	pa_buf tmp = PA_BUF_INIT;
	int fd, e, exists;
	struct stat st;
	sigset_t block, saved;

	/* rename(2) replaces whatever the path names: as root, -o /dev/null
	 * would turn the device into a regular file. */
	if (!*path)
		return Pa_error_set(err, PA_ERR_IO, "", 0, 0,
		                    "cannot write a file of an empty name");
	exists = lstat(path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode))
		return Pa_error_set(err, PA_ERR_IO, path, 0, 0,
		                    "cannot write: not a regular file (%s); write "
		                    "to standard output instead", file_kind(st.st_mode));
	pa_buf_printf(&tmp, "%s.tmpXXXXXX", path);
	/* While the temporary file exists, the signals that end a process
	 * by default (an interrupt, a file-size limit) wait: it is removed
	 * on every failure, then they are delivered.  No memory is asked
	 * for in that time either. */
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGPIPE);
	sigaddset(&block, SIGXFSZ);
	pthread_sigmask(SIG_BLOCK, &block, &saved);
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		e = errno;
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		pa_buf_release(&tmp);
		return Pa_error_set(err, PA_ERR_IO, path, 0, 0,
		                    "cannot create temporary file: %s", strerror(e));
	}
	/* Keep the permissions of a file we replace; a new one gets 0666
	 * less the umask, as if the shell had created it. */
	if (exists) {
		fchmod(fd, st.st_mode & 07777);
	} else {
		mode_t mask = umask(0);
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp.ptr);
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		pa_buf_release(&tmp);
		return Pa_error_set(err, PA_ERR_IO, path, 0, 0, "cannot write: %s",
		                    strerror(e));
	}
	if (close(fd) < 0 || rename(tmp.ptr, path) < 0) {
		e = errno;
		unlink(tmp.ptr);
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
		pa_buf_release(&tmp);
		return Pa_error_set(err, PA_ERR_IO, path, 0, 0, "cannot write: %s",
		                    strerror(e));
	}
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	pa_buf_release(&tmp);
	return PA_OK;
}
