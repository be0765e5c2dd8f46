/* <netdb.h> without a network: a host name resolves only when it is an
 * address in text or "localhost" (127.0.0.1), a service only when it is a port
 * number; the host, network, protocol and service databases are empty. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int h_errno;

/* getaddrinfo: the address for node (text or "localhost"; NULL: the wildcard
 * address with AI_PASSIVE, else the loopback one) and service (a port number, or
 * NULL: port 0), IPv4 or (AF_INET6 in hints, text only) IPv6, as one malloc'd
 * addrinfo in *res with hints' socket type and protocol. Returns 0, or
 * EAI_NONAME (a name that needs a name service, or both NULL), EAI_SERVICE (a
 * service name), EAI_FAMILY, EAI_BADFLAGS or EAI_MEMORY. */
int getaddrinfo(const char *__restrict node, const char *__restrict service, const struct addrinfo *__restrict hints,
		struct addrinfo **__restrict res)
{
	int family = hints ? hints->ai_family : AF_UNSPEC, flags = hints ? hints->ai_flags : 0;
	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return EAI_FAMILY;
	if (flags & ~(AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL | AI_ADDRCONFIG | AI_NUMERICSERV))
		return EAI_BADFLAGS;
	if (!node && !service)
		return EAI_NONAME;
	unsigned long port = 0;
	if (service) {
		char *end;
		port = strtoul(service, &end, 10);
		if (!*service || *end || port > 65535)
			return (flags & AI_NUMERICSERV) ? EAI_NONAME : EAI_SERVICE;
	}
	struct {
		struct addrinfo ai;
		union {
			struct sockaddr_in in;
			struct sockaddr_in6 in6;
		} sa;
		char name[16];
	} *r = calloc(1, sizeof *r);
	if (!r)
		return EAI_MEMORY;
	struct in6_addr a6;
	struct in_addr a4 = { htonl((flags & AI_PASSIVE) ? INADDR_ANY : INADDR_LOOPBACK) };
	int v6 = 0;
	if (node && family != AF_INET6 && inet_pton(AF_INET, node, &a4) == 1)
		;
	else if (node && family != AF_INET && inet_pton(AF_INET6, node, &a6) == 1)
		v6 = 1;
	else if (node && (strcmp(node, "localhost") != 0 || (flags & AI_NUMERICHOST) || family == AF_INET6)) {
		free(r);
		return EAI_NONAME;
	} else if (!node && family == AF_INET6) {
		a6 = (flags & AI_PASSIVE) ? in6addr_any : in6addr_loopback;
		v6 = 1;
	}
	if (v6) {
		r->sa.in6 = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_addr = a6 };
		r->ai.ai_addrlen = sizeof r->sa.in6;
	} else {
		r->sa.in = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr = a4 };
		r->ai.ai_addrlen = sizeof r->sa.in;
	}
	r->ai.ai_family = v6 ? AF_INET6 : AF_INET;
	r->ai.ai_socktype = hints ? hints->ai_socktype : 0;
	r->ai.ai_protocol = hints ? hints->ai_protocol : 0;
	r->ai.ai_addr = (struct sockaddr *)&r->sa;
	if ((flags & AI_CANONNAME) && node)
		r->ai.ai_canonname = strncpy(r->name, strcmp(node, "localhost") == 0 ? "localhost" : "", sizeof r->name - 1);
	*res = &r->ai;
	return 0;
}

/* freeaddrinfo: free a list getaddrinfo made (one block per entry). */
void freeaddrinfo(struct addrinfo *ai)
{
	while (ai) {
		struct addrinfo *next = ai->ai_next;
		free(ai);
		ai = next;
	}
}

/* gai_strerror: the text of a getaddrinfo or getnameinfo error. */
const char *gai_strerror(int err)
{
	switch (err) {
	case 0: return "Success";
	case EAI_BADFLAGS: return "Invalid flags";
	case EAI_NONAME: return "Name does not resolve (no name service)";
	case EAI_AGAIN: return "Temporary failure in name resolution";
	case EAI_FAIL: return "Non-recoverable failure in name resolution";
	case EAI_FAMILY: return "Address family not supported";
	case EAI_SOCKTYPE: return "Socket type not supported";
	case EAI_SERVICE: return "Service not known (no service database)";
	case EAI_MEMORY: return "Out of memory";
	case EAI_SYSTEM: return "System error";
	case EAI_OVERFLOW: return "Buffer too small";
	default: return "Unknown error";
	}
}

