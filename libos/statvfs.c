/*
 * statvfs, fstatvfs: the figures of the file system a path or descriptor is on,
 * read from our view and the kernel's exports (no request). /tmp, pipes and the
 * devices live in memory: free blocks are the free frames /tmp may still take
 * (all but FS_RESERVE), inodes the free /tmp inodes. / is the read-only initrd.
 */
#include <errno.h>
#include <string.h>
#include <sys/statvfs.h>
#include "fs.h"
#include "initrd.h"

static int fail(int err)
{
	errno = err;
	return -1;
}

/* count_entry: one more initrd entry and its blocks, into the totals at arg. */
static int count_entry(const struct initrd_entry *e, void *arg)
{
	struct statvfs *s = arg;
	s->f_files++;
	s->f_blocks += (e->size + PAGE_SIZE - 1) / PAGE_SIZE;
	return 0;
}

/* fill: *s for the initrd (tmp false) or /tmp. */
static void fill(struct statvfs *s, bool tmp)
{
	memset(s, 0, sizeof *s);
	s->f_bsize = s->f_frsize = PAGE_SIZE;
	s->f_namemax = PATH_MAX_LEN - 1;
	s->f_flag = ST_NOSUID;
	if (!tmp) {
		s->f_flag |= ST_RDONLY;
		initrd_each(count_entry, s);
		return;
	}
	uint64_t frames = exo_info->free_frames, room = FS_BLOCKS - FS->blocks;
	uint64_t free = frames > FS_RESERVE ? frames - FS_RESERVE : 0;
	s->f_bfree = s->f_bavail = free < room ? free : room;
	s->f_blocks = FS->blocks + s->f_bfree;
	s->f_files = NINODE;
	for (int i = 0; i < NINODE; i++)
		s->f_ffree += !FS->inode[i].used;
	s->f_favail = s->f_ffree;
	s->f_fsid = 1;
}

/* statvfs: the figures of the file system path is on. Returns 0, or -1 with EFAULT
 * (path or buf), ENAMETOOLONG, ENOENT or ENOTDIR. */
int statvfs(const char *path, struct statvfs *buf)
{
	struct stat st;
	char abs[PATH_MAX_LEN];
	int err = libos_user_range(buf, sizeof *buf, true);
	if (err)
		return fail(err);
	if (path_resolve(path, abs, sizeof abs) < 0 || stat(abs, &st) < 0)
		return -1;
	fill(buf, path_in_tmp(abs) || S_ISCHR(st.st_mode));
	return 0;
}

/* fstatvfs: the figures of the file system fd is on (a pipe's: the memory's).
 * Returns 0, or -1 with EBADF or EFAULT (buf). */
int fstatvfs(int fd, struct statvfs *buf)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	int err = libos_user_range(buf, sizeof *buf, true);
	if (err)
		return fail(err);
	fill(buf, f->type != F_INITRD && (f->type != F_DIR || path_in_tmp(f->path)));
	return 0;
}
