/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Why the kernel said no. A pure decision: facts in (what the kernel
 * captured, plus what was looked up afterwards), one cause out. Mirrors the
 * kernel's permission logic: path walk (search on every directory), create
 * (write and search on the parent), read-only and immutable checks before
 * DAC, owner/ACL/group/other classes with the ACL mask, CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH, then security modules.
 *
 * decide.c picks the family by the errno: lock.c (lock calls, lock files),
 * io.c (failures after open: write, read, truncate, fallocate),
 * fs.c (missing names, read-only, full, remote filesystems), perm.c (the
 * permission walk, over dac.c's mirror of the kernel's DAC check), lsm.c
 * (which security module), remote.c (a network filesystem's server
 * answered, as its client traced it); detail.c writes the detail line,
 * names.c names it all, ntstatus.c the server's answers. Their shared insides are in decide.h, private to user/cause/.
 */
#ifndef LOCKTRACE_CAUSE_H
#define LOCKTRACE_CAUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "locktrace.h"
#include "names.h"

/* Access bits, as the kernel's MAY_* (include/linux/fs.h). */
#define LT_MAY_EXEC 0x1
#define LT_MAY_WRITE 0x2
#define LT_MAY_READ 0x4

/* POSIX ACL entry tags (include/uapi/linux/posix_acl.h). */
#define LT_ACL_USER_OBJ 0x01
#define LT_ACL_USER 0x02
#define LT_ACL_GROUP_OBJ 0x04
#define LT_ACL_GROUP 0x08
#define LT_ACL_MASK 0x10
#define LT_ACL_OTHER 0x20

#define LT_ACL_MAX 32
#define LT_MAX_COMPONENTS 64
#define LT_MAX_HOLDERS 8

struct lt_acl_entry {
	__u16 tag; /* LT_ACL_* */
	__u16 perm; /* rwx as 4/2/1 */
	__u32 id; /* uid or gid for LT_ACL_USER / LT_ACL_GROUP */
};

/* A symbolic link: the name itself, not what it points to. */
struct lt_link {
	char target[LT_PATH_MAX]; /* as readlink(2) gives it */
	__u32 uid; /* who owns the link */
	__u32 gid;
};

/*
 * One object on the way to the target: "/", each directory, the file. Its
 * mode, owner and flags are those of what the name leads to (the kernel
 * follows symbolic links, the last one too unless O_NOFOLLOW); a name that
 * is itself a symbolic link says so in link.
 */
struct lt_obj {
	char path[LT_PATH_MAX]; /* absolute, as the process sees it */
	bool exists; /* false: this is the first missing component */
	bool looked_up; /* false: could not be examined (no facts) */
	__u32 mode; /* st_mode: type and permission bits */
	__u32 uid;
	__u32 gid;
	__u64 ino;
	__u64 dev;
	__u64 rdev; /* devices: st_rdev */
	bool immutable; /* FS_IMMUTABLE_FL */
	bool append_only; /* FS_APPEND_FL */
	int nacl; /* 0: no extended ACL (mode bits only) */
	struct lt_acl_entry acl[LT_ACL_MAX];
	bool is_link; /* the name is a symbolic link, described in link */
	bool via_link; /* this name or one before it is a symbolic link: path
			* is not the object's own */
	struct lt_link link;
	char real[LT_PATH_MAX]; /* via_link: the object's own path as the
				 * process sees it; "" if it cannot be told */
};

/* The filesystem the target lives on. */
struct lt_fs {
	bool known;
	char type[32]; /* "ext4", "tmpfs", "cifs", "nfs4", "fuse.sshfs" ... */
	char mountpoint[LT_PATH_MAX];
	char source[256];
	char options[256]; /* mount options, e.g. "ro,nosuid" */
	__u32 s_dev; /* the superblock's device, kernel encoding (mountinfo) */
	bool readonly;
	__u64 blocks_free; /* available to unprivileged users */
	__u64 blocks_total;
	__u64 inodes_free;
	__u64 inodes_total;
};

/* A process holding a lock on the target (from the kernel's tracking or
 * /proc/locks). */
struct lt_holder {
	__u32 pid;
	__u32 uid;
	char comm[LT_COMM_LEN];
	__u32 type; /* F_RDLCK / F_WRLCK */
	bool posix; /* POSIX record lock (else flock) */
	bool ofd; /* open file description lock */
	__s64 start; /* POSIX: byte range */
	__s64 end; /* -1: to end of file */
	bool kernel; /* the lock layer's list named it at the refusal */
	/* It holds the lock through another mount of the same network share
	 * (in->peers[peer]): another session to the server, not this one. */
	bool via_peer;
	__u8 peer;
};

