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

static void add_waiter(struct pipe *p)
{
	envid_t me = task.self->env;
	for (int i = 0; i < PIPE_WAITERS; i++)
		if (p->waiters[i] == me)
			return;
	for (int i = 0; i < PIPE_WAITERS; i++)
		if (!p->waiters[i]) {
			p->waiters[i] = me;
			return;
		}
	/* Table full: we will wake up on the next note and re-check anyway. */
}

/* Wake everyone waiting on p (called with the fs lock held, wakes after). */
static void wake_all(struct pipe *p, envid_t *out, int *n)
{
	for (int i = 0; i < PIPE_WAITERS; i++)
		if (p->waiters[i]) {
			out[(*n)++] = p->waiters[i];
			p->waiters[i] = 0;
		}
}

static void wake(const envid_t *envs, int n)
{
	for (int i = 0; i < n; i++)
		sys_env_wake(envs[i]);
}

static char *byte_at(struct pipe *p, uint64_t pos)
{
	uint64_t o = pos % PIPE_SIZE;
	return block_addr(p->blocks[o / PAGE_SIZE]) + o % PAGE_SIZE;
}

ssize_t pipe_read(struct ofile *f, void *buf, size_t n)
{
	if (n == 0)
		return 0;
	fs_lock();
	struct pipe *p = &FS->pipe[f->idx];
	while (p->rpos == p->wpos) {
		if (p->writers == 0) {
			fs_unlock();
			return 0; /* end of file */
		}
		if (f->flags & O_NONBLOCK) {
			fs_unlock();
			errno = EAGAIN;
			return -1;
		}
		add_waiter(p);
		fs_unlock();
		libos_block();
		fs_lock();
	}
	size_t got = 0;
	while (got < n && p->rpos != p->wpos)
		((char *)buf)[got++] = *byte_at(p, p->rpos++);
	envid_t w[PIPE_WAITERS];
	int nw = 0;
	wake_all(p, w, &nw);
	fs_unlock();
	wake(w, nw);
	return (ssize_t)got;
}

ssize_t pipe_write(struct ofile *f, const void *buf, size_t n)
{
	size_t done = 0;
	fs_lock();
	struct pipe *p = &FS->pipe[f->idx];
	while (done < n) {
		if (p->readers == 0) {
			fs_unlock();
			raise(SIGPIPE); /* ends us, as on Unix, unless ignored */
			errno = EPIPE;
			return done ? (ssize_t)done : -1;
		}
		/* A write of PIPE_BUF bytes or less goes in whole or waits (POSIX). */
		size_t room = PIPE_SIZE - (size_t)(p->wpos - p->rpos);
		if (room == 0 || (n <= PIPE_BUF && room < n - done)) {
			if (f->flags & O_NONBLOCK) {
				fs_unlock();
				errno = EAGAIN;
				return done ? (ssize_t)done : -1;
			}
			envid_t w[PIPE_WAITERS];
			int nw = 0;
			wake_all(p, w, &nw); /* readers may be waiting for what we wrote */
			add_waiter(p);
			fs_unlock();
			wake(w, nw);
			libos_block();
			fs_lock();
			continue;
		}
		while (done < n && p->wpos - p->rpos < PIPE_SIZE)
			*byte_at(p, p->wpos++) = ((const char *)buf)[done++];
	}
	envid_t w[PIPE_WAITERS];
	int nw = 0;
	wake_all(p, w, &nw);
	fs_unlock();
	wake(w, nw);
	return (ssize_t)done;
}

void pipe_close_end(int idx, bool writer)
{
	struct pipe *p = &FS->pipe[idx];
	if (writer)
		p->writers--;
	else
		p->readers--;
	envid_t w[PIPE_WAITERS];
	int nw = 0;
	wake_all(p, w, &nw);
	if (p->readers == 0 && p->writers == 0) {
		for (int i = 0; i < PIPE_BLOCKS; i++)
			fs_block_free(p->blocks[i]);
		p->used = 0;
	}
	wake(w, nw); /* the lock is held: wakes cannot block, so this is safe */
}

int pipe(int fds[2])
{
	fs_lock();
	int idx = -1;
	for (int i = 0; i < NPIPE && idx < 0; i++)
		if (!FS->pipe[i].used)
			idx = i;
	struct ofile *r = NULL, *w = NULL;
	int blocks[PIPE_BLOCKS], nb = 0, err = 0;
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
	fds[0] = fd_install(r, 0, false);
	fds[1] = fds[0] < 0 ? -1 : fd_install(w, 0, false);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			task.self->fd[fds[0]] = -1;
		ofile_release(r);
		ofile_release(w);
		fs_unlock();
		return -1;
	}
	fs_unlock();
	return 0;
}
