// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Events to text lines and JSON Lines (the live view, the recording); see
 * format.h. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "common/decode.h"
#include "common/event.h"
#include "common/share.h"
#include "format.h"
#include "hold.h"
#include "common/text.h"
#include "common/timefmt.h"

#define NSEC_PER_SEC 1000000000LL

/* The error name shown for an event ("EWOULDBLOCK" for a flock EAGAIN),
 * NULL on success. */
static const char *event_error(const struct lt_event *ev)
{
	if (ev->ret >= 0)
		return NULL;
	return lt_errno_name_for((int)-ev->ret, ev->syscall);
}

static void split_time(const struct lt_event *ev, const struct lt_fmt *f, struct tm *tm, long *nsec,
		       bool utc)
{
	__s64 real = (__s64)ev->ts_boot_ns + f->boot_to_real_ns;
	time_t sec = real / NSEC_PER_SEC;

	*nsec = real % NSEC_PER_SEC;
	if (utc)
		gmtime_r(&sec, tm);
	else
		localtime_r(&sec, tm);
}

/* To the microsecond, as every time the tracer writes (common/timefmt.c). */
void lt_format_utc(__s64 real, char *buf, size_t len)
{
	lt_time_utc(real / 1000, LT_TIME_USEC, buf, len);
}

static bool is_open(const struct lt_event *ev)
{
	return lt_sys_is_open(ev->syscall);
}

/* The call named its file (an open, truncate by name): the name as passed
 * is part of the path. */
static bool by_name(const struct lt_event *ev)
{
	return is_open(ev) || lt_sys_by_name(ev->syscall);
}

static void json_u64(struct lt_buf *b, const char *key, __u64 v, bool *first)
{
	lt_json_key(b, key, first);
	lt_buf_u64(b, v);
}

static void json_s64(struct lt_buf *b, const char *key, __s64 v, bool *first)
{
	lt_json_key(b, key, first);
	lt_buf_s64(b, v);
}

static void json_cstr(struct lt_buf *b, const char *key, const char *s, bool *first)
{
	lt_json_key(b, key, first);
	lt_json_str(b, s, strlen(s));
}

/* A descriptor's file (lock and I/O calls): its inode as the kernel saw it
 * at the call. */
static void json_inode(struct lt_buf *b, const struct lt_event *ev, bool *first)
{
	if (!(ev->ev_flags & LT_EVF_HAVE_INODE))
		return;
	json_u64(b, "ino", ev->ino, first);
	lt_json_key(b, "dev", first);
	lt_buf_printf(b, "\"%u:%u\"", ev->dev >> 20, ev->dev & 0xfffff);
	lt_json_key(b, "inode", first);
	lt_buf_printf(b,
		      "{\"mode\":\"%04o\",\"uid\":%u,\"gid\":%u,\"fs_magic\":\"0x%" PRIx64
		      "\",\"mount_readonly\":%s",
		      ev->i_mode & 07777, ev->i_uid, ev->i_gid, (uint64_t)ev->fs_magic,
		      ev->mnt_flags & 0x40 ? "true" : "false");
	if (ev->i_flags & LT_S_IMMUTABLE)
		lt_buf_puts(b, ",\"immutable\":true");
	if (ev->i_flags & LT_S_APPEND)
		lt_buf_puts(b, ",\"append_only\":true");
	lt_buf_puts(b, "}");
}

/* An I/O call: the descriptor's open flags and the descriptor (truncate by
 * name has neither), and what the call asked, "io":{...}. */
static void json_io(struct lt_buf *b, const struct lt_event *ev, bool *first)
{
	__u32 sys = ev->syscall;
	bool f = true;
	char tmp[160];

	if (!lt_sys_by_name(sys)) {
		lt_open_flags_str(ev->open_flags, tmp, sizeof(tmp));
		json_cstr(b, "flags", tmp, first);
		json_s64(b, "fd", ev->fd, first);
	}
	lt_json_key(b, "io", first);
	lt_buf_puts(b, "{");
	if (lt_sys_is_truncate(sys)) {
		json_s64(b, "length", ev->io_off, &f);
	} else if (sys == LT_SYS_FALLOCATE) {
		lt_falloc_mode_str(ev->io_flags, tmp, sizeof(tmp));
		json_cstr(b, "mode", tmp, &f);
		json_s64(b, "offset", ev->io_off, &f);
		json_s64(b, "len", (__s64)ev->io_len, &f);
	} else {
		bool vec = sys == LT_SYS_READV || sys == LT_SYS_WRITEV || sys == LT_SYS_PREADV ||
			   sys == LT_SYS_PWRITEV || sys == LT_SYS_PREADV2 || sys == LT_SYS_PWRITEV2;

		if (sys != LT_SYS_READ && sys != LT_SYS_WRITE && sys != LT_SYS_READV &&
		    sys != LT_SYS_WRITEV)
			json_s64(b, "offset", ev->io_off, &f);
		json_u64(b, vec ? "iovcnt" : "count", ev->io_len, &f);
		if (sys == LT_SYS_PREADV2 || sys == LT_SYS_PWRITEV2) {
			lt_rwf_str(ev->io_flags, tmp, sizeof(tmp));
			json_cstr(b, "flags", tmp, &f);
		}
	}
	lt_buf_puts(b, "}");
	json_inode(b, ev, first);
}

