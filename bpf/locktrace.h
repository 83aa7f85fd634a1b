/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * locktrace ABI: only what crosses the kernel/user boundary.
 *
 * Included by the BPF side (its types from vmlinux.h) and by user space
 * (from <linux/types.h>). Fixed-width types only, explicit padding, every
 * record starts with a __u32 type tag. The _Static_asserts at the bottom
 * are compiled on both sides, so a layout drift fails the build.
 */
#ifndef LOCKTRACE_H
#define LOCKTRACE_H

#ifdef __bpf__
#include "vmlinux.h"
#else
#include <stdbool.h>
#include <linux/types.h>
#endif
#include "oflags.h"

#define LT_COMM_LEN 16
#define LT_MAX_GROUPS 16
/* Longest path carried in an event, including the terminating NUL. */
#define LT_PATH_MAX 4096
/* Longest glob pattern, including the terminating NUL. */
#define LT_PATTERN_MAX 128
/* Most patterns the kernel-side filter holds. */
#define LT_MAX_PATTERNS 32
/* Matcher steps per pattern before the kernel gives up and lets user
 * space decide (the event is then flagged LT_EVF_MATCH_UNSURE). */
#define LT_MATCH_STEPS 1024

/* Record types: the first __u32 of every ring-buffer record. */
enum lt_rec_type {
	LT_REC_ACCESS = 1, /* struct lt_event: an open, lock or I/O call */
	LT_REC_AVC = 2, /* struct lt_avc: an SELinux denial */
};

/* The system call behind an access record. */
enum lt_syscall {
	LT_SYS_OPEN = 1,
	LT_SYS_OPENAT = 2,
	LT_SYS_OPENAT2 = 3,
	LT_SYS_CREAT = 4,
	LT_SYS_FLOCK = 5,
	LT_SYS_FCNTL = 6,
	LT_SYS_FCNTL64 = 7, /* 32-bit (ia32) only */
	/* I/O after open, traced when it fails (lt_sys_is_io). truncate
	 * takes a name, the others a descriptor. */
	LT_SYS_TRUNCATE = 8,
	LT_SYS_FTRUNCATE = 9,
	LT_SYS_TRUNCATE64 = 10, /* 32-bit (ia32) only */
	LT_SYS_FTRUNCATE64 = 11, /* 32-bit (ia32) only */
	LT_SYS_WRITE = 12,
	LT_SYS_PWRITE64 = 13,
	LT_SYS_WRITEV = 14,
	LT_SYS_PWRITEV = 15,
	LT_SYS_PWRITEV2 = 16,
	LT_SYS_READ = 17,
	LT_SYS_PREAD64 = 18,
	LT_SYS_READV = 19,
	LT_SYS_PREADV = 20,
	LT_SYS_PREADV2 = 21,
	LT_SYS_FALLOCATE = 22,
};

/* An fcntl lock call: fcntl, or the ia32 fcntl64. */
static inline bool lt_sys_fcntl(__u32 sys)
{
	return sys == LT_SYS_FCNTL || sys == LT_SYS_FCNTL64;
}

/* A lock call (flock or an fcntl lock call); the others open a file. */
static inline bool lt_sys_is_lock(__u32 sys)
{
	return sys == LT_SYS_FLOCK || lt_sys_fcntl(sys);
}

/* An I/O call on a file already open, or truncate by name: reported only
 * when it fails (never with --all). */
static inline bool lt_sys_is_io(__u32 sys)
{
	return sys >= LT_SYS_TRUNCATE && sys <= LT_SYS_FALLOCATE;
}

/* An open-family call (open, openat, openat2, creat). */
static inline bool lt_sys_is_open(__u32 sys)
{
	return sys >= LT_SYS_OPEN && sys <= LT_SYS_CREAT;
}

/* The I/O calls by what they do, the event they are reported as. */
static inline bool lt_sys_is_truncate(__u32 sys)
{
	return sys >= LT_SYS_TRUNCATE && sys <= LT_SYS_FTRUNCATE64;
}

static inline bool lt_sys_is_write(__u32 sys)
{
	return sys >= LT_SYS_WRITE && sys <= LT_SYS_PWRITEV2;
}

