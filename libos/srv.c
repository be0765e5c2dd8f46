/*
 * The libOS server (see srv.h): it starts the system, then answers requests one
 * at a time. Here: boot, the request loop, channels, and the process requests
 * (fork, spawn, exec, exit, wait, kill), with the one teardown path every ending
 * takes. The file requests are in srv_fs.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include "fs.h"
#include "proc.h"
#include "srv.h"
#include "vpt.h"

#define SRV_CHANS   0x00007C0000000000UL      /* the channel of process slot i: + i * SRV_CHAN_SIZE */

bool libos_is_server;
static envid_t server_env;        /* ours (task.env names the process being served) */
static envid_t chan_env[NPROC];   /* whose channel is mapped for slot i (0: none) */
static int16_t slot_of[EXO_NENV]; /* 1 + the slot whose process runs in env index i */
static envid_t thread_env[EXO_NENV]; /* the thread (SRV_THREAD) at env index i, or 0 */
static int16_t thread_slot[EXO_NENV]; /* and the slot of its process */
static uint16_t nthreads[NPROC];   /* threads registered for slot i */
static int nthreads_all;          /* and for every slot (at least): sweep's scan stops after the last */
static struct srv_req rq;

static struct srv_chan *chan_of(const struct proc *p)
{
	return (struct srv_chan *)(SRV_CHANS + (uint64_t)(p - PROCTAB->p) * SRV_CHAN_SIZE);
}

/* proc_by_env: the running entry whose environment, or one of whose threads, is
 * env, or NULL. */
static struct proc *proc_by_env(envid_t env)
{
	int i = EXO_ENVX(env);
	if (thread_env[i] == env)
		return PROCTAB->p[thread_slot[i]].state == PROC_RUNNING ? &PROCTAB->p[thread_slot[i]] : NULL;
	int s = slot_of[i] - 1;
	struct proc *p = s >= 0 ? &PROCTAB->p[s] : NULL;
	return p && p->state == PROC_RUNNING && p->env == env ? p : NULL;
}

/* The thread environment registered at env index i, and whose it is. */
static struct proc *thread_proc(int i)
{
	return thread_env[i] ? &PROCTAB->p[thread_slot[i]] : NULL;
}

/* forget_thread: env index i no longer runs a thread. */
static void forget_thread(int i)
{
	nthreads[thread_slot[i]]--;
	nthreads_all--;
	thread_env[i] = 0;
}

void srv_each_thread(struct proc *p, void (*fn)(envid_t))
{
	for (int i = 0, left = nthreads[p - PROCTAB->p]; i < EXO_NENV && left; i++)
		if (thread_proc(i) == p) {
			fn(thread_env[i]);
			left--;
		}
}

static void wake_env(envid_t env)
{
	sys_env_wake(env);
}

void srv_wake(struct proc *p)
{
	sys_env_wake(p->env);
	srv_each_thread(p, wake_env);
}

bool srv_threaded(const struct proc *p)
{
	return nthreads[p - PROCTAB->p] != 0;
}

static void set_env(struct proc *p, envid_t env)
{
	p->env = env;
	slot_of[EXO_ENVX(env)] = (int16_t)(p - PROCTAB->p + 1);
}

struct proc *srv_proc_find(int pid)
{
	for (int i = 0; i < NPROC; i++)
		if (PROCTAB->p[i].state != PROC_FREE && PROCTAB->p[i].pid == pid)
			return &PROCTAB->p[i];
	return NULL;
}

/* proc_alloc: a new running entry, child of ppid, with no descriptors, or NULL. */
static struct proc *proc_alloc(int ppid)
{
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &PROCTAB->p[i];
		if (p->state != PROC_FREE)
			continue;
		memset(p, 0, sizeof *p);
		for (int f = 0; f < NOFILE; f++)
			p->fd[f] = -1;
		strcpy(p->cwd, "/");
		p->pid = PROCTAB->next_pid++;
		p->ppid = ppid;
		p->state = PROC_RUNNING;
		PROCTAB->nproc++;
		return p;
	}
	return NULL;
}

static void proc_free(struct proc *p)
{
	p->state = PROC_FREE;
	p->pid = 0;
	PROCTAB->nproc--;
}

/* chan_drop: unmap entry p's channel, if one is mapped. */
static void chan_drop(struct proc *p)
{
	int i = (int)(p - PROCTAB->p);
	for (int k = 0; k < LIBOS_CHAN_PAGES && chan_env[i]; k++)
		sys_page_unmap(0, (long)chan_of(p) + k * PAGE_SIZE);
	chan_env[i] = 0;
}