void lt_format_json(struct lt_buf *b, const struct lt_event *ev, const struct lt_verdict *v,
		    const struct lt_fmt *f)
{
	const char *err = event_error(ev);
	const struct lt_hold *hold = lt_event_hold(ev);
	size_t comm_len = strnlen(ev->comm, LT_COMM_LEN);
	bool first = true;
	char tmp[256];
	__u32 i, ng;

	lt_format_utc((__s64)ev->ts_boot_ns + f->boot_to_real_ns, tmp, sizeof(tmp));
	lt_buf_puts(b, "{");
	lt_json_key(b, "time", &first);
	lt_buf_put(b, "\"", 1);
	lt_buf_puts(b, tmp);
	lt_buf_put(b, "\"", 1);
	json_cstr(b, "event",
		  hold ? (hold->state == LT_HOLD_RELEASED ? "lock_released" : "lock_acquired") :
		  ev->ev_flags & LT_EVF_LOCK_WAIT ? "lock_wait" :
						    lt_event_kind(ev->syscall),
		  &first);
	json_cstr(b, "syscall", hold ? lt_hold_syscall(ev, hold) : lt_syscall_name(ev->syscall),
		  &first);
	if (ev->ev_flags & LT_EVF_IA32)
		json_cstr(b, "abi", "ia32", &first);
	json_u64(b, "pid", ev->tgid, &first);
	json_u64(b, "tid", ev->tid, &first);
	json_u64(b, "ppid", ev->ppid, &first);
	json_u64(b, "uid", ev->uid, &first);
	json_u64(b, "gid", ev->gid, &first);
	json_u64(b, "euid", ev->euid, &first);
	json_u64(b, "egid", ev->egid, &first);
	json_u64(b, "fsuid", ev->fsuid, &first);
	json_u64(b, "fsgid", ev->fsgid, &first);
	if (ev->ev_flags & LT_EVF_HAVE_AUID)
		json_u64(b, "auid", ev->auid, &first);
	lt_json_key(b, "groups", &first);
	lt_buf_puts(b, "[");
	ng = ev->ngroups < LT_MAX_GROUPS ? ev->ngroups : LT_MAX_GROUPS;
	for (i = 0; i < ng; i++)
		lt_buf_printf(b, "%s%u", i ? "," : "", ev->groups[i]);
	lt_buf_puts(b, "]");
	if (ev->ev_flags & LT_EVF_GROUPS_TRUNCATED)
		json_u64(b, "ngroups", ev->ngroups, &first);
	lt_json_key(b, "cap_eff", &first);
	lt_buf_printf(b, "\"0x%" PRIx64 "\"", (uint64_t)ev->cap_eff);
	lt_json_key(b, "comm", &first);
	lt_json_str(b, ev->comm, comm_len);

	lt_json_key(b, "path", &first);
	lt_json_str(b, ev->path, ev->path_len);
	if (!lt_utf8_valid(ev->path, ev->path_len)) {
		lt_json_key(b, "path_hex", &first);
		lt_json_hex(b, ev->path, ev->path_len);
	}
	if (by_name(ev) && ev->arg_off > 0 && ev->arg_off < ev->path_len) {
		lt_json_key(b, "path_arg", &first);
		lt_json_str(b, ev->path + ev->arg_off, ev->path_len - ev->arg_off);
	}
	if (ev->ev_flags & LT_EVF_PATH_TRUNCATED) {
		lt_json_key(b, "path_truncated", &first);
		lt_buf_puts(b, "true");
	}

	if (ev->ev_flags & LT_EVF_ARGS_UNREADABLE) {
		lt_json_key(b, "args_unreadable", &first);
		lt_buf_puts(b, "true");
	}

	if (is_open(ev)) {
		/* openat2's flags come from its struct open_how. */
		if (ev->ev_flags & LT_EVF_ARGS_UNREADABLE)
			snprintf(tmp, sizeof(tmp), "?");
		else
			lt_open_flags_str(ev->open_flags, tmp, sizeof(tmp));
		json_cstr(b, "flags", tmp, &first);
		if (ev->open_flags & (O_CREAT | __O_TMPFILE)) {
			lt_json_key(b, "mode", &first);
			lt_buf_printf(b, "\"%04o\"", ev->open_mode & 07777);
		}
		if (ev->fd != AT_FDCWD)
			json_s64(b, "dirfd", ev->fd, &first);
		if (ev->syscall == LT_SYS_OPENAT2 && !(ev->ev_flags & LT_EVF_ARGS_UNREADABLE)) {
			lt_resolve_str(ev->resolve, tmp, sizeof(tmp));
			json_cstr(b, "resolve", tmp, &first);
		}
	} else if (lt_sys_is_io(ev->syscall)) {
		json_io(b, ev, &first);
	} else if (hold) {
		json_cstr(b, "flags", lt_hold_flags(ev, hold), &first);
		if (hold->flags & LT_HOLD_HAVE_FD)
			json_s64(b, "fd", ev->fd, &first);
	} else {
		if (ev->syscall == LT_SYS_FLOCK)
			lt_flock_op_str(ev->lock_cmd, tmp, sizeof(tmp));
		else
			snprintf(tmp, sizeof(tmp), "%s", lt_fcntl_cmd_name(ev->lock_cmd) ?: "?");
		json_cstr(b, "flags", tmp, &first);
		json_s64(b, "fd", ev->fd, &first);
		if (lt_sys_fcntl(ev->syscall)) {
			bool lf = true;

			lt_json_key(b, "lock", &first);
			lt_buf_puts(b, "{");
			json_cstr(b, "cmd", lt_fcntl_cmd_name(ev->lock_cmd) ?: "?", &lf);
			if (ev->ev_flags & LT_EVF_HAVE_FLOCK) {
				json_cstr(b, "type", lt_lock_type_name(ev->lock_type) ?: "?", &lf);
				json_cstr(b, "whence", lt_whence_name(ev->lock_whence) ?: "?", &lf);
				json_s64(b, "start", ev->lock_start, &lf);
				json_s64(b, "len", ev->lock_len, &lf);
				json_s64(b, "pid", ev->lock_pid, &lf);
			}
			lt_buf_puts(b, "}");
		}
	}
	if (!is_open(ev) && !lt_sys_is_io(ev->syscall)) {
		json_inode(b, ev, &first);
		if (ev->ev_flags & LT_EVF_HAVE_FL) {
			bool lf = true;

			lt_json_key(b, "lock_layer", &first);
			lt_buf_puts(b, "{");
			json_cstr(b, "type", lt_lock_type_name(ev->fl_type) ?: "?", &lf);
			lt_fl_flags_str(ev->fl_flags, tmp, sizeof(tmp));
			json_cstr(b, "flags", tmp, &lf);
			json_s64(b, "start", ev->fl_start, &lf);
			json_s64(b, "end", ev->fl_end, &lf);
			json_s64(b, "ret", ev->fl_ret, &lf);
			lt_buf_puts(b, "}");
		}
	}
	if (hold)
		lt_hold_json(b, ev, hold, &first);
	if (ev->ev_flags & LT_EVF_LOCK_WAIT) {
		bool lf = true;

		json_u64(b, "wait_us", ev->wait_ns / 1000, &first);
		lt_json_key(b, "holder", &first);
		lt_buf_puts(b, "{");
		json_u64(b, "pid", ev->blocker_pid, &lf);
		if (v && v->blocker_comm[0]) {
			lt_json_key(b, "comm", &lf);
			lt_json_str(b, v->blocker_comm, strnlen(v->blocker_comm, LT_COMM_LEN));
		}
		lt_buf_puts(b, "}");
		if (ev->releaser_pid) {
			lf = true;
			lt_json_key(b, "released_by", &first);
			lt_buf_puts(b, "{");
			json_u64(b, "pid", ev->releaser_pid, &lf);
			if (v && v->releaser_comm[0]) {
				lt_json_key(b, "comm", &lf);
				lt_json_str(b, v->releaser_comm,
					    strnlen(v->releaser_comm, LT_COMM_LEN));
			}
			lt_buf_puts(b, "}");
		}
	}
	if (ev->ev_flags & LT_EVF_BAD_FD) {
		lt_json_key(b, "bad_fd", &first);
		lt_buf_puts(b, "true");
	}
	json_s64(b, "ret", ev->ret, &first);
	json_s64(b, "errno", ev->ret < 0 ? -ev->ret : 0, &first);
	if (err) {
		json_cstr(b, "error", err, &first);
	} else if (ev->ret < 0) {
		lt_json_key(b, "error", &first);
		lt_buf_printf(b, "\"E%" PRId64 "\"", (int64_t)-ev->ret);
	}
	json_u64(b, "cgroup_id", ev->cgroup_id, &first);
	json_u64(b, "mntns", ev->mntns, &first);
	json_u64(b, "userns", ev->userns, &first);
	if (v && v->cause_json)
		lt_buf_put(b, v->cause_json, v->cause_json_len);
	else if (v && v->cause.kind != LT_CAUSE_NONE)
		lt_cause_json(b, v);
	lt_buf_puts(b, "}");
}

