// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for the report: times, reading, grouping, filters, formats. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common/opts.h"
#include "common/pattern.h"
#include "common/util.h"
#include "common/version.h"
#include "report/model.h"
#include "report/render.h"
#include "report/report.h"

#define T0 "2026-11-24T10:00:00"

static const char header[] =
	"{\"type\":\"header\",\"format\":1,\"host\":\"web-01\",\"kernel\":\"6.1.0\","
	"\"locktrace\":\"0.1.0\",\"tier\":\"lsm\",\"start\":\"" T0 ".000000Z\",\"filters\":{}}";
static const char trailer[] = "{\"type\":\"trailer\",\"end\":\"" T0
			      ".9Z\",\"seen\":9,\"written\":8,"
			      "\"dropped_kernel\":1,\"dropped_write\":0}";

/* An open refused with EACCES (dac). */
static char *dac(char *buf, size_t len, const char *t, const char *path, const char *comm,
		 unsigned uid)
{
	snprintf(buf, len,
		 "{\"time\":\"%s\",\"event\":\"open\",\"syscall\":\"openat\",\"pid\":100,"
		 "\"uid\":%u,\"comm\":\"%s\",\"path\":\"%s\",\"ret\":-13,\"errno\":13,"
		 "\"error\":\"EACCES\",\"cause\":{\"kind\":\"dac\",\"detail\":\"mode 0600 on %s\","
		 "\"evidence\":\"kernel\",\"fix\":\"chmod it\"}}",
		 t, uid, comm, path, path);
	return buf;
}

static const char held[] =
	"{\"time\":\"" T0 ".500000Z\",\"event\":\"flock\",\"syscall\":\"flock\",\"pid\":300,"
	"\"uid\":33,\"comm\":\"php\",\"path\":\"/srv/l/deploy.lock\",\"ret\":-11,\"errno\":11,"
	"\"error\":\"EWOULDBLOCK\",\"cause\":{\"kind\":\"lock_held\",\"detail\":\"held by pid 7\","
	"\"evidence\":\"kernel\",\"holders\":[{\"pid\":7,\"uid\":0,\"comm\":\"deploy.sh\"}],"
	"\"fix\":\"wait for pid 7\"}}";
static const char waited[] =
	"{\"time\":\"" T0 ".600000Z\",\"event\":\"lock_wait\",\"syscall\":\"flock\",\"pid\":301,"
	"\"uid\":33,\"comm\":\"php\",\"path\":\"/srv/l/deploy.lock\",\"wait_us\":250000,"
	"\"holder\":{\"pid\":7,\"comm\":\"deploy.sh\"},\"ret\":0,\"errno\":0}";
static const char success[] =
	"{\"time\":\"" T0
	".700000Z\",\"event\":\"open\",\"syscall\":\"openat\",\"pid\":5,\"uid\":0,"
	"\"comm\":\"x\",\"path\":\"/srv/l/ok.lock\",\"ret\":3,\"errno\":0}";

static struct lt_rep_opts opts;
static struct lt_report rep;

static void add(const char *line)
{
	lt_report_line(&rep, line, strlen(line));
}

/* The incident: 3 x the same refusal, one by another uid, contention, a
 * success, a malformed line; header and trailer. */
static void load(void)
{
	char b[1024];

	lt_report_init(&rep, &opts);
	lt_report_source(&rep, "rec.jsonl");
	add(header);
	add(dac(b, sizeof(b), T0 ".100000Z", "/srv/l/status.lock", "dotnet", 4242));
	add(dac(b, sizeof(b), T0 ".300000Z", "/srv/l/status.lock", "dotnet", 4242));
	add(dac(b, sizeof(b), T0 ".200000Z", "/srv/l/status.lock", "dotnet", 4242));
	add(dac(b, sizeof(b), T0 ".400000Z", "/srv/l/status.lock", "dotnet", 1000));
	add(held);
	add(waited);
	add(success);
	add("{\"time\": not json");
	add(trailer);
	lt_report_finish(&rep);
}

