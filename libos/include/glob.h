/* <glob.h>: newlib's, plus the POSIX flag and errors it lacks (libos/glob.c). */
#ifndef LIBOS_GLOB_H
#define LIBOS_GLOB_H
#include_next <glob.h>

#define GLOB_NOESCAPE 0x2000       /* a backslash is an ordinary character */
#define GLOB_ABORTED GLOB_ABEND    /* a directory could not be read */
#define GLOB_NOMATCH (-3)          /* nothing matched, and no GLOB_NOCHECK */
#endif
