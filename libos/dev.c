/* The devices under /dev: names and the open-file type each one opens as. */
#include <string.h>
#include "fs.h"

static const struct {
	const char *name;
	enum ftype type;
} devs[] = {
	{ "/dev/null", F_NULL },         /* reads end at once, writes vanish */
	{ "/dev/zero", F_ZERO },         /* reads give zeros, writes vanish */
	{ "/dev/random", F_RANDOM },     /* reads give random bytes (libos_random), */
	{ "/dev/urandom", F_RANDOM },    /* never blocking; writes vanish */
	{ "/dev/tty", F_CONSOLE },       /* the console, as descriptors 0-2 */
	{ "/dev/console", F_CONSOLE },
};

enum ftype dev_lookup(const char *abs)
{
	for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++)
		if (strcmp(abs, devs[i].name) == 0)
			return devs[i].type;
	return F_NONE;
}
