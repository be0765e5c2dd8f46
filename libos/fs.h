/*
 * The libOS file layer's state: the open-file table, the /tmp inodes and pipes sit
 * beside the process table in the view every process has (read-only; only the
 * server writes them, see srv.h). The data blocks (file contents, the index blocks
 * that map them, pipe buffers) and the map of free blocks are the server's private
 * memory, made as they are needed: /tmp grows as far as memory allows. Per-process
 * descriptor tables are in the process table (proc.h), so they survive exec.
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
#define UFSBITMAP   (UPROCS + (1UL << 30))       /* server only: the free-block bitmap */
#define UFSDATA     (UPROCS + (64UL << 30))      /* server only: data blocks, 4 KiB each */
#define FS_BLOCKS   (16UL << 20)                 /* 64 GiB of address space for them */
#define FS_RESERVE  256    /* frames /tmp leaves free for programs (ENOSPC below) */

#define NFILE 512          /* open files in the system */
#define NINODE 128         /* files and directories in /tmp */
#define NPIPE 64
#define BMAP_FANOUT 1024   /* block numbers per index block */
#define BMAP_LEVELS 3      /* index levels at most: 1024^3 blocks of 4 KiB */
#define TMP_FILE_MAX (1UL << 42) /* 4 TiB: the largest /tmp file size (sparse) */
#define PIPE_BLOCKS 2      /* 8 KiB pipe buffer */
#define PATH_MAX_LEN 120

enum ftype { F_NONE, F_CONSOLE, F_INITRD, F_TMP, F_DIR, F_PIPE_R, F_PIPE_W, F_NULL, F_ZERO, F_RANDOM };

struct inode {
	uint32_t used;
	uint32_t is_dir;
	uint32_t opens;            /* open files on it: a removed name's data lives until 0 */
	uint32_t levels;           /* index levels above the data blocks (bmap.c) */
	uint64_t size;
	char path[PATH_MAX_LEN];   /* absolute, normalised: "/tmp/a/b" */
	uint32_t root;             /* the top block of the map (0: no data) */
	uint32_t mode;             /* permission bits (07777) */
	uint64_t nblocks;          /* blocks held: data and index */
	uint32_t is_link;          /* a symbolic link to `link` (its size: the length) */
	uint32_t uid, gid;         /* the owner */
	uint32_t pad;
	struct timespec atime, mtime, ctime; /* last read, data change, inode change */
	char link[PATH_MAX_LEN];   /* a symbolic link's target, as given */
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
	uint64_t blocks;           /* data blocks in use: files' (data and index) and pipes' */
};
#define FS ((struct fsroot *)UFSMETA)
#define FSROOT_PAGES ((sizeof(struct fsroot) + PAGE_SIZE - 1) / PAGE_SIZE)

_Static_assert(UPROCS + sizeof(struct proctab) <= UFSMETA, "the process table fits below fsroot");
_Static_assert(sizeof(struct fsroot) <= (1UL << 20), "fsroot fits beside the process table");
_Static_assert(UFSBITMAP + FS_BLOCKS / 8 <= UFSDATA && UFSDATA + FS_BLOCKS * PAGE_SIZE <= UXSTACKTOP - (1UL << 30),
	       "the server's block areas fit below its exception stack");
_Static_assert((uint64_t)BMAP_FANOUT * BMAP_FANOUT * BMAP_FANOUT * PAGE_SIZE == TMP_FILE_MAX,
	       "the map reaches the largest file size");

static inline char *block_addr(uint32_t b) { return (char *)(UFSDATA + (uint64_t)b * PAGE_SIZE); }

/* fs.c (server side unless marked) */
/* fs_region_create: make the view's pages (process table, file tables) and the
 * first page of the free-block bitmap (every block free but block 0, which means
 * "none"). Returns 0 or -1. */
int fs_region_create(void);
/* fs_block_alloc: a zeroed data block, the lowest free one (so the area stays
 * compact), or 0 (ENOSPC: no memory, fewer than FS_RESERVE frames free, or all
 * FS_BLOCKS taken; block 0 is never given). fs_block_free: give block b back (its
 * frame goes back to the kernel). */
