/* mman: anonymous memory mappings: lazy zero-fill (an 8 GiB MAP_NORESERVE region
 * costs the pages touched), hints and MAP_FIXED, munmap of any range (splitting),
 * mprotect (read-only, PROT_NONE, back), SIGSEGV where nothing may be touched,
 * MADV_DONTNEED, msync/mlock checks, shared memory across every fork strategy and
 * private memory copied by each, and read()/write() into untouched pages. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "libos.h"
#include "../memprobe.h"
#include "vpt.h"
#include "fork.h"
#include "libos.h"

#define P 4096UL

int main(void)
{
	struct sigaction a = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	sigemptyset(&a.sa_mask);
	CHECK_EQ(sigaction(SIGSEGV, &a, NULL), 0);

	/* Errors. */
	CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, P, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_SHARED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED && errno == EINVAL);
	CHECK(mmap((void *)0x12345, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED &&
	      errno == EINVAL);
	CHECK(mmap(NULL, P, PROT_READ, MAP_PRIVATE, -1, 0) == MAP_FAILED && errno == EBADF);

	/* 8 GiB, a few pages touched: only those pages cost. */
	uint64_t before = ours();
	size_t big = 8UL << 30;
	char *m = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(m != MAP_FAILED);
	CHECK_EQ(m[0], 0);
	m[0] = 1, m[big / 2] = 2, m[big - 1] = 3;
	CHECK_EQ(m[12345 * P + 7], 0);
	CHECK(ours() - before < 40); /* 4 pages and their page tables */
	CHECK_EQ(m[big / 2], 2);
	CHECK_EQ(munmap(m, big), 0);
	CHECK(faults(m, false));
	CHECK(ours() <= before + 4); /* the page tables went back; directories (3 here) and a PDPT stay */
	printf("mman: lazy zero-filled memory, 8 GiB for a few pages ok\n");

	/* A hint is taken when free; MAP_FIXED replaces what was there. */
	char *h = mmap((void *)0x300000000000UL, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(h == (char *)0x300000000000UL);
	memset(h, 'a', 4 * P);
	char *f = mmap(h + P, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(f == h + P);
	CHECK_EQ(f[0], 0); /* a fresh page */
	CHECK_EQ(h[0], 'a');
	CHECK_EQ(h[2 * P], 'a');
	char *h2 = mmap(h, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(h2 != MAP_FAILED && h2 != h); /* taken: elsewhere */
	munmap(h2, P);
	/* munmap of a middle page splits the mapping. */
	CHECK_EQ(munmap(h + 2 * P, P), 0);
	CHECK(faults(h + 2 * P, false));
	CHECK_EQ(h[3 * P], 'a');
	CHECK(!faults(h + 3 * P, true));
	CHECK_EQ(munmap(h, 4 * P), 0); /* holes in the range are fine */
	CHECK(faults(h + 3 * P, false));
	CHECK_EQ(munmap((void *)1, P), -1);
	CHECK_EQ(errno, EINVAL);
	printf("mman: hints, MAP_FIXED, munmap splitting ok\n");

	/* mprotect: read-only, PROT_NONE (the data is kept), back to read-write. */
	char *q = mmap(NULL, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(q != MAP_FAILED);
	strcpy(q + P, "kept");
	CHECK_EQ(mprotect(q + P, P, PROT_READ), 0);
	CHECK(faults(q + P, true));
	CHECK(!faults(q + P, false));
	CHECK(!faults(q, true)); /* the neighbours keep theirs */
	CHECK_EQ(mprotect(q + P, P, PROT_NONE), 0);
	CHECK(faults(q + P, false));
	CHECK(faults(q + 2 * P, false) == false);
	CHECK_EQ(mprotect(q + P, P, PROT_READ | PROT_WRITE), 0);
	CHECK(strcmp(q + P, "kept") == 0);
	CHECK(!faults(q + P, true));
	char *none = mmap(NULL, P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(faults(none, false));
	CHECK_EQ(mprotect(q, 100 * P, PROT_READ), -1); /* not all mapped */
	CHECK_EQ(errno, ENOMEM);
	CHECK_EQ(mprotect(q + 1, P, PROT_READ), -1);
	CHECK_EQ(errno, EINVAL);
	printf("mman: mprotect read-only, PROT_NONE and back, SIGSEGV ok\n");

	/* mprotect of memory mmap did not make: the heap (a guard page in malloc'd
	 * memory) and the program's data; the stack cannot be hidden. */
	char *hp = NULL;
	CHECK_EQ(posix_memalign((void **)&hp, P, 3 * P), 0);
	memset(hp, 'h', 3 * P);
	CHECK_EQ(mprotect(hp + P, P, PROT_NONE), 0);
	CHECK(faults(hp + P, false));
	CHECK(!faults(hp, true) && !faults(hp + 2 * P, true));
	CHECK_EQ(mprotect(hp + P, P, PROT_READ), 0);
	CHECK_EQ(hp[P + 7], 'h'); /* kept while hidden */
	CHECK(faults(hp + P, true));
	CHECK_EQ(mprotect(hp + P, P, PROT_READ | PROT_WRITE), 0);
	CHECK(!faults(hp + P, true));
	free(hp);
	static char data_pages[3 * 4096] __attribute__((aligned(4096)));
	data_pages[P] = 'd';
	CHECK_EQ(mprotect(data_pages + P, P, PROT_NONE), 0);
	CHECK(faults(data_pages + P, false));
	CHECK_EQ(mprotect(data_pages + P, P, PROT_READ | PROT_WRITE), 0);
	CHECK_EQ(data_pages[P], 'd');
	char on_stack[2 * 4096];
	on_stack[0] = 1;
	char *sp_page = (char *)(((uintptr_t)on_stack + P - 1) & ~(uintptr_t)(P - 1));
	CHECK_EQ(mprotect(sp_page, P, PROT_NONE), -1);
	CHECK_EQ(errno, ENOTSUP);
	CHECK_EQ(mprotect(sp_page, P, PROT_READ | PROT_WRITE), 0); /* any other protection is fine */
	printf("mman: mprotect of heap and data pages (PROT_NONE, read-only, back) ok\n");

	/* MADV_DONTNEED gives private pages back: they read as zeros again. */
	strcpy(q, "gone");
	CHECK_EQ(madvise(q, P, MADV_DONTNEED), 0);
	CHECK_EQ(q[0], 0);
	CHECK_EQ(posix_madvise(q, P, POSIX_MADV_SEQUENTIAL), 0);
	CHECK_EQ(madvise(q, P, 12345), -1);
	CHECK_EQ(msync(q, P, MS_SYNC), 0);
	CHECK_EQ(msync(q, P, MS_SYNC | MS_ASYNC), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(mlock(q, P), 0);
	CHECK_EQ(munlock(q, P), 0);
	CHECK_EQ(mlock((void *)0x1000, P), -1);
	CHECK_EQ(errno, ENOMEM);
	/* read() into pages not touched yet; write() from them. */
	int p[2];
	CHECK_EQ(pipe(p), 0);
	char *r = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_EQ(write(p[1], "through", 7), 7);
	CHECK_EQ(read(p[0], r + P - 3, 7), 7);
	CHECK(memcmp(r + P - 3, "through", 7) == 0);
	char *z = mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_EQ(write(p[1], z, 5), 5); /* five zero bytes from an untouched read-only page */
	char back[5] = { 1, 1, 1, 1, 1 };
	CHECK_EQ(read(p[0], back, 5), 5);
	CHECK(!back[0] && !back[4]);
	CHECK_EQ(read(p[0], z, 1), -1); /* not writable: nothing is read */
	CHECK_EQ(errno, EFAULT);
	printf("mman: MADV_DONTNEED, msync, mlock, and I/O into untouched pages ok\n");

	/* Every fork strategy: shared stays shared, private is the child's own. */
	const struct fork_strategy *all[] = { &fork_eager, &fork_cow, &fork_ondemand };
	int *shared = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *priv = mmap(NULL, 2 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(shared != MAP_FAILED && priv != MAP_FAILED);
	priv[0] = 5; /* one page touched, one not */
	for (int s = 0; s < 3; s++) {
		shared[0] = 0;
		fflush(stdout);
		pid_t c = libos_fork(all[s]);
		CHECK(c >= 0);
		if (c == 0) {
			shared[0] = 100 + s;
			int ok = priv[0] == 5 && priv[P / sizeof(int)] == 0;
			priv[0] = 6, priv[P / sizeof(int)] = 7;
			_exit(ok ? 0 : 1);
		}
		CHECK_EQ(status_of(c), 0);
		CHECK_EQ(shared[0], 100 + s);
		CHECK_EQ(priv[0], 5);
		CHECK_EQ(priv[P / sizeof(int)], 0);
	}
	pid_t v = vfork();
	if (v == 0) {
		shared[0] = 99;
		_exit(0);
	}
	CHECK_EQ(status_of(v), 0);
	CHECK_EQ(shared[0], 99);
	printf("mman: shared and private mappings under every fork strategy ok\n");

	/* A /tmp file mapped MAP_SHARED is its data: coherent with read and write, and
	 * with another process's mapping; it outlives unlink. */
	CHECK_EQ(sigaction(SIGBUS, &a, NULL), 0);
	int fd = open("/tmp/mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	static char page[3 * P];
	memset(page, 'x', sizeof page);
	CHECK_EQ(write(fd, page, 2 * P + 100), (ssize_t)(2 * P + 100));
	char *fm = mmap(NULL, 4 * P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(fm != MAP_FAILED);
	CHECK_EQ(fm[0], 'x');
	CHECK_EQ(fm[2 * P + 99], 'x');
	CHECK_EQ(fm[2 * P + 100], 0); /* the rest of the last page */
	fm[5] = 'M';
	char b;
	CHECK_EQ(pread(fd, &b, 1, 5), 1);
	CHECK_EQ(b, 'M');
	CHECK_EQ(pwrite(fd, "W", 1, P + 1), 1);
	CHECK_EQ(fm[P + 1], 'W');
	fault_sig = 0;
	CHECK(faults(fm + 3 * P, false)); /* past the end of the file */
	CHECK_EQ(fault_sig, SIGBUS);
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		int cfd = open("/tmp/mapped", O_RDWR);
		char *cm = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, P);
		_exit(cm != MAP_FAILED && cm[1] == 'W' ? (cm[2] = 'C', 0) : 1);
	}
	CHECK_EQ(status_of(c), 0);
	CHECK_EQ(fm[P + 2], 'C');
	/* MAP_PRIVATE: our writes are our own. */
	char *pm = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(pm != MAP_FAILED && pm[5] == 'M');
	pm[5] = 'p';
	CHECK_EQ(fm[5], 'M');
	CHECK_EQ(pread(fd, &b, 1, 5), 1);
	CHECK_EQ(b, 'M');
	CHECK_EQ(unlink("/tmp/mapped"), 0);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(fm[P + 2], 'C'); /* the data lives while mapped */
	fm[6] = 'z';
	CHECK_EQ(munmap(fm, 4 * P), 0);
	CHECK_EQ(munmap(pm, P), 0);
	/* Access rules. */
	fd = open("/tmp/ro", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_EQ(write(fd, page, P), (ssize_t)P);
	close(fd);
	fd = open("/tmp/ro", O_RDONLY);
	CHECK(mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES);
	char *ro = mmap(NULL, P, PROT_READ, MAP_SHARED, fd, 0);
	CHECK(ro != MAP_FAILED && ro[0] == 'x');
	CHECK_EQ(mprotect(ro, P, PROT_READ | PROT_WRITE), -1);
	CHECK_EQ(errno, EACCES);
	CHECK(faults(ro, true));
	char *rw = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0); /* private: fine */
	CHECK(rw != MAP_FAILED);
	rw[0] = 'q';
	CHECK_EQ(ro[0], 'x');
	close(fd);
	unlink("/tmp/ro");
	CHECK(mmap(NULL, P, PROT_READ, MAP_SHARED, p[0], 0) == MAP_FAILED && errno == ENODEV);
	CHECK(mmap(NULL, P, PROT_READ, MAP_SHARED, 77, 0) == MAP_FAILED && errno == EBADF);
	printf("mman: /tmp files mapped shared (coherent, across processes, past unlink) and private, SIGBUS ok\n");

	/* An initrd file: its bytes, read-only; a private writable map copies on write. */
	fd = open("/bin/hello", O_RDONLY);
	CHECK(fd >= 0);
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	char *em = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(em != MAP_FAILED);
	CHECK(memcmp(em, "\177ELF", 4) == 0);
	static char whole[1 << 20];
	CHECK(st.st_size <= (off_t)sizeof whole);
	CHECK_EQ(pread(fd, whole, (size_t)st.st_size, 0), st.st_size);
	CHECK(memcmp(em, whole, (size_t)st.st_size) == 0);
	/* Not a copy: every whole page is the boot module's own frame (the initrd puts
	 * each file on a page boundary), the last partial one a copy. */
	for (off_t o = 0; o + (off_t)P <= st.st_size; o += P)
		CHECK_EQ(exo_frames[(vpt_lookup((uint64_t)em + (uint64_t)o) & 0x000FFFFFFFFFF000UL) >> 12].owner,
			 FRAME_OWNER_MODULE);
	CHECK(faults(em, true));
	char *ew = mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, P);
	CHECK(ew != MAP_FAILED && memcmp(ew, whole + P, P) == 0);
	CHECK_EQ(exo_frames[(vpt_lookup((uint64_t)ew) & 0x000FFFFFFFFFF000UL) >> 12].owner, FRAME_OWNER_MODULE);
	ew[0] = ~whole[P];
	CHECK(exo_frames[(vpt_lookup((uint64_t)ew) & 0x000FFFFFFFFFF000UL) >> 12].owner > 0); /* copied on write */
	CHECK_EQ(pread(fd, &b, 1, P), 1);
	CHECK_EQ(b, whole[P]);
	CHECK(mmap(NULL, P, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED && errno == EACCES);
	close(fd);
	printf("mman: initrd files mapped ok (the boot module's frames, copied on write)\n");
	check_done("mman");
}
