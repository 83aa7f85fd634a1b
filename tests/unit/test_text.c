// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/common/text.c: UTF-8, text for people, JSON strings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "json_ref.h"
#include "rng.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/text.h"

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
	CHECK("\xc2\xa0", "\"\xc2\xa0\""); /* U+00A0, just past C1 */
	CHECK("\xef\xbf\xbd", "\"\xef\xbf\xbd\""); /* U+FFFD */
	CHECK("\xf4\x8f\xbf\xbd", "\"\xf4\x8f\xbf\xbd\""); /* U+10FFFD */
	CHECK("\xed\x9f\xbf", "\"\xed\x9f\xbf\""); /* U+D7FF */
	CHECK("\xee\x80\x80", "\"\xee\x80\x80\""); /* U+E000 */
	/* Next to the bidirectional and invisible characters, kept. */
	CHECK("\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xb0", /* U+2027 202F 2065 2070 */
	      "\"\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xb0\"");
	/* U+00AC 00AE 200A FEFE FFF8 FFFC */
	CHECK("\xc2\xac\xc2\xae\xe2\x80\x8a\xef\xbb\xbe\xef\xbf\xb8\xef\xbf\xbc",
	      "\"\xc2\xac\xc2\xae\xe2\x80\x8a\xef\xbb\xbe\xef\xbf\xb8\xef\xbf\xbc\"");
	CHECK("\xf3\xa0\x82\x80", "\"\xf3\xa0\x82\x80\""); /* U+E0080, past the tags */
	CHECK("\xd8\x9b\xd8\x9d", "\"\xd8\x9b\xd8\x9d\""); /* U+061B U+061D */
}

/* C1 and bidirectional controls, invisible characters, noncharacters:
 * escaped, the same string to a JSON reader, nothing raw for a terminal
 * that shows the JSON. */
static void test_unsafe_escaped(void **state)
{
	(void)state;
	CHECK("\xc2\x80", "\"\\u0080\""); /* U+0080, smallest 2-byte */
	CHECK("\xc2\x9b"
	      "2J",
	      "\"\\u009b2J\""); /* CSI */
	CHECK("\xc2\x9f", "\"\\u009f\"");
	CHECK("a\xe2\x80\xaekcol.exe", "\"a\\u202ekcol.exe\""); /* RLO */
	CHECK("\xe2\x80\xaa\xe2\x80\xac", "\"\\u202a\\u202c\"");
	CHECK("\xe2\x81\xa6\xe2\x81\xa9", "\"\\u2066\\u2069\""); /* isolates */
	CHECK("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", "\"\\u200e\\u200f\\u061c\"");
	CHECK("\xef\xb7\x90", "\"\\ufdd0\"");
	CHECK("\xef\xbf\xbf", "\"\\uffff\""); /* U+FFFF */
	CHECK("\xf0\x9f\xbf\xbe", "\"\\ud83f\\udffe\""); /* U+1FFFE: a surrogate pair */
	CHECK("\xf4\x8f\xbf\xbf", "\"\\udbff\\udfff\""); /* U+10FFFF */
	CHECK("x\xc2\x9by\xe2\x80\xaez", "\"x\\u009by\\u202ez\"");
	/* Invisible: one path would display as another. */
	CHECK("/a\xe2\x80\x8b.lock", "\"/a\\u200b.lock\""); /* zero width space */
	CHECK("\xc2\xad\xe1\xa0\x8e\xe2\x80\x8d", "\"\\u00ad\\u180e\\u200d\"");
	CHECK("\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\""); /* line, paragraph */
	CHECK("\xe2\x81\xa0\xe2\x81\xa4\xe2\x81\xaa\xe2\x81\xaf",
	      "\"\\u2060\\u2064\\u206a\\u206f\"");
	CHECK("\xef\xbb\xbf\xef\xbf\xb9\xef\xbf\xbb", "\"\\ufeff\\ufff9\\ufffb\"");
	CHECK("\xf3\xa0\x80\x81\xf3\xa0\x81\xbf", "\"\\udb40\\udc01\\udb40\\udc7f\""); /* tags */
}

