/* The file tables (server side): set-up, data blocks, open files and descriptors;
 * and fd_file, which clients use on their view too.
 *
 * Data blocks: block b is the page at UFSDATA + b * 4 KiB of the server's own
 * memory, mapped while the block is in use. A bitmap (bit set: in use) in the
 * server's memory too, its pages made as the blocks in use reach them, says which
 * are free; the lowest free one is given first, so the area, and the page tables
 * that map it, stay as small as the most ever in use. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "fs.h"
#include "proc.h"
#include "vpt.h"
#include "srv.h"

static uint64_t *const bitmap = (uint64_t *)UFSBITMAP;
static uint64_t first_free_word; /* every bitmap word below it is full */

int fs_region_create(void)
{
	for (uint64_t i = 0; i < PROCTAB_PAGES; i++)
		if (sys_page_alloc(0, (long)(UPROCS + i * PAGE_SIZE), PTE_W | PTE_NX | PTE_SHARE) < 0)
			return -1;
	for (uint64_t i = 0; i < FSROOT_PAGES; i++)
		if (sys_page_alloc(0, (long)(UFSMETA + i * PAGE_SIZE), PTE_W | PTE_NX | PTE_SHARE) < 0)
			return -1;
	if (sys_page_alloc(0, (long)UFSBITMAP, PTE_W | PTE_NX) < 0)
		return -1;
	bitmap[0] = 1; /* block 0 means "no block" */
	return 0;
}

uint32_t fs_block_alloc(void)
{
	if (exo_info->free_frames < FS_RESERVE)
		return 0;
	for (uint64_t w = first_free_word; w < FS_BLOCKS / 64; w++) {
		uint64_t va = (uint64_t)&bitmap[w];
		if ((w == first_free_word || va % PAGE_SIZE == 0) && !(vpt_lookup(va) & PTE_P) &&
		    sys_page_alloc(0, (long)(va & ~(PAGE_SIZE - 1)), PTE_W | PTE_NX) < 0)
			return 0; /* a fresh bitmap page: all free */
		if (bitmap[w] == ~0ULL)
			continue;
		first_free_word = w;
		uint32_t b = (uint32_t)(w * 64 + (uint64_t)__builtin_ctzll(~bitmap[w]));
		/* A fresh zeroed page, in the server's own memory. */
		if (sys_page_alloc(0, (long)block_addr(b), PTE_W | PTE_NX) < 0)
			return 0;
		bitmap[w] |= 1ULL << (b % 64);
		FS->blocks++;
		return b;
	}
	return 0;
}

void fs_block_free(uint32_t b)
{
	bitmap[b / 64] &= ~(1ULL << (b % 64));
	if (b / 64 < first_free_word)
		first_free_word = b / 64;
	FS->blocks--;
	sys_page_unmap(0, (long)block_addr(b));
}

/* The caller's slot in the process table: its bit in a waiter set. */
static unsigned my_slot(void)
{
	return (unsigned)(task.self - PROCTAB->p);
}

void waiters_add(uint64_t set[PIPE_WAITER_WORDS])
{
	unsigned i = my_slot();
	set[i / 64] |= 1ULL << (i % 64);
}

void waiters_drop(uint64_t set[PIPE_WAITER_WORDS])
{
	unsigned i = my_slot();
	set[i / 64] &= ~(1ULL << (i % 64));
}

void waiters_wake(uint64_t set[PIPE_WAITER_WORDS])
{
	unsigned me = task.self ? my_slot() : NPROC;
	for (unsigned w = 0; w < PIPE_WAITER_WORDS; w++) {
		for (uint64_t bits = set[w]; bits; bits &= bits - 1) {
			unsigned i = w * 64 + (unsigned)__builtin_ctzll(bits);
			struct proc *p = &PROCTAB->p[i];
			if (p->env && p->state == PROC_RUNNING)
				if (i != me || srv_threaded(p)) /* the asker is awake, but not its threads */
					srv_wake(p);
		}
		set[w] = 0;
	}
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
		lock_release(lock_file_owner(f), f->idx); /* its flock */
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
	for (int fd = min; fd < NOFILE && (rlim_t)fd < self->rlim[RLIMIT_NOFILE].rlim_cur; fd++) {
		if (self->fd[fd] >= 0)
			continue;
		self->fd[fd] = (int16_t)(f - FS->file);
		if (cloexec)
			self->cloexec |= 1ULL << fd;
		else
			self->cloexec &= ~(1ULL << fd);
		return fd;
	}
	return -EMFILE;
}

void fd_close(struct proc *p, int fd)
{
	struct ofile *f = &FS->file[p->fd[fd]];
	p->fd[fd] = -1;
	p->cloexec &= ~(1ULL << fd);
	if (f->type == F_TMP)
		lock_release(p->pid, f->idx);
	ofile_release(f);
}

struct ofile *fd_file(int fd)
{
	static struct ofile console = { .ref = 1, .type = F_CONSOLE, .flags = O_RDWR };
	if (!task.self) /* a bare environment: the console only */
		return fd >= 0 && fd < 3 ? &console : (errno = EBADF, NULL);
	if (fd < 0 || fd >= NOFILE || task.self->fd[fd] < 0) {
		errno = EBADF;
		return NULL;
	}
	return &FS->file[task.self->fd[fd]];
}

void fs_fork_fds(const struct proc *p, struct proc *c)
{
	for (int i = 0; i < NOFILE; i++) {
		c->fd[i] = p->fd[i];
		if (c->fd[i] >= 0)
			FS->file[c->fd[i]].ref++;
	}
	c->cloexec = p->cloexec;
}

void fs_close_all(struct proc *p)
{
	for (int i = 0; i < NOFILE; i++)
		if (p->fd[i] >= 0)
			fd_close(p, i);
}

void fs_close_on_exec(struct proc *p)
{
	for (int i = 0; i < NOFILE; i++)
		if (p->fd[i] >= 0 && ((p->cloexec >> i) & 1))
			fd_close(p, i);
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
	case F_NULL:
	case F_ZERO:
	case F_RANDOM: st->st_mode = S_IFCHR | 0666; break;
	case F_PIPE_R:
	case F_PIPE_W: st->st_mode = S_IFIFO | 0600; break;
	case F_DIR: st->st_mode = S_IFDIR | (mode & 07777); break;
	default: st->st_mode = S_IFREG | (mode & 07777); break;
	}
}
