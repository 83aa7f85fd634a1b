// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The syscalls plan's tracepoints; see sysplan.h. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bpf/libbpf.h>
#include "sysplan.h"
#include "common/util.h"

static const struct {
	const char *name;
	bool required;
} calls[LT_SC_COUNT] = {
#define LT_SC_ROW(call, req) [LT_SC_##call] = { #call, req },
	LT_SC_CALLS(LT_SC_ROW)
#undef LT_SC_ROW
};

/* Where tracefs is mounted, if it is, and where a child mounts it. Not
 * /sys/kernel/debug/tracing: looking there mounts it (an automount).
 * LOCKTRACE_TRACEFS=DIR: there instead, tracefs or not (tests use it to
 * make the ids unreadable, or wrong). */
#define LT_TRACEFS_DIR "/sys/kernel/tracing"
#define LT_TRACEFS_MAGIC 0x74726163

static const char *tracefs_dir(bool *forced)
{
	const char *env = getenv("LOCKTRACE_TRACEFS");

	*forced = env && *env;
	return *forced ? env : LT_TRACEFS_DIR;
}

const char *lt_sc_name(int call)
{
	return call >= 0 && call < LT_SC_COUNT ? calls[call].name : "?";
}

/* The ids below tracefs at @dir; -ENOENT if it has no syscalls events. */
static int read_ids_at(const char *dir, struct lt_sc_ids *ids)
{
	char path[256], buf[32];

	memset(ids, 0, sizeof(*ids));
	snprintf(path, sizeof(path), "%s/events/syscalls", dir);
	if (access(path, F_OK))
		return -errno;
	for (int i = 0; i < LT_SC_COUNT; i++) {
		int fd, n;

		snprintf(path, sizeof(path), "%s/events/syscalls/sys_exit_%s/id", dir,
			 calls[i].name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : (int)read(fd, buf, sizeof(buf) - 1);
		ids->id[i] = n > 0 ? (buf[n] = '\0', atoi(buf)) : fd < 0 ? -errno : -EIO;
		if (fd >= 0)
			close(fd);
		if (ids->id[i] > 0)
			ids->n++;
	}
	return 0;
}

/* In a child, in a mount namespace of its own: tracefs mounted there only,
 * the ids written to @wfd, then the result (0 or -errno). */
static void child_read_ids(int wfd, const char *dir)
{
	struct lt_sc_ids ids;
	int err = 0;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tracefs", dir, "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		err = -errno;
	if (!err)
		err = read_ids_at(dir, &ids);
	if (err)
		memset(&ids, 0, sizeof(ids));
	if (write(wfd, &ids, sizeof(ids)) != sizeof(ids) || write(wfd, &err, sizeof(err)) < 0)
		_exit(1);
	_exit(0);
}

static int read_ids_private(const char *dir, struct lt_sc_ids *ids, char *why, size_t len)
{
	int fds[2], err = 0, status;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC)) {
		err = -errno;
		snprintf(why, len, "cannot make a pipe: %s", strerror(-err));
		return err;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child_read_ids(fds[1], dir);
	}
	close(fds[1]);
	if (pid < 0) {
		err = -errno;
		close(fds[0]);
		snprintf(why, len, "cannot fork: %s", strerror(-err));
		return err;
	}
	if (read(fds[0], ids, sizeof(*ids)) != sizeof(*ids) ||
	    read(fds[0], &err, sizeof(err)) != sizeof(err))
		err = -EIO;
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (err)
		snprintf(why, len, "tracefs in a private mount namespace: %s",
			 err == -EIO ? "no answer from the child" : strerror(-err));
	return err;
}

int lt_sc_read_ids(struct lt_sc_ids *ids, char *why, size_t len)
{
	struct statfs st;
	int err = -ENOENT;
	bool forced;
	const char *dir = tracefs_dir(&forced);

	why[0] = '\0';
	/* Already mounted: read there. */
	if (!statfs(dir, &st) && (forced || st.f_type == LT_TRACEFS_MAGIC))
		err = read_ids_at(dir, ids);
	if (err) {
		err = read_ids_private(dir, ids, why, len);
		if (err)
			return err;
	}
	for (int i = 0; i < LT_SC_COUNT; i++) {
		if (ids->id[i] > 0 || !calls[i].required)
			continue;
		snprintf(why, len, "no syscalls:sys_exit_%s event (%s)", calls[i].name,
			 ids->n ? strerror(-ids->id[i]) :
				  "a kernel built without CONFIG_FTRACE_SYSCALLS");
		return -ENOENT;
	}
	return 0;
}

int lt_sc_attach(struct bpf_program *prog, const struct lt_sc_ids *ids, struct bpf_link **links,
		 char *why, size_t len)
{
	int err = 0;

	for (int i = 0; i < LT_SC_COUNT; i++)
		links[i] = NULL;
	for (int i = 0; i < LT_SC_COUNT; i++) {
		struct perf_event_attr attr = {
			.type = PERF_TYPE_TRACEPOINT,
			.size = sizeof(attr),
			.config = (__u64)ids->id[i],
			.sample_period = 1,
			.wakeup_events = 1,
		};
		int fd;

		if (ids->id[i] <= 0)
			continue;
		fd = syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0) {
			err = -errno;
			snprintf(why, len, "perf_event_open on syscalls:sys_exit_%s: %s",
				 calls[i].name, strerror(-err));
			goto fail;
		}
		links[i] = bpf_program__attach_perf_event(prog, fd);
		if (!links[i]) {
			err = -errno;
			close(fd);
			snprintf(why, len, "attach to syscalls:sys_exit_%s: %s", calls[i].name,
				 strerror(-err));
			goto fail;
		}
	}
	return 0;
fail:
	for (int i = 0; i < LT_SC_COUNT; i++) {
		bpf_link__destroy(links[i]);
		links[i] = NULL;
	}
	return err;
}

static void *destroy_link(void *link)
{
	bpf_link__destroy(link);
	return NULL;
}

void lt_sc_detach(struct bpf_link **links)
{
	pthread_t th[LT_SC_COUNT];
	bool started[LT_SC_COUNT] = {};

	/* Each perf event's end waits for the kernel's RCU grace periods
	 * (tracepoint_synchronize_unregister): at once, not one after the
	 * other (a second and more on a busy machine). */
	for (int i = 0; i < LT_SC_COUNT; i++) {
		if (!links[i])
			continue;
		started[i] = !pthread_create(&th[i], NULL, destroy_link, links[i]);
		if (!started[i])
			bpf_link__destroy(links[i]);
		links[i] = NULL;
	}
	for (int i = 0; i < LT_SC_COUNT; i++)
		if (started[i])
			pthread_join(th[i], NULL);
}
