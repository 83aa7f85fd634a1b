// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * locktrace kernel side: failed (or, with --all, every) open and lock call
 * on a lock path, with who made it, captured at system-call exit.
 *
 * One BTF raw tracepoint on raw_syscalls:sys_exit reads the arguments back
 * from the saved user registers, so nothing is stored at entry and a
 * successful call costs two compares. Two filelock tracepoints add the
 * lock layer's own view of a failed lock call. Observe only: no program
 * here can change what the kernel decides.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "locktrace.h"
#include "match.h"
#include "compat.bpf.h"
#include "scratch.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AT_FDCWD -100
#define F_UNLCK 2
#define F_SETLK 6
#define F_SETLKW 7
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#define EEXIST 17
/* Kernel-internal restart codes: the call is retried, user space never
 * sees them (include/linux/errno.h). */
#define ERESTARTSYS 512
#define ERESTART_RESTARTBLOCK 516
/* The lock layer's "will wait" verdict (include/linux/filelock.h). */
#define FILE_LOCK_DEFERRED 1
#define PF_KTHREAD 0x00200000 /* include/linux/sched.h */

/* Set by user space between open and load. */
const volatile bool cfg_all = false; /* successes too */
const volatile bool cfg_lock_calls_all = true; /* every lock call passes the path filter */
const volatile __u32 cfg_self_tgid = 0; /* never trace the tracer */
const volatile __u64 cfg_min_wait_ns = 10000000; /* report lock waits this long */
const volatile __u32 cfg_npatterns = 0;
const volatile __u32 cfg_npids = 0;
const volatile __u32 cfg_nuids = 0;
const volatile __u32 cfg_ncomms = 0;
/* Wake the reader once the ring holds this much; below it, the reader
 * finds the events within its poll interval. Batches save a wakeup per
 * event in a storm. */
const volatile __u64 cfg_wakeup_bytes = 1 << 20;

/* Set-valued filters, sized by user space; unused ones cost nothing. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8);
} pid_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8);
} uid_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, char[LT_COMM_LEN]);
	__type(value, __u8);
} comm_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LT_MAX_PATTERNS);
	__type(key, __u32);
	__type(value, struct lt_pattern);
} patterns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lt_stats);
} stats SEC(".maps");

/* The lock layer's view of a lock call in progress, keyed by thread. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct lt_fl_facts);
} fl_inflight SEC(".maps");

/* Lock calls waiting for a lock, keyed by thread: since when, behind whom. */
struct lt_wait {
	__u64 start_ns;
	__u32 blocker_pid;
	__u32 __pad;
};

/* A plain hash: an LRU would evict behind waits_pending's back. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct lt_wait);
} lock_waits SEC(".maps");

/* Lock files seen created (LT_O_CREAT|LT_O_EXCL), system-wide: the creator a
 * failure is explained with. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct lt_inode_key);
	__type(value, struct lt_inode_who);
} creators SEC(".maps");

/* The last release of a lock on each inode: who let a waiter go. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct lt_inode_key);
	__type(value, struct lt_inode_who);
} releases SEC(".maps");

/* Entries in lock_waits: when zero, a successful lock call costs no lookup. */
__u64 waits_pending;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* resized by user space */
} events SEC(".maps");

/* Per-CPU workspaces (bpf/scratch.bpf.h), LT_WS_*. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LT_WS_COUNT);
	__type(key, __u32);
	__type(value, struct lt_scratch);
} scratch SEC(".maps");

#include "path.bpf.h"

static const __u32 zero;
/* The scratch map's key of the tracepoint programs' workspace. */
static const __u32 ws_tp = LT_WS_TP;

/* Count one loss of reason @field (struct lt_stats). Atomic: fexit programs
 * count too, and can be preempted on their CPU. */
#define LT_LOSS(field)                                                      \
	do {                                                                \
		struct lt_stats *__st = bpf_map_lookup_elem(&stats, &zero); \
		if (__st)                                                   \
			__sync_fetch_and_add(&__st->field, 1);              \
	} while (0)

/* pid, uid and comm filters: cheap, and before anything is written. */
static __always_inline bool lt_task_wanted(__u32 tgid)
{
	if (tgid == cfg_self_tgid)
		return false;
	if (cfg_npids && !bpf_map_lookup_elem(&pid_filter, &tgid))
		return false;
	if (cfg_nuids) {
		__u32 uid = (__u32)bpf_get_current_uid_gid();

		if (!bpf_map_lookup_elem(&uid_filter, &uid))
			return false;
	}
	if (cfg_ncomms) {
		char comm[LT_COMM_LEN] = {};

		bpf_get_current_comm(comm, sizeof(comm));
		if (!bpf_map_lookup_elem(&comm_filter, comm))
			return false;
	}
	return true;
}

#include "lsm.bpf.h"

/* ---- path filter ---------------------------------------------------- */

struct lt_loop_ctx {
	struct lt_scratch *sc;
	const struct lt_pattern *pat;
	int result;
};

