/* kfunc: the kernel calls that syscalls.c and upcall.c do not cover, used as
 * intended: exofork by hand (registers, not runnable until told, pages and
 * registers set by the parent), environment status and destruction, the exported
 * environment table, pte_batch, protect_range with a fault handler, shared page
 * tables (pt_share / pt_unshare with copy-on-write bits), IPC page grants, the
 * "lone mapping takes the frame" rule, page_copy, directed yield, slots, quotas, power
 * delegation, env_wake / sleep_until and the kernel's notes, the counters page.
 * Each part checks the frame accounting: every frame comes back. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../check.h"
#include "libos.h"
#include "vpt.h"
#include "../exo_helpers.h"
#include "../ptsum_check.h"

#define SCR 0x10000000UL      /* our scratch pages (one page table, made in main) */
#define DST (SCR + 0x20000)    /* where we receive granted pages */
#define PR (SCR + 0x40000)     /* protect_range test pages */
#define REG 0x40000000UL       /* a 2 MiB region whose table we share */
#define CSTACK 0x30000000UL    /* hand-made children: stack page */
#define CDATA 0x30001000UL     /* hand-made children: data page */
#define CG 0x20000000UL        /* spawned children's own pages */
#define NOPAGE (-1L)
#define COW_BIT 0x200UL
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000UL
#define AD_BITS 0x60UL

static envid_t me;

/* ---- helpers ---------------------------------------------------------------------- */

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* msg.perm as the ABI's field holds it (its width decides whether NX shows). */
#define MSG_PERM(p) ((__typeof__(((struct exo_ipc_msg *)0)->perm))(p))

/* Child side (no CHECK there): wait until id receives; send three words. */
static void child_wait_recv(envid_t id)
{
	while (exo_envs[EXO_ENVX(id)].id == id && !(exo_envs[EXO_ENVX(id)].flags & EXO_ENVF_IPC_RECV))
		sys_yield(0);
}

/* Used by hand-made children too: only inline system calls, no globals. */
static inline void hand_send(long to, long a, long b, long c)
{
	while (sys_ipc_send(to, a, b, c, NOPAGE, 0) == -E_NORECV)
		sys_yield(0);
}

/* Map our text (read-only, executable pages) into child c, read-only. */
static long map_text_child;
static void map_text_page(uint64_t va, uint64_t pte, void *arg)
{
	long *err = arg;
	if (!(pte & PTE_W) && !(pte & PTE_NX) && !*err)
		*err = sys_page_map(0, (long)va, map_text_child, (long)va, 0);
}
static int map_text_into(envid_t c)
{
	long err = 0;
	int n = 0;
	map_text_child = c;
	libos_vpt_each(map_text_page, &err);
	CHECK_EQ(err, 0);
	for (uint64_t va = UTEXT; vpt_lookup(va) && !(vpt_lookup(va) & (PTE_W | PTE_NX)); va += PAGE_SIZE)
		n++;
	return n;
}

static volatile int pr_faults, cow_faults;
static volatile uint64_t pr_fault_va, pr_fault_err;
int libos_pgfault(struct exo_utf *utf);

/* Our page-fault handler: probes; protect_range test pages (note the fault, make
 * the page writable again); pages with our copy-on-write bit (copy them); the rest
 * goes to the libOS's handler. */
static int fault_handler(struct exo_utf *utf)
{
	uint64_t va = utf->fault_va & ~(PAGE_SIZE - 1), pte = vpt_lookup(va);
	if (probe_skip(utf))
		return 0;
	if (va >= PR && va < PR + 16 * PAGE_SIZE && (utf->err & 3) == 3) {
		pr_faults++;
		pr_fault_va = utf->fault_va;
		pr_fault_err = utf->err;
		return sys_page_protect(0, (long)va, PTE_W | PTE_NX) < 0;
	}
	if ((utf->err & 3) == 3 && (pte & COW_BIT)) {
		cow_faults++;
		return sys_page_copy(0, (long)va, (long)va, PTE_W | PTE_NX) < 0;
	}
	return libos_pgfault(utf);
}

static void drop_modules(void) /* see isolation.c: spawned children would copy them */
{
	for (uint64_t i = 0; i < exo_info->nmodules && i < EXO_MAX_MODULES; i++) {
		uint64_t lo = exo_info->modules[i].uva;
		uint64_t pages = (exo_info->modules[i].end - (exo_info->modules[i].start & ~(PAGE_SIZE - 1)) +
				  PAGE_SIZE - 1) / PAGE_SIZE;
		for (uint64_t p = 0; p < pages; p++)
			if (vpt_lookup(lo + p * PAGE_SIZE))
				CHECK_EQ(sys_page_unmap(0, (long)(lo + p * PAGE_SIZE)), 0);
	}
}

/* Make sure no kernel note (an earlier child's death) is pending: post a wakeup to
 * ourselves and take notes until it comes (a pending death note comes first: a
 * wakeup never hides one). */
static void drain_notes(void)
{
	static struct exo_ipc_msg m;
	CHECK_EQ(sys_env_wake(me), 0);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(sys_ipc_recv(NOPAGE, (long)&m), 0);
		CHECK_EQ(m.kind, EXO_IPC_NOTE);
		if (m.w[0] == EXO_IPC_WAKE)
			break;
		CHECK_EQ(m.w[0], EXO_IPC_DEATH);
	}
	CHECK_EQ(m.w[0], EXO_IPC_WAKE);
	CHECK_EQ(m.from, me);
}

static void pass(const char *what)
{
	CHECK_EQ(live_envs(), 1);
	printf("kfunc: %s ok\n", what);
	fflush(stdout);
}

/* ---- the exported views of ourselves, and the counters ------------------------------- */

static void test_self_view(void)
{
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(me)];
	CHECK_EQ(v->id, me);
	CHECK_EQ(v->parent, 0);
	CHECK_EQ(v->status, EXO_ENV_RUNNABLE);
	CHECK(v->flags & EXO_ENVF_POWER);
	CHECK_EQ(v->flags & (EXO_ENVF_IPC_RECV | EXO_ENVF_CONSOLE), 0);
	CHECK(v->nframes > 0);
	CHECK_EQ(v->frame_quota, exo_info->frame_quota);
	CHECK_EQ(v->slot_quota, exo_info->slot_quota);
	CHECK_EQ(v->nslots, 0);
	char name[24];
	for (int i = 0; i < 24; i++)
		name[i] = v->name[i];
	name[23] = 0;
	CHECK(strcmp(name, "kfunc") == 0);
	CHECK(exo_slots->nslots >= 1 && exo_slots->nslots <= EXO_MAX_SLOTS);
	CHECK(exo_slots->quantum_tsc > 0);
	CHECK(exo_info->tsc_hz > 0);
	/* Our frames in the frame table: nframes counts them (and, if the kernel charges
	 * them, our page tables). */
	uint64_t owned = owned_by(me);
	CHECK(owned > 0);
	CHECK(v->nframes >= owned);
	CHECK(v->nframes <= owned + count_tables() + 1 /* the PML4 */);
	pass("own environment view");
}

