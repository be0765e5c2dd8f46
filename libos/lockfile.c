/*
 * flockfile, ftrylockfile, funlockfile: a stream's lock, for a thread that makes
 * several stdio calls in a row. They take newlib's own recursive lock of the
 * stream (fp->_lock, the one its stdio functions take), through newlib's
 * retargetable lock calls. The libOS has no threads yet and does not retarget
 * them, so today they are newlib's no-op defaults; when threads come, the libOS's
 * __retarget_lock_* make these real locks with no change here. Strings of
 * sprintf/sscanf (__SSTR) have no lock.
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
 * taken, non-zero when another thread holds it. With one thread per process no
 * other thread can hold it, so it is taken as flockfile takes it and this
 * returns 0. (newlib's default try-acquire answers 1, "busy", which would be
 * wrong here; when the libOS has threads and its own __retarget_lock_* calls, this
 * becomes __lock_try_acquire_recursive with their convention.) */
int ftrylockfile(FILE *fp)
{
	flockfile(fp);
	return 0;
}

/* funlockfile: give back one hold of fp's lock. */
void funlockfile(FILE *fp)
{
	if (!(fp->_flags & __SSTR))
		__lock_release_recursive(fp->_lock);
}
