/* getline and getdelim: POSIX's names for newlib's __getline and __getdelim,
 * which newlib's x86_64-elf build defines but does not export under them. */
#include <stdio.h>

/* Read from f up to and including the next delim (or to end of file) into *line,
 * grown with realloc as needed (*cap is its size; a NULL *line is allocated), and
 * end it with a 0 byte. Returns the number of bytes read, delim included; -1 at end
 * of file with nothing read or on an error (errno: EINVAL for a NULL line or cap,
 * ENOMEM, or the read's error). */
ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f)
{
	return __getdelim(line, cap, delim, f);
}

/* getdelim with the delimiter '\n'. */
ssize_t getline(char **line, size_t *cap, FILE *f)
{
	return __getdelim(line, cap, '\n', f);
}
