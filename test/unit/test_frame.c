/* Host unit tests for the physical frame allocator (exo/frame.c). */
#include "test/unit/check.h"
#include "exo/frame.h"

#define NFRAMES 64
#define PG 4096ULL

static struct exo_frame meta[NFRAMES];
static uint32_t next[NFRAMES], prevl[NFRAMES];
static struct frame_table ft;

/* The standard machine: RAM in frames 0-15 and 24-63, the kernel image in frames
 * 32-35 and a module covering parts of frames 48 and 49. */
static const struct phys_range ram[] = { { 0, 16 * PG }, { 24 * PG, 64 * PG } };
static const struct phys_range used[] = {
	{ 32 * PG, 36 * PG },              /* kernel image */
	{ 48 * PG + 0x800, 49 * PG + 0x800 }, /* module, not page aligned */
};
#define STD_NFREE 49 /* 1-15, 24-31, 36-47, 50-63 */

static bool std_free(uint32_t fn)
{
	return (fn >= 1 && fn <= 15) || (fn >= 24 && fn <= 31) || (fn >= 36 && fn <= 47) ||
	       (fn >= 50 && fn <= 63);
}

static void init(const struct phys_range *avail, int navail, const struct phys_range *res, int nres)
{
	frame_table_init(&ft, meta, next, prevl, NFRAMES, avail, navail, res, nres);
}

static void init_std(void)
{
	init(ram, 2, used, 2);
}

static void init_all_ram(void)
{
	static const struct phys_range all = { 0, NFRAMES * PG };
	init(&all, 1, NULL, 0);
}

static bool is_free(uint32_t fn)
{
	return meta[fn].owner == FRAME_OWNER_FREE;
}

static bool table_ok(void)
{
	const char *why = NULL;
	return frame_check(&ft, &why) == 0;
}

/* frame_check must reject the table and say why. */
static bool table_rejected(void)
{
	const char *why = NULL;
	return frame_check(&ft, &why) == -1 && why && why[0];
}

/* The second frame on the free list. */
static uint32_t second_free(void)
{
	CHECK(ft.free_head != FRAME_NONE && next[ft.free_head] != FRAME_NONE);
	return next[ft.free_head];
}

TEST(init_carves_out_reserved_ranges)
{
	init_std();
	CHECK(ft.nframes == NFRAMES);
	CHECK(ft.nfree == STD_NFREE);
	for (uint32_t fn = 0; fn < NFRAMES; fn++) {
		CHECK(is_free(fn) == std_free(fn));
		CHECK(meta[fn].maps == 0);
		if (!is_free(fn))
			CHECK(meta[fn].owner == FRAME_OWNER_RESERVED);
	}
	CHECK(table_ok());
}

TEST(frame_zero_never_free)
{
	init_all_ram();
	CHECK(!is_free(0));
	CHECK(meta[0].owner == FRAME_OWNER_RESERVED);
	CHECK(ft.nfree == NFRAMES - 1);
	CHECK(table_ok());
}

TEST(partial_pages_at_range_edges_not_free)
{
	static const struct phys_range r = { 1 * PG + 0x800, 5 * PG + 0x800 };
	init(&r, 1, NULL, 0);
	CHECK(ft.nfree == 3);
	CHECK(!is_free(1) && is_free(2) && is_free(3) && is_free(4) && !is_free(5));
	CHECK(table_ok());
}

TEST(reserved_range_covers_every_page_it_touches)
{
	static const struct phys_range r = { 10 * PG - 1, 12 * PG + 1 };
	init(ram, 2, &r, 1);
	CHECK(is_free(8) && !is_free(9) && !is_free(10) && !is_free(11) && !is_free(12) && is_free(13));
	CHECK(table_ok());
}

TEST(no_ram_means_no_free_frames)
{
	init(NULL, 0, NULL, 0);
	CHECK(ft.nfree == 0);
	CHECK(ft.free_head == FRAME_NONE);
	CHECK(frame_take(&ft, 1, 0, NULL) == FRAME_NONE);
	CHECK(table_ok());
}

TEST(take_returns_ascending_frames_and_records_owner)
{
	init_std();
	uint32_t prev = 0;
	for (int i = 0; i < STD_NFREE; i++) {
		uint32_t fn = frame_take(&ft, 100 + i, 0, NULL);
		CHECK(fn != FRAME_NONE && fn < NFRAMES);
		CHECK(fn > prev);
		CHECK(std_free(fn));
		CHECK(meta[fn].owner == 100 + i);
		CHECK(meta[fn].maps == 0);
		CHECK(ft.nfree == (uint64_t)(STD_NFREE - 1 - i));
		prev = fn;
	}
	CHECK(table_ok());
}

