/* What a signal does by default (POSIX), for the server and the process alike. */
#ifndef LIBOS_SIGDEFAULT_H
#define LIBOS_SIGDEFAULT_H
#include <signal.h>
#include <stdint.h>

enum sig_default { SIGDFL_TERM, SIGDFL_CORE, SIGDFL_IGNORE, SIGDFL_STOP, SIGDFL_CONT };

/* sig_default: the default action of signal sig (1 .. NSIG-1). */
static inline enum sig_default sig_default(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGEMT: case SIGFPE:
	case SIGBUS: case SIGSEGV: case SIGSYS: case SIGXCPU: case SIGXFSZ:
		return SIGDFL_CORE;
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return SIGDFL_IGNORE;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SIGDFL_STOP;
	case SIGCONT:
		return SIGDFL_CONT;
	default:
		return SIGDFL_TERM;
	}
}

/* sig_bit: signal sig's bit in a 64-bit set. */
static inline uint64_t sig_bit(int sig)
{
	return 1ULL << sig;
}

/* The wait status of a process that signal sig ended (with a core flag when its
 * default action dumps core). */
static inline int sig_wstatus(int sig)
{
	return sig | (sig_default(sig) == SIGDFL_CORE ? 0x80 : 0);
}
#endif
