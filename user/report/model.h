/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The report's model: what the recordings said, aggregated as they are
 * read, in tables bounded whatever a recording holds (LT_REP_TABLES,
 * LT_REP_POINTS_MAX). Filled by ingest.c (reading, filters, kept strings)
 * with group.c (failures grouped, contention, the timeline) over table.c
 * (the keyed, bounded tables); read by the formats (render.h).
 */
#ifndef LOCKTRACE_REPORT_MODEL_H
#define LOCKTRACE_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "locktrace.h"

enum lt_rep_format {
	LT_REP_TEXT = 0,
	LT_REP_MARKDOWN,
	LT_REP_JSON,
	LT_REP_HTML,
};

#define LT_REP_MAX_FILTER 64

struct lt_rep_opts {
	enum lt_rep_format format;
	bool have_since, have_until;
	__s64 since_us, until_us; /* microseconds since the epoch, UTC */
	struct lt_pattern paths[LT_MAX_PATTERNS]; /* --path globs */
	int npaths;
	const char *causes[LT_REP_MAX_FILTER]; /* --cause kinds */
	int ncauses;
	__u32 uids[LT_REP_MAX_FILTER];
	int nuids;
	const char *comms[LT_REP_MAX_FILTER];
	int ncomms;
	int top; /* rows in the top lists and groups shown (text, markdown, html) */
	bool quiet; /* no warnings about torn or malformed lines */
	const char *output; /* -o FILE, NULL: standard output */
	bool force; /* -o may replace a regular file */
	const char *const *files;
	int nfiles;
};

/*
 * What a report keeps at most, so that its memory and time stay bounded
 * whatever a recording holds (README, "Report"). A string longer than its
 * field's limit is cut on a character boundary and ends in
 * "...[cut from N bytes]"; every cut is counted (lt_report.cut).
 */
#define LT_REP_STR_LONG 8192 /* bytes of a path, a detail, a fix */
#define LT_REP_STR_SHORT 64 /* of an operation, error, cause, command, evidence, module */
#define LT_REP_STR_HEAD 256 /* of a header's host, kernel, tier, version, start */
#define LT_REP_CUT_MARK "...[cut from %zu bytes]"
#define LT_REP_CUT_MAX (sizeof(LT_REP_CUT_MARK) + 20) /* bytes of a mark at most */
/* The scratch space (lt_report.scratch) for one event's fields as kept
 * (three long, six short) and its group's key (made of four of them). */
#define LT_REP_SCRATCH \
	(2 * (3 * (LT_REP_STR_LONG + LT_REP_CUT_MAX) + 6 * (LT_REP_STR_SHORT + LT_REP_CUT_MAX)))

/*
 * The tables of distinct values: member of struct lt_report, its name in
 * the JSON report's "not_kept" (the array it would be in), what is counted
 * in it, what its values are, how many distinct values it keeps at most,
 * and the bytes they may take. A value first seen once its table is full
 * is not kept; the events it had are counted (lt_rep_tab.more) and every
 * format says how many were not shown.
 */
#define LT_REP_CORE_TABLES(X)                                              \
	X(by_event, "by_operation", "events", "operations", 256, 1u << 20) \
	X(by_error, "by_error", "failures", "errors", 256, 1u << 20)       \
	X(by_cause, "by_cause", "failures", "causes", 256, 1u << 20)       \
	X(paths, "top_paths", "events", "paths", 100000, 32u << 20)        \
	X(comms, "top_commands", "events", "commands", 100000, 16u << 20)  \
	X(uids, "top_uids", "events", "uids", 100000, 16u << 20)           \
	X(group_set, "groups", "failures", "groups", 100000, 128u << 20)   \
	X(lock_set, "contention", "lock events", "locks", 100000, 64u << 20)

/* The cross-host contention's (xhost.c): files on shares, the holds of
 * their locks, and the rows of failures set against them. */