static void test_counters(void)
{
	__typeof__(exo_counters) k = exo_counters;
	uint64_t total0 = 0;
	for (int i = 0; i < EXO_COUNTED_SYSCALLS; i++)
		total0 += k->syscalls[i];
	uint64_t n0 = k->syscalls[SYS_env_id], t0 = k->syscall_tsc[SYS_env_id];
	for (int i = 0; i < 10; i++)
		CHECK_EQ(sys_env_id(), me);
	CHECK_EQ(k->syscalls[SYS_env_id], n0 + 10);
	if (k->syscall_timing) /* booted with timing=1 */
		CHECK(k->syscall_tsc[SYS_env_id] > t0);
	else
		CHECK_EQ(k->syscall_tsc[SYS_env_id], 0);
	/* An unknown call is not counted anywhere. */
	CHECK_EQ(exo_syscall6(SYS_COUNT + 3, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	uint64_t total1 = 0;
	for (int i = 0; i < EXO_COUNTED_SYSCALLS; i++)
		total1 += k->syscalls[i];
	CHECK_EQ(total1, total0 + 10);
	/* A failing call is counted like any other. */
	uint64_t y0 = k->syscalls[SYS_yield];
	CHECK_EQ(sys_yield(0x7ffff), -E_BADENV);
	CHECK_EQ(k->syscalls[SYS_yield], y0 + 1);
	/* The timer ticks on. */
	uint64_t ticks = k->timer_ticks, until = rdtsc() + exo_info->tsc_hz; /* at most 1 s */
	while (k->timer_ticks == ticks && rdtsc() < until)
		;
	CHECK(k->timer_ticks > ticks);
	/* Each handled page fault is one exception upcall. */
	uint64_t u0 = k->upcalls[0];
	CHECK_EQ(sys_page_alloc(0, SCR + 0x1000, PTE_NX), 0);
	CHECK_EQ(try_store_same(SCR + 0x1000), 0);
	CHECK_EQ(try_store_same(SCR + 0x1000), 0);
	CHECK_EQ(k->upcalls[0], u0 + 2);
	CHECK_EQ(sys_page_unmap(0, SCR + 0x1000), 0);
	pass("counters");
}

/* ---- exofork by hand ------------------------------------------------------------------ */

/* exofork with known values in the callee-saved registers; the child, which runs
 * this same code with nothing but our text mapped, sends its registers back with
 * raw system calls (no memory needed) and exits. */
extern char fork_regs_begin[], fork_regs_end[];
static long __attribute__((noinline)) fork_with_regs(uint64_t *rsp_out)
{
	long ret;
	uint64_t rsp;
	__asm__ volatile(
		".globl fork_regs_begin\nfork_regs_begin:\n"
		"movl %[me], %%ebx\n"
		"movabsq $0x1111222233334444, %%r12\n"
		"movabsq $0x5555666677778888, %%r13\n"
		"movabsq $0x9999aaaabbbbcccc, %%r14\n"
		"movabsq $0xddddeeeeffff0001, %%r15\n"
		"movq %%rsp, %[rsp]\n"
		"movl %[nfork], %%eax\n"
		"syscall\n"
		"testq %%rax, %%rax\n"
		"jnz 9f\n"
		/* the child: (r12, r13, r14), then (r15, rsp, rbx) */
		"1: movq %%rbx, %%rdi\nmovq %%r12, %%rsi\nmovq %%r13, %%rdx\nmovq %%r14, %%r10\n"
		"movq $-1, %%r8\nxorl %%r9d, %%r9d\nmovl %[nsend], %%eax\nsyscall\n"
		"cmpq %[norecv], %%rax\njne 2f\n"
		"xorl %%edi, %%edi\nmovl %[nyield], %%eax\nsyscall\njmp 1b\n"
		"2: movq %%rbx, %%rdi\nmovq %%r15, %%rsi\nmovq %%rsp, %%rdx\nmovq %%rbx, %%r10\n"
		"movq $-1, %%r8\nxorl %%r9d, %%r9d\nmovl %[nsend], %%eax\nsyscall\n"
		"cmpq %[norecv], %%rax\njne 3f\n"
		"xorl %%edi, %%edi\nmovl %[nyield], %%eax\nsyscall\njmp 2b\n"
		"3: xorl %%edi, %%edi\nmovl %[nexit], %%eax\nsyscall\nud2\n"
		".globl fork_regs_end\nfork_regs_end:\n"
		"9:\n"
		: "=a"(ret), [rsp] "=m"(rsp)
		: [me] "m"(me), [nfork] "i"(SYS_exofork), [nsend] "i"(SYS_ipc_send), [nyield] "i"(SYS_yield),
		  [nexit] "i"(SYS_env_exit), [norecv] "i"(-E_NORECV)
		: "rbx", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "memory", "cc");
	*rsp_out = rsp;
	return ret;
}

static void test_exofork_registers(void)
{
	uint64_t free0 = exo_info->free_frames, rsp;
	long c = fork_with_regs(&rsp);
	CHECK(c > 0);
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(c)];
	CHECK_EQ(v->id, c);
	CHECK_EQ(v->parent, me);
	CHECK_EQ(v->status, EXO_ENV_NOT_RUNNABLE);
	CHECK_EQ(owned_by((envid_t)c), 0); /* an empty address space */
	CHECK_EQ(v->frame_quota, exo_info->frame_quota);
	CHECK_EQ(v->flags & EXO_ENVF_POWER, 0);
	CHECK_EQ(exo_info->free_frames, free0 - 1); /* its PML4 */
	/* Not runnable: it cannot be yielded to and does not run by itself. */
	CHECK_EQ(sys_yield(c), -E_INVAL);
	for (int i = 0; i < 5; i++)
		sys_yield(0);
	CHECK_EQ(v->status, EXO_ENV_NOT_RUNNABLE);
	/* Give it the code it resumes in (read-only, ours), then let it run. */
	uint64_t lo = (uint64_t)fork_regs_begin & ~(PAGE_SIZE - 1);
	uint64_t hi = ((uint64_t)fork_regs_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uint64_t fn = vpt_frame(lo), maps0 = exo_frames[fn].maps;
	for (uint64_t va = lo; va < hi; va += PAGE_SIZE)
		CHECK_EQ(sys_page_map(0, (long)va, c, (long)va, 0), 0);
	CHECK_EQ(exo_frames[fn].maps, maps0 + 1);
	CHECK_EQ(exo_frames[fn].owner, me);
	CHECK_EQ(owned_by((envid_t)c), 0); /* our frames, not its */
	CHECK_EQ(sys_env_set_status(c, EXO_ENV_RUNNABLE), 0);
	static struct exo_ipc_msg m;
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], 0x1111222233334444UL);
	CHECK_EQ(m.w[1], 0x5555666677778888UL);
	CHECK_EQ(m.w[2], 0x9999aaaabbbbccccUL);
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], 0xddddeeeeffff0001UL);
	CHECK_EQ(m.w[1], rsp);
	CHECK_EQ(m.w[2], me);
	wait_gone(c);
	CHECK_EQ(exo_frames[fn].maps, maps0);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("exofork: child sees 0 and a copy of the registers");
}

/* A child started by hand: its own stack and data page, our text, registers set
 * with env_set_regs, arguments in rdi/rsi/rdx. */
static void __attribute__((noreturn, noinline, used)) hand_child(long parent, long a, long b)
{
	volatile long local[4];
	local[0] = a + b;
	uint64_t sp;
	__asm__ volatile("movq %%rsp, %0" : "=r"(sp));
	hand_send(parent, local[0], *(volatile long *)CDATA, (long)sp);
	*(volatile long *)CDATA = 0x5eed;
	hand_send(parent, sys_env_id(), *(volatile long *)CDATA, 0);
	sys_env_exit(0);
	for (;;)
		;
}

static void test_exofork_by_hand(void)
{
	uint64_t free0 = exo_info->free_frames;
	long c = sys_exofork();
	if (c == 0) /* never: it is started at hand_child */
		sys_env_exit(99);
	CHECK(c > 0);
	map_text_into((envid_t)c);
	CHECK_EQ(sys_page_alloc(c, CSTACK, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_alloc(c, CDATA, PTE_W | PTE_NX), 0);
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(c)];
	CHECK_EQ(owned_by((envid_t)c), 2);
	CHECK(v->nframes >= 2);
	/* Write its data page through a mapping of ours. */
	CHECK_EQ(sys_page_map(c, CDATA, 0, SCR + 0x2000, PTE_W | PTE_NX), 0);
	uint64_t dfn = vpt_frame(SCR + 0x2000);
	CHECK_EQ(exo_frames[dfn].owner, c);
	CHECK_EQ(exo_frames[dfn].maps, 2);
	*(volatile long *)(SCR + 0x2000) = 0xda7a;
	struct exo_regs r;
	memset(&r, 0, sizeof r);
	r.rip = (uint64_t)hand_child;
	r.rsp = CSTACK + PAGE_SIZE - 8;
	r.rdi = (uint64_t)me;
	r.rsi = 40;
	r.rdx = 2;
	CHECK_EQ(sys_env_set_regs(c, (long)&r), 0);
	CHECK_EQ(v->status, EXO_ENV_NOT_RUNNABLE);
	CHECK_EQ(sys_env_set_status(c, EXO_ENV_RUNNABLE), 0);
	static struct exo_ipc_msg m;
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], 42);
	CHECK_EQ(m.w[1], 0xda7a);
	CHECK(m.w[2] > CSTACK && m.w[2] < CSTACK + PAGE_SIZE); /* on its own stack */
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.w[0], c);
	CHECK_EQ(m.w[1], 0x5eed);
	CHECK_EQ(*(volatile long *)(SCR + 0x2000), 0x5eed); /* we share its page */
	wait_gone(c);
	/* Its frame lives on while we map it; then it is freed. */
	CHECK_EQ(exo_frames[dfn].maps, 1);
	CHECK_EQ(sys_page_unmap(0, SCR + 0x2000), 0);
	CHECK_EQ(exo_frames[dfn].owner, FRAME_OWNER_FREE);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("exofork by hand: pages, registers, own stack");
}

