/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One recording line to the fields a report needs, with simdjson (a
 * maintained, validating JSON parser from Debian; about 1 GB/s here, which
 * is what keeps a million-event report within seconds). A C interface over
 * parse.cc. Input is untrusted: anything that is not a JSON object
 * of the expected shape is LT_REP_BAD.
 */
#ifndef LOCKTRACE_REPORT_PARSE_H
#define LOCKTRACE_REPORT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes that must be readable after a line (the parser reads ahead). */
#define LT_REP_PADDING 64

enum lt_rep_kind {
	LT_REP_BAD = -1,
	LT_REP_EVENT = 0,
	LT_REP_HEADER = 1,
	LT_REP_TRAILER = 2,
};

/* A string in the parser's buffer: valid until the next parse. */
struct lt_str {
	const char *s;
	size_t n;
};

#define LT_REP_HOLDERS 8
/* A header's network mounts read at most (the tracer writes at most 64). */
#define LT_REP_MOUNTS 64

struct lt_rep_rec {
	int kind; /* enum lt_rep_kind */
	/* events */
	struct lt_str time, event, path, comm, error;
	__s64 ret, wait_us;
	__u32 pid, uid;
	/* the cause object */
	struct lt_str kind_s, detail, fix, evidence, lsm;
	struct {
		__u32 pid, uid;
		struct lt_str comm;
	} holders[LT_REP_HOLDERS];
	int nholders;
	/* lock_wait: the holder */
	__u32 holder_pid;
	struct lt_str holder_comm;
	/* header */
	struct lt_str host, kernel, tier, version, start;
	__u64 format; /* the recording's format; 0: not said, or not a number */
	/* trailer */
	__u64 seen, written, dropped_kernel, dropped_write;
	/* --holders: an event's "hold" (have_hold) */
	bool have_hold, hold_untracked;
	__u64 hold_id;
	__s64 held_us; /* -1: not said */
	struct lt_str hold_kind, hold_type, hold_release, hold_mount, share, share_path;
	__u64 mntns; /* an event's, or the header's (its mounts'); 0: not said */
	/* a header's identity and network mounts (those past LT_REP_MOUNTS
	 * in mounts_more); a trailer's end */
	struct lt_str machine_id, end;
	struct {
		struct lt_str mount, share, share_path;
	} mounts[LT_REP_MOUNTS];
	int nmounts;
	__u64 mounts_more;
};

void *lt_rep_parser_new(void);
void lt_rep_parser_free(void *parser);
/*
 * Parse line[0..len), which must be followed by LT_REP_PADDING readable
 * bytes (capacity >= len + LT_REP_PADDING); returns out->kind.
 */
int lt_rep_parse(void *parser, const char *line, size_t len, size_t capacity,
		 struct lt_rep_rec *out);

#ifdef __cplusplus
}
#endif

#endif /* LOCKTRACE_REPORT_PARSE_H */
