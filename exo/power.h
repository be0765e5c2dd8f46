/* Powering QEMU off with a status (isa-debug-exit device at port 0xf4). */
#ifndef EXO_POWER_H
#define EXO_POWER_H
#include <stdint.h>

/*
 * QEMU's exit code is (v << 1) | 1 for the value v written to the device, cut to
 * 8 bits, and a QEMU error also exits 1. So the kernel writes v = 1 + min(status,
 * 125) for a normal power-off (exit codes 3..253) and v = 127 after a kernel panic
 * (exit code 255), and always prints the exact status first as the line
 *   exo: power off, status N        or        exo: power off, kernel panic
 * which test/qemu.sh and `make run` read back.
 */
/* power_off: print the power-off line and stop the machine with status (taken
 * modulo 256, like a Unix exit status). Falls back to ACPI power-off, then halts. */
void power_off(int status) __attribute__((noreturn));

/* power_off_panic: the same after a kernel panic (QEMU exit code 255). */
void power_off_panic(void) __attribute__((noreturn));

#endif
