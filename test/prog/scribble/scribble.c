/* scribble [ROUNDS]: a process that writes random bytes over every page it can
 * write, and sends the libOS server random requests from a channel full of random
 * bytes, while a 5-stage pipeline and a /tmp workload run beside it. It can damage
 * only itself (and files it opened for writing): the pipeline's 1 MiB arrives
 * byte-exact, every /tmp file reads back as written, and afterwards the system
 * works and holds nothing more than before.
 *
 * First, the view of the server's tables is checked to be read-only in every way a
 * process could try to write it: a store, page_protect, a pte_batch protect, a
 * writable page_map or ipc grant of one of its pages, and a private copy of its
 * page table (pt_unshare) that changes nobody else's. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "libos.h"
#include "vpt.h"
#include "../../../libos/fs.h" /* the view, to count what the server holds */

#define STREAM (1 << 20)     /* bytes through the pipeline */
#define SCRATCH 0x10000000UL /* a free page of ours */
#define NFILES 8

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

/* The pipeline's byte at position i. */
static unsigned char stream_byte(uint64_t i)
{
	return (unsigned char)((i * 2654435761u) >> 13 ^ i);
}

static int write_all(int fd, const unsigned char *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w <= 0)
			return -1;
		b += w, n -= (size_t)w;
	}
	return 0;
}

/* Stage 0 writes the stream; stages 1-3 copy; stage 4 checks it byte by byte. */
static int stage(int k)
{
	static unsigned char buf[6000];
	if (k == 0) {
		for (uint64_t off = 0; off < STREAM;) {
			size_t n = STREAM - off < sizeof buf ? STREAM - off : 1 + next() % sizeof buf;
			for (size_t i = 0; i < n; i++)
				buf[i] = stream_byte(off + i);
			if (write_all(1, buf, n) < 0)
				return 10;
			off += n;
		}
		return 0;
	}
	uint64_t got = 0;
	ssize_t n;
	while ((n = read(0, buf, 1 + next() % sizeof buf)) > 0) {
		if (k < 4 && write_all(1, buf, (size_t)n) < 0)
			return 11;
		for (ssize_t i = 0; k == 4 && i < n; i++)
			if (buf[i] != stream_byte(got + (uint64_t)i))
				return 12;
		got += (uint64_t)n;
	}
	return n < 0 ? 13 : got == STREAM ? 0 : 14;
}

/* The /tmp workload: write files with known contents, read them back, rewrite. */
static int tmp_work(int rounds)
{
	static unsigned char want[20000], got[20000];
	char name[32];
	for (int r = 0; r < rounds; r++)
		for (int f = 0; f < NFILES; f++) {
			snprintf(name, sizeof name, "/tmp/work-%d", f);
			size_t n = 1 + next() % sizeof want;
			for (size_t i = 0; i < n; i++)
				want[i] = (unsigned char)(r * 31 + f * 7 + i);
			int fd = open(name, O_CREAT | O_TRUNC | O_RDWR, 0644);
			if (fd < 0 || write_all(fd, want, n) < 0 || lseek(fd, 0, SEEK_SET) != 0)
				return 20;
			size_t have = 0;
			ssize_t k;
			while ((k = read(fd, got + have, sizeof got - have)) > 0)
				have += (size_t)k;
			if (close(fd) < 0 || have != n || memcmp(want, got, n) != 0)
				return 21;
		}
	for (int f = 0; f < NFILES; f++) {
		snprintf(name, sizeof name, "/tmp/work-%d", f);
		if (unlink(name) < 0)
			return 22;
	}
	return 0;
}

/* The scribbler: its own file, then random bytes over every writable page of
 * its own (but the stack it runs on), then random requests. Uses no libOS call
 * after the scribbling (its state is garbage): raw system calls only. */
