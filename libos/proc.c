/*
 * Process calls newlib needs. The process layer (pids, fork, exec, wait) is not
 * built yet: an environment is its own process, getpid returns its environment id,
 * and fork/execve/wait fail with ENOSYS (documented in docs/abi.md).
 */
#include <errno.h>
#include <signal.h>
#include <malloc.h>
#include <stdlib.h>
#include <sys/times.h>
#include <sys/time.h>
#include <unistd.h>
#include "libos.h"

/* _exit: end this environment with status. */
void _exit(int status)
{
	sys_env_exit(status & 0xFF);
	for (;;)
		;
}

int getpid(void) { return (int)sys_env_id(); }

/* kill: only a signal to oneself is possible yet; it ends the caller with status
 * 128 + sig (the shell convention), or does nothing for sig 0. */
int kill(int pid, int sig)
{
	if (sig < 0 || sig >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	if (pid != getpid()) {
		errno = ESRCH;
		return -1;
	}
	if (sig != 0)
		_exit(128 + sig);
	return 0;
}

static int not_yet(void)
{
	errno = ENOSYS;
	return -1;
}

int fork(void) { return not_yet(); }
int execve(const char *path, char *const argv[], char *const envp[]) { (void)path, (void)argv, (void)envp; return not_yet(); }
int wait(int *status) { (void)status; return not_yet(); }
clock_t times(struct tms *t) { (void)t; return (clock_t)not_yet(); }
int gettimeofday(struct timeval *tv, void *tz) { (void)tv, (void)tz; return not_yet(); }
int getentropy(void *buf, size_t n) { (void)buf, (void)n; return not_yet(); }
int sigprocmask(int how, const sigset_t *set, sigset_t *old) { (void)how, (void)set, (void)old; return not_yet(); }

int posix_memalign(void **out, size_t align, size_t size)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = memalign(align, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
