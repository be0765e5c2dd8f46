/* signals [probe]: POSIX signals as the libOS delivers them, one section per rule.
 * With "probe" it reports (as its exit code) what exec kept of its signal state. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../check.h"
#include "libos.h"

static volatile sig_atomic_t got, got_sig, got_code, got_pid, got_status, depth, max_depth;
static void *volatile got_addr;
static volatile uint64_t got_mask;

static void on_sig(int sig)
{
	got++;
	got_sig = sig;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got++;
	got_sig = sig;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_status = si->si_status;
	got_addr = si->si_addr;
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	got_mask = (uint64_t)now;
}

static void catch(int sig, void (*h)(int), int flags)
{
	struct sigaction a = { .sa_handler = h, .sa_flags = flags };
	sigemptyset(&a.sa_mask);
	CHECK_EQ(sigaction(sig, &a, NULL), 0);
}

static void catch_info(int sig, int flags)
{
	struct sigaction a = { .sa_sigaction = on_info, .sa_flags = SA_SIGINFO | flags };
	sigemptyset(&a.sa_mask);
	CHECK_EQ(sigaction(sig, &a, NULL), 0);
}

static int status_of(pid_t p)
{
	int st = -1;
	CHECK_EQ(waitpid(p, &st, 0), p);
	return st;
}

static void section(const char *name)
{
	printf("signals: %s ok\n", name);
	fflush(stdout);
}

/* The API itself: sigaction's errors and old values, raise, masks, sets. */
static void test_api(void)
{
	struct sigaction a = { .sa_handler = on_sig }, old;
	CHECK_EQ(sigaction(0, &a, NULL), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sigaction(NSIG, &a, NULL), -1);
	CHECK_EQ(sigaction(SIGKILL, &a, NULL), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sigaction(SIGSTOP, &a, NULL), -1);
	CHECK_EQ(sigaction(SIGUSR1, &a, NULL), 0);
	CHECK_EQ(sigaction(SIGUSR1, NULL, &old), 0);
	CHECK(old.sa_handler == on_sig);
	CHECK(signal(SIGUSR1, SIG_DFL) == on_sig);
	CHECK(signal(SIGKILL, SIG_IGN) == SIG_ERR);
	sigset_t s;
	CHECK_EQ(sigemptyset(&s), 0);
	CHECK_EQ(sigaddset(&s, SIGUSR2), 0);
	CHECK_EQ(sigismember(&s, SIGUSR2), 1);
	CHECK_EQ(sigismember(&s, SIGUSR1), 0);
	CHECK_EQ(sigaddset(&s, 0), -1);
	CHECK_EQ(sigprocmask(99, &s, NULL), -1);
	CHECK_EQ(errno, EINVAL);
	/* raise runs the handler before it returns, with the signal blocked. */
	catch_info(SIGUSR1, 0);
	got = 0;
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(got, 1);
	CHECK_EQ(got_sig, SIGUSR1);
	CHECK_EQ(got_code, SI_USER);
	CHECK_EQ(got_pid, getpid());
	CHECK(got_mask & (1ULL << SIGUSR1));
	sigset_t now;
	CHECK_EQ(sigprocmask(SIG_BLOCK, NULL, &now), 0);
	CHECK(!sigismember(&now, SIGUSR1)); /* restored after the handler */
	/* Blocked: pending until unblocked, then delivered before sigprocmask returns. */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &s, NULL), 0);
	got = 0;
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(got, 0);
	sigset_t pend;
	CHECK_EQ(sigpending(&pend), 0);
	CHECK(sigismember(&pend, SIGUSR1));
	CHECK_EQ(sigprocmask(SIG_UNBLOCK, &s, NULL), 0);
	CHECK_EQ(got, 1);
	CHECK_EQ(sigpending(&pend), 0);
	CHECK(!sigismember(&pend, SIGUSR1));
	/* SIGKILL and SIGSTOP cannot be blocked. */
	sigfillset(&s);
	CHECK_EQ(sigprocmask(SIG_SETMASK, &s, NULL), 0);
	CHECK_EQ(sigprocmask(SIG_SETMASK, NULL, &now), 0);
	CHECK(!sigismember(&now, SIGKILL) && !sigismember(&now, SIGSTOP));
	sigemptyset(&s);
	CHECK_EQ(sigprocmask(SIG_SETMASK, &s, NULL), 0);
	/* SA_RESETHAND: once, then the default. SA_NODEFER: not blocked in the handler. */
	catch_info(SIGUSR2, SA_RESETHAND | SA_NODEFER);
	got = 0;
	raise(SIGUSR2);
	CHECK_EQ(got, 1);
	CHECK(!(got_mask & (1ULL << SIGUSR2)));
	CHECK_EQ(sigaction(SIGUSR2, NULL, &old), 0);
	CHECK(old.sa_handler == SIG_DFL);
	/* sa_mask is blocked while the handler runs. */
	struct sigaction m = { .sa_sigaction = on_info, .sa_flags = SA_SIGINFO };
	sigemptyset(&m.sa_mask);
	sigaddset(&m.sa_mask, SIGHUP);
	CHECK_EQ(sigaction(SIGUSR1, &m, NULL), 0);
	raise(SIGUSR1);
	CHECK(got_mask & (1ULL << SIGHUP));
	/* SIG_IGN drops it; an ignored pending signal is discarded. */
	signal(SIGUSR1, SIG_IGN);
	got = 0;
	raise(SIGUSR1);
	CHECK_EQ(got, 0);
	signal(SIGUSR1, SIG_DFL);
	CHECK(strsignal(SIGINT) != NULL);
	fflush(stdout);
	psignal(SIGTERM, "signals: psignal");
	section("sigaction, raise, masks, pending, SA_RESETHAND, SA_NODEFER, sa_mask");
}

