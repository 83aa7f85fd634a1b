// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Looking at what a process sees at a path, safely: see examine.h. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include "common/util.h"
#include "examine.h"

#define LT_ACL_XATTR "system.posix_acl_access"
#define LT_ACL_XATTR_VERSION 2

int lt_acl_parse(const void *buf, size_t len, struct lt_acl_entry *out, int max)
{
	const unsigned char *p = buf;
	__u32 version;
	int n = 0;

	if (len < 4 || (len - 4) % 8)
		return -EINVAL;
	memcpy(&version, p, 4);
	if (version != LT_ACL_XATTR_VERSION)
		return -EINVAL;
	for (size_t off = 4; off < len && n < max; off += 8, n++) {
		__u16 tag, perm;
		__u32 id;

		memcpy(&tag, p + off, 2);
		memcpy(&perm, p + off + 2, 2);
		memcpy(&id, p + off + 4, 4);
		out[n].tag = tag;
		out[n].perm = perm & 7;
		out[n].id = id;
	}
	return n;
}

/* Extended ACL entries of path (a minimal ACL is the mode bits: 0). */
static int read_acl(const char *path, struct lt_acl_entry *out, int max)
{
	char buf[8 * LT_ACL_MAX + 4];
	ssize_t len = getxattr(path, LT_ACL_XATTR, buf, sizeof(buf));
	int n;

	if (len <= 0)
		return 0;
	n = lt_acl_parse(buf, len, out, max);
	/* Owner, group, other only: no more than the mode says. */
	return n > 3 ? n : 0;
}

/*
 * An O_PATH descriptor for path as the process sees it, from its root:
 * absolute symbolic links and ".." stay inside that root (a container's
 * /var/lock -> /run/lock is its own). Before openat2 (5.6), through the
 * root's magic link, where absolute links resolve against ours.
 */
static int resolve_at(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | flags,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS) {
		char full[LT_PATH_MAX + 64];

		snprintf(full, sizeof(full), "/proc/self/fd/%d%s", rootfd, path);
		fd = open(full, O_PATH | O_CLOEXEC | flags);
	}
	return fd < 0 ? -errno : fd;
}

int lt_resolve_in(int rootfd, const char *path)
{
	return resolve_at(rootfd, path, 0);
}

/*
 * The name itself at path (O_PATH|O_NOFOLLOW): a symbolic link as the
 * last component is not followed, the ones before it are, inside the
 * process's root as lt_resolve_in() does.
 */
int lt_resolve_name(int rootfd, const char *path)
{
	return resolve_at(rootfd, path, O_NOFOLLOW);
}

/*
 * Pseudo filesystems whose regular files act when opened or read
 * (/proc/kmsg consumes the kernel log, tracefs's trace_pipe consumes the
 * trace): a name a user points there is never opened, only looked at.
 */
static bool acting_fs(int fd)
{
	/* linux/magic.h; configfs and fusectl are not in it */
	static const __u32 magic[] = {
		PROC_SUPER_MAGIC,
		SYSFS_MAGIC,
		DEBUGFS_MAGIC,
		TRACEFS_MAGIC,
		SECURITYFS_MAGIC,
		CGROUP_SUPER_MAGIC,
		CGROUP2_SUPER_MAGIC,
		BPF_FS_MAGIC,
		EFIVARFS_MAGIC,
		PSTOREFS_MAGIC,
		SELINUX_MAGIC,
		SMACK_MAGIC,
		BINFMTFS_MAGIC,
		0x62656570 /* configfs */,
		0x65735543 /* fusectl */,
	};
	struct statfs sf;

	if (fstatfs(fd, &sf))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(magic); i++)
		if ((__u32)sf.f_type == magic[i])
			return true;
	return false;
}

/*
 * Through fd's magic link, which names exactly that inode: it cannot be
 * swapped since it was looked at.
 */
