/*
 * Waiting on a user address: the mechanism a library OS builds blocking locks,
 * condition variables and thread joins from (a futex, in Linux's terms), with no
 * thread in the kernel. A waiter names a 32-bit word of its address space and the
 * value it last saw there; it sleeps only if the word still holds it, so a wake
 * between its check and its sleep is never lost. A wake finds the waiters on the
 * same virtual address in the same address space (environments sharing one,
 * exofork_shared, meet there even when a copy-on-write fault has since given the
 * word a new frame) and the waiters on the same physical word (shared memory
 * between processes). A wake carries no data and may be spurious: a woken waiter
 * re-checks its condition.
 */
#include "env.h"
#include "syscalls.h"
#include "vm.h"
#include "x86.h"
#include "../include/exo/error.h"

/* word_pa: the physical address of the aligned 32-bit user word at va in e's
 * address space, or 0 if va is misaligned, not a user address, or not mapped
 * readable for the user. */
static uint64_t word_pa(struct env *e, uint64_t va)
{
	uint64_t eff;
	if ((va & 3) || va >= ULIM)
		return 0;
	uint64_t pa = vm_user_pa(e->pml4_pa, va, &eff);
	return pa && (eff & PTE_U) ? pa : 0;
}

/* addr_wait(va, expected, deadline): if the 32-bit word at va still holds
 * expected, sleep until an addr_wake on the same word (by any environment that
 * maps its frame), the TSC reaches deadline (0: no deadline) or an interrupt.
 * Returns 0 when woken, -E_AGAIN (the word differs: no sleep), -E_TIMEDOUT,
 * -E_INTR (env_interrupt, interrupt_at), -E_FAULT (va misaligned or not mapped
 * readable). A deadline already past returns -E_TIMEDOUT at once. */
long sys_addr_wait(long va, long expected, long deadline)
{
	struct env *self = curenv();
	uint64_t pa = word_pa(self, (uint64_t)va);
	if (!pa)
		return -E_FAULT;
	if (*(volatile uint32_t *)KADDR(pa) != (uint32_t)expected)
		return -E_AGAIN;
	if (deadline && (uint64_t)deadline <= rdtsc())
		return -E_TIMEDOUT;
	self->wait_pa = pa;
	self->wait_va = (uint64_t)va;
	sched_sleep(self, (uint64_t)deadline, -E_TIMEDOUT); /* addr_wake makes it 0 */
}

/* addr_wake(va, n): wake up to n environments sleeping in addr_wait on the 32-bit
 * word at va: at va in the caller's address space, or on the frame the caller
 * maps there (the caller must map it readable); which ones first is not promised. Any environment mapping the frame may wake: a wake carries nothing
 * but a reason to re-check. Returns the number woken, -E_FAULT (va misaligned or
 * not mapped), -E_INVAL (n < 0). */
long sys_addr_wake(long va, long n)
{
	struct env *self = curenv();
	uint64_t pa = word_pa(self, (uint64_t)va);
	if (!pa)
		return -E_FAULT;
	if (n < 0)
		return -E_INVAL;
	long woken = 0;
	for (int i = 1; i < env_top && woken < n; i++) {
		struct env *e = &envs[i];
		if (e->status != ENV_NOT_RUNNABLE || !e->wait_pa ||
		    (e->wait_pa != pa && (e->pml4_pa != self->pml4_pa || e->wait_va != (uint64_t)va)))
			continue;
		e->wait_pa = e->sleep_until = 0;
		e->tf.rax = 0;
		e->status = ENV_RUNNABLE;
		env_publish(e);
		woken++;
	}
	return woken;
}
