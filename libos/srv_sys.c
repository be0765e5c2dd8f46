/*
 * The server's side of system-wide and per-process settings that are neither
 * files nor signals: the host name (in the process table's header, so every
 * process reads it) and a process's resource limits (in its entry).
 */
#include <errno.h>
#include <string.h>
#include "proc.h"
#include "srv.h"

/* set_rlimit: me's limits of resource become soft, hard. Returns 0, -EINVAL (no
 * such resource, soft above hard) or -EPERM (hard above the libOS's ceiling). */
static long set_rlimit(struct proc *me, int64_t resource, rlim_t soft, rlim_t hard)
{
	if (resource < 0 || resource >= RLIM_NLIMITS || soft > hard)
		return -EINVAL;
	if (hard > libos_rlimit_ceiling[resource].rlim_max)
		return -EPERM;
	me->rlim[resource] = (struct rlimit){ soft, hard };
	return 0;
}

/* set_hostname: the host name becomes the len bytes of name. Returns 0 or
 * -EINVAL (len negative or above 64). */
static long set_hostname(const char *name, int64_t len)
{
	if (len < 0 || len >= (int64_t)sizeof PROCTAB->hostname)
		return -EINVAL;
	memcpy(PROCTAB->hostname, name, (size_t)len);
	PROCTAB->hostname[len] = 0;
	return 0;
}

long srv_sys_request(struct proc *me, const struct srv_req *rq)
{
	if (rq->op == SRV_SETHOSTNAME)
		return set_hostname(rq->data, rq->a[0]);
	return set_rlimit(me, rq->a[0], (rlim_t)rq->a[1], (rlim_t)rq->a[2]);
}
