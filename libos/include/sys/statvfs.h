/* <sys/statvfs.h>, which newlib lacks: statvfs and fstatvfs (libos/statvfs.c). */
#ifndef LIBOS_SYS_STATVFS_H
#define LIBOS_SYS_STATVFS_H
#include <sys/types.h>

struct statvfs {
	unsigned long f_bsize;    /* block size */
	unsigned long f_frsize;   /* fundamental block size (the same) */
	fsblkcnt_t f_blocks;      /* blocks in all, in f_frsize units */
	fsblkcnt_t f_bfree;       /* free blocks */
	fsblkcnt_t f_bavail;      /* free blocks for an unprivileged process (the same) */
	fsfilcnt_t f_files;       /* file serial numbers (inodes) in all */
	fsfilcnt_t f_ffree;       /* free ones */
	fsfilcnt_t f_favail;      /* free ones for an unprivileged process (the same) */
	unsigned long f_fsid;     /* file system id */
	unsigned long f_flag;     /* ST_RDONLY, ST_NOSUID */
	unsigned long f_namemax;  /* the longest file name */
};
#define ST_RDONLY 1
#define ST_NOSUID 2

int statvfs(const char *path, struct statvfs *buf);
int fstatvfs(int fd, struct statvfs *buf);

#endif
