/*
 * Temporary files and directories: mkstemp, mkostemp, mkstemps, mkostemps,
 * mkdtemp, mktemp. They replace newlib's (its mkdtemp is ENOSYS on this target:
 * newlib is built without HAVE_MKDIR), all of them, since newlib defines the
 * family in one object: a program that pulled that object in for one name would
 * get two definitions of the others. The trailing X's become random letters and
 * digits (libos_random), tried again with new ones while the name exists.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "libos.h"

#define TRIES 100

enum make { MAKE_FILE, MAKE_DIR, MAKE_NAME };

/* make_temp: replace the six or more X's that end path (before its last
 * suffixlen bytes) with random characters and make what kind says: a file
 * (O_CREAT | O_EXCL | O_RDWR | flags, mode 0600), a directory (0700) or only a
 * name no file has. Returns the descriptor (a file), 0, or -1 with EINVAL (no six
 * X's), EEXIST (TRIES names all taken) or open's, mkdir's or stat's errors. */
static int make_temp(char *path, size_t suffixlen, int flags, enum make kind)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t len = strlen(path), x = 0;
	if (len < suffixlen || (flags & ~(O_APPEND | O_CLOEXEC | O_SYNC))) {
		errno = EINVAL;
		return -1;
	}
	char *end = path + len - suffixlen;
	while (x < (size_t)(end - path) && end[-1 - (long)x] == 'X')
		x++;
	if (x < 6) {
		errno = EINVAL;
		return -1;
	}
	for (int t = 0; t < TRIES; t++) {
		unsigned char rnd[64];
		libos_random(rnd, x < sizeof rnd ? x : sizeof rnd);
		for (size_t i = 0; i < x; i++)
			end[-1 - (long)i] = chars[rnd[i % sizeof rnd] % (sizeof chars - 1)];
		struct stat st;
		int r = kind == MAKE_FILE ? open(path, O_CREAT | O_EXCL | O_RDWR | flags, 0600)
			: kind == MAKE_DIR ? mkdir(path, 0700) : stat(path, &st) == 0 ? (errno = EEXIST, -1) : 0;
		if (r >= 0)
			return r;
		if (kind == MAKE_NAME && errno == ENOENT)
			return 0;
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* mkstemp, mkostemp (with open flags O_APPEND, O_CLOEXEC, O_SYNC), mkstemps,
 * mkostemps (the X's end suffixlen bytes before the end): a new file from the
 * template, opened for reading and writing. Return its descriptor, or -1 as
 * make_temp says (EINVAL also for another flag). */
int mkstemp(char *path) { return make_temp(path, 0, 0, MAKE_FILE); }
int mkostemp(char *path, int flags) { return make_temp(path, 0, flags, MAKE_FILE); }
int mkstemps(char *path, int suffixlen) { return suffixlen < 0 ? (errno = EINVAL, -1) : make_temp(path, (size_t)suffixlen, 0, MAKE_FILE); }
int mkostemps(char *path, int suffixlen, int flags)
{
	return suffixlen < 0 ? (errno = EINVAL, -1) : make_temp(path, (size_t)suffixlen, flags, MAKE_FILE);
}

/* mkdtemp: a new directory (mode 0700) from the template. Returns path, or NULL
 * with errno as make_temp says. */
char *mkdtemp(char *path)
{
	return make_temp(path, 0, 0, MAKE_DIR) < 0 ? NULL : path;
}

/* mktemp: a name from the template that no file has now (someone may take it
 * before the caller does: use mkstemp). Returns path, or NULL with errno. */
char *mktemp(char *path)
{
	return make_temp(path, 0, 0, MAKE_NAME) < 0 ? NULL : path;
}
