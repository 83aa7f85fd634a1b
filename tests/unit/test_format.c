// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/trace/format.c: the text view and JSON Lines of an event,
 * with names chosen to command a terminal or reorder what it shows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace/format.h"
#include "common/text.h"

static union {
	struct lt_event ev;
	char raw[sizeof(struct lt_event) + LT_PATH_MAX + 8 + sizeof(struct lt_hold) +
		 LT_HOLD_PATH_MAX];
} evbuf;

static struct lt_event *make_event(const char *path, const char *comm)
{
	struct lt_event *ev = &evbuf.ev;
	size_t n = strlen(path);

	memset(&evbuf, 0, sizeof(evbuf));
	ev->type = LT_REC_ACCESS;
	ev->syscall = LT_SYS_OPENAT;
	ev->ret = -EACCES;
	ev->uid = ev->fsuid = 4242;
	ev->tgid = ev->tid = 4000;
	ev->fd = AT_FDCWD;
	ev->open_flags = O_RDWR;
	memcpy(ev->path, path, n + 1);
	ev->path_len = (__u16)n;
	ev->arg_off = (__u16)n;
	ev->size = (__u32)(sizeof(*ev) + n + 1);
	snprintf(ev->comm, sizeof(ev->comm), "%s", comm);
	return ev;
}

/* No raw C1 control (U+0080..U+009F, 0xC2 0x80..0x9F), no raw
 * bidirectional control, no byte below 0x20. */
static void no_terminal_tricks(const char *s)
{
	static const char *const bad[] = { "\xc2\x9b",	   "\xc2\x85",	   "\xe2\x80\xae",
					   "\xe2\x80\xab", "\xe2\x81\xa6", "\xe2\x81\xa9",
					   "\xe2\x80\x8f", "\xd8\x9c" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strstr(s, bad[i]))
			fail_msg("raw sequence %zu in '%s'", i, s);
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			fail_msg("raw control byte 0x%02x in '%s'", (unsigned char)*p, s);
	assert_true(lt_utf8_valid(s, strlen(s)));
}

static void test_text_view(void **state)
{
	/* CSI "2J" (clear the screen), RLO (the name reads backwards),
	 * an isolate, NEL, RLM, ALM and a lone 0x9b byte (CSI for a terminal
	 * that takes 8-bit controls). */
	const char *path =
		"/tmp/x\xc2\x9b"
		"2J\xe2\x80\xaekcol.exe\xe2\x81\xa6i\xe2\x81\xa9\xc2\x85\xe2\x80\x8f\xd8\x9c"
		"\x9b.lock";
	struct lt_fmt f = { .columns = 400, .wide = true };
	struct lt_buf b = {};

	(void)state;
	lt_format_text(&b, make_event(path, "\xe2\x80\xaeplh"), NULL, &f);
	assert_false(b.oom);
	no_terminal_tricks(b.data);
	assert_non_null(strstr(b.data, "/tmp/x\\u009b2J\\u202ekcol.exe\\u2066i\\u2069\\u0085"
				       "\\u200f\\u061c\\x9b.lock"));
	assert_non_null(strstr(b.data, " \\u202eplh "));
	/* Shortened in the middle, still escaped. */
	f.wide = false;
	f.columns = 100;
	lt_buf_reset(&b);
	lt_format_text(&b, make_event(path, "w"), NULL, &f);
	no_terminal_tricks(b.data);
	lt_buf_free(&b);
}

static void test_json_line(void **state)
{
	const char *path = "/tmp/x\xc2\x9b"
			   "2J\xe2\x80\xaekcol.lock";
	struct lt_fmt f = { .columns = 120 };
	struct lt_buf b = {};

	(void)state;
	lt_format_json(&b, make_event(path, "w"), NULL, &f);
	assert_false(b.oom);
	no_terminal_tricks(b.data);
	assert_non_null(strstr(b.data, "\"path\":\"/tmp/x\\u009b2J\\u202ekcol.lock\""));
	/* Valid UTF-8 all along: no path_hex. */
	assert_null(strstr(b.data, "path_hex"));
	lt_buf_free(&b);
}

/* JSON of event e, for the checks below. */
static const char *json_of(struct lt_buf *b, const struct lt_event *e)
{
	struct lt_fmt f = { .columns = 120 };

	lt_buf_reset(b);
	lt_format_json(b, e, NULL, &f);
	assert_false(b->oom);
	return b->data;
}