/* A child spinning in user code is interrupted; its handler runs at once. */
static volatile sig_atomic_t spin_flag;
static void on_spin(int sig)
{
	(void)sig;
	spin_flag = 1;
}

static void test_async(void)
{
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		catch(SIGUSR1, on_spin, 0);
		while (!spin_flag)
			; /* no libOS call: only an interrupt gets us out */
		_exit(7);
	}
	usleep(20000);
	CHECK_EQ(kill(c, SIGUSR1), 0);
	int st = status_of(c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	/* A child blocking every signal and spinning still dies of SIGKILL. */
	c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		for (;;)
			;
	}
	usleep(20000);
	CHECK_EQ(kill(c, SIGTERM), 0); /* blocked: stays pending */
	usleep(20000);
	CHECK_EQ(waitpid(c, NULL, WNOHANG), 0);
	CHECK_EQ(kill(c, SIGSTOP), 0); /* SIGSTOP stops it too */
	CHECK_EQ(waitpid(c, &st, WUNTRACED), c);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK_EQ(kill(c, SIGKILL), 0);
	st = status_of(c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	section("a spinning process is interrupted; SIGSTOP and SIGKILL stop and end one that blocks everything");
}

/* Handlers entered through a frame right after fork, while the signal state's
 * pages are copy-on-write (the upcall handler must not fault on them): a parent
 * spinning in user code gets each child's SIGCHLD. */
static volatile sig_atomic_t chld;
static void on_chld(int sig)
{
	(void)sig;
	chld++;
}

static void test_after_fork(void)
{
	catch(SIGCHLD, on_chld, 0);
	chld = 0;
	for (int i = 0; i < 20; i++) {
		fflush(stdout);
		pid_t c = fork();
		CHECK(c >= 0);
		if (c == 0)
			_exit(0);
		while (chld <= i)
			; /* no libOS call: the handler comes by interrupt */
		CHECK_EQ(status_of(c), 0);
	}
	CHECK_EQ(chld, 20);
	signal(SIGCHLD, SIG_DFL);
	section("handlers by interrupt right after fork (copy-on-write signal state)");
}

