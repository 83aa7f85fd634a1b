// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util.h"

bool lt_verbose;

static void p_line(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "locktrace: %s", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void p_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	p_line("", fmt, ap);
	va_end(ap);
}

void p_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	p_line("warning: ", fmt, ap);
	va_end(ap);
}

void p_debug(const char *fmt, ...)
{
	va_list ap;

	if (!lt_verbose)
		return;
	va_start(ap, fmt);
	p_line("debug: ", fmt, ap);
	va_end(ap);
}

bool lt_list_has(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while (*p) {
		const char *end = p + strcspn(p, ",");
		size_t len = (size_t)(end - p);

		while (len && (p[len - 1] == '\n' || p[len - 1] == ' '))
			len--;
		while (len && *p == ' ') {
			p++;
			len--;
		}
		if (len == n && !memcmp(p, word, n))
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

unsigned long long lt_fnv1a(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211ULL;
	return h;
}
