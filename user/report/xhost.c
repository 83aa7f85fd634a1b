// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Several instances, one story, as the recordings are read: a failure on a
 * file on a share, to be set against the locks other hosts held on the same
 * file at that moment (xsweep.c, when reading ends). A file on a share is
 * named by the share and the path within it, the same on every host
 * whatever its mount point: a lock event says it, a failure's path is
 * mapped through its recording's network mounts (its header's, in its
 * mount namespace, and those its lock events showed in theirs). Holds are
 * intervals (acquisition to release), paired by their recording's session
 * and their id. Every table is bounded (LT_REP_XHOST_TABLES,
 * LT_REP_XFAILS_MAX) and what it could not keep is counted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "table.h"
#include "xhost.h"

/* ---- hosts and sessions ------------------------------------------------- */

static int host_of(struct lt_report *r, const char *name)
{
	char **h;

	for (size_t i = 0; i < r->nhosts; i++)
		if (!strcmp(r->hosts[i], name))
			return (int)i;
	h = realloc(r->hosts, (r->nhosts + 1) * sizeof(*h));
	if (!h) {
		r->oom = true;
		return -1;
	}
	r->hosts = h;
	h[r->nhosts] = strdup(name);
	if (!h[r->nhosts]) {
		r->oom = true;
		return -1;
	}
	return (int)r->nhosts++;
}

/* The session of @host that began at @start; NULL: one of its own. */
static int session_of(struct lt_report *r, int host, const char *start)
{
	struct lt_rep_session *x;

	for (size_t i = 0; start && i < r->nsessions; i++)
		if (r->sessions[i].host == host && r->sessions[i].start &&
		    !strcmp(r->sessions[i].start, start))
			return (int)i;
	x = realloc(r->sessions, (r->nsessions + 1) * sizeof(*x));
	if (!x) {
		r->oom = true;
		return -1;
	}
	r->sessions = x;
	x += r->nsessions;
	memset(x, 0, sizeof(*x));
	x->host = host;
	if (start && !(x->start = strdup(start))) {
		r->oom = true;
		return -1;
	}
	return (int)r->nsessions++;
}

/* A source without a header: its own host (its file's name), its own
 * session. */
static bool source_known(struct lt_report *r, struct lt_rep_source *s)
{
	if (s->host_idx < 0) {
		s->host_idx = host_of(r, s->file ? s->file : "-");
		if (s->host_idx >= 0)
			s->session_idx = session_of(r, s->host_idx, NULL);
	}
	return s->host_idx >= 0 && s->session_idx >= 0;
}

/* A copy of f when it is at most @max bytes and holds no NUL, else NULL. */
static char *dup_field(struct lt_report *r, struct lt_str f, size_t max)
{
	char *d;

	if (!f.s || f.n > max || memchr(f.s, '\0', f.n))
		return NULL;
	d = malloc(f.n + 1);
	if (!d) {
		r->oom = true;
		return NULL;
	}
	memcpy(d, f.s, f.n);
	d[f.n] = '\0';
	return d;
}

void lt_rep_xhost_header(struct lt_report *r, struct lt_rep_source *s, const struct lt_rep_rec *e)
{
	s->host_idx = host_of(r, s->host && *s->host ? s->host : s->file ? s->file : "-");
	if (s->host_idx >= 0)
		s->session_idx = session_of(r, s->host_idx, s->start ? s->start : "");
	s->mounts = e->nmounts ? calloc((size_t)e->nmounts, sizeof(*s->mounts)) : NULL;
	if (e->nmounts && !s->mounts) {
		r->oom = true;
		return;
	}
	s->mounts_more = e->mounts_more;
	s->mntns = e->mntns;
	for (int i = 0; i < e->nmounts; i++) {
		struct lt_rep_mount *m = &s->mounts[s->nmounts];

		m->mount = dup_field(r, e->mounts[i].mount, LT_REP_STR_LONG);
		m->share = dup_field(r, e->mounts[i].share, LT_REP_STR_HEAD);
		m->share_path = dup_field(r, e->mounts[i].share_path, LT_REP_STR_LONG);
		if (!m->mount || !*m->mount || !m->share || !m->share_path) {
			/* Not one a path can be mapped through exactly: left out. */
			free(m->mount);
			free(m->share);
			free(m->share_path);
			memset(m, 0, sizeof(*m));
			s->mounts_more++;
			continue;
		}
		m->mount_len = strlen(m->mount);
		m->mntns = e->mntns;
		s->nmounts++;
	}
}

