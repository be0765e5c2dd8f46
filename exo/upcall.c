/*
 * Upcalls: the kernel hands a CPU exception (or the start of a time slot) to the
 * environment itself. It pushes a struct exo_utf with every register onto the
 * environment's exception stack and resumes it at its handler; the libOS's entry
 * stub restores all registers and returns to the interrupted code.
 */
#include "env.h"
#include "vm.h"
#include "x86.h"
#include "counters.h"
#include "../include/exo/syscall.h"
#include "../include/exo/exports.h"
#include "../include/exo/memlayout.h"
#include "../include/exo/trap.h"


static bool on_xstack(const struct env *e, uint64_t rsp)
{
	return rsp <= e->xstack_top && rsp > e->xstack_top - XSTACK_SIZE;
}

/* Push a utf for tf onto e's exception stack and point tf at entry. Returns false
 * (with *why set) if the stack is not writable user memory. */
static bool push_utf(struct env *e, struct trapframe *tf, uint64_t trapno, uint64_t entry, const char **why)
{
	struct exo_utf utf = {
		.trapno = trapno, .err = tf->err, .fault_va = trapno == EXO_T_PGFLT ? rcr2() : 0,
		.r15 = tf->r15, .r14 = tf->r14, .r13 = tf->r13, .r12 = tf->r12,
		.r11 = tf->r11, .r10 = tf->r10, .r9 = tf->r9, .r8 = tf->r8,
		.rbp = tf->rbp, .rdi = tf->rdi, .rsi = tf->rsi, .rdx = tf->rdx,
		.rcx = tf->rcx, .rbx = tf->rbx, .rax = tf->rax,
		.rip = tf->rip, .rflags = tf->rflags, .rsp = tf->rsp,
	};
	uint64_t sp = ROUNDDOWN(e->xstack_top - sizeof utf, 16);
	if (entry >= ULIM) {
		*why = "its upcall handler address is not a user address";
		return false;
	}
	if (env_copy_out(e, sp, &utf, sizeof utf) < 0) {
		*why = "its exception stack is not mapped writable";
		return false;
	}
	tf->rsp = sp;
	tf->rip = entry;
	tf->rdi = sp;
	tf->rflags &= ~(RFLAGS_DF | RFLAGS_TF);
	tf->trapno = trapno; /* not T_SYSCALL: resume with iret, all registers intact */
	return true;
}

bool upcall_exception(struct env *e, struct trapframe *tf)
{
	if (!e->upcall_entry)
		return false;
	uint64_t t0 = rdtsc();
	const char *why = NULL;
	if (on_xstack(e, tf->rsp))
		why = "it faulted inside its own upcall handler";
	else
		push_utf(e, tf, tf->trapno, e->upcall_entry, &why);
	counters.upcall_tsc += rdtsc() - t0;
	if (!why) {
		counters.upcalls[0]++;
		return true;
	}
	counters.upcalls[2]++;
	kprintf("exo: env %#x [%s] killed: cannot deliver %s at rip %#lx: %s\n", e->id, e->name,
		trap_name(tf->trapno), tf->rip, why);
	env_destroy(e, ENV_STATUS_FAULT);
	sched_run();
}

void upcall_slot(struct env *e)
{
	if (!e->slot_upcall_entry || on_xstack(e, e->tf.rsp))
		return;
	const char *why;
	if (push_utf(e, &e->tf, EXO_T_SLOT, e->slot_upcall_entry, &why))
		counters.upcalls[1]++;
	else
		counters.upcalls[2]++; /* not delivered: the environment just runs on */
}

void upcall_interrupt(struct env *e)
{
	if (!e->upcall_entry) {
		e->interrupt_pending = false; /* nobody to tell */
		return;
	}
	if (on_xstack(e, e->tf.rsp))
		return; /* in its handler: owed until it leaves */
	const char *why;
	e->interrupt_pending = false;
	if (push_utf(e, &e->tf, EXO_T_INTERRUPT, e->upcall_entry, &why))
		counters.upcalls[0]++;
	else
		counters.upcalls[2]++; /* not delivered: the environment just runs on */
}
