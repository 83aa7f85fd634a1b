// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/common/pattern.c: validation, normalisation, defaults. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/types.h>
#include "locktrace.h"
#include "match.h"
#include "common/pattern.h"
#include "rng.h"

/* s with bytes outside printable ASCII as \xNN, for messages; two
 * buffers in turn, so one message may show two strings. */
static const char *show(const char *s)
{
	static char bufs[2][4 * 256 + 1];
	static int turn;
	char *buf = bufs[turn ^= 1];
	size_t n = 0;

	for (; *s && n + 5 < sizeof(bufs[0]); s++) {
		unsigned char c = *s;

		if (c < 0x20 || c >= 0x7f)
			n += snprintf(buf + n, sizeof(bufs[0]) - n, "\\x%02x", c);
		else
			buf[n++] = c;
	}
	buf[n] = '\0';
	return buf;
}

static void expect_compiled(const char *text, __u32 kind, const char *want)
{
	struct lt_pattern pat;
	char err[256] = "";
	int ret = lt_pattern_compile(text, &pat, err, sizeof(err));

	if (ret != 0)
		fail_msg("pattern '%s' rejected: %s", show(text), err);
	assert_int_equal(pat.kind, kind);
	assert_string_equal(pat.text, want);
	assert_int_equal(pat.len, strlen(want));
}

static void expect_rejected(const char *text)
{
	struct lt_pattern pat;
	char err[256] = "";
	size_t i;

	if (lt_pattern_compile(text, &pat, err, sizeof(err)) != -EINVAL)
		fail_msg("pattern '%s' accepted (compiled text of %u bytes)", show(text), pat.len);
	if (!err[0])
		fail_msg("pattern '%s' rejected without a reason", show(text));
	for (i = 0; err[i]; i++)
		if ((unsigned char)err[i] < 0x20 || err[i] == 0x7f)
			fail_msg("pattern '%s': reason has control byte 0x%02x at %zu: '%s'",
				 show(text), (unsigned char)err[i], i, show(err));
}

static void test_compile(void **state)
{
	(void)state;
	expect_compiled("*.lock", LT_PAT_BASENAME, "*.lock");
	expect_compiled("LOCK", LT_PAT_BASENAME, "LOCK");
	expect_compiled("\\*", LT_PAT_BASENAME, "\\*");
	expect_compiled("/var/lock/", LT_PAT_PATH, "/var/lock/**");
	expect_compiled("locks/", LT_PAT_PATH, "**/locks/**");
	expect_compiled("locks/x.lock", LT_PAT_PATH, "**/locks/x.lock");
	expect_compiled("/home/site/locks/*.lock", LT_PAT_PATH, "/home/site/locks/*.lock");
	expect_compiled("/", LT_PAT_PATH, "/**");
	expect_compiled("**/x.lock", LT_PAT_PATH, "**/x.lock");
}

static void test_longest(void **state)
{
	char text[LT_PATTERN_MAX + 8];

	(void)state;
	/* The longest pattern that fits, as is. */
	memset(text, 'a', LT_PATTERN_MAX - 1);
	text[0] = '/';
	text[LT_PATTERN_MAX - 1] = '\0';
	expect_compiled(text, LT_PAT_PATH, text);
	/* One byte more does not fit. */
	memset(text, 'a', LT_PATTERN_MAX);
	text[LT_PATTERN_MAX] = '\0';
	expect_rejected(text);
}

static void test_rejected(void **state)
{
	char longp[201];

	(void)state;
	expect_rejected("");
	expect_rejected("[ab].lock");
	expect_rejected("/x/[");
	memset(longp, 'x', 200);
	longp[200] = '\0';
	expect_rejected(longp);
	longp[0] = '/';
	expect_rejected(longp);
	expect_rejected("foo\\");
	expect_rejected("a\\\\\\");
	expect_rejected("a\x01.lock");
	expect_rejected("a\n.lock");
	expect_rejected("/tmp/\x7f");
	expect_rejected("\t");
	expect_rejected("\x1b[31m");
}

/* An escape does not make a control byte acceptable. */
static void test_rejected_escaped_control(void **state)
{
	(void)state;
	expect_rejected("a\\\n.lock");
	expect_rejected("a\\\x01");
}

/* The reason stays one line whatever else the pattern holds. */
static void test_reason_one_line(void **state)
{
	(void)state;
	expect_rejected("[\n]");
	expect_rejected("x[\x1b[2J");
}

static void test_err_small(void **state)
{
	struct lt_pattern pat;
	char err[8];

	(void)state;
	memset(err, 'X', sizeof(err));
	assert_int_equal(lt_pattern_compile("[x]", &pat, err, sizeof(err)), -EINVAL);
	assert_int_equal(strlen(err), sizeof(err) - 1);
}

