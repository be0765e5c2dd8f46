/* <sys/socket.h>: POSIX's sockets interface. exo has no network and no
 * socket: socket and socketpair fail with EAFNOSUPPORT (or EPROTONOSUPPORT /
 * EOPNOTSUPP), and the calls on a descriptor with ENOTSOCK or EBADF
 * (libos/socket.c); the header is complete so programs compile. */
#ifndef LIBOS_SYS_SOCKET_H
#define LIBOS_SYS_SOCKET_H
#include <sys/types.h>
#include <sys/uio.h>

typedef unsigned int socklen_t;
typedef unsigned short sa_family_t;

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

struct sockaddr_storage {
	sa_family_t ss_family;
	char __ss_pad[128 - sizeof(sa_family_t) - sizeof(unsigned long)];
	unsigned long __ss_align;
};

struct msghdr {
	void *msg_name;
	socklen_t msg_namelen;
	struct iovec *msg_iov;
	int msg_iovlen;
	void *msg_control;
	socklen_t msg_controllen;
	int msg_flags;
};

struct cmsghdr {
	socklen_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
};

#define __CMSG_ALIGN(n) (((n) + sizeof(long) - 1) & ~(sizeof(long) - 1))
#define CMSG_DATA(c) ((unsigned char *)(c) + __CMSG_ALIGN(sizeof(struct cmsghdr)))
#define CMSG_FIRSTHDR(m) \
	((m)->msg_controllen >= sizeof(struct cmsghdr) ? (struct cmsghdr *)(m)->msg_control : (struct cmsghdr *)0)
#define CMSG_NXTHDR(m, c)                                                                                    \
	((unsigned char *)(c) + __CMSG_ALIGN((c)->cmsg_len) + sizeof(struct cmsghdr) >                       \
			 (unsigned char *)(m)->msg_control + (m)->msg_controllen                             \
		 ? (struct cmsghdr *)0                                                                       \
		 : (struct cmsghdr *)((unsigned char *)(c) + __CMSG_ALIGN((c)->cmsg_len)))
#define CMSG_SPACE(n) (__CMSG_ALIGN(sizeof(struct cmsghdr)) + __CMSG_ALIGN(n))
#define CMSG_LEN(n) (__CMSG_ALIGN(sizeof(struct cmsghdr)) + (n))
#define SCM_RIGHTS 1

struct linger {
	int l_onoff;
	int l_linger;
};

#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_SEQPACKET 5
#define SOCK_NONBLOCK 04000
#define SOCK_CLOEXEC 02000000

#define SOL_SOCKET 1
#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_LINGER 13
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_RCVTIMEO 20
#define SO_SNDTIMEO 21
#define SO_ACCEPTCONN 30
#define SOMAXCONN 128

#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000

#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_LOCAL AF_UNIX
#define AF_INET 2
#define AF_INET6 10
#define PF_UNSPEC AF_UNSPEC
#define PF_UNIX AF_UNIX
#define PF_LOCAL AF_LOCAL
#define PF_INET AF_INET
#define PF_INET6 AF_INET6

#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2

int accept(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
int getpeername(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len);
int getsockname(int fd, struct sockaddr *__restrict addr, socklen_t *__restrict len);
int getsockopt(int fd, int level, int name, void *__restrict value, socklen_t *__restrict len);
int listen(int fd, int backlog);
ssize_t recv(int fd, void *buf, size_t n, int flags);
ssize_t recvfrom(int fd, void *__restrict buf, size_t n, int flags, struct sockaddr *__restrict addr,
		 socklen_t *__restrict len);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
ssize_t send(int fd, const void *buf, size_t n, int flags);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr, socklen_t len);
int setsockopt(int fd, int level, int name, const void *value, socklen_t len);
int shutdown(int fd, int how);
int sockatmark(int fd);
int socket(int domain, int type, int protocol);
int socketpair(int domain, int type, int protocol, int fds[2]);
#endif
