/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Numbers to names: system calls, open flags, lock operations, errnos, and
 * the LSM tier's checks and modules. */
#ifndef LOCKTRACE_DECODE_H
#define LOCKTRACE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "locktrace.h"

/* "open", "openat", "openat2", "creat", "flock", "fcntl", "fcntl64";
 * "truncate", "ftruncate", "truncate64", "ftruncate64", "write",
 * "pwrite64", "writev", "pwritev", "pwritev2", "read", "pread64", "readv",
 * "preadv", "preadv2", "fallocate"; "?" if unknown. */
const char *lt_syscall_name(__u32 sys);
/* JSON "event": "open" for the open family, "flock", "fcntl_lock";
 * "truncate", "write", "read", "fallocate" for the I/O calls. */
const char *lt_event_kind(__u32 sys);
/* fallocate(2) mode: "FALLOC_FL_KEEP_SIZE|FALLOC_FL_PUNCH_HOLE", "0". */
size_t lt_falloc_mode_str(__u32 mode, char *buf, size_t len);
/* preadv2(2)/pwritev2(2) flags: "RWF_NOWAIT|RWF_NOAPPEND", "0". */
size_t lt_rwf_str(__u32 flags, char *buf, size_t len);

/* "O_RDWR|O_CREAT|O_CLOEXEC"; unknown bits as a trailing "0x...".
 * Returns the length written (always NUL-terminated, cut to fit). */
size_t lt_open_flags_str(__u32 flags, char *buf, size_t len);
/* Short form for the text view: "rw", "r", "w" plus "+c" (create),
 * "+x" (exclusive), "+t" (truncate). */
size_t lt_open_access_short(__u32 flags, char *buf, size_t len);
/* flock(2) operation: "LOCK_EX|LOCK_NB". */
size_t lt_flock_op_str(__u32 op, char *buf, size_t len);
/* fcntl lock command: "F_SETLK", "F_SETLKW", "F_OFD_SETLK", "F_OFD_SETLKW";
 * the ia32 fcntl64's "F_SETLK64", "F_SETLKW64". */
const char *lt_fcntl_cmd_name(__u32 cmd);
/* l_type: "F_RDLCK", "F_WRLCK", "F_UNLCK". */
const char *lt_lock_type_name(__u32 type);
/* l_whence: "SEEK_SET", "SEEK_CUR", "SEEK_END". */
const char *lt_whence_name(__s32 whence);
/* The lock layer's fl_flags: "FL_POSIX|FL_SLEEP". */
size_t lt_fl_flags_str(__u32 flags, char *buf, size_t len);
/* openat2 RESOLVE_* flags. */
size_t lt_resolve_str(__u32 resolve, char *buf, size_t len);

/* "EACCES" for 13; NULL when the number has no name. Kernel-internal
 * codes (ERESTARTSYS ...) are named too. */
const char *lt_errno_name(int err);
/* As lt_errno_name, but in the words of system call sys: 11 is
 * "EWOULDBLOCK" for flock (the same number as EAGAIN). */
const char *lt_errno_name_for(int err, __u32 sys);

/* LSM tier: "inode_permission", "security_file_open" ... for enum lt_hook;
 * NULL if unknown. */
const char *lt_hook_name(__u32 hook);
/* "selinux", "apparmor", "landlock", "smack", "tomoyo", "bpf" for enum
 * lt_lsm_id; NULL for none or unknown. */
const char *lt_lsm_id_name(__u32 lsm);
/* The module's name for people: "SELinux", "AppArmor", "Landlock" ...;
 * NULL for none or unknown. */
const char *lt_lsm_title(__u32 lsm);
/* The module's own function behind a module hook refusal, its prefix and
 * the hook: "apparmor_file_open", Landlock's "hook_file_open", in buf; NULL
 * if it is not known. */
const char *lt_lsm_function(__u32 lsm, __u32 hook, char *buf, size_t len);
/* MAY_* bits as "MAY_READ|MAY_WRITE|MAY_OPEN" ("0" for none). */
void lt_may_mask_str(__u32 mask, char *buf, size_t len);

#endif /* LOCKTRACE_DECODE_H */