/* Another mount of the same network share on this host: a session of its
 * own to the server (cifs nosharesock, another instance's mount). */
#define LT_MAX_PEERS 4
struct lt_peer_mount {
	__u32 s_dev; /* kernel encoding, from mountinfo */
	char mountpoint[LT_PATH_MAX];
};

/* One line of /proc/PID/uid_map or gid_map. */
struct lt_id_map {
	__u32 inside;
	__u32 outside; /* ids of the initial namespace, as stat reports them */
	__u32 count;
};

#define LT_MAX_ID_MAPS 8

/* What could not be looked up, and why (state: names.h). */
struct lt_facts_note {
	enum lt_facts_state state;
	enum lt_lookup lookup; /* timeout: the lookup that did not answer */
	__u32 ms; /* timeout: the deadline; slow_mount: how long it has not answered */
	char fstype[32]; /* "" unknown */
	char mount[LT_PATH_MAX]; /* the mount it was on; "" unknown */
	char path[LT_PATH_MAX]; /* what the lookup was at */
};

/*
 * What a lock file's content names as its owner, parsed by owner.c from at
 * most its first and last LT_OWNER_READ bytes (hostile input: every field
 * bounded, cut on a character boundary). X(form, JSON name)
 */
#define LT_OWNER_FORMS(X)                                                  \
	X(LT_OWNER_NONE, "none") /* not read, or nothing recognised */     \
	X(LT_OWNER_PID, "pid") /* "4711": a pid file */                    \
	X(LT_OWNER_PID_AT_HOST, "pid@host") /* "4711@web-1" */             \
	X(LT_OWNER_PID_HOST, "pid host") /* "4711 web-1" (git's gc.pid) */ \
	X(LT_OWNER_JSON, "json") /* a JSON object's fields (Kudu's) */

enum lt_owner_form {
#define LT_X(e, name) e,
	LT_OWNER_FORMS(LT_X)
#undef LT_X
};

#define LT_OWNER_FIELD 128 /* bytes a field keeps, its NUL included */
#define LT_OWNER_PID_MAX 4194304 /* the kernel's PID_MAX_LIMIT */

struct lt_owner_hint {
	enum lt_owner_form form;
	int read_err; /* the lock file could not be read: its errno (0 read, or not tried) */
	__u32 pid; /* 0: none named (1 .. LT_OWNER_PID_MAX) */
	bool alive_known; /* alive and comm say something: our pid namespace,
			   * and no host named or this host */
	bool alive;
	char comm[LT_COMM_LEN]; /* alive: its command name */
	bool this_host; /* host names this machine */
	bool cut; /* a field did not fit and was cut */
	char host[LT_OWNER_FIELD];
	char instance_id[LT_OWNER_FIELD];
	char operation[LT_OWNER_FIELD];
	char acquired[64]; /* when the lock was taken, as the file says */
};

struct lt_cause_input {
	const struct lt_event *ev; /* what the kernel captured */
	/* Credentials that apply, normally copied from ev (fsuid, fsgid,
	 * groups, cap_eff). */
	bool creds_in_init_userns; /* false: root in a user namespace */
	/* Otherwise, its id maps: capabilities held there count over inodes
	 * whose uid and gid are both mapped (capable_wrt_inode_uidgid). */
	int nuid_map, ngid_map;
	struct lt_id_map uid_map[LT_MAX_ID_MAPS];
	struct lt_id_map gid_map[LT_MAX_ID_MAPS];
	/* The path from "/" to the target, one object per component; the
	 * last is the target itself (possibly missing). ncomp 0: not looked
	 * up (e.g. the process was gone). */
	int ncomp;
	struct lt_obj *comp; /* array of ncomp */
	struct lt_fs fs;
	/* Security modules active (/sys/kernel/security/lsm), comma list. */
	char lsm_list[128];
	bool landlocked; /* the process is Landlock-restricted, if known */
	/* Lock calls: who holds the lock; bad_fd_mode: how the descriptor
	 * was opened (O_ACCMODE), -1 unknown. */
	int nholders;
	struct lt_holder holders[LT_MAX_HOLDERS];
	int fd_accmode;
	bool fd_accmode_kernel; /* fd_accmode was captured in the kernel */
	/* LSM tier: the kernel's record of the check that refused this call
	 * (bpf/lsm.bpf.h), NULL in the tracepoint tier or when none did. */
	const struct lt_deny *deny;
	/* SELinux's record of the denial in this thread, if there was one,
	 * and its denied permissions by name ("write open"). */
	const struct lt_avc *avc;
	char avc_denied[96];
	/* CLOCK_REALTIME minus CLOCK_BOOTTIME, to say "since 10:41:07";
	 * 0: times are given as seconds since boot. */
	__s64 boot_to_real_ns;
	/* Who created the target, as the kernel saw it (O_CREAT|O_EXCL). */
	bool have_creator;
	struct lt_inode_who creator;
	/* Stale-lock check for O_CREAT|O_EXCL and EEXIST: the pid written in
	 * the file (0 none) and whether it is alive. */
	__u32 pidfile_pid;
	bool pidfile_pid_alive;
	/* What could not be looked up, and why (state complete: everything). */
	struct lt_facts_note note;
	/* What the lock file's content names (read only when lt_owner_wanted()
	 * says: no holder here, an existing lock file, a network filesystem). */
	struct lt_owner_hint owner;
	/* A network filesystem's own answer to the call, as its client traced
	 * it (the server's NT status, or the client's own refusal); NULL when
	 * none came with the event. */
	const struct lt_remote *remote;
	/* Lock calls on a network share: its other mounts here, whose
	 * holders (holders[].via_peer) hold it through other sessions. */
	int npeers;
	struct lt_peer_mount peers[LT_MAX_PEERS];
};

