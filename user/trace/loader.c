// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The BPF side's lifecycle: checks, open, configure, load, attach; see
 * loader.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "locktrace.h" /* before the skeleton: its sections hold our types */
#include "locktrace.skel.h"
#include "loader.h"
#include "fexitplan.h"
#include "probe.h"
#include "common/util.h"

#define LT_BTF_PATH "/sys/kernel/btf/vmlinux"
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

const char *lt_tier_name(enum lt_tier tier)
{
	return tier == LT_TIER_LSM ? "lsm" : "tracepoint";
}

/* A load or attach failure: one line, unless the caller is only trying. */
static void fail(struct lt_loader *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct lt_loader *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->why, sizeof(l->why), fmt, ap);
	va_end(ap);
	if (!l->trying)
		p_err("%s", l->why);
}

static int libbpf_print(enum libbpf_print_level level __attribute__((unused)), const char *fmt,
			va_list ap)
{
	/* Only with -v: failures are reported once, in one line, by the
	 * caller; libbpf's own messages (the verifier log) are detail, passed
	 * on as libbpf wrote them (the one exception to util.h's p_*()). */
	if (!lt_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static bool cap_has(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

int lt_loader_check(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	if (syscall(SYS_capget, &hdr, data)) {
		int err = -errno;

		p_err("cannot read this process's capabilities: %s", strerror(-err));
		return err;
	}
	if (!cap_has(data, CAP_SYS_ADMIN) &&
	    !(cap_has(data, CAP_BPF) && cap_has(data, CAP_PERFMON))) {
		bool bpf = cap_has(data, CAP_BPF), perf = cap_has(data, CAP_PERFMON);

		p_err("not privileged: missing %s%s%s (or CAP_SYS_ADMIN); run as root",
		      bpf ? "" : "CAP_BPF", !bpf && !perf ? " and " : "",
		      perf ? "" : "CAP_PERFMON");
		return -EPERM;
	}
	if (access(LT_BTF_PATH, R_OK)) {
		p_err("no kernel BTF at %s: this kernel was built without "
		      "CONFIG_DEBUG_INFO_BTF, which locktrace needs",
		      LT_BTF_PATH);
		return -ENOENT;
	}
	return 0;
}

/* bpf_loop() arrived in 5.17; older kernels get the bounded-loop matcher.
 * LOCKTRACE_NO_BPF_LOOP=1 forces the fallback (tests use it). */
static bool have_bpf_loop(void)
{
	const char *force = getenv("LOCKTRACE_NO_BPF_LOOP");

	if (force && *force && strcmp(force, "0"))
		return false;
	return libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_loop, NULL) == 1;
}

/* Does the running kernel have tracepoint @name (its BTF has btf_trace_<name>)? */
static bool kernel_has_tracepoint(const struct btf *btf, const char *name)
{
	char type[128];

	if (!btf)
		return false;
	snprintf(type, sizeof(type), "btf_trace_%s", name);
	return btf__find_by_name_kind(btf, type, BTF_KIND_TYPEDEF) >= 0;
}

/*
 * The LSM tier's checks (bpf/lsm.def): their programs read the arguments
 * by position (BPF_PROG), so the kernel function must have exactly @nargs.
 * The module hook programs read only the return value and need no check.
 */
static const struct lsm_func {
	const char *func;
	int nargs;
	bool required; /* without it the tier is not worth having */
} lsm_funcs[] = {
#define LT_LSM_HOOK(ID, value, func, nargs, required) { #func, nargs, required },
#include "lsm.def"
};

/*
 * The check behind program @prog, whose kernel function is @target: fexit/
 * on the function of an LT_LSM_HOOK row; lsm/<hook> on bpf_lsm_<hook>, with
 * the arguments of the row security_<hook>, and never required (BPF LSM
 * may be inactive). NULL if it is none of them.
 */
static const struct lsm_func *lsm_func(const struct bpf_program *prog, const char *target,
				       struct lsm_func *bpf_lsm)
{
	const char *sec = bpf_program__section_name(prog);
	char func[96];

	if (!strncmp(sec, "lsm/", 4))
		snprintf(func, sizeof(func), "security_%s", sec + 4);
	else
		snprintf(func, sizeof(func), "%s", target);
	for (size_t i = 0; i < ARRAY_SIZE(lsm_funcs); i++) {
		if (strcmp(lsm_funcs[i].func, func))
			continue;
		if (strncmp(sec, "lsm/", 4))
			return &lsm_funcs[i];
		*bpf_lsm = (struct lsm_func){ target, lsm_funcs[i].nargs, false };
		return bpf_lsm;
	}
	return NULL;
}

/* Arguments of kernel function @name in @btf; -1 if it is not there. */
static int func_nargs(const struct btf *btf, const char *name)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	const struct btf_type *t;

	if (id < 0)
		return -1;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);
	return t ? btf_vlen(t) : -1;
}