int lt_reopen(int fd, int flags)
{
	struct stat st, got;
	char self[64];
	int rfd;

	if (fstat(fd, &st))
		return -errno;
	if (!(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) || (S_ISREG(st.st_mode) && acting_fs(fd)))
		return -EPERM;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	flags |= O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	rfd = open(self, flags | O_NOATIME);
	if (rfd < 0 && errno == EPERM)
		rfd = open(self, flags);
	if (rfd < 0)
		return -errno;
	if (fstat(rfd, &got) || got.st_dev != st.st_dev || got.st_ino != st.st_ino) {
		close(rfd);
		return -ESTALE;
	}
	return rfd;
}

/* chattr's immutable and append-only flags: from statx where the
 * filesystem reports them (nothing is opened), else FS_IOC_GETFLAGS. */
static void read_inode_flags(int pathfd, struct lt_obj *o)
{
	const __u64 both = STATX_ATTR_IMMUTABLE | STATX_ATTR_APPEND;
	struct statx stx;
	int fd, flags = 0;

	if (!statx(pathfd, "", AT_EMPTY_PATH, 0, &stx) &&
	    (stx.stx_attributes_mask & both) == both) {
		o->immutable = stx.stx_attributes & STATX_ATTR_IMMUTABLE;
		o->append_only = stx.stx_attributes & STATX_ATTR_APPEND;
		return;
	}
	fd = lt_reopen(pathfd, O_RDONLY);
	if (fd < 0)
		return;
	if (!ioctl(fd, FS_IOC_GETFLAGS, &flags)) {
		o->immutable = flags & FS_IMMUTABLE_FL;
		o->append_only = flags & FS_APPEND_FL;
	}
	close(fd);
}

/*
 * The path of what fd names as the process sees it: ours, less the path of
 * the process's root (root, "/" for ours); "" when it cannot be told (a
 * root we do not see, a file deleted since).
 */
static void real_path(int fd, const char *root, char *out, size_t len)
{
	char self[64], buf[LT_PATH_MAX];
	size_t rl = strlen(root);
	ssize_t n;

	out[0] = '\0';
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	n = readlink(self, buf, sizeof(buf) - 1);
	if (n <= 0 || buf[0] != '/' || !root[0])
		return;
	buf[n] = '\0';
	if (n >= 10 && !strcmp(buf + n - 10, " (deleted)"))
		return;
	if (!strcmp(root, "/"))
		snprintf(out, len, "%s", buf);
	else if (!strncmp(buf, root, rl) && (buf[rl] == '/' || !buf[rl]))
		snprintf(out, len, "%s", buf[rl] ? buf + rl : "/");
}

int lt_examine_name(int rootfd, const char *path, bool via, struct lt_obj *o)
{
	struct stat st;
	ssize_t n;
	int fd;

	/* Not the large buffers at the end: only their first bytes. */
	memset(o, 0, offsetof(struct lt_obj, link.target));
	o->link.target[0] = o->real[0] = '\0';
	o->link.uid = o->link.gid = 0;
	snprintf(o->path, sizeof(o->path), "%s", path);
	o->via_link = via;
	fd = lt_resolve_name(rootfd, path);
	if (fd < 0 || fstat(fd, &st) || !S_ISLNK(st.st_mode))
		return fd;
	n = readlinkat(fd, "", o->link.target, sizeof(o->link.target) - 1);
	o->link.target[n > 0 ? n : 0] = '\0';
	o->link.uid = st.st_uid;
	o->link.gid = st.st_gid;
	o->is_link = o->via_link = true;
	close(fd);
	return -ELOOP;
}

void lt_examine_obj(int fd, int rootfd, char *root, struct lt_obj *o)
{
	char self[64];
	struct stat st;

	if (fd < 0) {
		o->looked_up = fd == -ENOENT || fd == -ENOTDIR;
		return;
	}
	if (!fstat(fd, &st)) {
		o->looked_up = true;
		o->exists = true;
		o->mode = st.st_mode;
		o->uid = st.st_uid;
		o->gid = st.st_gid;
		o->ino = st.st_ino;
		o->dev = st.st_dev;
		o->rdev = st.st_rdev;
		if (o->via_link && !root[0])
			real_path(rootfd, "/", root, LT_PATH_MAX);
		if (o->via_link)
			real_path(fd, root, o->real, sizeof(o->real));
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		o->nacl = read_acl(self, o->acl, LT_ACL_MAX);
		read_inode_flags(fd, o);
	}
	close(fd);
}