static int setup(void **state)
{
	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.top = 10;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lt_report_free(&rep);
	return 0;
}

static void test_parse_time(void **state)
{
	__s64 us;

	(void)state;
	assert_int_equal(lt_rep_parse_time("1970-01-01T00:00:00Z", &us), 0);
	assert_int_equal(us, 0);
	assert_int_equal(lt_rep_parse_time("2026-11-24T10:41:07.123456Z", &us), 0);
	assert_true(us == 1795516867123456LL);
	assert_int_equal(lt_rep_parse_time("2026-11-24T12:41:07.123456+02:00", &us), 0);
	assert_true(us == 1795516867123456LL);
	assert_int_equal(lt_rep_parse_time("2026-11-24 10:41:07", &us), 0);
	assert_true(us == 1795516867000000LL);
	assert_int_equal(lt_rep_parse_time("2026-11-24", &us), 0);
	assert_true(us == 1795478400000000LL);
	assert_int_equal(lt_rep_parse_time("2026-11-24T10:41:07.5", &us), 0);
	assert_true(us == 1795516867500000LL);
	assert_int_equal(lt_rep_parse_time("2000-02-29T00:00:00Z", &us), 0);
	assert_true(us == 951782400000000LL);
	/* Not times. */
	assert_int_equal(lt_rep_parse_time("", &us), -1);
	assert_int_equal(lt_rep_parse_time("yesterday", &us), -1);
	assert_int_equal(lt_rep_parse_time("2026-13-01", &us), -1);
	assert_int_equal(lt_rep_parse_time("2026-11-24T25:00:00Z", &us), -1);
	assert_int_equal(lt_rep_parse_time("2026-11-24T10:41:07.Z", &us), -1);
	assert_int_equal(lt_rep_parse_time("2026-11-24T10:41:07+2", &us), -1);
	assert_int_equal(lt_rep_parse_time("2026-11-24T10:41:07Zjunk", &us), -1);
}

static void test_grouping(void **state)
{
	const struct lt_rep_group *g;
	const struct lt_rep_lock *l;
	const struct lt_rep_source *s;

	(void)state;
	load();
	assert_int_equal(rep.events, 7);
	assert_int_equal(rep.failures, 5);
	assert_int_equal(rep.waits, 1);
	assert_int_equal(rep.ngroups, 3);
	g = rep.groups[0]; /* most frequent first */
	assert_int_equal(g->count, 3);
	assert_string_equal(g->path, "/srv/l/status.lock");
	assert_string_equal(g->cause, "dac");
	assert_string_equal(g->comm, "dotnet");
	assert_int_equal(g->uid, 4242);
	assert_string_equal(g->detail, "mode 0600 on /srv/l/status.lock");
	assert_string_equal(g->fix, "chmod it");
	assert_true(g->last_us - g->first_us == 200000); /* out of order in the file */
	/* Another uid: another group. */
	assert_int_equal(rep.groups[1]->count, 1);
	l = rep.locks[0];
	assert_int_equal(rep.nlocks, 1);
	assert_string_equal(l->key.s, "/srv/l/deploy.lock");
	assert_int_equal(l->refused, 1);
	assert_int_equal(l->waits, 1);
	assert_int_equal(l->wait_max_us, 250000);
	assert_int_equal(l->nholders, 1);
	assert_int_equal(l->holders[0].pid, 7);
	assert_int_equal(l->holders[0].n, 2); /* held at the refusal and the wait */
	assert_string_equal(l->holders[0].comm, "deploy.sh");
	assert_int_equal(l->nwaiters, 2);
	assert_int_equal(l->nlongest, 1);
	assert_int_equal(l->longest[0].holder_pid, 7);
	assert_int_equal(rep.npoints, 5);
	for (size_t i = 1; i < rep.npoints; i++)
		assert_true(rep.points[i - 1].t_us <= rep.points[i].t_us);
	s = &rep.sources[0];
	assert_true(s->header && s->trailer);
	assert_string_equal(s->host, "web-01");
	assert_int_equal(s->bad_lines, 1);
	assert_int_equal(s->dropped_kernel, 1);
	assert_false(s->torn);
}

