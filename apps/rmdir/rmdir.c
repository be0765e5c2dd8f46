/* rmdir: remove empty directories.
 *   rmdir [-p] DIR...
 *   -p  also remove each parent named in DIR ("a/b/c": a/b/c, a/b, a), stopping
 *       at the first that cannot be removed
 * Exit status: 0, or 1 when a directory could not be removed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../lib/util.h"

int main(int argc, char **argv)
{
	int pflag = 0, c, status = 0;
	util_init(argv[0]);
	while ((c = getopt(argc, argv, "p")) != -1) {
		if (c != 'p')
			goto usage;
		pflag = 1;
	}
	if (optind >= argc)
		goto usage;
	for (int i = optind; i < argc; i++) {
		char *path = argv[i];
		for (;;) {
			if (rmdir(path) < 0) {
				util_perror(path);
				status = 1;
				break;
			}
			if (!pflag)
				break;
			char *slash = strrchr(path, '/');
			while (slash && slash > path && slash[-1] == '/')
				slash--;
			if (!slash || slash == path)
				break;
			*slash = 0;
		}
	}
	return status;
usage:
	fprintf(stderr, "usage: rmdir [-p] DIR...\n");
	return 2;
}
