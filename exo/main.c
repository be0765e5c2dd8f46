/* kmain: bring the machine up, load the boot environment, start scheduling. */
#include "kern.h"
#include "console.h"
#include "bootinfo.h"
#include "cpu.h"
#include "pmem.h"
#include "vm.h"
#include "env.h"
#include "power.h"
#include "lapic.h"
#include "counters.h"
#include "rtc.h"
#include "x86.h"
#include "../include/exo/exports.h"

static struct boot_info boot;
/* Exported pages hold nothing else: a whole page each. */
static union {
	struct exo_info v;
	uint8_t page[4096];
} info_u __attribute__((aligned(4096)));
#define info_page info_u.v

/* Publish the kernel info page (UINFO) read-only to every environment. */
static void info_init(void)
{
	info_page.magic = EXO_INFO_MAGIC;
	info_page.nframes = frames.nframes;
	info_page.nmodules = (uint64_t)boot.nmodules;
	for (int i = 0; i < boot.nmodules && i < EXO_MAX_MODULES; i++) {
		info_page.modules[i].start = boot.modules[i].start;
		info_page.modules[i].end = boot.modules[i].end;
		strlcpy(info_page.modules[i].cmdline, boot.modules[i].cmdline, sizeof info_page.modules[i].cmdline);
	}
	pmem_publish_free_count(&info_page.free_frames);
	vm_map_export(UINFO, kimage_pa(&info_page));
}

/* cmos_read: CMOS register reg (the real-time clock's, through ports 0x70/0x71). */
static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

/* clock_init: publish the boot time (exo_info.boot_epoch): the CMOS clock's
 * reading, less the TSC time since reset (the libOS adds the TSC time to it).
 * Needs tsc_hz. A clock that cannot be read leaves 0, said on the console. */
static void clock_init(void)
{
	int64_t now = rtc_epoch(cmos_read);
	uint64_t tsc = rdtsc();
	if (now < 0) {
		kprintf("rtc: no readable CMOS clock: the time starts at 1970\n");
		return;
	}
	info_page.boot_epoch = now - (int64_t)(tsc / tsc_hz);
	kprintf("rtc: %ld s since the epoch (UTC), booted at %ld\n", now, info_page.boot_epoch);
}

/* boot_option: the number after "name=" on the kernel command line, or def. */
static uint64_t boot_option(const char *name, uint64_t def)
{
	size_t n = strlen(name);
	for (const char *p = boot.cmdline; *p; p++) {
		if ((p == boot.cmdline || p[-1] == ' ') && strncmp(p, name, n) == 0 && p[n] == '=') {
			uint64_t v = 0;
			bool digits = false;
			for (p += n + 1; *p >= '0' && *p <= '9'; p++, digits = true)
				v = v * 10 + (uint64_t)(*p - '0');
			return digits ? v : def;
		}
	}
	return def;
}

/* Deliberate kernel failures, selected on the kernel command line, so the test
 * suite can check that they are reported (and that its runner catches them). */
static void boot_selftest(const char *cmdline)
{
	const char *key = "selftest=";
	for (const char *p = cmdline; *p; p++) {
		if (strncmp(p, key, strlen(key)) != 0)
			continue;
		const char *what = p + strlen(key);
		if (strncmp(what, "kernel-fault", 12) == 0) {
			kprintf("selftest: writing to an unmapped kernel address\n");
			*(volatile uint64_t *)0xFFFF900000000000UL = 1;
		} else if (strncmp(what, "triple-fault", 12) == 0) {
			kprintf("selftest: loading an empty IDT and trapping\n");
			struct { uint16_t limit; uint64_t base; } __attribute__((packed)) none = { 0, 0 };
			__asm__ volatile("lidt %0; int3" : : "m"(none));
		} else if (strncmp(what, "hang", 4) == 0) {
			kprintf("selftest: hanging with interrupts off\n");
			for (;;)
				__asm__ volatile("cli; hlt");
		}
	}
}

/* Before vm_init, the first 1 GiB of physical memory is visible at KERNBASE. */
static const void *early_read(uint64_t phys, size_t len)
{
	if (phys == 0 || phys + len < phys || phys + len > (1UL << 30))
		return NULL;
	return (const void *)(KERNBASE + phys);
}

void kmain(uint32_t magic, uint32_t info_phys)
{
	console_init();
	kprintf("\nexo: exokernel booting (under QEMU's make run: Ctrl-A X stops QEMU)\n");
	if (bootinfo_parse(magic, info_phys, early_read, &boot) < 0)
		panic("boot info: %s", boot.cmdline);
	kprintf("boot: multiboot%d, kernel command line '%s', %d memory regions, %d modules\n", boot.protocol,
		boot.cmdline, boot.nregions, boot.nmodules);
	cpu_init();
	pmem_init(&boot);
	vm_init();
	pmem_selfcheck();
	info_init();
	boot_selftest(boot.cmdline);
	pic_init();
	env_first_generation = (uint32_t)boot_option("envgen", 1);
	env_init();
	env_views_init();
	counters_init(boot_option("timing", 0) != 0);
	default_frame_quota = boot_option("frames", UINT64_MAX);
	default_slot_quota = (uint32_t)boot_option("slotquota", 4);
	sched_init((uint32_t)boot_option("slots", 8), boot_option("quantum", 10000));
	info_page.tsc_hz = tsc_hz;
	clock_init();
	info_page.frame_quota = default_frame_quota;
	info_page.slot_quota = default_slot_quota;
	if (boot.nmodules == 0) {
		kprintf("exo: no boot module given: nothing to run\n");
		power_off_panic();
	}
	for (int i = 0; i < boot.nmodules; i++)
		kprintf("boot: module %d at %#lx-%#lx '%s'\n", i, boot.modules[i].start, boot.modules[i].end,
			boot.modules[i].cmdline);
	if (env_create_boot(&boot.modules[0]) < 0) {
		kprintf("exo: cannot start the boot environment\n");
		power_off_panic();
	}
	uint64_t uva = UMODULES;
	for (int i = 0; i < boot.nmodules && i < EXO_MAX_MODULES; i++) {
		info_page.modules[i].uva = uva;
		if (env_map_module(env_lookup(boot_envid), uva, boot.modules[i].start, boot.modules[i].end) < 0)
			panic("out of memory mapping boot modules");
		uva += ROUNDUP(boot.modules[i].end - ROUNDDOWN(boot.modules[i].start, PAGE_SIZE), PAGE_SIZE);
	}
	sched_run();
}
