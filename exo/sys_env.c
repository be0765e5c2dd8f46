/*
 * Environment system calls: create (exofork), destroy, set status, registers,
 * upcall entry points and quotas, exit, and who may power the machine off.
 * An environment may act on itself and its descendants only.
 */
#include "env.h"
#include "syscalls.h"
#include "vm.h"
#include "x86.h"
#include "power.h"
#include "../include/exo/error.h"
#include "../include/exo/memlayout.h"

/* env_id(): the caller's environment id. */
long sys_env_id(void)
{
	return curenv()->id;
}

/* env_exit(status): end the calling environment. Does not return. */
long sys_env_exit(long status)
{
	env_destroy(curenv(), (int)status);
	sched_run();
}

/* fork_env: a new child of the caller with a copy of its registers (it sees 0 as
 * the call's result), %fs base, upcall entries and quotas, not runnable, in a new
 * empty address space or (share) in the caller's. Returns the child's id, or
 * -E_NOENV / -E_NOMEM. */
static long fork_env(bool share)
{
	struct env *self = curenv(), *child;
	int r = env_alloc(self->id, self->name, share ? self : NULL, &child);
	if (r < 0)
		return r;
	child->tf = self->tf;
	child->tf.rax = 0;
	memcpy(child->fxsave, self->fxsave, sizeof child->fxsave);
	if (thiscpu()->fpu_owner == self) /* live SSE state is in the registers */
		__asm__ volatile("fxsave64 %0" : "=m"(child->fxsave));
	child->fs_base = self->fs_base;
	child->frame_quota = self->frame_quota;
	child->slot_quota = self->slot_quota;
	child->upcall_entry = self->upcall_entry;
	child->slot_upcall_entry = self->slot_upcall_entry;
	child->xstack_top = self->xstack_top;
	child->watcher = self->watcher ? self->watcher : self->watch ? self->id : 0;
	env_publish(child);
	return child->id;
}

/* exofork(): a new child environment with a copy of the caller's registers (it
 * sees 0 as this call's result), an empty user address space, the caller's %fs
 * base, upcall entries and quotas, not runnable. Returns the child's id, or
 * -E_NOENV / -E_NOMEM. */
long sys_exofork(void)
{
	return fork_env(false);
}

/* exofork_shared(): as exofork, but the child runs in the caller's address space:
 * the same page tables, so every mapping either of them (or any other environment
 * in the space) makes, before or after, both see. It is still an environment of
 * its own: registers, %fs base, exception stack top, quotas, time slots and
 * charges are its own, and it is the caller's child. The space lives until the
 * last environment in it ends. Returns the child's id, or -E_NOENV / -E_NOMEM. */
long sys_exofork_shared(void)
{
	return fork_env(true);
}

/* env_set_fsbase(envid, base): set the %fs base of the caller or a descendant
 * (thread-local storage); the kernel loads it whenever envid runs. Returns 0,
 * -E_INVAL (base not a user address), -E_BADENV, -E_PERM. */
long sys_env_set_fsbase(long envid, long base)
{
	struct env *e;
	if ((uint64_t)base >= ULIM)
		return -E_INVAL;
	int r = env_controlled(envid, &e);
	if (r < 0)
		return r;
	e->fs_base = (uint64_t)base;
	if (e == curenv())
		wrmsr(MSR_FS_BASE, e->fs_base);
	return 0;
}

/* env_watch(): from now on the caller gets a death note (EXO_IPC_DEATH) when any
 * environment made below it ends, however deep, unless an ancestor of the caller
 * watched first (the outermost watcher is the one told: a descendant cannot hide
 * its children's ends from it). Environments that exist already are not covered.
 * Returns 0. */
long sys_env_watch(void)
{
	curenv()->watch = true;
	return 0;
}

/* env_destroy(envid): end envid (self or a descendant) and free all it holds. */
long sys_env_destroy(long envid)
{
	struct env *e;
	int r = env_controlled(envid, &e);
	if (r < 0)
		return r;
	if (e == curenv()) {
		env_destroy(e, 0);
		sched_run();
	}
	env_destroy(e, 0);
	return 0;
}

/* env_set_heir(envid, heir): name heir (a child of envid; 0: none) to take envid's
 * place when envid ends, however it ends: heir's parent becomes envid's parent,
 * envid's other children become heir's, what envid was charged for and others
 * still use passes to heir instead of the parent, and if envid is the boot
 * environment, heir becomes it (the machine does not power off). exec in the libOS
 * uses it: the new image keeps the old one's children. An heir that has ended, or
 * is no longer envid's child, by then is ignored. Returns 0, -E_INVAL (heir is
 * envid), -E_BADENV, -E_PERM (heir is not envid's child). */
long sys_env_set_heir(long envid, long heirid)
{
	struct env *e, *heir = NULL;
	int r = env_controlled(envid, &e);
	if (r < 0)
		return r;
	if (heirid) {
		if (!(heir = env_lookup(heirid)))
			return -E_BADENV;
		if (heir == e)
			return -E_INVAL;
		if (heir->parent != e->id)
			return -E_PERM;
	}
	e->heir = heir ? heir->id : 0;
	return 0;
}

