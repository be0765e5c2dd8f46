/* The remaining OS calls newlib references, each implemented or failing with a
 * documented errno (docs/abi.md). */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include "libos.h"

/* getentropy: the machine has no entropy source we trust: ENOSYS. */
int getentropy(void *buf, size_t n)
{
	(void)buf, (void)n;
	errno = ENOSYS;
	return -1;
}

/* sigprocmask: signals between processes cannot be caught (see kill), so there is
 * nothing to block: the mask is kept and reported, and has no effect. */
static sigset_t mask;
int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	if (old)
		*old = mask;
	if (!set)
		return 0;
	if (how == SIG_BLOCK)
		mask |= *set;
	else if (how == SIG_UNBLOCK)
		mask &= ~*set;
	else if (how == SIG_SETMASK)
		mask = *set;
	else {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int posix_memalign(void **out, size_t align, size_t size)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
