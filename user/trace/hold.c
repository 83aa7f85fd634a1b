// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --holders' lock events in JSON: the lock taken or let go, its share; see
 * hold.h. */
#include <fcntl.h>
#include <string.h>
#include "common/buf.h"
#include "common/decode.h"
#include "common/share.h"
#include "common/text.h"
#include "hold.h"

/* The lock layer's FL_FLOCK and FL_OFDLCK (include/linux/filelock.h). */
#define LT_FL_FLOCK 2
#define LT_FL_OFDLCK 1024

bool lt_hold_is_flock(const struct lt_event *ev)
{
	return ev->fl_flags & LT_FL_FLOCK;
}

/* "flock", "ofd" (fcntl F_OFD_SETLK) or "posix" (fcntl F_SETLK). */
static const char *hold_kind(const struct lt_event *ev)
{
	return lt_hold_is_flock(ev) ? "flock" : ev->fl_flags & LT_FL_OFDLCK ? "ofd" : "posix";
}

/* The system call that took or let go of it: the lock call, close or exit. */
const char *lt_hold_syscall(const struct lt_event *ev, const struct lt_hold *h)
{
	if (h->state == LT_HOLD_RELEASED && h->how == LT_HOLD_CLOSE)
		return "close";
	if (h->state == LT_HOLD_RELEASED && h->how == LT_HOLD_EXIT)
		return "exit";
	return lt_hold_is_flock(ev) ? "flock" : "fcntl";
}

/* How it went: "unlock", "close", "exit". */
static const char *hold_release(const struct lt_hold *h)
{
	return h->how == LT_HOLD_CLOSE ? "close" : h->how == LT_HOLD_EXIT ? "exit" : "unlock";
}

/* As the call would name it: LOCK_EX, LOCK_SH, LOCK_UN; F_WRLCK ... */
const char *lt_hold_flags(const struct lt_event *ev, const struct lt_hold *h)
{
	bool released = h->state == LT_HOLD_RELEASED;

	if (lt_hold_is_flock(ev))
		return released ? "LOCK_UN" : h->type == F_WRLCK ? "LOCK_EX" : "LOCK_SH";
	return released ? "F_UNLCK" : lt_lock_type_name(h->type) ?: "?";
}

/* "hold":{...}: the hold's id, the lock as held, the share it is on. */
void lt_hold_json(struct lt_buf *b, const struct lt_event *ev, const struct lt_hold *h, bool *first)
{
	struct lt_buf share = {}, spath = {};
	bool hf = true;

	lt_json_key(b, "hold", first);
	lt_buf_puts(b, "{");
	lt_json_key(b, "id", &hf);
	lt_buf_u64(b, h->id);
	lt_json_key(b, "kind", &hf);
	lt_buf_printf(b, "\"%s\"", hold_kind(ev));
	lt_json_key(b, "type", &hf);
	lt_buf_printf(b, "\"%s\"", lt_lock_type_name(h->type) ?: "?");
	lt_json_key(b, "start", &hf);
	lt_buf_s64(b, h->start);
	lt_json_key(b, "end", &hf);
	lt_buf_s64(b, h->end);
	if (h->state == LT_HOLD_RELEASED) {
		lt_json_key(b, "held_us", &hf);
		lt_buf_u64(b, h->held_ns / 1000);
		lt_json_key(b, "release", &hf);
		lt_buf_printf(b, "\"%s\"", hold_release(h));
	}
	lt_json_key(b, "fs", &hf);
	lt_json_str(b, h->fstype, strnlen(h->fstype, LT_FSTYPE_LEN));
	if (h->mount_len && h->mount_len < ev->path_len) {
		lt_json_key(b, "mount", &hf);
		lt_json_str(b, ev->path, h->mount_len);
	}
	lt_share_of(h->source, h->source_len, h->path, h->path_len, &share, &spath);
	lt_json_key(b, "share", &hf);
	lt_json_str(b, share.data ? share.data : "", share.len);
	lt_json_key(b, "share_path", &hf);
	lt_json_str(b, spath.data ? spath.data : "", spath.len);
	lt_buf_free(&share);
	lt_buf_free(&spath);
	if (h->flags & LT_HOLD_UNTRACKED) {
		lt_json_key(b, "untracked", &hf);
		lt_buf_puts(b, "true");
	}
	if (h->flags & LT_HOLD_KTHREAD) {
		lt_json_key(b, "kernel_thread", &hf);
		lt_buf_puts(b, "true");
	}
	if (h->flags & (LT_HOLD_SOURCE_TRUNCATED | LT_HOLD_PATH_TRUNCATED)) {
		lt_json_key(b, "share_truncated", &hf);
		lt_buf_puts(b, "true");
	}
	lt_buf_puts(b, "}");
}

/* ---- JSON ------------------------------------------------------------ */
