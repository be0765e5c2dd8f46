/*
 * Thread-local storage: each thread's block holds a copy of the program's TLS
 * image (PT_TLS: .tdata, then .tbss zeroed; its bounds come from the link map,
 * libos/user.ld) ending where the thread's TCB begins, and the thread's %fs base
 * (env_set_fsbase: the kernel loads it whenever the environment runs) points at
 * the TCB (x86-64 TLS variant II). newlib finds its per-thread state (errno,
 * strtok, the rand state...) through __getreent, which reads the TCB.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "thread.h"

extern const char __tls_image[];
extern const char __tls_filesz[], __tls_memsz[], __tls_align[];
#define TLS_FILESZ ((size_t)__tls_filesz)
#define TLS_MEMSZ ((size_t)__tls_memsz)
#define TLS_P_ALIGN ((size_t)__tls_align ? (size_t)__tls_align : 1)
/* The image ends where the TCB begins, rounded up to its own alignment: that is
 * where the linker's %fs-relative offsets put it (TLS_SIZE below %fs). */
#define TLS_SIZE ((TLS_MEMSZ + TLS_P_ALIGN - 1) & ~(TLS_P_ALIGN - 1))
/* A block: padding so that the TCB is TLS_ALIGN-aligned, the image, the TCB. */
#define TLS_ALIGN (TLS_P_ALIGN > 64 ? TLS_P_ALIGN : 64)
#define TCB_OFFSET ((TLS_SIZE + TLS_ALIGN - 1) & ~(TLS_ALIGN - 1))

_Static_assert(__builtin_offsetof(struct tcb, stack_guard) == 0x28, "gcc reads the canary at %fs:0x28");
_Static_assert(__builtin_offsetof(struct tcb, area_top) == 0x30, "libos.h reads the area at %fs:0x30");
_Static_assert(__builtin_offsetof(struct tcb, chan) == 0x38, "srv.h reads the channel view at %fs:0x38");

/* __getreent: newlib's per-thread state (newlib is built with __DYNAMIC_REENT__). */
struct _reent *__getreent(void)
{
	struct _reent *r;
	__asm__("movq %%fs:%c1, %0" : "=r"(r) : "i"(__builtin_offsetof(struct tcb, reent)));
	return r;
}

void __sinit(struct _reent *); /* newlib (findfp.c): set up the standard streams */

/* Lay out a block at mem: the TLS image, then the TCB. Returns the TCB. */
static struct tcb *block_init(char *mem)
{
	char *image = mem + TCB_OFFSET - TLS_SIZE;
	memset(mem, 0, TCB_OFFSET + sizeof(struct tcb));
	memcpy(image, __tls_image, TLS_FILESZ);
	struct tcb *t = (struct tcb *)(mem + TCB_OFFSET);
	t->self = t;
	t->block = mem;
	return t;
}

void thread_tls_init(void)
{
	/* Before the first thread has TLS nothing may touch errno or a lock: the
	 * block comes straight from the heap's break (sbrk leaves errno alone when it
	 * succeeds). */
	size_t len = TCB_OFFSET + sizeof(struct tcb) + TLS_ALIGN;
	char *raw = sbrk((ptrdiff_t)len);
	if (raw == (char *)-1)
		sys_env_exit(127);
	char *mem = (char *)(((uintptr_t)raw + TLS_ALIGN - 1) & ~(TLS_ALIGN - 1));
	struct tcb *t = block_init(mem);
	t->reent = _impure_ptr; /* the first thread keeps newlib's global state */
	t->env = (envid_t)sys_env_id();
	t->area_top = UXSTACKTOP;
	t->chan = (struct srv_chan *)LIBOS_CHAN;
	t->next = t->prev = t;
	if (sys_env_set_fsbase(0, (long)t) < 0)
		sys_env_exit(127);
	thread_first = t;
}

struct tcb *thread_block_new(void)
{
	char *mem = memalign(TLS_ALIGN, TCB_OFFSET + sizeof(struct tcb));
	if (!mem)
		return NULL;
	struct tcb *t = block_init(mem);
	struct _reent *r = &t->reent_storage;
	_REENT_INIT_PTR(r);
	/* One set of standard streams per process, not per thread: stdout's buffer is
	 * shared (under newlib's FILE lock) and flushed at exit. */
	struct _reent *g = _GLOBAL_REENT;
	if (!g->__sdidinit)
		__sinit(g);
	r->_stdin = g->_stdin, r->_stdout = g->_stdout, r->_stderr = g->_stderr;
	r->__sdidinit = 1;
	t->reent = r;
	return t;
}

void thread_block_free(struct tcb *t)
{
	srv_chan_shared(t);
	free(t->block);
}
