/* <libgen.h>: POSIX basename and dirname. Both may write into path (to cut
 * trailing slashes) and return either a part of it or a constant string. */
#include <libgen.h>
#include <string.h>

/* basename (the symbol <libgen.h>'s __xpg_basename names): the last component
 * of path, its trailing slashes cut; "/" for a path of slashes only, "." for
 * NULL or "". */
char *basename(char *path)
{
	if (!path || !*path)
		return ".";
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = 0;
	if (n == 1 && path[0] == '/')
		return path;
	char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* dirname: the parent directory of path: "." when it has no slash (or is NULL
 * or ""), "/" when its only slashes lead; trailing slashes and the slashes
 * between the parent and the last component cut. */
char *dirname(char *path)
{
	if (!path || !*path)
		return ".";
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--; /* trailing slashes */
	while (n > 0 && path[n - 1] != '/')
		n--; /* the last component */
	if (n == 0)
		return ".";
	while (n > 1 && path[n - 1] == '/')
		n--; /* the slashes before it */
	path[n] = 0;
	return path;
}