/*
 * A lock event names its file's mount point as its process sees it, and the
 * path within the share: the mount, in that process's mount namespace, shows
 * the share's path that is the event's without what follows the mount point.
 * Kept (at most LT_REP_MOUNTS a source, the others counted) so that a
 * failure in that namespace (a container's, whose mount points the tracer's
 * header does not list) is named on the share too.
 */
static void mount_learn(struct lt_report *r, struct lt_rep_source *s, __u64 mntns,
			const struct lt_rep_hold_fields *h)
{
	struct lt_str p = h->path, sp = h->share_path, mnt = h->mount;
	struct lt_rep_mount *m;
	size_t rn, bn;

	if (!mntns || !mnt.n || mnt.n >= p.n || memcmp(p.s, mnt.s, mnt.n) || p.s[mnt.n] != '/' ||
	    memchr(mnt.s, '\0', mnt.n))
		return;
	rn = p.n - mnt.n; /* "/locks/x.lock" */
	if (sp.n < rn || memcmp(sp.s + sp.n - rn, p.s + mnt.n, rn))
		return; /* not the same file below the mount point: no mapping */
	bn = sp.n - rn;
	for (size_t i = 0; i < s->nmounts; i++) {
		m = &s->mounts[i];
		if (m->mntns == mntns && m->mount_len == mnt.n && !memcmp(m->mount, mnt.s, mnt.n))
			return; /* known */
	}
	if (s->nlearned >= LT_REP_MOUNTS) {
		s->mounts_more++;
		return;
	}
	m = realloc(s->mounts, (s->nmounts + 1) * sizeof(*m));
	if (!m) {
		r->oom = true;
		return;
	}
	s->mounts = m;
	m += s->nmounts;
	memset(m, 0, sizeof(*m));
	m->mount = dup_field(r, mnt, LT_REP_STR_LONG);
	m->share = dup_field(r, h->share, LT_REP_STR_HEAD);
	m->share_path = dup_field(r, bn ? (struct lt_str){ sp.s, bn } : (struct lt_str){ "/", 1 },
				  LT_REP_STR_LONG);
	if (!m->mount || !m->share || !m->share_path) {
		free(m->mount);
		free(m->share);
		free(m->share_path);
		return;
	}
	m->mount_len = mnt.n;
	m->mntns = mntns;
	s->nmounts++;
	s->nlearned++;
}

void lt_rep_xhost_seen(struct lt_report *r, struct lt_rep_source *s, __s64 t)
{
	(void)r;
	if (!s->have_end || t > s->end_us)
		s->end_us = t;
	s->have_end = true;
}

/* ---- files on shares ---------------------------------------------------- */

/* The file @spath[0..sn) within share @share[0..hn), made if new; NULL when
 * the table is full (counted). */
static struct lt_rep_xlock *xlock_of(struct lt_report *r, const char *share, size_t hn,
				     const char *spath, size_t sn)
{
	char *key = r->scratch + r->scratch_used;
	size_t n = hn + 1 + sn;
	struct lt_rep_xlock *x;
	bool added;

	if (r->scratch_used + n + 1 > LT_REP_SCRATCH) {
		r->oom = true; /* cannot happen: the fields are bounded */
		return NULL;
	}
	memcpy(key, share, hn);
	key[hn] = '\0';
	memcpy(key + hn + 1, spath, sn);
	key[n] = '\0';
	x = lt_rep_tab_get(r, &r->xlock_set, sizeof(*x), key, n, lt_rep_hash(r, key, n), 0, &added);
	if (x && added) {
		x->share = x->key.s;
		x->share_path = x->key.s + hn + 1;
		x->index = (__u32)(r->xlock_set.used - 1);
	}
	return x;
}

