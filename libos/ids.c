/*
 * Users and groups. There is one user: every process runs as root (user 0, group
 * 0, no other groups), as on a single-user machine; nothing checks permissions
 * against these ids. (The file-mode mask is in file.c: the server keeps it.)
 */
#include <errno.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>
#include "libos.h"

/* getuid, geteuid: the real and effective user id: always 0 (root). Never fail. */
uid_t getuid(void) { return 0; }
uid_t geteuid(void) { return 0; }

/* getgid, getegid: the real and effective group id: always 0. Never fail. */
gid_t getgid(void) { return 0; }
gid_t getegid(void) { return 0; }

/* getgroups: the supplementary groups: the one group 0. With size 0 returns the
 * count (1) and writes nothing; else writes it to list[0] and returns 1, or -1
 * with EINVAL (size negative) or EFAULT (list is not writable). */
int getgroups(int size, gid_t list[])
{
	if (size < 0) {
		errno = EINVAL;
		return -1;
	}
	if (size == 0)
		return 1;
	int err = libos_user_range(list, sizeof list[0], true);
	if (err) {
		errno = err;
		return -1;
	}
	list[0] = 0;
	return 1;
}

/* setuid, seteuid: become user uid: 0 succeeds (we are root already); any other
 * id is -1 with EINVAL, since there are no other users. */
int setuid(uid_t uid)
{
	if (uid == 0)
		return 0;
	errno = EINVAL;
	return -1;
}
int seteuid(uid_t uid) { return setuid(uid); }

/* setgid, setegid: as setuid for the group id: 0 succeeds, any other EINVAL. */
int setgid(gid_t gid)
{
	if (gid == 0)
		return 0;
	errno = EINVAL;
	return -1;
}
int setegid(gid_t gid) { return setgid(gid); }

/* wait3: waitpid(-1, status, options), and *usage (when not NULL) zeroed: the
 * kernel keeps no CPU time per environment. Returns and fails as waitpid. */
pid_t wait3(int *status, int options, struct rusage *usage)
{
	if (usage) {
		int err = libos_user_range(usage, sizeof *usage, true);
		if (err) {
			errno = err;
			return -1;
		}
	}
	pid_t pid = waitpid(-1, status, options);
	if (pid > 0 && usage)
		memset(usage, 0, sizeof *usage);
	return pid;
}

/* setreuid, setregid: set the real and effective ids, -1 leaving one as it is:
 * 0 succeeds, any other id EINVAL (as setuid). */
int setreuid(uid_t ruid, uid_t euid)
{
	if ((ruid != (uid_t)-1 && setuid(ruid) < 0) || (euid != (uid_t)-1 && setuid(euid) < 0))
		return -1;
	return 0;
}

int setregid(gid_t rgid, gid_t egid)
{
	if ((rgid != (gid_t)-1 && setgid(rgid) < 0) || (egid != (gid_t)-1 && setgid(egid) < 0))
		return -1;
	return 0;
}

/* setgroups: set the supplementary groups: no groups, or group 0 alone,
 * succeed (what every process has); others EINVAL; a negative size EINVAL, an
 * unreadable list EFAULT. */
int setgroups(int size, const gid_t *list)
{
	if (size < 0) {
		errno = EINVAL;
		return -1;
	}
	int err = size ? libos_user_range(list, (size_t)size * sizeof list[0], false) : 0;
	for (int i = 0; !err && i < size; i++)
		if (list[i] != 0)
			err = EINVAL;
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* initgroups: the groups of user (from /etc/group) and group: succeeds when
 * they are group 0 (root's), else EINVAL as setgroups. */
int initgroups(const char *user, gid_t group)
{
	(void)user; /* /etc/group puts no user in another group than 0 */
	return setgroups(1, &group);
}
