/* <netinet/tcp.h>: TCP's socket option (no network here: <sys/socket.h>). */
#ifndef LIBOS_NETINET_TCP_H
#define LIBOS_NETINET_TCP_H
#define TCP_NODELAY 1
#endif
