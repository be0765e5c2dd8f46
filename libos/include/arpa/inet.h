/* <arpa/inet.h>: byte order and Internet address text (libos/inet.c). */
#ifndef LIBOS_ARPA_INET_H
#define LIBOS_ARPA_INET_H
#include <netinet/in.h>

in_addr_t inet_addr(const char *text);
char *inet_ntoa(struct in_addr a);
const char *inet_ntop(int family, const void *__restrict addr, char *__restrict text, socklen_t size);
int inet_pton(int family, const char *__restrict text, void *__restrict addr);
#endif
