/*
 * Record locks (server side): POSIX fcntl locks (F_GETLK, F_SETLK, F_SETLKW) and
 * flock() locks on /tmp files. A lock is a byte range [s, e] of an inode (e =
 * UINT64_MAX: to the end of the file and beyond), read or write, held by an owner:
 * a process (its pid, for fcntl locks: per process, not per descriptor, not
 * inherited by fork, kept across exec) or an open file (flock: -1 - its index in
 * the open-file table). A process's locks on a file go when it closes any
 * descriptor of the file (fd_close), so when it ends (release closes them all);
 * an open file's flock goes with its last reference (ofile_release).
 *
 * A request that must wait (F_SETLKW, flock without LOCK_NB) makes the caller a
 * waiter (SRV_BLOCKED) and records what it waits for; every unlock wakes the
 * waiters and they ask again. A wait that would close a cycle of processes
 * waiting for each other's locks is refused with EDEADLK.
 *
 * The table is the server's private memory: nobody else reads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "fs.h"
#include "proc.h"
#include "srv.h"

#define NLOCK 1024     /* byte-range locks in the system (ENOLCK beyond) */
#define DEADLK_DEPTH 8 /* how long a cycle of waiting processes EDEADLK finds */

struct lock {
	int64_t owner;     /* 0: free; > 0: a pid; < 0: -1 - an open file's index */
	int32_t ino;
	int32_t type;      /* F_RDLCK or F_WRLCK */
	uint64_t s, e;     /* the range, both ends in */
};

/* What a blocked process waits for (by process-table slot); valid while the
 * slot's process is still pid and has not asked anything else of us since. */
struct wait {
	int32_t pid;       /* 0: not waiting */
	int32_t ino, type;
	int64_t owner;
	uint64_t s, e;
};

static struct lock locks[NLOCK];
static struct wait waits[NPROC];
static uint64_t lock_waiters[PIPE_WAITER_WORDS];

static bool overlap(const struct lock *l, int ino, uint64_t s, uint64_t e)
{
	return l->owner && l->ino == ino && l->s <= e && s <= l->e;
}

/* conflict: a lock of another owner on ino that overlaps [s, e] and excludes type
 * (one of the two is a write lock), or NULL. */
static struct lock *conflict(int64_t owner, int ino, int type, uint64_t s, uint64_t e)
{
	for (int i = 0; i < NLOCK; i++) {
		struct lock *l = &locks[i];
		if (overlap(l, ino, s, e) && l->owner != owner && (type == F_WRLCK || l->type == F_WRLCK))
			return l;
	}
	return NULL;
}

static int free_entries(void)
{
	int n = 0;
	for (int i = 0; i < NLOCK; i++)
		n += locks[i].owner == 0;
	return n;
}

static struct lock *lock_new(int64_t owner, int ino, int type, uint64_t s, uint64_t e)
{
	for (int i = 0; i < NLOCK; i++)
		if (locks[i].owner == 0) {
			locks[i] = (struct lock){ .owner = owner, .ino = ino, .type = type, .s = s, .e = e };
			return &locks[i];
		}
	return NULL; /* the caller made sure there is room */
}

/* unlock: take [s, e] out of owner's locks on ino (a lock around it splits in
 * two: the caller made sure there is room). Returns whether anything went. */
static bool unlock(int64_t owner, int ino, uint64_t s, uint64_t e)
{
	bool changed = false;
	for (int i = 0; i < NLOCK; i++) {
		struct lock *l = &locks[i];
		if (l->owner != owner || !overlap(l, ino, s, e))
			continue;
		changed = true;
		if (l->s < s && l->e > e) /* the middle goes: the right part is a new lock */
			lock_new(owner, ino, l->type, e + 1, l->e);
		if (l->s < s)
			l->e = s - 1;
		else if (l->e > e)
			l->s = e + 1;
		else
			l->owner = 0;
	}
	return changed;
}

/* absorb: widen [*s, *e] over owner's locks of type on ino that touch it on
 * either side (they go: the new lock takes their place). Owner's locks never
 * overlap the range (unlock took it out), and were joined when they were made. */
static void absorb(int64_t owner, int ino, int type, uint64_t *s, uint64_t *e)
{
	for (int i = 0; i < NLOCK; i++) {
		struct lock *l = &locks[i];
		if (l->owner != owner || l->ino != ino || l->type != type)
			continue;
		if (l->e != UINT64_MAX && l->e + 1 == *s)
			*s = l->s, l->owner = 0;
		else if (*e != UINT64_MAX && *e + 1 == l->s)
			*e = l->e, l->owner = 0;
	}
}

/* The process-table slot whose process is pid and waits for a lock, or -1. */
static int waiting_slot(int64_t pid)
{
	for (int i = 0; i < NPROC; i++)
		if (waits[i].pid && waits[i].pid == pid && PROCTAB->p[i].pid == pid &&
		    PROCTAB->p[i].state == PROC_RUNNING)
			return i;
	return -1;
}

/* blocks_on: does owner `who`, by what it waits for or what that waits for (up to
 * depth steps), wait for a lock of `me`? */
static bool blocks_on(int64_t who, int64_t me, int depth)
{
	int w = who > 0 ? waiting_slot(who) : -1;
	if (w < 0 || depth == 0)
		return false;
	const struct wait *wt = &waits[w];
	for (int i = 0; i < NLOCK; i++) {
		const struct lock *l = &locks[i];
		if (!overlap(l, wt->ino, wt->s, wt->e) || l->owner == who ||
		    (wt->type != F_WRLCK && l->type != F_WRLCK))
			continue;
		if (l->owner == me || blocks_on(l->owner, me, depth - 1))
			return true;
	}
	return false;
}

