// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The test_cause_* tests' shared part: see cause_build.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "common/decode.h"
#include "cause_build.h"

static union {
	struct lt_event ev;
	char raw[sizeof(struct lt_event) + LT_PATH_MAX];
} evbuf;

struct lt_event *cause_make_event(__u32 sys, int err, __u32 fsuid, __u32 fsgid, const char *path)
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

void cause_build(const struct cause_case *tc, struct lt_cause_input *in)
{
	const char *path = tc->ev_path;
	struct lt_event *ev;
	int n = 0, i;

	while (n < (int)(sizeof(tc->comp) / sizeof(tc->comp[0])) && tc->comp[n].path)
		n++;
	if (!path)
		path = n ? tc->comp[n - 1].path : "";
	ev = cause_make_event(tc->sys, tc->err, tc->fsuid, tc->fsgid, path);
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
	ev->io_off = tc->io_off;
	ev->io_len = tc->io_len;
	ev->io_flags = tc->io_flags;
	ev->i_flags = tc->i_flags;

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
	/* A descriptor's inode as the kernel saw it: the target's. */
	if ((tc->ev_flags & LT_EVF_HAVE_INODE) && n) {
		ev->i_mode = comps[n - 1].mode;
		ev->i_uid = comps[n - 1].uid;
		ev->i_gid = comps[n - 1].gid;
		ev->ino = comps[n - 1].ino;
	}
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
	if (tc->owner)
		in->owner = *tc->owner;
	in->remote = tc->remote;
	if (tc->peer) {
		in->npeers = 1;
		in->peers[0].s_dev = 0x2a00007;
		snprintf(in->peers[0].mountpoint, sizeof(in->peers[0].mountpoint), "%s", tc->peer);
	}
	if (tc->remote || (tc->fs && !strcmp(tc->fs->type, "cifs"))) {
		/* A lock call's descriptor: the kernel saw its filesystem. */
		if (lt_sys_is_lock(tc->sys) && !tc->ev_flags) {
			ev->ev_flags |= LT_EVF_HAVE_INODE;
			ev->fs_magic = 0xFF534D42;
			ev->ino = 1057;
		}
	}
}

void cause_obj_from(struct lt_obj *o, char type, __u32 mode, __u32 uid, __u32 gid, const char *acl)
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

void cause_check_case(void **state)
{
	const struct cause_case *tc = *state;
	const struct expect *x = &tc->x;
	struct lt_cause_input in;
	struct lt_cause out;
	size_t i, len;

	cause_build(tc, &in);
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
	for (i = 0; i < sizeof(tc->contains) / sizeof(tc->contains[0]) && tc->contains[i]; i++)
		if (!strstr(out.detail, tc->contains[i]))
			fail_msg("%s: detail \"%s\" lacks \"%s\"", tc->name, out.detail,
				 tc->contains[i]);
}

enum cause_domain cause_domain_of(enum lt_cause_kind kind)
{
	switch (kind) {
	case LT_CAUSE_DAC:
	case LT_CAUSE_DAC_SEARCH:
	case LT_CAUSE_ACL:
	case LT_CAUSE_CAPABILITY:
	case LT_CAUSE_IMMUTABLE:
		return CAUSE_DAC;
	case LT_CAUSE_LOCK_HELD:
	case LT_CAUSE_STALE_LOCK:
	case LT_CAUSE_BAD_FD_MODE:
		return CAUSE_LOCK;
	case LT_CAUSE_NOT_FOUND:
	case LT_CAUSE_READONLY_FS:
	case LT_CAUSE_NO_SPACE:
	case LT_CAUSE_QUOTA:
	case LT_CAUSE_REMOTE_FS:
		return CAUSE_FS;
	case LT_CAUSE_LSM:
		return CAUSE_LSM;
	case LT_CAUSE_REMOTE_LOCK_CONFLICT:
	case LT_CAUSE_REMOTE_SHARING_VIOLATION:
	case LT_CAUSE_REMOTE_ACCESS_DENIED:
	case LT_CAUSE_REMOTE_READ_ONLY:
	case LT_CAUSE_REMOTE_DISK_FULL:
	case LT_CAUSE_REMOTE_QUOTA:
		return CAUSE_REMOTE;
	case LT_CAUSE_NONE:
	case LT_CAUSE_UNKNOWN:
		break;
	}
	return CAUSE_DECIDE;
}

int cause_run(const struct CMUnitTest *direct, size_t ndirect, enum cause_domain domain)
{
	size_t i, n = ndirect;

	for (i = 0; i < cause_ncases; i++)
		n += cause_domain_of(cause_cases[i].x.kind) == domain;
	/* Sized from both, so that adding to either cannot hide a test. */
	struct CMUnitTest tests[n];

	memcpy(tests, direct, ndirect * sizeof(*direct));
	for (i = 0, n = ndirect; i < cause_ncases; i++) {
		struct CMUnitTest *t = &tests[n];

		if (cause_domain_of(cause_cases[i].x.kind) != domain)
			continue;
		memset(t, 0, sizeof(*t));
		t->name = cause_cases[i].name;
		t->test_func = cause_check_case;
		t->initial_state = (void *)&cause_cases[i];
		n++;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
