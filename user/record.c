// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The recording file: see record.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <sys/stat.h>
#include "record.h"
#include "util.h"

/* Write in large appends; a full buffer is written at once. */
#define LT_RECORD_BUF (1u << 20)
/* Writeback is started every this many bytes written. */
#define LT_RECORD_KICK (4u << 20)

static int create_file(const char *name, bool force)
{
	int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_APPEND;
	struct stat st;
	int fd;

	if (!lstat(name, &st)) {
		if (S_ISLNK(st.st_mode)) {
			p_err("refusing to write %s: it is a symbolic link", name);
			return -LT_EXIT_USAGE;
		}
		if (!force) {
			p_err("refusing to overwrite %s: it exists (--force replaces it)", name);
			return -LT_EXIT_USAGE;
		}
		if (!S_ISREG(st.st_mode)) {
			p_err("refusing to write %s: not a regular file", name);
			return -LT_EXIT_USAGE;
		}
	}
	flags |= force ? O_TRUNC : O_EXCL;
	fd = open(name, flags, 0600);
	if (fd < 0) {
		int err = errno;

		if (err == ELOOP || err == EEXIST) {
			p_err("refusing to write %s: %s", name,
			      err == ELOOP ? "it is a symbolic link" : "it exists");
			return -LT_EXIT_USAGE;
		}
		p_err("cannot create %s: %s", name, strerror(err));
		return -LT_EXIT_RUNTIME;
	}
	/* Re-check what was opened, and drop what an old file allowed. */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || fchmod(fd, 0600) ||
	    fcntl(fd, F_SETFL, O_WRONLY | O_APPEND)) {
		p_err("refusing to write %s: not a regular file we can own", name);
		close(fd);
		return -LT_EXIT_USAGE;
	}
	return fd;
}

/* Every sync_interval: fdatasync what was written so far. */
static void *syncer(void *arg)
{
	struct lt_record *r = arg;
	struct sched_param idle = { .sched_priority = 0 };
	struct timespec until;

	/* Only spare CPU time: in a storm that saturates the CPUs, syncing
	 * waits rather than taking time from the reader (or the workload). */
	pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
	pthread_mutex_lock(&r->lock);
	while (!r->stopping) {
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += (time_t)r->sync_interval;
		until.tv_nsec += (long)((r->sync_interval - (time_t)r->sync_interval) * 1e9);
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&r->wake, &r->lock, &until);
		if (r->stopping)
			break;
		if (r->fd >= 0 && fdatasync(r->fd) && errno != EINVAL)
			__atomic_store_n(&r->sync_err, errno, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int lt_record_open(struct lt_record *r, const char *name, bool force, __u64 rotate, __u32 keep,
		   double sync_interval)
{
	int fd;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	fd = create_file(name, force);
	if (fd < 0)
		return -fd;
	r->buf = malloc(LT_RECORD_BUF);
	if (!r->buf) {
		close(fd);
		p_err("out of memory");
		return LT_EXIT_RUNTIME;
	}
	r->fd = fd;
	r->name = name;
	r->cap = LT_RECORD_BUF;
	r->rotate = rotate;
	r->keep = keep;
	r->sync_interval = sync_interval;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	r->syncer_running = !pthread_create(&r->syncer, NULL, syncer, r);
	if (!r->syncer_running)
		p_warn("no syncer thread: %s; %s is synced only at exit", strerror(errno), name);
	return LT_EXIT_OK;
}

/* Write buf[0..len) whole at the end of the file, or not at all. */
static int write_whole(struct lt_record *r, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(r->fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? errno : ENOSPC;

			/* Cut back to the last complete line. */
			if (done && ftruncate(r->fd, (off_t)r->size))
				err = errno;
			errno = err;
			return -1;
		}
		done += (size_t)n;
	}
	r->size += len;
	/* Start writing back what is written, a few MB at a time, so that
	 * the syncer's fdatasync finds little left to do. */
	if (r->size - r->kicked >= LT_RECORD_KICK) {
		sync_file_range(r->fd, (off_t)r->kicked, (off_t)(r->size - r->kicked),
				SYNC_FILE_RANGE_WRITE);
		/* What was kicked the time before is on its way to disk: let
		 * its cache go (pages still dirty or under writeback are
		 * skipped), so a long recording does not fill the page cache
		 * and new writes reuse warm pages. */
		if (r->dropped < r->prev_kick)
			posix_fadvise(r->fd, (off_t)r->dropped, (off_t)(r->prev_kick - r->dropped),
				      POSIX_FADV_DONTNEED);
		r->dropped = r->prev_kick;
		r->prev_kick = r->kicked;
		r->kicked = r->size;
	}
	return 0;
}

/* FILE -> FILE.1 -> ... -> FILE.keep (dropped), then a new FILE. */
static int rotate(struct lt_record *r)
{
	size_t n = strlen(r->name) + 16;
	char *from = malloc(n), *to = malloc(n);
	int fd, err = 0;

	if (!from || !to) {
		free(from);
		free(to);
		errno = ENOMEM;
		return -1;
	}
	pthread_mutex_lock(&r->lock);
	fsync(r->fd);
	close(r->fd);
	r->fd = -1;
	pthread_mutex_unlock(&r->lock);
	for (__u32 i = r->keep; i > 0; i--) {
		if (i == 1)
			snprintf(from, n, "%s", r->name);
		else
			snprintf(from, n, "%s.%u", r->name, i - 1);
		snprintf(to, n, "%s.%u", r->name, i);
		if (rename(from, to) && errno != ENOENT && !err)
			err = errno;
	}
	free(from);
	free(to);
	fd = create_file(r->name, false);
	if (fd < 0) {
		errno = err ?: EIO;
		return -1;
	}
	pthread_mutex_lock(&r->lock);
	r->fd = fd;
	pthread_mutex_unlock(&r->lock);
	r->size = 0;
	r->kicked = r->prev_kick = r->dropped = 0;
	r->rotations++;
	if (r->header && write_whole(r, r->header, r->header_len + 1))
		return -1;
	return 0;
}

static void write_buffer(struct lt_record *r)
{
	int failed;

	if (r->fd < 0) {
		errno = EBADF;
		failed = 1;
	} else if (r->rotate && r->size + r->len > r->rotate && r->size > r->header_len + 1 &&
		   !r->failing) {
		failed = rotate(r) || write_whole(r, r->buf, r->len);
	} else {
		failed = write_whole(r, r->buf, r->len);
	}
	if (failed && r->fd >= 0 && r->len) {
		/* Out of space, say: keep what fits, line by line. */
		unsigned long long lines = 0;
		const char *p = r->buf, *end = r->buf + r->len;
		int err = errno;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

			if (write_whole(r, p, n))
				break;
			p += n;
			lines++;
		}
		if (r->hdr_in_buf && lines)
			lines--;
		if (lines > r->buffered)
			lines = r->buffered;
		r->written += lines;
		r->buffered -= lines;
		errno = err;
	}
	r->hdr_in_buf = false;
	if (failed) {
		r->lost += r->buffered;
		if (!r->failing)
			p_err("writing %s failed: %s; tracing goes on, the events that cannot be "
			      "written are counted",
			      r->name, strerror(errno));
		r->failing = true;
	} else {
		r->written += r->buffered;
		if (r->failing)
			p_warn("writing %s works again; %llu events could not be written", r->name,
			       r->lost - r->lost_reported);
		r->lost_reported = r->lost;
		r->failing = false;
	}
	r->len = 0;
	r->buffered = 0;
}

