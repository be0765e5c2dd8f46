/* <sys/random.h>, which newlib lacks: getrandom (as on Linux) and getentropy.
 * Both are libos/misc.c, filled by libos_random (libos/random.c). */
#ifndef LIBOS_SYS_RANDOM_H
#define LIBOS_SYS_RANDOM_H
#include <sys/types.h>

#define GRND_NONBLOCK 0x01
#define GRND_RANDOM   0x02
#define GRND_INSECURE 0x04

ssize_t getrandom(void *buf, size_t n, unsigned flags);
int getentropy(void *buf, size_t n);

#endif
