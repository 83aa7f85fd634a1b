/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The decision's insides, shared by its files (cause.h lists them) and
 * included nowhere outside user/cause/: the decision being made, what
 * writes its detail line (detail.c), the DAC check's verdict (dac.c), and
 * each family's entry point. decide.c calls the families; they call
 * detail.c and dac.c, never back.
 */
#ifndef LOCKTRACE_DECIDE_H
#define LOCKTRACE_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "locktrace.h"
#include "cause.h"

/* A char array that may lack its NUL, for "%.*s". */
#define ARR(s) (int)sizeof(s), (s)

/* A decision being made: lt_cause_decide()'s input, its output, and what
 * it read from the input once. */
struct decision {
	const struct lt_cause_input *in;
	const struct lt_event *ev;
	struct lt_cause *out;
	int err; /* the call's errno */
	int ngroups;
	int ncomp; /* 0 when there are none (or no array) */
	bool last_is_target; /* comp[ncomp - 1] is the target, not a directory */
	bool owner_said; /* the detail names what the lock file says (in->owner) */
};

/* detail.c: the kind, the evidence and the one-line detail. */
void lt_set_kind(struct decision *c, enum lt_cause_kind kind, enum lt_evidence ev);
void lt_set_detail(struct lt_cause *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void lt_add_detail(struct lt_cause *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "EACCES", "EWOULDBLOCK" for flock, else "errno N" in buf. */
const char *lt_decision_errno(const struct decision *c, char *buf, size_t len);
/* The path of the event itself (open: the name; lock: the descriptor's). */
const char *lt_ev_path(const struct decision *c);
/* The target's path: as looked up, else as the kernel saw it. */
const char *lt_target_path(const struct decision *c);
/* "; ... is a symbolic link (uid U) to T" for the link to comp[idx]. */
void lt_add_link_note(struct decision *c, int idx);
/* "a FIFO (uid 4242 gid 4242)", "a character device 1:3 (uid 0 gid 0)". */
void lt_add_what(struct lt_cause *out, const struct lt_obj *o);
/* "allow rw- on /x" or "allow creating /x", plus the capability used. */
void lt_add_allowed(struct decision *c, bool creating, __u32 want, int via);
/* What the lock file names: "pid 4711 on host web-1, not this host". */
void lt_add_owner(struct decision *c);

/* dac.c: what applied, the class, the ACL entry (or -1), and the bits it
 * gives. */
struct dac_verdict {
	const char *class;
	int acl_entry;
	__u32 perm; /* after the mask, for named and group entries */
};

/* The kernel's acl_permission_check(): 0 granted, -EACCES denied. */
int lt_dac_eval(const struct lt_obj *o, __u32 fsuid, __u32 fsgid, const __u32 *groups, int ngroups,
		__u32 want, struct dac_verdict *v);
/* The first ACL entry with tag, -1 if none. */
int lt_acl_find(const struct lt_obj *o, __u16 tag);
/* The capability half of generic_permission(): would cap alone grant want? */
bool lt_cap_grants(bool is_dir, __u32 mode, int cap, __u32 want);
/* The capability that would grant want, CAP_DAC_READ_SEARCH first; -1. */
int lt_cap_grant_mode(bool is_dir, __u32 mode, __u32 want);

/* detail.c: does holder h stand in the way of the lock ev asked for; its
 * lock in words ("exclusive flock", "write lock on bytes 0-9"). */
bool lt_holder_conflicts(const struct lt_event *ev, const struct lt_holder *h);
/* The bytes an fcntl lock call asked for, inclusive (INT64_MAX: to EOF). */
void lt_lock_req_range(const struct lt_event *ev, __s64 *start, __s64 *end);
void lt_add_holder_lock(struct lt_cause *out, const struct lt_holder *h);

/* The families, by the call's errno (decide.c). */
void lt_decide_lock(struct decision *c); /* lock.c: a lock call */
void lt_decide_eexist(struct decision *c); /* lock.c: O_CREAT|O_EXCL, EEXIST */
void lt_decide_not_found(struct decision *c); /* fs.c: ENOENT */
void lt_decide_readonly_fs(struct decision *c); /* fs.c: EROFS */
void lt_decide_no_space(struct decision *c, bool quota); /* fs.c: ENOSPC, EDQUOT */
void lt_decide_access(struct decision *c); /* perm.c: EACCES, EPERM */
/* When every local check allows it: a remote server (fs.c; false if the
 * filesystem is local), else a security module (lsm.c). */
bool lt_decide_remote(struct decision *c, bool creating, __u32 want, int via);
void lt_decide_lsm(struct decision *c, bool creating, __u32 want, int via);
/* lsm.c: the module that refused when nothing recorded it: Landlock for a
 * process it restricts, else the one active module that refuses file
 * accesses by its own policy; LT_LSM_NONE when there is no single one. */
enum lt_lsm_id lt_lsm_by_elimination(const struct lt_cause_input *in);

/* io.c: a failed I/O call (write, read, truncate, fallocate); and its
 * EACCES alone: a server's or a security module's refusal after open. */
void lt_decide_io(struct decision *c);
void lt_decide_io_access(struct decision *c);

/* remote.c: a network filesystem's server answered, as its client traced
 * it (in->remote), or its client refused by itself. */
/* A lock call refused with EACCES on cifs, where a conflicting lock gives
 * EACCES wherever it is held. */
bool lt_netfs_lock_refusal(const struct decision *c);
/* The answer, if it explains this failure (same errno); NULL otherwise. */
const struct lt_remote *lt_remote_answer(const struct decision *c);
/* The server's NT status decides by itself (access denied, sharing
 * violation, a lock conflict on I/O, read-only, disk full, quota); false
 * if there is none that does. */
bool lt_decide_remote_status(struct decision *c);
/* A lock call refused on a network share that no process holds through
 * this mount: another session's lock, as the server says or by inference;
 * or the client's own refusal. */
void lt_decide_remote_lock(struct decision *c);

/* lsm.c: the LSM tier's record of the refusing check, if it is about this
 * failure; a module hook's refusal; inode_permission()'s, against the
 * reading of the facts. */
const struct lt_deny *lt_kernel_deny(const struct decision *c);
void lt_kernel_lsm(struct decision *c, const struct lt_deny *d);
void lt_kernel_confirm(struct decision *c, const struct lt_deny *d);

#endif /* LOCKTRACE_DECIDE_H */
