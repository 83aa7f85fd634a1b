// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/json.c: the growable buffer and JSON strings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rng.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"

#define FFFD "\xef\xbf\xbd"

/* lt_json_str(s[0..n)) into a fresh buffer; compare with want. */
static void check_str(const char *s, size_t n, const char *want)
{
	struct lt_buf b = { 0 };

	lt_json_str(&b, s, n);
	assert_false(b.oom);
	assert_non_null(b.data);
	assert_int_equal(b.len, strlen(b.data));
	if (strcmp(b.data, want))
		fail_msg("input of %zu bytes: got '%s', want '%s'", n, b.data, want);
	lt_buf_free(&b);
}

#define CHECK(lit, want) check_str(lit, sizeof(lit) - 1, want)

/* ---- An independent strict checker for one JSON string. ---- */

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode one UTF-8 sequence at s[0..n): its length, 0 if invalid. */
static size_t ref_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		v = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		v = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		v = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

static bool ref_utf8_valid(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t i = 0, k;

	while (i < n) {
		k = ref_utf8(s + i, n - i, &cp);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/*
 * Is j[0..n) exactly one strict JSON string? If so, and dec is not NULL,
 * the decoded bytes (\u escapes of U+0000..U+007F only, which is all the
 * encoder may produce) go to dec and their count to *declen.
 */
static bool json_string_ok(const char *js, size_t n, char *dec, size_t *declen)
{
	const unsigned char *j = (const unsigned char *)js;
	size_t i, d = 0;

	if (n < 2 || j[0] != '"' || j[n - 1] != '"')
		return false;
	if (!ref_utf8_valid(j, n))
		return false;
	for (i = 1; i < n - 1; i++) {
		unsigned char c = j[i], out = c;

		if (c < 0x20 || c == '"')
			return false;
		if (c == '\\') {
			if (i + 1 >= n - 1)
				return false;
			c = j[++i];
			switch (c) {
			case '"':
			case '\\':
			case '/':
				out = c;
				break;
			case 'b':
				out = '\b';
				break;
			case 'f':
				out = '\f';
				break;
			case 'n':
				out = '\n';
				break;
			case 'r':
				out = '\r';
				break;
			case 't':
				out = '\t';
				break;
			case 'u': {
				int k, v = 0;

				if (i + 4 >= n - 1)
					return false;
				for (k = 1; k <= 4; k++) {
					int h = hexval(j[i + k]);

					if (h < 0)
						return false;
					v = v << 4 | h;
				}
				if (v > 0x7f)
					return false; /* not from this encoder */
				out = (unsigned char)v;
				i += 4;
				break;
			}
			default:
				return false;
			}
		}
		if (dec)
			dec[d] = (char)out;
		d++;
	}
	if (declen)
		*declen = d;
	return true;
}

/* ---- Fixed cases. ---- */

static void test_plain(void **state)
{
	(void)state;
	CHECK("", "\"\"");
	CHECK("abc", "\"abc\"");
	CHECK("/home/site/locks/status.lock", "\"/home/site/locks/status.lock\"");
	/* '/' needs no escape. */
	CHECK("a/b", "\"a/b\"");
}

static void test_escapes(void **state)
{
	(void)state;
	CHECK("a\"b\\c", "\"a\\\"b\\\\c\"");
	CHECK("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	CHECK("\b\f", "\"\\b\\f\"");
	CHECK("\x01", "\"\\u0001\"");
	CHECK("\x1f", "\"\\u001f\"");
	CHECK("\x7f", "\"\\u007f\"");
	CHECK("x\x1b[0m", "\"x\\u001b[0m\"");
	/* An embedded NUL is data, not the end. */
	CHECK("a\0b", "\"a\\u0000b\"");
	CHECK("\0", "\"\\u0000\"");
}

static void test_utf8_valid_kept(void **state)
{
	(void)state;
	CHECK("\xc3\xa9", "\"\xc3\xa9\""); /* é */
	CHECK("\xe2\x82\xac", "\"\xe2\x82\xac\""); /* € */
	CHECK("\xf0\x9d\x84\x9e", "\"\xf0\x9d\x84\x9e\""); /* 𝄞 */
	CHECK("caf\xc3\xa9/\xe2\x82\xac.lock", "\"caf\xc3\xa9/\xe2\x82\xac.lock\"");
	CHECK("\xc2\x80", "\"\xc2\x80\""); /* U+0080, smallest 2-byte */
	CHECK("\xef\xbf\xbf", "\"\xef\xbf\xbf\""); /* U+FFFF */
	CHECK("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\""); /* U+10FFFF */
	CHECK("\xed\x9f\xbf", "\"\xed\x9f\xbf\""); /* U+D7FF */
	CHECK("\xee\x80\x80", "\"\xee\x80\x80\""); /* U+E000 */
}

static void test_utf8_invalid_replaced(void **state)
{
	(void)state;
	/* Every byte outside a valid sequence becomes one U+FFFD. */
	CHECK("\xff", "\"" FFFD "\"");
	CHECK("a\xffz", "\"a" FFFD "z\"");
	CHECK("\xe2\x82", "\"" FFFD FFFD "\""); /* truncated */
	CHECK("\xe2\x82x", "\"" FFFD FFFD "x\"");
	CHECK("\xc0\xaf", "\"" FFFD FFFD "\""); /* overlong '/' */
	CHECK("\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\""); /* overlong */
	CHECK("\xf0\x80\x80\xaf", "\"" FFFD FFFD FFFD FFFD "\""); /* overlong */
	CHECK("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\""); /* U+D800 */
	CHECK("\xed\xbf\xbf", "\"" FFFD FFFD FFFD "\""); /* U+DFFF */
	CHECK("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""); /* > U+10FFFF */
	CHECK("\xf5\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"");
	CHECK("\x80", "\"" FFFD "\""); /* lone continuation */
	CHECK("\xc3", "\"" FFFD "\""); /* cut at the end */
	CHECK("\xc3\xa9\xc3", "\"\xc3\xa9" FFFD "\"");
	/* A bad lead followed by a good sequence keeps the good one. */
	CHECK("\xc3\xc3\xa9", "\"" FFFD "\xc3\xa9\"");
	/* Replacement and escapes mixed. */
	CHECK("\xff\n\"", "\"" FFFD "\\n\\\"\"");
}

static void test_utf8_valid_fn(void **state)
{
	(void)state;
	assert_true(lt_utf8_valid("", 0));
	assert_true(lt_utf8_valid("abc", 3));
	assert_true(lt_utf8_valid("\0", 1));
	assert_true(lt_utf8_valid("\xc3\xa9", 2));
	assert_true(lt_utf8_valid("\xe2\x82\xac", 3));
	assert_true(lt_utf8_valid("\xf0\x9d\x84\x9e", 4));
	assert_true(lt_utf8_valid("\xf4\x8f\xbf\xbf", 4));
	assert_false(lt_utf8_valid("\xff", 1));
	assert_false(lt_utf8_valid("\x80", 1));
	assert_false(lt_utf8_valid("\xc3", 1));
	assert_false(lt_utf8_valid("\xe2\x82", 2));
	assert_false(lt_utf8_valid("\xc0\xaf", 2));
	assert_false(lt_utf8_valid("\xc1\xbf", 2));
	assert_false(lt_utf8_valid("\xe0\x9f\xbf", 3));
	assert_false(lt_utf8_valid("\xed\xa0\x80", 3));
	assert_false(lt_utf8_valid("\xf0\x8f\xbf\xbf", 4));
	assert_false(lt_utf8_valid("\xf4\x90\x80\x80", 4));
	assert_false(lt_utf8_valid("\xf8\x88\x80\x80\x80", 5));
	/* Only n bytes count: a sequence cut by n is invalid. */
	assert_false(lt_utf8_valid("\xc3\xa9", 1));
	assert_true(lt_utf8_valid("a\xff", 1));
}

/* ---- Property test: random bytes always give valid JSON. ---- */

/* Append a random valid UTF-8 encoding of one code point to s. */
static size_t put_codepoint(unsigned char *s)
{
	uint32_t cp;

	switch (rng() % 4) {
	case 0:
		cp = rng() % 0x80;
		s[0] = (unsigned char)cp;
		return 1;
	case 1:
		cp = 0x80 + rng() % (0x800 - 0x80);
		s[0] = 0xc0 | cp >> 6;
		s[1] = 0x80 | (cp & 0x3f);
		return 2;
	case 2:
		do
			cp = 0x800 + rng() % (0x10000 - 0x800);
		while (cp >= 0xd800 && cp <= 0xdfff);
		s[0] = 0xe0 | cp >> 12;
		s[1] = 0x80 | (cp >> 6 & 0x3f);
		s[2] = 0x80 | (cp & 0x3f);
		return 3;
	default:
		cp = 0x10000 + rng() % (0x110000 - 0x10000);
		s[0] = 0xf0 | cp >> 18;
		s[1] = 0x80 | (cp >> 12 & 0x3f);
		s[2] = 0x80 | (cp >> 6 & 0x3f);
		s[3] = 0x80 | (cp & 0x3f);
		return 4;
	}
}

/* Bytes that make encoders stumble. */
static const unsigned char nasty[] = { 0x00, 0x01, 0x1f, 0x20, '"',  '\\', '/',	 0x7f,
				       0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed,
				       0xef, 0xf0, 0xf4, 0xf5, 0xff, 'u',  'a',	 '\n' };

static size_t random_input(unsigned char *s, size_t max)
{
	size_t len = rng() % (max + 1), n = 0;
	unsigned mode = rng() % 3;

	while (n < len) {
		uint64_t r = rng();

		if (mode == 0) {
			s[n++] = (unsigned char)r; /* any byte */
		} else if (mode == 1 || r % 8 == 0) {
			s[n++] = nasty[(r >> 8) % sizeof(nasty)];
		} else {
			unsigned char cp[4];
			size_t k = put_codepoint(cp);

			if (n + k > len)
				break;
			memcpy(s + n, cp, k);
			n += k;
		}
	}
	return n;
}

static void test_random_strings(void **state)
{
	struct lt_buf b = { 0 };
	unsigned char in[64];
	char dec[64 * 4];
	int iter, roundtrips = 0;

	(void)state;
	rng_state = 0x6c6f636b74726163ull; /* fixed seed: deterministic */
	for (iter = 0; iter < 10000; iter++) {
		size_t n = random_input(in, sizeof(in)), declen = 0;

		lt_buf_reset(&b);
		lt_json_str(&b, (const char *)in, n);
		assert_false(b.oom);
		if (!json_string_ok(b.data, b.len, dec, &declen)) {
			char hex[64 * 2 + 1];
			size_t i;

			for (i = 0; i < n; i++)
				snprintf(hex + 2 * i, 3, "%02x", in[i]);
			hex[2 * n] = '\0';
			fail_msg("iteration %d: input %s gave invalid JSON string '%s'", iter, hex,
				 b.data);
		}
		/* Valid UTF-8 goes through unchanged. */
		if (ref_utf8_valid(in, n)) {
			assert_true(lt_utf8_valid((const char *)in, n));
			assert_int_equal(declen, n);
			assert_memory_equal(dec, in, n);
			roundtrips++;
		} else {
			assert_false(lt_utf8_valid((const char *)in, n));
		}
	}
	/* The generator reached both kinds of input. */
	assert_true(roundtrips > 1000);
	assert_true(roundtrips < 9000);
	lt_buf_free(&b);
}

/* The checker itself rejects what it must. */
static void test_checker(void **state)
{
	(void)state;
	assert_true(json_string_ok("\"a\\u00e9\\n\"", 11, NULL, NULL) == false);
	assert_true(json_string_ok("\"a\\u007f\\n\"", 11, NULL, NULL));
	assert_false(json_string_ok("\"a\nb\"", 5, NULL, NULL));
	assert_false(json_string_ok("\"a\"b\"", 5, NULL, NULL));
	assert_false(json_string_ok("\"a\\\"", 4, NULL, NULL));
	assert_false(json_string_ok("\"\\x41\"", 6, NULL, NULL));
	assert_false(json_string_ok("\"\xff\"", 3, NULL, NULL));
	assert_false(json_string_ok("\"", 1, NULL, NULL));
	assert_false(json_string_ok("abc", 3, NULL, NULL));
}

/* ---- Keys, hex, the buffer. ---- */

static void test_key_hex(void **state)
{
	struct lt_buf b = { 0 };
	bool first = true;

	(void)state;
	lt_buf_puts(&b, "{");
	lt_json_key(&b, "event", &first);
	assert_false(first);
	lt_json_str(&b, "open", 4);
	lt_json_key(&b, "ret", &first);
	lt_buf_printf(&b, "%d", -13);
	lt_json_key(&b, "raw", &first);
	lt_json_hex(&b, "\x00\xff\x10z", 4);
	lt_json_key(&b, "empty", &first);
	lt_json_hex(&b, "", 0);
	lt_buf_puts(&b, "}");
	assert_false(b.oom);
	assert_string_equal(b.data,
			    "{\"event\":\"open\",\"ret\":-13,\"raw\":\"00ff107a\",\"empty\":\"\"}");
	lt_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

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
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_utf8_valid_kept),
		cmocka_unit_test(test_utf8_invalid_replaced),
		cmocka_unit_test(test_utf8_valid_fn),
		cmocka_unit_test(test_checker),
		cmocka_unit_test(test_random_strings),
		cmocka_unit_test(test_key_hex),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_oom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
