// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for bpf/match.h, the glob matcher the kernel side runs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rng.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>
#include "locktrace.h"
#include "match.h"

#define BIG_BUDGET 100000u

static int glob(const char *pat, const char *str, __u32 budget)
{
	return lt_glob_match(pat, strlen(pat), 0xffffffffu, str, 0, strlen(str), 0xffffffffu,
			     budget);
}

static void expect(const char *pat, const char *str, int want)
{
	int got = glob(pat, str, BIG_BUDGET);

	if (got != want)
		fail_msg("pattern '%s' vs '%s': got %d, want %d", pat, str, got, want);
}

#define YES(p, s) expect(p, s, LT_MATCH)
#define NO(p, s) expect(p, s, LT_NOMATCH)

static void test_star(void **state)
{
	(void)state;
	YES("*.lock", "status.lock");
	YES("*.lock", ".lock");
	NO("*.lock", "a/b.lock"); /* '*' does not cross '/' */
	NO("*.lock", "status.lock.bak");
	NO("*.lock", "status.loc");
	YES("*", "");
	YES("*", "abc");
	NO("*", "a/b");
	YES("a*", "a");
	YES("a*", "abc");
	NO("a*", "a/");
	YES("*a*b*", "xxaxxbxx");
	NO("*a*b*", "xxbxxaxx");
	YES("LOCK", "LOCK");
	NO("LOCK", "LOCKS");
	NO("LOCK", "LOC");
}

static void test_double_star(void **state)
{
	(void)state;
	YES("**/locks/**", "/home/site/locks/status.lock");
	YES("**/locks/**", "/locks/x");
	YES("**/locks/**", "/a/locks/");
	NO("**/locks/**", "/home/site/lock/x");
	NO("**/locks/**", "/home/site/locksmith/x");
	NO("**/locks/**", "/home/site/locks");
	YES("/var/lock/**", "/var/lock/a/b");
	YES("/var/lock/**", "/var/lock/");
	NO("/var/lock/**", "/var/lock");
	NO("/var/lock/**", "/var/locks/a");
	YES("**", "");
	YES("**", "/a/b/c");
	YES("/home/**/*.lock", "/home/a/b/c.lock");
	YES("/home/**/*.lock", "/home/a/c.lock");
	NO("/home/**/*.lock", "/home/c.lock"); /* the '/' after '**' is literal */
	YES("/home/**/*.lock", "/home//c.lock"); /* ... and '**' may be empty */
	NO("/home/**/*.lock", "/home/a/b/c.lock/d");
	YES("**.lock", "/a/b.lock");
	YES("/a/**b", "/a/x/yb");
	YES("***", "/a/b"); /* '**' then '*' */
}

static void test_question_escape(void **state)
{
	(void)state;
	YES("?", "a");
	NO("?", "/");
	NO("?", "");
	NO("?", "ab");
	YES("a?c", "abc");
	NO("a?c", "a/c");
	YES("\\*", "*");
	NO("\\*", "a");
	NO("\\*", "");
	YES("a\\?b", "a?b");
	NO("a\\?b", "axb");
	YES("\\\\", "\\");
	YES("*\\*", "abc*");
	NO("*\\*", "abc");
	YES("a\\**", "a*bc");
	NO("a\\**", "abc");
}

static void test_empty_and_trailing(void **state)
{
	(void)state;
	YES("", "");
	NO("", "a");
	NO("a", "");
	YES("/tmp/*", "/tmp/");
	YES("/tmp/*", "/tmp/x");
	NO("/tmp/*", "/tmp/x/y");
	YES("/tmp/**", "/tmp/x/y");
	YES("/tmp/**", "/tmp/");
	NO("/tmp/**", "/tmp");
	YES("x**", "x");
	YES("x*", "x");
}

/* Every step is counted: a pathological pair runs out of budget. */
static void test_budget(void **state)
{
	char as[81];

	(void)state;
	memset(as, 'a', 80);
	as[80] = '\0';
	/* Single stars only: linear, one step per byte or so. */
	assert_int_equal(glob("*a*a*a*a*b", as + 40, 50), LT_NOMATCH);
	/* '**' then '*': every growth of '**' rescans the rest, about
	 * 1000 steps for 40 bytes. */
	assert_int_equal(glob("**a*a*a*a*b", as + 40, 50), LT_MATCH_BUDGET);
	assert_int_equal(glob("**a*a*a*a*b", as + 40, BIG_BUDGET), LT_NOMATCH);
	assert_int_equal(glob("**a*a*a*a*b", as, LT_MATCH_STEPS), LT_MATCH_BUDGET);
	assert_int_equal(glob("**aaaaaaaab", as + 40, 50), LT_MATCH_BUDGET);
	assert_int_equal(glob("**aaaaaaaab", as + 40, BIG_BUDGET), LT_NOMATCH);
	assert_int_equal(glob("*", "", 0), LT_MATCH_BUDGET);
	/* The kernel's budget suffices for ordinary lock paths. */
	assert_int_equal(glob("**/locks/**", "/home/site/locks/status.lock", LT_MATCH_STEPS),
			 LT_MATCH);
	assert_int_equal(glob("*.lock", "status.lock", LT_MATCH_STEPS), LT_MATCH);
}

