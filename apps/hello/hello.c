/* hello: the first user program. Exercises newlib's stdio (with %f and %lld),
 * malloc/free and setjmp/longjmp, then exits with a status taken from its arguments. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf jb;

static void jump_back(int v)
{
	longjmp(jb, v);
}

int main(int argc, char **argv)
{
	printf("hello from user mode: %s, argc=%d\n", argv[0], argc);
	for (int i = 1; i < argc; i++)
		printf("  argv[%d] = %s\n", i, argv[i]);
	printf("printf: %%f %f, %%lld %lld, %%x %x\n", 3.14159, -9000000000LL, 0xbeefu);

	char *p = malloc(100000);
	if (!p)
		return 2;
	memset(p, 'x', 100000);
	free(p);
	printf("malloc: 100000 bytes ok\n");

	int v = setjmp(jb);
	if (v == 0)
		jump_back(0); /* longjmp with 0 must return 1 */
	printf("setjmp: returned %d after longjmp(0)\n", v);
	return argc > 1 ? atoi(argv[argc - 1]) : 0;
}
