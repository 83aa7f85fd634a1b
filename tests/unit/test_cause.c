// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests for user/cause/cause.c: why the kernel said no. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <linux/capability.h>
#include <linux/types.h>
#include "locktrace.h"
#include "cause/cause.h"
#include "cause/explain.h"
#include "common/decode.h"
#include "trace/format.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define R LT_MAY_READ
#define W LT_MAY_WRITE
#define X LT_MAY_EXEC

#define CAPS_ALL (~0ULL)
#define CAPB(c) (1ULL << (c))
#define CAPS_NO_DAC (CAPS_ALL & ~CAPB(CAP_DAC_OVERRIDE) & ~CAPB(CAP_DAC_READ_SEARCH))

/* ------------------------------------------------------------------ */
/* Building inputs */

/*
 * One component: type 'd' directory, 'f' regular file, 'p' FIFO, 'c'
 * character device 10:130, 'm' missing, '?' not looked up; attr "i"
 * immutable, "a" append-only; acl in the short text form
 * "u::rw-,u:4242:---,g::r--,m::r--,o::---". link: the name is a symbolic
 * link to that, owned by link_uid (and gid), leading to what the rest
 * says ('m': a dangling link); real: the real path, when a link is on the
 * way.
 */
struct comp_spec {
	const char *path;
	char type;
	__u32 mode;
	__u32 uid;
	__u32 gid;
	const char *attr;
	const char *acl;
	const char *link;
	__u32 link_uid;
	const char *real;
};

#define ROOT                                     \
	{                                        \
		"/", 'd', 0755, 0, 0, NULL, NULL \
	}
#define DIR_(p, m, u, g)                    \
	{                                   \
		p, 'd', m, u, g, NULL, NULL \
	}
#define FILE_(p, m, u, g)                   \
	{                                   \
		p, 'f', m, u, g, NULL, NULL \
	}
#define MISSING(p)                          \
	{                                   \
		p, 'm', 0, 0, 0, NULL, NULL \
	}
/* p: a symbolic link of uid lu to target, to an object of type t. */
#define LINK_(p, target, lu, t, m, u, g, real)              \
	{                                                   \
		p, t, m, u, g, NULL, NULL, target, lu, real \
	}

struct fs_spec {
	const char *type;
	const char *source;
	const char *mountpoint;
	const char *options;
	bool readonly;
	__u64 blocks_free, blocks_total, inodes_free, inodes_total;
};

/* What the decision must say. obj/acl_entry/cap/holder: -1 none. */
struct expect {
	enum lt_cause_kind kind;
	enum lt_evidence evidence;
	int obj;
	__u32 want;
	const char *class;
	int acl_entry;
	int cap;
	const char *lsm;
	int holder;
};

static const struct lt_avc avc_write = {
	.type = LT_REC_AVC,
	.size = sizeof(struct lt_avc),
	.requested = 0x6,
	.denied = 0x6,
	.result = -13,
	.tclass = "file",
	.scontext = "system_u:system_r:test_t",
	.tcontext = "system_u:object_r:lock_t",
};

/* A user namespace whose ids 0..9 are the initial namespace's 0..9. */
static const struct lt_id_map map_low = { .inside = 0, .outside = 0, .count = 10 };
/* One mapped far away: the usual unprivileged container. */
static const struct lt_id_map map_high = { .inside = 0, .outside = 100000, .count = 65536 };

/* LSM tier: the kernel's record of the check that refused. */
struct deny_spec {
	__u32 hook, lsm;
	int ret;
	__u32 mask;
	__u32 mode, uid, gid, i_flags;
	__u16 flags, name_off;
	const char *path;
};

struct cause_case {
	const char *name;
	/* the event */
	__u32 sys;
	int err; /* 0: the call succeeded */
	__u32 flags; /* open flags */
	__u32 fsuid, fsgid;
	__u32 groups[4];
	__u32 ngroups;
	__u64 caps;
	bool in_userns; /* credentials of a child user namespace */
	const struct lt_id_map *idmap; /* its uid and gid map (one line) */
	__u32 ev_flags;
	int fd;
	__u32 lock_cmd, lock_type;
	__s64 lock_start, lock_len;
	const char *ev_path; /* default: the last component's path */
	/* facts */
	struct comp_spec comp[8];
	const struct fs_spec *fs;
	const char *lsm_list;
	bool landlocked;
	struct lt_holder holders[3];
	int nholders;
	const char *fd_acc; /* "r", "w", "rw"; NULL: unknown */
	bool fd_acc_kernel; /* fd_acc was captured in the kernel */
	const struct lt_avc *avc; /* SELinux's denial record */
	const char *avc_denied;
	__u32 pidfile_pid;
	bool pidfile_alive;
	const struct deny_spec *deny;
	/* the verdict */
	struct expect x;
	const char *contains[5];
};

static union {
	struct lt_event ev;
	char raw[sizeof(struct lt_event) + LT_PATH_MAX];
} evbuf;

static struct lt_event *make_event(__u32 sys, int err, __u32 fsuid, __u32 fsgid, const char *path)
{
	struct lt_event *ev = &evbuf.ev;
	size_t n = strlen(path);

	memset(&evbuf, 0, sizeof(evbuf));
	ev->type = LT_REC_ACCESS;
	ev->syscall = sys;
	ev->ret = -err;
	ev->uid = ev->euid = ev->fsuid = fsuid;
	ev->gid = ev->egid = ev->fsgid = fsgid;
	ev->tgid = ev->tid = 4000;
	memcpy(ev->path, path, n + 1);
	ev->path_len = (__u16)n;
	ev->arg_off = 0;
	ev->size = (__u32)(sizeof(*ev) + n + 1);
	snprintf(ev->comm, sizeof(ev->comm), "worker");
	return ev;
}

static union {
	struct lt_deny d;
	char raw[sizeof(struct lt_deny) + LT_PATH_MAX];
} denybuf;

static const struct lt_deny *make_deny(const struct deny_spec *ds)
{
	struct lt_deny *d = &denybuf.d;

	memset(&denybuf, 0, sizeof(denybuf));
	d->hook = ds->hook;
	d->lsm = ds->lsm;
	d->ret = ds->ret;
	d->mask = ds->mask;
	d->ino = 77;
	d->dev = 8u << 20 | 1;
	d->i_mode = ds->mode;
	d->i_uid = ds->uid;
	d->i_gid = ds->gid;
	d->i_flags = ds->i_flags;
	d->flags = ds->flags;
	d->name_off = ds->name_off;
	d->path_len = (__u16)strlen(ds->path);
	memcpy(d->path, ds->path, d->path_len + 1);
	return d;
}

static __u16 acl_tag(char c, bool named)
{
	switch (c) {
	case 'u':
		return named ? LT_ACL_USER : LT_ACL_USER_OBJ;
	case 'g':
		return named ? LT_ACL_GROUP : LT_ACL_GROUP_OBJ;
	case 'm':
		return LT_ACL_MASK;
	case 'o':
		return LT_ACL_OTHER;
	}
	fail_msg("bad ACL tag '%c'", c);
	return 0;
}

/* "u::rw-,u:4242:---,g::r--,m::r--,o::---" into o->acl[]. */
static void parse_acl(const char *s, struct lt_obj *o)
{
	while (*s) {
		struct lt_acl_entry *e = &o->acl[o->nacl++];
		char tag = *s++;
		char *end;

		assert_true(o->nacl <= LT_ACL_MAX);
		assert_int_equal(*s++, ':');
		e->id = (__u32)strtoul(s, &end, 10);
		e->tag = acl_tag(tag, end != s);
		s = end;
		assert_int_equal(*s++, ':');
		e->perm = (s[0] == 'r' ? 4 : 0) | (s[1] == 'w' ? 2 : 0) | (s[2] == 'x' ? 1 : 0);
		s += 3;
		if (*s == ',')
			s++;
	}
}

static void make_obj(const struct comp_spec *cs, struct lt_obj *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->path, sizeof(o->path), "%s", cs->path);
	o->looked_up = cs->type != '?';
	o->exists = strchr("dfpc", cs->type) != NULL;
	o->mode = cs->mode | (cs->type == 'd' ? S_IFDIR :
			      cs->type == 'f' ? S_IFREG :
			      cs->type == 'p' ? S_IFIFO :
			      cs->type == 'c' ? S_IFCHR :
						0);
	o->rdev = cs->type == 'c' ? makedev(10, 130) : 0;
	o->uid = cs->uid;
	o->gid = cs->gid;
	o->immutable = cs->attr && strchr(cs->attr, 'i');
	o->append_only = cs->attr && strchr(cs->attr, 'a');
	if (cs->acl)
		parse_acl(cs->acl, o);
	o->is_link = cs->link != NULL;
	if (cs->link) {
		snprintf(o->link.target, sizeof(o->link.target), "%s", cs->link);
		o->link.uid = o->link.gid = cs->link_uid;
	}
	if (cs->real)
		snprintf(o->real, sizeof(o->real), "%s", cs->real);
}

static void make_fs(const struct fs_spec *fs, struct lt_fs *out)
{
	memset(out, 0, sizeof(*out));
	if (!fs)
		return;
	out->known = true;
	snprintf(out->type, sizeof(out->type), "%s", fs->type);
	snprintf(out->source, sizeof(out->source), "%s", fs->source);
	snprintf(out->mountpoint, sizeof(out->mountpoint), "%s", fs->mountpoint);
	snprintf(out->options, sizeof(out->options), "%s", fs->options);
	out->readonly = fs->readonly;
	out->blocks_free = fs->blocks_free;
	out->blocks_total = fs->blocks_total;
	out->inodes_free = fs->inodes_free;
	out->inodes_total = fs->inodes_total;
}

static int accmode(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "r"))
		return O_RDONLY;
	if (!strcmp(s, "w"))
		return O_WRONLY;
	return O_RDWR;
}

static struct lt_obj comps[8];

