/* procdeath: a process that dies at any point must not wedge, leak or corrupt the
 * others. Runs as pid 1 (it controls every environment and carries out kill
 * requests at its safe points). Each part checks, afterwards, that every process
 * is reaped, no environment but ours is left, and the free-frame count is back:
 *  - a pipe's reader sees end of file when the writer is killed (the writer
 *    never closed its end: a survivor releases it);
 *  - kill/reap cycles of children holding files, pipes and dup'ed descriptors;
 *  - a process killed while it holds the file-system or process-table lock: the
 *    next open() and fork() in the system go on;
 *  - kill of a sibling and of a parent (not a descendant: a kill request);
 *  - exec keeps the process's children (kill and waitpid of a child forked
 *    before the exec, from the new image);
 *  - kills at random points of fork under every fork strategy. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "fork.h"
#include "libos.h"
#include "../../../libos/fs.h" /* the shared file state, to count it */
#include "../../../libos/proc.h" /* the process table, to show what is left */

/* What the system holds besides us and the libOS server: free frames plus those
 * charged to us or to the server (our heap and stack, and its, may grow; a frame
 * anyone else keeps is a leak), and the server's file state (blocks, open files,
 * pipes, /tmp files). */
struct holdings {
	uint64_t frames;
	int blocks, files, pipes, inodes;
};
static struct holdings base;

static struct holdings holdings(void)
{
	envid_t srv = PROCTAB->server;
	struct holdings h = { exo_info->free_frames + exo_envs[EXO_ENVX(sys_env_id())].nframes +
			      exo_envs[EXO_ENVX(srv)].nframes, 0, 0, 0, 0 };
	h.blocks = (int)FS->blocks;
	for (int i = 0; i < NFILE; i++)
		h.files += FS->file[i].ref > 0;
	for (int i = 0; i < NPIPE; i++)
		h.pipes += FS->pipe[i].used != 0;
	for (int i = 0; i < NINODE; i++)
		h.inodes += FS->inode[i].used != 0;
	return h;
}

/* Environments alive, from the kernel's table, but the server's console reader
 * (the server itself and we are counted). */
static int live_envs(void)
{
	int n = 0;
	for (int i = 0; i < EXO_NENV; i++)
		n += exo_envs[i].id != 0 && exo_envs[i].id != PROCTAB->tty_reader;
	return n;
}

/* Processes in the table (running or zombie). */
static int live_procs(void)
{
	static struct libos_psinfo ps[64];
	return libos_ps(ps, 64);
}

/* Reap every child that has ended; with block, wait until none is left. */
static void reap_all(void)
{
	int st;
	while (waitpid(-1, &st, 0) > 0)
		;
	CHECK_EQ(errno, ECHILD);
}

/* After a part: nothing left but us (and the server), every frame and every file
 * object back. */
static void check_clean(const char *part)
{
	reap_all();
	for (int i = 0; i < 100 && live_envs() != 2; i++)
		sys_yield(0);
	for (int i = 0; live_envs() != 2 && i < EXO_NENV; i++)
		if (exo_envs[i].id && exo_envs[i].id != (envid_t)sys_env_id() && exo_envs[i].id != PROCTAB->server &&
		    exo_envs[i].id != PROCTAB->tty_reader)
			printf("procdeath: %s: environment %#x left (parent %#x, status %u, flags %#x)\n", part,
			       exo_envs[i].id, exo_envs[i].parent, exo_envs[i].status, exo_envs[i].flags);
	for (int i = 0; live_procs() != 1 && i < NPROC; i++) {
		const struct proc *p = &PROCTAB->p[i];
		if (p->state != PROC_FREE && p->pid != 1)
			printf("procdeath: %s: process %d left (ppid %d, state %u, env %#x%s, started %u, "
			       "status %#x)\n", part, p->pid, p->ppid, p->state, p->env,
			       exo_envs[EXO_ENVX(p->env)].id == p->env ? " alive" : "", p->started, p->wstatus);
	}
	CHECK_EQ(live_envs(), 2);
	CHECK_EQ(live_procs(), 1);
	struct holdings h = holdings();
	for (int i = 0; h.inodes != base.inodes && i < NINODE; i++)
		if (FS->inode[i].used)
			printf("procdeath: %s: /tmp inode %d left: '%s', %u opens, %lu bytes\n", part, i,
			       FS->inode[i].path, FS->inode[i].opens, (unsigned long)FS->inode[i].size);
	CHECK_EQ(h.frames, base.frames);
	CHECK_EQ(h.blocks, base.blocks);
	CHECK_EQ(h.files, base.files);
	CHECK_EQ(h.pipes, base.pipes);
	CHECK_EQ(h.inodes, base.inodes);
	printf("procdeath: %s ok\n", part);
	fflush(stdout);
}

