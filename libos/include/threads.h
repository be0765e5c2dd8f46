/*
 * Thread packages: an application chooses how its POSIX threads run, the way it
 * chooses a fork strategy (fork.h). Both give the whole <pthread.h>:
 *   libos_threads_kernel  one environment per thread in the process's address
 *                         space, scheduled by the kernel (the default; what a
 *                         multiprocessor kernel will run in parallel)
 *   libos_threads_user    many threads on the process's one environment, switched
 *                         by the libOS with no system call for a wait or a wake,
 *                         preempted at the start of the time slot the process
 *                         holds (the slot-start upcall)
 * Choose before the first pthread_create: libos_thread_package_set, or
 * LIBOS_THREADS=kernel|user in the environment at start-up. docs/apps.md,
 * "Threads".
 */
#ifndef LIBOS_THREADS_H
#define LIBOS_THREADS_H

struct thread_package;
extern const struct thread_package thread_pkg_kernel, thread_pkg_user;
#define libos_threads_kernel (&thread_pkg_kernel)
#define libos_threads_user (&thread_pkg_user)

/* libos_thread_package_set: threads made from now on use p. Returns 0, or EBUSY
 * while other threads exist. */
int libos_thread_package_set(const struct thread_package *p);
/* libos_thread_package_named: the package called name ("kernel", "user"), or NULL. */
const struct thread_package *libos_thread_package_named(const char *name);

#endif
