/* <sys/wait.h>: newlib's, plus what POSIX adds and newlib leaves out. */
#ifndef LIBOS_SYS_WAIT_H
#define LIBOS_SYS_WAIT_H
#include_next <sys/wait.h>

#define WCONTINUED 8                        /* waitpid: report continued children */
#define WIFCONTINUED(w) ((w) == 0xffff)
#define WCOREDUMP(w) (((w) & 0x80) != 0)
#define W_EXITCODE(ret, sig) ((ret) << 8 | (sig))
#define W_STOPCODE(sig) ((sig) << 8 | 0x7f)

struct rusage;
pid_t wait3(int *status, int options, struct rusage *usage); /* libos/ids.c */
#endif
