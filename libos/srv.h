/*
 * The libOS server: the one environment that may change what processes share.
 *
 * The process table, the open files, /tmp and pipes (proc.h, fs.h) are written
 * only by the server, the root environment (every other is its descendant). Every
 * process maps the tables read-only (a pt_share view: it sees each change at once
 * and cannot write a byte of them) and asks the server for every change through
 * its channel: pages shared with the server alone, at LIBOS_CHAN. A request is
 * written there, announced with ipc_send (which names the sender: the kernel's id,
 * which cannot be forged), and answered there (the client gives the server its
 * CPU until the answer is there). The
 * server copies each request out of the channel before it looks at it, checks it
 * against the caller's own entry, and never touches any other memory of a client.
 * File data and pipe buffers live in the server's private memory.
 *
 * Teardown needs nothing from the dying process: the server watches every
 * environment (env_watch) and releases what an ended one held when the kernel's
 * death note comes, exactly as it does for exit and kill.
 */
#ifndef LIBOS_SRV_H
#define LIBOS_SRV_H
#include <stdint.h>
#include "libos.h"

enum srv_op {
	SRV_HELLO = 1, /* bind our channel (the server maps it); r[0] = our pid, r[1] = our slot */
	SRV_FORK,      /* a0 = new child environment: register it; returns its pid */
	SRV_SPAWN,     /* a0 = new child environment (exec'd image), data = cmd: register; pid */
	SRV_EXEC,      /* a0 = new child environment that takes our place, data = cmd,
			* a1 = ignored signals, a2 = blocked signals (they survive exec) */
	SRV_DISCARD,   /* a0 = pid of a child we registered that never ran: drop it */
	SRV_EXIT,      /* a0 = wait status: never answered, we end */
	SRV_WAIT,      /* a0 = pid (-1 any, 0 our group, < -1 group -a0), a1 = options:
			* r[0] = wait status; returns pid, 0, or blocks */
	SRV_KILL,      /* a0 = pid (> 0, 0: our group, -1: all, < -1: group -a0), a1 = signal */
	SRV_OPEN,      /* data = path, a0 = flags, a1 = trailing '/', a2 = mode (O_CREAT) */
	SRV_CLOSE,     /* a0 = fd */
	SRV_READ,      /* a0 = fd, a1 = count: bytes in data (initrd: r[0] = offset) */
	SRV_WRITE,     /* a0 = fd, a1 = count in data, a2 = the whole write's size */
	SRV_LSEEK,     /* a0 = fd, a1 = offset, a2 = whence */
	SRV_DUP,       /* a0 = fd, a1 = lowest new fd, a2 = close-on-exec */
	SRV_DUP2,      /* a0 = fd, a1 = fd2 */
	SRV_SETFD,     /* a0 = fd, a1 = close-on-exec */
	SRV_SETFL,     /* a0 = fd, a1 = flags */
	SRV_CLOEXEC,   /* close the descriptors marked close-on-exec (spawn's child) */
	SRV_PIPE,      /* r[0], r[1] = the two fds */
	SRV_STAT,      /* data = resolved path: struct stat in data */
	SRV_MKDIR,     /* data = resolved path, a0 = mode */
	SRV_UNLINK,    /* data = resolved path, a0 = 1 for rmdir */
	SRV_RENAME,    /* data = two resolved paths, at 0 and SRV_PATH2 */
	SRV_READDIR,   /* data = resolved /tmp dir, a0 = cursor: r[0] = next cursor, r[1] =
			* type, name in data; returns 1, or 0 at the end */
	SRV_CHDIR,     /* data = resolved path */
	SRV_SETPGID,   /* a0 = pid (0: us), a1 = pgid (0: that pid) */
	SRV_SETSID,    /* a new session: returns its id */
	SRV_TCSETPGRP, /* a0 = the console's new foreground process group */
	SRV_TCSETATTR, /* data = struct termios, a0 = TCSANOW / TCSADRAIN / TCSAFLUSH */
	SRV_TCFLUSH,   /* a0 = TCIFLUSH / TCOFLUSH / TCIOFLUSH */
	SRV_TCSETWINSZ,/* a0 = rows, a1 = columns */
	SRV_PREAD,     /* a0 = fd, a1 = count, a2 = offset: bytes in data; the file's offset stays */
	SRV_PWRITE,    /* a0 = fd, a1 = count in data, a2 = offset; the file's offset stays */
	SRV_TRUNCATE,  /* a0 = fd, a1 = length */
	SRV_CHMOD,     /* data = resolved path, a0 = mode, a1 = the path ended with '/' */
	SRV_FCHMOD,    /* a0 = fd, a1 = mode */
	SRV_UMASK,     /* a0 = the new mask: returns the old */
	SRV_MMAP,      /* a0 = fd, a1 = offset, data = struct srv_mmap: map a /tmp file's
			* pages into us; returns the pages mapped (up to the end of file) */
	SRV_LOCK,      /* a0 = fd, data = struct srv_lock: a record lock or flock (srv_lock.c) */
	SRV_SYMLINK,   /* data = the target, at SRV_PATH2 the resolved path of the new link */
	SRV_SETATTR,   /* a0 = fd, or -1: the resolved path in data; a1 = SRV_ATTR_*; at
			* SRV_PATH2 a struct srv_attr (srv_attr.c) */
	SRV_THREAD,    /* a0 = an environment in our address space (exofork_shared) that
			* runs a thread of ours: it may ask as us, and ends with us */
	SRV_SETHOSTNAME, /* data = the name, a0 = its length (srv_sys.c) */
	SRV_SETRLIMIT, /* a0 = resource, a1 = soft limit, a2 = hard limit (srv_sys.c) */
	SRV_POLL,      /* data = struct srv_pollfd[a0], a1: become a waiter of what is not
			* ready; returns how many are ready (revents in data) or SRV_BLOCKED */
	SRV_NOPS
};

