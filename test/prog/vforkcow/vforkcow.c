/* vforkcow: a vfork child writes to memory that an earlier fork left copy-on-write
 * in its parent (as dash does: a pipeline forks, the next simple command vforks and
 * its child calls malloc before exec), or whose page tables an on-demand fork left
 * read-only and shared. The write must land in the parent's memory, as vfork
 * promises, and not in the other fork's child. And signal dispositions and the mask the child sets before
 * exec stay its own (dash resets SIGINT there), as on Linux. Prints "vforkcow: ok"
 * and exits 0. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fork.h>

static char data[3 * 4096] = { 1 };
static char bss[3 * 4096];

static void on_int(int sig) { (void)sig; }

int main(void)
{
	data[0] = 2, bss[0] = 2;
	static int round; /* (static: vfork returns twice into this frame) */
	for (round = 0; round < 2; round++) {
		static pid_t p;
		p = fork(); /* leaves our pages copy-on-write */
		if (p == 0)
			_exit(0);
		if (round == 0) { /* the first round: the fork child still lives, maps == 2 */
			pid_t v = vfork();
			if (v == 0) {
				data[4096] = 7, bss[4096] = 7;
				char *m = malloc(100000);
				m[0] = 1;
				_exit(0);
			}
			waitpid(v, NULL, 0);
			waitpid(p, NULL, 0);
		} else { /* the second: it has ended, maps == 1 */
			waitpid(p, NULL, 0);
			pid_t v = vfork();
			if (v == 0) {
				data[8192] = 9, bss[8192] = 9;
				char *m = malloc(200000);
				m[0] = 1;
				_exit(0);
			}
			waitpid(v, NULL, 0);
		}
	}
	/* An on-demand fork leaves our page tables read-only, shared with its child;
	 * a vfork child's writes there must still land in our memory, and not in the
	 * on-demand child's. */
	libos_fork_default = libos_fork_strategy("ondemand");
	static int fds[2];
	if (pipe(fds) < 0)
		return 1;
	static pid_t od;
	od = fork();
	if (od == 0) {
		char c;
		close(fds[1]);
		while (read(fds[0], &c, 1) > 0)
			;
		_exit(data[4097] == 0 && bss[4097] == 0 && data[4096] == 7 ? 0 : 1);
	}
	close(fds[0]);
	static pid_t v3;
	v3 = vfork();
	if (v3 == 0) {
		data[4097] = 11, bss[4097] = 11;
		_exit(0);
	}
	waitpid(v3, NULL, 0);
	close(fds[1]);
	int st = -1;
	waitpid(od, &st, 0);
	if (data[4097] != 11 || bss[4097] != 11 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("vforkcow: after an on-demand fork: %d %d, its child's status %#x\n", data[4097], bss[4097], st);
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_int }, old;
	sigaction(SIGINT, &sa, NULL);
	signal(SIGQUIT, SIG_IGN);
	pid_t v = vfork();
	if (v == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, NULL);
		_exit(0);
	}
	waitpid(v, NULL, 0);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	sigaction(SIGINT, NULL, &old);
	if (old.sa_handler != on_int || signal(SIGQUIT, SIG_IGN) != SIG_IGN || sigismember(&now, SIGINT)) {
		printf("vforkcow: the child's signal settings became the parent's\n");
		return 1;
	}
	if (data[4096] != 7 || bss[4096] != 7 || data[8192] != 9 || bss[8192] != 9) {
		printf("vforkcow: the child's writes did not land: %d %d %d %d\n", data[4096], bss[4096], data[8192], bss[8192]);
		return 1;
	}
	printf("vforkcow: ok\n");
	return 0;
}
