/* largepage: large pages (2 MiB frames, one directory entry) end to end. The
 * kernel calls (large_alloc, large_split, and the page-level calls refusing to
 * work inside one), madvise(MADV_HUGEPAGE) memory made of them on first touch,
 * shared copy-on-write whole by every fork strategy and vfork, split by mprotect
 * and a partial munmap, system calls reading and writing them, and their 512
 * frames given back when the last mapping goes. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "libos.h"
#include "../memprobe.h"
#include "vpt.h"
#include "../ptsum_check.h"
#include "fork.h"
#include "exo/error.h"

#define P 4096UL
#define L (2UL << 20)

/* n bytes of MAP_NORESERVE private memory starting on a 2 MiB boundary. */
static char *aligned_region(size_t n)
{
	char *m = mmap(NULL, n + L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(m != MAP_FAILED);
	char *a = (char *)(((uint64_t)m + L - 1) & ~(L - 1));
	if (a > m)
		CHECK_EQ(munmap(m, (size_t)(a - m)), 0);
	CHECK_EQ(munmap(a + n, (size_t)(m + n + L - (a + n))), 0);
	return a;
}

/* Is the 2 MiB at a one large page: a directory entry with PTE_PS, 512
 * contiguous frames flagged EXO_FRAME_LARGE, the first mapped maps times? */
static bool is_large(const char *a, unsigned maps)
{
	uint64_t f = vpt_frame((uint64_t)a);
	if (!vpt_large((uint64_t)a) || f % 512 || exo_frames[f].maps != maps)
		return false;
	for (uint64_t k = 0; k < 512; k++)
		if (vpt_frame((uint64_t)a + k * P) != f + k || !(exo_frames[f + k].flags & EXO_FRAME_LARGE))
			return false;
	return true;
}

/* The frames of large pages anyone is charged for. */
static uint64_t large_frames(void)
{
	uint64_t n = 0;
	for (uint64_t f = 0; f < exo_info->nframes; f++)
		n += exo_frames[f].owner > 0 && (exo_frames[f].flags & EXO_FRAME_LARGE);
	return n;
}

/* Is the large page at a mapped writable? */
static bool vpt_large_writable(const char *a)
{
	return (*VPT_PDE((uint64_t)a) & PTE_W) != 0;
}

static void kernel_calls(void)
{
	char *a = aligned_region(2 * L);
	uint64_t before = ours();
	CHECK_EQ(sys_large_alloc(0, (long)a + P, PTE_W), -E_INVAL);        /* misaligned */
	CHECK_EQ(sys_large_alloc(0, (long)a, PTE_W | 0x80), -E_INVAL);     /* PTE_PS is not a permission */
	CHECK_EQ(sys_large_alloc(0, (long)ULIM, PTE_W), -E_INVAL);
	CHECK_EQ(sys_large_alloc(0, (long)a, PTE_W | PTE_NX), 0);
	CHECK(is_large(a, 1));
	printf("largepage: the first large page is at %lu MiB of %lu MiB\n", (unsigned long)(vpt_frame((uint64_t)a) >> 8),
	       (unsigned long)(exo_info->nframes >> 8));
	CHECK(ours() >= before + 512 && ours() <= before + 514);          /* 512 frames (+ tables) */
	for (uint64_t off = 0; off < L; off += P)
		CHECK(a[off] == 0 && a[off + P - 1] == 0);
	CHECK_EQ(sys_large_alloc(0, (long)a, PTE_W), -E_INVAL);            /* taken */
	a[5] = 'x';
	CHECK_EQ(sys_page_alloc(0, (long)a + P, PTE_W), -E_INVAL);         /* page-level calls refuse */
	CHECK_EQ(sys_page_unmap(0, (long)a + P), -E_INVAL);
	CHECK_EQ(sys_page_protect(0, (long)a, PTE_W), -E_INVAL);
	CHECK_EQ(sys_page_map(0, (long)a, 0, (long)a + L, PTE_W), -E_INVAL);
	struct exo_pte_op op = { .op = EXO_PTE_UNMAP, .va = (uint64_t)a + 8 * P };
	CHECK(sys_pte_batch(0, (long)&op, 1) < 0);
	CHECK_EQ(sys_large_split(0, (long)a + L, 0), -E_INVAL);            /* nothing large there */
	CHECK_EQ(sys_large_split(0, (long)a, 0x80), -E_INVAL);
	CHECK(is_large(a, 1) && a[5] == 'x');                              /* nothing changed */
	/* The kernel reads and writes through a large page: I/O, futex words. */
	int p[2];
	CHECK_EQ(pipe(p), 0);
	memcpy(a + P - 3, "hello", 6);
	CHECK_EQ(write(p[1], a + P - 3, 6), 6);
	CHECK_EQ(read(p[0], a + 3 * P - 2, 6), 6);
	CHECK(memcmp(a + 3 * P - 2, "hello", 6) == 0);
	close(p[0]), close(p[1]);
	CHECK_EQ(sys_addr_wait((long)a + 64, 1, 0), -E_AGAIN);            /* the word is 0, not 1 */
	CHECK_EQ(sys_addr_wake((long)a + 64, 1), 0);
	/* Split: the same frames as ordinary pages, data kept; then each page is on its own. */
	uint64_t f = vpt_frame((uint64_t)a);
	CHECK_EQ(sys_large_split(0, (long)a, 0), 0);
	CHECK(!vpt_large((uint64_t)a) && vpt_frame((uint64_t)a + 7 * P) == f + 7);
	CHECK(!(exo_frames[f + 7].flags & EXO_FRAME_LARGE) && exo_frames[f + 7].maps == 1);
	CHECK(a[5] == 'x' && memcmp(a + 3 * P - 2, "hello", 6) == 0);
	uint64_t held = ours();
	CHECK_EQ(sys_page_unmap(0, (long)a + P), 0);
	CHECK_EQ(ours(), held - 1);                                        /* one frame less */
	CHECK_EQ(sys_pt_drop(0, (long)a), 0);
	/* pt_drop of a large page gives its 512 frames back at once. */
	uint64_t free0 = exo_info->free_frames;
	CHECK_EQ(sys_large_alloc(0, (long)a + L, PTE_W | PTE_NX), 0);
	CHECK_EQ(exo_info->free_frames, free0 - 512);
	CHECK_EQ(sys_pt_drop(0, (long)a + L), 0);
	CHECK_EQ(exo_info->free_frames, free0);
	CHECK(!vpt_large((uint64_t)a + L));
	/* Another process cannot make, split or drop ours. */
	envid_t me = sys_env_id();
	CHECK_EQ(sys_large_alloc(0, (long)a + L, PTE_W | PTE_NX), 0);
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0)
		_exit(sys_large_alloc(me, (long)a, PTE_W) >= 0 || sys_large_split(me, (long)a + L, 0) >= 0 ||
		      sys_pt_drop(me, (long)a + L) >= 0 || sys_pt_unshare(me, (long)a + L, 0) >= 0);
	CHECK_EQ(status_of(c), 0);
	CHECK(is_large(a + L, 1));
	/* Shared with a child as a read-only view: the child's pt_unshare gets it a
	 * copy, never write access to ours; dropping the child's gives the copy back. */
	a[L + 9] = 'w';
	uint64_t head = vpt_frame((uint64_t)a + L), free1 = exo_info->free_frames;
	long kid = sys_exofork();
	CHECK(kid > 0);
	CHECK_EQ(sys_pt_share(kid, (long)a + L, EXO_PT_SHARE_VIEW), 0);
	CHECK(exo_frames[head].maps == 2 && vpt_large_writable(a + L));
	CHECK_EQ(sys_pt_unshare(kid, (long)a + L, 0), 0);                   /* a copy for the child */
	CHECK_EQ(exo_frames[head].maps, 1);
	CHECK(exo_info->free_frames <= free1 - 512);                         /* the copy's 512 frames */
	CHECK(exo_envs[EXO_ENVX(kid)].nframes >= 512);
	CHECK_EQ(sys_pt_drop(kid, (long)a + L), 0);
	CHECK(exo_envs[EXO_ENVX(kid)].nframes < 512);
	CHECK_EQ(sys_env_destroy(kid), 0);
	CHECK(is_large(a + L, 1) && a[L + 9] == 'w' && vpt_frame((uint64_t)a + L) == head);
	CHECK_EQ(large_frames(), 512);
	CHECK_EQ(munmap(a, 2 * L), 0);
	CHECK_EQ(large_frames(), 0);
	printf("largepage: kernel calls (alloc, split, drop, refusals, I/O through one) ok\n");
}

