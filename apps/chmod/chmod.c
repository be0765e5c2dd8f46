/* chmod: change the mode bits of files.
 *   chmod [-R] MODE FILE...
 *   MODE  octal (755) or symbolic (u+x,go-w, a=rX, ...: POSIX's chmod grammar)
 *   -R    also change everything under each directory FILE
 * Exit status: 0, or 1 when a file could not be changed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../lib/util.h"

static const char *spec;
static int rflag;
static mode_t cmask;

/* Change path's mode (and, with -R, what is under it). Returns 0, or 1 after an
 * error was reported. */
static int change(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		util_perror(path);
		return 1;
	}
	long m = util_mode(spec, st.st_mode, S_ISDIR(st.st_mode), cmask);
	int status = 0;
	if (chmod(path, (mode_t)m) < 0) {
		util_perror(path);
		status = 1;
	}
	if (!rflag || !S_ISDIR(st.st_mode))
		return status;
	DIR *d = opendir(path);
	if (!d) {
		util_perror(path);
		return 1;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *sub = malloc(strlen(path) + strlen(e->d_name) + 2);
		if (!sub) {
			util_perror("malloc");
			exit(1);
		}
		sprintf(sub, "%s/%s", path, e->d_name);
		status |= change(sub);
		free(sub);
	}
	closedir(d);
	return status;
}

int main(int argc, char **argv)
{
	int status = 0, first = 1;
	util_init(argv[0]);
	/* Not getopt: a symbolic mode such as -w looks like an option. */
	if (first < argc && strcmp(argv[first], "-R") == 0)
		rflag = 1, first++;
	if (first < argc && strcmp(argv[first], "--") == 0)
		first++;
	if (argc - first < 2)
		goto usage;
	spec = argv[first++];
	cmask = umask(0);
	umask(cmask);
	if (util_mode(spec, 0, 0, 0) < 0) {
		fprintf(stderr, "chmod: invalid mode: %s\n", spec);
		return 1;
	}
	for (int i = first; i < argc; i++)
		status |= change(argv[i]);
	return status;
usage:
	fprintf(stderr, "usage: chmod [-R] MODE FILE...\n");
	return 2;
}
