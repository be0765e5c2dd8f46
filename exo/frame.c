/* Physical frame allocator (see frame.h). No kernel dependencies. */
#include "frame.h"

static bool overlaps(uint64_t a0, uint64_t a1, const struct phys_range *r, int n)
{
	for (int i = 0; i < n; i++)
		if (a0 < r[i].end && r[i].start < a1)
			return true;
	return false;
}

/* Put free frame fn on the free list: at its head, or at its tail. */
static void free_push(struct frame_table *ft, uint32_t fn, bool at_tail)
{
	uint32_t *toward = at_tail ? ft->prev : ft->next, *away = at_tail ? ft->next : ft->prev;
	uint32_t *end = at_tail ? &ft->free_tail : &ft->free_head, *other = at_tail ? &ft->free_head : &ft->free_tail;
	away[fn] = FRAME_NONE;
	toward[fn] = *end;
	if (*end != FRAME_NONE)
		away[*end] = fn;
	else
		*other = fn;
	*end = fn;
	ft->nfree++;
}

/* Take free frame fn off the free list, wherever it is. */
static void free_unlink(struct frame_table *ft, uint32_t fn)
{
	uint32_t n = ft->next[fn], p = ft->prev[fn];
	if (p != FRAME_NONE)
		ft->next[p] = n;
	else
		ft->free_head = n;
	if (n != FRAME_NONE)
		ft->prev[n] = p;
	else
		ft->free_tail = p;
	ft->next[fn] = ft->prev[fn] = FRAME_NONE;
	ft->nfree--;
}

void frame_table_init(struct frame_table *ft, struct exo_frame *meta, uint32_t *next, uint32_t *prev,
		      uint64_t nframes, const struct phys_range *avail, int navail,
		      const struct phys_range *reserved, int nreserved)
{
	ft->meta = meta;
	ft->next = next;
	ft->prev = prev;
	ft->nframes = nframes;
	ft->free_head = ft->free_tail = FRAME_NONE;
	ft->nfree = 0;
	ft->zeroed = FRAME_LIST_EMPTY;
	for (uint64_t i = 0; i < nframes; i++) {
		meta[i].owner = FRAME_OWNER_RESERVED;
		meta[i].maps = 0;
		meta[i].flags = 0;
		next[i] = prev[i] = FRAME_NONE;
	}
	/* Walk downwards so the list comes out in ascending order. */
	for (uint64_t i = nframes; i-- > 0;) {
		uint64_t a0 = i << 12, a1 = a0 + 4096;
		bool usable = false;
		for (int r = 0; r < navail && !usable; r++)
			usable = a0 >= avail[r].start && a1 <= avail[r].end;
		/* Frame 0 stays reserved: physical address 0 doubles as "no frame". */
		if (!usable || i == 0 || overlaps(a0, a1, reserved, nreserved))
			continue;
		meta[i].owner = FRAME_OWNER_FREE;
		free_push(ft, (uint32_t)i, false);
	}
}

/* Put fn at the head of list. */
static void link(struct frame_table *ft, uint32_t fn, struct frame_list *list)
{
	ft->prev[fn] = FRAME_NONE;
	ft->next[fn] = list->head;
	if (list->head != FRAME_NONE)
		ft->prev[list->head] = fn;
	list->head = fn;
	list->count++;
}

/* Take fn off list. */
static void unlink(struct frame_table *ft, uint32_t fn, struct frame_list *list)
{
	uint32_t n = ft->next[fn], p = ft->prev[fn];
	if (p != FRAME_NONE)
		ft->next[p] = n;
	else
		list->head = n;
	if (n != FRAME_NONE)
		ft->prev[n] = p;
	ft->next[fn] = ft->prev[fn] = FRAME_NONE;
	list->count--;
}

/* take: give free frame fn (the known-zero list's head if zero, else on the free
 * list) to owner with flags, on list. Returns fn. */