TEST(take_until_exhausted)
{
	init_std();
	for (int i = 0; i < STD_NFREE; i++)
		CHECK(frame_take(&ft, 7, 0, NULL) != FRAME_NONE);
	CHECK(ft.nfree == 0);
	CHECK(frame_take(&ft, 7, 0, NULL) == FRAME_NONE);
	CHECK(frame_take(&ft, FRAME_OWNER_KERNEL, 0, NULL) == FRAME_NONE);
	CHECK(ft.nfree == 0);
	CHECK(table_ok());
}

TEST(take_for_free_owner_refused)
{
	init_std();
	CHECK(frame_take(&ft, FRAME_OWNER_FREE, 0, NULL) == FRAME_NONE);
	CHECK(ft.nfree == STD_NFREE);
	CHECK(table_ok());
}

TEST(give_back_restores_count)
{
	init_std();
	uint32_t a = frame_take(&ft, 1, 0, NULL), b = frame_take(&ft, 2, 0, NULL), c = frame_take(&ft, FRAME_OWNER_KERNEL, 0, NULL);
	CHECK(ft.nfree == STD_NFREE - 3);
	CHECK(frame_give(&ft, b, NULL, false) == 0);
	CHECK(is_free(b));
	CHECK(frame_give(&ft, a, NULL, false) == 0);
	CHECK(frame_give(&ft, c, NULL, false) == 0); /* kernel-owned frames can be given back too */
	CHECK(ft.nfree == STD_NFREE);
	CHECK(table_ok());
	/* The list is LIFO: the last frame given is the next taken. */
	CHECK(frame_take(&ft, 3, 0, NULL) == c);
}

TEST(give_twice_fails)
{
	init_std();
	uint32_t fn = frame_take(&ft, 1, 0, NULL);
	CHECK(frame_give(&ft, fn, NULL, false) == 0);
	CHECK(frame_give(&ft, fn, NULL, false) == -1);
	CHECK(ft.nfree == STD_NFREE);
	CHECK(table_ok());
}

TEST(give_never_taken_free_frame_fails)
{
	init_std();
	CHECK(is_free(60));
	CHECK(frame_give(&ft, 60, NULL, false) == -1);
	CHECK(ft.nfree == STD_NFREE);
	CHECK(table_ok());
}

TEST(give_mapped_frame_fails)
{
	init_std();
	uint32_t fn = frame_take(&ft, 1, 0, NULL);
	meta[fn].maps = 1;
	CHECK(frame_give(&ft, fn, NULL, false) == -1);
	CHECK(meta[fn].owner == 1);
	CHECK(ft.nfree == STD_NFREE - 1);
	CHECK(table_ok());
	meta[fn].maps = 0;
	CHECK(frame_give(&ft, fn, NULL, false) == 0);
	CHECK(table_ok());
}

TEST(give_out_of_range_fails)
{
	init_std();
	CHECK(frame_give(&ft, NFRAMES, NULL, false) == -1);
	CHECK(frame_give(&ft, NFRAMES + 1, NULL, false) == -1);
	CHECK(frame_give(&ft, FRAME_NONE, NULL, false) == -1);
	CHECK(ft.nfree == STD_NFREE);
	CHECK(table_ok());
}

TEST(give_reserved_or_module_frame_fails)
{
	init_std();
	CHECK(frame_give(&ft, 0, NULL, false) == -1);  /* frame 0 */
	CHECK(frame_give(&ft, 20, NULL, false) == -1); /* hole between the RAM ranges */
	CHECK(frame_give(&ft, 33, NULL, false) == -1); /* kernel image */
	meta[49].owner = FRAME_OWNER_MODULE;
	CHECK(frame_give(&ft, 49, NULL, false) == -1);
	CHECK(meta[49].owner == FRAME_OWNER_MODULE);
	CHECK(ft.nfree == STD_NFREE);
	CHECK(table_ok());
}

TEST(check_rejects_owned_frame_on_free_list)
{
	init_std();
	meta[second_free()].owner = 5;
	CHECK(table_rejected());
}

TEST(check_rejects_mapped_free_frame)
{
	init_std();
	meta[second_free()].maps = 1;
	CHECK(table_rejected());
}

TEST(check_rejects_free_list_cycle)
{
	init_std();
	next[second_free()] = ft.free_head;
	CHECK(table_rejected());
}

