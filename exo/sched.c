/*
 * The scheduler: round-robin over runnable environments. When nothing is runnable
 * the CPU halts with interrupts on until an interrupt wakes someone.
 */
#include "env.h"
#include "x86.h"
#include "power.h"

void sched_run(void)
{
	for (;;) {
		struct env *cur = curenv();
		int start = cur ? ENVX(cur->id) : 0;
		bool alive = false;
		for (int k = 1; k <= NENV; k++) {
			struct env *e = &envs[(start + k) % NENV];
			if (e->status == ENV_RUNNABLE)
				env_run(e);
			alive |= e->status != ENV_FREE;
		}
		if (!alive) {
			kprintf("exo: no environments left\n");
			power_off(0);
		}
		__asm__ volatile("sti; hlt; cli");
	}
}