/* ---- status, destroy, directed yield, the environment table -------------------------------- */

#define SPIN (SCR + 0x3000) /* a spawned spinner's counter page (its copy) */

static envid_t spawn_spinner(void)
{
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0)
		for (;;) {
			(*(volatile uint64_t *)SPIN)++;
			sys_yield(0);
		}
	return (envid_t)c;
}

static void test_status_yield_destroy(void)
{
	drain_notes();
	CHECK_EQ(sys_page_alloc(0, SPIN, PTE_W | PTE_NX), 0);
	*(volatile uint64_t *)SPIN = 0;
	uint64_t free0 = exo_info->free_frames;
	envid_t c = spawn_spinner();
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(c)];
	CHECK_EQ(v->status, EXO_ENV_RUNNABLE);
	CHECK_EQ(owned_by(c), owned_by(me)); /* a copy of each of our pages */
	/* Watch its counter through a read-only mapping of its page. */
	CHECK_EQ(sys_page_map(c, SPIN, 0, SCR + 0x4000, PTE_NX), 0);
	volatile uint64_t *cnt = (volatile uint64_t *)(SCR + 0x4000);
	/* Directed yield: it runs, and we run again later. */
	uint64_t c0 = *cnt;
	CHECK_EQ(sys_yield(c), 0);
	CHECK(*cnt > c0);
	/* NOT_RUNNABLE: it stops. */
	CHECK_EQ(sys_env_set_status(c, EXO_ENV_NOT_RUNNABLE), 0);
	CHECK_EQ(v->status, EXO_ENV_NOT_RUNNABLE);
	c0 = *cnt;
	for (int i = 0; i < 20; i++)
		CHECK_EQ(sys_yield(0), 0);
	uint64_t ticks = exo_counters->timer_ticks;
	while (exo_counters->timer_ticks < ticks + 3)
		; /* through a few timer ticks too */
	CHECK_EQ(*cnt, c0);
	CHECK_EQ(sys_yield(c), -E_INVAL);
	/* RUNNABLE again: it moves. */
	CHECK_EQ(sys_env_set_status(c, EXO_ENV_RUNNABLE), 0);
	CHECK_EQ(sys_yield(c), 0);
	CHECK(*cnt > c0);
	/* Destroy: every frame of its comes back (its page we map stays until we unmap). */
	CHECK_EQ(sys_page_unmap(0, SCR + 0x4000), 0);
	CHECK_EQ(sys_env_destroy(c), 0);
	CHECK_EQ(v->id, 0);
	CHECK_EQ(v->status, 0);
	CHECK_EQ(v->name[0], 0);
	CHECK_EQ(exo_info->free_frames, free0);
	CHECK_EQ(sys_env_destroy(c), -E_BADENV);
	/* The kernel's note of the death. */
	static struct exo_ipc_msg m;
	CHECK_EQ(sys_ipc_recv(NOPAGE, (long)&m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], EXO_IPC_DEATH);
	CHECK_EQ(m.perm, 0);
	CHECK_EQ(sys_page_unmap(0, SPIN), 0);
	pass("env_set_status, directed yield, env_destroy frees everything");
}

static struct exo_ipc_msg sm;
static void test_env_table(void)
{
	drain_notes();
	uint64_t free0 = exo_info->free_frames;
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0) {
		while (sys_ipc_recv(NOPAGE, (long)&sm) != 0 || sm.w[0] != 0x51)
			;
		sys_env_exit(7);
	}
	wait_recving(c);
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(c)];
	CHECK_EQ(v->id, c);
	CHECK_EQ(v->parent, me);
	CHECK_EQ(v->status, EXO_ENV_NOT_RUNNABLE);  /* blocked in ipc_recv */
	CHECK_EQ(v->flags, EXO_ENVF_IPC_RECV);
	CHECK_EQ(owned_by(c), owned_by(me));
	CHECK_EQ(v->frame_quota, exo_info->frame_quota);
	CHECK_EQ(v->slot_quota, exo_info->slot_quota);
	CHECK_EQ(v->nslots, 0);
	char name[24];
	for (int i = 0; i < 24; i++)
		name[i] = v->name[i];
	name[23] = 0;
	CHECK(strcmp(name, "kfunc") == 0); /* a child keeps its parent's name */
	/* Its frames, counted in the frame table. */
	CHECK(v->nframes >= owned_by(c));
	CHECK_EQ(sys_env_set_status(c, EXO_ENV_RUNNABLE), -E_AGAIN); /* blocked in the kernel */
	CHECK_EQ(sys_ipc_send(c, 0x51, 0, 0, NOPAGE, 0), 0);
	CHECK_EQ(v->flags & EXO_ENVF_IPC_RECV, 0);
	CHECK_EQ(v->status, EXO_ENV_RUNNABLE);
	static struct exo_ipc_msg m;
	CHECK_EQ(sys_ipc_recv(NOPAGE, (long)&m), 0); /* its death note, with its status */
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], EXO_IPC_DEATH);
	CHECK_EQ(m.w[1], 7);
	CHECK_EQ(v->id, 0);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("exported environment table, death note");
}

/* A child ends itself with env_destroy(0). */
static void test_destroy_self(void)
{
	drain_notes();
	uint64_t free0 = exo_info->free_frames;
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0) {
		sys_env_destroy(0);
		sys_env_exit(99); /* not reached */
	}
	static struct exo_ipc_msg m;
	CHECK_EQ(sys_ipc_recv(NOPAGE, (long)&m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], EXO_IPC_DEATH);
	CHECK_EQ(m.w[1], 0);
	CHECK_EQ(exo_envs[EXO_ENVX(c)].id, 0);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("env_destroy of oneself");
}

/* ---- page tables ---------------------------------------------------------------------- */

