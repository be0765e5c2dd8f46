/* posix_spawn's attributes: a malloc'd record per posix_spawnattr_t, read by
 * posix_spawn (libos/spawn.c: flags, process group, signal mask and defaults;
 * the scheduling ones are kept, exo has one policy, SCHED_OTHER). Each get and
 * set returns 0, or EINVAL for an attribute object init did not make. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include "spawnattr.h"

/* posix_spawnattr_init: a new attribute object in *a, everything default (no
 * flags, group 0, empty sets, SCHED_OTHER). Returns 0 or ENOMEM. */
int posix_spawnattr_init(posix_spawnattr_t *a)
{
	struct __posix_spawnattr *p = calloc(1, sizeof *p);
	if (!p)
		return ENOMEM;
	p->policy = SCHED_OTHER;
	*a = p;
	return 0;
}

/* posix_spawnattr_destroy: free *a. Returns 0 or EINVAL. */
int posix_spawnattr_destroy(posix_spawnattr_t *a)
{
	if (!*a)
		return EINVAL;
	free(*a);
	*a = NULL;
	return 0;
}

#define ALL_FLAGS (POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSCHEDPARAM | \
		   POSIX_SPAWN_SETSCHEDULER | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)

int posix_spawnattr_getflags(const posix_spawnattr_t *__restrict a, short *__restrict flags)
{
	if (!*a)
		return EINVAL;
	*flags = (*a)->flags;
	return 0;
}

/* posix_spawnattr_setflags: also EINVAL for a flag POSIX does not define. */
int posix_spawnattr_setflags(posix_spawnattr_t *a, short flags)
{
	if (!*a || (flags & ~ALL_FLAGS))
		return EINVAL;
	(*a)->flags = flags;
	return 0;
}

int posix_spawnattr_getpgroup(const posix_spawnattr_t *__restrict a, pid_t *__restrict pgroup)
{
	if (!*a)
		return EINVAL;
	*pgroup = (*a)->pgroup;
	return 0;
}

/* posix_spawnattr_setpgroup: also EINVAL for a negative group. */
int posix_spawnattr_setpgroup(posix_spawnattr_t *a, pid_t pgroup)
{
	if (!*a || pgroup < 0)
		return EINVAL;
	(*a)->pgroup = pgroup;
	return 0;
}

int posix_spawnattr_getschedparam(const posix_spawnattr_t *__restrict a, struct sched_param *__restrict p)
{
	if (!*a)
		return EINVAL;
	*p = (*a)->param;
	return 0;
}

int posix_spawnattr_setschedparam(posix_spawnattr_t *__restrict a, const struct sched_param *__restrict p)
{
	if (!*a)
		return EINVAL;
	(*a)->param = *p;
	return 0;
}

int posix_spawnattr_getschedpolicy(const posix_spawnattr_t *__restrict a, int *__restrict policy)
{
	if (!*a)
		return EINVAL;
	*policy = (*a)->policy;
	return 0;
}

/* posix_spawnattr_setschedpolicy: also EINVAL for a policy other than
 * SCHED_OTHER (the only one exo has). */
int posix_spawnattr_setschedpolicy(posix_spawnattr_t *a, int policy)
{
	if (!*a || policy != SCHED_OTHER)
		return EINVAL;
	(*a)->policy = policy;
	return 0;
}

int posix_spawnattr_getsigdefault(const posix_spawnattr_t *__restrict a, sigset_t *__restrict set)
{
	if (!*a)
		return EINVAL;
	*set = (*a)->sigdefault;
	return 0;
}

int posix_spawnattr_setsigdefault(posix_spawnattr_t *__restrict a, const sigset_t *__restrict set)
{
	if (!*a)
		return EINVAL;
	(*a)->sigdefault = *set;
	return 0;
}

int posix_spawnattr_getsigmask(const posix_spawnattr_t *__restrict a, sigset_t *__restrict set)
{
	if (!*a)
		return EINVAL;
	*set = (*a)->sigmask;
	return 0;
}

int posix_spawnattr_setsigmask(posix_spawnattr_t *__restrict a, const sigset_t *__restrict set)
{
	if (!*a)
		return EINVAL;
	(*a)->sigmask = *set;
	return 0;
}
