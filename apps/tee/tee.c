/* tee: copy standard input to standard output and to each FILE.
 *   tee [-a] [-i] [FILE...]
 *   -a  append to the FILEs instead of truncating them
 *   -i  ignore SIGINT
 * A FILE that cannot be opened or written is reported and dropped; the copy goes
 * on. Exit status: 0, or 1 after any error. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "../lib/util.h"

/* Write all n bytes of buf to fd. Returns 0, or -1 with errno set. */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w, n -= (size_t)w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int flags = O_WRONLY | O_CREAT | O_TRUNC, c, status = 0;
	util_init(argv[0]);
	while ((c = getopt(argc, argv, "ai")) != -1) {
		if (c == 'a')
			flags = O_WRONLY | O_CREAT | O_APPEND;
		else if (c == 'i')
			signal(SIGINT, SIG_IGN);
		else {
			fprintf(stderr, "usage: tee [-a] [-i] [FILE...]\n");
			return 2;
		}
	}
	int n = argc - optind + 1;
	int *fds = malloc(sizeof *fds * (size_t)n);
	const char **names = malloc(sizeof *names * (size_t)n);
	if (!fds || !names) {
		util_perror("malloc");
		return 1;
	}
	fds[0] = 1, names[0] = "standard output";
	for (int i = 1; i < n; i++) {
		names[i] = argv[optind + i - 1];
		if ((fds[i] = open(names[i], flags, 0666)) < 0) {
			util_perror(names[i]);
			status = 1;
		}
	}
	static char buf[8192];
	for (;;) {
		ssize_t r = read(0, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			util_perror("standard input");
			status = 1;
		}
		if (r <= 0)
			break;
		for (int i = 0; i < n; i++)
			if (fds[i] >= 0 && write_all(fds[i], buf, (size_t)r) < 0) {
				util_perror(names[i]);
				status = 1;
				fds[i] = -1;
			}
	}
	for (int i = 1; i < n; i++)
		if (fds[i] >= 0 && close(fds[i]) < 0) {
			util_perror(names[i]);
			status = 1;
		}
	return status;
}