/* A child that blocks for ever (until killed). */
static void __attribute__((noreturn)) hang(void)
{
	for (;;)
		libos_block();
}

/* The environment running process pid now, or 0. */
static envid_t env_of(pid_t pid)
{
	static struct libos_psinfo ps[64];
	int n = libos_ps(ps, 64);
	for (int i = 0; i < n; i++)
		if (ps[i].pid == pid)
			return ps[i].env;
	return 0;
}

/* Wait for pid and return its wait status. */
static int status_of(pid_t pid)
{
	int st = -1;
	pid_t got = waitpid(pid, &st, 0);
	if (got != pid) {
		static struct libos_psinfo ps[64];
		int n = libos_ps(ps, 64);
		printf("procdeath: waitpid(%d) = %d, errno %d; processes:", pid, got, errno);
		for (int i = 0; i < n; i++)
			printf(" %d(ppid %d %c)", ps[i].pid, ps[i].ppid, ps[i].state);
		printf("\n");
	}
	CHECK_EQ(got, pid);
	return st;
}

/* `sleep 100 | wc -c &`, then kill the sleeper: the counter must see end of file. */
static void test_pipe_eof_after_kill(void)
{
	int fds[2];
	CHECK_EQ(pipe(fds), 0);
	pid_t writer = fork();
	CHECK(writer >= 0);
	if (writer == 0) {
		close(fds[0]);
		hang(); /* holds the write end, never closes it */
	}
	pid_t reader = fork();
	CHECK(reader >= 0);
	if (reader == 0) {
		close(fds[1]);
		char buf[64];
		long total = 0, n;
		while ((n = read(fds[0], buf, sizeof buf)) > 0)
			total += n;
		_exit(n == 0 && total == 0 ? 0 : 1);
	}
	close(fds[0]);
	close(fds[1]);
	CHECK_EQ(kill(writer, SIGTERM), 0);
	int st = status_of(writer);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	st = status_of(reader);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	check_clean("pipe reader sees end of file when the writer is killed");
}

/* Children that hold a /tmp file, both ends of a pipe and dup'ed descriptors, killed
 * and reaped over and over: no open file, pipe or frame may leak. */
static void test_kill_reap_cycles(int cycles)
{
	int made = open("/tmp/procdeath", O_CREAT | O_RDWR, 0644);
	CHECK(made >= 0);
	CHECK_EQ(close(made), 0);
	for (int i = 0; i < cycles; i++) {
		pid_t c = fork();
		CHECK(c >= 0);
		if (c == 0) {
			int fds[2];
			if (pipe(fds) < 0)
				_exit(2);
			int f = open("/tmp/procdeath", O_RDWR | O_APPEND);
			if (f < 0 || dup(f) < 0 || dup2(fds[0], 20) < 0 || write(f, "x", 1) != 1)
				_exit(3);
			hang();
		}
		if (i % 2)
			sys_yield(c); /* sometimes killed before it ran, sometimes after */
		CHECK_EQ(kill(c, SIGKILL), 0);
		int st = status_of(c);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	}
	/* Every descriptor came back: a process can still open NOFILE-3 files and
	 * make pipes as before. */
	int fds[2];
	for (int i = 0; i < 20; i++) {
		CHECK_EQ(pipe(fds), 0);
		CHECK_EQ(close(fds[0]), 0);
		CHECK_EQ(close(fds[1]), 0);
	}
	CHECK_EQ(unlink("/tmp/procdeath"), 0);
	check_clean("kill/reap cycles of children holding files and pipes");
}

/* Kill a process that is not our descendant: a sibling, then our parent. */
static void test_kill_non_descendants(void)
{
	pid_t victim = fork();
	CHECK(victim >= 0);
	if (victim == 0)
		hang();
	pid_t killer = fork();
	CHECK(killer >= 0);
	if (killer == 0)
		_exit(kill(victim, SIGTERM) == 0 ? 0 : 1);
	int st = status_of(killer);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = status_of(victim);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	/* A child that kills its parent (our child, which waits for it). */
	pid_t parent = fork();
	CHECK(parent >= 0);
	if (parent == 0) {
		pid_t me = getpid();
		pid_t c = fork();
		if (c == 0)
			_exit(kill(me, SIGHUP) == 0 ? 0 : 1);
		int cst;
		waitpid(c, &cst, 0);
		hang(); /* killed by now or soon: never reaches the exit below */
	}
	st = status_of(parent);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGHUP);
	check_clean("kill of a sibling and of a parent");
}

/* The process forks a child, then execs; the new image kills and reaps it. */
static void test_exec_keeps_children(void)
{
	pid_t p = fork();
	CHECK(p >= 0);
	if (p == 0) {
		pid_t c = fork();
		if (c < 0)
			_exit(2);
		if (c == 0)
			hang();
		char arg[16];
		snprintf(arg, sizeof arg, "%d", c);
		execl("/test/procdeath", "procdeath", "exec-reaper", arg, (char *)0);
		_exit(3);
	}
	int st = status_of(p);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 0);
	check_clean("exec keeps the process's children");
}

