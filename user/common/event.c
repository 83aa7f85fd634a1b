// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The ring buffer's access records: checked before anything reads them. */
#include <string.h>
#include "event.h"

/* Where the struct lt_remote of an event would start: after path[], and
 * after the LSM tier's record when there is one, 8-byte aligned. */
static size_t remote_offset(const struct lt_event *ev)
{
	size_t off = LT_DENY_OFFSET(ev->path_len);

	if (ev->ev_flags & LT_EVF_HAVE_DENY) {
		const struct lt_deny *d = (const void *)((const char *)ev + off);

		off = (off + sizeof(*d) + d->path_len + 1 + 7) & ~(size_t)7;
	}
	return off;
}

/* The hold after the path: within the record, its strings terminated. */
static int hold_check(const struct lt_event *ev)
{
	size_t off = LT_HOLD_OFFSET(ev->path_len);
	const struct lt_hold *h = (const void *)((const char *)ev + off);

	if ((ev->ev_flags & LT_EVF_HAVE_DENY) || off + sizeof(*h) + 1 > ev->size ||
	    h->path_len >= LT_HOLD_PATH_MAX || off + sizeof(*h) + h->path_len + 1 > ev->size ||
	    h->path[h->path_len] || h->source_len >= LT_SOURCE_MAX || h->source[h->source_len] ||
	    !memchr(h->fstype, '\0', LT_FSTYPE_LEN))
		return -1;
	return 0;
}

int lt_event_check(const void *data, size_t size)
{
	const struct lt_event *ev = data;

	if (size < sizeof(*ev) || ev->type != LT_REC_ACCESS || ev->size > size ||
	    ev->size < sizeof(*ev) + 1 || ev->path_len >= LT_PATH_MAX ||
	    sizeof(*ev) + ev->path_len + 1 > ev->size || ev->arg_off > ev->path_len ||
	    ev->path[ev->path_len] != '\0')
		return -1;
	if (ev->ev_flags & LT_EVF_HAVE_DENY) {
		size_t off = LT_DENY_OFFSET(ev->path_len);
		const struct lt_deny *d = (const void *)((const char *)data + off);

		if (off + sizeof(*d) + 1 > ev->size || d->path_len >= LT_PATH_MAX ||
		    off + sizeof(*d) + d->path_len + 1 > ev->size || d->path[d->path_len] ||
		    ((d->flags & LT_DENY_HAS_NAME) && d->name_off > d->path_len))
			return -1;
	}
	if ((ev->ev_flags & LT_EVF_HAVE_REMOTE) &&
	    remote_offset(ev) + sizeof(struct lt_remote) > ev->size)
		return -1;
	if ((ev->ev_flags & LT_EVF_HAVE_HOLD) && hold_check(ev))
		return -1;
	return 0;
}

const struct lt_deny *lt_event_deny(const struct lt_event *ev)
{
	if (!(ev->ev_flags & LT_EVF_HAVE_DENY))
		return NULL;
	return (const void *)((const char *)ev + LT_DENY_OFFSET(ev->path_len));
}

const struct lt_remote *lt_event_remote(const struct lt_event *ev)
{
	if (!(ev->ev_flags & LT_EVF_HAVE_REMOTE))
		return NULL;
	return (const void *)((const char *)ev + remote_offset(ev));
}

const struct lt_hold *lt_event_hold(const struct lt_event *ev)
{
	if (!(ev->ev_flags & LT_EVF_HAVE_HOLD))
		return NULL;
	return (const void *)((const char *)ev + LT_HOLD_OFFSET(ev->path_len));
}