/* .NET's sequence refused on a share: flock, then write, same path, error,
 * cause, command and uid: two groups, each with its own why. */
static void test_grouping_by_call(void **state)
{
	static const char *const calls[][2] = {
		{ "flock", "the server answered STATUS_LOCK_NOT_GRANTED to LOCK" },
		{ "write", "the server answered STATUS_FILE_LOCK_CONFLICT to WRITE" },
		{ "flock", "the server answered STATUS_LOCK_NOT_GRANTED to LOCK" },
	};
	char b[1024];

	(void)state;
	lt_report_init(&rep, &opts);
	lt_report_source(&rep, "rec.jsonl");
	for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
		snprintf(b, sizeof(b),
			 "{\"time\":\"" T0 ".%06zuZ\",\"event\":\"%s\",\"syscall\":\"%s\","
			 "\"pid\":9,\"uid\":1000,\"comm\":\"dotnet\",\"path\":\"/home/site/locks/"
			 "status.lock\",\"ret\":-13,\"errno\":13,\"error\":\"EACCES\",\"cause\":"
			 "{\"kind\":\"remote_lock_conflict\",\"detail\":\"%s\",\"evidence\":"
			 "\"kernel\"}}",
			 i, calls[i][0], calls[i][0], calls[i][1]);
		add(b);
	}
	lt_report_finish(&rep);
	assert_int_equal(rep.failures, 3);
	assert_int_equal(rep.ngroups, 2);
	assert_string_equal(rep.groups[0]->event, "flock");
	assert_int_equal(rep.groups[0]->count, 2);
	assert_string_equal(rep.groups[0]->detail, calls[0][1]);
	assert_string_equal(rep.groups[1]->event, "write");
	assert_int_equal(rep.groups[1]->count, 1);
	assert_string_equal(rep.groups[1]->detail, calls[1][1]);
	assert_string_equal(rep.groups[1]->comm, "dotnet");
	assert_int_equal(rep.groups[1]->uid, 1000);
}

/* A --json capture: events, then the stats line (the trailer's counters,
 * with more keys than the report reads). */
static void test_stats_line(void **state)
{
	static const char stats[] = "{\"type\":\"stats\",\"end\":\"" T0
				    ".9Z\",\"seen\":2,\"written\":0,\"dropped_kernel\":3,"
				    "\"dropped_write\":0,\"unreadable_path\":1,\"denials_full\":0}";
	struct lt_rep_source *s;
	char b[1024];

	(void)state;
	lt_report_init(&rep, &opts);
	lt_report_source(&rep, "live.jsonl");
	add(dac(b, sizeof(b), T0 ".100000Z", "/srv/l/status.lock", "dotnet", 4242));
	add(held);
	add(stats);
	lt_report_finish(&rep);
	s = &rep.sources[0];
	assert_int_equal(s->bad_lines, 0);
	assert_true(s->trailer);
	assert_int_equal(s->seen, 2);
	assert_int_equal(s->dropped_kernel, 3);
	assert_int_equal(rep.events, 2);
}

