/* The libOS's internal interface to its signal layer (signal.c). */
#ifndef LIBOS_SIGNAL_INT_H
#define LIBOS_SIGNAL_INT_H
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include "libos.h"

/* Nonzero while the libOS is inside a call that talks to the server or sleeps: an
 * interrupt then leaves its signals pending for the call's safe point. */
extern __thread int libos_in_libos;

/* libos_sig_upcall_ready: make the pages of the signal state (and the libOS's
 * own flag) writable, from an upcall handler, which must not fault on a
 * copy-on-write page. */
void libos_sig_upcall_ready(void);
/* libos_sig_deliverable: is a signal we do not block pending (an expired alarm
 * counts)? */
bool libos_sig_deliverable(void);
/* libos_sig_dispatch: deliver every pending signal we do not block, at a safe
 * point. Returns true if the interrupted call may be restarted (every handler run
 * had SA_RESTART), false if it must fail with EINTR. */
bool libos_sig_dispatch(void);
/* libos_sig_interrupt: the EXO_T_INTERRUPT upcall: make an expired alarm's
 * SIGALRM pending, and unless inside the libOS, enter the first handler through a
 * signal frame (utf is changed to resume there; fx is the interrupted SSE state). */
void libos_sig_interrupt(struct exo_utf *utf, const void *fx);
/* libos_sig_fault: a CPU fault that is signal sig: if a handler takes it (not
 * blocked), set utf to enter it through a signal frame and return true; false if
 * the fault must end the process. */
bool libos_sig_fault(struct exo_utf *utf, const void *fx, int sig);
/* libos_sig_channel_ready: a new channel: publish our dispositions and mask in
 * it (a fork child's are its parent's), and drop timers (a child has none). */
void libos_sig_channel_ready(void);
/* libos_sig_exec_inherit: a new image starts with the ignored signals and the
 * mask the old one had (POSIX exec). libos_sig_exec_state: ours, for exec. */
void libos_sig_exec_inherit(uint64_t ignored, uint64_t mask);
void libos_sig_exec_state(uint64_t *ignored, uint64_t *mask);

/* libos_sig_save, libos_sig_restore: the signal state a process keeps in its own
 * memory (dispositions, mask, alternate stack, ITIMER_REAL), copied out and back
 * in. A vfork child runs in its parent's memory; what it changes there (dash sets
 * its child's dispositions between vfork and exec, as Linux allows) must not
 * become the parent's, so the parent saves it before and restores it after.
 * libos_sig_restore also publishes the restored state to the server. */
struct libos_sigsave {
	struct sigaction acts[32];
	uint64_t blocked;
	stack_t altstack;
	uint64_t alarm_at, alarm_every;
};
void libos_sig_save(struct libos_sigsave *to);
void libos_sig_restore(const struct libos_sigsave *from);

/* pgfault.c: libos_make_writable: make every page of [lo, hi) writable now
 * (resolve copy-on-write, grow the stack). Returns 0, or -1 if a page cannot be. */
int libos_make_writable(uint64_t lo, uint64_t hi);
/* context.S: libos_call_on_stack: call fn(arg) on the stack ending at top. */
void libos_call_on_stack(void (*fn)(void *), void *arg, void *top);
#endif
