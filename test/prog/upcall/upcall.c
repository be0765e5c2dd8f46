/* upcall: page faults reach the libOS handler with every register intact; the
 * handler maps the page and the faulting code resumes unaware. Also a child made
 * with libos_spawn_copy runs on its own copy of memory. */
#include <stdint.h>
#include <string.h>
#include "../check.h"
#include "libos.h"
#include "vpt.h"

#define LAZY 0x20000000UL
static volatile int faults; /* changed by the handler behind the compiler's back */

static int map_on_demand(struct exo_utf *utf)
{
	if (utf->fault_va < LAZY || utf->fault_va >= LAZY + (1 << 20))
		return 1;
	faults++;
	return sys_page_alloc(0, (long)(utf->fault_va & ~0xFFFUL), PTE_W | PTE_NX) < 0;
}

static int shared_word = 5;

int main(void)
{
	CHECK_EQ(libos_set_trap_handler(14, map_on_demand), 0);

	/* Registers survive the round trip: the asm keeps values in every GPR across a
	 * faulting store and checks them afterwards. */
	uint64_t out[14];
	__asm__ volatile(
		"movq $0x1111, %%rax\n movq $0x2222, %%rbx\n movq $0x3333, %%rcx\n movq $0x4444, %%rdx\n"
		"movq $0x5555, %%rsi\n movq $0x8888, %%r8\n movq $0x9999, %%r9\n movq $0xaaaa, %%r10\n"
		"movq $0xbbbb, %%r11\n movq $0xcccc, %%r12\n movq $0xdddd, %%r13\n movq $0xeeee, %%r14\n"
		"movq $0xffff, %%r15\n"
		"movq %%rax, %c[lazy]\n" /* faults: the page is not mapped yet */
		"movq %%rax, 0(%[o])\n movq %%rbx, 8(%[o])\n movq %%rcx, 16(%[o])\n movq %%rdx, 24(%[o])\n"
		"movq %%rsi, 32(%[o])\n movq %%r8, 40(%[o])\n movq %%r9, 48(%[o])\n movq %%r10, 56(%[o])\n"
		"movq %%r11, 64(%[o])\n movq %%r12, 72(%[o])\n movq %%r13, 80(%[o])\n movq %%r14, 88(%[o])\n"
		"movq %%r15, 96(%[o])\n pushfq\n popq 104(%[o])\n"
		:
		: [o] "D"(out), [lazy] "i"(LAZY + 0x40)
		: "rax", "rbx", "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
		  "memory", "cc");
	const uint64_t want[] = { 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x8888, 0x9999, 0xaaaa,
				  0xbbbb, 0xcccc, 0xdddd, 0xeeee, 0xffff };
	for (int i = 0; i < 13; i++)
		CHECK_EQ(out[i], want[i]);
	CHECK(out[13] & 0x200); /* interrupts still enabled in rflags */
	CHECK_EQ(faults, 1);
	CHECK_EQ(*(volatile uint64_t *)(LAZY + 0x40), 0x1111);

	/* Many faults in a row, from C. */
	for (int i = 1; i < 16; i++)
		((volatile char *)LAZY)[i * 4096] = (char)i;
	CHECK_EQ(faults, 16);
	for (int i = 1; i < 16; i++)
		CHECK_EQ(((volatile char *)LAZY)[i * 4096], i);

	/* A child with a private copy of our memory: its writes stay its own. */
	static struct exo_ipc_msg msg;
	envid_t me = (envid_t)sys_env_id();
	int child = libos_spawn_copy();
	CHECK(child >= 0);
	if (child == 0) {
		shared_word = 99;
		((volatile char *)LAZY)[4096] = 77;
		long r;
		while ((r = sys_ipc_send(me, shared_word, ((volatile char *)LAZY)[4096], 0, -1, 0)) == -E_NORECV)
			sys_yield(0);
		sys_env_exit(r == 0 ? 0 : 1);
	}
	CHECK_EQ(sys_ipc_recv(-1, (long)&msg), 0);
	CHECK_EQ(msg.from, child);
	CHECK_EQ(msg.w[0], 99);
	CHECK_EQ(msg.w[1], 77);
	CHECK_EQ(shared_word, 5);
	CHECK_EQ(((volatile char *)LAZY)[4096], 1);
	check_done("upcall");
}