static void build(const struct cause_case *tc, struct lt_cause_input *in)
{
	const char *path = tc->ev_path;
	struct lt_event *ev;
	int n = 0, i;

	while (n < (int)ARRAY_SIZE(tc->comp) && tc->comp[n].path)
		n++;
	if (!path)
		path = n ? tc->comp[n - 1].path : "";
	ev = make_event(tc->sys, tc->err, tc->fsuid, tc->fsgid, path);
	memcpy(ev->groups, tc->groups, sizeof(tc->groups));
	ev->ngroups = tc->ngroups;
	ev->cap_eff = tc->caps;
	ev->ev_flags = tc->ev_flags;
	ev->fd = tc->fd;
	ev->open_flags = tc->flags;
	ev->lock_cmd = tc->lock_cmd;
	ev->lock_type = tc->lock_type;
	ev->lock_start = tc->lock_start;
	ev->lock_len = tc->lock_len;

	memset(in, 0, sizeof(*in));
	in->ev = ev;
	in->creds_in_init_userns = !tc->in_userns;
	if (tc->idmap) {
		in->uid_map[0] = *tc->idmap;
		in->gid_map[0] = *tc->idmap;
		in->nuid_map = in->ngid_map = 1;
	}
	for (i = 0; i < n; i++) {
		make_obj(&tc->comp[i], &comps[i]);
		comps[i].via_link = comps[i].is_link || (i > 0 && comps[i - 1].via_link);
	}
	in->ncomp = n;
	in->comp = n ? comps : NULL;
	make_fs(tc->fs, &in->fs);
	snprintf(in->lsm_list, sizeof(in->lsm_list), "%s",
		 tc->lsm_list ? tc->lsm_list : "lockdown,capability,bpf");
	in->landlocked = tc->landlocked;
	memcpy(in->holders, tc->holders, sizeof(tc->holders));
	in->nholders = tc->nholders;
	in->fd_accmode = accmode(tc->fd_acc);
	in->fd_accmode_kernel = tc->fd_acc_kernel;
	in->avc = tc->avc;
	if (tc->avc_denied)
		snprintf(in->avc_denied, sizeof(in->avc_denied), "%s", tc->avc_denied);
	in->pidfile_pid = tc->pidfile_pid;
	in->pidfile_pid_alive = tc->pidfile_alive;
	in->deny = tc->deny ? make_deny(tc->deny) : NULL;
}

/* ------------------------------------------------------------------ */
/* The table */

/* type, source, mountpoint, options, read-only; then blocks and inodes. */
#define FS(t, src, mnt, opts, ro, bf, bt, inf, it)                                            \
	{                                                                                     \
		.type = t, .source = src, .mountpoint = mnt, .options = opts, .readonly = ro, \
		.blocks_free = bf, .blocks_total = bt, .inodes_free = inf, .inodes_total = it \
	}

static const struct fs_spec fs_ext4 =
	FS("ext4", "/dev/sda1", "/srv", "rw,relatime", false, 1000, 2000, 100, 200);
static const struct fs_spec fs_ro =
	FS("ext4", "/dev/sdb1", "/srv", "ro,relatime", true, 50, 100, 10, 20);
static const struct fs_spec fs_full =
	FS("ext4", "/dev/sda1", "/srv", "rw,relatime", false, 0, 1024, 12, 256);
static const struct fs_spec fs_cifs =
	FS("cifs", "//srv/share", "/home", "rw,vers=3.0", false, 1, 2, 3, 4);
static const struct fs_spec fs_sshfs =
	FS("fuse.sshfs", "u@host:", "/home", "rw,user_id=0", false, 0, 0, 0, 0);

/* The usual way to a lock file. */
#define SRV ROOT, DIR_("/srv", 0755, 0, 0)
#define LOCKS SRV, DIR_("/srv/locks", 0755, 0, 0)

/* Expectation shorthands. */
#define NOBJ -1, 0 /* obj, want */
#define NOCLASS NULL, -1 /* class, acl_entry */

/* k: the kernel named this holder at the refusal. */
#define POSIX_HOLDER(p, c, t, s, e, k)                                                         \
	{                                                                                      \
		.pid = p, .uid = 0, .comm = c, .type = t, .posix = true, .start = s, .end = e, \
		.kernel = k                                                                    \
	}
#define FLOCK_HOLDER(p, c, t, k)                                                                 \
	{                                                                                        \
		.pid = p, .uid = 0, .comm = c, .type = t, .posix = false, .start = 0, .end = -1, \
		.kernel = k                                                                      \
	}

