/*
 * Random bytes (libos.h): from the CPU's generator (RDRAND; RDSEED if that is all
 * it has) when CPUID lists one, else from a ChaCha20 generator kept by each
 * environment. Everything runs in the calling process: reading /dev/urandom,
 * getentropy and getrandom ask the server nothing.
 *
 * The ChaCha20 generator ("fast key erasure"): a fill takes key stream blocks 1..k
 * of the current key, then block 0's first 32 bytes become the next key, so the key
 * that made some output is gone once the output is returned. It is keyed at an
 * environment's first use from what differs between boots and between
 * environments: the TSC, the boot time, the environment id, the free frames and the
 * kernel's counters. A fork child has a copy of its parent's key, so a fill in an
 * environment the key was not made in mixes the new id and the TSC in first.
 */
#include <stdbool.h>
#include <string.h>
#include "libos.h"

enum source { SRC_UNKNOWN, SRC_RDRAND, SRC_RDSEED, SRC_CHACHA };
static enum source source;
static struct {
	uint32_t key[8];
	envid_t env;       /* the environment the key was made in (0: none yet) */
} gen;

#define ROTL(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define QR(a, b, c, d)                                          \
	(a += b, d ^= a, d = ROTL(d, 16), c += d, b ^= c, b = ROTL(b, 12), \
	 a += b, d ^= a, d = ROTL(d, 8), c += d, b ^= c, b = ROTL(b, 7))

void libos_chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3], uint8_t out[64])
{
	uint32_t in[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 }, x[16];
	memcpy(in + 4, key, 32);
	in[12] = counter;
	memcpy(in + 13, nonce, 12);
	memcpy(x, in, sizeof x);
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]), QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]), QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]), QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]), QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++) {
		uint32_t v = x[i] + in[i];
		out[4 * i] = (uint8_t)v, out[4 * i + 1] = (uint8_t)(v >> 8);
		out[4 * i + 2] = (uint8_t)(v >> 16), out[4 * i + 3] = (uint8_t)(v >> 24);
	}
}

/* pick_source: what CPUID offers (leaf 1 ECX bit 30: RDRAND; leaf 7 EBX bit 18:
 * RDSEED). */
static enum source pick_source(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (c & (1u << 30))
		return SRC_RDRAND;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
	if (a >= 7) {
		__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
		if (b & (1u << 18))
			return SRC_RDSEED;
	}
	return SRC_CHACHA;
}

/* hw_word: one 64-bit word from the CPU's generator into *v, retried as Intel
 * advises (it may be momentarily empty). Returns true, or false if it kept
 * failing. */
static bool hw_word(uint64_t *v)
{
	for (int i = 0; i < 100; i++) {
		uint8_t ok;
		if (source == SRC_RDRAND)
			__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
		else
			__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
		if (ok)
			return true;
	}
	return false;
}


/* rekey: mix the environment id, the TSC and the kernel's state into the key and
 * stir it with a block. */
static void rekey(envid_t env)
{
	uint64_t mix[8] = { libos_rdtsc(), (uint64_t)exo_info->boot_epoch, (uint64_t)env, exo_info->free_frames,
			    exo_counters->context_switches, exo_counters->timer_ticks,
			    exo_counters->syscalls[0], (uint64_t)(uintptr_t)&mix };
	uint32_t nonce[3] = { 0x65786f00, 0, 0 }; /* "exo": keying, not output */
	uint8_t blk[64];
	for (int i = 0; i < 8; i++)
		gen.key[i] ^= (uint32_t)mix[i] ^ (uint32_t)(mix[(i + 3) % 8] >> 32);
	libos_chacha20_block(gen.key, 0, nonce, blk);
	memcpy(gen.key, blk, 32);
	memset(blk, 0, sizeof blk);
	gen.env = env;
}

/* chacha_fill: n bytes of the generator into out, then a new key. */
static void chacha_fill(uint8_t *out, size_t n)
{
	envid_t env = (envid_t)sys_env_id();
	if (gen.env != env)
		rekey(env);
	static const uint32_t nonce[3];
	uint8_t blk[64];
	for (uint32_t ctr = 1; n > 0; ctr++) {
		size_t k = n < 64 ? n : 64;
		libos_chacha20_block(gen.key, ctr, nonce, blk);
		memcpy(out, blk, k);
		out += k, n -= k;
	}
	libos_chacha20_block(gen.key, 0, nonce, blk);
	memcpy(gen.key, blk, 32);
	memset(blk, 0, sizeof blk);
}

void libos_random(void *buf, size_t n)
{
	uint8_t *out = buf;
	if (source == SRC_UNKNOWN)
		source = pick_source();
	while (source != SRC_CHACHA && n > 0) {
		uint64_t v;
		if (!hw_word(&v))
			break; /* the CPU's generator failed: the rest from ChaCha20 */
		size_t k = n < 8 ? n : 8;
		memcpy(out, &v, k);
		out += k, n -= k;
	}
	if (n > 0)
		chacha_fill(out, n);
}

const char *libos_random_source(void)
{
	if (source == SRC_UNKNOWN)
		source = pick_source();
	return source == SRC_RDRAND ? "rdrand" : source == SRC_RDSEED ? "rdseed" : "chacha20";
}
