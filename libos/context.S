/*
 * libos_save_context(struct exo_regs *r): record a resume point for a new
 * environment, like setjmp: callee-saved registers, the caller's stack pointer
 * and return address, and rax = 1. Returns 0 now; an environment started from *r
 * (env_set_regs) returns 1 from this same call. Only the callee-saved registers
 * and the stack frames above the caller's matter, so the child does not depend on
 * anything the parent writes to its stack after this call.
 */
#define R_R15 0
#define R_R14 8
#define R_R13 16
#define R_R12 24
#define R_RBP 64
#define R_RBX 104
#define R_RAX 112
#define R_RIP 120
#define R_RFLAGS 128
#define R_RSP 136

	.text
	.globl libos_save_context
libos_save_context:
	movq %r15, R_R15(%rdi)
	movq %r14, R_R14(%rdi)
	movq %r13, R_R13(%rdi)
	movq %r12, R_R12(%rdi)
	movq %rbp, R_RBP(%rdi)
	movq %rbx, R_RBX(%rdi)
	movq $1, R_RAX(%rdi)
	movq (%rsp), %rax
	movq %rax, R_RIP(%rdi)
	leaq 8(%rsp), %rax
	movq %rax, R_RSP(%rdi)
	movq $0x202, R_RFLAGS(%rdi)
	xorl %eax, %eax
	ret

/*
 * vfork(): record the caller's resume point (as libos_save_context does, but for
 * the caller of vfork itself) in the private vfork page, then continue in C. The
 * parent later resumes from that point on its own registers, never from the
 * stack frames the child has been using meanwhile.
 */
	.globl vfork
vfork:
	movq %fs:0x30, %rdi                         /* this thread's area top (libos.h) */
	subq $(16384 + 4 * 4096), %rdi              /* LIBOS_VFORK_PAGE: the resume point (fork.c checks) */
	movq %r15, R_R15(%rdi)
	movq %r14, R_R14(%rdi)
	movq %r13, R_R13(%rdi)
	movq %r12, R_R12(%rdi)
	movq %rbp, R_RBP(%rdi)
	movq %rbx, R_RBX(%rdi)
	movq (%rsp), %rax
	movq %rax, R_RIP(%rdi)
	leaq 8(%rsp), %rax
	movq %rax, R_RSP(%rdi)
	jmp libos_vfork_c

/* libos_resume_context(r, value): continue at r's resume point with rax = value. */
	.globl libos_resume_context
libos_resume_context:
	movq R_R15(%rdi), %r15
	movq R_R14(%rdi), %r14
	movq R_R13(%rdi), %r13
	movq R_R12(%rdi), %r12
	movq R_RBP(%rdi), %rbp
	movq R_RBX(%rdi), %rbx
	movq R_RSP(%rdi), %rsp
	movq %rsi, %rax
	jmpq *R_RIP(%rdi)

/* libos_run_on_stack(fn, arg, top): call fn(arg) on the stack ending at top; fn
 * must not return. */
	.globl libos_run_on_stack
libos_run_on_stack:
	movq %rdx, %rsp
	movq %rdi, %rax
	movq %rsi, %rdi
	call *%rax
	ud2

/* _setjmp(env) / _longjmp(env, val): setjmp and longjmp, which never touch the
 * signal mask here either (tail jumps: the caller's context is what is saved). */
	.globl _setjmp
_setjmp:
	jmp setjmp
	.globl _longjmp
_longjmp:
	jmp longjmp

/* libos_call_on_stack(fn, arg, top): call fn(arg) on the stack ending at top
 * (16-aligned) and return here, on our own stack, when it returns. */
	.globl libos_call_on_stack
libos_call_on_stack:
	pushq %rbp
	movq %rsp, %rbp
	movq %rdx, %rsp
	movq %rdi, %rax
	movq %rsi, %rdi
	call *%rax
	movq %rbp, %rsp
	popq %rbp
	ret