/* The one function every output asks, and the decoder it is fed by. */
static void test_cp_unsafe(void **state)
{
	static const uint32_t yes[] = { 0x00,	 0x1b,	  0x1f,	    0x7f,   0x80,   0x85,
					0x9b,	 0x9f,	  0x061c,   0x200e, 0x200f, 0x202a,
					0x202e,	 0x2066,  0x2069,   0xfdd0, 0xfdef, 0xfffe,
					0xffff,	 0x1fffe, 0x10ffff, 0x00ad, 0x180e, 0x200b,
					0x200c,	 0x200d,  0x2028,   0x2029, 0x2060, 0x2064,
					0x206a,	 0x206f,  0xfeff,   0xfff9, 0xfffb, 0xe0000,
					0xe0001, 0xe0020, 0xe007f };
	static const uint32_t no[] = { 0x20,   0x41,	0x7e,	  0xa0,	   0xe9,    0x061b,
				       0x061d, 0x2010,	0x202f,	  0x2065,  0xfdcf,  0xfdf0,
				       0xfffd, 0x1f600, 0x10fffd, 0x00ac,  0x00ae,  0x180d,
				       0x180f, 0x200a,	0x2027,	  0x205f,  0x2070,  0xfefe,
				       0xff00, 0xfff8,	0xfffc,	  0xdfffd, 0xe0080, 0xe0100 };
	uint32_t cp = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!lt_cp_unsafe(yes[i]) || !ref_unsafe(yes[i]))
			fail_msg("U+%04X should be unsafe", yes[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (lt_cp_unsafe(no[i]) || ref_unsafe(no[i]))
			fail_msg("U+%04X should be safe", no[i]);
	}
	/* Every code point: json.c agrees with the list above. */
	for (cp = 0; cp <= 0x10ffff; cp++)
		if (lt_cp_unsafe(cp) != ref_unsafe(cp))
			fail_msg("lt_cp_unsafe(U+%04X) is %d", cp, lt_cp_unsafe(cp));
	assert_int_equal(lt_utf8_decode("\xc2\x9b", 2, &cp), 2);
	assert_int_equal(cp, 0x9b);
	assert_int_equal(lt_utf8_decode("\xe2\x80\xae", 3, &cp), 3);
	assert_int_equal(cp, 0x202e);
	assert_int_equal(lt_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	assert_int_equal(lt_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(lt_utf8_decode("\x9b", 1, &cp), 0);
	assert_int_equal(lt_utf8_decode("\xe2\x80", 2, &cp), 0);
}

/* lt_text_str(s[0..n), backslash) into a fresh buffer; compare with want. */
static void check_text(const char *s, size_t n, bool backslash, const char *want)
{
	struct lt_buf b = { 0 };

	lt_text_str(&b, s, n, backslash);
	assert_false(b.oom);
	if (strcmp(b.data ? b.data : "", want))
		fail_msg("text of %zu bytes: got '%s', want '%s'", n, b.data, want);
	lt_buf_free(&b);
}

#define TEXT(lit, bs, want) check_text(lit, sizeof(lit) - 1, bs, want)

/* The terminal's escaping (the text view, --explain). */
static void test_text_str(void **state)
{
	(void)state;
	TEXT("/srv/a.lock", true, "/srv/a.lock");
	TEXT("caf\xc3\xa9", true, "caf\xc3\xa9");
	TEXT("a\nb\x1b[2J\x7f", true, "a\\x0ab\\x1b[2J\\x7f");
	TEXT("a\\b", true, "a\\x5cb");
	TEXT("a\\b", false, "a\\b");
	TEXT("\xff\xc3", true, "\\xff\\xc3"); /* not UTF-8: one \xNN a byte */
	TEXT("x\xc2\x9b"
	     "2Jy",
	     true, "x\\u009b2Jy");
	TEXT("x\xe2\x80\xaekcol", false, "x\\u202ekcol");
	TEXT("\xe2\x81\xa6\xd8\x9c\xe2\x80\x8f", true, "\\u2066\\u061c\\u200f");
	TEXT("\xf0\x9f\xbf\xbe", true, "\\U0001fffe");
	/* Invisible characters: /a.lock and /a\u200b.lock look the same raw. */
	TEXT("/a\xe2\x80\x8b.lock", false, "/a\\u200b.lock");
	TEXT("\xc2\xad\xef\xbb\xbf\xe2\x80\xa8", true, "\\u00ad\\ufeff\\u2028");
	TEXT("x\xf3\xa0\x80\x81y", true, "x\\U000e0001y");
	TEXT("a\0b", true, "a\\x00b");
	TEXT("", true, "");
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
	assert_true(json_string_ok("\"\\u202e\\ud83f\\udffe\"", 20, NULL, NULL));
	assert_false(json_string_ok("\"\xe2\x80\xae\"", 5, NULL, NULL)); /* raw RLO */
	assert_false(json_string_ok("\"\xc2\x9b\"", 4, NULL, NULL)); /* raw CSI */
	assert_false(json_string_ok("\"\\ud800\"", 8, NULL, NULL)); /* lone surrogate */
	assert_false(json_string_ok("\"\\udc00\"", 8, NULL, NULL));
	assert_false(json_string_ok("\"\\u00e0\"", 8, NULL, NULL)); /* needless escape */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_utf8_valid_kept),
		cmocka_unit_test(test_unsafe_escaped),
		cmocka_unit_test(test_cp_unsafe),
		cmocka_unit_test(test_text_str),
		cmocka_unit_test(test_utf8_invalid_replaced),
		cmocka_unit_test(test_utf8_valid_fn),
		cmocka_unit_test(test_checker),
		cmocka_unit_test(test_random_strings),
		cmocka_unit_test(test_key_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
