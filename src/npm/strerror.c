/*
 * strerror.c - the npm package's strerror(): where emscripten's C library
 * (musl) words an error otherwise than the native program's (glibc's, as
 * macOS's and the BSDs' word these too), glibc's words, so that a message
 * of the package is the native program's byte for byte ("a: cannot open:
 * Too many levels of symbolic links", not "Symbolic link loop").  But for
 * EILSEQ, which only the package's file layer gives, for a path that is
 * not UTF-8 (src/npm/files.js): musl's "Illegal byte sequence", macOS's
 * too, says it.  The Makefile (target npm) links it with --wrap=strerror,
 * which sends every call here.
 */
#include <errno.h>
#include <string.h>

char *__real_strerror(int err);

char *__wrap_strerror(int err)
{
	switch (err) {
	case EIO: return (char *)"Input/output error";
	case ENOMEM: return (char *)"Cannot allocate memory";
	case EBUSY: return (char *)"Device or resource busy";
	case EXDEV: return (char *)"Invalid cross-device link";
	case EMFILE: return (char *)"Too many open files";
	case ENOTTY: return (char *)"Inappropriate ioctl for device";
	case ESPIPE: return (char *)"Illegal seek";
	case ERANGE: return (char *)"Numerical result out of range";
	case ENAMETOOLONG: return (char *)"File name too long";
	case ELOOP: return (char *)"Too many levels of symbolic links";
	case EOVERFLOW: return (char *)"Value too large for defined data type";
	case EDQUOT: return (char *)"Disk quota exceeded";
	case ETIMEDOUT: return (char *)"Connection timed out";
	case ENOTSUP: return (char *)"Operation not supported";
	case EDEADLK: return (char *)"Resource deadlock avoided";
	case ECHILD: return (char *)"No child processes";
	case ENOTSOCK: return (char *)"Socket operation on non-socket";
	}
	return __real_strerror(err);
}
