/*
 * The server's file requests (srv.h): open, close, read, write (at the file's
 * offset or a given one), seek, truncate, dup, fcntl, pipe, stat and the /tmp name
 * space, for the process in task.self. Paths come
 * resolved (absolute, normalised) by the client; the server checks them again
 * against its own tables. Results go into the caller's channel.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fs.h"
#include "initrd.h"
#include "proc.h"

/* Open a path that is not under /tmp: the read-only initrd. */
static int open_initrd(struct ofile *f, const char *abs, int flags)
{
	struct initrd_entry e;
	if (initrd_lookup(abs, &e) < 0)
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return e.is_dir ? -EISDIR : -EROFS;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	f->type = e.is_dir ? F_DIR : F_INITRD;
	f->data = e.data;
	f->size = e.size;
	return 0;
}

static int open_tmp(struct ofile *f, const char *abs, int flags, uint32_t mode)
{
	int ino = strcmp(abs, "/tmp") == 0 ? -2 : tmp_lookup(abs);
	bool existed = ino != -1;
	if (ino == -1) {
		if (!(flags & O_CREAT))
			return -ENOENT;
		if ((ino = tmp_create(abs, false, mode & ~task.self->umask)) < 0)
			return ino;
	} else if ((flags & O_CREAT) && (flags & O_EXCL)) {
		return -EEXIST;
	} else if (ino >= 0 && FS->inode[ino].is_link) {
		return -ELOOP; /* O_NOFOLLOW: the client follows links before it asks */
	}
	bool dir = ino == -2 || FS->inode[ino].is_dir;
	if (dir && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	f->type = dir ? F_DIR : F_TMP;
	f->idx = ino;
	if (!dir)
		FS->inode[ino].opens++;
	if (!dir && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY && existed) {
		tmp_truncate(&FS->inode[ino]);
		tmp_touch(&FS->inode[ino], TMP_MTIME | TMP_CTIME); /* even if it was empty (POSIX) */
	}
	return 0;
}

/* SRV_OPEN: path in data, a0 = flags, a1 = the path ended with '/'. */
static long do_open(const struct srv_req *rq)
{
	const char *abs = rq->data;
	int flags = (int)rq->a[0];
	int err = path_check_dirs(abs, rq->a[1] != 0);
	if (err)
		return -err;
	struct ofile *f = ofile_alloc();
	if (!f)
		return -ENFILE;
	int r;
	enum ftype dev = dev_lookup(abs);
	if (dev != F_NONE)
		f->type = dev, r = (flags & O_CREAT) && (flags & O_EXCL) ? -EEXIST : 0;
	else
		r = path_in_tmp(abs) ? open_tmp(f, abs, flags, (uint32_t)rq->a[2]) : open_initrd(f, abs, flags);
	if (r == 0 && (flags & O_DIRECTORY) && f->type != F_DIR)
		r = -ENOTDIR;
	if (r < 0) {
		if (f->type == F_TMP)
			ofile_release(f);
		else
			f->ref = 0, f->type = F_NONE;
		return r;
	}
	f->flags = (uint32_t)(flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
	strcpy(f->path, abs);
	int fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		ofile_release(f);
	return fd;
}

static long do_close(int fd)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	fd_close(task.self, fd);
	return 0;
}

/* SRV_READ: up to a1 bytes (at most SRV_DATA) of fd into the channel; an initrd
 * file's bytes are read by the client itself from r[0] = the offset. a2: an empty
 * pipe answers -EAGAIN instead of making the caller wait (the rest of a read). */
static long do_read(int fd, int64_t n, bool nowait, struct srv_chan *c)
{
	struct ofile *f = fd_file(fd);
	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (n < 0)
		return -EINVAL;
	size_t k = n > SRV_DATA ? SRV_DATA : (size_t)n;
	ssize_t r;
	switch (f->type) {
	case F_CONSOLE:
		return srv_tty_read((int)f->flags, c->data, k, nowait);
	case F_PIPE_R:
		return pipe_read(f, c->data, k, nowait);
	case F_TMP:
		r = tmp_read(&FS->inode[f->idx], f->off, c->data, k);
		f->off += (uint64_t)r;
		return r;
	case F_INITRD:
		c->r[0] = (int64_t)f->off;
		r = f->off >= f->size ? 0 : (ssize_t)((uint64_t)n < f->size - f->off ? (uint64_t)n : f->size - f->off);
		f->off += (uint64_t)r;
		return r;
	case F_DIR:
		return -EISDIR;
	default:
		return -EBADF;
	}
}

/* SRV_PREAD: up to a1 bytes (at most SRV_DATA) of /tmp file fd at offset a2 into the
 * channel; the file's offset stays. (An initrd file the client reads itself.) */
static long do_pread(int fd, int64_t n, int64_t off, struct srv_chan *c)
{
	struct ofile *f = fd_file(fd);
	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (n < 0 || off < 0)
		return -EINVAL;
	switch (f->type) {
	case F_TMP: return tmp_read(&FS->inode[f->idx], (uint64_t)off, c->data, n > SRV_DATA ? SRV_DATA : (size_t)n);
	case F_PIPE_R: return -ESPIPE;
	case F_DIR: return -EISDIR;
	default: return -EBADF;
	}
}

/* SRV_WRITE: a1 bytes in data to fd, part of a write of a2 bytes; a whole /tmp write
 * of up to SRV_DATA bytes is this one request (with O_APPEND: at the end, atomically).
 * SRV_PWRITE (at): a1 bytes in data to /tmp file fd at offset a2; the file's offset
 * stays, O_APPEND or not. */
static long do_write(const struct srv_req *rq, bool at)
{
	struct ofile *f = fd_file((int)rq->a[0]);
	if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (rq->a[1] <= 0 || rq->a[1] > SRV_DATA || (at ? rq->a[2] < 0 : rq->a[2] < rq->a[1]))
		return -EINVAL;
	size_t n = (size_t)rq->a[1];
	if (f->type == F_PIPE_W)
		return at ? -ESPIPE : pipe_write(f, rq->data, n, (size_t)rq->a[2]);
	if (f->type != F_TMP)
		return -EBADF;
	if (at)
		return tmp_write(&FS->inode[f->idx], (uint64_t)rq->a[2], rq->data, n);
	if (f->flags & O_APPEND)
		f->off = FS->inode[f->idx].size;
	ssize_t r = tmp_write(&FS->inode[f->idx], f->off, rq->data, n);
	if (r > 0)
		f->off += (uint64_t)r;
	return r;
}

/* SRV_TRUNCATE: /tmp file fd (open for writing) becomes len bytes long. */
static long do_truncate(int fd, int64_t len)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (len < 0 || f->type != F_TMP)
		return -EINVAL;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	return tmp_resize(&FS->inode[f->idx], (uint64_t)len);
}

