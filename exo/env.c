/* Environment creation, loading of the boot environment, destruction and resume. */
#include "env.h"
#include "pmem.h"
#include "vm.h"
#include "x86.h"
#include "power.h"
#include "syscalls.h"
#include "../include/exo/error.h"
#include "../include/exo/elf64.h"
#include "../include/exo/exports.h"

struct env envs[NENV];
int env_top = 1;
envid_t boot_envid;
static uint32_t next_generation[NENV];  /* per slot; ENV_GENERATIONS = retired */
uint32_t env_first_generation = 1;
struct exo_env_view env_views[NENV] __attribute__((aligned(4096)));
uint64_t default_frame_quota = UINT64_MAX;
uint32_t default_slot_quota = 4;

_Static_assert(sizeof(struct trapframe) % 16 == 0, "trapframe must end 16-byte aligned");

void env_init(void)
{
	uint32_t g = MAX(1u, MIN(env_first_generation, ENV_GENERATIONS - 1));
	for (int i = 0; i < NENV; i++) {
		envs[i].status = ENV_FREE;
		next_generation[i] = g;
	}
}

void env_views_init(void)
{
	for (size_t off = 0; off < sizeof env_views; off += PAGE_SIZE)
		vm_map_export(UENVS + off, kimage_pa((uint8_t *)env_views + off));
}

void env_publish_state(const struct env *e)
{
	struct exo_env_view *v = &env_views[e - envs];
	v->status = e->status == ENV_RUNNABLE ? EXO_ENV_RUNNABLE : EXO_ENV_NOT_RUNNABLE;
	v->flags = (e->ipc_recving ? EXO_ENVF_IPC_RECV : 0) | (e->wait_console ? EXO_ENVF_CONSOLE : 0) |
		   (e->may_power_off ? EXO_ENVF_POWER : 0) | (e->wait_pa ? EXO_ENVF_ADDR_WAIT : 0);
}

void env_publish(const struct env *e)
{
	struct exo_env_view *v = &env_views[e - envs];
	if (e->status == ENV_FREE) {
		memset(v, 0, sizeof *v);
		return;
	}
	v->id = e->id;
	v->parent = e->parent;
	env_publish_state(e);
	v->space = e->space;
	v->nframes = e->held.count;
	v->frame_quota = e->frame_quota;
	v->nslots = e->nslots;
	v->slot_quota = e->slot_quota;
}

bool env_controls(const struct env *actor, const struct env *target)
{
	if (target && target->pml4_pa == actor->pml4_pa)
		return true; /* one address space: each could already change the other's memory */
	for (int depth = 0; target && depth < NENV; depth++) {
		if (target == actor)
			return true;
		if (!target->parent)
			return false;
		const struct env *p = &envs[ENVX(target->parent)];
		target = (p->status != ENV_FREE && p->id == target->parent) ? p : NULL;
	}
	return false;
}

int env_controlled(long envid, struct env **out)
{
	struct env *e = env_lookup(envid);
	if (!e)
		return -E_BADENV;
	if (!env_controls(curenv(), e))
		return -E_PERM;
	*out = e;
	return 0;
}

int env_copy_out(struct env *e, uint64_t va, const void *src, size_t len)
{
	if (va >= ULIM || len > ULIM - va)
		return -E_FAULT;
	if (len > PAGE_SIZE - (va & (PAGE_SIZE - 1)) && !user_range_ok(e, va, len, true))
		return -E_FAULT; /* more than one page: all are checked before any is written */
	const uint8_t *s = src;
	while (len) {
		uint64_t n = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1))), eff;
		uint64_t pa = vm_user_pa(e->pml4_pa, va, &eff); /* every level must grant user write */
		if (!pa || !(eff & PTE_U) || !(eff & PTE_W))
			return -E_FAULT;
		memcpy(KADDR(pa), s, n);
		va += n, s += n, len -= n;
	}
	return 0;
}

