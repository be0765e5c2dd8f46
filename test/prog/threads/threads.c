/* POSIX threads, with either package (argument "kernel": one environment each in
 * the process's address space; "user": many on one environment): creation and joining, every synchronisation object under contention,
 * TLS and errno, keys, cancellation, and threads meeting processes (fork from a
 * thread, exit from any thread, a fatal fault, exec, main's pthread_exit). One
 * line per section; any failed check exits 1. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include "../check.h"
#include "threads.h"

#define SECTION(name) printf("threads: %s ok\n", name), fflush(stdout)

static void *ret_arg(void *arg)
{
	return (char *)arg + 1;
}

static void create_join(void)
{
	for (long i = 0; i < 2000; i++) {
		pthread_t t;
		void *v;
		CHECK_EQ(pthread_create(&t, NULL, ret_arg, (void *)i), 0);
		CHECK_EQ(pthread_join(t, &v), 0);
		CHECK_EQ((long)v, i + 1);
	}
	pthread_t t;
	CHECK_EQ(pthread_create(&t, NULL, ret_arg, NULL), 0);
	CHECK_EQ(pthread_join(t, NULL), 0);
	CHECK_EQ(pthread_join(t, NULL), ESRCH); /* reaped */
	CHECK_EQ(pthread_join(pthread_self(), NULL), EDEADLK);
	CHECK(pthread_equal(pthread_self(), pthread_self()));
	SECTION("2000 create/join cycles");
}

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static long counter;
#define NT 4
#define PER 20000

static void *add(void *arg)
{
	(void)arg;
	for (int i = 0; i < PER; i++) {
		pthread_mutex_lock(&m);
		long c = counter;
		if ((i & 255) == 0)
			sched_yield(); /* hold it across a switch now and then */
		counter = c + 1;
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

static void mutex_contention(void)
{
	pthread_t t[NT];
	for (int i = 0; i < NT; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, add, NULL), 0);
	for (int i = 0; i < NT; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	CHECK_EQ(counter, NT * PER);
	SECTION("mutex under contention");
}

static void *try_other(void *arg)
{
	return (void *)(long)pthread_mutex_trylock(arg);
}

static void mutex_kinds(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t r, e;
	void *v;
	pthread_t t;
	CHECK_EQ(pthread_mutexattr_init(&a), 0);
	CHECK_EQ(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE), 0);
	CHECK_EQ(pthread_mutex_init(&r, &a), 0);
	CHECK_EQ(pthread_mutex_lock(&r), 0);
	CHECK_EQ(pthread_mutex_lock(&r), 0);
	CHECK_EQ(pthread_mutex_trylock(&r), 0);
	CHECK_EQ(pthread_create(&t, NULL, try_other, &r), 0);
	CHECK_EQ(pthread_join(t, &v), 0);
	CHECK_EQ((long)v, EBUSY);
	CHECK_EQ(pthread_mutex_unlock(&r), 0);
	CHECK_EQ(pthread_mutex_unlock(&r), 0);
	CHECK_EQ(pthread_mutex_unlock(&r), 0);
	CHECK_EQ(pthread_mutex_unlock(&r), EPERM);
	CHECK_EQ(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK), 0);
	CHECK_EQ(pthread_mutex_init(&e, &a), 0);
	CHECK_EQ(pthread_mutex_unlock(&e), EPERM);
	CHECK_EQ(pthread_mutex_lock(&e), 0);
	CHECK_EQ(pthread_mutex_lock(&e), EDEADLK);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000)
		ts.tv_sec++, ts.tv_nsec -= 1000000000;
	pthread_mutex_t n = PTHREAD_MUTEX_INITIALIZER;
	CHECK_EQ(pthread_mutex_lock(&n), 0);
	CHECK_EQ(pthread_mutex_trylock(&n), EBUSY);
	CHECK_EQ(pthread_mutex_timedlock(&n, &ts), ETIMEDOUT);
	CHECK_EQ(pthread_mutex_destroy(&n), EBUSY);
	CHECK_EQ(pthread_mutex_unlock(&n), 0);
	CHECK_EQ(pthread_mutex_timedlock(&n, &ts), 0); /* free: taken whatever the time */
	CHECK_EQ(pthread_mutexattr_settype(&a, 99), EINVAL);
	SECTION("recursive, error-checking, trylock, timedlock");
}

