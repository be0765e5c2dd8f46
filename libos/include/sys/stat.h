/* <sys/stat.h>: newlib's, plus what POSIX has and newlib's x86_64-elf version
 * leaves undeclared although the libOS defines it. */
#ifndef LIBOS_SYS_STAT_H
#define LIBOS_SYS_STAT_H
#include_next <sys/stat.h>

int lstat(const char *__restrict __path, struct stat *__restrict __buf); /* libos/file.c */
#endif
