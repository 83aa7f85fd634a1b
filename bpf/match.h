/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The glob matcher, one source for both sides: the BPF program filters with
 * it in the kernel and user space compiles the very same step function for
 * its unit tests and to settle events the kernel flagged
 * LT_EVF_MATCH_UNSURE.
 *
 * Syntax:  *   any run of bytes except '/'
 *          **  any run of bytes, '/' included
 *          ?   one byte except '/'
 *          \c  the byte c literally
 * Everything else matches itself. Patterns are validated and normalised by
 * user space (user/common/pattern.c) before they reach here.
 *
 * Algorithm: greedy scan with two back-tracking points, the last '*' and
 * the last '**'. A '*' may only grow over a byte that is not '/'; when it
 * cannot, the match restarts from the last '**' grown by one byte. Linear
 * for one star, at most O(len(str) * len(pat)) otherwise; a step budget
 * bounds it. tests/unit/test_match.c checks it against a plain recursive
 * reference on random inputs.
 *
 * The state lives in a struct, not in locals, and the BPF side keeps it in
 * a map value: the verifier then sees each step with unknown scalars and
 * checks one iteration, instead of one path per reachable (p, s) pair.
 * Buffers are indexed through masks (a power of two minus one covering the
 * buffer) so the verifier can bound every access.
 */
#ifndef LOCKTRACE_MATCH_H
#define LOCKTRACE_MATCH_H

#ifdef __bpf__
#include "vmlinux.h"
#else
#include <linux/types.h>
#endif

enum lt_match_result {
	LT_NOMATCH = 0,
	LT_MATCH = 1,
	LT_MATCH_MORE = 2, /* step again */
	LT_MATCH_BUDGET = -1, /* ran out of steps: undecided */
};

struct lt_glob_state {
	__s32 star_p; /* pattern index after the last '*', or -1 */
	__s32 dstar_p; /* pattern index after the last '**', or -1 */
	__u32 star_s; /* string index where that '*' stands now */
	__u32 dstar_s;
	__u32 p; /* pattern index */
	__u32 s; /* string index */
	__u32 plen;
	__u32 slen;
	__u32 soff; /* string starts at str[soff] */
	__s32 result;
};

static inline void lt_glob_init(struct lt_glob_state *st, __u32 plen, __u32 soff, __u32 slen)
{
	st->star_p = -1;
	st->dstar_p = -1;
	st->star_s = 0;
	st->dstar_s = 0;
	st->p = 0;
	st->s = 0;
	st->plen = plen;
	st->slen = slen;
	st->soff = soff;
	st->result = LT_MATCH_MORE;
}

/* One step; returns LT_MATCH, LT_NOMATCH or LT_MATCH_MORE. */
static inline int lt_glob_step(struct lt_glob_state *st, const char *pat, __u32 pmask,
			       const char *str, __u32 smask)
{
	__u32 p = st->p, s = st->s, plen = st->plen, slen = st->slen;

	if (p < plen) {
		char c = pat[p & pmask];

		if (c == '*') {
			if (p + 1 < plen && pat[(p + 1) & pmask] == '*') {
				st->p = p + 2;
				st->dstar_p = p + 2;
				st->dstar_s = s;
				st->star_p = -1;
			} else {
				st->p = p + 1;
				st->star_p = p + 1;
				st->star_s = s;
			}
			return LT_MATCH_MORE;
		}
		if (s < slen) {
			char sc = str[(st->soff + s) & smask];
			__u32 adv = 0;

			if (c == '?')
				adv = sc != '/';
			else if (c == '\\' && p + 1 < plen)
				adv = pat[(p + 1) & pmask] == sc ? 2 : 0;
			else
				adv = c == sc;
			if (adv) {
				st->p = p + adv;
				st->s = s + 1;
				return LT_MATCH_MORE;
			}
		}
	} else if (s == slen) {
		return LT_MATCH;
	}
	/* Mismatch: grow the last '*' if it may take this byte, else the
	 * last '**', else there is no match. */
	if (st->star_p >= 0 && st->star_s < slen && str[(st->soff + st->star_s) & smask] != '/') {
		st->star_s += 1;
		st->s = st->star_s;
		st->p = st->star_p;
		return LT_MATCH_MORE;
	}
	if (st->dstar_p >= 0 && st->dstar_s < slen) {
		st->dstar_s += 1;
		st->s = st->dstar_s;
		st->p = st->dstar_p;
		st->star_p = -1;
		return LT_MATCH_MORE;
	}
	return LT_NOMATCH;
}

/* The whole match with a step budget; user space and tests. */
static inline int lt_glob_match(const char *pat, __u32 plen, __u32 pmask, const char *str,
				__u32 soff, __u32 slen, __u32 smask, __u32 budget)
{
	struct lt_glob_state st;
	__u32 i;

	lt_glob_init(&st, plen, soff, slen);
	for (i = 0; i < budget; i++) {
		int r = lt_glob_step(&st, pat, pmask, str, smask);

		if (r != LT_MATCH_MORE)
			return r;
	}
	return LT_MATCH_BUDGET;
}

#endif /* LOCKTRACE_MATCH_H */