uint32_t fs_block_alloc(void);
void fs_block_free(uint32_t b);

/* bmap.c (server side): a /tmp file's block map, a radix tree of index blocks
 * (BMAP_FANOUT block numbers each, 0 = a hole) ip->levels high above the data
 * blocks. bmap_get: the data block of file block bi, or 0 (a hole). bmap_alloc:
 * the same, allocating it (and index blocks on the way; the tree grows taller as
 * needed) if it is a hole; returns 0 if a block could not be had (ENOSPC), or bi is
 * beyond TMP_FILE_MAX. bmap_trim: free every data block from file block `from` on,
 * and the index blocks left empty. */
uint32_t bmap_get(const struct inode *ip, uint64_t bi);
uint32_t bmap_alloc(struct inode *ip, uint64_t bi);
void bmap_trim(struct inode *ip, uint64_t from);
/* A waiter set (a pipe's, the console's): one bit per process-table slot, so every
 * process fits. waiters_add / waiters_drop: put task.self in / take it out.
 * waiters_wake: env_wake every waiter but task.self, and empty the set; a slot
 * reused since it was set gets a spurious wake-up, which every waiter allows for
 * (it asks again). */
void waiters_add(uint64_t set[PIPE_WAITER_WORDS]);
void waiters_drop(uint64_t set[PIPE_WAITER_WORDS]);
void waiters_wake(uint64_t set[PIPE_WAITER_WORDS]);
/* ofile_alloc: a free open-file entry with ref 1, or NULL (ENFILE). */
struct ofile *ofile_alloc(void);
/* ofile_release: drop one reference; the last one closes the file. */
void ofile_release(struct ofile *f);
/* fd_install: put f into the lowest free descriptor >= min of task.self. Returns
 * it or -EMFILE. */
int fd_install(struct ofile *f, int min, bool cloexec);
/* fd_close: close descriptor fd of p (server side): p's record locks on the file
 * go (POSIX: a close of any descriptor of a file releases them), then the open
 * file loses a reference. */
void fd_close(struct proc *p, int fd);
/* fd_file: the open file behind fd of task.self, or NULL (EBADF). Client and server. */
struct ofile *fd_file(int fd);
/* fs_fork_fds: entry c gets the descriptors of entry p (each open file gains a
 * reference). fs_close_all: close every descriptor of p. fs_close_on_exec: close
 * p's marked close-on-exec. */
struct proc;
void fs_fork_fds(const struct proc *p, struct proc *c);
void fs_close_all(struct proc *p);
void fs_close_on_exec(struct proc *p);

/* path.c: absolute, normalised path (no ., .., //, no symbolic link) of path
 * relative to cwd. Returns 0 or -1 (EFAULT: path is not a string readable up to
 * its NUL within PATH_MAX bytes; ENAMETOOLONG; ENOENT for ""; ELOOP: more than
 * PATH_SYMLOOP links on the way). Every call that takes a path calls it (or
 * path_walk) first, before it asks the server anything. path_walk: the same
 * relative to directory base (absolute, normalised), following a symbolic link
 * in the last component only if follow (lstat, unlink, O_NOFOLLOW: not). */
#define PATH_SYMLOOP 40
int path_resolve(const char *path, char *out, size_t size);
int path_walk(const char *base, const char *path, char *out, size_t size, bool follow);
/* path_lresolve: path_resolve, but a link in the last component stays itself. */
int path_lresolve(const char *path, char *out, size_t size);
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
int tmp_create(const char *abs, bool dir, uint32_t mode); /* index, or -errno */
/* tmp_read / tmp_write: copy between the file at off and buf (server memory); holes
 * read as zeros. tmp_read returns the count (0 at the end); tmp_write the count
 * (short when memory ran out, or at TMP_FILE_MAX) or -EFBIG / -ENOSPC when it could
 * write nothing. */
ssize_t tmp_read(struct inode *ip, uint64_t off, void *buf, size_t n);
ssize_t tmp_write(struct inode *ip, uint64_t off, const void *buf, size_t n);
/* tmp_resize: make the file size bytes long: a shrink frees the blocks past the end
 * (and zeroes the rest of the last block), a growth adds a hole. Returns 0 or
 * -EFBIG (size above TMP_FILE_MAX). A change of size is a change of mtime and
 * ctime. tmp_truncate: tmp_resize to 0. */