static void test_torn_and_garbage(void **state)
{
	char buf[4096];
	size_t n;

	(void)state;
	lt_report_init(&rep, &opts);
	lt_report_source(&rep, "killed.jsonl");
	n = (size_t)snprintf(buf, sizeof(buf), "%s\n%s\n%.40s", header, success, success);
	lt_report_buffer(&rep, buf, n);
	assert_int_equal(rep.events, 1);
	assert_true(rep.sources[0].torn);
	assert_int_equal(rep.sources[0].bad_lines, 0);
	lt_report_free(&rep);

	/* A complete last line without its newline is not torn. */
	lt_report_init(&rep, &opts);
	n = (size_t)snprintf(buf, sizeof(buf), "%s\n%s", header, success);
	lt_report_buffer(&rep, buf, n);
	assert_int_equal(rep.events, 1);
	assert_false(rep.sources[0].torn);
	lt_report_free(&rep);

	/* Garbage, wrong types, trailing bytes, deep nesting: counted, no crash. */
	lt_report_init(&rep, &opts);
	add("\x01\xff\xfe");
	add("[1,2,3]");
	add("{\"time\":\"" T0 "Z\",\"event\":\"open\",\"path\":7}");
	add("{\"time\":\"" T0 "Z\",\"event\":\"open\",\"path\":\"/x\"} {}");
	add("{\"time\":\"noon\",\"event\":\"open\",\"path\":\"/x\"}");
	memset(buf, '[', 3000);
	buf[3000] = '\0';
	add(buf);
	add("{\"time\":\"" T0 "Z\",\"event\":\"open\",\"path\":\"/x\",\"pid\":-5}");
	assert_int_equal(rep.events, 0);
	assert_int_equal(rep.sources[0].bad_lines, 7);
	lt_report_finish(&rep);
	lt_report_free(&rep);
	memset(&rep, 0, sizeof(rep));
}

static void test_filters(void **state)
{
	char err[128];

	(void)state;
	assert_int_equal(lt_rep_parse_time(T0 ".250000Z", &opts.since_us), 0);
	opts.have_since = true;
	load();
	/* 2 dac at .1 and .2 are before: 5 events left */
	assert_int_equal(rep.events, 5);
	assert_int_equal(rep.filtered_out, 2);
	lt_report_free(&rep);

	memset(&opts, 0, sizeof(opts));
	assert_int_equal(lt_pattern_compile("**/deploy.lock", &opts.paths[0], err, sizeof(err)), 0);
	opts.npaths = 1;
	load();
	assert_int_equal(rep.events, 2);
	assert_int_equal(rep.ngroups, 1);
	lt_report_free(&rep);

	memset(&opts, 0, sizeof(opts));
	opts.causes[opts.ncauses++] = "dac";
	opts.uids[opts.nuids++] = 1000;
	load();
	assert_int_equal(rep.events, 1);
	assert_int_equal(rep.groups[0]->uid, 1000);
	lt_report_free(&rep);

	memset(&opts, 0, sizeof(opts));
	opts.comms[opts.ncomms++] = "php";
	assert_int_equal(lt_rep_parse_time(T0 ".550000Z", &opts.until_us), 0);
	opts.have_until = true;
	load();
	assert_int_equal(rep.events, 1);
	assert_int_equal(rep.failures, 1);
}

static char *render(enum lt_rep_format f)
{
	struct lt_buf b = {};
	char *s;

	opts.format = f;
	lt_report_render(&rep, &b);
	assert_false(b.oom);
	assert_non_null(b.data);
	s = strndup(b.data, b.len);
	lt_buf_free(&b);
	return s;
}

