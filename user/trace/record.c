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
#include <sys/random.h>
#include <sys/stat.h>
#include "record.h"
#include "common/util.h"

/* Write in large appends; a full buffer is written at once. */
#define LT_RECORD_BUF (1u << 20)
/* Writeback is started every this many bytes written. */
#define LT_RECORD_KICK (4u << 20)

/* A new file at name: created here (O_EXCL, so never through a symbolic
 * link nor onto anything that exists), ours, 0600 whatever the umask or a
 * default ACL say. The descriptor, or -1 with errno. */
static int new_file(const char *name)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_APPEND, 0600);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fchmod(fd, 0600) || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		int err = errno ?: EINVAL;

		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * --force: a new file under a temporary name beside name, renamed over it.
 * A new inode, ours and 0600: whoever owned the old file keeps nothing of
 * the new one, and a descriptor held on the old one sees none of it.
 * rename() replaces the name itself, never what a link there points to.
 */
static int replace_file(const char *name)
{
	const char *base = strrchr(name, '/');
	size_t dirlen = base ? (size_t)(base - name) + 1 : 0, n = strlen(name) + 32;
	char *tmp = malloc(n);
	int fd = -1, err;

	if (!tmp) {
		errno = ENOMEM;
		return -1;
	}
	for (int i = 0; i < 16 && fd < 0; i++) {
		__u64 rnd = 0;

		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			rnd = (__u64)getpid() << 32 ^ (__u64)time(NULL) ^ (__u64)i;
		snprintf(tmp, n, "%.*s.%s.%016llx", (int)dirlen, name, name + dirlen,
			 (unsigned long long)rnd);
		fd = new_file(tmp);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd >= 0 && rename(tmp, name)) {
		err = errno;
		unlink(tmp);
		close(fd);
		fd = -1;
		errno = err;
	}
	err = errno;
	free(tmp);
	errno = err;
	return fd;
}

/* The descriptor, or -errno (one line said): see lt_record_open() for the
 * names refused. */
static int create_file(const char *name, bool force)
{
	struct stat st;
	int fd, err;
	bool exists = !lstat(name, &st);

	if (exists) {
		if (S_ISLNK(st.st_mode)) {
			p_err("refusing to write %s: it is a symbolic link", name);
			return -ELOOP;
		}
		if (!force) {
			p_err("refusing to overwrite %s: it exists (--force replaces it)", name);
			return -EEXIST;
		}
		if (!S_ISREG(st.st_mode)) {
			p_err("refusing to write %s: not a regular file", name);
			return -ENXIO;
		}
	}
	fd = exists ? replace_file(name) : new_file(name);
	if (fd >= 0)
		return fd;
	err = errno;
	if (err == ELOOP || err == EEXIST || err == EISDIR) {
		p_err("refusing to write %s: %s", name,
		      err == ELOOP  ? "it is a symbolic link" :
		      err == EEXIST ? "it exists" :
				      "it is a directory");
		return -err;
	}
	p_err("cannot create %s: %s", name, strerror(err));
	return -err;
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
	struct stat st;
	int fd;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	fd = create_file(name, force);
	if (fd < 0)
		return fd;
	r->buf = malloc(LT_RECORD_BUF);
	if (!r->buf) {
		close(fd);
		p_err("out of memory");
		return -ENOMEM;
	}
	r->fd = fd;
	if (!fstat(fd, &st)) {
		r->dev = st.st_dev;
		r->ino = st.st_ino;
	}
	r->name = name;
	r->cap = LT_RECORD_BUF;
	r->rotate = rotate;
	r->rotate_at = rotate;
	r->keep = keep;
	r->sync_interval = sync_interval;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	r->syncer_running = !pthread_create(&r->syncer, NULL, syncer, r);
	if (!r->syncer_running)
		p_warn("no syncer thread: %s; %s is synced only at exit", strerror(errno), name);
	return 0;
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

/*
 * Shift the parts: FILE.(keep-1) -> FILE.keep (the oldest is dropped), ...,
 * FILE -> FILE.1. Only while FILE is the current recording: once a
 * rotation renamed it and could not create the next FILE, the current part
 * is FILE.1 already, and whatever is at FILE now is someone else's. Only
 * regular files move; the first name that cannot stops the shift, with
 * errno and the name in *blocked.
 */
static int shift_parts(struct lt_record *r, char *from, char *to, size_t n, const char **blocked)
{
	struct stat st;

	if (lstat(r->name, &st) || st.st_dev != r->dev || st.st_ino != r->ino)
		return 0;
	for (__u32 i = r->keep; i > 0; i--) {
		if (i == 1)
			snprintf(from, n, "%s", r->name);
		else
			snprintf(from, n, "%s.%u", r->name, i - 1);
		snprintf(to, n, "%s.%u", r->name, i);
		if (lstat(from, &st)) {
			if (errno == ENOENT)
				continue;
			*blocked = from;
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
			*blocked = from;
			return -1;
		}
		if (rename(from, to)) {
			*blocked = to;
			return -1;
		}
	}
	return 0;
}

/*
 * FILE -> FILE.1 -> ... -> FILE.keep (dropped), then a new FILE. The old
 * descriptor is let go only once the new one is open: when a name is in
 * the way or FILE cannot be created, the recording goes on where it was
 * (under FILE or FILE.1), said once, counted, tried again at the next
 * threshold.
 */
static int rotate(struct lt_record *r)
{
	size_t n = strlen(r->name) + 16;
	char *from = malloc(n), *to = malloc(n);
	const char *blocked = r->name;
	struct stat st;
	int fd = -1, old;

	if (from && to && !shift_parts(r, from, to, n, &blocked))
		fd = new_file(r->name);
	else if (!from || !to)
		errno = ENOMEM;
	if (fd < 0) {
		r->rotate_failed++;
		r->rotate_at = r->size + r->rotate;
		if (!r->rotate_warned) {
			int err = errno;
			bool moved = lstat(r->name, &st) || st.st_dev != r->dev ||
				     st.st_ino != r->ino;

			p_warn("rotating %s failed: %s: %s; the recording goes on in %s%s, rotating "
			       "again after each further --rotate SIZE",
			       r->name, blocked, strerror(err), r->name, moved ? ".1" : "");
		}
		r->rotate_warned = true;
		free(from);
		free(to);
		return 0;
	}
	free(from);
	free(to);
	if (r->rotate_warned)
		p_warn("rotating %s works again", r->name);
	r->rotate_warned = false;
	/* Everything written is in the old part: sync it, then let it go. */
	fsync(r->fd);
	pthread_mutex_lock(&r->lock);
	old = r->fd;
	r->fd = fd;
	pthread_mutex_unlock(&r->lock);
	close(old);
	if (!fstat(fd, &st)) {
		r->dev = st.st_dev;
		r->ino = st.st_ino;
	}
	r->size = 0;
	r->kicked = r->prev_kick = r->dropped = 0;
	r->rotate_at = r->rotate;
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
	} else if (r->rotate && r->size + r->len > r->rotate_at && r->size > r->header_len + 1 &&
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
	int err = 0;

	if (!r->buf)
		return 0;
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
		err = -EIO;
	free(r->buf);
	free(r->header);
	r->buf = r->header = NULL;
	r->fd = -1;
	return err;
}
