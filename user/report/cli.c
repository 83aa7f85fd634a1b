// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* locktrace report: its options, reading the recordings into the model,
 * writing the report. The only part that does I/O, and the only one that
 * knows exit codes. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cause/names.h"
#include "common/buf.h"
#include "common/opts.h"
#include "common/pattern.h"
#include "common/util.h"
#include "common/version.h"
#include "model.h"
#include "parse.h"
#include "render.h"
#include "report.h"

#define READ_CHUNK (1u << 20)
#define LINE_MAX_BYTES (1u << 20) /* longer lines are not ours: skipped */

static const char report_usage[] =
	"Usage: locktrace report [OPTIONS] FILE...\n"
	"A report of recordings (locktrace record -o FILE, or -o): rotated parts and\n"
	"several hosts may be given together.\n"
	"\n"
	"  -f, --format FMT     text (default), markdown, json or html\n"
	"  -o, --output FILE    write the report to FILE (new; --force replaces it)\n"
	"      --force          let -o replace an existing regular file\n"
	"      --since TIME     only events at or after TIME (2026-11-24T10:41:07Z,\n"
	"                       2026-11-24T12:41:07+02:00, '2026-11-24 10:41:07' UTC,\n"
	"                       2026-11-24)\n"
	"      --until TIME     only events at or before TIME\n"
	"      --path GLOB      only these paths (repeatable; as locktrace -p)\n"
	"      --cause KIND     only failures of this cause (repeatable): dac,\n"
	"                       dac_search, acl, capability, lsm, readonly_fs, no_space,\n"
	"                       quota, immutable, lock_held, stale_lock, bad_fd_mode,\n"
	"                       not_found, remote_fs, unknown, remote_lock_conflict,\n"
	"                       remote_sharing_violation, remote_access_denied,\n"
	"                       remote_read_only, remote_disk_full, remote_quota\n"
	"      --uid UID[,UID]  only these uids (repeatable)\n"
	"      --comm NAME      only this command (repeatable)\n"
	"      --top N          rows in the top lists (default 10; groups: 5 x N)\n"
	"  -q, --quiet          no warnings about torn or malformed lines\n"
	"  -h, --help           this text\n"
	"\n"
	"Exit status: 0 ok, 1 a file could not be read or the report written,\n"
	"2 bad usage or a file that is not a recording (or of a newer format).\n";

enum {
	OPT_SINCE = 0x100,
	OPT_UNTIL,
	OPT_PATH,
	OPT_CAUSE,
	OPT_UID,
	OPT_COMM,
	OPT_TOP,
	OPT_FORCE,
};

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "cause", required_argument, NULL, OPT_CAUSE },
	{ "uid", required_argument, NULL, OPT_UID },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{},
};

static bool known_cause(const char *s)
{
	for (int k = LT_CAUSE_DAC; k < LT_CAUSE_KIND_COUNT; k++)
		if (!strcmp(lt_cause_kind_name(k), s))
			return true;
	return false;
}

