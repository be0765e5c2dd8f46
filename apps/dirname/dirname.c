/* dirname: print a path less its last component, as POSIX's dirname utility
 * ("/a/b/" gives "/a", "a" gives ".", "/" gives "/").
 *   dirname STRING */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int first = argc > 1 && strcmp(argv[1], "--") == 0 ? 2 : 1;
	if (argc - first != 1) {
		fprintf(stderr, "usage: dirname STRING\n");
		return 2;
	}
	const char *s = argv[first];
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/') /* trailing slashes */
		n--;
	while (n > 0 && s[n - 1] != '/') /* the last component */
		n--;
	if (n == 0) {
		puts(s[0] == '/' ? "/" : ".");
		return 0;
	}
	while (n > 1 && s[n - 1] == '/') /* the slashes before it */
		n--;
	printf("%.*s\n", (int)n, s);
	return 0;
}
