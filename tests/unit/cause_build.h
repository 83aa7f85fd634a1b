/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the test_cause_* tests share: the decision's input built from a
 * case of cause_cases.c, a case checked against its expected cause, and a
 * test binary's run of its direct tests and its domain's cases.
 */
#ifndef LOCKTRACE_TEST_CAUSE_BUILD_H
#define LOCKTRACE_TEST_CAUSE_BUILD_H

#include <stddef.h>
#include <linux/types.h>
#include "cause_cases.h"

struct CMUnitTest;

/* Which test binary runs a case: the domain of its expected kind. */
enum cause_domain {
	CAUSE_DECIDE, /* none, unknown: test_cause_decide */
	CAUSE_DAC, /* dac, dac_search, acl, capability, immutable: test_cause_dac */
	CAUSE_LOCK, /* lock_held, stale_lock, bad_fd_mode: test_cause_lock */
	CAUSE_FS, /* not_found, readonly_fs, no_space, quota, remote_fs: test_cause_fs */
	CAUSE_LSM, /* lsm: test_cause_lsm */
	CAUSE_REMOTE, /* remote_*: a network share's server answered: test_cause_remote */
};

enum cause_domain cause_domain_of(enum lt_cause_kind kind);

/* An access event (static storage: one at a time). */
struct lt_event *cause_make_event(__u32 sys, int err, __u32 fsuid, __u32 fsgid, const char *path);
/* A component at "/o": type, mode, owner and ACL as in struct comp_spec. */
void cause_obj_from(struct lt_obj *o, char type, __u32 mode, __u32 uid, __u32 gid, const char *acl);
/* The decision's input for tc (its event and components in static storage:
 * one case at a time). */
void cause_build(const struct cause_case *tc, struct lt_cause_input *in);

/* The cmocka test of one case (*state: the case). */
void cause_check_case(void **state);

/* Run the direct tests, then one test per case of domain. cmocka's
 * result: the number of failed tests. */
int cause_run(const struct CMUnitTest *direct, size_t ndirect, enum cause_domain domain);

#endif /* LOCKTRACE_TEST_CAUSE_BUILD_H */
