/* The client side of the libOS server's protocol (srv.h): the channel, requests,
 * and blocking until the server says to ask again. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "proc.h"
#include "srv.h"
#include "vpt.h"
#include "signal_int.h"
#include "thread.h"

int srv_target;

envid_t srv_env(void)
{
	return PROCTAB->server;
}

/* announce: tell the server (ipc_send) that request seq is in the channel. The
 * server may be busy (not in ipc_recv): then it gets the CPU and we try again.
 * Returns 0 or a kernel error. */
static long announce(long op, uint64_t seq)
{
	envid_t srv = srv_env();
	for (;;) {
		long r = sys_ipc_send(srv, op, (long)seq, 0, -1L, 0);
		if (r != -E_NORECV)
			return r;
		if (sys_yield(srv) < 0)
			sys_yield(0);
	}
}

/* await: wait until the server has answered request seq. Once announced, the
 * request is the server's until it answers, and it stays runnable until then (it
 * takes one message at a time and answers it before its next ipc_recv): while it
 * is runnable it gets our CPU. So no wake-up is needed, and none is left behind
 * for a program's own ipc_recv. A request it will not answer (exit) ends us. */
static void await(const struct srv_chan *c, uint64_t seq)
{
	envid_t srv = srv_env();
	while (__atomic_load_n(&c->done, __ATOMIC_ACQUIRE) != seq) {
		if (exo_envs[EXO_ENVX(srv)].status == EXO_ENV_RUNNABLE)
			sys_yield(srv);
		else if (__atomic_load_n(&c->done, __ATOMIC_ACQUIRE) != seq)
			libos_block(); /* not answered: only our end comes */
	}
}

int srv_hello(void)
{
	for (int i = 0; i < LIBOS_CHAN_PAGES; i++)
		if (sys_page_alloc(0, (long)(LIBOS_CHAN + i * PAGE_SIZE), PTE_W | PTE_NX) < 0)
			goto fail;
	struct srv_chan *c = SRV_CHAN_REAL;
	c->seq = 1;
	c->op = SRV_HELLO;
	if (announce(SRV_HELLO, 1) < 0)
		goto fail;
	await(c, 1);
	if (c->ret < 0)
		goto fail;
	task.pid = (int)c->r[0];
	task.self = &PROCTAB->p[c->r[1]];
	task.env = (envid_t)sys_env_id();
	libos_sig_channel_ready();
	return 0;
fail:
	for (int i = 0; i < LIBOS_CHAN_PAGES; i++)
		sys_page_unmap(0, (long)(LIBOS_CHAN + i * PAGE_SIZE));
	return -1;
}

/* srv_chan: our channel, made (with a hello) by the first request of an
 * environment: a fork child, or one made with exofork by hand. NULL if there can
 * be none (no server, or it does not know us). */
struct srv_chan *srv_chan(void)
{
	if (libos_is_server || !(vpt_lookup(UPROCS) & PTE_P))
		return NULL; /* the server never asks itself; a bare environment has none */
	if (!(vpt_lookup(LIBOS_CHAN) & PTE_P) && srv_hello() < 0)
		return NULL;
	return SRV_CHAN; /* this thread's view */
}

/* call_locked: one request on channel c, which the caller holds. */
static long call_locked(struct srv_chan *c, int op, int64_t a0, int64_t a1, int64_t a2)
{
	c->op = op;
	c->target = srv_target;
	c->a[0] = a0, c->a[1] = a1, c->a[2] = a2;
	uint64_t seq = c->seq + 1;
	__atomic_store_n(&c->seq, seq, __ATOMIC_RELEASE);
	long r = announce(op, seq);
	if (r < 0)
		return -exo_errno(r);
	await(c, seq);
	return c->ret;
}

/* The channel carries one request at a time: threads take turns (recursive:
 * fork holds it across its own requests, thread.c). */
pthread_mutex_t libos_chan_lock LIBOS_FORK_STATE = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

/* call: one request, inside the libOS (an interrupt meanwhile leaves its
 * signals for later). A thread with a view of its own has its request's data
 * copied into the channel, and the answer copied back, under the lock. */
static long call(int op, int64_t a0, int64_t a1, int64_t a2)
{
	struct srv_chan *mine = srv_chan(), *real = SRV_CHAN_REAL;
	if (!mine)
		return -ENOSYS;
	libos_lock(&libos_chan_lock);
	if (mine != real)
		memcpy(real->data, mine->data, SRV_DATA);
	long r = call_locked(real, op, a0, a1, a2);
	if (mine != real) {
		mine->ret = real->ret;
		memcpy(mine->r, real->r, sizeof mine->r);
		memcpy(mine->data, real->data, SRV_DATA);
		if (__atomic_load_n(&thread_count, __ATOMIC_ACQUIRE) == 1)
			srv_chan_shared(thread_self()); /* alone again: the channel itself (it holds the answer too) */
	}
	libos_unlock(&libos_chan_lock);
	return r;
}

int srv_chan_private(struct tcb *t)
{
	if (t->chan != SRV_CHAN_REAL)
		return 0;
	struct srv_chan *c = malloc(sizeof(struct srv_chan) + SRV_DATA);
	if (!c)
		return ENOMEM;
	t->chan = c;
	return 0;
}

void srv_chan_shared(struct tcb *t)
{
	if (t->chan != SRV_CHAN_REAL)
		free(t->chan);
	t->chan = SRV_CHAN_REAL;
}

long srv_call(int op, int64_t a0, int64_t a1, int64_t a2)
{
	libos_in_libos++;
	long r = call(op, a0, a1, a2);
	libos_in_libos--;
	if (!libos_in_libos && libos_sig_deliverable())
		libos_sig_dispatch(); /* a signal the request brought (kill of ourselves) */
	return r;
}

long srv_call_wait(int op, int64_t a0, int64_t a1, int64_t a2)
{
	libos_in_libos++;
	long r;
	while ((r = call(op, a0, a1, a2)) == SRV_BLOCKED) {
		libos_block();
		if (libos_in_libos == 1 && libos_sig_deliverable()) {
			libos_in_libos--; /* handlers run as user code */
			bool restart = libos_sig_dispatch();
			libos_in_libos++;
			if (!restart) {
				r = -EINTR;
				break;
			}
		}
	}
	libos_in_libos--;
	return r;
}

bool libos_ult_block(void); /* uthread.c */

void libos_block(void)
{
	if (libos_ult_block())
		return; /* other user-level threads ran meanwhile: ask again */
	static struct exo_ipc_msg msg LIBOS_FORK_STATE;
	libos_prefault(&msg, sizeof msg);
	libos_in_libos++;
	do
		sys_ipc_recv(-1, (long)&msg);
	while (task.self && task.self->stopped); /* stopped: only SIGCONT (or SIGKILL) ends it */
	libos_in_libos--;
}
