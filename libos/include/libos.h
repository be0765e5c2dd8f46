/*
 * The library OS's own interface, for applications that want more than POSIX:
 * raw kernel calls (sys_* from <exo/syscall.h>), the exported kernel state, and
 * helpers that translate kernel errors.
 */
#ifndef LIBOS_H
#define LIBOS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <exo/syscall.h>
#include <exo/error.h>
#include <exo/memlayout.h>
#include <exo/exports.h>
#include <exo/trap.h>

/* Software PTE bits (the kernel leaves bits 9-11 to us). */
#define PTE_SHARE 0x400UL  /* shared with children as it is, never copied */
#define PTE_COW   0x800UL  /* copy-on-write: read-only until the first write */

/* The libOS's own address-space layout (below the kernel's ULIM). */
#define UPROCS       0x00007D0000000000UL  /* the process table and open files: a read-only view */
#define LIBOS_MMAP_LO 0x0000200000000000UL /* mmap's area (32 TiB) ... */
#define LIBOS_MMAP_HI 0x0000400000000000UL /* ... then as much for PROT_NONE pages (mman.c) */
#define USTACK_LIMIT (8UL << 20)           /* the stack grows down to 8 MiB ... */
                                           /* ... and the page below is the guard */
#define LIBOS_XSTACK_PAGES 4               /* the whole exception stack (newlib's printf is deep) */
/* Each thread has a private area of its own below UXSTACKTOP: its exception stack
 * at the top, then scratch pages; the first thread's (area 0, top UXSTACKTOP)
 * also holds the process's channel to the server. libos_area_top() is the
 * running thread's (its TCB keeps it at %fs:0x30, see libos/thread.h). */
#define LIBOS_AREA_SIZE (64 * 1024UL)
#define LIBOS_AREAS 512                    /* threads per process, the first included */
static inline uint64_t libos_area_top(void)
{
	uint64_t top;
	__asm__("movq %%fs:0x30, %0" : "=r"(top));
	return top;
}
#define LIBOS_TMP_COPY (libos_area_top() - EXO_XSTACK_SIZE - 3 * PAGE_SIZE) /* exec's scratch */
#define LIBOS_VFORK_PAGE (libos_area_top() - EXO_XSTACK_SIZE - 4 * PAGE_SIZE) /* vfork parent's own */
#define LIBOS_CHAN_PAGES 4
#define LIBOS_CHAN (UXSTACKTOP - EXO_XSTACK_SIZE - (4 + LIBOS_CHAN_PAGES) * PAGE_SIZE) /* our channel to the server */
#define LIBOS_PRIVATE_LO (UXSTACKTOP - LIBOS_AREAS * LIBOS_AREA_SIZE) /* [LIBOS_PRIVATE_LO, UXSTACKTOP): never inherited */
_Static_assert(EXO_XSTACK_SIZE + (4 + LIBOS_CHAN_PAGES) * PAGE_SIZE <= LIBOS_AREA_SIZE, "area 0 holds the channel");

/* LIBOS_FORK_STATE: for the libOS's variables that both sides of every fork
 * write at once (the locks fork holds, the task, the thread list, the blocking
 * receive's buffer). They are kept together at the start of the data segment
 * (libos/user.ld: [__libos_fork_state_start, __libos_fork_state_end), on its
 * first page), which the copy-on-write fork copies for the child at once
 * (fork.c): shared copy-on-write, each of their pages would cost each side a
 * fault right after the fork. */
#define LIBOS_FORK_STATE __attribute__((section(".data.libos_fork_state")))
extern char __libos_fork_state_start[], __libos_fork_state_end[];

/* Kernel exports, mapped read-only into every address space. */
#define exo_info ((const volatile struct exo_info *)UINFO)
#define exo_frames ((const volatile struct exo_frame *)UFRAMES)
#define exo_ptsums ((const volatile uint16_t *)UPTSUMS)
#define exo_envs ((const volatile struct exo_env_view *)UENVS)
#define exo_slots ((const volatile struct exo_slots *)USLOTS)
#define exo_counters ((const volatile struct exo_counters *)UCOUNTERS)
#define EXO_ENVX(id) ((id) & (EXO_NENV - 1))
typedef int32_t envid_t;

/* A program that defines `const bool libos_bare = true;` runs as a bare
 * environment: no process layer (no libOS server, no pids, no fork, no files but
 * the console on descriptors 0-2). The kernel's own tests use it, to be the boot
 * environment alone. */
extern const bool libos_bare __attribute__((weak));
/* libos_rdtsc: the TSC (exo_info->tsc_hz ticks per second; instructions under
 * QEMU -icount). */
