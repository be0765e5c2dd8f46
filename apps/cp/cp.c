/* cp: copy files.
 *   cp [-R | -r] [-f] [-p] SRC DST     copy SRC to DST, or into DST if it is a directory
 *   cp [-R | -r] [-f] [-p] SRC... DIR  copy each SRC into the directory DIR
 *   -R, -r  copy directories and everything in them
 *   -f      when DST cannot be opened for writing, remove it and try again
 *   -p      give the copy SRC's mode bits even when DST exists (the libOS keeps no
 *           times yet to preserve)
 * A new file gets SRC's permission bits. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int rflag, fflag, pflag;

/* dir/basename(src), in a malloc'ed string. */
static char *into(const char *dir, const char *src)
{
	size_t len = strlen(src);
	while (len > 1 && src[len - 1] == '/')
		len--;
	size_t b = len;
	while (b > 0 && src[b - 1] != '/')
		b--;
	size_t dlen = strlen(dir);
	char *p = malloc(dlen + (len - b) + 2);
	if (!p) {
		fprintf(stderr, "cp: %s: %s\n", src, strerror(ENOMEM));
		exit(1);
	}
	sprintf(p, "%s%s%.*s", dir, dlen && dir[dlen - 1] == '/' ? "" : "/", (int)(len - b), src + b);
	return p;
}

static int copy_dir(const char *src, const char *dst, const struct stat *ss);

/* Copy src to dst. 0, or -1 after reporting the error. */
static int copy(const char *src, const char *dst)
{
	struct stat ss, ds;
	if (stat(src, &ss) < 0) {
		fprintf(stderr, "cp: %s: %s\n", src, strerror(errno));
		return -1;
	}
	if (S_ISDIR(ss.st_mode))
		return rflag ? copy_dir(src, dst, &ss) : (fprintf(stderr, "cp: %s: %s\n", src, strerror(EISDIR)), -1);
	if (stat(dst, &ds) == 0 && ds.st_ino != 0 && ds.st_ino == ss.st_ino && ds.st_dev == ss.st_dev) {
		fprintf(stderr, "cp: %s: same file as %s\n", dst, src);
		return -1;
	}
	int in = open(src, O_RDONLY);
	if (in < 0) {
		fprintf(stderr, "cp: %s: %s\n", src, strerror(errno));
		return -1;
	}
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, ss.st_mode & 07777);
	if (out < 0 && fflag && errno != ENOENT && unlink(dst) == 0)
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, ss.st_mode & 07777);
	if (out < 0) {
		fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno));
		close(in);
		return -1;
	}
	char buf[4096];
	const char *bad = NULL; /* the path an error belongs to */
	ssize_t n;
	while (!bad && (n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0) {
			if (errno != EINTR)
				bad = src;
			continue;
		}
		for (ssize_t off = 0; off < n && !bad;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w > 0)
				off += w;
			else if (w == 0)
				errno = EIO, bad = dst;
			else if (errno != EINTR)
				bad = dst;
		}
	}
	int e = errno;
	close(in);
	if (close(out) < 0 && !bad)
		bad = dst, e = errno;
	if (!bad && pflag && chmod(dst, ss.st_mode & 07777) < 0)
		bad = dst, e = errno;
	if (bad) {
		fprintf(stderr, "cp: %s: %s\n", bad, strerror(e));
		return -1;
	}
	return 0;
}

/* Copy the directory src (whose status is *ss) to dst, made if missing, and what is
 * in it. 0, or -1 after reporting an error (the rest is still copied). */
static int copy_dir(const char *src, const char *dst, const struct stat *ss)
{
	struct stat ds;
	if (stat(dst, &ds) < 0 ? mkdir(dst, (ss->st_mode & 07777) | 0700) < 0 :
				 !S_ISDIR(ds.st_mode) && (errno = ENOTDIR)) {
		fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno));
		return -1;
	}
	DIR *d = opendir(src);
	if (!d) {
		fprintf(stderr, "cp: %s: %s\n", src, strerror(errno));
		return -1;
	}
	int r = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *from = into(src, e->d_name), *to = into(dst, e->d_name);
		if (strcmp(from, dst) == 0) {
			free(from), free(to);
			continue; /* dst inside src: do not copy the copy */
		}
		r |= copy(from, to);
		free(from), free(to);
	}
	closedir(d);
	if (chmod(dst, ss->st_mode & 07777) < 0) {
		fprintf(stderr, "cp: %s: %s\n", dst, strerror(errno));
		r = -1;
	}
	return r;
}

int main(int argc, char **argv)
{
	int status = 0, c;
	while ((c = getopt(argc, argv, "Rrfp")) != -1) {
		if (c == 'R' || c == 'r')
			rflag = 1;
		else if (c == 'f')
			fflag = 1;
		else if (c == 'p')
			pflag = 1;
		else
			optind = argc; /* usage */
	}
	int i = optind;
	if (argc - i < 2) {
		fprintf(stderr, "usage: cp [-R] [-f] [-p] SRC DST | cp [-R] [-f] [-p] SRC... DIR\n");
		return 2;
	}
	const char *dst = argv[argc - 1];
	struct stat st;
	int dst_is_dir = stat(dst, &st) == 0 && S_ISDIR(st.st_mode);
	if (argc - i > 2 && !dst_is_dir) {
		fprintf(stderr, "cp: %s: %s\n", dst, strerror(ENOTDIR));
		return 1;
	}
	for (; i < argc - 1; i++) {
		char *target = dst_is_dir ? into(dst, argv[i]) : (char *)dst;
		if (copy(argv[i], target) < 0)
			status = 1;
		if (target != dst)
			free(target);
	}
	return status;
}