void lt_record_flush(struct lt_record *r)
{
	int err;

	if (r->len)
		write_buffer(r);
	err = __atomic_exchange_n(&r->sync_err, 0, __ATOMIC_RELAXED);
	if (err && !r->failing)
		p_err("syncing %s failed: %s", r->name, strerror(err));
}

static void append(struct lt_record *r, const char *line, size_t len)
{
	if (r->len + len + 1 > r->cap)
		write_buffer(r);
	if (len + 1 > r->cap) { /* a line larger than the buffer: alone */
		r->lost++;
		return;
	}
	memcpy(r->buf + r->len, line, len);
	r->buf[r->len + len] = '\n';
	r->len += len + 1;
}

int lt_record_header(struct lt_record *r, const char *line, size_t len)
{
	free(r->header);
	r->header = malloc(len + 1);
	if (!r->header)
		return -ENOMEM;
	memcpy(r->header, line, len);
	r->header[len] = '\n';
	r->header_len = len;
	append(r, line, len);
	r->hdr_in_buf = true;
	return 0;
}

void lt_record_event(struct lt_record *r, const char *line, size_t len)
{
	append(r, line, len);
	r->buffered++;
}

int lt_record_close(struct lt_record *r, const char *trailer, size_t len)
{
	int rc = LT_EXIT_OK;

	if (!r->buf)
		return rc;
	if (r->len)
		write_buffer(r);
	if (trailer) {
		append(r, trailer, len);
		write_buffer(r);
	}
	if (r->syncer_running) {
		pthread_mutex_lock(&r->lock);
		r->stopping = true;
		pthread_cond_signal(&r->wake);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->syncer, NULL);
		r->syncer_running = false;
	}
	if (r->fd >= 0) {
		if (fsync(r->fd) && errno != EINVAL && !r->failing)
			p_err("syncing %s failed: %s", r->name, strerror(errno));
		close(r->fd);
	}
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->wake);
	if (r->lost)
		rc = LT_EXIT_RUNTIME;
	free(r->buf);
	free(r->header);
	r->buf = r->header = NULL;
	r->fd = -1;
	return rc;
}
