/* Symbolic links, owners and times of /tmp files (server side): SRV_SYMLINK
 * makes a link; SRV_SETATTR sets a file's owner (chown) or its access and
 * modification times (utimes), by path or by descriptor. Every process is root,
 * so any owner may be given. The inode change time follows every change. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "fs.h"
#include "proc.h"
#include "srv.h"

/* SRV_SYMLINK: target (a string shorter than PATH_MAX_LEN, any text) in data,
 * the link's resolved path at SRV_PATH2. */
static long do_symlink(const struct srv_req *rq)
{
	const char *target = rq->data, *abs = rq->data + SRV_PATH2;
	size_t tl = strnlen(target, SRV_PATH2);
	if (!path_normal(abs) || tl == 0)
		return -EINVAL;
	if (tl >= PATH_MAX_LEN)
		return -ENAMETOOLONG;
	int err = path_check_dirs(abs, false);
	if (err)
		return -err;
	if (!path_in_tmp(abs)) {
		struct stat st;
		return stat_abs(abs, &st) == 0 ? -EEXIST : -EROFS;
	}
	int r = tmp_symlink(abs, target);
	return r < 0 ? r : 0;
}

/* attr_inode: the /tmp inode a SETATTR names (a0: fd, or -1 for the path in
 * data), or -errno: EBADF, ENOENT, ENOTDIR, EINVAL (a pipe), EROFS (the
 * initrd, a device), EPERM (/tmp itself, which has no inode to change). */
static int attr_inode(const struct srv_req *rq)
{
	if (rq->a[0] >= 0) {
		struct ofile *f = fd_file((int)rq->a[0]);
		if (!f)
			return -EBADF;
		if (f->type == F_TMP || (f->type == F_DIR && path_in_tmp(f->path)))
			return f->idx >= 0 ? f->idx : -EPERM;
		return f->type == F_PIPE_R || f->type == F_PIPE_W ? -EINVAL : -EROFS;
	}
	if (!path_normal(rq->data))
		return -EINVAL;
	int err = path_check_dirs(rq->data, false);
	if (err)
		return -err;
	struct stat st;
	if (!path_in_tmp(rq->data))
		return stat_abs(rq->data, &st) == 0 ? -EROFS : -ENOENT;
	if (strcmp(rq->data, "/tmp") == 0)
		return -EPERM;
	int ino = tmp_lookup(rq->data);
	return ino >= 0 ? ino : -ENOENT;
}

static long do_setattr(const struct srv_req *rq)
{
	struct srv_attr at;
	memcpy(&at, rq->data + SRV_PATH2, sizeof at);
	int ino = attr_inode(rq);
	if (ino < 0)
		return ino;
	struct inode *ip = &FS->inode[ino];
	if (rq->a[1] == SRV_ATTR_OWNER) {
		if (at.uid < -1 || at.uid > UINT32_MAX - 1 || at.gid < -1 || at.gid > UINT32_MAX - 1)
			return -EINVAL;
		if (at.uid != -1)
			ip->uid = (uint32_t)at.uid;
		if (at.gid != -1)
			ip->gid = (uint32_t)at.gid;
	} else if (rq->a[1] == SRV_ATTR_TIMES) {
		for (int i = 0; i < 2; i++)
			if (at.t[i].nsec != UTIME_OMIT && (at.t[i].nsec < 0 || at.t[i].nsec >= 1000000000))
				return -EINVAL;
		if (at.t[0].nsec == UTIME_OMIT && at.t[1].nsec == UTIME_OMIT)
			return 0; /* nothing changes, not even the change time */
		if (at.t[0].nsec != UTIME_OMIT)
			ip->atime = (struct timespec){ .tv_sec = at.t[0].sec, .tv_nsec = at.t[0].nsec };
		if (at.t[1].nsec != UTIME_OMIT)
			ip->mtime = (struct timespec){ .tv_sec = at.t[1].sec, .tv_nsec = at.t[1].nsec };
	} else {
		return -EINVAL;
	}
	tmp_touch(ip, TMP_CTIME);
	return 0;
}

long srv_attr_request(const struct srv_req *rq)
{
	return rq->op == SRV_SYMLINK ? do_symlink(rq) : do_setattr(rq);
}