static const struct cause_case cases[] = {
	/* -------- success and the simple errno families -------- */
	{
		.name = "success",
		.sys = LT_SYS_OPENAT,
		.flags = O_RDWR,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.x = { LT_CAUSE_NONE, LT_EV_KERNEL, NOBJ, NOCLASS, -1, NULL, -1 },
	},
	{
		.name = "not_found_first_missing",
		.sys = LT_SYS_OPENAT,
		.err = ENOENT,
		.flags = O_RDWR | O_CREAT,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV, MISSING("/srv/locks"), MISSING("/srv/locks/a.lock") },
		.x = { LT_CAUSE_NOT_FOUND, LT_EV_POSTHOC, 2, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "/srv/locks is missing", "/srv/locks/a.lock" },
	},
	{
		.name = "not_found_target",
		.sys = LT_SYS_OPEN,
		.err = ENOENT,
		.flags = O_RDONLY,
		.comp = { LOCKS, MISSING("/srv/locks/a.lock") },
		.x = { LT_CAUSE_NOT_FOUND, LT_EV_POSTHOC, 3, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "no such file or directory: /srv/locks/a.lock is missing" },
	},
	{
		.name = "not_found_create_blames_parent",
		.sys = LT_SYS_OPENAT,
		.err = ENOENT,
		.flags = O_WRONLY | O_CREAT,
		.comp = { LOCKS, MISSING("/srv/locks/a.lock") },
		.x = { LT_CAUSE_NOT_FOUND, LT_EV_INFERRED, 2, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "/srv/locks was missing", "/srv/locks/a.lock" },
	},
	{
		.name = "not_found_no_components",
		.sys = LT_SYS_OPENAT,
		.err = ENOENT,
		.flags = O_RDONLY,
		.ev_path = "/run/app/app.pid",
		.x = { LT_CAUSE_NOT_FOUND, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "/run/app/app.pid" },
	},
	{
		/* The facts end at the first missing component, short of the
		 * target: that directory is the one to name, even for O_CREAT. */
		.name = "not_found_facts_stop_short",
		.sys = LT_SYS_OPENAT,
		.err = ENOENT,
		.flags = O_RDWR | O_CREAT,
		.ev_path = "/srv/locks/a.lock",
		.comp = { SRV, MISSING("/srv/locks") },
		.x = { LT_CAUSE_NOT_FOUND, LT_EV_POSTHOC, 2, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "/srv/locks is missing (on the way to /srv/locks/a.lock)" },
	},
	{
		.name = "readonly_fs",
		.sys = LT_SYS_OPENAT,
		.err = EROFS,
		.flags = O_WRONLY | O_CREAT,
		.comp = { LOCKS, MISSING("/srv/locks/a.lock") },
		.fs = &fs_ro,
		.x = { LT_CAUSE_READONLY_FS, LT_EV_POSTHOC, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "read-only", "/srv", "/dev/sdb1", "ext4", "ro,relatime" },
	},
	{
		.name = "readonly_fs_unexamined",
		.sys = LT_SYS_OPENAT,
		.err = EROFS,
		.flags = O_WRONLY,
		.ev_path = "/srv/locks/a.lock",
		.x = { LT_CAUSE_READONLY_FS, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "/srv/locks/a.lock" },
	},
	{
		/* Remounted read-write since: the errno still says read-only. */
		.name = "readonly_fs_now_rw",
		.sys = LT_SYS_OPENAT,
		.err = EROFS,
		.flags = O_WRONLY,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.fs = &fs_ext4,
		.x = { LT_CAUSE_READONLY_FS, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "read-write now", "/srv (/dev/sda1, ext4, rw,relatime)" },
	},
	{
		.name = "no_space",
		.sys = LT_SYS_OPENAT,
		.err = ENOSPC,
		.flags = O_WRONLY | O_CREAT,
		.comp = { LOCKS, MISSING("/srv/locks/a.lock") },
		.fs = &fs_full,
		.x = { LT_CAUSE_NO_SPACE, LT_EV_POSTHOC, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "no space left on /srv (ext4)", "0 of 1024 blocks free",
			      "12 of 256 inodes free" },
	},
	{
		.name = "quota",
		.sys = LT_SYS_CREAT,
		.err = EDQUOT,
		.flags = O_WRONLY | O_CREAT | O_TRUNC,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, MISSING("/srv/locks/a.lock") },
		.fs = &fs_full,
		.x = { LT_CAUSE_QUOTA, LT_EV_POSTHOC, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "quota", "uid 4242", "/srv" },
	},
	{
		.name = "unknown_errno",
		.sys = LT_SYS_OPENAT2,
		.err = ELOOP,
		.flags = O_RDONLY,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.x = { LT_CAUSE_UNKNOWN, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "ELOOP", "openat2", "/srv/locks/a.lock" },
	},

	/* -------- O_CREAT|O_EXCL lock files -------- */
	{
		.name = "stale_lock",
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.pidfile_pid = 812,
		.x = { LT_CAUSE_STALE_LOCK, LT_EV_POSTHOC, 3, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "pid 812", "no longer exists", "/srv/locks/a.lock" },
	},
	{
		.name = "eexist_owner_alive",
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.pidfile_pid = 812,
		.pidfile_alive = true,
		.x = { LT_CAUSE_LOCK_HELD, LT_EV_POSTHOC, 3, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "owner pid 812 is alive" },
	},
	{
		.name = "eexist_no_pid",
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.x = { LT_CAUSE_UNKNOWN, LT_EV_POSTHOC, 3, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "no owner pid" },
	},

	/* -------- DAC: classes, search, create -------- */
	{
		.name = "dac_other",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { ROOT, DIR_("/home", 0755, 0, 0), DIR_("/home/site", 0755, 0, 0),
			  DIR_("/home/site/locks", 0755, 0, 0),
			  FILE_("/home/site/locks/status.lock", 0600, 0, 0) },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 4, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "mode 0600 uid 0 gid 0 on /home/site/locks/status.lock",
			      "other (uid 4242) no rw-", "asked rw-" },
	},
	{
		.name = "dac_owner",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_WRONLY,
		.fsuid = 5,
		.fsgid = 5,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0444, 5, 5) },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 3, W, "owner", -1, -1, NULL, -1 },
		.contains = { "0444", "owner (uid 5) no -w-" },
	},
	{
		.name = "dac_group_supplementary",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.groups = { 100, 50 },
		.ngroups = 2,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0646, 0, 50) },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 3, R | W, "group", -1, -1, NULL, -1 },
		.contains = { "0646", "group (uid 4242 via gid 50) no -w-" },
	},
	{
		/* O_TRUNC asks for write even with O_RDONLY. */
		.name = "dac_trunc_needs_write",
		.sys = LT_SYS_OPEN,
		.err = EACCES,
		.flags = O_RDONLY | O_TRUNC,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 3, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "no -w-; asked rw-" },
	},
	{
		.name = "dac_search_0700",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV, DIR_("/srv/private", 0700, 5, 5),
			  FILE_("/srv/private/a.lock", 0644, 5, 5) },
		.x = { LT_CAUSE_DAC_SEARCH, LT_EV_POSTHOC, 2, X, "other", -1, -1, NULL, -1 },
		.contains = { "mode 0700 uid 5 gid 5 on /srv/private", "no --x", "search" },
	},
	{
		/* The first refusing directory decides, not a later one. */
		.name = "dac_search_first_refusal",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV, DIR_("/srv/a", 0750, 0, 7), DIR_("/srv/a/b", 0700, 0, 0),
			  FILE_("/srv/a/b/c.lock", 0644, 0, 0) },
		.x = { LT_CAUSE_DAC_SEARCH, LT_EV_POSTHOC, 2, X, "other", -1, -1, NULL, -1 },
		.contains = { "/srv/a " },
	},
	{
		.name = "dac_create_in_0555",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_WRONLY | O_CREAT,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV, DIR_("/srv/locks", 0555, 0, 0), MISSING("/srv/locks/a.lock") },
		.x = { LT_CAUSE_DAC_SEARCH, LT_EV_POSTHOC, 2, W | X, "other", -1, -1, NULL, -1 },
		.contains = { "0555", "/srv/locks", "asked -wx", "create /srv/locks/a.lock" },
	},
	{
		/* An existing target: O_CREAT asks nothing of the parent. */
		.name = "dac_create_existing_checks_target",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR | O_CREAT,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV, DIR_("/srv/locks", 0555, 0, 0),
			  FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 3, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "0644" },
	},
	{
		.name = "walk_unexamined_dir",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY,
		.fsuid = 4242,
		.comp = { SRV,
			  { "/srv/gone", '?', 0, 0, 0, NULL, NULL },
			  { "/srv/gone/a.lock", '?', 0, 0, 0, NULL, NULL } },
		.x = { LT_CAUSE_UNKNOWN, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "/srv/gone", "could not be examined" },
	},
	{
		.name = "walk_short_denied_before_missing",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR | O_CREAT,
		.fsuid = 4242,
		.fsgid = 4242,
		.ev_path = "/srv/private/sub/a.lock",
		.comp = { SRV, DIR_("/srv/private", 0700, 5, 5), MISSING("/srv/private/sub") },
		.x = { LT_CAUSE_DAC_SEARCH, LT_EV_POSTHOC, 2, X, "other", -1, -1, NULL, -1 },
		.contains = { "/srv/private", "to search it" },
	},
	{
		.name = "walk_short_path_changed",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR | O_CREAT,
		.fsuid = 4242,
		.fsgid = 4242,
		.ev_path = "/srv/gone/a.lock",
		.comp = { SRV, MISSING("/srv/gone") },
		.x = { LT_CAUSE_UNKNOWN, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "/srv/gone no longer exists" },
	},
	{
		/* A trailing slash in the name still ends at the target. */
		.name = "target_with_trailing_slash",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY | O_DIRECTORY,
		.fsuid = 4242,
		.fsgid = 4242,
		.ev_path = "/srv/locks/",
		.comp = { SRV, DIR_("/srv/locks", 0700, 0, 0) },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 2, R, "other", -1, -1, NULL, -1 },
		.contains = { "mode 0700 uid 0 gid 0 on /srv/locks gives other" },
	},
	{
		.name = "eacces_no_components",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.ev_path = "/srv/locks/a.lock",
		.x = { LT_CAUSE_UNKNOWN, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "no facts" },
	},

	/* -------- ACLs -------- */
	{
		.name = "acl_user_deny_search",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV,
			  { "/srv/x", 'd', 0775, 0, 0, NULL,
			    "u::rwx,u:4242:---,g::rwx,m::rwx,o::r-x" },
			  FILE_("/srv/x/a.lock", 0644, 0, 0) },
		.x = { LT_CAUSE_ACL, LT_EV_POSTHOC, 2, X, "acl_user", 1, -1, NULL, -1 },
		.contains = { "ACL entry user:4242:--- on /srv/x denies search" },
	},
	{
		.name = "acl_user_deny_target",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS,
			  { "/srv/locks/a.lock", 'f', 0664, 0, 0, NULL,
			    "u::rw-,u:4242:---,g::rw-,m::rw-,o::r--" } },
		.x = { LT_CAUSE_ACL, LT_EV_POSTHOC, 3, R, "acl_user", 1, -1, NULL, -1 },
		.contains = { "user:4242:---", "/srv/locks/a.lock" },
	},
	{
		.name = "acl_group_deny_with_mask",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.groups = { 50 },
		.ngroups = 1,
		.comp = { LOCKS,
			  { "/srv/locks/a.lock", 'f', 0640, 0, 0, NULL,
			    "u::rw-,g::r--,g:50:rw-,m::r--,o::---" } },
		.x = { LT_CAUSE_ACL, LT_EV_POSTHOC, 3, R | W, "acl_group", 2, -1, NULL, -1 },
		.contains = { "group:50:rw- limited by mask::r--", "denies rw-" },
	},
	{
		/* No group entry grants: the first matching one is named. */
		.name = "acl_group_deny_first_match",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 60,
		.groups = { 50 },
		.ngroups = 1,
		.comp = { LOCKS,
			  { "/srv/locks/a.lock", 'f', 0660, 0, 60, NULL,
			    "u::rw-,g::r--,g:50:r--,m::rw-,o::rw-" } },
		.x = { LT_CAUSE_ACL, LT_EV_POSTHOC, 3, R | W, "acl_group", 1, -1, NULL, -1 },
		.contains = { "group::r--" },
	},
	{
		.name = "acl_mask_masks_named_user",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS,
			  { "/srv/locks/a.lock", 'f', 0640, 0, 0, NULL,
			    "u::rw-,u:4242:rw-,g::---,m::r--,o::---" } },
		.x = { LT_CAUSE_ACL, LT_EV_POSTHOC, 3, R | W, "acl_user", 1, -1, NULL, -1 },
		.contains = { "user:4242:rw- limited by mask::r--" },
	},
	{
		/* The ACL grants what the other bits do not: not DAC. */
		.name = "acl_allows_not_dac",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS,
			  { "/srv/locks/a.lock", 'f', 0660, 0, 0, NULL,
			    "u::rw-,u:4242:rw-,g::---,m::rw-,o::---" } },
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "permission bits allow rw- on /srv/locks/a.lock",
			      "a security module refused" },
	},
	{
		/* A mask of --- leaves the group bits clear: the kernel skips
		 * the ACL and the other bits decide. */
		.name = "acl_empty_mask_skipped",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS,
			  { "/srv/locks/a.lock", 'f', 0604, 0, 0, NULL,
			    "u::rw-,u:4242:---,g::r--,m::---,o::r--" } },
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "allow r--" },
	},

	/* -------- capabilities -------- */
	{
		.name = "cap_root_without_override",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.caps = CAPS_ALL & ~CAPB(CAP_DAC_OVERRIDE),
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 5, 5) },
		.x = { LT_CAUSE_CAPABILITY, LT_EV_POSTHOC, 3, R | W, "other", -1, CAP_DAC_OVERRIDE,
		       NULL, -1 },
		.contains = { "root without CAP_DAC_OVERRIDE cannot open /srv/locks/a.lock",
			      "(0600 uid 5 gid 5)" },
	},
	{
		.name = "cap_root_without_read_search",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY,
		.caps = CAPS_NO_DAC,
		.comp = { SRV, DIR_("/srv/private", 0700, 5, 5),
			  FILE_("/srv/private/a.lock", 0644, 5, 5) },
		.x = { LT_CAUSE_CAPABILITY, LT_EV_POSTHOC, 2, X, "other", -1, CAP_DAC_READ_SEARCH,
		       NULL, -1 },
		.contains = { "root without CAP_DAC_READ_SEARCH cannot search /srv/private",
			      "(0700 uid 5 gid 5)" },
	},
	{
		.name = "cap_root_in_user_namespace",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.caps = CAPS_ALL,
		.in_userns = true,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 5, 5) },
		.x = { LT_CAUSE_CAPABILITY, LT_EV_POSTHOC, 3, R | W, "other", -1, CAP_DAC_OVERRIDE,
		       NULL, -1 },
		.contains = { "user namespace", "/srv/locks/a.lock" },
	},
	{
		/* Root of a namespace that maps the file's uid and gid: its
		 * CAP_DAC_OVERRIDE counts there, so DAC is not what refused. */
		.name = "cap_userns_mapped_inode",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.caps = CAPS_ALL,
		.in_userns = true,
		.idmap = &map_low,
		.lsm_list = "lockdown,capability,apparmor,bpf",
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 5, 5) },
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, "apparmor", -1 },
		.contains = { "CAP_DAC_OVERRIDE", "apparmor" },
	},
	{
		/* The same with the file's ids outside the namespace's map. */
		.name = "cap_userns_unmapped_inode",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.caps = CAPS_ALL,
		.in_userns = true,
		.idmap = &map_high,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 5, 5) },
		.x = { LT_CAUSE_CAPABILITY, LT_EV_POSTHOC, 3, R | W, "other", -1, CAP_DAC_OVERRIDE,
		       NULL, -1 },
		.contains = { "user namespace" },
	},
	{
		.name = "cap_read_search_grants_read",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY,
		.caps = CAPB(CAP_DAC_READ_SEARCH),
		.lsm_list = "lockdown,capability,landlock,bpf",
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0000, 5, 5) },
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, "landlock", -1 },
		.contains = { "allow r--", "CAP_DAC_READ_SEARCH",
			      "(active: lockdown,capability,landlock,bpf)" },
	},
	{
		/* CAP_DAC_OVERRIDE alone grants a read as well. */
		.name = "cap_override_grants_read",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY,
		.caps = CAPB(CAP_DAC_OVERRIDE),
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0000, 5, 5) },
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "CAP_DAC_OVERRIDE" },
	},
	{
		/* Read-search does not cover a write. */
		.name = "cap_read_search_not_write",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.caps = CAPB(CAP_DAC_READ_SEARCH),
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 5, 5) },
		.x = { LT_CAUSE_CAPABILITY, LT_EV_POSTHOC, 3, R | W, "other", -1, CAP_DAC_OVERRIDE,
		       NULL, -1 },
		.contains = { "CAP_DAC_OVERRIDE" },
	},
	{
		/* A non-root process without the capability: plain DAC. */
		.name = "cap_nonroot_is_dac",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.caps = 0,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 5, 5) },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 3, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "0600" },
	},
	{
		/* A capability held in a child user namespace does not reach
		 * files owned outside it, root or not. */
		.name = "cap_nonroot_held_in_userns",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 100000,
		.fsgid = 100000,
		.caps = CAPB(CAP_DAC_OVERRIDE),
		.in_userns = true,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 5, 5) },
		.x = { LT_CAUSE_CAPABILITY, LT_EV_POSTHOC, 3, R | W, "other", -1, CAP_DAC_OVERRIDE,
		       NULL, -1 },
		.contains = { "uid 100000 in a user namespace" },
	},
	{
		/* Capabilities count for any uid, not only root. */
		.name = "cap_nonroot_held_grants",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.caps = CAPB(CAP_DAC_OVERRIDE),
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 5, 5) },
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "through CAP_DAC_OVERRIDE" },
	},
	{
		/* Other, with groups cut: say that a group might have matched. */
		.name = "dac_other_groups_truncated",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.ev_flags = LT_EVF_GROUPS_TRUNCATED,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0660, 0, 77) },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 3, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "supplementary groups" },
	},

	/* -------- flags on the inode -------- */
	{
		.name = "immutable",
		.sys = LT_SYS_OPENAT,
		.err = EPERM,
		.flags = O_WRONLY,
		.caps = CAPS_ALL,
		.comp = { LOCKS, { "/srv/locks/a.lock", 'f', 0644, 0, 0, "i", NULL } },
		.x = { LT_CAUSE_IMMUTABLE, LT_EV_POSTHOC, 3, W, NOCLASS, -1, NULL, -1 },
		.contains = { "immutable flag (chattr +i) on /srv/locks/a.lock forbids writing" },
	},
	{
		.name = "immutable_parent_create",
		.sys = LT_SYS_OPENAT,
		.err = EPERM,
		.flags = O_WRONLY | O_CREAT,
		.caps = CAPS_ALL,
		.comp = { SRV,
			  { "/srv/locks", 'd', 0755, 0, 0, "i", NULL },
			  MISSING("/srv/locks/a.lock") },
		.x = { LT_CAUSE_IMMUTABLE, LT_EV_POSTHOC, 2, W | X, NOCLASS, -1, NULL, -1 },
		.contains = { "immutable", "/srv/locks" },
	},
	{
		.name = "append_only",
		.sys = LT_SYS_OPENAT,
		.err = EPERM,
		.flags = O_WRONLY,
		.caps = CAPS_ALL,
		.comp = { LOCKS, { "/srv/locks/a.lock", 'f', 0644, 0, 0, "a", NULL } },
		.x = { LT_CAUSE_IMMUTABLE, LT_EV_POSTHOC, 3, W, NOCLASS, -1, NULL, -1 },
		.contains = { "append-only flag", "/srv/locks/a.lock" },
	},
	{
		/* O_APPEND is what an append-only file allows. */
		.name = "append_only_with_o_append",
		.sys = LT_SYS_OPENAT,
		.err = EPERM,
		.flags = O_WRONLY | O_APPEND,
		.caps = CAPS_ALL,
		.comp = { LOCKS, { "/srv/locks/a.lock", 'f', 0644, 0, 0, "a", NULL } },
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "allow -w-" },
	},

	/* -------- by elimination -------- */
	{
		.name = "remote_fs_cifs",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { ROOT, DIR_("/home", 0755, 0, 0), FILE_("/home/a.lock", 0666, 0, 0) },
		.fs = &fs_cifs,
		.x = { LT_CAUSE_REMOTE_FS, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "local mode bits allow rw-", "server refused",
			      "(cifs //srv/share mounted at /home)" },
	},
	{
		.name = "remote_fs_fuse",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDONLY,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { ROOT, DIR_("/home", 0755, 0, 0), FILE_("/home/a.lock", 0644, 0, 0) },
		.fs = &fs_sshfs,
		.x = { LT_CAUSE_REMOTE_FS, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "allow r--", "fuse.sshfs" },
	},
	{
		.name = "lsm_landlocked",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.landlocked = true,
		.lsm_list = "lockdown,capability,landlock,apparmor,bpf",
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.fs = &fs_ext4,
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, "landlock", -1 },
		.contains = { "landlock", "allow rw-" },
	},
	{
		.name = "lsm_single_mac",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.lsm_list = "lockdown,capability,selinux,bpf",
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, "selinux", -1 },
		.contains = { "selinux", "(active: lockdown,capability,selinux,bpf)" },
	},
	{
		/* SELinux's own denial record: named from the kernel, with
		 * its contexts, even with other modules active. */
		.name = "lsm_selinux_avc",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.lsm_list = "lockdown,capability,landlock,selinux,bpf",
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.avc = &avc_write,
		.avc_denied = "write open",
		.x = { LT_CAUSE_LSM, LT_EV_KERNEL, NOBJ, NOCLASS, -1, "selinux", -1 },
		.contains = { "SELinux denied { write open }", "system_u:system_r:test_t",
			      "system_u:object_r:lock_t", "tclass file" },
	},
	{
		/* A SELinux record does not override a DAC refusal. */
		.name = "dac_before_selinux_avc",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.lsm_list = "lockdown,capability,selinux,bpf",
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 0, 0) },
		.avc = &avc_write,
		.avc_denied = "write",
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 3, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "0600" },
	},
	{
		.name = "lsm_two_macs",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.lsm_list = "lockdown,capability,apparmor,tomoyo,bpf",
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "a security module refused", "apparmor,tomoyo" },
	},
	{
		/* Landlock the only module that refuses file access on its
		 * own terms: named, by elimination. */
		.name = "lsm_landlock_only_module",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_WRONLY | O_CREAT,
		.fsuid = 4242,
		.fsgid = 4242,
		.lsm_list = "lockdown,capability,landlock,bpf",
		.comp = { SRV, DIR_("/srv/locks", 0777, 0, 0), MISSING("/srv/locks/a.lock") },
		.x = { LT_CAUSE_LSM, LT_EV_INFERRED, NOBJ, NOCLASS, -1, "landlock", -1 },
		.contains = { "allow creating /srv/locks/a.lock", "landlock" },
	},
	{
		.name = "sticky_protected_regular",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR | O_CREAT,
		.caps = CAPS_ALL,
		.comp = { ROOT, DIR_("/tmp", 01777, 0, 0), FILE_("/tmp/a.lock", 0666, 5, 5) },
		.x = { LT_CAUSE_UNKNOWN, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "protected_regular", "/tmp/a.lock (uid 5)", "1777" },
	},
	{
		/* A name with a newline still gives a one-line detail. */
		.name = "newline_in_name",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, FILE_("/srv/locks/a\nb.lock", 0600, 0, 0) },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 3, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "/srv/locks/a?b.lock" },
	},

	/* -------- lock calls -------- */
	{
		.name = "flock_held_kernel",
		.sys = LT_SYS_FLOCK,
		.err = EWOULDBLOCK,
		.lock_cmd = LOCK_EX | LOCK_NB,
		.fd = 3,
		.ev_path = "/srv/locks/a.lock",
		.holders = { FLOCK_HOLDER(812, "deploy.sh", F_WRLCK, true) },
		.nholders = 1,
		.x = { LT_CAUSE_LOCK_HELD, LT_EV_KERNEL, NOBJ, NOCLASS, -1, NULL, 0 },
		.contains = { "held by pid 812 (deploy.sh, uid 0)", "exclusive flock" },
	},
	{
		.name = "flock_held_posthoc",
		.sys = LT_SYS_FLOCK,
		.err = EWOULDBLOCK,
		.lock_cmd = LOCK_SH | LOCK_NB,
		.fd = 3,
		.ev_path = "/srv/locks/a.lock",
		.holders = { FLOCK_HOLDER(900, "reader", F_RDLCK, false),
			     FLOCK_HOLDER(812, "deploy.sh", F_WRLCK, false) },
		.nholders = 2,
		.x = { LT_CAUSE_LOCK_HELD, LT_EV_POSTHOC, NOBJ, NOCLASS, -1, NULL, 1 },
		.contains = { "pid 812" },
	},
	{
		.name = "posix_range_overlap",
		.sys = LT_SYS_FCNTL,
		.err = EAGAIN,
		.lock_cmd = F_SETLK,
		.lock_type = F_WRLCK,
		.lock_start = 100,
		.lock_len = 10,
		.fd = 3,
		.ev_flags = LT_EVF_HAVE_FLOCK,
		.ev_path = "/srv/locks/a.lock",
		.holders = { POSIX_HOLDER(700, "other", F_WRLCK, 0, 49, false),
			     POSIX_HOLDER(812, "deploy.sh", F_RDLCK, 100, 199, false) },
		.nholders = 2,
		.x = { LT_CAUSE_LOCK_HELD, LT_EV_POSTHOC, NOBJ, NOCLASS, -1, NULL, 1 },
		.contains = { "pid 812", "read lock on bytes 100-199" },
	},
	{
		/* Two readers do not conflict; the writer to EOF does. */
		.name = "posix_read_vs_write_to_eof",
		.sys = LT_SYS_FCNTL,
		.err = EACCES,
		.lock_cmd = F_SETLK,
		.lock_type = F_RDLCK,
		.lock_start = 0,
		.lock_len = 0,
		.fd = 3,
		.holders = { POSIX_HOLDER(700, "reader", F_RDLCK, 0, -1, false),
			     POSIX_HOLDER(812, "writer", F_WRLCK, 4096, -1, true) },
		.nholders = 2,
		.x = { LT_CAUSE_LOCK_HELD, LT_EV_KERNEL, NOBJ, NOCLASS, -1, NULL, 1 },
		.contains = { "write lock on bytes 4096-EOF" },
	},
	{
		/* The caller's own record lock is replaced, never in its way. */
		.name = "posix_own_lock_skipped",
		.sys = LT_SYS_FCNTL,
		.err = EAGAIN,
		.lock_cmd = F_SETLK,
		.lock_type = F_WRLCK,
		.fd = 3,
		.holders = { POSIX_HOLDER(4000, "worker", F_WRLCK, 0, -1, false),
			     POSIX_HOLDER(812, "deploy.sh", F_WRLCK, 0, 9, false) },
		.nholders = 2,
		.x = { LT_CAUSE_LOCK_HELD, LT_EV_POSTHOC, NOBJ, NOCLASS, -1, NULL, 1 },
		.contains = { "pid 812", "write lock on bytes 0-9" },
	},
	{
		.name = "lock_held_no_holder",
		.sys = LT_SYS_FCNTL,
		.err = EAGAIN,
		.lock_cmd = F_SETLK,
		.lock_type = F_WRLCK,
		.fd = 3,
		.x = { LT_CAUSE_LOCK_HELD, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "holder not seen" },
	},
	{
		.name = "bad_fd_mode_write_on_rdonly",
		.sys = LT_SYS_FCNTL,
		.err = EBADF,
		.lock_cmd = F_SETLK,
		.lock_type = F_WRLCK,
		.fd = 3,
		.fd_acc = "r",
		.x = { LT_CAUSE_BAD_FD_MODE, LT_EV_POSTHOC, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "write lock on a descriptor opened read-only (O_RDONLY)" },
	},
	{
		.name = "bad_fd_mode_kernel",
		.sys = LT_SYS_FCNTL,
		.err = EBADF,
		.lock_cmd = F_SETLK,
		.lock_type = F_WRLCK,
		.fd = 3,
		.fd_acc = "r",
		.fd_acc_kernel = true,
		.x = { LT_CAUSE_BAD_FD_MODE, LT_EV_KERNEL, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "read-only (O_RDONLY)" },
	},
	{
		.name = "bad_fd_mode_read_on_wronly",
		.sys = LT_SYS_FCNTL,
		.err = EBADF,
		.lock_cmd = F_OFD_SETLK,
		.lock_type = F_RDLCK,
		.fd = 3,
		.fd_acc = "w",
		.x = { LT_CAUSE_BAD_FD_MODE, LT_EV_POSTHOC, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "O_WRONLY" },
	},
	{
		.name = "bad_fd_mode_inferred",
		.sys = LT_SYS_FCNTL,
		.err = EBADF,
		.lock_cmd = F_SETLKW,
		.lock_type = F_WRLCK,
		.fd = 3,
		.x = { LT_CAUSE_BAD_FD_MODE, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "descriptor 3" },
	},
	{
		.name = "ebadf_closed_fd",
		.sys = LT_SYS_FCNTL,
		.err = EBADF,
		.lock_cmd = F_SETLK,
		.lock_type = F_WRLCK,
		.fd = 7,
		.ev_flags = LT_EVF_BAD_FD,
		.x = { LT_CAUSE_UNKNOWN, LT_EV_KERNEL, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "descriptor 7 was not open" },
	},
	{
		.name = "ebadf_rdwr_unknown",
		.sys = LT_SYS_FCNTL,
		.err = EBADF,
		.lock_cmd = F_SETLK,
		.lock_type = F_WRLCK,
		.fd = 3,
		.fd_acc = "rw",
		.x = { LT_CAUSE_UNKNOWN, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "EBADF", "O_RDWR" },
	},
	{
		.name = "edeadlk_unknown",
		.sys = LT_SYS_FCNTL,
		.err = EDEADLK,
		.lock_cmd = F_SETLKW,
		.lock_type = F_WRLCK,
		.fd = 3,
		.lock_start = 10,
		.lock_len = 5,
		.ev_path = "/srv/locks/a.lock",
		.holders = { POSIX_HOLDER(812, "deploy.sh", F_WRLCK, 0, -1, false) },
		.nholders = 1,
		.x = { LT_CAUSE_UNKNOWN, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "EDEADLK from fcntl F_SETLKW: lock wait would deadlock",
			      "start 10 len 5", "/srv/locks/a.lock" },
	},
	{
		.name = "flock_eintr_unknown",
		.sys = LT_SYS_FLOCK,
		.err = EINTR,
		.lock_cmd = LOCK_EX,
		.fd = 4,
		.x = { LT_CAUSE_UNKNOWN, LT_EV_INFERRED, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "EINTR from flock LOCK_EX" },
	},
	/* -------- LSM tier: the kernel's record of the refusing check -------- */
	{
		.name = "kernel_apparmor_file_open",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.lsm_list = "lockdown,capability,landlock,apparmor,bpf",
		.deny = &(const struct deny_spec){ LT_HOOK_SEC_FILE_OPEN, LT_LSM_APPARMOR, -EACCES,
						   O_RDWR, 0100666, 0, 0, 0, 0, 0,
						   "/srv/locks/a.lock" },
		.x = { LT_CAUSE_LSM, LT_EV_KERNEL, NOBJ, NOCLASS, -1, "apparmor", -1 },
		.contains = { "AppArmor refused file_open of /srv/locks/a.lock",
			      "apparmor_file_open returned EACCES" },
	},
	{
		/* Two modules could have refused: the kernel says which. */
		.name = "kernel_landlock_among_several",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_WRONLY,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.lsm_list = "lockdown,capability,landlock,selinux,bpf",
		.deny = &(const struct deny_spec){ LT_HOOK_SEC_FILE_OPEN, LT_LSM_LANDLOCK, -EACCES,
						   O_WRONLY, 0100666, 0, 0, 0, 0, 0,
						   "/srv/locks/a.lock" },
		.x = { LT_CAUSE_LSM, LT_EV_KERNEL, NOBJ, NOCLASS, -1, "landlock", -1 },
		.contains = { "Landlock refused file_open", "hook_file_open returned EACCES" },
	},
	{
		.name = "kernel_selinux_with_avc",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.lsm_list = "lockdown,capability,selinux,bpf",
		.avc = &avc_write,
		.avc_denied = "write open",
		.deny = &(const struct deny_spec){ LT_HOOK_SEC_INODE_PERMISSION, LT_LSM_SELINUX,
						   -EACCES, 0x26, 0100666, 0, 0, 0, 0, 0,
						   "/srv/locks/a.lock" },
		.x = { LT_CAUSE_LSM, LT_EV_KERNEL, NOBJ, NOCLASS, -1, "selinux", -1 },
		.contains = { "SELinux refused inode_permission of /srv/locks/a.lock",
			      "selinux_inode_permission returned EACCES",
			      "denied { write open } to system_u:system_r:test_t" },
	},
	{
		.name = "kernel_module_not_identified",
		.sys = LT_SYS_FLOCK,
		.err = EACCES,
		.lock_cmd = LOCK_EX,
		.fd = 3,
		.ev_path = "/srv/locks/a.lock",
		.lsm_list = "lockdown,capability,yama,bpf",
		.deny = &(const struct deny_spec){ LT_HOOK_SEC_FILE_LOCK, LT_LSM_UNKNOWN, -EACCES,
						   LOCK_EX, 0100666, 0, 0, 0, 0, 0,
						   "/srv/locks/a.lock" },
		.x = { LT_CAUSE_LSM, LT_EV_KERNEL, NOBJ, NOCLASS, -1, NULL, -1 },
		.contains = { "a security module refused file_lock of /srv/locks/a.lock",
			      "security_file_lock returned EACCES",
			      "active: lockdown,capability,yama,bpf" },
	},
	{
		.name = "kernel_bpf_lsm_program",
		.sys = LT_SYS_OPENAT,
		.err = EPERM,
		.flags = O_RDWR,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.deny = &(const struct deny_spec){ LT_HOOK_SEC_FILE_OPEN, LT_LSM_BPF, -EPERM,
						   O_RDWR, 0100666, 0, 0, 0, 0, 0,
						   "/srv/locks/a.lock" },
		.x = { LT_CAUSE_LSM, LT_EV_KERNEL, NOBJ, NOCLASS, -1, "bpf", -1 },
		.contains = { "a BPF LSM program refused file_open",
			      "bpf_lsm_file_open returned EPERM" },
	},
	{
		/* Creation hooks name the directory and the new name. */
		.name = "kernel_landlock_create",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_WRONLY | O_CREAT,
		.comp = { LOCKS, MISSING("/srv/locks/new.lock") },
		.lsm_list = "landlock,bpf",
		.deny = &(const struct deny_spec){ LT_HOOK_SEC_PATH_MKNOD, LT_LSM_LANDLOCK, -EACCES,
						   0100600, 040755, 0, 0, 0, LT_DENY_HAS_NAME, 11,
						   "/srv/locks/new.lock" },
		.x = { LT_CAUSE_LSM, LT_EV_KERNEL, NOBJ, NOCLASS, -1, "landlock", -1 },
		.contains = { "Landlock refused path_mknod of /srv/locks/new.lock (creating it in /srv/locks)",
			      "hook_path_mknod returned EACCES" },
	},
	{
		/* inode_permission refused the file: the reading of the facts
		 * agrees, and the evidence is the kernel's. */
		.name = "kernel_dac_file_confirmed",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.caps = 0,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 0, 0) },
		.deny = &(const struct deny_spec){ LT_HOOK_INODE_PERMISSION, LT_LSM_NONE, -EACCES,
						   0x26, 0100600, 0, 0, 0, 0, 0,
						   "/srv/locks/a.lock" },
		.x = { LT_CAUSE_DAC, LT_EV_KERNEL, 3, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "mode 0600 uid 0 gid 0 on /srv/locks/a.lock gives other" },
	},
	{
		.name = "kernel_dac_search_confirmed",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV, DIR_("/srv/locks", 0700, 0, 0),
			  FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.deny = &(const struct deny_spec){ LT_HOOK_INODE_PERMISSION, LT_LSM_NONE, -EACCES,
						   0x81, 040700, 0, 0, 0, 0, 0, "/srv/locks" },
		.x = { LT_CAUSE_DAC_SEARCH, LT_EV_KERNEL, 2, X, "other", -1, -1, NULL, -1 },
		.contains = { "on /srv/locks", "to search it" },
	},
	{
		/* Looked at afterwards the file is 0666 (chmod'ed since): the
		 * kernel's record of the refusal is what happened. */
		.name = "kernel_dac_changed_since",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0666, 0, 0) },
		.deny = &(const struct deny_spec){ LT_HOOK_INODE_PERMISSION, LT_LSM_NONE, -EACCES,
						   0x26, 0100600, 0, 0, 0, 0, 0,
						   "/srv/locks/a.lock" },
		.x = { LT_CAUSE_DAC, LT_EV_KERNEL, 3, R | W, NOCLASS, -1, NULL, -1 },
		.contains = { "mode 0600 uid 0 gid 0 on /srv/locks/a.lock refused rw- to uid 4242",
			      "inode_permission returned EACCES", "it had changed" },
	},
	{
		.name = "kernel_immutable",
		.sys = LT_SYS_OPENAT,
		.err = EPERM,
		.flags = O_WRONLY,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.deny = &(const struct deny_spec){ LT_HOOK_INODE_PERMISSION, LT_LSM_NONE, -EPERM,
						   0x22, 0100644, 0, 0, LT_S_IMMUTABLE, 0, 0,
						   "/srv/locks/a.lock" },
		.x = { LT_CAUSE_IMMUTABLE, LT_EV_KERNEL, 3, W, NOCLASS, -1, NULL, -1 },
		.contains = { "immutable flag on /srv/locks/a.lock refused -w-" },
	},
	{
		/* A record of another error is not this failure's. */
		.name = "kernel_record_of_other_error_ignored",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0600, 0, 0) },
		.deny = &(const struct deny_spec){ LT_HOOK_SEC_FILE_OPEN, LT_LSM_APPARMOR, -EPERM,
						   O_RDWR, 0100600, 0, 0, 0, 0, 0,
						   "/srv/locks/a.lock" },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 3, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "gives other" },
	},
	/* -------- names that are symbolic links, FIFOs, devices -------- */
	{
		/* uid 4242's link to a watchdog: said, not read through. */
		.name = "eexist_link_to_device",
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, LINK_("/srv/locks/a.lock", "/dev/watchdog", 4242, 'c', 0600, 0, 0,
				       "/dev/watchdog") },
		.pidfile_pid = 0,
		.x = { LT_CAUSE_UNKNOWN, LT_EV_POSTHOC, 3, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "lock file /srv/locks/a.lock exists: a symbolic link (uid 4242 gid "
			      "4242) to /dev/watchdog",
			      "a character device 10:130 (uid 0 gid 0)", "not read through" },
	},
	{
		.name = "eexist_fifo",
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, { "/srv/locks/a.lock", 'p', 0644, 4242, 4242 } },
		.x = { LT_CAUSE_UNKNOWN, LT_EV_POSTHOC, 3, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "a FIFO (uid 4242 gid 4242), not a regular file; not opened" },
	},
	{
		.name = "eexist_dangling_link",
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.comp = { LOCKS, LINK_("/srv/locks/a.lock", "gone", 4242, 'm', 0, 0, 0, NULL) },
		.x = { LT_CAUSE_UNKNOWN, LT_EV_POSTHOC, 3, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "a symbolic link (uid 4242 gid 4242) to gone, which does not exist" },
	},
	{
		/* A regular pid file is still a pid file. */
		.name = "eexist_regular_stale",
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.comp = { LOCKS, FILE_("/srv/locks/a.lock", 0644, 0, 0) },
		.pidfile_pid = 999,
		.x = { LT_CAUSE_STALE_LOCK, LT_EV_POSTHOC, 3, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "left by pid 999" },
	},
	{
		/* The mode is the target's; the detail says whose link led there. */
		.name = "dac_through_users_link",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, LINK_("/srv/locks/a.lock", "/etc/shadow", 4242, 'f', 0600, 0, 0,
				       "/etc/shadow") },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 3, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "mode 0600 uid 0 gid 0 on /srv/locks/a.lock",
			      "; /srv/locks/a.lock is a symbolic link (uid 4242) to /etc/shadow" },
	},
	{
		.name = "dac_search_through_dir_link",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV,
			  LINK_("/srv/locks", "/etc", 4242, 'd', 0700, 0, 0, "/etc"),
			  { "/srv/locks/x", '?', 0, 0, 0 } },
		.x = { LT_CAUSE_DAC_SEARCH, LT_EV_POSTHOC, 2, X, "other", -1, -1, NULL, -1 },
		.contains = { "on /srv/locks gives other",
			      "is a symbolic link (uid 4242) to /etc" },
	},
	{
		/* fs.protected_symlinks: uid 4343's link in sticky /tmp, followed
		 * by uid 4242; the bits allow it, the kernel does not. */
		.name = "protected_symlinks",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { ROOT, DIR_("/tmp", 01777, 0, 0),
			  LINK_("/tmp/x.lock", "/srv/x.lock", 4343, 'f', 0666, 0, 0,
				"/srv/x.lock") },
		.x = { LT_CAUSE_UNKNOWN, LT_EV_INFERRED, 2, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "probably fs.protected_symlinks: /tmp/x.lock is a symbolic link (uid "
			      "4343)",
			      "sticky world-writable /tmp (1777 uid 0)",
			      "uid 4242, who owns neither" },
	},
	{
		/* Its owner may follow it. */
		.name = "protected_symlinks_owner_follows",
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { ROOT, DIR_("/tmp", 01777, 0, 0),
			  LINK_("/tmp/x.lock", "/srv/x.lock", 4242, 'f', 0600, 0, 0,
				"/srv/x.lock") },
		.x = { LT_CAUSE_DAC, LT_EV_POSTHOC, 2, R | W, "other", -1, -1, NULL, -1 },
		.contains = { "gives other" },
	},
	{
		.name = "not_found_dangling_link",
		.sys = LT_SYS_OPENAT,
		.err = ENOENT,
		.flags = O_RDWR,
		.comp = { LOCKS,
			  LINK_("/srv/locks/a.lock", "/srv/gone.lock", 0, 'm', 0, 0, 0, NULL) },
		.x = { LT_CAUSE_NOT_FOUND, LT_EV_POSTHOC, 3, 0, NOCLASS, -1, NULL, -1 },
		.contains = { "/srv/locks/a.lock is a symbolic link (uid 0) to /srv/gone.lock, which "
			      "is missing" },
	},
};

