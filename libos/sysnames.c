/* Names of the system: confstr, ctermid, gethostid, getdomainname. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* confstr: the value of configuration string name into buf (at most len bytes,
 * cut and terminated when longer): _CS_PATH is "/bin" (where every utility
 * lives), the compilation-environment strings (flags for the ILP32, LP64 and
 * threads environments, _CS_LFS_*) are empty. Returns the size the whole value
 * needs with its NUL, or 0 with EINVAL (an unknown name). */
size_t confstr(int name, char *buf, size_t len)
{
	if (name < _CS_PATH || name > _CS_LFS_LINTFLAGS) {
		errno = EINVAL;
		return 0;
	}
	const char *value = name == _CS_PATH ? "/bin" : "";
	size_t n = strlen(value);
	if (buf && len) {
		size_t k = n < len ? n : len - 1;
		memcpy(buf, value, k);
		buf[k] = 0;
	}
	return n + 1;
}

/* ctermid: the name of the controlling terminal, "/dev/tty", into s (at least
 * L_ctermid bytes), or into a static buffer when s is NULL. Returns it. */
char *ctermid(char *s)
{
	static char own[L_ctermid];
	char *out = s ? s : own;
	strcpy(out, "/dev/tty");
	return out;
}

/* gethostid: this host's 32-bit identifier: a fixed 0x007f0101 (there is no
 * network address or /etc/hostid to make one from). */
long gethostid(void)
{
	return 0x007f0101;
}

/* getdomainname: the NIS domain name: none, "" into name. Returns 0, or -1
 * with EINVAL (len 0). */
int getdomainname(char *name, size_t len)
{
	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	name[0] = 0;
	return 0;
}
