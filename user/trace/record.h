/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The recording: a JSON Lines file that survives a crash, a full disk and
 * kill -9. A header line first (in every rotated part), one complete line
 * per event, a trailer with the totals at the end. Lines are buffered and
 * written whole with write(2); a failed write is cut back to the last
 * complete line, counted, reported once, and tracing goes on.
 */
#ifndef LOCKTRACE_RECORD_H
#define LOCKTRACE_RECORD_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct lt_record {
	int fd;
	const char *name;
	char *buf; /* lines not yet written */
	size_t len, cap;
	unsigned long long buffered; /* events in buf */
	__u64 size; /* bytes in the current file */
	__u64 kicked; /* writeback started up to here */
	__u64 prev_kick, dropped; /* page cache let go up to dropped */
	__u64 rotate; /* start a new file past this size; 0 never */
	__u32 keep; /* rotated files kept: name.1 .. name.keep */
	double sync_interval;
	/* fdatasync runs in its own thread: a flush of hundreds of MB must not
	 * stall the reader (the ring buffer would fill up meanwhile). */
	pthread_t syncer;
	bool syncer_running, stopping;
	pthread_mutex_t lock; /* fd against rotation and close */
	pthread_cond_t wake;
	int sync_err; /* the syncer's last error, for the reader to report */
	char *header; /* the header line (no newline), for every part */
	size_t header_len;
	bool hdr_in_buf; /* buf starts with the header line */
	bool failing; /* the last write failed; reported */
	unsigned long long written; /* events in the file(s) */
	unsigned long long lost; /* events that could not be written */
	unsigned long long lost_reported;
	unsigned int rotations;
	/* Rotation: the next attempt past rotate_at bytes; one that fails
	 * leaves the recording where it was, said once (rotate_warned) and
	 * counted. dev and ino: the current file, to know it by its name. */
	__u64 rotate_at;
	unsigned int rotate_failed;
	bool rotate_warned;
	__u64 dev, ino;
};

/*
 * Create @name: new, 0600, never through a symbolic link; @force may
 * replace an existing regular file. 0 or -errno, one line said: -ELOOP,
 * -EEXIST, -EISDIR or -ENXIO when @name is refused (a symbolic link, an
 * existing file without @force, a directory, not a regular file).
 */
int lt_record_open(struct lt_record *r, const char *name, bool force, __u64 rotate, __u32 keep,
		   double sync_interval);
/* The header line (no newline): written first, and first in every part. */
int lt_record_header(struct lt_record *r, const char *line, size_t len);
/* One event's line (no newline). */
void lt_record_event(struct lt_record *r, const char *line, size_t len);
/* Write what is buffered (the syncer thread fdatasyncs every interval). */
void lt_record_flush(struct lt_record *r);
/* Write the trailer (may be NULL), fsync and close. -EIO if events could
 * not be written. */
int lt_record_close(struct lt_record *r, const char *trailer, size_t len);

#endif /* LOCKTRACE_RECORD_H */
