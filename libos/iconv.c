/* <iconv.h>: conversion between UTF-8, ASCII and ISO-8859-1 (newlib's own iconv
 * is not built for this target). A descriptor is a small malloc'd pair of
 * encodings; conversion goes through one code point at a time. */
#include <errno.h>
#include <iconv.h>
#include <reent.h>
#include <stdint.h>
#include <stdlib.h>
#include <strings.h>

enum enc { ENC_UTF8, ENC_ASCII, ENC_LATIN1 };

struct conv {
	enum enc to, from;
};

static const struct {
	const char *name;
	enum enc enc;
} names[] = {
	{ "UTF-8", ENC_UTF8 }, { "UTF8", ENC_UTF8 }, { "ASCII", ENC_ASCII }, { "US-ASCII", ENC_ASCII },
	{ "ANSI_X3.4-1968", ENC_ASCII }, { "ISO-8859-1", ENC_LATIN1 }, { "ISO8859-1", ENC_LATIN1 },
	{ "LATIN1", ENC_LATIN1 },
};

static int lookup(const char *name, enum enc *e)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i].name) == 0) {
			*e = names[i].enc;
			return 0;
		}
	return -1;
}

/* _iconv_open_r: a descriptor converting from encoding `from` to `to` (names as
 * in the table above, any case). Returns it, or (iconv_t)-1 with r's errno
 * EINVAL (an encoding not supported) or ENOMEM. */
iconv_t _iconv_open_r(struct _reent *r, const char *to, const char *from)
{
	struct conv c;
	if (lookup(to, &c.to) < 0 || lookup(from, &c.from) < 0) {
		r->_errno = EINVAL;
		return (iconv_t)-1;
	}
	struct conv *p = malloc(sizeof *p);
	if (!p) {
		r->_errno = ENOMEM;
		return (iconv_t)-1;
	}
	*p = c;
	return p;
}

/* decode: the code point at in[0..n) into *cp, its length, 0 if the sequence is
 * incomplete, -1 if it is invalid. */
static int decode(enum enc e, const unsigned char *in, size_t n, uint32_t *cp)
{
	if (e != ENC_UTF8) {
		*cp = in[0];
		return e == ENC_ASCII && in[0] >= 0x80 ? -1 : 1;
	}
	unsigned char b = in[0];
	int len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : -1;
	if (len <= 1)
		return *cp = b, len;
	uint32_t v = b & (0x7f >> len);
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return 0;
		if ((in[i] & 0xc0) != 0x80)
			return -1;
		v = v << 6 | (in[i] & 0x3f);
	}
	static const uint32_t least[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < least[len] || v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
		return -1;
	*cp = v;
	return len;
}

/* encode: code point cp into out (room bytes): its length, 0 if there is no room,
 * -1 if the encoding cannot hold it. */
static int encode(enum enc e, uint32_t cp, unsigned char *out, size_t room)
{
	if (e != ENC_UTF8) {
		if (cp >= (e == ENC_ASCII ? 0x80u : 0x100u))
			return -1;
		if (!room)
			return 0;
		out[0] = (unsigned char)cp;
		return 1;
	}
	int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	if ((size_t)len > room)
		return 0;
	if (len == 1) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	for (int i = len - 1; i > 0; i--, cp >>= 6)
		out[i] = (unsigned char)(0x80 | (cp & 0x3f));
	out[0] = (unsigned char)((0xf00 >> len) | cp);
	return len;
}

/* _iconv_r: convert from *in (*inleft bytes) into *out (*outleft bytes),
 * advancing both. Returns the number of irreversible conversions (always 0), or
 * (size_t)-1 with r's errno E2BIG (out is full), EILSEQ (an invalid sequence, or
 * a character the target cannot hold: *in points at it) or EINVAL (an incomplete
 * sequence ends the input) or EBADF (cd is not open). A NULL in or *in resets
 * the (stateless) conversion and returns 0. */
size_t _iconv_r(struct _reent *r, iconv_t cd, const char **in, size_t *inleft, char **out, size_t *outleft)
{
	struct conv *c = cd;
	if (!c || cd == (iconv_t)-1) {
		r->_errno = EBADF;
		return (size_t)-1;
	}
	if (!in || !*in)
		return 0;
	while (*inleft) {
		uint32_t cp;
		int n = decode(c->from, (const unsigned char *)*in, *inleft, &cp);
		int m = n > 0 ? encode(c->to, cp, (unsigned char *)*out, *outleft) : 0;
		if (n <= 0 || m <= 0) {
			r->_errno = n < 0 || m < 0 ? EILSEQ : n == 0 ? EINVAL : E2BIG;
			return (size_t)-1;
		}
		*in += n, *inleft -= (size_t)n;
		*out += m, *outleft -= (size_t)m;
	}
	return 0;
}

/* _iconv_close_r: free descriptor cd. Returns 0, or -1 with r's errno EBADF. */
int _iconv_close_r(struct _reent *r, iconv_t cd)
{
	if (!cd || cd == (iconv_t)-1) {
		r->_errno = EBADF;
		return -1;
	}
	free(cd);
	return 0;
}

/* iconv_open, iconv, iconv_close: the calls above with the caller's errno. */
iconv_t iconv_open(const char *to, const char *from)
{
	return _iconv_open_r(_REENT, to, from);
}

size_t iconv(iconv_t cd, char **__restrict in, size_t *__restrict inleft, char **__restrict out,
	     size_t *__restrict outleft)
{
	return _iconv_r(_REENT, cd, (const char **)in, inleft, out, outleft);
}

int iconv_close(iconv_t cd)
{
	return _iconv_close_r(_REENT, cd);
}
