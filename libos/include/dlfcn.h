/* <dlfcn.h>: dynamic loading. Programs here are static: dlopen of a file
 * fails (dlerror says why), dlopen(NULL) gives a handle on the program whose
 * dlsym finds nothing (libos/dlfcn.c). */
#ifndef LIBOS_DLFCN_H
#define LIBOS_DLFCN_H

#define RTLD_LAZY 1
#define RTLD_NOW 2
#define RTLD_GLOBAL 0x100
#define RTLD_LOCAL 0
#define RTLD_DEFAULT ((void *)0)

void *dlopen(const char *file, int mode);
void *dlsym(void *__restrict handle, const char *__restrict name);
int dlclose(void *handle);
char *dlerror(void);
#endif