/* A bounded queue: producers and consumers on two condition variables. */
static pthread_mutex_t qm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notfull = PTHREAD_COND_INITIALIZER, notempty = PTHREAD_COND_INITIALIZER;
static int q[8], qn, qhead;
static long consumed_sum;
#define ITEMS 3000

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&qm);
		while (qn == 8)
			pthread_cond_wait(&notfull, &qm);
		q[(qhead + qn++) % 8] = i;
		pthread_cond_signal(&notempty);
		pthread_mutex_unlock(&qm);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITEMS; i++) {
		pthread_mutex_lock(&qm);
		while (qn == 0)
			pthread_cond_wait(&notempty, &qm);
		consumed_sum += q[qhead];
		qhead = (qhead + 1) % 8, qn--;
		pthread_cond_broadcast(&notfull);
		pthread_mutex_unlock(&qm);
	}
	return NULL;
}

static void condvars(void)
{
	pthread_t p[2], c[2];
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(pthread_create(&p[i], NULL, producer, NULL), 0);
		CHECK_EQ(pthread_create(&c[i], NULL, consumer, NULL), 0);
	}
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(pthread_join(p[i], NULL), 0);
		CHECK_EQ(pthread_join(c[i], NULL), 0);
	}
	CHECK_EQ(consumed_sum, 2L * ITEMS * (ITEMS + 1) / 2);
	/* timedwait on both clocks */
	pthread_condattr_t ca;
	pthread_cond_t cv;
	CHECK_EQ(pthread_condattr_init(&ca), 0);
	CHECK_EQ(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC), 0);
	CHECK_EQ(pthread_cond_init(&cv, &ca), 0);
	for (int clk = 0; clk < 2; clk++) {
		struct timespec ts, before, after;
		clockid_t id = clk ? CLOCK_MONOTONIC : CLOCK_REALTIME;
		pthread_cond_t *c = clk ? &cv : &notfull;
		clock_gettime(id, &ts);
		before = ts;
		ts.tv_nsec += 30000000;
		if (ts.tv_nsec >= 1000000000)
			ts.tv_sec++, ts.tv_nsec -= 1000000000;
		pthread_mutex_lock(&qm);
		int r;
		while ((r = pthread_cond_timedwait(c, &qm, &ts)) == 0)
			;
		CHECK_EQ(r, ETIMEDOUT);
		CHECK_EQ(pthread_mutex_trylock(&qm), EBUSY); /* held again */
		pthread_mutex_unlock(&qm);
		clock_gettime(id, &after);
		long ms = (after.tv_sec - before.tv_sec) * 1000 + (after.tv_nsec - before.tv_nsec) / 1000000;
		CHECK(ms >= 29);
	}
	SECTION("condition variables: producer/consumer, timedwait on both clocks");
}

static __thread int tls_var = 42;
static __thread char tls_buf[100];

static void *tls_thread(void *arg)
{
	if (tls_var != 42 || tls_buf[0] != 0)
		return (void *)1;
	tls_var = (int)(long)arg;
	snprintf(tls_buf, sizeof tls_buf, "thread %ld", (long)arg);
	errno = (int)(long)arg;
	for (int i = 0; i < 50; i++)
		sched_yield();
	if (tls_var != (int)(long)arg || errno != (int)(long)arg || atoi(tls_buf + 7) != (long)arg)
		return (void *)2;
	return NULL;
}

static void tls(void)
{
	pthread_t t[8];
	tls_var = 7;
	errno = 0;
	for (long i = 0; i < 8; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, tls_thread, (void *)(i + 100)), 0);
	for (int i = 0; i < 8; i++) {
		void *v;
		CHECK_EQ(pthread_join(t[i], &v), 0);
		CHECK_EQ((long)v, 0);
	}
	CHECK_EQ(tls_var, 7);
	CHECK_EQ(errno, 0);
	SECTION("__thread and errno per thread");
}