static inline bool lt_sys_is_read(__u32 sys)
{
	return sys >= LT_SYS_READ && sys <= LT_SYS_PREADV2;
}

/* truncate and the ia32 truncate64 take a name; every other I/O call a
 * descriptor. */
static inline bool lt_sys_by_name(__u32 sys)
{
	return sys == LT_SYS_TRUNCATE || sys == LT_SYS_TRUNCATE64;
}

/* Lock-setting fcntl commands that take a struct flock64, of 32-bit ABIs
 * only (include/uapi/asm-generic/fcntl.h): the ia32 fcntl64's. Not libc's
 * F_SETLK64, which is F_SETLK on a 64-bit build. */
#define LT_F_SETLK64 13
#define LT_F_SETLKW64 14

/* lt_event.ev_flags */
enum lt_ev_flags {
	/* path[] was cut: too long or too deep to resolve fully. */
	LT_EVF_PATH_TRUNCATED = 1u << 0,
	/* The process passed a relative name; the directory part of path[]
	 * was resolved in the kernel from its dirfd or working directory. */
	LT_EVF_PATH_RESOLVED = 1u << 1,
	/* The kernel matcher ran out of steps; user space re-checks. */
	LT_EVF_MATCH_UNSURE = 1u << 2,
	/* ino, dev, fs_magic, i_mode, i_uid, i_gid, i_flags, mnt_flags,
	 * f_mode are valid (the descriptor of a lock call or an I/O call). */
	LT_EVF_HAVE_INODE = 1u << 3,
	/* lock_type/whence/start/len/pid were read from the caller's
	 * struct flock. */
	LT_EVF_HAVE_FLOCK = 1u << 4,
	/* fl_* were captured by a filelock tracepoint during this call. */
	LT_EVF_HAVE_FL = 1u << 5,
	/* auid is valid (kernel built with audit). */
	LT_EVF_HAVE_AUID = 1u << 6,
	/* The dirfd or lock descriptor was not an open file. */
	LT_EVF_BAD_FD = 1u << 7,
	/* More supplementary groups than LT_MAX_GROUPS: groups[] is cut. */
	LT_EVF_GROUPS_TRUNCATED = 1u << 8,
	/* A blocking lock call waited wait_ns (>= --min-wait) for blocker_pid:
	 * reported whatever the call's result. */
	LT_EVF_LOCK_WAIT = 1u << 9,
	/* LSM tier: a struct lt_deny follows path[] (see lt_event_deny). */
	LT_EVF_HAVE_DENY = 1u << 10,
	/* A refused lock call: blocker_pid held a conflicting lock on the
	 * inode when the lock layer refused (read from its lock list). */
	LT_EVF_HAVE_HOLDER = 1u << 11,
	/* The call's structure argument (openat2's struct open_how, fcntl's
	 * struct flock) could not be read from the process's memory at exit:
	 * open_flags/open_mode/resolve or lock_* are unknown. */
	LT_EVF_ARGS_UNREADABLE = 1u << 12,
	/* A 32-bit (ia32) system call: its numbers, argument registers and
	 * struct flock are the compat ABI's. */
	LT_EVF_IA32 = 1u << 13,
	/* A network filesystem's own answer (struct lt_remote) follows path[]
	 * and the LSM tier's record, if any (see lt_event_remote). A high bit:
	 * the flags below it are the access record's own. */
	LT_EVF_HAVE_REMOTE = 1u << 20,
	/* --holders: a lock taken or let go on a watched filesystem; a struct
	 * lt_hold follows path[] (see lt_event_hold). Never with HAVE_DENY. */
	LT_EVF_HAVE_HOLD = 1u << 14,
};

/* One open, lock or I/O call, as seen at system-call exit. */
struct lt_event {
	__u32 type; /* LT_REC_ACCESS */
	__u32 size; /* bytes in this record, path[] included */
	__u64 ts_boot_ns; /* CLOCK_BOOTTIME at system-call exit */
	__u64 cgroup_id;
	__u64 cap_eff; /* effective capability set */
	__s64 ret; /* system-call return value (-errno on failure) */

