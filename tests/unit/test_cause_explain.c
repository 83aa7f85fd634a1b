// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for user/cause/explain.c and json.c: --explain's why and fix
 * and the cause's JSON object, for symbolic links and hostile names; and
 * the golden output of every case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cause/cause.h"
#include "cause/explain.h"
#include "common/buf.h"
#include "trace/format.h"
#include "cause_build.h"

/* --explain for tc: the why and fix lines, and the cause's JSON. */
static void explain_case(const struct cause_case *tc, struct lt_buf *text, struct lt_buf *json)
{
	static struct lt_cause_input in;
	struct lt_verdict v = { .in = &in };

	cause_build(tc, &in);
	lt_cause_decide(&in, &v.cause);
	lt_buf_reset(text);
	lt_explain(text, &v);
	lt_buf_reset(json);
	lt_cause_json(json, &v);
	assert_non_null(text->data);
	assert_non_null(json->data);
}

static void has(const struct lt_buf *b, const char *s)
{
	if (!strstr(b->data, s))
		fail_msg("\"%s\" lacks \"%s\"", b->data, s);
}

static void lacks(const struct lt_buf *b, const char *s)
{
	if (strstr(b->data, s))
		fail_msg("\"%s\" has \"%s\"", b->data, s);
}

/*
 * A fix never chowns or chmods through a symbolic link: through a user's
 * link to a file the user does not own it says so and to remove the link;
 * through a trusted one it names the real file; where the link itself is
 * the object it says chown -h.
 */