TEST(check_rejects_self_loop)
{
	init_std();
	next[ft.free_head] = ft.free_head;
	CHECK(table_rejected());
}

TEST(check_rejects_link_outside_table)
{
	init_std();
	next[second_free()] = NFRAMES + 3;
	CHECK(table_rejected());
}

TEST(check_rejects_free_count_too_high)
{
	init_std();
	ft.nfree++;
	CHECK(table_rejected());
}

TEST(check_rejects_free_count_too_low)
{
	init_std();
	ft.nfree--;
	CHECK(table_rejected());
}

TEST(check_rejects_free_frame_missing_from_list)
{
	init_std();
	uint32_t fn = frame_take(&ft, 1, 0, NULL);
	CHECK(table_ok());
	meta[fn].owner = FRAME_OWNER_FREE; /* freed behind the allocator's back */
	CHECK(table_rejected());
}

TEST(check_rejects_truncated_free_list)
{
	init_std();
	next[second_free()] = FRAME_NONE;
	CHECK(table_rejected());
}

/* xorshift32: a fixed sequence, so failures reproduce. */
static uint32_t rnd(void)
{
	static uint32_t x = 2463534242u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

TEST(random_take_give_keeps_table_consistent)
{
	init_std();
	uint32_t held[NFRAMES];
	int nheld = 0;
	for (int i = 0; i < 1000; i++) {
		if (nheld > 0 && (rnd() % 2 || ft.nfree == 0)) {
			int k = (int)(rnd() % (uint32_t)nheld);
			CHECK(frame_give(&ft, held[k], NULL, rnd() % 2) == 0); /* known zero or not */
			CHECK(frame_give(&ft, held[k], NULL, false) == -1);
			held[k] = held[--nheld];
		} else {
			int32_t owner = 1 + (int32_t)(rnd() % 8);
			bool zero;
			uint32_t fn = rnd() % 2 ? frame_take(&ft, owner, 0, NULL) : frame_take_zero(&ft, owner, 0, NULL, &zero);
			CHECK(fn != FRAME_NONE && std_free(fn));
			CHECK(meta[fn].owner == owner);
			for (int j = 0; j < nheld; j++)
				CHECK(held[j] != fn);
			held[nheld++] = fn;
		}
		CHECK(ft.nfree == (uint64_t)(STD_NFREE - nheld));
		if (i % 50 == 0)
			CHECK(table_ok());
	}
	while (nheld > 0)
		CHECK(frame_give(&ft, held[--nheld], NULL, false) == 0);
	CHECK(ft.nfree == STD_NFREE);
	CHECK(table_ok());
	for (uint32_t fn = 0; fn < NFRAMES; fn++)
		CHECK(is_free(fn) == std_free(fn));
}

/* Frames given back known-zero go on their own list: a caller that needs a zeroed
 * frame takes them first (and is told so), one that overwrites the frame takes
 * them last. */
TEST(known_zero_frames_are_taken_by_who_needs_zeros)
{
	init_std();
	uint32_t a = frame_take(&ft, 1, EXO_FRAME_PT, NULL), b = frame_take(&ft, 1, 0, NULL);
	CHECK(frame_give(&ft, a, NULL, true) == 0);
	CHECK(frame_give(&ft, b, NULL, false) == 0);
	CHECK(ft.nfree == STD_NFREE && ft.zeroed.count == 1);
	CHECK(is_free(a) && meta[a].flags == 0 && meta[b].flags == 0); /* nothing exported changes */
	CHECK(table_ok());
	CHECK(frame_take(&ft, 2, 0, NULL) == b); /* to be overwritten: not the zero frame */
	bool zero = false;
	CHECK(frame_take_zero(&ft, 2, EXO_FRAME_PT, NULL, &zero) == a && zero);
	CHECK(meta[a].owner == 2 && meta[a].flags == EXO_FRAME_PT);
	CHECK(ft.zeroed.count == 0 && table_ok());
	uint32_t c = frame_take_zero(&ft, 2, 0, NULL, &zero); /* none known zero: the caller fills it */
	CHECK(c != FRAME_NONE && c != a && !zero);
	CHECK(frame_give(&ft, a, NULL, false) == 0 && frame_give(&ft, a, NULL, true) == -1);
	CHECK(table_ok());
}

/* When the free list is empty, frame_take takes known-zero frames; every frame
 * can still be taken, and the count stays right. */
TEST(known_zero_frames_are_taken_when_nothing_else_is_free)
{
	init_std();
	uint32_t held[NFRAMES];
	int n = 0;
	for (uint32_t fn; (fn = frame_take(&ft, 3, 0, NULL)) != FRAME_NONE;)
		held[n++] = fn;
	CHECK(n == STD_NFREE && ft.nfree == 0);
	CHECK(frame_give(&ft, held[0], NULL, true) == 0 && frame_give(&ft, held[1], NULL, true) == 0);
	CHECK(ft.nfree == 2 && table_ok());
	CHECK(frame_take(&ft, 4, 0, NULL) == held[1]);
	CHECK(frame_take(&ft, 4, 0, NULL) == held[0]);
	CHECK(frame_take(&ft, 4, 0, NULL) == FRAME_NONE && ft.nfree == 0 && ft.zeroed.count == 0);
	CHECK(table_ok());
}

/* frame_check notices a wrong count on the known-zero list, an owned frame on
 * it, and the two free lists running into each other. */
TEST(check_rejects_known_zero_inconsistency)
{
	init_std();
	uint32_t a = frame_take(&ft, 1, 0, NULL), b = frame_take(&ft, 1, 0, NULL);
	CHECK(frame_give(&ft, a, NULL, true) == 0 && frame_give(&ft, b, NULL, true) == 0 && table_ok());
	ft.zeroed.count++;
	CHECK(table_rejected());
	ft.zeroed.count--;
	CHECK(table_ok());
	meta[a].owner = 5;
	CHECK(table_rejected());
	meta[a].owner = FRAME_OWNER_FREE;
	CHECK(table_ok());
	uint32_t last = next[ft.zeroed.head];
	CHECK(last != FRAME_NONE && next[last] == FRAME_NONE);
	next[last] = ft.free_head; /* the known-zero list now ends in the free list */
	CHECK(table_rejected());
	next[last] = FRAME_NONE;
	CHECK(table_ok());
}

/* Frames taken on a holder list are all on it, with their owner, until given back. */
TEST(holder_list_tracks_taken_and_given_frames)
{
	init_std();
	struct frame_list l = FRAME_LIST_EMPTY;
	const char *why = NULL;
	uint32_t got[10];
	for (int i = 0; i < 10; i++)
		CHECK((got[i] = frame_take(&ft, 9, EXO_FRAME_PT, &l)) != FRAME_NONE);
	CHECK(l.count == 10);
	CHECK(meta[got[3]].flags == EXO_FRAME_PT);
	CHECK(frame_list_check(&ft, &l, 9, &why) == 0);
	CHECK(frame_give(&ft, got[0], &l, false) == 0); /* the tail */
	CHECK(frame_give(&ft, got[5], &l, false) == 0); /* the middle */
	CHECK(frame_give(&ft, got[9], &l, false) == 0); /* the head */
	CHECK(l.count == 7);
	CHECK(meta[got[5]].flags == 0);
	CHECK(frame_list_check(&ft, &l, 9, &why) == 0);
	CHECK(table_ok());
	CHECK(ft.nfree == STD_NFREE - 7);
}

/* Moving one frame or a whole list changes owner and list, and keeps counts. */
TEST(holder_list_moves)
{
	init_std();
	struct frame_list a = FRAME_LIST_EMPTY, b = FRAME_LIST_EMPTY;
	const char *why = NULL;
	uint32_t x = frame_take(&ft, 1, 0, &a), y = frame_take(&ft, 1, 0, &a), z = frame_take(&ft, 2, 0, &b);
	frame_move(&ft, y, &a, &b, 2);
	CHECK(meta[y].owner == 2 && a.count == 1 && b.count == 2);
	CHECK(frame_list_check(&ft, &a, 1, &why) == 0 && frame_list_check(&ft, &b, 2, &why) == 0);
	CHECK(frame_move_all(&ft, &b, &a, 1) == 2);
	CHECK(b.count == 0 && b.head == FRAME_NONE && a.count == 3);
	CHECK(meta[z].owner == 1 && meta[y].owner == 1 && meta[x].owner == 1);
	CHECK(frame_list_check(&ft, &a, 1, &why) == 0 && frame_list_check(&ft, &b, 2, &why) == 0);
	CHECK(frame_give(&ft, x, &a, false) == 0 && frame_give(&ft, y, &a, false) == 0 && frame_give(&ft, z, &a, false) == 0);
	CHECK(a.count == 0 && ft.nfree == STD_NFREE);
	CHECK(table_ok());
}

/* frame_list_check notices a frame of another owner and a count that is off. */
TEST(holder_list_check_rejects_inconsistency)
{
	init_std();
	struct frame_list l = FRAME_LIST_EMPTY;
	const char *why = NULL;
	uint32_t x = frame_take(&ft, 4, 0, &l);
	frame_take(&ft, 4, 0, &l);
	meta[x].owner = 5;
	CHECK(frame_list_check(&ft, &l, 4, &why) == -1 && why);
	meta[x].owner = 4;
	l.count = 3;
	CHECK(frame_list_check(&ft, &l, 4, &why) == -1);
	l.count = 1;
	CHECK(frame_list_check(&ft, &l, 4, &why) == -1);
	l.count = 2;
	CHECK(frame_list_check(&ft, &l, 4, &why) == 0);
}

/* Large frames: a table of four aligned runs (frame 0, in the first, is never free). */
#define BIG (4 * FRAME_LARGE_RUN)
static struct exo_frame big_meta[BIG];
static uint32_t big_next[BIG], big_prev[BIG];
static struct frame_table big;

static void init_big(const struct phys_range *res, int nres)
{
	static const struct phys_range all = { 0, BIG * PG };
	frame_table_init(&big, big_meta, big_next, big_prev, BIG, &all, 1, res, nres);
}

static bool big_ok(void)
{
	const char *why = NULL;
	return frame_check(&big, &why) == 0;
}

TEST(large_take_gives_the_top_aligned_run)
{
	init_big(NULL, 0);
	struct frame_list l = FRAME_LIST_EMPTY;
	uint32_t fn = frame_take_large(&big, 9, EXO_FRAME_PT, &l);
	CHECK(fn == 3 * FRAME_LARGE_RUN);
	CHECK(big.nfree == BIG - 1 - FRAME_LARGE_RUN);
	CHECK(l.count == FRAME_LARGE_RUN);
	for (uint32_t i = 0; i < FRAME_LARGE_RUN; i++)
		CHECK(big_meta[fn + i].owner == 9 && big_meta[fn + i].maps == 0 &&
		      big_meta[fn + i].flags == (EXO_FRAME_LARGE | EXO_FRAME_PT));
	const char *why = NULL;
	CHECK(frame_list_check(&big, &l, 9, &why) == 0);
	CHECK(big_ok());
	CHECK(frame_take(&big, 9, 0, NULL) == 1); /* single frames still from the bottom */
}

TEST(large_take_skips_runs_with_a_frame_in_use)
{
	static const struct phys_range res[] = { { (3 * FRAME_LARGE_RUN + 511) * PG, (3 * FRAME_LARGE_RUN + 512) * PG },
						 { (2 * FRAME_LARGE_RUN) * PG, (2 * FRAME_LARGE_RUN + 1) * PG } };
	init_big(res, 2);
	CHECK(frame_take_large(&big, 9, 0, NULL) == FRAME_LARGE_RUN);
	CHECK(frame_take_large(&big, 9, 0, NULL) == FRAME_NONE); /* run 0 holds frame 0 */
	CHECK(big.nfree == BIG - 3 - FRAME_LARGE_RUN);
	CHECK(big_ok());
}

TEST(large_give_returns_the_run_to_the_tail)
{
	init_big(NULL, 0);
	struct frame_list l = FRAME_LIST_EMPTY;
	uint32_t single = frame_take(&big, 9, 0, &l);
	uint32_t fn = frame_take_large(&big, 9, 0, &l);
	CHECK(frame_give_large(&big, fn, &l) == 0);
	CHECK(l.count == 1 && l.head == single);
	CHECK(big.nfree == BIG - 2);
	CHECK(big.free_tail >= fn && big.free_tail < fn + FRAME_LARGE_RUN);
	for (uint32_t i = 0; i < FRAME_LARGE_RUN; i++)
		CHECK(big_meta[fn + i].owner == FRAME_OWNER_FREE && big_meta[fn + i].flags == 0);
	CHECK(big_ok());
	CHECK(frame_take(&big, 9, 0, NULL) == 2); /* the given run is taken last */
	CHECK(frame_take_large(&big, 9, 0, NULL) == fn); /* and is whole again */
	CHECK(big_ok());
}

/* A large run may include frames of the known-zero list: that list joins the free
 * list first. */
TEST(large_take_takes_known_zero_frames_of_the_run)
{
	init_big(NULL, 0);
	uint32_t top = BIG - 1;
	while (frame_take(&big, 9, 0, NULL) != FRAME_NONE)
		;
	for (uint32_t fn = 3 * FRAME_LARGE_RUN; fn < top; fn++)
		CHECK(frame_give(&big, fn, NULL, false) == 0);
	CHECK(frame_give(&big, top, NULL, true) == 0); /* the run's last frame, known zero */
	uint64_t nfree = big.nfree;
	CHECK(nfree == FRAME_LARGE_RUN && big.zeroed.count == 1 && big_ok());
	CHECK(frame_take_large(&big, 9, 0, NULL) == 3 * FRAME_LARGE_RUN);
	CHECK(big.zeroed.count == 0 && big.nfree == nfree - FRAME_LARGE_RUN); /* all on the free list first */
	CHECK(big_meta[top].owner == 9 && big_meta[top].flags == EXO_FRAME_LARGE);
	CHECK(big_ok());
}

TEST(large_give_rejects_what_is_not_a_whole_unmapped_run)
{
	init_big(NULL, 0);
	uint32_t fn = frame_take_large(&big, 9, 0, NULL);
	uint32_t single = frame_take(&big, 9, 0, NULL);
	CHECK(frame_give_large(&big, fn + 1, NULL) == -1);   /* not its first frame */
	CHECK(frame_give_large(&big, single, NULL) == -1);   /* a single frame */
	CHECK(frame_give(&big, fn + 7, NULL, false) == -1);         /* one frame of a run */
	big_meta[fn].maps = 1;
	CHECK(frame_give_large(&big, fn, NULL) == -1);       /* still mapped */
	big_meta[fn].maps = 0;
	big_meta[fn + 300].owner = 10;
	CHECK(frame_give_large(&big, fn, NULL) == -1);       /* a frame of another holder */
	big_meta[fn + 300].owner = 9;
	CHECK(frame_give_large(&big, BIG, NULL) == -1);      /* outside the table */
	CHECK(big.nfree == BIG - 2 - FRAME_LARGE_RUN);
	CHECK(frame_give_large(&big, fn, NULL) == 0);
	CHECK(big_ok());
}

TEST(check_rejects_a_wrong_free_back_link)
{
	init_big(NULL, 0);
	big_prev[big_next[big.free_head]] = FRAME_NONE;
	const char *why = NULL;
	CHECK(frame_check(&big, &why) == -1 && why);
	init_big(NULL, 0);
	big.free_tail = big.free_head;
	CHECK(frame_check(&big, &why) == -1 && why);
}

int main(void)
{
	RUN(init_carves_out_reserved_ranges);
	RUN(frame_zero_never_free);
	RUN(partial_pages_at_range_edges_not_free);
	RUN(reserved_range_covers_every_page_it_touches);
	RUN(no_ram_means_no_free_frames);
	RUN(take_returns_ascending_frames_and_records_owner);
	RUN(take_until_exhausted);
	RUN(take_for_free_owner_refused);
	RUN(give_back_restores_count);
	RUN(give_twice_fails);
	RUN(give_never_taken_free_frame_fails);
	RUN(give_mapped_frame_fails);
	RUN(give_out_of_range_fails);
	RUN(give_reserved_or_module_frame_fails);
	RUN(check_rejects_owned_frame_on_free_list);
	RUN(check_rejects_mapped_free_frame);
	RUN(check_rejects_free_list_cycle);
	RUN(check_rejects_self_loop);
	RUN(check_rejects_link_outside_table);
	RUN(check_rejects_free_count_too_high);
	RUN(check_rejects_free_count_too_low);
	RUN(check_rejects_free_frame_missing_from_list);
	RUN(check_rejects_truncated_free_list);
	RUN(known_zero_frames_are_taken_by_who_needs_zeros);
	RUN(known_zero_frames_are_taken_when_nothing_else_is_free);
	RUN(check_rejects_known_zero_inconsistency);
	RUN(random_take_give_keeps_table_consistent);
	RUN(holder_list_tracks_taken_and_given_frames);
	RUN(holder_list_moves);
	RUN(holder_list_check_rejects_inconsistency);
	RUN(large_take_gives_the_top_aligned_run);
	RUN(large_take_skips_runs_with_a_frame_in_use);
	RUN(large_give_returns_the_run_to_the_tail);
	RUN(large_take_takes_known_zero_frames_of_the_run);
	RUN(large_give_rejects_what_is_not_a_whole_unmapped_run);
	RUN(check_rejects_a_wrong_free_back_link);
	return check_status();
}
