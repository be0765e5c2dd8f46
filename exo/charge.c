/*
 * Frames charged to environments: every user page and every page table an
 * environment is charged for carries its id as owner and sits on its holder list
 * (frame.h), and its nframes is that list's length. Charges change only here, so
 * they cannot drift: a frame is uncharged from exactly the environment it names,
 * and a dying environment's survivors pass to its parent in one step.
 */
#include "env.h"
#include "pmem.h"
#include "../include/exo/error.h"

/* The environment a charged frame's owner field names. Frames never name an
 * environment that is gone (charge_hand_over), so this is a kernel invariant. */
static struct env *holder(int32_t owner)
{
	struct env *e = &envs[ENVX(owner)];
	assert(owner > 0 && e->id == owner && e->status != ENV_FREE);
	return e;
}

/* Refresh the exported frame count of e. */
static void publish_count(const struct env *e)
{
	env_views[e - envs].nframes = e->held.count;
}

int charge_check(const struct env *e, uint64_t n)
{
	uint64_t held = e->held.count;
	if (n == 0)
		return 0; /* over the quota (frames inherited) only stops new charges */
	return held <= e->frame_quota && n <= e->frame_quota - held ? 0 : -E_QUOTA;
}

uint64_t charge_alloc(struct env *e, uint16_t flags, const void *from)
{
	uint64_t pa = pmem_alloc(e->id, flags, &e->held, from);
	if (pa)
		publish_count(e);
	return pa;
}

void charge_free(uint64_t pa, bool zero)
{
	int32_t owner = pmem_frame(pa)->owner;
	if (owner <= 0) {
		pmem_free(pa, NULL, zero);
		return;
	}
	struct env *e = holder(owner);
	pmem_free(pa, &e->held, zero);
	publish_count(e);
}

uint64_t charge_alloc_large(struct env *e, bool zero)
{
	uint64_t pa = pmem_alloc_large(e->id, &e->held, zero);
	if (pa)
		publish_count(e);
	return pa;
}

void charge_free_large(uint64_t pa)
{
	struct env *e = holder(pmem_frame(pa)->owner);
	pmem_free_large(pa, &e->held);
	publish_count(e);
}

void charge_move(uint64_t pa, struct env *to)
{
	struct env *from = holder(pmem_frame(pa)->owner);
	frame_move(&frames, (uint32_t)(pa >> PAGE_SHIFT), &from->held, &to->held, to->id);
	publish_count(from);
	publish_count(to);
}

void charge_hand_over(struct env *from, struct env *to)
{
	frame_move_all(&frames, &from->held, &to->held, to->id);
	publish_count(from);
	publish_count(to);
}