static void madvised(void)
{
	const size_t n = 4 * L;
	uint64_t before = ours();
	char *a = aligned_region(n);
	CHECK_EQ(madvise(a, n, MADV_HUGEPAGE), 0);
	for (size_t i = 0; i < n / L; i++) {
		CHECK_EQ(a[i * L + 100], 0);
		CHECK(is_large(a + i * L, 1));
	}
	for (size_t off = 0; off < n; off += P)
		a[off] = (char)(off / P);
	/* Every fork strategy: the child sees our data and writes its own copy (eager
	 * last: it copies large pages earlier forks left read-only). */
	const struct fork_strategy *all[] = { &fork_cow, &fork_ondemand, &fork_eager };
	for (int s = 0; s < 3; s++) {
		fflush(stdout);
		uint64_t f = vpt_frame((uint64_t)a);
		pid_t c = libos_fork(all[s]);
		CHECK(c >= 0);
		if (c == 0) {
			int bad = 0;
			for (size_t off = 0; off < n; off += P)
				bad += a[off] != (char)(off / P);
			for (size_t off = 0; off < n; off += P)
				a[off] = 'c';
			for (size_t off = 0; off < n; off += P)
				bad += a[off] != 'c';
			_exit(bad != 0);
		}
		CHECK_EQ(status_of(c), 0);
		for (size_t off = 0; off < n; off += P)
			CHECK_EQ(a[off], (char)(off / P));
		a[0] = 0; /* our write after the child is gone: the page is ours again, not copied */
		CHECK(is_large(a, 1) && vpt_frame((uint64_t)a) == f);
	}
	/* A read into a large page a fork left read-only (the kernel refuses to write
	 * there: the libOS makes it ours first). */
	CHECK(!vpt_large_writable(a + 3 * L));
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "large", 5), 5);
	CHECK_EQ(read(p[0], a + 3 * L + 17, 5), 5);
	CHECK(memcmp(a + 3 * L + 17, "large", 5) == 0 && is_large(a + 3 * L, 1));
	close(p[0]), close(p[1]);
	pid_t v = vfork();
	if (v == 0) {
		a[L + 5] = 'v'; /* vfork borrows: the same memory */
		_exit(0);
	}
	CHECK_EQ(status_of(v), 0);
	CHECK_EQ(a[L + 5], 'v');
	CHECK(is_large(a + L, 1));
	/* mprotect splits: read-only faults on a write, keeps the data, and back. */
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	CHECK_EQ(sigaction(SIGSEGV, &sa, NULL), 0);
	CHECK_EQ(mprotect(a + L, L, PROT_READ), 0);
	CHECK(!vpt_large((uint64_t)a + L) && is_large(a, 1) && is_large(a + 2 * L, 1));
	CHECK(faults(a + L + 3 * P, true) && !faults(a + L + 3 * P, false));
	CHECK_EQ(a[L + 5], 'v');
	CHECK_EQ(mprotect(a + L, L, PROT_READ | PROT_WRITE), 0);
	CHECK(!faults(a + L + 3 * P, true));
	/* munmap of one page inside a large page: it goes, its neighbours stay. */
	CHECK_EQ(munmap(a + 2 * L + 9 * P, P), 0);
	CHECK(faults(a + 2 * L + 9 * P, false));
	CHECK_EQ(a[2 * L + 8 * P], (char)(2 * L / P + 8));
	CHECK_EQ(a[2 * L + 10 * P], (char)(2 * L / P + 10));
	/* Everything back: no frame of a large page is charged to anyone (the
	 * children are gone, and none is left to us). */
	CHECK_EQ(munmap(a, n), 0);
	CHECK(ours() < before + 512);
	CHECK_EQ(large_frames(), 0);
	/* Without the advice: ordinary pages. */
	char *b = aligned_region(L);
	b[0] = 1;
	CHECK(!vpt_large((uint64_t)b));
	CHECK_EQ(munmap(b, L), 0);
	printf("largepage: MADV_HUGEPAGE memory under every fork strategy, vfork, mprotect, munmap ok\n");
}