/* ---- text ------------------------------------------------------------ */

#define W_TIME 12
#define W_PID 7
#define W_UID 6
#define W_COMM 15
#define W_OP 14
#define W_RESULT 11
#define W_FIXED (W_TIME + W_PID + W_UID + W_COMM + W_OP + W_RESULT + 6)
#define W_PATH_MIN 24

static int path_width(const struct lt_fmt *f)
{
	int w = f->columns - W_FIXED;

	return w < W_PATH_MIN ? W_PATH_MIN : w;
}

/* s[0..n) for the text view (lt_text_str, '\\' escaped too): one event
 * stays one line, the line stays valid UTF-8, and nothing in it commands
 * the terminal or reorders what it shows. */
static void text_escape(struct lt_buf *b, const char *s, size_t n)
{
	lt_text_str(b, s, n, true);
}

/* Pad from column start to width. */
static void pad_to(struct lt_buf *b, size_t start, int width)
{
	while (b->len - start < (size_t)width + 1)
		lt_buf_put(b, " ", 1);
}

void lt_format_text_header(struct lt_buf *b, const struct lt_fmt *f)
{
	lt_buf_printf(b, "%-*s %-*s %-*s %-*s %-*s %-*s %-*s CAUSE", W_TIME, "TIME", W_PID, "PID",
		      W_UID, "UID", W_COMM, "COMM", W_OP, "OP", f->wide ? 0 : path_width(f), "PATH",
		      W_RESULT, "RESULT");
}