static void check_case(void **state)
{
	const struct cause_case *tc = *state;
	const struct expect *x = &tc->x;
	struct lt_cause_input in;
	struct lt_cause out;
	size_t i, len;

	build(tc, &in);
	memset(&out, 0x5a, sizeof(out));
	lt_cause_decide(&in, &out);

	len = strnlen(out.detail, sizeof(out.detail));
	assert_true(len < sizeof(out.detail));
	if (x->kind != out.kind)
		print_message("%s: %s (%s): %s\n", tc->name, lt_cause_kind_name(out.kind),
			      lt_evidence_name(out.evidence), out.detail);
	assert_string_equal(lt_cause_kind_name(out.kind), lt_cause_kind_name(x->kind));
	assert_string_equal(lt_evidence_name(out.evidence), lt_evidence_name(x->evidence));
	assert_int_equal(out.obj, x->obj);
	assert_int_equal(out.want, x->want);
	if (x->class) {
		assert_non_null(out.class);
		assert_string_equal(out.class, x->class);
	} else {
		assert_null(out.class);
	}
	assert_int_equal(out.acl_entry, x->acl_entry);
	assert_int_equal(out.capability, x->cap);
	if (x->lsm) {
		assert_non_null(lt_lsm_id_name(out.lsm));
		assert_string_equal(lt_lsm_id_name(out.lsm), x->lsm);
	} else {
		assert_int_equal(out.lsm, LT_LSM_NONE);
	}
	assert_int_equal(out.holder, x->holder);

	if (x->kind == LT_CAUSE_NONE) {
		assert_int_equal(len, 0);
		return;
	}
	assert_true(len > 0);
	assert_null(memchr(out.detail, '\n', len));
	for (i = 0; i < len; i++)
		assert_true((unsigned char)out.detail[i] >= 0x20);
	for (i = 0; i < ARRAY_SIZE(tc->contains) && tc->contains[i]; i++)
		if (!strstr(out.detail, tc->contains[i]))
			fail_msg("%s: detail \"%s\" lacks \"%s\"", tc->name, out.detail,
				 tc->contains[i]);
}

