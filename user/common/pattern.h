/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Path patterns: validation, normalisation, the defaults, and matching
 * in the language of the kernel's matcher (bpf/match.h). */
#ifndef LOCKTRACE_PATTERN_H
#define LOCKTRACE_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "locktrace.h"

/*
 * Compile one user pattern:
 *   no '/'            basename glob ("*.lock", "LOCK")
 *   leading '/'       whole-path glob ("/home/site/locks/status.*")
 *   other with a slash: any depth, "**" and a slash go in front ("locks/x.lock")
 *   trailing '/'      everything below: "**" is appended ("/var/lock/")
 * Rejected (returns -EINVAL and a one-line reason in err): empty, too long,
 * '[' character classes, a trailing lone '\', NUL-free but control bytes.
 */
int lt_pattern_compile(const char *text, struct lt_pattern *out, char *err, size_t errlen);

/* The default lock paths, compiled: *.lock, *.lck, LOCK, /var/lock/,
 * /run/lock/, locks/. Returns the count (fills at most max). */
int lt_default_patterns(struct lt_pattern *out, int max);
/* The default patterns as the user would type them, NULL-terminated. */
extern const char *const lt_default_pattern_texts[];

/* Does path[0..len) match pattern pat (the kernel's semantics, without its
 * step budget, in time linear in len)? */
bool lt_pattern_match(const struct lt_pattern *pat, const char *path, size_t len);
bool lt_patterns_match(const struct lt_pattern *pats, int n, const char *path, size_t len);
/* The glob pat[0..plen) against s[0..n) in the kernel matcher's language,
 * in time linear in n whatever the pattern: what lt_pattern_match() falls
 * back on when the back-tracking matcher runs past its budget. */
bool lt_glob_linear(const char *pat, unsigned int plen, const char *s, size_t n);

#endif /* LOCKTRACE_PATTERN_H */