/* getnameinfo: sa's address and port as text (numeric: there are no names to
 * look up) into host and serv (either may be NULL/0). Returns 0, or EAI_FAMILY
 * (not AF_INET or AF_INET6, or salen too small), EAI_NONAME (NI_NAMEREQD: no name
 * exists), EAI_OVERFLOW (a buffer too small). */
int getnameinfo(const struct sockaddr *__restrict sa, socklen_t salen, char *__restrict host, socklen_t hostlen,
		char *__restrict serv, socklen_t servlen, int flags)
{
	const void *addr;
	in_port_t port;
	if (sa->sa_family == AF_INET && salen >= sizeof(struct sockaddr_in)) {
		addr = &((const struct sockaddr_in *)sa)->sin_addr;
		port = ((const struct sockaddr_in *)sa)->sin_port;
	} else if (sa->sa_family == AF_INET6 && salen >= sizeof(struct sockaddr_in6)) {
		addr = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		port = ((const struct sockaddr_in6 *)sa)->sin6_port;
	} else {
		return EAI_FAMILY;
	}
	if (host && hostlen) {
		if (flags & NI_NAMEREQD)
			return EAI_NONAME;
		if (!inet_ntop(sa->sa_family, addr, host, hostlen))
			return EAI_OVERFLOW;
	}
	if (serv && servlen) {
		char buf[8];
		int n = snprintf(buf, sizeof buf, "%u", ntohs(port));
		if ((socklen_t)n >= servlen)
			return EAI_OVERFLOW;
		memcpy(serv, buf, (size_t)n + 1);
	}
	return 0;
}

/* gethostbyname: name's entry (an IPv4 address in text, or "localhost"), in
 * static storage, or NULL with h_errno HOST_NOT_FOUND. */
struct hostent *gethostbyname(const char *name)
{
	static struct in_addr addr;
	static char *addrs[2] = { (char *)&addr, NULL }, *aliases[1], hname[64];
	static struct hostent h = { hname, aliases, AF_INET, 4, addrs };
	if (inet_pton(AF_INET, name, &addr) != 1) {
		if (strcmp(name, "localhost") != 0) {
			h_errno = HOST_NOT_FOUND;
			return NULL;
		}
		addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	strncpy(hname, name, sizeof hname - 1);
	return &h;
}

/* gethostbyaddr: NULL with h_errno HOST_NOT_FOUND (no address has a name). */
struct hostent *gethostbyaddr(const void *addr, socklen_t len, int family)
{
	(void)addr, (void)len, (void)family;
	h_errno = HOST_NOT_FOUND;
	return NULL;
}

/* The databases (hosts, networks, protocols, services) are empty: each lookup
 * and each *ent call returns NULL; set*ent and end*ent do nothing. */
struct hostent *gethostent(void) { return NULL; }
struct netent *getnetbyaddr(uint32_t net, int type) { (void)net, (void)type; return NULL; }
struct netent *getnetbyname(const char *name) { (void)name; return NULL; }
struct netent *getnetent(void) { return NULL; }
struct protoent *getprotobyname(const char *name) { (void)name; return NULL; }
struct protoent *getprotobynumber(int proto) { (void)proto; return NULL; }
struct protoent *getprotoent(void) { return NULL; }
struct servent *getservbyname(const char *name, const char *proto) { (void)name, (void)proto; return NULL; }
struct servent *getservbyport(int port, const char *proto) { (void)port, (void)proto; return NULL; }
struct servent *getservent(void) { return NULL; }
void sethostent(int stayopen) { (void)stayopen; }
void setnetent(int stayopen) { (void)stayopen; }
void setprotoent(int stayopen) { (void)stayopen; }
void setservent(int stayopen) { (void)stayopen; }
void endhostent(void) {}
void endnetent(void) {}
void endprotoent(void) {}
void endservent(void) {}
