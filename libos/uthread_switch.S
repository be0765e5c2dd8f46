/*
 * Switching user-level threads (uthread.c). A thread not running keeps its
 * context as a struct exo_utf and a 512-byte SSE area, the same form an upcall
 * saves, so a thread preempted by the slot-start upcall and one that gave up
 * the CPU itself resume the same way (libos_sig_resume, upcall.S).
 *
 * libos_ult_swap(save, save_fx, load, load_fx, fsbase): save the caller's
 * callee-saved registers, stack pointer, return address and flags in *save and
 * its SSE state in save_fx (so that resuming *save returns from this call with
 * rax 0), load fsbase as %fs base (env_set_fsbase), and resume load/load_fx.
 * libos_ult_jump(load, load_fx, fsbase): the same without saving (the caller has
 * ended). Both clear libos_ult_in_sched just before resuming: the thread resumed
 * may have been preempted anywhere, so it cannot clear it itself. The slot-start
 * upcall does not preempt inside this code or libos_sig_resume (uthread.c).
 */
#define UTF_R15 24
#define UTF_R14 32
#define UTF_R13 40
#define UTF_R12 48
#define UTF_RBP 88
#define UTF_RBX 128
#define UTF_RAX 136
#define UTF_RIP 144
#define UTF_RFLAGS 152
#define UTF_RSP 160
#define SYS_ENV_SET_FSBASE 34   /* include/exo/syscall.h (uthread.c checks) */

	.text
	.globl libos_ult_swap
libos_ult_swap:
	movq %r15, UTF_R15(%rdi)
	movq %r14, UTF_R14(%rdi)
	movq %r13, UTF_R13(%rdi)
	movq %r12, UTF_R12(%rdi)
	movq %rbp, UTF_RBP(%rdi)
	movq %rbx, UTF_RBX(%rdi)
	movq $0, UTF_RAX(%rdi)
	movq (%rsp), %rax
	movq %rax, UTF_RIP(%rdi)
	leaq 8(%rsp), %rax
	movq %rax, UTF_RSP(%rdi)
	pushfq
	popq %rax
	movq %rax, UTF_RFLAGS(%rdi)
	fxsave64 (%rsi)
	movq %rdx, %rdi
	movq %rcx, %rsi
	movq %r8, %rdx
	/* fall through */
	.globl libos_ult_jump
libos_ult_jump:
	movq %rdi, %rbx               /* callee-saved across the system call */
	movq %rsi, %rbp
	movq %rdx, %rsi               /* env_set_fsbase(0, fsbase) */
	xorl %edi, %edi
	movl $SYS_ENV_SET_FSBASE, %eax
	syscall
	movq %rbx, %rdi
	movq %rbp, %rsi
	movl $0, libos_ult_in_sched(%rip)
	jmp libos_sig_resume
	.globl libos_ult_switch_end
libos_ult_switch_end:
