/* The shared process table (see proc.h). */
#include <errno.h>
#include <string.h>
#include "proc.h"
#include "vpt.h"
#include "fs.h"

struct task task;

void proc_lock(void)
{
	while (__atomic_exchange_n(&PROCTAB->lock, 1, __ATOMIC_ACQUIRE))
		sys_yield(0); /* the holder was preempted: let it finish */
}

void proc_unlock(void)
{
	__atomic_store_n(&PROCTAB->lock, 0, __ATOMIC_RELEASE);
}

struct proc *proc_alloc(int ppid)
{
	struct proctab *t = PROCTAB;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &t->p[i];
		if (p->state != PROC_FREE)
			continue;
		memset(p, 0, sizeof *p);
		for (int f = 0; f < NOFILE; f++)
			p->fd[f] = -1;
		strcpy(p->cwd, "/");
		p->pid = t->next_pid++;
		p->ppid = ppid;
		p->state = PROC_RUNNING;
		t->nproc++;
		return p;
	}
	return NULL;
}

struct proc *proc_find(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (PROCTAB->p[i].state != PROC_FREE && PROCTAB->p[i].pid == pid)
			return &PROCTAB->p[i];
	return NULL;
}

void proc_set_cmd(struct proc *p, char *const argv[])
{
	size_t n = 0;
	for (int i = 0; argv && argv[i] && n + 1 < sizeof p->cmd; i++) {
		if (i)
			p->cmd[n++] = ' ';
		size_t len = strnlen(argv[i], sizeof p->cmd - 1 - n);
		memcpy(p->cmd + n, argv[i], len);
		n += len;
	}
	p->cmd[n] = 0;
}

void proc_init(int argc, char **argv)
{
	(void)argc;
	envid_t me = (envid_t)sys_env_id();
	task.argv = argv;
	if (!vpt_lookup(UPROCS)) {
		/* The first process of the system: make the table; we are init, pid 1. */
		for (uint64_t i = 0; i < PROCTAB_PAGES; i++)
			if (sys_page_alloc(0, (long)(UPROCS + i * PAGE_SIZE), PTE_W | PTE_NX | PTE_SHARE) < 0)
				sys_env_exit(127);
		PROCTAB->next_pid = 1;
		struct proc *p = proc_alloc(0);
		p->env = me;
		proc_set_cmd(p, argv);
		/* The boot modules (the initrd among them) are shared by every process. */
		for (uint64_t i = 0; i < exo_info->nmodules && i < EXO_MAX_MODULES; i++) {
			uint64_t lo = exo_info->modules[i].uva, pages = (exo_info->modules[i].end -
				(exo_info->modules[i].start & ~(PAGE_SIZE - 1)) + PAGE_SIZE - 1) / PAGE_SIZE;
			for (uint64_t a = lo, end = lo + pages * PAGE_SIZE; a < end; a += EXO_RANGE_MAX)
				sys_protect_range(0, (long)a, (long)(end - a > EXO_RANGE_MAX ? a + EXO_RANGE_MAX : end),
						  PTE_SHARE, 0);
		}
	}
	proc_lock();
	for (int i = 0; i < NPROC && !task.self; i++)
		if (PROCTAB->p[i].state == PROC_RUNNING && PROCTAB->p[i].env == me)
			task.self = &PROCTAB->p[i];
	if (!task.self) { /* started by something that is not a libOS process */
		task.self = proc_alloc(0);
		if (task.self) {
			task.self->env = me;
			proc_set_cmd(task.self, argv);
		}
	}
	proc_unlock();
	if (!task.self)
		sys_env_exit(127);
	task.pid = task.self->pid;
}

int libos_ps(struct libos_psinfo *out, int max)
{
	int n = 0;
	proc_lock();
	for (int i = 0; i < NPROC && n < max; i++) {
		const struct proc *p = &PROCTAB->p[i];
		if (p->state == PROC_FREE)
			continue;
		out[n] = (struct libos_psinfo){ .pid = p->pid, .ppid = p->ppid, .env = p->env,
						.state = p->state == PROC_ZOMBIE ? 'Z' : 'R' };
		memcpy(out[n].cmd, p->cmd, sizeof out[n].cmd);
		n++;
	}
	proc_unlock();
	for (int i = 1; i < n; i++) /* insertion sort by pid: n is small */
		for (int j = i; j > 0 && out[j].pid < out[j - 1].pid; j--) {
			struct libos_psinfo t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

void libos_block(void)
{
	static struct exo_ipc_msg msg;
	libos_prefault(&msg, sizeof msg);
	sys_ipc_recv(-1, (long)&msg);
}

void proc_discard(struct proc *p)
{
	fs_close_all(p);
	proc_lock();
	p->state = PROC_FREE;
	p->pid = 0;
	PROCTAB->nproc--;
	proc_unlock();
}

bool proc_reparent_children(int pid)
{
	bool zombies = false;
	for (int i = 0; i < NPROC && pid != 1; i++) {
		struct proc *p = &PROCTAB->p[i];
		if (p->state != PROC_FREE && p->ppid == pid) {
			p->ppid = 1;
			zombies |= p->state == PROC_ZOMBIE;
		}
	}
	return zombies;
}

void proc_exit(int wstatus)
{
	struct proc *self = task.self;
	fs_close_all(self); /* pipes see their ends close, waiters wake */
	proc_lock();
	bool orphan_zombies = proc_reparent_children(self->pid);
	struct proc *parent = proc_find(self->ppid), *init = proc_find(1);
	envid_t parent_env = parent ? parent->env : 0, init_env = init ? init->env : 0;
	self->wstatus = wstatus;
	self->state = PROC_ZOMBIE;
	proc_unlock();
	if (parent_env)
		sys_env_wake(parent_env);
	if (orphan_zombies && init_env)
		sys_env_wake(init_env);
	int code = (wstatus & 0x7f) ? 128 + (wstatus & 0x7f) : (wstatus >> 8) & 0xff;
	for (;;)
		sys_env_exit(code);
}
