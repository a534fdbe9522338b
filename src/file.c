/* file.c - reading whole files and writing them atomically. */
#define _POSIX_C_SOURCE 200809L
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

pa_status pa_file_read(const char *path, pa_buf *out, pa_error *err)
{
	int fd;
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	struct stat st;

	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pa_error_set(err, errno == ENOENT ? PA_ERR_NOT_FOUND : PA_ERR_IO,
		                    name, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			if (!is_stdin)
				close(fd);
			return pa_error_set(err, PA_ERR_IO, name, 0, 0,
			                    "cannot read: is a directory");
		}
		if (S_ISREG(st.st_mode) && st.st_size > 0)
			pa_buf_grow(out, (size_t)st.st_size);
	}
	for (;;) {
		ssize_t n;

		pa_buf_grow(out, 65536);
		n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			if (!is_stdin)
				close(fd);
			return pa_error_set(err, PA_ERR_IO, name, 0, 0,
			                    "cannot read: %s", strerror(e));
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
	}
	if (!is_stdin)
		close(fd);
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
	int fd, e;
	struct stat st;

	pa_buf_printf(&tmp, "%s.tmpXXXXXX", path);
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		e = errno;
		pa_buf_release(&tmp);
		return pa_error_set(err, PA_ERR_IO, path, 0, 0,
		                    "cannot create temporary file: %s", strerror(e));
	}
	/* Keep the permissions of a file we replace; a new one gets 0666
	 * less the umask, as if the shell had created it. */
	if (stat(path, &st) == 0) {
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
		pa_buf_release(&tmp);
		return pa_error_set(err, PA_ERR_IO, path, 0, 0, "cannot write: %s",
		                    strerror(e));
	}
	if (close(fd) < 0 || rename(tmp.ptr, path) < 0) {
		e = errno;
		unlink(tmp.ptr);
		pa_buf_release(&tmp);
		return pa_error_set(err, PA_ERR_IO, path, 0, 0, "cannot write: %s",
		                    strerror(e));
	}
	pa_buf_release(&tmp);
	return PA_OK;
}
