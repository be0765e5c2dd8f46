/*
 * The group database: getgrnam, getgrgid (and their _r forms), getgrent,
 * setgrent, endgrent, from /etc/group (name:password:gid:member,member,...).
 * The plain forms return one static entry, overwritten by the next call. A
 * missing file is an empty database.
 */
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <string.h>
#include "userdb.h"

#define GROUP_FILE "/etc/group"
#define GR_BUF 1024 /* sysconf(_SC_GETGR_R_SIZE_MAX) */

/* fill: *gr from the four fields f; the member list goes, as a NULL-terminated
 * array, into buf after the used bytes. Returns 0, -1 (a bad gid), or -ERANGE
 * (no room for the array). */
static int fill(struct group *gr, char **f, char *buf, size_t size, size_t used)
{
	unsigned gid;
	if (userdb_id(f[2], &gid) < 0)
		return -1;
	size_t n = 1;
	for (char *p = f[3]; *p; p++)
		n += *p == ',';
	uintptr_t at = ((uintptr_t)buf + used + sizeof(char *) - 1) & ~(uintptr_t)(sizeof(char *) - 1);
	if (at + (n + 1) * sizeof(char *) > (uintptr_t)buf + size)
		return -ERANGE;
	char **mem = (char **)at;
	size_t k = 0;
	for (char *p = f[3]; *p; ) {
		mem[k++] = p;
		p += strcspn(p, ",");
		if (*p)
			*p++ = 0;
	}
	mem[k] = NULL;
	*gr = (struct group){ .gr_name = f[0], .gr_passwd = f[1], .gr_gid = (gid_t)gid, .gr_mem = mem };
	return 0;
}

/* next: the next well-formed entry of f into *gr (strings and members in buf).
 * Returns 1, 0 at the end, or -ERANGE (an entry longer than buf). */
static int next(FILE *f, struct group *gr, char *buf, size_t size)
{
	char *field[4];
	long used;
	while ((used = userdb_next(f, buf, size, field, 4)) > 0) {
		int r = fill(gr, field, buf, size, (size_t)used);
		if (r != -1)
			return r == 0 ? 1 : r;
	}
	return (int)used;
}

/* search: the first group named name (or, with name NULL, with id gid). Returns
 * 0 with *res = gr or NULL (not there), or an error number with *res NULL:
 * ERANGE (buf too small), or open's errors other than ENOENT (no file). */
static int search(const char *name, gid_t gid, struct group *gr, char *buf, size_t size,
		  struct group **res)
{
	*res = NULL;
	FILE *f = fopen(GROUP_FILE, "r");
	if (!f)
		return errno == ENOENT ? 0 : errno;
	int r;
	while ((r = next(f, gr, buf, size)) > 0)
		if (name ? strcmp(gr->gr_name, name) == 0 : gr->gr_gid == gid) {
			*res = gr;
			break;
		}
	fclose(f);
	return r < 0 ? -r : 0;
}

/* getgrnam_r, getgrgid_r: group name (or gid) into *gr, its strings and member
 * array in buf (size bytes). Return 0 with *res = gr, or 0 with *res NULL (no
 * such group), or an error number (ERANGE: buf is too small; EIO, EMFILE, ...). */
int getgrnam_r(const char *name, struct group *gr, char *buf, size_t size, struct group **res)
{
	return search(name, 0, gr, buf, size, res);
}

int getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t size, struct group **res)
{
	return search(NULL, gid, gr, buf, size, res);
}

static struct group entry;
static char entry_buf[GR_BUF];

/* getgrnam, getgrgid: the same into a static entry. Return it, or NULL (no such
 * group: errno unchanged; or an error: errno set). */
struct group *getgrnam(const char *name)
{
	struct group *res;
	int err = getgrnam_r(name, &entry, entry_buf, sizeof entry_buf, &res);
	if (err)
		errno = err;
	return res;
}

struct group *getgrgid(gid_t gid)
{
	struct group *res;
	int err = getgrgid_r(gid, &entry, entry_buf, sizeof entry_buf, &res);
	if (err)
		errno = err;
	return res;
}

static FILE *ent_file; /* getgrent's place in the file */

/* setgrent: the next getgrent starts again at the first group. */
void setgrent(void)
{
	if (ent_file)
		rewind(ent_file);
}

/* endgrent: close the file getgrent reads. */
void endgrent(void)
{
	if (ent_file)
		fclose(ent_file);
	ent_file = NULL;
}

/* getgrent: the next group (the first after setgrent or endgrent), in the static
 * entry. Returns it, or NULL at the end (errno unchanged) or on an error (errno
 * set: an entry too long is ERANGE). */
struct group *getgrent(void)
{
	if (!ent_file && !(ent_file = fopen(GROUP_FILE, "r")))
		return NULL;
	int r = next(ent_file, &entry, entry_buf, sizeof entry_buf);
	if (r < 0)
		errno = -r;
	return r > 0 ? &entry : NULL;
}
