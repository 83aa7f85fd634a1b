// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for the report's cross-host contention (user/report/xhost.c,
 * xsweep.c): recordings of several hosts, each failure on a file on a share
 * set against the locks other hosts held on it at that moment: overlapping
 * and separate intervals, holds still held at the end of a recording or
 * taken before it began, rotated parts and restarts, files named through a
 * host's mounts, and hostile recordings whose holds and failures are
 * counted and capped.
 */
#include "report_fixture.h"
#include <time.h>

/* 2026-11-24T10:40:00Z, in microseconds. */
#define T0 1795516800000000LL

static char *fmt_time(long long sec, char *buf, size_t len)
{
	struct timespec ts = { .tv_sec = (time_t)(T0 / 1000000 + sec) };
	struct tm tm;

	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%S.000000Z", &tm);
	return buf;
}

static void addf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void addf(const char *fmt, ...)
{
	va_list ap;
	char *b;

	va_start(ap, fmt);
	assert_true(vasprintf(&b, fmt, ap) > 0);
	va_end(ap);
	add(b);
	free(b);
}

/* A new recording (source) of @host that began at @start, with one network
 * mount: @mount shows @share's @spath. */
static void recording(const char *file, const char *host, const char *start, const char *mount,
		      const char *share, const char *spath)
{
	lt_report_source(&rep, file);
	addf("{\"type\":\"header\",\"format\":1,\"host\":\"%s\",\"machine_id\":\"0123456789abcdef"
	     "0123456789abcdef\",\"start\":\"%s\",\"mounts\":[{\"mount\":\"%s\",\"fs\":\"cifs\","
	     "\"source\":\"%s\",\"root\":\"/\",\"share\":\"%s\",\"share_path\":\"%s\"}]}",
	     host, start, mount, share, share, spath);
}

static void trailer(long long sec)
{
	char t[40];

	addf("{\"type\":\"trailer\",\"end\":\"%s\",\"seen\":1,\"written\":1,\"dropped_kernel\":0,"
	     "\"dropped_write\":0}",
	     fmt_time(sec, t, sizeof(t)));
}

/* A lock taken (held_us < 0) or let go, at @sec, of hold @id of //srv/share@spath. */
static void hold(long long sec, const char *path, const char *spath, unsigned pid, const char *comm,
		 unsigned long long id, long long held_us)
{
	char t[40], rel[64] = "";

	if (held_us >= 0)
		snprintf(rel, sizeof(rel), ",\"held_us\":%lld,\"release\":\"close\"", held_us);
	addf("{\"time\":\"%s\",\"event\":\"lock_%s\",\"syscall\":\"flock\",\"pid\":%u,\"uid\":0,"
	     "\"comm\":\"%s\",\"path\":\"%s\",\"flags\":\"LOCK_EX\",\"hold\":{\"id\":%llu,\"kind\":"
	     "\"flock\",\"type\":\"F_WRLCK\",\"start\":0,\"end\":-1%s,\"fs\":\"cifs\",\"share\":"
	     "\"//srv/share\",\"share_path\":\"%s\"},\"ret\":0,\"errno\":0}",
	     fmt_time(sec, t, sizeof(t)), held_us >= 0 ? "released" : "acquired", pid, comm, path,
	     id, rel, spath);
}

static void failure(long long sec, const char *event, const char *path, unsigned pid,
		    const char *comm, const char *error, const char *kind)
{
	char t[40];

	addf("{\"time\":\"%s\",\"event\":\"%s\",\"pid\":%u,\"uid\":4242,\"comm\":\"%s\","
	     "\"path\":\"%s\",\"ret\":-13,\"error\":\"%s\",\"cause\":{\"kind\":\"%s\",\"detail\":"
	     "\"d\",\"fix\":\"f\",\"evidence\":\"kernel\"}}",
	     fmt_time(sec, t, sizeof(t)), event, pid, comm, path, error, kind);
}

static int xsetup(void **state)
{
	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.top = 10;
	lt_report_init(&rep, &opts);
	return 0;
}

static int xteardown(void **state)
{
	(void)state;
	lt_report_free(&rep);
	return 0;
}

