// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Strings from outside made safe. Paths and command names come from other
 * processes and may hold any bytes; whatever they hold, the output stays
 * valid JSON and valid UTF-8, and cannot command a terminal.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "text.h"

/*
 * Length of the valid UTF-8 sequence at s[0..n), 0 if there is none
 * (Unicode Table 3-7: no overlongs, no surrogates, nothing past U+10FFFF).
 */
size_t lt_utf8_seq(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0; /* overlong below U+0800 */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates U+D800..DFFF */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90; /* overlong below U+10000 */
		else if (c == 0xf4)
			hi = 0x8f; /* past U+10FFFF */
	} else {
		return 0; /* continuation byte, C0, C1, F5..FF */
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

size_t lt_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k = lt_utf8_seq(str, n), i;

	if (k == 1)
		*cp = s[0];
	else if (k)
		*cp = s[0] & (k == 2 ? 0x1f : k == 3 ? 0x0f : 0x07);
	for (i = 1; i < k; i++)
		*cp = *cp << 6 | (s[i] & 0x3f);
	return k;
}

bool lt_cp_unsafe(uint32_t cp)
{
	if (cp >= 0x20 && cp < 0x7f)
		return false; /* printable ASCII: nearly every byte of a path */
	if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return true; /* C0, DEL, C1 */
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f)
		return true; /* Arabic letter mark, LRM, RLM */
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return true; /* embeddings, overrides, isolates */
	if (cp == 0x00ad || cp == 0x180e || (cp >= 0x200b && cp <= 0x200d) || cp == 0x2028 ||
	    cp == 0x2029 || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x206a && cp <= 0x206f) ||
	    cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) || (cp >= 0xe0000 && cp <= 0xe007f))
		return true; /* invisible: format characters, separators, tags */
	if (cp >= 0xfdd0 && cp <= 0xfdef)
		return true;
	return (cp & 0xfffe) == 0xfffe;
}

void lt_text_str(struct lt_buf *b, const char *s, size_t n, bool backslash)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0; /* s[run..i) is still to be copied as is */

	while (i < n) {
		unsigned char c = u[i];
		uint32_t cp = 0;
		size_t k;

		if (c >= 0x20 && c < 0x7f && (c != '\\' || !backslash)) {
			i++; /* printable ASCII, the usual case */
			continue;
		}
		k = c < 0x80 ? 1 : lt_utf8_decode(s + i, n - i, &cp);
		if (k > 1 && !lt_cp_unsafe(cp)) {
			i += k;
			continue;
		}
		lt_buf_put(b, s + run, i - run);
		if (k > 1)
			lt_buf_printf(b, cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned int)cp);
		else
			lt_buf_printf(b, "\\x%02x", c);
		i += k ? k : 1;
		run = i;
	}
	lt_buf_put(b, s + run, i - run);
}

bool lt_utf8_valid(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k = lt_utf8_seq(s + i, n - i);

		if (!k)
			return false;
		i += k;
	}
	return true;
}

void lt_json_str(struct lt_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0; /* u[run..i) is still to be copied as is */

	lt_buf_put(b, "\"", 1);
	while (i < n) {
		unsigned char c = u[i];
		const char *esc = NULL;
		char ubuf[7];
		size_t k;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++; /* printable ASCII, the usual case */
			continue;
		}
		if (c >= 0x80) {
			uint32_t cp = 0;

			k = lt_utf8_decode(s + i, n - i, &cp);
			if (k && !lt_cp_unsafe(cp)) {
				i += k;
				continue;
			}
			if (k) {
				/* A C1, bidirectional or invisible character,
				 * a noncharacter: escaped, the same string to
				 * a JSON reader. */
				lt_buf_put(b, s + run, i - run);
				if (cp > 0xffff)
					lt_buf_printf(b, "\\u%04x\\u%04x",
						      0xd800 + ((cp - 0x10000) >> 10),
						      0xdc00 + ((cp - 0x10000) & 0x3ff));
				else
					lt_buf_printf(b, "\\u%04x", cp);
				i += k;
				run = i;
				continue;
			}
			esc = "\xef\xbf\xbd"; /* U+FFFD for a byte outside valid UTF-8 */
		} else {
			switch (c) {
			case '"':
				esc = "\\\"";
				break;
			case '\\':
				esc = "\\\\";
				break;
			case '\b':
				esc = "\\b";
				break;
			case '\f':
				esc = "\\f";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			case '\t':
				esc = "\\t";
				break;
			default:
				memcpy(ubuf, "\\u00", 4);
				ubuf[4] = hex[c >> 4];
				ubuf[5] = hex[c & 0xf];
				ubuf[6] = '\0';
				esc = ubuf;
				break;
			}
		}
		lt_buf_put(b, s + run, i - run);
		lt_buf_puts(b, esc);
		i++;
		run = i;
	}
	lt_buf_put(b, s + run, i - run);
	lt_buf_put(b, "\"", 1);
}

void lt_json_key(struct lt_buf *b, const char *key, bool *first)
{
	size_t n = strlen(key);

	/* Keys are the program's own ASCII names: no escaping. */
	if (!lt_buf_reserve(b, n + 4))
		return;
	if (!*first)
		b->data[b->len++] = ',';
	b->data[b->len++] = '"';
	memcpy(b->data + b->len, key, n);
	b->len += n;
	b->data[b->len++] = '"';
	b->data[b->len++] = ':';
	b->data[b->len] = '\0';
	*first = false;
}

void lt_json_hex(struct lt_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	lt_buf_put(b, "\"", 1);
	if (n > SIZE_MAX / 2) {
		b->oom = true;
		return;
	}
	if (!lt_buf_reserve(b, 2 * n))
		return;
	for (i = 0; i < n; i++) {
		b->data[b->len++] = hex[u[i] >> 4];
		b->data[b->len++] = hex[u[i] & 0xf];
	}
	b->data[b->len] = '\0';
	lt_buf_put(b, "\"", 1);
}
