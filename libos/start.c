/* C start-up: the process layer, the page-fault handler, environ, constructors,
 * main, exit. */
#include <stdlib.h>
#include "proc.h"
#include "fs.h"
#include "fork.h"
#include "thread.h"
#include "threads.h"

extern char **environ;
extern int main(int argc, char **argv, char **envp);
extern void __libc_init_array(void);
extern void __libc_fini_array(void);

/* newlib's __libc_init_array/__libc_fini_array call these; there is no crti here. */
void _init(void) {}
void _fini(void) {}

/* libos_start: called by crt0 with the initial stack's argc/argv/envp. */
void libos_start(int argc, char **argv, char **envp) __attribute__((noreturn));
void libos_start(int argc, char **argv, char **envp)
{
	thread_tls_init(); /* first: errno and every lock live in the thread's TLS */
	environ = envp;
	if (&libos_bare && libos_bare) /* a bare environment: no process layer */
		task.argv = argv, task.env = (envid_t)sys_env_id();
	else
		proc_init(argc, argv);
	if (libos_upcall_init() < 0) /* page faults: copy-on-write, stack growth */
		sys_env_exit(127);
	const struct fork_strategy *s = libos_fork_strategy(getenv("LIBOS_FORK"));
	if (s)
		libos_fork_default = s;
	const struct thread_package *tp = libos_thread_package_named(getenv("LIBOS_THREADS"));
	if (tp)
		libos_thread_package_set(tp);
	atexit(__libc_fini_array);
	__libc_init_array();
	exit(main(argc, argv, envp));
}
