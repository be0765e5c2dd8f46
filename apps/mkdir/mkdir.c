/* mkdir: create directories.
 *   mkdir [-p] [-m MODE] DIR...
 *   -p  create missing parent directories too; an existing directory is not
 *       an error
 *   -m  give each DIR named this mode (octal or symbolic, as chmod's; parents
 *       made by -p get the usual 0777 less the umask) */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../lib/util.h"

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
	long mode = -1;
	while ((c = getopt(argc, argv, "pm:")) != -1) {
		if (c == 'p')
			pflag = 1;
		else if (c != 'm' || (mode = util_mode(optarg, 0777, 1, 0)) < 0)
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	for (int i = optind; i < argc; i++) {
		if ((pflag ? mkdir_p(argv[i]) : mkdir(argv[i], 0777)) < 0 ||
		    (mode >= 0 && chmod(argv[i], (mode_t)mode) < 0)) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
usage:
	fprintf(stderr, "usage: mkdir [-p] [-m MODE] DIR...\n");
	return 2;
}