static void test_pte_batch(void)
{
	uint64_t free0 = exo_info->free_frames;
	uint64_t A = SCR + 0x5000, B = SCR + 0x6000, C = SCR + 0x7000, D = SCR + 0x8000;
	CHECK_EQ(sys_page_alloc(0, A, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_alloc(0, D, PTE_W | PTE_NX), 0);
	*(volatile uint64_t *)A = 0xaaaa;
	uint64_t fa = vpt_frame(A), fd = vpt_frame(D);
	struct exo_pte_op ops[4] = { /* ascending addresses, each touched once */
		{ .op = EXO_PTE_PROTECT, .va = A, .perm = PTE_NX },
		{ .op = EXO_PTE_MAP, .va = B, .srcva = A, .perm = PTE_NX },
		{ .op = EXO_PTE_MAP, .va = C, .srcva = A, .perm = PTE_W | PTE_NX | COW_BIT },
		{ .op = EXO_PTE_UNMAP, .va = D },
	};
	CHECK_EQ(sys_pte_batch(0, (long)ops, 4), 4);
	CHECK_EQ(vpt_frame(B), fa);
	CHECK_EQ(vpt_frame(C), fa);
	CHECK_EQ(vpt_lookup(B) & (PTE_P | PTE_W | PTE_U | PTE_NX), PTE_P | PTE_U | PTE_NX);
	CHECK_EQ(vpt_lookup(C) & (PTE_W | COW_BIT | PTE_NX), PTE_W | COW_BIT | PTE_NX);
	CHECK_EQ(vpt_lookup(A) & (PTE_P | PTE_W), PTE_P);
	CHECK_EQ(vpt_lookup(D), 0);
	CHECK_EQ(exo_frames[fa].maps, 3);
	CHECK_EQ(exo_frames[fd].owner, FRAME_OWNER_FREE);
	CHECK_EQ(*(volatile uint64_t *)B, 0xaaaa);
	*(volatile uint64_t *)C = 0xcccc; /* writable through C */
	CHECK_EQ(*(volatile uint64_t *)A, 0xcccc);
	CHECK_EQ(try_store_same(A), 0);   /* read-only through A */
	/* A batch on a child: map one of our frames into it, then unmap it again. */
	long u = sys_exofork();
	if (u == 0)
		sys_env_exit(99);
	struct exo_pte_op cops[3] = {
		{ .op = EXO_PTE_MAP, .va = CG, .srcva = A, .perm = PTE_NX },
		{ .op = EXO_PTE_MAP, .va = CG + 0x1000, .srcva = A, .perm = PTE_NX },
		{ .op = EXO_PTE_PROTECT, .va = CG, .perm = PTE_NX | COW_BIT },
	};
	/* A PROTECT of an address the same batch maps is refused, nothing applied (the
	 * checks see the state before the batch). */
	CHECK_EQ(sys_pte_batch(u, (long)cops, 3), -(2 + 1) * 256 - E_INVAL);
	CHECK_EQ(exo_frames[fa].maps, 3);
	CHECK_EQ(sys_pte_batch(u, (long)cops, 2), 2);
	CHECK_EQ(sys_pte_batch(u, (long)&cops[2], 1), 1);
	CHECK_EQ(exo_frames[fa].maps, 5);
	CHECK_EQ(owned_by((envid_t)u), 0);
	struct exo_pte_op uops[2] = { { .op = EXO_PTE_UNMAP, .va = CG }, { .op = EXO_PTE_UNMAP, .va = CG + 0x1000 } };
	CHECK_EQ(sys_pte_batch(u, (long)uops, 2), 2);
	CHECK_EQ(exo_frames[fa].maps, 3);
	CHECK_EQ(sys_pte_batch(u, (long)uops, 0), 0);
	CHECK_EQ(sys_env_destroy(u), 0);
	/* Undo: the frame goes when its last mapping does. */
	struct exo_pte_op undo[3] = { { .op = EXO_PTE_UNMAP, .va = A }, { .op = EXO_PTE_UNMAP, .va = B },
				      { .op = EXO_PTE_UNMAP, .va = C } };
	CHECK_EQ(sys_pte_batch(0, (long)undo, 3), 3);
	CHECK_EQ(exo_frames[fa].owner, FRAME_OWNER_FREE);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("pte_batch map/protect/unmap");
}

static void test_protect_range(void)
{
	uint64_t free0 = exo_info->free_frames;
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(sys_page_alloc(0, PR + i * PAGE_SIZE, PTE_W | PTE_NX), 0);
		*(volatile uint64_t *)(PR + i * PAGE_SIZE) = 100 + i;
	}
	/* Clear W on three of them (the 4th, and a hole after, are outside/absent). */
	CHECK_EQ(sys_protect_range(0, PR, PR + 3 * PAGE_SIZE, 0, PTE_W), 3);
	CHECK_EQ(sys_protect_range(0, PR + 4 * PAGE_SIZE, PR + 8 * PAGE_SIZE, 0, PTE_W), 0); /* nothing there */
	for (int i = 0; i < 3; i++)
		CHECK_EQ(vpt_lookup(PR + i * PAGE_SIZE) & PTE_W, 0);
	CHECK(vpt_lookup(PR + 3 * PAGE_SIZE) & PTE_W);
	/* A software bit, set over the range. */
	CHECK_EQ(sys_protect_range(0, PR, PR + 4 * PAGE_SIZE, 0x400, 0), 4);
	for (int i = 0; i < 4; i++)
		CHECK(vpt_lookup(PR + i * PAGE_SIZE) & 0x400);
	CHECK_EQ(sys_protect_range(0, PR, PR + 4 * PAGE_SIZE, 0, 0x400), 4);
	/* A write to a read-only one faults once; the handler restores W; the write
	 * then happens. */
	uint64_t u0 = exo_counters->upcalls[0];
	*(volatile uint64_t *)(PR + PAGE_SIZE + 8) = 0xbeef;
	CHECK_EQ(pr_faults, 1);
	CHECK_EQ(pr_fault_va, PR + PAGE_SIZE + 8);
	CHECK_EQ(pr_fault_err & 7, 7); /* user, write, protection */
	CHECK_EQ(exo_counters->upcalls[0], u0 + 1);
	CHECK_EQ(*(volatile uint64_t *)(PR + PAGE_SIZE + 8), 0xbeef);
	CHECK(vpt_lookup(PR + PAGE_SIZE) & PTE_W);
	/* Reads never fault. */
	for (int i = 0; i < 4; i++)
		CHECK_EQ(*(volatile uint64_t *)(PR + i * PAGE_SIZE), 100 + i);
	CHECK_EQ(pr_faults, 1);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(sys_page_unmap(0, PR + i * PAGE_SIZE), 0);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("protect_range and a write fault handled");
}

/* A hand-made child that reads the region whose table we share with it. */
static void __attribute__((noreturn, noinline, used)) share_child(long parent, long reg)
{
	struct exo_ipc_msg m;
	volatile uint64_t *p = (volatile uint64_t *)reg;
	hand_send(parent, (long)p[0], (long)p[512], (long)*VPT_PDE(reg));
	while (sys_ipc_recv(NOPAGE, (long)&m) != 0)
		;
	hand_send(parent, (long)p[0], (long)p[512], (long)*VPT_PTE(reg));
	sys_env_exit(0);
	for (;;)
		;
}

