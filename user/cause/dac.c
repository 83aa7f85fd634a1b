// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's DAC check, mirrored: what open flags ask (build_open_flags),
 * the mode bits and the POSIX ACL with its mask (acl_permission_check,
 * posix_acl_permission), and what CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
 * would grant (generic_permission). Pure functions of one inode.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <linux/capability.h>
#include "cause.h"
#include "decide.h"

/*
 * As the kernel's build_open_flags(): LT_O_TRUNC asks for write; LT_O_APPEND adds
 * MAY_APPEND, which DAC ignores (only security modules and the append-only
 * check look at it), so it asks nothing more here. LT_O_PATH opens check
 * nothing on the target.
 */
__u32 lt_open_may(__u32 open_flags)
{
	__u32 may;

	if (open_flags & LT_O_PATH)
		return 0;
	switch (open_flags & LT_O_ACCMODE) {
	case LT_O_RDONLY:
		may = LT_MAY_READ;
		break;
	case LT_O_WRONLY:
		may = LT_MAY_WRITE;
		break;
	default: /* LT_O_RDWR, and 3 which the kernel reads as both */
		may = LT_MAY_READ | LT_MAY_WRITE;
		break;
	}
	if (open_flags & LT_O_TRUNC)
		may |= LT_MAY_WRITE;
	return may;
}

