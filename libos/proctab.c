/* The shared process table (see proc.h). */
#include <errno.h>
#include <string.h>
#include "proc.h"
#include "vpt.h"
#include "fs.h"

struct task task;

bool libos_lock(volatile uint32_t *lock)
{
	uint32_t me = (uint32_t)(task.env ? task.env : sys_env_id());
	for (;;) {
		uint32_t holder = 0;
		if (__atomic_compare_exchange_n(lock, &holder, me, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return false;
		if (holder == me || libos_env_gone((envid_t)holder)) {
			if (__atomic_compare_exchange_n(lock, &holder, me, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
				return true; /* taken over from a holder that is gone */
			continue;
		}
		if (sys_yield((long)holder) < 0) /* let the holder finish */
			sys_yield(0);
	}
}

void libos_unlock(volatile uint32_t *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

void proc_lock(void)
{
	if (libos_lock(&PROCTAB->lock)) {
		/* Its holder ended mid-update: only the live count can be off (every other
		 * change is one store, or repaired by proc_sweep). */
		uint32_t n = 0;
		for (int i = 0; i < NPROC; i++)
			n += PROCTAB->p[i].state != PROC_FREE;
		PROCTAB->nproc = n;
	}
}

void proc_unlock(void)
{
	libos_unlock(&PROCTAB->lock);
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
		p->maker = task.env;
		/* Published last: a maker that ends half-way leaves a free entry. */
		__atomic_store_n(&p->state, PROC_RUNNING, __ATOMIC_RELEASE);
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
	task.env = me;
	task.argv = argv;
	if (!vpt_lookup(UPROCS)) {
		/* The first process of the system: make the table; we are init, pid 1. */
		for (uint64_t i = 0; i < PROCTAB_PAGES; i++)
			if (sys_page_alloc(0, (long)(UPROCS + i * PAGE_SIZE), PTE_W | PTE_NX | PTE_SHARE) < 0)
				sys_env_exit(127);
		PROCTAB->next_pid = 1;
		struct proc *p = proc_alloc(0);
		p->env = me;
		p->started = 1;
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
	if (task.self)
		task.self->started = 1; /* spawned or exec'd: it runs */
	if (!task.self) { /* started by something that is not a libOS process */
		task.self = proc_alloc(0);
		if (task.self) {
			task.self->env = me;
			task.self->started = 1;
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
	if (max < 0 || libos_user_range(out, (size_t)max * sizeof *out, true)) {
		errno = EFAULT; /* checked first: out is written under the lock */
		return -1;
	}
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

bool libos_block_raw(void)
{
	static struct exo_ipc_msg msg;
	libos_prefault(&msg, sizeof msg);
	return sys_ipc_recv(-1, (long)&msg) == 0 && msg.kind == EXO_IPC_NOTE && msg.w[0] == EXO_IPC_DEATH;
}

void libos_block(void)
{
	/* After a death note, release what the ended process held; pid 1 also sweeps
	 * after any wake: kill requests wake it, and it controls every environment. */
	if (libos_block_raw() || task.pid == 1)
		proc_sweep();
	if (task.self && task.self->killsig)
		proc_exit(task.self->killsig); /* a kill request: honoured here, a safe point */
}

void proc_started(struct proc *p)
{
	__atomic_store_n(&p->started, 1, __ATOMIC_RELEASE); /* one store: only the maker and the child write it */
}

/* The wait status of a process that was ended from outside. */
static int killed_status(const struct proc *p)
{
	return p->killsig ? p->killsig : SIGKILL;
}

/* Has entry p's process started (its environment ran or may run)? */
static bool has_started(const struct proc *p)
{
	return p->started || (p->env && !libos_env_gone(p->env) && exo_envs[EXO_ENVX(p->env)].status == EXO_ENV_RUNNABLE);
}

/* Does entry p describe a process that ended without releasing what it held? */
static bool needs_release(const struct proc *p)
{
	if (p->state == PROC_FREE || p->released)
		return false;
	if (!has_started(p)) /* still being made: only once its maker is gone */
		return libos_env_gone(p->maker) && (!p->env || libos_env_gone(p->env));
	return libos_env_gone(p->env);
}

/* Whom to wake once an entry has become a zombie: its parent, and init when it
 * inherited children that are zombies already. */
struct zombie_wakes {
	envid_t parent, init;
};

/* make_zombie: entry p (its descriptors closed) becomes a released zombie with
 * wait status wstatus and gives its children to init. Table locked by the caller;
 * returns whom to wake after the unlock (wake_for_zombie). */
static struct zombie_wakes make_zombie(struct proc *p, int wstatus)
{
	bool orphan_zombies = proc_reparent_children(p->pid);
	struct proc *parent = proc_find(p->ppid), *init = proc_find(1);
	p->wstatus = wstatus;
	p->state = PROC_ZOMBIE;
	p->released = 1;
	return (struct zombie_wakes){ parent ? parent->env : 0, orphan_zombies && init ? init->env : 0 };
}

/* wake_for_zombie: wake whom make_zombie named. */
static void wake_for_zombie(struct zombie_wakes w)
{
	if (w.parent)
		sys_env_wake(w.parent);
	if (w.init)
		sys_env_wake(w.init);
}

/* Release everything the ended process of entry p held: its descriptors (pipes
 * see their ends close), its children (to init), its entry (a zombie for its
 * parent to reap, or free if it never started). Claims p first (p->reaper), so two
 * survivors do not both do it, and a claimer that ends half-way is replaced.
 * Called without locks. */
static void proc_release(struct proc *p)
{
	envid_t me = task.env;
	proc_lock();
	/* Judged again under the lock: exec changes an entry's environment under it. */
	bool mine = needs_release(p) && (!p->reaper || libos_env_gone(p->reaper));
	if (mine)
		p->reaper = me;
	proc_unlock();
	if (!mine)
		return;
	fs_close_all(p);
	proc_lock();
	struct zombie_wakes w = { 0, 0 };
	if (!has_started(p)) { /* its maker ended before it ran: nobody waits for it */
		p->state = PROC_FREE;
		p->pid = 0;
		PROCTAB->nproc--;
	} else {
		w = make_zombie(p, p->state == PROC_RUNNING ? killed_status(p) : p->wstatus);
	}
	p->reaper = 0;
	proc_unlock();
	wake_for_zombie(w);
}

bool proc_sweep(void)
{
	bool changed = false;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &PROCTAB->p[i];
		if (p->state == PROC_FREE)
			continue;
		if (task.pid == 1 && p->state == PROC_RUNNING && p->killsig && p->env && !libos_env_gone(p->env) &&
		    p != task.self)
			sys_env_destroy(p->env); /* a kill request: pid 1 controls every environment */
		if (needs_release(p)) {
			proc_release(p);
			changed = true;
		}
	}
	return changed;
}

void proc_discard(struct proc *p)
{
	fs_close_all(p);
	proc_lock();
	p->state = PROC_FREE;
	p->released = 1;
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
	struct zombie_wakes w = make_zombie(self, wstatus);
	proc_unlock();
	wake_for_zombie(w);
	int code = (wstatus & 0x7f) ? 128 + (wstatus & 0x7f) : (wstatus >> 8) & 0xff;
	for (;;)
		sys_env_exit(code);
}
