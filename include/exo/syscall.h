/*
 * The system-call ABI: numbers, argument counts and the user-side trap stub.
 *
 * Calling convention (x86-64 `syscall`): rax = number, arguments in rdi, rsi, rdx,
 * r10, r8, r9; the result comes back in rax (>= 0 success, -E_* error, see error.h).
 * rcx and r11 are clobbered, every other register is preserved, except that the
 * message calls (ipc_recv, ipc_call) return a message in rdi, rsi, rdx, r10, r8.
 *
 * EXO_SYSCALLS is the single list: the kernel's dispatch (a switch) and the user stubs
 * (sys_<name>) are both generated from it. docs/abi.md describes each call.
 */
#ifndef EXO_SYSCALL_H
#define EXO_SYSCALL_H
#include <stdint.h>

/*  X(number, name, argument count). EXO_MSG_SYSCALLS return a message in
 *  registers besides rax (see exo_msg_syscall below); their user stubs are
 *  written by hand. The last entry has the highest number (SYS_COUNT follows it). */
#define EXO_SYSCALLS(X) EXO_MSG_SYSCALLS(X) EXO_PLAIN_SYSCALLS(X)
#define EXO_MSG_SYSCALLS(X)            \
	X(21, ipc_recv,        1)      \
	X(37, ipc_call,        4)
#define EXO_PLAIN_SYSCALLS(X)          \
	X(0,  cons_write,      2)      \
	X(1,  cons_read,       2)      \
	X(2,  env_id,          0)      \
	X(3,  env_exit,        1)      \
	X(4,  yield,           1)      \
	X(5,  page_alloc,      3)      \
	X(6,  page_map,        5)      \
	X(7,  page_unmap,      2)      \
	X(8,  power_off,       1)      \
	X(9,  exofork,         0)      \
	X(10, env_destroy,     1)      \
	X(11, env_set_status,  2)      \
	X(12, env_set_regs,    2)      \
	X(13, env_set_upcall,  4)      \
	X(14, env_set_quota,   3)      \
	X(15, page_protect,    3)      \
	X(16, pte_batch,       3)      \
	X(17, protect_range,   5)      \
	X(18, pt_share,        3)      \
	X(19, pt_unshare,      3)      \
	X(20, ipc_send,        6)      \
	X(22, slot_alloc,      1)      \
	X(23, slot_free,       1)      \
	X(24, power_delegate,  1)      \
	X(25, env_wake,        1)      \
	X(26, sleep_until,     1)      \
	X(27, pte_copy_range,  5)      \
	X(28, env_set_heir,    2)      \
	X(29, env_watch,       0)      \
	X(30, env_interrupt,   1)      \
	X(31, interrupt_at,    1)      \
	X(32, pt_drop,         2)      \
	X(33, exofork_shared,  0)      \
	X(34, env_set_fsbase,  2)      \
	X(35, addr_wait,       3)      \
	X(36, addr_wake,       2)      \
	X(38, pt_share_range,  4)      \
	X(39, large_alloc,     3)      \
	X(40, large_split,     3)      \
	X(41, page_copy,       4)

enum exo_sysno {
#define EXO_SYS_ENUM(num, name, nargs) SYS_##name = num,
	EXO_SYSCALLS(EXO_SYS_ENUM)
#undef EXO_SYS_ENUM
	SYS_COUNT
};

/* Page permissions for page_alloc / page_map (the x86 PTE bits the user may set). */
#define PTE_P     0x001UL   /* present */
#define PTE_W     0x002UL   /* writable */
#define PTE_U     0x004UL   /* user */
#define PTE_AVAIL 0xE00UL   /* bits 9-11: reserved for the libOS (COW, share) */
#define PTE_NX    (1UL << 63)
#define PTE_PS    0x080UL   /* in a directory entry: it maps a large page (large_alloc) */
/* What a user may pass as perm: P and U are implied and may be given. */
#define PTE_USER_PERMS (PTE_P | PTE_W | PTE_U | PTE_AVAIL | PTE_NX)

/* protect_range and pte_copy_range cover at most this much address space per call
 * (at most 512 page tables: every call stays short, the kernel runs with
 * interrupts off). */
#define EXO_RANGE_MAX (1UL << 30)

/* pt_share_range covers at most this much address space per call (one PML4 slot:
 * its cost follows the page tables present, at most 262,144). */
