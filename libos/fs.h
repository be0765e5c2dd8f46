/*
 * The libOS file layer's shared state. Everything here lives in the shared
 * region (PTE_SHARE, shared page tables: every process sees the same memory at the
 * same address): the open-file table, the /tmp inodes, pipes, the data-block map,
 * and the data blocks themselves. Per-process descriptor tables are in the process
 * table (proc.h), so they survive exec.
 */
#ifndef LIBOS_FS_H
#define LIBOS_FS_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "libos.h"
#include "proc.h"

#define USHARED_LO  UPROCS                       /* start of the shared region */
#define UFSMETA     (UPROCS + (512UL << 10))     /* struct fsroot (same page table as UPROCS) */
#define UFSDATA     (UPROCS + (2UL << 20))       /* data blocks, 4 KiB each */
#define FS_BLOCKS   1024                         /* 4 MiB of /tmp data and pipe buffers */
#define USHARED_HI  (UFSDATA + FS_BLOCKS * PAGE_SIZE)

#define NFILE 512          /* open files in the system */
#define NINODE 128         /* files and directories in /tmp */
#define NPIPE 64
#define MAXFILEBLOCKS 256  /* 1 MiB per /tmp file */
#define PIPE_BLOCKS 2      /* 8 KiB pipe buffer */
#define PATH_MAX_LEN 120

enum ftype { F_NONE, F_CONSOLE, F_INITRD, F_TMP, F_DIR, F_PIPE_R, F_PIPE_W, F_NULL };

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
	volatile uint32_t lock;
	uint32_t ready;
	struct ofile file[NFILE];
	struct inode inode[NINODE];
	struct pipe pipe[NPIPE];
	uint8_t blockmap[FS_BLOCKS / 8];
};
#define FS ((struct fsroot *)UFSMETA)
#define FSROOT_PAGES ((sizeof(struct fsroot) + PAGE_SIZE - 1) / PAGE_SIZE)

_Static_assert(sizeof(struct fsroot) <= (1UL << 20), "fsroot fits beside the process table");

static inline char *block_addr(uint32_t b) { return (char *)(UFSDATA + (uint64_t)b * PAGE_SIZE); }

/* fs.c */
void fs_lock(void);
void fs_unlock(void);
/* fs_init: create the shared region (the first process), and the console on fds
 * 0, 1, 2 when the process has no descriptors yet. Returns 0 or -1. */
int fs_init(void);
/* fs_block_alloc / fs_block_free: a zeroed data block, or -1 (ENOSPC). Locked. */
int fs_block_alloc(void);
void fs_block_free(uint32_t b);
/* ofile_alloc: a free open-file entry with ref 1, or NULL (ENFILE). Locked. */
struct ofile *ofile_alloc(void);
/* ofile_release: drop one reference; the last one closes the file. Locked. */
void ofile_release(struct ofile *f);
/* fd_install: put f into the lowest free descriptor >= min. Returns it or -1
 * (EMFILE). */
int fd_install(struct ofile *f, int min, bool cloexec);
/* fd_file: the open file behind fd, or NULL (EBADF). */
struct ofile *fd_file(int fd);

/* fs_fork_fds: the child entry c gets our descriptors (each open file gains a
 * reference). fs_close_all: close every descriptor of p. fs_close_on_exec: close
 * ours marked close-on-exec. */
struct proc;
void fs_fork_fds(struct proc *c);
void fs_close_all(struct proc *p);
void fs_close_on_exec(void);

/* path.c: absolute, normalised path (no ., .., //) of path relative to cwd. Returns
 * 0 or -1 (EFAULT: path is not a string readable up to its NUL within PATH_MAX
 * bytes; ENAMETOOLONG; ENOENT for ""). Every call that takes a path calls it first,
 * before it locks or changes anything. */
int path_resolve(const char *path, char *out, size_t size);
bool path_in_tmp(const char *abs);
/* path_check_dirs: ENOTDIR if a component of abs before the last is a file, or
 * path ends with '/' and names a file; otherwise 0. */
int path_check_dirs(const char *path, const char *abs);
/* stat_abs: stat of a resolved path, without path_check_dirs (file.c). */
int stat_abs(const char *abs, struct stat *st);

/* tmpfs.c (all with the fs lock held) */
int tmp_lookup(const char *abs);                  /* inode index or -1 */
int tmp_create(const char *abs, bool dir);        /* index, or -errno */
/* tmp_read / tmp_write: copy between the file at off and buf, which is the libOS's
 * own memory (a bounce buffer: never the program's, the lock is held). tmp_read
 * returns the count (0 at the end); tmp_write the count or -EFBIG / -ENOSPC. */
ssize_t tmp_read(struct inode *ip, uint64_t off, void *buf, size_t n);
ssize_t tmp_write(struct inode *ip, uint64_t off, const void *buf, size_t n);
void tmp_truncate(struct inode *ip);
/* tmp_drop: remove inode ip's name; its data goes now, or with the last close. */
void tmp_drop(struct inode *ip);
bool tmp_dir_has(const char *dir, char *name_out, size_t size, int *cursor); /* next entry */

/* pipe.c. pipe_read: up to n bytes (all there is, waiting for the first unless
 * O_NONBLOCK) into buf, a user buffer already checked (libos_user_range). Returns the
 * count, 0 at end of file (no writers), or -1 with EAGAIN. pipe_write: n bytes of
 * buf (checked); at most PIPE_BUF bytes go in whole. Returns n, or the count written
 * before O_NONBLOCK found no room or the readers went (then -1 with EAGAIN or EPIPE
 * if that count is 0; SIGPIPE is raised first). Neither touches buf with the lock
 * held. pipe_close_end: one open file on an end closed (locked); wakes the waiters. */
ssize_t pipe_read(struct ofile *f, void *buf, size_t n);
ssize_t pipe_write(struct ofile *f, const void *buf, size_t n);
void pipe_close_end(int idx, bool writer);
/* pipe_wake_waiters: wake every process waiting on pipe idx (locked). */
void pipe_wake_waiters(int idx);

/* exec.c: libos_exec_check: 0 if path is a readable string and argv and envp are
 * readable NULL-terminated vectors (NULL: empty) of readable strings, within the
 * argument limit; else EFAULT, ENAMETOOLONG or E2BIG. execve and posix_spawn call it
 * before they build or change anything. */
int libos_exec_check(const char *path, char *const argv[], char *const envp[]);

/* console.c */
ssize_t console_read(void *buf, size_t n);
ssize_t console_write(const void *buf, size_t n);

/* Fill *st for an open file or a path. */
void stat_fill(struct stat *st, enum ftype type, uint64_t size, uint32_t mode, uint64_t ino);

#endif