/* Default actions: end, end with a core flag, ignore; SIG_IGN. */
static void test_defaults(void)
{
	int sigs[] = { SIGTERM, SIGQUIT, SIGUSR1, SIGSEGV, SIGALRM, SIGHUP };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		fflush(stdout);
		pid_t c = fork();
		CHECK(c >= 0);
		if (c == 0) {
			for (;;)
				pause();
		}
		CHECK_EQ(kill(c, sigs[i]), 0);
		int st = status_of(c);
		CHECK(WIFSIGNALED(st));
		CHECK_EQ(WTERMSIG(st), sigs[i]);
		CHECK_EQ(WCOREDUMP(st), sigs[i] == SIGQUIT || sigs[i] == SIGSEGV);
	}
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		signal(SIGTERM, SIG_IGN);
		raise(SIGCHLD); /* ignored by default */
		raise(SIGURG);
		raise(SIGWINCH);
		raise(SIGCONT);
		kill(getpid(), SIGTERM);
		usleep(10000);
		_exit(3);
	}
	int st = status_of(c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	section("default actions (end, core, ignore) and SIG_IGN");
}

/* EINTR without SA_RESTART, restart with it: a pipe read, waitpid, nanosleep. */
static void test_eintr(void)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		char b[8];
		catch(SIGUSR1, on_sig, 0);
		ssize_t r = read(p[0], b, sizeof b);
		if (r != -1 || errno != EINTR || got != 1)
			_exit(1);
		catch(SIGUSR1, on_sig, SA_RESTART);
		r = read(p[0], b, sizeof b); /* interrupted, restarted, then gets "x" */
		if (r != 1 || b[0] != 'x' || got != 2)
			_exit(2);
		struct timespec ts = { 5, 0 }, rem;
		if (nanosleep(&ts, &rem) != -1 || errno != EINTR || rem.tv_sec < 3)
			_exit(3);
		_exit(0);
	}
	usleep(30000);
	CHECK_EQ(kill(c, SIGUSR1), 0);
	usleep(30000);
	CHECK_EQ(kill(c, SIGUSR1), 0);
	usleep(30000);
	CHECK_EQ(write(p[1], "x", 1), 1);
	usleep(30000);
	CHECK_EQ(kill(c, SIGUSR1), 0); /* nanosleep: EINTR even with SA_RESTART */
	CHECK_EQ(status_of(c), 0);
	/* waitpid interrupted by a handler without SA_RESTART. */
	catch(SIGALRM, on_sig, 0);
	fflush(stdout);
	pid_t slow = fork();
	CHECK(slow >= 0);
	if (slow == 0) {
		sleep(2);
		_exit(0);
	}
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	got = 0;
	CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
	CHECK_EQ(waitpid(slow, NULL, 0), -1);
	CHECK_EQ(errno, EINTR);
	CHECK_EQ(got, 1);
	CHECK_EQ(kill(slow, SIGKILL), 0);
	status_of(slow);
	close(p[0]);
	close(p[1]);
	section("EINTR and SA_RESTART (pipe read, waitpid, nanosleep)");
}

/* Timers: alarm with pause, setitimer with an interval, getitimer. */
static void test_timers(void)
{
	catch(SIGALRM, on_sig, 0);
	got = 0;
	CHECK_EQ(alarm(1), 0);
	CHECK(alarm(1) >= 1); /* the old one had time left */
	CHECK_EQ(pause(), -1);
	CHECK_EQ(errno, EINTR);
	CHECK_EQ(got, 1);
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, now;
	got = 0;
	CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
	CHECK_EQ(getitimer(ITIMER_REAL, &now), 0);
	CHECK(now.it_interval.tv_usec > 0);
	while (got < 3)
		pause();
	it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	CHECK_EQ(setitimer(ITIMER_REAL, &it, NULL), 0);
	CHECK_EQ(setitimer(ITIMER_VIRTUAL, &it, NULL), -1);
	section("alarm, pause, setitimer, getitimer");
}

/* CPU faults: a SIGSEGV handler with si_addr leaves with siglongjmp; one that
 * fixes the cause returns. SIGFPE for a division by zero. */
static sigjmp_buf jb;
static void on_segv_jump(int sig, siginfo_t *si, void *uc)
{
	on_info(sig, si, uc);
	siglongjmp(jb, 1);
}