struct env *env_lookup(long id)
{
	if (id == 0)
		return curenv();
	if (id < 0 || id > INT32_MAX)
		return NULL;
	struct env *e = &envs[ENVX(id)];
	if (e->status == ENV_FREE || e->id != id)
		return NULL;
	return e;
}

int env_alloc(envid_t parent, const char *name, const struct env *share, struct env **out)
{
	struct env *e = NULL;
	for (int i = 1; i < NENV && !e; i++) /* slot 0 unused: id 0 means "self" */
		if (envs[i].status == ENV_FREE && next_generation[i] < ENV_GENERATIONS)
			e = &envs[i];
	if (!e)
		return -E_NOENV;
	uint64_t pml4 = share ? share->pml4_pa : vm_new_space();
	if (!pml4)
		return -E_NOMEM;
	pmem_frame(pml4)->maps++; /* one more environment in the space */
	envid_t space = share ? share->space : 0;
	int slot = (int)(e - envs);
	memset(e, 0, sizeof *e);
	e->id = (envid_t)((next_generation[slot]++ << NENV_LOG2) | (uint32_t)slot);
	e->space = space ? space : e->id;
	env_top = MAX(env_top, slot + 1);
	e->held = FRAME_LIST_EMPTY;
	e->parent = parent;
	e->pml4_pa = pml4;
	e->status = ENV_NOT_RUNNABLE;
	e->frame_quota = default_frame_quota;
	e->slot_quota = default_slot_quota;
	strlcpy(e->name, name, sizeof e->name);
	strlcpy(env_views[slot].name, name, sizeof env_views[slot].name); /* fixed for its life: published once */
	e->tf.cs = USER_CS;
	e->tf.ss = USER_SS;
	e->tf.rflags = RFLAGS_IF | 0x2;
	*(uint16_t *)&e->fxsave[0] = 0x037F;     /* x87 control word: default */
	*(uint32_t *)&e->fxsave[24] = 0x1F80;    /* MXCSR: all exceptions masked */
	env_publish(e);
	*out = e;
	return 0;
}

int env_reserve(const struct env *e, uint64_t n)
{
	int r = charge_check(e, n);
	if (r < 0)
		return r;
	return pmem_room(n) ? 0 : -E_NOMEM;
}

pte_t *env_walk_make(struct env *e, uint64_t va, int level)
{
	const struct pt_make make = { e, PTE_P | PTE_W | PTE_U };
	pte_t *pte = vm_walk(e->pml4_pa, 3, va, level, &make, NULL);
	assert(pte); /* reserved by the caller */
	return pte;
}

uint64_t env_page_alloc(struct env *e, uint64_t va, uint64_t perm, const void *from, int *err)
{
	struct pt_tally t = { 0 };
	if ((*err = env_map_check(e, va, &t)) < 0 || (*err = env_reserve(e, t.n + 1)) < 0)
		return 0;
	uint64_t pa = charge_alloc(e, 0, from);
	env_map_frame(e, va, pa, perm);
	return pa;
}

int env_map_check(struct env *e, uint64_t va, struct pt_tally *t)
{
	pte_t *pde = vm_pde(e->pml4_pa, va);
	if (pde && (*pde & PTE_P))
		return (*pde & PTE_PS) ? -E_INVAL : vm_pde_frozen(*pde) ? -E_AGAIN : 0;
	vm_tables_missing(e->pml4_pa, va, 0, t);
	return 0;
}

void env_map_frame(struct env *e, uint64_t va, uint64_t pa, uint64_t perm)
{
	pte_t *pte = env_walk_make(e, va, 0);
	pmem_count_mapping(pa); /* first: replacing a mapping of the same frame must not free it */
	if (*pte & PTE_P)
		vm_unmap_pte(pte);
	vm_set(pte, pa | perm | PTE_P | PTE_U);
	invlpg(va); /* the table may be shared (for writing) with the running environment's */
}

