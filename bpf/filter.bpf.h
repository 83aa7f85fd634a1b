/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which events are wanted: the process filters (pid, uid, comm; never the
 * tracer itself), cheap and tried first, then the path patterns (the glob
 * matcher of bpf/match.h) on the path built in the scratch buffer.
 */
#ifndef LOCKTRACE_FILTER_BPF_H
#define LOCKTRACE_FILTER_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "locktrace.h"
#include "match.h"
#include "maps.bpf.h"
#include "scratch.bpf.h"

/* task_struct.flags of a kernel thread (include/linux/sched.h), which makes
 * no system call of its own: never one the filters ask for. */
#define PF_KTHREAD 0x00200000

/* ---- processes ------------------------------------------------------ */

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

/* ---- paths ---------------------------------------------------------- */

/* One pattern's match in progress, for each step of the loop. */
struct lt_loop_ctx {
	struct lt_scratch *sc;
	const struct lt_pattern *pat;
	int result;
};

/* One step of the matcher; 1 ends the loop (decided). */
static long lt_match_cb(__u32 i, struct lt_loop_ctx *lc)
{
	int r = lt_glob_step(&lc->sc->glob, lc->pat->text, LT_PATTERN_MAX - 1, lc->sc->buf,
			     LT_BUF_MASK);

	lc->result = r;
	return r == LT_MATCH_MORE ? 0 : 1;
}

/* lt_match_noloop's budget: the verifier walks every step of its loop. */
#define LT_MATCH_STEPS_NOLOOP 256

/* Start matching pattern @idx against buf[soff .. soff + slen). */
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

/*
 * One pattern against scratch buf[soff .. soff + slen). Global functions:
 * the verifier checks each once, not once per pattern and call site.
 * lt_match_loop steps with bpf_loop() (5.17+); lt_match_noloop is the
 * bounded-loop fallback for older kernels, where every step is verified,
 * so it has a smaller budget. Only the variant the loader chose is loaded.
 */
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

/* The path filter, in the variant the loader kept (bpf_loop() or not). */
static __always_inline int lt_path_wanted(__u32 off, __u32 len, bool use_loop)
{
	return use_loop ? lt_path_wanted_loop(off, len) : lt_path_wanted_noloop(off, len);
}

#endif /* LOCKTRACE_FILTER_BPF_H */
