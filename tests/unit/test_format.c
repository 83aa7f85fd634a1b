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
	char raw[sizeof(struct lt_event) + LT_PATH_MAX];
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_view),
		cmocka_unit_test(test_json_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