/* The kernel function an fexit/ or lsm/ program attaches to. */
static bool prog_target(const struct bpf_program *prog, char *buf, size_t len)
{
	const char *sec = bpf_program__section_name(prog);

	if (!strncmp(sec, "fexit/", 6))
		snprintf(buf, len, "%s", sec + 6);
	else if (!strncmp(sec, "lsm/", 4))
		snprintf(buf, len, "bpf_lsm_%s", sec + 4);
	else
		return false;
	return true;
}

/* The fexit plan's programs (fexitplan.c), all off under another plan. */
static int select_fexit_plan(struct lt_loader *l, const struct btf *btf)
{
	char why[192];
	int err = lt_fexit_select(l->skel->obj, btf, l->plan == LT_ATTACH_FEXIT, &l->nfexit, why,
				  sizeof(why));

	if (err)
		fail(l, "fexit plan: %s", why);
	return err;
}

/*
 * Choose the LSM tier's programs: all of them off in the tracepoint tier;
 * in the LSM tier those this kernel has, with the expected arguments, and
 * of the modules' own hook functions those of active modules.
 */
static int select_lsm_progs(struct lt_loader *l, const struct btf *vmlinux, const char *lsm_list)
{
	const struct btf *btf = l->tier == LT_TIER_LSM ? vmlinux : NULL;
	struct bpf_program *prog;
	char target[96];
	int err = 0;

	if (!lsm_list)
		lsm_list = "";
	if (l->tier == LT_TIER_LSM && !btf) {
		fail(l, "LSM tier: cannot read the kernel's BTF");
		return -ENOENT;
	}
	bpf_object__for_each_program(prog, l->skel->obj) {
		const struct lsm_func *f;
		struct lsm_func bpf_lsm;
		const char *module;
		bool on = false;

		if (!prog_target(prog, target, sizeof(target)) || lt_fexit_is_plan_prog(prog))
			continue;
		if (!btf) {
			bpf_program__set_autoload(prog, false);
			continue;
		}
		/* fexit on a module's own hook function (bpf_lsm_<hook> too);
		 * lsm/ programs are checked for their arguments below. */
		module = strncmp(bpf_program__section_name(prog), "fexit/", 6) ?
				 NULL :
				 lt_lsm_hook_module(target);
		if (module) {
			/* A module's own hook: only where the module is active. */
			on = func_nargs(btf, target) >= 0 && lt_list_has(lsm_list, module);
		} else if ((f = lsm_func(prog, target, &bpf_lsm))) {
			int n = func_nargs(btf, target);

			on = n == f->nargs;
			if (!on && f->required) {
				fail(l, "LSM tier: %s in this kernel %s", target,
				     n < 0 ? "is not in its BTF" :
					     "has other arguments than expected");
				err = -ENOENT;
			}
		}
		if (!on)
			p_debug("LSM tier: %s skipped (not here, or its module is not active)",
				target);
		bpf_program__set_autoload(prog, on);
	}
	return err;
}

/*
 * Workspaces of the fexit programs per CPU: one for each of them preempted
 * half-way through a record at the same time (bpf/scratch.bpf.h), at most
 * LT_WS_FEXIT_N. LOCKTRACE_FEXIT_WORKSPACES=N takes fewer (tests use it to
 * make them run out).
 */
static int fexit_workspaces(void)
{
	const char *env = getenv("LOCKTRACE_FEXIT_WORKSPACES");
	int n = env && *env ? atoi(env) : LT_WS_FEXIT_N;

	return n < 1 ? 1 : n > LT_WS_FEXIT_N ? LT_WS_FEXIT_N : n;
}

/*
 * Holds the kernel keeps at once (--holders): LT_HOLDS_MAX;
 * LOCKTRACE_HOLDS_MAX=N takes fewer (tests use it to fill the table).
 */
static __u32 holds_max(void)
{
	const char *env = getenv("LOCKTRACE_HOLDS_MAX");
	long n = env && *env ? atol(env) : LT_HOLDS_MAX;

	return n < 1 ? 1 : n > LT_HOLDS_MAX ? LT_HOLDS_MAX : (__u32)n;
}

