/* Local APIC timer and TSC calibration against the PIT. */
#ifndef EXO_LAPIC_H
#define EXO_LAPIC_H
#include "kern.h"

#define T_TIMER 48       /* LAPIC timer vector */
#define T_SPURIOUS 255

extern uint64_t tsc_hz;

/* lapic_init: map and enable the local APIC, and calibrate the TSC and the APIC
 * timer against PIT channel 2 (tsc_hz). The timer is one-shot: lapic_arm sets it.
 * period_us is only reported. */
void lapic_init(uint64_t period_us);

/* lapic_arm: one timer interrupt when the TSC reaches deadline (at once if it
 * has passed), replacing any the timer was set for. */
void lapic_arm(uint64_t deadline);

/* lapic_eoi: acknowledge the current local APIC interrupt. */
void lapic_eoi(void);


#endif