/* Copy the module's loadable segments into e's address space. */
static int load_elf(struct env *e, const uint8_t *img, size_t size)
{
	const char *why;
	if (elf_validate(img, size, UTEXT, ULIM, &why) < 0) {
		kprintf("exo: boot module '%s' is not a valid program: %s\n", e->name, why);
		return -E_INVAL;
	}
	const struct elf64_ehdr *eh = (const void *)img;
	struct elf_page_iter it = { 0 };
	struct elf_page pg;
	while (elf_next_page(img, &it, &pg)) {
		int err;
		uint64_t perm = (pg.writable ? PTE_W : 0) | (pg.executable ? 0 : PTE_NX);
		uint64_t pa = env_page_alloc(e, pg.va, perm, NULL, &err);
		if (!pa)
			return err;
		memcpy((uint8_t *)KADDR(pa) + pg.page_off, img + pg.file_off, pg.file_len);
	}
	e->tf.rip = eh->e_entry;
	return 0;
}

/* Map the initial stack and lay out argc/argv/envp/auxv (System V) from cmdline. */
static int setup_stack(struct env *e, const char *cmdline)
{
	uint64_t top_pa = 0;
	for (uint64_t i = 1; i <= USTACK_PAGES; i++) {
		int err;
		uint64_t pa = env_page_alloc(e, USTACKTOP - i * PAGE_SIZE, PTE_W | PTE_NX, NULL, &err);
		if (!pa)
			return err;
		if (i == 1)
			top_pa = pa;
	}
	/* Everything fits in the top page: the command line is at most 255 bytes. */
	uint8_t *page = KADDR(top_pa);
	uint64_t page_va = USTACKTOP - PAGE_SIZE;
	char *strs = (char *)page + PAGE_SIZE - BOOT_CMDLINE_MAX;
	strlcpy(strs, cmdline, BOOT_CMDLINE_MAX);
	uint64_t argv[32];
	int argc = 0;
	for (char *p = strs; *p && argc < 31;) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		argv[argc++] = page_va + (uint64_t)(p - (char *)page);
		while (*p && *p != ' ')
			p++;
	}
	uint64_t words[32 + 6], n = 0;
	words[n++] = argc;
	for (int i = 0; i < argc; i++)
		words[n++] = argv[i];
	words[n++] = 0;         /* end of argv */
	words[n++] = 0;         /* empty envp */
	words[n++] = 0, words[n++] = 0; /* auxv: AT_NULL */
	uint64_t sp = ROUNDDOWN(page_va + PAGE_SIZE - BOOT_CMDLINE_MAX - n * 8, 16);
	memcpy(page + (sp - page_va), words, n * 8);
	e->tf.rsp = sp;
	return 0;
}

int env_map_module(struct env *e, uint64_t uva, uint64_t start, uint64_t end)
{
	for (uint64_t pa = ROUNDDOWN(start, PAGE_SIZE); pa < end; pa += PAGE_SIZE, uva += PAGE_SIZE) {
		struct pt_tally t = { 0 };
		int r = env_map_check(e, uva, &t);
		if (r < 0 || (r = env_reserve(e, t.n)) < 0)
			return r;
		env_map_frame(e, uva, pa, PTE_NX);
	}
	return 0;
}

int env_create_boot(const struct boot_module *m)
{
	struct env *e;
	char name[32];
	size_t i = 0;
	const char *base = m->cmdline;
	for (const char *p = m->cmdline; *p && *p != ' '; p++)
		if (*p == '/')
			base = p + 1;
	for (; base[i] && base[i] != ' ' && i < sizeof name - 1; i++)
		name[i] = base[i];
	name[i] = 0;
	int r = env_alloc(0, i ? name : "boot", NULL, &e);
	if (r < 0)
		return r;
	if ((r = load_elf(e, KADDR(m->start), m->end - m->start)) < 0 ||
	    (r = setup_stack(e, m->cmdline[0] ? m->cmdline : "boot")) < 0) {
		env_destroy(e, 1);
		return r;
	}
	boot_envid = e->id;
	e->may_power_off = true;
	e->started = true;
	e->status = ENV_RUNNABLE;
	env_publish(e);
	kprintf("exo: boot environment %#x [%s] loaded, entry %#lx\n", e->id, e->name, e->tf.rip);
	return 0;
}