static int fill_set(struct bpf_map *map, const void *keys, size_t key_size, int n)
{
	__u8 one = 1;

	for (int i = 0; i < n; i++) {
		int err = bpf_map__update_elem(map, (const char *)keys + i * key_size, key_size,
					       &one, sizeof(one), BPF_ANY);

		if (err)
			return err;
	}
	return 0;
}

/* The attach plan's programs (--attach), in the matcher's variant; the
 * syscalls plan's are attached by lt_loader_attach(). */
static int select_plan_progs(struct lt_loader *l)
{
	struct locktrace_bpf *skel = l->skel;
	bool raw = l->plan == LT_ATTACH_RAW, sc = l->plan == LT_ATTACH_SYSCALLS;
	bool fexit = l->plan == LT_ATTACH_FEXIT;

	if (!raw && !fexit && (!sc || !l->sc_ids)) {
		fail(l, "the %s plan is not in this build", lt_attach_name(l->plan));
		return -EOPNOTSUPP;
	}
	/* The fexit plan's programs: select_fexit_plan(), with the BTF. */
	skel->rodata->cfg_use_loop = l->use_loop;
	bpf_program__set_autoload(skel->progs.lt_sys_exit, raw && l->use_loop);
	bpf_program__set_autoload(skel->progs.lt_sys_exit_noloop, raw && !l->use_loop);
	bpf_program__set_autoload(skel->progs.lt_sc_exit, sc && l->use_loop);
	bpf_program__set_autoload(skel->progs.lt_sc_exit_noloop, sc && !l->use_loop);
	/* A thread's end ends what it left pending where not every exit is
	 * seen. */
	bpf_program__set_autoload(skel->progs.lt_task_exit, !raw);
	return 0;
}

