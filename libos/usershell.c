/* getusershell, setusershell, endusershell: the login shells of /etc/shells
 * (one path a line; without the file, /bin/sh alone). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static FILE *shells;
static int fallback; /* without /etc/shells: /bin/sh given yet? */

/* setusershell: start again at the first shell. */
void setusershell(void)
{
	if (shells)
		rewind(shells);
	fallback = 0;
}

/* endusershell: close /etc/shells; the next getusershell starts again. */
void endusershell(void)
{
	if (shells)
		fclose(shells);
	shells = NULL;
	fallback = 0;
}

/* getusershell: the next shell's path (a static buffer), or NULL after the
 * last. Lines that do not start with '/' (comments) are skipped. */
char *getusershell(void)
{
	static char line[256];
	if (!shells && !fallback)
		shells = fopen("/etc/shells", "re");
	if (!shells) {
		if (fallback++)
			return NULL;
		return strcpy(line, "/bin/sh");
	}
	while (fgets(line, sizeof line, shells)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '/')
			return line;
	}
	return NULL;
}
