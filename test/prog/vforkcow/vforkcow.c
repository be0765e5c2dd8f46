/* vforkcow: a vfork child writes to memory that an earlier fork left copy-on-write
 * in its parent (as dash does: a pipeline forks, the next simple command vforks and
 * its child calls malloc before exec). The write must land in the parent's memory,
 * as vfork promises. Prints "vforkcow: ok" and exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char data[3 * 4096] = { 1 };
static char bss[3 * 4096];

int main(void)
{
	data[0] = 2, bss[0] = 2;
	for (int round = 0; round < 2; round++) {
		static pid_t p;
		p = fork(); /* leaves our pages copy-on-write */
		if (p == 0)
			_exit(0);
		if (round == 0) { /* the first round: the fork child still lives, maps == 2 */
			pid_t v = vfork();
			if (v == 0) {
				data[4096] = 7, bss[4096] = 7;
				char *m = malloc(100000);
				m[0] = 1;
				_exit(0);
			}
			waitpid(v, NULL, 0);
			waitpid(p, NULL, 0);
		} else { /* the second: it has ended, maps == 1 */
			waitpid(p, NULL, 0);
			pid_t v = vfork();
			if (v == 0) {
				data[8192] = 9, bss[8192] = 9;
				char *m = malloc(200000);
				m[0] = 1;
				_exit(0);
			}
			waitpid(v, NULL, 0);
		}
	}
	if (data[4096] != 7 || bss[4096] != 7 || data[8192] != 9 || bss[8192] != 9) {
		printf("vforkcow: the child's writes did not land: %d %d %d %d\n", data[4096], bss[4096], data[8192], bss[8192]);
		return 1;
	}
	printf("vforkcow: ok\n");
	return 0;
}