static bool in_group(__u32 gid, __u32 fsgid, const __u32 *groups, int ngroups)
{
	int i;

	if (gid == fsgid)
		return true;
	for (i = 0; groups && i < ngroups; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

static int acl_count(const struct lt_obj *o)
{
	if (o->nacl < 0)
		return 0;
	return o->nacl > LT_ACL_MAX ? LT_ACL_MAX : o->nacl;
}

/*
 * Whether the kernel walks the ACL for a non-owner: only an extended ACL
 * (named entries or a mask; a minimal one is just the mode bits), and only
 * when the group-class bits, which hold the mask, are not all clear: with a
 * mask of --- the kernel skips the ACL and the group/other mode bits decide.
 */
static bool acl_applies(const struct lt_obj *o)
{
	int i, n = acl_count(o);

	if (!(o->mode & S_IRWXG))
		return false;
	for (i = 0; i < n; i++)
		if (o->acl[i].tag & (LT_ACL_USER | LT_ACL_GROUP | LT_ACL_MASK))
			return true;
	return false;
}

int lt_acl_find(const struct lt_obj *o, __u16 tag)
{
	int i, n = acl_count(o);

	for (i = 0; i < n; i++)
		if (o->acl[i].tag == tag)
			return i;
	return -1;
}

/* The kernel's posix_acl_permission() for a non-owner. */
static void acl_eval(const struct lt_obj *o, __u32 fsuid, __u32 fsgid, const __u32 *groups,
		     int ngroups, __u32 want, struct dac_verdict *v)
{
	int i, n = acl_count(o), m = lt_acl_find(o, LT_ACL_MASK), first = -1;
	__u32 mask = m >= 0 ? o->acl[m].perm & 7 : 7;

	for (i = 0; i < n; i++) {
		if (o->acl[i].tag == LT_ACL_USER && o->acl[i].id == fsuid) {
			v->class = "acl_user";
			v->acl_entry = i;
			v->perm = o->acl[i].perm & mask;
			return;
		}
	}
	/*
	 * The first group entry that grants without the mask decides, and the
	 * mask then has the last word; as the mask is the same for every
	 * entry, no other group entry could do better.
	 */
	for (i = 0; i < n; i++) {
		const struct lt_acl_entry *e = &o->acl[i];
		bool match;

		if (e->tag == LT_ACL_GROUP_OBJ)
			match = in_group(o->gid, fsgid, groups, ngroups);
		else if (e->tag == LT_ACL_GROUP)
			match = in_group(e->id, fsgid, groups, ngroups);
		else
			continue;
		if (!match)
			continue;
		if ((e->perm & want) == want) {
			v->class = "acl_group";
			v->acl_entry = i;
			v->perm = e->perm & mask;
			return;
		}
		if (first < 0)
			first = i;
	}
	if (first >= 0) {
		v->class = "acl_group";
		v->acl_entry = first;
		v->perm = o->acl[first].perm & mask;
		return;
	}
	v->class = "other";
	v->acl_entry = lt_acl_find(o, LT_ACL_OTHER);
	v->perm = v->acl_entry >= 0 ? o->acl[v->acl_entry].perm & 7 : o->mode & S_IRWXO;
}

/* The kernel's acl_permission_check(): 0 granted, -EACCES denied. */
int lt_dac_eval(const struct lt_obj *o, __u32 fsuid, __u32 fsgid, const __u32 *groups, int ngroups,
		__u32 want, struct dac_verdict *v)
{
	want &= 7;
	v->acl_entry = -1;
	if (fsuid == o->uid) {
		v->class = "owner";
		v->perm = (o->mode >> 6) & 7;
	} else if (acl_applies(o)) {
		acl_eval(o, fsuid, fsgid, groups, ngroups, want, v);
	} else if (in_group(o->gid, fsgid, groups, ngroups)) {
		v->class = "group";
		v->perm = (o->mode >> 3) & 7;
	} else {
		v->class = "other";
		v->perm = o->mode & 7;
	}
	return (want & ~v->perm) ? -EACCES : 0;
}

int lt_dac_check(const struct lt_obj *o, __u32 fsuid, __u32 fsgid, const __u32 *groups, int ngroups,
		 __u32 want, const char **class, int *acl_entry)
{
	struct dac_verdict v;
	int ret = lt_dac_eval(o, fsuid, fsgid, groups, ngroups, want, &v);

	if (class)
		*class = v.class;
	if (acl_entry)
		*acl_entry = v.acl_entry;
	return ret;
}

/* The capability half of the kernel's generic_permission(): would cap
 * alone grant want? */
bool lt_cap_grants(bool is_dir, __u32 mode, int cap, __u32 want)
{
	want &= 7;
	if (is_dir) {
		if (cap == CAP_DAC_READ_SEARCH)
			return !(want & LT_MAY_WRITE);
		return cap == CAP_DAC_OVERRIDE;
	}
	if (cap == CAP_DAC_READ_SEARCH)
		return want == LT_MAY_READ;
	if (cap == CAP_DAC_OVERRIDE)
		return !(want & LT_MAY_EXEC) || (mode & (S_IXUSR | S_IXGRP | S_IXOTH));
	return false;
}

int lt_cap_grant_mode(bool is_dir, __u32 mode, __u32 want)
{
	if (lt_cap_grants(is_dir, mode, CAP_DAC_READ_SEARCH, want))
		return CAP_DAC_READ_SEARCH;
	if (lt_cap_grants(is_dir, mode, CAP_DAC_OVERRIDE, want))
		return CAP_DAC_OVERRIDE;
	return -1;
}

int lt_cap_would_grant(const struct lt_obj *o, __u32 want)
{
	return lt_cap_grant_mode(S_ISDIR(o->mode), o->mode, want);
}

void lt_may_str(__u32 may, char *buf)
{
	buf[0] = may & LT_MAY_READ ? 'r' : '-';
	buf[1] = may & LT_MAY_WRITE ? 'w' : '-';
	buf[2] = may & LT_MAY_EXEC ? 'x' : '-';
	buf[3] = '\0';
}

void lt_acl_entry_str(const struct lt_acl_entry *e, char *buf, size_t len)
{
	char p[4];

	lt_may_str(e->perm, p);
	switch (e->tag) {
	case LT_ACL_USER_OBJ:
		snprintf(buf, len, "user::%s", p);
		break;
	case LT_ACL_USER:
		snprintf(buf, len, "user:%u:%s", e->id, p);
		break;
	case LT_ACL_GROUP_OBJ:
		snprintf(buf, len, "group::%s", p);
		break;
	case LT_ACL_GROUP:
		snprintf(buf, len, "group:%u:%s", e->id, p);
		break;
	case LT_ACL_MASK:
		snprintf(buf, len, "mask::%s", p);
		break;
	case LT_ACL_OTHER:
		snprintf(buf, len, "other::%s", p);
		break;
	default:
		snprintf(buf, len, "tag 0x%x:%u:%s", e->tag, e->id, p);
		break;
	}
}