/* chan_map: map env's channel pages (at LIBOS_CHAN in it) as p's channel. Only
 * frames charged to env itself are taken: its own memory, never a page of ours
 * (a view page) or anyone else's that it may map read-only. Returns 0 or -1. */
static int chan_map(struct proc *p, envid_t env)
{
	uint64_t base = (uint64_t)chan_of(p);
	chan_drop(p);
	chan_env[p - PROCTAB->p] = env;
	for (int k = 0; k < LIBOS_CHAN_PAGES; k++) {
		uint64_t va = base + k * PAGE_SIZE;
		if (sys_page_map(env, (long)(LIBOS_CHAN + k * PAGE_SIZE), 0, (long)va, PTE_W | PTE_NX) < 0 ||
		    exo_frames[(vpt_lookup(va) & 0x000FFFFFFFFFF000UL) >> PAGE_SHIFT].owner != env) {
			chan_drop(p);
			return -1;
		}
	}
	return 0;
}

static void end_env(envid_t env)
{
	if (env && !libos_env_gone(env))
		sys_env_destroy(env);
}

/* end_threads: end p's threads (not its first environment) and forget them. */
static void end_threads(struct proc *p)
{
	for (int i = 0; i < EXO_NENV && nthreads[p - PROCTAB->p]; i++)
		if (thread_proc(i) == p) {
			end_env(thread_env[i]);
			forget_thread(i);
		}
}

/* The exit code a wait status stands for (the boot environment's, when pid 1 ends). */
static int exit_code(int wstatus)
{
	return WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : WEXITSTATUS(wstatus);
}

/* shutdown: pid 1 has ended: end every other environment, then ourselves with its
 * exit code (the kernel powers off when the boot environment ends). */
static void shutdown(int wstatus) __attribute__((noreturn));
static void shutdown(int wstatus)
{
	for (int i = 0; i < EXO_NENV; i++) {
		envid_t e = exo_envs[i].id;
		if (e && e != server_env && exo_envs[i].status)
			sys_env_destroy(e);
	}
	for (;;)
		sys_env_exit(exit_code(wstatus));
}

/* release: the one teardown of a process, however it ended (exit, kill, a fault,
 * the kernel): close its descriptors (pipes see their ends close), drop its
 * channel, give its children to init, make it a zombie with wstatus and wake its
 * parent (and init, if it inherited zombies). Its environment is ended, or ending,
 * by the caller. */
static void release(struct proc *p, int wstatus)
{
	end_threads(p);
	fs_close_all(p);
	chan_drop(p);
	bool orphan_zombies = false;
	for (int i = 0; i < NPROC && p->pid != 1; i++) {
		struct proc *c = &PROCTAB->p[i];
		if (c->state != PROC_FREE && c->ppid == p->pid) {
			c->ppid = 1;
			orphan_zombies |= c->state == PROC_ZOMBIE;
		}
	}
	p->wstatus = wstatus;
	p->state = PROC_ZOMBIE;
	p->stopped = p->forced = p->report = 0;
	if (p->pid == 1)
		shutdown(wstatus);
	struct proc *parent = srv_proc_find(p->ppid), *init = srv_proc_find(1);
	srv_child_event(p, WIFSIGNALED(wstatus) ? (wstatus & 0x80 ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED,
			WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : WEXITSTATUS(wstatus));
	struct srv_sigstate *ps = parent ? srv_sigstate_of(parent) : NULL;
	if (ps && (ps->flags & SRV_SIG_NOCLDWAIT))
		proc_free(p); /* its parent does not wait for children: nothing to reap */
	if (orphan_zombies && init)
		srv_wake(init);
}

void srv_end(struct proc *p, int wstatus)
{
	envid_t env = p->env;
	end_env(env);
	release(p, wstatus);
}

/* sweep: after a death note (of env, which ended with status), release every
 * process whose environment is gone without asking us: env's ends with status as
 * its exit code (env_exit, or 125 from the kernel for a fault it could not
 * deliver), unless that is 0 (ended by env_destroy); the others, whose notes the
 * kernel merged into this one, as killed. */
static void sweep(envid_t env, uint64_t status)
{
	/* A thread the kernel ended (a fault it could not deliver) takes its process
	 * with it; one that ended itself (pthread_exit) is just forgotten. */
	for (int i = 0, left = nthreads_all; i < EXO_NENV && left; i++) {
		struct proc *p = thread_proc(i);
		if (!p)
			continue;
		left--;
		if (!libos_env_gone(thread_env[i]))
			continue;
		bool fatal = thread_env[i] == env && (status & 0xff);
		forget_thread(i);
		if (fatal && p->state == PROC_RUNNING)
			srv_end(p, (int)((status & 0xff) << 8));
	}
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &PROCTAB->p[i];
		if (p->state == PROC_RUNNING && libos_env_gone(p->env))
			release(p, p->env == env && (status & 0xff) ? (int)((status & 0xff) << 8) : SIGKILL);
	}
}

