// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A tracing session: choose the tier, load and attach it, stream events
 * through the fact workers to the output, stop, summarise. Functions
 * return 0 or -errno; lt_trace_run() turns that into the exit code.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>
#include "counters.h"
#include "cause/facts.h"
#include "format.h"
#include "host.h"
#include "loader.h"
#include "netfs.h"
#include "output.h"
#include "plan.h"
#include "common/pattern.h"
#include "common/event.h"
#include "probe.h"
#include "cause/resolve.h"
#include "trace.h"
#include "common/util.h"
#include "common/text.h"
#include "common/version.h"

#define LT_POLL_MS 100

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	exiting = sig;
}

struct lt_session {
	/* What the kernel filters on: -p, else the default lock paths. */
	struct lt_pattern patterns[LT_MAX_PATTERNS];
	int npatterns;
	struct lt_loader loader;
	struct lt_plan plan; /* --attach, resolved */
	struct lt_netfs netfs; /* the cifs client's tracepoints, where it is */
	struct lt_output out;
	struct lt_facts_ctx facts;
	struct lt_locks_cache locks;
	struct lt_resolver *resolver;
	/* seen: records received; filtered: settled as no match in user
	 * space; malformed: records that failed the size checks; the others
	 * are taken in from the kernel, the fact workers and the recording
	 * (session_counts). */
	struct lt_counters cnt;
	unsigned long long kernel_losses_reported;
	struct lt_avc avc[64]; /* the last SELinux denial of each thread (tid % 64) */
};

/* The SELinux denial behind a failure of the same thread just before it. */
static const struct lt_avc *avc_for(struct lt_session *s, const struct lt_event *ev)
{
	struct lt_avc *a = &s->avc[ev->tid % 64];

	if (a->type != LT_REC_AVC || a->tid != ev->tid || a->ts_boot_ns > ev->ts_boot_ns ||
	    ev->ts_boot_ns - a->ts_boot_ns > 1000000000ULL)
		return NULL;
	a->type = 0; /* one failure per denial */
	return a;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct lt_session *s = ctx;
	const struct lt_event *ev = data;

	if (size >= sizeof(__u32) && *(const __u32 *)data == LT_REC_AVC) {
		if (size < sizeof(struct lt_avc)) {
			s->cnt.malformed++;
			return 0;
		}
		s->cnt.seen++;
		memcpy(&s->avc[((const struct lt_avc *)data)->tid % 64], data,
		       sizeof(struct lt_avc));
		return 0;
	}
	if (lt_event_check(data, size)) {
		s->cnt.malformed++;
		return 0;
	}
	s->cnt.seen++;
	/* The kernel ran out of matcher steps: decide here, exactly. */
	if ((ev->ev_flags & LT_EVF_MATCH_UNSURE) &&
	    !lt_patterns_match(s->patterns, s->npatterns, ev->path, ev->path_len)) {
		s->cnt.filtered++;
		return 0;
	}
	/* Decided off this thread: the facts may be on a filesystem that does
	 * not answer. A closed stdout ends the session; returning an error
	 * stops the ring-buffer loop at once. */
	return lt_resolver_push(s->resolver, ev, ev->size, ev->ret < 0 ? avc_for(s, ev) : NULL) ==
			       -EPIPE ?
		       -EPIPE :
		       0;
}

/* A decided event, in order: out it goes. */
static int on_decided(void *ctx, const struct lt_event *ev, const struct lt_verdict *v)
{
	struct lt_session *s = ctx;

	return lt_output_event(&s->out, ev, v) == -EPIPE ? -EPIPE : 0;
}

static double now_s(void)
{
	return lt_clock_ns(CLOCK_MONOTONIC) / 1e9;
}

/* The counters as they stand: the session's own, the kernel's (per-CPU
 * sums) and the recording's. */
static void session_counts(struct lt_session *s, struct lt_counters *c)
{
	struct lt_stats st;

	*c = s->cnt;
	if (s->loader.skel) {
		if (!lt_loader_stats(&s->loader, &st))
			lt_counters_from_kernel(c, &st);
		c->recursion_misses = lt_loader_recursion_misses(&s->loader);
	}
	if (s->resolver) {
		struct lt_resolve_stats rs;

		lt_resolver_stats(s->resolver, &rs);
		c->facts_timeout = rs.facts_timeout;
		c->facts_slow_mount = rs.facts_slow_mount;
		c->facts_busy = rs.facts_busy;
	}
	c->written = s->out.rec.written;
	c->dropped_write = s->out.rec.lost;
	c->rotations = s->out.rec.rotations;
	c->rotate_failed = s->out.rec.rotate_failed;
}

