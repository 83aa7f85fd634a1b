// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/common/mountinfo.c: lines of mountinfo into their
 * fields, whatever names the mounts were given, however long. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/mountinfo.h"

static void test_fields(void **state)
{
	char line[] = "36 25 0:50 /site /home\\040site rw,nosuid shared:5 master:1 - cifs "
		      "//srv/share\\040x rw,vers=3.1.1\n";
	struct lt_mountinfo mi;

	(void)state;
	assert_int_equal(lt_mountinfo_parse(line, &mi), 0);
	assert_int_equal(mi.major, 0);
	assert_int_equal(mi.minor, 50);
	assert_string_equal(mi.root, "/site");
	assert_string_equal(mi.mount, "/home site");
	assert_string_equal(mi.options, "rw,nosuid");
	assert_string_equal(mi.type, "cifs");
	assert_string_equal(mi.source, "//srv/share x");
	assert_string_equal(mi.super, "rw,vers=3.1.1");
}

/* A name holding " - " (escaped by the kernel) is one field: the separator
 * is the kernel's own. */
static void test_escaped_separator(void **state)
{
	char line[] = "40 25 0:60 / /tmp/a\\040-\\040cifs\\040//evil rw - tmpfs none rw";
	struct lt_mountinfo mi;

	(void)state;
	assert_int_equal(lt_mountinfo_parse(line, &mi), 0);
	assert_string_equal(mi.mount, "/tmp/a - cifs //evil");
	assert_string_equal(mi.type, "tmpfs");
}

static void test_not_mountinfo(void **state)
{
	static const char *const bad[] = {
		"",
		"36 25 0:50 / /mnt rw cifs //s/x rw", /* no "-" */
		"36 25 0:50 / /mnt rw - cifs //s/x", /* no super options */
		"36 25 0x50 / /mnt rw - cifs //s/x rw", /* no maj:min */
		"36 25 :50 / /mnt rw - cifs //s/x rw",
		"36 25 0: / /mnt rw - cifs //s/x rw",
		"36 25 0:50z / /mnt rw - cifs //s/x rw",
		"36 25 0:50 / /mnt - cifs //s/x rw", /* options missing: "-" taken */
	};
	struct lt_mountinfo mi;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *l = strdup(bad[i]);

		assert_non_null(l);
		if (lt_mountinfo_parse(l, &mi) != -EINVAL)
			fail_msg("taken as mountinfo: '%s'", bad[i]);
		free(l);
	}
}

/* A mount point of 1,500 spaces is 6,000 bytes escaped: read whole, not as
 * pieces (of 4 KiB) a parse would skip, so its mount is found; lines around
 * it read as they are; a line that is none is skipped. */
static void test_long_line(void **state)
{
	size_t n = 1500, len = 0, cap = 0;
	char *text = malloc(n * 4 + 512), *line = NULL;
	struct lt_mountinfo mi;
	FILE *f;

	(void)state;
	assert_non_null(text);
	len += (size_t)sprintf(text, "1 0 8:1 / / rw - ext4 /dev/sda1 rw\ngarbage\n2 1 0:70 / /");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "\\040");
	len += (size_t)sprintf(text + len,
			       " rw - fuse.x src rw\n3 1 0:71 / /last rw - tmpfs t rw\n");
	f = fmemopen(text, len, "r");
	assert_non_null(f);
	assert_int_equal(lt_mountinfo_next(f, &line, &cap, &mi), 0);
	assert_string_equal(mi.type, "ext4");
	assert_int_equal(lt_mountinfo_next(f, &line, &cap, &mi), 0); /* "garbage" skipped */
	assert_int_equal(mi.minor, 70);
	assert_int_equal(strlen(mi.mount), n + 1);
	assert_int_equal(strspn(mi.mount + 1, " "), n);
	assert_string_equal(mi.type, "fuse.x");
	assert_int_equal(lt_mountinfo_next(f, &line, &cap, &mi), 0);
	assert_string_equal(mi.mount, "/last");
	assert_int_equal(lt_mountinfo_next(f, &line, &cap, &mi), -ENOENT);
	fclose(f);
	free(line);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_escaped_separator),
		cmocka_unit_test(test_not_mountinfo),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
