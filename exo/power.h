/* Powering QEMU off with a status (isa-debug-exit device at port 0xf4). */
#ifndef EXO_POWER_H
#define EXO_POWER_H
#include <stdint.h>

/* Status used when the kernel itself fails (panic, kernel fault). */
#define POWER_STATUS_PANIC 0x7F

/* power_off: QEMU exits with ((status & 0x7f) << 1) | 1 (odd = the guest chose it).
 * Falls back to ACPI power-off, then halts. */
void power_off(int status) __attribute__((noreturn));

#endif