static long lt_match_cb(__u32 i, struct lt_loop_ctx *lc)
{
	int r = lt_glob_step(&lc->sc->glob, lc->pat->text, LT_PATTERN_MAX - 1, lc->sc->buf,
			     LT_BUF_MASK);

	lc->result = r;
	return r == LT_MATCH_MORE ? 0 : 1;
}

/*
 * One pattern against scratch buf[soff .. soff + slen). Global functions:
 * the verifier checks each once, not once per pattern and call site.
 * lt_match_loop steps with bpf_loop() (5.17+); lt_match_noloop is the
 * bounded-loop fallback for older kernels, where every step is verified,
 * so it has a smaller budget. Only the variant the loader chose is loaded.
 */
#define LT_MATCH_STEPS_NOLOOP 256

static __always_inline int lt_match_prepare(struct lt_loop_ctx *lc, __u32 idx, __u32 soff,
					    __u32 slen)
{
	lc->sc = bpf_map_lookup_elem(&scratch, &ws_tp);
	lc->pat = bpf_map_lookup_elem(&patterns, &idx);
	lc->result = LT_MATCH_MORE;
	if (!lc->sc || !lc->pat)
		return -1;
	lt_glob_init(&lc->sc->glob, lc->pat->len, soff, slen);
	return 0;
}

__noinline int lt_match_loop(__u32 idx, __u32 soff, __u32 slen)
{
	struct lt_loop_ctx lc;

	if (lt_match_prepare(&lc, idx, soff, slen))
		return LT_NOMATCH;
	bpf_loop(LT_MATCH_STEPS, lt_match_cb, &lc, 0);
	return lc.result == LT_MATCH_MORE ? LT_MATCH_BUDGET : lc.result;
}

__noinline int lt_match_noloop(__u32 idx, __u32 soff, __u32 slen)
{
	struct lt_loop_ctx lc;
	__u32 i;

	if (lt_match_prepare(&lc, idx, soff, slen))
		return LT_NOMATCH;
	for (i = 0; i < LT_MATCH_STEPS_NOLOOP; i++) {
		if (lt_match_cb(i, &lc))
			break;
	}
	return lc.result == LT_MATCH_MORE ? LT_MATCH_BUDGET : lc.result;
}

/*
 * Does buf[off .. off + len) match a pattern? LT_MATCH, LT_NOMATCH, or
 * LT_MATCH_BUDGET when some pattern was undecided and none matched.
 */
static __always_inline int lt_path_wanted_body(__u32 off, __u32 len, bool use_loop)
{
	struct lt_scratch *sc = bpf_map_lookup_elem(&scratch, &ws_tp);
	__u32 base = off + len, i;
	int verdict = LT_NOMATCH;

	if (!sc)
		return LT_NOMATCH;

	/* Where the last component starts. */
	for (i = 0; i < LT_NAME_MAX + 1; i++) {
		if (base <= off || sc->buf[(base - 1) & LT_BUF_MASK] == '/')
			break;
		base--;
	}
	for (i = 0; i < LT_MAX_PATTERNS; i++) {
		const struct lt_pattern *pat;
		__u32 key = i, soff = off, slen = len;
		int r;

		if (i >= cfg_npatterns)
			break;
		pat = bpf_map_lookup_elem(&patterns, &key);
		if (!pat)
			break;
		if (pat->kind == LT_PAT_BASENAME) {
			soff = base;
			slen = off + len - base;
		}
		r = use_loop ? lt_match_loop(i, soff, slen) : lt_match_noloop(i, soff, slen);
		if (r == LT_MATCH)
			return LT_MATCH;
		if (r == LT_MATCH_BUDGET)
			verdict = LT_MATCH_BUDGET;
	}
	return verdict;
}

/* Global functions, verified once rather than at each of their callers
 * (the 6.1 verifier ran out of its 1M instructions otherwise). */
__noinline int lt_path_wanted_loop(__u32 off, __u32 len)
{
	return lt_path_wanted_body(off, len, true);
}

__noinline int lt_path_wanted_noloop(__u32 off, __u32 len)
{
	return lt_path_wanted_body(off, len, false);
}

static __always_inline int lt_path_wanted(__u32 off, __u32 len, bool use_loop)
{
	return use_loop ? lt_path_wanted_loop(off, len) : lt_path_wanted_noloop(off, len);
}

/* ---- event assembly ------------------------------------------------- */

