/*
 * Trap dispatch. Interrupts are acknowledged and handled; a user exception ends the
 * faulting environment with a one-line report (the kernel keeps running); a kernel
 * exception is a kernel bug: full register dump, backtrace, power off.
 */
#include "cpu.h"
#include "env.h"
#include "x86.h"
#include "console.h"
#include "power.h"
#include "lapic.h"
#include "../include/exo/memlayout.h"
#include "../include/exo/trap.h"

#define IRQ_COM1 4
#define PIC1 0x20
#define PIC2 0xA0

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
	"invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
	"invalid TSS", "segment not present", "stack-segment fault", "general protection fault",
	"page fault", "reserved (15)", "x87 floating-point error", "alignment check", "machine check",
	"SIMD floating-point exception", "virtualization exception", "control protection exception",
};

/* trap_name: a readable name for a trap number. */
const char *trap_name(uint64_t trapno)
{
	if (trapno < 32 && exception_names[trapno])
		return exception_names[trapno];
	if (trapno == T_SYSCALL)
		return "system call";
	if (trapno >= T_IRQ0 && trapno < T_IRQ0 + 16)
		return "hardware interrupt";
	return "unknown trap";
}

/* pic_init: remap the 8259 PICs to vectors 32-47 and unmask only COM1 (and the cascade). */
void pic_init(void)
{
	outb(PIC1 + 1, 0xFF);
	outb(PIC2 + 1, 0xFF);
	outb(PIC1, 0x11), outb(PIC2, 0x11);         /* ICW1: init, expect ICW4 */
	outb(PIC1 + 1, T_IRQ0), outb(PIC2 + 1, T_IRQ0 + 8);
	outb(PIC1 + 1, 4), outb(PIC2 + 1, 2);       /* cascade on IRQ2 */
	outb(PIC1 + 1, 1), outb(PIC2 + 1, 1);       /* 8086 mode */
	outb(PIC1 + 1, (uint8_t) ~((1 << IRQ_COM1) | (1 << 2)));
	outb(PIC2 + 1, 0xFF);
}

static void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
}

/* backtrace: print return addresses up the rbp chain while it stays in kernel memory. */
void backtrace(uint64_t rbp)
{
	kprintf("backtrace (resolve with: addr2line -e build/kernel.elf ADDR):\n");
	for (int depth = 0; depth < 16 && rbp >= KERNBASE && (rbp & 7) == 0; depth++) {
		uint64_t *frame = (uint64_t *)rbp;
		if (!frame[1])
			break;
		kprintf("  #%d %#lx\n", depth, frame[1]);
		rbp = frame[0];
	}
}

/* print_trapframe: dump every register of a trap frame. */
void print_trapframe(const struct trapframe *tf)
{
	kprintf("  trap %lu (%s) err %#lx rip %#lx cs %#lx rflags %#lx rsp %#lx ss %#lx cr2 %#lx\n", tf->trapno,
		trap_name(tf->trapno), tf->err, tf->rip, tf->cs, tf->rflags, tf->rsp, tf->ss, rcr2());
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", tf->rsi, tf->rdi, tf->rbp, tf->r8);
	kprintf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", tf->r9, tf->r10, tf->r11, tf->r12);
	kprintf("  r13 %016lx r14 %016lx r15 %016lx\n", tf->r13, tf->r14, tf->r15);
}

/* Describe a page-fault error code: "write to unmapped page" and the like. */
static void describe_fault(const struct trapframe *tf, char *buf, size_t size)
{
	if (tf->trapno != EXO_T_PGFLT) {
		ksnprintf(buf, size, "%s at rip %#lx", trap_name(tf->trapno), tf->rip);
		return;
	}
	const char *access = (tf->err & EXO_PF_EXEC) ? "execute" : (tf->err & EXO_PF_WRITE) ? "write" : "read";
	const char *why = (tf->err & EXO_PF_PRESENT) ? "protection violation" : "unmapped address";
	ksnprintf(buf, size, "page fault: %s of %#lx (%s) at rip %#lx", access, rcr2(), why, tf->rip);
}

static void kernel_fault(struct trapframe *tf)
{
	kprintf("\nKERNEL PANIC: %s in the kernel\n", trap_name(tf->trapno));
	print_trapframe(tf);
	kprintf("  faulting instruction %#lx\n", tf->rip);
	backtrace(tf->rbp);
	power_off_panic();
}

static void handle_irq(int irq)
{
	if (irq == IRQ_COM1) {
		console_intr();
		for (int i = 0; i < env_top; i++)
			if (envs[i].status == ENV_NOT_RUNNABLE && envs[i].wait_console) {
				envs[i].wait_console = false;
				envs[i].status = ENV_RUNNABLE;
				env_publish(&envs[i]);
			}
	}
	pic_eoi(irq);
}

void trap(struct trapframe *tf)
{
	clac(); /* a user may have set RFLAGS.AC: SMAP must hold in the kernel */
	bool from_user = (tf->cs & 3) == 3;
	if (tf->trapno == T_TIMER) {
		lapic_eoi();
		sched_tick(); /* may switch to another environment */
	} else if (tf->trapno >= T_IRQ0 && tf->trapno < T_IRQ0 + 16) {
		handle_irq((int)(tf->trapno - T_IRQ0));
	} else if (tf->trapno == T_SPURIOUS) {
		/* nothing to acknowledge */
	} else if (!from_user || tf->trapno == EXO_T_DBLFLT || tf->trapno == EXO_T_MCHK) {
		kernel_fault(tf); /* double fault (IST frame) and machine check are never a user's */
	} else {
		struct env *e = curenv();
		if (!upcall_exception(e, tf)) {
			char what[128];
			describe_fault(tf, what, sizeof what);
			kprintf("exo: env %#x [%s] killed: %s\n", e->id, e->name, what);
			env_destroy(e, ENV_STATUS_FAULT);
			sched_run();
		}
	}
	if (from_user)
		env_run(curenv());
}
