// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for what a lock file says of its owner (user/cause/owner.c):
 * the pid forms ("4711", "4711@web-1", "4711 web-1") with hostile pids
 * and hosts, the host comparison, and which failures read the lock file
 * at all. JSON objects: test_owner_json.c.
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
#include <sys/file.h>
#include <sys/stat.h>
#include "cause/owner.h"
#include "common/text.h"

static struct lt_owner_hint h;

/* Parse s (n bytes, or strlen) as a whole file. */
static enum lt_owner_form parse_n(const char *s, size_t n)
{
	return lt_owner_parse(s, n, NULL, 0, &h);
}

static enum lt_owner_form parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* Nothing recognised: the hint is all zeroes. */
static void none(const char *s, size_t n)
{
	static const struct lt_owner_hint zero;

	if (parse_n(s, n) != LT_OWNER_NONE)
		fail_msg("\"%.*s\" parsed as %s", (int)n, s, lt_owner_form_name(h.form));
	assert_memory_equal(&h, &zero, sizeof(h));
}

#define NONE(s) none(s, sizeof(s) - 1)

static void test_pid(void **state)
{
	(void)state;
	assert_int_equal(parse("4711"), LT_OWNER_PID);
	assert_int_equal(h.pid, 4711);
	assert_string_equal(h.host, "");
	assert_int_equal(parse("4711\n"), LT_OWNER_PID);
	assert_int_equal(parse("4711\r\n"), LT_OWNER_PID);
	assert_int_equal(parse("  \t\n 4711  \n"), LT_OWNER_PID);
	assert_int_equal(h.pid, 4711);
	assert_int_equal(parse("0004711\n"), LT_OWNER_PID);
	assert_int_equal(h.pid, 4711);
	/* A pid file with more lines (postmaster.pid): the first counts. */
	assert_int_equal(parse("4711\n/var/lib/data\n1732000000\n"), LT_OWNER_PID);
	assert_int_equal(h.pid, 4711);
	/* NUL padding after it, a byte order mark before it. */
	assert_int_equal(parse_n("4711\0\0\0\0", 8), LT_OWNER_PID);
	assert_int_equal(parse("\xef\xbb\xbf"
			       "4711"),
			 LT_OWNER_PID);
	assert_int_equal(h.pid, 4711);
	assert_int_equal(parse("1"), LT_OWNER_PID);
	assert_int_equal(h.pid, 1);
	assert_int_equal(parse("4194304"), LT_OWNER_PID);
	assert_int_equal(h.pid, 4194304);
}

static void test_pid_rejected(void **state)
{
	(void)state;
	NONE("");
	NONE("\n\n");
	NONE("0");
	NONE("0\n");
	NONE("-1");
	NONE("-4711\n");
	NONE("+4711");
	NONE("4194305");
	NONE("4294967297"); /* 2^32 + 1: no wrap to 1 */
	NONE("18446744073709551617");
	NONE("99999999999999999999999999999999999999999");
	NONE("00000000004711"); /* more digits than any pid has */
	NONE("4711abc");
	NONE("47.11");
	NONE("0x1267");
	NONE("abc");
	NONE("4711 is mine");
	NONE("\0"
	     "4711");
	NONE("4711\0garbage");
	NONE("\x1b[2J4711");
	NONE("4711\x1b[2J");
	NONE("[4711]");
	/* Only the first line: a pid further down is not the owner. */
	NONE("\xef\xbb\xbfowner\n4711\n");
}

