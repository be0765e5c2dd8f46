/* ls: list directory contents, one name per line, sorted by name.
 *   ls [-laRdtr1] [PATH...]      (default PATH: .)
 *   -l  long format: type and mode (drwxr-xr-x), size in bytes, modification
 *       time, name (a symbolic link: itself, and "-> target")
 *   -a  include names starting with '.'
 *   -R  list the directories under each directory too, each under a "PATH:" heading
 *   -d  list a directory operand itself, not what is in it
 *   -t  sort by modification time, newest first (then by name)
 *   -r  reverse the order
 *   -1  one name per line (always so)
 * A file operand lists the file itself. Files are listed first, then each
 * directory, under a "PATH:" heading when there is more than one operand. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int lflag, aflag, Rflag, dflag, tflag, rflag, status;

static void mode_string(mode_t m, char s[11])
{
	s[0] = S_ISDIR(m) ? 'd' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' :
	       S_ISLNK(m) ? 'l' : S_ISSOCK(m) ? 's' : '-';
	const char *rwx = "rwxrwxrwx";
	for (int i = 0; i < 9; i++)
		s[1 + i] = (m & (0400 >> i)) ? rwx[i] : '-';
	s[10] = 0;
}

/* Print one entry; path is what to stat, name what to show. */
static void show(const char *path, const char *name)
{
	if (!lflag) {
		puts(name);
		return;
	}
	struct stat st;
	if (lstat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		status = 1;
		return;
	}
	char mode[11], when[32], target[256] = "";
	mode_string(st.st_mode, mode);
	/* The modification time as POSIX shows it: the time of day within six
	 * months of now, the year otherwise. */
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&st.st_mtime, &tm);
	strftime(when, sizeof when, st.st_mtime > now - 183 * 86400 && st.st_mtime <= now + 3600 ?
		 "%b %e %H:%M" : "%b %e  %Y", &tm);
	ssize_t n = S_ISLNK(st.st_mode) ? readlink(path, target, sizeof target - 1) : -1;
	if (n >= 0)
		target[n] = 0;
	printf("%s %9lld %s %s%s%s\n", mode, (long long)st.st_size, when, name, n >= 0 ? " -> " : "", target);
}

/* The directory whose entries by_order compares (for -t), or NULL for operands. */
static const char *order_dir;

/* Modification time of name (in order_dir), in nanoseconds; 0 when it cannot be had. */
static long long mtime_of(const char *name)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof path, "%s%s%s", order_dir ? order_dir : "", order_dir ? "/" : "", name);
	return stat(path, &st) < 0 ? 0 : (long long)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

/* The listing order: by name, or newest first with -t; reversed with -r. */
static int by_order(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int r = 0;
	if (tflag) {
		long long tx = mtime_of(x), ty = mtime_of(y);
		r = tx > ty ? -1 : tx < ty;
	}
	r = r ? r : strcmp(x, y);
	return rflag ? -r : r;
}

static void list_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
		status = 1;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && !aflag)
			continue;
		if (n == cap && !(names = realloc(names, (cap = cap ? 2 * cap : 32) * sizeof *names))) {
			fprintf(stderr, "ls: %s: %s\n", dir, strerror(ENOMEM));
			exit(1);
		}
		if (!(names[n++] = strdup(e->d_name))) {
			fprintf(stderr, "ls: %s: %s\n", dir, strerror(ENOMEM));
			exit(1);
		}
		errno = 0;
	}
	if (errno) {
		fprintf(stderr, "ls: %s: %s\n", dir, strerror(errno));
		status = 1;
	}
	closedir(d);
	order_dir = dir;
	qsort(names, n, sizeof *names, by_order);
	size_t len = strlen(dir);
	for (size_t i = 0; i < n; i++) {
		char *path = malloc(len + strlen(names[i]) + 2);
		if (!path) {
			fprintf(stderr, "ls: %s: %s\n", dir, strerror(ENOMEM));
			exit(1);
		}
		sprintf(path, "%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", names[i]);
		show(path, names[i]);
		free(path);
	}
	for (size_t i = 0; Rflag && i < n; i++) { /* -R: then each directory under it */
		char *path = malloc(len + strlen(names[i]) + 2);
		struct stat st;
		if (!path) {
			fprintf(stderr, "ls: %s: %s\n", dir, strerror(ENOMEM));
			exit(1);
		}
		sprintf(path, "%s%s%s", dir, len && dir[len - 1] == '/' ? "" : "/", names[i]);
		if (strcmp(names[i], ".") && strcmp(names[i], "..") && lstat(path, &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			printf("\n%s:\n", path);
			list_dir(path);
		}
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "laRdtr1")) != -1) {
		if (c == 'l')
			lflag = 1;
		else if (c == 'a')
			aflag = 1;
		else if (c == 'R')
			Rflag = 1;
		else if (c == 'd')
			dflag = 1;
		else if (c == 't')
			tflag = 1;
		else if (c == 'r')
			rflag = 1;
		else if (c != '1') {
			fprintf(stderr, "usage: ls [-laRdtr1] [PATH...]\n");
			return 2;
		}
	}
	char *dot[] = { ".", NULL };
	char **ops = optind < argc ? argv + optind : dot;
	int nops = optind < argc ? argc - optind : 1;
	/* Operands sorted by name; files first, then directories. A symbolic link
	 * named as an operand is followed, except with -l (POSIX) or when it leads
	 * nowhere: then the link itself is shown. */
	qsort(ops, (size_t)nops, sizeof *ops, by_order);
	int nfiles = 0;
	for (int i = 0; i < nops; i++) {
		struct stat st;
		if ((lflag ? lstat(ops[i], &st) : stat(ops[i], &st)) < 0 && lstat(ops[i], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", ops[i], strerror(errno));
			status = 1;
			ops[i] = NULL;
		} else if (!S_ISDIR(st.st_mode) || dflag) {
			show(ops[i], ops[i]);
			nfiles++;
			ops[i] = NULL;
		}
	}
	for (int i = 0, shown = 0; i < nops; i++) {
		if (!ops[i])
			continue;
		if (nops > 1 || Rflag)
			printf("%s%s:\n", nfiles || shown ? "\n" : "", ops[i]);
		list_dir(ops[i]);
		shown++;
	}
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "ls: stdout: %s\n", strerror(errno));
		return 1;
	}
	return status;
}
