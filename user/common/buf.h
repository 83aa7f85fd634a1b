/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A growable text buffer: appends never fail loudly, an allocation failure
 * sets oom and cuts the contents. */
#ifndef LOCKTRACE_BUF_H
#define LOCKTRACE_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct lt_buf {
	char *data;
	size_t len;
	size_t cap;
	bool oom; /* an allocation failed; contents are cut */
};

/* Room for n more bytes and a NUL; false (and oom set) if there is none. */
bool lt_buf_reserve(struct lt_buf *b, size_t n);
void lt_buf_reset(struct lt_buf *b);
void lt_buf_free(struct lt_buf *b);
void lt_buf_put(struct lt_buf *b, const char *s, size_t n);
void lt_buf_puts(struct lt_buf *b, const char *s);
void lt_buf_printf(struct lt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Decimal numbers, without printf. */
void lt_buf_u64(struct lt_buf *b, unsigned long long v);
void lt_buf_s64(struct lt_buf *b, long long v);

#endif /* LOCKTRACE_BUF_H */