static pthread_key_t key;
static int destroyed;
static pthread_mutex_t dm = PTHREAD_MUTEX_INITIALIZER;

static void destructor(void *v)
{
	pthread_mutex_lock(&dm);
	destroyed += (int)(long)v;
	pthread_mutex_unlock(&dm);
}

static void *key_thread(void *arg)
{
	if (pthread_getspecific(key) != NULL)
		return (void *)1;
	pthread_setspecific(key, arg);
	return pthread_getspecific(key) == arg ? NULL : (void *)2;
}

static void keys(void)
{
	CHECK_EQ(pthread_key_create(&key, destructor), 0);
	CHECK_EQ(pthread_setspecific(key, (void *)1000), 0);
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, key_thread, (void *)(i + 1)), 0);
	for (int i = 0; i < 4; i++) {
		void *v;
		CHECK_EQ(pthread_join(t[i], &v), 0);
		CHECK_EQ((long)v, 0);
	}
	CHECK_EQ(destroyed, 1 + 2 + 3 + 4);
	CHECK_EQ((long)pthread_getspecific(key), 1000);
	CHECK_EQ(pthread_key_delete(key), 0);
	CHECK_EQ(pthread_setspecific(key, NULL), EINVAL);
	SECTION("keys and destructors");
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t bar;
static pthread_spinlock_t spin;
static long shared_val, spin_count;
static int serial_count;

static void *rw_thread(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < 500; i++) {
		if (i % 5 == (int)id % 5) {
			pthread_rwlock_wrlock(&rw);
			long v = shared_val;
			sched_yield();
			shared_val = v + 1;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			long v = shared_val;
			sched_yield();
			if (v != shared_val)
				return (void *)1; /* a writer got in while we read */
			pthread_rwlock_unlock(&rw);
		}
		pthread_spin_lock(&spin);
		spin_count++;
		pthread_spin_unlock(&spin);
	}
	int r = pthread_barrier_wait(&bar);
	if (r == PTHREAD_BARRIER_SERIAL_THREAD)
		__atomic_add_fetch(&serial_count, 1, __ATOMIC_SEQ_CST);
	else if (r != 0)
		return (void *)2;
	return NULL;
}

static void rwlock_barrier_spin(void)
{
	pthread_t t[5];
	CHECK_EQ(pthread_barrier_init(&bar, NULL, 5), 0);
	CHECK_EQ(pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE), 0);
	for (long i = 0; i < 5; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, rw_thread, (void *)i), 0);
	for (int i = 0; i < 5; i++) {
		void *v;
		CHECK_EQ(pthread_join(t[i], &v), 0);
		CHECK_EQ((long)v, 0);
	}
	CHECK_EQ(shared_val, 5 * 100);
	CHECK_EQ(spin_count, 5 * 500);
	CHECK_EQ(serial_count, 1);
	CHECK_EQ(pthread_rwlock_rdlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_trywrlock(&rw), EBUSY);
	CHECK_EQ(pthread_rwlock_tryrdlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_wrlock(&rw), 0);
	CHECK_EQ(pthread_rwlock_wrlock(&rw), EDEADLK);
	CHECK_EQ(pthread_rwlock_unlock(&rw), 0);
	CHECK_EQ(pthread_barrier_init(&bar, NULL, 0), EINVAL);
	SECTION("rwlocks, barriers, spin locks");
}

static sem_t sem;
static void *sem_poster(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++)
		sem_post(&sem);
	return NULL;
}

