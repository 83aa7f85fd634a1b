/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The words of a cause, one X-macro table each for the enum and its names:
 * its kinds, its evidence, how complete its facts are and the lookups that
 * find them; and the names of file types and capabilities. names.c needs
 * nothing else: the report links it alone.
 */
#ifndef LOCKTRACE_NAMES_H
#define LOCKTRACE_NAMES_H

#include <linux/types.h>

/* What refused. X(kind, JSON name) */
#define LT_CAUSE_KINDS(X)                                                                    \
	X(LT_CAUSE_NONE, "none") /* the call succeeded */                                    \
	X(LT_CAUSE_DAC, "dac") /* the mode bits deny the file */                             \
	X(LT_CAUSE_DAC_SEARCH, "dac_search") /* a directory denies search (or create) */     \
	X(LT_CAUSE_ACL, "acl") /* a POSIX ACL entry denies */                                \
	X(LT_CAUSE_CAPABILITY, "capability") /* a capability that would pass is missing */   \
	X(LT_CAUSE_LSM, "lsm") /* DAC allows; a security module refused */                   \
	X(LT_CAUSE_READONLY_FS, "readonly_fs") /* EROFS */                                   \
	X(LT_CAUSE_NO_SPACE, "no_space") /* ENOSPC */                                        \
	X(LT_CAUSE_QUOTA, "quota") /* EDQUOT */                                              \
	X(LT_CAUSE_IMMUTABLE, "immutable") /* chattr +i or +a */                             \
	X(LT_CAUSE_LOCK_HELD, "lock_held") /* another process holds the lock */              \
	X(LT_CAUSE_STALE_LOCK, "stale_lock") /* the lock file's owner pid is gone */         \
	X(LT_CAUSE_BAD_FD_MODE, "bad_fd_mode") /* the descriptor's mode does not allow it */ \
	X(LT_CAUSE_NOT_FOUND, "not_found") /* ENOENT */                                      \
	X(LT_CAUSE_REMOTE_FS, "remote_fs") /* local bits allow; the server refused */        \
	X(LT_CAUSE_UNKNOWN, "unknown") /* anything else: the raw facts, never a guess */     \
	X(LT_CAUSE_REMOTE_LOCK_CONFLICT, "remote_lock_conflict") /* another client has it */ \
	X(LT_CAUSE_REMOTE_SHARING_VIOLATION, "remote_sharing_violation") /* deny-share */    \
	X(LT_CAUSE_REMOTE_ACCESS_DENIED, "remote_access_denied") /* the server's ACL */      \
	X(LT_CAUSE_REMOTE_READ_ONLY, "remote_read_only") /* the server: write-protected */   \
	X(LT_CAUSE_REMOTE_DISK_FULL, "remote_disk_full") /* the server: disk full */         \
	X(LT_CAUSE_REMOTE_QUOTA, "remote_quota") /* the server: quota exceeded */

enum lt_cause_kind {
#define LT_X(e, name) e,
	LT_CAUSE_KINDS(LT_X)
#undef LT_X
};

/* How many kinds there are. */
#define LT_X(e, name) +1
enum { LT_CAUSE_KIND_COUNT = 0 LT_CAUSE_KINDS(LT_X) };
#undef LT_X

/* How the cause was established. X(evidence, JSON name) */
#define LT_EVIDENCES(X)                                                            \
	X(LT_EV_KERNEL, "kernel") /* captured in the kernel at the failure */      \
	X(LT_EV_POSTHOC, "post-hoc") /* re-checked on the filesystem afterwards */ \
	X(LT_EV_INFERRED, "inferred") /* by elimination */                         \
	X(LT_EV_LOCK_FILE, "lock-file") /* what the lock file says (owner_hint) */

enum lt_evidence {
#define LT_X(e, name) e,
	LT_EVIDENCES(LT_X)
#undef LT_X
};

/*
 * How complete the facts looked up afterwards are. They are looked up off
 * the event reader, each event within a deadline (resolve.h): a filesystem
 * that does not answer leaves its events without them.
 * X(state, JSON name)
 */
#define LT_FACTS_STATES(X)                                                           \
	X(LT_FACTS_COMPLETE, "complete") /* every lookup answered */                 \
	X(LT_FACTS_TIMEOUT, "timeout") /* a lookup did not answer in time */         \
	X(LT_FACTS_SLOW, "slow_mount") /* skipped: on a mount that did not answer */ \
	X(LT_FACTS_BUSY, "busy") /* skipped: every fact worker was waiting */        \
	X(LT_FACTS_PATH_CUT, "path_truncated") /* the path is not whole: not looked up */

enum lt_facts_state {
#define LT_X(e, name) e,
	LT_FACTS_STATES(LT_X)
#undef LT_X
};

/* The steps of looking up the facts; those on the event's own filesystems
 * can wait on them. X(lookup, what it does, in a sentence) */
#define LT_LOOKUPS(X)                                                         \
	X(LT_LOOKUP_NONE, "looking up")                                       \
	X(LT_LOOKUP_PROC, "reading /proc for") /* mounts, locks, processes */ \
	X(LT_LOOKUP_PATH, "looking up") /* a path component */                \
	X(LT_LOOKUP_STATFS, "statfs of") /* free space */                     \
	X(LT_LOOKUP_PIDFILE, "reading") /* a pid file */

/* Does the lookup ask the event's own filesystems (which may not answer)? */
#define LT_LOOKUP_ON_FS(l) ((l) >= LT_LOOKUP_PATH)

enum lt_lookup {
#define LT_X(e, what) e,
	LT_LOOKUPS(LT_X)
#undef LT_X
};

/* "dac", "dac_search", ... as in JSON; "none" for LT_CAUSE_NONE. */
const char *lt_cause_kind_name(enum lt_cause_kind kind);
/* "kernel", "post-hoc", "inferred". */
const char *lt_evidence_name(enum lt_evidence ev);
/* "complete", "timeout", ... as in JSON. */
const char *lt_facts_state_name(enum lt_facts_state state);
/* "looking up", "statfs of", "reading". */
const char *lt_lookup_name(enum lt_lookup lookup);
/* What st_mode's type is, as in the cause's JSON: "file", "dir", "fifo",
 * "chardev", "blockdev", "socket", "symlink"; "?" for anything else. */
const char *lt_file_type_name(__u32 mode);
/* The same for people: "regular file", "FIFO", "character device" ... */
const char *lt_file_type_words(__u32 mode);
/* "CAP_DAC_OVERRIDE" for 1, "CAP_DAC_READ_SEARCH" for 2, "?" otherwise. */
const char *lt_cap_name(int cap);

#endif /* LOCKTRACE_NAMES_H */
