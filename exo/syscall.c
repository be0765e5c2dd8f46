/*
 * System-call dispatch and the calls themselves. Every call decodes and checks all
 * of its arguments before it changes anything, and returns a negative E_* code on
 * bad input: a user program can never make the kernel panic.
 */
#include "env.h"
#include "vm.h"
#include "pmem.h"
#include "x86.h"
#include "console.h"
#include "power.h"
#include "../include/exo/error.h"
#include "../include/exo/syscall.h"

/* Handlers take 0-6 longs; the SysV ABI lets each be called as a 6-argument function. */
typedef long (*syscall_fn)(long, long, long, long, long, long);

/* user_range_ok: [va, va+len) lies below ULIM and every page is mapped for the user
 * (and writable when write is set) in e's address space. */
static bool user_range_ok(struct env *e, uint64_t va, uint64_t len, bool write)
{
	if (len == 0)
		return true;
	if (va >= ULIM || len > ULIM - va)
		return false;
	for (uint64_t p = ROUNDDOWN(va, PAGE_SIZE); p < va + len; p += PAGE_SIZE) {
		pte_t *pte = vm_walk(e->pml4_pa, p, false);
		if (!pte || !(*pte & PTE_P) || !(*pte & PTE_U) || (write && !(*pte & PTE_W)))
			return false;
	}
	return true;
}

/* user_page_ok: va is a page-aligned user address the caller may map. */
static bool user_page_ok(uint64_t va)
{
	return va < ULIM && (va & (PAGE_SIZE - 1)) == 0;
}

/* perm_ok: only bits a user may set, and P|U always. */
static bool perm_ok(uint64_t perm)
{
	return (perm & ~PTE_USER_PERMS) == 0;
}

/* cons_write(buf, len): write len bytes to the console. Returns len or -E_FAULT. */
static long sys_cons_write(long buf, long len)
{
	if (len < 0 || !user_range_ok(curenv(), buf, len, false))
		return -E_FAULT;
	stac();
	console_write((const char *)buf, len);
	clac();
	return len;
}

/* cons_read(buf, len): read up to len bytes of console input, blocking until at
 * least one is there. Returns the count, or -E_FAULT / -E_INVAL. */
static long sys_cons_read(long buf, long len)
{
	struct env *e = curenv();
	if (len <= 0)
		return -E_INVAL;
	if (!user_range_ok(e, buf, len, true))
		return -E_FAULT;
	char tmp[256];
	size_t n = console_read_avail(tmp, MIN((size_t)len, sizeof tmp));
	if (n) {
		stac();
		memcpy((void *)buf, tmp, n);
		clac();
		return (long)n;
	}
	/* Block; the console interrupt makes us runnable and the call is restarted. */
	e->wait_console = true;
	e->status = ENV_NOT_RUNNABLE;
	e->tf.rip -= 2; /* back over the 2-byte syscall instruction */
	e->tf.rax = SYS_cons_read;
	sched_run();
}

/* env_id(): the caller's environment id. */
static long sys_env_id(void)
{
	return curenv()->id;
}

/* env_exit(status): end the calling environment. Does not return. */
static long sys_env_exit(long status)
{
	env_destroy(curenv(), (int)status);
	sched_run();
}

/* yield(target): give up the CPU (target is reserved for directed yield; 0 = any). */
static long sys_yield(long target)
{
	(void)target;
	curenv()->tf.rax = 0;
	sched_run();
}

/* page_alloc(envid, va, perm): map a fresh zeroed frame at va in envid (self or
 * a child). Returns 0, -E_INVAL, -E_BADENV, -E_PERM, -E_QUOTA or -E_NOMEM. */
static long sys_page_alloc(long envid, long va, long perm)
{
	struct env *e = env_lookup((envid_t)envid), *self = curenv();
	if (!user_page_ok(va) || !perm_ok(perm))
		return -E_INVAL;
	if (!e)
		return -E_BADENV;
	if (e != self && e->parent != self->id)
		return -E_PERM;
	int err;
	return env_page_alloc(e, va, perm, &err) ? 0 : err;
}

/* page_map(srcenv, srcva, dstenv, dstva, perm): map the frame at srcva in srcenv
 * at dstva in dstenv. Both environments must be the caller or its children; the
 * new mapping may be writable only if the source is. */
static long sys_page_map(long srcid, long srcva, long dstid, long dstva, long perm)
{
	struct env *self = curenv();
	struct env *src = env_lookup((envid_t)srcid), *dst = env_lookup((envid_t)dstid);
	if (!user_page_ok(srcva) || !user_page_ok(dstva) || !perm_ok(perm))
		return -E_INVAL;
	if (!src || !dst)
		return -E_BADENV;
	if ((src != self && src->parent != self->id) || (dst != self && dst->parent != self->id))
		return -E_PERM;
	pte_t *spte = vm_walk(src->pml4_pa, srcva, false);
	if (!spte || !(*spte & PTE_P))
		return -E_INVAL;
	if ((perm & PTE_W) && !(*spte & PTE_W))
		return -E_PERM;
	uint64_t pa = PTE_ADDR(*spte);
	struct exo_frame *f = pmem_frame(pa);
	if (f->maps == UINT16_MAX)
		return -E_QUOTA;
	pte_t *dpte = vm_walk(dst->pml4_pa, dstva, true);
	if (!dpte)
		return -E_NOMEM;
	f->maps++; /* before unmapping: srcva == dstva must not free the frame */
	if (*dpte & PTE_P)
		vm_unmap_pte(dpte);
	*dpte = pa | perm | PTE_P | PTE_U;
	if (dst == self)
		invlpg(dstva);
	return 0;
}

/* page_unmap(envid, va): remove the mapping at va (none is not an error). */
static long sys_page_unmap(long envid, long va)
{
	struct env *e = env_lookup((envid_t)envid), *self = curenv();
	if (!user_page_ok(va))
		return -E_INVAL;
	if (!e)
		return -E_BADENV;
	if (e != self && e->parent != self->id)
		return -E_PERM;
	pte_t *pte = vm_walk(e->pml4_pa, va, false);
	if (pte && (*pte & PTE_P)) {
		vm_unmap_pte(pte);
		if (e == self)
			invlpg(va);
	}
	return 0;
}

/* power_off(status): power the machine off. Only the boot environment may. */
static long sys_power_off(long status)
{
	if (curenv()->id != boot_envid)
		return -E_PERM;
	kprintf("exo: power off requested by [%s] with status %ld\n", curenv()->name, status);
	power_off((int)status);
}

static const syscall_fn syscall_table[SYS_COUNT] = {
#define EXO_SYS_ENTRY(num, name, nargs) [SYS_##name] = (syscall_fn)(void (*)(void))sys_##name,
	EXO_SYSCALLS(EXO_SYS_ENTRY)
#undef EXO_SYS_ENTRY
};

/* syscall_trap: entered from trapentry.S with the caller's saved frame. */
void syscall_trap(struct trapframe *tf) __attribute__((noreturn));
void syscall_trap(struct trapframe *tf)
{
	uint64_t n = tf->rax;
	if (n < SYS_COUNT && syscall_table[n])
		tf->rax = syscall_table[n](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
	else
		tf->rax = -E_NOSYS;
	env_run(curenv());
}
