/*
 * popen, pclose: a command run by /bin/sh -c with one end of a pipe as its
 * standard input or output. The child is made with posix_spawn (nothing of ours
 * is copied); its file actions close, in the child, our end of the pipe and the
 * streams of every other popen() still open, as POSIX requires. Each stream's
 * child is remembered here (private memory: a fork child inherits the list, but
 * the children in it are not its own, so its pclose of them fails with ECHILD).
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct popen_child {
	FILE *f;
	pid_t pid;
	struct popen_child *next;
};
static struct popen_child *children;

/* spawn_shell: start sh -c cmd with child_end as its descriptor target, our
 * parent_end and the other popen streams closed. Returns 0 and *pid, or an
 * error number (ENOMEM, or posix_spawn's). */
static int spawn_shell(const char *cmd, int parent_end, int child_end, int target, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	int err = posix_spawn_file_actions_init(&fa);
	if (err)
		return err;
	for (struct popen_child *c = children; c && !err; c = c->next)
		if (fileno(c->f) != target)
			err = posix_spawn_file_actions_addclose(&fa, fileno(c->f));
	if (!err && parent_end != target)
		err = posix_spawn_file_actions_addclose(&fa, parent_end);
	if (!err && child_end != target) {
		err = posix_spawn_file_actions_adddup2(&fa, child_end, target);
		if (!err)
			err = posix_spawn_file_actions_addclose(&fa, child_end);
	}
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	if (!err)
		err = posix_spawn(pid, "/bin/sh", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return err;
}

/* popen: run cmd with /bin/sh -c; mode "r" gives a stream reading its standard
 * output, "w" one writing its standard input ("re", "we": our end close-on-exec).
 * Returns the stream, or NULL with EINVAL (another mode), EMFILE/ENFILE (no
 * descriptor or pipe), ENOMEM, or what posix_spawn of /bin/sh failed with. The
 * command's own failures (sh: not found) show in the status pclose returns. */
FILE *popen(const char *cmd, const char *mode)
{
	bool reading = mode[0] == 'r';
	if ((mode[0] != 'r' && mode[0] != 'w') || (mode[1] && strcmp(mode + 1, "e"))) {
		errno = EINVAL;
		return NULL;
	}
	struct popen_child *c = malloc(sizeof *c);
	int fds[2];
	if (!c)
		return NULL;
	if (pipe(fds) < 0) {
		free(c);
		return NULL;
	}
	int parent_end = reading ? fds[0] : fds[1], child_end = reading ? fds[1] : fds[0];
	int err = spawn_shell(cmd, parent_end, child_end, reading ? 1 : 0, &c->pid);
	close(child_end);
	if (!err && mode[1] == 'e' && fcntl(parent_end, F_SETFD, FD_CLOEXEC) < 0)
		err = errno;
	if (!err && !(c->f = fdopen(parent_end, reading ? "r" : "w")))
		err = errno;
	if (err) {
		close(parent_end);
		free(c);
		errno = err;
		return NULL;
	}
	c->next = children;
	children = c;
	return c->f;
}

/* pclose: close a stream popen returned and wait for its command. Returns the
 * command's wait status (as waitpid gives it: sh's 127 when the command was not
 * found), or -1 with ECHILD (f is not a stream popen returned, or its child is
 * not ours to wait for) or another waitpid error. A signal caught meanwhile does
 * not end the wait. */
int pclose(FILE *f)
{
	struct popen_child **pp = &children;
	while (*pp && (*pp)->f != f)
		pp = &(*pp)->next;
	struct popen_child *c = *pp;
	if (!c) {
		errno = ECHILD;
		return -1;
	}
	*pp = c->next;
	pid_t pid = c->pid;
	free(c);
	fclose(f);
	int status;
	pid_t r;
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	return r < 0 ? -1 : status;
}
