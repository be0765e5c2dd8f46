/* Thread-specific data: a process-wide table of keys (a destructor each, and a
 * generation so that a deleted key's old values are not seen by its reuse), and
 * a value slot per key in every TCB. */
#include <errno.h>
#include "thread.h"

static struct {
	bool used;
	uint32_t gen;
	void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];
static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;

/* Each slot holds its value with the key's generation, so a reused key starts
 * from NULL everywhere without touching other threads' TCBs. */
struct slot {
	void *value;
	uint32_t gen;
};
static __thread struct slot slots[PTHREAD_KEYS_MAX];

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	pthread_mutex_lock(&keys_lock);
	for (unsigned k = 0; k < PTHREAD_KEYS_MAX; k++)
		if (!keys[k].used) {
			keys[k].used = true;
			keys[k].gen++;
			keys[k].destructor = destructor;
			pthread_mutex_unlock(&keys_lock);
			*key = k;
			return 0;
		}
	pthread_mutex_unlock(&keys_lock);
	return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
	pthread_mutex_lock(&keys_lock);
	int err = key < PTHREAD_KEYS_MAX && keys[key].used ? 0 : EINVAL;
	if (!err)
		keys[key].used = false;
	pthread_mutex_unlock(&keys_lock);
	return err;
}

void *pthread_getspecific(pthread_key_t key)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used || slots[key].gen != keys[key].gen)
		return NULL;
	return slots[key].value;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
		return EINVAL;
	slots[key] = (struct slot){ (void *)value, keys[key].gen };
	return 0;
}

/* thread_keys_run: at a thread's exit, call the destructor of each key with a
 * non-NULL value (value reset to NULL first), up to
 * PTHREAD_DESTRUCTOR_ITERATIONS rounds while destructors set new values. */
void thread_keys_run(struct tcb *t);
void thread_keys_run(struct tcb *t)
{
	(void)t;
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		bool again = false;
		for (unsigned k = 0; k < PTHREAD_KEYS_MAX; k++) {
			void (*d)(void *) = keys[k].destructor;
			void *v = pthread_getspecific(k);
			if (!v || !d)
				continue;
			slots[k].value = NULL;
			d(v);
			again = true;
		}
		if (!again)
			break;
	}
}
