/*
 * sysconf, pathconf, fpathconf, getpagesize: the system's limits and options as
 * the libOS has them (docs/apps.md). A name POSIX defines that has no entry here
 * is an option exo does not offer, or a limit it does not have: -1 with errno
 * unchanged, as POSIX says; a name that is no name at all is EINVAL.
 */
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fs.h"
#include "proc.h"

#define POSIX_2008 200809L

/* getpagesize: the page size, 4096. Never fails. */
int getpagesize(void)
{
	return PAGE_SIZE;
}

/* sysconf: the value of the limit or option name (_SC_*). Returns it; -1 with
 * errno unchanged for a limit exo does not have or an option it does not offer;
 * -1 with EINVAL for an unknown name. _SC_OPEN_MAX is the soft RLIMIT_NOFILE;
 * _SC_CLK_TCK is times()'s unit (milliseconds); pages are 4 KiB frames. */
long sysconf(int name)
{
	struct rlimit nofile;
	switch (name) {
	case _SC_ARG_MAX: return ARG_MAX_BYTES;
	case _SC_CHILD_MAX: return NPROC;
	case _SC_CLK_TCK: return 1000;
	case _SC_NGROUPS_MAX: return 8;
	case _SC_OPEN_MAX: return getrlimit(RLIMIT_NOFILE, &nofile) < 0 ? NOFILE : (long)nofile.rlim_cur;
	case _SC_STREAM_MAX: return sysconf(_SC_OPEN_MAX);
	case _SC_PAGESIZE: return PAGE_SIZE;
	case _SC_NPROCESSORS_CONF: case _SC_NPROCESSORS_ONLN: return 1;
	case _SC_PHYS_PAGES: return (long)exo_info->nframes;
	case _SC_AVPHYS_PAGES: return (long)exo_info->free_frames;
	case _SC_HOST_NAME_MAX: return 64;
	case _SC_LOGIN_NAME_MAX: case _SC_TTY_NAME_MAX: return 32;
	case _SC_LINE_MAX: return 2048;
	case _SC_GETPW_R_SIZE_MAX: case _SC_GETGR_R_SIZE_MAX: return 1024;
	case _SC_JOB_CONTROL: case _SC_SAVED_IDS: case _SC_SHELL: return 1;
	case _SC_VERSION: case _SC_2_VERSION: case _SC_FSYNC: case _SC_MAPPED_FILES:
	case _SC_MEMORY_PROTECTION: case _SC_MONOTONIC_CLOCK: case _SC_SPAWN: return POSIX_2008;
	}
	if (name < 0 || name > _SC_LEVEL4_CACHE_LINESIZE)
		errno = EINVAL;
	return -1;
}

/* limit: pathconf's value of name for a file of mode mode. Returns it, or -1
 * (errno unchanged: no limit, not an option here; EINVAL: no such name). */
static long limit(mode_t mode, int name)
{
	switch (name) {
	case _PC_LINK_MAX: return 1;             /* link() is always EMLINK */
	case _PC_MAX_CANON: return S_ISCHR(mode) ? TTY_EDIT : -1;
	case _PC_MAX_INPUT: return S_ISCHR(mode) ? TTY_IN : -1;
	case _PC_NAME_MAX: return PATH_MAX_LEN - 1;
	case _PC_PATH_MAX: return PATH_MAX_LEN;
	case _PC_PIPE_BUF: return PIPE_BUF;
	case _PC_NO_TRUNC: return 1;             /* a long name is ENAMETOOLONG, never cut */
	case _PC_FILESIZEBITS: return 43;        /* TMP_FILE_MAX is 2^42 */
	}
	if (name < 0 || name > _PC_TIMESTAMP_RESOLUTION)
		errno = EINVAL;
	return -1;
}

/* pathconf: the limit name for the file at path. Returns it; -1 as sysconf does;
 * or -1 with stat's errors (ENOENT, ENOTDIR, ENAMETOOLONG, EFAULT). */
long pathconf(const char *path, int name)
{
	struct stat st;
	return stat(path, &st) < 0 ? -1 : limit(st.st_mode, name);
}

/* fpathconf: the same for the file open as fd (EBADF: fd is not open). */
long fpathconf(int fd, int name)
{
	struct stat st;
	return fstat(fd, &st) < 0 ? -1 : limit(st.st_mode, name);
}
