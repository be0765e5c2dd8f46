/* The directory stream behind DIR (libos/dir.c, dirstream.c). */
#ifndef LIBOS_DIR_H
#define LIBOS_DIR_H
#include <dirent.h>
#include "fs.h"

struct libos_dir {
	char path[PATH_MAX_LEN];
	int cursor;          /* /tmp: inode index; initrd: entry number */
	int fd;              /* the descriptor dirfd or fdopendir gave it, or -1 */
	struct dirent ent;
};

#endif