#define LT_REP_XHOST_TABLES(X)                                                                     \
	X(xlock_set, "cross_host_files", "events on shares", "files on shares", 100000, 32u << 20) \
	X(xhold_set, "cross_host_holds", "lock holds", "holds", 262144, 64u << 20)                 \
	X(xrow_set, "cross_host", "failures while another host held the lock", "rows", 100000,     \
	  32u << 20)

#define LT_REP_TABLES(X) LT_REP_CORE_TABLES(X) LT_REP_XHOST_TABLES(X)

/* Every item of a table starts with its key: the bytes (NUL-terminated
 * for convenience, but compared by length), and their keyed hash. */
struct lt_rep_key {
	char *s;
	size_t n;
	__u64 hash;
};

/* An open-addressed hash table of items (each one allocation, starting
 * with its struct lt_rep_key), bounded as LT_REP_TABLES says. */
struct lt_rep_tab {
	void **slots; /* NULL: empty */
	size_t cap, used;
	size_t max, max_bytes, bytes; /* items and bytes kept at most; bytes kept */
	unsigned long long more; /* events of values not kept: the table was full */
};

/* A value -> count item (operations, errors, causes, paths, commands, uids). */
struct lt_rep_count {
	struct lt_rep_key key;
	unsigned long long n;
	__s64 last_us; /* when last seen */
	__u32 index; /* order of first appearance in its table */
};

/* One distinct failure: the same path, error, cause, comm and uid. The
 * strings live in the same allocation as the group. */
struct lt_rep_group {
	struct lt_rep_key key; /* the six, each ending in a NUL */
	const char *path, *error, *cause, *comm; /* in the key */
	__u32 uid;
	const char *event; /* in the key: open, flock, fcntl_lock, write ... */
	char *detail; /* the cause's detail, first occurrence */
	char *fix; /* the cause's fix, first occurrence ("" if none) */
	char *lsm; /* lsm.name, "" if none */
	char *evidence;
	unsigned long long count;
	__s64 first_us, last_us;
};

/* Who held or waited on a lock, and how often it was seen doing so. */
struct lt_rep_who {
	__u32 pid, uid;
	char comm[LT_COMM_LEN];
	unsigned long long n;
};

#define LT_REP_WHO_MAX 8
#define LT_REP_WAITS_MAX 5

struct lt_rep_wait {
	__s64 t_us;
	__u64 wait_us;
	__u32 pid, holder_pid;
	char comm[LT_COMM_LEN], holder_comm[LT_COMM_LEN];
};

/* Contention on one lock file. */
struct lt_rep_lock {
	struct lt_rep_key key; /* the path (key.s, a C string: a kept path holds no NUL) */
	unsigned long long refused; /* lock_held failures */
	unsigned long long waits; /* lock_wait events */
	__u64 wait_total_us, wait_max_us;
	struct lt_rep_who holders[LT_REP_WHO_MAX];
	int nholders;
	struct lt_rep_who waiters[LT_REP_WHO_MAX];
	int nwaiters;
	struct lt_rep_wait longest[LT_REP_WAITS_MAX]; /* longest first */
	int nlongest;
};

/* A failure on the timeline: when, and which cause (index in causes). */
struct lt_rep_point {
	__s64 t_us;
	__u32 cause;
};

/*
 * The timeline keeps the first LT_REP_POINTS_MAX failures one by one; past
 * them, all of them as counts in LT_REP_BINS time buckets a cause kind
 * (bounded memory whatever the recording's length): bucket i holds the
 * failures at [bins_lo + (i << bins_shift), bins_lo + ((i + 1) << bins_shift))
 * in lt_rep_time_ord() order, and the buckets double in width when a time
 * falls outside them.
 */
#define LT_REP_POINTS_MAX (1u << 20)
#define LT_REP_BINS_LOG 12
#define LT_REP_BINS (1u << LT_REP_BINS_LOG)

/* A time as an unsigned number in the same order. */
static inline __u64 lt_rep_time_ord(__s64 t)
{
	return (__u64)t ^ (1ULL << 63);
}

/* A network mount a header lists, or one a lock event showed: the share it
 * mounts, the path within the share its mount point shows, and the mount
 * namespace it is in (0: any, a header that does not say). */