/* The row of a failure at @sec on @host, NULL if none. */
static const struct lt_rep_xrow *row_at(long long sec, const char *host)
{
	for (size_t i = 0; i < rep.nxrows; i++) {
		const struct lt_rep_xrow *w = rep.xrows[i];

		if (w->first_us == T0 + sec * 1000000 && !strcmp(rep.hosts[w->host], host))
			return w;
	}
	return NULL;
}

/* Host A holds the lock 10 s; host B, which mounts the share elsewhere, is
 * refused in the middle and after; A's own refusal is not cross-host. */
static void test_overlap(void **state)
{
	const struct lt_rep_xrow *w;
	char *out;

	(void)state;
	recording("a.jsonl", "host-a", "s-a", "/home", "//srv/share", "/");
	hold(10, "/home/site/locks/status.lock", "/site/locks/status.lock", 4711, "dotnet", 4096,
	     -1);
	failure(15, "flock", "/home/site/locks/status.lock", 4712, "dotnet", "EWOULDBLOCK",
		"lock_held");
	hold(20, "/home/site/locks/status.lock", "/site/locks/status.lock", 4711, "dotnet", 4096,
	     10000000);
	trailer(30);
	recording("b.jsonl", "host-b", "s-b", "/mnt/share", "//srv/share", "/");
	failure(15, "flock", "/mnt/share/site/locks/status.lock", 5000, "dotnet", "EACCES",
		"remote_lock_conflict");
	failure(25, "flock", "/mnt/share/site/locks/status.lock", 5000, "dotnet", "EACCES",
		"remote_lock_conflict");
	failure(16, "open", "/srv/local/status.lock", 5001, "dotnet", "EACCES", "dac");
	trailer(30);
	lt_report_finish(&rep);

	assert_int_equal(rep.nhosts, 2);
	assert_int_equal(rep.xfails, 3); /* the local file is on no share */
	assert_int_equal(rep.xmatched, 1);
	assert_int_equal(rep.nxrows, 1);
	w = row_at(15, "host-b");
	assert_non_null(w);
	assert_int_equal(w->holder->pid, 4711);
	assert_int_equal(w->holder->from_us, T0 + 10000000);
	assert_int_equal(w->holder->to_us, T0 + 20000000);
	assert_false(w->holder->open);
	assert_string_equal(w->lock->share, "//srv/share");
	assert_string_equal(w->lock->share_path, "/site/locks/status.lock");
	assert_int_equal(w->lock->nwhere, 2);

	out = render(LT_REP_TEXT);
	HAS(out,
	    "Cross-host contention (a failure on a share while another host held its lock):\n"
	    "  1 of 3 failures on shares happened while another host held the lock (1 lock "
	    "held on shares, in recordings of 2 hosts)\n"
	    "  //srv/share/site/locks/status.lock: 1 failure while another host held it\n"
	    "      on host-a: /home/site/locks/status.lock\n"
	    "      on host-b: /mnt/share/site/locks/status.lock\n"
	    "      refused on host-b at 2026-11-24T10:40:15.000Z (flock EACCES, "
	    "remote_lock_conflict: the server refused it as held by another client) by pid 5000 "
	    "(dotnet) uid 4242 while host-a's pid 4711 (dotnet) held it (flock LOCK_EX) from "
	    "2026-11-24T10:40:10.000Z to 2026-11-24T10:40:20.000Z\n");
	HAS(out, "machine 0123456789abcdef0123456789abcdef, 1 network mount");
	free(out);
	out = render(LT_REP_MARKDOWN);
	HAS(out, "## Cross-host contention\n");
	HAS(out, "  - refused on host-b at 2026-11-24T10:40:15.000Z (flock EACCES, cause "
		 "**remote\\_lock\\_conflict**: the server refused it as held by another client)");
	free(out);
	out = render(LT_REP_JSON);
	HAS(out, "\"cross_host\":{\"failures_on_shares\":3,\"while_held\":1,\"holds\":1,");
	HAS(out, "\"holder\":{\"host\":\"host-a\",\"pid\":4711,\"uid\":0,\"comm\":\"dotnet\","
		 "\"kind\":\"flock\",\"type\":\"F_WRLCK\",\"hold\":4096,\"from\":"
		 "\"2026-11-24T10:40:10.000000Z\",\"to\":\"2026-11-24T10:40:20.000000Z\","
		 "\"still_held\":false},\"other_holds\":0}");
	free(out);
	out = render(LT_REP_HTML);
	HAS(out, "<section id=\"cross-host\">");
	HAS(out, "<td>remote_lock_conflict <span class=\"muted\">(the server refused it as held "
		 "by another client)</span></td>");
	free(out);
}

