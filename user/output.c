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

static int open_file(const char *name, bool force)
{
	int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
	struct stat st;
	int fd;

	if (!lstat(name, &st)) {
		if (S_ISLNK(st.st_mode)) {
			p_err("refusing to write %s: it is a symbolic link", name);
			return -LT_EXIT_USAGE;
		}
		if (!force) {
			p_err("refusing to overwrite %s: it exists (--force replaces it)", name);
			return -LT_EXIT_USAGE;
		}
		if (!S_ISREG(st.st_mode)) {
			p_err("refusing to write %s: not a regular file", name);
			return -LT_EXIT_USAGE;
		}
	}
	flags |= force ? O_TRUNC : O_EXCL;
	fd = open(name, flags, 0600);
	if (fd < 0) {
		int err = errno;

		if (err == ELOOP || err == EEXIST) {
			p_err("refusing to write %s: %s", name,
			      err == ELOOP ? "it is a symbolic link" : "it exists");
			return -LT_EXIT_USAGE;
		}
		p_err("cannot create %s: %s", name, strerror(err));
		return -LT_EXIT_RUNTIME;
	}
	/* Re-check what was opened, and drop what an old file allowed. */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || fchmod(fd, 0600) ||
	    fcntl(fd, F_SETFL, O_WRONLY)) {
		p_err("refusing to write %s: not a regular file we can own", name);
		close(fd);
		return -LT_EXIT_USAGE;
	}
	return fd;
}

int lt_output_open(struct lt_output *o, const struct lt_opts *opts)
{
	memset(o, 0, sizeof(*o));
	o->json = opts->json;
	o->explain = opts->explain;
	o->fmt.boot_to_real_ns = boot_to_real_ns();
	o->fmt.columns = term_columns();
	o->fmt.wide = opts->wide;
	if (opts->output) {
		int fd = open_file(opts->output, opts->force);

		if (fd < 0)
			return -fd;
		o->file = fdopen(fd, "w");
		if (!o->file) {
			p_err("cannot write %s: %s", opts->output, strerror(errno));
			close(fd);
			return LT_EXIT_RUNTIME;
		}
		setvbuf(o->file, NULL, _IOFBF, 1 << 16);
		o->file_name = opts->output;
	}
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	return LT_EXIT_OK;
}

static void file_error(struct lt_output *o)
{
	o->file_lost++;
	if (!o->file_failed) {
		p_err("writing %s failed: %s; events go on being counted", o->file_name,
		      strerror(errno));
		o->file_failed = true;
	}
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
	if (o->file) {
		if (o->line.oom || fwrite(o->line.data, 1, o->line.len, o->file) != o->line.len ||
		    fputc('\n', o->file) == EOF)
			file_error(o);
	}
	if (!o->json) {
		lt_buf_reset(&o->line);
		lt_format_text(&o->line, ev, v, &o->fmt);
		if (o->explain && v) {
			lt_buf_puts(&o->line, "\n");
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

	if (o->json)
		return 0;
	lt_buf_reset(&o->line);
	lt_format_text_header(&o->line, &o->fmt);
	err = put_stdout(o, o->line.data, o->line.len);
	lt_output_flush(o);
	return err;
}

void lt_output_flush(struct lt_output *o)
{
	if (o->file && fflush(o->file) == EOF && !o->file_failed)
		file_error(o);
	if (!o->stdout_gone && fflush(stdout) == EOF) {
		if (errno != EPIPE)
			p_err("writing standard output failed: %s", strerror(errno));
		o->stdout_gone = true;
	}
}

int lt_output_close(struct lt_output *o)
{
	int rc = LT_EXIT_OK;

	lt_output_flush(o);
	if (o->file) {
		if (fsync(fileno(o->file)) && errno != EINVAL && !o->file_failed)
			file_error(o);
		if (fclose(o->file) == EOF && !o->file_failed)
			file_error(o);
		o->file = NULL;
		if (o->file_failed)
			rc = LT_EXIT_RUNTIME;
	}
	lt_buf_free(&o->line);
	return rc;
}