/* Tell the user as soon as the kernel starts losing events, and again
 * whenever it loses more. */
static void report_drops(struct lt_session *s)
{
	struct lt_counters c;
	struct lt_buf b = {};
	unsigned long long lost;

	session_counts(s, &c);
	lost = lt_counters_kernel_losses(&c);
	if (lost == s->kernel_losses_reported)
		return;
	lt_counters_losses(&b, &c);
	p_warn("events dropped or degraded so far: %s%s", b.oom ? "?" : b.data,
	       c.dropped_kernel ? " (a larger --ringbuf-size keeps more)" : "");
	lt_buf_free(&b);
	s->kernel_losses_reported = lost;
}

/*
 * Which tier: --mode tracepoint, or lsm (an error if this kernel does not
 * allow it), or auto: lsm where allowed, else tracepoint with one line on
 * stderr saying what is missing. Then the attach plan (--attach).
 */
static int choose_tier(const struct lt_opts *opts, enum lt_tier *tier, struct lt_plan *plan)
{
	const char *env = getenv("LOCKTRACE_ATTACH");
	enum lt_attach want = opts->attach;
	struct lt_probe p;
	char missing[512];
	bool need;

	/* LOCKTRACE_ATTACH=PLAN: --attach's default (the tests run every case
	 * under each plan with it). */
	if (want == LT_ATTACH_AUTO && env && *env && lt_attach_parse(env, &want)) {
		p_err("LOCKTRACE_ATTACH='%s': auto, fexit, syscalls or raw", env);
		return -EINVAL;
	}
	need = opts->mode != LT_MODE_TRACEPOINT || want == LT_ATTACH_AUTO ||
	       want == LT_ATTACH_FEXIT;
	*tier = LT_TIER_TRACEPOINT;
	if (need)
		lt_probe_run(&p);
	if (lt_plan_choose(want, need ? &p : NULL, plan))
		return -EOPNOTSUPP;
	if (opts->mode == LT_MODE_TRACEPOINT)
		return 0;
	if (lt_probe_lsm_tier(&p)) {
		*tier = LT_TIER_LSM;
		return 0;
	}
	lt_probe_lsm_missing(&p, missing, sizeof(missing));
	if (opts->mode == LT_MODE_LSM) {
		p_err("--mode lsm: this kernel does not allow it: %s (see locktrace probe)",
		      missing);
		return -EOPNOTSUPP;
	}
	p_info("LSM tier unavailable (%s); using the tracepoint tier", missing);
	return 0;
}

static int load_attach(struct lt_loader *l, const struct lt_loader_opts *lo)
{
	int err = lt_loader_load(l, lo);

	return err ?: lt_loader_attach(l);
}

/* Load and attach the tier; under --mode auto an LSM tier that fails
 * falls back to the tracepoint tier, saying why. */
static int load_tier(struct lt_session *s, const struct lt_opts *opts, enum lt_tier tier)
{
	struct lt_loader_opts lo = {
		.tier = tier,
		.plan = s->plan.plan,
		.sc_ids = &s->plan.sc_ids,
		.trying = (tier == LT_TIER_LSM && opts->mode == LT_MODE_AUTO) ||
			  (s->plan.chosen && s->plan.plan != LT_ATTACH_RAW),
		.lsm_list = s->facts.lsm_list,
		.patterns = s->patterns,
		.npatterns = s->npatterns,
		.lock_calls_all = opts->npatterns == 0,
		.all = opts->all,
		.pids = opts->pids,
		.npids = opts->npids,
		.uids = opts->uids,
		.nuids = opts->nuids,
		.comms = opts->comms,
		.ncomms = opts->ncomms,
		.min_wait_ms = opts->min_wait_ms,
		.ringbuf_mb = opts->ringbuf_mb,
		.holders = opts->holders,
		.holders_fs = opts->holders_fs,
		.nholders_fs = opts->holders ? opts->nholders_fs : 0,
	};
	int err = load_attach(&s->loader, &lo);

	/* --attach auto: a fexit or syscalls plan that fails falls back to
	 * raw, said in one line. */
	if (err && s->plan.chosen && lo.plan != LT_ATTACH_RAW) {
		p_info("the %s plan failed (%s); using the raw plan", lt_attach_name(lo.plan),
		       s->loader.why);
		lt_loader_destroy(&s->loader);
		snprintf(s->plan.why, sizeof(s->plan.why), "the %s plan failed",
			 lt_attach_name(lo.plan));
		lo.plan = s->plan.plan = LT_ATTACH_RAW;
		lo.trying = tier == LT_TIER_LSM && opts->mode == LT_MODE_AUTO;
		err = load_attach(&s->loader, &lo);
	}
	if (!err || tier != LT_TIER_LSM || opts->mode != LT_MODE_AUTO)
		return err;
	p_info("LSM tier failed (%s); using the tracepoint tier", s->loader.why);
	lt_loader_destroy(&s->loader);
	lo.tier = LT_TIER_TRACEPOINT;
	lo.trying = false;
	return load_attach(&s->loader, &lo);
}

