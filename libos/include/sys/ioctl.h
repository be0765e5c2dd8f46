/* <sys/ioctl.h>: the terminal requests the libOS's console answers (console.c).
 * Values are Linux's. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H
#include <sys/termios.h>

#ifdef __cplusplus
extern "C" {
#endif

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCNOTTY  0x5422
#define FIONBIO    0x5421

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif
#endif