int lt_rep_parse_opts(int argc, char **argv, struct lt_rep_opts *o, char *err, size_t errlen,
		      FILE *out)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->top = 10;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:qh", long_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				o->format = LT_REP_TEXT;
			else if (!strcmp(optarg, "markdown") || !strcmp(optarg, "md"))
				o->format = LT_REP_MARKDOWN;
			else if (!strcmp(optarg, "json"))
				o->format = LT_REP_JSON;
			else if (!strcmp(optarg, "html"))
				o->format = LT_REP_HTML;
			else
				return lt_parse_fail(
					err, errlen,
					"invalid --format '%s': text, markdown, json or html",
					optarg);
			break;
		case 'o':
			if (!*optarg)
				return lt_parse_fail(err, errlen, "empty --output file name");
			o->output = optarg;
			break;
		case OPT_FORCE:
			o->force = true;
			break;
		case OPT_SINCE:
		case OPT_UNTIL: {
			__s64 us;

			if (lt_rep_parse_time(optarg, &us))
				return lt_parse_fail(err, errlen,
						     "invalid --%s '%s': expected a time like "
						     "2026-11-24T10:41:07Z",
						     c == OPT_SINCE ? "since" : "until", optarg);
			if (c == OPT_SINCE) {
				o->since_us = us;
				o->have_since = true;
			} else {
				o->until_us = us;
				o->have_until = true;
			}
			break;
		}
		case OPT_PATH:
			if (o->npaths >= LT_MAX_PATTERNS)
				return lt_parse_fail(err, errlen,
						     "too many --path values (at most %d)",
						     LT_MAX_PATTERNS);
			if (lt_pattern_compile(optarg, &o->paths[o->npaths], err, errlen))
				return LT_PARSE_ERROR;
			o->npaths++;
			break;
		case OPT_CAUSE:
			if (!known_cause(optarg))
				return lt_parse_fail(err, errlen,
						     "invalid --cause '%s' (see report --help)",
						     optarg);
			if (o->ncauses >= LT_REP_MAX_FILTER)
				return lt_parse_fail(err, errlen, "too many --cause values");
			o->causes[o->ncauses++] = optarg;
			break;
		case OPT_UID:
			if (lt_parse_id_list(optarg, "uid", 0, o->uids, &o->nuids,
					     LT_REP_MAX_FILTER, err, errlen))
				return LT_PARSE_ERROR;
			break;
		case OPT_COMM:
			if (!*optarg || strlen(optarg) >= LT_COMM_LEN)
				return lt_parse_fail(err, errlen,
						     "invalid --comm '%s': 1 to %d bytes", optarg,
						     LT_COMM_LEN - 1);
			if (o->ncomms >= LT_REP_MAX_FILTER)
				return lt_parse_fail(err, errlen, "too many --comm values");
			o->comms[o->ncomms++] = optarg;
			break;
		case OPT_TOP: {
			long v;

			if (lt_parse_long(optarg, 1, 100000, &v))
				return lt_parse_fail(err, errlen, "invalid --top '%s': 1 to 100000",
						     optarg);
			o->top = (int)v;
			break;
		}
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(report_usage, out);
			return LT_PARSE_EXIT;
		case ':':
			return lt_parse_fail(err, errlen,
					     "option '%s' needs an argument (see report --help)",
					     argv[optind - 1]);
		default:
			if (optopt)
				return lt_parse_fail(err, errlen,
						     "unknown option '-%c' (see report --help)",
						     optopt);
			return lt_parse_fail(err, errlen, "unknown option '%s' (see report --help)",
					     argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return lt_parse_fail(err, errlen, "no recording given (see report --help)");
	if (o->have_since && o->have_until && o->since_us > o->until_us)
		return lt_parse_fail(err, errlen, "--since is after --until");
	if (o->force && !o->output)
		return lt_parse_fail(err, errlen, "--force only applies to --output");
	o->files = (const char *const *)&argv[optind];
	o->nfiles = argc - optind;
	return LT_PARSE_OK;
}

/* Read one file in chunks, line by line: memory stays flat however large
 * the recording. Returns 0 or -errno (-EISDIR: it is a directory). */
static int read_file(struct lt_report *r, const char *name)
{
	char *buf = malloc(READ_CHUNK + LINE_MAX_BYTES + LT_REP_PADDING);
	size_t have = 0;
	bool skipping = false; /* inside a line too long to be ours */
	struct stat st;
	int fd, err = 0;

	if (!buf) {
		p_err("out of memory");
		return -ENOMEM;
	}
	fd = strcmp(name, "-") ? open(name, O_RDONLY | O_CLOEXEC) : dup(STDIN_FILENO);
	if (fd < 0 || fstat(fd, &st)) {
		err = -errno;
		p_err("cannot read %s: %s", name, strerror(-err));
		free(buf);
		if (fd >= 0)
			close(fd);
		return err;
	}
	if (S_ISDIR(st.st_mode)) {
		p_err("cannot read %s: it is a directory", name);
		free(buf);
		close(fd);
		return -EISDIR;
	}
	lt_report_source(r, name);
	for (;;) {
		ssize_t n = read(fd, buf + have, READ_CHUNK);
		char *p, *nl, *end;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			p_err("reading %s failed: %s", name, strerror(-err));
			break;
		}
		if (n == 0) {
			if (have && !skipping)
				lt_report_buffer(r, buf, have); /* no newline: torn? */
			break;
		}
		have += (size_t)n;
		p = buf;
		end = buf + have;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			if (skipping) {
				skipping = false;
				if (r->nsources)
					r->sources[r->nsources - 1].bad_lines++;
			} else {
				lt_report_line_padded(r, p, (size_t)(nl - p),
						      (size_t)(buf + READ_CHUNK + LINE_MAX_BYTES +
							       LT_REP_PADDING - p));
			}
			p = nl + 1;
		}
		have = (size_t)(end - p);
		if (have >= LINE_MAX_BYTES) {
			skipping = true;
			have = 0;
		} else {
			memmove(buf, p, have);
		}
	}
	free(buf);
	close(fd);
	return err;
}

