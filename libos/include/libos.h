/*
 * The library OS's own interface, for applications that want more than POSIX:
 * raw kernel calls (sys_* from <exo/syscall.h>), the exported kernel state, and
 * helpers that translate kernel errors.
 */
#ifndef LIBOS_H
#define LIBOS_H
#include <stdint.h>
#include <exo/syscall.h>
#include <exo/error.h>
#include <exo/memlayout.h>
#include <exo/exports.h>

/* Kernel exports, mapped read-only into every address space. */
#define exo_info ((const volatile struct exo_info *)UINFO)
#define exo_frames ((const volatile struct exo_frame *)UFRAMES)

/* exo_errno: the errno value for a negative kernel error code. */
int exo_errno(long kerr);

/* exo_strerror: the kernel's text for a negative (or positive) error code. */
const char *exo_strerror(long kerr);

/* libos_fail: set errno from a kernel error and return -1 (for POSIX wrappers). */
int libos_fail(long kerr);

#endif