#define FIXPAGE 0x30000000UL
static void on_segv_fix(int sig, siginfo_t *si, void *uc)
{
	on_info(sig, si, uc);
	sys_page_alloc(0, (long)FIXPAGE, PTE_W | PTE_NX);
}

static void test_faults(void)
{
	struct sigaction a = { .sa_sigaction = on_segv_jump, .sa_flags = SA_SIGINFO };
	sigemptyset(&a.sa_mask);
	CHECK_EQ(sigaction(SIGSEGV, &a, NULL), 0);
	got = 0;
	if (sigsetjmp(jb, 1) == 0) {
		volatile int *bad = (volatile int *)(uintptr_t)0x1234;
		__asm__ volatile("" : "+r"(bad));
		*bad = 1;
		CHECK(0);
	}
	CHECK_EQ(got, 1);
	CHECK_EQ(got_sig, SIGSEGV);
	CHECK(got_addr == (void *)0x1234);
	CHECK_EQ(got_code, SEGV_MAPERR);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK(!sigismember(&now, SIGSEGV)); /* siglongjmp restored the mask */
	jmp_buf plain; /* _setjmp/_longjmp: the mask is not theirs */
	volatile int passes = 0;
	if (_setjmp(plain) == 0) {
		passes++;
		_longjmp(plain, 1);
	}
	CHECK_EQ(passes, 1);
	a.sa_sigaction = on_segv_fix;
	CHECK_EQ(sigaction(SIGSEGV, &a, NULL), 0);
	volatile int *fix = (volatile int *)(uintptr_t)FIXPAGE;
	__asm__ volatile("" : "+r"(fix));
	*fix = 42; /* faults, the handler maps it, the store is redone */
	CHECK_EQ(*fix, 42);
	signal(SIGSEGV, SIG_DFL);
	a.sa_sigaction = on_segv_jump;
	CHECK_EQ(sigaction(SIGFPE, &a, NULL), 0);
	if (sigsetjmp(jb, 1) == 0) {
		int z = 0, q;
		__asm__ volatile("cltd; idivl %1" : "=a"(q) : "r"(z), "a"(1) : "edx"); /* 1 / 0 */
		(void)q;
		CHECK(0);
	}
	CHECK_EQ(got_sig, SIGFPE);
	CHECK_EQ(got_code, FPE_INTDIV);
	signal(SIGFPE, SIG_DFL);
	/* SIGILL (ud2) and SIGTRAP (int3) reach handlers too, with si_addr the rip. */
	CHECK_EQ(sigaction(SIGILL, &a, NULL), 0);
	if (sigsetjmp(jb, 1) == 0) {
		__asm__ volatile("ud2");
		CHECK(0);
	}
	CHECK_EQ(got_sig, SIGILL);
	CHECK_EQ(got_code, ILL_ILLOPC);
	CHECK(got_addr != NULL);
	signal(SIGILL, SIG_DFL);
	CHECK_EQ(sigaction(SIGTRAP, &a, NULL), 0);
	if (sigsetjmp(jb, 1) == 0) {
		__asm__ volatile("int3");
		CHECK(0);
	}
	CHECK_EQ(got_sig, SIGTRAP);
	signal(SIGTRAP, SIG_DFL);
	/* Without a handler the fault ends the process, with a core flag. */
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		volatile int *bad = (volatile int *)(uintptr_t)8;
		__asm__ volatile("" : "+r"(bad));
		*bad = 1;
	}
	int st = status_of(c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && WCOREDUMP(st));
	section("faults as signals: si_addr, siglongjmp out, fix and return, SIGFPE, SIGILL, SIGTRAP, default core");
}

/* An alternate stack takes a handler for a stack overflow. */
static char altmem[16384];
static volatile uint64_t handler_sp;
static void on_overflow(int sig, siginfo_t *si, void *uc)
{
	handler_sp = (uint64_t)__builtin_frame_address(0);
	on_segv_jump(sig, si, uc);
}
static volatile int forever = 1;
static int __attribute__((noinline)) recurse(int n)
{
	volatile char pad[4096];
	pad[0] = (char)n;
	return forever ? recurse(n + 1) + pad[0] : 0;
}

