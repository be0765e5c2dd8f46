/* mv: rename files.
 *   mv SRC DST       rename SRC to DST; if DST is a directory, move SRC into it
 *   mv SRC... DIR    move each SRC into the directory DIR */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
		fprintf(stderr, "mv: %s: %s\n", src, strerror(ENOMEM));
		exit(1);
	}
	sprintf(p, "%s%s%.*s", dir, dlen && dir[dlen - 1] == '/' ? "" : "/", (int)(len - b), src + b);
	return p;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (argc - i < 2) {
		fprintf(stderr, "usage: mv SRC DST | mv SRC... DIR\n");
		return 2;
	}
	const char *dst = argv[argc - 1];
	struct stat st;
	int dst_is_dir = stat(dst, &st) == 0 && S_ISDIR(st.st_mode);
	if (argc - i > 2 && !dst_is_dir) {
		fprintf(stderr, "mv: %s: %s\n", dst, strerror(ENOTDIR));
		return 1;
	}
	for (; i < argc - 1; i++) {
		char *target = dst_is_dir ? into(dst, argv[i]) : (char *)dst;
		if (rename(argv[i], target) < 0) {
			fprintf(stderr, "mv: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
		if (target != dst)
			free(target);
	}
	return status;
}
