// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Facts looked up after a failure (see facts.h): the walk from "/" to the
 * target as the process sees it (examine.c looks at each component), with
 * the caller's hook before each lookup that may wait on a filesystem; the
 * mount (mounts.c) and its free space, lock holders (locks.c), the
 * creator, the owner a lock file names (owner.c), the process's id maps.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <bpf/bpf.h>
#include "common/lsm_list.h"
#include "common/util.h"
#include "common/event.h"
#include "examine.h"
#include "facts.h"
#include "owner.h"

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
	if (gethostname(fc->hostname, sizeof(fc->hostname) - 1))
		fc->hostname[0] = '\0';
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

/*
 * Examine one component: what the process sees at path from its root. The
 * name itself first, not followed: a symbolic link is described, then what
 * it leads to is examined (the kernel follows it). via: a component before
 * this one was a symbolic link; root: the path of the process's root as we
 * see it, for real paths, filled in when first needed.
 */
static void examine(struct lt_facts_ctx *fc, struct lt_cause_input *in, int rootfd, char *root,
		    const char *path, bool via, struct lt_obj *o)
{
	int fd = lt_examine_name(rootfd, path, via, o);

	if (o->is_link) {
		/* Where it leads is on a mount mountinfo's prefixes cannot tell. */
		fc->redirected = true;
		if (!step(fc, in, LT_LOOKUP_PATH, strlen(path)))
			return;
		fd = lt_resolve_in(rootfd, path);
	}
	lt_examine_obj(fd, rootfd, root, o);
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

/* Free space on the filesystem of the deepest existing component. */
static void fill_fs(struct lt_facts_ctx *fc, struct lt_cause_input *in, int rootfd,
		    const struct lt_obj *deepest)
{
	struct statvfs sv;
	int fd;

	if (!step(fc, in, LT_LOOKUP_STATFS, strlen(deepest->path)))
		return;
	fd = lt_resolve_in(rootfd, deepest->path);
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

/* How a lock or I/O call's descriptor was opened (FMODE_READ 1,
 * FMODE_WRITE 2), as the kernel saw it. */
static void fd_accmode(const struct lt_event *ev, struct lt_cause_input *in)
{
	static const int acc[4] = { -1, LT_O_RDONLY, LT_O_WRONLY, LT_O_RDWR };

	if (!(ev->ev_flags & LT_EVF_HAVE_INODE))
		return;
	in->fd_accmode = acc[ev->f_mode & 3];
	in->fd_accmode_kernel = in->fd_accmode >= 0;
}

void lt_facts_kernel(const struct lt_event *ev, struct lt_cause_input *in)
{
	in->deny = lt_event_deny(ev);
	if (lt_sys_is_io(ev->syscall))
		fd_accmode(ev, in);
	in->remote = lt_event_remote(ev);
	if (!lt_sys_is_lock(ev->syscall))
		return;
	fd_accmode(ev, in);
	if ((ev->ev_flags & LT_EVF_HAVE_INODE) && (ev->ev_flags & LT_EVF_HAVE_HOLDER) &&
	    in->nholders < LT_MAX_HOLDERS)
		lt_kernel_holder(ev, &in->holders[in->nholders++]);
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

/* n bytes at off, or fewer at the end of the file; -errno. */
static ssize_t read_at(int fd, char *buf, size_t n, off_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, buf + got, n - got, off + got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += r;
	}
	return got;
}

/* Whether pid lives (in our pid namespace), and its command name. */
static void owner_alive(struct lt_owner_hint *h)
{
	char file[64];
	ssize_t n;
	int fd;

	h->alive_known = true;
	h->alive = kill(h->pid, 0) == 0 || errno == EPERM;
	if (!h->alive)
		return;
	snprintf(file, sizeof(file), "/proc/%u/comm", h->pid);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, h->comm, sizeof(h->comm) - 1);
	close(fd);
	h->comm[n > 0 ? n : 0] = '\0';
	h->comm[strcspn(h->comm, "\n")] = '\0';
}

/*
 * What the lock file says of its owner (owner.c): its first LT_OWNER_READ
 * bytes, and its last ones when it is longer than twice that. Read only
 * when the name itself is a regular file: never through a symbolic link,
 * never a FIFO or a device (the walk's facts say what it is instead), never
 * a file of a pseudo filesystem (lt_reopen()), without blocking on it. A
 * pid is checked only in our own pid namespace, and only when the file
 * names no other host; for an O_CREAT|O_EXCL that found the file, it is
 * then a pid file's (stale or held) when the file is local or names this
 * host.
 */
static void read_owner(struct lt_facts_ctx *fc, int rootfd, const char *path, bool own_pidns,
		       struct lt_cause_input *in)
{
	static __thread char head[2 * LT_OWNER_READ], tail[LT_OWNER_READ];
	struct lt_owner_hint *h = &in->owner;
	ssize_t hn = 0, tn = -1;
	struct stat st;
	int pfd = lt_resolve_name(rootfd, path), fd = -1;

	if (pfd < 0)
		return;
	if (!fstat(pfd, &st) && S_ISREG(st.st_mode))
		fd = lt_reopen(pfd, O_RDONLY);
	close(pfd);
	if (fd < 0) {
		h->read_err = fd == -EPERM ? 0 : -fd;
		return;
	}
	if (fstat(fd, &st) || st.st_size <= 2 * LT_OWNER_READ) {
		hn = read_at(fd, head, sizeof(head), 0);
	} else {
		hn = read_at(fd, head, LT_OWNER_READ, 0);
		if (hn >= 0)
			tn = read_at(fd, tail, LT_OWNER_READ, st.st_size - LT_OWNER_READ);
	}
	close(fd);
	if (hn < 0 || tn < -1) {
		h->read_err = hn < 0 ? -hn : -tn;
		return;
	}
	lt_owner_parse(head, hn, tn >= 0 ? tail : NULL, tn >= 0 ? tn : 0, h);
	if (h->form == LT_OWNER_NONE)
		return;
	h->this_host = lt_owner_same_host(h->host, fc->hostname);
	if (h->pid && own_pidns && (!h->host[0] || h->this_host))
		owner_alive(h);
	if (h->alive_known && -in->ev->ret == EEXIST && (h->host[0] || !lt_fs_is_remote(&in->fs))) {
		in->pidfile_pid = h->pid;
		in->pidfile_pid_alive = h->alive;
	}
}

/* An O_PATH descriptor of the directory file, or -errno. */
static int open_dir(const char *file)
{
	int fd = open(file, O_PATH | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/*
 * The root of a live process in mount namespace mntns, for a process that
 * is gone (a container's short-lived command: its init still sees the same
 * files). The last pid found for each namespace is tried first. A
 * descriptor, or -errno.
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
			return open_dir(file);
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
		return open_dir(file);
	}
	if (dp)
		closedir(dp);
	return -ENOENT;
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
	in->deny = lt_event_deny(ev);
	in->remote = lt_event_remote(ev);
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
	rootfd = alive ? open_dir(nsfile) : -ESRCH;
	if (rootfd < 0 && ev->mntns == fc->own_mntns)
		rootfd = open_dir("/");
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
		lt_find_mounts(ev->tgid, ev->mntns == fc->own_mntns, ev->path, fc->mounts,
			       &fc->nmounts, &in->fs);
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
		/* On a network share, the other mounts of it here: a lock held
		 * through one of them is another session's. */
		in->npeers = lt_find_share_peers(ev->tgid, ev->mntns == fc->own_mntns, &in->fs,
						 in->peers, LT_MAX_PEERS);
		lt_locks_holders(fc->locks, ev, in);
		fd_accmode(ev, in);
	} else if (lt_sys_is_io(ev->syscall)) {
		fd_accmode(ev, in);
	}
	if (lt_owner_wanted(in) && step(fc, in, LT_LOOKUP_PIDFILE, ev->path_len))
		read_owner(fc, rootfd, ev->path, own_pidns, in);
	close(rootfd);
}