/* Every kind is exercised by at least one case. */
static void test_table_covers_kinds(void **state)
{
	bool seen[LT_CAUSE_UNKNOWN + 1] = { false };
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		seen[cases[i].x.kind] = true;
	for (k = 0; k <= LT_CAUSE_UNKNOWN; k++)
		if (!seen[k])
			fail_msg("no case for kind %s", lt_cause_kind_name(k));
}

/* ------------------------------------------------------------------ */
/* The helpers, directly */

static void test_open_may(void **state)
{
	(void)state;
	assert_int_equal(lt_open_may(O_RDONLY), R);
	assert_int_equal(lt_open_may(O_WRONLY), W);
	assert_int_equal(lt_open_may(O_RDWR), R | W);
	assert_int_equal(lt_open_may(O_ACCMODE), R | W);
	assert_int_equal(lt_open_may(O_RDONLY | O_TRUNC), R | W);
	assert_int_equal(lt_open_may(O_RDONLY | O_APPEND), R); /* MAY_APPEND: not DAC */
	assert_int_equal(lt_open_may(O_WRONLY | O_APPEND), W);
	assert_int_equal(lt_open_may(O_WRONLY | O_CREAT | O_TRUNC), W);
	assert_int_equal(lt_open_may(O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC), R | W);
	assert_int_equal(lt_open_may(O_PATH), 0);
}