static void test_pt_share(void)
{
	uint64_t free0 = exo_info->free_frames;
	volatile uint64_t *p = (volatile uint64_t *)REG;
	CHECK_EQ(sys_page_alloc(0, REG, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_alloc(0, REG + PAGE_SIZE, PTE_W | PTE_NX), 0);
	p[0] = 0xaaaa0000;
	p[512] = 0xbbbb0000;
	uint64_t fa = vpt_frame(REG), fb = vpt_frame(REG + PAGE_SIZE);
	long c = sys_exofork();
	if (c == 0)
		sys_env_exit(99);
	CHECK(c > 0);
	map_text_into((envid_t)c);
	CHECK_EQ(sys_page_alloc(c, CSTACK, PTE_W | PTE_NX), 0);
	uint64_t pt = (*VPT_PDE(REG) & PTE_ADDR_MASK) >> 12;
	CHECK_EQ(exo_frames[pt].maps, 1);
	CHECK_EQ(exo_frames[pt].owner, me); /* a page table charged to us */
	CHECK_EQ(exo_frames[pt].flags, EXO_FRAME_PT);
	CHECK_EQ(sys_pt_share(c, REG, 0), 0);
	/* One table, two users, read-only for both. */
	CHECK_EQ(exo_frames[pt].maps, 2);
	CHECK_EQ((*VPT_PDE(REG) & PTE_ADDR_MASK) >> 12, pt);
	CHECK_EQ(*VPT_PDE(REG) & PTE_W, 0);
	CHECK_EQ(exo_frames[fa].maps, 1); /* the pages themselves: one entry each */
	CHECK_EQ(exo_frames[fb].maps, 1);
	CHECK_EQ(owned_by((envid_t)c), 1); /* its stack; the shared pages stay ours */
	CHECK_EQ(p[0], 0xaaaa0000);
	CHECK_EQ(try_store_same(REG), 0);
	CHECK_EQ(sys_page_alloc(0, REG + 2 * PAGE_SIZE, PTE_W), -E_AGAIN); /* unshare first */
	CHECK_EQ(sys_pt_share(c, REG, 0), 0); /* again: nothing changes */
	CHECK_EQ(exo_frames[pt].maps, 2);
	struct exo_regs r;
	memset(&r, 0, sizeof r);
	r.rip = (uint64_t)share_child;
	r.rsp = CSTACK + PAGE_SIZE - 8;
	r.rdi = (uint64_t)me;
	r.rsi = REG;
	CHECK_EQ(sys_env_set_regs(c, (long)&r), 0);
	CHECK_EQ(sys_env_set_status(c, EXO_ENV_RUNNABLE), 0);
	static struct exo_ipc_msg m;
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], 0xaaaa0000);
	CHECK_EQ(m.w[1], 0xbbbb0000);
	CHECK_EQ(m.w[2] & (PTE_P | PTE_W), PTE_P);            /* its PDE: present, read-only */
	CHECK_EQ((m.w[2] & PTE_ADDR_MASK) >> 12, pt);          /* our table */
	/* Our own private copy, with copy-on-write bits on the writable entries. */
	CHECK_EQ(sys_pt_unshare(0, REG, COW_BIT), 0);
	uint64_t pt2 = (*VPT_PDE(REG) & PTE_ADDR_MASK) >> 12;
	CHECK(pt2 != pt);
	CHECK(*VPT_PDE(REG) & PTE_W);
	CHECK_EQ(exo_frames[pt2].maps, 1);
	CHECK_EQ(exo_frames[pt].maps, 1);
	CHECK_EQ(exo_frames[pt2].owner, me); /* the copy is charged to whoever unshares */
	CHECK_EQ(exo_frames[pt].owner, me);  /* the old table stays charged to us */
	CHECK_EQ(vpt_lookup(REG) & (PTE_P | PTE_W | COW_BIT), PTE_P | COW_BIT);
	CHECK_EQ(vpt_lookup(REG + PAGE_SIZE) & (PTE_P | PTE_W | COW_BIT), PTE_P | COW_BIT);
	CHECK_EQ(exo_frames[fa].maps, 2); /* one entry in each table */
	CHECK_EQ(exo_frames[fb].maps, 2);
	/* Writing gives us a copy (our fault handler); the child keeps the old page. */
	int cw = cow_faults;
	p[0] = 0xaaaa1111;
	CHECK_EQ(cow_faults, cw + 1);
	CHECK(vpt_frame(REG) != fa);
	CHECK(vpt_lookup(REG) & PTE_W);
	CHECK_EQ(exo_frames[fa].maps, 1);
	CHECK_EQ(p[0], 0xaaaa1111);
	wait_recving(c);
	CHECK_EQ(sys_ipc_send(c, 1, 0, 0, NOPAGE, 0), 0);
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], 0xaaaa0000);
	CHECK_EQ(m.w[1], 0xbbbb0000);
	/* Its entry is as it was: our unshare changes nothing of another's (its
	 * read-only directory entry keeps it from writing until its own unshare). */
	CHECK_EQ(m.w[2] & (PTE_P | PTE_W | COW_BIT), PTE_P | PTE_W);
	CHECK_EQ((m.w[2] & PTE_ADDR_MASK) >> 12, fa);
	wait_gone(c);
	/* Its table (the old one) went with it, and the old page with it. */
	CHECK_EQ(exo_frames[pt].owner, FRAME_OWNER_FREE);
	CHECK_EQ(exo_frames[fa].owner, FRAME_OWNER_FREE);
	CHECK_EQ(exo_frames[fb].maps, 1);
	CHECK_EQ(sys_page_unmap(0, REG), 0);
	CHECK_EQ(sys_page_unmap(0, REG + PAGE_SIZE), 0);
	CHECK_EQ(exo_info->free_frames, free0); /* pt2 replaced pt */
	pass("pt_share / pt_unshare with copy-on-write bits");
}

/* ---- IPC --------------------------------------------------------------------------- */

static void test_ipc_grant(void)
{
	uint64_t free0 = exo_info->free_frames;
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0) {
		sys_page_alloc(0, CG, PTE_W | PTE_NX);
		*(volatile uint64_t *)CG = 0x6a6a;
		uint64_t fn = vpt_frame(CG);
		child_wait_recv(me);
		long r1 = sys_ipc_send(me, (long)fn, 0x6a6a, 0, CG, PTE_W | PTE_NX);
		child_wait_recv(me);
		long r2 = sys_ipc_send(me, (long)fn, 0, 0, CG, PTE_W | PTE_NX); /* it asks for no page */
		child_wait_recv(me);
		hand_send(me, r1, r2, *(volatile uint64_t *)(CG + 8));
		sys_env_exit(0);
	}
	static struct exo_ipc_msg m;
	CHECK_EQ(recv_msg(DST, &m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.perm, MSG_PERM(PTE_W | PTE_NX | PTE_P | PTE_U));
	uint64_t fn = m.w[0];
	CHECK_EQ(vpt_frame(DST), fn);
	CHECK_EQ(vpt_lookup(DST) & (PTE_P | PTE_W | PTE_U | PTE_NX), PTE_P | PTE_W | PTE_U | PTE_NX);
	CHECK_EQ(exo_frames[fn].maps, 2);
	CHECK_EQ(exo_frames[fn].owner, c);
	CHECK_EQ(*(volatile uint64_t *)DST, 0x6a6a);
	*(volatile uint64_t *)(DST + 8) = 0x7b7b; /* shared, writable */
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.perm, 0);
	CHECK_EQ(exo_frames[fn].maps, 2);
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.w[0], 0);
	CHECK_EQ(m.w[1], 0);
	CHECK_EQ(m.w[2], 0x7b7b);
	wait_gone(c);
	CHECK_EQ(exo_frames[fn].maps, 1);
	CHECK_EQ(exo_frames[fn].owner, me); /* its holder ended: the frame passed to us, its parent */
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nframes, charged_to(me));
	CHECK_EQ(sys_page_unmap(0, DST), 0);
	CHECK_EQ(exo_frames[fn].owner, FRAME_OWNER_FREE);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("ipc page grant");
}

/* ipc_call: a child calls us (its request and its wait in one call); we answer
 * with a call too and it sees the answer; refusals change nothing. */
static void test_ipc_call(void)
{
	static struct exo_ipc_msg m;
	CHECK_EQ(sys_ipc_call(me, 1, 2, 3, (long)&m), -E_NORECV); /* ourselves */
	CHECK_EQ(sys_ipc_call(0, 1, 2, 3, (long)&m), -E_BADENV);
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0) {
		static struct exo_ipc_msg cm;
		envid_t self = (envid_t)sys_env_id();
		child_wait_recv(me);
		sys_env_wake(self);                                /* a note pending for us: */
		long r1 = sys_ipc_call(me, 11, 22, 33, (long)&cm); /* the request is sent, the note returned */
		long note = r1 == 0 && cm.kind == EXO_IPC_NOTE && cm.w[0] == EXO_IPC_WAKE && cm.from == self;
		long r2 = sys_ipc_recv(NOPAGE, (long)&cm);         /* the answer */
		child_wait_recv(me);
		hand_send(me, note, r2, (long)(cm.w[0] + cm.w[1] + cm.w[2] + (cm.from == me)));
		sys_env_exit(0);
	}
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0] + m.w[1] + m.w[2], 66);
	while (!(exo_envs[EXO_ENVX(c)].flags & EXO_ENVF_IPC_RECV))
		sys_yield(c);
	CHECK_EQ(sys_ipc_call(c, 100, 200, 300, (long)&m), 0); /* answer; wait for its report */
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], 1);
	CHECK_EQ(m.w[1], 0);
	CHECK_EQ(m.w[2], 601);
	wait_gone(c);
	pass("ipc_call");
}

/* "The teardown clears each table it frees, and frames that must start zeroed are
 * taken from those first": a child gets page tables all over its space (entries
 * mapping a page of ours full of bytes), then ends; the pages we allocate next are
 * those tables' frames, and every byte of them is 0. */