static long do_lseek(int fd, int64_t off, int whence)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (f->type == F_CONSOLE || f->type == F_PIPE_R || f->type == F_PIPE_W)
		return -ESPIPE;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->off
		     : whence == SEEK_END ? (int64_t)(f->type == F_TMP ? FS->inode[f->idx].size : f->size) : -1;
	if (base < 0 || off < -base || off > INT64_MAX - base)
		return -EINVAL;
	f->off = (uint64_t)(base + off);
	return (long)f->off;
}

static long do_dup(int fd, int64_t min, bool cloexec)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (min < 0 || min >= NOFILE)
		return -EINVAL;
	int nfd = fd_install(f, (int)min, cloexec);
	if (nfd >= 0)
		f->ref++;
	return nfd;
}

static long do_dup2(int fd, int64_t fd2)
{
	struct ofile *f = fd_file(fd);
	if (!f || fd2 < 0 || fd2 >= NOFILE)
		return -EBADF;
	if (fd == fd2)
		return fd2;
	f->ref++;
	if (fd_file((int)fd2))
		fd_close(task.self, (int)fd2);
	task.self->fd[fd2] = task.self->fd[fd];
	task.self->cloexec &= ~(1ULL << fd2);
	return fd2;
}

static long do_setfd(int fd, bool cloexec)
{
	if (!fd_file(fd))
		return -EBADF;
	if (cloexec)
		task.self->cloexec |= 1ULL << fd;
	else
		task.self->cloexec &= ~(1ULL << fd);
	return 0;
}