static __always_inline void lt_fill_task(struct lt_event *ev, struct task_struct *task)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);
	struct group_info *gi = BPF_CORE_READ(cred, group_info);
	__u64 id = bpf_get_current_pid_tgid();
	__u32 ngroups;

	ev->type = LT_REC_ACCESS;
	ev->ts_boot_ns = bpf_ktime_get_boot_ns();
	ev->tgid = id >> 32;
	ev->tid = (__u32)id;
	ev->ppid = BPF_CORE_READ(task, real_parent, tgid);
	ev->cgroup_id = bpf_get_current_cgroup_id();
	ev->mntns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	ev->userns = BPF_CORE_READ(cred, user_ns, ns.inum);
	ev->uid = BPF_CORE_READ(cred, uid.val);
	ev->gid = BPF_CORE_READ(cred, gid.val);
	ev->euid = BPF_CORE_READ(cred, euid.val);
	ev->egid = BPF_CORE_READ(cred, egid.val);
	ev->fsuid = BPF_CORE_READ(cred, fsuid.val);
	ev->fsgid = BPF_CORE_READ(cred, fsgid.val);
	ev->cap_eff = lt_read_cap_eff(cred);
	if (bpf_core_field_exists(task->loginuid)) {
		ev->auid = BPF_CORE_READ(task, loginuid.val);
		ev->ev_flags |= LT_EVF_HAVE_AUID;
	}
	ngroups = BPF_CORE_READ(gi, ngroups);
	ev->ngroups = ngroups;
	if (ngroups > LT_MAX_GROUPS) {
		ev->ev_flags |= LT_EVF_GROUPS_TRUNCATED;
		ngroups = LT_MAX_GROUPS;
	}
	if (ngroups > 0)
		bpf_probe_read_kernel(ev->groups, ngroups * sizeof(__u32),
				      __builtin_preserve_access_index(&gi->gid));
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
}

/* Flags for an output to the ring buffer: a wakeup only for a batch. */
static __always_inline __u64 lt_wakeup(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes ?
		       BPF_RB_FORCE_WAKEUP :
		       BPF_RB_NO_WAKEUP;
}

/* Count a record sent (@dropped: lost, the ring buffer full). Atomic, as
 * LT_LOSS: lt_selinux_audited can run in softirq context, nested in
 * another program on the same CPU. */
static __always_inline void lt_count(bool dropped)
{
	struct lt_stats *st = bpf_map_lookup_elem(&stats, &zero);

	if (!st)
		return;
	__sync_fetch_and_add(&st->matched, 1);
	if (dropped)
		__sync_fetch_and_add(&st->dropped_kernel, 1);
}

/* Copy buf[off .. off + len) to the record, finish it and send it. */
static __always_inline int lt_emit(struct lt_scratch *sc, struct task_struct *task, __u32 off,
				   __u32 len)
{
	struct lt_event *ev = lt_ev(sc);
	__u32 size;
	long err;

	if (len > LT_PATH_MAX - 1) {
		/* Keep the end: the file's own name matters most. */
		__u32 cut = len - (LT_PATH_MAX - 1);

		off += cut;
		len = LT_PATH_MAX - 1;
		/* The name as passed starts that much earlier, or was cut. */
		ev->arg_off = ev->arg_off > cut ? ev->arg_off - cut : 0;
		ev->ev_flags |= LT_EVF_PATH_TRUNCATED;
	}
	if (ev->ev_flags & LT_EVF_ARGS_UNREADABLE) {
		if (ev->syscall == LT_SYS_OPENAT2)
			LT_LOSS(unreadable_open_how);
		else
			LT_LOSS(unreadable_flock);
	}
	/* Keep the mask in the object: clang drops it as redundant after the
	 * test above, and older verifiers (6.1) then cannot bound len. */
	barrier_var(len);
	len &= LT_PATH_MAX - 1;
	bpf_probe_read_kernel(ev->path, len, &sc->buf[off & LT_BUF_MASK]);
	ev->path[len] = '\0';
	ev->path_len = len;
	lt_fill_task(ev, task);
	size = sizeof(*ev) + len + 1;
	if (sc->deny_valid) {
		/* The LSM tier's refusal: after path[], 8-byte aligned. */
		struct lt_deny *d = lt_slot_deny(&sc->deny);
		__u32 doff = (size + 7) & ~7u, dlen = d->path_len;

		barrier_var(dlen);
		dlen &= LT_PATH_MAX - 1;
		bpf_probe_read_kernel(&sc->rec[doff], sizeof(*d) + dlen + 1, d);
		ev->ev_flags |= LT_EVF_HAVE_DENY;
		size = doff + sizeof(*d) + dlen + 1;
		sc->deny_valid = 0;
	}
	ev->size = size;
	err = bpf_ringbuf_output(&events, ev, size, lt_wakeup());
	lt_count(err != 0);
	return 0;
}

/* Reset the per-CPU record; returns it with the caller's facts to fill. */
static __always_inline struct lt_scratch *lt_begin(__u32 sys, long ret, bool denied, bool ia32)
{
	struct lt_scratch *sc = bpf_map_lookup_elem(&scratch, &ws_tp);
	struct lt_event *ev;

	if (!sc)
		return NULL;
	ev = lt_ev(sc);
	__builtin_memset(ev, 0, sizeof(*ev));
	ev->syscall = sys;
	ev->ret = ret;
	if (ia32)
		ev->ev_flags = LT_EVF_IA32;
	sc->deny_valid = denied; /* lt_take_denial() filled sc->deny */
	return sc;
}

