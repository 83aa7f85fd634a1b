// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Path patterns: validation and normalisation, the default lock paths, and
 * matching as the kernel's matcher does; see pattern.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "pattern.h"
#include "match.h"

/* Steps the back-tracking matcher may take on n bytes before the state
 * sets take over: enough for any match without pathological back-tracking. */
#define LT_GREEDY_STEPS(n) (4 * (n) + 4 * LT_PATTERN_MAX)

const char *const lt_default_pattern_texts[] = {
	"*.lock", "*.lck", "LOCK", "/var/lock/", "/run/lock/", "locks/", NULL,
};

int lt_pattern_compile(const char *text, struct lt_pattern *out, char *err, size_t errlen)
{
	size_t n = strlen(text), i;
	const char *pre = "", *post = "";
	int len;

	memset(out, 0, sizeof(*out));
	if (n == 0) {
		snprintf(err, errlen, "empty pattern");
		return -EINVAL;
	}
	/* Control bytes first, escaped or not: after this pass, quoting the
	 * text in a message cannot break the one-line rule. */
	for (i = 0; i < n; i++) {
		unsigned char c = text[i];

		if (c < 0x20 || c == 0x7f) {
			snprintf(err, errlen, "pattern has a control character at byte %zu", i);
			return -EINVAL;
		}
	}
	for (i = 0; i < n; i++) {
		if (text[i] == '[') {
			snprintf(err, errlen,
				 "pattern '%s': character classes '[...]' are not supported "
				 "(use '?' or '\\[' for a literal '[')",
				 text);
			return -EINVAL;
		}
		if (text[i] == '\\') {
			if (i + 1 == n) {
				snprintf(err, errlen, "pattern '%s' ends with a lone '\\'", text);
				return -EINVAL;
			}
			i++; /* the escaped byte is literal, whatever it is */
		}
	}
	if (!strchr(text, '/')) {
		out->kind = LT_PAT_BASENAME;
	} else {
		out->kind = LT_PAT_PATH;
		if (text[0] != '/' && strncmp(text, "**", 2) != 0)
			pre = "**/";
		if (text[n - 1] == '/')
			post = "**";
	}
	len = snprintf(out->text, sizeof(out->text), "%s%s%s", pre, text, post);
	if (len < 0 || (size_t)len >= sizeof(out->text)) {
		snprintf(err, errlen, "pattern '%.40s...' is too long (at most %d bytes)", text,
			 LT_PATTERN_MAX - 1 - (int)(strlen(pre) + strlen(post)));
		memset(out, 0, sizeof(*out));
		return -EINVAL;
	}
	out->len = len;
	return 0;
}

int lt_default_patterns(struct lt_pattern *out, int max)
{
	char err[160];
	int n = 0;

	for (int i = 0; lt_default_pattern_texts[i] && n < max; i++)
		if (!lt_pattern_compile(lt_default_pattern_texts[i], &out[n], err, sizeof(err)))
			n++;
	return n;
}

/*
 * pat against s[0..n), the kernel's language (bpf/match.h) in time linear in
 * n: the set of pattern positions reached so far, advanced one byte at a
 * time (a position past a '*' or '**' may also be at the star). The
 * kernel's back-tracking matcher has a step budget; without one it is
 * quadratic on a path made for it, and the paths are the users' (the
 * tracer decides here what the kernel could not, the report matches paths
 * of recordings).
 */
enum lt_tok { LT_TOK_LIT, LT_TOK_ANY, LT_TOK_ESC, LT_TOK_STAR, LT_TOK_DSTAR };

#define LT_SET_WORDS ((LT_PATTERN_MAX + 64) / 64)
#define LT_SET(a, p) ((a)[(p) >> 6] |= 1ULL << ((p)&63))
#define LT_HAS(a, p) (((a)[(p) >> 6] >> ((p)&63)) & 1)

bool lt_glob_linear(const char *pat, unsigned int plen, const char *s, size_t n)
{
	unsigned long long cur[LT_SET_WORDS] = {}, next[LT_SET_WORDS];
	unsigned char tok[LT_PATTERN_MAX], step[LT_PATTERN_MAX];
	unsigned int p;
	size_t i;

	if (plen >= LT_PATTERN_MAX)
		return false;
	/* Tokens as the kernel's matcher reads them, left to right. */
	for (p = 0; p < plen; p += step[p]) {
		if (pat[p] == '*' && p + 1 < plen && pat[p + 1] == '*')
			tok[p] = LT_TOK_DSTAR, step[p] = 2;
		else if (pat[p] == '*')
			tok[p] = LT_TOK_STAR, step[p] = 1;
		else if (pat[p] == '?')
			tok[p] = LT_TOK_ANY, step[p] = 1;
		else if (pat[p] == '\\' && p + 1 < plen)
			tok[p] = LT_TOK_ESC, step[p] = 2;
		else
			tok[p] = LT_TOK_LIT, step[p] = 1;
	}
	LT_SET(cur, 0);
	for (i = 0;; i++) {
		/* A star may match nothing: the position after it too. */
		for (p = 0; p < plen; p += step[p])
			if (LT_HAS(cur, p) && (tok[p] == LT_TOK_STAR || tok[p] == LT_TOK_DSTAR))
				LT_SET(cur, p + step[p]);
		if (i == n)
			return LT_HAS(cur, plen);
		memset(next, 0, sizeof(next));
		for (p = 0; p < plen; p += step[p]) {
			char c = s[i];

			if (!LT_HAS(cur, p))
				continue;
			switch (tok[p]) {
			case LT_TOK_LIT:
				if (c == pat[p])
					LT_SET(next, p + 1);
				break;
			case LT_TOK_ANY:
				if (c != '/')
					LT_SET(next, p + 1);
				break;
			case LT_TOK_ESC:
				if (c == pat[p + 1])
					LT_SET(next, p + 2);
				break;
			case LT_TOK_STAR:
				if (c != '/')
					LT_SET(next, p);
				break;
			case LT_TOK_DSTAR:
				LT_SET(next, p);
				break;
			}
		}
		memcpy(cur, next, sizeof(cur));
		for (p = 0; p < LT_SET_WORDS && !cur[p]; p++)
			;
		if (p == LT_SET_WORDS)
			return false; /* no position left */
	}
}

bool lt_pattern_match(const struct lt_pattern *pat, const char *path, size_t len)
{
	size_t off = 0;

	if (pat->kind == LT_PAT_BASENAME) {
		const char *slash = memrchr(path, '/', len);

		if (slash)
			off = slash + 1 - path;
	}
	/* The kernel's matcher first, with a budget linear in the path: it
	 * answers almost every match in a few steps per byte; what it leaves
	 * undecided, the state sets decide. */
	switch (lt_glob_match(pat->text, pat->len, ~0u, path + off, 0, len - off, ~0u,
			      LT_GREEDY_STEPS(len - off))) {
	case LT_MATCH:
		return true;
	case LT_NOMATCH:
		return false;
	default:
		return lt_glob_linear(pat->text, pat->len, path + off, len - off);
	}
}

bool lt_patterns_match(const struct lt_pattern *pats, int n, const char *path, size_t len)
{
	for (int i = 0; i < n; i++)
		if (lt_pattern_match(&pats[i], path, len))
			return true;
	return false;
}
