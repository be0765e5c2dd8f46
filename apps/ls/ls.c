/* ls: list directory contents, one name per line, sorted by name.
 *   ls [-l] [-a] [PATH...]      (default PATH: .)
 *   -l  long format: type and mode (drwxr-xr-x), size in bytes, modification
 *       time, name (a symbolic link: itself, and "-> target")
 *   -a  include names starting with '.'
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

static int lflag, aflag, status;

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

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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
	qsort(names, n, sizeof *names, by_name);
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
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "la")) != -1) {
		if (c == 'l')
			lflag = 1;
		else if (c == 'a')
			aflag = 1;
		else {
			fprintf(stderr, "usage: ls [-l] [-a] [PATH...]\n");
			return 2;
		}
	}
	char *dot[] = { ".", NULL };
	char **ops = optind < argc ? argv + optind : dot;
	int nops = optind < argc ? argc - optind : 1;
	/* Operands sorted by name; files first, then directories. */
	qsort(ops, (size_t)nops, sizeof *ops, by_name);
	int nfiles = 0;
	for (int i = 0; i < nops; i++) {
		struct stat st;
		if (stat(ops[i], &st) < 0) {
			fprintf(stderr, "ls: %s: %s\n", ops[i], strerror(errno));
			status = 1;
			ops[i] = NULL;
		} else if (!S_ISDIR(st.st_mode)) {
			show(ops[i], ops[i]);
			nfiles++;
			ops[i] = NULL;
		}
	}
	for (int i = 0, shown = 0; i < nops; i++) {
		if (!ops[i])
			continue;
		if (nops > 1)
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
