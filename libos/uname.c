/*
 * uname, gethostname, sethostname. The host name is system-wide: the server keeps
 * it in the process table's header (srv_sys.c); until sethostname sets one it is
 * the first line of /etc/hostname if that file exists, else "exo".
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "libos.h"
#include "proc.h"
#include "srv.h"

#define EXO_SYSNAME "exo"
#define EXO_RELEASE "0.13"           /* the system's release: bumped by hand */
#define EXO_VERSION "#1 " __DATE__   /* this build of it */
#define EXO_MACHINE "x86_64"
#define HOST_NAME_LEN 64             /* HOST_NAME_MAX: without the NUL */

static int fail(int err)
{
	errno = err;
	return -1;
}

/* host_name: the host name into out (at least 65 bytes, NUL-terminated). */
static void host_name(char out[HOST_NAME_LEN + 1])
{
	if (task.self && PROCTAB->hostname[0]) {
		memcpy(out, PROCTAB->hostname, HOST_NAME_LEN + 1);
		return;
	}
	strcpy(out, "exo");
	int fd = open("/etc/hostname", O_RDONLY);
	if (fd < 0)
		return;
	ssize_t n = read(fd, out, HOST_NAME_LEN);
	close(fd);
	if (n <= 0 || out[0] == '\n') {
		strcpy(out, "exo");
		return;
	}
	out[n] = 0;
	out[strcspn(out, "\n")] = 0;
}

/* uname: the system's names into *u: sysname "exo", nodename the host name,
 * release and version of this system, machine "x86_64". Returns 0, or -1 with
 * EFAULT (u is not writable). */
int uname(struct utsname *u)
{
	int err = libos_user_range(u, sizeof *u, true);
	if (err)
		return fail(err);
	memset(u, 0, sizeof *u);
	strcpy(u->sysname, EXO_SYSNAME);
	host_name(u->nodename);
	strcpy(u->release, EXO_RELEASE);
	strcpy(u->version, EXO_VERSION);
	strcpy(u->machine, EXO_MACHINE);
	return 0;
}

/* gethostname: the host name into name (len bytes); POSIX leaves a cut name
 * unterminated, as here. Returns 0, or -1 with EFAULT (name is not len
 * writable bytes). */
int gethostname(char *name, size_t len)
{
	int err = libos_user_range(name, len, true);
	if (err)
		return fail(err);
	char h[HOST_NAME_LEN + 1];
	host_name(h);
	size_t n = strlen(h) + 1;
	memcpy(name, h, n < len ? n : len);
	return 0;
}

/* sethostname: the host name becomes the len bytes at name, for every process.
 * Returns 0, or -1 with EINVAL (len above 64), EFAULT (name is not len readable
 * bytes) or ENOSYS (a bare program: no server). */
int sethostname(const char *name, size_t len)
{
	if (len > HOST_NAME_LEN)
		return fail(EINVAL);
	int err = libos_user_range(name, len, false);
	if (err)
		return fail(err);
	struct srv_chan *c = srv_chan();
	if (!c)
		return fail(ENOSYS);
	memcpy(c->data, name, len);
	long r = srv_call(SRV_SETHOSTNAME, (int64_t)len, 0, 0);
	return r < 0 ? fail((int)-r) : 0;
}