static void test_altstack(void)
{
	stack_t ss = { .ss_sp = altmem, .ss_size = sizeof altmem, .ss_flags = 0 }, old;
	CHECK_EQ(sigaltstack(&ss, &old), 0);
	CHECK(old.ss_flags & SS_DISABLE);
	struct sigaction a = { .sa_sigaction = on_overflow, .sa_flags = SA_SIGINFO | SA_ONSTACK };
	sigemptyset(&a.sa_mask);
	CHECK_EQ(sigaction(SIGSEGV, &a, NULL), 0);
	got = 0;
	fflush(stdout);
	if (sigsetjmp(jb, 1) == 0)
		recurse(0);
	CHECK_EQ(got_sig, SIGSEGV);
	CHECK(handler_sp > (uint64_t)altmem && handler_sp <= (uint64_t)altmem + sizeof altmem);
	signal(SIGSEGV, SIG_DFL);
	ss.ss_flags = SS_DISABLE;
	CHECK_EQ(sigaltstack(&ss, NULL), 0);
	ss.ss_flags = 0, ss.ss_size = 100;
	CHECK_EQ(sigaltstack(&ss, NULL), -1);
	CHECK_EQ(errno, ENOMEM);
	section("sigaltstack: a stack overflow handled on the alternate stack");
}

/* SIGCHLD with its siginfo; SA_NOCLDWAIT reaps for us. */
static void test_sigchld(void)
{
	catch_info(SIGCHLD, 0);
	got = 0;
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0)
		_exit(9);
	while (!got)
		pause();
	CHECK_EQ(got_sig, SIGCHLD);
	CHECK_EQ(got_pid, c);
	CHECK_EQ(got_code, CLD_EXITED);
	CHECK_EQ(got_status, 9);
	CHECK_EQ(WEXITSTATUS(status_of(c)), 9);
	struct sigaction a = { .sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT };
	sigemptyset(&a.sa_mask);
	CHECK_EQ(sigaction(SIGCHLD, &a, NULL), 0);
	c = fork();
	CHECK(c >= 0);
	if (c == 0)
		_exit(1);
	CHECK_EQ(waitpid(c, NULL, 0), -1); /* reaped without us */
	CHECK_EQ(errno, ECHILD);
	signal(SIGCHLD, SIG_DFL);
	section("SIGCHLD with si_pid/si_code/si_status, SA_NOCLDWAIT");
}

