/*
 * Kernel-scheduled threads: each thread is an environment of its own in the
 * process's address space (exofork_shared), preempted by time slices like any
 * environment, sleeping in the kernel (addr_wait) with signals and stops handled
 * as every blocking libOS call handles them. The server knows each thread's
 * environment (SRV_THREAD) and ends it with the process.
 */
#include <errno.h>
#include "proc.h"
#include "signal_int.h"
#include "srv.h"
#include "thread.h"

/* start: a new environment in our space runs t: registers, %fs base, exception
 * stack (in t's private area) and upcall entries, the server's registration. */
static int kernel_start(struct tcb *t, char *stack_top)
{
	long env = sys_exofork_shared();
	if (env < 0)
		return EAGAIN;
	t->env = (envid_t)env;
	uint64_t sp = ((uint64_t)stack_top & ~15UL) - 8; /* as after a call: rsp + 8 is 16-aligned */
	*(uint64_t *)sp = 0;                                /* no return address */
	struct exo_regs r = { 0 };
	r.rip = (uint64_t)thread_main;
	r.rsp = sp;
	r.rdi = (uint64_t)t;
	r.rflags = 0x202;
	int err = 0;
	for (uint64_t va = t->area_top - EXO_XSTACK_SIZE; !err && va < t->area_top; va += PAGE_SIZE)
		if (sys_page_alloc(0, (long)va, PTE_W | PTE_NX) < 0)
			err = ENOMEM;
	if (!err && (sys_env_set_regs(env, (long)&r) < 0 || sys_env_set_fsbase(env, (long)t) < 0 ||
		     libos_upcall_register((envid_t)env, t->area_top) < 0))
		err = EAGAIN;
	if (!err) {
		long e = srv_call(SRV_THREAD, env, 0, 0);
		err = e < 0 && e != -ENOSYS ? (int)-e : 0; /* no server (a bare program): nothing to tell */
	}
	if (!err && sys_env_set_status(env, EXO_ENV_RUNNABLE) < 0)
		err = EAGAIN;
	if (err)
		sys_env_destroy(env);
	return err;
}

static void __attribute__((noreturn)) kernel_end(void)
{
	for (;;)
		sys_env_exit(0);
}

static bool kernel_gone(struct tcb *t)
{
	return libos_env_gone(t->env);
}

static int kernel_wait(volatile uint32_t *addr, uint32_t val, uint64_t deadline, bool intr)
{
	libos_in_libos++;
	long r = sys_addr_wait((long)addr, (long)val, (long)deadline);
	libos_in_libos--;
	while (task.self && task.self->stopped)
		libos_block(); /* stopped: only SIGCONT (or SIGKILL) ends it */
	if (r == -E_TIMEDOUT)
		return ETIMEDOUT;
	if (r == -E_INTR && !libos_in_libos && libos_sig_deliverable()) {
		libos_sig_dispatch();
		if (intr)
			return EINTR;
	}
	return 0;
}

static void kernel_wake(volatile uint32_t *addr, int n)
{
	sys_addr_wake((long)addr, n);
}

static void kernel_yield(void)
{
	sys_yield(0);
}

static void kernel_fork_child(void)
{
}

static void kernel_kick(struct tcb *t)
{
	sys_env_interrupt(t->env); /* its addr_wait returns -E_INTR */
}

static long kernel_sleep(uint64_t deadline)
{
	return sys_sleep_until((long)deadline);
}

const struct thread_package thread_pkg_kernel = {
	"kernel", kernel_start, kernel_end, kernel_gone, kernel_wait, kernel_wake, kernel_yield, kernel_fork_child,
	kernel_kick, kernel_sleep,
};
