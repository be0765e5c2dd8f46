/*
 * flockfile, ftrylockfile, funlockfile: a stream's lock, for a thread that makes
 * several stdio calls in a row. They take newlib's own recursive lock of the
 * stream (fp->_lock, the one its stdio functions take), through newlib's
 * retargetable lock calls, which the libOS makes recursive mutexes
 * (newlib_locks.c). Strings of sprintf/sscanf (__SSTR) have no lock.
 */
#include <stdio.h>
#include <sys/lock.h>

/* flockfile: take fp's lock (recursive: the owner may take it again). */
void flockfile(FILE *fp)
{
	if (!(fp->_flags & __SSTR))
		__lock_acquire_recursive(fp->_lock);
}

/* ftrylockfile: take fp's lock if no other thread holds it. Returns 0 when
 * taken, non-zero when another thread holds it. */
int ftrylockfile(FILE *fp)
{
	return (fp->_flags & __SSTR) ? 0 : __lock_try_acquire_recursive(fp->_lock);
}

/* funlockfile: give back one hold of fp's lock. */
void funlockfile(FILE *fp)
{
	if (!(fp->_flags & __SSTR))
		__lock_release_recursive(fp->_lock);
}