static void has(const char *s, const char *want)
{
	if (!strstr(s, want))
		fail_msg("'%s' lacks '%s'", s, want);
}

static void lacks(const char *s, const char *unwanted)
{
	if (strstr(s, unwanted))
		fail_msg("'%s' has '%s'", s, unwanted);
}

/* I/O calls: the descriptor's flags, the descriptor, "io" with what the
 * call asked (by call), the inode with its flags; truncate by name has no
 * descriptor but its name; the text view names the call. */
static void test_io_events(void **state)
{
	struct lt_fmt f = { .columns = 200, .wide = true };
	struct lt_buf b = {};
	struct lt_event *e = make_event("/srv/locks/status.lock", "dotnet");
	const char *j;

	(void)state;
	e->syscall = LT_SYS_FTRUNCATE;
	e->ret = -EPERM;
	e->fd = 5;
	e->open_flags = O_WRONLY | O_APPEND;
	e->io_off = 0;
	e->ev_flags = LT_EVF_HAVE_INODE;
	e->ino = 77;
	e->dev = 8u << 20 | 1;
	e->i_mode = 0100666;
	e->i_flags = LT_S_APPEND;
	j = json_of(&b, e);
	has(j, "\"event\":\"truncate\",\"syscall\":\"ftruncate\"");
	has(j, "\"flags\":\"O_WRONLY|O_APPEND\",\"fd\":5,\"io\":{\"length\":0},\"ino\":77,"
	       "\"dev\":\"8:1\",\"inode\":{\"mode\":\"0666\",\"uid\":0,\"gid\":0,"
	       "\"fs_magic\":\"0x0\",\"mount_readonly\":false,\"append_only\":true}");
	has(j, "\"error\":\"EPERM\"");
	lacks(j, "path_arg");
	lt_buf_reset(&b);
	lt_format_text(&b, e, NULL, &f);
	has(b.data, " ftruncate 0    /srv/locks/status.lock EPERM");

	e->syscall = LT_SYS_PWRITE64;
	e->ret = -ENOSPC;
	e->io_off = 4096;
	e->io_len = 10;
	e->i_flags = 0;
	j = json_of(&b, e);
	has(j, "\"event\":\"write\",\"syscall\":\"pwrite64\"");
	has(j, "\"io\":{\"offset\":4096,\"count\":10}");
	lacks(j, "append_only");

	e->syscall = LT_SYS_WRITE;
	has(json_of(&b, e), "\"io\":{\"count\":10}");
	e->syscall = LT_SYS_READV;
	e->ret = -EBADF;
	e->io_len = 3;
	has(json_of(&b, e), "\"event\":\"read\",\"syscall\":\"readv\"");
	has(json_of(&b, e), "\"io\":{\"iovcnt\":3}");
	e->syscall = LT_SYS_PWRITEV2;
	e->io_off = -1;
	e->io_flags = 0x28;
	has(json_of(&b, e),
	    "\"io\":{\"offset\":-1,\"iovcnt\":3,\"flags\":\"RWF_NOWAIT|RWF_NOAPPEND\"}");
	e->syscall = LT_SYS_FALLOCATE;
	e->io_flags = 0x03;
	e->io_off = 0;
	e->io_len = 4096;
	j = json_of(&b, e);
	has(j, "\"event\":\"fallocate\",\"syscall\":\"fallocate\"");
	has(j, "\"io\":{\"mode\":\"FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE\",\"offset\":0,"
	       "\"len\":4096}");

	/* truncate by name, relative: its name as passed, no descriptor. */
	e = make_event("/srv/locks/status.lock", "sh");
	e->syscall = LT_SYS_TRUNCATE;
	e->ret = -EACCES;
	e->io_off = 8;
	e->arg_off = 11;
	e->ev_flags = LT_EVF_PATH_RESOLVED | LT_EVF_IA32;
	j = json_of(&b, e);
	has(j, "\"event\":\"truncate\",\"syscall\":\"truncate\",\"abi\":\"ia32\"");
	has(j, "\"path_arg\":\"status.lock\",\"io\":{\"length\":8},\"ret\":-13");
	lacks(j, "\"flags\"");
	lacks(j, "\"fd\"");
	lacks(j, "\"inode\"");
	lt_buf_free(&b);
}