static void semaphores(void)
{
	CHECK_EQ(sem_init(&sem, 0, 0), 0);
	CHECK_EQ(sem_trywait(&sem), -1);
	CHECK_EQ(errno, EAGAIN);
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, sem_poster, NULL), 0);
	for (int i = 0; i < 3000; i++)
		CHECK_EQ(sem_wait(&sem), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	int v;
	CHECK_EQ(sem_getvalue(&sem, &v), 0);
	CHECK_EQ(v, 0);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000)
		ts.tv_sec++, ts.tv_nsec -= 1000000000;
	CHECK_EQ(sem_timedwait(&sem, &ts), -1);
	CHECK_EQ(errno, ETIMEDOUT);
	ts.tv_nsec = 2000000000;
	CHECK_EQ(sem_timedwait(&sem, &ts), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(sem_post(&sem), 0);
	CHECK_EQ(sem_timedwait(&sem, &ts), 0); /* free: abstime not looked at */
	SECTION("semaphores");
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static void once_fn(void)
{
	once_runs++;
	for (int i = 0; i < 20; i++)
		sched_yield(); /* the others arrive meanwhile and wait */
}

static void *once_thread(void *arg)
{
	(void)arg;
	pthread_once(&once, once_fn);
	return (void *)(long)once_runs;
}

static volatile int detached_ran;
static void *detached_fn(void *arg)
{
	(void)arg;
	detached_ran = 1;
	return NULL;
}

static void once_detach(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, once_thread, NULL), 0);
	for (int i = 0; i < 4; i++) {
		void *v;
		CHECK_EQ(pthread_join(t[i], &v), 0);
		CHECK_EQ((long)v, 1);
	}
	pthread_attr_t a;
	pthread_attr_init(&a);
	CHECK_EQ(pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED), 0);
	CHECK_EQ(pthread_attr_setstacksize(&a, 100), EINVAL);
	CHECK_EQ(pthread_attr_setstacksize(&a, 64 * 1024), 0);
	for (int i = 0; i < 50; i++) {
		pthread_t d;
		detached_ran = 0;
		CHECK_EQ(pthread_create(&d, &a, detached_fn, NULL), 0);
		while (!detached_ran)
			sched_yield();
	}
	pthread_t d;
	CHECK_EQ(pthread_create(&d, NULL, detached_fn, NULL), 0);
	CHECK_EQ(pthread_detach(d), 0);
	CHECK_EQ(pthread_detach(d) == EINVAL || pthread_detach(d) == ESRCH, 1);
	SECTION("once, detached threads");
}

static int cleaned;
static void cleanup(void *arg)
{
	cleaned = (int)(long)arg;
}

static void *cancel_me(void *arg)
{
	pthread_cleanup_push(cleanup, (void *)5);
	sem_wait(arg); /* a cancellation point; nobody posts */
	pthread_cleanup_pop(0);
	return NULL;
}

static void *spin_cancel(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, (void *)9);
	for (;;)
		pthread_testcancel();
	pthread_cleanup_pop(0);
	return NULL;
}

static void cancellation(void)
{
	sem_t s;
	sem_init(&s, 0, 0);
	pthread_t t;
	void *v;
	CHECK_EQ(pthread_create(&t, NULL, spin_cancel, NULL), 0);
	CHECK_EQ(pthread_cancel(t), 0);
	CHECK_EQ(pthread_join(t, &v), 0);
	CHECK(v == PTHREAD_CANCELED);
	CHECK_EQ(cleaned, 9);
	CHECK_EQ(pthread_create(&t, NULL, cancel_me, &s), 0);
	for (int i = 0; i < 20; i++)
		sched_yield(); /* let it block */
	CHECK_EQ(pthread_cancel(t), 0);
	CHECK_EQ(pthread_join(t, &v), 0);
	CHECK(v == PTHREAD_CANCELED);
	CHECK_EQ(cleaned, 5);
	SECTION("deferred cancellation with cleanup handlers");
}

/* --- threads and processes --- */

static volatile int stop_churn;
static void *churn(void *arg)
{
	(void)arg;
	while (!stop_churn) {
		void *p = malloc(1000);
		printf("%s", ""); /* stdio's locks too */
		free(p);
	}
	return NULL;
}

static int prepared, in_parent, in_child;
static void at_prepare(void) { prepared++; }
static void at_parent(void) { in_parent++; }
static void at_child(void) { in_child++; }

static void *fork_from_thread(void *arg)
{
	(void)arg;
	pid_t c = fork();
	if (c == 0) {
		/* Only this thread here: malloc and stdio must work at once. */
		for (int i = 0; i < 100; i++)
			free(malloc(100 + i));
		printf("threads: forked child alive\n");
		fflush(stdout);
		_exit(in_child == 1 && prepared == 1 ? 3 : 4);
	}
	int st;
	if (c < 0 || waitpid(c, &st, 0) != c)
		return (void *)-1;
	return (void *)(long)(WIFEXITED(st) ? WEXITSTATUS(st) : 100);
}

