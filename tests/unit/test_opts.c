// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/common/opts.c: the command line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/types.h>
#include "locktrace.h"
#include "common/opts.h"

#define MAX_ARGS 80

struct run {
	struct lt_opts *opts;
	char err[256];
	char *out; /* what --help / --version wrote */
	size_t outlen;
	int ret;
};

/* Parse argv0 + args (NULL-terminated) into a fresh, zeroed opts, as
 * `locktrace record` if @record. */
static void parse_cmd(struct run *r, const char *argv0, bool record, const char *const *args)
{
	char *argv[MAX_ARGS + 2];
	FILE *out;
	int argc = 0;

	memset(r, 0, sizeof(*r));
	r->opts = calloc(1, sizeof(*r->opts));
	assert_non_null(r->opts);
	argv[argc++] = (char *)argv0;
	while (*args) {
		assert_true(argc <= MAX_ARGS);
		argv[argc++] = (char *)*args++;
	}
	argv[argc] = NULL;
	out = open_memstream(&r->out, &r->outlen);
	assert_non_null(out);
	r->ret = lt_parse_opts(argc, argv, record, r->opts, r->err, sizeof(r->err), out);
	fclose(out);
}

/* Parse "locktrace" + args. */
static void parse_argv(struct run *r, const char *const *args)
{
	parse_cmd(r, "locktrace", false, args);
}

static void run_free(struct run *r)
{
	free(r->opts);
	free(r->out);
}

#define PARSE(r, ...)                                               \
	do {                                                        \
		static const char *const args_[] = { __VA_ARGS__ }; \
		parse_argv(r, args_);                               \
	} while (0)

static void expect_ok(struct run *r)
{
	if (r->ret != LT_PARSE_OK)
		fail_msg("parse returned %d, err '%s'", r->ret, r->err);
	assert_int_equal(r->outlen, 0);
}

/* An error with a one-line, non-empty reason and nothing on out. */
static void expect_error(const char *const *args)
{
	struct run r;
	size_t i;

	parse_argv(&r, args);
	if (r.ret != LT_PARSE_ERROR) {
		char line[512] = "";

		for (i = 0; args[i]; i++)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), " %s", args[i]);
		fail_msg("locktrace%s: returned %d, want LT_PARSE_ERROR", line, r.ret);
	}
	if (!r.err[0])
		fail_msg("%s: no error message", args[0] ? args[0] : "(no args)");
	for (i = 0; r.err[i]; i++)
		if ((unsigned char)r.err[i] < 0x20)
			fail_msg("%s: error message has control byte 0x%02x: '%s'", args[0],
				 (unsigned char)r.err[i], r.err);
	assert_int_equal(r.outlen, 0);
	run_free(&r);
}

#define ERR(...)                                                          \
	do {                                                              \
		static const char *const args_[] = { __VA_ARGS__, NULL }; \
		expect_error(args_);                                      \
	} while (0)

static void test_no_args(void **state)
{
	struct run r;

	(void)state;
	PARSE(&r, NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->npatterns, 0);
	assert_int_equal(r.opts->npids, 0);
	assert_int_equal(r.opts->nuids, 0);
	assert_int_equal(r.opts->ncomms, 0);
	assert_false(r.opts->all);
	assert_false(r.opts->json);
	assert_null(r.opts->output);
	assert_false(r.opts->force);
	assert_false(r.opts->wide);
	assert_false(r.opts->verbose);
	assert_true(r.opts->duration == 0.0);
	assert_true(r.opts->ringbuf_mb != 0);
	/* A power of two. */
	assert_int_equal(r.opts->ringbuf_mb & (r.opts->ringbuf_mb - 1), 0);
	run_free(&r);
}

static void test_patterns(void **state)
{
	struct run r;

	(void)state;
	PARSE(&r, "-p", "*.db", "-p", "/x/", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->npatterns, 2);
	assert_int_equal(r.opts->patterns[0].kind, LT_PAT_BASENAME);
	assert_string_equal(r.opts->patterns[0].text, "*.db");
	assert_int_equal(r.opts->patterns[1].kind, LT_PAT_PATH);
	assert_string_equal(r.opts->patterns[1].text, "/x/**");
	run_free(&r);

	PARSE(&r, "--path=locks/", "--path", "LOCK", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->npatterns, 2);
	assert_string_equal(r.opts->patterns[0].text, "**/locks/**");
	assert_string_equal(r.opts->patterns[1].text, "LOCK");
	run_free(&r);
}

