// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for user/cause/resolve.c and pool.c: causes decided off the
 * event reader, in order, each within its deadline, with lookups that do
 * not answer. The fact lookup is a stand-in: paths under "/hangN" wait (as
 * on a stopped FUSE daemon) until the test lets them go; each "/hangN" is
 * its own mount. Under ThreadSanitizer:
 *   make OUTPUT=/tmp/lt-tsan CFLAGS="-O1 -g -fsanitize=thread" \
 *	/tmp/lt-tsan/tests/test_resolve && /tmp/lt-tsan/tests/test_resolve
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cause/resolve.h"

#define TIMEOUT_MS 60
#define MAX_OUT 64

static pthread_mutex_t hang_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hang_cond = PTHREAD_COND_INITIALIZER;
static bool hang_released;
static int collects; /* calls of the stand-in, under hang_lock */

struct out {
	__u32 tid;
	enum lt_cause_kind kind;
	bool has_cause;
	char json[1024];
};
static struct out outs[MAX_OUT];
static int nout;

static void stand_in(struct lt_facts_ctx *fc, const struct lt_event *ev, struct lt_cause_input *in)
{
	unsigned int n = 0;

	memset(in, 0, sizeof(*in));
	in->ev = ev;
	in->comp = fc->comp;
	in->fd_accmode = -1;
	pthread_mutex_lock(&hang_lock);
	collects++;
	pthread_mutex_unlock(&hang_lock);
	fc->nmounts = 1;
	fc->mounts[0] = (struct lt_mount_on){ .s_dev = 1, .len = 1, .type = "ext4" };
	if (sscanf(ev->path, "/hang%u", &n) == 1) {
		fc->nmounts = 2;
		fc->mounts[1] = (struct lt_mount_on){ .s_dev = 100 + n, .type = "fuse" };
		fc->mounts[1].len = strcspn(ev->path + 1, "/") + 1;
	}
	if (!fc->watch->step(fc->watch->ctx, fc, LT_LOOKUP_PATH, ev->path_len, fc->nmounts - 1,
			     &in->note))
		return;
	if (fc->nmounts == 2) {
		pthread_mutex_lock(&hang_lock);
		while (!hang_released)
			pthread_cond_wait(&hang_cond, &hang_lock);
		pthread_mutex_unlock(&hang_lock);
	}
}

static int record_out(void *ctx, const struct lt_event *ev, const struct lt_verdict *v)
{
	struct out *o;

	(void)ctx;
	assert_true(nout < MAX_OUT);
	o = &outs[nout++];
	o->tid = ev->tid;
	o->has_cause = v != NULL;
	o->kind = v ? v->cause.kind : LT_CAUSE_NONE;
	if (v && v->cause_json)
		snprintf(o->json, sizeof(o->json), "%.*s", (int)v->cause_json_len, v->cause_json);
	return 0;
}

static struct {
	struct lt_event ev;
	char path[64];
} evbuf;

static const struct lt_event *event(__u32 tid, const char *path, int ret)
{
	memset(&evbuf, 0, sizeof(evbuf));
	evbuf.ev.type = LT_REC_ACCESS;
	evbuf.ev.tid = evbuf.ev.tgid = tid;
	evbuf.ev.ret = ret;
	evbuf.ev.syscall = LT_SYS_OPENAT;
	evbuf.ev.open_flags = 2; /* O_RDWR */
	evbuf.ev.fsuid = 4242;
	evbuf.ev.path_len = snprintf(evbuf.path, sizeof(evbuf.path), "%s", path);
	evbuf.ev.arg_off = evbuf.ev.path_len;
	evbuf.ev.size = sizeof(evbuf.ev) + evbuf.ev.path_len + 1;
	evbuf.ev.ts_boot_ns = 1000 + tid; /* within the memo's second */
	return &evbuf.ev;
}

/* Push a made-up failure (or success, ret >= 0). */
static int push(struct lt_resolver *r, __u32 tid, const char *path, int ret)
{
	const struct lt_event *ev = event(tid, path, ret);

	return lt_resolver_push(r, ev, ev->size, NULL);
}

static struct lt_facts_ctx tmpl;

static struct lt_resolver *start(int workers)
{
	struct lt_resolve_cfg cfg = {
		.facts = &tmpl,
		.timeout_ns = TIMEOUT_MS * 1000000ULL,
		.workers = workers,
		.collect = stand_in,
		.emit = record_out,
	};
	struct lt_resolver *r;

	pthread_mutex_lock(&hang_lock);
	hang_released = false;
	collects = 0;
	pthread_mutex_unlock(&hang_lock);
	nout = 0;
	memset(outs, 0, sizeof(outs));
	assert_int_equal(lt_resolver_new(&r, &cfg), 0);
	return r;
}

static void release_hangs(void)
{
	pthread_mutex_lock(&hang_lock);
	hang_released = true;
	pthread_cond_broadcast(&hang_cond);
	pthread_mutex_unlock(&hang_lock);
}

