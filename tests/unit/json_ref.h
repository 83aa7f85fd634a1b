/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * For tests: an independent, strict reference for JSON strings and UTF-8,
 * written from RFC 8259 and Unicode Table 3-7 without user/common/text.c's
 * code, so that the two check each other.
 */
#ifndef LOCKTRACE_TEST_JSON_REF_H
#define LOCKTRACE_TEST_JSON_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode one UTF-8 sequence at s[0..n): its length, 0 if invalid. */
static size_t ref_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		v = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		v = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		v = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static bool ref_utf8_valid(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t i = 0, k;

	while (i < n) {
		k = ref_utf8(s + i, n - i, &cp);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/*
 * What must never be raw in the output: C0, DEL, C1, the bidirectional
 * controls, the invisible characters, noncharacters (written out here from
 * the Unicode lists, not taken from json.c).
 */
static bool ref_unsafe(uint32_t v)
{
	static const uint32_t bidi[] = { 0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c,
					 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069 };
	/* Soft hyphen, Mongolian vowel separator, zero width space, non-joiner
	 * and joiner, line and paragraph separators, word joiner, function
	 * application, invisible times, separator and plus, the deprecated
	 * format characters, zero width no-break space, interlinear annotation
	 * anchor, separator and terminator. */
	static const uint32_t invisible[] = { 0x00ad, 0x180e, 0x200b, 0x200c, 0x200d, 0x2028,
					      0x2029, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
					      0x206a, 0x206b, 0x206c, 0x206d, 0x206e, 0x206f,
					      0xfeff, 0xfff9, 0xfffa, 0xfffb };

	if (v <= 0x1f || (v >= 0x7f && v <= 0x9f))
		return true;
	for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++)
		if (v == bidi[i])
			return true;
	for (size_t i = 0; i < sizeof(invisible) / sizeof(invisible[0]); i++)
		if (v == invisible[i])
			return true;
	if (v >= 0xe0000 && v <= 0xe007f)
		return true; /* tags */
	if (v >= 0xfdd0 && v <= 0xfdef)
		return true;
	return (v & 0xffff) == 0xfffe || (v & 0xffff) == 0xffff;
}

static size_t ref_put_utf8(char *d, uint32_t v)
{
	if (v < 0x80) {
		d[0] = (char)v;
		return 1;
	}
	if (v < 0x800) {
		d[0] = (char)(0xc0 | v >> 6);
		d[1] = (char)(0x80 | (v & 0x3f));
		return 2;
	}
	if (v < 0x10000) {
		d[0] = (char)(0xe0 | v >> 12);
		d[1] = (char)(0x80 | (v >> 6 & 0x3f));
		d[2] = (char)(0x80 | (v & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | v >> 18);
	d[1] = (char)(0x80 | (v >> 12 & 0x3f));
	d[2] = (char)(0x80 | (v >> 6 & 0x3f));
	d[3] = (char)(0x80 | (v & 0x3f));
	return 4;
}

/* Four hex digits at j[0..4), -1 if not. */
static int hex4(const unsigned char *j)
{
	int v = 0;

	for (int k = 0; k < 4; k++) {
		int h = hexval(j[k]);

		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/*
 * Is j[0..n) exactly one strict JSON string, as this encoder writes them
 * (no raw character ref_unsafe() names; \u escapes only for U+0000..U+007F
 * and what ref_unsafe() names, surrogates in pairs)? If so, and dec is
 * not NULL, the decoded bytes go to dec and their count to *declen.
 */
static bool json_string_ok(const char *js, size_t n, char *dec, size_t *declen)
{
	const unsigned char *j = (const unsigned char *)js;
	size_t i, d = 0;

	if (n < 2 || j[0] != '"' || j[n - 1] != '"')
		return false;
	if (!ref_utf8_valid(j, n))
		return false;
	for (i = 1; i < n - 1; i++) {
		unsigned char c = j[i], out = c;

		if (c < 0x20 || c == '"')
			return false;
		if (c >= 0x80) {
			uint32_t cp;
			size_t k = ref_utf8(j + i, n - 1 - i, &cp);

			if (!k || ref_unsafe(cp))
				return false;
			if (dec)
				memcpy(dec + d, j + i, k);
			d += k;
			i += k - 1;
			continue;
		}
		if (c == '\\') {
			if (i + 1 >= n - 1)
				return false;
			c = j[++i];
			switch (c) {
			case '"':
			case '\\':
			case '/':
				out = c;
				break;
			case 'b':
				out = '\b';
				break;
			case 'f':
				out = '\f';
				break;
			case 'n':
				out = '\n';
				break;
			case 'r':
				out = '\r';
				break;
			case 't':
				out = '\t';
				break;
			case 'u': {
				int v, lo;
				uint32_t cp;
				char u8[4];
				size_t k;

				if (i + 4 >= n - 1 || (v = hex4(j + i + 1)) < 0)
					return false;
				i += 4;
				if (v < 0x80) {
					out = (unsigned char)v;
					break;
				}
				cp = (uint32_t)v;
				if (v >= 0xdc00 && v <= 0xdfff)
					return false; /* a lone low surrogate */
				if (v >= 0xd800 && v <= 0xdbff) {
					if (i + 6 >= n - 1 || j[i + 1] != '\\' || j[i + 2] != 'u' ||
					    (lo = hex4(j + i + 3)) < 0xdc00 || lo > 0xdfff)
						return false;
					cp = 0x10000 + ((uint32_t)(v - 0xd800) << 10) +
					     (uint32_t)(lo - 0xdc00);
					i += 6;
				}
				if (!ref_unsafe(cp))
					return false; /* not from this encoder */
				k = ref_put_utf8(u8, cp);
				if (dec)
					memcpy(dec + d, u8, k);
				d += k;
				continue;
			}
			default:
				return false;
			}
		}
		if (dec)
			dec[d] = (char)out;
		d++;
	}
	if (declen)
		*declen = d;
	return true;
}

/* ---- Fixed cases. ---- */

#endif /* LOCKTRACE_TEST_JSON_REF_H */