	__u32 tgid;
	__u32 tid;
	__u32 ppid;
	__u32 mntns; /* mount-namespace inode number */

	__u32 uid; /* real */
	__u32 gid;
	__u32 euid;
	__u32 egid;
	__u32 fsuid;
	__u32 fsgid;
	__u32 auid; /* audit login uid, see LT_EVF_HAVE_AUID */
	__u32 ngroups; /* supplementary groups the process has */
	__u32 groups[LT_MAX_GROUPS];

	__u32 syscall; /* enum lt_syscall */
	__u32 ev_flags; /* enum lt_ev_flags */
	__s32 fd; /* dirfd of open*, descriptor of a lock or I/O call */
	__u32 open_flags; /* O_* of open*, creat is O_CREAT|O_WRONLY|O_TRUNC;
			   * I/O calls: the descriptor's, as the file keeps them */
	__u32 open_mode;
	__u32 resolve; /* openat2 RESOLVE_* */
	__u32 lock_cmd; /* fcntl F_* command, or flock LOCK_* operation */
	__u32 lock_type; /* struct flock l_type (F_RDLCK/F_WRLCK/F_UNLCK) */
	__s32 lock_whence;
	__s32 lock_pid;
	__s64 lock_start;
	__s64 lock_len;

	__u64 ino; /* inode behind a lock call's descriptor */
	__u64 fs_magic; /* its filesystem's magic (statfs f_type) */
	__u32 i_mode; /* its mode, owner and group, as they were */
	__u32 i_uid;
	__u32 i_gid;
	__u32 mnt_flags; /* its mount's MNT_* flags (MNT_READONLY 0x40) */
	__u32 dev; /* its device, kernel encoding (MAJOR << 20 | MINOR) */
	__s32 fl_ret; /* the lock layer's own verdict */
	__u32 fl_flags; /* FL_POSIX, FL_FLOCK, FL_OFDLCK, FL_SLEEP ... */
	__u32 fl_type; /* F_RDLCK, F_WRLCK, F_UNLCK as the lock layer saw it */
	__s64 fl_start;
	__s64 fl_end;
	__u32 fl_pid;
	__u32 blocker_pid; /* LT_EVF_LOCK_WAIT: who held the lock when it began;
			    * LT_EVF_HAVE_HOLDER: who held it at the refusal */
	__u64 wait_ns; /* LT_EVF_LOCK_WAIT: how long the call waited */
	__u32 releaser_pid; /* LT_EVF_LOCK_WAIT: who last released a lock on the
			     * inode during the wait (0 unseen) */
	__u32 userns; /* user-namespace inode number of the credentials */

	__u16 path_len; /* bytes in path[], the NUL not counted */
	/* path + arg_off is the name exactly as the process passed it;
	 * arg_off == path_len when there was none (lock calls). */
	__u16 arg_off;
	__u32 f_mode; /* lock and I/O calls: the descriptor's FMODE_READ (1) /
		       * FMODE_WRITE (2) */
	char comm[LT_COMM_LEN];
	/* I/O calls (lt_sys_is_io): what the call asked. */
	__s64 io_off; /* pread, pwrite, preadv, pwritev, fallocate: the offset
		       * (-1 for preadv2 and pwritev2: the file position);
		       * truncate, ftruncate: the new length */
	__u64 io_len; /* read, write, pread, pwrite: bytes; readv, writev,
		       * preadv, pwritev: iovecs; fallocate: bytes */
	__u32 io_flags; /* fallocate: FALLOC_FL_*; preadv2, pwritev2: RWF_* */
	__u32 i_flags; /* LT_EVF_HAVE_INODE: the inode's S_APPEND, S_IMMUTABLE
			* (LT_S_*) as they were at the call */
	char path[]; /* absolute, NUL-terminated, at most LT_PATH_MAX */
};

/*
 * LSM tier: the check inside the kernel that refused the call, captured
 * when it returned the error. Follows the event's path[] at the next
 * 8-byte boundary, with its own path[] after it; the record's size covers
 * both.
 */