int tmp_resize(struct inode *ip, uint64_t size);
void tmp_truncate(struct inode *ip);
/* tmp_symlink: a new symbolic link abs to target (shorter than PATH_MAX_LEN).
 * Returns its index, or -EEXIST, -ENOENT, -ENOTDIR (no parent directory) or
 * -ENOSPC (no inode left). */
int tmp_symlink(const char *abs, const char *target);
/* tmp_touch: set the times named in what (TMP_ATIME, TMP_MTIME, TMP_CTIME) of
 * ip to now (tmp_write and tmp_resize change mtime and ctime, tmp_read atime). */
#define TMP_ATIME 1
#define TMP_MTIME 2
#define TMP_CTIME 4
void tmp_touch(struct inode *ip, int what);
/* tmp_drop: remove inode ip's name; its data goes now, or with the last close. */
void tmp_drop(struct inode *ip);
bool tmp_dir_has(const char *dir, char *name_out, size_t size, int *cursor); /* next entry */
/* tmp_stat_inode: stat of inode ip (client and server); st_blocks counts the
 * blocks it holds (index blocks too), so a sparse file shows fewer. */
void tmp_stat_inode(const struct inode *ip, struct stat *st);
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

/* srv_lock.c (server side): record locks and flock (SRV_LOCK).
 * srv_lock_request: answer SRV_LOCK for task.self. lock_release: drop every lock
 * of owner (a pid, or lock_file_owner of an open file) on inode ino, and wake
 * the lock waiters if any went. lock_file_owner: the owner id of open file f's
 * flock locks. */
long srv_lock_request(const struct srv_req *rq, struct srv_chan *c);
void lock_release(int64_t owner, int ino);
int64_t lock_file_owner(const struct ofile *f);

/* srv_attr.c (server side): srv_attr_request: answer SRV_SYMLINK or SRV_SETATTR
 * for task.self. */
long srv_attr_request(const struct srv_req *rq);

/* attr.c: libos_utimens_path: utimensat's work on resolved path abs (a link
 * in its last component followed if follow). 0 or -1 with errno. */
struct timespec;
int libos_utimens_path(const char *abs, const struct timespec *t, bool follow);

/* srv_poll.c (server side): srv_poll_request: answer SRV_POLL for task.self. */
long srv_poll_request(const struct srv_req *rq, struct srv_chan *c);

/* lock.c (client side): libos_fcntl_lock: fcntl's F_GETLK, F_SETLK and F_SETLKW
 * on fd with *fl (POSIX). Returns 0, or -1 with EBADF (no such descriptor, or not
 * open for the lock's kind), EFAULT (fl), EINVAL (a bad type or whence, a range
 * before 0, not a /tmp file), EOVERFLOW, EAGAIN (F_SETLK: held by another),
 * EDEADLK (F_SETLKW would wait for itself), EINTR or ENOLCK. */
struct flock;
int libos_fcntl_lock(int fd, int cmd, struct flock *fl);

/* dev.c: dev_lookup: the open-file type of device abs (/dev/null: F_NULL,
 * /dev/zero, /dev/random and /dev/urandom, /dev/tty and /dev/console: F_CONSOLE),
 * or F_NONE when abs names no device. */
enum ftype dev_lookup(const char *abs);

/* console.c. console_read: a read of the console (fd) as its settings say: a
 * line, or bytes by VMIN/VTIME. Returns the count (0: end of file) or -1 with
 * errno (EINTR, EAGAIN, EIO). console_write: n bytes with output processing.
 * libos_console_out: the same, for the server's echo too; the count or -errno. */
ssize_t console_read(int fd, void *buf, size_t n);
ssize_t console_write(const void *buf, size_t n);
long libos_console_out(const char *s, size_t n);

/* Fill *st for an open file or a path. */
void stat_fill(struct stat *st, enum ftype type, uint64_t size, uint32_t mode, uint64_t ino);

#endif
