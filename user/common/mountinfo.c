// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One line of mountinfo into its fields: see mountinfo.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mountinfo.h"
#include "util.h"

/* The next space-separated field of *p (NUL-terminated in place), NULL at
 * the end of the line. */
static char *field(char **p)
{
	char *s = *p, *e;

	if (!s || !*s)
		return NULL;
	e = strchr(s, ' ');
	if (e) {
		*e = '\0';
		*p = e + 1;
	} else {
		s[strcspn(s, "\n")] = '\0';
		*p = NULL;
	}
	return *s ? s : NULL;
}

int lt_mountinfo_parse(char *line, struct lt_mountinfo *mi)
{
	char *p = line, *dev, *x, *end;

	memset(mi, 0, sizeof(*mi));
	if (!field(&p) || !field(&p))
		return -EINVAL;
	dev = field(&p);
	mi->root = field(&p);
	mi->mount = field(&p);
	mi->options = field(&p);
	while ((x = field(&p)) && strcmp(x, "-"))
		; /* optional fields: shared:N, master:N ... */
	mi->type = field(&p);
	mi->source = field(&p);
	mi->super = field(&p);
	if (!dev || !mi->root || !mi->mount || !mi->options || !x || !mi->type || !mi->source ||
	    !mi->super)
		return -EINVAL;
	errno = 0;
	mi->major = (unsigned int)strtoul(dev, &end, 10);
	if (errno || end == dev || *end != ':')
		return -EINVAL;
	x = end + 1;
	mi->minor = (unsigned int)strtoul(x, &end, 10);
	if (errno || end == x || *end)
		return -EINVAL;
	lt_unescape_octal(mi->root);
	lt_unescape_octal(mi->mount);
	lt_unescape_octal(mi->source);
	return 0;
}

int lt_mountinfo_next(FILE *f, char **line, size_t *cap, struct lt_mountinfo *mi)
{
	errno = 0;
	while (getline(line, cap, f) > 0) {
		if (!lt_mountinfo_parse(*line, mi))
			return 0;
	}
	return errno == ENOMEM ? -ENOMEM : -ENOENT;
}
