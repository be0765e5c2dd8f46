/* Byte order and the text form of Internet addresses (<arpa/inet.h>). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

/* htonl, htons, ntohl, ntohs: between host (little-endian) and network
 * (big-endian) byte order. */
uint32_t htonl(uint32_t v)
{
	return __builtin_bswap32(v);
}

uint16_t htons(uint16_t v)
{
	return __builtin_bswap16(v);
}

uint32_t ntohl(uint32_t v)
{
	return __builtin_bswap32(v);
}

uint16_t ntohs(uint16_t v)
{
	return __builtin_bswap16(v);
}

/* pton4: dotted-decimal a.b.c.d (each 0-255, no leading zeros beyond "0")
 * into out (network order). Returns 1, or 0 if text is not one. */
static int pton4(const char *s, unsigned char out[4])
{
	for (int i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
			return 0;
		unsigned v = 0;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (unsigned)(*s++ - '0');
			if (v > 255)
				return 0;
		}
		out[i] = (unsigned char)v;
		if (i < 3 && *s++ != '.')
			return 0;
	}
	return *s == 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* pton6: an IPv6 address in text (groups of 1-4 hex digits, one "::", a dotted
 * IPv4 tail) into out. Returns 1, or 0 if text is not one. */
static int pton6(const char *s, unsigned char out[16])
{
	unsigned char a[16] = { 0 };
	int n = 0, gap = -1;
	if (s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	}
	while (*s) {
		if (n == 16)
			return 0;
		const char *start = s;
		unsigned v = 0;
		int digits = 0;
		for (int h; (h = hexval(*s)) >= 0 && digits < 5; s++, digits++)
			v = v << 4 | (unsigned)h;
		if (*s == '.' && n <= 12) { /* the IPv4 tail */
			if (pton4(start, a + n) != 1)
				return 0;
			n += 4;
			break;
		}
		if (digits == 0 || digits > 4)
			return 0;
		a[n++] = (unsigned char)(v >> 8);
		a[n++] = (unsigned char)v;
		if (*s == ':') {
			s++;
			if (*s == ':') {
				if (gap >= 0)
					return 0;
				gap = n;
				s++;
			} else if (!*s) {
				return 0;
			}
		} else if (*s) {
			return 0;
		}
	}
	if (gap >= 0) {
		if (n == 16)
			return 0;
		memmove(a + 16 - (n - gap), a + gap, (size_t)(n - gap));
		memset(a + gap, 0, (size_t)(16 - n));
	} else if (n != 16) {
		return 0;
	}
	memcpy(out, a, 16);
	return 1;
}

/* inet_pton: text into addr (a struct in_addr for AF_INET: dotted decimal
 * only; a struct in6_addr for AF_INET6). Returns 1, 0 if text is not an
 * address of that family, or -1 with EAFNOSUPPORT (another family). */
int inet_pton(int family, const char *__restrict text, void *__restrict addr)
{
	if (family == AF_INET)
		return pton4(text, addr);
	if (family == AF_INET6)
		return pton6(text, addr);
	errno = EAFNOSUPPORT;
	return -1;
}

/* inet_ntop: the text of addr (AF_INET or AF_INET6: lower-case hex, the longest
 * run of two or more zero groups as "::", an IPv4-mapped address with a dotted
 * tail) into text (size bytes). Returns text, or NULL with EAFNOSUPPORT or
 * ENOSPC (too small). */
const char *inet_ntop(int family, const void *__restrict addr, char *__restrict text, socklen_t size)
{
	char buf[INET6_ADDRSTRLEN];
	const unsigned char *a = addr;
	if (family == AF_INET) {
		snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	} else if (family == AF_INET6) {
		int best = -1, bestlen = 1;
		for (int i = 0; i < 8; i++) {
			int j = i;
			while (j < 8 && !a[2 * j] && !a[2 * j + 1])
				j++;
			if (j - i > bestlen)
				best = i, bestlen = j - i;
			if (j > i)
				i = j - 1;
		}
		char *p = buf;
		int groups = IN6_IS_ADDR_V4MAPPED(a) ? 6 : 8;
		for (int i = 0; i < groups; i++) {
			if (i == best) {
				p += sprintf(p, "::");
				i += bestlen - 1;
				continue;
			}
			p += sprintf(p, "%s%x", i && i != best + bestlen ? ":" : "", a[2 * i] << 8 | a[2 * i + 1]);
		}
		if (groups == 6)
			sprintf(p, "%s%u.%u.%u.%u", best >= 0 && best + bestlen == 6 ? "" : ":", a[12], a[13], a[14], a[15]);
	} else {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (strlen(buf) >= size) {
		errno = ENOSPC;
		return NULL;
	}
	return strcpy(text, buf);
}

/* inet_addr: dotted-decimal text as an address in network order, or
 * INADDR_NONE if it is not one. */
in_addr_t inet_addr(const char *text)
{
	struct in_addr a;
	return pton4(text, (unsigned char *)&a) ? a.s_addr : INADDR_NONE;
}

/* inet_ntoa: a's dotted-decimal text, in a static buffer. */
char *inet_ntoa(struct in_addr a)
{
	static char buf[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &a, buf, sizeof buf);
	return buf;
}
