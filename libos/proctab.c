/* The process table's client side (see proc.h): start-up, ps, exit. */
#include <errno.h>
#include <string.h>
#include "proc.h"
#include "srv.h"
#include "vpt.h"
#include "fs.h"
#include "signal_int.h"

struct task task LIBOS_FORK_STATE;
extern char **environ;

void proc_set_cmd(char cmd[72], char *const argv[])
{
	size_t n = 0;
	for (int i = 0; argv && argv[i] && n + 1 < 72; i++) {
		if (i)
			cmd[n++] = ' ';
		size_t len = strnlen(argv[i], 72 - 1 - n);
		memcpy(cmd + n, argv[i], len);
		n += len;
	}
	cmd[n] = 0;
}

void proc_init(int argc, char **argv)
{
	(void)argc;
	task.argv = argv;
	if (!vpt_lookup(UPROCS))
		srv_boot(argv, environ); /* the first environment of all: the server */
	if (srv_hello() < 0)
		sys_env_exit(127);
	libos_sig_exec_inherit(task.self->sig_ignored, task.self->sig_blocked);
	if (libos_sig_deliverable())
		libos_sig_dispatch(); /* sent before we started (or kept by exec) */
}

int libos_ps(struct libos_psinfo *out, int max)
{
	int n = 0;
	if (max < 0 || libos_user_range(out, (size_t)max * sizeof *out, true)) {
		errno = EFAULT;
		return -1;
	}
	for (int i = 0; i < NPROC && n < max; i++) {
		const struct proc *p = &PROCTAB->p[i];
		if (p->state == PROC_FREE)
			continue;
		out[n] = (struct libos_psinfo){ .pid = p->pid, .ppid = p->ppid, .env = p->env,
						.state = p->state == PROC_ZOMBIE ? 'Z' : 'R' };
		memcpy(out[n].cmd, p->cmd, sizeof out[n].cmd);
		out[n].cmd[sizeof out[n].cmd - 1] = 0;
		n++;
	}
	for (int i = 1; i < n; i++) /* insertion sort by pid: n is small */
		for (int j = i; j > 0 && out[j].pid < out[j - 1].pid; j--) {
			struct libos_psinfo t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

void proc_exit(int wstatus)
{
	srv_call(SRV_EXIT, wstatus, 0, 0); /* not answered: the server ends us */
	int code = (wstatus & 0x7f) ? 128 + (wstatus & 0x7f) : (wstatus >> 8) & 0xff;
	for (;;)
		sys_env_exit(code); /* no server (a hand-made environment): end anyway */
}