static void json_ids(struct lt_buf *b, const char *key, const __u32 *ids, int n)
{
	lt_buf_printf(b, ",\"%s\":[", key);
	for (int i = 0; i < n; i++)
		lt_buf_printf(b, "%s%u", i ? "," : "", ids[i]);
	lt_buf_puts(b, "]");
}

static void json_now(struct lt_buf *b, const char *key)
{
	struct timespec ts;
	char t[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	lt_format_utc((__s64)ts.tv_sec * 1000000000LL + ts.tv_nsec, t, sizeof(t));
	lt_buf_printf(b, ",\"%s\":\"%s\"", key, t);
}

/* The recording's first line: what, where, how it was traced. */
static int record_header(struct lt_session *s, const struct lt_opts *opts)
{
	struct lt_buf b = {};
	struct utsname u;
	struct stat ns;
	char host[LT_HOST_MAX + 1] = "", machine_id[33];
	int rc;

	uname(&u);
	if (opts->host)
		snprintf(host, sizeof(host), "%s", opts->host);
	else
		gethostname(host, sizeof(host) - 1);
	lt_buf_printf(&b, "{\"type\":\"header\",\"format\":%d,\"host\":", LT_RECORD_FORMAT);
	lt_json_str(&b, host, strlen(host));
	/* Which machine, whatever --host says (two containers of one machine
	 * have one). */
	if (!lt_host_machine_id(machine_id, sizeof(machine_id)))
		lt_buf_printf(&b, ",\"machine_id\":\"%s\"", machine_id);
	/* The mount namespace its mounts (below) are of. */
	if (!stat("/proc/self/ns/mnt", &ns))
		lt_buf_printf(&b, ",\"mntns\":%llu", (unsigned long long)ns.st_ino);
	lt_buf_puts(&b, ",\"kernel\":");
	lt_json_str(&b, u.release, strlen(u.release));
	lt_buf_puts(&b, ",\"locktrace\":");
	lt_json_str(&b, LT_VERSION, strlen(LT_VERSION));
	lt_buf_printf(&b, ",\"tier\":\"%s\",\"attach\":\"%s\"", lt_tier_name(s->loader.tier),
		      lt_attach_name(s->loader.plan));
	json_now(&b, "start");
	lt_buf_printf(&b, ",\"filters\":{\"all\":%s,\"patterns\":[", opts->all ? "true" : "false");
	for (int i = 0; i < s->npatterns; i++) {
		const struct lt_pattern *p = &s->patterns[i];

		lt_buf_puts(&b, i ? "," : "");
		lt_json_str(&b, p->text, p->len);
	}
	lt_buf_puts(&b, "]");
	json_ids(&b, "pids", opts->pids, opts->npids);
	json_ids(&b, "uids", opts->uids, opts->nuids);
	lt_buf_puts(&b, ",\"comms\":[");
	for (int i = 0; i < opts->ncomms; i++) {
		lt_buf_puts(&b, i ? "," : "");
		lt_json_str(&b, opts->comms[i], strnlen(opts->comms[i], LT_COMM_LEN));
	}
	lt_buf_printf(&b, "],\"min_wait_ms\":%g", opts->min_wait_ms);
	if (opts->holders) {
		lt_buf_puts(&b, ",\"holders\":[");
		for (int i = 0; i < opts->nholders_fs; i++) {
			lt_buf_puts(&b, i ? "," : "");
			lt_json_str(&b, opts->holders_fs[i],
				    strnlen(opts->holders_fs[i], LT_FSTYPE_LEN));
		}
		lt_buf_puts(&b, "]");
	}
	lt_buf_puts(&b, "}");
	/* The network mounts (--holders-fs's types, else the default ones),
	 * each as the share it mounts: a report names a failure's file on a
	 * share by them. */
	if (lt_host_mounts_json(&b, opts->holders_fs, opts->nholders_fs))
		p_debug("cannot read /proc/self/mountinfo: the header lists no mounts");
	lt_buf_puts(&b, "}");
	rc = b.oom ? -ENOMEM : lt_output_record_header(&s->out, b.data, b.len);
	lt_buf_free(&b);
	return rc;
}

/* The counters as one JSON object of @type: the recording's last line
 * ("trailer") and, with --json, standard output's ("stats"). */
static void counters_line(struct lt_buf *b, const char *type, const char *end,
			  const struct lt_counters *c)
{
	lt_buf_printf(b, "{\"type\":\"%s\",\"end\":\"%s\"", type, end);
	lt_counters_json(b, c);
	lt_buf_puts(b, "}");
}

/* The summary on stderr: the totals, then what was lost or degraded. */
static void summary(const struct lt_session *s, const struct lt_opts *opts,
		    const struct lt_counters *c)
{
	struct lt_counters losses;
	struct lt_buf b = {};

	p_info("%llu events seen, %llu %s, %llu dropped", c->seen,
	       opts->record ? c->written : s->out.printed, opts->record ? "written" : "printed",
	       c->dropped_kernel);
	/* The ring buffer's losses are the line above's "dropped". */
	losses = *c;
	losses.dropped_kernel = 0;
	if (lt_counters_losses(&b, &losses) && !b.oom)
		p_info("lost or degraded: %s", b.data);
	if (c->filtered)
		p_info("%llu filtered in user space", c->filtered);
	lt_buf_free(&b);
}

/* Decide causes off the reader, with the facts as this session reads them. */
static int start_resolver(struct lt_session *s, const struct lt_opts *opts)
{
	struct lt_resolve_cfg cfg = {
		.facts = &s->facts,
		.locks = &s->locks,
		.timeout_ns = (__u64)opts->facts_timeout_ms * 1000000ULL,
		.explain = s->out.explain,
		.boot_to_real_ns = s->out.fmt.boot_to_real_ns,
		.emit = on_decided,
		.emit_ctx = s,
	};
	int err;

	lt_locks_init(&s->locks);
	err = lt_resolver_new(&s->resolver, &cfg);
	if (err)
		p_err("cannot start the fact workers: %s", strerror(-err));
	return err;
}

static int install_signals(void)
{
	/* SA_RESTART: a write blocked on a slow reader goes on after Ctrl-C
	 * (the poll for events still returns at once). */
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL))
		return -errno;
	/* A closed pipe shows up as EPIPE from write instead. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/*
 * The cifs client's tracepoints: at the start where its module is (a
 * failure said once; tracing goes on without them), and when the module
 * appears later (@later: checked each second while tracing).
 */