/* proc_child: a new entry for a child of parent (fork, spawn, adopt): its
 * descriptors, directory, command, process group and session. NULL if the table
 * is full. */
static struct proc *proc_child(struct proc *parent, envid_t env)
{
	struct proc *p = proc_alloc(parent->pid);
	if (!p)
		return NULL;
	set_env(p, env);
	memcpy(p->cmd, parent->cmd, sizeof p->cmd);
	memcpy(p->cwd, parent->cwd, sizeof p->cwd);
	p->pgid = parent->pgid, p->sid = parent->sid;
	p->umask = parent->umask;
	memcpy(p->rlim, parent->rlim, sizeof p->rlim);
	fs_fork_fds(parent, p);
	return p;
}

/* adopt: a hello from an environment no entry names: one made with exofork by a
 * process becomes its child process (with its descriptors, as after fork). */
static struct proc *adopt(envid_t env)
{
	struct proc *parent = proc_by_env(exo_envs[EXO_ENVX(env)].parent);
	return parent ? proc_child(parent, env) : NULL;
}


struct srv_sigstate *srv_sigstate_of(struct proc *p)
{
	if (!chan_env[p - PROCTAB->p])
		return NULL;
	return (struct srv_sigstate *)((char *)chan_of(p) + SRV_CHAN_SIZE - sizeof(struct srv_sigstate));
}

/* hello: bind env's channel, answer. */
static void hello(envid_t env)
{
	struct proc *p = proc_by_env(env);
	if (!p)
		p = adopt(env);
	if (!p || chan_map(p, env) < 0)
		return; /* not a process, or no channel of its own: nobody to answer */
	struct srv_chan *c = chan_of(p);
	p->started = 1;
	if (p->sig_pending) { /* signals sent before it had a channel (exec keeps them too) */
		struct srv_sigstate *ss = srv_sigstate_of(p);
		for (int sig = 1; sig < NSIG; sig++)
			if (p->sig_pending & (1ULL << sig))
				ss->info[sig].code = SI_USER, ss->info[sig].pid = 0;
		__atomic_or_fetch(&ss->pending, p->sig_pending, __ATOMIC_SEQ_CST);
		p->sig_pending = 0;
	}
	c->ret = 0;
	c->r[0] = p->pid;
	c->r[1] = p - PROCTAB->p;
	__atomic_store_n(&c->done, c->seq, __ATOMIC_RELEASE);
}

/* new_child: is env a child environment of the caller that is not running yet and
 * not yet any process's? */
static bool new_child(envid_t env)
{
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(env)];
	return env > 0 && v->id == env && proc_by_env(v->parent) == task.self &&
	       v->status == EXO_ENV_NOT_RUNNABLE && !proc_by_env(env);
}

static void cmd_from_request(char cmd[72])
{
	memcpy(cmd, rq.data, 72);
	cmd[71] = 0;
}

/* SRV_FORK / SRV_SPAWN: register child environment a0 as a new process (a
 * spawned one ignores the signals in a1 and blocks those in a2). */
static long do_fork(struct proc *me, bool spawn)
{
	envid_t env = (envid_t)rq.a[0];
	if (!new_child(env))
		return -EINVAL;
	struct proc *p = proc_child(me, env);
	if (!p)
		return -EAGAIN;
	if (spawn) { /* the signals it ignores and blocks, as for exec */
		cmd_from_request(p->cmd);
		p->sig_ignored = (uint64_t)rq.a[1];
		p->sig_blocked = (uint64_t)rq.a[2];
	}
	return p->pid;
}

/* SRV_EXEC: the caller's process moves to child environment a0. */
static long do_exec(struct proc *me)
{
	envid_t env = (envid_t)rq.a[0];
	if (!new_child(env))
		return -EINVAL;
	fs_close_on_exec(me);
	cmd_from_request(me->cmd);
	struct srv_sigstate *ss = srv_sigstate_of(me);
	me->sig_pending |= ss ? ss->pending : 0; /* pending signals survive exec */
	me->sig_ignored = (uint64_t)rq.a[1];
	me->sig_blocked = (uint64_t)rq.a[2];
	me->execed = 1;
	end_threads(me); /* exec ends the other threads; the caller ends itself */
	if (task.env != me->env)
		end_env(me->env); /* exec from a thread: the first one goes too */
	set_env(me, env);
	me->started = 0;
	return 0;
}

