/*
 * Program entry. The kernel (for the boot environment) and the libOS exec both
 * start a program with rsp pointing at the System V initial stack:
 *   argc, argv[0..argc-1], NULL, envp..., NULL, auxv...
 * We pass argc/argv/envp to libos_start (start.c), which never returns.
 */
	.text
	.globl _start
_start:
	xorl %ebp, %ebp               /* end of the frame-pointer chain */
	movq (%rsp), %rdi             /* argc */
	leaq 8(%rsp), %rsi            /* argv */
	leaq 16(%rsp,%rdi,8), %rdx    /* envp: after argv's NULL */
	andq $-16, %rsp               /* ABI: 16-byte aligned before the call */
	call libos_start
	ud2
