/*
 * Pipes: a ring buffer in shared data blocks. A reader with nothing to read and a
 * writer with no room register as waiters and block in the kernel (ipc_recv); the
 * other side wakes them (env_wake) after it changes the pipe. No busy waiting.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>
#include "fs.h"
#include "proc.h"

#define PIPE_SIZE (PIPE_BLOCKS * PAGE_SIZE)
/* User data passes through a buffer on our stack, in chunks of at most BOUNCE
 * bytes, so that no user memory is touched while the fs lock is held (a fault
 * there would end us with the lock held, and every process would wait for it for
 * ever). A write of at most PIPE_BUF bytes is one chunk: it goes in whole. */
#define BOUNCE 4096
_Static_assert(PIPE_BUF <= BOUNCE, "an atomic pipe write fits in one chunk");

/* Our slot in the process table: our bit in a pipe's waiter set. */
static unsigned my_slot(void)
{
	return (unsigned)(task.self - PROCTAB->p);
}

/* add_waiter / drop_waiter: put us into / take us out of p's waiter set (locked). */
static void add_waiter(struct pipe *p)
{
	unsigned i = my_slot();
	p->waiters[i / 64] |= 1ULL << (i % 64);
}

static void drop_waiter(struct pipe *p)
{
	unsigned i = my_slot();
	p->waiters[i / 64] &= ~(1ULL << (i % 64));
}

/* take_waiters: move p's waiter set into out and empty it (locked); wake them with
 * wake() after unlocking. Returns true if there is anyone to wake. */
static bool take_waiters(struct pipe *p, uint64_t out[PIPE_WAITER_WORDS])
{
	uint64_t any = 0;
	for (int w = 0; w < PIPE_WAITER_WORDS; w++) {
		out[w] = p->waiters[w];
		any |= out[w];
		p->waiters[w] = 0;
	}
	return any != 0;
}

/* wake: env_wake the environment of every process-table slot in set except ours. A
 * slot reused since it was set gets a spurious wake-up, which every waiter allows
 * for (it re-checks its condition). */
static void wake(const uint64_t set[PIPE_WAITER_WORDS])
{
	unsigned me = my_slot();
	for (unsigned w = 0; w < PIPE_WAITER_WORDS; w++)
		for (uint64_t bits = set[w]; bits; bits &= bits - 1) {
			unsigned i = w * 64 + (unsigned)__builtin_ctzll(bits);
			envid_t env = PROCTAB->p[i].env;
			if (i != me && env)
				sys_env_wake(env);
		}
}

void pipe_wake_waiters(int idx)
{
	uint64_t set[PIPE_WAITER_WORDS];
	if (take_waiters(&FS->pipe[idx], set))
		wake(set);
}

/* unlock_and_wake: take p's waiters, drop the fs lock, and wake them. */
static void unlock_and_wake(struct pipe *p)
{
	uint64_t set[PIPE_WAITER_WORDS];
	bool any = take_waiters(p, set);
	fs_unlock();
	if (any)
		wake(set);
}

/* ring_get: move n bytes (n <= what the pipe holds) from the ring into dst and
 * advance rpos. Locked; dst is our own buffer. */
static void ring_get(struct pipe *p, char *dst, size_t n)
{
	while (n) {
		uint64_t o = p->rpos % PIPE_SIZE, in = o % PAGE_SIZE;
		size_t k = PAGE_SIZE - in < n ? PAGE_SIZE - in : n;
		memcpy(dst, block_addr(p->blocks[o / PAGE_SIZE]) + in, k);
		p->rpos += k, dst += k, n -= k;
	}
}

/* ring_put: move n bytes (n <= the room left) from src into the ring and advance
 * wpos. Locked; src is our own buffer. */
static void ring_put(struct pipe *p, const char *src, size_t n)
{
	while (n) {
		uint64_t o = p->wpos % PIPE_SIZE, in = o % PAGE_SIZE;
		size_t k = PAGE_SIZE - in < n ? PAGE_SIZE - in : n;
		memcpy(block_addr(p->blocks[o / PAGE_SIZE]) + in, src, k);
		p->wpos += k, src += k, n -= k;
	}
}

ssize_t pipe_read(struct ofile *f, void *buf, size_t n)
{
	if (n == 0)
		return 0;
	char bounce[BOUNCE];
	libos_prefault(bounce, sizeof bounce); /* no fault on it with the lock held */
	fs_lock();
	struct pipe *p = &FS->pipe[f->idx];
	while (p->rpos == p->wpos) {
		if (p->writers == 0) {
			drop_waiter(p);
			fs_unlock();
			return 0; /* end of file */
		}
		if (f->flags & O_NONBLOCK) {
			drop_waiter(p);
			fs_unlock();
			errno = EAGAIN;
			return -1;
		}
		add_waiter(p);
		fs_unlock();
		libos_block();
		fs_lock();
	}
	drop_waiter(p);
	/* Everything there is, up to n, a chunk at a time; we wait only for the first. */
	size_t got = 0;
	for (;;) {
		size_t avail = (size_t)(p->wpos - p->rpos), k = n - got;
		if (k > avail)
			k = avail;
		if (k > BOUNCE)
			k = BOUNCE;
		ring_get(p, bounce, k);
		unlock_and_wake(p); /* writers may be waiting for room */
		memcpy((char *)buf + got, bounce, k);
		got += k;
		if (got == n)
			break;
		fs_lock();
		if (p->rpos == p->wpos) {
			fs_unlock();
			break;
		}
	}
	return (ssize_t)got;
}

ssize_t pipe_write(struct ofile *f, const void *buf, size_t n)
{
	if (n == 0)
		return 0;
	char bounce[BOUNCE];
	libos_prefault(bounce, sizeof bounce); /* no fault on it with the lock held */
	struct pipe *p = &FS->pipe[f->idx];
	size_t done = 0; /* bytes of buf in the pipe */
	while (done < n) {
		size_t k = n - done < BOUNCE ? n - done : BOUNCE, put = 0;
		memcpy(bounce, (const char *)buf + done, k);
		fs_lock();
		while (put < k) {
			if (p->readers == 0) {
				drop_waiter(p);
				unlock_and_wake(p);
				raise(SIGPIPE); /* ends us, as on Unix, unless ignored */
				errno = EPIPE;
				return done + put ? (ssize_t)(done + put) : -1;
			}
			/* A write of PIPE_BUF bytes or less goes in whole or waits (POSIX). */
			size_t room = PIPE_SIZE - (size_t)(p->wpos - p->rpos);
			if (room == 0 || (n <= PIPE_BUF && room < n)) {
				if (f->flags & O_NONBLOCK) {
					drop_waiter(p);
					unlock_and_wake(p); /* readers: for what we wrote */
					errno = EAGAIN;
					return done + put ? (ssize_t)(done + put) : -1;
				}
				uint64_t set[PIPE_WAITER_WORDS];
				bool any = take_waiters(p, set); /* readers may be waiting for what we wrote */
				add_waiter(p);
				fs_unlock();
				if (any)
					wake(set);
				libos_block();
				fs_lock();
				continue;
			}
			size_t m = room < k - put ? room : k - put;
			ring_put(p, bounce + put, m);
			put += m;
		}
		drop_waiter(p);
		unlock_and_wake(p);
		done += k;
	}
	return (ssize_t)done;
}

void pipe_close_end(int idx, bool writer)
{
	struct pipe *p = &FS->pipe[idx];
	if (writer)
		p->writers--;
	else
		p->readers--;
	uint64_t set[PIPE_WAITER_WORDS];
	bool any = take_waiters(p, set);
	if (p->readers == 0 && p->writers == 0) {
		for (int i = 0; i < PIPE_BLOCKS; i++)
			fs_block_free(p->blocks[i]);
		p->used = 0;
	}
	if (any)
		wake(set); /* the lock is held: wakes cannot block, so this is safe */
}

/* pipe: a new pipe, its read end in fds[0] and its write end in fds[1]. Returns 0,
 * or -1 with EFAULT (fds not writable), ENFILE (no pipe or open file left), ENOSPC
 * (no data blocks) or EMFILE (no descriptor left). */
int pipe(int fds[2])
{
	int err = libos_user_range(fds, 2 * sizeof *fds, true);
	if (err) {
		errno = err;
		return -1;
	}
	int fd[2];
	fs_lock();
	int idx = -1;
	for (int i = 0; i < NPIPE && idx < 0; i++)
		if (!FS->pipe[i].used)
			idx = i;
	struct ofile *r = NULL, *w = NULL;
	int blocks[PIPE_BLOCKS], nb = 0;
	if (idx < 0)
		err = ENFILE;
	for (; !err && nb < PIPE_BLOCKS; nb++)
		if ((blocks[nb] = fs_block_alloc()) < 0)
			err = ENOSPC;
	if (!err && (!(r = ofile_alloc()) || !(w = ofile_alloc())))
		err = ENFILE;
	if (err) {
		for (int i = 0; i < nb && blocks[i] >= 0; i++)
			fs_block_free((uint32_t)blocks[i]);
		if (r)
			r->ref = 0;
		fs_unlock();
		errno = err;
		return -1;
	}
	struct pipe *p = &FS->pipe[idx];
	memset(p, 0, sizeof *p);
	p->used = 1;
	p->readers = p->writers = 1;
	for (int i = 0; i < PIPE_BLOCKS; i++)
		p->blocks[i] = (uint32_t)blocks[i];
	r->type = F_PIPE_R, r->flags = O_RDONLY, r->idx = idx;
	w->type = F_PIPE_W, w->flags = O_WRONLY, w->idx = idx;
	fd[0] = fd_install(r, 0, false);
	fd[1] = fd[0] < 0 ? -1 : fd_install(w, 0, false);
	if (fd[1] < 0) {
		if (fd[0] >= 0)
			task.self->fd[fd[0]] = -1;
		ofile_release(r);
		ofile_release(w);
		fs_unlock();
		return -1;
	}
	fs_unlock();
	fds[0] = fd[0], fds[1] = fd[1]; /* checked above; not with the lock held */
	return 0;
}
