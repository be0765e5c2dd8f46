/*
 * The user and group files (/etc/passwd, /etc/group): colon-separated lines, read
 * by passwd.c and group.c.
 */
#ifndef LIBOS_USERDB_H
#define LIBOS_USERDB_H
#include <stddef.h>
#include <stdio.h>

/* userdb_next: the next line of f, read into buf (size bytes) and split in place
 * at ':' into exactly n fields (field[0..n-1]: strings in buf; the newline gone).
 * Lines with another number of fields are skipped. Returns the bytes of buf used
 * (at least 1), 0 at the end of the file, or -ERANGE (a line longer than buf:
 * it is skipped, so the next call reads the line after it). */
long userdb_next(FILE *f, char *buf, size_t size, char **field, int n);

/* userdb_id: the id in s (decimal digits only) into *id. Returns 0 or -1 (not a
 * number that fits). */
int userdb_id(const char *s, unsigned *id);

#endif