/* Is the file just read (source @s) a recording this build reads? 0 if so
 * (or if it is empty), -EPROTONOSUPPORT if a header says a format newer
 * than LT_RECORD_FORMAT, -EBADMSG if none of its lines is a recording's. */
static int check_source(const struct lt_rep_source *s, const char *name)
{
	if (s->format > LT_RECORD_FORMAT) {
		p_err("%s is a recording of format %llu, newer than this locktrace reads "
		      "(format %d at most): use a newer locktrace",
		      name, s->format, LT_RECORD_FORMAT);
		return -EPROTONOSUPPORT;
	}
	if (s->lines && !s->header && !s->events && s->bad_lines == s->lines) {
		p_err("%s is not a locktrace recording (no line of it is)", name);
		return -EBADMSG;
	}
	return 0;
}

static void warn_sources(const struct lt_report *r)
{
	for (size_t i = 0; i < r->nsources; i++) {
		const struct lt_rep_source *s = &r->sources[i];

		if (s->torn)
			p_warn("%s: the last line is cut short (a recording that was killed?): "
			       "skipped",
			       s->file);
		if (s->bad_lines)
			p_warn("%s: %llu malformed line%s skipped", s->file, s->bad_lines,
			       s->bad_lines == 1 ? "" : "s");
	}
}

/* Write the report to -o's file (a new one unless --force) or to standard
 * output. Returns 0, also when standard output's reader went away (EPIPE),
 * or -errno (-EEXIST, -ELOOP: -o names a file that exists, or a symbolic
 * link). */
static int write_report(const struct lt_rep_opts *o, const char *data, size_t len)
{
	int fd = STDOUT_FILENO, err;
	size_t done = 0;

	if (o->output) {
		int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
			    (o->force ? O_TRUNC : O_EXCL);

		fd = open(o->output, flags, 0644);
		if (fd < 0) {
			err = -errno;
			p_err("cannot create %s: %s%s", o->output, strerror(-err),
			      err == -EEXIST ? " (--force replaces it)" : "");
			return err;
		}
	}
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			if (err != -EPIPE)
				p_err("writing the report failed: %s", strerror(-err));
			if (o->output)
				close(fd);
			return err == -EPIPE ? 0 : err;
		}
		done += (size_t)n;
	}
	if (o->output && close(fd)) {
		err = -errno;
		p_err("writing %s failed: %s", o->output, strerror(-err));
		return err;
	}
	return 0;
}

int lt_report_main(int argc, char **argv)
{
	static struct lt_rep_opts o;
	struct lt_report r;
	struct lt_buf b = {};
	char msg[256];
	int rc = LT_EXIT_OK, err, i;

	i = lt_rep_parse_opts(argc, argv, &o, msg, sizeof(msg), stdout);
	if (i == LT_PARSE_EXIT)
		return LT_EXIT_OK;
	if (i != LT_PARSE_OK) {
		p_err("%s", msg);
		return LT_EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);
	lt_report_init(&r, &o);
	for (i = 0; i < o.nfiles; i++) {
		err = read_file(&r, o.files[i]);
		if (err) {
			rc = err == -EISDIR ? LT_EXIT_USAGE : LT_EXIT_RUNTIME;
			break;
		}
		if (!r.nsources)
			break; /* out of memory: said below */
		if (check_source(&r.sources[r.nsources - 1], o.files[i])) {
			rc = LT_EXIT_USAGE;
			break;
		}
	}
	if (!rc && r.oom) {
		p_err("out of memory");
		rc = LT_EXIT_RUNTIME;
	}
	if (!rc) {
		if (!o.quiet)
			warn_sources(&r);
		lt_report_finish(&r);
		lt_report_render(&r, &b);
		if (b.oom) {
			p_err("out of memory");
			rc = LT_EXIT_RUNTIME;
		} else {
			err = write_report(&o, b.data ? b.data : "", b.len);
			if (err)
				rc = err == -EEXIST || err == -ELOOP ? LT_EXIT_USAGE :
								       LT_EXIT_RUNTIME;
		}
	}
	lt_buf_free(&b);
	lt_report_free(&r);
	return rc;
}
