// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for a lock file's JSON object (user/cause/ownerjson.c, through
 * owner.c): Kudu's, read from both ends of a long file; hostile content
 * (cut anywhere, huge numbers, NUL, escapes, surrogates, terminal
 * controls, nesting, long keys and values, random bytes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "cause/owner.h"
#include "common/text.h"
#include "rng.h"

static struct lt_owner_hint h;

/* Parse s (n bytes, or strlen) as a whole file. */
static enum lt_owner_form parse_n(const char *s, size_t n)
{
	return lt_owner_parse(s, n, NULL, 0, &h);
}

static enum lt_owner_form parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* Nothing recognised: the hint is all zeroes. */
static void none(const char *s, size_t n)
{
	static const struct lt_owner_hint zero;

	if (parse_n(s, n) != LT_OWNER_NONE)
		fail_msg("\"%.*s\" parsed as %s", (int)n, s, lt_owner_form_name(h.form));
	assert_memory_equal(&h, &zero, sizeof(h));
}

#define NONE(s) none(s, sizeof(s) - 1)

static const char kudu[] =
	"{\r\n"
	"  \"OperationName\": \"deployment\",\r\n"
	"  \"AcquiredDateTime\": \"2026-11-24T10:40:55.1234567Z\",\r\n"
	"  \"StackTrace\": \"   at System.Environment.get_StackTrace()\\r\\n"
	"   at Kudu.Core.Infrastructure.LockFile.Lock(String operationName)\",\r\n"
	"  \"InstanceId\": \"3f2a9c\"\r\n"
	"}";

static void test_json_kudu(void **state)
{
	(void)state;
	assert_int_equal(parse(kudu), LT_OWNER_JSON);
	assert_string_equal(h.operation, "deployment");
	assert_string_equal(h.acquired, "2026-11-24T10:40:55.1234567Z");
	assert_string_equal(h.instance_id, "3f2a9c");
	assert_int_equal(h.pid, 0);
	assert_string_equal(h.host, "");
	assert_false(h.cut);
	/* Compact, other keys, keys in any case. */
	assert_int_equal(parse("{\"pid\":4711,\"hostname\":\"web-1\",\"INSTANCE_ID\":\"i-1\","
			       "\"operation\":\"backup\"}"),
			 LT_OWNER_JSON);
	assert_int_equal(h.pid, 4711);
	assert_string_equal(h.host, "web-1");
	assert_string_equal(h.instance_id, "i-1");
	assert_string_equal(h.operation, "backup");
	assert_int_equal(parse("{\"ProcessId\":\"4711\",\"MachineName\":\"WEB-1\"}"),
			 LT_OWNER_JSON);
	assert_int_equal(h.pid, 4711);
	assert_string_equal(h.host, "WEB-1");
	/* A number where a string is expected: its text. */
	assert_int_equal(parse("{\"InstanceId\":12345}"), LT_OWNER_JSON);
	assert_string_equal(h.instance_id, "12345");
	/* The first of a field wins. */
	assert_int_equal(parse("{\"pid\":5,\"pid\":6,\"host\":\"a\",\"node\":\"b\"}"),
			 LT_OWNER_JSON);
	assert_int_equal(h.pid, 5);
	assert_string_equal(h.host, "a");
	/* Nothing of ours in it. */
	NONE("{}");
	NONE("{\"StackTrace\":\"at x\",\"User\":\"app\"}");
	NONE("[{\"pid\":4711}]");
	NONE("\"4711\"");
}

/* Kudu's StackTrace is longer than what is read of a file's start: its
 * InstanceId, after it, is read from the file's end. */
static void test_json_head_and_tail(void **state)
{
	static char file[20000];
	size_t n = 0;

	(void)state;
	n += sprintf(file + n, "{\r\n  \"OperationName\": \"deployment\",\r\n"
			       "  \"AcquiredDateTime\": \"2026-11-24T10:40:55Z\",\r\n"
			       "  \"StackTrace\": \"");
	while (n < sizeof(file) - 200)
		n += sprintf(file + n,
			     "   at A.B(String \\\"InstanceId\\\": \\\"fake\\\",) \\\\\\r\\n");
	n += sprintf(file + n, "\",\r\n  \"InstanceId\": \"3f2a9c\",\r\n  \"Extra\": {\"pid\": 9,"
			       " \"host\": \"inner\"}, \"List\": [\"pid\", 8]\r\n}\r\n");
	assert_true(n < sizeof(file));
	assert_int_equal(lt_owner_parse(file, LT_OWNER_READ, file + n - LT_OWNER_READ,
					LT_OWNER_READ, &h),
			 LT_OWNER_JSON);
	assert_string_equal(h.operation, "deployment");
	assert_string_equal(h.acquired, "2026-11-24T10:40:55Z");
	assert_string_equal(h.instance_id, "3f2a9c");
	/* Keys of nested objects are not the file's. */
	assert_int_equal(h.pid, 0);
	assert_string_equal(h.host, "");
	/* The start wins over the end. */
	{
		const char *hd = "{\"InstanceId\":\"head\",\"StackTrace\":\"at";
		const char *tl = "\\\\\\\\\",\"InstanceId\":\"tail\",\"pid\":42}\n";

		assert_int_equal(lt_owner_parse(hd, strlen(hd), tl, strlen(tl), &h), LT_OWNER_JSON);
	}
	assert_string_equal(h.instance_id, "head");
	assert_int_equal(h.pid, 42);
	/* Each cut of the end: whatever is whole is read, nothing else. */
	for (size_t cut = 0; cut < 80; cut++) {
		const char *t = "\\\"x\\\", \"InstanceId\": \"3f2a9c\", \"pid\": 4711 }";
		size_t tn = strlen(t);

		lt_owner_parse("{\"StackTrace\":\"", 15, t + (cut < tn ? cut : tn),
			       cut < tn ? tn - cut : 0, &h);
		if (h.instance_id[0])
			assert_string_equal(h.instance_id, "3f2a9c");
		if (h.pid)
			assert_int_equal(h.pid, 4711);
		assert_true(h.form == LT_OWNER_NONE || h.pid == 4711);
	}
	/* An end that is not an object's end (a file being written). */
	assert_int_equal(lt_owner_parse("{\"a\":\"", 6, "\", \"InstanceId\": \"x\"", 20, &h),
			 LT_OWNER_NONE);
	/* Backslashes that run to the cut: whether the quote is escaped
	 * cannot be told, nothing is taken from there. */
	assert_int_equal(lt_owner_parse("{\"a\":\"", 6, "\\\\\\\"pid\\\": 5}", 13, &h),
			 LT_OWNER_NONE);
	assert_int_equal(lt_owner_parse("{\"a\":\"", 6, "\"pid\": 5}", 9, &h), LT_OWNER_NONE);
}

static void test_json_cut(void **state)
{
	static const char *const prefixes[] = {
		"{\"pid\":4711,\"host\":\"web-1\",\"InstanceId\":\"3f2a9c\"}",
		"{\"OperationName\":\"d\\u00e9ploy\\ud83d\\ude00\",\"pid\":\"4711\"}",
	};

	(void)state;
	/* Every prefix of a file: only values read whole are kept. */
	for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		const char *s = prefixes[k];

		for (size_t n = 0; n <= strlen(s); n++) {
			parse_n(s, n);
			assert_true(h.pid == 0 || h.pid == 4711);
			if (h.host[0])
				assert_string_equal(h.host, "web-1");
			if (h.instance_id[0])
				assert_string_equal(h.instance_id, "3f2a9c");
			if (h.operation[0])
				assert_string_equal(h.operation, "d\xc3\xa9ploy\xf0\x9f\x98\x80");
		}
	}
	/* A number cut at the end may go on: not kept. */
	parse("{\"pid\":47");
	assert_int_equal(h.pid, 0);
	parse("{\"pid\":4711,\"host\":\"we");
	assert_int_equal(h.pid, 4711);
	assert_string_equal(h.host, "");
	/* After a fault, nothing more is read. */
	parse("{\"pid\":4711 \"host\":\"web-1\"}");
	assert_int_equal(h.pid, 4711);
	assert_string_equal(h.host, "");
	parse("{\"pid\" 4711}");
	assert_int_equal(h.form, LT_OWNER_NONE);
	parse("{\"x\":tru,\"pid\":1}");
	assert_int_equal(h.form, LT_OWNER_NONE);
	parse("{\"x\":nul");
	assert_int_equal(h.form, LT_OWNER_NONE);
	parse("{\"x\":true,\"y\":null,\"z\":false,\"pid\":3}");
	assert_int_equal(h.pid, 3);
}