/* Stop and continue: WUNTRACED, WCONTINUED, SIGCHLD for them unless SA_NOCLDSTOP. */
static void test_stop_cont(void)
{
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		for (;;)
			;
	}
	usleep(10000);
	CHECK_EQ(kill(c, SIGSTOP), 0);
	int st;
	CHECK_EQ(waitpid(c, &st, WUNTRACED), c);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	CHECK_EQ(waitpid(c, &st, WUNTRACED | WNOHANG), 0); /* reported once */
	CHECK_EQ(kill(c, SIGCONT), 0);
	CHECK_EQ(waitpid(c, &st, WCONTINUED), c);
	CHECK(WIFCONTINUED(st));
	/* SA_NOCLDSTOP: no SIGCHLD for the stop (nor the continue). */
	struct sigaction nc = { .sa_sigaction = on_info, .sa_flags = SA_SIGINFO | SA_NOCLDSTOP };
	sigemptyset(&nc.sa_mask);
	CHECK_EQ(sigaction(SIGCHLD, &nc, NULL), 0);
	got = 0;
	CHECK_EQ(kill(c, SIGSTOP), 0);
	CHECK_EQ(waitpid(c, &st, WUNTRACED), c);
	CHECK_EQ(kill(c, SIGCONT), 0);
	CHECK_EQ(waitpid(c, &st, WCONTINUED), c);
	CHECK_EQ(got, 0);
	nc.sa_flags = SA_SIGINFO; /* without it: SIGCHLD with CLD_STOPPED */
	CHECK_EQ(sigaction(SIGCHLD, &nc, NULL), 0);
	CHECK_EQ(kill(c, SIGSTOP), 0);
	CHECK_EQ(waitpid(c, &st, WUNTRACED), c);
	CHECK_EQ(got, 1);
	CHECK_EQ(got_code, CLD_STOPPED);
	CHECK_EQ(got_status, SIGSTOP);
	signal(SIGCHLD, SIG_DFL);
	CHECK_EQ(kill(c, SIGCONT), 0);
	CHECK_EQ(waitpid(c, &st, WCONTINUED), c);
	CHECK_EQ(kill(c, SIGTSTP), 0); /* default: stop */
	CHECK_EQ(waitpid(c, &st, WUNTRACED), c);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
	CHECK_EQ(kill(c, SIGKILL), 0); /* ends a stopped process too */
	st = status_of(c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* A process stopped while blocked in a pipe read stays stopped when data comes. */
	int p[2];
	CHECK_EQ(pipe(p), 0);
	c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		char b;
		_exit(read(p[0], &b, 1) == 1 ? b : 0);
	}
	usleep(20000);
	CHECK_EQ(kill(c, SIGSTOP), 0);
	CHECK_EQ(waitpid(c, &st, WUNTRACED), c);
	CHECK_EQ(write(p[1], "z", 1), 1);
	usleep(30000);
	CHECK_EQ(waitpid(c, &st, WNOHANG), 0);
	CHECK_EQ(kill(c, SIGCONT), 0);
	st = status_of(c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 'z');
	close(p[0]);
	close(p[1]);
	section("stop and continue: WUNTRACED, WCONTINUED, SA_NOCLDSTOP, SIGTSTP, SIGKILL of a stopped process");
}

/* fork keeps handlers and the mask; exec resets handlers, keeps SIG_IGN and the mask. */
static int probe(void)
{
	struct sigaction a;
	sigset_t m;
	sigaction(SIGUSR1, NULL, &a);
	int r = a.sa_handler == SIG_IGN ? 1 : 0;
	sigaction(SIGUSR2, NULL, &a);
	r |= a.sa_handler == SIG_DFL ? 2 : 0;
	sigprocmask(SIG_BLOCK, NULL, &m);
	r |= sigismember(&m, SIGHUP) ? 4 : 0;
	sigset_t pend;
	sigpending(&pend);
	r |= sigismember(&pend, SIGHUP) ? 8 : 0;
	return r;
}

static void test_fork_exec(void)
{
	catch(SIGUSR2, on_sig, 0);
	signal(SIGUSR1, SIG_IGN);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGHUP);
	sigprocmask(SIG_BLOCK, &m, NULL);
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		struct sigaction a;
		sigaction(SIGUSR2, NULL, &a);
		sigset_t now, pend;
		sigprocmask(SIG_BLOCK, NULL, &now);
		sigpending(&pend);
		if (a.sa_handler != on_sig || !sigismember(&now, SIGHUP) || sigismember(&pend, SIGHUP))
			_exit(1);
		raise(SIGHUP); /* pending across exec */
		execl("/test/signals", "signals", "probe", (char *)0);
		_exit(2);
	}
	CHECK_EQ(WEXITSTATUS(status_of(c)), 15);
	sigprocmask(SIG_UNBLOCK, &m, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	section("fork keeps handlers and mask; exec resets handlers, keeps SIG_IGN, mask, pending");
}