#define EXO_SHARE_RANGE_MAX (1UL << 39)

/* cons_write writes at most this many bytes per call and returns the count. */
#define EXO_CONS_WRITE_MAX 1024

/* env_set_status */
#define EXO_ENV_RUNNABLE     1
#define EXO_ENV_NOT_RUNNABLE 2

/* env_set_upcall kinds */
#define EXO_UPCALL_EXCEPTION 0   /* page faults and other CPU exceptions */
#define EXO_UPCALL_SLOT      1   /* start of one of the environment's time slots */

/* pt_share flags */
#define EXO_PT_SHARE_WRITE 1  /* share for writing: both sides keep writable PDEs and see
			       * each other's changes to the table (a shared region) */
#define EXO_PT_SHARE_VIEW  2  /* a read-only view: the child's PDE is read-only, the
			       * caller keeps its rights and its writes are seen by the child */
#define EXO_PT_SHARE_DIR   4  /* pt_share_range with EXO_PT_SHARE_WRITE only: share each
			       * whole page directory (1 GiB) itself: the child's PDPT
			       * entry points to ours, and every table either side makes
			       * or drops under it is the other's too (vfork) */

/* pte_batch: one operation on the target environment. */
struct exo_pte_op {
	uint32_t op;     /* EXO_PTE_MAP, EXO_PTE_UNMAP, EXO_PTE_PROTECT */
	uint32_t pad;
	uint64_t va;     /* address in the target */
	uint64_t srcva;  /* EXO_PTE_MAP: address of the frame in the caller */
	uint64_t perm;   /* EXO_PTE_MAP, EXO_PTE_PROTECT: new permission bits */
};
#define EXO_PTE_MAP     1
#define EXO_PTE_UNMAP   2
#define EXO_PTE_PROTECT 3
#define EXO_PTE_BATCH_MAX 4096

/* env_set_regs: the user-settable registers. rflags keeps only the arithmetic flags
 * and DF; interrupts stay on. */
struct exo_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t rip, rflags, rsp;
};

/* ipc_recv, ipc_call: the message received. The kernel returns it in registers
 * (rdi = from | kind << 32, rsi = perm, rdx, r10, r8 = w[0..2]); the user stubs
 * sys_ipc_recv and sys_ipc_call store it in one of these. */
struct exo_ipc_msg {
	int32_t from;    /* sender's environment id (for a note: the waker / the dead child) */
	uint32_t kind;   /* EXO_IPC_MSG from an environment, EXO_IPC_NOTE from the kernel */
	uint64_t perm;   /* permission of the granted page, 0 if none */
	uint64_t w[3];   /* the words sent */
};
#define EXO_IPC_MSG  0
#define EXO_IPC_NOTE 1  /* only the kernel sends these: they cannot be forged */

/* Notes the kernel itself delivers through ipc_recv (msg.kind = EXO_IPC_NOTE):
 *  w[0] = EXO_IPC_WAKE:  env_wake(us) was called (from = the waker); wakes coalesce.
 *  w[0] = EXO_IPC_DEATH: a child environment ended (from = its id, w[1] = status). */
#define EXO_IPC_WAKE  0x454b4157UL /* "WAKE" */
#define EXO_IPC_DEATH 0x48544544UL /* "DETH" */

/* What the kernel pushes on the exception stack before entering an upcall. */
struct exo_utf {
	uint64_t trapno, err, fault_va;
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t rip, rflags, rsp;
};
#define EXO_T_SLOT 0x101  /* utf.trapno for a slot-start upcall */
#define EXO_T_INTERRUPT 0x102 /* utf.trapno for an interrupt (env_interrupt, interrupt_at) */
/* The kernel treats [xstack_top - EXO_XSTACK_SIZE, xstack_top) as the exception
 * stack: a fault while the stack pointer is in it ends the environment. */
#define EXO_XSTACK_SIZE (4 * 4096UL)

#ifndef EXO_KERNEL
/* exo_syscallN(n, args...): system call n with N arguments (rdi, rsi, rdx, r10,
 * r8, r9); only those registers are loaded. The kernel preserves every register
 * but rax (the result), rcx and r11 (the syscall instruction's). Not for the
 * message calls: exo_msg_syscall. */
