// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Who records: this host's identity and network mounts; see host.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "common/mountinfo.h"
#include "common/share.h"
#include "common/text.h"
#include "host.h"
#include "common/util.h"

int lt_host_machine_id(char *buf, size_t len)
{
	char data[65];
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	if (len < 33)
		return -EINVAL;
	buf[0] = '\0';
	fd = open("/etc/machine-id", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
	} else {
		n = read(fd, data, sizeof(data) - 1);
		if (n < 0) {
			err = -errno;
		} else {
			data[n] = '\0';
			if (n < 32 || strspn(data, "0123456789abcdef") != 32 ||
			    (n > 32 && data[32] != '\n')) {
				err = -EINVAL;
			} else {
				memcpy(buf, data, 32);
				buf[32] = '\0';
			}
		}
	}
	close(fd);
	return err;
}

/* Is mountinfo's type @type (FUSE's "fuse.SUBTYPE": "fuse") one of types? */
static bool type_wanted(const char *type, const char (*types)[LT_FSTYPE_LEN], int n)
{
	size_t len = strcspn(type, ".");

	for (int i = 0; i < n; i++)
		if (strnlen(types[i], LT_FSTYPE_LEN) == len && !strncmp(types[i], type, len))
			return true;
	return false;
}

static void json_field(struct lt_buf *b, const char *key, const char *s, size_t n)
{
	lt_buf_printf(b, ",\"%s\":", key);
	lt_json_str(b, s, n);
}

int lt_host_mounts_json(struct lt_buf *b, const char (*types)[LT_FSTYPE_LEN], int n)
{
	struct lt_mountinfo mi;
	unsigned long more = 0;
	size_t cap = 0;
	char *line = NULL;
	int kept = 0, err = 0;
	FILE *f;

	lt_buf_puts(b, ",\"mounts\":[");
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		err = -errno;
	while (f && !lt_mountinfo_next(f, &line, &cap, &mi)) {
		struct lt_buf share = {}, spath = {};

		if (!type_wanted(mi.type, types, n))
			continue;
		if (kept == LT_HEADER_MOUNTS) {
			more++;
			continue;
		}
		lt_buf_puts(b, kept++ ? ",{" : "{");
		lt_buf_puts(b, "\"mount\":");
		lt_json_str(b, mi.mount, strlen(mi.mount));
		json_field(b, "fs", mi.type, strlen(mi.type));
		json_field(b, "source", mi.source, strlen(mi.source));
		json_field(b, "root", mi.root, strlen(mi.root));
		lt_share_of(mi.source, strlen(mi.source), mi.root, strlen(mi.root), &share, &spath);
		json_field(b, "share", share.data ? share.data : "", share.len);
		json_field(b, "share_path", spath.data ? spath.data : "", spath.len);
		lt_buf_printf(b, ",\"dev\":\"%u:%u\"}", mi.major, mi.minor);
		lt_buf_free(&share);
		lt_buf_free(&spath);
	}
	free(line);
	if (f)
		fclose(f);
	lt_buf_puts(b, "]");
	if (more)
		lt_buf_printf(b, ",\"mounts_more\":%lu", more);
	return err;
}
