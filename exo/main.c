/* kmain: bring the machine up, load the boot environment, start scheduling. */
#include "kern.h"
#include "console.h"
#include "bootinfo.h"
#include "cpu.h"
#include "pmem.h"
#include "vm.h"
#include "env.h"
#include "power.h"

static struct boot_info boot;

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
	kprintf("\nexo: exokernel booting\n");
	if (bootinfo_parse(magic, info_phys, early_read, &boot) < 0)
		panic("boot info: %s", boot.cmdline);
	kprintf("boot: multiboot%d, kernel command line '%s', %d memory regions, %d modules\n", boot.protocol,
		boot.cmdline, boot.nregions, boot.nmodules);
	cpu_init();
	pmem_init(&boot);
	vm_init();
	pmem_selfcheck();
	pic_init();
	env_init();
	if (boot.nmodules == 0) {
		kprintf("exo: no boot module given: nothing to run\n");
		power_off(POWER_STATUS_PANIC);
	}
	for (int i = 0; i < boot.nmodules; i++)
		kprintf("boot: module %d at %#lx-%#lx '%s'\n", i, boot.modules[i].start, boot.modules[i].end,
			boot.modules[i].cmdline);
	if (env_create_boot(&boot.modules[0]) < 0) {
		kprintf("exo: cannot start the boot environment\n");
		power_off(POWER_STATUS_PANIC);
	}
	sched_run();
}
