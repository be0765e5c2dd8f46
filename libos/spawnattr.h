/* The attributes behind posix_spawnattr_t (libos/spawnattr.c, spawn.c). */
#ifndef LIBOS_SPAWNATTR_H
#define LIBOS_SPAWNATTR_H
#include <sched.h>
#include <signal.h>
#include <sys/types.h>

struct __posix_spawnattr {
	short flags;
	pid_t pgroup;
	int policy;
	struct sched_param param;
	sigset_t sigdefault, sigmask;
};

#endif
