/* <ftw.h>: file tree walks (libos/ftw.c). */
#ifndef LIBOS_FTW_H
#define LIBOS_FTW_H
#include <sys/stat.h>

struct FTW {
	int base;  /* offset of the file's name in its path */
	int level; /* depth below the starting directory */
};

/* what the walk hands fn */
#define FTW_F 0    /* a file */
#define FTW_D 1    /* a directory (before its contents; after with FTW_DEPTH: FTW_DP) */
#define FTW_DNR 2  /* a directory that cannot be read */
#define FTW_DP 3   /* a directory, after its contents (FTW_DEPTH) */
#define FTW_NS 4   /* stat failed */
#define FTW_SL 5   /* a symbolic link (FTW_PHYS) */
#define FTW_SLN 6  /* a symbolic link to nothing */

/* nftw's flags */
#define FTW_PHYS 0x1   /* do not follow symbolic links */
#define FTW_MOUNT 0x2  /* stay on one file system (there is one below each root) */
#define FTW_DEPTH 0x4  /* a directory after its contents */
#define FTW_CHDIR 0x8  /* chdir into each directory before its contents */

int ftw(const char *path, int (*fn)(const char *, const struct stat *, int), int fds);
int nftw(const char *path, int (*fn)(const char *, const struct stat *, int, struct FTW *), int fds, int flags);
#endif