/* Three hosts: A and C hold the lock in turn (overlapping), B is refused
 * before, during each, while both do, and after. */
static void test_several_hosts(void **state)
{
	const struct lt_rep_xrow *w;

	(void)state;
	recording("a.jsonl", "host-a", "s", "/home", "//srv/share", "/");
	hold(10, "/home/x.lock", "/x.lock", 1, "a", 4096, -1);
	hold(20, "/home/x.lock", "/x.lock", 1, "a", 4096, 10000000);
	recording("c.jsonl", "host-c", "s", "/share", "//SRV/share", "/");
	hold(15, "/share/x.lock", "/x.lock", 3, "c", 4096, -1); /* the same id, another host */
	hold(30, "/share/x.lock", "/x.lock", 3, "c", 4096, 15000000);
	recording("b.jsonl", "host-b", "s", "/mnt", "//srv/share", "/");
	failure(5, "open", "/mnt/x.lock", 2, "b", "EACCES", "dac");
	failure(12, "open", "/mnt/x.lock", 2, "b", "EACCES", "dac");
	for (int i = 0; i < 3; i++) /* one row: the same process, holder, file ... */
		failure(17, "open", "/mnt/x.lock", 4, "b", "EACCES", "dac");
	failure(25, "open", "/mnt/x.lock", 2, "b", "EACCES", "dac");
	failure(31, "open", "/mnt/x.lock", 2, "b", "EACCES", "dac");
	lt_report_finish(&rep);

	assert_int_equal(rep.xfails, 7);
	assert_int_equal(rep.xmatched, 5);
	assert_null(row_at(5, "host-b"));
	assert_null(row_at(31, "host-b"));
	w = row_at(12, "host-b");
	assert_non_null(w);
	assert_string_equal(rep.hosts[w->holder->host], "host-a");
	assert_int_equal(w->others, 0);
	/* While both hold it: the first host given, and one other. */
	w = row_at(17, "host-b");
	assert_non_null(w);
	assert_int_equal(w->count, 3);
	assert_string_equal(rep.hosts[w->holder->host], "host-a");
	assert_int_equal(w->others, 1);
	w = row_at(25, "host-b");
	assert_non_null(w);
	assert_string_equal(rep.hosts[w->holder->host], "host-c");
	assert_int_equal(w->holder->pid, 3);
	/* //SRV/share is the tracer's to name: as recorded, another share. */
	assert_int_equal(rep.xlock_set.used, 1);
}

/* A hold still held when its recording ended lasts until then; one taken
 * before its recording began starts when its release says. */
static void test_open_and_inferred(void **state)
{
	const struct lt_rep_xrow *w;

	(void)state;
	recording("a.jsonl", "host-a", "s", "/home", "//srv/share", "/");
	hold(10, "/home/x.lock", "/x.lock", 1, "a", 4096, -1);
	trailer(50);
	recording("c.jsonl", "host-c", "s", "/home", "//srv/share", "/");
	hold(70, "/home/x.lock", "/x.lock", 3, "c", 8192, 15000000); /* taken at 55 */
	recording("b.jsonl", "host-b", "s", "/mnt", "//srv/share", "/");
	failure(40, "open", "/mnt/x.lock", 2, "b", "EACCES", "dac");
	failure(52, "open", "/mnt/x.lock", 2, "b", "EACCES", "dac");
	failure(60, "open", "/mnt/x.lock", 2, "b", "EACCES", "dac");
	lt_report_finish(&rep);

	w = row_at(40, "host-b");
	assert_non_null(w);
	assert_true(w->holder->open);
	assert_int_equal(w->holder->to_us, T0 + 50000000);
	assert_null(row_at(52, "host-b"));
	w = row_at(60, "host-b");
	assert_non_null(w);
	assert_int_equal(w->holder->from_us, T0 + 55000000);
	HAS(render(LT_REP_TEXT), "(still held when its recording ended)");
}

/* Rotated parts of one recording are one session: the acquisition in one,
 * the release in the other, one hold. A restart is another session: the
 * same id is another hold. A recording without a header is a host of its
 * own, named by its file. */
