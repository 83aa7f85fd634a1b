// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Where events go: the live view on stdout and the -o JSON Lines file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include "output.h"
#include "util.h"

static int term_columns(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 40)
		return ws.ws_col;
	if (env && atoi(env) >= 40)
		return atoi(env);
	return 120;
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
		int rc = lt_record_open(&o->rec, opts->output, opts->force, opts->rotate_bytes,
					opts->keep, opts->sync_interval);

		if (rc)
			return rc;
		o->recording = true;
	}
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	return LT_EXIT_OK;
}

int lt_output_record_header(struct lt_output *o, const char *line, size_t len)
{
	return o->recording ? lt_record_header(&o->rec, line, len) : 0;
}

static int put_stdout(struct lt_output *o, const char *s, size_t n)
{
	if (o->stdout_gone)
		return -EPIPE;
	if (fwrite(s, 1, n, stdout) != n || fputc('\n', stdout) == EOF) {
		if (errno == EPIPE) {
			o->stdout_gone = true;
			return -EPIPE;
		}
		p_err("writing standard output failed: %s", strerror(errno));
		o->stdout_gone = true;
		return -EIO;
	}
	return 0;
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
	if (!o->stdout_gone && fflush(stdout) == EOF) {
		if (errno != EPIPE)
			p_err("writing standard output failed: %s", strerror(errno));
		o->stdout_gone = true;
	}
}

int lt_output_close(struct lt_output *o, const char *trailer, size_t len)
{
	int rc = LT_EXIT_OK;

	lt_output_flush(o);
	if (o->recording)
		rc = lt_record_close(&o->rec, trailer, len);
	o->recording = false;
	lt_buf_free(&o->line);
	return rc;
}