static void text_op(const struct lt_event *ev, char *buf, size_t len)
{
	const struct lt_hold *hold = lt_event_hold(ev);
	char tmp[64];

	if (hold) {
		/* "acquired EX" (flock), "released W" (POSIX or OFD) */
		bool flk = lt_hold_is_flock(ev), wr = hold->type == F_WRLCK;

		snprintf(buf, len, "%s %s",
			 hold->state == LT_HOLD_RELEASED ? "released" : "acquired",
			 flk ? (wr ? "EX" : "SH") : (wr ? "W" : "R"));
	} else if (ev->syscall == LT_SYS_FLOCK) {
		char *p;

		lt_flock_op_str(ev->lock_cmd, tmp, sizeof(tmp));
		/* LOCK_EX|LOCK_NB -> EX|NB */
		while ((p = strstr(tmp, "LOCK_")))
			memmove(p, p + 5, strlen(p + 5) + 1);
		snprintf(buf, len, "flock %s", tmp);
	} else if (lt_sys_fcntl(ev->syscall)) {
		const char *cmd = lt_fcntl_cmd_name(ev->lock_cmd) ?: "F_?";
		const char *type = "";

		if (ev->ev_flags & LT_EVF_HAVE_FLOCK)
			type = ev->lock_type == F_RDLCK ? ":R" :
			       ev->lock_type == F_WRLCK ? ":W" :
			       ev->lock_type == F_UNLCK ? ":U" :
							  ":?";
		snprintf(buf, len, "%s%s", cmd + 2, type);
	} else if (lt_sys_is_truncate(ev->syscall)) {
		snprintf(buf, len, "%s %" PRId64, lt_syscall_name(ev->syscall),
			 (int64_t)ev->io_off);
	} else if (lt_sys_is_io(ev->syscall)) {
		snprintf(buf, len, "%s", lt_syscall_name(ev->syscall));
	} else {
		if (ev->ev_flags & LT_EVF_ARGS_UNREADABLE)
			snprintf(tmp, sizeof(tmp), "?");
		else
			lt_open_access_short(ev->open_flags, tmp, sizeof(tmp));
		snprintf(buf, len, "%s %s", lt_syscall_name(ev->syscall), tmp);
	}
}