static void test_sessions(void **state)
{
	(void)state;
	recording("a.jsonl.1", "host-a", "s1", "/home", "//srv/share", "/");
	hold(10, "/home/x.lock", "/x.lock", 1, "a", 4096, -1);
	recording("a.jsonl", "host-a", "s1", "/home", "//srv/share", "/");
	hold(20, "/home/x.lock", "/x.lock", 1, "a", 4096, 10000000);
	recording("a2.jsonl", "host-a", "s2", "/home", "//srv/share", "/");
	hold(30, "/home/x.lock", "/x.lock", 1, "a", 4096, -1);
	lt_report_source(&rep, "bare.jsonl");
	hold(40, "/home/x.lock", "/x.lock", 1, "a", 4096, -1);
	lt_report_finish(&rep);

	assert_int_equal(rep.nhosts, 2);
	assert_string_equal(rep.hosts[1], "bare.jsonl");
	assert_int_equal(rep.nsessions, 3);
	assert_int_equal(rep.xhold_set.used, 3);
}

/* A failure's file through its host's mounts: the deepest mount point, a
 * mount of a share's directory, a mount at /, the mount point itself; a
 * path that only starts like a mount point is not below it. */
static void test_mounts(void **state)
{
	(void)state;
	lt_report_source(&rep, "b.jsonl");
	add("{\"type\":\"header\",\"host\":\"b\",\"start\":\"s\",\"mounts\":["
	    "{\"mount\":\"/\",\"share\":\"nas:\",\"share_path\":\"/export\"},"
	    "{\"mount\":\"/mnt/site\",\"share\":\"//srv/share\",\"share_path\":\"/site\"},"
	    "{\"mount\":\"/mnt/site/deep\",\"share\":\"//other/share\",\"share_path\":\"/\"},"
	    "{\"mount\":\"\",\"share\":\"//bad\",\"share_path\":\"/\"}]}");
	failure(1, "open", "/mnt/site/locks/x.lock", 2, "b", "EACCES", "dac");
	failure(1, "open", "/mnt/site", 2, "b", "EACCES", "dac");
	failure(1, "open", "/mnt/sitex/y.lock", 2, "b", "EACCES", "dac");
	failure(1, "open", "/mnt/site/deep/z.lock", 2, "b", "EACCES", "dac");
	lt_report_finish(&rep);

	assert_int_equal(rep.sources[0].nmounts, 3);
	assert_int_equal(rep.sources[0].mounts_more, 1);
	assert_int_equal(rep.xlock_set.used, 4);
	for (size_t i = 0; i < rep.xlock_set.cap; i++) {
		const struct lt_rep_xlock *l = rep.xlock_set.slots[i];
		char key[128];

		if (!l)
			continue;
		snprintf(key, sizeof(key), "%s%s", l->share, l->share_path);
		if (strcmp(key, "//srv/share/site/locks/x.lock") &&
		    strcmp(key, "//srv/share/site") &&
		    strcmp(key, "nas:/export/mnt/sitex/y.lock") &&
		    strcmp(key, "//other/share/z.lock"))
			fail_msg("unexpected file on a share: %s", key);
	}
}

/* The filters choose the failures; every hold stays as their context. */
static void test_filters(void **state)
{
	(void)state;
	opts.ncauses = 1;
	opts.causes[0] = "remote_lock_conflict";
	recording("a.jsonl", "host-a", "s", "/home", "//srv/share", "/");
	hold(10, "/home/x.lock", "/x.lock", 1, "a", 4096, -1);
	trailer(20);
	recording("b.jsonl", "host-b", "s", "/mnt", "//srv/share", "/");
	failure(12, "flock", "/mnt/x.lock", 2, "b", "EACCES", "remote_lock_conflict");
	failure(13, "open", "/mnt/x.lock", 2, "b", "EACCES", "dac");
	lt_report_finish(&rep);

	assert_int_equal(rep.xhold_set.used, 1);
	assert_int_equal(rep.xfails, 1);
	assert_int_equal(rep.xmatched, 1);
	assert_non_null(row_at(12, "host-b"));
}

/* A hostile recording's holds, failures and rows past the model's limits:
 * each counted, and said in every format; untracked holds too. */