/* Note @host's own path of the file, for the first LT_REP_XWHERE hosts. */
static void where_add(struct lt_report *r, struct lt_rep_xlock *x, int host, struct lt_str path)
{
	int i;

	for (i = 0; i < x->nwhere; i++)
		if (x->where[i].host == host)
			return;
	if (i == LT_REP_XWHERE)
		return;
	/* Charged to the files' table: its memory stays bounded. */
	if (r->xlock_set.bytes + path.n + 1 > r->xlock_set.max_bytes)
		return;
	x->where[i].path = malloc(path.n + 1);
	if (!x->where[i].path) {
		r->oom = true;
		return;
	}
	memcpy(x->where[i].path, path.s, path.n);
	x->where[i].path[path.n] = '\0';
	x->where[i].host = host;
	r->xlock_set.bytes += path.n + 1;
	x->nwhere++;
}

static bool str_is(struct lt_str f, const char *s)
{
	size_t n = strlen(s);

	return f.n == n && !memcmp(f.s, s, n);
}

static void copy_str(char *dst, size_t len, struct lt_str f)
{
	size_t n = f.n < len - 1 ? f.n : len - 1;

	if (f.s)
		memcpy(dst, f.s, n);
	else
		n = 0;
	dst[n] = '\0';
}

/* ---- holds and failures ------------------------------------------------- */

void lt_rep_xhost_hold(struct lt_report *r, struct lt_rep_source *s, __s64 t,
		       const struct lt_rep_rec *e, const struct lt_rep_hold_fields *h)
{
	struct {
		__u32 session, pad;
		__u64 id;
	} key = {};
	struct lt_rep_xhold *x;
	struct lt_rep_xlock *l;
	bool added, released = str_is(e->event, "lock_released");

	if (!source_known(r, s))
		return;
	lt_rep_xhost_seen(r, s, t);
	if (!e->hold_id || e->hold_untracked) {
		r->xuntracked++; /* no release pairs with it: not an interval */
		return;
	}
	mount_learn(r, s, e->mntns, h);
	l = xlock_of(r, h->share.s, h->share.n, h->share_path.s, h->share_path.n);
	if (!l)
		return;
	where_add(r, l, s->host_idx, h->path);
	key.session = (__u32)s->session_idx;
	key.id = e->hold_id;
	x = lt_rep_tab_get(r, &r->xhold_set, sizeof(*x), (const char *)&key, sizeof(key),
			   lt_rep_hash(r, (const char *)&key, sizeof(key)), 0, &added);
	if (!x)
		return;
	if (added) {
		if (!lt_rep_grow(r, (void **)&l->holds, &l->holds_cap, l->nholds,
				 sizeof(*l->holds))) {
			x->lock = NULL; /* kept, but in no file's list */
			return;
		}
		l->holds[l->nholds++] = x;
		x->lock = l;
		x->host = s->host_idx;
		x->session = s->session_idx;
		x->id = e->hold_id;
		x->index = (__u32)(r->xhold_set.used - 1);
	} else if (x->lock != l) {
		return; /* one id for two files: the first one it was seen on */
	}
	if (!released || !x->have_who) {
		/* Its acquisition names the holder (else its release does). */
		x->pid = e->pid;
		x->uid = e->uid;
		copy_str(x->comm, sizeof(x->comm), h->comm);
		x->have_who = !released;
	}
	if (h->kind.n)
		copy_str(x->kind, sizeof(x->kind), h->kind);
	if (h->type.n)
		copy_str(x->type, sizeof(x->type), h->type);
	if (!released) {
		if (!x->have_from || t < x->from_us)
			x->from_us = t;
		x->have_from = true;
		return;
	}
	if (!x->have_to || t > x->to_us)
		x->to_us = t;
	x->have_to = true;
	if (!x->have_from && e->held_us >= 0) {
		/* Taken before the recording began, or its acquisition not read. */
		if (__builtin_sub_overflow(t, e->held_us, &x->from_us))
			x->from_us = t; /* no calendar holds that: an instant */
		x->have_from = true;
	}
}