static uint32_t take(struct frame_table *ft, uint32_t fn, bool zero, int32_t owner, uint16_t flags,
		     struct frame_list *list)
{
	if (zero) {
		unlink(ft, fn, &ft->zeroed);
		ft->nfree--;
	} else {
		free_unlink(ft, fn);
	}
	ft->meta[fn].owner = owner;
	ft->meta[fn].maps = 0;
	ft->meta[fn].flags = flags;
	if (list)
		link(ft, fn, list);
	return fn;
}

uint32_t frame_take(struct frame_table *ft, int32_t owner, uint16_t flags, struct frame_list *list)
{
	bool zero = ft->free_head == FRAME_NONE;
	uint32_t fn = zero ? ft->zeroed.head : ft->free_head;
	if (fn == FRAME_NONE || owner == FRAME_OWNER_FREE)
		return FRAME_NONE;
	return take(ft, fn, zero, owner, flags, list);
}

uint32_t frame_take_zero(struct frame_table *ft, int32_t owner, uint16_t flags, struct frame_list *list,
			 bool *zero)
{
	*zero = ft->zeroed.head != FRAME_NONE;
	uint32_t fn = *zero ? ft->zeroed.head : ft->free_head;
	if (fn == FRAME_NONE || owner == FRAME_OWNER_FREE)
		return FRAME_NONE;
	return take(ft, fn, *zero, owner, flags, list);
}

int frame_give(struct frame_table *ft, uint32_t fn, struct frame_list *list, bool zero)
{
	if (fn >= ft->nframes)
		return -1;
	struct exo_frame *m = &ft->meta[fn];
	if (m->owner == FRAME_OWNER_FREE || m->owner == FRAME_OWNER_RESERVED ||
	    m->owner == FRAME_OWNER_MODULE || m->maps != 0 || (m->flags & EXO_FRAME_LARGE))
		return -1;
	if (list)
		unlink(ft, fn, list);
	m->owner = FRAME_OWNER_FREE;
	m->flags = 0;
	if (zero) {
		link(ft, fn, &ft->zeroed);
		ft->nfree++;
	} else {
		free_push(ft, fn, false);
	}
	return 0;
}

uint32_t frame_take_large(struct frame_table *ft, int32_t owner, uint16_t flags, struct frame_list *list)
{
	if (owner == FRAME_OWNER_FREE || ft->nfree < FRAME_LARGE_RUN)
		return FRAME_NONE;
	while (ft->zeroed.head != FRAME_NONE) { /* a run's frames are taken wherever they lie */
		uint32_t fn = ft->zeroed.head;
		unlink(ft, fn, &ft->zeroed);
		ft->nfree--; /* (free_push counts it again) */
		free_push(ft, fn, false);
	}
	/* From the top down: single frames are taken from the bottom, so the top runs
	 * stay whole longest. A run fails at its first frame in use, mostly the first. */
	for (uint64_t run = ft->nframes / FRAME_LARGE_RUN; run-- > 0;) {
		uint32_t fn = (uint32_t)(run * FRAME_LARGE_RUN), i = 0;
		while (i < FRAME_LARGE_RUN && ft->meta[fn + i].owner == FRAME_OWNER_FREE)
			i++;
		if (i < FRAME_LARGE_RUN)
			continue;
		for (i = 0; i < FRAME_LARGE_RUN; i++) {
			free_unlink(ft, fn + i);
			ft->meta[fn + i] = (struct exo_frame){ owner, 0, (uint16_t)(flags | EXO_FRAME_LARGE) };
			if (list)
				link(ft, fn + i, list);
		}
		return fn;
	}
	return FRAME_NONE;
}

int frame_give_large(struct frame_table *ft, uint32_t fn, struct frame_list *list)
{
	if (fn % FRAME_LARGE_RUN || fn >= ft->nframes || ft->meta[fn].owner <= 0 || ft->meta[fn].maps != 0)
		return -1;
	for (uint32_t i = 0; i < FRAME_LARGE_RUN; i++)
		if (ft->meta[fn + i].owner != ft->meta[fn].owner || !(ft->meta[fn + i].flags & EXO_FRAME_LARGE))
			return -1;
	for (uint32_t i = 0; i < FRAME_LARGE_RUN; i++) {
		if (list)
			unlink(ft, fn + i, list);
		ft->meta[fn + i] = (struct exo_frame){ FRAME_OWNER_FREE, 0, 0 };
		free_push(ft, fn + i, true);
	}
	return 0;
}

