/* slots: time slices. The timer preempts an environment that never yields; a
 * slot's owner runs in it and gets a slot-start upcall; blocking in ipc_recv gives
 * the CPU away. */
#include <stdint.h>
#include "../check.h"
#include "libos.h"

#define SHARED 0x40000000UL
static volatile uint64_t slot_upcalls;

static int on_slot_start(struct exo_utf *utf)
{
	(void)utf;
	slot_upcalls++;
	return 0;
}

int main(void)
{
	volatile uint64_t *shared = (volatile uint64_t *)SHARED;
	CHECK_EQ(sys_page_alloc(0, SHARED, PTE_W | PTE_NX), 0);
	envid_t me = (envid_t)sys_env_id();
	int child = libos_spawn_copy();
	CHECK(child >= 0);
	if (child == 0) {
		/* The child never yields: only the timer can give the parent the CPU back. */
		for (;;)
			shared[0]++;
	}
	/* Share the page with the child (replacing its private copy). */
	CHECK_EQ(sys_page_map(0, SHARED, child, SHARED, PTE_W | PTE_NX), 0);
	uint64_t ticks0 = exo_counters->timer_ticks;
	/* The parent spins without yielding too: both make progress only by preemption. */
	uint64_t seen = shared[0];
	while (shared[0] < seen + 100000)
		;
	CHECK(exo_counters->timer_ticks > ticks0);

	/* Own a slot and get an upcall at its start. */
	long slot = sys_slot_alloc(-1);
	CHECK(slot >= 0);
	CHECK_EQ(exo_slots->owner[slot], me);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nslots, 1);
	CHECK_EQ(libos_set_slot_handler(on_slot_start), 0);
	uint64_t rounds0 = exo_slots->rounds;
	while (exo_slots->rounds < rounds0 + 3)
		;
	CHECK(slot_upcalls >= 2);
	CHECK_EQ(sys_slot_free(slot), 0);
	CHECK_EQ(exo_slots->owner[slot], 0);
	CHECK_EQ(libos_set_slot_handler(0), 0);

	/* Directed yield: the child runs (its counter moves) and we get the CPU back. */
	seen = shared[0];
	CHECK_EQ(sys_yield(child), 0);
	CHECK(shared[0] != seen);
	CHECK_EQ(sys_env_destroy(child), 0);
	CHECK_EQ(exo_envs[EXO_ENVX(child)].id, 0);
	check_done("slots");
}
