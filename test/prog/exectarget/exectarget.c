/* exectarget: a small program for exec tests. Prints its pid, parent, arguments and
 * environment variable EXECTEST, then exits with the status in argv[1]. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("exectarget: pid %d ppid %d argc %d", getpid(), getppid(), argc);
	for (int i = 0; i < argc; i++)
		printf(" [%s]", argv[i]);
	const char *e = getenv("EXECTEST");
	printf(" EXECTEST=%s\n", e ? e : "(unset)");
	return argc > 1 ? atoi(argv[1]) : 0;
}
