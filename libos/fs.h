/*
 * The libOS file layer's state: the open-file table, the /tmp inodes, pipes and the
 * data-block map sit beside the process table in the view every process has
 * (read-only; only the server writes them, see srv.h). The data blocks (file
 * contents, pipe buffers) are the server's private memory. Per-process descriptor
 * tables are in the process table (proc.h), so they survive exec.
 */
#ifndef LIBOS_FS_H
#define LIBOS_FS_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "libos.h"
#include "proc.h"
#include "srv.h"

#define USHARED_LO  UPROCS                       /* the view: one page table */
#define UFSMETA     (UPROCS + (512UL << 10))     /* struct fsroot (same page table as UPROCS) */
#define USHARED_HI  (UPROCS + LARGE_PAGE_SIZE)
#define UFSDATA     (UPROCS + (2UL << 20))       /* server only: data blocks, 4 KiB each */
#define FS_BLOCKS   1024                         /* 4 MiB of /tmp data and pipe buffers */

#define NFILE 512          /* open files in the system */
#define NINODE 128         /* files and directories in /tmp */
#define NPIPE 64
#define MAXFILEBLOCKS 256  /* 1 MiB per /tmp file */
#define PIPE_BLOCKS 2      /* 8 KiB pipe buffer */
#define PATH_MAX_LEN 120

enum ftype { F_NONE, F_CONSOLE, F_INITRD, F_TMP, F_DIR, F_PIPE_R, F_PIPE_W, F_NULL, F_ZERO, F_RANDOM };

struct inode {
	uint32_t used;
	uint32_t is_dir;
	uint32_t opens;            /* open files on it: a removed name's data lives until 0 */
	uint32_t pad;
	uint64_t size;
	char path[PATH_MAX_LEN];   /* absolute, normalised: "/tmp/a/b" */
	uint32_t nblocks;
	uint32_t blocks[MAXFILEBLOCKS];
};

struct ofile {
	uint32_t ref;              /* descriptors (in any process) that point here */
	uint32_t type;             /* enum ftype */
	uint32_t flags;            /* O_ACCMODE | O_APPEND | O_NONBLOCK */
	int32_t idx;               /* inode (F_TMP) or pipe (F_PIPE_*) */
	uint64_t off;
	const char *data;          /* F_INITRD: the file's bytes in the shared initrd */
	uint64_t size;             /* F_INITRD */
	char path[PATH_MAX_LEN];   /* F_DIR and F_INITRD: for fstat and readdir */
};

/* Processes blocked on a pipe (either side): one bit per process-table slot (the
 * index of task.self in PROCTAB->p), so every process fits and none is dropped; a
 * wake reads the slot's environment from the table. */
#define PIPE_WAITER_WORDS ((NPROC + 63) / 64)
struct pipe {
	uint32_t used;
	uint32_t readers, writers; /* open files on each end */
	uint64_t rpos, wpos;       /* bytes read and written so far */
	uint32_t blocks[PIPE_BLOCKS];
	uint64_t waiters[PIPE_WAITER_WORDS];
};

struct fsroot {
	struct ofile file[NFILE];
	struct inode inode[NINODE];
	struct pipe pipe[NPIPE];
	uint8_t blockmap[FS_BLOCKS / 8];
};
#define FS ((struct fsroot *)UFSMETA)
#define FSROOT_PAGES ((sizeof(struct fsroot) + PAGE_SIZE - 1) / PAGE_SIZE)

_Static_assert(sizeof(struct fsroot) <= (1UL << 20), "fsroot fits beside the process table");

static inline char *block_addr(uint32_t b) { return (char *)(UFSDATA + (uint64_t)b * PAGE_SIZE); }

/* fs.c (server side unless marked) */
/* fs_region_create: make the view's pages (process table, file tables) and the
 * empty data area. Returns 0 or -1. */
int fs_region_create(void);
/* fs_block_alloc / fs_block_free: a zeroed data block, or -1 (ENOSPC). */
int fs_block_alloc(void);
void fs_block_free(uint32_t b);
/* ofile_alloc: a free open-file entry with ref 1, or NULL (ENFILE). */
struct ofile *ofile_alloc(void);
/* ofile_release: drop one reference; the last one closes the file. */
void ofile_release(struct ofile *f);
/* fd_install: put f into the lowest free descriptor >= min of task.self. Returns
 * it or -EMFILE. */
int fd_install(struct ofile *f, int min, bool cloexec);
/* fd_file: the open file behind fd of task.self, or NULL (EBADF). Client and server. */
struct ofile *fd_file(int fd);
/* fs_fork_fds: entry c gets the descriptors of entry p (each open file gains a
 * reference). fs_close_all: close every descriptor of p. fs_close_on_exec: close
 * p's marked close-on-exec. */