static void test_json_numbers(void **state)
{
	static const char *const bad[] = {
		"{\"pid\":0}",		"{\"pid\":-5}",
		"{\"pid\":4194305}",	"{\"pid\":4711.5}",
		"{\"pid\":4711.0}",	"{\"pid\":1e3}",
		"{\"pid\":4294967297}", "{\"pid\":99999999999999999999999999}",
		"{\"pid\":\" 4711\"}",	"{\"pid\":\"4711x\"}",
		"{\"pid\":\"\"}",	"{\"pid\":true}",
		"{\"pid\":[4711]}",	"{\"pid\":{\"pid\":4711}}",
		"{\"pid\":-}",		"{\"pid\":+4711}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		parse(bad[i]);
		if (h.pid)
			fail_msg("%s: pid %u", bad[i], h.pid);
	}
	parse("{\"pid\":1}");
	assert_int_equal(h.pid, 1);
	parse("{\"pid\":4194304}");
	assert_int_equal(h.pid, 4194304);
	parse("{\"pid\":\"00042\"}");
	assert_int_equal(h.pid, 42);
}

static void test_json_escapes(void **state)
{
	(void)state;
	parse("{\"host\":\"web\\u002d1\",\"operation\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"}");
	assert_string_equal(h.host, "web-1");
	assert_string_equal(h.operation, "a\"b\\c/d\b\f\n\r\t");
	/* NUL, escaped or raw: U+FFFD, never an end of string. */
	parse("{\"operation\":\"a\\u0000b\"}");
	assert_string_equal(h.operation, "a\xef\xbf\xbd"
					 "b");
	parse_n("{\"operation\":\"a\0b\"}", 19);
	assert_string_equal(h.operation, "a\xef\xbf\xbd"
					 "b");
	/* Surrogates: a pair joined, lone ones U+FFFD. */
	parse("{\"operation\":\"\\ud83d\\ude00\\ud83dx\\ude00\\uD83D\\u0041\"}");
	assert_string_equal(h.operation, "\xf0\x9f\x98\x80\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd"
					 "A");
	/* Bad escapes end the reading: the value is not kept. */
	parse("{\"pid\":1,\"operation\":\"\\q\"}");
	assert_int_equal(h.pid, 1);
	assert_string_equal(h.operation, "");
	parse("{\"pid\":1,\"operation\":\"\\u12G4\"}");
	assert_string_equal(h.operation, "");
	parse("{\"pid\":1,\"operation\":\"\\u12");
	assert_string_equal(h.operation, "");
	/* Escaped keys are keys. */
	parse("{\"p\\u0069d\":77}");
	assert_int_equal(h.pid, 77);
	/* A host that is no DNS name is not kept. */
	parse("{\"pid\":1,\"host\":\"web\\u001b[2J\"}");
	assert_string_equal(h.host, "");
	parse("{\"pid\":1,\"host\":\"`rm -rf /`\"}");
	assert_string_equal(h.host, "");
}