static long do_setfl(int fd, int64_t flags)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	f->flags = (f->flags & O_ACCMODE) | ((uint32_t)flags & (O_APPEND | O_NONBLOCK));
	return 0;
}

static long do_pipe(struct srv_chan *c)
{
	struct ofile *r, *w;
	int err = pipe_create(&r, &w);
	if (err)
		return err;
	int fd0 = fd_install(r, 0, false), fd1 = fd0 < 0 ? fd0 : fd_install(w, 0, false);
	if (fd1 < 0) {
		if (fd0 >= 0)
			task.self->fd[fd0] = -1;
		ofile_release(r);
		ofile_release(w);
		return fd1;
	}
	c->r[0] = fd0, c->r[1] = fd1;
	return 0;
}

static long do_stat(const struct srv_req *rq, struct srv_chan *c)
{
	struct stat st;
	int err = path_check_dirs(rq->data, rq->a[0] != 0);
	if (err)
		return -err;
	int r = stat_abs(rq->data, &st);
	if (r == 0)
		memcpy(c->data, &st, sizeof st);
	return r;
}

static long do_mkdir(const char *abs, uint32_t mode)
{
	if (!path_in_tmp(abs))
		return -EROFS;
	int r = tmp_create(abs, true, mode & ~task.self->umask);
	return r < 0 ? r : 0;
}

/* chmod: set inode ino's permission bits (the /tmp root and the initrd: never). */
static long set_mode(int ino, int64_t mode)
{
	if (ino < 0)
		return ino == -2 ? -EPERM : -ENOENT;
	FS->inode[ino].mode = (uint32_t)mode & 07777;
	tmp_touch(&FS->inode[ino], TMP_CTIME);
	return 0;
}

static long do_chmod(const struct srv_req *rq)
{
	int err = path_check_dirs(rq->data, rq->a[1] != 0);
	if (err)
		return -err;
	struct stat st;
	if (!path_in_tmp(rq->data))
		return stat_abs(rq->data, &st) == 0 ? -EROFS : -ENOENT;
	return set_mode(strcmp(rq->data, "/tmp") == 0 ? -2 : tmp_lookup(rq->data), rq->a[0]);
}

static long do_fchmod(int fd, int64_t mode)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (f->type == F_TMP || (f->type == F_DIR && path_in_tmp(f->path)))
		return set_mode(f->idx, mode);
	return f->type == F_PIPE_R || f->type == F_PIPE_W ? -EINVAL : -EROFS;
}

static long do_umask(int64_t mask)
{
	long old = task.self->umask;
	task.self->umask = (uint32_t)mask & 0777;
	return old;
}

/* SRV_UNLINK: remove a /tmp name; a0 says a directory is expected (rmdir), a1
 * that the path ended with '/'. */
static long do_unlink(const char *abs, bool dir, bool trailing)
{
	int err = path_check_dirs(abs, trailing);
	if (err)
		return -err;
	if (!path_in_tmp(abs))
		return -EROFS;
	if (strcmp(abs, "/tmp") == 0)
		return dir ? -EBUSY : -EISDIR;
	int ino = tmp_lookup(abs), cursor = 0;
	char name[MAXNAMLEN + 1];
	if (ino < 0)
		return -ENOENT;
	if (dir && !FS->inode[ino].is_dir)
		return -ENOTDIR;
	if (!dir && FS->inode[ino].is_dir)
		return -EISDIR;
	if (dir && tmp_dir_has(abs, name, sizeof name, &cursor))
		return -ENOTEMPTY;
	tmp_drop(&FS->inode[ino]); /* open files keep the data until they close */
	return 0;
}

/* SRV_RENAME: move the /tmp name a (and what is below it) to b; a0: a ended
 * with '/'. */
