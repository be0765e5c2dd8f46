/* cat: copy each FILE (or standard input for "-" or no arguments) to standard
 * output, in 4 KiB chunks with read/write.
 *   cat [FILE...] */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copy fd to standard output. 0, or -1 with errno and *werr set on a write error. */
static int copy(int fd, int *werr)
{
	char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (int)n;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				if (w == 0)
					errno = EIO;
				*werr = 1;
				return -1;
			}
			off += w;
		}
	}
}

int main(int argc, char **argv)
{
	int status = 0;
	int i = 1;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	do {
		const char *path = i < argc ? argv[i] : "-"; /* no operands: standard input */
		int stdin_ = strcmp(path, "-") == 0;
		int fd = stdin_ ? 0 : open(path, O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
			status = 1;
			continue;
		}
		int werr = 0;
		if (copy(fd, &werr) < 0) {
			fprintf(stderr, "cat: %s: %s\n", werr ? "stdout" : path, strerror(errno));
			status = 1;
		}
		if (!stdin_ && close(fd) < 0) {
			fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
			status = 1;
		}
		if (werr)
			return 1;
	} while (++i < argc);
	return status;
}