enum lt_hook {
#define LT_LSM_HOOK(ID, value, func, nargs, required) LT_HOOK_##ID = value,
#include "lsm.def"
	LT_HOOK_COUNT,
};

/* Which security module refused, as its own hook function told. */
enum lt_lsm_id {
	LT_LSM_NONE = 0, /* not a module: LT_HOOK_INODE_PERMISSION */
	LT_LSM_UNKNOWN = 1, /* a module hook refused; which module is not known */
#define LT_LSM_MODULE(ID, value, name, title, fn_prefix, mac) LT_LSM_##ID = value,
#include "lsm.def"
	LT_LSM_COUNT,
};

/* lt_deny.flags */
enum lt_deny_flags {
	LT_DENY_PATH_TRUNCATED = 1u << 0,
	/* The path is relative to the object's own filesystem (the mount it
	 * was reached through is not known), e.g. "/locks/x.lock" on a
	 * filesystem mounted at /srv. */
	LT_DENY_PATH_IN_FS = 1u << 1,
	/* Creation hooks: the object is the directory, path[] ends with the
	 * name being created after it ("/dir" "/" "name"): name_off. */
	LT_DENY_HAS_NAME = 1u << 2,
};

/* Inode flags of lt_deny.i_flags (include/linux/fs.h S_*). */
#define LT_S_APPEND 4
#define LT_S_IMMUTABLE 8

struct lt_deny {
	__u32 hook; /* enum lt_hook */
	__u32 lsm; /* enum lt_lsm_id */
	__s32 ret; /* what the check returned */
	__u32 mask; /* MAY_* asked (permission hooks), mode (create), cmd (lock) */
	__u64 ino; /* the object refused */
	__u32 dev; /* kernel encoding (MAJOR << 20 | MINOR) */
	__u32 i_mode;
	__u32 i_uid;
	__u32 i_gid;
	__u32 i_flags; /* S_IMMUTABLE, S_APPEND ... */
	__u16 path_len; /* bytes in path[], the NUL not counted */
	__u16 flags; /* enum lt_deny_flags */
	__u16 name_off; /* LT_DENY_HAS_NAME: where the name starts in path[] */
	__u16 __pad[3];
	char path[]; /* as the process sees it, NUL-terminated */
};

/* Where the struct lt_deny of an event with path_len bytes of path starts. */
#define LT_DENY_OFFSET(path_len) ((sizeof(struct lt_event) + (path_len) + 1 + 7) & ~7UL)

/*
 * A network filesystem's own answer to the call, as its client traced it:
 * for cifs, the server's NT status (smb3_cmd_err) with the SMB2 command,
 * session and tree it came back on, the client's failing operation
 * (smb3_lock_err, smb3_open_err, smb3_write_err ...) and its errno, or the
 * client's own refusal without asking the server (smb3_exit_err: the cifs
 * function that returned the error). Follows the event's path[] (and the
 * struct lt_deny with its path, if any) at the next 8-byte boundary.
 */
enum lt_remote_flags {
	LT_REMOTE_STATUS = 1u << 0, /* status, cmd, mid, status_rc: the server's answer */
	LT_REMOTE_FID = 1u << 1, /* fid: the open file's (persistent) id on the server */
	LT_REMOTE_RANGE = 1u << 2, /* offset, len: a read or write */
	LT_REMOTE_CLIENT = 1u << 3, /* func, rc: the client's function that failed */
	LT_REMOTE_BY_FID = 1u << 4, /* fired in the client's own thread (cifsd),
				     * found by the file's id */
};

/* The client's failing operation (lt_remote.op). */
enum lt_remote_op {
	LT_ROP_NONE = 0,
	LT_ROP_OPEN = 1, /* smb3_open_err */
	LT_ROP_LOCK = 2, /* smb3_lock_err */
	LT_ROP_READ = 3, /* smb3_read_err */
	LT_ROP_WRITE = 4, /* smb3_write_err */
	LT_ROP_SET_EOF = 5, /* smb3_set_eof_err */
};

/* lt_remote.fs */
#define LT_NETFS_CIFS 1
/* statfs magics of the cifs client (include/uapi/linux/magic.h, and
 * fs/smb/client/cifsglob.h's SMB2_SUPER_MAGIC), as lt_event.fs_magic
 * carries them. */