struct proc;
void fs_fork_fds(const struct proc *p, struct proc *c);
void fs_close_all(struct proc *p);
void fs_close_on_exec(struct proc *p);

/* path.c: absolute, normalised path (no ., .., //) of path relative to cwd. Returns
 * 0 or -1 (EFAULT: path is not a string readable up to its NUL within PATH_MAX
 * bytes; ENAMETOOLONG; ENOENT for ""). Every call that takes a path calls it first,
 * before it asks the server anything. */
int path_resolve(const char *path, char *out, size_t size);
bool path_in_tmp(const char *abs);
/* path_normal: is abs what path_resolve makes (absolute, normalised, shorter than
 * PATH_MAX_LEN)? The server takes no other path. */
bool path_normal(const char *abs);
/* path_trailing_slash: does path (a checked string) end with '/'? */
bool path_trailing_slash(const char *path);
/* path_check_dirs: ENOTDIR if a component of abs before the last is a file, or
 * trailing (the path ended with '/') and abs names a file; otherwise 0. */
int path_check_dirs(const char *abs, bool trailing);
/* stat_abs: stat of a resolved path, without path_check_dirs. Returns 0 or -errno
 * (ENOENT). A /tmp path is asked of the server (answered directly in it). */
int stat_abs(const char *abs, struct stat *st);

/* tmpfs.c (server side) */
int tmp_lookup(const char *abs);                  /* inode index or -1 */
int tmp_create(const char *abs, bool dir);        /* index, or -errno */
/* tmp_read / tmp_write: copy between the file at off and buf (server memory).
 * tmp_read returns the count (0 at the end); tmp_write the count or -EFBIG / -ENOSPC. */
ssize_t tmp_read(struct inode *ip, uint64_t off, void *buf, size_t n);
ssize_t tmp_write(struct inode *ip, uint64_t off, const void *buf, size_t n);
void tmp_truncate(struct inode *ip);
/* tmp_drop: remove inode ip's name; its data goes now, or with the last close. */
void tmp_drop(struct inode *ip);
bool tmp_dir_has(const char *dir, char *name_out, size_t size, int *cursor); /* next entry */
/* tmp_stat: stat of a /tmp path (server side). Returns 0 or -ENOENT. */
int tmp_stat(const char *abs, struct stat *st);

/* pipe.c (server side). pipe_create: a new pipe with a reader and a writer open
 * file. Returns 0 or -ENFILE / -ENOSPC. pipe_read: up to n bytes into out; returns
 * the count, 0 at end of file (no writers), -EAGAIN (O_NONBLOCK, or nowait), or SRV_BLOCKED
 * (the caller is a waiter now). pipe_write: up to n bytes of in, of a write of
 * total bytes (one of at most PIPE_BUF goes in whole); returns the count taken,
 * -EPIPE (no readers), -EAGAIN or SRV_BLOCKED. pipe_close_end: one open file on an
 * end closed; wakes the waiters. */
int pipe_create(struct ofile **r, struct ofile **w);
long pipe_read(struct ofile *f, char *out, size_t n, bool nowait);
long pipe_write(struct ofile *f, const char *in, size_t n, size_t total);
void pipe_close_end(int idx, bool writer);

/* exec.c: libos_exec_check: 0 if path is a readable string and argv and envp are
 * readable NULL-terminated vectors (NULL: empty) of readable strings, within the
 * argument limit; else EFAULT, ENAMETOOLONG or E2BIG. execve and posix_spawn call it
 * before they build or change anything. */
int libos_exec_check(const char *path, char *const argv[], char *const envp[]);

/* file.c: srv_path_request: request op with resolved path abs (and abs2, or
 * NULL) in our channel, a0 and a1. Returns its answer, or -1 with errno. */
int srv_path_request(int op, const char *abs, const char *abs2, int64_t a0, int64_t a1);

/* srv_fs.c: the server's file requests (srv_file_request: op from srv.h, the
 * request's copy in rq). Returns the answer's ret. */
struct srv_req;
long srv_file_request(const struct srv_req *rq, struct srv_chan *out);

/* dev.c: dev_lookup: the open-file type of device abs (/dev/null: F_NULL,
 * /dev/zero, /dev/random and /dev/urandom, /dev/tty and /dev/console: F_CONSOLE),
 * or F_NONE when abs names no device. */
enum ftype dev_lookup(const char *abs);

/* console.c */
ssize_t console_read(void *buf, size_t n);
ssize_t console_write(const void *buf, size_t n);

/* Fill *st for an open file or a path. */
void stat_fill(struct stat *st, enum ftype type, uint64_t size, uint32_t mode, uint64_t ino);

#endif
