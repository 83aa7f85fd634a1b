// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Who holds a lock on a file: see locks.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "common/util.h"
#include "locks.h"

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
		return -EINVAL;
	kind = word(&p, &nk);
	if (word_is(kind, nk, "->"))
		return 0;
	word(&p, &n); /* ADVISORY, MANDATORY */
	type = word(&p, &nt);
	w = word(&p, &n);
	pid = strtol(w, &e, 10);
	if (!n || e != w + n)
		return -EINVAL;
	w = word(&p, &n);
	maj = strtoul(w, &e, 16);
	if (!n || *e != ':')
		return -EINVAL;
	min = strtoul(e + 1, &e, 16);
	if (*e != ':')
		return -EINVAL;
	i = strtoull(e + 1, &e, 10);
	if (e != w + n)
		return -EINVAL;
	w = word(&p, &n);
	start = strtoll(w, &e, 10);
	if (!n || e != w + n)
		return -EINVAL;
	w = word(&p, &n);
	if (!n)
		return -EINVAL;
	if (!word_is(w, n, "EOF")) {
		end = strtoll(w, &e, 10);
		if (e != w + n)
			return -EINVAL;
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

/* Its lock as far as the request says: the one it conflicts with. */
void lt_kernel_holder(const struct lt_event *ev, struct lt_holder *h)
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
void lt_locks_holders(struct lt_locks_cache *c, const struct lt_event *ev,
		      struct lt_cause_input *in)
{
	__u32 kpid = ev->ev_flags & LT_EVF_HAVE_HOLDER ? ev->blocker_pid : 0;
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
		/* The same file through other mounts of its network share: a
		 * server's inode numbers are the same through each. */
		for (int p = 0; p < in->npeers && p < LT_MAX_PEERS; p++) {
			int i = in->nholders;

			in->nholders += lt_locks_find(&c->cur, in->peers[p].s_dev, ev->ino,
						      &in->holders[i], LT_MAX_HOLDERS - i);
			for (; i < in->nholders; i++) {
				in->holders[i].via_peer = true;
				in->holders[i].peer = (__u8)p;
			}
		}
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
		lt_kernel_holder(ev, h);
		lt_proc_comm_uid(kpid, h->comm, &h->uid);
		in->nholders++;
	}
}