#define LT_CIFS_MAGIC 0xFF534D42
#define LT_SMB2_MAGIC 0xFE534D42

#define LT_REMOTE_FUNC_MAX 32

struct lt_remote {
	__u32 fs; /* LT_NETFS_* */
	__u32 flags; /* enum lt_remote_flags */
	__u32 status; /* NT status (LT_REMOTE_STATUS) */
	__u16 cmd; /* SMB2 command of the answer */
	__u16 op; /* enum lt_remote_op, LT_ROP_NONE if none fired */
	__s32 status_rc; /* the errno the client made of the status */
	__s32 rc; /* the operation's or function's errno */
	__u32 tid; /* tree (share) id */
	__u32 __pad;
	__u64 sesid; /* session id */
	__u64 mid; /* the request's message id */
	__u64 fid; /* LT_REMOTE_FID */
	__u64 offset; /* LT_REMOTE_RANGE */
	__u32 len;
	__u32 __pad2;
	__u64 ts_ns; /* CLOCK_BOOTTIME of the last answer */
	char func[LT_REMOTE_FUNC_MAX]; /* LT_REMOTE_CLIENT: "cifs_flock" */
};

/*
 * Where the cifs client keeps an open file's id on the server, read from
 * the module's BTF by user space once it is loaded (the module may come
 * after the tracer): file->private_data is a struct cifsFileInfo, its
 * fid.persistent_fid at fid_off, its tlink at tlink_off; tcon_link.tl_tcon
 * at tcon_off; cifs_tcon.tid at tid_off. valid: all of them were found.
 */
struct lt_cifs_layout {
	__u32 valid;
	__u32 fid_off;
	__u32 tlink_off;
	__u32 tcon_off;
	__u32 tid_off;
	__u32 __pad;
};

/*
 * --holders: a lock taken or let go on a filesystem of the watched types
 * (network shares), seen by the lock layer's tracepoints. Follows the
 * event's path[] at LT_HOLD_OFFSET, with its own path[] (the file's path
 * within its filesystem, from that filesystem's root) after it. The
 * event's fl_* fields are the lock layer's request (an F_UNLCK one for a
 * release); type, start and end here are the lock as it was held.
 */
enum lt_hold_state {
	LT_HOLD_ACQUIRED = 1, /* taken, or changed (another type or range) */
	LT_HOLD_RELEASED = 2, /* its owner's last lock on the file let go */
};

/* How a release came (lt_hold.how). */
enum lt_hold_how {
	LT_HOLD_CALL = 0, /* a lock call (flock LOCK_UN, fcntl F_UNLCK) */
	LT_HOLD_CLOSE = 1, /* a descriptor closed (the lock layer's FL_CLOSE) */
	LT_HOLD_EXIT = 2, /* the same, while the process exits */
};

/* lt_hold.flags */
enum lt_hold_flags {
	/* The holds table was full: the acquisition is reported but not
	 * kept, so its release will not be (counted: holds_full). */
	LT_HOLD_UNTRACKED = 1u << 0,
	/* Recorded by a kernel thread on the lock's behalf (NFSv4 enters a
	 * lock the server granted from an nfsiod worker): pid and tid are the
	 * lock's own (fl_pid); the other process fields are the thread's. */
	LT_HOLD_KTHREAD = 1u << 1,
	/* The event's fd is the descriptor of the call (not known otherwise). */
	LT_HOLD_HAVE_FD = 1u << 2,
	LT_HOLD_SOURCE_TRUNCATED = 1u << 3,
	LT_HOLD_PATH_TRUNCATED = 1u << 4,
};

/* A filesystem type's name in the kernel (file_system_type.name), NUL
 * included; --holders-fs takes names of at most LT_FSTYPE_LEN - 1 bytes, and
 * at most LT_HOLDERS_FS_MAX of them. */
#define LT_FSTYPE_LEN 16
#define LT_HOLDERS_FS_MAX 16
/* The mount's source (the device name it was mounted with), NUL included. */
#define LT_SOURCE_MAX 256
/* The path within the filesystem, NUL included: the record then fits the
 * workspace a refusal's record has (LT_DENY_SIZE, bpf/scratch.bpf.h). */
