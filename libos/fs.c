/* The shared file state: lock, set-up, data blocks, open files and descriptors. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "fs.h"
#include "proc.h"
#include "vpt.h"

/* fs_repair: after the fs lock was taken over from a holder that ended mid-update,
 * make the shared file state consistent again from what can be trusted: the
 * descriptor tables say which open files live and how many descriptors each has;
 * the open files say which pipe ends and /tmp files are open; the inodes and pipes
 * say which data blocks are in use. Open files nobody refers to are dropped, pipes
 * with no end left and removed files with no open left are freed, blocks nothing
 * refers to are given back, a file's block list stops at a block that was freed
 * under it, and every pipe's waiters are woken (an end may have closed). Locked. */
static void fs_repair(void)
{
	uint32_t refs[NFILE] = { 0 }, readers[NPIPE] = { 0 }, writers[NPIPE] = { 0 }, opens[NINODE] = { 0 };
	uint8_t used[FS_BLOCKS / 8] = { 0 };
	for (int i = 0; i < NPROC; i++)
		for (int fd = 0; PROCTAB->p[i].state != PROC_FREE && fd < NOFILE; fd++)
			if (PROCTAB->p[i].fd[fd] >= 0 && PROCTAB->p[i].fd[fd] < NFILE)
				refs[PROCTAB->p[i].fd[fd]]++;
	for (int i = 0; i < NFILE; i++) {
		struct ofile *f = &FS->file[i];
		f->ref = refs[i];
		if (!refs[i])
			f->type = F_NONE;
		else if (f->type == F_PIPE_R || f->type == F_PIPE_W)
			(f->type == F_PIPE_R ? readers : writers)[f->idx]++;
		else if (f->type == F_TMP)
			opens[f->idx]++;
	}
	for (int i = 0; i < NPIPE; i++) {
		struct pipe *p = &FS->pipe[i];
		if (!p->used)
			continue;
		p->readers = readers[i], p->writers = writers[i];
		if (!readers[i] && !writers[i])
			p->used = 0;
		for (int b = 0; p->used && b < PIPE_BLOCKS; b++)
			used[p->blocks[b] / 8] |= (uint8_t)(1u << (p->blocks[b] % 8));
	}
	for (int i = 0; i < NINODE; i++) {
		struct inode *ip = &FS->inode[i];
		if (!ip->used)
			continue;
		ip->opens = opens[i];
		if (!opens[i] && !ip->path[0])
			ip->used = 0; /* removed while open, its last open gone */
		for (uint32_t b = 0; ip->used && b < ip->nblocks; b++) {
			uint32_t blk = ip->blocks[b];
			if (!(FS->blockmap[blk / 8] & (1u << (blk % 8)))) {
				ip->nblocks = b; /* freed under it: the file ends there */
				if (ip->size > (uint64_t)b * PAGE_SIZE)
					ip->size = (uint64_t)b * PAGE_SIZE;
				break;
			}
			used[blk / 8] |= (uint8_t)(1u << (blk % 8));
		}
	}
	for (uint32_t b = 0; b < FS_BLOCKS; b++)
		if ((FS->blockmap[b / 8] & (1u << (b % 8))) && !(used[b / 8] & (1u << (b % 8))))
			fs_block_free(b);
	for (int i = 0; i < NPIPE; i++)
		pipe_wake_waiters(i);
}

void fs_lock(void)
{
	if (libos_lock(&FS->lock))
		fs_repair();
}

void fs_unlock(void)
{
	libos_unlock(&FS->lock);
}

/* The first process makes the shared region: the metadata pages, and a page table
 * for every 2 MiB of it (an empty one for the data area), so that sharing the
 * tables with children (pt_share for writing) shares everything mapped later. */
static int region_create(void)
{
	for (uint64_t i = 0; i < FSROOT_PAGES; i++)
		if (sys_page_alloc(0, (long)(UFSMETA + i * PAGE_SIZE), PTE_W | PTE_NX | PTE_SHARE) < 0)
			return -1;
	for (uint64_t va = UFSDATA; va < USHARED_HI; va += LARGE_PAGE_SIZE)
		if (sys_page_alloc(0, (long)va, PTE_W | PTE_NX | PTE_SHARE) < 0 || sys_page_unmap(0, (long)va) < 0)
			return -1;
	return 0;
}