void frame_move(struct frame_table *ft, uint32_t fn, struct frame_list *from, struct frame_list *to,
		int32_t owner)
{
	unlink(ft, fn, from);
	link(ft, fn, to);
	ft->meta[fn].owner = owner;
}

uint64_t frame_move_all(struct frame_table *ft, struct frame_list *from, struct frame_list *to, int32_t owner)
{
	uint64_t moved = 0;
	while (from->head != FRAME_NONE) {
		frame_move(ft, from->head, from, to, owner);
		moved++;
	}
	return moved;
}

int frame_check(const struct frame_table *ft, const char **why)
{
	uint64_t listed = 0, free_in_table = 0;
	uint32_t back = FRAME_NONE;
	for (uint32_t fn = ft->free_head; fn != FRAME_NONE; back = fn, fn = ft->next[fn]) {
		if (fn >= ft->nframes)
			return *why = "free list points outside the table", -1;
		if (ft->prev[fn] != back)
			return *why = "free list back link is wrong", -1;
		if (ft->meta[fn].owner != FRAME_OWNER_FREE)
			return *why = "free list holds a frame that has an owner", -1;
		if (ft->meta[fn].maps)
			return *why = "free list holds a mapped frame", -1;
		if (++listed > ft->nfree)
			return *why = "free list is longer than the free count (cycle or duplicate)", -1;
	}
	if (ft->free_tail != back)
		return *why = "free list tail is not its last frame", -1;
	back = FRAME_NONE;
	uint64_t nzero = 0;
	for (uint32_t fn = ft->zeroed.head; fn != FRAME_NONE; back = fn, fn = ft->next[fn]) {
		if (fn >= ft->nframes)
			return *why = "known-zero list points outside the table", -1;
		if (ft->prev[fn] != back)
			return *why = "known-zero list back link is wrong", -1;
		if (ft->meta[fn].owner != FRAME_OWNER_FREE || ft->meta[fn].maps)
			return *why = "known-zero list holds a frame that is not free, or mapped", -1;
		if (++listed > ft->nfree)
			return *why = "free lists are longer than the free count (cycle or duplicate)", -1;
		nzero++;
	}
	if (nzero != ft->zeroed.count)
		return *why = "known-zero list's count is wrong", -1;
	if (nzero && back == ft->free_tail) /* the two lists run into each other */
		return *why = "known-zero list ends in the free list", -1;
	for (uint64_t i = 0; i < ft->nframes; i++)
		if (ft->meta[i].owner == FRAME_OWNER_FREE)
			free_in_table++;
	if (listed != ft->nfree)
		return *why = "free lists are shorter than the free count", -1;
	if (free_in_table != ft->nfree)
		return *why = "table and free list disagree on the free frames", -1;
	return 0;
}

int frame_list_check(const struct frame_table *ft, const struct frame_list *list, int32_t owner,
		     const char **why)
{
	uint64_t n = 0;
	uint32_t back = FRAME_NONE;
	for (uint32_t fn = list->head; fn != FRAME_NONE; back = fn, fn = ft->next[fn]) {
		if (fn >= ft->nframes)
			return *why = "holder list points outside the table", -1;
		if (ft->meta[fn].owner != owner)
			return *why = "holder list holds a frame of another owner", -1;
		if (ft->prev[fn] != back)
			return *why = "holder list back link is wrong", -1;
		if (++n > list->count)
			return *why = "holder list is longer than its count (cycle or duplicate)", -1;
	}
	if (n != list->count)
		return *why = "holder list is shorter than its count", -1;
	return 0;
}
