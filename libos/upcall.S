/*
 * Upcall entry. The kernel enters here on the exception stack with rsp = rdi =
 * a struct exo_utf holding every register of the interrupted code. We save the
 * SSE state, call libos_upcall(utf, fx), restore the SSE state, then resume the interrupted code with all registers (and
 * flags) as the utf says: the return address goes below the interrupted code's red
 * zone, and `ret $128` pops it and steps back over the red zone.
 */
#define UTF_RIP 144
#define UTF_RFLAGS 152
#define UTF_RSP 160

	.text
	.globl libos_upcall_entry
libos_upcall_entry:
	/* Every register is already saved in the utf, so the stub may use any. The
	 * SSE/x87 state is saved here around the C handler (which may use SSE). */
	movq %rsp, %rbp
	subq $512, %rsp
	andq $-16, %rsp
	fxsave64 (%rsp)
	movq %rbp, %rdi
	movq %rsp, %rsi               /* the interrupted code's SSE state, for signal frames */
	call libos_upcall
	fxrstor64 (%rsp)
	movq %rbp, %rsp
	.globl libos_resume_start
libos_resume_start:                   /* uthread.c: no preemption from here ... */
resume:                               /* rsp = a utf to resume from */
	movq UTF_RSP(%rsp), %rax
	subq $136, %rax               /* 128-byte red zone + the return address */
	movq UTF_RIP(%rsp), %rbx
	movq %rbx, (%rax)
	movq %rax, UTF_RSP(%rsp)
	addq $24, %rsp                /* trapno, err, fault_va */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $8, %rsp                 /* rip: already placed on the interrupted stack */
	popfq
	movq (%rsp), %rsp
	ret $128
	.globl libos_resume_end
libos_resume_end:                     /* ... to here */

/* libos_sig_resume(utf, fx): resume the context in utf (anywhere in memory, below
 * the interrupted stack's red zone or on another stack) with the SSE state fx (512
 * bytes, 16-aligned): how a signal handler returns to the code it interrupted. */
	.globl libos_sig_resume
libos_sig_resume:
	fxrstor64 (%rsi)
	movq %rdi, %rsp
	jmp resume
	.globl libos_sig_resume_end
libos_sig_resume_end:
