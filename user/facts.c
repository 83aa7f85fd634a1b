// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Facts looked up after a failure: see facts.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <bpf/bpf.h>
#include "facts.h"
#include "probe.h"
#include "util.h"

#define LT_ACL_XATTR "system.posix_acl_access"
#define LT_ACL_XATTR_VERSION 2

static __u64 ns_inode(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

/* The active modules; securityfs is mounted first when it is missing. */
static void read_lsm_list(char *buf, size_t len)
{
	if (access(LT_LSM_FILE, F_OK) && errno == ENOENT &&
	    access("/sys/kernel/security", F_OK) == 0 &&
	    mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL) == 0)
		p_debug("mounted securityfs at /sys/kernel/security");
	lt_active_lsms(buf, len);
	if (!buf[0])
		p_debug("cannot read %s", LT_LSM_FILE);
}

void lt_facts_init(struct lt_facts_ctx *fc)
{
	read_lsm_list(fc->lsm_list, sizeof(fc->lsm_list));
	fc->own_mntns = ns_inode("/proc/self/ns/mnt");
	fc->own_pidns = ns_inode("/proc/self/ns/pid");
	/* Ours: tracing with BPF is not possible from a child user namespace. */
	fc->init_userns = ns_inode("/proc/self/ns/user");
	fc->creators_fd = -1;
}

int lt_acl_parse(const void *buf, size_t len, struct lt_acl_entry *out, int max)
{
	const unsigned char *p = buf;
	__u32 version;
	int n = 0;

	if (len < 4 || (len - 4) % 8)
		return -1;
	memcpy(&version, p, 4);
	if (version != LT_ACL_XATTR_VERSION)
		return -1;
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
static int resolve_in(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd < 0 && errno == ENOSYS) {
		char full[LT_PATH_MAX + 64];

		snprintf(full, sizeof(full), "/proc/self/fd/%d%s", rootfd, path);
		fd = open(full, O_PATH | O_CLOEXEC);
	}
	return fd;
}

/* Open what an O_PATH descriptor names, for reading (through its magic
 * link, which names exactly that inode). */
static int reopen(int fd, int flags)
{
	char self[64];

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	return open(self, flags | O_CLOEXEC);
}