static void start_netfs(struct lt_session *s, bool later)
{
	char what[768];
	int r;

	if (!later) {
		if (lt_netfs_start(&s->netfs, &s->loader) && s->netfs.failed)
			p_warn("network filesystem evidence: cifs: %s", s->netfs.why);
		return;
	}
	r = lt_netfs_poll(&s->netfs, &s->loader);
	lt_netfs_describe(&s->netfs, what, sizeof(what));
	if (r > 0)
		p_info("the cifs module appeared: %s", what);
	else if (r < 0)
		p_warn("network filesystem evidence: cifs appeared, but: %s", s->netfs.why);
}

static int poll_loop(struct lt_session *s, struct ring_buffer *rb, double duration)
{
	double start = now_s(), last_check = start;
	struct pollfd fds[2] = {
		{ .fd = ring_buffer__epoll_fd(rb), .events = POLLIN },
		{ .fd = lt_resolver_fd(s->resolver), .events = POLLIN },
	};

	while (!exiting) {
		int due = lt_resolver_due_ms(s->resolver), err = 0;
		double t;

		/* The kernel wakes us only once the ring holds a batch; what
		 * came in below that is read here, at least every LT_POLL_MS,
		 * and as soon as a worker decided the oldest waiting event. */
		if (poll(fds, 2, due >= 0 && due < LT_POLL_MS ? due : LT_POLL_MS) < 0 &&
		    errno != EINTR)
			err = -errno;
		if (!err)
			err = ring_buffer__consume(rb);
		if (err >= 0)
			err = lt_resolver_drain(s->resolver, false);
		if (err == -EPIPE || s->out.stdout_gone)
			return 0;
		if (err < 0 && err != -EINTR) {
			p_err("reading events failed: %s", strerror(-err));
			return err;
		}
		lt_output_flush(&s->out);
		t = now_s();
		if (t - last_check >= 1.0) {
			report_drops(s);
			start_netfs(s, true);
			last_check = t;
		}
		if (duration > 0 && t - start >= duration)
			break;
	}
	return 0;
}

/*
 * The exit code of a -o FILE that cannot be opened (said already): one the
 * recording refuses to write (record.h) is bad usage, one it cannot create
 * a failure to trace.
 */