/* The new image (argv[2] = the child's pid): kill it, reap it. */
static int exec_reaper(const char *pidtext)
{
	pid_t c = (pid_t)atoi(pidtext);
	if (kill(c, SIGTERM) != 0)
		return 4;
	int st;
	if (waitpid(c, &st, 0) != c || !WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM)
		return 5;
	return waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD ? 0 : 6;
}

/* A child that works the shared file state as fast as it can: /tmp files made,
 * written, read, removed; pipes made, written, read, closed; descriptors dup'ed. */
static void __attribute__((noreturn)) fs_worker(int k)
{
	char name[32], buf[6000];
	memset(buf, 'a' + k % 26, sizeof buf);
	snprintf(name, sizeof name, "/tmp/pdk-%d", k);
	for (int round = 0;; round++) {
		int f = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
		int fds[2] = { -1, -1 };
		if (f >= 0) {
			write(f, buf, (size_t)(round % 3) * 2500 + 1);
			lseek(f, 0, SEEK_SET);
			read(f, buf, 100);
			int g = dup(f);
			close(f);
			if (g >= 0)
				close(g);
		}
		if (pipe(fds) == 0) {
			write(fds[1], buf, 700);
			read(fds[0], buf, 300);
			close(fds[1]);
			close(fds[0]);
		}
		if (round % 2)
			unlink(name);
	}
}

/* Kill file-system workers at random points of their calls, then check that every
 * open file, pipe, data block and /tmp file they held or half made is back (the fs
 * lock taken over from a dead holder repairs the shared state). */
static void test_kill_during_fs_calls(int rounds)
{
	uint64_t rng = 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < rounds; i++) {
		pid_t w = fork();
		CHECK(w >= 0);
		if (w == 0)
			fs_worker(i);
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		for (uint64_t k = rng % 40; k > 0; k--)
			sys_yield(0);
		envid_t wenv = env_of(w);
		CHECK_EQ(kill(w, SIGKILL), 0);
		int st = status_of(w);
		CHECK(WIFSIGNALED(st));
		CHECK(wenv && exo_envs[EXO_ENVX(wenv)].id != wenv); /* it is gone */
		char name[32];
		snprintf(name, sizeof name, "/tmp/pdk-%d", i);
		int r = unlink(name); /* what the worker left: whole, or gone */
		CHECK(r == 0 || errno == ENOENT);
		CHECK_EQ(open(name, O_RDONLY), -1); /* and it stays gone */
	}
	/* Everything still works, and nothing is held. */
	int f = open("/tmp/pdk-check", O_CREAT | O_RDWR, 0644);
	CHECK(f >= 0);
	CHECK_EQ(write(f, "0123456789", 10), 10);
	CHECK_EQ(lseek(f, 0, SEEK_SET), 0);
	char b[10];
	CHECK_EQ(read(f, b, 10), 10);
	CHECK_EQ(memcmp(b, "0123456789", 10), 0);
	CHECK_EQ(close(f), 0);
	CHECK_EQ(unlink("/tmp/pdk-check"), 0);
	char part[80];
	snprintf(part, sizeof part, "%d kills during file and pipe calls", rounds);
	check_clean(part);
}

/* Kill a process at random points while it forks (and its children exit). */
static void test_kill_during_fork(const struct fork_strategy *s, int rounds)
{
	uint64_t rng = 88172645463325252ULL;
	for (int i = 0; i < rounds; i++) {
		pid_t f = fork();
		CHECK(f >= 0);
		if (f == 0) {
			for (;;) {
				pid_t g = libos_fork(s);
				if (g == 0)
					_exit(0);
				if (g > 0)
					waitpid(g, NULL, 0);
			}
		}
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		for (uint64_t k = rng % 24; k > 0; k--)
			sys_yield(0);
		CHECK_EQ(kill(f, SIGKILL), 0);
		int st = status_of(f); /* (WIFSIGNALED evaluates its argument twice) */
		CHECK(WIFSIGNALED(st));
		reap_all();
	}
	char part[80];
	snprintf(part, sizeof part, "%d kills during fork (%s)", rounds, s->name);
	check_clean(part);
}

/* Grow our stack now (it grows on demand), so that later frames count leaks only. */
static void __attribute__((noinline)) grow_stack(void)
{
	volatile char pad[64 * 1024];
	for (size_t i = 0; i < sizeof pad; i += 4096)
		pad[i] = 1;
}

/* A stress worker: random file, pipe, fork, exec, kill and wait operations, for
 * ever (until killed). Its children exec /bin/true, exit, or hang until killed. */