static void test_pid_at_host(void **state)
{
	(void)state;
	assert_int_equal(parse("4711@web-1"), LT_OWNER_PID_AT_HOST);
	assert_int_equal(h.pid, 4711);
	assert_string_equal(h.host, "web-1");
	assert_false(h.this_host);
	assert_false(h.cut);
	assert_int_equal(parse("4711@web-1.example.com\r\n"), LT_OWNER_PID_AT_HOST);
	assert_string_equal(h.host, "web-1.example.com");
	assert_int_equal(parse("4711@10.0.0.5\n"), LT_OWNER_PID_AT_HOST);
	assert_string_equal(h.host, "10.0.0.5");
	assert_int_equal(parse_n("4711@web_1\0\0", 12), LT_OWNER_PID_AT_HOST);
	assert_string_equal(h.host, "web_1");
	/* git's gc.pid: "pid host". */
	assert_int_equal(parse("4711 web-1\n"), LT_OWNER_PID_HOST);
	assert_int_equal(h.pid, 4711);
	assert_string_equal(h.host, "web-1");
	assert_int_equal(parse("4711\t \tweb-1  "), LT_OWNER_PID_HOST);
	assert_string_equal(h.host, "web-1");
}

/* Hosts whoever writes the file chooses: only DNS names are hosts. */
static void test_pid_at_hostile_host(void **state)
{
	char buf[600];

	(void)state;
	NONE("4711@");
	NONE("4711@\n");
	NONE("0@web-1");
	NONE("-1@web-1");
	NONE("99999999999@web-1");
	NONE("4711@-web");
	NONE("4711@.web");
	NONE("4711@web 1");
	NONE("4711@web\x1b[2J");
	NONE("4711@\x1b]0;owned\x07");
	NONE("4711@web\xc2\x9b"
	     "31m");
	NONE("4711@web\xe2\x80\xae"
	     "1");
	NONE("4711@we\xff"
	     "b");
	NONE("4711@web`rm -rf /`");
	NONE("4711@web$(id)");
	NONE("4711@web'x'");
	NONE("4711@web/../x");
	NONE("4711@web\0x");
	NONE("4711@@web");
	NONE("4711@web@web");
	/* Longer than a DNS name. */
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "4711@", 5);
	none(buf, 5 + 254);
	none(buf, sizeof(buf));
	/* A DNS name longer than the field: cut, and said. */
	assert_int_equal(parse_n(buf, 5 + 253), LT_OWNER_PID_AT_HOST);
	assert_true(h.cut);
	assert_int_equal(strlen(h.host), LT_OWNER_FIELD - 1);
}

static void test_same_host(void **state)
{
	(void)state;
	assert_true(lt_owner_same_host("web-1", "web-1"));
	assert_true(lt_owner_same_host("WEB-1", "web-1"));
	assert_true(lt_owner_same_host("web-1", "web-1.example.com"));
	assert_true(lt_owner_same_host("web-1.example.com", "WEB-1"));
	assert_true(lt_owner_same_host("web-1.example.com", "web-1.example.com"));
	assert_false(lt_owner_same_host("web-1.a.com", "web-1.b.com"));
	assert_false(lt_owner_same_host("web-10", "web-1"));
	assert_false(lt_owner_same_host("web", "web-1"));
	assert_false(lt_owner_same_host("web-1", "web-2.example.com"));
	assert_false(lt_owner_same_host("", "web-1"));
	assert_false(lt_owner_same_host("web-1", ""));
	assert_false(lt_owner_same_host("", ""));
}

/* Which failures read the lock file. */
static struct lt_event *event(__u32 sys, int err, __u32 open_flags, const char *path)
{
	static char ev_buf[sizeof(struct lt_event) + LT_PATH_MAX];
	struct lt_event *ev = (struct lt_event *)ev_buf;

	memset(ev_buf, 0, sizeof(ev_buf));
	ev->syscall = sys;
	ev->ret = -err;
	ev->open_flags = open_flags;
	snprintf(ev->path, LT_PATH_MAX, "%s", path);
	ev->path_len = strlen(path);
	return ev;
}