/* --holders: @ev made a lock event, a struct lt_hold after its path. */
static struct lt_hold *make_hold(struct lt_event *ev, __u32 state, const char *source,
				 const char *fspath)
{
	struct lt_hold *h = (void *)(evbuf.raw + LT_HOLD_OFFSET(ev->path_len));

	ev->syscall = LT_SYS_FLOCK;
	ev->ret = 0;
	ev->fd = 7;
	ev->ev_flags |= LT_EVF_HAVE_HOLD | LT_EVF_HAVE_FL;
	ev->fl_flags = 2 | (state == LT_HOLD_RELEASED ? 64 : 0); /* FL_FLOCK, FL_CLOSE */
	ev->fl_type = state == LT_HOLD_RELEASED ? F_UNLCK : F_WRLCK;
	ev->fl_end = INT64_MAX;
	h->id = 4097;
	h->state = state;
	h->how = state == LT_HOLD_RELEASED ? LT_HOLD_CLOSE : LT_HOLD_CALL;
	h->flags = LT_HOLD_HAVE_FD;
	h->type = F_WRLCK;
	h->end = INT64_MAX;
	h->held_ns = 1250000000;
	snprintf(h->fstype, sizeof(h->fstype), "cifs");
	h->source_len = (__u16)strlen(source);
	memcpy(h->source, source, h->source_len + 1);
	h->path_len = (__u16)strlen(fspath);
	memcpy(h->path, fspath, h->path_len + 1);
	ev->size = (__u32)(LT_HOLD_OFFSET(ev->path_len) + sizeof(*h) + h->path_len + 1);
	return h;
}

/* A lock taken and let go on a share: its events, and the share it is on
 * whatever the mount point. */
static void test_hold_json(void **state)
{
	struct lt_fmt f = { .columns = 120 };
	struct lt_event *ev;
	struct lt_buf b = {};

	(void)state;
	ev = make_event("/mnt/b/locks/status.lock", "dotnet");
	make_hold(ev, LT_HOLD_ACQUIRED, "//FileSrv/Share/site", "/site/locks/status.lock");
	lt_format_json(&b, ev, NULL, &f);
	assert_false(b.oom);
	assert_non_null(strstr(b.data, "\"event\":\"lock_acquired\",\"syscall\":\"flock\""));
	assert_non_null(strstr(b.data, "\"flags\":\"LOCK_EX\",\"fd\":7,"));
	assert_non_null(strstr(b.data, "\"hold\":{\"id\":4097,\"kind\":\"flock\",\"type\":"
				       "\"F_WRLCK\",\"start\":0,\"end\":9223372036854775807,"
				       "\"fs\":\"cifs\",\"share\":\"//filesrv/share\","
				       "\"share_path\":\"/site/locks/status.lock\"}"));
	assert_null(strstr(b.data, "\"lock\":"));
	lt_buf_reset(&b);

	ev = make_event("/home/site/locks/status.lock", "dotnet");
	make_hold(ev, LT_HOLD_RELEASED, "//filesrv/share", "/site/locks/status.lock");
	lt_format_json(&b, ev, NULL, &f);
	assert_non_null(strstr(b.data, "\"event\":\"lock_released\",\"syscall\":\"close\""));
	assert_non_null(strstr(b.data, "\"flags\":\"LOCK_UN\",\"fd\":7,"));
	assert_non_null(strstr(b.data, "\"held_us\":1250000,\"release\":\"close\",\"fs\":\"cifs\""
				       ",\"share\":\"//filesrv/share\",\"share_path\":"
				       "\"/site/locks/status.lock\"}"));
	assert_non_null(strstr(b.data, "\"lock_layer\":{\"type\":\"F_UNLCK\",\"flags\":"
				       "\"FL_FLOCK|FL_CLOSE\""));
	lt_buf_reset(&b);

	lt_format_text(&b, ev, NULL, &f);
	assert_non_null(strstr(b.data, " released EX "));
	assert_non_null(strstr(b.data, " ok          hold 4097: held 1.250 s, let go at a close"));
	lt_buf_reset(&b);
	ev = make_event("/mnt/b/locks/status.lock", "dotnet");
	make_hold(ev, LT_HOLD_ACQUIRED, "//srv/share", "/locks/st\xe2\x80\xae.lock");
	lt_format_text(&b, ev, NULL, &f);
	no_terminal_tricks(b.data);
	assert_non_null(strstr(b.data, " acquired EX "));
	assert_non_null(strstr(b.data, "hold 4097 on //srv/share/locks/st\\u202e.lock"));
	lt_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_view),
		cmocka_unit_test(test_json_line),
		cmocka_unit_test(test_io_events),
		cmocka_unit_test(test_hold_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
