/*
 * System-call dispatch, user-memory checks, and the console calls. Every call
 * decodes and checks all of its arguments before it changes anything, and returns a
 * negative E_* code on bad input: a user program can never make the kernel panic.
 * Each call is counted, with the TSC ticks spent in it, in the exported counters.
 */
#include "env.h"
#include "syscalls.h"
#include "vm.h"
#include "pmem.h"
#include "x86.h"
#include "console.h"
#include "counters.h"
#include "../include/exo/error.h"
#include "../include/exo/exports.h"

union exo_counters_page counters_page __attribute__((aligned(4096)));
_Static_assert(SYS_COUNT <= EXO_COUNTED_SYSCALLS, "grow exo_counters");

bool user_range_ok(struct env *e, uint64_t va, uint64_t len, bool write)
{
	if (len == 0)
		return true;
	if (va >= ULIM || len > ULIM - va)
		return false;
	for (uint64_t p = ROUNDDOWN(va, PAGE_SIZE); p < va + len; p += PAGE_SIZE) {
		uint64_t eff;
		if (!vm_lookup(e->pml4_pa, p, &eff) || !(eff & PTE_U) || (write && !(eff & PTE_W)))
			return false;
	}
	return true;
}

int copy_in(void *dst, uint64_t va, size_t len)
{
	if (!user_range_ok(curenv(), va, len, false))
		return -E_FAULT;
	stac();
	memcpy(dst, (const void *)va, len);
	clac();
	return 0;
}

/* cons_write(buf, len): write len bytes to the console. Returns len or -E_FAULT. */
long sys_cons_write(long buf, long len)
{
	if (len < 0 || !user_range_ok(curenv(), buf, len, false))
		return -E_FAULT;
	stac();
	console_write((const char *)buf, len);
	clac();
	return len;
}

/* cons_read(buf, len): read up to len bytes of console input, blocking (not
 * spinning) until at least one is there. Returns the count, -E_FAULT or -E_INVAL. */
long sys_cons_read(long buf, long len)
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
	env_publish(e);
	sched_run();
}

typedef long (*syscall_fn)(long, long, long, long, long, long);
/* Handlers take 0-6 longs; the SysV ABI lets each be called as a 6-argument function. */
static const syscall_fn syscall_table[SYS_COUNT] = {
#define EXO_SYS_ENTRY(num, name, nargs) [SYS_##name] = (syscall_fn)(void (*)(void))sys_##name,
	EXO_SYSCALLS(EXO_SYS_ENTRY)
#undef EXO_SYS_ENTRY
};

/* syscall_trap: entered from trapentry.S with the caller's saved frame. */
void syscall_trap(struct trapframe *tf) __attribute__((noreturn));
void syscall_trap(struct trapframe *tf)
{
	uint64_t t0 = rdtsc();
	uint64_t n = tf->rax;
	if (n < SYS_COUNT) {
		counters.syscalls[n]++;
		tf->rax = syscall_table[n](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
		counters.syscall_tsc[n] += rdtsc() - t0;
	} else {
		tf->rax = -E_NOSYS;
	}
	env_run(curenv());
}

void counters_init(void)
{
	vm_map_export(UCOUNTERS, kimage_pa(&counters_page));
}