int lt_loader_load(struct lt_loader *l, const struct lt_loader_opts *o)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	struct locktrace_bpf *skel;
	struct btf *vmlinux;
	int err;

	memset(l, 0, sizeof(*l));
	l->tier = o->tier;
	l->plan = o->plan;
	l->sc_ids = o->sc_ids;
	l->trying = o->trying;
	libbpf_set_print(libbpf_print);
	/* Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK. */
	setrlimit(RLIMIT_MEMLOCK, &rl);

	skel = locktrace_bpf__open();
	if (!skel) {
		err = errno ? -errno : -ENOMEM;
		fail(l, "cannot open the BPF object: %s", strerror(-err));
		return err;
	}
	l->skel = skel;
	skel->rodata->cfg_all = o->all;
	skel->rodata->cfg_lock_calls_all = o->lock_calls_all;
	skel->rodata->cfg_self_tgid = getpid();
	skel->rodata->cfg_npatterns = o->npatterns;
	skel->rodata->cfg_npids = o->npids;
	skel->rodata->cfg_nuids = o->nuids;
	skel->rodata->cfg_ncomms = o->ncomms;
	l->npids = o->npids;
	l->nuids = o->nuids;
	l->ncomms = o->ncomms;
	skel->rodata->cfg_min_wait_ns = (__u64)(o->min_wait_ms * 1e6);
	/* A wakeup per eighth of the ring: few enough in a storm, and the
	 * reader is never far behind. */
	skel->rodata->cfg_wakeup_bytes = ((__u64)o->ringbuf_mb << 20) / 8;
	bpf_map__set_max_entries(skel->maps.pid_filter, o->npids ?: 1);
	bpf_map__set_max_entries(skel->maps.uid_filter, o->nuids ?: 1);
	bpf_map__set_max_entries(skel->maps.comm_filter, o->ncomms ?: 1);
	bpf_map__set_max_entries(skel->maps.events, o->ringbuf_mb << 20);

	l->use_loop = have_bpf_loop();
	err = select_plan_progs(l);
	if (err)
		return err;
	/* --holders: its programs, in the same variant; nothing without it. */
	bpf_program__set_autoload(skel->progs.lt_hold_flock, o->holders && l->use_loop);
	bpf_program__set_autoload(skel->progs.lt_hold_flock_noloop, o->holders && !l->use_loop);
	bpf_program__set_autoload(skel->progs.lt_hold_posix, o->holders && l->use_loop);
	bpf_program__set_autoload(skel->progs.lt_hold_posix_noloop, o->holders && !l->use_loop);
	skel->rodata->cfg_nholders_fs = o->nholders_fs;
	for (int i = 0; i < o->nholders_fs && i < LT_HOLDERS_FS_MAX; i++)
		memcpy((void *)skel->rodata->cfg_holders_fs[i], o->holders_fs[i], LT_FSTYPE_LEN);
	bpf_map__set_max_entries(skel->maps.holds, o->holders ? holds_max() : 1);
	p_debug("matcher: %s", l->use_loop ? "bpf_loop" : "bounded loop (no bpf_loop)");
	/* The kernel's BTF, parsed once for the choices below. */
	vmlinux = btf__load_vmlinux_btf();
	/* SELinux's denial records, where the kernel was built with SELinux. */
	bpf_program__set_autoload(skel->progs.lt_selinux_audited,
				  kernel_has_tracepoint(vmlinux, "selinux_audited"));
	err = select_lsm_progs(l, vmlinux, o->lsm_list);
	if (!err)
		err = select_fexit_plan(l, vmlinux);
	btf__free(vmlinux);
	if (err)
		return err;
	if (l->tier == LT_TIER_TRACEPOINT) {
		/* Nothing writes these: keep them small. */
		bpf_map__set_max_entries(skel->maps.denials, 1);
		bpf_map__set_max_entries(skel->maps.module_verdicts, 1);
		/* The tracepoint programs' workspace only. */
		bpf_map__set_max_entries(skel->maps.scratch, 1);
	} else {
		bpf_map__set_max_entries(skel->maps.scratch, LT_WS_FEXIT + fexit_workspaces());
	}

	err = locktrace_bpf__load(skel);
	if (err) {
		fail(l, "cannot load the BPF programs (%s tier): %s%s", lt_tier_name(l->tier),
		     strerror(-err), lt_verbose ? "" : " (-v shows the verifier log)");
		return err;
	}

	for (int i = 0; i < o->npatterns; i++) {
		__u32 key = i;

		err = bpf_map__update_elem(skel->maps.patterns, &key, sizeof(key), &o->patterns[i],
					   sizeof(o->patterns[i]), BPF_ANY);
		if (err) {
			p_err("cannot set the path filter: %s", strerror(-err));
			return err;
		}
	}
	if (bpf_program__autoload(skel->progs.lt_fxc_slow)) {
		__u32 key = 0;
		int fd = bpf_program__fd(skel->progs.lt_fxc_slow);

		err = bpf_map__update_elem(skel->maps.fexit_slow, &key, sizeof(key), &fd,
					   sizeof(fd), BPF_ANY);
		if (err) {
			fail(l, "fexit plan: cannot set its slow path: %s", strerror(-err));
			return err;
		}
	}
	err = fill_set(skel->maps.pid_filter, o->pids, sizeof(o->pids[0]), o->npids);
	if (!err)
		err = fill_set(skel->maps.uid_filter, o->uids, sizeof(o->uids[0]), o->nuids);
	if (!err)
		err = fill_set(skel->maps.comm_filter, o->comms, sizeof(o->comms[0]), o->ncomms);
	if (err)
		p_err("cannot set the process filters: %s", strerror(-err));
	return err;
}

/* "raw_syscalls:sys_exit" for SEC("tp_btf/sys_exit"), "avc:selinux_audited",
 * "fexit:inode_permission", "lsm:file_open", "syscalls:sys_exit_* (19
 * calls)" for the syscalls plan's; the others are filelock tracepoints,
 * "(holders)" after those of --holders. */
static void tp_name(const struct lt_loader *l, const struct bpf_program *prog, char *buf,
		    size_t len)
{
	const char *sec = bpf_program__section_name(prog);
	const char *name = strchr(sec, '/');
	int n = 0;

	if (!strcmp(sec, "tracepoint")) {
		for (int i = 0; i < LT_SC_COUNT; i++)
			n += l->sc_links[i] != NULL;
		snprintf(buf, len, "syscalls:sys_exit_* (%d calls)", n);
		return;
	}
	name = name ? name + 1 : sec;
	if (!strncmp(sec, "fexit/", 6) || !strncmp(sec, "lsm/", 4)) {
		snprintf(buf, len, "%.*s:%s", (int)(name - 1 - sec), sec, name);
		return;
	}
	snprintf(buf, len, "%s:%s%s",
		 !strcmp(name, "sys_exit")	     ? "raw_syscalls" :
		 !strcmp(name, "selinux_audited")    ? "avc" :
		 !strcmp(name, "sched_process_exit") ? "sched" :
						       "filelock",
		 name, strncmp(bpf_program__name(prog), "lt_hold_", 8) ? "" : " (holders)");
}