int fs_init(void)
{
	if (!vpt_lookup(UFSMETA) && region_create() < 0)
		return -1;
	struct proc *self = task.self;
	if (task.pid == 1 && !FS->ready) {
		for (int i = 0; i < NOFILE; i++)
			self->fd[i] = -1;
		strcpy(self->cwd, "/");
		fs_lock();
		struct ofile *con = ofile_alloc();
		con->type = F_CONSOLE;
		con->flags = O_RDWR;
		con->ref = 3;
		for (int i = 0; i < 3; i++)
			self->fd[i] = (int16_t)(con - FS->file);
		FS->ready = 1;
		fs_unlock();
	}
	return 0;
}

int fs_block_alloc(void)
{
	for (uint32_t b = 0; b < FS_BLOCKS; b++) {
		if (FS->blockmap[b / 8] & (1u << (b % 8)))
			continue;
		/* A fresh zeroed page, mapped in the shared table: every process sees it. */
		if (sys_page_alloc(0, (long)block_addr(b), PTE_W | PTE_NX | PTE_SHARE) < 0)
			return -1;
		FS->blockmap[b / 8] |= (uint8_t)(1u << (b % 8));
		return (int)b;
	}
	return -1;
}

void fs_block_free(uint32_t b)
{
	FS->blockmap[b / 8] &= (uint8_t) ~(1u << (b % 8));
	sys_page_unmap(0, (long)block_addr(b));
}

struct ofile *ofile_alloc(void)
{
	for (int i = 0; i < NFILE; i++) {
		struct ofile *f = &FS->file[i];
		if (f->ref == 0) {
			memset(f, 0, sizeof *f);
			f->ref = 1;
			return f;
		}
	}
	return NULL;
}

void ofile_release(struct ofile *f)
{
	if (--f->ref > 0)
		return;
	if (f->type == F_PIPE_R || f->type == F_PIPE_W)
		pipe_close_end(f->idx, f->type == F_PIPE_W);
	if (f->type == F_TMP) {
		struct inode *ip = &FS->inode[f->idx];
		if (--ip->opens == 0 && ip->path[0] == 0) { /* removed while open: now it goes */
			tmp_truncate(ip);
			ip->used = 0;
		}
	}
	f->type = F_NONE;
}

int fd_install(struct ofile *f, int min, bool cloexec)
{
	struct proc *self = task.self;
	for (int fd = min; fd < NOFILE; fd++) {
		if (self->fd[fd] >= 0)
			continue;
		self->fd[fd] = (int16_t)(f - FS->file);
		if (cloexec)
			self->cloexec |= 1ULL << fd;
		else
			self->cloexec &= ~(1ULL << fd);
		return fd;
	}
	errno = EMFILE;
	return -1;
}

struct ofile *fd_file(int fd)
{
	if (fd < 0 || fd >= NOFILE || task.self->fd[fd] < 0) {
		errno = EBADF;
		return NULL;
	}
	return &FS->file[task.self->fd[fd]];
}

void fs_fork_fds(struct proc *c)
{
	fs_lock();
	for (int i = 0; i < NOFILE; i++) {
		c->fd[i] = task.self->fd[i];
		if (c->fd[i] >= 0)
			FS->file[c->fd[i]].ref++;
	}
	c->cloexec = task.self->cloexec;
	fs_unlock();
}

void fs_close_all(struct proc *p)
{
	fs_lock();
	for (int i = 0; i < NOFILE; i++)
		if (p->fd[i] >= 0) {
			ofile_release(&FS->file[p->fd[i]]);
			p->fd[i] = -1;
		}
	p->cloexec = 0;
	fs_unlock();
}

void fs_close_on_exec(void)
{
	struct proc *p = task.self;
	fs_lock();
	for (int i = 0; i < NOFILE; i++)
		if (p->fd[i] >= 0 && ((p->cloexec >> i) & 1)) {
			ofile_release(&FS->file[p->fd[i]]);
			p->fd[i] = -1;
		}
	p->cloexec = 0;
	fs_unlock();
}

void stat_fill(struct stat *st, enum ftype type, uint64_t size, uint32_t mode, uint64_t ino)
{
	memset(st, 0, sizeof *st);
	st->st_ino = (ino_t)ino;
	st->st_nlink = 1;
	st->st_size = (off_t)size;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
	switch (type) {
	case F_CONSOLE: st->st_mode = S_IFCHR | 0620; break;
	case F_NULL: st->st_mode = S_IFCHR | 0666; break;
	case F_PIPE_R:
	case F_PIPE_W: st->st_mode = S_IFIFO | 0600; break;
	case F_DIR: st->st_mode = S_IFDIR | (mode & 07777); break;
	default: st->st_mode = S_IFREG | (mode & 07777); break;
	}
}