static void test_formats(void **state)
{
	char b[1024], *s, *again;

	(void)state;
	lt_report_init(&rep, &opts);
	add(header);
	add(dac(b, sizeof(b), T0 ".1Z", "/srv/a|b`c\\\\n.lock", "q\\u0007z", 4242));
	add(held);
	add(waited);
	lt_report_finish(&rep);

	s = render(LT_REP_TEXT);
	assert_non_null(strstr(
		s,
		"2026-11-24T10:00:00Z .. 2026-11-24T10:00:00Z: 3 events, 2 failures, 1 lock waits"));
	assert_non_null(strstr(s, "Failures, grouped (2 distinct"));
	assert_non_null(strstr(s, "fix: wait for pid 7"));
	assert_non_null(strstr(s, "/srv/l/deploy.lock: 1 refused, 1 waits (longest 250.0 ms"));
	assert_non_null(strstr(s, "holders: pid 7 (deploy.sh) x2"));
	assert_non_null(strstr(s, "by q?z uid 4242")); /* the BEL byte */
	assert_null(strchr(s, '\a'));
	again = render(LT_REP_TEXT);
	assert_string_equal(s, again); /* deterministic */
	free(s);
	free(again);

	s = render(LT_REP_MARKDOWN);
	assert_non_null(strstr(s, "# locktrace report"));
	assert_non_null(strstr(s, "| 1 | /srv/a\\|b\\`c\\\\n.lock |")); /* cells escaped */
	assert_non_null(strstr(s, "## Contention"));
	free(s);

	s = render(LT_REP_JSON);
	assert_true(s[0] == '{' && s[strlen(s) - 2] == '}' && s[strlen(s) - 1] == '\n');
	assert_non_null(strstr(s, "\"type\":\"report\""));
	assert_non_null(strstr(s, "\"events\":3,\"failures\":2,\"lock_waits\":1"));
	assert_non_null(strstr(s, "\"path\":\"/srv/a|b`c\\\\n.lock\""));
	assert_non_null(strstr(s, "\"comm\":\"q\\u0007z\""));
	assert_non_null(strstr(s, "\"wait_max_us\":250000"));
	assert_non_null(strstr(
		s, "\"holders\":[{\"pid\":7,\"uid\":0,\"comm\":\"deploy.sh\",\"count\":2}]"));
	free(s);

	s = render(LT_REP_HTML);
	assert_true(!strncmp(s, "<!DOCTYPE html>", 15));
	free(s);
}

static void test_opts(void **state)
{
	struct lt_rep_opts o;
	char err[256];
	char *ok[] = { "report",    "-f",    "json", "--since", "2026-11-24", "--cause",
		       "lock_held", "--uid", "1,2",  "--comm",	"php",	      "--path",
		       "*.lock",    "--top", "3",    "a.jsonl", "b.jsonl" };
	char *bad_cause[] = { "report", "--cause", "nope", "a" };
	/* A kind past the first table's last (unknown): known all the same. */
	char *last_cause[] = { "report", "--cause", "remote_quota", "--cause", "unknown", "a" };
	char *bad_time[] = { "report", "--until", "soon", "a" };
	char *none[] = { "report", "-f", "html" };
	char *order[] = { "report", "--since", "2026-11-25", "--until", "2026-11-24", "a" };
	char *fmt[] = { "report", "-f", "pdf", "a" };

	(void)state;
	assert_int_equal(lt_rep_parse_opts(17, ok, &o, err, sizeof(err), stdout), 0);
	assert_int_equal(o.format, LT_REP_JSON);
	assert_true(o.have_since && !o.have_until);
	assert_int_equal(o.ncauses, 1);
	assert_int_equal(o.nuids, 2);
	assert_int_equal(o.uids[1], 2);
	assert_int_equal(o.top, 3);
	assert_int_equal(o.nfiles, 2);
	assert_string_equal(o.files[1], "b.jsonl");
	assert_int_equal(lt_rep_parse_opts(6, last_cause, &o, err, sizeof(err), stdout), 0);
	assert_int_equal(o.ncauses, 2);
	assert_int_equal(lt_rep_parse_opts(4, bad_cause, &o, err, sizeof(err), stdout), -1);
	assert_non_null(strstr(err, "--cause 'nope'"));
	assert_int_equal(lt_rep_parse_opts(4, bad_time, &o, err, sizeof(err), stdout), -1);
	assert_non_null(strstr(err, "--until 'soon'"));
	assert_int_equal(lt_rep_parse_opts(3, none, &o, err, sizeof(err), stdout), -1);
	assert_non_null(strstr(err, "no recording"));
	assert_int_equal(lt_rep_parse_opts(6, order, &o, err, sizeof(err), stdout), -1);
	assert_int_equal(lt_rep_parse_opts(4, fmt, &o, err, sizeof(err), stdout), -1);
}

/* The header's "format": read as a number (the newest of a file's headers
 * kept); anything else there is left alone, as it always was, and the
 * header is still read. */