#define LT_HOLD_PATH_MAX 3824

struct lt_hold {
	__u64 id; /* the same in a lock's acquisition and its release; 0: untracked */
	__u64 held_ns; /* released: how long it was held */
	__u32 state; /* enum lt_hold_state */
	__u32 how; /* enum lt_hold_how */
	__u32 flags; /* enum lt_hold_flags */
	__u32 type; /* F_RDLCK, F_WRLCK: the lock as it was held */
	__s64 start; /* its range, as the lock layer keeps it (end inclusive) */
	__s64 end;
	__u16 source_len; /* bytes in source[], the NUL not counted */
	__u16 path_len; /* bytes in path[], the NUL not counted */
	/* The file's mount point as the process sees it: the event's path's
	 * first mount_len bytes ("/" when 0: the process's root). */
	__u16 mount_len;
	__u16 __pad;
	char fstype[LT_FSTYPE_LEN];
	char source[LT_SOURCE_MAX];
	char path[];
};

/* Where the struct lt_hold of an event with path_len bytes of path starts. */
#define LT_HOLD_OFFSET(path_len) LT_DENY_OFFSET(path_len)

#define LT_CONTEXT_MAX 256
#define LT_TCLASS_MAX 32

/* An SELinux denial (avc:selinux_audited), for the failure it causes in
 * the same thread. */
struct lt_avc {
	__u32 type; /* LT_REC_AVC */
	__u32 size;
	__u64 ts_boot_ns;
	__u32 tgid;
	__u32 tid;
	__u32 requested; /* permission bits of tclass */
	__u32 denied;
	__s32 result;
	__u32 __pad;
	char tclass[LT_TCLASS_MAX];
	char scontext[LT_CONTEXT_MAX];
	char tcontext[LT_CONTEXT_MAX];
};

/*
 * What the kernel side lost or degraded, by reason, besides a full ring
 * buffer (dropped_kernel): X(name, kind, phrase). name is the struct
 * lt_stats field and the JSON key, phrase what the summary says after the
 * number; kind is LOSS (user/trace/counters.h, the table of all counters,
 * takes these in).
 *  unreadable_path      an open's name could not be read at exit (gone
 *                       from the process's memory, or never readable:
 *                       EFAULT): it cannot be matched, nothing is sent
 *  unreadable_open_how  sent with LT_EVF_ARGS_UNREADABLE
 *  unreadable_flock     sent with LT_EVF_ARGS_UNREADABLE
 *  lock_waits_full      a lock-wait sleep not recorded (lock_waits full):
 *                       counted at each sleep, and a wait sleeps again
 *                       each time it is woken and loses the race for the
 *                       lock; a wait none of whose sleeps was recorded is
 *                       not reported as a lock wait
 *  lock_layer_lost      the lock layer's view of a failing lock call not
 *                       kept (fl_inflight update failed)
 *  notes_lost           a lock file's creator, a release or a module's
 *                       verdict not noted (an update of creators,
 *                       releases or module_verdicts failed)
 *  denials_full         LSM tier: a refusal not kept (denials full)
 *  workspace_busy       a record not made, the workspace it needs held
 *                       by a preempted trampoline program of this CPU:
 *                       LSM tier, a refusal (every fexit workspace
 *                       taken); fexit plan, a call's record or a hold
 *                       (the tracepoint workspace taken)
 *  remote_lost          a network filesystem's answer not kept for its
 *                       system call's exit (remote_tids full)
 *  holds_full           --holders: a lock taken that could not be kept in
 *                       the holds table (full): its acquisition is
 *                       reported, its release will not be
 */
