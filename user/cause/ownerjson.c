// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A lock file's JSON object to the owner it names (see owner.h). Hostile
 * bytes: nothing is trusted to be valid, terminated or short. The object
 * is read forward from the file's start, tolerating a cut anywhere, and
 * backward from its end (outside its strings from the last '}' on, so its
 * top-level keys are known without the middle): only values read whole
 * are kept, each cut to its field on a character boundary. No recursion,
 * no allocation; time linear in the bytes given.
 */
#include <string.h>
#include <strings.h>
#include "common/text.h"
#include "common/util.h"
#include "owner.h"

/* The fields a JSON lock file may name. */
enum field { F_NONE, F_PID, F_HOST, F_INSTANCE, F_OPERATION, F_ACQUIRED };

/* Its keys, compared ignoring case; the first of a field in the file wins.
 * X(key, field) */
#define LT_OWNER_KEYS(X)                  \
	X("pid", F_PID)                   \
	X("processid", F_PID)             \
	X("process_id", F_PID)            \
	X("host", F_HOST)                 \
	X("hostname", F_HOST)             \
	X("host_name", F_HOST)            \
	X("machine", F_HOST)              \
	X("machinename", F_HOST)          \
	X("machine_name", F_HOST)         \
	X("computername", F_HOST)         \
	X("node", F_HOST)                 \
	X("nodename", F_HOST)             \
	X("instanceid", F_INSTANCE)       \
	X("instance_id", F_INSTANCE)      \
	X("instance", F_INSTANCE)         \
	X("operationname", F_OPERATION)   \
	X("operation", F_OPERATION)       \
	X("operation_name", F_OPERATION)  \
	X("acquireddatetime", F_ACQUIRED) \
	X("acquired", F_ACQUIRED)         \
	X("acquired_at", F_ACQUIRED)

#define KEY_MAX 32 /* longer keys are none of ours */
#define TAIL_KEYS 64 /* top-level keys looked at in the tail */

static enum field key_field(const char *key)
{
	static const struct {
		const char *key;
		enum field f;
	} keys[] = {
#define LT_X(k, f) { k, f },
		LT_OWNER_KEYS(LT_X)
#undef LT_X
	};

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (!strcasecmp(key, keys[i].key))
			return keys[i].f;
	return F_NONE;
}

/* A bounded string being written: cap bytes, its NUL included. */
struct sbuf {
	char *s;
	size_t cap, len;
	bool cut;
};

/* Append n bytes that belong together (one character): all or, once the
 * buffer is full, none, so that a cut never splits a character. */
