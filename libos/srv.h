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
	SRV_EXEC,      /* a0 = new child environment that takes our place, data = cmd */
	SRV_DISCARD,   /* a0 = pid of a child we registered that never ran: drop it */
	SRV_EXIT,      /* a0 = wait status: never answered, we end */
	SRV_WAIT,      /* a0 = pid, a1 = options: r[0] = wait status; returns pid, 0, or blocks */
	SRV_KILL,      /* a0 = pid, a1 = signal */
	SRV_OPEN,      /* data = path, a0 = flags */
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
	SRV_MKDIR,     /* data = resolved path */
	SRV_UNLINK,    /* data = resolved path, a0 = 1 for rmdir */
	SRV_RENAME,    /* data = two resolved paths, at 0 and SRV_PATH2 */
	SRV_READDIR,   /* data = resolved /tmp dir, a0 = cursor: r[0] = next cursor, r[1] =
			* type, name in data; returns 1, or 0 at the end */
	SRV_CHDIR,     /* data = resolved path */
	SRV_PREAD,     /* a0 = fd, a1 = count, a2 = offset: bytes in data; the file's offset stays */
	SRV_PWRITE,    /* a0 = fd, a1 = count in data, a2 = offset; the file's offset stays */
	SRV_TRUNCATE,  /* a0 = fd, a1 = length */
	SRV_NOPS
};

/* A request's answer when the caller must wait (a pipe, waitpid): it has been
 * recorded as a waiter and is woken (env_wake) when it should ask again. */
#define SRV_BLOCKED (-1000)
#define SRV_PATH2 256

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
#define SRV_DATA 16256 /* SRV_CHAN_SIZE - the header: a pipe's whole buffer fits */
#define SRV_CHAN ((struct srv_chan *)LIBOS_CHAN)
_Static_assert(sizeof(struct srv_chan) + SRV_DATA == SRV_CHAN_SIZE, "the header and data fill the channel");

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
/* srv_call_wait: srv_call, and while the answer is SRV_BLOCKED, block and ask again. */
long srv_call_wait(int op, int64_t a0, int64_t a1, int64_t a2);
/* srv_hello: make our channel and introduce ourselves; sets task.pid/self/env.
 * Returns 0 or -1 (no channel could be made, or the server does not know us). */
int srv_hello(void);
/* srv_env: the server's environment id. */
envid_t srv_env(void);

/* A pid the file requests act on instead of the caller's own (posix_spawn's file
 * actions on the child it is making), or 0. */
extern int srv_target;

/* srv.c (server side). srv_boot: become the server of a new system: make the shared
 * tables, start the program of boot module 0 with argv/envp as pid 1, and serve
 * until pid 1 ends. Does not return. */
void srv_boot(char **argv, char **envp) __attribute__((noreturn));

#endif