static __always_inline void lt_who_now(struct lt_inode_who *w, __u32 mode)
{
	w->since_ns = bpf_ktime_get_boot_ns();
	w->pid = bpf_get_current_pid_tgid() >> 32;
	w->uid = (__u32)bpf_get_current_uid_gid();
	w->mode = mode;
	bpf_get_current_comm(w->comm, sizeof(w->comm));
}

/* The key of @inode in the inode tables (creators, releases); @key zeroed. */
static __always_inline void lt_inode_key_of(struct lt_inode_key *key, struct inode *inode)
{
	key->ino = BPF_CORE_READ(inode, i_ino);
	key->dev = BPF_CORE_READ(inode, i_sb, s_dev);
}

/* A lock file was created by this open (fd): remember by whom. */
static __always_inline void lt_note_creator(int fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct file *file = lt_fd_file(task, fd);
	struct lt_inode_key key = {};
	struct lt_inode_who who = {};
	struct inode *inode;

	if (!file)
		return;
	inode = BPF_CORE_READ(file, f_inode);
	lt_inode_key_of(&key, inode);
	lt_who_now(&who, BPF_CORE_READ(inode, i_mode));
	if (bpf_map_update_elem(&creators, &key, &who, BPF_ANY))
		LT_LOSS(notes_lost);
}

/*
 * Apply the path filter to buf[off .. off + len), then emit. @note_only: an
 * exclusive create by a process the filters do not ask for, whose creation
 * is noted and nothing sent.
 */
static __always_inline int lt_filter_emit(struct lt_scratch *sc, struct task_struct *task,
					  __u32 off, __u32 len, bool lock_call, bool note_only,
					  bool use_loop)
{
	struct lt_event *ev = lt_ev(sc);

	if (!(lock_call && cfg_lock_calls_all)) {
		int r = lt_path_wanted(off, len, use_loop);

		if (r == LT_NOMATCH)
			return 0;
		if (r == LT_MATCH_BUDGET)
			ev->ev_flags |= LT_EVF_MATCH_UNSURE;
	}
	/* A lock file created by this open: its creator explains a later
	 * refusal. Only the creation is of interest unless --all, or when the
	 * creating process is not one the filters ask for. */
	if (!lock_call && ev->ret >= 0 &&
	    (ev->open_flags & (LT_O_CREAT | LT_O_EXCL)) == (LT_O_CREAT | LT_O_EXCL)) {
		lt_note_creator(ev->ret);
		if (!cfg_all || note_only)
			return 0;
	}
	return lt_emit(sc, task, off, len);
}

static __always_inline int lt_on_open(struct pt_regs *regs, bool ia32, long ret, __u32 sys,
				      bool denied, bool note_only, bool use_loop)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	const char *upath;
	struct lt_scratch *sc;
	struct lt_event *ev;
	__u32 off = LT_HALF + 1, end;
	long n;

	sc = lt_begin(sys, ret, denied, ia32);
	if (!sc)
		return 0;
	ev = lt_ev(sc);
	ev->fd = AT_FDCWD;
	switch (sys) {
	case LT_SYS_OPEN:
		upath = (const char *)lt_arg(regs, ia32, 1);
		ev->open_flags = lt_arg(regs, ia32, 2);
		ev->open_mode = lt_arg(regs, ia32, 3);
		break;
	case LT_SYS_CREAT:
		upath = (const char *)lt_arg(regs, ia32, 1);
		ev->open_flags = LT_O_CREAT | LT_O_WRONLY | LT_O_TRUNC;
		ev->open_mode = lt_arg(regs, ia32, 2);
		break;
	case LT_SYS_OPENAT:
		ev->fd = lt_arg(regs, ia32, 1);
		upath = (const char *)lt_arg(regs, ia32, 2);
		ev->open_flags = lt_arg(regs, ia32, 3);
		ev->open_mode = lt_arg(regs, ia32, 4);
		break;
	default: { /* LT_SYS_OPENAT2: struct open_how is the same in every ABI */
		struct open_how how = {};

		ev->fd = lt_arg(regs, ia32, 1);
		upath = (const char *)lt_arg(regs, ia32, 2);
		if (bpf_probe_read_user(&how, sizeof(how), (void *)lt_arg(regs, ia32, 3)))
			ev->ev_flags |= LT_EVF_ARGS_UNREADABLE; /* counted if sent */
		ev->open_flags = how.flags;
		ev->open_mode = how.mode;
		ev->resolve = how.resolve;
		break;
	}
	}

	/*
	 * The name, read again from the process's memory. One byte more than
	 * the longest name carried (LT_PATH_MAX - 1 bytes, PATH_MAX less its
	 * NUL) is read, so that a name that did not fit is told from one that
	 * fit exactly: the kernel refuses it (ENAMETOOLONG), the event carries
	 * its first LT_PATH_MAX - 1 bytes, flagged.
	 */
	n = bpf_probe_read_user_str(&sc->buf[LT_HALF + 1], LT_PATH_MAX + 1, upath);
	if (n <= 0) {
		/* Gone from its memory, or never readable (EFAULT): no name to
		 * match, nothing to send. */
		if (!note_only)
			LT_LOSS(unreadable_path);
		return 0;
	}
	if (n > LT_PATH_MAX) {
		n = LT_PATH_MAX;
		ev->ev_flags |= LT_EVF_PATH_TRUNCATED;
	}
	end = LT_HALF + n; /* n counts the NUL */
	if (sc->buf[LT_HALF + 1] != '/') {
		/* Relative: resolve the directory it is relative to. */
		struct path *root = __builtin_preserve_access_index(&fs->root);
		struct file *dir = NULL;
		const struct path *base;

		if (ev->fd == AT_FDCWD) {
			base = __builtin_preserve_access_index(&fs->pwd);
		} else {
			dir = lt_fd_file(task, ev->fd);
			if (!dir) {
				ev->ev_flags |= LT_EVF_BAD_FD;
				goto out;
			}
			base = __builtin_preserve_access_index(&dir->f_path);
		}
		lt_walk_path((__u64)base, (__u64)root, LT_WS_TP);
		off = sc->walk.off;
		if (off > LT_HALF)
			off = LT_HALF;
		sc->buf[LT_HALF] = '/';
		ev->ev_flags |= LT_EVF_PATH_RESOLVED;
		if (sc->walk.truncated)
			ev->ev_flags |= LT_EVF_PATH_TRUNCATED;
	}
