/* rm: remove files.
 *   rm [-r] [-f] PATH...
 *   -r  remove directories and everything in them
 *   -f  no error for a PATH that does not exist, and none for no PATH at all */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int rflag, fflag;

static int fail(const char *path)
{
	if (fflag && errno == ENOENT)
		return 0;
	fprintf(stderr, "rm: %s: %s\n", path, strerror(errno));
	return -1;
}

static int rm(const char *path);

/* Remove everything in dir, then dir. The names are read first and the
 * directory closed, so removing entries does not disturb the listing. */
static int rm_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return fail(path);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	int status = 0;
	errno = 0;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t len = strlen(path);
		char *child = malloc(len + strlen(e->d_name) + 2);
		if (n == cap && !(names = realloc(names, (cap = cap ? 2 * cap : 32) * sizeof *names)))
			child = NULL;
		if (!child) {
			fprintf(stderr, "rm: %s: %s\n", path, strerror(ENOMEM));
			exit(1);
		}
		sprintf(child, "%s%s%s", path, path[len - 1] == '/' ? "" : "/", e->d_name);
		names[n++] = child;
		errno = 0;
	}
	if (errno)
		status = fail(path);
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		if (rm(names[i]) < 0)
			status = -1;
		free(names[i]);
	}
	free(names);
	if (status == 0 && rmdir(path) < 0)
		status = fail(path);
	return status;
}

static int rm(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return fail(path);
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? fail(path) : 0;
	if (rflag)
		return rm_dir(path);
	errno = EISDIR;
	return fail(path);
}

int main(int argc, char **argv)
{
	int c, status = 0;
	while ((c = getopt(argc, argv, "rRf")) != -1) {
		if (c == 'r' || c == 'R')
			rflag = 1;
		else if (c == 'f')
			fflag = 1;
		else
			goto usage;
	}
	if (optind >= argc && !fflag)
		goto usage;
	for (int i = optind; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');
		base = base && base[1] ? base + 1 : argv[i];
		if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
			fprintf(stderr, "rm: %s: refusing to remove '.' or '..'\n", argv[i]);
			status = 1;
		} else if (rm(argv[i]) < 0) {
			status = 1;
		}
	}
	return status;
usage:
	fprintf(stderr, "usage: rm [-r] [-f] PATH...\n");
	return 2;
}