static void __attribute__((noreturn)) stress_worker(int k, uint64_t seed)
{
	char name[32], buf[3000];
	uint64_t rng = seed | 1;
	pid_t kids[8];
	int nk = 0;
	for (;;) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		snprintf(name, sizeof name, "/tmp/st-%d-%d", k, (int)(rng % 4));
		switch (rng % 7) {
		case 0: { /* a /tmp file */
			int f = open(name, O_CREAT | O_RDWR | ((rng >> 8) & 1 ? O_TRUNC : O_APPEND), 0644);
			if (f >= 0) {
				memset(buf, 'a' + k, sizeof buf);
				write(f, buf, (size_t)(rng >> 16) % sizeof buf);
				close(f);
			}
			break;
		}
		case 1: /* remove one */
			unlink(name);
			break;
		case 2: { /* a pipe to a child that writes into it */
			int fds[2];
			if (pipe(fds) < 0)
				break;
			pid_t c = fork();
			if (c == 0) {
				close(fds[0]);
				write(fds[1], "pipe data", 9);
				_exit(0);
			}
			close(fds[1]);
			while (read(fds[0], buf, sizeof buf) > 0)
				;
			close(fds[0]);
			if (c > 0)
				waitpid(c, NULL, 0);
			break;
		}
		case 3: { /* a child that execs /bin/true, or hangs */
			pid_t c = fork();
			if (c == 0) {
				if ((rng >> 20) & 1)
					execl("/bin/true", "true", (char *)0);
				hang();
			}
			if (c > 0 && nk < 8)
				kids[nk++] = c;
			else if (c > 0)
				kill(c, SIGKILL);
			break;
		}
		case 4: /* kill a child */
			if (nk)
				kill(kids[--nk], (rng >> 24) & 1 ? SIGKILL : SIGTERM);
			break;
		case 5: /* reap what ended */
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			break;
		default: /* a dup'ed descriptor held for a while */
			if (dup(0) >= 0 && (rng >> 30) % 3 == 0)
				close((int)((rng >> 32) % 20) + 3);
			break;
		}
	}
}

/* Rounds of 8 stress workers killed at random points; after each round (every
 * worker and what it made reaped) the checker finds nothing left behind. */
static void test_stress(int rounds)
{
	uint64_t rng = 0xD1B54A32D192ED03ULL;
	for (int r = 0; r < rounds; r++) {
		pid_t w[8];
		for (int k = 0; k < 8; k++) {
			w[k] = fork();
			CHECK(w[k] >= 0);
			if (w[k] == 0)
				stress_worker(k, rng + (uint64_t)k * 7919 + (uint64_t)r * 104729);
		}
		for (int k = 0; k < 8; k++) {
			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			for (uint64_t y = rng % 30; y > 0; y--)
				sys_yield(0);
			CHECK_EQ(kill(w[k], (rng >> 8) & 1 ? SIGKILL : SIGTERM), 0);
		}
		for (int k = 0; k < 8; k++) {
			int st = status_of(w[k]);
			CHECK(WIFSIGNALED(st));
		}
		/* Their children went to us: end the ones that hang, reap all. */
		static struct libos_psinfo ps[64];
		int n = libos_ps(ps, 64);
		for (int i = 0; i < n; i++)
			if (ps[i].pid != 1 && ps[i].state == 'R')
				kill(ps[i].pid, SIGKILL);
		reap_all();
		for (int k = 0; k < 8; k++)
			for (int j = 0; j < 4; j++) {
				char name[32];
				snprintf(name, sizeof name, "/tmp/st-%d-%d", k, j);
				unlink(name);
			}
		char part[80];
		snprintf(part, sizeof part, "stress round %d", r + 1);
		if (r + 1 == rounds || (r + 1) % 10 == 0)
			check_clean(part);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "exec-reaper"))
		return exec_reaper(argv[2]);
	int cycles = argc > 1 ? atoi(argv[1]) : 300, forks = argc > 2 ? atoi(argv[2]) : 100;
	CHECK_EQ(getpid(), 1);
	/* Settle the libOS (stdio buffers, the process table) before the baseline. */
	pid_t warm = fork();
	if (warm == 0)
		_exit(0);
	status_of(warm);
	grow_stack();
	base = holdings();
	test_pipe_eof_after_kill();
	test_kill_reap_cycles(cycles);
	test_kill_during_fs_calls(argc > 3 ? atoi(argv[3]) : forks);
	test_kill_non_descendants();
	test_exec_keeps_children();
	test_kill_during_fork(&fork_cow, forks);
	test_kill_during_fork(&fork_eager, forks);
	test_kill_during_fork(&fork_ondemand, forks);
	test_stress(argc > 4 ? atoi(argv[4]) : 20);
	check_done("procdeath");
}
