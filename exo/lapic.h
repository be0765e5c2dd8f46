/* Local APIC timer and TSC calibration against the PIT. */
#ifndef EXO_LAPIC_H
#define EXO_LAPIC_H
#include "kern.h"

#define T_TIMER 48       /* LAPIC timer vector */
#define T_SPURIOUS 255

extern uint64_t tsc_hz;

/* lapic_init: map and enable the local APIC, calibrate the TSC and the APIC timer
 * against PIT channel 2, and start a periodic timer interrupt every period_us. */
void lapic_init(uint64_t period_us);

/* lapic_eoi: acknowledge the current local APIC interrupt. */
void lapic_eoi(void);

/* lapic_restart: begin a fresh timer period now (after a directed yield, the new
 * environment gets the rest of the slot, so this is used only at slot starts). */
void lapic_restart(void);

#endif
