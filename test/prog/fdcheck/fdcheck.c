/* fdcheck: a helper that files.c (and shell tests) exec to look at what a new
 * program inherits. Arguments are a list of operations, checked in order:
 *   closed N       descriptor N is not open (fcntl F_GETFD fails with EBADF)
 *   open N         descriptor N is open
 *   cloexec N      descriptor N is open and has FD_CLOEXEC (it should not after exec)
 *   read N TEXT    reading strlen(TEXT) bytes from N gives exactly TEXT
 *   write N TEXT   writing TEXT to N writes all of it
 *   eof N          a read from N returns 0 (end of file)
 *   cwd PATH       getcwd() is PATH
 *   env NAME VALUE getenv(NAME) is VALUE ("-" for unset)
 * Prints "fdcheck: ok" and exits 0 when every operation holds; otherwise prints
 * the first that does not and exits 10 + its position (1-based). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failed(int k, const char *what, const char *arg)
{
	printf("fdcheck: operation %d (%s %s) failed (errno %d: %s)\n", k, what, arg, errno, strerror(errno));
	fflush(stdout);
	return 10 + k;
}

int main(int argc, char **argv)
{
	int k = 0;
	for (int i = 1; i < argc; k++) {
		const char *op = argv[i];
		int need = !strcmp(op, "read") || !strcmp(op, "write") || !strcmp(op, "env") ? 2 : 1;
		if (i + need >= argc) {
			printf("fdcheck: operation %d (%s): missing argument\n", k + 1, op);
			return 2;
		}
		const char *a = argv[i + 1], *b = need == 2 ? argv[i + 2] : NULL;
		int fd = atoi(a);
		errno = 0;
		if (!strcmp(op, "closed")) {
			if (!(fcntl(fd, F_GETFD) == -1 && errno == EBADF))
				return failed(k + 1, op, a);
		} else if (!strcmp(op, "open")) {
			if (fcntl(fd, F_GETFD) < 0)
				return failed(k + 1, op, a);
		} else if (!strcmp(op, "cloexec")) {
			if (fcntl(fd, F_GETFD) != FD_CLOEXEC)
				return failed(k + 1, op, a);
		} else if (!strcmp(op, "read")) {
			size_t n = strlen(b), got = 0;
			char buf[256];
			if (n >= sizeof buf)
				return failed(k + 1, op, "(text too long)");
			while (got < n) {
				ssize_t r = read(fd, buf + got, n - got);
				if (r <= 0)
					break;
				got += (size_t)r;
			}
			if (got != n || memcmp(buf, b, n) != 0)
				return failed(k + 1, op, b);
		} else if (!strcmp(op, "write")) {
			if (write(fd, b, strlen(b)) != (ssize_t)strlen(b))
				return failed(k + 1, op, b);
		} else if (!strcmp(op, "eof")) {
			char c;
			if (read(fd, &c, 1) != 0)
				return failed(k + 1, op, a);
		} else if (!strcmp(op, "cwd")) {
			char buf[256];
			if (!getcwd(buf, sizeof buf) || strcmp(buf, a) != 0)
				return failed(k + 1, op, a);
		} else if (!strcmp(op, "env")) {
			const char *v = getenv(a);
			if (strcmp(v ? v : "-", b) != 0)
				return failed(k + 1, op, a);
		} else {
			printf("fdcheck: unknown operation %s\n", op);
			return 2;
		}
		i += 1 + need;
	}
	printf("fdcheck: ok\n");
	return 0;
}