int lt_loader_attach(struct lt_loader *l)
{
	struct bpf_program *prog;
	size_t off = 0;
	int err;

	err = locktrace_bpf__attach(l->skel);
	if (err) {
		fail(l, "cannot attach the BPF programs (%s tier): %s", lt_tier_name(l->tier),
		     strerror(-err));
		return err;
	}
	if (l->plan == LT_ATTACH_SYSCALLS) {
		char why[192];

		prog = l->use_loop ? l->skel->progs.lt_sc_exit : l->skel->progs.lt_sc_exit_noloop;
		err = lt_sc_attach(prog, l->sc_ids, l->sc_links, why, sizeof(why));
		if (err) {
			fail(l, "syscalls plan: %s", why);
			return err;
		}
	}
	if (l->nfexit) {
		/* The fexit plan's programs, in one entry. */
		off = snprintf(l->attached, sizeof(l->attached),
			       "fexit: %d entry functions of the traced calls", l->nfexit);
		l->nattached = l->nfexit;
	}
	bpf_object__for_each_program(prog, l->skel->obj) {
		if (!bpf_program__autoload(prog) || !bpf_program__autoattach(prog) ||
		    lt_fexit_is_plan_prog(prog))
			continue;
		char name[64];

		tp_name(l, prog, name, sizeof(name));
		off += snprintf(l->attached + off, sizeof(l->attached) - off, "%s%s",
				l->nattached ? ", " : "", name);
		if (off >= sizeof(l->attached))
			off = sizeof(l->attached) - 1;
		l->nattached++;
	}
	return 0;
}

void lt_loader_detach(struct lt_loader *l)
{
	lt_sc_detach(l->sc_links);
	if (l->skel)
		locktrace_bpf__detach(l->skel);
}

int lt_loader_stats(struct lt_loader *l, struct lt_stats *out)
{
	int ncpus = libbpf_num_possible_cpus();
	struct lt_stats *per;
	__u32 key = 0;
	int err;

	memset(out, 0, sizeof(*out));
	if (ncpus <= 0)
		return -EINVAL;
	per = calloc(ncpus, sizeof(*per));
	if (!per)
		return -ENOMEM;
	err = bpf_map__lookup_elem(l->skel->maps.stats, &key, sizeof(key), per,
				   sizeof(*per) * ncpus, 0);
	for (int i = 0; !err && i < ncpus; i++) {
		out->matched += per[i].matched;
		out->dropped_kernel += per[i].dropped_kernel;
#define LT_STATS_SUM(name, kind, phrase) out->name += per[i].name;
		LT_KERNEL_LOSSES(LT_STATS_SUM)
#undef LT_STATS_SUM
	}
	free(per);
	return err;
}

__u64 lt_loader_recursion_misses(struct lt_loader *l)
{
	struct bpf_program *prog;
	__u64 sum = 0;

	bpf_object__for_each_program(prog, l->skel->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		memset(&info, 0, sizeof(info));
		/* Kernels before 5.12 have no such field: it stays 0. */
		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			sum += info.recursion_misses;
	}
	return sum;
}

int lt_loader_creators_fd(struct lt_loader *l)
{
	return bpf_map__fd(l->skel->maps.creators);
}

int lt_loader_map_fd(struct lt_loader *l, const char *name)
{
	struct bpf_map *map;

	if (!strcmp(name, ".data.remote"))
		map = l->skel->maps.data_remote;
	else
		map = bpf_object__find_map_by_name(l->skel->obj, name);
	return map ? bpf_map__fd(map) : -ENOENT;
}

void lt_loader_set_cifs_layout(struct lt_loader *l, const struct lt_cifs_layout *layout)
{
	struct lt_cifs_layout c = *layout;

	/* The section is mapped: the programs see it at once; valid last. */
	c.valid = 0;
	l->skel->data_remote->cifs_layout = c;
	__atomic_store_n(&l->skel->data_remote->cifs_layout.valid, layout->valid, __ATOMIC_RELEASE);
}

int lt_loader_events_fd(struct lt_loader *l)
{
	return bpf_map__fd(l->skel->maps.events);
}

void lt_loader_destroy(struct lt_loader *l)
{
	lt_loader_detach(l);
	locktrace_bpf__destroy(l->skel);
	l->skel = NULL;
}
