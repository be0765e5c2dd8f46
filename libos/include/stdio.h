/* <stdio.h>: newlib's, plus what POSIX has and newlib's x86_64-elf version
 * leaves undeclared although the libOS defines it. */
#ifndef LIBOS_STDIO_H
#define LIBOS_STDIO_H
#include_next <stdio.h>

ssize_t getdelim(char **__restrict __line, size_t *__restrict __cap, int __delim,
		 FILE *__restrict __f); /* libos/getline.c */
ssize_t getline(char **__restrict __line, size_t *__restrict __cap, FILE *__restrict __f);
#endif