struct lt_cause {
	enum lt_cause_kind kind;
	enum lt_evidence evidence;
	char detail[512]; /* one line a person can act on */
	/* The object that refused (dac, dac_search, acl, immutable ...):
	 * index into input comp[], -1 none. */
	int obj;
	__u32 want; /* LT_MAY_* asked for on that object */
	const char *class; /* "owner", "group", "other", "acl_user",
			    * "acl_group", or NULL */
	int acl_entry; /* index of the ACL entry that applied, -1 */
	int capability; /* CAP_* that was missing, -1 */
	enum lt_lsm_id lsm; /* the module that refused, LT_LSM_NONE if not known */
	/* LSM tier: the cause is the check the kernel recorded (input deny). */
	bool kernel_check;
	int holder; /* index into holders[] for lock_held, -1 */
	/* What an unknown cause is about, when the facts say that much. */
	enum lt_cause_about {
		LT_ABOUT_NONE = 0,
		LT_ABOUT_NOT_REGULAR, /* O_EXCL: the name exists, and is a symbolic
				       * link, a FIFO, a device ...: obj */
		LT_ABOUT_PROTECTED_SYMLINK, /* fs.protected_symlinks refused to
					     * follow the link obj */
	} about;
};

/* Is fs a network (or FUSE) filesystem: cifs, smb3, nfs, nfs4, 9p, ceph, fuse.*? */
bool lt_fs_is_remote(const struct lt_fs *fs);

/* Decide. Never fails: with too few facts the kind is LT_CAUSE_UNKNOWN. */
void lt_cause_decide(const struct lt_cause_input *in, struct lt_cause *out);

/*
 * A symbolic link on the way to comp[obj] (that one included) owned by
 * neither root nor owner, who owns what a fix would change: a user's link
 * to a file the user does not own. Its index, the first such, or -1.
 */
int lt_cause_foreign_link(const struct lt_cause_input *in, int obj, __u32 owner);

/* The kernel's DAC check, mirrored (dac.c). */

/* An ACL entry as getfacl writes it: "user:4242:r--", "mask::rw-". */
void lt_acl_entry_str(const struct lt_acl_entry *e, char *buf, size_t len);
/* rwx string for LT_MAY_* bits, e.g. "rw-". buf >= 4. */
void lt_may_str(__u32 may, char *buf);

/* What open flags ask of the target's DAC: MAY_READ/MAY_WRITE (O_TRUNC
 * needs write too; O_APPEND asks nothing more of DAC). */
__u32 lt_open_may(__u32 open_flags);

/*
 * The kernel's DAC check for one inode (generic_permission without
 * capabilities): 0 if granted, else -EACCES with *class and *acl_entry set
 * to what applied.
 */
int lt_dac_check(const struct lt_obj *o, __u32 fsuid, __u32 fsgid, const __u32 *groups, int ngroups,
		 __u32 want, const char **class, int *acl_entry);

/* Would CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH grant want on o?
 * Returns the capability number that would, or -1. */
int lt_cap_would_grant(const struct lt_obj *o, __u32 want);

#endif /* LOCKTRACE_CAUSE_H */