static void test_header_format(void **state)
{
	(void)state;
	lt_report_init(&rep, &opts);
	lt_report_source(&rep, "rec.jsonl");
	add(header);
	assert_int_equal(rep.sources[0].format, 1);
	lt_report_source(&rep, "two-parts.jsonl");
	add("{\"type\":\"header\",\"format\":7,\"host\":\"a\"}");
	add("{\"type\":\"header\",\"format\":3,\"host\":\"b\"}");
	assert_int_equal(rep.sources[1].format, 7);
	assert_string_equal(rep.sources[1].host, "a");
	lt_report_source(&rep, "odd.jsonl");
	add("{\"type\":\"header\",\"format\":\"9\",\"host\":\"c\"}");
	add("{\"type\":\"header\",\"format\":-2}");
	add("{\"type\":\"header\",\"format\":2.5}");
	add("{\"type\":\"header\",\"format\":{\"v\":[9]}}");
	add("{\"time\":\"" T0 "Z\",\"event\":\"open\",\"path\":\"/x\",\"format\":9}");
	assert_int_equal(rep.sources[2].format, 0);
	assert_true(rep.sources[2].header);
	assert_string_equal(rep.sources[2].host, "c");
	assert_int_equal(rep.sources[2].bad_lines, 0);
	assert_int_equal(rep.sources[2].events, 1);
	lt_report_source(&rep, "none.jsonl");
	add("{\"type\":\"header\",\"host\":\"d\"}");
	assert_int_equal(rep.sources[3].format, 0);
	lt_report_finish(&rep);
}

/* locktrace report FILE with -o into @dir; its exit code, stderr in @err. */
static int run_report(const char *dir, const char *file, char *err, size_t len)
{
	char out[256], *argv[] = { "report", "-q", "-o", out, (char *)file, NULL };
	FILE *tmp = tmpfile();
	int saved, rc;
	size_t n;

	snprintf(out, sizeof(out), "%s/report.txt", dir);
	unlink(out);
	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0 && dup2(fileno(tmp), STDERR_FILENO) >= 0);
	rc = lt_report_main(5, argv);
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	n = fread(err, 1, len - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	return rc;
}

/* A recording of a newer format than this build reads is refused: one
 * line naming the file and both formats, exit 2. Its own format is read. */
static void test_newer_format_refused(void **state)
{
	char dir[] = "/tmp/lt-test-report.XXXXXX", file[64], line[256], err[1024], b[1024];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/new.jsonl", dir);
	for (int format = LT_RECORD_FORMAT + 1; format >= LT_RECORD_FORMAT; format--) {
		f = fopen(file, "w");
		assert_non_null(f);
		fprintf(f, "{\"type\":\"header\",\"format\":%d,\"host\":\"web-01\"}\n%s\n", format,
			dac(b, sizeof(b), T0 ".1Z", "/srv/l/a.lock", "w", 1));
		fclose(f);
		if (format > LT_RECORD_FORMAT) {
			assert_int_equal(run_report(dir, file, err, sizeof(err)), LT_EXIT_USAGE);
			snprintf(line, sizeof(line),
				 "locktrace: %s is a recording of format %d, newer than this "
				 "locktrace reads (format %d at most)",
				 file, format, LT_RECORD_FORMAT);
			assert_true(!strncmp(err, line, strlen(line)));
			/* One line. */
			assert_non_null(strchr(err, '\n'));
			assert_true(strchr(err, '\n') == err + strlen(err) - 1);
		} else {
			assert_int_equal(run_report(dir, file, err, sizeof(err)), LT_EXIT_OK);
			assert_string_equal(err, "");
		}
	}
	unlink(file);
	snprintf(file, sizeof(file), "%s/report.txt", dir);
	unlink(file);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test_setup_teardown(test_grouping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grouping_by_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_and_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_formats, setup, teardown),
		cmocka_unit_test(test_opts),
		cmocka_unit_test_setup_teardown(test_header_format, setup, teardown),
		cmocka_unit_test(test_newer_format_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