static void test_freed_tables_come_back_zero(void)
{
	uint64_t A = SCR + 0xC000, free0 = exo_info->free_frames;
	CHECK_EQ(sys_page_alloc(0, A, PTE_W | PTE_NX), 0);
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		((volatile uint64_t *)A)[i] = ~0UL - i;
	long c = sys_exofork();
	if (c == 0)
		sys_env_exit(99); /* never run */
	CHECK(c > 0);
	/* 3 address-space slots x 2 directories x 4 tables x 5 pages. */
	for (uint64_t slot = 1; slot <= 3; slot++)
		for (uint64_t dir = 0; dir < 2; dir++)
			for (uint64_t t = 0; t < 4; t++)
				for (uint64_t pg = 0; pg < 5; pg++) {
					uint64_t va = (slot << 39) | (dir << 30) | (t << 21) | (pg * 97 % 512) << 12;
					CHECK_EQ(sys_page_map(0, A, c, (long)va, PTE_W | PTE_NX), 0);
				}
	enum { NT = 3 + 6 + 24 }; /* its PDPTs, directories and page tables */
	uint32_t tables[NT];
	unsigned nt = 0;
	for (uint64_t fn = 0; fn < exo_info->nframes; fn++)
		if (exo_frames[fn].owner == c && (exo_frames[fn].flags & EXO_FRAME_PT) && nt++ < NT)
			tables[nt - 1] = (uint32_t)fn;
	CHECK_EQ(nt, NT);
	CHECK_EQ(exo_frames[vpt_frame(A)].maps, 1 + 3 * 2 * 4 * 5);
	CHECK_EQ(sys_env_destroy(c), 0);
	wait_gone((envid_t)c);
	CHECK_EQ(exo_frames[vpt_frame(A)].maps, 1);
	/* Fresh pages (a table of ours for them first): the child's tables, all 0. */
	const uint64_t P = SCR + 0x600000; /* an empty 2 MiB region in our directory for SCR */
	unsigned reused = 0;
	for (unsigned i = 0; i < NT; i++) {
		uint64_t va = P + i * PAGE_SIZE;
		CHECK_EQ(sys_page_alloc(0, (long)va, PTE_W | PTE_NX), 0);
		uint64_t fn = vpt_frame(va), nonzero = 0;
		for (unsigned k = 0; k < NT; k++)
			reused += tables[k] == fn;
		for (unsigned w = 0; w < PAGE_SIZE / 8; w++)
			nonzero |= ((const volatile uint64_t *)va)[w];
		CHECK_EQ(nonzero, 0);
	}
	CHECK(reused >= NT - 2); /* (our new table for P took one of them) */
	for (unsigned i = 0; i < NT; i++)
		CHECK_EQ(sys_page_unmap(0, (long)(P + i * PAGE_SIZE)), 0);
	CHECK_EQ(sys_pt_drop(0, (long)P), 0);
	CHECK_EQ(sys_page_unmap(0, A), 0);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("freed page tables come back as zeroed frames");
}

/* The present-entry summaries (UPTSUMS): a table of ours with two pages marks
 * exactly their two groups; a child given the region by pte_copy_range and a
 * second region by pt_share has tables (found by their owner in the frame table)
 * whose summaries mark exactly the entries it was given; and after every part
 * above, every non-zero entry of every table of ours is marked (ptsum_missed). */
static void test_present_summaries(void)
{
	const uint64_t R = 0x50000000UL, R2 = R + 40 * (2UL << 20); /* directory entries 128, 168 */
	uint64_t free0 = exo_info->free_frames;
	CHECK_EQ(sys_page_alloc(0, (long)(R + 5 * PAGE_SIZE), PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_alloc(0, (long)(R + 300 * PAGE_SIZE), PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_alloc(0, (long)R2, PTE_NX | PTE_SHARE), 0);
	CHECK_EQ(vpt_sum(*VPT_PDE(R)), 1u << 0 | 1u << (300 / 32));
	CHECK(vpt_sum(*VPT_PDPTE(R)) & (1u << (128 / 32) | 1u << (168 / 32)));
	long c = sys_exofork();
	if (c == 0)
		sys_env_exit(99); /* never run */
	CHECK(c > 0);
	CHECK_EQ(sys_pte_copy_range(c, (long)R, (long)(R + (2UL << 20)), COW_BIT, 0), 2);
	CHECK_EQ(sys_pt_share(c, (long)R2, 0), 0);
	/* Its PDPT (entry 1), its directory (entries 128 and 168), its page table. */
	unsigned want[3] = { 1u << 0, 1u << (128 / 32) | 1u << (168 / 32), 1u << 0 | 1u << (300 / 32) }, seen = 0;
	for (uint64_t fn = 0; fn < exo_info->nframes; fn++) {
		if (exo_frames[fn].owner != c || !(exo_frames[fn].flags & EXO_FRAME_PT))
			continue;
		unsigned k = 0;
		while (k < 3 && (want[k] != exo_ptsums[fn] || (seen & (1u << k))))
			k++;
		CHECK(k < 3);
		seen |= 1u << (k < 3 ? k : 0);
	}
	CHECK_EQ(seen, 7);
	CHECK_EQ(ptsum_missed(), 0);
	CHECK_EQ(sys_env_destroy(c), 0);
	wait_gone((envid_t)c);
	CHECK_EQ(sys_pt_unshare(0, (long)R2, COW_BIT), 0);
	CHECK_EQ(sys_pt_drop(0, (long)R), 0);
	CHECK_EQ(sys_pt_drop(0, (long)R2), 0);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("present-entry summaries mark every entry, ours and a child's");
}

/* "pt_share_range with EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR shares the page
 * directory itself": a child gets our low 1 GiB directory; a page it maps there
 * appears in our space, charged to it; its end takes only its use of the
 * directory, and what it made there passes to us. */
static void test_share_directories(void)
{
	const long DIR = EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR, GIB = 1L << 30;
	uint64_t A = SCR + 0xC000, N = SCR + 0x800000, free0 = exo_info->free_frames;
	CHECK_EQ(sys_page_alloc(0, A, PTE_W | PTE_NX), 0);
	*(volatile uint64_t *)A = 0xd1d1;
	uint64_t pdfn = (*VPT_PDPTE(A) & 0x000FFFFFFFFFF000UL) >> 12;
	CHECK_EQ(exo_frames[pdfn].maps, 1);
	long c = sys_exofork();
	if (c == 0)
		sys_env_exit(99); /* never run */
	CHECK(c > 0);
	CHECK_EQ(sys_pt_share_range(c, 0, GIB, EXO_PT_SHARE_DIR), -E_INVAL);            /* not without W */
	CHECK_EQ(sys_pt_share_range(c, 0, GIB, DIR | EXO_PT_SHARE_VIEW), -E_INVAL);
	CHECK_EQ(sys_pt_share_range(c, 0, GIB / 2, DIR), -E_INVAL);                      /* not whole */
	CHECK_EQ(sys_pt_share(c, (long)A, DIR), -E_INVAL);                               /* pt_share: no */
	CHECK_EQ(sys_pt_share_range(c, GIB * 8, GIB * 9, DIR), 0);                       /* none of ours */
	CHECK_EQ(owned_by((envid_t)c), 0);
	CHECK_EQ(sys_pt_share_range(c, 0, GIB, DIR), 1);
	CHECK_EQ(exo_frames[pdfn].maps, 2);
	CHECK_EQ(sys_pt_share_range(c, 0, GIB, DIR), -E_INVAL); /* it has a directory there now */
	CHECK_EQ(exo_frames[pdfn].maps, 2);
	/* Its A is our frame; a page it makes is ours to see, charged to it. */
	CHECK_EQ(sys_page_map(c, (long)A, 0, (long)(SCR + 0xD000), PTE_NX), 0);
	CHECK_EQ(vpt_frame(SCR + 0xD000), vpt_frame(A));
	CHECK_EQ(sys_page_unmap(0, (long)(SCR + 0xD000)), 0);
	CHECK_EQ(sys_page_alloc(c, (long)N, PTE_W | PTE_NX), 0);
	CHECK(vpt_lookup(N) & PTE_P);
	CHECK_EQ(exo_frames[vpt_frame(N)].owner, c);
	*(volatile uint64_t *)N = 0x4e4e;
	CHECK_EQ(sys_env_destroy(c), 0);
	wait_gone((envid_t)c);
	CHECK_EQ(exo_frames[pdfn].maps, 1);
	CHECK_EQ(*(volatile uint64_t *)A, 0xd1d1);
	CHECK_EQ(*(volatile uint64_t *)N, 0x4e4e);
	CHECK_EQ(exo_frames[vpt_frame(N)].owner, me); /* still used: it passed to us */
	CHECK_EQ(sys_page_unmap(0, (long)N), 0);
	CHECK_EQ(sys_pt_drop(0, (long)N), 0);
	CHECK_EQ(sys_page_unmap(0, (long)A), 0);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("pt_share_range of whole directories: one directory, two spaces");
}

/* "A lone mapping made writable takes the frame": we grant a page read-only, drop
 * our own mapping, and the child may make its (now only) mapping writable. */
static struct exo_ipc_msg gm;
static void test_lone_mapping_takes_frame(void)
{
	uint64_t PG = SCR + 0x9000;
	CHECK_EQ(sys_page_alloc(0, PG, PTE_W | PTE_NX), 0);
	*(volatile uint64_t *)PG = 0x1e1e;
	uint64_t fn = vpt_frame(PG), free0 = exo_info->free_frames;
	uint64_t my0 = exo_envs[EXO_ENVX(me)].nframes;
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0) {
		envid_t self = (envid_t)sys_env_id();
		sys_ipc_recv(CG, (long)&gm);            /* the grant, read-only */
		long before = sys_page_protect(0, CG, PTE_W | PTE_NX);
		uint64_t n0 = exo_envs[EXO_ENVX(self)].nframes;
		while (sys_ipc_recv(NOPAGE, (long)&gm) != 0 || gm.w[0] != 0x60)
			;                                   /* "go": the parent has let go */
		long after = sys_page_protect(0, CG, PTE_W | PTE_NX);
		*(volatile uint64_t *)CG = 0x2f2f;
		hand_send(me, before, after, (long)(exo_envs[EXO_ENVX(self)].nframes - n0));
		hand_send(me, exo_frames[vpt_frame(CG)].owner == self, *(volatile uint64_t *)CG, 0);
		sys_env_exit(0);
	}
	wait_recving(c);
	CHECK_EQ(sys_ipc_send(c, 0, 0, 0, PG, PTE_NX), 0);
	CHECK_EQ(exo_frames[fn].maps, 2);
	wait_recving(c);                     /* it tried while we still map it */
	CHECK_EQ(sys_page_unmap(0, PG), 0);   /* our own page goes... */
	CHECK_EQ(exo_frames[fn].maps, 1);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nframes, my0); /* ...but still counts as ours */
	CHECK_EQ(sys_ipc_send(c, 0x60, 0, 0, NOPAGE, 0), 0);
	static struct exo_ipc_msg m;
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.w[0], -E_PERM);
	CHECK_EQ(m.w[1], 0);
	CHECK_EQ(m.w[2], 1);
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.w[0], 1);
	CHECK_EQ(m.w[1], 0x2f2f);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nframes, my0 - 1); /* moved to the child */
	wait_gone(c);
	CHECK_EQ(exo_frames[fn].owner, FRAME_OWNER_FREE);
	CHECK_EQ(exo_info->free_frames, free0 + 1);
	pass("page_protect: a lone mapping made writable takes the frame");
}

