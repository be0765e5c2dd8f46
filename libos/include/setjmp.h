/*
 * <setjmp.h>: newlib's jmp_buf, setjmp and longjmp, plus what POSIX adds and
 * newlib's x86_64-elf header leaves out: sigjmp_buf, sigsetjmp and siglongjmp
 * (which keep the signal mask when asked to), and _setjmp/_longjmp (which never
 * touch it; libos/context.S).
 */
#ifndef LIBOS_SETJMP_H
#define LIBOS_SETJMP_H
#include_next <setjmp.h>
#include <signal.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	jmp_buf jb;
	int savemask;
	sigset_t mask;
} sigjmp_buf[1];

/* sigsetjmp: setjmp that also records the signal mask when savemask is not 0. A
 * macro: the context saved must be the caller's. */
#define sigsetjmp(env, save) \
	((env)[0].savemask = (save), \
	 (env)[0].savemask ? (void)sigprocmask(SIG_BLOCK, 0, &(env)[0].mask) : (void)0, \
	 setjmp((env)[0].jb))
/* siglongjmp: restore the mask sigsetjmp recorded (if it did), then longjmp. */
void siglongjmp(sigjmp_buf env, int val) __attribute__((__noreturn__));
int _setjmp(jmp_buf env);
void _longjmp(jmp_buf env, int val) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif
#endif