static void test_limits(void **state)
{
	char *out;

	(void)state;
	rep.xhold_set.max = 3;
	rep.xrow_set.max = 2;
	rep.xfails_max = 5;
	recording("a.jsonl", "host-a", "s", "/home", "//srv/share", "/");
	for (int i = 0; i < 10; i++)
		hold(10, "/home/x.lock", "/x.lock", 100 + i, "a", 4096 + i, -1);
	addf("{\"time\":\"2026-11-24T10:40:10Z\",\"event\":\"lock_acquired\",\"pid\":1,\"path\":"
	     "\"/home/y.lock\",\"hold\":{\"id\":0,\"untracked\":true,\"share\":\"//srv/share\","
	     "\"share_path\":\"/y.lock\"},\"ret\":0}");
	trailer(30);
	recording("b.jsonl", "host-b", "s", "/mnt", "//srv/share", "/");
	for (int i = 0; i < 10; i++)
		failure(20, "open", "/mnt/x.lock", 200 + i, "b", "EACCES", "dac");
	lt_report_finish(&rep);

	assert_int_equal(rep.xhold_set.used, 3);
	assert_int_equal(rep.xhold_set.more, 7);
	assert_int_equal(rep.xuntracked, 1);
	assert_int_equal(rep.xfails, 10);
	assert_int_equal(rep.xfails_more, 5);
	assert_int_equal(rep.xmatched, 5);
	assert_int_equal(rep.nxrows, 2);
	assert_int_equal(rep.xrow_set.more, 3);
	out = render(LT_REP_TEXT);
	HAS(out, "; 1 more taken untracked");
	HAS(out, "(5 more failures on shares not set against holds: the report keeps the first 5)");
	HAS(out, "(3 more failures while another host held the lock not shown: the report keeps "
		 "the first 2 distinct rows)");
	HAS(out, "(7 more lock holds not shown: the report keeps the first 3 distinct holds)");
	free(out);
	out = render(LT_REP_JSON);
	HAS(out, "\"not_kept\":{\"cross_host_holds\":7,\"cross_host\":3}");
	HAS(out, "\"untracked_holds\":1,\"failures_not_kept\":5");
	free(out);
	out = render(LT_REP_HTML);
	HAS(out, "7 more lock holds not shown");
	free(out);
}

/* Many holds covering many failures: each failure's row names one holder
 * and counts the others, in time that grows with the holds and failures,
 * not their product. */
static void test_sweep_many(void **state)
{
	const int n = 20000;
	struct timespec t0, t1;
	const struct lt_rep_xrow *w;

	(void)state;
	recording("a.jsonl", "host-a", "s", "/home", "//srv/share", "/");
	for (int i = 0; i < n; i++)
		hold(10, "/home/x.lock", "/x.lock", 1, "a", 4096 + (unsigned)i, -1);
	trailer(100);
	recording("b.jsonl", "host-b", "s", "/mnt", "//srv/share", "/");
	for (int i = 0; i < n; i++) /* 50 rows: 50 processes */
		failure(20 + i % 50, "open", "/mnt/x.lock", 1000 + (unsigned)(i % 50), "b",
			"EACCES", "dac");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	lt_report_finish(&rep);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(rep.xmatched, n);
	assert_int_equal(rep.nxrows, 50);
	w = row_at(20, "host-b");
	assert_non_null(w);
	assert_int_equal(w->others, (unsigned long long)n - 1);
	assert_int_equal(w->count, n / 50);
	/* 4e8 steps if it were quadratic: seconds; here milliseconds. */
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 2000);
}

/* Is @want ("share" then "share_path") a file on a share the report kept? */
static bool has_file(const char *want)
{
	for (size_t i = 0; i < rep.xlock_set.cap; i++) {
		const struct lt_rep_xlock *l = rep.xlock_set.slots[i];
		char key[256];

		if (!l)
			continue;
		snprintf(key, sizeof(key), "%s%s", l->share, l->share_path);
		if (!strcmp(key, want))
			return true;
	}
	return false;
}

/* A container's processes see the share elsewhere than the tracer's
 * header says, in a mount namespace of their own: their lock events name
 * the mount point, which then names their failures on the share; the
 * header's mounts name only those of its own namespace. */