/* page_copy: a fresh frame holding a copy of a page we map, mapped in us or in a
 * child, replacing what was there (also the copied page itself); its refusals. */
static void test_page_copy(void)
{
	uint64_t A = SCR + 0xC000, B = SCR + 0xD000, C = SCR + 0xE000;
	uint64_t free0 = exo_info->free_frames, my0 = exo_envs[EXO_ENVX(me)].nframes;
	CHECK_EQ(sys_page_alloc(0, A, PTE_W | PTE_NX), 0);
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		((volatile uint64_t *)A)[i] = 0xc0b1e5UL * (i + 1);
	/* A copy at another address: the same bytes in a frame of its own. */
	CHECK_EQ(sys_page_copy(0, B, A, PTE_W | PTE_NX), 0);
	CHECK(vpt_frame(B) != vpt_frame(A));
	CHECK_EQ(memcmp((const void *)A, (const void *)B, PAGE_SIZE), 0);
	CHECK_EQ(exo_frames[vpt_frame(B)].owner, me);
	CHECK_EQ(exo_frames[vpt_frame(B)].maps, 1);
	CHECK_EQ(vpt_lookup(B) & (PTE_W | PTE_NX), PTE_W | PTE_NX);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nframes, my0 + 2);
	/* A page shared read-only, copied in place: a private writable copy; the
	 * shared frame loses a mapping and keeps its bytes. */
	CHECK_EQ(sys_page_map(0, A, 0, C, PTE_NX), 0);
	uint64_t fa = vpt_frame(A);
	CHECK_EQ(exo_frames[fa].maps, 2);
	CHECK_EQ(sys_page_copy(0, C, C, PTE_W | PTE_NX), 0);
	CHECK(vpt_frame(C) != fa);
	CHECK_EQ(exo_frames[fa].maps, 1);
	*(volatile uint64_t *)C = 7;
	CHECK_EQ(*(volatile uint64_t *)A, 0xc0b1e5UL);
	CHECK_EQ(((volatile uint64_t *)C)[9], 0xc0b1e5UL * 10);
	/* Read-only permission on the copy, and a copy of a read-only page. */
	CHECK_EQ(sys_page_copy(0, C, B, PTE_NX), 0);
	CHECK_EQ(vpt_lookup(C) & PTE_W, 0);
	CHECK_EQ(sys_page_copy(0, B, C, PTE_W | PTE_NX), 0);
	CHECK_EQ(((volatile uint64_t *)B)[0], 0xc0b1e5UL);
	/* Into a child: charged to it, seen through a mapping of ours. */
	long c = sys_exofork();
	if (c == 0)
		sys_env_exit(99); /* never run */
	CHECK(c > 0);
	CHECK_EQ(sys_page_copy(c, CDATA, A, PTE_W | PTE_NX), 0);
	CHECK_EQ(owned_by((envid_t)c), 1);
	CHECK_EQ(sys_page_map(c, CDATA, 0, C, PTE_NX), 0);
	CHECK_EQ(exo_frames[vpt_frame(C)].owner, c);
	CHECK_EQ(memcmp((const void *)A, (const void *)C, PAGE_SIZE), 0);
	/* Refusals, each changing nothing. */
	uint64_t n1 = exo_envs[EXO_ENVX(me)].nframes;
	CHECK_EQ(sys_page_copy(0, B, SCR + 0x8000, PTE_W), -E_INVAL);      /* nothing at srcva */
	CHECK_EQ(sys_page_copy(0, B, A + 8, PTE_W), -E_INVAL);             /* unaligned */
	CHECK_EQ(sys_page_copy(0, B + 8, A, PTE_W), -E_INVAL);
	CHECK_EQ(sys_page_copy(0, B, (long)UFRAMES, PTE_W), -E_INVAL);     /* above ULIM */
	CHECK_EQ(sys_page_copy(0, (long)ULIM, A, PTE_W), -E_INVAL);
	CHECK_EQ(sys_page_copy(0, 0, A, PTE_W), -E_INVAL);                 /* page 0 */
	CHECK_EQ(sys_page_copy(0, B, A, PTE_W | PTE_PS), -E_INVAL);        /* bad perm */
	CHECK_EQ(sys_page_copy(c + EXO_NENV, B, A, PTE_W), -E_BADENV);
	CHECK_EQ(sys_env_set_quota(c, 1, 0), 0);                           /* it holds 1 */
	CHECK_EQ(sys_page_copy(c, CSTACK, A, PTE_W | PTE_NX), -E_QUOTA);
	CHECK_EQ(owned_by((envid_t)c), 1);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nframes, n1);
	CHECK_EQ(((volatile uint64_t *)B)[0], 0xc0b1e5UL);
	CHECK_EQ(sys_env_destroy(c), 0);
	wait_gone((envid_t)c);
	CHECK_EQ(sys_page_unmap(0, C), 0);
	CHECK_EQ(sys_page_unmap(0, B), 0);
	CHECK_EQ(sys_page_unmap(0, A), 0);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("page_copy: copies here, in place and into a child; refusals change nothing");
}

