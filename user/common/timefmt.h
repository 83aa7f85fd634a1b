/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Times as RFC 3339 UTC text: the tracer's event lines and the report's. */
#ifndef LOCKTRACE_TIMEFMT_H
#define LOCKTRACE_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

enum lt_time_prec {
	LT_TIME_SEC, /* "2026-11-24T10:41:07Z" */
	LT_TIME_USEC, /* "2026-11-24T10:41:07.123456Z" */
	LT_TIME_MSEC, /* "2026-11-24T10:41:07.123Z" */
};

/* Bytes enough for any time lt_time_utc() writes, and its NUL. */
#define LT_TIME_LEN 32

/*
 * @us microseconds since the epoch as RFC 3339 UTC, to the second, the
 * millisecond or the microsecond (rounded down); a time no calendar holds
 * (gmtime cannot, or a year past 9999) as "N us". The date and time of day
 * are made once a second a thread (the tracer writes one for every event).
 */
void lt_time_utc(int64_t us, enum lt_time_prec prec, char *buf, size_t len);

#endif /* LOCKTRACE_TIMEFMT_H */