out:
	ev->arg_off = LT_HALF + 1 - off;
	return lt_filter_emit(sc, task, off, end - off, false, note_only, use_loop);
}

/* Flag the event when its call waited --min-wait or more. */
static __always_inline bool lt_apply_wait(struct lt_event *ev, const struct lt_wait *w)
{
	__u64 waited;

	if (!w)
		return false;
	waited = bpf_ktime_get_boot_ns() - w->start_ns;
	if (waited < cfg_min_wait_ns)
		return false;
	ev->blocker_pid = w->blocker_pid;
	ev->wait_ns = waited;
	ev->ev_flags |= LT_EVF_LOCK_WAIT;
	return true;
}

/* Name and inode of a lock call's descriptor. */
static __always_inline int lt_on_lock_fd(struct lt_scratch *sc, int fd, bool use_loop)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_event *ev = lt_ev(sc);
	struct lt_fl_facts *fl;
	struct file *file;
	__u32 off = LT_HALF;

	ev->fd = fd;
	file = lt_fd_file(task, fd);
	if (file) {
		struct fs_struct *fs = BPF_CORE_READ(task, fs);
		struct path *root = __builtin_preserve_access_index(&fs->root);

		lt_walk_path((__u64)__builtin_preserve_access_index(&file->f_path), (__u64)root,
			     LT_WS_TP);
		off = sc->walk.off;
		if (off > LT_HALF)
			off = LT_HALF;
		if (sc->walk.truncated)
			ev->ev_flags |= LT_EVF_PATH_TRUNCATED;
		struct inode *inode = BPF_CORE_READ(file, f_inode);

		ev->f_mode = BPF_CORE_READ(file, f_mode) & 3; /* FMODE_READ | FMODE_WRITE */
		ev->ino = BPF_CORE_READ(inode, i_ino);
		ev->dev = BPF_CORE_READ(inode, i_sb, s_dev);
		ev->fs_magic = BPF_CORE_READ(inode, i_sb, s_magic);
		ev->i_mode = BPF_CORE_READ(inode, i_mode);
		ev->i_uid = BPF_CORE_READ(inode, i_uid.val);
		ev->i_gid = BPF_CORE_READ(inode, i_gid.val);
		ev->mnt_flags = BPF_CORE_READ(file, f_path.mnt, mnt_flags);
		if (ev->ev_flags & LT_EVF_LOCK_WAIT) {
			struct lt_inode_key key = { .ino = ev->ino, .dev = ev->dev };
			struct lt_inode_who *r = bpf_map_lookup_elem(&releases, &key);

			/* Released while this call waited: that let it go. */
			if (r && r->since_ns >= bpf_ktime_get_boot_ns() - ev->wait_ns)
				ev->releaser_pid = r->pid;
		}
		ev->ev_flags |= LT_EVF_HAVE_INODE;
		if (off == LT_HALF) { /* the root directory itself */
			off = LT_HALF - 1;
			sc->buf[off] = '/';
		}
	} else {
		ev->ev_flags |= LT_EVF_BAD_FD;
	}
	sc->buf[LT_HALF] = '\0';

	fl = bpf_map_lookup_elem(&fl_inflight, &tid);
	if (fl) {
		ev->fl_flags = fl->flags;
		ev->fl_type = fl->type;
		ev->fl_pid = fl->pid;
		ev->fl_start = fl->start;
		ev->fl_end = fl->end;
		ev->fl_ret = fl->ret;
		ev->ev_flags |= LT_EVF_HAVE_FL;
		if (fl->holder_pid && !(ev->ev_flags & LT_EVF_LOCK_WAIT)) {
			/* Who held it at the refusal, from the lock layer's list. */
			ev->blocker_pid = fl->holder_pid;
			ev->ev_flags |= LT_EVF_HAVE_HOLDER;
		}
		bpf_map_delete_elem(&fl_inflight, &tid);
	}
	ev->arg_off = LT_HALF - off;
	return lt_filter_emit(sc, task, off, LT_HALF - off, true, false, use_loop);
}

