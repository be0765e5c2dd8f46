/*
 * IPC: a receiver blocks in ipc_recv (not runnable: its slots run others until a
 * message comes); a sender delivers three words, and optionally grants a page, to
 * an environment that is receiving. Sending never blocks: a target that is not
 * receiving is an error the sender handles (retry after yielding to it, say).
 */
#include "env.h"
#include "syscalls.h"
#include "pmem.h"
#include "vm.h"
#include "counters.h"
#include "../include/exo/error.h"

/* deliver: hand a message to e, which is in ipc_recv or ipc_call (or returns from
 * one at once): it is written into the registers e resumes with (abi.md §3.21:
 * rdi = from | kind << 32, rsi = perm, rdx, r10, r8 = the words), the call
 * returns 0, and e is runnable. Nothing in e's memory is touched, so delivery
 * cannot fail. */
static void deliver(struct env *e, envid_t from, uint64_t kind, uint64_t perm,
		    uint64_t w0, uint64_t w1, uint64_t w2)
{
	e->tf.rdi = (uint32_t)from | kind << 32;
	e->tf.rsi = perm;
	e->tf.rdx = w0;
	e->tf.r10 = w1;
	e->tf.r8 = w2;
	e->tf.rax = 0;
	e->ipc_recving = false;
	e->status = ENV_RUNNABLE;
	env_publish_state(e);
}

/* take_note: if a kernel note is pending for self, deliver it (a death first) and
 * return true. */
static bool take_note(struct env *self)
{
	if (!self->death_note.pending && !self->wake_note.pending)
		return false;
	bool death = self->death_note.pending;
	typeof(self->death_note) *n = death ? &self->death_note : &self->wake_note;
	n->pending = false;
	deliver(self, n->from, EXO_IPC_NOTE, 0, death ? EXO_IPC_DEATH : EXO_IPC_WAKE, n->status, 0);
	return true;
}

/* wait_recv: self sleeps in ipc_recv (dstva checked) until a message. */
static void wait_recv(struct env *self, long dstva)
{
	self->ipc_recving = true;
	self->ipc_dstva = dstva;
	self->status = ENV_NOT_RUNNABLE;
	env_publish_state(self);
}

/* ipc_recv(dstva): wait for a message, returned in registers (abi.md §3.21); if
 * dstva < ULIM a page the sender grants is mapped there. A pending kernel note
 * (env_wake, a child's death) is returned at once instead. Returns 0 when a
 * message arrived, or -E_INVAL (misaligned dstva). */
long sys_ipc_recv(long dstva)
{
	struct env *self = curenv();
	if ((uint64_t)dstva < ULIM && !user_page_ok(dstva))
		return -E_INVAL;
	if (take_note(self))
		return 0;
	wait_recv(self, dstva);
	sched_run();
}

/* ipc_call(envid, w0, w1, w2): ipc_send of three words (no page) to envid, which
 * must be receiving, then ipc_recv(-1), in one call, and the CPU goes straight to
 * envid (as yield(envid)): a client's request and its wait for the answer, or a
 * server's answer and its wait for the next request. If the send fails nothing has
 * happened. A pending kernel note is returned at once after the send, as ipc_recv
 * does. Returns 0 when a message arrived (in registers, as ipc_recv), -E_BADENV or
 * -E_NORECV. */
long sys_ipc_call(long envid, long w0, long w1, long w2)
{
	struct env *self = curenv(), *dst = env_lookup(envid);
	if (!dst || envid == 0)
		return -E_BADENV;
	if (dst == self || !dst->ipc_recving)
		return -E_NORECV; /* (we are not receiving while we call) */
	deliver(dst, self->id, EXO_IPC_MSG, 0, w0, w1, w2);
	if (take_note(self))
		return 0;
	wait_recv(self, -1);
	counters.context_switches++;
	env_run(dst);
}

void env_notify(struct env *e, envid_t from, uint64_t kind, uint64_t status)
{
	if (e->ipc_recving) {
		deliver(e, from, EXO_IPC_NOTE, 0, kind, status, 0);
		return;
	}
	typeof(e->death_note) *n = kind == EXO_IPC_DEATH ? &e->death_note : &e->wake_note;
	n->pending = true;
	n->from = from, n->status = status;
}