/* Process groups and sessions, and kill of a group. */
static void test_groups(void)
{
	CHECK_EQ(getpgrp(), getpgid(0));
	CHECK_EQ(getsid(0), getsid(getpid()));
	CHECK_EQ(getpgid(999999), -1);
	CHECK_EQ(errno, ESRCH);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t a = fork();
	CHECK(a >= 0);
	if (a == 0) {
		close(p[1]);
		char b;
		read(p[0], &b, 1); /* wait until the group is made */
		for (;;)
			pause();
	}
	CHECK_EQ(setpgid(a, a), 0);
	pid_t b = fork();
	CHECK(b >= 0);
	if (b == 0) {
		for (;;)
			pause();
	}
	CHECK_EQ(setpgid(b, a), 0);
	CHECK_EQ(getpgid(a), a);
	CHECK_EQ(getpgid(b), a);
	CHECK_EQ(setpgid(b, 424242), -1);
	CHECK_EQ(errno, EPERM);
	CHECK_EQ(killpg(a, SIGTERM), 0);
	int st = status_of(a);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	st = status_of(b);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	CHECK_EQ(kill(-a, 0), -1);
	CHECK_EQ(errno, ESRCH);
	/* setsid: a new session and group; a group leader may not. */
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		pid_t s = setsid();
		if (s != getpid() || getsid(0) != s || getpgrp() != s || setsid() != -1 || errno != EPERM)
			_exit(1);
		_exit(0);
	}
	CHECK_EQ(status_of(c), 0);
	/* kill(0, sig): our own group (a child in it catches it). */
	catch(SIGUSR1, on_sig, 0);
	got = 0;
	c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		got = 0;
		while (!got)
			pause();
		_exit(5);
	}
	usleep(20000);
	CHECK_EQ(kill(0, SIGUSR1), 0);
	CHECK_EQ(got, 1);
	CHECK_EQ(WEXITSTATUS(status_of(c)), 5);
	signal(SIGUSR1, SIG_DFL);
	/* kill(-1, sig): every process but init and us (a child catches it here). */
	pid_t me1 = getpid();
	got = 0;
	c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		catch(SIGUSR2, on_sig, 0);
		kill(me1, SIGUSR1); /* ready */
		while (!got)
			pause();
		_exit(got_sig == SIGUSR2 ? 6 : 1);
	}
	catch(SIGUSR1, on_sig, 0);
	while (!got)
		pause();
	signal(SIGUSR2, SIG_IGN); /* we are spared anyway; init (pid 1) is us here */
	CHECK_EQ(kill(-1, SIGUSR2), 0);
	CHECK_EQ(WEXITSTATUS(status_of(c)), 6);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	CHECK_EQ(tcgetpgrp(0), getpgrp());
	CHECK_EQ(tcsetpgrp(0, getpgrp()), 0);
	CHECK_EQ(tcsetpgrp(p[0], getpgrp()), -1);
	CHECK_EQ(errno, ENOTTY);
	close(p[0]);
	close(p[1]);
	section("process groups, sessions, killpg, kill(0), kill(-1), tcgetpgrp/tcsetpgrp");
}

/* sigsuspend, sigwait, SIGPIPE. */
static void test_wait_calls(void)
{
	sigset_t m, old;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, &old);
	catch(SIGUSR1, on_sig, 0);
	got = 0;
	pid_t me = getpid();
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		usleep(20000);
		kill(me, SIGUSR1);
		usleep(20000);
		kill(me, SIGUSR1);
		_exit(0);
	}
	CHECK_EQ(sigsuspend(&old), -1);
	CHECK_EQ(errno, EINTR);
	CHECK_EQ(got, 1);
	int sig = 0;
	CHECK_EQ(sigwait(&m, &sig), 0); /* the second one, taken without its handler */
	CHECK_EQ(sig, SIGUSR1);
	CHECK_EQ(got, 1);
	status_of(c);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	/* SIGPIPE: ends a writer by default; ignored, the write fails with EPIPE. */
	int p[2];
	CHECK_EQ(pipe(p), 0);
	close(p[0]);
	c = fork();
	CHECK(c >= 0);
	if (c == 0)
		_exit(write(p[1], "x", 1) == -1 ? 1 : 2);
	int st = status_of(c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE);
	signal(SIGPIPE, SIG_IGN);
	CHECK_EQ(write(p[1], "x", 1), -1);
	CHECK_EQ(errno, EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	section("sigsuspend, sigwait, SIGPIPE");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "probe") == 0)
		return probe();
	test_api();
	test_async();
	test_after_fork();
	test_defaults();
	test_eintr();
	test_timers();
	test_faults();
	test_altstack();
	test_sigchld();
	test_stop_cont();
	test_fork_exec();
	test_groups();
	test_wait_calls();
	check_done("signals");
}
