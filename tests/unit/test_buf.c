// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/common/buf.c: the growable buffer, its growth and its
 * allocation failures. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/buf.h"
#include "common/text.h"

static void test_printf(void **state)
{
	struct lt_buf b = { 0 };
	char *big;
	size_t i;

	(void)state;
	lt_buf_printf(&b, "%s=%u", "pid", 42u);
	assert_string_equal(b.data, "pid=42");
	assert_int_equal(b.len, 6);
	lt_buf_printf(&b, "%s", "");
	assert_int_equal(b.len, 6);

	/* Longer than the room left: the buffer grows and nothing is lost. */
	big = malloc(100001);
	assert_non_null(big);
	for (i = 0; i < 100000; i++)
		big[i] = 'a' + i % 26;
	big[100000] = '\0';
	lt_buf_printf(&b, "[%s]", big);
	assert_false(b.oom);
	assert_int_equal(b.len, 6 + 100002);
	assert_int_equal(strlen(b.data), b.len);
	assert_memory_equal(b.data + 7, big, 100000);
	assert_int_equal(b.data[b.len - 1], ']');
	free(big);

	lt_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	lt_buf_printf(&b, "%05d|%x", 7, 255u);
	assert_string_equal(b.data, "00007|ff");
	lt_buf_free(&b);
}

static void test_growth(void **state)
{
	struct lt_buf b = { 0 };
	char chunk[4096];
	size_t i, total = 0, reallocs = 0, cap = 0;

	(void)state;
	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)('0' + i % 10);
	while (total <= 3 * 1024 * 1024) {
		lt_buf_put(&b, chunk, sizeof(chunk));
		lt_buf_put(&b, "x", 1);
		total += sizeof(chunk) + 1;
		if (b.cap != cap) {
			reallocs++;
			cap = b.cap;
		}
	}
	assert_false(b.oom);
	assert_int_equal(b.len, total);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	/* Geometric growth: few reallocations for 3 MiB. */
	assert_true(reallocs < 32);
	for (i = 0; i < total; i += sizeof(chunk) + 1) {
		assert_memory_equal(b.data + i, chunk, sizeof(chunk));
		assert_int_equal(b.data[i + sizeof(chunk)], 'x');
	}
	lt_buf_free(&b);
}

static void test_oom(void **state)
{
	struct lt_buf b = { 0 };

	(void)state;
	lt_buf_puts(&b, "ok");
	/* 2^61 bytes: more than any address space holds, so realloc fails
	 * (under a sanitizer, run with allocator_may_return_null=1). oom is
	 * set, nothing crashes, and the source is never read. */
	lt_buf_put(&b, "x", (size_t)1 << 61);
	assert_true(b.oom);
	assert_int_equal(b.len, 2);
	assert_string_equal(b.data, "ok");
	/* After oom nothing more is appended. */
	lt_buf_puts(&b, "more");
	lt_buf_printf(&b, "%d", 1);
	lt_json_str(&b, "s", 1);
	assert_int_equal(b.len, 2);
	assert_string_equal(b.data, "ok");
	/* A size that would overflow size_t. */
	lt_buf_reset(&b);
	assert_false(b.oom);
	lt_buf_put(&b, "x", SIZE_MAX);
	assert_true(b.oom);
	lt_buf_reset(&b);
	lt_json_hex(&b, "x", SIZE_MAX / 2 + 1);
	assert_true(b.oom);
	/* reset clears it and the buffer works again. */
	lt_buf_reset(&b);
	lt_buf_puts(&b, "again");
	assert_false(b.oom);
	assert_string_equal(b.data, "again");
	lt_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