static void __attribute__((noreturn)) scribbler(int requests)
{
	for (int fd = 0; fd < 3; fd++)
		close(fd);
	if (open("/tmp/scribbler-own", O_CREAT | O_RDWR, 0644) != 0)
		sys_env_exit(30);
	envid_t srv = PROCTAB->server;
	uint64_t rsp;
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	uint64_t stack_lo = (rsp - 8192) & ~(PAGE_SIZE - 1), pages = 0;
	/* Two passes: the first takes a private copy of every copy-on-write page (so
	 * that no fault comes while the fault handler's state is garbage), the second
	 * scribbles. */
	for (int pass = 0; pass < 2; pass++)
	for (uint64_t va = 0; va < USTACKTOP; va += PAGE_SIZE) {
		if (!(*VPT_PML4E(va) & PTE_P)) {
			va = (va | ((1UL << 39) - 1)) + 1 - PAGE_SIZE; /* the next table */
			continue;
		}
		if (!(*VPT_PDPTE(va) & PTE_P)) {
			va = (va | ((1UL << 30) - 1)) + 1 - PAGE_SIZE; /* the next table */
			continue;
		}
		if (!(*VPT_PDE(va) & PTE_P)) {
			va = (va | ((1UL << 21) - 1)) + 1 - PAGE_SIZE; /* the next table */
			continue;
		}
		uint64_t pte = *VPT_PTE(va);
		if (!(pte & PTE_P) || !(pte & (PTE_W | PTE_COW)) || !(*VPT_PDE(va) & PTE_W) || va >= stack_lo)
			continue;
		if (va == (uint64_t)&rng - ((uint64_t)&rng & (PAGE_SIZE - 1)))
			continue; /* our generator's page: kept, or the bytes would repeat */
		volatile uint64_t *w = (volatile uint64_t *)va;
		if (pass == 0) {
			w[0] = w[0];
			continue;
		}
		for (int i = 0; i < 512; i++)
			w[i] = next();
		pages++;
	}
	/* Random requests: the channel is random bytes, and so is every word sent. */
	uint64_t *chan = (uint64_t *)LIBOS_CHAN;
	for (int k = 0; k < requests; k++) {
		for (int i = 0; i < 64; i++)
			chan[i] = next();
		uint32_t op = (uint32_t)(next() % (SRV_NOPS + 2)); /* a real op, mostly; not exit */
		chan[1] = (chan[1] & ~0xffffffffUL) | (op == SRV_EXIT ? SRV_READ : op);
		((struct srv_chan *)chan)->target = (k & 3) ? 0 : (int32_t)next();
		long r;
		while ((r = sys_ipc_send(srv, (long)next(), (long)next(), (long)next(), -1, 0)) == -E_NORECV)
			sys_yield(srv);
		while (exo_envs[EXO_ENVX(srv)].status == EXO_ENV_RUNNABLE)
			sys_yield(srv);
	}
	char msg[64];
	int n = 0;
	const char *t = "scribble: scribbler done, pages ";
	while (*t)
		msg[n++] = *t++;
	char d[20];
	int nd = 0;
	do
		d[nd++] = (char)('0' + pages % 10);
	while (pages /= 10);
	while (nd)
		msg[n++] = d[--nd];
	msg[n++] = '\n';
	sys_cons_write((long)msg, n);
	for (;;)
		sys_env_exit(0);
}

/* What the server holds: open files, pipes, /tmp inodes, data blocks, processes. */
struct holdings {
	int files, pipes, inodes, blocks, procs;
};
static struct holdings holdings(void)
{
	struct holdings h = { 0 };
	for (int i = 0; i < NFILE; i++)
		h.files += FS->file[i].ref > 0;
	for (int i = 0; i < NPIPE; i++)
		h.pipes += FS->pipe[i].used != 0;
	for (int i = 0; i < NINODE; i++)
		h.inodes += FS->inode[i].used != 0;
	h.blocks = (int)FS->blocks;
	for (int i = 0; i < NPROC; i++)
		h.procs += PROCTAB->p[i].state != PROC_FREE;
	return h;
}

static int status_of(pid_t p)
{
	int st = -1;
	CHECK_EQ(waitpid(p, &st, 0), p);
	return st;
}