static void *exit_thread(void *arg)
{
	(void)arg;
	exit(7);
}

static void *fault_thread(void *arg)
{
	(void)arg;
	volatile int *volatile bad = (int *)8;
	*bad = 1;
	return NULL;
}

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		sleep(1);
	return NULL;
}

static volatile int late_done;
static void *late(void *arg)
{
	(void)arg;
	for (int i = 0; i < 30; i++)
		sched_yield();
	late_done = 1;
	printf("threads: last thread done\n");
	fflush(stdout);
	return NULL;
}

static volatile int flag;
static void *set_flag(void *arg)
{
	(void)arg;
	flag = 1;
	return NULL;
}

static int child_status(pid_t c)
{
	int st;
	CHECK_EQ(waitpid(c, &st, 0), c);
	return st;
}

static void processes(void)
{
	CHECK_EQ(pthread_atfork(at_prepare, at_parent, at_child), 0);
	pthread_t ch[2], t;
	stop_churn = 0;
	for (int i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&ch[i], NULL, churn, NULL), 0);
	void *v;
	CHECK_EQ(pthread_create(&t, NULL, fork_from_thread, NULL), 0);
	CHECK_EQ(pthread_join(t, &v), 0);
	CHECK_EQ((long)v, 3);
	CHECK_EQ(prepared, 1);
	CHECK_EQ(in_parent, 1);
	stop_churn = 1;
	for (int i = 0; i < 2; i++)
		CHECK_EQ(pthread_join(ch[i], NULL), 0);
	SECTION("fork from a thread while others use malloc and stdio");

	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		pthread_t s, e;
		pthread_create(&s, NULL, sleeper, NULL);
		pthread_create(&e, NULL, exit_thread, NULL);
		for (;;)
			pause();
	}
	int st = child_status(c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	SECTION("exit from any thread ends the process");

	c = fork();
	if (c == 0) {
		pthread_t s, f;
		pthread_create(&s, NULL, sleeper, NULL);
		pthread_create(&f, NULL, fault_thread, NULL);
		for (;;)
			pause();
	}
	st = child_status(c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	SECTION("a fatal fault in one thread ends the process");

	c = fork();
	if (c == 0) {
		pthread_t s;
		pthread_create(&s, NULL, sleeper, NULL);
		pthread_create(&s, NULL, sleeper, NULL);
		execl("/bin/true", "true", (char *)NULL);
		_exit(99);
	}
	st = child_status(c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	SECTION("exec ends the other threads");

	c = fork();
	if (c == 0) {
		pthread_t s;
		pthread_create(&s, NULL, late, NULL);
		pthread_exit(NULL);
	}
	st = child_status(c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	SECTION("main's pthread_exit: the process ends with its last thread");

	c = fork();
	if (c == 0) {
		pthread_t s;
		pthread_create(&s, NULL, sleeper, NULL);
		for (;;)
			pause();
	}
	CHECK_EQ(kill(c, SIGKILL), 0);
	st = child_status(c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	SECTION("kill ends every thread");

	/* A spinning thread cannot keep another from running: time slices preempt. */
	flag = 0;
	CHECK_EQ(pthread_create(&t, NULL, set_flag, NULL), 0);
	while (!flag)
		; /* no yield: the kernel must preempt us */
	CHECK_EQ(pthread_join(t, NULL), 0);
	SECTION("a spinning thread is preempted");
}

int main(int argc, char **argv)
{
	if (argc > 1)
		CHECK_EQ(libos_thread_package_set(libos_thread_package_named(argv[1])), 0);
	printf("threads: package %s\n", argc > 1 ? argv[1] : "kernel");
	create_join();
	mutex_contention();
	mutex_kinds();
	condvars();
	tls();
	keys();
	rwlock_barrier_spin();
	semaphores();
	once_detach();
	cancellation();
	processes();
	printf("threads: all %d checks passed\n", checks_passed);
	return 0;
}
