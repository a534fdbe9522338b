/* error.c - status descriptions and the error detail struct. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pa_strerror(pa_status status)
{
	switch (status) {
	case PA_OK: return "success";
	case PA_ERR_NOMEM: return "out of memory";
	case PA_ERR_IO: return "input/output error";
	case PA_ERR_UTF8: return "invalid UTF-8";
	case PA_ERR_PARSE: return "parse error";
	case PA_ERR_NOT_FOUND: return "not found";
	case PA_ERR_INVALID: return "invalid argument";
	case PA_ERR_CHECKSUM: return "checksum mismatch";
	case PA_ERR_OVER_BUDGET: return "over budget";
	case PA_ERR_TOO_LARGE: return "over the size limit";
	case PA_ERR_DATA: return "missing installed data";
	}
	return "unknown status";
}

void Pa_error_clear(pa_error *err)
{
	if (!err)
		return;
	err->status = PA_OK;
	err->message[0] = '\0';
	err->file[0] = '\0';
	err->line = 0;
	err->column = 0;
	err->offset = -1;
}

pa_status Pa_error_set(pa_error *err, pa_status status, const char *file,
                       long line, long column, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return status;
	Pa_error_clear(err);
	err->status = status;
	if (file)
		snprintf(err->file, sizeof(err->file), "%s", file);
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return status;
}

void pa_free(void *ptr)
{
	free(ptr);
}