/* A request's answer when the caller must wait (a pipe, waitpid): it has been
 * recorded as a waiter and is woken (env_wake) when it should ask again. */
#define SRV_BLOCKED (-1000)
#define SRV_PATH2 256

/* A process's signal state, at the end of its channel. The process writes its
 * dispositions and mask here (the server reads them to decide what a signal does);
 * the server adds pending signals (atomically) and the process takes them. */
struct srv_sigstate {
	volatile uint64_t pending;  /* bit n: signal n is pending */
	uint64_t blocked;           /* the signal mask */
	uint64_t caught;            /* signals with a handler */
	uint64_t ignored;           /* signals set to SIG_IGN */
	uint32_t flags;             /* SRV_SIG_NOCLDSTOP, SRV_SIG_NOCLDWAIT */
	uint32_t pad;
	struct {
		int32_t pid, code, status, pad;
	} info[64];                 /* who sent pending signal n, and why */
};
#define SRV_SIG_NOCLDSTOP 1  /* SIGCHLD's SA_NOCLDSTOP */
#define SRV_SIG_NOCLDWAIT 2  /* SIGCHLD's SA_NOCLDWAIT, or SIGCHLD ignored */

/* The channel page. The client writes the request and seq; the server writes
 * ret, r and data, then done = seq. */
struct srv_chan {
	uint64_t seq;
	int32_t op;
	int32_t target;   /* 0, or the pid of an unstarted child we registered (spawn) */
	int64_t a[4];
	volatile uint64_t done;
	int64_t ret;      /* >= 0, -errno, or SRV_BLOCKED */
	int64_t r[2];
	uint64_t pad[6];
	char data[];      /* up to SRV_DATA bytes */
};
#define SRV_CHAN_SIZE (LIBOS_CHAN_PAGES * PAGE_SIZE)
#define SRV_DATA 15168 /* SRV_CHAN_SIZE - the header and the signal state: a pipe's whole buffer fits */
#define SRV_CHAN_REAL ((struct srv_chan *)LIBOS_CHAN) /* the one the server reads */
/* The calling thread's view of the channel: the channel itself while the process
 * has one thread; once it has more, each thread's own copy (its TCB keeps it at
 * %fs:0x38, libos/thread.h), which a request is copied from and its answer back
 * to under the channel's lock (rpc.c). Requests fill SRV_CHAN->data and read the
 * answer there. */
static inline struct srv_chan *srv_chan_mine(void)
{
	struct srv_chan *c;
	__asm__("movq %%fs:0x38, %0" : "=r"(c));
	return c;
}
#define SRV_CHAN (srv_chan_mine())
#define SRV_SIG ((struct srv_sigstate *)(LIBOS_CHAN + SRV_CHAN_SIZE - sizeof(struct srv_sigstate)))
_Static_assert(sizeof(struct srv_chan) + SRV_DATA + sizeof(struct srv_sigstate) <= SRV_CHAN_SIZE,
	       "the header, the data and the signal state fit the channel");

/* SRV_MMAP's arguments. */
struct srv_mmap {
	uint64_t addr, npages;
	int32_t shared, writable;
};

/* SRV_LOCK's arguments, and F_GETLK's answer (type, start, len, pid). */
struct srv_lock {
	int32_t cmd;      /* F_GETLK, F_SETLK, F_SETLKW, or SRV_LOCK_CANCEL */
	int32_t type;     /* F_RDLCK, F_WRLCK, F_UNLCK */
	int32_t whence;   /* SEEK_SET, SEEK_CUR, SEEK_END */
	int32_t flock;    /* 1: a flock() lock, owned by the open file, not the process */
	int64_t start, len;
	int32_t pid;      /* F_GETLK: the holder (-1: an open file's flock) */
	int32_t pad;
};
#define SRV_LOCK_CANCEL 0 /* a wait of ours ended by a signal: forget it */

/* SRV_POLL's entries (at most SRV_POLL_MAX). */
struct srv_pollfd {
	int32_t fd;
	int16_t events, revents;
};
#define SRV_POLL_MAX 64

/* SRV_SETATTR's arguments: a new owner (-1: that id stays) or new times
 * (tv_nsec UTIME_OMIT: that time stays; UTIME_NOW is made a time by the client). */
