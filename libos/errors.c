/* Kernel error codes to errno and text: the one place the two are translated. */
#include <errno.h>
#include "libos.h"

static const char *const texts[E_MAXERROR] = {
#define LIBOS_ERR(num, name, txt) [num] = txt,
	EXO_ERRORS(LIBOS_ERR)
#undef LIBOS_ERR
};

int exo_errno(long kerr)
{
	switch (-kerr) {
	case E_INVAL: return EINVAL;
	case E_NOMEM: return ENOMEM;
	case E_QUOTA: return ENOMEM;
	case E_PERM: return EPERM;
	case E_BADENV: return ESRCH;
	case E_FAULT: return EFAULT;
	case E_NOSYS: return ENOSYS;
	case E_AGAIN: return EAGAIN;
	case E_NORECV: return EAGAIN;
	case E_NOENV: return EAGAIN;
	case E_EXIST: return EEXIST;
	case E_NOENT: return ENOENT;
	case E_INTR: return EINTR;
	case E_TIMEDOUT: return ETIMEDOUT;
	default: return EIO;
	}
}

const char *exo_strerror(long kerr)
{
	long n = kerr < 0 ? -kerr : kerr;
	if (n <= 0 || n >= E_MAXERROR || !texts[n])
		return "unknown error";
	return texts[n];
}

int libos_fail(long kerr)
{
	errno = exo_errno(kerr);
	return -1;
}
