/* util.h: helpers the utilities in apps/ share (apps/lib/util.c, linked into every
 * program as build/applib.a). */
#ifndef APPS_UTIL_H
#define APPS_UTIL_H
#include <stdio.h>
#include <sys/types.h>

/* The program's name for messages ("sort"): set by util_init. */
extern const char *util_prog;

/* Remember argv[0]'s last component as util_prog. */
void util_init(const char *argv0);

/* Print "PROG: WHAT: strerror(errno)" on stderr. Returns nothing; errno is kept. */
void util_perror(const char *what);

/* Open PATH for reading, "-" meaning standard input. Returns the stream, or NULL
 * with errno set (fopen's errors) after printing "PROG: PATH: error". */
FILE *util_open(const char *path);

/* Close a stream util_open returned (standard input is only cleared of end of
 * file, for a later "-"). Returns 0, or -1 when a read error happened on it or
 * fclose failed, after printing "PROG: PATH: error". */
int util_close(FILE *f, const char *path);

/* Apply a chmod mode operand to OLD: octal ("755") or symbolic (POSIX chmod:
 * "u+x,go-w", "a=rX", "+t", who in [ugoa], op in [+-=], perms in [rwxXst] or one
 * of [ugo]). ISDIR decides X; UMASK is applied when no who is given (as POSIX
 * says for "+w"). Returns the new mode bits (07777), or -1 when SPEC is not a
 * valid mode. */
long util_mode(const char *spec, mode_t old, int isdir, mode_t umask);

#endif
