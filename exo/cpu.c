/*
 * CPU setup: GDT with kernel and user segments, TSS with an interrupt stack for
 * double faults, IDT for the 32 exceptions and the IRQs, syscall MSRs,
 * SSE, and SMEP/SMAP when the CPU has them.
 */
#include "cpu.h"
#include "x86.h"
#include "kern.h"

struct cpu cpu0;
bool cpu_has_smap;

static uint8_t ist_stack[8192] __attribute__((aligned(16)));
static uint8_t kstack[32768] __attribute__((aligned(16)));

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type_attr;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));
static struct idt_gate idt[256];

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void set_gate(int vec, uint64_t handler, int dpl, int ist)
{
	struct idt_gate *g = &idt[vec];
	g->off_lo = handler & 0xFFFF;
	g->sel = GD_KCODE;
	g->ist = ist;
	g->type_attr = 0x80 | (dpl << 5) | 0xE; /* present, interrupt gate */
	g->off_mid = (handler >> 16) & 0xFFFF;
	g->off_hi = handler >> 32;
	g->zero = 0;
}

static void gdt_init(struct cpu *c)
{
	c->gdt[0] = 0;
	c->gdt[1] = 0x00AF9A000000FFFFULL; /* kernel code, 64-bit */
	c->gdt[2] = 0x00CF92000000FFFFULL; /* kernel data */
	c->gdt[3] = 0x00CFFA000000FFFFULL; /* user code, 32-bit (unused; keeps STAR's layout) */
	c->gdt[4] = 0x00CFF2000000FFFFULL; /* user data */
	c->gdt[5] = 0x00AFFA000000FFFFULL; /* user code, 64-bit */
	uint64_t base = (uint64_t)&c->tss, limit = sizeof(c->tss) - 1;
	c->gdt[6] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ULL << 40) |
		    (((base >> 24) & 0xFF) << 56);
	c->gdt[7] = base >> 32;

	struct desc_ptr gp = { sizeof(c->gdt) - 1, (uint64_t)c->gdt };
	__asm__ volatile("lgdt %0" : : "m"(gp));
	__asm__ volatile("pushq %0\n"
			 "leaq 1f(%%rip), %%rax\n"
			 "pushq %%rax\n"
			 "lretq\n"
			 "1:\n"
			 "movw %w1, %%ax\n"
			 "movw %%ax, %%ds\n"
			 "movw %%ax, %%es\n"
			 "movw %%ax, %%ss\n"
			 : : "i"((uint64_t)GD_KCODE), "r"(GD_KDATA) : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"(GD_TSS));
}

static void idt_init(void)
{
	/* 0-31 exceptions, 32-47 PIC IRQs, 48 the LAPIC timer, 255 spurious. */
	for (int v = 0; v < 49; v++)
		set_gate(v, trap_vectors[v], v == 3 ? 3 : 0, v == 8 ? 1 : 0); /* #DF on its own stack */
	set_gate(255, trap_vectors[49], 0, 0);
	struct desc_ptr ip = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(ip));
}

static void features_init(void)
{
	uint32_t a, b, c, d;
	uint64_t cr0 = rcr0();
	cr0 = (cr0 & ~CR0_EM) | CR0_MP | CR0_WP;
	lcr0(cr0);
	uint64_t cr4 = rcr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_PGE;
	cpuid(7, 0, &a, &b, &c, &d);
	if (b & (1u << 7))
		cr4 |= CR4_SMEP;
	if (b & (1u << 20)) {
		cr4 |= CR4_SMAP;
		cpu_has_smap = true;
	}
	lcr4(cr4);
	if (cpu_has_smap)
		__asm__ volatile("clac");
	kprintf("cpu: SSE on, SMEP %s, SMAP %s\n", (cr4 & CR4_SMEP) ? "on" : "off (not supported)",
		cpu_has_smap ? "on" : "off (not supported)");
}

/* Print the CPU's model and the features that decide what a benchmark figure
 * means (large pages, fast string copies, PCID, hardware random numbers), so that
 * a report can say what the comparison ran on. */
static void describe_cpu(void)
{
	uint32_t r[12] = { 0 }, a, b, c, d, c1, d1, b7, c7, d7, dx;
	cpuid(0x80000000, 0, &a, &b, &c, &d);
	for (uint32_t i = 0; i < 3 && a >= 0x80000004; i++)
		cpuid(0x80000002 + i, 0, &r[4 * i], &r[4 * i + 1], &r[4 * i + 2], &r[4 * i + 3]);
	char model[49];
	memcpy(model, r, 48);
	model[48] = 0;
	const char *m = model;
	while (*m == ' ')
		m++;
	cpuid(1, 0, &a, &b, &c1, &d1);
	cpuid(7, 0, &a, &b7, &c7, &d7);
	cpuid(0x80000001, 0, &a, &b, &c, &dx);
	kprintf("cpu: %s; pse %s, 1 GiB pages %s, erms %s, fsrm %s, pcid %s, rdrand %s, rdseed %s\n", *m ? m : "unknown",
		(d1 & (1u << 3)) ? "yes" : "no", (dx & (1u << 26)) ? "yes" : "no", (b7 & (1u << 9)) ? "yes" : "no",
		(d7 & (1u << 4)) ? "yes" : "no", (c1 & (1u << 17)) ? "yes" : "no", (c1 & (1u << 30)) ? "yes" : "no",
		(b7 & (1u << 18)) ? "yes" : "no");
}

static void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE | EFER_NXE);
	/* sysret: CS = STAR[63:48] + 16, SS = STAR[63:48] + 8; syscall: CS = STAR[47:32]. */
	wrmsr(MSR_STAR, ((uint64_t)(GD_UCODE - 16) << 48) | ((uint64_t)GD_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | (1UL << 14) /* NT */);
}

void cpu_init(void)
{
	struct cpu *c = &cpu0;
	c->self = c;
	c->id = 0;
	c->kstack_top = (uint64_t)kstack + sizeof kstack;
	c->tss.ist[0] = (uint64_t)ist_stack + sizeof ist_stack;
	c->tss.iomap_base = sizeof(c->tss);
	gdt_init(c);
	idt_init();
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	features_init();
	describe_cpu();
	syscall_init();
}

