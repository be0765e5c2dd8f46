/* wc: count newlines, words and bytes in each FILE (or standard input for "-"
 * or no arguments), with a "total" line when there is more than one FILE.
 *   wc [-l] [-w] [-c | -m] [FILE...]
 *   -l  lines   -w  words (runs of non-white-space)   -c  bytes   -m  characters (bytes: the C locale)
 * With no option all three are shown, in the order lines, words, bytes. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int lflag, wflag, cflag;

/* Print the selected counts; a single count of standard input is printed bare
 * (as GNU wc does), anything else in aligned columns. */
static void report(const long long n[3], const char *name)
{
	const int *on[3] = { &lflag, &wflag, &cflag };
	const char *sep = "";
	int width = (!name && lflag + wflag + cflag == 1) ? 1 : 7;
	for (int i = 0; i < 3; i++)
		if (*on[i])
			printf("%s%*lld", sep, width, n[i]), sep = " ";
	if (name)
		printf(" %s", name);
	putchar('\n');
}

/* Count fd into n[0..2]. 0, or -1 with errno. */
static int count(int fd, long long n[3])
{
	char buf[4096];
	int inword = 0;
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return (int)r;
		n[2] += r;
		for (ssize_t i = 0; i < r; i++) {
			unsigned char ch = (unsigned char)buf[i];
			n[0] += ch == '\n';
			if (isspace(ch))
				inword = 0;
			else if (!inword)
				inword = 1, n[1]++;
		}
	}
}

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "lwcm")) != -1) {
		if (c == 'l')
			lflag = 1;
		else if (c == 'w')
			wflag = 1;
		else if (c == 'c' || c == 'm') /* characters are bytes: the C locale */
			cflag = 1;
		else {
			fprintf(stderr, "usage: wc [-l] [-w] [-c | -m] [FILE...]\n");
			return 2;
		}
	}
	if (!lflag && !wflag && !cflag)
		lflag = wflag = cflag = 1;
	int status = 0, i = optind;
	long long total[3] = { 0, 0, 0 };
	do {
		const char *path = i < argc ? argv[i] : NULL; /* NULL: standard input */
		int is_stdin = !path || strcmp(path, "-") == 0;
		int fd = is_stdin ? 0 : open(path, O_RDONLY);
		long long n[3] = { 0, 0, 0 };
		if (fd < 0 || count(fd, n) < 0) {
			fprintf(stderr, "wc: %s: %s\n", path ? path : "-", strerror(errno));
			status = 1;
		} else {
			report(n, path);
			for (int k = 0; k < 3; k++)
				total[k] += n[k];
		}
		if (!is_stdin && fd >= 0 && close(fd) < 0) {
			fprintf(stderr, "wc: %s: %s\n", path, strerror(errno));
			status = 1;
		}
	} while (++i < argc);
	if (argc - optind > 1)
		report(total, "total");
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "wc: stdout: %s\n", strerror(errno));
		return 1;
	}
	return status;
}
