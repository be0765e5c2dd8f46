/*
 * Trap, interrupt and system-call entry and exit.
 *
 * From user mode, the CPU (via TSS.rsp0) and the syscall entry both push the trap
 * frame straight into the current environment's struct trapframe; only then do we
 * switch to the per-CPU kernel stack. Resuming an environment pops that frame again
 * (env_pop_tf_iret / env_pop_tf_sysret). Nothing is copied on a context switch.
 * The kernel itself runs with interrupts disabled.
 */
#include "cpu_layout.h"
#include "../include/exo/trap.h"

	.text
	.altmacro

.macro PUSH_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro POP_GPRS
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
.endm

/* One stub per vector: push a zero error code where the CPU pushes none. */
.macro VECTOR n
	.balign 16
vector\n:
	.if (\n == EXO_T_DBLFLT) || ((\n >= 10) && (\n <= EXO_T_PGFLT)) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp alltraps
.endm

	.set v, 0
	.rept 49
	VECTOR %v
	.set v, v + 1
	.endr
	VECTOR 255

alltraps:
	cld                      /* the C code (rep stos/movs) needs DF clear; a user may have set it */
	PUSH_GPRS
	testb $3, TF_CS(%rsp)
	jz from_kernel
	swapgs
	movq %rsp, %rdi
	movq %gs:CPU_KSTACK_TOP, %rsp
	xorl %ebp, %ebp
	call trap                /* does not return for user traps */
	ud2
from_kernel:
	movq %rsp, %rdi
	call trap                /* returns: an interrupt taken while idle */
	POP_GPRS
	addq $16, %rsp
	iretq

/* syscall: rcx = user rip, r11 = user rflags, interrupts masked by FMASK. */
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:CPU_USER_RSP
	movq %gs:CPU_TF_END, %rsp
	pushq $(GD_UDATA | 3)
	pushq %gs:CPU_USER_RSP
	pushq %r11
	pushq $(GD_UCODE | 3)
	pushq %rcx
	pushq $0
	pushq $T_SYSCALL
	PUSH_GPRS
	movq %rsp, %rdi
	movq %gs:CPU_KSTACK_TOP, %rsp
	xorl %ebp, %ebp
	call syscall_trap        /* does not return */
	ud2

/* env_pop_tf_iret(tf): resume a user trap frame with iretq. */
	.globl env_pop_tf_iret
env_pop_tf_iret:
	movq %rdi, %rsp
	POP_GPRS
	addq $16, %rsp
	swapgs
	iretq

/* env_pop_tf_sysret(tf): resume a frame saved by syscall_entry with sysretq. The
 * caller has checked that tf->rip is canonical (sysret faults in ring 0 otherwise). */
	.globl env_pop_tf_sysret
env_pop_tf_sysret:
	movq %rdi, %rsp
	POP_GPRS
	movq 16(%rsp), %rcx      /* rip */
	movq 32(%rsp), %r11      /* rflags */
	movq 40(%rsp), %rsp      /* user rsp */
	swapgs
	sysretq

	.section .rodata
	.balign 8
	.globl trap_vectors
trap_vectors:
.macro VECADDR n
	.quad vector\n
.endm
	.set v, 0
	.rept 49
	VECADDR %v
	.set v, v + 1
	.endr
	.quad vector255
