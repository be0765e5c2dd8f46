/*
 * Time slices. A round is a vector of nslots slots of one quantum each; the LAPIC
 * timer (one-shot, set for the end of the slot or an earlier sleep or interrupt
 * deadline) ends a slot. Slot i runs its owner when the owner is runnable; a free slot,
 * or one whose owner is blocked, runs the other runnable environments round-robin.
 * An environment allocates and frees slots (within its slot quota), donates the rest
 * of a slot with a directed yield, and may take a slot-start upcall to run its own
 * scheduler. The vector is exported read-only at USLOTS.
 */
#include "env.h"
#include "lapic.h"
#include "pmem.h"
#include "vm.h"
#include "x86.h"
#include "power.h"
#include "counters.h"
#include "../include/exo/error.h"
#include "../include/exo/exports.h"

static union {
	struct exo_slots v;
	uint8_t page[4096]; /* exported: the page holds nothing else */
} slots_u __attribute__((aligned(4096)));
#define slots slots_u.v
static int rr_next = 1; /* round-robin cursor over envs[] */
static uint64_t slot_end; /* TSC at which the current slot ends */
static uint64_t armed;    /* TSC the timer is set for */

/* arm: set the timer for the end of the slot or the earliest deadline of an
 * environment (sleep_until, interrupt_at), whichever comes first, so that a
 * deadline is met to the timer's precision, not the slot's. */
static void arm(void)
{
	uint64_t next = slot_end;
	for (int i = 1; i < env_top; i++) {
		const struct env *e = &envs[i];
		if (e->status == ENV_FREE)
			continue;
		if (e->sleep_until && e->sleep_until < next)
			next = e->sleep_until;
		if (e->interrupt_at && e->interrupt_at < next)
			next = e->interrupt_at;
	}
	armed = next;
	lapic_arm(next);
}

/* arm_for: a new deadline: set the timer sooner if it comes before. */
static void arm_for(uint64_t deadline)
{
	if (deadline && deadline < armed)
		arm();
}

void sched_init(uint32_t nslots, uint64_t quantum_us)
{
	slots.nslots = MAX(1u, MIN(nslots, (uint32_t)EXO_MAX_SLOTS));
	vm_map_export(USLOTS, kimage_pa(&slots));
	lapic_init(quantum_us);
	slots.quantum_tsc = tsc_hz * quantum_us / 1000000;
	slot_end = rdtsc() + slots.quantum_tsc;
	arm();
	kprintf("sched: %u slots per round\n", slots.nslots);
}

/* Next runnable environment after the round-robin cursor, or NULL. */
static struct env *pick_round_robin(void)
{
	for (int k = 0; k < env_top; k++) {
		struct env *e = &envs[(rr_next + k) % env_top];
		if (e->status == ENV_RUNNABLE) {
			rr_next = (int)(e - envs) + 1;
			return e;
		}
	}
	return NULL;
}

/* The owner of the current slot, if it exists and can run. */
static struct env *slot_owner(void)
{
	envid_t id = slots.owner[slots.current];
	struct env *e = id ? &envs[ENVX(id)] : NULL;
	return (e && e->id == id && e->status == ENV_RUNNABLE) ? e : NULL;
}

void sched_run(void)
{
	for (;;) {
		struct env *e = slot_owner();
		if (!e)
			e = pick_round_robin();
		if (e) {
			if (e != curenv())
				counters.context_switches++;
			env_run(e);
		}
		bool alive = false;
		for (int i = 1; i < env_top && !alive; i++)
			alive = envs[i].status != ENV_FREE;
		if (!alive) {
			kprintf("exo: no environments left\n");
			power_off(0);
		}
		/* Idle until an interrupt (timer, console) makes someone runnable. */
		__asm__ volatile("sti; hlt; cli");
	}
}

/* Make sleepers whose deadline has passed runnable again. */
static void wake_sleepers(void)
{
	uint64_t now = rdtsc();
	for (int i = 1; i < env_top; i++) {
		struct env *e = &envs[i];
		if (e->interrupt_at && e->status != ENV_FREE && now >= e->interrupt_at) {
			e->interrupt_at = 0;
			env_interrupt(e);
		}
		if (e->sleep_until && e->status == ENV_NOT_RUNNABLE && now >= e->sleep_until) {
			e->sleep_until = e->wait_pa = 0; /* an addr_wait's time is up: it returns -E_TIMEDOUT */
			e->status = ENV_RUNNABLE;
			env_publish(e);
		}
	}
}

/* interrupt_at(tsc): interrupt the caller (as env_interrupt) when the TSC reaches
 * tsc (the timer is set for it); 0 cancels. One deadline per environment: a new
 * call replaces the old. Returns 0. */
long sys_interrupt_at(long deadline)
{
	curenv()->interrupt_at = (uint64_t)deadline;
	arm_for((uint64_t)deadline);
	return 0;
}

void sched_sleep(struct env *e, uint64_t deadline, long result)
{
	e->sleep_until = deadline;
	arm_for(deadline);
	e->status = ENV_NOT_RUNNABLE;
	e->tf.rax = (uint64_t)result;
	env_publish(e);
	sched_run();
}

/* sleep_until(tsc): block until the TSC reaches tsc (the timer is set for it). Returns 0, or -E_INTR when an
 * interrupt (env_interrupt, interrupt_at) ends the sleep first. */
long sys_sleep_until(long deadline)
{
	if ((uint64_t)deadline <= rdtsc())
		return 0;
	sched_sleep(curenv(), (uint64_t)deadline, 0);
}

void sched_tick(void)
{
	counters.timer_ticks++;
	wake_sleepers();
	uint64_t now = rdtsc();
	bool slot_over = now >= slot_end;
	if (slot_over)
		slot_end = now + slots.quantum_tsc;
	arm();
	if (!slot_over)
		return; /* a deadline, not the end of the slot: whoever ran runs on */
	slots.current = (slots.current + 1) % slots.nslots;
	if (slots.current == 0)
		slots.rounds++;
	struct env *owner = slot_owner();
	if (owner) {
		upcall_slot(owner);
		if (owner != curenv())
			counters.context_switches++;
		env_run(owner);
	}
	/* A shared slot: give the next environment in round-robin order its turn. */
	struct env *cur = curenv();
	if (cur && cur->status == ENV_RUNNABLE) {
		struct env *next = pick_round_robin();
		if (next && next != cur) {
			counters.context_switches++;
			env_run(next);
		}
	}
}

void sched_release(struct env *e)
{
	for (uint32_t i = 0; i < slots.nslots; i++)
		if (slots.owner[i] == e->id)
			slots.owner[i] = 0;
	e->nslots = 0;
}

/* yield(target): give the rest of the current slot to target (an environment id),
 * or with 0 to whoever is next. Returns 0 (when the caller runs again), or
 * -E_BADENV / -E_INVAL for a target that does not exist or cannot run. */
long sys_yield(long target)
{
	struct env *self = curenv();
	if (target) {
		struct env *t = env_lookup(target);
		if (!t)
			return -E_BADENV;
		if (t->status != ENV_RUNNABLE)
			return -E_INVAL;
		self->tf.rax = 0;
		counters.context_switches++;
		env_run(t);
	}
	self->tf.rax = 0;
	struct env *next = pick_round_robin();
	if (next && next != self)
		counters.context_switches++;
	env_run(next ? next : self);
}

/* slot_alloc(slot): take slot number slot, or any free slot with -1. Returns the
 * slot number, or -E_QUOTA (slot quota reached), -E_EXIST (taken), -E_NOENT (no
 * free slot), -E_INVAL (no such slot). */
long sys_slot_alloc(long slot)
{
	struct env *self = curenv();
	if (slot < -1 || slot >= (long)slots.nslots)
		return -E_INVAL;
	if (self->nslots >= self->slot_quota)
		return -E_QUOTA;
	if (slot == -1) {
		for (uint32_t i = 0; i < slots.nslots && slot < 0; i++)
			if (!slots.owner[i])
				slot = i;
		if (slot < 0)
			return -E_NOENT;
	} else if (slots.owner[slot]) {
		return -E_EXIST;
	}
	slots.owner[slot] = self->id;
	self->nslots++;
	env_publish(self);
	return slot;
}

/* slot_free(slot): give back a slot the caller holds. Returns 0, -E_INVAL, or
 * -E_PERM when the caller does not hold it. */
long sys_slot_free(long slot)
{
	struct env *self = curenv();
	if (slot < 0 || slot >= (long)slots.nslots)
		return -E_INVAL;
	if (slots.owner[slot] != self->id)
		return -E_PERM;
	slots.owner[slot] = 0;
	self->nslots--;
	env_publish(self);
	return 0;
}