static void test_wanted(void **state)
{
	static struct lt_obj comp[3];
	struct lt_cause_input in = { 0 };

	(void)state;
	memset(comp, 0, sizeof(comp));
	snprintf(comp[0].path, LT_PATH_MAX, "/");
	snprintf(comp[1].path, LT_PATH_MAX, "/locks");
	snprintf(comp[2].path, LT_PATH_MAX, "/locks/a.lock");
	comp[0].exists = comp[1].exists = comp[2].exists = true;
	comp[0].mode = comp[1].mode = S_IFDIR | 0755;
	comp[2].mode = S_IFREG | 0644;
	in.comp = comp;
	in.ncomp = 3;
	snprintf(in.fs.type, sizeof(in.fs.type), "ext4");
	in.fs.known = true;

	/* An existing lock file. */
	in.ev = event(LT_SYS_OPENAT, EEXIST, LT_O_CREAT | LT_O_EXCL | 1, "/locks/a.lock");
	assert_true(lt_owner_wanted(&in));
	in.ev = event(LT_SYS_OPENAT, EEXIST, LT_O_CREAT | 1, "/locks/a.lock");
	assert_false(lt_owner_wanted(&in));
	/* A refused lock call: only with no holder seen here. */
	in.ev = event(LT_SYS_FLOCK, EAGAIN, 0, "/locks/a.lock");
	assert_true(lt_owner_wanted(&in));
	in.ev = event(LT_SYS_FCNTL, EACCES, 0, "/locks/a.lock");
	assert_true(lt_owner_wanted(&in));
	in.nholders = 1;
	assert_false(lt_owner_wanted(&in));
	in.ev = event(LT_SYS_FLOCK, EBADF, 0, "/locks/a.lock");
	in.nholders = 0;
	assert_false(lt_owner_wanted(&in));
	/* A refused open on a local filesystem: the bits say why. */
	in.ev = event(LT_SYS_OPENAT, EACCES, 2, "/locks/a.lock");
	assert_false(lt_owner_wanted(&in));
	/* Anything on a network or FUSE filesystem, holder or not. */
	snprintf(in.fs.type, sizeof(in.fs.type), "cifs");
	assert_true(lt_owner_wanted(&in));
	snprintf(in.fs.type, sizeof(in.fs.type), "nfs4");
	assert_true(lt_owner_wanted(&in));
	snprintf(in.fs.type, sizeof(in.fs.type), "fuse.sshfs");
	in.ev = event(LT_SYS_FLOCK, EAGAIN, 0, "/locks/a.lock");
	in.nholders = 1;
	assert_true(lt_owner_wanted(&in));
	in.fs.known = false;
	assert_false(lt_owner_wanted(&in));
	in.fs.known = true;
	/* Never what is not the lock file itself, a regular file, no link. */
	in.ev = event(LT_SYS_OPENAT, EACCES, 2, "/locks/a.lock/x");
	assert_false(lt_owner_wanted(&in));
	in.ev = event(LT_SYS_OPENAT, EACCES, 2, "/locks/a.lock");
	comp[2].mode = S_IFIFO | 0644;
	assert_false(lt_owner_wanted(&in));
	comp[2].mode = S_IFCHR | 0644;
	assert_false(lt_owner_wanted(&in));
	comp[2].mode = S_IFDIR | 0755;
	assert_false(lt_owner_wanted(&in));
	comp[2].mode = S_IFREG | 0644;
	comp[2].is_link = true;
	assert_false(lt_owner_wanted(&in));
	comp[2].is_link = false;
	comp[2].exists = false;
	assert_false(lt_owner_wanted(&in));
	comp[2].exists = true;
	assert_true(lt_owner_wanted(&in));
	/* Not when the facts could not all be looked up, nor for a success. */
	in.note.state = LT_FACTS_TIMEOUT;
	assert_false(lt_owner_wanted(&in));
	in.note.state = LT_FACTS_COMPLETE;
	in.ev = event(LT_SYS_OPENAT, 0, 2, "/locks/a.lock");
	assert_false(lt_owner_wanted(&in));
	in.ncomp = 0;
	in.ev = event(LT_SYS_OPENAT, EACCES, 2, "/locks/a.lock");
	assert_false(lt_owner_wanted(&in));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pid),	    cmocka_unit_test(test_pid_rejected),
		cmocka_unit_test(test_pid_at_host), cmocka_unit_test(test_pid_at_hostile_host),
		cmocka_unit_test(test_same_host),   cmocka_unit_test(test_wanted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
