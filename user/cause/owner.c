// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A lock file's content to the owner it names (see owner.h): which form it
 * is, the text forms ("4711", "4711@web-1", "4711 web-1") read here, a
 * JSON object by ownerjson.c; whether a host is ours; whether a failure's
 * lock file is worth reading. Hostile bytes, no I/O.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include "common/util.h"
#include "owner.h"

const char *lt_owner_form_name(enum lt_owner_form form)
{
	static const char *const names[] = {
#define LT_X(e, name) [e] = name,
		LT_OWNER_FORMS(LT_X)
#undef LT_X
	};

	return (unsigned int)form < ARRAY_SIZE(names) ? names[form] : "none";
}

/* Nothing but blanks (and NUL padding) to the end of the line. */
static bool blank_to_eol(const char *p, const char *end)
{
	for (; p < end && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\0')
			return false;
	return true;
}

/* The first line: "4711", "4711@web-1" or "4711 web-1". */
static enum lt_owner_form text_line(const char *p, const char *end, struct lt_owner_hint *h)
{
	const char *d = p, *host;
	enum lt_owner_form form;
	size_t n;

	while (p < end && *p >= '0' && *p <= '9')
		p++;
	h->pid = lt_owner_pid(d, p - d);
	if (!h->pid)
		return LT_OWNER_NONE;
	if (blank_to_eol(p, end))
		return LT_OWNER_PID;
	if (*p == '@') {
		form = LT_OWNER_PID_AT_HOST;
		p++;
	} else if (*p == ' ' || *p == '\t') {
		form = LT_OWNER_PID_HOST;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
	} else {
		h->pid = 0;
		return LT_OWNER_NONE;
	}
	host = p;
	while (p < end && *p != '\n' && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\0')
		p++;
	n = p - host;
	if (!lt_owner_host_ok(host, n) || !blank_to_eol(p, end)) {
		h->pid = 0;
		return LT_OWNER_NONE;
	}
	if (n >= sizeof(h->host)) {
		n = sizeof(h->host) - 1;
		h->cut = true;
	}
	memcpy(h->host, host, n);
	h->host[n] = '\0';
	return form;
}

enum lt_owner_form lt_owner_parse(const char *head, size_t hn, const char *tail, size_t tn,
				  struct lt_owner_hint *h)
{
	const char *p = head, *end = head + hn;

	memset(h, 0, sizeof(*h));
	if (!head)
		return LT_OWNER_NONE;
	if (hn >= 3 && !memcmp(head, "\xef\xbb\xbf", 3))
		p += 3; /* a UTF-8 byte order mark */
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p < end && *p == '{') {
		lt_owner_json(p, end - p, tail, tn, h);
		if (h->pid || h->host[0] || h->instance_id[0] || h->operation[0] || h->acquired[0])
			h->form = LT_OWNER_JSON;
	} else {
		h->form = text_line(p, end, h);
	}
	if (h->form == LT_OWNER_NONE)
		memset(h, 0, sizeof(*h));
	return h->form;
}

bool lt_owner_same_host(const char *host, const char *ours)
{
	size_t a, b;

	if (!host[0] || !ours[0])
		return false;
	if (!strcasecmp(host, ours))
		return true;
	a = strcspn(host, ".");
	b = strcspn(ours, ".");
	/* A short name against a full one: the first labels. */
	if ((host[a] == '\0') == (ours[b] == '\0'))
		return false;
	return a == b && !strncasecmp(host, ours, a);
}

bool lt_owner_wanted(const struct lt_cause_input *in)
{
	const struct lt_event *ev = in->ev;
	const struct lt_obj *t;
	int err;

	if (!ev || ev->ret >= 0 || in->note.state != LT_FACTS_COMPLETE || in->ncomp <= 0 ||
	    !in->comp)
		return false;
	t = &in->comp[in->ncomp - 1];
	if (!t->exists || t->is_link || !S_ISREG(t->mode) || strcmp(t->path, ev->path))
		return false;
	err = ev->ret < -4095 ? 0 : (int)-ev->ret;
	if (lt_fs_is_remote(&in->fs))
		return true;
	if (lt_sys_is_lock(ev->syscall))
		return (err == EAGAIN || err == EACCES) && in->nholders == 0;
	return err == EEXIST &&
	       (ev->open_flags & (LT_O_CREAT | LT_O_EXCL)) == (LT_O_CREAT | LT_O_EXCL);
}
