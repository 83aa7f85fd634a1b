// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Facts looked up after a failure: see facts.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <bpf/bpf.h>
#include "common/decode.h"
#include "common/lsm_list.h"
#include "common/util.h"
#include "facts.h"

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

static int lt_acl_parse(const void *buf, size_t len, struct lt_acl_entry *out, int max)
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
	return fd;
}

static int resolve_in(int rootfd, const char *path)
{
	return resolve_at(rootfd, path, 0);
}

/*
 * The name itself at path (O_PATH|O_NOFOLLOW): a symbolic link as the
 * last component is not followed, the ones before it are, inside the
 * process's root as resolve_in() does.
 */
static int resolve_name(int rootfd, const char *path)
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
 * Open what an O_PATH descriptor names, for reading, through its magic
 * link (which names exactly that inode: it cannot be swapped since it was
 * looked at). Only a regular file or a directory, never a device, a FIFO,
 * a socket or a symbolic link, and never a regular file of a pseudo
 * filesystem: -1 with EPERM for those. Without touching its access time
 * where we may.
 */
static int reopen(int fd, int flags)
{
	struct stat st, got;
	char self[64];
	int rfd;

	if (fstat(fd, &st))
		return -1;
	if (!(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) ||
	    (S_ISREG(st.st_mode) && acting_fs(fd))) {
		errno = EPERM;
		return -1;
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	flags |= O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	rfd = open(self, flags | O_NOATIME);
	if (rfd < 0 && errno == EPERM)
		rfd = open(self, flags);
	if (rfd < 0)
		return -1;
	if (fstat(rfd, &got) || got.st_dev != st.st_dev || got.st_ino != st.st_ino) {
		close(rfd);
		errno = ESTALE;
		return -1;
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
	fd = reopen(pathfd, O_RDONLY);
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

/*
 * Examine one component: what the process sees at path from its root. The
 * name itself first, not followed: a symbolic link is described, then what
 * it leads to is examined (the kernel follows it). via: a component before
 * this one was a symbolic link; root: the path of the process's root as we
 * see it, for real paths, filled in when first needed.
 */
static bool step(struct lt_facts_ctx *fc, struct lt_cause_input *in, enum lt_lookup what,
		 size_t len);

static void examine(struct lt_facts_ctx *fc, struct lt_cause_input *in, int rootfd, char *root,
		    const char *path, bool via, struct lt_obj *o)
{
	char self[64];
	struct stat st;
	int fd;

	/* Not the large buffers at the end: only their first bytes. */
	memset(o, 0, offsetof(struct lt_obj, link.target));
	o->link.target[0] = o->real[0] = '\0';
	o->link.uid = o->link.gid = 0;
	snprintf(o->path, sizeof(o->path), "%s", path);
	o->via_link = via;
	fd = resolve_name(rootfd, path);
	if (fd >= 0 && !fstat(fd, &st) && S_ISLNK(st.st_mode)) {
		ssize_t n = readlinkat(fd, "", o->link.target, sizeof(o->link.target) - 1);

		o->link.target[n > 0 ? n : 0] = '\0';
		o->link.uid = st.st_uid;
		o->link.gid = st.st_gid;
		o->is_link = o->via_link = true;
		close(fd);
		/* Where it leads is on a mount mountinfo's prefixes cannot tell. */
		fc->redirected = true;
		if (!step(fc, in, LT_LOOKUP_PATH, strlen(path)))
			return;
		fd = resolve_in(rootfd, path);
	}
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

/*
 * Before a lookup that may wait on a filesystem, at the path's first len
 * bytes: tell the watcher (which may say to skip it). The mount it is on is
 * the deepest mount point that prefixes it, as long as no symbolic link
 * was followed on the way.
 */
static bool step(struct lt_facts_ctx *fc, struct lt_cause_input *in, enum lt_lookup what,
		 size_t len)
{
	int mount = -1;

	if (!LT_LOOKUP_ON_FS(what)) { /* the hook is told; it cannot skip it */
		if (fc->watch)
			fc->watch->step(fc->watch->ctx, fc, what, len, -1, NULL);
		return true;
	}
	if (in->note.state != LT_FACTS_COMPLETE)
		return false;
	if (!fc->watch)
		return true;
	if (!fc->redirected)
		for (int i = 0; i < fc->nmounts; i++)
			if (fc->mounts[i].len <= len)
				mount = i;
	return fc->watch->step(fc->watch->ctx, fc, what, len, mount, &in->note);
}

/* Components of path from "/" to the last, into comp[]; returns count. */
static int walk_components(struct lt_facts_ctx *fc, struct lt_cause_input *in, int rootfd,
			   const char *path, struct lt_obj *comp)
{
	char sub[LT_PATH_MAX], root[LT_PATH_MAX] = "";
	size_t len = strlen(path), i;
	int n = 0;

	if (path[0] != '/' || !step(fc, in, LT_LOOKUP_PATH, 1))
		return 0;
	examine(fc, in, rootfd, root, "/", false, &comp[n++]);
	for (i = 1; i <= len && n < LT_MAX_COMPONENTS; i++) {
		if (i < len && path[i] != '/')
			continue;
		if (path[i - 1] == '/')
			continue; /* "//" or a trailing '/' */
		if (!step(fc, in, LT_LOOKUP_PATH, i))
			return 0; /* partial facts would mislead: none */
		memcpy(sub, path, i);
		sub[i] = '\0';
		examine(fc, in, rootfd, root, sub, comp[n - 1].via_link, &comp[n]);
		if (in->note.state != LT_FACTS_COMPLETE)
			return 0;
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

/*
 * The mounts path goes through, from mountinfo (which no filesystem is
 * asked for): every mount point that prefixes it, into fc->mounts from "/"
 * to the deepest; fs gets the deepest.
 */
static void find_mounts(struct lt_facts_ctx *fc, __u32 pid, bool self_ok, const char *path,
			struct lt_fs *fs)
{
	char file[64], line[4096];
	size_t plen = strlen(path);
	FILE *f;

	fc->nmounts = 0;
	snprintf(file, sizeof(file), "/proc/%u/mountinfo", pid);
	f = fopen(file, "r");
	if (!f && self_ok) /* gone, but it saw the mounts we see */
		f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char mnt[LT_PATH_MAX], opts[256], type[32], source[256], super[256];
		char *dash = strstr(line, " - ");
		unsigned int maj, min;
		struct lt_mount_on *m;
		size_t n;
		int i;

		if (!dash ||
		    sscanf(line, "%*s %*s %u:%u %*s %4095s %255s", &maj, &min, mnt, opts) != 4 ||
		    sscanf(dash + 3, "%31s %255s %255s", type, source, super) != 3)
			continue;
		unescape_octal(mnt);
		n = strlen(mnt);
		if (n > plen || strncmp(path, mnt, n) ||
		    (n > 1 && path[n] != '/' && path[n] != '\0'))
			continue;
		/* Sorted by length; a later mount on the same point covers it. */
		for (i = 0; i < fc->nmounts && fc->mounts[i].len < n; i++)
			;
		if (i == fc->nmounts || fc->mounts[i].len != n) {
			if (fc->nmounts == LT_MAX_MOUNTS) {
				if (i == 0)
					continue; /* keep the deepest */
				memmove(&fc->mounts[0], &fc->mounts[1], (i - 1) * sizeof(*m));
				i--;
			} else {
				memmove(&fc->mounts[i + 1], &fc->mounts[i],
					(fc->nmounts - i) * sizeof(*m));
				fc->nmounts++;
			}
		}
		m = &fc->mounts[i];
		m->len = n;
		m->s_dev = maj << 20 | min;
		snprintf(m->type, sizeof(m->type), "%s", type);
		if (i != fc->nmounts - 1)
			continue;
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

/* Free space on the filesystem of the deepest existing component. */
static void fill_fs(struct lt_facts_ctx *fc, struct lt_cause_input *in, int rootfd,
		    const struct lt_obj *deepest)
{
	struct statvfs sv;
	int fd;

	if (!step(fc, in, LT_LOOKUP_STATFS, strlen(deepest->path)))
		return;
	fd = resolve_in(rootfd, deepest->path);
	if (fd >= 0 && !fstatvfs(fd, &sv)) {
		in->fs.blocks_free = sv.f_bavail;
		in->fs.blocks_total = sv.f_blocks;
		in->fs.inodes_free = sv.f_favail;
		in->fs.inodes_total = sv.f_files;
		if (sv.f_flag & ST_RDONLY)
			in->fs.readonly = true;
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

/* The next space-separated word of *p: its start, length in *n. */
static const char *word(const char **p, size_t *n)
{
	const char *w = *p + strspn(*p, " \t");

	*n = strcspn(w, " \t\n");
	*p = w + *n;
	return w;
}

static bool word_is(const char *w, size_t n, const char *lit)
{
	return n == strlen(lit) && !memcmp(w, lit, n);
}

int lt_proc_locks_parse(const char *line, struct lt_holder *h, __u32 *major, __u32 *minor,
			__u64 *ino)
{
	const char *p = line, *kind, *type, *w;
	size_t nk, nt, n;
	unsigned long maj, min;
	unsigned long long i;
	long long start, end = -1;
	long pid;
	char *e;

	/* "1: POSIX  ADVISORY  WRITE 1234 fd:00:10955318 0 EOF"; waiters
	 * blocked on a lock have "->" after the number: not holders. By hand,
	 * not sscanf: a snapshot may be tens of thousands of lines. */
	w = word(&p, &n);
	if (!n || w[n - 1] != ':')
		return -1;
	kind = word(&p, &nk);
	if (word_is(kind, nk, "->"))
		return 0;
	word(&p, &n); /* ADVISORY, MANDATORY */
	type = word(&p, &nt);
	w = word(&p, &n);
	pid = strtol(w, &e, 10);
	if (!n || e != w + n)
		return -1;
	w = word(&p, &n);
	maj = strtoul(w, &e, 16);
	if (!n || *e != ':')
		return -1;
	min = strtoul(e + 1, &e, 16);
	if (*e != ':')
		return -1;
	i = strtoull(e + 1, &e, 10);
	if (e != w + n)
		return -1;
	w = word(&p, &n);
	start = strtoll(w, &e, 10);
	if (!n || e != w + n)
		return -1;
	w = word(&p, &n);
	if (!n)
		return -1;
	if (!word_is(w, n, "EOF")) {
		end = strtoll(w, &e, 10);
		if (e != w + n)
			return -1;
	}
	memset(h, 0, sizeof(*h));
	h->pid = pid > 0 ? (__u32)pid : 0;
	h->type = word_is(type, nt, "WRITE") ? 1 /* F_WRLCK */ : 0 /* F_RDLCK */;
	h->posix = word_is(kind, nk, "POSIX") || word_is(kind, nk, "OFDLCK");
	h->ofd = word_is(kind, nk, "OFDLCK");
	h->start = start;
	h->end = end;
	*major = maj;
	*minor = min;
	*ino = i;
	return 1;
}

static int lock_cmp(const void *a, const void *b)
{
	const struct lt_proc_lock *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

int lt_locks_parse(struct lt_locks_snap *snap, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int cap = 0;

	memset(snap, 0, sizeof(*snap));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct lt_proc_lock l = {};
		char line[256];
		__u32 maj, min;

		if (n < sizeof(line)) { /* longer is not a line of /proc/locks */
			memcpy(line, p, n);
			line[n] = '\0';
			if (lt_proc_locks_parse(line, &l.h, &maj, &min, &l.ino) == 1) {
				if (snap->n == cap) {
					int ncap = cap ? cap * 2 : 256;
					struct lt_proc_lock *v;

					if (cap >= LT_LOCKS_MAX ||
					    !(v = realloc(snap->v, (size_t)ncap * sizeof(*v)))) {
						snap->partial = true;
						break;
					}
					snap->v = v;
					cap = ncap;
				}
				l.dev = maj << 20 | min;
				snap->v[snap->n++] = l;
			}
		}
		p += n + 1;
	}
	if (snap->n)
		qsort(snap->v, snap->n, sizeof(*snap->v), lock_cmp);
	return snap->n;
}

int lt_locks_find(const struct lt_locks_snap *snap, __u32 dev, __u64 ino, struct lt_holder *out,
		  int max)
{
	struct lt_proc_lock key = { .dev = dev, .ino = ino };
	int lo = 0, hi = snap->n, k = 0;

	while (lo < hi) { /* the first entry not below key */
		int mid = lo + (hi - lo) / 2;

		if (lock_cmp(&snap->v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < snap->n && k < max && !lock_cmp(&snap->v[lo], &key); lo++)
		out[k++] = snap->v[lo].h;
	return k;
}

void lt_locks_init(struct lt_locks_cache *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
}

void lt_locks_free(struct lt_locks_cache *c)
{
	free(c->cur.v);
	c->cur.v = NULL;
	c->cur.n = 0;
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->done);
}

/*
 * /proc/locks, whole, or as much as LT_LOCKS_READ_MAX bytes and
 * LT_LOCKS_READ_NS allow (*cut: there was more). By read(2) in large
 * pieces: each read of it walks the kernel's lock list from the start, so
 * a file of many locks costs more than its size. NULL if it cannot be read.
 */
static char *read_proc_locks(size_t *len, bool *cut)
{
	size_t cap = LT_LOCKS_READ_BUF, n = 0;
	__u64 until = lt_clock_ns(CLOCK_MONOTONIC) + LT_LOCKS_READ_NS;
	char *buf = malloc(cap);
	int fd = open("/proc/locks", O_RDONLY | O_CLOEXEC);
	ssize_t r = 0;

	*cut = false;
	while (buf && fd >= 0 && (r = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)r;
		if (lt_clock_ns(CLOCK_MONOTONIC) > until) {
			*cut = true;
			break;
		}
		if (n == cap) {
			char *b = cap < LT_LOCKS_READ_MAX ? realloc(buf, cap * 2) : NULL;

			if (!b) {
				*cut = true;
				break;
			}
			buf = b;
			cap *= 2;
		}
	}
	if (fd >= 0)
		close(fd);
	if (fd < 0 || r < 0) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* A new snapshot of /proc/locks into c; c->lock held, dropped meanwhile. */
static void refresh_locks(struct lt_locks_cache *c)
{
	struct lt_locks_snap snap;
	__u64 now = lt_clock_ns(CLOCK_BOOTTIME);
	size_t len = 0;
	bool cut;
	char *text;

	c->refreshing = true;
	pthread_mutex_unlock(&c->lock);
	text = read_proc_locks(&len, &cut);
	lt_locks_parse(&snap, text ? text : "", len);
	free(text);
	snap.partial |= cut;
	snap.taken_ns = now;
	pthread_mutex_lock(&c->lock);
	free(c->cur.v);
	c->cur = snap;
	c->reads++;
	c->refreshing = false;
	pthread_cond_broadcast(&c->done);
}

/* The holder the kernel named at the refusal; its lock as far as the
 * request says: the one it conflicts with. */
static void kernel_holder(const struct lt_event *ev, struct lt_holder *h)
{
	memset(h, 0, sizeof(*h));
	h->pid = ev->blocker_pid;
	h->kernel = true;
	h->type = 1; /* F_WRLCK */
	h->posix = ev->syscall != LT_SYS_FLOCK;
	h->start = 0;
	h->end = -1;
}

/*
 * Who holds a lock on the event's inode: /proc/locks (a snapshot read after
 * the failure, shared with the failures around it), and the process the
 * kernel named at the refusal (first; added from /proc/PID if its lock is
 * already gone from /proc/locks).
 */
static void find_holders(struct lt_facts_ctx *fc, const struct lt_event *ev,
			 struct lt_cause_input *in)
{
	__u32 kpid = ev->ev_flags & LT_EVF_HAVE_HOLDER ? ev->blocker_pid : 0;
	struct lt_locks_cache *c = fc->locks;
	bool kseen = false;

	if (!(ev->ev_flags & LT_EVF_HAVE_INODE))
		return;
	if (c) {
		/* One worker reads it; the others wait for that one (bounded
		 * by LT_LOCKS_READ_NS) rather than read it again. */
		pthread_mutex_lock(&c->lock);
		while (!c->cur.taken_ns || c->cur.taken_ns + LT_LOCKS_SLACK_NS < ev->ts_boot_ns) {
			if (!c->refreshing) {
				refresh_locks(c);
				break;
			}
			pthread_cond_wait(&c->done, &c->lock);
		}
		in->nholders =
			lt_locks_find(&c->cur, ev->dev, ev->ino, in->holders, LT_MAX_HOLDERS);
		pthread_mutex_unlock(&c->lock);
	}
	for (int i = 0; i < in->nholders; i++) {
		struct lt_holder *h = &in->holders[i];

		if (h->pid)
			lt_proc_comm_uid(h->pid, h->comm, &h->uid);
		if (kpid && h->pid == kpid && !kseen)
			h->kernel = kseen = true;
	}
	if (kpid && !kseen) {
		struct lt_holder *h;

		if (in->nholders == LT_MAX_HOLDERS)
			in->nholders--;
		memmove(&in->holders[1], &in->holders[0], in->nholders * sizeof(in->holders[0]));
		h = &in->holders[0];
		kernel_holder(ev, h);
		lt_proc_comm_uid(kpid, h->comm, &h->uid);
		in->nholders++;
	}
}

/* How a lock call's descriptor was opened (FMODE_READ 1, FMODE_WRITE 2),
 * as the kernel saw it. */
static void fd_accmode(const struct lt_event *ev, struct lt_cause_input *in)
{
	static const int acc[4] = { -1, LT_O_RDONLY, LT_O_WRONLY, LT_O_RDWR };

	if (!(ev->ev_flags & LT_EVF_HAVE_INODE))
		return;
	in->fd_accmode = acc[ev->f_mode & 3];
	in->fd_accmode_kernel = in->fd_accmode >= 0;
}

/* LSM tier: the kernel's record of the check that refused, after the
 * event's path (bpf/locktrace.h); NULL when none was recorded. */
static const struct lt_deny *event_deny(const struct lt_event *ev)
{
	if (!(ev->ev_flags & LT_EVF_HAVE_DENY))
		return NULL;
	return (const void *)((const char *)ev + LT_DENY_OFFSET(ev->path_len));
}

void lt_facts_kernel(const struct lt_event *ev, struct lt_cause_input *in)
{
	in->deny = event_deny(ev);
	if (!lt_sys_is_lock(ev->syscall))
		return;
	fd_accmode(ev, in);
	if ((ev->ev_flags & LT_EVF_HAVE_INODE) && (ev->ev_flags & LT_EVF_HAVE_HOLDER) &&
	    in->nholders < LT_MAX_HOLDERS)
		kernel_holder(ev, &in->holders[in->nholders++]);
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

/*
 * A lock file holding "1234\n" (the pid-file convention). Whether that pid
 * lives can only be told in our own pid namespace. Read only when the name
 * itself is a regular file: never through a symbolic link, never a FIFO
 * or a device (the walk's facts say what it is instead).
 */
static void pidfile(int rootfd, const char *path, bool own_pidns, struct lt_cause_input *in)
{
	char buf[32] = {};
	struct stat st;
	char *end;
	long pid;
	ssize_t n;
	int pfd = resolve_name(rootfd, path), fd = -1;

	if (pfd < 0)
		return;
	if (!fstat(pfd, &st) && S_ISREG(st.st_mode))
		fd = reopen(pfd, O_RDONLY);
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
	fc->ev = ev;
	fc->nmounts = 0;
	fc->redirected = false;
	in->ev = ev;
	in->deny = event_deny(ev);
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
	if (ev->ev_flags & LT_EVF_PATH_TRUNCATED) {
		/* Only the path's end was captured: it names nothing to look at. */
		in->note.state = LT_FACTS_PATH_CUT;
	} else {
		step(fc, in, LT_LOOKUP_PROC, 0);
		find_mounts(fc, ev->tgid, ev->mntns == fc->own_mntns, ev->path, &in->fs);
		in->ncomp = walk_components(fc, in, rootfd, ev->path, fc->comp);
	}
	if (in->ncomp > 0) {
		int deepest = in->ncomp - 1;

		if (!fc->comp[deepest].exists && deepest > 0)
			deepest--;
		fill_fs(fc, in, rootfd, &fc->comp[deepest]);
	}
	find_creator(fc, in);
	if (lt_sys_is_lock(ev->syscall)) {
		step(fc, in, LT_LOOKUP_PROC, 0);
		find_holders(fc, ev, in);
		fd_accmode(ev, in);
	} else if (-ev->ret == EEXIST && (ev->open_flags & LT_O_CREAT) &&
		   (ev->open_flags & LT_O_EXCL) && step(fc, in, LT_LOOKUP_PIDFILE, ev->path_len)) {
		pidfile(rootfd, ev->path, own_pidns, in);
	}
	close(rootfd);
}
