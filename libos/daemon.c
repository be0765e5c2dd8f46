/* daemon and nice: a process leaving its terminal, and its priority. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

/* daemon: go on in the background: fork (the parent exits 0), become a session
 * leader without a terminal, chdir("/") unless nochdir, and put /dev/null on
 * descriptors 0-2 unless noclose. Returns 0 in the child, or -1 with fork's,
 * setsid's, chdir's or open's error (in the caller, if fork failed). */
int daemon(int nochdir, int noclose)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0 || (!nochdir && chdir("/") < 0))
		return -1;
	if (!noclose) {
		int fd = open("/dev/null", O_RDWR);
		if (fd < 0)
			return -1;
		for (int i = 0; i < 3; i++)
			if (fd != i && dup2(fd, i) < 0)
				return -1;
		if (fd > 2)
			close(fd);
	}
	return 0;
}

/* nice: add incr to the process's nice value: every process has one
 * scheduling priority (time slices are equal), so the value stays 0. Returns
 * 0 (the new value) for incr 0 or more, or -1 with EPERM for a negative one
 * (a raised priority exo cannot give). */
int nice(int incr)
{
	if (incr < 0) {
		errno = EPERM;
		return -1;
	}
	return 0;
}
