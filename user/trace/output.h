/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where events go: the live view on stdout and the -o JSON Lines file. */
#ifndef LOCKTRACE_OUTPUT_H
#define LOCKTRACE_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include "format.h"
#include "common/buf.h"
#include "common/opts.h"
#include "record.h"

/* The text view is at most this wide, whatever the terminal or $COLUMNS
 * say (-w still prints paths whole). */
#define LT_MAX_COLUMNS 1024
/* Standard output is written in appends of up to this. */
#define LT_STDOUT_BUF (64u << 10)

struct lt_output {
	bool json; /* stdout gets JSON Lines, else the text view */
	bool explain; /* text view: why and fix lines under failures */
	bool quiet; /* locktrace record: nothing on stdout */
	bool recording; /* -o FILE */
	struct lt_record rec;
	struct lt_fmt fmt;
	struct lt_buf line;
	bool stdout_gone; /* the reader closed the pipe */
	char out[LT_STDOUT_BUF]; /* lines not yet written to stdout */
	size_t out_len;
	unsigned long long printed; /* events written to stdout */
};

/* Open -o FILE safely: new, 0600, never through a symlink; --force may
 * replace an existing regular file. 0 or -errno (lt_record_open()). */
int lt_output_open(struct lt_output *o, const struct lt_opts *opts);
/* The recording's header line, once the session is set up. */
int lt_output_record_header(struct lt_output *o, const char *line, size_t len);
/* The text view's column header (nothing for JSON). */
int lt_output_header(struct lt_output *o);
/* 0, or -EPIPE once standard output's reader has gone. */
int lt_output_event(struct lt_output *o, const struct lt_event *ev, const struct lt_verdict *v);
/* --json: standard output's last line, the counters ({"type":"stats"}). */
int lt_output_stats(struct lt_output *o, const char *line, size_t len);
/* Push buffered lines out (after each batch of events). */
void lt_output_flush(struct lt_output *o);
/* Flush; write the recording's trailer (may be NULL), sync and close it.
 * -EIO if events could not be written. */
int lt_output_close(struct lt_output *o, const char *trailer, size_t len);

#endif /* LOCKTRACE_OUTPUT_H */
