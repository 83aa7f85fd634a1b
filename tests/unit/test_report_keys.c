// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for the report's keyed tables on hostile recordings: keys
 * compared by their bytes and length (NULs, prefixes, equal hashes), and
 * the keyed hash spreading colliding keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "report_fixture.h"

/* Keys that differ after a NUL, keys that are prefixes of others, all with
 * the same hash: each its own item, found again exactly. */
static void test_keys_nul_prefix_equal_hash(void **state)
{
	static const struct {
		const char *s;
		size_t n;
	} keys[] = {
		{ "", 0 },     { "a", 1 },     { "a\0", 2 }, { "a\0b", 3 },
		{ "a\0c", 3 }, { "a\0bb", 4 }, { "ab", 2 },  { "a\0\0", 3 },
		{ "\0", 1 },   { "\0\0", 2 },  { "b", 1 },   { "a\0b\0", 4 },
	};
	struct lt_rep_tab *t;
	const size_t nk = sizeof(keys) / sizeof(keys[0]);

	(void)state;
	setup(10);
	t = &rep.paths;
	/* Key i is added i + 1 times, all under hash 42. */
	for (size_t round = 0; round < nk; round++)
		for (size_t i = round; i < nk; i++)
			assert_non_null(lt_rep_count_add(&rep, t, keys[i].s, keys[i].n, 42, 1));
	assert_int_equal(t->used, nk);
	for (size_t i = 0; i < nk; i++) {
		const struct lt_rep_count *c = find(t, keys[i].s, keys[i].n);

		assert_non_null(c);
		assert_int_equal(c->n, i + 1);
		assert_int_equal(c->key.hash, 42);
		/* Kept NUL-terminated as well (a convenience, not the key). */
		assert_int_equal(c->key.s[c->key.n], '\0');
	}
	/* The same bytes under another hash are another slot's business:
	 * never confused with the one under 42. */
	assert_non_null(lt_rep_count_add(&rep, t, "a", 1, 43, 1));
	assert_int_equal(t->used, nk + 1);
	lt_report_free(&rep);
}

/* The two-line recording that crashed the report: a path, then the same
 * path, a NUL and a megabyte more. Both are counted, apart. */
static void test_nul_in_path_two_lines(void **state)
{
	char *line, *p;
	size_t big = 1 << 20;
	const struct lt_rep_count *c;

	(void)state;
	setup(10);
	add("{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"open\",\"path\":\"/a\"}");
	line = malloc(big + 200);
	assert_non_null(line);
	p = line + sprintf(line, "{\"time\":\"2026-11-24T10:00:00Z\",\"event\":\"open\",\"path\":\""
				 "/a\\u0000");
	memset(p, 'b', big);
	strcpy(p + big, "\"}");
	add(line);
	free(line);
	lt_report_finish(&rep);
	assert_int_equal(rep.events, 2);
	assert_int_equal(rep.paths.used, 2);
	assert_non_null(find(&rep.paths, "/a", 2));
	/* The NUL kept as U+FFFD, the rest cut and marked. */
	c = NULL;
	for (size_t i = 0; i < rep.paths.cap; i++) {
		const struct lt_rep_count *x = rep.paths.slots[i];

		if (x && x->key.n > 2)
			c = x;
	}
	assert_non_null(c);
	assert_memory_equal(c->key.s,
			    "/a\xef\xbf\xbd"
			    "bbb",
			    8);
	assert_true(c->key.n <= LT_REP_STR_LONG + 40);
	assert_non_null(strstr(c->key.s, "b...[cut from 1048579 bytes]"));
	assert_null(memchr(c->key.s, '\0', c->key.n));
	assert_int_equal(rep.cut, 1);
	lt_report_free(&rep);
}

/* ---- the keyed hash -------------------------------------------------------- */

/* Home slots of the same keys in a table of @cap slots under two keys. */
static void test_seeds_move_slots(void **state)
{
	struct lt_report a, b;
	size_t same = 0;
	char k[32];

	(void)state;
	lt_report_init(&a, NULL);
	lt_report_init(&b, NULL);
	/* Fixed keys: the test does not depend on getrandom's luck. */
	a.hash_key[0] = 1;
	a.hash_key[1] = 2;
	b.hash_key[0] = 3;
	b.hash_key[1] = 4;
	for (int i = 0; i < 64; i++) {
		int n = snprintf(k, sizeof(k), "/srv/locks/%d.lock", i);

		same += (lt_rep_hash(&a, k, (size_t)n) & 1023) ==
			(lt_rep_hash(&b, k, (size_t)n) & 1023);
	}
	/* By chance about 64/1024 would agree. */
	assert_true(same < 8);
	lt_report_free(&a);
	lt_report_free(&b);
	/* And a report draws its own key. */
	lt_report_init(&a, NULL);
	lt_report_init(&b, NULL);
	assert_true(a.hash_key[0] != b.hash_key[0] || a.hash_key[1] != b.hash_key[1]);
	lt_report_free(&a);
	lt_report_free(&b);
}

/* 2000 paths made to share one FNV-1a home slot in a 4096-slot table (the
 * old tables' hash): under the keyed hash they spread, and no probe runs
 * long. */
static void test_fnv_collisions_spread(void **state)
{
	enum { N = 2000, MASK = 4095 };
	struct lt_rep_tab *t;
	char k[48];
	unsigned long long target = lt_fnv1a(LT_FNV_BASIS, "/c/0", 4) & MASK;
	size_t found = 0, homes = 0, maxprobe = 0;
	static bool home_used[MASK + 1];

	(void)state;
	setup(10);
	t = &rep.paths;
	for (unsigned long i = 0; found < N; i++) {
		int n = snprintf(k, sizeof(k), "/c/%lu", i);

		if ((lt_fnv1a(LT_FNV_BASIS, k, (size_t)n) & MASK) != target)
			continue;
		assert_non_null(lt_rep_count_add(&rep, t, k, (size_t)n,
						 lt_rep_hash(&rep, k, (size_t)n), 1));
		found++;
	}
	assert_int_equal(t->used, N);
	assert_int_equal(t->cap, MASK + 1);
	memset(home_used, 0, sizeof(home_used));
	for (size_t j = 0; j < t->cap; j++) {
		const struct lt_rep_key *key = t->slots[j];
		size_t home, probe;

		if (!key)
			continue;
		/* Every item's FNV home is the same one slot... */
		assert_int_equal(lt_fnv1a(LT_FNV_BASIS, key->s, key->n) & MASK, target);
		/* ...its keyed home is its own. */
		home = key->hash & MASK;
		homes += !home_used[home];
		home_used[home] = true;
		probe = (j - home) & MASK;
		if (probe > maxprobe)
			maxprobe = probe;
	}
	/* 2000 random homes in 4096 slots: about 1580 distinct. */
	assert_true(homes > 1300);
	assert_true(maxprobe < 64);
	lt_report_free(&rep);
}

/* ---- kinds and limits -------------------------------------------------------- */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_nul_prefix_equal_hash),
		cmocka_unit_test(test_nul_in_path_two_lines),
		cmocka_unit_test(test_seeds_move_slots),
		cmocka_unit_test(test_fnv_collisions_spread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