static __always_inline int lt_on_flock(struct pt_regs *regs, bool ia32, long ret,
				       const struct lt_wait *w, bool denied, bool use_loop)
{
	struct lt_scratch *sc = lt_begin(LT_SYS_FLOCK, ret, denied, ia32);

	if (!sc)
		return 0;
	if (!lt_apply_wait(lt_ev(sc), w) && ret >= 0 && !cfg_all)
		return 0;
	lt_ev(sc)->lock_cmd = lt_arg(regs, ia32, 2);
	return lt_on_lock_fd(sc, lt_arg(regs, ia32, 1), use_loop);
}

/* The struct flock a lock-setting fcntl command reads. */
enum lt_flock_layout {
	LT_FLOCK_NONE = 0, /* not a lock-setting command */
	LT_FLOCK_NATIVE, /* struct flock */
	LT_FLOCK_COMPAT, /* ia32 struct compat_flock */
	LT_FLOCK_COMPAT64, /* ia32 struct compat_flock64 */
};

static __always_inline enum lt_flock_layout lt_flock_layout(__u32 sys, bool ia32, __u32 cmd)
{
	bool setlk = cmd == F_SETLK || cmd == F_SETLKW;
	bool ofd = cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;

	if (!ia32)
		return setlk || ofd ? LT_FLOCK_NATIVE : LT_FLOCK_NONE;
	if (setlk)
		return LT_FLOCK_COMPAT;
	/* The 32-bit fcntl refuses these (EINVAL); fcntl64 takes them. */
	if (sys == LT_SYS_FCNTL64 && (ofd || cmd == LT_F_SETLK64 || cmd == LT_F_SETLKW64))
		return LT_FLOCK_COMPAT64;
	return LT_FLOCK_NONE;
}

/* Read the caller's struct flock, of struct type @type, at @arg into @ev's
 * lock_* fields; the value is bpf_probe_read_user's. Unreadable, they are
 * zero: the copy starts zeroed, and a failed read zeroes it. */
#define LT_READ_FLOCK(type, ev, arg)                                        \
	({                                                                  \
		type __fl = {};                                             \
		long __err = bpf_probe_read_user(&__fl, sizeof(__fl), arg); \
                                                                            \
		(ev)->lock_type = __fl.l_type;                              \
		(ev)->lock_whence = __fl.l_whence;                          \
		(ev)->lock_start = __fl.l_start;                            \
		(ev)->lock_len = __fl.l_len;                                \
		(ev)->lock_pid = __fl.l_pid;                                \
		__err;                                                      \
	})

static __always_inline int lt_on_fcntl(struct pt_regs *regs, bool ia32, __u32 sys, long ret,
				       const struct lt_wait *w, bool denied, bool use_loop)
{
	__u32 cmd = lt_arg(regs, ia32, 2);
	const void *arg = (const void *)lt_arg(regs, ia32, 3);
	enum lt_flock_layout layout = lt_flock_layout(sys, ia32, cmd);
	struct lt_scratch *sc;
	struct lt_event *ev;
	long err;

	if (layout == LT_FLOCK_NONE)
		return 0;
	sc = lt_begin(sys, ret, denied, ia32);
	if (!sc)
		return 0;
	ev = lt_ev(sc);
	if (!lt_apply_wait(ev, w) && ret >= 0 && !cfg_all)
		return 0;
	ev->lock_cmd = cmd;
	if (layout == LT_FLOCK_NATIVE)
		err = LT_READ_FLOCK(struct flock, ev, arg);
	else if (layout == LT_FLOCK_COMPAT)
		err = LT_READ_FLOCK(struct lt_compat_flock, ev, arg);
	else
		err = LT_READ_FLOCK(struct lt_compat_flock64, ev, arg);
	/* Unreadable: still the descriptor's path and inode, flagged. */
	ev->ev_flags |= err ? LT_EVF_ARGS_UNREADABLE : LT_EVF_HAVE_FLOCK;
	return lt_on_lock_fd(sc, lt_arg(regs, ia32, 1), use_loop);
}

#undef LT_READ_FLOCK

/* An open that creates its file exclusively: a lock file's creation. Native
 * numbers and registers; the caller checks the call was a native one. */
static __always_inline bool lt_excl_create(long nr, struct pt_regs *regs)
{
	if (nr == LT_NR_OPENAT)
		return (lt_arg(regs, false, 3) & (LT_O_CREAT | LT_O_EXCL)) ==
		       (LT_O_CREAT | LT_O_EXCL);
	if (nr == LT_NR_OPEN)
		return (lt_arg(regs, false, 2) & (LT_O_CREAT | LT_O_EXCL)) ==
		       (LT_O_CREAT | LT_O_EXCL);
	return false;
}

