/* mkdir: create directories.
 *   mkdir [-p] DIR...
 *   -p  create missing parent directories too; an existing directory is not
 *       an error. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir that succeeds when path already is a directory. 0, or -1 with errno. */
static int mkdir_exist_ok(const char *path)
{
	struct stat st;
	if (mkdir(path, 0777) == 0)
		return 0;
	int e = errno;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	errno = e;
	return -1;
}

/* Create each ancestor of path in turn, then path itself. */
static int mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = 0;
		int r = mkdir_exist_ok(path);
		*p = '/';
		if (r < 0)
			return -1;
	}
	return mkdir_exist_ok(path);
}

int main(int argc, char **argv)
{
	int c, pflag = 0, status = 0;
	while ((c = getopt(argc, argv, "p")) != -1) {
		if (c != 'p') {
			fprintf(stderr, "usage: mkdir [-p] DIR...\n");
			return 2;
		}
		pflag = 1;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: mkdir [-p] DIR...\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		if ((pflag ? mkdir_p(argv[i]) : mkdir(argv[i], 0777)) < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