static void test_explain_links(void **state)
{
	static const struct cause_case user_link = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, LINK_("/srv/locks/a.lock", "/etc/shadow", 4242, 'f', 0600, 0, 0,
				       "/etc/shadow") },
	};
	static const struct cause_case root_link = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, LINK_("/srv/locks/a.lock", "../real/a.lock", 0, 'f', 0600, 0, 0,
				       "/srv/real/a.lock") },
	};
	/* uid 4242's /srv/locks -> /etc: a file below it is root's. */
	static const struct cause_case dir_link = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV,
			  LINK_("/srv/locks", "/etc", 4242, 'd', 0755, 0, 0, "/etc"),
			  { "/srv/locks/shadow", 'f', 0600, 0, 0, .real = "/etc/shadow" } },
	};
	/* Root's /srv/locks -> /data/locks, whose real path is not known. */
	static const struct cause_case unknown_real = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV,
			  LINK_("/srv/locks", "/data/locks", 0, 'd', 0755, 0, 0, NULL),
			  { "/srv/locks/a.lock", 'f', 0600, 0, 0 } },
	};
	/* mkdir -p through a user's link would create as root where it points. */
	static const struct cause_case missing_via_link = {
		.sys = LT_SYS_OPENAT,
		.err = ENOENT,
		.flags = O_RDWR | O_CREAT,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV, LINK_("/srv/locks", "/etc", 4242, 'd', 0755, 0, 0, "/etc"),
			  MISSING("/srv/locks/cron.d"), MISSING("/srv/locks/cron.d/x.lock") },
	};
	static const struct cause_case stale_via_root_link = {
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.comp = { SRV,
			  LINK_("/srv/locks", "/run/lock", 0, 'd', 0755, 0, 0, "/run/lock"),
			  { "/srv/locks/a.lock", 'f', 0644, 0, 0, .real = "/run/lock/a.lock" } },
		.pidfile_pid = 999,
	};
	static const struct cause_case device_link = {
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, LINK_("/srv/locks/w.lock", "/dev/watchdog", 4242, 'c', 0600, 0, 0,
				       "/dev/watchdog") },
	};
	static const struct cause_case fifo = {
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.comp = { LOCKS, { "/srv/locks/f.lock", 'p', 0644, 4242, 4242 } },
	};
	/* uid 4242's /srv/locks -> /dev: rm of a name below it would remove a
	 * device node. */
	static const struct cause_case device_via_dir_link = {
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV,
			  LINK_("/srv/locks", "/dev", 4242, 'd', 0755, 0, 0, "/dev"),
			  { "/srv/locks/watchdog", 'c', 0600, 0, 0, .real = "/dev/watchdog" } },
	};
	static const struct cause_case protected = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { ROOT, DIR_("/tmp", 01777, 0, 0),
			  LINK_("/tmp/x.lock", "/srv/x.lock", 4343, 'f', 0666, 0, 0,
				"/srv/x.lock") },
	};
	struct lt_buf t = {}, j = {};

	(void)state;
	explain_case(&user_link, &t, &j);
	has(&t, "fix: /srv/locks/a.lock is a symbolic link of uid 4242 to /etc/shadow");
	has(&t, "uid 0's, not uid 4242's");
	has(&t, "(`rm /srv/locks/a.lock`)");
	lacks(&t, "`chown");
	lacks(&t, "`chmod");
	lacks(&t, "`chgrp");
	has(&j, "\"object\":{\"path\":\"/srv/locks/a.lock\",\"mode\":\"0600\",\"uid\":0");
	has(&j, "\"symlink\":{\"target\":\"/etc/shadow\",\"uid\":4242,\"gid\":4242}");
	has(&j, "\"real_path\":\"/etc/shadow\"");

	explain_case(&root_link, &t, &j);
	has(&t, "fix: /srv/locks/a.lock is /srv/real/a.lock through a symbolic link: give uid 4242 "
		"access: `chown 4242 /srv/real/a.lock`, or `chgrp 4242 /srv/real/a.lock` and "
		"`chmod g+rw /srv/real/a.lock`");
	lacks(&t, "`chown 4242 /srv/locks");
	lacks(&t, "`chmod g+rw /srv/locks");
	has(&j, "\"symlink\":{\"target\":\"../real/a.lock\",\"uid\":0,\"gid\":0}");

	explain_case(&dir_link, &t, &j);
	has(&t, "fix: /srv/locks is a symbolic link of uid 4242 to /etc");
	has(&t, "(`rm /srv/locks`)");
	lacks(&t, "`chown");
	lacks(&t, "`chmod");
	has(&j, "\"real_path\":\"/etc/shadow\"");
	lacks(&j, "\"symlink\""); /* the object is no link, one on its way is */

	explain_case(&unknown_real, &t, &j);
	has(&t, "could not be told: find the file (`readlink -f /srv/locks/a.lock`)");
	lacks(&t, "`chown");

	explain_case(&missing_via_link, &t, &j);
	has(&t, "(`rm /srv/locks`)");
	lacks(&t, "mkdir");

	explain_case(&stale_via_root_link, &t, &j);
	has(&t, "fix: /srv/locks/a.lock is /run/lock/a.lock through a symbolic link: pid 999 is "
		"gone: remove the stale lock file (`rm /run/lock/a.lock`)");

	explain_case(&device_link, &t, &j);
	has(&t, "fix: /srv/locks/w.lock is a symbolic link to /dev/watchdog, not a lock file");
	has(&t, "(`rm /srv/locks/w.lock`)");
	has(&j, "\"type\":\"chardev\",\"rdev\":\"10:130\",\"symlink\":{\"target\":"
		"\"/dev/watchdog\"");

	explain_case(&fifo, &t, &j);
	has(&t, "fix: /srv/locks/f.lock is a FIFO, not a lock file the program can create: remove "
		"it (`rm /srv/locks/f.lock`)");
	has(&j, "\"type\":\"fifo\"");

	explain_case(&device_via_dir_link, &t, &j);
	has(&t, "(`rm /srv/locks`)");
	lacks(&t, "rm /srv/locks/watchdog");

	explain_case(&protected, &t, &j);
	has(&t, "fs.protected_symlinks");
	has(&t, "(`chown -h 0 /tmp/x.lock`)");
	has(&t, "(`rm /tmp/x.lock`)");
	lt_buf_free(&t);
	lt_buf_free(&j);
}

/* --explain and the cause object on a terminal: a file name with a C1
 * control (CSI), a bidirectional override and a byte that is not UTF-8
 * never reaches it raw; the fix still names the file exactly. */
