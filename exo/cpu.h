/*
 * Per-CPU state, segment selectors, the trap frame, and CPU setup.
 * The kernel runs with interrupts off; user code runs with them on.
 */
#ifndef EXO_CPU_H
#define EXO_CPU_H
#include "kern.h"
#include "../include/exo/syscall.h"
#include "cpu_layout.h"

#define USER_CS (GD_UCODE | 3)
#define USER_SS (GD_UDATA | 3)


/* Saved user (or kernel) registers, in the order trapentry.S pushes them. */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t trapno, err;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU (or by the syscall entry) */
};
_Static_assert(sizeof(struct trapframe) == 176, "trapframe layout is fixed by trapentry.S");

struct tss {
	uint32_t reserved0;
	uint64_t rsp0, rsp1, rsp2;
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

struct env;

/* Per-CPU data, reached through the GS base. The first fields are read by assembly. */
struct cpu {
	struct cpu *self;          /* 0: */
	uint64_t kstack_top;       /* 8: kernel stack for C code */
	uint64_t tf_end;           /* 16: end of the current env's trapframe (= TSS.rsp0) */
	uint64_t user_rsp;         /* 24: scratch for the syscall entry */
	struct env *env;           /* current environment, NULL when idle */
	struct env *fpu_owner;     /* whose SSE state is in the registers */
	struct tss tss;
	uint64_t gdt[8];
	int id;
	struct exo_pte_op batch_ops[EXO_PTE_BATCH_MAX]; /* pte_batch's copy of its operations */
	uint64_t batch_arg[EXO_PTE_BATCH_MAX];          /* and what applying each one needs */
};
_Static_assert(__builtin_offsetof(struct cpu, kstack_top) == CPU_KSTACK_TOP, "cpu_layout.h");
_Static_assert(__builtin_offsetof(struct cpu, tf_end) == CPU_TF_END, "cpu_layout.h");
_Static_assert(__builtin_offsetof(struct cpu, user_rsp) == CPU_USER_RSP, "cpu_layout.h");
_Static_assert(__builtin_offsetof(struct trapframe, cs) == TF_CS, "cpu_layout.h");

extern struct cpu cpu0;
static inline struct cpu *thiscpu(void) { return &cpu0; } /* uniprocessor for now */

/* cpu_init: GDT, TSS, IDT, syscall MSRs, SSE, SMEP/SMAP. Call once at boot. */
void cpu_init(void);
/* cpu_set_trapframe: make user entries of this CPU save into tf (TSS.rsp0 etc.). */
static inline void cpu_set_trapframe(struct trapframe *tf)
{
	struct cpu *c = thiscpu();
	c->tf_end = (uint64_t)(tf + 1);
	c->tss.rsp0 = c->tf_end;
}

/* trapentry.S */
void env_pop_tf_iret(struct trapframe *tf) __attribute__((noreturn));
void env_pop_tf_sysret(struct trapframe *tf) __attribute__((noreturn));
void syscall_entry(void);
extern uint64_t trap_vectors[];

/* trap.c */
void trap(struct trapframe *tf);
void pic_init(void);
void backtrace(uint64_t rbp);
void print_trapframe(const struct trapframe *tf);
const char *trap_name(uint64_t trapno);

#endif
