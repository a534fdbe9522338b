/*
 * pathname.c - paths as strings (pathname.h): joined, normalized, cut;
 * nothing here looks at the file system.
 */
#include "base.h"

#include <stdlib.h>
#include <string.h>

char *Pa_path_join(const char *dir, const char *name)
{
	pa_buf b = PA_BUF_INIT;
	size_t n = strlen(dir);

	pa_buf_puts(&b, dir);
	if (n == 0 || dir[n - 1] != '/')
		pa_buf_putc(&b, '/');
	while (*name == '/')
		name++;
	pa_buf_puts(&b, name);
	return pa_buf_detach(&b, NULL);
}

char *Pa_path_normalize(const char *cwd, const char *path)
{
	pa_buf b = PA_BUF_INIT;
	const char *p;

	if (path[0] != '/')
		pa_buf_puts(&b, cwd);
	pa_buf_putc(&b, '/');
	pa_buf_puts(&b, path);
	/* Rebuild segment by segment into out. */
	{
		pa_buf out = PA_BUF_INIT;
		p = b.ptr;
		while (*p) {
			const char *seg;
			size_t n;

			while (*p == '/')
				p++;
			seg = p;
			while (*p && *p != '/')
				p++;
			n = (size_t)(p - seg);
			if (n == 0 || (n == 1 && seg[0] == '.'))
				continue;
			if (n == 2 && seg[0] == '.' && seg[1] == '.') {
				char *slash = strrchr(out.ptr, '/');
				if (slash)
					pa_buf_truncate(&out, (size_t)(slash - out.ptr));
				continue;
			}
			pa_buf_putc(&out, '/');
			pa_buf_put(&out, seg, n);
		}
		if (out.len == 0)
			pa_buf_putc(&out, '/');
		pa_buf_release(&b);
		return pa_buf_detach(&out, NULL);
	}
}

char *Pa_path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return Pa_xstrdup(".");
	if (slash == path)
		return Pa_xstrdup("/");
	return Pa_xstrndup(path, (size_t)(slash - path));
}

int Pa_path_is_top(const char *path)
{
	return path[strspn(path, "/")] == '\0' || !strchr(path, '/');
}

const char *Pa_path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return path[0] == '/' ? path + 1 : NULL;
	if (strncmp(path, dir, n) != 0)
		return NULL;
	if (path[n] == '\0')
		return path + n;
	if (path[n] == '/')
		return path + n + 1;
	return NULL;
}

void Pa_strings_free(char **s, size_t n)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < n; i++)
		free(s[i]);
	free(s);
}