static inline uint64_t libos_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
/* exo_errno: the errno value for a negative kernel error code. */
int exo_errno(long kerr);

/* exo_strerror: the kernel's text for a negative (or positive) error code. */
const char *exo_strerror(long kerr);

/* Upcalls (upcall.c). A handler returns 0 when it dealt with the trap (the
 * interrupted code resumes with the registers in *utf), non-zero to decline. */
typedef int (*libos_trap_handler_t)(struct exo_utf *utf);
/* libos_upcall_init: map the exception stack and register with the kernel. 0 or -1. */
int libos_upcall_init(void);
/* libos_upcall_register: make env (ours, or a child) enter our upcall handlers
 * (the exception entry, and the slot-start one if we set a slot handler) on the
 * exception stack that ends at xstack_top. Returns 0 or a kernel error. */
int libos_upcall_register(envid_t env, uint64_t xstack_top);
/* libos_set_preempt_hook: at each slot-start upcall, after the slot handler,
 * call hook with the interrupted registers and SSE state, which it may replace
 * (the user-level thread package's preemption); NULL removes it. Returns 0, or -1
 * with errno. */
int libos_set_preempt_hook(void (*hook)(struct exo_utf *utf, void *fx));
/* libos_set_trap_handler: handle CPU exception trapno (14 = page fault) first; a
 * page fault the handler declines still reaches the libOS's own handler (COW, stack
 * growth). 0 or -1. */
int libos_set_trap_handler(int trapno, libos_trap_handler_t h);
/* libos_set_slot_handler: run h at the start of each of our time slots. 0 or -1. */
int libos_set_slot_handler(libos_trap_handler_t h);

/* Environments (env.c). */
/* libos_spawn_copy: exofork and give the child a private copy of every page of
 * ours (eager copy) and a fresh exception stack; the child is left runnable.
 * No process is created (see fork() for that). Returns the child's id in the
 * parent and 0 in the child, or -1 with errno. */
int libos_spawn_copy(void);
/* libos_save_context: record where a new environment should start (see
 * libos/context.S); returns 0, and 1 in an environment started from *r. */
int libos_save_context(struct exo_regs *r) __attribute__((returns_twice));
/* libos_give_xstack: map a fresh exception stack in child (fork.c). Returns 0 or
 * a negative kernel error. */
int libos_give_xstack(envid_t child);
/* libos_copy_page: give child a private copy of our page at va (pte: its entry).
 * Returns 0 or a negative kernel error. */
long libos_copy_page(envid_t child, uint64_t va, uint64_t pte);
/* libos_prefault: write to every page of [p, p+n) so that it is writable now (the
 * fault handler resolves copy-on-write and shared page tables): the kernel refuses
 * (-E_FAULT, at once) a buffer it cannot write, it does not fault on our behalf. */
void libos_prefault(void *p, size_t n);
/* libos_own_table: if the page table covering va is shared read-only (after an
 * on-demand fork), take a private copy (pt_unshare with PTE_COW) so that it can be
 * changed; a large page read-only there is one a fork shares (mman.c): the same
 * call makes it ours (a copy, or the page itself once nobody else maps it). */
void libos_own_table(uint64_t va);
/* libos_env_gone: is environment id gone from the kernel's exported table? */
static inline bool libos_env_gone(envid_t id)
{
	return exo_envs[EXO_ENVX(id)].id != id;
}

/* libos_block: sleep in ipc_recv until a message or a kernel note (env_wake, a
 * child's end). Callers re-check what they wait for (rpc.c). */
void libos_block(void);
/* libos_vpt_each: call fn(va, pte, arg) for every present user page, in address
 * order, reading the tables through UVPT; the threads' private areas (exception
 * stacks, scratch pages, the channel: [LIBOS_PRIVATE_LO, UXSTACKTOP)) are left
 * out, and their page tables are not even read. */
void libos_vpt_each(void (*fn)(uint64_t va, uint64_t pte, void *arg), void *arg);
/* libos_vpt_each_table: the same, but first offer each page table (2 MiB region,
 * va = its start) to table(va, arg): if it returns true the region is taken care of
 * and its pages are not visited. */
void libos_vpt_each_table(bool (*table)(uint64_t va, void *arg),
			  void (*fn)(uint64_t va, uint64_t pte, void *arg), void *arg);
