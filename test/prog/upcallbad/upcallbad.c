/* upcallbad MODE: an exception upcall the kernel cannot deliver. The kernel must end
 * the environment with a one-line report (exo/upcall.c) and keep running:
 *   fault-in-handler   the page-fault handler itself faults
 *   handler-unmapped   the registered entry point is not mapped
 *   xstack-unmapped    the exception stack is unmapped
 *   xstack-readonly    the exception stack is read-only
 *   child-no-xstack    a child (exofork by hand) inherits our entry point but has no
 *                      exception stack; it faults and is ended; we (the parent) see its
 *                      death note with the fault status and exit 0
 * Every mode but the last ends this (boot) environment: status 125. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "libos.h"
#include "vpt.h"

#define CSTACK 0x30000000UL

static volatile uint64_t sink;

/* Addresses through a volatile so the compiler cannot see them. */
static volatile uint64_t *at(uint64_t a)
{
	volatile uint64_t v = a;
	return (volatile uint64_t *)v;
}

static int faulting_handler(struct exo_utf *utf)
{
	(void)utf;
	sink = *at(0x10); /* faults again, now on the exception stack */
	return 0;
}

static void __attribute__((noreturn, noinline, used)) crash_child(void)
{
	*at(0x18) = 1;
	sys_env_exit(1); /* not reached */
	for (;;)
		;
}

static long map_child;
static void map_text(uint64_t va, uint64_t pte, void *arg)
{
	long *err = arg;
	if (!(pte & PTE_W) && !(pte & PTE_NX) && !*err)
		*err = sys_page_map(0, (long)va, map_child, (long)va, 0);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	printf("upcallbad: about to do '%s'\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "fault-in-handler")) {
		libos_set_trap_handler(14, faulting_handler);
		*at(0x8) = 1;
	} else if (!strcmp(mode, "handler-unmapped")) {
		long r = sys_env_set_upcall(0, EXO_UPCALL_EXCEPTION, 0x12345000, UXSTACKTOP);
		printf("upcallbad: env_set_upcall -> %ld\n", r);
		fflush(stdout);
		*at(0x8) = 1;
	} else if (!strcmp(mode, "xstack-unmapped") || !strcmp(mode, "xstack-readonly")) {
		int ro = !strcmp(mode, "xstack-readonly");
		for (uint64_t va = UXSTACKTOP - EXO_XSTACK_SIZE; va < UXSTACKTOP; va += PAGE_SIZE) {
			long r = ro ? sys_page_protect(0, (long)va, PTE_NX) : sys_page_unmap(0, (long)va);
			if (r < 0) {
				printf("upcallbad: cannot change the exception stack: %ld\n", r);
				return 2;
			}
		}
		*at(0x8) = 1;
	} else if (!strcmp(mode, "child-no-xstack")) {
		long c = sys_exofork();
		if (c == 0)
			sys_env_exit(99); /* not reached: it starts at crash_child */
		long err = 0;
		map_child = c;
		libos_vpt_each(map_text, &err);
		if (!err)
			err = sys_page_alloc(c, CSTACK, PTE_W | PTE_NX);
		struct exo_regs r;
		memset(&r, 0, sizeof r);
		r.rip = (uint64_t)crash_child;
		r.rsp = CSTACK + PAGE_SIZE - 8;
		if (!err)
			err = sys_env_set_regs(c, (long)&r);
		if (!err)
			err = sys_env_set_status(c, EXO_ENV_RUNNABLE);
		if (err) {
			printf("upcallbad: cannot start the child: %ld\n", err);
			return 2;
		}
		struct exo_ipc_msg m;
		do {
			if (sys_ipc_recv(-1, (long)&m) < 0)
				return 3;
		} while (!(m.w[0] == EXO_IPC_DEATH && m.from == c));
		printf("upcallbad: child %#lx ended with status %lu; env table slot %s\n", (unsigned long)c,
		       (unsigned long)m.w[1], exo_envs[EXO_ENVX(c)].id == c ? "still used" : "free");
		return exo_envs[EXO_ENVX(c)].id == c || m.w[1] != 125;
	} else {
		printf("upcallbad: unknown mode\n");
		return 2;
	}
	printf("upcallbad: survived '%s' (the kernel should have ended us)\n", mode);
	return 1;
}