static long do_rename(const char *a, const char *b, bool trailing)
{
	int err = path_check_dirs(a, trailing);
	if (err)
		return -err;
	if (!path_in_tmp(a) || !path_in_tmp(b))
		return -EROFS;
	size_t al = strlen(a);
	if (strcmp(a, "/tmp") == 0 || strcmp(b, "/tmp") == 0)
		return -EBUSY;
	if (strncmp(b, a, al) == 0 && b[al] == '/')
		return -EINVAL; /* into itself */
	char parent[PATH_MAX_LEN];
	size_t pl = (size_t)(strrchr(b, '/') - b);
	memcpy(parent, b, pl);
	parent[pl] = 0;
	struct stat st;
	if (stat_abs(parent, &st) < 0)
		return -ENOENT;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	int src = tmp_lookup(a), dst = tmp_lookup(b), cursor = 0;
	char name[MAXNAMLEN + 1];
	if (src < 0)
		return -ENOENT;
	if (dst >= 0 && FS->inode[dst].is_dir != FS->inode[src].is_dir)
		return FS->inode[dst].is_dir ? -EISDIR : -ENOTDIR;
	if (dst >= 0 && dst != src && FS->inode[dst].is_dir && tmp_dir_has(b, name, sizeof name, &cursor))
		return -ENOTEMPTY;
	/* Every moved name must fit before anything moves. */
	for (int i = 0; i < NINODE; i++) {
		const struct inode *ip = &FS->inode[i];
		if (ip->used && strncmp(ip->path, a, al) == 0 && (ip->path[al] == 0 || ip->path[al] == '/') &&
		    strlen(b) + strlen(ip->path + al) >= PATH_MAX_LEN)
			return -ENAMETOOLONG;
	}
	if (dst >= 0 && dst != src)
		tmp_drop(&FS->inode[dst]);
	for (int i = 0; i < NINODE; i++) {
		struct inode *ip = &FS->inode[i];
		if (!ip->used || strncmp(ip->path, a, al) != 0 || (ip->path[al] != 0 && ip->path[al] != '/'))
			continue;
		char moved[2 * PATH_MAX_LEN];
		strcpy(moved, b);
		strcat(moved, ip->path + al); /* fits: checked above */
		strcpy(ip->path, moved);
	}
	return 0;
}

/* SRV_READDIR: the next entry of /tmp directory data from cursor a0. */
static long do_readdir(const struct srv_req *rq, struct srv_chan *c)
{
	char name[MAXNAMLEN + 1];
	int cursor = (int)rq->a[0];
	if (cursor < 0 || !path_in_tmp(rq->data))
		return -EINVAL;
	if (!tmp_dir_has(rq->data, name, sizeof name, &cursor))
		return 0;
	char full[2 * PATH_MAX_LEN + MAXNAMLEN];
	strcpy(full, rq->data);
	strcat(full, "/");
	strcat(full, name);
	int ino = tmp_lookup(full);
	c->r[0] = cursor;
	c->r[1] = ino < 0 ? DT_REG : FS->inode[ino].is_dir ? DT_DIR : FS->inode[ino].is_link ? DT_LNK : DT_REG;
	memcpy(c->data, name, sizeof name);
	return 1;
}

static long do_chdir(const char *abs)
{
	struct stat st;
	int r = stat_abs(abs, &st);
	if (r < 0)
		return r;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	strcpy(task.self->cwd, abs);
	return 0;
}

/* Does op take a path (two for rename)? */
static int paths_of(int op)
{
	switch (op) {
	case SRV_OPEN: case SRV_STAT: case SRV_MKDIR: case SRV_UNLINK: case SRV_READDIR: case SRV_CHDIR: case SRV_CHMOD:
		return 1;
	case SRV_RENAME:
		return 2;
	default:
		return 0;
	}
}

/* map_ops: the n mappings in ops, into the caller. Returns 0 or -errno. */
static long map_ops(const struct exo_pte_op *ops, int n)
{
	long r = n ? sys_pte_batch(task.env, (long)ops, n) : 0;
	return r < 0 ? -exo_errno(r < -255 ? -(-r & 255) : r) : 0; /* pte_batch encodes the index */
}

/* SRV_MMAP: map pages of /tmp file fd from offset a1 into the caller at m.addr:
 * its data blocks themselves (holes get blocks first), so that a shared mapping is
 * coherent with read and write and with other processes' mappings; a private one
 * gets them copy-on-write. Pages past the end of the file stay unmapped (SIGBUS
 * in the caller). Returns the pages mapped, or -EBADF, -EACCES (a writable shared
 * mapping of a file not opened for reading and writing, or any of one not opened
 * for reading), -ENODEV (not a /tmp file), -EINVAL, -ENOSPC. */
