/* Read-only access to the initrd (a ustar archive): see libos/initrd.c. */
#ifndef LIBOS_INITRD_H
#define LIBOS_INITRD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct initrd_entry {
	const char *name;  /* path inside the archive (valid during the call / lookup) */
	const char *data;  /* file contents, read-only, shared by every process */
	size_t size;
	uint32_t mode;     /* permission bits from the archive */
	bool is_dir;
};

/* initrd_lookup: find path (absolute or relative to /). Returns 0 and fills *out,
 * or -ENOENT. */
int initrd_lookup(const char *path, struct initrd_entry *out);

/* initrd_each: call fn for each archive entry in order until it returns non-zero
 * (that value is returned). Returns 0 at the end, -1 if there is no initrd. */
int initrd_each(int (*fn)(const struct initrd_entry *e, void *arg), void *arg);

/* initrd_holds: does p point into the initrd (read-only boot-module frames, the
 * same in every process)? */
bool initrd_holds(const void *p);

#endif