/* Both buffers indexed through masks, the string at an offset. */
static void test_masking(void **state)
{
	char pat[LT_PATTERN_MAX] = { 0 };
	char buf[64];
	const char *path = "/home/site/locks/a.lock";
	__u32 len = strlen(path), soff;

	(void)state;
	strcpy(pat, "**/locks/*.lock");
	for (soff = 0; soff + len <= sizeof(buf); soff++) {
		memset(buf, '/', sizeof(buf));
		memcpy(buf + soff, path, len);
		assert_int_equal(lt_glob_match(pat, strlen(pat), LT_PATTERN_MAX - 1, buf, soff, len,
					       63, BIG_BUDGET),
				 LT_MATCH);
		/* Bytes around the string are not part of it. */
		assert_int_equal(lt_glob_match(pat, strlen(pat), LT_PATTERN_MAX - 1, buf, soff,
					       len - 1, 63, BIG_BUDGET),
				 LT_NOMATCH);
	}
	/* Basename at the end of a longer path. */
	memset(buf, 0, sizeof(buf));
	strcpy(buf, "/var/tmp/x.lock");
	assert_int_equal(lt_glob_match("*.lock", 6, 0xffffffffu, buf, 9, 6, 63, BIG_BUDGET),
			 LT_MATCH);
	assert_int_equal(lt_glob_match("*.lock", 6, 0xffffffffu, buf, 8, 7, 63, BIG_BUDGET),
			 LT_NOMATCH);
}

/* ---- Property test against a plain recursive matcher. ---- */

static bool ref_match(const char *p, size_t pl, const char *s, size_t sl)
{
	size_t i;

	if (pl == 0)
		return sl == 0;
	if (p[0] == '*') {
		bool dbl = pl >= 2 && p[1] == '*';
		size_t skip = dbl ? 2 : 1;

		for (i = 0; i <= sl; i++) {
			if (ref_match(p + skip, pl - skip, s + i, sl - i))
				return true;
			if (i < sl && !dbl && s[i] == '/')
				return false;
		}
		return false;
	}
	if (sl == 0)
		return false;
	if (p[0] == '?')
		return s[0] != '/' && ref_match(p + 1, pl - 1, s + 1, sl - 1);
	if (p[0] == '\\' && pl >= 2)
		return p[1] == s[0] && ref_match(p + 2, pl - 2, s + 1, sl - 1);
	return p[0] == s[0] && ref_match(p + 1, pl - 1, s + 1, sl - 1);
}

static void test_reference(void **state)
{
	static const char palpha[] = "ab/*?\\";
	static const char salpha[] = "ab/";
	char pat[9], str[13];
	int iter, matches = 0;

	(void)state;
	rng_state = 0x676c6f62u; /* fixed seed: deterministic */
	for (iter = 0; iter < 200000; iter++) {
		size_t pl = rng() % 9, sl = rng() % 13, i;
		bool want;
		int got;

		for (i = 0; i < pl; i++)
			pat[i] = palpha[rng() % (sizeof(palpha) - 1)];
		pat[pl] = '\0';
		for (i = 0; i < sl; i++)
			str[i] = salpha[rng() % (sizeof(salpha) - 1)];
		str[sl] = '\0';

		want = ref_match(pat, pl, str, sl);
		got = lt_glob_match(pat, pl, 0xffffffffu, str, 0, sl, 0xffffffffu, BIG_BUDGET);
		if (got != (want ? LT_MATCH : LT_NOMATCH))
			fail_msg("iteration %d: pattern '%s' vs '%s': matcher %d, reference %d",
				 iter, pat, str, got, want);
		matches += want;
	}
	/* Both outcomes were exercised. */
	assert_true(matches > 1000);
	assert_true(matches < 199000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_double_star),
		cmocka_unit_test(test_question_escape),
		cmocka_unit_test(test_empty_and_trailing),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_masking),
		cmocka_unit_test(test_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
