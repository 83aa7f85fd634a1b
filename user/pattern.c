// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Path patterns: validation, normalisation and the default lock paths. */
#include <stdio.h>
#include <string.h>
#include "pattern.h"
#include "match.h"

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
		return -1;
	}
	/* Control bytes first, escaped or not: after this pass, quoting the
	 * text in a message cannot break the one-line rule. */
	for (i = 0; i < n; i++) {
		unsigned char c = text[i];

		if (c < 0x20 || c == 0x7f) {
			snprintf(err, errlen, "pattern has a control character at byte %zu", i);
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		if (text[i] == '[') {
			snprintf(err, errlen,
				 "pattern '%s': character classes '[...]' are not supported "
				 "(use '?' or '\\[' for a literal '[')",
				 text);
			return -1;
		}
		if (text[i] == '\\') {
			if (i + 1 == n) {
				snprintf(err, errlen, "pattern '%s' ends with a lone '\\'", text);
				return -1;
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
		return -1;
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

bool lt_pattern_match(const struct lt_pattern *pat, const char *path, size_t len)
{
	size_t off = 0;

	if (pat->kind == LT_PAT_BASENAME) {
		const char *slash = memrchr(path, '/', len);

		if (slash)
			off = slash + 1 - path;
	}
	/* The kernel's matcher without its budget: every step moves a
	 * back-tracking point forward, so it ends on its own. */
	return lt_glob_match(pat->text, pat->len, ~0u, path + off, 0, len - off, ~0u, ~0u) ==
	       LT_MATCH;
}

bool lt_patterns_match(const struct lt_pattern *pats, int n, const char *path, size_t len)
{
	for (int i = 0; i < n; i++)
		if (lt_pattern_match(&pats[i], path, len))
			return true;
	return false;
}