/* env_wake and the kernel's notes; sleep_until. */
static void test_wake_sleep(void)
{
	drain_notes();
	uint64_t free0 = exo_info->free_frames;
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0) {
		child_wait_recv(me);
		sys_env_wake(me);                           /* wakes the parent's ipc_recv */
		long r = sys_ipc_recv(NOPAGE, (long)&gm);    /* the parent wakes us */
		hand_send(me, r, gm.from, (long)gm.w[0]);
		sys_sleep_until(-1L);                        /* until destroyed */
		sys_env_exit(99);
	}
	static struct exo_ipc_msg m;
	CHECK_EQ(sys_ipc_recv(NOPAGE, (long)&m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], EXO_IPC_WAKE);
	CHECK_EQ(m.perm, 0);
	wait_recving(c);
	CHECK_EQ(sys_env_wake(c), 0);
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], 0);
	CHECK_EQ(m.w[1], me);
	CHECK_EQ(m.w[2], EXO_IPC_WAKE);
	/* The child sleeps for good: not runnable, its status cannot be forced. */
	while (exo_envs[EXO_ENVX(c)].status != EXO_ENV_NOT_RUNNABLE)
		sys_yield(0);
	CHECK_EQ(sys_env_set_status(c, EXO_ENV_RUNNABLE), -E_AGAIN);
	CHECK_EQ(sys_env_destroy(c), 0);
	CHECK_EQ(exo_info->free_frames, free0);
	/* A wakeup sent while we do not receive waits for our next ipc_recv, and it
	 * does not hide the child's death note, which comes first. */
	CHECK_EQ(sys_env_wake(me), 0);
	CHECK_EQ(sys_ipc_recv(NOPAGE, (long)&m), 0);
	CHECK_EQ(m.kind, EXO_IPC_NOTE);
	CHECK_EQ(m.w[0], EXO_IPC_DEATH);
	CHECK_EQ(m.from, c);
	CHECK_EQ(sys_ipc_recv(NOPAGE, (long)&m), 0);
	CHECK_EQ(m.w[0], EXO_IPC_WAKE);
	CHECK_EQ(m.from, me);
	/* sleep_until: a deadline in the past returns at once; a near one is kept. */
	CHECK_EQ(sys_sleep_until((long)rdtsc() - 1000), 0);
	uint64_t t0 = rdtsc(), deadline = t0 + exo_info->tsc_hz / 50; /* 20 ms */
	CHECK_EQ(sys_sleep_until((long)deadline), 0);
	CHECK(rdtsc() >= deadline);
	pass("env_wake, kernel notes, sleep_until");
}

/* ---- slots, quotas, power ------------------------------------------------------------ */

static void test_slots(void)
{
	long s = sys_slot_alloc(-1);
	CHECK(s >= 0 && s < (long)exo_slots->nslots);
	CHECK_EQ(exo_slots->owner[s], me);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nslots, 1);
	CHECK_EQ(sys_slot_alloc(s), -E_EXIST);
	long k = (s + 1) % exo_slots->nslots;
	CHECK_EQ(sys_slot_alloc(k), k);
	CHECK_EQ(exo_slots->owner[k], me);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nslots, 2);
	/* Our slots come round. */
	uint64_t r0 = exo_slots->rounds;
	while (exo_slots->rounds < r0 + 2)
		;
	CHECK_EQ(sys_slot_free(s), 0);
	CHECK_EQ(exo_slots->owner[s], 0);
	CHECK_EQ(sys_slot_free(s), -E_PERM);
	CHECK_EQ(sys_slot_free(k), 0);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nslots, 0);
	/* A child's slots go back when it is destroyed. */
	long u = sys_exofork();
	if (u == 0)
		sys_env_exit(99);
	CHECK_EQ(sys_env_destroy(u), 0);
	for (int i = 0; i < EXO_MAX_SLOTS; i++)
		CHECK_EQ(exo_slots->owner[i], 0);
	pass("slot_alloc / slot_free");
}

static void test_quota_and_power(void)
{
	uint64_t free0 = exo_info->free_frames;
	long u = sys_exofork();
	if (u == 0)
		sys_env_exit(99);
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(u)];
	CHECK_EQ(sys_env_set_quota(u, 8, 1), 0);
	CHECK_EQ(v->frame_quota, 8);
	CHECK_EQ(v->slot_quota, 1);
	/* Pages (and whatever page tables the kernel charges to it) up to 8 frames. */
	long got = 0, r = 0;
	while (got < 16 && (r = sys_page_alloc(u, (long)(CG + (uint64_t)got * PAGE_SIZE), PTE_W | PTE_NX)) == 0)
		got++;
	CHECK_EQ(r, -E_QUOTA);
	CHECK_EQ(v->nframes, 8);
	CHECK_EQ(owned_by((envid_t)u), (uint64_t)got);
	CHECK(got >= 5 && got <= 8);
	/* Mapping our frame there costs it nothing (the page table exists). */
	CHECK_EQ(sys_page_alloc(0, SCR + 0xA000, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_map(0, SCR + 0xA000, u, (long)(CG + 0x10 * PAGE_SIZE), PTE_NX), 0);
	CHECK_EQ(v->nframes, 8);
	CHECK_EQ(sys_page_unmap(0, SCR + 0xA000), 0);
	/* Lower is fine, even below what it holds; it just cannot get more. */
	CHECK_EQ(sys_env_set_quota(u, 1, 0), 0);
	CHECK_EQ(v->frame_quota, 1);
	CHECK_EQ(sys_page_alloc(u, (long)(CG + 0x11 * PAGE_SIZE), PTE_W | PTE_NX), -E_QUOTA);
	/* Power delegation. */
	CHECK_EQ(v->flags & EXO_ENVF_POWER, 0);
	CHECK_EQ(sys_power_delegate(u), 0);
	CHECK(v->flags & EXO_ENVF_POWER);
	CHECK_EQ(sys_env_destroy(u), 0);
	CHECK_EQ(exo_info->free_frames, free0);
	pass("env_set_quota, power_delegate");
}

/* A kernel test: the boot environment alone, without the libOS process layer. */
const bool libos_bare = true;

/* env_watch: the end of a descendant made after the call (here a grandchild)
 * reaches us, the outermost watcher, with its status, although its parent watches
 * too; our own child's end is told once. Last: the watch cannot be undone. */
static void test_watch(void)
{
	drain_notes();
	CHECK_EQ(sys_env_watch(), 0);
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0) {
		sys_env_watch(); /* a watcher below us: it does not take our notes */
		int g = libos_spawn_copy();
		if (g == 0)
			sys_env_exit(9);
		while (exo_envs[EXO_ENVX(g)].id == g)
			sys_yield(0);
		while (sys_ipc_recv(NOPAGE, (long)&sm) != 0 || sm.w[0] != 0x51)
			;
		sys_env_exit(7);
	}
	static struct exo_ipc_msg m;
	CHECK_EQ(sys_ipc_recv(NOPAGE, (long)&m), 0);
	CHECK_EQ(m.kind, EXO_IPC_NOTE);
	CHECK_EQ(m.w[0], EXO_IPC_DEATH);
	CHECK(m.from != c);
	CHECK_EQ(m.w[1], 9);
	CHECK_EQ(exo_envs[EXO_ENVX(m.from)].id, 0);
	wait_recving(c);
	CHECK_EQ(sys_ipc_send(c, 0x51, 0, 0, NOPAGE, 0), 0);
	CHECK_EQ(sys_ipc_recv(NOPAGE, (long)&m), 0);
	CHECK_EQ(m.from, c);
	CHECK_EQ(m.w[0], EXO_IPC_DEATH);
	CHECK_EQ(m.w[1], 7);
	CHECK_EQ(sys_env_wake(me), 0); /* no second note of its end */
	CHECK_EQ(sys_ipc_recv(NOPAGE, (long)&m), 0);
	CHECK_EQ(m.w[0], EXO_IPC_WAKE);
	pass("env_watch: a descendant's end reaches the outermost watcher");
}

int main(void)
{
	me = (envid_t)sys_env_id();
	drop_modules();
	printf("kfunc: env %#x, %lu free frames\n", me, (unsigned long)exo_info->free_frames);
	fflush(stdout);
	CHECK_EQ(libos_set_trap_handler(14, fault_handler), 0);
	/* Page tables for our scratch regions, made once so the audits are exact. */
	CHECK_EQ(sys_page_alloc(0, SCR, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_alloc(0, REG + 0x100000, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_unmap(0, REG + 0x100000), 0);
	uint64_t free_start = exo_info->free_frames;

	test_self_view();
	test_counters();
	test_exofork_registers();
	test_exofork_by_hand();
	test_status_yield_destroy();
	test_env_table();
	test_destroy_self();
	test_pte_batch();
	test_protect_range();
	test_pt_share();
	test_ipc_grant();
	test_ipc_call();
	test_lone_mapping_takes_frame();
	test_page_copy();
	test_freed_tables_come_back_zero();
	test_share_directories();
	test_wake_sleep();
	test_slots();
	test_quota_and_power();
	test_watch();
	test_present_summaries();

	CHECK_EQ(live_envs(), 1);
	CHECK_EQ(exo_info->free_frames, free_start);
	check_done("kfunc");
}
