/* Helpers shared by the memory test programs (mman, largepage): whether an access
 * faults (with a SIGSEGV/SIGBUS handler, on_segv, installed by the caller), the
 * frames charged to us, and a child's wait status. Include after check.h and
 * libos.h. */
#ifndef TEST_MEMPROBE_H
#define TEST_MEMPROBE_H
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>

static sigjmp_buf jb;
static volatile void *fault_addr;
static volatile int fault_sig;

/* on_segv: the handler faults() needs: records the address and the signal. */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_addr = si->si_addr;
	fault_sig = sig;
	siglongjmp(jb, 1);
}

/* faults: does touching addr (write: a store) fault? */
static bool faults(volatile char *addr, bool write)
{
	fault_addr = NULL;
	if (sigsetjmp(jb, 1) == 0) {
		if (write)
			*addr = 1;
		else
			(void)*addr;
		return false;
	}
	return fault_addr == addr;
}

/* ours: the frames charged to this environment. */
static uint64_t ours(void)
{
	return exo_envs[EXO_ENVX(sys_env_id())].nframes;
}

/* status_of: wait for child p; its wait status. */
static int status_of(pid_t p)
{
	int st = -1;
	CHECK_EQ(waitpid(p, &st, 0), p);
	return st;
}

#endif
