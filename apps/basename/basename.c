/* basename: print the last component of a path, less SUFFIX when it ends with it
 * (and is not all of it), as POSIX's basename utility.
 *   basename STRING [SUFFIX] */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int first = argc > 1 && strcmp(argv[1], "--") == 0 ? 2 : 1;
	if (argc - first < 1 || argc - first > 2) {
		fprintf(stderr, "usage: basename STRING [SUFFIX]\n");
		return 2;
	}
	char *s = argv[first];
	size_t n = strlen(s);
	if (n == 0) {
		puts("");
		return 0;
	}
	while (n > 1 && s[n - 1] == '/')
		n--;
	if (n == 1 && s[0] == '/') {
		puts("/");
		return 0;
	}
	size_t start = n;
	while (start > 0 && s[start - 1] != '/')
		start--;
	s += start, n -= start;
	if (argc - first == 2) {
		size_t k = strlen(argv[first + 1]);
		if (k < n && memcmp(s + n - k, argv[first + 1], k) == 0)
			n -= k;
	}
	printf("%.*s\n", (int)n, s);
	return 0;
}