static void test_explain_terminal(void **state)
{
	static struct lt_obj objs[3];
	/* "/srv/x" CSI "2J" RLO "kcol." 0x9b ".lock" */
	static const char path[] = "/srv/x\xc2\x9b"
				   "2J\xe2\x80\xaekcol.\x9b.lock";
	struct lt_event *ev = cause_make_event(LT_SYS_OPENAT, EACCES, 4242, 4242, path);
	struct lt_cause_input in = {};
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};

	(void)state;
	ev->open_flags = O_RDWR;
	cause_obj_from(&objs[0], 'd', 0755, 0, 0, NULL);
	snprintf(objs[0].path, sizeof(objs[0].path), "/");
	cause_obj_from(&objs[1], 'd', 0755, 0, 0, NULL);
	snprintf(objs[1].path, sizeof(objs[1].path), "/srv");
	cause_obj_from(&objs[2], 'f', 0600, 0, 0, NULL);
	snprintf(objs[2].path, sizeof(objs[2].path), "%s", path);
	in.ev = ev;
	in.creds_in_init_userns = true;
	in.comp = objs;
	in.ncomp = 3;
	in.fd_accmode = -1;
	lt_cause_decide(&in, &v.cause);
	assert_int_equal(v.cause.kind, LT_CAUSE_DAC);
	lt_explain(&b, &v);
	assert_non_null(b.data);
	assert_null(strstr(b.data, "\xc2\x9b"));
	assert_null(strstr(b.data, "\xe2\x80\xae"));
	assert_null(strchr(b.data, '\x9b'));
	assert_non_null(strstr(
		b.data,
		"    why: dac: mode 0600 uid 0 gid 0 on /srv/x\\u009b2J\\u202ekcol.\\x9b.lock"));
	assert_non_null(
		strstr(b.data, "`chown 4242 $'/srv/x\\xc2\\x9b2J\\xe2\\x80\\xaekcol.\\x9b.lock'`"));
	lt_buf_reset(&b);
	lt_cause_json(&b, &v);
	assert_null(strstr(b.data, "\xc2\x9b"));
	assert_null(strstr(b.data, "\xe2\x80\xae"));
	assert_non_null(strstr(b.data, "/srv/x\\u009b2J\\u202ekcol.\xef\xbf\xbd.lock"));
	lt_buf_free(&b);
}

/* Golden output: every case through the decision, the JSON event line,
 * the text line and --explain, byte for byte against
 * tests/golden/explain.golden (LT_GOLDEN_UPDATE=1 rewrites it). */
static void golden_case(struct lt_buf *out, const struct cause_case *tc)
{
	static struct lt_cause_input in;
	struct lt_verdict v = { .in = &in };
	struct lt_fmt f = { .boot_to_real_ns = 1764000000LL * 1000000000LL, .columns = 120 };

	cause_build(tc, &in);
	lt_cause_decide(&in, &v.cause);
	lt_buf_printf(out, "== %s\n", tc->name);
	lt_format_json(out, in.ev, &v, &f);
	lt_buf_puts(out, "\n");
	f.wide = true;
	lt_format_text(out, in.ev, &v, &f);
	lt_buf_puts(out, "\n");
	lt_explain(out, &v);
}

static void test_golden(void **state)
{
	const char *here = __FILE__, *slash = strrchr(here, '/');
	struct lt_buf out = { 0 };
	char path[4096], *want = NULL;
	size_t i, wantlen = 0;
	FILE *fp;

	(void)state;
	for (i = 0; i < cause_ncases; i++)
		golden_case(&out, &cause_cases[i]);
	assert_false(out.oom);
	snprintf(path, sizeof(path), "%.*s/../golden/explain.golden",
		 slash ? (int)(slash - here) : 1, slash ? here : ".");
	if (getenv("LT_GOLDEN_UPDATE")) {
		fp = fopen(path, "w");
		assert_non_null(fp);
		assert_int_equal(fwrite(out.data, 1, out.len, fp), out.len);
		assert_int_equal(fclose(fp), 0);
	}
	fp = fopen(path, "r");
	if (!fp)
		fail_msg("%s: %s (LT_GOLDEN_UPDATE=1 writes it)", path, strerror(errno));
	want = malloc(out.len + 2);
	assert_non_null(want);
	wantlen = fread(want, 1, out.len + 1, fp);
	fclose(fp);
	if (wantlen != out.len || memcmp(want, out.data, out.len)) {
		for (i = 0; i < wantlen && i < out.len && want[i] == out.data[i]; i++)
			;
		fail_msg("%s differs at byte %zu: got \"%.80s\"", path, i, out.data + i);
	}
	free(want);
	lt_buf_free(&out);
}

int main(void)
{
	static const struct CMUnitTest direct[] = {
		cmocka_unit_test(test_explain_terminal),
		cmocka_unit_test(test_explain_links),
		cmocka_unit_test(test_golden),
	};

	return cmocka_run_group_tests(direct, NULL, NULL);
}
