/* ln: make links.
 *   ln [-s] [-f] SOURCE TARGET        link SOURCE as TARGET
 *   ln [-s] [-f] SOURCE... DIR        link each SOURCE as DIR/its last component
 *   -s  make symbolic links (SOURCE is stored as it is written)
 *   -f  remove an existing TARGET first
 * Exit status: 0, or 1 when a link could not be made. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../lib/util.h"

static int sflag, fflag;

/* Make TARGET a link to SOURCE. Returns 0, or 1 after reporting the error. */
static int make_link(const char *source, const char *target)
{
	struct stat st;
	if (fflag && lstat(target, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			util_perror(target);
			return 1;
		}
		if (unlink(target) < 0) {
			util_perror(target);
			return 1;
		}
	}
	if ((sflag ? symlink(source, target) : link(source, target)) < 0) {
		util_perror(target);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int c, status = 0;
	util_init(argv[0]);
	while ((c = getopt(argc, argv, "sf")) != -1) {
		if (c == 's')
			sflag = 1;
		else if (c == 'f')
			fflag = 1;
		else
			goto usage;
	}
	int n = argc - optind;
	if (n < 2)
		goto usage;
	const char *last = argv[argc - 1];
	struct stat st;
	int todir = stat(last, &st) == 0 && S_ISDIR(st.st_mode);
	if (n > 2 && !todir) {
		errno = ENOTDIR;
		util_perror(last);
		return 1;
	}
	if (!todir)
		return make_link(argv[optind], last);
	for (int i = optind; i < argc - 1; i++) {
		const char *base = strrchr(argv[i], '/');
		base = base ? base + 1 : argv[i];
		char *target = malloc(strlen(last) + strlen(base) + 2);
		if (!target) {
			util_perror("malloc");
			return 1;
		}
		sprintf(target, "%s/%s", last, base);
		status |= make_link(argv[i], target);
		free(target);
	}
	return status;
usage:
	fprintf(stderr, "usage: ln [-s] [-f] SOURCE... TARGET\n");
	return 2;
}
