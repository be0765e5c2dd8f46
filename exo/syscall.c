/*
 * System-call dispatch, user-memory checks, and the console calls. Every call
 * decodes and checks all of its arguments before it changes anything, and returns a
 * negative E_* code on bad input: a user program can never make the kernel panic.
 * Each call is counted in the exported counters, with the TSC ticks spent in it
 * when the kernel was booted with timing=1.
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
		if (!vm_user_pa(e->pml4_pa, p, &eff) || !(eff & PTE_U) || (write && !(eff & PTE_W)))
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

/* cons_write(buf, len): write the first min(len, EXO_CONS_WRITE_MAX) bytes to the
 * console as they are, no \n translation (the kernel runs with interrupts off: one
 * call must stay short).
 * Returns the count written (0 for len 0, whatever buf is), or -E_FAULT (len < 0,
 * [buf, buf+len) not inside user space, or the bytes to write not mapped
 * readable). */
long sys_cons_write(long buf, long len)
{
	if (len < 0 || (len && ((uint64_t)buf >= ULIM || (uint64_t)len > ULIM - (uint64_t)buf)))
		return -E_FAULT;
	len = MIN(len, (long)EXO_CONS_WRITE_MAX);
	if (!user_range_ok(curenv(), buf, len, false))
		return -E_FAULT;
	stac();
	console_write_raw((const char *)buf, len);
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

/* Call handler sys_NAME with its own number of arguments, taken from the frame. */
#define EXO_KCALL0(name) sys_##name()
#define EXO_KCALL1(name) sys_##name(tf->rdi)
#define EXO_KCALL2(name) sys_##name(tf->rdi, tf->rsi)
#define EXO_KCALL3(name) sys_##name(tf->rdi, tf->rsi, tf->rdx)
#define EXO_KCALL4(name) sys_##name(tf->rdi, tf->rsi, tf->rdx, tf->r10)
#define EXO_KCALL5(name) sys_##name(tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8)
#define EXO_KCALL6(name) sys_##name(tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9)

/* dispatch: run system call n with the arguments in tf. Returns its result, or
 * -E_NOSYS for a number that is no call. */
static inline __attribute__((always_inline)) long dispatch(uint64_t n, const struct trapframe *tf)
{
	switch (n) {
#define EXO_SYS_CASE(num, name, nargs) \
	case SYS_##name:               \
		return EXO_KCALL##nargs(name);
		EXO_SYSCALLS(EXO_SYS_CASE)
#undef EXO_SYS_CASE
	}
	return -E_NOSYS;
}

/* timed_dispatch: dispatch, adding the ticks it took to syscall_tsc (timing=1). */
static __attribute__((noinline)) long timed_dispatch(uint64_t n, const struct trapframe *tf)
{
	uint64_t t0 = rdtsc();
	long r = dispatch(n, tf);
	if (n < SYS_COUNT)
		counters.syscall_tsc[n] += rdtsc() - t0;
	return r;
}

/* syscall_trap: entered from trapentry.S with the caller's saved frame. A call
 * is counted on entry; the fast path keeps nothing live across the dispatch but
 * the frame. */
void syscall_trap(struct trapframe *tf) __attribute__((noreturn));
void syscall_trap(struct trapframe *tf)
{
	uint64_t n = tf->rax;
	if (n < SYS_COUNT)
		counters.syscalls[n]++;
	tf->rax = counters.syscall_timing ? timed_dispatch(n, tf) : dispatch(n, tf);
	env_run(curenv());
}

void counters_init(bool timing)
{
	counters.syscall_timing = timing;
	vm_map_export(UCOUNTERS, kimage_pa(&counters_page));
}