/* After a hold event's result: "hold 4097 on //srv/share/site/x.lock",
 * "hold 4097: held 1.250 s, let go at a close". */
static void text_hold(struct lt_buf *b, const struct lt_hold *h, size_t start)
{
	struct lt_buf share = {}, spath = {};

	pad_to(b, start, W_RESULT);
	lt_buf_printf(b, "hold %llu", (unsigned long long)h->id);
	if (h->state == LT_HOLD_RELEASED) {
		lt_buf_printf(b, ": held %.3f s, let go %s", h->held_ns / 1e9,
			      h->how == LT_HOLD_CLOSE ? "at a close" :
			      h->how == LT_HOLD_EXIT  ? "at the exit" :
							"by an unlock call");
		return;
	}
	if (h->flags & LT_HOLD_UNTRACKED)
		lt_buf_puts(b, " (untracked: holds full)");
	lt_share_of(h->source, h->source_len, h->path, h->path_len, &share, &spath);
	lt_buf_puts(b, " on ");
	if (share.data)
		text_escape(b, share.data, share.len);
	if (spath.data)
		text_escape(b, spath.data, spath.len);
	lt_buf_free(&share);
	lt_buf_free(&spath);
}

void lt_format_text(struct lt_buf *b, const struct lt_event *ev, const struct lt_verdict *v,
		    const struct lt_fmt *f)
{
	const char *err = event_error(ev);
	size_t start;
	char tmp[64], op[128];
	bool waited, caused;
	struct tm tm;
	long nsec;
	int pw = path_width(f);

	split_time(ev, f, &tm, &nsec, false);
	strftime(tmp, sizeof(tmp), "%H:%M:%S", &tm);
	lt_buf_printf(b, "%s.%03ld %-*u %-*u ", tmp, nsec / 1000000, W_PID, ev->tgid, W_UID,
		      ev->uid);
	start = b->len;
	text_escape(b, ev->comm, strnlen(ev->comm, LT_COMM_LEN));
	pad_to(b, start, W_COMM);
	text_op(ev, op, sizeof(op));
	lt_buf_printf(b, "%-*s ", W_OP, op);

	start = b->len;
	if (f->wide || (int)ev->path_len <= pw) {
		text_escape(b, ev->path, ev->path_len);
	} else {
		/* Keep the head and the file name: "/home/si...locks/status.lock" */
		int head = pw / 3, tail = pw - head - 3;

		text_escape(b, ev->path, head);
		lt_buf_puts(b, "...");
		text_escape(b, ev->path + ev->path_len - tail, tail);
	}
	if (!f->wide)
		pad_to(b, start, pw);
	else
		lt_buf_put(b, " ", 1);
	start = b->len;
	if (err)
		lt_buf_puts(b, err);
	else if (ev->ret < 0)
		lt_buf_printf(b, "E%" PRId64, (int64_t)-ev->ret);
	else
		lt_buf_puts(b, "ok");
	if (lt_event_hold(ev)) {
		text_hold(b, lt_event_hold(ev), start);
		return;
	}
	waited = ev->ev_flags & LT_EVF_LOCK_WAIT;
	caused = v && v->cause.kind != LT_CAUSE_NONE;
	if (waited || caused)
		pad_to(b, start, W_RESULT);
	if (waited) {
		lt_buf_printf(b, "lock_wait: waited %.1f ms for pid %u", ev->wait_ns / 1e6,
			      ev->blocker_pid);
		if (v && v->blocker_comm[0]) {
			lt_buf_puts(b, " (");
			text_escape(b, v->blocker_comm, strnlen(v->blocker_comm, LT_COMM_LEN));
			lt_buf_puts(b, ")");
		}
		if (ev->releaser_pid) {
			lt_buf_printf(b, ", released by pid %u", ev->releaser_pid);
			if (v && v->releaser_comm[0]) {
				lt_buf_puts(b, " (");
				text_escape(b, v->releaser_comm,
					    strnlen(v->releaser_comm, LT_COMM_LEN));
				lt_buf_puts(b, ")");
			}
		}
		if (caused)
			lt_buf_puts(b, "; ");
	}
	if (caused) {
		lt_buf_printf(b, "%s: ", lt_cause_kind_name(v->cause.kind));
		text_escape(b, v->cause.detail, strlen(v->cause.detail));
	}
}