static void test_may_str(void **state)
{
	char buf[4];

	(void)state;
	lt_may_str(0, buf);
	assert_string_equal(buf, "---");
	lt_may_str(R, buf);
	assert_string_equal(buf, "r--");
	lt_may_str(W | X, buf);
	assert_string_equal(buf, "-wx");
	lt_may_str(R | W | X, buf);
	assert_string_equal(buf, "rwx");
	lt_may_str(R | X, buf);
	assert_string_equal(buf, "r-x");
}

static void obj_from(struct lt_obj *o, char type, __u32 mode, __u32 uid, __u32 gid, const char *acl)
{
	struct comp_spec cs = {
		.path = "/o",
		.type = type,
		.mode = mode,
		.uid = uid,
		.gid = gid,
		.acl = acl,
	};

	make_obj(&cs, o);
}

static void test_dac_check(void **state)
{
	static struct lt_obj o;
	const __u32 groups[] = { 100, 50 };
	const char *class;
	int ent;

	(void)state;
	/* Owner: only the owner bits, even if others have more. */
	obj_from(&o, 'f', 0466, 5, 50, NULL);
	assert_int_equal(lt_dac_check(&o, 5, 5, NULL, 0, W, &class, &ent), -1);
	assert_string_equal(class, "owner");
	assert_int_equal(ent, -1);
	assert_int_equal(lt_dac_check(&o, 5, 5, NULL, 0, R, &class, &ent), 0);
	/* Group by fsgid, by a supplementary group; other. */
	obj_from(&o, 'f', 0640, 0, 50, NULL);
	assert_int_equal(lt_dac_check(&o, 7, 50, NULL, 0, R, &class, &ent), 0);
	assert_string_equal(class, "group");
	assert_int_equal(lt_dac_check(&o, 7, 7, groups, 2, W, &class, &ent), -1);
	assert_string_equal(class, "group");
	assert_int_equal(lt_dac_check(&o, 7, 7, groups, 1, R, &class, &ent), -1);
	assert_string_equal(class, "other");
	/* Exec on a directory. */
	obj_from(&o, 'd', 0711, 0, 0, NULL);
	assert_int_equal(lt_dac_check(&o, 7, 7, NULL, 0, X, &class, &ent), 0);
	assert_int_equal(lt_dac_check(&o, 7, 7, NULL, 0, R | X, &class, &ent), -1);
	/* Class and entry may be left out. */
	assert_int_equal(lt_dac_check(&o, 7, 7, NULL, 0, X, NULL, NULL), 0);

	/* ACL: named user, masked. */
	obj_from(&o, 'f', 0640, 0, 50, "u::rw-,u:42:rw-,g::r--,g:60:rw-,m::r--,o::---");
	assert_int_equal(lt_dac_check(&o, 42, 42, NULL, 0, R, &class, &ent), 0);
	assert_string_equal(class, "acl_user");
	assert_int_equal(ent, 1);
	assert_int_equal(lt_dac_check(&o, 42, 42, NULL, 0, W, &class, &ent), -1);
	assert_string_equal(class, "acl_user");
	assert_int_equal(ent, 1);
	/* The owner is not subject to the ACL. */
	assert_int_equal(lt_dac_check(&o, 0, 0, NULL, 0, R | W, &class, &ent), 0);
	assert_string_equal(class, "owner");
	/* Owning group and named group: the mask keeps both to r--. */
	assert_int_equal(lt_dac_check(&o, 43, 50, NULL, 0, R, &class, &ent), 0);
	assert_string_equal(class, "acl_group");
	assert_int_equal(ent, 2);
	assert_int_equal(lt_dac_check(&o, 43, 43, (const __u32[]){ 60 }, 1, W, &class, &ent), -1);
	assert_string_equal(class, "acl_group");
	assert_int_equal(ent, 3);
	/* No entry matches: ACL_OTHER. */
	assert_int_equal(lt_dac_check(&o, 43, 43, NULL, 0, R, &class, &ent), -1);
	assert_string_equal(class, "other");
	assert_int_equal(ent, 5);
	/* Any matching group entry that grants is enough. */
	obj_from(&o, 'f', 0660, 0, 50, "u::rw-,g::r--,g:60:rw-,m::rw-,o::---");
	assert_int_equal(lt_dac_check(&o, 43, 50, (const __u32[]){ 60 }, 1, W, &class, &ent), 0);
	assert_string_equal(class, "acl_group");
	assert_int_equal(ent, 2);
	/* With the ACL, the group mode bits are the mask, not group::. */
	obj_from(&o, 'f', 0670, 0, 50, "u::rw-,g::---,g:60:r--,m::rwx,o::---");
	assert_int_equal(lt_dac_check(&o, 43, 50, NULL, 0, R, &class, &ent), -1);
	assert_string_equal(class, "acl_group");
	assert_int_equal(ent, 1);
}