/* The mount of @s in mount namespace @mntns (0: not said) whose mount point
 * holds @path, the deepest; NULL if none. */
static const struct lt_rep_mount *mount_of(const struct lt_rep_source *s, struct lt_str path,
					   __u64 mntns)
{
	const struct lt_rep_mount *best = NULL;

	for (size_t i = 0; i < s->nmounts; i++) {
		const struct lt_rep_mount *m = &s->mounts[i];
		size_t n = m->mount_len;
		bool root = n == 1 && m->mount[0] == '/';

		if ((m->mntns && mntns && m->mntns != mntns) || path.n < n ||
		    memcmp(path.s, m->mount, n) || (!root && path.n > n && path.s[n] != '/'))
			continue;
		if (!best || n > best->mount_len)
			best = m;
	}
	return best;
}

void lt_rep_xhost_failure(struct lt_report *r, struct lt_rep_source *s, __s64 t,
			  const struct lt_rep_fields *f, __u64 mntns, __u32 pid, __u32 uid,
			  const struct lt_rep_count *event, const struct lt_rep_count *error,
			  const struct lt_rep_count *cause, const struct lt_rep_count *comm)
{
	const struct lt_rep_mount *m;
	struct lt_rep_xlock *l;
	struct lt_rep_xfail *x;
	const char *rest;
	char *spath;
	size_t sn, pn, rn;

	if (!source_known(r, s))
		return;
	lt_rep_xhost_seen(r, s, t);
	m = mount_of(s, f->path, mntns);
	if (!m)
		return;
	/* Its path within the share: the mount's, then what follows the mount
	 * point, one '/' between. */
	rest = f->path.s + (m->mount_len == 1 ? 0 : m->mount_len);
	rn = f->path.n - (size_t)(rest - f->path.s);
	sn = strlen(m->share_path);
	if (sn && m->share_path[sn - 1] == '/' && rn && rest[0] == '/')
		sn--;
	pn = sn + rn;
	spath = r->scratch + r->scratch_used;
	if (r->scratch_used + pn + 1 > LT_REP_SCRATCH) {
		r->oom = true; /* cannot happen: the fields are bounded */
		return;
	}
	memcpy(spath, m->share_path, sn);
	memcpy(spath + sn, rest, rn);
	if (!pn)
		spath[pn++] = '/';
	r->scratch_used += pn;
	r->xfails++;
	l = xlock_of(r, m->share, strlen(m->share), spath, pn);
	r->scratch_used -= pn;
	if (!l)
		return;
	where_add(r, l, s->host_idx, f->path);
	if (r->xfails_kept >= r->xfails_max) {
		r->xfails_more++;
		return;
	}
	if (!lt_rep_grow(r, (void **)&l->fails, &l->fails_cap, l->nfails, sizeof(*l->fails)))
		return;
	x = &l->fails[l->nfails++];
	x->t_us = t;
	x->host = s->host_idx;
	x->pid = pid;
	x->uid = uid;
	x->event = event;
	x->error = error;
	x->cause = cause;
	x->comm = comm;
	r->xfails_kept++;
}

void lt_rep_xhost_free(struct lt_report *r)
{
	for (size_t i = 0; i < r->xlock_set.cap; i++) {
		struct lt_rep_xlock *l = r->xlock_set.slots[i];

		if (!l)
			continue;
		free(l->holds);
		free(l->fails);
		for (int k = 0; k < l->nwhere; k++)
			free(l->where[k].path);
	}
	for (size_t i = 0; i < r->nsources; i++) {
		struct lt_rep_source *s = &r->sources[i];

		for (size_t k = 0; k < s->nmounts; k++) {
			free(s->mounts[k].mount);
			free(s->mounts[k].share);
			free(s->mounts[k].share_path);
		}
		free(s->mounts);
		free(s->machine_id);
	}
	for (size_t i = 0; i < r->nhosts; i++)
		free(r->hosts[i]);
	free(r->hosts);
	for (size_t i = 0; i < r->nsessions; i++)
		free(r->sessions[i].start);
	free(r->sessions);
	free(r->xlocks);
}