struct lt_rep_mount {
	char *mount, *share, *share_path;
	size_t mount_len;
	__u64 mntns;
};

/* One recording's header (or a file without one). */
struct lt_rep_source {
	char *file;
	char *host, *kernel, *tier, *version, *start;
	char *machine_id; /* NULL: the header does not say */
	struct lt_rep_mount *mounts; /* its header's, then those its lock events showed */
	size_t nmounts, nlearned;
	unsigned long long mounts_more; /* past LT_REP_MOUNTS (each kind): not kept */
	__u64 mntns; /* its header's: the mount namespace of its mounts */
	/* Cross-host: its host and its tracer's session (a rotated part has
	 * its recording's header: the same session), indexes into the
	 * report's; -1 until known. When it ended: its trailer's end, or its
	 * last event. */
	int host_idx, session_idx;
	__s64 end_us;
	bool have_end;
	unsigned long long format; /* the newest its headers say (0: none says) */
	bool header, trailer;
	unsigned long long seen, written, dropped_kernel, dropped_write;
	unsigned long long lines, events, bad_lines;
	bool torn; /* the last line was cut (no newline, not JSON): skipped */
};

/* ---- cross-host contention (xhost.c) ---- */

/* A tracer's session: its host, and when its recording ended. */
struct lt_rep_session {
	int host;
	char *start; /* its header's start ("" without one: then it is one source) */
	__s64 end_us;
	bool have_end;
};

/* A failure on a file on a share. The names are its values' items in the
 * count tables (NULL if a table did not keep the value). */
struct lt_rep_xfail {
	__s64 t_us;
	int host;
	__u32 pid, uid;
	const struct lt_rep_count *event, *error, *cause, *comm;
};

#define LT_REP_XWHERE 4 /* hosts' own paths of a file on a share, kept */
#define LT_REP_XFAILS_MAX (1u << 19) /* failures on shares kept, at most */

/* A file on a share: the share, and the path within it (the key: the two,
 * a NUL between). */
struct lt_rep_xlock {
	struct lt_rep_key key;
	const char *share, *share_path; /* in the key */
	__u32 index;
	struct lt_rep_xhold **holds;
	size_t nholds, holds_cap;
	struct lt_rep_xfail *fails;
	size_t nfails, fails_cap;
	struct {
		int host;
		char *path;
	} where[LT_REP_XWHERE]; /* as the first hosts named it */
	int nwhere;
	unsigned long long matched; /* its failures another host's hold covered */
	size_t row0, nrows; /* its rows: xrows[row0 .. row0 + nrows) */
};

/* One lock held on a share's file, from its acquisition to its release
 * (or the end of its session's recording: open). Keyed by its session and
 * its id (binary). */
struct lt_rep_xhold {
	struct lt_rep_key key;
	struct lt_rep_xlock *lock;
	int host, session;
	__u32 index, pid, uid;
	__u64 id;
	char comm[LT_COMM_LEN];
	char kind[8], type[16];
	__s64 from_us, to_us;
	bool have_from, have_to, open;
	bool have_who; /* pid, uid, comm: of its acquisition (else of its release) */
};

/* Failures on one host that another host's hold covered: the same file,
 * holder, host, process, operation, error and cause. */
struct lt_rep_xrow {
	struct lt_rep_key key;
	struct lt_rep_xlock *lock;
	struct lt_rep_xhold *holder;
	int host;
	__u32 pid, uid;
	const struct lt_rep_count *event, *error, *cause, *comm;
	unsigned long long count;
	__s64 first_us, last_us;
	unsigned long long others; /* most other holds on other hosts covering one of them */
};

