/* Reading /etc/passwd and /etc/group (userdb.h). */
#include <errno.h>
#include <string.h>
#include "userdb.h"

long userdb_next(FILE *f, char *buf, size_t size, char **field, int n)
{
	for (;;) {
		if (!fgets(buf, (int)size, f))
			return 0;
		size_t len = strlen(buf);
		if (len && buf[len - 1] == '\n')
			buf[--len] = 0;
		else if (len == size - 1 && !feof(f)) {
			int c;
			while ((c = getc(f)) != EOF && c != '\n')
				;
			return -ERANGE;
		}
		int k = 0;
		for (char *p = buf; k < n; k++) {
			field[k] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = 0;
		}
		if (k == n - 1)
			return (long)len + 1;
	}
}

int userdb_id(const char *s, unsigned *id)
{
	unsigned long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || (v = v * 10 + (unsigned)(*s - '0')) > 0xFFFFFFFFUL)
			return -1;
	}
	*id = (unsigned)v;
	return 0;
}