/* SRV_THREAD: environment a0, made by one of ours with exofork_shared (so in our
 * address space), runs a thread of ours. */
static long do_thread(struct proc *me)
{
	envid_t env = (envid_t)rq.a[0];
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(env)];
	int i = EXO_ENVX(env);
	if (env <= 0 || v->id != env || v->space != exo_envs[EXO_ENVX(me->env)].space ||
	    proc_by_env(v->parent) != me || proc_by_env(env))
		return -EINVAL;
	thread_slot[i] = (int16_t)(me - PROCTAB->p);
	thread_env[i] = env;
	nthreads[me - PROCTAB->p]++;
	nthreads_all++;
	return 0;
}

/* SRV_DISCARD: drop child a0 that never ran (its maker could not start it). */
static long do_discard(struct proc *me)
{
	struct proc *p = srv_proc_find((int)rq.a[0]);
	if (!p || p->ppid != me->pid || (p->started && p->state != PROC_ZOMBIE))
		return -EINVAL;
	if (p->state == PROC_RUNNING) {
		end_env(p->env);
		fs_close_all(p);
		chan_drop(p);
	}
	proc_free(p);
	return 0;
}

/* SRV_WAIT: reap a zombie child (a0 > 0: that one; -1: any; 0: one in our
 * group; < -1: one in group -a0), or with WUNTRACED / WCONTINUED report a stopped
 * or continued one. */
static long do_wait(struct proc *me, struct srv_chan *c)
{
	int pid = (int)rq.a[0], options = (int)rq.a[1];
	bool have = false;
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &PROCTAB->p[i];
		if (p->state == PROC_FREE || p->ppid != me->pid || (pid > 0 && p->pid != pid) ||
		    (pid == 0 && p->pgid != me->pgid) || (pid < -1 && p->pgid != -pid))
			continue;
		have = true;
		if (p->state == PROC_ZOMBIE) {
			int got = p->pid;
			c->r[0] = p->wstatus;
			proc_free(p);
			return got;
		}
		if ((options & WUNTRACED) && p->report == PROC_REPORT_STOP && p->stopped) {
			p->report = 0;
			c->r[0] = (p->stopped << 8) | 0x7f;
			return p->pid;
		}
		if ((options & WCONTINUED) && p->report == PROC_REPORT_CONT) {
			p->report = 0;
			c->r[0] = 0xffff;
			return p->pid;
		}
	}
	if (!have)
		return -ECHILD;
	return (options & WNOHANG) ? 0 : SRV_BLOCKED;
}

/* SRV_EXIT: the caller ends with wait status a0. */
static long do_exit(struct proc *me)
{
	envid_t env = me->env;
	release(me, (int)rq.a[0]);
	end_env(env);
	return 0;
}

/* as_target: the entry file requests act on: the caller's, or (srv_target) an
 * unstarted child it registered. NULL if the target is not allowed. */
static struct proc *as_target(struct proc *me)
{
	if (!rq.target)
		return me;
	struct proc *p = srv_proc_find(rq.target);
	if (!p || p->ppid != me->pid || p->started || p->state != PROC_RUNNING ||
	    proc_by_env(exo_envs[EXO_ENVX(p->env)].parent) != me)
		return NULL;
	return p;
}

/* Copy what the request needs out of the channel, once. */
static void copy_request(const struct srv_chan *c)
{
	rq.op = c->op;
	rq.target = c->target;
	for (int i = 0; i < 4; i++)
		rq.a[i] = c->a[i];
	if (rq.op == SRV_WRITE || rq.op == SRV_PWRITE) {
		memcpy(rq.data, c->data, rq.a[1] > 0 && rq.a[1] <= SRV_DATA ? (size_t)rq.a[1] : 0);
	} else {
		memcpy(rq.data, c->data, 2 * SRV_PATH2);
		rq.data[SRV_PATH2 - 1] = rq.data[2 * SRV_PATH2 - 1] = 0; /* srv_fs.c checks paths */
	}
}

