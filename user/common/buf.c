// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A growable text buffer. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"

#define LT_BUF_MIN 256

/* Room for n more bytes and a NUL; false (and oom set) if there is none. */
bool lt_buf_reserve(struct lt_buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->oom)
		return false;
	if (n > SIZE_MAX - 1 - b->len)
		goto fail;
	need = b->len + n + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : LT_BUF_MIN;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p)
		goto fail;
	b->data = p;
	b->cap = cap;
	return true;
fail:
	b->oom = true;
	return false;
}

void lt_buf_reset(struct lt_buf *b)
{
	b->len = 0;
	b->oom = false;
	if (b->data)
		b->data[0] = '\0';
}

void lt_buf_free(struct lt_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->oom = false;
}

void lt_buf_put(struct lt_buf *b, const char *s, size_t n)
{
	if (!lt_buf_reserve(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void lt_buf_puts(struct lt_buf *b, const char *s)
{
	lt_buf_put(b, s, strlen(s));
}

void lt_buf_printf(struct lt_buf *b, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (b->oom)
		return;
	room = b->cap > b->len ? b->cap - b->len : 0;
	va_start(ap, fmt);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		/* An output error: leave the buffer as it was. */
		if (room)
			b->data[b->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		if (!lt_buf_reserve(b, (size_t)n)) {
			if (room)
				b->data[b->len] = '\0';
			return;
		}
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void lt_buf_u64(struct lt_buf *b, unsigned long long v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	lt_buf_put(b, tmp + i, sizeof(tmp) - i);
}

void lt_buf_s64(struct lt_buf *b, long long v)
{
	if (v < 0) {
		lt_buf_put(b, "-", 1);
		lt_buf_u64(b, 0ULL - (unsigned long long)v);
	} else {
		lt_buf_u64(b, (unsigned long long)v);
	}
}