/* A thread's wait record ends with the lock call that made it, whatever
 * comes of the call (restarted, interrupted, filtered out): none is left
 * behind to be mistaken for a later call's wait. */
static __always_inline bool lt_end_wait(struct lt_wait *out)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_wait *w = bpf_map_lookup_elem(&lock_waits, &tid);

	if (!w)
		return false;
	*out = *w;
	if (!bpf_map_delete_elem(&lock_waits, &tid))
		__sync_fetch_and_add(&waits_pending, -1);
	return true;
}

/* Everything past the hot path (lt_sys_exit_common). */
static __always_inline int lt_sys_exit_slow(struct pt_regs *regs, long ret, long nr, bool use_loop)
{
	struct lt_wait wait = {};
	bool creating, denied, ia32, note_only = false, waited = false;
	__u32 sys, tgid;

	/* LSM tier: a check refused something during this call. */
	denied = denials_pending && lt_take_denial(nr, ret);
	creating = ret >= 0 && lt_excl_create(nr, regs);
	/* Successes matter only with --all, when a lock call waited, or when
	 * an open created a file exclusively (a lock file's creator). */
	if (ret >= 0 && !cfg_all && !creating && (!waits_pending || !lt_maybe_lock_nr(nr)))
		return 0;
	if (!lt_maybe_traced_nr(nr))
		return 0;
	/* Which ABI: the numbers mean other calls in each. (creating read
	 * the native open's arguments: an ia32 call of its number is none of
	 * ours, sys 0.) */
	ia32 = lt_in_compat_syscall((void *)bpf_get_current_task());
	sys = lt_sys_of(nr, ia32);
	if (!sys)
		return 0;
	/* A lock call's wait record ends with it, in every ABI and whatever
	 * comes of the call: none may be left behind. */
	if (lt_sys_is_lock(sys) && waits_pending)
		waited = lt_end_wait(&wait);
	if (ret <= -ERESTARTSYS && ret >= -ERESTART_RESTARTBLOCK)
		return 0; /* restarted, not a failure the process sees */
	tgid = bpf_get_current_pid_tgid() >> 32;
	if (tgid == cfg_self_tgid)
		return 0;
	/* An exclusive create is noted whichever process made it; everything
	 * else is filtered. Only a native open or openat counts as one
	 * (lt_excl_create; without --all the hot path lets no other success
	 * through): an ia32, x32 or openat2 exclusive create is not noted. */
	if (!lt_task_wanted(tgid)) {
		if (!creating)
			return 0;
		note_only = true;
	}

	if (sys == LT_SYS_FLOCK)
		return lt_on_flock(regs, ia32, ret, waited ? &wait : NULL, denied, use_loop);
	if (lt_sys_fcntl(sys))
		return lt_on_fcntl(regs, ia32, sys, ret, waited ? &wait : NULL, denied, use_loop);
	return lt_on_open(regs, ia32, ret, sys, denied, note_only, use_loop);
}

/* Calls of their own: the hot path keeps its few registers, nothing is
 * spilled before its early return. The loader keeps one of the two. */
static __noinline int lt_sys_exit_slow_loop(struct pt_regs *regs, long ret, long nr)
{
	return lt_sys_exit_slow(regs, ret, nr, true);
}

static __noinline int lt_sys_exit_slow_noloop(struct pt_regs *regs, long ret, long nr)
{
	return lt_sys_exit_slow(regs, ret, nr, false);
}

static __always_inline int lt_sys_exit_common(struct pt_regs *regs, long ret, bool use_loop)
{
	long nr = LT_SYSCALL_NR(regs);

	/* The hot path, every successful system call of the machine: out
	 * after a load and two compares, unless --all, a lock wait or a
	 * refusal (LSM tier) is pending, or an open may be creating a lock
	 * file (its creator explains a later refusal). */
	if (ret >= 0 && !cfg_all && !waits_pending && !denials_pending && nr != LT_NR_OPENAT &&
	    nr != LT_NR_OPEN)
		return 0;
	/* Every failure of the machine: none but a traced number goes on to
	 * the call. A lock wait ends only at a lock call's exit, a traced
	 * number. A refusal is kept only during a traced number, and ended at
	 * its exit; while one is kept, every exit goes on, so that one whose
	 * own exit was missed is ended at the thread's next. */
	if (!denials_pending && !lt_maybe_traced_nr(nr))
		return 0;
	return use_loop ? lt_sys_exit_slow_loop(regs, ret, nr) :
			  lt_sys_exit_slow_noloop(regs, ret, nr);
}