struct srv_attr {
	int64_t uid, gid;
	struct { int64_t sec, nsec; } t[2]; /* access, modification */
};
#define SRV_ATTR_OWNER 1
#define SRV_ATTR_TIMES 2

/* The server's private copy of a request (it never reads the channel twice). */
struct srv_req {
	int op, target;
	int64_t a[4];
	char data[SRV_DATA + 1];
};

/* rpc.c (client side). srv_call: make request op (arguments already in the
 * channel's data if it has any) and wait for the answer. Returns the answer's ret.
 * The first call of an environment binds a channel (srv_hello). */
long srv_call(int op, int64_t a0, int64_t a1, int64_t a2);
/* srv_chan: our channel (made with a hello by an environment's first request),
 * for a request's data; NULL if we can have none (then srv_call gives -ENOSYS). */
struct srv_chan *srv_chan(void);
/* srv_call_wait: srv_call, and while the answer is SRV_BLOCKED, block and ask
 * again; a signal whose handler lacks SA_RESTART ends the wait with -EINTR. */
long srv_call_wait(int op, int64_t a0, int64_t a1, int64_t a2);
/* srv_hello: make our channel and introduce ourselves; sets task.pid/self/env.
 * Returns 0 or -1 (no channel could be made, or the server does not know us). */
int srv_hello(void);
/* srv_env: the server's environment id. */
envid_t srv_env(void);

/* A pid the file requests act on instead of the caller's own (posix_spawn's file
 * actions on the child it is making), or 0. */
extern int srv_target;

/* Server internals (srv.c, srv_sig.c), for the server's own files. */
struct proc;
/* srv_proc_find: the live (running or zombie) entry of pid, or NULL. */
struct proc *srv_proc_find(int pid);
/* srv_sigstate_of: p's signal state in its channel, or NULL if it has none yet. */
struct srv_sigstate *srv_sigstate_of(struct proc *p);
/* srv_end: end running process p now with wait status wstatus (its environment
 * ends, then release: the one teardown path). */
void srv_end(struct proc *p, int wstatus);
/* srv_each_thread: call fn on each thread environment of running process p
 * (SRV_THREAD; not its first environment, p->env). */
void srv_each_thread(struct proc *p, void (*fn)(envid_t));
/* srv_wake: wake every environment of p (each re-checks what it waits for). */
void srv_wake(struct proc *p);
/* srv_threaded: has p registered threads? */
bool srv_threaded(const struct proc *p);
/* srv_signal: deliver signal sig to p (code, pid, status: its siginfo). */
void srv_signal(struct proc *p, int sig, int code, int pid, int status);
/* srv_child_event: tell c's parent that c exited, was killed, stopped or
 * continued (code CLD_*, status): SIGCHLD (unless SA_NOCLDSTOP says not for a stop
 * or continue), and a wake-up for its waitpid. */
void srv_child_event(struct proc *c, int code, int status);
/* srv_kill: signal sig from me to pid (kill's targets). 0 or -EINVAL / -ESRCH.
 * srv_signal_group: sig from the terminal to every process of group pgid. */
void srv_signal_group(int pgid, int sig);
long srv_kill(struct proc *me, int pid, int sig);
/* srv_setpgid / srv_setsid / srv_tcsetpgrp: as POSIX, for me. Return 0 (setsid:
 * the session id) or -errno. */
long srv_setpgid(struct proc *me, int pid, int pgid);
long srv_setsid(struct proc *me);
long srv_tcsetpgrp(struct proc *me, int pgrp);

/* srv_tty.c: the console. srv_tty_start: the default settings, and the reader
 * environment that hands the console's input to the server (0 or -1).
 * srv_tty_message: if m is the reader's, take the input it carries (true).
 * srv_tty_read: a read of up to n bytes (into out) for task.self: the count, 0 at
 * end of file, -EAGAIN, -EIO (a background read that cannot be stopped) or
 * SRV_BLOCKED (nowait: what is there, even 0). srv_tty_request: SRV_TCSETATTR,
 * SRV_TCFLUSH, SRV_TCSETWINSZ. */
int srv_tty_start(void);
bool srv_tty_message(const struct exo_ipc_msg *m);
long srv_tty_read(int flags, char *out, size_t n, bool nowait);
long srv_tty_request(const struct srv_req *rq);
/* srv_tty_readable: would a read of the console by task.self return now (a line,
 * or bytes in raw mode)? If not and wait, task.self becomes a waiter for input. */
bool srv_tty_readable(bool wait);

#define TTY_IN 4096     /* console bytes queued for readers (MAX_INPUT) */
#define TTY_EDIT 512    /* the console line being edited (MAX_CANON) */

/* srv_sys.c: SRV_SETHOSTNAME and SRV_SETRLIMIT for process me. */
long srv_sys_request(struct proc *me, const struct srv_req *rq);

/* srv.c (server side). srv_boot: become the server of a new system: make the shared
 * tables, start the program of boot module 0 with argv/envp as pid 1, and serve
 * until pid 1 ends. Does not return. */
void srv_boot(char **argv, char **envp) __attribute__((noreturn));

#endif
