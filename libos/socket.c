/* The socket calls: exo has no network and no socket of any family, so socket
 * and socketpair fail with EAFNOSUPPORT and the calls on a descriptor find no
 * socket behind it (ENOTSOCK, or EBADF for a descriptor that is not open). */
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
#include "fs.h"

/* not_socket: -1 with EBADF (fd not open) or ENOTSOCK. */
static int not_socket(int fd)
{
	if (fd_file(fd))
		errno = ENOTSOCK;
	return -1;
}

/* socket, socketpair: -1 with EAFNOSUPPORT (no address family is supported). */
int socket(int domain, int type, int protocol)
{
	(void)domain, (void)type, (void)protocol;
	errno = EAFNOSUPPORT;
	return -1;
}

int socketpair(int domain, int type, int protocol, int fds[2])
{
	(void)fds;
	return socket(domain, type, protocol);
}

/* accept ... sockatmark, getpeereid: -1 with EBADF or ENOTSOCK. */
int accept(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len)
{
	(void)addr, (void)len;
	return not_socket(fd);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	(void)addr, (void)len;
	return not_socket(fd);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	(void)addr, (void)len;
	return not_socket(fd);
}

int getpeername(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len)
{
	(void)addr, (void)len;
	return not_socket(fd);
}

int getsockname(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len)
{
	(void)addr, (void)len;
	return not_socket(fd);
}

int getsockopt(int fd, int level, int name, void *__restrict value, socklen_t *__restrict len)
{
	(void)level, (void)name, (void)value, (void)len;
	return not_socket(fd);
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
	(void)level, (void)name, (void)value, (void)len;
	return not_socket(fd);
}

int listen(int fd, int backlog)
{
	(void)backlog;
	return not_socket(fd);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	(void)buf, (void)n, (void)flags;
	return not_socket(fd);
}

ssize_t recvfrom(int fd, void *__restrict buf, size_t n, int flags, struct sockaddr *__restrict addr,
		 socklen_t *__restrict len)
{
	(void)buf, (void)n, (void)flags, (void)addr, (void)len;
	return not_socket(fd);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	(void)msg, (void)flags;
	return not_socket(fd);
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	(void)buf, (void)n, (void)flags;
	return not_socket(fd);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	(void)msg, (void)flags;
	return not_socket(fd);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr, socklen_t len)
{
	(void)buf, (void)n, (void)flags, (void)addr, (void)len;
	return not_socket(fd);
}

int shutdown(int fd, int how)
{
	(void)how;
	return not_socket(fd);
}

int sockatmark(int fd)
{
	return not_socket(fd);
}

int getpeereid(int fd, uid_t *uid, gid_t *gid)
{
	(void)uid, (void)gid;
	return not_socket(fd);
}
