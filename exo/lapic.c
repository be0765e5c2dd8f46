/*
 * Local APIC: the per-CPU timer that ends time slots. The TSC and the APIC timer are
 * both calibrated against the PIT (CPUID 0x15/0x16 report nothing under QEMU).
 */
#include "lapic.h"
#include "pmem.h"
#include "vm.h"
#include "x86.h"

#define LAPIC_PHYS 0xFEE00000UL
#define REG_ID 0x20
#define REG_EOI 0xB0
#define REG_SVR 0xF0
#define REG_LVT_TIMER 0x320
#define REG_TIMER_INIT 0x380
#define REG_TIMER_CUR 0x390
#define REG_TIMER_DIV 0x3E0
#define TIMER_MASKED (1u << 16)

uint64_t tsc_hz;
static volatile uint32_t *lapic;
static uint64_t apic_hz;

static inline uint32_t rd(uint32_t reg) { return lapic[reg / 4]; }
static inline void wr(uint32_t reg, uint32_t v) { lapic[reg / 4] = v; }

/* Run PIT channel 2 for ms milliseconds (polling its output through port 0x61). */
static void pit_wait_start(uint32_t ms)
{
	uint32_t count = 1193182u * ms / 1000;
	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xB0);                       /* channel 2, lobyte/hibyte, mode 0 */
	outb(0x42, count & 0xFF);
	outb(0x42, count >> 8);
	uint8_t v = inb(0x61);                  /* restart the count: pulse the gate */
	outb(0x61, v & ~0x01);
	outb(0x61, v | 0x01);
}

static bool pit_done(void) { return inb(0x61) & 0x20; }

void lapic_init(uint64_t period_us)
{
	lapic = vm_map_mmio(LAPIC_PHYS);
	wrmsr(0x1B, rdmsr(0x1B) | (1UL << 11)); /* APIC global enable */
	wr(REG_SVR, 0x100 | T_SPURIOUS);
	wr(REG_TIMER_DIV, 0x3);                 /* divide by 16 */
	wr(REG_LVT_TIMER, TIMER_MASKED | T_TIMER);

	const uint32_t ms = 10;
	wr(REG_TIMER_INIT, 0xFFFFFFFF);
	pit_wait_start(ms);
	uint64_t t0 = rdtsc();
	uint32_t a0 = rd(REG_TIMER_CUR);
	while (!pit_done())
		;
	uint64_t t1 = rdtsc();
	uint32_t a1 = rd(REG_TIMER_CUR);
	tsc_hz = (t1 - t0) * (1000 / ms);
	apic_hz = (uint64_t)(a0 - a1) * (1000 / ms);
	kprintf("lapic: TSC %lu MHz, APIC timer %lu kHz, slot quantum %lu us\n", tsc_hz / 1000000,
		apic_hz / 1000, period_us);
	wr(REG_LVT_TIMER, T_TIMER); /* one-shot */
}

void lapic_arm(uint64_t deadline)
{
	uint64_t now = rdtsc(), dt = deadline > now ? deadline - now : 0;
	uint64_t count = dt / tsc_hz * apic_hz + dt % tsc_hz * apic_hz / tsc_hz; /* no overflow */
	wr(REG_TIMER_INIT, (uint32_t)MIN(MAX(count, 16), 0xFFFFFFFFUL));
}

void lapic_eoi(void)
{
	wr(REG_EOI, 0);
}

