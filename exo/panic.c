/* Kernel panics: report file, line, message and a backtrace, then power off. */
#include "kern.h"
#include "cpu.h"
#include "x86.h"
#include "power.h"

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	__asm__ volatile("cli");
	kprintf("\nKERNEL PANIC at %s:%d: ", file, line);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	backtrace(read_rbp());
	power_off_panic();
}
