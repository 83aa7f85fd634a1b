// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Where events go: the live view on stdout and the -o JSON Lines file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <poll.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include "output.h"
#include "common/util.h"

/* The terminal's width, else $COLUMNS, else 120; 40 .. LT_MAX_COLUMNS (a
 * huge COLUMNS would pad every line to that width). */
static int term_columns(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	long cols = 120;
	char *end;

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 40) {
		cols = ws.ws_col;
	} else if (env && *env) {
		long v = strtol(env, &end, 10);

		if (!*end && v >= 40)
			cols = v;
	}
	return cols > LT_MAX_COLUMNS ? LT_MAX_COLUMNS : (int)cols;
}

static __s64 boot_to_real_ns(void)
{
	struct timespec real, boot;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	return (real.tv_sec - boot.tv_sec) * 1000000000LL + (real.tv_nsec - boot.tv_nsec);
}

int lt_output_open(struct lt_output *o, const struct lt_opts *opts)
{
	memset(o, 0, sizeof(*o));
	o->json = opts->json;
	o->explain = opts->explain;
	o->quiet = opts->record;
	o->fmt.boot_to_real_ns = boot_to_real_ns();
	o->fmt.columns = term_columns();
	o->fmt.wide = opts->wide;
	if (opts->output) {
		int err = lt_record_open(&o->rec, opts->output, opts->force, opts->rotate_bytes,
					 opts->keep, opts->sync_interval);

		if (err)
			return err;
		o->recording = true;
	}
	return 0;
}

int lt_output_record_header(struct lt_output *o, const char *line, size_t len)
{
	return o->recording ? lt_record_header(&o->rec, line, len) : 0;
}

/*
 * Write s[0..n) whole to standard output. A signal that interrupts a
 * blocked write (its reader is slow or stopped) is not an error: the write
 * goes on, as does one on a non-blocking descriptor once it can. Only a
 * reader gone (EPIPE, quietly) or a real error (said once) ends it.
 */
static int write_stdout(struct lt_output *o, const char *s, size_t n)
{
	while (n && !o->stdout_gone) {
		ssize_t w = write(STDOUT_FILENO, s, n);

		if (w > 0) {
			s += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };

			poll(&pfd, 1, -1);
			continue;
		}
		o->stdout_gone = true;
		if (w < 0 && errno == EPIPE)
			return -EPIPE;
		p_err("writing standard output failed: %s",
		      w < 0 ? strerror(errno) : "no progress");
		return -EIO;
	}
	return o->stdout_gone ? -EPIPE : 0;
}

/* Push out what is buffered for standard output. */
static int flush_stdout(struct lt_output *o)
{
	int err = write_stdout(o, o->out, o->out_len);

	o->out_len = 0;
	return err;
}

/* One line (a newline added) for standard output, written in large
 * appends: when the buffer fills, and after each batch of events. */
static int put_stdout(struct lt_output *o, const char *s, size_t n)
{
	int err = 0;

	if (o->stdout_gone)
		return -EPIPE;
	if (o->out_len + n + 1 > sizeof(o->out))
		err = flush_stdout(o);
	if (!err && n + 1 > sizeof(o->out)) /* larger than the buffer: alone */
		err = write_stdout(o, s, n) ?: write_stdout(o, "\n", 1);
	else if (!err) {
		memcpy(o->out + o->out_len, s, n);
		o->out[o->out_len + n] = '\n';
		o->out_len += n + 1;
	}
	return err;
}

int lt_output_event(struct lt_output *o, const struct lt_event *ev, const struct lt_verdict *v)
{
	int err = 0;

	lt_buf_reset(&o->line);
	lt_format_json(&o->line, ev, v, &o->fmt);
	if (o->recording) {
		if (o->line.oom)
			o->rec.lost++;
		else
			lt_record_event(&o->rec, o->line.data, o->line.len);
	}
	if (o->quiet)
		return 0;
	if (!o->json) {
		lt_buf_reset(&o->line);
		lt_format_text(&o->line, ev, v, &o->fmt);
		if (o->explain && v) {
			lt_buf_puts(&o->line, "\n");
			if (v->explain)
				lt_buf_put(&o->line, v->explain, v->explain_len);
			else
				lt_explain(&o->line, v);
			/* put_stdout adds the last newline */
			if (o->line.len && o->line.data[o->line.len - 1] == '\n')
				o->line.len--;
		}
	}
	if (!err)
		err = put_stdout(o, o->line.data, o->line.len);
	if (!err)
		o->printed++;
	return err;
}

int lt_output_header(struct lt_output *o)
{
	int err;

	if (o->json || o->quiet)
		return 0;
	lt_buf_reset(&o->line);
	lt_format_text_header(&o->line, &o->fmt);
	err = put_stdout(o, o->line.data, o->line.len);
	lt_output_flush(o);
	return err;
}

int lt_output_stats(struct lt_output *o, const char *line, size_t len)
{
	if (!o->json || o->quiet)
		return 0;
	return put_stdout(o, line, len);
}

void lt_output_flush(struct lt_output *o)
{
	if (o->recording)
		lt_record_flush(&o->rec);
	if (!o->stdout_gone && o->out_len)
		flush_stdout(o);
}

int lt_output_close(struct lt_output *o, const char *trailer, size_t len)
{
	int err = 0;

	lt_output_flush(o);
	if (o->recording)
		err = lt_record_close(&o->rec, trailer, len);
	o->recording = false;
	lt_buf_free(&o->line);
	return err;
}
