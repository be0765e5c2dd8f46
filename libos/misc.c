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
