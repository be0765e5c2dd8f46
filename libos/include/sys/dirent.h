/* Directory streams for the libOS (newlib has none for this target). */
#ifndef LIBOS_SYS_DIRENT_H
#define LIBOS_SYS_DIRENT_H
#include <sys/types.h>

#define MAXNAMLEN 255

struct dirent {
	ino_t d_ino;
	unsigned char d_type;      /* DT_REG, DT_DIR or DT_LNK */
	char d_name[MAXNAMLEN + 1];
};
#define DT_UNKNOWN 0
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

typedef struct libos_dir DIR;

DIR *opendir(const char *path);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
void rewinddir(DIR *d);

#endif