/* deadlock: would owner wait for itself, waiting for [s, e] of ino? */
static bool deadlock(int64_t owner, int ino, int type, uint64_t s, uint64_t e)
{
	if (owner < 0)
		return false; /* flock owners are open files: no cycle is looked for */
	for (int i = 0; i < NLOCK; i++) {
		const struct lock *l = &locks[i];
		if (overlap(l, ino, s, e) && l->owner != owner && (type == F_WRLCK || l->type == F_WRLCK) &&
		    blocks_on(l->owner, owner, DEADLK_DEPTH))
			return true;
	}
	return false;
}

/* range: the byte range of q on open file f, into [*s, *e]. Returns 0 or -EINVAL
 * (a bad whence, a start before 0) or -EOVERFLOW (an end past the largest offset). */
static int range(const struct srv_lock *q, const struct ofile *f, uint64_t *s, uint64_t *e)
{
	int64_t base = q->whence == SEEK_SET ? 0 : q->whence == SEEK_CUR ? (int64_t)f->off
		     : q->whence == SEEK_END ? (int64_t)FS->inode[f->idx].size : -1;
	if (base < 0 || (q->start < 0 && q->start < -base) || (q->start > 0 && q->start > INT64_MAX - base))
		return -EINVAL;
	int64_t start = base + q->start;
	if (q->len > 0) {
		if (q->len - 1 > INT64_MAX - start)
			return -EOVERFLOW;
		*s = (uint64_t)start, *e = (uint64_t)(start + q->len - 1);
	} else if (q->len == 0) {
		*s = (uint64_t)start, *e = UINT64_MAX;
	} else {
		if (q->len < -start)
			return -EINVAL;
		*s = (uint64_t)(start + q->len), *e = (uint64_t)start - 1;
		if (start == 0)
			return -EINVAL; /* an empty range before 0 */
	}
	return 0;
}

/* getlk: F_GETLK: the first lock that would block q, into the answer (type
 * F_UNLCK when none would). */
static long getlk(struct srv_lock *q, int64_t owner, int ino, uint64_t s, uint64_t e, struct srv_chan *c)
{
	if (q->type != F_RDLCK && q->type != F_WRLCK)
		return -EINVAL;
	const struct lock *l = conflict(owner, ino, q->type, s, e);
	if (l) {
		q->type = l->type;
		q->whence = SEEK_SET;
		q->start = (int64_t)l->s;
		q->len = l->e == UINT64_MAX ? 0 : (int64_t)(l->e - l->s + 1);
		q->pid = l->owner > 0 ? (int32_t)l->owner : -1;
	} else {
		q->type = F_UNLCK;
	}
	memcpy(c->data, q, sizeof *q);
	return 0;
}

/* setlk: F_SETLK / F_SETLKW (wait) for owner on ino. Returns 0, -EAGAIN (held by
 * another), -EDEADLK, -ENOLCK (no room in the table) or SRV_BLOCKED. */
static long setlk(const struct srv_lock *q, int64_t owner, int ino, uint64_t s, uint64_t e, bool wait)
{
	struct wait *me = &waits[task.self - PROCTAB->p];
	if (q->type != F_UNLCK && conflict(owner, ino, q->type, s, e)) {
		if (!wait)
			return -EAGAIN;
		if (deadlock(owner, ino, q->type, s, e))
			return -EDEADLK;
		*me = (struct wait){ .pid = task.pid, .ino = ino, .type = q->type, .owner = owner, .s = s, .e = e };
		waiters_add(lock_waiters);
		return SRV_BLOCKED;
	}
	if (free_entries() < 2)
		return -ENOLCK; /* a split and a new lock need two entries at most */
	bool freed = unlock(owner, ino, s, e);
	if (q->type != F_UNLCK) {
		absorb(owner, ino, q->type, &s, &e);
		lock_new(owner, ino, q->type, s, e);
	}
	if (freed)
		waiters_wake(lock_waiters); /* a downgrade or an unlock may let others in */
	return 0;
}

void lock_release(int64_t owner, int ino)
{
	if (unlock(owner, ino, 0, UINT64_MAX))
		waiters_wake(lock_waiters);
}

int64_t lock_file_owner(const struct ofile *f)
{
	return -1 - (int64_t)(f - FS->file);
}

long srv_lock_request(const struct srv_req *rq, struct srv_chan *c)
{
	struct srv_lock q;
	memcpy(&q, rq->data, sizeof q);
	waits[task.self - PROCTAB->p].pid = 0; /* whatever it waited for, it asks anew */
	waiters_drop(lock_waiters);
	if (q.cmd == SRV_LOCK_CANCEL)
		return 0;
	struct ofile *f = fd_file((int)rq->a[0]);
	if (!f)
		return -EBADF;
	if (f->type != F_TMP)
		return -EINVAL; /* only /tmp files take locks */
	int64_t owner = q.flock ? lock_file_owner(f) : task.pid;
	uint64_t s = 0, e = UINT64_MAX;
	int err = q.flock ? 0 : range(&q, f, &s, &e);
	if (err)
		return err;
	if (q.cmd == F_GETLK)
		return getlk(&q, owner, f->idx, s, e, c);
	if (q.cmd != F_SETLK && q.cmd != F_SETLKW)
		return -EINVAL;
	int acc = (int)(f->flags & O_ACCMODE);
	if ((q.type == F_RDLCK && acc == O_WRONLY && !q.flock) || (q.type == F_WRLCK && acc == O_RDONLY && !q.flock))
		return -EBADF;
	if (q.type != F_RDLCK && q.type != F_WRLCK && q.type != F_UNLCK)
		return -EINVAL;
	return setlk(&q, owner, f->idx, s, e, q.cmd == F_SETLKW);
}
