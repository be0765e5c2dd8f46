/*
 * Upcall dispatch in the libOS: the exception stack, the kernel registration, and
 * the per-trap handlers an application (or the libOS's own fork) installs.
 */
#include <stdio.h>
#include <unistd.h>
#include "proc.h"
#include "signal_int.h"

extern void libos_upcall_entry(void);
static libos_trap_handler_t handlers[EXO_T_NEXC];
static libos_trap_handler_t slot_handler;
static void (*preempt_hook)(struct exo_utf *utf, void *fx);
static __thread int ready; /* the environment whose exception stack is set up */

/* Map the exception stack and register the entry point (once per environment). */
int libos_upcall_init(void)
{
	if (ready == sys_env_id())
		return 0;
	for (uint64_t i = 1; i <= LIBOS_XSTACK_PAGES; i++) {
		long r = sys_page_alloc(0, (long)(libos_area_top() - i * PAGE_SIZE), PTE_W | PTE_NX);
		if (r < 0)
			return libos_fail(r);
	}
	long r = sys_env_set_upcall(0, EXO_UPCALL_EXCEPTION, (long)libos_upcall_entry, (long)libos_area_top());
	if (r < 0)
		return libos_fail(r);
	ready = (int)sys_env_id();
	return 0;
}

int libos_upcall_register(envid_t env, uint64_t xstack_top)
{
	long r = sys_env_set_upcall(env, EXO_UPCALL_EXCEPTION, (long)libos_upcall_entry, (long)xstack_top);
	if (r == 0)
		r = sys_env_set_upcall(env, EXO_UPCALL_SLOT, slot_handler || preempt_hook ? (long)libos_upcall_entry : 0,
				       (long)xstack_top);
	return (int)r;
}

int libos_set_preempt_hook(void (*hook)(struct exo_utf *utf, void *fx))
{
	if (libos_upcall_init() < 0)
		return -1;
	preempt_hook = hook;
	long r = sys_env_set_upcall(0, EXO_UPCALL_SLOT, slot_handler || hook ? (long)libos_upcall_entry : 0,
				    (long)libos_area_top());
	return r < 0 ? libos_fail(r) : 0;
}

int libos_set_trap_handler(int trapno, libos_trap_handler_t h)
{
	if (trapno < 0 || trapno >= EXO_T_NEXC)
		return -1;
	if (libos_upcall_init() < 0)
		return -1;
	handlers[trapno] = h;
	return 0;
}

int libos_set_slot_handler(libos_trap_handler_t h)
{
	if (libos_upcall_init() < 0)
		return -1;
	slot_handler = h;
	long r = sys_env_set_upcall(0, EXO_UPCALL_SLOT, h || preempt_hook ? (long)libos_upcall_entry : 0,
				    (long)libos_area_top());
	return r < 0 ? libos_fail(r) : 0;
}

/* libos_upcall: called by the entry stub. An interrupt delivers signals. For a
 * trap the application's handler gets the first chance; page faults it declines go
 * to the libOS's own (copy-on-write, stack growth); then a signal handler for the
 * trap's signal; a trap nobody takes ends the process with the signal and a message. */
/* signal_takes: does a signal handler take the trap (through a frame)? */
static bool signal_takes(struct exo_utf *utf, const void *fx)
{
	libos_sig_upcall_ready(); /* the signal code writes its state */
	return libos_sig_fault(utf, fx, libos_trap_signal(utf));
}

void libos_upcall(struct exo_utf *utf, const void *fx);
void libos_upcall(struct exo_utf *utf, const void *fx)
{
	if (utf->trapno == EXO_T_SLOT) {
		if (slot_handler)
			slot_handler(utf);
		if (preempt_hook)
			preempt_hook(utf, (void *)fx); /* may put another thread's context in utf and fx */
	} else if (utf->trapno == EXO_T_INTERRUPT) {
		libos_sig_upcall_ready(); /* the signal code writes its state */
		libos_sig_interrupt(utf, fx);
	} else if (!(utf->trapno < EXO_T_NEXC && handlers[utf->trapno] && handlers[utf->trapno](utf) == 0) &&
		   !(utf->trapno == EXO_T_PGFLT && libos_pgfault(utf) == 0) &&
		   !signal_takes(utf, fx)) {
		libos_fatal_trap(utf);
	}
	libos_prepare_resume(utf);
}