static void check_view_read_only(void)
{
	/* A store into the view is a fault that kills the writer. */
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		PROCTAB->p[0].ppid = 4242;
		_exit(0);
	}
	int st = status_of(c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	CHECK(PROCTAB->p[0].ppid != 4242);
	/* No call gives a writable mapping of it. */
	uint64_t va = UPROCS;
	CHECK(vpt_lookup(va) & PTE_P);
	CHECK_EQ(*VPT_PDE(va) & PTE_W, 0);
	CHECK(sys_page_protect(0, (long)va, PTE_W | PTE_NX) < 0);
	struct exo_pte_op op = { .op = EXO_PTE_PROTECT, .va = va, .perm = PTE_W | PTE_NX };
	CHECK(sys_pte_batch(0, (long)&op, 1) < 0);
	CHECK_EQ(sys_page_map(0, (long)va, 0, (long)SCRATCH, PTE_W | PTE_NX), -E_PERM);
	CHECK_EQ(sys_page_map(0, (long)va, 0, (long)SCRATCH, PTE_NX), 0); /* reading is allowed */
	CHECK_EQ(sys_page_protect(0, (long)SCRATCH, PTE_W | PTE_NX), -E_PERM);
	CHECK_EQ(sys_page_unmap(0, (long)SCRATCH), 0);
	CHECK_EQ(sys_ipc_send(PROCTAB->server, 0, 0, 0, (long)va, PTE_W), -E_PERM);
	/* A private copy of the table (its own business) changes nobody else's view. */
	fflush(stdout);
	c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		if (sys_pt_unshare(0, (long)va, 0x800) < 0)
			_exit(2);
		_exit(sys_page_protect(0, (long)va, PTE_W | PTE_NX) == -E_PERM ? 0 : 3);
	}
	CHECK_EQ(status_of(c), 0);
	printf("scribble: the view is read-only ok\n");
}

int main(int argc, char **argv)
{
	int requests = argc > 1 ? atoi(argv[1]) : 20000;
	check_view_read_only();
	struct holdings before = holdings();
	/* The scribbler first: it holds none of the others' descriptors. */
	fflush(stdout);
	pid_t s = fork();
	CHECK(s >= 0);
	if (s == 0)
		scribbler(requests);
	pid_t work = fork();
	CHECK(work >= 0);
	if (work == 0)
		_exit(tmp_work(40));
	pid_t st[5];
	int in = -1;
	for (int k = 0; k < 5; k++) {
		int p[2] = { -1, -1 };
		if (k < 4)
			CHECK_EQ(pipe(p), 0);
		st[k] = fork();
		CHECK(st[k] >= 0);
		if (st[k] == 0) {
			if (in >= 0)
				dup2(in, 0), close(in);
			if (k < 4)
				dup2(p[1], 1), close(p[1]), close(p[0]);
			_exit(stage(k));
		}
		if (in >= 0)
			close(in);
		if (k < 4)
			close(p[1]), in = p[0];
	}
	for (int k = 0; k < 5; k++)
		CHECK_EQ(status_of(st[k]), 0);
	printf("scribble: 5-stage pipeline of 1 MiB byte-exact ok\n");
	CHECK_EQ(status_of(work), 0);
	printf("scribble: /tmp workload ok\n");
	int ss = status_of(s);
	printf("scribble: scribbler ended with status %#x\n", ss);
	/* The system still works, and holds what it held before (the scribbler's own
	 * file aside). */
	CHECK_EQ(unlink("/tmp/scribbler-own"), 0);
	struct holdings after = holdings();
	CHECK_EQ(after.files, before.files);
	CHECK_EQ(after.pipes, before.pipes);
	CHECK_EQ(after.inodes, before.inodes);
	CHECK_EQ(after.blocks, before.blocks);
	CHECK_EQ(after.procs, before.procs);
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0)
		_exit(tmp_work(2));
	CHECK_EQ(status_of(c), 0);
	printf("scribble: the system works afterwards ok\n");
	check_done("scribble");
}
