/* Machine power-off (see power.h). */
#include "power.h"
#include "x86.h"
#include "kern.h"

void power_off(int status)
{
	uint8_t v;
	if (status == POWER_STATUS_PANIC) {
		kprintf("exo: power off, kernel panic\n");
		v = 127;
	} else {
		status &= 0xFF;
		kprintf("exo: power off, status %d\n", status);
		v = (uint8_t)(1 + MIN(status, 125));
	}
	outb(0xF4, v);
	outw(0x604, 0x2000); /* QEMU's ACPI power-off, when there is no debug-exit device */
	for (;;)
		__asm__ volatile("cli; hlt");
}