static void test_max_patterns(void **state)
{
	const char *args[2 * (LT_MAX_PATTERNS + 1) + 1];
	struct run r;
	int i;

	(void)state;
	for (i = 0; i < LT_MAX_PATTERNS; i++) {
		args[2 * i] = "-p";
		args[2 * i + 1] = "*.lock";
	}
	args[2 * i] = NULL;
	parse_argv(&r, args);
	expect_ok(&r);
	assert_int_equal(r.opts->npatterns, LT_MAX_PATTERNS);
	run_free(&r);

	/* One more is an error. */
	args[2 * i] = "-p";
	args[2 * i + 1] = "*.lock";
	args[2 * i + 2] = NULL;
	expect_error(args);
}

static void test_ids(void **state)
{
	struct run r;

	(void)state;
	PARSE(&r, "--pid", "12,13", "--pid", "14", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->npids, 3);
	assert_int_equal(r.opts->pids[0], 12);
	assert_int_equal(r.opts->pids[1], 13);
	assert_int_equal(r.opts->pids[2], 14);
	run_free(&r);

	/* uid 0 is a real filter, not "unset". */
	PARSE(&r, "--uid", "0", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->nuids, 1);
	assert_int_equal(r.opts->uids[0], 0);
	run_free(&r);

	PARSE(&r, "--uid=1000,0", "--pid=4194304", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->nuids, 2);
	assert_int_equal(r.opts->uids[0], 1000);
	assert_int_equal(r.opts->uids[1], 0);
	assert_int_equal(r.opts->npids, 1);
	assert_int_equal(r.opts->pids[0], 4194304);
	run_free(&r);
}

static void test_comm(void **state)
{
	struct run r;

	(void)state;
	PARSE(&r, "--comm", "deploy", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->ncomms, 1);
	assert_string_equal(r.opts->comms[0], "deploy");
	run_free(&r);

	/* 15 bytes is the most the kernel keeps. */
	PARSE(&r, "--comm", "abcdefghijklmno", "--comm", "x", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->ncomms, 2);
	assert_string_equal(r.opts->comms[0], "abcdefghijklmno");
	assert_string_equal(r.opts->comms[1], "x");
	run_free(&r);
}

static void test_flags(void **state)
{
	struct run r;

	(void)state;
	PARSE(&r, "-a", "-j", "-o", "f", "--force", "-d", "2.5", "-w", "-v", NULL);
	expect_ok(&r);
	assert_true(r.opts->all);
	assert_true(r.opts->json);
	assert_non_null(r.opts->output);
	assert_string_equal(r.opts->output, "f");
	assert_true(r.opts->force);
	assert_true(r.opts->duration == 2.5);
	assert_true(r.opts->wide);
	assert_true(r.opts->verbose);
	run_free(&r);

	/* Long names and bundled short options. */
	PARSE(&r, "--all", "--json", "--output=out.jsonl", "--duration=10", "--wide", "--verbose",
	      NULL);
	expect_ok(&r);
	assert_true(r.opts->all && r.opts->json && r.opts->wide && r.opts->verbose);
	assert_string_equal(r.opts->output, "out.jsonl");
	assert_true(r.opts->duration == 10.0);
	run_free(&r);

	PARSE(&r, "-ajwv", NULL);
	expect_ok(&r);
	assert_true(r.opts->all && r.opts->json && r.opts->wide && r.opts->verbose);
	run_free(&r);
}

