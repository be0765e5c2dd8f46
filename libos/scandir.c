/* scandir and alphasort: a directory's entries as a sorted array. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* alphasort: compare two entries' names with strcoll, for scandir's sort. */
int alphasort(const struct dirent **a, const struct dirent **b)
{
	return strcoll((*a)->d_name, (*b)->d_name);
}

/* scandir: the entries of dir that select accepts (all when select is NULL),
 * each a malloc'd copy, in a malloc'd array in *list, sorted with compar (in
 * directory order when NULL). Returns how many, or -1 with opendir's or
 * readdir's error or ENOMEM (nothing is left allocated then). */
int scandir(const char *dir, struct dirent ***list,
	    int (*select)(const struct dirent *), int (*compar)(const struct dirent **, const struct dirent **))
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent **v = NULL, *e;
	size_t n = 0, cap = 0;
	int err = 0;
	errno = 0;
	while ((e = readdir(d))) {
		if (select && !select(e))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			struct dirent **nv = realloc(v, cap * sizeof *v);
			if (!nv) {
				err = ENOMEM;
				break;
			}
			v = nv;
		}
		if (!(v[n] = malloc(sizeof **v))) {
			err = ENOMEM;
			break;
		}
		memcpy(v[n++], e, sizeof **v);
		errno = 0;
	}
	if (!err)
		err = errno;
	closedir(d);
	if (err) {
		while (n)
			free(v[--n]);
		free(v);
		errno = err;
		return -1;
	}
	if (compar && n > 1)
		qsort(v, n, sizeof *v, (int (*)(const void *, const void *))(void (*)(void))compar);
	*list = v;
	return (int)n;
}