/* libos_vpt_walk: the same, one level up as well: each 1 GiB region with a page
 * directory (va = its start; none that holds part of the exception-stack region)
 * is first offered to directory(va, arg), if given: true means taken care of, its
 * tables are not offered. Then each table to table(va, arg), if given, then the
 * pages to page(va, pte, arg). A large page (2 MiB, PTE_PS in its directory entry
 * pde) goes to large(va, pde, arg), if given, instead of table: false (or no
 * large) means its 512 pages go to page, each as vpt_large_pte describes it. */
struct vpt_walk {
	bool (*directory)(uint64_t va, void *arg);
	bool (*table)(uint64_t va, void *arg);
	void (*page)(uint64_t va, uint64_t pte, void *arg);
	bool (*large)(uint64_t va, uint64_t pde, void *arg);
};
void libos_vpt_walk(const struct vpt_walk *w, void *arg);
/* libos_region_private: true when [lo, hi) can hold only private memory of the
 * process: not the view of the server's tables, not the boot modules, not the
 * exception-stack and scratch areas, no shared mapping (mman.c); every fork
 * strategy may then treat its page tables whole. */
bool libos_region_private(uint64_t lo, uint64_t hi);
/* libos_share_table: give child the 2 MiB region at va by sharing our page table,
 * when that is how the region is inherited: the view of the server's tables (a
 * read-only view) or read-only shared pages (the initrd).
 * Returns 1 if shared, 0 if the region must be copied page by page, or a negative
 * kernel error. */
long libos_share_table(envid_t child, uint64_t va);
/* libos_share_modules: give child the 1 GiB region at va whole, every table of it
 * shared read-only in one pt_share_range call, when it is in the boot modules'
 * area (read-only to everyone: libos_share_table shares each of its tables the
 * same way). Returns 1 if shared, 0 if va is elsewhere, or a negative kernel
 * error. */
long libos_share_modules(envid_t child, uint64_t va);
/* libos_pt_shareable: true when every present page in the 2 MiB region at va is
 * PTE_SHARE and read-only, so the whole page table can be shared (pt_share). */
bool libos_pt_shareable(uint64_t va);

/* Processes (proctab.c): a snapshot of the process table, for ps. */
struct libos_psinfo {
	int pid, ppid;
	char state;        /* 'R' running (or blocked), 'Z' zombie */
	envid_t env;
	char cmd[72];
};
/* libos_ps: fill out[0..max) with the live processes in pid order. Returns the
 * number filled, or -1 with EFAULT (out is not max writable entries). */
int libos_ps(struct libos_psinfo *out, int max);

/* User memory (uaccess.c): checks that never fault, made before a call takes a lock
 * or changes anything, so that a bad pointer is EFAULT and nothing else. */
/* libos_user_range: 0 if every page of [p, p+n) is a present user page (for write:
 * writable, or copy-on-write, which is resolved now) or lies in the stack's growable
 * area; EFAULT otherwise (page 0, at or above ULIM, non-canonical, wrapping around,
 * unmapped, read-only for a write). n == 0 is 0 for any p. */
int libos_user_range(const void *p, size_t n, bool write);
/* libos_user_string: 0 if s is readable up to and including a NUL within its first
 * max bytes; EFAULT if an unreadable byte comes first; ENAMETOOLONG if there is no
 * NUL in max readable bytes. */
int libos_user_string(const char *s, size_t max);
/* libos_user_vector: 0 if v (NULL counts as empty) is a readable NULL-terminated
 * array of fewer than max_entries readable strings of max_bytes in all (NULs
 * counted); EFAULT, or E2BIG when there are too many entries or bytes. */
int libos_user_vector(char *const *v, size_t max_entries, size_t max_bytes);

/* Random bytes (random.c), made in the calling process: no server request. */
/* libos_random: fill buf with n random bytes: from the CPU (RDRAND, or RDSEED)
 * when CPUID says it has them, else from a ChaCha20 generator of this environment,
 * seeded from the TSC, the boot time, the environment id and the kernel's
 * counters (and seeded again in a new environment: a fork child never repeats its
 * parent's bytes), its key replaced after every call. The caller has checked buf.
 * No errors. */
void libos_random(void *buf, size_t n);
/* libos_random_source: "rdrand", "rdseed" or "chacha20": where libos_random's
 * bytes come from on this CPU. */
const char *libos_random_source(void);
/* libos_chacha20_block: ChaCha20's block function (RFC 8439 §2.3): the 64-byte
 * key stream block number counter for key and nonce, into out. No errors. */
void libos_chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3], uint8_t out[64]);

/* libos_fail: set errno from a kernel error and return -1 (for POSIX wrappers). */
int libos_fail(long kerr);

#endif
