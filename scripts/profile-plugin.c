/*
 * profile-plugin.c: a QEMU TCG plugin for `make profile` (docs/benchmarks.md,
 * "Where the instructions go"). It counts how many times each guest instruction
 * executes, kernel and user alike, with one inline counter per instruction of each
 * translation (no callback on the hot path, and nothing that changes the guest's
 * instruction count, so -icount figures stay exact). At exit it writes one line
 * per instruction address that ran, "PC COUNT" (PC as 16 hex digits, COUNT in
 * decimal; an address translated more than once may appear more than once), to
 * the file named by the argument out=PATH. scripts/profile.sh maps the addresses
 * to functions.
 *
 * Windows: a guest may mark what it wants measured with two harmless no-op
 * instructions (libos/include/profile.h): `nopl 0x6f786501(%rax,%rax,1)` opens
 * a window and `nopl 0x6f786500(%rax,%rax,1)` closes it. Once the first window
 * opens, only instructions executed inside windows are reported; a program that
 * marks none is profiled whole.
 *
 * Built against qemu-plugin.h from Debian's qemu source package (scripts/profile.sh
 * fetches it); loaded with -plugin PATH,out=FILE.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* The marks' encoding: 0f 1f 84 00 + the 32-bit displacement below. */
enum { MARK_LEN = 8, MARK_OPEN = 0x6f786501, MARK_CLOSE = 0x6f786500 };

/* One translation of a block: its instructions' addresses and counters.
 * count[i] is bumped by QEMU's inline op every time instruction i executes; base[i]
 * is count[i] when the current window opened; sum[i] what closed windows added. */
struct block {
	size_t n;
	uint64_t *pc, *count, *base, *sum;
};

static struct block **blocks;
static size_t nblocks, capblocks;
static int marked;   /* a window has opened at least once */
static int in_window;
static const char *out_path;

/* xcalloc: calloc that ends QEMU with a message when memory is out (a plugin
 * cannot report a translation it failed to instrument). */
static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fprintf(stderr, "profile-plugin: out of memory\n");
		exit(1);
	}
	return p;
}

/* mark_of: MARK_OPEN or MARK_CLOSE when insn is one of the marks, else 0. */
static uint32_t mark_of(const struct qemu_plugin_insn *insn)
{
	const uint8_t *b = qemu_plugin_insn_data(insn);
	uint32_t disp;
	if (qemu_plugin_insn_size(insn) != MARK_LEN || b[0] != 0x0f || b[1] != 0x1f || b[2] != 0x84 || b[3] != 0)
		return 0;
	memcpy(&disp, b + 4, sizeof disp);
	return disp == MARK_OPEN || disp == MARK_CLOSE ? disp : 0;
}

/* on_mark: a mark executed (udata is which). Opening: every counter's current
 * value becomes its base (the first opening also forgets what ran before it);
 * closing: what ran since the base is added to the sums. A repeated mark is
 * ignored. */
static void on_mark(unsigned int vcpu, void *udata)
{
	uint32_t mark = (uint32_t)(uintptr_t)udata;
	(void)vcpu;
	if ((mark == MARK_OPEN) == in_window)
		return;
	for (size_t b = 0; b < nblocks; b++)
		for (size_t i = 0; i < blocks[b]->n; i++) {
			struct block *k = blocks[b];
			if (mark == MARK_OPEN) {
				if (!marked)
					k->sum[i] = 0;
				k->base[i] = k->count[i];
			} else {
				k->sum[i] += k->count[i] - k->base[i];
			}
		}
	marked = 1;
	in_window = mark == MARK_OPEN;
}

/* on_translate: a new translation: give each of its instructions a counter, and
 * the marks a callback. */
static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	struct block *k = xcalloc(1, sizeof *k);
	k->n = qemu_plugin_tb_n_insns(tb);
	k->pc = xcalloc(k->n, sizeof *k->pc);
	k->count = xcalloc(k->n, sizeof *k->count);
	k->base = xcalloc(k->n, sizeof *k->base);
	k->sum = xcalloc(k->n, sizeof *k->sum);
	for (size_t i = 0; i < k->n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint32_t mark = mark_of(insn);
		k->pc[i] = qemu_plugin_insn_vaddr(insn);
		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &k->count[i], 1);
		if (mark)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)mark);
	}
	if (nblocks == capblocks) {
		capblocks = capblocks ? 2 * capblocks : 4096;
		struct block **nb = realloc(blocks, capblocks * sizeof *blocks);
		if (!nb) {
			fprintf(stderr, "profile-plugin: out of memory\n");
			exit(1);
		}
		blocks = nb;
	}
	blocks[nblocks++] = k;
}

/* write_counts: close an open window and write the counts (see the top). */
static void write_counts(qemu_plugin_id_t id, void *p)
{
	(void)id, (void)p;
	if (in_window)
		on_mark(0, (void *)(uintptr_t)MARK_CLOSE);
	FILE *f = fopen(out_path, "w");
	if (!f) {
		perror(out_path);
		return;
	}
	for (size_t b = 0; b < nblocks; b++)
		for (size_t i = 0; i < blocks[b]->n; i++) {
			uint64_t c = marked ? blocks[b]->sum[i] : blocks[b]->count[i];
			if (c)
				fprintf(f, "%016llx %llu\n", (unsigned long long)blocks[b]->pc[i],
					(unsigned long long)c);
		}
	fclose(f);
}

/* qemu_plugin_install: the plugin's entry; needs out=PATH. Returns 0, or -1
 * (QEMU refuses to start) without it. */
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out_path = argv[i] + 4;
	if (!out_path) {
		fprintf(stderr, "profile-plugin: needs out=PATH\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, write_counts, NULL);
	return 0;
}