static void test_cap_would_grant(void **state)
{
	static struct lt_obj o;

	(void)state;
	obj_from(&o, 'd', 0000, 5, 5, NULL);
	assert_int_equal(lt_cap_would_grant(&o, X), CAP_DAC_READ_SEARCH);
	assert_int_equal(lt_cap_would_grant(&o, R | X), CAP_DAC_READ_SEARCH);
	assert_int_equal(lt_cap_would_grant(&o, W | X), CAP_DAC_OVERRIDE);
	obj_from(&o, 'f', 0000, 5, 5, NULL);
	assert_int_equal(lt_cap_would_grant(&o, R), CAP_DAC_READ_SEARCH);
	assert_int_equal(lt_cap_would_grant(&o, W), CAP_DAC_OVERRIDE);
	assert_int_equal(lt_cap_would_grant(&o, R | W), CAP_DAC_OVERRIDE);
	/* Exec on a file: only with some x bit set. */
	assert_int_equal(lt_cap_would_grant(&o, X), -1);
	assert_int_equal(lt_cap_would_grant(&o, R | X), -1);
	obj_from(&o, 'f', 0001, 5, 5, NULL);
	assert_int_equal(lt_cap_would_grant(&o, X), CAP_DAC_OVERRIDE);
	assert_int_equal(lt_cap_would_grant(&o, R | X), CAP_DAC_OVERRIDE);
}

static void test_names(void **state)
{
	static const char *const kinds[] = {
		"none",	       "dac",	    "dac_search", "acl",       "capability", "lsm",
		"readonly_fs", "no_space",  "quota",	  "immutable", "lock_held",  "stale_lock",
		"bad_fd_mode", "not_found", "remote_fs",  "unknown",
	};
	size_t i;

	(void)state;
	assert_int_equal(ARRAY_SIZE(kinds), LT_CAUSE_UNKNOWN + 1);
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		assert_string_equal(lt_cause_kind_name((enum lt_cause_kind)i), kinds[i]);
	assert_string_equal(lt_evidence_name(LT_EV_KERNEL), "kernel");
	assert_string_equal(lt_evidence_name(LT_EV_POSTHOC), "post-hoc");
	assert_string_equal(lt_evidence_name(LT_EV_INFERRED), "inferred");
}

/* Fields that do not apply stay -1/NULL whatever was in out before. */
/* The JSON cause object carries SELinux's fields for an lsm cause. */
static void test_selinux_json(void **state)
{
	static struct lt_obj objs[4];
	struct lt_event *ev = make_event(LT_SYS_OPENAT, EACCES, 4242, 4242, "/srv/locks/a.lock");
	struct lt_cause_input in = {};
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};

	(void)state;
	ev->open_flags = O_RDWR;
	obj_from(&objs[0], 'd', 0755, 0, 0, NULL);
	snprintf(objs[0].path, sizeof(objs[0].path), "/");
	obj_from(&objs[1], 'd', 0755, 0, 0, NULL);
	snprintf(objs[1].path, sizeof(objs[1].path), "/srv");
	obj_from(&objs[2], 'd', 0755, 0, 0, NULL);
	snprintf(objs[2].path, sizeof(objs[2].path), "/srv/locks");
	obj_from(&objs[3], 'f', 0666, 0, 0, NULL);
	snprintf(objs[3].path, sizeof(objs[3].path), "/srv/locks/a.lock");
	in.ev = ev;
	in.creds_in_init_userns = true;
	in.comp = objs;
	in.ncomp = 4;
	in.fd_accmode = -1;
	snprintf(in.lsm_list, sizeof(in.lsm_list), "lockdown,capability,selinux,bpf");
	in.avc = &avc_write;
	snprintf(in.avc_denied, sizeof(in.avc_denied), "write open");
	lt_cause_decide(&in, &v.cause);
	assert_int_equal(v.cause.kind, LT_CAUSE_LSM);
	lt_cause_json(&b, &v);
	assert_non_null(b.data);
	assert_non_null(strstr(b.data, "\"lsm\":{\"name\":\"selinux\""));
	assert_non_null(strstr(b.data, "\"scontext\":\"system_u:system_r:test_t\""));
	assert_non_null(strstr(b.data, "\"tcontext\":\"system_u:object_r:lock_t\""));
	assert_non_null(strstr(b.data, "\"tclass\":\"file\""));
	assert_non_null(strstr(b.data, "\"permission\":\"write open\""));
	assert_non_null(strstr(b.data, "\"evidence\":\"kernel\""));
	lt_buf_free(&b);
}

/* LSM tier: the cause object carries the kernel's record. */
static void test_kernel_json(void **state)
{
	static const struct deny_spec ds = { LT_HOOK_SEC_PATH_MKNOD,
					     LT_LSM_APPARMOR,
					     -EACCES,
					     0100600,
					     040755,
					     0,
					     0,
					     0,
					     LT_DENY_HAS_NAME,
					     11,
					     "/srv/locks/new.lock" };
	static const struct cause_case tc = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_WRONLY | O_CREAT,
		.comp = { LOCKS, MISSING("/srv/locks/new.lock") },
		.lsm_list = "apparmor,bpf",
		.deny = &ds,
	};
	struct lt_cause_input in;
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};

	(void)state;
	build(&tc, &in);
	lt_cause_decide(&in, &v.cause);
	assert_true(v.cause.kernel_check);
	lt_cause_json(&b, &v);
	assert_non_null(b.data);
	assert_non_null(strstr(b.data, "\"lsm\":{\"name\":\"apparmor\""));
	assert_non_null(strstr(b.data, "\"kernel\":{\"check\":\"security_path_mknod\","
				       "\"function\":\"apparmor_path_mknod\",\"ret\":-13,"
				       "\"error\":\"EACCES\",\"object\":{\"path\":\"/srv/locks\","
				       "\"name\":\"new.lock\",\"ino\":77,\"dev\":\"8:1\","
				       "\"type\":\"dir\",\"mode\":\"0755\""));
	lt_buf_free(&b);
	/* Without the tier: no kernel object. */
	in.deny = NULL;
	lt_cause_decide(&in, &v.cause);
	assert_false(v.cause.kernel_check);
	lt_cause_json(&b, &v);
	assert_null(strstr(b.data, "\"kernel\""));
	lt_buf_free(&b);
}

/* The holder the kernel named at the refusal comes first, whatever the
 * order of /proc/locks, and the JSON says the kernel saw it. */
static void test_kernel_holder(void **state)
{
	struct lt_event *ev = make_event(LT_SYS_FLOCK, EWOULDBLOCK, 0, 0, "/srv/locks/q.lock");
	struct lt_cause_input in = {};
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};

	(void)state;
	ev->lock_cmd = LOCK_EX | LOCK_NB;
	in.ev = ev;
	in.creds_in_init_userns = true;
	in.fd_accmode = -1;
	in.nholders = 2;
	in.holders[0].pid = 700;
	in.holders[0].type = F_RDLCK;
	in.holders[1].pid = 812;
	in.holders[1].type = F_WRLCK;
	in.holders[1].kernel = true;
	snprintf(in.holders[1].comm, sizeof(in.holders[1].comm), "deploy.sh");
	lt_cause_decide(&in, &v.cause);
	assert_int_equal(v.cause.kind, LT_CAUSE_LOCK_HELD);
	assert_int_equal(v.cause.evidence, LT_EV_KERNEL);
	assert_int_equal(v.cause.holder, 1);
	assert_non_null(strstr(v.cause.detail, "held by pid 812 (deploy.sh"));
	lt_cause_json(&b, &v);
	assert_non_null(strstr(
		b.data,
		"{\"pid\":812,\"uid\":0,\"comm\":\"deploy.sh\",\"type\":\"F_WRLCK\",\"lock\":\"flock\",\"seen_by_kernel\":true}"));
	lt_buf_free(&b);
}

/* --explain for tc: the why and fix lines, and the cause's JSON. */
static void explain_case(const struct cause_case *tc, struct lt_buf *text, struct lt_buf *json)
{
	static struct lt_cause_input in;
	struct lt_verdict v = { .in = &in };

	build(tc, &in);
	lt_cause_decide(&in, &v.cause);
	lt_buf_reset(text);
	lt_explain(text, &v);
	lt_buf_reset(json);
	lt_cause_json(json, &v);
	assert_non_null(text->data);
	assert_non_null(json->data);
}

static void has(const struct lt_buf *b, const char *s)
{
	if (!strstr(b->data, s))
		fail_msg("\"%s\" lacks \"%s\"", b->data, s);
}

static void lacks(const struct lt_buf *b, const char *s)
{
	if (strstr(b->data, s))
		fail_msg("\"%s\" has \"%s\"", b->data, s);
}

/*
 * A fix never chowns or chmods through a symbolic link: through a user's
 * link to a file the user does not own it says so and to remove the link;
 * through a trusted one it names the real file; where the link itself is
 * the object it says chown -h.
 */
