// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A file on a network share, named the same way on every host: see share.h. */
#include <stdbool.h>
#include <string.h>
#include "share.h"
#include "util.h"

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* s[0..n) in lower case (ASCII), into b. */
static void put_lower(struct lt_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = lower(s[i]);

		lt_buf_put(b, &c, 1);
	}
}

/* Does path[0..pn) start with directory d[0..dn), component by component? */
static bool under(const char *path, size_t pn, const char *d, size_t dn)
{
	return pn >= dn && !memcmp(path, d, dn) && (pn == dn || path[dn] == '/');
}

void lt_share_of(const char *src, size_t sn, const char *path, size_t pn, struct lt_buf *share,
		 struct lt_buf *spath)
{
	char dir[4096];
	size_t dn = 0, i = 0;
	const char *colon;

	if (sn >= 2 && is_sep(src[0]) && is_sep(src[1])) {
		/* //server/share/dir: the first two components name the share. */
		size_t start;

		lt_buf_puts(share, "//");
		for (int comp = 0; comp < 2; comp++) {
			for (i = i ? i : 2; i < sn && is_sep(src[i]); i++)
				;
			start = i;
			while (i < sn && !is_sep(src[i]))
				i++;
			if (comp)
				lt_buf_puts(share, "/");
			put_lower(share, src + start, i - start);
		}
	} else if (src[0] != '/' && (colon = memchr(src, ':', sn)) &&
		   !memchr(src, '/', (size_t)(colon - src))) {
		/* server:/dir, [v6::address]:/dir */
		if (src[0] == '[') {
			const char *close = memchr(src, ']', sn);

			if (close && close + 1 < src + sn && close[1] == ':')
				colon = close + 1;
		}
		i = (size_t)(colon - src) + 1;
		put_lower(share, src, i);
	} else {
		lt_buf_put(share, src, sn);
		i = sn;
	}
	/* The source's directory within the share: "/dir", separators made '/',
	 * none doubled or trailing. */
	for (; i < sn && dn < sizeof(dir) - 1; i++) {
		char c = is_sep(src[i]) ? '/' : src[i];

		if (c == '/' && dn && dir[dn - 1] == '/')
			continue;
		if (!dn && c != '/')
			dir[dn++] = '/';
		dir[dn++] = c;
	}
	while (dn && dir[dn - 1] == '/')
		dn--;
	if (pn == 1 && path[0] == '/')
		pn = 0; /* the root: the directory itself */
	if (!dn || under(path, pn, dir, dn)) {
		if (!pn || path[0] != '/')
			lt_buf_puts(spath, "/");
		lt_buf_put(spath, path, pn);
		return;
	}
	lt_buf_put(spath, dir, dn);
	if (pn && path[0] != '/')
		lt_buf_puts(spath, "/");
	lt_buf_put(spath, path, pn);
}

bool lt_netfs_type(const char *type, size_t n)
{
#define LT_X(name) #name,
	static const char *const types[] = { LT_NETFS_TYPES(LT_X, ) };
#undef LT_X
	const char *dot = memchr(type, '.', n);
	size_t len = dot ? (size_t)(dot - type) : strnlen(type, n);

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (strlen(types[i]) == len && !memcmp(types[i], type, len))
			return true;
	return false;
}
