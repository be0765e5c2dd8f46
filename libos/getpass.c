/* getpass: read a password from the terminal without echo. */
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define PASS_MAX 128

/* getpass: write prompt to /dev/tty and read a line from it with echo off
 * (restored after), at most PASS_MAX - 1 bytes kept, the newline dropped.
 * Returns a static buffer, or NULL with open's or read's error. */
char *getpass(const char *prompt)
{
	static char pass[PASS_MAX];
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct termios old, quiet;
	int have = tcgetattr(fd, &old) == 0;
	if (have) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	(void)!write(fd, prompt, strlen(prompt));
	size_t n = 0;
	char c;
	ssize_t r;
	while ((r = read(fd, &c, 1)) == 1 && c != '\n')
		if (n < sizeof pass - 1)
			pass[n++] = c;
	pass[n] = 0;
	if (have) {
		tcsetattr(fd, TCSAFLUSH, &old);
		(void)!write(fd, "\n", 1);
	}
	close(fd);
	return r < 0 ? NULL : pass;
}