struct lt_report {
	const struct lt_rep_opts *opts;
	__s64 first_us, last_us; /* of the events reported */
	unsigned long long events; /* after the filters */
	unsigned long long failures, waits, filtered_out;
#define X(member, ...) struct lt_rep_tab member;
	LT_REP_TABLES(X)
#undef X
	/* After lt_report_finish: the groups and locks kept, sorted. */
	struct lt_rep_group **groups;
	size_t ngroups;
	struct lt_rep_lock **locks;
	size_t nlocks;
	struct lt_rep_point *points;
	size_t npoints, points_cap, points_max;
	/* Past points_max: bins_rows rows (a kind each, the last for kinds
	 * not kept) of LT_REP_BINS counts; points is then empty. */
	unsigned long long *bins;
	size_t bins_rows;
	__u64 bins_lo;
	unsigned int bins_shift;
	/* After lt_report_finish: the cause kinds (by_cause's keys) by their
	 * index, lt_rep_point.cause; a point whose kind by_cause did not keep
	 * has an index past the last. */
	char **cause_names;
	size_t ncause_names;
	unsigned long long cut; /* strings cut to their field's limit */
	struct lt_rep_source *sources;
	size_t nsources;
	/* Cross-host (xhost.c): the hosts and sessions the sources name; the
	 * failures on shares kept (at most xfails_max; the others counted in
	 * xfails_more), their total, how many another host's hold covered;
	 * holds reported untracked (no release to pair them with); and after
	 * lt_report_finish the files on shares with rows, and the rows. */
	char **hosts;
	size_t nhosts;
	struct lt_rep_session *sessions;
	size_t nsessions;
	size_t xfails_max;
	unsigned long long xfails, xfails_kept, xfails_more, xmatched, xuntracked;
	struct lt_rep_xlock **xlocks;
	size_t nxlocks;
	struct lt_rep_xrow **xrows;
	size_t nxrows;
	void *tok; /* the JSON parser (parse.h) */
	uint64_t hash_key[2]; /* the tables' SipHash key: random, one a report */
	char *scratch; /* LT_REP_SCRATCH bytes: the event being read, as kept */
	size_t scratch_used;
	bool oom;
};

/* ---- ingest.c: the model's life, and reading into it ---- */

/* "2026-11-24T10:41:07.5Z", "2026-11-24T10:41:07+02:00", "2026-11-24 10:41:07"
 * (UTC), "2026-11-24" (midnight UTC): microseconds since the epoch. -1 if
 * invalid. */
int lt_rep_parse_time(const char *s, __s64 *us);

void lt_report_init(struct lt_report *r, const struct lt_rep_opts *opts);
void lt_report_free(struct lt_report *r);
/* Start a new source (file); lines added after belong to it. */
struct lt_rep_source *lt_report_source(struct lt_report *r, const char *file);
/* One line of a recording (no newline; need not be NUL-terminated).
 * Untrusted: anything that is not a header, trailer or event is counted in
 * the source's bad_lines. */
void lt_report_line(struct lt_report *r, const char *line, size_t len);
/* The same, for a line followed by LT_REP_PADDING readable bytes in a
 * buffer of @cap bytes from @line (no copy). */
void lt_report_line_padded(struct lt_report *r, const char *line, size_t len, size_t cap);
/* A whole buffer of lines, as read from a file: a last line without its
 * newline that does not parse is the torn end of a killed recording. */
void lt_report_buffer(struct lt_report *r, const char *data, size_t len);

/* ---- group.c ---- */

/* Sort groups, locks and points for rendering; name the cause kinds. */
void lt_report_finish(struct lt_report *r);

/* ---- table.c ---- */

/* A table's items, the most frequent first (then by key), at most @max
 * of them (after lt_report_finish). */
size_t lt_rep_tab_sorted(const struct lt_rep_tab *t, const struct lt_rep_count **out, size_t max);
/* The keyed hash of s[0..n) (any bytes), and one event of value s[0..n)
 * with hash h counted at t_us in a count table. Returns its item, or NULL
 * when the table did not keep it (counted in t->more). */
__u64 lt_rep_hash(const struct lt_report *r, const char *s, size_t n);
struct lt_rep_count *lt_rep_count_add(struct lt_report *r, struct lt_rep_tab *t, const char *s,
				      size_t n, __u64 h, __s64 t_us);

#endif /* LOCKTRACE_REPORT_MODEL_H */
