/* input: read lines from the serial console with stdio and echo them back. */
#include <stdio.h>
#include <string.h>

int main(void)
{
	char line[128];
	int n = 0;
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!strcmp(line, "quit"))
			break;
		printf("got line %d: [%s] (%zu bytes)\n", ++n, line, strlen(line));
	}
	printf("input: %d lines\n", n);
	return n;
}
