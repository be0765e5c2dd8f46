/*
 * A /tmp file's block map (server side, see fs.h): a radix tree. An inode with
 * levels 0 has at most one data block, its root; each level above adds index
 * blocks of BMAP_FANOUT block numbers, so levels L reach BMAP_FANOUT^L blocks
 * (3 levels: 4 TiB). Index blocks are data blocks too (fs_block_alloc). A 0 entry
 * is a hole: a sparse file holds only the blocks written and their index blocks.
 */
#include "fs.h"

static uint32_t *index_of(uint32_t b)
{
	return (uint32_t *)block_addr(b);
}

/* span: file blocks under one entry at level l (BMAP_FANOUT^l). */
static uint64_t span(uint32_t l)
{
	uint64_t s = 1;
	while (l--)
		s *= BMAP_FANOUT;
	return s;
}

uint32_t bmap_get(const struct inode *ip, uint64_t bi)
{
	if (bi >= span(ip->levels))
		return 0;
	uint32_t b = ip->root;
	for (uint32_t l = ip->levels; l > 0 && b; l--)
		b = index_of(b)[bi / span(l - 1) % BMAP_FANOUT];
	return b;
}

/* take: a fresh block into *slot, charged to ip. Returns false if none. */
static bool take(struct inode *ip, uint32_t *slot)
{
	uint32_t b = fs_block_alloc();
	if (!b)
		return false;
	*slot = b;
	ip->nblocks++;
	return true;
}

uint32_t bmap_alloc(struct inode *ip, uint64_t bi)
{
	if (bi >= span(BMAP_LEVELS))
		return 0;
	while (bi >= span(ip->levels)) { /* taller: the old tree becomes entry 0 */
		uint32_t top;
		if (ip->root) {
			if (!take(ip, &top))
				return 0;
			index_of(top)[0] = ip->root;
			ip->root = top;
		}
		ip->levels++;
	}
	uint32_t *slot = &ip->root;
	for (uint32_t l = ip->levels;; l--) {
		if (!*slot && !take(ip, slot))
			return 0; /* index blocks made on the way stay: empty, freed by a trim */
		if (l == 0)
			return *slot;
		slot = &index_of(*slot)[bi / span(l - 1) % BMAP_FANOUT];
	}
}

/* drop: free block b at level l and everything under it. */
static void drop(struct inode *ip, uint32_t b, uint32_t l)
{
	for (uint32_t i = 0; l > 0 && i < BMAP_FANOUT; i++)
		if (index_of(b)[i])
			drop(ip, index_of(b)[i], l - 1);
	fs_block_free(b);
	ip->nblocks--;
}

/* trim: free what *slot (level l, covering file blocks from base on) holds at or
 * after file block from, and *slot itself if nothing is left under it. */
static void trim(struct inode *ip, uint32_t *slot, uint32_t l, uint64_t base, uint64_t from)
{
	if (!*slot)
		return;
	if (from <= base) {
		drop(ip, *slot, l);
		*slot = 0;
		return;
	}
	if (l == 0)
		return; /* a data block before from */
	uint32_t *idx = index_of(*slot);
	uint64_t s = span(l - 1);
	bool empty = true;
	for (uint32_t i = 0; i < BMAP_FANOUT; i++) {
		if (base + (i + 1) * s > from)
			trim(ip, &idx[i], l - 1, base + i * s, from);
		empty = empty && !idx[i];
	}
	if (empty) {
		fs_block_free(*slot);
		ip->nblocks--;
		*slot = 0;
	}
}

void bmap_trim(struct inode *ip, uint64_t from)
{
	trim(ip, &ip->root, ip->levels, 0, from);
	if (!ip->root)
		ip->levels = 0;
}
