/*
 * Numbers the kernel's C and assembly both need: segment selectors, pseudo trap
 * numbers and the offsets of struct cpu and struct trapframe fields that the
 * entry code reads. Plain #defines only (included by trapentry.S); cpu.h checks
 * every offset against the C structures at compile time.
 */
#ifndef EXO_CPU_LAYOUT_H
#define EXO_CPU_LAYOUT_H

/* GDT layout. STAR needs user data right below user code (sysret's rule). */
#define GD_KCODE 0x08
#define GD_KDATA 0x10
#define GD_UDATA 0x20
#define GD_UCODE 0x28
#define GD_TSS   0x30

/* Trap numbers beyond the 32 exceptions. */
#define T_IRQ0    32
#define T_SYSCALL 0x100 /* pseudo trap number for frames built by the syscall entry */

/* struct cpu fields read by the entry code (through %gs). */
#define CPU_KSTACK_TOP 8
#define CPU_TF_END     16
#define CPU_USER_RSP   24

/* struct trapframe: where the CPU-pushed cs lies (15 registers, trapno, err, rip). */
#define TF_CS (18 * 8)

#endif
