/*
 * profile.h: marking what `make profile` measures (docs/benchmarks.md, "Where the
 * instructions go"). profile_open() and profile_close() are each one no-op
 * instruction (a `nopl` with a displacement no compiler emits) that the profiler's
 * QEMU plugin (scripts/profile-plugin.c) recognises: once a program opens a window,
 * only the instructions executed inside windows, in every environment and in the
 * kernel, are in its profile. Without the plugin they cost one instruction each.
 */
#ifndef LIBOS_PROFILE_H
#define LIBOS_PROFILE_H

/* profile_open: start counting (a window already open stays open). */
static inline void profile_open(void)
{
	__asm__ volatile("nopl 0x6f786501(%%rax,%%rax,1)" ::: "memory");
}

/* profile_close: stop counting (nothing happens if no window is open). */
static inline void profile_close(void)
{
	__asm__ volatile("nopl 0x6f786500(%%rax,%%rax,1)" ::: "memory");
}

#endif