/* The loader keeps exactly one of these two: bpf_loop() or not. */
SEC("tp_btf/sys_exit")
int BPF_PROG(lt_sys_exit, struct pt_regs *regs, long ret)
{
	return lt_sys_exit_common(regs, ret, true);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(lt_sys_exit_noloop, struct pt_regs *regs, long ret)
{
	return lt_sys_exit_common(regs, ret, false);
}

/* The lock layer put this thread's request to sleep behind another lock:
 * note since when and behind whom (the first time only, a wait may be
 * retried). */
static __always_inline int lt_wait_begins(struct file_lock *fl)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct task_struct *task = (void *)bpf_get_current_task();
	struct lt_wait w = {};
	long err;

	/* Kernel threads (lock daemons) wait without a system call to end it. */
	if (!fl || (BPF_CORE_READ(task, flags) & PF_KTHREAD) ||
	    !lt_task_wanted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	w.start_ns = bpf_ktime_get_boot_ns();
	w.blocker_pid = lt_file_lock_blocker_pid(fl);
	err = bpf_map_update_elem(&lock_waits, &tid, &w, BPF_NOEXIST);
	if (!err)
		__sync_fetch_and_add(&waits_pending, 1);
	else if (err != -EEXIST) /* -EEXIST: the same call, asleep again */
		LT_LOSS(lock_waits_full); /* a sleep: again at the wait's next */
	return 0;
}

/* The lock layer's verdict, kept for the system-call exit of this thread. */
/* A lock was released while some call waits: note who let the waiter go
 * (only worth a write then). */
static __always_inline void lt_note_release(struct inode *inode, struct file_lock *fl)
{
	struct lt_inode_key key = {};
	struct lt_inode_who who = {};
	struct lt_fl_facts facts = {};

	if (!inode || !fl)
		return;
	lt_read_file_lock(fl, &facts);
	if (facts.type != F_UNLCK)
		return;
	lt_inode_key_of(&key, inode);
	lt_who_now(&who, F_UNLCK);
	if (bpf_map_update_elem(&releases, &key, &who, BPF_ANY))
		LT_LOSS(notes_lost);
}

static __always_inline int lt_on_filelock(struct inode *inode, struct file_lock *fl, int ret,
					  bool posix)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct lt_fl_facts facts = {};

	if (ret == FILE_LOCK_DEFERRED)
		return lt_wait_begins(fl);
	if (ret >= 0 && !cfg_all)
		return 0;
	if (!fl || !lt_task_wanted(bpf_get_current_pid_tgid() >> 32))
		return 0;
	lt_read_file_lock(fl, &facts);
	facts.ret = ret;
	if (ret < 0 && inode)
		facts.holder_pid = lt_conflicting_pid(inode, fl, posix);
	if (bpf_map_update_elem(&fl_inflight, &tid, &facts, BPF_ANY))
		LT_LOSS(lock_layer_lost);
	return 0;
}

/* Successes cost a compare, and a lookup-free write only while some call
 * waits for a lock. */
SEC("tp_btf/flock_lock_inode")
int BPF_PROG(lt_flock_lock_inode, struct inode *inode, struct file_lock *fl, int ret)
{
	if (ret == 0) {
		if (waits_pending)
			lt_note_release(inode, fl);
		if (!cfg_all)
			return 0;
	}
	return lt_on_filelock(inode, fl, ret, false);
}

/* Every attempt of a POSIX lock: the "will wait" verdict, and releases. */
SEC("tp_btf/posix_lock_inode")
int BPF_PROG(lt_posix_lock_inode, struct inode *inode, struct file_lock *fl, int ret)
{
	if (ret == FILE_LOCK_DEFERRED)
		return lt_wait_begins(fl);
	if (ret == 0 && waits_pending)
		lt_note_release(inode, fl);
	return 0;
}

SEC("tp_btf/fcntl_setlk")
int BPF_PROG(lt_fcntl_setlk, struct inode *inode, struct file_lock *fl, int ret)
{
	return lt_on_filelock(inode, fl, ret, true);
}

/*
 * SELinux's own record of a denial: which contexts, which class, which
 * permissions. Loaded only where the kernel has this tracepoint.
 */
SEC("tp_btf/selinux_audited")
int BPF_PROG(lt_selinux_audited, struct selinux_audit_data *sad, char *scontext, char *tcontext,
	     const char *tclass)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct lt_avc *a;
	__u32 denied;

	if (!sad)
		return 0;
	denied = BPF_CORE_READ(sad, denied);
	/* result 0: permissive, the access went ahead; not a refusal. */
	if (!denied || !BPF_CORE_READ(sad, result) || !lt_task_wanted(id >> 32))
		return 0;
	a = bpf_ringbuf_reserve(&events, sizeof(*a), 0);
	if (!a) {
		lt_count(true);
		return 0;
	}
	a->type = LT_REC_AVC;
	a->size = sizeof(*a);
	a->ts_boot_ns = bpf_ktime_get_boot_ns();
	a->tgid = id >> 32;
	a->tid = (__u32)id;
	a->requested = BPF_CORE_READ(sad, requested);
	a->denied = denied;
	a->result = BPF_CORE_READ(sad, result);
	a->__pad = 0;
	bpf_probe_read_kernel_str(a->tclass, sizeof(a->tclass), tclass);
	bpf_probe_read_kernel_str(a->scontext, sizeof(a->scontext), scontext);
	bpf_probe_read_kernel_str(a->tcontext, sizeof(a->tcontext), tcontext);
	bpf_ringbuf_submit(a, lt_wakeup());
	lt_count(false);
	return 0;
}
