/* <sys/resource.h>, in place of newlib's (which has only getrusage): resource
 * usage and limits (libos/rlimit.c). */
#ifndef LIBOS_SYS_RESOURCE_H
#define LIBOS_SYS_RESOURCE_H
#include <sys/time.h>
#include <sys/types.h>

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)

struct rusage {
	struct timeval ru_utime; /* user time used */
	struct timeval ru_stime; /* system time used */
};

typedef unsigned long rlim_t;
#define RLIM_INFINITY (~0UL)
#define RLIM_SAVED_MAX RLIM_INFINITY
#define RLIM_SAVED_CUR RLIM_INFINITY

struct rlimit {
	rlim_t rlim_cur; /* the soft limit: what is enforced */
	rlim_t rlim_max; /* the hard limit: the ceiling of the soft one */
};

#define RLIMIT_CPU 0    /* CPU time, seconds */
#define RLIMIT_FSIZE 1  /* file size, bytes */
#define RLIMIT_DATA 2   /* the data segment (heap), bytes */
#define RLIMIT_STACK 3  /* the stack, bytes */
#define RLIMIT_CORE 4   /* core files, bytes */
#define RLIMIT_NOFILE 5 /* descriptors: one more than the highest that may be opened */
#define RLIMIT_AS 6     /* the address space, bytes */
#define RLIM_NLIMITS 7

int getrusage(int who, struct rusage *usage);
int getrlimit(int resource, struct rlimit *rl);
int setrlimit(int resource, const struct rlimit *rl);

#endif
