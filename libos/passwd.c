/*
 * The user database: getpwnam, getpwuid (and their _r forms), getpwent,
 * setpwent, endpwent and getlogin, from /etc/passwd (name:password:uid:gid:
 * gecos:home:shell). The plain forms return one static entry, overwritten by the
 * next call. A missing file is an empty database.
 */
#include <errno.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>
#include "userdb.h"

#define PASSWD_FILE "/etc/passwd"
#define PW_BUF 1024 /* sysconf(_SC_GETPW_R_SIZE_MAX) */

/* fill: *pw from the seven fields f. Returns 0, or -1 (a bad uid or gid). */
static int fill(struct passwd *pw, char **f)
{
	unsigned uid, gid;
	if (userdb_id(f[2], &uid) < 0 || userdb_id(f[3], &gid) < 0)
		return -1;
	*pw = (struct passwd){ .pw_name = f[0], .pw_passwd = f[1], .pw_uid = (uid_t)uid,
			       .pw_gid = (gid_t)gid, .pw_comment = f[4], .pw_gecos = f[4],
			       .pw_dir = f[5], .pw_shell = f[6] };
	return 0;
}

/* next: the next well-formed entry of f into *pw (strings in buf). Returns 1, 0
 * at the end, or -ERANGE (an entry longer than buf). */
static int next(FILE *f, struct passwd *pw, char *buf, size_t size)
{
	char *field[7];
	long r;
	while ((r = userdb_next(f, buf, size, field, 7)) > 0)
		if (fill(pw, field) == 0)
			return 1;
	return (int)r;
}

/* search: the first entry named name (or, with name NULL, with user id uid).
 * Returns 0 with *res = pw (found) or NULL (not there), or an error number with
 * *res NULL: ERANGE (buf too small for an entry), EFAULT, or open's errors other
 * than ENOENT (no file: nobody is there). */
static int search(const char *name, uid_t uid, struct passwd *pw, char *buf, size_t size,
		  struct passwd **res)
{
	*res = NULL;
	FILE *f = fopen(PASSWD_FILE, "r");
	if (!f)
		return errno == ENOENT ? 0 : errno;
	int r;
	while ((r = next(f, pw, buf, size)) > 0)
		if (name ? strcmp(pw->pw_name, name) == 0 : pw->pw_uid == uid) {
			*res = pw;
			break;
		}
	fclose(f);
	return r < 0 ? -r : 0;
}

/* getpwnam_r, getpwuid_r: the entry of user name (or uid) into *pw, its strings
 * in buf (size bytes). Return 0 with *res = pw, or 0 with *res NULL (no such
 * user), or an error number (ERANGE: buf is too small; EIO, EMFILE, ...). */
int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t size, struct passwd **res)
{
	return search(name, 0, pw, buf, size, res);
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t size, struct passwd **res)
{
	return search(NULL, uid, pw, buf, size, res);
}

static struct passwd entry;
static char entry_buf[PW_BUF];

/* getpwnam, getpwuid: the same into a static entry. Return it, or NULL (no such
 * user: errno unchanged; or an error: errno set). */
struct passwd *getpwnam(const char *name)
{
	struct passwd *res;
	int err = getpwnam_r(name, &entry, entry_buf, sizeof entry_buf, &res);
	if (err)
		errno = err;
	return res;
}

struct passwd *getpwuid(uid_t uid)
{
	struct passwd *res;
	int err = getpwuid_r(uid, &entry, entry_buf, sizeof entry_buf, &res);
	if (err)
		errno = err;
	return res;
}

static FILE *ent_file; /* getpwent's place in the file */

/* setpwent: the next getpwent starts again at the first entry. */
void setpwent(void)
{
	if (ent_file)
		rewind(ent_file);
}

/* endpwent: close the file getpwent reads. */
void endpwent(void)
{
	if (ent_file)
		fclose(ent_file);
	ent_file = NULL;
}

/* getpwent: the next entry of the database (the first after setpwent or
 * endpwent), in the static entry. Returns it, or NULL at the end (errno
 * unchanged) or on an error (errno set: an entry too long is ERANGE). */
struct passwd *getpwent(void)
{
	if (!ent_file && !(ent_file = fopen(PASSWD_FILE, "r")))
		return NULL;
	int r = next(ent_file, &entry, entry_buf, sizeof entry_buf);
	if (r < 0)
		errno = -r;
	return r > 0 ? &entry : NULL;
}

/* getlogin: the name of the user logged in on the console: every process runs
 * as root, so the name of user 0 in /etc/passwd. Returns it (static), or NULL
 * with ENXIO (no such entry) or an error of getpwuid. */
char *getlogin(void)
{
	int saved = errno;
	errno = 0;
	struct passwd *pw = getpwuid(getuid());
	if (!pw) {
		if (!errno)
			errno = ENXIO;
		return NULL;
	}
	errno = saved;
	return pw->pw_name;
}
