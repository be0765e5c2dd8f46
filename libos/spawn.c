/*
 * posix_spawn: a new process running a program, built without copying anything
 * of ours: its environment is made by the exec loader, its descriptors are ours
 * (close-on-exec ones closed) after the file actions (open, close, dup2) are
 * applied to its descriptor table. It ignores and blocks the signals we do
 * (as exec keeps them), less what its attributes say (spawnattr.c):
 * POSIX_SPAWN_SETSIGMASK, POSIX_SPAWN_SETSIGDEF, POSIX_SPAWN_SETPGROUP;
 * POSIX_SPAWN_RESETIDS and the scheduling ones change nothing (every id is 0,
 * one policy).
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fs.h"
#include "proc.h"
#include "signal_int.h"
#include "spawnattr.h"
#include "srv.h"

enum { ACT_OPEN, ACT_CLOSE, ACT_DUP2 };

struct spawn_action {
	int kind, fd, fd2, flags;
	mode_t mode;
	char *path;
};

struct __posix_spawn_file_actions {
	int n, cap;
	struct spawn_action *a;
};

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	*fa = calloc(1, sizeof **fa);
	return *fa ? 0 : ENOMEM;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
	for (int i = 0; i < (*fa)->n; i++)
		free((*fa)->a[i].path);
	free((*fa)->a);
	free(*fa);
	*fa = NULL;
	return 0;
}

static int add(posix_spawn_file_actions_t *fa, struct spawn_action act)
{
	struct __posix_spawn_file_actions *f = *fa;
	if (act.fd < 0 || act.fd >= NOFILE || (act.kind == ACT_DUP2 && (act.fd2 < 0 || act.fd2 >= NOFILE)))
		return EBADF;
	if (f->n == f->cap) {
		int cap = f->cap ? 2 * f->cap : 8;
		struct spawn_action *a = realloc(f->a, (size_t)cap * sizeof *a);
		if (!a)
			return ENOMEM;
		f->a = a, f->cap = cap;
	}
	f->a[f->n++] = act;
	return 0;
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *__restrict fa, int fd,
				     const char *__restrict path, int flags, mode_t mode)
{
	char *copy = strdup(path);
	if (!copy)
		return ENOMEM;
	int r = add(fa, (struct spawn_action){ ACT_OPEN, fd, 0, flags, mode, copy });
	if (r)
		free(copy);
	return r;
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
	return add(fa, (struct spawn_action){ ACT_CLOSE, fd, 0, 0, 0, NULL });
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int fd2)
{
	return add(fa, (struct spawn_action){ ACT_DUP2, fd, fd2, 0, 0, NULL });
}

/* Apply the actions to the descriptor table of child pid (the server lets us act
 * on a child we registered until it starts), then close its close-on-exec ones. */
static int apply(const posix_spawn_file_actions_t *fa, int pid)
{
	int err = 0;
	srv_target = pid;
	for (int i = 0; !err && fa && *fa && i < (*fa)->n; i++) {
		const struct spawn_action *a = &(*fa)->a[i];
		if (a->kind == ACT_CLOSE) {
			err = close(a->fd) < 0 ? errno : 0;
		} else if (a->kind == ACT_DUP2) {
			err = dup2(a->fd, a->fd2) < 0 ? errno : 0;
		} else {
			int fd = open(a->path, a->flags, a->mode);
			if (fd < 0)
				err = errno;
			else if (fd != a->fd && (dup2(fd, a->fd) < 0 || close(fd) < 0))
				err = errno;
		}
	}
	long r = err ? 0 : srv_call(SRV_CLOEXEC, 0, 0, 0);
	srv_target = 0;
	return err ? err : r < 0 ? (int)-r : 0;
}

/* posix_spawn: a new process running path with argv and envp (fa applied to its
 * descriptors first), its pid in *pid. Returns 0 or an error number: EFAULT (path,
 * argv, envp, their strings or pid unusable: checked before anything is made),
 * EAGAIN, an action's error, setpgid's (POSIX_SPAWN_SETPGROUP), or exec's
 * (ENOENT, EACCES, ENOEXEC, E2BIG, ENOMEM). */
int posix_spawn(pid_t *__restrict pid, const char *__restrict path, const posix_spawn_file_actions_t *fa,
		const posix_spawnattr_t *__restrict attr, char *const argv[], char *const envp[])
{
	int check = libos_exec_check(path, argv, envp);
	if (!check && pid)
		check = libos_user_range(pid, sizeof *pid, true);
	if (check)
		return check; /* nothing made yet */
	struct srv_chan *c = srv_chan();
	if (!c)
		return ENOSYS;
	long env = libos_exec_build(path, argv, envp);
	if (env < 0)
		return (int)-env;
	proc_set_cmd(c->data, argv); /* the command for ps */
	uint64_t ignored, mask; /* what the child keeps of our signal state */
	libos_sig_exec_state(&ignored, &mask);
	const struct __posix_spawnattr *at = attr ? *attr : NULL;
	short flags = at ? at->flags : 0;
	if (flags & POSIX_SPAWN_SETSIGMASK)
		mask = (uint64_t)at->sigmask;
	if (flags & POSIX_SPAWN_SETSIGDEF)
		ignored &= ~(uint64_t)at->sigdefault;
	long child = srv_call(SRV_SPAWN, env, (int64_t)ignored, (int64_t)mask);
	if (child < 0) {
		sys_env_destroy(env);
		return child == -EINVAL ? EAGAIN : (int)-child;
	}
	int err = apply(fa, (int)child);
	if (!err && (flags & POSIX_SPAWN_SETPGROUP) && setpgid((pid_t)child, at->pgroup) < 0)
		err = errno;
	if (!err && sys_env_set_status(env, EXO_ENV_RUNNABLE) < 0)
		err = EAGAIN;
	if (err) {
		srv_call(SRV_DISCARD, child, 0, 0);
		return err;
	}
	if (pid)
		*pid = (pid_t)child;
	return 0;
}

int posix_spawnp(pid_t *__restrict pid, const char *__restrict file, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *__restrict attr, char *const argv[], char *const envp[])
{
	if (strchr(file, '/'))
		return posix_spawn(pid, file, fa, attr, argv, envp);
	char buf[256];
	int err = libos_path_lookup(file, buf, sizeof buf);
	return err ? err : posix_spawn(pid, buf, fa, attr, argv, envp);
}
