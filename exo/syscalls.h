/* Prototypes of every system-call handler, generated from the one list in
 * include/exo/syscall.h. Each handler takes its arguments as longs. */
#ifndef EXO_SYSCALLS_H
#define EXO_SYSCALLS_H
#include "kern.h"
#include "../include/exo/syscall.h"
#include "../include/exo/memlayout.h"

#define EXO_KARGS0 void
#define EXO_KARGS1 long
#define EXO_KARGS2 long, long
#define EXO_KARGS3 long, long, long
#define EXO_KARGS4 long, long, long, long
#define EXO_KARGS5 long, long, long, long, long
#define EXO_KARGS6 long, long, long, long, long, long
#define EXO_SYS_PROTO(num, name, nargs) long sys_##name(EXO_KARGS##nargs);
EXO_SYSCALLS(EXO_SYS_PROTO)
#undef EXO_SYS_PROTO

/* uaccess (syscall.c): is [va, va+len) user memory mapped in e (writable if write)? */
struct env;
bool user_range_ok(struct env *e, uint64_t va, uint64_t len, bool write);
/* copy_in: copy len bytes from the current environment's va. 0 or -E_FAULT. */
int copy_in(void *dst, uint64_t va, size_t len);

/* user_page_ok: va is a page-aligned address in [PAGE_SIZE, ULIM): page 0 stays
 * unmapped so that NULL dereferences always fault. */
static inline bool user_page_ok(uint64_t va)
{
	return va >= PAGE_SIZE && va < ULIM && (va & (PAGE_SIZE - 1)) == 0;
}

/* perm_ok: only bits a user may set in a PTE. */
static inline bool perm_ok(uint64_t perm)
{
	return (perm & ~PTE_USER_PERMS) == 0;
}

#endif