static void put(struct sbuf *b, const char *bytes, size_t n)
{
	if (!b || b->cut)
		return;
	if (b->len + n >= b->cap) {
		b->cut = true;
		return;
	}
	memcpy(b->s + b->len, bytes, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void put_cp(struct sbuf *b, unsigned int cp)
{
	char u[4];

	if (cp < 0x80) {
		u[0] = cp;
		put(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = 0xc0 | cp >> 6;
		u[1] = 0x80 | (cp & 0x3f);
		put(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = 0xe0 | cp >> 12;
		u[1] = 0x80 | (cp >> 6 & 0x3f);
		u[2] = 0x80 | (cp & 0x3f);
		put(b, u, 3);
	} else {
		u[0] = 0xf0 | cp >> 18;
		u[1] = 0x80 | (cp >> 12 & 0x3f);
		u[2] = 0x80 | (cp >> 6 & 0x3f);
		u[3] = 0x80 | (cp & 0x3f);
		put(b, u, 4);
	}
}

struct scan {
	const char *p, *end;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && is_ws(*s->p))
		s->p++;
}

/* Results of a scanner step: the bytes ran out, or they are not JSON. */
enum { CUT = 0, DONE = 1, BAD = -1 };

static int hex4(const char *p, const char *end, unsigned int *v)
{
	*v = 0;
	if (end - p < 4)
		return CUT;
	for (int i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return BAD;
	}
	return DONE;
}

/* \uXXXX at p (after the backslash and 'u'), a surrogate pair joined;
 * NUL and lone surrogates as U+FFFD. Advances p past it. */
static int json_u(struct scan *s, struct sbuf *out)
{
	unsigned int cp, lo;
	int r = hex4(s->p, s->end, &cp);

	if (r != DONE)
		return r;
	s->p += 4;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (s->end - s->p >= 2 && s->p[0] == '\\' && s->p[1] == 'u') {
			r = hex4(s->p + 2, s->end, &lo);
			if (r == CUT)
				return CUT;
			if (r == DONE && lo >= 0xdc00 && lo <= 0xdfff) {
				s->p += 6;
				put_cp(out, 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
				return DONE;
			}
		} else if (s->end - s->p < 2) {
			return CUT;
		}
		cp = 0xfffd;
	} else if ((cp >= 0xdc00 && cp <= 0xdfff) || cp == 0) {
		cp = 0xfffd;
	}
	put_cp(out, cp);
	return DONE;
}

/*
 * A JSON string at s->p (its opening quote), decoded into out (NULL: only
 * skipped). Raw bytes are kept a character at a time, a NUL as U+FFFD;
 * control bytes and invalid UTF-8 are left to the outputs to escape.
 */
static int json_string(struct scan *s, struct sbuf *out)
{
	static const char fffd[] = "\xef\xbf\xbd";

	s->p++;
	while (s->p < s->end) {
		char c = *s->p;
		size_t k;

		if (c == '"') {
			s->p++;
			return DONE;
		}
		if (c == '\\') {
			if (s->end - s->p < 2)
				return CUT;
			c = s->p[1];
			s->p += 2;
			switch (c) {
			case '"':
			case '\\':
			case '/':
				put(out, &c, 1);
				break;
			case 'b':
				put(out, "\b", 1);
				break;
			case 'f':
				put(out, "\f", 1);
				break;
			case 'n':
				put(out, "\n", 1);
				break;
			case 'r':
				put(out, "\r", 1);
				break;
			case 't':
				put(out, "\t", 1);
				break;
			case 'u': {
				int r = json_u(s, out);

				if (r != DONE)
					return r;
				break;
			}
			default:
				return BAD;
			}
			continue;
		}
		if (c == '\0') {
			put(out, fffd, 3);
			s->p++;
			continue;
		}
		k = lt_utf8_seq(s->p, s->end - s->p);
		if (!k)
			k = 1; /* not UTF-8: a byte; the outputs make it U+FFFD */
		put(out, s->p, k);
		s->p += k;
	}
	return CUT;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A JSON number's text (out NULL: skipped). The bytes running out in it
 * leave it unknown: it may go on. */
static int json_number(struct scan *s, struct sbuf *out)
{
	const char *start = s->p;

	while (s->p < s->end && (is_digit(*s->p) || *s->p == '+' || *s->p == '-' || *s->p == '.' ||
				 *s->p == 'e' || *s->p == 'E'))
		s->p++;
	if (s->p == s->end)
		return CUT;
	if (s->p == start || !is_digit(s->p[-1]))
		return BAD;
	for (const char *q = start; q < s->p; q++)
		put(out, q, 1);
	return DONE;
}

/* Any value, skipped: nested objects and arrays by counting brackets
 * outside strings (no recursion, whatever the depth). */
static int skip_value(struct scan *s)
{
	long depth = 0;

	if (s->p >= s->end)
		return CUT;
	if (*s->p == '"')
		return json_string(s, NULL);
	if (*s->p == '-' || is_digit(*s->p))
		return json_number(s, NULL);
	if (*s->p != '{' && *s->p != '[') {
		static const char *const lit[] = { "true", "false", "null" };

		for (size_t i = 0; i < ARRAY_SIZE(lit); i++) {
			size_t n = strlen(lit[i]), have = s->end - s->p;

			if (!strncmp(s->p, lit[i], have < n ? have : n)) {
				if (have < n)
					return CUT;
				s->p += n;
				return DONE;
			}
		}
		return BAD;
	}
	while (s->p < s->end) {
		char c = *s->p;

		if (c == '"') {
			int r = json_string(s, NULL);

			if (r != DONE)
				return r;
			continue;
		}
		s->p++;
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			return DONE;
	}
	return CUT;
}

bool lt_owner_host_ok(const char *s, size_t n)
{
	if (n == 0 || n > 253 ||
	    !(is_digit(s[0]) || ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z')))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i] | 0x20;

		if (!is_digit(s[i]) && !(c >= 'a' && c <= 'z') && s[i] != '-' && s[i] != '.' &&
		    s[i] != '_')
			return false;
	}
	return true;
}

__u32 lt_owner_pid(const char *s, size_t n)
{
	__u32 v = 0;

	if (n == 0 || n > 10)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
		if (v > LT_OWNER_PID_MAX)
			return 0;
	}
	return v;
}

/* A field's value read whole: kept if the field has none yet, cut to
 * its size on a character boundary. */
static void keep(struct lt_owner_hint *h, enum field f, const struct sbuf *v)
{
	char *dst = NULL;
	size_t cap = 0, n = v->len;

	switch (f) {
	case F_PID:
		if (!h->pid && !v->cut)
			h->pid = lt_owner_pid(v->s, v->len);
		return;
	case F_HOST:
		dst = h->host, cap = sizeof(h->host);
		break;
	case F_INSTANCE:
		dst = h->instance_id, cap = sizeof(h->instance_id);
		break;
	case F_OPERATION:
		dst = h->operation, cap = sizeof(h->operation);
		break;
	case F_ACQUIRED:
		dst = h->acquired, cap = sizeof(h->acquired);
		break;
	default:
		return;
	}
	if (dst[0] || !v->len || (f == F_HOST && !lt_owner_host_ok(v->s, v->len)))
		return;
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && (v->s[n] & 0xc0) == 0x80)
			n--; /* not into the character that does not fit */
	}
	memcpy(dst, v->s, n);
	dst[n] = '\0';
	if (v->cut || n < v->len)
		h->cut = true;
}

/* One member, "key": value, at s->p (the key's quote). */
static int member(struct scan *s, struct lt_owner_hint *h)
{
	char kbuf[KEY_MAX], vbuf[LT_OWNER_FIELD];
	struct sbuf key = { kbuf, sizeof(kbuf), 0, false };
	struct sbuf val = { vbuf, sizeof(vbuf), 0, false };
	enum field f;
	int r;

	kbuf[0] = vbuf[0] = '\0';
	r = json_string(s, &key);
	if (r != DONE)
		return r;
	f = key.cut ? F_NONE : key_field(kbuf);
	skip_ws(s);
	if (s->p >= s->end)
		return CUT;
	if (*s->p != ':')
		return BAD;
	s->p++;
	skip_ws(s);
	if (s->p >= s->end)
		return CUT;
	if (f == F_NONE)
		return skip_value(s);
	if (*s->p == '"')
		r = json_string(s, &val);
	else if (*s->p == '-' || is_digit(*s->p))
		r = json_number(s, &val);
	else
		return skip_value(s);
	if (r == DONE)
		keep(h, f, &val);
	return r;
}

/* The object from its start: members until its end, a cut or a fault. */
static void json_head(struct scan *s, struct lt_owner_hint *h)
{
	s->p++; /* '{' */
	for (;;) {
		skip_ws(s);
		if (s->p >= s->end || *s->p != '"' || member(s, h) != DONE)
			return;
		skip_ws(s);
		if (s->p >= s->end || *s->p != ',')
			return;
		s->p++;
	}
}

/* Is the quote at t[i] escaped (1), not (0), or can it not be told from
 * these bytes (-1: the backslashes before it reach their start)? */
static int escaped(const char *t, size_t i)
{
	size_t k = i;

	while (k > 0 && t[k - 1] == '\\')
		k--;
	if (k == 0)
		return -1;
	return (i - k) & 1;
}

/*
 * The object's end: the last bytes of a file whose middle was not read.
 * Scanned backward from the closing '}', where no string is open, so
 * each unescaped quote met closes a string whose opening quote is the
 * previous unescaped one: strings are skipped whole, brackets counted,
 * and a string at the object's own level followed by ':' is a key. Its
 * member is then read forward. Stops where the bytes begin.
 */
static void json_tail(const char *t, size_t n, struct lt_owner_hint *h)
{
	size_t keys[TAIL_KEYS], i, j;
	int nkeys = 0;
	long depth = 1;

	while (n > 0 && (is_ws(t[n - 1]) || t[n - 1] == '\0'))
		n--;
	if (n < 2 || t[n - 1] != '}')
		return;
	for (i = n - 1; i > 0 && nkeys < TAIL_KEYS;) {
		char c = t[--i];

		if (c == '"') {
			bool open = false;

			for (j = i; j > 0;) {
				int e;

				if (t[--j] != '"')
					continue;
				e = escaped(t, j);
				if (e < 0)
					break;
				if (!e) {
					open = true;
					break;
				}
			}
			if (!open)
				break;
			if (depth == 1) {
				size_t k = i + 1;

				while (k < n && is_ws(t[k]))
					k++;
				if (k < n && t[k] == ':')
					keys[nkeys++] = j;
			}
			i = j;
		} else if (c == '}' || c == ']') {
			depth++;
		} else if ((c == '{' || c == '[') && --depth == 0) {
			break;
		}
	}
	/* In the file's order: the first of a field wins. */
	while (nkeys-- > 0) {
		struct scan s = { t + keys[nkeys], t + n };

		member(&s, h);
	}
}

void lt_owner_json(const char *head, size_t hn, const char *tail, size_t tn,
		   struct lt_owner_hint *h)
{
	struct scan s = { head, head + hn };

	skip_ws(&s);
	if (s.p < s.end && *s.p == '{')
		json_head(&s, h);
	if (tail)
		json_tail(tail, tn, h);
}