void env_interrupt(struct env *e)
{
	e->interrupt_pending = true;
	if (e->status == ENV_NOT_RUNNABLE && env_blocked(e)) {
		if (e->wait_console)
			e->tf.rip += 2; /* cons_read was to be restarted: it returns instead */
		e->ipc_recving = e->wait_console = false;
		e->sleep_until = e->wait_pa = 0;
		e->tf.rax = (uint64_t)-E_INTR;
		e->status = ENV_RUNNABLE;
	}
	env_publish(e);
}

/* env_interrupt(envid): interrupt envid (the caller or a descendant): before it
 * next runs user code it takes an exception upcall with trapno EXO_T_INTERRUPT
 * (once it is off its exception stack; none if it has no upcall entry), and a
 * blocking call it sleeps in (ipc_recv, cons_read, sleep_until, addr_wait) returns -E_INTR
 * first. Interrupts do not queue: one is owed or none. An environment stopped with
 * env_set_status stays stopped. Returns 0, -E_BADENV or -E_PERM. */
long sys_env_interrupt(long envid)
{
	struct env *e;
	int err = env_controlled(envid, &e);
	if (err < 0)
		return err;
	env_interrupt(e);
	return 0;
}

/* env_wake(envid): make envid's current or next ipc_recv return with an
 * EXO_IPC_WAKE message. Any environment may wake any other: a wakeup carries no
 * data and a woken waiter re-checks what it waits for. Returns 0 or -E_BADENV. */
long sys_env_wake(long envid)
{
	struct env *e = env_lookup(envid);
	if (!e || envid == 0)
		return -E_BADENV;
	env_notify(e, curenv()->id, EXO_IPC_WAKE, 0);
	return 0;
}

/* ipc_send(envid, w0, w1, w2, srcva, perm): deliver the words to envid, which must
 * be blocked in ipc_recv; if srcva < ULIM and the receiver asked for a page, the
 * caller's frame at srcva is mapped there with perm (writable only if the caller's
 * mapping is). Everything is checked and reserved first: on an error the receiver
 * still waits and nothing has changed. Returns 0, or -E_BADENV (no such
 * environment), -E_NORECV (not receiving), -E_INVAL (bad srcva or perm), -E_PERM,
 * -E_QUOTA (receiver's quota, or the frame's mapping count is full), -E_AGAIN (the
 * receiver's page table there is shared read-only), -E_NOMEM. */
long sys_ipc_send(long envid, long w0, long w1, long w2, long srcva, long perm)
{
	struct env *self = curenv(), *dst = env_lookup(envid);
	if (!dst || envid == 0)
		return -E_BADENV;
	if (!dst->ipc_recving)
		return -E_NORECV;
	uint64_t pa = 0, msgperm = 0;
	bool grant = (uint64_t)srcva < ULIM && dst->ipc_dstva < ULIM;
	if ((uint64_t)srcva < ULIM) {
		uint64_t eff;
		if (!user_page_ok(srcva) || !perm_ok(perm))
			return -E_INVAL;
		pte_t *spte = vm_lookup(self->pml4_pa, srcva, &eff);
		if (!spte)
			return -E_INVAL;
		if ((perm & PTE_W) && !(eff & PTE_W))
			return -E_PERM;
		pa = PTE_ADDR(*spte);
		if (!pmem_map_room(pa, 1))
			return -E_QUOTA;
	}
	if (grant) {
		struct pt_tally t = { 0 };
		int err = env_map_check(dst, dst->ipc_dstva, &t);
		if (err < 0 || (err = env_reserve(dst, t.n)) < 0)
			return err;
		msgperm = (uint64_t)perm | PTE_P | PTE_U;
	}
	/* Everything is checked: mapping the page is the first change. */
	if (grant)
		env_map_frame(dst, dst->ipc_dstva, pa, (uint64_t)perm);
	deliver(dst, self->id, EXO_IPC_MSG, msgperm, w0, w1, w2);
	return 0;
}