/* The reader's loop: drain until n events are out (or 5 s pass). */
static void drain_until(struct lt_resolver *r, int n)
{
	for (int i = 0; i < 5000 && nout < n; i++) {
		struct pollfd p = { .fd = lt_resolver_fd(r), .events = POLLIN };
		int due = lt_resolver_due_ms(r);

		poll(&p, 1, due >= 0 && due < 1 ? due : 1);
		assert_int_equal(lt_resolver_drain(r, false), 0);
	}
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A lookup that does not answer: its event leaves at its deadline, as
 * unknown with a timeout note; those behind it leave after it, in order,
 * decided; a success needs no decision. */
static void test_order_and_deadline(void **state)
{
	struct lt_resolver *r = start(2);
	double t0 = now_ms(), took;

	(void)state;
	assert_int_equal(push(r, 1, "/hang1/a.lock", -13), 0);
	assert_int_equal(push(r, 2, "/srv/b.lock", -13), 0);
	assert_int_equal(push(r, 3, "/srv/c.lock", 3), 0);
	assert_int_equal(nout, 0); /* all wait behind the first */
	drain_until(r, 3);
	took = now_ms() - t0;
	assert_int_equal(nout, 3);
	assert_int_equal(outs[0].tid, 1);
	assert_int_equal(outs[1].tid, 2);
	assert_int_equal(outs[2].tid, 3);
	assert_int_equal(outs[0].kind, LT_CAUSE_UNKNOWN);
	assert_non_null(strstr(outs[0].json, "\"facts\":{\"state\":\"timeout\""));
	assert_non_null(strstr(outs[0].json, "\"mount\":\"/hang1\",\"fstype\":\"fuse\""));
	assert_null(strstr(outs[1].json, "\"facts\""));
	assert_false(outs[2].has_cause);
	assert_true(took >= TIMEOUT_MS - 1);
	assert_true(took < 3000);

	/* The mount is slow: a later failure on it is not looked at. */
	assert_int_equal(push(r, 4, "/hang1/d.lock", -13), 0);
	drain_until(r, 4);
	assert_int_equal(outs[3].tid, 4);
	assert_non_null(strstr(outs[3].json, "\"state\":\"slow_mount\""));
	/* Other mounts are looked at as usual. */
	assert_int_equal(push(r, 5, "/srv/e.lock", -2), 0);
	drain_until(r, 5);
	assert_int_equal(outs[4].kind, LT_CAUSE_NOT_FOUND);
	assert_null(strstr(outs[4].json, "\"facts\""));

	/* Once the lookup returns, the mount is looked at again. */
	release_hangs();
	for (int i = 0; i < 2000; i++) {
		struct lt_resolve_stats st;

		lt_resolver_stats(r, &st);
		if (!st.stuck)
			break;
		usleep(1000);
	}
	assert_int_equal(push(r, 6, "/hang1/f.lock", -13), 0);
	drain_until(r, 6);
	assert_null(strstr(outs[5].json, "\"facts\""));
	{
		struct lt_resolve_stats st;

		lt_resolver_stats(r, &st);
		assert_int_equal(st.facts_timeout, 1);
		assert_int_equal(st.facts_slow_mount, 1);
		assert_int_equal(st.facts_busy, 0);
	}
	assert_int_equal(lt_resolver_free(r), 0);
}

/* Identical failures in a storm are decided once. */
static void test_memo_shares(void **state)
{
	struct lt_resolver *r = start(2);

	(void)state;
	for (__u32 i = 0; i < 10; i++) {
		const struct lt_event *ev = event(7, "/srv/storm.lock", -13);

		evbuf.ev.ts_boot_ns = 1000 + i;
		assert_int_equal(lt_resolver_push(r, ev, evbuf.ev.size, NULL), 0);
	}
	drain_until(r, 10);
	assert_int_equal(nout, 10);
	pthread_mutex_lock(&hang_lock);
	assert_int_equal(collects, 1);
	pthread_mutex_unlock(&hang_lock);
	for (int i = 1; i < 10; i++)
		assert_string_equal(outs[i].json, outs[0].json);
	assert_int_equal(lt_resolver_free(r), 0);
}

/* Every worker stuck on a different mount: the next failure is decided
 * from the kernel's facts at once (busy), never queued for good. */
static void test_busy_when_all_stuck(void **state)
{
	struct lt_resolver *r = start(2);
	char path[32];
	int n = LT_WORKERS_MAX;

	(void)state;
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/hang%d/x.lock", 10 + i);
		assert_int_equal(push(r, 20 + i, path, -13), 0);
		drain_until(r, i + 1); /* each times out, stuck, a new worker */
	}
	assert_int_equal(nout, n);
	assert_int_equal(push(r, 40, "/srv/y.lock", -13), 0);
	drain_until(r, n + 1);
	assert_int_equal(nout, n + 1);
	assert_non_null(strstr(outs[n].json, "\"state\":\"busy\""));
	{
		struct lt_resolve_stats st;

		lt_resolver_stats(r, &st);
		assert_int_equal(st.threads, LT_WORKERS_MAX);
		assert_int_equal(st.stuck, LT_WORKERS_MAX);
		assert_int_equal(st.facts_timeout, n);
		assert_int_equal(st.facts_busy, 1);
	}
	/* Stuck workers cannot be stopped: the resolver is left to them. */
	assert_int_equal(lt_resolver_free(r), -EBUSY);
	release_hangs();
	usleep(100000);
}

/* The final drain waits for each event at most until its deadline. */
static void test_final_drain_bounded(void **state)
{
	struct lt_resolver *r = start(1);
	double t0;

	(void)state;
	for (int i = 0; i < 20; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/hang%d/z.lock", 60 + i % 2);
		assert_int_equal(push(r, 60 + i, path, -13), 0);
	}
	t0 = now_ms();
	assert_int_equal(lt_resolver_drain(r, true), 0);
	assert_int_equal(nout, 20);
	assert_true(now_ms() - t0 < 20 * TIMEOUT_MS);
	for (int i = 0; i < 20; i++)
		assert_int_equal(outs[i].tid, 60 + i);
	release_hangs();
	usleep(100000);
	assert_int_equal(lt_resolver_free(r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_deadline),
		cmocka_unit_test(test_memo_shares),
		cmocka_unit_test(test_busy_when_all_stuck),
		cmocka_unit_test(test_final_drain_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