static void test_explain_links(void **state)
{
	static const struct cause_case user_link = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, LINK_("/srv/locks/a.lock", "/etc/shadow", 4242, 'f', 0600, 0, 0,
				       "/etc/shadow") },
	};
	static const struct cause_case root_link = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, LINK_("/srv/locks/a.lock", "../real/a.lock", 0, 'f', 0600, 0, 0,
				       "/srv/real/a.lock") },
	};
	/* uid 4242's /srv/locks -> /etc: a file below it is root's. */
	static const struct cause_case dir_link = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV,
			  LINK_("/srv/locks", "/etc", 4242, 'd', 0755, 0, 0, "/etc"),
			  { "/srv/locks/shadow", 'f', 0600, 0, 0, .real = "/etc/shadow" } },
	};
	/* Root's /srv/locks -> /data/locks, whose real path is not known. */
	static const struct cause_case unknown_real = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV,
			  LINK_("/srv/locks", "/data/locks", 0, 'd', 0755, 0, 0, NULL),
			  { "/srv/locks/a.lock", 'f', 0600, 0, 0 } },
	};
	/* mkdir -p through a user's link would create as root where it points. */
	static const struct cause_case missing_via_link = {
		.sys = LT_SYS_OPENAT,
		.err = ENOENT,
		.flags = O_RDWR | O_CREAT,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV, LINK_("/srv/locks", "/etc", 4242, 'd', 0755, 0, 0, "/etc"),
			  MISSING("/srv/locks/cron.d"), MISSING("/srv/locks/cron.d/x.lock") },
	};
	static const struct cause_case stale_via_root_link = {
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.comp = { SRV,
			  LINK_("/srv/locks", "/run/lock", 0, 'd', 0755, 0, 0, "/run/lock"),
			  { "/srv/locks/a.lock", 'f', 0644, 0, 0, .real = "/run/lock/a.lock" } },
		.pidfile_pid = 999,
	};
	static const struct cause_case device_link = {
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { LOCKS, LINK_("/srv/locks/w.lock", "/dev/watchdog", 4242, 'c', 0600, 0, 0,
				       "/dev/watchdog") },
	};
	static const struct cause_case fifo = {
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.comp = { LOCKS, { "/srv/locks/f.lock", 'p', 0644, 4242, 4242 } },
	};
	/* uid 4242's /srv/locks -> /dev: rm of a name below it would remove a
	 * device node. */
	static const struct cause_case device_via_dir_link = {
		.sys = LT_SYS_OPENAT,
		.err = EEXIST,
		.flags = O_WRONLY | O_CREAT | O_EXCL,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { SRV,
			  LINK_("/srv/locks", "/dev", 4242, 'd', 0755, 0, 0, "/dev"),
			  { "/srv/locks/watchdog", 'c', 0600, 0, 0, .real = "/dev/watchdog" } },
	};
	static const struct cause_case protected = {
		.sys = LT_SYS_OPENAT,
		.err = EACCES,
		.flags = O_RDWR,
		.fsuid = 4242,
		.fsgid = 4242,
		.comp = { ROOT, DIR_("/tmp", 01777, 0, 0),
			  LINK_("/tmp/x.lock", "/srv/x.lock", 4343, 'f', 0666, 0, 0,
				"/srv/x.lock") },
	};
	struct lt_buf t = {}, j = {};

	(void)state;
	explain_case(&user_link, &t, &j);
	has(&t, "fix: /srv/locks/a.lock is a symbolic link of uid 4242 to /etc/shadow");
	has(&t, "uid 0's, not uid 4242's");
	has(&t, "(`rm /srv/locks/a.lock`)");
	lacks(&t, "`chown");
	lacks(&t, "`chmod");
	lacks(&t, "`chgrp");
	has(&j, "\"object\":{\"path\":\"/srv/locks/a.lock\",\"mode\":\"0600\",\"uid\":0");
	has(&j, "\"symlink\":{\"target\":\"/etc/shadow\",\"uid\":4242,\"gid\":4242}");
	has(&j, "\"real_path\":\"/etc/shadow\"");

	explain_case(&root_link, &t, &j);
	has(&t, "fix: /srv/locks/a.lock is /srv/real/a.lock through a symbolic link: give uid 4242 "
		"access: `chown 4242 /srv/real/a.lock`, or `chgrp 4242 /srv/real/a.lock` and "
		"`chmod g+rw /srv/real/a.lock`");
	lacks(&t, "`chown 4242 /srv/locks");
	lacks(&t, "`chmod g+rw /srv/locks");
	has(&j, "\"symlink\":{\"target\":\"../real/a.lock\",\"uid\":0,\"gid\":0}");

	explain_case(&dir_link, &t, &j);
	has(&t, "fix: /srv/locks is a symbolic link of uid 4242 to /etc");
	has(&t, "(`rm /srv/locks`)");
	lacks(&t, "`chown");
	lacks(&t, "`chmod");
	has(&j, "\"real_path\":\"/etc/shadow\"");
	lacks(&j, "\"symlink\""); /* the object is no link, one on its way is */

	explain_case(&unknown_real, &t, &j);
	has(&t, "could not be told: find the file (`readlink -f /srv/locks/a.lock`)");
	lacks(&t, "`chown");

	explain_case(&missing_via_link, &t, &j);
	has(&t, "(`rm /srv/locks`)");
	lacks(&t, "mkdir");

	explain_case(&stale_via_root_link, &t, &j);
	has(&t, "fix: /srv/locks/a.lock is /run/lock/a.lock through a symbolic link: pid 999 is "
		"gone: remove the stale lock file (`rm /run/lock/a.lock`)");

	explain_case(&device_link, &t, &j);
	has(&t, "fix: /srv/locks/w.lock is a symbolic link to /dev/watchdog, not a lock file");
	has(&t, "(`rm /srv/locks/w.lock`)");
	has(&j, "\"type\":\"chardev\",\"rdev\":\"10:130\",\"symlink\":{\"target\":"
		"\"/dev/watchdog\"");

	explain_case(&fifo, &t, &j);
	has(&t, "fix: /srv/locks/f.lock is a FIFO, not a lock file the program can create: remove "
		"it (`rm /srv/locks/f.lock`)");
	has(&j, "\"type\":\"fifo\"");

	explain_case(&device_via_dir_link, &t, &j);
	has(&t, "(`rm /srv/locks`)");
	lacks(&t, "rm /srv/locks/watchdog");

	explain_case(&protected, &t, &j);
	has(&t, "fs.protected_symlinks");
	has(&t, "(`chown -h 0 /tmp/x.lock`)");
	has(&t, "(`rm /tmp/x.lock`)");
	lt_buf_free(&t);
	lt_buf_free(&j);
}

/* --explain and the cause object on a terminal: a file name with a C1
 * control (CSI), a bidirectional override and a byte that is not UTF-8
 * never reaches it raw; the fix still names the file exactly. */
static void test_explain_terminal(void **state)
{
	static struct lt_obj objs[3];
	/* "/srv/x" CSI "2J" RLO "kcol." 0x9b ".lock" */
	static const char path[] = "/srv/x\xc2\x9b"
				   "2J\xe2\x80\xaekcol.\x9b.lock";
	struct lt_event *ev = make_event(LT_SYS_OPENAT, EACCES, 4242, 4242, path);
	struct lt_cause_input in = {};
	struct lt_verdict v = { .in = &in };
	struct lt_buf b = {};

	(void)state;
	ev->open_flags = O_RDWR;
	obj_from(&objs[0], 'd', 0755, 0, 0, NULL);
	snprintf(objs[0].path, sizeof(objs[0].path), "/");
	obj_from(&objs[1], 'd', 0755, 0, 0, NULL);
	snprintf(objs[1].path, sizeof(objs[1].path), "/srv");
	obj_from(&objs[2], 'f', 0600, 0, 0, NULL);
	snprintf(objs[2].path, sizeof(objs[2].path), "%s", path);
	in.ev = ev;
	in.creds_in_init_userns = true;
	in.comp = objs;
	in.ncomp = 3;
	in.fd_accmode = -1;
	lt_cause_decide(&in, &v.cause);
	assert_int_equal(v.cause.kind, LT_CAUSE_DAC);
	lt_explain(&b, &v);
	assert_non_null(b.data);
	assert_null(strstr(b.data, "\xc2\x9b"));
	assert_null(strstr(b.data, "\xe2\x80\xae"));
	assert_null(strchr(b.data, '\x9b'));
	assert_non_null(strstr(
		b.data,
		"    why: dac: mode 0600 uid 0 gid 0 on /srv/x\\u009b2J\\u202ekcol.\\x9b.lock"));
	assert_non_null(
		strstr(b.data, "`chown 4242 $'/srv/x\\xc2\\x9b2J\\xe2\\x80\\xaekcol.\\x9b.lock'`"));
	lt_buf_reset(&b);
	lt_cause_json(&b, &v);
	assert_null(strstr(b.data, "\xc2\x9b"));
	assert_null(strstr(b.data, "\xe2\x80\xae"));
	assert_non_null(strstr(b.data, "/srv/x\\u009b2J\\u202ekcol.\xef\xbf\xbd.lock"));
	lt_buf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Golden output: every case through the decision, the JSON event line,
 * the text line and --explain, byte for byte against
 * tests/golden/explain.golden (LT_GOLDEN_UPDATE=1 rewrites it). */

static void golden_case(struct lt_buf *out, const struct cause_case *tc)
{
	static struct lt_cause_input in;
	struct lt_verdict v = { .in = &in };
	struct lt_fmt f = { .boot_to_real_ns = 1764000000LL * 1000000000LL, .columns = 120 };

	build(tc, &in);
	lt_cause_decide(&in, &v.cause);
	lt_buf_printf(out, "== %s\n", tc->name);
	lt_format_json(out, in.ev, &v, &f);
	lt_buf_puts(out, "\n");
	f.wide = true;
	lt_format_text(out, in.ev, &v, &f);
	lt_buf_puts(out, "\n");
	lt_explain(out, &v);
}

static void test_golden(void **state)
{
	const char *here = __FILE__, *slash = strrchr(here, '/');
	struct lt_buf out = { 0 };
	char path[4096], *want = NULL;
	size_t i, wantlen = 0;
	FILE *fp;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		golden_case(&out, &cases[i]);
	assert_false(out.oom);
	snprintf(path, sizeof(path), "%.*s/../golden/explain.golden",
		 slash ? (int)(slash - here) : 1, slash ? here : ".");
	if (getenv("LT_GOLDEN_UPDATE")) {
		fp = fopen(path, "w");
		assert_non_null(fp);
		assert_int_equal(fwrite(out.data, 1, out.len, fp), out.len);
		assert_int_equal(fclose(fp), 0);
	}
	fp = fopen(path, "r");
	if (!fp)
		fail_msg("%s: %s (LT_GOLDEN_UPDATE=1 writes it)", path, strerror(errno));
	want = malloc(out.len + 2);
	assert_non_null(want);
	wantlen = fread(want, 1, out.len + 1, fp);
	fclose(fp);
	if (wantlen != out.len || memcmp(want, out.data, out.len)) {
		for (i = 0; i < wantlen && i < out.len && want[i] == out.data[i]; i++)
			;
		fail_msg("%s differs at byte %zu: got \"%.80s\"", path, i, out.data + i);
	}
	free(want);
	lt_buf_free(&out);
}

static void test_null_input(void **state)
{
	struct lt_cause out;

	(void)state;
	memset(&out, 0x5a, sizeof(out));
	lt_cause_decide(NULL, &out);
	assert_int_equal(out.kind, LT_CAUSE_UNKNOWN);
	assert_int_equal(out.obj, -1);
	assert_null(out.class);
	assert_true(out.detail[0] != '\0');
}

int main(void)
{
	static const struct CMUnitTest direct[] = {
		cmocka_unit_test(test_open_may),
		cmocka_unit_test(test_may_str),
		cmocka_unit_test(test_dac_check),
		cmocka_unit_test(test_cap_would_grant),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_null_input),
		cmocka_unit_test(test_selinux_json),
		cmocka_unit_test(test_kernel_json),
		cmocka_unit_test(test_kernel_holder),
		cmocka_unit_test(test_table_covers_kinds),
		cmocka_unit_test(test_explain_terminal),
		cmocka_unit_test(test_explain_links),
		cmocka_unit_test(test_golden),
	};
	/* The direct tests, then one test per table case; sized from both
	 * arrays, so adding to either cannot hide a test. */
	struct CMUnitTest tests[ARRAY_SIZE(direct) + ARRAY_SIZE(cases)];
	size_t i;

	memcpy(tests, direct, sizeof(direct));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct CMUnitTest *t = &tests[ARRAY_SIZE(direct) + i];

		memset(t, 0, sizeof(*t));
		t->name = cases[i].name;
		t->test_func = check_case;
		t->initial_state = (void *)&cases[i];
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