static long handle(struct proc *me, struct srv_chan *c)
{
	switch (rq.op) {
	case SRV_FORK: return do_fork(me, false);
	case SRV_SPAWN: return do_fork(me, true);
	case SRV_EXEC: return do_exec(me);
	case SRV_DISCARD: return do_discard(me);
	case SRV_EXIT: return do_exit(me);
	case SRV_THREAD: return do_thread(me);
	case SRV_WAIT: return do_wait(me, c);
	case SRV_KILL: return srv_kill(me, (int)rq.a[0], (int)rq.a[1]);
	case SRV_SETPGID: return srv_setpgid(me, (int)rq.a[0], (int)rq.a[1]);
	case SRV_SETSID: return srv_setsid(me);
	case SRV_TCSETPGRP: return srv_tcsetpgrp(me, (int)rq.a[0]);
	case SRV_TCSETATTR: case SRV_TCFLUSH: case SRV_TCSETWINSZ: return srv_tty_request(&rq);
	case SRV_SETHOSTNAME: case SRV_SETRLIMIT: return srv_sys_request(me, &rq);
	default: break;
	}
	struct proc *t = as_target(me);
	if (!t)
		return -EPERM;
	task.self = t, task.pid = t->pid, task.env = t->env;
	return srv_file_request(&rq, c);
}

/* serve: one message: a kernel note, a hello, or a request. */
static void serve(const struct exo_ipc_msg *m)
{
	if (m->kind == EXO_IPC_NOTE) {
		if (m->w[0] == EXO_IPC_DEATH)
			sweep(m->from, m->w[1]);
		return;
	}
	if (srv_tty_message(m))
		return; /* console input */
	if (m->w[0] == SRV_HELLO) {
		hello(m->from);
		return;
	}
	struct proc *me = proc_by_env(m->from);
	envid_t bound = me ? chan_env[me - PROCTAB->p] : 0;
	if (!me || !bound)
		return; /* not a process, or it has no channel: nobody to answer */
	struct srv_chan *c = chan_of(me);
	uint64_t seq = c->seq;
	copy_request(c);
	task.self = me, task.pid = me->pid, task.env = me->env;
	long ret = handle(me, c);
	task.self = NULL, task.pid = 0, task.env = server_env;
	if (chan_env[me - PROCTAB->p] != bound)
		return; /* it ended: nobody to answer */
	c->ret = ret;
	__atomic_store_n(&c->done, seq, __ATOMIC_RELEASE); /* the client waits for this store */
}

/* The boot modules (the initrd among them) are shared read-only by everyone. */
static void share_modules(void)
{
	for (uint64_t i = 0; i < exo_info->nmodules && i < EXO_MAX_MODULES; i++) {
		uint64_t lo = exo_info->modules[i].uva & ~(PAGE_SIZE - 1);
		uint64_t end = (exo_info->modules[i].uva + exo_info->modules[i].end - exo_info->modules[i].start +
				PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		for (uint64_t a = lo; a < end; a += EXO_RANGE_MAX)
			sys_protect_range(0, (long)a, (long)(end - a > EXO_RANGE_MAX ? a + EXO_RANGE_MAX : end),
					  PTE_SHARE, 0);
	}
}

static void die(const char *why) __attribute__((noreturn));
static void die(const char *why)
{
	sys_cons_write((long)why, (long)strlen(why));
	for (;;)
		sys_env_exit(127);
}

void srv_boot(char **argv, char **envp)
{
	libos_is_server = true;
	task.env = server_env = (envid_t)sys_env_id();
	if (libos_upcall_init() < 0 || sys_env_watch() < 0 || fs_region_create() < 0)
		die("libos server: cannot start\n");
	PROCTAB->server = server_env;
	PROCTAB->next_pid = 1;
	share_modules();
	if (srv_tty_start() < 0)
		die("libos server: cannot start the console reader\n");
	/* pid 1: the program of boot module 0, on the console. */
	struct ofile *con = ofile_alloc();
	struct proc *p = proc_alloc(0);
	con->type = F_CONSOLE;
	con->flags = O_RDWR;
	con->ref = 3;
	for (int i = 0; i < 3; i++)
		p->fd[i] = (int16_t)(con - FS->file);
	proc_set_cmd(p->cmd, argv);
	p->pgid = p->sid = PROCTAB->fg_pgrp = p->pid;
	p->umask = 022;
	memcpy(p->rlim, libos_rlimit_initial, sizeof p->rlim);
	long env = libos_exec_image((const char *)exo_info->modules[0].uva,
				    exo_info->modules[0].end - exo_info->modules[0].start, argv, envp);
	if (env < 0)
		die("libos server: boot module 0 is not a program it can run\n");
	set_env(p, (envid_t)env);
	if (sys_env_set_status(env, EXO_ENV_RUNNABLE) < 0)
		die("libos server: cannot start pid 1\n");
	static struct exo_ipc_msg msg;
	libos_prefault(&msg, sizeof msg);
	for (;;)
		if (sys_ipc_recv(-1, (long)&msg) == 0)
			serve(&msg);
}
