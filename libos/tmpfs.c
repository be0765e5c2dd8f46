/*
 * /tmp (server side): a file system in the server's memory. Inodes (in the view
 * every process has) are found by absolute path; file data lives in the server's
 * data blocks, found through each file's block map (bmap.c), and reaches processes
 * through their channels. A file grows as far as memory allows (up to
 * TMP_FILE_MAX); holes hold no blocks and read as zeros.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "fs.h"

int tmp_lookup(const char *abs)
{
	for (int i = 0; i < NINODE; i++)
		if (FS->inode[i].used && strcmp(FS->inode[i].path, abs) == 0)
			return i;
	return -1;
}

void tmp_touch(struct inode *ip, int what)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (what & TMP_ATIME)
		ip->atime = now;
	if (what & TMP_MTIME)
		ip->mtime = now;
	if (what & TMP_CTIME)
		ip->ctime = now;
}

/* parent_of: the inode of the directory holding abs: its index, NINODE for
 * /tmp itself (which has none), or -ENOENT / -ENOTDIR. */
static int parent_of(const char *abs)
{
	const char *slash = strrchr(abs, '/');
	size_t n = (size_t)(slash - abs);
	if (n == 4 && strncmp(abs, "/tmp", 4) == 0)
		return NINODE;
	char parent[PATH_MAX_LEN];
	memcpy(parent, abs, n);
	parent[n] = 0;
	int p = tmp_lookup(parent);
	if (p < 0)
		return -ENOENT;
	return FS->inode[p].is_dir ? p : -ENOTDIR;
}

/* dir_changed: a name came into or left the directory holding abs. */
static void dir_changed(const char *abs)
{
	int p = parent_of(abs);
	if (p >= 0 && p < NINODE)
		tmp_touch(&FS->inode[p], TMP_MTIME | TMP_CTIME);
}

int tmp_create(const char *abs, bool dir, uint32_t mode)
{
	if (strcmp(abs, "/tmp") == 0 || tmp_lookup(abs) >= 0)
		return -EEXIST;
	int r = parent_of(abs);
	if (r < 0)
		return r;
	for (int i = 0; i < NINODE; i++) {
		struct inode *ip = &FS->inode[i];
		if (ip->used)
			continue;
		memset(ip, 0, sizeof *ip);
		ip->is_dir = dir;
		ip->mode = mode & 07777;
		strcpy(ip->path, abs);
		ip->used = 1;
		tmp_touch(ip, TMP_ATIME | TMP_MTIME | TMP_CTIME);
		dir_changed(abs);
		return i;
	}
	return -ENOSPC;
}

int tmp_symlink(const char *abs, const char *target)
{
	int i = tmp_create(abs, false, 0777);
	if (i < 0)
		return i;
	struct inode *ip = &FS->inode[i];
	ip->is_link = 1;
	strcpy(ip->link, target);
	ip->size = strlen(target);
	return i;
}

ssize_t tmp_read(struct inode *ip, uint64_t off, void *buf, size_t n)
{
	if (off >= ip->size)
		return 0;
	if (n > ip->size - off)
		n = ip->size - off;
	size_t done = 0;
	while (done < n) {
		uint64_t pos = off + done, bi = pos / PAGE_SIZE, bo = pos % PAGE_SIZE;
		size_t chunk = PAGE_SIZE - bo < n - done ? PAGE_SIZE - bo : n - done;
		uint32_t b = bmap_get(ip, bi);
		if (b)
			memcpy((char *)buf + done, block_addr(b) + bo, chunk);
		else
			memset((char *)buf + done, 0, chunk); /* a hole */
		done += chunk;
	}
	tmp_touch(ip, TMP_ATIME);
	return (ssize_t)n;
}

ssize_t tmp_write(struct inode *ip, uint64_t off, const void *buf, size_t n)
{
	if (off >= TMP_FILE_MAX)
		return n ? -EFBIG : 0;
	if (n > TMP_FILE_MAX - off)
		n = TMP_FILE_MAX - off; /* write what fits (POSIX) */
	size_t done = 0;
	while (done < n) {
		uint64_t pos = off + done, bi = pos / PAGE_SIZE, bo = pos % PAGE_SIZE;
		uint32_t b = bmap_alloc(ip, bi);
		if (!b) {
			if (done)
				break;
			return -ENOSPC;
		}
		size_t chunk = PAGE_SIZE - bo < n - done ? PAGE_SIZE - bo : n - done;
		memcpy(block_addr(b) + bo, (const char *)buf + done, chunk);
		done += chunk;
	}
	if (off + done > ip->size)
		ip->size = off + done;
	tmp_touch(ip, TMP_MTIME | TMP_CTIME);
	return (ssize_t)done;
}

void tmp_drop(struct inode *ip)
{
	dir_changed(ip->path);
	tmp_touch(ip, TMP_CTIME);
	ip->path[0] = 0; /* no lookup finds it any more */
	if (ip->opens == 0) {
		tmp_truncate(ip);
		ip->used = 0;
	}
}

int tmp_resize(struct inode *ip, uint64_t size)
{
	if (size > TMP_FILE_MAX)
		return -EFBIG;
	if (size < ip->size) {
		bmap_trim(ip, (size + PAGE_SIZE - 1) / PAGE_SIZE);
		uint32_t b = size % PAGE_SIZE ? bmap_get(ip, size / PAGE_SIZE) : 0;
		if (b) /* a later growth must read zeros there */
			memset(block_addr(b) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
	}
	if (size != ip->size)
		tmp_touch(ip, TMP_MTIME | TMP_CTIME);
	ip->size = size;
	return 0;
}

void tmp_truncate(struct inode *ip)
{
	tmp_resize(ip, 0);
}

bool tmp_dir_has(const char *dir, char *name_out, size_t size, int *cursor)
{
	size_t dl = strlen(dir);
	for (; *cursor < NINODE; (*cursor)++) {
		const struct inode *ip = &FS->inode[*cursor];
		if (!ip->used || strncmp(ip->path, dir, dl) != 0 || ip->path[dl] != '/')
			continue;
		const char *name = ip->path + dl + 1;
		if (strchr(name, '/'))
			continue; /* deeper down */
		strncpy(name_out, name, size - 1);
		name_out[size - 1] = 0;
		(*cursor)++;
		return true;
	}
	return false;
}

void tmp_stat_inode(const struct inode *ip, struct stat *st)
{
	stat_fill(st, ip->is_dir ? F_DIR : F_TMP, ip->size, ip->mode, (uint64_t)(ip - FS->inode) + 2);
	st->st_blocks = (blkcnt_t)(ip->nblocks * (PAGE_SIZE / 512)); /* what it holds: holes are free */
	if (ip->is_link)
		st->st_mode = S_IFLNK | 0777;
	st->st_uid = (uid_t)ip->uid;
	st->st_gid = (gid_t)ip->gid;
	st->st_atim = ip->atime;
	st->st_mtim = ip->mtime;
	st->st_ctim = ip->ctime;
}

int tmp_stat(const char *abs, struct stat *st)
{
	int ino = strcmp(abs, "/tmp") == 0 ? -2 : tmp_lookup(abs);
	if (ino == -2)
		stat_fill(st, F_DIR, 0, 01777, 1);
	else if (ino >= 0)
		tmp_stat_inode(&FS->inode[ino], st);
	return ino == -1 ? -ENOENT : 0;
}