static long do_mmap(const struct srv_req *rq)
{
	struct srv_mmap m;
	memcpy(&m, rq->data, sizeof m);
	struct ofile *f = fd_file((int)rq->a[0]);
	if (!f)
		return -EBADF;
	if (f->type != F_TMP)
		return -ENODEV;
	if ((f->flags & O_ACCMODE) == O_WRONLY || (m.shared && m.writable && (f->flags & O_ACCMODE) != O_RDWR))
		return -EACCES;
	if ((rq->a[1] & (PAGE_SIZE - 1)) || rq->a[1] < 0 || (m.addr & (PAGE_SIZE - 1)) || m.addr >= ULIM ||
	    m.npages > (ULIM - m.addr) / PAGE_SIZE)
		return -EINVAL;
	struct inode *ip = &FS->inode[f->idx];
	static struct exo_pte_op ops[256];
	uint64_t perm = PTE_NX | (m.shared ? PTE_SHARE | (m.writable ? PTE_W : 0) : (m.writable ? PTE_COW : 0));
	uint64_t done = 0;
	int n = 0;
	long err = 0;
	for (uint64_t i = 0; i < m.npages && !err; i++) {
		uint64_t pos = (uint64_t)rq->a[1] + i * PAGE_SIZE;
		if (pos >= ip->size)
			break;
		uint32_t b = bmap_alloc(ip, pos / PAGE_SIZE);
		if (!b) {
			err = -ENOSPC;
			break;
		}
		ops[n++] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = m.addr + i * PAGE_SIZE,
					       .srcva = (uint64_t)block_addr(b), .perm = perm };
		done++;
		if (n == 256) {
			err = map_ops(ops, n);
			n = 0;
		}
	}
	if (!err)
		err = map_ops(ops, n);
	return err ? err : (long)done;
}

long srv_file_request(const struct srv_req *rq, struct srv_chan *c)
{
	int fd = (int)rq->a[0], np = paths_of(rq->op);
	if ((np >= 1 && !path_normal(rq->data)) || (np == 2 && !path_normal(rq->data + SRV_PATH2)))
		return -EINVAL;
	switch (rq->op) {
	case SRV_OPEN: return do_open(rq);
	case SRV_CLOSE: return do_close(fd);
	case SRV_READ: return do_read(fd, rq->a[1], rq->a[2] != 0, c);
	case SRV_WRITE: return do_write(rq, false);
	case SRV_PREAD: return do_pread(fd, rq->a[1], rq->a[2], c);
	case SRV_PWRITE: return do_write(rq, true);
	case SRV_TRUNCATE: return do_truncate(fd, rq->a[1]);
	case SRV_LSEEK: return do_lseek(fd, rq->a[1], (int)rq->a[2]);
	case SRV_DUP: return do_dup(fd, rq->a[1], rq->a[2] != 0);
	case SRV_DUP2: return do_dup2(fd, rq->a[1]);
	case SRV_SETFD: return do_setfd(fd, rq->a[1] != 0);
	case SRV_SETFL: return do_setfl(fd, rq->a[1]);
	case SRV_CLOEXEC: fs_close_on_exec(task.self); return 0;
	case SRV_PIPE: return do_pipe(c);
	case SRV_STAT: return do_stat(rq, c);
	case SRV_MKDIR: return do_mkdir(rq->data, (uint32_t)rq->a[0]);
	case SRV_CHMOD: return do_chmod(rq);
	case SRV_FCHMOD: return do_fchmod(fd, rq->a[1]);
	case SRV_UMASK: return do_umask(rq->a[0]);
	case SRV_MMAP: return do_mmap(rq);
	case SRV_LOCK: return srv_lock_request(rq, c);
	case SRV_SYMLINK: case SRV_SETATTR: return srv_attr_request(rq);
	case SRV_POLL: return srv_poll_request(rq, c);
	case SRV_UNLINK: return do_unlink(rq->data, rq->a[0] != 0, rq->a[1] != 0);
	case SRV_RENAME: return do_rename(rq->data, rq->data + SRV_PATH2, rq->a[0] != 0);
	case SRV_READDIR: return do_readdir(rq, c);
	case SRV_CHDIR: return do_chdir(rq->data);
	default: return -ENOSYS;
	}
}
