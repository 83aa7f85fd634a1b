/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every part of locktrace shares: the exit codes, the diagnostics on
 * standard error, hashing, the clock, comma-separated lists.
 */
#ifndef LOCKTRACE_UTIL_H
#define LOCKTRACE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes (documented in the README). */
enum lt_exit {
	LT_EXIT_OK = 0,
	LT_EXIT_RUNTIME = 1, /* could not trace: privileges, kernel, I/O */
	LT_EXIT_USAGE = 2, /* bad options or patterns */
};

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* -v: p_debug() and libbpf's messages are shown. */
extern bool lt_verbose;

/* FNV-1a over p[0..n), continuing from h (LT_FNV_BASIS to start). */
#define LT_FNV_BASIS 1469598103934665603ULL
unsigned long long lt_fnv1a(unsigned long long h, const void *p, size_t n);

/*
 * SipHash-1-3 of p[0..n) under a 128-bit key: the hash of every table that
 * holds strings from outside (a recording), so that nobody who does not
 * know the key can choose strings that collide. lt_hash_key() makes a key
 * from getrandom(), a new one each run.
 */
uint64_t lt_siphash13(const uint64_t key[2], const void *p, size_t n);
void lt_hash_key(uint64_t key[2]);

/* Nanoseconds on clock id (CLOCK_MONOTONIC, CLOCK_BOOTTIME ...). */
unsigned long long lt_clock_ns(int id);

/* Is @word an item of the comma-separated @list ("lockdown,capability")? */
bool lt_list_has(const char *list, const char *word);

/*
 * Diagnostics: every line locktrace writes to standard error goes through
 * one of these (libbpf's own messages under -v aside), one line each, the
 * newline added:
 *   p_err    "locktrace: <message>": what failed (the exit code says it too)
 *   p_warn   "locktrace: warning: <message>": something lost or degraded,
 *            and the work goes on
 *   p_info   "locktrace: <message>": what the tool is doing, its summary
 *   p_debug  "locktrace: debug: <message>", only with -v (lt_verbose)
 */
void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void p_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The first line of @path into @buf, without its newline ("" if it cannot
 * be read); longer lines are cut to len - 1 bytes. */
void lt_read_first_line(const char *path, char *buf, size_t len);

/* mountinfo's octal escapes undone in place: "a\040b" is "a b". */
void lt_unescape_octal(char *s);

#endif /* LOCKTRACE_UTIL_H */