/* Terminal controls and hostile characters are kept as the bytes they are,
 * for the outputs to escape (test_cause_explain shows them escaped). */
static void test_json_terminal(void **state)
{
	(void)state;
	parse("{\"operation\":\"\\u001b[2J\\u009b31m\\u202ekcol\",\"InstanceId\":\"\x1b]0;x\x07\"}");
	assert_string_equal(h.operation, "\x1b[2J\xc2\x9b"
					 "31m\xe2\x80\xae"
					 "kcol");
	assert_string_equal(h.instance_id, "\x1b]0;x\x07");
	/* Bytes that are not UTF-8: kept, one at a time. */
	parse("{\"operation\":\"\xff\xfe\xc3\"}");
	assert_string_equal(h.operation, "\xff\xfe\xc3");
}

/* Values longer than their field: cut on a character boundary, said. */
static void test_json_bounds(void **state)
{
	char buf[8192];
	size_t n;

	(void)state;
	n = sprintf(buf, "{\"OperationName\":\"");
	for (int i = 0; i < 300; i++)
		n += sprintf(buf + n, "\xc3\xa9"); /* é */
	n += sprintf(buf + n, "\",\"AcquiredDateTime\":\"");
	for (int i = 0; i < 100; i++)
		n += sprintf(buf + n, "\\u20ac"); /* € */
	n += sprintf(buf + n, "\",\"InstanceId\":\"");
	for (int i = 0; i < 1000; i++)
		buf[n++] = 'x';
	n += sprintf(buf + n, "\",\"pid\":9}");
	assert_int_equal(parse_n(buf, n), LT_OWNER_JSON);
	assert_true(h.cut);
	assert_int_equal(strlen(h.operation), 126);
	assert_true(lt_utf8_valid(h.operation, strlen(h.operation)));
	assert_int_equal(strlen(h.acquired), 63);
	assert_true(lt_utf8_valid(h.acquired, strlen(h.acquired)));
	assert_int_equal(strlen(h.instance_id), LT_OWNER_FIELD - 1);
	assert_int_equal(h.pid, 9);
	/* A key longer than any of ours is skipped, the next one read. */
	n = sprintf(buf, "{\"");
	for (int i = 0; i < 500; i++)
		buf[n++] = 'k';
	n += sprintf(buf + n, "\":{\"pid\":1},\"pid\":2}");
	assert_int_equal(parse_n(buf, n), LT_OWNER_JSON);
	assert_int_equal(h.pid, 2);
}

