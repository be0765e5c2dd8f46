/* <sys/stat.h>: newlib's, plus what POSIX has and newlib's x86_64-elf version
 * leaves undeclared although the libOS defines it. */
#ifndef LIBOS_SYS_STAT_H
#define LIBOS_SYS_STAT_H
#include_next <sys/stat.h>

int lstat(const char *__restrict __path, struct stat *__restrict __buf); /* libos/file.c */

/* Special tv_nsec values for futimens and utimensat (libos/attr.c, at.c);
 * newlib defines them for Cygwin only. */
#ifndef UTIME_NOW
#define UTIME_NOW  -2L
#define UTIME_OMIT -1L
#endif
#endif