/* --mode, --explain and --min-wait. */
static void test_mode_explain_wait(void **state)
{
	struct run r;

	(void)state;
	PARSE(&r, NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->mode, LT_MODE_AUTO);
	assert_false(r.opts->explain);
	assert_true(r.opts->min_wait_ms == 10.0);
	run_free(&r);
	PARSE(&r, "--mode", "lsm", "-e", "--min-wait", "2.5", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->mode, LT_MODE_LSM);
	assert_true(r.opts->explain);
	assert_true(r.opts->min_wait_ms == 2.5);
	run_free(&r);
	PARSE(&r, "--mode", "tracepoint", "--explain", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->mode, LT_MODE_TRACEPOINT);
	run_free(&r);
	ERR("--mode", "fexit");
	ERR("--mode", "");
	ERR("--min-wait", "-1");
	ERR("--min-wait", "soon");
}

/* --attach: each plan of the table by its name, auto by default; the
 * table's names and descriptions round-trip. */
static void test_attach(void **state)
{
	static const char *const names[] = { "auto", "fexit", "syscalls", "raw" };
	struct run r;
	enum lt_attach a;

	(void)state;
	PARSE(&r, NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->attach, LT_ATTACH_AUTO);
	run_free(&r);
	PARSE(&r, "--attach", "syscalls", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->attach, LT_ATTACH_SYSCALLS);
	run_free(&r);
	PARSE(&r, "--attach", "raw", "--attach", "fexit", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->attach, LT_ATTACH_FEXIT); /* the last one */
	run_free(&r);
	assert_int_equal(LT_ATTACH_COUNT, 4);
	for (int i = 0; i < LT_ATTACH_COUNT; i++) {
		assert_string_equal(lt_attach_name((enum lt_attach)i), names[i]);
		assert_int_equal(lt_attach_parse(names[i], &a), 0);
		assert_int_equal(a, i);
		assert_true(strlen(lt_attach_desc((enum lt_attach)i)) > 10);
	}
	assert_string_equal(lt_attach_name(LT_ATTACH_COUNT), "?");
	assert_int_equal(lt_attach_parse("Raw", &a), -EINVAL);
	assert_int_equal(lt_attach_parse("", &a), -EINVAL);
	PARSE(&r, "--attach", "tracepoint", NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	assert_string_equal(r.err, "invalid --attach 'tracepoint': auto, fexit, syscalls or raw");
	run_free(&r);
	ERR("--attach", "");
	ERR("--attach");
}

/* Recording options and --nice. */
static void test_record_nice(void **state)
{
	struct run r;
	__u64 size;

	(void)state;
	PARSE(&r, NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->nice, -10);
	assert_true(r.opts->sync_interval == 1.0);
	assert_int_equal(r.opts->rotate_bytes, 0);
	run_free(&r);
	PARSE(&r, "-o", "/tmp/x.jsonl", "--nice", "5", "--rotate", "64M", "--keep", "2",
	      "--sync-interval", "0.5", NULL);
	expect_ok(&r);
	assert_int_equal(r.opts->nice, 5);
	assert_true(r.opts->rotate_bytes == 64ULL << 20);
	assert_int_equal(r.opts->keep, 2);
	assert_true(r.opts->sync_interval == 0.5);
	run_free(&r);
	ERR("--nice", "-21");
	ERR("--nice", "20");
	ERR("--nice", "x");
	ERR("-o", "/tmp/x.jsonl", "--rotate", "100");
	ERR("-o", "/tmp/x.jsonl", "--rotate", "1T");
	ERR("--rotate", "1M");
	ERR("-o", "/tmp/x.jsonl", "--keep", "3");
	ERR("-o", "/tmp/x.jsonl", "--sync-interval", "0");
	assert_int_equal(lt_parse_size("4k", &size), 0);
	assert_true(size == 4096);
	assert_int_equal(lt_parse_size("1G", &size), 0);
	assert_true(size == 1ULL << 30);
	assert_int_equal(lt_parse_size("", &size), -EINVAL);
	assert_int_equal(lt_parse_size("12MB", &size), -EINVAL);
	assert_int_equal(lt_parse_size("99999999999999999999", &size), -EINVAL);
}

#define PARSE_RECORD(r, ...)                                        \
	do {                                                        \
		static const char *const args_[] = { __VA_ARGS__ }; \
		parse_cmd(r, "record", true, args_);                \
	} while (0)

/* `locktrace record`: the subcommand's name is argv[0]; it needs -o FILE
 * and keeps standard output quiet; its --help is the tool's. */
static void test_record(void **state)
{
	struct run r;

	(void)state;
	PARSE_RECORD(&r, "-o", "/tmp/x.jsonl", "-p", "*.db", NULL);
	expect_ok(&r);
	assert_true(r.opts->record);
	assert_string_equal(r.opts->output, "/tmp/x.jsonl");
	assert_int_equal(r.opts->npatterns, 1);
	run_free(&r);

	/* The same options without the subcommand do not record. */
	PARSE(&r, "-o", "/tmp/x.jsonl", NULL);
	expect_ok(&r);
	assert_false(r.opts->record);
	run_free(&r);

	/* argv[0] is never an option nor an argument, whatever its name. */
	parse_cmd(&r, "-a", false, (const char *const[]){ NULL });
	expect_ok(&r);
	assert_false(r.opts->all);
	run_free(&r);

	PARSE_RECORD(&r, NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	assert_non_null(strstr(r.err, "-o FILE"));
	assert_int_equal(r.outlen, 0);
	run_free(&r);

	PARSE_RECORD(&r, "-a", NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	run_free(&r);

	PARSE_RECORD(&r, "-o", "/tmp/x.jsonl", "extra", NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	assert_non_null(strstr(r.err, "extra"));
	run_free(&r);

	/* A subcommand's name after the first word is only a stray word. */
	PARSE(&r, "-a", "record", NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	assert_non_null(strstr(r.err, "'record'"));
	run_free(&r);

	PARSE_RECORD(&r, "--help", NULL);
	assert_int_equal(r.ret, LT_PARSE_EXIT);
	assert_non_null(r.out);
	assert_string_equal(r.out, lt_usage);
	run_free(&r);
}

/* The usage text has a line for every subcommand, in LT_COMMANDS' order. */
static void test_usage_commands(void **state)
{
	static const char *const names[] = {
#define NAME(name, usage) #name,
		LT_COMMANDS(NAME)
#undef NAME
	};
	const char *p = lt_usage;
	char line[64];

	(void)state;
	assert_int_equal(strncmp(lt_usage, "Usage: locktrace [OPTIONS]\n", 27), 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(line, sizeof(line), "\n       locktrace %s ", names[i]);
		p = strstr(p, line);
		if (!p)
			fail_msg("usage: no line for '%s' (or out of order)", names[i]);
		p++;
	}
}

static void test_errors(void **state)
{
	(void)state;
	ERR("--nope");
	ERR("-Z");
	ERR("--pid", "abc");
	ERR("--pid", "0");
	ERR("--pid", "-3");
	ERR("--pid", "99999999999");
	ERR("--pid", "12,");
	ERR("--pid", "1,,2");
	ERR("--pid", "");
	ERR("--pid", "1x");
	ERR("--uid", "-1");
	ERR("--uid", "x");
	ERR("-d", "0");
	ERR("-d", "-1");
	ERR("-d", "abc");
	ERR("-d", "");
	ERR("-d", "nan");
	ERR("--comm", "abcdefghijklmnop"); /* 16 bytes */
	ERR("--comm", "");
	ERR("-p", "[x]");
	ERR("-p", "");
	ERR("foo");
	ERR("-a", "foo");
	ERR("-p");
	ERR("--pid");
	ERR("--comm");
}

static void test_error_text(void **state)
{
	struct run r;

	(void)state;
	/* The unknown option is named in err; getopt prints nothing. */
	PARSE(&r, "--nope", NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	assert_non_null(strstr(r.err, "--nope"));
	assert_null(strchr(r.err, '\n'));
	assert_null(strstr(r.err, "locktrace:"));
	run_free(&r);

	PARSE(&r, "--pid", "abc", NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	assert_non_null(strstr(r.err, "abc"));
	run_free(&r);

	PARSE(&r, "stray", NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	assert_non_null(strstr(r.err, "stray"));
	run_free(&r);

	/* Parsing twice in one process starts afresh (getopt state). */
	PARSE(&r, "-j", NULL);
	expect_ok(&r);
	assert_true(r.opts->json);
	run_free(&r);
}

/* getopt's own messages stay off stderr: err carries the only one. */
static void test_stderr_quiet(void **state)
{
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	struct run r;

	(void)state;
	assert_non_null(tmp);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_int_equal(dup2(fileno(tmp), STDERR_FILENO), STDERR_FILENO);
	PARSE(&r, "--nope", NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	run_free(&r);
	PARSE(&r, "-Z", NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	run_free(&r);
	PARSE(&r, "-a", "-p", NULL);
	assert_int_equal(r.ret, LT_PARSE_ERROR);
	run_free(&r);
	fflush(stderr);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	assert_int_equal(lseek(fileno(tmp), 0, SEEK_END), 0);
	fclose(tmp);
}

static void test_help_version(void **state)
{
	struct run r;

	(void)state;
	PARSE(&r, "--help", NULL);
	assert_int_equal(r.ret, LT_PARSE_EXIT);
	assert_non_null(r.out);
	assert_true(r.outlen > 0);
	assert_non_null(strstr(r.out, "Usage"));
	assert_non_null(strstr(r.out, "--pid"));
	assert_string_equal(r.out, lt_usage);
	run_free(&r);

	PARSE(&r, "-h", NULL);
	assert_int_equal(r.ret, LT_PARSE_EXIT);
	assert_string_equal(r.out, lt_usage);
	run_free(&r);

	PARSE(&r, "--version", NULL);
	assert_int_equal(r.ret, LT_PARSE_EXIT);
	assert_non_null(r.out);
	assert_non_null(strstr(r.out, "locktrace"));
	run_free(&r);
}

/* --holders, --holders-fs (the kernel's names of filesystem types) and
 * --host (a recording's). */
static void test_holders(void **state)
{
	struct run r;

	(void)state;
	PARSE(&r, NULL);
	expect_ok(&r);
	assert_false(r.opts->holders);
	/* The default types: they also name the header's network mounts. */
	assert_int_equal(r.opts->nholders_fs, 8);
	assert_string_equal(r.opts->holders_fs[0], "cifs");
	assert_string_equal(r.opts->holders_fs[7], "fuse");
	run_free(&r);

	PARSE(&r, "--holders", NULL);
	expect_ok(&r);
	assert_true(r.opts->holders);
	assert_int_equal(r.opts->nholders_fs, 8);
	run_free(&r);

	/* The types given replace the default ones, and imply --holders. */
	PARSE(&r, "--holders-fs", "tmpfs,fuse", "--holders-fs", "nfs4", NULL);
	expect_ok(&r);
	assert_true(r.opts->holders);
	assert_int_equal(r.opts->nholders_fs, 3);
	assert_string_equal(r.opts->holders_fs[0], "tmpfs");
	assert_string_equal(r.opts->holders_fs[1], "fuse");
	assert_string_equal(r.opts->holders_fs[2], "nfs4");
	run_free(&r);

	PARSE(&r, "--holders-fs", "abcdefghijklmno", "-o", "/tmp/x", "--host", "host-b", NULL);
	expect_ok(&r);
	assert_string_equal(r.opts->holders_fs[0], "abcdefghijklmno");
	assert_string_equal(r.opts->host, "host-b");
	run_free(&r);

	ERR("--holders-fs", "fuse.sshfs"); /* the kernel knows it as fuse */
	ERR("--holders-fs", "abcdefghijklmnop"); /* 16 bytes */
	ERR("--holders-fs", "");
	ERR("--holders-fs", "cifs,");
	ERR("--holders-fs", "a/b");
	ERR("--holders-fs", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q"); /* 17 */
	ERR("--holders-fs");
	ERR("--host", "a"); /* only a recording's header names it */
	ERR("-o", "/tmp/x", "--host", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_args),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_max_patterns),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_comm),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_mode_explain_wait),
		cmocka_unit_test(test_attach),
		cmocka_unit_test(test_record_nice),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_stderr_quiet),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_holders),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_usage_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
