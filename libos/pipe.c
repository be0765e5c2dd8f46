/*
 * Pipes (server side): a ring buffer in the server's data blocks. A reader with
 * nothing to read, or a writer with no room, is recorded as a waiter and told to
 * wait (SRV_BLOCKED); whoever changes the pipe next wakes the waiters (env_wake),
 * and they ask again. No busy waiting, and a waiter that dies is no trouble: a wake
 * to an ended environment is refused by the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <limits.h>
#include "fs.h"
#include "proc.h"

#define PIPE_SIZE (PIPE_BLOCKS * PAGE_SIZE)
_Static_assert(PIPE_BUF <= SRV_DATA, "an atomic pipe write fits in one request");


/* ring_get: move n bytes (n <= what the pipe holds) from the ring into dst and
 * advance rpos. */
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
 * wpos. */
static void ring_put(struct pipe *p, const char *src, size_t n)
{
	while (n) {
		uint64_t o = p->wpos % PIPE_SIZE, in = o % PAGE_SIZE;
		size_t k = PAGE_SIZE - in < n ? PAGE_SIZE - in : n;
		memcpy(block_addr(p->blocks[o / PAGE_SIZE]) + in, src, k);
		p->wpos += k, src += k, n -= k;
	}
}

long pipe_read(struct ofile *f, char *out, size_t n, bool nowait)
{
	struct pipe *p = &FS->pipe[f->idx];
	if (n == 0)
		return 0;
	if (p->rpos == p->wpos) {
		if (p->writers == 0) {
			waiters_drop(p->waiters);
			return 0; /* end of file */
		}
		if ((f->flags & O_NONBLOCK) || nowait) {
			waiters_drop(p->waiters);
			return -EAGAIN;
		}
		waiters_add(p->waiters);
		return SRV_BLOCKED;
	}
	waiters_drop(p->waiters);
	size_t avail = (size_t)(p->wpos - p->rpos), k = n < avail ? n : avail;
	ring_get(p, out, k);
	waiters_wake(p->waiters); /* writers may be waiting for room */
	return (long)k;
}

long pipe_write(struct ofile *f, const char *in, size_t n, size_t total)
{
	struct pipe *p = &FS->pipe[f->idx];
	if (p->readers == 0) {
		waiters_drop(p->waiters);
		waiters_wake(p->waiters);
		return -EPIPE;
	}
	/* A write of PIPE_BUF bytes or less goes in whole or waits (POSIX). */
	size_t room = PIPE_SIZE - (size_t)(p->wpos - p->rpos);
	if (room == 0 || (total <= PIPE_BUF && room < n)) {
		if (f->flags & O_NONBLOCK) {
			waiters_drop(p->waiters);
			return -EAGAIN;
		}
		waiters_wake(p->waiters); /* readers: for what is there */
		waiters_add(p->waiters);
		return SRV_BLOCKED;
	}
	size_t m = room < n ? room : n;
	ring_put(p, in, m);
	waiters_drop(p->waiters);
	waiters_wake(p->waiters);
	return (long)m;
}

void pipe_close_end(int idx, bool writer)
{
	struct pipe *p = &FS->pipe[idx];
	if (writer)
		p->writers--;
	else
		p->readers--;
	waiters_wake(p->waiters);
	if (p->readers == 0 && p->writers == 0) {
		for (int i = 0; i < PIPE_BLOCKS; i++)
			fs_block_free(p->blocks[i]);
		p->used = 0;
	}
}

int pipe_create(struct ofile **rp, struct ofile **wp)
{
	int idx = -1, nb = 0, err = 0;
	uint32_t blocks[PIPE_BLOCKS];
	for (int i = 0; i < NPIPE && idx < 0; i++)
		if (!FS->pipe[i].used)
			idx = i;
	struct ofile *r = NULL, *w = NULL;
	if (idx < 0)
		err = -ENFILE;
	for (; !err && nb < PIPE_BLOCKS; nb++)
		if (!(blocks[nb] = fs_block_alloc()))
			err = -ENOSPC;
	if (!err && (!(r = ofile_alloc()) || !(w = ofile_alloc())))
		err = -ENFILE;
	if (err) {
		for (int i = 0; i < nb && blocks[i]; i++)
			fs_block_free(blocks[i]);
		if (r)
			r->ref = 0;
		return err;
	}
	struct pipe *p = &FS->pipe[idx];
	memset(p, 0, sizeof *p);
	p->used = 1;
	p->readers = p->writers = 1;
	for (int i = 0; i < PIPE_BLOCKS; i++)
		p->blocks[i] = blocks[i];
	r->type = F_PIPE_R, r->flags = O_RDONLY, r->idx = idx;
	w->type = F_PIPE_W, w->flags = O_WRONLY, w->idx = idx;
	*rp = r, *wp = w;
	return 0;
}
