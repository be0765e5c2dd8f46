/* Unnamed POSIX semaphores (libos/semaphore.c). Named ones (sem_open) are not
 * supported: they fail with ENOSYS. */
#ifndef _SEMAPHORE_H
#define _SEMAPHORE_H
#include <time.h>
#include <limits.h>

#define SEM_VALUE_MAX 0x7fffffff
#define SEM_FAILED ((sem_t *)0)

typedef struct {
	unsigned int value;     /* word: the count */
	unsigned int waiters;   /* sleepers (sem_post wakes one only when there are some) */
	int pshared;
} sem_t;

int sem_init(sem_t *, int, unsigned);
int sem_destroy(sem_t *);
int sem_wait(sem_t *);
int sem_trywait(sem_t *);
int sem_timedwait(sem_t *, const struct timespec *);
int sem_post(sem_t *);
int sem_getvalue(sem_t *, int *);
sem_t *sem_open(const char *, int, ...);
int sem_close(sem_t *);
int sem_unlink(const char *);

#endif
