/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Events to text lines and JSON Lines. Pure: no I/O. */
#ifndef LOCKTRACE_FORMAT_H
#define LOCKTRACE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "locktrace.h"
#include "cause/explain.h"
#include "common/buf.h"

struct lt_fmt {
	__s64 boot_to_real_ns; /* CLOCK_REALTIME minus CLOCK_BOOTTIME */
	int columns; /* text view width */
	bool wide; /* text view: never shorten paths */
};

/* One JSON object, no newline; v (the cause of a failure) may be NULL. */
void lt_format_json(struct lt_buf *b, const struct lt_event *ev, const struct lt_verdict *v,
		    const struct lt_fmt *f);
/* The text view's header and event lines, no newline. */
void lt_format_text_header(struct lt_buf *b, const struct lt_fmt *f);
void lt_format_text(struct lt_buf *b, const struct lt_event *ev, const struct lt_verdict *v,
		    const struct lt_fmt *f);

/* "2026-11-24T10:41:07.123456Z" for @real nanoseconds since the epoch. */
void lt_format_utc(__s64 real, char *buf, size_t len);

#endif /* LOCKTRACE_FORMAT_H */