#define LT_KERNEL_LOSSES(X)                                                            \
	X(unreadable_path, LOSS, "unreadable user memory (path)")                      \
	X(unreadable_open_how, LOSS, "unreadable user memory (open_how)")              \
	X(unreadable_flock, LOSS, "unreadable user memory (struct flock)")             \
	X(lock_waits_full, LOSS, "lock-wait sleeps not recorded (lock_waits full)")    \
	X(lock_layer_lost, LOSS, "lock layer views not kept (fl_inflight)")            \
	X(notes_lost, LOSS, "creators, releases or module verdicts not noted")         \
	X(denials_full, LOSS, "refusals not kept (denials full)")                      \
	X(workspace_busy, LOSS, "records not made (workspace busy)")                   \
	X(remote_lost, LOSS, "network filesystem answers not kept (remote_tids full)") \
	X(holds_full, LOSS, "lock holds not kept (holds full)")

#define LT_STATS_FIELD(name, kind, phrase) __u64 name;

/* Kernel-side counters, one copy per CPU, summed by user space. */
struct lt_stats {
	__u64 matched; /* events that passed every filter */
	__u64 dropped_kernel; /* of those, lost because the ring buffer was full */
	LT_KERNEL_LOSSES(LT_STATS_FIELD)
};

/*
 * Who created a lock file, and who last released a lock on an inode, as the
 * kernel saw it happen. Keys name an inode (kernel dev encoding,
 * MAJOR << 20 | MINOR); both sides zero the padding, which the hash covers.
 */
struct lt_inode_key {
	__u64 ino;
	__u32 dev;
	__u32 __pad;
};

struct lt_inode_who {
	__u64 since_ns; /* CLOCK_BOOTTIME */
	__u32 pid;
	__u32 uid;
	__u32 mode; /* creators: i_mode after umask; releases: F_UNLCK */
	__u32 flags;
	char comm[LT_COMM_LEN];
};

/*
 * Keys of the scratch map, the programs' per-CPU workspaces
 * (bpf/scratch.bpf.h): the tracepoint programs' one, then the fexit
 * programs' (LSM tier), as many as user space sizes the map for, at most
 * LT_WS_FEXIT_N: fexit programs preempted half-way through a record on one
 * CPU at the same time, each holding one.
 */
#define LT_WS_TP 0
#define LT_WS_FEXIT 1
#define LT_WS_FEXIT_N 3

/* Value of the pattern map. */
struct lt_pattern {
	__u32 len; /* bytes in text[], the NUL not counted */
	__u32 kind; /* enum lt_pattern_kind */
	char text[LT_PATTERN_MAX];
};

enum lt_pattern_kind {
	LT_PAT_PATH = 0, /* matched against the whole absolute path */
	LT_PAT_BASENAME = 1, /* matched against the last component */
};

_Static_assert(sizeof(struct lt_event) == 344, "lt_event header layout changed");
_Static_assert(sizeof(struct lt_event) % 8 == 0, "lt_event must stay 8-byte aligned");
_Static_assert(sizeof(struct lt_deny) == 56, "lt_deny layout changed");
_Static_assert(sizeof(struct lt_deny) % 8 == 0, "lt_deny must stay 8-byte aligned");
_Static_assert(sizeof(struct lt_stats) == 96, "lt_stats layout changed");
_Static_assert(sizeof(struct lt_remote) == 112, "lt_remote layout changed");
_Static_assert(sizeof(struct lt_remote) % 8 == 0, "lt_remote must stay 8-byte aligned");
_Static_assert(sizeof(struct lt_cifs_layout) == 24, "lt_cifs_layout layout changed");
_Static_assert(sizeof(struct lt_avc) == 584, "lt_avc layout changed");
_Static_assert(sizeof(struct lt_inode_key) == 16, "lt_inode_key layout changed");
_Static_assert(sizeof(struct lt_inode_who) == 40, "lt_inode_who layout changed");
_Static_assert(sizeof(struct lt_pattern) == 8 + LT_PATTERN_MAX, "lt_pattern layout changed");
_Static_assert(sizeof(struct lt_hold) == 328, "lt_hold layout changed");
_Static_assert(sizeof(struct lt_hold) % 8 == 0, "lt_hold must stay 8-byte aligned");
_Static_assert(sizeof(struct lt_hold) + LT_HOLD_PATH_MAX <= sizeof(struct lt_deny) + LT_PATH_MAX,
	       "a hold record must fit a refusal's workspace");

#endif /* LOCKTRACE_H */
