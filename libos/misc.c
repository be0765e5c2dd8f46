/* The remaining OS calls newlib references, each implemented or failing with a
 * documented errno (docs/abi.md). */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/random.h>
#include "libos.h"

/* getentropy: n random bytes into buf (libos_random; newlib's arc4random keys
 * itself from here). Returns 0, or -1 with EIO (n above 256, as POSIX says) or
 * EFAULT (buf is not n writable bytes). */
int getentropy(void *buf, size_t n)
{
	int err = n > 256 ? EIO : libos_user_range(buf, n, true);
	if (err) {
		errno = err;
		return -1;
	}
	libos_random(buf, n);
	return 0;
}

/* getrandom: n random bytes into buf; the generator never blocks, so flags
 * (GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE) change nothing. Returns n, or -1
 * with EINVAL (another flag) or EFAULT (buf is not n writable bytes). */
ssize_t getrandom(void *buf, size_t n, unsigned flags)
{
	int err = flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ? EINVAL
										  : libos_user_range(buf, n, true);
	if (err) {
		errno = err;
		return -1;
	}
	libos_random(buf, n);
	return (ssize_t)n;
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