static void test_containers(void **state)
{
	(void)state;
	lt_report_source(&rep, "b.jsonl");
	add("{\"type\":\"header\",\"host\":\"b\",\"start\":\"s\",\"mntns\":100,\"mounts\":["
	    "{\"mount\":\"/mnt/site\",\"share\":\"//srv/share\",\"share_path\":\"/site\"}]}");
	add("{\"time\":\"2026-11-24T10:40:01Z\",\"event\":\"lock_acquired\",\"pid\":7,\"comm\":\"c\","
	    "\"path\":\"/home/site/locks/x.lock\",\"mntns\":200,\"hold\":{\"id\":4096,\"kind\":"
	    "\"flock\",\"type\":\"F_WRLCK\",\"mount\":\"/home\",\"share\":\"//srv/share\","
	    "\"share_path\":\"/site/locks/x.lock\"},\"ret\":0}");
	/* A mount point the file is not below, or a path that is not the
	 * share's: nothing learned. */
	add("{\"time\":\"2026-11-24T10:40:01Z\",\"event\":\"lock_acquired\",\"pid\":7,\"comm\":\"c\","
	    "\"path\":\"/srv/a.lock\",\"mntns\":200,\"hold\":{\"id\":8192,\"mount\":\"/other\","
	    "\"share\":\"//x/y\",\"share_path\":\"/a.lock\"},\"ret\":0}");
	add("{\"time\":\"2026-11-24T10:40:01Z\",\"event\":\"lock_acquired\",\"pid\":7,\"comm\":\"c\","
	    "\"path\":\"/data/b.lock\",\"mntns\":200,\"hold\":{\"id\":12288,\"mount\":\"/data\","
	    "\"share\":\"//x/y\",\"share_path\":\"/c.lock\"},\"ret\":0}");
	add("{\"time\":\"2026-11-24T10:40:02Z\",\"event\":\"open\",\"pid\":8,\"uid\":1,\"comm\":\"c\","
	    "\"path\":\"/home/site/locks/y.lock\",\"mntns\":200,\"ret\":-13,\"error\":\"EACCES\","
	    "\"cause\":{\"kind\":\"dac\"}}");
	add("{\"time\":\"2026-11-24T10:40:02Z\",\"event\":\"open\",\"pid\":8,\"uid\":1,\"comm\":\"c\","
	    "\"path\":\"/mnt/site/locks/z.lock\",\"mntns\":200,\"ret\":-13,\"error\":\"EACCES\","
	    "\"cause\":{\"kind\":\"dac\"}}");
	add("{\"time\":\"2026-11-24T10:40:02Z\",\"event\":\"open\",\"pid\":9,\"uid\":1,\"comm\":\"h\","
	    "\"path\":\"/home/site/q.lock\",\"mntns\":100,\"ret\":-13,\"error\":\"EACCES\","
	    "\"cause\":{\"kind\":\"dac\"}}");
	add("{\"time\":\"2026-11-24T10:40:02Z\",\"event\":\"open\",\"pid\":9,\"uid\":1,\"comm\":\"h\","
	    "\"path\":\"/mnt/site/w.lock\",\"mntns\":100,\"ret\":-13,\"error\":\"EACCES\","
	    "\"cause\":{\"kind\":\"dac\"}}");
	lt_report_finish(&rep);

	assert_int_equal(rep.sources[0].nlearned, 1);
	assert_true(has_file("//srv/share/site/locks/y.lock"));
	assert_true(has_file("//srv/share/site/w.lock"));
	assert_false(has_file("//srv/share/site/locks/z.lock"));
	assert_false(has_file("//srv/share/site/q.lock"));
	assert_int_equal(rep.xfails, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_overlap, xsetup, xteardown),
		cmocka_unit_test_setup_teardown(test_several_hosts, xsetup, xteardown),
		cmocka_unit_test_setup_teardown(test_open_and_inferred, xsetup, xteardown),
		cmocka_unit_test_setup_teardown(test_sessions, xsetup, xteardown),
		cmocka_unit_test_setup_teardown(test_mounts, xsetup, xteardown),
		cmocka_unit_test_setup_teardown(test_containers, xsetup, xteardown),
		cmocka_unit_test_setup_teardown(test_filters, xsetup, xteardown),
		cmocka_unit_test_setup_teardown(test_limits, xsetup, xteardown),
		cmocka_unit_test_setup_teardown(test_sweep_many, xsetup, xteardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
