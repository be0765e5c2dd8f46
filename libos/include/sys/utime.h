/* <sys/utime.h> (through <utime.h>): newlib's has struct utimbuf but no utime
 * declaration for this target; utime is the libOS's (libos/attr.c). */
#ifndef LIBOS_SYS_UTIME_H
#define LIBOS_SYS_UTIME_H
#include_next <sys/utime.h>

int utime(const char *__path, const struct utimbuf *__times);
#endif
