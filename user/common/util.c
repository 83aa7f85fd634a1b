// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What every part of locktrace shares: diagnostics, hashing, the clock,
 * comma-separated lists; see util.h. */
#include <endian.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
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

void p_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	p_line("", fmt, ap);
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

#define ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND(v0, v1, v2, v3)     \
	do {                         \
		v0 += v1;            \
		v1 = ROTL64(v1, 13); \
		v1 ^= v0;            \
		v0 = ROTL64(v0, 32); \
		v2 += v3;            \
		v3 = ROTL64(v3, 16); \
		v3 ^= v2;            \
		v0 += v3;            \
		v3 = ROTL64(v3, 21); \
		v3 ^= v0;            \
		v2 += v1;            \
		v1 = ROTL64(v1, 17); \
		v1 ^= v2;            \
		v2 = ROTL64(v2, 32); \
	} while (0)

static uint64_t le64(const unsigned char *c, size_t n)
{
	uint64_t m = 0;

	for (size_t i = 0; i < n; i++)
		m |= (uint64_t)c[i] << (8 * i);
	return m;
}

uint64_t lt_siphash13(const uint64_t key[2], const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t v0 = 0x736f6d6570736575ULL ^ key[0], v1 = 0x646f72616e646f6dULL ^ key[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ key[0], v3 = 0x7465646279746573ULL ^ key[1];
	size_t i, end = n - n % 8;
	uint64_t m;

	for (i = 0; i < end; i += 8) {
		memcpy(&m, c + i, sizeof(m));
		m = le64toh(m);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	m = le64(c + end, n - end) | (uint64_t)n << 56;
	v3 ^= m;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

unsigned long long lt_clock_ns(int id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

void lt_hash_key(uint64_t key[2])
{
	uint64_t mix[3];

	if (getrandom(key, 2 * sizeof(key[0]), GRND_NONBLOCK) == 2 * sizeof(key[0]))
		return;
	/* No entropy yet (early boot) or no getrandom: still a key nobody
	 * chooses, though one that could be guessed. */
	mix[0] = lt_clock_ns(CLOCK_MONOTONIC);
	mix[1] = (uint64_t)getpid();
	mix[2] = (uint64_t)(uintptr_t)&mix;
	key[0] = lt_siphash13((const uint64_t[2]){ mix[0], mix[2] }, mix, sizeof(mix));
	key[1] = lt_siphash13((const uint64_t[2]){ mix[2], mix[1] }, mix, sizeof(mix));
}

/* "a\040b" in mountinfo is "a b". */
void lt_unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

void lt_read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}