/* Are none of the frames of the large frame at f (frame number) charged to anyone? */
static bool all_free(uint64_t f)
{
	for (uint64_t k = 0; k < 512; k++)
		if (exo_frames[f + k].owner != 0)
			return false;
	return true;
}

/* A write after a copy-on-write fork splits the large page for the writer
 * without copying it (large_split): the writer's other 511 pages still map the
 * shared frames, it gets one copied page (and the first, copied by the split),
 * and the other side keeps its large page whole. Child and parent each check it,
 * then: the parent writing while the child holds the split (the parent splits
 * too), the parent dropping its large page while the child holds the split (its
 * frames become ordinary ones: those the child maps stay, the rest are freed),
 * and every frame back once both are done. */
static void split_without_copy(void)
{
	char *a = aligned_region(L);
	CHECK_EQ(madvise(a, L, MADV_HUGEPAGE), 0);
	for (size_t off = 0; off < L; off += P)
		a[off] = (char)(off / P + 1);
	uint64_t f = vpt_frame((uint64_t)a);
	CHECK(is_large(a, 1));
	int up[2], down[2];
	for (int round = 0; round < 3; round++) {
		CHECK_EQ(pipe(up), 0);
		CHECK_EQ(pipe(down), 0);
		fflush(stdout);
		pid_t c = libos_fork(&fork_cow);
		CHECK(c >= 0);
		if (c == 0) {
			int bad = 0;
			uint64_t me = EXO_ENVX(sys_env_id()), held = exo_envs[me].nframes;
			a[5 * P] = 'c';
			bad |= vpt_large((uint64_t)a) << 0;                        /* ours is split */
			bad |= (vpt_frame((uint64_t)a + 7 * P) != f + 7) << 1;     /* shared, not copied */
			bad |= (vpt_frame((uint64_t)a + 5 * P) == f + 5) << 2;     /* the written page: copied */
			bad |= (exo_envs[me].nframes > held + 3) << 3;              /* table, first page, the copy */
			bad |= !(exo_frames[f].flags & EXO_FRAME_SUBMAPPED) << 4;
			bad |= (exo_frames[f + 7].maps != 1 || !(exo_frames[f + 7].flags & EXO_FRAME_LARGE)) << 5;
			/* mapped once here, but whole by the parent too: no takeover, and no
			 * other way to a writable mapping of it */
			bad |= (sys_page_protect(0, (long)a + 7 * P, PTE_W) != -E_PERM) << 6;
			struct exo_pte_op op = { .op = EXO_PTE_PROTECT, .va = (uint64_t)a + 7 * P, .perm = PTE_W };
			bad |= (sys_pte_batch(0, (long)&op, 1) != -256 - E_PERM) << 6; /* op 0's error */
			bad |= (sys_page_map(0, (long)a + 7 * P, 0, (long)a + L + 7 * P, PTE_W) != -E_PERM) << 6;
			char ch;
			bad |= (write(up[1], "s", 1) != 1 || read(down[0], &ch, 1) != 1) << 7;
			for (size_t off = 0; off < L; off += P)
				bad |= (a[off] != (off == 5 * P ? 'c' : (char)(off / P + 1))) << 8;
			bad |= (ptsum_missed() != 0) << 9; /* the split's table: every entry marked */
			_exit(bad > 255 ? 255 : bad);      /* (an exit status keeps 8 bits) */
		}
		char ch;
		CHECK_EQ(read(up[0], &ch, 1), 1);
		if (round == 0) {
			/* the child's split left ours whole */
			CHECK(is_large(a, 1) && (exo_frames[f].flags & EXO_FRAME_SUBMAPPED));
			CHECK_EQ(a[5 * P], 6);
		} else if (round == 1) {
			/* our write while the child maps our frames one by one: we split
			 * (alone: the same frames, no copy) and copy the page we write */
			a[7 * P] = 'p';
			CHECK(!vpt_large((uint64_t)a) && vpt_frame((uint64_t)a + 8 * P) == f + 8);
			CHECK(vpt_frame((uint64_t)a + 7 * P) != f + 7 && !(exo_frames[f + 8].flags & EXO_FRAME_LARGE));
			CHECK_EQ(exo_frames[f + 8].maps, 2);
			CHECK_EQ(ptsum_missed(), 0);
		} else {
			/* our large page goes while the child maps its frames: they become
			 * ordinary frames; those nobody maps (the child copied them) are freed */
			CHECK_EQ(munmap(a, L), 0);
			CHECK(!(exo_frames[f + 8].flags & EXO_FRAME_LARGE) && exo_frames[f + 8].maps == 1);
			CHECK(exo_frames[f].owner == 0 && exo_frames[f + 5].owner == 0);
		}
		CHECK_EQ(write(down[1], "g", 1), 1);
		CHECK_EQ(status_of(c), 0);
		close(up[0]), close(up[1]), close(down[0]), close(down[1]);
		if (round == 0) {
			/* the child is gone: ours alone again, written in place */
			CHECK(!(exo_frames[f].flags & EXO_FRAME_SUBMAPPED));
			a[0] = 1;
			CHECK(is_large(a, 1) && vpt_frame((uint64_t)a) == f);
		}
		if (round == 1) {
			CHECK_EQ(a[7 * P], 'p');
			CHECK_EQ(munmap(a, L), 0);
			CHECK(all_free(f));
			a = aligned_region(L);
			CHECK_EQ(madvise(a, L, MADV_HUGEPAGE), 0);
			for (size_t off = 0; off < L; off += P)
				a[off] = (char)(off / P + 1);
			f = vpt_frame((uint64_t)a);
			CHECK(is_large(a, 1));
		}
	}
	CHECK(all_free(f));
	CHECK_EQ(large_frames(), 0);
	printf("largepage: a write after a fork splits a large page without copying it ok\n");
}

int main(void)
{
	kernel_calls();
	madvised();
	split_without_copy();
	check_done("largepage");
}