void env_destroy(struct env *e, int status)
{
	struct cpu *c = thiscpu();
	if (c->env == e) {
		vm_load(kern_pml4_pa);
		c->env = NULL;
	}
	if (c->fpu_owner == e)
		c->fpu_owner = NULL;
	/* Children it made but never started have no life of their own: they end with
	 * it (an interrupted fork or exec leaves no environment that nobody knows of). */
	for (int i = 1; i < env_top; i++)
		if (envs[i].status != ENV_FREE && envs[i].parent == e->id && !envs[i].started)
			env_destroy(&envs[i], 0);
	sched_release(e);
	if (--pmem_frame(e->pml4_pa)->maps == 0) /* the last environment in the space */
		vm_free_space(e->pml4_pa);
	/* What it was charged for and others still use (pages mapped elsewhere, shared
	 * page tables), and its children, go to its heir if it named a live one (which
	 * takes its place under its parent), else to its parent, who is told of its end. */
	struct env *parent = e->parent ? env_lookup(e->parent) : NULL;
	struct env *heir = e->heir ? env_lookup(e->heir) : NULL; /* (never-started ones ended above) */
	if (heir && heir->parent != e->id)
		heir = NULL;
	struct env *to = heir ? heir : parent;
	if (to)
		charge_hand_over(e, to);
	e->status = ENV_FREE;
	env_publish(e);
	if (heir) {
		heir->parent = e->parent;
		env_publish(heir);
	}
	for (int i = 1; i < env_top; i++)
		if (envs[i].status != ENV_FREE && envs[i].parent == e->id) {
			envs[i].parent = to ? to->id : 0;
			env_publish(&envs[i]);
		}
	if (parent)
		env_notify(parent, e->id, EXO_IPC_DEATH, (uint64_t)(uint32_t)status);
	struct env *watcher = e->watcher ? env_lookup(e->watcher) : NULL;
	if (watcher && watcher != parent)
		env_notify(watcher, e->id, EXO_IPC_DEATH, (uint64_t)(uint32_t)status);
	if (e->id == boot_envid && heir) {
		boot_envid = heir->id;
		heir->may_power_off = true;
		env_publish(heir);
	} else if (e->id == boot_envid) {
		kprintf("exo: boot environment [%s] exited with status %d\n", e->name, status);
		power_off(status);
	}
}

void env_run(struct env *e)
{
	struct cpu *c = thiscpu();
	if (c->env != e) {
		if (!c->env || c->env->pml4_pa != e->pml4_pa)
			vm_load(e->pml4_pa); /* environments sharing a space share its TLB entries too */
		if (!c->env || c->env->fs_base != e->fs_base)
			wrmsr(MSR_FS_BASE, e->fs_base);
		c->env = e;
	}
	if (c->fpu_owner != e) {
		if (c->fpu_owner)
			__asm__ volatile("fxsave64 %0" : "=m"(c->fpu_owner->fxsave));
		__asm__ volatile("fxrstor64 %0" : : "m"(e->fxsave));
		c->fpu_owner = e;
	}
	if (e->interrupt_pending)
		upcall_interrupt(e);
	cpu_set_trapframe(&e->tf);
	uint64_t rip = e->tf.rip;
	bool canonical = rip < ULIM;
	if (e->tf.trapno == T_SYSCALL && canonical)
		env_pop_tf_sysret(&e->tf);
	env_pop_tf_iret(&e->tf);
}
