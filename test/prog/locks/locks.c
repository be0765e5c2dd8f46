/* locks: POSIX record locks (fcntl F_GETLK, F_SETLK, F_SETLKW) and flock on /tmp
 * files, between processes: read and write locks, byte ranges (split, joined,
 * to the end of the file), refused (EAGAIN) and waited for, released when the
 * holder closes any descriptor of the file, exits or is killed, not inherited by
 * fork, a wait ended by a signal (EINTR), a two-process cycle (EDEADLK). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../check.h"

#define F "/tmp/lockfile"

static int lk(int fd, int cmd, int type, long start, long len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	return fcntl(fd, cmd, &fl);
}

/* getlk: F_GETLK for [start, start+len) of type; the answer in *fl. */
static struct flock getlk(int fd, int type, long start, long len)
{
	struct flock fl = { .l_type = (short)type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	CHECK_EQ(fcntl(fd, F_GETLK, &fl), 0);
	return fl;
}

/* A pipe to hear from a child that it is ready ("r") or what it saw. */
static int sync_pipe[2], go_pipe[2];

static void tell(char c)
{
	CHECK_EQ(write(sync_pipe[1], &c, 1), 1);
}

static char hear(void)
{
	char c = 0;
	CHECK_EQ(read(sync_pipe[0], &c, 1), 1);
	return c;
}

static void wait_go(void)
{
	char c;
	CHECK_EQ(read(go_pipe[0], &c, 1), 1);
}

static void go(void)
{
	CHECK_EQ(write(go_pipe[1], "g", 1), 1);
}

static int status_of(pid_t pid)
{
	int st = -1;
	CHECK_EQ(waitpid(pid, &st, 0), pid);
	return st;
}

/* A child's view of the file: can it take a lock of type on [start, len)? */
static int try_child(long arg)
{
	int type = (int)(arg & 0xff);
	long start = (arg >> 8) & 0xffff, len = arg >> 24;
	int fd = open(F, O_RDWR);
	if (fd < 0)
		return 100;
	if (lk(fd, F_SETLK, type, start, len) == 0)
		return 0;
	return errno == EAGAIN ? 1 : 101;
}

static int try_from_child(int type, long start, long len)
{
	pid_t c = check_spawn(try_child, type | (start << 8) | (len << 24));
	int st = status_of(c);
	CHECK(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* Holder: takes a write lock on [0, 10), says so, and waits to be told, then exits
 * (or closes a dup of the descriptor first, by arg). */
static int holder(long arg)
{
	int fd = open(F, O_RDWR);
	if (fd < 0 || lk(fd, F_SETLK, F_WRLCK, 0, 10) < 0)
		return 1;
	tell('r');
	wait_go();
	if (arg == 1) { /* close another descriptor of the file: the lock goes */
		int other = open(F, O_RDONLY);
		close(other);
		tell('c');
		wait_go();
	}
	return 0;
}

/* Waiter: F_SETLKW on [5, 6) must wait until the holder lets go. */
static int waiter(long arg)
{
	(void)arg;
	int fd = open(F, O_RDWR);
	if (fd < 0)
		return 1;
	tell('w');
	if (lk(fd, F_SETLKW, F_WRLCK, 5, 1) < 0)
		return 2;
	tell('g');
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int interrupted(long arg)
{
	(void)arg;
	int fd = open(F, O_RDWR);
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	int r = lk(fd, F_SETLKW, F_WRLCK, 0, 1);
	return r == -1 && errno == EINTR ? 0 : 1;
}

/* Deadlock: this child holds [20, 21) and waits for [0, 1), which the parent
 * holds; the parent then waits for [20, 21): one of the two gets EDEADLK. */
static int cycle(long arg)
{
	(void)arg;
	int fd = open(F, O_RDWR);
	if (lk(fd, F_SETLK, F_WRLCK, 20, 1) < 0)
		return 1;
	tell('r');
	int r = lk(fd, F_SETLKW, F_WRLCK, 0, 1);
	return r == 0 ? 0 : errno == EDEADLK ? 3 : 2;
}

static int fork_child(long fd)
{
	/* Not inherited: F_GETLK in the child sees the parent's lock as another's. */
	struct flock fl = getlk((int)fd, F_WRLCK, 0, 1);
	return fl.l_type == F_WRLCK && fl.l_pid == getppid() ? 0 : 1;
}

static int flock_child(long arg)
{
	int fd = open(F, O_RDWR);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno != EWOULDBLOCK)
		return 2;
	if (arg && flock(fd, LOCK_SH | LOCK_NB) == 0)
		return 3;
	return 1;
}

int main(void)
{
	CHECK_EQ(pipe(sync_pipe), 0);
	CHECK_EQ(pipe(go_pipe), 0);
	int fd = open(F, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "0123456789abcdef", 16), 16);

	/* Ranges: a read lock on [0, 100), a write lock in the middle splits it. */
	CHECK_EQ(lk(fd, F_SETLK, F_RDLCK, 0, 100), 0);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, 40, 10), 0);
	CHECK_EQ(try_from_child(F_RDLCK, 0, 40), 0);  /* read locks share */
	CHECK_EQ(try_from_child(F_WRLCK, 0, 40), 1);  /* write refused: EAGAIN */
	CHECK_EQ(try_from_child(F_RDLCK, 45, 1), 1);  /* inside the write lock */
	CHECK_EQ(try_from_child(F_WRLCK, 100, 50), 0); /* past the end of our locks */
	struct flock fl = getlk(fd, F_WRLCK, 0, 0);
	CHECK_EQ(fl.l_type, F_UNLCK); /* our own locks never block us */
	/* Unlock the middle of the write lock: the read parts stay. */
	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, 42, 2), 0);
	CHECK_EQ(try_from_child(F_RDLCK, 42, 2), 0);
	CHECK_EQ(try_from_child(F_RDLCK, 40, 2), 1);
	CHECK_EQ(try_from_child(F_WRLCK, 10, 1), 1);
	/* Unlock everything, then lock to the end of the file (l_len 0) from SEEK_END. */
	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, 0, 0), 0);
	CHECK_EQ(try_from_child(F_WRLCK, 0, 1000), 0);
	struct flock eof = { .l_type = F_WRLCK, .l_whence = SEEK_END, .l_start = -6, .l_len = 0 };
	CHECK_EQ(fcntl(fd, F_SETLK, &eof), 0);
	CHECK_EQ(try_from_child(F_RDLCK, 9, 1), 0);
	CHECK_EQ(try_from_child(F_RDLCK, 10, 1), 1);
	CHECK_EQ(try_from_child(F_RDLCK, 5000, 1), 1);
	/* Adjacent locks of one type join: unlocking one byte leaves two. */
	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, 0, 0), 0);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, 0, 5), 0);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, 5, 5), 0);
	/* F_GETLK from a child sees one lock [0, 10) held by us. */
	pid_t c = check_spawn(fork_child, fd);
	CHECK_EQ(status_of(c), 0);
	/* Bad arguments. */
	struct flock bad = { .l_type = 7, .l_whence = SEEK_SET };
	errno = 0;
	CHECK_EQ(fcntl(fd, F_SETLK, &bad), -1);
	CHECK_EQ(errno, EINVAL);
	bad = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = -1, .l_len = 1 };
	CHECK_EQ(fcntl(fd, F_SETLK, &bad), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(fcntl(fd, F_SETLK, (struct flock *)8), -1);
	CHECK_EQ(errno, EFAULT);
	CHECK_EQ(lk(99, F_SETLK, F_RDLCK, 0, 1), -1);
	CHECK_EQ(errno, EBADF);
	int ro = open(F, O_RDONLY);
	CHECK_EQ(lk(ro, F_SETLK, F_WRLCK, 0, 1), -1); /* a write lock needs a writable descriptor */
	CHECK_EQ(errno, EBADF);
	CHECK_EQ(lk(0, F_SETLK, F_RDLCK, 0, 1), -1); /* the console takes none */
	CHECK_EQ(errno, EINVAL);
	/* Closing ANY descriptor of the file releases our locks (POSIX). */
	CHECK_EQ(close(ro), 0);
	CHECK_EQ(try_from_child(F_WRLCK, 0, 10), 0);
	printf("locks: ranges, split and joined, read and write, F_GETLK, errors, close ok\n");

	/* F_SETLK refused, F_SETLKW waits until the holder exits. */
	c = check_spawn(holder, 0);
	CHECK_EQ(hear(), 'r');
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, 0, 1), -1);
	CHECK_EQ(errno, EAGAIN);
	fl = getlk(fd, F_RDLCK, 3, 1);
	CHECK_EQ(fl.l_type, F_WRLCK);
	CHECK_EQ(fl.l_pid, c);
	CHECK_EQ(fl.l_start, 0);
	CHECK_EQ(fl.l_len, 10);
	pid_t w = check_spawn(waiter, 0);
	CHECK_EQ(hear(), 'w');
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	go(); /* the holder exits; the waiter gets the lock */
	CHECK_EQ(hear(), 'g');
	CHECK_EQ(status_of(c), 0);
	CHECK_EQ(status_of(w), 0);
	/* ... and until the holder closes another descriptor of the file. */
	c = check_spawn(holder, 1);
	CHECK_EQ(hear(), 'r');
	w = check_spawn(waiter, 0);
	CHECK_EQ(hear(), 'w');
	go();
	CHECK_EQ(hear(), 'c');
	CHECK_EQ(hear(), 'g'); /* the waiter got it while the holder still runs */
	go();
	CHECK_EQ(status_of(c), 0);
	CHECK_EQ(status_of(w), 0);
	/* ... and until the holder is killed. */
	c = check_spawn(holder, 0);
	CHECK_EQ(hear(), 'r');
	CHECK_EQ(try_from_child(F_RDLCK, 0, 1), 1);
	CHECK_EQ(kill(c, SIGKILL), 0);
	CHECK_EQ(status_of(c), SIGKILL);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, 0, 10), 0);
	printf("locks: F_SETLK refused, F_SETLKW waits for exit, close and kill ok\n");

	/* Not inherited by fork (the child sees ours as another's: fork_child above),
	 * and a wait a signal ends is EINTR. */
	c = check_spawn(interrupted, 0);
	CHECK_EQ(status_of(c), 0);
	/* EDEADLK: we hold [0, 1); the child holds [20, 21) and waits for [0, 1). */
	c = check_spawn(cycle, 0);
	CHECK_EQ(hear(), 'r');
	nanosleep(&ts, NULL);
	int r = lk(fd, F_SETLKW, F_WRLCK, 20, 1);
	int e = errno;
	if (r == -1) {
		CHECK_EQ(e, EDEADLK);
		CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, 0, 0), 0); /* the child now gets it */
		CHECK_EQ(WEXITSTATUS(status_of(c)), 0);
	} else {
		CHECK_EQ(WEXITSTATUS(status_of(c)), 3); /* it found the cycle first */
	}
	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, 0, 0), 0);
	printf("locks: not inherited by fork, EINTR, EDEADLK ok\n");

	/* flock: held by the open file; LOCK_NB refused; shared locks share; gone
	 * with the last close. */
	CHECK_EQ(flock(fd, LOCK_EX), 0);
	c = check_spawn(flock_child, 1);
	CHECK_EQ(WEXITSTATUS(status_of(c)), 1);
	CHECK_EQ(flock(fd, LOCK_SH), 0);
	c = check_spawn(flock_child, 0);
	CHECK_EQ(WEXITSTATUS(status_of(c)), 1);
	CHECK_EQ(flock(fd, LOCK_UN), 0);
	c = check_spawn(flock_child, 0);
	CHECK_EQ(WEXITSTATUS(status_of(c)), 0);
	CHECK_EQ(flock(fd, 0), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(close(fd), 0);
	printf("locks: flock ok\n");
	check_done("locks");
}
