// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for --attach (user/common/opts.c): the plans' table and the
 * option's parse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "locktrace.h"
#include "common/opts.h"

/* "locktrace" + @args (NULL-terminated) into @o; the parse's result. */
static int parse(struct lt_opts *o, char *err, size_t errlen, const char *const *args)
{
	char *argv[16];
	int argc = 0, ret;
	FILE *out = fopen("/dev/null", "w");

	assert_non_null(out);
	argv[argc++] = (char *)"locktrace";
	while (*args && argc < 15)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	ret = lt_parse_opts(argc, argv, false, o, err, errlen, out);
	fclose(out);
	return ret;
}

#define PARSE(o, err, ...)                                                \
	do {                                                              \
		static const char *const args_[] = { __VA_ARGS__, NULL }; \
		ret = parse(o, err, sizeof(err), args_);                  \
	} while (0)

/* The table: each plan by its name, in its order, with a description. */
static void test_table(void **state)
{
	static const char *const names[] = { "auto", "fexit", "syscalls", "raw" };
	enum lt_attach a;

	(void)state;
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
	assert_int_equal(lt_attach_parse("tracepoint", &a), -EINVAL);
}

/* --attach: auto by default, the last one given wins, anything else is
 * one line naming the four. */
static void test_option(void **state)
{
	struct lt_opts *o = calloc(1, sizeof(*o));
	char err[256];
	int ret;

	(void)state;
	assert_non_null(o);
	PARSE(o, err, "-j");
	assert_int_equal(ret, LT_PARSE_OK);
	assert_int_equal(o->attach, LT_ATTACH_AUTO);
	PARSE(o, err, "--attach", "syscalls");
	assert_int_equal(ret, LT_PARSE_OK);
	assert_int_equal(o->attach, LT_ATTACH_SYSCALLS);
	PARSE(o, err, "--attach", "raw", "--attach", "fexit");
	assert_int_equal(ret, LT_PARSE_OK);
	assert_int_equal(o->attach, LT_ATTACH_FEXIT);
	PARSE(o, err, "--attach", "tracepoint");
	assert_int_equal(ret, LT_PARSE_ERROR);
	assert_string_equal(err, "invalid --attach 'tracepoint': auto, fexit, syscalls or raw");
	PARSE(o, err, "--attach", "");
	assert_int_equal(ret, LT_PARSE_ERROR);
	PARSE(o, err, "--attach");
	assert_int_equal(ret, LT_PARSE_ERROR);
	assert_string_equal(err, "option '--attach' needs an argument (see --help)");
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