static int output_exit_code(int err)
{
	if (err == -ELOOP || err == -EEXIST || err == -EISDIR || err == -ENXIO)
		return LT_EXIT_USAGE;
	return LT_EXIT_RUNTIME;
}

int lt_trace_run(const struct lt_opts *opts)
{
	static struct lt_session s; /* large; one per process */
	struct ring_buffer *rb = NULL;
	struct lt_counters c = {};
	struct lt_buf line = {};
	struct timespec ts;
	char end[40], netfs[768];
	enum lt_tier tier;
	int err, cerr;

	memset(&s, 0, sizeof(s));
	lt_verbose = opts->verbose;
	if (lt_loader_check())
		return LT_EXIT_RUNTIME;
	err = lt_output_open(&s.out, opts);
	if (err)
		return output_exit_code(err);
	err = install_signals();
	if (err) {
		p_err("cannot install signal handlers: %s", strerror(-err));
		goto cleanup;
	}
	/* Before the first event: the reader must keep up with a storm. */
	if (setpriority(PRIO_PROCESS, 0, opts->nice))
		p_debug("cannot set nice %d: %s", opts->nice, strerror(errno));
	err = choose_tier(opts, &tier, &s.plan);
	if (err)
		goto cleanup;
	lt_facts_init(&s.facts);
	if (opts->npatterns) {
		memcpy(s.patterns, opts->patterns, sizeof(opts->patterns[0]) * opts->npatterns);
		s.npatterns = opts->npatterns;
	} else {
		s.npatterns = lt_default_patterns(s.patterns, LT_MAX_PATTERNS);
	}
	err = load_tier(&s, opts, tier);
	if (err)
		goto cleanup;
	start_netfs(&s, false);
	rb = ring_buffer__new(lt_loader_events_fd(&s.loader), on_event, &s, NULL);
	if (!rb) {
		err = errno ? -errno : -ENOMEM;
		p_err("cannot set up the ring buffer: %s", strerror(-err));
		goto cleanup;
	}
	lt_facts_use_maps(&s.facts, lt_loader_creators_fd(&s.loader));
	err = start_resolver(&s, opts);
	if (err)
		goto cleanup;
	lt_netfs_describe(&s.netfs, netfs, sizeof(netfs));
	p_info("tracing (tier %s, plan %s: %s; %d programs attached: %s; %s); %s",
	       lt_tier_name(s.loader.tier), lt_attach_name(s.loader.plan), s.plan.why,
	       s.loader.nattached, s.loader.attached, netfs,
	       opts->duration > 0 ? "stops after --duration" : "Ctrl-C to stop");
	lt_output_header(&s.out);
	err = record_header(&s, opts);
	if (err) {
		p_err("out of memory");
		goto cleanup;
	}

	err = poll_loop(&s, rb, opts->duration);

	/* Stop producing, then drain what is already in the ring buffer, so
	 * that seen + dropped accounts for every event the kernel matched. */
	lt_netfs_detach(&s.netfs);
	lt_loader_detach(&s.loader);
	if (!s.out.stdout_gone && ring_buffer__consume(rb) >= 0)
		lt_resolver_drain(s.resolver, true); /* each at most its deadline */
	/* Everything written first: the trailer counts it. */
	lt_output_flush(&s.out);
	session_counts(&s, &c);
cleanup:
	ring_buffer__free(rb);
	if (s.resolver) {
		/* A worker stuck in a lookup may still use the locks cache. */
		if (!lt_resolver_free(s.resolver))
			lt_locks_free(&s.locks);
	}
	lt_netfs_destroy(&s.netfs); /* it uses the tracer's maps */
	if (s.loader.skel)
		lt_loader_destroy(&s.loader);
	if (s.loader.nattached) {
		clock_gettime(CLOCK_REALTIME, &ts);
		lt_format_utc((__s64)ts.tv_sec * 1000000000LL + ts.tv_nsec, end, sizeof(end));
		counters_line(&line, "stats", end, &c);
		if (!line.oom)
			lt_output_stats(&s.out, line.data, line.len);
		lt_buf_reset(&line);
		counters_line(&line, "trailer", end, &c);
	}
	cerr = lt_output_close(&s.out, s.loader.nattached && !line.oom ? line.data : NULL,
			       line.len);
	lt_buf_free(&line);
	if (!err)
		err = cerr;
	if (s.loader.nattached && !s.out.stdout_gone)
		summary(&s, opts, &c);
	return err ? LT_EXIT_RUNTIME : LT_EXIT_OK;
}
