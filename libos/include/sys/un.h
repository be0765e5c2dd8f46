/* <sys/un.h>: the address of a Unix-domain socket (no such sockets here:
 * <sys/socket.h>). */
#ifndef LIBOS_SYS_UN_H
#define LIBOS_SYS_UN_H
#include <sys/socket.h>

struct sockaddr_un {
	sa_family_t sun_family;
	char sun_path[108];
};
#endif
