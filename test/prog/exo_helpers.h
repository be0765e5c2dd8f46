/* Helpers shared by the kernel test programs (isolation, kfunc): counting what the
 * exported tables show, waiting on other environments, receiving past the kernel's
 * notes, and probes that ask the hardware whether an access faults. Include after
 * check.h, libos.h and vpt.h. */
#ifndef TEST_EXO_HELPERS_H
#define TEST_EXO_HELPERS_H
#include <stdint.h>

/* User pages the frame table says are charged to id (page tables excluded). */
static inline uint64_t owned_by(envid_t id)
{
	uint64_t n = 0;
	for (uint64_t i = 0; i < exo_info->nframes; i++)
		if (exo_frames[i].owner == id && !(exo_frames[i].flags & EXO_FRAME_PT))
			n++;
	return n;
}

/* Every frame charged to id: its pages and the page tables made for it. The
 * kernel's rule is that this equals the environment's exported nframes. */
static inline uint64_t charged_to(envid_t id)
{
	uint64_t n = 0;
	for (uint64_t i = 0; i < exo_info->nframes; i++)
		n += exo_frames[i].owner == id;
	return n;
}

/* Page-table pages of our own address space (PDPTs, PDs, PTs), read through UVPT. */
static inline uint64_t count_tables(void)
{
	uint64_t n = 0;
	for (uint64_t i = 0; i < UEXPORT_SLOT; i++) {
		uint64_t a = i << 39;
		if (!(*VPT_PML4E(a) & PTE_P))
			continue;
		n++;
		for (uint64_t j = 0; j < 512; j++) {
			uint64_t b = a | (j << 30);
			if (!(*VPT_PDPTE(b) & PTE_P))
				continue;
			n++;
			for (uint64_t k = 0; k < 512; k++)
				if (*VPT_PDE(b | (k << 21)) & PTE_P)
					n++;
		}
	}
	return n;
}

/* Environments alive, from the exported table. */
static inline int live_envs(void)
{
	int n = 0;
	for (int i = 0; i < EXO_NENV; i++)
		if (exo_envs[i].id)
			n++;
	return n;
}

/* Receive a message, passing over the kernel's own notes (a child's death, a
 * wakeup). Returns ipc_recv's result. */
static inline long recv_msg(long dstva, struct exo_ipc_msg *m)
{
	for (;;) {
		long r = sys_ipc_recv(dstva, (long)m);
		if (r == 0 && m->kind == EXO_IPC_NOTE)
			continue;
		return r;
	}
}

static inline void wait_gone(envid_t id)
{
	while (exo_envs[EXO_ENVX(id)].id == id)
		sys_yield(0);
}

static inline void wait_recving(envid_t id)
{
	while (!(exo_envs[EXO_ENVX(id)].flags & EXO_ENVF_IPC_RECV)) {
		CHECK_EQ(exo_envs[EXO_ENVX(id)].id, id);
		sys_yield(0);
	}
}

/* Probes: a load or store that may fault. A page-fault handler calls probe_skip
 * first: it recognises the probe instruction and resumes after it, so a test can ask
 * "may I write here?" of the hardware without dying. */
void probe_store(uint64_t va, uint64_t v);
uint64_t probe_load(uint64_t va);
extern char probe_store_insn[], probe_store_end[], probe_load_insn[], probe_load_end[];
__asm__(".text\n"
	".globl probe_store\nprobe_store:\n"
	".globl probe_store_insn\nprobe_store_insn: movb %sil, (%rdi)\n"
	".globl probe_store_end\nprobe_store_end: ret\n"
	".globl probe_load\nprobe_load: xorl %eax, %eax\n"
	".globl probe_load_insn\nprobe_load_insn: movb (%rdi), %al\n"
	".globl probe_load_end\nprobe_load_end: ret\n");

static volatile int probe_faults;
static volatile uint64_t probe_err;

/* probe_skip: if utf is a fault of a probe, count it, note its error code, step
 * over the instruction and return 1; otherwise 0. */
static inline int probe_skip(struct exo_utf *utf)
{
	if (utf->rip == (uint64_t)probe_store_insn)
		utf->rip = (uint64_t)probe_store_end;
	else if (utf->rip == (uint64_t)probe_load_insn)
		utf->rip = (uint64_t)probe_load_end;
	else
		return 0;
	probe_faults++;
	probe_err = utf->err;
	return 1;
}

/* 1: a store of the byte already at va went through; 0: it faulted; -1: va is not
 * even readable. */
static inline int try_store_same(uint64_t va)
{
	int f = probe_faults;
	uint64_t b = probe_load(va);
	if (probe_faults != f)
		return -1;
	probe_store(va, b);
	return probe_faults == f;
}

#endif