/* Nesting, as deep as the bytes allow: skipped without recursion. */
static void test_json_nested(void **state)
{
	static char buf[2 * LT_OWNER_READ];
	size_t n;

	(void)state;
	parse("{\"a\":{\"pid\":5,\"host\":\"x\"},\"b\":[{\"pid\":6}],\"c\":\"}\",\"pid\":7}");
	assert_int_equal(h.pid, 7);
	assert_string_equal(h.host, "");
	n = sprintf(buf, "{\"pid\":3,\"deep\":");
	for (; n < sizeof(buf) - 1; n++)
		buf[n] = n % 2 ? '[' : '{';
	assert_int_equal(parse_n(buf, n), LT_OWNER_JSON);
	assert_int_equal(h.pid, 3);
	/* From the end: 4000 closing brackets, then the object's last key;
	 * keys inside what they close are not the object's. */
	n = sprintf(buf, "\"pid\":9");
	while (n < LT_OWNER_READ - 20)
		buf[n++] = ']';
	n += sprintf(buf + n, ",\"pid\":8}");
	assert_int_equal(lt_owner_parse("{\"x\":", 5, buf, n, &h), LT_OWNER_JSON);
	assert_int_equal(h.pid, 8);
	n = sprintf(buf, "\"pid\": 8}}\n");
	assert_int_equal(lt_owner_parse("{\"x\":", 5, buf, n, &h), LT_OWNER_NONE);
	n = sprintf(buf, "\"a\":1,\"pid\":8}");
	assert_int_equal(lt_owner_parse("{\"x\":", 5, buf, n, &h), LT_OWNER_JSON);
	assert_int_equal(h.pid, 8);
	/* More keys at the end than are looked at: the last ones are read. */
	n = 0;
	for (int i = 0; i < 100; i++)
		n += sprintf(buf + n, "\"k%d\":%d,", i, i);
	n += sprintf(buf + n, "\"pid\":12}");
	assert_int_equal(lt_owner_parse("{\"x\":", 5, buf, n, &h), LT_OWNER_JSON);
	assert_int_equal(h.pid, 12);
}

/* Random bytes, and random changes to a real file: every field stays
 * within its bounds and terminated, every pid in range; a file that is
 * valid UTF-8 gives valid UTF-8 fields. */
static void test_random(void **state)
{
	static char buf[2 * LT_OWNER_READ], tail[LT_OWNER_READ];
	static const char alpha[] = "{}[]\":,\\u0123456789abcdefpidhostInstanceId \n\r\t\0\xff";

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ull;
	for (int t = 0; t < 30000; t++) {
		size_t n = rng() % sizeof(buf), tn = rng() % sizeof(tail), kn = strlen(kudu);
		bool utf8;

		for (size_t i = 0; i < n; i++)
			buf[i] = t % 3 ? alpha[rng() % (sizeof(alpha) - 1)] : (char)rng();
		for (size_t i = 0; i < tn; i++)
			tail[i] = alpha[rng() % (sizeof(alpha) - 1)];
		if (t % 5 == 0) {
			n = kn;
			memcpy(buf, kudu, n);
			for (int k = rng() % 4; k >= 0; k--)
				buf[rng() % n] = alpha[rng() % (sizeof(alpha) - 1)];
		}
		if (t % 7 == 0 && tn)
			tail[tn - 1] = '}';
		lt_owner_parse(buf, n, t % 2 ? tail : NULL, tn, &h);
		assert_true(h.pid <= LT_OWNER_PID_MAX);
		assert_true(strnlen(h.host, sizeof(h.host)) < sizeof(h.host));
		assert_true(strnlen(h.instance_id, sizeof(h.instance_id)) < sizeof(h.instance_id));
		assert_true(strnlen(h.operation, sizeof(h.operation)) < sizeof(h.operation));
		assert_true(strnlen(h.acquired, sizeof(h.acquired)) < sizeof(h.acquired));
		assert_true(!h.host[0] || lt_owner_host_ok(h.host, strlen(h.host)));
		assert_true((h.form == LT_OWNER_NONE) == !(h.pid || h.host[0] || h.instance_id[0] ||
							   h.operation[0] || h.acquired[0]));
		utf8 = lt_utf8_valid(buf, n) && !memchr(buf, 0, n) &&
		       (t % 2 == 0 || (lt_utf8_valid(tail, tn) && !memchr(tail, 0, tn)));
		if (utf8) {
			assert_true(lt_utf8_valid(h.operation, strlen(h.operation)));
			assert_true(lt_utf8_valid(h.instance_id, strlen(h.instance_id)));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_kudu),    cmocka_unit_test(test_json_head_and_tail),
		cmocka_unit_test(test_json_cut),     cmocka_unit_test(test_json_numbers),
		cmocka_unit_test(test_json_escapes), cmocka_unit_test(test_json_terminal),
		cmocka_unit_test(test_json_bounds),  cmocka_unit_test(test_json_nested),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
