/* Machine power-off (see power.h). */
#include "power.h"
#include "x86.h"
#include "kern.h"

static void power_off_value(uint8_t v) __attribute__((noreturn));
static void power_off_value(uint8_t v)
{
	outb(0xF4, v);
	outw(0x604, 0x2000); /* QEMU's ACPI power-off, when there is no debug-exit device */
	for (;;)
		__asm__ volatile("cli; hlt");
}

void power_off(int status)
{
	status &= 0xFF;
	kprintf("exo: power off, status %d\n", status);
	power_off_value((uint8_t)(1 + MIN(status, 125)));
}

void power_off_panic(void)
{
	kprintf("exo: power off, kernel panic\n");
	power_off_value(127);
}
