/* fault [no-handler] MODE: do one forbidden thing. The libOS ends the process with
 * a message naming the fault and address (128 + signal); with no-handler, the
 * kernel ends the environment itself. Either way the kernel keeps running. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <exo/memlayout.h>
#include "vpt.h"
#include "libos.h"

static volatile uint64_t sink;
static volatile int keep_going = 1;

/* Addresses go through a volatile variable so the compiler cannot see them. */
static volatile uint64_t *at(uint64_t addr)
{
	volatile uint64_t addr_v = addr;
	return (volatile uint64_t *)addr_v;
}
static uint8_t data_page[64] = { 0xC3 }; /* "ret", in a no-execute data page */

static int recurse(int n)
{
	volatile char pad[4096];
	pad[0] = (char)n;
	return keep_going ? recurse(n + 1) + pad[0] : 0;
}

int main(int argc, char **argv)
{
	int arg = 1;
	if (argc > 2 && !strcmp(argv[1], "no-handler")) {
		/* Take away our upcall handler: the kernel must deal with the fault. */
		sys_env_set_upcall(0, EXO_UPCALL_EXCEPTION, 0, (long)UXSTACKTOP);
		arg = 2;
	}
	const char *mode = argc > arg ? argv[arg] : "";
	printf("fault: about to do '%s'\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "null-read"))
		sink = *at(0);
	else if (!strcmp(mode, "null-write"))
		*at(8) = 1;
	else if (!strcmp(mode, "text-write"))
		*(volatile uint8_t *)at((uint64_t)main) = 0x90;
	else if (!strcmp(mode, "exec-data"))
		((void (*)(void))data_page)();
	else if (!strcmp(mode, "kernel-read"))
		sink = *at(KPHYS);
	else if (!strcmp(mode, "kernel-write"))
		*at(KPHYS + 0x100000) = 1;
	else if (!strcmp(mode, "noncanonical"))
		sink = *at(0x0000800000000000UL);
	else if (!strcmp(mode, "export-write"))
		*at(UINFO) = 0;
	else if (!strcmp(mode, "uvpt-write"))
		*VPT_PTE((uint64_t)main) = 0;
	else if (!strcmp(mode, "stack-overflow"))
		sink = (uint64_t)recurse(0);
	else if (!strcmp(mode, "ud2"))
		__asm__ volatile("ud2");
	else if (!strcmp(mode, "divide"))
		__asm__ volatile("xor %%ecx, %%ecx; div %%ecx" : : : "eax", "ecx", "edx");
	else if (!strcmp(mode, "privileged"))
		__asm__ volatile("cli");
	else if (!strcmp(mode, "io-port"))
		__asm__ volatile("outb %%al, $0xf4" : : "a"(0));
	else {
		printf("fault: unknown mode\n");
		return 2;
	}
	printf("fault: survived '%s' (the kernel should have stopped us)\n", mode);
	return 1;
}