static void read_inode_flags(int pathfd, struct lt_obj *o)
{
	int fd, flags = 0;

	if (!S_ISREG(o->mode) && !S_ISDIR(o->mode))
		return;
	fd = reopen(pathfd, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return;
	if (!ioctl(fd, FS_IOC_GETFLAGS, &flags)) {
		o->immutable = flags & FS_IMMUTABLE_FL;
		o->append_only = flags & FS_APPEND_FL;
	}
	close(fd);
}

/* Examine one component: what the process sees at path from its root. */
static void examine(int rootfd, const char *path, struct lt_obj *o)
{
	char self[64];
	struct stat st;
	int fd;

	memset(o, 0, sizeof(*o));
	snprintf(o->path, sizeof(o->path), "%s", path);
	fd = resolve_in(rootfd, path);
	if (fd < 0) {
		o->looked_up = errno == ENOENT || errno == ENOTDIR;
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
		snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
		o->nacl = read_acl(self, o->acl, LT_ACL_MAX);
		read_inode_flags(fd, o);
	}
	close(fd);
}

/* Components of path from "/" to the last, into comp[]; returns count. */
static int walk_components(int rootfd, const char *path, struct lt_obj *comp)
{
	char sub[LT_PATH_MAX];
	size_t len = strlen(path), i;
	int n = 0;

	if (path[0] != '/')
		return 0;
	examine(rootfd, "/", &comp[n++]);
	for (i = 1; i <= len && n < LT_MAX_COMPONENTS; i++) {
		if (i < len && path[i] != '/')
			continue;
		if (path[i - 1] == '/')
			continue; /* "//" or a trailing '/' */
		memcpy(sub, path, i);
		sub[i] = '\0';
		examine(rootfd, sub, &comp[n]);
		n++;
		if (!comp[n - 1].exists)
			break; /* the first missing component ends the walk */
	}
	return n;
}

/* "a\040b" in mountinfo is "a b". */
static void unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static bool has_opt(const char *opts, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = opts; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, opt, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* The mount holding path (longest mount point that prefixes it). */
static void find_mount(__u32 pid, bool self_ok, const char *path, struct lt_fs *fs)
{
	char file[64], line[4096];
	size_t best = 0;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%u/mountinfo", pid);
	f = fopen(file, "r");
	if (!f && self_ok) /* gone, but it saw the mounts we see */
		f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char mnt[LT_PATH_MAX], opts[256], type[32], source[256], super[256];
		char *dash = strstr(line, " - ");
		size_t n;

		unsigned int maj, min;

		if (!dash ||
		    sscanf(line, "%*s %*s %u:%u %*s %4095s %255s", &maj, &min, mnt, opts) != 4 ||
		    sscanf(dash + 3, "%31s %255s %255s", type, source, super) != 3)
			continue;
		unescape_octal(mnt);
		n = strlen(mnt);
		if (strncmp(path, mnt, n) || (n > 1 && path[n] != '/' && path[n] != '\0'))
			continue;
		if (n < best)
			continue;
		best = n;
		fs->known = true;
		snprintf(fs->mountpoint, sizeof(fs->mountpoint), "%s", mnt);
		snprintf(fs->type, sizeof(fs->type), "%s", type);
		snprintf(fs->source, sizeof(fs->source), "%s", source);
		snprintf(fs->options, sizeof(fs->options), "%s", opts);
		fs->readonly = has_opt(opts, "ro") || has_opt(super, "ro");
		fs->s_dev = maj << 20 | min;
	}
	fclose(f);
}

static void fill_fs(int rootfd, __u32 pid, bool self_ok, const struct lt_obj *deepest,
		    struct lt_fs *fs)
{
	struct statvfs sv;
	int fd;

	find_mount(pid, self_ok, deepest->path, fs);
	fd = resolve_in(rootfd, deepest->path);
	if (fd >= 0 && !fstatvfs(fd, &sv)) {
		fs->blocks_free = sv.f_bavail;
		fs->blocks_total = sv.f_blocks;
		fs->inodes_free = sv.f_favail;
		fs->inodes_total = sv.f_files;
		if (sv.f_flag & ST_RDONLY)
			fs->readonly = true;
	}
	if (fd >= 0)
		close(fd);
}

void lt_proc_comm_uid(__u32 pid, char *comm, __u32 *uid)
{
	char file[64], line[256];
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%u/status", pid);
	f = fopen(file, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Name:", 5))
			sscanf(line + 5, "%15s", comm);
		else if (!strncmp(line, "Uid:", 4))
			sscanf(line + 4, "%u", uid);
	}
	fclose(f);
}

int lt_proc_locks_parse(const char *line, struct lt_holder *h, __u32 *major, __u32 *minor,
			__u64 *ino)
{
	char kind[16], mode[16], type[16], end[32];
	unsigned int maj, min;
	unsigned long long i;
	long long start;
	int pid, n;

	/* "1: POSIX  ADVISORY  WRITE 1234 fd:00:10955318 0 EOF"; waiters
	 * blocked on a lock have "->" after the number: not holders. */
	if (strstr(line, "->"))
		return 0;
	n = sscanf(line, "%*d: %15s %15s %15s %d %x:%x:%llu %lld %31s", kind, mode, type, &pid,
		   &maj, &min, &i, &start, end);
	if (n != 9)
		return -1;
	memset(h, 0, sizeof(*h));
	h->pid = pid > 0 ? pid : 0;
	h->type = !strcmp(type, "WRITE") ? 1 /* F_WRLCK */ : 0 /* F_RDLCK */;
	h->posix = !strcmp(kind, "POSIX") || !strcmp(kind, "OFDLCK");
	h->ofd = !strcmp(kind, "OFDLCK");
	h->start = start;
	h->end = !strcmp(end, "EOF") ? -1 : strtoll(end, NULL, 10);
	*major = maj;
	*minor = min;
	*ino = i;
	return 1;
}

int lt_proc_locks_line(const char *line, __u32 major, __u32 minor, __u64 ino, struct lt_holder *h)
{
	__u32 maj, min;
	__u64 i;
	int r = lt_proc_locks_parse(line, h, &maj, &min, &i);

	if (r != 1)
		return r;
	return maj == major && min == minor && i == ino;
}

/*
 * Who holds a lock on the event's inode: /proc/locks now, and the process
 * the kernel named at the refusal (first; added from /proc/PID if its lock
 * is already gone from /proc/locks).
 */
static void find_holders(const struct lt_event *ev, struct lt_cause_input *in)
{
	__u32 kpid = ev->ev_flags & LT_EVF_HAVE_HOLDER ? ev->blocker_pid : 0;
	bool kseen = false;
	char line[512];
	FILE *f;

	if (!(ev->ev_flags & LT_EVF_HAVE_INODE))
		return;
	f = fopen("/proc/locks", "r");
	while (f && in->nholders < LT_MAX_HOLDERS && fgets(line, sizeof(line), f)) {
		struct lt_holder *h = &in->holders[in->nholders];

		if (lt_proc_locks_line(line, ev->dev >> 20, ev->dev & 0xfffff, ev->ino, h) != 1)
			continue;
		if (h->pid)
			lt_proc_comm_uid(h->pid, h->comm, &h->uid);
		if (kpid && h->pid == kpid && !kseen)
			h->kernel = kseen = true;
		in->nholders++;
	}
	if (f)
		fclose(f);
	if (kpid && !kseen) {
		struct lt_holder *h;

		if (in->nholders == LT_MAX_HOLDERS)
			in->nholders--;
		memmove(&in->holders[1], &in->holders[0], in->nholders * sizeof(in->holders[0]));
		h = &in->holders[0];
		memset(h, 0, sizeof(*h));
		h->pid = kpid;
		h->kernel = true;
		/* Its lock, as far as the request says: the one it conflicts with. */
		h->type = 1; /* F_WRLCK */
		h->posix = ev->syscall != LT_SYS_FLOCK;
		h->start = 0;
		h->end = -1;
		lt_proc_comm_uid(kpid, h->comm, &h->uid);
		in->nholders++;
	}
}

void lt_facts_use_maps(struct lt_facts_ctx *fc, int creators_fd)
{
	fc->creators_fd = creators_fd;
}

/* /proc/PID/uid_map or gid_map: "inside outside count" lines. */
static int read_id_map(__u32 pid, const char *which, struct lt_id_map *map)
{
	char file[64], line[128];
	int n = 0;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%u/%s", pid, which);
	f = fopen(file, "r");
	if (!f)
		return 0;
	while (n < LT_MAX_ID_MAPS && fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %u %u", &map[n].inside, &map[n].outside, &map[n].count) == 3)
			n++;
	fclose(f);
	return n;
}

/* Who created the target (the last component, when it exists). */
static void find_creator(struct lt_facts_ctx *fc, struct lt_cause_input *in)
{
	const struct lt_obj *t = in->ncomp ? &in->comp[in->ncomp - 1] : NULL;
	struct lt_inode_key key = {};

	if (fc->creators_fd < 0 || !t || !t->exists)
		return;
	key.ino = t->ino;
	/* The kernel keys on the superblock's device: mountinfo's, which is
	 * not st_dev on btrfs subvolumes or overlayfs. */
	key.dev = in->fs.known ? in->fs.s_dev : major(t->dev) << 20 | minor(t->dev);
	in->have_creator = !bpf_map_lookup_elem(fc->creators_fd, &key, &in->creator);
}

void lt_selinux_perm_names(const char *tclass, __u32 bits, char *buf, size_t len)
{
	char dir[128];
	struct dirent *d;
	size_t off = 0;
	__u32 named = 0;
	DIR *dp;

	buf[0] = '\0';
	snprintf(dir, sizeof(dir), "/sys/fs/selinux/class/%s/perms", tclass);
	dp = strchr(tclass, '/') ? NULL : opendir(dir);
	/* Each file is a permission; it holds its bit number, counted from 1. */
	while (dp && (d = readdir(dp)) && off < len) {
		char file[512], num[16] = "";
		int fd, n;

		if (d->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", dir, d->d_name);
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (read(fd, num, sizeof(num) - 1) > 0) {
			n = atoi(num);
			if (n >= 1 && n <= 32 && (bits & (1u << (n - 1)))) {
				off += snprintf(buf + off, len - off, "%s%s", off ? " " : "",
						d->d_name);
				named |= 1u << (n - 1);
			}
		}
		close(fd);
	}
	if (dp)
		closedir(dp);
	if (named != bits && off < len)
		snprintf(buf + off, len - off, "%s0x%x", off ? " " : "", bits & ~named);
}

/* A lock file holding "1234\n" (the pid-file convention). Whether that pid
 * lives can only be told in our own pid namespace. */
static void pidfile(int rootfd, const char *path, bool own_pidns, struct lt_cause_input *in)
{
	char buf[32] = {};
	char *end;
	long pid;
	ssize_t n;
	int pfd = resolve_in(rootfd, path), fd;

	if (pfd < 0)
		return;
	fd = reopen(pfd, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	close(pfd);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0 || !own_pidns)
		return;
	pid = strtol(buf, &end, 10);
	if (pid <= 0 || pid > 4194304 || (*end && *end != '\n' && *end != ' '))
		return;
	in->pidfile_pid = pid;
	in->pidfile_pid_alive = kill(pid, 0) == 0 || errno == EPERM;
}

/*
 * The root of a live process in mount namespace mntns, for a process that
 * is gone (a container's short-lived command: its init still sees the same
 * files). The last pid found for each namespace is tried first.
 */
static int root_of_mntns(struct lt_facts_ctx *fc, __u64 mntns)
{
	struct lt_ns_pid *slot = &fc->ns_pid[mntns % LT_NS_CACHE];
	char file[64];
	struct dirent *d;
	DIR *dp;

	if (slot->mntns == mntns) {
		snprintf(file, sizeof(file), "/proc/%u/ns/mnt", slot->pid);
		if (ns_inode(file) == mntns) {
			snprintf(file, sizeof(file), "/proc/%u/root", slot->pid);
			return open(file, O_PATH | O_DIRECTORY | O_CLOEXEC);
		}
	}
	dp = opendir("/proc");
	while (dp && (d = readdir(dp))) {
		char *end;
		unsigned long pid = strtoul(d->d_name, &end, 10);

		if (*end || !pid)
			continue;
		snprintf(file, sizeof(file), "/proc/%lu/ns/mnt", pid);
		if (ns_inode(file) != mntns)
			continue;
		closedir(dp);
		slot->mntns = mntns;
		slot->pid = pid;
		snprintf(file, sizeof(file), "/proc/%lu/root", pid);
		return open(file, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	if (dp)
		closedir(dp);
	return -1;
}

void lt_facts_collect(struct lt_facts_ctx *fc, const struct lt_event *ev, struct lt_cause_input *in)
{
	bool alive, own_pidns;
	char nsfile[64];
	__u64 userns;
	int rootfd;

	memset(in, 0, sizeof(*in));
	in->ev = ev;
	in->comp = fc->comp;
	in->fd_accmode = -1;
	snprintf(in->lsm_list, sizeof(in->lsm_list), "%s", fc->lsm_list);
	/* The user namespace was captured with the credentials; its id maps
	 * can be read only while the process lives in it (else: unmapped, as
	 * for a container's usual high range). */
	in->creds_in_init_userns = !fc->init_userns || ev->userns == fc->init_userns;
	snprintf(nsfile, sizeof(nsfile), "/proc/%u/ns/user", ev->tgid);
	userns = ns_inode(nsfile);
	if (!in->creds_in_init_userns && userns == ev->userns) {
		in->nuid_map = read_id_map(ev->tgid, "uid_map", in->uid_map);
		in->ngid_map = read_id_map(ev->tgid, "gid_map", in->gid_map);
	}
	if (ev->ret >= 0)
		return;

	/* See the file system as the process does: from its root, held open
	 * so the view stays valid if it exits while we look. Only if the pid
	 * is still the one of the event (same mount namespace); when it is
	 * gone, only if it shared ours. */
	snprintf(nsfile, sizeof(nsfile), "/proc/%u/ns/mnt", ev->tgid);
	alive = ns_inode(nsfile) == ev->mntns;
	snprintf(nsfile, sizeof(nsfile), "/proc/%u/root", ev->tgid);
	rootfd = alive ? open(nsfile, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	if (rootfd < 0 && ev->mntns == fc->own_mntns)
		rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		rootfd = root_of_mntns(fc, ev->mntns);
	if (rootfd < 0)
		return;
	snprintf(nsfile, sizeof(nsfile), "/proc/%u/ns/pid", ev->tgid);
	own_pidns = alive ? ns_inode(nsfile) == fc->own_pidns : ev->mntns == fc->own_mntns;
	in->ncomp = walk_components(rootfd, ev->path, fc->comp);
	if (in->ncomp > 0) {
		int deepest = in->ncomp - 1;

		if (!fc->comp[deepest].exists && deepest > 0)
			deepest--;
		fill_fs(rootfd, ev->tgid, ev->mntns == fc->own_mntns, &fc->comp[deepest], &in->fs);
	}
	find_creator(fc, in);
	if (ev->syscall == LT_SYS_FLOCK || ev->syscall == LT_SYS_FCNTL ||
	    ev->syscall == LT_SYS_FCNTL64) {
		find_holders(ev, in);
		if (ev->ev_flags & LT_EVF_HAVE_INODE) {
			/* FMODE_READ 1, FMODE_WRITE 2, as the kernel saw them. */
			static const int acc[4] = { -1, O_RDONLY, O_WRONLY, O_RDWR };

			in->fd_accmode = acc[ev->f_mode & 3];
			in->fd_accmode_kernel = in->fd_accmode >= 0;
		}
	} else if (-ev->ret == EEXIST && (ev->open_flags & O_CREAT) && (ev->open_flags & O_EXCL)) {
		pidfile(rootfd, ev->path, own_pidns, in);
	}
	close(rootfd);
}