/* env_set_status(envid, status): EXO_ENV_RUNNABLE or EXO_ENV_NOT_RUNNABLE for a
 * descendant. Returns 0, -E_INVAL, -E_BADENV or -E_PERM. */
long sys_env_set_status(long envid, long status)
{
	struct env *e;
	if (status != EXO_ENV_RUNNABLE && status != EXO_ENV_NOT_RUNNABLE)
		return -E_INVAL;
	int r = env_controlled(envid, &e);
	if (r < 0)
		return r;
	if (env_blocked(e))
		return -E_AGAIN; /* blocked in the kernel: it wakes by itself */
	e->status = status == EXO_ENV_RUNNABLE ? ENV_RUNNABLE : ENV_NOT_RUNNABLE;
	e->started |= e->status == ENV_RUNNABLE;
	env_publish(e);
	if (e == curenv() && e->status != ENV_RUNNABLE) {
		e->tf.rax = 0;
		sched_run();
	}
	return 0;
}

/* env_set_regs(envid, regs): set a descendant's user registers from a struct
 * exo_regs. rip and rsp must be user addresses; rflags keeps only the arithmetic
 * flags and DF, with interrupts on. Returns 0, -E_FAULT, -E_INVAL, -E_BADENV, -E_PERM. */
long sys_env_set_regs(long envid, long regs_va)
{
	struct env *e;
	struct exo_regs r;
	int err = env_controlled(envid, &e);
	if (err < 0)
		return err;
	if (e == curenv())
		return -E_INVAL; /* use an ordinary jump */
	if (copy_in(&r, regs_va, sizeof r) < 0)
		return -E_FAULT;
	if (r.rip >= ULIM || r.rsp > ULIM)
		return -E_INVAL;
	struct trapframe *tf = &e->tf;
	tf->r15 = r.r15, tf->r14 = r.r14, tf->r13 = r.r13, tf->r12 = r.r12;
	tf->r11 = r.r11, tf->r10 = r.r10, tf->r9 = r.r9, tf->r8 = r.r8;
	tf->rbp = r.rbp, tf->rdi = r.rdi, tf->rsi = r.rsi, tf->rdx = r.rdx;
	tf->rcx = r.rcx, tf->rbx = r.rbx, tf->rax = r.rax;
	tf->rip = r.rip, tf->rsp = r.rsp;
	tf->rflags = (r.rflags & 0xCD5) | RFLAGS_IF | 0x2; /* CF PF AF ZF SF DF OF */
	tf->cs = USER_CS, tf->ss = USER_SS;
	tf->trapno = 0; /* resume with iret: every register as given */
	return 0;
}

/* env_set_upcall(envid, kind, entry, xstack_top): set the exception (kind 0) or
 * slot-start (kind 1) handler and the exception stack top. entry 0 removes the
 * handler. Returns 0, -E_INVAL (kernel address, misaligned stack), -E_BADENV, -E_PERM. */
long sys_env_set_upcall(long envid, long kind, long entry, long xstack_top)
{
	struct env *e;
	if (kind != EXO_UPCALL_EXCEPTION && kind != EXO_UPCALL_SLOT)
		return -E_INVAL;
	if ((uint64_t)entry >= ULIM || (uint64_t)xstack_top > ULIM || (xstack_top & 15) ||
	    (uint64_t)xstack_top < XSTACK_SIZE)
		return -E_INVAL;
	int r = env_controlled(envid, &e);
	if (r < 0)
		return r;
	if (kind == EXO_UPCALL_EXCEPTION)
		e->upcall_entry = entry;
	else
		e->slot_upcall_entry = entry;
	e->xstack_top = xstack_top;
	return 0;
}

/* env_set_quota(envid, frames, slots): set the quotas of the caller or a
 * descendant, never above the caller's own (a quota below what envid holds only
 * stops further charges). Returns 0, -E_INVAL, -E_BADENV, -E_PERM. */
long sys_env_set_quota(long envid, long frames, long slots)
{
	struct env *e, *self = curenv();
	if (frames < 0 || slots < 0)
		return -E_INVAL;
	int r = env_controlled(envid, &e);
	if (r < 0)
		return r;
	if ((uint64_t)frames > self->frame_quota || (uint64_t)slots > self->slot_quota)
		return -E_PERM;
	e->frame_quota = (uint64_t)frames;
	e->slot_quota = (uint32_t)slots;
	env_publish(e);
	return 0;
}

/* power_delegate(envid): let a descendant power the machine off too. Only an
 * environment that may itself power off can delegate. */
long sys_power_delegate(long envid)
{
	struct env *e;
	if (!curenv()->may_power_off)
		return -E_PERM;
	int r = env_controlled(envid, &e);
	if (r < 0)
		return r;
	e->may_power_off = true;
	env_publish(e);
	return 0;
}

/* power_off(status): power the machine off. Only the boot environment, or one it
 * designated with power_delegate. */
long sys_power_off(long status)
{
	if (!curenv()->may_power_off)
		return -E_PERM;
	kprintf("exo: power off requested by [%s]\n", curenv()->name);
	power_off((int)status);
}