#define EXO_SYSCALL_ASM(...)                                                     \
	long ret;                                                                \
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), ##__VA_ARGS__ : "rcx", "r11", "memory"); \
	return ret
static inline long exo_syscall0(long n)
{
	EXO_SYSCALL_ASM();
}
static inline long exo_syscall1(long n, long a0)
{
	EXO_SYSCALL_ASM("D"(a0));
}
static inline long exo_syscall2(long n, long a0, long a1)
{
	EXO_SYSCALL_ASM("D"(a0), "S"(a1));
}
static inline long exo_syscall3(long n, long a0, long a1, long a2)
{
	EXO_SYSCALL_ASM("D"(a0), "S"(a1), "d"(a2));
}
static inline long exo_syscall4(long n, long a0, long a1, long a2, long a3)
{
	register long r10 __asm__("r10") = a3;
	EXO_SYSCALL_ASM("D"(a0), "S"(a1), "d"(a2), "r"(r10));
}
static inline long exo_syscall5(long n, long a0, long a1, long a2, long a3, long a4)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	EXO_SYSCALL_ASM("D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8));
}
static inline long exo_syscall6(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	EXO_SYSCALL_ASM("D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9));
}
#undef EXO_SYSCALL_ASM

#define EXO_STUB_ARGS0 void
#define EXO_STUB_ARGS1 long a0
#define EXO_STUB_ARGS2 long a0, long a1
#define EXO_STUB_ARGS3 long a0, long a1, long a2
#define EXO_STUB_ARGS4 long a0, long a1, long a2, long a3
#define EXO_STUB_ARGS5 long a0, long a1, long a2, long a3, long a4
#define EXO_STUB_ARGS6 long a0, long a1, long a2, long a3, long a4, long a5
#define EXO_STUB_PASS0
#define EXO_STUB_PASS1 , a0
#define EXO_STUB_PASS2 , a0, a1
#define EXO_STUB_PASS3 , a0, a1, a2
#define EXO_STUB_PASS4 , a0, a1, a2, a3
#define EXO_STUB_PASS5 , a0, a1, a2, a3, a4
#define EXO_STUB_PASS6 , a0, a1, a2, a3, a4, a5

/* sys_<name>(args...): one raw stub per call, returning the kernel's result. */
#define EXO_SYS_STUB(num, name, nargs)                                          \
	static inline long sys_##name(EXO_STUB_ARGS##nargs)                   \
	{                                                                       \
		return exo_syscall##nargs(SYS_##name EXO_STUB_PASS##nargs);     \
	}
EXO_PLAIN_SYSCALLS(EXO_SYS_STUB)
#undef EXO_SYS_STUB

/* exo_msg_syscall(n, a0..a3, msg): a call that returns a message in registers
 * (ipc_recv, ipc_call). When it returns 0 the message is stored at msg; on an
 * error msg is untouched. Returns the kernel's result. */
static inline long exo_msg_syscall(long n, long a0, long a1, long a2, long a3, struct exo_ipc_msg *msg)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8");
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "=r"(r8)
			 : "a"(n)
			 : "rcx", "r11", "memory");
	if (ret >= 0) { /* (0: only errors are negative) */
		msg->from = (int32_t)a0;
		msg->kind = (uint32_t)((uint64_t)a0 >> 32);
		msg->perm = (uint64_t)a1;
		msg->w[0] = (uint64_t)a2;
		msg->w[1] = (uint64_t)r10;
		msg->w[2] = (uint64_t)r8;
	}
	return ret;
}
/* sys_ipc_recv(dstva, msgva): ipc_recv(dstva) (abi.md §3.21), the message stored
 * at msgva (a struct exo_ipc_msg) when it returns 0. */
static inline long sys_ipc_recv(long dstva, long msgva)
{
	return exo_msg_syscall(SYS_ipc_recv, dstva, 0, 0, 0, (struct exo_ipc_msg *)msgva);
}
/* sys_ipc_call(envid, w0, w1, w2, msgva): ipc_call (abi.md §3.37), the answer
 * stored at msgva when it returns 0. */
static inline long sys_ipc_call(long envid, long w0, long w1, long w2, long msgva)
{
	return exo_msg_syscall(SYS_ipc_call, envid, w0, w1, w2, (struct exo_ipc_msg *)msgva);
}
#endif /* !EXO_KERNEL */

#endif
