/*
 * Resource limits and usage. A process's limits are in its process-table entry
 * (so fork and exec keep them); the server changes them (SRV_SETRLIMIT,
 * srv_sys.c), a process reads its own through its view. Enforced: RLIMIT_NOFILE
 * (a new descriptor is always below its soft limit: fd_install). Bounded by what
 * the libOS can do (the hard limit cannot pass it): RLIMIT_NOFILE by the
 * descriptor table (NOFILE, 64), RLIMIT_STACK by the stack's growth limit
 * (USTACK_LIMIT, 8 MiB). Kept and reported but not enforced: RLIMIT_CPU (the
 * kernel keeps no CPU time), RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_AS, and
 * RLIMIT_CORE (no core file is ever written, whatever it says).
 */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include "libos.h"
#include "proc.h"
#include "srv.h"

#define INF { RLIM_INFINITY, RLIM_INFINITY }
const struct rlimit libos_rlimit_initial[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = INF, [RLIMIT_FSIZE] = INF, [RLIMIT_DATA] = INF,
	[RLIMIT_STACK] = { USTACK_LIMIT, USTACK_LIMIT }, [RLIMIT_CORE] = { 0, RLIM_INFINITY },
	[RLIMIT_NOFILE] = { NOFILE, NOFILE }, [RLIMIT_AS] = INF,
};
const struct rlimit libos_rlimit_ceiling[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = INF, [RLIMIT_FSIZE] = INF, [RLIMIT_DATA] = INF,
	[RLIMIT_STACK] = { USTACK_LIMIT, USTACK_LIMIT }, [RLIMIT_CORE] = INF,
	[RLIMIT_NOFILE] = { NOFILE, NOFILE }, [RLIMIT_AS] = INF,
};

static int fail(int err)
{
	errno = err;
	return -1;
}

/* getrlimit: resource's soft and hard limits into *rl (a program without a
 * process, a bare one, has the initial ones). Returns 0, or -1 with EINVAL (no
 * such resource) or EFAULT (rl is not writable). */
int getrlimit(int resource, struct rlimit *rl)
{
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return fail(EINVAL);
	int err = libos_user_range(rl, sizeof *rl, true);
	if (err)
		return fail(err);
	*rl = task.self ? task.self->rlim[resource] : libos_rlimit_initial[resource];
	return 0;
}

/* setrlimit: set resource's limits to *rl. Every process is root, so the hard
 * limit may go up as well as down, up to what the libOS can honour. Returns 0, or
 * -1 with EINVAL (no such resource, or the soft limit above the hard one), EPERM
 * (a hard limit above the libOS's ceiling: 64 descriptors, an 8 MiB stack), EFAULT
 * (rl is not readable) or ENOSYS (a bare program: no process to limit). */
int setrlimit(int resource, const struct rlimit *rl)
{
	if (resource < 0 || resource >= RLIM_NLIMITS)
		return fail(EINVAL);
	int err = libos_user_range(rl, sizeof *rl, false);
	if (err)
		return fail(err);
	long r = srv_call(SRV_SETRLIMIT, resource, (int64_t)rl->rlim_cur, (int64_t)rl->rlim_max);
	return r < 0 ? fail((int)-r) : 0;
}

/* The TSC when this program image started (set by a constructor at start-up;
 * exec starts a new image, and so a new count; a fork child keeps its parent's). */
static uint64_t image_start;
__attribute__((constructor)) static void note_start(void)
{
	image_start = libos_rdtsc();
}

/* getrusage: the resources used by the process (RUSAGE_SELF) or its waited-for
 * children (RUSAGE_CHILDREN). The kernel keeps no CPU time per environment, so
 * the libOS measures what it can: for RUSAGE_SELF the user time is the time that
 * has passed since this program image started (the TSC; an upper bound: it
 * includes the time other environments ran and the time spent in the kernel and
 * the server), the system time 0; for RUSAGE_CHILDREN nothing is measured, and
 * both times are 0. Returns 0, or -1 with EINVAL (another who) or EFAULT (usage
 * is not writable). */
int getrusage(int who, struct rusage *usage)
{
	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN)
		return fail(EINVAL);
	int err = libos_user_range(usage, sizeof *usage, true);
	if (err)
		return fail(err);
	memset(usage, 0, sizeof *usage);
	if (who == RUSAGE_SELF) {
		uint64_t us = (uint64_t)((unsigned __int128)(libos_rdtsc() - image_start) * 1000000 / exo_info->tsc_hz);
		usage->ru_utime.tv_sec = (time_t)(us / 1000000);
		usage->ru_utime.tv_usec = (suseconds_t)(us % 1000000);
	}
	return 0;
}