static void test_defaults(void **state)
{
	struct lt_pattern pats[LT_MAX_PATTERNS];
	static const char *const yes[] = {
		"/home/site/locks/status.lock",
		"/tmp/x.lck",
		"/srv/db/LOCK",
		"/var/lock/anything",
		"/run/lock/sub/x",
		"/a/b/locks/c/d",
		"x.lock",
	};
	static const char *const no[] = {
		"/tmp/x.txt",	     "/tmp/LOCKS",  "/tmp/locksmith/x",
		"/tmp/x.lock.bak",   "/var/locker", "/run/lock",
		"/tmp/LOCK/x",	     "/x.lck/y",    "",
		"/home/site/lock/x",
	};
	size_t i;
	int n, k;

	(void)state;
	n = lt_default_patterns(pats, LT_MAX_PATTERNS);
	assert_int_equal(n, 6);
	for (k = 0; lt_default_pattern_texts[k]; k++)
		;
	assert_int_equal(k, 6);
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!lt_patterns_match(pats, n, yes[i], strlen(yes[i])))
			fail_msg("defaults do not match '%s'", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (lt_patterns_match(pats, n, no[i], strlen(no[i])))
			fail_msg("defaults match '%s'", no[i]);

	/* A smaller array gets what fits. */
	assert_int_equal(lt_default_patterns(pats, 2), 2);
	assert_string_equal(pats[0].text, "*.lock");
}

static void test_match(void **state)
{
	struct lt_pattern pat;
	char err[128];
	const char *p;

	(void)state;
	assert_int_equal(lt_pattern_compile("*.lock", &pat, err, sizeof(err)), 0);
	p = "/a.lock/b";
	assert_false(lt_pattern_match(&pat, p, strlen(p)));
	p = "/a/b.lock";
	assert_true(lt_pattern_match(&pat, p, strlen(p)));
	p = "b.lock";
	assert_true(lt_pattern_match(&pat, p, strlen(p)));
	/* Only len bytes count. */
	p = "/a/b.lock.bak";
	assert_true(lt_pattern_match(&pat, p, strlen("/a/b.lock")));

	assert_int_equal(lt_pattern_compile("locks/x.lock", &pat, err, sizeof(err)), 0);
	p = "/srv/locks/x.lock";
	assert_true(lt_pattern_match(&pat, p, strlen(p)));
	p = "/srv/locks/y/x.lock";
	assert_false(lt_pattern_match(&pat, p, strlen(p)));

	/* No patterns: nothing matches. */
	assert_false(lt_patterns_match(&pat, 0, p, strlen(p)));

	/* A pathological pattern still gets an answer, without a budget: past
	 * the back-tracking matcher's, from the state sets. */
	assert_int_equal(lt_pattern_compile("/**a*a*a*a*b", &pat, err, sizeof(err)), 0);
	p = "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
	assert_true(lt_pattern_match(&pat, p, strlen(p)));
	assert_false(lt_pattern_match(&pat, p, strlen(p) - 1));
}

/*
 * User space answers in time linear in the path (the paths are the
 * users'), in the kernel's language: the same answer as the kernel's
 * back-tracking matcher (given all the steps it needs) on random patterns
 * and paths of the characters that matter, both kinds of pattern.
 */
static void test_match_as_kernel(void **state)
{
	static const char alpha[] = "ab/*?\\";
	struct lt_pattern pat;
	char path[40];
	int iter, matches = 0;

	(void)state;
	rng_state = 0x6b65726eu; /* fixed seed: deterministic */
	for (iter = 0; iter < 300000; iter++) {
		size_t pl = rng() % 12, sl = rng() % 40, i, off = 0;
		bool got;
		int want;

		memset(&pat, 0, sizeof(pat));
		for (i = 0; i < pl; i++)
			pat.text[i] = alpha[rng() % (sizeof(alpha) - 1)];
		pat.len = pl;
		pat.kind = rng() % 4 ? LT_PAT_PATH : LT_PAT_BASENAME;
		for (i = 0; i < sl; i++)
			path[i] = alpha[rng() % (sizeof(alpha) - 1)];
		if (pat.kind == LT_PAT_BASENAME) {
			const char *slash = memrchr(path, '/', sl);

			off = slash ? (size_t)(slash + 1 - path) : 0;
		}
		want = lt_glob_match(pat.text, pat.len, 0xffffffffu, path + off, 0, sl - off,
				     0xffffffffu, 0xffffffffu);
		got = lt_pattern_match(&pat, path, sl);
		if (got != (want == LT_MATCH))
			fail_msg("iteration %d: pattern '%s' (kind %u) vs '%.*s': %d, kernel %d",
				 iter, show(pat.text), pat.kind, (int)sl, path, got, want);
		/* The fallback on its own: the back-tracking matcher answers
		 * these within its budget, so lt_pattern_match seldom asks it. */
		got = lt_glob_linear(pat.text, pat.len, path + off, sl - off);
		if (got != (want == LT_MATCH))
			fail_msg("iteration %d: pattern '%s' vs '%.*s': linear %d, kernel %d", iter,
				 show(pat.text), (int)(sl - off), path + off, got, want);
		matches += got;
	}
	assert_true(matches > 3000);
	assert_true(matches < 297000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_longest),
		cmocka_unit_test(test_rejected),
		cmocka_unit_test(test_rejected_escaped_control),
		cmocka_unit_test(test_reason_one_line),
		cmocka_unit_test(test_err_small),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_match_as_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
