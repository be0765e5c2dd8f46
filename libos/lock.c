/* Record locks (client side): fcntl's F_GETLK, F_SETLK and F_SETLKW, and flock.
 * The locks themselves are the server's (srv_lock.c); here the caller's
 * arguments are checked and carried there. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "fs.h"
#include "proc.h"
#include "srv.h"

/* lock_call: SRV_LOCK for fd with q; a wait (F_SETLKW) a signal ends is
 * forgotten by the server before we return -EINTR. Returns the answer. */
static long lock_call(int fd, struct srv_lock *q)
{
	struct srv_chan *c = srv_chan();
	if (!c)
		return -ENOSYS;
	memcpy(c->data, q, sizeof *q);
	if (q->cmd != F_SETLKW)
		return srv_call(SRV_LOCK, fd, 0, 0);
	long r = srv_call_wait(SRV_LOCK, fd, 0, 0);
	if (r == -EINTR) {
		q->cmd = SRV_LOCK_CANCEL;
		memcpy(c->data, q, sizeof *q);
		srv_call(SRV_LOCK, fd, 0, 0);
	}
	return r;
}

int libos_fcntl_lock(int fd, int cmd, struct flock *fl)
{
	int err = libos_user_range(fl, sizeof *fl, cmd == F_GETLK);
	if (err) {
		errno = err;
		return -1;
	}
	struct srv_lock q = { .cmd = cmd, .type = fl->l_type, .whence = fl->l_whence,
			      .start = fl->l_start, .len = fl->l_len };
	long r = lock_call(fd, &q);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	if (cmd == F_GETLK) {
		memcpy(&q, SRV_CHAN->data, sizeof q);
		fl->l_type = (short)q.type;
		if (q.type != F_UNLCK) {
			fl->l_whence = SEEK_SET;
			fl->l_start = q.start;
			fl->l_len = q.len;
			fl->l_pid = (short)q.pid;
		}
	}
	return 0;
}

/* flock: a whole-file lock held by the open file (shared by its dup'd and
 * inherited descriptors; it goes when the last of them closes): op LOCK_SH,
 * LOCK_EX or LOCK_UN, with LOCK_NB not to wait. flock locks and fcntl locks of
 * other owners exclude each other here. Returns 0, or -1 with EBADF, EINVAL (a
 * bad op, or fd is not a /tmp file), EWOULDBLOCK (LOCK_NB, held by another),
 * EINTR (a signal ended the wait) or ENOLCK. */
int flock(int fd, int op)
{
	int kind = op & ~LOCK_NB;
	struct srv_lock q = { .cmd = (op & LOCK_NB) ? F_SETLK : F_SETLKW, .flock = 1,
			      .type = kind == LOCK_SH ? F_RDLCK : kind == LOCK_EX ? F_WRLCK : F_UNLCK };
	if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN) {
		errno = EINVAL;
		return -1;
	}
	long r = lock_call(fd, &q);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return 0;
}
